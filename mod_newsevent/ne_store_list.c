/* SPDX-License-Identifier: Apache-2.0 */
/* The archive's lists: a day, a month, a year, the front page, a topic, and
 * the latest events for the feeds. Each is a few index ranges: the days
 * table holds the dates that have events and their counts; topics keep
 * their event counts; event_topics is ordered by topic and day. */
#include "ne_store.h"
#include "ne_store_db.h"
#include "ne_date.h"
#include "ne_text.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

static ne_list_t *ne_list_make(apr_pool_t *pool, const ne_list_query_t *q)
{
    ne_list_t *l = apr_pcalloc(pool, sizeof(*l));

    l->kind = q->kind;
    l->key = q->key;
    l->groups = apr_array_make(pool, 16, sizeof(ne_group_t));
    return l;
}

static ne_group_t *ne_list_group(ne_list_t *l, apr_pool_t *pool, const char *key, int count)
{
    ne_group_t *g = apr_array_push(l->groups);

    g->key = key;
    g->count = count;
    g->events = apr_array_make(pool, 8, sizeof(ne_event_t));
    return g;
}

/* The one date a neighbour query returns, cut to `len` ("YYYY-MM" is 7). */
static apr_status_t ne_list_neighbour(ne_store_t *st, apr_pool_t *pool, const char *label,
                                      const char *date, apr_size_t len, const char **out)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, label, &res, 1, date);

    *out = NULL;
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        *out = ne_text_clean(pool, apr_pstrndup(pool, ne_db_col(st, pool, row, 0), len));
    }
    return rv;
}

static apr_status_t ne_list_neighbours(ne_store_t *st, apr_pool_t *pool, ne_list_t *l,
                                       const char *first, const char *last, apr_size_t len)
{
    apr_status_t rv = ne_list_neighbour(st, pool, "newsevent_days_before", first, len,
                                        &l->prev);
    return rv != APR_SUCCESS ? rv
           : ne_list_neighbour(st, pool, "newsevent_days_after", last, len, &l->next);
}

/* Events of one day in import order, grouped by category in order of first
 * appearance. */
static void ne_list_by_category(ne_list_t *l, apr_pool_t *pool, apr_array_header_t *events)
{
    apr_hash_t *groups = apr_hash_make(pool);
    int i;

    for (i = 0; i < events->nelts; i++) {
        ne_event_t *ev = &APR_ARRAY_IDX(events, i, ne_event_t);
        ne_group_t *g = apr_hash_get(groups, ev->category, APR_HASH_KEY_STRING);
        if (g == NULL) {
            g = ne_list_group(l, pool, ev->category, 0);
            apr_hash_set(groups, ev->category, APR_HASH_KEY_STRING, g);
        }
        *(ne_event_t *)apr_array_push(g->events) = *ev;
        g->count++;
    }
}

/* Events in date order, one group per date (appended to the last group
 * when it has the same date). */
static void ne_list_by_date(ne_list_t *l, apr_pool_t *pool, apr_array_header_t *events)
{
    ne_group_t *g = NULL;
    int i;

    for (i = 0; i < events->nelts; i++) {
        ne_event_t *ev = &APR_ARRAY_IDX(events, i, ne_event_t);
        if (g == NULL || strcmp(g->key, ev->date) != 0) {
            g = ne_list_group(l, pool, ev->date, 0);
        }
        *(ne_event_t *)apr_array_push(g->events) = *ev;
        g->count++;
    }
}

/* A day's first `limit` events, in import order, and how many it has. */
static apr_status_t ne_list_day_events(ne_store_t *st, apr_pool_t *pool, const char *date,
                                       int limit, apr_array_header_t *events, int *count)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_day", &res, 2, date,
                                   apr_itoa(pool, limit));

    if (rv == APR_SUCCESS) {
        rv = ne_db_events(st, pool, res, events);
    }
    *count = events->nelts;
    if (rv == APR_SUCCESS && events->nelts >= limit) {
        rv = ne_db_select(st, pool, "newsevent_day_count", &res, 1, date);
        while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
            *count = atoi(ne_db_col(st, pool, row, 0));
        }
    }
    return rv;
}

static apr_status_t ne_list_day(ne_store_t *st, apr_pool_t *pool, ne_list_t *l,
                                const ne_list_query_t *q)
{
    apr_array_header_t *events = apr_array_make(pool, 32, sizeof(ne_event_t));
    apr_status_t rv = ne_list_day_events(st, pool, l->key, q->limit, events, &l->total);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (events->nelts == 0) {
        return APR_ENOENT;
    }
    ne_list_by_category(l, pool, events);
    l->shown = events->nelts;
    return ne_list_neighbours(st, pool, l, l->key, l->key, 10);
}

