"""The exchange model: plain dataclasses every import/export format reads and writes.

Nothing here knows about Qt or SQLite.  The project store converts its rows to these
objects before an export and back after an import.

Conventions
- Span offsets (`XSpan.start`, `XSpan.end`) are Python code-point indices into
  `XArticle.text`, end exclusive.  Article text uses "\\n" line ends only.
- Keys are strings that are stable within one exchange: `XArticle.key`, `XCode.key`
  (e.g. "policy_frames/Economic").  Spans and labels refer to them.
- `XLabel` is an article-level judgement by one coder: either a code marked for the
  whole article (`code` set, `value` "1"/"0") or an answer to a question (`question`
  set, `value` the answer, e.g. a primary frame or "yes").
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import defusedxml.ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from framelens.annotate.analysis.offsets import (  # re-exported: the formats use them through this module
    LineEndFold,
    Utf16Index,
    cp_to_utf16,
    fold_line_ends,
    utf16_to_cp,
)

__all__ = [
    "XCode",
    "XArticle",
    "XSpan",
    "XLabel",
    "XProject",
    "FormatError",
    "Utf16Index",
    "cp_to_utf16",
    "utf16_to_cp",
    "fold_line_ends",
    "LineEndFold",
    "text_sha256",
    "is_truthy",
    "group_by_article",
    "ReadLimits",
    "SafeZip",
    "parse_xml_safely",
    "decode_text_bytes",
    "unsafe_member_name",
    "atomic_write",
    "xml_local_name",
    "xml_child",
    "xml_children",
    "xml_grandchildren",
]


class FormatError(ValueError):
    """Refusal of a bad or hostile input file: the message names the file and the problem."""

    def __init__(self, source: object, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_TRUE = {"1", "true", "yes", "y", "present", "x"}


def is_truthy(value: object) -> bool:
    """Whether a label value means "present" ("1", "true", "yes", 1, True ...)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return str(value).strip().lower() in _TRUE


@dataclass
class XCode:
    key: str
    codebook: str
    name: str
    color: str | None = None
    description: str | None = None
    parent: str | None = None  # key of the parent code, same codebook


@dataclass
class XArticle:
    key: str
    text: str
    title: str | None = None
    outlet: str | None = None
    country: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""  # of the UTF-8 text; filled in when left empty

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = text_sha256(self.text)


@dataclass
class XSpan:
    article: str
    start: int
    end: int
    code: str
    coder: str
    memo: str | None = None
    quote: str | None = None


@dataclass
class XLabel:
    article: str
    coder: str
    code: str | None
    question: str | None
    value: str


@dataclass
class XProject:
    name: str
    articles: list[XArticle] = field(default_factory=list)
    codes: list[XCode] = field(default_factory=list)
    spans: list[XSpan] = field(default_factory=list)
    labels: list[XLabel] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def article_map(self) -> dict[str, XArticle]:
        return {a.key: a for a in self.articles}

    def code_map(self) -> dict[str, XCode]:
        return {c.key: c for c in self.codes}

    def all_coders(self) -> list[str]:
        """`coders` followed by any coder that only appears on a span or label."""
        seen = dict.fromkeys(self.coders)
        for s in self.spans:
            seen.setdefault(s.coder)
        for lab in self.labels:
            seen.setdefault(lab.coder)
        return list(seen)


def group_by_article(items: Iterable[Any]) -> dict[str, list[Any]]:
    """Spans or labels grouped by their `article` key, input order kept."""
    out: dict[str, list[Any]] = {}
    for it in items:
        out.setdefault(it.article, []).append(it)
    return out


# ---------------------------------------------------------------------------- safe input
# Shared by the readers: bounded in-memory zip access, XML without DTDs, strict decoding,
# and atomic writes (an export never leaves a half-written file behind).

@dataclass(frozen=True)
class ReadLimits:
    """Bounds applied while reading an archive (bytes actually decompressed, not headers)."""
    max_total: int = 512 * 2**20
    max_member: int = 256 * 2**20
    max_ratio: float = 200.0        # uncompressed / compressed, per member ...
    ratio_grace: int = 2**20        # ... checked once a member has produced this many bytes


