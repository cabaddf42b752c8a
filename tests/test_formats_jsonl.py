"""Prodigy-shaped JSONL: tokens and token indices, stable hashes, streaming, reading back."""

import io
import json

import pytest
import spacy

from hypothesis import given, settings, strategies as st

from framelens.annotate.analysis.formats.jsonl import (
    _token_span, input_hash, iter_jsonl_tasks, read_jsonl, task_hash, write_jsonl,
)
from framelens.annotate.analysis.formats.model import FormatError, XArticle, XCode, XLabel, XProject, XSpan


BLANK_EN = spacy.blank("en")


@pytest.fixture(scope="module")
def nlp():
    return BLANK_EN


TEXT = "Tokyo 🇯🇵 says prices rose.  Moscow disagrees."


def project(coders=("anna", "boris")) -> XProject:
    a = XArticle("a1", TEXT, title="T", outlet="NHK", country="JP", published="2024-01-02",
                 meta={"section": "world"})
    b = XArticle("a2", "Second article here.")
    codes = [XCode("pf/Economic", "pf", "Economic"), XCode("gen/Conflict", "gen", "Conflict")]
    spans = [XSpan("a1", TEXT.index("prices"), TEXT.index("rose") + 4, "pf/Economic", coders[0],
                   memo="why"),
             XSpan("a1", TEXT.index("Moscow") - 1, len(TEXT), "gen/Conflict", coders[-1]),
             XSpan("a1", 2, 4, "gen/Conflict", coders[-1])]  # inside the token "Tokyo"
    labels = [XLabel("a1", coders[0], "gen/Conflict", None, "1"),
              XLabel("a2", coders[-1], None, "primary frame", "Economic")]
    return XProject("p", [a, b], codes, spans, labels, list(dict.fromkeys(coders)))


def test_task_shape_tokens_and_token_indices(nlp):
    buf = io.StringIO()
    assert write_jsonl(project(), buf, nlp_tokenizer=nlp) == 2
    tasks = [json.loads(line) for line in buf.getvalue().splitlines()]
    t = tasks[0]
    assert t["text"] == TEXT and t["answer"] == "accept" and "_annotator_id" not in t
    assert t["meta"] == {"section": "world", "article": "a1", "title": "T", "outlet": "NHK",
                         "country": "JP", "published": "2024-01-02"}
    toks = t["tokens"]
    assert [tok["id"] for tok in toks] == list(range(len(toks)))
    for tok in toks:
        assert TEXT[tok["start"]:tok["end"]] == tok["text"]
    by_label = {(s["label"], s["start"]): s for s in t["spans"]}
    eco = by_label[("Economic", TEXT.index("prices"))]
    assert [toks[i]["text"] for i in range(eco["token_start"], eco["token_end"] + 1)] == \
        ["prices", "rose"]
    assert eco["code"] == "pf/Economic" and eco["coder"] == "anna" and eco["memo"] == "why"
    lead = by_label[("Conflict", TEXT.index("Moscow") - 1)]  # starts in the double space
    assert toks[lead["token_start"]]["text"] in (" ", "Moscow")
    assert toks[lead["token_end"]]["text"] == "."
    inner = by_label[("Conflict", 2)]
    assert inner["token_start"] == inner["token_end"] == 0
    assert t["article_labels"] == [{"code": "gen/Conflict", "value": "1", "coder": "anna"}]
    assert tasks[1]["article_labels"] == [{"question": "primary frame", "value": "Economic",
                                           "coder": "boris"}]


def test_hashes_are_stable_and_depend_on_annotations(nlp):
    assert input_hash("abc") == input_hash("abc") != input_hash("abd")
    assert -2**31 <= input_hash("abc") < 2**31
    h = input_hash(TEXT)
    s1 = [{"start": 0, "end": 5, "code": "x", "coder": "a"}]
    assert task_hash(h, s1) == task_hash(h, list(s1)) != task_hash(h, [])
    assert task_hash(h, s1) != task_hash(h, [{"start": 0, "end": 6, "code": "x", "coder": "a"}])
    one, two = io.StringIO(), io.StringIO()
    write_jsonl(project(), one, nlp_tokenizer=nlp)
    write_jsonl(project(), two, nlp_tokenizer=nlp.tokenizer)
    assert one.getvalue() == two.getvalue()
    first = json.loads(one.getvalue().splitlines()[0])
    assert first["_input_hash"] == input_hash(TEXT)


def test_single_coder_and_split_by_coder(nlp, tmp_path):
    path = tmp_path / "one.jsonl"
    write_jsonl(project(coders=("solo",)), path, nlp_tokenizer=nlp)
    tasks = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert {t["_annotator_id"] for t in tasks} == {"solo"}
    buf = io.StringIO()
    write_jsonl(project(), buf, nlp_tokenizer=nlp, coder="boris")
    tasks = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert {t["_annotator_id"] for t in tasks} == {"boris"}
    assert all(s["coder"] == "boris" for t in tasks for s in t["spans"])
    buf = io.StringIO()
    assert write_jsonl(project(), buf, nlp_tokenizer=nlp, split_coders=True) == 3
    ids = [(json.loads(x)["meta"]["article"], json.loads(x)["_annotator_id"])
           for x in buf.getvalue().splitlines()]
    assert ids == [("a1", "anna"), ("a1", "boris"), ("a2", "boris")]


