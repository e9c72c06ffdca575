//! `<meta>` tags, JSON-LD and issuer (来源 / 发布机构 / byline) extraction.

use super::dom::collapse_ws;
use regex::Regex;
use scraper::{Html, Selector};
use serde_json::Value;
use std::sync::LazyLock;

static META: LazyLock<Option<Selector>> = LazyLock::new(|| Selector::parse("meta[content]").ok());
static LD: LazyLock<Option<Selector>> =
    LazyLock::new(|| Selector::parse(r#"script[type="application/ld+json"]"#).ok());

/// `<meta>` tags keyed by lower-cased `name`, `property`, `itemprop` or `http-equiv`.
#[derive(Debug, Default, Clone)]
pub struct MetaTags {
    entries: Vec<(String, String)>,
}

impl MetaTags {
    /// Collects the meta tags of a document, in document order.
    pub fn from_doc(doc: &Html) -> Self {
        let mut entries = Vec::new();
        if let Some(sel) = META.as_ref() {
            for m in doc.select(sel) {
                let v = m.value();
                let content = v.attr("content").unwrap_or_default().trim().to_string();
                for key_attr in ["name", "property", "itemprop", "http-equiv"] {
                    if let Some(k) = v.attr(key_attr) {
                        entries.push((k.trim().to_ascii_lowercase(), content.clone()));
                    }
                }
            }
        }
        MetaTags { entries }
    }

    /// The first non-empty value for the first of `keys` (in priority order) that has one.
    pub fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.entries.iter().find(|(name, c)| name == k && !c.is_empty()).map(|(_, c)| c.clone())
        })
    }
}

/// Meta keys carrying the publish time, in priority order (lower-cased).
pub const DATE_KEYS: &[&str] = &[
    "pubdate",
    "publishdate",
    "pubtime",
    "publishtime",
    "publish_time",
    "publish-date",
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article_date_original",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
    "firstpublishedtime",
    "release_date",
    "date",
];

/// JSON-LD blocks of the page, parsed (invalid blocks ignored).
pub fn json_ld(doc: &Html) -> Vec<Value> {
    let Some(sel) = LD.as_ref() else {
        return Vec::new();
    };
    doc.select(sel)
        .filter_map(|s| serde_json::from_str::<Value>(s.text().collect::<String>().trim()).ok())
        .collect()
}

/// First value under `key` anywhere in the JSON-LD blocks (depth-first, document order).
pub fn ld_find<'v>(blocks: &'v [Value], key: &str) -> Option<&'v Value> {
    fn walk<'v>(v: &'v Value, key: &str, depth: usize) -> Option<&'v Value> {
        if depth > 20 {
            return None;
        }
        match v {
            Value::Object(map) => {
                if let Some(found) = map.get(key) {
                    return Some(found);
                }
                map.values().find_map(|x| walk(x, key, depth + 1))
            }
            Value::Array(items) => items.iter().find_map(|x| walk(x, key, depth + 1)),
            _ => None,
        }
    }
    blocks.iter().find_map(|b| walk(b, key, 0))
}

/// A person/organisation name from a JSON-LD `author` value (string, object or array).
pub fn ld_name(v: &Value) -> Option<String> {
    let name = match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m.get("name").and_then(ld_name),
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(ld_name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }?;
    let name = collapse_ws(&name);
    (!name.is_empty() && !name.starts_with("http")).then_some(name)
}

static ZH_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(信息来源|文章来源|稿件来源|来源单位|发布机构|发布单位|发文机关|发文单位|来源)\s*[:：]\s*")
        .expect("static regex")
});
static EN_SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\|\s*)(?:Source|SOURCE)\s*[:：]\s*(.+)").expect("static regex"));
static BYLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:By|BY|Written by)\s+(\S.*)$").expect("static regex"));

const ZH_STOPS: &[&str] = &[
    "|",
    "｜",
    "发布时间",
    "发布日期",
    "时间",
    "日期",
    "作者",
    "浏览",
    "点击",
    "阅读",
    "访问",
    "字号",
    "字体",
    "【",
    "[",
    "编辑",
    "分享",
    "打印",
    "来源",
    "发布机构",
    "索引号",
    "文号",
    "主题分类",
];

fn cut_at<'s>(s: &'s str, stops: &[&str]) -> &'s str {
    let end = stops.iter().filter_map(|st| s.find(st)).min().unwrap_or(s.len());
    s.get(..end).unwrap_or(s)
}

fn tidy(v: &str) -> Option<String> {
    let v = v.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '：' | ',' | '，' | ';' | '；' | '|' | '｜')
    });
    let n = v.chars().count();
    let has_letter = v.chars().any(|c| c.is_alphabetic());
    ((2..=60).contains(&n) && has_letter).then(|| v.to_string())
}

