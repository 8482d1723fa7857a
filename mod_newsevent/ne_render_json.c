/* SPDX-License-Identifier: Apache-2.0 */
/* JSON documents built with jansson; every tree is freed before return. */
#include "ne_json_text.h"
#include "ne_render.h"
#include "ne_text.h"

#include <jansson.h>

/* A string of the record or of a URL made from it: UTF-8 already (the
 * store cleans what it reads, ne_event.h), so jansson need not check it
 * again, which was a tenth of a list page's instructions. Keys are our
 * literals (json_object_set_new_nocheck). */
static json_t *ne_json_str(const char *s)
{
    return s != NULL ? json_stringn_nocheck(s, strlen(s)) : NULL;
}

/* Optional text: null when absent. */
static json_t *ne_json_opt(const char *s)
{
    return (s == NULL || *s == '\0') ? json_null() : ne_json_str(s);
}

static json_t *ne_json_formats(apr_pool_t *p, const ne_render_opts_t *o,
                               const char *date, const char *slug)
{
    json_t *formats = json_object();
    int i;

    for (i = 0; i < o->formats->n; i++) {
        ne_format_e f = o->formats->order[i];
        json_object_set_new_nocheck(formats, ne_format_ext(f),
                            ne_json_str(ne_url_event(p, o, date, slug, f)));
    }
    return formats;
}

static json_t *ne_json_links(apr_pool_t *p, const ne_render_opts_t *o, ne_list_kind_e kind,
                             const char *key, const char *feed_topic);

/* An event's lists: its day and those above it, and the feed. */
static json_t *ne_json_event_links(apr_pool_t *p, const ne_render_opts_t *o,
                                   const ne_event_t *ev)
{
    json_t *links = ne_json_links(p, o, NE_LIST_DAY, ev->date, NULL);

    json_object_set_new_nocheck(links, "day", ne_json_str(ne_url_day(p, o, ev->date, NE_FMT_NONE)));
    return links;
}

static void ne_json_dump(ne_buf_t *out, json_t *doc)
{
    ne_json_text(out, doc);
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
        json_object_set_new_nocheck(item, "name", ne_json_str(s->name));
        json_object_set_new_nocheck(item, "url", ne_json_str(s->url));
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
        json_object_set_new_nocheck(item, "name", ne_json_str(t->name));
        json_object_set_new_nocheck(item, "slug", ne_json_str(t->slug));
        json_object_set_new_nocheck(item, "url", ne_json_str(ne_url_topic(p, o, t->slug, NE_FMT_NONE)));
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
        json_object_set_new_nocheck(item, "date", ne_json_str(r->date));
        json_object_set_new_nocheck(item, "slug", ne_json_str(r->slug));
        json_object_set_new_nocheck(item, "url", ne_json_str(ne_url_event(p, o, r->date, r->slug,
                                                                  NE_FMT_NONE)));
        json_object_set_new_nocheck(item, "headline", ne_json_str(r->headline));
        for (j = 0; j < r->context->nelts; j++) {
            json_array_append_new(context, ne_json_str(APR_ARRAY_IDX(r->context, j,
                                                                     const char *)));
        }
        json_object_set_new_nocheck(item, "context", context);
        json_array_append_new(list, item);
    }
    return list;
}

/* The fields an event shows in lists too. */
/* A search snippet as data a client can render: [{text, match}], the
 * matches marked true. */
static json_t *ne_json_snippet(apr_pool_t *p, const char *snippet)
{
    apr_array_header_t *pieces = ne_snippet_pieces(p, snippet);
    json_t *list = json_array();
    int i;

    for (i = 0; i < pieces->nelts; i++) {
        const ne_snippet_piece_t *piece = &APR_ARRAY_IDX(pieces, i, ne_snippet_piece_t);
        json_t *item = json_object();
        json_object_set_new_nocheck(item, "text", ne_json_str(piece->text));
        json_object_set_new_nocheck(item, "match", json_boolean(piece->match));
        json_array_append_new(list, item);
    }
    return list;
}

static json_t *ne_json_summary(apr_pool_t *p, const ne_render_opts_t *o, const ne_event_t *ev)
{
    json_t *obj = json_object();

    json_object_set_new_nocheck(obj, "date", ne_json_str(ev->date));
    json_object_set_new_nocheck(obj, "slug", ne_json_str(ev->slug));
    json_object_set_new_nocheck(obj, "url", ne_json_str(ne_url_event(p, o, ev->date, ev->slug,
                                                             NE_FMT_NONE)));
    json_object_set_new_nocheck(obj, "category", ne_json_opt(ev->category));
    json_object_set_new_nocheck(obj, "story", ne_json_opt(ev->story));
    json_object_set_new_nocheck(obj, "headline", ne_json_str(ev->headline));
    if (ev->snippet != NULL) {
        json_object_set_new_nocheck(obj, "snippet", ne_json_snippet(p, ev->snippet));
    }
    return obj;
}

