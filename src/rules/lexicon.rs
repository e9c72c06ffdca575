//! Lexicon groups: building term groups from `[lexicon.<group>]` tables and loading shared
//! lexicon files named by `include`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use regex::{Regex, RegexBuilder};
use toml::Spanned;

use super::error::{Location, RuleError, find_in_span};
use super::format::{RawGroup, RawLexiconFile};
use super::normalize::normalize;

/// A named OR-group of terms ("lexicon group").
#[derive(Debug, Clone)]
pub struct Group {
    /// The group name used in conditions.
    pub name: String,
    /// The file that defines the group (the rule file or an included lexicon).
    pub defined_in: PathBuf,
    /// Chinese terms (normalised), matched as substrings.
    pub zh: Vec<String>,
    /// English terms (normalised), matched on word boundaries.
    pub en: Vec<String>,
    /// Chinese regexes, as written.
    pub zh_re: Vec<String>,
    /// English regexes, as written (hits must also sit on word boundaries).
    pub en_re: Vec<String>,
    /// `score.group_weight` of this group (default 1.0).
    pub weight: f64,
    /// Compiled regexes with "needs word boundary" flags.
    pub(super) regexes: Vec<(Regex, bool)>,
}

/// Shared lexicon files, parsed once per include path.
pub(super) struct Lexicons {
    /// Rules directory for `load`; `None` when only in-memory sources are used.
    base: Option<PathBuf>,
    /// In-memory lexicons by include path.
    mem: HashMap<String, String>,
    /// Parsed lexicons; `None` when the lexicon failed (its error was already reported).
    cache: HashMap<String, Option<Vec<Group>>>,
}

impl Lexicons {
    /// A cache reading includes from `base` (if any) or from the in-memory `mem` map.
    pub fn new(base: Option<PathBuf>, mem: HashMap<String, String>) -> Self {
        Lexicons { base, mem, cache: HashMap::new() }
    }

    /// The groups of include `name`, named at `at`. Errors of the lexicon itself are returned once.
    pub(super) fn get(&mut self, name: &str, at: &Location) -> Result<Vec<Group>, RuleError> {
        if let Some(cached) = self.cache.get(name) {
            return cached.clone().ok_or_else(|| RuleError::Include {
                at: at.clone(),
                include: name.to_string(),
                message: "lexicon has errors (reported separately)".into(),
            });
        }
        let (path, text) = if let Some(text) = self.mem.get(name) {
            (PathBuf::from(name), text.clone())
        } else if let Some(base) = &self.base {
            let path = base.join(name);
            match std::fs::read_to_string(&path) {
                Ok(t) => (path, t),
                Err(e) => {
                    return Err(RuleError::Include {
                        at: at.clone(),
                        include: name.to_string(),
                        message: format!("cannot read {}: {e}", path.display()),
                    });
                }
            }
        } else {
            return Err(RuleError::Include {
                at: at.clone(),
                include: name.to_string(),
                message: "no such lexicon".into(),
            });
        };
        let result = parse_lexicon(&path, &text);
        self.cache.insert(name.to_string(), result.as_ref().ok().cloned());
        result
    }
}

fn parse_lexicon(path: &Path, src: &str) -> Result<Vec<Group>, RuleError> {
    let raw: RawLexiconFile = toml::from_str(src).map_err(|e| RuleError::from_toml(path, src, &e))?;
    check_schema(path, src, &raw.schema)?;
    if let Some(inc) = raw.lexicon.include.first() {
        return Err(RuleError::Invalid {
            at: Location::at(path, src, inc.span().start),
            message: "lexicon files cannot include other lexicons".into(),
        });
    }
    raw.lexicon.groups.iter().map(|(name, g)| build_group(name, g, path, src)).collect()
}

pub(super) fn check_schema(path: &Path, src: &str, schema: &Spanned<u32>) -> Result<(), RuleError> {
    if *schema.get_ref() != 1 {
        return Err(RuleError::Invalid {
            at: Location::at(path, src, schema.span().start),
            message: format!("unsupported schema {} (this program reads schema = 1)", schema.get_ref()),
        });
    }
    Ok(())
}

fn valid_group_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && !matches!(name.to_ascii_lowercase().as_str(), "and" | "or" | "not")
}

