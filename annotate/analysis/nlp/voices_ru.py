"""Russian rules of the multilingual voices suggester (a mixin of ``voices_ml.MultilingualVoices``).

* ``"…", - отметил президент``: a lower-case noun right after the inverted verb is a role,
  resolved to the person named last before it; ``- сообщили в ведомстве``: a lower-case noun
  after 'в' is an unnamed institution, an anonymous speaker named so;
* ``"…", - делятся прогнозами аналитики ПСБ``: after a closed quotation, a comma and a dash,
  any verb (slovnet's part of speech, not only the lexicon's verbs) reports the quotation and
  the speaker is the first name or role after it in the clause;
* impersonal cues (``говорится``, ``сообщается``, ``отмечается``: kind ``impersonal`` in
  ``speech_verbs.json``) have no speaker of their own; the quotation before or after them is
  a document's, and the document's author is, in this order: a name right after the document
  noun (``говорится в заявлении МИД``, ``В заявлении МИД говорится``); the first person or
  organisation of the earlier sentence that named the same document (``Пашинян направил
  поздравительные послания`` for ``В послании … говорится:``); the speaker last attributed in
  the three sentences before (``…, сообщили в МЧС. … "…", - говорится в заявлении``); else the
  document itself, as an anonymous speaker (``- говорится в исследовании`` → 'исследовании').  A
  name after the document noun that is not adjacent to it (``В послании верховному лидеру …
  Хаменеи``) is its addressee, not its author, and is skipped.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .common import SpanSink
from .quotatives import Mention as _Mention
from .quotatives import ru_dash_verb_at
from .speakers import Speaker

_PREPS = {"в", "во"}


class RussianVoices:
    """Methods of ``MultilingualVoices`` used for Russian text only."""

    def _role_after(self, doc: Doc, i: int) -> _Mention | None:
        """Russian '…», — отметил президент.' / '- сказал нападающий': a lower-case noun right
        after the inverted verb names the speaker by role; as a descriptor it resolves to the
        person named last before it (``_speaker``)."""
        while i < len(doc) and doc[i].is_space and "\n" not in doc[i].text:
            i += 1
        if i >= len(doc):
            return None
        t = doc[i]
        low = t.lower_
        if low in _PREPS and i + 1 < len(doc) and doc[i + 1].pos_ == "NOUN" and doc[i + 1].text[:1].islower() \
                and doc[i + 1].lower_ not in self.vs.lex.descriptors:
            return _Mention(i + 1, i + 2, "topic")   # '- сообщили в ведомстве': an unnamed institution
        if t.text[:1].islower() and (low in self.vs.lex.titles or low in self.vs.lex.descriptors or t.pos_ == "NOUN"):
            return _Mention(i, i + 1, "descriptor")
        return None

    # ------------------------------------------------------------------ impersonal cues
    def _impersonal(self, doc: Doc, cue: Span):
        k = self._quote_before(cue)
        if k is None:
            k = self._quote_after(cue)
        if k is None:
            return None
        m = self._document_author(doc, cue)
        return (m, k, None) if m is not None else None

    def _document_nouns(self, doc: Doc, a: int, b: int) -> list[int]:
        """Nouns governed by 'в' in doc[a:b] ('в заявлении', 'В направленном … послании')."""
        out = []
        for i in range(a, b):
            if doc[i].lower_ not in _PREPS:
                continue
            for j in range(i + 1, min(b, i + 6)):
                if doc[j].pos_ == "NOUN":
                    out.append(j)
                    break
        return out

    def _document_author(self, doc: Doc, cue: Span) -> _Mention | None:
        ss, _ = self.sents.bounds(cue.start)
        nouns = []
        for a, b in ((cue.end, self._stop_after(doc, cue.end)), (ss, cue.start)):
            for n in self._document_nouns(doc, a, b):
                nouns.append(n)
                m = next((x for x in self.mentions if x.start == n + 1 and x.end <= b and self._rank(x) <= 1), None)
                if m is not None:
                    return m
        k = self.sents.index(cue.start)
        for n in nouns:
            lemma = doc[n].lemma_
            for s in range(k):
                a, b = self.sents.starts[s], self.sents.ends[s]
                if not any(t.lemma_ == lemma for t in doc[a:b]):
                    continue
                named = [x for x in self._in(a, b) if self._rank(x) <= 1]
                people = [x for x in named if self._rank(x) == 0 and x.kind != "pronoun"]
                if people or named:
                    return (people or named)[0]
        lo = doc[self.sents.starts[max(0, k - 3)]].idx
        prev = [x for x in self.spoken if lo <= x[0] < doc[cue.start].idx]
        if prev:
            at = prev[-1][0]
            return next((x for x in self.mentions if doc[x.start].idx == at), None)
        if nouns:
            return _Mention(nouns[0], nouns[0] + 1, "topic")
        return None

    # ------------------------------------------------------------------ "…", - verb X
    def _ru_dash_verbs(self, doc: Doc, sink: SpanSink, quote_speaker: dict[int, Speaker]) -> None:
        for qi, q in enumerate(self.quotes):
            if qi in quote_speaker or q.words(self.text) < self.vs.min_quote_words:
                continue
            at = ru_dash_verb_at(self.text, q)
            if at is None:
                continue
            verb = doc.char_span(at, at + 1, alignment_mode="expand")
            if verb is None or doc[verb.start].pos_ != "VERB" or doc[verb.start].idx != at:
                continue
            v = verb.start
            m = self._pick_after(v + 1, self._stop_after(doc, v + 1)) or self._role_after(doc, v + 1)
            sp = self._speaker(doc, m) if m is not None else None
            if sp is None:
                continue
            sp = self.vs.resolver.register(doc[m.start].idx, sp)
            quote_speaker[qi] = sp
            att = self._att(doc, doc[v:v + 1], "verb", m)
            self.spoken.append((doc[m.start].idx, sp, att))
            s, e = self.qtok[qi][0]
            self.vs._emit(doc, sink, s, e, sp, att, "direct", q, mention=(m.start, m.end))
