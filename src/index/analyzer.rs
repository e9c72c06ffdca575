//! Text analysis for the index: a jieba word field and a CJK-bigram safety-net field.
//!
//! Why two: jieba's stock dictionary splits 偷排污水 as 偷|排污|水, so a word-only index cannot find
//! 偷排; we add domain words to jieba ([`DOMAIN_WORDS`]), but any dictionary choice breaks some
//! query, so every CJK run is also indexed as overlapping bigrams with consecutive positions (a
//! quoted phrase on that field still means adjacency). Both analyzers fold full-width forms to
//! half-width and lowercase, and stem English words. tantivy's `AlphaNumOnlyFilter` is not used:
//! it drops every Chinese token.
//!
//! Changing anything here changes what the index holds: bump [`ANALYZER_VERSION`], which forces a
//! reindex.

use std::sync::{Arc, OnceLock};

use jieba_rs::Jieba;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Version of the analyzers and of the domain dictionary; stored with the index.
pub const ANALYZER_VERSION: u32 = 1;

/// Name of the jieba word analyzer.
pub const ZH: &str = "cw_zh";
/// Name of the CJK-bigram analyzer.
pub const BIGRAM: &str = "cw_bigram";

/// Words jieba must keep whole: the vocabulary of public-interest-litigation leads.
pub const DOMAIN_WORDS: &[&str] = &[
    "偷排",
    "直排",
    "私设暗管",
    "暗管",
    "超标排放",
    "未经处理",
    "排污口",
    "渗坑",
    "黑臭水体",
    "危险废物",
    "危废",
    "固废",
    "扬尘",
    "油烟",
    "异味",
    "噪声扰民",
    "环评",
    "未批先建",
    "自动监测",
    "排污许可",
    "抽检不合格",
    "不合格项目",
    "食品抽检",
    "农药残留",
    "兽药残留",
    "菌落总数",
    "大肠菌群",
    "非法添加",
    "食品添加剂",
    "无证经营",
    "食品经营许可证",
    "幽灵外卖",
    "网络餐饮",
    "入网商户",
    "过期食品",
    "盲道",
    "无障碍",
    "无障碍通道",
    "无障碍坡道",
    "无障碍卫生间",
    "无障碍停车位",
    "无障碍设施",
    "信息无障碍",
    "适老化",
    "个人信息",
    "人脸识别",
    "烈士陵园",
    "烈士纪念设施",
    "英雄烈士",
    "永久基本农田",
    "耕地",
    "非农化",
    "医保基金",
    "骗保",
    "外卖骑手",
    "公益诉讼",
    "检察建议",
    "行政处罚",
    "责令改正",
    "限期整改",
    "立案调查",
];

fn jieba() -> Arc<Jieba> {
    static JIEBA: OnceLock<Arc<Jieba>> = OnceLock::new();
    JIEBA
        .get_or_init(|| {
            let mut j = Jieba::new();
            for w in DOMAIN_WORDS {
                j.add_word(w, None, None);
            }
            Arc::new(j)
        })
        .clone()
}

/// The word analyzer: jieba → drop punctuation/space → fold width → lowercase → English stem.
pub fn zh_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer { jieba: jieba() })
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The bigram analyzer: CJK runs as overlapping bigrams, other words whole, lowercased, stemmed.
pub fn bigram_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(BigramTokenizer)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Folds a full-width ASCII form (ＰＭ２．５) or an ideographic space to its half-width form.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Tokens precomputed from the text, handed out one by one.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// jieba segmentation (precise mode with HMM) with the domain words added.
#[derive(Clone)]
pub struct JiebaTokenizer {
    jieba: Arc<Jieba>,
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        for t in self.jieba.cut(text, true) {
            // jieba emits spaces and punctuation as tokens; a token counts if it has a letter or digit.
            if !t.word.chars().any(char::is_alphanumeric) {
                continue;
            }
            tokens.push(Token {
                offset_from: t.byte_start,
                offset_to: t.byte_end,
                position: tokens.len(),
                text: t.word.chars().map(fold_width).collect(),
                position_length: 1,
            });
        }
        VecTokenStream { tokens, next: 0 }
    }
}

/// Overlapping CJK bigrams (a lone CJK character is one token) and whole non-CJK words.
#[derive(Clone)]
pub struct BigramTokenizer;

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens: Vec<Token> = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, fold_width(c))).collect();
        let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
        let push = |tokens: &mut Vec<Token>, from: usize, to: usize, s: String| {
            let position = tokens.len();
            tokens.push(Token { offset_from: from, offset_to: to, position, text: s, position_length: 1 });
        };
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k].1;
            if is_cjk(c) {
                let start = k;
                while k < chars.len() && is_cjk(chars[k].1) {
                    k += 1;
                }
                if k - start == 1 {
                    push(&mut tokens, chars[start].0, end_of(start + 1), c.to_string());
                } else {
                    for j in start..k - 1 {
                        let s: String = [chars[j].1, chars[j + 1].1].iter().collect();
                        push(&mut tokens, chars[j].0, end_of(j + 2), s);
                    }
                }
            } else if is_word_char(c) {
                let start = k;
                // Keep decimals such as pm2.5 together: a dot between two digits is part of the word.
                while k < chars.len()
                    && (is_word_char(chars[k].1)
                        || (chars[k].1 == '.'
                            && k > start
                            && chars[k - 1].1.is_ascii_digit()
                            && chars.get(k + 1).is_some_and(|n| n.1.is_ascii_digit())))
                {
                    k += 1;
                }
                let s: String = chars[start..k].iter().map(|&(_, c)| c).collect();
                push(&mut tokens, chars[start].0, end_of(k), s);
            } else {
                k += 1;
            }
        }
        VecTokenStream { tokens, next: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(mut a: TextAnalyzer, s: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut ts = a.token_stream(s);
        while ts.advance() {
            out.push(ts.token().text.clone());
        }
        out
    }

    #[test]
    fn jieba_keeps_domain_words() {
        let t = texts(zh_analyzer(), "合肥市某化工企业偷排污水被群众举报");
        assert!(t.contains(&"偷排".to_string()), "{t:?}");
        assert!(t.contains(&"污水".to_string()), "{t:?}");
        assert!(!t.iter().any(|x| x == "，"));
    }

    #[test]
    fn bigrams_cover_every_pair_and_fold_width() {
        let t = texts(bigram_analyzer(), "偷排污水，ＰＭ２．５超标 Rivers");
        assert_eq!(t, ["偷排", "排污", "污水", "pm2.5", "超标", "river"]);
    }

    #[test]
    fn bigram_offsets_are_bytes_of_the_original() {
        let mut a = bigram_analyzer();
        let text = "某厂偷排";
        let mut ts = a.token_stream(text);
        let mut spans = Vec::new();
        while ts.advance() {
            let t = ts.token();
            spans.push(text[t.offset_from..t.offset_to].to_string());
        }
        assert_eq!(spans, ["某厂", "厂偷", "偷排"]);
    }
}
