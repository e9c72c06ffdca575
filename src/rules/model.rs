//! Compiled rules: validation of the raw format and resolution of includes and group names.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::condition::{self, Expr, NameAt};
use super::error::{Location, RuleError, find_in_span, find_name_in_span};
use super::format::{
    Category, Digest, Expect, Field, FieldWeight, Jurisdiction, RawRuleFile, Related, Severity, Status,
};
use super::lexicon::{Group, Lexicons, build_group, check_schema};

/// The kind of a proximity constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NearKind {
    /// At most this many chars between the two hits (overlap counts as 0).
    WithinChars(usize),
    /// Both hits in one sentence.
    SameSentence,
}

/// A `match.near` constraint between two groups.
#[derive(Debug, Clone)]
pub struct Near {
    /// The two group names.
    pub groups: [String; 2],
    /// The constraint.
    pub kind: NearKind,
    /// Indices of the two groups in [`Rule::groups`].
    pub(super) idx: [usize; 2],
}

/// One embedded `[[test]]` of a rule.
#[derive(Debug, Clone)]
pub struct RuleTest {
    /// 0-based position among the rule's tests.
    pub index: usize,
    /// Line of the test in the rule file.
    pub line: usize,
    /// Expected outcome.
    pub expect: Expect,
    /// Title ("" when not given).
    pub title: String,
    /// Body ("" when not given).
    pub body: String,
    /// Author's note.
    pub note: Option<String>,
    /// Groups that must be present (for `match` tests).
    pub expect_groups: Vec<String>,
}

/// A compiled, validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id, e.g. `env-water-001`.
    pub id: String,
    /// Version, bumped on every change of matching behaviour.
    pub version: u32,
    /// Lifecycle status.
    pub status: Status,
    /// Human title.
    pub title: String,
    /// Category.
    pub category: Category,
    /// Severity.
    pub severity: Severity,
    /// Owning team or person.
    pub owner: Option<String>,
    /// Creation date (TOML date, as written).
    pub created: Option<String>,
    /// Last modification date (TOML date, as written).
    pub modified: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Legal basis notes.
    pub legal_basis: Vec<String>,
    /// Related rules.
    pub related: Vec<Related>,
    /// The rule file.
    pub path: PathBuf,
    /// Fields the positive groups are looked for in.
    pub fields: Vec<Field>,
    /// The condition as written.
    pub condition: String,
    /// Proximity constraints.
    pub near: Vec<Near>,
    /// Minimum score to fire.
    pub threshold: f64,
    /// Field weights.
    pub field_weight: FieldWeight,
    /// Bonus the caller adds when a region is known (`score.region_bonus`); not applied here.
    pub region_bonus: Option<f64>,
    /// `[jurisdiction]`, interpreted by the caller.
    pub jurisdiction: Option<Jurisdiction>,
    /// `[digest]`, interpreted by the digest builder.
    pub digest: Option<Digest>,
    /// Embedded tests.
    pub tests: Vec<RuleTest>,
    /// All groups (included ones first, then the rule's own).
    pub groups: Vec<Group>,
    /// The condition with group indices.
    pub(super) expr: Expr<usize>,
    /// Per group: appears outside any `not` (so it is looked for in `fields` and scores).
    pub(super) positive: Vec<bool>,
    /// Per group: appears under a `not` (so it is looked for in the whole document).
    pub(super) negative: Vec<bool>,
    /// Where `rule.id` is written (for duplicate-id errors).
    pub(super) id_at: Location,
}

impl Rule {
    /// The digest section, if the rule names one.
    pub fn digest_section(&self) -> Option<&str> {
        self.digest.as_ref().and_then(|d| d.section.as_deref())
    }

    /// The group called `name`.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// `true` when the group contributes to the score (it is not used only under `not`).
    pub fn group_scores(&self, idx: usize) -> bool {
        self.positive.get(idx).copied().unwrap_or(false) || !self.negative.get(idx).copied().unwrap_or(false)
    }
}
/// Location of char `pos` of the condition, when the value is a plain one-line string.
fn condition_location(path: &Path, src: &str, cond: &Spanned<String>, pos: usize) -> Location {
    let span = cond.span();
    let text = cond.get_ref();
    let inner = span.start + 1;
    let plain = src.get(inner..).is_some_and(|s| s.starts_with(text.as_str()))
        && !src[span.start..].starts_with("\"\"\"")
        && !src[span.start..].starts_with("'''");
    if plain {
        let byte = text.char_indices().nth(pos).map_or(text.len(), |(b, _)| b);
        Location::at(path, src, inner + byte)
    } else {
        Location::at(path, src, span.start)
    }
}

