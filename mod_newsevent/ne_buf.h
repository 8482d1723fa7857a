/* SPDX-License-Identifier: Apache-2.0 */
/* ne_buf: a growable byte buffer in an APR pool, the target of every renderer. */
#ifndef NE_BUF_H
#define NE_BUF_H

#include <apr_pools.h>

typedef struct ne_buf {
    apr_pool_t *pool;
    char *data;
    apr_size_t len;
    apr_size_t cap;
} ne_buf_t;

ne_buf_t *ne_buf_make(apr_pool_t *pool, apr_size_t cap);
void ne_buf_add(ne_buf_t *b, const char *s, apr_size_t n);
void ne_buf_puts(ne_buf_t *b, const char *s);
void ne_buf_putc(ne_buf_t *b, char c);
/* Append several NUL-terminated strings; the list ends with NULL. */
void ne_buf_cat(ne_buf_t *b, ...);
void ne_buf_printf(ne_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The contents as a NUL-terminated string (the buffer stays usable). */
const char *ne_buf_str(ne_buf_t *b);

/* A 64-bit digest of n bytes: MurmurHash64A (Austin Appleby's, public
 * domain), its words read little-endian whatever the host. Eight bytes a
 * step, a tenth of MD5's time. The strong ETag of an answer: a change that
 * nobody chose for it alters the digest but for a chance of 2^-64; it is
 * not cryptographic, so text written to collide on purpose could (the
 * price: a stale 304 for a page whose store text the writer controls). */
apr_uint64_t ne_bytes_digest(const void *bytes, apr_size_t n);

#endif
