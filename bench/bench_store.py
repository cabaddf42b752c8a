"""Project-file figures (issue 2): importing 10,000 generated ~800-word articles through the real
importer (read, decode, clean, hash, store, FTS index, change log) beside a raw sqlite-utils
``insert_all`` of the same rows in the same run; opening a 50,000-article project; an FTS search.

Targets: import ≤ 3× the raw insert; open < 1 s; search < 100 ms.

Issue 14: importing 10,000 mixed-language articles (English generated from the demo corpus;
Russian, Japanese, Chinese, German and French real WMT22 news documents from
``tests/data/ingest/real/wmt22_news.jsonl``, each with a furniture line of its script), with no
language column so every article goes through language identification and cleaning, beside
a raw sqlite-utils insert of the same rows into the same indexes (FTS5 for all, plus the
trigram index for the Chinese and Japanese ones).  Target ≤ 2×.

The machine is shared: ``--repeat N`` runs a figure N times (baseline and import alternating)
and prints medians, with the CPU seconds of both beside the wall-clock ones (CPU time counts
every thread of the process, so the import's reading thread too; it moves less than wall
time when other work competes for the cores).  ``--only`` picks the figures to run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from framelens import store  # noqa: E402
from framelens.annotate.ops.importer import import_paths # noqa: E402

N_IMPORT = 10_000
ROOT = Path(__file__).resolve().parents[1]


def _raw_insert(rows: list[dict], path: Path, *, fts: bool = False) -> float:
    """Raw sqlite-utils insert_all of the rows; with ``fts`` into a table that has the same
    FTS5 full-text index (detail=full, kept by triggers) as a FrameLens project."""
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = WAL")
    if fts:
        db["articles"].create({"id": int, "title": str, "text": str, "outlet": str,
                               "country": str, "published": str, "url": str}, pk="id")
        db["articles"].enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True,
                                  tokenize="unicode61")
    started = time.perf_counter()
    db["articles"].insert_all(rows, batch_size=500)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def bench_import(n: int = N_IMPORT) -> None:
    rows = corpus.articles(n, 800)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = corpus.write_jsonl(rows, tmp / "articles.jsonl")
        raw = _raw_insert(rows, tmp / "raw.db")
        raw_fts = _raw_insert(rows, tmp / "raw-fts.db", fts=True)
        project = store.create_project(tmp / "bench.framelens")
        started = time.perf_counter()
        report = import_paths(project, [source])
        ours = time.perf_counter() - started
        assert len(report.imported) == n, report.summary()
        project.close()
    print(f"import {n} articles (~800 words): {ours:.2f} s "
          f"(baseline raw sqlite-utils insert_all: {raw:.2f} s; ratio {ours / raw:.2f}×; target ≤ 3×)")
    print(f"  same import beside raw sqlite-utils insert_all into a table with the same FTS5 "
          f"index: {raw_fts:.2f} s; ratio {ours / raw_fts:.2f}×")


_FURNITURE = {"ru": "Поделиться", "ja": "このニュースをシェア", "zh": "未经授权，不得转载。",
              "de": "- 5 Kommentare", "fr": "Partager", "en": "Share this article"}
_MIX = (("en", 40), ("ru", 15), ("zh", 15), ("ja", 15), ("de", 10), ("fr", 5))


def mixed_articles(n: int) -> list[dict]:
    """``n`` rows in the languages of ``_MIX`` (percent), without a language column."""
    import json
    gold = ROOT / "tests" / "data" / "ingest" / "real" / "wmt22_news.jsonl"
    docs: dict[str, list[dict]] = {}
    for line in gold.read_text("utf-8").splitlines():
        doc = json.loads(line)
        docs.setdefault(doc["language"], []).append(doc)
    english = corpus.articles(n, 800)
    rows = []
    cycle = [lang for lang, share in _MIX for _ in range(share)]
    english_rows = iter(english)
    for i in range(n):
        lang = cycle[i % len(cycle)]
        if lang == "en":
            row = dict(next(english_rows))
            row["text"] = f"{row['text']}\n\n{_FURNITURE['en']}"
        else:
            doc = docs[lang][i % len(docs[lang])]
            body = "\n\n".join(doc["paragraphs"])
            row = {"title": f"{doc['paragraphs'][0][:80]} ({i})",
                   "text": f"{body}\n\n{_FURNITURE[lang]}\n\n({i})",
                   "outlet": None, "country": None, "published": f"2022-{1 + i % 12:02d}-15",
                   "url": f"https://example.org/{lang}/{i}"}
        row["cjk"] = lang in ("zh", "ja")
        rows.append(row)
    return rows


def _mixed_once(rows: list[dict], tmp: Path, run: int) -> tuple[float, float, float, float, dict]:
    """(raw wall, raw CPU, import wall, import CPU, languages found) of one run."""
    source = tmp / "mixed.jsonl"
    if not source.exists():
        corpus.write_jsonl([{k: v for k, v in r.items() if k != "cjk"} for r in rows], source)
    plain = [{k: v for k, v in r.items() if k != "cjk"} for r in rows]
    cpu = time.process_time()
    raw_fts = _raw_insert(plain, tmp / f"raw-fts-{run}.db", fts=True)
    db = sqlite_utils.Database(tmp / f"raw-fts-{run}.db")
    db.conn.execute("CREATE VIRTUAL TABLE tri USING fts5(title, text, tokenize='trigram')")
    started = time.perf_counter()
    with db.conn:
        db.conn.executemany("INSERT INTO tri(title, text) VALUES (?, ?)",
                            [(r["title"], r["text"]) for r in rows if r["cjk"]])
    raw = raw_fts + time.perf_counter() - started
    db.close()
    raw_cpu = time.process_time() - cpu
    project = store.create_project(tmp / f"mixed-{run}.framelens")
    cpu = time.process_time()
    started = time.perf_counter()
    report = import_paths(project, [source])
    ours = time.perf_counter() - started
    ours_cpu = time.process_time() - cpu
    assert len(report.imported) == len(rows), report.summary()
    languages = dict(project.conn.execute(
        "SELECT language, count(*) FROM articles GROUP BY language").fetchall())
    project.close()
    return raw, raw_cpu, ours, ours_cpu, languages


def bench_import_mixed(n: int = N_IMPORT, repeat: int = 1) -> None:
    rows = mixed_articles(n)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(repeat):
            runs.append(_mixed_once(rows, Path(tmp), run))
    raw, raw_cpu, ours, ours_cpu = (statistics.median(r[i] for r in runs) for i in range(4))
    ratios = sorted(r[2] / r[0] for r in runs)
    spread = f" (runs: {', '.join(f'{x:.2f}×' for x in ratios)})" if repeat > 1 else ""
    median = "median of {} runs: ".format(repeat) if repeat > 1 else ""
    print(f"import {n} mixed-language articles (en/ru/zh/ja/de/fr, language identification and "
          f"cleaning), {median}{ours:.2f} s, {ours_cpu:.2f} s CPU (baseline raw sqlite-utils "
          f"insert_all into the same FTS5 index plus the trigram index for the "
          f"{sum(r['cjk'] for r in rows)} Chinese and Japanese rows: {raw:.2f} s, "
          f"{raw_cpu:.2f} s CPU; ratio {statistics.median(ratios):.2f}×{spread}, CPU ratio "
          f"{ours_cpu / raw_cpu:.2f}×; target ≤ 2×); languages found: {runs[0][4]}")


def bench_cjk(n: int = 2_000) -> None:
    """Chinese articles: also indexed by trigrams (schema 3) so words inside sentences are found."""
    rows = corpus.zh_articles(n)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = corpus.write_jsonl(rows, tmp / "zh.jsonl")
        raw_fts = _raw_insert(rows, tmp / "raw-fts.db", fts=True)
        db = sqlite_utils.Database(tmp / "raw-fts.db")   # the same rows into a trigram index too
        db.conn.execute("CREATE VIRTUAL TABLE tri USING fts5(title, text, tokenize='trigram')")
        started = time.perf_counter()
        with db.conn:
            db.conn.execute("INSERT INTO tri(title, text) SELECT title, text FROM articles")
        raw_both = raw_fts + time.perf_counter() - started
        db.close()
        project = store.create_project(tmp / "zh.framelens")
        started = time.perf_counter()
        report = import_paths(project, [source])
        ours = time.perf_counter() - started
        assert len(report.imported) == n, report.summary()
        chars = sum(len(r["text"]) for r in rows) / n
        print(f"import {n} Chinese articles (~{chars:.0f} characters): {ours:.2f} s (baseline raw "
              f"sqlite-utils insert_all into a table with the same FTS5 index plus a trigram "
              f"index: {raw_both:.2f} s; ratio {ours / raw_both:.2f}×; without the trigram index "
              f"{raw_fts:.2f} s)")
        for query in ("朝鲜半岛", "北方领土 会谈", "会谈"):
            times, raw_times = [], []
            for _ in range(5):
                started = time.perf_counter()
                hits = store.search(project, query, plain=True, limit=200)
                times.append(time.perf_counter() - started)
                started = time.perf_counter()
                project.conn.execute("SELECT id FROM articles WHERE instr(text, ?) LIMIT 200",
                                     (query.split()[-1],)).fetchall()
                raw_times.append(time.perf_counter() - started)
            print(f"search {query!r} in {n} Chinese articles: {statistics.median(times) * 1000:.1f} ms, "
                  f"{len(hits)} hits (baseline raw instr scan, first 200: "
                  f"{statistics.median(raw_times) * 1000:.1f} ms; target < 100 ms)")
        project.close()


def bench_open_and_search() -> None:
    path = corpus.big_project(50_000, 300)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        project = store.open_project(path)
        store.count_articles(project)
        times.append(time.perf_counter() - started)
        project.close()
    raw_times = []
    for _ in range(5):
        started = time.perf_counter()
        db = sqlite_utils.Database(path)
        db.execute("SELECT count(*) FROM articles").fetchone()
        raw_times.append(time.perf_counter() - started)
        db.close()
    print(f"open a 50,000-article project: {statistics.median(times) * 1000:.1f} ms "
          f"(baseline raw sqlite-utils open + count: {statistics.median(raw_times) * 1000:.1f} ms; "
          "target < 1000 ms)")
    project = store.open_project(path)
    queries = ["missile defense", '"Northern Territories"', "Shoigu AND Lavrov", "sanction*"]
    for q in queries:
        times, raw_times = [], []
        for _ in range(5):
            started = time.perf_counter()
            hits = store.search(project, q, limit=200)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            project.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                                 "ORDER BY rank LIMIT 200", (q,)).fetchall()
            raw_times.append(time.perf_counter() - started)
        print(f"search {q!r} in 50,000 articles: {statistics.median(times) * 1000:.1f} ms, "
              f"{len(hits)} hits (baseline raw FTS5 MATCH: {statistics.median(raw_times) * 1000:.1f} ms; "
              "target < 100 ms)")
    project.close()


FIGURES = {"import": bench_import, "mixed": bench_import_mixed, "cjk": bench_cjk,
           "open": bench_open_and_search}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(FIGURES), action="append",
                        help="run only this figure (repeatable); default: all")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of the mixed-language import figure (median printed)")
    parser.add_argument("-n", type=int, default=N_IMPORT, help="articles imported (default 10,000)")
    args = parser.parse_args(argv)
    for name in args.only or list(FIGURES):
        if name == "mixed":
            bench_import_mixed(args.n, args.repeat)
        elif name == "import":
            bench_import(args.n)
        else:
            FIGURES[name]()


if __name__ == "__main__":
    main()
