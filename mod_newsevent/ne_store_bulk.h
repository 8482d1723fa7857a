/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_bulk: an import's records written in batches on PostgreSQL,
 * where a statement a row costs a round trip each; on SQLite each record is
 * upserted as it comes (ne_store_upsert), which is fast there. The outcome
 * is the same either way: the same rows, ids in the records' order, the
 * same counts of added, updated and unchanged records. */
#ifndef NE_STORE_BULK_H
#define NE_STORE_BULK_H

#include "ne_store_write.h"

/* Records a batch holds before it is written, and their texts' bytes (a
 * record may carry megabytes: a statement's parameter stays far below
 * PostgreSQL's 1 GB). */
#define NE_BULK_RECORDS 1000
#define NE_BULK_BYTES (16 * 1024 * 1024)

/* Start batching w's writes when its store is PostgreSQL (ne_store_bulk_pgsql
 * prepared): the store's days and topics are read once, in w's transaction
 * after its write lock. Nothing on another store. params: the store's
 * (apr_dbd_open's), for a second connection that computes the index
 * entries of big batches; NULL: none. */
apr_status_t ne_store_bulk_begin(ne_writer_t *w, apr_pool_t *pool, const char *params);

/* ne_store_upsert, or, batching, the record's topics spelled at once
 * (APR_EINVAL as ne_store_upsert, nothing of it kept) and the record queued
 * (*what NE_UPSERT_QUEUED); a full batch is written (a failure: the store's
 * status, st->error set). */
apr_status_t ne_store_put(ne_writer_t *w, apr_pool_t *pool, ne_event_t *ev, const char *now,
                          ne_upsert_e *what);

/* Write the last batch and the counts of days and topics, and add the
 * queued records' outcomes to the three counts: before
 * ne_store_mark_changed. Nothing when w is not batching. */
apr_status_t ne_store_bulk_end(ne_writer_t *w, apr_pool_t *pool, int *added, int *updated,
                               int *unchanged);

#endif
