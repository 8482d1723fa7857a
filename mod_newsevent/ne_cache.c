/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_cache.h"

#include <stdlib.h>
#include <string.h>
#include <apr_allocator.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

/* One entry: one malloc'd block holding the struct and its strings, so an
 * eviction is one free. Entries form a list, most recently used first. */
typedef struct ne_entry {
    struct ne_entry *prev, *next;
    const char *key;
    apr_int64_t gen;
    apr_size_t size;          /* of the whole block */
    ne_cached_t value;
} ne_entry_t;

struct ne_cache {
    apr_thread_mutex_t *lock;
    apr_hash_t *index;        /* key -> ne_entry_t */
    ne_entry_t *head, *tail;
    apr_size_t bytes, max_bytes;
    apr_uint64_t hits, misses;
};

static apr_status_t ne_cache_cleanup(void *data)
{
    ne_cache_t *c = data;
    ne_entry_t *e = c->head, *next;

    for (; e; e = next) {
        next = e->next;
        free(e);
    }
    c->head = c->tail = NULL;
    return APR_SUCCESS;
}

ne_cache_t *ne_cache_create(apr_pool_t *pool, apr_size_t max_bytes)
{
    ne_cache_t *c;
    apr_allocator_t *alloc;
    apr_pool_t *own;

    if (max_bytes == 0) {
        return NULL;
    }
    c = apr_pcalloc(pool, sizeof(*c));
    if (apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, pool) != APR_SUCCESS) {
        return NULL;
    }
    /* The index grows while requests run, on many threads: its nodes come
     * from a pool of its own, with an allocator of its own, touched only
     * under the lock (the given pool's allocator is shared and unlocked). */
    if (apr_allocator_create(&alloc) != APR_SUCCESS) {
        return NULL;
    }
    if (apr_pool_create_ex(&own, pool, NULL, alloc) != APR_SUCCESS) {
        apr_allocator_destroy(alloc);
        return NULL;
    }
    apr_allocator_owner_set(alloc, own);
    c->index = apr_hash_make(own);
    c->max_bytes = max_bytes;
    apr_pool_cleanup_register(pool, c, ne_cache_cleanup, apr_pool_cleanup_null);
    return c;
}

static void ne_cache_unlink(ne_cache_t *c, ne_entry_t *e)
{
    if (e->prev) {
        e->prev->next = e->next;
    }
    else {
        c->head = e->next;
    }
    if (e->next) {
        e->next->prev = e->prev;
    }
    else {
        c->tail = e->prev;
    }
    e->prev = e->next = NULL;
}

static void ne_cache_push_front(ne_cache_t *c, ne_entry_t *e)
{
    e->prev = NULL;
    e->next = c->head;
    if (c->head) {
        c->head->prev = e;
    }
    c->head = e;
    if (c->tail == NULL) {
        c->tail = e;
    }
}

static void ne_cache_drop(ne_cache_t *c, ne_entry_t *e)
{
    ne_cache_unlink(c, e);
    apr_hash_set(c->index, e->key, APR_HASH_KEY_STRING, NULL);
    c->bytes -= e->size;
    free(e);
}

static const char *ne_dup(apr_pool_t *pool, const char *s)
{
    return s ? apr_pstrdup(pool, s) : NULL;
}

int ne_cache_get(ne_cache_t *c, apr_pool_t *pool, const char *key, apr_int64_t gen,
                 ne_cached_t *out)
{
    ne_entry_t *e;
    int hit = 0;

    if (c == NULL) {
        return 0;
    }
    apr_thread_mutex_lock(c->lock);
    e = apr_hash_get(c->index, key, APR_HASH_KEY_STRING);
    if (e != NULL && e->gen != gen) {
        ne_cache_drop(c, e);              /* an older store's answer */
        e = NULL;
    }
    if (e != NULL) {
        ne_cache_unlink(c, e);
        ne_cache_push_front(c, e);
        /* A copy: the entry may be evicted while the answer is sent. */
        out->body = apr_pmemdup(pool, e->value.body, e->value.len);
        out->len = e->value.len;
        out->content_type = ne_dup(pool, e->value.content_type);
        out->etag = ne_dup(pool, e->value.etag);
        out->link = ne_dup(pool, e->value.link);
        hit = 1;
        c->hits++;
    }
    else {
        c->misses++;
    }
    apr_thread_mutex_unlock(c->lock);
    return hit;
}

/* Append s (and its NUL) at *p in the block; return where it went. */
static const char *ne_pack(char **p, const char *s)
{
    char *at = *p;
    apr_size_t n;

    if (s == NULL) {
        return NULL;
    }
    n = strlen(s) + 1;
    memcpy(at, s, n);
    *p += n;
    return at;
}

void ne_cache_put(ne_cache_t *c, const char *key, apr_int64_t gen, const ne_cached_t *in)
{
    apr_size_t size = sizeof(ne_entry_t) + in->len + strlen(key) + 1
                      + strlen(in->content_type) + 1 + strlen(in->etag) + 1
                      + (in->link ? strlen(in->link) + 1 : 0);
    ne_entry_t *e, *old;
    char *p;

    if (c == NULL || size > c->max_bytes / 4) {
        return;                         /* one answer may fill a quarter at most */
    }
    if ((e = malloc(size)) == NULL) {
        return;
    }
    p = (char *)(e + 1);
    memcpy(p, in->body, in->len);
    e->value.body = p;
    e->value.len = in->len;
    p += in->len;
    e->key = ne_pack(&p, key);
    e->value.content_type = ne_pack(&p, in->content_type);
    e->value.etag = ne_pack(&p, in->etag);
    e->value.link = ne_pack(&p, in->link);
    e->gen = gen;
    e->size = size;
    apr_thread_mutex_lock(c->lock);
    if ((old = apr_hash_get(c->index, key, APR_HASH_KEY_STRING)) != NULL) {
        ne_cache_drop(c, old);
    }
    while (c->bytes + size > c->max_bytes && c->tail != NULL) {
        ne_cache_drop(c, c->tail);
    }
    ne_cache_push_front(c, e);
    apr_hash_set(c->index, e->key, APR_HASH_KEY_STRING, e);
    c->bytes += size;
    apr_thread_mutex_unlock(c->lock);
}

void ne_cache_stats(ne_cache_t *c, apr_size_t *entries, apr_size_t *bytes,
                    apr_uint64_t *hits, apr_uint64_t *misses)
{
    apr_thread_mutex_lock(c->lock);
    *entries = apr_hash_count(c->index);
    *bytes = c->bytes;
    *hits = c->hits;
    *misses = c->misses;
    apr_thread_mutex_unlock(c->lock);
}
