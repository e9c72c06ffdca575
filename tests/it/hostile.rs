//! A hostile site: robots.txt rules and Crawl-delay, 429 with Retry-After, a redirect loop, an
//! endless body, a gzip bomb, a server that never answers, a calendar trap, invalid GBK bytes.
//! The crawl must finish, keep every good page, and report each defence in its statistics.

use std::io::Write;

use cluewatch::demo::server::{Behavior, Page, Site};

use crate::support::{json_lines, run_ok, serve};

fn article(title: &str, body: &str) -> String {
    format!(
        "<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1>\
         <div class=\"info\">发布时间：2024-01-01 10:00</div><div id=\"zoom\"><p>{body}</p></div></body></html>"
    )
}

fn gzip_bomb() -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        enc.write_all(&zeros).unwrap(); // 64 MiB of zeros, about 64 KiB compressed
    }
    enc.finish().unwrap()
}

fn hostile_site() -> Site {
    let html = "text/html; charset=utf-8";
    let mut s = Site::new();
    s.insert(
        "/robots.txt".into(),
        Page::ok("text/plain", "User-agent: *\nDisallow: /h/private/\nCrawl-delay: 0.05\n"),
    );
    let links = [
        "private/t20240101_1.html",
        "busy/t20240101_2.html",
        "loop/t20240101_3.html",
        "endless/t20240101_4.html",
        "bomb/t20240101_5.html",
        "hang/t20240101_6.html",
        "gbk/t20240101_7.html",
        "ok/t20240101_8.html",
        "rili/2024/",
    ];
    let list: String = links.iter().map(|l| format!("<li><a href=\"./{l}\">{l}</a></li>")).collect();
    s.insert("/h/index.html".into(), Page::ok(html, format!("<html><body><ul>{list}</ul></body></html>")));
    s.insert("/h/private/t20240101_1.html".into(), Page::ok(html, article("不应抓取", "robots 禁止")));
    s.insert(
        "/h/busy/t20240101_2.html".into(),
        Page::ok(html, article("限流后成功", "第二次请求才成功")).with(Behavior::TooManyFirst(1)),
    );
    s.insert("/h/loop/t20240101_3.html".into(), Page::redirect(302, "/h/loop/t20240101_3b.html"));
    s.insert("/h/loop/t20240101_3b.html".into(), Page::redirect(302, "/h/loop/t20240101_3.html"));
    s.insert("/h/endless/t20240101_4.html".into(), Page::ok(html, "").with(Behavior::Endless));
    let mut bomb = Page::ok(html, gzip_bomb());
    bomb.headers.push(("Content-Encoding".into(), "gzip".into()));
    s.insert("/h/bomb/t20240101_5.html".into(), bomb);
    s.insert("/h/hang/t20240101_6.html".into(), Page::ok(html, "").with(Behavior::Hang));
    // GBK with bytes that are not valid GBK in the middle of the text.
    let (mut gbk, _, _) = encoding_rs::GBK.encode("<html><head><meta charset=\"gbk\"><title>江州</title></head><body><h1>江州市通报</h1><div id=\"zoom\"><p>某企业偷排污水");
    let mut gbk = gbk.to_mut().clone();
    gbk.extend_from_slice(&[0x81, 0x20, 0xFF, b' ']);
    let (tail, _, _) = encoding_rs::GBK.encode("，群众举报。</p></div></body></html>");
    gbk.extend_from_slice(&tail);
    s.insert("/h/gbk/t20240101_7.html".into(), Page::ok("text/html; charset=GBK", gbk));
    s.insert("/h/ok/t20240101_8.html".into(), Page::ok(html, article("正常文章", "一切正常的正文内容。")));
    // A calendar that links one level deeper forever.
    let mut path = String::from("/h/rili/2024/");
    for _ in 0..12 {
        s.insert(path.clone(), Page::ok(html, "<html><body><a href=\"next/\">下一天</a></body></html>"));
        path.push_str("next/");
    }
    s
}

#[test]
fn a_hostile_site_cannot_crash_stall_or_trap_the_crawl() {
    let fixture = serve(hostile_site());
    let dir = tempfile::tempdir().unwrap();
    let base = fixture.server.base();
    std::fs::write(
        dir.path().join("cluewatch.toml"),
        format!(
            r#"user_agent = "cluewatch-test (+mailto:test@example.org)"
[crawl]
concurrency = 8
per_host_concurrency = 4
per_host_delay = "0ms"
timeout = "1s"
connect_timeout = "1s"
max_body = "256KiB"
allow_private_addresses = true
[[source]]
name = "hostile"
start = ["{base}/h/index.html"]
scope = "{base}/h/"
article = '/t\d{{8}}_\d+b?\.html$'
pagination = '/rili/'
"#
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (out, _) = run_ok(dir.path(), &["crawl", "--json"], 0);
    let out: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let s = &out["sources"]["hostile"];
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "the crawl stalled");

    let hits = fixture.server.all_hits();
    assert_eq!(hits.get("/h/private/t20240101_1.html"), None, "robots.txt ignored");
    assert_eq!(s["robots_disallowed"], 1, "{s}");
    assert_eq!(hits.get("/h/busy/t20240101_2.html"), Some(&2), "429 not retried once");
    assert!(s["retries"].as_u64().unwrap() >= 1);
    assert_eq!(s["errors"]["timeout"], 1, "the silent server timed out: {s}");
    assert_eq!(s["errors"]["network"], 1, "the redirect loop failed: {s}");
    assert_eq!(s["truncated"], 2, "endless body and gzip bomb were cut: {s}");
    assert!(s["trap_links"].as_u64().unwrap() >= 1, "{s}");
    assert!(hits.keys().all(|p| !p.contains("next/next/next/")), "calendar trap followed: {hits:?}");

    let (docs, _) = run_ok(dir.path(), &["export", "docs"], 0);
    let docs = json_lines(&docs);
    let title = |t: &str| docs.iter().find(|d| d["title"] == t).cloned();
    assert!(title("正常文章").is_some() && title("限流后成功").is_some(), "{docs:?}");
    let gbk = title("江州市通报").expect("the broken GBK page is kept");
    let body = gbk["body"].as_str().unwrap();
    assert!(body.contains("某企业偷排污水") && body.contains("群众举报"), "{body}");
    assert!(body.contains('\u{FFFD}'), "invalid bytes become replacement characters");
}
