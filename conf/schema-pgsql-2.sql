-- mod_newsevent store, PostgreSQL: schema version 2, full-text search. Keep
-- in step with schema-sqlite-2.sql.

CREATE TABLE IF NOT EXISTS schema_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);

CREATE OR REPLACE VIEW events_text AS
    SELECT e.id AS id, e.headline AS headline, e.story AS story, e.category AS category,
           e.body AS body,
           COALESCE((SELECT string_agg(t.name, ' ' ORDER BY et.pos) FROM event_topics et
                     JOIN topics t ON t.id = et.topic_id WHERE et.event_id = e.id), '')
               AS topic_names
    FROM events e;

-- One tsvector an event, with a GIN index. Not a generated column of
-- events: the topics' names live in other tables, which a generated column
-- cannot read. The import keeps it in the same transaction as the rows.
-- The configuration is named ('english'): the one-argument forms depend on
-- the session's default_text_search_config.
CREATE TABLE IF NOT EXISTS events_search (
    event_id BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    doc      TSVECTOR NOT NULL
);
CREATE INDEX IF NOT EXISTS events_search_doc ON events_search USING GIN (doc);

INSERT INTO events_search (event_id, doc)
    SELECT id, setweight(to_tsvector('english', headline), 'A')
               || setweight(to_tsvector('english', topic_names), 'B')
               || setweight(to_tsvector('english', story || ' ' || category), 'C')
               || setweight(to_tsvector('english', body), 'D')
    FROM events_text
    ON CONFLICT (event_id) DO UPDATE SET doc = excluded.doc;

INSERT INTO schema_version (id, version) VALUES (1, 2)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version;
