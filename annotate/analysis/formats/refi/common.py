"""What reading and writing REFI-QDA share: the namespaces, deterministic GUIDs, colours, the
variables FrameLens writes."""

from __future__ import annotations

import re
import uuid

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
_GUID_NS = uuid.UUID("67c5db4e-a6f8-4ce1-8eb8-10e1a0e50e09")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIELDS = ("title", "outlet", "country", "published", "url", "language")
_LABEL_MARK = "framelens-label"
_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: the colour FrameLens gives a code nobody chose one for: not written, so a code that came in
#: without a colour goes out without one (and comes back grey again)
_NO_COLOR = "#888888"
_COLOR = re.compile(r"#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def refi_guid(kind: str, key: str) -> str:
    """Deterministic GUID of an exported object (`kind` keeps namespaces apart)."""
    return str(uuid.uuid5(_GUID_NS, f"{kind}\x1f{key}"))



def _color(c: str | None) -> str | None:
    """"#RRGGBB" from "#rgb", "rrggbb" ...; None for anything else (e.g. colour names)."""
    m = _COLOR.fullmatch((c or "").strip())
    h = m.group(1) if m else ""
    return "#" + (h if len(h) == 6 else "".join(x * 2 for x in h)).upper() if h else None
