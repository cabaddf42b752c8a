"""Voices on the SEEN gold sets pooled (issue 14): recall and precision of direct-quotation
suggestions in Russian, Japanese and Chinese.

Seen sets: development (``wmt22_passages.json`` + ``voices_gold.json``), WMT21
(``voices_heldout_wmt21.json``), WMT23/WMT22 (``voices_heldout_wmt23.json``) and newstest2019/2020
(``voices_heldout_wmt19.json``), all in ``tests/data/nlp/`` (provenance in its README).

Every *direct* voice suggestion is classified against the gold:

* **right** - it covers a labelled quotation and names one of its speakers (as written or the
  actor-table name, the rule of tests/test_voices_heldout.py);
* **wrong speaker** - it covers a labelled quotation with another speaker;
* **not a labelled quotation** - it covers no labelled quotation.  The golds list every direct
  quotation of speech in their passages (terms, names, slogans and quotations whose speaker is
  not in the passage are left out on purpose), so these count as wrong too.

Precision = right / all direct suggestions; recall = labelled quotations with a right
suggestion / labelled quotations.  ``--dump FILE`` writes every suggestion with its verdict (to
compare two versions of the rules); ``--show`` prints the misses and the wrong suggestions.

Run: ``.venv/bin/python bench/voices_seen_eval.py [--show] [--dump out.json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "nlp"
SETS = ("dev", "wmt21", "wmt23", "wmt19")


def load_sets(names=SETS) -> dict[str, tuple[dict, list]]:
    """name -> (passages by id, labelled quotations)."""
    out = {}
    for name in names:
        if name == "dev":
            passages = json.loads((DATA / "wmt22_passages.json").read_text("utf-8"))["passages"]
            quotes = json.loads((DATA / "voices_gold.json").read_text("utf-8"))["quotes"]
        else:
            gold = json.loads((DATA / f"voices_heldout_{name}.json").read_text("utf-8"))
            passages, quotes = gold["passages"], gold["quotes"]
        out[name] = ({p["id"]: p for p in passages}, quotes)
    return out


def written_or_actor(speakers: list[str]) -> set[str]:
    from framelens.annotate.analysis.nlp.actors import get_actor_table
    table = get_actor_table()
    out = set(speakers)
    for name in speakers:
        actor = table.lookup(name)
        if actor is not None:
            out.add(actor.name)
    return out


def evaluate(sets: dict[str, tuple[dict, list]]) -> dict:
    """Per set and language: labelled, found right, and every direct suggestion's verdict."""
    from framelens.annotate.analysis.nlp import suggest
    result = {}
    for name, (passages, quotes) in sets.items():
        ids = list(passages)
        items = [(i, passages[pid]["text"], passages[pid]["language"]) for i, pid in enumerate(ids)]
        found = {ids[aid]: spans for aid, spans in suggest(items, suggesters=["voices"])}
        labelled: dict[str, list] = {}
        for q in quotes:
            text = passages[q["passage"]]["text"]
            at = text.index(q["snippet"])
            labelled.setdefault(q["passage"], []).append((at, written_or_actor(q["speakers"]), q))
        rows = []
        for pid, spans in found.items():
            lang = passages[pid]["language"]
            for s in spans:
                if s.data.get("kind") != "direct":
                    continue
                cover = [(at, names, q) for at, names, q in labelled.get(pid, []) if s.start <= at + 2 and s.end > at]
                if not cover:
                    verdict = "not a labelled quotation"
                elif any(s.label in names for _, names, _ in cover):
                    verdict = "right"
                else:
                    verdict = "wrong speaker"
                rows.append({"set": name, "lang": lang, "passage": pid, "start": s.start, "end": s.end,
                             "label": s.label, "verdict": verdict, "rationale": s.rationale,
                             "quote": passages[pid]["text"][s.start:s.start + 30]})
        recall = []
        for pid, labs in labelled.items():
            lang = passages[pid]["language"]
            for at, names, q in labs:
                hits = [s for s in found.get(pid, []) if s.start <= at + 2 and s.end > at]
                ok = any(s.label in names for s in hits)
                recall.append({"set": name, "lang": lang, "passage": pid, "snippet": q["snippet"],
                               "speakers": q["speakers"], "ok": ok, "got": [s.label for s in hits]})
        result[name] = {"suggestions": rows, "quotes": recall}
    return result


def table(result: dict) -> str:
    lines = ["| set | lang | right / labelled | direct suggestions | right | wrong speaker | not a labelled quotation | precision |",
             "|---|---|---|---|---|---|---|---|"]
    pooled: dict[str, list[int]] = {}
    for name, r in result.items():
        for lang in ("ru", "ja", "zh"):
            qs = [q for q in r["quotes"] if q["lang"] == lang]
            ss = [s for s in r["suggestions"] if s["lang"] == lang]
            c = [sum(q["ok"] for q in qs), len(qs), len(ss), sum(s["verdict"] == "right" for s in ss),
                 sum(s["verdict"] == "wrong speaker" for s in ss),
                 sum(s["verdict"] == "not a labelled quotation" for s in ss)]
            pooled[lang] = [a + b for a, b in zip(pooled.get(lang, [0] * 6), c)]
            lines.append(_row(name, lang, c))
    for lang, c in pooled.items():
        lines.append(_row("**pooled**", lang, c))
    return "\n".join(lines)


def _row(name: str, lang: str, c: list[int]) -> str:
    prec = f"{c[3] / c[2]:.2f}" if c[2] else "-"
    return f"| {name} | {lang} | {c[0]} / {c[1]} | {c[2]} | {c[3]} | {c[4]} | {c[5]} | {prec} |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true", help="print misses and wrong suggestions")
    ap.add_argument("--dump", help="write every suggestion and quotation with its verdict (JSON)")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ",".join(SETS))
    args = ap.parse_args(argv)
    result = evaluate(load_sets([s for s in args.sets.split(",") if s]))
    print(table(result))
    if args.show:
        for name, r in result.items():
            for q in r["quotes"]:
                if not q["ok"]:
                    print(f"MISS {name} {q['passage']} {q['snippet']!r} want {q['speakers']} got {q['got']}")
            for s in r["suggestions"]:
                if s["verdict"] != "right":
                    print(f"{s['verdict'].upper()} {name} {s['passage']} {s['quote']!r} -> {s['label']}: {s['rationale']}")
    if args.dump:
        Path(args.dump).write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
