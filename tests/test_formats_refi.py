"""REFI-QDA 1.0: schema-valid export, round trip, foreign-style import, hostile files."""

import zipfile
from pathlib import Path

import pytest

from framelens.annotate.analysis.formats.model import (
    FormatError, ReadLimits, XArticle, XCode, XLabel, XProject, XSpan,
)
from framelens.annotate.analysis.formats.refi import (
    NS_PROJECT, read_qdc, read_qdpx, refi_guid, write_qdc, write_qdpx,
)

# The published REFI-QDA 1.0 schema (MIT licence), shipped with the tests: see tests/data/refi/README.md.
XSD = Path(__file__).resolve().parent / "data" / "refi" / "Project.xsd"


def _schema(codebook: bool = False):
    from lxml import etree

    text = XSD.read_text(encoding="utf-8")
    if codebook:
        # The codebook file uses the same types in its own namespace, rooted at <CodeBook>.
        text = text.replace(NS_PROJECT, "urn:QDA-XML:codebook:1.0").replace(
            '<xsd:element name="Project" type="ProjectType">',
            '<xsd:element name="CodeBook" type="CodeBookType">')
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8")))


def _validate(xml: bytes, codebook: bool = False) -> None:
    from lxml import etree

    schema = _schema(codebook)
    doc = etree.fromstring(xml)
    assert schema.validate(doc), schema.error_log


TEXT1 = "Tokyo 🇯🇵 protests 👍🏽.\nThe 𠮷野家 chain said prices rose.\nEnd."
TEXT2 = "Москва заявила: «Южные Курилы — наши».\nВторая строка."
TEXT3 = "Beijing said the Diaoyu islands\u200f are Chinese.\u200d Fin."


def _span(article, text, needle, code, coder, memo=None):
    start = text.index(needle)
    return XSpan(article, start, start + len(needle), code, coder, memo)


def make_project() -> XProject:
    arts = [
        XArticle("jp-1", TEXT1, title="Protest in Tokyo", outlet="NHK", country="JP",
                 published="2024-05-01", url="https://example.org/1", language="en",
                 meta={"section": "world"}),
        XArticle("ru-1", TEXT2, title="Курилы", outlet="TASS", country="RU", language="ru"),
        XArticle("cn-1", TEXT3, outlet="Xinhua", country="CN"),
    ]
    codes = [
        XCode("policy_frames/Economic", "policy_frames", "Economic", "#1f77b4", "Costs, prices"),
        XCode("policy_frames/Political", "policy_frames", "Political", "#f0A"),
        XCode("policy_frames/Political/Elections", "policy_frames", "Elections",
              parent="policy_frames/Political"),
        XCode("entman/problem definition", "entman", "problem definition", None, "What is wrong"),
        XCode("entman/moral evaluation", "entman", "moral evaluation"),
    ]
    spans = [
        _span("jp-1", TEXT1, "🇯🇵 protests 👍🏽", "policy_frames/Political", "anna", "flags & emoji"),
        _span("jp-1", TEXT1, "𠮷野家 chain said prices rose", "policy_frames/Economic", "anna"),
        _span("jp-1", TEXT1, "prices rose.\nEnd", "policy_frames/Economic", "boris",
              "crosses a line\nend"),
        _span("jp-1", TEXT1, "👍🏽", "entman/moral evaluation", "boris"),
        _span("ru-1", TEXT2, "«Южные Курилы — наши»", "entman/problem definition", "boris"),
        _span("cn-1", TEXT3, "Diaoyu islands\u200f", "policy_frames/Political/Elections", "anna"),
        _span("cn-1", TEXT3, "Diaoyu islands\u200f", "policy_frames/Political/Elections", "anna"),
    ]
    labels = [
        XLabel("jp-1", "anna", "policy_frames/Economic", None, "1"),
        XLabel("ru-1", "boris", None, "primary frame", "Political"),
        XLabel("ru-1", "anna", None, "primary frame", "Economic"),
        XLabel("cn-1", "boris", "policy_frames/Political", None, "0"),
    ]
    return XProject("Kurils & co", arts, codes, spans, labels, ["anna", "boris"],
                    {"description": "Two plus two", "method": "Coded in pairs."})


def _key(s):
    return (s.article, s.start, s.end, s.code, s.coder, s.memo)


def test_export_is_schema_valid(tmp_path):
    path = tmp_path / "out.qdpx"
    write_qdpx(make_project(), path)
    with zipfile.ZipFile(path) as zf:
        _validate(zf.read("project.qde"))


