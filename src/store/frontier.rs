//! The crawl frontier and fetch history: one row per normalised URL.
//!
//! A URL stays `queued` until the result of fetching it commits, so a URL that was in flight when
//! the process died is simply fetched again; a URL that is `done` never is (articles), or only
//! when its recrawl time has come (list pages).

use chrono::Utc;
use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::document::Document;

/// What a URL is to the crawler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// A list page: its links are followed, it is revisited on the source's recrawl interval.
    List,
    /// An article: extracted into a document, fetched once.
    Article,
}

impl UrlKind {
    fn as_str(self) -> &'static str {
        match self {
            UrlKind::List => "list",
            UrlKind::Article => "article",
        }
    }
    fn parse(s: &str) -> UrlKind {
        if s == "list" { UrlKind::List } else { UrlKind::Article }
    }
}

/// A URL waiting to be fetched.
#[derive(Debug, Clone)]
pub struct QueuedUrl {
    /// Row id.
    pub id: i64,
    /// URL as found.
    pub url: String,
    /// Source name.
    pub source: String,
    /// List page or article.
    pub kind: UrlKind,
    /// List-page hops from a start URL.
    pub depth: u32,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Validators from the previous fetch, for a conditional GET.
    pub etag: Option<String>,
    /// `Last-Modified` from the previous fetch.
    pub last_modified: Option<String>,
}

/// A link discovered on a list page, to be added to the frontier.
#[derive(Debug, Clone)]
pub struct NewLink {
    /// URL as found.
    pub url: String,
    /// Normalised key (dedupe).
    pub key: String,
    /// List page or article.
    pub kind: UrlKind,
    /// Depth of the new URL.
    pub depth: u32,
}

/// Final state of one fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlState {
    /// Fetched (200 or 304).
    Done,
    /// Gave up on it (permanent error or attempts exhausted).
    Failed,
    /// Disallowed by robots.txt or out of scope after a redirect.
    Blocked,
}

impl UrlState {
    fn as_str(self) -> &'static str {
        match self {
            UrlState::Done => "done",
            UrlState::Failed => "failed",
            UrlState::Blocked => "blocked",
        }
    }
}

/// The outcome of fetching a queued URL, as stored.
#[derive(Debug, Clone)]
pub struct FetchRecord {
    /// Row id of the URL.
    pub id: i64,
    /// New state.
    pub state: UrlState,
    /// HTTP status, when a response came.
    pub status: Option<u16>,
    /// URL after redirects.
    pub final_url: Option<String>,
    /// `ETag` of the response.
    pub etag: Option<String>,
    /// `Last-Modified` of the response.
    pub last_modified: Option<String>,
    /// Unix time at which a list page is due again.
    pub next_fetch_at: Option<i64>,
    /// Error text, for failed and blocked URLs.
    pub error: Option<String>,
    /// Attempts used.
    pub attempts: u32,
    /// Archived copy of the response (`file#offset`).
    pub warc: Option<String>,
}

impl Store {
    /// Adds a start URL of `source` (or, if it is known, queues it again: an explicit crawl always
    /// revisits the start pages, cheaply, with a conditional GET).
    pub fn seed(&self, source: &str, url: &str, key: &str) -> anyhow::Result<()> {
        let now = Utc::now().to_rfc3339();
        self.conn.execute(
            "INSERT INTO urls (key, url, source, kind, depth, state, discovered_at)
             VALUES (?1, ?2, ?3, 'list', 0, 'queued', ?4)
             ON CONFLICT(key) DO UPDATE SET state = 'queued', attempts = 0
             WHERE urls.kind = 'list'",
            params![key, url, source, now],
        )?;
        Ok(())
    }

    /// Queues again the list pages of `source` whose recrawl time has come.
    pub fn requeue_due_lists(&self, source: &str, now_unix: i64) -> anyhow::Result<usize> {
        Ok(self.conn.execute(
            "UPDATE urls SET state = 'queued', attempts = 0
             WHERE source = ?1 AND kind = 'list' AND state IN ('done', 'failed')
               AND (next_fetch_at IS NULL OR next_fetch_at <= ?2)",
            params![source, now_unix],
        )?)
    }

