"""Score the unseen real pages (tests/data/ingest/unseen/) through the public path.

Runs ``framelens init`` and ``framelens import`` on the 16 pages into a temporary project,
reads every article back with ``framelens show --json`` and compares it with
``expected.json``: title right, outlet right, date right, main-text fragments in, furniture
fragments out, no mojibake (no U+FFFD and ``coherence() > 0.9``); language and country are
printed beside them.  One line per page, then the totals.  This is how the first-run and
the after-fix figures in docs/ingest.md ("Unseen pages") were measured.

    .venv/bin/python bench/score_unseen_pages.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "ingest" / "unseen"
_SCRIPT = Path(sys.executable).with_name("framelens")
# the installed `framelens` command beside this interpreter (the public path), else its entry point
FRAMELENS = [str(_SCRIPT)] if _SCRIPT.exists() else [
    sys.executable, "-c", "import sys; from framelens.desktop.launch import main; sys.exit(main())"]


def _run(*args: str) -> str:
    done = subprocess.run([*FRAMELENS, *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"framelens {args[0]} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def main() -> None:
    from framelens.annotate.analysis.ingest.scripts import coherence

    expected = json.loads((DATA / "expected.json").read_text("utf-8"))["pages"]
    with tempfile.TemporaryDirectory() as tmp:
        project = str(Path(tmp) / "unseen.framelens")
        _run("init", project)
        report = json.loads(_run("import", project, *(str(DATA / f) for f in sorted(expected)),
                                 "--json"))
        shown = {Path(item["source"]).name: json.loads(_run("show", project,
                                                            str(item["article_id"]), "--json"))
                 for item in report["imported"]}
    if report["problems"]:
        print("problems:", report["problems"])
    totals = dict.fromkeys(("title", "outlet", "date", "mojibake", "language", "country"), 0)
    inside = outside = n_in = n_out = 0
    for name, want in sorted(expected.items()):
        if name not in shown:
            print(f"{name}: not imported")
            continue
        got = shown[name]
        text = got["text"]
        checks = {"title": got["title"] in want["titles"],
                  "outlet": got["outlet"] in want["outlets"],
                  "date": (got.get("published") or "")[:10] == want["published"],
                  "mojibake": "\ufffd" not in text and coherence(text) > 0.9,
                  "language": got.get("language") == want["language"],
                  "country": got.get("country") == want["country"]}
        for key, ok in checks.items():
            totals[key] += ok
        found = [f in text for f in want["text_in"]]
        gone = [f not in text for f in want["furniture_out"]]
        inside, n_in = inside + sum(found), n_in + len(found)
        outside, n_out = outside + sum(gone), n_out + len(gone)
        wrong = [f"{key}={got.get('published' if key == 'date' else key)!r}"
                 for key, ok in checks.items() if not ok and key != "mojibake"]
        wrong += ["mojibake"] * (not checks["mojibake"])
        wrong += [f"missing {f[:40]!r}" for f, ok in zip(want["text_in"], found) if not ok]
        wrong += [f"left {f[:40]!r}" for f, ok in zip(want["furniture_out"], gone) if not ok]
        print(f"{name:40} {'ok' if not wrong else '; '.join(wrong)}")
    n = len(expected)
    print(f"pages {n}: title {totals['title']}/{n}, outlet {totals['outlet']}/{n}, "
          f"date {totals['date']}/{n}, main text in {inside}/{n_in}, furniture out "
          f"{outside}/{n_out}, no mojibake {totals['mojibake']}/{n}; language "
          f"{totals['language']}/{n}, country {totals['country']}/{n}")


if __name__ == "__main__":
    main()
