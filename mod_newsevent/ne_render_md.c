/* SPDX-License-Identifier: Apache-2.0 */
/* Markdown in the layout of the original site's pages (README,
 * "Representations"), with every stored text escaped for Markdown. */
#include "ne_render.h"
#include "ne_text.h"

#include <string.h>
#include <apr_strings.h>

/* "[text](url)" with both escaped. */
static void ne_md_link(ne_buf_t *out, const char *text, const char *url)
{
    ne_buf_putc(out, '[');
    ne_esc_md(out, text);
    ne_buf_puts(out, "](");
    ne_esc_md_url(out, url);
    ne_buf_putc(out, ')');
}

/* The Formats line: the formats other than Markdown, as the seed has it. */
static void ne_md_formats(ne_buf_t *out, const ne_render_opts_t *o,
                          const char *const urls[NE_FMT_COUNT])
{
    int i;

    ne_buf_puts(out, "\nFormats:");
    for (i = 0; i < o->formats->n; i++) {
        ne_format_e f = o->formats->order[i];
        if (f != NE_FMT_MD) {
            ne_buf_putc(out, ' ');
            ne_md_link(out, ne_format_label(f), urls[f]);
            ne_buf_putc(out, ' ');
        }
    }
    ne_buf_puts(out, " \n\n");
}

/* Body paragraphs: blank lines separate them; each is escaped as a whole. */
static void ne_md_body(ne_buf_t *out, apr_pool_t *p, const char *body)
{
    const char *para;
    apr_size_t n;

    while ((para = ne_text_paragraph(&body, &n)) != NULL) {
        ne_esc_md(out, apr_pstrmemdup(p, para, n));
        ne_buf_puts(out, "\n\n");
    }
}

static void ne_md_sources(ne_buf_t *out, const ne_event_t *ev)
{
    int i, n = 0;

    if (ev->sources->nelts == 0 && !ne_url_is_http(ev->image)) {
        return;
    }
    ne_buf_puts(out, "\n### Sources:\n\n");
    for (i = 0; i < ev->sources->nelts; i++) {
        const ne_source_t *s = &APR_ARRAY_IDX(ev->sources, i, ne_source_t);
        ne_buf_printf(out, "%d. ", ++n);
        if (ne_url_is_http(s->url)) {
            ne_md_link(out, s->name, s->url);
        }
        else {
            ne_esc_md(out, s->name);
        }
        ne_buf_putc(out, '\n');
    }
    if (ne_url_is_http(ev->image)) {
        ne_buf_printf(out, "%d. ", ++n);
        ne_md_link(out, "Cover Image", ev->image);
        ne_buf_putc(out, '\n');
    }
}

static void ne_md_related(ne_buf_t *out, apr_pool_t *p, const ne_render_opts_t *o,
                          const ne_event_t *ev)
{
    int i, j;

    if (ev->related == NULL || ev->related->nelts == 0) {
        return;
    }
    ne_buf_puts(out, "\n### Related:\n\n");
    for (i = 0; i < ev->related->nelts; i++) {
        const ne_related_t *r = &APR_ARRAY_IDX(ev->related, i, ne_related_t);
        ne_buf_printf(out, "%d. ", i + 1);
        ne_md_link(out, r->headline, ne_url_event(p, o, r->date, r->slug, NE_FMT_MD));
        ne_buf_puts(out, " _Context: ");
        for (j = 0; j < r->context->nelts; j++) {
            ne_buf_puts(out, j ? ", " : "");
            ne_esc_md(out, APR_ARRAY_IDX(r->context, j, const char *));
        }
        ne_buf_puts(out, "_\n");
    }
}

static void ne_md_topics(ne_buf_t *out, apr_pool_t *p, const ne_render_opts_t *o,
                         const ne_event_t *ev)
{
    int i;

    if (ev->topics->nelts == 0) {
        return;
    }
    ne_buf_puts(out, "\n### Topics:\n\n");
    for (i = 0; i < ev->topics->nelts; i++) {
        const ne_topic_t *t = &APR_ARRAY_IDX(ev->topics, i, ne_topic_t);
        ne_buf_puts(out, "- ");
        ne_md_link(out, t->name, ne_url_topic(p, o, t->slug, NE_FMT_MD));
        ne_buf_putc(out, '\n');
    }
}

/* The lists above one: "[News](…) › [2017](…) › here", where `here` is the
 * list's title, or, when NULL, a link to the list itself; and the feed. */
