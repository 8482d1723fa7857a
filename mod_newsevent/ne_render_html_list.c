/* SPDX-License-Identifier: Apache-2.0 */
/* HTML pages of the archive's lists: a day, a month, a year, the front
 * page, a topic, a search's results. */
#include "ne_render_html.h"
#include "ne_text.h"

#include <apr_strings.h>

/* The label of a neighbouring list's key. */
static const char *ne_html_key_label(apr_pool_t *p, ne_list_kind_e kind, const char *key)
{
    return kind == NE_LIST_MONTH ? ne_month_name(p, key) : key;
}

/* A search snippet, escaped, each match in <mark>. */
static void ne_html_snippet(ne_buf_t *out, const char *snippet)
{
    apr_array_header_t *pieces = ne_snippet_pieces(out->pool, snippet);
    int i;

    ne_buf_puts(out, "<br><span class=\"snippet\">");
    for (i = 0; i < pieces->nelts; i++) {
        const ne_snippet_piece_t *piece = &APR_ARRAY_IDX(pieces, i, ne_snippet_piece_t);
        ne_buf_puts(out, piece->match ? "<mark>" : "");
        ne_esc_html(out, piece->text);
        ne_buf_puts(out, piece->match ? "</mark>" : "");
    }
    ne_buf_puts(out, "</span>");
}

static void ne_html_item(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l,
                         const ne_event_t *ev)
{
    int dated = l->kind == NE_LIST_TOPIC || l->kind == NE_LIST_SEARCH;

    ne_buf_puts(out, "<li>");
    if (dated) {
        ne_html_time(out, ev->date);
        ne_buf_putc(out, ' ');
    }
    if (*ev->story && !dated) {
        ne_buf_puts(out, "<span class=\"story\">");
        ne_esc_html(out, ev->story);
        ne_buf_puts(out, ":</span> ");
    }
    ne_html_link(out, ne_url_event(out->pool, o, ev->date, ev->slug, NE_FMT_NONE),
                 ev->headline);
    if (ev->snippet != NULL) {
        ne_html_snippet(out, ev->snippet);
    }
    ne_buf_puts(out, "</li>\n");
}

static void ne_html_group(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l,
                          const ne_group_t *g)
{
    int i;

    if (l->kind == NE_LIST_DAY) {
        ne_buf_puts(out, "<section>\n<h2>");
        ne_esc_html(out, *g->key ? g->key : "Other events");
        ne_buf_puts(out, "</h2>\n");
    }
    else if (l->kind == NE_LIST_MONTH || l->kind == NE_LIST_FRONT) {
        ne_buf_puts(out, "<section>\n<h2>");
        ne_html_link(out, ne_url_day(out->pool, o, g->key, NE_FMT_NONE), g->key);
        ne_buf_puts(out, "</h2>\n");
    }
    else {
        ne_buf_puts(out, "<section>\n");
    }
    ne_buf_puts(out, "<ul>\n");
    for (i = 0; i < g->events->nelts; i++) {
        ne_html_item(out, o, l, &APR_ARRAY_IDX(g->events, i, ne_event_t));
    }
    ne_buf_puts(out, "</ul>\n</section>\n");
}

static void ne_html_months(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    int i;

    ne_buf_puts(out, "<ul>\n");
    for (i = 0; i < l->groups->nelts; i++) {
        const ne_group_t *g = &APR_ARRAY_IDX(l->groups, i, ne_group_t);
        ne_buf_puts(out, "<li>");
        ne_html_link(out, ne_url_list(out->pool, o, NE_LIST_MONTH, g->key, NE_FMT_NONE, 1),
                     ne_month_name(out->pool, g->key));
        ne_buf_printf(out, " <span class=\"meta\">%d event%s</span></li>\n", g->count,
                      g->count == 1 ? "" : "s");
    }
    ne_buf_puts(out, "</ul>\n");
}

static void ne_html_companions(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    int i;

    if (l->topics == NULL || l->topics->nelts == 0) {
        return;
    }
    ne_buf_puts(out, "<section>\n<h2>Often with</h2>\n<ul>\n");
    for (i = 0; i < l->topics->nelts; i++) {
        const ne_topic_count_t *t = &APR_ARRAY_IDX(l->topics, i, ne_topic_count_t);
        ne_buf_puts(out, "<li>");
        ne_html_link(out, ne_url_topic(out->pool, o, t->slug, NE_FMT_NONE), t->name);
        ne_buf_printf(out, " <span class=\"meta\">%d</span></li>\n", t->count);
    }
    ne_buf_puts(out, "</ul>\n</section>\n");
}