/* The days (and event counts) from first to last. */
static apr_status_t ne_list_days(ne_store_t *st, apr_pool_t *pool, const char *first,
                                 const char *last, apr_array_header_t *days, int *total)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_days_range", &res, 2, first, last);

    *total = 0;
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        ne_group_t *g = apr_array_push(days);
        g->key = ne_db_col(st, pool, row, 0);
        g->count = atoi(ne_db_col(st, pool, row, 1));
        g->events = NULL;
        *total += g->count;
    }
    return rv;
}

/* Set the page count from the total; APR_ENOENT past the last page. */
static apr_status_t ne_list_paging(ne_list_t *l, const ne_list_query_t *q)
{
    int size = q->page_size > 0 ? q->page_size : 1;

    l->page = q->page > 0 ? q->page : 1;
    l->pages = (l->total + size - 1) / size;
    return (l->total == 0 || l->page > l->pages) ? APR_ENOENT : APR_SUCCESS;
}

static apr_status_t ne_list_month(ne_store_t *st, apr_pool_t *pool, ne_list_t *l,
                                  const ne_list_query_t *q)
{
    const char *first = apr_pstrcat(pool, l->key, "-01", NULL);
    const char *last = apr_pstrcat(pool, l->key, "-31", NULL);
    apr_array_header_t *days = apr_array_make(pool, 31, sizeof(ne_group_t));
    apr_array_header_t *events = apr_array_make(pool, q->page_size, sizeof(ne_event_t));
    apr_dbd_results_t *res;
    apr_status_t rv = ne_list_days(st, pool, first, last, days, &l->total);

    if (rv != APR_SUCCESS || (rv = ne_list_paging(l, q)) != APR_SUCCESS) {
        return rv;
    }
    rv = ne_db_select(st, pool, "newsevent_range_page", &res, 4, first, last,
                      apr_itoa(pool, q->page_size),
                         apr_itoa(pool, (l->page - 1) * q->page_size));
    if (rv != APR_SUCCESS || (rv = ne_db_events(st, pool, res, events)) != APR_SUCCESS) {
        return rv;
    }
    ne_list_by_date(l, pool, events);
    l->shown = events->nelts;
    return ne_list_neighbours(st, pool, l, first, last, 7);
}

static apr_status_t ne_list_year(ne_store_t *st, apr_pool_t *pool, ne_list_t *l)
{
    const char *first = apr_pstrcat(pool, l->key, "-01-01", NULL);
    const char *last = apr_pstrcat(pool, l->key, "-12-31", NULL);
    apr_array_header_t *days = apr_array_make(pool, 366, sizeof(ne_group_t));
    ne_group_t *month = NULL;
    apr_status_t rv = ne_list_days(st, pool, first, last, days, &l->total);
    int i;

    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (l->total == 0) {
        return APR_ENOENT;
    }
    for (i = 0; i < days->nelts; i++) {
        const ne_group_t *d = &APR_ARRAY_IDX(days, i, ne_group_t);
        if (month == NULL || strncmp(month->key, d->key, 7) != 0) {
            month = ne_list_group(l, pool, ne_text_clean(pool, apr_pstrndup(pool, d->key, 7)), 0);
            month->events = NULL;
        }
        month->count += d->count;
    }
    return ne_list_neighbours(st, pool, l, first, last, 4);
}

static apr_status_t ne_list_front(ne_store_t *st, apr_pool_t *pool, ne_list_t *l,
                                  const ne_list_query_t *q)
{
    apr_array_header_t *days = apr_array_make(pool, q->front_days, sizeof(const char *));
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_days_latest", &res, 1,
                                   apr_itoa(pool, q->front_days));
    int i;

    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        APR_ARRAY_PUSH(days, const char *) = ne_db_col(st, pool, row, 0);
    }
    for (i = 0; rv == APR_SUCCESS && i < days->nelts && l->shown < q->limit; i++) {
        ne_group_t *g = ne_list_group(l, pool, APR_ARRAY_IDX(days, i, const char *), 0);
        rv = ne_list_day_events(st, pool, g->key, q->limit - l->shown, g->events, &g->count);
        l->total += g->count;
        l->shown += g->events->nelts;
    }
    return rv != APR_SUCCESS ? rv : l->total == 0 ? APR_ENOENT : APR_SUCCESS;
}

