//! Main-text location: known article containers first, else a text-density / link-density score
//! over block elements (the idea behind readability and GNE, re-implemented); then line cleaning.

use super::date;
use super::dom::{
    Stats, in_excluded, is_block_tag, is_excluded, is_hidden, is_related_heading, is_skipped_tag, squash,
    stats,
};
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Containers that, on Chinese gov/news CMSs and common news templates, hold the article text.
const SPECIFIC: &[&str] = &[
    "#zoom",
    ".TRS_Editor",
    "#UCAP-CONTENT",
    ".Custom_UnionStyle",
    "[itemprop=articleBody]",
    ".article-content",
    ".news-body",
    ".rm_txt_con",
    ".pages_content",
    "#artibody",
    ".article-body",
    ".entry-content",
    ".post-content",
];
/// Generic containers that often wrap more than the article; accepted only with little link text.
const GENERIC: &[&str] = &["article", "#content", ".content"];

static SPECIFIC_SEL: LazyLock<Vec<Selector>> =
    LazyLock::new(|| SPECIFIC.iter().filter_map(|s| Selector::parse(s).ok()).collect());
static GENERIC_SEL: LazyLock<Vec<Selector>> =
    LazyLock::new(|| GENERIC.iter().filter_map(|s| Selector::parse(s).ok()).collect());
static BODY: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("body").ok());

fn content_chars(st: &Stats) -> usize {
    st.chars.saturating_sub(st.link_chars)
}

/// The best match of the first known container selector holding substantial text.
pub fn known_container(doc: &Html) -> Option<ElementRef<'_>> {
    let pick = |sels: &[Selector], min_chars: usize, max_density: f64| {
        sels.iter().find_map(|sel| {
            doc.select(sel)
                .filter(|e| !in_excluded(e) && !is_excluded(e) && !is_hidden(e))
                .map(|e| (e, stats(e, true)))
                .filter(|(_, st)| content_chars(st) >= min_chars && st.link_density() < max_density)
                .max_by_key(|(_, st)| content_chars(st))
                .map(|(e, _)| e)
        })
    };
    pick(&SPECIFIC_SEL, 20, 0.5).or_else(|| pick(&GENERIC_SEL, 80, 0.35))
}

fn class_weight(el: &ElementRef<'_>) -> f64 {
    static POS: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"(?i)article|body|content|entry|main|post|text|story|zoom|trs_|detail|news_txt|con_txt|wenzhang|zhengwen")
            .ok()
    });
    static NEG: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"(?i)comment|foot|meta|promo|related|scroll|share|sidebar|sponsor|tags|tool|widget|nav|menu|list|link|hot|rank|recommend|tuijian|paihang")
            .ok()
    });
    let v = el.value();
    let mut w = 0.0;
    for s in [v.id(), v.attr("class")].into_iter().flatten() {
        if POS.as_ref().is_some_and(|r| r.is_match(s)) {
            w += 25.0;
        }
        if NEG.as_ref().is_some_and(|r| r.is_match(s)) {
            w -= 25.0;
        }
    }
    w
}

fn tag_weight(name: &str) -> f64 {
    match name {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Text an element holds itself (text nodes and inline children), not in child blocks.
fn own_inline_stats(el: ElementRef<'_>) -> Stats {
    let mut st = Stats::default();
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                for c in t.chars().filter(|c| !c.is_whitespace()) {
                    st.chars += 1;
                    if super::dom::is_punct(c) {
                        st.punct += 1;
                    }
                }
            }
            Node::Element(e) if !is_block_tag(e.name()) && !is_skipped_tag(e.name()) => {
                if let Some(ch) = ElementRef::wrap(child) {
                    let s = stats(ch, true);
                    let is_link = e.name() == "a";
                    st.chars += s.chars;
                    st.link_chars += if is_link { s.chars } else { s.link_chars };
                    st.punct += s.punct;
                    st.links += s.links + usize::from(is_link);
                }
            }
            _ => {}
        }
    }
    st
}

