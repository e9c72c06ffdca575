//! The search index: Tantivy on disk under `<data_dir>/tantivy`.
//!
//! Owns the schema, the analyzers ([`analyzer`]), the one `IndexWriter` of the process
//! ([`Writer`]) and searching ([`search`]). Nothing else in the program uses tantivy.
//!
//! Invariants: documents are keyed by their id and written as upserts (delete by id, then add), so
//! processing a document twice leaves one copy. The analyzer version is stored beside the index;
//! opening an index built with other analyzers is refused with a hint to reindex.

pub mod analyzer;
pub mod search;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::document::Document;

pub use search::{Hit, SearchOptions, SearchResults};

/// Version of the schema; bump when fields change.
pub const SCHEMA_VERSION: u32 = 1;

const META_FILE: &str = "cluewatch-index.json";

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Document id (exact).
    pub id: Field,
    /// URL (exact, stored).
    pub url: Field,
    /// Source name (exact, stored, fast).
    pub source: Field,
    /// Title, jieba words.
    pub title: Field,
    /// Body, jieba words.
    pub body: Field,
    /// Title, CJK bigrams.
    pub title_bi: Field,
    /// Body, CJK bigrams.
    pub body_bi: Field,
    /// Publish time.
    pub published: Field,
    /// Issuer (stored).
    pub issuer: Field,
    /// Language code (exact, stored).
    pub lang: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str, stored: bool| {
        let idx = TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let o = TextOptions::default().set_indexing_options(idx);
        if stored { o.set_stored() } else { o }
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        url: b.add_text_field("url", STRING | STORED),
        source: b.add_text_field("source", STRING | STORED | FAST),
        title: b.add_text_field("title", text(analyzer::ZH, true)),
        body: b.add_text_field("body", text(analyzer::ZH, true)),
        title_bi: b.add_text_field("title_bi", text(analyzer::BIGRAM, false)),
        body_bi: b.add_text_field("body_bi", text(analyzer::BIGRAM, false)),
        published: b.add_date_field("published", INDEXED | STORED | FAST),
        issuer: b.add_text_field("issuer", STORED),
        lang: b.add_text_field("lang", STRING | STORED),
    };
    (b.build(), fields)
}

/// The on-disk search index.
#[derive(Clone)]
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    path: PathBuf,
}

impl SearchIndex {
    /// Opens the index at `path`, creating it when absent.
    pub fn open(path: &Path) -> anyhow::Result<SearchIndex> {
        std::fs::create_dir_all(path)
            .with_context(|| format!("cannot create index directory {}", path.display()))?;
        let (schema, fields) = schema();
        let meta_path = path.join(META_FILE);
        let expected = meta_json();
        let index = if path.join("meta.json").exists() {
            let found = std::fs::read_to_string(&meta_path).unwrap_or_default();
            if found.trim() != expected.trim() {
                bail!(
                    "the index at {} was built by another version of cluewatch's schema or analyzers \
                     ({}); run `cluewatch reindex` to rebuild it",
                    path.display(),
                    if found.is_empty() {
                        "no version recorded".to_string()
                    } else {
                        found.trim().to_string()
                    }
                );
            }
            Index::open_in_dir(path).with_context(|| format!("cannot open index {}", path.display()))?
        } else {
            let index = Index::create_in_dir(path, schema)
                .with_context(|| format!("cannot create index {}", path.display()))?;
            std::fs::write(&meta_path, &expected)?;
            index
        };
        index.tokenizers().register(analyzer::ZH, analyzer::zh_analyzer());
        index.tokenizers().register(analyzer::BIGRAM, analyzer::bigram_analyzer());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex { index, reader, fields, path: path.to_path_buf() })
    }

    /// Opens the index for writing. Tantivy allows one writer per index (a lock file enforces it).
    pub fn writer(&self) -> anyhow::Result<Writer> {
        // 20 MB per thread, one or two threads: the machines this runs on are small, and ingest
        // commits every second or so anyway, so a larger arena would only raise peak memory.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(2);
        let writer =
            self.index.writer_with_num_threads(threads, 20_000_000 * threads).with_context(|| {
                format!(
                    "cannot lock the index at {} for writing (is another cluewatch running?)",
                    self.path.display()
                )
            })?;
        Ok(Writer { writer, fields: self.fields, index: self.clone() })
    }

    /// Number of documents visible to searches.
    pub fn num_docs(&self) -> anyhow::Result<u64> {
        self.reader.reload()?;
        Ok(self.reader.searcher().num_docs())
    }
}

fn meta_json() -> String {
    format!(
        "{{\"schema_version\": {SCHEMA_VERSION}, \"analyzer_version\": {}}}\n",
        analyzer::ANALYZER_VERSION
    )
}

/// The index writer: upserts documents, commits in batches.
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
    index: SearchIndex,
}

impl Writer {
    /// Adds `doc`, replacing any earlier copy with the same id. Visible after [`Writer::commit`].
    pub fn upsert(&mut self, doc: &Document) -> anyhow::Result<()> {
        let f = &self.fields;
        self.writer.delete_term(Term::from_field_text(f.id, &doc.id));
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &doc.id);
        d.add_text(f.url, &doc.url);
        d.add_text(f.source, &doc.source);
        d.add_text(f.title, &doc.title);
        d.add_text(f.body, &doc.body);
        d.add_text(f.title_bi, &doc.title);
        d.add_text(f.body_bi, &doc.body);
        if let Some(p) = doc.published {
            d.add_date(f.published, DateTime::from_timestamp_secs(p.timestamp()));
        }
        if let Some(i) = &doc.issuer {
            d.add_text(f.issuer, i);
        }
        d.add_text(f.lang, &doc.lang);
        self.writer.add_document(d)?;
        Ok(())
    }

    /// Makes every upsert so far durable and visible to searches.
    pub fn commit(&mut self) -> anyhow::Result<()> {
        self.writer.commit().context("index commit failed")?;
        self.index.reader.reload()?;
        Ok(())
    }
}
