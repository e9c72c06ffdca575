//! The command line: argument definitions, the one place errors are printed, exit codes.
//!
//! Only this module writes to stdout. Results go to stdout (`--json` prints JSON Lines, one
//! object per line); logs, progress bars and errors go to stderr.
//!
//! Exit codes: 0 success; 1 the command ran but found nothing, or a rule test failed, or the input
//! was bad; 2 an error (printed once, with its cause chain).

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Finds public-interest-litigation leads in public notices and news.
#[derive(Debug, Parser)]
#[command(name = "cluewatch", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// Configuration file [default: ./cluewatch.toml when it exists].
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Data directory (index, database, digests) [default: from the config, else ./index].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Rules directory [default: from the config, else ./rules].
    #[arg(long, global = true, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Print only results and errors (no progress bars, no summaries on stderr).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_CODES: &str = "Exit codes: 0 success; 1 nothing found, a rule test failed, or bad input; 2 error.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve a bundled sample site on 127.0.0.1 and run the whole pipeline on it:
    /// crawl → extract → index → rules → leads → digest.
    Demo(DemoArgs),
    /// Crawl the configured sources once, then index, match and record leads.
    Crawl(CrawlArgs),
    /// Read documents from a JSON Lines file (one `{"url","title","body","published"?,"source"?,"lang"?}`
    /// per line) and run them through index → rules → leads like crawled pages.
    Import(ImportArgs),
    /// Rebuild the index from the archive with no network: re-extract every archived article,
    /// then index and match every document again.
    Reindex,
    /// Search the index.
    ///
    /// Words are ANDed; use "quoted phrases", OR, NOT / -word, parentheses and title:word / body:word.
    /// Chinese needs no spaces: 偷排 finds 偷排污水.
    Search(SearchArgs),
    /// Rule tools.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Lead tools.
    #[command(subcommand)]
    Leads(LeadsCommand),
    /// Write the digest of one day's new leads (Markdown and HTML).
    Digest(DigestArgs),
    /// Run the production extractor on one saved page or live URL and show what it found
    /// (title, published, issuer, language, encoding, body): the check for a new source.
    Extract(ExtractArgs),
    /// Export stored data as JSON Lines on stdout.
    #[command(subcommand)]
    Export(ExportCommand),
}

/// `extract` options.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// A saved HTML file, or an http(s) URL to fetch (with the configured User-Agent and limits).
    pub target: String,
    /// The page's URL, for a saved file (resolves links, gives URL dates and the TLD hint).
    #[arg(long)]
    pub url: Option<String>,
    /// Apply this configured source's selector overrides.
    #[arg(long)]
    pub source: Option<String>,
    /// One JSON object {url, title, published, issuer, lang, encoding, replacement_share, body, links}.
    #[arg(long)]
    pub json: bool,
}

/// `export` subcommands.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Every stored document: {id, url, source, title, body, published, issuer, lang, encoding, region, fetched_at}.
    Docs,
}

/// `demo` options.
#[derive(Debug, Args)]
pub struct DemoArgs {}

/// `crawl` options.
#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// Only this source (repeatable) [default: all].
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Print the per-source summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Only fetch and extract: store documents without indexing or matching them (they are
    /// indexed by the next crawl or import). For measuring the crawler alone.
    #[arg(long)]
    pub no_ingest: bool,
}

/// `import` options.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The JSON Lines file (`-` for standard input).
    pub file: PathBuf,
    /// Source name for lines that name none.
    #[arg(long, default_value = "import")]
    pub source: String,
}

/// `search` options.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query.
    #[arg(required = true)]
    pub query: Vec<String>,
    /// Only this source.
    #[arg(long)]
    pub source: Option<String>,
    /// Hits to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// JSON Lines: one hit per line {id, url, title, published, source, issuer, score, snippet, snippet_html}.
    #[arg(long)]
    pub json: bool,
}

/// `rules` subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Run every [[test]] of every rule through the real matcher; exit 1 on any failure.
    Test(RulesTestArgs),
    /// Check the rules for likely mistakes (groups unused, too few tests, terms in both a
    /// positive and an excluding group...); exit 1 when there are findings.
    Lint,
    /// Why each rule did or did not match a stored document (by id or URL).
    Explain(RulesExplainArgs),
}

/// `rules explain` options.
#[derive(Debug, Args)]
pub struct RulesExplainArgs {
    /// Document id (as in `search --json`) or its URL.
    pub doc: String,
    /// Also list rules that had no term at all in the document.
    #[arg(long)]
    pub all: bool,
    /// JSON Lines: one explanation per rule.
    #[arg(long)]
    pub json: bool,
}

/// `rules test` options.
#[derive(Debug, Args)]
pub struct RulesTestArgs {
    /// Show every test, not only failures and todos.
    #[arg(long)]
    pub verbose_tests: bool,
    /// JSON report.
    #[arg(long)]
    pub json: bool,
}

/// `leads` subcommands.
#[derive(Debug, Subcommand)]
pub enum LeadsCommand {
    /// List leads, best first within a day, newest day first.
    List(LeadsListArgs),
}

/// `leads list` options.
#[derive(Debug, Args)]
pub struct LeadsListArgs {
    /// Only this status (new, accepted, dismissed, duplicate).
    #[arg(long)]
    pub status: Option<String>,
    /// Only this field (environment, food_drug, accessibility, ...).
    #[arg(long)]
    pub category: Option<String>,
    /// First seen on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<chrono::NaiveDate>,
    /// First seen on or before this day (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<chrono::NaiveDate>,
    /// At most this many.
    #[arg(long)]
    pub limit: Option<usize>,
    /// JSON Lines: one lead per line {id, category, title, score, status, region, first_seen, rules, urls, sources, evidence}.
    #[arg(long)]
    pub json: bool,
}

/// `digest` options.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// The day (YYYY-MM-DD) [default: today in the digest time zone].
    #[arg(long)]
    pub date: Option<chrono::NaiveDate>,
    /// Output folder [default: <data-dir>/digests/<date>].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// How a command ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: ran fine, but found nothing / a test failed.
    Nothing,
}

/// Parses the command line, runs it, prints any error once and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    match commands::run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Nothing) => ExitCode::from(1),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("cluewatch={default},warn")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
