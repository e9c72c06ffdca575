//! Title choice: `<meta name="ArticleTitle">`, the page's `<h1>` (or `<h2>`), `og:title` and
//! `<title>` with its site-name suffix removed; plus locating the element that shows the title.

use super::dom::{collapse_ws, in_excluded, is_cjk, is_excluded, squash};
use super::meta::MetaTags;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

static TITLE: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("title").ok());
static H1: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("h1").ok());
static H2: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("h2").ok());
static H3_6: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("h3, h4, h5, h6").ok());

/// The chosen title and, when known, the element that shows it on the page.
pub struct TitleChoice<'a> {
    /// Whitespace-collapsed title.
    pub text: String,
    /// The heading (or other element) that displays the title.
    pub element: Option<ElementRef<'a>>,
}

/// Text of an element, whitespace collapsed.
pub fn element_text(el: ElementRef<'_>) -> String {
    collapse_ws(&visible_text(el))
}

/// The text of `el` without the contents of `script` and `style` elements inside it (a title
/// span with an inline script must still read as the title).
pub fn visible_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        if let Some(t) = node.value().as_text() {
            let hidden = node
                .ancestors()
                .take_while(|a| a.id() != el.id())
                .filter_map(ElementRef::wrap)
                .any(|a| matches!(a.value().name(), "script" | "style" | "noscript"));
            if !hidden {
                out.push_str(t);
            }
        }
    }
    out
}

fn headings<'a>(doc: &'a Html, sel: &LazyLock<Option<Selector>>) -> Vec<(ElementRef<'a>, String)> {
    let Some(sel) = sel.as_ref() else {
        return Vec::new();
    };
    doc.select(sel)
        .filter(|h| !in_excluded(h) && !is_excluded(h))
        .map(|h| (h, element_text(h)))
        .filter(|(_, t)| !t.is_empty())
        .collect()
}

/// Whether a heading is (probably) a logo or site name rather than an article title.
fn is_logo(h: ElementRef<'_>) -> bool {
    std::iter::once(h).chain(h.ancestors().filter_map(ElementRef::wrap).take(3)).any(|e| {
        let v = e.value();
        let s = format!("{} {}", v.id().unwrap_or(""), v.attr("class").unwrap_or("")).to_ascii_lowercase();
        s.contains("logo") || s.contains("site") || s.contains("brand")
    })
}

/// Chooses the title. `override_title` comes from a per-source selector.
pub fn choose<'a>(doc: &'a Html, meta: &MetaTags, override_el: Option<ElementRef<'a>>) -> TitleChoice<'a> {
    if let Some(el) = override_el {
        let text = element_text(el);
        if !text.is_empty() {
            return TitleChoice { text, element: Some(el) };
        }
    }
    let title_tag = TITLE.as_ref().and_then(|s| doc.select(s).next()).map(element_text).unwrap_or_default();
    let h1s = headings(doc, &H1);
    let h2s = if h1s.is_empty() { headings(doc, &H2) } else { Vec::new() };
    let heads: Vec<_> = h1s.into_iter().chain(h2s).collect();

    if let Some(t) = meta.get(&["articletitle"]).map(|s| collapse_ws(&s)).filter(|t| !t.is_empty()) {
        return TitleChoice { element: find_title_element(doc, &t, &heads), text: t };
    }
    if !title_tag.is_empty()
        && let Some((h, t)) = heads.iter().find(|(h, t)| !is_logo(*h) && similar(t, &title_tag))
    {
        return TitleChoice { text: t.clone(), element: Some(*h) };
    }
    let og = meta.get(&["og:title", "twitter:title"]).map(|s| strip_site_suffix(&collapse_ws(&s)));
    if let Some(og) = og.filter(|t| !t.is_empty()) {
        let element = find_title_element(doc, &og, &heads);
        return TitleChoice { text: og, element };
    }
    let stripped = strip_site_suffix(&title_tag);
    let tag_is_site_name = stripped == title_tag;
    // Without h1/h2, a lower heading may hold the headline (`<h5>` on some templates): the
    // longest one, as section names are short.
    let minor = if heads.is_empty() { headings(doc, &H3_6) } else { Vec::new() };
    let minor_best = minor
        .iter()
        .filter(|(h, t)| !is_logo(*h) && t.chars().count() >= 8)
        .max_by_key(|(_, t)| t.chars().count());
    let content_h1 = heads.iter().find(|(h, t)| !is_logo(*h) && t.chars().count() >= 5).or(minor_best);
    if let Some((h, t)) = content_h1
        && (tag_is_site_name || stripped.is_empty())
    {
        return TitleChoice { text: t.clone(), element: Some(*h) };
    }
    if !stripped.is_empty() {
        let element = find_title_element(doc, &stripped, &heads);
        if element.is_none()
            && let Some((el, text)) = prefix_element(doc, &stripped)
        {
            // `<title>` is "headline sitename" with no separator; the page shows the headline.
            return TitleChoice { text, element: Some(el) };
        }
        return TitleChoice { text: stripped, element };
    }
    match heads.first() {
        Some((h, t)) => TitleChoice { text: t.clone(), element: Some(*h) },
        None => TitleChoice { text: String::new(), element: None },
    }
}

