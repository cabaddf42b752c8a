"""Selection of tests/data/nlp/voices_heldout_wmt19.json (issue 14, third voices held-out set).

Run once, before any labelling or scoring, with the two repositories checked out:

    python select_voices_heldout_wmt19.py VAT_REPO WMT20_METRICS_REPO OUT.json

VAT_REPO = NLP2CT/Variance-Aware-MT-Test-Sets at 66efe95f6cdcfe4493a569bb266ee8d60ca05936 (source
sides and kept-line indices of the WMT test sets), WMT20_METRICS_REPO =
WMT-Metrics-task/wmt20-metrics at 3e434fc32fd02999c885575df6167c31f60ee996 (document ids of
newstest2020 lines).  The rule is in the output's ``about`` field; this script only applies it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

PASSAGES = 12          # per language (a fourth argument overrides it: the rule adds passages 13, 14 …)
FILES = {
    "ru": ("VAT_data/wmt19/vat_newstest2019-ruen-src.ru", "VAT_meta/wmt19/bert-r_filter-std60.json", "ru-en"),
    "zh": ("VAT_data/wmt19/vat_newstest2019-zhen-src.zh", "VAT_meta/wmt19/bert-r_filter-std60.json", "zh-en"),
    "ja": ("VAT_data/wmt20/vat_newstest2020-jaen-src.ja.txt", "VAT_meta/wmt20/bert-r_filter-std60.json", "ja-en"),
}
#: documents of assets/gold/align_crosslingual_wmt20.json (Japanese): not reused
SKIP_DOCS = {"yahoo-ja.18435", "fukui_shimbun-ja.117", "yahoo-ja.21761"}
QUOTE = {
    "ru": re.compile(r"«[^»\n]+»|„[^“\n]+“|“[^”\n]+”|\"[^\"\n]+\""),
    "zh": re.compile(r"“[^”\n]+”|「[^」\n]+」"),
    "ja": re.compile(r"「[^」\n]+」|『[^』\n]+』"),
}


def show(repo: str, path: str) -> str:
    return subprocess.run(["git", "--git-dir", repo, "show", f"HEAD:{path}"], check=True,
                          capture_output=True, text=True).stdout


def focus(lang: str, line: str) -> bool:
    for m in QUOTE[lang].finditer(line):
        inner = m.group()[1:-1]
        if (len(inner.split()) >= 3) if lang == "ru" else (len(inner.strip()) >= 8):
            return True
    return False


def main(vat: str, metrics: str, out: str) -> None:
    details = show(metrics, "input/details/ja-en.txt").splitlines()
    ja_doc = {int(row.split("\t")[0]) - 1: row.split("\t")[3] for row in details}
    passages = []
    for lang, (src, meta, pair) in FILES.items():
        lines = show(vat, src).split("\n")
        index = json.loads(show(vat, meta))[pair][:len(lines)]
        doc = (lambda k: ja_doc[index[k]]) if lang == "ja" else (lambda k: None)
        used: set[int] = set()
        found = 0
        for k, line in enumerate(lines):
            if found >= PASSAGES or k in used or not focus(lang, line):
                continue
            if lang == "ja" and doc(k) in SKIP_DOCS:
                continue
            a = k
            while a > 0 and k - a < 2 and a - 1 not in used and index[a - 1] == index[a] - 1 and doc(a - 1) == doc(k):
                a -= 1
            b = k + 1
            if b < len(lines) and index[b] == index[k] + 1 and doc(b) == doc(k):
                b += 1
            used.update(range(a, b))
            found += 1
            name = {"ru": "newstest2019 ru-en", "zh": "newstest2019 zh-en", "ja": "newstest2020 ja-en"}[lang]
            passages.append({
                "id": f"w19{lang}.{index[k]}" if lang != "ja" else f"w20ja.{doc(k)}.{index[k]}",
                "language": lang,
                "source": f"{src} lines {a + 1}-{b} (VAT); {name} segments {index[a]}-{index[b - 1]} (0-based)"
                          + (f"; document {doc(k)}" if lang == "ja" else ""),
                "text": "\n".join(lines[a:b]),
            })
    json.dump({"passages": passages}, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    if len(sys.argv) > 4:
        PASSAGES = int(sys.argv[4])
    main(*sys.argv[1:4])
