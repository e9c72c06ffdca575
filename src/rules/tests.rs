//! Engine-level tests: loading errors, matching semantics and the real rules directory.

use super::*;

const SIGNAL: &str = r#"schema = 1
[lexicon.complaint]
zh = ["群众反映", "投诉"]
en = ["complained"]
"#;

/// A minimal valid rule; `extra` is appended (more groups, tests...).
fn rule(id: &str, groups: &str, matching: &str, score: &str) -> String {
    format!(
        "schema = 1\n\n[rule]\nid = \"{id}\"\nversion = 1\nstatus = \"test\"\ntitle = \"t\"\ncategory = \"environment\"\nseverity = \"high\"\n\n{groups}\n[match]\n{matching}\n\n[score]\n{score}\n"
    )
}

fn set(files: &[(&str, String)]) -> Result<RuleSet, RuleError> {
    let files: Vec<(PathBuf, String)> = files.iter().map(|(p, t)| (PathBuf::from(p), t.clone())).collect();
    RuleSet::from_sources(&files, &[("lexicons/signal.toml".to_string(), SIGNAL.to_string())])
}

fn one(groups: &str, matching: &str, score: &str) -> RuleSet {
    match set(&[("r.toml", rule("r-1", groups, matching, score))]) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

fn fires(s: &RuleSet, title: &str, body: &str) -> bool {
    !s.match_doc(&DocText { title, body }).is_empty()
}

const ACT_WATER: &str = "[lexicon.act]\nzh = [\"偷排\", \"直排\"]\nen = [\"discharge\"]\n[lexicon.water]\nzh = [\"河道\"]\nen = [\"river\"]\n";

#[test]
fn unknown_key_names_file_line_and_key() {
    let src = rule("r-1", ACT_WATER, "condition = \"act\"", "thresold = 1");
    let e = set(&[("rules/environment/env-water-001.toml", src)]).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with(
            "rules/environment/env-water-001.toml:22:1: unknown field `thresold`, expected one of"
        ),
        "{msg}"
    );
}

#[test]
fn bad_condition_points_into_the_string() {
    let src = rule("r-1", ACT_WATER, "condition = \"act and (water or\"", "");
    let e = set(&[("r.toml", src)]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "r.toml:19:31: condition syntax error at char 17 of `act and (water or`: unexpected end of condition, expected a group name, `not` or `(`"
    );
}

#[test]
fn unknown_group_in_condition_near_and_weights() {
    let e = set(&[("r.toml", rule("r-1", ACT_WATER, "condition = \"act and watr\"", ""))]).unwrap_err();
    assert_eq!(e.to_string(), "r.toml:19:22: unknown group `watr` in condition (defined groups: act, water)");
    let m = "condition = \"act\"\nnear = [{ groups = [\"act\", \"lake\"], within_chars = 5 }]";
    let e = set(&[("r.toml", rule("r-1", ACT_WATER, m, ""))]).unwrap_err();
    assert!(e.to_string().starts_with("r.toml:20:29: unknown group `lake` in near"), "{e}");
    let e = set(&[(
        "r.toml",
        rule("r-1", ACT_WATER, "condition = \"act\"", "group_weight = { act = 2, harm = 1 }"),
    )])
    .unwrap_err();
    assert!(e.to_string().starts_with("r.toml:22:27: unknown group `harm` in score.group_weight"), "{e}");
}

#[test]
fn duplicate_id_names_both_files() {
    let a = rule("dup-1", ACT_WATER, "condition = \"act\"", "");
    let e = set(&[("a.toml", a.clone()), ("b.toml", a)]).unwrap_err();
    assert_eq!(e.to_string(), "b.toml:4:6: duplicate rule id `dup-1` (already defined at a.toml:4:6)");
}

