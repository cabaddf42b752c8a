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

The package: ``common`` (namespaces, GUIDs, colours), ``write`` (``write_qdpx``, ``write_qdc``),
``read`` (``read_qdpx``, ``read_qdc``, ``read_qdc_project``); every name is importable from
``annotate.formats.refi``.
"""

from __future__ import annotations

from framelens.annotate.analysis.formats.model import ReadLimits

from .common import NS_CODEBOOK, NS_PROJECT, refi_guid
from .read import read_qdc, read_qdc_project, read_qdpx
from .write import write_qdc, write_qdpx

__all__ = ["write_qdpx", "read_qdpx", "write_qdc", "read_qdc", "read_qdc_project", "ReadLimits",
           "refi_guid",
           "NS_PROJECT", "NS_CODEBOOK"]
