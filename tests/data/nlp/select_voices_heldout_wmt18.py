"""Selection of tests/data/nlp/voices_heldout_wmt18.json (issue 14, FOURTH voices held-out set).

Written and run before anyone read the passages, labelled them or scored them:

    python select_voices_heldout_wmt18.py VAT_GIT_DIR WMT24_GIT_DIR OUT.json [PASSAGES]

VAT_GIT_DIR = git directory of NLP2CT/Variance-Aware-MT-Test-Sets at
66efe95f6cdcfe4493a569bb266ee8d60ca05936 (source sides of newstest2018 ru-en and zh-en as kept
by the VAT subset bert-r_filter-std60, with the kept-line indices); WMT24_GIT_DIR = git
directory of wmt-conference/wmt24-news-systems at bfa937e (WMT24 general test set, ja-zh
direction: ``txt/sources/ja-zh.txt``, one Japanese source segment a line, and
``txt/documents/ja-zh.docs``, the domain and document id of each line).

Rule (the same as the third set's, select_voices_heldout_wmt19.py, on new text):

* Russian: newstest2018 ru-en source; Chinese: newstest2018 zh-en source (VAT-kept lines, file
  order; newstest2018 carries no document ids here, so a passage may cross a document boundary);
  Japanese: WMT24 ja-zh source lines of the ``news`` domain, file order.
* A line is a focus when it holds a pair of quotation marks around 3+ words (Russian « », „ “,
  curly or straight double quotes) or 8+ characters (Chinese “ ” and 「 」, Japanese 「 」 and
  『 』).
* A passage is the focus line with up to two lines before it and one after it, each taken only
  while it is consecutive with the next in the original test set (no line dropped by VAT
  between) and, for Japanese, in the same document; lines of an earlier passage are not reused.
* The first ``PASSAGES`` passages per language (12).  If fewer than 10 direct quotations are
  labelled in a language, passages 13, 14 … are added in the same order until 10 are.

Nothing of newstest2018 nor of WMT24 was read for voices or alignment before this set: the sets
used so far are WMT22 (development and alignment), WMT21, WMT23/WMT22 documents, newstest2019
ru/zh and newstest2020 ja (VAT), and newstest2020/WMT21/WMT22 documents of the alignment golds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

PASSAGES = 12
VAT = {
    "ru": ("VAT_data/wmt18/vat_newstest2018-ruen-src.ru", "VAT_meta/wmt18/bert-r_filter-std60.json", "ru-en"),
    "zh": ("VAT_data/wmt18/vat_newstest2018-zhen-src.zh", "VAT_meta/wmt18/bert-r_filter-std60.json", "zh-en"),
}
WMT24_JA = ("txt/sources/ja-zh.txt", "txt/documents/ja-zh.docs")
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


def passages_of(lang: str, lines: list[str], index: list[int], doc, n: int) -> list[tuple[int, int, int]]:
    """(first line, one past the last, focus line) of the first ``n`` passages."""
    used: set[int] = set()
    out = []
    for k, line in enumerate(lines):
        if len(out) >= n:
            break
        if k in used or not focus(lang, line):
            continue
        a = k
        while a > 0 and k - a < 2 and a - 1 not in used and index[a - 1] == index[a] - 1 and doc(a - 1) == doc(k):
            a -= 1
        b = k + 1
        if b < len(lines) and index[b] == index[k] + 1 and doc(b) == doc(k):
            b += 1
        used.update(range(a, b))
        out.append((a, b, k))
    return out


def main(vat: str, wmt24: str, out: str, n: int = PASSAGES) -> None:
    passages = []
    for lang, (src, meta, pair) in VAT.items():
        lines = show(vat, src).split("\n")
        index = json.loads(show(vat, meta))[pair][:len(lines)]
        for a, b, k in passages_of(lang, lines, index, lambda _k: None, n):
            passages.append({"id": f"w18{lang}.{index[k]}", "language": lang,
                             "source": f"{src} lines {a + 1}-{b} (VAT); newstest2018 {pair} segments "
                                       f"{index[a]}-{index[b - 1]} (0-based)",
                             "text": "\n".join(lines[a:b])})
    src, docs = WMT24_JA
    all_lines = show(wmt24, src).split("\n")
    rows = [r.split("\t") for r in show(wmt24, docs).split("\n") if r]
    keep = [i for i, r in enumerate(rows) if r[0] == "news"]
    lines = [all_lines[i] for i in keep]
    doc_of = [rows[i][1] for i in keep]
    for a, b, k in passages_of("ja", lines, keep, lambda j: doc_of[j], n):
        passages.append({"id": f"w24ja.{doc_of[k]}.{keep[k]}", "language": "ja",
                         "source": f"{src} lines {keep[a] + 1}-{keep[b - 1] + 1} (1-based); document {doc_of[k]} (news)",
                         "text": "\n".join(lines[a:b])})
    json.dump({"passages": passages}, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:4], *([int(sys.argv[4])] if len(sys.argv) > 4 else []))
