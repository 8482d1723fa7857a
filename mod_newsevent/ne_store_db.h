/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_db: what the store's files share, and nothing outside the
 * store includes: running prepared statements, reading rows into records,
 * and the shape of the related-events statements. */
#ifndef NE_STORE_DB_H
#define NE_STORE_DB_H

#include "ne_store.h"
#include "ne_store_write.h"
#include "ne_buf.h"

/* The columns ne_db_read_event reads, in its order. */
#define NE_EVENT_COLS "id, date, slug, category, story, headline, body, image, updated"
/* The same, of events aliased e. */
#define NE_EVENT_COLS_E "e.id, e.date, e.slug, e.category, e.story, e.headline, e.body," \
                        " e.image, e.updated"

/* How many events of each of an event's topics, on each side of it in
 * time, the related-events search looks at; and through how many of its
 * topics (the first ones). */
#define NE_RELATED_WINDOW 100
#define NE_RELATED_TOPICS 32
/* A search ranks or dates the newest this many matches (by id) that pass
 * its filters; past them its total says "more" (total_capped). It reads
 * one more to know. */
#define NE_SEARCH_CANDIDATES 2000
#define NE_SEARCH_CANDIDATES_SQL "2000"
#define NE_SEARCH_READ_SQL "2001"
/* On PostgreSQL, the newest this many ids a search reads one by one before
 * it asks the index for every match (ne_store_stmts.c says why); and how
 * far a second window, sized by the first's density, may reach. */
#define NE_SEARCH_WINDOW 20000
#define NE_SEARCH_WINDOW_MAX 400000

/* The reach of a change in a topic's time order (NE_RELATED_WINDOW - 1:
 * OFFSET 99 is the 100th event before or after it). */
#define NE_UPKEEP_REACH 99

/* Topics whose windows one statement reads; events one fill reads. */
#define NE_WINDOW_TOPICS 4
#define NE_FILL_EVENTS 5

apr_status_t ne_db_select(ne_store_t *st, apr_pool_t *pool, const char *label,
                          apr_dbd_results_t **res, int nargs, ...);
apr_status_t ne_db_selectv(ne_store_t *st, apr_pool_t *pool, const char *label,
                           apr_dbd_results_t **res, int nargs, const char **args);
/* Run a prepared statement that returns no rows (an insert, an update). */
apr_status_t ne_db_exec(ne_store_t *st, apr_pool_t *pool, const char *label, int nargs,
                        const char **args);
int ne_db_row(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
              apr_dbd_row_t **row);
const char *ne_db_col(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col);
apr_status_t ne_db_fail(ne_store_t *st, apr_pool_t *pool, const char *label, int rc);
void ne_db_read_event(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row,
                      ne_event_t *ev);
apr_status_t ne_db_events(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                          apr_array_header_t *into);
apr_status_t ne_store_sources(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev);
apr_status_t ne_store_topics(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev);
/* A column's integer, read in place without a copy (ids, days, counts). */
apr_int64_t ne_db_int(ne_store_t *st, apr_dbd_row_t *row, int col);
/* Append to ev the source (name, url) or topic (name, slug, id) a row
 * holds from column col on. */
typedef void ne_db_push_fn(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col,
                           ne_event_t *ev);
ne_db_push_fn ne_db_push_source, ne_db_push_topic;
/* ev's related events, at most max, ev being on day number `day`: read
 * from the stored list (ne_store_derive.c) where there is one and it holds
 * enough; else computed (ne_store_related.c), as the stored one was. */
apr_status_t ne_store_related(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev, long day,
                              int max);
/* The same, from the list read with the event (NULL: not read; "-": there
 * is none). */
apr_status_t ne_store_related_listed(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev,
                                     long day, int max, const char *text);
/* Whether the connection reads stored derived data (its statements are
 * prepared on first use; a store that predates them is said once). */
int ne_store_derived_ready(ne_store_t *st, apr_pool_t *pool);
apr_status_t ne_store_related_computed(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev,
                                       long day, int max);
/* The stored list of `label`'s row for id (newsevent_related_list,
 * newsevent_companions_list): APR_ENOENT when there is none. */
apr_status_t ne_store_derived_text(ne_store_t *st, apr_pool_t *pool, const char *label,
                                   const char *id, const char **text);
/* A topic's companions (ne_topic_count_t), stored or computed. */
apr_status_t ne_store_companions(ne_store_t *st, apr_pool_t *pool, const char *topic_id,
                                 apr_array_header_t **out);
apr_status_t ne_store_companions_computed(ne_store_t *st, apr_pool_t *pool,
                                          const char *topic_id, apr_array_header_t **out);

/* A topic an import has met: its id and the name the store holds. */
typedef struct ne_topic_ref {
    const char *id;          /* NULL: to be added by the writer's next batch */
    const char *name;
    const char *slug;        /* a topic the batch adds: its slug; else NULL */
    int seen;                /* an event of this import has named it: its
                                spelling is settled */
    const char *name_before; /* renamed by the batch not yet written: the old name */
    int renamed_at;          /* and its place in the batch's renames */
} ne_topic_ref_t;

/* What ne_store_write.c defers to PostgreSQL's batches (ne_store_bulk.c):
 * with w->bulk set, topics are found among the store's as the file began,
 * and new topics and renames wait for the next batch; days the writer
 * does not know had no events. */
typedef struct ne_writer_bulk {
    apr_hash_t *stored_topics;           /* slug -> ne_topic_ref_t * */
    apr_array_header_t *topics_new;      /* ne_topic_ref_t *, in the order met */
    apr_array_header_t *topics_renamed;  /* ne_topic_ref_t * */
    struct ne_bulk_batch *batch;         /* the records waiting (ne_store_bulk.c) */
} ne_writer_bulk_t;

/* ne_store_bulk_index.c: a batch's rows as JSON text ("[" then objects of
 * one-letter keys, each opened with its first key), and its search index
 * entries. A second connection to the store (NULL when it cannot be
 * opened) computes the entries of NE_BULK_AUX_MIN or more events while the
 * batch's rows are written: started on the written events (ne_event_t *)
 * before their ids are known, ended (stored) once they are, whatever rv the
 * writes returned (which is returned when not APR_SUCCESS). */
#define NE_BULK_AUX_MIN 200
ne_buf_t *ne_bulk_list(apr_pool_t *pool);
void ne_bulk_open(ne_buf_t *b, char key, const char *val);
void ne_bulk_field(ne_buf_t *b, char key, const char *val);
typedef struct ne_bulk_aux ne_bulk_aux_t;
typedef struct ne_bulk_index ne_bulk_index_t;
ne_bulk_aux_t *ne_bulk_aux_open(const ne_store_t *st, apr_pool_t *pool, const char *params);
ne_bulk_index_t *ne_bulk_index_start(ne_bulk_aux_t *aux, apr_pool_t *p,
                                     apr_array_header_t *events);
apr_status_t ne_bulk_index_end(ne_store_t *st, apr_pool_t *p, ne_bulk_index_t *ix,
                               apr_status_t rv);

/* ne_store_write.c's steps of an upsert, shared with the batches: the
 * spelling of ev's topics (APR_EINVAL: a name would merge two topics), one
 * more event under a key of a count, whether two events are the same, a
 * date's day number as text. */
apr_status_t ne_writer_spell(ne_writer_t *w, apr_pool_t *pool, ne_event_t *ev);
void ne_writer_count(apr_hash_t *counts, const char *key);
int ne_event_same(const ne_event_t *a, const ne_event_t *b);
const char *ne_writer_day(apr_pool_t *pool, const char *date);

#endif
