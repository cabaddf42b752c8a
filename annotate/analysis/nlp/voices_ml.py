"""Voices in Russian, Japanese and Chinese text: quotation → reporting phrase → speaker → country.

The English voices suggester leans on the dependency parse and capitalisation; neither is
there (or reliable) in the other languages, so attribution here is by position, per
reporting cue found in ``speech_verbs.json`` (not inside a quotation):

* **verb** cues (заявил, отметил; 说, 表示, 指出, 称; 述べた, 語った, と話した …) attribute

  - the quotation that closes just before the cue, with only the speaker, titles, commas,
    dashes and particles in between (``«…», — заявил Лавров``, ``“…”，他说``,
    ``「…」と同氏は述べた``; Japanese ``Xは「…」と述べた``: the speaker stands before the
    quotation);
  - else the quotation that opens right after it (``Лавров заявил: «…»``, ``钟南山说：“…”``);
  - else the reported clause: after the cue (``X表示，…``, ``X заявил, что …``), before it
    when the speaker follows the cue (``…, — заявил X``), or between the topic and the cue in
    Japanese (``Xは…と述べた``);

* **prefix_after** cues name the speaker right after them up to the comma (``по словам X,``,
  ``据X报道，``), **suffix_before** cues right before them (``Xによると、``), **prefix_poss**
  cues carry a pronoun (``по его словам``).

The speaker is the mention nearest to the cue in the search region — an alias of the actor
table (so 'Лаврова' and '拉夫罗夫' are Sergei Lavrov), else a named entity (PER first, then
ORG, then a country), else a pronoun (the last named speaker) or a descriptor ('эксперты',
'专家', '関係者': an anonymous speaker).  A person's country is the actor table's, else the
nearest country cue before the name in its sentence ('俄罗斯外长', 'ロシアの'), else after it.
Chinese/Japanese 'organisation + role' written as one word (欧盟领导人) is one anonymous
speaker named by the whole phrase.

Also here: **impersonal** cues (Russian ``говорится``: the document's author, voices_ru.py),
**quote_only** cues (Chinese ``同意“…”``: a cue only for a quotation right after it), and a
quotation inside a reported clause (``X表示，…“…”``, ``X заявил, что "…"``), which is the
words of the speaker of the outermost reported clause holding it.  The rules of one language
are in ``voices_ru.py`` (role nouns, ``"…", - <any verb> X``, impersonal cues),
``voices_ja.py`` (``「…」と`` + any predicate, ``Xは 「…」。``, continuation lines, SudachiPy
names) and ``voices_zh.py`` (stand-alone quotation lines, ``“…”的狠话``, names jieba glues to
说); their pure text tests are in ``quotatives.py``.  Quotations left without a cue take the
speaker of the previous quotation in their paragraph.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .attribution import _Att
from .common import CJK_LANGS, SentIndex, SpanSink, lexicon_path, load_lexicon
from .multilingual import PERSON, entity_name
from .quotatives import Mention as _Mention
from .quotes import Paragraphs, find_quotes
from .speakers import Speaker
from .voices_ja import JapaneseVoices
from .voices_ru import RussianVoices
from .voices_zh import ChineseVoices

_JA_PARTICLES = {"と", "とも", "は", "が", "も", "に", "で", "の", "同", "氏", "さん", "ら", "また",
                 "こう", "そう", "など", "について", "として", "、", "。"}
_GAP_PUNCT = set(",，、—–-:：;；") | {" "}
_MARKS = set("“”\"«»„「」『』")
_SENT_END = set(".!?…。！？")


class MultilingualVoices(JapaneseVoices, ChineseVoices, RussianVoices):
    """Attribution for one language; ``vs`` is the owning ``VoiceSuggester``.  The rules of
    one language only are in ``voices_ja.py``, ``voices_zh.py`` and ``voices_ru.py``."""

    def __init__(self, vs, lang: str) -> None:
        self.vs = vs
        self.lang = lang
        self.cjk = lang in CJK_LANGS
        self.trailers = tuple(vs.lex.trailers)
        # lists only this module reads (speech nouns, surnames), from the suggester's lexicon
        data, _ = load_lexicon(lexicon_path("speech_verbs.json", getattr(vs, "lexicon_file", None)))
        self.block = data.get(lang) or {}
        self.surnames = tuple(sorted(self.block.get("surnames", []), key=len, reverse=True))
        self.zh_verbs = tuple(sorted((f for f in vs.lex.forms), key=len, reverse=True)) if lang == "zh" else ()

    # ------------------------------------------------------------------ entry
    def __call__(self, doc: Doc, sink: SpanSink) -> None:
        vs = self.vs
        text = self.text = doc.text
        quotes = find_quotes(text, vs.lex.quote_pairs)
        vs._q = quotes
        vs._qstarts = [q.start for q in quotes]
        vs._qcloses = [q.close for q in quotes]
        qtok = [vs._quote_tokens(doc, q) for q in quotes]
        cues = self._cues(doc)
        if not cues and not quotes:
            return
        self.cue_tokens = {i for cue, _ in cues for i in range(cue.start, cue.end)}
        self.doc, self.quotes, self.qtok = doc, quotes, qtok
        self.sents = SentIndex(doc)
        self.mentions = self._mentions(doc)
        vs.resolver.reset(text)
        quote_speaker: dict[int, Speaker] = {}
        self.spoken: list[tuple[int, Speaker, _Att]] = []   # (mention's first character, …)
        self.reported: list[tuple[tuple[int, int], Speaker, _Att, _Mention]] = []
        for cue, kind in cues:
            found = self._attribute(doc, cue, kind)
            if found is None:
                continue
            mention, qi, content = found
            sp = self._speaker(doc, mention)
            if sp is None:
                continue
            sp = vs.resolver.register(doc[mention.start].idx, sp)
            att = self._att(doc, cue, kind, mention)
            self.spoken.append((doc[mention.start].idx, sp, att))
            if qi is not None:
                if qi in quote_speaker:
                    continue
                quote_speaker[qi] = sp
                s, e = qtok[qi][0]
                vs._emit(doc, sink, s, e, sp, att, "direct", quotes[qi], mention=(mention.start, mention.end))
            elif content is not None:
                self.reported.append((content, sp, att, mention))
                vs._emit(doc, sink, content[0], content[1], sp, att, "reported", None,
                         mention=(mention.start, mention.end))
        if self.lang == "ja":
            self._ja_quotatives(doc, sink, quote_speaker)
        if self.lang == "ru":
            self._ru_dash_verbs(doc, sink, quote_speaker)
        self._colon_speakers(doc, sink, quote_speaker)
        if self.lang == "zh":
            self._zh_speech_nouns(doc, sink, quote_speaker)
        self._within_reported(doc, sink, quote_speaker)
        if self.lang == "zh":
            self._standalone_quotes(doc, sink, quote_speaker)
        if self.lang == "ja":
            self._ja_continuations(doc, sink, quote_speaker)
        self._inherit(doc, sink, quote_speaker)

    def _within_reported(self, doc: Doc, sink: SpanSink, quote_speaker: dict[int, Speaker]) -> None:
        """A quotation inside a reported clause (``X表示，…“…”``, ``欧盟领导人呼吁委员会“…”``,
        ``X заявил, что "…"``) is X's words, X being the speaker of the first (outermost)
        reported clause holding it: in ``孙先生表示，置业顾问表示…，“…”`` the quotation ending
        the sentence is 孙先生's.  Quotations shorter than a phrase (under 8 characters in
        Chinese/Japanese, under ``min_quote_words`` words elsewhere) are terms, not speech."""
        for qi, q in enumerate(self.quotes):
            open_tok = self.qtok[qi][1]
            if qi in quote_speaker or open_tok is None:
                continue
            size = (q.end - q.start) if self.cjk else q.words(self.text)
            if size < (8 if self.cjk else self.vs.min_quote_words):
                continue
            for (a, b), sp, att, m in self.reported:
                if a <= open_tok + 1 and open_tok < b:
                    quote_speaker[qi] = sp
                    s, e = self.qtok[qi][0]
                    self.vs._emit(doc, sink, s, e, sp, att, "direct", q, mention=(m.start, m.end))
                    break

    def _colon_speakers(self, doc: Doc, sink: SpanSink, quote_speaker: dict[int, Speaker]) -> None:
        """Interview style 'Name ：「…」' / 'Имя: «…»': a name, then a colon, then the quotation."""
        text = self.text
        for qi, q in enumerate(self.quotes):
            if qi in quote_speaker or not q.open_mark:
                continue
            j = q.open
            while j > 0 and text[j - 1] in " \t\u3000":
                j -= 1
            if j == 0 or text[j - 1] not in ":：":
                continue
            colon = doc.char_span(j - 1, j, alignment_mode="expand")
            if colon is None:
                continue
            cands = [m for m in self.mentions if m.end <= colon.start and colon.start - m.end <= 3
                     and self._rank(m) <= 1 and "\n" not in doc[m.end:colon.start].text]
            if not cands:
                continue
            m = cands[-1]
            sp = self._speaker(doc, m)
            if sp is None:
                continue
            sp = self.vs.resolver.register(doc[m.start].idx, sp)
            quote_speaker[qi] = sp
            att = self._att(doc, colon, "colon", m)
            self.spoken.append((doc[m.start].idx, sp, att))
            s, e = self.qtok[qi][0]
            self.vs._emit(doc, sink, s, e, sp, att, "direct", q, mention=(m.start, m.end))

    @staticmethod
    def _att(doc: Doc, cue: Span, kind: str, m: _Mention) -> _Att:
        return _Att(doc[m.start].idx, cue, kind, (m.start, m.end), None, "")

    # ------------------------------------------------------------------ cues and mentions
    def _cues(self, doc: Doc) -> list[tuple[Span, str]]:
        spans = []
        for key, s, e in self.vs.terms(doc):
            if self.vs._quote_at(doc[s].idx) is not None:
                continue
            spans.append(Span(doc, s, e, label=key))
        if self.lang == "zh":
            spans.extend(self._zh_glued_cues(doc))
        out = []
        for sp in sorted(filter_spans(spans), key=lambda x: x.start):
            kind = "verb" if sp.label_.startswith("V|") else sp.label_[2:]
            out.append((sp, kind))
        return out

    def _mentions(self, doc: Doc) -> list[_Mention]:
        vs = self.vs
        found: list[_Mention] = []
        taken = bytearray(len(doc))
        for key, s, e in vs.aliases(doc):
            if key.startswith("M|") or any(taken[s:e]):
                continue
            taken[s:e] = b"\x01" * (e - s)
            found.append(_Mention(s, e, "alias", key))
        for ent in doc.ents:
            if any(taken[ent.start:ent.end]):
                continue
            label = "PER" if ent.label_ in PERSON else ent.label_
            if label not in ("PER", "ORG", "LOC", "GPE"):
                continue
            taken[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
            found.append(_Mention(ent.start, ent.end, "LOC" if label == "GPE" else label))
        if self.lang == "ja":
            found.extend(self._ja_names(doc, taken))
        lex = vs.lex
        for t in doc:
            if taken[t.i]:
                continue
            low = t.lower_
            if low in lex.pronouns or low in lex.plural_pronouns:
                found.append(_Mention(t.i, t.i + 1, "pronoun"))
            elif low in lex.descriptors or low in lex.generic_plural:
                found.append(_Mention(t.i, t.i + 1, "descriptor"))
        found = [m for m in found if vs._quote_at(doc[m.start].idx) is None]
        found.sort(key=lambda m: m.start)
        if self.cjk:
            found = _join_roles(found, lambda m: m.kind in ("ORG", "LOC") or (m.kind == "alias" and self._rank(m) == 1))
        return found

    def _in(self, a: int, b: int) -> list[_Mention]:
        return [m for m in self.mentions if a <= m.start and m.end <= b]

    def _rank(self, m: _Mention) -> int:
        if m.kind == "alias":
            return 0 if self.vs.resolver.table.actors[m.key].kind == "person" else 1
        if m.kind in ("PER", "pronoun"):
            return 0
        if m.kind in ("ORG", "descriptor", "topic"):
            return 1
        return 2

    def _pick_before(self, a: int, b: int) -> _Mention | None:
        cands = self._in(a, b)
        if not cands:
            return None
        best = min(self._rank(m) for m in cands)
        return [m for m in cands if self._rank(m) == best][-1]

    def _pick_after(self, a: int, b: int) -> _Mention | None:
        cands = self._in(a, b)
        if not cands:
            return None
        best = min(self._rank(m) for m in cands)
        return [m for m in cands if self._rank(m) == best][0]

    # ------------------------------------------------------------------ attribution
    def _clause_start(self, doc: Doc, i: int) -> int:
        """Start of the sentence holding token ``i``, not crossing a line break."""
        return self.sents.bounds(i)[0]

    def _clause_end(self, doc: Doc, i: int) -> int:
        return self.sents.bounds(i)[1]

    def _gap_ok(self, doc: Doc, a: int, b: int, limit: int) -> bool:
        """Only names, titles, punctuation and particles in doc[a:b] (≤ limit tokens)."""
        if b - a > limit:
            return False
        for t in doc[a:b]:
            if t.is_space and "\n" in t.text:
                return False
            if t.text in _SENT_END or t.text in _MARKS:
                return False
        return True

    def _attribute(self, doc: Doc, cue: Span, kind: str):
        if kind == "verb":
            return self._verb(doc, cue)
        if kind == "impersonal":
            return self._impersonal(doc, cue)
        if kind == "quote_only":
            return self._quote_only(doc, cue)
        ss, se = self.sents.bounds(cue.start)
        if kind == "prefix_after":
            j = cue.end
            while j < se and doc[j].text not in (",", "，", "、", ";", "；", ":", "：") and j - cue.end < 15:
                j += 1
            m = self._pick_after(cue.end, j) or self._raw_source(doc, cue.end, j)
            if m is None:
                return None
            return m, None, self._content(doc, j + 1, se)
        if kind == "suffix_before":
            m = self._pick_before(ss, cue.start)
            if m is None:
                return None
            return m, None, self._content(doc, cue.end, se)
        if kind == "prefix_poss":
            m = next((x for x in self._in(cue.start, cue.end) if x.kind == "pronoun"), None)
            if m is None:
                return None
            return m, None, self._content(doc, cue.end, se)
        return None

    def _quote_only(self, doc: Doc, cue: Span):
        """Verbs that report only a quotation opening right after them (``同意“…”``,
        ``承诺“…”``): their subject before them in the sentence is the speaker."""
        k = self._quote_after(cue)
        if k is None or self.text[doc[cue.end - 1].idx + len(doc[cue.end - 1]):self.quotes[k].open].strip():
            return None
        ss, _ = self.sents.bounds(cue.start)
        m = self._pick_before(ss, cue.start)
        return (m, k, None) if m is not None else None

    def _before_cue(self, doc: Doc, ss: int, cue: Span) -> _Mention | None:
        """The speaker standing before the cue; in Chinese, a name jieba glued to the verb
        (``丁 | 明说``) is read from the raw characters (voices_zh.py)."""
        m = self._pick_before(ss, cue.start)
        if self.lang == "zh":
            return self._zh_glued_name(doc, cue, m) or m
        return m

    def _verb(self, doc: Doc, cue: Span):
        qtok, quotes = self.qtok, self.quotes
        ss, se = self.sents.bounds(cue.start)
        # a quotation closing right before the cue
        k = self._quote_before(cue)
        if k is not None:
            close_tok = qtok[k][2]
            open_tok = qtok[k][1]
            m = self._pick_before(close_tok + 1, cue.start)
            if m is None and self.lang == "ru":
                m = self._pick_after(cue.end, self._stop_after(doc, cue.end)) or self._role_after(doc, cue.end)
            if m is None and self.lang == "ja" and open_tok is not None:
                m = self._ja_subject(doc, k)   # Xは「…」と述べた, or the subject left out
            elif m is None and open_tok is not None:
                qs = self._clause_start(doc, open_tok)
                m = self._pick_before(qs, open_tok)
            return (m, k, None) if m is not None else None
        # a quotation opening right after the cue
        k = self._quote_after(cue)
        if k is not None:
            open_tok = qtok[k][1]
            m = self._before_cue(doc, ss, cue)
            if m is None and self.lang == "ru":
                m = self._pick_after(cue.end, open_tok)
            return (m, k, None) if m is not None else None
        # reported speech
        before = doc[cue.start - 1] if cue.start > ss else None
        if self.lang == "ru" and before is not None and before.text in (",", "—", "–", "-"):
            m = self._pick_after(cue.end, self._stop_after(doc, cue.end)) or self._role_after(doc, cue.end)
            if m is not None:
                a = ss
                b = cue.start
                return m, None, self._content(doc, a, b)
        m = self._before_cue(doc, ss, cue)
        if m is None:
            return None
        if self.lang == "ja":
            a = m.end
            while a < cue.start and doc[a].text in _JA_PARTICLES:
                a += 1
            b = cue.start
            while b > a and doc[b - 1].text in ("と", "、", "とも"):
                b -= 1
            return m, None, self._content(doc, a, b)
        return m, None, self._content(doc, cue.end, se)

    def _raw_source(self, doc: Doc, a: int, b: int) -> _Mention | None:
        """'据俄新社报道，' with no entity found: the words between the cue and the comma, minus
        trailing words such as 报道 / 消息, when they name a known organisation."""
        while b > a and (doc[b - 1].is_space or doc[b - 1].text in self.trailers):
            b -= 1
        if b <= a or b - a > 4:
            return None
        if self.vs.cues.institution(doc[a:b].text, self.lang) is None:
            return None
        return _Mention(a, b, "ORG")

    def _stop_after(self, doc: Doc, i: int) -> int:
        j = i
        while j < len(doc) and j - i < 15 and doc[j].text not in _SENT_END and doc[j].text not in _MARKS \
                and doc[j].text not in (";", ":", "；", "：") and not (doc[j].is_space and "\n" in doc[j].text):
            j += 1
        return j

    def _quote_before(self, cue: Span) -> int | None:
        doc = self.doc
        cue_char = doc[cue.start].idx
        best = None
        for k, q in enumerate(self.quotes):
            if q.close_mark and q.close < cue_char:
                best = k
            elif q.close >= cue_char:
                break
        if best is None:
            return None
        close_tok = self.qtok[best][2]
        if close_tok is None or "\n" in self.text[self.quotes[best].close:cue_char]:
            return None
        if not self._gap_ok(doc, close_tok + 1, cue.start, 15) or not self._only_names(doc, close_tok + 1, cue.start):
            return None
        return best

    def _only_names(self, doc: Doc, a: int, b: int) -> bool:
        """Between a quotation and its cue: names, titles, punctuation, particles and at most
        three other words ('журналистам', '在记者会上'), and no other cue ('据…报道')."""
        named = bytearray(len(doc))
        for m in self.mentions:
            named[m.start:m.end] = b"\x01" * (m.end - m.start)
        lex = self.vs.lex
        other = 0
        for t in doc[a:b]:
            if t.i in self.cue_tokens:
                return False
            if named[t.i] or t.is_punct or t.is_space or t.text in _JA_PARTICLES or \
                    t.lower_ in lex.titles or t.lower_ in lex.descriptors:
                continue
            other += 1
        return other <= 3

    def _quote_after(self, cue: Span) -> int | None:
        doc = self.doc
        end_char = doc[cue.end - 1].idx + len(doc[cue.end - 1])
        for k, q in enumerate(self.quotes):
            if q.open >= end_char and q.open_mark:
                if any(cue.end <= i < self.qtok[k][1] for i in self.cue_tokens if self.qtok[k][1] is not None):
                    return None   # another cue between: 'X表示，Y表示…“…”'
                gap = self.text[end_char:q.open]
                if gap.strip(" \t") in (":\n", "：\n") and self.text[:end_char].rstrip()[-1:] not in _SENT_END:
                    return k    # 'говорится:' closing its line, the quotation on the next
                if "\n" in gap.strip(" :：") or len(gap) > 30 or any(ch in _SENT_END for ch in gap):
                    return None
                if not gap.strip() or any(ch in gap for ch in ":：,，") or (self.lang == "ru" and len(gap.split()) <= 3):
                    return k if self._speech_sized(q, bool(gap.strip(" :："))) else None
                return None
        return None

    def _speech_sized(self, q, words_between: bool) -> bool:
        """A quotation after a cue is speech, not a name or a term (``цитирует "РИА Новости"``,
        ``表示，…在“一带一路”框架下``), when it ends like a sentence or is long enough: 3 words
        (Russian), or in Chinese/Japanese 8 characters when words stand between cue and mark."""
        if q.speech_like(self.text) and q.close_mark and self.text[q.close - 1:q.close] in ".!?…。！？":
            return True
        if self.cjk:
            return not words_between or q.end - q.start >= 8
        return q.words(self.text) >= self.vs.min_quote_words

    def _content(self, doc: Doc, a: int, b: int) -> tuple[int, int] | None:
        while a < b and (doc[a].is_punct or doc[a].is_space or doc[a].lower_ in ("что", "чтобы")):
            a += 1
        while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
            b -= 1
        if b - a < self.vs.min_reported:
            return None
        return a, b

    # ------------------------------------------------------------------ speakers
    def _speaker(self, doc: Doc, m: _Mention) -> Speaker | None:
        vs = self.vs
        span = doc[m.start:m.end]
        pos = span.start_char
        if m.kind == "pronoun" or (m.kind == "descriptor" and self.lang == "ru" and
                                   span.text.lower() not in vs.lex.generic_plural):
            how = "pronoun" if m.kind == "pronoun" else f"‘{span.text}’"
            named = self._zh_pronoun_subject(doc, m.start) if self.lang == "zh" and m.kind == "pronoun" else None
            which = "subject of its sentence" if named is not None else "nearest person named before"
            named = named or self._person_before(m.start)
            if named is not None:
                sp = self._speaker(doc, named)
                if sp is not None:
                    return Speaker(sp.name, sp.country, sp.affiliation, sp.kind, sp.description,
                                   f"coreference: {how} → {which}")
            sp = vs.resolver.latest(pos)
            if sp is None:
                if m.kind == "pronoun":
                    return None
            else:
                return Speaker(sp.name, sp.country, sp.affiliation, sp.kind, sp.description,
                               f"coreference: {how} → most recent named speaker")
        if m.kind == "alias":
            actor = vs.resolver.table.actors[m.key]
            known = vs.resolver.people.get(actor.name)
            return Speaker(actor.name, actor.country or None, known.affiliation if known else None,
                           actor.kind, resolved_by="alias table")
        ss, _ = self.sents.bounds(m.start)
        lo = doc[ss].idx
        cues = vs.cues
        if m.kind in ("descriptor", "topic"):
            iso = cues.nearest(self.text, self.lang, pos, lo=lo)
            how = "anonymous speaker" + (" (topic of the sentence)" if m.kind == "topic" else "")
            return Speaker(span.text, iso, None, "generic", resolved_by=how)
        name = m.surface or entity_name(doc, span.start_char, span.end_char, self.text)
        actor = vs.resolver.table.lookup(m.surface or span.text) or vs.resolver.table.lookup(name)
        if actor is not None:
            return Speaker(actor.name, actor.country or None, None, actor.kind, resolved_by="alias table")
        if m.kind == "PER":
            one = " " not in name and "·" not in name and "・" not in name
            if one:
                for full in reversed(list(vs.resolver.people)):
                    if full != name and (full.endswith(name) or full.split()[-1] == name):
                        known = vs.resolver.people[full]
                        return Speaker(known.name, known.country, known.affiliation, "person",
                                       known.description, "surname of a named speaker")
            known = vs.resolver.people.get(name)
            if known is not None:
                return Speaker(known.name, known.country, known.affiliation, "person",
                               known.description, "named speaker")
            iso = cues.nearest(self.text, self.lang, pos, span.end_char, lo=lo,
                               hi=min(len(self.text), span.end_char + 8))
            aff = cues.institution(self.text[lo:pos], self.lang)
            if aff is not None:
                iso = aff[1]
            return Speaker(name, iso, aff[0] if aff else None, "person", resolved_by="named (NER PER)")
        if m.kind == "ORG":
            inst = cues.institution(span.text, self.lang)
            if inst is not None:
                return Speaker(inst[0], inst[1], inst[0], "organisation", resolved_by="organisation")
            iso = cues.nearest(span.text, self.lang, len(span.text)) or cues.nearest(self.text, self.lang, pos, lo=lo)
            return Speaker(name, iso, name, "organisation", resolved_by="organisation (NER ORG)")
        return None   # a place that is not a known country is no speaker

    def _person_before(self, i: int, sentences: int = 3) -> _Mention | None:
        """The nearest person mention (alias of a person or PER) before token ``i``, at most
        ``sentences`` sentences back."""
        k = self.sents.index(i)
        lo = self.sents.starts[max(0, k - sentences)]
        for m in reversed(self.mentions):
            if m.end > i or m.start < lo:
                continue
            if m.kind == "PER" or (m.kind == "alias" and self._rank(m) == 0):
                return m
        return None

    # ------------------------------------------------------------------ unattributed quotations
    def _inherit(self, doc: Doc, sink: SpanSink, quote_speaker: dict[int, Speaker]) -> None:
        if not self.quotes or not quote_speaker:
            return
        text = self.text
        paras = Paragraphs(text)
        for qi, q in enumerate(self.quotes):
            if qi in quote_speaker:
                continue
            size = (q.end - q.start) if self.cjk else q.words(text)
            if size < (8 if self.cjk else self.vs.min_quote_words) or not _speech_like(text, q):
                continue
            p = paras.index(q.start)
            prev = [k for k in quote_speaker if k < qi and paras.index(self.quotes[k].end) == p]
            if not prev:
                continue
            sp = quote_speaker[max(prev)]
            s, e = self.qtok[qi][0]
            self.vs._emit(doc, sink, s, e, sp, None, "direct", q, inherited_from=str(max(prev)))


def _speech_like(text: str, q) -> bool:
    if not q.close_mark:
        return True
    before = text[max(q.open, q.close - 2):q.close].rstrip()
    return bool(before) and before[-1] in ",.!?…;:。！？，；：、"


def _join_roles(found: list[_Mention], collective) -> list[_Mention]:
    """Chinese/Japanese 'organisation or place + role' written as one word (欧盟领导人,
    外交部发言人): one anonymous speaker named by the whole phrase, not the organisation
    (``collective``: the mention is an organisation or a place; a person's name before a
    role, ザハロワ報道官, stays the person)."""
    out: list[_Mention] = []
    for m in found:
        if out and m.kind == "descriptor" and out[-1].end == m.start and collective(out[-1]):
            out[-1] = _Mention(out[-1].start, m.end, "descriptor")
        else:
            out.append(m)
    return out
