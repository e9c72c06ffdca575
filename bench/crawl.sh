#!/usr/bin/env bash
# Crawl benchmark wrapper with the contract of ../shared/bench/crawl_bench.sh:
#   BENCH_URL  start page (e.g. http://127.0.0.1:8080/)
#   BENCH_OUT  JSONL file to write: one {"url","title","published","body",...} per article
#   BENCH_CONC concurrency (default 16)
#   BENCH_PIPELINE=full (default: extract + index + rules + leads) | crawl (fetch + extract only,
#                  the work Scrapy does)
# Crawls the site with cluewatch into a fresh data directory, then exports the documents.
# Usage from the project root:
#   cargo build --release
#   cp -r ../shared/bench /tmp/bench && cd /tmp/bench && python3 gen_site.py && ./serve.sh start
#   LABEL=cw-c16 ./crawl_bench.sh "$PROJECT/bench/crawl.sh"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CLUEWATCH_BIN:-$ROOT/target/release/cluewatch}
: "${BENCH_URL:?set BENCH_URL}" "${BENCH_OUT:?set BENCH_OUT}"
CONC=${BENCH_CONC:-16}
base=${BENCH_URL%/}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/cluewatch.toml" <<TOML
user_agent = "cluewatch-bench/0.1 (+loopback benchmark)"
data_dir = "data"

[crawl]
concurrency = $CONC
per_host_concurrency = $CONC
per_host_delay = "0ms"
allow_private_addresses = true   # the benchmark site is on loopback

[[source]]
name = "bench"
start = ["$base/"]
scope = "$base/"
# Articles: /<channel>/YYYYMM/tYYYYMMDD_<id>.html (the moved one is linked without .html).
article = '/t\\d{8}_\\d+(\\.html)?$'
# List pages: channel folders and their pagination.
pagination = '^$base/(hbj/xzcf|scjg/spcj|zjj/wza|news)/(index(_\\d+)?\\.html)?\$'
TOML
flags=()
[[ "${BENCH_PIPELINE:-full}" == crawl ]] && flags+=(--no-ingest)
"$BIN" --config "$work/cluewatch.toml" --rules "$ROOT/rules" -q crawl "${flags[@]}"
"$BIN" --config "$work/cluewatch.toml" export docs > "$BENCH_OUT"
