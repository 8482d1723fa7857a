/* SPDX-License-Identifier: Apache-2.0 */
/* Conditional requests in RFC 9110 section 13.2.2's order. */
#include "unit.h"
#include "ne_cond.h"

#include <apr_date.h>

#define TAG "\"0123456789abcdef\""
/* Last-Modified: Thu, 23 Nov 2017 12:00:00 GMT */
#define LM_TEXT "Thu, 23 Nov 2017 12:00:00 GMT"
#define BEFORE "Wed, 22 Nov 2017 12:00:00 GMT"
#define AFTER "Fri, 24 Nov 2017 12:00:00 GMT"
#define NOW "Sat, 25 Nov 2017 12:00:00 GMT"
#define FUTURE "Sun, 26 Nov 2017 12:00:00 GMT"

static apr_time_t lm(void)
{
    return apr_date_parse_http(LM_TEXT) + 123456;   /* sub-second part ignored */
}

static ne_cond_e eval(const char *im, const char *inm, const char *ims, const char *ius,
                      int get)
{
    ne_cond_req_t c = {im, inm, ims, ius, get, apr_date_parse_http(NOW)};

    return ne_cond_evaluate(&c, TAG, lm());
}

static void test_cond_none(void **state)
{
    (void)state;
    assert_int_equal(eval(NULL, NULL, NULL, NULL, 1), NE_COND_PROCEED);
}

static void test_cond_if_none_match(void **state)
{
    (void)state;
    assert_int_equal(eval(NULL, TAG, NULL, NULL, 1), NE_COND_NOT_MODIFIED);
    assert_int_equal(eval(NULL, "W/" TAG, NULL, NULL, 1), NE_COND_NOT_MODIFIED);
    assert_int_equal(eval(NULL, "\"other\", " TAG, NULL, NULL, 1), NE_COND_NOT_MODIFIED);
    assert_int_equal(eval(NULL, "\"other\"", NULL, NULL, 1), NE_COND_PROCEED);
    assert_int_equal(eval(NULL, "*", NULL, NULL, 1), NE_COND_NOT_MODIFIED);
    assert_int_equal(eval(NULL, TAG, NULL, NULL, 0), NE_COND_FAILED);
    assert_int_equal(eval(NULL, "garbage", NULL, NULL, 1), NE_COND_PROCEED);
}

/* The case: a matching If-None-Match decides; the old
 * If-Modified-Since beside it is ignored. And a stale If-None-Match is not
 * overruled by a recent If-Modified-Since. */
static void test_cond_inm_before_ims(void **state)
{
    (void)state;
    assert_int_equal(eval(NULL, TAG, BEFORE, NULL, 1), NE_COND_NOT_MODIFIED);
    assert_int_equal(eval(NULL, "\"stale\"", AFTER, NULL, 1), NE_COND_PROCEED);
}

static void test_cond_if_modified_since(void **state)
{
    (void)state;
    assert_int_equal(eval(NULL, NULL, LM_TEXT, NULL, 1), NE_COND_NOT_MODIFIED);
    assert_int_equal(eval(NULL, NULL, AFTER, NULL, 1), NE_COND_NOT_MODIFIED);
    assert_int_equal(eval(NULL, NULL, BEFORE, NULL, 1), NE_COND_PROCEED);
    assert_int_equal(eval(NULL, NULL, "not a date", NULL, 1), NE_COND_PROCEED);
    assert_int_equal(eval(NULL, NULL, LM_TEXT, NULL, 0), NE_COND_PROCEED);
    assert_int_equal(eval(NULL, NULL, FUTURE, NULL, 1), NE_COND_PROCEED);   /* ignored */
}

static void test_cond_if_match(void **state)
{
    (void)state;
    assert_int_equal(eval(TAG, NULL, NULL, NULL, 1), NE_COND_PROCEED);
    assert_int_equal(eval("*", NULL, NULL, NULL, 1), NE_COND_PROCEED);
    assert_int_equal(eval("\"a\", " TAG, NULL, NULL, NULL, 0), NE_COND_PROCEED);
    assert_int_equal(eval("W/" TAG, NULL, NULL, NULL, 1), NE_COND_FAILED);   /* strong */
    assert_int_equal(eval("\"stale\"", NULL, NULL, NULL, 1), NE_COND_FAILED);
    /* If-Match decides before If-None-Match. */
    assert_int_equal(eval("\"stale\"", TAG, NULL, NULL, 1), NE_COND_FAILED);
    assert_int_equal(eval(TAG, TAG, NULL, NULL, 1), NE_COND_NOT_MODIFIED);
}

static void test_cond_if_unmodified_since(void **state)
{
    (void)state;
    assert_int_equal(eval(NULL, NULL, NULL, BEFORE, 1), NE_COND_FAILED);
    assert_int_equal(eval(NULL, NULL, NULL, LM_TEXT, 1), NE_COND_PROCEED);
    assert_int_equal(eval(NULL, NULL, NULL, "yesterday", 1), NE_COND_PROCEED);
    /* ignored beside If-Match */
    assert_int_equal(eval(TAG, NULL, NULL, BEFORE, 1), NE_COND_PROCEED);
}

static void test_cond_no_representation(void **state)
{
    ne_cond_req_t c = {"*", NULL, NULL, NULL, 1, 0};

    (void)state;
    assert_int_equal(ne_cond_evaluate(&c, NULL, 0), NE_COND_FAILED);
    c.if_match = NULL;
    c.if_none_match = "*";
    assert_int_equal(ne_cond_evaluate(&c, NULL, 0), NE_COND_PROCEED);
}

int ne_test_cond(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cond_none),
        cmocka_unit_test(test_cond_if_none_match),
        cmocka_unit_test(test_cond_inm_before_ims),
        cmocka_unit_test(test_cond_if_modified_since),
        cmocka_unit_test(test_cond_if_match),
        cmocka_unit_test(test_cond_if_unmodified_since),
        cmocka_unit_test(test_cond_no_representation),
    };
    return cmocka_run_group_tests_name("cond", tests, NULL, NULL);
}
