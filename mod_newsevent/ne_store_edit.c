/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_edit: what editors do beyond the import's upsert (schema version
 * 3): delete an event (its URL then answers 410), make a URL live again,
 * and read what a URL without an event answers. Each runs inside the
 * caller's transaction, with ne_store_mark_changed last. */
#include "ne_store_write.h"
#include "ne_store_db.h"
#include "ne_date.h"

#include <string.h>

#include <apr_strings.h>

apr_status_t ne_store_write_lock(ne_store_t *st, apr_pool_t *pool, const char *prefix)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv;

    if (strcmp(apr_dbd_name(st->driver), "pgsql") != 0) {
        return APR_SUCCESS;                  /* SQLite: BEGIN IMMEDIATE holds it */
    }
    rv = ne_db_select(st, pool, "newsevent_e_lock", &res, 1,
                      apr_pstrcat(pool, "newsevent-write:", prefix ? prefix : "", NULL));
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
    }
    return rv;
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
    if ((rv = ne_store_upkeep_before(w, ev->id)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_w_unindex", 1, &ev->id)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_w_uncount_topics", 1, &ev->id))
           != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_w_drop_topics", 1, &ev->id)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_w_drop_sources", 1, &ev->id))
           != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_delete", 1, &ev->id)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_day_less", 1, &date)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_day_drop", 1, &date)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_moved_drop", 2, gone)) != APR_SUCCESS
        || (rv = ne_store_upkeep_after(w, ev->id)) != APR_SUCCESS) {
        return rv;
    }
    return ne_db_exec(st, pool, "newsevent_e_gone_add", 3, gone);
}

apr_status_t ne_store_revive(ne_writer_t *w, apr_pool_t *pool, const char *date,
                             const char *slug)
{
    const char *args[2] = {date, slug};
    apr_status_t rv = ne_db_exec(w->st, pool, "newsevent_e_gone_drop", 2, args);

    return rv != APR_SUCCESS ? rv : ne_db_exec(w->st, pool, "newsevent_e_moved_drop", 2,
                                                 args);
}

static const char *ne_edit_day(apr_pool_t *pool, const char *date)
{
    ne_date_t d;

    ne_date_parse(date, strlen(date), &d);
    return apr_ltoa(pool, ne_date_days(&d));
}

apr_status_t ne_store_move(ne_writer_t *w, apr_pool_t *pool, const char *from_date,
                           const char *from_slug, const char *to_date, const char *to_slug,
                           const char *now, int overwrite, int *replaced)
{
    ne_store_t *st = w->st;
    ne_event_t *ev = NULL, *there = NULL;
    const char *day = ne_edit_day(pool, to_date);
    const char *move[4] = {to_date, day, to_slug, NULL};
    const char *link[2] = {day, NULL};
    const char *moved[5] = {from_date, from_slug, to_date, to_slug, now};
    const char *retarget[4] = {to_date, to_slug, from_date, from_slug};
    apr_status_t rv = ne_store_event_row(st, pool, from_date, from_slug, &ev);

    *replaced = 0;
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (strcmp(from_date, to_date) == 0 && strcmp(from_slug, to_slug) == 0) {
        st->error = "the destination is the event's own address";
        return APR_EINVAL;
    }
    rv = ne_store_event_row(st, pool, to_date, to_slug, &there);
    if (rv == APR_SUCCESS && !overwrite) {
        return APR_EEXIST;
    }
    if (rv == APR_SUCCESS) {
        *replaced = 1;
        rv = ne_store_delete(w, pool, to_date, to_slug, now);
    }
    move[3] = link[1] = ev->id;
    if ((rv != APR_SUCCESS && rv != APR_ENOENT)
        || (rv = ne_store_upkeep_before(w, ev->id)) != APR_SUCCESS
        || (rv = ne_store_revive(w, pool, to_date, to_slug)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_move", 4, move)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_move_topics", 2, link)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_day_less", 1, &from_date)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_day_drop", 1, &from_date)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_day_more", 1, &to_date)) != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_moved_retarget", 4, retarget))
           != APR_SUCCESS
        || (rv = ne_db_exec(st, pool, "newsevent_e_moved_add", 5, moved)) != APR_SUCCESS
        || (rv = ne_store_upkeep_after(w, ev->id)) != APR_SUCCESS) {
        return rv;
    }
    return ne_db_exec(st, pool, "newsevent_e_moved_loops", 0, NULL);
}

apr_status_t ne_store_remember(ne_writer_t *w, apr_pool_t *pool, const char *date,
                               const char *slug, const char *to_date, const char *to_slug,
                               const char *when)
{
    const char *gone[3] = {date, slug, when};
    const char *moved[5] = {date, slug, to_date, to_slug, when};

    return to_date == NULL ? ne_db_exec(w->st, pool, "newsevent_e_gone_add", 3, gone)
                           : ne_db_exec(w->st, pool, "newsevent_e_moved_add", 5, moved);
}

apr_status_t ne_store_each_absent(ne_store_t *st, apr_pool_t *pool, ne_store_absent_fn fn,
                                  void *baton)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_e_all_gone", &res, 0), stop = 0;

    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        if (stop == 0) {
            stop = fn(baton, ne_db_col(st, pool, row, 0), ne_db_col(st, pool, row, 1), NULL,
                      NULL, ne_db_col(st, pool, row, 2));
        }
    }
    if (rv != APR_SUCCESS || stop != 0
        || (rv = ne_db_select(st, pool, "newsevent_e_all_moved", &res, 0)) != APR_SUCCESS) {
        return rv != APR_SUCCESS ? rv : stop;
    }
    while (ne_db_row(st, pool, res, &row)) {
        if (stop == 0) {
            stop = fn(baton, ne_db_col(st, pool, row, 0), ne_db_col(st, pool, row, 1),
                      ne_db_col(st, pool, row, 2), ne_db_col(st, pool, row, 3),
                      ne_db_col(st, pool, row, 4));
        }
    }
    return stop;
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