static void ne_md_crumbs(ne_buf_t *out, const ne_render_opts_t *o, ne_list_kind_e kind,
                         const char *key, const char *here)
{
    apr_pool_t *p = out->pool;
    ne_crumb_t up[3];
    int i, n = ne_list_parents(p, kind, key, up);

    for (i = 0; i < n; i++) {
        ne_md_link(out, up[i].kind == NE_LIST_FRONT ? o->site_title
                        : up[i].kind == NE_LIST_MONTH ? ne_month_name(p, up[i].key) : up[i].key,
                   ne_url_list(p, o, up[i].kind, up[i].key, NE_FMT_MD, 1));
        ne_buf_puts(out, " \xE2\x80\xBA ");
    }
    if (here != NULL) {
        ne_esc_md(out, here);
    }
    else {
        ne_md_link(out, key, ne_url_list(p, o, kind, key, NE_FMT_MD, 1));
    }
    ne_buf_puts(out, " \xC2\xB7 ");
    ne_md_link(out, "Atom feed", kind == NE_LIST_SEARCH ? ne_url_search_feed(p, o, key)
                                 : ne_url_feed(p, o, kind == NE_LIST_TOPIC ? key : NULL));
    ne_buf_putc(out, '\n');
}

void ne_render_event_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev)
{
    apr_pool_t *p = out->pool;
    const char *urls[NE_FMT_COUNT];
    int f;

    for (f = 0; f < NE_FMT_COUNT; f++) {
        urls[f] = ne_url_event(p, o, ev->date, ev->slug, (ne_format_e)f);
    }
    ne_md_formats(out, o, urls);
    ne_buf_puts(out, "### ");
    ne_md_link(out, ev->date, ne_url_day(p, o, ev->date, NE_FMT_MD));
    ne_buf_puts(out, "\n\n");
    if (*ev->story) {
        ne_buf_puts(out, "##### ");
        ne_esc_md(out, ev->story);
        ne_buf_putc(out, '\n');
    }
    ne_buf_puts(out, "# ");
    ne_esc_md(out, ev->headline);
    ne_buf_puts(out, "\n\n");
    ne_md_body(out, p, ev->body);
    ne_md_sources(out, ev);
    ne_md_related(out, p, o, ev);
    ne_md_topics(out, p, o, ev);
    ne_buf_putc(out, '\n');
    ne_md_crumbs(out, o, NE_LIST_DAY, ev->date, NULL);
}

void ne_render_problem_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb)
{
    int i;

    ne_buf_printf(out, "# %d ", pb->status);
    ne_esc_md(out, pb->title);
    ne_buf_puts(out, "\n\n");
    ne_esc_md(out, pb->detail);
    ne_buf_puts(out, "\n");
    if (pb->alternates != NULL) {
        ne_buf_putc(out, '\n');
        for (i = 0; i < o->formats->n; i++) {
            ne_format_e f = o->formats->order[i];
            ne_buf_puts(out, "- ");
            ne_md_link(out, ne_format_label(f), pb->alternates[f]);
            ne_buf_cat(out, " (`", ne_format_media_type(f), "`)\n", NULL);
        }
    }
}

/* A search snippet under its result, the matches in bold. */
static void ne_md_snippet(ne_buf_t *out, const char *snippet)
{
    apr_array_header_t *pieces = ne_snippet_pieces(out->pool, snippet);
    int i;

    ne_buf_puts(out, "  ");
    for (i = 0; i < pieces->nelts; i++) {
        const ne_snippet_piece_t *piece = &APR_ARRAY_IDX(pieces, i, ne_snippet_piece_t);
        ne_buf_puts(out, piece->match ? "**" : "");
        ne_esc_md(out, piece->text);
        ne_buf_puts(out, piece->match ? "**" : "");
    }
    ne_buf_putc(out, '\n');
}

static void ne_md_group(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l,
                        const ne_group_t *g)
{
    apr_pool_t *p = out->pool;
    const char *story = "";
    int i;

    if (l->kind == NE_LIST_DAY) {
        ne_buf_puts(out, "\n## ");
        ne_esc_md(out, *g->key ? g->key : "Other events");
        ne_buf_puts(out, "\n\n");
    }
    else if (l->kind != NE_LIST_TOPIC && l->kind != NE_LIST_SEARCH) {
        ne_buf_puts(out, "\n## ");
        ne_md_link(out, g->key, ne_url_day(p, o, g->key, NE_FMT_MD));
        ne_buf_puts(out, "\n\n");
    }
    else {
        ne_buf_putc(out, '\n');
    }
    for (i = 0; i < g->events->nelts; i++) {
        const ne_event_t *ev = &APR_ARRAY_IDX(g->events, i, ne_event_t);
        /* A day's events of one story nest under it. */
        if (l->kind == NE_LIST_DAY && *ev->story && strcmp(story, ev->story) != 0) {
            ne_buf_puts(out, "- ");
            ne_esc_md(out, ev->story);
            ne_buf_putc(out, '\n');
        }
        story = l->kind == NE_LIST_DAY ? ev->story : "";
        ne_buf_puts(out, *story ? "  - " : "- ");
        if (l->kind == NE_LIST_TOPIC || l->kind == NE_LIST_SEARCH) {
            ne_esc_md(out, ev->date);
            ne_buf_putc(out, ' ');
        }
        ne_md_link(out, ev->headline, ne_url_event(p, o, ev->date, ev->slug, NE_FMT_MD));
        ne_buf_putc(out, '\n');
        if (ev->snippet != NULL) {
            ne_md_snippet(out, ev->snippet);
        }
    }
}

