//! Extraction: turns a fetched HTTP response (bytes, `Content-Type`, URL) into a clean document.
//!
//! Owns:
//! - **charset decoding** ([`decode`]): BOM → valid UTF-8 → HTTP charset → `<meta>`/XML declaration →
//!   chardetng with the URL's TLD as hint → UTF-8; GB2312/GBK/GB18030 decode with the GB18030 decoder;
//! - **DOM → fields**: title, publish date (meta, JSON-LD, `<time>`, the header zone between title and
//!   body, URL), issuer (来源/发布机构/byline), main body text without boilerplate, language;
//! - **link discovery** ([`extract_links`]): every `<a href>` resolved against the base URL.
//!
//! Does not own: fetching, robots, URL normalisation, storage or logging. Everything here is a pure
//! function of its input: no network, no file or other I/O, no printing, and no panics on any input.

mod body;
mod charset;
mod date;
mod dom;
mod links;
mod meta;
#[cfg(test)]
mod tests_pages;
mod title;

pub use charset::{CharsetSource, Decoded, decode};
pub use date::{SHANGHAI, parse_value as parse_date};
pub use links::extract_links;

use chrono::{DateTime, FixedOffset};
use scraper::{ElementRef, Html, Selector};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A fetched HTTP response, as handed over by the crawler.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// Final URL (after redirects): base for relative links and the TLD hint for charset detection.
    pub url: &'a url::Url,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The raw body bytes.
    pub body: &'a [u8],
}

/// Optional per-source CSS selectors that override the generic heuristics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overrides {
    /// Selector of the element holding the title.
    #[serde(default)]
    pub title: Option<String>,
    /// Selector of the element holding the publish date (its `datetime`/`content` attribute or text).
    #[serde(default)]
    pub date: Option<String>,
    /// Selector of the element holding the main text.
    #[serde(default)]
    pub body: Option<String>,
}

/// [`Overrides`] with their selectors parsed.
#[derive(Debug, Clone, Default)]
pub struct CompiledOverrides {
    title: Option<Selector>,
    date: Option<Selector>,
    body: Option<Selector>,
}

/// Errors of this module (only configuration can fail; extraction itself never does).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// A configured CSS selector does not parse.
    #[error("invalid {field} selector {selector:?}: {message}")]
    InvalidSelector {
        /// Which override (`title`, `date`, `body`).
        field: &'static str,
        /// The selector as configured.
        selector: String,
        /// The parser's complaint.
        message: String,
    },
}

impl Overrides {
    /// Parses the selectors; an invalid one is an error naming the field.
    pub fn compile(&self) -> Result<CompiledOverrides, ExtractError> {
        let parse = |field: &'static str, s: &Option<String>| -> Result<Option<Selector>, ExtractError> {
            match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(sel) => Selector::parse(sel).map(Some).map_err(|e| ExtractError::InvalidSelector {
                    field,
                    selector: sel.to_string(),
                    message: e.to_string(),
                }),
            }
        };
        Ok(CompiledOverrides {
            title: parse("title", &self.title)?,
            date: parse("date", &self.date)?,
            body: parse("body", &self.body)?,
        })
    }
}

/// The clean document extracted from one page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Extracted {
    /// Title, whitespace collapsed, site-name suffix removed.
    pub title: String,
    /// Publish time; +08:00 when the page gives no zone, 00:00 when it gives only a date.
    pub published: Option<DateTime<FixedOffset>>,
    /// Issuing body, outlet or byline (`来源：…`, `发布机构：…`, meta `ContentSource`, `By …`).
    pub issuer: Option<String>,
    /// Main text: one line per paragraph/block, table rows as tab-separated cells.
    pub body: String,
    /// `zh`, `en` or `other`, from the share of Han characters in the body.
    pub lang: String,
    /// Encoding used to decode the bytes (`UTF-8`, `GBK` (also for GB2312/GB18030), `windows-1252`…).
    pub encoding: String,
    /// Share of U+FFFD in the decoded text.
    pub replacement_share: f32,
    /// Every http(s) link of the page, in document order.
    pub links: Vec<Link>,
}

/// A link found on a page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Link {
    /// Absolute URL (fragment kept as written). Serialised as a string.
    #[serde(with = "url_as_string")]
    pub url: url::Url,
    /// Anchor text (or image `alt` / `title`), whitespace collapsed.
    pub text: String,
}

