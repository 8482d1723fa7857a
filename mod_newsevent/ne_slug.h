/* SPDX-License-Identifier: Apache-2.0 */
/* ne_slug: the slug rule (docs/design.md, "The record"), and the slug
 * grammar of URLs. */
#ifndef NE_SLUG_H
#define NE_SLUG_H

#include <apr_pools.h>

#define NE_SLUG_MAX 160        /* bytes, in URLs and in the store */
#define NE_SLUG_SOURCE_CHARS 140 /* headline characters a slug is made from */

/* The slug of a headline: its first 140 characters lower-cased, every run
 * of characters other than ASCII letters and digits turned into one '-',
 * '-' trimmed at both ends; "event" when nothing is left. */
const char *ne_slug_make(apr_pool_t *pool, const char *headline);

/* The n-th slug for a date that already has `slug` (n >= 2): "slug-n". */
const char *ne_slug_nth(apr_pool_t *pool, const char *slug, int n);

/* True when s[0..len) is [a-z0-9] runs joined by single '-', 1..160 bytes. */
int ne_slug_valid(const char *s, apr_size_t len);

#endif
