/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_buf.h"

#include <stdarg.h>
#include <string.h>
#include <apr_strings.h>

ne_buf_t *ne_buf_make(apr_pool_t *pool, apr_size_t cap)
{
    ne_buf_t *b = apr_palloc(pool, sizeof(*b));
    b->pool = pool;
    b->cap = cap < 64 ? 64 : cap;
    b->data = apr_palloc(pool, b->cap);
    b->len = 0;
    return b;
}

/* Doubling keeps the pool's waste below the final size. */
static void ne_buf_reserve(ne_buf_t *b, apr_size_t extra)
{
    apr_size_t need = b->len + extra + 1;
    apr_size_t cap;
    char *data;

    if (need <= b->cap) {
        return;
    }
    for (cap = b->cap * 2; cap < need; cap *= 2) {
    }
    data = apr_palloc(b->pool, cap);
    memcpy(data, b->data, b->len);
    b->data = data;
    b->cap = cap;
}

void ne_buf_add(ne_buf_t *b, const char *s, apr_size_t n)
{
    ne_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

void ne_buf_puts(ne_buf_t *b, const char *s)
{
    ne_buf_add(b, s, strlen(s));
}

void ne_buf_putc(ne_buf_t *b, char c)
{
    ne_buf_reserve(b, 1);
    b->data[b->len++] = c;
}

void ne_buf_cat(ne_buf_t *b, ...)
{
    va_list ap;
    const char *s;

    va_start(ap, b);
    while ((s = va_arg(ap, const char *)) != NULL) {
        ne_buf_puts(b, s);
    }
    va_end(ap);
}

void ne_buf_printf(ne_buf_t *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = apr_vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n >= 0 && (apr_size_t)n < sizeof(small) - 1) {
        ne_buf_add(b, small, (apr_size_t)n);
        return;
    }
    va_start(ap, fmt);
    ne_buf_puts(b, apr_pvsprintf(b->pool, fmt, ap));
    va_end(ap);
}

const char *ne_buf_str(ne_buf_t *b)
{
    ne_buf_reserve(b, 0);
    b->data[b->len] = '\0';
    return b->data;
}

apr_uint64_t ne_bytes_digest(const void *bytes, apr_size_t n)
{
    const apr_uint64_t m = APR_UINT64_C(0xc6a4a7935bd1e995);
    const unsigned char *p = bytes, *end = p + (n & ~(apr_size_t)7);
    apr_uint64_t h = APR_UINT64_C(0x6e65777365766e74) ^ ((apr_uint64_t)n * m), k;
    int i;

    for (; p < end; p += 8) {
        /* little-endian on every host (one load where the host is) */
        k = (apr_uint64_t)p[0] | (apr_uint64_t)p[1] << 8 | (apr_uint64_t)p[2] << 16
            | (apr_uint64_t)p[3] << 24 | (apr_uint64_t)p[4] << 32 | (apr_uint64_t)p[5] << 40
            | (apr_uint64_t)p[6] << 48 | (apr_uint64_t)p[7] << 56;
        k *= m;
        k ^= k >> 47;
        k *= m;
        h ^= k;
        h *= m;
    }
    if (n & 7) {
        for (i = (int)(n & 7) - 1; i >= 0; i--) {
            h ^= (apr_uint64_t)p[i] << (8 * i);
        }
        h *= m;
    }
    h ^= h >> 47;
    h *= m;
    h ^= h >> 47;
    return h;
}
