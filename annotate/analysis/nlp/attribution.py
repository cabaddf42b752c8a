"""One attribution found in a text — the cue (a speech verb, "according to", a quotation
prefix), the speaker mention and the reported content — as the English voices suggester
(annotate/analysis/nlp/voices.py) and the Russian/Japanese/Chinese one (annotate/analysis/nlp/voices_ml.py) both
build it.  A module of its own so that neither of the two imports the other for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span


@dataclass
class _Att:
    pos: int
    cue: Span
    kind: str                    # cue kind: verb, prefix_after, prefix_poss
    mention: tuple[int, int]
    context: tuple[int, int] | None
    description: str
    content: tuple[int, int] | None = None
    quote: int | None = None
    intro: bool = False
    conj: list[tuple[int, int]] = field(default_factory=list)  # 'Japan and Russia stressed'
