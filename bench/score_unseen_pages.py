"""Score the unseen real pages (tests/data/ingest/unseen/) through the public path.

Runs ``framelens init`` and ``framelens import`` on the 16 pages into a temporary project,
reads every article back with ``framelens show --json`` and compares it with
``expected.json``: title right, outlet right, date right, main-text fragments in, furniture
fragments out, no mojibake (no U+FFFD and ``coherence() > 0.9``); language and country are
printed beside them.  One line per page, then the totals.  This is how the first-run and
the after-fix figures in docs/ingest.md ("Unseen pages") were measured.

    .venv/bin/python bench/score_unseen_pages.py
    .venv/bin/python bench/score_unseen_pages.py --set unseen3

``--set unseen3`` scores batch 3 (tests/data/ingest/unseen3/, trafilatura's evaluation pages)
on trafilatura's own expectations instead: its ``with`` snippets kept, its ``without``
snippets removed (both compared with runs of whitespace collapsed to one space, on both
sides), language right, no mojibake.  Beside it the same snippets are checked on trafilatura
alone: the raw ``bare_extraction`` text of the same decoded page with the same options as
``formats.extract_html``, before any FrameLens cleaning (no standfirst, no furniture removal,
no title handling).  "cleaning lost" counts the with-snippets trafilatura kept that FrameLens
lost ("gained" the reverse: a standfirst trafilatura dropped, restored), "cleaning removed"
the without-snippets trafilatura kept that FrameLens removed ("added back" the reverse).
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


def _import(data: Path, names: list[str]) -> dict[str, dict]:
    """Every page imported by the public path, read back by ``framelens show --json``."""
    with tempfile.TemporaryDirectory() as tmp:
        project = str(Path(tmp) / "unseen.framelens")
        _run("init", project)
        report = json.loads(_run("import", project, *(str(data / f) for f in names), "--json"))
        if report["problems"]:
            print("problems:", report["problems"])
        return {Path(item["source"]).name: json.loads(_run("show", project,
                                                           str(item["article_id"]), "--json"))
                for item in report["imported"]}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _trafilatura_alone(path: Path) -> str:
    import trafilatura
    from trafilatura.settings import set_date_params

    from framelens.annotate.analysis.ingest.decoding import decode_bytes

    html, _ = decode_bytes(path.read_bytes())
    result = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_images=False,
        include_links=False, include_tables=True, include_formatting=False,
        date_extraction_params=set_date_params(False))
    return (result.text or "") if result is not None else ""


def score_unseen3() -> None:
    """Batch 3: trafilatura's with/without snippets, FrameLens beside trafilatura alone."""
    from framelens.annotate.analysis.ingest.scripts import coherence

    data = ROOT / "tests" / "data" / "ingest" / "unseen3"
    expected = json.loads((data / "expected.json").read_text("utf-8"))["pages"]
    shown = _import(data, sorted(expected))
    t = dict.fromkeys(("with", "with_raw", "n_with", "without", "without_raw", "n_without",
                       "lost", "removed", "added", "gained", "language", "mojibake"), 0)
    for name, want in sorted(expected.items()):
        if name not in shown:
            print(f"{name}: not imported")
            continue
        got = shown[name]
        ours, raw = _flat(got["text"]), _flat(_trafilatura_alone(data / name))
        kept = [_flat(s) in ours for s in want["with"]]
        kept_raw = [_flat(s) in raw for s in want["with"]]
        gone = [_flat(s) not in ours for s in want["without"]]
        gone_raw = [_flat(s) not in raw for s in want["without"]]
        lang_ok = got.get("language") == want["language"]
        clean = "\ufffd" not in got["text"] and coherence(got["text"]) > 0.9
        for key, values in (("with", kept), ("with_raw", kept_raw), ("without", gone),
                            ("without_raw", gone_raw)):
            t[key] += sum(values)
        t["n_with"] += len(kept)
        t["n_without"] += len(gone)
        t["lost"] += sum(r and not o for o, r in zip(kept, kept_raw))
        t["removed"] += sum(o and not r for o, r in zip(gone, gone_raw))
        t["added"] += sum(r and not o for o, r in zip(gone, gone_raw))
        t["gained"] += sum(o and not r for o, r in zip(kept, kept_raw))
        t["language"] += lang_ok
        t["mojibake"] += clean
        wrong = [f"language={got.get('language')!r}"] * (not lang_ok) + ["mojibake"] * (not clean)
        wrong += [f"missing{'' if r else ' (trafilatura too)'} {s[:40]!r}"
                  for s, o, r in zip(want["with"], kept, kept_raw) if not o]
        wrong += [f"left{' (trafilatura too)' if not r else ' (added back by FrameLens)'} {s[:40]!r}"
                  for s, o, r in zip(want["without"], gone, gone_raw) if not o]
        wrong += [f"removed by cleaning {s[:40]!r}"
                  for s, o, r in zip(want["without"], gone, gone_raw) if o and not r]
        print(f"{name[:40]:40} {'ok' if not wrong else '; '.join(wrong)}")
    n = len(expected)
    print(f"pages {n}: FrameLens with kept {t['with']}/{t['n_with']}, without removed "
          f"{t['without']}/{t['n_without']}; trafilatura alone with kept "
          f"{t['with_raw']}/{t['n_with']}, without removed {t['without_raw']}/{t['n_without']}; "
          f"cleaning lost {t['lost']}, gained {t['gained']}; cleaning removed {t['removed']}, "
          f"added back {t['added']}; language "
          f"{t['language']}/{n}, no mojibake {t['mojibake']}/{n}")


def main() -> None:
    if sys.argv[1:] == ["--set", "unseen3"]:
        score_unseen3()
        return
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
