/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_stmts: every statement the store prepares, in one place: the
 * module's reads (events, lists), the tool's writes and statistics. Values
 * travel only as parameters; the table prefix is applied by ne_store_sql. */
#include "ne_store.h"
#include "ne_store_db.h"
#include "ne_derive.h"
#include "ne_search_rank.h"

#include <string.h>

/* Ids are bigint in both schemas: they are bound as 64-bit integers (%lld),
 * counts, positions, days and limits as ints (%d). */

/* One topic's window: its events up to the day, newest first, and after
 * it, oldest first (parameters: topic, day, limit, topic, day, limit). */
#define NE_WINDOW_SQL \
    "SELECT event_id, day FROM (SELECT event_id, day FROM event_topics" \
    " WHERE topic_id = %lld AND day <= %d ORDER BY day DESC, event_id DESC LIMIT %d) AS b" \
    " UNION ALL SELECT event_id, day FROM (SELECT event_id, day FROM event_topics" \
    " WHERE topic_id = %lld AND day > %d ORDER BY day, event_id LIMIT %d) AS a"

const ne_stmt_t ne_store_read_stmts[] = {
    {"newsevent_event",
     "SELECT " NE_EVENT_COLS " FROM events WHERE date = %s AND slug = %s"},
    {"newsevent_sources",
     "SELECT name, url FROM sources WHERE event_id = %lld ORDER BY pos"},
    {"newsevent_topics",
     "SELECT t.name, t.slug, t.id FROM event_topics et JOIN topics t ON t.id = et.topic_id"
     " WHERE et.event_id = %lld ORDER BY et.pos"},
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
     " JOIN event_topics et ON et.event_id = e.id WHERE e.id IN (%lld, %lld, %lld, %lld, %lld)"},
    {"newsevent_changed", "SELECT changed, generation FROM archive WHERE id = 1"},
    {NULL, NULL}
};

const ne_stmt_t ne_store_list_stmts[] = {
    {"newsevent_day",
     "SELECT " NE_EVENT_COLS " FROM events WHERE date = %s ORDER BY id LIMIT %d"},
    {"newsevent_day_count", "SELECT event_count FROM days WHERE date = %s"},
    {"newsevent_days_before",
     "SELECT date FROM days WHERE date < %s ORDER BY date DESC LIMIT 1"},
    {"newsevent_days_after",
     "SELECT date FROM days WHERE date > %s ORDER BY date LIMIT 1"},
    {"newsevent_days_range",
     "SELECT date, event_count FROM days WHERE date >= %s AND date <= %s ORDER BY date"},
    {"newsevent_days_latest",
     "SELECT date, event_count FROM days ORDER BY date DESC LIMIT %d"},
    /* Pages skip their offset in an index alone, then read the page's rows. */
    {"newsevent_range_page",
     "SELECT " NE_EVENT_COLS_E " FROM (SELECT id FROM events WHERE date >= %s AND date <= %s"
     " ORDER BY date, id LIMIT %d OFFSET %d) page JOIN events e ON e.id = page.id"
     " ORDER BY e.date, e.id"},
    {"newsevent_topic",
     "SELECT id, name, slug, event_count FROM topics WHERE slug = %s"},
    {"newsevent_topic_page",
     "SELECT " NE_EVENT_COLS_E " FROM (SELECT event_id, day FROM event_topics"
     " WHERE topic_id = %lld ORDER BY day DESC, event_id DESC LIMIT %d OFFSET %d) page"
     " JOIN events e ON e.id = page.event_id ORDER BY page.day DESC, page.event_id DESC"},
    /* The topics most often found with one, among its latest events,
     * computed (a store older than version 4, and its upkeep). */
    {"newsevent_topic_companions",
     "SELECT t.name, t.slug, COUNT(*) AS n, t.id FROM"
     " (SELECT event_id FROM event_topics WHERE topic_id = %lld"
     "  ORDER BY day DESC, event_id DESC LIMIT " APR_STRINGIFY(NE_COMPANIONS_SAMPLE) ") recent"
     " JOIN event_topics et ON et.event_id = recent.event_id"
     " JOIN topics t ON t.id = et.topic_id"
     " WHERE et.topic_id <> %lld"
     " GROUP BY t.id, t.name, t.slug ORDER BY n DESC, t.id LIMIT "
     APR_STRINGIFY(NE_COMPANIONS_SHOWN)},
    {"newsevent_latest",
     "SELECT " NE_EVENT_COLS " FROM events ORDER BY date DESC, id DESC LIMIT %d"},
    /* Sitemaps: the months with events (the days table), a month's events
     * (a range of events_by_date). */
    {"newsevent_sitemap_months",
     "SELECT DISTINCT substr(date, 1, 7) AS month FROM days ORDER BY month"},
    {"newsevent_sitemap_month",
     "SELECT date, slug, updated FROM events WHERE date >= %s AND date <= %s"
     " ORDER BY date, id LIMIT %d"},
    {NULL, NULL}
};