static void ne_html_nav_link(ne_buf_t *out, const char *rel, const char *href,
                             const char *text)
{
    ne_buf_cat(out, "<a rel=\"", rel, "\" href=\"", NULL);
    ne_esc_html(out, href);
    ne_buf_puts(out, "\">");
    ne_esc_html(out, text);
    ne_buf_puts(out, "</a>");
}

/* Pages of a paged list, then the neighbouring lists. */
static void ne_html_navs(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    apr_pool_t *p = out->pool;

    if (l->pages > 1) {
        ne_buf_puts(out, "<nav class=\"pages\" aria-label=\"Pages\">");
        if (l->page > 1) {
            ne_html_nav_link(out, "prev", ne_url_list(p, o, l->kind, l->key, NE_FMT_NONE,
                                                      l->page - 1), "\xE2\x86\x90 Previous page");
        }
        ne_buf_printf(out, " Page %d of %d ", l->page, l->pages);
        if (l->page < l->pages) {
            ne_html_nav_link(out, "next", ne_url_list(p, o, l->kind, l->key, NE_FMT_NONE,
                                                      l->page + 1), "Next page \xE2\x86\x92");
        }
        ne_buf_puts(out, "</nav>\n");
    }
    if (l->prev || l->next) {
        ne_buf_puts(out, "<nav class=\"days\" aria-label=\"Nearby\">");
        if (l->prev) {
            ne_html_nav_link(out, "prev", ne_url_list(p, o, l->kind, l->prev, NE_FMT_NONE, 1),
                             apr_pstrcat(p, "\xE2\x86\x90 ",
                                         ne_html_key_label(p, l->kind, l->prev), NULL));
        }
        if (l->next) {
            ne_html_nav_link(out, "next", ne_url_list(p, o, l->kind, l->next, NE_FMT_NONE, 1),
                             apr_pstrcat(p, ne_html_key_label(p, l->kind, l->next),
                                         " \xE2\x86\x92", NULL));
        }
        ne_buf_puts(out, "</nav>\n");
    }
}

void ne_render_list_html(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    apr_pool_t *p = out->pool;
    const char *title = ne_list_title(p, o, l);
    const char *feed = l->kind == NE_LIST_SEARCH ? ne_url_search_feed(p, o, l->key)
                       : ne_url_feed(p, o, l->kind == NE_LIST_TOPIC ? l->key : NULL);
    const char **urls = ne_html_list_urls(p, o, l->kind, l->key, l->page);
    int i;

    ne_html_head(out, o, title, urls, feed);
    if (l->kind != NE_LIST_FRONT) {
        ne_html_crumbs(out, o, l->kind, l->key, title);
    }
    ne_buf_puts(out, "<h1>");
    ne_esc_html(out, l->kind == NE_LIST_FRONT ? "Latest news" : title);
    ne_buf_puts(out, "</h1>\n");
    if (l->kind == NE_LIST_TOPIC || l->kind == NE_LIST_SEARCH) {
        ne_buf_printf(out, "<p class=\"meta\">%d%s %s%s \xC2\xB7 ", l->total,
                      l->total_capped ? "+" : "", l->kind == NE_LIST_SEARCH ? "result" : "event",
                      l->total == 1 && !l->total_capped ? "" : "s");
        ne_html_link(out, feed, "Atom feed");
        ne_buf_puts(out, "</p>\n");
    }
    if (l->kind == NE_LIST_YEAR) {
        ne_html_months(out, o, l);
    }
    for (i = 0; l->kind != NE_LIST_YEAR && i < l->groups->nelts; i++) {
        ne_html_group(out, o, l, &APR_ARRAY_IDX(l->groups, i, ne_group_t));
    }
    if (l->pages == 0 && l->shown < l->total && l->kind != NE_LIST_YEAR) {
        ne_buf_printf(out, "<p class=\"meta\">The first %d of %d events.</p>\n", l->shown,
                      l->total);
    }
    ne_html_companions(out, o, l);
    ne_html_navs(out, o, l);
    ne_html_foot(out, o, urls);
}