/// Parses and validates one rule file. `lexicons` resolves `include`s.
pub(super) fn compile_rule(path: &Path, src: &str, lexicons: &mut Lexicons) -> Result<Rule, RuleError> {
    let raw: RawRuleFile = toml::from_str(src).map_err(|e| RuleError::from_toml(path, src, &e))?;
    check_schema(path, src, &raw.schema)?;
    let at = |off: usize| Location::at(path, src, off);
    let invalid = |off: usize, message: String| RuleError::Invalid { at: at(off), message };

    let id = raw.rule.id.get_ref().trim().to_string();
    if id.is_empty() || id.chars().any(char::is_whitespace) {
        return Err(invalid(
            raw.rule.id.span().start,
            format!("rule id {id:?} must be non-empty without spaces"),
        ));
    }

    // Groups: includes first, then the rule's own.
    let mut groups: Vec<Group> = Vec::new();
    for inc in &raw.lexicon.include {
        let inc_at = at(inc.span().start);
        for g in lexicons.get(inc.get_ref(), &inc_at)? {
            if let Some(prev) = groups.iter().find(|p| p.name == g.name) {
                return Err(RuleError::Include {
                    at: inc_at,
                    include: inc.get_ref().clone(),
                    message: format!(
                        "group `{}` is already defined in {}",
                        g.name,
                        prev.defined_in.display()
                    ),
                });
            }
            groups.push(g);
        }
    }
    for (name, g) in &raw.lexicon.groups {
        let group = build_group(name, g, path, src)?;
        if let Some(prev) = groups.iter().find(|p| p.name == group.name) {
            let off = find_in_span(src, &(0..src.len()), &format!("lexicon.{name}"));
            return Err(invalid(
                off,
                format!("group `{name}` is already defined in {}", prev.defined_in.display()),
            ));
        }
        groups.push(group);
    }
    let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    let defined = if names.is_empty() { "none".to_string() } else { names.join(", ") };
    let index_of = |n: &str| names.iter().position(|x| x == n);
    let unknown = |loc: Location, group: &str, context: &str| RuleError::UnknownGroup {
        at: loc,
        group: group.to_string(),
        context: context.to_string(),
        defined: defined.clone(),
    };

    // Condition.
    let cond = &raw.matching.condition;
    let parsed = condition::parse(cond.get_ref()).map_err(|e| RuleError::Condition {
        at: condition_location(path, src, cond, e.pos),
        condition: cond.get_ref().clone(),
        pos: e.pos,
        message: e.message,
    })?;
    let expr = parsed.try_map(&mut |n: NameAt| {
        index_of(&n.name)
            .ok_or_else(|| unknown(condition_location(path, src, cond, n.pos), &n.name, "condition"))
    })?;
    let mut positive = vec![false; groups.len()];
    let mut negative = vec![false; groups.len()];
    expr.visit(true, &mut |g: &usize, p| {
        if p {
            positive[*g] = true;
        } else {
            negative[*g] = true;
        }
    });
    if !positive.iter().any(|p| *p) {
        return Err(invalid(cond.span().start, "condition needs at least one group outside `not`".into()));
    }

    // Near.
    let mut near = Vec::new();
    for n in &raw.matching.near {
        let span = n.span();
        let r = n.get_ref();
        if r.groups.len() != 2 {
            return Err(invalid(span.start, format!("near needs exactly 2 groups, got {}", r.groups.len())));
        }
        let mut idx = [0usize; 2];
        for (k, g) in r.groups.iter().enumerate() {
            idx[k] = index_of(g).ok_or_else(|| unknown(at(find_name_in_span(src, &span, g)), g, "near"))?;
        }
        let kind = match (r.within_chars, r.same_sentence) {
            (Some(n), None | Some(false)) => NearKind::WithinChars(n),
            (None, Some(true)) => NearKind::SameSentence,
            _ => {
                return Err(invalid(
                    span.start,
                    "near needs exactly one of `within_chars = N` or `same_sentence = true`".into(),
                ));
            }
        };
        near.push(Near { groups: [r.groups[0].clone(), r.groups[1].clone()], kind, idx });
    }

    // Score.
    let threshold = match &raw.score.threshold {
        Some(t) if !t.get_ref().is_finite() || *t.get_ref() < 0.0 => {
            return Err(invalid(t.span().start, "threshold must be a finite number >= 0".into()));
        }
        Some(t) => *t.get_ref(),
        None => 0.0,
    };
    let field_weight = raw.score.field_weight.unwrap_or_default();
    if !(field_weight.title.is_finite() && field_weight.body.is_finite()) {
        return Err(invalid(0, "field_weight values must be finite".into()));
    }
    if let Some(gw) = &raw.score.group_weight {
        let span = gw.span();
        for (name, w) in gw.get_ref() {
            let i = index_of(name)
                .ok_or_else(|| unknown(at(find_in_span(src, &span, name)), name, "score.group_weight"))?;
            if !w.is_finite() {
                return Err(invalid(
                    find_in_span(src, &span, name),
                    format!("weight of `{name}` must be finite"),
                ));
            }
            groups[i].weight = *w;
        }
    }

    // Fields.
    let mut fields: Vec<Field> =
        raw.matching.fields.clone().unwrap_or_else(|| vec![Field::Title, Field::Body]);
    fields.sort();
    fields.dedup();
    if fields.is_empty() {
        let off = find_in_span(src, &(0..src.len()), "fields");
        return Err(invalid(off, "match.fields must name at least one of title, body".into()));
    }

    // Tests.
    let mut tests = Vec::new();
    for (index, t) in raw.test.iter().enumerate() {
        let span = t.span();
        let r = t.get_ref();
        let title = r.title.clone().unwrap_or_default();
        let body = r.body.clone().unwrap_or_default();
        if title.trim().is_empty() && body.trim().is_empty() {
            return Err(invalid(span.start, format!("test #{} has neither title nor body", index + 1)));
        }
        for g in &r.expect_groups {
            if index_of(g).is_none() {
                return Err(unknown(at(find_name_in_span(src, &span, g)), g, "test.expect_groups"));
            }
        }
        tests.push(RuleTest {
            index,
            line: at(span.start).line,
            expect: r.expect,
            title,
            body,
            note: r.note.clone(),
            expect_groups: r.expect_groups.clone(),
        });
    }

    let id_at = at(raw.rule.id.span().start);
    let r = raw.rule;
    Ok(Rule {
        id,
        version: r.version,
        status: r.status,
        title: r.title,
        category: r.category,
        severity: r.severity,
        owner: r.owner,
        created: r.created.map(|d| d.to_string()),
        modified: r.modified.map(|d| d.to_string()),
        description: r.description,
        legal_basis: r.legal_basis,
        related: r.related,
        path: path.to_path_buf(),
        fields,
        condition: cond.get_ref().clone(),
        near,
        threshold,
        field_weight,
        region_bonus: raw.score.region_bonus,
        jurisdiction: raw.jurisdiction,
        digest: raw.digest,
        tests,
        groups,
        expr,
        positive,
        negative,
        id_at,
    })
}

