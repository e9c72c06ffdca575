//! One function per subcommand. Each loads what it needs, calls the library, prints results.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::{NaiveDate, Utc};
use serde::Serialize;

use super::{Cli, Command, ExportCommand, LeadsCommand, Outcome, RulesCommand};
use crate::config::{Config, Overrides};
use crate::crawl::{CrawlReport, Observer, urlkey};
use crate::digest;
use crate::document::{Document, doc_id};
use crate::extract;
use crate::index::{SearchIndex, SearchOptions};
use crate::ingest::{self, IngestStats};
use crate::leads::{Lead, LeadStatus, category_label};
use crate::rules::RuleSet;
use crate::store::Store;
use crate::store::leads::LeadFilter;

pub(super) fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let overrides = Overrides { data_dir: cli.data_dir.clone(), rules_dir: cli.rules.clone() };
    match &cli.command {
        Command::Demo(_) => demo(&cli, overrides),
        Command::Crawl(a) => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            crawl(&cli, config, a.sources.clone(), a.json, a.no_ingest)
        }
        Command::Import(a) => {
            import(&Config::load(cli.config.as_deref(), &overrides)?, &a.file, &a.source, cli.quiet)
        }
        Command::Search(a) => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            let index = open_existing_index(&config)?;
            let opts = SearchOptions { limit: a.limit, offset: a.offset, source: a.source.clone() };
            let results = index.search(&a.query.join(" "), &opts)?;
            let mut out = std::io::stdout().lock();
            for (i, h) in results.hits.iter().enumerate() {
                if a.json {
                    writeln!(out, "{}", serde_json::to_string(h)?)?;
                } else {
                    writeln!(out, "{}. {}", a.offset + i + 1, h.title)?;
                    writeln!(
                        out,
                        "   {} · {} · {} · score {:.2}",
                        h.url,
                        h.published.as_deref().map_or("no date", |p| &p[..p.len().min(10)]),
                        h.source,
                        h.score
                    )?;
                    writeln!(out, "   {}", h.snippet)?;
                }
            }
            if !a.json && !cli.quiet {
                eprintln!("{} result(s)", results.total);
            }
            Ok(if results.total == 0 { Outcome::Nothing } else { Outcome::Success })
        }
        Command::Rules(RulesCommand::Test(a)) => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            rules_test(&config.rules_dir, a.verbose_tests, a.json)
        }
        Command::Rules(RulesCommand::Lint) => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            let rules = load_rules(&config.rules_dir)?;
            let issues = rules.lint();
            let mut out = std::io::stdout().lock();
            for l in &issues {
                writeln!(out, "{}: {}: {}", l.path.display(), l.rule_id, l.message)?;
            }
            writeln!(out, "{} rule(s), {} finding(s)", rules.len(), issues.len())?;
            Ok(if issues.is_empty() { Outcome::Success } else { Outcome::Nothing })
        }
        Command::Rules(RulesCommand::Explain(a)) => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            let rules = load_rules(&config.rules_dir)?;
            let store = open_existing_store(&config)?;
            let id = match url::Url::parse(&a.doc) {
                Ok(u) => doc_id(&urlkey::key(&u)),
                Err(_) => a.doc.clone(),
            };
            let doc = store.document(&id)?.with_context(|| format!("no stored document {:?}", a.doc))?;
            let explanations = rules.explain(&crate::rules::DocText { title: &doc.title, body: &doc.body });
            let mut shown: Vec<_> =
                explanations.iter().filter(|e| a.all || !e.groups_hit.is_empty()).collect();
            // The rules that fired first, then the nearest misses.
            shown.sort_by(|x, y| y.fired.cmp(&x.fired).then(y.score.total_cmp(&x.score)));
            let mut out = std::io::stdout().lock();
            if !a.json {
                writeln!(out, "{} — {}", doc.title, doc.url)?;
            }
            for e in &shown {
                if a.json {
                    writeln!(out, "{}", serde_json::to_string(e)?)?;
                    continue;
                }
                writeln!(
                    out,
                    "{} {} v{} ({}): score {:.2} / threshold {:.2}",
                    if e.fired { "FIRED " } else { "no    " },
                    e.rule_id,
                    e.rule_version,
                    e.category,
                    e.score,
                    e.threshold
                )?;
                writeln!(
                    out,
                    "       groups hit: [{}]  missing: [{}]",
                    e.groups_hit.join(", "),
                    e.groups_missing.join(", ")
                )?;
                if !e.excluded_by.is_empty() {
                    writeln!(out, "       excluded by: [{}]", e.excluded_by.join(", "))?;
                }
                for n in &e.near {
                    writeln!(
                        out,
                        "       near {} ~ {} ({}): {}",
                        n.groups[0],
                        n.groups[1],
                        n.constraint,
                        if n.ok { "ok" } else { "not satisfied" }
                    )?;
                }
                let terms: Vec<String> = e.hits.iter().map(|h| format!("{}:{}", h.group, h.term)).collect();
                writeln!(out, "       terms: {}", terms.join(" "))?;
                writeln!(out, "       {}", e.reason)?;
            }
            Ok(if shown.iter().any(|e| e.fired) { Outcome::Success } else { Outcome::Nothing })
        }
        Command::Leads(LeadsCommand::List(a)) => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            let store = open_existing_store(&config)?;
            let status = a
                .status
                .as_deref()
                .map(|s| {
                    LeadStatus::parse(s).with_context(|| {
                        format!("unknown status {s:?}: use new, accepted, dismissed or duplicate")
                    })
                })
                .transpose()?;
            let filter = LeadFilter {
                status,
                category: a.category.clone(),
                since: a.since,
                until: a.until,
                limit: a.limit,
            };
            let leads = store.leads(&filter)?;
            let mut out = std::io::stdout().lock();
            for l in &leads {
                if a.json {
                    writeln!(out, "{}", serde_json::to_string(&LeadJson::from(l))?)?;
                } else {
                    writeln!(
                        out,
                        "#{} [{}] {:.2} {} — {}",
                        l.id, l.category, l.score, l.first_seen, l.title
                    )?;
                    for s in &l.sources {
                        writeln!(out, "    {}", s.url)?;
                    }
                }
            }
            Ok(if leads.is_empty() { Outcome::Nothing } else { Outcome::Success })
        }
        Command::Reindex => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            drop(open_existing_store(&config)?);
            let rules = load_rules(&config.rules_dir)?;
            let s = ingest::reindex(&config, &rules)?;
            println!(
                "re-extracted {} archived article(s) ({} kept: source no longer configured); indexed {}; rules fired on {}; {} new lead(s)",
                s.reextracted, s.kept, s.ingest.documents, s.ingest.matched, s.ingest.leads_created
            );
            Ok(Outcome::Success)
        }
        Command::Extract(a) => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            extract_one(&config, a)
        }
        Command::Export(ExportCommand::Docs) => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            let store = open_existing_store(&config)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut n = 0u64;
            store.for_each_document(|d| {
                n += 1;
                writeln!(out, "{}", serde_json::to_string(&d)?)?;
                Ok(())
            })?;
            out.flush()?;
            Ok(if n == 0 { Outcome::Nothing } else { Outcome::Success })
        }
        Command::Digest(a) => {
            let config = Config::load(cli.config.as_deref(), &overrides)?;
            let store = open_existing_store(&config)?;
            let date = a.date.unwrap_or_else(|| ingest::today(&config));
            let written = write_digest(&store, &config, date, a.out.as_deref())?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{} lead(s) for {date}", written.leads)?;
            writeln!(out, "{}", written.markdown.display())?;
            writeln!(out, "{}", written.html.display())?;
            Ok(Outcome::Success)
        }
    }
}

