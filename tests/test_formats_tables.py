"""Long and wide CSV, SemEval-2023 subtask 2 layout."""

import csv
import io

from framelens.annotate.analysis.formats.model import XArticle, XCode, XLabel, XProject, XSpan
from framelens.annotate.analysis.formats.tables import (
    LONG_COLUMNS, SEMEVAL_FRAMES, semeval_label, write_long_csv, write_semeval, write_wide_csv,
)

T1 = "Цены выросли, 🇯🇵 said \"=SUM(A1)\", and more,\nnew line."


def project() -> XProject:
    arts = [XArticle("ru/1", T1, title="Заголовок, с запятой", outlet="TASS", country="RU",
                     published="2024-01-01"),
            XArticle("jp-2", "Short one.", title="Short", outlet="NHK", country="JP"),
            XArticle("cn-3", "Nobody coded this.")]
    codes = [XCode("pf/Economic", "pf", "Economic"),
             XCode("pf/Legality", "pf", "Legality, constitutionality and jurisprudence"),
             XCode("pf/Other", "pf", "Other"),
             XCode("gen/Conflict", "gen", "Conflict")]
    spans = [XSpan("ru/1", 0, 12, "pf/Economic", "anna", memo="prices, \"quoted\""),
             XSpan("ru/1", 14, 18, "pf/Economic", "anna"),
             XSpan("ru/1", 24, 34, "pf/Legality", "boris"),
             XSpan("ru/1", 0, 4, "pf/Other", "boris"),
             XSpan("jp-2", 0, 5, "gen/Conflict", "anna")]
    labels = [XLabel("jp-2", "anna", "pf/Economic", None, "1"),
              XLabel("ru/1", "anna", None, "primary frame", "Economic"),
              XLabel("ru/1", "boris", None, "primary frame", "Legality"),
              XLabel("ru/1", "boris", None, "primary frame", "Political")]
    return XProject("p", arts, codes, spans, labels, ["anna", "boris"])


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_long_csv(tmp_path):
    path = tmp_path / "long.csv"
    assert write_long_csv(project(), path) == 9
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(raw.decode("utf-8"))
    assert rows[0] == LONG_COLUMNS
    first = dict(zip(LONG_COLUMNS, rows[1]))
    assert first == {"article_id": "ru/1", "outlet": "TASS", "country": "RU",
                     "published": "2024-01-01", "title": "Заголовок, с запятой",
                     "codebook": "pf", "code": "Economic", "coder": "anna", "start": "0",
                     "end": "12", "quote": T1[0:12], "memo": "prices, \"quoted\"",
                     "question": "", "value": "", "code_key": "pf/Economic"}
    legal = dict(zip(LONG_COLUMNS, rows[3]))
    assert legal["quote"] == T1[24:34] and legal["code"].startswith("Legality,")
    label_rows = [dict(zip(LONG_COLUMNS, r)) for r in rows[1:] if r[8] == ""]
    assert [(r["article_id"], r["code"], r["question"], r["value"]) for r in label_rows] == [
        ("ru/1", "", "primary frame", "Economic"), ("ru/1", "", "primary frame", "Legality"),
        ("ru/1", "", "primary frame", "Political"), ("jp-2", "Economic", "", "1")]


def test_bom_and_excel_safe(tmp_path):
    path = tmp_path / "bom.csv"
    write_long_csv(project(), path, bom=True, excel_safe=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = read_csv(text)
    assert rows[0][0] == "article_id"
    buf = io.StringIO()
    p = project()
    p.spans[0].memo = "=HYPERLINK(\"http://x\")"
    write_long_csv(p, buf, bom=True, excel_safe=True)
    assert buf.getvalue().startswith("\ufeff")
    assert read_csv(buf.getvalue()[1:])[1][11] == "'=HYPERLINK(\"http://x\")"


def test_wide_csv(tmp_path):
    buf = io.StringIO()
    n = write_wide_csv(project(), buf, coded_by={"cn-3": {"anna"}})
    rows = read_csv(buf.getvalue())
    header = rows[0]
    assert header == ["article_id", "outlet", "country", "published", "title", "coder",
                      "pf/Economic", "pf/Legality", "pf/Other", "gen/Conflict", "primary frame"]
    body = {(r[0], r[5]): dict(zip(header, r)) for r in rows[1:]}
    assert n == 4 == len(body)
    assert body[("ru/1", "anna")]["pf/Economic"] == "2"
    assert body[("ru/1", "anna")]["primary frame"] == "Economic"
    assert body[("ru/1", "boris")]["pf/Legality"] == "1"
    assert body[("ru/1", "boris")]["primary frame"] == "Legality | Political"
    assert body[("jp-2", "anna")]["pf/Economic"] == "1"          # article label: presence
    assert body[("jp-2", "anna")]["gen/Conflict"] == "1"
    assert body[("cn-3", "anna")]["pf/Economic"] == "0"          # coded, nothing found


def test_semeval_labels(tmp_path):
    assert semeval_label("Legality, constitutionality and jurisprudence") == \
        "Legality_Constitutionality_and_jurisprudence"
    assert semeval_label("capacity and resources") == "Capacity_and_resources"
    assert semeval_label("Other") is None
    assert semeval_label("My own frame") == "My_own_frame"
    assert len(SEMEVAL_FRAMES) == 14
    rep = write_semeval(project(), tmp_path / "se", codebook="pf")
    lines = (tmp_path / "se" / "labels.txt").read_text(encoding="utf-8").splitlines()
    ids = rep.article_ids
    assert ids == {"ru/1": "000001", "jp-2": "jp-2", "cn-3": "cn-3"}
    assert lines == ["000001\tEconomic,Legality_Constitutionality_and_jurisprudence",
                     "jp-2\tEconomic", "cn-3\t"]
    assert rep.left_out == {"Other": 1}
    body = (tmp_path / "se" / "articles" / "article000001.txt").read_text(encoding="utf-8")
    assert body == "Заголовок, с запятой\n\n" + T1
    assert (tmp_path / "se" / "articles" / "articlecn-3.txt").read_text() == "Nobody coded this."
    only_boris = write_semeval(project(), tmp_path / "b", codebook="pf", coder="boris",
                               title_line=False)
    lines = only_boris.labels_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "000001\tLegality_Constitutionality_and_jurisprudence"
