//! SQLite: the durable state of everything that is not the search index.
//!
//! Owns the schema and every SQL statement: the crawl frontier and fetch history per URL
//! ([`frontier`]), documents waiting for or done with indexing ([`docs`]), rule matches and
//! leads ([`leads`]). Nothing else in the program talks to SQLite.
//!
//! Invariants: the database runs in WAL mode; every state change that must survive a crash is one
//! transaction (a fetched page's URL state, its document and its discovered links commit together).
//! A [`Store`] is one connection and is used from one thread; open one per thread.

pub mod docs;
pub mod frontier;
pub mod leads;

use std::path::Path;

use anyhow::Context;
use rusqlite::Connection;

/// Schema version written to `meta`; bump with a migration when the schema changes.
pub const SCHEMA_VERSION: i64 = 2;

/// One connection to the cluewatch database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create data directory {}", dir.display()))?;
        }
        let conn =
            Connection::open(path).with_context(|| format!("cannot open database {}", path.display()))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL in WAL mode keeps every commit atomic and durable against a process crash; only
        // a power cut may lose the last commits, which the crawl then redoes.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let store = Store { conn };
        store.migrate().with_context(|| format!("cannot prepare database {}", path.display()))?;
        Ok(store)
    }

    fn migrate(&self) -> anyhow::Result<()> {
        self.conn.execute_batch(SCHEMA)?;
        let version: Option<i64> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get::<_, String>(0))
            .ok()
            .and_then(|v| v.parse().ok());
        match version {
            None => {
                self.conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?1)",
                    [SCHEMA_VERSION.to_string()],
                )?;
            }
            Some(v) if v > SCHEMA_VERSION => anyhow::bail!(
                "database schema version {v} is newer than this cluewatch ({SCHEMA_VERSION}); upgrade cluewatch"
            ),
            Some(v) => {
                for (to, sql) in MIGRATIONS.iter().filter(|(to, _)| *to > v) {
                    self.conn.execute_batch(sql)?;
                    self.conn.execute(
                        "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
                        [to.to_string()],
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// Steps from one schema version to the next: (version reached, SQL).
const MIGRATIONS: &[(i64, &str)] = &[(2, "ALTER TABLE urls ADD COLUMN warc TEXT;")];

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- One row per normalised URL: the frontier and the fetch history at once.
CREATE TABLE IF NOT EXISTS urls (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    url           TEXT NOT NULL,
    source        TEXT NOT NULL,
    kind          TEXT NOT NULL,              -- list | article
    depth         INTEGER NOT NULL,
    state         TEXT NOT NULL,              -- queued | done | failed | blocked
    attempts      INTEGER NOT NULL DEFAULT 0,
    status        INTEGER,
    final_url     TEXT,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT,
    next_fetch_at INTEGER,                    -- unix seconds; list pages only
    error         TEXT,
    discovered_at TEXT NOT NULL,
    warc          TEXT                        -- archived copy of the last response: file#offset
);
CREATE INDEX IF NOT EXISTS urls_state ON urls(state, source);
-- Documents: written by the crawl (or import) as 'pending', set 'indexed' once the index and
-- the rules have seen them (the outbox between crawling and indexing).
CREATE TABLE IF NOT EXISTS documents (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    source     TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    published  TEXT,
    issuer     TEXT,
    lang       TEXT NOT NULL,
    encoding   TEXT NOT NULL,
    region     TEXT,
    body_hash  TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending'
);
CREATE INDEX IF NOT EXISTS documents_state ON documents(state);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(body_hash);
CREATE TABLE IF NOT EXISTS matches (
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    rule_id      TEXT NOT NULL,
    rule_version INTEGER NOT NULL,
    score        REAL NOT NULL,
    evidence     TEXT NOT NULL,               -- JSON of rules::RuleMatch
    PRIMARY KEY (doc_id, rule_id)
);
CREATE TABLE IF NOT EXISTS leads (
    id          INTEGER PRIMARY KEY,
    category    TEXT NOT NULL,
    title       TEXT NOT NULL,
    score       REAL NOT NULL,
    status      TEXT NOT NULL DEFAULT 'new',  -- new | accepted | dismissed | duplicate
    region      TEXT,
    cluster_key TEXT NOT NULL,
    first_seen  TEXT NOT NULL,                -- local date YYYY-MM-DD of the digest it belongs to
    created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS leads_first_seen ON leads(first_seen);
CREATE INDEX IF NOT EXISTS leads_cluster ON leads(cluster_key);
CREATE TABLE IF NOT EXISTS lead_docs (
    lead_id  INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    doc_id   TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    PRIMARY KEY (lead_id, doc_id)
);
-- One row per source per crawl pass: the health record the digest reports from.
CREATE TABLE IF NOT EXISTS crawl_runs (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    stats       TEXT NOT NULL                 -- JSON of crawl::SourceStats
);
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_twice_and_keeps_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x/cluewatch.db");
        drop(Store::open(&p).unwrap());
        let s = Store::open(&p).unwrap();
        let v: String =
            s.conn.query_row("SELECT value FROM meta WHERE key='schema_version'", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION.to_string());
    }
}
