/* SPDX-License-Identifier: Apache-2.0 */
/* XML documents written with libxml2's xmlTextWriter, which escapes text;
 * stored text is clean UTF-8 without the control characters XML forbids. */
#include "ne_render.h"
#include "ne_text.h"

#include <libxml/xmlwriter.h>

typedef struct ne_xml {
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    apr_pool_t *p;
    const ne_render_opts_t *o;
} ne_xml_t;

static void ne_xml_open_ns(ne_xml_t *x, ne_buf_t *out, const ne_render_opts_t *o,
                           const char *root, const char *ns)
{
    x->p = out->pool;
    x->o = o;
    x->buf = xmlBufferCreate();
    x->w = xmlNewTextWriterMemory(x->buf, 0);
    xmlTextWriterSetIndent(x->w, 1);
    xmlTextWriterSetIndentString(x->w, BAD_CAST "  ");
    xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL);
    xmlTextWriterStartElementNS(x->w, NULL, BAD_CAST root, BAD_CAST ns);
}

static void ne_xml_open(ne_xml_t *x, ne_buf_t *out, const ne_render_opts_t *o,
                        const char *root)
{
    ne_xml_open_ns(x, out, o, root, NE_XML_NS);
}

/* Close the document, copy it into out and free libxml2's objects. */
static void ne_xml_close(ne_xml_t *x, ne_buf_t *out)
{
    xmlTextWriterEndDocument(x->w);
    xmlFreeTextWriter(x->w);
    ne_buf_add(out, (const char *)xmlBufferContent(x->buf), (apr_size_t)xmlBufferLength(x->buf));
    xmlBufferFree(x->buf);
}

static void ne_xml_text(ne_xml_t *x, const char *name, const char *value)
{
    xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST value);
}

/* Optional text: the element is left out when absent. */
static void ne_xml_opt(ne_xml_t *x, const char *name, const char *value)
{
    if (value != NULL && *value != '\0') {
        ne_xml_text(x, name, value);
    }
}

static void ne_xml_start(ne_xml_t *x, const char *name)
{
    xmlTextWriterStartElement(x->w, BAD_CAST name);
}

static void ne_xml_end(ne_xml_t *x)
{
    xmlTextWriterEndElement(x->w);
}

static void ne_xml_formats(ne_xml_t *x, const char *date, const char *slug)
{
    int i;

    ne_xml_start(x, "formats");
    for (i = 0; i < x->o->formats->n; i++) {
        ne_format_e f = x->o->formats->order[i];
        ne_xml_text(x, ne_format_ext(f), ne_url_event(x->p, x->o, date, slug, f));
    }
    ne_xml_end(x);
}

static void ne_xml_links(ne_xml_t *x, ne_list_kind_e kind, const char *key,
                         const char *feed, const char *day);

/* A search snippet: its text, each match in <mark>. */
static void ne_xml_snippet(ne_xml_t *x, const char *snippet)
{
    apr_array_header_t *pieces = ne_snippet_pieces(x->p, snippet);
    int i;

    ne_xml_start(x, "snippet");
    for (i = 0; i < pieces->nelts; i++) {
        const ne_snippet_piece_t *piece = &APR_ARRAY_IDX(pieces, i, ne_snippet_piece_t);
        if (piece->match) {
            ne_xml_text(x, "mark", piece->text);
        }
        else {
            xmlTextWriterWriteString(x->w, BAD_CAST piece->text);
        }
    }
    ne_xml_end(x);
}

static void ne_xml_summary(ne_xml_t *x, const ne_event_t *ev)
{
    ne_xml_text(x, "date", ev->date);
    ne_xml_text(x, "slug", ev->slug);
    ne_xml_text(x, "url", ne_url_event(x->p, x->o, ev->date, ev->slug, NE_FMT_NONE));
    ne_xml_opt(x, "category", ev->category);
    ne_xml_opt(x, "story", ev->story);
    ne_xml_text(x, "headline", ev->headline);
    if (ev->snippet != NULL) {
        ne_xml_snippet(x, ev->snippet);
    }
}

