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
    /// How the server misbehaves for this path (tests of the crawler's defences).
    pub behavior: Behavior,
}

/// Hostile behaviours a fixture page can have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Behavior {
    /// Answer normally.
    #[default]
    Normal,
    /// Accept the connection, read the request, never answer.
    Hang,
    /// Send the headers and then body bytes forever (no Content-Length).
    Endless,
    /// Answer `429 Too Many Requests` with `Retry-After: 1` to the first N requests, then normally.
    TooManyFirst(u32),
}

impl Page {
    /// A 200 response.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Page {
        Page {
            status: 200,
            content_type: Some(content_type.to_string()),
            headers: Vec::new(),
            body: body.into(),
            behavior: Behavior::Normal,
        }
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Page {
        Page {
            status,
            content_type: None,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
            behavior: Behavior::Normal,
        }
    }

    /// This page with `behavior`.
    pub fn with(mut self, behavior: Behavior) -> Page {
        self.behavior = behavior;
        self
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
                let n = match hits.lock() {
                    Ok(mut h) => {
                        let e = h.entry(path.clone()).or_default();
                        *e += 1;
                        *e
                    }
                    Err(_) => 0,
                };
                let not_found = Page {
                    status: 404,
                    content_type: Some("text/html; charset=utf-8".into()),
                    headers: vec![],
                    body: b"<html><body><h1>404</h1></body></html>".to_vec(),
                    behavior: Behavior::Normal,
                };
                let page = site.get(&path).unwrap_or(&not_found);
                match page.behavior {
                    Behavior::Normal => {}
                    Behavior::Hang => {
                        // Hold the connection open (until the client gives up or 10 minutes pass).
                        let mut sink = [0u8; 64];
                        let _ =
                            tokio::time::timeout(std::time::Duration::from_secs(600), conn.read(&mut sink))
                                .await;
                        return;
                    }
                    Behavior::Endless => {
                        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n";
                        if conn.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = "<p>无尽的正文 endless body</p>\n".repeat(256);
                        while conn.write_all(chunk.as_bytes()).await.is_ok() {}
                        return;
                    }
                    Behavior::TooManyFirst(k) if n <= k => {
                        let out = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                        let _ = conn.write_all(out.as_bytes()).await;
                        return;
                    }
                    Behavior::TooManyFirst(_) => {}
                }
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
