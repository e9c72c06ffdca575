//! DOM helpers: whitespace handling, boilerplate classification and rendering an element
//! into readable lines (one per block, table rows as `cell | cell`).

use scraper::{ElementRef, Node};

/// Tags whose content is never text.
pub fn is_skipped_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "svg"
            | "math"
            | "select"
            | "option"
            | "button"
            | "textarea"
            | "input"
            | "head"
            | "title"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "map"
    )
}

/// Tags that start a new line.
pub fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "address"
            | "figure"
            | "figcaption"
            | "center"
            | "form"
            | "fieldset"
            | "hr"
            | "body"
            | "html"
    )
}

/// CJK ideographs and CJK punctuation / full-width forms.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Sentence punctuation, Chinese and Western: a sign of running text.
pub fn is_punct(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '：' | '！' | '？' | '、' | '“' | '”' | ',' | '.' | ';' | '!' | '?')
}

/// Collapses whitespace runs (including NBSP and the ideographic space) into one space and trims.
/// A run containing a line break between two CJK characters is dropped (source line wrapping).
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending: Option<bool> = None; // Some(had_newline)
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            let nl = c == '\n' || c == '\r';
            pending = Some(pending.unwrap_or(false) || nl);
            continue;
        }
        if let Some(nl) = pending.take() {
            let prev_cjk = out.chars().next_back().is_some_and(is_cjk);
            if !(out.is_empty() || (nl && prev_cjk && is_cjk(c))) {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

/// Removes all whitespace (for comparing texts regardless of layout).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

const NEGATIVE_SUBSTR: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "sidebar",
    "breadcrumb",
    "crumb",
    "share",
    "copyright",
    "related",
    "relate",
    "comment",
    "advert",
    "banner",
    "dqwz",
    "xglj",
    "xgxx",
    "xgwz",
    "friendlink",
    "flink",
    "youqing",
    "weizhi",
    "bottom",
    "toolbar",
    "pagination",
    "pager",
];
const NEGATIVE_TOKENS: &[&str] =
    &["foot", "side", "ad", "ads", "position", "location", "links", "tools", "tool", "topbar"];

/// Does a class/id string mark boilerplate (menus, footers, breadcrumbs, related links…)?
pub fn is_negative_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if NEGATIVE_SUBSTR.iter().any(|n| lower.contains(n)) {
        return true;
    }
    lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|tok| NEGATIVE_TOKENS.contains(&tok))
}

/// Whether an element is boilerplate by tag (`nav`, `footer`, `aside`, `header`) or by class/id.
/// `html`, `body`, `main` and `article` are never boilerplate by name.
pub fn is_excluded(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    let name = v.name();
    if matches!(name, "nav" | "footer" | "aside") {
        return true;
    }
    if name == "header" {
        // A site header is boilerplate; an article's own header holds its title and date.
        return !el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| matches!(a.value().name(), "article" | "main"));
    }
    if matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    if v.attr("role").is_some_and(|r| matches!(r, "navigation" | "contentinfo" | "banner" | "complementary"))
    {
        return true;
    }
    v.id().is_some_and(is_negative_name) || v.attr("class").is_some_and(is_negative_name)
}

/// Hidden by inline style or the `hidden` attribute.
pub fn is_hidden(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    v.attr("style").is_some_and(|s| {
        let s = squash(&s.to_ascii_lowercase());
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Whether any ancestor (not the element itself) is boilerplate.
pub fn in_excluded(el: &ElementRef<'_>) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| is_excluded(&a) || is_hidden(&a))
}

/// Visible text statistics of a subtree.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    /// Non-whitespace characters.
    pub chars: usize,
    /// Non-whitespace characters inside links.
    pub link_chars: usize,
    /// Sentence punctuation marks.
    pub punct: usize,
    /// Number of links.
    pub links: usize,
}

impl Stats {
    /// Share of link characters (0 when there is no text).
    pub fn link_density(&self) -> f64 {
        if self.chars == 0 { 0.0 } else { self.link_chars as f64 / self.chars as f64 }
    }
}

/// Text statistics of `el`, skipping non-text tags; boilerplate subtrees skipped when `skip_excluded`.
pub fn stats(el: ElementRef<'_>, skip_excluded: bool) -> Stats {
    let mut st = Stats::default();
    stats_into(el, skip_excluded, false, &mut st, 0);
    st
}

fn stats_into(el: ElementRef<'_>, skip_excluded: bool, in_link: bool, st: &mut Stats, depth: usize) {
    if depth > 200 {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                for c in t.chars().filter(|c| !c.is_whitespace()) {
                    st.chars += 1;
                    if in_link {
                        st.link_chars += 1;
                    }
                    if is_punct(c) {
                        st.punct += 1;
                    }
                }
            }
            Node::Element(e) => {
                let Some(ch) = ElementRef::wrap(child) else {
                    continue;
                };
                if is_skipped_tag(e.name()) || is_hidden(&ch) || (skip_excluded && is_excluded(&ch)) {
                    continue;
                }
                let is_link = e.name() == "a" && e.attr("href").is_some();
                if is_link {
                    st.links += 1;
                }
                stats_into(ch, skip_excluded, in_link || is_link, st, depth + 1);
            }
            _ => {}
        }
    }
}

