/* SPDX-License-Identifier: Apache-2.0 */
/* The module's statements on a connection (ne_store_conn_t), over real
 * SQLite files: prepared on first use, all of them or none, per table
 * prefix; prepared again after ne_store_forget; a store busy when a
 * connection first reads it is waited for, within a bound; a store without
 * one of its tables fails, and the connection does not try again until the
 * store's schema changes. */
#include "unit.h"
#include "ne_log.h"
#include "ne_store.h"
#include "ne_store_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <apr_time.h>

typedef struct seen {
    int lines;
    int busy;               /* lines saying the store was busy */
} seen_t;

static void remember(void *baton, const char *file, int line, int level, apr_status_t rv,
                     const char *msg)
{
    seen_t *s = baton;

    (void)file; (void)line; (void)level; (void)rv;
    s->lines++;
    s->busy += strstr(msg, "the store was busy") != NULL;
}

static const char *temp_path(apr_pool_t *pool)
{
    char *path = apr_pstrdup(pool, "/tmp/ne_unit_store_XXXXXX");
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    close(fd);
    return path;
}

static void store_open(ne_store_t *st, apr_pool_t *pool, const char *path, seen_t *s)
{
    memset(st, 0, sizeof(*st));
    st->log.fn = remember;
    st->log.baton = s;
    st->log.max_level = NE_LOG_DEBUG;
    assert_int_equal(apr_dbd_init(pool), APR_SUCCESS);
    assert_int_equal(apr_dbd_get_driver(pool, "sqlite3", &st->driver), APR_SUCCESS);
    assert_int_equal(apr_dbd_open(st->driver, pool, path, &st->handle), APR_SUCCESS);
}

/* conf/schema-sqlite.sql with its comment lines left out (make unit runs
 * from the repository's top), with a table prefix, and one archive row. */
static void store_schema(ne_store_t *st, apr_pool_t *pool, const char *prefix)
{
    apr_file_t *f;
    char line[1024];
    char *script = "";
    int nrows;

    assert_int_equal(apr_file_open(&f, "conf/schema-sqlite.sql", APR_FOPEN_READ, 0, pool),
                     APR_SUCCESS);
    while (apr_file_gets(line, sizeof(line), f) == APR_SUCCESS) {
        if (strncmp(line, "--", 2) != 0) {
            script = apr_pstrcat(pool, script, line, NULL);
        }
    }
    apr_file_close(f);
    assert_int_equal(ne_store_run_script(st, pool, ne_store_sql(pool, script, prefix)),
                     APR_SUCCESS);
    assert_int_equal(apr_dbd_query(st->driver, st->handle, &nrows,
                                   ne_store_sql(pool, "INSERT OR REPLACE INTO archive (id, "
                                                "changed, generation) VALUES (1, "
                                                "'2017-11-23T00:00:00Z', 3)", prefix)), 0);
}

static int module_statements(void)
{
    int i, n = 0;
    const ne_stmt_t *s;

    for (i = 0; ne_store_module_stmts[i]; i++) {
        for (s = ne_store_module_stmts[i]; s->label != NULL; s++) {
            n++;
        }
    }
    return n;
}

static apr_status_t changed(ne_store_t *st, apr_pool_t *pool, apr_int64_t *generation)
{
    apr_time_t when;

    return ne_store_changed(st, pool, &when, generation);
}

static void test_prepared_on_first_use(void **state)
{
    apr_pool_t *pool = *state;
    const char *path = temp_path(pool);
    ne_store_conn_t c = {0}, cp = {0};
    ne_store_t st, again;
    apr_hash_t *first;
    apr_int64_t generation = 0;
    seen_t s = {0};

    store_open(&st, pool, path, &s);
    store_schema(&st, pool, "");
    store_schema(&st, pool, "p_");
    c.pool = cp.pool = pool;
    c.prefix = "";
    cp.prefix = "p_";
    st.conn = &c;
    st.prepared = NULL;
    assert_int_equal(changed(&st, pool, &generation), APR_SUCCESS);
    assert_int_equal(generation, 3);
    assert_non_null(c.prepared);
    assert_int_equal(apr_hash_count(c.prepared), module_statements());
    first = c.prepared;

    /* The next request on the connection finds them. */
    again = st;
    again.prepared = c.prepared;
    assert_int_equal(changed(&again, pool, &generation), APR_SUCCESS);
    assert_ptr_equal(c.prepared, first);

    /* Another prefix on the same connection: its own statements. */
    again.conn = &cp;
    again.prepared = NULL;
    assert_int_equal(apr_dbd_query(st.driver, st.handle, &(int){0},
                                   "UPDATE p_archive SET generation = 9"), 0);
    assert_int_equal(changed(&again, pool, &generation), APR_SUCCESS);
    assert_int_equal(generation, 9);
    assert_true(cp.prepared != c.prepared);

    /* Forgotten (a schema change, a reconnection): prepared again. */
    ne_store_forget(&st);
    assert_null(c.prepared);
    assert_null(st.prepared);
    assert_int_equal(changed(&st, pool, &generation), APR_SUCCESS);
    assert_int_equal(generation, 3);
    assert_non_null(c.prepared);
    assert_int_equal(s.busy, 0);
    apr_dbd_close(st.driver, st.handle);
    unlink(path);
}