const ne_stmt_t ne_store_write_stmts[] = {
    {"newsevent_w_insert",
     "INSERT INTO events (date, day, slug, category, story, headline, body, image, updated)"
     " VALUES (%s, %d, %s, %s, %s, %s, %s, %s, %s) RETURNING id"},
    {"newsevent_w_update",
     "UPDATE events SET category = %s, story = %s, headline = %s, body = %s, image = %s,"
     " updated = %s WHERE id = %lld"},
    {"newsevent_w_day", "INSERT INTO days (date, event_count) VALUES (%s, %d)"
     " ON CONFLICT (date) DO UPDATE SET event_count = days.event_count + excluded.event_count"},
    {"newsevent_w_drop_sources", "DELETE FROM sources WHERE event_id = %lld"},
    {"newsevent_w_uncount_topics", "UPDATE topics SET event_count = event_count - 1"
     " WHERE id IN (SELECT topic_id FROM event_topics WHERE event_id = %lld)"},
    {"newsevent_w_drop_topics", "DELETE FROM event_topics WHERE event_id = %lld"},
    /* One row a statement: a multi-row insert costs SQLite a statement
     * journal, more than the statements it saves. */
    {"newsevent_w_source",
     "INSERT INTO sources (event_id, pos, name, url) VALUES (%lld, %d, %s, %s)"},
    {"newsevent_w_topic_find", "SELECT id, name FROM topics WHERE slug = %s"},
    {"newsevent_w_topic_add", "INSERT INTO topics (slug, name) VALUES (%s, %s)"},
    {"newsevent_w_topic_rename", "UPDATE topics SET name = %s WHERE id = %lld"},
    {"newsevent_w_link",
     "INSERT INTO event_topics (event_id, topic_id, pos, day) VALUES (%lld, %lld, %d, %d)"},
    {"newsevent_w_count_topic",
     "UPDATE topics SET event_count = event_count + %d WHERE id = %lld"},
    {"newsevent_w_changed",
     "INSERT INTO archive (id, changed, generation) VALUES (1, %s, 1)"
     " ON CONFLICT (id) DO UPDATE SET changed = excluded.changed,"
     " generation = archive.generation + 1"},
    {"newsevent_w_day_known", "SELECT event_count FROM days WHERE date = %s"},
    {"newsevent_w_all",
     "SELECT " NE_EVENT_COLS " FROM events WHERE id > %lld ORDER BY id LIMIT 1000"},
    /* The sources and topics of a page of events (ids first < id <= last). */
    {"newsevent_w_all_sources",
     "SELECT event_id, name, url FROM sources WHERE event_id > %lld AND event_id <= %lld"
     " ORDER BY event_id, pos"},
    {"newsevent_w_all_topics",
     "SELECT et.event_id, t.name, t.slug, t.id FROM event_topics et"
     " JOIN topics t ON t.id = et.topic_id WHERE et.event_id > %lld AND et.event_id <= %lld"
     " ORDER BY et.event_id, et.pos"},
    {NULL, NULL}
};

/* The statistics of `newsevent stats`: events and days per year, the
 * busiest topics. */
const ne_stmt_t ne_store_stats_stmts[] = {
    {"newsevent_s_years", "SELECT substr(date, 1, 4) AS year, SUM(event_count), COUNT(*)"
     " FROM days GROUP BY substr(date, 1, 4) ORDER BY year"},
    {"newsevent_s_topics", "SELECT name, slug, event_count FROM topics"
     " ORDER BY event_count DESC, id LIMIT %d"},
    {NULL, NULL}
};

/* What mod_dbd prepares on each of the module's connections. */
const ne_stmt_t *const ne_store_module_stmts[] = {
    ne_store_read_stmts, ne_store_list_stmts, NULL
};