/// One lead as printed by `leads list --json`.
#[derive(Serialize)]
struct LeadJson<'a> {
    id: i64,
    category: &'a str,
    title: &'a str,
    score: f64,
    status: LeadStatus,
    region: Option<&'a str>,
    first_seen: NaiveDate,
    rules: &'a [String],
    urls: Vec<&'a str>,
    sources: Vec<SourceJson<'a>>,
    evidence: &'a [crate::rules::RuleMatch],
}

#[derive(Serialize)]
struct SourceJson<'a> {
    doc_id: &'a str,
    url: &'a str,
    title: &'a str,
    source: &'a str,
    published: Option<&'a str>,
    issuer: Option<&'a str>,
}

impl<'a> From<&'a Lead> for LeadJson<'a> {
    fn from(l: &'a Lead) -> Self {
        LeadJson {
            id: l.id,
            category: &l.category,
            title: &l.title,
            score: l.score,
            status: l.status,
            region: l.region.as_deref(),
            first_seen: l.first_seen,
            rules: &l.rules,
            urls: l.sources.iter().map(|s| s.url.as_str()).collect(),
            sources: l
                .sources
                .iter()
                .map(|s| SourceJson {
                    doc_id: &s.doc_id,
                    url: &s.url,
                    title: &s.title,
                    source: &s.source,
                    published: s.published.as_deref(),
                    issuer: s.issuer.as_deref(),
                })
                .collect(),
            evidence: &l.evidence,
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

fn load_rules(dir: &Path) -> anyhow::Result<RuleSet> {
    RuleSet::load(dir).map_err(|e| anyhow::anyhow!("{e}")).with_context(|| {
        format!("cannot load rules from {} (set rules_dir in the config or pass --rules DIR)", dir.display())
    })
}

/// Opens the database for a command that only reads: a missing one is an error, not created.
fn open_existing_store(config: &Config) -> anyhow::Result<Store> {
    let path = config.db_path();
    if !path.exists() {
        bail!(
            "no database at {}: run `cluewatch crawl` (or `cluewatch demo`) first, or pass --data-dir",
            path.display()
        );
    }
    Store::open(&path)
}

fn open_existing_index(config: &Config) -> anyhow::Result<SearchIndex> {
    let path = config.index_path();
    if !path.join("meta.json").exists() {
        bail!(
            "no index at {}: run `cluewatch crawl` (or `cluewatch demo`) first, or pass --data-dir",
            path.display()
        );
    }
    SearchIndex::open(&path)
}

/// A progress line on stderr while crawling (only on a terminal, and not with -q).
struct Progress {
    bar: indicatif::ProgressBar,
}

impl Observer for Progress {
    fn fetched(&self, _url: &str, _status: Option<u16>, queued: usize) {
        self.bar.inc(1);
        self.bar.set_message(format!("{queued} queued"));
    }
}

fn observer(quiet: bool) -> (Arc<dyn Observer>, Option<indicatif::ProgressBar>) {
    if quiet || !std::io::stderr().is_terminal() {
        return (Arc::new(crate::crawl::Quiet), None);
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos} pages fetched · {per_sec} · {msg} · {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    (Arc::new(Progress { bar: bar.clone() }), Some(bar))
}

fn crawl(
    cli: &Cli,
    config: Config,
    sources: Vec<String>,
    json: bool,
    no_ingest: bool,
) -> anyhow::Result<Outcome> {
    let rt = runtime()?;
    let (obs, bar) = observer(cli.quiet);
    let (report, stats) = if no_ingest {
        let (wake, _) = std::sync::mpsc::channel();
        (rt.block_on(crate::crawl::run(Arc::new(config), sources, obs, wake))?, IngestStats::default())
    } else {
        let rules = Arc::new(load_rules(&config.rules_dir)?);
        ingest::crawl_and_ingest(&rt, Arc::new(config), rules, sources, obs)?
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if json {
        #[derive(Serialize)]
        struct Summary<'a> {
            sources: &'a BTreeMap<String, crate::crawl::SourceStats>,
            ingest: IngestStats,
        }
        println!("{}", serde_json::to_string(&Summary { sources: &report.sources, ingest: stats })?);
    } else if !cli.quiet {
        print_crawl_summary(&report, &stats);
    }
    Ok(Outcome::Success)
}

fn print_crawl_summary(report: &CrawlReport, stats: &IngestStats) {
    println!("{:<24} {:>8} {:>6} {:>6} {:>6} {:>7}", "source", "fetched", "304", "docs", "robots", "errors");
    for (name, s) in &report.sources {
        let errors: u64 = s.errors.values().sum();
        println!(
            "{name:<24} {:>8} {:>6} {:>6} {:>6} {:>7}",
            s.fetched, s.not_modified, s.documents, s.robots_disallowed, errors
        );
        for (kind, n) in &s.errors {
            println!("{:<24}   {kind}: {n}", "");
        }
    }
    println!(
        "indexed {} document(s); rules fired on {}; {} new lead(s), {} reprint(s) joined existing leads",
        stats.documents, stats.matched, stats.leads_created, stats.leads_joined
    );
}

struct Written {
    leads: usize,
    markdown: PathBuf,
    html: PathBuf,
}

fn write_digest(
    store: &Store,
    config: &Config,
    date: NaiveDate,
    out: Option<&Path>,
) -> anyhow::Result<Written> {
    let leads = store.leads(&LeadFilter { since: Some(date), until: Some(date), ..Default::default() })?;
    let d = digest::build(date, leads);
    let dir = out.map_or_else(|| config.digest.out.join(date.to_string()), Path::to_path_buf);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let markdown = dir.join("digest.md");
    let html = dir.join("digest.html");
    std::fs::write(&markdown, digest::render_markdown(&d))
        .with_context(|| format!("cannot write {}", markdown.display()))?;
    std::fs::write(&html, digest::render_html(&d))
        .with_context(|| format!("cannot write {}", html.display()))?;
    Ok(Written { leads: d.len(), markdown, html })
}

/// One line of an import file.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportLine {
    url: String,
    title: String,
    body: String,
    published: Option<String>,
    source: Option<String>,
    lang: Option<String>,
}

fn import(config: &Config, file: &Path, default_source: &str, quiet: bool) -> anyhow::Result<Outcome> {
    let rules = load_rules(&config.rules_dir)?;
    let reader: Box<dyn BufRead> = if file == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
        ))
    };
    let store = Store::open(&config.db_path())?;
    let mut bad = 0usize;
    let mut stored = 0usize;
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", file.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let doc = match parse_import_line(&line, default_source, config) {
            Ok(d) => d,
            Err(e) => {
                bad += 1;
                eprintln!("{}:{}: skipped: {e:#}", file.display(), n + 1);
                continue;
            }
        };
        stored += usize::from(store.put_document(&doc)?);
    }
    let mut store = store;
    let index = SearchIndex::open(&config.index_path())?;
    let mut writer = index.writer()?;
    let stats = ingest::ingest_pending(&mut store, &mut writer, &rules, config)?;
    if !quiet {
        println!(
            "imported {stored} new or changed document(s); indexed {}; rules fired on {}; {} new lead(s){}",
            stats.documents,
            stats.matched,
            stats.leads_created,
            if bad > 0 { format!("; {bad} bad line(s) skipped") } else { String::new() }
        );
    }
    Ok(if bad > 0 { Outcome::Nothing } else { Outcome::Success })
}

