//! Configuration: the raw `cluewatch.toml` (and CLI overrides) resolved into a validated [`Config`].
//!
//! The raw structs mirror the file exactly and reject unknown keys, so a typo is an error that names
//! the file and line instead of a setting silently ignored. Everything downstream receives the
//! resolved [`Config`] by reference; nothing reads the file or the environment again.
//! This module owns parsing and validation only; it does not create directories or open stores.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use regex::Regex;
use serde::Deserialize;
use url::Url;

/// The default User-Agent when a configuration does not name one (the demo and tests only; a
/// configuration file with sources must identify its operator).
pub const DEFAULT_USER_AGENT: &str = concat!("cluewatch/", env!("CARGO_PKG_VERSION"), " (+demo)");

/// Fully resolved and validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the index, the SQLite database, the archive and digests live.
    pub data_dir: PathBuf,
    /// Folder of rule files.
    pub rules_dir: PathBuf,
    /// User-Agent sent with every request.
    pub user_agent: String,
    /// Crawl limits and politeness.
    pub crawl: CrawlConfig,
    /// Configured sources, in file order.
    pub sources: Vec<Source>,
    /// Digest settings.
    pub digest: DigestConfig,
}

/// Crawl limits and politeness settings.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    /// Total requests in flight across all hosts.
    pub concurrency: usize,
    /// Requests in flight per host.
    pub per_host_concurrency: usize,
    /// Pause between two requests to the same host (robots.txt Crawl-delay wins when larger).
    pub per_host_delay: Duration,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Largest body read; longer bodies are truncated and flagged.
    pub max_body: u64,
    /// Largest number of list-page hops from a start URL.
    pub max_depth: u32,
    /// Longest URL followed; longer links are traps or junk.
    pub max_url_length: usize,
    /// Most links taken from one page.
    pub max_outlinks: usize,
    /// Fetch private, loopback and link-local addresses (tests and the demo only).
    pub allow_private_addresses: bool,
}

/// One configured source: where to start, what stays in scope, how to tell articles apart.
#[derive(Debug, Clone)]
pub struct Source {
    /// Unique name, used in the index and in reports.
    pub name: String,
    /// Kind of discovery.
    pub kind: SourceKind,
    /// Start URLs (list pages).
    pub start: Vec<Url>,
    /// URL prefix the crawl never leaves.
    pub scope: String,
    /// Which in-scope links are articles; when absent every in-scope link that is not pagination is.
    pub article: Option<Regex>,
    /// Which in-scope links are further list pages (pagination).
    pub pagination: Regex,
    /// Default jurisdiction hint (division code).
    pub region: Option<String>,
    /// How much a lead from this source is trusted.
    pub authority: Authority,
    /// How often list pages are revisited.
    pub recrawl: Duration,
    /// Most pages fetched from this source in one crawl.
    pub max_pages: u64,
    /// CSS selectors that override generic extraction for this source's articles.
    pub extract: std::sync::Arc<crate::extract::CompiledOverrides>,
}

/// How a source is discovered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// HTML list pages with pagination, linking to articles.
    List,
}

/// How authoritative a source is; weighs in the lead score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Authority {
    /// A government or court site.
    Official,
    /// A news organisation.
    Media,
    /// A forum, message board or social site.
    Forum,
}

impl Authority {
    /// Multiplier applied to rule scores for leads from this source.
    pub fn weight(self) -> f64 {
        match self {
            Authority::Official => 1.2,
            Authority::Media => 1.0,
            Authority::Forum => 0.8,
        }
    }
}

/// Digest settings.
#[derive(Debug, Clone)]
pub struct DigestConfig {
    /// Local time zone of the digest day, as a fixed offset (China has no daylight saving time).
    pub utc_offset: chrono::FixedOffset,
    /// Where digests are written (one folder per day).
    pub out: PathBuf,
    /// Local time at which the daemon writes the daily digest.
    pub time: chrono::NaiveTime,
}

/// Overrides given on the command line; they win over the file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
    /// `--rules`.
    pub rules_dir: Option<PathBuf>,
}

/// Default pattern for pagination links on Chinese list pages: `index_1.html`, `index_2.shtml`,
/// `list-3.htm`, `?page=4`, `pageNo=`, `PageIndex=`.
pub const DEFAULT_PAGINATION: &str =
    r"(?i)(/(index|list|default)(_|-)\d+\.s?html?$)|([?&](page|pageno|pageindex|p|pn)=\d+)";

