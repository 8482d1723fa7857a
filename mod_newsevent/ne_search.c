/* SPDX-License-Identifier: Apache-2.0 */
/* ne_search: a reader's query, parsed into terms of plain words, then
 * written in FTS5's and in PostgreSQL's syntax. A word is a run of ASCII
 * letters and digits or of any non-ASCII character (the stores' own
 * tokenizers split and fold those); everything else separates words, so no
 * operator or quote of the store's can come through. */
#include "ne_search.h"
#include "ne_buf.h"
#include "ne_text.h"

#include <string.h>
#include <apr_strings.h>

static int ne_search_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || c >= 0x80;
}

static int ne_search_space(unsigned char c)
{
    return c <= ' ' || c == 0x7F;
}

/* The words of s[0..n), lower-cased, appended to words. */
static void ne_search_split(apr_pool_t *pool, const char *s, apr_size_t n,
                            apr_array_header_t *words)
{
    apr_size_t i = 0, start;

    while (i < n) {
        while (i < n && !ne_search_word_byte((unsigned char)s[i])) {
            i++;
        }
        for (start = i; i < n && ne_search_word_byte((unsigned char)s[i]); i++) {
        }
        if (i > start) {
            char *w = apr_pstrmemdup(pool, s + start, i - start), *c;
            for (c = w; *c; c++) {
                if (*c >= 'A' && *c <= 'Z') {
                    *c = (char)(*c - 'A' + 'a');
                }
            }
            w = (char *)ne_text_clean(pool, w);   /* no control or bidi override */
            if (*w) {
                APR_ARRAY_PUSH(words, const char *) = w;
            }
        }
    }
}

/* The next term at *p: a "phrase" (to the next quote, or the end) or a
 * token (to white space or a quote). *or set for a bare OR. */
static ne_search_term_t ne_search_next(apr_pool_t *pool, const char **p, int *or)
{
    const char *s = *p, *end;
    ne_search_term_t t;

    memset(&t, 0, sizeof(t));
    t.words = apr_array_make(pool, 4, sizeof(const char *));
    *or = 0;
    if (*s == '-' && (s[1] == '"' || ne_search_word_byte((unsigned char)s[1]))) {
        t.excluded = 1;
        s++;
    }
    if (*s == '"') {
        end = strchr(s + 1, '"');
        end = end ? end : s + strlen(s);
        ne_search_split(pool, s + 1, (apr_size_t)(end - s - 1), t.words);
        t.raw = ne_text_clean(pool, apr_pstrmemdup(pool, s + 1, (apr_size_t)(end - s - 1)));
        *p = *end ? end + 1 : end;
        return t;
    }
    for (end = s; *end && !ne_search_space((unsigned char)*end) && *end != '"'; end++) {
    }
    *or = !t.excluded && end - s == 2 && s[0] == 'O' && s[1] == 'R';
    if (!*or) {
        ne_search_split(pool, s, (apr_size_t)(end - s), t.words);
        t.raw = ne_text_clean(pool, apr_pstrmemdup(pool, s, (apr_size_t)(end - s)));
    }
    *p = end;
    return t;
}

/* Valid UTF-8 (control characters are separators, not faults). */
static int ne_search_utf8(const char *q)
{
    const unsigned char *p = (const unsigned char *)q;
    apr_size_t n = strlen(q), k;
    apr_uint32_t c;

    while (n > 0) {
        k = *p < 0x80 ? 1 : ne_utf8_seq(p, n, &c);
        if (k == 0) {
            return 0;
        }
        p += k;
        n -= k;
    }
    return 1;
}

/* The query as understood: what links and titles repeat. */
static const char *ne_search_text(apr_pool_t *pool, const ne_search_t *s)
{
    ne_buf_t *b = ne_buf_make(pool, 128);
    int i, j;

    for (i = 0; i < s->terms->nelts; i++) {
        const ne_search_term_t *t = &APR_ARRAY_IDX(s->terms, i, ne_search_term_t);
        ne_buf_puts(b, i == 0 ? "" : t->either ? " OR " : " ");
        ne_buf_puts(b, t->excluded ? "-" : "");
        ne_buf_puts(b, t->words->nelts > 1 ? "\"" : "");
        for (j = 0; j < t->words->nelts; j++) {
            ne_buf_cat(b, j ? " " : "", APR_ARRAY_IDX(t->words, j, const char *), NULL);
        }
        ne_buf_puts(b, t->words->nelts > 1 ? "\"" : "");
    }
    return ne_buf_str(b);
}

