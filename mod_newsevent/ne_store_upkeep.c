/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_upkeep: derived data kept when the archive changes (docs/design.md,
 * "Derived data"). A change to an event notes, before and after, its day
 * and topics, and the events near it in each of its topics: only their
 * windows can hold it, so only their related lists can change; and its
 * topics, whose companions can. At the end of the transaction those are
 * made again by the read-time rule itself (ne_store_related_computed), or,
 * past NE_UPKEEP_CHANGES changes, all of them in memory (ne_derive.c). */
#include "ne_store_write.h"
#include "ne_store_db.h"
#include "ne_derive.h"
#include "ne_i64map.h"
#include "ne_buf.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>

/* Threads at most for all the lists at once. */
#define NE_DERIVE_THREADS 8
/* Lists written by one statement. */
#define NE_UPKEEP_BATCH 1000

/* What one state of an event touches. */
typedef struct ne_touch {
    const char *sig;              /* its day and topics, in order ("" if none) */
    apr_array_header_t *events;   /* apr_int64_t: events whose windows can hold it */
    apr_array_header_t *topics;   /* apr_int64_t: its topics */
} ne_touch_t;

struct ne_upkeep {
    apr_pool_t *pool;             /* the writer's */
    ne_i64map_t *events, *topics; /* touched: id -> its own apr_int64_t */
    apr_hash_t *pending;          /* event id -> ne_touch_t: its state before */
    int changes;
};

/* An event's topic links: their ids (in its order) and its day. */
static apr_status_t ne_upkeep_links(ne_store_t *st, apr_pool_t *pool, const char *id,
                                    apr_array_header_t **topics, int *day)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_u_signature", &res, 1, id);

    *topics = apr_array_make(pool, 8, sizeof(apr_int64_t));
    *day = 0;
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        APR_ARRAY_PUSH(*topics, apr_int64_t) = ne_db_int(st, row, 0);
        *day = (int)ne_db_int(st, row, 1);
    }
    return rv;
}

/* The events near event id (on `day`) in topic t. */
static apr_status_t ne_upkeep_near(ne_store_t *st, apr_pool_t *pool, const char *id, int day,
                                   apr_int64_t t, apr_array_header_t *into)
{
    const char *topic = apr_psprintf(pool, "%" APR_INT64_T_FMT, t), *d = apr_itoa(pool, day);
    const char *args[7] = {topic, topic, d, id, topic, d, id};
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_selectv(st, pool, "newsevent_u_near", &res, 7, args);

    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        APR_ARRAY_PUSH(into, apr_int64_t) = ne_db_int(st, row, 0);
    }
    return rv;
}

static apr_status_t ne_upkeep_touch(ne_store_t *st, apr_pool_t *pool, const char *id,
                                    ne_touch_t **out)
{
    ne_touch_t *t = apr_pcalloc(pool, sizeof(*t));
    apr_status_t rv;
    int day, i;

    if ((rv = ne_upkeep_links(st, pool, id, &t->topics, &day)) != APR_SUCCESS) {
        return rv;
    }
    t->events = apr_array_make(pool, 256, sizeof(apr_int64_t));
    t->sig = apr_itoa(pool, day);
    for (i = 0; i < t->topics->nelts && rv == APR_SUCCESS; i++) {
        apr_int64_t topic = APR_ARRAY_IDX(t->topics, i, apr_int64_t);
        t->sig = apr_psprintf(pool, "%s,%" APR_INT64_T_FMT, t->sig, topic);
        rv = ne_upkeep_near(st, pool, id, day, topic, t->events);
    }
    if (t->topics->nelts == 0) {
        t->sig = "";
    }
    *out = t;
    return rv;
}

static void ne_upkeep_add(struct ne_upkeep *u, ne_i64map_t *set, apr_int64_t id)
{
    if (ne_i64map_get(set, id) == NULL) {
        apr_int64_t *v = apr_palloc(u->pool, sizeof(*v));
        *v = id;
        ne_i64map_add(set, id, v);
    }
}