fn parse_import_line(line: &str, default_source: &str, config: &Config) -> anyhow::Result<Document> {
    let l: ImportLine = serde_json::from_str(line)?;
    let url = url::Url::parse(&l.url).with_context(|| format!("`url` {:?} is not an absolute URL", l.url))?;
    let published = match &l.published {
        Some(p) => Some(extract::parse_date(p).with_context(|| format!("`published` {p:?} is not a date"))?),
        None => None,
    };
    let source = l.source.unwrap_or_else(|| default_source.to_string());
    let region = config.source(&source).and_then(|s| s.region.clone());
    Ok(Document {
        id: doc_id(&urlkey::key(&url)),
        url: url.to_string(),
        lang: l.lang.unwrap_or_else(|| extract::detect_lang(&format!("{} {}", l.title, l.body)).to_string()),
        source,
        title: l.title,
        body: l.body,
        published,
        issuer: None,
        encoding: "UTF-8".into(),
        region,
        fetched_at: Utc::now().fixed_offset(),
    })
}

fn rules_test(dir: &Path, verbose: bool, json: bool) -> anyhow::Result<Outcome> {
    let rules = load_rules(dir)?;
    let report = rules.run_tests();
    if json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(if report.ok() { Outcome::Success } else { Outcome::Nothing });
    }
    let mut out = std::io::stdout().lock();
    for t in &report.results {
        let status = match (t.todo, t.passed) {
            (true, true) => "TODO (now passes)",
            (true, false) => "TODO",
            (false, true) => "ok",
            (false, false) => "FAIL",
        };
        if verbose || t.todo || !t.passed {
            writeln!(
                out,
                "{status:<5} {} test #{} ({}:{}) expect {:?}",
                t.rule_id,
                t.index + 1,
                t.path.display(),
                t.line,
                t.expect
            )?;
            if !t.passed || verbose {
                writeln!(
                    out,
                    "      fired={} score {:.2}/{:.2} groups hit: [{}] missing: [{}]",
                    t.fired,
                    t.score,
                    t.threshold,
                    t.groups_hit.join(", "),
                    t.missing_groups.join(", ")
                )?;
                if let Some(f) = &t.failure {
                    writeln!(out, "      {f}")?;
                }
                if !t.explanation.is_empty() {
                    writeln!(out, "      {}", t.explanation)?;
                }
            }
        }
    }
    for l in &report.lint {
        writeln!(out, "lint  {} ({}): {}", l.rule_id, l.path.display(), l.message)?;
    }
    writeln!(
        out,
        "{} rule(s) in {}; {} todo case(s) reported, not counted",
        rules.len(),
        dir.display(),
        report.todo
    )?;
    writeln!(out, "rules: {} passed, {} failed", report.passed, report.failed)?;
    Ok(if report.ok() { Outcome::Success } else { Outcome::Nothing })
}

