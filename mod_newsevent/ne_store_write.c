/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_write: the schema, the upsert of one record, the export of
 * every record, the statistics: what the tool writes and reads in bulk. */
#include "ne_store_write.h"
#include "ne_store_db.h"
#include "ne_date.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

ne_writer_t *ne_writer_make(apr_pool_t *pool, ne_store_t *st)
{
    ne_writer_t *w = apr_pcalloc(pool, sizeof(*w));

    w->st = st;
    w->topic_ids = apr_hash_make(pool);
    w->topic_added = apr_hash_make(pool);
    w->day_added = apr_hash_make(pool);
    w->days = apr_hash_make(pool);
    apr_pool_create(&w->absent_pool, pool);
    return w;
}

/* Whether the store had events on `date` when the writer's transaction
 * began (the days table changes only at its end, in ne_store_mark_changed),
 * asked once a date. */
static apr_status_t ne_writer_day_known(ne_writer_t *w, apr_pool_t *pool, const char *date,
                                        int *known)
{
    apr_pool_t *hp = apr_hash_pool_get(w->days);
    const char *seen = apr_hash_get(w->days, date, APR_HASH_KEY_STRING);
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv;

    *known = seen != NULL && *seen == 'y';
    if (seen != NULL || w->bulk != NULL) {  /* a batch's writer knows every day */
        return APR_SUCCESS;
    }
    rv = ne_db_select(w->st, pool, "newsevent_w_day_known", &res, 1, date);
    while (rv == APR_SUCCESS && ne_db_row(w->st, pool, res, &row)) {
        *known = 1;
    }
    if (rv == APR_SUCCESS) {
        apr_hash_set(w->days, apr_pstrdup(hp, date), APR_HASH_KEY_STRING, *known ? "y" : "n");
    }
    return rv;
}

/* The event row at (date, slug), like ne_store_event_row. A date the store
 * had no event on holds only this writer's own, whose keys its caller
 * gives out once each: no need to ask for each (an import of a new day, or
 * of a new archive, asks once a day). The last key found absent is
 * remembered: an import's slug check and the upsert that follows ask for
 * the same one. Every write forgets it. (On PostgreSQL, another import
 * committing the same day meanwhile makes this one's insert fail on the
 * unique (date, slug), and the file is rejected, the store intact: run it
 * again.) */
static apr_status_t ne_writer_find(ne_writer_t *w, apr_pool_t *pool, const char *date,
                                   const char *slug, ne_event_t **out)
{
    apr_status_t rv;
    int known;

    if ((rv = ne_writer_day_known(w, pool, date, &known)) != APR_SUCCESS) {
        return rv;
    }
    if (!known) {
        return APR_ENOENT;
    }
    if (w->absent_date && strcmp(w->absent_date, date) == 0
        && strcmp(w->absent_slug, slug) == 0) {
        return APR_ENOENT;
    }
    rv = ne_store_event_row(w->st, pool, date, slug, out);
    if (rv == APR_ENOENT) {
        apr_pool_clear(w->absent_pool);
        w->absent_date = apr_pstrdup(w->absent_pool, date);
        w->absent_slug = apr_pstrdup(w->absent_pool, slug);
    }
    return rv;
}

static void ne_writer_forget(ne_writer_t *w)
{
    w->absent_date = w->absent_slug = NULL;
}

/* One constant query's first column of its first row, or NULL when the
 * query fails (a table that is not there). Random access: the pgsql
 * driver's sequential results open a cursor in a transaction, which a
 * failed probe would leave aborted. */
static const char *ne_store_probe(ne_store_t *st, apr_pool_t *pool, const char *sql)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *v = NULL;

    if (apr_dbd_select(st->driver, pool, st->handle, &res, sql, 1) != 0) {
        return NULL;
    }
    while (apr_dbd_get_row(st->driver, pool, res, &row, -1) == 0) {
        if (v == NULL) {
            v = apr_pstrdup(pool, apr_dbd_get_entry(st->driver, row, 0)
                                  ? apr_dbd_get_entry(st->driver, row, 0) : "");
        }
    }
    return v ? v : "";
}

