#include "ne_store.h"
#include "ne_buf.h"
#include "ne_date.h"
#include "ne_text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

/* One topic's window: its events up to the day, newest first, and after
 * it, oldest first (parameters: topic, day, limit, topic, day, limit). */
#define NE_WINDOW_SQL \
    "SELECT event_id, day FROM (SELECT event_id, day FROM event_topics" \
    " WHERE topic_id = %d AND day <= %d ORDER BY day DESC, event_id DESC LIMIT %d) AS b" \
    " UNION ALL SELECT event_id, day FROM (SELECT event_id, day FROM event_topics" \
    " WHERE topic_id = %d AND day > %d ORDER BY day, event_id LIMIT %d) AS a"

const ne_stmt_t ne_store_read_stmts[] = {
    {"newsevent_event",
     "SELECT " NE_EVENT_COLS " FROM events WHERE date = %s AND slug = %s"},
    {"newsevent_sources",
     "SELECT name, url FROM sources WHERE event_id = %d ORDER BY pos"},
    {"newsevent_topics",
     "SELECT t.name, t.slug, t.id FROM event_topics et JOIN topics t ON t.id = et.topic_id"
     " WHERE et.event_id = %d ORDER BY et.pos"},
    /* The events of NE_WINDOW_TOPICS topics (one NE_WINDOW_SQL each)
     * nearest in time to a day, on either side: bounded ranges of
     * event_topics_by_topic, one statement. (Counting and ranking them in
     * SQL gives the same answer but costs SQLite more than these rows cost
     * us: tests/bench/README.md.) */
    {"newsevent_topic_windows",
     NE_WINDOW_SQL " UNION ALL " NE_WINDOW_SQL " UNION ALL "
     NE_WINDOW_SQL " UNION ALL " NE_WINDOW_SQL},
    /* NE_FILL_EVENTS (5) chosen related events, each with all its topics. */
    {"newsevent_related_fill",
     "SELECT e.id, e.date, e.slug, e.headline, et.topic_id FROM events e"
     " JOIN event_topics et ON et.event_id = e.id WHERE e.id IN (%d, %d, %d, %d, %d)"},
    {"newsevent_changed", "SELECT changed, generation FROM archive WHERE id = 1"},
    {NULL, NULL}
};

const char *const ne_store_tables[] = {
    "events", "sources", "topics", "event_topics", "days", "archive",
    "events_by_date", "event_topics_by_topic", NULL
};

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

apr_status_t ne_store_prepare(ne_store_t *st, apr_pool_t *pool, const ne_stmt_t *list,
                              const char *prefix)
{
    if (st->prepared == NULL) {
        st->prepared = apr_hash_make(pool);
    }
    for (; list->label != NULL; list++) {
        apr_dbd_prepared_t *stmt = NULL;
        int rc = apr_dbd_prepare(st->driver, pool, st->handle,
                                 ne_store_sql(pool, list->sql, prefix), list->label, &stmt);
        if (rc != 0) {
            return ne_store_fail(st, pool, list->label, rc);
        }
        apr_hash_set(st->prepared, list->label, APR_HASH_KEY_STRING, stmt);
    }
    return APR_SUCCESS;
}

apr_status_t ne_store_fail(ne_store_t *st, apr_pool_t *pool, const char *label, int rc)
{
    const char *msg = apr_dbd_error(st->driver, st->handle, rc);

    st->error = apr_psprintf(pool, "%s: %s", label, msg ? msg : "unknown error");
    return APR_EGENERAL;
}

apr_status_t ne_store_selectv(ne_store_t *st, apr_pool_t *pool, const char *label,
                              apr_dbd_results_t **res, int nargs, const char **args)
{
    apr_dbd_prepared_t *stmt = apr_hash_get(st->prepared, label, APR_HASH_KEY_STRING);
    int rc;

    if (stmt == NULL) {
        st->error = apr_psprintf(pool, "%s: statement not prepared", label);
        return APR_EGENERAL;
    }
    *res = NULL;
    /* Random access: the whole result is read at once, so rows can be
     * walked while other statements run on the same connection. */
    rc = apr_dbd_pselect(st->driver, pool, st->handle, res, stmt, 1, nargs, args);
    return rc == 0 ? APR_SUCCESS : ne_store_fail(st, pool, label, rc);
}

apr_status_t ne_store_select(ne_store_t *st, apr_pool_t *pool, const char *label,
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
    return ne_store_selectv(st, pool, label, res, i, args);
}

/* Rows are read in order to the end (-1). *row must start NULL: the pgsql
 * driver takes a non-NULL one as the previous row; it is NULL again at the
 * end, ready for the next result. */
