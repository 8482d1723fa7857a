/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_text.h"

#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>

apr_size_t ne_utf8_seq(const unsigned char *s, apr_size_t n, apr_uint32_t *cp)
{
    apr_uint32_t c, min;
    apr_size_t len, i;

    if (n == 0) {
        return 0;
    }
    c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; c &= 0x1F; min = 0x80;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; c &= 0x0F; min = 0x800;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; c &= 0x07; min = 0x10000;
    }
    else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return 0;
    }
    *cp = c;
    return len;
}

/* Characters no format may carry: C0 controls but tab and newline, DEL,
 * C1 controls, the noncharacters XML 1.0 forbids, and the bidirectional
 * embeddings, overrides and isolates (U+202A-202E, U+2066-2069), which can
 * make text read otherwise than it is stored (a headline, a URL). The
 * implicit marks LRM and RLM stay. */
static int ne_cp_disallowed(apr_uint32_t c)
{
    if (c < 0x20) {
        return c != '\t' && c != '\n';
    }
    return (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF
           || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

apr_size_t ne_ascii_run(const unsigned char *s, apr_size_t n)
{
    apr_size_t i = 0;
    apr_uint64_t x;

    for (; i + 8 <= n; i += 8) {
        memcpy(&x, s + i, 8);
        if ((NE_BYTES_BELOW(x, 0x20) | (x & NE_BYTES_HIGHS) | NE_BYTES_EQUAL(x, 0x7F)) != 0) {
            break;
        }
    }
    while (i < n && s[i] >= 0x20 && s[i] < 0x7F) {
        i++;
    }
    return i;
}

/* Runs of printable ASCII are passed over 8 bytes at a time: stored text is
 * checked on every read (ne_db_col), a tenth of a list page's time. */
int ne_text_is_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    apr_size_t n = strlen(s), k;
    apr_uint32_t c;

    while (n > 0) {
        if ((k = ne_ascii_run(p, n)) > 0) {
            p += k; n -= k;
            continue;
        }
        k = ne_utf8_seq(p, n, &c);
        if (k == 0 || ne_cp_disallowed(c)) {
            return 0;
        }
        p += k; n -= k;
    }
    return 1;
}

const char *ne_text_clean(apr_pool_t *pool, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    apr_size_t n, k;
    apr_uint32_t c;
    ne_buf_t *b;

    if (s == NULL || ne_text_is_clean(s)) {
        return s;
    }
    n = strlen(s);
    b = ne_buf_make(pool, n + 16);
    while (n > 0) {
        k = ne_utf8_seq(p, n, &c);
        if (k == 0) {
            ne_buf_add(b, "\xEF\xBF\xBD", 3);
            p++; n--;
            continue;
        }
        if (!ne_cp_disallowed(c)) {
            ne_buf_add(b, (const char *)p, k);
        }
        p += k; n -= k;
    }
    return ne_buf_str(b);
}

const char *ne_text_cp_name(apr_uint32_t cp)
{
    static const char *const bidi[] = {
        "LEFT-TO-RIGHT EMBEDDING", "RIGHT-TO-LEFT EMBEDDING", "POP DIRECTIONAL FORMATTING",
        "LEFT-TO-RIGHT OVERRIDE", "RIGHT-TO-LEFT OVERRIDE"
    };
    static const char *const isolates[] = {
        "LEFT-TO-RIGHT ISOLATE", "RIGHT-TO-LEFT ISOLATE", "FIRST STRONG ISOLATE",
        "POP DIRECTIONAL ISOLATE"
    };

    if (cp >= 0x202A && cp <= 0x202E) {
        return bidi[cp - 0x202A];
    }
    if (cp >= 0x2066 && cp <= 0x2069) {
        return isolates[cp - 0x2066];
    }
    return cp == 0xFEFF ? "ZERO WIDTH NO-BREAK SPACE" : NULL;
}

/* An open embedding, override or isolate: where its opener was written. */
typedef struct ne_bidi_open {
    apr_uint32_t cp;
    apr_size_t at;
} ne_bidi_open_t;

#define NE_BIDI_DEPTH 125            /* UAX #9's max_depth */
#define NE_BIDI_LEN 3                /* bytes of each control in UTF-8 */

typedef struct ne_repair {
    ne_buf_t *out;
    ne_bidi_open_t open[NE_BIDI_DEPTH];
    int depth;
    int dropped;
    ne_text_drop_fn *drop;
    void *baton;
} ne_repair_t;

static void ne_repair_drop(ne_repair_t *rp, apr_uint32_t cp, const char *why)
{
    rp->dropped++;
    if (rp->drop != NULL) {
        rp->drop(rp->baton, cp, why);
    }
}

/* Close the open controls down to (and with) index `to`; those that
 * enclose nothing written since are taken out again. */
static void ne_repair_close(ne_repair_t *rp, int to)
{
    while (rp->depth > to) {
        ne_bidi_open_t *o = &rp->open[--rp->depth];
        if (rp->out->len == o->at + NE_BIDI_LEN) {
            rp->out->len = o->at;
            ne_repair_drop(rp, o->cp, "encloses nothing");
        }
    }
}

/* A terminator: it closes the innermost embedding (PDF), or the innermost
 * isolate and what is open inside it (PDI); with nothing of its kind open
 * it changes nothing. */
static void ne_repair_pop(ne_repair_t *rp, apr_uint32_t cp, const unsigned char *p)
{
    int i = rp->depth - 1;

    if (cp == 0x2069) {
        while (i >= 0 && rp->open[i].cp < 0x2066) {
            i--;
        }
    }
    else if (i >= 0 && rp->open[i].cp >= 0x2066) {
        i = -1;                      /* a PDF does not close an isolate */
    }
    if (i < 0) {
        ne_repair_drop(rp, cp, "has nothing to close");
        return;
    }
    if (rp->out->len == rp->open[i].at + NE_BIDI_LEN) {
        ne_repair_close(rp, i);      /* the opener goes: so does its terminator */
        ne_repair_drop(rp, cp, "closes nothing");
        return;
    }
    ne_buf_add(rp->out, (const char *)p, NE_BIDI_LEN);
    rp->depth = i;
}

static void ne_repair_cp(ne_repair_t *rp, apr_uint32_t cp, const unsigned char *p,
                         apr_size_t k)
{
    if (cp == 0xFEFF) {
        ne_repair_drop(rp, cp, "is invisible");
    }
    else if (cp == 0x202C || cp == 0x2069) {
        ne_repair_pop(rp, cp, p);
    }
    else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2068)) {
        if (rp->depth < NE_BIDI_DEPTH) {
            rp->open[rp->depth].cp = cp;
            rp->open[rp->depth++].at = rp->out->len;
        }
        ne_buf_add(rp->out, (const char *)p, k);
    }
    else {
        if (cp == '\n') {
            ne_repair_close(rp, 0);  /* a paragraph ends what it opened */
            rp->depth = 0;
        }
        ne_buf_add(rp->out, (const char *)p, k);
    }
}

