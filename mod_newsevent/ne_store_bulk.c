/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_bulk: PostgreSQL's import in batches. Each record's topics are
 * spelled as it comes (ne_writer_spell: a refusal names the record, before
 * anything of it is kept), then it waits; a batch is written with a few
 * statements, its rows as one JSON text each (ne_store_stmts.c,
 * ne_store_bulk_pgsql): the stored events at its keys read, each record
 * found added, updated or unchanged as ne_store_upsert would, new topics
 * and renames, changed rows, new rows in the records' order, their sources
 * and links; their index entries meanwhile computed on a second connection
 * (ne_store_bulk_index.c). */
#include "ne_store_bulk.h"
#include "ne_store_db.h"
#include "ne_buf.h"
#include "ne_record.h"

#include <string.h>
#include <apr_strings.h>

/* One record waiting in a batch. */
typedef struct ne_bulk_rec {
    ne_event_t ev;           /* a copy, its topics spelled; ev.id once written */
    const char *updated;     /* what an insert stores */
    int renames_before;      /* the batch's topic renames made before it */
    ne_event_t *old;         /* the event stored at its key, or NULL */
    ne_upsert_e what;
} ne_bulk_rec_t;

typedef struct ne_bulk_batch {
    apr_pool_t *pool;            /* the records' copies, cleared after each batch */
    apr_array_header_t *recs;    /* ne_bulk_rec_t */
    const char *now;             /* the import's time: a change's date */
    apr_size_t bytes;            /* the records' texts */
    int counts[3];               /* added, updated, unchanged so far */
    const char *params;          /* the store's, for a second connection */
    ne_bulk_aux_t *aux;          /* that connection, once opened */
} ne_bulk_batch_t;

/* The second connection, opened when a batch first has enough entries to
 * make (none for a small file); NULL when it cannot be opened. */
static ne_bulk_aux_t *ne_bulk_aux(ne_writer_t *w)
{
    ne_bulk_batch_t *b = w->bulk->batch;

    if (b->params != NULL && b->recs->nelts >= NE_BULK_AUX_MIN) {
        b->aux = ne_bulk_aux_open(w->st, apr_hash_pool_get(w->topic_ids), b->params);
        b->params = NULL;                     /* tried once */
    }
    return b->aux;
}

/* An id list as PostgreSQL's array literal: "{" id "," ... "}". */
static void ne_bulk_id(ne_buf_t *ids, const char *id)
{
    ne_buf_cat(ids, ids->len > 1 ? "," : "", id, NULL);
}

static const char *ne_bulk_ids_end(ne_buf_t *ids)
{
    ne_buf_putc(ids, '}');
    return ne_buf_str(ids);
}

/* The store's days (every one of them "y" in w->days) and topics as the
 * file began. */
static apr_status_t ne_bulk_load(ne_writer_t *w, apr_pool_t *pool)
{
    ne_store_t *st = w->st;
    apr_pool_t *hp = apr_hash_pool_get(w->topic_ids);
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_b_days", &res, 0);

    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        apr_hash_set(w->days, apr_pstrdup(hp, ne_db_col(st, pool, row, 0)),
                     APR_HASH_KEY_STRING, "y");
    }
    if (rv == APR_SUCCESS) {
        rv = ne_db_select(st, pool, "newsevent_b_topics", &res, 0);
    }
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        ne_topic_ref_t *ref = apr_pcalloc(hp, sizeof(*ref));
        ref->id = apr_pstrdup(hp, ne_db_col(st, pool, row, 1));
        ref->name = apr_pstrdup(hp, ne_db_col(st, pool, row, 2));
        apr_hash_set(w->bulk->stored_topics, apr_pstrdup(hp, ne_db_col(st, pool, row, 0)),
                     APR_HASH_KEY_STRING, ref);
    }
    return rv;
}

apr_status_t ne_store_bulk_begin(ne_writer_t *w, apr_pool_t *pool, const char *params)
{
    apr_pool_t *wp = apr_hash_pool_get(w->topic_ids);
    ne_writer_bulk_t *bk;
    apr_status_t rv;

    if (strcmp(apr_dbd_name(w->st->driver), "pgsql") != 0) {
        return APR_SUCCESS;
    }
    bk = apr_pcalloc(wp, sizeof(*bk));
    bk->stored_topics = apr_hash_make(wp);
    bk->topics_new = apr_array_make(wp, 64, sizeof(ne_topic_ref_t *));
    bk->topics_renamed = apr_array_make(wp, 8, sizeof(ne_topic_ref_t *));
    bk->batch = apr_pcalloc(wp, sizeof(*bk->batch));
    bk->batch->recs = apr_array_make(wp, NE_BULK_RECORDS, sizeof(ne_bulk_rec_t));
    apr_pool_create(&bk->batch->pool, wp);
    bk->batch->params = params ? apr_pstrdup(wp, params) : NULL;
    w->bulk = bk;
    if ((rv = ne_bulk_load(w, pool)) != APR_SUCCESS) {
        w->bulk = NULL;
    }
    return rv;
}