const char *const ne_store_tables[] = {
    "events", "sources", "topics", "event_topics", "days", "archive",
    "events_by_date", "event_topics_by_topic", "schema_version", "events_text",
    "events_search", "events_search_doc", "gone", "moved", "moved_to", "related_lists",
    "topic_companions", NULL
};


/* Search (schema version 2): prepared by the module when a search first
 * comes on a connection, so that a store of version 1 still serves all
 * else. Parameters (ne_store_search.c lists each dialect's): the query in
 * the store's syntax, the first and last date, the topic's slug or ""
 * (twice), a span of ids, the page (size, offset). Bounded, so that a
 * common word costs what a rare one does (tests/bench/README.md,
 * "Search"): one pass reads the NE_SEARCH_CANDIDATES newest matches (by
 * id, the import's order) that pass the filters, and one more to tell
 * whether there are more; those are counted (each row says how many, and
 * "more" is a count past the candidates), ranked or dated, the page cut,
 * and only the page's rows get their snippets. */
#define NE_SEARCH_DATES " AND e.date >= %s AND e.date <= %s"
/* The candidates c (one more than NE_SEARCH_CANDIDATES, newest first),
 * counted; the oldest of them is left out when there is one too many. The
 * page carries the count, and on SQLite comes first in the join (CROSS
 * JOIN), so that the snippets' MATCH is a lookup by rowid, not a scan. */
#define NE_SEARCH_COUNTED \
    " n AS (SELECT COUNT(*) AS n, MIN(id) AS low FROM c),"
#define NE_SEARCH_IN_CANDIDATES " (n.n <= " NE_SEARCH_CANDIDATES_SQL " OR c.id > n.low)"
/* On SQLite, a topic is looked up for each match read (its name is in the
 * MATCH too, so most pass), rather than all its events listed first; and
 * the ids the index reads are bounded (a date range's span, or all:
 * ne_store_search.c), so that FTS5 skips the rest of each doclist. */
#define NE_SEARCH_SQLITE_FILTERS NE_SEARCH_DATES \
    " AND (%s = '' OR EXISTS (SELECT 1 FROM event_topics et JOIN topics t" \
    " ON t.id = et.topic_id WHERE et.event_id = e.id AND t.slug = %s))" \
    " AND events_search.rowid >= %lld AND events_search.rowid <= %lld"
/* Relevance: bm25 with a bounded IDF (ne_search_rank.h), the headline
 * first, lower is better. By date, no rank. */
#define NE_SEARCH_SQLITE_RANK \
    "newsevent_rank(events_search, %d, " NE_RANK_WEIGHTS ")"
#define NE_SEARCH_SQLITE(rank, order, outer) \
    "WITH c AS MATERIALIZED (SELECT events_search.rowid AS id, " rank " AS rank," \
    " e.date AS date FROM events_search JOIN events e ON e.id = events_search.rowid" \
    " WHERE events_search MATCH %s" NE_SEARCH_SQLITE_FILTERS \
    " ORDER BY events_search.rowid DESC LIMIT " NE_SEARCH_READ_SQL ")," NE_SEARCH_COUNTED \
    " page AS (SELECT c.id, c.rank, c.date, n.n FROM c, n WHERE" NE_SEARCH_IN_CANDIDATES \
    " ORDER BY " order " LIMIT %d OFFSET %d)" \
    " SELECT " NE_EVENT_COLS_E ", snippet(events_search, -1, char(1), char(2), '…', 24)," \
    " page.n FROM page CROSS JOIN events_search ON events_search.rowid = page.id" \
    " JOIN events e ON e.id = page.id WHERE events_search MATCH %s ORDER BY " outer

/* A date range's events: how many (the days' counts), then the span of
 * their ids (one range of events_by_date). */
#define NE_SEARCH_SPAN_STMTS \
    {"newsevent_search_span", \
     "SELECT COALESCE(SUM(event_count), 0) FROM days WHERE date >= %s AND date <= %s"}, \
    {"newsevent_search_ids", \
     "SELECT COALESCE(MIN(id), 1), COALESCE(MAX(id), 0) FROM events" \
     " WHERE date >= %s AND date <= %s"}

