#include "ne_store.h"
#include "ne_text.h"
#include "ne_date.h"

#include <stdarg.h>
#include <string.h>
#include <apr_strings.h>

const ne_stmt_t ne_store_read_stmts[] = {
    {"newsevent_event",
     "SELECT " NE_EVENT_COLS " FROM events WHERE date = %s AND slug = %s"},
    {"newsevent_sources",
     "SELECT name, url FROM sources WHERE event_id = %d ORDER BY pos"},
    {"newsevent_topics",
     "SELECT t.name, t.slug FROM event_topics et JOIN topics t ON t.id = et.topic_id"
     " WHERE et.event_id = %d ORDER BY et.pos"},
    /* Events sharing topics: most shared first, then nearest in time, then
     * newest. Walks event_topics_by_topic from this event's topics. */
    {"newsevent_related",
     "SELECT e.id, e.date, e.slug, e.headline, e.updated, COUNT(*) AS shared"
     " FROM event_topics mine"
     " JOIN event_topics other ON other.topic_id = mine.topic_id"
     " AND other.event_id <> mine.event_id"
     " JOIN events e ON e.id = other.event_id"
     " WHERE mine.event_id = %d"
     " GROUP BY e.id, e.date, e.slug, e.headline, e.updated, e.day"
     " ORDER BY shared DESC, ABS(e.day - %d), e.day DESC, e.id DESC"
     " LIMIT %d"},
    /* The topics two events share, in the first event's order. */
    {"newsevent_context",
     "SELECT t.name FROM event_topics mine"
     " JOIN event_topics other ON other.topic_id = mine.topic_id"
     " JOIN topics t ON t.id = mine.topic_id"
     " WHERE mine.event_id = %d AND other.event_id = %d ORDER BY mine.pos"},
    {"newsevent_day",
     "SELECT " NE_EVENT_COLS " FROM events WHERE date = %s ORDER BY id"},
    {"newsevent_day_prev",
     "SELECT date FROM events WHERE date < %s ORDER BY date DESC LIMIT 1"},
    {"newsevent_day_next",
     "SELECT date FROM events WHERE date > %s ORDER BY date LIMIT 1"},
    {NULL, NULL}
};

