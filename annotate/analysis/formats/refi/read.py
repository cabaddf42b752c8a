"""Reading REFI-QDA 1.0 `.qdpx` projects and `.qdc` codebooks, checked whole before anything is
returned (the rules: the package docstring, annotate/analysis/formats/refi/__init__.py)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from framelens.annotate.analysis.formats.model import (
    FormatError, ReadLimits, SafeZip, Utf16Index, XArticle, XCode, XLabel, XProject, XSpan,
    decode_text_bytes, fold_line_ends, parse_xml_safely, unsafe_member_name,
    xml_child as _kid, xml_children as _kids, xml_grandchildren as _grand, xml_local_name as _ln,
)

from .common import _FIELDS, _LABEL_MARK, _color

def _norm_guid(g: str | None) -> str | None:
    return g.strip().strip("{}").lower() if g else None


def _read_codes(codes_el: ET.Element | None, default_codebook: str, where: str,
                note_refs: list[tuple[str, str, str]] | None = None,
                warnings: list[str] | None = None
                ) -> tuple[list[XCode], dict[str, str]]:
    """Codes in document order (parents first) and guid -> code key ("" for codebook nodes).
    ``note_refs`` collects (``"code"``, code key, note guid) and (``"codebook"``, its name, note
    guid) for every NoteRef on a code or on a codebook node.

    A code written twice with the same guid and the same name is one code: QualCoder (4.0)
    writes a sub-code inside its parent code and again inside its category.  The first place
    in document order is kept, the repeat is reported in ``warnings``, and codes nested only
    under the repeat still come in (under the kept code).  The same guid with two different
    names is an error: which one is meant cannot be known."""
    out: list[XCode] = []
    by_key: dict[str, XCode] = {}

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
            kept = by_key.get(by_guid[g])
            if kept is None or kept.name != name:
                raise FormatError(where, f"two codes share the guid {g}")
            if warnings is not None:
                place = f"under {kept.parent.rsplit('/', 1)[-1]!r}" if kept.parent else "at the top"
                warnings.append(f"code {name!r} is written twice with the same guid (kept once, "
                                f"{place})")
            for ch in _kids(el, "Code"):
                walk(ch, book, kept.key, [*path, name])
            return
        key = base = "/".join([book, *path, name])
        n = 1
        while key in keys:
            n += 1
            key = f"{base}#{n}"
        keys.add(key)
        by_guid[g] = key
        d = _kid(el, "Description")
        code = XCode(key=key, codebook=book, name=name, color=_color(el.get("color")),
                     description=(d.text or None) if d is not None else None, parent=parent)
        out.append(code)
        by_key[key] = code
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


def _description(el: ET.Element) -> str | None:
    """The text of an element's <Description> child (None when absent or blank)."""
    d = _kid(el, "Description")
    text = (d.text or "").strip() if d is not None else ""
    return text or None


def _joined(*parts: str | None) -> str | None:
    kept = [p for p in parts if p]
    return "\n\n".join(kept) if kept else None


def _with_passage(text: str, note: ET.Element, idx, fold) -> str:
    """A note that marks a passage of its source (QualCoder writes its annotations so) kept as
    an article memo: the passage is named in the text, so the place is not lost."""
    sel = _kid(note, "PlainTextSelection")
    if sel is None:
        return text
    try:
        start = fold.map(idx.to_cp(int(sel.get("startPosition", ""))))
        end = fold.map(idx.to_cp(int(sel.get("endPosition", ""))))
    except ValueError:
        return text
    if not 0 <= start < end <= len(fold.text):
        return text
    return f"{text}\n[on characters {start}-{end}: \u201c{fold.text[start:end]}\u201d]"


def _value_of(vv: ET.Element) -> str | None:
    for c in vv:
        if _ln(c).endswith("Value") and _ln(c) != "VariableValue":
            return (c.text or "").strip() if _ln(c) != "TextValue" else (c.text or "")
    return None


def read_qdc(path: str | os.PathLike, *, default_codebook: str = "imported",
             max_bytes: int = 64 * 2**20, warnings: list[str] | None = None) -> list[XCode]:
    """Read a REFI-QDA codebook file (.qdc); what could not be kept as written goes to
    ``warnings`` when a list is given."""
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
    codes, _ = _read_codes(_kid(root, "Codes"), default_codebook, str(path), None, warnings)
    return codes


def read_qdc_project(path: str | os.PathLike, *, default_codebook: str = "imported") -> XProject:
    """A codebook file as an XProject holding only codes (what `x_into_project` imports);
    code sets (code groups), which FrameLens cannot hold, are listed in
    `notes["import_warnings"]` by name."""
    repeats: list[str] = []
    codes = read_qdc(path, default_codebook=default_codebook, warnings=repeats)
    with open(path, "rb") as fh:
        root = parse_xml_safely(fh.read(), str(path))
    warnings = repeats + [f"code set {s.get('name')!r} ({len(_kids(s, 'MemberCode'))} code(s)): "
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


def _held_in(src) -> str:
    """What a source FrameLens cannot hold carries, counted, so the report says what stays
    behind with it (its selections, their codings and memos)."""
    sels = [e for e in src.iter() if _ln(e).endswith("Selection")]
    codings = sum(1 for e in src.iter() if _ln(e) == "Coding")
    memos = sum(1 for e in sels if (_kid(e, "Description") is not None
                                    and (_kid(e, "Description").text or "").strip()))
    memos += sum(1 for e in src.iter() if _ln(e) == "NoteRef")
    parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in
             ((len(sels), "selection"), (codings, "coding"), (memos, "memo")) if n]
    return f" (not imported with it: {', '.join(parts)})" if parts else ""


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
                                      default_codebook, where, code_note_refs, warnings)
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
                            f"sources are imported{_held_in(src)}")
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
                                   memo=_joined(_description(sel), memo_of(sel, cod)),
                                   quote=fold.text[start:end]))
        by_coder: dict[str, list[str]] = {}
        for r in _kids(src, "NoteRef"):
            g = _norm_guid(r.get("targetGUID")) or ""
            if usable(g):
                who = author_of(note_els[g].get("creatingUser")) or coder_of(
                    src.get("creatingUser"), proj_user)
                by_coder.setdefault(who, []).append(g)
        src_memo = _description(src)      # QualCoder writes a source's memo as its Description
        src_author = coder_of(src.get("creatingUser"), proj_user)
        if src_memo and src_author not in by_coder:
            memos.append({"target": "article", "code": None, "article": key, "title": "",
                          "text": src_memo, "coder": src_author,
                          "created": src.get("creationDateTime"),
                          "modified": src.get("modifiedDateTime"), "order": -1})
        for who, gs in by_coder.items():   # FrameLens keeps one memo per article and coder
            entry = memo_entry(gs[0], "article", article=key, coder=who)
            entry["text"] = "\n\n".join(
                ([src_memo] if src_memo and who == src_author else [])
                + [_with_passage(notes[g], note_els[g], idx, fold) for g in gs])
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
        case_memo = _description(case)
        if case_memo:                     # FrameLens has no cases: the memo is kept, and said
            memos.append({"target": "project", "code": None, "article": None,
                          "title": f"Case {case.get('name') or case.get('guid')}",
                          "text": case_memo, "coder": author_of(case.get("creatingUser")),
                          "created": case.get("creationDateTime"),
                          "modified": case.get("modifiedDateTime"), "order": len(note_order)})
            warnings.append(f"case {case.get('name') or case.get('guid')!r}: FrameLens has no "
                            "cases; its description is kept as a project memo")
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