void ne_render_event_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev)
{
    apr_pool_t *p = out->pool;
    json_t *doc = ne_json_summary(p, o, ev);

    json_object_set_new_nocheck(doc, "day", ne_json_str(ne_url_day(p, o, ev->date, NE_FMT_NONE)));
    json_object_set_new_nocheck(doc, "body", ne_json_opt(ev->body));
    json_object_set_new_nocheck(doc, "image", ne_json_opt(ne_url_is_http(ev->image) ? ev->image : ""));
    json_object_set_new_nocheck(doc, "sources", ne_json_sources(ev));
    json_object_set_new_nocheck(doc, "topics", ne_json_topics(p, o, ev));
    json_object_set_new_nocheck(doc, "related", ne_json_related(p, o, ev));
    json_object_set_new_nocheck(doc, "formats", ne_json_formats(p, o, ev->date, ev->slug));
    json_object_set_new_nocheck(doc, "links", ne_json_event_links(p, o, ev));
    json_object_set_new_nocheck(doc, "updated", ne_json_opt(ev->updated));
    ne_json_dump(out, doc);
}

/* The lists above one (and the feed), by kind name. */
static json_t *ne_json_links(apr_pool_t *p, const ne_render_opts_t *o, ne_list_kind_e kind,
                             const char *key, const char *feed_topic)
{
    json_t *links = json_object();
    ne_crumb_t up[3];
    int i, n = ne_list_parents(p, kind, key, up);

    for (i = 0; i < n; i++) {
        json_object_set_new_nocheck(links, ne_list_kind_name(up[i].kind),
                            ne_json_str(ne_url_list(p, o, up[i].kind, up[i].key,
                                                    NE_FMT_NONE, 1)));
    }
    json_object_set_new_nocheck(links, "feed", ne_json_str(ne_url_feed(p, o, feed_topic)));
    return links;
}

static json_t *ne_json_list_formats(apr_pool_t *p, const ne_render_opts_t *o,
                                    const ne_list_t *l)
{
    json_t *formats = json_object();
    int i;

    for (i = 0; i < o->formats->n; i++) {
        ne_format_e f = o->formats->order[i];
        json_object_set_new_nocheck(formats, ne_format_ext(f),
                            ne_json_str(ne_url_list(p, o, l->kind, l->key, f, l->page)));
    }
    return formats;
}

/* A neighbouring list: {date|month|year, url}, or null. */
static json_t *ne_json_neighbour(apr_pool_t *p, const ne_render_opts_t *o,
                                 ne_list_kind_e kind, const char *key)
{
    json_t *obj;

    if (key == NULL) {
        return json_null();
    }
    obj = json_object();
    json_object_set_new_nocheck(obj, ne_list_key_name(kind), ne_json_str(key));
    json_object_set_new_nocheck(obj, "url", ne_json_str(ne_url_list(p, o, kind, key, NE_FMT_NONE, 1)));
    return obj;
}

static json_t *ne_json_page_link(apr_pool_t *p, const ne_render_opts_t *o,
                                 const ne_list_t *l, int page)
{
    return page >= 1 && page <= l->pages
           ? ne_json_str(ne_url_list(p, o, l->kind, l->key, NE_FMT_NONE, page)) : json_null();
}

static json_t *ne_json_summaries(apr_pool_t *p, const ne_render_opts_t *o,
                                 const apr_array_header_t *events, json_t *into)
{
    int i;

    for (i = 0; i < events->nelts; i++) {
        json_array_append_new(into, ne_json_summary(p, o, &APR_ARRAY_IDX(events, i,
                                                                         ne_event_t)));
    }
    return into;
}

/* The groups of a list as its kind names them: a day's and a topic's
 * events (categories flattened, in order), a month's or the front page's
 * days, a year's months. */
