//! Running the `[[test]]` cases embedded in rule files, and rule lints.
//!
//! Every test goes through the production path (normalise → automaton over *all* rules →
//! regexes → condition/near/score), then looks at the result of the rule that owns the test.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::RuleSet;
use super::format::{Expect, Status};
use super::matcher::{DocText, TermHit};

/// The outcome of one embedded test.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TestOutcome {
    /// The rule that owns the test.
    pub rule_id: String,
    /// The rule file.
    pub path: PathBuf,
    /// 0-based index among the rule's tests.
    pub index: usize,
    /// Line of the `[[test]]` header in the file.
    pub line: usize,
    /// What was expected.
    pub expect: Expect,
    /// The author's note.
    pub note: Option<String>,
    /// Whether the expectation holds now (for todo cases: whether the hoped-for outcome holds).
    pub passed: bool,
    /// `true` for `todo_match` / `todo_no_match` (never counted as failures).
    pub todo: bool,
    /// Whether the rule fired.
    pub fired: bool,
    /// Groups with hits in the rule's fields.
    pub groups_hit: Vec<String>,
    /// `expect_groups` that did not hit.
    pub missing_groups: Vec<String>,
    /// Score reached.
    pub score: f64,
    /// The rule's threshold.
    pub threshold: f64,
    /// All hits, ordered by (field, start).
    pub hits: Vec<TermHit>,
    /// The engine's explanation line (why it fired or not).
    pub explanation: String,
    /// Short reason when the test does not pass.
    pub failure: Option<String>,
}

/// A lint finding: not an error, but worth fixing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LintIssue {
    /// The rule.
    pub rule_id: String,
    /// The rule file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

/// Results of [`RuleSet::run_tests`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TestReport {
    /// One entry per embedded test, in rule then test order.
    pub results: Vec<TestOutcome>,
    /// Non-todo tests that passed.
    pub passed: usize,
    /// Non-todo tests that failed.
    pub failed: usize,
    /// Todo tests (whether or not they currently pass).
    pub todo: usize,
    /// Lint findings (see [`RuleSet::lint`]); they do not make the report fail.
    pub lint: Vec<LintIssue>,
}

impl TestReport {
    /// `true` when no non-todo test failed.
    pub fn ok(&self) -> bool {
        self.failed == 0
    }

    /// The failed non-todo tests.
    pub fn failures(&self) -> impl Iterator<Item = &TestOutcome> {
        self.results.iter().filter(|r| !r.todo && !r.passed)
    }
}

impl RuleSet {
    /// Runs every `[[test]]` of every rule.
    pub fn run_tests(&self) -> TestReport {
        let mut report = TestReport { lint: self.lint(), ..TestReport::default() };
        for rule in self.rules() {
            for t in &rule.tests {
                let doc = DocText { title: &t.title, body: &t.body };
                let explanation = self.explain(&doc).into_iter().find(|e| e.rule_id == rule.id);
                let (fired, groups_hit, score, hits, why) = match explanation {
                    Some(e) => (e.fired, e.groups_hit, e.score, e.hits, e.reason),
                    None => (false, Vec::new(), 0.0, Vec::new(), "no term of the rule found".to_string()),
                };
                let missing_groups: Vec<String> =
                    t.expect_groups.iter().filter(|g| !groups_hit.contains(g)).cloned().collect();
                let outcome_ok = fired == t.expect.wants_match();
                let passed = outcome_ok && missing_groups.is_empty();
                let failure = (!passed).then(|| {
                    let mut parts = Vec::new();
                    if !outcome_ok {
                        parts.push(if fired {
                            format!("expected no match but fired ({why})")
                        } else {
                            format!("expected a match but did not fire ({why})")
                        });
                    }
                    if !missing_groups.is_empty() {
                        parts.push(format!("expected groups not hit: {}", missing_groups.join(", ")));
                    }
                    parts.join("; ")
                });
                let todo = t.expect.is_todo();
                if todo {
                    report.todo += 1;
                } else if passed {
                    report.passed += 1;
                } else {
                    report.failed += 1;
                }
                report.results.push(TestOutcome {
                    rule_id: rule.id.clone(),
                    path: rule.path.clone(),
                    index: t.index,
                    line: t.line,
                    expect: t.expect,
                    note: t.note.clone(),
                    passed,
                    todo,
                    fired,
                    groups_hit,
                    missing_groups,
                    score,
                    threshold: rule.threshold,
                    hits,
                    explanation: why,
                    failure,
                });
            }
        }
        report
    }

