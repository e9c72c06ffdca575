//! Extraction evaluation on saved real pages (`cargo run --release --example extract_eval -- DIR`).
//!
//! `DIR` holds saved HTML files and a `truth.jsonl` describing them (the real-pages fixture,
//! `../shared/fixtures/real-pages`; its README explains the format). Every page is extracted with
//! [`cluewatch::extract::extract`] from its raw bytes, exactly as the crawler would hand it over
//! (no `Content-Type`: the fixture records none, so charset detection runs on the bytes alone).
//!
//! Only `page_type == "article"` pages are scored, per field:
//! - **title**: equal to the truth after removing all whitespace from both;
//! - **date**: the calendar day of our publish time (in +08:00) equals the truth's day; pages whose
//!   truth has no date are not scored for date;
//! - **body**: our body, whitespace removed, contains both `body_start` and `body_end`.
//!
//! Speed: every page (articles and lists) is extracted `--passes N` times (default 20) on this one
//! thread; only the `extract` calls are timed. `mb_per_s` is total HTML bytes (10^6 per MB) over
//! total extraction time.
//!
//! `--dump NAME` prints every extracted field of the pages whose file name contains `NAME` instead.
//!
//! Output: a per-page table on stderr, and one JSON line on stdout:
//! `{"pages":N,"title":x,"date":y,"body":z,"mb_per_s":w}` where x, y, z are accuracies (0–1) over
//! the scored pages.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use cluewatch::extract::{Extracted, Response, SHANGHAI, extract};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One line of `truth.jsonl` (only the fields this evaluation reads).
#[derive(Debug, Deserialize)]
struct Truth {
    file: String,
    url: Option<String>,
    page_type: String,
    title: Option<String>,
    published: Option<String>,
    body_start: Option<String>,
    body_end: Option<String>,
}

/// A page loaded for evaluation.
struct Page {
    truth: Truth,
    url: url::Url,
    bytes: Vec<u8>,
}

/// The verdict on one article page.
struct Score {
    title: bool,
    /// `None` when the truth has no date.
    date: Option<bool>,
    body: bool,
    /// Body passes the stricter README check (start in the first 200 chars, end in the last 200).
    body_strict: bool,
    body_start_found: bool,
    body_end_found: bool,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn short(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

fn usage() -> String {
    "usage: extract_eval DIR [--passes N] [--dump NAME]".to_string()
}

/// Command-line options.
struct Args {
    dir: PathBuf,
    passes: usize,
    /// Print every field we extract for the pages whose file name contains this, then stop.
    dump: Option<String>,
}

fn parse_args() -> Result<Args> {
    let mut dir = None;
    let mut passes = 20usize;
    let mut dump = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--passes" => {
                let n = args.next().with_context(usage)?;
                passes = n.parse().with_context(|| format!("--passes {n:?}"))?;
            }
            "--dump" => dump = Some(args.next().with_context(usage)?),
            "-h" | "--help" => bail!(usage()),
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => bail!(usage()),
        }
    }
    Ok(Args { dir: dir.with_context(usage)?, passes: passes.max(1), dump })
}

fn load(dir: &Path) -> Result<Vec<Page>> {
    let truth_path = dir.join("truth.jsonl");
    let text =
        std::fs::read_to_string(&truth_path).with_context(|| format!("reading {}", truth_path.display()))?;
    let mut pages = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let truth: Truth = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: bad truth line", truth_path.display(), i + 1))?;
        let path = dir.join(&truth.file);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        // Pages whose address is unknown get a neutral one: no TLD hint, no date in the path.
        let url_text = truth.url.clone().unwrap_or_else(|| format!("http://unknown.invalid/{}", truth.file));
        let url = url::Url::parse(&url_text).with_context(|| format!("{}: url {url_text:?}", truth.file))?;
        pages.push(Page { truth, url, bytes });
    }
    Ok(pages)
}

fn run_extract(p: &Page) -> Extracted {
    extract(&Response { url: &p.url, content_type: None, body: &p.bytes })
}

fn truth_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn score(t: &Truth, e: &Extracted) -> Score {
    let title = t.title.as_deref().is_some_and(|want| squash(want) == squash(&e.title));
    let date = t.published.as_deref().map(|want| {
        let ours = e.published.map(|d| d.with_timezone(&SHANGHAI).date_naive());
        ours.is_some() && ours == truth_day(want)
    });
    let body = squash(&e.body);
    let start = t.body_start.as_deref().map(squash).unwrap_or_default();
    let end = t.body_end.as_deref().map(squash).unwrap_or_default();
    let body_start_found = !start.is_empty() && body.contains(&start);
    let body_end_found = !end.is_empty() && body.contains(&end);
    let chars: Vec<char> = body.chars().collect();
    let head: String = chars.iter().take(200).collect();
    let tail: String = chars.iter().skip(chars.len().saturating_sub(200)).collect();
    Score {
        title,
        date,
        body: body_start_found && body_end_found,
        body_strict: body_start_found && body_end_found && head.contains(&start) && tail.contains(&end),
        body_start_found,
        body_end_found,
    }
}

