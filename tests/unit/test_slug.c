/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"
#include "ne_slug.h"

#include <string.h>

/* Every headline of the seed page and the slug in its URL. */
static const struct {
    const char *headline;
    const char *slug;
} seed_slugs[] = {
    {"Sudanese President Omar al-Bashir, wanted by the ICC for allegations of genocide and war crimes, asks Russian President Vladimir Putin for increased military ties and protection against the United States during his first visit to Russia as President. Putin agrees to increase their countries' economic ties. ",
     "sudanese-president-omar-al-bashir-wanted-by-the-icc-for-allegations-of-genocide-and-war-crimes-asks-russian-president-vladimir-putin-for-i"},
    {"Russian President Vladimir Putin signs a symbolic order to withdraw Russia's signature from the Rome Statute of the International Criminal Court (ICC) amid calls by pro-rebel western Non-governmental organisations for an investigation into alleged Russian war crimes in Syria. ",
     "russian-president-vladimir-putin-signs-a-symbolic-order-to-withdraw-russia-s-signature-from-the-rome-statute-of-the-international-criminal-c"},
    {"South Africa formally begins the process of withdrawing from the International Criminal Court amid a dispute over the country's refusal to arrest Sudanese President Omar al-Bashir at last year's African Union summit in Johannesburg. ",
     "south-africa-formally-begins-the-process-of-withdrawing-from-the-international-criminal-court-amid-a-dispute-over-the-country-s-refusal-to-a"},
    {"South Africa reviews its participation in the International Criminal Court following a failed attempt to arrest the President of Sudan, Omar al-Bashir, on South African soil. ",
     "south-africa-reviews-its-participation-in-the-international-criminal-court-following-a-failed-attempt-to-arrest-the-president-of-sudan-omar"},
    {"The International Criminal Court asks South Africa to arrest the President of Sudan Omar al-Bashir for alleged war crimes when he arrives at the African Union summit. ",
     "the-international-criminal-court-asks-south-africa-to-arrest-the-president-of-sudan-omar-al-bashir-for-alleged-war-crimes-when-he-arrives-at"},
    {"Sudan's Electoral Commission declares that incumbent President of Sudan Omar al-Bashir won re-election with 94.4 per cent of the vote extending his 25 year rule. He has been indicted multiple times by the International Criminal Court for being personally responsible for war crimes committed in Darfur and elsewhere in Sudan. ",
     "sudan-s-electoral-commission-declares-that-incumbent-president-of-sudan-omar-al-bashir-won-re-election-with-94-4-per-cent-of-the-vote-extend"},
};

static void slug_reproduces_the_seed_page(void **state)
{
    size_t i;

    for (i = 0; i < sizeof(seed_slugs) / sizeof(seed_slugs[0]); i++) {
        assert_string_equal(ne_slug_make(*state, seed_slugs[i].headline), seed_slugs[i].slug);
        assert_true(ne_slug_valid(seed_slugs[i].slug, strlen(seed_slugs[i].slug)));
    }
}

static void slug_trims_and_collapses(void **state)
{
    assert_string_equal(ne_slug_make(*state, "  --Hello,   World!!  "), "hello-world");
    assert_string_equal(ne_slug_make(*state, "A&B <script>"), "a-b-script");
    assert_string_equal(ne_slug_make(*state, "Zoë's café"), "zo-s-caf");
}

static void slug_empty_becomes_event(void **state)
{
    assert_string_equal(ne_slug_make(*state, ""), "event");
    assert_string_equal(ne_slug_make(*state, "東京 — Москва"), "event");
    assert_string_equal(ne_slug_make(*state, "!!!"), "event");
}

/* 140 characters, not bytes: multi-byte characters count once. */
static void slug_counts_characters_not_bytes(void **state)
{
    char headline[600];
    size_t i, n = 0;

    for (i = 0; i < 139; i++) {
        memcpy(headline + n, "\xC3\xA9", 2);   /* é */
        n += 2;
    }
    memcpy(headline + n, "ab", 3);
    /* 139 é then "a" is the 140th character; "b" is past the cut. */
    assert_string_equal(ne_slug_make(*state, headline), "a");
}

/* Found by fuzz_slug: stray continuation bytes of invalid UTF-8 each count as
 * a character, so the slug never passes 140 characters' worth. */
static void slug_of_invalid_utf8_stays_short(void **state)
{
    char headline[400];
    const char *slug;
    int i;

    for (i = 0; i < 199; i++) {
        headline[2 * i] = 'a';
        headline[2 * i + 1] = (char)0x93;
    }
    headline[398] = '\0';
    slug = ne_slug_make(*state, headline);
    assert_true(strlen(slug) <= NE_SLUG_SOURCE_CHARS);
    assert_true(ne_slug_valid(slug, strlen(slug)));
}

static void slug_validity(void **state)
{
    char longslug[200];

    (void)state;
    assert_true(ne_slug_valid("a", 1));
    assert_true(ne_slug_valid("a-b-9", 5));
    assert_false(ne_slug_valid("", 0));
    assert_false(ne_slug_valid("-a", 2));
    assert_false(ne_slug_valid("a-", 2));
    assert_false(ne_slug_valid("a--b", 4));
    assert_false(ne_slug_valid("A", 1));
    assert_false(ne_slug_valid("a_b", 3));
    assert_false(ne_slug_valid("a.b", 3));
    memset(longslug, 'a', sizeof(longslug));
    assert_true(ne_slug_valid(longslug, 160));
    assert_false(ne_slug_valid(longslug, 161));
}

static void slug_nth(void **state)
{
    assert_string_equal(ne_slug_nth(*state, "fire", 2), "fire-2");
    assert_string_equal(ne_slug_nth(*state, "fire", 13), "fire-13");
}

int ne_test_slug(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(slug_reproduces_the_seed_page, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(slug_trims_and_collapses, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(slug_empty_becomes_event, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(slug_counts_characters_not_bytes, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test(slug_validity),
        cmocka_unit_test_setup_teardown(slug_of_invalid_utf8_stays_short, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(slug_nth, ne_test_pool_setup, ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("slug", tests, NULL, NULL);
}
