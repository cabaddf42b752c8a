"""Suggestions for a project: running the suggesters over its articles, the learned loop, and
the review helpers the desktop and the command line share.

* :func:`run_suggestions` runs the rule suggesters (``annotate.nlp.suggest``) over the selected
  articles that do not yet have suggestions from the current version of every requested
  suggester, and stores each article's suggestions in one transaction as soon as they come.
* :func:`learned_cycle` trains the learned sentence classifier on the coders' decisions (coded
  passages and rejected suggestions) once enough new decisions have been made, stores the
  model in the project, and suggests with it for articles the coder has not coded yet.
* :func:`review_queue`, :func:`accept_many` and :func:`all_suggestions` serve the review panel
  and ``framelens review`` / ``framelens suggest --json``.

spaCy is imported lazily: importing this module (as the desktop does on its UI thread) costs
nothing; the first call that needs a pipeline loads it, which the desktop does in a worker.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from framelens import store

MODEL_KEY = "model:learned"
RULE_SUGGESTERS = ("actors", "voices", "contested", "cues")
ALL_SUGGESTERS = RULE_SUGGESTERS + ("learned",)
DEFAULT_EVERY_N = 20
CHUNK = 400                    # articles handed to one ``suggest`` call (bounds memory)
_NONE_KEY = "suggest.none:{}"  # settings: suggesters that found nothing in an article
_TRAINED_KEY = "learned.decisions_at_training:{}:{}"

Progress = Callable[[int, int, str], None]

# one pipeline load at a time (the desktop loads at start while a pass may begin), and one
# pass through a shared pipeline at a time (spaCy pipelines are not made for concurrent use)
_LOAD_LOCK = threading.Lock()
_RUN_LOCK = threading.RLock()


def _nlp():
    from framelens.annotate.analysis import nlp
    return nlp


# --------------------------------------------------------------------------- pipeline status

def pipeline_status(language: str = "en") -> str:
    """One line for the status bar: the model in use, or what is missing without one."""
    lp = load_status(language)
    if lp.is_trained:
        version = lp.nlp.meta.get("version", "")
        return f"spaCy: {lp.model_name} {version}".strip()
    name = _nlp().pipeline.LANGUAGE_NAMES.get(lp.language, lp.language)
    if lp.language == "en":
        return "blank English pipeline — no NER/parser: actors and voices degraded"
    return f"blank {name} pipeline ({lp.model_name}): rule suggesters only"


def pipeline_details(language: str = "en") -> str:
    """The pipeline's full status message (tooltip, ``framelens suggest`` header)."""
    return load_status(language).status_message


def language_pipelines(languages) -> list[dict]:
    """What runs for each of ``languages`` and what it cannot do (no model is loaded):
    :func:`annotate.nlp.languages.pipeline_info` per distinct normalised language."""
    from framelens.annotate.analysis.nlp.languages import pipeline_info
    nlp = _nlp()
    seen = dict.fromkeys(nlp.normalise_language(lang) for lang in languages)
    return [pipeline_info(lang) for lang in seen]


def load_status(language: str = "en"):
    """The cached :class:`annotate.nlp.LoadedPipeline` for ``language`` (loaded on first use)."""
    with _LOAD_LOCK:
        return _nlp().get_pipeline(language)


def _versions(language: str, names: tuple[str, ...]) -> dict[str, str]:
    with _LOAD_LOCK:
        return _nlp().component_versions(language, names)


# --------------------------------------------------------------------------- selection

