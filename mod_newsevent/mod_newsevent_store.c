/* SPDX-License-Identifier: Apache-2.0 */
/* The store's glue: a connection from mod_dbd's pool as an ne_store_t, with
 * the module's statements on it; the core's log lines into Apache's error
 * log; and a pooled connection healed after a failure that can be healed. */
#include "mod_newsevent.h"

#include <string.h>

#include "apr_strings.h"
#include "http_log.h"

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
