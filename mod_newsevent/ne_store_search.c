/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_search: full-text search (schema version 2), a page of matches
 * with their snippets and the number of all, both bounded (the statements
 * say how: ne_store_stmts.c). The statements are each
 * driver's own (ne_store_search_sqlite3, _pgsql) and must be prepared on
 * the connection first (ne_store_search_ready). */
#include "ne_store.h"
#include "ne_store_db.h"
#include "ne_search.h"
#include "ne_search_rank.h"
#include "ne_text.h"
#include "ne_buf.h"

#include <string.h>
#include <apr_strings.h>
#include <apr_lib.h>

apr_status_t ne_store_search_ready(ne_store_t *st, apr_pool_t *pool, const char *prefix)
{
    if (st->prepared != NULL
        && apr_hash_get(st->prepared, "newsevent_search_rank", APR_HASH_KEY_STRING)) {
        return APR_SUCCESS;
    }
    /* Once a connection: FTS5 would add the function again each time. */
    if (strcmp(apr_dbd_name(st->driver), "sqlite3") == 0
        && (st->conn == NULL || !st->conn->rank_registered)) {
        if (ne_search_rank_register(apr_dbd_native_handle(st->driver, st->handle))
            != SQLITE_OK) {
            st->error = "newsevent_search_rank: FTS5 refused the rank function";
            return APR_EGENERAL;
        }
        if (st->conn != NULL) {
            st->conn->rank_registered = 1;
        }
    }
    return ne_store_prepare_missing(st, pool, ne_store_dialect(apr_dbd_name(st->driver),
                                                       ne_store_search_sqlite3,
                                                       ne_store_search_pgsql), prefix);
}

/* A snippet as the store gives it, each piece between the marks cleaned
 * like any stored text, the marks kept (a mark left open is closed). */
static const char *ne_store_snippet(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row,
                                    int col)
{
    const char *v = apr_dbd_get_entry(st->driver, row, col), *p;
    char *out, *o;
    int open = 0;

    if (v == NULL) {
        return "";
    }
    out = o = apr_palloc(pool, strlen(v) + 2);
    for (p = v; *p; ) {
        apr_size_t n = strcspn(p, "\001\002");
        const char *piece = ne_text_clean(pool, apr_pstrmemdup(pool, p, n));
        memcpy(o, piece, strlen(piece));
        o += strlen(piece);
        p += n;
        if (*p == NE_MARK_START && !open) {
            *o++ = NE_MARK_START;
            open = 1;
        }
        else if (*p == NE_MARK_END && open) {
            *o++ = NE_MARK_END;
            open = 0;
        }
        p += *p != '\0';
    }
    if (open) {
        *o++ = NE_MARK_END;
    }
    *o = '\0';
    return out;
}

/* The name of the topic a search is filtered by, when it has a letter or
 * digit: "" for none, an unknown topic or a name without a word. It goes
 * into the store's own query too (the MATCH, the tsquery), so that the
 * index intersects the reader's words with it rather than the statement
 * walking the words' matches until enough are in the topic
 * (tests/bench/README.md, "Search"). The exact filter stays: a name's
 * words may be in other topics' names. */
static apr_status_t ne_store_search_topic_name(ne_store_t *st, apr_pool_t *pool,
                                               const char *slug, const char **name)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    const char *found = NULL, *p;
    apr_status_t rv = APR_SUCCESS;
    int word = 0;

    *name = "";
    if (slug == NULL || *slug == '\0') {
        return APR_SUCCESS;
    }
    rv = ne_db_select(st, pool, "newsevent_topic", &res, 1, slug);
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        found = ne_db_col(st, pool, row, 1);
    }
    for (p = found; p != NULL && *p && !word; p++) {
        word = apr_isalnum(*p) || (unsigned char)*p >= 0x80;
    }
    *name = word ? found : "";
    return rv;
}