/* The stored events at the batch's keys whose dates had events (no other
 * can be stored), each given to its record as rec->old. */
static apr_status_t ne_bulk_find_events(ne_writer_t *w, apr_pool_t *p, apr_hash_t *by_id,
                                        ne_buf_t *ids)
{
    ne_bulk_batch_t *b = w->bulk->batch;
    ne_buf_t *keys = ne_bulk_list(p);
    apr_hash_t *by_key = apr_hash_make(p);
    apr_array_header_t *found = apr_array_make(p, 64, sizeof(ne_event_t));
    apr_dbd_results_t *res;
    apr_status_t rv;
    int i;

    for (i = 0; i < b->recs->nelts; i++) {
        ne_bulk_rec_t *r = &APR_ARRAY_IDX(b->recs, i, ne_bulk_rec_t);
        const char *known = apr_hash_get(w->days, r->ev.date, APR_HASH_KEY_STRING);
        if (known != NULL && *known == 'y') {
            ne_bulk_open(keys, 'd', r->ev.date);
            ne_bulk_field(keys, 's', r->ev.slug);
            ne_buf_putc(keys, '}');
            apr_hash_set(by_key, apr_pstrcat(p, r->ev.date, "/", r->ev.slug, NULL),
                         APR_HASH_KEY_STRING, r);
        }
    }
    if (keys->len == 1) {
        return APR_SUCCESS;
    }
    ne_buf_putc(keys, ']');
    rv = ne_db_select(w->st, p, "newsevent_b_find", &res, 1, ne_buf_str(keys));
    if (rv == APR_SUCCESS) {
        rv = ne_db_events(w->st, p, res, found);
    }
    for (i = 0; rv == APR_SUCCESS && i < found->nelts; i++) {
        ne_event_t *old = &APR_ARRAY_IDX(found, i, ne_event_t);
        ne_bulk_rec_t *r = apr_hash_get(by_key, apr_pstrcat(p, old->date, "/", old->slug,
                                                            NULL), APR_HASH_KEY_STRING);
        old->sources = apr_array_make(p, 4, sizeof(ne_source_t));
        old->topics = apr_array_make(p, 8, sizeof(ne_topic_t));
        if (r == NULL) {
            continue;                         /* not a key asked for */
        }
        r->old = old;
        apr_hash_set(by_id, old->id, APR_HASH_KEY_STRING, old);
        ne_bulk_id(ids, old->id);
    }
    return rv;
}

/* Each row's first column an event id of by_id; the rest pushed to it. */
static apr_status_t ne_bulk_find_rows(ne_writer_t *w, apr_pool_t *p, const char *label,
                                      const char *ids, apr_hash_t *by_id, ne_db_push_fn *push)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(w->st, p, label, &res, 1, ids);

    while (rv == APR_SUCCESS && ne_db_row(w->st, p, res, &row)) {
        ne_event_t *old = apr_hash_get(by_id, ne_db_col(w->st, p, row, 0), APR_HASH_KEY_STRING);
        if (old != NULL) {
            push(w->st, p, row, 1, old);
        }
    }
    return rv;
}

/* The stored events at the batch's keys, whole: three statements, none
 * when no record's date had events. */
static apr_status_t ne_bulk_find(ne_writer_t *w, apr_pool_t *p)
{
    apr_hash_t *by_id = apr_hash_make(p);
    ne_buf_t *ids = ne_buf_make(p, 4096);
    const char *list;
    apr_status_t rv;

    ne_buf_putc(ids, '{');
    if ((rv = ne_bulk_find_events(w, p, by_id, ids)) != APR_SUCCESS || ids->len == 1) {
        return rv;
    }
    list = ne_bulk_ids_end(ids);
    if ((rv = ne_bulk_find_rows(w, p, "newsevent_b_find_sources", list, by_id,
                                ne_db_push_source)) != APR_SUCCESS) {
        return rv;
    }
    return ne_bulk_find_rows(w, p, "newsevent_b_find_topics", list, by_id, ne_db_push_topic);
}

