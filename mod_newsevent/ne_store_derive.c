/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_derive: derived data read as stored (schema version 4;
 * docs/design.md, "Derived data"): an event's related list and a topic's
 * companions are one row each, kept by every change (ne_store_upkeep.c);
 * what they name is read by primary key, so headlines and names are the
 * current ones. A store older than version 4, a list missing or a site
 * asking for more than is stored: computed as read, as before. */
#include "ne_store.h"
#include "ne_store_db.h"
#include "ne_derive.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

/* Whether the connection can read stored derived data: its statements are
 * prepared on first use; a store that predates them is remembered (until
 * the statements are forgotten, as after a schema change) and logged once. */
int ne_store_derived_ready(ne_store_t *st, apr_pool_t *pool)
{
    ne_store_conn_t *c = st->conn;

    if (st->prepared != NULL
        && apr_hash_get(st->prepared, "newsevent_related_list", APR_HASH_KEY_STRING)) {
        return 1;
    }
    if (c == NULL || c->derived_absent) {
        return 0;                 /* the tool prepares what its store has */
    }
    if (ne_store_prepare_missing(st, pool, ne_store_derived_stmts, NULL) == APR_SUCCESS
        && ne_store_prepare_missing(st, pool, ne_store_dialect(apr_dbd_name(st->driver),
                                                               ne_store_whole_sqlite3,
                                                               ne_store_whole_pgsql),
                                    NULL) == APR_SUCCESS) {
        return 1;
    }
    c->derived_absent = 1;
    ne_log(&st->log, NE_LOG_MARK, NE_LOG_WARNING, 0, "related events and topic companions "
           "are computed as they are read, not stored: the store's schema predates their "
           "storage (%s); run 'newsevent upgrade' on it", st->error ? st->error : "");
    return 0;
}

apr_status_t ne_store_derived_text(ne_store_t *st, apr_pool_t *pool, const char *label,
                                   const char *id, const char **text)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, label, &res, 1, id);

    *text = NULL;
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        *text = ne_db_col(st, pool, row, 0);
    }
    return rv != APR_SUCCESS ? rv : *text ? APR_SUCCESS : APR_ENOENT;
}

/* What a named row holds after its id: up to three columns. */
typedef struct ne_named {
    const char *col[3];
} ne_named_t;

/* The rows `label` gives for the items' ids (ten parameters, "0" for
 * none), in an array indexed as items is: NULL where no row came. */
static apr_status_t ne_derived_rows(ne_store_t *st, apr_pool_t *pool, const char *label,
                                    apr_array_header_t *items, int ncols, ne_named_t ***rows)
{
    const char *args[NE_RELATED_STORED];
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv;
    int i;

    *rows = apr_pcalloc(pool, sizeof(ne_named_t *) * (items->nelts + 1));
    for (i = 0; i < NE_RELATED_STORED; i++) {
        args[i] = i < items->nelts
                  ? apr_psprintf(pool, "%" APR_INT64_T_FMT,
                                 APR_ARRAY_IDX(items, i, ne_derived_item_t).id)
                  : "0";
    }
    if ((rv = ne_db_selectv(st, pool, label, &res, NE_RELATED_STORED, args)) != APR_SUCCESS) {
        return rv;
    }
    while (ne_db_row(st, pool, res, &row)) {
        apr_int64_t id = ne_db_int(st, row, 0);
        ne_named_t *named = apr_pcalloc(pool, sizeof(*named));
        int c;
        for (c = 0; c < ncols; c++) {
            named->col[c] = ne_db_col(st, pool, row, c + 1);
        }
        for (i = 0; i < items->nelts; i++) {
            if (APR_ARRAY_IDX(items, i, ne_derived_item_t).id == id) {
                (*rows)[i] = named;
            }
        }
    }
    return APR_SUCCESS;
}

/* A stored related event: its row, and the names of ev's topics at the
 * places the list gives. */
