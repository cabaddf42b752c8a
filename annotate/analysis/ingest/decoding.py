"""Turning the bytes of a captured file into text, and the hygiene applied to analysed text.

Encoding rule (in this order, first match wins):

1. A byte-order mark: UTF-8, UTF-32 (LE/BE) or UTF-16 (LE/BE).  The BOM is not part of the text.
2. Seven-bit text with ISO 2022 escape sequences (``ESC $ B``, ``ESC ( J``, ``ESC $ ) C``...) or
   HZ shifts (``~{ ... ~}``) is ISO-2022-JP (and its -2004, -2, -ext variants), ISO-2022-KR or
   HZ-GB-2312 - the first of those that decodes strictly to coherent text.  These encodings are
   plain ASCII bytes with ESC (0x1B) shifts, so this runs before the binary sniffing below,
   which would take the ESC bytes for control characters.
3. Known binary signatures (PDF, ZIP/DOCX, PNG, JPEG, GIF, OLE, gzip, ELF, ...) and NUL bytes
   mean "binary file (not text)" - except BOM-less UTF-16, recognised by NUL bytes sitting at
   odd (LE) or even (BE) positions only, which is decoded as UTF-16 if the result is coherent.
4. Strict UTF-8 (plain ASCII included) - reported as ``utf-8``.  Damaged UTF-8 - at most one
   invalid sequence per 1,000 bytes, amid at least ten valid multi-byte characters per invalid
   one (a capture cut inside a character, a stray byte) - is still UTF-8: the invalid
   sequences become U+FFFD rather than the whole text turning into mojibake.
5. An encoding the file declares (``<meta charset>`` in HTML), if it decodes strictly.
6. Otherwise every encoding charset-normalizer proposes, plus the legacy encodings FrameLens
   must read (cp1251, koi8-r, shift_jis, euc_jp, gb18030, big5, euc_kr, cp1252), are tried
   strictly, and each result is scored with :func:`scripts.coherence` (one writing system,
   frequent characters, no mojibake markers).  charset-normalizer's first choice is kept unless
   another candidate scores more than ``0.05`` higher; this overrides a single-byte code-page
   guess when the bytes read as coherent Japanese, Chinese or Russian in a multi-byte or
   Cyrillic encoding, which is where detectors stumble on short texts.  A best score under
   ``0.4`` means no encoding gives readable text: "cannot decode text".

Names are Python codec names (``codecs.lookup(...).name``): ``utf-8``, ``cp1251``,
``shift_jis``, ``gb18030``, ...; supersets and variants (``cp932``, ``euc_jis_2004``, ``cp949``,
``gbk``, ``cp950``, ...) are reported as the common name (``shift_jis``, ``euc_jp``, ``euc_kr``,
``gb18030``, ``big5``) when that codec decodes the bytes to the same text.
"""

from __future__ import annotations

import codecs
import re

from .scripts import coherence

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_BINARY_SIGNATURES: tuple[bytes, ...] = (
    b"%PDF-", b"PK\x03\x04", b"PK\x05\x06", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff",
    b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"BZh9", b"7z\xbc\xaf", b"Rar!", b"\x7fELF", b"II*\x00",
    b"MM\x00*", b"OggS", b"\x00\x00\x01\xba", b"SQLite format 3",
)

LEGACY_CANDIDATES: tuple[str, ...] = (
    "cp1251", "koi8_r", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr", "cp1252")

_PREFERRED_NAMES = {
    "cp932": "shift_jis", "shift_jis_2004": "shift_jis", "shift_jisx0213": "shift_jis",
    "euc_jis_2004": "euc_jp", "euc_jisx0213": "euc_jp", "cp949": "euc_kr", "gbk": "gb18030",
    "gb2312": "gb18030", "cp950": "big5", "big5hkscs": "big5",
}

MARGIN = 0.05
MIN_COHERENCE = 0.4
_MAX_CONTROL_SHARE = 0.01
_DETECTION_SAMPLE = 256 * 1024

_ISO2022_ESCAPE = re.compile(rb"\x1b(?:\$[@AB]|\$\([@ABDOPQ]|\$\)[ACG]|\([BIJ]|\.[AF]|N)")
_ISO2022_CODECS = ("iso2022_jp", "iso2022_jp_2004", "iso2022_jp_2", "iso2022_jp_ext",
                   "iso2022_jp_3", "iso2022_jp_1", "iso2022_kr")
_HZ_SHIFT = re.compile(rb"~\{[\x21-\x7e]{2}")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_NOT_SPACE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_HTML_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{2,40})""")


class DecodeError(ValueError):
    """The bytes are not text in any encoding FrameLens reads; the message says why."""


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode captured bytes, returning ``(text, encoding)``; see the module rule.

    A leading BOM is not part of ``text``; line ends are left as they are.  ``b""`` gives
    ``("", "utf-8")``.  Raises :class:`DecodeError` with the message
    ``"binary file (not text)"`` or ``"cannot decode text"`` when the bytes are not text.
    """
    if not data:
        return "", "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data[len(bom):], name.removesuffix("-sig")), name)
    seven_bit = _seven_bit_shifted(data)
    if seven_bit is not None:
        return seven_bit
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:_DETECTION_SAMPLE]:
        return _utf16_without_bom(data)
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return _checked(damaged, "utf-8")
    if declared:
        text = _try_declared(data, declared)
        if text is not None:
            return text
    return _detect(data)


