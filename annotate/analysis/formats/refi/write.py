"""Writing REFI-QDA 1.0 `.qdpx` projects and `.qdc` codebooks (the format's choices: the
package docstring, annotate/analysis/formats/refi/__init__.py)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
import zipfile

from framelens.annotate.analysis.formats.model import (
    Utf16Index, XCode, XLabel, XProject, XSpan, atomic_write, is_truthy,
)

from .common import (_DATETIME, _FIELDS, _LABEL_MARK, _NO_COLOR, _XML_BAD, _ZIP_TIME,
                     NS_CODEBOOK, NS_PROJECT, _color, refi_guid)

def _safe(s: object) -> str:
    return _XML_BAD.sub("\ufffd", str(s)).replace("\r\n", "\n")


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
