//! The command line: import, clear errors, JSON output.

use crate::support::{json_lines, run, run_ok};

const IMPORT: &str = r#"{"url": "https://example.gov.cn/hbj/t20240401_1.html", "title": "群众举报：某养殖场向东沙河偷排养殖废水", "body": "近日，多名村民通过12345热线举报，某养殖场夜间将未经处理的养殖废水直接排入东沙河，河水发黑发臭。区生态环境局已立案调查。", "published": "2024-04-01 09:30", "source": "import-test"}
{"url": "https://example.gov.cn/hbj/t20240402_2.html", "title": "江州市开展世界水日宣传活动", "body": "3月22日，江州市在滨江公园开展世界水日宣传活动，向市民普及节约用水知识。", "published": "2024年4月2日"}
this line is not JSON
{"url": "https://news.example.com/2024/04/03/blind-lanes", "title": "Blind lanes blocked by parked cars, residents complain", "body": "Residents complained to the city hotline that tactile paving on Renmin Road is blocked by parked cars and broken in several places, forcing visually impaired people into the traffic lane.", "lang": "en"}
"#;

#[test]
fn import_runs_documents_through_rules_once_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("docs.jsonl");
    std::fs::write(&file, IMPORT).unwrap();
    let data = dir.path().join("d");
    let d = data.to_str().unwrap();
    let out = run(dir.path(), &["--data-dir", d, "import", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a bad line makes exit code 1");
    assert!(stderr.contains("docs.jsonl:3:"), "names the bad line: {stderr}");

    let (leads, _) = run_ok(dir.path(), &["--data-dir", d, "leads", "list", "--json"], 0);
    let leads = json_lines(&leads);
    let cats: Vec<&str> = leads.iter().map(|l| l["category"].as_str().unwrap()).collect();
    assert_eq!(leads.len(), 2, "{leads:?}");
    assert!(cats.contains(&"environment") && cats.contains(&"accessibility"), "{cats:?}");

    // Importing the same file again changes nothing.
    run(dir.path(), &["--data-dir", d, "import", file.to_str().unwrap()]);
    let (again, _) = run_ok(dir.path(), &["--data-dir", d, "leads", "list", "--json"], 0);
    assert_eq!(json_lines(&again).len(), 2);

    // Search output is documented JSON Lines; English is stemmed.
    let (hits, _) = run_ok(dir.path(), &["--data-dir", d, "search", "--json", "偷排"], 0);
    let hits = json_lines(&hits);
    insta::assert_json_snapshot!(hits, { "[].score" => "[score]" });
    let (en, _) = run_ok(dir.path(), &["--data-dir", d, "search", "--json", "complaining", "blocking"], 0);
    assert_eq!(json_lines(&en).len(), 1);

    // Why a stored document matched, by URL: the rule that fired comes first, with its terms.
    let url = "https://example.gov.cn/hbj/t20240401_1.html";
    let (why, _) = run_ok(dir.path(), &["--data-dir", d, "rules", "explain", url], 0);
    let first_rule = why.lines().nth(1).unwrap_or_default();
    assert!(first_rule.starts_with("FIRED") && first_rule.contains("env-water-001"), "{why}");
    assert!(why.contains("act:偷排"), "{why}");
    let (json, _) = run_ok(dir.path(), &["--data-dir", d, "rules", "explain", "--json", url], 0);
    assert!(json_lines(&json).iter().any(|e| e["fired"] == true));
    // A document that matches nothing: exit 1.
    run_ok(
        dir.path(),
        &["--data-dir", d, "rules", "explain", "https://example.gov.cn/hbj/t20240402_2.html"],
        1,
    );
}

#[test]
fn repository_rules_lint_clean() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run_ok(dir.path(), &["rules", "lint"], 0);
    assert!(out.contains(" 0 finding(s)"), "{out}");
}

#[test]
fn bad_rule_file_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(
        rules.join("bad.toml"),
        "schema = 1\n[rule]\nid = \"x-1\"\nversion = 1\nstatus = \"test\"\ntitle = \"t\"\ncategory = \"environment\"\nseverity = \"high\"\nthresold = 3\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cluewatch"))
        .current_dir(dir.path())
        .args(["--rules", rules.to_str().unwrap(), "rules", "test"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.toml:9"), "{stderr}");
    assert!(stderr.contains("thresold"), "{stderr}");
}

#[test]
fn repository_rules_pass_their_tests() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = run_ok(dir.path(), &["rules", "test"], 0);
    assert!(out.contains(" passed, 0 failed"), "{out}");
}

#[test]
fn bad_config_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cluewatch.toml"), "user_agent = \"x\"\n\n[crawl]\nconcurency = 4\n")
        .unwrap();
    let out = run(dir.path(), &["leads", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("cluewatch.toml:4:"), "{stderr}");
}

#[test]
fn reading_commands_do_not_create_a_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["leads", "list"][..], &["digest"], &["export", "docs"], &["reindex"]] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("run `cluewatch crawl`"), "{args:?}");
    }
    assert!(!dir.path().join("index").exists(), "a reading command created ./index");
    let out = run(dir.path(), &["crawl"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no sources configured"));
}

#[test]
fn search_without_an_index_explains_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["--data-dir", "nowhere", "search", "偷排"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cluewatch crawl"));
}

#[test]
fn extract_shows_what_the_production_extractor_finds_with_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let html = "<html><head><meta charset=\"gbk\"><title>关于某厂偷排污水的处罚决定_江州市人民政府</title></head><body>\
        <div class=\"nav\"><a href=\"/\">首页</a></div><h1>关于某厂偷排污水的处罚决定</h1>\
        <div class=\"info\">发布时间：2024-03-18 10:22 来源：江州市生态环境局</div>\
        <div class=\"wenzhang\"><p>经查，某厂私设暗管偷排污水，责令改正并处罚款。</p></div>\
        <div class=\"side\"><p>这是侧栏里一段很长的推荐文字，用来诱导通用算法选错正文区域，内容越长越容易被选中，\
        所以这里写得很长很长很长很长很长很长很长很长很长很长。</p></div></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(html);
    let page = dir.path().join("page.html");
    std::fs::write(&page, &gbk).unwrap();
    let p = page.to_str().unwrap();
    let (out, _) = run_ok(
        dir.path(),
        &["extract", p, "--url", "http://www.example.gov.cn/hbj/t20240318_1.html", "--json"],
        0,
    );
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["title"], "关于某厂偷排污水的处罚决定");
    assert_eq!(v["published"], "2024-03-18T10:22:00+08:00");
    assert_eq!(v["issuer"], "江州市生态环境局");
    assert_eq!(v["encoding"], "GBK");

    // A source's selector override decides the body.
    std::fs::write(
        dir.path().join("cluewatch.toml"),
        "user_agent = \"t (+mailto:t@example.org)\"\n[[source]]\nname = \"jz\"\nstart = [\"http://www.example.gov.cn/hbj/index.html\"]\n\
         [source.extract]\nbody = \".wenzhang\"\n",
    )
    .unwrap();
    let (out, _) = run_ok(dir.path(), &["extract", p, "--source", "jz", "--json"], 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["body"], "经查，某厂私设暗管偷排污水，责令改正并处罚款。");
}
