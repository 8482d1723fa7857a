/* SPDX-License-Identifier: Apache-2.0 */
/* ne_derive: the in-memory derivation of every related list and companions
 * list, against a plain reading of the rule (each topic's events listed
 * and windowed afresh, every candidate counted by a scan), over random
 * archives with crowded days, events of many topics and topics of one
 * event; and the stored text form, parsed back and refused when damaged. */
#include "unit.h"
#include "ne_derive.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#define EVENTS 400
#define TOPICS 40

typedef struct archive {
    int day[EVENTS];
    int ntopics[EVENTS];
    int topic[EVENTS][40];       /* in the event's own order */
} archive_t;

static int has(const archive_t *a, int e, int t)
{
    int k;

    for (k = 0; k < a->ntopics[e]; k++) {
        if (a->topic[e][k] == t) {
            return 1;
        }
    }
    return 0;
}

/* The rule's order: most shared, nearest, newest (day, then id). */
static int before(const archive_t *a, int x, int sx, int y, int sy, int day)
{
    int dx = abs(a->day[x] - day), dy = abs(a->day[y] - day);

    if (sx != sy) {
        return sx > sy;
    }
    if (dx != dy) {
        return dx < dy;
    }
    if (a->day[x] != a->day[y]) {
        return a->day[x] > a->day[y];
    }
    return x > y;
}

/* The next of a topic's events (ids, -1 once taken) on one side of `day`:
 * up to it newest first, or after it (later) oldest first; -1 for none. */
static int take(const archive_t *a, int *ids, int n, int day, int later)
{
    int i, best = -1, at = -1, sign = later ? -1 : 1;

    for (i = 0; i < n; i++) {
        int x = ids[i];
        if (x >= 0 && (later ? a->day[x] > day : a->day[x] <= day)
            && (best < 0 || sign * (a->day[x] - a->day[best]) > 0
                || (a->day[x] == a->day[best] && sign * (x - best) > 0))) {
            best = x;
            at = i;
        }
    }
    if (at >= 0) {
        ids[at] = -1;
    }
    return best;
}

/* Event e's window in topic t: 100 up to its day, 100 after; counted. */
static void window(const archive_t *a, int e, int t, int *count)
{
    int i, n = 0, side, taken, x, ids[EVENTS];

    for (i = 0; i < EVENTS; i++) {
        if (has(a, i, t)) {
            ids[n++] = i;
        }
    }
    for (side = 0; side < 2; side++) {
        for (taken = 0; taken < 100 && (x = take(a, ids, n, a->day[e], side)) >= 0; taken++) {
            count[x] += x != e;
        }
    }
}

static const char *plain_related(apr_pool_t *p, const archive_t *a, int e)
{
    int count[EVENTS] = {0}, chosen[NE_RELATED_STORED], shared[NE_RELATED_STORED], n = 0;
    int i, k, j;
    const char *out = "";

    for (k = 0; k < a->ntopics[e] && k < 32; k++) {
        window(a, e, a->topic[e][k], count);
    }
    for (n = 0; n < NE_RELATED_STORED; n++) {
        int best = -1;
        for (i = 0; i < EVENTS; i++) {
            int taken = 0;
            for (j = 0; j < n; j++) {
                taken |= chosen[j] == i;
            }
            if (count[i] > 0 && !taken
                && (best < 0 || before(a, i, count[i], best, count[best], a->day[e]))) {
                best = i;
            }
        }
        if (best < 0) {
            break;
        }
        chosen[n] = best;
    }
    for (j = 0; j < n; j++) {
        shared[j] = 0;
        for (k = 0; k < a->ntopics[e]; k++) {
            shared[j] += has(a, chosen[j], a->topic[e][k]);
        }
    }
    for (j = 1; j < n; j++) {            /* sort by exact counts */
        for (i = j; i > 0 && before(a, chosen[i], shared[i], chosen[i - 1], shared[i - 1],
                                    a->day[e]); i--) {
            int c = chosen[i], s = shared[i];
            chosen[i] = chosen[i - 1]; shared[i] = shared[i - 1];
            chosen[i - 1] = c; shared[i - 1] = s;
        }
    }
    for (j = 0; j < n; j++) {
        out = apr_psprintf(p, "%s%s%d:", out, j ? "," : "", chosen[j] + 1);
        for (k = 0, i = 0; k < a->ntopics[e]; k++) {
            if (has(a, chosen[j], a->topic[e][k])) {
                out = apr_psprintf(p, "%s%s%d", out, i++ ? "." : "", k + 1);
            }
        }
    }
    return out;
}

