/* SPDX-License-Identifier: Apache-2.0 */
/* ne_cache: a per-process cache of rendered representations, shared by the
 * threads of an Apache child. An entry is valid for one store generation
 * (bumped by every import that changes the store), so the cache is never
 * stale after an import; it holds at most a set number of bytes, dropping
 * the least recently used entries first. */
#ifndef NE_CACHE_H
#define NE_CACHE_H

#include <apr_pools.h>

typedef struct ne_cache ne_cache_t;

/* What is cached of one answer. */
typedef struct ne_cached {
    const char *body;
    apr_size_t len;
    const char *content_type;
    const char *etag;
    const char *link;         /* a Link header, or NULL */
} ne_cached_t;

/* A cache of at most max_bytes, living as long as pool; NULL when max_bytes
 * is 0 or it cannot be made. */
ne_cache_t *ne_cache_create(apr_pool_t *pool, apr_size_t max_bytes);

/* Copy the entry for key, if it is of generation gen, into pool. */
int ne_cache_get(ne_cache_t *c, apr_pool_t *pool, const char *key, apr_int64_t gen,
                 ne_cached_t *out);

/* Keep a copy of an answer for key at generation gen. */
void ne_cache_put(ne_cache_t *c, const char *key, apr_int64_t gen, const ne_cached_t *in);

/* Entries and bytes held, hits and misses, for the benchmark notes. */
void ne_cache_stats(ne_cache_t *c, apr_size_t *entries, apr_size_t *bytes,
                    apr_uint64_t *hits, apr_uint64_t *misses);

#endif
