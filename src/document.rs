//! The document: one article as it travels from extraction to the index, the rules and the leads.
//!
//! A document's id is derived from the normalised key of its URL, so the same page fetched or
//! imported twice is the same document (an update replaces it, never duplicates it).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One article, ready for indexing and matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: see [`doc_id`].
    pub id: String,
    /// The URL the article was fetched from (after redirects) or imported with.
    pub url: String,
    /// Name of the configured source, or `import`.
    pub source: String,
    /// Title.
    pub title: String,
    /// Main text, paragraphs separated by newlines.
    pub body: String,
    /// Publish time as stated by the page.
    pub published: Option<DateTime<FixedOffset>>,
    /// Issuing body or outlet (`来源：…`).
    pub issuer: Option<String>,
    /// `zh`, `en` or `other`.
    pub lang: String,
    /// Character encoding the page was decoded with (`UTF-8` for imports).
    pub encoding: String,
    /// Default jurisdiction hint of the source (division code).
    pub region: Option<String>,
    /// When the page was fetched or imported.
    pub fetched_at: DateTime<FixedOffset>,
}

/// Id of the document at `url_key` (a normalised URL): the first 16 hex digits of its SHA-256.
pub fn doc_id(url_key: &str) -> String {
    let digest = Sha256::digest(url_key.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Hash of a body with all whitespace removed: equal for reprints that differ only in layout.
pub fn body_hash(body: &str) -> String {
    let mut h = Sha256::new();
    let mut buf = [0u8; 4];
    for c in body.chars().filter(|c| !c.is_whitespace()) {
        h.update(c.encode_utf8(&mut buf).as_bytes());
    }
    h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_short() {
        assert_eq!(doc_id("http://a/b"), doc_id("http://a/b"));
        assert_ne!(doc_id("http://a/b"), doc_id("http://a/c"));
        assert_eq!(doc_id("x").len(), 16);
    }

    #[test]
    fn body_hash_ignores_layout() {
        assert_eq!(body_hash("某化工厂 偷排\n污水"), body_hash("某化工厂偷排污水"));
        assert_ne!(body_hash("偷排污水"), body_hash("偷排废水"));
    }
}