fn demo(cli: &Cli, overrides: Overrides) -> anyhow::Result<Outcome> {
    let started = std::time::Instant::now();
    let data_dir = match &overrides.data_dir {
        Some(d) => d.clone(),
        None => tempfile::Builder::new().prefix("cluewatch-demo-").tempdir()?.keep(),
    };
    let rules_dir = overrides.rules_dir.clone().unwrap_or_else(default_rules_dir);
    let rt = runtime()?;
    let server = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        crate::demo::server::serve(crate::demo::site::site(), listener)
    })?;
    let base = server.base();
    let config = Config::from_toml(
        &crate::demo::site::config_toml(&base),
        &data_dir,
        &Overrides { data_dir: Some(data_dir.clone()), rules_dir: Some(rules_dir) },
    )?;
    eprintln!("serving the sample site at {base}/ (loopback only); data directory {}", data_dir.display());
    let rules = Arc::new(load_rules(&config.rules_dir)?);
    let (obs, bar) = observer(cli.quiet);
    let config = Arc::new(config);
    let (report, stats) = ingest::crawl_and_ingest(&rt, config.clone(), rules, Vec::new(), obs)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let store = Store::open(&config.db_path())?;
    let today = ingest::today(&config);
    let written = write_digest(&store, &config, today, None)?;
    let leads = store.leads(&LeadFilter { since: Some(today), until: Some(today), ..Default::default() })?;
    let mut per_cat: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &leads {
        *per_cat.entry(l.category.as_str()).or_default() += 1;
    }
    let robots: u64 = report.sources.values().map(|s| s.robots_disallowed).sum();
    println!("cluewatch demo — crawl → extract → index → rules → leads → digest");
    println!(
        "  pages fetched:      {} ({} refused by robots.txt, {} errors)",
        report.fetched(),
        robots,
        report.errors()
    );
    println!("  documents indexed:  {}", stats.documents);
    println!(
        "  leads:              {} new ({} reprint(s) joined an existing lead)",
        stats.leads_created, stats.leads_joined
    );
    for (cat, n) in &per_cat {
        println!("    {:<40} {n}", category_label(cat));
    }
    for l in leads.iter().take(20) {
        println!("    #{:<3} {:>6.2}  {}", l.id, l.score, l.title);
    }
    println!("  digest:             {}", written.markdown.display());
    println!("                      {}", written.html.display());
    println!("  took {:.1} s", started.elapsed().as_secs_f64());
    println!();
    let dd = data_dir.display();
    println!("Next:");
    println!("  open the digest:    xdg-open {}   (or any browser)", written.html.display());
    println!("  search:             cluewatch --data-dir {dd} search 偷排");
    println!("  list leads:         cluewatch --data-dir {dd} leads list");
    println!(
        "  web UI:             not built yet — it comes with `cluewatch serve` (see the issue tracker);"
    );
    println!("                      until then use the digest file and the search command above.");
    Ok(Outcome::Success)
}