/* Added, updated or unchanged, as ne_store_upsert decides: the stored
 * event as it was read there, before its record's topic renames, so that a
 * rename shows as a change; renames by earlier records of the batch are not
 * in the store yet, and are applied to the names read. */
static apr_array_header_t *ne_bulk_classify(ne_writer_t *w, apr_pool_t *p)
{
    ne_bulk_batch_t *b = w->bulk->batch;
    apr_array_header_t *written = apr_array_make(p, b->recs->nelts, sizeof(ne_event_t *));
    int i, j;

    for (i = 0; i < b->recs->nelts; i++) {
        ne_bulk_rec_t *r = &APR_ARRAY_IDX(b->recs, i, ne_bulk_rec_t);
        for (j = 0; r->old != NULL && j < r->old->topics->nelts; j++) {
            ne_topic_t *t = &APR_ARRAY_IDX(r->old->topics, j, ne_topic_t);
            ne_topic_ref_t *ref = apr_hash_get(w->topic_ids, t->slug, APR_HASH_KEY_STRING);
            if (ref != NULL && ref->name_before != NULL
                && ref->renamed_at < r->renames_before) {
                t->name = ref->name;
            }
        }
        r->what = r->old == NULL ? NE_UPSERT_ADDED
                  : ne_event_same(r->old, &r->ev) ? NE_UPSERT_UNCHANGED : NE_UPSERT_UPDATED;
        b->counts[r->what]++;
        if (r->what != NE_UPSERT_UNCHANGED) {
            APR_ARRAY_PUSH(written, ne_event_t *) = &r->ev;
        }
    }
    return written;
}

/* The batch's new topics (their ids then known) and renames. */
static apr_status_t ne_bulk_topics(ne_writer_t *w, apr_pool_t *p)
{
    ne_writer_bulk_t *bk = w->bulk;
    apr_pool_t *hp = apr_hash_pool_get(w->topic_ids);
    ne_buf_t *add = ne_bulk_list(p), *ren = ne_bulk_list(p);
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = APR_SUCCESS;
    int i;

    for (i = 0; i < bk->topics_new->nelts; i++) {
        ne_topic_ref_t *ref = APR_ARRAY_IDX(bk->topics_new, i, ne_topic_ref_t *);
        ne_bulk_open(add, 's', ref->slug);
        ne_buf_printf(add, ",\"o\":%d", i);
        ne_bulk_field(add, 'n', ref->name);
        ne_buf_putc(add, '}');
    }
    for (i = 0; i < bk->topics_renamed->nelts; i++) {
        ne_topic_ref_t *ref = APR_ARRAY_IDX(bk->topics_renamed, i, ne_topic_ref_t *);
        ne_bulk_open(ren, 'i', ref->id);
        ne_bulk_field(ren, 'n', ref->name);
        ne_buf_putc(ren, '}');
    }
    if (add->len > 1) {
        ne_buf_putc(add, ']');
        rv = ne_db_select(w->st, p, "newsevent_b_topic_add", &res, 1, ne_buf_str(add));
    }
    while (add->len > 1 && rv == APR_SUCCESS && ne_db_row(w->st, p, res, &row)) {
        ne_topic_ref_t *ref = apr_hash_get(w->topic_ids, ne_db_col(w->st, p, row, 1),
                                           APR_HASH_KEY_STRING);
        ref->id = apr_pstrdup(hp, ne_db_col(w->st, p, row, 0));
    }
    if (rv == APR_SUCCESS && ren->len > 1) {
        const char *arg = (ne_buf_putc(ren, ']'), ne_buf_str(ren));
        rv = ne_db_exec(w->st, p, "newsevent_b_topic_rename", 1, &arg);
    }
    return rv;
}

/* Run each statement of labels (NULL-terminated) with the one argument. */
static apr_status_t ne_bulk_run(ne_writer_t *w, apr_pool_t *p, const char *const *labels,
                                const char *arg)
{
    apr_status_t rv = APR_SUCCESS;

    for (; rv == APR_SUCCESS && *labels; labels++) {
        rv = ne_db_exec(w->st, p, *labels, 1, &arg);
    }
    return rv;
}

