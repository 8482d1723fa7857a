-- mod_newsevent store, SQLite: schema version 2, full-text search. `newsevent
-- init` runs schema-sqlite.sql and then each step; `newsevent upgrade` runs
-- the steps a store lacks. Keep in step with schema-pgsql-2.sql.

-- The schema's version: stores made before it have no such table (version 1).
CREATE TABLE IF NOT EXISTS schema_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);

-- What search reads of an event: its texts and its topics' names.
CREATE VIEW IF NOT EXISTS events_text AS
    SELECT e.id AS id, e.headline AS headline, e.story AS story, e.category AS category,
           e.body AS body,
           COALESCE((SELECT group_concat(t.name, ' ') FROM event_topics et
                     JOIN topics t ON t.id = et.topic_id WHERE et.event_id = e.id), '')
               AS topic_names
    FROM events e;

-- An external-content FTS5 index over that view: the texts are not stored
-- twice. The import keeps it in the same transaction as the rows (a
-- 'delete' of the old texts, then an insert of the new), Porter stemming so
-- that "floods" finds "flood".
CREATE VIRTUAL TABLE IF NOT EXISTS events_search USING fts5(
    headline, story, category, body, topic_names,
    content=events_text, content_rowid=id,
    tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO events_search(events_search) VALUES ('rebuild');
-- Then merged into one segment, which every lookup of a search seeks in.
INSERT INTO events_search(events_search) VALUES ('optimize');

INSERT INTO schema_version (id, version) VALUES (1, 2)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version;