def declared_html_encoding(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first 4 KB, if any."""
    head = data[:4096]
    match = _HTML_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def normalise_text(text: str) -> str:
    """Hygiene for analysed text: ``\\r\\n`` and ``\\r`` become ``\\n``, U+FEFF (BOM) is dropped,
    NUL and the other C0 control characters except ``\\n`` and ``\\t`` are removed, and DEL.
    Everything else is kept exactly (no Unicode normalisation, quotes untouched)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return _CONTROL.sub("", text)


def strip_bom(text: str) -> str:
    """The text without a leading U+FEFF."""
    return text[1:] if text.startswith("\ufeff") else text


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError("cannot decode text") from exc


def _checked(text: str, encoding: str) -> tuple[str, str]:
    """Refuse text whose share of control characters marks it as binary."""
    sample = text[:_DETECTION_SAMPLE]
    if sample and len(_CONTROL_NOT_SPACE.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise DecodeError("binary file (not text)")
    return text, encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str]:
    """BOM-less UTF-16: NULs on one parity of byte positions only; anything else is binary."""
    if data.startswith(_BINARY_SIGNATURES) or len(data) % 2:
        raise DecodeError("binary file (not text)")
    sample = data[:_DETECTION_SAMPLE]
    half = len(sample) // 2
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    for name, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.1 and others <= 0.01:
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            if coherence(text) >= MIN_COHERENCE:
                return _checked(text, name)
    raise DecodeError("binary file (not text)")


def _seven_bit_shifted(data: bytes) -> tuple[str, str] | None:
    """Rule 2: ISO-2022-JP/-KR or HZ text, recognised by its shift sequences; else ``None``."""
    if not data.isascii():
        return None
    if b"\x1b" in data and _ISO2022_ESCAPE.search(data):
        names: tuple[str, ...] = _ISO2022_CODECS
    elif _HZ_SHIFT.search(data) and b"~}" in data:
        names = ("hz",)
    else:
        return None
    for name in names:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x1b" not in text and coherence(text) >= MIN_COHERENCE:
            return _checked(text, name)
    return None


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few invalid sequences replaced by U+FFFD, if the bytes are that (rule 3)."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    if invalid > max(1, len(data) // 1000):
        return None
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - invalid
    return text if multibyte >= 10 * invalid else None


def _try_declared(data: bytes, declared: str) -> tuple[str, str] | None:
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        name = "cp1252"     # what browsers do with these labels (WHATWG encoding standard)
    try:
        return _checked(data.decode(name), name)
    except (UnicodeDecodeError, DecodeError):
        return None


def _candidate_names(data: bytes) -> list[str]:
    """charset-normalizer's proposals in its order, then the legacy list; no UTF-16/32."""
    from charset_normalizer import from_bytes

    names: list[str] = []
    for match in from_bytes(data[:_DETECTION_SAMPLE]):
        names.append(match.encoding)
    names.extend(LEGACY_CANDIDATES)
    seen: set[str] = set()
    result = []
    for raw in names:
        try:
            name = codecs.lookup(raw).name
        except LookupError:
            continue
        if name in seen or name.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
            continue
        seen.add(name)
        result.append(name)
    return result


def _detect(data: bytes) -> tuple[str, str]:
    """Step 5 of the module rule."""
    scored: list[tuple[float, int, str, str]] = []
    for rank, name in enumerate(_candidate_names(data)):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        scored.append((coherence(text), rank, name, text))
    if not scored:
        raise DecodeError("cannot decode text")
    first = min(scored, key=lambda item: item[1])
    best = max(scored, key=lambda item: (item[0], -item[1]))
    chosen = first if first[0] >= best[0] - MARGIN else best
    if chosen[0] < MIN_COHERENCE:
        raise DecodeError("cannot decode text")
    text, name = chosen[3], chosen[2]
    return _checked(text, _preferred_name(data, text, name))


def _preferred_name(data: bytes, text: str, name: str) -> str:
    preferred = _PREFERRED_NAMES.get(name)
    if preferred:
        try:
            if data.decode(preferred) == text:
                return preferred
        except UnicodeDecodeError:
            pass
    return name
