//! The crawler: configured sources → frontier (SQLite) → polite per-host fetching → extracted
//! documents stored for ingest.
//!
//! Shape: one coordinator runs on a blocking thread and owns the frontier connection and all
//! scheduling state (per-host queues, in-flight counts, next allowed time, robots.txt); fetches
//! run as tasks on the async runtime, bounded by the global concurrency, and report back over a
//! channel; extraction runs on the blocking pool. The coordinator commits each outcome in one
//! transaction (URL state + document + discovered links), so a killed crawl resumes where it
//! stopped: URLs in flight were never marked done and are fetched again, done articles never are.
//!
//! Owns: scheduling, politeness (per-host concurrency and delay, robots.txt with Crawl-delay),
//! retries with back-off on 429/503/timeouts, scope, link classification, per-source statistics.
//! Does not own: parsing pages (`extract`), indexing and rules (`ingest`), printing (`cli`, through
//! an [`Observer`]).

pub mod archive;
pub mod fetch;
pub mod robots;
pub mod urlkey;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use serde::Serialize;
use url::Url;

use crate::config::{Config, Source};
use crate::document::{Document, doc_id};
use crate::extract::{self, Extracted};
use crate::store::Store;
use crate::store::frontier::{FetchRecord, NewLink, QueuedUrl, UrlKind, UrlState};
use fetch::{FetchError, Fetched};
use robots::Robots;

/// Attempts per URL before it is given up for this crawl.
pub const MAX_ATTEMPTS: u32 = 3;
/// Longest Crawl-delay honoured; a larger one is capped (and reported in the statistics).
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

/// Receives progress from the crawl (the CLI draws a progress bar with it).
pub trait Observer: Send + Sync {
    /// A URL was fetched (`status` is `None` when no response came).
    fn fetched(&self, _url: &str, _status: Option<u16>, _queued: usize) {}
}

/// An observer that ignores everything.
pub struct Quiet;
impl Observer for Quiet {}

/// What one crawl pass did for one source.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SourceStats {
    /// Responses received (any status).
    pub fetched: u64,
    /// Of which `304 Not Modified`.
    pub not_modified: u64,
    /// List pages read.
    pub list_pages: u64,
    /// Article documents stored.
    pub documents: u64,
    /// URLs refused by robots.txt.
    pub robots_disallowed: u64,
    /// Redirects that left the source's scope (not followed further).
    pub out_of_scope: u64,
    /// Failures by kind (`http_404`, `timeout`, `network`, ...), counting given-up URLs.
    pub errors: BTreeMap<String, u64>,
    /// Retries scheduled (429, 503, timeouts).
    pub retries: u64,
    /// URLs left queued because the per-source page budget ran out.
    pub over_budget: u64,
    /// Crawl-delay asked for by robots.txt, in seconds, when it was larger than the cap.
    pub crawl_delay_capped_from: Option<u64>,
    /// Bodies cut at `max_body`.
    pub truncated: u64,
    /// Links not followed because they look like crawler traps (too long, repeating segments)
    /// or exceeded the per-page outlink cap.
    pub trap_links: u64,
}

/// The statistics of a crawl pass, per source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlReport {
    /// Per source name.
    pub sources: BTreeMap<String, SourceStats>,
}

impl CrawlReport {
    /// Responses received, all sources.
    pub fn fetched(&self) -> u64 {
        self.sources.values().map(|s| s.fetched).sum()
    }
    /// Article documents stored, all sources.
    pub fn documents(&self) -> u64 {
        self.sources.values().map(|s| s.documents).sum()
    }
    /// Given-up URLs, all sources.
    pub fn errors(&self) -> u64 {
        self.sources.values().flat_map(|s| s.errors.values()).sum()
    }
}

/// Crawls `sources` (names; all configured sources when empty) once. Every stored document sends
/// a message on `wake`, so an ingest thread can follow along.
pub async fn run(
    config: Arc<Config>,
    sources: Vec<String>,
    observer: Arc<dyn Observer>,
    wake: std_mpsc::Sender<()>,
) -> anyhow::Result<CrawlReport> {
    let selected: Vec<Source> = if sources.is_empty() {
        config.sources.clone()
    } else {
        sources
            .iter()
            .map(|n| {
                config
                    .source(n)
                    .cloned()
                    .with_context(|| format!("no source named {n:?} in the configuration"))
            })
            .collect::<anyhow::Result<_>>()?
    };
    if selected.is_empty() {
        anyhow::bail!(
            "no sources configured: add [[source]] tables to cluewatch.toml (see cluewatch.example.toml)"
        );
    }
    let client = fetch::client(&config)?;
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut c = Coordinator::new(&config, &selected, client, handle, observer, wake)?;
        c.run()
    })
    .await
    .context("crawl coordinator panicked")?
}

