//! Searching the index: query parsing, filters, scoring, CJK-correct snippets.

use anyhow::Context;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{TantivyDocument, Term};

use super::SearchIndex;

/// Characters of context in a snippet. Tantivy counts its budget in bytes, and a CJK character is
/// three bytes in UTF-8, so the byte budget given to it is three times this.
pub const SNIPPET_CHARS: usize = 120;

/// What to search for besides the query text.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip (pagination).
    pub offset: usize,
    /// Only documents of this source.
    pub source: Option<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { limit: 10, offset: 0, source: None }
    }
}

/// The outcome of a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Number of matching documents in all.
    pub total: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
}

/// One search hit. Serialised as one JSON line by `cluewatch search --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Document URL.
    pub url: String,
    /// Title.
    pub title: String,
    /// Publish time (RFC 3339, China Standard Time), when known.
    pub published: Option<String>,
    /// Source name.
    pub source: String,
    /// Issuer, when known.
    pub issuer: Option<String>,
    /// Relevance score (BM25).
    pub score: f32,
    /// A passage of the body around the matched words, plain text.
    pub snippet: String,
    /// The same passage with matched words in `<b>…</b>`, HTML-escaped.
    pub snippet_html: String,
}

impl SearchIndex {
    /// Searches for `query` (words are ANDed; "quoted phrases", OR, NOT and `field:` follow the
    /// Tantivy query language on the fields title and body).
    pub fn search(&self, query: &str, opts: &SearchOptions) -> anyhow::Result<SearchResults> {
        let f = self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body, f.title_bi, f.body_bi]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        parser.set_field_boost(f.title_bi, 2.0);
        let parsed =
            parser.parse_query(query).map_err(|e| anyhow::anyhow!("cannot parse query {query:?}: {e}"))?;
        let full: Box<dyn Query> = match &opts.source {
            Some(src) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, parsed.box_clone()),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(Term::from_field_text(f.source, src), IndexRecordOption::Basic)),
                ),
            ])),
            None => parsed.box_clone(),
        };
        let searcher = self.reader.searcher();
        let (top, total) = searcher
            .search(
                &full,
                &(TopDocs::with_limit(opts.limit.max(1)).and_offset(opts.offset).order_by_score(), Count),
            )
            .context("search failed")?;
        let budget = SNIPPET_CHARS * 3;
        let mut bigram_snippets = SnippetGenerator::create(&searcher, &*parsed, f.body_bi)?;
        bigram_snippets.set_max_num_chars(budget);
        let mut word_snippets = SnippetGenerator::create(&searcher, &*parsed, f.body)?;
        word_snippets.set_max_num_chars(budget);
        let cst = chrono::FixedOffset::east_opt(8 * 3600).context("offset")?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
            let body = text(f.body).unwrap_or_default();
            let mut snippet = bigram_snippets.snippet(&body);
            if snippet.highlighted().is_empty() {
                snippet = word_snippets.snippet(&body);
            }
            let (plain, html) = render_snippet(&snippet, &body);
            hits.push(Hit {
                id: text(f.id).unwrap_or_default(),
                url: text(f.url).unwrap_or_default(),
                title: text(f.title).unwrap_or_default(),
                published: doc
                    .get_first(f.published)
                    .and_then(|v| v.as_datetime())
                    .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                    .map(|d| d.with_timezone(&cst).to_rfc3339()),
                source: text(f.source).unwrap_or_default(),
                issuer: text(f.issuer),
                score,
                snippet: plain,
                snippet_html: html,
            });
        }
        Ok(SearchResults { total, hits })
    }
}

