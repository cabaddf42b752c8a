"""Voices suggester (codebook "voices"): who is quoted or paraphrased, and where.

Per doc, linear in its length:

1. quotations are found by one scan over the quotation marks (``quotes.find_quotes``);
2. speech cues ('said', 'stressed', 'told', 'according to', 'in his opinion', 'expressed the
   opinion that', ...) are found by one PhraseMatcher pass; cues inside quotations are part
   of what is quoted and are skipped;
3. each cue gets its speaker mention — the verb's ``nsubj`` in the dependency parse
   ('…,” Brown said', '“…,” said Dmitry Streltsov, a professor at …'), or, without a parser,
   the words next to the cue — an appositive description, and its content: the quotation
   just before the cue (only punctuation and the speaker in between) or just after it
   ('said: “…”'), else the reported clause (the verb's ``ccomp``, or the rest of the
   sentence);
4. mentions are resolved in text order with a per-article registry of named speakers
   (``speakers.SpeakerResolver``), so 'he', 'the expert', 'the analyst', 'Former US
   Diplomat', 'Russian Foreign Minister' resolve to the most salient matching speaker;
5. quotations left without a cue take the speaker of another quotation in the same
   paragraph ('“…,” he said. “…”'); short unattributed quotes (scare quotes) are ignored.

Each proposal spans the quoted words (or the reported clause) and is labelled with the
speaker's normalised name; data: speaker, affiliation, country, cue, mention, quote, kind.

Russian, Japanese and Chinese articles are attributed by :mod:`.voices_ml` (by position
around the reporting cue, with the language's quotation marks and cue phrases).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .attribution import _Att
from .actors import _field, build_term_matcher, get_actor_table, get_gazetteer, iter_articles
from .common import (SentIndex, SpanSink, TermMatcher, component_version, has_annotation,
                     lexicon_path, load_lexicon, pipeline_language, trim)
from .multilingual import country_cues
from .quotes import Paragraphs, Quote, find_quotes
from .speakers import Speaker, SpeakerResolver, VoiceLexicon, clean_description

CODE_VERSION = "voices-1.0"
_NAME_DEPS = {"compound", "amod", "det", "poss", "nmod", "nummod", "quantmod", "flat", "case"}
_SENT_END = {".", "!", "?", "…", "。", "！", "？"}
_DETERMINERS = {"a", "an", "the", "no", "his", "her", "its", "their", "our", "this", "that", "any"}
_COMMAS = {",", "，", "、", ":", "："}
_DASHES = {"—", "–", "-", ","}
_MARKS = {"“", "”", '"', "«", "»", "„", "「", "」", "『", "』"}
_FACTORS = (("alias", 1.0), ("name", 1.0), ("named", 1.0), ("role", 0.95), ("surname", 0.95),
            ("collective", 0.9), ("anonymous", 0.9), ("organisation", 0.85), ("capital", 0.8),
            ("coreference", 0.85), ("inherited", 0.85))


class VoiceSuggester:
    """spaCy component ``framelens_voices``: writes ``doc.spans["fl_voices"]``."""

    suggester = "voices"

    def __init__(self, nlp: Language, lexicon: str | None, actors: str | None, gazetteer: str | None,
                 min_quote_words: int, min_reported_tokens: int) -> None:
        data, digest = load_lexicon(lexicon_path("speech_verbs.json", lexicon))
        self.lang = pipeline_language(nlp)
        self.lex = VoiceLexicon(data.get(self.lang) or {})
        table, gaz = get_actor_table(actors), get_gazetteer(gazetteer)
        self.resolver = SpeakerResolver(self.lex, table, gaz)
        self.version = component_version(CODE_VERSION, digest, table.hash, gaz.hash)
        self.min_quote_words = min_quote_words
        self.min_reported = min_reported_tokens
        self._text = ""
        self._q: list[Quote] = []
        self._qstarts: list[int] = []
        self._qcloses: list[int] = []
        self.ml = None
        if self.lang != "en":
            from .voices_ml import MultilingualVoices
            self.terms = TermMatcher(nlp, self.lang, align="strict")
            by_key: dict[str, list[str]] = {}
            for form, lemma in self.lex.forms.items():
                by_key.setdefault("V|" + lemma, []).append(form)
            for text, kind in self.lex.phrases:
                by_key.setdefault("P|" + kind, []).append(text)
            for key, forms in by_key.items():
                self.terms.add(key, forms)
            self.aliases = build_term_matcher(nlp, table, self.lang)
            self.cues = country_cues(gazetteer)
            self.ml = MultilingualVoices(self, self.lang)
            return
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        by_lemma: dict[str, list[str]] = {}
        for form, lemma in self.lex.forms.items():
            by_lemma.setdefault(lemma, []).append(form)
        for lemma, forms in by_lemma.items():
            self.matcher.add("V|" + lemma, list(nlp.tokenizer.pipe(sorted(forms))))
        by_kind: dict[str, list[str]] = {}
        for text, kind in self.lex.phrases:
            by_kind.setdefault(kind, []).append(text)
        for kind, texts in by_kind.items():
            self.matcher.add("P|" + kind, list(nlp.tokenizer.pipe(texts)))

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> Doc:
        sink = SpanSink(doc, self.suggester)
        text = self._text = doc.text
        if self.ml is not None:
            self.ml(doc, sink)
            sink.close()
            return doc
        parsed = has_annotation(doc, "DEP")
        tagged = has_annotation(doc, "POS") or has_annotation(doc, "TAG")
        quotes = find_quotes(text, self.lex.quote_pairs)
        self._q = quotes
        self._qstarts = [q.start for q in quotes]
        self._qcloses = [q.close for q in quotes]
        qtok = [self._quote_tokens(doc, q) for q in quotes]
        cues = self._cues(doc, parsed, tagged)
        if not cues and not quotes:
            sink.close()
            return doc
        sents = SentIndex(doc)
        self.resolver.reset(text)
        atts: list[_Att] = []
        for cue in cues:
            att = self._attribute(doc, cue, parsed, sents, qtok)
            if att is not None:
                atts.append(att)
        if parsed or has_annotation(doc, "ENT_IOB"):
            atts.extend(self._introductions(doc, sents))
        atts.sort(key=lambda a: (a.pos, a.intro is False))
        quote_speaker: dict[int, Speaker] = {}
        for att in atts:
            claimed = att.quote is not None and att.quote in quote_speaker
            for k, (ms, me) in enumerate([att.mention, *att.conj]):
                sp = self.resolver.resolve(doc, ms, me, att.pos if k == 0 else doc[ms].idx,
                                           context=att.context if k == 0 else None,
                                           description=att.description if k == 0 else "")
                if sp is None:
                    continue
                if att.kind == "verb" and att.cue.label_[2:] in self.lex.restricted and not (
                        sp.kind in ("person", "generic") or sp.resolved_by.startswith("collective")):
                    continue
                sp = self.resolver.register(att.pos, sp)
                if att.intro or claimed:
                    continue
                if att.quote is not None:
                    quote_speaker.setdefault(att.quote, sp)
                    s, e = qtok[att.quote][0]
                    self._emit(doc, sink, s, e, sp, att, "direct", quotes[att.quote], mention=(ms, me))
                elif att.content is not None:
                    self._emit(doc, sink, att.content[0], att.content[1], sp, att, "reported", None,
                               mention=(ms, me))
        self._inherit(doc, sink, quotes, qtok, quote_speaker)
        sink.close()
        return doc

    # ------------------------------------------------------------------ cues
    def _cues(self, doc: Doc, parsed: bool, tagged: bool) -> list[Span]:
        strings = doc.vocab.strings
        found = []
        for mid, s, e in self.matcher(doc):
            key = strings[mid]
            if self._quote_at(doc[s].idx) is not None:
                continue
            tok = doc[s]
            if key.startswith("V|") or key == "P|verb":
                if tagged and tok.pos_ not in ("VERB", "AUX"):
                    continue
                if not tagged and self._noun_like(doc, tok):
                    continue
                if parsed and (tok.dep_ in ("amod", "compound") or
                               any(c.dep_ == "auxpass" for c in tok.children)):
                    continue
            found.append(Span(doc, s, e, label=key))
        return sorted(filter_spans(found), key=lambda sp: sp.start)

    def _noun_like(self, doc: Doc, tok) -> bool:
        """Without a tagger: 'states', 'no comment', 'Moscow State', 'concluding' are not cues."""
        if tok.lower_ in self.lex.noun_like or tok.lower_.endswith("ing"):
            return True
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and prev.lower_ in _DETERMINERS:
            return True
        return tok.text[:1].isupper() and prev is not None and not prev.is_punct and not prev.is_space

    def _quote_at(self, char: int) -> int | None:
        k = bisect_right(self._qstarts, char) - 1
        if k >= 0 and char < self._q[k].end:
            return k
        return None

    @staticmethod
    def _quote_tokens(doc: Doc, q: Quote) -> tuple[tuple[int, int], int | None, int | None]:
        content = doc.char_span(q.start, q.end, alignment_mode="expand")
        rng = (content.start, content.end) if content is not None else (0, 0)
        om = doc.char_span(q.open, q.open + 1, alignment_mode="expand") if q.open_mark else None
        cm = doc.char_span(q.close, q.close + 1, alignment_mode="expand") if q.close_mark else None
        return rng, (om.start if om is not None else None), (cm.start if cm is not None else None)

    # ------------------------------------------------------------------ attribution
    def _attribute(self, doc: Doc, cue: Span, parsed: bool, sents: SentIndex, qtok) -> _Att | None:
        kind = "verb" if cue.label_.startswith("V|") else cue.label_[2:]
        ss, se = trim(doc, *sents.bounds(cue.start))
        if kind == "verb":
            return self._verb(doc, cue, parsed, ss, se, qtok)
        if kind == "prefix_poss":
            m = next((t.i for t in cue if t.lower_ in self.lex.pronouns or t.lower_ in self.lex.plural_pronouns), None)
            if m is None:
                return None
            mention, after = (m, m + 1), cue.end
        else:
            j = cue.end
            while j < se and j - cue.end < 12 and doc[j].text not in (",", ";", ":") and \
                    doc[j].text not in _SENT_END and doc[j].text not in _MARKS:
                j += 1
            if j == cue.end:
                return None
            mention, after = (cue.end, j), j
        if cue.start - ss <= 3:
            a, b = after, se
        else:
            a, b = ss, cue.start
        a, b = self._clean_content(doc, a, b)
        if b - a < self.min_reported:
            return None
        return _Att(doc[mention[0]].idx, cue, kind, mention, None, "", content=(a, b))

    def _verb(self, doc: Doc, cue: Span, parsed: bool, ss: int, se: int, qtok) -> _Att | None:
        v = doc[cue.start]
        ms = me = None
        subj = None
        context = None
        inverted = False
        if parsed:
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            if subj is None and v.dep_ in ("conj", "xcomp"):
                subj = next((c for c in v.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and (subj.pos_ != "PRON" or subj.lower_ in self.lex.pronouns
                                     or subj.lower_ in self.lex.plural_pronouns):
                ms, me = subj.i, subj.i + 1
                for c in subj.lefts:
                    if c.dep_ in _NAME_DEPS:
                        ms = min(ms, c.left_edge.i)
                context = (subj.left_edge.i, subj.right_edge.i + 1)
                inverted = subj.i > v.i
        if ms is None:
            if parsed:
                return None  # the parse found no speaker ('concluding a treaty', 'so-called')
            guess = self._guess_subject(doc, cue, ss, se)
            if guess is None:
                return None
            ms, me, inverted = guess
        description = ""
        if me < len(doc) and doc[me].text == ",":
            stop = cue.start if not inverted else self._stop(doc, me + 1, se)
            if stop > me + 1:
                description = clean_description(doc[me + 1:stop].text)[:300]
        att = _Att(doc[ms].idx, cue, "verb", (ms, me), context, description)
        if parsed and subj is not None:
            for c in subj.conjuncts:
                if c.i > subj.i and c.pos_ in ("PROPN", "NOUN"):
                    cs = min([c.i] + [x.left_edge.i for x in c.lefts if x.dep_ in _NAME_DEPS])
                    att.conj.append((cs, c.i + 1))
        qi = self._trailing_quote(doc, cue, ms, me, inverted, qtok)
        if qi is None:
            qi = self._leading_quote(doc, cue, ms, me, qtok)
        if qi is not None:
            att.quote = qi
            return att
        if parsed:
            comp = next((c for c in v.children if c.dep_ == "ccomp"), None)
            if comp is None and cue.label_ == "P|verb":
                a, b = cue.end, max(cue.end, v.right_edge.i + 1)
            elif comp is not None:
                a, b = comp.left_edge.i, comp.right_edge.i + 1
            else:
                a, b = cue.end, max(cue.end, v.right_edge.i + 1)
                if inverted and a <= ms:
                    a = me
            a, b = max(a, ss), min(b, se)
        elif inverted or cue.end >= se - 2:
            a, b = ss, ms if not inverted else cue.start
        else:
            a, b = cue.end, se
        a, b = self._clean_content(doc, a, b)
        if b - a < self.min_reported:
            return None
        att.content = (a, b)
        return att

    def _stop(self, doc: Doc, i: int, se: int) -> int:
        j = i
        while j < se and doc[j].text not in _MARKS:
            j += 1
        return j

    def _guess_subject(self, doc: Doc, cue: Span, ss: int, se: int):
        """Speaker mention without a parse: after the verb ('…,” said X') or before it."""
        prev = cue.start - 1
        nxt = cue.end
        while prev > ss and doc[prev].text in _DASHES:
            prev -= 1
        if prev >= ss and (doc[prev].text in _MARKS or doc[prev].text in _COMMAS) and nxt < se and \
                (doc[nxt].text[:1].isupper() or doc[nxt].lower_ in ("the", "a", "an")):
            j = nxt
            while j < se and j - nxt < 8 and not doc[j].is_punct and \
                    (doc[j].text[:1].isupper() or doc[j].lower_ in ("the", "a", "an")):
                j += 1
            return nxt, j, True
        j = cue.start - 1
        while j >= ss and (doc[j].lower_ in self.lex.openers or doc[j].is_space):
            j -= 1
        if j < ss:
            return None
        if doc[j].text == ",":
            k = ss
            while k < j:
                seg_end = k
                while seg_end < j and doc[seg_end].text != ",":
                    seg_end += 1
                seg = doc[k:seg_end].text.lower()
                if seg and seg not in self.lex.openers and doc[k].text[:1].isupper() and \
                        not doc[k].lower_ in ("in", "commenting", "as", "for"):
                    return k, seg_end, False
                k = seg_end + 1
            return None
        end = j + 1
        i = j
        while i >= ss and not doc[i].is_punct and end - i <= 6 and doc[i].text not in _MARKS:
            i -= 1
        return (i + 1, end, False) if end > i + 1 else None

    def _between_ok(self, doc: Doc, a: int, b: int, ms: int, me: int, limit: int,
                    extra: tuple[str, ...] = ()) -> bool:
        if b - a > limit:
            return False
        for i in range(a, b):
            t = doc[i]
            if ms <= i < me or t.is_space or t.lower_ in extra:
                continue
            if t.is_punct and t.text not in _SENT_END and t.text not in _MARKS:
                continue
            if t.pos_ == "ADV" or t.lower_ in self.lex.openers:
                continue
            return False
        return True

    def _trailing_quote(self, doc: Doc, cue: Span, ms: int, me: int, inverted: bool, qtok) -> int | None:
        cue_char = doc[cue.start].idx
        k = bisect_right(self._qcloses, cue_char) - 1
        if k < 0:
            return None
        q = self._q[k]
        close_tok = qtok[k][2]
        if close_tok is None or "\n" in self._text[q.close:cue_char]:
            return None
        lo = close_tok + 1
        if not self._between_ok(doc, lo, cue.start, ms, me, 12):
            return None
        return k

    def _leading_quote(self, doc: Doc, cue: Span, ms: int, me: int, qtok) -> int | None:
        end_char = doc[cue.end - 1].idx + len(doc[cue.end - 1])
        k = bisect_right(self._qstarts, end_char)
        if k >= len(self._q) or not self._q[k].open_mark:
            return None
        q = self._q[k]
        gap = self._text[end_char:q.open]
        if "\n" in gap and not gap.strip().endswith(":"):
            return None
        open_tok = qtok[k][1]
        if open_tok is None or not any(ch in gap for ch in ":,：，") and "that" not in gap:
            return None
        if not self._between_ok(doc, cue.end, open_tok, ms, me, 8, ("that",)):
            return None
        return k

    def _clean_content(self, doc: Doc, a: int, b: int) -> tuple[int, int]:
        a, b = trim(doc, a, b)
        while a < b and (doc[a].lower_ == "that" or doc[a].is_punct or doc[a].is_space):
            a += 1
        while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
            b -= 1
        return a, b

    def _introductions(self, doc: Doc, sents: SentIndex) -> list[_Att]:
        """'Name, <description with a role word>' registers a named speaker for later 'he'."""
        out = []
        for ent in doc.ents:
            if ent.label_ != "PERSON" or ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
                continue
            window = doc[ent.end + 1: min(len(doc), ent.end + 7)]
            if not any(t.lower_ in self.lex.descriptors or t.lower_ in self.lex.titles for t in window):
                continue
            if any(t.ent_type_ == "PERSON" for t in window[:2]):
                continue
            ss, se = sents.bounds(ent.start)
            stop = self._stop(doc, ent.end + 1, se)
            desc = clean_description(doc[ent.end + 1:stop].text)[:300]
            out.append(_Att(ent.start_char, ent, "intro", (ent.start, ent.end), None, desc, intro=True))
        return out

    # ------------------------------------------------------------------ output
    def _emit(self, doc: Doc, sink: SpanSink, s: int, e: int, sp: Speaker, att: _Att | None,
              kind: str, quote: Quote | None, inherited_from: str = "",
              mention: tuple[int, int] | None = None) -> None:
        s, e = trim(doc, s, e)
        if e <= s:
            return
        how = sp.resolved_by or "name"
        factor = next((f for key, f in _FACTORS if how.startswith(key)), 0.85)
        if inherited_from:
            factor = 0.85
        score = (0.9 if kind == "direct" else 0.75) * factor
        cue_text = att.cue.text if att is not None else ""
        if mention is None and att is not None:
            mention = att.mention
        mention = doc[mention[0]:mention[1]].text if mention is not None else ""
        where = ", ".join(x for x in (sp.affiliation or "", sp.country or "") if x)
        if inherited_from:
            why = f"unattributed quote in the same paragraph as a quote by {sp.name}"
        else:
            why = f"{kind} speech; ‘{mention} … {cue_text}’ → {sp.name} ({how})"
        sink.add(s, e, sp.name, score, why + (f" [{where}]" if where else ""),
                 {"speaker": sp.name, "affiliation": sp.affiliation, "country": sp.country,
                  "speaker_kind": sp.kind, "cue": cue_text, "mention": mention, "kind": kind,
                  "quote": [quote.start, quote.end] if quote is not None else None,
                  "resolved_by": "inherited" if inherited_from else how})

    def _inherit(self, doc: Doc, sink: SpanSink, quotes: list[Quote], qtok, quote_speaker) -> None:
        if not quotes:
            return
        paras = Paragraphs(self._text)
        by_para: dict[int, list[tuple[int, Speaker]]] = {}
        for qi, sp in quote_speaker.items():
            q = quotes[qi]
            for p in range(paras.index(q.start), paras.index(q.end) + 1):
                by_para.setdefault(p, []).append((qi, sp))
        for qi, q in enumerate(quotes):
            if qi in quote_speaker or q.words(self._text) < self.min_quote_words or not q.speech_like(self._text):
                continue
            cands = [c for p in range(paras.index(q.start), paras.index(q.end) + 1) for c in by_para.get(p, [])]
            if not cands:
                continue
            before = [c for c in cands if c[0] < qi]
            src_qi, sp = max(before) if before else min(cands)
            s, e = qtok[qi][0]
            self._emit(doc, sink, s, e, sp, None, "direct", q, inherited_from=str(src_qi))


@Language.factory(
    "framelens_voices",
    default_config={"lexicon": None, "actors": None, "gazetteer": None,
                    "min_quote_words": 3, "min_reported_tokens": 3},
)
def make_voices(nlp: Language, name: str, lexicon: str | None, actors: str | None,
                gazetteer: str | None, min_quote_words: int, min_reported_tokens: int) -> VoiceSuggester:
    return VoiceSuggester(nlp, lexicon, actors, gazetteer, min_quote_words, min_reported_tokens)


# --------------------------------------------------------------------------- aggregation

@dataclass
class VoiceCounts:
    """Who is heard: voice spans per speaker and per speaker country, by outlet and article."""

    by_outlet: dict[str, Counter] = field(default_factory=dict)
    countries_by_outlet: dict[str, Counter] = field(default_factory=dict)
    kinds_by_outlet: dict[str, Counter] = field(default_factory=dict)
    by_article: dict[int, Counter] = field(default_factory=dict)
    speakers: dict[str, dict] = field(default_factory=dict)


def voices_by_outlet(suggestions_by_article, article_outlet: Mapping[int, str], *,
                     min_score: float = 0.0) -> VoiceCounts:
    """Aggregate "voices" suggestions (``{article_id: [...]}`` or ``suggest()`` output)."""
    out = VoiceCounts()
    for article_id, suggestions in iter_articles(suggestions_by_article):
        outlet = article_outlet.get(article_id, "?")
        per = out.by_article.setdefault(article_id, Counter())
        for s in suggestions:
            if _field(s, "suggester") != "voices" or float(_field(s, "score", 0.0)) < min_score:
                continue
            data = _field(s, "data") or {}
            label = _field(s, "label")
            per[label] += 1
            out.by_outlet.setdefault(outlet, Counter())[label] += 1
            out.countries_by_outlet.setdefault(outlet, Counter())[data.get("country") or "?"] += 1
            out.kinds_by_outlet.setdefault(outlet, Counter())[data.get("kind") or "?"] += 1
            out.speakers.setdefault(label, {"country": data.get("country"),
                                            "affiliation": data.get("affiliation")})
    return out