pub(super) fn build_group(
    name: &str,
    raw: &Spanned<RawGroup>,
    path: &Path,
    src: &str,
) -> Result<Group, RuleError> {
    let at = |off: usize| Location::at(path, src, off);
    let group_at = at(find_in_span(src, &(0..src.len()), &format!("lexicon.{name}")));
    if !valid_group_name(name) {
        return Err(RuleError::Invalid {
            at: group_at,
            message: format!(
                "group name `{name}` cannot be used in a condition (letters, digits, _ and - only; not and/or/not)"
            ),
        });
    }
    let g = raw.get_ref();
    let literal = |terms: &[Spanned<String>]| -> Result<Vec<String>, RuleError> {
        let mut out: Vec<String> = Vec::new();
        for t in terms {
            let norm = normalize(t.get_ref().trim());
            let n = norm.chars().count();
            if n < 2 {
                return Err(RuleError::Invalid {
                    at: at(t.span().start),
                    message: format!(
                        "group `{name}`: term {:?} is too short (terms need at least 2 characters)",
                        t.get_ref()
                    ),
                });
            }
            if !out.contains(&norm) {
                out.push(norm);
            }
        }
        Ok(out)
    };
    let zh = literal(&g.zh)?;
    let en = literal(&g.en)?;
    let mut regexes = Vec::new();
    for (list, boundary) in [(&g.zh_re, false), (&g.en_re, true)] {
        for t in list {
            let re =
                RegexBuilder::new(t.get_ref()).case_insensitive(true).size_limit(1 << 20).build().map_err(
                    |e| RuleError::Regex {
                        at: at(t.span().start),
                        group: name.to_string(),
                        message: regex_message(&e),
                    },
                )?;
            if re.is_match("") {
                return Err(RuleError::Regex {
                    at: at(t.span().start),
                    group: name.to_string(),
                    message: "pattern matches the empty string".into(),
                });
            }
            regexes.push((re, boundary));
        }
    }
    if zh.is_empty() && en.is_empty() && regexes.is_empty() {
        return Err(RuleError::EmptyGroup { at: group_at, group: name.to_string() });
    }
    Ok(Group {
        name: name.to_string(),
        defined_in: path.to_path_buf(),
        zh,
        en,
        zh_re: g.zh_re.iter().map(|s| s.get_ref().clone()).collect(),
        en_re: g.en_re.iter().map(|s| s.get_ref().clone()).collect(),
        weight: 1.0,
        regexes,
    })
}

/// The last line of a regex error, without the `error: ` prefix.
fn regex_message(e: &regex::Error) -> String {
    let full = e.to_string();
    let last = full.lines().last().unwrap_or_default().trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_name_rules() {
        assert!(valid_group_name("act"));
        assert!(valid_group_name("not_event"));
        assert!(valid_group_name("a-b1"));
        assert!(!valid_group_name("not"));
        assert!(!valid_group_name("a b"));
        assert!(!valid_group_name(""));
    }

    #[test]
    fn lexicon_file_errors() {
        let p = Path::new("lexicons/x.toml");
        let e = parse_lexicon(p, "schema = 2\n[lexicon.a]\nzh = [\"偷排\"]\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "lexicons/x.toml:1:10: unsupported schema 2 (this program reads schema = 1)"
        );
        let e = parse_lexicon(p, "schema = 1\n[lexicon.a]\nzh = []\n").unwrap_err();
        assert!(matches!(e, RuleError::EmptyGroup { .. }), "{e}");
        assert!(e.to_string().starts_with("lexicons/x.toml:2:"), "{e}");
        let e = parse_lexicon(p, "schema = 1\n[lexicon.a]\nzh = [\"河\"]\n").unwrap_err();
        assert!(e.to_string().starts_with("lexicons/x.toml:3:7: group `a`: term \"河\" is too short"), "{e}");
        let e = parse_lexicon(p, "schema = 1\n[lexicon.a]\nzh_re = ['(河']\n").unwrap_err();
        assert!(e.to_string().starts_with("lexicons/x.toml:3:10: invalid regex in group `a`"), "{e}");
        let ok =
            parse_lexicon(p, "schema = 1\n[lexicon.a]\nzh = [\"偷排\", \"偷排\"]\nen = [\"ＦＩＮＥＤ\"]\n")
                .unwrap();
        assert_eq!(ok[0].zh, vec!["偷排"]);
        assert_eq!(ok[0].en, vec!["fined"]);
    }
}
