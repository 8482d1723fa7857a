-- mod_newsevent store, SQLite: schema version 3, what editors do over HTTP.
-- Keep in step with schema-pgsql-3.sql.

-- An event deleted: its URL answers 410 Gone, for good, until one is put
-- there again.
CREATE TABLE IF NOT EXISTS gone (
    date    TEXT NOT NULL,
    slug    TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (date, slug)
);

-- An event moved: its old URL answers 301 to the new one, for good. A chain
-- of moves is kept short: every row names the event's last URL.
CREATE TABLE IF NOT EXISTS moved (
    date    TEXT NOT NULL,
    slug    TEXT NOT NULL,
    to_date TEXT NOT NULL,
    to_slug TEXT NOT NULL,
    moved_at TEXT NOT NULL,
    PRIMARY KEY (date, slug)
);
CREATE INDEX IF NOT EXISTS moved_to ON moved (to_date, to_slug);

INSERT INTO schema_version (id, version) VALUES (1, 3)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version;
