"""Decoding captured bytes: BOMs, UTF-8, legacy encodings of Russian, Japanese and Chinese."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.annotate.analysis.ingest import (DecodeError, Document, decode_bytes, guess_language,
                             normalise_text, read_file)
from framelens.annotate.analysis.ingest.decoding import declared_html_encoding

DATA = Path(__file__).resolve().parent / "data" / "ingest"


def paragraph(language: str) -> str:
    """A news paragraph (several sentences, 300+ characters) about the Russia–Japan talks."""
    text = (DATA / f"{language}.txt").read_text(encoding="utf-8")
    assert len(text) >= 300
    return text


@pytest.mark.parametrize("language, encoding", [
    ("ru", "cp1251"), ("ja", "shift_jis"), ("zh", "gb18030"),
    ("ru", "koi8_r"), ("ja", "euc_jp"), ("ru", "utf-8"), ("ja", "utf-8"), ("zh", "utf-8"),
])
def test_legacy_and_utf8_paragraphs_decode_exactly(language: str, encoding: str):
    original = paragraph(language)
    if encoding == "koi8_r":         # koi8-r has no guillemets
        original = original.replace("«", '"').replace("»", '"')
    text, detected = decode_bytes(original.encode(encoding))
    assert text == original
    assert detected == codecs.lookup(encoding).name


@pytest.mark.parametrize("language, encoding", [("ru", "cp1251"), ("ja", "shift_jis"),
                                                ("zh", "gb18030")])
def test_legacy_files_read_exactly_with_crlf_kept_in_raw_text(tmp_path, language, encoding):
    original = paragraph(language).replace("\n", "\r\n")
    path = tmp_path / f"{language}.txt"
    path.write_bytes(original.encode(encoding))
    [doc] = read_file(path)
    assert isinstance(doc, Document)
    assert doc.raw_text == original
    assert doc.text == original.replace("\r\n", "\n").strip("\n")
    assert doc.encoding == encoding and doc.language == language


@pytest.mark.parametrize("language, encoding", [("ru", "cp1251"), ("ja", "shift_jis"),
                                                ("zh", "gb18030")])
def test_coherent_script_overrides_a_single_byte_guess(monkeypatch, language, encoding):
    """The documented rule: a single-byte first guess loses to a coherent decoding."""
    import charset_normalizer

    class Guess:
        encoding = "cp1252" if language != "ru" else "mac_greek"

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data: [Guess()])
    original = paragraph(language)
    assert decode_bytes(original.encode(encoding)) == (original, encoding)


@pytest.mark.parametrize("short, encoding", [
    ("Лавров и Шойгу в Токио", "cp1251"), ("日本とロシアの外相会談が開かれた。", "shift_jis"),
    ("俄罗斯和日本举行会谈。", "gb18030"),
])
def test_short_texts_still_decode(short, encoding):
    assert decode_bytes(short.encode(encoding))[0] == short


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8-sig", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-32-le", codecs.BOM_UTF32_LE),
])
def test_byte_order_marks(encoding, bom):
    original = paragraph("ja") + "\r\nEnglish line."
    data = bom + original.encode(encoding.removesuffix("-sig"))
    assert decode_bytes(data) == (original, encoding)


def test_utf16_bom_file_keeps_raw_text_without_bom(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes(paragraph("ru").encode("utf-16"))      # BOM + native order
    [doc] = read_file(path)
    assert doc.raw_text == paragraph("ru") and not doc.raw_text.startswith("\ufeff")
    assert doc.encoding.startswith("utf-16")


def test_utf16_without_bom_is_recognised():
    original = paragraph("ru")
    assert decode_bytes(original.encode("utf-16-le")) == (original, "utf-16-le")


def test_damaged_utf8_stays_utf8():
    original = paragraph("ru").strip().rstrip(".")
    data = original.encode("utf-8")
    cut = data[:-1]                                  # a capture cut inside the last character
    assert decode_bytes(cut) == (original[:-1] + "\ufffd", "utf-8")
    middle = len(data) // 2 - len(data) // 2 % 2
    stray = data[:middle] + b"\xff" + data[middle:]   # one stray byte
    text, encoding = decode_bytes(stray)
    assert encoding == "utf-8" and text.replace("\ufffd", "", 1) == original


def test_latin1_text_with_one_accent_is_not_damaged_utf8():
    text = "The caf\u00e9 near the Foreign Ministry was closed during the talks on Monday."
    decoded, encoding = decode_bytes(text.encode("cp1252"))
    assert decoded == text and encoding != "utf-8"


def test_ascii_is_reported_as_utf8():
    assert decode_bytes(b"Plain ASCII text.\n") == ("Plain ASCII text.\n", "utf-8")


@pytest.mark.parametrize("data", [
    b"Some text\x00with NUL bytes\x00inside, as binary files have" * 5,
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    bytes(range(1, 32)) * 20,
])
def test_binary_is_refused(data):
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes(data)


def test_noise_is_refused_as_undecodable():
    noise = bytes((i * 37 + 11) % 128 + 128 for i in range(600))
    with pytest.raises(DecodeError, match="cannot decode text"):
        decode_bytes(noise)


def test_decode_error_is_a_value_error():
    assert issubclass(DecodeError, ValueError)


def test_declared_html_charset_is_used_when_utf8_fails():
    html = '<html><head><meta charset="windows-1251"><title>Переговоры</title></head>' \
           '<body><p>Лавров</p></body></html>'
    data = html.encode("cp1251")
    assert declared_html_encoding(data) == "windows-1251"
    assert decode_bytes(data, declared="windows-1251") == (html, "cp1251")


def test_valid_utf8_wins_over_a_stale_declaration():
    html = '<meta charset="windows-1251"><p>Лавров</p>'
    assert decode_bytes(html.encode("utf-8"), declared="windows-1251") == (html, "utf-8")


def test_normalise_text_hygiene():
    raw = "\ufeffLine one\r\nLine two\rLine\x00 three\x07\tend\x0b\x1f\x7f\n“quotes” é"
    assert normalise_text(raw) == "Line one\nLine two\nLine three\tend\n“quotes” é"


def test_normalise_text_does_not_unicode_normalise():
    decomposed = "e\u0301 \u00e9 \u2019 \u00a0"
    assert normalise_text(decomposed) == decomposed


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_any_utf8_text_round_trips(text):
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        decoded, encoding = decode_bytes(data)
    except DecodeError:
        controls = sum((ord(c) < 32 and c not in "\t\n\r") or c == "\x7f" for c in text)
        assert controls or text.startswith(("%PDF-", "GIF8", "Rar!", "OggS", "BZh9"))
        return
    if "\x00" in text:
        # documented rule: bytes with NULs are binary or BOM-less UTF-16, never UTF-8
        assert encoding.startswith("utf-16")
        return
    if text.startswith("\ufeff"):
        assert (decoded, encoding) == (text[1:], "utf-8-sig")
    else:
        assert (decoded, encoding) == (text, "utf-8")


@pytest.mark.parametrize("text, language", [
    (paragraph("ru"), "ru"), (paragraph("ja"), "ja"), (paragraph("zh"), "zh"),
    ("Japan and Russia resumed on Monday a ministerial security dialogue for the first time "
     "in over three years, and the talks are seen as symbolic.", "en"),
    ("Міністри закордонних справ України та Японії зустрілися в Києві. Їхні переговори "
     "тривали дві години, і сторони обговорили безпеку та енергетику.", "uk"),
    ("한국과 일본의 외교장관이 서울에서 회담을 가졌다.", "ko"),
    ("Le Japon et la Russie ont repris le dialogue sur la sécurité pour la première fois "
     "depuis trois ans, et les ministres sont satisfaits.", "fr"),
    ("12 345 678", None), ("", None),
])
def test_guess_language(text, language):
    assert guess_language(text) == language
