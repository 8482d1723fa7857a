/* SPDX-License-Identifier: Apache-2.0 */
/* ne_text: UTF-8 hygiene and the escaping of text for each output format. */
#ifndef NE_TEXT_H
#define NE_TEXT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include "ne_buf.h"

/* Word-at-a-time tests on 8 bytes at once: each is non-zero when some
 * byte of x is below n (n at most 128), or equal to b (0 to 255). Exact
 * for "some"; which byte is left to a byte loop. */
#define NE_BYTES_ONES APR_UINT64_C(0x0101010101010101)
#define NE_BYTES_HIGHS APR_UINT64_C(0x8080808080808080)
#define NE_BYTES_BELOW(x, n) (((x) - NE_BYTES_ONES * (n)) & ~(x) & NE_BYTES_HIGHS)
#define NE_BYTES_EQUAL(x, b) \
    NE_BYTES_BELOW((x) ^ (NE_BYTES_ONES * (apr_uint64_t)(unsigned char)(b)), 1)

/* How many of the first n bytes at s are printable ASCII (0x20-0x7E). */
apr_size_t ne_ascii_run(const unsigned char *s, apr_size_t n);

/* Length in bytes of the valid UTF-8 sequence at s (at most n bytes), or 0. */
apr_size_t ne_utf8_seq(const unsigned char *s, apr_size_t n, apr_uint32_t *cp);

/* True when s is valid UTF-8 holding no control character other than
 * tab and newline (no carriage return), and no bidirectional override, so
 * every format can carry it as it is. */
int ne_text_is_clean(const char *s);

/* s itself when clean, else a copy in pool with each invalid byte turned
 * into U+FFFD and each disallowed control character dropped. */
const char *ne_text_clean(apr_pool_t *pool, const char *s);

/* Called for each invisible character ne_text_repair drops. */
typedef void ne_text_drop_fn(void *baton, apr_uint32_t cp, const char *why);

/* s without the invisible characters that change nothing, or s itself
 * when it has none: a bidirectional terminator (PDF U+202C, PDI U+2069)
 * with nothing to close; an embedding, override or isolate that encloses
 * nothing (closed at once, or opened at the end of its line); and U+FEFF
 * (a byte order mark, or the deprecated zero width no-break space). A
 * control that does enclose text can reorder what a reader sees: it
 * stays, and ne_text_is_clean refuses it. drop may be NULL. */
const char *ne_text_repair(apr_pool_t *pool, const char *s, ne_text_drop_fn *drop,
                           void *baton);

/* "POP DIRECTIONAL FORMATTING" for U+202C: the names of what
 * ne_text_repair drops; NULL for others. */
const char *ne_text_cp_name(apr_uint32_t cp);

/* A search snippet's pieces: text, and the matches the store marked
 * between \001 and \002 (ne_event.h's NE_MARK_START, NE_MARK_END). */
typedef struct ne_snippet_piece {
    const char *text;        /* never empty */
    int match;
} ne_snippet_piece_t;

apr_array_header_t *ne_snippet_pieces(apr_pool_t *pool, const char *snippet);

/* Number of code points in valid UTF-8 text. */
apr_size_t ne_utf8_len(const char *s);

/* The integer a decimal text spells, as apr_atoi64 reads it. Database
 * drivers hand integers over as plain digits (an optional '-'): those are
 * read here, in a loop cheaper than strtoll's; other text goes to
 * apr_atoi64. */
apr_int64_t ne_text_int64(const char *s);

/* True for an absolute http:// or https:// URL with a host and no
 * whitespace or control characters. */
int ne_url_is_http(const char *url);

/* The next paragraph of body text at *s, blank lines (or lines of white
 * space only) separating them:
 * its start (with *len its length), or NULL when none is left. Advances *s
 * past it. Paragraphs of white space only are skipped. */
const char *ne_text_paragraph(const char **s, apr_size_t *len);

/* Escapers append to b. */
void ne_esc_html(ne_buf_t *b, const char *s);      /* text and attributes */
void ne_esc_md(ne_buf_t *b, const char *s);        /* inline Markdown text */
void ne_esc_md_url(ne_buf_t *b, const char *url);  /* Markdown link target */

#endif