/// Renders a snippet as plain text and as escaped HTML with merged highlights. Without a
/// highlight, the start of the body stands in.
fn render_snippet(snippet: &Snippet, body: &str) -> (String, String) {
    let fragment = snippet.fragment();
    if fragment.is_empty() {
        let head: String = body.chars().take(SNIPPET_CHARS).collect();
        let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
        return (head.clone(), html_escape::encode_text(&head).into_owned());
    }
    let mut ranges: Vec<std::ops::Range<usize>> = snippet.highlighted().to_vec();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut html = String::new();
    let mut at = 0;
    for r in merged {
        if r.start < at || r.end > fragment.len() {
            continue;
        }
        html.push_str(&html_escape::encode_text(&fragment[at..r.start]));
        html.push_str("<b>");
        html.push_str(&html_escape::encode_text(&fragment[r.start..r.end]));
        html.push_str("</b>");
        at = r.end;
    }
    html.push_str(&html_escape::encode_text(&fragment[at..]));
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    (flat(fragment), flat(&html))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn doc(id: &str, title: &str, body: &str, source: &str) -> Document {
        Document {
            id: id.into(),
            url: format!("http://example.gov.cn/{id}.html"),
            source: source.into(),
            title: title.into(),
            body: body.into(),
            published: chrono::DateTime::parse_from_rfc3339("2024-03-18T10:22:00+08:00").ok(),
            issuer: Some("江州市生态环境局".into()),
            lang: "zh".into(),
            encoding: "UTF-8".into(),
            region: None,
            fetched_at: chrono::Utc::now().fixed_offset(),
        }
    }

    fn index() -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let idx = SearchIndex::open(&dir.path().join("t")).unwrap();
        let mut w = idx.writer().unwrap();
        w.upsert(&doc(
            "a",
            "化工企业偷排污水被查处",
            "合肥市某化工企业偷排污水被群众举报，河道发黑。",
            "eco",
        ))
        .unwrap();
        w.upsert(&doc("b", "食品安全抽检信息通告", "本次抽检食品安全状况良好，PM2.5 监测正常。", "food"))
            .unwrap();
        w.upsert(&doc(
            "c",
            "Factory fined for dumping sewage",
            "The factory was discharging untreated sewage into rivers.",
            "en",
        ))
        .unwrap();
        w.commit().unwrap();
        (dir, idx)
    }

    fn ids(idx: &SearchIndex, q: &str) -> Vec<String> {
        idx.search(q, &SearchOptions::default()).unwrap().hits.into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn segmentation_never_hides_a_word() {
        let (_d, idx) = index();
        for q in ["偷排", "污水", "排污", "偷排 污水", "\"偷排污水\"", "食品", "食品安全"]
        {
            let want = if q.starts_with('食') { "b" } else { "a" };
            assert_eq!(ids(&idx, q), [want], "query {q}");
        }
        assert_eq!(ids(&idx, "ＰＭ２．５"), ["b"]);
        assert_eq!(ids(&idx, "pm2.5"), ["b"]);
    }

    #[test]
    fn english_is_stemmed_and_case_folded() {
        let (_d, idx) = index();
        assert_eq!(ids(&idx, "River"), ["c"]);
        assert_eq!(ids(&idx, "discharge"), ["c"]);
    }

    #[test]
    fn upsert_keeps_one_copy_and_source_filters() {
        let (_d, idx) = index();
        let mut w = idx.writer().unwrap();
        w.upsert(&doc("a", "化工企业偷排污水被查处", "更新后的正文：偷排污水。", "eco")).unwrap();
        w.commit().unwrap();
        assert_eq!(idx.num_docs().unwrap(), 3);
        let r =
            idx.search("偷排", &SearchOptions { source: Some("food".into()), ..Default::default() }).unwrap();
        assert_eq!(r.total, 0);
    }

    #[test]
    fn snippets_highlight_whole_cjk_words() {
        let (_d, idx) = index();
        let r = idx.search("偷排污水", &SearchOptions::default()).unwrap();
        let h = &r.hits[0];
        assert!(h.snippet_html.contains("<b>偷排污水</b>"), "{}", h.snippet_html);
        assert_eq!(h.published.as_deref(), Some("2024-03-18T10:22:00+08:00"));
    }
}
