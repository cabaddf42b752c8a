"""The exchange model's helpers: UTF-16 <-> code-point offsets, line-end folding, safe input."""

import io
import zipfile

import pytest
from hypothesis import given, settings, strategies as st

from framelens.annotate.analysis.formats.model import (
    FormatError, ReadLimits, SafeZip, Utf16Index, XArticle, XProject, XSpan, cp_to_utf16,
    decode_text_bytes, fold_line_ends, is_truthy, parse_xml_safely, text_sha256, utf16_to_cp,
)

TRICKY = ["🇯🇵", "👍🏽", "𠮷", "\u200f", "\u200e", "\u200d", "\u202e", "👨\u200d👩\u200d👧",
          "é", "e\u0301", "\u05e9\u05dc\u05d5\u05dd", "日本", "\r\n", "\n", "\ufeff"]
texts = st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(TRICKY)),
                 max_size=40).map("".join)


def units(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@settings(max_examples=300, deadline=None)
@given(texts)
def test_utf16_round_trip_every_offset(text):
    idx = Utf16Index(text)
    assert idx.utf16_length == units(text)
    for cp in range(len(text) + 1):
        u = idx.to_utf16(cp)
        assert u == units(text[:cp])
        assert idx.to_cp(u) == cp
        assert cp_to_utf16(text, cp) == u and utf16_to_cp(text, u) == cp
    valid = {units(text[:cp]) for cp in range(len(text) + 1)}
    for u in range(idx.utf16_length + 1):
        if u in valid:
            assert idx.to_utf16(idx.to_cp(u)) == u
        else:
            with pytest.raises(ValueError, match="surrogate pair"):
                idx.to_cp(u)


def test_utf16_examples_and_range_errors():
    text = "a🇯🇵b𠮷"
    assert [cp_to_utf16(text, i) for i in range(6)] == [0, 1, 3, 5, 6, 8]
    assert utf16_to_cp(text, 8) == 5
    for bad in (2, 4, 7):
        with pytest.raises(ValueError):
            utf16_to_cp(text, bad)
    for bad in (-1, 9):
        with pytest.raises(ValueError):
            utf16_to_cp(text, bad)
    with pytest.raises(ValueError):
        cp_to_utf16(text, 6)


def test_utf16_index_round_trips_on_long_texts():
    """Every 7th offset of a long text full of astral characters (the speed is in
    bench/bench_offsets.py, beside encoding the text to UTF-16)."""
    text = ("word 👍🏽 " * 50_000) + "𠮷" * 1000
    idx = Utf16Index(text)
    for cp in range(0, len(text), 7):
        assert idx.to_cp(idx.to_utf16(cp)) == cp
    assert idx.to_utf16(len(text)) == len(text.encode("utf-16-le")) // 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "\r\n", "\r", "\n", "🇯🇵"]), max_size=30).map("".join))
def test_fold_line_ends_maps_offsets(text):
    fold = fold_line_ends(text)
    assert fold.text == text.replace("\r\n", "\n").replace("\r", "\n")
    assert "\r" not in fold.text
    for p in range(len(text) + 1):
        splits_pair = 0 < p < len(text) and text[p - 1] == "\r" and text[p] == "\n"
        if not splits_pair:
            assert fold_line_ends(text[:p]).text == fold.text[:fold.map(p)]
        else:
            assert fold.map(p) == fold.map(p - 1)  # both land just before the LF


def test_fold_line_ends_spans_keep_their_characters():
    raw = "one\r\ntwo 🇯🇵\r\nthree\rfour"
    fold = fold_line_ends(raw)
    start, end = raw.index("two"), raw.index("three") + len("three")
    assert fold.text[fold.map(start):fold.map(end)] == "two 🇯🇵\nthree"


def test_article_hash_and_truthiness():
    a = XArticle("k", "text")
    assert a.sha256 == text_sha256("text") and len(a.sha256) == 64
    assert all(is_truthy(v) for v in ("1", "yes", "True", 1, True, "present"))
    assert not any(is_truthy(v) for v in ("0", "no", "", 0, False, "false"))
    p = XProject("p", [a], spans=[XSpan("k", 0, 1, "c", "zed")], coders=["amy"])
    assert p.all_coders() == ["amy", "zed"]


def test_format_error_names_the_file():
    err = FormatError("/x/y.qdpx", "broken")
    assert str(err) == "/x/y.qdpx: broken" and isinstance(err, ValueError)


def _zip(members: dict) -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    buf.seek(0)
    return buf


def test_safe_zip_lookup_ignores_case_and_bounds_reads():
    z = SafeZip(_zip({"Sources/A.txt": b"abc", "big.txt": b"x" * 5000}), ReadLimits())
    assert z.read(z.find("sources/a.TXT")) == b"abc"
    assert z.find("./sources/a.txt") is not None and z.find("nope") is None
    small = SafeZip(_zip({"big.txt": b"x" * 5000}), ReadLimits(max_member=1000))
    with pytest.raises(FormatError, match="beyond 1000 bytes"):
        small.read(small.find("big.txt"))
    total = SafeZip(_zip({"a": b"a" * 600, "b": b"b" * 600}), ReadLimits(max_total=1000))
    total.read(total.find("a"))
    with pytest.raises(FormatError, match="in total"):
        total.read(total.find("b"))


@pytest.mark.parametrize("name", ["../evil.txt", "sources/../../evil.txt", "/etc/passwd",
                                  "C:/Windows/evil.txt", "..\\evil.txt"])
def test_safe_zip_refuses_zip_slip_names(name):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # bypass any normalisation: hostile archives are built by hand
        zf.writestr(info, b"x")
    buf.seek(0)
    with pytest.raises(FormatError, match="absolute or parent-relative"):
        SafeZip(buf, ReadLimits())


def test_xml_and_text_decoding_refusals():
    with pytest.raises(FormatError, match="DTD"):
        parse_xml_safely(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>', "f")
    with pytest.raises(FormatError, match="malformed"):
        parse_xml_safely(b"<r>", "f")
    assert decode_text_bytes("\ufeffhé".encode("utf-8"), "f") == "hé"
    assert decode_text_bytes("hé".encode("utf-16"), "f") == "hé"
    with pytest.raises(FormatError, match="UTF-8"):
        decode_text_bytes(b"\xff\x00abc", "f")