static void ne_upkeep_merge(struct ne_upkeep *u, const ne_touch_t *t)
{
    int i;

    for (i = 0; t != NULL && i < t->events->nelts; i++) {
        ne_upkeep_add(u, u->events, APR_ARRAY_IDX(t->events, i, apr_int64_t));
    }
    for (i = 0; t != NULL && i < t->topics->nelts; i++) {
        ne_upkeep_add(u, u->topics, APR_ARRAY_IDX(t->topics, i, apr_int64_t));
    }
}

/* The writer's upkeep, made on its first change; NULL once it has given
 * way to making everything again. */
static struct ne_upkeep *ne_upkeep_of(ne_writer_t *w, int counts)
{
    struct ne_upkeep *u = w->upkeep;

    if (w->derive_all) {
        return NULL;
    }
    if (u == NULL) {
        apr_pool_t *pool = apr_hash_pool_get(w->topic_ids);
        u = w->upkeep = apr_pcalloc(pool, sizeof(*u));
        u->pool = pool;
        u->events = ne_i64map_make(pool, 1024);
        u->topics = ne_i64map_make(pool, 64);
        u->pending = apr_hash_make(pool);
    }
    if (counts && ++u->changes > NE_UPKEEP_CHANGES) {
        w->derive_all = 1;
        return NULL;
    }
    return u;
}

apr_status_t ne_store_upkeep_before(ne_writer_t *w, const char *id)
{
    struct ne_upkeep *u = w->upkeep;
    ne_touch_t *t;
    apr_status_t rv;

    if ((u != NULL && apr_hash_get(u->pending, id, APR_HASH_KEY_STRING) != NULL)
        || (u = ne_upkeep_of(w, 1)) == NULL) {
        return APR_SUCCESS;          /* its state before is noted, or not needed */
    }
    if ((rv = ne_upkeep_touch(w->st, u->pool, id, &t)) != APR_SUCCESS) {
        return rv;
    }
    apr_hash_set(u->pending, apr_pstrdup(u->pool, id), APR_HASH_KEY_STRING, t);
    return APR_SUCCESS;
}

apr_status_t ne_store_upkeep_after(ne_writer_t *w, const char *id)
{
    struct ne_upkeep *u = w->upkeep;
    ne_touch_t *before = u ? apr_hash_get(u->pending, id, APR_HASH_KEY_STRING) : NULL;
    ne_touch_t *after;
    apr_status_t rv;

    if ((u = ne_upkeep_of(w, before == NULL)) == NULL) {
        return APR_SUCCESS;
    }
    apr_hash_set(u->pending, id, APR_HASH_KEY_STRING, NULL);
    if ((rv = ne_upkeep_touch(w->st, u->pool, id, &after)) != APR_SUCCESS) {
        return rv;
    }
    if (before != NULL && strcmp(before->sig, after->sig) == 0) {
        return APR_SUCCESS;          /* its day and topics are as they were */
    }
    ne_upkeep_merge(u, before);
    ne_upkeep_merge(u, after);
    ne_upkeep_add(u, u->events, apr_atoi64(id));
    return APR_SUCCESS;
}

/* Lists going into the store, NE_UPKEEP_BATCH a statement, as a JSON array
 * of [id, "list"] (lists hold only digits and ":.,"). */
typedef struct ne_batch {
    ne_store_t *st;
    const char *label;
    apr_pool_t *pool;            /* cleared at each statement */
    ne_buf_t *json;
    int n;
} ne_batch_t;

static void ne_batch_init(ne_batch_t *b, ne_store_t *st, apr_pool_t *pool, const char *label)
{
    b->st = st;
    b->label = label;
    apr_pool_create(&b->pool, pool);
    b->json = ne_buf_make(b->pool, 64 * 1024);
    b->n = 0;
}

