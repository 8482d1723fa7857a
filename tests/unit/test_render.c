/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"
#include "ne_json_text.h"
#include "ne_render.h"

#include <string.h>
#include <apr_strings.h>
#include <jansson.h>
#include <libxml/parser.h>

static const ne_render_opts_t opts = {"/news", "News", NULL, "en", &ne_format_all, "", NULL, NULL,
                                      1};

/* A record holding what a hostile editor could store. */
static ne_event_t *hostile_event(apr_pool_t *p)
{
    ne_event_t *ev = apr_pcalloc(p, sizeof(*ev));
    ne_source_t *s;
    ne_topic_t *t;
    ne_related_t *r;

    ev->id = "1";
    ev->date = "2017-11-24";
    ev->slug = "artist-show";
    ev->category = "Arts & <culture>";
    ev->story = "";
    ev->headline = "Zoë's \"<script>alert('x')</script>\" & 東京 *bold* [link](javascript:x)";
    ev->body = "First <b>para</b>.\n\n1994. Second & last";
    ev->image = "javascript:alert(1)";
    ev->updated = "2020-01-01T00:00:00Z";
    ev->sources = apr_array_make(p, 2, sizeof(ne_source_t));
    s = apr_array_push(ev->sources);
    s->name = "Good <source>";
    s->url = "https://example.com/a?b=1&c=2";
    s = apr_array_push(ev->sources);
    s->name = "Bad source";
    s->url = "javascript:alert(2)";
    ev->topics = apr_array_make(p, 1, sizeof(ne_topic_t));
    t = apr_array_push(ev->topics);
    t->name = "Art & \"Culture\"";
    t->slug = "art-culture";
    ev->related = apr_array_make(p, 1, sizeof(ne_related_t));
    r = apr_array_push(ev->related);
    r->date = "2017-11-20";
    r->slug = "other";
    r->headline = "Other </a><script>x</script>";
    r->context = apr_array_make(p, 1, sizeof(const char *));
    APR_ARRAY_PUSH(r->context, const char *) = "Art & \"Culture\"";
    return ev;
}

static const char *render(apr_pool_t *p, ne_format_e f, const ne_event_t *ev)
{
    ne_buf_t *b = ne_buf_make(p, 64);
    ne_render_event(b, &opts, f, ev);
    return ne_buf_str(b);
}

static void render_json_is_valid_and_complete(void **state)
{
    const ne_event_t *ev = hostile_event(*state);
    json_error_t jerr;
    json_t *doc = json_loads(render(*state, NE_FMT_JSON, ev), 0, &jerr);
    static const char *const fields[] = {"date", "slug", "url", "category", "story",
        "headline", "body", "image", "sources", "topics", "related", "formats", "updated",
        NULL};
    int i;

    assert_non_null(doc);
    for (i = 0; fields[i]; i++) {
        if (json_object_get(doc, fields[i]) == NULL) {
            fail_msg("missing %s", fields[i]);
        }
    }
    assert_string_equal(json_string_value(json_object_get(doc, "headline")), ev->headline);
    assert_true(json_is_null(json_object_get(doc, "story")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "formats"), "md")),
                        "/news/2017/11/24/artist-show.md");
    assert_string_equal(json_string_value(json_array_get(json_object_get(
        json_array_get(json_object_get(doc, "related"), 0), "context"), 0)), "Art & \"Culture\"");
    json_decref(doc);
}

static void render_xml_is_well_formed(void **state)
{
    const char *xml = render(*state, NE_FMT_XML, hostile_event(*state));
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "event.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root;

    assert_non_null(doc);
    root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "event");
    assert_string_equal((const char *)root->ns->href, NE_XML_NS);
    xmlFreeDoc(doc);
    assert_non_null(strstr(xml, "&lt;script&gt;"));
}

