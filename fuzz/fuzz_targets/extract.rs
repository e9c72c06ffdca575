//! Fuzz target: no input may make the extractor panic or hang. The first byte picks the
//! declared charset, so the GBK, gb2312-claiming and undeclared paths are all exercised.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let content_type = match selector % 4 {
        0 => None,
        1 => Some("text/html; charset=gbk"),
        2 => Some("text/html; charset=gb2312"),
        _ => Some("text/html; charset=utf-8"),
    };
    let url = url::Url::parse("http://www.example.gov.cn/hbj/202403/t20240318_1.html").expect("static URL");
    let _ = cluewatch::extract::extract(&cluewatch::extract::Response { url: &url, content_type, body });
});
