"""Codebook code-count figures (issue 18): ``store.codebooks.code_counts`` and the codebook
panel's refresh over a generated project of 2,000 articles (about 300 words each) and 40,000
span annotations by two coders over the 15 Policy Frames codes, beside baselines measured in the
same run.

The project (built once, cached under ``bench/out/``) is the bench corpus plus spans of 2–20
words inserted with one executemany through the table's triggers (every quote is the article
text at its offsets), and 2,000 article labels (SemEval frames, value "1").

Measured (median of 7 runs, warm page cache):

* store — the counts of one coder and of all coders for the Policy Frames codebook.  Baseline:
  the rows the counts are made from, read and counted in Python
  (``SELECT code_id, article_id FROM annotations`` for the same coders + ``collections.Counter``),
  which is what a panel without the grouped query would do;
* panel (offscreen Qt) — what a coding key press costs the codebook, ``refresh_counts()``
  (counts read, written into the existing rows), beside the full rebuild of the tree the panel
  did before for code changes, ``_fill()`` (which includes one count read).

Figures of one run (2 shared cores, load about 3, so ±50% between runs): store counts 16.8 ms
for one coder / 13.0 ms for all coders against the Python baseline's 47.9 / 48.6 ms; the
panel's refresh 6.8 / 12.3 ms against a rebuild's 8.0 / 13.2 ms (15 codes: the count read is
most of either, so refreshing in place keeps the selection and scroll rather than saving time).
Before the query was steered onto the covering ``annotations_coverage`` index (unary ``+``),
one coder's counts took 37.7 ms (``annotations_code`` seek + a row read per span), all coders'
14.2 ms, measured interleaved in one process.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_code_counts.py``.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from framelens import store  # noqa: E402
from framelens.annotate.ops.demo import load_default_codebooks  # noqa: E402
from framelens.store.codebooks import code_counts  # noqa: E402

N_ARTICLES = 2_000
N_ANNOTATIONS = 40_000
CODERS = ("alice", "bob")
RUNS = 7


def build(path: Path) -> None:
    project = store.create_project(path)
    load_default_codebooks(project)
    store.add_articles(project, corpus.articles(N_ARTICLES, words=300, seed=1818))
    codes = [c.id for c in store.list_codes(project, store.get_codebook(project, "policy_frames").id)]
    frames = [c.id for c in store.list_codes(project,
                                            store.get_codebook(project, "semeval2023_frames").id)]
    coders = [store.ensure_coder(project, n).id for n in CODERS]
    rng = random.Random(1818)
    rows = project.query("SELECT id, text FROM articles ORDER BY id")
    per = N_ANNOTATIONS // len(rows)
    stamp = store.now()
    spans, labels = [], []
    for row in rows:
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", row["text"])]
        for k in range(per):
            first = rng.randrange(len(words) - 1)
            last = min(len(words) - 1, first + rng.randint(1, 19))
            s, e = words[first][0], words[last][1]
            spans.append((row["id"], s, e, rng.choice(codes), coders[k % 2], row["text"][s:e],
                          stamp, stamp))
        labels.append((row["id"], coders[row["id"] % 2], rng.choice(frames), "1", stamp, stamp))
    with project.conn:
        project.conn.executemany(
            'INSERT INTO annotations (article_id, start, "end", code_id, coder_id, quote,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", spans)
        project.conn.executemany(
            "INSERT INTO article_labels (article_id, coder_id, code_id, value, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)", labels)
    project.close()


def timed(fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def python_counts(project: store.Project, codebook_id: int, coder_ids: list[int] | None) -> dict:
    sql = ("SELECT code_id, article_id FROM annotations"
           " WHERE code_id IN (SELECT id FROM codes WHERE codebook_id = ?)")
    params: list = [codebook_id]
    if coder_ids is not None:
        sql += f" AND coder_id IN ({','.join('?' * len(coder_ids))})"
        params += coder_ids
    pairs = project.query(sql, params)
    segments = Counter(r[0] for r in pairs)
    articles = Counter(code for code, _a in {(r[0], r[1]) for r in pairs})
    return {c: (segments[c], articles[c]) for c in segments}


def main() -> None:
    path = corpus.OUT / f"code-counts-{N_ARTICLES}x{N_ANNOTATIONS}.framelens"
    if not path.exists():
        corpus.OUT.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        build(path)
        print(f"built {path.name} in {time.perf_counter() - t:.1f} s")
    project = store.open_project(path)
    cb = store.get_codebook(project, "policy_frames")
    alice = store.find_coder(project, "alice")
    print(f"{'store: scope':<22}{'segments':>10}{'counts ms':>11}{'baseline ms':>13}{'ratio':>8}")
    for label, ids in (("one coder", [alice.id]), ("all coders", None)):
        ms, counts = timed(lambda: code_counts(project, codebook_id=cb.id, coder_ids=ids))
        base_ms, base = timed(lambda: python_counts(project, cb.id, ids))
        assert {c: (n.segments, n.articles) for c, n in counts.items()} == base
        total = sum(n.segments for n in counts.values())
        print(f"{label:<22}{total:>10}{ms:>11.1f}{base_ms:>13.1f}{ms / base_ms:>8.2f}")

    from framelens.desktop.panels.codebook_panel import CodebookPanel
    from framelens.desktop.shell.app import ensure_app
    from framelens.desktop.shell.session import ALL, Session

    ensure_app()
    session = Session(project, alice)
    panel = CodebookPanel(session)
    panel.set_codebook("policy_frames")
    print(f"{'panel: view':<22}{'codes':>10}{'refresh ms':>11}{'rebuild ms':>13}{'ratio':>8}")
    for label, view in (("me (alice)", "me"), ("all coders", ALL)):
        session.set_view(view)
        ms, _ = timed(panel.refresh_counts)
        base_ms, _ = timed(panel._fill)
        print(f"{label:<22}{len(panel.items):>10}{ms:>11.1f}{base_ms:>13.1f}{ms / base_ms:>8.2f}")
    project.close()


if __name__ == "__main__":
    main()
