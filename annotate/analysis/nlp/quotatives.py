"""Where a quotation's speaker stands when no reporting verb points at it (Russian, Japanese
and Chinese voices, used by ``voices_ml.MultilingualVoices``).  Pure text rules, no spaCy.

* **Japanese quotative と.** ``「…」と`` followed by any predicate (と話した, と笑顔を見せた,
  とあいさつ, と太鼓判を押した …) reports speech: the particle is the cue, whatever the verb.
  Not when と starts a name or a comitative (``「…」という``, ``との``, ``として``, ``とともに``)
  or the quotation is a short term (under ``MIN_JA_QUOTE`` characters without a sentence
  end: ``「ぐるなび」と提携``).  Quotations listed before it in the same sentence and joined
  by a comma (``Aは「…」、Bは「…」と語った``) or by ``として`` (``Xは「…」として「…」と話した``)
  are reported by the same predicate.
  ``「…」として、`` reports speech too when the quotation is a clause ending in a predicate
  (its last character hiragana: ``「鉄骨渡りが日本で体験できる」として、``), not a noun
  (``「観光大使」として``).
* **Japanese bare topic.** ``参加者は ... 「…」。`` — a quotation ending its sentence, with only
  spaces, dots or a colon between it and a topic/subject ``Xは`` / ``Xが`` before it: the
  predicate is left out (broadcast transcripts, captions), the topic is the speaker.
* **Japanese subject.** The speaker of such a quotation is the person or organisation marked as
  the topic or subject (``Xは`` / ``Xが``, after titles, ``さん``, ``ら``, an age in brackets
  or ``＝place＝``) between the previous quotation of the sentence (or the sentence start) and
  the opening mark; else, when no name is marked so, an unnamed topic phrase
  (``会社員男性（５８）＝岡山市中区＝は`` → 会社員男性, ``３年生の生徒は`` → ３年生の生徒);
  else the nearest name; else, the subject being left out, the person named in the two
  sentences before.
* **Chinese stand-alone quotation.** A paragraph holding only a quotation takes the speaker
  who opens the next paragraph with a reporting verb (``“…”\\n傅昆宝说，…``), else the last
  speaker attributed in the paragraph before (``丁明介绍，…\\n“…”``).
* **Chinese speech noun.** ``放出“…”的狠话``, ``说出“…”的话``: a quotation followed by 的 and a
  noun of speech (``speech_nouns`` in ``speech_verbs.json``) was said by the clause's subject.
* **Chinese name glued to the verb.** jieba cuts ``丁明说`` as ``丁 | 明说``, so neither the name
  nor the verb is a token.  ``zh_raw_name`` reads the raw characters instead: a surname of
  ``surnames`` (``speech_verbs.json``) and one or two more Han characters, right before the
  verb and right after a clause boundary (text start, line start, punctuation).
* **Russian dash and verb.** ``"…", - делятся прогнозами аналитики ПСБ``: a quotation closed,
  a comma, a dash, then a word: ``ru_dash_verb_at`` gives where that word starts; a verb there
  (any verb, not only those of the lexicon) reports the quotation, the speaker follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_JA_QUOTE = 6
_JA_NAME_TAIL = re.compile(
    r"(?:[\u30a0-\u30ff\u4e00-\u9fff々]|さん|ちゃん|くん|ら|氏|\s){0,10}?"
    r"\s*(?:（[^）]{0,20}）)?\s*(?:＝[^＝]{0,20}＝)?\s*[はが]")
_JA_TOPIC = re.compile(
    r"([0-9０-９A-Za-zＡ-Ｚａ-ｚ\u30a0-\u30ff\u4e00-\u9fff々]+(?:の[\u30a0-\u30ff\u4e00-\u9fff々]+)?)"
    r"(?:ら|さん|氏)?\s*(?:（[^）]{0,20}）)?\s*(?:＝[^＝]{0,20}＝)?\s*[はが]")
#: 「…」と that is no report of speech: a name ('という', 'といった', 'との', 'とは'), a role
#: ('として', 'とする'), a comitative ('とともに', 'と共に'), naming ('と呼ぶ', 'と名付け', 'と題し')
_JA_NOT_QUOTATIVE = ("との", "という", "といっ", "といわ", "とは", "として", "とする", "とともに",
                     "と共に", "と呼", "と名付", "と題")
#: an unnamed topic ending so is a time or a place in the text, not a speaker ('今回は', '同日は')
_JA_NOT_SPEAKER_END = ("日", "月", "年", "回", "時", "今", "後", "前", "中", "点", "場")
_SENT_END = set("。！？!?\n")
_JA_BARE_GAP = re.compile(r"[はが][\s\u3000]*(?:[.．…・:：]+[\s\u3000]*)*$")
_JA_CLAUSE_END = re.compile(r"[\u3040-\u309f]$")
_ZH_BOUNDARY = set("，。；：！？、,;:!?“”\"「」『』（）() \t\u3000\n")
_RU_DASH = re.compile(r",?[ \t\u00a0]*[-–—][ \t\u00a0]*(?=\w)")
_MARK_PAD = " \t\u3000"


@dataclass
class Mention:
    start: int      # token offsets
    end: int
    kind: str       # alias, PER, ORG, LOC, pronoun, descriptor, topic
    key: str = ""   # actor name for aliases
    surface: str = ""   # the name read from raw characters where the tokens cut through it


def _after(text: str, i: int) -> int:
    while i < len(text) and text[i] in _MARK_PAD:
        i += 1
    return i


def ja_quotative(text: str, quotes: list) -> set[int]:
    """Indices of the quotations reported by a following ``と`` + predicate (directly or
    through a comma chain), see the module docstring."""
    out: set[int] = set()
    for k in range(len(quotes) - 1, -1, -1):
        q = quotes[k]
        if not q.close_mark or not q.open_mark:
            continue
        content = text[q.start:q.end]
        if len(content) < MIN_JA_QUOTE and content[-1:] not in "。！？!?":
            continue
        j = _after(text, q.close + 1)
        if text.startswith("と", j) and not text.startswith(_JA_NOT_QUOTATIVE, j):
            out.add(k)
        elif text.startswith("として", j) and text[_after(text, j + 3):_after(text, j + 3) + 1] in "、，," \
                and _JA_CLAUSE_END.search(content):
            out.add(k)
        elif k + 1 in out and text.startswith("として", j) and _after(text, j + 3) == quotes[k + 1].open:
            out.add(k)      # 'Xは「…」として「…」と話した': one report of two quotations
        elif k + 1 in out and text[j:j + 1] in "、，,":
            gap = text[q.close + 1:quotes[k + 1].open]
            if len(gap) <= 24 and not any(ch in _SENT_END for ch in gap):
                out.add(k)
    return out


def ja_marked_subject(text: str, name_end: int, open_char: int) -> bool:
    """The name ending at ``name_end`` is marked by は/が before ``open_char``."""
    return _JA_NAME_TAIL.match(text, name_end, open_char) is not None


def ja_topic_phrase(text: str, lo: int, open_char: int) -> tuple[int, int] | None:
    """The last unnamed topic/subject phrase (noun run + は/が) in ``text[lo:open_char]``."""
    found = None
    for m in _JA_TOPIC.finditer(text, lo, open_char):
        found = m
    if found is None:
        return None
    a, b = found.span(1)
    if text[a:b].endswith(_JA_NOT_SPEAKER_END) or b - a < 2:
        return None
    return a, b


def standalone(text: str, q, para_start: int, para_end: int) -> bool:
    """The paragraph holds nothing but the quotation (and closing punctuation)."""
    return (q.open_mark and q.close_mark and not text[para_start:q.open].strip()
            and not text[q.close + 1:para_end].strip(" \t\u3000。.，,！？!?"))


def ja_bare_topic(text: str, q) -> bool:
    """``Xは ... 「…」`` ending its sentence: only spaces, dots or a colon between the topic
    particle and the opening mark, only a sentence end between the closing mark and the line
    end (see the module docstring); the speaker is then found as for ``「…」と``."""
    if not (q.open_mark and q.close_mark):
        return False
    line_start = text.rfind("\n", 0, q.open) + 1
    if not _JA_BARE_GAP.search(text[line_start:q.open]):
        return False
    line_end = text.find("\n", q.close)
    rest = text[q.close + 1:len(text) if line_end < 0 else line_end]
    return not rest.strip(" \t\u3000。．.！？!?")


def zh_speech_noun(text: str, q, nouns: list[str]) -> bool:
    """``“…”的狠话``: the quotation is followed by 的 and a noun of speech."""
    if not q.close_mark:
        return False
    j = _after(text, q.close + 1)
    return text.startswith("的", j) and any(text.startswith(n, j + 1) for n in nouns)


def zh_raw_name(text: str, verb_char: int, surnames: tuple[str, ...]) -> tuple[int, int] | None:
    """Characters ``[a, verb_char)`` that read as a Chinese name right before a verb: a surname
    (double surnames first) and one or two Han characters, after a clause boundary."""
    for size in (3, 2, 4):
        a = verb_char - size
        if a < 0 or (a > 0 and text[a - 1] not in _ZH_BOUNDARY):
            continue
        name = text[a:verb_char]
        if not all("\u4e00" <= ch <= "\u9fff" for ch in name):
            continue
        for sur in surnames:
            if name.startswith(sur) and 1 <= len(name) - len(sur) <= 2:
                return a, verb_char
    return None


def ru_dash_verb_at(text: str, q) -> int | None:
    """Where the word after ``", -`` following a closed quotation starts (or None)."""
    if not q.close_mark:
        return None
    m = _RU_DASH.match(text, q.close + 1)
    return m.end() if m is not None else None
