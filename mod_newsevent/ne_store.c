/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store: one event with its sources, topics and related events, and
 * when the store last changed. */
#include "ne_store.h"
#include "ne_store_db.h"
#include "ne_date.h"
#include "ne_derive.h"

#include <string.h>
#include <jansson.h>
#include <apr_strings.h>

/* The rows of one event's sources or topics, each pushed onto its list. */
static apr_status_t ne_store_children(ne_store_t *st, apr_pool_t *pool, const char *label,
                                      ne_event_t *ev, ne_db_push_fn *push)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, label, &res, 1, ev->id);

    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        push(st, pool, row, 0, ev);
    }
    return rv;
}

apr_status_t ne_store_sources(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev)
{
    ev->sources = apr_array_make(pool, 4, sizeof(ne_source_t));
    return ne_store_children(st, pool, "newsevent_sources", ev, ne_db_push_source);
}

apr_status_t ne_store_topics(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev)
{
    ev->topics = apr_array_make(pool, 8, sizeof(ne_topic_t));
    return ne_store_children(st, pool, "newsevent_topics", ev, ne_db_push_topic);
}

/* The day number of a stored date, for "nearest in time". */
static long ne_store_day_number(const char *date)
{
    ne_date_t d;

    return ne_date_parse(date, strlen(date), &d) ? ne_date_days(&d) : 0;
}

apr_status_t ne_store_event_row(ne_store_t *st, apr_pool_t *pool, const char *date,
                                const char *slug, ne_event_t **out)
{
    apr_dbd_results_t *res;
    apr_array_header_t *found = apr_array_make(pool, 1, sizeof(ne_event_t));
    apr_status_t rv = ne_db_select(st, pool, "newsevent_event", &res, 2, date, slug);

    if (rv != APR_SUCCESS || (rv = ne_db_events(st, pool, res, found)) != APR_SUCCESS) {
        return rv;
    }
    if (found->nelts == 0) {
        return APR_ENOENT;
    }
    *out = &APR_ARRAY_IDX(found, 0, ne_event_t);
    return APR_SUCCESS;
}

/* One child of an event read as JSON ([pos, text...], `n` texts; a topic's
 * last is its id, a number), pushed at its place by pos: 0 for a shape
 * that is not that. */
static int ne_store_json_child(apr_pool_t *pool, json_t *item, int n, apr_array_header_t *into,
                               apr_array_header_t *places)
{
    const char *f[3];
    json_t *pos = json_array_get(item, 0);
    int k, at;

    if (!json_is_array(item) || json_array_size(item) != (size_t)n + 1
        || !json_is_integer(pos)) {
        return 0;
    }
    for (k = 0; k < n; k++) {
        json_t *v = json_array_get(item, k + 1);
        f[k] = json_is_string(v) ? apr_pstrdup(pool, json_string_value(v))
               : json_is_integer(v) ? apr_psprintf(pool, "%" APR_INT64_T_FMT,
                                                   (apr_int64_t)json_integer_value(v))
               : NULL;
        if (f[k] == NULL) {
            return 0;
        }
    }
    /* by pos: an insertion from the end, as the rows come mostly in order */
    apr_array_push(into);
    apr_array_push(places);
    for (at = into->nelts - 1; at > 0
         && APR_ARRAY_IDX(places, at - 1, json_int_t) > json_integer_value(pos); at--) {
        memcpy(into->elts + at * into->elt_size, into->elts + (at - 1) * into->elt_size,
               into->elt_size);
        APR_ARRAY_IDX(places, at, json_int_t) = APR_ARRAY_IDX(places, at - 1, json_int_t);
    }
    APR_ARRAY_IDX(places, at, json_int_t) = json_integer_value(pos);
    if (n == 2) {
        ne_source_t *s = &APR_ARRAY_IDX(into, at, ne_source_t);
        s->name = f[0];
        s->url = f[1];
    }
    else {
        ne_topic_t *t = &APR_ARRAY_IDX(into, at, ne_topic_t);
        t->name = f[0];
        t->slug = f[1];
        t->id = f[2];
    }
    return 1;
}

/* An event's sources (n 2) or topics (n 3) from their JSON array; 0 when
 * the text is not one (the caller reads them by statement instead). */
static int ne_store_json_children(apr_pool_t *pool, const char *text, int n,
                                  apr_array_header_t *into)
{
    json_error_t err;
    json_t *all = text ? json_loads(text, 0, &err) : NULL;
    apr_array_header_t *places = apr_array_make(pool, 8, sizeof(json_int_t));
    size_t i;
    int ok = json_is_array(all);

    for (i = 0; ok && i < json_array_size(all); i++) {
        ok = ne_store_json_child(pool, json_array_get(all, i), n, into, places);
    }
    json_decref(all);
    return ok;
}

/* The event whole (newsevent_event_whole): its row, its related list
 * (*list: "-" for none), its sources and topics. */
static apr_status_t ne_store_event_whole(ne_store_t *st, apr_pool_t *pool, const char *date,
                                         const char *slug, ne_event_t **out,
                                         const char **list)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_event_whole", &res, 2, date, slug);
    const char *sources = NULL, *topics = NULL;
    ne_event_t *ev = NULL;

    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        ev = apr_pcalloc(pool, sizeof(*ev));
        ne_db_read_event(st, pool, row, ev);
        *list = ne_db_col(st, pool, row, 9);
        sources = ne_db_col(st, pool, row, 10);
        topics = ne_db_col(st, pool, row, 11);
    }
    if (rv != APR_SUCCESS || ev == NULL) {
        return rv != APR_SUCCESS ? rv : APR_ENOENT;
    }
    ev->sources = apr_array_make(pool, 4, sizeof(ne_source_t));
    ev->topics = apr_array_make(pool, 8, sizeof(ne_topic_t));
    if (!ne_store_json_children(pool, sources, 2, ev->sources)
        || !ne_store_json_children(pool, topics, 3, ev->topics)) {
        if ((rv = ne_store_sources(st, pool, ev)) != APR_SUCCESS
            || (rv = ne_store_topics(st, pool, ev)) != APR_SUCCESS) {
            return rv;
        }
    }
    *out = ev;
    return APR_SUCCESS;
}

apr_status_t ne_store_event(ne_store_t *st, apr_pool_t *pool, const char *date,
                            const char *slug, int related_max, ne_event_t **out)
{
    ne_event_t *ev = NULL;
    const char *list = NULL;
    apr_status_t rv;

    if (ne_store_derived_ready(st, pool)) {
        rv = ne_store_event_whole(st, pool, date, slug, &ev, &list);
    }
    else if ((rv = ne_store_event_row(st, pool, date, slug, &ev)) == APR_SUCCESS
             && (rv = ne_store_sources(st, pool, ev)) == APR_SUCCESS) {
        rv = ne_store_topics(st, pool, ev);
    }
    if (rv != APR_SUCCESS
        || (rv = ne_store_related_listed(st, pool, ev, ne_store_day_number(ev->date),
                                         related_max, list)) != APR_SUCCESS) {
        return rv;
    }
    *out = ev;
    return APR_SUCCESS;
}

apr_status_t ne_store_changed(ne_store_t *st, apr_pool_t *pool, apr_time_t *changed,
                              apr_int64_t *generation)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_changed", &res, 0);

    *changed = 0;
    *generation = 0;
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        *changed = ne_timestamp_time(ne_db_col(st, pool, row, 0));
        *generation = apr_atoi64(ne_db_col(st, pool, row, 1));
    }
    return rv;
}