static void ne_xml_lists(ne_xml_t *x, const ne_event_t *ev)
{
    int i, j;

    ne_xml_start(x, "sources");
    for (i = 0; i < ev->sources->nelts; i++) {
        const ne_source_t *s = &APR_ARRAY_IDX(ev->sources, i, ne_source_t);
        ne_xml_start(x, "source");
        ne_xml_text(x, "name", s->name);
        ne_xml_text(x, "url", s->url);
        ne_xml_end(x);
    }
    ne_xml_end(x);
    ne_xml_start(x, "topics");
    for (i = 0; i < ev->topics->nelts; i++) {
        const ne_topic_t *t = &APR_ARRAY_IDX(ev->topics, i, ne_topic_t);
        ne_xml_start(x, "topic");
        ne_xml_text(x, "name", t->name);
        ne_xml_text(x, "slug", t->slug);
        ne_xml_text(x, "url", ne_url_topic(x->p, x->o, t->slug, NE_FMT_NONE));
        ne_xml_end(x);
    }
    ne_xml_end(x);
    ne_xml_start(x, "related");
    for (i = 0; ev->related && i < ev->related->nelts; i++) {
        const ne_related_t *r = &APR_ARRAY_IDX(ev->related, i, ne_related_t);
        ne_xml_start(x, "event");
        ne_xml_text(x, "date", r->date);
        ne_xml_text(x, "slug", r->slug);
        ne_xml_text(x, "url", ne_url_event(x->p, x->o, r->date, r->slug, NE_FMT_NONE));
        ne_xml_text(x, "headline", r->headline);
        ne_xml_start(x, "context");
        for (j = 0; j < r->context->nelts; j++) {
            ne_xml_text(x, "topic", APR_ARRAY_IDX(r->context, j, const char *));
        }
        ne_xml_end(x);
        ne_xml_end(x);
    }
    ne_xml_end(x);
}

void ne_render_event_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev)
{
    ne_xml_t x;

    ne_xml_open(&x, out, o, "event");
    ne_xml_summary(&x, ev);
    ne_xml_text(&x, "day", ne_url_day(x.p, o, ev->date, NE_FMT_NONE));
    ne_xml_opt(&x, "body", ev->body);
    ne_xml_opt(&x, "image", ne_url_is_http(ev->image) ? ev->image : "");
    ne_xml_lists(&x, ev);
    ne_xml_formats(&x, ev->date, ev->slug);
    ne_xml_links(&x, NE_LIST_DAY, ev->date, ne_url_feed(x.p, o, NULL),
                 ne_url_day(x.p, o, ev->date, NE_FMT_NONE));
    ne_xml_opt(&x, "updated", ev->updated);
    ne_xml_close(&x, out);
}

static void ne_xml_links(ne_xml_t *x, ne_list_kind_e kind, const char *key,
                         const char *feed, const char *day)
{
    ne_crumb_t up[3];
    int i, n = ne_list_parents(x->p, kind, key, up);

    ne_xml_start(x, "links");
    for (i = 0; i < n; i++) {
        ne_xml_text(x, ne_list_kind_name(up[i].kind),
                    ne_url_list(x->p, x->o, up[i].kind, up[i].key, NE_FMT_NONE, 1));
    }
    ne_xml_opt(x, "day", day);
    ne_xml_text(x, "feed", feed);
    ne_xml_end(x);
}

static void ne_xml_list_formats(ne_xml_t *x, const ne_list_t *l)
{
    int i;

    ne_xml_start(x, "formats");
    for (i = 0; i < x->o->formats->n; i++) {
        ne_format_e f = x->o->formats->order[i];
        ne_xml_text(x, ne_format_ext(f), ne_url_list(x->p, x->o, l->kind, l->key, f, l->page));
    }
    ne_xml_end(x);
}

static void ne_xml_neighbour(ne_xml_t *x, const char *name, ne_list_kind_e kind,
                             const char *key)
{
    if (key != NULL) {
        ne_xml_start(x, name);
        ne_xml_text(x, ne_list_key_name(kind), key);
        ne_xml_text(x, "url", ne_url_list(x->p, x->o, kind, key, NE_FMT_NONE, 1));
        ne_xml_end(x);
    }
}

static void ne_xml_summaries(ne_xml_t *x, const apr_array_header_t *events)
{
    int i;

    for (i = 0; i < events->nelts; i++) {
        ne_xml_start(x, "event");
        ne_xml_summary(x, &APR_ARRAY_IDX(events, i, ne_event_t));
        ne_xml_end(x);
    }
}

/* As the JSON: a day's and a topic's <events>, a month's or the front
 * page's <days>, a year's <months>. */
static void ne_xml_groups(ne_xml_t *x, const ne_list_t *l)
{
    int flat = l->kind == NE_LIST_DAY || l->kind == NE_LIST_TOPIC || l->kind == NE_LIST_SEARCH;
    int i;

    ne_xml_start(x, l->kind == NE_LIST_YEAR ? "months" : flat ? "events" : "days");
    for (i = 0; i < l->groups->nelts; i++) {
        const ne_group_t *g = &APR_ARRAY_IDX(l->groups, i, ne_group_t);
        if (flat) {
            ne_xml_summaries(x, g->events);
        }
        else if (l->kind == NE_LIST_YEAR) {
            ne_xml_start(x, "month");
            ne_xml_text(x, "month", g->key);
            ne_xml_text(x, "url", ne_url_list(x->p, x->o, NE_LIST_MONTH, g->key,
                                              NE_FMT_NONE, 1));
            xmlTextWriterWriteFormatElement(x->w, BAD_CAST "events", "%d", g->count);
            ne_xml_end(x);
        }
        else {
            ne_xml_start(x, "day");
            ne_xml_text(x, "date", g->key);
            ne_xml_text(x, "url", ne_url_day(x->p, x->o, g->key, NE_FMT_NONE));
            ne_xml_start(x, "events");
            ne_xml_summaries(x, g->events);
            ne_xml_end(x);
            ne_xml_end(x);
        }
    }
    ne_xml_end(x);
}

