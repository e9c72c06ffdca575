#!/usr/bin/env bash
# Extraction evaluation: cluewatch's extractor vs trafilatura on the real-pages fixture
# (../shared/fixtures/real-pages: 46 scored article pages, 7 list pages timed only).
# Scoring (same in both): title equal after removing all whitespace; date correct to the day;
# body contains truth body_start and body_end after removing all whitespace.
# Per-page tables go to stderr; the two JSON summary lines are printed together at the end.
#
# Usage from anywhere:  bench/extract_eval.sh [FIXTURE_DIR]
#   PASSES=20 (timing passes for cluewatch)  TRAF_PASSES=3 (timing passes for trafilatura)
#   TRAF_VENV=/tmp/cw-trafilatura  (throwaway venv; created on first run, reused afterwards)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/../shared/fixtures/real-pages}
PASSES=${PASSES:-20}
TRAF_PASSES=${TRAF_PASSES:-3}
VENV=${TRAF_VENV:-/tmp/cw-trafilatura}
[ -f "$DIR/truth.jsonl" ] || { echo "no truth.jsonl in $DIR" >&2; exit 2; }

echo "==> cluewatch (cargo run --release --example extract_eval)" >&2
ours=$(cd "$ROOT" && cargo run --quiet --release --example extract_eval -- "$DIR" --passes "$PASSES")

echo "==> trafilatura (venv $VENV; not a project dependency)" >&2
if ! "$VENV/bin/python" -c 'import trafilatura' 2>/dev/null; then
  python3 -m venv "$VENV"
  # lxml >= 5.2 split lxml.html.clean (needed by justext, a trafilatura dependency) into its own package.
  "$VENV/bin/pip" install --quiet trafilatura lxml_html_clean
fi
theirs=$("$VENV/bin/python" "$ROOT/bench/trafilatura_eval.py" "$DIR" --passes "$TRAF_PASSES")

echo
printf '%-12s %s\n' cluewatch "$ours" trafilatura "$theirs"
