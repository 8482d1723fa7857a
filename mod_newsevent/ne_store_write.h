/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_write: what the tool writes and reads in bulk: the schema, the
 * upsert of one record, the export of every record (the statistics are
 * declared in ne_store.h). */
#ifndef NE_STORE_WRITE_H
#define NE_STORE_WRITE_H

#include "ne_store.h"

typedef enum ne_upsert {
    NE_UPSERT_ADDED,
    NE_UPSERT_UPDATED,
    NE_UPSERT_UNCHANGED,
    NE_UPSERT_QUEUED         /* ne_store_put on PostgreSQL: told by ne_store_bulk_end */
} ne_upsert_e;

/* One import's state: topic ids already looked up, the days that had
 * events, and the events added to each topic and day, written at the end.
 * Make one per transaction, as a rolled back transaction forgets its
 * topics; upsert each (date, slug) once through it. */
typedef struct ne_writer {
    ne_store_t *st;
    apr_hash_t *topic_ids;   /* slug -> ne_topic_ref: its id and stored name */
    apr_hash_t *spelled;     /* slug -> name chosen by earlier files, or NULL */
    apr_hash_t *topic_added; /* topic id -> int *: events added to it */
    apr_hash_t *day_added;   /* date -> int * */
    apr_hash_t *days;        /* date -> "y" or "n": had events when it began */
    apr_pool_t *absent_pool; /* the last (date, slug) found absent */
    const char *absent_date, *absent_slug;
    struct ne_upkeep *upkeep; /* the derived data the changes so far touch */
    struct ne_writer_bulk *bulk; /* PostgreSQL's batches (ne_store_bulk.c), or NULL */
    int threads;             /* for all the derived data at once (0: this one only) */
    int derive_all;          /* set: too many changes (or a batch wrote events): all
                                derived data is made again */
} ne_writer_t;

ne_writer_t *ne_writer_make(apr_pool_t *pool, ne_store_t *st);

/* After a file's commit: its topics' spellings, into the command's map
 * (w->spelled), which later files of the same command follow. */
void ne_writer_keep_spellings(ne_writer_t *w);

/* The store's schema version: NE_SCHEMA_VERSION for a current one, 1 for
 * one made before versions were recorded, 0 where there is no store. The
 * queries are constant; on PostgreSQL call it outside a transaction (a
 * failed probe would abort one). */
apr_status_t ne_store_version(ne_store_t *st, apr_pool_t *pool, const char *prefix,
                              int *version);

/* Run each ';'-terminated statement of a schema script. */
apr_status_t ne_store_run_script(ne_store_t *st, apr_pool_t *pool, const char *script);

/* Insert ev, or update the event stored at (ev->date, ev->slug) when it
 * differs. A new event keeps ev->updated when given (so an export imports
 * unchanged), else gets `now`; a changed one gets `now`. ev's topics get
 * their ids and the names the store keeps for them; APR_EINVAL (st->error
 * says why) when a name would merge two topics. */
apr_status_t ne_store_upsert(ne_writer_t *w, apr_pool_t *pool, ne_event_t *ev,
                             const char *now, ne_upsert_e *what);

/* Write the counts of topics and days the import added to, and record
 * that it changed the store, at `now`: the last step before the commit. */
apr_status_t ne_store_mark_changed(ne_writer_t *w, apr_pool_t *pool, const char *now);

/* Derived data (ne_store_upkeep.c, schema version 4, ne_store_upkeep_stmts
 * and the driver's own prepared): a change to the event `id` (its topics,
 * its day, its being there) is noted before and after it is made; the
 * related lists and companions it can change (docs/design.md) are made
 * again by ne_store_mark_changed, in the same transaction. Past
 * NE_UPKEEP_CHANGES changes in one transaction, all of them are. */
#define NE_UPKEEP_CHANGES 32
apr_status_t ne_store_upkeep_before(ne_writer_t *w, const char *id);
apr_status_t ne_store_upkeep_after(ne_writer_t *w, const char *id);
apr_status_t ne_store_upkeep_apply(ne_writer_t *w, apr_pool_t *pool);

/* Every related list and companions list made again, in memory over all
 * topic links (ne_derive.c), the related lists on `threads` threads (the
 * tool's; the module never needs all at once): an upgrade's, a big
 * import's. */
apr_status_t ne_store_derive_all(ne_store_t *st, apr_pool_t *pool, int threads);

/* The stored and the computed related list of event `id` (topics: the
 * companions of topic `id`), in stored form; NULL for no row (an event
 * without topics, a topic without events has none). For `newsevent
 * verify`. */
apr_status_t ne_store_derived_pair(ne_store_t *st, apr_pool_t *pool, int topic,
                                   const char *id, const char **stored,
                                   const char **computed);

/* One writer at a time: on PostgreSQL, wait for the write lock of the
 * store (its table prefix) in the current transaction (ne_store_lock_pgsql
 * prepared); on SQLite the transaction is begun IMMEDIATE instead. */
apr_status_t ne_store_write_lock(ne_store_t *st, apr_pool_t *pool, const char *prefix);

/* ne_store_edit.c (schema version 3, ne_store_edit_stmts prepared): take
 * the event at (date, slug) out, with its sources, topic links, counts and
 * search index entry, and remember its URL as gone (410) since `now`;
 * APR_ENOENT when there is none. And make a URL live again (a put where an
 * event was deleted or moved away). */
apr_status_t ne_store_delete(ne_writer_t *w, apr_pool_t *pool, const char *date,
                             const char *slug, const char *now);
apr_status_t ne_store_revive(ne_writer_t *w, apr_pool_t *pool, const char *date,
                             const char *slug);

/* Move the event at (from_date, from_slug) to (to_date, to_slug): its old
 * URL, and every URL that led to it, then lead to the new one (a chain of
 * moves ends at the last URL, never a loop). APR_ENOENT when there is no
 * event to move; APR_EEXIST when one is at the destination, unless
 * overwrite (*replaced set: it is deleted first); APR_EINVAL to itself. */
apr_status_t ne_store_move(ne_writer_t *w, apr_pool_t *pool, const char *from_date,
                           const char *from_slug, const char *to_date, const char *to_slug,
                           const char *now, int overwrite, int *replaced);

/* An export's record of a URL without an event, stored again: gone since
 * `when` (to_date NULL), or moved to (to_date, to_slug). */
apr_status_t ne_store_remember(ne_writer_t *w, apr_pool_t *pool, const char *date,
                               const char *slug, const char *to_date, const char *to_slug,
                               const char *when);

/* Call fn for every URL without an event: the gone ones (to_date NULL),
 * then the moved ones, each in (date, slug) order. A non-zero return stops
 * the walk and is returned. */
typedef apr_status_t (*ne_store_absent_fn)(void *baton, const char *date, const char *slug,
                                           const char *to_date, const char *to_slug,
                                           const char *when);
apr_status_t ne_store_each_absent(ne_store_t *st, apr_pool_t *pool, ne_store_absent_fn fn,
                                  void *baton);

/* The headline of the event stored at (date, slug); APR_ENOENT if none. */
apr_status_t ne_writer_headline_at(ne_writer_t *w, apr_pool_t *pool, const char *date,
                                   const char *slug, const char **headline);

/* Call fn for every stored event, in import order, with its sources and
 * topics. A non-zero return from fn stops the walk and is returned. */
typedef apr_status_t (*ne_store_each_fn)(void *baton, const ne_event_t *ev);
apr_status_t ne_store_each(ne_store_t *st, apr_pool_t *pool, ne_store_each_fn fn,
                           void *baton);

#endif
