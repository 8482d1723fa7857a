/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_format.h"

#include <string.h>

static const struct {
    const char *ext;
    const char *label;
    const char *media_type;
} ne_formats[NE_FMT_COUNT] = {
    {"html", "HTML", "text/html; charset=utf-8"},
    {"json", "JSON", "application/json"},
    {"xml", "XML", "application/xml; charset=utf-8"},
    {"md", "Markdown", "text/markdown; charset=utf-8"},
};

const char *ne_format_ext(ne_format_e f)
{
    return ne_formats[f].ext;
}

const char *ne_format_label(ne_format_e f)
{
    return ne_formats[f].label;
}

const char *ne_format_media_type(ne_format_e f)
{
    return ne_formats[f].media_type;
}

ne_format_e ne_format_from_ext(const char *s, apr_size_t len)
{
    int f;

    for (f = 0; f < NE_FMT_COUNT; f++) {
        if (strlen(ne_formats[f].ext) == len && memcmp(ne_formats[f].ext, s, len) == 0) {
            return (ne_format_e)f;
        }
    }
    return NE_FMT_NONE;
}

const ne_format_set_t ne_format_all = {
    {NE_FMT_HTML, NE_FMT_JSON, NE_FMT_XML, NE_FMT_MD}, NE_FMT_COUNT
};

int ne_format_set_has(const ne_format_set_t *set, ne_format_e f)
{
    int i;

    for (i = 0; i < set->n; i++) {
        if (set->order[i] == f) {
            return 1;
        }
    }
    return 0;
}
