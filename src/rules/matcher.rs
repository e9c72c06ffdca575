//! Matching: one Aho–Corasick automaton over every literal term of every rule, then per-rule
//! regexes, condition, proximity and score.
//!
//! Regex terms (`zh_re`, `en_re`) run only for *candidate* rules: rules with at least one
//! literal hit anywhere in the document, plus rules that have no literal terms at all.

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use super::error::{Location, RuleError};
use super::format::Field;
use super::model::{NearKind, Rule, positive_names};
use super::normalize::NormText;

/// The text of one document as the rules see it.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocText<'a> {
    /// Title ("" when there is none).
    pub title: &'a str,
    /// Main text.
    pub body: &'a str,
}

/// One term found in a document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TermHit {
    /// The group the term belongs to.
    pub group: String,
    /// The lexicon term (normalised) for literal terms; the matched original text for regexes.
    pub term: String,
    /// Where it was found.
    pub field: Field,
    /// Char offset of the first char in the original field text.
    pub start: usize,
    /// Char offset after the last char (exclusive).
    pub end: usize,
}

/// One line of a score breakdown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScoreItem {
    /// The group.
    pub group: String,
    /// The best field the group hit in.
    pub field: Field,
    /// `group_weight × field_weight` contributed.
    pub weight: f64,
}

/// A rule that fired on a document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RuleMatch {
    /// Rule id.
    pub rule_id: String,
    /// Rule version.
    pub rule_version: u32,
    /// Category (snake_case name).
    pub category: String,
    /// Rule title.
    pub rule_title: String,
    /// Severity (`low`, `medium`, `high`).
    pub severity: String,
    /// Score reached.
    pub score: f64,
    /// The rule's threshold.
    pub threshold: f64,
    /// Hits in the rule's fields (excluding groups used only under `not`), ordered by (field, start).
    pub hits: Vec<TermHit>,
    /// How the score was made up, largest first.
    pub breakdown: Vec<ScoreItem>,
}

/// Result of one proximity constraint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NearCheck {
    /// The two groups.
    pub groups: [String; 2],
    /// `within_chars = N` or `same_sentence`.
    pub constraint: String,
    /// Whether it holds.
    pub ok: bool,
}

/// Why a candidate rule did or did not fire on a document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Explanation {
    /// Rule id.
    pub rule_id: String,
    /// Rule version.
    pub rule_version: u32,
    /// Rule title.
    pub rule_title: String,
    /// Category (snake_case name).
    pub category: String,
    /// Severity.
    pub severity: String,
    /// Groups with at least one hit in the rule's fields.
    pub groups_hit: Vec<String>,
    /// Groups used positively in the condition that have no hit.
    pub groups_missing: Vec<String>,
    /// Groups used under `not` that hit somewhere in the document.
    pub excluded_by: Vec<String>,
    /// Whether the condition holds.
    pub condition_ok: bool,
    /// Proximity constraints.
    pub near: Vec<NearCheck>,
    /// Score reached.
    pub score: f64,
    /// The rule's threshold.
    pub threshold: f64,
    /// Whether the rule fires.
    pub fired: bool,
    /// One-line human summary.
    pub reason: String,
    /// Every hit of every group in any field, ordered by (field, start).
    pub hits: Vec<TermHit>,
    /// Score breakdown, largest first.
    pub breakdown: Vec<ScoreItem>,
}

impl Explanation {
    /// The [`RuleMatch`] for this explanation (call only when `fired`).
    pub(super) fn to_match(&self, rule: &Rule) -> RuleMatch {
        let hits = self
            .hits
            .iter()
            .filter(|h| {
                rule.fields.contains(&h.field)
                    && rule
                        .groups
                        .iter()
                        .position(|g| g.name == h.group)
                        .is_some_and(|i| rule.group_scores(i))
            })
            .cloned()
            .collect();
        RuleMatch {
            rule_id: self.rule_id.clone(),
            rule_version: self.rule_version,
            category: self.category.clone(),
            rule_title: self.rule_title.clone(),
            severity: self.severity.clone(),
            score: self.score,
            threshold: self.threshold,
            hits,
            breakdown: self.breakdown.clone(),
        }
    }
}

/// Where a literal pattern leads: (rule, group, needs word boundary).
#[derive(Debug, Clone, Copy)]
struct Target {
    rule: usize,
    group: usize,
    boundary: bool,
}

/// The compiled multi-pattern automaton of a rule set.
#[derive(Debug, Clone)]
pub(super) struct Automaton {
    ac: Option<AhoCorasick>,
    patterns: Vec<String>,
    targets: Vec<Vec<Target>>,
    /// Rules without literal terms: always candidates.
    always: Vec<usize>,
}

/// A hit before group names are attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct RawHit {
    field: Field,
    start: usize,
    end: usize,
    group: usize,
}

