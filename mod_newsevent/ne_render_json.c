/* JSON documents built with jansson; every tree is freed before return. */
#include "ne_render.h"
#include "ne_text.h"

#include <jansson.h>

/* Optional text: null when absent. Stored text is clean UTF-8, so
 * json_string cannot fail on it. */
static json_t *ne_json_opt(const char *s)
{
    return (s == NULL || *s == '\0') ? json_null() : json_string(s);
}

static json_t *ne_json_formats(apr_pool_t *p, const ne_render_opts_t *o,
                               const char *date, const char *slug)
{
    json_t *formats = json_object();
    int i;

    for (i = 0; i < o->formats->n; i++) {
        ne_format_e f = o->formats->order[i];
        const char *url = slug ? ne_url_event(p, o, date, slug, f) : ne_url_day(p, o, date, f);
        json_object_set_new(formats, ne_format_ext(f), json_string(url));
    }
    return formats;
}

static int ne_json_write(const char *s, size_t n, void *baton)
{
    ne_buf_add(baton, s, n);
    return 0;
}

static void ne_json_dump(ne_buf_t *out, json_t *doc)
{
    json_dump_callback(doc, ne_json_write, out, JSON_INDENT(2));
    ne_buf_putc(out, '\n');
    json_decref(doc);
}

static json_t *ne_json_sources(const ne_event_t *ev)
{
    json_t *list = json_array();
    int i;

    for (i = 0; i < ev->sources->nelts; i++) {
        const ne_source_t *s = &APR_ARRAY_IDX(ev->sources, i, ne_source_t);
        json_t *item = json_object();
        json_object_set_new(item, "name", json_string(s->name));
        json_object_set_new(item, "url", json_string(s->url));
        json_array_append_new(list, item);
    }
    return list;
}

static json_t *ne_json_topics(apr_pool_t *p, const ne_render_opts_t *o, const ne_event_t *ev)
{
    json_t *list = json_array();
    int i;

    for (i = 0; i < ev->topics->nelts; i++) {
        const ne_topic_t *t = &APR_ARRAY_IDX(ev->topics, i, ne_topic_t);
        json_t *item = json_object();
        json_object_set_new(item, "name", json_string(t->name));
        json_object_set_new(item, "slug", json_string(t->slug));
        json_object_set_new(item, "url", json_string(ne_url_topic(p, o, t->slug, NE_FMT_NONE)));
        json_array_append_new(list, item);
    }
    return list;
}

static json_t *ne_json_related(apr_pool_t *p, const ne_render_opts_t *o, const ne_event_t *ev)
{
    json_t *list = json_array();
    int i, j;

    for (i = 0; ev->related && i < ev->related->nelts; i++) {
        const ne_related_t *r = &APR_ARRAY_IDX(ev->related, i, ne_related_t);
        json_t *item = json_object(), *context = json_array();
        json_object_set_new(item, "date", json_string(r->date));
        json_object_set_new(item, "slug", json_string(r->slug));
        json_object_set_new(item, "url", json_string(ne_url_event(p, o, r->date, r->slug,
                                                                  NE_FMT_NONE)));
        json_object_set_new(item, "headline", json_string(r->headline));
        for (j = 0; j < r->context->nelts; j++) {
            json_array_append_new(context, json_string(APR_ARRAY_IDX(r->context, j,
                                                                     const char *)));
        }
        json_object_set_new(item, "context", context);
        json_array_append_new(list, item);
    }
    return list;
}

/* The fields an event shows in lists too. */
static json_t *ne_json_summary(apr_pool_t *p, const ne_render_opts_t *o, const ne_event_t *ev)
{
    json_t *obj = json_object();

    json_object_set_new(obj, "date", json_string(ev->date));
    json_object_set_new(obj, "slug", json_string(ev->slug));
    json_object_set_new(obj, "url", json_string(ne_url_event(p, o, ev->date, ev->slug,
                                                             NE_FMT_NONE)));
    json_object_set_new(obj, "category", ne_json_opt(ev->category));
    json_object_set_new(obj, "story", ne_json_opt(ev->story));
    json_object_set_new(obj, "headline", json_string(ev->headline));
    return obj;
}

void ne_render_event_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev)
{
    apr_pool_t *p = out->pool;
    json_t *doc = ne_json_summary(p, o, ev);

    json_object_set_new(doc, "day", json_string(ne_url_day(p, o, ev->date, NE_FMT_NONE)));
    json_object_set_new(doc, "body", ne_json_opt(ev->body));
    json_object_set_new(doc, "image", ne_json_opt(ev->image));
    json_object_set_new(doc, "sources", ne_json_sources(ev));
    json_object_set_new(doc, "topics", ne_json_topics(p, o, ev));
    json_object_set_new(doc, "related", ne_json_related(p, o, ev));
    json_object_set_new(doc, "formats", ne_json_formats(p, o, ev->date, ev->slug));
    json_object_set_new(doc, "updated", ne_json_opt(ev->updated));
    ne_json_dump(out, doc);
}

static json_t *ne_json_day_link(apr_pool_t *p, const ne_render_opts_t *o, const char *date)
{
    json_t *obj;

    if (date == NULL) {
        return json_null();
    }
    obj = json_object();
    json_object_set_new(obj, "date", json_string(date));
    json_object_set_new(obj, "url", json_string(ne_url_day(p, o, date, NE_FMT_NONE)));
    return obj;
}

void ne_render_day_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_day_t *day)
{
    apr_pool_t *p = out->pool;
    apr_array_header_t *events = ne_day_grouped(p, day);
    json_t *doc = json_object(), *list = json_array();
    int i;

    json_object_set_new(doc, "date", json_string(day->date));
    json_object_set_new(doc, "url", json_string(ne_url_day(p, o, day->date, NE_FMT_NONE)));
    for (i = 0; i < events->nelts; i++) {
        json_array_append_new(list, ne_json_summary(p, o, APR_ARRAY_IDX(events, i,
                                                                        ne_event_t *)));
    }
    json_object_set_new(doc, "events", list);
    json_object_set_new(doc, "prev", ne_json_day_link(p, o, day->prev));
    json_object_set_new(doc, "next", ne_json_day_link(p, o, day->next));
    json_object_set_new(doc, "formats", ne_json_formats(p, o, day->date, NULL));
    ne_json_dump(out, doc);
}

/* RFC 9457 problem details; "alternates" lists the representations a 406
 * could have had. */
void ne_render_problem_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb)
{
    json_t *doc = json_object();
    int i;

    json_object_set_new(doc, "type", json_string("about:blank"));
    json_object_set_new(doc, "title", json_string(pb->title));
    json_object_set_new(doc, "status", json_integer(pb->status));
    json_object_set_new(doc, "detail", json_string(pb->detail));
    json_object_set_new(doc, "instance", json_string(pb->instance));
    if (pb->alternates != NULL) {
        json_t *list = json_array();
        for (i = 0; i < o->formats->n; i++) {
            ne_format_e f = o->formats->order[i];
            json_t *item = json_object();
            json_object_set_new(item, "type", json_string(ne_format_media_type(f)));
            json_object_set_new(item, "href", json_string(pb->alternates[f]));
            json_array_append_new(list, item);
        }
        json_object_set_new(doc, "alternates", list);
    }
    ne_json_dump(out, doc);
}
