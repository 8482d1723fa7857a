/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_related: an event's related events (docs/design.md, "Related
 * events"): the other events sharing its topics, most shared first, then
 * nearest in time, then newest, each with the shared topics as its
 * context. The statements are newsevent_topic_windows and
 * newsevent_related_fill (ne_store_stmts.c). */
#include "ne_store.h"
#include "ne_store_db.h"
#include "ne_i64map.h"
#include "ne_derive.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

/* A usual event's candidates: about 560 window rows (four topics). */
#define NE_CANDIDATES_HINT 600

/* A candidate related event, found through some of this event's topics. */
typedef struct ne_candidate {
    apr_int64_t id;
    long day;
    int shared;
    ne_related_t *rel;      /* once chosen: what is shown of it */
    char *mine;             /* once chosen: which of our topics it has */
} ne_candidate_t;

/* Most shared topics first, then nearest in time, then newest. */
static int ne_related_order(const ne_candidate_t *a, const ne_candidate_t *b, long day)
{
    long da = labs(a->day - day), db = labs(b->day - day);

    if (a->shared != b->shared) {
        return b->shared - a->shared;
    }
    if (da != db) {
        return da < db ? -1 : 1;
    }
    if (a->day != b->day) {
        return a->day > b->day ? -1 : 1;
    }
    return a->id > b->id ? -1 : a->id < b->id;
}

/* Count a window's rows into cands (id -> ne_candidate_t). A row's day is
 * read once, for a new candidate. */
static void ne_related_count(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                             apr_int64_t self, ne_i64map_t *cands)
{
    apr_dbd_row_t *row = NULL;

    while (ne_db_row(st, pool, res, &row)) {
        apr_int64_t id = ne_db_int(st, row, 0);
        ne_candidate_t *c;
        if (id == self) {
            continue;
        }
        if ((c = ne_i64map_get(cands, id)) == NULL) {
            c = apr_pcalloc(pool, sizeof(*c));
            c->id = id;
            c->day = (long)ne_db_int(st, row, 1);
            ne_i64map_add(cands, id, c);
        }
        c->shared++;
    }
}

/* Collect the events near `day` in each of ev's first NE_RELATED_TOPICS
 * topics, NE_WINDOW_TOPICS topics a statement (a missing one is topic 0,
 * which has none). */
static apr_status_t ne_related_candidates(ne_store_t *st, apr_pool_t *pool,
                                          const ne_event_t *ev, long day, ne_i64map_t *cands)
{
    const char *day_s = apr_ltoa(pool, day), *window = apr_itoa(pool, NE_RELATED_WINDOW);
    int n = ev->topics->nelts < NE_RELATED_TOPICS ? ev->topics->nelts : NE_RELATED_TOPICS;
    apr_int64_t self = apr_atoi64(ev->id);
    int i, j;

    for (i = 0; i < n; i += NE_WINDOW_TOPICS) {
        const char *a[NE_WINDOW_TOPICS * 6];
        apr_dbd_results_t *res;
        apr_status_t rv;
        for (j = 0; j < NE_WINDOW_TOPICS; j++) {
            const char *topic = i + j < n ? APR_ARRAY_IDX(ev->topics, i + j, ne_topic_t).id
                                          : "0";
            a[6 * j] = a[6 * j + 3] = topic;
            a[6 * j + 1] = a[6 * j + 4] = day_s;
            a[6 * j + 2] = a[6 * j + 5] = window;
        }
        rv = ne_db_selectv(st, pool, "newsevent_topic_windows", &res,
                           NE_WINDOW_TOPICS * 6, a);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        ne_related_count(st, pool, res, self, cands);
    }
    return APR_SUCCESS;
}

/* The best `max` candidates, in order: a partial selection sort, as max
 * is small and the candidates are at most a few thousand. */
static void ne_related_best(const ne_i64map_t *cands, long day, int max,
                            apr_array_header_t *best)
{
    apr_array_header_t *values = ne_i64map_values(cands);
    ne_candidate_t **all = (ne_candidate_t **)values->elts;
    int n = values->nelts, i, j;

    for (i = 0; i < n && i < max; i++) {
        int top = i;
        ne_candidate_t *t;
        for (j = i + 1; j < n; j++) {
            if (ne_related_order(all[j], all[top], day) < 0) {
                top = j;
            }
        }
        t = all[i]; all[i] = all[top]; all[top] = t;
        APR_ARRAY_PUSH(best, ne_candidate_t *) = all[i];
    }
}

/* Read the chosen candidates, NE_FILL_EVENTS a statement: their date,
 * slug and headline, and which of ev's topics each has (`topic_index`
 * maps a topic id to its 1-based place in ev's order). */