impl Config {
    /// Loads `path` if given, else `./cluewatch.toml` if it exists, else built-in defaults
    /// (no sources), then applies `overrides`.
    pub fn load(path: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Config> {
        let (raw, base) = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read config file {}", p.display()))?;
                (parse_raw(&text, p)?, p.parent().map(Path::to_path_buf).unwrap_or_default())
            }
            None => {
                let p = Path::new("cluewatch.toml");
                if p.exists() {
                    let text = std::fs::read_to_string(p)
                        .with_context(|| format!("cannot read config file {}", p.display()))?;
                    (parse_raw(&text, p)?, PathBuf::new())
                } else {
                    (RawConfig::default(), PathBuf::new())
                }
            }
        };
        let file_given = path.is_some() || Path::new("cluewatch.toml").exists();
        resolve(raw, &base, overrides, file_given)
    }

    /// Parses configuration text (used by the demo and tests); relative paths resolve against `base`.
    pub fn from_toml(text: &str, base: &Path, overrides: &Overrides) -> anyhow::Result<Config> {
        let raw = parse_raw(text, Path::new("<config>"))?;
        resolve(raw, base, overrides, true)
    }

    /// Path of the SQLite database.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("cluewatch.db")
    }

    /// Folder of the WARC archive.
    pub fn archive_path(&self) -> PathBuf {
        self.data_dir.join("archive")
    }

    /// Path of the Tantivy index.
    pub fn index_path(&self) -> PathBuf {
        self.data_dir.join("tantivy")
    }

    /// Looks up a source by name.
    pub fn source(&self, name: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.name == name)
    }
}

fn parse_raw(text: &str, path: &Path) -> anyhow::Result<RawConfig> {
    toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let (line, col) = line_col(text, s.start);
                format!(":{line}:{col}")
            })
            .unwrap_or_default();
        anyhow::anyhow!("{}{at}: {}", path.display(), e.message())
    })
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn resolve(raw: RawConfig, base: &Path, overrides: &Overrides, file_given: bool) -> anyhow::Result<Config> {
    let data_dir = overrides
        .data_dir
        .clone()
        .unwrap_or_else(|| base.join(raw.data_dir.unwrap_or_else(|| "index".into())));
    let rules_dir = overrides
        .rules_dir
        .clone()
        .unwrap_or_else(|| base.join(raw.rules_dir.unwrap_or_else(|| "rules".into())));
    let user_agent = match raw.user_agent {
        Some(ua) if ua.trim().is_empty() => bail!("user_agent must not be empty"),
        Some(ua) => ua,
        None if file_given && !raw.source.is_empty() => {
            bail!(
                "user_agent is required: name your organisation and a contact, e.g. \"cluewatch/0.1 (+https://example.org/contact)\""
            )
        }
        None => DEFAULT_USER_AGENT.to_string(),
    };
    let rc = raw.crawl;
    let crawl = CrawlConfig {
        concurrency: rc.concurrency.unwrap_or(32).max(1),
        per_host_concurrency: rc.per_host_concurrency.unwrap_or(1).max(1),
        per_host_delay: duration(rc.per_host_delay.as_deref(), "1s", "crawl.per_host_delay")?,
        timeout: duration(rc.timeout.as_deref(), "30s", "crawl.timeout")?,
        connect_timeout: duration(rc.connect_timeout.as_deref(), "10s", "crawl.connect_timeout")?,
        max_body: size(rc.max_body.as_deref(), "8MiB", "crawl.max_body")?,
        max_depth: rc.max_depth.unwrap_or(50),
        max_url_length: rc.max_url_length.unwrap_or(2048),
        max_outlinks: rc.max_outlinks.unwrap_or(1000),
        allow_private_addresses: rc.allow_private_addresses.unwrap_or(false),
    };
    let mut names = HashSet::new();
    let mut sources = Vec::new();
    for s in raw.source {
        if !names.insert(s.name.clone()) {
            bail!("source name {:?} is used twice", s.name);
        }
        sources.push(resolve_source(s)?);
    }
    let digest = DigestConfig {
        utc_offset: utc_offset(raw.digest.timezone.as_deref().unwrap_or("Asia/Shanghai"))?,
        out: raw.digest.out.map(|o| base.join(o)).unwrap_or_else(|| data_dir.join("digests")),
        time: {
            let t = raw.digest.time.as_deref().unwrap_or("07:30");
            chrono::NaiveTime::parse_from_str(t, "%H:%M")
                .with_context(|| format!("digest.time: {t:?} is not a time of day (use HH:MM)"))?
        },
    };
    Ok(Config { data_dir, rules_dir, user_agent, crawl, sources, digest })
}