static apr_status_t ne_batch_flush(ne_batch_t *b)
{
    const char *json;
    apr_status_t rv;

    if (b->n == 0) {
        return APR_SUCCESS;
    }
    ne_buf_putc(b->json, ']');
    json = ne_buf_str(b->json);
    rv = ne_db_exec(b->st, b->pool, b->label, 1, &json);
    apr_pool_clear(b->pool);
    b->json = ne_buf_make(b->pool, 64 * 1024);
    b->n = 0;
    return rv;
}

static apr_status_t ne_batch_add(ne_batch_t *b, apr_int64_t id, const char *list)
{
    char num[24];

    ne_buf_putc(b->json, b->n ? ',' : '[');
    ne_buf_putc(b->json, '[');
    ne_buf_add(b->json, num, (apr_size_t)(ne_derived_digits(num, id) - num));
    ne_buf_puts(b->json, ",\"");
    ne_buf_puts(b->json, list);
    ne_buf_puts(b->json, "\"]");
    return ++b->n < NE_UPKEEP_BATCH ? APR_SUCCESS : ne_batch_flush(b);
}

/* Event id's related list by the read-time rule, in stored form; NULL for
 * an event without topics (or none at all). Its topics are named by their
 * places, which the context then gives back. */
static apr_status_t ne_upkeep_related(ne_store_t *st, apr_pool_t *pool, const char *id,
                                      const char **text)
{
    ne_event_t ev;
    apr_array_header_t *topics;
    apr_status_t rv;
    int day, i, k;

    *text = NULL;
    if ((rv = ne_upkeep_links(st, pool, id, &topics, &day)) != APR_SUCCESS
        || topics->nelts == 0) {
        return rv;
    }
    memset(&ev, 0, sizeof(ev));
    ev.id = id;
    ev.topics = apr_array_make(pool, topics->nelts, sizeof(ne_topic_t));
    for (i = 0; i < topics->nelts; i++) {
        ne_topic_t *t = apr_array_push(ev.topics);
        t->name = apr_itoa(pool, i + 1);
        t->slug = "";
        t->id = apr_psprintf(pool, "%" APR_INT64_T_FMT, APR_ARRAY_IDX(topics, i, apr_int64_t));
    }
    if ((rv = ne_store_related_computed(st, pool, &ev, day, NE_RELATED_STORED))
        != APR_SUCCESS) {
        return rv;
    }
    *text = "";
    for (i = 0; i < ev.related->nelts; i++) {
        const ne_related_t *rel = &APR_ARRAY_IDX(ev.related, i, ne_related_t);
        ne_derived_item_t it;
        it.id = rel->id;
        it.n = rel->context->nelts;
        it.places = apr_palloc(pool, sizeof(int) * (it.n + 1));
        for (k = 0; k < it.n; k++) {
            it.places[k] = atoi(APR_ARRAY_IDX(rel->context, k, const char *));
        }
        ne_derived_put(pool, text, &it, 1);
    }
    return APR_SUCCESS;
}

/* Topic id's companions by the read-time statement, in stored form; NULL
 * for none (no row is kept for an empty list). */
static apr_status_t ne_upkeep_companions(ne_store_t *st, apr_pool_t *pool, const char *id,
                                         const char **text)
{
    apr_array_header_t *found;
    apr_status_t rv = ne_store_companions_computed(st, pool, id, &found);
    int i;

    *text = NULL;
    for (i = 0; rv == APR_SUCCESS && i < found->nelts; i++) {
        const ne_topic_count_t *t = &APR_ARRAY_IDX(found, i, ne_topic_count_t);
        ne_derived_item_t it;
        it.id = t->id;
        it.n = t->count;
        it.places = NULL;
        if (*text == NULL) {
            *text = "";
        }
        ne_derived_put(pool, text, &it, 0);
    }
    return rv;
}