apr_status_t ne_store_version(ne_store_t *st, apr_pool_t *pool, const char *prefix,
                              int *version)
{
    const char *v = ne_store_probe(st, pool, ne_store_sql(pool, "SELECT version FROM "
                                                          "schema_version WHERE id = 1",
                                                          prefix));

    if (v != NULL) {
        *version = atoi(v);
    }
    else {
        /* Before version 2 there was no schema_version: the events table
         * says whether a store is there at all. */
        *version = ne_store_probe(st, pool, ne_store_sql(pool, "SELECT COUNT(*) FROM archive",
                                                         prefix)) ? 1 : 0;
    }
    return APR_SUCCESS;
}

apr_status_t ne_store_run_script(ne_store_t *st, apr_pool_t *pool, const char *script)
{
    char *copy = apr_pstrdup(pool, script), *stmt, *last;
    int nrows, rc;

    for (stmt = apr_strtok(copy, ";", &last); stmt; stmt = apr_strtok(NULL, ";", &last)) {
        if (strspn(stmt, " \t\r\n") == strlen(stmt)) {
            continue;
        }
        if ((rc = apr_dbd_query(st->driver, st->handle, &nrows, stmt)) != 0) {
            return ne_db_fail(st, pool, "schema", rc);
        }
    }
    return APR_SUCCESS;
}

/* The topic with this slug, from the import's memo or the store; *ref
 * NULL when the store has none. */
static apr_status_t ne_writer_topic_find(ne_writer_t *w, apr_pool_t *pool, const ne_topic_t *t,
                                         ne_topic_ref_t **ref)
{
    ne_store_t *st = w->st;
    apr_pool_t *hp = apr_hash_pool_get(w->topic_ids);
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv;

    if ((*ref = apr_hash_get(w->topic_ids, t->slug, APR_HASH_KEY_STRING)) != NULL) {
        return APR_SUCCESS;
    }
    if (w->bulk != NULL) {
        *ref = apr_hash_get(w->bulk->stored_topics, t->slug, APR_HASH_KEY_STRING);
        if (*ref != NULL) {
            apr_hash_set(w->topic_ids, apr_pstrdup(hp, t->slug), APR_HASH_KEY_STRING, *ref);
        }
        return APR_SUCCESS;
    }
    rv = ne_db_select(st, pool, "newsevent_w_topic_find", &res, 1, t->slug);
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        *ref = apr_pcalloc(hp, sizeof(**ref));
        (*ref)->id = apr_pstrdup(hp, ne_db_col(st, pool, row, 0));
        (*ref)->name = apr_pstrdup(hp, ne_db_col(st, pool, row, 1));
        apr_hash_set(w->topic_ids, apr_pstrdup(hp, t->slug), APR_HASH_KEY_STRING, *ref);
    }
    return rv;
}

/* A new topic, stored and then read back for its id. */
static apr_status_t ne_writer_topic_add(ne_writer_t *w, apr_pool_t *pool, const ne_topic_t *t,
                                        ne_topic_ref_t **ref)
{
    const char *args[2] = {t->slug, t->name};
    apr_pool_t *hp = apr_hash_pool_get(w->topic_ids);
    apr_status_t rv;

    if (w->bulk != NULL) {                    /* added by the batch */
        *ref = apr_pcalloc(hp, sizeof(**ref));
        (*ref)->name = apr_pstrdup(hp, t->name);
        (*ref)->slug = apr_pstrdup(hp, t->slug);
        apr_hash_set(w->topic_ids, apr_pstrdup(hp, t->slug), APR_HASH_KEY_STRING, *ref);
        APR_ARRAY_PUSH(w->bulk->topics_new, ne_topic_ref_t *) = *ref;
        return APR_SUCCESS;
    }
    rv = ne_db_exec(w->st, pool, "newsevent_w_topic_add", 2, args);

    if (rv == APR_SUCCESS && (rv = ne_writer_topic_find(w, pool, t, ref)) == APR_SUCCESS
        && *ref == NULL) {
        w->st->error = apr_psprintf(pool, "topic '%s' could not be stored", t->slug);
        rv = APR_EGENERAL;
    }
    return rv;
}

/* Each topic of ev gets its id and its spelling: a topic is its slug (its
 * address). The first spelling a command's files use wins over the stored
 * one when they differ only in letter case (the topic is renamed on every
 * event); later case variants in the same files take it, so that importing
 * them again changes nothing. Another name with the same slug ("C" after
 * "C++") would merge two topics: APR_EINVAL, found before anything of the
 * event is written (so that import --skip-invalid can pass over it). */
