//! One HTTP fetch: reqwest with timeouts, a body-size cap and conditional GET.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER};
use url::Url;

use crate::config::Config;

/// A response, read up to the body cap.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// HTTP status.
    pub status: u16,
    /// URL after redirects.
    pub final_url: Url,
    /// `Content-Type` header.
    pub content_type: Option<String>,
    /// `ETag` header.
    pub etag: Option<String>,
    /// `Last-Modified` header.
    pub last_modified: Option<String>,
    /// `Retry-After` in seconds, when given as a number.
    pub retry_after: Option<Duration>,
    /// The body (at most `max_body` bytes).
    pub body: Vec<u8>,
    /// The body was longer than `max_body` and was cut.
    pub truncated: bool,
}

/// Why a fetch produced no response.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Connect or total timeout.
    #[error("timed out")]
    Timeout,
    /// Connection refused, reset, DNS failure, TLS error, too many redirects.
    #[error("{0}")]
    Network(String),
}

impl FetchError {
    /// A short stable name for reports.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Timeout => "timeout",
            FetchError::Network(_) => "network",
        }
    }
}

/// The HTTP client shared by every fetch of a crawl.
pub fn client(config: &Config) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .user_agent(&config.user_agent)
        .connect_timeout(config.crawl.connect_timeout)
        .timeout(config.crawl.timeout)
        .redirect(reqwest::redirect::Policy::limited(10))
        .pool_max_idle_per_host(config.crawl.per_host_concurrency.max(1) * 2)
        .build()?)
}

/// Fetches `url`, sending the validators of an earlier fetch, reading at most `max_body` bytes.
pub async fn fetch(
    client: &reqwest::Client,
    url: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
    max_body: u64,
) -> Result<Fetched, FetchError> {
    let mut req = client.get(url.clone());
    if let Some(e) = etag {
        req = req.header(IF_NONE_MATCH, e);
    }
    if let Some(lm) = last_modified {
        req = req.header(IF_MODIFIED_SINCE, lm);
    }
    let mut resp = req.send().await.map_err(classify)?;
    let header = |name| {
        resp.headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header(CONTENT_TYPE);
    let etag = header(ETAG);
    let last_modified = header(LAST_MODIFIED);
    let retry_after = header(RETRY_AFTER).and_then(|v| v.trim().parse::<u64>().ok()).map(Duration::from_secs);
    let status = resp.status().as_u16();
    let final_url = resp.url().clone();
    let mut body = Vec::new();
    let mut truncated = false;
    while let Some(chunk) = resp.chunk().await.map_err(classify)? {
        let room = max_body.saturating_sub(body.len() as u64) as usize;
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            truncated = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched { status, final_url, content_type, etag, last_modified, retry_after, body, truncated })
}

fn classify(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        return FetchError::Timeout;
    }
    // The chain holds the useful part ("connection refused"); reqwest's own text is generic.
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg = format!("{msg}: {s}");
        src = s.source();
    }
    FetchError::Network(msg)
}