/* Make the lists of a touched set again: each one's is put, or its row
 * dropped when it has none. */
static apr_status_t ne_upkeep_redo(ne_store_t *st, apr_pool_t *pool, ne_i64map_t *set,
                                   int topics)
{
    apr_array_header_t *ids = ne_i64map_values(set);
    ne_batch_t b;
    apr_status_t rv = APR_SUCCESS;
    int i;

    ne_batch_init(&b, st, pool, topics ? "newsevent_u_put_companions"
                                       : "newsevent_u_put_related");
    for (i = 0; i < ids->nelts && rv == APR_SUCCESS; i++) {
        apr_int64_t id = *APR_ARRAY_IDX(ids, i, apr_int64_t *);
        const char *key = apr_psprintf(b.pool, "%" APR_INT64_T_FMT, id), *text;
        rv = topics ? ne_upkeep_companions(st, b.pool, key, &text)
                    : ne_upkeep_related(st, b.pool, key, &text);
        if (rv == APR_SUCCESS) {
            rv = text != NULL ? ne_batch_add(&b, id, text)
                 : ne_db_exec(st, b.pool, topics ? "newsevent_u_drop_companions"
                                                 : "newsevent_u_drop_related", 1, &key);
        }
    }
    if (rv == APR_SUCCESS) {
        rv = ne_batch_flush(&b);
    }
    apr_pool_destroy(b.pool);
    return rv;
}

apr_status_t ne_store_upkeep_apply(ne_writer_t *w, apr_pool_t *pool)
{
    struct ne_upkeep *u = w->upkeep;
    apr_status_t rv;

    if (w->derive_all) {
        return ne_store_derive_all(w->st, pool, w->threads);
    }
    if (u == NULL) {
        return APR_SUCCESS;
    }
    if ((rv = ne_upkeep_redo(w->st, pool, u->events, 0)) != APR_SUCCESS
        || (rv = ne_upkeep_redo(w->st, pool, u->topics, 1)) != APR_SUCCESS) {
        return rv;
    }
    w->upkeep = NULL;                /* done: a next change starts afresh */
    return APR_SUCCESS;
}

/* Every topic link of the store. */
static apr_status_t ne_upkeep_all_links(ne_store_t *st, apr_pool_t *pool,
                                        apr_array_header_t **links)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_u_links", &res, 0);

    *links = apr_array_make(pool, 1 << 16, sizeof(ne_link_t));
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        ne_link_t *l = apr_array_push(*links);
        l->topic = ne_db_int(st, row, 0);
        l->event = ne_db_int(st, row, 1);
        l->day = (int)ne_db_int(st, row, 2);
        l->pos = (int)ne_db_int(st, row, 3);
    }
    return rv;
}

/* One thread's share of the related lists: events [from, to). */
typedef struct ne_derive_job {
    ne_derive_t *d;              /* a fork of its own */
    apr_pool_t *pool;            /* with an allocator of its own */
    int from, to;
    const char **lists;          /* every event's, each job filling its range */
} ne_derive_job_t;

static void ne_derive_job_run(ne_derive_job_t *job)
{
    int i;

    for (i = job->from; i < job->to; i++) {
        job->lists[i] = ne_derive_related(job->d, job->pool, i);
    }
}

/* A job's pool, whose lists are written by then, goes with the caller's. */
static apr_status_t ne_derive_job_done(void *pool)
{
    apr_pool_destroy(pool);
    return APR_SUCCESS;
}

static void *APR_THREAD_FUNC ne_derive_job_thread(apr_thread_t *th, void *data)
{
    ne_derive_job_run(data);
    apr_thread_exit(th, APR_SUCCESS);
    return NULL;
}

/* Every event's related list, on `threads` threads (this one among them):
 * the derivation is only read, each thread counting in its own fork. */