def test_round_trip_is_lossless(tmp_path):
    p = make_project()
    path = tmp_path / "out.qdpx"
    write_qdpx(p, path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        xml = zf.read("project.qde")
        guid = refi_guid("article", "jp-1")
        assert zf.read(f"sources/{guid}.txt") == TEXT1.encode("utf-8")  # byte-exact
    assert names[0] == "project.qde" and len(names) == 4
    assert f'plainTextPath="internal://{guid}.txt"'.encode() in xml

    q = read_qdpx(path)
    assert q.name == p.name
    assert [(a.key, a.text, a.title, a.outlet, a.country, a.published, a.url, a.language, a.meta)
            for a in q.articles] == \
        [(a.key, a.text, a.title, a.outlet, a.country, a.published, a.url, a.language, a.meta)
         for a in p.articles]
    assert [a.sha256 for a in q.articles] == [a.sha256 for a in p.articles]
    assert q.codes == [XCode(c.key, c.codebook, c.name,
                             {"#f0A": "#FF00AA", "#1f77b4": "#1F77B4"}.get(c.color, c.color),
                             c.description, c.parent) for c in p.codes]
    assert sorted(map(_key, q.spans)) == sorted(map(_key, p.spans))
    texts = {a.key: a.text for a in p.articles}
    for s in q.spans:
        assert s.quote == texts[s.article][s.start:s.end]
    assert sorted(q.coders) == ["anna", "boris"]
    assert sorted((x.article, x.coder, x.code, x.question, x.value) for x in q.labels) == \
        sorted((x.article, x.coder, x.code, x.question, x.value) for x in p.labels)
    # a project note written by another program's reader comes back as a project memo
    assert q.notes == {"description": "Two plus two", "memos": [
        {"target": "project", "code": None, "article": None, "title": "method",
         "text": "Coded in pairs.", "coder": None, "created": None, "modified": None}]}


def test_export_is_deterministic(tmp_path):
    write_qdpx(make_project(), tmp_path / "a.qdpx")
    write_qdpx(make_project(), tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_export_refuses_inconsistent_projects(tmp_path):
    p = make_project()
    p.spans.append(XSpan("jp-1", 0, 999, "policy_frames/Economic", "anna"))
    with pytest.raises(ValueError, match="outside"):
        write_qdpx(p, tmp_path / "x.qdpx")
    p = make_project()
    p.spans.append(XSpan("jp-1", 0, 1, "nope", "anna"))
    with pytest.raises(ValueError, match="unknown code"):
        write_qdpx(p, tmp_path / "x.qdpx")
    assert not (tmp_path / "x.qdpx").exists()


def test_codebook_qdc_round_trip(tmp_path):
    codes = make_project().codes
    write_qdc(codes, tmp_path / "book.qdc")
    xml = (tmp_path / "book.qdc").read_bytes()
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in xml
    _validate(xml, codebook=True)
    back = read_qdc(tmp_path / "book.qdc")
    assert [(c.key, c.codebook, c.name, c.parent, c.description) for c in back] == \
        [(c.key, c.codebook, c.name, c.parent, c.description) for c in codes]


# -------------------------------------------------------------- foreign-style archives

FOREIGN_TEXT = "\ufeffFirst line 🇯🇵 here.\r\nSecond 𠮷 line 👍🏽.\r\nThird."
CODE_A = "11111111-2222-3333-4444-555555555555"
CODE_B = "{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}"
USER_1 = "99999999-0000-0000-0000-000000000001"
USER_2 = "99999999-0000-0000-0000-000000000002"


def _u16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def foreign_qde(start: int, end: int, *, code=CODE_A, extra_source="", doctype="") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>{doctype}
<Project xmlns="urn:QDA-XML:project:1.0" name="From NVivo" creatingUserGUID="{USER_1}">
 <Users><User guid="{USER_1}" name="Ann"/><User guid="{USER_2}"/></Users>
 <CodeBook><Codes>
  <Code guid="{CODE_A}" name="Conflict" isCodable="true" color="#00ff00">
   <Code guid="{CODE_B}" name="Blame" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Variables><Variable guid="77777777-0000-0000-0000-000000000001" name="Outlet"
   typeOfVariable="Text"/></Variables>
 <Cases><Case guid="66666666-0000-0000-0000-000000000001" name="c1">
   <VariableValue><VariableRef targetGUID="77777777-0000-0000-0000-000000000001"/>
   <TextValue>Asahi</TextValue></VariableValue>
   <SourceRef targetGUID="55555555-0000-0000-0000-000000000001"/></Case></Cases>
 <Sources>
  <TextSource guid="55555555-0000-0000-0000-000000000001" name="Asahi 1"
     plainTextPath="internal://doc1.txt">
   <PlainTextSelection guid="44444444-0000-0000-0000-000000000001" startPosition="{start}"
      endPosition="{end}" creatingUser="{USER_2}">
    <Coding guid="33333333-0000-0000-0000-000000000001"><CodeRef targetGUID="{code}"/></Coding>
    <NoteRef targetGUID="22222222-0000-0000-0000-000000000001"/>
   </PlainTextSelection>
  </TextSource>
  <TextSource guid="55555555-0000-0000-0000-000000000002" name="Inline">
   <PlainTextContent>Inline text</PlainTextContent>
   <PlainTextSelection guid="44444444-0000-0000-0000-000000000002" startPosition="0"
      endPosition="6"><Coding guid="33333333-0000-0000-0000-000000000002">
      <CodeRef targetGUID="{CODE_B.lower()}"/></Coding></PlainTextSelection>
  </TextSource>{extra_source}
  <PictureSource guid="55555555-0000-0000-0000-000000000009" path="internal://p.png"/>
 </Sources>
 <Notes><Note guid="22222222-0000-0000-0000-000000000001" name="m">
   <PlainTextContent>Why I coded this</PlainTextContent></Note></Notes>
</Project>"""


def build_zip(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def foreign_archive(path: Path, **kw) -> Path:
    raw = FOREIGN_TEXT[1:]  # positions count UTF-16 units of the text without its BOM
    start = _u16(raw[:raw.index("🇯🇵 here")])
    end = _u16(raw[:raw.index("line 👍🏽") + len("line 👍🏽")])
    return build_zip(path, {"PROJECT.QDE": foreign_qde(start, end, **kw),
                            "Sources/DOC1.TXT": FOREIGN_TEXT.encode("utf-8")})


def test_foreign_archive_crlf_case_and_utf16_positions(tmp_path):
    q = read_qdpx(foreign_archive(tmp_path / "nvivo.qdpx"))
    doc, inline = q.articles
    assert doc.text == "First line 🇯🇵 here.\nSecond 𠮷 line 👍🏽.\nThird."
    assert doc.key == "Asahi 1" and doc.outlet == "Asahi"
    span = next(s for s in q.spans if s.article == doc.key)
    assert doc.text[span.start:span.end] == "🇯🇵 here.\nSecond 𠮷 line 👍🏽"
    assert span.code == "imported/Conflict" and span.coder == "user-99999999"
    assert span.memo == "Why I coded this"
    inline_span = next(s for s in q.spans if s.article == inline.key)
    assert inline.text[inline_span.start:inline_span.end] == "Inline"
    assert inline_span.code == "imported/Conflict/Blame" and inline_span.coder == "Ann"
    assert [c.parent for c in q.codes] == [None, "imported/Conflict"]
    assert q.codes[0].color == "#00FF00"
    assert "PictureSource '55555555-0000-0000-0000-000000000009': only text sources are imported" in q.notes["import_warnings"]


def test_foreign_archive_positions_must_be_valid(tmp_path):
    raw = FOREIGN_TEXT[1:]
    inside_flag = _u16(raw[:raw.index("🇯🇵")]) + 1
    cases = {
        "out.qdpx": (0, _u16(raw) + 1, "outside"),
        "rev.qdpx": (5, 2, "after end"),
        "pair.qdpx": (inside_flag, inside_flag + 3, "surrogate pair"),
    }
    for name, (s, e, msg) in cases.items():
        path = build_zip(tmp_path / name, {"project.qde": foreign_qde(s, e),
                                           "sources/doc1.txt": FOREIGN_TEXT})
        with pytest.raises(FormatError, match=msg) as err:
            read_qdpx(path)
        assert name in str(err.value)


def test_missing_code_and_missing_source_are_refused(tmp_path):
    path = build_zip(tmp_path / "code.qdpx", {
        "project.qde": foreign_qde(0, 3, code="12345678-1234-1234-1234-123456789abc"),
        "sources/doc1.txt": FOREIGN_TEXT})
    with pytest.raises(FormatError, match="missing code"):
        read_qdpx(path)
    path = build_zip(tmp_path / "src.qdpx", {"project.qde": foreign_qde(0, 3)})
    with pytest.raises(FormatError, match="missing from the archive"):
        read_qdpx(path)
    outside = '\n<TextSource guid="55555555-0000-0000-0000-000000000003" ' \
              'plainTextPath="absolute:///etc/passwd"/>'
    path = build_zip(tmp_path / "abs.qdpx", {"project.qde": foreign_qde(0, 3, extra_source=outside),
                                             "sources/doc1.txt": FOREIGN_TEXT})
    with pytest.raises(FormatError, match="outside the archive"):
        read_qdpx(path)


def test_not_a_zip_and_not_a_project(tmp_path):
    (tmp_path / "plain.qdpx").write_text("hello")
    with pytest.raises(FormatError, match="not a readable zip"):
        read_qdpx(tmp_path / "plain.qdpx")
    with pytest.raises(FormatError, match="no project.qde"):
        read_qdpx(build_zip(tmp_path / "empty.qdpx", {"readme.txt": "x"}))
    with pytest.raises(FormatError, match="not <Project>"):
        read_qdpx(build_zip(tmp_path / "root.qdpx", {"project.qde": "<Other/>"}))
    with pytest.raises(FormatError, match="malformed XML"):
        read_qdpx(build_zip(tmp_path / "bad.qdpx", {"project.qde": "<Project"}))


XXE = '<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<!DOCTYPE Project [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;">]>')


@pytest.mark.parametrize("doctype", [XXE, LAUGHS, '<!DOCTYPE Project SYSTEM "http://x/p.dtd">'])
def test_dtds_and_entities_are_refused(tmp_path, doctype):
    qde = foreign_qde(0, 3, doctype=doctype).replace('name="From NVivo"', 'name="&lol2;"'
                                                     if "lol2" in doctype else 'name="x"')
    path = build_zip(tmp_path / "evil.qdpx", {"project.qde": qde, "sources/doc1.txt": "abc"})
    with pytest.raises(FormatError, match="DTD"):
        read_qdpx(path)


def test_codebook_file_refuses_entities(tmp_path):
    (tmp_path / "evil.qdc").write_text(
        '<?xml version="1.0"?>' + XXE.replace("Project", "CodeBook") +
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    with pytest.raises(FormatError, match="DTD"):
        read_qdc(tmp_path / "evil.qdc")


def test_zip_slip_members_are_refused(tmp_path):
    path = tmp_path / "slip.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", foreign_qde(0, 3))
        info = zipfile.ZipInfo("x")
        info.filename = "../../outside.txt"
        zf.writestr(info, "pwned")
    with pytest.raises(FormatError, match="parent-relative"):
        read_qdpx(path)
    path = build_zip(tmp_path / "slip2.qdpx", {"project.qde": foreign_qde(0, 3).replace(
        "internal://doc1.txt", "../doc1.txt"), "sources/doc1.txt": FOREIGN_TEXT})
    with pytest.raises(FormatError):
        read_qdpx(path)


def test_zip_bombs_are_refused(tmp_path):
    bomb = build_zip(tmp_path / "bomb.qdpx", {"project.qde": foreign_qde(0, 3),
                                              "sources/doc1.txt": b"\0" * (24 * 2**20)})
    with pytest.raises(FormatError, match="zip bomb"):
        read_qdpx(bomb)
    big = foreign_archive(tmp_path / "ok.qdpx")
    with zipfile.ZipFile(big) as zf:
        qde_size = zf.getinfo("PROJECT.QDE").file_size
    read_qdpx(big, limits=ReadLimits(max_total=qde_size + 200))
    with pytest.raises(FormatError, match="in total"):  # the source text tips it over
        read_qdpx(big, limits=ReadLimits(max_total=qde_size + 10))
    with pytest.raises(FormatError, match="beyond 100 bytes"):
        read_qdpx(big, limits=ReadLimits(max_member=100))


def test_header_sizes_are_not_trusted(tmp_path):
    """A member whose directory entry under-states its size is refused, not half-read."""
    data = bytearray(foreign_archive(tmp_path / "ok.qdpx").read_bytes())
    pos = -1
    while True:  # the central-directory entry of the source member
        pos = data.find(b"PK\x01\x02", pos + 1)
        assert pos >= 0
        n = int.from_bytes(data[pos + 28:pos + 30], "little")
        if data[pos + 46:pos + 46 + n] == b"Sources/DOC1.TXT":
            break
    data[pos + 24:pos + 28] = (1).to_bytes(4, "little")  # uncompressed size: 1 byte
    (tmp_path / "lie.qdpx").write_bytes(bytes(data))
    with pytest.raises(FormatError, match="DOC1.TXT"):
        read_qdpx(tmp_path / "lie.qdpx")


def test_round_trip_through_a_tool_that_saves_crlf(tmp_path):
    """Re-save our export the way a Windows tool would (CRLF text, UTF-16 positions shifted)."""
    import xml.etree.ElementTree as ET

    p = make_project()
    write_qdpx(p, tmp_path / "lf.qdpx")
    ns = {"q": NS_PROJECT}
    with zipfile.ZipFile(tmp_path / "lf.qdpx") as zf:
        root = ET.fromstring(zf.read("project.qde"))
        texts = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n != "project.qde"}
    members = {}
    for src in root.iterfind("q:Sources/q:TextSource", ns):
        name = "sources/" + src.get("plainTextPath").split("://")[1]
        text = texts[name]
        utf16 = text.encode("utf-16-le")
        for sel in src.iterfind("q:PlainTextSelection", ns):
            for attr in ("startPosition", "endPosition"):
                u = int(sel.get(attr))
                sel.set(attr, str(u + utf16[:2 * u].decode("utf-16-le").count("\n")))
        members[name.replace("sources/", "Sources/")] = text.replace("\n", "\r\n")
    ET.register_namespace("", NS_PROJECT)
    members["project.qde"] = ET.tostring(root, encoding="unicode")
    q = read_qdpx(build_zip(tmp_path / "crlf.qdpx", members))
    assert [a.text for a in q.articles] == [a.text for a in p.articles]
    assert sorted(map(_key, q.spans)) == sorted(map(_key, p.spans))


def test_case_pointing_at_a_missing_source_is_refused(tmp_path):
    qde = foreign_qde(0, 3).replace('<SourceRef targetGUID="55555555-0000-0000-0000-000000000001"/>',
                                    '<SourceRef targetGUID="55555555-0000-0000-0000-00000000dead"/>')
    path = build_zip(tmp_path / "case.qdpx", {"project.qde": qde, "sources/doc1.txt": FOREIGN_TEXT})
    with pytest.raises(FormatError, match="missing source"):
        read_qdpx(path)


def test_foreign_codebook_without_codebook_nodes(tmp_path):
    (tmp_path / "maxqda.qdc").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA"><Codes>'
        f'<Code guid="{CODE_A}" name="Frames" isCodable="false">'
        f'<Code guid="{CODE_B}" name="Economic" isCodable="true" color="#abc">'
        '<Description>Money</Description></Code></Code>'
        '<Code guid="11111111-0000-0000-0000-000000000000" name="Loose" isCodable="true"/>'
        '</Codes></CodeBook>', encoding="utf-8")
    codes = read_qdc(tmp_path / "maxqda.qdc", default_codebook="misc")
    assert [(c.key, c.codebook, c.name, c.color, c.description) for c in codes] == [
        ("Frames/Economic", "Frames", "Economic", "#AABBCC", "Money"),
        ("misc/Loose", "misc", "Loose", None, None)]


def test_absurdly_deep_code_nesting_is_refused(tmp_path):
    inner = "".join(f'<Code guid="00000000-0000-0000-0000-{i:012d}" name="c{i}" isCodable="true">'
                    for i in range(500)) + "</Code>" * 500
    (tmp_path / "deep.qdc").write_text(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{inner}</Codes></CodeBook>')
    with pytest.raises(FormatError, match="nested"):
        read_qdc(tmp_path / "deep.qdc")


# ---------------------------------------------------------------------------- memos and notes

def _memo(target, text, *, code=None, article=None, title="", coder=None, created=None,
          modified=None):
    return {"target": target, "code": code, "article": article, "title": title, "text": text,
            "coder": coder, "created": created, "modified": modified}


def test_memos_are_notes_on_the_project_the_code_and_the_source(tmp_path):
    p = make_project()
    p.notes = {"memos": [
        _memo("project", "Outlets disagree.\nSecond line", title="Week 1", coder="anna",
              created="2024-05-01T10:00:00.000+00:00", modified="2024-05-02T11:00:00Z"),
        _memo("code", "Costs and prices only", code="policy_frames/Economic", coder="boris",
              created="2024-05-03T09:00:00Z", modified="2024-05-03T09:00:00Z"),
        _memo("article", "Read twice", article="ru-1", coder="anna"),
        _memo("project", "No author, no date"),
        _memo("code", "A second memo on the same code", code="policy_frames/Economic",
              title="later", coder="carla"),
    ]}
    path = tmp_path / "m.qdpx"
    write_qdpx(p, path)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("project.qde")
    _validate(xml)
    q = read_qdpx(path)
    assert q.notes["memos"] == p.notes["memos"]
    assert "carla" in q.coders                      # a memo's author is a user
    assert sorted(map(_key, q.spans)) == sorted(map(_key, make_project().spans))
    write_qdpx(q, tmp_path / "m2.qdpx")
    with zipfile.ZipFile(tmp_path / "m2.qdpx") as zf:
        assert zf.read("project.qde") == xml


FOREIGN_NOTES = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="notes" origin="NVivo-like">
 <Users><User guid="00000000-0000-0000-0000-0000000000a1" name="Ann"/>
        <User guid="00000000-0000-0000-0000-0000000000a2" name="Ben"/></Users>
 <CodeBook><Codes>
  <Code guid="00000000-0000-0000-0000-0000000000c0" name="Frames" isCodable="false">
   <NoteRef targetGUID="00000000-0000-0000-0000-000000000096"/>
   <Code guid="00000000-0000-0000-0000-0000000000c1" name="Blame" isCodable="true">
    <Description>who is at fault</Description>
    <NoteRef targetGUID="00000000-0000-0000-0000-000000000092"/>
   </Code>
  </Code>
 </Codes></CodeBook>
 <Cases><Case guid="00000000-0000-0000-0000-0000000000e1" name="P1">
   <NoteRef targetGUID="00000000-0000-0000-0000-000000000097"/></Case></Cases>
 <Sources>
  <TextSource guid="00000000-0000-0000-0000-0000000000s1" name="Interview 1">
   <PlainTextContent>It was their fault, she said.</PlainTextContent>
   <PlainTextSelection guid="00000000-0000-0000-0000-0000000000p1" startPosition="0" endPosition="18"
       creatingUser="00000000-0000-0000-0000-0000000000a1">
    <Coding guid="00000000-0000-0000-0000-0000000000d1"
            creatingUser="00000000-0000-0000-0000-0000000000a1">
     <CodeRef targetGUID="00000000-0000-0000-0000-0000000000c1"/></Coding>
    <NoteRef targetGUID="00000000-0000-0000-0000-000000000093"/>
   </PlainTextSelection>
   <PlainTextSelection guid="00000000-0000-0000-0000-0000000000p2" startPosition="19" endPosition="22">
    <NoteRef targetGUID="00000000-0000-0000-0000-000000000098"/>
   </PlainTextSelection>
   <NoteRef targetGUID="00000000-0000-0000-0000-000000000094"/>
   <NoteRef targetGUID="00000000-0000-0000-0000-000000000095"/>
   <NoteRef targetGUID="00000000-0000-0000-0000-000000000099"/>
  </TextSource>
 </Sources>
 <Notes>
  <Note guid="00000000-0000-0000-0000-000000000091" name="Memo: method"
        creatingUser="00000000-0000-0000-0000-0000000000a2" creationDateTime="2023-01-01T00:00:00Z">
   <PlainTextContent>Free-standing memo</PlainTextContent></Note>
  <Note guid="00000000-0000-0000-0000-000000000092" name="Blame memo">
   <PlainTextContent>Only explicit blame</PlainTextContent></Note>
  <Note guid="00000000-0000-0000-0000-000000000093"><PlainTextContent>strong</PlainTextContent></Note>
  <Note guid="00000000-0000-0000-0000-000000000094" creatingUser="00000000-0000-0000-0000-0000000000a1">
   <PlainTextContent>first read</PlainTextContent></Note>
  <Note guid="00000000-0000-0000-0000-000000000095" creatingUser="00000000-0000-0000-0000-0000000000a1">
   <PlainTextContent>second read</PlainTextContent></Note>
  <Note guid="00000000-0000-0000-0000-000000000099" creatingUser="00000000-0000-0000-0000-0000000000a2">
   <PlainTextContent>Ben's view</PlainTextContent></Note>
  <Note guid="00000000-0000-0000-0000-000000000096" name="About the frames">
   <PlainTextContent>Entman's four functions</PlainTextContent></Note>
  <Note guid="00000000-0000-0000-0000-000000000097" name="Case note">
   <PlainTextContent>Participant 1 was late</PlainTextContent></Note>
  <Note guid="00000000-0000-0000-0000-000000000098" name="Uncoded">
   <PlainTextContent>look again</PlainTextContent></Note>
  <Note guid="00000000-0000-0000-0000-000000000009" name="Empty"><PlainTextContent> </PlainTextContent></Note>
 </Notes>
 <NoteRef targetGUID="00000000-0000-0000-0000-000000000091"/>
</Project>
"""


def test_foreign_notes_find_their_home_and_nothing_is_lost(tmp_path):
    path = build_zip(tmp_path / "n.qdpx", {"project.qde": FOREIGN_NOTES})
    q = read_qdpx(path)
    assert [s.memo for s in q.spans] == ["strong"]
    got = [(m["target"], m["code"], m["article"], m["title"], m["text"], m["coder"])
           for m in q.notes["memos"]]
    assert got == [
        ("project", None, None, "Memo: method", "Free-standing memo", "Ben"),
        ("code", "Frames/Blame", None, "Blame memo", "Only explicit blame", None),
        ("article", None, "Interview 1", "", "first read\n\nsecond read", "Ann"),
        ("article", None, "Interview 1", "", "Ben's view", "Ben"),
        ("project", None, None, "About the frames", "Entman's four functions", None),
        ("project", None, None, "Case note", "Participant 1 was late", None),
        ("project", None, None, "Uncoded", "look again", None),
    ]
    assert q.notes["memos"][0]["created"] == "2023-01-01T00:00:00Z"
    warnings = q.notes["import_warnings"]
    assert "note 'Empty' has no text; FrameLens keeps no empty memo" in warnings
    assert "note 'Case note' (on a Case FrameLens does not keep): kept as a project memo" in warnings
    assert "note 'Uncoded' (on a PlainTextSelection FrameLens does not keep): kept as a project memo" in warnings
    assert any("has no coding; a span without a code cannot be kept; its note is kept as a "
               "project memo" in w for w in warnings)


def test_project_memos_survive_export_import_export(tmp_path, capsys):
    import json

    from framelens import store
    from framelens.annotate.cli import main as framelens

    def cli(*argv):
        status = framelens([str(a) for a in argv])
        out = capsys.readouterr()
        assert status == 0, out.err
        return out.out

    src = tmp_path / "a" / "study.framelens"
    src.parent.mkdir()
    p = store.create_project(src)
    ana, ben = store.ensure_coder(p, "ana").id, store.ensure_coder(p, "ben").id
    book = store.ensure_codebook(p, "frames", "Frames")
    blame = store.add_code(p, book, "Blame", color="#AA0000")
    old = store.add_code(p, book, "Fault")
    art = store.add_article(p, text=TEXT2, title="Курилы").article_id
    store.add_annotation(p, article_id=art, start=0, end=6, code_id=blame, coder_id=ana,
                         memo="who speaks")
    store.add_memo(p, "Outlets disagree.", title="Week 1", coder_id=ana)
    store.add_memo(p, "Explicit blame only.", code_id=blame, coder_id=ben)
    store.add_memo(p, "Merged away, memo kept.", code_id=old, coder_id=ana)
    store.merge_codes(p, old, blame, coder_id=ana)
    store.add_memo(p, "No author")
    store.set_article_memo(p, article_id=art, coder_id=ben, memo="Read twice")
    p.close()
    out1 = tmp_path / "one.qdpx"
    cli("export", src, "-f", "qdpx", "-o", out1)
    xp = read_qdpx(out1)
    assert [(m["target"], m["code"], m["text"], m["coder"]) for m in xp.notes["memos"]] == [
        ("project", None, "Outlets disagree.", "ana"),
        ("code", "frames/Blame", "Explicit blame only.", "ben"),
        ("code", "frames/Blame", "Merged away, memo kept.", "ana"),   # follows the merge
        ("project", None, "No author", None),
        ("article", None, "Read twice", "ben")]
    dst = tmp_path / "b" / "study.framelens"
    dst.parent.mkdir()
    store.create_project(dst).close()
    report = json.loads(cli("import-dataset", dst, out1, "--json"))
    assert (report["memos"], report["spans"], report["not_placed"]) == (5, 1, [])
    q = store.open_project(dst, read_only=True)
    try:
        memos = store.list_memos(q)
        assert [(m.title, m.text, m.code, m.coder) for m in memos] == [
            ("Week 1", "Outlets disagree.", None, "ana"),
            ("", "Explicit blame only.", "Blame", "ben"),
            ("", "Merged away, memo kept.", "Blame", "ana"),
            ("", "No author", None, None)]
        [a] = store.list_articles(q)
        assert store.get_article_memo(q, a.id, store.find_coder(q, "ben").id) == "Read twice"
        assert [x.memo for x in store.list_annotations(q)] == ["who speaks"]
    finally:
        q.close()
    out2 = tmp_path / "two.qdpx"
    cli("export", dst, "-f", "qdpx", "-o", out2)
    with zipfile.ZipFile(out1) as a, zipfile.ZipFile(out2) as b:
        assert [a.read(n) for n in a.namelist()] == [b.read(n) for n in b.namelist()]
    # importing it again adds nothing twice
    report = json.loads(cli("import-dataset", dst, out1, "--json"))
    assert (report["memos"], report["duplicates_skipped"]) == (0, 6)


ATLAS26_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Trial" origin="ATLAS.ti 26.1.2 (34883)"
 basePath="/Users/someone/Desktop/Trial Media/Project Media">
 <Users><User guid="A1B2C3D4-0000-0000-0000-000000000001" name="Researcher"/></Users>
 <CodeBook><Codes>
  <Code guid="C0DE0000-0000-0000-0000-000000000001" name="hello" isCodable="true"/>
  <Code guid="C0DE0000-0000-0000-0000-000000000002" name="test" isCodable="true"/>
 </Codes></CodeBook>
 <Sources>
  <VideoSource guid="241BA0AA-0000-0000-0000-000000000001" name="Christos vagias-2.MP4"
   path="relative:///DD148A4A-B28B-4BC0-90D8-3D1FB587C8E5.mov">
   <VideoSelection guid="5E100000-0000-0000-0000-000000000001" begin="21477" end="21477" name="21s">
    <Description>Hello Trying this out</Description>
   </VideoSelection>
   <VideoSelection guid="5E100000-0000-0000-0000-000000000002" begin="2274" end="9000" name="2s">
    <Coding guid="C0D10000-0000-0000-0000-000000000001"><CodeRef targetGUID="C0DE0000-0000-0000-0000-000000000001"/></Coding>
    <Coding guid="C0D10000-0000-0000-0000-000000000002"><CodeRef targetGUID="C0DE0000-0000-0000-0000-000000000002"/></Coding>
   </VideoSelection>
  </VideoSource>
  <TextSource guid="7E570000-0000-0000-0000-000000000001" name="notes.txt">
   <PlainTextContent>Talks resumed in Tokyo.</PlainTextContent>
   <PlainTextSelection guid="5E100000-0000-0000-0000-000000000003" startPosition="0"
    endPosition="5" name="Talks" creatingUser="A1B2C3D4-0000-0000-0000-000000000001">
    <Description>first word</Description>
    <Coding guid="C0D10000-0000-0000-0000-000000000003" creatingUser="A1B2C3D4-0000-0000-0000-000000000001"><CodeRef targetGUID="C0DE0000-0000-0000-0000-000000000002"/></Coding>
   </PlainTextSelection>
  </TextSource>
 </Sources>
</Project>"""


def test_atlasti26_shape_inner_file_named_after_the_project_and_a_video_reported(tmp_path):
    """ATLAS.ti 26 as a public conformance report describes its exports (Ornio-app/qdpx-toolkit,
    conformance/findings/ATLAS-ti-26-Conformance-Findings.md): the XML inside is named after the
    project (Trial.qde) whatever the archive is called, memos are <Description>s of selections,
    a video stays outside the archive and one selection has no length.  The text comes in with
    its memo; the video is reported by name with what stays behind with it."""
    path = tmp_path / "Project.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("Trial.qde", ATLAS26_QDE)
    xp = read_qdpx(path)
    assert [a.title for a in xp.articles] == ["notes.txt"]
    assert [(s.quote, s.code.rsplit("/", 1)[-1], s.coder, s.memo) for s in xp.spans] == [
        ("Talks", "test", "Researcher", "first word")]
    assert [c.name for c in xp.codes] == ["hello", "test"]
    assert xp.notes["import_warnings"] == [
        "VideoSource 'Christos vagias-2.MP4': only text sources are imported (not imported "
        "with it: 2 selections, 2 codings, 1 memo)"]
