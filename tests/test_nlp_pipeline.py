"""Pipeline loading, the `suggest` entry point, blank pipelines for other languages, Span
extensions, lexicon editing and multiprocessing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from framelens.annotate.analysis.nlp import (CODEBOOKS, RULE_SUGGESTERS, Suggestion, add_suggesters, component_versions,
                          get_pipeline, load_pipeline, suggest)
from framelens.annotate.analysis.nlp.common import assets_dir
from framelens.annotate.analysis.nlp.pipeline import ENGLISH_MODELS

CORPUS = Path(__file__).resolve().parents[1] / "assets" / "demo" / "two-plus-two"   # = ../shared/corpus
needs_corpus = pytest.mark.skipif(not (CORPUS / "metadata.json").exists(), reason="seed corpus absent")

RUSSIAN = ("Министр иностранных дел Сергей Лавров заявил, что диалог продолжится. «Совместная "
           "хозяйственная деятельность на Южных Курилах должна вестись по российским законам», — "
           "сказал Лавров. Токио по-прежнему говорит о «Северных территориях».")
JAPANESE = "岸田外相はラブロフ外相と会談した。北方領土での共同経済活動について「大きな前進だ」と述べた。"
CHINESE = "普京表示，“俄日关系正在改善。”双方讨论了南千岛群岛问题和导弹防御。"


@pytest.fixture(scope="module")
def english():
    return get_pipeline("en")


def test_english_model_loads(english):
    assert english.is_trained and english.model_name in ENGLISH_MODELS
    assert {"parser", "ner"} <= set(english.nlp.pipe_names)
    assert [p for p in english.nlp.pipe_names if p.startswith("framelens_")] == \
        [f"framelens_{n}" for n in RULE_SUGGESTERS]
    assert english.model_name in english.status_message
    assert get_pipeline("en") is english  # cached per (language, names)


def test_blank_english_says_what_is_missing():
    lp = load_pipeline("en", prefer="blank")
    assert not lp.is_trained and lp.model_name == "blank:en"
    for word in ("NER", "parser", "actors", "voices"):
        assert word.lower() in lp.status_message.lower()
    assert set(lp.degraded) == {"actors", "voices"}
    add_suggesters(lp.nlp)
    assert lp.nlp.pipe_names[0] == "sentencizer"


@pytest.mark.parametrize("lang,model,trained", [("ru", "natasha", True), ("zh", "jieba", False),
                                                ("ja", "ja_ginza", True)])
def test_real_pipelines_for_other_languages(lang, model, trained):
    lp = get_pipeline(lang)
    assert lp.model_name == model and lp.is_trained is trained
    assert lp.info["language"] == lang and lp.info["limits"] and "Cannot:" in lp.status_message
    assert (lp.info["heuristic_ner"], set(lp.degraded)) == ((True, {"actors", "voices"}) if lang == "zh" else (False, set()))
    text = {"ru": RUSSIAN, "zh": CHINESE, "ja": JAPANESE}[lang]
    doc = lp.nlp(text)
    assert doc.text == text and len(list(doc.sents)) >= 2 and doc.ents


@pytest.mark.parametrize("lang", ["ru", "zh", "ja"])
def test_blank_pipelines_for_other_languages(lang):
    lp = load_pipeline(lang, prefer="blank")
    assert not lp.is_trained and lp.model_name.startswith("blank:")
    assert "rule-based" in lp.status_message
    if lp.model_name == "blank:xx+chars":
        assert "character tokenizer" in lp.status_message
    doc = lp.nlp.make_doc({"ru": RUSSIAN, "zh": CHINESE, "ja": JAPANESE}[lang])
    assert doc.text == {"ru": RUSSIAN, "zh": CHINESE, "ja": JAPANESE}[lang]


def test_suggest_on_other_languages_runs_rule_suggesters():
    items = [(1, RUSSIAN, "ru"), (2, JAPANESE, "ja"), (3, CHINESE, "zh-CN"), (4, "", "ru"), (5, "   ", "ja")]
    calls = []
    out = dict(suggest(items, progress=lambda done, total: calls.append((done, total))))
    assert set(out) == {1, 2, 3, 4, 5} and out[4] == [] and out[5] == []
    assert calls[-1] == (5, 5) and len(calls) == 5
    texts = {i: t for i, t, _ in items}
    for aid, found in out.items():
        for s in found:
            assert s.suggester in RULE_SUGGESTERS and 0 <= s.start < s.end <= len(texts[aid])
    labels = {(aid, s.suggester, s.label) for aid, found in out.items() for s in found}
    assert (1, "actors", "Sergei Lavrov") in labels and (1, "contested", "Russian") in labels
    assert (1, "contested", "Japanese") in labels and (1, "voices", "Sergei Lavrov") in labels
    assert (2, "contested", "Japanese") in labels and (2, "actors", "Fumio Kishida") in labels
    assert (3, "contested", "Russian") in labels and (3, "voices", "Vladimir Putin") in labels


@needs_corpus
def test_suggest_on_the_seeds(english):
    meta = json.loads((CORPUS / "metadata.json").read_text("utf-8"))
    items = [(10 + i, (CORPUS / a["file"]).read_text("utf-8"), a["language"]) for i, a in enumerate(meta["articles"])]
    texts = {aid: t for aid, t, _ in items}
    out = list(suggest(items, batch_size=2))
    assert [aid for aid, _ in out] == [aid for aid, _, _ in items]
    versions = component_versions("en")
    seen = set()
    for aid, found in out:
        for s in found:
            assert isinstance(s, Suggestion)
            assert 0 <= s.start < s.end <= len(texts[aid]) and texts[aid][s.start:s.end].strip()
            assert s.codebook == CODEBOOKS[s.suggester] and s.version == versions[s.suggester]
            assert 0.0 < s.score <= 1.0 and s.rationale and isinstance(s.data, dict)
            seen.add(s.suggester)
    assert seen == set(RULE_SUGGESTERS)
    only = dict(suggest(items[:1], suggesters=["contested"]))
    assert {s.suggester for s in only[10]} == {"contested"}


def test_span_extensions_carry_score_rationale_and_data(english):
    doc = english.nlp("Sergei Shoigu met Tomomi Inada to discuss the Southern Kurils and missile defense.")
    shoigu = doc.spans["fl_actors"][0]
    assert shoigu.label_ == "Sergei Shoigu" and shoigu._.fl_data["country"] == "RU"
    assert shoigu._.fl_score > 0.5 and "Shoigu" in shoigu._.fl_rationale
    kurils = doc.spans["fl_contested"][0]
    assert kurils.label_ == "Russian" and kurils._.fl_data["term"] == "Southern Kurils"
    assert doc.spans["fl_cues"][0]._.fl_score is not None


def test_edited_lexicon_changes_matches_and_version(tmp_path):
    lex = json.loads((assets_dir() / "lexicons/contested_names.json").read_text("utf-8"))
    lex["sets"].append({"id": "gulf", "name": "Peter the Great Gulf", "terms": [
        {"term": "Peter the Great Gulf", "side": "Russian", "variants": ["Peter the Great Bay"]}]})
    path = tmp_path / "contested.json"
    path.write_text(json.dumps(lex, ensure_ascii=False), "utf-8")
    nlp = spacy.blank("en")
    add_suggesters(nlp, ["contested"], config={"contested": {"lexicon": str(path)}})
    doc = nlp("Warships entered Peter the Great Bay.")
    assert [(s.text, s.label_) for s in doc.spans["fl_contested"]] == [("Peter the Great Bay", "Russian")]
    assert nlp.get_pipe("framelens_contested").version != component_versions("en")["contested"]
    with pytest.raises(ValueError):
        add_suggesters(spacy.blank("en"), ["no_such_suggester"])


@needs_corpus
def test_multiprocessing_gives_the_same_suggestions(english):
    meta = json.loads((CORPUS / "metadata.json").read_text("utf-8"))
    items = [(i, (CORPUS / a["file"]).read_text("utf-8"), "en") for i, a in enumerate(meta["articles"][:2])]
    one = dict(suggest(items, n_process=1))
    two = dict(suggest(items, n_process=2, batch_size=1))
    assert one == two
