"""Suggestion pass per language beside raw ``nlp.pipe`` of the same pipeline, and memory with
every language's pipeline loaded.

Run: ``.venv/bin/python bench/bench_suggest_lang.py [--articles 40] [--rounds 3]
[--batch-size 16] [--langs ru ja zh en]``

1. Throughput, per language.  ``--articles`` articles of ~1,500 characters are made from the
   real WMT22 news passages of that language in ``tests/data/nlp/wmt22_passages.json``
   (rotated and concatenated, so no two articles are the same); English uses the same number
   of generated articles (``bench/corpus.py``).  The suggestion pass is
   ``annotate.nlp.suggest`` (the language's pipeline, the four rule suggesters, the
   ``Suggestion`` records); the baseline is ``nlp.pipe`` of the very same pipeline object with
   the FrameLens components disabled — same texts, same batch size, in this process, round by
   round, alternating which goes first.  Ratio = suggestion throughput / raw throughput
   (target ≥ 0.9).
2. Memory: RSS and PSS (``/proc/self/smaps_rollup``) of this process after importing spaCy
   (the baseline) and after all four pipelines are loaded and have run (target < 2 GB).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.90
TARGET_MB = 2048
PASSAGES = ROOT / "tests/data/nlp/wmt22_passages.json"


def _mem_mb(field: str) -> float:
    with open("/proc/self/smaps_rollup") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def articles(lang: str, n: int, size: int = 1500) -> list[str]:
    """``n`` distinct ~``size``-character articles of real text in ``lang``."""
    if lang == "en":
        from bench.corpus import articles as generated
        return [row["text"] for row in generated(n, 250)]
    texts = [p["text"] for p in json.loads(PASSAGES.read_text("utf-8"))["passages"] if p["language"] == lang]
    paras = [line for t in texts for line in t.split("\n") if line.strip()]
    out = []
    for i in range(n):
        k = (i * 3) % len(paras)
        parts = []
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(paras[k % len(paras)])
            k += 1 + i % 2
        out.append("\n".join(parts))
    return out


def throughput(lang: str, n: int, rounds: int, batch_size: int) -> dict:
    from framelens.annotate.analysis.nlp import get_pipeline, suggest
    from framelens.annotate.analysis.nlp.pipeline import RULE_SUGGESTERS

    lp = get_pipeline(lang)
    texts = articles(lang, n)
    chars = sum(len(t) for t in texts)
    off = [f"framelens_{s}" for s in RULE_SUGGESTERS]

    def raw() -> None:
        with lp.nlp.select_pipes(disable=off):
            for _ in lp.nlp.pipe(texts, batch_size=batch_size):
                pass

    def sugg() -> int:
        return sum(len(found) for _, found in suggest([(i, t, lang) for i, t in enumerate(texts)],
                                                     batch_size=batch_size))

    raw()
    found = sugg()                       # warm both
    t_raw: list[float] = []
    t_sugg: list[float] = []
    for r in range(rounds):
        order = (raw, sugg) if r % 2 == 0 else (sugg, raw)
        for fn in order:
            t0 = time.perf_counter()
            fn()
            (t_raw if fn is raw else t_sugg).append(time.perf_counter() - t0)
    best_raw, best_sugg = min(t_raw), min(t_sugg)   # the least disturbed round of each (shared cores)
    return {"lang": lang, "model": lp.model_name, "articles": n, "chars": chars,
            "raw_s": best_raw, "suggest_s": best_sugg,
            "ratio": best_raw / best_sugg if best_sugg else 0.0, "suggestions": found}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--langs", nargs="+", default=["ru", "ja", "zh", "en"])
    args = ap.parse_args(argv if argv is not None else sys.argv[1:])
    import spacy  # noqa: F401  (the baseline includes spaCy itself)
    base_rss, base_pss = _mem_mb("Rss"), _mem_mb("Pss")
    rows = []
    for lang in args.langs:
        row = throughput(lang, args.articles, args.rounds, args.batch_size)
        rows.append(row)
        ok = "ok" if row["ratio"] >= TARGET_RATIO else "BELOW TARGET"
        print(f"{lang} ({row['model']}): {row['articles']} articles, {row['chars']} chars; "
              f"raw nlp.pipe {row['raw_s']:.2f} s ({row['chars'] / row['raw_s']:.0f} chars/s), "
              f"suggestion pass {row['suggest_s']:.2f} s ({row['chars'] / row['suggest_s']:.0f} chars/s, "
              f"{row['suggestions']} suggestions) → {row['ratio']:.2f}× raw (target ≥ {TARGET_RATIO}): {ok}",
              flush=True)
    rss, pss = _mem_mb("Rss"), _mem_mb("Pss")
    ok = "ok" if rss < TARGET_MB else "ABOVE TARGET"
    print(f"memory with {', '.join(args.langs)} pipelines loaded: RSS {rss:.0f} MB, PSS {pss:.0f} MB "
          f"(baseline after importing spaCy: RSS {base_rss:.0f} MB, PSS {base_pss:.0f} MB; "
          f"target < {TARGET_MB} MB): {ok}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