const ne_stmt_t ne_store_search_sqlite3[] = {
    {"newsevent_search_rank",
     NE_SEARCH_SQLITE(NE_SEARCH_SQLITE_RANK, "c.rank, c.id DESC", "page.rank, page.id DESC")},
    {"newsevent_search_date",
     NE_SEARCH_SQLITE("0", "c.date DESC, c.id DESC", "page.date DESC, page.id DESC")},
    NE_SEARCH_SPAN_STMTS,
    {NULL, NULL}
};

/* PostgreSQL: the GIN index gives the matches unordered, all of them. So
 * the newest NE_SEARCH_WINDOW events (of the date range's span of ids, or
 * of all) are read first, newest first, each tested (ts_match_vq: a
 * function, which no index serves), stopping at the candidates' number
 * (newsevent_search_newest_*); when the window holds fewer, a wider one,
 * then all the matches read through the index (newsevent_search_*:
 * ne_store_search.c). Either way the candidates are ranked (ts_rank),
 * dated and given a headline (ts_headline, which reads the text again)
 * only as candidates and as the page. A match's event is looked up by key
 * (OFFSET 0 keeps it so: a generic plan would hash every event of the date
 * range); a topic's events are hashed once for the index's matches, looked
 * up for the window's, and its name is in the query they match (a
 * superset, as on SQLite). */
#define NE_SEARCH_PG_EVENT \
    " LATERAL (SELECT e.date FROM events e WHERE e.id = s.event_id OFFSET 0) e"
#define NE_SEARCH_PG_TOPIC_ALL \
    " AND (%s = '' OR s.event_id IN (SELECT et.event_id FROM event_topics et" \
    " JOIN topics t ON t.id = et.topic_id WHERE t.slug = %s))"
#define NE_SEARCH_PG_TOPIC_EACH \
    " AND (%s = '' OR EXISTS (SELECT 1 FROM event_topics et JOIN topics t" \
    " ON t.id = et.topic_id WHERE et.event_id = s.event_id AND t.slug = %s))"
#define NE_SEARCH_PG_ALL "s.doc @@ m.m" NE_SEARCH_DATES NE_SEARCH_PG_TOPIC_ALL
#define NE_SEARCH_PG_WINDOW \
    "s.event_id >= %lld AND s.event_id <= %lld AND ts_match_vq(s.doc, m.m)" \
    NE_SEARCH_DATES NE_SEARCH_PG_TOPIC_EACH
/* q: the reader's query, which ranks and marks; m: what the candidates
 * match, the query and the topic's name as a phrase when there is one (no
 * empty phrase: PostgreSQL would log a notice). */
#define NE_SEARCH_PG(candidates, order) \
    "WITH q AS (SELECT websearch_to_tsquery('english', %s) AS q)," \
    " m AS (SELECT CASE WHEN %s = '' THEN q.q" \
    " ELSE q.q && phraseto_tsquery('english', %s) END AS m FROM q)," \
    " c AS MATERIALIZED (SELECT s.event_id AS id, s.doc FROM events_search s, m," \
    NE_SEARCH_PG_EVENT " WHERE " candidates \
    " ORDER BY s.event_id DESC LIMIT " NE_SEARCH_READ_SQL ")," NE_SEARCH_COUNTED \
    " page AS (SELECT c.id, e.date, ts_rank(c.doc, q.q) AS rank, n.n FROM c" \
    " JOIN events e ON e.id = c.id, q, n WHERE" NE_SEARCH_IN_CANDIDATES \
    " ORDER BY " order " DESC, c.id DESC LIMIT %d OFFSET %d)" \
    " SELECT " NE_EVENT_COLS_E ", ts_headline('english', e.headline || ' ' || e.body, q.q," \
    " 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12')," \
    " page.n FROM page JOIN events e ON e.id = page.id, q" \
    " ORDER BY page." order " DESC, page.id DESC"

const ne_stmt_t ne_store_search_pgsql[] = {
    {"newsevent_search_rank", NE_SEARCH_PG(NE_SEARCH_PG_ALL, "rank")},
    {"newsevent_search_date", NE_SEARCH_PG(NE_SEARCH_PG_ALL, "date")},
    {"newsevent_search_newest_rank", NE_SEARCH_PG(NE_SEARCH_PG_WINDOW, "rank")},
    {"newsevent_search_newest_date", NE_SEARCH_PG(NE_SEARCH_PG_WINDOW, "date")},
    NE_SEARCH_SPAN_STMTS,
    {"newsevent_search_last", "SELECT COALESCE(MAX(id), 0) FROM events"},  /* the newest */
    {NULL, NULL}
};

