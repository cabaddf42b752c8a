"""Language identification: py3langid vs lingua-language-detector on real news text.

Gold: ``tests/data/ingest/real/wmt22_news.jsonl`` (WMT22 general test set, news domain, original
language en/de/fr/ru/ja/zh; provenance in that folder's README).  Two sets per language:

* long  - each document's text (up to 3,000 characters, what the importer looks at);
* sample400 - each document's first 400 characters (what the importer samples);
* short - each paragraph's first 60 characters (a headline or a caption's length).

Each detector is asked for the ISO 639-1 code; py3langid with its default 97 languages,
lingua with all its languages (``from_all_languages``) in high- and low-accuracy mode, and
FrameLens's own :func:`annotate.ingest.scripts.guess_language` (script rules, stop-word fast
path, py3langid for the rest).
Figures: accuracy per set, microseconds per text, resident memory added by loading (RSS delta).
Run: ``python bench/bench_langid.py``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "tests" / "data" / "ingest" / "real" / "wmt22_news.jsonl"


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def load_sets() -> dict[str, list[tuple[str, str]]]:
    long, sample, short = [], [], []
    for line in GOLD.read_text("utf-8").splitlines():
        doc = json.loads(line)
        long.append((doc["language"], "\n".join(doc["paragraphs"])[:3000]))
        sample.append((doc["language"], "\n".join(doc["paragraphs"])[:400]))
        short.extend((doc["language"], p[:60]) for p in doc["paragraphs"] if len(p) >= 20)
    return {"long": long, "sample400": sample, "short": short}


def measure(name, loader, detect, sets) -> dict:
    before = _rss_mb()
    started = time.perf_counter()
    model = loader()
    load_s = time.perf_counter() - started
    row = {"detector": name, "load_s": round(load_s, 2), "rss_mb": round(_rss_mb() - before, 1)}
    for set_name, items in sets.items():
        detect(model, items[0][1])     # warm-up
        started = time.perf_counter()
        right = sum(detect(model, text) == lang for lang, text in items)
        elapsed = time.perf_counter() - started
        row[f"{set_name}_acc"] = f"{right}/{len(items)} ({right / len(items):.1%})"
        row[f"{set_name}_us"] = round(elapsed / len(items) * 1e6)
    return row


def _langid_loader():
    import py3langid.langid as langid
    langid.classify("warm up")          # loads the module's shared identifier
    return langid.IDENTIFIER


def _lingua_loader(low: bool):
    def load():
        from lingua import LanguageDetectorBuilder
        builder = LanguageDetectorBuilder.from_all_languages()
        if low:
            builder = builder.with_low_accuracy_mode()
        return builder.with_preloaded_language_models().build()
    return load


def _lingua_detect(model, text):
    found = model.detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None


def main(argv: list[str]) -> int:
    sets = load_sets()
    print(f"gold: {len(sets['long'])} documents, {len(sets['short'])} short texts")
    which = argv[1:] or ["framelens", "py3langid", "lingua-low", "lingua-high"]
    rows = []
    for name in which:
        if name == "framelens":
            from framelens.annotate.analysis.ingest.scripts import guess_language
            from framelens.annotate.analysis.ingest.scripts import identify
            rows.append(measure(name, lambda: identify("warm up"), lambda m, t: guess_language(t), sets))
        elif name == "py3langid":
            rows.append(measure(name, _langid_loader, lambda m, t: m.classify(t)[0], sets))
        elif name == "lingua-low":
            rows.append(measure(name, _lingua_loader(True), _lingua_detect, sets))
        elif name == "lingua-high":
            rows.append(measure(name, _lingua_loader(False), _lingua_detect, sets))
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
