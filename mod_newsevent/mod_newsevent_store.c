/* SPDX-License-Identifier: Apache-2.0 */
/* The store's glue: a connection from mod_dbd's pool as an ne_store_t, with
 * the module's statements on it; the core's log lines into Apache's error
 * log; and a pooled connection healed after a failure that can be healed. */
#include "mod_newsevent.h"

#include <string.h>
#include <unistd.h>

#include "apr_strings.h"
#include "apr_user.h"
#include "http_log.h"
#include "httpd.h"

APLOG_USE_MODULE(newsevent);

/* Set once at start-up, before any thread serves a request. */
static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *mne_dbd_open = NULL;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *mne_dbd_close = NULL;

void mne_store_init(void)
{
    mne_dbd_open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    mne_dbd_close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
}

/* The core's lines, as the request's: the level passes through (ne_log's
 * levels are Apache's), with the core's own file and line. */
static void mne_log_request(void *baton, const char *file, int line, int level,
                            apr_status_t rv, const char *msg)
{
    ap_log_rerror_(file, line, APLOG_MODULE_INDEX, level, rv, (request_rec *)baton, "%s", msg);
}

void mne_log_for_request(request_rec *r, ne_log_t *log)
{
    log->fn = mne_log_request;
    log->baton = r;
    log->max_level = ap_get_request_module_loglevel(r, APLOG_MODULE_INDEX);
}

/* The module's statements on a connection, for the request's table prefix:
 * kept in the connection's pool, which lives as long as the connection.
 * They are not registered with mod_dbd (ap_dbd_prepare), which would
 * prepare them on every connection it opens, DBDMin of them for each
 * virtual host in each child as it starts: with a thousand sites, a
 * thousand schemas read and 17,000 statements prepared in every child
 * before it serves anything, and each child's start racing the others' on
 * every SQLite store (ne_store_db.c says how). The core prepares them when
 * a request first needs one (docs/design.md, "Statements on a
 * connection"). */
static ne_store_conn_t *mne_store_conn(request_rec *r, ap_dbd_t *dbd)
{
    const mne_server_conf_t *sc = ap_get_module_config(r->server->module_config,
                                                       &newsevent_module);
    const char *prefix = mne_conf_prefix(sc);
    const char *key = apr_pstrcat(r->pool, "newsevent-statements:", prefix, NULL);
    void *found = NULL;
    ne_store_conn_t *c;

    apr_pool_userdata_get(&found, key, dbd->pool);
    if (found != NULL) {
        return found;
    }
    c = apr_pcalloc(dbd->pool, sizeof(*c));
    c->pool = dbd->pool;
    c->prefix = apr_pstrdup(dbd->pool, prefix);
    apr_pool_userdata_set(c, key, NULL, dbd->pool);    /* the key is copied */
    return c;
}

/* A connection from mod_dbd's pool, as a store; NULL when there is none. It
 * is taken with ap_dbd_open rather than ap_dbd_acquire, which would hold it
 * until the request's pool goes, after the body has reached the client: a
 * few slow clients would then stall every other request of the child. */
ap_dbd_t *mne_store_open(request_rec *r, ne_store_t *st)
{
    ap_dbd_t *dbd = mne_dbd_open ? mne_dbd_open(r->pool, r->server) : NULL;

    memset(st, 0, sizeof(*st));
    mne_log_for_request(r, &st->log);
    if (dbd != NULL) {
        st->driver = dbd->driver;
        st->handle = dbd->handle;
        st->conn = mne_store_conn(r, dbd);
        st->prepared = st->conn->prepared;
    }
    return dbd;
}

/* Why mod_dbd had no connection to give, where the module can tell: a
 * SQLite store that Apache's user cannot write (mod_dbd's own line above
 * says "attempt to write a readonly database" or "unable to open"). */
const char *mne_store_why_none(request_rec *r)
{
    const char *access = mne_store_access_problem(r);

    return access ? access : "no database connection (see mod_dbd's message above; check "
                             "DBDriver and DBDParams)";
}

/* What keeps Apache's user from a SQLite store, with the command that
 * mends it; NULL when it is not that (or not SQLite). */
const char *mne_store_access_problem(request_rec *r)
{
    dbd_cfg_t *cfg = mne_dbd_cfg(r->server);
    const char *file = cfg && cfg->name && strcmp(cfg->name, "sqlite3") == 0 ? cfg->params
                                                                            : NULL;
    char *dir, *user = NULL;

    if (file != NULL && *file == '/' && access(file, F_OK) == 0) {
        dir = ap_make_dirstr_parent(r->pool, file);
        if (access(file, R_OK | W_OK) != 0 || access(dir, W_OK | X_OK) != 0) {
            if (apr_uid_name_get(&user, getuid(), r->pool) != APR_SUCCESS) {
                user = apr_ltoa(r->pool, (long)getuid());
            }
            return apr_psprintf(r->pool, "Apache's user %s cannot write the SQLite store %s "
                                "or its folder %s; in WAL mode even a reader writes beside "
                                "the file: give both to that user (chown %s: %s %s)", user,
                                file, dir, user, file, dir);
        }
    }
    return NULL;
}

/* Back to mod_dbd's pool, once what the store gave is in the request's pool
 * (both drivers copy or keep rows in the pool they were read into). */
void mne_store_close(request_rec *r, ne_store_t *st, ap_dbd_t **dbd)
{
    if (*dbd != NULL) {
        mne_dbd_close(r->server, *dbd);
        *dbd = NULL;
        st->handle = NULL;
        st->prepared = NULL;
        st->conn = NULL;
    }
}