def test_iter_tasks_streams_lazily(nlp):
    pulled = []

    def source():
        for i in range(10_000):
            pulled.append(i)
            yield XArticle(f"k{i}", f"text {i}"), [], []

    tasks = iter_jsonl_tasks(source(), tokenizer=nlp, batch_size=50)
    first = next(tasks)
    assert first["meta"]["article"] == "k0" and len(pulled) == 50


def test_round_trip(nlp, tmp_path):
    p = project()
    write_jsonl(p, tmp_path / "x.jsonl", nlp_tokenizer=nlp)
    q = read_jsonl(tmp_path / "x.jsonl")
    assert [(a.key, a.text, a.title, a.outlet, a.meta) for a in q.articles] == \
        [(a.key, a.text, a.title, a.outlet, a.meta) for a in p.articles]
    assert sorted((c.key, c.codebook, c.name) for c in q.codes) == \
        sorted((c.key, c.codebook, c.name) for c in p.codes)
    key = lambda s: (s.article, s.start, s.end, s.code, s.coder, s.memo)  # noqa: E731
    assert sorted(map(key, q.spans)) == sorted(map(key, p.spans))
    assert sorted((x.article, x.coder, x.code, x.question, x.value) for x in q.labels) == \
        sorted((x.article, x.coder, x.code, x.question, x.value) for x in p.labels)
    assert sorted(q.coders) == ["anna", "boris"]


def test_reads_plain_prodigy_output(tmp_path):
    lines = [
        {"text": "Hello Tokyo", "spans": [{"start": 6, "end": 11, "label": "GPE"}],
         "_annotator_id": "news-ann", "answer": "accept", "_input_hash": 12},
        {"text": "Hello Tokyo", "spans": [{"start": 0, "end": 5, "label": "GREETING",
                                            "token_start": 0, "token_end": 0}],
         "_session_id": "news-bob", "answer": "accept", "_input_hash": 12},
        {"text": "Hello Tokyo", "spans": [{"start": 0, "end": 5, "label": "X"}],
         "answer": "reject", "_input_hash": 12},
        {"text": "Rates up", "label": "Economic", "answer": "reject"},
        {"text": "War again", "options": [{"id": 1, "text": "Security"}, {"id": 2, "text": "Moral"}],
         "accept": [1], "answer": "accept", "meta": {"outlet": "BBC"}},
        {"text": "Skipped", "spans": [{"start": 0, "end": 99, "label": "X"}], "answer": "ignore"},
    ]
    path = tmp_path / "prodigy.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    q = read_jsonl(path, default_codebook="ner")
    assert [a.key for a in q.articles] == ["12", str(input_hash("Rates up")),
                                           str(input_hash("War again")), str(input_hash("Skipped"))]
    assert [(s.start, s.end, s.code, s.coder) for s in q.spans] == \
        [(6, 11, "ner/GPE", "news-ann"), (0, 5, "ner/GREETING", "news-bob")]
    assert [(x.code, x.value, x.coder) for x in q.labels] == \
        [("ner/Economic", "0", "imported"), ("ner/Security", "1", "imported")]
    assert q.articles[2].outlet == "BBC"


@pytest.mark.parametrize("line,msg", [
    ('{"text": "abc", "spans": [{"start": 1, "end": 9, "label": "X"}]}', "outside the text"),
    ('{"text": "abc", "spans": [{"start": 2, "end": 1, "label": "X"}]}', "outside the text"),
    ('{"text": "abc", "spans": [{"start": "1", "end": 2, "label": "X"}]}', "not an integer"),
    ('{"text": "abc", "spans": [{"start": 0, "end": 2}]}', "neither a string label"),
    ('{"spans": []}', "string 'text'"),
    ('{"text": "abc"', "invalid JSON"),
    ('{"text": "abd", "meta": {"article": "k"}}', "different text"),
])
def test_bad_lines_are_refused_with_file_and_line(tmp_path, line, msg):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "abc", "meta": {"article": "k"}}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match=msg) as err:
        read_jsonl(path)
    assert f"{path}:2" in str(err.value)


def test_export_of_many_tasks_streams_every_article(nlp):
    """50,000 spans in 5,000 tasks stream through one by one (the speed is measured beside the
    stdlib writer in bench/bench_export.py, not here)."""
    n_articles, per = 5000, 10
    body = "The minister said the economy was weak and security was at risk. " * 4
    arts = [XArticle(f"a{i}", f"{i} {body}") for i in range(n_articles)]
    items = ((a, [XSpan(a.key, 2 + j * 20, 12 + j * 20, "c", "x") for j in range(per)], [])
             for a in arts)
    n = spans = 0
    for task in iter_jsonl_tasks(items, tokenizer=nlp):
        json.dumps(task, ensure_ascii=False)
        n += 1
        spans += len(task["spans"])
    assert (n, spans) == (n_articles, n_articles * per)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .,\n🇯🇵-", max_size=30), st.data())
def test_token_indices_cover_every_non_space_character(text, data):
    doc = BLANK_EN.make_doc(text)
    starts = [t.idx for t in doc]
    ends = [t.idx + len(t.text) for t in doc]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    ts, te = _token_span(starts, ends, start, end)
    if not len(doc):
        assert (ts, te) == (0, 0)
        return
    assert 0 <= ts <= te < len(doc)
    for i in range(start, end):
        if not text[i].isspace():
            assert starts[ts] <= i < ends[te]
