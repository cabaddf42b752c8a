"""REFI-QDA 1.0 exchange: `.qdpx` projects and `.qdc` codebooks.

Writing
- `project.qde` in namespace urn:QDA-XML:project:1.0, elements in the schema's order
  (Users, CodeBook, Variables, Sources, Notes, Description, NoteRef).
- Each article is a TextSource whose text is stored byte-exact (UTF-8, no BOM) as
  `sources/<guid>.txt`, referenced by `plainTextPath="internal://<guid>.txt"`.
- Codebooks become top-level Codes with isCodable="false"; their codes (and sub-codes, via
  `XCode.parent`) nest inside.  Colours are written as #RRGGBB; other colour strings are dropped,
  and so is FrameLens's default grey #888888 (a code imported without a colour gets it).
- Article metadata are source-level Variables (typed Text): article_key, title, outlet,
  country, published, url, language and `meta.<name>` for scalar `XArticle.meta` entries.
  The schema allows VariableValue directly on a TextSource, so no Cases are created.
- A span is a PlainTextSelection (UTF-16 start/end, creatingUser) holding one Coding ->
  CodeRef; its memo is a Note referenced by NoteRef from the selection.
- Memos (`notes["memos"]`, a list of dicts: target "project" / "code" / "article", code or
  article key, title, text, coder, created, modified) are Notes (name = title, creatingUser,
  creationDateTime / modifiedDateTime when they are xsd:dateTime) referenced by NoteRef from the
  project, from the Code or from the TextSource.
- Article labels: a code label with a "present" value ("1", "yes", ...) is a source-level
  Coding.  Every other label (answers to questions, explicit "0") is a Text variable named
  "<question> [<coder>]" whose Description holds a small JSON marker, so it reads back.
- GUIDs are uuid5 over a fixed namespace and the object's key, zip timestamps are fixed:
  exporting the same project twice gives identical bytes.

Reading
- The archive is read in memory by member name; nothing is extracted.  Member names with
  absolute paths or ".." refuse the whole file; sizes are bounded while reading (not
  trusting the headers).  XML goes through defusedxml with DTDs forbidden.
- Internal paths are matched case-insensitively (`Sources/` or `sources/`, `project.QDE`).
- Positions are UTF-16 units on the source text as stored (a leading BOM removed); they are
  converted to code points on that text, then the text's CRLF / CR line ends are folded to
  "\\n" and the offsets shifted to match.
- A top-level non-codable Code holding codes is a codebook; other top-level codes go to
  `default_codebook`.  Code keys read back as "<codebook>/<name>[/<sub-code name>...]".
- Users become coders (their name, else "user-<guid prefix>"); the article key is the
  article_key variable, else the source name; the title is the title variable, else the
  source name.  Source sets (MemberSource) come back in `notes["source_sets"]` (stories).
  Notes become memos in `notes["memos"]`, in the order of <Notes>: a note on a selection is the
  span's memo; on a TextSource, that article's memo by the note's author (several by one author
  are joined: FrameLens keeps one memo per article and coder); on a Code, a code memo; on the
  project, on a codebook node, free-standing (NVivo's memos) or on something not kept (a case, a
  PDF source, a link, a set, a selection without a coding), a project memo.  A note on one
  thing counts once.  Empty notes are reported and not kept.
  What cannot be kept is listed by name in `notes["import_warnings"]`: non-text sources,
  sources with no text, selections without a coding, code sets, links, graphs, notes whose text
  cannot be found, and notes kept as project memos because their holder was not kept.
- Everything is parsed and checked before anything is returned; any problem raises
  `FormatError` naming the file (and member) and the problem.
"""

from __future__ import annotations

import json
import os
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from annotate.formats.model import (
    FormatError, ReadLimits, SafeZip, Utf16Index, XArticle, XCode, XLabel, XProject, XSpan,
    atomic_write, decode_text_bytes, fold_line_ends, is_truthy, parse_xml_safely,
    unsafe_member_name, xml_child as _kid, xml_children as _kids, xml_grandchildren as _grand,
    xml_local_name as _ln,
)

__all__ = ["write_qdpx", "read_qdpx", "write_qdc", "read_qdc", "read_qdc_project", "ReadLimits",
           "refi_guid",
           "NS_PROJECT", "NS_CODEBOOK"]

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


# ---------------------------------------------------------------------------- writing

def _safe(s: object) -> str:
    return _XML_BAD.sub("\ufffd", str(s)).replace("\r\n", "\n")


