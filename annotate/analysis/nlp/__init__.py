"""FrameLens NLP: spaCy pipelines and the suggesters that propose codes on article spans.

Rule suggesters (spaCy components, configured by ``assets/lexicons/*.json``):

========== ====================== ================================================
suggester  codebook               labels
========== ====================== ================================================
actors     actors                 normalised actor names (data: country, kind)
voices     voices                 speaker names (data: affiliation, country, cue)
contested  viewpoint              Russian / Japanese / Chinese / US / Other
cues       policy_frames          the 15 Policy Frames names (sentence spans)
========== ====================== ================================================

plus the trainable ``learned`` sentence classifier (``train_learned``).  Everything returns
``Suggestion`` records with code-point offsets into the article text (end exclusive).
"""

from .actors import ActorCounts, actor_counts
from .common import CODEBOOKS, POLICY_FRAMES, VIEWPOINTS, Suggestion, assets_dir
from .learned import LearnedModel, train_learned
from .pipeline import (RULE_SUGGESTERS, LoadedPipeline, add_suggesters, clear_cache,
                       component_versions, doc_to_suggestions, get_pipeline, load_pipeline,
                       normalise_language, suggest)
from .voices import VoiceCounts, voices_by_outlet

__all__ = [
    "ActorCounts", "CODEBOOKS", "LearnedModel", "LoadedPipeline", "POLICY_FRAMES",
    "RULE_SUGGESTERS", "Suggestion", "VIEWPOINTS", "VoiceCounts", "actor_counts",
    "add_suggesters", "assets_dir", "clear_cache", "component_versions", "doc_to_suggestions",
    "get_pipeline", "load_pipeline", "normalise_language", "suggest", "train_learned",
    "voices_by_outlet",
]
