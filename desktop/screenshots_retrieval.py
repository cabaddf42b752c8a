"""Screenshot of the Coded segments view for the documentation: ``docs/screenshots/retrieval.png``.

Builds the demo project (with the Russian, Japanese and Chinese texts) in a temporary folder,
codes the passages of ``desktop/screenshots.py`` plus one security passage in each of the
original-language texts, opens the window at 1600×1000 with no article open, and lists every
*Security and defense* segment OR *Economic* segment across the project.

Run offscreen: ``QT_QPA_PLATFORM=offscreen .venv/bin/python desktop/screenshots_retrieval.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


from framelens import store  # noqa: E402
from framelens.desktop.features.retrieval import RetrievalView, install_retrieval  # noqa: E402
from framelens.desktop.screenshots import OUT, code_demo, open_window, private_app, settle  # noqa: E402
from framelens.desktop.shell.demo_project import build_demo_project  # noqa: E402

#: (article language, phrase, policy frame, coder)
ORIGINAL_LANGUAGE = [
    ("ru", "ключевым вопросам глобальной и региональной безопасности", "Security and defense", "Maxim"),
    ("ru", "новой архитектуры безопасности в Азиатско-Тихоокеанском регионе", "Security and defense", "Maxim"),
    ("ja", "北方領土における軍備強化", "Security and defense", "Aiko"),
    ("ja", "安全保障分野における日露間の信頼醸成", "Security and defense", "Aiko"),
    ("zh", "在国家安全、经济和能源等领域与俄罗斯扩大合作", "Economic", "Aiko"),
    ("zh", "重点强调安全合作", "Security and defense", "Aiko"),
]


def code_original_language(project: store.Project) -> None:
    book = store.get_codebook(project, "policy_frames")
    by_language = {a.language: a for a in store.list_articles(project) if a.language != "en"}
    for lang, phrase, code_name, coder_name in ORIGINAL_LANGUAGE:
        article = by_language[lang]
        start = store.get_text(project, article.id).find(phrase)
        if start < 0:
            raise SystemExit(f"screenshot phrase not found in the {lang} text: {phrase}")
        store.add_annotation(project, article_id=article.id, start=start, end=start + len(phrase),
                             code_id=store.find_code(project, code_name, book.id).id,
                             coder_id=store.ensure_coder(project, coder_name).id)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, settings = private_app(tmp)
        project = build_demo_project(Path(tmp) / "two-plus-two.framelens", original_language=True)
        code_demo(project)
        code_original_language(project)
        window = open_window(project, settings)
        settle(app, window)
        view = window.features.find(RetrievalView) or install_retrieval(window)
        window.features.dock("retrievalDock").action.trigger()
        book = store.get_codebook(project, "policy_frames")
        view.set_codes([store.find_code(project, n, book.id).id
                        for n in ("Security and defense", "Economic")])
        deadline = time.monotonic() + 20
        while (view._dirty or window.runner.busy or view.model.rowCount() == 0) \
                and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        view.table.selectRow(2)
        settle(app, window)
        out = OUT / "retrieval.png"
        window.grab().save(str(out))
        window.close()
        project.close()
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
