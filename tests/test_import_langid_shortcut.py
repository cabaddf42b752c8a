"""Language identification's shortcuts (issue 14's import speed) keep every answer: a text the
alphabet settles as Russian (``scripts.plainly_russian``) skips py3langid, and the answer is
the one the identifier gave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framelens.annotate.analysis.ingest import Document, iter_file, list_files
from framelens.annotate.analysis.ingest import scripts

DATA = Path(__file__).parent / "data"
REAL = DATA / "ingest" / "real" / "wmt22_news.jsonl"


def _texts() -> list[str]:
    """WMT22 documents (3,000 and 400 characters, each paragraph, each paragraph's first 60
    characters) and every article the test data's files give (text and raw capture)."""
    texts = []
    for line in REAL.read_text("utf-8").splitlines():
        paragraphs = json.loads(line)["paragraphs"]
        whole = "\n".join(paragraphs)
        texts += [whole[:3000], whole[:400], *paragraphs, *(p[:60] for p in paragraphs)]
    for path in list_files([DATA]):
        if isinstance(path, Path):
            for item in iter_file(path):
                if isinstance(item, Document):
                    texts += [item.text, item.raw_text]
    return texts


def test_the_russian_shortcut_gives_the_identifiers_answers(monkeypatch):
    texts = _texts()
    with_shortcut = [scripts.guess_language(t) for t in texts]
    fired = sum(scripts.plainly_russian(t) for t, lang in zip(texts, with_shortcut)
                if lang == "ru")
    monkeypatch.setattr(scripts, "plainly_russian", lambda text: False)
    without = [scripts.guess_language(t) for t in texts]
    assert [(t[:60], a, b) for t, a, b in zip(texts, with_shortcut, without) if a != b] == []
    russian = [t for t, lang in zip(texts, without) if lang == "ru"]
    assert (len(russian), fired) == (51, 34)


def test_the_russian_shortcut_fires_on_whole_russian_documents_only():
    docs = [json.loads(line) for line in REAL.read_text("utf-8").splitlines()]
    fired = {doc["language"]: 0 for doc in docs}
    for doc in docs:
        fired[doc["language"]] += scripts.plainly_russian("\n".join(doc["paragraphs"]))
    assert fired == {"en": 0, "de": 0, "fr": 0, "ru": 10, "ja": 0, "zh": 0}


@pytest.mark.parametrize("text, expected", [
    ("Министры иностранных дел России и Японии встретились в Москве. Переговоры длились "
     "два часа, и стороны обсудили вопросы безопасности.", True),
    # a Ukrainian name in a Russian text: a letter outside the Russian alphabet -> identifier
    ("Министры встретились в Москве, и стороны обсудили вопросы безопасности, "
     "сказал Дмитро Кулеба; это было на встрече в Київі.", False),
    # Bulgarian writes no ы
    ("Министрите на външните работи на България и Япония се срещнаха в София и обсъдиха "
     "въпросите на сигурността.", False),
    # Ukrainian
    ("Міністри закордонних справ України та Японії зустрілися в Києві. Їхні переговори "
     "тривали дві години, і сторони обговорили безпеку та енергетику.", False),
    # Russian letters and ы, but no Russian prose: a list of names
    ("Кыргызстан Тыва Бурятия Сыктывкар Кызыл Мыс Добрый Надежды", False),
])
def test_plainly_russian(text, expected):
    assert scripts.plainly_russian(text) is expected


def test_the_russian_shortcut_never_fires_on_other_cyrillic_languages():
    """Every 400-character window of the names (countries, languages, scripts, currencies)
    that Babel's locale data writes in 16 other Cyrillic languages: Kyrgyz and Mongolian
    spell many with the Russian alphabet and ``ы`` alone."""
    babel = pytest.importorskip("babel")
    fired, windows = {}, 0
    for code in ("uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg", "uz_Cyrl", "tt", "ba",
                 "cv", "sah", "os", "ce"):
        locale = babel.Locale.parse(code)
        names = [name for table in (locale.territories, locale.languages, locale.scripts,
                                    locale.currencies) for name in table.values()
                 if any("\u0400" <= ch <= "\u052f" for ch in name)]
        text = " ".join(names)
        for start in range(0, max(1, len(text) - 400), 50):
            windows += 1
            if scripts.plainly_russian(text[start:start + 400]):
                fired[code] = fired.get(code, 0) + 1
    assert windows > 3000
    assert fired == {}
