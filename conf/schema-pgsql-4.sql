-- mod_newsevent store, PostgreSQL: schema version 4, derived data kept when the
-- archive changes rather than computed on every read (docs/design.md,
-- "Derived data"). Keep in step with schema-sqlite-4.sql.

-- Each event's related list (an event with topics has one; the text form is
-- in mod_newsevent/ne_derive.h: the related events' ids and the places of
-- the shared topics). Their headlines are read from events, never copied.
CREATE TABLE IF NOT EXISTS related_lists (
    event_id  BIGINT PRIMARY KEY,
    list      TEXT NOT NULL
);

-- Each topic's companions (a topic whose latest events have other topics
-- has one): the topics' ids and how often each is found with it.
CREATE TABLE IF NOT EXISTS topic_companions (
    topic_id  BIGINT PRIMARY KEY,
    list      TEXT NOT NULL
);

INSERT INTO schema_version (id, version) VALUES (1, 4)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version;
