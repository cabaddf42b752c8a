"""The demo project for the window and its tests: ``annotate.demo.build_demo`` (five
English-language articles on the Russia–Japan 2+2 talks; ``framelens demo`` adds one Russian, one
Japanese and one Chinese original-language text)."""

from __future__ import annotations

from pathlib import Path

from framelens import store
from framelens.annotate.ops.demo import build_demo


def build_demo_project(path: str | Path, *, original_language: bool = False) -> store.Project:
    """Create the demo project at ``path`` and return it open: the five English articles (what
    the GUI tests are written against), with ``original_language`` also the Russian, Japanese
    and Chinese texts (``framelens demo`` and the screenshots)."""
    return build_demo(path, original_language=original_language)
