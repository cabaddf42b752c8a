"""Between the project file and the exchange model every dataset format reads and writes.

* :func:`project_to_x` selects what an export holds (coders, or the adjudicated coding; codebooks;
  a story) and turns store rows into :class:`~annotate.formats.model.XProject`.
* :func:`x_into_project` writes an imported XProject into a project as ONE action: articles are
  matched by text SHA-256 (an existing article is reused, a new one imported), codes by codebook +
  name (missing ones created), coders kept as coders.  The whole codebook comes in, codes nobody
  used included, with their hierarchy, colours and descriptions; every user becomes a coder;
  REFI-QDA source sets become stories.  Two codes of one codebook with one name under different
  parents (NVivo allows it, FrameLens names are unique per codebook) are both kept: the later one
  is named "<name> (<parent name>)" and listed in ``renamed``.  Memos (``notes["memos"]``) are
  placed: project and code memos in ``store.memos`` with their titles, authors and dates, article
  memos as that coder's article memo; a project ``description`` becomes a project memo titled
  "Project description".  A memo already present (same target, title and text) is not added
  twice; an article memo that differs from the coder's own is a conflict and the project's is
  kept.  Anything it cannot place is reported by name in ``not_placed`` (the reader's own list,
  e.g. code groups, links, sources without text ...); nothing is dropped silently.  A span
  outside its text or whose text differs refuses the whole file and nothing is written.
* :func:`merge_project_file` merges another coder's project file the same way and reports
  conflicts (the same article, code and coder with different article-level answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from framelens import store

from framelens.annotate.analysis.formats.model import FormatError, XArticle, XCode, XLabel, XProject, XSpan


def code_key(codebook_key: str, name: str) -> str:
    return f"{codebook_key}/{name}"


def project_to_x(project: store.Project, *, coders: list[str] | None = None,
                 adjudicated: bool = False, codebooks: list[str] | None = None,
                 story: str | int | None = None, name: str | None = None) -> XProject:
    """The project (or the selected part of it) as an XProject.

    ``adjudicated=True`` exports only the ``adjudicated`` coder's coding; ``coders`` limits to
    those coders; ``codebooks`` (keys or names) limits codes, spans and labels; ``story`` limits
    the articles.
    """
    books = store.list_codebooks(project)
    if codebooks:
        books = [store.get_codebook(project, c) for c in codebooks]
    book_ids = {b.id: b for b in books}
    codes = [c for c in store.list_codes(project) if c.codebook_id in book_ids]
    code_by_id = {c.id: c for c in codes}
    all_codes = {c.id: c for c in store.list_codes(project, include_merged=True)}
    xcodes = [XCode(code_key(book_ids[c.codebook_id].key, c.name), book_ids[c.codebook_id].key,
                    c.name, c.color, c.description,
                    code_key(book_ids[c.codebook_id].key, all_codes[c.parent_id].name)
                    if c.parent_id and c.parent_id in all_codes else None)
              for c in codes]
    if adjudicated:
        coders = [store.ADJUDICATED]
    coder_rows = store.list_coders(project)
    if coders is not None:
        wanted = set(coders)
        missing = wanted - {c.name for c in coder_rows}
        if missing:
            raise store.ProjectError(f"no coder {', '.join(sorted(missing))} in {project.path}")
        coder_rows = [c for c in coder_rows if c.name in wanted]
    coder_ids = [c.id for c in coder_rows]
    coder_name = {c.id: c.name for c in coder_rows}

    story_id = store.get_story(project, story).id if story is not None else None
    xarticles = [XArticle(str(a.id), a.text, a.title, a.outlet, a.country, a.published, a.url,
                          a.language, {"author": a.author} if a.author else {}, a.text_sha256)
                 for a in store.list_article_texts(project, story_id=story_id)]
    idset = {int(a.key) for a in xarticles} if story_id is not None else None
    # one key per code, computed once; spans come as plain tuples in one query
    key_of = {cid: code_key(book_ids[c.codebook_id].key, c.name) for cid, c in code_by_id.items()}
    spans = [XSpan(str(aid), start, end, key_of[code_id], coder_name[coder_id], memo, quote)
             for _, aid, start, end, code_id, coder_id, quote, memo in store.iter_annotation_rows(
                 project, coder_ids=coder_ids, code_ids=list(code_by_id) if codebooks else None)
             if (idset is None or aid in idset) and code_id in key_of]
    questions = {q.id: q for q in store.list_questions(project) if q.codebook_id in book_ids}
    labels = []
    for lab in store.list_article_labels(project, coder_ids=coder_ids):
        if idset is not None and lab.article_id not in idset:
            continue
        if lab.code_id is not None and lab.code_id in code_by_id:
            c = code_by_id[lab.code_id]
            labels.append(XLabel(str(lab.article_id), coder_name[lab.coder_id],
                                 code_key(book_ids[c.codebook_id].key, c.name), None, lab.value))
        elif lab.question_id is not None and lab.question_id in questions:
            labels.append(XLabel(str(lab.article_id), coder_name[lab.coder_id], None,
                                 questions[lab.question_id].key, lab.value))
    notes: dict = {"codebooks": {b.key: b.name for b in books}}
    memos = _memos_to_x(project, all_codes, key_of, coder_name, idset, coders is not None)
    if memos:
        notes["memos"] = memos
    return XProject(name or Path(project.path).stem, xarticles, xcodes, spans, labels,
                    [c.name for c in coder_rows], notes)


def _memos_to_x(project: store.Project, all_codes: dict, key_of: dict[int, str],
                coder_name: dict[int, str], idset: set[int] | None, coders_chosen: bool
                ) -> list[dict]:
    """Project, code and article memos of the export (see annotate.formats.refi).

    A code memo goes with its code; the memo of a merged code goes with the code it was merged
    into.  With chosen coders (or the adjudicated coding) only their memos and memos without an
    author are exported; article memos follow the exported coders and articles.
    """
    out: list[dict] = []
    for m in store.list_memos(project):
        if coders_chosen and m.created_by is not None and m.created_by not in coder_name:
            continue
        entry = {"target": "project", "code": None, "article": None, "title": m.title,
                 "text": m.text, "coder": m.coder, "created": m.created_at,
                 "modified": m.updated_at}
        if m.code_id is not None:
            cid, hops = m.code_id, 0
            while cid in all_codes and all_codes[cid].merged_into and hops < len(all_codes):
                cid, hops = all_codes[cid].merged_into, hops + 1
            if cid not in key_of:
                continue                 # its codebook is not exported
            entry.update(target="code", code=key_of[cid])
        out.append(entry)
    marks = ", ".join("?" for _ in coder_name) or "NULL"
    for row in project.query(f"SELECT article_id, coder_id, memo FROM article_memos WHERE coder_id"
                             f" IN ({marks}) ORDER BY article_id, coder_id", list(coder_name)):
        if idset is not None and row["article_id"] not in idset:
            continue
        out.append({"target": "article", "code": None, "article": str(row["article_id"]),
                    "title": "", "text": row["memo"], "coder": coder_name[row["coder_id"]],
                    "created": None, "modified": None})
    return out


@dataclass
class XImportReport:
    articles_new: int = 0
    articles_matched: int = 0
    codes_new: int = 0
    codes_matched: int = 0
    coders: int = 0
    stories: int = 0
    spans: int = 0
    labels: int = 0
    memos: int = 0
    duplicates_skipped: int = 0
    renamed: list[str] = field(default_factory=list)
    not_placed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.articles_new} new article(s)", f"{self.articles_matched} matched by text",
                 f"{self.spans} span(s)", f"{self.labels} article label(s)"]
        if self.codes_new or self.codes_matched:
            parts.append(f"{self.codes_new} new code(s)"
                         + (f", {self.codes_matched} already present" if self.codes_matched else ""))
        if self.memos:
            parts.append(f"{self.memos} memo(s)")
        if self.renamed:
            parts.append(f"{len(self.renamed)} code(s) renamed")
        if self.stories:
            parts.append(f"{self.stories} stor{'y' if self.stories == 1 else 'ies'}")
        if self.duplicates_skipped:
            parts.append(f"{self.duplicates_skipped} already present")
        if self.not_placed:
            parts.append(f"{len(self.not_placed)} not placed")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} conflict(s)")
        return ", ".join(parts)


def _validate(xp: XProject, source: str) -> None:
    """Refuse the whole file before anything is written when a span cannot be right."""
    texts = {a.key: a.text for a in xp.articles}
    for a in xp.articles:
        if not a.text.strip():
            raise FormatError(source, f"article {a.key!r} has an empty text")
    for s in xp.spans:
        if s.article not in texts:
            raise FormatError(source, f"a span refers to unknown article {s.article!r}")
        n = len(texts[s.article])
        if not (0 <= s.start < s.end <= n):
            raise FormatError(source, f"span {s.start}–{s.end} of article {s.article!r} falls "
                              f"outside its text ({n} characters)")
        if s.quote is not None and texts[s.article][s.start:s.end] != s.quote:
            raise FormatError(source, f"span {s.start}–{s.end} of article {s.article!r}: its quote "
                              "does not match the text at those positions")


def x_into_project(project: store.Project, xp: XProject, *, source: str,
                   story: str | None = None) -> XImportReport:
    """Write ``xp`` into ``project`` as one action (see the module docstring)."""
    _validate(xp, source)
    report = XImportReport()
    xcodes = xp.code_map()
    with project.action("import", f"dataset {source}"):
        article_ids: dict[str, int] = {}
        for a in xp.articles:
            meta = dict(a.meta)
            author = meta.pop("author", None)
            result = store.add_article(project, text=a.text, title=a.title, outlet=a.outlet,
                                       country=a.country, published=a.published, url=a.url,
                                       language=a.language, import_source=source, meta=meta,
                                       author=author if isinstance(author, str) else None)
            article_ids[a.key] = result.article_id
            if result.created:
                report.articles_new += 1
            else:
                report.articles_matched += 1
        if story:
            store.add_to_story(project, store.ensure_story(project, story), article_ids.values())
        for set_name, keys in (xp.notes.get("source_sets") or {}).items():
            ids = [article_ids[k] for k in keys if k in article_ids]
            if ids:
                store.add_to_story(project, store.ensure_story(project, str(set_name)), ids)
                report.stories += 1
        code_ids: dict[str, int] = {}
        code_owner: dict[int, str] = {}

        def code_id_for(key: str) -> int | None:
            if key in code_ids:
                return code_ids[key]
            xc = xcodes.get(key)
            if xc is None:
                return None
            cb_id = store.ensure_codebook(project, xc.codebook, xp.notes.get("codebooks", {}).get(
                xc.codebook, xc.codebook))
            parent = code_id_for(xc.parent) if xc.parent else None
            name, row = xc.name, None
            for attempt in range(1, 1000):
                row = project.query_one("SELECT id FROM codes WHERE codebook_id = ? AND name = ?",
                                        (cb_id, name))
                if row is None or row[0] not in code_owner:
                    break
                # another code of this file already holds the name: keep both
                parent_name = xcodes[xc.parent].name if xc.parent in xcodes else xc.codebook
                name = f"{xc.name} ({parent_name})" + (f" #{attempt}" if attempt > 1 else "")
            if name != xc.name:
                report.renamed.append(f"code {key!r} is named {name!r}: codebook "
                                      f"{xc.codebook!r} has another code named {xc.name!r}")
            if row:
                code_ids[key] = row[0]
                report.codes_matched += 1
            else:
                code_ids[key] = store.add_code(project, cb_id, name, color=xc.color or "#888888",
                                               description=xc.description, parent_id=parent)
                report.codes_new += 1
            code_owner.setdefault(code_ids[key], key)
            return code_ids[key]

        for xc in xp.codes:               # the whole codebook, used or not, parents first
            code_id_for(xc.key)
        report.not_placed.extend(str(w) for w in xp.notes.get("import_warnings") or [])
        memos = [m for m in xp.notes.get("memos") or [] if isinstance(m, dict)]
        for name, value in xp.notes.items():
            if name in ("codebooks", "source_sets", "import_warnings", "memos") or not value:
                continue
            if isinstance(value, str):     # a project description or another project note
                memos.append({"target": "project", "title": "Project description"
                              if name == "description" else name, "text": value})
            else:
                report.not_placed.append(f"project note {name!r}: not text, so not kept")
        coder_ids = {name: store.ensure_coder(project, name).id for name in xp.all_coders()}
        report.coders = len(coder_ids)
        _place_memos(project, memos, report, coder_ids, code_id_for, article_ids)
        for s in xp.spans:
            cid = code_id_for(s.code)
            if cid is None:
                report.not_placed.append(f"span {s.start}–{s.end} of {s.article}: unknown code {s.code!r}")
                continue
            aid = article_ids[s.article]
            exists = project.query_one(
                'SELECT 1 FROM annotations WHERE article_id = ? AND start = ? AND "end" = ?'
                " AND code_id = ? AND coder_id = ?", (aid, s.start, s.end, cid, coder_ids[s.coder]))
            if exists:
                report.duplicates_skipped += 1
                continue
            store.add_annotation(project, article_id=aid, start=s.start, end=s.end, code_id=cid,
                                 coder_id=coder_ids[s.coder], memo=s.memo, origin=f"import:{source}")
            report.spans += 1
        questions = {q.key: q for q in store.list_questions(project)}
        for lab in xp.labels:
            aid = article_ids.get(lab.article)
            if aid is None:
                report.not_placed.append(f"label for unknown article {lab.article!r}")
                continue
            kwargs: dict = {}
            if lab.code is not None:
                cid = code_id_for(lab.code)
                if cid is None:
                    report.not_placed.append(f"label of unknown code {lab.code!r}")
                    continue
                kwargs["code_id"] = cid
            elif lab.question in questions:
                kwargs["question_id"] = questions[lab.question].id
            else:
                report.not_placed.append(f"answer to unknown question {lab.question!r}")
                continue
            column, key = next(iter(kwargs.items()))
            current = project.query_one(
                f"SELECT value FROM article_labels WHERE article_id = ? AND coder_id = ? AND {column} = ?",
                (aid, coder_ids[lab.coder], key))
            if current is not None and current[0] != lab.value:
                report.conflicts.append(f"article {aid}, {lab.code or lab.question}, coder "
                                        f"{lab.coder}: kept {current[0]!r}, file says {lab.value!r}")
                continue
            if current is not None:
                report.duplicates_skipped += 1
                continue
            try:
                store.set_article_label(project, article_id=aid, coder_id=coder_ids[lab.coder],
                                        value=lab.value, origin=f"import:{source}", **kwargs)
            except store.ValidationError as exc:
                report.not_placed.append(f"article {aid}: {exc}")
                continue
            report.labels += 1
    return report


def _place_memos(project: store.Project, memos: list[dict], report: XImportReport,
                 coder_ids: dict[str, int], code_id_for, article_ids: dict[str, int]) -> None:
    for m in memos:
        text, title = m.get("text"), str(m.get("title") or "").strip()
        target = m.get("target") or "project"
        what = f"{target} memo {title or str(text)[:40]!r}"
        if not isinstance(text, str) or not text.strip():
            report.not_placed.append(f"{what}: it has no text")
            continue
        coder = m.get("coder")
        coder_id = None
        if coder:
            if coder not in coder_ids:
                coder_ids[coder] = store.ensure_coder(project, str(coder)).id
                report.coders += 1
            coder_id = coder_ids[coder]
        if target == "article":
            aid = article_ids.get(m.get("article"))
            if aid is None or coder_id is None:
                report.not_placed.append(f"{what}: " + ("unknown article "
                                         f"{m.get('article')!r}" if aid is None else "no author"))
                continue
            current = store.get_article_memo(project, aid, coder_id)
            if current == text:
                report.duplicates_skipped += 1
            elif current:
                report.conflicts.append(f"article {aid}, memo of coder {coder}: kept the "
                                        "project's, the file's differs")
            else:
                store.set_article_memo(project, article_id=aid, coder_id=coder_id, memo=text)
                report.memos += 1
            continue
        code_id = None
        if target == "code":
            code_id = code_id_for(m.get("code"))
            if code_id is None:
                report.not_placed.append(f"{what}: unknown code {m.get('code')!r}")
                continue
        elif target != "project":
            report.not_placed.append(f"{what}: FrameLens has no memos on a {target}")
            continue
        same = project.query_one("SELECT 1 FROM memos WHERE code_id IS ? AND title = ? AND text = ?",
                                 (code_id, title, text))
        if same:
            report.duplicates_skipped += 1
            continue
        store.add_memo(project, text, title=title, code_id=code_id, coder_id=coder_id,
                       created_at=m.get("created") or None, updated_at=m.get("modified") or None)
        report.memos += 1


def merge_project_file(project: store.Project, other: str | Path) -> XImportReport:
    """Merge another FrameLens project file (e.g. a second coder's copy) into ``project``."""
    other_project = store.open_project(other, read_only=True)
    try:
        xp = project_to_x(other_project)
    finally:
        other_project.close()
    return x_into_project(project, xp, source=str(other))