mod url_as_string {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(u: &url::Url, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(u.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<url::Url, D::Error> {
        let s = String::deserialize(d)?;
        url::Url::parse(&s).map_err(D::Error::custom)
    }
}

/// Extracts a page with the generic heuristics.
pub fn extract(resp: &Response<'_>) -> Extracted {
    extract_with(resp, &CompiledOverrides::default())
}

static BODY_SEL: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("body").ok());
static TIME_SEL: LazyLock<Option<Selector>> = LazyLock::new(|| {
    Selector::parse("time[datetime], [itemprop=datePublished][datetime], [itemprop=datePublished][content]")
        .ok()
});

/// Extracts a page, using the per-source selectors where they match.
pub fn extract_with(resp: &Response<'_>, overrides: &CompiledOverrides) -> Extracted {
    let decoded = decode(resp.body, resp.content_type, Some(resp.url));
    let doc = Html::parse_document(&decoded.text);
    let metas = meta::MetaTags::from_doc(&doc);
    let ld = meta::json_ld(&doc);
    let first = |sel: &Option<Selector>| sel.as_ref().and_then(|s| doc.select(s).next());

    let body_el = first(&overrides.body)
        .or_else(|| body::known_container(&doc))
        .or_else(|| body::scored_container(&doc));
    let title = title::choose(&doc, &metas, first(&overrides.title));

    // Render the whole page once, marking where the title and the body are, to find the header zone.
    let root = BODY_SEL.as_ref().and_then(|s| doc.select(s).next()).unwrap_or_else(|| doc.root_element());
    // Boilerplate-looking wrappers are kept here: dates often sit in a `share_box` or a
    // `post-footer` between the title and the text (or in a footer after it).
    let mut r = dom::Renderer::new(false, false);
    r.title_el = title.element;
    r.body_el = body_el;
    let page = r.render(root);
    let zone = header_zone(&page.lines, page.title_span, page.body_span);

    let published = first(&overrides.date)
        .and_then(date_of_element)
        .or_else(|| metas.get(meta::DATE_KEYS).and_then(|v| date::parse_value(&v)))
        .or_else(|| meta::ld_find(&ld, "datePublished").and_then(|v| v.as_str()).and_then(date::parse_value))
        .or_else(|| time_element_date(&doc))
        .or_else(|| date::find_in_header(&zone))
        // A date printed after the text (`发布日期：…` in a footer or a table cell) counts only
        // with an explicit publication label: unlabelled dates elsewhere are not the article's.
        .or_else(|| date::find_labelled(&page.lines))
        .or_else(|| date::from_url(resp.url));

    let issuer = meta::issuer_zh(&zone)
        .or_else(|| metas.get(&["contentsource"]).map(|s| dom::collapse_ws(&s)).filter(|s| !s.is_empty()))
        .or_else(|| meta::issuer_en(&zone))
        .or_else(|| meta::ld_find(&ld, "author").and_then(meta::ld_name));

    let body_lines = match body_el {
        Some(el) => dom::render_lines(el, true),
        None => {
            // The text after the title, located in this same rendering: `page` keeps
            // boilerplate and link blocks, so its line numbers do not apply here.
            let mut r = dom::Renderer::new(true, true);
            r.title_el = title.element;
            let all = r.render(root);
            let skip = all.title_span.map_or(0, |(_, end)| end.min(all.lines.len()));
            all.lines.into_iter().skip(skip).collect()
        }
    };
    let body = body::clean_lines(body_lines, &title.text).join("\n");
    let lang = detect_lang(if body.is_empty() { &title.text } else { &body }).to_string();
    let links = links::links_from_doc(&doc, resp.url);
    Extracted {
        title: title.text,
        published,
        issuer,
        body,
        lang,
        encoding: decoded.encoding.name().to_string(),
        replacement_share: decoded.replacement_share,
        links,
    }
}

/// Lines between the title and the body: where the date and source are printed. When the title
/// sits inside the body container, the short lines right after it; without a title element, the
/// few lines just before the body.
fn header_zone(lines: &[String], title: Option<(usize, usize)>, body: Option<(usize, usize)>) -> Vec<String> {
    let slice = |a: usize, b: usize| -> Vec<String> {
        let b = b.min(lines.len());
        lines.get(a.min(b)..b).map(<[String]>::to_vec).unwrap_or_default()
    };
    let until_prose = |from: usize, to: usize| -> Vec<String> {
        slice(from, to).into_iter().take(8).take_while(|l| l.chars().count() <= 100).collect()
    };
    match (title, body) {
        (Some((_, te)), Some((bs, _))) if te <= bs => {
            let zone = slice(te, bs);
            zone.into_iter().take(30).collect()
        }
        (Some((ts, te)), Some((bs, be))) if ts >= bs && te <= be => until_prose(te, be),
        (Some((_, te)), None) => until_prose(te, te + 10),
        (_, Some((bs, be))) => {
            let mut z = slice(bs.saturating_sub(4), bs);
            z.extend(until_prose(bs, be.min(bs + 4)));
            z
        }
        _ => Vec::new(),
    }
}

/// Date of an override element: its `datetime` or `content` attribute, else its text.
fn date_of_element(el: ElementRef<'_>) -> Option<DateTime<FixedOffset>> {
    let v = el.value();
    v.attr("datetime")
        .or_else(|| v.attr("content"))
        .and_then(date::parse_value)
        .or_else(|| date::find_in_text(&el.text().collect::<String>()).map(|(d, _)| d))
}

/// The first `<time datetime>` (or `itemprop=datePublished`) outside boilerplate.
fn time_element_date(doc: &Html) -> Option<DateTime<FixedOffset>> {
    let sel = TIME_SEL.as_ref()?;
    doc.select(sel).filter(|t| !dom::in_excluded(t)).find_map(|t| {
        t.value().attr("datetime").or_else(|| t.value().attr("content")).and_then(date::parse_value)
    })
}

/// `zh` when Han characters make up at least a fifth of the letters, `en` when ASCII letters make up
/// most of them, otherwise `other` (also for text without letters).
pub fn detect_lang(text: &str) -> &'static str {
    let (mut han, mut latin, mut other) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
        {
            han += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    let total = han + latin + other;
    if total == 0 {
        "other"
    } else if han * 5 >= total && other * 10 < han {
        "zh"
    } else if latin * 10 >= total * 7 {
        "en"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_compile() {
        assert!(Overrides::default().compile().is_ok());
        let ok =
            Overrides { title: Some("h1.bt".into()), date: Some(" ".into()), body: Some("#zoom".into()) };
        assert!(ok.compile().is_ok());
        let bad = Overrides { body: Some("div[".into()), ..Overrides::default() };
        match bad.compile() {
            Err(ExtractError::InvalidSelector { field, .. }) => assert_eq!(field, "body"),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn languages() {
        assert_eq!(detect_lang("江州市生态环境局发布通知 PM2.5"), "zh");
        assert_eq!(detect_lang("The factory was fined for dumping waste into the river."), "en");
        assert_eq!(detect_lang("Поставщик был оштрафован"), "other");
        assert_eq!(detect_lang("環境省はきょう発表しました"), "other");
        assert_eq!(detect_lang(""), "other");
    }

    #[test]
    fn link_serde_roundtrip() {
        let l = Link { url: url::Url::parse("http://a.cn/x#y").expect("url"), text: "x".into() };
        let json = serde_json::to_string(&l).expect("ser");
        assert_eq!(json, r#"{"url":"http://a.cn/x#y","text":"x"}"#);
        assert_eq!(serde_json::from_str::<Link>(&json).expect("de"), l);
    }

    #[test]
    fn header_zone_cases() {
        let lines: Vec<String> =
            ["nav", "标题", "发布时间：2024-03-18", "正文"].iter().map(|s| s.to_string()).collect();
        assert_eq!(header_zone(&lines, Some((1, 2)), Some((3, 4))), vec!["发布时间：2024-03-18"]);
        assert_eq!(header_zone(&lines, Some((1, 2)), Some((1, 4))), vec!["发布时间：2024-03-18", "正文"]);
        assert_eq!(
            header_zone(&lines, None, Some((3, 4))),
            vec!["nav", "标题", "发布时间：2024-03-18", "正文"]
        );
        assert!(header_zone(&lines, Some((9, 12)), Some((20, 30))).is_empty());
        assert!(header_zone(&[], None, None).is_empty());
    }
}
