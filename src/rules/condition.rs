//! The `match.condition` language: group names combined with `and`, `or`, `not` and parentheses.
//!
//! Precedence: `not` binds tightest, then `and`, then `or` (`a and b or c` = `(a and b) or c`).
//! Keywords are case-insensitive; group names are letters, digits, `_` and `-`.

use std::fmt;

/// A parsed condition over group names. `N` is the name type: `String`-like after parsing,
/// a group index after resolution.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr<N> {
    /// A group: true when the group is present.
    Group(N),
    /// Negation (evaluated over the whole document).
    Not(Box<Expr<N>>),
    /// All must hold.
    And(Vec<Expr<N>>),
    /// At least one must hold.
    Or(Vec<Expr<N>>),
}

/// A group name as written, with its 0-based char position in the condition.
#[derive(Debug, Clone, PartialEq)]
pub struct NameAt {
    /// The name.
    pub name: String,
    /// 0-based char offset in the condition string.
    pub pos: usize,
}

/// A syntax error: 0-based char position and message.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// 0-based char offset in the condition string.
    pub pos: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    And,
    Or,
    Not,
    Open,
    Close,
    Name(String),
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::And => f.write_str("`and`"),
            Tok::Or => f.write_str("`or`"),
            Tok::Not => f.write_str("`not`"),
            Tok::Open => f.write_str("`(`"),
            Tok::Close => f.write_str("`)`"),
            Tok::Name(n) => write!(f, "group `{n}`"),
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == '（' {
            out.push((Tok::Open, i));
            i += 1;
        } else if c == ')' || c == '）' {
            out.push((Tok::Close, i));
            i += 1;
        } else if is_name_char(c) {
            let start = i;
            while i < chars.len() && is_name_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let tok = match word.to_ascii_lowercase().as_str() {
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                _ => Tok::Name(word),
            };
            out.push((tok, start));
        } else {
            let hint = match c {
                '&' | '|' | '!' => " (write `and`, `or`, `not`)",
                _ => "",
            };
            return Err(ParseError { pos: i, message: format!("unexpected character `{c}`{hint}") });
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|(t, _)| t)
    }

    fn pos(&self) -> usize {
        self.toks.get(self.i).map_or(self.end, |(_, p)| *p)
    }

    fn or(&mut self) -> Result<Expr<NameAt>, ParseError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.i += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::Or(parts) })
    }

    fn and(&mut self) -> Result<Expr<NameAt>, ParseError> {
        let mut parts = vec![self.unary()?];
        while self.peek() == Some(&Tok::And) {
            self.i += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::And(parts) })
    }

    fn unary(&mut self) -> Result<Expr<NameAt>, ParseError> {
        let pos = self.pos();
        match self.toks.get(self.i).cloned() {
            Some((Tok::Not, _)) => {
                self.i += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some((Tok::Open, open)) => {
                self.i += 1;
                let inner = self.or()?;
                match self.peek() {
                    Some(Tok::Close) => {
                        self.i += 1;
                        Ok(inner)
                    }
                    Some(t) => Err(ParseError {
                        pos: self.pos(),
                        message: format!("expected `and`, `or` or `)`, found {t}"),
                    }),
                    None => Err(ParseError { pos: open, message: "unclosed `(`".into() }),
                }
            }
            Some((Tok::Name(name), p)) => {
                self.i += 1;
                Ok(Expr::Group(NameAt { name, pos: p }))
            }
            Some((t, _)) => {
                Err(ParseError { pos, message: format!("expected a group name, `not` or `(`, found {t}") })
            }
            None => Err(ParseError {
                pos,
                message: "unexpected end of condition, expected a group name, `not` or `(`".into(),
            }),
        }
    }
}

/// Parses a condition string.
pub fn parse(src: &str) -> Result<Expr<NameAt>, ParseError> {
    let toks = tokenize(src)?;
    let end = src.chars().count();
    if toks.is_empty() {
        return Err(ParseError { pos: 0, message: "empty condition".into() });
    }
    let mut p = Parser { toks, i: 0, end };
    let expr = p.or()?;
    if let Some(t) = p.peek() {
        let message = match t {
            Tok::Close => "unmatched `)`".to_string(),
            t => format!("expected `and` or `or`, found {t}"),
        };
        return Err(ParseError { pos: p.pos(), message });
    }
    Ok(expr)
}

