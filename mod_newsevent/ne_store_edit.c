/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_edit: what editors do beyond the import's upsert (schema version
 * 3): delete an event (its URL then answers 410), make a URL live again,
 * and read what a URL without an event answers. Each runs inside the
 * caller's transaction, with ne_store_mark_changed last. */
#include "ne_store_write.h"
#include "ne_store_db.h"

#include <apr_strings.h>

static apr_status_t ne_edit_exec(ne_store_t *st, apr_pool_t *pool, const char *label,
                                 int nargs, const char **args)
{
    apr_dbd_prepared_t *stmt = apr_hash_get(st->prepared, label, APR_HASH_KEY_STRING);
    int nrows, rc;

    if (stmt == NULL) {
        st->error = apr_psprintf(pool, "%s: statement not prepared", label);
        return APR_EGENERAL;
    }
    rc = apr_dbd_pquery(st->driver, pool, st->handle, &nrows, stmt, nargs, args);
    return rc == 0 ? APR_SUCCESS : ne_db_fail(st, pool, label, rc);
}

apr_status_t ne_store_delete(ne_writer_t *w, apr_pool_t *pool, const char *date,
                             const char *slug, const char *now)
{
    ne_store_t *st = w->st;
    ne_event_t *ev = NULL;
    const char *gone[3] = {date, slug, now};
    apr_status_t rv = ne_store_event_row(st, pool, date, slug, &ev);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* The index first: it reads the texts it deletes from the event's rows. */
    if ((rv = ne_edit_exec(st, pool, "newsevent_w_unindex", 1, &ev->id)) != APR_SUCCESS
        || (rv = ne_edit_exec(st, pool, "newsevent_w_uncount_topics", 1, &ev->id))
           != APR_SUCCESS
        || (rv = ne_edit_exec(st, pool, "newsevent_w_drop_topics", 1, &ev->id)) != APR_SUCCESS
        || (rv = ne_edit_exec(st, pool, "newsevent_w_drop_sources", 1, &ev->id))
           != APR_SUCCESS
        || (rv = ne_edit_exec(st, pool, "newsevent_e_delete", 1, &ev->id)) != APR_SUCCESS
        || (rv = ne_edit_exec(st, pool, "newsevent_e_day_less", 1, &date)) != APR_SUCCESS
        || (rv = ne_edit_exec(st, pool, "newsevent_e_day_drop", 1, &date)) != APR_SUCCESS
        || (rv = ne_edit_exec(st, pool, "newsevent_e_moved_drop", 2, gone)) != APR_SUCCESS) {
        return rv;
    }
    return ne_edit_exec(st, pool, "newsevent_e_gone_add", 3, gone);
}

apr_status_t ne_store_revive(ne_writer_t *w, apr_pool_t *pool, const char *date,
                             const char *slug)
{
    const char *args[2] = {date, slug};
    apr_status_t rv = ne_edit_exec(w->st, pool, "newsevent_e_gone_drop", 2, args);

    return rv != APR_SUCCESS ? rv : ne_edit_exec(w->st, pool, "newsevent_e_moved_drop", 2,
                                                 args);
}

/* The first row's columns of a lookup by (date, slug); APR_ENOENT for none. */
static apr_status_t ne_edit_lookup(ne_store_t *st, apr_pool_t *pool, const char *label,
                                   const char *date, const char *slug, const char **a,
                                   const char **b)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, label, &res, 2, date, slug);
    int found = 0;

    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        if (!found++) {
            *a = ne_db_col(st, pool, row, 0);
            if (b != NULL) {
                *b = ne_db_col(st, pool, row, 1);
            }
        }
    }
    return rv != APR_SUCCESS ? rv : found ? APR_SUCCESS : APR_ENOENT;
}

apr_status_t ne_store_gone(ne_store_t *st, apr_pool_t *pool, const char *date,
                           const char *slug, const char **when)
{
    return ne_edit_lookup(st, pool, "newsevent_gone", date, slug, when, NULL);
}

apr_status_t ne_store_moved(ne_store_t *st, apr_pool_t *pool, const char *date,
                            const char *slug, const char **to_date, const char **to_slug)
{
    return ne_edit_lookup(st, pool, "newsevent_moved", date, slug, to_date, to_slug);
}
