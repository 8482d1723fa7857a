/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"
#include "ne_accept.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H NE_FMT_HTML
#define J NE_FMT_JSON
#define X NE_FMT_XML
#define M NE_FMT_MD
#define NONE NE_FMT_NONE

typedef struct {
    const char *accept;
    ne_format_e want;
} accept_case_t;

/* All four formats offered in the default order, HTML preferred. */
static const accept_case_t cases[] = {
    /* No preference: HTML. */
    {NULL, H},
    {"", H},
    {"   ", H},
    {"*/*", H},
    {"*/*;q=0.5", H},
    /* One type. */
    {"text/html", H},
    {"application/json", J},
    {"application/xml", X},
    {"text/xml", X},
    {"text/markdown", M},
    {"TEXT/HTML", H},
    {"Application/JSON", J},
    {"text/Markdown", M},
    /* Quality decides. */
    {"text/html;q=0.5, application/json", J},
    {"application/json;q=0.4, application/xml;q=0.5", X},
    {"text/markdown;q=1.0, text/html;q=0.999", M},
    {"text/html;q=0.001, application/json;q=0.002", J},
    {"text/*;q=0.5, application/xml", X},                    /* the example */
    {"application/json;q=0.9, */*;q=1", H},                  /* any type at 1 beats json at 0.9 */
    /* The most specific range gives a type its quality. */
    {"text/*;q=0.1, text/html;q=0", M},                      /* the text wildcard is not XML */
    {"text/*, text/html;q=0", M},
    {"text/*;q=0.1, text/html;q=0, text/markdown;q=0", NONE},
    {"application/xml;q=0, text/html;q=0, application/json;q=0, text/markdown;q=0, "
     "*/*;q=0.1", NONE},
    {"*/*;q=0.9, text/html;q=0.1", J},
    {"*/*, application/json;q=0", H},
    {"text/*, text/html;q=0.2", M},
    {"text/*, text/html;q=0.2, text/xml;q=0.3", M},
    {"text/*;q=0.2, text/xml;q=0.3", X},
    {"application/*;q=0.3, application/xml;q=0.6, */*;q=0.1", X},
    /* Ties: the more specific range, then the server's order. */
    {"application/json, text/plain, */*", J},                 /* axios, fetch clients */
    {"text/markdown, */*", M},
    {"application/xml, application/json", J},                 /* equal: server order */
    {"application/json, application/xml", J},
    {"text/*", H},
    {"application/*", J},
    {"text/markdown, text/html", H},
    {"text/*;q=0.8, application/*;q=0.8", H},
    {"application/*;q=0.8, text/*;q=0.8", H},
    /* q=0 excludes. */
    {"text/html;q=0", NONE},                                  /* and nothing else named */
    {"*/*;q=0", NONE},
    {"text/html;q=0, application/json;q=0, application/xml;q=0, text/markdown;q=0", NONE},
    {"*/*, text/html;q=0, application/json;q=0, application/xml;q=0, text/xml;q=0", M},
    {"application/xml;q=0, text/xml", NONE},         /* XML goes out as application/xml */
    {"application/xml;q=0, text/xml;charset=utf-8", NONE},
    {"application/*, application/json;q=0, text/xml;q=0", X},   /* the alias only adds */
    {"application/*, application/json;q=0.9, text/xml;q=0.5", X},
    {"text/xml, */*", X},                /* named, so first in the tie */
    {"application/xml;q=0.2, text/xml, application/json;q=0.5", J},
    {"*/*;q=0.1, text/xml", X},              /* the alias, named exactly, outranks */
    {"application/*;q=0, text/xml;q=0.4", X},
    {"application/xml;q=0, text/xml;q=0, application/json;q=0.1", J},
    /* Nothing acceptable. */
    {"image/png", NONE},
    {"image/*", NONE},
    {"application/pdf, image/webp", NONE},
    {"text/plain", NONE},
    {"application/xhtml+xml", NONE},
    /* Parameters. */
    {"text/html;level=1, application/json;q=0.5", J},        /* we have no level=1 */
    {"application/json;charset=utf-8", J},
    {"application/json; charset=UTF-8; q=0.7, text/html;q=0.6", J},
    {"text/html;charset=iso-8859-1, text/markdown;q=0.1", M},
    {"text/html;charset=\"utf-8\"", H},
    {"text/html;charset=utf-8;q=0.1, text/html;q=0.9, application/json;q=0.5", J},
    {"text/html;q=0.5;ext=1, application/json;q=0.4", H},    /* accept-ext after q */
    {"text/html;foo=\"a,b;q=1\";q=0.2, application/json;q=0.3", J},
    /* Repeated ranges: the highest quality of equally specific ones. */
    {"text/html;q=0.2, text/html;q=0.9, application/json;q=0.5", H},
    {"application/json;q=0.1, application/json;q=0.3, text/html;q=0.2", J},
    /* White space. */
    {"  application/json  ;  q=0.9  ,text/html;q=0.8", J},
    {"application/json\t;\tq=1", J},
    {",,, application/xml ,,", X},
    /* Malformed ranges are skipped, not fatal. */
    {"garbage, application/json", J},
    {"text/, application/xml", X},
    {"/html, text/markdown", M},
    {"*/html, application/json", J},
    {"text/html;q=2, application/json", J},
    {"text/html;q=0.5555, application/json;q=0.1", J},
    {"text/html;q=abc, text/markdown", M},
    {"text/html;q=, application/xml", X},
    {"text/html;=1, application/xml", X},
    {"text/html;q=\"0.5\", application/json", J},
    {"text/html;foo=\"unterminated, application/json", H},
    {"text/html junk, application/json", J},
    {"garbage", H},                                           /* nothing well-formed: any type */
    {";;;", H},
    {"\"\"", H},
    /* q edge values. */
    {"text/html;q=0., application/json;q=0.001", J},
    {"text/html;q=1., application/json", H},
    {"text/html;q=1.000, application/json;q=1", H},
    {"text/html;q=1.001, application/json;q=0.1", J},
    {"text/html;Q=0.1, application/json;q=0.2", J},
    /* What browsers, tools and libraries send. */
    {"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
     "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7", H},        /* Chrome */
    {"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
     "image/png,image/svg+xml,*/*;q=0.8", H},                                 /* Firefox */
    {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", H},   /* Safari */
    {"application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,"
     "image/png,*/*;q=0.5", X},                                               /* old WebKit */
    {"*/*", H},                                                               /* curl, wget */
    {"application/json, text/plain, */*", J},                                 /* axios */
    {"application/json", J},                                                  /* requests json */
    {"application/xml, text/xml, */*; q=0.01", X},                            /* jQuery xml */
    {"application/json, text/javascript, */*; q=0.01", J},                    /* jQuery json */
    {"text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8", H},
    {"application/atom+xml, application/xml;q=0.9", X},                       /* feed readers */
    {"text/markdown, text/plain;q=0.5", M},
};

static void accept_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ne_format_e got = ne_accept_choose(cases[i].accept, &ne_format_all, NE_FMT_HTML);
        if (got != cases[i].want) {
            fail_msg("Accept: %s -> %d, expected %d",
                     cases[i].accept ? cases[i].accept : "(none)", got, cases[i].want);
        }
    }
    assert_true(sizeof(cases) / sizeof(cases[0]) >= 60);
}

