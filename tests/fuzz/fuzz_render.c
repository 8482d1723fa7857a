/* SPDX-License-Identifier: Apache-2.0 */
/* Every renderer fed an arbitrary record (fields split at 0x01, cleaned as
 * the store cleans them): the JSON parses, keeps the headline and is what
 * jansson itself would write for it (ne_json_text), the XML
 * and the Atom feed are well-formed, and the HTML holds no markup but the
 * renderer's own. */
#include "fuzz_common.h"
#include "ne_render.h"
#include "ne_text.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <stdio.h>

static const char *const ne_tags[] = {
    "!DOCTYPE", "html", "head", "meta", "title", "link", "style", "body", "header", "main",
    "nav", "a", "article", "p", "time", "span", "h1", "h2", "section", "ol", "ul", "li",
    "figure", "img", "footer", "form", "label", "input", "button", "mark", "br", NULL
};

/* Every '<' opens one of the renderer's own tags. */
static void ne_fuzz_html(const char *html)
{
    const char *p;
    int i;

    for (p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
        const char *name = p[1] == '/' ? p + 2 : p + 1;
        for (i = 0; ne_tags[i]; i++) {
            size_t n = strlen(ne_tags[i]);
            if (strncmp(name, ne_tags[i], n) == 0 && (name[n] == '>' || name[n] == ' ')) {
                break;
            }
        }
        NE_FUZZ_ASSERT(ne_tags[i] != NULL);
    }
}

static void ne_fuzz_xml(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "x.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL && getenv("NE_FUZZ_SHOW")) {
        fputs(xml, stderr);
    }
    NE_FUZZ_ASSERT(doc != NULL);
    xmlFreeDoc(doc);
}

/* Our JSON text is byte for byte what jansson writes for the same tree
 * (its JSON_INDENT(2) layout, its escapes), and the trailing newline. */
static void ne_fuzz_same_as_jansson(const char *text, const json_t *doc)
{
    char *want = json_dumps(doc, JSON_INDENT(2));
    size_t n = want ? strlen(want) : 0;

    NE_FUZZ_ASSERT(want != NULL);
    NE_FUZZ_ASSERT(strlen(text) == n + 1 && memcmp(text, want, n) == 0 && text[n] == '\n');
    free(want);
}