/// Whether a table holds data (rows of short cells) rather than page layout.
pub fn is_data_table(table: ElementRef<'_>) -> bool {
    let mut cells = 0usize;
    for d in table.descendants().skip(1).filter_map(ElementRef::wrap) {
        match d.value().name() {
            "table" => return false,
            "td" | "th" => {
                cells += 1;
                if stats(d, false).chars > 200 {
                    return false;
                }
                if d.descendants().filter_map(ElementRef::wrap).any(|x| {
                    matches!(x.value().name(), "div" | "p" | "ul" | "ol" | "h1" | "h2" | "h3")
                        && stats(x, false).chars > 60
                }) {
                    return false;
                }
            }
            _ => {}
        }
    }
    cells > 0
}

/// Options and markers for [`Renderer`].
pub struct Renderer<'a> {
    /// Output lines (trimmed, non-empty).
    pub lines: Vec<String>,
    cur: String,
    pending_ws: Option<bool>,
    /// Skip boilerplate subtrees (nav, footer, menus…).
    pub skip_excluded: bool,
    /// Skip link lists (≥ 3 links, link density > 0.5) and "相关链接" blocks.
    pub skip_link_blocks: bool,
    /// Element whose line span should be recorded as `title_span`.
    pub title_el: Option<ElementRef<'a>>,
    /// Element whose line span should be recorded as `body_span`.
    pub body_el: Option<ElementRef<'a>>,
    /// Lines `[start, end)` produced by `title_el`.
    pub title_span: Option<(usize, usize)>,
    /// Lines `[start, end)` produced by `body_el`.
    pub body_span: Option<(usize, usize)>,
}

impl<'a> Renderer<'a> {
    /// A renderer with the given filters and no markers.
    pub fn new(skip_excluded: bool, skip_link_blocks: bool) -> Self {
        Renderer {
            lines: Vec::new(),
            cur: String::new(),
            pending_ws: None,
            skip_excluded,
            skip_link_blocks,
            title_el: None,
            body_el: None,
            title_span: None,
            body_span: None,
        }
    }

    /// Renders `el` (the root itself is never skipped as boilerplate) and returns the lines.
    pub fn render(mut self, el: ElementRef<'a>) -> Self {
        self.element(el, true, 0);
        self.break_line();
        self
    }

