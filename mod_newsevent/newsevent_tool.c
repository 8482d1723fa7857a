/* SPDX-License-Identifier: Apache-2.0 */
/* newsevent_tool: what the tool's commands share: opening the store,
 * preparing its statements, saying why a command failed, and where the
 * core's log lines go (standard error). */
#include "newsevent.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The core's lines: warnings and worse (its failures are said again, with
 * their command, by tool_die). */
static void tool_log_line(void *baton, const char *file, int line, int level,
                          apr_status_t rv, const char *msg)
{
    static const char *const names[] = {"emerg", "alert", "crit", "error", "warning",
                                        "notice", "info", "debug"};
    FILE *out = baton;

    (void)file; (void)line; (void)rv;
    fprintf(out, "newsevent: %s: %s\n", names[level & 7], msg);
}

void tool_log_init(tool_t *t)
{
    t->st.log.fn = tool_log_line;
    t->st.log.baton = stderr;
    t->st.log.max_level = NE_LOG_WARNING;
}

int tool_die(tool_t *t, const char *what)
{
    fprintf(stderr, "newsevent: %s: %s\n", what, t->st.error ? t->st.error : "failed");
    return TOOL_EXIT_FAILED;
}

int tool_open(tool_t *t)
{
    const char *err = NULL;
    apr_status_t rv = apr_dbd_get_driver(t->pool, t->driver_name, &t->st.driver);

    if (rv != APR_SUCCESS) {
        fprintf(stderr, "newsevent: no APR DBD driver '%s' (is libaprutil1-dbd-%s "
                "installed?)\n", t->driver_name, t->driver_name);
        return TOOL_EXIT_FAILED;
    }
    if (apr_dbd_open_ex(t->st.driver, t->pool, t->params, &t->st.handle, &err) != APR_SUCCESS) {
        fprintf(stderr, "newsevent: cannot open the %s store '%s': %s\n", t->driver_name,
                t->params, err ? err : "failed");
        return TOOL_EXIT_FAILED;
    }
    if (strcmp(t->driver_name, "sqlite3") == 0) {
        int nrows;
        /* A file's import is one transaction: keep its pages in memory
         * (up to 512 MiB) rather than spilling them to the WAL and reading
         * them back; and SQLite's temporary storage (statement journals,
         * sorts) in memory rather than in files. */
        apr_dbd_query(t->st.driver, t->st.handle, &nrows, "PRAGMA cache_size = -524288");
        apr_dbd_query(t->st.driver, t->st.handle, &nrows, "PRAGMA temp_store = MEMORY");
    }
    return TOOL_EXIT_OK;
}

int tool_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

int tool_prepare(tool_t *t)
{
    int version = 0;

    ne_store_version(&t->st, t->pool, t->prefix, &version);
    if (version > 0 && version < NE_SCHEMA_VERSION) {
        fprintf(stderr, "newsevent: the store in %s is of schema version %d, made by an older "
                "release: run 'newsevent upgrade' first (it keeps every event)\n", t->params,
                version);
        return TOOL_EXIT_FAILED;
    }
    if (ne_store_prepare(&t->st, t->pool, ne_store_read_stmts, t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_list_stmts, t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_write_stmts, t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_derived_stmts, t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_dialect(t->driver_name,
                                                              ne_store_whole_sqlite3,
                                                              ne_store_whole_pgsql),
                            t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_upkeep_stmts, t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_dialect(t->driver_name,
                                                              ne_store_upkeep_sqlite3,
                                                              ne_store_upkeep_pgsql),
                            t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_edit_stmts, t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_dialect(t->driver_name,
                                                              ne_store_lock_sqlite3,
                                                              ne_store_lock_pgsql),
                            t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_dialect(t->driver_name,
                                                              ne_store_index_sqlite3,
                                                              ne_store_index_pgsql),
                            t->prefix) != APR_SUCCESS
        || (strcmp(t->driver_name, "pgsql") == 0
            && ne_store_prepare(&t->st, t->pool, ne_store_bulk_pgsql, t->prefix)
               != APR_SUCCESS)) {
        return tool_die(t, "the store is not ready (run 'newsevent init')");
    }
    return TOOL_EXIT_OK;
}