static void render_html_escapes_everything(void **state)
{
    const char *html = render(*state, NE_FMT_HTML, hostile_event(*state));

    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<b>"));
    assert_null(strstr(html, "=\"javascript:"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert_non_null(strstr(html, "href=\"https://example.com/a?b=1&amp;c=2\""));
    assert_non_null(strstr(html, "<li>Bad source</li>"));
    assert_non_null(strstr(html, "<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_non_null(strstr(html, "<link rel=\"canonical\" href=\"/news/2017/11/24/artist-show.html\">"));
    assert_non_null(strstr(html, "href=\"/news/topics/art-culture\""));
}

static void render_md_escapes_and_links_only_http(void **state)
{
    const char *md = render(*state, NE_FMT_MD, hostile_event(*state)), *p;

    assert_non_null(strstr(md, "# Zoë's \"\\<script\\>alert('x')\\</script\\>\" & 東京 \\*bold\\* "
                           "\\[link\\](javascript:x)\n"));
    assert_non_null(strstr(md, "\n1994\\. Second & last\n"));
    assert_non_null(strstr(md, "1. [Good \\<source\\>](https://example.com/a?b=1&c=2)\n"));
    assert_non_null(strstr(md, "2. Bad source\n"));
    assert_null(strstr(md, "Cover Image"));
    /* As escaped text, never as a link. */
    for (p = strstr(md, "](javascript"); p; p = strstr(p + 1, "](javascript")) {
        assert_true(p > md && p[-1] == '\\');
    }
    assert_non_null(strstr(md, "_Context: Art & \"Culture\"_\n"));
}

/* A day list of four events in two categories, rendered in each format. */
static ne_list_t *day_list(apr_pool_t *p)
{
    ne_list_t *l = apr_pcalloc(p, sizeof(*l));
    static const char *const cats[] = {"B <b>", "A"};
    int i, j;

    l->kind = NE_LIST_DAY;
    l->key = "2017-11-23";
    l->next = "2017-11-24";
    l->groups = apr_array_make(p, 2, sizeof(ne_group_t));
    for (i = 0; i < 2; i++) {
        ne_group_t *g = apr_array_push(l->groups);
        g->key = cats[i];
        g->events = apr_array_make(p, 2, sizeof(ne_event_t));
        for (j = 0; j < 2; j++) {
            ne_event_t *ev = apr_array_push(g->events);
            memset(ev, 0, sizeof(*ev));
            ev->date = l->key;
            ev->slug = apr_psprintf(p, "e%d", i * 2 + j);
            ev->category = cats[i];
            ev->story = "";
            ev->headline = apr_psprintf(p, "Event %d <i>", i * 2 + j);
        }
        g->count = 2;
    }
    l->total = 4;
    return l;
}

static void render_lists_in_every_format(void **state)
{
    apr_pool_t *p = *state;
    ne_list_t *l = day_list(p);
    ne_buf_t *b = ne_buf_make(p, 64);
    json_error_t jerr;
    json_t *doc, *events;
    xmlDocPtr xml;
    const char *s;

    ne_render_list(b, &opts, NE_FMT_JSON, l);
    doc = json_loads(ne_buf_str(b), 0, &jerr);
    assert_non_null(doc);
    events = json_object_get(doc, "events");
    assert_int_equal(json_array_size(events), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(events, 2), "slug")),
                        "e2");
    assert_true(json_is_null(json_object_get(doc, "prev")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "next"), "url")),
                        "/news/2017/11/24/");
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "links"),
                                                          "month")), "/news/2017/11/");
    json_decref(doc);

    b = ne_buf_make(p, 64);
    ne_render_list(b, &opts, NE_FMT_XML, l);
    s = ne_buf_str(b);
    xml = xmlReadMemory(s, (int)strlen(s), "day.xml", NULL, XML_PARSE_NONET);
    assert_non_null(xml);
    xmlFreeDoc(xml);

    b = ne_buf_make(p, 64);
    ne_render_list(b, &opts, NE_FMT_HTML, l);
    s = ne_buf_str(b);
    assert_null(strstr(s, "<b>"));
    assert_null(strstr(s, "<i>"));
    assert_non_null(strstr(s, "<h2>B &lt;b&gt;</h2>"));
    assert_true(strstr(s, "/e1\"") < strstr(s, "/e2\""));

    b = ne_buf_make(p, 64);
    ne_render_list(b, &opts, NE_FMT_MD, l);
    s = ne_buf_str(b);
    assert_non_null(strstr(s, "\n## B \\<b\\>\n"));
    assert_non_null(strstr(s, "Next day: [2017-11-24](/news/2017/11/24/index.md)"));
}

