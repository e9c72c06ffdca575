//! The whole pipeline on the bundled sample site.

use std::collections::BTreeMap;

use cluewatch::demo::site;

use crate::support::{json_lines, run_ok, serve};

#[test]
fn demo_runs_end_to_end_and_finds_leads_in_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_s = data.to_str().unwrap();
    let (out, _) = run_ok(dir.path(), &["--data-dir", data_s, "demo"], 0);
    for label in ["Environment", "Food & drug safety", "Accessibility"] {
        assert!(out.contains(label), "demo summary lacks {label}:\n{out}");
    }
    assert!(out.contains("digest.html"), "{out}");

    // Leads: exactly the articles written to be leads, one per story, each in its field.
    let (leads, _) = run_ok(dir.path(), &["--data-dir", data_s, "leads", "list", "--json"], 0);
    let leads = json_lines(&leads);
    let mut by_path: BTreeMap<String, String> = BTreeMap::new();
    for l in &leads {
        for u in l["urls"].as_array().unwrap() {
            let path = url::Url::parse(u.as_str().unwrap()).unwrap().path().to_string();
            by_path.insert(path, l["category"].as_str().unwrap().to_string());
        }
        assert!(l["id"].is_i64() && l["score"].as_f64().unwrap() > 0.0);
        assert!(!l["rules"].as_array().unwrap().is_empty());
        let hits = l["evidence"][0]["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "a lead carries its matched terms");
    }
    for e in site::expectations() {
        assert_eq!(by_path.get(&e.path).map(String::as_str), e.category, "{} ({})", e.title, e.path);
    }
    // The GBK reprint on the news portal joined the official notice's lead.
    let reprinted =
        leads.iter().find(|l| l["urls"].as_array().unwrap().len() == 2).expect("a lead with two sources");
    assert!(reprinted["title"].as_str().unwrap().contains("清溪河"));
    assert_eq!(leads.len(), site::expectations().iter().filter(|e| e.category.is_some()).count() - 1);

    // Search: segmentation never hides 偷排; GBK pages are decoded; robots.txt was obeyed.
    let (hits, _) = run_ok(dir.path(), &["--data-dir", data_s, "search", "--json", "偷排"], 0);
    let hits = json_lines(&hits);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0]["url"].as_str().unwrap().ends_with("t20240318_1001.html"));
    assert!(hits[0]["title"].as_str().unwrap().contains("偷排污水"));
    let (anguan, _) = run_ok(dir.path(), &["--data-dir", data_s, "search", "--json", "私设暗管"], 0);
    let snippet = json_lines(&anguan)[0]["snippet_html"].as_str().unwrap().to_string();
    assert!(snippet.contains("<b>私设暗管</b>"), "{snippet}");
    for key in ["url", "title", "published", "score", "snippet"] {
        assert!(!hits[0][key].is_null(), "hit lacks {key}");
    }
    let (gbk, _) = run_ok(dir.path(), &["--data-dir", data_s, "search", "--json", "食品抽检不合格"], 0);
    let gbk = json_lines(&gbk);
    assert_eq!(gbk[0]["title"], "江州市市场监督管理局关于3批次食品抽检不合格情况的通告（2024年第5期）");
    assert_eq!(gbk[0]["published"], "2024-03-18T14:00:00+08:00");
    run_ok(dir.path(), &["--data-dir", data_s, "search", "不得抓取"], 1);

    // The digest lists the day's leads with highlighted evidence and escapes nothing away.
    let day = std::fs::read_dir(data.join("digests")).unwrap().next().unwrap().unwrap().path();
    let md = std::fs::read_to_string(day.join("digest.md")).unwrap();
    assert!(md.contains("**偷排**") || md.contains("**私设暗管**"), "{md}");
    assert!(md.contains("## 生态环境 Environment"));
    let html = std::fs::read_to_string(day.join("digest.html")).unwrap();
    assert!(html.contains("<mark>") && html.contains("印染厂"));
}

#[test]
fn crawling_twice_fetches_each_article_once_and_makes_no_second_lead() {
    let fixture = serve(site::site());
    let dir = tempfile::tempdir().unwrap();
    let base = fixture.server.base();
    std::fs::write(dir.path().join("cluewatch.toml"), site::config_toml(&base)).unwrap();

    let (first, _) = run_ok(dir.path(), &["crawl", "--json"], 0);
    let first: serde_json::Value = serde_json::from_str(first.trim()).unwrap();
    assert!(first["ingest"]["leads_created"].as_u64().unwrap() >= 7, "{first}");
    let (leads1, _) = run_ok(dir.path(), &["leads", "list", "--json"], 0);

    let (second, _) = run_ok(dir.path(), &["crawl", "--json"], 0);
    let second: serde_json::Value = serde_json::from_str(second.trim()).unwrap();
    assert_eq!(second["ingest"]["documents"], 0, "{second}");
    assert_eq!(second["ingest"]["leads_created"], 0);
    // Start pages are revisited with a conditional GET and come back 304.
    assert!(second["sources"]["jiangzhou-eco"]["not_modified"].as_u64().unwrap() >= 1, "{second}");

    let hits = fixture.server.all_hits();
    for e in site::expectations() {
        assert_eq!(hits.get(&e.path).copied(), Some(1), "{} fetched {:?} times", e.path, hits.get(&e.path));
    }
    assert_eq!(hits.get(site::DISALLOWED_PATH), None, "robots.txt disallow ignored");
    assert_eq!(first["sources"]["jiangzhou-eco"]["robots_disallowed"], 1);
    let (leads2, _) = run_ok(dir.path(), &["leads", "list", "--json"], 0);
    assert_eq!(json_lines(&leads1).len(), json_lines(&leads2).len());

    // The database agrees: every article is done, nothing left queued.
    let conn = rusqlite::Connection::open(dir.path().join("index/cluewatch.db")).unwrap();
    let queued: i64 =
        conn.query_row("SELECT COUNT(*) FROM urls WHERE state = 'queued'", [], |r| r.get(0)).unwrap();
    assert_eq!(queued, 0);
    let docs: i64 =
        conn.query_row("SELECT COUNT(*) FROM documents WHERE state = 'indexed'", [], |r| r.get(0)).unwrap();
    assert_eq!(docs as usize, site::expectations().len());
}

