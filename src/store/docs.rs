//! Documents: the outbox between fetching and indexing, and the text behind every lead.
//!
//! A document is written `pending` in the same transaction as its fetch; the ingest step indexes
//! it, runs the rules, records leads and only then marks it `indexed`. A crash in between leaves it
//! `pending`, so it is processed again (indexing is an upsert by id, leads are recorded once).

use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OptionalExtension, params};

use super::Store;
use crate::document::{Document, body_hash};

/// Inserts or replaces `doc` as `pending`. A document whose text did not change keeps its state.
pub(crate) fn insert_pending(conn: &Connection, doc: &Document) -> rusqlite::Result<bool> {
    let hash = body_hash(&doc.body);
    let existing: Option<(String, String, String)> = conn
        .query_row("SELECT body_hash, title, state FROM documents WHERE id = ?1", [&doc.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((h, title, state)) = &existing
        && *h == hash
        && *title == doc.title
        && state == "indexed"
    {
        return Ok(false);
    }
    conn.execute(
        "INSERT INTO documents (id, url, source, title, body, published, issuer, lang, encoding, region,
                                body_hash, fetched_at, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'pending')
         ON CONFLICT(id) DO UPDATE SET url = ?2, source = ?3, title = ?4, body = ?5, published = ?6,
             issuer = ?7, lang = ?8, encoding = ?9, region = ?10, body_hash = ?11, fetched_at = ?12,
             state = 'pending'",
        params![
            doc.id,
            doc.url,
            doc.source,
            doc.title,
            doc.body,
            doc.published.map(|d| d.to_rfc3339()),
            doc.issuer,
            doc.lang,
            doc.encoding,
            doc.region,
            hash,
            doc.fetched_at.to_rfc3339()
        ],
    )?;
    Ok(true)
}

const DOC_COLUMNS: &str =
    "id, url, source, title, body, published, issuer, lang, encoding, region, fetched_at";

fn row_to_doc(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    let parse = |s: Option<String>| s.and_then(|s| DateTime::<FixedOffset>::parse_from_rfc3339(&s).ok());
    Ok(Document {
        id: r.get(0)?,
        url: r.get(1)?,
        source: r.get(2)?,
        title: r.get(3)?,
        body: r.get(4)?,
        published: parse(r.get(5)?),
        issuer: r.get(6)?,
        lang: r.get(7)?,
        encoding: r.get(8)?,
        region: r.get(9)?,
        fetched_at: parse(r.get(10)?).unwrap_or_else(|| chrono::Utc::now().fixed_offset()),
    })
}

impl Store {
    /// Writes a document as `pending` (imports). Returns false when an identical copy is already
    /// indexed, so re-importing the same file does no work.
    pub fn put_document(&self, doc: &Document) -> anyhow::Result<bool> {
        Ok(insert_pending(&self.conn, doc)?)
    }

    /// Up to `limit` documents waiting to be indexed.
    pub fn pending_documents(&self, limit: usize) -> anyhow::Result<Vec<Document>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DOC_COLUMNS} FROM documents WHERE state = 'pending' ORDER BY rowid LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], row_to_doc)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One document by id.
    pub fn document(&self, id: &str) -> anyhow::Result<Option<Document>> {
        Ok(self
            .conn
            .query_row(&format!("SELECT {DOC_COLUMNS} FROM documents WHERE id = ?1"), [id], row_to_doc)
            .optional()?)
    }

    /// Calls `f` with every document, in the order they were stored.
    pub fn for_each_document(&self, mut f: impl FnMut(Document) -> anyhow::Result<()>) -> anyhow::Result<()> {
        let mut stmt = self.conn.prepare(&format!("SELECT {DOC_COLUMNS} FROM documents ORDER BY rowid"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            f(row_to_doc(row)?)?;
        }
        Ok(())
    }

    /// Marks every document pending again (a reindex processes them all).
    pub fn mark_all_pending(&self) -> anyhow::Result<usize> {
        Ok(self.conn.execute("UPDATE documents SET state = 'pending'", [])?)
    }

    /// Number of documents, and of those still pending.
    pub fn document_counts(&self) -> anyhow::Result<(i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(state = 'pending'), 0) FROM documents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}
