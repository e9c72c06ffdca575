//! Ingest: the step after fetching. Takes documents waiting in the store, writes them to the
//! index, runs the rules over them and records matches and leads.
//!
//! The same path serves crawled pages, `cluewatch import` and re-processing after a crash: a
//! document is `pending` in the store until its index commit and its leads are recorded, and
//! every step is idempotent (index upsert by id; one lead per document).
//! Runs synchronously; callers run it on a thread of its own, off the async runtime.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use serde::Serialize;

use crate::config::{Authority, Config};
use crate::index::Writer;
use crate::leads;
use crate::rules::{DocText, RuleSet};
use crate::store::Store;
use crate::store::leads::LeadOutcome;

/// Most documents per index commit.
pub const BATCH: usize = 2000;

/// What an ingest pass did.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct IngestStats {
    /// Documents indexed.
    pub documents: u64,
    /// Documents on which at least one rule fired.
    pub matched: u64,
    /// New leads.
    pub leads_created: u64,
    /// Documents that joined an existing lead (reprints).
    pub leads_joined: u64,
}

impl IngestStats {
    fn add(&mut self, o: IngestStats) {
        self.documents += o.documents;
        self.matched += o.matched;
        self.leads_created += o.leads_created;
        self.leads_joined += o.leads_joined;
    }
}

/// The local day (digest day) of now.
pub fn today(config: &Config) -> NaiveDate {
    Utc::now().with_timezone(&config.digest.utc_offset).date_naive()
}

/// Processes every pending document.
pub fn ingest_pending(
    store: &mut Store,
    writer: &mut Writer,
    rules: &RuleSet,
    config: &Config,
) -> anyhow::Result<IngestStats> {
    let mut stats = IngestStats::default();
    loop {
        let batch = store.pending_documents(BATCH)?;
        if batch.is_empty() {
            return Ok(stats);
        }
        for doc in &batch {
            writer.upsert(doc)?;
        }
        // The commit comes before the documents are marked indexed: a crash in between makes
        // them pending again, and the upsert then replaces rather than duplicates them.
        writer.commit()?;
        let day = today(config);
        for doc in &batch {
            let matches = rules.match_doc(&DocText { title: &doc.title, body: &doc.body });
            let authority = config.source(&doc.source).map_or(Authority::Media, |s| s.authority);
            let candidate = leads::candidate(doc, &matches, authority, day);
            let outcome = store.finish_document(&doc.id, &matches, candidate.as_ref())?;
            stats.documents += 1;
            stats.matched += u64::from(!matches.is_empty());
            match outcome {
                LeadOutcome::Created(_) => stats.leads_created += 1,
                LeadOutcome::Joined(_) => stats.leads_joined += 1,
                LeadOutcome::Existing(_) | LeadOutcome::None => {}
            }
        }
    }
}