#[test]
fn private_addresses_are_refused_unless_allowed() {
    let fixture = serve(site::site());
    let dir = tempfile::tempdir().unwrap();
    let config = site::config_toml(&fixture.server.base()).replace("allow_private_addresses = true", "");
    std::fs::write(dir.path().join("cluewatch.toml"), config).unwrap();
    let (out, _) = run_ok(dir.path(), &["crawl", "--json", "--source", "jiangzhou-eco"], 0);
    let out: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(out["sources"]["jiangzhou-eco"]["errors"]["ssrf_refused"], 1, "{out}");
    assert!(fixture.server.all_hits().is_empty(), "the guard let a request through");
}

#[test]
fn a_killed_crawl_resumes_without_refetching_or_duplicating() {
    let fixture = serve(site::site());
    let dir = tempfile::tempdir().unwrap();
    let config = site::config_toml(&fixture.server.base())
        .replace("per_host_delay = \"0ms\"", "per_host_delay = \"150ms\"")
        .replace("per_host_concurrency = 4", "per_host_concurrency = 1");
    std::fs::write(dir.path().join("cluewatch.toml"), config).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cluewatch"))
        .current_dir(dir.path())
        .args(["--rules", crate::support::rules_dir().to_str().unwrap(), "-q", "crawl"])
        .spawn()
        .unwrap();
    // Kill (SIGKILL) in the middle: some articles are done, some queued, maybe one in flight.
    let articles = site::expectations();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let hits = fixture.server.all_hits();
        if articles.iter().filter(|e| hits.contains_key(&e.path)).count() >= 3 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "crawl made no progress");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = fixture.server.all_hits();
    assert!(articles.iter().any(|e| !before.contains_key(&e.path)), "killed too late to test anything");

    run_ok(dir.path(), &["-q", "crawl"], 0);
    let hits = fixture.server.all_hits();
    let twice: Vec<&str> = articles
        .iter()
        .filter(|e| hits.get(&e.path).copied().unwrap_or(0) > 1)
        .map(|e| e.path.as_str())
        .collect();
    // Only a URL in flight at the kill may be fetched again (one host, one request at a time).
    assert!(twice.len() <= 1, "refetched after resume: {twice:?}");
    for e in &articles {
        assert!(hits.contains_key(&e.path), "never fetched: {}", e.path);
    }
    let conn = rusqlite::Connection::open(dir.path().join("index/cluewatch.db")).unwrap();
    let (docs, pending): (i64, i64) = conn
        .query_row("SELECT COUNT(*), COALESCE(SUM(state = 'pending'), 0) FROM documents", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((docs as usize, pending), (articles.len(), 0));
    let lead_docs: i64 = conn.query_row("SELECT COUNT(*) FROM lead_docs", [], |r| r.get(0)).unwrap();
    let expected = articles.iter().filter(|e| e.category.is_some()).count();
    assert_eq!(lead_docs as usize, expected, "every lead document recorded exactly once");
    // The index holds each document once.
    let (out, _) =
        run_ok(dir.path(), &["search", "--json", "--limit", "100", "江州 OR Jiangzhou OR 群众 OR 抽检"], 0);
    let ids: Vec<String> =
        crate::support::json_lines(&out).iter().map(|h| h["id"].as_str().unwrap().to_string()).collect();
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "a document is in the index twice");
}

#[test]
fn every_response_is_archived_and_reindex_rebuilds_without_network() {
    let dir = tempfile::tempdir().unwrap();
    {
        let fixture = serve(site::site());
        std::fs::write(dir.path().join("cluewatch.toml"), site::config_toml(&fixture.server.base())).unwrap();
        run_ok(dir.path(), &["-q", "crawl"], 0);
    } // The site is gone from here on.
    let archive = dir.path().join("index/archive");
    let mut records = 0;
    let mut sha = 0;
    cluewatch::crawl::archive::for_each_record(&archive, |r| {
        records += 1;
        sha += usize::from(!r.body.is_empty());
        Ok(())
    })
    .unwrap();
    // Every article, every list page and robots.txt, as fetched.
    assert!(records > site::expectations().len(), "{records} records");
    assert!(sha > 0);
    let raw = std::fs::read(std::fs::read_dir(&archive).unwrap().next().unwrap().unwrap().path()).unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&raw[..]), &mut bytes).unwrap();
    assert!(
        String::from_utf8_lossy(&bytes).contains("WARC-Payload-Digest: sha256:"),
        "payload digests recorded"
    );

    let (before, _) = run_ok(dir.path(), &["leads", "list", "--json"], 0);
    std::fs::remove_dir_all(dir.path().join("index/tantivy")).unwrap();
    let (out, _) = run_ok(dir.path(), &["reindex"], 0);
    assert!(out.contains(&format!("re-extracted {} archived", site::expectations().len())), "{out}");
    let (hits, _) = run_ok(dir.path(), &["search", "--json", "偷排"], 0);
    assert_eq!(json_lines(&hits).len(), 1);
    let (after, _) = run_ok(dir.path(), &["leads", "list", "--json"], 0);
    assert_eq!(json_lines(&before).len(), json_lines(&after).len(), "reindex made no new leads");
}