def atomic_write(path: str | os.PathLike, fill: Callable[[Any], None]) -> None:
    """Call `fill(binary_file)` on a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".tmp-{os.getpid()}-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def unsafe_member_name(name: str) -> bool:
    """An absolute path, a drive letter or a ".." component (a "zip slip" name)."""
    n = name.replace("\\", "/")
    return (n.startswith("/") or re.match(r"[A-Za-z]:", n) is not None
            or ".." in n.split("/"))


def _member_key(name: str) -> str:
    n = name.replace("\\", "/")
    while n.startswith("./"):
        n = n[2:]
    return n.lower()


class SafeZip:
    """A zip read in memory by name, with bounded decompression.

    Opening refuses the whole archive if any member name is unsafe.  `find` looks names up
    ignoring case (and a leading "./").  `read` decompresses in chunks and stops as soon as
    a member, the archive total or the member's compression ratio passes `ReadLimits`.
    """

    def __init__(self, path: str | os.PathLike, limits: ReadLimits) -> None:
        self.path, self.limits, self.used = str(path), limits, 0
        try:
            self.zf = zipfile.ZipFile(path)
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as e:
            # RuntimeError also covers zipfile's "unsupported version/compression" refusals
            raise FormatError(path, f"not a readable zip archive ({e})") from None
        self.members: dict[str, list[zipfile.ZipInfo]] = {}
        for info in infos:
            if unsafe_member_name(info.filename):
                raise FormatError(path, f"archive member {info.filename!r} has an absolute "
                                        "or parent-relative path; refusing the archive")
            self.members.setdefault(_member_key(info.filename), []).append(info)

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find(self, name: str) -> zipfile.ZipInfo | None:
        found = self.members.get(_member_key(name))
        if not found:
            return None
        if len(found) > 1:
            raise FormatError(self.path, f"archive holds {len(found)} members named {name!r} "
                                         "(ignoring case); cannot tell which one to use")
        return found[0]

    def read(self, info: zipfile.ZipInfo) -> bytes:
        lim, chunks, n = self.limits, [], 0
        where = f"{self.path}!{info.filename}"
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 16)
                    if not chunk:
                        break
                    n += len(chunk)
                    if n > lim.max_member:
                        raise FormatError(where, f"member expands beyond {lim.max_member} bytes")
                    if self.used + n > lim.max_total:
                        raise FormatError(where, "archive expands beyond "
                                                 f"{lim.max_total} bytes in total")
                    if n > lim.ratio_grace and n > lim.max_ratio * max(info.compress_size, 1):
                        raise FormatError(where, "compression ratio above "
                                                 f"{lim.max_ratio:g}: refusing a likely zip bomb")
                    chunks.append(chunk)
        except FormatError:
            raise
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, zlib.error, ValueError) as e:
            raise FormatError(where, f"cannot read archive member ({e})") from None
        self.used += n
        return b"".join(chunks)


def parse_xml_safely(data: bytes, where: str) -> ET.Element:
    """Parse with defusedxml: any DTD, entity declaration or external reference is refused."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as e:
        raise FormatError(where, "refused: the XML declares a DTD, entities or external "
                                 f"references ({type(e).__name__})") from None
    except ET.ParseError as e:
        raise FormatError(where, f"malformed XML ({e})") from None
    except (LookupError, ValueError) as e:  # e.g. an XML declaration naming an unknown encoding
        raise FormatError(where, f"unreadable XML ({e})") from None


def decode_text_bytes(data: bytes, where: str) -> str:
    """UTF-8 (or UTF-16 with a BOM) text; a leading byte-order mark is dropped."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise FormatError(where, f"text is not valid UTF-16 ({e})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FormatError(where, f"text is not valid UTF-8 ({e.reason} at byte {e.start})") from None
    return text[1:] if text.startswith("\ufeff") else text


# Namespace-agnostic element access: tools disagree on namespaces, the readers match by
# local name only.

def xml_local_name(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def xml_children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if xml_local_name(c) == name]


def xml_child(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el if xml_local_name(c) == name), None)


def xml_grandchildren(el: ET.Element, outer: str, inner: str) -> list[ET.Element]:
    """Children named `inner` of the first child named `outer` (none if that is absent)."""
    box = xml_child(el, outer)
    return xml_children(box, inner) if box is not None else []
