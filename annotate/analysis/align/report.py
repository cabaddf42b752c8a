"""Alignment results for people and programs: a link's evidence in a line, the JSON of
``framelens align`` (also what the project caches per story)."""
from __future__ import annotations

from .model import Alignment

def evidence_summary(evidence: dict, most: int = 6) -> str:
    """Why two passages are linked, in a line: the sentence model's similarity (when the
    alignment had one), the shared names, dates and numbers, words and synonym groups of a link's
    evidence, a few of each."""
    sem = evidence.get("semantic")
    parts = [f"similarity {sem:.2f}"] if isinstance(sem, (int, float)) else []
    for key, label in (("entities", "names"), ("numbers", "dates/numbers"), ("lemmas", "words"),
                       ("synonyms", "synonyms")):
        items = [str(x).replace("_", " ") for x in evidence.get(key, [])]
        if items:
            more = f" +{len(items) - most}" if len(items) > most else ""
            parts.append(f"{label} {', '.join(items[:most])}{more}")
    return " · ".join(parts) if len(parts) > (sem is not None) else (
        " · ".join(parts + ["no shared words"]) if parts else "no shared words")


def alignment_to_json(alignment: Alignment) -> dict:
    """JSON for ``framelens align``: links (article ids, offsets of both passages,
    score, evidence); per article its only-here passages with text, omissions, and the passages
    too short to compare (no link, too few words to call them only-here)."""
    span = lambda art, s, e: {"article": art, "start": s, "end": e}   # noqa: E731
    out = {"version": alignment.version, "notes": list(alignment.notes), "articles": [], "links": [
        {"a": span(l.a_article, l.a_start, l.a_end), "b": span(l.b_article, l.b_start, l.b_end),
         "score": l.score, "evidence": l.evidence} for l in alignment.links]}
    for a, sents in alignment.sentences.items():
        text = {(s.start, s.end): s.text for s in sents}
        out["articles"].append({
            "article": a, "sentences": len(sents),
            "only_here": [{"start": s, "end": e, "text": text[(s, e)]}
                          for s, e in alignment.only_here.get(a, [])],
            "omissions": [{"text": o.text, "sources": [span(*x) for x in o.sources]}
                          for o in alignment.omissions.get(a, [])],
            "too_short": [{"start": s, "end": e, "text": text[(s, e)]}
                          for s, e in getattr(alignment, "too_short", {}).get(a, [])]})
    return out
