/* Markdown in the layout of the original site's pages (SPEC section 4),
 * with every stored text escaped for Markdown. */
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
}

/* A day: a section per category; events of one story nest under it. */
void ne_render_day_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_day_t *day)
{
    apr_pool_t *p = out->pool;
    apr_array_header_t *events = ne_day_grouped(p, day);
    const char *urls[NE_FMT_COUNT], *category = NULL, *story = "";
    int f, i;

    for (f = 0; f < NE_FMT_COUNT; f++) {
        urls[f] = ne_url_day(p, o, day->date, (ne_format_e)f);
    }
    ne_md_formats(out, o, urls);
    ne_buf_cat(out, "# ", day->date, "\n", NULL);
    for (i = 0; i < events->nelts; i++) {
        const ne_event_t *ev = APR_ARRAY_IDX(events, i, ne_event_t *);
        if (category == NULL || strcmp(category, ev->category) != 0) {
            category = ev->category;
            story = "";
            ne_buf_puts(out, "\n## ");
            ne_esc_md(out, *category ? category : "Other events");
            ne_buf_puts(out, "\n\n");
        }
        if (*ev->story && strcmp(story, ev->story) != 0) {
            ne_buf_puts(out, "- ");
            ne_esc_md(out, ev->story);
            ne_buf_putc(out, '\n');
        }
        story = ev->story;
        ne_buf_puts(out, *story ? "  - " : "- ");
        ne_md_link(out, ev->headline, ne_url_event(p, o, ev->date, ev->slug, NE_FMT_MD));
        ne_buf_putc(out, '\n');
    }
    ne_buf_putc(out, '\n');
    if (day->prev) {
        ne_buf_puts(out, "Previous day: ");
        ne_md_link(out, day->prev, ne_url_day(p, o, day->prev, NE_FMT_MD));
        ne_buf_puts(out, day->next ? "  \n" : "\n");
    }
    if (day->next) {
        ne_buf_puts(out, "Next day: ");
        ne_md_link(out, day->next, ne_url_day(p, o, day->next, NE_FMT_MD));
        ne_buf_putc(out, '\n');
    }
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
