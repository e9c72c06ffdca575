//! The on-disk format: raw serde structs for rule files and lexicon files (`schema = 1`).
//!
//! Every struct denies unknown keys so that typos fail loudly. Values that later need a
//! line number in an error message are wrapped in [`toml::Spanned`].

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// Lifecycle status of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being drafted; hits are not trusted.
    Experimental,
    /// Under evaluation.
    Test,
    /// In production.
    Stable,
    /// Kept for history; should not be used for new leads.
    Deprecated,
}

/// Subject area of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Environment and resource protection.
    Environment,
    /// Food and drug safety.
    FoodDrug,
    /// Barrier-free environment.
    Accessibility,
    /// Personal information protection.
    PersonalInfo,
    /// Fraud against the elderly.
    ElderlyFraud,
    /// Heroes, martyrs and memorial facilities.
    HeroesMartyrs,
    /// Farmland protection.
    Farmland,
    /// Medical insurance funds.
    MedicalInsurance,
    /// Rights of gig workers.
    GigWorkers,
    /// Protection of minors.
    Minors,
    /// Anything else.
    Other,
}

/// How serious a lead of this rule usually is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// Expected outcome of an embedded `[[test]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// The rule must fire.
    Match,
    /// The rule must not fire.
    NoMatch,
    /// Known miss: should fire one day; reported, never a failure.
    TodoMatch,
    /// Known false positive: should not fire one day; reported, never a failure.
    TodoNoMatch,
}

impl Expect {
    /// `true` for `todo_match` / `todo_no_match`.
    pub fn is_todo(self) -> bool {
        matches!(self, Expect::TodoMatch | Expect::TodoNoMatch)
    }

    /// `true` when the rule is expected (or hoped, for todo) to fire.
    pub fn wants_match(self) -> bool {
        matches!(self, Expect::Match | Expect::TodoMatch)
    }
}

/// A document field that rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The title.
    Title,
    /// The main text.
    Body,
}

/// How the jurisdiction (region) of a document affects a rule; applied by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JurisdictionMode {
    /// A known region adds `score.region_bonus`.
    #[default]
    Boost,
    /// Only documents with a known region may fire.
    Require,
    /// Region plays no role.
    Ignore,
}

/// The `[jurisdiction]` table (stored, interpreted by the caller).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// Gazetteer file, relative to the rules directory.
    pub gazetteer: Option<String>,
    /// How a region hint is used.
    #[serde(default)]
    pub mode: JurisdictionMode,
}

/// The `[digest]` table (stored, interpreted by the digest builder).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Digest {
    /// Digest section heading.
    pub section: Option<String>,
    /// Days within which similar hits form one cluster.
    pub cluster_window_days: Option<u32>,
    /// Maximum items shown per cluster.
    pub max_per_cluster: Option<u32>,
    /// Days after which a cluster may alert again.
    pub resurface_after_days: Option<u32>,
}

/// An entry of `rule.related`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Related {
    /// The related rule id.
    pub id: String,
    /// Relation type, e.g. `derived`, `obsoletes`, `similar`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// Per-field weights (`score.field_weight`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldWeight {
    /// Weight of a hit in the title (default 2.0).
    #[serde(default = "default_title_weight")]
    pub title: f64,
    /// Weight of a hit in the body (default 1.0).
    #[serde(default = "default_body_weight")]
    pub body: f64,
}

fn default_title_weight() -> f64 {
    2.0
}
fn default_body_weight() -> f64 {
    1.0
}

impl Default for FieldWeight {
    fn default() -> Self {
        FieldWeight { title: default_title_weight(), body: default_body_weight() }
    }
}

impl FieldWeight {
    /// The weight of `field`.
    pub fn of(&self, field: Field) -> f64 {
        match field {
            Field::Title => self.title,
            Field::Body => self.body,
        }
    }
}

/// A whole rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRuleFile {
    pub schema: Spanned<u32>,
    pub rule: RawRule,
    #[serde(default)]
    pub lexicon: RawLexicon,
    #[serde(rename = "match")]
    pub matching: RawMatch,
    #[serde(default)]
    pub score: RawScore,
    pub jurisdiction: Option<Jurisdiction>,
    pub digest: Option<Digest>,
    #[serde(default)]
    pub test: Vec<Spanned<RawTest>>,
}

