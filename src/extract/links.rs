//! Link discovery: every `<a href>` resolved against the base URL (`<base href>` respected),
//! http/https only, fragments kept, document order, with anchor text.

use super::Link;
use super::dom::collapse_ws;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

static A: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("a[href], area[href]").ok());
static BASE: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("base[href]").ok());
static IMG: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("img[alt]").ok());

/// Links of an HTML page (parsed here), resolved against `base`.
pub fn extract_links(text_html: &str, base: &url::Url) -> Vec<Link> {
    links_from_doc(&Html::parse_document(text_html), base)
}

/// The effective base URL: the first `<base href>` resolved against the page URL.
pub fn effective_base(doc: &Html, page: &url::Url) -> url::Url {
    BASE.as_ref()
        .and_then(|s| doc.select(s).next())
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page.join(h.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page.clone())
}

/// Links of an already parsed document.
pub fn links_from_doc(doc: &Html, page: &url::Url) -> Vec<Link> {
    let Some(sel) = A.as_ref() else {
        return Vec::new();
    };
    let base = effective_base(doc, page);
    doc.select(sel)
        .filter_map(|a| {
            let href = a.value().attr("href")?.trim();
            if href.is_empty() {
                return None;
            }
            let lower: String = href.chars().take(11).collect::<String>().to_ascii_lowercase();
            if ["javascript:", "mailto:", "tel:", "data:", "sms:"].iter().any(|p| lower.starts_with(p)) {
                return None;
            }
            let url = base.join(href).ok()?;
            matches!(url.scheme(), "http" | "https").then(|| Link { url, text: anchor_text(a) })
        })
        .collect()
}

/// Anchor text; for image links the `alt`, else the `title` attribute.
fn anchor_text(a: ElementRef<'_>) -> String {
    let t = collapse_ws(&a.text().collect::<String>());
    if !t.is_empty() {
        return t;
    }
    IMG.as_ref()
        .and_then(|s| a.select(s).next())
        .and_then(|i| i.value().attr("alt"))
        .or_else(|| a.value().attr("title"))
        .map(collapse_ws)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_and_filters() {
        let page =
            url::Url::parse("http://sthjj.jiangzhou.gov.cn/xxgk/tzgg/202403/t20240318_1.html").expect("url");
        let html = r##"<a href="./t20240317_9.html">上一篇</a><a href="../../index.html"> 首页 </a>
            <a href="?page=2">下一页</a><a href="javascript:void(0)">x</a><a href="mailto:a@b.cn">m</a>
            <a href="TEL:123">t</a><a href="#top">顶部</a><a href="ftp://x/y">f</a><a href="">e</a>
            <a href="https://www.gov.cn/"><img src=l.png alt="中国政府网"></a><a href="/a b.html" title="T"></a>"##;
        let links = extract_links(html, &page);
        let got: Vec<(String, String)> = links.iter().map(|l| (l.url.to_string(), l.text.clone())).collect();
        assert_eq!(
            got,
            vec![
                ("http://sthjj.jiangzhou.gov.cn/xxgk/tzgg/202403/t20240317_9.html".into(), "上一篇".into()),
                ("http://sthjj.jiangzhou.gov.cn/xxgk/index.html".into(), "首页".into()),
                (
                    "http://sthjj.jiangzhou.gov.cn/xxgk/tzgg/202403/t20240318_1.html?page=2".into(),
                    "下一页".into()
                ),
                ("http://sthjj.jiangzhou.gov.cn/xxgk/tzgg/202403/t20240318_1.html#top".into(), "顶部".into()),
                ("https://www.gov.cn/".into(), "中国政府网".into()),
                ("http://sthjj.jiangzhou.gov.cn/a%20b.html".into(), "T".into()),
            ]
        );
    }

    #[test]
    fn base_href() {
        let page = url::Url::parse("https://news.example.com/2024/03/18/story.html").expect("url");
        let html = r#"<head><base href="/archive/"></head><body><a href="a.html">A</a></body>"#;
        let links = extract_links(html, &page);
        assert_eq!(links.first().map(|l| l.url.as_str()), Some("https://news.example.com/archive/a.html"));
        assert!(extract_links("", &page).is_empty());
    }
}
