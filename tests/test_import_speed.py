"""The import speed-ups keep every result (issue 14's import bench): the outlet-alias trie
matches what the plain alternation matches, domains resolve as before, a bulk file streams
row by row with the same items as ``read_file``, and the change log of a bulk insert is
the one row-by-row logging wrote."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from framelens import store
from framelens.annotate.ops.importer import import_paths
from framelens.annotate.analysis.ingest import iter_file, read_file
from framelens.annotate.analysis.ingest import outlets as outlets_module
from framelens.annotate.analysis.ingest import reader as reader_module

REAL = Path(__file__).parent / "data" / "ingest" / "real" / "wmt22_news.jsonl"


def _aliases() -> tuple[list[str], list[str]]:
    """The registry's case-sensitive and case-folded aliases, as ``_load`` splits them."""
    exact, folded, seen = [], [], set()
    for outlet in outlets_module.load_outlet_registry():
        for alias in (outlet.name, *outlet.aliases):
            sensitive = len(alias) <= 5 or alias.isupper()
            key = alias if sensitive else alias.casefold()
            if key not in seen:
                seen.add(key)
                (exact if sensitive else folded).append(alias)
    return exact, folded


def _pieces() -> list[str]:
    pieces = []
    for line in REAL.read_text("utf-8").splitlines():
        for paragraph in json.loads(line)["paragraphs"][:6]:
            pieces.extend(outlets_module._ends(paragraph))
    exact, folded = _aliases()
    for alias in exact + folded:
        pieces += [f"{alias} said", f"({alias})", f"x{alias}y", f"{alias}x", alias[:-1],
                   f"{alias.upper()} and {alias.lower()}", f"©{alias}", alias.swapcase(),
                   f"По данным {alias}, ", f"据{alias}报道", f"【{alias}】"]
    return pieces


@pytest.mark.parametrize("kind", ["exact", "folded"])
def test_alias_trie_matches_what_the_plain_alternation_matches(kind):
    exact, folded = _aliases()
    aliases, flags = (exact, 0) if kind == "exact" else (folded, re.IGNORECASE)
    trie = outlets_module._alternation(aliases, flags)
    plain = outlets_module._plain_alternation(aliases, flags)
    assert trie.pattern != plain.pattern          # the trie is in use for the shipped registry
    pieces = _pieces()
    assert len(pieces) > 2000
    differing = [p for p in pieces if [m.span() for m in trie.finditer(p)]
                 != [m.span() for m in plain.finditer(p)]]
    assert differing == []


def test_alias_trie_prefers_the_longest_alias_with_its_boundaries():
    pattern = outlets_module._alternation(["RIA", "RIA Novosti", "RIAN", "新华社", "新华"], 0)
    assert [m.group(0) for m in pattern.finditer("RIA Novostix RIA Novosti RIANS RIAN 新华社电 新华网")] \
        == ["RIA", "RIA Novosti", "RIAN", "新华社", "新华"]
    folded = outlets_module._alternation(["Japan Times", "Japan Today"], re.IGNORECASE)
    assert [m.group(0) for m in folded.finditer("JAPAN TIMES, japan today, xJapan Times")] \
        == ["JAPAN TIMES", "japan today"]


def test_alias_trie_falls_back_when_it_cannot_be_exact():
    # two keys equal ignoring case only through Unicode's special cases (Kelvin sign, k)
    aliases = ["\u212aommersant daily", "kommersant weekly"]
    pattern = outlets_module._alternation(aliases, re.IGNORECASE)
    assert pattern.pattern == outlets_module._plain_alternation(aliases, re.IGNORECASE).pattern


def _outlet_for_host_by_scan(host: str):
    """The rule as first written: every registry domain tried, the longest matching wins."""
    host = host.lower().rstrip(".")
    best = None
    for outlet in outlets_module.load_outlet_registry():
        for domain in outlet.domains:
            if (host == domain or host.endswith("." + domain)) and (
                    best is None or len(domain) > best[0]):
                best = (len(domain), outlet)
    return best[1] if best else None


