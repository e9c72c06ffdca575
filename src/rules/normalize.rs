//! Text normalisation shared by terms and documents.
//!
//! The mapping is char-for-char (one input char → exactly one output char), so a char offset
//! in the normalised text is the same char offset in the original text:
//! - full-width ASCII U+FF01–U+FF5E → half-width U+0021–U+007E;
//! - ideographic space U+3000 → ASCII space;
//! - letters are lowercased when their lowercase form is a single char (ASCII always).

/// Normalises one char (see the module docs).
pub fn normalize_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Normalises a string char by char; the result has exactly as many chars as the input.
pub fn normalize(text: &str) -> String {
    text.chars().map(normalize_char).collect()
}

/// `true` for chars that make up an English word for boundary checks (ASCII letters and digits).
pub(super) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// `true` for chars that end a sentence (after normalisation): 。！？；!?; and line breaks.
pub(super) fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';' | '\n' | '\r')
}

/// A normalised field text with byte→char offset lookup and sentence numbering.
#[derive(Debug)]
pub(super) struct NormText {
    /// The normalised text.
    pub text: String,
    /// Byte offset of every char, plus the total length at the end.
    char_starts: Vec<usize>,
    /// Sentence number of every char.
    sentence: Vec<u32>,
}

impl NormText {
    /// Normalises `original`.
    pub fn new(original: &str) -> Self {
        let text = normalize(original);
        let mut char_starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        char_starts.push(text.len());
        let chars: Vec<char> = text.chars().collect();
        let mut sentence = Vec::with_capacity(chars.len());
        let mut current = 0u32;
        for (i, &c) in chars.iter().enumerate() {
            sentence.push(current);
            // An English full stop ends a sentence only when followed by whitespace or the end,
            // so "pm2.5" and "3.5 mg" stay intact.
            let period_end = c == '.' && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
            if is_sentence_end(c) || period_end {
                current += 1;
            }
        }
        NormText { text, char_starts, sentence }
    }

    /// Char offset of byte offset `byte` (which must be a char boundary or the end).
    pub fn char_at(&self, byte: usize) -> usize {
        match self.char_starts.binary_search(&byte) {
            Ok(i) | Err(i) => i,
        }
    }

    /// The char before byte offset `byte`, if any.
    pub fn char_before(&self, byte: usize) -> Option<char> {
        self.text.get(..byte).and_then(|s| s.chars().next_back())
    }

    /// The char at byte offset `byte`, if any.
    pub fn char_from(&self, byte: usize) -> Option<char> {
        self.text.get(byte..).and_then(|s| s.chars().next())
    }

    /// `true` when the bytes `start..end` are not glued to ASCII letters/digits on either side.
    pub fn on_word_boundary(&self, start: usize, end: usize) -> bool {
        !self.char_before(start).is_some_and(is_word_char) && !self.char_from(end).is_some_and(is_word_char)
    }

    /// Sentence number of char offset `pos`.
    pub fn sentence_of(&self, pos: usize) -> u32 {
        self.sentence.get(pos).copied().unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case() {
        assert_eq!(normalize("ＰＭ２．５超标"), "pm2.5超标");
        assert_eq!(normalize("Ａ\u{3000}Ｂ！"), "a b!");
        assert_eq!(normalize("Wastewater ÉTÉ"), "wastewater été");
    }

    #[test]
    fn one_char_per_char() {
        for s in ["İstanbul ẞ ＡＢＣ", "群众反映，化工厂偷排。", "ﬁ ǅ"] {
            assert_eq!(normalize(s).chars().count(), s.chars().count(), "{s}");
        }
    }

    #[test]
    fn offsets_and_sentences() {
        let t = NormText::new("群众反映。Ｆｉｎｅｄ today; pm2.5 high. Next");
        assert_eq!(t.text.chars().count(), 34);
        let b = t.text.find("fined").unwrap();
        assert_eq!(t.char_at(b), 5);
        assert!(t.on_word_boundary(b, b + 5));
        assert_eq!(t.sentence_of(0), 0);
        assert_eq!(t.sentence_of(5), 1);
        let pm = t.char_at(t.text.find("pm2.5").unwrap());
        assert_eq!(t.sentence_of(pm), 2);
        assert_eq!(t.sentence_of(pm + 4), 2);
        let next = t.char_at(t.text.find("next").unwrap());
        assert_eq!(t.sentence_of(next), 3);
    }

    #[test]
    fn word_boundary() {
        let t = NormText::new("the finest fine");
        let first = t.text.find("fine").unwrap();
        assert!(!t.on_word_boundary(first, first + 4));
        let last = t.text.rfind("fine").unwrap();
        assert!(t.on_word_boundary(last, last + 4));
    }
}
