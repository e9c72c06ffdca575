//! The archive: every fetched response written to WARC files under `<data_dir>/archive/`, as
//! evidence of what a page said and when, and as the source `cluewatch reindex` rebuilds from.
//!
//! Format: WARC/1.1 `response` records, each compressed as its own gzip member (the usual
//! `.warc.gz` layout, so a reader can seek to a record's offset), with `WARC-Payload-Digest` and
//! `WARC-Block-Digest` as SHA-256. The payload is the body as received after transfer decoding
//! (reqwest undoes gzip/br), so `Content-Encoding` and `Content-Length` are dropped from the
//! stored headers and the length is restated. Files rotate at [`MAX_FILE`] bytes.
//! A record is written and flushed before the fetch's outcome commits to the frontier, so every
//! committed fetch has its archived copy.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

/// Size at which a new archive file is started.
pub const MAX_FILE: u64 = 1 << 30;

/// Where a record is: file name (relative to the archive folder) and byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    /// File name inside the archive folder.
    pub file: String,
    /// Offset of the record's gzip member.
    pub offset: u64,
    /// SHA-256 of the payload (hex).
    pub payload_sha256: String,
}

impl RecordRef {
    /// `file#offset`, as stored in the database.
    pub fn to_string_ref(&self) -> String {
        format!("{}#{}", self.file, self.offset)
    }
}

/// Appends records to the current archive file.
pub struct ArchiveWriter {
    dir: PathBuf,
    file: Option<(String, File, u64)>,
    counter: u64,
}

impl ArchiveWriter {
    /// An archive in `dir` (created when needed).
    pub fn new(dir: &Path) -> anyhow::Result<ArchiveWriter> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create archive folder {}", dir.display()))?;
        Ok(ArchiveWriter { dir: dir.to_path_buf(), file: None, counter: 0 })
    }

    /// Writes one response record and returns where it is.
    pub fn write_response(
        &mut self,
        url: &str,
        fetched_at: DateTime<Utc>,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> anyhow::Result<RecordRef> {
        let mut http = format!(
            "HTTP/1.1 {status} {}\r\n",
            reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("")
        )
        .into_bytes();
        for (k, v) in headers {
            if k.eq_ignore_ascii_case("content-encoding")
                || k.eq_ignore_ascii_case("content-length")
                || k.eq_ignore_ascii_case("transfer-encoding")
            {
                continue;
            }
            http.extend_from_slice(format!("{k}: {}\r\n", v.replace(['\r', '\n'], " ")).as_bytes());
        }
        http.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        let payload_sha256 = hex(&Sha256::digest(body));
        let mut block = Sha256::new();
        block.update(&http);
        block.update(body);
        let block_sha256 = hex(&block.finalize());
        self.counter += 1;
        let id = record_id(url, fetched_at, self.counter);
        let head = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: {}\r\n\
             WARC-Target-URI: {url}\r\nWARC-Payload-Digest: sha256:{payload_sha256}\r\n\
             WARC-Block-Digest: sha256:{block_sha256}\r\nContent-Type: application/http;msgtype=response\r\n\
             Content-Length: {}\r\n\r\n",
            fetched_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            http.len() + body.len()
        );
        let mut gz = GzEncoder::new(Vec::with_capacity(body.len() / 3 + 512), Compression::fast());
        gz.write_all(head.as_bytes())?;
        gz.write_all(&http)?;
        gz.write_all(body)?;
        gz.write_all(b"\r\n\r\n")?;
        let member = gz.finish()?;
        let (name, file, len) = self.current()?;
        let offset = *len;
        file.write_all(&member)?;
        file.flush()?;
        *len += member.len() as u64;
        Ok(RecordRef { file: name.clone(), offset, payload_sha256 })
    }

    fn current(&mut self) -> anyhow::Result<&mut (String, File, u64)> {
        let full = self.file.as_ref().is_some_and(|(_, _, len)| *len >= MAX_FILE);
        if self.file.is_none() || full {
            let name =
                format!("cluewatch-{}-{}.warc.gz", Utc::now().format("%Y%m%d%H%M%S%3f"), std::process::id());
            let path = self.dir.join(&name);
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .with_context(|| format!("cannot open archive file {}", path.display()))?;
            let len = file.metadata()?.len();
            self.file = Some((name, file, len));
        }
        self.file.as_mut().context("archive file")
    }
}