static void ne_md_months(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    int i;

    ne_buf_putc(out, '\n');
    for (i = 0; i < l->groups->nelts; i++) {
        const ne_group_t *g = &APR_ARRAY_IDX(l->groups, i, ne_group_t);
        ne_buf_puts(out, "- ");
        ne_md_link(out, ne_month_name(out->pool, g->key),
                   ne_url_list(out->pool, o, NE_LIST_MONTH, g->key, NE_FMT_MD, 1));
        ne_buf_printf(out, " (%d event%s)\n", g->count, g->count == 1 ? "" : "s");
    }
}

static void ne_md_companions(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    int i;

    if (l->topics == NULL || l->topics->nelts == 0) {
        return;
    }
    ne_buf_puts(out, "\n## Often with\n\n");
    for (i = 0; i < l->topics->nelts; i++) {
        const ne_topic_count_t *t = &APR_ARRAY_IDX(l->topics, i, ne_topic_count_t);
        ne_buf_puts(out, "- ");
        ne_md_link(out, t->name, ne_url_topic(out->pool, o, t->slug, NE_FMT_MD));
        ne_buf_printf(out, " (%d)\n", t->count);
    }
}

static void ne_md_navs(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    static const char *const noun[] = {"day", "month", "year", "", "", ""};
    apr_pool_t *p = out->pool;

    if (l->pages > 1) {
        ne_buf_printf(out, "\nPage %d of %d", l->page, l->pages);
        if (l->page > 1) {
            ne_buf_puts(out, " \xC2\xB7 ");
            ne_md_link(out, "Previous page",
                       ne_url_list(p, o, l->kind, l->key, NE_FMT_MD, l->page - 1));
        }
        if (l->page < l->pages) {
            ne_buf_puts(out, " \xC2\xB7 ");
            ne_md_link(out, "Next page",
                       ne_url_list(p, o, l->kind, l->key, NE_FMT_MD, l->page + 1));
        }
        ne_buf_putc(out, '\n');
    }
    if (l->prev || l->next) {
        ne_buf_putc(out, '\n');
    }
    if (l->prev) {
        ne_buf_printf(out, "Previous %s: ", noun[l->kind]);
        ne_md_link(out, l->kind == NE_LIST_MONTH ? ne_month_name(p, l->prev) : l->prev,
                   ne_url_list(p, o, l->kind, l->prev, NE_FMT_MD, 1));
        ne_buf_puts(out, l->next ? "  \n" : "\n");
    }
    if (l->next) {
        ne_buf_printf(out, "Next %s: ", noun[l->kind]);
        ne_md_link(out, l->kind == NE_LIST_MONTH ? ne_month_name(p, l->next) : l->next,
                   ne_url_list(p, o, l->kind, l->next, NE_FMT_MD, 1));
        ne_buf_putc(out, '\n');
    }
}

void ne_render_list_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    apr_pool_t *p = out->pool;
    const char *urls[NE_FMT_COUNT];
    const char *title = ne_list_title(p, o, l);
    int f, i;

    for (f = 0; f < NE_FMT_COUNT; f++) {
        urls[f] = ne_url_list(p, o, l->kind, l->key, (ne_format_e)f, l->page);
    }
    ne_md_formats(out, o, urls);
    ne_md_crumbs(out, o, l->kind, l->key, title);
    ne_buf_puts(out, "\n# ");
    ne_esc_md(out, l->kind == NE_LIST_FRONT ? "Latest news" : title);
    ne_buf_putc(out, '\n');
    if (l->kind == NE_LIST_TOPIC) {
        ne_buf_printf(out, "\n%d event%s\n", l->total, l->total == 1 ? "" : "s");
    }
    if (l->kind == NE_LIST_SEARCH) {
        ne_buf_printf(out, "\n%d%s result%s\n", l->total, l->total_capped ? "+" : "",
                      l->total == 1 && !l->total_capped ? "" : "s");
    }
    if (l->kind == NE_LIST_YEAR) {
        ne_md_months(out, o, l);
    }
    for (i = 0; l->kind != NE_LIST_YEAR && i < l->groups->nelts; i++) {
        ne_md_group(out, o, l, &APR_ARRAY_IDX(l->groups, i, ne_group_t));
    }
    if (l->pages == 0 && l->shown < l->total && l->kind != NE_LIST_YEAR) {
        ne_buf_printf(out, "\nThe first %d of %d events.\n", l->shown, l->total);
    }
    ne_md_companions(out, o, l);
    ne_md_navs(out, o, l);
}