fn resolve_source(s: RawSource) -> anyhow::Result<Source> {
    let ctx = || format!("source {:?}", s.name);
    if s.start.is_empty() {
        bail!("source {:?}: `start` needs at least one URL", s.name);
    }
    let start = s
        .start
        .iter()
        .map(|u| Url::parse(u).with_context(|| format!("start URL {u:?}")))
        .collect::<anyhow::Result<Vec<_>>>()
        .with_context(ctx)?;
    let scope = match s.scope {
        Some(scope) => {
            Url::parse(&scope).with_context(|| format!("scope {scope:?} is not a URL")).with_context(ctx)?;
            scope
        }
        None => {
            // Default scope: the directory of the first start URL.
            let mut u = start[0].clone();
            u.set_query(None);
            u.set_fragment(None);
            let path = u.path().to_string();
            let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            u.set_path(dir);
            u.to_string()
        }
    };
    for u in &start {
        if !u.as_str().starts_with(&scope) {
            bail!("source {:?}: start URL {u} is outside its scope {scope}", s.name);
        }
    }
    let article = s
        .article
        .as_deref()
        .map(Regex::new)
        .transpose()
        .context("`article` is not a valid regex")
        .with_context(ctx)?;
    let pagination = Regex::new(s.pagination.as_deref().unwrap_or(DEFAULT_PAGINATION))
        .context("`pagination` is not a valid regex")
        .with_context(ctx)?;
    Ok(Source {
        kind: s.kind.unwrap_or(SourceKind::List),
        start,
        scope,
        article,
        pagination,
        region: s.region,
        authority: s.authority.unwrap_or(Authority::Official),
        recrawl: duration(s.recrawl.as_deref(), "6h", "source.recrawl").with_context(ctx)?,
        max_pages: s.max_pages.unwrap_or(10_000),
        extract: std::sync::Arc::new(
            s.extract.unwrap_or_default().compile().map_err(anyhow::Error::from).with_context(ctx)?,
        ),
        name: s.name,
    })
}

/// Parses `500ms`, `1s`, `30m`, `6h`, `2d` (a bare number is seconds).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        _ => return None,
    };
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

/// Parses `8MiB`, `512KiB`, `1MB`, `2GiB` or a bare number of bytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "kib" | "k" => 1024,
        "mb" => 1_000_000,
        "mib" | "m" => 1024 * 1024,
        "gb" => 1_000_000_000,
        "gib" | "g" => 1024 * 1024 * 1024,
        _ => return None,
    };
    n.checked_mul(mult)
}

fn duration(v: Option<&str>, default: &str, key: &str) -> anyhow::Result<Duration> {
    let v = v.unwrap_or(default);
    parse_duration(v).with_context(|| format!("{key}: {v:?} is not a duration (use e.g. 500ms, 1s, 6h)"))
}

fn size(v: Option<&str>, default: &str, key: &str) -> anyhow::Result<u64> {
    let v = v.unwrap_or(default);
    parse_size(v).with_context(|| format!("{key}: {v:?} is not a size (use e.g. 512KiB, 8MiB)"))
}

