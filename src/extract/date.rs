//! Publish-date parsing: machine values (meta, JSON-LD, `<time datetime>`), Chinese and English
//! header-zone text, and dates embedded in URLs. Pages without a zone are taken as +08:00.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::Regex;
use std::sync::LazyLock;

/// Asia/Shanghai (+08:00): the offset assumed when a page gives no zone.
pub const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(o) => o,
    None => panic!("+08:00 is a valid offset"),
};

/// Asia/Shanghai (+08:00) as a function, for callers that prefer one.
pub fn shanghai() -> FixedOffset {
    SHANGHAI
}

/// Builds a timestamp from parts, validating every range. `offset_secs` None → +08:00.
fn build(
    y: i32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    offset_secs: Option<i32>,
) -> Option<DateTime<FixedOffset>> {
    if !(1980..=2100).contains(&y) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y, mo, d)?;
    let time = NaiveTime::from_hms_opt(h, mi, s)?;
    let off = match offset_secs {
        Some(secs) => FixedOffset::east_opt(secs)?,
        None => shanghai(),
    };
    off.from_local_datetime(&NaiveDateTime::new(date, time)).single()
}

fn num<T: std::str::FromStr>(m: Option<regex::Match<'_>>) -> Option<T> {
    m.and_then(|m| m.as_str().parse().ok())
}

static MACHINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|GMT|UTC)?",
    )
    .expect("static regex")
});
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{4})(\d{2})(\d{2})(?:[T\s]?(\d{2})(\d{2})(\d{2})?)?\s*$").expect("static regex")
});

fn parse_offset(z: &str) -> Option<i32> {
    match z {
        "Z" | "GMT" | "UTC" => Some(0),
        _ => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let digits: String = z.chars().filter(char::is_ascii_digit).collect();
            let h: i32 = digits.get(0..2)?.parse().ok()?;
            let m: i32 = digits.get(2..4)?.parse().ok()?;
            if h > 14 || m > 59 {
                return None;
            }
            Some(sign * (h * 3600 + m * 60))
        }
    }
}

/// Parses a machine-readable date value (meta content, JSON-LD, `<time datetime>`):
/// RFC 3339/ISO 8601 with or without zone, `2024-03-18 10:22`, `2024/03/18`, `20240318`,
/// RFC 2822, or any of the Chinese/English text forms.
pub fn parse_value(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return build_checked(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return build_checked(d);
    }
    if let Some(c) = MACHINE.captures(s) {
        let off = c.get(7).and_then(|z| parse_offset(z.as_str()));
        if c.get(7).is_some() && off.is_none() {
            return None;
        }
        return build(
            num(c.get(1))?,
            num(c.get(2))?,
            num(c.get(3))?,
            num(c.get(4)).unwrap_or(0),
            num(c.get(5)).unwrap_or(0),
            num(c.get(6)).unwrap_or(0),
            off,
        );
    }
    if let Some(c) = COMPACT.captures(s) {
        return build(
            num(c.get(1))?,
            num(c.get(2))?,
            num(c.get(3))?,
            num(c.get(4)).unwrap_or(0),
            num(c.get(5)).unwrap_or(0),
            num(c.get(6)).unwrap_or(0),
            None,
        );
    }
    find_in_text(s).map(|(d, _)| d)
}

fn build_checked(d: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    use chrono::Datelike;
    (1980..=2100).contains(&d.year()).then_some(d)
}

static ZH_NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:^|[^\d])
        ((?:19|20)\d{2}) \s*(?:年|-|/|\.)\s* (\d{1,2}) \s*(?:月|-|/|\.)\s* (\d{1,2}) \s*日?
        (?: [\sT]* (\d{1,2}) \s*[:：时]\s* (\d{1,2}) (?: \s*[:：分]\s* (\d{1,2}) )? )?
        (?:[^\d]|$)",
    )
    .expect("static regex")
});
const MONTHS: &str = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
static EN_MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b{MONTHS}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})\b(?:,?\s*(?:at\s+)?(\d{{1,2}}):(\d{{2}})\s*([ap]\.?m\.?)?\s*(GMT|UTC)?)?"
    ))
    .expect("static regex")
});
static EN_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTHS}\.?,?\s+((?:19|20)\d{{2}})\b(?:,?\s*(?:at\s+)?(\d{{1,2}}):(\d{{2}})\s*([ap]\.?m\.?)?\s*(GMT|UTC)?)?"
    ))
    .expect("static regex")
});

fn month_number(name: &str) -> Option<u32> {
    let key = name.get(..3)?.to_ascii_lowercase();
    let idx = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .iter()
        .position(|m| *m == key)?;
    u32::try_from(idx + 1).ok()
}

