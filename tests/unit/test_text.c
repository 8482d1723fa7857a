/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"
#include "ne_text.h"

#include <stdlib.h>
#include <string.h>

static const char *esc(apr_pool_t *p, void (*fn)(ne_buf_t *, const char *), const char *s)
{
    ne_buf_t *b = ne_buf_make(p, 16);
    fn(b, s);
    return ne_buf_str(b);
}

static void text_html_escapes_markup(void **state)
{
    assert_string_equal(esc(*state, ne_esc_html, "<script>alert(\"x\")</script> & 'q'"),
                        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;");
    assert_string_equal(esc(*state, ne_esc_html, "plain"), "plain");
}

static void text_md_escapes_specials(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(esc(p, ne_esc_md, "a *b* _c_ `d` [e](f) <g> \\"),
                        "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> \\\\");
    assert_string_equal(esc(p, ne_esc_md, "AT&T &amp; & co"), "AT\\&T \\&amp; & co");
    assert_string_equal(esc(p, ne_esc_md, "1994. A year"), "1994\\. A year");
    assert_string_equal(esc(p, ne_esc_md, "- not a list"), "\\- not a list");
    assert_string_equal(esc(p, ne_esc_md, "# not a heading #"), "\\# not a heading \\#");
    assert_string_equal(esc(p, ne_esc_md, "line\nbreak"), "line break");
    assert_string_equal(esc(p, ne_esc_md, "Russia's 94.4 per cent"), "Russia's 94.4 per cent");
}

static void text_md_url(void **state)
{
    assert_string_equal(esc(*state, ne_esc_md_url, "http://x/a b(c)"),
                        "http://x/a%20b%28c%29");
    /* an entity would be decoded: http://a@evil.com */
    assert_string_equal(esc(*state, ne_esc_md_url, "http://a&#64;evil.com/?x=1&y=2"),
                        "http://a\\&#64;evil.com/?x=1&y=2");
    assert_string_equal(esc(*state, ne_esc_md_url, "http://h/&lpar;&#x41;&amp&gt;"),
                        "http://h/\\&lpar;\\&#x41;&amp\\&gt;");
}

static void text_http_urls(void **state)
{
    (void)state;
    assert_true(ne_url_is_http("http://example.com/"));
    assert_true(ne_url_is_http("HTTPS://example.com/a?b#c"));
    assert_false(ne_url_is_http("javascript:alert(1)"));
    assert_false(ne_url_is_http("data:text/html,<b>"));
    assert_false(ne_url_is_http("//example.com/"));
    assert_false(ne_url_is_http("http://"));
    assert_false(ne_url_is_http("http:///path"));
    assert_false(ne_url_is_http("http://a b/"));
    assert_false(ne_url_is_http("ftp://example.com/"));
    assert_false(ne_url_is_http("http://:80/x"));
    assert_false(ne_url_is_http("http://@/"));
    assert_false(ne_url_is_http("https://./"));
    assert_false(ne_url_is_http("http://a<b/"));
    assert_true(ne_url_is_http("http://user:pw@example.com:8080/x"));
    assert_true(ne_url_is_http("http://[::1]:8080/"));
    assert_true(ne_url_is_http("https://bücher.example/?q=1"));
    assert_true(ne_url_is_http("http://example.com:/"));
}

/* Printable ASCII runs end at the first other byte, wherever it falls in
 * the 8-byte steps; the text around it is clean or not as that byte is. */
static void text_ascii_run(void **state)
{
    static const unsigned char others[] = {0x01, '\t', '\n', 0x1f, 0x7f, 0x80, 0xc3, 0xff};
    unsigned char text[21];
    size_t i, k;

    (void)state;
    memset(text, ' ', 20);
    text[10] = '~';
    text[20] = '\0';
    assert_int_equal(ne_ascii_run(text, 20), 20);
    for (k = 0; k < sizeof(others); k++) {
        for (i = 0; i < 20; i++) {
            memset(text, 'x', 20);
            text[i] = others[k];
            assert_int_equal(ne_ascii_run(text, 20), i);
            assert_int_equal(ne_text_is_clean((const char *)text),
                             others[k] == '\t' || others[k] == '\n');
        }
    }
}

/* Random runs of bytes around the edges (0x1f, 0x20, 0x7e, 0x7f, 0x80,
 * 0xff, tab), at every alignment: the same count as a byte loop's. */
static void text_ascii_run_matches_a_byte_loop(void **state)
{
    static const unsigned char pick[] = {'a', 'a', 'a', ' ', '~', 0x1f, 0x20, 0x7e, 0x7f,
                                         0x80, 0xc3, 0xff, '\t', 0x01};
    unsigned char buf[80];
    unsigned int seed = 12345;
    int round, i, n, off;

    (void)state;
    for (round = 0; round < 20000; round++) {
        size_t want = 0;
        n = (int)(rand_r(&seed) % 72);
        off = (int)(rand_r(&seed) % 8);
        for (i = 0; i < n; i++) {
            /* mostly plain, so that runs are long */
            buf[off + i] = rand_r(&seed) % 4 ? 'q' : pick[rand_r(&seed) % sizeof(pick)];
        }
        while (want < (size_t)n && buf[off + want] >= 0x20 && buf[off + want] < 0x7f) {
            want++;
        }
        assert_int_equal(ne_ascii_run(buf + off, (apr_size_t)n), want);
    }
}

static void text_int64(void **state)
{
    (void)state;
    assert_int_equal(ne_text_int64("0"), 0);
    assert_int_equal(ne_text_int64("1234567"), 1234567);
    assert_int_equal(ne_text_int64("-719162"), -719162);
    assert_true(ne_text_int64("999999999999999999") == APR_INT64_C(999999999999999999));
    assert_true(ne_text_int64("9223372036854775807") == APR_INT64_MAX);
    assert_true(ne_text_int64("-9223372036854775808") == APR_INT64_MIN);
    /* What is not plain digits reads as apr_atoi64 reads it. */
    assert_int_equal(ne_text_int64(" 42"), 42);
    assert_int_equal(ne_text_int64("+42"), 42);
    assert_int_equal(ne_text_int64("12abc"), 12);
    assert_int_equal(ne_text_int64(""), 0);
    assert_int_equal(ne_text_int64("-"), 0);
    assert_true(ne_text_int64("1000000000000000000") == APR_INT64_C(1000000000000000000));
    assert_true(ne_text_int64("-999999999999999999") == -APR_INT64_C(999999999999999999));
    assert_true(ne_text_int64("123456789012345678x") == APR_INT64_C(123456789012345678));
    assert_int_equal(ne_text_int64("0007"), 7);
}

static void text_clean(void **state)
{
    apr_pool_t *p = *state;
    const char *ok = "Zoë — 東京\ttab\nline";

    assert_true(ne_text_is_clean(ok));
    assert_ptr_equal(ne_text_clean(p, ok), ok);
    assert_false(ne_text_is_clean("bad \xC3"));
    assert_string_equal(ne_text_clean(p, "bad \xC3(x"), "bad \xEF\xBF\xBD(x");
    assert_string_equal(ne_text_clean(p, "a\x01\x1b[31mb\rc"), "a[31mbc");
    assert_string_equal(ne_text_clean(p, "over\xC0\xAFlong"), "over\xEF\xBF\xBD\xEF\xBF\xBDlong");
    assert_string_equal(ne_text_clean(p, "sur\xED\xA0\x80rogate"),
                        "sur\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDrogate");
    assert_int_equal(ne_utf8_len("Zoë"), 3);
}

static void count_drop(void *baton, apr_uint32_t cp, const char *why);

/* What ne_text_repair gives for s: the text, and the number dropped. */
static const char *repaired(apr_pool_t *p, const char *s, int *n)
{
    *n = 0;
    return ne_text_repair(p, s, count_drop, n);
}

static void count_drop(void *baton, apr_uint32_t cp, const char *why)
{
    assert_non_null(ne_text_cp_name(cp));
    assert_non_null(why);
    (*(int *)baton)++;
}

#define PDF "\xE2\x80\xAC"
#define LRE "\xE2\x80\xAA"
#define RLO "\xE2\x80\xAE"
#define LRI "\xE2\x81\xA6"
#define RLI "\xE2\x81\xA7"
#define PDI "\xE2\x81\xA9"
#define BOM "\xEF\xBB\xBF"

static void text_repair(void **state)
{
    apr_pool_t *p = *state;
    const char *plain = "caf\xC3\xA9 \xE2\x80\x94 nothing to do \xE2\x80\x8B";
    int n;

    assert_ptr_equal(repaired(p, plain, &n), plain);          /* untouched, not copied */
    assert_int_equal(n, 0);
    assert_string_equal(repaired(p, "lone" PDF " pop", &n), "lone pop");
    assert_int_equal(n, 1);
    assert_string_equal(repaired(p, PDI "lone isolate pop", &n), "lone isolate pop");
    assert_string_equal(repaired(p, "empty " LRE PDF "pair", &n), "empty pair");
    assert_int_equal(n, 2);
    assert_string_equal(repaired(p, "nested " LRI RLI PDI PDI "end", &n), "nested end");
    assert_int_equal(n, 4);
    assert_string_equal(repaired(p, "open at the end" RLO, &n), "open at the end");
    assert_string_equal(repaired(p, BOM "bom" BOM, &n), "bom");
    assert_int_equal(n, 2);
    /* A PDF does not close an isolate: it has nothing to close there. */
    assert_string_equal(repaired(p, LRI "x" PDF PDI, &n), LRI "x" PDI);
    assert_int_equal(n, 1);
    /* A paragraph ends what was opened in it; an opener enclosing nothing
     * before the newline goes. */
    assert_string_equal(repaired(p, "a" LRE "\nb", &n), "a\nb");
    /* What reorders text stays, for ne_text_is_clean to refuse. */
    assert_string_equal(repaired(p, "reads " RLO "gnorw" PDF " back", &n),
                        "reads " RLO "gnorw" PDF " back");
    assert_int_equal(n, 0);
    assert_false(ne_text_is_clean(repaired(p, "x " RLO "y", &n)));
    assert_false(ne_text_is_clean(repaired(p, LRI "y" PDI, &n)));
    /* A PDI closes the embeddings opened inside its isolate. */
    assert_string_equal(repaired(p, LRI "a" LRE "b" PDI PDF, &n), LRI "a" LRE "b" PDI);
    assert_int_equal(n, 1);
    /* Bytes that are not UTF-8 are kept, for the checks to refuse. */
    assert_string_equal(repaired(p, "\xFF" PDF, &n), "\xFF");
    assert_string_equal(ne_text_cp_name(0x202C), "POP DIRECTIONAL FORMATTING");
    assert_null(ne_text_cp_name('a'));
}

int ne_test_text(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(text_html_escapes_markup, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(text_md_escapes_specials, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(text_md_url, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test(text_http_urls),
        cmocka_unit_test(text_int64),
        cmocka_unit_test(text_ascii_run),
        cmocka_unit_test(text_ascii_run_matches_a_byte_loop),
        cmocka_unit_test_setup_teardown(text_clean, ne_test_pool_setup, ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(text_repair, ne_test_pool_setup, ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
