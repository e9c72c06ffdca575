//! The daily digest: the leads first seen on one day, grouped by field, best first, with the
//! matched words highlighted, the source link and date.
//!
//! Pure: [`build`] takes leads and returns a [`Digest`]; [`render_markdown`] and [`render_html`]
//! return strings. Writing the files is the caller's job. Everything shown was written by strangers
//! on the internet: the HTML escapes every piece of text and every URL, and the Markdown escapes
//! the characters that would otherwise become markup.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;

use crate::leads::{Lead, category_label};
use crate::rules::{Field, TermHit};

/// Characters of body text shown around the first matched word.
pub const SNIPPET_CHARS: usize = 140;

/// One day's digest.
#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    /// The day.
    pub date: NaiveDate,
    /// Sections by field, in a fixed order (environment, food and drug, accessibility, others).
    pub sections: Vec<Section>,
}

/// The leads of one field.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Category id.
    pub category: String,
    /// Human label.
    pub label: String,
    /// Leads, best first.
    pub items: Vec<Item>,
}

/// One lead as shown in a digest.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The lead.
    pub lead: Lead,
    /// Title split into plain and highlighted pieces.
    pub title: Vec<Piece>,
    /// A passage of the body around the first match, split into pieces.
    pub snippet: Vec<Piece>,
    /// Matched terms, deduplicated, in order of first appearance.
    pub terms: Vec<String>,
}

/// A piece of text, highlighted or not.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// Whether it is a matched term.
    pub hit: bool,
}

impl Digest {
    /// Number of leads in the digest.
    pub fn len(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
    /// Whether the digest has no leads.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn category_rank(c: &str) -> usize {
    ["environment", "food_drug", "accessibility"].iter().position(|x| *x == c).unwrap_or(3)
}

/// Builds the digest of `date` from `leads` (those first seen that day).
pub fn build(date: NaiveDate, leads: Vec<Lead>) -> Digest {
    let mut by_cat: BTreeMap<(usize, String), Vec<Item>> = BTreeMap::new();
    for lead in leads {
        let item = item(lead);
        by_cat
            .entry((category_rank(&item.lead.category), item.lead.category.clone()))
            .or_default()
            .push(item);
    }
    let sections = by_cat
        .into_iter()
        .map(|((_, category), mut items)| {
            items.sort_by(|a, b| b.lead.score.total_cmp(&a.lead.score).then(a.lead.id.cmp(&b.lead.id)));
            Section { label: category_label(&category).to_string(), category, items }
        })
        .collect();
    Digest { date, sections }
}

fn item(lead: Lead) -> Item {
    let hits: Vec<&TermHit> = lead.evidence.iter().flat_map(|m| m.hits.iter()).collect();
    let mut terms: Vec<String> = Vec::new();
    for h in &hits {
        if !terms.contains(&h.term) {
            terms.push(h.term.clone());
        }
    }
    let title_spans: Vec<(usize, usize)> =
        hits.iter().filter(|h| h.field == Field::Title).map(|h| (h.start, h.end)).collect();
    let body_spans: Vec<(usize, usize)> =
        hits.iter().filter(|h| h.field == Field::Body).map(|h| (h.start, h.end)).collect();
    let body = lead.sources.first().map(|s| s.body.as_str()).unwrap_or("");
    let title = pieces(&lead.title, &title_spans, 0, usize::MAX);
    let first = body_spans.iter().map(|s| s.0).min().unwrap_or(0);
    let from = first.saturating_sub(SNIPPET_CHARS / 3);
    let mut snippet = pieces(body, &body_spans, from, from + SNIPPET_CHARS);
    if from > 0 {
        snippet.insert(0, Piece { text: "…".into(), hit: false });
    }
    if body.chars().count() > from + SNIPPET_CHARS {
        snippet.push(Piece { text: "…".into(), hit: false });
    }
    Item { lead, title, snippet, terms }
}

/// Splits the characters `from..to` of `text` into pieces, marking `spans` (char offsets).
fn pieces(text: &str, spans: &[(usize, usize)], from: usize, to: usize) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let to = to.min(chars.len());
    let mut marked = vec![false; chars.len()];
    for &(s, e) in spans {
        for m in marked.iter_mut().take(e.min(chars.len())).skip(s) {
            *m = true;
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    for i in from.min(to)..to {
        let c = if chars[i].is_whitespace() { ' ' } else { chars[i] };
        match out.last_mut() {
            Some(p) if p.hit == marked[i] => p.text.push(c),
            _ => out.push(Piece { text: c.to_string(), hit: marked[i] }),
        }
    }
    for p in &mut out {
        while p.text.contains("  ") {
            p.text = p.text.replace("  ", " ");
        }
    }
    out
}

/// Escapes text for Markdown: markup characters get a backslash, `<` and `&` become entities.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

fn md_pieces(p: &[Piece]) -> String {
    p.iter().map(|p| if p.hit { format!("**{}**", md_escape(&p.text)) } else { md_escape(&p.text) }).collect()
}

fn published_day(s: &Option<String>) -> String {
    s.as_deref().map(|d| d.chars().take(10).collect()).unwrap_or_else(|| "日期不详".into())
}

/// Renders the digest as Markdown.
pub fn render_markdown(d: &Digest) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# cluewatch 每日线索 Daily leads — {}\n", d.date);
    if d.is_empty() {
        let _ = writeln!(out, "今日无新线索。No new leads.");
        return out;
    }
    let _ = writeln!(out, "{} 条新线索 new leads.\n", d.len());
    for s in &d.sections {
        let _ = writeln!(out, "## {} ({})\n", s.label, s.items.len());
        for it in &s.items {
            let l = &it.lead;
            let _ = writeln!(out, "### {}\n", md_pieces(&it.title));
            let _ = writeln!(
                out,
                "- 线索 Lead #{} · 评分 score {:.2} · 规则 rules: {}",
                l.id,
                l.score,
                md_escape(&l.rules.join(", "))
            );
            let _ = writeln!(
                out,
                "- 命中词 Matched: {}",
                it.terms.iter().map(|t| format!("**{}**", md_escape(t))).collect::<Vec<_>>().join("、")
            );
            for src in &l.sources {
                let _ = writeln!(
                    out,
                    "- 来源 Source: <{}> ({}, {}{})",
                    src.url.replace(['<', '>', ' '], ""),
                    md_escape(&src.source),
                    published_day(&src.published),
                    src.issuer.as_ref().map(|i| format!(", {}", md_escape(i))).unwrap_or_default()
                );
            }
            let _ = writeln!(out, "\n> {}\n", md_pieces(&it.snippet));
        }
    }
    out
}

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

fn attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

/// Only http(s) links become clickable; anything else (`javascript:`) is shown as text.
fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| attr(url.trim()))
}