static void ne_xml_companions(ne_xml_t *x, const ne_list_t *l)
{
    int i;

    ne_xml_start(x, "topics");
    for (i = 0; l->topics && i < l->topics->nelts; i++) {
        const ne_topic_count_t *t = &APR_ARRAY_IDX(l->topics, i, ne_topic_count_t);
        ne_xml_start(x, "topic");
        ne_xml_text(x, "name", t->name);
        ne_xml_text(x, "slug", t->slug);
        ne_xml_text(x, "url", ne_url_topic(x->p, x->o, t->slug, NE_FMT_NONE));
        xmlTextWriterWriteFormatElement(x->w, BAD_CAST "count", "%d", t->count);
        ne_xml_end(x);
    }
    ne_xml_end(x);
}

static void ne_xml_paging(ne_xml_t *x, const ne_list_t *l)
{
    xmlTextWriterWriteFormatElement(x->w, BAD_CAST "page", "%d", l->page);
    xmlTextWriterWriteFormatElement(x->w, BAD_CAST "pages", "%d", l->pages);
    if (l->page > 1) {
        ne_xml_text(x, "prev_page", ne_url_list(x->p, x->o, l->kind, l->key, NE_FMT_NONE,
                                                l->page - 1));
    }
    if (l->page < l->pages) {
        ne_xml_text(x, "next_page", ne_url_list(x->p, x->o, l->kind, l->key, NE_FMT_NONE,
                                                l->page + 1));
    }
}

void ne_render_list_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    ne_xml_t x;

    ne_xml_open(&x, out, o, ne_list_kind_name(l->kind));
    if (l->kind == NE_LIST_SEARCH) {
        ne_xml_text(&x, "query", l->name);
    }
    else if (l->kind != NE_LIST_FRONT) {
        ne_xml_text(&x, ne_list_key_name(l->kind), l->key);
    }
    if (l->kind == NE_LIST_TOPIC) {
        ne_xml_text(&x, "name", l->name);
    }
    ne_xml_text(&x, "title", ne_list_title(x.p, o, l));
    ne_xml_text(&x, "url", ne_url_list(x.p, o, l->kind, l->key, NE_FMT_NONE, l->page));
    ne_xml_groups(&x, l);
    if (l->kind == NE_LIST_TOPIC) {
        ne_xml_companions(&x, l);
    }
    xmlTextWriterWriteFormatElement(x.w, BAD_CAST "total", "%d", l->total);
    if (l->total_capped) {
        ne_xml_text(&x, "total_capped", "true");
    }
    if (l->pages > 0 || l->kind == NE_LIST_SEARCH) {
        ne_xml_paging(&x, l);
    }
    ne_xml_neighbour(&x, "prev", l->kind, l->prev);
    ne_xml_neighbour(&x, "next", l->kind, l->next);
    ne_xml_links(&x, l->kind, l->key, l->kind == NE_LIST_SEARCH
                 ? ne_url_search_feed(x.p, o, l->key)
                 : ne_url_feed(x.p, o, l->kind == NE_LIST_TOPIC ? l->key : NULL), NULL);
    ne_xml_list_formats(&x, l);
    ne_xml_close(&x, out);
}

/* RFC 9457 appendix B: problem details in XML; arrays hold <i> items. */
void ne_render_problem_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb)
{
    ne_xml_t x;
    int i;

    ne_xml_open_ns(&x, out, o, "problem", NE_PROBLEM_NS);
    ne_xml_text(&x, "type", "about:blank");
    ne_xml_text(&x, "title", pb->title);
    xmlTextWriterWriteFormatElement(x.w, BAD_CAST "status", "%d", pb->status);
    ne_xml_text(&x, "detail", pb->detail);
    ne_xml_text(&x, "instance", pb->instance);
    if (pb->alternates != NULL) {
        ne_xml_start(&x, "alternates");
        for (i = 0; i < o->formats->n; i++) {
            ne_format_e f = o->formats->order[i];
            ne_xml_start(&x, "i");
            ne_xml_text(&x, "type", ne_format_media_type(f));
            ne_xml_text(&x, "href", pb->alternates[f]);
            ne_xml_end(&x);
        }
        ne_xml_end(&x);
    }
    ne_xml_close(&x, out);
}
