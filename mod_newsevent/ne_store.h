/* ne_store: every query of the archive, over APR DBD prepared statements.
 * The module registers ne_store_read_stmts with mod_dbd at configuration
 * time; the tool prepares them and ne_store_write_stmts itself. No SQL is
 * ever built from request data: values travel only as parameters. */
#ifndef NE_STORE_H
#define NE_STORE_H

#include <apr_dbd.h>
#include <apr_hash.h>
#include "ne_event.h"

typedef struct ne_store {
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_hash_t *prepared;   /* label -> apr_dbd_prepared_t * */
    const char *error;      /* the last failure, for the caller's log */
    long rows;              /* rows read, for the request's notes */
} ne_store_t;

/* The columns ne_store_read_event reads, in its order. */
#define NE_EVENT_COLS "id, date, slug, category, story, headline, body, image, updated"
/* The same, of events aliased e. */
#define NE_EVENT_COLS_E "e.id, e.date, e.slug, e.category, e.story, e.headline, e.body," \
                        " e.image, e.updated"

/* How many events of each of an event's topics, on each side of it in
 * time, the related-events search looks at; and through how many of its
 * topics (the first ones). */
#define NE_RELATED_WINDOW 100
#define NE_RELATED_TOPICS 32
/* Topics whose windows one statement reads; events one fill reads. */
#define NE_WINDOW_TOPICS 4
#define NE_FILL_EVENTS 5

typedef struct ne_stmt {
    const char *label;      /* [a-z0-9_]: PostgreSQL PREPARE names */
    const char *sql;
} ne_stmt_t;

/* NULL-terminated lists: the module's reads (ne_store.c and
 * ne_store_list.c), and the tool's writes. */
extern const ne_stmt_t ne_store_read_stmts[];
extern const ne_stmt_t ne_store_list_stmts[];
extern const ne_stmt_t ne_store_write_stmts[];

/* The store's tables and indexes, the names a table prefix applies to. */
extern const char *const ne_store_tables[];

/* sql with every table and index name given `prefix` ("" or NULL: sql
 * itself). The prefix is checked by ne_store_prefix_valid first; request
 * data never comes near it. */
const char *ne_store_sql(apr_pool_t *pool, const char *sql, const char *prefix);

/* True for "" or [a-z][a-z0-9_]{0,31}. */
int ne_store_prefix_valid(const char *prefix);

/* Prepare a list on st's connection, with a table prefix (the tool, and the
 * module's recovery after a reconnection; mod_dbd prepares them for the
 * module). */
apr_status_t ne_store_prepare(ne_store_t *st, apr_pool_t *pool, const ne_stmt_t *list,
                              const char *prefix);

/* The event row at (date, slug) alone, without sources, topics or related
 * events: one statement. APR_ENOENT when there is none. */
apr_status_t ne_store_event_row(ne_store_t *st, apr_pool_t *pool, const char *date,
                                const char *slug, ne_event_t **out);

/* One event with its sources, topics and at most related_max related
 * events. APR_ENOENT when there is none; another error sets st->error. */
apr_status_t ne_store_event(ne_store_t *st, apr_pool_t *pool, const char *date,
                            const char *slug, int related_max, ne_event_t **out);

/* When an import last changed the store (for Last-Modified; 0 unknown), and
 * the store's generation, which every such import bumps. */
apr_status_t ne_store_changed(ne_store_t *st, apr_pool_t *pool, apr_time_t *changed,
                              apr_int64_t *generation);

/* Lists (ne_store_list.c). `key` as ne_list_t says; page is 1-based and
 * page_size bounds paged lists; front_days is how many days the front page
 * shows. APR_ENOENT for a list without events or a page past the last. */
typedef struct ne_list_query {
    ne_list_kind_e kind;
    const char *key;
    int page;
    int page_size;
    int front_days;
    int limit;              /* at most this many events in a day or front page */
} ne_list_query_t;

apr_status_t ne_store_list(ne_store_t *st, apr_pool_t *pool, const ne_list_query_t *q,
                           ne_list_t **out);

/* The latest `limit` events, with their bodies: of the whole archive when
 * topic is NULL, else of that topic (whose name is set in *name). */
apr_status_t ne_store_latest(ne_store_t *st, apr_pool_t *pool, const char *topic,
                             int limit, const char **name, apr_array_header_t **out);

/* Internal to the store's files. */
apr_status_t ne_store_select(ne_store_t *st, apr_pool_t *pool, const char *label,
                             apr_dbd_results_t **res, int nargs, ...);
apr_status_t ne_store_selectv(ne_store_t *st, apr_pool_t *pool, const char *label,
                              apr_dbd_results_t **res, int nargs, const char **args);
int ne_store_row(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                 apr_dbd_row_t **row);
const char *ne_store_col(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col);
apr_status_t ne_store_fail(ne_store_t *st, apr_pool_t *pool, const char *label, int rc);
void ne_store_read_event(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row,
                         ne_event_t *ev);
apr_status_t ne_store_events(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                             apr_array_header_t *into);
apr_status_t ne_store_sources(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev);
apr_status_t ne_store_topics(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev);
/* A column's integer, read in place without a copy (ids, days, counts). */
apr_int64_t ne_store_int(ne_store_t *st, apr_dbd_row_t *row, int col);
/* Append to ev the source (name, url) or topic (name, slug, id) a row
 * holds from column col on. */
typedef void ne_store_push_fn(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col,
                              ne_event_t *ev);
ne_store_push_fn ne_store_push_source, ne_store_push_topic;
/* ev's related events, at most max, ev being on day number `day`
 * (ne_store_related.c). */
apr_status_t ne_store_related(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev, long day,
                              int max);

#endif