/* The rest of an event's row: its texts and `updated`. */
static void ne_bulk_texts(ne_buf_t *rows, const ne_event_t *ev, const char *updated)
{
    ne_bulk_field(rows, 'c', ev->category);
    ne_bulk_field(rows, 't', ev->story);
    ne_bulk_field(rows, 'h', ev->headline);
    ne_bulk_field(rows, 'b', ev->body);
    ne_bulk_field(rows, 'i', ev->image);
    ne_bulk_field(rows, 'u', updated);
    ne_buf_putc(rows, '}');
}

/* The changed events: index entries out, rows rewritten, sources and links
 * dropped (their topics counted down), as ne_writer_update does. */
static apr_status_t ne_bulk_update(ne_writer_t *w, apr_pool_t *p, const char *now)
{
    static const char *const before[] = {"newsevent_b_unindex", NULL};
    static const char *const after[] = {"newsevent_b_drop_sources",
                                        "newsevent_b_uncount_topics",
                                        "newsevent_b_drop_topics", NULL};
    ne_bulk_batch_t *b = w->bulk->batch;
    ne_buf_t *rows = ne_bulk_list(p), *ids = ne_buf_make(p, 1024);
    const char *arg, *list;
    apr_status_t rv;
    int i;

    ne_buf_putc(ids, '{');
    for (i = 0; i < b->recs->nelts; i++) {
        ne_bulk_rec_t *r = &APR_ARRAY_IDX(b->recs, i, ne_bulk_rec_t);
        if (r->what != NE_UPSERT_UPDATED) {
            continue;
        }
        r->ev.id = r->old->id;
        ne_bulk_id(ids, r->ev.id);
        ne_bulk_open(rows, 'e', r->ev.id);
        ne_bulk_texts(rows, &r->ev, now);     /* a change is dated by this import */
    }
    if (rows->len == 1) {
        return APR_SUCCESS;
    }
    list = ne_bulk_ids_end(ids);
    arg = (ne_buf_putc(rows, ']'), ne_buf_str(rows));
    if ((rv = ne_bulk_run(w, p, before, list)) != APR_SUCCESS
        || (rv = ne_db_exec(w->st, p, "newsevent_b_update", 1, &arg)) != APR_SUCCESS) {
        return rv;
    }
    return ne_bulk_run(w, p, after, list);
}

/* The new events, in the records' order; each gets its id, its day a count. */
static apr_status_t ne_bulk_insert(ne_writer_t *w, apr_pool_t *p)
{
    ne_bulk_batch_t *b = w->bulk->batch;
    ne_buf_t *rows = ne_bulk_list(p);
    apr_hash_t *by_key = apr_hash_make(p);
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv;
    int i, n = 0;

    for (i = 0; i < b->recs->nelts; i++) {
        ne_bulk_rec_t *r = &APR_ARRAY_IDX(b->recs, i, ne_bulk_rec_t);
        if (r->what != NE_UPSERT_ADDED) {
            continue;
        }
        ne_bulk_open(rows, 'd', r->ev.date);
        ne_buf_printf(rows, ",\"o\":%d,\"y\":%s", i, ne_writer_day(p, r->ev.date));
        ne_bulk_field(rows, 's', r->ev.slug);
        ne_bulk_texts(rows, &r->ev, r->updated);
        apr_hash_set(by_key, apr_pstrcat(p, r->ev.date, "/", r->ev.slug, NULL),
                     APR_HASH_KEY_STRING, r);
        n++;
    }
    if (n == 0) {
        return APR_SUCCESS;
    }
    ne_buf_putc(rows, ']');
    rv = ne_db_select(w->st, p, "newsevent_b_insert", &res, 1, ne_buf_str(rows));
    while (rv == APR_SUCCESS && ne_db_row(w->st, p, res, &row)) {
        const char *date = ne_db_col(w->st, p, row, 1);
        ne_bulk_rec_t *r = apr_hash_get(by_key, apr_pstrcat(p, date, "/",
                                        ne_db_col(w->st, p, row, 2), NULL), APR_HASH_KEY_STRING);
        if (r != NULL && r->ev.id == NULL) {
            r->ev.id = apr_pstrdup(b->pool, ne_db_col(w->st, p, row, 0));
            ne_writer_count(w->day_added, date);
            n--;
        }
    }
    if (rv == APR_SUCCESS && n != 0) {
        w->st->error = "the inserted events have no ids";
        rv = APR_EGENERAL;
    }
    return rv;
}

/* One written event's sources and topic links (its topics counted), as
 * ne_writer_children does. */