struct Job {
    q: QueuedUrl,
    url: Url,
    source: usize,
}

enum RobotsState {
    Unknown,
    Pending,
    Ready(Robots),
}

struct Host {
    queue: VecDeque<Job>,
    in_flight: usize,
    next_at: Instant,
    delay: Duration,
    robots: RobotsState,
}

enum Msg {
    Robots { host: String, robots: Robots },
    Page(Box<PageMsg>),
}

struct PageMsg {
    job: Job,
    result: Result<Fetched, FetchError>,
    extracted: Option<Extracted>,
}

struct Coordinator<'a> {
    config: &'a Config,
    sources: &'a [Source],
    store: Store,
    archive: archive::ArchiveWriter,
    client: reqwest::Client,
    rt: tokio::runtime::Handle,
    observer: Arc<dyn Observer>,
    wake: std_mpsc::Sender<()>,
    hosts: HashMap<String, Host>,
    order: Vec<String>,
    in_flight: usize,
    queued: usize,
    budget_used: Vec<u64>,
    stats: Vec<SourceStats>,
    tx: std_mpsc::Sender<Msg>,
    rx: std_mpsc::Receiver<Msg>,
}

impl<'a> Coordinator<'a> {
    fn new(
        config: &'a Config,
        sources: &'a [Source],
        client: reqwest::Client,
        rt: tokio::runtime::Handle,
        observer: Arc<dyn Observer>,
        wake: std_mpsc::Sender<()>,
    ) -> anyhow::Result<Self> {
        let store = Store::open(&config.db_path())?;
        let archive = archive::ArchiveWriter::new(&config.archive_path())?;
        let (tx, rx) = std_mpsc::channel();
        let mut c = Coordinator {
            config,
            sources,
            store,
            archive,
            client,
            rt,
            observer,
            wake,
            hosts: HashMap::new(),
            order: Vec::new(),
            in_flight: 0,
            queued: 0,
            budget_used: vec![0; sources.len()],
            stats: vec![SourceStats::default(); sources.len()],
            tx,
            rx,
        };
        let now = Utc::now().timestamp();
        for (i, s) in sources.iter().enumerate() {
            c.store.requeue_due_lists(&s.name, now)?;
            for u in &s.start {
                c.store.seed(&s.name, u.as_str(), &urlkey::key(u))?;
            }
            for q in c.store.queued(&s.name)? {
                c.push(i, q);
            }
        }
        Ok(c)
    }

    fn push(&mut self, source: usize, q: QueuedUrl) {
        let Ok(url) = Url::parse(&q.url) else { return };
        let host = host_key(&url);
        if !self.hosts.contains_key(&host) {
            self.order.push(host.clone());
        }
        let delay = self.config.crawl.per_host_delay;
        let h = self.hosts.entry(host).or_insert_with(|| Host {
            queue: VecDeque::new(),
            in_flight: 0,
            next_at: Instant::now(),
            delay,
            robots: RobotsState::Unknown,
        });
        // List pages go first: they discover the articles.
        if q.kind == UrlKind::List {
            h.queue.push_front(Job { q, url, source });
        } else {
            h.queue.push_back(Job { q, url, source });
        }
        self.queued += 1;
    }

