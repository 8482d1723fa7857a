/* SPDX-License-Identifier: Apache-2.0 */
/* HTML5 pages: complete documents, every stored text escaped, only http and
 * https URLs made into links or images, and those only as the HTML
 * standard's URL parser takes them (what the W3C Nu Html Checker checks). */
#include "ne_render_html.h"
#include "ne_text.h"

#include <stdlib.h>
#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>

/* Readable without it; pleasant with it, light or dark, phone or desktop. */
const char ne_html_css[] =
    ":root{color-scheme:light dark;--fg:#1c1c1e;--bg:#fdfdfc;--muted:#5f6368;"
    "--link:#0b57d0;--rule:#d9d9d9}"
    "@media (prefers-color-scheme:dark){:root{--fg:#e8e8ea;--bg:#161618;"
    "--muted:#a8a8ad;--link:#8ab4f8;--rule:#3a3a3c}}"
    "body{margin:0 auto;max-width:46rem;padding:0 1rem 2rem;"
    "font:1.0625rem/1.6 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "color:var(--fg);background:var(--bg)}"
    "a{color:var(--link)}header,footer{padding:.75rem 0;color:var(--muted)}"
    "header{border-bottom:1px solid var(--rule)}footer{border-top:1px solid var(--rule);"
    "margin-top:2rem;font-size:.9rem}"
    "h1{font-size:clamp(1.2rem,1rem + 1.2vw,1.55rem);line-height:1.3;margin:.4rem 0 1rem}"
    "main{overflow-wrap:anywhere}nav.crumbs{font-size:.92rem}"
    "h2{font-size:1.15rem;margin:1.8rem 0 .5rem}"
    ".meta,.story,.context{color:var(--muted);font-size:.92rem}"
    ".story{font-weight:600;margin:.2rem 0}img{max-width:100%;height:auto}"
    "li{margin:.35rem 0}nav.formats a,nav.days a{margin-right:.9rem}";

void ne_html_time(ne_buf_t *out, const char *date)
{
    ne_buf_puts(out, "<time datetime=\"");
    ne_esc_html(out, date);
    ne_buf_puts(out, "\">");
    ne_esc_html(out, date);
    ne_buf_puts(out, "</time>");
}

void ne_html_link(ne_buf_t *out, const char *href, const char *text)
{
    ne_buf_puts(out, "<a href=\"");
    ne_esc_html(out, href);
    ne_buf_puts(out, "\">");
    ne_esc_html(out, text);
    ne_buf_puts(out, "</a>");
}

/* The search box: a GET form, labelled, that works without script. */
static void ne_html_search_form(ne_buf_t *out, const ne_render_opts_t *o)
{
    ne_buf_puts(out, "<form class=\"search\" role=\"search\" method=\"get\" action=\"");
    ne_esc_html(out, o->base);
    ne_buf_puts(out, "/search\"><label for=\"search-q\">Search the archive</label> "
                "<input type=\"search\" id=\"search-q\" name=\"q\" required> "
                "<button type=\"submit\">Search</button></form>\n");
}

