"""Cross-article alignment of the sentences of one story.

Links between sentences (or short passages) of different articles reporting the
same thing (many-to-one allowed), sentences without counterpart (only_here),
and what most other articles report but one leaves out (omissions).  Offsets
are code points into the article text, end exclusive.

Method: typed TF-IDF (IDF over the story's passages) of content-word lemmas,
concepts (a small news thesaurus; "first ... since" reads as a resumption),
entities (Shoygu == Shoigu, U.S. == US == United States, demonyms/capitals ->
country, persons by surname) and numbers/dates ("March 18" == "18 March" ==
"Saturday, March 18").  Direct score: pivoted cosine cos * (|a||b| /
median_norm^2) ^ (1 - p) in [0, 1]; support through a third article: score =
(direct + L * max_k min(direct[i,k], direct[k,j])) / (1 + L).  A link needs
score >= threshold and >= relative x either passage's best against the other
article; passages under min_content content words never link.  Speakers (subject
of a reporting verb, "according to X"; annotate/analysis/align_features.py) are no
evidence.
On assets/gold/align_2017.json (spaCy): P 0.66, R 0.63 in-sample; threshold
tuned on two article pairs and tested on the third (leave-one-pair-out), pooled
P 0.65, R 0.63 (align-1.0 without the speaker rule: 0.64 / 0.65 and 0.63 / 0.62).
Tried without gain, same protocol: clause-level sub-passages, reciprocal
relative rule, dependency head-word pairs, background IDF from unrelated
articles, BM25 saturation, a logistic model over score/rank/length features.
Also tried without gain (2026-11-25, same protocol, best min(P, R) in brackets): a grid over
all block weights, norm power, second-order weight and relative rule with nested
leave-one-pair-out (0.65 in-sample, 0.64 / 0.61 nested); CSLS hubness correction (0.63);
smoothing with neighbouring sentences (0.65); WordNet 3.0 synsets of content lemmas (0.55);
IDF-weighted shared-feature mass (0.62); a gate on the number of shared features (0.65); the
spaCy model's contextual token vectors (no signal, AP 0.04); all-MiniLM-L6-v2 as a multiplicative
gate (0.67); BERTScore-style greedy matching of MiniLM token vectors with story IDF (AP 0.48
alone against 0.60 lexical; as a gate 0.67 / 0.66); agglomerative fact clusters and
completion of link components (0.65 / 0.66 at best).  The lexical evidence of these three articles tops out near 0.65.
Since no threshold gives both 0.7, ``STRICTNESS`` lets the user choose: strict reaches
precision 0.75 (recall 0.49).  On a second, independent gold that nothing was tuned on
(assets/gold/align_2017_independent.json): balanced 0.67 / 0.52, strict 0.76 / 0.41,
generous 0.58 / 0.55 (with MiniLM, balanced 0.68 / 0.55).
Rule-based path (no spaCy, rule_threshold) 0.55 / 0.42.  A control pair about different events
gets few links, all borderline.

align-2.0 (issue 15): a multilingual sentence model (annotate/ops/embeddings.py; version
"+use" or "+e5") and languages other than English.
* Same-language English pairs: the lexical score above, with the model's calibrated score as a
  vote (EMBED_GATE 0.3, EMBED_REF 0.5; the old MiniLM gate's form).  Order of work: gate constants
  and thresholds chosen on assets/gold/align_2017.json alone, then the independent gold scored
  once.  Gold A / gold B (balanced): lexical 0.66 / 0.63 and 0.67 / 0.52; +use 0.71 / 0.62 and
  0.71 / 0.51; +e5 0.62 / 0.67 (A).  strict +use 0.77 / 0.43 and 0.79 / 0.36.  The brief's
  0.8 / 0.8 is not met: the model alone ranks gold A's pairs at AP 0.31 (e5) / 0.31 (USE) against
  0.60 for the lexical score; the best mix of the two, any threshold, F1 0.65 (tests/test_align.py
  keeps a strict xfail).  Tried on gold A: linear mix and geometric mean of model and lexical
  scores (AP 0.66), the margin score of bitext mining (AP 0.34), mutual-best rules (P <= 0.41).
  Rounds 2-3 (bench/align_experiments/, gold A only, threshold and any weight chosen on two
  article pairs and tested on the third, pooled; shipped refit there: LOPO 0.66 / 0.62): USE and
  e5 (``query:``) together as the vote (0.68 / 0.63); clause-level model scores, max over the
  spaCy clauses of each side (alone AP 0.27; as vote 0.65 / 0.63); all three (0.70 / 0.63);
  logistic combiners over lexical, both models, clause-max, entity / number overlap, ranks and
  lengths (0.58-0.67 / 0.54-0.62; in-sample up to 0.76 / 0.75, i.e. overfitted); per-pair link
  budgets K = c x min(passages) (0.50 / 0.51); a union with high-model-score pairs (0.65 / 0.65);
  story-centred model vectors, mean and top principal components removed (alone AP 0.38; as vote
  0.68 / 0.65); lexical containment for facts inside long sentences (0.59-0.70 / 0.61-0.63);
  reported speech as counter-evidence (0.68 / 0.66); closed-triangle support (0.63 / 0.56).
  None gains more than 0.04 (three links) under LOPO, so none was kept and gold B was not scored
  again.  Error analysis: of gold A's 30 misses 18 are a fact inside a sentence holding several
  facts, and the false positives (same topic, different claim) score 0.15-0.25 where the misses
  score 0.04-0.15: even in-sample at its best threshold the shipped score gives P 0.35 at
  R >= 0.8 and R 0.42 at P >= 0.8 (bench/align_experiments/ceiling.py; a 21-feature logistic
  fitted on all of gold A: 0.54 / 0.62).  Gold A against gold B (two readers): P 1.00 R 0.81.
* Pairs across languages (or in a language without the English features): the calibrated model
  score, + XL_BONUS for a shared actor (assets/lexicons/actors.json aliases, any script) or
  number (digits, full-width folded), x penalty when both sides carry actors (numbers) and share
  none; the link rule asks for XL_RELATIVE of both passages' best.  Set on the dev document of each
  language in assets/gold/align_crosslingual_wmt22.json, then scored once on the two test
  documents each (USE): ru P 0.95 R 1.00, ja P 0.95 R 0.86, zh P 0.96 R 0.96; left-out segments
  as only-here: precision 0.75-1.0, recall 0.75-1.0 per document; e5 similar (ru 1.0 / 1.0).
  Choice: USE first (better on the dev documents: every dev figure 1.0 against e5's 0.67 minimum;
  ~10x faster; a py3-none-any wheel), e5 where USE does not load.
* Same kind of event, other people and figures (tests/test_align_crosslingual.py, an earthquake
  in Indonesia in Russian vs one in Chile in English): 2 links, both below the strict threshold.
* A second cross-lingual gold nothing was set on (assets/gold/align_crosslingual_wmt20.json,
  WMT20 newstest2020 via the VAT subset, 3 documents per language), scored once (USE): ru links P
  0.91 R 0.69, only-here P 0.56 R 1.00 (below the issue's 0.85 / 0.7: short segments of an
  interview get no link); ja 1.00 / 0.90, 0.75 / 1.00; zh 1.00 / 1.00, 1.00 / 0.88.
* Places (assets/lexicons/places.json, 130 countries, regions and cities in en/ru/ja/zh, written
  for the project; Russian names in any case through a crude stem): a third kind of evidence
  beside actors and numbers, XL_BONUS when shared, XL_PLACE_PENALTY when both passages name places
  and share none.  XL_PLACE_PENALTY 0.6: on the WMT22 dev documents every value from 0.5 to 1.0
  gives the same figures, so the actors' value.  Re-scored: WMT22 test and WMT20 figures unchanged
  with USE (e5: WMT20 ru one wrong link fewer).  On four real pairs of similar events in other
  places (assets/gold/align_places_pairs.json) 2 links remain as before, one above the strict
  threshold (a sentence naming a place against one naming none).  Tried and not kept: letting a
  passage without places take its article's places (pairs 2 -> 1 link, but WMT22 zh test +1 right
  +1 wrong and WMT20 ja +1 wrong link; designed after seeing the pairs).
* Without a model, articles in other languages get no links, no only-here and a note
  (``Alignment.notes``) saying why.

The package, by responsibility: ``model`` (the data types, tuned constants, strictness levels),
``sentences`` (the passages compared, sentence splitting of every language), ``lexical`` (English
features), ``crosslingual`` (actors, places and numbers in any script, the cross-language score),
``scoring`` (score matrices and the link rule), ``links`` (``align`` and its steps), ``report``
(the evidence line, the JSON).  Every name is importable from ``annotate.align``.
"""
from __future__ import annotations