    fn run(&mut self) -> anyhow::Result<CrawlReport> {
        let started = Utc::now().to_rfc3339();
        loop {
            self.dispatch()?;
            if self.in_flight == 0 && self.hosts.values().all(|h| h.queue.is_empty()) {
                break;
            }
            let wait = self.next_wake();
            match self.rx.recv_timeout(wait) {
                Ok(msg) => {
                    self.handle(msg)?;
                    while let Ok(msg) = self.rx.try_recv() {
                        self.handle(msg)?;
                    }
                }
                Err(std_mpsc::RecvTimeoutError::Timeout) => {}
                Err(std_mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let finished = Utc::now().to_rfc3339();
        let mut report = CrawlReport::default();
        for (s, st) in self.sources.iter().zip(&self.stats) {
            self.store.record_crawl_run(&s.name, &started, &finished, &serde_json::to_string(st)?)?;
            report.sources.insert(s.name.clone(), st.clone());
        }
        Ok(report)
    }

    /// Time until some host may be asked again (bounded so budgets and shutdown are rechecked).
    fn next_wake(&self) -> Duration {
        if self.in_flight >= self.config.crawl.concurrency {
            // Nothing can start before a fetch completes, and a completion wakes us.
            return Duration::from_secs(1);
        }
        let now = Instant::now();
        self.hosts
            .values()
            .filter(|h| !h.queue.is_empty() && h.in_flight < self.config.crawl.per_host_concurrency)
            .map(|h| h.next_at.saturating_duration_since(now))
            .min()
            .unwrap_or(Duration::from_secs(1))
            .clamp(Duration::from_millis(1), Duration::from_secs(1))
    }

    fn dispatch(&mut self) -> anyhow::Result<()> {
        let conc = self.config.crawl.concurrency;
        let per_host = self.config.crawl.per_host_concurrency;
        let mut robots_jobs: Vec<(String, Url)> = Vec::new();
        let mut fetch_jobs: Vec<Job> = Vec::new();
        for host_name in &self.order {
            if self.in_flight >= conc {
                break;
            }
            let now = Instant::now();
            let Some(h) = self.hosts.get_mut(host_name) else { continue };
            let Some(first) = h.queue.front() else { continue };
            match &h.robots {
                RobotsState::Pending => continue,
                RobotsState::Unknown => {
                    let mut robots_url = first.url.clone();
                    robots_url.set_path("/robots.txt");
                    robots_url.set_query(None);
                    robots_url.set_fragment(None);
                    h.robots = RobotsState::Pending;
                    h.in_flight += 1;
                    self.in_flight += 1;
                    robots_jobs.push((host_name.clone(), robots_url));
                    continue;
                }
                RobotsState::Ready(_) => {}
            }
            while h.in_flight < per_host && h.next_at <= now && self.in_flight < conc {
                let Some(job) = h.queue.pop_front() else { break };
                self.queued -= 1;
                let RobotsState::Ready(robots) = &h.robots else { break };
                if !robots.allowed(job.url.as_str()) {
                    self.stats[job.source].robots_disallowed += 1;
                    let reason = match robots {
                        Robots::DisallowAll(why) => why.clone(),
                        _ => "disallowed by robots.txt".to_string(),
                    };
                    let rec = record(&job.q, UrlState::Blocked, None, None, Some(reason));
                    self.store.finish_fetch(&self.sources[job.source].name, &rec, None, &[])?;
                    continue;
                }
                if self.budget_used[job.source] >= self.sources[job.source].max_pages {
                    // Left queued in the store: the next crawl continues with it.
                    self.stats[job.source].over_budget += 1;
                    continue;
                }
                self.budget_used[job.source] += 1;
                h.in_flight += 1;
                h.next_at = now + jitter(h.delay);
                self.in_flight += 1;
                fetch_jobs.push(job);
            }
        }
        for (host, url) in robots_jobs {
            self.spawn_robots(host, url);
        }
        for job in fetch_jobs {
            self.spawn_fetch(job);
        }
        Ok(())
    }

    fn spawn_robots(&self, host: String, url: Url) {
        let client = self.client.clone();
        let tx = self.tx.clone();
        let ua = self.config.user_agent.clone();
        let max = self.config.crawl.max_body.min(512 * 1024);
        let guard = !self.config.crawl.allow_private_addresses;
        self.rt.spawn(async move {
            let robots = match fetch::fetch(&client, &url, None, None, max, guard).await {
                Ok(f) => Robots::from_response(&ua, f.status, &f.body),
                // A refused address: the page fetches will be refused (and reported) the same way.
                Err(e) if !e.is_transient() => Robots::AllowAll,
                Err(e) => Robots::DisallowAll(format!("robots.txt unreachable: {e}")),
            };
            let _ = tx.send(Msg::Robots { host, robots });
        });
    }

    fn spawn_fetch(&self, job: Job) {
        let client = self.client.clone();
        let tx = self.tx.clone();
        let max = self.config.crawl.max_body;
        let guard = !self.config.crawl.allow_private_addresses;
        let overrides = self.sources[job.source].extract.clone();
        self.rt.spawn(async move {
            let (etag, lm) = (job.q.etag.as_deref(), job.q.last_modified.as_deref());
            let result = fetch::fetch(&client, &job.url, etag, lm, max, guard).await;
            let extracted = match &result {
                Ok(f) if f.status == 200 && is_html(f.content_type.as_deref(), &f.body) => {
                    let f = f.clone();
                    tokio::task::spawn_blocking(move || {
                        let resp = extract::Response {
                            url: &f.final_url,
                            content_type: f.content_type.as_deref(),
                            body: &f.body,
                        };
                        extract::extract_with(&resp, &overrides)
                    })
                    .await
                    .ok()
                }
                _ => None,
            };
            let _ = tx.send(Msg::Page(Box::new(PageMsg { job, result, extracted })));
        });
    }

    fn handle(&mut self, msg: Msg) -> anyhow::Result<()> {
        match msg {
            Msg::Robots { host, robots } => {
                self.in_flight -= 1;
                if let Some(h) = self.hosts.get_mut(&host) {
                    h.in_flight -= 1;
                    if let Some(d) = robots.crawl_delay() {
                        if d > MAX_CRAWL_DELAY {
                            for j in &h.queue {
                                self.stats[j.source].crawl_delay_capped_from = Some(d.as_secs());
                            }
                        }
                        h.delay = h.delay.max(d.min(MAX_CRAWL_DELAY));
                    }
                    h.robots = RobotsState::Ready(robots);
                }
                Ok(())
            }
            Msg::Page(page) => {
                let PageMsg { job, result, extracted } = *page;
                self.in_flight -= 1;
                if let Some(h) = self.hosts.get_mut(&host_key(&job.url)) {
                    h.in_flight -= 1;
                }
                let status = result.as_ref().ok().map(|f| f.status);
                let url = job.url.to_string();
                self.page_done(job, result, extracted)?;
                self.observer.fetched(&url, status, self.queued);
                Ok(())
            }
        }
    }

    fn page_done(
        &mut self,
        mut job: Job,
        result: Result<Fetched, FetchError>,
        extracted: Option<Extracted>,
    ) -> anyhow::Result<()> {
        let si = job.source;
        let source = &self.sources[si];
        let attempts = job.q.attempts + 1;
        let f = match result {
            Ok(f) => f,
            Err(e) if !e.is_transient() => {
                job.q.attempts = MAX_ATTEMPTS;
                return self.retry_or_fail(job, e.kind().to_string(), e.to_string(), None);
            }
            Err(e) => return self.retry_or_fail(job, e.kind().to_string(), e.to_string(), None),
        };
        self.stats[si].fetched += 1;
        // Archive before the outcome commits: every committed fetch has its copy.
        let warc = if f.status == 304 {
            None
        } else {
            let r = self.archive.write_response(
                f.final_url.as_str(),
                Utc::now(),
                f.status,
                &f.headers,
                &f.body,
            )?;
            Some(r.to_string_ref())
        };
        if matches!(f.status, 429 | 503) || f.status >= 500 {
            let kind = format!("http_{}", f.status);
            return self.retry_or_fail(job, kind.clone(), format!("HTTP {}", f.status), f.retry_after);
        }
        let mut rec = record(&job.q, UrlState::Done, Some(f.status), Some(f.final_url.to_string()), None);
        rec.warc = warc;
        if f.truncated {
            // Kept and processed (the start of a page is usually its content), but flagged.
            self.stats[si].truncated += 1;
            rec.error = Some(format!("body cut at {} bytes", self.config.crawl.max_body));
        }
        rec.attempts = attempts;
        rec.etag = f.etag.clone();
        rec.last_modified = f.last_modified.clone();
        if job.q.kind == UrlKind::List {
            rec.next_fetch_at = Some(Utc::now().timestamp() + source.recrawl.as_secs() as i64);
        }
        if !f.final_url.as_str().starts_with(&source.scope) {
            self.stats[si].out_of_scope += 1;
            rec.state = UrlState::Blocked;
            rec.error = Some(format!("redirected out of scope to {}", f.final_url));
            self.store.finish_fetch(&source.name, &rec, None, &[])?;
            return Ok(());
        }
        if f.status == 304 {
            self.stats[si].not_modified += 1;
            self.store.finish_fetch(&source.name, &rec, None, &[])?;
            return Ok(());
        }
        if f.status != 200 {
            let kind = format!("http_{}", f.status);
            *self.stats[si].errors.entry(kind).or_default() += 1;
            rec.state = UrlState::Failed;
            rec.error = Some(format!("HTTP {}", f.status));
            self.store.finish_fetch(&source.name, &rec, None, &[])?;
            return Ok(());
        }
        let Some(ex) = extracted else {
            *self.stats[si].errors.entry("not_html".into()).or_default() += 1;
            rec.error = Some(format!("not an HTML page ({})", f.content_type.unwrap_or_default()));
            self.store.finish_fetch(&source.name, &rec, None, &[])?;
            return Ok(());
        };
        match job.q.kind {
            UrlKind::List => {
                self.stats[si].list_pages += 1;
                let crawl = &self.config.crawl;
                let mut trap_links = ex.links.len().saturating_sub(crawl.max_outlinks) as u64;
                let links: Vec<NewLink> = ex
                    .links
                    .iter()
                    .take(crawl.max_outlinks)
                    .filter(|l| {
                        let trap = looks_like_trap(&l.url, crawl.max_url_length);
                        trap_links += u64::from(trap);
                        !trap
                    })
                    .filter_map(|l| {
                        let (kind, depth) =
                            classify_link(source, job.q.depth, &l.url, self.config.crawl.max_depth)?;
                        Some(NewLink { url: l.url.to_string(), key: urlkey::key(&l.url), kind, depth })
                    })
                    .collect();
                self.stats[si].trap_links += trap_links;
                let name = source.name.clone();
                for q in self.store.finish_fetch(&name, &rec, None, &links)? {
                    self.push(si, q);
                }
            }
            UrlKind::Article => {
                let doc = make_document(source, &f.final_url, ex, Utc::now().fixed_offset());
                self.store.finish_fetch(&source.name, &rec, Some(&doc), &[])?;
                self.stats[si].documents += 1;
                let _ = self.wake.send(());
            }
        }
        Ok(())
    }

    fn retry_or_fail(
        &mut self,
        mut job: Job,
        kind: String,
        error: String,
        retry_after: Option<Duration>,
    ) -> anyhow::Result<()> {
        let si = job.source;
        job.q.attempts += 1;
        if job.q.attempts < MAX_ATTEMPTS {
            self.stats[si].retries += 1;
            // Exponential back-off for the whole host: 2 s, 4 s, ... unless the server said when.
            let backoff =
                retry_after.unwrap_or(Duration::from_secs(1 << job.q.attempts)).min(Duration::from_secs(300));
            let host = host_key(&job.url);
            if let Some(h) = self.hosts.get_mut(&host) {
                h.next_at = h.next_at.max(Instant::now() + backoff);
                h.queue.push_back(job);
                self.queued += 1;
            }
            return Ok(());
        }
        *self.stats[si].errors.entry(kind).or_default() += 1;
        let mut rec = record(&job.q, UrlState::Failed, None, None, Some(error));
        rec.attempts = job.q.attempts;
        self.store.finish_fetch(&self.sources[si].name, &rec, None, &[])?;
        Ok(())
    }
}

fn record(
    q: &QueuedUrl,
    state: UrlState,
    status: Option<u16>,
    final_url: Option<String>,
    error: Option<String>,
) -> FetchRecord {
    FetchRecord {
        id: q.id,
        state,
        status,
        final_url,
        etag: None,
        last_modified: None,
        next_fetch_at: None,
        error,
        attempts: q.attempts,
        warc: None,
    }
}

/// The document an article page becomes.
pub fn make_document(
    source: &Source,
    final_url: &Url,
    ex: Extracted,
    fetched_at: chrono::DateTime<chrono::FixedOffset>,
) -> Document {
    Document {
        id: doc_id(&urlkey::key(final_url)),
        url: final_url.to_string(),
        source: source.name.clone(),
        title: ex.title,
        body: ex.body,
        published: ex.published,
        issuer: ex.issuer,
        lang: ex.lang,
        encoding: ex.encoding,
        region: source.region.clone(),
        fetched_at,
    }
}

/// Fetches one URL with the configured client, limits and address guard (for `cluewatch extract`).
pub async fn fetch_one(config: &Config, url: &Url) -> anyhow::Result<Fetched> {
    let client = fetch::client(config)?;
    let guard = !config.crawl.allow_private_addresses;
    Ok(fetch::fetch(&client, url, None, None, config.crawl.max_body, guard).await?)
}

/// What a link found on a list page of `source` at `depth` is: an article, another list page
/// (pagination), or nothing to follow (`None`: out of scope, or too deep).
pub fn classify_link(source: &Source, depth: u32, link: &Url, max_depth: u32) -> Option<(UrlKind, u32)> {
    let s = link.as_str();
    if !s.starts_with(&source.scope) {
        return None;
    }
    if source.article.as_ref().is_some_and(|re| re.is_match(s)) {
        return Some((UrlKind::Article, depth));
    }
    if source.pagination.is_match(s) {
        return (depth < max_depth).then_some((UrlKind::List, depth + 1));
    }
    source.article.is_none().then_some((UrlKind::Article, depth))
}

/// A URL a crawler should not follow: longer than `max_len`, or a path in which one segment
/// occurs three times or more (calendars and relative-link loops: /next/next/next/, /a/b/a/b/a/).
pub fn looks_like_trap(url: &Url, max_len: usize) -> bool {
    if url.as_str().len() > max_len {
        return true;
    }
    let mut counts: HashMap<&str, u32> = HashMap::new();
    url.path_segments().into_iter().flatten().filter(|s| !s.is_empty()).any(|seg| {
        let c = counts.entry(seg).or_default();
        *c += 1;
        *c >= 3
    })
}

fn host_key(url: &Url) -> String {
    format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0))
}

/// The delay varied by ±25 %, so requests to one host do not tick like a clock.
fn jitter(d: Duration) -> Duration {
    if d.is_zero() {
        return d;
    }
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |t| t.subsec_nanos());
    let factor = 0.75 + f64::from(nanos % 1000) / 2000.0;
    d.mul_f64(factor)
}

