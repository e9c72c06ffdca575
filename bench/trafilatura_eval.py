#!/usr/bin/env python3
"""trafilatura on the real-pages fixture, scored exactly like examples/extract_eval.rs.

usage: trafilatura_eval.py DIR [--passes N]

Each page's raw bytes go to trafilatura.bare_extraction(bytes, url=..., with_metadata=True), so
trafilatura decodes them itself. Only article pages are scored: title equal after removing all
whitespace; date correct to the day (pages without a truth date are not scored for date); body
(trafilatura's main `text`) contains body_start and body_end after removing all whitespace.
Speed: every page extracted N times (default 3) on one thread, only the extraction calls timed;
mb_per_s = total HTML bytes (10^6 per MB) / total extraction time.

Per-page table on stderr; one JSON line on stdout: {"pages","title","date","body","mb_per_s"}.
"""

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import trafilatura


def squash(s):
    return "".join(c for c in (s or "") if not c.isspace())


def short(s, n):
    s = s or ""
    return s[:n] + ("…" if len(s) > n else "")


def run(page):
    doc = trafilatura.bare_extraction(page["bytes"], url=page["url"], with_metadata=True)
    if doc is None:
        return {"title": "", "date": None, "text": ""}
    if not isinstance(doc, dict):  # trafilatura >= 2.0 returns a Document
        doc = doc.as_dict() if hasattr(doc, "as_dict") else vars(doc)
    return {"title": doc.get("title") or "", "date": doc.get("date"), "text": doc.get("text") or ""}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()
    logging.disable(logging.WARNING)  # trafilatura logs "discarding data" etc. on some pages

    d = Path(args.dir)
    pages = []
    for line in (d / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            t = json.loads(line)
            pages.append({"truth": t, "url": t.get("url"), "bytes": (d / t["file"]).read_bytes()})

    n = n_title = n_dated = n_date = n_body = n_strict = 0
    print(f"{'page':<48} {'title':<5} {'date':<5} {'body':<5} details (trafilatura's when wrong)", file=sys.stderr)
    for p in pages:
        t = p["truth"]
        if t["page_type"] != "article":
            continue
        e = run(p)
        n += 1
        title_ok = bool(t.get("title")) and squash(t["title"]) == squash(e["title"])
        date_ok = None
        if t.get("published"):
            n_dated += 1
            date_ok = bool(e["date"]) and str(e["date"])[:10] == t["published"][:10]
        body = squash(e["text"])
        start, end = squash(t.get("body_start")), squash(t.get("body_end"))
        sf, ef = bool(start) and start in body, bool(end) and end in body
        body_ok = sf and ef
        strict = body_ok and start in body[:200] and end in body[-200:]
        n_title += title_ok
        n_date += date_ok is True
        n_body += body_ok
        n_strict += strict
        details = []
        if not title_ok:
            details.append(f"title={short(e['title'], 40)!r}")
        if date_ok is False:
            details.append(f"date={e['date']} (truth {t['published']})")
        if not body_ok:
            missing = "start+end" if not sf and not ef else ("start" if not sf else "end")
            details.append(f"body missing {missing}; ours {len(body)} chars starts {short(body, 24)!r}")
        elif not strict:
            details.append("body ok but extra text at an end (README 200-char check fails)")
        mark = lambda ok: "ok" if ok else "FAIL"  # noqa: E731
        dcol = "-" if date_ok is None else mark(date_ok)
        print(f"{t['file']:<48} {mark(title_ok):<5} {dcol:<5} {mark(body_ok):<5} {'; '.join(details)}", file=sys.stderr)
    print(
        f"scored {n} article pages ({len(pages) - n} list pages not scored); title {n_title}/{n}, "
        f"date {n_date}/{n_dated} (pages with a dated truth), body {n_body}/{n} "
        f"(README 200-char variant: {n_strict}/{n})",
        file=sys.stderr,
    )

    total = sum(len(p["bytes"]) for p in pages)
    elapsed = 0.0
    for _ in range(max(1, args.passes)):
        for p in pages:
            t0 = time.perf_counter()
            run(p)
            elapsed += time.perf_counter() - t0
    passes = max(1, args.passes)
    mbps = total * passes / 1e6 / max(elapsed, 1e-9)
    print(
        f"speed: {len(pages)} pages, {total / 1e6:.2f} MB x {passes} passes in {elapsed:.2f} s of extraction "
        f"= {mbps:.2f} MB/s ({elapsed * 1000 / (len(pages) * passes):.1f} ms/page); "
        f"trafilatura {trafilatura.__version__}",
        file=sys.stderr,
    )
    ratio = lambda k, d: k / d if d else 0.0  # noqa: E731
    # Same key order and number format as examples/extract_eval.rs.
    print(f'{{"pages":{n},"title":{ratio(n_title, n):.3f},"date":{ratio(n_date, n_dated):.3f},'
          f'"body":{ratio(n_body, n):.3f},"mb_per_s":{mbps:.2f}}}')


if __name__ == "__main__":
    main()
