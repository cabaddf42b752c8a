"""Frame-cue suggester (codebook "policy_frames"): proposes whole sentences for each of the
15 Policy Frames whose cue words they contain (``assets/lexicons/frame_cues.json``).

One PhraseMatcher pass (attr LOWER) over the doc finds every cue of every frame; matches are
bucketed by sentence with a bisect over the sentence starts, so the work is linear in the
doc.  Within a frame, a cue inside a longer cue counts once ('missile' in 'missile
defense').  Score of a (sentence, frame) pair::

    score = 1 - exp(-weight / (1 + tokens / length_norm))

where ``weight`` sums the cues (words 1.0, phrases 1.5, weak cues 0.5) and ``tokens`` is
the sentence length; pairs below ``min_score`` are dropped.  English cue words are lemmas
whose regular inflections are generated, so the component needs no lemmatizer and runs the
same in a blank pipeline (with a sentencizer).  Russian, Japanese and Chinese cues go through
:class:`.common.TermMatcher`: Russian cue words match every inflection through their normal
forms, Chinese and Japanese cues match inside any word segmentation.
"""

from __future__ import annotations

import math

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .common import (POLICY_FRAMES, SentIndex, SpanSink, TermMatcher, component_version,
                     has_annotation, inflections, lexicon_path, load_lexicon, pipeline_language, trim)

CODE_VERSION = "cues-1.0"
_CLASSES = (("words", 1.0), ("phrases", 1.5), ("weak", 0.5))


class CueSuggester:
    """spaCy component ``framelens_cues``: writes ``doc.spans["fl_cues"]``."""

    suggester = "cues"

    def __init__(self, nlp: Language, lexicon: str | None, min_score: float,
                 length_norm: float, max_cues_in_rationale: int) -> None:
        data, digest = load_lexicon(lexicon_path("frame_cues.json", lexicon))
        self.version = component_version(CODE_VERSION, digest)
        self.min_score = min_score
        self.length_norm = max(1.0, length_norm)
        self.max_cues = max_cues_in_rationale
        lang = pipeline_language(nlp)
        frames = data.get("frames", {})
        unknown = set(frames) - set(POLICY_FRAMES)
        if unknown:
            raise ValueError(f"frame_cues.json: not Policy Frames names: {sorted(unknown)}")
        self.frames: list[str] = []
        self.key_info: dict[str, tuple[int, float]] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.terms_ml = TermMatcher(nlp, lang) if lang != "en" else None
        for frame in POLICY_FRAMES:
            block = (frames.get(frame) or {}).get(lang)
            if not block:
                continue
            fi = len(self.frames)
            self.frames.append(frame)
            for cls, weight in _CLASSES:
                items = [w.lower() for w in block.get(cls, []) if w]
                if not items:
                    continue
                if cls != "phrases" and lang == "en":
                    items = [f for w in items for f in (inflections(w) if " " not in w else {w})]
                key = f"{fi}|{cls}"
                self.key_info[key] = (fi, weight)
                if self.terms_ml is not None:
                    self.terms_ml.add(key, items)
                else:
                    self.matcher.add(key, list(nlp.tokenizer.pipe(sorted(set(items)))))

    @staticmethod
    def _in_long_org(doc: Doc, i: int) -> bool:
        s = i
        while s > 0 and doc[s].ent_iob_ == "I":
            s -= 1
        e = i + 1
        while e < len(doc) and doc[e].ent_iob_ == "I":
            e += 1
        return e - s >= 3

    def __call__(self, doc: Doc) -> Doc:
        sink = SpanSink(doc, self.suggester)
        if not self.frames or not len(doc):
            sink.close()
            return doc
        strings = doc.vocab.strings
        by_frame: dict[int, list[tuple[int, int, float]]] = {}
        named = has_annotation(doc, "ENT_IOB")
        matches = self.terms_ml(doc) if self.terms_ml is not None else \
            [(strings[mid], s, e) for mid, s, e in self.matcher(doc)]
        for key, s, e in matches:
            fi, weight = self.key_info[key]
            if named and weight <= 1.0 and doc[s].ent_type_ == "ORG" and self._in_long_org(doc, s):
                continue  # 'Security' in 'Research Institute for Peace and Security'
            by_frame.setdefault(fi, []).append((s, e, weight))
        sents = SentIndex(doc)
        buckets: dict[tuple[int, int], list] = {}
        for fi, matches in by_frame.items():
            matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
            last_end = -1
            for s, e, weight in matches:
                if s < last_end:
                    continue
                last_end = e
                k = sents.index(s)
                entry = buckets.setdefault((k, fi), [0.0, []])
                entry[0] += weight
                entry[1].append((s, e))
        for (k, fi), (weight, cues) in sorted(buckets.items()):
            start, end = trim(doc, sents.starts[k], sents.ends[k])
            if end <= start:
                continue
            n_tokens = end - start
            score = 1.0 - math.exp(-weight / (1.0 + n_tokens / self.length_norm))
            if score < self.min_score:
                continue
            words = []
            for s, e in cues:
                w = doc[s:e].text
                if w not in words:
                    words.append(w)
            shown = ", ".join(words[: self.max_cues]) + (" …" if len(words) > self.max_cues else "")
            frame = self.frames[fi]
            sink.add(start, end, frame, score,
                     f"{frame} cues: {shown} (weight {weight:g} in {n_tokens} tokens)",
                     {"cues": words, "weight": weight, "tokens": n_tokens})
        sink.close()
        return doc


@Language.factory(
    "framelens_cues",
    default_config={"lexicon": None, "min_score": 0.25, "length_norm": 25.0,
                    "max_cues_in_rationale": 8},
)
def make_cues(nlp: Language, name: str, lexicon: str | None, min_score: float,
              length_norm: float, max_cues_in_rationale: int) -> CueSuggester:
    return CueSuggester(nlp, lexicon, min_score, length_norm, max_cues_in_rationale)