const char *ne_text_repair(apr_pool_t *pool, const char *s, ne_text_drop_fn *drop,
                           void *baton)
{
    const unsigned char *p = (const unsigned char *)s;
    apr_size_t n = strlen(s), k;
    apr_uint32_t cp;
    ne_repair_t rp;

    /* Every character it drops is E2 80 AA-AE, E2 81 A6-A9 or EF BB BF. */
    if (memchr(s, 0xE2, n) == NULL && memchr(s, 0xEF, n) == NULL) {
        return s;
    }
    rp.out = ne_buf_make(pool, n + 1);
    rp.depth = rp.dropped = 0;
    rp.drop = drop;
    rp.baton = baton;
    while (n > 0) {
        if ((k = ne_utf8_seq(p, n, &cp)) == 0) {
            cp = *p;                 /* not UTF-8: kept, for the checks to refuse */
            k = 1;
        }
        ne_repair_cp(&rp, cp, p, k);
        p += k; n -= k;
    }
    ne_repair_close(&rp, 0);         /* the end of the text ends what is open */
    return rp.dropped ? ne_buf_str(rp.out) : s;
}

apr_array_header_t *ne_snippet_pieces(apr_pool_t *pool, const char *snippet)
{
    apr_array_header_t *out = apr_array_make(pool, 8, sizeof(ne_snippet_piece_t));
    const char *p = snippet ? snippet : "";
    int match = 0;

    while (*p) {
        apr_size_t n = strcspn(p, "\001\002");
        if (n > 0) {
            ne_snippet_piece_t *piece = apr_array_push(out);
            piece->text = apr_pstrmemdup(pool, p, n);
            piece->match = match;
        }
        p += n;
        if (*p) {
            match = *p == '\001';
            p++;
        }
    }
    return out;
}