/* On SQLite: `(query) AND topic_names : "Name"`, quotes doubled. */
static const char *ne_store_search_fts5_topic(apr_pool_t *pool, const char *match,
                                              const char *name)
{
    ne_buf_t *b = ne_buf_make(pool, strlen(match) + strlen(name) + 32);
    const char *p;

    ne_buf_cat(b, "(", match, ") AND topic_names : \"", NULL);
    for (p = name; *p; p++) {                 /* an FTS5 string: " doubled */
        if (*p == '"') {
            ne_buf_putc(b, '"');
        }
        ne_buf_putc(b, *p);
    }
    ne_buf_putc(b, '"');
    return ne_buf_str(b);
}

/* A date range also as a span of ids (*lo, *hi: a superset of its
 * events' ids, the date filter staying), when it holds at most
 * NE_SEARCH_SPAN_EVENTS events: finding the span reads one range of
 * events_by_date. Else, and with no range, every id (NE_SEARCH_ID_MAX). */
#define NE_SEARCH_SPAN_EVENTS 200000
#define NE_SEARCH_ID_MAX "9223372036854775807"
static apr_status_t ne_store_search_span(ne_store_t *st, apr_pool_t *pool,
                                         const ne_search_query_t *q, const char **lo,
                                         const char **hi)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_int64_t events = NE_SEARCH_SPAN_EVENTS + 1;
    apr_status_t rv = APR_SUCCESS;

    *lo = "0";
    *hi = NE_SEARCH_ID_MAX;
    if (strcmp(q->from, NE_SEARCH_FROM_ANY) == 0 && strcmp(q->to, NE_SEARCH_TO_ANY) == 0) {
        return APR_SUCCESS;
    }
    rv = ne_db_select(st, pool, "newsevent_search_span", &res, 2, q->from, q->to);
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        events = ne_db_int(st, row, 0);
    }
    if (rv != APR_SUCCESS || events > NE_SEARCH_SPAN_EVENTS) {
        return rv;
    }
    rv = ne_db_select(st, pool, "newsevent_search_ids", &res, 2, q->from, q->to);
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        *lo = ne_db_col(st, pool, row, 0);
        *hi = ne_db_col(st, pool, row, 1);
    }
    return rv;
}

/* One statement's page: its events, and how many candidates it read. */
static apr_status_t ne_store_search_rows(ne_store_t *st, apr_pool_t *pool, const char *label,
                                         int nargs, const char **args, ne_group_t *g,
                                         int *matches)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_db_selectv(st, pool, label, &res, nargs, args);

    *matches = 0;
    apr_array_clear(g->events);
    while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
        ne_event_t *ev = apr_array_push(g->events);
        memset(ev, 0, sizeof(*ev));
        ne_db_read_event(st, pool, row, ev);
        ev->snippet = ne_store_snippet(st, pool, row, 9);
        *matches = (int)ne_db_int(st, row, 10);
    }
    return rv;
}

/* SQLite: the topic's name in the MATCH, a date range's span of ids, then
 * one statement. Its parameters: (the rank's: how many phrases are the
 * reader's), the query, the filters, the span, the page's size and offset,
 * the query again (for the snippets). */
static apr_status_t ne_store_search_sqlite(ne_store_t *st, apr_pool_t *pool,
                                           const ne_search_query_t *q, const char *page[2],
                                           ne_group_t *g, int *matches)
{
    const char *all[11] = {apr_itoa(pool, ne_search_scored(q->search)),
                           ne_search_fts5(pool, q->search), q->from, q->to, q->topic, q->topic,
                           NULL, NULL, page[0], page[1], NULL};
    const char *name;
    apr_status_t rv;

    if ((rv = ne_store_search_topic_name(st, pool, q->topic, &name)) != APR_SUCCESS
        || (rv = ne_store_search_span(st, pool, q, &all[6], &all[7])) != APR_SUCCESS) {
        return rv;
    }
    if (*name) {
        all[1] = ne_store_search_fts5_topic(pool, all[1], name);
    }
    all[10] = all[1];
    return q->by_date ? ne_store_search_rows(st, pool, "newsevent_search_date", 10, all + 1, g,
                                             matches)
                      : ne_store_search_rows(st, pool, "newsevent_search_rank", 11, all, g,
                                             matches);
}

/* PostgreSQL: the newest NE_SEARCH_WINDOW ids of the span first. When
 * they hold fewer than the candidates (and are not the whole span), a
 * window grown to what the density found there says would hold them (a
 * quarter more), up to NE_SEARCH_WINDOW_MAX; then the whole index.
 * Parameters: the query, the topic's name (twice), (the window), the
 * filters, the page's size and offset. */