def select_articles(project: store.Project, *, article_ids: Iterable[int] | None = None,
                    story: int | str | None = None) -> list[store.ArticleSummary]:
    """The articles a pass works on: the given ids, a story's (by id or name), or all."""
    if article_ids is not None:
        ids = list(dict.fromkeys(int(i) for i in article_ids))
        found = {a.id: a for a in store.list_articles(project, ids=ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise store.ProjectError(f"no article with id {', '.join(map(str, missing))}")
        return [found[i] for i in ids]
    if story is not None:
        key = int(story) if isinstance(story, str) and story.isdigit() else story
        return store.list_articles(project, story_id=store.get_story(project, key).id)
    return store.list_articles(project)


def _check_names(suggesters: Iterable[str] | None) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(RULE_SUGGESTERS if suggesters is None else suggesters))
    unknown = [n for n in names if n not in ALL_SUGGESTERS]
    if unknown:
        raise ValueError(f"unknown suggesters {unknown}; known: {list(ALL_SUGGESTERS)}")
    return names


# --------------------------------------------------------------------------- the rule pass

@dataclass
class SuggestReport:
    """What one suggestion pass did."""

    articles: int = 0                      # selected
    processed: int = 0                     # run through a pipeline in this pass
    skipped: int = 0                       # already had the current versions
    words: int = 0                         # words of the processed articles
    seconds: float = 0.0
    new: dict[str, int] = field(default_factory=dict)       # suggester -> rows stored now
    found: dict[str, int] = field(default_factory=dict)     # suggester -> produced this pass
    versions: dict[str, str] = field(default_factory=dict)  # suggester -> version used
    pipelines: dict[str, str] = field(default_factory=dict)  # language -> model name
    pipeline_info: list[dict] = field(default_factory=list)  # per language: nlp.languages.pipeline_info
    messages: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def total_new(self) -> int:
        return sum(self.new.values())

    def summary(self) -> str:
        per = ", ".join(f"{k} {v}" for k, v in sorted(self.new.items()) if v) or "none"
        text = (f"{self.processed} of {self.articles} articles processed "
                f"({self.skipped} already up to date); new suggestions: {per}")
        return text + (" — cancelled" if self.cancelled else "")

    def as_dict(self) -> dict:
        return dict(asdict(self), total_new=self.total_new)


def _empty_markers(project: store.Project, article_id: int) -> dict[str, str]:
    raw = project.get_setting(_NONE_KEY.format(article_id))
    return json.loads(raw) if raw else {}


def _is_done(project: store.Project, article_id: int, name: str, version: str,
             markers: dict[str, str]) -> bool:
    return markers.get(name) == version or store.has_suggestions(project, article_id, name, version)


def _items(suggestions) -> list[dict]:
    return [{"start": s.start, "end": s.end, "codebook": s.codebook, "label": s.label,
             "score": s.score, "suggester": s.suggester, "suggester_version": s.version,
             "rationale": s.rationale, "data": s.data} for s in suggestions]


def store_article_suggestions(project: store.Project, article_id: int, suggestions,
                              versions: dict[str, str]) -> dict[str, int]:
    """Store one article's suggestions (all requested suggesters) in one transaction.

    Suggesters that found nothing are remembered in the settings, so the article is not run
    again for them at the same version.  Returns suggester -> new rows.
    """
    by_name: dict[str, list] = {n: [] for n in versions}
    for s in suggestions:
        by_name.setdefault(s.suggester, []).append(s)
    new: dict[str, int] = {}
    with project.action("suggest", f"article {article_id}", log=False):
        markers = _empty_markers(project, article_id)
        changed = False
        for name, found in by_name.items():
            if found:
                new[name] = store.add_suggestions(project, article_id, _items(found))
            elif name in versions and markers.get(name) != versions[name]:
                markers[name] = versions[name]
                changed = True
        if changed:
            project.set_setting(_NONE_KEY.format(article_id), json.dumps(markers, sort_keys=True))
    return new


def run_suggestions(project: store.Project, *, article_ids: Iterable[int] | None = None,
                    story: int | str | None = None, suggesters: Sequence[str] | None = None,
                    progress: Progress | None = None, should_cancel: Callable[[], bool] | None = None,
                    batch_size: int = 32, n_process: int = 1) -> SuggestReport:
    """Run the suggesters over the selected articles (all, a story's, or the given ids).

    Articles that already have suggestions (or a nothing-found marker) from the current
    version of every requested rule suggester are skipped, so re-running stores nothing new
    and a changed suggester version re-suggests.  An article's language picks its pipeline
    (none → English).  Each article is stored as soon as it comes back, in one transaction.
    ``"learned"`` among ``suggesters`` suggests with the stored learned model, if any.
    ``progress(done, total, text)`` is called after every stored article; ``should_cancel()``
    stops the pass after the article in flight.
    """
    started = time.perf_counter()
    names = _check_names(suggesters)
    rules = tuple(n for n in names if n in RULE_SUGGESTERS)
    nlp = _nlp()
    report = SuggestReport()
    selected = select_articles(project, article_ids=article_ids, story=story)
    report.articles = len(selected)
    cancelled = should_cancel or (lambda: False)
    todo: dict[str, list[int]] = {}
    versions_by_lang: dict[str, dict[str, str]] = {}
    if rules:
        for art in selected:
            lang = nlp.normalise_language(art.language)
            if lang not in versions_by_lang:
                versions_by_lang[lang] = _versions(lang, rules)
                lp = load_status(lang)
                report.pipelines[lang] = lp.model_name
                report.pipeline_info.append(dict(lp.info, model=lp.model_name))
                if not lp.is_trained:
                    report.messages.append(lp.status_message)
            versions = versions_by_lang[lang]
            markers = _empty_markers(project, art.id)
            if all(_is_done(project, art.id, n, versions[n], markers) for n in rules):
                report.skipped += 1
            else:
                todo.setdefault(lang, []).append(art.id)
        for versions in versions_by_lang.values():
            report.versions.update(versions)
    total = sum(len(v) for v in todo.values())
    done = 0
    with _RUN_LOCK:
        for lang, ids in todo.items():
            versions = versions_by_lang[lang]
            for i in range(0, len(ids), CHUNK):
                chunk = ids[i:i + CHUNK]
                items = [(aid, store.get_text(project, aid), lang) for aid in chunk]
                words = {aid: len(text.split()) for aid, text, _ in items}
                stream = nlp.suggest(items, suggesters=list(rules), batch_size=batch_size,
                                     n_process=n_process)
                with contextlib.closing(stream):
                    for article_id, found in stream:
                        for name in rules:
                            report.found[name] = report.found.get(name, 0)
                        for s in found:
                            report.found[s.suggester] = report.found.get(s.suggester, 0) + 1
                        for name, n in store_article_suggestions(project, article_id, found,
                                                                 versions).items():
                            report.new[name] = report.new.get(name, 0) + n
                        done += 1
                        report.processed = done
                        report.words += words.get(article_id, 0)
                        if progress is not None:
                            progress(done, total, f"article {article_id}")
                        if cancelled():
                            report.cancelled = True
                            break
                if report.cancelled:
                    break
            if report.cancelled:
                break
    if "learned" in names and not report.cancelled:
        _suggest_learned_for(project, selected, report, progress, cancelled)
    report.seconds = time.perf_counter() - started
    return report


def _suggest_learned_for(project, articles, report: SuggestReport, progress, cancelled) -> None:
    model = load_learned(project)
    if model is None:
        report.messages.append("No learned model yet: make some decisions, then train "
                               "('framelens train' or Train now in the review panel).")
        return
    report.versions["learned"] = model.version
    report.found.setdefault("learned", 0)
    n = _suggest_with_model(project, model, articles, report, progress, cancelled)
    report.new["learned"] = report.new.get("learned", 0) + n


# --------------------------------------------------------------------------- learned loop

@dataclass
class LearnedReport:
    """What one :func:`learned_cycle` did."""

    trained: bool
    reason: str
    n_decisions: int = 0
    new_decisions: int = 0
    every_n: int = DEFAULT_EVERY_N
    version: str | None = None
    metrics: dict[str, dict] = field(default_factory=dict)
    n_train: int = 0
    n_eval: int = 0
    labels: list[str] = field(default_factory=list)
    new_suggestions: int = 0
    unread_articles: int = 0
    ranked: list[dict] = field(default_factory=list)   # best suggestions, best first
    report_text: str = ""
    seconds: float = 0.0
    cancelled: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


_SPLITTERS: dict[str, object] = {}


def _splitter(lang: str):
    """A blank pipeline with a sentencizer — the same sentence split the learned model's
    ``suggest`` uses, so training sentences look like the ones it is asked about."""
    if lang not in _SPLITTERS:
        import spacy
        try:
            nlp = spacy.blank(lang)
        except Exception:  # unknown or unbuildable language: multi-language tokenizer
            nlp = spacy.blank("xx")
        nlp.add_pipe("sentencizer")
        _SPLITTERS[lang] = nlp
    return _SPLITTERS[lang]


def sentence_bounds(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Sentences of ``text`` as (start, end) character offsets, whitespace trimmed."""
    out = []
    for sent in _splitter(lang)(text).sents:
        raw = sent.text
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append((sent.start_char + lead, sent.start_char + lead + len(body)))
    return out


def _sentence_for(text: str, bounds: list[tuple[int, int]], start: int, end: int) -> str:
    """The sentence(s) a span lies in (the span itself when it touches none)."""
    hit = [(s, e) for s, e in bounds if s < end and e > start]
    if not hit:
        return text[start:end].strip()
    return text[hit[0][0]:hit[-1][1]].strip()


def _languages(project: store.Project, ids: set[int]) -> dict[int, str | None]:
    """article id -> language (one query; the whole list when there are many ids)."""
    rows = store.list_articles(project, ids=ids) if len(ids) <= 900 else store.list_articles(project)
    return {a.id: a.language for a in rows}


def training_data(project: store.Project, *, coder_id: int | None = None,
                  codebook: str = "policy_frames") -> tuple[list, list, int]:
    """(examples, negatives, n_decisions) for the learned model.

    Examples: every passage coded in ``codebook`` (by ``coder_id``, else by anyone), as the
    sentence(s) containing it with its code — accepted suggestions and manual codings alike.
    Negatives: every rejected suggestion in that codebook, as (sentence, label).  The decision
    count is coded passages plus rejections; skips do not count.
    """
    try:
        cb = store.get_codebook(project, codebook)
    except store.ProjectError:
        return [], [], 0
    coders = None if coder_id is None else [coder_id]
    anns = store.list_annotations(project, coder_ids=coders, codebook_id=cb.id)
    rejected = [d for d in store.decisions(project, coder_id=coder_id)
                if d["decision"] == "rejected" and d["codebook"] == cb.key]
    langs = _languages(project, {a.article_id for a in anns} | {d["article_id"] for d in rejected})
    cache: dict[int, tuple[str, list]] = {}

    def sentence(article_id: int, start: int, end: int) -> str:
        if article_id not in cache:
            text = store.get_text(project, article_id)
            lang = _nlp().normalise_language(langs.get(article_id))
            cache[article_id] = (text, sentence_bounds(text, lang))
        text, bounds = cache[article_id]
        return _sentence_for(text, bounds, start, end)

    examples = [(sentence(a.article_id, a.start, a.end), {a.code}) for a in anns]
    negatives = [(sentence(d["article_id"], d["start"], d["end"]), d["label"]) for d in rejected]
    examples = [(t, labs) for t, labs in examples if t]
    negatives = [(t, lab) for t, lab in negatives if t]
    return examples, negatives, len(anns) + len(rejected)


def load_learned(project: store.Project):
    """The stored learned model (``annotate.nlp.LearnedModel``) or None."""
    blob = store.get_blob(project, MODEL_KEY)
    if blob is None:
        return None
    return _nlp().LearnedModel.from_bytes(blob.data)


def learned_metrics(project: store.Project) -> dict | None:
    """The stored model's held-out precision/recall per code, for the UI (no spaCy needed):
    ``{"version", "metrics": {label: {precision, recall, f1, support, ...}}, "n_decisions",
    "n_train", "n_eval", "labels", "trained_at", "codebook"}`` or None before any training."""
    blob = store.get_blob(project, MODEL_KEY)
    return None if blob is None else dict(blob.meta, trained_at=blob.meta.get("trained_at",
                                                                             blob.updated_at))


def _trained_key(codebook: str, coder_id: int | None) -> str:
    return _TRAINED_KEY.format(codebook, "all" if coder_id is None else coder_id)


def decisions_since_training(project: store.Project, *, coder_id: int | None = None,
                             codebook: str = "policy_frames") -> tuple[int, int]:
    """(decisions now, decisions at the last training) for the retraining rule."""
    _, _, n = training_data(project, coder_id=coder_id, codebook=codebook)
    return n, int(project.get_setting(_trained_key(codebook, coder_id), "0") or 0)


def learned_cycle(project: store.Project, *, coder_id: int | None = None,
                  every_n: int = DEFAULT_EVERY_N, force: bool = False,
                  codebook: str = "policy_frames", n_iter: int = 20, seed: int = 0,
                  max_articles: int | None = 2000, progress: Progress | None = None,
                  should_cancel: Callable[[], bool] | None = None) -> LearnedReport:
    """Retrain the learned suggester when ``every_n`` new decisions were made since the last
    training (or ``force``), store it, and suggest with it for (the first ``max_articles``)
    articles ``coder_id`` has not coded (all coders' when None), best first."""
    started = time.perf_counter()
    examples, negatives, n = training_data(project, coder_id=coder_id, codebook=codebook)
    key = _trained_key(codebook, coder_id)
    last = int(project.get_setting(key, "0") or 0)
    rep = LearnedReport(False, "", n_decisions=n, new_decisions=n - last, every_n=every_n)
    if not force and n - last < every_n:
        rep.reason = f"{n - last} new decisions since the last training; retraining after {every_n}"
        return rep
    labels = {lab for _, labs in examples for lab in labs}
    if len(examples) < 2 or not labels:
        rep.reason = (f"not enough coded passages in {codebook} to train "
                      f"({len(examples)}; at least 2 needed)")
        return rep
    if progress is not None:
        progress(0, 0, f"Training on {len(examples)} passages and {len(negatives)} rejections")
    model = _nlp().train_learned(examples, negatives, codebook=codebook, n_iter=n_iter, seed=seed)
    metrics = {k: asdict(v) for k, v in model.metrics.items()}
    meta = {"version": model.version, "metrics": metrics, "n_decisions": n, "codebook": codebook,
            "labels": model.labels, "n_train": model.n_train, "n_eval": model.n_eval,
            "coder_id": coder_id, "trained_at": store.now()}
    with project.action("cache", MODEL_KEY, log=False):
        store.put_blob(project, MODEL_KEY, model.to_bytes(), meta=meta)
        project.set_setting(key, str(n))
    rep.trained, rep.reason = True, f"trained on {n} decisions"
    rep.version, rep.metrics, rep.labels = model.version, metrics, list(model.labels)
    rep.n_train, rep.n_eval, rep.report_text = model.n_train, model.n_eval, model.report()
    unread = store.list_articles(project, coded=False, coded_by=coder_id)
    rep.unread_articles = len(unread)
    unread = unread[:max_articles] if max_articles else unread
    sub = SuggestReport()
    rep.new_suggestions = _suggest_with_model(project, model, unread, sub,
                                              progress, should_cancel or (lambda: False),
                                              ranked=rep.ranked)
    rep.cancelled = sub.cancelled
    rep.seconds = time.perf_counter() - started
    return rep


def _suggest_with_model(project, model, articles: list[store.ArticleSummary], report: SuggestReport,
                        progress, cancelled, *, ranked: list | None = None, keep: int = 50) -> int:
    """Suggest with a learned model for articles (in its language) without its suggestions
    yet; returns new rows.  ``ranked`` collects the ``keep`` best suggestions, best first."""
    nlp = _nlp()
    todo = [a.id for a in articles
            if nlp.normalise_language(a.language) == model.language
            and not store.has_suggestions(project, a.id, "learned", model.version)]
    best: list[dict] = []
    new = 0

    def texts() -> Iterator[tuple[int, str, str]]:
        for aid in todo:
            yield aid, store.get_text(project, aid), model.language

    for done, (aid, found) in enumerate(model.suggest(texts()), start=1):
        report.found["learned"] = report.found.get("learned", 0) + len(found)
        if found:
            new += store.add_suggestions(project, aid, _items(found))
        best.extend({"article": aid, "start": s.start, "end": s.end, "label": s.label,
                     "score": round(s.score, 4)} for s in found[:keep])
        if len(best) > 4 * keep:
            best = sorted(best, key=lambda d: -d["score"])[:keep]
        if progress is not None:
            progress(done, len(todo), f"learned: article {aid}")
        if cancelled():
            report.cancelled = True
            break
    if ranked is not None:
        ranked.extend(sorted(best, key=lambda d: -d["score"])[:keep])
    return new


# --------------------------------------------------------------------------- review helpers

def current_learned_version(project: store.Project) -> str | None:
    blob = store.get_blob(project, MODEL_KEY)
    return None if blob is None else blob.meta.get("version")


def review_queue(project: store.Project, *, coder_id: int, article_ids: Iterable[int] | None,
                 suggesters: Iterable[str] | None = None, min_score: float = 0.0,
                 learned_version: str | None = None) -> list[store.Suggestion]:
    """Open suggestions for ``coder_id`` (see :func:`store.open_suggestions`), one per span +
    codebook + label (the newest version wins), learned ones only from the current model;
    in the order of ``article_ids`` then by position."""
    ids = None if article_ids is None else list(article_ids)
    rows = store.open_suggestions(project, coder_id=coder_id, article_ids=ids,
                                  suggesters=None if suggesters is None else list(suggesters),
                                  min_score=min_score)
    if learned_version is None and any(s.suggester == "learned" for s in rows):
        learned_version = current_learned_version(project)
    best: dict[tuple, store.Suggestion] = {}
    for s in rows:
        if s.suggester == "learned" and learned_version and s.suggester_version != learned_version:
            continue
        key = (s.article_id, s.start, s.end, s.codebook, s.label)
        if key not in best or s.id > best[key].id:
            best[key] = s
    order = {aid: i for i, aid in enumerate(ids or [])}
    return sorted(best.values(), key=lambda s: (order.get(s.article_id, len(order)), s.article_id,
                                               s.start, -s.end, -s.score, s.id))


def accept_many(project: store.Project, suggestion_ids: Iterable[int], *,
                coder_id: int) -> tuple[list[int], store.Changes]:
    """Accept several suggestions as ONE action (one Ctrl+Z undoes them all)."""
    ids = list(suggestion_ids)
    made: list[int] = []
    with project.action("suggestion-accept", f"{len(ids)} suggestions", coder_id=coder_id) as changes:
        for sid in ids:
            ann_id, _ = store.accept_suggestion(project, sid, coder_id=coder_id)
            made.append(ann_id)
    return made, changes


def all_suggestions(project: store.Project, article_ids: Iterable[int], *,
                    suggesters: Iterable[str] | None = None,
                    min_score: float = 0.0) -> list[store.Suggestion]:
    """Every stored suggestion of the articles, whatever anyone decided (as a coder who has
    decided nothing would see them: coder ids start at 1)."""
    return store.open_suggestions(project, coder_id=0, article_ids=list(article_ids),
                                  suggesters=None if suggesters is None else list(suggesters),
                                  min_score=min_score)


def suggestion_json(s: store.Suggestion) -> dict:
    """The ``framelens suggest --json`` record of one stored suggestion."""
    return {"id": s.id, "article": s.article_id, "start": s.start, "end": s.end, "label": s.label,
            "codebook": s.codebook, "score": s.score, "suggester": s.suggester,
            "version": s.suggester_version, "rationale": s.rationale, "data": s.data}
