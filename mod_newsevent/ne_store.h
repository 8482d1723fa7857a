/* ne_store: every query of the archive, over APR DBD prepared statements.
 * The module registers ne_store_read_stmts with mod_dbd at configuration
 * time; the tool prepares both lists itself. No SQL is ever built from
 * request data: values travel only as statement parameters. */
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
} ne_store_t;

/* The columns ne_store_read_event reads, in its order. */
#define NE_EVENT_COLS "id, date, slug, category, story, headline, body, image, updated"

typedef struct ne_stmt {
    const char *label;      /* [a-z0-9_]: PostgreSQL PREPARE names */
    const char *sql;
} ne_stmt_t;

/* NULL-terminated lists. */
extern const ne_stmt_t ne_store_read_stmts[];
extern const ne_stmt_t ne_store_write_stmts[];

/* Prepare a list on st's connection (the tool; mod_dbd does it for the
 * module). */
apr_status_t ne_store_prepare(ne_store_t *st, apr_pool_t *pool, const ne_stmt_t *list);

/* One event with its sources, topics and at most related_max related
 * events. APR_ENOENT when there is none; another error sets st->error. */
apr_status_t ne_store_event(ne_store_t *st, apr_pool_t *pool, const char *date,
                            const char *slug, int related_max, ne_event_t **out);

/* One day's event summaries and its neighbours. APR_ENOENT for a day
 * without events. */
apr_status_t ne_store_day(ne_store_t *st, apr_pool_t *pool, const char *date,
                          ne_day_t **out);

/* Internal to the store's files: run a prepared select, read rows. */
apr_status_t ne_store_select(ne_store_t *st, apr_pool_t *pool, const char *label,
                             apr_dbd_results_t **res, int nargs, ...);
int ne_store_row(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                 apr_dbd_row_t **row);
const char *ne_store_col(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col);
apr_status_t ne_store_fail(ne_store_t *st, apr_pool_t *pool, const char *label, int rc);
void ne_store_read_event(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row,
                         ne_event_t *ev);   /* the NE_EVENT_COLS of a row */
apr_status_t ne_store_sources(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev);
apr_status_t ne_store_topics(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev);

#endif
