"""Russian, Japanese and Chinese pipelines and suggesters on real news text.

The passages are WMT22 news source text (tests/data/nlp/README.md says where from and under
what terms); the quotations and entities in tests/data/nlp/*_gold.json were labelled by hand.
Each pipeline loads once per session.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.nlp import get_pipeline, suggest
from framelens.annotate.analysis.nlp.languages import pipeline_info, zh_sentence_starts

DATA = Path(__file__).parent / "data/nlp"
PASSAGES = {p["id"]: p for p in json.loads((DATA / "wmt22_passages.json").read_text("utf-8"))["passages"]}
VOICES = json.loads((DATA / "voices_gold.json").read_text("utf-8"))["quotes"]
NER = json.loads((DATA / "ner_gold.json").read_text("utf-8"))["entities"]
LANGS = ("ru", "ja", "zh")


@pytest.fixture(scope="session")
def pipelines():
    return {lang: get_pipeline(lang) for lang in LANGS}


@pytest.fixture(scope="session")
def voices_found(pipelines):
    items = [(i, p["text"], p["language"]) for i, p in enumerate(PASSAGES.values())]
    ids = list(PASSAGES)
    return {ids[aid]: found for aid, found in suggest(items, suggesters=["voices"])}


# -- which pipeline runs, and what it cannot do -------------------------------------------------------
@pytest.mark.parametrize("lang,needle", [("ru", "natasha"), ("ja", "ja_ginza"), ("zh", "jieba")])
def test_pipeline_info_names_the_pipeline_and_its_limits(lang, needle):
    info = pipeline_info(lang)
    assert needle in info["name"] and info["language"] == lang
    assert all(v != "not installed" for v in info["versions"].values()), info["versions"]
    assert info["limits"] and info["capabilities"] and info["licence"]
    assert info["heuristic_ner"] is (lang == "zh")
    assert pipeline_info("ja-JP")["name"] == pipeline_info("ja")["name"]
    assert "CC BY-NC-SA" in pipeline_info("ja")["licence"]


def test_pipelines_load_lazily_per_language(pipelines):
    names = {lang: lp.nlp.pipe_names for lang, lp in pipelines.items()}
    assert "framelens_natasha" in names["ru"] and "framelens_ene_labels" in names["ja"]
    assert names["zh"][:2] == ["framelens_zh_sentences", "framelens_zh_entities"]
    for lang, lp in pipelines.items():
        assert {e.label_ for e in lp.nlp(PASSAGES[f"{lang}1"]["text"]).ents} <= {"PER", "ORG", "LOC"}


def test_chinese_sentences_end_after_the_closing_quote():
    text = "钟南山说：“疫情好转。还要努力。”据新华社报道，会谈结束。\n他说：“好。”"
    starts = zh_sentence_starts(text)
    assert [text[s:s + 3] for s in starts] == ["钟南山", "据新华", "他说："]


# -- voices: ≥ 80% of direct quotations with the right speaker, per language --------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_voices_find_the_speaker_of_real_quotations(voices_found, lang):
    gold = [g for g in VOICES if PASSAGES[g["passage"]]["language"] == lang]
    right = []
    for g in gold:
        text = PASSAGES[g["passage"]]["text"]
        at = text.index(g["snippet"])
        hits = [s for s in voices_found[g["passage"]] if s.start <= at + 2 and s.end > at]
        ok = any(s.label in g["speakers"] for s in hits)
        if ok and "country" in g:
            ok = any(s.data["country"] == g["country"] for s in hits if s.label in g["speakers"])
        right.append(ok)
    # figures measured 2026-12-06, after the issue-14 voices fixes (d3e48cd): ru 7/7, ja 11/11,
    # zh 10/10 (a development set: held-out figures in docs/languages.md)
    assert sum(right) / len(right) >= 0.8, (lang, right)
    assert (sum(right), len(right)) == {"ru": (7, 7), "ja": (11, 11), "zh": (10, 10)}[lang]


def test_voice_kinds_and_countries():
    text = ("«Мы готовы к диалогу», — заявил пресс-секретарь президента Дмитрий Песков. "
            "Японский министр Есимаса Хаяси отметил: «Позиция Токио не изменилась».")
    ja = "共同通信によると、ロシア外務省のザハロワ報道官は「日本側の主張は受け入れられない」と語った。"
    zh = "据新华社报道，中国外交部发言人华春莹表示，日方应当反省。“这是一个重要的信号，”俄罗斯专家伊万诺夫说。"
    out = dict(suggest([(1, text, "ru"), (2, ja, "ja"), (3, zh, "zh")], suggesters=["voices"]))
    got = {(aid, s.label, s.data["country"], s.data["kind"]) for aid, found in out.items() for s in found}
    assert (1, "Dmitry Peskov", "RU", "direct") in got and (1, "Yoshimasa Hayashi", "JP", "direct") in got
    assert (2, "Maria Zakharova", "RU", "direct") in got
    assert (3, "Hua Chunying", "CN", "reported") in got and (3, "伊万诺夫", "RU", "direct") in got


# -- NER precision and recall on the hand-labelled sample ----------------------------------------------
def _gold_spans(pid: str) -> set[tuple[int, int, str]]:
    text = PASSAGES[pid]["text"]
    rows = sorted((r for r in NER if r[0] == pid), key=lambda r: -len(r[1]))
    taken = bytearray(len(text))
    out = set()
    for _, surface, label in rows:
        i = text.find(surface)
        while i >= 0:
            if not any(taken[i:i + len(surface)]):
                taken[i:i + len(surface)] = b"\x01" * len(surface)
                out.add((i, i + len(surface), label))
            i = text.find(surface, i + 1)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_ner_precision_and_recall(pipelines, lang):
    tp = fp = fn = 0
    for pid in sorted({r[0] for r in NER if PASSAGES[r[0]]["language"] == lang}):
        doc = pipelines[lang].nlp(PASSAGES[pid]["text"])
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        gold = _gold_spans(pid)
        tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
    # measured 2026-12-06, reported in docs/languages.md (exact-span, exact-label matches)
    assert (tp, fp, fn) == {"ru": (13, 3, 0), "ja": (12, 7, 8), "zh": (26, 11, 11)}[lang]


# -- actors across scripts and inflections ------------------------------------------------------------
def test_one_actor_across_scripts_and_russian_cases():
    items = [(1, "Лавров прибыл в Токио. Встреча с Лавровым и о Лаврове. Переговоры Лаврова.", "ru"),
             (2, "ロシアのラブロフ外相は東京で会談した。", "ja"),
             (3, "俄罗斯外长拉夫罗夫在东京会谈。", "zh"),
             (4, "Russian Foreign Minister Sergei Lavrov arrived in Tokyo.", "en")]
    out = dict(suggest(items, suggesters=["actors"]))
    texts = {i: t for i, t, _ in items}
    lavrov = {aid: [texts[aid][s.start:s.end] for s in found if s.label == "Sergei Lavrov"]
              for aid, found in out.items()}
    assert lavrov == {1: ["Лавров", "Лавровым", "Лаврове", "Лаврова"], 2: ["ラブロフ"], 3: ["拉夫罗夫"],
                      4: ["Sergei Lavrov"]}
    country = {s.label: s.data["country"] for s in out[1]}
    assert country["Sergei Lavrov"] == "RU"


# -- contested names and frame cues in each language ---------------------------------------------------
def test_contested_names_with_their_side_in_each_language():
    items = [(1, "Переговоры о Южных Курилах и Северных территориях. Присоединение Крыма.", "ru"),
             (2, "北方領土と南クリル諸島、尖閣諸島について。", "ja"),
             (3, "双方讨论了南千岛群岛和北方四岛问题，以及钓鱼岛。", "zh")]
    out = dict(suggest(items, suggesters=["contested"]))
    texts = {i: t for i, t, _ in items}
    got = {aid: [(texts[aid][s.start:s.end], s.label) for s in found] for aid, found in out.items()}
    assert got == {1: [("Южных Курилах", "Russian"), ("Северных территориях", "Japanese"),
                       ("Присоединение Крыма", "Russian")],
                   2: [("北方領土", "Japanese"), ("南クリル諸島", "Russian"), ("尖閣諸島", "Japanese")],
                   3: [("南千岛群岛", "Russian"), ("北方四岛", "Japanese"), ("钓鱼岛", "Chinese")]}


def test_frame_cues_in_each_language():
    items = [(1, "Министр обороны обсудил ракеты и угрозы безопасности.", "ru"),
             (2, "防衛相はミサイル防衛と軍事演習について協議した。", "ja"),
             (3, "双方讨论了导弹防御和军事演习。", "zh"),
             (4, "Ревакцинация поможет защититься от штамма коронавируса.", "ru")]
    out = dict(suggest(items, suggesters=["cues"]))
    labels = {aid: {s.label for s in found} for aid, found in out.items()}
    assert "Security and defense" in labels[1] & labels[2] & labels[3]
    assert "Health and safety" in labels[4]


# -- the command line says which pipeline ran -----------------------------------------------------------
def test_cli_suggest_prints_each_language_pipeline(tmp_path, capsys):
    from framelens import store
    from framelens.annotate.cli import main as cli_main

    path = tmp_path / "langs.framelens"
    project = store.create_project(path)
    try:
        for lang in LANGS:
            store.add_article(project, text=PASSAGES[f"{lang}1"]["text"], outlet="X", country="",
                              language=lang)
    finally:
        project.close()
    assert cli_main(["suggest", str(path), "--suggesters", "voices"]) == 0
    out = capsys.readouterr()
    for needle in ("pipeline ru: spaCy blank('ru') + natasha", "pipeline ja: ja_ginza",
                   "pipeline zh: spaCy blank('zh') with jieba", "cannot:"):
        assert needle in out.err
    assert "heuristic" in out.out and "ja_ginza" in out.out
