"""What the language pipelines can do, as the helper process reported it, for the window to say.

The window never loads an NLP library (tests/test_gui_no_models.py); the suggestion helper
process answers a ``languages`` job with ``annotate.nlp.languages.pipeline_info`` for each
language of the project, and the column headers and the status bar read it from here.
"""

from __future__ import annotations

from typing import Any

_INFO: dict[str, dict[str, Any]] = {}

NAMES = {"en": "English", "ru": "Russian", "ja": "Japanese", "zh": "Chinese", "de": "German",
         "fr": "French", "es": "Spanish", "ko": "Korean", "uk": "Ukrainian", "ar": "Arabic"}


def set_info(infos: list[dict[str, Any]]) -> None:
    """Keep the helper's answer (a list of ``pipeline_info`` dicts)."""
    for info in infos:
        _INFO[info["language"]] = info


def known() -> bool:
    return bool(_INFO)


def language_name(code: str | None) -> str:
    return NAMES.get(code or "", code or "language unknown")


def short(code: str | None) -> str:
    """``Russian · natasha`` — the language and the pipeline that runs for it."""
    name = language_name(code)
    info = _INFO.get(code or "")
    if info is None:
        return name
    return f"{name} · {_pipeline_word(info.get('name', ''))}"


def _pipeline_word(full: str) -> str:
    """The distinctive part of a pipeline's name: ``natasha``, ``ja_ginza``, ``jieba``,
    ``en_core_web_sm``, ``no model`` (for a blank pipeline)."""
    head = full.split(" (")[0]
    for prefix in ("spaCy blank(", ):
        if head.startswith(prefix):
            rest = head.split(")", 1)[1].strip()
            rest = rest.removeprefix("+").removeprefix("with").strip()
            return rest.split(" ")[0] if rest and not rest.startswith("or") else "no model"
    return head


def describe(code: str | None) -> str:
    """Several lines: the pipeline, what it finds, what it cannot do (for tooltips)."""
    info = _INFO.get(code or "")
    if info is None:
        return (f"{language_name(code)}: the language pipelines have not reported yet "
                "(they load with the first suggestion pass).")
    lines = [f"{language_name(code)}: {info.get('name', '')}"]
    if info.get("capabilities"):
        lines.append("Finds: " + ", ".join(info["capabilities"]))
    if info.get("heuristic_ner"):
        lines.append("Named entities are heuristic (no trained model for this language).")
    for limit in info.get("limits", []):
        lines.append("Cannot: " + limit)
    return "\n".join(lines)
