"""Code frequencies for the codebook (store.codebooks.code_counts): segments and articles per
code, per coder scope, with article labels and the adjudicated copies handled as documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens import store
from framelens.store.codebooks import CodeCount, code_counts

ASSETS = Path(__file__).resolve().parents[1] / "assets"
TEXT_A = "Tariffs rose again. The ministers met in Tokyo. Prices fell."
TEXT_B = "Security talks resumed after a pause. Missile defense was discussed."


@pytest.fixture
def project(tmp_path):
    p = store.create_project(tmp_path / "counts.framelens")
    for name in ("policy_frames", "semeval2023_frames"):
        store.load_codebook(p, json.loads((ASSETS / "codebooks" / f"{name}.json").read_text("utf-8")))
    yield p
    p.close()


def _span(project, article_id, text, phrase, code_id, coder_id):
    start = text.index(phrase)
    return store.add_annotation(project, article_id=article_id, start=start,
                                end=start + len(phrase), code_id=code_id, coder_id=coder_id)[0]


def test_counts_by_coder_scope_labels_and_adjudication(project):
    ana = store.ensure_coder(project, "ana").id
    bo = store.ensure_coder(project, "bo").id
    a = store.add_article(project, text=TEXT_A, title="A").article_id
    b = store.add_article(project, text=TEXT_B, title="B").article_id
    frames = store.get_codebook(project, "policy_frames").id
    econ = store.find_code(project, "Economic", "policy_frames").id
    sec = store.find_code(project, "Security and defense", "policy_frames").id
    _span(project, a, TEXT_A, "Tariffs rose", econ, ana)
    _span(project, a, TEXT_A, "Prices fell", econ, ana)
    _span(project, b, TEXT_B, "Missile defense", sec, ana)
    bo_span = _span(project, a, TEXT_A, "Tariffs rose again", econ, bo)
    # an article-level mark (SemEval frame) and an unmarked one ("0" does not count)
    semeval = store.get_codebook(project, "semeval2023_frames")
    sem_code = store.list_codes(project, semeval.id)[0].id
    sem_other = store.list_codes(project, semeval.id)[1].id
    store.set_article_label(project, article_id=b, coder_id=ana, value="1", code_id=sem_code)
    store.set_article_label(project, article_id=a, coder_id=ana, value="0", code_id=sem_other)

    assert code_counts(project, coder_ids=[ana]) == {
        econ: CodeCount(2, 1), sec: CodeCount(1, 1), sem_code: CodeCount(0, 1)}
    assert code_counts(project, coder_ids=[bo]) == {econ: CodeCount(1, 1)}
    assert code_counts(project) == {
        econ: CodeCount(3, 1), sec: CodeCount(1, 1), sem_code: CodeCount(0, 1)}
    assert code_counts(project, codebook_id=frames) == {econ: CodeCount(3, 1), sec: CodeCount(1, 1)}
    assert code_counts(project, coder_ids=[]) == {}

    # a span code also used as an article mark: once per article, spans or mark
    store.set_article_label(project, article_id=a, coder_id=bo, value="1", code_id=econ)
    assert code_counts(project, coder_ids=[bo])[econ] == CodeCount(1, 1)
    assert code_counts(project, coder_ids=[ana, bo])[econ] == CodeCount(3, 1)
    store.set_article_label(project, article_id=b, coder_id=bo, value="1", code_id=econ)
    assert code_counts(project, coder_ids=[bo])[econ] == CodeCount(1, 2)
    assert code_counts(project, coder_ids=[ana])[econ] == CodeCount(2, 1)
    for article in (a, b):
        store.set_article_label(project, article_id=article, coder_id=bo, value=None, code_id=econ)

    # the adjudicated copy: its own scope, left out of "all coders" by exclude_coder_ids
    store.adjudicate_span(project, bo_span, by_coder_id=ana)
    adjudicated = store.find_coder(project, store.ADJUDICATED).id
    assert code_counts(project, coder_ids=[adjudicated]) == {econ: CodeCount(1, 1)}
    assert code_counts(project, exclude_coder_ids=[adjudicated])[econ] == CodeCount(3, 1)
    assert code_counts(project)[econ] == CodeCount(4, 1)

    # a merge moves the spans: the target counts them, the hidden source has none
    store.merge_codes(project, sec, econ, coder_id=ana)
    after = code_counts(project, coder_ids=[ana], codebook_id=frames)
    assert after == {econ: CodeCount(3, 2)}