    fn push_text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() || c == '\u{a0}' {
                let nl = c == '\n' || c == '\r';
                self.pending_ws = Some(self.pending_ws.unwrap_or(false) || nl);
                continue;
            }
            if let Some(nl) = self.pending_ws.take() {
                let prev_cjk = self.cur.chars().next_back().is_some_and(is_cjk);
                if !(self.cur.is_empty() || (nl && prev_cjk && is_cjk(c))) {
                    self.cur.push(' ');
                }
            }
            self.cur.push(c);
        }
    }

    fn break_line(&mut self) {
        self.pending_ws = None;
        let line = self.cur.trim();
        if !line.is_empty() {
            self.lines.push(line.replace("&nbsp;", " ").trim().to_string());
        }
        self.cur.clear();
    }

    fn element(&mut self, el: ElementRef<'a>, root: bool, depth: usize) {
        if depth > 200 {
            return;
        }
        let name = el.value().name();
        if !root {
            if is_skipped_tag(name) || is_hidden(&el) || (self.skip_excluded && is_excluded(&el)) {
                return;
            }
            if self.skip_link_blocks && is_link_block(el) {
                return;
            }
        }
        let is_title = self.title_el == Some(el);
        let is_body = self.body_el == Some(el);
        let block = is_block_tag(name) || is_title || is_body;
        if block {
            self.break_line();
        }
        let start = self.lines.len();
        match name {
            "br" => self.break_line(),
            "table" if is_data_table(el) => self.data_table(el),
            _ => {
                for child in el.children() {
                    match child.value() {
                        Node::Text(t) => self.push_text(t),
                        Node::Element(_) => {
                            if let Some(ch) = ElementRef::wrap(child) {
                                self.element(ch, false, depth + 1);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        if block {
            self.break_line();
        }
        if is_title {
            self.title_span = Some((start, self.lines.len()));
        }
        if is_body {
            self.body_span = Some((start, self.lines.len()));
        }
    }

    fn data_table(&mut self, table: ElementRef<'a>) {
        for row in table.descendants().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "tr") {
            let cells: Vec<String> = row
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "td" | "th"))
                .map(|c| Renderer::new(self.skip_excluded, false).render(c).lines.join(" "))
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                // Cells are separated by a tab: readable as a row, and whitespace, so text
                // comparisons that ignore whitespace see the cells' own text only.
                self.lines.push(cells.join("\t"));
            }
        }
    }
}

/// Renders an element to lines with boilerplate filtering.
pub fn render_lines(el: ElementRef<'_>, skip_link_blocks: bool) -> Vec<String> {
    Renderer::new(true, skip_link_blocks).render(el).lines
}

const RELATED_HEADINGS: &[&str] = &[
    "相关链接",
    "相关阅读",
    "相关新闻",
    "相关文章",
    "相关信息",
    "延伸阅读",
    "推荐阅读",
    "热点推荐",
    "热点新闻",
    "热门新闻",
    "热门文章",
    "最新文章",
    "精彩推荐",
    "Most read",
    "Most popular",
    "Related",
    "Read more",
    "More from",
];

/// Whether a line is a "related links" heading.
pub fn is_related_heading(line: &str) -> bool {
    let t =
        line.trim_matches(|c: char| c.is_whitespace() || matches!(c, '：' | ':' | '【' | '】' | '[' | ']'));
    RELATED_HEADINGS
        .iter()
        .any(|h| t.eq_ignore_ascii_case(h) || (t.starts_with(h) && t.chars().count() <= 12))
}

/// A list of links (menus, "related" lists) rather than prose.
fn is_link_block(el: ElementRef<'_>) -> bool {
    let name = el.value().name();
    if !matches!(name, "div" | "ul" | "ol" | "dl" | "table" | "section" | "p" | "span" | "td" | "li" | "tr") {
        return false;
    }
    let st = stats(el, true);
    if st.links >= 3 && st.link_density() > 0.5 {
        return true;
    }
    if st.links >= 1 && st.link_density() > 0.3 {
        let first: String = el.text().collect::<String>().trim().chars().take(12).collect();
        return is_related_heading(&first);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    #[test]
    fn whitespace_collapse() {
        assert_eq!(collapse_ws("  a \n b\u{a0}\u{a0}c  "), "a b c");
        assert_eq!(collapse_ws("江州市\n   生态环境局"), "江州市生态环境局");
        assert_eq!(collapse_ws("　　第一条　规定"), "第一条 规定");
        assert_eq!(squash(" a b\n"), "ab");
    }

    #[test]
    fn negative_names() {
        for n in ["mainNav", "footer", "sidebar-left", "breadcrumb", "share-bar", "xglj", "side", "top-links"]
        {
            assert!(is_negative_name(n), "{n}");
        }
        for n in ["zoom", "article-content", "TRS_Editor", "inside", "article-header", "topic"] {
            assert!(!is_negative_name(n), "{n}");
        }
    }

    #[test]
    fn renders_blocks_tables_and_skips_boilerplate() {
        let html = Html::parse_document(
            "<div id=x><nav><a href=/>首页</a></nav><p>第一段　文字，<b>加粗</b>继续。</p>text<br>next\
             <table><tr><th>企业</th><th>结果</th></tr><tr><td>甲公司</td><td>超标</td></tr><tr><td></td><td></td></tr></table>\
             <script>var x=1;</script><div style='display: none'>隐藏</div>\
             <ul><li><a href=/1>相关一</a></li><li><a href=/2>相关二</a></li><li><a href=/3>相关三</a></li></ul></div>",
        );
        let sel = scraper::Selector::parse("#x").expect("sel");
        let Some(el) = html.select(&sel).next() else { panic!("no #x") };
        let lines = render_lines(el, true);
        assert_eq!(lines, vec!["第一段 文字，加粗继续。", "text", "next", "企业\t结果", "甲公司\t超标"]);
        let st = stats(el, false);
        assert_eq!(st.links, 4);
        assert!(st.link_density() > 0.0);
    }

    #[test]
    fn related_headings() {
        assert!(is_related_heading("【相关链接】"));
        assert!(is_related_heading("相关阅读："));
        assert!(!is_related_heading("相关部门依法作出处罚决定，责令企业立即停止违法行为。"));
    }
}