    /// Lints: `stable` rules need ≥2 `match` and ≥2 `no_match` tests; `test` rules need at least
    /// one of each; a term in both a positive group and an excluded group makes those hits useless.
    pub fn lint(&self) -> Vec<LintIssue> {
        let mut out = Vec::new();
        for rule in self.rules() {
            let mut issue = |message: String| {
                out.push(LintIssue { rule_id: rule.id.clone(), path: rule.path.clone(), message })
            };
            let count = |e: Expect| rule.tests.iter().filter(|t| t.expect == e).count();
            let (m, nm) = (count(Expect::Match), count(Expect::NoMatch));
            match rule.status {
                Status::Stable if m < 2 || nm < 2 => issue(format!(
                    "stable rule needs at least 2 `match` and 2 `no_match` tests (has {m} and {nm})"
                )),
                Status::Test if m < 1 || nm < 1 => issue(format!(
                    "test rule needs at least 1 `match` and 1 `no_match` test (has {m} and {nm})"
                )),
                _ => {}
            }
            let excluded: BTreeSet<&str> = rule
                .groups
                .iter()
                .enumerate()
                .filter(|(i, _)| !rule.group_scores(*i))
                .flat_map(|(_, g)| g.zh.iter().chain(&g.en).map(String::as_str))
                .collect();
            for (i, g) in rule.groups.iter().enumerate() {
                if !rule.positive[i] {
                    continue;
                }
                for t in g.zh.iter().chain(&g.en) {
                    if excluded.contains(t.as_str()) {
                        issue(format!("term `{t}` of group `{}` is also an exclusion term", g.name));
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const RULE: &str = r#"schema = 1
[rule]
id = "t-001"
version = 1
status = "stable"
title = "t"
category = "other"
severity = "low"
[lexicon.a]
zh = ["偷排"]
[lexicon.b]
zh = ["河道"]
[lexicon.x]
zh = ["演练", "河道"]
[match]
condition = "a and b and not x"
[[test]]
expect = "match"
body = "企业偷排"
[[test]]
expect = "no_match"
body = "偷排演练"
[[test]]
expect = "todo_match"
body = "偷排河道"
[[test]]
expect = "no_match"
expect_groups = ["a"]
body = "没有"
"#;

    #[test]
    fn report_counts_and_lint() {
        let set = RuleSet::from_sources(&[(PathBuf::from("t.toml"), RULE.to_string())], &[]).unwrap();
        let r = set.run_tests();
        // Test 1 fails (no b), test 2 passes, test 3 is todo (fails: excluded by x), test 4 fails (a missing).
        assert_eq!((r.passed, r.failed, r.todo), (1, 2, 1));
        assert!(!r.ok());
        let first = &r.results[0];
        assert_eq!(first.line, 17);
        assert!(first.failure.as_deref().unwrap().contains("missing b"), "{:?}", first.failure);
        assert!(r.results[2].todo && !r.results[2].passed);
        assert_eq!(r.results[3].missing_groups, vec!["a"]);
        assert!(r.results[3].failure.as_deref().unwrap().contains("expected groups not hit: a"));
        assert_eq!(r.failures().count(), 2);
        let msgs: Vec<&str> = r.lint.iter().map(|l| l.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("stable rule needs")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("term `河道`")), "{msgs:?}");
    }
}
