"""Comparison dashboard figures (issue 5): every dashboard number over a generated project of
50,000 articles and 500,000 span annotations, beside a baseline measured in the same run.

The project (built once, cached under ``bench/out/``) is the bench corpus plus:

* 500,000 Policy Frames spans by two coders (10 per article, 5 each, 3–30 words long, so some of
  a coder's spans of one code overlap), inserted with one raw executemany through the table's
  triggers: every quote is the article text at its offsets;
* Semetko & Valkenburg answers (20 yes/no items) and a primary frame by both coders for 2,500
  articles (105,000 article labels);
* suggestions: 10,000 contested names, 50,000 voices, 100,000 actor mentions.

Measured: ``annotate.compare.collect`` (every read) plus ``build_tables`` for the pooled coders by
outlet and by country — everything the dashboard shows.  Baseline: the textbook query, one raw
``GROUP BY outlet, code`` with ``sum("end" - start)`` and ``count(DISTINCT article_id)`` (no
union of overlapping spans, no coders apart, no other table).  Target: dashboard < 1000 ms.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from framelens import store  # noqa: E402
from framelens.annotate.ops import compare # noqa: E402
from framelens.annotate.ops.demo import load_default_codebooks # noqa: E402

N_ARTICLES = 50_000
N_ANNOTATIONS = 500_000
N_LABELLED = 2_500
CODERS = ("alice", "bob")
RUNS = 5
SIDES = (("Southern Kurils", "Russian"), ("Northern Territories", "Japanese"),
         ("Senkaku Islands", "Japanese"), ("Diaoyu Islands", "Chinese"), ("DPRK", "Other"))
SPEAKERS = [(f"Speaker {i}", c) for i, c in enumerate(["JP", "RU", "CN", "US", "GB", ""] * 8)]
ACTORS = [(f"Actor {i}", c, k) for i, (c, k) in enumerate(
    [("JP", "person"), ("RU", "government"), ("CN", "country"), ("US", "organisation"),
     ("RU", "place")] * 12)]

BASELINE_SQL = (
    'SELECT o.name, c.name, sum(an."end" - an.start), count(DISTINCT an.article_id)'
    " FROM annotations an JOIN articles a ON a.id = an.article_id"
    " LEFT JOIN outlets o ON o.id = a.outlet_id JOIN codes c ON c.id = an.code_id"
    " GROUP BY o.name, c.name")


def _spans(rng: random.Random, words: list[tuple[int, int]], lo: int = 3, hi: int = 30):
    first = rng.randrange(len(words) - 1)
    last = min(len(words) - 1, first + rng.randint(lo, hi))
    return words[first][0], words[last][1]


def dashboard_project(n: int = N_ARTICLES, n_annotations: int = N_ANNOTATIONS) -> Path:
    """The bench corpus with codings, answers and suggestions (see the module doc), built once."""
    path = corpus.OUT / f"dashboard-{n}x{n_annotations}.framelens"
    if path.exists():
        return path
    base = corpus.big_project(n, 300)
    tmp = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    source, target = sqlite3.connect(base), sqlite3.connect(tmp)
    source.backup(target)
    source.close()
    target.close()
    project = store.open_project(tmp)            # migrates a copy made by an older version
    for stale in tmp.parent.glob(tmp.name + ".v*.bak"):
        stale.unlink()
    load_default_codebooks(project)
    pf = store.get_codebook(project, "policy_frames").id
    codes = [c.id for c in store.list_codes(project, pf)]
    coders = [store.ensure_coder(project, c).id for c in CODERS]
    rng = random.Random(5)
    stamp = store.now()
    per_article = n_annotations // n
    anns, sugs, texts = [], [], []
    for aid, text in project.conn.execute("SELECT id, text FROM articles ORDER BY id"):
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        texts.append(aid)
        for k in range(per_article):
            s, e = _spans(rng, words)
            anns.append((aid, s, e, rng.choice(codes), coders[k % 2], text[s:e], "bench", stamp, stamp))
        picks = [("voices", *_voice(rng))] + [("actors", *_actor(rng)) for _ in range(2)]
        if aid % 5 == 0:
            term, side = rng.choice(SIDES)
            picks.append(("contested", side, {"set_name": "bench set", "term": term, "side": side}))
        for suggester, label, data in picks:
            s, e = _spans(rng, words, 1, 3)
            book = {"contested": "viewpoint"}.get(suggester, suggester)
            sugs.append((aid, s, e, book, label, 0.8, suggester, "bench-1", "bench",
                         json.dumps(data), stamp))
    labels = []
    sv = store.get_codebook(project, "semetko_valkenburg").id
    items = [q.id for q in store.list_questions(project, sv) if q.kind == "yesno"]
    primary = next(q.id for q in store.list_questions(project, pf) if q.key == "primary_frame")
    names = [c.name for c in store.list_codes(project, pf)]
    for aid in rng.sample(texts, N_LABELLED):
        for coder in coders:
            labels += [(aid, coder, q, rng.choice("01"), "bench", stamp, stamp) for q in items]
            labels.append((aid, coder, primary, rng.choice(names), "bench", stamp, stamp))
    conn = project.conn
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany('INSERT INTO annotations (article_id, start, "end", code_id, coder_id, quote,'
                     " origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", anns)
    conn.executemany('INSERT OR IGNORE INTO suggestions (article_id, start, "end", codebook, label, score,'
                     " suggester, suggester_version, rationale, data_json, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sugs)
    conn.executemany("INSERT INTO article_labels (article_id, coder_id, question_id, value, origin,"
                     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", labels)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    tmp.rename(path)
    return path


def _voice(rng):
    name, country = rng.choice(SPEAKERS)
    return name, {"speaker": name, "country": country, "kind": "quote"}


def _actor(rng):
    name, country, kind = rng.choice(ACTORS)
    return name, {"actor": name, "country": country, "kind": kind}


def dashboard_numbers(project: store.Project) -> dict:
    raw = compare.collect(project)
    return {unit: compare.build_tables(raw, "all", unit) for unit in ("outlet", "country")}


def baseline(conn: sqlite3.Connection) -> list:
    return conn.execute(BASELINE_SQL).fetchall()


def main() -> None:
    started = time.perf_counter()
    path = dashboard_project()
    built = time.perf_counter() - started
    project = store.open_project(path, read_only=True)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    counts = {t: project.query_one(f"SELECT count(*) FROM {t}")[0]
              for t in ("articles", "annotations", "article_labels", "suggestions")}
    print("project: " + ", ".join(f"{v:,} {k}" for k, v in counts.items())
          + (f" (built in {built:.0f} s)" if built > 5 else " (cached)"))
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    for _ in range(RUNS):                         # interleaved, so both see the same machine
        t, c = time.perf_counter(), time.process_time()
        tables = dashboard_numbers(project)
        ours.append((time.perf_counter() - t) * 1000)
        ours_cpu.append((time.process_time() - c) * 1000)
        t, c = time.perf_counter(), time.process_time()
        rows = baseline(conn)
        theirs.append((time.perf_counter() - t) * 1000)
        theirs_cpu.append((time.process_time() - c) * 1000)
    ms, base = statistics.median(ours), statistics.median(theirs)
    prevalence = tables["outlet"]["frame_prevalence"]
    load = os.getloadavg()[0]
    print(f"dashboard 50k articles / 500k annotations: {ms:.0f} ms (baseline raw GROUP BY: "
          f"{base:.0f} ms; target < 1000 ms)  [median of {RUNS}; first run {ours[0]:.0f} / "
          f"{theirs[0]:.0f} ms; {len(prevalence.rows)} outlet × frame cells, {len(rows)} baseline "
          f"rows; load average {load:.1f} on {os.cpu_count()} CPUs]")
    print(f"  CPU time of this process (less sensitive to other load): dashboard "
          f"{statistics.median(ours_cpu):.0f} ms, baseline {statistics.median(theirs_cpu):.0f} ms")
    covered = sum(r["covered_chars"] for r in prevalence.rows)
    plain = sum(r[2] for r in rows)
    print(f"  coded characters: {covered:,} as a union per coder, article and code "
          f"(the baseline's plain sum counts {plain - covered:,} overlapping characters twice "
          f"and pools the coders)")
    conn.close()
    project.close()


if __name__ == "__main__":
    main()