/* The import's upkeep of the index, in the same transaction as the rows:
 * an event's old texts out before it changes, its new texts in after. */
const ne_stmt_t ne_store_index_sqlite3[] = {
    {"newsevent_w_unindex",
     "INSERT INTO events_search(events_search, rowid, headline, story, category, body,"
     " topic_names) SELECT 'delete', id, headline, story, category, body, topic_names"
     " FROM events_text WHERE id = %lld"},
    {"newsevent_w_index",
     "INSERT INTO events_search(rowid, headline, story, category, body, topic_names)"
     " SELECT id, headline, story, category, body, topic_names FROM events_text"
     " WHERE id = %lld"},
    {NULL, NULL}
};

/* PostgreSQL's index entry of an event: its headline, topic names, story
 * and category, and body, weighted in that order. */
#define NE_INDEX_DOC_PGSQL(headline, topic_names, story, category, body) \
    "setweight(to_tsvector('english', " headline "), 'A')" \
    " || setweight(to_tsvector('english', " topic_names "), 'B')" \
    " || setweight(to_tsvector('english', " story " || ' ' || " category "), 'C')" \
    " || setweight(to_tsvector('english', " body "), 'D')"

const ne_stmt_t ne_store_index_pgsql[] = {
    {"newsevent_w_unindex", "DELETE FROM events_search WHERE event_id = %lld"},
    {"newsevent_w_index",
     "INSERT INTO events_search (event_id, doc) SELECT id, "
     NE_INDEX_DOC_PGSQL("headline", "topic_names", "story", "category", "body")
     " FROM events_text WHERE id = %lld"},
    {NULL, NULL}
};

const ne_stmt_t *ne_store_dialect(const char *driver, const ne_stmt_t *sqlite3,
                                  const ne_stmt_t *pgsql)
{
    return strcmp(driver, "pgsql") == 0 ? pgsql : sqlite3;
}

/* Deleted and moved events (schema version 3). The reads: what an event's
 * URL says once the event is not there (410, or 301 to where it went). */
const ne_stmt_t ne_store_gone_stmts[] = {
    {"newsevent_gone", "SELECT deleted_at FROM gone WHERE date = %s AND slug = %s"},
    {"newsevent_moved", "SELECT to_date, to_slug FROM moved WHERE date = %s AND slug = %s"},
    {NULL, NULL}
};

/* The edits: an event taken out with everything that counts it, its URL
 * remembered as gone; a URL made live again. */
const ne_stmt_t ne_store_edit_stmts[] = {
    {"newsevent_e_delete", "DELETE FROM events WHERE id = %lld"},
    {"newsevent_e_day_less", "UPDATE days SET event_count = event_count - 1 WHERE date = %s"},
    {"newsevent_e_day_drop", "DELETE FROM days WHERE date = %s AND event_count <= 0"},
    {"newsevent_e_gone_add",
     "INSERT INTO gone (date, slug, deleted_at) VALUES (%s, %s, %s)"
     " ON CONFLICT (date, slug) DO UPDATE SET deleted_at = excluded.deleted_at"},
    {"newsevent_e_gone_drop", "DELETE FROM gone WHERE date = %s AND slug = %s"},
    {"newsevent_e_moved_drop", "DELETE FROM moved WHERE date = %s AND slug = %s"},
    /* A move: the event's new key, its links' copy of its day, the days'
     * counts, and every old URL pointing at its last one. */
    {"newsevent_e_move", "UPDATE events SET date = %s, day = %d, slug = %s WHERE id = %lld"},
    {"newsevent_e_move_topics", "UPDATE event_topics SET day = %d WHERE event_id = %lld"},
    {"newsevent_e_day_more",
     "INSERT INTO days (date, event_count) VALUES (%s, 1)"
     " ON CONFLICT (date) DO UPDATE SET event_count = days.event_count + 1"},
    {"newsevent_e_moved_add",
     "INSERT INTO moved (date, slug, to_date, to_slug, moved_at) VALUES (%s, %s, %s, %s, %s)"
     " ON CONFLICT (date, slug) DO UPDATE SET to_date = excluded.to_date,"
     " to_slug = excluded.to_slug, moved_at = excluded.moved_at"},
    {"newsevent_e_moved_retarget",
     "UPDATE moved SET to_date = %s, to_slug = %s WHERE to_date = %s AND to_slug = %s"},
    {"newsevent_e_moved_loops", "DELETE FROM moved WHERE date = to_date AND slug = to_slug"},
    /* The export's, after the events. */
    {"newsevent_e_all_gone", "SELECT date, slug, deleted_at FROM gone ORDER BY date, slug"},
    {"newsevent_e_all_moved",
     "SELECT date, slug, to_date, to_slug, moved_at FROM moved ORDER BY date, slug"},
    {NULL, NULL}
};