/// Readability-style scoring: paragraphs give points to their parent and grandparents; each
/// candidate's score is then scaled by `1 - link density`. Returns the best candidate.
pub fn scored_container(doc: &Html) -> Option<ElementRef<'_>> {
    let root = BODY.as_ref().and_then(|s| doc.select(s).next()).unwrap_or_else(|| doc.root_element());
    let mut index = HashMap::new();
    let mut cands: Vec<(ElementRef<'_>, f64)> = Vec::new();
    let mut stack = vec![root];
    while let Some(el) = stack.pop() {
        for ch in el.children().filter_map(ElementRef::wrap) {
            let name = ch.value().name();
            if !is_skipped_tag(name) && !is_excluded(&ch) && !is_hidden(&ch) {
                stack.push(ch);
            }
        }
        let name = el.value().name();
        let st = match name {
            "p" | "pre" | "blockquote" => stats(el, true),
            "div" | "td" | "section" | "article" | "span" | "font" | "center" | "dd" => own_inline_stats(el),
            _ => continue,
        };
        if content_chars(&st) < 20 {
            continue;
        }
        let score = (1.0 + st.punct as f64 + (st.chars as f64 / 100.0).min(3.0)) * (1.0 - st.link_density());
        for (level, anc) in el.ancestors().filter_map(ElementRef::wrap).take(3).enumerate() {
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                _ => 6.0,
            };
            let i = *index.entry(anc.id()).or_insert_with(|| {
                let init = tag_weight(anc.value().name()) + class_weight(&anc);
                cands.push((anc, init));
                cands.len() - 1
            });
            if let Some(c) = cands.get_mut(i) {
                c.1 += score / div;
            }
        }
        // A paragraph-holding div is itself a candidate for its own text.
        if name != "p" {
            let i = *index.entry(el.id()).or_insert_with(|| {
                cands.push((el, tag_weight(name) + class_weight(&el)));
                cands.len() - 1
            });
            if let Some(c) = cands.get_mut(i) {
                c.1 += score;
            }
        }
    }
    let final_score = |(e, s): &(ElementRef<'_>, f64)| {
        if matches!(e.value().name(), "html" | "body") {
            return f64::MIN;
        }
        s * (1.0 - stats(*e, true).link_density())
    };
    let scored: Vec<(ElementRef<'_>, f64)> = cands.iter().map(|c| (c.0, final_score(c))).collect();
    let (top, top_score) = scored.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    if content_chars(&stats(top, true)) < 20 || top_score <= 0.0 {
        return None;
    }
    // Article text split over sibling blocks: take the parent when a sibling scores comparably.
    if let Some(parent) = top.parent().and_then(ElementRef::wrap)
        && !matches!(parent.value().name(), "html" | "body")
        && stats(parent, true).link_density() < 0.3
    {
        let strong_sibling = scored.iter().any(|(e, s)| {
            *e != top && e.parent().and_then(ElementRef::wrap) == Some(parent) && *s >= 0.5 * top_score
        });
        if strong_sibling {
            return Some(parent);
        }
    }
    Some(top)
}

static META_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)发布时间|发布日期|发稿时间|来源\s*[:：]|信息来源|发布机构|作者\s*[:：]|浏览次数|浏览量|点击数|点击量|访问量|阅读量|字号|【字体|字体\s*[:：]|^分享到|^\s*(By|Published|Updated|Posted)\b").ok()
});
static FOOTER_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)ICP\s*备|ICP证|网站标识码|公网安备|版权所有|All rights reserved|Copyright\s*(©|\(c\)|&copy;)?\s*\d{0,4}|^©").ok()
});
static TAIL_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)打印|关闭|分享|收藏|返回顶部|上一篇|下一篇|扫一扫|责任编辑|编辑\s*[:：]|^【|^\[|^Share\b|^Print\b").ok()
});

fn matches(re: &LazyLock<Option<Regex>>, s: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(s))
}

