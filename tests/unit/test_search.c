/* SPDX-License-Identifier: Apache-2.0 */
/* What a reader types, understood and written in each store's syntax. */
#include "unit.h"
#include "ne_search.h"

#include <string.h>

static void same(apr_pool_t *p, const char *q, const char *fts5, const char *web,
                 const char *text)
{
    const char *why = NULL;
    ne_search_t *s = ne_search_parse(p, q, &why);

    assert_non_null(s);
    assert_string_equal(ne_search_fts5(p, s), fts5);
    assert_string_equal(ne_search_websearch(p, s), web);
    assert_string_equal(s->text, text);
}

static void refused(apr_pool_t *p, const char *q, const char *words)
{
    const char *why = NULL;

    assert_null(ne_search_parse(p, q, &why));
    assert_non_null(why);
    assert_non_null(strstr(why, words));
}

static void search_terms(void **state)
{
    apr_pool_t *p = *state;

    same(p, "Putin", "(\"putin\")", "\"Putin\"", "putin");
    same(p, "  putin   Sudan ", "(\"putin\") AND (\"sudan\")", "\"putin\" \"Sudan\"",
         "putin sudan");
    same(p, "\"Omar al-Bashir\" russia", "(\"omar al bashir\") AND (\"russia\")",
         "\"Omar al-Bashir\" \"russia\"", "\"omar al bashir\" russia");
    same(p, "russia -syria", "((\"russia\")) NOT (\"syria\")", "\"russia\" -\"syria\"",
         "russia -syria");
    same(p, "kenya OR uganda floods", "(\"kenya\" OR \"uganda\") AND (\"floods\")",
         "\"kenya\" or \"uganda\" \"floods\"", "kenya OR uganda floods");
    same(p, "a OR b OR c", "(\"a\" OR \"b\" OR \"c\")", "\"a\" or \"b\" or \"c\"",
         "a OR b OR c");
    same(p, "x -\"new york\" -ny", "((\"x\")) NOT (\"new york\" OR \"ny\")",
         "\"x\" -\"new york\" -\"ny\"", "x -\"new york\" -ny");
}

/* Everything an FTS5 or tsquery parser reads specially becomes a separator:
 * no input can carry an operator through. */
static void search_operators_are_words(void **state)
{
    apr_pool_t *p = *state;

    /* A token of several words is their phrase, as "e-mail" is. */
    same(p, "NEAR(a b)", "(\"near a\") AND (\"b\")", "\"NEAR(a\" \"b)\"",
         "\"near a\" b");
    same(p, "C++", "(\"c\")", "\"C++\"", "c");
    same(p, "col:value^2*", "(\"col value 2\")", "\"col:value^2*\"", "\"col value 2\"");
    same(p, "\"unbalanced quote", "(\"unbalanced quote\")", "\"unbalanced quote\"",
         "\"unbalanced quote\"");
    same(p, "or and not OR", "(\"or\") AND (\"and\") AND (\"not\")",
         "\"or\" \"and\" \"not\"", "or and not");
    same(p, "OR leading", "(\"leading\")", "\"leading\"", "leading");
    same(p, "a & b | !c <-> 'd'", "(\"a\") AND (\"b\") AND (\"c\") AND (\"d\")",
         "\"a\" \"b\" \"!c\" \"'d'\"", "a b c d");
    same(p, "caf\xC3\xA9 \xE2\x80\x94 Z\xC3\xBCrich", "(\"caf\xC3\xA9\") AND "
         "(\"\xE2\x80\x94\") AND (\"z\xC3\xBCrich\")",
         "\"caf\xC3\xA9\" \"\xE2\x80\x94\" \"Z\xC3\xBCrich\"",
         "caf\xC3\xA9 \xE2\x80\x94 z\xC3\xBCrich");
    same(p, "tab\there\x01" "ctl", "(\"tab\") AND (\"here\") AND (\"ctl\")",
         "\"tab\" \"here\" \"ctl\"", "tab here ctl");
    same(p, "- -- a-", "(\"a\")", "\"a-\"", "a");
}

/* The rank scores the reader's own terms: those not excluded. */
static void search_scored_terms(void **state)
{
    apr_pool_t *p = *state;
    const char *why = NULL;

    assert_int_equal(ne_search_scored(ne_search_parse(p, "a", &why)), 1);
    assert_int_equal(ne_search_scored(ne_search_parse(p, "\"a b\" -c -d", &why)), 1);
    assert_int_equal(ne_search_scored(ne_search_parse(p, "a OR b c -d", &why)), 3);
}

static void search_refusals(void **state)
{
    apr_pool_t *p = *state;
    char *big = apr_palloc(p, 2000), *many = apr_palloc(p, 200);
    int i;

    refused(p, "", "needs a query");
    refused(p, "   ", "needs a query");
    refused(p, "-only -exclusions", "no word to find");
    refused(p, "+++ ... !!!", "no word to find");
    refused(p, "\"\"", "no word to find");
    refused(p, "bad \xC3\x28 utf8", "UTF-8");
    memset(big, 'a', 1999);
    big[1999] = '\0';
    refused(p, big, "1000 bytes");
    for (i = 0; i < 33; i++) {
        many[2 * i] = 'a' + (char)(i % 26);
        many[2 * i + 1] = ' ';
    }
    many[66] = '\0';
    refused(p, many, "32 terms");
}

int ne_test_search(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(search_terms, ne_test_pool_setup,
                                        ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(search_operators_are_words, ne_test_pool_setup,
                                        ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(search_scored_terms, ne_test_pool_setup,
                                        ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(search_refusals, ne_test_pool_setup,
                                        ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
