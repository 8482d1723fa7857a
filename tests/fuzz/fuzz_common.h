/* SPDX-License-Identifier: Apache-2.0 */
/* What the libFuzzer targets share: one APR pool per input. */
#ifndef NE_FUZZ_COMMON_H
#define NE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

static apr_pool_t *ne_fuzz_root;

static apr_pool_t *ne_fuzz_pool(void)
{
    apr_pool_t *p;

    if (ne_fuzz_root == NULL) {
        apr_initialize();
        apr_pool_create(&ne_fuzz_root, NULL);
    }
    apr_pool_create(&p, ne_fuzz_root);
    return p;
}

/* The input as a NUL-terminated string in pool. */
static char *ne_fuzz_str(apr_pool_t *p, const uint8_t *data, size_t size)
{
    char *s = apr_palloc(p, size + 1);

    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#define NE_FUZZ_ASSERT(c) do { if (!(c)) { abort(); } } while (0)

#endif