/// Whether a short line is page metadata (date, source, byline, view count, font-size switch).
pub fn is_meta_line(line: &str) -> bool {
    let n = line.chars().count();
    if n > 150 {
        return false;
    }
    if matches(&META_LINE, line) {
        return true;
    }
    // A line that is little more than a date.
    n <= 40 && date::find_in_text(line).is_some() && line.chars().filter(|c| c.is_alphabetic()).count() <= 12
}

/// Cleans body lines: drops a repeated title, leading metadata lines, footer lines (copyright,
/// ICP, 网站标识码), trailing print/share/close lines and everything from a "相关链接" heading on.
pub fn clean_lines(mut lines: Vec<String>, title: &str) -> Vec<String> {
    if let Some(cut) = lines.iter().enumerate().skip(1).find(|(_, l)| is_related_heading(l)).map(|(i, _)| i) {
        lines.truncate(cut);
    }
    let t = squash(title);
    let is_title = |l: &str| {
        let s = squash(l);
        !t.is_empty() && (s == t || (s.starts_with(&t) && s.chars().count() <= t.chars().count() + 6))
    };
    lines.retain(|l| {
        let short = l.chars().count() <= 200;
        !(is_title(l) || (short && matches(&FOOTER_LINE, l)))
    });
    let lead = lines.iter().take(6).take_while(|l| is_meta_line(l)).count();
    lines.drain(..lead);
    while lines.last().is_some_and(|l| l.chars().count() <= 40 && matches(&TAIL_LINE, l)) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::super::dom::render_lines;
    use super::*;

    #[test]
    fn known_container_needs_text() {
        let doc = Html::parse_document(
            "<div id=zoom></div><div class=content><ul><li><a href=1>链接一二三四五六七八九十</a></li></ul></div>\
             <div class=TRS_Editor><p>江州市生态环境局对辖区内重点排污单位开展监督性监测。</p></div>",
        );
        let el = known_container(&doc);
        assert_eq!(el.and_then(|e| e.value().attr("class")), Some("TRS_Editor"));
    }

    #[test]
    fn scoring_prefers_prose_over_link_lists() {
        let para = "生态环境部门接到群众举报后，立即组织执法人员赶赴现场，调查发现该企业存在超标排放问题。";
        let links: String =
            (0..20).map(|i| format!("<li><a href=/n{i}>江州新闻标题第{i}条消息</a></li>")).collect();
        let html = format!(
            "<body><div class=l><ul>{links}</ul></div><div class=x><div class=y><p>{para}</p><p>{para}</p><p>{para}</p></div></div>\
             <div class=r><ul>{links}</ul></div></body>"
        );
        let doc = Html::parse_document(&html);
        let el = scored_container(&doc);
        assert_eq!(el.and_then(|e| e.value().attr("class")), Some("y"));
        let lines = el.map(|e| render_lines(e, true)).unwrap_or_default();
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn scoring_handles_br_text_and_empty_pages() {
        let doc = Html::parse_document(
            "<body><div id=t>第一段，内容较长的正文文字，包含标点符号。<br>第二段，同样是正文内容，继续说明情况。</div></body>",
        );
        assert_eq!(scored_container(&doc).and_then(|e| e.value().id()), Some("t"));
        assert!(scored_container(&Html::parse_document("")).is_none());
    }

    #[test]
    fn cleaning() {
        let lines: Vec<String> = [
            "关于开展监督性监测的通知",
            "发布时间：2024-03-18 10:22 来源：江州市生态环境局",
            "【字体：大 中 小】",
            "各区县生态环境分局：",
            "为加强监管，现将有关事项通知如下。",
            "江州市生态环境局 2024年3月18日",
            "【打印本页】 【关闭窗口】",
            "相关链接",
            "关于某某的通知",
            "版权所有：江州市生态环境局 网站标识码：3601000001 赣ICP备05001234号",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let out = clean_lines(lines, "关于开展监督性监测的通知");
        assert_eq!(
            out,
            vec![
                "各区县生态环境分局：",
                "为加强监管，现将有关事项通知如下。",
                "江州市生态环境局 2024年3月18日"
            ]
        );
    }
}