void ne_html_head(ne_buf_t *out, const ne_render_opts_t *o, const char *title,
                  const char *const *urls, const char *feed)
{
    int i;

    ne_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"");
    ne_esc_html(out, o->lang);
    ne_buf_puts(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    ne_esc_html(out, title);
    if (strcmp(title, o->site_title) != 0) {
        ne_buf_puts(out, " \xE2\x80\x94 ");
        ne_esc_html(out, o->site_title);
    }
    ne_buf_puts(out, "</title>\n");
    for (i = 0; urls != NULL && i < o->formats->n; i++) {
        ne_format_e f = o->formats->order[i];
        ne_buf_puts(out, f == NE_FMT_HTML ? "<link rel=\"canonical\" href=\""
                                          : "<link rel=\"alternate\" type=\"");
        if (f != NE_FMT_HTML) {
            ne_esc_html(out, ne_format_media_type(f));
            ne_buf_puts(out, "\" href=\"");
        }
        ne_esc_html(out, urls[f]);
        ne_buf_puts(out, "\">\n");
    }
    if (feed != NULL) {
        ne_buf_puts(out, "<link rel=\"alternate\" type=\"" NE_ATOM_MEDIA_TYPE "\" href=\"");
        ne_esc_html(out, feed);
        ne_buf_puts(out, "\">\n");
    }
    if (o->stylesheet) {
        ne_buf_puts(out, "<link rel=\"stylesheet\" href=\"");
        ne_esc_html(out, o->stylesheet);
        ne_buf_puts(out, "\">\n");
    }
    else {
        ne_buf_cat(out, "<style>", ne_html_css, "</style>\n", NULL);
    }
    if (o->search) {
        ne_buf_puts(out, "<link rel=\"search\" type=\"" NE_OPENSEARCH_MEDIA_TYPE "\" title=\"");
        ne_esc_html(out, o->site_title);
        ne_buf_puts(out, "\" href=\"");
        ne_esc_html(out, o->base);
        ne_buf_puts(out, "/opensearch.xml\">\n");
    }
    ne_buf_puts(out, "</head>\n<body>\n");
    if (o->header_html != NULL) {
        ne_buf_cat(out, o->header_html, "\n", NULL);   /* the site's own, verbatim */
    }
    else {
        ne_buf_puts(out, "<header><a href=\"");
        ne_esc_html(out, o->base);
        ne_buf_puts(out, "/\">");
        ne_esc_html(out, o->site_title);
        ne_buf_puts(out, "</a></header>\n");
    }
    if (o->search) {
        ne_html_search_form(out, o);
    }
    ne_buf_puts(out, "<main>\n");
}

void ne_html_foot(ne_buf_t *out, const ne_render_opts_t *o, const char *const *urls)
{
    int i;

    ne_buf_puts(out, "</main>\n<footer>");
    if (urls != NULL && o->formats->n > 1) {
        ne_buf_puts(out, "<nav class=\"formats\" aria-label=\"Formats\">Also as: ");
        for (i = 0; i < o->formats->n; i++) {
            ne_format_e f = o->formats->order[i];
            if (f != NE_FMT_HTML) {
                ne_html_link(out, urls[f], ne_format_label(f));
                ne_buf_putc(out, ' ');
            }
        }
        ne_buf_puts(out, "</nav>");
    }
    ne_buf_puts(out, " <a href=\"");
    ne_esc_html(out, ne_url_feed(out->pool, o, NULL));
    ne_buf_puts(out, "\">Atom feed</a>");
    if (o->footer_html != NULL) {
        ne_buf_cat(out, "\n", o->footer_html, NULL);   /* the site's own, verbatim */
    }
    ne_buf_puts(out, "</footer>\n</body>\n</html>\n");
}

void ne_html_crumbs(ne_buf_t *out, const ne_render_opts_t *o, ne_list_kind_e kind,
                    const char *key, const char *here)
{
    ne_crumb_t up[3];
    int i, n = ne_list_parents(out->pool, kind, key, up);

    ne_buf_puts(out, "<nav class=\"crumbs\" aria-label=\"Archive\">");
    for (i = 0; i < n; i++) {
        ne_html_link(out, ne_url_list(out->pool, o, up[i].kind, up[i].key, NE_FMT_NONE, 1),
                     up[i].kind == NE_LIST_FRONT ? o->site_title
                     : up[i].kind == NE_LIST_MONTH ? ne_month_name(out->pool, up[i].key)
                     : up[i].key);
        ne_buf_puts(out, " \xE2\x80\xBA ");
    }
    if (here != NULL) {
        ne_esc_html(out, here);
    }
    else {
        ne_html_link(out, ne_url_list(out->pool, o, kind, key, NE_FMT_NONE, 1), key);
    }
    ne_buf_puts(out, "</nav>\n");
}

const char **ne_html_list_urls(apr_pool_t *p, const ne_render_opts_t *o, ne_list_kind_e kind,
                               const char *key, int page)
{
    const char **urls = apr_palloc(p, NE_FMT_COUNT * sizeof(*urls));
    int f;

    for (f = 0; f < NE_FMT_COUNT; f++) {
        urls[f] = ne_url_list(p, o, kind, key, (ne_format_e)f, page);
    }
    return urls;
}

