/* SPDX-License-Identifier: Apache-2.0 */
/* ne_sha256: SHA-256 (FIPS 180-4), for the Content-Security-Policy hash of
 * the built-in stylesheet; APR offers SHA-1 only. */
#ifndef NE_SHA256_H
#define NE_SHA256_H

#include <apr_pools.h>

#define NE_SHA256_LEN 32

void ne_sha256(const void *data, apr_size_t len, unsigned char out[NE_SHA256_LEN]);

/* "'sha256-BASE64'", a CSP hash source for these bytes, in pool. */
const char *ne_sha256_csp_source(apr_pool_t *pool, const char *data, apr_size_t len);

#endif