static const char *plain_companions(apr_pool_t *p, const archive_t *a, int t)
{
    int count[TOPICS + 1] = {0}, seen = 0, i, k, n;
    const char *out = "";

    for (i = EVENTS - 1; i >= 0 && seen < 100; i--) {     /* ids follow days here */
        if (has(a, i, t)) {
            seen++;
            for (k = 0; k < a->ntopics[i]; k++) {
                count[a->topic[i][k]] += a->topic[i][k] != t;
            }
        }
    }
    for (n = 0; n < NE_COMPANIONS_SHOWN; n++) {
        int best = 0;
        for (i = 1; i <= TOPICS; i++) {
            if (count[i] > count[best]) {
                best = i;
            }
        }
        if (count[best] == 0) {
            break;
        }
        out = apr_psprintf(p, "%s%s%d:%d", out, n ? "," : "", best, count[best]);
        count[best] = 0;
    }
    return out;
}

/* Days that only grow with the id (as an import's), crowded at times; a
 * few events of up to 40 topics (past the 32 the windows use). */
static void make_archive(archive_t *a, unsigned seed)
{
    int e, day = 17000;

    srand(seed);
    for (e = 0; e < EVENTS; e++) {
        int k;
        day += rand() % 5 == 0;
        a->day[e] = day;
        a->ntopics[e] = e % 97 == 5 ? 40 : rand() % 5;
        for (k = 0; k < a->ntopics[e]; k++) {
            int t;
            do {
                t = 1 + (rand() % 3 ? rand() % 6 : rand() % TOPICS);
            } while (has(a, e, t) && a->ntopics[e] <= TOPICS);
            if (has(a, e, t)) {
                a->ntopics[e] = k;
                break;
            }
            a->topic[e][k] = t;
        }
    }
}

static void derive_matches_the_plain_rule(void **state)
{
    apr_pool_t *p = *state;
    unsigned seed;

    for (seed = 1; seed <= 3; seed++) {
        archive_t *a = apr_pcalloc(p, sizeof(*a));
        apr_array_header_t *links = apr_array_make(p, 1024, sizeof(ne_link_t));
        ne_derive_t *d;
        int e, k, i, with_topics = 0, topics_seen = 0;

        make_archive(a, seed);
        for (e = EVENTS - 1; e >= 0; e--) {        /* any order in */
            with_topics += a->ntopics[e] > 0;
            for (k = 0; k < a->ntopics[e]; k++) {
                ne_link_t *l = apr_array_push(links);
                l->topic = a->topic[e][k];
                l->event = e + 1;
                l->day = a->day[e];
                l->pos = k;
            }
        }
        d = ne_derive_make(p, links);
        assert_int_equal(ne_derive_events(d), with_topics);
        for (i = 0; i < ne_derive_events(d); i++) {
            int ev = (int)ne_derive_event_id(d, i) - 1;
            assert_string_equal(ne_derive_related(d, p, i), plain_related(p, a, ev));
        }
        for (i = 0; i < ne_derive_topics(d); i++) {
            int t = (int)ne_derive_topic_id(d, i);
            assert_string_equal(ne_derive_companions(d, p, i), plain_companions(p, a, t));
            topics_seen++;
        }
        assert_true(topics_seen > 6);
    }
}

static void stored_form_round_trips(void **state)
{
    apr_pool_t *p = *state;
    apr_array_header_t *items;
    const char *out = "";
    ne_derived_item_t it;
    int places[3] = {1, 3, 40};

    it.id = APR_INT64_C(5000000000);
    it.n = 3;
    it.places = places;
    ne_derived_put(p, &out, &it, 1);
    it.id = 7;
    it.n = 1;
    ne_derived_put(p, &out, &it, 1);
    assert_string_equal(out, "5000000000:1.3.40,7:1");
    assert_true(ne_derived_parse(p, out, 1, 10, &items));
    assert_int_equal(items->nelts, 2);
    assert_true(APR_ARRAY_IDX(items, 0, ne_derived_item_t).id == APR_INT64_C(5000000000));
    assert_int_equal(APR_ARRAY_IDX(items, 0, ne_derived_item_t).places[2], 40);
    assert_int_equal(APR_ARRAY_IDX(items, 1, ne_derived_item_t).n, 1);
    /* the first max only */
    assert_true(ne_derived_parse(p, out, 1, 1, &items));
    assert_int_equal(items->nelts, 1);
    assert_true(ne_derived_parse(p, "12:4,9:2", 0, 10, &items));
    assert_int_equal(APR_ARRAY_IDX(items, 1, ne_derived_item_t).n, 2);
    assert_true(ne_derived_parse(p, "", 1, 10, &items));
    assert_int_equal(items->nelts, 0);
    /* damage is refused, never read past */
    assert_false(ne_derived_parse(p, "12", 1, 10, &items));
    assert_false(ne_derived_parse(p, "x:1", 1, 10, &items));
    assert_false(ne_derived_parse(p, "12:1;3", 1, 10, &items));
    assert_false(ne_derived_parse(p, "12:", 0, 10, &items));
}

int ne_test_derive(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(derive_matches_the_plain_rule, ne_test_pool_setup,
                                        ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(stored_form_round_trips, ne_test_pool_setup,
                                        ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("derive", tests, NULL, NULL);
}
