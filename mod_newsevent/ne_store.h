/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store: every query of the archive, over APR DBD prepared statements
 * (their text: ne_store_stmts.c). The module prepares ne_store_module_stmts
 * on each mod_dbd connection when a site first uses it (ne_store_conn_t);
 * the tool prepares them and ne_store_write_stmts itself. No SQL is ever
 * built from request data: values travel only as parameters.
 *
 * Every function returns an apr_status_t: APR_SUCCESS, APR_ENOENT for
 * nothing there, one of the NE_STORE_E* below for a failure the caller can
 * heal, APR_EINVAL for data the store refuses, APR_EGENERAL for any other
 * failure. On failure st->error holds the statement's label and the
 * driver's message, st->dbd_rc the driver's own code. */
#ifndef NE_STORE_H
#define NE_STORE_H

#include <apr_dbd.h>
#include <apr_hash.h>
#include "ne_event.h"
#include "ne_log.h"

/* The module's statements on one connection, for one table prefix, kept as
 * long as the connection (in its pool): prepared when a statement is first
 * needed, all of them or none, in a pool of their own (ne_store_db.c). */
typedef struct ne_store_conn {
    apr_pool_t *pool;           /* the connection's */
    const char *prefix;         /* "" for none */
    apr_hash_t *prepared;       /* label -> apr_dbd_prepared_t *; NULL: not (yet) */
    apr_pool_t *stmts;          /* where they live */
    const char *stuck_error;    /* set: a preparation failed half way, and is not */
    apr_int64_t stuck_version;  /* tried again before SQLite's schema_version changes */
    int derived_absent;         /* the store predates stored derived data (version 4):
                                   computed as read, until the statements are forgotten */
    int rank_registered;        /* SQLite: search's rank function is on the handle */
} ne_store_conn_t;

typedef struct ne_store {
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    apr_hash_t *prepared;   /* label -> apr_dbd_prepared_t * */
    ne_store_conn_t *conn;  /* set: the statements are conn's, prepared on first use */
    const char *error;      /* the last failure: label and driver's message */
    int dbd_rc;             /* and the driver's code for it */
    long rows;              /* rows read, for the request's notes */
    ne_log_t log;           /* where the store's own lines go */
} ne_store_t;

/* Failures a caller can heal or name, told apart by the driver's code where the
 * driver gives one (ne_store_db.c says where it does not). */
#define NE_STORE_ESCHEMA  (APR_OS_START_USERERR + 1)  /* SQLite's schema changed:
                                                          prepare again */
#define NE_STORE_ECORRUPT (APR_OS_START_USERERR + 2)  /* SQLite read a damaged page:
                                                          drop its cache */
#define NE_STORE_EACCESS  (APR_OS_START_USERERR + 4)  /* SQLite cannot write the file or
                                                          its folder (WAL mode needs both,
                                                          even to read): the owner's to
                                                          mend */
#define NE_STORE_ESTALE   (APR_OS_START_USERERR + 3)
#define NE_STORE_EBUSY    (APR_OS_START_USERERR + 5)  /* another writer holds the store
                                                          (SQLite) or won a conflict
                                                          (PostgreSQL): try again */  /* PostgreSQL lost the session or
                                                          its statements: reconnect,
                                                          prepare again */

typedef struct ne_stmt {
    const char *label;      /* [a-z0-9_]: PostgreSQL PREPARE names */
    const char *sql;
} ne_stmt_t;

/* NULL-terminated lists: the reads of one event and of the lists, the
 * tool's writes and statistics. */
extern const ne_stmt_t ne_store_read_stmts[];
extern const ne_stmt_t ne_store_list_stmts[];
extern const ne_stmt_t ne_store_write_stmts[];
extern const ne_stmt_t ne_store_stats_stmts[];
/* Each driver's own (schema version 2): search, and the import's upkeep of
 * the search index. ne_store_dialect picks a driver's. */
extern const ne_stmt_t ne_store_search_sqlite3[];
extern const ne_stmt_t ne_store_search_pgsql[];
extern const ne_stmt_t ne_store_index_sqlite3[];
extern const ne_stmt_t ne_store_index_pgsql[];
const ne_stmt_t *ne_store_dialect(const char *driver, const ne_stmt_t *sqlite3,
                                  const ne_stmt_t *pgsql);

/* Deleted and moved events (schema version 3): the module's reads, and the
 * edits (with ne_store_write_stmts). */
extern const ne_stmt_t ne_store_gone_stmts[];
extern const ne_stmt_t ne_store_edit_stmts[];
extern const ne_stmt_t ne_store_lock_pgsql[];
extern const ne_stmt_t ne_store_lock_sqlite3[];
/* PostgreSQL's import in batches (ne_store_bulk.c), prepared by the tool
 * on a PostgreSQL store. */
extern const ne_stmt_t ne_store_bulk_pgsql[];
extern const ne_stmt_t ne_store_bulk_aux_pgsql[];

/* Derived data (schema version 4): the module's reads, prepared on first
 * use; their upkeep, with the writes (and each driver's bulk statements). */