static const char *ne_render_to(apr_pool_t *p, const ne_render_opts_t *o, ne_format_e f,
                                const ne_event_t *ev, const ne_list_t *l)
{
    ne_buf_t *b = ne_buf_make(p, 256);

    if (ev) {
        ne_render_event(b, o, f, ev);
    }
    else {
        ne_render_list(b, o, f, l);
    }
    return ne_buf_str(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = ne_fuzz_pool();
    char *input = ne_fuzz_str(p, data, size), *next = input;
    const char *fields[12];
    ne_render_opts_t o = {"/news", "News", NULL, "en", &ne_format_all, "http://x", NULL, NULL, 1};
    ne_event_t ev;
    ne_list_t list;
    ne_group_t *g;
    ne_related_t *r;
    ne_source_t *s;
    ne_topic_t *t;
    ne_feed_t feed;
    json_error_t jerr;
    const char *text;
    json_t *doc;
    int i;

    for (i = 0; i < 12; i++) {              /* fields split at 0x01; "" past the end */
        char *cut = next ? strchr(next, '\x01') : NULL;
        if (cut) {
            *cut = '\0';
        }
        fields[i] = ne_text_clean(p, next ? next : "");
        next = cut ? cut + 1 : NULL;
    }
    memset(&ev, 0, sizeof(ev));
    ev.id = "1";
    ev.date = fields[0];
    ev.slug = fields[1];
    ev.category = fields[2];
    ev.story = fields[3];
    ev.headline = fields[4];
    ev.body = fields[5];
    ev.image = fields[6];
    ev.updated = fields[7];
    ev.sources = apr_array_make(p, 1, sizeof(ne_source_t));
    s = apr_array_push(ev.sources);
    s->name = fields[8];
    s->url = fields[9];
    ev.topics = apr_array_make(p, 1, sizeof(ne_topic_t));
    t = apr_array_push(ev.topics);
    t->name = fields[10];
    t->slug = fields[11];
    ev.related = apr_array_make(p, 1, sizeof(ne_related_t));
    r = apr_array_push(ev.related);
    r->date = fields[7];
    r->slug = fields[3];
    r->headline = fields[2];
    r->context = apr_array_make(p, 1, sizeof(const char *));
    APR_ARRAY_PUSH(r->context, const char *) = fields[10];

    text = ne_render_to(p, &o, NE_FMT_JSON, &ev, NULL);
    doc = json_loads(text, 0, &jerr);
    NE_FUZZ_ASSERT(doc != NULL);
    NE_FUZZ_ASSERT(strcmp(json_string_value(json_object_get(doc, "headline")), ev.headline) == 0);
    ne_fuzz_same_as_jansson(text, doc);
    json_decref(doc);
    ne_fuzz_xml(ne_render_to(p, &o, NE_FMT_XML, &ev, NULL));
    ne_fuzz_html(ne_render_to(p, &o, NE_FMT_HTML, &ev, NULL));
    ne_render_to(p, &o, NE_FMT_MD, &ev, NULL);

    memset(&list, 0, sizeof(list));
    list.kind = (ne_list_kind_e)(size % 6);
    list.key = fields[0];
    list.name = fields[4];
    list.prev = fields[7];
    list.page = 1;
    list.pages = (int)(size % 3);
    list.groups = apr_array_make(p, 1, sizeof(ne_group_t));
    g = apr_array_push(list.groups);
    g->key = fields[2];
    g->count = 1;
    g->events = apr_array_make(p, 1, sizeof(ne_event_t));
    *(ne_event_t *)apr_array_push(g->events) = ev;
    if (list.kind == NE_LIST_SEARCH) {      /* a snippet with its marks, as the store gives */
        ne_event_t *hit = &APR_ARRAY_IDX(g->events, 0, ne_event_t);
        hit->snippet = apr_pstrcat(p, fields[5], "\001", fields[4], "\002", fields[2], NULL);
    }
    if (list.kind == NE_LIST_YEAR) {
        g->events = NULL;
    }
    text = ne_render_to(p, &o, NE_FMT_JSON, NULL, &list);
    doc = json_loads(text, 0, &jerr);
    NE_FUZZ_ASSERT(doc != NULL);
    ne_fuzz_same_as_jansson(text, doc);
    json_decref(doc);
    ne_fuzz_xml(ne_render_to(p, &o, NE_FMT_XML, NULL, &list));
    ne_fuzz_html(ne_render_to(p, &o, NE_FMT_HTML, NULL, &list));
    ne_render_to(p, &o, NE_FMT_MD, NULL, &list);

    memset(&feed, 0, sizeof(feed));
    feed.topic_slug = size % 2 ? fields[11] : NULL;
    feed.topic_name = fields[10];
    if (size % 3 == 0) {
        feed.search_key = fields[9];
        feed.search_text = fields[10];
        ev.snippet = apr_pstrcat(p, fields[5], "\001", fields[4], "\002", NULL);
    }
    feed.events = apr_array_make(p, 1, sizeof(ne_event_t));
    *(ne_event_t *)apr_array_push(feed.events) = ev;
    {
        ne_buf_t *b = ne_buf_make(p, 256);
        ne_render_feed(b, &o, &feed);
        ne_fuzz_xml(ne_buf_str(b));
    }
    {
        ne_sitemap_t sm = {NULL, apr_array_make(p, 1, sizeof(const char *)), NULL};
        ne_buf_t *b = ne_buf_make(p, 256);
        APR_ARRAY_PUSH(sm.months, const char *) = fields[0];
        ne_render_sitemap(b, &o, &sm);
        ne_fuzz_xml(ne_buf_str(b));
        sm.month = fields[0];
        sm.events = feed.events;
        b = ne_buf_make(p, 256);
        ne_render_sitemap(b, &o, &sm);
        ne_fuzz_xml(ne_buf_str(b));
        b = ne_buf_make(p, 256);
        o.site_title = *fields[10] ? fields[10] : "News";
        ne_render_opensearch(b, &o);
        ne_fuzz_xml(ne_buf_str(b));
    }
    apr_pool_destroy(p);
    return 0;
}
