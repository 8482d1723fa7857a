/* ne_store_related: an event's related events (SPEC section 3): the other
 * events sharing its topics, most shared first, then nearest in time, then
 * newest, each with the shared topics as its context. The statements are
 * in ne_store_read_stmts (newsevent_topic_windows, newsevent_related_fill). */
#include "ne_store.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

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

/* The candidates, by id: open addressing over a power-of-two table, and
 * in the order found (`all`). An event has hundreds of them, and apr_hash
 * cost a tenth of the request's instructions here. */
typedef struct ne_cand_set {
    ne_candidate_t **slot;
    apr_size_t mask;
    apr_array_header_t *all;        /* of ne_candidate_t * */
} ne_cand_set_t;

#define NE_CAND_SLOTS 1024          /* to start with: twice a usual event's */

static void ne_cand_init(ne_cand_set_t *set, apr_pool_t *pool)
{
    set->slot = apr_pcalloc(pool, NE_CAND_SLOTS * sizeof(*set->slot));
    set->mask = NE_CAND_SLOTS - 1;
    set->all = apr_array_make(pool, NE_CAND_SLOTS / 2, sizeof(ne_candidate_t *));
}

static ne_candidate_t **ne_cand_find(const ne_cand_set_t *set, apr_int64_t id)
{
    apr_size_t i = (apr_size_t)(((apr_uint64_t)id * APR_UINT64_C(0x9E3779B97F4A7C15)) >> 32)
                   & set->mask;

    while (set->slot[i] != NULL && set->slot[i]->id != id) {
        i = (i + 1) & set->mask;
    }
    return &set->slot[i];
}

/* The candidate `id`, added (shared 0) when new; the table doubles before
 * it is half full. */
static ne_candidate_t *ne_cand_get(ne_cand_set_t *set, apr_pool_t *pool, apr_int64_t id,
                                   long day)
{
    ne_candidate_t **at = ne_cand_find(set, id);
    int i;

    if (*at != NULL) {
        return *at;
    }
    if ((apr_size_t)(set->all->nelts + 1) * 2 > set->mask + 1) {
        set->mask = set->mask * 2 + 1;
        set->slot = apr_pcalloc(pool, (set->mask + 1) * sizeof(*set->slot));
        for (i = 0; i < set->all->nelts; i++) {
            ne_candidate_t *c = APR_ARRAY_IDX(set->all, i, ne_candidate_t *);
            *ne_cand_find(set, c->id) = c;
        }
        at = ne_cand_find(set, id);
    }
    *at = apr_pcalloc(pool, sizeof(**at));
    (*at)->id = id;
    (*at)->day = day;
    APR_ARRAY_PUSH(set->all, ne_candidate_t *) = *at;
    return *at;
}

/* Count a window's rows into cands. */
static void ne_related_count(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                             apr_int64_t self, ne_cand_set_t *cands)
{
    apr_dbd_row_t *row = NULL;

    while (ne_store_row(st, pool, res, &row)) {
        apr_int64_t id = ne_store_int(st, row, 0);
        if (id != self) {
            ne_cand_get(cands, pool, id, (long)ne_store_int(st, row, 1))->shared++;
        }
    }
}

/* Collect the events near `day` in each of ev's first NE_RELATED_TOPICS
 * topics, NE_WINDOW_TOPICS topics a statement (a missing one is topic 0,
 * which has none). */
static apr_status_t ne_related_candidates(ne_store_t *st, apr_pool_t *pool,
                                          const ne_event_t *ev, long day, ne_cand_set_t *cands)
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
        rv = ne_store_selectv(st, pool, "newsevent_topic_windows", &res,
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
static void ne_related_best(const ne_cand_set_t *cands, long day, int max,
                            apr_array_header_t *best)
{
    ne_candidate_t **all = (ne_candidate_t **)cands->all->elts;
    int n = cands->all->nelts, i, j;

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
        if ((rv = ne_store_selectv(st, pool, "newsevent_related_fill", &res, NE_FILL_EVENTS,
                                   a)) != APR_SUCCESS) {
            return rv;
        }
        while (ne_store_row(st, pool, res, &row)) {
            apr_int64_t id = ne_store_int(st, row, 0), topic = ne_store_int(st, row, 4);
            ne_candidate_t *c = apr_hash_get(chosen, &id, sizeof(id));
            int at = (int)(apr_uintptr_t)apr_hash_get(topic_index, &topic, sizeof(topic));
            if (c == NULL) {
                continue;
            }
            if (c->rel->slug == NULL) {
                c->rel->date = ne_store_col(st, pool, row, 1);
                c->rel->slug = ne_store_col(st, pool, row, 2);
                c->rel->headline = ne_store_col(st, pool, row, 3);
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
                              long day)
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
        if (c->rel->slug != NULL) {     /* deleted meanwhile: left out */
            APR_ARRAY_PUSH(ev->related, ne_related_t) = *c->rel;
        }
    }
}

/* Related events: candidates come from bounded windows of each topic's
 * events around this event's day (index ranges, whatever a topic's size),
 * through its first NE_RELATED_TOPICS topics; the best are then read with
 * their exact shared topics. An event that shares only topics of more than
 * 2 x NE_RELATED_WINDOW events, and lies outside each of their windows, is
 * not found. Two statements for most events. */
apr_status_t ne_store_related(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev,
                                     long day, int max)
{
    apr_hash_t *chosen = apr_hash_make(pool);
    ne_cand_set_t cands;
    apr_array_header_t *best = apr_array_make(pool, max > 0 ? max : 1,
                                              sizeof(ne_candidate_t *));
    apr_status_t rv;
    int i;

    ev->related = apr_array_make(pool, max > 0 ? max : 1, sizeof(ne_related_t));
    if (max <= 0 || ev->topics->nelts == 0) {
        return APR_SUCCESS;
    }
    ne_cand_init(&cands, pool);
    if ((rv = ne_related_candidates(st, pool, ev, day, &cands)) != APR_SUCCESS) {
        return rv;
    }
    ne_related_best(&cands, day, max, best);
    for (i = 0; i < best->nelts; i++) {
        ne_candidate_t *c = APR_ARRAY_IDX(best, i, ne_candidate_t *);
        c->rel = apr_pcalloc(pool, sizeof(*c->rel));
        c->mine = apr_pcalloc(pool, ev->topics->nelts);
        apr_hash_set(chosen, &c->id, sizeof(c->id), c);
    }
    if ((rv = ne_related_fill(st, pool, ev, best, chosen)) != APR_SUCCESS) {
        return rv;
    }
    ne_related_finish(pool, ev, best, day);
    return APR_SUCCESS;
}