static void render_feed_is_atom(void **state)
{
    apr_pool_t *p = *state;
    ne_render_opts_t o = opts;
    ne_feed_t feed = {NULL, NULL, NULL, NULL, apr_array_make(p, 1, sizeof(ne_event_t))};
    ne_event_t *ev = hostile_event(p);
    ne_buf_t *b = ne_buf_make(p, 64);
    xmlDocPtr xml;
    const char *s;

    o.origin = "http://example.org";
    *(ne_event_t *)apr_array_push(feed.events) = *ev;
    ne_render_feed(b, &o, &feed);
    s = ne_buf_str(b);
    xml = xmlReadMemory(s, (int)strlen(s), "feed.atom", NULL, XML_PARSE_NONET);
    assert_non_null(xml);
    assert_string_equal((const char *)xmlDocGetRootElement(xml)->ns->href,
                        "http://www.w3.org/2005/Atom");
    xmlFreeDoc(xml);
    assert_non_null(strstr(s, "<id>http://example.org/news/feed.atom</id>"));
    assert_non_null(strstr(s, "<updated>2020-01-01T00:00:00Z</updated>"));
    assert_non_null(strstr(s, "href=\"http://example.org/news/2017/11/24/artist-show.html\""));
}

/* The JSON writer gives jansson's own text for the same tree: layout,
 * escapes (quotes, backslashes, control characters as \u00XX in capitals),
 * non-ASCII kept as UTF-8, empty containers, integers, null and booleans. */
static void json_text_is_janssons(void **state)
{
    apr_pool_t *p = *state;
    json_t *doc = json_pack("{s:s, s:[s, s, i], s:{}, s:[], s:n, s:b, s:{s:I}}",
                            "text", "quote \" back \\ slash / tab \t nl \n cr \r \x01\x1f\x7f"
                            " caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb0",
                            "list", "", "\b\f", -42, "empty", "none", "nothing", "yes", 1,
                            "deep", "big", (json_int_t)9007199254740993LL);
    ne_buf_t *out = ne_buf_make(p, 16);
    char *want = json_dumps(doc, JSON_INDENT(2));

    ne_json_text(out, doc);
    assert_string_equal(ne_buf_str(out), want);
    assert_non_null(strstr(want, "\\u0001\\u001F"));
    free(want);
    json_decref(doc);
}

/* Each byte JSON escapes, at every place of a string longer than the
 * writer's 8-byte steps, escaped as jansson escapes it. */
static void json_text_escapes_at_every_place(void **state)
{
    static const char specials[] = {'"', '\\', '\x01', '\t', '\n', '\x1f'};
    size_t i, k;

    for (k = 0; k < sizeof(specials); k++) {
        for (i = 0; i < 24; i++) {
            char text[25];
            json_t *doc;
            ne_buf_t *out = ne_buf_make(*state, 16);
            char *want;
            memset(text, 'a', 24);
            text[24] = '\0';
            text[i] = specials[k];
            doc = json_pack("[s]", text);
            want = json_dumps(doc, JSON_INDENT(2));
            ne_json_text(out, doc);
            assert_string_equal(ne_buf_str(out), want);
            free(want);
            json_decref(doc);
        }
    }
}

/* Random strings of plain text, UTF-8, DEL and the bytes JSON escapes,
 * several to a word: the same text as jansson's. */
static void json_text_escapes_random_strings(void **state)
{
    static const char *const pick[] = {"q", "q", "q", "q", "\"", "\\", "\x01", "\t", "\n",
                                       "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "/"};
    unsigned int seed = 54321;
    int round, i;

    for (round = 0; round < 3000; round++) {
        ne_buf_t *out = ne_buf_make(*state, 16);
        char text[200] = "";
        int parts = (int)(rand_r(&seed) % 40);
        json_t *doc;
        char *want;
        for (i = 0; i < parts; i++) {
            strcat(text, pick[rand_r(&seed) % (sizeof(pick) / sizeof(pick[0]))]);
        }
        doc = json_pack("{s:s}", "t", text);
        want = json_dumps(doc, JSON_INDENT(2));
        ne_json_text(out, doc);
        assert_string_equal(ne_buf_str(out), want);
        free(want);
        json_decref(doc);
    }
}

int ne_test_render(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(render_json_is_valid_and_complete, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(render_xml_is_well_formed, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(render_html_escapes_everything, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(render_md_escapes_and_links_only_http, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(render_lists_in_every_format, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(render_feed_is_atom, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(json_text_is_janssons, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(json_text_escapes_at_every_place, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(json_text_escapes_random_strings, ne_test_pool_setup, ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