/* One writer at a time a store: SQLite's own lock (BEGIN IMMEDIATE), and on
 * PostgreSQL a transaction's advisory lock keyed by the table prefix (sites
 * sharing a database do not wait for each other), so that a write's reads
 * (If-Match, the free slug) hold until it commits. */
const ne_stmt_t ne_store_lock_pgsql[] = {
    {"newsevent_e_lock", "SELECT pg_advisory_xact_lock(hashtext(%s))"},
    {NULL, NULL}
};
const ne_stmt_t ne_store_lock_sqlite3[] = {
    {NULL, NULL}
};

/* Derived data (schema version 4, ne_store_derive.c): each event's related
 * list and each topic's companions, stored as text (ne_derive.h) and read
 * with what they name: an index lookup and one of NE_RELATED_STORED (or
 * NE_COMPANIONS_SHOWN) primary keys. Prepared on first use, so that an
 * older store computes them as it reads. */
#define NE_TEN_IDS "%lld, %lld, %lld, %lld, %lld, %lld, %lld, %lld, %lld, %lld"
const ne_stmt_t ne_store_derived_stmts[] = {
    {"newsevent_related_list", "SELECT list FROM related_lists WHERE event_id = %lld"},
    {"newsevent_related_rows",
     "SELECT id, date, slug, headline FROM events WHERE id IN (" NE_TEN_IDS ")"},
    {"newsevent_companions_list", "SELECT list FROM topic_companions WHERE topic_id = %lld"},
    {"newsevent_companions_rows",
     "SELECT id, name, slug FROM topics WHERE id IN (" NE_TEN_IDS ")"},
    {NULL, NULL}
};

/* An event whole in one statement: its row, its related list ('-' for
 * none), its sources and topics as JSON arrays of [pos, ...] (ne_store.c
 * orders them by pos). Each driver's own aggregates. */
#define NE_EVENT_WHOLE(sources, topics) \
    "SELECT " NE_EVENT_COLS ", COALESCE((SELECT list FROM related_lists" \
    " WHERE event_id = events.id), '-'), " sources ", " topics \
    " FROM events WHERE date = %s AND slug = %s"
const ne_stmt_t ne_store_whole_sqlite3[] = {
    {"newsevent_event_whole", NE_EVENT_WHOLE(
        "(SELECT json_group_array(json_array(pos, name, url)) FROM sources"
        " WHERE event_id = events.id)",
        "(SELECT json_group_array(json_array(et.pos, t.name, t.slug, t.id))"
        " FROM event_topics et JOIN topics t ON t.id = et.topic_id"
        " WHERE et.event_id = events.id)")},
    {NULL, NULL}
};
const ne_stmt_t ne_store_whole_pgsql[] = {
    {"newsevent_event_whole", NE_EVENT_WHOLE(
        "COALESCE((SELECT json_agg(json_build_array(pos, name, url) ORDER BY pos)::text"
        " FROM sources WHERE event_id = events.id), '[]')",
        "COALESCE((SELECT json_agg(json_build_array(et.pos, t.name, t.slug, t.id)"
        " ORDER BY et.pos)::text FROM event_topics et JOIN topics t ON t.id = et.topic_id"
        " WHERE et.event_id = events.id), '[]')")},
    {NULL, NULL}
};

/* Their upkeep, with the writes. The events near one in a topic: those
 * of the days from its 100th predecessor's to its 100th successor's (the
 * only events whose windows can hold it; docs/design.md). Parameters:
 * topic, then (topic, day, id) twice. */