/// The `[rule]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub id: Spanned<String>,
    pub version: u32,
    pub status: Status,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    pub owner: Option<String>,
    pub created: Option<toml::value::Datetime>,
    pub modified: Option<toml::value::Datetime>,
    pub description: Option<String>,
    #[serde(default)]
    pub legal_basis: Vec<String>,
    #[serde(default)]
    pub related: Vec<Related>,
}

/// One `[lexicon.<group>]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGroup {
    #[serde(default)]
    pub zh: Vec<Spanned<String>>,
    #[serde(default)]
    pub en: Vec<Spanned<String>>,
    #[serde(default)]
    pub zh_re: Vec<Spanned<String>>,
    #[serde(default)]
    pub en_re: Vec<Spanned<String>>,
}

/// The `[lexicon]` table: `include = [...]` plus one sub-table per group.
///
/// Deserialised by hand because serde's `flatten` cannot be combined with `deny_unknown_fields`.
#[derive(Debug, Default)]
pub(super) struct RawLexicon {
    pub include: Vec<Spanned<String>>,
    pub groups: Vec<(String, Spanned<RawGroup>)>,
}

impl<'de> Deserialize<'de> for RawLexicon {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LexVisitor;
        impl<'de> Visitor<'de> for LexVisitor {
            type Value = RawLexicon;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a lexicon table: `include = [...]` and `[lexicon.<group>]` tables")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawLexicon, A::Error> {
                let mut out = RawLexicon::default();
                let mut seen_include = false;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "include" {
                        if seen_include {
                            return Err(de::Error::duplicate_field("include"));
                        }
                        seen_include = true;
                        out.include = map.next_value()?;
                    } else {
                        let group: Spanned<RawGroup> = map.next_value()?;
                        out.groups.push((key, group));
                    }
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(LexVisitor)
    }
}

/// The `[match]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMatch {
    pub fields: Option<Vec<Field>>,
    pub condition: Spanned<String>,
    #[serde(default)]
    pub near: Vec<Spanned<RawNear>>,
}

/// One entry of `match.near`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNear {
    pub groups: Vec<String>,
    pub within_chars: Option<usize>,
    pub same_sentence: Option<bool>,
}

/// The `[score]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScore {
    pub threshold: Option<Spanned<f64>>,
    pub field_weight: Option<FieldWeight>,
    pub group_weight: Option<Spanned<BTreeMap<String, f64>>>,
    pub region_bonus: Option<f64>,
}

/// One `[[test]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTest {
    pub expect: Expect,
    pub title: Option<String>,
    pub body: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub expect_groups: Vec<String>,
}

/// A shared lexicon file (`lexicons/*.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLexiconFile {
    pub schema: Spanned<u32>,
    pub lexicon: RawLexicon,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_table_parses_include_and_groups() {
        let src = "schema = 1\n[lexicon]\ninclude = [\"a.toml\"]\n[lexicon.act]\nzh = [\"偷排\"]\n";
        let f: RawLexiconFile = toml::from_str(src).unwrap();
        assert_eq!(f.lexicon.include.len(), 1);
        assert_eq!(f.lexicon.groups[0].0, "act");
        assert_eq!(f.lexicon.groups[0].1.get_ref().zh[0].get_ref(), "偷排");
    }

    #[test]
    fn unknown_key_in_group_is_rejected_with_span() {
        let src = "schema = 1\n[lexicon.act]\nzh = [\"偷排\"]\nzh_ree = [\"x\"]\n";
        let err = toml::from_str::<RawLexiconFile>(src).unwrap_err();
        assert!(err.message().contains("unknown field `zh_ree`"), "{}", err.message());
        let (line, _) = super::super::error::line_col(src, err.span().unwrap().start);
        assert_eq!(line, 4);
    }

    #[test]
    fn integers_are_accepted_as_weights() {
        let src = "threshold = 7\ngroup_weight = { act = 3, harm = 1.5 }\n";
        let s: RawScore = toml::from_str(src).unwrap();
        assert_eq!(*s.threshold.unwrap().get_ref(), 7.0);
        assert_eq!(s.group_weight.unwrap().get_ref()["act"], 3.0);
    }
}