/* A pooled connection that failed, healed if it can be (then 1: try
 * again). SQLite keeps what it read in its page cache, a corrupt page
 * included: after a damaged file is repaired, the cache is dropped so that
 * the connection reads the file again. A change of the SQLite store's
 * schema (an index made or dropped, ANALYZE) fails every statement the
 * connection had prepared, for good: the APR DBD driver prepares with the
 * legacy sqlite3_prepare, which never prepares again by itself. After
 * PostgreSQL restarts, a pooled connection fails once ("server closed the
 * connection"), then libpq reconnects (apr_dbd_check_conn here, or at
 * mod_dbd's next check) into a new session without the prepared
 * statements. In the last two cases the connection forgets its statements,
 * and the request's next statement prepares them again. Other failures (a
 * statement timeout, a locked store) have nothing to heal. */
int mne_store_recover(request_rec *r, ne_store_t *st, ap_dbd_t *dbd, apr_status_t rv,
                      const char *prefix)
{
    int nrows;

    (void)dbd; (void)prefix;        /* the connection's state is st->conn */
    switch (rv) {
    case NE_STORE_ECORRUPT:
        apr_dbd_query(st->driver, st->handle, &nrows, "PRAGMA shrink_memory");
        return 1;
    case NE_STORE_ESCHEMA:
        ne_store_forget(st);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "the SQLite store's schema changed: "
                      "preparing the statements again on this connection");
        return 1;
    case NE_STORE_ESTALE:
        if (apr_dbd_check_conn(st->driver, r->pool, st->handle) != APR_SUCCESS) {
            return 0;
        }
        ne_store_forget(st);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "PostgreSQL connection checked "
                      "(reconnected if it was lost): preparing the statements again");
        return 1;
    default:
        return 0;
    }
}

/* The warning for a feature whose statements an older store's schema
 * cannot prepare: it names what mends it. */
static void mne_store_predates(request_rec *r, ne_store_t *st, apr_status_t rv,
                               const char *feature_is)
{
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, r, "%s not available for %s: the store's "
                  "schema predates it (%s); run 'newsevent upgrade' on the store", feature_is,
                  mne_site_name(r), st->error ? st->error : "");
}

/* A search on this connection, its statements prepared on first use, so
 * that a store older than search still serves everything else: that one
 * is APR_ENOTIMPL, logged with what mends it. */
apr_status_t mne_search_fetch(request_rec *r, ne_store_t *st, ap_dbd_t *dbd,
                              const char *prefix, ne_search_query_t *sq, ne_list_t **out)
{
    apr_status_t rv = ne_store_search_ready(st, dbd->pool, prefix);

    if (rv != APR_SUCCESS) {
        mne_store_predates(r, st, rv, "search is");
        return APR_ENOTIMPL;
    }
    return ne_store_search(st, r->pool, sq, out);
}

/* Why an event's URL has no event, where the store keeps deleted and moved
 * events (schema version 3; their statements prepared on first use): gone
 * (*gone set) or moved (*to_date, *to_slug set). APR_ENOENT for neither,
 * and on an older store, whose URLs without an event are plain 404s. */
apr_status_t mne_store_absence(request_rec *r, ne_store_t *st, ap_dbd_t *dbd,
                               const char *prefix, const char *date, const char *slug,
                               int *gone, const char **to_date, const char **to_slug)
{
    const char *when;
    apr_status_t rv = APR_SUCCESS;

    *gone = 0;
    if ((rv = ne_store_prepare_missing(st, dbd->pool, ne_store_gone_stmts, prefix))
        != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r, "no record of deleted or moved events: "
                      "%s", st->error ? st->error : "");
        return APR_ENOENT;
    }
    if ((rv = ne_store_gone(st, r->pool, date, slug, &when)) == APR_SUCCESS) {
        *gone = 1;
        return APR_SUCCESS;
    }
    return rv == APR_ENOENT ? ne_store_moved(st, r->pool, date, slug, to_date, to_slug) : rv;
}

/* The statements a write needs on this connection, prepared on first use:
 * the import's, the search index's upkeep, the edits, the derived data's
 * upkeep. A store older than schema version 4 has not the tables: a
 * warning names what mends it. */
apr_status_t mne_store_writes_ready(request_rec *r, ne_store_t *st, ap_dbd_t *dbd,
                                    const char *prefix)
{
    const ne_stmt_t *const lists[] = {
        ne_store_write_stmts, ne_store_edit_stmts, ne_store_gone_stmts,
        ne_store_derived_stmts, ne_store_upkeep_stmts,
        ne_store_dialect(apr_dbd_name(st->driver), ne_store_whole_sqlite3,
                         ne_store_whole_pgsql),
        ne_store_dialect(apr_dbd_name(st->driver), ne_store_upkeep_sqlite3,
                         ne_store_upkeep_pgsql),
        ne_store_dialect(apr_dbd_name(st->driver), ne_store_index_sqlite3,
                         ne_store_index_pgsql),
        ne_store_dialect(apr_dbd_name(st->driver), ne_store_lock_sqlite3,
                         ne_store_lock_pgsql), NULL
    };
    apr_status_t rv = APR_SUCCESS;
    int i;

    for (i = 0; lists[i] && rv == APR_SUCCESS; i++) {
        rv = ne_store_prepare_missing(st, dbd->pool, lists[i], prefix);
    }
    if (rv != APR_SUCCESS) {
        mne_store_predates(r, st, rv, "writes are");
    }
    return rv;
}