ne_search_t *ne_search_parse(apr_pool_t *pool, const char *q, const char **why)
{
    ne_search_t *s = apr_pcalloc(pool, sizeof(*s));
    const char *p = q;
    int or = 0, pending_or = 0, wanted = 0;

    if (q == NULL || strspn(q, " \t\r\n") == strlen(q)) {
        *why = "The search needs a query: say what to find in q.";
        return NULL;
    }
    if (strlen(q) > NE_SEARCH_MAX_BYTES) {
        *why = "The query is longer than 1000 bytes.";
        return NULL;
    }
    if (!ne_search_utf8(q)) {
        *why = "The query is not valid UTF-8 text.";
        return NULL;
    }
    s->terms = apr_array_make(pool, 8, sizeof(ne_search_term_t));
    while (*(p += strspn(p, " \t\r\n\v\f")) != '\0') {
        ne_search_term_t t;
        if (ne_search_space((unsigned char)*p)) {
            p++;                                /* other controls separate too */
            continue;
        }
        t = ne_search_next(pool, &p, &or);
        if (or) {
            pending_or = s->terms->nelts > 0;
            continue;
        }
        if (t.words->nelts == 0) {
            continue;
        }
        if (s->terms->nelts == NE_SEARCH_MAX_TERMS) {
            *why = "The query has more than 32 terms.";
            return NULL;
        }
        t.either = pending_or && !t.excluded
                   && !APR_ARRAY_IDX(s->terms, s->terms->nelts - 1, ne_search_term_t).excluded;
        pending_or = 0;
        wanted += !t.excluded;
        APR_ARRAY_PUSH(s->terms, ne_search_term_t) = t;
    }
    if (wanted == 0) {
        *why = "The query has no word to find: give at least one word of letters or "
               "digits that is not excluded.";
        return NULL;
    }
    s->text = ne_search_text(pool, s);
    return s;
}

/* One term in quotes, its words separated by spaces: an FTS5 phrase or a
 * websearch phrase (the words hold no quote). */
static void ne_search_quoted(ne_buf_t *b, const ne_search_term_t *t)
{
    int j;

    ne_buf_putc(b, '"');
    for (j = 0; j < t->words->nelts; j++) {
        ne_buf_cat(b, j ? " " : "", APR_ARRAY_IDX(t->words, j, const char *), NULL);
    }
    ne_buf_putc(b, '"');
}

const char *ne_search_fts5(apr_pool_t *pool, const ne_search_t *s)
{
    ne_buf_t *b = ne_buf_make(pool, 256), *neg = ne_buf_make(pool, 64);
    int i, groups = 0;

    for (i = 0; i < s->terms->nelts; i++) {
        const ne_search_term_t *t = &APR_ARRAY_IDX(s->terms, i, ne_search_term_t);
        if (t->excluded) {
            ne_buf_puts(neg, neg->len ? " OR " : "");
            ne_search_quoted(neg, t);
            continue;
        }
        if (t->either && groups > 0) {
            b->len--;                           /* reopen the group: drop its ")" */
            ne_buf_puts(b, " OR ");
        }
        else {
            ne_buf_puts(b, groups++ ? " AND (" : "(");
        }
        ne_search_quoted(b, t);
        ne_buf_putc(b, ')');
    }
    if (neg->len == 0) {
        return ne_buf_str(b);
    }
    return apr_pstrcat(pool, "(", ne_buf_str(b), ") NOT (", ne_buf_str(neg), ")", NULL);
}

int ne_search_scored(const ne_search_t *s)
{
    int i, n = 0;

    for (i = 0; i < s->terms->nelts; i++) {
        n += !APR_ARRAY_IDX(s->terms, i, ne_search_term_t).excluded;
    }
    return n;
}

/* Each term quoted as typed: inside quotes websearch_to_tsquery reads no
 * operator, and its parser splits the words as it split the indexed text
 * ("al-Bashir" is a compound there). Control characters become spaces. */
const char *ne_search_websearch(apr_pool_t *pool, const ne_search_t *s)
{
    ne_buf_t *b = ne_buf_make(pool, 256);
    const char *c;
    int i;

    for (i = 0; i < s->terms->nelts; i++) {
        const ne_search_term_t *t = &APR_ARRAY_IDX(s->terms, i, ne_search_term_t);
        ne_buf_puts(b, i == 0 ? "" : t->either ? " or " : " ");
        ne_buf_puts(b, t->excluded ? "-\"" : "\"");
        for (c = t->raw; *c; c++) {
            ne_buf_putc(b, (unsigned char)*c < ' ' || *c == '"' ? ' ' : *c);
        }
        ne_buf_putc(b, '"');
    }
    return ne_buf_str(b);
}