apr_status_t ne_writer_spell(ne_writer_t *w, apr_pool_t *pool, ne_event_t *ev)
{
    ne_topic_ref_t **refs = apr_pcalloc(pool, sizeof(*refs) * (ev->topics->nelts + 1));
    apr_status_t rv;
    int i;

    for (i = 0; i < ev->topics->nelts; i++) {
        ne_topic_t *t = &APR_ARRAY_IDX(ev->topics, i, ne_topic_t);

        if ((rv = ne_writer_topic_find(w, pool, t, &refs[i])) != APR_SUCCESS) {
            return rv;
        }
        if ((refs[i] == NULL || !refs[i]->seen) && w->spelled != NULL) {
            /* an earlier file chose already */
            const char *chosen = apr_hash_get(w->spelled, t->slug, APR_HASH_KEY_STRING);
            if (chosen != NULL && strcasecmp(chosen, t->name) == 0) {
                t->name = chosen;
            }
        }
        if (refs[i] != NULL && strcasecmp(refs[i]->name, t->name) != 0) {
            w->st->error = apr_psprintf(pool, "topic '%s' has the address of the topic '%s' "
                                        "(/topics/%s); name it as that one is named, or "
                                        "differently enough to get an address of its own",
                                        t->name, refs[i]->name, t->slug);
            return APR_EINVAL;
        }
    }
    for (i = 0; i < ev->topics->nelts; i++) {
        ne_topic_t *t = &APR_ARRAY_IDX(ev->topics, i, ne_topic_t);
        ne_topic_ref_t *ref = refs[i];
        if (ref == NULL && (rv = ne_writer_topic_add(w, pool, t, &ref)) != APR_SUCCESS) {
            return rv;
        }
        if (!ref->seen && strcmp(ref->name, t->name) != 0) {
            const char *args[2] = {t->name, ref->id};
            if (w->bulk != NULL) {                /* renamed by the batch */
                ref->name_before = ref->name;
                ref->renamed_at = w->bulk->topics_renamed->nelts;
                APR_ARRAY_PUSH(w->bulk->topics_renamed, ne_topic_ref_t *) = ref;
            }
            else if ((rv = ne_db_exec(w->st, pool, "newsevent_w_topic_rename", 2, args))
                     != APR_SUCCESS) {
                return rv;
            }
            ref->name = apr_pstrdup(apr_hash_pool_get(w->topic_ids), t->name);
        }
        ref->seen = 1;
        t->name = ref->name;
        t->id = ref->id;
    }
    return APR_SUCCESS;
}

void ne_writer_keep_spellings(ne_writer_t *w)
{
    apr_pool_t *p = w->spelled ? apr_hash_pool_get(w->spelled) : NULL;
    apr_hash_index_t *hi;

    for (hi = p ? apr_hash_first(NULL, w->topic_ids) : NULL; hi; hi = apr_hash_next(hi)) {
        const char *slug;
        ne_topic_ref_t *ref;
        apr_hash_this(hi, (const void **)&slug, NULL, (void **)&ref);
        apr_hash_set(w->spelled, apr_pstrdup(p, slug), APR_HASH_KEY_STRING,
                     apr_pstrdup(p, ref->name));
    }
}

/* The store's day number of a valid date, as text. */
const char *ne_writer_day(apr_pool_t *pool, const char *date)
{
    ne_date_t d;

    ne_date_parse(date, strlen(date), &d);
    return apr_ltoa(pool, ne_date_days(&d));
}

/* One more event under key (a topic id or a date), counted in memory and
 * written once per key when the import ends (ne_store_mark_changed). */
void ne_writer_count(apr_hash_t *counts, const char *key)
{
    apr_pool_t *hp = apr_hash_pool_get(counts);
    int *n = apr_hash_get(counts, key, APR_HASH_KEY_STRING);

    if (n == NULL) {
        n = apr_pcalloc(hp, sizeof(*n));
        apr_hash_set(counts, apr_pstrdup(hp, key), APR_HASH_KEY_STRING, n);
    }
    (*n)++;
}