fn mark(ok: bool) -> &'static str {
    if ok { "ok" } else { "FAIL" }
}

fn main() -> Result<()> {
    let Args { dir, passes, dump } = parse_args()?;
    let pages = load(&dir)?;
    if pages.is_empty() {
        bail!("{}: no pages in truth.jsonl", dir.display());
    }
    if let Some(name) = dump {
        for p in pages.iter().filter(|p| p.truth.file.contains(&name)) {
            let e = run_extract(p);
            eprintln!("== {} ({})", p.truth.file, p.url);
            eprintln!("title:     {}", e.title);
            eprintln!("published: {}", e.published.map(|d| d.to_rfc3339()).unwrap_or_else(|| "none".into()));
            eprintln!("issuer:    {}", e.issuer.as_deref().unwrap_or("none"));
            eprintln!("encoding:  {} (U+FFFD share {})", e.encoding, e.replacement_share);
            eprintln!("body:\n{}\n", e.body);
        }
        return Ok(());
    }

    // Scoring pass.
    let (mut n, mut n_title, mut n_dated, mut n_date, mut n_body, mut n_strict) = (0, 0, 0, 0, 0, 0);
    eprintln!("{:<48} {:<5} {:<5} {:<5} details (ours when wrong)", "page", "title", "date", "body");
    for p in pages.iter().filter(|p| p.truth.page_type == "article") {
        let e = run_extract(p);
        let s = score(&p.truth, &e);
        n += 1;
        n_title += usize::from(s.title);
        n_dated += usize::from(s.date.is_some());
        n_date += usize::from(s.date == Some(true));
        n_body += usize::from(s.body);
        n_strict += usize::from(s.body_strict);
        let mut details = Vec::new();
        if !s.title {
            details.push(format!("title={:?}", short(&e.title, 40)));
        }
        if s.date == Some(false) {
            let ours = e.published.map(|d| d.to_rfc3339()).unwrap_or_else(|| "none".into());
            details.push(format!("date={ours} (truth {})", p.truth.published.as_deref().unwrap_or("")));
        }
        if !s.body {
            let missing = match (s.body_start_found, s.body_end_found) {
                (false, false) => "start+end",
                (false, true) => "start",
                _ => "end",
            };
            details.push(format!(
                "body missing {missing}; ours {} chars starts {:?}",
                squash(&e.body).chars().count(),
                short(&squash(&e.body), 24)
            ));
        } else if !s.body_strict {
            details.push("body ok but extra text at an end (README 200-char check fails)".into());
        }
        let date_col = match s.date {
            None => "-",
            Some(ok) => mark(ok),
        };
        eprintln!(
            "{:<48} {:<5} {:<5} {:<5} {}",
            p.truth.file,
            mark(s.title),
            date_col,
            mark(s.body),
            details.join("; ")
        );
    }
    let skipped = pages.len() - n;
    eprintln!(
        "scored {n} article pages ({skipped} list pages not scored); title {n_title}/{n}, date {n_date}/{n_dated} \
         (pages with a dated truth), body {n_body}/{n} (README 200-char variant: {n_strict}/{n})"
    );

    // Timing passes: every page, only the extract calls timed.
    let total_bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    let mut elapsed = Duration::ZERO;
    for _ in 0..passes {
        for p in &pages {
            let t0 = Instant::now();
            let e = run_extract(p);
            elapsed += t0.elapsed();
            std::hint::black_box(e);
        }
    }
    let mb = (total_bytes * passes) as f64 / 1e6;
    let mb_per_s = mb / elapsed.as_secs_f64().max(1e-9);
    eprintln!(
        "speed: {} pages, {:.2} MB x {passes} passes in {:.2} s of extraction = {mb_per_s:.2} MB/s \
         ({:.1} ms/page)",
        pages.len(),
        total_bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / (pages.len() * passes) as f64
    );

    let ratio = |k: usize, d: usize| if d == 0 { 0.0 } else { k as f64 / d as f64 };
    // Written by hand to keep the key order of the issue's summary line.
    let summary = format!(
        r#"{{"pages":{n},"title":{:.3},"date":{:.3},"body":{:.3},"mb_per_s":{:.2}}}"#,
        ratio(n_title, n),
        ratio(n_date, n_dated),
        ratio(n_body, n),
        mb_per_s
    );
    println!("{summary}");
    Ok(())
}
