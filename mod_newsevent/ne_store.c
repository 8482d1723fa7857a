/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store: one event with its sources, topics and related events, and
 * when the store last changed. */
#include "ne_store.h"
#include "ne_store_db.h"
#include "ne_date.h"
#include "ne_derive.h"

#include <string.h>
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

/* The event row with its stored related list (*list: "-" for none). */
static apr_status_t ne_store_event_listed(ne_store_t *st, apr_pool_t *pool, const char *date,
                                          const char *slug, ne_event_t **out,
                                          const char **list)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_event_listed", &res, 2, date, slug);

    *out = NULL;
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        *out = apr_pcalloc(pool, sizeof(ne_event_t));
        ne_db_read_event(st, pool, row, *out);
        *list = ne_db_col(st, pool, row, 9);
    }
    return rv != APR_SUCCESS ? rv : *out ? APR_SUCCESS : APR_ENOENT;
}

apr_status_t ne_store_event(ne_store_t *st, apr_pool_t *pool, const char *date,
                            const char *slug, int related_max, ne_event_t **out)
{
    ne_event_t *ev = NULL;
    const char *list = NULL;
    int listed = related_max > 0 && related_max <= NE_RELATED_STORED
                 && ne_store_derived_ready(st, pool);
    apr_status_t rv = listed ? ne_store_event_listed(st, pool, date, slug, &ev, &list)
                             : ne_store_event_row(st, pool, date, slug, &ev);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    if ((rv = ne_store_sources(st, pool, ev)) != APR_SUCCESS
        || (rv = ne_store_topics(st, pool, ev)) != APR_SUCCESS
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
