//! One HTTP fetch: reqwest with timeouts, a body-size cap and conditional GET.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
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
    /// Every response header, in order (for the archive).
    pub headers: Vec<(String, String)>,
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
    /// The address is private, loopback or link-local and such addresses are not allowed.
    #[error("{0}")]
    Refused(String),
}

impl FetchError {
    /// A short stable name for reports.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Timeout => "timeout",
            FetchError::Network(_) => "network",
            FetchError::Refused(_) => "ssrf_refused",
        }
    }

    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        !matches!(self, FetchError::Refused(_))
    }
}

const SSRF: &str = "SSRF guard";

/// Whether `ip` is an address on the public internet (not private, loopback, link-local,
/// shared, documentation, multicast or unspecified).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xC0) == 64))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80)
        }
    }
}

/// Refuses a URL whose host is a literal non-public IP address (names are checked after DNS
/// resolution by [`GuardedResolver`]).
fn check_literal(url: &Url) -> Result<(), String> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(a)) => IpAddr::V4(a),
        Some(url::Host::Ipv6(a)) => IpAddr::V6(a),
        _ => return Ok(()),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err(format!(
            "{SSRF}: {ip} is not a public address (set crawl.allow_private_addresses only for tests)"
        ))
    }
}

/// DNS resolution that drops non-public addresses, so neither a start URL nor a redirect can
/// reach the machine's own network through a name.
struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = addrs.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                let msg = format!("{SSRF}: {host} resolves only to non-public addresses");
                return Err(msg.into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The HTTP client shared by every fetch of a crawl.
/// Unless `crawl.allow_private_addresses` is set, it refuses non-public addresses: literal IPs in
/// the URL and in every redirect, and names after DNS resolution.
pub fn client(config: &Config) -> anyhow::Result<reqwest::Client> {
    let guard = !config.crawl.allow_private_addresses;
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= 10 {
            return attempt.error("more than 10 redirects");
        }
        if guard && let Err(e) = check_literal(attempt.url()) {
            return attempt.error(e);
        }
        attempt.follow()
    });
    let mut b = reqwest::Client::builder()
        .user_agent(&config.user_agent)
        .connect_timeout(config.crawl.connect_timeout)
        .timeout(config.crawl.timeout)
        .redirect(redirects)
        .pool_max_idle_per_host(config.crawl.per_host_concurrency.max(1) * 2);
    if guard {
        b = b.dns_resolver(Arc::new(GuardedResolver));
    }
    Ok(b.build()?)
}

/// Fetches `url`, sending the validators of an earlier fetch, reading at most `max_body` bytes.
pub async fn fetch(
    client: &reqwest::Client,
    url: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
    max_body: u64,
    guard: bool,
) -> Result<Fetched, FetchError> {
    if guard {
        check_literal(url).map_err(FetchError::Refused)?;
    }
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
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
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
    Ok(Fetched {
        status,
        final_url,
        content_type,
        etag,
        last_modified,
        retry_after,
        body,
        truncated,
        headers,
    })
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
    if msg.contains(SSRF) { FetchError::Refused(msg) } else { FetchError::Network(msg) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_not_public() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(a.parse().unwrap()), "{a}");
        }
        for a in ["1.1.1.1", "202.108.22.5", "2001:4860:4860::8888"] {
            assert!(is_public(a.parse().unwrap()), "{a}");
        }
        assert!(check_literal(&Url::parse("http://127.0.0.1:8080/x").unwrap()).is_err());
        assert!(check_literal(&Url::parse("http://[::1]/x").unwrap()).is_err());
        assert!(check_literal(&Url::parse("http://example.gov.cn/x").unwrap()).is_ok());
    }
}
