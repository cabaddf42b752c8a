"""The demo project: the five English 2+2 seed articles and the real Russian, Japanese and
Chinese texts on the talks (``assets/demo/original-language``: a Russian MFA press release, a
Japanese MOFA page and a Xinhua wire item; provenance, licences and what was searched in its
``metadata.json``), one story per event plus one with all of them, and every default codebook
loaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from framelens import store

from .importer import Overrides, import_paths
from framelens.annotate.resources import asset_path

#: codebooks loaded into every new project, in the order the codebook panel lists them
DEFAULT_CODEBOOKS = ("policy_frames", "semetko_valkenburg", "entman", "viewpoint", "semeval2023_frames")
ALL_STORY = "All 2+2 rounds (2013–2018)"


def demo_corpus_dir() -> Path:
    return asset_path("demo", "two-plus-two")


def original_language_dir() -> Path:
    return asset_path("demo", "original-language")


def load_default_codebooks(project: store.Project) -> list[int]:
    return [store.load_codebook(project, json.loads(
        asset_path("codebooks", f"{key}.json").read_text("utf-8")))
            for key in DEFAULT_CODEBOOKS]


def init_project(path: str | Path) -> store.Project:
    """Create a new project file with the default codebooks."""
    project = store.create_project(path)
    load_default_codebooks(project)
    return project


def build_demo(path: str | Path, *, corpus: Path | None = None,
               progress: Callable[[int, int, str], None] | None = None,
               original_language: bool = False) -> store.Project:
    """Create the demo project at ``path`` (which must not exist) and return it open.

    With ``original_language`` every text listed in ``assets/demo/original-language/metadata.json``
    (now Russian, Japanese and Chinese) joins its event's story with the outlet, country,
    language and date written there, after the five English articles (so those keep ids 1-5).
    ``framelens demo`` (and so ``make run``) builds it with them; by default, and in the
    tests written against them, the English five alone."""
    corpus = corpus or demo_corpus_dir()
    meta = json.loads((corpus / "metadata.json").read_text("utf-8"))
    project = init_project(path)
    events = {e["id"]: e for e in meta["events"]}
    story_ids = {eid: store.ensure_story(project, e["name"], event_date=e["date"],
                                         description=f"Articles about the {e['name']} ({e['date']})")
                 for eid, e in events.items()}
    all_id = store.ensure_story(project, ALL_STORY, description=meta.get("corpus"))
    entries = [(corpus, e) for e in meta["articles"]]
    originals = original_language_dir()
    if original_language and (originals / "metadata.json").is_file():
        extra = json.loads((originals / "metadata.json").read_text("utf-8"))
        entries += [(originals, e) for e in extra["articles"]]
    for i, (folder, entry) in enumerate(entries, start=1):
        if progress:
            progress(i, len(entries), entry["file"])
        ov = Overrides(outlet=entry["outlet"], country=entry["country"],
                       published=entry.get("published"), language=entry.get("language"))
        report = import_paths(project, [folder / entry["file"]], overrides=ov)
        if report.problems:
            raise store.ProjectError("; ".join(f"{p.source}: {p.reason}" for p in report.problems))
        ids = report.article_ids or [a for _, a in report.duplicates]
        for article_id in ids:
            fields = {k: entry[k] for k in ("title", "author") if entry.get(k)}
            if fields:
                store.update_article_metadata(project, article_id, **fields)
            store.add_to_story(project, story_ids[entry["event"]], [article_id])
            store.add_to_story(project, all_id, [article_id])
    return project