apr_status_t ne_store_prepare(ne_store_t *st, apr_pool_t *pool, const ne_stmt_t *list)
{
    if (st->prepared == NULL) {
        st->prepared = apr_hash_make(pool);
    }
    for (; list->label != NULL; list++) {
        apr_dbd_prepared_t *stmt = NULL;
        int rc = apr_dbd_prepare(st->driver, pool, st->handle, list->sql,
                                 list->label, &stmt);
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

apr_status_t ne_store_select(ne_store_t *st, apr_pool_t *pool, const char *label,
                             apr_dbd_results_t **res, int nargs, ...)
{
    apr_dbd_prepared_t *stmt = apr_hash_get(st->prepared, label, APR_HASH_KEY_STRING);
    const char *args[8];
    va_list ap;
    int i, rc;

    if (stmt == NULL) {
        st->error = apr_psprintf(pool, "%s: statement not prepared", label);
        return APR_EGENERAL;
    }
    va_start(ap, nargs);
    for (i = 0; i < nargs && i < 8; i++) {
        args[i] = va_arg(ap, const char *);
    }
    va_end(ap);
    *res = NULL;
    /* Random access: the whole result is read at once, so rows can be
     * walked while other statements run on the same connection. */
    rc = apr_dbd_pselect(st->driver, pool, st->handle, res, stmt, 1, nargs, args);
    return rc == 0 ? APR_SUCCESS : ne_store_fail(st, pool, label, rc);
}

/* Rows are read in order to the end (-1). */
int ne_store_row(ne_store_t *st, apr_pool_t *pool, apr_dbd_results_t *res,
                 apr_dbd_row_t **row)
{
    return apr_dbd_get_row(st->driver, pool, res, row, -1) == 0;
}

/* Text of a column: "" for NULL (SQLite) as for PostgreSQL, and cleaned so
 * that every format can carry it whatever was written to the store. */
const char *ne_store_col(ne_store_t *st, apr_pool_t *pool, apr_dbd_row_t *row, int col)
{
    const char *v = apr_dbd_get_entry(st->driver, row, col);

    return v == NULL ? "" : ne_text_clean(pool, v);
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

apr_status_t ne_store_sources(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    apr_status_t rv = ne_store_select(st, pool, "newsevent_sources", &res, 1, ev->id);

    ev->sources = apr_array_make(pool, 4, sizeof(ne_source_t));
    while (rv == APR_SUCCESS && ne_store_row(st, pool, res, &row)) {
        ne_source_t *s = apr_array_push(ev->sources);
        s->name = ne_store_col(st, pool, row, 0);
        s->url = ne_store_col(st, pool, row, 1);
    }
    return rv;
}

apr_status_t ne_store_topics(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    apr_status_t rv = ne_store_select(st, pool, "newsevent_topics", &res, 1, ev->id);

    ev->topics = apr_array_make(pool, 8, sizeof(ne_topic_t));
    while (rv == APR_SUCCESS && ne_store_row(st, pool, res, &row)) {
        ne_topic_t *t = apr_array_push(ev->topics);
        t->name = ne_store_col(st, pool, row, 0);
        t->slug = ne_store_col(st, pool, row, 1);
    }
    return rv;
}

static apr_status_t ne_store_context(ne_store_t *st, apr_pool_t *pool, const char *id,
                                     const char *other_id, ne_related_t *rel)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    apr_status_t rv = ne_store_select(st, pool, "newsevent_context", &res, 2, id, other_id);

    rel->context = apr_array_make(pool, 4, sizeof(const char *));
    while (rv == APR_SUCCESS && ne_store_row(st, pool, res, &row)) {
        APR_ARRAY_PUSH(rel->context, const char *) = ne_store_col(st, pool, row, 0);
    }
    return rv;
}

static apr_status_t ne_store_related(ne_store_t *st, apr_pool_t *pool, ne_event_t *ev,
                                     long day, int max)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    apr_array_header_t *ids = apr_array_make(pool, max > 0 ? max : 1, sizeof(const char *));
    apr_status_t rv = APR_SUCCESS;
    int i;

    ev->related = apr_array_make(pool, max > 0 ? max : 1, sizeof(ne_related_t));
    if (max <= 0 || ev->topics->nelts == 0) {
        return APR_SUCCESS;
    }
    rv = ne_store_select(st, pool, "newsevent_related", &res, 3, ev->id,
                         apr_ltoa(pool, day), apr_itoa(pool, max));
    while (rv == APR_SUCCESS && ne_store_row(st, pool, res, &row)) {
        ne_related_t *rel = apr_array_push(ev->related);
        APR_ARRAY_PUSH(ids, const char *) = ne_store_col(st, pool, row, 0);
        rel->date = ne_store_col(st, pool, row, 1);
        rel->slug = ne_store_col(st, pool, row, 2);
        rel->headline = ne_store_col(st, pool, row, 3);
        rel->updated = ne_store_col(st, pool, row, 4);
    }
    for (i = 0; rv == APR_SUCCESS && i < ev->related->nelts; i++) {
        rv = ne_store_context(st, pool, ev->id, APR_ARRAY_IDX(ids, i, const char *),
                              &APR_ARRAY_IDX(ev->related, i, ne_related_t));
    }
    return rv;
}

/* The day number of a stored date, for "nearest in time". */
static long ne_store_day_number(const char *date)
{
    ne_date_t d;

    return ne_date_parse(date, strlen(date), &d) ? ne_date_days(&d) : 0;
}

apr_status_t ne_store_event(ne_store_t *st, apr_pool_t *pool, const char *date,
                            const char *slug, int related_max, ne_event_t **out)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    ne_event_t *ev = NULL;
    apr_status_t rv = ne_store_select(st, pool, "newsevent_event", &res, 2, date, slug);

    while (rv == APR_SUCCESS && ne_store_row(st, pool, res, &row)) {
        ev = apr_pcalloc(pool, sizeof(*ev));
        ne_store_read_event(st, pool, row, ev);
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (ev == NULL) {
        return APR_ENOENT;
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

/* The one date a neighbour query returns, or NULL. */
static apr_status_t ne_store_neighbour(ne_store_t *st, apr_pool_t *pool, const char *label,
                                       const char *date, const char **out)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    apr_status_t rv = ne_store_select(st, pool, label, &res, 1, date);

    *out = NULL;
    while (rv == APR_SUCCESS && ne_store_row(st, pool, res, &row)) {
        *out = ne_store_col(st, pool, row, 0);
    }
    return rv;
}

apr_status_t ne_store_day(ne_store_t *st, apr_pool_t *pool, const char *date,
                          ne_day_t **out)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    ne_day_t *day = apr_pcalloc(pool, sizeof(*day));
    apr_status_t rv = ne_store_select(st, pool, "newsevent_day", &res, 1, date);

    day->date = date;
    day->events = apr_array_make(pool, 16, sizeof(ne_event_t));
    while (rv == APR_SUCCESS && ne_store_row(st, pool, res, &row)) {
        ne_event_t *ev = apr_array_push(day->events);
        memset(ev, 0, sizeof(*ev));
        ne_store_read_event(st, pool, row, ev);
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (day->events->nelts == 0) {
        return APR_ENOENT;
    }
    if ((rv = ne_store_neighbour(st, pool, "newsevent_day_prev", date, &day->prev))
        != APR_SUCCESS
        || (rv = ne_store_neighbour(st, pool, "newsevent_day_next", date, &day->next))
        != APR_SUCCESS) {
        return rv;
    }
    *out = day;
    return APR_SUCCESS;
}

apr_time_t ne_event_mtime(const ne_event_t *ev)
{
    apr_time_t t = ne_timestamp_time(ev->updated), r;
    int i;

    for (i = 0; ev->related && i < ev->related->nelts; i++) {
        r = ne_timestamp_time(APR_ARRAY_IDX(ev->related, i, ne_related_t).updated);
        t = r > t ? r : t;
    }
    return t;
}

apr_time_t ne_day_mtime(const ne_day_t *day)
{
    apr_time_t t = 0, e;
    int i;

    for (i = 0; i < day->events->nelts; i++) {
        e = ne_timestamp_time(APR_ARRAY_IDX(day->events, i, ne_event_t).updated);
        t = e > t ? e : t;
    }
    return t;
}