extern const ne_stmt_t ne_store_derived_stmts[];
extern const ne_stmt_t ne_store_whole_sqlite3[];
extern const ne_stmt_t ne_store_whole_pgsql[];
extern const ne_stmt_t ne_store_upkeep_stmts[];
extern const ne_stmt_t ne_store_upkeep_sqlite3[];
extern const ne_stmt_t ne_store_upkeep_pgsql[];

/* The schema's version this code writes and reads; stores of version 1
 * (made before search) have no schema_version table. Version 2 adds the
 * search index, version 3 the deleted and moved events (gone, moved),
 * version 4 the stored related lists and companions. */
#define NE_SCHEMA_VERSION 4

/* The lists the module prepares on every connection, NULL-terminated. */
extern const ne_stmt_t *const ne_store_module_stmts[];

/* The store's tables and indexes, the names a table prefix applies to. */
extern const char *const ne_store_tables[];

/* sql with every table and index name given `prefix` ("" or NULL: sql
 * itself). The prefix is checked by ne_store_prefix_valid first; request
 * data never comes near it. */
const char *ne_store_sql(apr_pool_t *pool, const char *sql, const char *prefix);

/* True for "" or [a-z][a-z0-9_]{0,31}. */
int ne_store_prefix_valid(const char *prefix);

/* Prepare a list on st's connection, with a table prefix (the tool). A
 * SQLite store that is busy is waited for, as long as the driver waits for
 * a busy step (ne_store_db.c). */
apr_status_t ne_store_prepare(ne_store_t *st, apr_pool_t *pool, const ne_stmt_t *list,
                              const char *prefix);

/* The same, skipping the labels st has prepared already (PostgreSQL
 * refuses a name prepared twice): what a connection lacks, prepared on
 * first use. */
apr_status_t ne_store_prepare_missing(ne_store_t *st, apr_pool_t *pool, const ne_stmt_t *list,
                                      const char *prefix);

/* A failure of the driver's (code rc) in `what` (a statement's label, or
 * BEGIN, COMMIT), recorded in st and named as the store names its own. */
apr_status_t ne_store_failure(ne_store_t *st, apr_pool_t *pool, const char *what, int rc);

/* Forget the statements st->conn holds (after a change of the SQLite
 * store's schema, or a reconnection to PostgreSQL): the next statement
 * prepares them all again. */
void ne_store_forget(ne_store_t *st);

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

/* What an event's URL answers once no event is there (ne_store_edit.c):
 * gone (*when: when it was deleted), or moved (to *date, *slug); APR_ENOENT
 * for neither. The statements (ne_store_gone_stmts) must be prepared. */
apr_status_t ne_store_gone(ne_store_t *st, apr_pool_t *pool, const char *date,
                           const char *slug, const char **when);
apr_status_t ne_store_moved(ne_store_t *st, apr_pool_t *pool, const char *date,
                            const char *slug, const char **to_date, const char **to_slug);

/* A sitemap: the index of the months (month NULL), or the events of a
 * month "YYYY-MM" (APR_ENOENT when it has none), at most NE_SITEMAP_MAX. */
apr_status_t ne_store_sitemap(ne_store_t *st, apr_pool_t *pool, const char *month,
                              ne_sitemap_t **out);

/* Search (ne_store_search.c, schema version 2). */
#define NE_SEARCH_FROM_ANY "0000-00-00"
#define NE_SEARCH_TO_ANY "9999-99-99"
typedef struct ne_search_query {
    const struct ne_search *search;  /* what the reader typed, understood */
    const char *key;        /* the canonical query string (q=...&sort=...), for links */
    int by_date;            /* newest first, rather than best first */
    const char *from;       /* "YYYY-MM-DD", or NE_SEARCH_FROM_ANY */
    const char *to;         /* "YYYY-MM-DD", or NE_SEARCH_TO_ANY */
    const char *topic;      /* a topic's slug, or "" */
    int page;
    int page_size;
} ne_search_query_t;

/* Prepare the driver's search statements on st's connection, into pool,
 * unless they are there: APR_SUCCESS, or the failure of a store whose
 * schema predates search. */
apr_status_t ne_store_search_ready(ne_store_t *st, apr_pool_t *pool, const char *prefix);

/* A page of matches (kind NE_LIST_SEARCH, each with its snippet) and how
 * many there are in all. No match is an empty page 1; a page past the
 * last is APR_ENOENT. */
apr_status_t ne_store_search(ne_store_t *st, apr_pool_t *pool, const ne_search_query_t *q,
                             ne_list_t **out);

/* `newsevent stats`: per year its events and days (name "2017"); then the
 * `limit` topics with the most events (name, key = slug, events). */
typedef struct ne_stats_row {
    const char *name;
    const char *key;
    long events;
    long days;
} ne_stats_row_t;

apr_status_t ne_store_stats(ne_store_t *st, apr_pool_t *pool, int limit,
                            apr_array_header_t **years, apr_array_header_t **topics);

#endif