static void ne_bulk_rows(ne_writer_t *w, apr_pool_t *p, ne_bulk_rec_t *r, ne_buf_t *srcs,
                         ne_buf_t *links)
{
    const char *day = ne_writer_day(p, r->ev.date);
    int i;

    for (i = 0; i < r->ev.sources->nelts; i++) {
        const ne_source_t *s = &APR_ARRAY_IDX(r->ev.sources, i, ne_source_t);
        ne_bulk_open(srcs, 'e', r->ev.id);
        ne_buf_printf(srcs, ",\"p\":%d", i);
        ne_bulk_field(srcs, 'n', s->name);
        ne_bulk_field(srcs, 'u', s->url);
        ne_buf_putc(srcs, '}');
    }
    for (i = 0; i < r->ev.topics->nelts; i++) {
        const ne_topic_t *t = &APR_ARRAY_IDX(r->ev.topics, i, ne_topic_t);
        const ne_topic_ref_t *ref = apr_hash_get(w->topic_ids, t->slug, APR_HASH_KEY_STRING);
        ne_bulk_open(links, 'e', r->ev.id);
        ne_buf_printf(links, ",\"t\":%s,\"p\":%d,\"y\":%s}", ref->id, i, day);
        ne_writer_count(w->topic_added, ref->id);
    }
}

/* The sources and links of the batch's written events. */
static apr_status_t ne_bulk_children(ne_writer_t *w, apr_pool_t *p)
{
    ne_bulk_batch_t *b = w->bulk->batch;
    ne_buf_t *srcs = ne_bulk_list(p), *links = ne_bulk_list(p);
    const char *arg;
    apr_status_t rv = APR_SUCCESS;
    int i;

    for (i = 0; i < b->recs->nelts; i++) {
        ne_bulk_rec_t *r = &APR_ARRAY_IDX(b->recs, i, ne_bulk_rec_t);
        if (r->what != NE_UPSERT_UNCHANGED) {
            ne_bulk_rows(w, p, r, srcs, links);
        }
    }
    if (srcs->len > 1) {
        arg = (ne_buf_putc(srcs, ']'), ne_buf_str(srcs));
        rv = ne_db_exec(w->st, p, "newsevent_b_sources", 1, &arg);
    }
    if (rv == APR_SUCCESS && links->len > 1) {
        arg = (ne_buf_putc(links, ']'), ne_buf_str(links));
        rv = ne_db_exec(w->st, p, "newsevent_b_links", 1, &arg);
    }
    return rv;
}

/* The derived data the batch's written events touch (ne_store_upkeep.c),
 * noted before their rows change, and after. */
static apr_status_t ne_bulk_upkeep(ne_writer_t *w, int before)
{
    apr_array_header_t *recs = w->bulk->batch->recs;
    apr_status_t rv = APR_SUCCESS;
    int i;

    for (i = 0; i < recs->nelts && rv == APR_SUCCESS; i++) {
        ne_bulk_rec_t *r = &APR_ARRAY_IDX(recs, i, ne_bulk_rec_t);
        if (r->what != NE_UPSERT_UNCHANGED && (!before || r->old != NULL)) {
            rv = before ? ne_store_upkeep_before(w, r->old->id)
                        : ne_store_upkeep_after(w, r->ev.id);
        }
    }
    return rv;
}

/* Write the batch waiting, then forget it: its records, its new topics and
 * renames (now in the store). */
static apr_status_t ne_bulk_flush(ne_writer_t *w, apr_pool_t *pool)
{
    ne_writer_bulk_t *bk = w->bulk;
    apr_pool_t *p;
    apr_status_t rv;
    int i;

    apr_pool_create(&p, pool);
    if ((rv = ne_bulk_find(w, p)) == APR_SUCCESS) {
        ne_bulk_index_t *ix = ne_bulk_index_start(ne_bulk_aux(w), p, ne_bulk_classify(w, p));
        if ((rv = ne_bulk_upkeep(w, 1)) == APR_SUCCESS
            && (rv = ne_bulk_topics(w, p)) == APR_SUCCESS
            && (rv = ne_bulk_update(w, p, bk->batch->now)) == APR_SUCCESS
            && (rv = ne_bulk_insert(w, p)) == APR_SUCCESS
            && (rv = ne_bulk_children(w, p)) == APR_SUCCESS) {
            rv = ne_bulk_upkeep(w, 0);
        }
        rv = ne_bulk_index_end(w->st, p, ix, rv);
    }
    if (rv != APR_SUCCESS && w->st->error != NULL) {
        w->st->error = apr_pstrdup(pool, w->st->error);   /* outlives p */
    }
    apr_pool_destroy(p);
    for (i = 0; i < bk->topics_renamed->nelts; i++) {
        APR_ARRAY_IDX(bk->topics_renamed, i, ne_topic_ref_t *)->name_before = NULL;
    }
    apr_array_clear(bk->topics_renamed);
    apr_array_clear(bk->topics_new);
    apr_array_clear(bk->batch->recs);
    apr_pool_clear(bk->batch->pool);
    bk->batch->bytes = 0;
    return rv;
}

