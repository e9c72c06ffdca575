//! The keyword-rule engine: loading, validating and matching rule files, and running the tests
//! embedded in them.
//!
//! **Owns:** the rule file format (`schema = 1`, see `rules/README.md`), shared lexicons
//! (`include`), validation with `path:line:col` error messages, text normalisation, the single
//! Aho–Corasick pass over all literal terms of all rules, condition / `near` / score evaluation,
//! "why it matched" explanations, embedded `[[test]]` running and rule lints.
//!
//! **Does not own:** any I/O besides reading the rules directory; printing (the CLI prints the
//! [`TestReport`] and [`Explanation`]s); storage (no SQLite, no tantivy); region detection — the
//! caller applies [`Rule::region_bonus`] / [`Rule::jurisdiction`] when it knows a region; digest
//! clustering ([`Rule::digest`] is only stored).
//!
//! Matching in short: title and body are normalised char-for-char (full-width ASCII → half-width,
//! U+3000 → space, lowercase), so hit spans are char offsets into the original text. `zh` terms
//! match as substrings, `en` terms only on ASCII word boundaries. Regex terms run only for rules
//! with at least one literal hit (or no literal terms at all). A group is present when any of its
//! terms hits in the rule's `fields`; groups under `not` are looked for in the whole document.
//! Each present group scores once, at its best field: `group_weight × field_weight`. A rule fires
//! iff condition ∧ every `near` ∧ score ≥ threshold.

mod condition;
mod error;
mod format;
mod lexicon;
mod matcher;
mod model;
mod normalize;
mod tests_runner;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use condition::{Expr, NameAt, ParseError};
pub use error::{Location, RuleError};
pub use format::{
    Category, Digest, Expect, Field, FieldWeight, Jurisdiction, JurisdictionMode, Related, Severity, Status,
};
pub use lexicon::Group;
pub use matcher::{DocText, Explanation, NearCheck, RuleMatch, ScoreItem, TermHit};
pub use model::{Near, NearKind, Rule, RuleTest};
pub use normalize::{normalize, normalize_char};
pub use tests_runner::{LintIssue, TestOutcome, TestReport};

use lexicon::Lexicons;
use matcher::Automaton;
use model::compile_rule;

/// Name of the folder (at any depth) that holds shared lexicons; it is not walked for rules.
pub const LEXICON_DIR: &str = "lexicons";

/// A compiled set of rules with one shared term automaton.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    automaton: Automaton,
}

impl RuleSet {
    /// Loads every `*.toml` under `dir` (recursively, in path order), skipping `lexicons/`
    /// folders and hidden entries. Includes are resolved relative to `dir`.
    ///
    /// All files are checked; when several are broken the error is [`RuleError::Many`].
    pub fn load(dir: &Path) -> Result<RuleSet, RuleError> {
        let mut paths = Vec::new();
        collect_rule_files(dir, &mut paths)?;
        let mut files = Vec::with_capacity(paths.len());
        let mut errors = Vec::new();
        for path in paths {
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push((path, text)),
                Err(source) => errors.push(RuleError::Io { path, source }),
            }
        }
        let mut lexicons = Lexicons::new(Some(dir.to_path_buf()), HashMap::new());
        Self::build(&files, &mut lexicons, errors)
    }

    /// Builds a rule set from in-memory files: `files` are (path, rule file text);
    /// `lexicons` are (include path as written in `include`, lexicon file text).
    pub fn from_sources(
        files: &[(PathBuf, String)],
        lexicons: &[(String, String)],
    ) -> Result<RuleSet, RuleError> {
        let mem = lexicons.iter().cloned().collect();
        let mut lexicons = Lexicons::new(None, mem);
        Self::build(files, &mut lexicons, Vec::new())
    }

    fn build(
        files: &[(PathBuf, String)],
        lexicons: &mut Lexicons,
        mut errors: Vec<RuleError>,
    ) -> Result<RuleSet, RuleError> {
        let mut rules: Vec<Rule> = Vec::with_capacity(files.len());
        for (path, text) in files {
            match compile_rule(path, text, lexicons) {
                Ok(rule) => {
                    if let Some(first) = rules.iter().find(|r| r.id == rule.id) {
                        errors.push(RuleError::DuplicateId {
                            id: rule.id.clone(),
                            first: first.id_at.clone(),
                            second: rule.id_at.clone(),
                        });
                    } else {
                        rules.push(rule);
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        if let Some(e) = RuleError::combine(errors) {
            return Err(e);
        }
        let automaton = Automaton::build(&rules)?;
        Ok(RuleSet { rules, automaton })
    }

    /// The rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with id `id`.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// `true` when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules that fire on `doc`, best score first (ties by rule id).
    pub fn match_doc(&self, doc: &DocText<'_>) -> Vec<RuleMatch> {
        let mut out: Vec<RuleMatch> = self
            .automaton
            .explain(&self.rules, doc)
            .iter()
            .filter(|e| e.fired)
            .filter_map(|e| self.get(&e.rule_id).map(|r| e.to_match(r)))
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.rule_id.cmp(&b.rule_id)));
        out
    }

    /// Explains every candidate rule on `doc` (rules with at least one literal hit, plus rules
    /// without literal terms), fired or not, in rule order.
    pub fn explain(&self, doc: &DocText<'_>) -> Vec<Explanation> {
        self.automaton.explain(&self.rules, doc)
    }
}

/// Collects `*.toml` files under `dir`, sorted, skipping `lexicons` folders and hidden entries.
fn collect_rule_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), RuleError> {
    let io = |source| RuleError::Io { path: dir.to_path_buf(), source };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if name != LEXICON_DIR {
                collect_rule_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
