/* SPDX-License-Identifier: Apache-2.0 */
/* The core's log callback, and the store naming a failure it can heal: a
 * real SQLite file whose schema changes under a prepared statement. */
#include "unit.h"
#include "ne_log.h"
#include "ne_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>

typedef struct seen {
    int lines;
    int level;
    apr_status_t rv;
    char msg[2048];
} seen_t;

static void remember(void *baton, const char *file, int line, int level, apr_status_t rv,
                     const char *msg)
{
    seen_t *s = baton;

    assert_non_null(file);
    assert_true(line > 0);
    s->lines++;
    s->level = level;
    s->rv = rv;
    snprintf(s->msg, sizeof(s->msg), "%s", msg);
}

static void test_log_levels(void **state)
{
    seen_t s = {0};
    ne_log_t log = {remember, &s, NE_LOG_INFO};

    (void)state;
    ne_log(&log, NE_LOG_MARK, NE_LOG_DEBUG, 0, "not %s", "shown");
    assert_int_equal(s.lines, 0);
    ne_log(&log, NE_LOG_MARK, NE_LOG_WARNING, APR_ENOENT, "store %s: %d", "x", 42);
    assert_int_equal(s.lines, 1);
    assert_int_equal(s.level, NE_LOG_WARNING);
    assert_int_equal(s.rv, APR_ENOENT);
    assert_string_equal(s.msg, "store x: 42");
    ne_log(NULL, NE_LOG_MARK, NE_LOG_ERR, 0, "no logger: nothing happens");
    log.fn = NULL;
    ne_log(&log, NE_LOG_MARK, NE_LOG_ERR, 0, "no callback: nothing happens");
    assert_int_equal(s.lines, 1);
}

static void test_log_cut(void **state)
{
    seen_t s = {0};
    ne_log_t log = {remember, &s, NE_LOG_DEBUG};
    char *big = apr_palloc(*state, 5000);

    memset(big, 'a', 4999);
    big[4999] = '\0';
    ne_log(&log, NE_LOG_MARK, NE_LOG_INFO, 0, "%s", big);
    assert_int_equal(strlen(s.msg), 1023);
}

static void test_store_schema_change(void **state)
{
    apr_pool_t *pool = *state;
    static const ne_stmt_t stmts[] = {
        {"newsevent_changed", "SELECT changed, generation FROM archive WHERE id = 1"},
        {NULL, NULL}
    };
    char path[] = "/tmp/ne_unit_XXXXXX";
    int fd = mkstemp(path), nrows;
    seen_t s = {0};
    ne_store_t st, other;
    apr_time_t changed;
    apr_int64_t generation;
    apr_status_t rv;

    assert_true(fd >= 0);
    close(fd);
    memset(&st, 0, sizeof(st));
    memset(&other, 0, sizeof(other));
    st.log.fn = remember;
    st.log.baton = &s;
    st.log.max_level = NE_LOG_DEBUG;
    assert_int_equal(apr_dbd_init(pool), APR_SUCCESS);
    assert_int_equal(apr_dbd_get_driver(pool, "sqlite3", &st.driver), APR_SUCCESS);
    assert_int_equal(apr_dbd_open(st.driver, pool, path, &st.handle), APR_SUCCESS);
    assert_int_equal(apr_dbd_query(st.driver, st.handle, &nrows, "CREATE TABLE archive (id "
                                   "INTEGER PRIMARY KEY, changed TEXT, generation INTEGER)"),
                     0);
    assert_int_equal(apr_dbd_query(st.driver, st.handle, &nrows, "INSERT INTO archive VALUES "
                                   "(1, '2017-11-23T00:00:00Z', 7)"), 0);
    assert_int_equal(ne_store_prepare(&st, pool, stmts, ""), APR_SUCCESS);
    assert_int_equal(ne_store_changed(&st, pool, &changed, &generation), APR_SUCCESS);
    assert_int_equal(generation, 7);

    /* Another connection changes the schema: the statement fails for good,
     * and the store says so by status, keeping the driver's code. */
    other.driver = st.driver;
    assert_int_equal(apr_dbd_open(other.driver, pool, path, &other.handle), APR_SUCCESS);
    assert_int_equal(apr_dbd_query(other.driver, other.handle, &nrows,
                                   "CREATE INDEX archive_by_changed ON archive (changed)"), 0);
    rv = ne_store_changed(&st, pool, &changed, &generation);
    assert_int_equal(rv, NE_STORE_ESCHEMA);
    assert_true(st.dbd_rc != 0);
    assert_non_null(strstr(st.error, "newsevent_changed"));
    assert_int_equal(s.level, NE_LOG_DEBUG);
    assert_int_equal(s.rv, NE_STORE_ESCHEMA);
    assert_non_null(strstr(s.msg, "newsevent_changed"));

    /* Prepared again, it reads. */
    st.prepared = NULL;
    assert_int_equal(ne_store_prepare(&st, pool, stmts, ""), APR_SUCCESS);
    assert_int_equal(ne_store_changed(&st, pool, &changed, &generation), APR_SUCCESS);
    apr_dbd_close(other.driver, other.handle);
    apr_dbd_close(st.driver, st.handle);
    unlink(path);
}

int ne_test_log(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_levels),
        cmocka_unit_test_setup_teardown(test_log_cut, ne_test_pool_setup,
                                        ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(test_store_schema_change, ne_test_pool_setup,
                                        ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