    /// Every queued URL of `source`, list pages first, oldest first.
    pub fn queued(&self, source: &str) -> anyhow::Result<Vec<QueuedUrl>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, url, source, kind, depth, attempts, etag, last_modified FROM urls
             WHERE state = 'queued' AND source = ?1 ORDER BY kind = 'article', id",
        )?;
        let rows = stmt.query_map([source], row_to_queued)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Commits the outcome of one fetch: the URL's new state, the document it produced (as
    /// `pending`), and the links it discovered, in one transaction. Returns the links that were
    /// new to the frontier.
    pub fn finish_fetch(
        &mut self,
        source: &str,
        rec: &FetchRecord,
        doc: Option<&Document>,
        links: &[NewLink],
    ) -> anyhow::Result<Vec<QueuedUrl>> {
        let tx = self.conn.transaction()?;
        let now = Utc::now().to_rfc3339();
        tx.execute(
            "UPDATE urls SET state = ?2, status = ?3, final_url = ?4,
                etag = COALESCE(?5, etag), last_modified = COALESCE(?6, last_modified),
                fetched_at = ?7, next_fetch_at = ?8, error = ?9, attempts = ?10,
                warc = COALESCE(?11, warc)
             WHERE id = ?1",
            params![
                rec.id,
                rec.state.as_str(),
                rec.status,
                rec.final_url,
                rec.etag,
                rec.last_modified,
                now,
                rec.next_fetch_at,
                rec.error,
                rec.attempts,
                rec.warc
            ],
        )?;
        if let Some(doc) = doc {
            super::docs::insert_pending(&tx, doc)?;
        }
        let mut added = Vec::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO urls (key, url, source, kind, depth, state, discovered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6) ON CONFLICT(key) DO NOTHING",
            )?;
            for l in links {
                if insert.execute(params![l.key, l.url, source, l.kind.as_str(), l.depth, now])? == 1 {
                    added.push(QueuedUrl {
                        id: tx.last_insert_rowid(),
                        url: l.url.clone(),
                        source: source.to_string(),
                        kind: l.kind,
                        depth: l.depth,
                        attempts: 0,
                        etag: None,
                        last_modified: None,
                    });
                }
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// Records one crawl pass over a source (its statistics as JSON) for the health report.
    pub fn record_crawl_run(
        &self,
        source: &str,
        started_at: &str,
        finished_at: &str,
        stats_json: &str,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO crawl_runs (source, started_at, finished_at, stats) VALUES (?1, ?2, ?3, ?4)",
            params![source, started_at, finished_at, stats_json],
        )?;
        Ok(())
    }

    /// Latest crawl pass of each source: (source, finished_at, stats JSON).
    pub fn latest_crawl_runs(&self) -> anyhow::Result<Vec<(String, String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT source, finished_at, stats FROM crawl_runs c
             WHERE id = (SELECT MAX(id) FROM crawl_runs d WHERE d.source = c.source) ORDER BY source",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every fetched article with an archived copy: (source, warc reference), in fetch order.
    pub fn archived_articles(&self) -> anyhow::Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT source, warc FROM urls WHERE kind = 'article' AND state = 'done' AND status = 200
               AND warc IS NOT NULL ORDER BY fetched_at, id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// State of the URL with normalised `key`, if known.
    pub fn url_state(&self, key: &str) -> anyhow::Result<Option<String>> {
        Ok(self.conn.query_row("SELECT state FROM urls WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// Number of URLs per state (for summaries and tests).
    pub fn url_counts(&self) -> anyhow::Result<Vec<(String, String, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT kind, state, COUNT(*) FROM urls GROUP BY kind, state ORDER BY kind, state")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn row_to_queued(r: &rusqlite::Row<'_>) -> rusqlite::Result<QueuedUrl> {
    Ok(QueuedUrl {
        id: r.get(0)?,
        url: r.get(1)?,
        source: r.get(2)?,
        kind: UrlKind::parse(&r.get::<_, String>(3)?),
        depth: r.get(4)?,
        attempts: r.get(5)?,
        etag: r.get(6)?,
        last_modified: r.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_url_survives_until_its_fetch_commits() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("db")).unwrap();
        s.seed("src", "http://h/list", "http://h/list").unwrap();
        let q = s.queued("src").unwrap();
        assert_eq!(q.len(), 1);
        // Nothing committed yet: a restart sees the same URL queued again.
        assert_eq!(s.queued("src").unwrap().len(), 1);
        let rec = FetchRecord {
            id: q[0].id,
            state: UrlState::Done,
            status: Some(200),
            final_url: None,
            etag: Some("\"e1\"".into()),
            last_modified: None,
            next_fetch_at: Some(i64::MAX),
            error: None,
            attempts: 1,
            warc: None,
        };
        let link = NewLink {
            url: "http://h/a1".into(),
            key: "http://h/a1".into(),
            kind: UrlKind::Article,
            depth: 0,
        };
        let added = s.finish_fetch("src", &rec, None, &[link.clone(), link]).unwrap();
        assert_eq!(added.len(), 1, "the same link twice is one URL");
        let q = s.queued("src").unwrap();
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].kind, UrlKind::Article);
        // Not due yet: not requeued. A new seed does requeue the start page, with its validators.
        assert_eq!(s.requeue_due_lists("src", 0).unwrap(), 0);
        s.seed("src", "http://h/list", "http://h/list").unwrap();
        let q = s.queued("src").unwrap();
        assert_eq!(q[0].etag.as_deref(), Some("\"e1\""));
    }
}
