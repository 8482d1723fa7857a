/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"
#include "ne_route.h"

#include <string.h>

typedef struct {
    const char *path;
    ne_route_kind_e kind;
    const char *date;       /* events and days */
    const char *slug;       /* events */
    ne_format_e format;
    const char *location;   /* redirects */
} route_case_t;

static const route_case_t cases[] = {
    {"/news/2017/11/23/some-event", NE_ROUTE_EVENT, "2017-11-23", "some-event", NE_FMT_NONE, NULL},
    {"/news/2017/11/23/some-event.html", NE_ROUTE_EVENT, "2017-11-23", "some-event", NE_FMT_HTML, NULL},
    {"/news/2017/11/23/some-event.json", NE_ROUTE_EVENT, "2017-11-23", "some-event", NE_FMT_JSON, NULL},
    {"/news/2017/11/23/some-event.xml", NE_ROUTE_EVENT, "2017-11-23", "some-event", NE_FMT_XML, NULL},
    {"/news/2017/11/23/some-event.md", NE_ROUTE_EVENT, "2017-11-23", "some-event", NE_FMT_MD, NULL},
    {"/news/2016/02/29/leap", NE_ROUTE_EVENT, "2016-02-29", "leap", NE_FMT_NONE, NULL},
    {"/news/2000/02/29/leap", NE_ROUTE_EVENT, "2000-02-29", "leap", NE_FMT_NONE, NULL},
    {"/news/2017/11/23/", NE_ROUTE_DAY, "2017-11-23", NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/index", NE_ROUTE_DAY, "2017-11-23", NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/index.md", NE_ROUTE_DAY, "2017-11-23", NULL, NE_FMT_MD, NULL},
    {"/news/2017/11/23/index.json", NE_ROUTE_DAY, "2017-11-23", NULL, NE_FMT_JSON, NULL},
    /* Non-canonical spellings redirect. */
    {"/news/2017/11/23", NE_ROUTE_REDIRECT, NULL, NULL, NE_FMT_NONE, "/news/2017/11/23/"},
    {"/news/2017/11/23/Some-Event", NE_ROUTE_REDIRECT, NULL, NULL, NE_FMT_NONE, "/news/2017/11/23/some-event"},
    {"/news/2017/11/23/SOME-EVENT.JSON", NE_ROUTE_REDIRECT, NULL, NULL, NE_FMT_NONE, "/news/2017/11/23/some-event.json"},
    {"/news/2017/11/23/INDEX.md", NE_ROUTE_REDIRECT, NULL, NULL, NE_FMT_NONE, "/news/2017/11/23/index.md"},
    /* The other lists and the feeds. */
    {"/news/", NE_ROUTE_FRONT, "", NULL, NE_FMT_NONE, NULL},
    {"/news/index", NE_ROUTE_FRONT, "", NULL, NE_FMT_NONE, NULL},
    {"/news/index.html", NE_ROUTE_FRONT, "", NULL, NE_FMT_HTML, NULL},
    {"/news/index.json", NE_ROUTE_FRONT, "", NULL, NE_FMT_JSON, NULL},
    {"/news/2017/", NE_ROUTE_YEAR, "2017", NULL, NE_FMT_NONE, NULL},
    {"/news/2017/index.xml", NE_ROUTE_YEAR, "2017", NULL, NE_FMT_XML, NULL},
    {"/news/0001/", NE_ROUTE_YEAR, "0001", NULL, NE_FMT_NONE, NULL},
    {"/news/9999/index", NE_ROUTE_YEAR, "9999", NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/", NE_ROUTE_MONTH, "2017-11", NULL, NE_FMT_NONE, NULL},
    {"/news/2017/02/index.md", NE_ROUTE_MONTH, "2017-02", NULL, NE_FMT_MD, NULL},
    {"/news/topics/vladimir-putin", NE_ROUTE_TOPIC, "", "vladimir-putin", NE_FMT_NONE, NULL},
    {"/news/topics/vladimir-putin.json", NE_ROUTE_TOPIC, "", "vladimir-putin", NE_FMT_JSON, NULL},
    {"/news/topics/vladimir-putin.atom", NE_ROUTE_TOPIC_FEED, "", "vladimir-putin", NE_FMT_NONE, NULL},
    {"/news/feed.atom", NE_ROUTE_FEED, "", NULL, NE_FMT_NONE, NULL},
    {"/news", NE_ROUTE_REDIRECT, NULL, NULL, NE_FMT_NONE, "/news/"},
    {"/news/2017", NE_ROUTE_REDIRECT, NULL, NULL, NE_FMT_NONE, "/news/2017/"},
    {"/news/2017/11", NE_ROUTE_REDIRECT, NULL, NULL, NE_FMT_NONE, "/news/2017/11/"},
    {"/news/topics/Vladimir-Putin", NE_ROUTE_REDIRECT, NULL, NULL, NE_FMT_NONE, "/news/topics/vladimir-putin"},
    {"/news/2017/INDEX.JSON", NE_ROUTE_REDIRECT, NULL, NULL, NE_FMT_NONE, "/news/2017/index.json"},
    /* Ours, but nothing. */
    {"/news/0000/", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/13/", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/00/", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/201/", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/20170/", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/1/", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/feed.atom", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/feed.json", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/feed.atom", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/topics/", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/topics", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/topics/a--b", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/topics/x/y", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/topics/x.txt", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/some-slug", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/some-slug", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/02/29/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/1900/02/29/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/13/01/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/00/10/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/00/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/31/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/04/31/", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/0000/01/01/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/17/11/23/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/1/23/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23x/y", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/x.txt", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/x.html.json", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/x.", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/.json", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/x/", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/a--b", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/-a", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/a_b", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/%41", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017//11/23/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news//2017/11/23/x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    {"/news/2017/11/23/../../x", NE_ROUTE_NOT_FOUND, NULL, NULL, NE_FMT_NONE, NULL},
    /* Not ours at all. */
    {"/", NE_ROUTE_NOT_OURS, NULL, NULL, NE_FMT_NONE, NULL},
    {"/newsroom/2017/11/23/x", NE_ROUTE_NOT_OURS, NULL, NULL, NE_FMT_NONE, NULL},
    {"/new", NE_ROUTE_NOT_OURS, NULL, NULL, NE_FMT_NONE, NULL},
    {"/static/news/2017/11/23/x", NE_ROUTE_NOT_OURS, NULL, NULL, NE_FMT_NONE, NULL},
};

static void route_table(void **state)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const route_case_t *c = &cases[i];
        ne_route_t rt;
        ne_route_kind_e kind = ne_route_parse(*state, "/news", c->path, &rt);
        if (kind != c->kind || rt.kind != c->kind) {
            fail_msg("%s: kind %d, expected %d", c->path, kind, c->kind);
        }
        if (c->kind >= NE_ROUTE_EVENT) {
            assert_string_equal(rt.key, c->date);
            assert_int_equal(rt.format, c->format);
        }
        if (c->kind == NE_ROUTE_EVENT || c->kind == NE_ROUTE_TOPIC
            || c->kind == NE_ROUTE_TOPIC_FEED) {
            assert_string_equal(rt.slug, c->slug);
        }
        if (c->kind == NE_ROUTE_REDIRECT) {
            assert_string_equal(rt.location, c->location);
        }
    }
}