def _color(c: str | None) -> str | None:
    """"#RRGGBB" from "#rgb", "rrggbb" ...; None for anything else (e.g. colour names)."""
    m = _COLOR.fullmatch((c or "").strip())
    h = m.group(1) if m else ""
    return "#" + (h if len(h) == 6 else "".join(x * 2 for x in h)).upper() if h else None


def _sub(parent: ET.Element, ns: str, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # Tags stay unqualified: the root carries xmlns=<ns>, so every element lands in that
    # default namespace (ElementTree's default_namespace option refuses plain attributes).
    el = ET.SubElement(parent, tag, {k: _safe(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _safe(text)
    return el


def _codes_element(parent: ET.Element, ns: str, codes: list[XCode],
                   code_notes: dict[str, list[str]] | None = None) -> None:
    """Append <Codes>: one non-codable node per codebook, codes nested by `parent`;
    `code_notes` gives the note guids each code refers to (NoteRef)."""
    by_key = {c.key: c for c in codes}
    if len(by_key) != len(codes):
        raise ValueError("duplicate code keys")
    children: dict[str | None, list[XCode]] = {}
    for c in codes:
        if c.parent is not None:
            p = by_key.get(c.parent)
            if p is None:
                raise ValueError(f"code {c.key!r}: parent {c.parent!r} is not a code")
            if p.codebook != c.codebook:
                raise ValueError(f"code {c.key!r}: parent {c.parent!r} is in another codebook")
        children.setdefault(c.parent, []).append(c)
    codes_el = _sub(parent, ns, "Codes")
    written = 0

    def add(el: ET.Element, c: XCode) -> None:
        nonlocal written
        written += 1
        attrs = {"guid": refi_guid("code", c.key), "name": c.name, "isCodable": "true"}
        if _color(c.color) and _color(c.color) != _NO_COLOR:
            attrs["color"] = _color(c.color)
        node = _sub(el, ns, "Code", **attrs)
        if c.description:
            _sub(node, ns, "Description", c.description)
        for g in (code_notes or {}).get(c.key, []):
            _sub(node, ns, "NoteRef", targetGUID=g)
        for ch in children.get(c.key, []):
            add(node, ch)

    for book in dict.fromkeys(c.codebook for c in codes):
        node = _sub(codes_el, ns, "Code", guid=refi_guid("codebook", book), name=book,
                    isCodable="false")
        for c in children.get(None, []):
            if c.codebook == book:
                add(node, c)
    if written != len(codes):
        raise ValueError("the code hierarchy has a cycle")


def _zip_add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def _label_vars(project: XProject) -> dict[tuple, str]:
    """(question, code, coder) -> variable guid, for labels that are not source codings."""
    idents = [(lab.question, lab.code, lab.coder) for lab in project.labels
              if not (lab.question is None and lab.code is not None and is_truthy(lab.value))]
    return {i: refi_guid("label-var", json.dumps(i)) for i in dict.fromkeys(idents)}


def _build_project(project: XProject) -> tuple[ET.Element, list[tuple[str, bytes]]]:
    ns = NS_PROJECT
    arts = project.article_map()
    code_map = project.code_map()
    memos = [m for m in project.notes.get("memos") or [] if isinstance(m, dict)]
    coders = list(dict.fromkeys([*project.all_coders(), *(m["coder"] for m in memos
                                                         if m.get("coder"))]))
    user_guid = {c: refi_guid("user", c) for c in coders}
    memo_guid = _memo_guids(memos)
    code_notes: dict[str, list[str]] = {}
    article_notes: dict[str, list[str]] = {}
    for m, g in zip(memos, memo_guid):
        if m.get("target") == "code":
            if m.get("code") not in code_map:
                raise ValueError(f"memo refers to unknown code {m.get('code')!r}")
            code_notes.setdefault(m["code"], []).append(g)
        elif m.get("target") == "article":
            if m.get("article") not in arts:
                raise ValueError(f"memo refers to unknown article {m.get('article')!r}")
            article_notes.setdefault(m["article"], []).append(g)
    root = ET.Element("Project", {"xmlns": ns, "name": _safe(project.name), "origin": "FrameLens"})
    if coders:
        users = _sub(root, ns, "Users")
        for c in coders:
            _sub(users, ns, "User", guid=user_guid[c], name=c)
    if project.codes:
        _codes_element(_sub(root, ns, "CodeBook"), ns, project.codes, code_notes)

    # Variables: fixed article fields, scalar meta entries, then label variables.
    var_names = ["article_key"] + [f for f in _FIELDS if any(getattr(a, f) for a in project.articles)]
    meta_keys = list(dict.fromkeys(k for a in project.articles for k, v in a.meta.items()
                                   if isinstance(v, (str, int, float, bool)) and v != ""))
    var_names += [f"meta.{k}" for k in meta_keys]
    label_vars = _label_vars(project)
    if var_names or label_vars:
        vs = _sub(root, ns, "Variables")
        for n in var_names:
            _sub(vs, ns, "Variable", guid=refi_guid("var", n), name=n, typeOfVariable="Text")
        for (q, code, coder), g in label_vars.items():
            shown = q if q is not None else (code_map[code].name if code in code_map else code)
            v = _sub(vs, ns, "Variable", guid=g, name=f"{shown} [{coder}]", typeOfVariable="Text")
            _sub(v, ns, "Description", json.dumps(
                {_LABEL_MARK: 1, "question": q, "code": code, "coder": coder}, ensure_ascii=False))

    spans_by: dict[str, list[XSpan]] = {}
    for s in project.spans:
        if s.article not in arts:
            raise ValueError(f"span refers to unknown article {s.article!r}")
        if s.code not in code_map:
            raise ValueError(f"span refers to unknown code {s.code!r}")
        spans_by.setdefault(s.article, []).append(s)
    labels_by: dict[str, list[XLabel]] = {}
    for lab in project.labels:
        if lab.article not in arts:
            raise ValueError(f"label refers to unknown article {lab.article!r}")
        if lab.code is not None and lab.code not in code_map:
            raise ValueError(f"label refers to unknown code {lab.code!r}")
        labels_by.setdefault(lab.article, []).append(lab)

    notes: list[tuple[str, str, str, str | None, dict]] = []  # guid, name, text, user, dates
    files: list[tuple[str, bytes]] = []
    seen_sel: dict[str, int] = {}
    sources = _sub(root, ns, "Sources") if project.articles else None
    for a in project.articles:
        sg = refi_guid("article", a.key)
        src = _sub(sources, ns, "TextSource", guid=sg, name=a.title or a.key,
                   plainTextPath=f"internal://{sg}.txt")
        files.append((sg, a.text.encode("utf-8")))
        idx = Utf16Index(a.text)
        for s in sorted(spans_by.get(a.key, []), key=lambda s: (s.start, s.end)):
            if not 0 <= s.start <= s.end <= len(a.text):
                raise ValueError(f"span {s.start}-{s.end} outside article {a.key!r}")
            ident = f"{a.key}\x1f{s.start}\x1f{s.end}\x1f{s.code}\x1f{s.coder}"
            seen_sel[ident] = seen_sel.get(ident, 0) + 1
            gsel = refi_guid("selection", f"{ident}\x1f{seen_sel[ident]}")
            sel = _sub(src, ns, "PlainTextSelection", guid=gsel,
                       startPosition=str(idx.to_utf16(s.start)),
                       endPosition=str(idx.to_utf16(s.end)), creatingUser=user_guid[s.coder])
            cod = _sub(sel, ns, "Coding", guid=refi_guid("coding", gsel),
                       creatingUser=user_guid[s.coder])
            _sub(cod, ns, "CodeRef", targetGUID=refi_guid("code", s.code))
            if s.memo:
                gnote = refi_guid("memo", gsel)
                notes.append((gnote, f"Memo: {code_map[s.code].name}", s.memo,
                              user_guid[s.coder], {}))
                _sub(sel, ns, "NoteRef", targetGUID=gnote)
        values: list[tuple[str, str]] = [(refi_guid("var", "article_key"), a.key)]
        values += [(refi_guid("var", f), getattr(a, f)) for f in _FIELDS if getattr(a, f)]
        values += [(refi_guid("var", f"meta.{k}"), a.meta[k]) for k in meta_keys
                   if a.meta.get(k, "") != "" and isinstance(a.meta[k], (str, int, float, bool))]
        coded: set[str] = set()
        for lab in labels_by.get(a.key, []):
            g = label_vars.get((lab.question, lab.code, lab.coder))
            if g is not None:
                values.append((g, lab.value))
                continue
            gcod = refi_guid("label", json.dumps([a.key, lab.code, lab.coder]))
            if gcod not in coded:  # the same code twice by one coder is one coding
                coded.add(gcod)
                cod = _sub(src, ns, "Coding", guid=gcod, creatingUser=user_guid[lab.coder])
                _sub(cod, ns, "CodeRef", targetGUID=refi_guid("code", lab.code))
        for g in article_notes.get(a.key, []):
            _sub(src, ns, "NoteRef", targetGUID=g)
        for g, v in values:
            vv = _sub(src, ns, "VariableValue")
            _sub(vv, ns, "VariableRef", targetGUID=g)
            _sub(vv, ns, "TextValue", str(v))

    project_notes = [(k, v) for k, v in project.notes.items()
                     if isinstance(v, str) and k != "description"]
    for m, g in zip(memos, memo_guid):
        dates = {attr: m[key] for attr, key in (("creationDateTime", "created"),
                                                ("modifiedDateTime", "modified"))
                 if isinstance(m.get(key), str) and _DATETIME.fullmatch(m[key])}
        notes.append((g, m.get("title") or "", m["text"],
                      user_guid[m["coder"]] if m.get("coder") else None, dates))
    for k, v in project_notes:
        notes.append((refi_guid("project-note", k), k, v, None, {}))
    if notes:
        notes_el = _sub(root, ns, "Notes")
        for g, name, text, user, dates in notes:
            attrs = {"guid": g, "name": name}
            if user:
                attrs["creatingUser"] = user
            attrs.update(dates)
            _sub(_sub(notes_el, ns, "Note", **attrs), ns, "PlainTextContent", text)
    if isinstance(project.notes.get("description"), str):
        _sub(root, ns, "Description", project.notes["description"])
    for m, g in zip(memos, memo_guid):
        if m.get("target") not in ("code", "article"):
            _sub(root, ns, "NoteRef", targetGUID=g)
    for k, _ in project_notes:
        _sub(root, ns, "NoteRef", targetGUID=refi_guid("project-note", k))
    return root, files


def _memo_guids(memos: list[dict]) -> list[str]:
    """Deterministic note GUIDs: from what a memo is (target, author, title, dates, text), so
    an export -> import -> export writes the same ones."""
    seen: dict[str, int] = {}
    out = []
    for m in memos:
        ident = json.dumps([m.get(k) for k in ("target", "code", "article", "coder", "title",
                                               "created", "modified", "text")],
                           ensure_ascii=False)
        seen[ident] = seen.get(ident, 0) + 1
        out.append(refi_guid("memo-note", f"{ident}\x1f{seen[ident]}"))
    return out


def write_qdpx(project: XProject, path: str | os.PathLike) -> None:
    """Write `project` as a REFI-QDA 1.0 project archive (atomically replaces `path`)."""
    root, files = _build_project(project)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)

    def fill(fh) -> None:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            _zip_add(zf, "project.qde", xml)
            for g, data in files:
                _zip_add(zf, f"sources/{g}.txt", data)

    atomic_write(path, fill)


def write_qdc(codes: list[XCode], path: str | os.PathLike) -> None:
    """Write a codebook alone (urn:QDA-XML:codebook:1.0)."""
    if not codes:
        raise ValueError("a REFI-QDA codebook needs at least one code")
    root = ET.Element("CodeBook", {"xmlns": NS_CODEBOOK})
    _codes_element(root, NS_CODEBOOK, list(codes))
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    atomic_write(path, lambda fh: fh.write(xml))


# ---------------------------------------------------------------------------- reading

def _norm_guid(g: str | None) -> str | None:
    return g.strip().strip("{}").lower() if g else None


def _read_codes(codes_el: ET.Element | None, default_codebook: str, where: str,
                note_refs: list[tuple[str, str, str]] | None = None
                ) -> tuple[list[XCode], dict[str, str]]:
    """Codes in document order (parents first) and guid -> code key ("" for codebook nodes).
    ``note_refs`` collects (``"code"``, code key, note guid) and (``"codebook"``, its name, note
    guid) for every NoteRef on a code or on a codebook node."""
    out: list[XCode] = []

    def refs(el: ET.Element, kind: str, name: str) -> None:
        if note_refs is not None:
            note_refs.extend((kind, name, _norm_guid(r.get("targetGUID")) or "")
                             for r in _kids(el, "NoteRef"))
    by_guid: dict[str, str] = {}
    keys: set[str] = set()

    def walk(el: ET.Element, book: str, parent: str | None, path: list[str]) -> None:
        if len(path) > 100:
            raise FormatError(where, "codes nested more than 100 levels deep")
        g, name = _norm_guid(el.get("guid")), el.get("name")
        if not g or name is None:
            raise FormatError(where, "a Code lacks its guid or name")
        if g in by_guid:
            raise FormatError(where, f"two codes share the guid {g}")
        key = base = "/".join([book, *path, name])
        n = 1
        while key in keys:
            n += 1
            key = f"{base}#{n}"
        keys.add(key)
        by_guid[g] = key
        d = _kid(el, "Description")
        out.append(XCode(key=key, codebook=book, name=name, color=_color(el.get("color")),
                         description=(d.text or None) if d is not None else None, parent=parent))
        refs(el, "code", key)
        for ch in _kids(el, "Code"):
            walk(ch, book, key, [*path, name])

    for top in _kids(codes_el, "Code") if codes_el is not None else []:
        codable = (top.get("isCodable") or "true").strip().lower() in ("true", "1")
        if not codable and _kids(top, "Code"):
            g = _norm_guid(top.get("guid"))
            if g:
                by_guid[g] = ""  # a codebook node: coding it directly is meaningless
            refs(top, "codebook", top.get("name") or default_codebook)
            for ch in _kids(top, "Code"):
                walk(ch, top.get("name") or default_codebook, None, [])
        else:
            walk(top, default_codebook, None, [])
    return out, by_guid


def _value_of(vv: ET.Element) -> str | None:
    for c in vv:
        if _ln(c).endswith("Value") and _ln(c) != "VariableValue":
            return (c.text or "").strip() if _ln(c) != "TextValue" else (c.text or "")
    return None


def read_qdc(path: str | os.PathLike, *, default_codebook: str = "imported",
             max_bytes: int = 64 * 2**20) -> list[XCode]:
    """Read a REFI-QDA codebook file (.qdc)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise FormatError(path, f"cannot read ({e.strerror})") from None
    if len(data) > max_bytes:
        raise FormatError(path, f"larger than {max_bytes} bytes")
    root = parse_xml_safely(data, str(path))
    if _ln(root) != "CodeBook":
        raise FormatError(path, f"root element is <{_ln(root)}>, not <CodeBook>")
    codes, _ = _read_codes(_kid(root, "Codes"), default_codebook, str(path))
    return codes


def read_qdc_project(path: str | os.PathLike, *, default_codebook: str = "imported") -> XProject:
    """A codebook file as an XProject holding only codes (what `x_into_project` imports);
    code sets (code groups), which FrameLens cannot hold, are listed in
    `notes["import_warnings"]` by name."""
    codes = read_qdc(path, default_codebook=default_codebook)
    with open(path, "rb") as fh:
        root = parse_xml_safely(fh.read(), str(path))
    warnings = [f"code set {s.get('name')!r} ({len(_kids(s, 'MemberCode'))} code(s)): "
                "FrameLens has no code groups" for s in _grand(root, "Sets", "Set")]
    return XProject(name=Path(path).stem, codes=codes,
                    notes={"import_warnings": warnings} if warnings else {})


def _resolve_source(arc: SafeZip, ref: str, where: str) -> zipfile.ZipInfo:
    low = ref.lower()
    if low.startswith("internal://"):
        rel = ref[len("internal://"):]
    elif "://" in ref or unsafe_member_name(ref):
        raise FormatError(where, f"text refers to {ref!r}, outside the archive; only "
                                 "internal sources can be imported")
    else:
        rel = ref
    if unsafe_member_name(rel):
        raise FormatError(where, f"refused path {ref!r}")
    for cand in (f"sources/{rel}", rel):
        info = arc.find(cand)
        if info is not None:
            return info
    raise FormatError(where, f"text file {ref!r} is missing from the archive")


def _text_of(arc: SafeZip, el: ET.Element, where: str) -> str:
    content = _kid(el, "PlainTextContent")
    if content is not None:
        return content.text or ""
    ref = el.get("plainTextPath")
    if not ref:
        raise FormatError(where, "neither PlainTextContent nor plainTextPath is given")
    info = _resolve_source(arc, ref, where)
    return decode_text_bytes(arc.read(info), f"{arc.path}!{info.filename}")


def _find_qde(arc: SafeZip) -> zipfile.ZipInfo:
    info = arc.find("project.qde")
    if info is None:
        tops = [i for lst in arc.members.values() for i in lst
                if i.filename.lower().endswith(".qde") and "/" not in i.filename.strip("/")]
        if len(tops) != 1:
            raise FormatError(arc.path, "no project.qde in the archive")
        info = tops[0]
    return info


def read_qdpx(path: str | os.PathLike, *, default_codebook: str = "imported",
              limits: ReadLimits = ReadLimits()) -> XProject:
    """Read a REFI-QDA project archive; all-or-nothing (FormatError on any problem)."""
    arc = SafeZip(path, limits)
    try:
        return _read_project(arc, default_codebook)
    finally:
        arc.close()


def _read_project(arc: SafeZip, default_codebook: str) -> XProject:
    qde = _find_qde(arc)
    where = f"{arc.path}!{qde.filename}"
    root = parse_xml_safely(arc.read(qde), where)
    if _ln(root) != "Project":
        raise FormatError(where, f"root element is <{_ln(root)}>, not <Project>")
    warnings: list[str] = []

    users: dict[str, str] = {}
    names_used: set[str] = set()
    for u in _grand(root, "Users", "User"):
        g = _norm_guid(u.get("guid"))
        if not g:
            raise FormatError(where, "a User lacks its guid")
        name = (u.get("name") or "").strip() or f"user-{g[:8]}"
        if name in names_used:
            name = f"{name} ({g[:8]})"
        names_used.add(name)
        users[g] = name

    def coder_of(*guids: str | None) -> str:
        for g in guids:
            g = _norm_guid(g)
            if g:
                return users.get(g) or users.setdefault(g, f"user-{g[:8]}")
        return "imported"

    def author_of(g: str | None) -> str | None:
        return coder_of(g) if _norm_guid(g) else None

    book = _kid(root, "CodeBook")
    code_note_refs: list[tuple[str, str, str]] = []
    codes, code_by_guid = _read_codes(_kid(book, "Codes") if book is not None else None,
                                      default_codebook, where, code_note_refs)
    code_names = {c.key: c.name for c in codes}

    def code_ref(el: ET.Element, ctx: str) -> str:
        ref = _kid(el, "CodeRef")
        g = _norm_guid(ref.get("targetGUID")) if ref is not None else None
        key = code_by_guid.get(g or "")
        if not key:
            raise FormatError(where, f"{ctx}: coding refers to a missing code ({g})")
        return key

    variables: dict[str, tuple[str, dict | None]] = {}
    for v in _grand(root, "Variables", "Variable"):
        desc = _kid(v, "Description")
        mark = None
        if desc is not None and desc.text and _LABEL_MARK in desc.text:
            try:
                mark = json.loads(desc.text)
            except ValueError:
                mark = None
            mark = mark if isinstance(mark, dict) else None
        variables[_norm_guid(v.get("guid")) or ""] = (v.get("name") or "", mark)

    notes: dict[str, str] = {}
    note_names: dict[str, str] = {}
    note_els: dict[str, ET.Element] = {}
    note_order: dict[str, int] = {}
    for n in _grand(root, "Notes", "Note"):
        g = _norm_guid(n.get("guid")) or ""
        note_names[g] = n.get("name") or g
        note_els[g] = n
        note_order.setdefault(g, len(note_order))
        try:
            notes[g] = _text_of(arc, n, f"{where} (note {g})")
        except FormatError as e:  # a lost memo is reported, not fatal
            warnings.append(str(e))
    placed: set[str] = set()       # notes that found their home (span, article, code, project)
    memos: list[dict] = []         # project, code and article memos (module docstring)

    def usable(g: str) -> bool:
        if g not in notes:
            warnings.append(f"note {g} referenced but absent")
            return False
        if g in placed:
            return False
        placed.add(g)
        if not notes[g].strip():
            warnings.append(f"note {note_names[g]!r} has no text; FrameLens keeps no empty memo")
            return False
        return True

    def memo_entry(g: str, target: str, *, code: str | None = None, article: str | None = None,
                   coder: str | None = None, title: str | None = None) -> dict:
        n = note_els[g]
        return {"target": target, "code": code, "article": article,
                "title": (n.get("name") or "").strip() if title is None else title,
                "text": notes[g], "coder": coder if coder else author_of(n.get("creatingUser")),
                "created": n.get("creationDateTime"), "modified": n.get("modifiedDateTime"),
                "order": note_order.get(g, 0)}

    def memo_of(*els: ET.Element) -> str | None:
        parts = []
        for el in els:
            for r in _kids(el, "NoteRef"):
                g = _norm_guid(r.get("targetGUID")) or ""
                if usable(g):
                    parts.append(notes[g])
        return "\n\n".join(parts) if parts else None

    articles: list[XArticle] = []
    spans: list[XSpan] = []
    labels: list[XLabel] = []
    by_source: dict[str, XArticle] = {}
    keys_used: set[str] = set()
    proj_user = root.get("creatingUserGUID")
    sources_el = _kid(root, "Sources")
    for src in list(sources_el) if sources_el is not None else []:
        if _ln(src) != "TextSource":
            warnings.append(f"{_ln(src)} {src.get('name') or src.get('guid')!r}: only text "
                            "sources are imported")
            continue
        sg = _norm_guid(src.get("guid"))
        sname = src.get("name") or ""
        ctx = f"source {sname or sg!r}"
        if not sg:
            raise FormatError(where, f"{ctx} lacks its guid")
        if sg in by_source:
            raise FormatError(where, f"two sources share the guid {sg}")
        raw = _text_of(arc, src, f"{where} ({ctx})")
        idx, fold = Utf16Index(raw), fold_line_ends(raw)
        if not fold.text.strip():
            n_sel = len(_kids(src, "PlainTextSelection")) + len(_kids(src, "Coding"))
            warnings.append(f"{ctx} has no text (an article needs one): not imported"
                            + (f", with its {n_sel} coding(s)" if n_sel else ""))
            continue
        fields: dict[str, str] = {}
        meta: dict[str, str] = {}
        answers: list[tuple[dict, str]] = []
        for vv in _kids(src, "VariableValue"):
            _apply_value(vv, variables, fields, meta, answers)
        own_key = fields.pop("article_key", None)
        key = own_key or sname or sg
        if key in keys_used:
            key = f"{key}#{sg[:8]}"
        keys_used.add(key)
        # the source's name is its title, unless it only repeats FrameLens's own article key
        title = fields.get("title") or (sname if sname and sname != own_key else None)
        art = XArticle(key=key, text=fold.text, title=title, outlet=fields.get("outlet"),
                       country=fields.get("country"), published=fields.get("published"),
                       url=fields.get("url"), language=fields.get("language"), meta=meta)
        articles.append(art)
        by_source[sg] = art
        for sel in _kids(src, "PlainTextSelection"):
            sel_ctx = f"{ctx}, selection {sel.get('guid')}"
            if not _kids(sel, "Coding"):
                warnings.append(f"{ctx}: selection {sel.get('name') or sel.get('guid')!r} "
                                f"({sel.get('startPosition')}-{sel.get('endPosition')}) has no "
                                "coding; a span without a code cannot be kept"
                                + ("; its note is kept as a project memo"
                                   if _kids(sel, "NoteRef") else ""))
                continue
            try:
                su, eu = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            except ValueError:
                raise FormatError(where, f"{sel_ctx}: positions are not integers") from None
            if su > eu:
                raise FormatError(where, f"{sel_ctx}: start {su} is after end {eu}")
            try:
                start, end = fold.map(idx.to_cp(su)), fold.map(idx.to_cp(eu))
            except ValueError as e:
                raise FormatError(where, f"{sel_ctx}: {e} (text has {idx.utf16_length} "
                                         "UTF-16 units)") from None
            for cod in _kids(sel, "Coding"):
                code = code_ref(cod, sel_ctx)
                spans.append(XSpan(article=key, start=start, end=end, code=code,
                                   coder=coder_of(cod.get("creatingUser"), sel.get("creatingUser"),
                                                  src.get("creatingUser"), proj_user),
                                   memo=memo_of(sel, cod), quote=fold.text[start:end]))
        by_coder: dict[str, list[str]] = {}
        for r in _kids(src, "NoteRef"):
            g = _norm_guid(r.get("targetGUID")) or ""
            if usable(g):
                who = author_of(note_els[g].get("creatingUser")) or coder_of(
                    src.get("creatingUser"), proj_user)
                by_coder.setdefault(who, []).append(g)
        for who, gs in by_coder.items():   # FrameLens keeps one memo per article and coder
            entry = memo_entry(gs[0], "article", article=key, coder=who)
            entry["text"] = "\n\n".join(notes[g] for g in gs)
            memos.append(entry)
        for cod in _kids(src, "Coding"):
            labels.append(XLabel(article=key, coder=coder_of(cod.get("creatingUser"),
                                 src.get("creatingUser"), proj_user),
                                 code=code_ref(cod, ctx), question=None, value="1"))
        for mark, value in answers:
            code, question = mark.get("code"), mark.get("question")
            if code is not None and code not in code_names:
                code, question = None, question or str(code)
            labels.append(XLabel(article=key, coder=str(mark.get("coder") or "imported"),
                                 code=code, question=question, value=value))

    for case in _grand(root, "Cases", "Case"):
        refs = [_norm_guid(r.get("targetGUID")) for r in _kids(case, "SourceRef")]
        fields, meta, answers = {}, {}, []
        for vv in _kids(case, "VariableValue"):
            _apply_value(vv, variables, fields, meta, answers)
        for g in refs:
            art = by_source.get(g or "")
            if art is None:
                raise FormatError(where, f"case {case.get('name')!r} refers to a missing source {g}")
            for f in _FIELDS:
                if fields.get(f) and not getattr(art, f):
                    setattr(art, f, fields[f])
            for k, v in meta.items():
                art.meta.setdefault(k, v)

    proj_notes: dict = {}
    desc = _kid(root, "Description")
    if desc is not None and desc.text:
        proj_notes["description"] = desc.text
    for r in _kids(root, "NoteRef"):
        g = _norm_guid(r.get("targetGUID")) or ""
        if usable(g):
            memos.append(memo_entry(g, "project"))
    for kind, name, g in code_note_refs:
        if usable(g):
            memos.append(memo_entry(g, "code", code=name) if kind == "code" else
                         memo_entry(g, "project", title=(note_els[g].get("name") or "").strip()
                                    or f"codebook {name}"))
    source_sets: dict[str, list[str]] = {}
    for st in _grand(root, "Sets", "Set"):
        members = [by_source[g].key for g in (_norm_guid(m.get("targetGUID") or m.get("guid"))
                                              for m in _kids(st, "MemberSource"))
                   if g in by_source]
        code_members = _kids(st, "MemberCode")
        if members:
            source_sets[st.get("name") or st.get("guid") or "set"] = members
        if code_members:
            warnings.append(f"code set {st.get('name')!r} ({len(code_members)} code(s)): "
                            "FrameLens has no code groups")
    if source_sets:
        proj_notes["source_sets"] = source_sets
    for kind, inner in (("Links", "Link"), ("Graphs", "Graph")):
        for el in _grand(root, kind, inner):
            warnings.append(f"{inner.lower()} {el.get('name') or el.get('guid')!r}: "
                            f"FrameLens has no {kind.lower()}")
    # Every other note (a free-standing memo, or one on something FrameLens cannot keep: a case,
    # a PDF or picture source, a link, a set) becomes a project memo; the latter are reported.
    holders: dict[str, str] = {}
    for el in root.iter():
        for r in el:
            if _ln(r) in ("NoteRef", "MemberNote"):
                holders.setdefault(_norm_guid(r.get("targetGUID")) or "", _ln(el))
    for g in note_names:
        if g in notes and g not in placed and usable(g):
            memos.append(memo_entry(g, "project"))
            if g in holders:
                warnings.append(f"note {note_names[g]!r} (on a {holders[g]} FrameLens does not "
                                "keep): kept as a project memo")
    if memos:
        memos.sort(key=lambda m: m["order"])   # the file's order, which is FrameLens's id order
        for m in memos:
            del m["order"]
        proj_notes["memos"] = memos
    if warnings:
        proj_notes["import_warnings"] = warnings
    coders = list(dict.fromkeys([*users.values(), *(s.coder for s in spans),
                                 *(lab.coder for lab in labels),
                                 *(m["coder"] for m in memos if m["coder"])]))
    return XProject(name=root.get("name") or Path(arc.path).stem, articles=articles, codes=codes,
                    spans=spans, labels=labels, coders=coders, notes=proj_notes)


def _apply_value(vv: ET.Element, variables: dict, fields: dict, meta: dict,
                 answers: list) -> None:
    ref = _kid(vv, "VariableRef")
    g = _norm_guid(ref.get("targetGUID")) if ref is not None else None
    name, mark = variables.get(g or "", (g or "", None))
    value = _value_of(vv)
    if value is None:
        return
    if mark is not None:
        answers.append((mark, value))
    elif name.strip().lower() in ("article_key", *_FIELDS):
        fields[name.strip().lower()] = value
    elif name.startswith("meta."):
        meta[name[5:]] = value
    else:
        meta[name] = value

