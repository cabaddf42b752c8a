"""Japanese rules of the multilingual voices suggester (a mixin of ``voices_ml.MultilingualVoices``).

* ``「…」と`` + any predicate (and ``「…」として、`` after a clause), the speaker standing before
  the quotation as the sentence's topic or subject (text rules in ``quotatives.py``);
* a quotation ending its sentence right after a topic (``参加者は ... 「…」。``: the predicate is
  left out, as in broadcast transcripts and captions);
* a quotation opening the line right after a line that ended with an attributed quotation
  (``…「…」\\n「…」 都の担当者は…``): the same speaker goes on;
* people GiNZA's NER misses, from SudachiPy's personal-name tags.
"""

from __future__ import annotations

from spacy.tokens import Doc

from .common import SpanSink
from .quotatives import Mention as _Mention
from .quotatives import ja_bare_topic, ja_marked_subject, ja_quotative, ja_topic_phrase
from .quotes import Paragraphs
from .speakers import Speaker


class JapaneseVoices:
    """Methods of ``MultilingualVoices`` used for Japanese text only."""

    def _ja_quotatives(self, doc: Doc, sink: SpanSink, quote_speaker: dict[int, Speaker]) -> None:
        """「…」と + any predicate, and the quotations chained before it (quotatives.py);
        then quotations ending the sentence right after a topic (``Xは 「…」。``)."""
        chosen = sorted(ja_quotative(self.text, self.quotes))
        bare = [qi for qi, q in enumerate(self.quotes)
                if qi not in chosen and ja_bare_topic(self.text, q)]
        for qi in sorted(chosen + bare):
            open_tok = self.qtok[qi][1]
            if qi in quote_speaker or open_tok is None:
                continue
            m = self._ja_subject(doc, qi, strict=qi in bare)
            sp = self._speaker(doc, m) if m is not None else None
            if sp is None:
                continue
            sp = self.vs.resolver.register(doc[m.start].idx, sp)
            quote_speaker[qi] = sp
            q = self.quotes[qi]
            j = q.close + 1
            while j < len(self.text) - 1 and self.text[j].isspace():
                j += 1
            cue = doc.char_span(j, j + 1, alignment_mode="expand") or doc[self.qtok[qi][2]:self.qtok[qi][2] + 1]
            s, e = self.qtok[qi][0]
            att = self._att(doc, cue, "quotative", m)
            self.spoken.append((doc[m.start].idx, sp, att))
            self.vs._emit(doc, sink, s, e, sp, att, "direct", q, mention=(m.start, m.end))

    def _ja_subject(self, doc: Doc, qi: int, strict: bool = False) -> _Mention | None:
        """The speaker of Japanese quotation ``qi``, standing before it (quotatives.py).
        ``strict``: only a marked name or a topic phrase, never a guess further back."""
        open_tok = self.qtok[qi][1]
        lo = self._clause_start(doc, open_tok)
        if qi > 0 and self.qtok[qi - 1][2] is not None and self.qtok[qi - 1][2] >= lo:
            lo = self.qtok[qi - 1][2] + 1     # a quotation before it in the same sentence
        open_char = self.quotes[qi].open
        cands = [m for m in self._in(lo, open_tok) if self._rank(m) <= 1]
        marked = [m for m in cands
                  if ja_marked_subject(self.text, doc[m.end - 1].idx + len(doc[m.end - 1]), open_char)]
        if marked:   # 'ザハロワ報道官は': the name, not its title
            best = min(self._rank(m) for m in marked)
            return [m for m in marked if self._rank(m) == best][-1]
        topic = ja_topic_phrase(self.text, doc[lo].idx if lo < len(doc) else open_char, open_char)
        if topic is not None:
            span = doc.char_span(topic[0], topic[1], alignment_mode="expand")
            if span is not None and not self._in(span.start, span.end):
                return _Mention(span.start, span.end, "topic")
        if strict:
            return None
        if cands:
            return self._pick_before(lo, open_tok)
        return self._person_before(open_tok, 2)

    def _ja_continuations(self, doc: Doc, sink: SpanSink, quote_speaker: dict[int, Speaker]) -> None:
        """A quotation opening a line, with no cue of its own, right after a line that ended
        with an attributed quotation: the same speaker goes on."""
        text = self.text
        paras = Paragraphs(text)
        for qi, q in enumerate(self.quotes):
            if qi in quote_speaker or qi == 0 or not q.open_mark or not paras.at_start(q.open):
                continue
            prev = qi - 1
            pq = self.quotes[prev]
            if prev not in quote_speaker or not pq.close_mark:
                continue
            p = paras.index(q.open)
            if paras.next_filled(paras.index(pq.close)) != p or \
                    text[pq.close + 1:paras.end(pq.close)].strip(" \t\u3000。．.！？!?"):
                continue
            sp = quote_speaker[prev]
            quote_speaker[qi] = sp
            s, e = self.qtok[qi][0]
            self.vs._emit(doc, sink, s, e, sp, None, "direct", q, inherited_from=str(prev))

    @staticmethod
    def _ja_names(doc: Doc, taken: bytearray) -> list[_Mention]:
        """Japanese people GiNZA's NER misses (飯沼 in '飯沼一丈副本部長らが'): a run of tokens
        the SudachiPy dictionary tags as personal names (人名-姓 / 人名-名), widened to the left
        over at most two kanji nouns glued to it (a surname it does not know)."""
        out: list[_Mention] = []
        i = 0
        while i < len(doc):
            j = i
            while j < len(doc) and "人名" in doc[j].tag_ and not taken[j]:
                j += 1
            if j > i:
                a = i   # a name part the dictionary does not know: '髙嶺' + '心' + 萌(人名)
                while a > 0 and i - a < 2 and not taken[a - 1] and doc[a - 1].tag_.startswith(("名詞", "接尾辞-名詞的")) \
                        and all("\u4e00" <= ch <= "\u9fff" or ch == "々" for ch in doc[a - 1].text):
                    a -= 1
                taken[a:j] = b"\x01" * (j - a)
                out.append(_Mention(a, j, "PER"))
                i = j
            else:
                i += 1
        return out