/// `./rules` when it exists, else the rules folder of the source tree this binary was built from.
fn default_rules_dir() -> PathBuf {
    let local = PathBuf::from("rules");
    if local.is_dir() { local } else { Path::new(env!("CARGO_MANIFEST_DIR")).join("rules") }
}

fn extract_one(config: &Config, a: &super::ExtractArgs) -> anyhow::Result<Outcome> {
    let overrides = match &a.source {
        Some(name) => {
            config.source(name).with_context(|| format!("no source named {name:?}"))?.extract.clone()
        }
        None => Arc::new(extract::CompiledOverrides::default()),
    };
    let live = a.target.starts_with("http://") || a.target.starts_with("https://");
    let (url, content_type, body) = if live {
        let url = url::Url::parse(&a.target).with_context(|| format!("{:?} is not a URL", a.target))?;
        let f = runtime()?.block_on(crate::crawl::fetch_one(config, &url))?;
        if f.status != 200 {
            bail!("{url} answered HTTP {}", f.status);
        }
        (f.final_url, f.content_type, f.body)
    } else {
        let path = Path::new(&a.target);
        let body = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let url = match &a.url {
            Some(u) => url::Url::parse(u).with_context(|| format!("--url {u:?} is not a URL"))?,
            None => url::Url::from_file_path(std::fs::canonicalize(path)?)
                .map_err(|()| anyhow::anyhow!("cannot make a URL of {}", path.display()))?,
        };
        (url, None, body)
    };
    let ex = extract::extract_with(
        &extract::Response { url: &url, content_type: content_type.as_deref(), body: &body },
        &overrides,
    );
    let mut out = std::io::stdout().lock();
    if a.json {
        #[derive(Serialize)]
        struct Shown<'a> {
            url: &'a str,
            #[serde(flatten)]
            ex: &'a extract::Extracted,
        }
        writeln!(out, "{}", serde_json::to_string(&Shown { url: url.as_str(), ex: &ex })?)?;
    } else {
        writeln!(out, "url:        {url}")?;
        writeln!(out, "title:      {}", ex.title)?;
        writeln!(out, "published:  {}", ex.published.map_or("(none found)".to_string(), |d| d.to_rfc3339()))?;
        writeln!(out, "issuer:     {}", ex.issuer.as_deref().unwrap_or("(none found)"))?;
        writeln!(out, "language:   {}", ex.lang)?;
        writeln!(
            out,
            "encoding:   {} ({:.1} % replacement characters)",
            ex.encoding,
            ex.replacement_share * 100.0
        )?;
        writeln!(out, "links:      {}", ex.links.len())?;
        writeln!(out, "body ({} characters):", ex.body.chars().count())?;
        writeln!(out, "{}", ex.body)?;
    }
    Ok(if ex.title.is_empty() && ex.body.is_empty() { Outcome::Nothing } else { Outcome::Success })
}