const ne_stmt_t ne_store_upkeep_stmts[] = {
    {"newsevent_u_links", "SELECT topic_id, event_id, day, pos FROM event_topics"},
    {"newsevent_u_signature",
     "SELECT topic_id, day FROM event_topics WHERE event_id = %lld ORDER BY pos, topic_id"},
    {"newsevent_u_near",
     "SELECT event_id FROM event_topics WHERE topic_id = %lld"
     " AND day >= COALESCE((SELECT day FROM event_topics WHERE topic_id = %lld"
     "  AND (day, event_id) < (%d, %lld) ORDER BY day DESC, event_id DESC"
     "  LIMIT 1 OFFSET " APR_STRINGIFY(NE_UPKEEP_REACH) "), -2147483647)"
     " AND day <= COALESCE((SELECT day FROM event_topics WHERE topic_id = %lld"
     "  AND (day, event_id) > (%d, %lld) ORDER BY day, event_id"
     "  LIMIT 1 OFFSET " APR_STRINGIFY(NE_UPKEEP_REACH) "), 2147483647)"},
    {"newsevent_u_drop_related", "DELETE FROM related_lists WHERE event_id = %lld"},
    {"newsevent_u_drop_companions", "DELETE FROM topic_companions WHERE topic_id = %lld"},
    {"newsevent_u_clear_related", "DELETE FROM related_lists"},
    {"newsevent_u_clear_companions", "DELETE FROM topic_companions"},
    {"newsevent_u_events", "SELECT id FROM events ORDER BY id"},
    {"newsevent_u_topics", "SELECT id FROM topics ORDER BY id"},
    {NULL, NULL}
};

/* Many lists in one statement: a JSON array of [id, "list"] pairs. */
const ne_stmt_t ne_store_upkeep_sqlite3[] = {
    {"newsevent_u_put_related", "INSERT OR REPLACE INTO related_lists (event_id, list)"
     " SELECT value ->> 0, value ->> 1 FROM json_each(%s)"},
    {"newsevent_u_put_companions", "INSERT OR REPLACE INTO topic_companions (topic_id, list)"
     " SELECT value ->> 0, value ->> 1 FROM json_each(%s)"},
    {NULL, NULL}
};
const ne_stmt_t ne_store_upkeep_pgsql[] = {
    {"newsevent_u_put_related", "INSERT INTO related_lists (event_id, list)"
     " SELECT (j ->> 0)::bigint, j ->> 1 FROM jsonb_array_elements(%s::jsonb) AS j"
     " ON CONFLICT (event_id) DO UPDATE SET list = excluded.list"},
    {"newsevent_u_put_companions", "INSERT INTO topic_companions (topic_id, list)"
     " SELECT (j ->> 0)::bigint, j ->> 1 FROM jsonb_array_elements(%s::jsonb) AS j"
     " ON CONFLICT (topic_id) DO UPDATE SET list = excluded.list"},
    {NULL, NULL}
};

/* PostgreSQL's import in batches (ne_store_bulk.c): a batch's rows travel
 * as one JSON text, expanded by json_to_recordset; id lists as one array
 * literal ("{1,2,3}"). A few statements a batch of records rather than a
 * few a record. */
