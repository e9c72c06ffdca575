//! Leads: what a prosecutor acts on. Turns a document's rule matches into a lead candidate,
//! scores it and decides which story (cluster) it belongs to.
//!
//! Pure: takes values and returns values. Persisting leads is `store::leads`; rendering them is
//! `digest`. A lead is a story, not a page: documents whose bodies are equal once whitespace is
//! removed share a cluster key and join one lead (near-duplicate clustering deepens this).
//!
//! Score = best rule score × source authority weight (official 1.2, media 1.0, forum 0.8).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::config::Authority;
use crate::document::{Document, body_hash};
use crate::rules::RuleMatch;

/// Review status of a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LeadStatus {
    /// Not reviewed yet.
    New,
    /// A reviewer took it up.
    Accepted,
    /// A reviewer found it not to be a lead.
    Dismissed,
    /// Merged into another lead.
    Duplicate,
}

impl LeadStatus {
    /// Name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Accepted => "accepted",
            LeadStatus::Dismissed => "dismissed",
            LeadStatus::Duplicate => "duplicate",
        }
    }

    /// Parses a stored or typed status.
    pub fn parse(s: &str) -> Option<LeadStatus> {
        Some(match s {
            "new" => LeadStatus::New,
            "accepted" => LeadStatus::Accepted,
            "dismissed" => LeadStatus::Dismissed,
            "duplicate" => LeadStatus::Duplicate,
            _ => return None,
        })
    }
}

/// A stored lead with its documents and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    /// Lead id.
    pub id: i64,
    /// Field of the best-scoring rule (environment, food_drug, accessibility, ...).
    pub category: String,
    /// Title of the first document.
    pub title: String,
    /// See the module doc.
    pub score: f64,
    /// Review status.
    pub status: LeadStatus,
    /// Jurisdiction hint (division code), when known.
    pub region: Option<String>,
    /// Local date of the digest the lead first appeared in.
    pub first_seen: NaiveDate,
    /// Ids of the rules that matched any of its documents.
    pub rules: Vec<String>,
    /// Its documents, first seen first.
    pub sources: Vec<LeadSource>,
    /// The rule matches of its first document, best first.
    pub evidence: Vec<RuleMatch>,
}

/// One document of a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadSource {
    /// Document id.
    pub doc_id: String,
    /// Where it was published.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Configured source name.
    pub source: String,
    /// Publish time (RFC 3339) when known.
    pub published: Option<String>,
    /// Issuer (`来源`) when known.
    pub issuer: Option<String>,
    /// First part of the body, for snippets.
    pub body: String,
}

/// What a document's matches amount to, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Field of the best match.
    pub category: String,
    /// Document title.
    pub title: String,
    /// Score (module doc).
    pub score: f64,
    /// Documents with the same key are one story.
    pub cluster_key: String,
    /// Jurisdiction hint.
    pub region: Option<String>,
    /// Digest day.
    pub first_seen: NaiveDate,
}

/// The lead candidate for `doc`, or `None` when no rule fired. `matches` are the rules that fired
/// (each already at or above its threshold); `today` is the local digest day.
pub fn candidate(
    doc: &Document,
    matches: &[RuleMatch],
    authority: Authority,
    today: NaiveDate,
) -> Option<Candidate> {
    let best =
        matches.iter().max_by(|a, b| a.score.total_cmp(&b.score).then_with(|| b.rule_id.cmp(&a.rule_id)))?;
    Some(Candidate {
        category: best.category.clone(),
        title: doc.title.clone(),
        score: round2(best.score * authority.weight()),
        cluster_key: body_hash(&doc.body),
        region: doc.region.clone(),
        first_seen: today,
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Human name of a category, for digests (Chinese first, the way staff speak).
pub fn category_label(category: &str) -> &str {
    match category {
        "environment" => "生态环境 Environment",
        "food_drug" => "食品药品安全 Food & drug safety",
        "accessibility" => "无障碍环境 Accessibility",
        "personal_info" => "个人信息保护 Personal information",
        "elderly_fraud" => "养老诈骗 Elderly fraud",
        "heroes_martyrs" => "英烈保护 Heroes & martyrs",
        "farmland" => "耕地保护 Farmland",
        "medical_insurance" => "医保基金 Medical insurance",
        "gig_workers" => "新就业形态劳动者 Gig workers",
        "minors" => "未成年人保护 Minors",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str, cat: &str, score: f64) -> RuleMatch {
        RuleMatch {
            rule_id: id.into(),
            rule_version: 1,
            category: cat.into(),
            rule_title: id.into(),
            severity: "high".into(),
            score,
            threshold: 1.0,
            hits: vec![],
            breakdown: vec![],
        }
    }

    fn doc(body: &str) -> Document {
        Document {
            id: "d".into(),
            url: "http://x/1".into(),
            source: "s".into(),
            title: "某厂偷排".into(),
            body: body.into(),
            published: None,
            issuer: None,
            lang: "zh".into(),
            encoding: "UTF-8".into(),
            region: Some("340100".into()),
            fetched_at: chrono::Utc::now().fixed_offset(),
        }
    }

    #[test]
    fn best_rule_decides_category_and_authority_scales() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 18).unwrap();
        let c = candidate(
            &doc("a b"),
            &[m("f", "food_drug", 5.0), m("e", "environment", 9.0)],
            Authority::Official,
            day,
        )
        .unwrap();
        assert_eq!(c.category, "environment");
        assert_eq!(c.score, 10.8);
        assert!(candidate(&doc("a"), &[], Authority::Media, day).is_none());
    }

    #[test]
    fn reprints_share_a_cluster() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 18).unwrap();
        let a =
            candidate(&doc("某厂 偷排\n污水"), &[m("e", "environment", 9.0)], Authority::Media, day).unwrap();
        let b =
            candidate(&doc("某厂偷排污水"), &[m("e", "environment", 9.0)], Authority::Media, day).unwrap();
        assert_eq!(a.cluster_key, b.cluster_key);
    }
}
