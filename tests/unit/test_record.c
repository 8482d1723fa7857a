/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"
#include "ne_record.h"

#include <string.h>

static int parse(apr_pool_t *p, const char *json, ne_event_t *ev, ne_record_error_t *err)
{
    json_error_t jerr;
    json_t *obj = json_loads(json, 0, &jerr);
    int rc;

    assert_non_null(obj);
    rc = ne_record_from_json(p, obj, ev, err, NULL);
    json_decref(obj);
    return rc;
}

static void record_reads_every_field(void **state)
{
    ne_event_t ev;
    ne_record_error_t err;

    assert_int_equal(parse(*state,
        "{\"date\":\"2017-11-23\",\"slug\":\"s\",\"category\":\" Cat \",\"story\":\"St\","
        "\"headline\":\"  H  \",\"body\":\"a\\r\\nb\\n\\nc\",\"image\":\"https://i/x.jpg\","
        "\"sources\":[{\"name\":\"N\",\"url\":\"http://u/\"}],"
        "\"topics\":[\"Omar al-Bashir\",\"ICC\"],\"updated\":\"2020-01-02T03:04:05Z\"}",
        &ev, &err), 0);
    assert_string_equal(ev.date, "2017-11-23");
    assert_string_equal(ev.slug, "s");
    assert_string_equal(ev.category, "Cat");
    assert_string_equal(ev.headline, "H");
    assert_string_equal(ev.body, "a\nb\n\nc");
    assert_int_equal(ev.sources->nelts, 1);
    assert_int_equal(ev.topics->nelts, 2);
    assert_string_equal(APR_ARRAY_IDX(ev.topics, 0, ne_topic_t).slug, "omar-al-bashir");
    assert_string_equal(ev.updated, "2020-01-02T03:04:05Z");
}

static void record_round_trips(void **state)
{
    const char *in = "{\"date\":\"2017-11-23\",\"slug\":\"s\",\"headline\":\"H\","
                     "\"sources\":[{\"name\":\"N\",\"url\":\"http://u/\"}],"
                     "\"topics\":[\"T\"],\"updated\":\"2020-01-02T03:04:05Z\"}";
    ne_event_t ev;
    ne_record_error_t err;
    json_t *out;
    char *s;

    assert_int_equal(parse(*state, in, &ev, &err), 0);
    out = ne_record_to_json(&ev);
    s = json_dumps(out, JSON_COMPACT);
    assert_string_equal(s, in);
    free(s);
    json_decref(out);
}

/* Each bad record is refused with the field that is wrong. */
static void record_rejects_with_the_field(void **state)
{
    static const struct {
        const char *json;
        const char *field;
    } bad[] = {
        {"[]", ""},
        {"{\"headline\":\"H\"}", "date"},
        {"{\"date\":\"2017-02-29\",\"headline\":\"H\"}", "date"},
        {"{\"date\":\"17-02-01\",\"headline\":\"H\"}", "date"},
        {"{\"date\":\"2017-02-01\"}", "headline"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"   \"}", "headline"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"a\\nb\"}", "headline"},
        {"{\"date\":\"2017-02-01\",\"headline\":7}", "headline"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"slug\":\"Bad Slug\"}", "slug"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"slug\":\"index\"}", "slug"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"image\":\"javascript:alert(1)\"}", "image"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"sources\":{}}", "sources"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"sources\":[{\"name\":\"N\"}]}", "sources[0].url"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"sources\":[{\"name\":\"N\",\"url\":\"http://a/\"},{\"name\":\"M\",\"url\":\"data:x\"}]}", "sources[1].url"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"sources\":[{\"url\":\"http://a/\"}]}", "sources[0].name"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"topics\":[\"A\",\"a\"]}", "topics[1]"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"topics\":[\"\"]}", "topics[0]"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"topics\":[\"東京\"]}", "topics[0]"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"body\":\"a\\u0001b\"}", "body"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"updated\":\"yesterday\"}", "updated"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"headlin\":\"typo\"}", "headlin"},
        /* Found by fuzz_record: a DEL in one-line text was let through. */
        {"{\"date\":\"2017-02-01\",\"headline\":\"a\\u007fb\"}", "headline"},
        {"{\"date\":\"2017-02-01\",\"headline\":\"H\",\"category\":\"\\u0085\"}", "category"},
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ne_event_t ev;
        ne_record_error_t err = {NULL, NULL, NULL, NULL};
        if (parse(*state, bad[i].json, &ev, &err) != -1) {
            fail_msg("accepted: %s", bad[i].json);
        }
        if (strcmp(err.field, bad[i].field) != 0) {
            fail_msg("%s: field '%s', expected '%s'", bad[i].json, err.field, bad[i].field);
        }
        assert_non_null(err.message);
    }
}

static void record_headline_limit(void **state)
{
    apr_pool_t *p = *state;
    char *h = apr_palloc(p, 4002 * 2);
    ne_event_t ev;
    ne_record_error_t err;
    json_t *obj;
    int i;

    for (i = 0; i < 4000; i++) {
        memcpy(h + 2 * i, "\xC3\xA9", 2);
    }
    h[8000] = '\0';
    obj = json_pack("{s:s, s:s}", "date", "2017-01-01", "headline", h);
    assert_int_equal(ne_record_from_json(p, obj, &ev, &err, NULL), 0);
    json_decref(obj);
    h[8000] = 'x';
    h[8001] = '\0';
    obj = json_pack("{s:s, s:s}", "date", "2017-01-01", "headline", h);
    assert_int_equal(ne_record_from_json(p, obj, &ev, &err, NULL), -1);
    assert_string_equal(err.field, "headline");
    json_decref(obj);
}

int ne_test_record(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(record_reads_every_field, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(record_round_trips, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(record_rejects_with_the_field, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(record_headline_limit, ne_test_pool_setup, ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
