"""Generated corpora for the benchmarks: realistic-length English news articles built from the
demo corpus's sentences, deterministic for a given seed, cached under ``bench/out/``."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from framelens import store

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


#: words of Chinese wire copy about the talks, for generated Chinese articles
ZH_WORDS = ("中俄 两国 外长 防长 北京 东京 莫斯科 举行 会谈 讨论 朝鲜半岛 问题 日本 政府 北方领土 南千岛群岛 "
            "俄罗斯 协议 经济合作 安全 对话 导弹防御 系统 恐怖主义 毒品走私 双方 表示 继续 加强 关系 地区 "
            "和平 稳定 发展 合作 部长 会晤 首次 机制 美国 部署 反对 关注 磋商 共同 经济活动").split()


def zh_articles(n: int, chars: int = 1500, seed: int = 2) -> list[dict]:
    """``n`` Chinese article rows of about ``chars`` characters (sentences of the words above)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        parts, count = [f"第{i}篇报道。"], 0
        while count < chars:
            sentence = "".join(rng.choice(ZH_WORDS) + rng.choice(("", "", "的", "了", "在", "，"))
                               for _ in range(rng.randint(6, 14))) + "。"
            parts.append(sentence)
            count += len(sentence)
        rows.append({"title": f"报道 {i}", "text": "".join(parts), "outlet": "Xinhua",
                     "country": "CN", "published": f"{2013 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                     "url": f"https://example.cn/{i}"})
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
