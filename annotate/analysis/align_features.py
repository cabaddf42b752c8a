"""Feature helpers for annotate/analysis/align (links.py): speaker attribution.

The English-only all-MiniLM-L6-v2 extra that used to live here is gone: the multilingual
sentence model (annotate/ops/embeddings.py) does its work on English pairs as well as it did
(2017 gold, as a vote on lexical evidence: MiniLM 0.67 / 0.67, e5 0.67 / 0.66, USE 0.71 / 0.62)
and also links across languages.

Speaker attribution: "James Brown, an associate professor at Temple University,
said ..." and "according to analysts" name the source of a claim, not the claim.
Two articles quoting the same commentator on different points share those
names, so the aligner leaves the attribution out of a sentence's evidence.
"""
from __future__ import annotations

# Lemmas of verbs that introduce reported speech or opinion.
REPORTING_VERBS = frozenset("""say tell add note explain stress claim believe think argue write
comment insist suggest conclude remark point emphasize emphasise state""".split())
_SPEAKER_POS = frozenset(("NOUN", "PROPN", "PRON"))


def attribution_spans(doc) -> list[tuple[int, int]]:
    """Character spans (end exclusive) of speakers in a parsed spaCy doc: the
    nominal subject of a reporting verb with its appositions and modifiers, and
    the object of "according to"."""
    spans = []
    for tok in doc:
        heads = ()
        if tok.dep_ == "nsubj" and tok.pos_ in _SPEAKER_POS \
                and tok.head.lemma_.lower() in REPORTING_VERBS:
            heads = (tok,)
        elif tok.lower_ == "according":
            heads = tuple(o for to in tok.children if to.lower_ == "to" for o in to.children)
        for head in heads:
            sub = list(head.subtree)
            spans.append((sub[0].idx, sub[-1].idx + len(sub[-1])))
    return spans
