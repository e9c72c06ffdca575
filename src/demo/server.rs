//! A small static HTTP/1.1 server for the demo site and the tests' fixture sites.
//!
//! It serves a fixed map of paths to responses on a loopback listener, answers conditional GETs
//! (`If-None-Match`) with 304, and counts requests per path so tests can check that a crawl
//! fetched each page once. One request per connection (`Connection: close`): simple and enough.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One response of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` header (`None` sends none).
    pub content_type: Option<String>,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Page {
    /// A 200 response.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Page {
        Page {
            status: 200,
            content_type: Some(content_type.to_string()),
            headers: Vec::new(),
            body: body.into(),
        }
    }
}

/// A site: path (with query, as requested) → response.
pub type Site = HashMap<String, Page>;

/// A running server.
#[derive(Clone)]
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    hits: Arc<Mutex<HashMap<String, u32>>>,
}

impl Server {
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests received for `path`.
    pub fn hits(&self, path: &str) -> u32 {
        self.hits.lock().map(|h| h.get(path).copied().unwrap_or(0)).unwrap_or(0)
    }

    /// Requests received per path.
    pub fn all_hits(&self) -> HashMap<String, u32> {
        self.hits.lock().map(|h| h.clone()).unwrap_or_default()
    }
}

/// Serves `site` on `listener` until the runtime stops.
pub fn serve(site: Site, listener: TcpListener) -> std::io::Result<Server> {
    let addr = listener.local_addr()?;
    let hits = Arc::new(Mutex::new(HashMap::new()));
    let site = Arc::new(site);
    let server = Server { addr, hits: hits.clone() };
    tokio::spawn(async move {
        loop {
            let Ok((mut conn, _)) = listener.accept().await else { continue };
            let site = site.clone();
            let hits = hits.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(1024);
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
                    match conn.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let if_none_match = head
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("If-None-Match:").or_else(|| l.strip_prefix("if-none-match:"))
                    })
                    .map(|v| v.trim().to_string());
                if let Ok(mut h) = hits.lock() {
                    *h.entry(path.clone()).or_default() += 1;
                }
                let not_found = Page {
                    status: 404,
                    content_type: Some("text/html; charset=utf-8".into()),
                    headers: vec![],
                    body: b"<html><body><h1>404</h1></body></html>".to_vec(),
                };
                let page = site.get(&path).unwrap_or(&not_found);
                let etag = format!("\"{:x}\"", fxhash(&page.body));
                let (status, body): (u16, &[u8]) =
                    if page.status == 200 && if_none_match.as_deref() == Some(etag.as_str()) {
                        (304, b"")
                    } else {
                        (page.status, &page.body)
                    };
                let mut out = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                    reason(status),
                    body.len()
                );
                if let Some(ct) = &page.content_type {
                    out += &format!("Content-Type: {ct}\r\n");
                }
                if page.status == 200 {
                    out += &format!("ETag: {etag}\r\n");
                }
                for (k, v) in &page.headers {
                    out += &format!("{k}: {v}\r\n");
                }
                out += "\r\n";
                let _ = conn.write_all(out.as_bytes()).await;
                let _ = conn.write_all(body).await;
                let _ = conn.shutdown().await;
            });
        }
    });
    Ok(server)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A fast, stable (not cryptographic) hash for ETags.
fn fxhash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
