//! Charset detection and decoding: BOM → HTTP header → `<meta>`/XML declaration → chardetng → UTF-8,
//! with the rule that bytes which are valid UTF-8 (and not pure ASCII) always decode as UTF-8.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};
use regex::bytes::Regex;
use std::sync::LazyLock;

/// How many leading bytes are scanned for `<meta charset>` and the XML declaration.
const PRESCAN_BYTES: usize = 4096;

/// A decoded page body.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The decoded text (invalid byte sequences replaced by U+FFFD).
    pub text: String,
    /// The encoding actually used. GB2312, GBK and GB18030 labels all decode with the
    /// GB18030-capable GBK decoder and are reported as [`encoding_rs::GBK`].
    pub encoding: &'static Encoding,
    /// Share of U+FFFD replacement characters among all characters of `text` (0.0 for empty text).
    pub replacement_share: f32,
    /// Where the encoding decision came from.
    pub source: CharsetSource,
}

impl Decoded {
    /// Name of the encoding used, as reported in `Extracted::encoding` (`"UTF-8"`, `"GBK"`, …).
    pub fn encoding_name(&self) -> &'static str {
        self.encoding.name()
    }
}

/// Which clue decided the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The bytes are valid UTF-8 containing non-ASCII characters (overrides any label).
    ValidUtf8,
    /// The `charset` parameter of the HTTP `Content-Type` header.
    Header,
    /// `<meta charset>`, `<meta http-equiv content="…charset=…">` or `<?xml encoding=…?>`.
    Meta,
    /// chardetng's guess.
    Detected,
    /// Nothing known: the UTF-8 default.
    Default,
}

/// Decodes an HTTP body to text.
///
/// Order: BOM → valid non-ASCII UTF-8 → `Content-Type` charset → `<meta>`/XML declaration in the
/// first 4 KB → chardetng (hinted by the URL's top-level domain) → UTF-8. Never panics.
pub fn decode(body: &[u8], content_type: Option<&str>, url: Option<&url::Url>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(body) {
        let rest = body.get(bom_len..).unwrap_or_default();
        return finish(rest, normalise(enc), CharsetSource::Bom);
    }
    if looks_like_utf8(body) && !body.is_ascii() {
        return finish(body, UTF_8, CharsetSource::ValidUtf8);
    }
    let has_nul = body.contains(&0);
    let usable = |enc: &'static Encoding| -> Option<&'static Encoding> {
        // UTF-16 labels without a BOM are almost always wrong on ASCII-looking bytes.
        if (enc == UTF_16LE || enc == UTF_16BE) && !has_nul {
            return None;
        }
        Some(normalise(enc))
    };
    if let Some(enc) = content_type.and_then(charset_from_content_type).and_then(usable) {
        return finish(body, enc, CharsetSource::Header);
    }
    if let Some(enc) = prescan(body).map(|e| {
        // Per the HTML standard a meta tag claiming UTF-16 means UTF-8.
        if e == UTF_16LE || e == UTF_16BE { UTF_8 } else { normalise(e) }
    }) {
        return finish(body, enc, CharsetSource::Meta);
    }
    if body.is_ascii() {
        return finish(body, UTF_8, CharsetSource::Default);
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(body, true);
    let tld = url.and_then(tld_of);
    let guessed = detector.guess(tld.as_deref().map(str::as_bytes), Utf8Detection::Allow);
    finish(body, normalise(guessed), CharsetSource::Detected)
}

/// Decodes `bytes` with `enc` and computes the replacement share.
fn finish(bytes: &[u8], enc: &'static Encoding, source: CharsetSource) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let text = text.into_owned();
    let replacement_share = replacement_share(&text);
    Decoded { text, encoding: enc, replacement_share, source }
}

/// Share of U+FFFD among the characters of `text`.
pub fn replacement_share(text: &str) -> f32 {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\u{FFFD}' {
            bad += 1;
        }
    }
    if total == 0 { 0.0 } else { bad as f32 / total as f32 }
}

/// GB18030 and GBK share one decoder; report both as GBK so the name is consistent.
fn normalise(enc: &'static Encoding) -> &'static Encoding {
    if enc == GB18030 { GBK } else { enc }
}

/// True when `body` is valid UTF-8, allowing a multi-byte sequence cut off at the very end
/// (bodies truncated by a size limit).
fn looks_like_utf8(body: &[u8]) -> bool {
    match std::str::from_utf8(body) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > body.len(),
    }
}

/// The encoding named by the `charset` parameter of a `Content-Type` value.
pub fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        Encoding::for_label(value.as_bytes())
    })
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#).expect("static regex")
});
static XML_DECL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([a-z0-9_:.\-]+)["']"#).expect("static regex")
});