static const char **ne_derive_all_related(ne_derive_t *d, apr_pool_t *pool, int threads)
{
    int n = ne_derive_events(d), k;
    const char **lists = apr_pcalloc(pool, sizeof(const char *) * (n + 1));
    ne_derive_job_t jobs[NE_DERIVE_THREADS];
    apr_thread_t *th[NE_DERIVE_THREADS];

    threads = threads < 1 ? 1 : threads > NE_DERIVE_THREADS ? NE_DERIVE_THREADS : threads;
    for (k = 0; k < threads; k++) {
        apr_pool_create_unmanaged_ex(&jobs[k].pool, NULL, NULL);
        jobs[k].d = ne_derive_fork(d, jobs[k].pool);
        jobs[k].from = (int)((apr_int64_t)n * k / threads);
        jobs[k].to = (int)((apr_int64_t)n * (k + 1) / threads);
        jobs[k].lists = lists;
        apr_pool_cleanup_register(pool, jobs[k].pool, ne_derive_job_done,
                                  apr_pool_cleanup_null);
        th[k] = NULL;
        if (k > 0 && apr_thread_create(&th[k], NULL, ne_derive_job_thread, &jobs[k], pool)
                     != APR_SUCCESS) {
            th[k] = NULL;             /* done here instead, after our own */
        }
    }
    ne_derive_job_run(&jobs[0]);
    for (k = 1; k < threads; k++) {
        apr_status_t trv;
        if (th[k] != NULL) {
            apr_thread_join(&trv, th[k]);
        }
        else {
            ne_derive_job_run(&jobs[k]);
        }
    }
    return lists;
}

apr_status_t ne_store_derive_all(ne_store_t *st, apr_pool_t *pool, int threads)
{
    apr_pool_t *sub;
    apr_array_header_t *links;
    const char **lists;
    ne_derive_t *d;
    ne_batch_t b;
    apr_status_t rv;
    int i;

    apr_pool_create(&sub, pool);
    if ((rv = ne_upkeep_all_links(st, sub, &links)) != APR_SUCCESS
        || (rv = ne_db_exec(st, sub, "newsevent_u_clear_related", 0, NULL)) != APR_SUCCESS
        || (rv = ne_db_exec(st, sub, "newsevent_u_clear_companions", 0, NULL))
           != APR_SUCCESS) {
        apr_pool_destroy(sub);
        return rv;
    }
    d = ne_derive_make(sub, links);
    lists = ne_derive_all_related(d, sub, threads);
    ne_batch_init(&b, st, sub, "newsevent_u_put_related");
    for (i = 0; i < ne_derive_events(d) && rv == APR_SUCCESS; i++) {
        rv = ne_batch_add(&b, ne_derive_event_id(d, i), lists[i]);
    }
    if (rv == APR_SUCCESS && (rv = ne_batch_flush(&b)) == APR_SUCCESS) {
        ne_batch_init(&b, st, sub, "newsevent_u_put_companions");
        for (i = 0; i < ne_derive_topics(d) && rv == APR_SUCCESS; i++) {
            const char *text = ne_derive_companions(d, b.pool, i);
            rv = *text ? ne_batch_add(&b, ne_derive_topic_id(d, i), text) : APR_SUCCESS;
        }
        if (rv == APR_SUCCESS) {
            rv = ne_batch_flush(&b);
        }
    }
    apr_pool_destroy(sub);
    return rv;
}

apr_status_t ne_store_derived_pair(ne_store_t *st, apr_pool_t *pool, int topic,
                                   const char *id, const char **stored,
                                   const char **computed)
{
    apr_status_t rv = ne_store_derived_text(st, pool, topic ? "newsevent_companions_list"
                                                            : "newsevent_related_list",
                                            id, stored);

    if (rv != APR_SUCCESS && rv != APR_ENOENT) {
        return rv;
    }
    return topic ? ne_upkeep_companions(st, pool, id, computed)
                 : ne_upkeep_related(st, pool, id, computed);
}
