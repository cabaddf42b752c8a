"""Learned suggester: a sentence-level multi-label text classifier trained in-process on the
coders' own decisions.

``train_learned`` takes plain data — positive examples ``(sentence, {labels})`` (a coded
sentence: its labels are on, the codebook's other labels off) and negatives ``(sentence,
label)`` (a rejected suggestion: only that label is known to be off; the others stay
unknown, which ``textcat_multilabel`` treats as missing) — and trains a blank-pipeline
``textcat_multilabel`` with a bag-of-words architecture (unigrams + bigrams), which takes
seconds on a CPU.  20 % of the sentences are held out to report precision and recall per
label; the returned model is then refitted on all of them.

``LearnedModel.version`` is a hash of the training data and settings, so suggestions made
by different models are told apart; ``to_bytes``/``from_bytes`` let the glue store it in
the project.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import asdict, dataclass
from typing import Iterable, Iterator, Sequence

import spacy
import srsly
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from .common import POLICY_FRAMES, Suggestion

CODE_VERSION = "learned-1.0"
FORMAT = 1
BOW_MODEL = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": False,
    "ngram_size": 2,
    "no_output_layer": False,
    "length": 262144,
    "nO": None,
}


@dataclass
class LabelMetrics:
    precision: float | None
    recall: float | None
    f1: float | None
    support: int      # held-out sentences where the label is on
    tp: int
    fp: int
    fn: int


def _build_nlp(labels: Sequence[str], lang: str = "en") -> Language:
    nlp = spacy.blank(lang)
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": BOW_MODEL, "threshold": 0.5})
    for label in labels:
        textcat.add_label(label)
    return nlp


def _merge(examples, negatives, labels: Sequence[str]) -> list[tuple[str, dict[str, float]]]:
    """One item per distinct sentence; explicit positives win over rejections."""
    data: dict[str, dict[str, float]] = {}
    for text, labs in examples:
        labs = {labs} if isinstance(labs, str) else set(labs)
        cats = data.setdefault(text, {})
        for label in labels:
            if label in labs:
                cats[label] = 1.0
            else:
                cats.setdefault(label, 0.0)
    for text, label in negatives:
        if label not in labels:
            continue
        cats = data.setdefault(text, {})
        if cats.get(label) != 1.0:
            cats[label] = 0.0
    return [(t, c) for t, c in data.items() if c]


def _fit(items, labels, *, n_iter: int, seed: int, lang: str, dropout: float) -> Language:
    fix_random_seed(seed)
    nlp = _build_nlp(labels, lang)
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": dict(c)}) for t, c in items]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    order = list(examples)
    for _ in range(max(1, n_iter)):
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for batch in minibatch(order, size=8):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
    return nlp


def _evaluate(nlp: Language, items, labels, threshold: float) -> dict[str, LabelMetrics]:
    counts = {label: [0, 0, 0, 0] for label in labels}  # tp, fp, fn, support
    for doc, (_, cats) in zip(nlp.pipe([t for t, _ in items]), items):
        for label, gold in cats.items():
            pred = doc.cats.get(label, 0.0) >= threshold
            c = counts[label]
            if gold >= 0.5:
                c[3] += 1
                c[0 if pred else 2] += 1
            elif pred:
                c[1] += 1
    out = {}
    for label, (tp, fp, fn, support) in counts.items():
        p = tp / (tp + fp) if tp + fp else None
        r = tp / (tp + fn) if tp + fn else None
        f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        out[label] = LabelMetrics(p, r, f, support, tp, fp, fn)
    return out


def _version(items, labels, n_iter, seed, holdout, lang) -> str:
    payload = json.dumps({"code": CODE_VERSION, "labels": sorted(labels), "lang": lang,
                          "items": sorted((t, sorted(c.items())) for t, c in items),
                          "n_iter": n_iter, "seed": seed, "holdout": holdout, "model": BOW_MODEL},
                         sort_keys=True, ensure_ascii=False)
    return CODE_VERSION + "+" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


_SPLITTERS: dict[str, Language] = {}


def _splitter(lang: str) -> Language:
    if lang not in _SPLITTERS:
        try:
            nlp = spacy.blank(lang)
        except Exception:
            nlp = spacy.blank("xx")
        nlp.add_pipe("sentencizer")
        _SPLITTERS[lang] = nlp
    return _SPLITTERS[lang]


class LearnedModel:
    """A trained sentence classifier; ``suggest`` proposes sentence spans like the rules do."""

    suggester = "learned"

    def __init__(self, nlp: Language, labels: Sequence[str], version: str,
                 metrics: dict[str, LabelMetrics], *, threshold: float = 0.5,
                 codebook: str = "policy_frames", n_train: int = 0, n_eval: int = 0,
                 language: str = "en") -> None:
        self.nlp = nlp
        self.labels = list(labels)
        self.version = version
        self.metrics = metrics
        self.threshold = threshold
        self.codebook = codebook
        self.n_train = n_train
        self.n_eval = n_eval
        self.language = language

    def predict(self, sentences: Sequence[str], batch_size: int = 128) -> list[dict[str, float]]:
        return [dict(doc.cats) for doc in self.nlp.pipe(sentences, batch_size=batch_size)]

    def suggest(self, texts_with_ids: Iterable[tuple[int, str, str]], *, threshold: float | None = None,
                batch_size: int = 64, max_per_article: int | None = None
                ) -> Iterator[tuple[int, list[Suggestion]]]:
        """Sentence suggestions per article, ranked by score; other languages get none."""
        cut = self.threshold if threshold is None else threshold
        splitter = _splitter(self.language)
        for article_id, text, language in texts_with_ids:
            lang = (language or "en").lower().split("-")[0].split("_")[0]
            if lang != self.language or not text:
                yield article_id, []
                continue
            doc = splitter(text)
            sents = []
            for sent in doc.sents:
                t = sent.text.strip()
                if len(t) >= 3:
                    lead = len(sent.text) - len(sent.text.lstrip())
                    sents.append((sent.start_char + lead, sent.start_char + lead + len(t), t))
            scores = self.predict([t for _, _, t in sents], batch_size=batch_size) if sents else []
            found = []
            for (s, e, _), cats in zip(sents, scores):
                for label, p in cats.items():
                    if p >= cut:
                        m = self.metrics.get(label)
                        pr = "" if m is None or m.precision is None else \
                            f"; held-out precision {m.precision:.2f}, recall {(m.recall or 0):.2f}"
                        found.append(Suggestion(s, e, label, self.codebook, float(p), self.suggester,
                                                self.version,
                                                f"classifier score {p:.2f} for {label} (trained on "
                                                f"{self.n_train} sentences{pr})",
                                                {"threshold": cut}))
            found.sort(key=lambda x: (-x.score, x.start))
            yield article_id, found[:max_per_article] if max_per_article else found

    def report(self) -> str:
        lines = [f"{'label':<48} {'P':>5} {'R':>5} {'F1':>5} {'n':>4}"]
        for label in self.labels:
            m = self.metrics.get(label)
            if m is None:
                continue
            fmt = lambda v: "  -  " if v is None else f"{v:5.2f}"  # noqa: E731
            lines.append(f"{label:<48} {fmt(m.precision)} {fmt(m.recall)} {fmt(m.f1)} {m.support:>4}")
        return "\n".join(lines)

    def to_bytes(self) -> bytes:
        return srsly.msgpack_dumps({
            "format": FORMAT, "code": CODE_VERSION, "version": self.version, "labels": self.labels,
            "threshold": self.threshold, "codebook": self.codebook, "n_train": self.n_train,
            "n_eval": self.n_eval, "language": self.language,
            "metrics": {k: asdict(v) for k, v in self.metrics.items()},
            "weights": self.nlp.to_bytes(),
        })

    @classmethod
    def from_bytes(cls, data: bytes) -> "LearnedModel":
        msg = srsly.msgpack_loads(data)
        if msg.get("format") != FORMAT:
            raise ValueError(f"unsupported learned-model format {msg.get('format')!r}")
        nlp = _build_nlp(msg["labels"], msg.get("language", "en"))
        nlp.from_bytes(msg["weights"])
        metrics = {k: LabelMetrics(**v) for k, v in msg.get("metrics", {}).items()}
        return cls(nlp, msg["labels"], msg["version"], metrics, threshold=msg["threshold"],
                   codebook=msg.get("codebook", "policy_frames"), n_train=msg.get("n_train", 0),
                   n_eval=msg.get("n_eval", 0), language=msg.get("language", "en"))


def train_learned(examples: Sequence[tuple[str, Iterable[str]]],
                  negatives: Sequence[tuple[str, str]] = (), *,
                  labels: Sequence[str] | None = None, n_iter: int = 20, seed: int = 0,
                  holdout: float = 0.2, threshold: float = 0.5, codebook: str = "policy_frames",
                  language: str = "en", dropout: float = 0.1, refit: bool = True) -> LearnedModel:
    """Train a ``LearnedModel`` (see module docstring).

    ``labels`` defaults to the labels present in the data, in Policy Frames order when they
    are frames.  Held-out metrics need at least 5 distinct sentences; with fewer, the model
    is trained on everything and ``metrics`` is empty.
    """
    if labels is None:
        present = {lab for _, labs in examples for lab in ({labs} if isinstance(labs, str) else labs)}
        present |= {lab for _, lab in negatives}
        labels = [f for f in POLICY_FRAMES if f in present] + sorted(present - set(POLICY_FRAMES))
    labels = list(labels)
    if not labels:
        raise ValueError("train_learned: no labels")
    items = _merge(examples, negatives, labels)
    if not items:
        raise ValueError("train_learned: no training sentences")
    version = _version(items, labels, n_iter, seed, holdout, language)
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    n_eval = int(round(len(items) * holdout)) if len(items) >= 5 and holdout > 0 else 0
    eval_items = [items[i] for i in order[:n_eval]]
    train_items = [items[i] for i in order[n_eval:]]
    metrics: dict[str, LabelMetrics] = {}
    nlp = _fit(train_items, labels, n_iter=n_iter, seed=seed, lang=language, dropout=dropout)
    if eval_items:
        metrics = _evaluate(nlp, eval_items, labels, threshold)
        if refit:
            nlp = _fit(items, labels, n_iter=n_iter, seed=seed, lang=language, dropout=dropout)
    return LearnedModel(nlp, labels, version, metrics, threshold=threshold, codebook=codebook,
                        n_train=len(items) if (refit or not eval_items) else len(train_items),
                        n_eval=len(eval_items), language=language)
