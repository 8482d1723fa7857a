/* SPDX-License-Identifier: Apache-2.0 */
/* ne_format: the representations the archive emits. */
#ifndef NE_FORMAT_H
#define NE_FORMAT_H

#include <apr.h>

typedef enum ne_format {
    NE_FMT_NONE = -1,   /* no extension: negotiated */
    NE_FMT_HTML = 0,
    NE_FMT_JSON,
    NE_FMT_XML,
    NE_FMT_MD,
    NE_FMT_COUNT
} ne_format_e;

/* The formats a location serves, in its order of preference. */
typedef struct ne_format_set {
    ne_format_e order[NE_FMT_COUNT];
    int n;
} ne_format_set_t;

/* All four, in the default order: html, json, xml, md. */
extern const ne_format_set_t ne_format_all;

int ne_format_set_has(const ne_format_set_t *set, ne_format_e f);

/* "html", "json", "xml", "md" */
const char *ne_format_ext(ne_format_e f);
/* "HTML", "JSON", "XML", "Markdown" */
const char *ne_format_label(ne_format_e f);
/* The Content-Type sent for f. */
const char *ne_format_media_type(ne_format_e f);
/* The format whose extension is s[0..len), or NE_FMT_NONE. */
ne_format_e ne_format_from_ext(const char *s, apr_size_t len);

#endif
