"""Issue 14 (a) speed work, piece by piece: each faster path answers what the slower one did.

* the furniture patterns' first-character filter (``ingest/firstchar.py``) says a line matches
  exactly when the one alternation of all patterns does: on every line of the real pages, the
  WMT22 documents and the plain-text fixtures, and on lines made to start with every character
  the patterns name, in both cases, plus the characters Python matches case-insensitively
  with others (``ſ`` ``K`` ``İ`` ``ı`` ``Å`` ``ᲀ``);
* the importer's hand-over in lists keeps progress calls in order and per file.
The whole import is compared with the importer before the speed work in
``tests/test_import_identity.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from framelens import store
from framelens.annotate.analysis.ingest import furniture
from framelens.annotate.analysis.ingest.firstchar import FirstCharFilter, first_char_filter
from framelens.annotate.ops.importer import import_paths

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ingest"
SPECIAL = "ſKİıÅᲀẞßΣςσΩΩµμ"


def _corpus_lines() -> list[str]:
    lines = []
    for line in (DATA / "real" / "wmt22_news.jsonl").read_text("utf-8").splitlines():
        for paragraph in json.loads(line)["paragraphs"]:
            lines += paragraph.split("\n")
    for path in [*(DATA / "real" / "html").iterdir(), *DATA.glob("*.txt"),
                 *(ROOT / "assets" / "demo").glob("*/*.txt")]:
        lines += path.read_bytes().decode("utf-8", "replace").split("\n")
    return [s for s in (line.strip() for line in lines) if s]


@pytest.fixture(scope="module")
def rules():
    loaded = furniture.load_furniture_rules()
    assert loaded.any_rule is not None and loaded.first_char is not None
    return loaded


def test_every_shipped_pattern_is_read(rules):
    assert None not in rules.first_char._tests      # no pattern kept for every character


def test_filter_answers_what_the_alternation_answers_on_real_lines(rules):
    lines = _corpus_lines()
    assert len(lines) > 5000
    differing = [s for s in lines
                 if rules.first_char.match(s) != (rules.any_rule.match(s) is not None)]
    assert differing == []
    assert sum(rules.any_rule.match(s) is not None for s in lines) > 20   # some do match


def test_filter_answers_what_the_alternation_answers_for_every_first_character(rules):
    data = json.loads((ROOT / "assets" / "furniture.json").read_text("utf-8"))
    named = set("".join(r["pattern"] for r in data["rules"])) | set("".join(data["agencies"]))
    probes = set(SPECIAL) | set("0123456789 ([【（-©>＞›»")
    for ch in named:
        probes |= {ch, ch.upper(), ch.lower(), ch.casefold()[:1]}
    matching = [s for s in _corpus_lines() if rules.any_rule.match(s)]
    tails = sorted({s[1:80] for s in matching} | {"", " x", "hoto: Reuters", "ookies"})
    differing = []
    for ch in sorted(p for p in probes if p.strip()):
        for tail in tails:
            line = ch + tail
            if rules.first_char.match(line) != (rules.any_rule.match(line) is not None):
                differing.append(line)
    assert differing == []


def test_patterns_the_filter_cannot_read_are_tried_for_every_line():
    patterns = [re.compile(r"^(?=Foo)Foo bar$"), re.compile(r"^(?P<x>)(?P=x)y$"), re.compile(r"^x?$"),
                re.compile(r"^(?i:ſtop)$")]
    fc = FirstCharFilter(patterns)
    assert fc._tests[0] is None and fc._tests[1] is None and fc._tests[2] is None
    assert fc.match("Foo bar") and fc.match("y") and fc.match("x")
    assert fc.match("STOP") and fc.match("stop") and not fc.match("top")
    assert first_char_filter([]) is not None and not first_char_filter([]).match("x")


def test_progress_calls_stay_per_file_and_in_order(tmp_path):
    for number in range(40):
        (tmp_path / f"{number:02d}.txt").write_text(f"Article {number}.\n\nText of article "
                                                    f"{number} with words.", "utf-8")
    (tmp_path / "rows.jsonl").write_text("".join(
        json.dumps({"text": f"Row {i} text with words."}) + "\n" for i in range(100)), "utf-8")
    project = store.create_project(tmp_path / "p.framelens")
    calls = []
    report = import_paths(project, [tmp_path], progress=lambda d, t, p: calls.append((d, t)))
    assert len(report.imported) == 140 and report.problems == []
    assert calls == [(d, 41) for i in range(41) for d in (i, i + 1)]
    assert [s for s, _ in report.imported][:2] == [str(tmp_path / "00.txt"), str(tmp_path / "01.txt")]
    assert report.imported[40][0] == f"{tmp_path / 'rows.jsonl'}#line=1"
    project.close()