/* The URL parser of the HTML standard (which the W3C Nu Html Checker
 * applies) takes an http(s) URL from a record without error once the
 * characters it refuses are percent-encoded: these ASCII ones (a "[" or "]"
 * only past the host), a "%" without two hex digits, a second "#", C1
 * controls, noncharacters and U+FFFD. ne_url_is_http has already refused
 * white space and control characters. The length of the character at s
 * (n bytes left; 1 for a byte that is no UTF-8), and whether to encode it. */
static apr_size_t ne_html_url_char(const unsigned char *s, apr_size_t n,
                                   const unsigned char *path, int hashes, int *encode)
{
    apr_uint32_t c;
    apr_size_t k;

    if (*s < 0x80) {
        *encode = strchr("\"<>\\^`{|}", *s) != NULL
            || (s >= path && (*s == '[' || *s == ']'))
            || (*s == '%' && !(apr_isxdigit(s[1]) && apr_isxdigit(s[2])))
            || (*s == '#' && hashes > 0);
        return 1;
    }
    if ((k = ne_utf8_seq(s, n, &c)) == 0) {
        *encode = 1;
        return 1;
    }
    *encode = (c >= 0x80 && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF)
              || (c & 0xFFFE) == 0xFFFE || c == 0xFFFD;
    return k;
}

/* An IPv6 literal between the brackets: hex groups of one to four digits,
 * eight of them, or fewer and one "::". */
static int ne_html_ipv6(const char *h, const char *end)
{
    int groups = 0, gap = 0, digits = 0;

    if (end - h >= 2 && h[0] == ':' && h[1] == ':') {
        gap = 1;
        h += 2;
    }
    for (; h < end; h++) {
        if (apr_isxdigit(*h) && digits < 4) {
            groups += digits++ == 0;
        }
        else if (*h == ':' && digits > 0) {
            digits = 0;
            if (h + 1 < end && h[1] == ':') {
                if (gap++) {
                    return 0;
                }
                h++;
            }
            else if (h + 1 == end) {
                return 0;
            }
        }
        else {
            return 0;
        }
    }
    return gap ? groups < 8 : groups == 8;
}

/* A host the URL parser takes: labels of letters, digits, "-", "_", "~"
 * or non-ASCII (an international name), none empty but a final one; a
 * name whose last label is a number is a dotted IPv4 address, four
 * decimal parts of 0 to 255 without leading zeros; an "xn--" label holds
 * punycode's letters, digits and "-". Not checked: that the punycode
 * decodes, and that an international name passes IDNA. */