static apr_status_t ne_store_search_pg(ne_store_t *st, apr_pool_t *pool,
                                       const ne_search_query_t *q, const char *page[2],
                                       ne_group_t *g, int *matches)
{
    const char *args[11] = {ne_search_websearch(pool, q->search), "", "", NULL, NULL, q->from,
                            q->to, q->topic, q->topic, page[0], page[1]};
    const char *lo = "0", *hi = NE_SEARCH_ID_MAX;
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_int64_t first, last, window = NE_SEARCH_WINDOW;
    apr_status_t rv = ne_store_search_topic_name(st, pool, q->topic, &args[1]);

    args[2] = args[1];
    if (rv == APR_SUCCESS) {
        rv = ne_store_search_span(st, pool, q, &lo, &hi);
    }
    if (rv == APR_SUCCESS && strcmp(hi, NE_SEARCH_ID_MAX) == 0) {
        rv = ne_db_select(st, pool, "newsevent_search_last", &res, 0);
        while (rv == APR_SUCCESS && ne_db_row(st, pool, res, &row)) {
            hi = ne_db_col(st, pool, row, 0);
        }
    }
    first = apr_atoi64(lo);
    last = apr_atoi64(hi);
    while (rv == APR_SUCCESS) {
        args[3] = apr_psprintf(pool, "%" APR_INT64_T_FMT,
                               last - first >= window ? last - window + 1 : first);
        args[4] = hi;
        rv = ne_store_search_rows(st, pool, q->by_date ? "newsevent_search_newest_date"
                                                       : "newsevent_search_newest_rank",
                                  11, args, g, matches);
        if (rv != APR_SUCCESS || last - first < window || *matches > NE_SEARCH_CANDIDATES) {
            return rv;
        }
        if (*matches == 0 || (window = window * (NE_SEARCH_CANDIDATES + 1) / *matches * 5 / 4)
                             > NE_SEARCH_WINDOW_MAX) {
            break;                             /* nothing to go by, or too far */
        }
    }
    if (rv == APR_SUCCESS) {                   /* the same, without the window */
        const char *all[9] = {args[0], args[1], args[2], args[5], args[6], args[7], args[8],
                              args[9], args[10]};
        rv = ne_store_search_rows(st, pool, q->by_date ? "newsevent_search_date"
                                                       : "newsevent_search_rank",
                                  9, all, g, matches);
    }
    return rv;
}

apr_status_t ne_store_search(ne_store_t *st, apr_pool_t *pool, const ne_search_query_t *q,
                             ne_list_t **out)
{
    int size = q->page_size > 0 ? q->page_size : 1, matches = 0;
    ne_list_t *l = apr_pcalloc(pool, sizeof(*l));
    const char *page[2];
    ne_group_t *g;
    apr_status_t rv;

    l->kind = NE_LIST_SEARCH;
    l->key = q->key;
    l->name = q->search->text;
    l->page = q->page > 0 ? q->page : 1;
    l->groups = apr_array_make(pool, 1, sizeof(ne_group_t));
    g = apr_array_push(l->groups);
    g->key = "";
    g->events = apr_array_make(pool, size, sizeof(ne_event_t));
    page[0] = apr_itoa(pool, size);
    page[1] = apr_itoa(pool, (l->page - 1) * size);
    rv = strcmp(apr_dbd_name(st->driver), "pgsql") == 0
         ? ne_store_search_pg(st, pool, q, page, g, &matches)
         : ne_store_search_sqlite(st, pool, q, page, g, &matches);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (g->events->nelts == 0 && l->page > 1) {
        return APR_ENOENT;                     /* no results is a page; past them is not */
    }
    /* The candidates are what pages reach; one more says there are more. */
    l->total = matches > NE_SEARCH_CANDIDATES ? NE_SEARCH_CANDIDATES : matches;
    l->total_capped = matches > NE_SEARCH_CANDIDATES;
    l->pages = (l->total + size - 1) / size;
    g->count = l->shown = g->events->nelts;
    *out = l;
    return APR_SUCCESS;
}
