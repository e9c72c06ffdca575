//! Test support: a fixture HTTP server on port 0 and a runner for the real binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use cluewatch::demo::server::{self, Server, Site};

/// A fixture server with the runtime that drives it (dropped with it).
pub struct Fixture {
    pub server: Server,
    _rt: tokio::runtime::Runtime,
}

/// Serves `site` on 127.0.0.1 (a free port) from a background runtime.
pub fn serve(site: Site) -> Fixture {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        server::serve(site, listener).unwrap()
    });
    Fixture { server, _rt: rt }
}

/// Runs `cluewatch` with `args` in `cwd`, with the repository's rules.
pub fn run(cwd: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cluewatch"))
        .current_dir(cwd)
        .args(["--rules", rules_dir().to_str().unwrap()])
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("cluewatch runs")
}

/// Like [`run`], and asserts the exit code.
pub fn run_ok(cwd: &Path, args: &[&str], code: i32) -> (String, String) {
    let out = run(cwd, args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "cluewatch {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    (stdout, stderr)
}

pub fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

/// Parses JSON Lines.
pub fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}
