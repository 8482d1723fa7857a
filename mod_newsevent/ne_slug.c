/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_slug.h"

#include <string.h>
#include <apr_strings.h>

static int ne_slug_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

const char *ne_slug_make(apr_pool_t *pool, const char *headline)
{
    apr_size_t n = strlen(headline);
    char *out = apr_palloc(pool, n + 1 < 7 ? 7 : n + 1);
    apr_size_t len = 0, chars = 0;
    const unsigned char *s = (const unsigned char *)headline;
    int dash = 0, follow = 0;

    for (; *s && chars < NE_SLUG_SOURCE_CHARS; s++) {
        unsigned char c = *s;
        /* A character starts at every byte but the continuations its lead
         * byte announced: a stray byte of invalid UTF-8 counts as one. */
        if ((c & 0xC0) == 0x80 && follow > 0) {
            follow--;
        }
        else {
            chars++;
            follow = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        }
        if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c - 'A' + 'a');
        }
        if (ne_slug_alnum(c)) {
            if (dash && len > 0) {
                out[len++] = '-';
            }
            dash = 0;
            out[len++] = (char)c;
        }
        else {
            dash = 1;
        }
    }
    if (len == 0) {
        return "event";
    }
    out[len] = '\0';
    return out;
}

const char *ne_slug_nth(apr_pool_t *pool, const char *slug, int n)
{
    return apr_psprintf(pool, "%s-%d", slug, n);
}

int ne_slug_valid(const char *s, apr_size_t len)
{
    apr_size_t i;

    if (len == 0 || len > NE_SLUG_MAX || s[0] == '-' || s[len - 1] == '-') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (s[i] == '-') {
            if (s[i + 1] == '-') {
                return 0;
            }
        }
        else if (!ne_slug_alnum((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}