#define NE_BULK_IDS(col) col " = ANY(%s::bigint[])"
const ne_stmt_t ne_store_bulk_pgsql[] = {
    /* What the store held as the file began: its days and topics. */
    {"newsevent_b_days", "SELECT date FROM days"},
    {"newsevent_b_topics", "SELECT slug, id, name FROM topics"},
    /* The stored events at a batch's keys, with their sources and topics. */
    {"newsevent_b_find",
     "SELECT " NE_EVENT_COLS_E " FROM json_to_recordset(%s::json) AS k(d text, s text)"
     " JOIN events e ON e.date = k.d AND e.slug = k.s ORDER BY e.id"},
    {"newsevent_b_find_sources",
     "SELECT event_id, name, url FROM sources WHERE " NE_BULK_IDS("event_id")
     " ORDER BY event_id, pos"},
    {"newsevent_b_find_topics",
     "SELECT et.event_id, t.name, t.slug, t.id FROM event_topics et"
     " JOIN topics t ON t.id = et.topic_id WHERE " NE_BULK_IDS("et.event_id")
     " ORDER BY et.event_id, et.pos"},
    /* New topics, in the order met (their ids follow it); renames. */
    {"newsevent_b_topic_add",
     "INSERT INTO topics (slug, name) SELECT k.s, k.n"
     " FROM json_to_recordset(%s::json) AS k(o int, s text, n text) ORDER BY k.o"
     " RETURNING id, slug"},
    {"newsevent_b_topic_rename",
     "UPDATE topics t SET name = k.n FROM json_to_recordset(%s::json) AS k(i bigint, n text)"
     " WHERE t.id = k.i"},
    /* Changed events: their index entries, rows, sources and links. */
    {"newsevent_b_unindex", "DELETE FROM events_search WHERE " NE_BULK_IDS("event_id")},
    {"newsevent_b_update",
     "UPDATE events e SET category = k.c, story = k.t, headline = k.h, body = k.b,"
     " image = k.i, updated = k.u FROM json_to_recordset(%s::json)"
     " AS k(e bigint, c text, t text, h text, b text, i text, u text) WHERE e.id = k.e"},
    {"newsevent_b_drop_sources", "DELETE FROM sources WHERE " NE_BULK_IDS("event_id")},
    {"newsevent_b_uncount_topics",
     "UPDATE topics t SET event_count = t.event_count - n.c FROM (SELECT topic_id,"
     " COUNT(*) AS c FROM event_topics WHERE " NE_BULK_IDS("event_id")
     " GROUP BY topic_id) AS n WHERE t.id = n.topic_id"},
    {"newsevent_b_drop_topics", "DELETE FROM event_topics WHERE " NE_BULK_IDS("event_id")},
    /* New events, in the batch's order: their ids are the import's order. */
    {"newsevent_b_insert",
     "INSERT INTO events (date, day, slug, category, story, headline, body, image, updated)"
     " SELECT k.d, k.y, k.s, k.c, k.t, k.h, k.b, k.i, k.u FROM json_to_recordset(%s::json)"
     " AS k(o int, d text, y int, s text, c text, t text, h text, b text, i text, u text)"
     " ORDER BY k.o RETURNING id, date, slug"},
    {"newsevent_b_sources",
     "INSERT INTO sources (event_id, pos, name, url) SELECT k.e, k.p, k.n, k.u"
     " FROM json_to_recordset(%s::json) AS k(e bigint, p int, n text, u text)"},
    {"newsevent_b_links",
     "INSERT INTO event_topics (event_id, topic_id, pos, day) SELECT k.e, k.t, k.p, k.y"
     " FROM json_to_recordset(%s::json) AS k(e bigint, t bigint, p int, y int)"},
    /* The index entries, from the texts the batch wrote (its topic names
     * joined by spaces, as events_text joins them): no read of the rows. */
    {"newsevent_b_index",
     "INSERT INTO events_search (event_id, doc) SELECT k.e, "
     NE_INDEX_DOC_PGSQL("k.h", "k.n", "k.t", "k.c", "k.b")
     " FROM json_to_recordset(%s::json) AS k(e bigint, h text, n text, t text, c text, b text)"},
    /* Or the entries a second connection computed (ne_store_bulk_aux_pgsql). */
    {"newsevent_b_index_entries",
     "INSERT INTO events_search (event_id, doc) SELECT k.e, k.d::tsvector"
     " FROM json_to_recordset(%s::json) AS k(e bigint, d text)"},
    /* The counts, once a file: the events it added to each day and topic. */
    {"newsevent_b_days_add",
     "INSERT INTO days (date, event_count) SELECT k.d, k.n"
     " FROM json_to_recordset(%s::json) AS k(d text, n int) ON CONFLICT (date)"
     " DO UPDATE SET event_count = days.event_count + excluded.event_count"},
    {"newsevent_b_topics_count",
     "UPDATE topics t SET event_count = t.event_count + k.n"
     " FROM json_to_recordset(%s::json) AS k(i bigint, n int) WHERE t.id = k.i"},
    {NULL, NULL}
};

/* The second connection's one statement: index entries of a batch's texts,
 * as tsvector text, each with its record's place (o). It reads no table. */
const ne_stmt_t ne_store_bulk_aux_pgsql[] = {
    {"newsevent_b_entries",
     "SELECT k.o, (" NE_INDEX_DOC_PGSQL("k.h", "k.n", "k.t", "k.c", "k.b") ")::text"
     " FROM json_to_recordset(%s::json) AS k(o int, h text, n text, t text, c text, b text)"},
    {NULL, NULL}
};