fn english_hour(h: Option<u32>, ampm: Option<&str>) -> Option<u32> {
    let h = h?;
    match ampm.map(|s| s.to_ascii_lowercase()) {
        Some(p) if p.starts_with('p') && h < 12 => Some(h + 12),
        Some(p) if p.starts_with('a') && h == 12 => Some(0),
        _ => Some(h),
    }
}

/// Finds the first valid date in free text. Returns the date and the byte offset where it starts.
pub fn find_in_text(text: &str) -> Option<(DateTime<FixedOffset>, usize)> {
    let mut best: Option<(DateTime<FixedOffset>, usize)> = None;
    let mut consider = |d: Option<DateTime<FixedOffset>>, at: usize| {
        if let Some(d) = d
            && best.as_ref().is_none_or(|(_, b)| at < *b)
        {
            best = Some((d, at));
        }
    };
    for c in ZH_NUMERIC.captures_iter(text) {
        let start = c.get(1).map_or(0, |m| m.start());
        let d = (|| {
            build(
                num(c.get(1))?,
                num(c.get(2))?,
                num(c.get(3))?,
                num(c.get(4)).unwrap_or(0),
                num(c.get(5)).unwrap_or(0),
                num(c.get(6)).unwrap_or(0),
                None,
            )
            .or_else(|| build(num(c.get(1))?, num(c.get(2))?, num(c.get(3))?, 0, 0, 0, None))
        })();
        if d.is_some() {
            consider(d, start);
            break;
        }
    }
    for (re, mdy) in [(&*EN_MDY, true), (&*EN_DMY, false)] {
        for c in re.captures_iter(text) {
            let start = c.get(0).map_or(0, |m| m.start());
            let (mo, day) = if mdy {
                (c.get(1).and_then(|m| month_number(m.as_str())), num(c.get(2)))
            } else {
                (c.get(2).and_then(|m| month_number(m.as_str())), num(c.get(1)))
            };
            let hour = english_hour(num(c.get(4)), c.get(6).map(|m| m.as_str()));
            let off = c.get(7).map(|_| 0);
            let d = (|| {
                let (y, mo, day) = (num(c.get(3))?, mo?, day?);
                build(y, mo, day, hour.unwrap_or(0), num(c.get(5)).unwrap_or(0), 0, off)
                    .or_else(|| build(y, mo, day, 0, 0, 0, None))
            })();
            if d.is_some() {
                consider(d, start);
                break;
            }
        }
    }
    best
}

static LABEL_STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(发布时间|发布日期|发稿时间|发表时间|发文时间|公开日期|公布日期|Published(?:\s+on)?|Posted(?:\s+on)?|Date\s+published)\s*[:：]?\s*")
        .expect("static regex")
});
static LABEL_WEAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(成文日期|更新时间|时间|日期|Updated(?:\s+on)?|Date)\s*[:：]\s*").expect("static regex")
});

/// Finds the publish date in the header zone (the lines between the title and the body):
/// a date after a strong label (`发布时间：`, `Published`), then after a weak label (`时间：`,
/// `日期：`), then an unlabelled date on a short line.
/// The first date right after a strong publication label (`发布日期：`, `Published on`) in `lines`.
pub fn find_labelled(lines: &[String]) -> Option<DateTime<FixedOffset>> {
    lines.iter().find_map(|line| {
        LABEL_STRONG.find_iter(line).find_map(|m| {
            let rest = line.get(m.end()..).unwrap_or_default();
            find_in_text(rest).filter(|(_, at)| *at <= 3).map(|(d, _)| d)
        })
    })
}

pub fn find_in_header(lines: &[String]) -> Option<DateTime<FixedOffset>> {
    for label in [&*LABEL_STRONG, &*LABEL_WEAK] {
        for line in lines {
            for m in label.find_iter(line) {
                let rest = line.get(m.end()..).unwrap_or_default();
                if let Some((d, at)) = find_in_text(rest)
                    && at <= 3
                {
                    return Some(d);
                }
            }
        }
    }
    lines.iter().filter(|l| l.chars().count() <= 100).find_map(|l| find_in_text(l).map(|(d, _)| d))
}

static URL_T: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[/_]t((?:19|20)\d{2})(\d{2})(\d{2})_").expect("static regex"));
static URL_YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[-/_]?(\d{2})[-/_]?(\d{2})(?:/|_|\.|[a-z]|$)").expect("static regex")
});
static URL_YM_D: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/((?:19|20)\d{2})-(\d{1,2})/(\d{1,2})/").expect("static regex"));
static URL_Y_M_D: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/").expect("static regex"));

