/* SPDX-License-Identifier: Apache-2.0 */
/* ne_i64map: a map from 64-bit integers to pointers, in an APR pool. Open
 * addressing: linear probing over a power-of-two table, never more than
 * half full, indexed by the top bits of a multiplicative hash; the values
 * are kept in the order their keys were added. Made for the hundreds of
 * related-event candidates of one request (ne_store_related), where
 * apr_hash_t cost a tenth of the request's instructions. */
#ifndef NE_I64MAP_H
#define NE_I64MAP_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct ne_i64map ne_i64map_t;

/* A map with room for about `hint` keys before it first grows. */
ne_i64map_t *ne_i64map_make(apr_pool_t *pool, apr_size_t hint);

/* The value of key, or NULL. */
void *ne_i64map_get(const ne_i64map_t *m, apr_int64_t key);

/* Adds key, which must not be in the map yet, with value (not NULL). */
void ne_i64map_add(ne_i64map_t *m, apr_int64_t key, void *value);

/* The values, in the order their keys were added (an array of void *,
 * the map's own: it may be reordered, not grown). */
apr_array_header_t *ne_i64map_values(const ne_i64map_t *m);

#endif