static apr_status_t ne_writer_flush(ne_writer_t *w, apr_pool_t *pool, apr_hash_t *counts,
                                    const char *label, int key_last)
{
    apr_hash_index_t *hi;
    apr_status_t rv = APR_SUCCESS;

    for (hi = apr_hash_first(pool, counts); rv == APR_SUCCESS && hi; hi = apr_hash_next(hi)) {
        const char *key = apr_hash_this_key(hi);
        const char *n = apr_itoa(pool, *(int *)apr_hash_this_val(hi));
        const char *args[2] = {key_last ? n : key, key_last ? key : n};
        rv = ne_db_exec(w->st, pool, label, 2, args);
    }
    if (rv == APR_SUCCESS) {
        apr_hash_clear(counts);
    }
    return rv;
}

static apr_status_t ne_writer_children(ne_writer_t *w, apr_pool_t *pool, const char *id,
                                       const ne_event_t *ev)
{
    apr_status_t rv = APR_SUCCESS;
    const char *day = ne_writer_day(pool, ev->date);
    int i;

    for (i = 0; rv == APR_SUCCESS && i < ev->sources->nelts; i++) {
        const ne_source_t *s = &APR_ARRAY_IDX(ev->sources, i, ne_source_t);
        const char *args[4] = {id, apr_itoa(pool, i), s->name, s->url};
        rv = ne_db_exec(w->st, pool, "newsevent_w_source", 4, args);
    }
    for (i = 0; rv == APR_SUCCESS && i < ev->topics->nelts; i++) {
        const char *topic_id = APR_ARRAY_IDX(ev->topics, i, ne_topic_t).id;
        const char *args[4] = {id, topic_id, apr_itoa(pool, i), day};
        rv = ne_db_exec(w->st, pool, "newsevent_w_link", 4, args);
        if (rv == APR_SUCCESS) {
            ne_writer_count(w->topic_added, topic_id);
        }
    }
    return rv;
}

int ne_event_same(const ne_event_t *a, const ne_event_t *b)
{
    int i;

    if (strcmp(a->category, b->category) || strcmp(a->story, b->story)
        || strcmp(a->headline, b->headline) || strcmp(a->body, b->body)
        || strcmp(a->image, b->image) || a->sources->nelts != b->sources->nelts
        || a->topics->nelts != b->topics->nelts) {
        return 0;
    }
    for (i = 0; i < a->sources->nelts; i++) {
        const ne_source_t *x = &APR_ARRAY_IDX(a->sources, i, ne_source_t);
        const ne_source_t *y = &APR_ARRAY_IDX(b->sources, i, ne_source_t);
        if (strcmp(x->name, y->name) || strcmp(x->url, y->url)) {
            return 0;
        }
    }
    for (i = 0; i < a->topics->nelts; i++) {
        const ne_topic_t *x = &APR_ARRAY_IDX(a->topics, i, ne_topic_t);
        const ne_topic_t *y = &APR_ARRAY_IDX(b->topics, i, ne_topic_t);
        if (strcmp(x->slug, y->slug) || strcmp(x->name, y->name)) {
            return 0;
        }
    }
    return 1;
}

static apr_status_t ne_writer_insert(ne_writer_t *w, apr_pool_t *pool, const ne_event_t *ev,
                                     const char *updated)
{
    ne_store_t *st = w->st;
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    const char *args[9], *id = NULL;
    apr_status_t rv;

    args[0] = ev->date;
    args[1] = ne_writer_day(pool, ev->date);
    args[2] = ev->slug;
    args[3] = ev->category;
    args[4] = ev->story;
    args[5] = ev->headline;
    args[6] = ev->body;
    args[7] = ev->image;
    args[8] = updated;
    if ((rv = ne_db_selectv(st, pool, "newsevent_w_insert", &res, 9, args)) != APR_SUCCESS) {
        return rv;
    }
    while (ne_db_row(st, pool, res, &row)) {
        id = ne_db_col(st, pool, row, 0);
    }
    if (id == NULL) {
        st->error = "the inserted event has no id";
        return APR_EGENERAL;
    }
    ne_writer_count(w->day_added, ev->date);
    if ((rv = ne_writer_children(w, pool, id, ev)) != APR_SUCCESS
        || (rv = ne_store_upkeep_after(w, id)) != APR_SUCCESS) {
        return rv;
    }
    return ne_db_exec(st, pool, "newsevent_w_index", 1, &id);
}