/// One response record read back from the archive.
#[derive(Debug, Clone)]
pub struct Record {
    /// `WARC-Target-URI`.
    pub url: String,
    /// `WARC-Date`.
    pub date: String,
    /// HTTP status.
    pub status: u16,
    /// HTTP headers.
    pub headers: Vec<(String, String)>,
    /// Payload.
    pub body: Vec<u8>,
}

impl Record {
    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.as_str())
    }
}

/// Reads the record at `offset` of `file` in the archive folder `dir`.
pub fn read_record(dir: &Path, file: &str, offset: u64) -> anyhow::Result<Record> {
    let path = dir.join(file);
    let mut f = File::open(&path).with_context(|| format!("cannot open archive file {}", path.display()))?;
    f.seek(SeekFrom::Start(offset))?;
    // One gzip member holds one record; a single-member decoder stops at its end.
    let mut r = BufReader::new(flate2::read::GzDecoder::new(BufReader::new(f)));
    parse_record(&mut r)?.with_context(|| format!("no record at {file}#{offset}"))
}

/// Calls `f` with every record of every archive file in `dir`, oldest file first.
pub fn for_each_record(dir: &Path, mut f: impl FnMut(Record) -> anyhow::Result<()>) -> anyhow::Result<u64> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
            .collect(),
        Err(_) => return Ok(0),
    };
    files.sort();
    let mut n = 0;
    for path in files {
        let file = File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut r = BufReader::new(MultiGzDecoder::new(BufReader::new(file)));
        while let Some(rec) =
            parse_record(&mut r).with_context(|| format!("corrupt archive {}", path.display()))?
        {
            n += 1;
            f(rec)?;
        }
    }
    Ok(n)
}

fn parse_record(r: &mut impl BufRead) -> anyhow::Result<Option<Record>> {
    let mut line = String::new();
    // Skip blank lines between records.
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    anyhow::ensure!(line.starts_with("WARC/"), "not a WARC record: {:?}", line.trim());
    let mut warc = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            warc.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let get = |k: &str| warc.iter().find(|(n, _)| n.eq_ignore_ascii_case(k)).map(|(_, v)| v.clone());
    let len: usize = get("Content-Length").context("record without Content-Length")?.parse()?;
    let mut block = vec![0u8; len];
    r.read_exact(&mut block)?;
    let split = block.windows(4).position(|w| w == b"\r\n\r\n").context("response without header end")?;
    let head = String::from_utf8_lossy(&block[..split]).into_owned();
    let body = block[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status =
        lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect();
    Ok(Some(Record {
        url: get("WARC-Target-URI").unwrap_or_default(),
        date: get("WARC-Date").unwrap_or_default(),
        status,
        headers,
        body,
    }))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A UUID-shaped id derived from the URL, the time and a counter (unique per writer).
fn record_id(url: &str, at: DateTime<Utc>, n: u64) -> String {
    let h = Sha256::digest(format!(
        "{url}\n{}\n{n}\n{}",
        at.timestamp_nanos_opt().unwrap_or(0),
        std::process::id()
    ));
    let x = hex(&h[..16]);
    format!("{}-{}-4{}-a{}-{}", &x[0..8], &x[8..12], &x[13..16], &x[17..20], &x[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_with_digests() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = ArchiveWriter::new(dir.path()).unwrap();
        let (gbk, _, _) = encoding_rs::GBK.encode("<html>偷排污水</html>");
        let headers = vec![
            ("content-type".to_string(), "text/html; charset=GBK".to_string()),
            ("content-encoding".to_string(), "gzip".to_string()),
        ];
        let a = w.write_response("http://h/a.html", Utc::now(), 200, &headers, &gbk).unwrap();
        let b = w.write_response("http://h/b.html", Utc::now(), 404, &[], b"gone").unwrap();
        assert_eq!(a.payload_sha256, hex(&Sha256::digest(&gbk)));
        let rec = read_record(dir.path(), &b.file, b.offset).unwrap();
        assert_eq!(
            (rec.url.as_str(), rec.status, rec.body.as_slice()),
            ("http://h/b.html", 404, &b"gone"[..])
        );
        let rec = read_record(dir.path(), &a.file, a.offset).unwrap();
        assert_eq!(rec.body, gbk.to_vec());
        assert_eq!(rec.content_type(), Some("text/html; charset=GBK"));
        assert!(rec.headers.iter().all(|(k, _)| k != "content-encoding"));
        let mut urls = Vec::new();
        let n = for_each_record(dir.path(), |r| {
            urls.push(r.url);
            Ok(())
        })
        .unwrap();
        assert_eq!((n, urls), (2, vec!["http://h/a.html".to_string(), "http://h/b.html".to_string()]));
    }
}
