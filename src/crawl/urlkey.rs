//! Normalised URL keys: two links to the same page get the same key, so the page is fetched once.
//!
//! The URL is fetched as found; only the key is normalised: scheme and host lower-cased, default
//! port and dot segments removed (the `url` crate does these on parse), fragment dropped, query
//! parameters sorted, tracking and session parameters removed, `;jsessionid=` path parameters cut.

use url::Url;

/// Query parameters that never change the page.
const DROP_PARAMS: &[&str] = &[
    "from",
    "spm",
    "share",
    "share_token",
    "shareid",
    "sharesource",
    "isappinstalled",
    "timestamp",
    "jsessionid",
    "phpsessid",
    "sessionid",
    "sid",
    "fbclid",
    "gclid",
    "wxshare",
    "scene",
    "clicktime",
    "enterid",
    "_t",
];

/// The dedupe key of `url`.
pub fn key(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    if let Some(i) = u.path().to_ascii_lowercase().find(";jsessionid=") {
        let path = u.path()[..i].to_string();
        u.set_path(&path);
    }
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !k.starts_with("utm_") && !DROP_PARAMS.contains(&k.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> String {
        key(&Url::parse(s).unwrap())
    }

    #[test]
    fn variants_share_a_key() {
        let base = k("http://www.example.gov.cn/hbj/xzcf/t20240318_1.html");
        for v in [
            "HTTP://WWW.Example.gov.cn:80/hbj/xzcf/t20240318_1.html",
            "http://www.example.gov.cn/hbj/./xzcf/../xzcf/t20240318_1.html#zoom",
            "http://www.example.gov.cn/hbj/xzcf/t20240318_1.html?from=home",
            "http://www.example.gov.cn/hbj/xzcf/t20240318_1.html?utm_source=wx&spm=a.b",
            "http://www.example.gov.cn/hbj/xzcf/t20240318_1.html;jsessionid=ABC123",
        ] {
            assert_eq!(k(v), base, "{v}");
        }
    }

    #[test]
    fn real_parameters_are_kept_and_sorted() {
        assert_eq!(k("http://h/list?page=2&cat=5"), k("http://h/list?cat=5&page=2"));
        assert_ne!(k("http://h/list?page=2"), k("http://h/list?page=3"));
    }
}