#[test]
fn other_semantic_errors() {
    // Missing include.
    let g = "[lexicon]\ninclude = [\"lexicons/nope.toml\"]\n".to_string() + ACT_WATER;
    let e = set(&[("r.toml", rule("r-1", &g, "condition = \"act\"", ""))]).unwrap_err();
    assert!(e.to_string().starts_with("r.toml:12:12: include `lexicons/nope.toml`: no such lexicon"), "{e}");
    // Empty group.
    let g = ACT_WATER.to_string() + "[lexicon.harm]\nzh = []\n";
    let e = set(&[("r.toml", rule("r-1", &g, "condition = \"act\"", ""))]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "r.toml:17:2: group `harm` has no terms (give at least one of zh, en, zh_re, en_re)"
    );
    // Invalid regex.
    let g = ACT_WATER.to_string() + "[lexicon.name]\nzh_re = ['\\p{Han}{1,3}(河|江']\n";
    let e = set(&[("r.toml", rule("r-1", &g, "condition = \"act\"", ""))]).unwrap_err();
    assert!(e.to_string().starts_with("r.toml:18:10: invalid regex in group `name`"), "{e}");
    // Bad near.
    let m = "condition = \"act\"\nnear = [{ groups = [\"act\", \"water\"] }]";
    let e = set(&[("r.toml", rule("r-1", ACT_WATER, m, ""))]).unwrap_err();
    assert!(e.to_string().starts_with("r.toml:20:9: near needs exactly one of"), "{e}");
    // Bad enum value and several files at once.
    let bad = rule("r-2", ACT_WATER, "condition = \"act\"", "").replace("\"environment\"", "\"enviroment\"");
    let e = set(&[("a.toml", bad), ("b.toml", "schema = 1\n[rule]\nid = 3\n".into())]).unwrap_err();
    let all = e.errors();
    assert_eq!(all.len(), 2);
    assert!(all[0].to_string().starts_with("a.toml:8:12: unknown variant `enviroment`"), "{e}");
    assert!(all[1].to_string().starts_with("b.toml:3:6: invalid type"), "{e}");
}

#[test]
fn include_provides_groups() {
    let g = "[lexicon]\ninclude = [\"lexicons/signal.toml\"]\n".to_string() + ACT_WATER;
    let s = one(&g, "condition = \"act and complaint\"", "");
    assert!(fires(&s, "", "群众反映有人偷排"));
    assert!(!fires(&s, "", "有人偷排"));
    assert_eq!(
        s.rules()[0].group("complaint").map(|g| g.defined_in.clone()),
        Some(PathBuf::from("lexicons/signal.toml"))
    );
}

#[test]
fn normalisation_and_char_spans() {
    let g = "[lexicon.pm]\nen = [\"pm2.5\"]\n[lexicon.over]\nzh = [\"超标\"]\n";
    let s = one(g, "condition = \"pm and over\"", "");
    let m = s.match_doc(&DocText { title: "", body: "监测显示ＰＭ２．５浓度超标" });
    assert_eq!(m.len(), 1);
    let hits: Vec<(&str, usize, usize)> =
        m[0].hits.iter().map(|h| (h.term.as_str(), h.start, h.end)).collect();
    assert_eq!(hits, vec![("pm2.5", 4, 9), ("超标", 11, 13)]);
    let body: Vec<char> = "监测显示ＰＭ２．５浓度超标".chars().collect();
    assert_eq!(body[11..13].iter().collect::<String>(), "超标");
}

#[test]
fn english_word_boundaries() {
    let g = "[lexicon.pen]\nen = [\"fine\", \"fined\"]\nzh = [\"罚款\"]\n";
    let s = one(g, "condition = \"pen\"", "");
    assert!(!fires(&s, "", "the finest restaurant"));
    assert!(!fires(&s, "", "refined oil"));
    assert!(fires(&s, "", "The plant was FINED."));
    assert!(fires(&s, "", "被罚款5万元"));
    // Overlapping terms both hit: "fine" inside "fined" fails the boundary, "fined" passes.
    let m = s.match_doc(&DocText { title: "", body: "fined" });
    assert_eq!(m[0].hits.len(), 1);
    assert_eq!(m[0].hits[0].term, "fined");
}

