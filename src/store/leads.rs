//! Rule matches and leads.
//!
//! Recording a document's matches and its lead is one transaction together with marking the
//! document `indexed`, so a document is never half-processed and never makes a second lead.

use chrono::{NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::leads::{Candidate, Lead, LeadSource, LeadStatus};
use crate::rules::RuleMatch;

/// What recording a document did to the leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadOutcome {
    /// No rule fired.
    None,
    /// A new lead was created.
    Created(i64),
    /// The document joined an existing lead (a reprint of the same story).
    Joined(i64),
    /// The document already belonged to this lead (processed before).
    Existing(i64),
}

/// Which leads to list.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    /// Only this status.
    pub status: Option<LeadStatus>,
    /// Only this field.
    pub category: Option<String>,
    /// First seen on or after this day.
    pub since: Option<NaiveDate>,
    /// First seen on or before this day.
    pub until: Option<NaiveDate>,
    /// At most this many.
    pub limit: Option<usize>,
}

impl Store {
    /// Records the rules that fired on `doc_id`, its lead (if `candidate`), and marks it indexed.
    pub fn finish_document(
        &mut self,
        doc_id: &str,
        matches: &[RuleMatch],
        candidate: Option<&Candidate>,
    ) -> anyhow::Result<LeadOutcome> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM matches WHERE doc_id = ?1", [doc_id])?;
        for m in matches {
            tx.execute(
                "INSERT INTO matches (doc_id, rule_id, rule_version, score, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![doc_id, m.rule_id, m.rule_version, m.score, serde_json::to_string(m)?],
            )?;
        }
        let now = Utc::now().to_rfc3339();
        let outcome = match candidate {
            None => LeadOutcome::None,
            Some(c) => {
                let existing: Option<i64> = tx
                    .query_row("SELECT lead_id FROM lead_docs WHERE doc_id = ?1", [doc_id], |r| r.get(0))
                    .optional()?;
                if let Some(id) = existing {
                    LeadOutcome::Existing(id)
                } else {
                    let cluster: Option<i64> = tx
                        .query_row(
                            "SELECT id FROM leads WHERE cluster_key = ?1 ORDER BY id LIMIT 1",
                            [&c.cluster_key],
                            |r| r.get(0),
                        )
                        .optional()?;
                    let (id, outcome) = match cluster {
                        Some(id) => {
                            tx.execute(
                                "UPDATE leads SET score = MAX(score, ?2) WHERE id = ?1",
                                params![id, c.score],
                            )?;
                            (id, LeadOutcome::Joined(id))
                        }
                        None => {
                            tx.execute(
                                "INSERT INTO leads (category, title, score, region, cluster_key, first_seen, created_at)
                                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                params![
                                    c.category,
                                    c.title,
                                    c.score,
                                    c.region,
                                    c.cluster_key,
                                    c.first_seen.to_string(),
                                    now
                                ],
                            )?;
                            let id = tx.last_insert_rowid();
                            (id, LeadOutcome::Created(id))
                        }
                    };
                    tx.execute(
                        "INSERT INTO lead_docs (lead_id, doc_id, added_at) VALUES (?1, ?2, ?3)",
                        params![id, doc_id, now],
                    )?;
                    outcome
                }
            }
        };
        tx.execute("UPDATE documents SET state = 'indexed' WHERE id = ?1", [doc_id])?;
        tx.commit()?;
        Ok(outcome)
    }

    /// Leads matching `filter`, best first within a day, newest day first.
    pub fn leads(&self, filter: &LeadFilter) -> anyhow::Result<Vec<Lead>> {
        let mut sql = String::from(
            "SELECT id, category, title, score, status, region, first_seen FROM leads WHERE 1 = 1",
        );
        let mut args: Vec<String> = Vec::new();
        if let Some(s) = filter.status {
            args.push(s.as_str().to_string());
            sql += &format!(" AND status = ?{}", args.len());
        }
        if let Some(c) = &filter.category {
            args.push(c.clone());
            sql += &format!(" AND category = ?{}", args.len());
        }
        if let Some(d) = filter.since {
            args.push(d.to_string());
            sql += &format!(" AND first_seen >= ?{}", args.len());
        }
        if let Some(d) = filter.until {
            args.push(d.to_string());
            sql += &format!(" AND first_seen <= ?{}", args.len());
        }
        sql += " ORDER BY first_seen DESC, score DESC, id";
        if let Some(n) = filter.limit {
            sql += &format!(" LIMIT {n}");
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let heads = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        heads
            .into_iter()
            .map(|(id, category, title, score, status, region, first_seen)| {
                let sources = self.lead_sources(id)?;
                // Each document's matches are read once: the first document's are the evidence,
                // all of them name the lead's rules.
                let mut evidence = Vec::new();
                let mut rules: Vec<String> = Vec::new();
                for (i, s) in sources.iter().enumerate() {
                    let matches = self.matches_of(&s.doc_id)?;
                    for m in &matches {
                        if !rules.contains(&m.rule_id) {
                            rules.push(m.rule_id.clone());
                        }
                    }
                    if i == 0 {
                        evidence = matches;
                    }
                }
                Ok(Lead {
                    id,
                    category,
                    title,
                    score,
                    status: LeadStatus::parse(&status).unwrap_or(LeadStatus::New),
                    region,
                    first_seen: first_seen.parse()?,
                    rules,
                    sources,
                    evidence,
                })
            })
            .collect()
    }

    fn lead_sources(&self, lead_id: i64) -> anyhow::Result<Vec<LeadSource>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.url, d.title, d.source, d.published, d.issuer, d.body FROM lead_docs l
             JOIN documents d ON d.id = l.doc_id WHERE l.lead_id = ?1 ORDER BY l.added_at, d.rowid",
        )?;
        let rows = stmt.query_map([lead_id], |r| {
            Ok(LeadSource {
                doc_id: r.get(0)?,
                url: r.get(1)?,
                title: r.get(2)?,
                source: r.get(3)?,
                published: r.get(4)?,
                issuer: r.get(5)?,
                body: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The rule matches recorded for a document, best first.
    pub fn matches_of(&self, doc_id: &str) -> anyhow::Result<Vec<RuleMatch>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT evidence FROM matches WHERE doc_id = ?1 ORDER BY score DESC, rule_id")?;
        let rows = stmt.query_map([doc_id], |r| r.get::<_, String>(0))?;
        rows.map(|r| Ok(serde_json::from_str(&r?)?)).collect()
    }

    /// Number of leads in all.
    pub fn lead_count(&self) -> anyhow::Result<i64> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM leads", [], |r| r.get(0))?)
    }
}