static void ne_derived_related_push(apr_pool_t *pool, ne_event_t *ev,
                                    const ne_derived_item_t *it, const ne_named_t *row)
{
    ne_related_t *rel = apr_array_push(ev->related);
    int k;

    rel->id = it->id;
    rel->date = row->col[0];
    rel->slug = row->col[1];
    rel->headline = row->col[2];
    rel->context = apr_array_make(pool, it->n > 0 ? it->n : 1, sizeof(const char *));
    for (k = 0; k < it->n; k++) {
        if (it->places[k] >= 1 && it->places[k] <= ev->topics->nelts) {
            APR_ARRAY_PUSH(rel->context, const char *) =
                APR_ARRAY_IDX(ev->topics, it->places[k] - 1, ne_topic_t).name;
        }
    }
}

apr_status_t ne_store_related(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev, long day,
                              int max)
{
    return ne_store_related_listed(st, pool, ev, day, max, NULL);
}

apr_status_t ne_store_related_listed(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev,
                                     long day, int max, const char *text)
{
    apr_array_header_t *items;
    ne_named_t **rows;
    apr_status_t rv = text == NULL || strcmp(text, "-") != 0 ? APR_SUCCESS : APR_ENOENT;
    int i;

    if (max <= 0 || ev->topics->nelts == 0 || max > NE_RELATED_STORED || rv == APR_ENOENT
        || (text == NULL && !ne_store_derived_ready(st, pool))
        || (text == NULL && (rv = ne_store_derived_text(st, pool, "newsevent_related_list",
                                                        ev->id, &text)) == APR_ENOENT)
        || (rv == APR_SUCCESS && !ne_derived_parse(pool, text, 1, max, &items))) {
        return ne_store_related_computed(st, pool, ev, day, max);
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    ev->related = apr_array_make(pool, items->nelts + 1, sizeof(ne_related_t));
    if (items->nelts == 0) {
        return APR_SUCCESS;
    }
    if ((rv = ne_derived_rows(st, pool, "newsevent_related_rows", items, 3, &rows))
        != APR_SUCCESS) {
        return rv;
    }
    for (i = 0; i < items->nelts; i++) {
        if (rows[i] != NULL) {
            ne_derived_related_push(pool, ev, &APR_ARRAY_IDX(items, i, ne_derived_item_t),
                                    rows[i]);
        }
    }
    return APR_SUCCESS;
}

/* The read-time rule: newsevent_topic_companions. */
apr_status_t ne_store_companions_computed(ne_store_t *st, apr_pool_t *pool,
                                          const char *topic_id, apr_array_header_t **out)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_select(st, pool, "newsevent_topic_companions", &res, 2, topic_id,
                                   topic_id);

    *out = apr_array_make(pool, 10, sizeof(ne_topic_count_t));
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        ne_topic_count_t *t = apr_array_push(*out);
        t->name = ne_db_col(st, pool, row, 0);
        t->slug = ne_db_col(st, pool, row, 1);
        t->count = atoi(ne_db_col(st, pool, row, 2));
        t->id = ne_db_int(st, row, 3);
    }
    return rv;
}

apr_status_t ne_store_companions(ne_store_t *st, apr_pool_t *pool, const char *topic_id,
                                 apr_array_header_t **out)
{
    apr_array_header_t *items;
    ne_named_t **rows;
    const char *text;
    apr_status_t rv;
    int i;

    if (!ne_store_derived_ready(st, pool)
        || (rv = ne_store_derived_text(st, pool, "newsevent_companions_list", topic_id, &text))
           == APR_ENOENT
        || (rv == APR_SUCCESS && !ne_derived_parse(pool, text, 0, NE_COMPANIONS_SHOWN,
                                                   &items))) {
        return ne_store_companions_computed(st, pool, topic_id, out);
    }
    *out = apr_array_make(pool, NE_COMPANIONS_SHOWN, sizeof(ne_topic_count_t));
    if (rv != APR_SUCCESS || items->nelts == 0
        || (rv = ne_derived_rows(st, pool, "newsevent_companions_rows", items, 2, &rows))
           != APR_SUCCESS) {
        return rv;
    }
    for (i = 0; i < items->nelts; i++) {
        const ne_derived_item_t *it = &APR_ARRAY_IDX(items, i, ne_derived_item_t);
        ne_topic_count_t *t;
        if (rows[i] == NULL) {
            continue;
        }
        t = apr_array_push(*out);
        t->id = it->id;
        t->count = it->n;
        t->name = rows[i]->col[0];
        t->slug = rows[i]->col[1];
    }
    return APR_SUCCESS;
}