#[test]
fn overlapping_zh_terms_all_hit() {
    let g = "[lexicon.a]\nzh = [\"排污\", \"排污口\", \"污口\"]\n";
    let s = one(g, "condition = \"a\"", "");
    let m = s.match_doc(&DocText { title: "", body: "私设排污口" });
    let terms: Vec<&str> = m[0].hits.iter().map(|h| h.term.as_str()).collect();
    assert_eq!(terms, vec!["排污", "排污口", "污口"]);
}

#[test]
fn near_within_chars_and_same_sentence() {
    let m = "condition = \"act and water\"\nnear = [{ groups = [\"act\", \"water\"], within_chars = 4 }]";
    let s = one(ACT_WATER, m, "");
    assert!(fires(&s, "", "向河道偷排"));
    assert!(fires(&s, "", "偷排进入了河道")); // gap 4
    assert!(!fires(&s, "", "偷排，后来进入了河道")); // gap 7
    assert!(!fires(&s, "偷排", "河道")); // different fields
    let m = "condition = \"act and water\"\nnear = [{ groups = [\"act\", \"water\"], same_sentence = true }]";
    let s = one(ACT_WATER, m, "");
    assert!(fires(&s, "", "企业长期偷排，污水流入河道，下游发臭。"));
    assert!(!fires(&s, "", "企业偷排。河道发臭"));
    assert!(!fires(&s, "", "企业偷排！河道发臭"));
    assert!(!fires(&s, "", "企业偷排\n河道发臭"));
    assert!(fires(&s, "", "They saw a discharge into the river. Next"));
    assert!(!fires(&s, "", "They saw a discharge. The river was black"));
    let e = s.explain(&DocText { title: "", body: "企业偷排。河道发臭" });
    assert_eq!(e[0].reason, "near act ~ water (same_sentence) not satisfied");
}

#[test]
fn score_threshold_and_breakdown() {
    let g = ACT_WATER.to_string() + "[lexicon.harm]\nzh = [\"死鱼\"]\n[lexicon.drill]\nzh = [\"演练\"]\n";
    let s =
        one(&g, "condition = \"act and not drill\"", "threshold = 6\ngroup_weight = { act = 3, drill = 5 }");
    // act in title: 3×2 = 6.
    let m = s.match_doc(&DocText { title: "偷排", body: "偷排" });
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].score, 6.0);
    assert_eq!(m[0].breakdown, vec![ScoreItem { group: "act".into(), field: Field::Title, weight: 6.0 }]);
    // act in body only: 3 < 6; water and harm add 1 each (not in the condition, still scored).
    assert!(!fires(&s, "", "偷排"));
    let e = s.explain(&DocText { title: "", body: "偷排" });
    assert_eq!(e[0].reason, "score 3 below threshold 6");
    // act 3 + water 1 + harm 1 = 5 < 6; the drill group (only under `not`) never scores.
    assert!(!fires(&s, "", "偷排河道死鱼"));
    // Same groups, water and harm in the title: 3 + 2 + 2 = 7.
    let m = s.match_doc(&DocText { title: "河道死鱼", body: "偷排" });
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].score, 7.0);
    let items: Vec<(&str, Field, f64)> =
        m[0].breakdown.iter().map(|i| (i.group.as_str(), i.field, i.weight)).collect();
    assert_eq!(
        items,
        vec![("act", Field::Body, 3.0), ("harm", Field::Title, 2.0), ("water", Field::Title, 2.0)]
    );
    assert_eq!(m[0].threshold, 6.0);
}

#[test]
fn not_is_evaluated_over_the_whole_document() {
    let g = ACT_WATER.to_string() + "[lexicon.drill]\nzh = [\"演练\"]\n";
    let s = one(&g, "fields = [\"body\"]\ncondition = \"act and not drill\"", "");
    assert!(fires(&s, "", "偷排"));
    assert!(!fires(&s, "偷排", "")); // act only counts in body
    assert!(!fires(&s, "应急演练", "偷排")); // drill in title still excludes
    let e = s.explain(&DocText { title: "应急演练", body: "偷排" });
    assert_eq!(e[0].excluded_by, vec!["drill"]);
    assert!(e[0].reason.contains("excluded by drill"));
}

