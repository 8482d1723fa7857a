/* SPDX-License-Identifier: Apache-2.0 */
/* ne_search: what a reader types into a search box, understood by the
 * module and written anew in each store's own syntax (never passed
 * through): words (all must match), "quoted phrases", -word or -"phrase"
 * to exclude, OR between two terms for either. Every input is a query or a
 * clear refusal; none is a syntax error of the store's. */
#ifndef NE_SEARCH_H
#define NE_SEARCH_H

#include <apr_pools.h>
#include <apr_tables.h>

/* Bounds: a longer query is refused (400), more terms are refused. */
#define NE_SEARCH_MAX_BYTES 1000
#define NE_SEARCH_MAX_TERMS 32

/* One term: its words (a word alone, or a phrase's words in order). */
typedef struct ne_search_term {
    apr_array_header_t *words;   /* const char *: letters and digits, lower case */
    const char *raw;             /* as typed (no quote, no control character):
                                    PostgreSQL's parser splits "al-Bashir" as it
                                    split the text it indexed */
    int excluded;                /* -term */
    int either;                  /* OR: an alternative to the term before it */
} ne_search_term_t;

typedef struct ne_search {
    apr_array_header_t *terms;   /* ne_search_term_t, in the order typed */
    const char *text;            /* the query as understood, for titles and links */
} ne_search_t;

/* Parse q (UTF-8, already URL-decoded). Returns NULL with the reason for a
 * 400 in *why: empty, too long, too many terms, not UTF-8, or nothing to
 * find (only exclusions, or no letter or digit at all). */
ne_search_t *ne_search_parse(apr_pool_t *pool, const char *q, const char **why);

/* The FTS5 MATCH expression: each word double-quoted, phrases as FTS5
 * phrases, alternatives joined by OR, exclusions by NOT. */
const char *ne_search_fts5(apr_pool_t *pool, const ne_search_t *s);

/* How many of the FTS5 expression's phrases are the reader's own terms
 * (the terms not excluded): they come first in it. */
int ne_search_scored(const ne_search_t *s);

/* The same for PostgreSQL's websearch_to_tsquery, whose syntax is the one
 * people type: words, "phrases", -word, or. */
const char *ne_search_websearch(apr_pool_t *pool, const ne_search_t *s);

#endif