/// The element whose own text is the longest proper prefix of `title` (at least 8 characters and
/// half of the title): the headline when `<title>` appends the site name after a plain space.
fn prefix_element<'a>(doc: &'a Html, title: &str) -> Option<(ElementRef<'a>, String)> {
    let want = squash(title);
    let want_chars = want.chars().count();
    let body =
        doc.root_element().children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "body")?;
    let mut best: Option<(ElementRef<'a>, String, usize)> = None;
    for el in body.descendants().filter_map(ElementRef::wrap) {
        if matches!(el.value().name(), "a" | "option" | "script" | "style" | "title") {
            continue;
        }
        // Own text only: linear in the page, and headlines are written straight into their element.
        let own: String = el.children().filter_map(|c| c.value().as_text().map(|t| t.to_string())).collect();
        let sq = squash(&own);
        let n = sq.chars().count();
        if n >= 8
            && n * 2 >= want_chars
            && n < want_chars
            && want.starts_with(&sq)
            && best.as_ref().is_none_or(|b| n > b.2)
        {
            best = Some((el, collapse_ws(&own), n));
        }
    }
    best.map(|(el, text, _)| (el, text))
}

/// The element that displays `title`: a similar heading, else the deepest element whose text is the
/// title (first one outside boilerplate).
fn find_title_element<'a>(
    doc: &'a Html,
    title: &str,
    heads: &[(ElementRef<'a>, String)],
) -> Option<ElementRef<'a>> {
    if let Some((h, _)) = heads.iter().find(|(_, t)| similar(t, title)) {
        return Some(*h);
    }
    let want = squash(title);
    if want.is_empty() {
        return None;
    }
    let body =
        doc.root_element().children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "body")?;
    let mut found: Option<ElementRef<'a>> = None;
    for el in body.descendants().skip(1).filter_map(ElementRef::wrap) {
        if matches!(el.value().name(), "a" | "option" | "script" | "style" | "title") {
            continue;
        }
        if let Some(f) = found
            && !el.ancestors().any(|a| a.id() == f.id())
        {
            break; // left the subtree of the match: `found` is the deepest
        }
        if squash(&visible_text(el)) == want && !in_excluded(&el) && !is_excluded(&el) {
            found = Some(el);
        }
    }
    found
}

/// Whether a heading matches the `<title>`: contained in it, containing its stripped form, or a
/// character-bigram Dice similarity ≥ 0.6.
pub fn similar(heading: &str, title: &str) -> bool {
    let (h, t) = (squash(heading).to_lowercase(), squash(title).to_lowercase());
    if h.is_empty() || t.is_empty() {
        return false;
    }
    if h.chars().count() >= 4 && t.contains(&h) {
        return true;
    }
    let st = squash(&strip_site_suffix(title)).to_lowercase();
    if st.chars().count() >= 4 && h.contains(&st) {
        return true;
    }
    dice(&h, &t) >= 0.6 || dice(&h, &st) >= 0.6
}

fn dice(a: &str, b: &str) -> f64 {
    let grams = |s: &str| -> Vec<(char, char)> {
        let cs: Vec<char> = s.chars().collect();
        cs.windows(2).filter_map(|w| Some((*w.first()?, *w.get(1)?))).collect()
    };
    let (ga, mut gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return 0.0;
    }
    let total = ga.len() + gb.len();
    let mut common = 0usize;
    for g in &ga {
        if let Some(i) = gb.iter().position(|x| x == g) {
            gb.swap_remove(i);
            common += 1;
        }
    }
    2.0 * common as f64 / total as f64
}