impl Automaton {
    /// Builds the automaton over all literal terms (identical terms share one pattern).
    pub fn build(rules: &[Rule]) -> Result<Self, RuleError> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut always = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            let mut any = false;
            for (gi, g) in rule.groups.iter().enumerate() {
                for (terms, boundary) in [(&g.zh, false), (&g.en, true)] {
                    for t in terms {
                        any = true;
                        let pid = *index.entry(t.as_str()).or_insert_with(|| {
                            patterns.push(t.clone());
                            targets.push(Vec::new());
                            patterns.len() - 1
                        });
                        targets[pid].push(Target { rule: ri, group: gi, boundary });
                    }
                }
            }
            if !any {
                always.push(ri);
            }
        }
        let ac = if patterns.is_empty() {
            None
        } else {
            Some(AhoCorasick::builder().match_kind(MatchKind::Standard).build(&patterns).map_err(|e| {
                RuleError::Invalid {
                    at: Location::file(std::path::Path::new("<rules>")),
                    message: format!("cannot build the term automaton: {e}"),
                }
            })?)
        };
        Ok(Automaton { ac, patterns, targets, always })
    }

    /// Explains every candidate rule on `doc`, in rule order.
    pub fn explain(&self, rules: &[Rule], doc: &DocText<'_>) -> Vec<Explanation> {
        let originals = [doc.title, doc.body];
        let texts = [NormText::new(doc.title), NormText::new(doc.body)];
        let fields = [Field::Title, Field::Body];
        let mut per_rule: BTreeMap<usize, Vec<(RawHit, String)>> = BTreeMap::new();
        if let Some(ac) = &self.ac {
            for (fi, text) in texts.iter().enumerate() {
                for m in ac.find_overlapping_iter(text.text.as_str()) {
                    let pid = m.pattern().as_usize();
                    let (start, end) = (text.char_at(m.start()), text.char_at(m.end()));
                    let mut boundary_ok = None;
                    for t in &self.targets[pid] {
                        if t.boundary
                            && !*boundary_ok.get_or_insert_with(|| text.on_word_boundary(m.start(), m.end()))
                        {
                            continue;
                        }
                        let hit = RawHit { field: fields[fi], start, end, group: t.group };
                        per_rule.entry(t.rule).or_default().push((hit, self.patterns[pid].clone()));
                    }
                }
            }
        }
        for &r in &self.always {
            per_rule.entry(r).or_default();
        }
        let mut out = Vec::with_capacity(per_rule.len());
        for (ri, mut hits) in per_rule {
            let rule = &rules[ri];
            for (gi, g) in rule.groups.iter().enumerate() {
                for (re, boundary) in &g.regexes {
                    for (fi, text) in texts.iter().enumerate() {
                        for m in re.find_iter(&text.text) {
                            if *boundary && !text.on_word_boundary(m.start(), m.end()) {
                                continue;
                            }
                            let (start, end) = (text.char_at(m.start()), text.char_at(m.end()));
                            let term: String = originals[fi].chars().skip(start).take(end - start).collect();
                            hits.push((RawHit { field: fields[fi], start, end, group: gi }, term));
                        }
                    }
                }
            }
            hits.sort();
            hits.dedup();
            out.push(evaluate(rule, &hits, &texts));
        }
        out
    }
}

/// Chars between two hits (0 when they touch or overlap).
fn gap(a: &RawHit, b: &RawHit) -> usize {
    if a.end <= b.start { b.start - a.end } else { a.start.saturating_sub(b.end) }
}

fn near_ok(kind: NearKind, a: &RawHit, b: &RawHit, texts: &[NormText; 2]) -> bool {
    if a.field != b.field {
        return false;
    }
    match kind {
        NearKind::WithinChars(n) => gap(a, b) <= n,
        NearKind::SameSentence => {
            let t = &texts[usize::from(a.field == Field::Body)];
            t.sentence_of(a.start) == t.sentence_of(b.start)
        }
    }
}

