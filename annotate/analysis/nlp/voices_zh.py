"""Chinese rules of the multilingual voices suggester (a mixin of ``voices_ml.MultilingualVoices``).

* a paragraph holding only a quotation takes the speaker opening the next paragraph with a
  reporting verb (or of a next paragraph that is only titles, a name and a verb:
  ``中国工程院院士喻树迅介绍。``), else the last speaker of the paragraph before;
* 他/她 is the person opening a clause earlier in the sentence (its subject) when there is one,
  not the nearest person, who may be an object (``特朗普…为候选人坎普站台，他说``);
* ``放出“…”的狠话``: a quotation followed by 的 + a noun of speech belongs to the subject of its
  clause — the last person (or pronoun) opening a clause before it in the sentence, not a
  nearer object (``挑衅…徐志滨，…放出“…”的狠话`` stays with the subject);
* ``丁明说`` cut by jieba as ``丁 | 明说``: when the verb does not start its token (jieba glued
  characters of the name to it), or no mention stands before it, the name is read from the
  raw characters (a surname of ``surnames`` in ``speech_verbs.json`` and one or two more
  characters after a clause boundary: ``quotatives.zh_raw_name``).  The raw reading is used
  only at such a glued or empty place, never instead of a name the NER found.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .common import SpanSink
from .quotatives import Mention as _Mention
from .quotatives import standalone, zh_raw_name, zh_speech_noun
from .quotes import Paragraphs
from .speakers import Speaker

_CLAUSE_PUNCT = set("，,；;：:。！？!?\n")


class ChineseVoices:
    """Methods of ``MultilingualVoices`` used for Chinese text only."""

    def _standalone_quotes(self, doc: Doc, sink: SpanSink, quote_speaker: dict[int, Speaker]) -> None:
        """A paragraph that is only a quotation: the speaker opening the next paragraph with a
        reporting verb, else the last speaker of the paragraph before (quotatives.py)."""
        text = self.text
        paras = Paragraphs(text)
        for qi, q in enumerate(self.quotes):
            p = paras.index(q.open)
            if qi in quote_speaker or not standalone(text, q, paras.starts[p], paras.end(q.open)):
                continue
            nxt = paras.next_filled(p)
            found = [x for x in self.spoken if nxt >= 0 and paras.index(x[0]) == nxt and paras.at_start(x[0])]
            if not found and nxt >= 0:
                found = self._speaker_line(paras, nxt)
            if not found:
                prev = [k for k in range(p) if text[paras.starts[k]:paras.starts[k + 1]].strip()]
                found = [x for x in self.spoken if prev and paras.index(x[0]) == prev[-1]][-1:]
            if not found:
                continue
            _, sp, att = found[0]
            quote_speaker[qi] = sp
            s, e = self.qtok[qi][0]
            self.vs._emit(doc, sink, s, e, sp, att, "direct", q)

    def _zh_speech_nouns(self, doc: Doc, sink: SpanSink, quote_speaker: dict[int, Speaker]) -> None:
        """``“…”的狠话``: the subject of the clause said it (module docstring)."""
        nouns = self.block.get("speech_nouns", [])
        if not nouns:
            return
        for qi, q in enumerate(self.quotes):
            open_tok = self.qtok[qi][1]
            if qi in quote_speaker or open_tok is None or not zh_speech_noun(self.text, q, nouns):
                continue
            ss, _ = self.sents.bounds(open_tok)
            m = self._clause_subject(doc, ss, open_tok)
            sp = self._speaker(doc, m) if m is not None else None
            if sp is None:
                continue
            sp = self.vs.resolver.register(doc[m.start].idx, sp)
            quote_speaker[qi] = sp
            close_tok = self.qtok[qi][2]
            cue = doc[close_tok + 1:min(len(doc), close_tok + 3)]
            att = self._att(doc, cue, "speech_noun", m)
            self.spoken.append((doc[m.start].idx, sp, att))
            s, e = self.qtok[qi][0]
            self.vs._emit(doc, sink, s, e, sp, att, "direct", q, mention=(m.start, m.end))

    def _clause_subject(self, doc: Doc, a: int, b: int, opening_only: bool = False,
                        pronouns: bool = True) -> _Mention | None:
        """The last person (or pronoun) in doc[a:b] that opens a clause (sentence start or
        right after a comma), else, unless ``opening_only``, the nearest one."""
        cands = [m for m in self._in(a, b) if self._rank(m) == 0 and (pronouns or m.kind != "pronoun")]
        opening = [m for m in cands if m.start == a or doc[m.start - 1].text in _CLAUSE_PUNCT
                   or doc[m.start - 1].is_space]
        if opening:
            return opening[-1]
        return cands[-1] if cands and not opening_only else None

    def _zh_pronoun_subject(self, doc: Doc, i: int) -> _Mention | None:
        """他/她 at token ``i``: the person opening a clause earlier in its sentence (the
        subject: '特朗普到…为候选人坎普站台，他说' → 特朗普, not the nearer object 坎普)."""
        ss, _ = self.sents.bounds(i)
        return self._clause_subject(doc, ss, i, opening_only=True, pronouns=False)

    def _speaker_line(self, paras: Paragraphs, k: int) -> list:
        """Speakers of paragraph ``k`` when it is only a speaker and a cue
        ('中国工程院院士喻树迅介绍。' after a stand-alone quotation)."""
        end = paras.starts[k + 1] if k + 1 < len(paras.starts) else len(self.text)
        return [x for x in self.spoken if paras.index(x[0]) == k and
                not self.text[x[2].cue.end_char:end].strip(" \t\u3000\n。.")]

    def _zh_glued_name(self, doc: Doc, cue: Span, found: _Mention | None) -> _Mention | None:
        """The name read from raw characters before a verb jieba glued it to (module
        docstring); ``found`` is the mention the token rules found before the cue."""
        term = self._cue_term(cue)
        if term is None:
            return None
        verb_char, glued = term
        if not glued and found is not None:
            return None
        if found is not None and doc[found.end - 1].idx + len(doc[found.end - 1]) == verb_char:
            return None   # the NER's own name ends right at the verb
        span = zh_raw_name(self.text, verb_char, self.surnames)
        if span is None:
            return None
        first = doc.char_span(span[0], span[1], alignment_mode="expand")
        if first is None:
            return None
        if not glued and doc[first.start].idx != span[0]:
            return None
        end = first.start
        while end < len(doc) and doc[end].idx + len(doc[end]) <= verb_char:
            end += 1
        return _Mention(first.start, max(end, first.start + 1), "PER", surface=self.text[span[0]:span[1]])

    def _zh_glued_cues(self, doc: Doc) -> list[Span]:
        """Reporting verbs jieba glued to the end of a name (``丁 | 明说``): the term matcher
        aligns terms to whole tokens and misses them, so they are looked up in the raw text
        where ``zh_raw_name`` reads a name right before them."""
        text = self.text
        out: list[Span] = []
        seen: set[int] = set()
        for form in self.zh_verbs:
            at = text.find(form)
            while at >= 0:
                span = doc.char_span(at, at + len(form), alignment_mode="expand")
                if span is not None and len(span) == 1 and span.start not in seen and span.start_char < at \
                        and span.end_char == at + len(form) and self.vs._quote_at(at) is None \
                        and zh_raw_name(text, at, self.surnames) is not None:
                    seen.add(span.start)
                    out.append(Span(doc, span.start, span.end, label="V|" + self.vs.lex.forms[form]))
                at = text.find(form, at + 1)
        return out

    def _cue_term(self, cue: Span) -> tuple[int, bool] | None:
        """Where the reporting verb starts in the text, and whether jieba glued characters
        before it into its token (the verb does not start the cue's first token)."""
        first = cue[0]
        for form in self.zh_verbs:
            at = first.text.find(form)
            if at > 0 and at + len(form) == len(first.text):
                return first.idx + at, True
        return cue.start_char, False
