"""Generated corpora for the benchmarks: realistic-length English news articles built from the
demo corpus's sentences, deterministic for a given seed, cached under ``bench/out/``."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SEEDS = ROOT / "assets" / "demo" / "two-plus-two"
OUTLETS = [("The Japan Times", "JP"), ("PenzaNews", "RU"), ("Russia Beyond", "RU"),
           ("Valdai Discussion Club", "RU"), ("Global Times", "CN"), ("Kyodo", "JP"),
           ("TASS", "RU"), ("Xinhua", "CN"), ("NHK", "JP"), ("China Daily", "CN")]


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        for para in path.read_text("utf-8").split("\n"):
            sentences += [s for s in re.split(r"(?<=[.!?”])\s+", para) if len(s.split()) >= 6]
    return sentences


def articles(n: int, words: int = 800, seed: int = 1) -> list[dict]:
    """``n`` article rows (text, title, outlet, country, published, url) of about ``words`` words."""
    rng = random.Random(seed)
    pool = seed_sentences()
    rows = []
    for i in range(n):
        paras, count = [], 0
        while count < words:
            para = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
            count += len(para.split())
            paras.append(para)
        outlet, country = OUTLETS[i % len(OUTLETS)]
        year = 2013 + i % 6
        rows.append({
            "title": f"Report {i}: " + " ".join(paras[0].split()[:8]),
            "text": f"Article {i}.\n\n" + "\n\n".join(paras),
            "outlet": outlet, "country": country,
            "published": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "url": f"https://example.org/{i}",
        })
    return rows


def write_jsonl(rows: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def big_project(n: int = 50_000, words: int = 300, *, name: str | None = None) -> Path:
    """A project with ``n`` generated articles, built once and cached (delete bench/out to rebuild)."""
    path = OUT / (name or f"corpus-{n}x{words}.framelens")
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    project = store.create_project(tmp)
    rows = articles(n, words)
    for start in range(0, n, 5000):
        with project.action("import", "bench corpus"):
            for r in rows[start:start + 5000]:
                store.add_article(project, **r)
    project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    tmp.rename(path)
    return path