/// Issuer from a `来源：` / `发布机构：` / `信息来源：` label in header-zone lines.
pub fn issuer_zh(lines: &[String]) -> Option<String> {
    for line in lines {
        for m in ZH_LABEL.find_iter(line) {
            let rest = line.get(m.end()..).unwrap_or_default();
            let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '|' || c == '｜');
            let mut v = cut_at(rest, ZH_STOPS);
            if v.chars().next().is_some_and(|c| !c.is_ascii()) {
                v = v.split(char::is_whitespace).next().unwrap_or_default();
            }
            if let Some(t) = tidy(v).filter(|t| !t.chars().all(|c| c.is_ascii_digit() || "-/: ".contains(c)))
            {
                return Some(t);
            }
        }
    }
    None
}

/// Issuer from an English byline (`By Jane Doe and John Roe, Reuters`) or `Source: X` line.
pub fn issuer_en(lines: &[String]) -> Option<String> {
    const STOPS: &[&str] =
        &["|", " - ", " — ", ",", " Updated", " Published", " Posted", " on ", " at ", "  "];
    for line in lines {
        if let Some(c) = BYLINE.captures(line.trim()) {
            let raw = c.get(1).map_or("", |m| m.as_str());
            let v = cut_at(raw, STOPS);
            let words: Vec<&str> =
                v.split_whitespace().take_while(|w| !w.starts_with(|c: char| c.is_ascii_digit())).collect();
            if let Some(t) = tidy(&words.join(" ")) {
                return Some(t);
            }
        }
    }
    for line in lines {
        if let Some(c) = EN_SOURCE.captures(line) {
            let v = cut_at(c.get(1).map_or("", |m| m.as_str()), &["|", " - ", "  "]);
            if let Some(t) = tidy(v) {
                return Some(t);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn zh_issuers() {
        assert_eq!(
            issuer_zh(&l(&["发布时间：2024-03-18 10:22 来源：江州市生态环境局 浏览次数：128"])).as_deref(),
            Some("江州市生态环境局")
        );
        assert_eq!(
            issuer_zh(&l(&["2024年03月18日 10:22 | 来源：人民网－人民日报"])).as_deref(),
            Some("人民网－人民日报")
        );
        assert_eq!(
            issuer_zh(&l(&["信息来源：江州市水利局|发布日期：2024-03-18"])).as_deref(),
            Some("江州市水利局")
        );
        assert_eq!(
            issuer_zh(&l(&["发布机构： | 江州市生态环境局", "x"])).as_deref(),
            Some("江州市生态环境局")
        );
        assert_eq!(issuer_zh(&l(&["来源：【字体：大 中 小】"])), None);
        assert_eq!(issuer_zh(&l(&["来源：", "作者：张三"])), None);
    }

    #[test]
    fn en_issuers() {
        assert_eq!(
            issuer_en(&l(&["By Jane Doe and John Roe, Reuters"])).as_deref(),
            Some("Jane Doe and John Roe")
        );
        assert_eq!(issuer_en(&l(&["By Li Wei | Updated March 18, 2024"])).as_deref(), Some("Li Wei"));
        assert_eq!(
            issuer_en(&l(&["Source: Ministry of Ecology and Environment"])).as_deref(),
            Some("Ministry of Ecology and Environment")
        );
        assert_eq!(issuer_en(&l(&["Standby generators failed"])), None);
    }

    #[test]
    fn meta_and_json_ld() {
        let doc = Html::parse_document(
            r#"<meta name="PubDate" content=" 2024-03-18 10:22 "><meta property="og:title" content="T">
            <meta name="ContentSource" content="江州市生态环境局">
            <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2024-03-18T10:22:00Z","author":[{"name":"Jane Doe"},{"name":"John Roe"}]}]}</script>
            <script type="application/ld+json">{broken</script>"#,
        );
        let m = MetaTags::from_doc(&doc);
        assert_eq!(m.get(DATE_KEYS).as_deref(), Some("2024-03-18 10:22"));
        assert_eq!(m.get(&["contentsource"]).as_deref(), Some("江州市生态环境局"));
        let ld = json_ld(&doc);
        assert_eq!(ld.len(), 1);
        assert_eq!(ld_find(&ld, "datePublished").and_then(Value::as_str), Some("2024-03-18T10:22:00Z"));
        assert_eq!(ld_find(&ld, "author").and_then(ld_name).as_deref(), Some("Jane Doe, John Roe"));
    }
}
