/* XML documents written with libxml2's xmlTextWriter, which escapes text;
 * stored text is clean UTF-8 without the control characters XML forbids. */
#include "ne_render.h"

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
        ne_xml_text(x, ne_format_ext(f), slug ? ne_url_event(x->p, x->o, date, slug, f)
                                              : ne_url_day(x->p, x->o, date, f));
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
    ne_xml_opt(&x, "image", ev->image);
    ne_xml_lists(&x, ev);
    ne_xml_formats(&x, ev->date, ev->slug);
    ne_xml_opt(&x, "updated", ev->updated);
    ne_xml_close(&x, out);
}

static void ne_xml_day_link(ne_xml_t *x, const char *name, const char *date)
{
    if (date != NULL) {
        ne_xml_start(x, name);
        ne_xml_text(x, "date", date);
        ne_xml_text(x, "url", ne_url_day(x->p, x->o, date, NE_FMT_NONE));
        ne_xml_end(x);
    }
}

void ne_render_day_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_day_t *day)
{
    apr_array_header_t *events = ne_day_grouped(out->pool, day);
    ne_xml_t x;
    int i;

    ne_xml_open(&x, out, o, "day");
    ne_xml_text(&x, "date", day->date);
    ne_xml_text(&x, "url", ne_url_day(x.p, o, day->date, NE_FMT_NONE));
    ne_xml_start(&x, "events");
    for (i = 0; i < events->nelts; i++) {
        ne_xml_start(&x, "event");
        ne_xml_summary(&x, APR_ARRAY_IDX(events, i, ne_event_t *));
        ne_xml_end(&x);
    }
    ne_xml_end(&x);
    ne_xml_day_link(&x, "prev", day->prev);
    ne_xml_day_link(&x, "next", day->next);
    ne_xml_formats(&x, day->date, NULL);
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
