"""Exports carry the agreement of the spans they hold: Krippendorff's α_u per code and over all
codes, in the export report (``framelens export --json`` and the desktop's export dialog), in
``agreement.json`` of the folder formats, and in the command's printed summary."""

from __future__ import annotations

import json

from framelens import store
from framelens.annotate.cli import main as framelens
from framelens.annotate.ops.datasets import AGREEMENT_FILE, export_agreement
from framelens.annotate.analysis.formats.model import XArticle, XCode, XProject, XSpan
from framelens.annotate.analysis.formats.refi import write_qdpx

# Krippendorff, Content Analysis (2004), p. 254 (see tests/test_agreement.py): continuum
# 150..450, two coders, codes c and k; (offset, length, coder, code).
K2004 = [(225, 70, "i", "c"), (370, 30, "i", "c"), (220, 80, "j", "c"), (355, 20, "j", "c"),
         (400, 20, "j", "c"), (180, 60, "i", "k"), (300, 50, "i", "k"), (180, 60, "j", "k"),
         (300, 50, "j", "k")]
TEXT = "".join(chr(0x61 + i % 26) for i in range(300))


def k2004(extra_coder: str | None = None) -> XProject:
    spans = [XSpan("doc", off - 150, off - 150 + n, f"k2004/{code}", coder)
             for off, n, coder, code in K2004]
    if extra_coder:   # the adjudicated coder never counts as a coder
        spans.append(XSpan("doc", 0, 10, "k2004/c", extra_coder))
    return XProject("k2004", [XArticle("doc", TEXT)],
                    [XCode("k2004/c", "k2004", "c"), XCode("k2004/k", "k2004", "k")], spans, [],
                    ["i", "j"])


def _by(rows):
    return {(r["measure"], r["code"]): r for r in rows}


def test_export_agreement_reproduces_the_worked_example():
    rows = export_agreement(k2004(extra_coder=store.ADJUDICATED))
    by = _by(rows)
    assert set(by) == {("alpha_u", "c"), ("alpha_u", "k"), ("alpha_u_all", "all codes")}
    assert round(by[("alpha_u", "c")]["value"], 4) == 0.7286
    assert by[("alpha_u", "k")]["value"] == 1.0
    assert round(by[("alpha_u_all", "all codes")]["value"], 4) == 0.8587
    assert by[("alpha_u", "c")]["code_key"] == "k2004/c"
    assert (by[("alpha_u", "c")]["n_units"], by[("alpha_u", "c")]["coders"]) == (5, ["i", "j"])
    assert by[("alpha_u", "c")]["few_units"] is True


def test_one_coder_gives_no_agreement():
    xp = k2004()
    xp.spans = [s for s in xp.spans if s.coder == "i"]
    assert export_agreement(xp) == []


def test_exports_carry_alpha_u(tmp_path, capsys):
    write_qdpx(k2004(), tmp_path / "k.qdpx")
    proj = tmp_path / "p.framelens"
    store.create_project(proj).close()
    assert framelens(["import-dataset", str(proj), str(tmp_path / "k.qdpx")]) == 0
    capsys.readouterr()
    assert framelens(["export", str(proj), "-f", "csv", "-o", str(tmp_path / "k.csv"),
                      "--json"]) == 0
    by = _by(json.loads(capsys.readouterr().out)["agreement"])
    assert round(by[("alpha_u", "c")]["value"], 4) == 0.7286
    assert round(by[("alpha_u_all", "all codes")]["value"], 4) == 0.8587
    assert framelens(["export", str(proj), "-f", "semeval", "-o", str(tmp_path / "sem")]) == 0
    out = capsys.readouterr().out
    assert "  α_u all codes: 0.859 (9 spans, 2 coders)" in out
    assert "  α_u c: 0.729 (5 spans, 2 coders) - few units, read with care" in out
    saved = json.loads((tmp_path / "sem" / AGREEMENT_FILE).read_text("utf-8"))
    assert _by(saved) == by
    # one coder's export (--coder) has no agreement to carry
    assert framelens(["export", str(proj), "-f", "semeval", "--coder", "i", "-o",
                      str(tmp_path / "one")]) == 0
    assert "α_u" not in capsys.readouterr().out
    assert not (tmp_path / "one" / AGREEMENT_FILE).exists()