static apr_status_t ne_writer_update(ne_writer_t *w, apr_pool_t *pool, const char *id,
                                     const ne_event_t *ev, const char *updated)
{
    const char *args[7] = {ev->category, ev->story, ev->headline, ev->body, ev->image,
                           updated, id};
    apr_status_t rv;

    /* The search index's old texts go first: an external-content index
     * deletes by the texts it was given. */
    if ((rv = ne_store_upkeep_before(w, id)) != APR_SUCCESS
        || (rv = ne_db_exec(w->st, pool, "newsevent_w_unindex", 1, &id)) != APR_SUCCESS
        || (rv = ne_db_exec(w->st, pool, "newsevent_w_update", 7, args)) != APR_SUCCESS
        || (rv = ne_db_exec(w->st, pool, "newsevent_w_drop_sources", 1, &id)) != APR_SUCCESS
        || (rv = ne_db_exec(w->st, pool, "newsevent_w_uncount_topics", 1, &id))
           != APR_SUCCESS
        || (rv = ne_db_exec(w->st, pool, "newsevent_w_drop_topics", 1, &id)) != APR_SUCCESS
        || (rv = ne_writer_children(w, pool, id, ev)) != APR_SUCCESS
        || (rv = ne_store_upkeep_after(w, id)) != APR_SUCCESS) {
        return rv;
    }
    return ne_db_exec(w->st, pool, "newsevent_w_index", 1, &id);
}

apr_status_t ne_store_upsert(ne_writer_t *w, apr_pool_t *pool, ne_event_t *ev,
                             const char *now, ne_upsert_e *what)
{
    ne_event_t *old = NULL;
    apr_status_t rv = ne_writer_find(w, pool, ev->date, ev->slug, &old);

    ne_writer_forget(w);
    if (rv == APR_ENOENT) {
        if ((rv = ne_writer_spell(w, pool, ev)) != APR_SUCCESS) {
            return rv;
        }
        *what = NE_UPSERT_ADDED;
        return ne_writer_insert(w, pool, ev, *ev->updated ? ev->updated : now);
    }
    /* The stored event is read before a rename of its topics, so that the
     * rename shows as a change (and the store's generation moves on). */
    if (rv != APR_SUCCESS || (rv = ne_store_sources(w->st, pool, old)) != APR_SUCCESS
        || (rv = ne_store_topics(w->st, pool, old)) != APR_SUCCESS
        || (rv = ne_writer_spell(w, pool, ev)) != APR_SUCCESS) {
        return rv;
    }
    if (ne_event_same(old, ev)) {
        *what = NE_UPSERT_UNCHANGED;
        return APR_SUCCESS;
    }
    /* A change is dated by this import, whatever the record says. */
    *what = NE_UPSERT_UPDATED;
    return ne_writer_update(w, pool, old->id, ev, now);
}

apr_status_t ne_store_mark_changed(ne_writer_t *w, apr_pool_t *pool, const char *now)
{
    apr_status_t rv;

    if ((rv = ne_writer_flush(w, pool, w->day_added, "newsevent_w_day", 0)) != APR_SUCCESS
        || (rv = ne_writer_flush(w, pool, w->topic_added, "newsevent_w_count_topic", 1))
           != APR_SUCCESS
        || (rv = ne_store_upkeep_apply(w, pool)) != APR_SUCCESS) {
        return rv;
    }
    return ne_db_exec(w->st, pool, "newsevent_w_changed", 1, &now);
}

apr_status_t ne_writer_headline_at(ne_writer_t *w, apr_pool_t *pool, const char *date,
                                   const char *slug, const char **headline)
{
    ne_event_t *ev = NULL;
    apr_status_t rv = ne_writer_find(w, pool, date, slug, &ev);

    if (rv == APR_SUCCESS) {
        *headline = ev->headline;
    }
    return rv;
}

/* Append each row of a page's children (first column the event's id, in
 * id order like the page's events, whose ids are `ids`) to its event. */
static apr_status_t ne_page_rows(ne_store_t *st, apr_pool_t *pool, apr_array_header_t *events,
                                 const apr_int64_t *ids, const char *label, const char *first,
                                 const char *last, ne_db_push_fn *push)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, label, &res, 2, first, last);
    int at = 0;

    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        apr_int64_t id = ne_db_int(st, row, 0);
        while (at < events->nelts && ids[at] < id) {
            at++;
        }
        if (at < events->nelts && ids[at] == id) {
            push(st, pool, row, 1, &APR_ARRAY_IDX(events, at, ne_event_t));
        }
    }
    return rv;
}