static apr_status_t ne_related_fill(ne_store_t *st, apr_pool_t *pool, const ne_event_t *ev,
                                    apr_array_header_t *best, apr_hash_t *chosen)
{
    apr_hash_t *topic_index = apr_hash_make(pool);
    int i, j;

    for (i = 0; i < ev->topics->nelts; i++) {
        apr_int64_t *t = apr_palloc(pool, sizeof(*t));
        *t = apr_atoi64(APR_ARRAY_IDX(ev->topics, i, ne_topic_t).id);
        apr_hash_set(topic_index, t, sizeof(*t), (void *)(apr_uintptr_t)(i + 1));
    }
    for (i = 0; i < best->nelts; i += NE_FILL_EVENTS) {
        const char *a[NE_FILL_EVENTS];
        apr_dbd_results_t *res;
        apr_dbd_row_t *row = NULL;
        apr_status_t rv;
        for (j = 0; j < NE_FILL_EVENTS; j++) {
            a[j] = i + j < best->nelts
                   ? apr_psprintf(pool, "%" APR_INT64_T_FMT,
                                  APR_ARRAY_IDX(best, i + j, ne_candidate_t *)->id)
                   : "0";
        }
        if ((rv = ne_db_selectv(st, pool, "newsevent_related_fill", &res, NE_FILL_EVENTS,
                                a)) != APR_SUCCESS) {
            return rv;
        }
        while (ne_db_row(st, pool, res, &row)) {
            apr_int64_t id = ne_db_int(st, row, 0), topic = ne_db_int(st, row, 4);
            ne_candidate_t *c = apr_hash_get(chosen, &id, sizeof(id));
            int at = (int)(apr_uintptr_t)apr_hash_get(topic_index, &topic, sizeof(topic));
            if (c == NULL) {
                continue;
            }
            if (c->rel->slug == NULL) {
                c->rel->date = ne_db_col(st, pool, row, 1);
                c->rel->slug = ne_db_col(st, pool, row, 2);
                c->rel->headline = ne_db_col(st, pool, row, 3);
            }
            if (at > 0) {
                c->mine[at - 1] = 1;
            }
        }
    }
    return APR_SUCCESS;
}

/* Each chosen one's context, its exact shared count, and the final order
 * (exact counts may reorder the few chosen: an insertion sort). */
static void ne_related_finish(apr_pool_t *pool, ne_event_t *ev, apr_array_header_t *best,
                              long day, int max)
{
    int i, j;

    for (i = 0; i < best->nelts; i++) {
        ne_candidate_t *c = APR_ARRAY_IDX(best, i, ne_candidate_t *);
        c->rel->context = apr_array_make(pool, 4, sizeof(const char *));
        for (j = 0; j < ev->topics->nelts; j++) {
            if (c->mine[j]) {
                APR_ARRAY_PUSH(c->rel->context, const char *) =
                    APR_ARRAY_IDX(ev->topics, j, ne_topic_t).name;
            }
        }
        c->shared = c->rel->context->nelts;
        for (j = i; j > 0 && ne_related_order(c, APR_ARRAY_IDX(best, j - 1, ne_candidate_t *),
                                              day) < 0; j--) {
            APR_ARRAY_IDX(best, j, ne_candidate_t *) = APR_ARRAY_IDX(best, j - 1,
                                                                     ne_candidate_t *);
        }
        APR_ARRAY_IDX(best, j, ne_candidate_t *) = c;
    }
    for (i = 0; i < best->nelts; i++) {
        ne_candidate_t *c = APR_ARRAY_IDX(best, i, ne_candidate_t *);
        if (c->rel->slug != NULL && ev->related->nelts < max) {  /* deleted meanwhile:
                                                                   left out */
            APR_ARRAY_PUSH(ev->related, ne_related_t) = *c->rel;
        }
    }
}

/* Related events: candidates come from bounded windows of each topic's
 * events around this event's day (index ranges, whatever a topic's size),
 * through its first NE_RELATED_TOPICS topics; the best are then read with
 * their exact shared topics. An event that shares only topics of more than
 * 2 x NE_RELATED_WINDOW events, and lies outside each of their windows, is
 * not found. Two statements for most events. The best NE_RELATED_STORED
 * (or max, if more) are chosen, then ordered, then the first max shown: so
 * that a stored list's first max are what this gives (ne_derive.c). */
apr_status_t ne_store_related_computed(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev,
                                     long day, int max)
{
    int pick = max > NE_RELATED_STORED ? max : NE_RELATED_STORED;
    apr_hash_t *chosen = apr_hash_make(pool);
    ne_i64map_t *cands = ne_i64map_make(pool, NE_CANDIDATES_HINT);
    apr_array_header_t *best = apr_array_make(pool, pick, sizeof(ne_candidate_t *));
    apr_status_t rv;
    int i;

    ev->related = apr_array_make(pool, max > 0 ? max : 1, sizeof(ne_related_t));
    if (max <= 0 || ev->topics->nelts == 0) {
        return APR_SUCCESS;
    }
    if ((rv = ne_related_candidates(st, pool, ev, day, cands)) != APR_SUCCESS) {
        return rv;
    }
    ne_related_best(cands, day, pick, best);
    for (i = 0; i < best->nelts; i++) {
        ne_candidate_t *c = APR_ARRAY_IDX(best, i, ne_candidate_t *);
        c->rel = apr_pcalloc(pool, sizeof(*c->rel));
        c->rel->id = c->id;
        c->mine = apr_pcalloc(pool, ev->topics->nelts);
        apr_hash_set(chosen, &c->id, sizeof(c->id), c);
    }
    if ((rv = ne_related_fill(st, pool, ev, best, chosen)) != APR_SUCCESS) {
        return rv;
    }
    ne_related_finish(pool, ev, best, day, max);
    return APR_SUCCESS;
}
