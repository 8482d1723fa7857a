/* SPDX-License-Identifier: Apache-2.0 */
/* newsevent init and upgrade: one mechanism. A store's schema has a
 * version (ne_store_version); the base script makes version 1, and one
 * script a version brings a store from the one before (conf/schema-*-N.sql,
 * built into the tool). init makes a new store with all of them; on a
 * store that is there it does what upgrade does: the scripts the store
 * lacks, in one transaction, with no re-import. */
#include "newsevent.h"
#include "ne_store_write.h"

#include <stdio.h>
#include <string.h>
#include <apr_strings.h>

extern const char ne_schema_sqlite3[], ne_schema_pgsql[];
extern const char ne_schema_sqlite3_2[], ne_schema_pgsql_2[];
extern const char ne_schema_sqlite3_3[], ne_schema_pgsql_3[];
extern const char ne_schema_sqlite3_4[], ne_schema_pgsql_4[];

/* The scripts of a driver: [0] the base (version 1), [v - 1] the step to
 * version v. */
static const char *const *tool_schema_scripts(const char *driver)
{
    static const char *const sqlite3[NE_SCHEMA_VERSION] = {ne_schema_sqlite3,
                                                           ne_schema_sqlite3_2,
                                                           ne_schema_sqlite3_3,
                                                           ne_schema_sqlite3_4};
    static const char *const pgsql[NE_SCHEMA_VERSION] = {ne_schema_pgsql, ne_schema_pgsql_2,
                                                         ne_schema_pgsql_3, ne_schema_pgsql_4};

    return strcmp(driver, "sqlite3") == 0 ? sqlite3 : strcmp(driver, "pgsql") == 0 ? pgsql
                                                                                   : NULL;
}

/* SQLite stores are put in WAL mode, so that Apache reads while an import
 * writes, and a reader never sees half an import. */
static int tool_schema_wal(tool_t *t)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;

    if (strcmp(t->driver_name, "sqlite3") != 0) {
        return TOOL_EXIT_OK;
    }
    if (apr_dbd_select(t->st.driver, t->pool, t->st.handle, &res, "PRAGMA journal_mode=WAL",
                       0) != 0) {
        fprintf(stderr, "newsevent: cannot switch %s to WAL mode\n", t->params);
        return TOOL_EXIT_FAILED;
    }
    while (apr_dbd_get_row(t->st.driver, t->pool, res, &row, -1) == 0) {
    }
    return TOOL_EXIT_OK;
}

/* A store brought to version 4 from an older one gets its derived data
 * made, in the upgrade's transaction: every event's related list and every
 * topic's companions, in memory (ne_store_derive_all). */
static apr_status_t tool_schema_derive(tool_t *t)
{
    apr_status_t rv = ne_store_prepare(&t->st, t->pool, ne_store_upkeep_stmts, t->prefix);

    if (rv == APR_SUCCESS) {
        rv = ne_store_prepare(&t->st, t->pool, ne_store_dialect(t->driver_name,
                                                                ne_store_upkeep_sqlite3,
                                                                ne_store_upkeep_pgsql),
                              t->prefix);
    }
    return rv == APR_SUCCESS ? ne_store_derive_all(&t->st, t->pool, tool_threads()) : rv;
}

/* The scripts from version `from` (0: none yet) to the newest, in one
 * transaction: a store is at one version or the next, never between. */
static apr_status_t tool_schema_run(tool_t *t, const char *const *scripts, int from)
{
    apr_dbd_transaction_t *trans = NULL;
    apr_status_t rv = APR_SUCCESS;
    int v, rc;

    if (apr_dbd_transaction_start(t->st.driver, t->pool, t->st.handle, &trans) != 0) {
        t->st.error = "cannot start a transaction";
        return APR_EGENERAL;
    }
    for (v = from; v < NE_SCHEMA_VERSION && rv == APR_SUCCESS; v++) {
        rv = ne_store_run_script(&t->st, t->pool, ne_store_sql(t->pool, scripts[v],
                                                               t->prefix));
    }
    if (rv == APR_SUCCESS && from > 0 && from < 4) {
        rv = tool_schema_derive(t);
    }
    if (rv != APR_SUCCESS) {
        apr_dbd_transaction_mode_set(t->st.driver, trans, APR_DBD_TRANSACTION_ROLLBACK);
    }
    if ((rc = apr_dbd_transaction_end(t->st.driver, t->pool, trans)) != 0 && rv == APR_SUCCESS) {
        t->st.error = apr_psprintf(t->pool, "commit failed: %s",
                                   apr_dbd_error(t->st.driver, t->st.handle, rc));
        rv = APR_EGENERAL;
    }
    return rv;
}

int tool_cmd_schema(tool_t *t, int init)
{
    const char *const *scripts = tool_schema_scripts(t->driver_name);
    apr_time_t started = apr_time_now();
    int version = 0;

    if (scripts == NULL) {
        fprintf(stderr, "newsevent: no schema for driver '%s' (sqlite3 or pgsql)\n",
                t->driver_name);
        return TOOL_EXIT_FAILED;
    }
    ne_store_version(&t->st, t->pool, t->prefix, &version);
    if (version == 0 && !init) {
        fprintf(stderr, "newsevent: upgrade: there is no store in %s (make one with "
                "'newsevent init')\n", t->params);
        return TOOL_EXIT_FAILED;
    }
    if (version > NE_SCHEMA_VERSION) {
        fprintf(stderr, "newsevent: the store in %s is of schema version %d, newer than this "
                "release's %d: use a newer newsevent\n", t->params, version, NE_SCHEMA_VERSION);
        return TOOL_EXIT_FAILED;
    }
    if (version < NE_SCHEMA_VERSION
        && tool_schema_run(t, scripts, version) != APR_SUCCESS) {
        return tool_die(t, init ? "init" : "upgrade");
    }
    if (tool_schema_wal(t) != TOOL_EXIT_OK) {
        return TOOL_EXIT_FAILED;
    }
    if (version == 0) {
        fprintf(stderr, "newsevent: schema ready in %s (version %d)\n", t->params,
                NE_SCHEMA_VERSION);
    }
    else if (version < NE_SCHEMA_VERSION) {
        fprintf(stderr, "newsevent: %s upgraded from schema version %d to %d in %.1f s\n",
                t->params, version, NE_SCHEMA_VERSION,
                (double)(apr_time_now() - started) / APR_USEC_PER_SEC);
    }
    else {
        fprintf(stderr, "newsevent: %s is at schema version %d already\n", t->params, version);
    }
    return TOOL_EXIT_OK;
}