/* The sources and topics of a page of events: two statements a page. */
static apr_status_t ne_page_children(ne_store_t *st, apr_pool_t *pool,
                                     apr_array_header_t *events, const char *first,
                                     const char *last)
{
    apr_int64_t *ids = apr_palloc(pool, (apr_size_t)events->nelts * sizeof(*ids));
    apr_status_t rv;
    int i;

    for (i = 0; i < events->nelts; i++) {
        ne_event_t *ev = &APR_ARRAY_IDX(events, i, ne_event_t);
        ev->sources = apr_array_make(pool, 4, sizeof(ne_source_t));
        ev->topics = apr_array_make(pool, 8, sizeof(ne_topic_t));
        ids[i] = apr_atoi64(ev->id);
    }
    rv = ne_page_rows(st, pool, events, ids, "newsevent_w_all_sources", first, last,
                      ne_db_push_source);
    return rv != APR_SUCCESS ? rv
           : ne_page_rows(st, pool, events, ids, "newsevent_w_all_topics", first, last,
                          ne_db_push_topic);
}

/* Keyset pages of 1000 events keep an export's memory flat at any store
 * size; each page is three statements. */
apr_status_t ne_store_each(ne_store_t *st, apr_pool_t *pool, ne_store_each_fn fn,
                           void *baton)
{
    apr_array_header_t *events;
    apr_dbd_results_t *res;
    apr_pool_t *page;
    const char *after = "0";
    apr_status_t rv = APR_SUCCESS;
    int i;

    apr_pool_create(&page, pool);
    do {
        apr_pool_clear(page);
        events = apr_array_make(page, 1000, sizeof(ne_event_t));
        rv = ne_db_select(st, page, "newsevent_w_all", &res, 1, after);
        if (rv == APR_SUCCESS) {
            rv = ne_db_events(st, page, res, events);
        }
        if (rv != APR_SUCCESS || events->nelts == 0) {
            break;
        }
        rv = ne_page_children(st, page, events, after,
                              APR_ARRAY_IDX(events, events->nelts - 1, ne_event_t).id);
        for (i = 0; rv == APR_SUCCESS && i < events->nelts; i++) {
            rv = fn(baton, &APR_ARRAY_IDX(events, i, ne_event_t));
        }
        after = apr_pstrdup(pool, APR_ARRAY_IDX(events, events->nelts - 1, ne_event_t).id);
    } while (rv == APR_SUCCESS && events->nelts == 1000);
    if (rv != APR_SUCCESS && st->error != NULL) {
        st->error = apr_pstrdup(pool, st->error);   /* outlives the pages */
    }
    apr_pool_destroy(page);
    return rv;
}

/* A stats row per result row: a year's name, events and days, or a
 * topic's name, slug and events. */
static apr_status_t ne_stats_rows(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                                  int topics, apr_array_header_t *into)
{
    apr_dbd_row_t *row = NULL;

    while (ne_db_row(st, pool, res, &row)) {
        ne_stats_row_t *r = apr_array_push(into);
        r->name = ne_db_col(st, pool, row, 0);
        r->key = topics ? ne_db_col(st, pool, row, 1) : r->name;
        r->events = (long)ne_db_int(st, row, topics ? 2 : 1);
        r->days = topics ? 0 : (long)ne_db_int(st, row, 2);
    }
    return APR_SUCCESS;
}

apr_status_t ne_store_stats(ne_store_t *st, apr_pool_t *pool, int limit,
                            apr_array_header_t **years, apr_array_header_t **topics)
{
    apr_dbd_results_t *res;
    apr_status_t rv;

    *years = apr_array_make(pool, 32, sizeof(ne_stats_row_t));
    *topics = apr_array_make(pool, limit, sizeof(ne_stats_row_t));
    if ((rv = ne_db_select(st, pool, "newsevent_s_years", &res, 0)) != APR_SUCCESS
        || (rv = ne_stats_rows(st, pool, res, 0, *years)) != APR_SUCCESS
        || (rv = ne_db_select(st, pool, "newsevent_s_topics", &res, 1,
                              apr_itoa(pool, limit))) != APR_SUCCESS) {
        return rv;
    }
    return ne_stats_rows(st, pool, res, 1, *topics);
}
