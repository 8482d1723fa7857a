/* SPDX-License-Identifier: Apache-2.0 */
/* ne_record: the JSON form of a record, as `newsevent import` reads it and
 * `newsevent export` writes it (docs/design.md, "The record"). */
#ifndef NE_RECORD_H
#define NE_RECORD_H

#include <jansson.h>
#include "ne_event.h"

#define NE_HEADLINE_MAX 4000   /* characters */
#define NE_LINE_FIELD_MAX 1000 /* characters of a category, story or name */
#define NE_BODY_MAX (2 * 1024 * 1024)   /* bytes of a body */
#define NE_LIST_FIELD_MAX 1000 /* sources, and topics, of one event */

typedef struct ne_record_error {
    const char *field;     /* "sources[1].url", or "" for the whole record */
    const char *message;
    /* ne_record_from_json's own: where it notes what it dropped, and the
     * list item it is reading ("sources[1]."). */
    apr_array_header_t *repairs;
    const char *item;
} ne_record_error_t;

/* An invisible character dropped from a field (ne_text_repair): a
 * bidirectional control that changes nothing, or U+FEFF. */
typedef struct ne_record_repair {
    const char *field;     /* "headline", "topics[2]" */
    apr_uint32_t cp;       /* 0x202C */
    const char *why;       /* "has nothing to close" */
} ne_record_repair_t;

/* Validate obj and fill *ev (slug left "" when the record gives none).
 * Invisible characters that change nothing are dropped from every text,
 * each noted in `repairs` (ne_record_repair_t; NULL: not noted). Returns
 * 0, or -1 with *err naming the field and the fault (strings that live as
 * long as pool, not obj). */
int ne_record_from_json(apr_pool_t *pool, json_t *obj, ne_event_t *ev,
                        ne_record_error_t *err, apr_array_header_t *repairs);

/* The export form of ev, which ne_record_from_json reads back unchanged.
 * The caller owns the reference. */
json_t *ne_record_to_json(const ne_event_t *ev);

/* A URL without an event, as export writes it after the events and import
 * reads it back: {"date", "slug", "deleted": TIME} for an event deleted
 * (410), {"date", "slug", "moved": TIME, "to": {"date", "slug"}} for one
 * moved (301). */
typedef struct ne_absent {
    const char *date;
    const char *slug;
    const char *to_date;   /* NULL: deleted */
    const char *to_slug;
    const char *when;
} ne_absent_t;

/* True when obj is such a record rather than an event. */
int ne_record_is_absent(json_t *obj);
/* Validate it: 0, or -1 with *err naming the field. */
int ne_absent_from_json(apr_pool_t *pool, json_t *obj, ne_absent_t *a, ne_record_error_t *err);
/* The export form; the caller owns the reference. */
json_t *ne_absent_to_json(const ne_absent_t *a);

/* True for "YYYY-MM-DDTHH:MM:SSZ". */
int ne_record_timestamp_valid(const char *s);

/* A record's copy in p, its topics' ids left out (a writer finds them);
 * *bytes grows by its texts' size (with a JSON field's framing each). */
void ne_record_copy(apr_pool_t *p, const ne_event_t *ev, ne_event_t *out, apr_size_t *bytes);

#endif