/// Splits a `<title>` at site-name separators and keeps the main part: `标题_网易财经`,
/// `标题-新华网`, `Headline | Reuters`, `标题—江州市人民政府`, `Site - Headline`.
pub fn strip_site_suffix(title: &str) -> String {
    let t = collapse_ws(title);
    let parts = split_title(&t);
    if parts.len() < 2 {
        return t;
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .max_by_key(|p| p.chars().count() * 2 + usize::from(p.chars().any(is_cjk)))
        .unwrap_or(t)
}

fn split_title(t: &str) -> Vec<String> {
    let chars: Vec<char> = t.chars().collect();
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let spaced = prev == Some(' ') && next == Some(' ');
        let sep = match c {
            '_' | '|' | '｜' | '—' | '–' | '－' | '·' if c != '·' || spaced => true,
            '-' | ':' => {
                spaced
                    || (c == '-'
                        && (prev.is_some_and(is_cjk) || next.is_some_and(is_cjk))
                        && !prev.is_some_and(|p| p.is_ascii_digit()))
            }
            _ => false,
        };
        if sep {
            parts.push(std::mem::take(&mut cur));
            while chars.get(i + 1).is_some_and(|n| matches!(n, '_' | '|' | '—' | '-' | '–')) {
                i += 1;
            }
        } else {
            cur.push(c);
        }
        i += 1;
    }
    parts.push(cur);
    parts.retain(|p| !p.trim().is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(strip_site_suffix("江州市化工企业偷排被查处_网易财经"), "江州市化工企业偷排被查处");
        assert_eq!(strip_site_suffix("江州市化工企业偷排被查处-新华网"), "江州市化工企业偷排被查处");
        assert_eq!(
            strip_site_suffix("Chemical plant fined over river spill | Reuters"),
            "Chemical plant fined over river spill"
        );
        assert_eq!(strip_site_suffix("关于开展监督性监测的通知—江州市人民政府"), "关于开展监督性监测的通知");
        assert_eq!(
            strip_site_suffix("关于开展监督性监测的通知__江州市生态环境局"),
            "关于开展监督性监测的通知"
        );
        assert_eq!(strip_site_suffix("COVID-19 cases rise in Jiangzhou"), "COVID-19 cases rise in Jiangzhou");
        assert_eq!(
            strip_site_suffix("BBC News - River pollution fines double"),
            "River pollution fines double"
        );
        assert_eq!(strip_site_suffix("江州市生态环境局"), "江州市生态环境局");
        assert_eq!(strip_site_suffix(""), "");
    }

    #[test]
    fn similarity() {
        assert!(similar("关于开展监督性监测的通知", "关于开展监督性监测的通知_江州市生态环境局"));
        assert!(similar("River pollution fines double", "River pollution fines double - BBC News"));
        assert!(!similar("江州市人民政府", "关于开展监督性监测的通知"));
        assert!(!similar("", "x"));
    }

    #[test]
    fn h1_preferred_when_title_is_site_name() {
        let doc = Html::parse_document(
            "<title>江州市生态环境局</title><div class=logo><h1>江州市生态环境局</h1></div>\
             <h1>关于开展2024年污染源监督性监测的通知</h1>",
        );
        let meta = MetaTags::from_doc(&doc);
        let c = choose(&doc, &meta, None);
        assert_eq!(c.text, "关于开展2024年污染源监督性监测的通知");
        let doc = Html::parse_document(
            "<title>江州市生态环境局</title><div class=logo><img alt=x></div>\
             <h1>关于开展2024年污染源监督性监测的通知</h1>",
        );
        let c = choose(&doc, &MetaTags::from_doc(&doc), None);
        assert_eq!(c.text, "关于开展2024年污染源监督性监测的通知");
        assert!(c.element.is_some());
    }

    #[test]
    fn title_element_found_by_text() {
        let doc = Html::parse_document(
            "<title>关于开展监督性监测的通知_江州市</title><div class=crumb><span>关于开展监督性监测的通知</span></div>\
             <div class=art><div class=bt><span>关于开展监督性监测的通知</span></div></div>",
        );
        let c = choose(&doc, &MetaTags::from_doc(&doc), None);
        assert_eq!(c.text, "关于开展监督性监测的通知");
        let el = c.element.map(|e| e.value().name().to_string());
        assert_eq!(el.as_deref(), Some("span"));
        let parent_class = c
            .element
            .and_then(|e| e.parent())
            .and_then(ElementRef::wrap)
            .and_then(|p| p.value().attr("class"));
        assert_eq!(parent_class, Some("bt"));
    }
}