from .crosslingual import _actor_index, _cross_features, actors_path
from .lexical import _claims, _entity_keys, _number_features
from .links import align, align_docs, align_passages
from .model import (ALIGN_VERSION, DEFAULT_PARAMS, DEFAULT_STRICTNESS, EMBED_GATE, EMBED_REF,
                    LEXICAL_LANGUAGES, STRICTNESS, XL_BONUS, XL_CUT, XL_NAME_PENALTY,
                    XL_NUMBER_PENALTY, XL_RELATIVE, XL_SCALE, AlignArticle, Alignment, AlignParams,
                    Link, Omission, Sentence, params_for)
from .report import alignment_to_json, evidence_summary
from .scoring import semantic_scores
from .sentences import article_spans, split_sentences

__all__ = [
    "ALIGN_VERSION", "DEFAULT_PARAMS", "DEFAULT_STRICTNESS", "EMBED_GATE", "EMBED_REF",
    "LEXICAL_LANGUAGES", "STRICTNESS", "XL_BONUS", "XL_CUT", "XL_NAME_PENALTY",
    "XL_NUMBER_PENALTY", "XL_RELATIVE", "XL_SCALE", "AlignArticle", "AlignParams", "Alignment",
    "Link", "Omission", "Sentence", "actors_path", "align", "align_docs", "align_passages",
    "alignment_to_json", "article_spans", "evidence_summary", "params_for", "semantic_scores",
    "split_sentences",
]