static void route_other_base(void **state)
{
    ne_route_t rt;

    assert_int_equal(ne_route_parse(*state, "/api/news", "/api/news/2017/11/23/x.json", &rt),
                     NE_ROUTE_EVENT);
    assert_int_equal(ne_route_parse(*state, "/api/news", "/news/2017/11/23/x.json", &rt),
                     NE_ROUTE_NOT_OURS);
    assert_int_equal(ne_route_parse(*state, "/api/news", "/api/news/2017/11/23", &rt),
                     NE_ROUTE_REDIRECT);
    assert_string_equal(rt.location, "/api/news/2017/11/23/");
}

static void route_base_validity(void **state)
{
    (void)state;
    assert_true(ne_route_base_valid("/news"));
    assert_true(ne_route_base_valid("/api/news-v1"));
    assert_false(ne_route_base_valid("/"));
    assert_false(ne_route_base_valid("news"));
    assert_false(ne_route_base_valid("/news/"));
    assert_false(ne_route_base_valid("/a//b"));
    assert_false(ne_route_base_valid("/a b"));
    assert_false(ne_route_base_valid("/a%20b"));
}

int ne_test_route(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(route_table, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(route_other_base, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test(route_base_validity),
    };
    return cmocka_run_group_tests_name("route", tests, NULL, NULL);
}
