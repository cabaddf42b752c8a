"""A process SIGKILLed in the middle of a large import leaves a project that opens, passes
``PRAGMA integrity_check`` and holds every article whose import was reported done."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from framelens import store

DRIVER = textwrap.dedent("""
    import sys
    from framelens import store
    from framelens.annotate.ops.importer import import_paths
    project = store.open_project(sys.argv[1])
    def done(source, article_id):
        print(f"DONE {article_id} {source}", flush=True)
    import_paths(project, [sys.argv[2]], on_done=done, batch_seconds=0.05, batch_size=25)
    print("FINISHED", flush=True)
""")


def _write_corpus(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Article {i} about the talks. " + ("Lavrov met Kishida in Tokyo. " * 120)
            fh.write(json.dumps({"text": text, "title": f"Article {i}", "outlet": "TASS",
                                 "country": "RU", "published": "2017-03-20"}) + "\n")


@pytest.mark.parametrize("kill_after_lines", [3, 40])
def test_sigkill_during_import_keeps_reported_articles(tmp_path, kill_after_lines):
    project_path = tmp_path / "crash.framelens"
    store.create_project(project_path).close()
    source = tmp_path / "big.jsonl"
    _write_corpus(source, 3000)
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(project_path), str(source)],
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    reported: list[int] = []
    deadline = time.monotonic() + 120
    while len(reported) < kill_after_lines and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line or line.startswith("FINISHED"):
            break
        if line.startswith("DONE "):
            reported.append(int(line.split()[1]))
    os.kill(proc.pid, signal.SIGKILL)
    # lines already written to the pipe were reported before the kill
    rest = proc.stdout.read()
    proc.wait()
    reported += [int(l.split()[1]) for l in rest.splitlines() if l.startswith("DONE ")]
    assert proc.returncode == -signal.SIGKILL
    assert reported, "the import reported nothing before the kill"

    project = store.open_project(project_path)
    assert store.integrity_check(project) == []
    present = {a.id for a in store.list_articles(project)}
    assert set(reported) <= present
    assert len(present) < 3000, "the kill came after the import had finished: nothing was tested"
    for article_id in reported:
        article = store.get_article(project, article_id)
        assert article.text_sha256 == store.text_sha256(article.text)
    # the full-text index matches the articles exactly (FTS5's own consistency check)
    project.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    project.close()