impl<N> Expr<N> {
    /// Replaces every name by `f(name)`, stopping at the first error.
    pub fn try_map<M, E>(self, f: &mut impl FnMut(N) -> Result<M, E>) -> Result<Expr<M>, E> {
        Ok(match self {
            Expr::Group(n) => Expr::Group(f(n)?),
            Expr::Not(e) => Expr::Not(Box::new(e.try_map(f)?)),
            Expr::And(v) => Expr::And(v.into_iter().map(|e| e.try_map(f)).collect::<Result<_, _>>()?),
            Expr::Or(v) => Expr::Or(v.into_iter().map(|e| e.try_map(f)).collect::<Result<_, _>>()?),
        })
    }

    /// Calls `f(name, positive)` for every group; `positive` is false under an odd number of `not`s.
    pub fn visit(&self, positive: bool, f: &mut impl FnMut(&N, bool)) {
        match self {
            Expr::Group(n) => f(n, positive),
            Expr::Not(e) => e.visit(!positive, f),
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| e.visit(positive, f)),
        }
    }
}

impl Expr<usize> {
    /// Evaluates with `present(group, positive)`; `positive` is false under an odd number of `not`s.
    pub fn eval(&self, positive: bool, present: &impl Fn(usize, bool) -> bool) -> bool {
        match self {
            Expr::Group(g) => present(*g, positive),
            Expr::Not(e) => !e.eval(!positive, present),
            Expr::And(v) => v.iter().all(|e| e.eval(positive, present)),
            Expr::Or(v) => v.iter().any(|e| e.eval(positive, present)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(e: &Expr<NameAt>) -> String {
        match e {
            Expr::Group(n) => n.name.clone(),
            Expr::Not(e) => format!("!{}", show(e)),
            Expr::And(v) => format!("({})", v.iter().map(show).collect::<Vec<_>>().join(" & ")),
            Expr::Or(v) => format!("({})", v.iter().map(show).collect::<Vec<_>>().join(" | ")),
        }
    }

    fn p(s: &str) -> String {
        show(&parse(s).unwrap())
    }

    #[test]
    fn precedence() {
        assert_eq!(p("a and b or c"), "((a & b) | c)");
        assert_eq!(p("a or b and c"), "(a | (b & c))");
        assert_eq!(p("not a and b"), "(!a & b)");
        assert_eq!(p("not (a or b)"), "!(a | b)");
        assert_eq!(p("a and (b or c) and not (x or y)"), "(a & (b | c) & !(x | y))");
        assert_eq!(p("A AND not-b"), "(A & not-b)");
        assert_eq!(p("not not a"), "!!a");
        assert_eq!(p("a and（b or c）"), "(a & (b | c))");
    }

    #[test]
    fn positions_of_names() {
        let e = parse("act and  water").unwrap();
        let mut names = Vec::new();
        e.visit(true, &mut |n: &NameAt, _| names.push((n.name.clone(), n.pos)));
        assert_eq!(names, vec![("act".to_string(), 0), ("water".to_string(), 9)]);
    }

    #[test]
    fn errors() {
        let e = parse("a and (b or c").unwrap_err();
        assert_eq!((e.pos, e.message.as_str()), (6, "unclosed `(`"));
        let e = parse("a and or b").unwrap_err();
        assert_eq!(e.pos, 6);
        assert!(e.message.contains("found `or`"));
        let e = parse("a b").unwrap_err();
        assert_eq!(e.pos, 2);
        let e = parse("a and").unwrap_err();
        assert_eq!(e.pos, 5);
        assert!(e.message.contains("unexpected end"));
        let e = parse("a && b").unwrap_err();
        assert_eq!(e.pos, 2);
        assert!(e.message.contains("write `and`"));
        assert_eq!(parse("a)").unwrap_err().message, "unmatched `)`");
        assert_eq!(parse("  ").unwrap_err().message, "empty condition");
    }

    #[test]
    fn polarity_and_eval() {
        let e = parse("a and not (b or not c)").unwrap();
        let mut pol = Vec::new();
        e.visit(true, &mut |n: &NameAt, pos| pol.push((n.name.clone(), pos)));
        assert_eq!(pol, vec![("a".into(), true), ("b".into(), false), ("c".into(), true)]);
        let idx = ["a", "b", "c"];
        let e = e.try_map(&mut |n: NameAt| idx.iter().position(|x| *x == n.name).ok_or(())).unwrap();
        assert!(e.eval(true, &|g, _| g == 0 || g == 2));
        assert!(!e.eval(true, &|g, _| g == 0));
        assert!(!e.eval(true, &|_, _| true));
    }
}