/// Names of groups that are referenced positively by the condition (used for "missing" reports).
pub(super) fn positive_names(rule: &Rule) -> BTreeSet<&str> {
    rule.groups.iter().zip(&rule.positive).filter(|(_, p)| **p).map(|(g, _)| g.name.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_location_points_into_plain_strings_only() {
        let src = "[match]\ncondition = \"a and b\"\n";
        let cond: Spanned<String> = Spanned::new(20..29, "a and b".to_string());
        let loc = condition_location(Path::new("r.toml"), src, &cond, 6);
        assert_eq!((loc.line, loc.col), (2, 20));
        let src = "[match]\ncondition = \"\"\"a and b\"\"\"\n";
        let cond: Spanned<String> = Spanned::new(20..33, "a and b".to_string());
        let loc = condition_location(Path::new("r.toml"), src, &cond, 6);
        assert_eq!((loc.line, loc.col), (2, 13));
    }

    #[test]
    fn scoring_groups_exclude_negative_only_ones() {
        let src = r#"schema = 1
[rule]
id = "x-1"
version = 2
status = "experimental"
title = "t"
category = "minors"
severity = "low"
created = 2025-01-02
[lexicon.a]
zh = ["甲甲"]
[lexicon.b]
zh = ["乙乙"]
[lexicon.c]
zh = ["丙丙"]
[match]
fields = ["body", "body"]
condition = "a and not b"
"#;
        let mut lex = Lexicons::new(None, Default::default());
        let r = compile_rule(Path::new("x.toml"), src, &mut lex).unwrap();
        assert!(r.group_scores(0));
        assert!(!r.group_scores(1));
        assert!(r.group_scores(2)); // unused groups still add score
        assert_eq!(r.fields, vec![Field::Body]);
        assert_eq!(r.created.as_deref(), Some("2025-01-02"));
        assert_eq!(positive_names(&r).into_iter().collect::<Vec<_>>(), vec!["a"]);
        assert_eq!(r.threshold, 0.0);
        assert!(r.digest_section().is_none());
    }
}