static void ne_json_groups(apr_pool_t *p, const ne_render_opts_t *o, const ne_list_t *l,
                           json_t *doc)
{
    json_t *list = json_array();
    int i;

    for (i = 0; i < l->groups->nelts; i++) {
        const ne_group_t *g = &APR_ARRAY_IDX(l->groups, i, ne_group_t);
        json_t *item;
        if (l->kind == NE_LIST_DAY || l->kind == NE_LIST_TOPIC || l->kind == NE_LIST_SEARCH) {
            ne_json_summaries(p, o, g->events, list);
            continue;
        }
        item = json_object();
        if (l->kind == NE_LIST_YEAR) {
            json_object_set_new_nocheck(item, "month", ne_json_str(g->key));
            json_object_set_new_nocheck(item, "url", ne_json_str(ne_url_list(p, o, NE_LIST_MONTH,
                                                                     g->key, NE_FMT_NONE, 1)));
            json_object_set_new_nocheck(item, "events", json_integer(g->count));
        }
        else {
            json_object_set_new_nocheck(item, "date", ne_json_str(g->key));
            json_object_set_new_nocheck(item, "url", ne_json_str(ne_url_day(p, o, g->key,
                                                                    NE_FMT_NONE)));
            json_object_set_new_nocheck(item, "events", ne_json_summaries(p, o, g->events,
                                                                  json_array()));
        }
        json_array_append_new(list, item);
    }
    json_object_set_new_nocheck(doc, l->kind == NE_LIST_YEAR ? "months"
                        : (l->kind == NE_LIST_DAY || l->kind == NE_LIST_TOPIC
                           || l->kind == NE_LIST_SEARCH) ? "events"
                        : "days", list);
}

static json_t *ne_json_companions(apr_pool_t *p, const ne_render_opts_t *o,
                                  const ne_list_t *l)
{
    json_t *list = json_array();
    int i;

    for (i = 0; l->topics && i < l->topics->nelts; i++) {
        const ne_topic_count_t *t = &APR_ARRAY_IDX(l->topics, i, ne_topic_count_t);
        json_t *item = json_object();
        json_object_set_new_nocheck(item, "name", ne_json_str(t->name));
        json_object_set_new_nocheck(item, "slug", ne_json_str(t->slug));
        json_object_set_new_nocheck(item, "url", ne_json_str(ne_url_topic(p, o, t->slug,
                                                                  NE_FMT_NONE)));
        json_object_set_new_nocheck(item, "count", json_integer(t->count));
        json_array_append_new(list, item);
    }
    return list;
}

void ne_render_list_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l)
{
    apr_pool_t *p = out->pool;
    json_t *doc = json_object();

    json_object_set_new_nocheck(doc, "kind", ne_json_str(ne_list_kind_name(l->kind)));
    if (l->kind == NE_LIST_SEARCH) {
        json_object_set_new_nocheck(doc, "query", ne_json_str(l->name));
    }
    else if (l->kind != NE_LIST_FRONT) {
        json_object_set_new_nocheck(doc, ne_list_key_name(l->kind), ne_json_str(l->key));
    }
    if (l->kind == NE_LIST_TOPIC) {
        json_object_set_new_nocheck(doc, "name", ne_json_str(l->name));
    }
    json_object_set_new_nocheck(doc, "title", ne_json_str(ne_list_title(p, o, l)));
    json_object_set_new_nocheck(doc, "url", ne_json_str(ne_url_list(p, o, l->kind, l->key,
                                                            NE_FMT_NONE, l->page)));
    ne_json_groups(p, o, l, doc);
    if (l->kind == NE_LIST_TOPIC) {
        json_object_set_new_nocheck(doc, "topics", ne_json_companions(p, o, l));
    }
    json_object_set_new_nocheck(doc, "total", json_integer(l->total));
    if (l->total_capped) {
        json_object_set_new_nocheck(doc, "total_capped", json_true());   /* more than total */
    }
    if (l->pages > 0 || l->kind == NE_LIST_SEARCH) {
        json_object_set_new_nocheck(doc, "page", json_integer(l->page));
        json_object_set_new_nocheck(doc, "pages", json_integer(l->pages));
        json_object_set_new_nocheck(doc, "prev_page", ne_json_page_link(p, o, l, l->page - 1));
        json_object_set_new_nocheck(doc, "next_page", ne_json_page_link(p, o, l, l->page + 1));
    }
    if (l->kind == NE_LIST_DAY || l->kind == NE_LIST_MONTH || l->kind == NE_LIST_YEAR) {
        json_object_set_new_nocheck(doc, "prev", ne_json_neighbour(p, o, l->kind, l->prev));
        json_object_set_new_nocheck(doc, "next", ne_json_neighbour(p, o, l->kind, l->next));
    }
    json_object_set_new_nocheck(doc, "links", ne_json_links(p, o, l->kind, l->key,
                                                    l->kind == NE_LIST_TOPIC ? l->key : NULL));
    if (l->kind == NE_LIST_SEARCH) {
        json_object_set_new_nocheck(json_object_get(doc, "links"), "feed",
                                    ne_json_str(ne_url_search_feed(p, o, l->key)));
    }
    json_object_set_new_nocheck(doc, "formats", ne_json_list_formats(p, o, l));
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