/* A location that serves only JSON and XML, in that order. */
static void accept_offered_subset(void **state)
{
    const ne_format_set_t api = {{NE_FMT_JSON, NE_FMT_XML}, 2};

    (void)state;
    assert_int_equal(ne_accept_choose(NULL, &api, NE_FMT_JSON), J);
    assert_int_equal(ne_accept_choose("text/html", &api, NE_FMT_JSON), NONE);
    assert_int_equal(ne_accept_choose("text/html, */*;q=0.1", &api, NE_FMT_JSON), J);
    assert_int_equal(ne_accept_choose("*/*", &api, NE_FMT_XML), X);    /* preferred */
    assert_int_equal(ne_accept_choose("application/*", &api, NE_FMT_XML), X);
    assert_int_equal(ne_accept_choose("application/json", &api, NE_FMT_XML), J);
    assert_int_equal(ne_accept_choose("*/*", &api, NE_FMT_HTML), J);   /* not offered */
}

/* A 64 KiB header of ten thousand ranges parses, and the answer is right. */
static void accept_huge_header(void **state)
{
    size_t cap = 70000, len = 0;
    char *h = malloc(cap);
    int i;

    (void)state;
    for (i = 0; i < 10000 && len + 16 < cap - 32; i++) {
        len += (size_t)snprintf(h + len, cap - len, "image/x%d;q=0.%d,", i % 1000, i % 10);
    }
    snprintf(h + len, cap - len, "text/markdown;q=0.3");
    assert_true(strlen(h) > 60000);
    assert_int_equal(ne_accept_choose(h, &ne_format_all, NE_FMT_HTML), M);
    memset(h, ',', cap - 1);
    h[cap - 1] = '\0';
    assert_int_equal(ne_accept_choose(h, &ne_format_all, NE_FMT_HTML), H);
    memset(h, ';', cap - 1);
    assert_int_equal(ne_accept_choose(h, &ne_format_all, NE_FMT_HTML), H);
    memset(h, '"', cap - 1);
    assert_int_equal(ne_accept_choose(h, &ne_format_all, NE_FMT_HTML), H);
    free(h);
}

int ne_test_accept(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accept_table),
        cmocka_unit_test(accept_offered_subset),
        cmocka_unit_test(accept_huge_header),
    };
    return cmocka_run_group_tests_name("accept", tests, NULL, NULL);
}