typedef struct locker {
    ne_store_t st;
    apr_interval_time_t hold;
} locker_t;

static void *APR_THREAD_FUNC release_later(apr_thread_t *thread, void *data)
{
    locker_t *l = data;
    int nrows;

    apr_sleep(l->hold);
    apr_dbd_query(l->st.driver, l->st.handle, &nrows, "COMMIT");
    apr_thread_exit(thread, APR_SUCCESS);
    return NULL;
}

/* A connection reading the store for the first time while another holds
 * an exclusive lock (the rollback journal's; in WAL mode, the rebuilding
 * of the WAL index by the first reader of a store does the same): the
 * driver answers SQLITE_BUSY at once, and the prepare is tried again. */
static apr_status_t first_read_under_lock(apr_pool_t *pool, const char *path,
                                          apr_interval_time_t hold, seen_t *s,
                                          apr_interval_time_t *took)
{
    locker_t l;
    ne_store_conn_t c = {0};
    ne_store_t st;
    apr_thread_t *thread;
    apr_status_t rv, trv;
    apr_int64_t generation;
    apr_time_t t0;
    seen_t ls = {0};
    int nrows;

    store_open(&l.st, pool, path, &ls);
    l.hold = hold;
    assert_int_equal(apr_dbd_query(l.st.driver, l.st.handle, &nrows, "BEGIN EXCLUSIVE"), 0);
    store_open(&st, pool, path, s);
    c.pool = pool;
    c.prefix = "";
    st.conn = &c;
    assert_int_equal(apr_thread_create(&thread, NULL, release_later, &l, pool), APR_SUCCESS);
    t0 = apr_time_now();
    rv = changed(&st, pool, &generation);
    *took = apr_time_now() - t0;
    apr_thread_join(&trv, thread);
    assert_null(c.stuck_error);      /* nothing was prepared: nothing left behind */
    apr_dbd_close(st.driver, st.handle);
    apr_dbd_close(l.st.driver, l.st.handle);
    return rv;
}

static void test_busy_store_is_waited_for(void **state)
{
    apr_pool_t *pool = *state;
    const char *path = temp_path(pool);
    apr_interval_time_t took;
    ne_store_t st;
    seen_t s = {0};

    store_open(&st, pool, path, &s);
    store_schema(&st, pool, "");
    apr_dbd_close(st.driver, st.handle);

    /* Released after 100 ms: the prepare waits, and succeeds. */
    assert_int_equal(first_read_under_lock(pool, path, apr_time_from_msec(100), &s, &took),
                     APR_SUCCESS);
    assert_int_equal(s.busy, 1);
    assert_true(took >= apr_time_from_msec(90));

    /* Held for 3 s: it fails after the driver's bound (1.5 s), not later. */
    s.busy = 0;
    assert_int_not_equal(first_read_under_lock(pool, path, apr_time_from_sec(3), &s, &took),
                         APR_SUCCESS);
    assert_int_equal(s.busy, 1);
    assert_true(took >= apr_time_from_msec(1400) && took < apr_time_from_msec(2500));
    unlink(path);
}

static void test_missing_table_not_tried_again(void **state)
{
    apr_pool_t *pool = *state;
    const char *path = temp_path(pool);
    ne_store_conn_t c = {0};
    ne_store_t st;
    apr_int64_t generation;
    seen_t s = {0};
    int nrows, lines;

    store_open(&st, pool, path, &s);
    store_schema(&st, pool, "");
    assert_int_equal(apr_dbd_query(st.driver, st.handle, &nrows, "DROP TABLE sources"), 0);
    c.pool = pool;
    c.prefix = "";
    st.conn = &c;
    assert_int_not_equal(changed(&st, pool, &generation), APR_SUCCESS);
    assert_non_null(strstr(st.error, "sources"));
    assert_null(c.prepared);
    assert_non_null(c.stuck_error);      /* the statements before it are the driver's now */

    /* Not tried again: the same failure, no statement prepared. */
    lines = s.lines;
    st.error = NULL;
    assert_int_not_equal(changed(&st, pool, &generation), APR_SUCCESS);
    assert_non_null(strstr(st.error, "sources"));
    assert_int_equal(s.lines, lines);

    /* The table made again changes the schema: prepared, and read. */
    store_schema(&st, pool, "");
    assert_int_equal(changed(&st, pool, &generation), APR_SUCCESS);
    assert_int_equal(generation, 3);
    assert_null(c.stuck_error);
    apr_dbd_close(st.driver, st.handle);
    unlink(path);
}

int ne_test_store(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prepared_on_first_use, ne_test_pool_setup,
                                        ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(test_busy_store_is_waited_for, ne_test_pool_setup,
                                        ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(test_missing_table_not_tried_again, ne_test_pool_setup,
                                        ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