int ne_store_row(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
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
const char *ne_store_col(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col)
{
    const char *v = apr_dbd_get_entry(st->driver, row, col);

    return v == NULL ? "" : ne_text_clean(pool, apr_pstrdup(pool, v));
}

void ne_store_read_event(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row,
                         ne_event_t *ev)
{
    ev->id = ne_store_col(st, pool, row, 0);
    ev->date = ne_store_col(st, pool, row, 1);
    ev->slug = ne_store_col(st, pool, row, 2);
    ev->category = ne_store_col(st, pool, row, 3);
    ev->story = ne_store_col(st, pool, row, 4);
    ev->headline = ne_store_col(st, pool, row, 5);
    ev->body = ne_store_col(st, pool, row, 6);
    ev->image = ne_store_col(st, pool, row, 7);
    ev->updated = ne_store_col(st, pool, row, 8);
}

/* Append every row of an NE_EVENT_COLS result to `into` (ne_event_t). */
apr_status_t ne_store_events(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                             apr_array_header_t *into)
{
    apr_dbd_row_t *row = NULL;

    while (ne_store_row(st, pool, res, &row)) {
        ne_event_t *ev = apr_array_push(into);
        memset(ev, 0, sizeof(*ev));
        ne_store_read_event(st, pool, row, ev);
    }
    return APR_SUCCESS;
}

apr_int64_t ne_store_int(ne_store_t *st, apr_dbd_row_t *row, int col)
{
    const char *v = apr_dbd_get_entry(st->driver, row, col);

    return v ? ne_text_int64(v) : 0;
}

void ne_store_push_source(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col,
                          ne_event_t *ev)
{
    ne_source_t *s = apr_array_push(ev->sources);

    s->name = ne_store_col(st, pool, row, col);
    s->url = ne_store_col(st, pool, row, col + 1);
}

void ne_store_push_topic(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col,
                         ne_event_t *ev)
{
    ne_topic_t *t = apr_array_push(ev->topics);

    t->name = ne_store_col(st, pool, row, col);
    t->slug = ne_store_col(st, pool, row, col + 1);
    t->id = ne_store_col(st, pool, row, col + 2);
}

typedef void ne_push_fn(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col,
                        ne_event_t *ev);

/* The rows of one event's sources or topics, each pushed onto its list. */
static apr_status_t ne_store_children(ne_store_t *st, apr_pool_t *pool, const char *label,
                                      ne_event_t *ev, ne_push_fn *push)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_store_select(st, pool, label, &res, 1, ev->id);

    while (rv == APR_SUCCESS && ne_store_row(st, pool, res, &row)) {
        push(st, pool, row, 0, ev);
    }
    return rv;
}

apr_status_t ne_store_sources(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev)
{
    ev->sources = apr_array_make(pool, 4, sizeof(ne_source_t));
    return ne_store_children(st, pool, "newsevent_sources", ev, ne_store_push_source);
}

apr_status_t ne_store_topics(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev)
{
    ev->topics = apr_array_make(pool, 8, sizeof(ne_topic_t));
    return ne_store_children(st, pool, "newsevent_topics", ev, ne_store_push_topic);
}

/* The day number of a stored date, for "nearest in time". */
static long ne_store_day_number(const char *date)
{
    ne_date_t d;

    return ne_date_parse(date, strlen(date), &d) ? ne_date_days(&d) : 0;
}

apr_status_t ne_store_event_row(ne_store_t *st, apr_pool_t *pool, const char *date,
                                const char *slug, ne_event_t **out)
{
    apr_dbd_results_t *res;
    apr_array_header_t *found = apr_array_make(pool, 1, sizeof(ne_event_t));
    apr_status_t rv = ne_store_select(st, pool, "newsevent_event", &res, 2, date, slug);

    if (rv != APR_SUCCESS || (rv = ne_store_events(st, pool, res, found)) != APR_SUCCESS) {
        return rv;
    }
    if (found->nelts == 0) {
        return APR_ENOENT;
    }
    *out = &APR_ARRAY_IDX(found, 0, ne_event_t);
    return APR_SUCCESS;
}

apr_status_t ne_store_event(ne_store_t *st, apr_pool_t *pool, const char *date,
                            const char *slug, int related_max, ne_event_t **out)
{
    ne_event_t *ev = NULL;
    apr_status_t rv = ne_store_event_row(st, pool, date, slug, &ev);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    if ((rv = ne_store_sources(st, pool, ev)) != APR_SUCCESS
        || (rv = ne_store_topics(st, pool, ev)) != APR_SUCCESS
        || (rv = ne_store_related(st, pool, ev, ne_store_day_number(ev->date),
                                  related_max)) != APR_SUCCESS) {
        return rv;
    }
    *out = ev;
    return APR_SUCCESS;
}

apr_status_t ne_store_changed(ne_store_t *st, apr_pool_t *pool, apr_time_t *changed,
                              apr_int64_t *generation)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    apr_status_t rv = ne_store_select(st, pool, "newsevent_changed", &res, 0);

    *changed = 0;
    *generation = 0;
    while (rv == APR_SUCCESS && ne_store_row(st, pool, res, &row)) {
        *changed = ne_timestamp_time(ne_store_col(st, pool, row, 0));
        *generation = apr_atoi64(ne_store_col(st, pool, row, 1));
    }
    return rv;
}