apr_size_t ne_utf8_len(const char *s)
{
    apr_size_t n = 0;

    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

/* Is [h, end) a host: a bracketed IPv6 literal, or a name of letters,
 * digits, non-ASCII (an international name), "-", ".", "_", "~" and "%"
 * holding at least one letter, digit or non-ASCII byte? */
static int ne_url_host(const char *h, const char *end)
{
    int named = 0;

    if (h < end && *h == '[') {
        return end - h > 2 && end[-1] == ']';
    }
    for (; h < end; h++) {
        unsigned char c = (unsigned char)*h;
        if (apr_isalnum(c) || c >= 0x80) {
            named = 1;
        }
        else if (!strchr("-._~%", c)) {
            return 0;
        }
    }
    return named;
}

apr_int64_t ne_text_int64(const char *s)
{
    const char *digits = s + (*s == '-'), *d;
    apr_uint64_t n = 0;

    for (d = digits; *d >= '0' && *d <= '9' && d - digits < 18; d++) {
        n = n * 10 + (apr_uint64_t)(*d - '0');
    }
    if (*d != '\0' || d == digits) {      /* 19 digits or more, signs, spaces */
        return apr_atoi64(s);
    }
    return *s == '-' ? -(apr_int64_t)n : (apr_int64_t)n;
}

int ne_url_is_http(const char *url)
{
    const char *auth, *end, *host, *port, *p;

    if (strncasecmp(url, "http://", 7) == 0) {
        auth = url + 7;
    }
    else if (strncasecmp(url, "https://", 8) == 0) {
        auth = url + 8;
    }
    else {
        return 0;
    }
    for (p = url; *p; p++) {
        if ((unsigned char)*p <= 0x20 || *p == 0x7F) {
            return 0;
        }
    }
    end = auth + strcspn(auth, "/?#");
    for (host = p = auth; p < end; p++) {       /* after any user@ */
        if (*p == '@') {
            host = p + 1;
        }
    }
    port = end;
    for (p = end; p > host && apr_isdigit(p[-1]); p--) {
    }
    if (p > host && p[-1] == ':' && (p == host + 1 || p[-2] != ':')) {
        port = p - 1;                           /* host:digits, or host: */
    }
    return ne_url_host(host, port);
}

const char *ne_text_paragraph(const char **s, apr_size_t *len)
{
    const char *p = *s + strspn(*s, " \t\n"), *end;

    if (*p == '\0') {
        *s = p;
        return NULL;
    }
    /* The paragraph ends at a line holding nothing but white space. */
    for (end = strchr(p, '\n'); end != NULL; end = strchr(end + 1, '\n')) {
        if (end[1 + strspn(end + 1, " \t")] == '\n') {
            break;
        }
    }
    *len = end ? (apr_size_t)(end - p) : strlen(p);
    *s = p + *len;
    return p;
}

void ne_esc_html(ne_buf_t *b, const char *s)
{
    const char *run = s;

    for (; *s; s++) {
        const char *rep;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        ne_buf_add(b, run, (apr_size_t)(s - run));
        ne_buf_puts(b, rep);
        run = s + 1;
    }
    ne_buf_add(b, run, (apr_size_t)(s - run));
}

/* Backslash-escape what CommonMark would read as markup inline: emphasis,
 * code, links, raw HTML, entities and headings' closing '#'. Newlines
 * become spaces, so one field stays one line. At the start of text, the
 * characters that open a block (list, quote, heading, thematic break)
 * are escaped too, as are the dot or parenthesis of an ordered-list
 * marker such as "1994." */
void ne_esc_md(ne_buf_t *b, const char *s)
{
    const char *p = s;

    while (apr_isdigit(*p)) {
        p++;
    }
    if (p != s && (*p == '.' || *p == ')')) {
        ne_buf_add(b, s, (apr_size_t)(p - s));
        ne_buf_putc(b, '\\');
        s = p;
    }
    else if (*s == '-' || *s == '+' || *s == '=') {
        ne_buf_putc(b, '\\');
    }
    for (; *s; s++) {
        switch (*s) {
        case '\\': case '`': case '*': case '_': case '[': case ']':
        case '<': case '>': case '#': case '~': case '|':
            ne_buf_putc(b, '\\');
            ne_buf_putc(b, *s);
            break;
        case '&':
            if (apr_isalnum(s[1]) || s[1] == '#') {
                ne_buf_putc(b, '\\');
            }
            ne_buf_putc(b, '&');
            break;
        case '\n': case '\t':
            ne_buf_putc(b, ' ');
            break;
        default:
            ne_buf_putc(b, *s);
        }
    }
}

/* A link destination may hold no space or unbalanced parenthesis:
 * percent-encode those and what would end the destination. */
/* Does s start an entity reference CommonMark would decode: "&name;",
 * "&#123;" or "&#x1F;"? */
static int ne_md_entity_at(const char *s)
{
    apr_size_t n = 0;

    s++;
    if (*s == '#') {
        int hexa = s[1] == 'x' || s[1] == 'X';
        for (s += hexa ? 2 : 1; hexa ? apr_isxdigit(*s) : apr_isdigit(*s); s++) {
            n++;
        }
        return n >= 1 && n <= (hexa ? 6u : 7u) && *s == ';';
    }
    if (!apr_isalpha(*s)) {
        return 0;
    }
    for (; apr_isalnum(*s); s++) {
        n++;
    }
    return n >= 2 && n <= 32 && *s == ';';
}

void ne_esc_md_url(ne_buf_t *b, const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)url;

    for (; *s; s++) {
        if (*s <= 0x20 || *s == '(' || *s == ')' || *s == '<' || *s == '>'
            || *s == '\\' || *s == 0x7F) {
            ne_buf_putc(b, '%');
            ne_buf_putc(b, hex[*s >> 4]);
            ne_buf_putc(b, hex[*s & 15]);
        }
        else if (*s == '&' && ne_md_entity_at((const char *)s)) {
            /* CommonMark decodes entities in a destination: "&#64;" would
             * become "@" and move the link to another host. A bare "&", as
             * in a query string, is left as it is. */
            ne_buf_putc(b, '\\');
            ne_buf_putc(b, '&');
        }
        else {
            ne_buf_putc(b, (char)*s);
        }
    }
}