static int ne_html_host(const char *h, const char *end)
{
    const char *label, *last = h, *p;
    int parts = 0, numeric = 1;

    if (h < end && *h == '[') {
        return end - h > 2 && end[-1] == ']' && ne_html_ipv6(h + 1, end - 1);
    }
    if (end > h && end[-1] == '.') {
        end--;
    }
    for (label = h; label <= end; label = p + 1) {
        p = memchr(label, '.', (apr_size_t)(end - label));
        p = p ? p : end;
        if (p == label) {
            return 0;
        }
        if (strncasecmp(label, "xn--", 4) == 0
            && (p - label == 4 || p[-1] == '-'
                || strspn(label + 4, "abcdefghijklmnopqrstuvwxyz"
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") < (apr_size_t)(p - label - 4))) {
            return 0;
        }
        last = label;
        parts++;
        numeric = numeric && p - label <= 3 && strspn(label, "0123456789") == (apr_size_t)(p - label)
                  && (p - label == 1 || *label != '0') && atoi(label) <= 255;
    }
    if (strspn(last, "0123456789") == (apr_size_t)(end - last)
        || ((last[0] == '0') && (last[1] == 'x' || last[1] == 'X')
            && strspn(last + 2, "0123456789abcdefABCDEF") == (apr_size_t)(end - last - 2))) {
        return numeric && parts == 4;
    }
    for (p = h; p < end; p++) {
        if (!apr_isalnum(*p) && !((unsigned char)*p >= 0x80) && !strchr("-_~.", *p)) {
            return 0;
        }
    }
    return 1;
}

/* An http(s) URL from a record (a source, an image) as the URL parser
 * takes it without error, or NULL when it cannot be one: not http(s),
 * credentials, a port past 65535, a host that is no name or address. The
 * caller then makes no link. */
static const char *ne_html_url(apr_pool_t *pool, const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *auth, *end, *port, *p;
    const unsigned char *s, *path, *stop;
    apr_size_t k, i;
    ne_buf_t *b;
    int hashes = 0, encode;

    if (!ne_url_is_http(url)) {
        return NULL;
    }
    auth = strstr(url, "//") + 2;
    end = auth + strcspn(auth, "/?#");
    if (memchr(auth, '@', (apr_size_t)(end - auth)) != NULL) {
        return NULL;
    }
    for (port = p = end; p > auth && apr_isdigit(p[-1]); p--) {
    }
    if (p > auth && p[-1] == ':' && p[-2] != ':') {
        port = p - 1;
        if (end - p > 5 + (apr_ssize_t)strspn(p, "0") || atoi(p) > 65535) {
            return NULL;
        }
    }
    if (!ne_html_host(auth, port)) {
        return NULL;
    }
    path = (const unsigned char *)end;
    stop = (const unsigned char *)url + strlen(url);
    b = ne_buf_make(pool, (apr_size_t)(stop - (const unsigned char *)url) + 16);
    for (s = (const unsigned char *)url; s < stop; s += k) {
        k = ne_html_url_char(s, (apr_size_t)(stop - s), path, hashes, &encode);
        hashes += *s == '#';
        if (!encode) {
            ne_buf_add(b, (const char *)s, k);
            continue;
        }
        for (i = 0; i < k; i++) {
            ne_buf_putc(b, '%');
            ne_buf_putc(b, hex[s[i] >> 4]);
            ne_buf_putc(b, hex[s[i] & 15]);
        }
    }
    return ne_buf_str(b);
}

static void ne_html_body(ne_buf_t *out, const char *body)
{
    const char *para;
    apr_size_t n;

    while ((para = ne_text_paragraph(&body, &n)) != NULL) {
        ne_buf_puts(out, "<p>");
        ne_esc_html(out, apr_pstrmemdup(out->pool, para, n));
        ne_buf_puts(out, "</p>\n");
    }
}

static void ne_html_sources(ne_buf_t *out, const ne_event_t *ev)
{
    int i;

    if (ev->sources->nelts == 0) {
        return;
    }
    ne_buf_puts(out, "<section aria-labelledby=\"sources\">\n<h2 id=\"sources\">Sources</h2>\n<ol>\n");
    for (i = 0; i < ev->sources->nelts; i++) {
        const ne_source_t *s = &APR_ARRAY_IDX(ev->sources, i, ne_source_t);
        const char *href = ne_html_url(out->pool, s->url);
        ne_buf_puts(out, "<li>");
        if (href != NULL) {
            ne_buf_puts(out, "<a rel=\"nofollow noopener\" href=\"");
            ne_esc_html(out, href);
            ne_buf_puts(out, "\">");
            ne_esc_html(out, s->name);
            ne_buf_puts(out, "</a>");
        }
        else {
            ne_esc_html(out, s->name);
        }
        ne_buf_puts(out, "</li>\n");
    }
    ne_buf_puts(out, "</ol>\n</section>\n");
}

static void ne_html_topics(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev)
{
    int i;

    if (ev->topics->nelts == 0) {
        return;
    }
    ne_buf_puts(out, "<section aria-labelledby=\"topics\">\n<h2 id=\"topics\">Topics</h2>\n<ul>\n");
    for (i = 0; i < ev->topics->nelts; i++) {
        const ne_topic_t *t = &APR_ARRAY_IDX(ev->topics, i, ne_topic_t);
        ne_buf_puts(out, "<li>");
        ne_html_link(out, ne_url_topic(out->pool, o, t->slug, NE_FMT_NONE), t->name);
        ne_buf_puts(out, "</li>\n");
    }
    ne_buf_puts(out, "</ul>\n</section>\n");
}

static void ne_html_related(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev)
{
    int i, j;

    if (ev->related == NULL || ev->related->nelts == 0) {
        return;
    }
    ne_buf_puts(out, "<section aria-labelledby=\"related\">\n<h2 id=\"related\">Related</h2>\n<ol>\n");
    for (i = 0; i < ev->related->nelts; i++) {
        const ne_related_t *r = &APR_ARRAY_IDX(ev->related, i, ne_related_t);
        ne_buf_puts(out, "<li>");
        ne_html_link(out, ne_url_event(out->pool, o, r->date, r->slug, NE_FMT_NONE),
                     r->headline);
        ne_buf_puts(out, " <span class=\"meta\">");
        ne_html_time(out, r->date);
        ne_buf_puts(out, "</span> <span class=\"context\">Context: ");
        for (j = 0; j < r->context->nelts; j++) {
            ne_buf_puts(out, j ? ", " : "");
            ne_esc_html(out, APR_ARRAY_IDX(r->context, j, const char *));
        }
        ne_buf_puts(out, "</span></li>\n");
    }
    ne_buf_puts(out, "</ol>\n</section>\n");
}

void ne_render_event_html(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev)
{
    const char *urls[NE_FMT_COUNT], *image;
    int f;

    for (f = 0; f < NE_FMT_COUNT; f++) {
        urls[f] = ne_url_event(out->pool, o, ev->date, ev->slug, (ne_format_e)f);
    }
    ne_html_head(out, o, ev->headline, urls, ne_url_feed(out->pool, o, NULL));
    ne_html_crumbs(out, o, NE_LIST_DAY, ev->date, NULL);
    ne_buf_puts(out, "<article>\n<p class=\"meta\"><a href=\"");
    ne_esc_html(out, ne_url_day(out->pool, o, ev->date, NE_FMT_NONE));
    ne_buf_puts(out, "\">");
    ne_html_time(out, ev->date);
    ne_buf_puts(out, "</a>");
    if (*ev->category) {
        ne_buf_puts(out, " \xC2\xB7 ");
        ne_esc_html(out, ev->category);
    }
    ne_buf_puts(out, "</p>\n");
    if (*ev->story) {
        ne_buf_puts(out, "<p class=\"story\">");
        ne_esc_html(out, ev->story);
        ne_buf_puts(out, "</p>\n");
    }
    ne_buf_puts(out, "<h1>");
    ne_esc_html(out, ev->headline);
    ne_buf_puts(out, "</h1>\n");
    if ((image = ne_html_url(out->pool, ev->image)) != NULL) {
        ne_buf_puts(out, "<figure><img src=\"");
        ne_esc_html(out, image);
        ne_buf_puts(out, "\" alt=\"\" loading=\"lazy\" referrerpolicy=\"no-referrer\"></figure>\n");
    }
    ne_html_body(out, ev->body);
    ne_html_sources(out, ev);
    ne_html_topics(out, o, ev);
    ne_html_related(out, o, ev);
    ne_buf_puts(out, "</article>\n");
    ne_html_foot(out, o, urls);
}

void ne_render_problem_html(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb)
{
    const char *title = apr_psprintf(out->pool, "%d %s", pb->status, pb->title);
    int i;

    ne_html_head(out, o, title, NULL, NULL);
    ne_buf_puts(out, "<h1>");
    ne_esc_html(out, title);
    ne_buf_puts(out, "</h1>\n<p>");
    ne_esc_html(out, pb->detail);
    ne_buf_puts(out, "</p>\n");
    if (pb->alternates != NULL) {
        ne_buf_puts(out, "<ul>\n");
        for (i = 0; i < o->formats->n; i++) {
            ne_format_e f = o->formats->order[i];
            ne_buf_puts(out, "<li>");
            ne_html_link(out, pb->alternates[f], pb->alternates[f]);
            ne_buf_cat(out, " (", ne_format_label(f), ", ", NULL);
            ne_esc_html(out, ne_format_media_type(f));
            ne_buf_puts(out, ")</li>\n");
        }
        ne_buf_puts(out, "</ul>\n");
    }
    ne_html_foot(out, o, NULL);
}
