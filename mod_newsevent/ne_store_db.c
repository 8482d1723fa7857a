/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_db: the store's plumbing over APR DBD: table prefixes, prepared
 * statements, failures named for the caller, rows and columns read into
 * records. Only the store's own files use it (ne_store_db.h). */
#include "ne_store.h"
#include "ne_store_db.h"
#include "ne_buf.h"
#include "ne_text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_time.h>

int ne_store_prefix_valid(const char *prefix)
{
    const char *p;

    if (*prefix == '\0') {
        return 1;
    }
    if (!(*prefix >= 'a' && *prefix <= 'z') || strlen(prefix) > 32) {
        return 0;
    }
    for (p = prefix; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) {
            return 0;
        }
    }
    return 1;
}

static int ne_sql_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || c == '_';
}

static int ne_sql_is_table(const char *s, apr_size_t n)
{
    int i;

    for (i = 0; ne_store_tables[i]; i++) {
        if (strlen(ne_store_tables[i]) == n && memcmp(ne_store_tables[i], s, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Walk identifiers, leaving quoted literals and qualified names (x.y) be. */
const char *ne_store_sql(apr_pool_t *pool, const char *sql, const char *prefix)
{
    ne_buf_t *out;
    const char *p = sql;

    if (prefix == NULL || *prefix == '\0') {
        return sql;
    }
    out = ne_buf_make(pool, strlen(sql) + 256);
    while (*p) {
        if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            apr_size_t n = end ? (apr_size_t)(end - p + 1) : strlen(p);
            ne_buf_add(out, p, n);
            p += n;
        }
        else if (ne_sql_ident(*p) && (p == sql || !ne_sql_ident(p[-1]))) {
            apr_size_t n = 1;
            while (ne_sql_ident(p[n])) {
                n++;
            }
            if ((p == sql || p[-1] != '.') && ne_sql_is_table(p, n)) {
                ne_buf_puts(out, prefix);
            }
            ne_buf_add(out, p, n);
            p += n;
        }
        else {
            ne_buf_putc(out, *p++);
        }
    }
    return ne_buf_str(out);
}

/* SQLite's result codes that name a healable failure. */
#define NE_SQLITE_ERROR 1
#define NE_SQLITE_PERM 3
#define NE_SQLITE_BUSY 5
#define NE_SQLITE_LOCKED 6
#define NE_SQLITE_READONLY 8
#define NE_SQLITE_CORRUPT 11
#define NE_SQLITE_CANTOPEN 14
#define NE_SQLITE_SCHEMA 17
#define NE_SQLITE_NOTADB 26
/* And the one that says another connection holds a lock this one needs. */

/* How long a prepare waits for a busy SQLite store, at most: as long as
 * the sqlite3 driver waits for a busy step (15 tries, 100 ms apart); and
 * its longest nap. */
#define NE_BUSY_WAIT apr_time_from_msec(1500)
#define NE_BUSY_NAP apr_time_from_msec(100)

static int ne_db_says(const char *msg, const char *what)
{
    return msg != NULL && strstr(msg, what) != NULL;
}

/* What a failure means for the caller. The sqlite3 driver prepares with the
 * legacy sqlite3_prepare, whose sqlite3_step answers SQLITE_ERROR for every
 * failure: its code is then the generic one, and only SQLite's own fixed
 * message (sqlite3_errstr's) says which. The pgsql driver answers
 * PGRES_FATAL_ERROR for every failure and keeps no SQLSTATE: libpq's
 * message is all it gives. */
static apr_status_t ne_db_classify(const ne_store_t *st, int rc, const char *msg)
{
    const char *driver = apr_dbd_name(st->driver);

    if (strcmp(driver, "sqlite3") == 0) {
        if (rc == NE_SQLITE_SCHEMA
            || (rc == NE_SQLITE_ERROR && ne_db_says(msg, "database schema has changed"))) {
            return NE_STORE_ESCHEMA;
        }
        if (rc == NE_SQLITE_CORRUPT || rc == NE_SQLITE_NOTADB
            || (rc == NE_SQLITE_ERROR && (ne_db_says(msg, "malformed")
                                          || ne_db_says(msg, "not a database")))) {
            return NE_STORE_ECORRUPT;
        }
        if (rc == NE_SQLITE_BUSY || rc == NE_SQLITE_LOCKED
            || (rc == NE_SQLITE_ERROR && ne_db_says(msg, "database is locked"))) {
            return NE_STORE_EBUSY;
        }
        if (rc == NE_SQLITE_READONLY || rc == NE_SQLITE_CANTOPEN || rc == NE_SQLITE_PERM
            || (rc == NE_SQLITE_ERROR && (ne_db_says(msg, "readonly database")
                                          || ne_db_says(msg, "unable to open")))) {
            return NE_STORE_EACCESS;
        }
    }
    else if (strcmp(driver, "pgsql") == 0
             && (ne_db_says(msg, "could not serialize") || ne_db_says(msg, "deadlock"))) {
        return NE_STORE_EBUSY;
    }
    else if (strcmp(driver, "pgsql") == 0
             && (ne_db_says(msg, "connection") || ne_db_says(msg, "does not exist"))) {
        return NE_STORE_ESTALE;
    }
    return APR_EGENERAL;
}

/* Prepare one statement, as `name`. The sqlite3 driver tries a busy step
 * again (15 times, 100 ms apart, its process-wide lock released meanwhile)
 * but not a busy prepare, and sets no busy handler. A connection's first
 * prepare reads the store's schema; in WAL mode the first reader of a store
 * after every connection to it closed rebuilds the WAL index (the -shm
 * file) under an exclusive lock, and any other process reading the store
 * meanwhile gets SQLITE_BUSY (SQLITE_BUSY_RECOVERY): Apache's children
 * starting together, or serving a store's first requests together, meet
 * there. A busy prepare is tried again after 1, 2, 4 ... 100 ms, as long as
 * the driver waits for a busy step. (A busy handler would sleep inside the
 * driver's lock, stalling every other thread of the process.) */
static int ne_db_prepare(ne_store_t *st, apr_pool_t *pool, const char *sql, const char *name,
                         apr_dbd_prepared_t **stmt)
{
    int sqlite = strcmp(apr_dbd_name(st->driver), "sqlite3") == 0;
    apr_interval_time_t nap = apr_time_from_msec(1), waited = 0;
    int rc;

    for (;;) {
        *stmt = NULL;
        rc = apr_dbd_prepare(st->driver, pool, st->handle, sql, name, stmt);
        if (rc != NE_SQLITE_BUSY || !sqlite || waited >= NE_BUSY_WAIT) {
            break;
        }
        apr_sleep(nap);
        waited += nap;
        nap = nap * 2 < NE_BUSY_NAP ? nap * 2 : NE_BUSY_NAP;
    }
    if (waited > 0) {
        ne_log(&st->log, NE_LOG_MARK, NE_LOG_DEBUG, 0, "statement %s: the store was busy; "
               "waited %ld ms to prepare it", name, (long)apr_time_as_msec(waited));
    }
    return rc;
}

apr_status_t ne_store_prepare(ne_store_t *st, apr_pool_t *pool, const ne_stmt_t *list,
                              const char *prefix)
{
    if (st->prepared == NULL) {
        st->prepared = apr_hash_make(pool);
    }
    for (; list->label != NULL; list++) {
        apr_dbd_prepared_t *stmt;
        int rc = ne_db_prepare(st, pool, ne_store_sql(pool, list->sql, prefix), list->label,
                               &stmt);
        if (rc != 0) {
            return ne_db_fail(st, pool, list->label, rc);
        }
        apr_hash_set(st->prepared, list->label, APR_HASH_KEY_STRING, stmt);
    }
    return APR_SUCCESS;
}

/* PostgreSQL keeps a session's statements by name: the module's are named
 * with their table prefix, as sites with different prefixes may share a
 * pool of connections (mod_dbd pools the servers of the same DBDriver,
 * DBDParams and pool settings together). */
static const char *ne_conn_name(apr_pool_t *pool, const ne_store_conn_t *c, const char *label)
{
    return *c->prefix ? apr_pstrcat(pool, c->prefix, label, NULL) : label;
}

static int ne_conn_pgsql(const ne_store_t *st)
{
    return strcmp(apr_dbd_name(st->driver), "pgsql") == 0;
}

/* Drop statements PostgreSQL holds for c (all that `prepared` names): after
 * a reconnection there are none, and the names fail harmlessly. */
static void ne_conn_deallocate(ne_store_t *st, apr_pool_t *pool, const ne_store_conn_t *c,
                               apr_hash_t *prepared)
{
    apr_hash_index_t *hi;
    int nrows;

    for (hi = apr_hash_first(pool, prepared); hi; hi = apr_hash_next(hi)) {
        const void *label;
        apr_hash_this(hi, &label, NULL, NULL);
        apr_dbd_query(st->driver, st->handle, &nrows,
                      apr_pstrcat(pool, "DEALLOCATE ", ne_conn_name(pool, c, label), NULL));
    }
}

/* SQLite's schema version of st's store, or -1. */
static apr_int64_t ne_db_schema_version(ne_store_t *st, apr_pool_t *pool)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    apr_int64_t version = -1;

    if (apr_dbd_select(st->driver, pool, st->handle, &res, "PRAGMA schema_version", 0) == 0) {
        while (apr_dbd_get_row(st->driver, pool, res, &row, -1) == 0) {
            version = ne_db_int(st, row, 0);
        }
    }
    return version;
}

/* The module's statements, on the connection's first use by a site with
 * c's prefix: all of them or none, in a pool of their own, dropped when one
 * fails. A failure on the first (the one reading the schema: a missing or
 * corrupt store, a lock held too long) leaves nothing behind. A failure
 * after some were prepared (a store without a table the others do not
 * need) leaves those: PostgreSQL's are dropped; SQLite's live in the
 * driver until the connection closes, so the connection does not try again
 * before the store's schema changes (its answer meanwhile: the same
 * failure). */
static apr_status_t ne_conn_prepare(ne_store_t *st, apr_pool_t *pool)
{
    ne_store_conn_t *c = st->conn;
    apr_hash_t *prepared;
    apr_pool_t *stmts;
    apr_status_t rv = APR_SUCCESS;
    int i;

    if (c->stuck_error != NULL) {
        if (ne_db_schema_version(st, pool) == c->stuck_version) {
            st->error = c->stuck_error;
            return APR_EGENERAL;
        }
        c->stuck_error = NULL;
    }
    if (apr_pool_create(&stmts, c->pool) != APR_SUCCESS) {
        st->error = "cannot create a pool for the statements";
        return APR_ENOMEM;
    }
    prepared = apr_hash_make(stmts);
    for (i = 0; rv == APR_SUCCESS && ne_store_module_stmts[i]; i++) {
        const ne_stmt_t *s;
        for (s = ne_store_module_stmts[i]; rv == APR_SUCCESS && s->label != NULL; s++) {
            apr_dbd_prepared_t *stmt;
            int rc = ne_db_prepare(st, stmts, ne_store_sql(pool, s->sql, c->prefix),
                                   ne_conn_name(pool, c, s->label), &stmt);
            if (rc != 0) {
                rv = ne_db_fail(st, pool, s->label, rc);
            }
            else {
                apr_hash_set(prepared, s->label, APR_HASH_KEY_STRING, stmt);
            }
        }
    }
    if (rv == APR_SUCCESS) {
        c->prepared = st->prepared = prepared;
        c->stmts = stmts;
        return APR_SUCCESS;
    }
    if (apr_hash_count(prepared) > 0) {
        if (ne_conn_pgsql(st)) {
            ne_conn_deallocate(st, pool, c, prepared);
        }
        else {
            c->stuck_version = ne_db_schema_version(st, pool);
            c->stuck_error = apr_pstrdup(c->pool, st->error);
        }
    }
    apr_pool_destroy(stmts);
    return rv;
}

void ne_store_forget(ne_store_t *st)
{
    ne_store_conn_t *c = st->conn;

    if (c == NULL || c->prepared == NULL) {
        return;
    }
    if (ne_conn_pgsql(st)) {
        ne_conn_deallocate(st, c->stmts, c, c->prepared);
    }
    /* SQLite's own statements stay with the driver, which finalizes them
     * when the connection closes, and reads nothing of ours then. */
    apr_pool_destroy(c->stmts);
    c->stmts = NULL;
    c->prepared = st->prepared = NULL;
    c->derived_absent = 0;
}

apr_status_t ne_store_failure(ne_store_t *st, apr_pool_t *pool, const char *what, int rc)
{
    return ne_db_fail(st, pool, what, rc);
}

/* What a connection lacks of a list, prepared into its statements (with
 * the module's: prepared first when they are not) under the connection's
 * names; the labels it has are left alone, as PostgreSQL refuses a name
 * prepared twice. Without a connection (the tool), into pool. */
apr_status_t ne_store_prepare_missing(ne_store_t *st, apr_pool_t *pool, const ne_stmt_t *list,
                                      const char *prefix)
{
    ne_store_conn_t *c = st->conn;
    apr_pool_t *into = pool;
    apr_status_t rv = APR_SUCCESS;

    if (c != NULL) {
        if (st->prepared == NULL && (rv = ne_conn_prepare(st, pool)) != APR_SUCCESS) {
            return rv;
        }
        into = c->stmts;
        prefix = c->prefix;
    }
    if (st->prepared == NULL) {
        st->prepared = apr_hash_make(into);
    }
    for (; list->label != NULL && rv == APR_SUCCESS; list++) {
        apr_dbd_prepared_t *stmt;
        int rc;
        if (apr_hash_get(st->prepared, list->label, APR_HASH_KEY_STRING) != NULL) {
            continue;
        }
        rc = ne_db_prepare(st, into, ne_store_sql(pool, list->sql, prefix),
                           c ? ne_conn_name(pool, c, list->label) : list->label, &stmt);
        if (rc != 0) {
            rv = ne_db_fail(st, pool, list->label, rc);
        }
        else {
            apr_hash_set(st->prepared, list->label, APR_HASH_KEY_STRING, stmt);
        }
    }
    return rv;
}

apr_status_t ne_db_fail(ne_store_t *st, apr_pool_t *pool, const char *label, int rc)
{
    const char *msg = apr_dbd_error(st->driver, st->handle, rc);
    apr_status_t rv = ne_db_classify(st, rc, msg);

    st->error = apr_psprintf(pool, "%s: %s", label, msg ? msg : "unknown error");
    st->dbd_rc = rc;
    ne_log(&st->log, NE_LOG_MARK, NE_LOG_DEBUG, rv, "statement %s failed (%s code %d): %s",
           label, apr_dbd_name(st->driver), rc, msg ? msg : "unknown error");
    return rv;
}

apr_status_t ne_db_selectv(ne_store_t *st, apr_pool_t *pool, const char *label,
                           apr_dbd_results_t **res, int nargs, const char **args)
{
    apr_dbd_prepared_t *stmt;
    int rc;

    if (st->prepared == NULL && st->conn != NULL) {
        apr_status_t rv = ne_conn_prepare(st, pool);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    stmt = st->prepared ? apr_hash_get(st->prepared, label, APR_HASH_KEY_STRING) : NULL;
    if (stmt == NULL) {
        st->error = apr_psprintf(pool, "%s: statement not prepared", label);
        return APR_EGENERAL;
    }
    *res = NULL;
    /* Random access: the whole result is read at once, so rows can be
     * walked while other statements run on the same connection. */
    rc = apr_dbd_pselect(st->driver, pool, st->handle, res, stmt, 1, nargs, args);
    return rc == 0 ? APR_SUCCESS : ne_db_fail(st, pool, label, rc);
}

apr_status_t ne_db_exec(ne_store_t *st, apr_pool_t *pool, const char *label, int nargs,
                        const char **args)
{
    apr_dbd_prepared_t *stmt = st->prepared ? apr_hash_get(st->prepared, label,
                                                           APR_HASH_KEY_STRING) : NULL;
    int nrows, rc;

    if (stmt == NULL) {
        st->error = apr_psprintf(pool, "%s: statement not prepared", label);
        return APR_EGENERAL;
    }
    rc = apr_dbd_pquery(st->driver, pool, st->handle, &nrows, stmt, nargs, args);
    return rc == 0 ? APR_SUCCESS : ne_db_fail(st, pool, label, rc);
}

apr_status_t ne_db_select(ne_store_t *st, apr_pool_t *pool, const char *label,
                          apr_dbd_results_t **res, int nargs, ...)
{
    const char *args[8];
    va_list ap;
    int i;

    va_start(ap, nargs);
    for (i = 0; i < nargs && i < 8; i++) {
        args[i] = va_arg(ap, const char *);
    }
    va_end(ap);
    return ne_db_selectv(st, pool, label, res, i, args);
}

/* Rows are read in order to the end (-1). *row must start NULL: the pgsql
 * driver takes a non-NULL one as the previous row; it is NULL again at the
 * end, ready for the next result. */
int ne_db_row(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
              apr_dbd_row_t **row)
{
    if (apr_dbd_get_row(st->driver, pool, res, row, -1) != 0) {
        *row = NULL;
        return 0;
    }
    st->rows++;
    return 1;
}

/* Text of a column, copied into pool (the pgsql driver frees its result
 * after the last row): "" for NULL (SQLite) as for PostgreSQL, and cleaned
 * so that every format can carry it whatever was written to the store. */
const char *ne_db_col(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col)
{
    const char *v = apr_dbd_get_entry(st->driver, row, col);

    return v == NULL ? "" : ne_text_clean(pool, apr_pstrdup(pool, v));
}

void ne_db_read_event(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row,
                      ne_event_t *ev)
{
    ev->id = ne_db_col(st, pool, row, 0);
    ev->date = ne_db_col(st, pool, row, 1);
    ev->slug = ne_db_col(st, pool, row, 2);
    ev->category = ne_db_col(st, pool, row, 3);
    ev->story = ne_db_col(st, pool, row, 4);
    ev->headline = ne_db_col(st, pool, row, 5);
    ev->body = ne_db_col(st, pool, row, 6);
    ev->image = ne_db_col(st, pool, row, 7);
    ev->updated = ne_db_col(st, pool, row, 8);
}

/* Append every row of an NE_EVENT_COLS result to `into` (ne_event_t). */
apr_status_t ne_db_events(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                          apr_array_header_t *into)
{
    apr_dbd_row_t *row = NULL;

    while (ne_db_row(st, pool, res, &row)) {
        ne_event_t *ev = apr_array_push(into);
        memset(ev, 0, sizeof(*ev));
        ne_db_read_event(st, pool, row, ev);
    }
    return APR_SUCCESS;
}

apr_int64_t ne_db_int(ne_store_t *st, apr_dbd_row_t *row, int col)
{
    const char *v = apr_dbd_get_entry(st->driver, row, col);

    return v ? ne_text_int64(v) : 0;
}

void ne_db_push_source(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col,
                       ne_event_t *ev)
{
    ne_source_t *s = apr_array_push(ev->sources);

    s->name = ne_db_col(st, pool, row, col);
    s->url = ne_db_col(st, pool, row, col + 1);
}

void ne_db_push_topic(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col,
                      ne_event_t *ev)
{
    ne_topic_t *t = apr_array_push(ev->topics);

    t->name = ne_db_col(st, pool, row, col);
    t->slug = ne_db_col(st, pool, row, col + 1);
    t->id = ne_db_col(st, pool, row, col + 2);
}