#[test]
fn condition_precedence_in_matching() {
    let g = "[lexicon.a]\nzh = [\"甲甲\"]\n[lexicon.b]\nzh = [\"乙乙\"]\n[lexicon.c]\nzh = [\"丙丙\"]\n";
    let s = one(g, "condition = \"a and b or c\"", "");
    assert!(fires(&s, "", "丙丙"));
    assert!(fires(&s, "", "甲甲乙乙"));
    assert!(!fires(&s, "", "甲甲"));
    let s = one(g, "condition = \"a and (b or c)\"", "");
    assert!(!fires(&s, "", "丙丙"));
    assert!(fires(&s, "", "甲甲丙丙"));
    let s = one(g, "condition = \"not a and b\"", "");
    assert!(fires(&s, "", "乙乙"));
    assert!(!fires(&s, "", "甲甲乙乙"));
}

#[test]
fn regex_terms_need_a_literal_candidate() {
    let g = "[lexicon.act]\nzh = [\"偷排\"]\n[lexicon.water]\nzh_re = ['\\p{Han}{1,2}(河|江)']\n";
    let s = one(g, "condition = \"act and water\"", "");
    let m = s.match_doc(&DocText { title: "", body: "向白沙河偷排" });
    assert_eq!(m.len(), 1);
    let w = m[0].hits.iter().find(|h| h.group == "water").unwrap();
    assert_eq!((w.term.as_str(), w.start, w.end), ("白沙河", 1, 4));
    // No literal term at all: always a candidate.
    let s = one("[lexicon.name]\nen_re = ['ac(me|ne) corp']\n", "condition = \"name\"", "");
    assert!(fires(&s, "", "ACME Corp dumped"));
    assert!(!fires(&s, "", "xacme corp"));
}

#[test]
fn matches_are_sorted_by_score() {
    let lo = rule("lo", ACT_WATER, "condition = \"act\"", "");
    let hi = rule("hi", ACT_WATER, "condition = \"act and water\"", "");
    let s = set(&[("lo.toml", lo), ("hi.toml", hi)]).unwrap();
    let m = s.match_doc(&DocText { title: "", body: "偷排河道" });
    let ids: Vec<&str> = m.iter().map(|m| m.rule_id.as_str()).collect();
    assert_eq!(ids, vec!["hi", "lo"]);
    assert_eq!(m[0].category, "environment");
    assert_eq!(m[0].severity, "high");
    let json = serde_json::to_string(&m[0].hits[0]).unwrap();
    assert!(json.contains("\"field\":\"body\""), "{json}");
}

/// Loads the repository's `rules/` and requires every embedded non-todo test to pass.
#[test]
fn real_rules_directory_passes_its_tests() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest.join("rules");
    let set = match RuleSet::load(&dir) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    assert!(set.len() >= 5, "only {} rules", set.len());
    let report = set.run_tests();
    let failures: Vec<String> = report
        .failures()
        .map(|f| format!("{}:{} {} #{}: {:?}", f.path.display(), f.line, f.rule_id, f.index, f.failure))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(report.lint.is_empty(), "{:?}", report.lint);
    assert!(report.passed >= 24);
}

#[test]
fn toml_syntax_and_missing_keys_are_located() {
    let e = set(&[("s.toml", "schema = 1\n[rule]\nid = \"x\nversion = 1\n".into())]).unwrap_err();
    assert!(e.to_string().starts_with("s.toml:3:"), "{e}");
    let src = rule("r-1", ACT_WATER, "condition = \"act\"", "").replace("version = 1\n", "");
    let e = set(&[("m.toml", src)]).unwrap_err();
    assert!(e.to_string().starts_with("m.toml:3:1: missing field `version`"), "{e}");
}