/// Resolves a time-zone setting to a fixed offset. Chinese zones have had no daylight saving time
/// since 1991, so a fixed offset is exact for them; other named zones are refused rather than guessed.
pub fn utc_offset(tz: &str) -> anyhow::Result<chrono::FixedOffset> {
    let hours = |h: i32| chrono::FixedOffset::east_opt(h * 3600).context("offset out of range");
    match tz {
        "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Harbin" | "Asia/Urumqi" | "PRC" | "Asia/Hong_Kong"
        | "Asia/Macau" | "Asia/Taipei" => hours(8),
        "UTC" | "Etc/UTC" | "Z" => hours(0),
        other => {
            let sign = match other.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => bail!(
                    "digest.timezone {other:?}: use Asia/Shanghai, UTC or a fixed offset such as +08:00"
                ),
            };
            let (h, m) = other[1..].split_once(':').unwrap_or((&other[1..], "0"));
            let (h, m): (i32, i32) = (h.parse()?, m.parse()?);
            chrono::FixedOffset::east_opt(sign * (h * 3600 + m * 60)).context("offset out of range")
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    data_dir: Option<PathBuf>,
    rules_dir: Option<PathBuf>,
    user_agent: Option<String>,
    #[serde(default)]
    crawl: RawCrawl,
    #[serde(default)]
    source: Vec<RawSource>,
    #[serde(default)]
    digest: RawDigest,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrawl {
    concurrency: Option<usize>,
    per_host_concurrency: Option<usize>,
    per_host_delay: Option<String>,
    timeout: Option<String>,
    connect_timeout: Option<String>,
    max_body: Option<String>,
    max_depth: Option<u32>,
    max_url_length: Option<usize>,
    max_outlinks: Option<usize>,
    allow_private_addresses: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: String,
    kind: Option<SourceKind>,
    #[serde(default)]
    start: Vec<String>,
    scope: Option<String>,
    article: Option<String>,
    pagination: Option<String>,
    region: Option<String>,
    authority: Option<Authority>,
    recrawl: Option<String>,
    max_pages: Option<u64>,
    extract: Option<crate::extract::Overrides>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDigest {
    time: Option<String>,
    timezone: Option<String>,
    out: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
user_agent = "cluewatch-test (+mailto:ops@example.org)"
[crawl]
per_host_delay = "250ms"
max_body = "2MiB"
[[source]]
name = "eco"
start = ["http://127.0.0.1:8000/hbj/index.html"]
article = '/t\d{8}_\d+\.html$'
region = "340100"
"#;

    #[test]
    fn parses_and_defaults() {
        let c = Config::from_toml(SAMPLE, Path::new("/srv"), &Overrides::default()).unwrap();
        assert_eq!(c.data_dir, Path::new("/srv/index"));
        assert_eq!(c.crawl.per_host_delay, Duration::from_millis(250));
        assert_eq!(c.crawl.max_body, 2 * 1024 * 1024);
        let s = &c.sources[0];
        assert_eq!(s.scope, "http://127.0.0.1:8000/hbj/");
        assert!(s.pagination.is_match("http://x/hbj/index_3.html"));
        assert!(s.article.as_ref().unwrap().is_match("/hbj/202403/t20240318_1.html"));
        assert_eq!(s.recrawl, Duration::from_secs(6 * 3600));
    }

    #[test]
    fn unknown_key_names_line() {
        let err = Config::from_toml(
            "user_agent = \"x\"\n[crawl]\nconcurency = 3\n",
            Path::new("."),
            &Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains(":3:"), "{err}");
        assert!(err.contains("concurency"), "{err}");
    }

    #[test]
    fn user_agent_required_with_sources() {
        let text = SAMPLE.replace("user_agent = \"cluewatch-test (+mailto:ops@example.org)\"", "");
        let err = Config::from_toml(&text, Path::new("."), &Overrides::default()).unwrap_err();
        assert!(err.to_string().contains("user_agent"));
    }

    #[test]
    fn example_config_is_valid() {
        let text = include_str!("../cluewatch.example.toml");
        let c = Config::from_toml(text, Path::new("/etc/cw"), &Overrides::default()).unwrap();
        assert_eq!(c.sources.len(), 1);
        assert_eq!(c.rules_dir, Path::new("/etc/cw/rules"));
        assert_eq!(c.digest.time.to_string(), "07:30:00");
    }

    #[test]
    fn bad_selector_names_the_source() {
        let text = format!("{SAMPLE}[source.extract]\nbody = \"div[[\"\n");
        let err =
            format!("{:#}", Config::from_toml(&text, Path::new("."), &Overrides::default()).unwrap_err());
        assert!(err.contains("\"eco\"") && err.contains("body"), "{err}");
    }

    #[test]
    fn durations_and_sizes() {
        assert_eq!(parse_duration("6h"), Some(Duration::from_secs(21600)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("3 weeks"), None);
        assert_eq!(parse_size("8MiB"), Some(8 << 20));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("1TB"), None);
        assert_eq!(utc_offset("+05:30").unwrap().local_minus_utc(), 19800);
        assert!(utc_offset("Europe/Paris").is_err());
    }
}