static apr_status_t ne_list_topic_row(ne_store_t *st, apr_pool_t *pool, const char *slug,
                                      const char **id, const char **name, int *events)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_topic", &res, 1, slug);

    *id = NULL;
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        *id = ne_db_col(st, pool, row, 0);
        *name = ne_db_col(st, pool, row, 1);
        *events = atoi(ne_db_col(st, pool, row, 3));
    }
    return rv != APR_SUCCESS ? rv : (*id == NULL || *events <= 0) ? APR_ENOENT : APR_SUCCESS;
}

static apr_status_t ne_list_topic(ne_store_t *st, apr_pool_t *pool, ne_list_t *l,
                                  const ne_list_query_t *q)
{
    ne_group_t *g;
    apr_dbd_results_t *res;
    const char *id;
    apr_status_t rv = ne_list_topic_row(st, pool, l->key, &id, &l->name, &l->total);

    if (rv != APR_SUCCESS || (rv = ne_list_paging(l, q)) != APR_SUCCESS) {
        return rv;
    }
    g = ne_list_group(l, pool, "", 0);
    rv = ne_db_select(st, pool, "newsevent_topic_page", &res, 3, id,
                      apr_itoa(pool, q->page_size),
                         apr_itoa(pool, (l->page - 1) * q->page_size));
    if (rv != APR_SUCCESS || (rv = ne_db_events(st, pool, res, g->events)) != APR_SUCCESS) {
        return rv;
    }
    g->count = l->shown = g->events->nelts;
    return ne_store_companions(st, pool, id, &l->topics);
}

apr_status_t ne_store_list(ne_store_t *st, apr_pool_t *pool, const ne_list_query_t *q,
                           ne_list_t **out)
{
    ne_list_t *l = ne_list_make(pool, q);
    apr_status_t rv;

    switch (q->kind) {
    case NE_LIST_DAY: rv = ne_list_day(st, pool, l, q); break;
    case NE_LIST_MONTH: rv = ne_list_month(st, pool, l, q); break;
    case NE_LIST_YEAR: rv = ne_list_year(st, pool, l); break;
    case NE_LIST_FRONT: rv = ne_list_front(st, pool, l, q); break;
    default: rv = ne_list_topic(st, pool, l, q); break;
    }
    if (rv == APR_SUCCESS) {
        *out = l;
    }
    return rv;
}

apr_status_t ne_store_latest(ne_store_t *st, apr_pool_t *pool, const char *topic,
                             int limit, const char **name, apr_array_header_t **out)
{
    apr_dbd_results_t *res;
    const char *id;
    int events;
    apr_status_t rv;

    *out = apr_array_make(pool, limit, sizeof(ne_event_t));
    if (topic == NULL) {
        rv = ne_db_select(st, pool, "newsevent_latest", &res, 1, apr_itoa(pool, limit));
    }
    else if ((rv = ne_list_topic_row(st, pool, topic, &id, name, &events)) == APR_SUCCESS) {
        rv = ne_db_select(st, pool, "newsevent_topic_page", &res, 3, id,
                          apr_itoa(pool, limit), "0");
    }
    return rv != APR_SUCCESS ? rv : ne_db_events(st, pool, res, *out);
}

apr_status_t ne_store_sitemap(ne_store_t *st, apr_pool_t *pool, const char *month,
                              ne_sitemap_t **out)
{
    ne_sitemap_t *sm = apr_pcalloc(pool, sizeof(*sm));
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv;

    sm->month = month;
    if (month == NULL) {
        sm->months = apr_array_make(pool, 64, sizeof(const char *));
        rv = ne_db_select(st, pool, "newsevent_sitemap_months", &res, 0);
        while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
            APR_ARRAY_PUSH(sm->months, const char *) = ne_db_col(st, pool, row, 0);
        }
    }
    else {
        sm->events = apr_array_make(pool, 1024, sizeof(ne_event_t));
        rv = ne_db_select(st, pool, "newsevent_sitemap_month", &res, 3,
                          apr_pstrcat(pool, month, "-01", NULL),
                          apr_pstrcat(pool, month, "-31", NULL),
                          apr_itoa(pool, NE_SITEMAP_MAX));
        while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
            ne_event_t *ev = apr_array_push(sm->events);
            memset(ev, 0, sizeof(*ev));
            ev->date = ne_db_col(st, pool, row, 0);
            ev->slug = ne_db_col(st, pool, row, 1);
            ev->updated = ne_db_col(st, pool, row, 2);
        }
        if (rv == APR_SUCCESS && sm->events->nelts == 0) {
            return APR_ENOENT;
        }
    }
    *out = sm;
    return rv;
}
