/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_i64map.h"

typedef struct ne_i64slot {
    apr_int64_t key;
    void *value;                    /* NULL: the slot is free */
} ne_i64slot_t;

struct ne_i64map {
    apr_pool_t *pool;
    ne_i64slot_t *slot;
    int bits;                       /* the table has 1 << bits slots */
    apr_array_header_t *values;
};

static void ne_i64map_table(ne_i64map_t *m, int bits)
{
    m->bits = bits;
    m->slot = apr_pcalloc(m->pool, ((apr_size_t)1 << bits) * sizeof(*m->slot));
}

ne_i64map_t *ne_i64map_make(apr_pool_t *pool, apr_size_t hint)
{
    ne_i64map_t *m = apr_palloc(pool, sizeof(*m));
    int bits = 4;

    while (((apr_size_t)1 << bits) < 2 * hint) {
        bits++;
    }
    m->pool = pool;
    ne_i64map_table(m, bits);
    m->values = apr_array_make(pool, (int)(hint ? hint : 1), sizeof(void *));
    return m;
}

/* key's slot, or the free slot where it would go. Fibonacci hashing: the
 * top bits of the product depend on every bit of the key. */
static ne_i64slot_t *ne_i64map_find(const ne_i64map_t *m, apr_int64_t key)
{
    apr_size_t mask = ((apr_size_t)1 << m->bits) - 1;
    apr_size_t i = (apr_size_t)(((apr_uint64_t)key * APR_UINT64_C(0x9E3779B97F4A7C15))
                                >> (64 - m->bits));

    while (m->slot[i].value != NULL && m->slot[i].key != key) {
        i = (i + 1) & mask;
    }
    return &m->slot[i];
}

void *ne_i64map_get(const ne_i64map_t *m, apr_int64_t key)
{
    return ne_i64map_find(m, key)->value;
}

void ne_i64map_add(ne_i64map_t *m, apr_int64_t key, void *value)
{
    ne_i64slot_t *old = m->slot, *s;
    apr_size_t n = (apr_size_t)1 << m->bits, i;

    if ((apr_size_t)(m->values->nelts + 1) * 2 > n) {      /* keep it half free */
        ne_i64map_table(m, m->bits + 1);
        for (i = 0; i < n; i++) {
            if (old[i].value != NULL) {
                *ne_i64map_find(m, old[i].key) = old[i];
            }
        }
    }
    s = ne_i64map_find(m, key);
    s->key = key;
    s->value = value;
    APR_ARRAY_PUSH(m->values, void *) = value;
}

apr_array_header_t *ne_i64map_values(const ne_i64map_t *m)
{
    return m->values;
}
