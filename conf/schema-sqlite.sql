-- mod_newsevent store, SQLite. `newsevent init` runs this file (it is built
-- into the tool); keep it in step with schema-pgsql.sql: one design, two
-- dialects. Optional text is '' rather than NULL, as the two APR DBD drivers
-- return NULL differently.

-- One row per event. id is the import order; day is the date as days since
-- 1970-01-01, so "nearest in time" is integer arithmetic in both dialects.
CREATE TABLE IF NOT EXISTS events (
    id        INTEGER PRIMARY KEY,
    date      TEXT    NOT NULL,
    day       INTEGER NOT NULL,
    slug      TEXT    NOT NULL,
    category  TEXT    NOT NULL DEFAULT '',
    story     TEXT    NOT NULL DEFAULT '',
    headline  TEXT    NOT NULL,
    body      TEXT    NOT NULL DEFAULT '',
    image     TEXT    NOT NULL DEFAULT '',
    updated   TEXT    NOT NULL,
    UNIQUE (date, slug)
);
-- A day's events in import order, and the latest events (SQLite indexes
-- end in the rowid).
CREATE INDEX IF NOT EXISTS events_by_date ON events (date);

-- An event's sources and topic links are kept in their primary key's order
-- (WITHOUT ROWID): one B-tree a table rather than a table and its key's
-- index, so an import writes each row once, and an event's rows sit
-- together. (Stores made before keep their rowid tables: the same
-- statements serve both.)
CREATE TABLE IF NOT EXISTS sources (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    pos       INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    url       TEXT    NOT NULL,
    PRIMARY KEY (event_id, pos)
) WITHOUT ROWID;

-- event_count counts the topic's links, so paging a topic needs no COUNT(*).
CREATE TABLE IF NOT EXISTS topics (
    id        INTEGER PRIMARY KEY,
    slug      TEXT    NOT NULL UNIQUE,
    name      TEXT    NOT NULL,
    event_count INTEGER NOT NULL DEFAULT 0
);

-- pos keeps the event's own topic order; day copies the event's, so that
-- "the events of a topic, by time" is one index range: the topic pages and
-- the related-events windows walk event_topics_by_topic in either direction.
CREATE TABLE IF NOT EXISTS event_topics (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    topic_id  INTEGER NOT NULL REFERENCES topics (id),
    pos       INTEGER NOT NULL,
    day       INTEGER NOT NULL,
    PRIMARY KEY (event_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_topics_by_topic ON event_topics (topic_id, day, event_id);

-- One row per day that has events, with their number: the front page, the
-- neighbours of a day, month or year, and a year's counts read only this.
CREATE TABLE IF NOT EXISTS days (
    date      TEXT    PRIMARY KEY,
    event_count INTEGER NOT NULL
);

-- One row: when an import last changed anything (the Last-Modified of every
-- answer; the ETag, a digest of the answer, is the precise validator), and a
-- generation every such import bumps, which keeps the module's cache of
-- rendered answers exact.
CREATE TABLE IF NOT EXISTS archive (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    changed    TEXT    NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0
);