/// Keeps ingesting while a crawl runs: every [`COMMIT_EVERY`], or as soon as [`BATCH`] documents
/// wait, and once more when `wake` is closed (the crawl ended). Each stored document sends a
/// message on `wake`. Committing rarely matters: every commit makes a segment that Tantivy must
/// later merge, and at one commit per second a long, slow crawl spent most of its CPU merging.
pub fn ingest_until_closed(
    store: &mut Store,
    writer: &mut Writer,
    rules: &RuleSet,
    config: &Config,
    wake: &Receiver<()>,
) -> anyhow::Result<IngestStats> {
    let mut stats = IngestStats::default();
    let mut waiting = 0usize;
    let mut last = std::time::Instant::now();
    loop {
        let closed = match wake.recv_timeout(Duration::from_millis(500)) {
            Ok(()) => {
                waiting += 1;
                while wake.try_recv().is_ok() {
                    waiting += 1;
                }
                false
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => true,
        };
        if closed || waiting >= BATCH || (waiting > 0 && last.elapsed() >= COMMIT_EVERY) {
            stats.add(ingest_pending(store, writer, rules, config)?);
            waiting = 0;
            last = std::time::Instant::now();
        }
        if closed {
            return Ok(stats);
        }
    }
}

/// How long crawled documents may wait for indexing while a crawl runs.
pub const COMMIT_EVERY: Duration = Duration::from_secs(5);

/// Crawls `sources` (all when empty) while a second thread ingests what the crawl stores; returns
/// both reports once the crawl is over and every stored document is indexed.
pub fn crawl_and_ingest(
    rt: &tokio::runtime::Runtime,
    config: std::sync::Arc<Config>,
    rules: std::sync::Arc<RuleSet>,
    sources: Vec<String>,
    observer: std::sync::Arc<dyn crate::crawl::Observer>,
) -> anyhow::Result<(crate::crawl::CrawlReport, IngestStats)> {
    let (wake_tx, wake_rx) = std::sync::mpsc::channel();
    let (cfg, r) = (config.clone(), rules.clone());
    let index = crate::index::SearchIndex::open(&config.index_path())?;
    let mut writer = index.writer()?;
    let ingester = std::thread::Builder::new().name("ingest".into()).spawn(move || {
        let mut store = Store::open(&cfg.db_path())?;
        ingest_until_closed(&mut store, &mut writer, &r, &cfg, &wake_rx)
    })?;
    // The crawl owns `wake_tx`; when it ends (or fails) the channel closes and ingest finishes.
    let crawled = rt.block_on(crate::crawl::run(config, sources, observer, wake_tx));
    let ingested = ingester.join().map_err(|_| anyhow::anyhow!("ingest thread panicked"))?;
    Ok((crawled?, ingested?))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::Overrides;
    use crate::document::Document;
    use crate::index::{SearchIndex, SearchOptions};

    const RULE: &str = "schema = 1\n[rule]\nid = \"env-1\"\nversion = 2\nstatus = \"test\"\ntitle = \"t\"\n\
        category = \"environment\"\nseverity = \"high\"\n[lexicon.act]\nzh = [\"偷排\"]\n\
        [lexicon.pollutant]\nzh = [\"污水\"]\n[match]\ncondition = \"act and pollutant\"\n[score]\nthreshold = 2\n";

    fn doc(id: &str, body: &str) -> Document {
        Document {
            id: id.into(),
            url: format!("http://x.gov.cn/{id}"),
            source: "s".into(),
            title: "通报".into(),
            body: body.into(),
            published: None,
            issuer: None,
            lang: "zh".into(),
            encoding: "GBK".into(),
            region: None,
            fetched_at: chrono::Utc::now().fixed_offset(),
        }
    }

    #[test]
    fn documents_are_processed_once_and_reprints_join_a_lead() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::from_toml(
            "",
            Path::new("."),
            &Overrides { data_dir: Some(dir.path().to_path_buf()), rules_dir: None },
        )
        .unwrap();
        let rules = RuleSet::from_sources(&[(PathBuf::from("r.toml"), RULE.to_string())], &[]).unwrap();
        let mut store = Store::open(&config.db_path()).unwrap();
        let index = SearchIndex::open(&config.index_path()).unwrap();
        let mut writer = index.writer().unwrap();
        store.put_document(&doc("a", "某厂偷排污水。")).unwrap();
        store.put_document(&doc("b", "某厂 偷排污水。")).unwrap(); // a reprint: same text, other layout
        store.put_document(&doc("c", "天气晴。")).unwrap();
        let s = ingest_pending(&mut store, &mut writer, &rules, &config).unwrap();
        assert_eq!(s, IngestStats { documents: 3, matched: 2, leads_created: 1, leads_joined: 1 });
        // Nothing pending: a second pass does nothing; the same document again changes nothing.
        assert_eq!(ingest_pending(&mut store, &mut writer, &rules, &config).unwrap(), IngestStats::default());
        assert!(!store.put_document(&doc("a", "某厂偷排污水。")).unwrap());
        assert_eq!(store.lead_count().unwrap(), 1);
        assert_eq!(index.num_docs().unwrap(), 3);
        let r = index.search("偷排", &SearchOptions::default()).unwrap();
        assert_eq!(r.total, 2);
        let m = store.matches_of("a").unwrap();
        assert_eq!((m[0].rule_id.as_str(), m[0].rule_version), ("env-1", 2));
    }
}

/// What a reindex did.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ReindexStats {
    /// Articles re-extracted from their archived copies.
    pub reextracted: u64,
    /// Articles whose source is no longer configured (their stored text was kept).
    pub kept: u64,
    /// The ingest pass over every document.
    pub ingest: IngestStats,
}

/// Rebuilds the index from the archive, with no network: re-extracts every archived article with
/// today's extractor and source settings, then indexes and matches every document again.
pub fn reindex(config: &Config, rules: &RuleSet) -> anyhow::Result<ReindexStats> {
    let mut store = Store::open(&config.db_path())?;
    let dir = config.archive_path();
    let mut stats = ReindexStats::default();
    for (source_name, warc) in store.archived_articles()? {
        let Some(source) = config.source(&source_name) else {
            stats.kept += 1;
            continue;
        };
        let (file, offset) = warc.rsplit_once('#').context("bad archive reference")?;
        let rec = crate::crawl::archive::read_record(&dir, file, offset.parse()?)?;
        let url = url::Url::parse(&rec.url).with_context(|| format!("archived URL {:?}", rec.url))?;
        let ex = crate::extract::extract_with(
            &crate::extract::Response { url: &url, content_type: rec.content_type(), body: &rec.body },
            &source.extract,
        );
        let fetched_at =
            chrono::DateTime::parse_from_rfc3339(&rec.date).unwrap_or_else(|_| Utc::now().fixed_offset());
        store.put_document(&crate::crawl::make_document(source, &url, ex, fetched_at))?;
        stats.reextracted += 1;
    }
    store.mark_all_pending()?;
    let path = config.index_path();
    if path.exists() {
        std::fs::remove_dir_all(&path)
            .with_context(|| format!("cannot remove the old index {}", path.display()))?;
    }
    let index = crate::index::SearchIndex::open(&path)?;
    let mut writer = index.writer()?;
    stats.ingest = ingest_pending(&mut store, &mut writer, rules, config)?;
    Ok(stats)
}