apr_status_t ne_store_put(ne_writer_t *w, apr_pool_t *pool, ne_event_t *ev, const char *now,
                          ne_upsert_e *what)
{
    ne_bulk_batch_t *b;
    ne_bulk_rec_t *r;
    int renames;
    apr_status_t rv;

    if (w->bulk == NULL) {
        return ne_store_upsert(w, pool, ev, now, what);
    }
    b = w->bulk->batch;
    renames = w->bulk->topics_renamed->nelts;
    w->absent_date = w->absent_slug = NULL;   /* its key is taken from now on */
    if ((rv = ne_writer_spell(w, pool, ev)) != APR_SUCCESS) {
        return rv;
    }
    r = apr_array_push(b->recs);
    ne_record_copy(b->pool, ev, &r->ev, &b->bytes);
    if (b->now == NULL) {
        b->now = apr_pstrdup(apr_hash_pool_get(w->topic_ids), now);
    }
    r->updated = *ev->updated ? r->ev.updated : b->now;
    r->renames_before = renames;
    r->old = NULL;
    *what = NE_UPSERT_QUEUED;
    return b->recs->nelts >= NE_BULK_RECORDS || b->bytes >= NE_BULK_BYTES
           ? ne_bulk_flush(w, pool) : APR_SUCCESS;
}

/* A count hash (key -> int *) as JSON rows {key_name: key, "n": count}. */
static const char *ne_bulk_counts_json(apr_pool_t *p, apr_hash_t *counts, char key_name)
{
    ne_buf_t *rows = ne_bulk_list(p);
    apr_hash_index_t *hi;

    for (hi = apr_hash_first(p, counts); hi; hi = apr_hash_next(hi)) {
        ne_bulk_open(rows, key_name, apr_hash_this_key(hi));
        ne_buf_printf(rows, ",\"n\":%d}", *(int *)apr_hash_this_val(hi));
    }
    if (rows->len == 1) {
        return NULL;
    }
    ne_buf_putc(rows, ']');
    return ne_buf_str(rows);
}

/* The file's counts of events added to each day and topic, one statement
 * each (then nothing left for ne_store_mark_changed to count). */
static apr_status_t ne_bulk_counts(ne_writer_t *w, apr_pool_t *pool)
{
    const char *days = ne_bulk_counts_json(pool, w->day_added, 'd');
    const char *topics = ne_bulk_counts_json(pool, w->topic_added, 'i');
    apr_status_t rv = APR_SUCCESS;

    if (days != NULL) {
        rv = ne_db_exec(w->st, pool, "newsevent_b_days_add", 1, &days);
    }
    if (rv == APR_SUCCESS && topics != NULL) {
        rv = ne_db_exec(w->st, pool, "newsevent_b_topics_count", 1, &topics);
    }
    if (rv == APR_SUCCESS) {
        apr_hash_clear(w->day_added);
        apr_hash_clear(w->topic_added);
    }
    return rv;
}

apr_status_t ne_store_bulk_end(ne_writer_t *w, apr_pool_t *pool, int *added, int *updated,
                               int *unchanged)
{
    ne_bulk_batch_t *b = w->bulk ? w->bulk->batch : NULL;
    apr_status_t rv;

    if (b == NULL) {
        return APR_SUCCESS;
    }
    if ((rv = ne_bulk_flush(w, pool)) != APR_SUCCESS
        || (rv = ne_bulk_counts(w, pool)) != APR_SUCCESS) {
        return rv;
    }
    *added += b->counts[NE_UPSERT_ADDED];
    *updated += b->counts[NE_UPSERT_UPDATED];
    *unchanged += b->counts[NE_UPSERT_UNCHANGED];
    memset(b->counts, 0, sizeof(b->counts));
    return APR_SUCCESS;
}