fn is_html(content_type: Option<&str>, body: &[u8]) -> bool {
    match content_type {
        Some(ct) => {
            let ct = ct.to_ascii_lowercase();
            ct.contains("html") || ct.contains("xml") || ct.starts_with("text/")
        }
        None => {
            let head = &body[..body.len().min(512)];
            head.windows(5).any(|w| w.eq_ignore_ascii_case(b"<html"))
                || head.windows(5).any(|w| w.eq_ignore_ascii_case(b"<!doc"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use std::path::Path;

    #[test]
    fn links_are_classified_by_scope_article_and_pagination() {
        let c = Config::from_toml(
            "user_agent='t'\n[[source]]\nname='s'\nstart=['http://h/hbj/index.html']\narticle='/t\\d{8}_\\d+\\.html$'\n",
            Path::new("."),
            &Overrides::default(),
        )
        .unwrap();
        let s = &c.sources[0];
        let u = |x: &str| Url::parse(x).unwrap();
        assert_eq!(
            classify_link(s, 0, &u("http://h/hbj/202403/t20240318_7.html"), 5),
            Some((UrlKind::Article, 0))
        );
        assert_eq!(classify_link(s, 0, &u("http://h/hbj/index_1.html"), 5), Some((UrlKind::List, 1)));
        assert_eq!(classify_link(s, 5, &u("http://h/hbj/index_9.html"), 5), None);
        assert_eq!(classify_link(s, 0, &u("http://h/other/t20240318_7.html"), 5), None);
        assert_eq!(classify_link(s, 0, &u("http://h/hbj/about.html"), 5), None);
    }

    #[test]
    fn traps_are_recognised() {
        let u = |x: &str| Url::parse(x).unwrap();
        assert!(looks_like_trap(&u("http://h/rili/2024/next/next/next/"), 2048));
        assert!(looks_like_trap(&u("http://h/a/b/a/b/a/x.html"), 2048));
        assert!(looks_like_trap(&u(&format!("http://h/{}", "x".repeat(100))), 50));
        assert!(!looks_like_trap(&u("http://h/hbj/xzcf/202403/t20240318_1.html"), 2048));
        assert!(!looks_like_trap(&u("http://h/news/news/index.html"), 2048));
    }

    #[test]
    fn jitter_stays_within_a_quarter() {
        for _ in 0..50 {
            let j = jitter(Duration::from_millis(1000));
            assert!(j >= Duration::from_millis(750) && j <= Duration::from_millis(1250));
        }
    }
}
