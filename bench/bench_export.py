"""Dataset export figures (issue 6): ``framelens export`` of 500,000 annotations over 50,000
articles to JSONL and to long CSV, each beside a baseline measured in the same run that selects
the same rows with ``sqlite3`` and writes them with the standard library (``json.dumps`` /
``csv.writer``).  The baseline writes byte-identical files (checked), so the ratio is the
price of going through the project API, the exchange model and the format writers.

The JSONL tasks carry spaCy tokens (the Prodigy task shape), so both sides run the same spaCy
tokenizer over the 50,000 texts; its share is printed separately.

Target: each export ≤ 2× its baseline.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from bisect import bisect_left, bisect_right
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from framelens import store  # noqa: E402
from framelens.annotate.cli import main as framelens # noqa: E402
from framelens.annotate.ops.demo import load_default_codebooks # noqa: E402
from framelens.annotate.analysis.formats.jsonl import input_hash, task_hash # noqa: E402
from framelens.annotate.analysis.formats.tables import LONG_COLUMNS # noqa: E402

N_ARTICLES = 50_000
N_ANNOTATIONS = 500_000
CODERS = ("alice", "bob")


def annotated_project(n: int = N_ARTICLES, per_article: int = N_ANNOTATIONS // N_ARTICLES) -> Path:
    """The bench corpus plus ``per_article`` spans per article by two coders, built once.

    The spans go in with one raw executemany (test data, not a user action), but through the
    table's triggers: every quote is the article text at its offsets, or SQLite refuses it.
    """
    path = corpus.OUT / f"annotated-{n}x{n * per_article}.framelens"
    if path.exists():
        _up_to_date(path)
        return path
    base = corpus.big_project(n, 300)
    tmp = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    source = sqlite3.connect(base)
    target = sqlite3.connect(tmp)
    source.backup(target)
    source.close()
    target.close()
    project = store.open_project(tmp)
    load_default_codebooks(project)
    codes = [c.id for c in store.list_codes(project, store.get_codebook(project, "policy_frames").id)]
    coder_ids = [store.ensure_coder(project, c).id for c in CODERS]
    rng = random.Random(6)
    stamp = store.now()
    rows = []
    for aid, text in project.conn.execute("SELECT id, text FROM articles ORDER BY id"):
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        for k in range(per_article):
            first = rng.randrange(len(words) - 1)
            last = min(len(words) - 1, first + rng.randint(3, 30))
            s, e = words[first][0], words[last][1]
            rows.append((aid, s, e, rng.choice(codes), coder_ids[k % 2], text[s:e], "bench",
                         stamp, stamp))
    conn = project.conn
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany('INSERT INTO annotations (article_id, start, "end", code_id, coder_id, quote,'
                     " origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    _drop_backups(tmp)
    tmp.rename(path)
    return path


def _drop_backups(path: Path) -> None:
    # Opening a file of an older schema migrates it after writing a backup copy beside it;
    # for this regenerable cache the copy is only hundreds of MB of clutter.
    for bak in path.parent.glob(f"{path.name}.v*.bak"):
        bak.unlink()


def _up_to_date(path: Path) -> None:
    """Migrate a cached project built by an older FrameLens before anything is timed."""
    store.open_project(path).close()
    _drop_backups(path)


# -- baselines: the same rows, selected with sqlite3, written with the standard library ------
_ARTICLES_SQL = (
    "SELECT a.id, a.text, a.title, o.name, o.country, a.published, a.url, a.language, a.author"
    " FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id ORDER BY a.published, a.id")
_SPANS_SQL = (
    'SELECT an.article_id, an.start, an."end", cb.key, c.name, cd.name, an.quote, an.memo'
    " FROM annotations an JOIN codes c ON c.id = an.code_id"
    " JOIN codebooks cb ON cb.id = c.codebook_id JOIN coders cd ON cd.id = an.coder_id"
    ' ORDER BY an.article_id, an.start, an."end", an.id')


def _spans_by_article(conn: sqlite3.Connection) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = {}
    for row in conn.execute(_SPANS_SQL):
        out.setdefault(row[0], []).append(row)
    return out


def baseline_csv(path: Path, out: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    spans = _spans_by_article(conn)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(LONG_COLUMNS)
        for aid, _text, title, outlet, country, published, *_ in conn.execute(_ARTICLES_SQL):
            head = [aid, outlet, country, published, title]
            for _, s, e, book, name, coder, quote, memo in spans.get(aid, ()):
                w.writerow(head + [book, name, coder, s, e, quote, memo, None, None,
                                   f"{book}/{name}"])
    conn.close()


def baseline_jsonl(path: Path, out: Path, tokenizer) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    spans = _spans_by_article(conn)
    arts = conn.execute(_ARTICLES_SQL).fetchall()
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        docs = tokenizer.pipe((a[1] for a in arts), batch_size=256)
        for (aid, text, title, outlet, country, published, url, language, author), doc in \
                zip(arts, docs):
            tokens = [{"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i,
                       "ws": bool(t.whitespace_)} for t in doc]
            starts = [t["start"] for t in tokens]
            ends = [t["end"] for t in tokens]
            meta = {"author": author} if author else {}
            meta["article"] = str(aid)
            for k, v in (("title", title), ("outlet", outlet), ("country", country),
                         ("published", published), ("url", url), ("language", language)):
                if v is not None:
                    meta[k] = v
            out_spans = []
            for _, s, e, book, name, coder, _quote, memo in spans.get(aid, ()):
                i = max(bisect_right(starts, s) - 1, 0)
                if ends[i] <= s and i + 1 < len(starts):
                    i += 1
                j = min(bisect_left(ends, e), len(ends) - 1)
                if starts[j] >= e and j > 0:
                    j -= 1
                d = {"start": s, "end": e, "token_start": i, "token_end": max(i, j),
                     "label": name, "code": f"{book}/{name}", "codebook": book, "coder": coder}
                if memo:
                    d["memo"] = memo
                out_spans.append(d)
            h = input_hash(text)
            task = {"text": text, "meta": meta, "tokens": tokens, "_input_hash": h,
                    "spans": out_spans, "article_labels": [], "answer": "accept",
                    "_task_hash": task_hash(h, out_spans, [])}
            fh.write(json.dumps(task, ensure_ascii=False) + "\n")
    conn.close()


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def _export(path: Path, fmt: str, out: Path) -> None:
    quiet = io.StringIO()
    saved, sys.stdout = sys.stdout, quiet
    try:
        status = framelens(["export", str(path), "--format", fmt, "-o", str(out)])
    finally:
        sys.stdout = saved
    if status != 0:
        raise RuntimeError(f"framelens export --format {fmt} exited {status}")


def main() -> None:
    import spacy

    started = time.perf_counter()
    path = annotated_project()
    built = time.perf_counter() - started
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    n_art, n_ann = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("articles", "annotations"))
    texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
    conn.close()
    print(f"project: {n_art} articles, {n_ann} annotations ({path.name}; ready in {built:.1f} s)")
    tokenizer = spacy.blank("en").tokenizer
    t_tok = _timed(lambda: [len(d) for d in tokenizer.pipe(texts, batch_size=256)])
    del texts
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for fmt, ext, base in (("csv", "csv", lambda o: baseline_csv(path, o)),
                               ("jsonl", "jsonl", lambda o: baseline_jsonl(path, o, tokenizer))):
            t_base = _timed(base, tmp / f"baseline.{ext}")
            t_ours = _timed(_export, path, fmt, tmp / f"ours.{ext}")
            same = _digest(tmp / f"baseline.{ext}") == _digest(tmp / f"ours.{ext}")
            size = (tmp / f"ours.{ext}").stat().st_size / 2**20
            print(f"export {fmt} {n_ann // 1000}k annotations: {t_ours:.2f} s (baseline stdlib: "
                  f"{t_base:.2f} s; ratio {t_ours / t_base:.2f}×; target ≤ 2×)")
            print(f"  {size:.0f} MiB; output {'identical to' if same else 'DIFFERS from'} "
                  "the baseline's" + (f"; spaCy tokenizer alone: {t_tok:.2f} s of each side"
                                      if fmt == "jsonl" else ""))
            for f in tmp.iterdir():
                f.unlink()


if __name__ == "__main__":
    main()