def test_domains_resolve_to_the_longest_registry_domain():
    hosts = ["www.example.org", "org", "", ".", "a..b", "example.org."]
    for outlet in outlets_module.load_outlet_registry():
        for domain in outlet.domains:
            hosts += [domain, f"news.{domain}.", f"x{domain}", f"WWW.{domain.upper()}",
                      domain.split(".", 1)[-1], f"a..{domain}", f".{domain}"]
    assert [outlets_module._outlet_for_host(h) for h in hosts] \
        == [_outlet_for_host_by_scan(h) for h in hosts]
    assert outlets_module._outlet_for_host("russian.rt.com").name == "RT"


def _bulk(tmp_path: Path, n: int = 30) -> Path:
    path = tmp_path / "rows.jsonl"
    rows = [{"text": f"Paragraph {i} about the talks in Moscow and Tokyo.\n\nShare this article",
             "title": f"Row {i}"} for i in range(n)]
    rows[7] = {"title": "no text"}
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", "utf-8")
    return path


def test_iter_file_gives_the_items_of_read_file(tmp_path):
    path = _bulk(tmp_path)
    assert list(iter_file(path)) == read_file(path)
    assert len(read_file(path)) == 31


def test_a_reader_defect_ends_a_streamed_bulk_file_after_its_earlier_rows(tmp_path, monkeypatch):
    path = _bulk(tmp_path)
    real = reader_module.clean_text
    calls = []

    def explode_on_fourth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(reader_module, "clean_text", explode_on_fourth)
    items = list(iter_file(path))
    assert [type(i).__name__ for i in items] == ["Document"] * 3 + ["ImportProblem"]
    assert items[-1].reason == "unexpected error while reading: RuntimeError: boom"
    calls.clear()
    [problem] = read_file(path)                   # read_file keeps all-or-nothing
    assert problem.reason == "unexpected error while reading: RuntimeError: boom"


def test_bulk_logging_writes_the_rows_row_by_row_logging_wrote(tmp_path):
    path = _bulk(tmp_path, 120)
    project = store.create_project(tmp_path / "p.framelens")
    report = import_paths(project, [path])
    assert len(report.imported) == 119 and len(report.problems) == 2
    logged = project.query("SELECT table_name, row_id, op, before_json, after_json FROM changes "
                           "WHERE table_name = 'articles' ORDER BY id")
    assert [r["row_id"] for r in logged] == report.article_ids
    for row in logged:
        article = dict(project.query_one("SELECT * FROM articles WHERE id = ?", (row["row_id"],)))
        image = {k: v for k, v in article.items() if k not in ("text", "raw_text", "removed_json")}
        assert (row["op"], row["before_json"]) == ("insert", None)
        assert json.loads(row["after_json"]) == image
        assert row["after_json"] == json.dumps(
            {k: v for k, v in json.loads(row["after_json"]).items()}, ensure_ascii=False)
    project.close()


#: the per-script classes as written before the counts moved to one numpy pass
_CLASSES = {
    "latin": r"[A-Za-z]", "latin_ext": r"[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]",
    "cyrillic": r"[\u0400-\u052F]", "greek": r"[\u0370-\u03FF]", "hebrew": r"[\u05D0-\u05EA]",
    "arabic": r"[\u0620-\u064A\u066E-\u06D3]", "thai": r"[\u0E01-\u0E30\u0E32\u0E33\u0E40-\u0E46]",
    "kana": r"[\u3041-\u3096\u30A1-\u30FA\u31F0-\u31FF]",
    "han": r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]",
    "hangul": r"[\uAC00-\uD7AF\u1100-\u11FF\u3131-\u318E]",
}


def test_script_counts_are_the_per_script_scans():
    from framelens.annotate.analysis.ingest import scripts
    import random

    rng = random.Random(14)
    edges = [e for ranges in scripts._SCRIPT_RANGES.values() for a, b in ranges
             for e in (a - 1, a, b, b + 1)] + [0xD800, 0xDFFF, 0x10FFFF]
    samples = [json.loads(line)["paragraphs"][0][:3000] for line in REAL.read_text("utf-8").splitlines()]
    samples += ["".join(chr(rng.choice(edges)) if rng.random() < 0.5 else chr(rng.randrange(0x110000))
                        for _ in range(2000)) for _ in range(50)]
    for sample in samples:
        expected = {name: len(re.findall(pattern, sample)) for name, pattern in _CLASSES.items()}
        assert dict(scripts.script_counts(sample)) == expected
