//! Load errors: every one names the file and, where it can, the line, column and key.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A place in a rule or lexicon file: `path:line:col` (1-based; the column counts characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as found while walking the rules directory (or as given to `from_sources`).
    pub path: PathBuf,
    /// 1-based line; 0 when unknown.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub col: usize,
}

impl Location {
    /// A location for a whole file, without line information.
    pub fn file(path: &Path) -> Self {
        Location { path: path.to_path_buf(), line: 0, col: 0 }
    }

    /// The location of byte offset `offset` in `src` (clamped to the text, snapped to a char boundary).
    pub fn at(path: &Path, src: &str, offset: usize) -> Self {
        let (line, col) = line_col(src, offset);
        Location { path: path.to_path_buf(), line, col }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.path.display())
        } else {
            write!(f, "{}:{}:{}", self.path.display(), self.line, self.col)
        }
    }
}

/// 1-based (line, column-in-chars) of byte offset `offset` in `src`.
pub(super) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(src.len());
    while !src.is_char_boundary(off) {
        off -= 1;
    }
    let before = &src[..off];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Byte offset of `needle` inside `src[span]` (first occurrence), or the span start.
pub(super) fn find_in_span(src: &str, span: &Range<usize>, needle: &str) -> usize {
    src.get(span.clone()).and_then(|s| s.find(needle)).map_or(span.start, |i| span.start + i)
}

/// Byte offset of the name `name` inside `src[span]`: prefers a quoted occurrence (pointing
/// after the quote), then a bare one, else the span start.
pub(super) fn find_name_in_span(src: &str, span: &Range<usize>, name: &str) -> usize {
    let slice = src.get(span.clone()).unwrap_or_default();
    for q in ['"', '\''] {
        if let Some(i) = slice.find(&format!("{q}{name}{q}")) {
            return span.start + i + 1;
        }
    }
    find_in_span(src, span, name)
}

/// Everything that can go wrong while loading and compiling a rule set.
///
/// `Display` gives the full message a rule author needs, starting with `path:line:col:`.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A file or directory could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// TOML syntax error, unknown key, wrong type or missing key.
    #[error("{at}: {message}")]
    Syntax {
        /// Where.
        at: Location,
        /// What the TOML parser said (names the key where it can).
        message: String,
    },
    /// The `condition` string does not parse.
    #[error("{at}: condition syntax error at char {pos} of `{condition}`: {message}")]
    Condition {
        /// Where (points into the condition string when it is a plain one-line string).
        at: Location,
        /// The condition.
        condition: String,
        /// 0-based char offset of the problem inside the condition.
        pos: usize,
        /// What is wrong.
        message: String,
    },
    /// A group name is used but not defined by the rule or its includes.
    #[error("{at}: unknown group `{group}` in {context} (defined groups: {defined})")]
    UnknownGroup {
        /// Where the name is used.
        at: Location,
        /// The name.
        group: String,
        /// `condition`, `near`, `score.group_weight` or `test.expect_groups`.
        context: String,
        /// Comma-separated list of the groups that are defined.
        defined: String,
    },
    /// A `zh_re` / `en_re` pattern does not compile.
    #[error("{at}: invalid regex in group `{group}`: {message}")]
    Regex {
        /// Where the pattern is.
        at: Location,
        /// The group.
        group: String,
        /// The regex crate's message.
        message: String,
    },
    /// An `include` could not be read or is not a lexicon file.
    #[error("{at}: include `{include}`: {message}")]
    Include {
        /// Where the include is named.
        at: Location,
        /// The include path as written.
        include: String,
        /// What went wrong.
        message: String,
    },
    /// A group with no terms at all.
    #[error("{at}: group `{group}` has no terms (give at least one of zh, en, zh_re, en_re)")]
    EmptyGroup {
        /// Where the group is defined.
        at: Location,
        /// The group.
        group: String,
    },
    /// Any other semantic problem (bad schema number, bad near, bad term...).
    #[error("{at}: {message}")]
    Invalid {
        /// Where.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// Two files declare the same rule id.
    #[error("{second}: duplicate rule id `{id}` (already defined at {first})")]
    DuplicateId {
        /// The id.
        id: String,
        /// The first file that declared it.
        first: Location,
        /// The file that declared it again.
        second: Location,
    },
    /// Several errors (from several files); each is shown on its own line.
    #[error("{}", join_errors(.0))]
    Many(Vec<RuleError>),
}

fn join_errors(errors: &[RuleError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

impl RuleError {
    /// Converts a `toml` deserialisation error into a located error.
    pub(super) fn from_toml(path: &Path, src: &str, err: &toml::de::Error) -> Self {
        let at = match err.span() {
            Some(span) => Location::at(path, src, span.start),
            None => Location::file(path),
        };
        RuleError::Syntax { at, message: err.message().trim().to_string() }
    }

    /// The individual errors (one for a plain error, all of them for [`RuleError::Many`]).
    pub fn errors(&self) -> Vec<&RuleError> {
        match self {
            RuleError::Many(v) => v.iter().collect(),
            other => vec![other],
        }
    }

    /// Turns a list of errors into one error; `None` when the list is empty.
    pub(super) fn combine(mut errors: Vec<RuleError>) -> Option<RuleError> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(RuleError::Many(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let src = "a = 1\n条件 = \"x\"\n";
        assert_eq!(line_col(src, 0), (1, 1));
        let off = src.find('=').unwrap();
        assert_eq!(line_col(src, off), (1, 3));
        let off = src.find('"').unwrap();
        assert_eq!(line_col(src, off), (2, 6));
        // Offsets inside a multi-byte char snap back.
        assert_eq!(line_col(src, 7), (2, 1));
        assert_eq!(line_col(src, 10_000).0, 3);
    }

    #[test]
    fn display_has_location() {
        let e = RuleError::Invalid {
            at: Location { path: PathBuf::from("rules/a.toml"), line: 3, col: 7 },
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "rules/a.toml:3:7: bad");
        let f = RuleError::Invalid { at: Location::file(Path::new("x.toml")), message: "m".into() };
        assert_eq!(f.to_string(), "x.toml: m");
        let many = RuleError::combine(vec![e, f]).unwrap();
        assert_eq!(many.to_string(), "rules/a.toml:3:7: bad\nx.toml: m");
        assert_eq!(many.errors().len(), 2);
    }
}
