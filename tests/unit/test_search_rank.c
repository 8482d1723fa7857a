/* SPDX-License-Identifier: Apache-2.0 */
/* newsevent_rank against FTS5's own bm25 on a real SQLite table: the same
 * order with one scored phrase, the same values with several while each
 * has fewer matches than the bound, close ones past it. */
#include "unit.h"
#include "ne_search_rank.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define WEIGHTS NE_RANK_WEIGHTS

static const char *words[] = {"alpha", "beta", "gamma", "delta", "sudan", "kenya", "vote",
                              "flood", "court", "oil"};

static unsigned next_rand(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* rows rows of 1 to 30 words a column, drawn from words[]; "common" in
 * every third row's body, so that it passes the bound evenly. */
static sqlite3 *table(int rows)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    unsigned seed = 7;
    char col[5][400];
    int r, c, n;

    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(headline, story,"
                                  " category, body, topic_names);"
                                  "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)", -1, &ins,
                                        NULL), SQLITE_OK);
    for (r = 0; r < rows; r++) {
        for (c = 0; c < 5; c++) {
            int len = 1 + (int)(next_rand(&seed) % (c == 3 ? 30 : 6));
            col[c][0] = '\0';
            for (n = 0; n < len; n++) {
                strcat(col[c], words[next_rand(&seed) % 10]);
                strcat(col[c], " ");
            }
            if (c == 3 && r % 3 == 0) {
                strcat(col[c], "common");
            }
            sqlite3_bind_text(ins, c + 1, col[c], -1, SQLITE_TRANSIENT);
        }
        assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(ne_search_rank_register(db), SQLITE_OK);
    return db;
}

/* Each matching row's (ours, bm25's); returns how many. */
static int scores(sqlite3 *db, const char *match, int scored, const char *bm25_match,
                  double *ours, double *theirs, int max)
{
    char sql[512];
    sqlite3_stmt *st = NULL;
    int n = 0;

    /* bm25 of another expression over the same rows: a subquery by rowid. */
    snprintf(sql, sizeof(sql),
             "WITH a AS MATERIALIZED (SELECT rowid AS id, newsevent_rank(t, %d, " WEIGHTS ")"
             " AS r FROM t WHERE t MATCH ?1), b AS MATERIALIZED (SELECT rowid AS id,"
             " bm25(t, " WEIGHTS ") AS s FROM t WHERE t MATCH ?2)"
             " SELECT a.r, b.s FROM a JOIN b ON a.id = b.id ORDER BY a.id", scored);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, bm25_match, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW && n < max) {
        ours[n] = sqlite3_column_double(st, 0);
        theirs[n] = sqlite3_column_double(st, 1);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* ours = k * bm25 for every row, the same k: the same order. */
static void proportional(sqlite3 *db, const char *match, int scored, const char *bm25_match)
{
    static double a[40000], b[40000];
    int n = scores(db, match, scored, bm25_match, a, b, 40000), i;
    double k;

    assert_true(n > 10);
    k = a[0] / b[0];
    assert_true(k > 0.0);
    for (i = 0; i < n; i++) {
        assert_true(fabs(a[i] - k * b[i]) <= 1e-9 * fabs(a[i]) + 1e-12);
    }
}

static void close_to(sqlite3 *db, const char *match, int scored, double tolerance)
{
    static double a[40000], b[40000];
    int n = scores(db, match, scored, match, a, b, 40000), i;

    assert_true(n > 10);
    for (i = 0; i < n; i++) {
        assert_true(fabs(a[i] - b[i]) <= tolerance * fabs(b[i]) + 1e-12);
    }
}

static void rank_one_phrase_is_bm25_order(void **state)
{
    sqlite3 *db = table(3000);

    (void)state;
    proportional(db, "sudan", 1, "sudan");
    proportional(db, "\"sudan kenya\"", 1, "\"sudan kenya\"");
    proportional(db, "(sudan) NOT (vote)", 1, "(sudan) NOT (vote)");
    /* A phrase past the scored ones (a topic's name) adds nothing: the
     * score is the first phrase's alone. */
    proportional(db, "(sudan) AND topic_names : \"kenya\"", 1, "sudan");
    sqlite3_close(db);
}

static void rank_several_phrases_are_bm25(void **state)
{
    sqlite3 *db = table(3000);

    (void)state;
    close_to(db, "sudan OR kenya", 2, 1e-9);
    close_to(db, "(sudan) AND (\"vote flood\")", 2, 1e-9);
    sqlite3_close(db);
}

/* 30,000 rows, "common" in 10,000 of them evenly: past the bound its
 * count is estimated from how far the first NE_RANK_HITS reached. */
static void rank_estimate_past_the_bound(void **state)
{
    sqlite3 *db = table(3 * NE_RANK_HITS);

    (void)state;
    close_to(db, "common OR court", 2, 0.01);
    sqlite3_close(db);
}

int ne_test_search_rank(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rank_one_phrase_is_bm25_order),
        cmocka_unit_test(rank_several_phrases_are_bm25),
        cmocka_unit_test(rank_estimate_past_the_bound),
    };
    return cmocka_run_group_tests_name("search rank", tests, NULL, NULL);
}