fn html_pieces(p: &[Piece]) -> String {
    p.iter().map(|p| if p.hit { format!("<mark>{}</mark>", esc(&p.text)) } else { esc(&p.text) }).collect()
}

/// Renders the digest as one self-contained HTML page (inline CSS, no scripts, no external assets).
pub fn render_html(d: &Digest) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <title>cluewatch 每日线索 {date}</title>\
         <style>body{{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;max-width:860px;margin:2em auto;color:#222;line-height:1.6}}\
         h2{{border-bottom:2px solid #b22;padding-bottom:.2em}}article{{border:1px solid #ddd;border-radius:6px;padding:.8em 1em;margin:1em 0}}\
         mark{{background:#ffe58a}}.meta{{color:#666;font-size:.9em}}blockquote{{margin:.5em 0;padding-left:1em;border-left:3px solid #ccc}}</style>\
         </head><body>\n<h1>cluewatch 每日线索 Daily leads — {date}</h1>\n",
        date = d.date
    );
    if d.is_empty() {
        out.push_str("<p>今日无新线索。No new leads.</p>\n</body></html>\n");
        return out;
    }
    let _ = writeln!(out, "<p>{} 条新线索 new leads.</p>", d.len());
    for s in &d.sections {
        let _ = writeln!(out, "<h2>{} ({})</h2>", esc(&s.label), s.items.len());
        for it in &s.items {
            let l = &it.lead;
            let _ = writeln!(out, "<article><h3>{}</h3>", html_pieces(&it.title));
            let _ = writeln!(
                out,
                "<p class=\"meta\">线索 Lead #{} · 评分 score {:.2} · 规则 rules: {}<br>命中词 Matched: {}</p>",
                l.id,
                l.score,
                esc(&l.rules.join(", ")),
                it.terms.iter().map(|t| format!("<mark>{}</mark>", esc(t))).collect::<Vec<_>>().join("、")
            );
            let _ = writeln!(out, "<blockquote>{}</blockquote><ul>", html_pieces(&it.snippet));
            for src in &l.sources {
                let link = match safe_href(&src.url) {
                    Some(href) => format!("<a href=\"{href}\">{}</a>", esc(&src.url)),
                    None => esc(&src.url),
                };
                let _ = writeln!(
                    out,
                    "<li>{link} <span class=\"meta\">{} · {}{}</span></li>",
                    esc(&src.source),
                    esc(&published_day(&src.published)),
                    src.issuer.as_ref().map(|i| format!(" · {}", esc(i))).unwrap_or_default()
                );
            }
            out.push_str("</ul></article>\n");
        }
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leads::{LeadSource, LeadStatus};
    use crate::rules::RuleMatch;

    fn lead(id: i64, cat: &str, score: f64, title: &str, body: &str, hits: Vec<TermHit>) -> Lead {
        Lead {
            id,
            category: cat.into(),
            title: title.into(),
            score,
            status: LeadStatus::New,
            region: None,
            first_seen: NaiveDate::from_ymd_opt(2024, 3, 18).unwrap(),
            rules: vec![format!("{cat}-001")],
            sources: vec![LeadSource {
                doc_id: format!("d{id}"),
                url: format!("http://example.gov.cn/t20240318_{id}.html"),
                title: title.into(),
                source: "eco".into(),
                published: Some("2024-03-18T10:22:00+08:00".into()),
                issuer: Some("江州市生态环境局".into()),
                body: body.into(),
            }],
            evidence: vec![RuleMatch {
                rule_id: format!("{cat}-001"),
                rule_version: 1,
                category: cat.into(),
                rule_title: "t".into(),
                severity: "high".into(),
                score,
                threshold: 5.0,
                hits,
                breakdown: vec![],
            }],
        }
    }

    fn hit(term: &str, field: Field, start: usize) -> TermHit {
        TermHit { group: "act".into(), term: term.into(), field, start, end: start + term.chars().count() }
    }

    fn sample() -> Digest {
        let day = NaiveDate::from_ymd_opt(2024, 3, 18).unwrap();
        build(
            day,
            vec![
                lead(
                    2,
                    "accessibility",
                    7.0,
                    "人行道盲道被占用",
                    "群众反映，人行道盲道被车辆长期占用。",
                    vec![hit("盲道", Field::Body, 8)],
                ),
                lead(
                    1,
                    "environment",
                    9.5,
                    "化工厂偷排<script>",
                    "村民举报某化工厂夜间偷排污水。",
                    vec![hit("偷排", Field::Title, 3), hit("偷排", Field::Body, 10)],
                ),
                lead(
                    3,
                    "environment",
                    12.0,
                    "另一家厂直排",
                    "某厂直排废水。",
                    vec![hit("直排", Field::Body, 2)],
                ),
            ],
        )
    }

    #[test]
    fn grouped_by_field_best_first() {
        let d = sample();
        let cats: Vec<&str> = d.sections.iter().map(|s| s.category.as_str()).collect();
        assert_eq!(cats, ["environment", "accessibility"]);
        let ids: Vec<i64> = d.sections[0].items.iter().map(|i| i.lead.id).collect();
        assert_eq!(ids, [3, 1]);
    }

    #[test]
    fn markdown_snapshot() {
        insta::assert_snapshot!(render_markdown(&sample()));
    }

    #[test]
    fn html_snapshot_escapes_hostile_text() {
        let html = render_html(&sample());
        assert!(!html.contains("<script>"));
        assert!(html.contains("<mark>偷排</mark>"));
        insta::assert_snapshot!(html);
    }

    #[test]
    fn empty_day_says_so() {
        let d = build(NaiveDate::from_ymd_opt(2024, 3, 19).unwrap(), vec![]);
        assert!(render_markdown(&d).contains("No new leads"));
        assert!(render_html(&d).contains("No new leads"));
    }

    #[test]
    fn javascript_links_are_not_clickable() {
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert!(safe_href("https://a.cn/x?a=1&b=\"2\"").unwrap().contains("&quot;"));
    }
}
