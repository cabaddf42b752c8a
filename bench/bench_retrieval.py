"""Coded-segment retrieval figures (issue 18): ``store.retrieval.find_segments`` over a generated
project of 5,000 articles (about 800 words each) and 50,000 span annotations by two coders over
the 15 Policy Frames codes, beside a baseline measured in the same run.

The project (built once, cached under ``bench/out/``) is the bench corpus plus spans of 3–30
words inserted with one raw executemany through the table's triggers (every quote is the article
text at its offsets).

Measured (median of 9 runs, each on the warm page cache, retrieval and baseline alternating
so both see the same load): one code (OR, about 3,300 segments),
two codes OR (about 6,700), two codes AND with the same coder (the overlap subqueries), each with
its sentence context.  Baseline: the textbook read of the same rows, ``SELECT * FROM
annotations_view WHERE code IN (...)`` (the schema's view: article, outlet, coder, code, quote;
no context, no overlap test).  The ratio is the price of the context and of AND.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from framelens import store  # noqa: E402
from framelens.annotate.ops.demo import load_default_codebooks  # noqa: E402
from framelens.store import retrieval as rt  # noqa: E402

N_ARTICLES = 5_000
N_ANNOTATIONS = 50_000
CODERS = ("alice", "bob")
RUNS = 9


def build(path: Path) -> None:
    project = store.create_project(path)
    load_default_codebooks(project)
    rows = corpus.articles(N_ARTICLES, seed=18)
    store.add_articles(project, rows)
    cb = store.get_codebook(project, "policy_frames")
    codes = [c.id for c in store.list_codes(project, cb.id)]
    coders = [store.ensure_coder(project, n).id for n in CODERS]
    rng = random.Random(18)
    texts = project.query("SELECT id, text FROM articles ORDER BY id")
    per = N_ANNOTATIONS // len(texts)
    batch = []
    stamp = store.now()
    for row in texts:
        text = row["text"]
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        for k in range(per):
            first = rng.randrange(len(words) - 1)
            last = min(len(words) - 1, first + rng.randint(3, 30))
            s, e = words[first][0], words[last][1]
            batch.append((row["id"], s, e, rng.choice(codes), coders[k % 2], text[s:e], stamp, stamp))
    with project.conn:
        project.conn.executemany(
            'INSERT INTO annotations (article_id, start, "end", code_id, coder_id, quote,'
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch)
    project.close()


def timed_pair(first, second) -> tuple[float, float, object, object]:
    """Median milliseconds of two calls run alternately ``RUNS`` times (so both see the same
    load on a shared machine), with their last results."""
    t1, t2, r1, r2 = [], [], None, None
    for _ in range(RUNS):
        t = time.perf_counter()
        r1 = first()
        t1.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        r2 = second()
        t2.append((time.perf_counter() - t) * 1000)
    return statistics.median(t1), statistics.median(t2), r1, r2


def main() -> None:
    path = corpus.OUT / f"retrieval-{N_ARTICLES}x{N_ANNOTATIONS}.framelens"
    if not path.exists():
        corpus.OUT.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        build(path)
        print(f"built {path.name} in {time.perf_counter() - t:.1f} s")
    project = store.open_project(path, read_only=True)
    cb = store.get_codebook(project, "policy_frames")
    codes = [c for c in store.list_codes(project, cb.id)]
    one, two = (codes[0].id,), (codes[0].id, codes[1].id)
    names = (codes[0].name, codes[1].name)

    def baseline(ids):
        marks = ", ".join("?" for _ in ids)
        sql = f"SELECT * FROM annotations_view WHERE code IN ({marks}) AND codebook = ?"
        return lambda: project.query(sql, [store.get_code(project, i).name for i in ids] + [cb.name])

    cases = [("1 code", one, rt.ANY), ("2 codes OR", two, rt.ANY), ("2 codes AND", two, rt.ALL)]
    print(f"{'query':<14}{'segments':>10}{'retrieval ms':>14}{'baseline ms':>13}{'ratio':>8}")
    for label, ids, mode in cases:
        base_ms, ms, base_rows, segs = timed_pair(
            baseline(ids), lambda: rt.find_segments(project, rt.SegmentQuery(ids, mode=mode)))
        print(f"{label:<14}{len(segs):>10}{ms:>14.1f}{base_ms:>13.1f}{ms / base_ms:>8.2f}"
              + ("" if mode == rt.ALL else f"   (baseline rows {len(base_rows)})"))
    print(f"codes: {names[0]!r}, {names[1]!r}; AND baseline is the OR read of both codes")
    project.close()


if __name__ == "__main__":
    main()