/// Encoding declared in the first 4 KB: XML declaration first, then `<meta>`.
fn prescan(body: &[u8]) -> Option<&'static Encoding> {
    let head = body.get(..PRESCAN_BYTES.min(body.len())).unwrap_or(body);
    let from = |re: &Regex| {
        re.captures_iter(head).filter_map(|c| c.get(1)).find_map(|m| Encoding::for_label(m.as_bytes()))
    };
    from(&XML_DECL).or_else(|| from(&META_CHARSET))
}

/// The URL's top-level domain in the form chardetng accepts (lower-case ASCII, no dots).
fn tld_of(url: &url::Url) -> Option<String> {
    let host = url.host_str()?;
    let tld = host.trim_end_matches('.').rsplit('.').next()?.to_ascii_lowercase();
    let ok = !tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then_some(tld)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        GBK.encode(s).0.into_owned()
    }

    #[test]
    fn valid_utf8_wins_over_gb2312_claims() {
        let page = "<html><head><meta charset=\"gb2312\"></head><body>江州市生态环境局通知</body></html>";
        let d = decode(page.as_bytes(), Some("text/html; charset=gb2312"), None);
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.source, CharsetSource::ValidUtf8);
        assert!(d.text.contains("江州市生态环境局"));
        assert_eq!(d.replacement_share, 0.0);
    }

    #[test]
    fn gbk_from_meta_and_from_header() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>关于开展污染源监督性监测的通知</body></html>";
        let bytes = gbk(page);
        let d = decode(&bytes, None, None);
        assert_eq!(d.encoding.name(), "GBK");
        assert_eq!(d.source, CharsetSource::Meta);
        assert_eq!(d.text, page);

        let bare = gbk("<html><body>关于开展污染源监督性监测的通知</body></html>");
        let d = decode(&bare, Some("text/html;charset=\"GBK\""), None);
        assert_eq!(d.source, CharsetSource::Header);
        assert!(d.text.contains("污染源监督性监测"));
    }

    #[test]
    fn gb18030_label_reports_gbk_and_decodes_four_byte_sequences() {
        // "𠀀" (U+20000) only exists as a four-byte GB18030 sequence.
        let bytes = GB18030.encode("<meta charset=gb18030>汉字𠀀").0.into_owned();
        let d = decode(&bytes, None, None);
        assert_eq!(d.encoding_name(), "GBK");
        assert!(d.text.ends_with("汉字𠀀"));
    }

    #[test]
    fn xml_declaration_and_bom() {
        let bytes = gbk("<?xml version=\"1.0\" encoding=\"GBK\"?><rss><title>环保督察</title></rss>");
        assert_eq!(decode(&bytes, None, None).encoding, GBK);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("标题".as_bytes());
        let d = decode(&bom, Some("text/html; charset=gbk"), None);
        assert_eq!((d.encoding, d.source, d.text.as_str()), (UTF_8, CharsetSource::Bom, "标题"));
    }

    #[test]
    fn detection_with_tld_hint() {
        let text = "生态环境部门对该企业超标排放废水的行为依法作出行政处罚决定，责令立即改正违法行为。\
                    群众反映附近河道出现大面积死鱼现象，执法人员现场检查发现排污口违规设置。";
        let bytes = gbk(text);
        let url = url::Url::parse("http://www.jiangzhou.gov.cn/a.html").expect("url");
        let d = decode(&bytes, Some("text/html"), Some(&url));
        assert_eq!(d.source, CharsetSource::Detected);
        assert_eq!(d.encoding, GBK);
        assert_eq!(d.text, text);
    }

    #[test]
    fn invalid_gbk_counts_replacements() {
        let mut bytes = gbk("<meta charset=gbk>正文");
        bytes.extend_from_slice(&[0x81, 0x20, 0xFF, 0xFE, 0x81]);
        let d = decode(&bytes, None, None);
        assert!(d.replacement_share > 0.0);
        assert!(d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn garbage_and_empty_do_not_panic() {
        let d = decode(&[], None, None);
        assert_eq!((d.text.as_str(), d.replacement_share), ("", 0.0));
        let garbage: Vec<u8> = (0..3000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        let weird = url::Url::parse("http://127.0.0.1:8080/").expect("url");
        let _ = decode(&garbage, Some("text/html; charset=utf-16"), Some(&weird));
        let _ = decode(&garbage, Some("charset=;;=;"), None);
        let _ = decode(b"\xFF\xFE", None, None);
    }

    #[test]
    fn truncated_utf8_still_utf8() {
        let full = "通知全文内容".as_bytes();
        let cut = full.get(..full.len() - 1).unwrap_or_default();
        let d = decode(cut, Some("text/html; charset=gbk"), None);
        assert_eq!(d.encoding, UTF_8);
    }

    #[test]
    fn tld_hint_is_sanitised() {
        let u = url::Url::parse("http://WWW.Example.CN./x").expect("url");
        assert_eq!(tld_of(&u).as_deref(), Some("cn"));
        let ip = url::Url::parse("http://[::1]/").expect("url");
        assert_eq!(tld_of(&ip), None);
    }
}