fn fmt_num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Evaluates one rule given its sorted, deduplicated hits.
fn evaluate(rule: &Rule, hits: &[(RawHit, String)], texts: &[NormText; 2]) -> Explanation {
    let n = rule.groups.len();
    let mut in_fields = vec![false; n];
    let mut anywhere = vec![false; n];
    let mut best: Vec<Option<Field>> = vec![None; n];
    for (h, _) in hits {
        anywhere[h.group] = true;
        if rule.fields.contains(&h.field) {
            in_fields[h.group] = true;
            let better = match best[h.group] {
                None => true,
                Some(f) => rule.field_weight.of(h.field) > rule.field_weight.of(f),
            };
            if better {
                best[h.group] = Some(h.field);
            }
        }
    }
    let condition_ok = rule.expr.eval(true, &|g, positive| {
        if positive { in_fields[g] } else { anywhere[g] }
    });

    let near: Vec<NearCheck> = rule
        .near
        .iter()
        .map(|c| {
            let side =
                |g: usize| hits.iter().filter(move |(h, _)| h.group == g && rule.fields.contains(&h.field));
            let ok = side(c.idx[0]).any(|(a, _)| side(c.idx[1]).any(|(b, _)| near_ok(c.kind, a, b, texts)));
            let constraint = match c.kind {
                NearKind::WithinChars(n) => format!("within_chars = {n}"),
                NearKind::SameSentence => "same_sentence".to_string(),
            };
            NearCheck { groups: c.groups.clone(), constraint, ok }
        })
        .collect();

    let mut breakdown: Vec<ScoreItem> = (0..n)
        .filter(|&g| rule.group_scores(g))
        .filter_map(|g| {
            best[g].map(|field| ScoreItem {
                group: rule.groups[g].name.clone(),
                field,
                weight: rule.groups[g].weight * rule.field_weight.of(field),
            })
        })
        .collect();
    breakdown.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.group.cmp(&b.group)));
    let score: f64 = breakdown.iter().map(|s| s.weight).sum();

    let positive = positive_names(rule);
    let groups_hit: Vec<String> =
        (0..n).filter(|&g| in_fields[g]).map(|g| rule.groups[g].name.clone()).collect();
    let groups_missing: Vec<String> = (0..n)
        .filter(|&g| !in_fields[g] && positive.contains(rule.groups[g].name.as_str()))
        .map(|g| rule.groups[g].name.clone())
        .collect();
    let excluded_by: Vec<String> =
        (0..n).filter(|&g| anywhere[g] && rule.negative[g]).map(|g| rule.groups[g].name.clone()).collect();

    let near_all = near.iter().all(|c| c.ok);
    let score_ok = score >= rule.threshold;
    let fired = condition_ok && near_all && score_ok;
    let reason = if fired {
        format!("fired: score {} >= threshold {}", fmt_num(score), fmt_num(rule.threshold))
    } else {
        let mut why = Vec::new();
        if !condition_ok {
            // Which missing groups matter: those whose presence alone would satisfy the positive
            // part of the condition (all of them when no single one would).
            let positive_ok = |extra: Option<usize>| {
                rule.expr.eval(true, &|g, positive| positive && (in_fields[g] || extra == Some(g)))
            };
            let mut parts = Vec::new();
            if !positive_ok(None) {
                let missing: Vec<usize> = (0..n)
                    .filter(|&g| !in_fields[g] && positive.contains(rule.groups[g].name.as_str()))
                    .collect();
                let needed: Vec<usize> = missing.iter().copied().filter(|&g| positive_ok(Some(g))).collect();
                let list = if needed.is_empty() { missing } else { needed };
                let names: Vec<&str> = list.iter().map(|&g| rule.groups[g].name.as_str()).collect();
                parts.push(format!("missing {}", names.join(" / ")));
            }
            if !excluded_by.is_empty() {
                parts.push(format!("excluded by {}", excluded_by.join(", ")));
            }
            why.push(format!("condition false ({})", parts.join("; ")));
        }
        for c in near.iter().filter(|c| !c.ok) {
            why.push(format!("near {} ~ {} ({}) not satisfied", c.groups[0], c.groups[1], c.constraint));
        }
        if !score_ok {
            why.push(format!("score {} below threshold {}", fmt_num(score), fmt_num(rule.threshold)));
        }
        why.join("; ")
    };

    Explanation {
        rule_id: rule.id.clone(),
        rule_version: rule.version,
        rule_title: rule.title.clone(),
        category: enum_name(&rule.category),
        severity: enum_name(&rule.severity),
        groups_hit,
        groups_missing,
        excluded_by,
        condition_ok,
        near,
        score,
        threshold: rule.threshold,
        fired,
        reason,
        hits: hits
            .iter()
            .map(|(h, term)| TermHit {
                group: rule.groups[h.group].name.clone(),
                term: term.clone(),
                field: h.field,
                start: h.start,
                end: h.end,
            })
            .collect(),
        breakdown,
    }
}

/// The serde (snake_case) name of a unit enum variant.
pub(super) fn enum_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::format::Category;
    use super::*;

    #[test]
    fn gap_and_names() {
        let a = RawHit { field: Field::Body, start: 0, end: 2, group: 0 };
        let b = RawHit { field: Field::Body, start: 5, end: 7, group: 1 };
        let c = RawHit { field: Field::Body, start: 1, end: 3, group: 1 };
        assert_eq!(gap(&a, &b), 3);
        assert_eq!(gap(&b, &a), 3);
        assert_eq!(gap(&a, &c), 0);
        assert_eq!(enum_name(&Category::FoodDrug), "food_drug");
        assert_eq!(enum_name(&Field::Title), "title");
        assert_eq!(fmt_num(7.0), "7");
        assert_eq!(fmt_num(8.5), "8.5");
    }
}