/// A date embedded in the URL path (`/t20240318_123.html`, `/2024-03/18/`, `/2024/03/18/`,
/// `/20240318/`), at 00:00 +08:00.
pub fn from_url(url: &url::Url) -> Option<DateTime<FixedOffset>> {
    let path = url.path();
    for re in [&*URL_T, &*URL_YM_D, &*URL_Y_M_D, &*URL_YMD] {
        for c in re.captures_iter(path) {
            if let Some(d) = build(num(c.get(1))?, num(c.get(2))?, num(c.get(3))?, 0, 0, 0, None) {
                return Some(d);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(d: Option<DateTime<FixedOffset>>) -> String {
        d.map(|d| d.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn machine_values() {
        assert_eq!(fmt(parse_value("2024-03-18T10:22:05+08:00")), "2024-03-18T10:22:05+08:00");
        assert_eq!(fmt(parse_value("2024-03-18T02:22:05Z")), "2024-03-18T02:22:05+00:00");
        assert_eq!(fmt(parse_value("2024-03-18 10:22")), "2024-03-18T10:22:00+08:00");
        assert_eq!(fmt(parse_value("2024/3/8")), "2024-03-08T00:00:00+08:00");
        assert_eq!(fmt(parse_value("20240318")), "2024-03-18T00:00:00+08:00");
        assert_eq!(fmt(parse_value("Mon, 18 Mar 2024 10:22:00 +0000")), "2024-03-18T10:22:00+00:00");
        assert_eq!(fmt(parse_value("2024-03-18T10:22:05.123-0500")), "2024-03-18T10:22:05-05:00");
        assert_eq!(parse_value("2024-13-18"), None);
        assert_eq!(parse_value("2023-02-29"), None);
        assert_eq!(parse_value(""), None);
        assert_eq!(parse_value("not a date"), None);
    }

    #[test]
    fn chinese_text() {
        assert_eq!(fmt(find_in_text("2024年3月18日").map(|x| x.0)), "2024-03-18T00:00:00+08:00");
        assert_eq!(
            fmt(find_in_text("2024年03月18日 10:22 来源：人民网").map(|x| x.0)),
            "2024-03-18T10:22:00+08:00"
        );
        assert_eq!(fmt(find_in_text("时间：2024-03-18 10:22:31").map(|x| x.0)), "2024-03-18T10:22:31+08:00");
        assert_eq!(find_in_text("2019年5月，群众举报"), None);
        assert_eq!(find_in_text("编号 12024-03-18"), None);
        // An invalid first candidate does not hide a valid later one.
        assert_eq!(fmt(find_in_text("2024-02-30 ; 2024-03-01").map(|x| x.0)), "2024-03-01T00:00:00+08:00");
    }

    #[test]
    fn english_text() {
        assert_eq!(fmt(find_in_text("Updated March 18, 2024").map(|x| x.0)), "2024-03-18T00:00:00+08:00");
        assert_eq!(fmt(find_in_text("18 March 2024 at 3:05 pm").map(|x| x.0)), "2024-03-18T15:05:00+08:00");
        assert_eq!(fmt(find_in_text("Sept. 9, 2023 10:00 GMT").map(|x| x.0)), "2023-09-09T10:00:00+00:00");
        assert_eq!(find_in_text("February 30, 2024"), None);
    }

    #[test]
    fn header_prefers_labels() {
        let lines = vec![
            "成文日期：2024-03-01".to_string(),
            "发布时间：2024-03-18 10:22 来源：江州市生态环境局".to_string(),
        ];
        assert_eq!(fmt(find_in_header(&lines)), "2024-03-18T10:22:00+08:00");
        let lines = vec!["浏览次数：12".to_string(), "2024/03/18".to_string()];
        assert_eq!(fmt(find_in_header(&lines)), "2024-03-18T00:00:00+08:00");
        let long = format!("{}2019年5月12日群众举报", "很长的一段正文".repeat(20));
        assert_eq!(find_in_header(&[long]), None);
    }

    #[test]
    fn url_dates() {
        let u = |s: &str| url::Url::parse(s).expect("url");
        assert_eq!(
            fmt(from_url(&u("http://a.gov.cn/xxgk/202403/t20240318_123.html"))),
            "2024-03-18T00:00:00+08:00"
        );
        assert_eq!(fmt(from_url(&u("http://news.a.cn/2024-03/18/c_1.htm"))), "2024-03-18T00:00:00+08:00");
        assert_eq!(fmt(from_url(&u("https://e.com/2024/03/18/story"))), "2024-03-18T00:00:00+08:00");
        assert_eq!(fmt(from_url(&u("https://e.com/n/20240318/x.html"))), "2024-03-18T00:00:00+08:00");
        assert_eq!(from_url(&u("https://e.com/2024/13/45/x")), None);
        assert_eq!(from_url(&u("https://e.com/about")), None);
    }
}
