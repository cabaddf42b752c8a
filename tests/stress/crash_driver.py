"""Child process of the crash harness: the real FrameLens window (offscreen) doing random work.

Usage: ``crash_driver.py PROJECT WORKDIR SEED``.  Opens the project with ``desktop.app.open_window``
(so the automatic backup at start and the external-change watcher run as in the application),
then loops forever over random user operations — through the window's :class:`Session` for
everything the UI does (code, re-code, memo, delete, labels, article memos, add code, merge
codes, undo, redo) and through the store / importer / exporter for what the UI does in workers
(imports, suggestion passes, exports, backups).  Before an operation it prints ``BEGIN <op>``;
only after the operation returned (its transaction committed) it prints ``ACK <json>``.  The
parent SIGKILLs it at a random moment and checks every ACKed operation after recovery.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from texts import hard_text, memo_text  # noqa: E402

WEIGHTS = {"annotate": 26, "recode": 6, "memo": 5, "delete": 7, "label": 7, "article_memo": 3,
           "add_code": 4, "merge": 4, "undo": 7, "redo": 3, "import": 8, "suggest": 7,
           "export": 5, "export_csv": 3, "backup": 3, "open": 2}


def say(kind: str, **data) -> None:
    if kind == "ACK":
        print("ACK " + json.dumps(data, ensure_ascii=True), flush=True)
    else:
        print(f"{kind} {data.get('op', '')}", flush=True)


def sha_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Driver:
    def __init__(self, project_path: str, workdir: str, seed: int):
        from PySide6.QtCore import QSettings
        from framelens.desktop.shell import app as desktop_app

        self.rng = random.Random(seed)
        self.seed = seed
        self.work = Path(workdir)
        self.count = 0
        settings = QSettings(str(self.work / "qsettings.ini"), QSettings.IniFormat)
        settings.setValue("backup/keep", 5)
        settings.setValue("backup/every_minutes", 10)
        self.app = desktop_app.ensure_app()
        self.window = desktop_app.open_window(project_path, coder="harness", settings=settings)
        if self.window is None:
            print("OPEN-FAILED", flush=True)
            sys.exit(3)
        self.session = self.window.session
        self.project = self.session.project

    # -- helpers ---------------------------------------------------------------------------
    def _top(self):
        s = self.session
        return (s.undo_stack[-1].action_id if s.undo_stack else None,
                s.redo_stack[-1].action_id if s.redo_stack else None)

    def _new_action(self, before) -> int | None:
        after = self._top()
        return after[0] if after[0] != before[0] else None

    def _articles(self):
        from framelens import store
        return store.list_articles(self.project)

    def _my_annotations(self):
        from framelens import store
        return store.list_annotations(self.project, coder_ids=[self.session.coder.id])

    def _live_codes(self, harness_only: bool = False):
        from framelens import store
        codes = [c for c in store.list_codes(self.project) if c.merged_into is None]
        if harness_only:
            codes = [c for c in codes if c.name.startswith("H-")]
        return codes

    # -- operations --------------------------------------------------------------------------
    def op_annotate(self):
        from framelens import store
        arts = self._articles()
        codes = self._live_codes()
        if not arts or not codes:
            return
        a = self.rng.choice(arts)
        text = store.get_text(self.project, a.id)
        start = self.rng.randrange(0, len(text))
        end = min(len(text), start + self.rng.randint(1, 80))
        code = self.rng.choice(codes)
        ann_id = self.session.add_annotation(a.id, start, end, code.id)
        if ann_id is not None:
            say("ACK", op="annotate", action=self.session.undo_stack[-1].action_id, ann=ann_id,
                article=a.id, start=start, end=end, code=code.id, quote=text[start:end])

    def op_recode(self):
        anns, codes = self._my_annotations(), self._live_codes()
        if not anns or not codes:
            return
        ann, code = self.rng.choice(anns), self.rng.choice(codes)
        before = self._top()
        self.session.recode_annotation(ann, code.id)
        action = self._new_action(before)
        if action:
            say("ACK", op="recode", action=action, ann=ann.id, code=code.id)

    def op_memo(self):
        anns = self._my_annotations()
        if not anns:
            return
        ann, memo = self.rng.choice(anns), memo_text(self.rng)
        before = self._top()
        self.session.set_annotation_memo(ann, memo)
        action = self._new_action(before)
        if action:
            say("ACK", op="memo", action=action, ann=ann.id, memo=memo or None)

    def op_delete(self):
        anns = self._my_annotations()
        if not anns:
            return
        ann = self.rng.choice(anns)
        before = self._top()
        self.session.delete_annotation(ann)
        action = self._new_action(before)
        if action:
            say("ACK", op="delete", action=action, ann=ann.id)

    def op_label(self):
        arts, codes = self._articles(), self._live_codes()
        if not arts or not codes:
            return
        a, code = self.rng.choice(arts), self.rng.choice(codes)
        value = self.rng.choice(["1", "0", None])
        before = self._top()
        self.session.set_label(a.id, value, code_id=code.id)
        action = self._new_action(before)
        if action:
            say("ACK", op="label", action=action, article=a.id, code=code.id, value=value)

    def op_article_memo(self):
        arts = self._articles()
        if not arts:
            return
        a = self.rng.choice(arts)
        before = self._top()
        self.session.set_article_memo(a.id, memo_text(self.rng))
        action = self._new_action(before)
        if action:
            say("ACK", op="article_memo", action=action, article=a.id)

    def op_add_code(self):
        books = self.session.codebooks
        if not books:
            return
        self.count += 1
        name = f"H-{self.seed}-{self.count}"
        code_id = self.session.add_code(books[0].id, name, color="#{:06X}".format(self.rng.randrange(1 << 24)))
        if code_id is not None:
            say("ACK", op="add_code", action=self.session.undo_stack[-1].action_id, code=code_id,
                name=name)

    def op_merge(self):
        codes = self._live_codes(harness_only=True)
        if len(codes) < 2:
            return self.op_add_code()
        src, dst = self.rng.sample(codes, 2)
        before = self._top()
        self.session.merge_codes(src.id, dst.id)
        action = self._new_action(before)
        if action:
            say("ACK", op="merge", action=action, source=src.id, target=dst.id)

    def _step(self, undo: bool):
        stack = self.session.undo_stack if undo else self.session.redo_stack
        if not stack:
            return
        undone = stack[-1].action_id
        if (self.session.undo if undo else self.session.redo)():
            new = (self.session.redo_stack if undo else self.session.undo_stack)[-1].action_id
            say("ACK", op="undo" if undo else "redo", action=new, undoes=undone)

    def op_undo(self):
        self._step(True)

    def op_redo(self):
        self._step(False)

    def op_import(self):
        from framelens import store
        from framelens.annotate.ops.importer import import_paths

        self.count += 1
        folder = self.work / "in" / f"{self.seed}-{self.count}"
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(self.rng.randint(2, 6)):
            tag = f"{self.seed}-{self.count}-{k}"
            text = hard_text(self.rng, self.rng.randint(30, 200), tag=tag)
            if self.rng.random() < 0.25:
                body = "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
                (folder / f"a{k}.html").write_text(
                    f"<html><head><title>T {tag}</title><script>alert(1)</script></head>"
                    f"<body><article>{body}</article></body></html>", "utf-8")
            else:
                ending = self.rng.choice(["\n", "\r\n", "\r"])
                (folder / f"a{k}.txt").write_bytes(text.replace("\n", ending).encode(
                    self.rng.choice(["utf-8", "utf-8-sig", "utf-16"])))

        def done(source, article_id):
            sha = store.get_article(self.project, article_id).text_sha256
            say("ACK", op="import", article=article_id, sha=sha)

        import_paths(self.project, [folder], on_done=done, batch_seconds=0.02, batch_size=2)

    def op_suggest(self):
        from framelens import store

        arts = self._articles()
        if not arts:
            return
        a = self.rng.choice(arts)
        self.count += 1
        version = f"{self.seed}.{self.count}"
        items = []
        for _ in range(self.rng.randint(1, 12)):
            start = self.rng.randrange(0, a.n_chars)
            items.append({"start": start, "end": min(a.n_chars, start + self.rng.randint(1, 40)),
                          "codebook": "harness_suggester", "label": self.rng.choice(["A", "B", "C"]),
                          "score": self.rng.random(), "suggester": "harness",
                          "suggester_version": version})
        store.add_suggestions(self.project, a.id, items)
        distinct = {(i["start"], i["end"], i["label"]) for i in items}
        say("ACK", op="suggest", article=a.id, version=version, n=len(distinct))

    def _export(self, fmt: str, suffix: str):
        from framelens.annotate.ops.datasets import export_dataset
        from framelens.annotate.ops.exchange import project_to_x

        self.count += 1
        out = self.work / "out" / f"export-{self.seed}-{self.count}{suffix}"
        out.parent.mkdir(parents=True, exist_ok=True)
        export_dataset(self.project, project_to_x(self.project), fmt, out)
        say("ACK", op="export" if fmt == "qdpx" else "export_csv", path=str(out), sha=sha_file(out))

    def op_export(self):
        self._export("qdpx", ".qdpx")

    def op_export_csv(self):
        self._export("csv", ".csv")

    def op_backup(self):
        from framelens.store import backup

        path = backup.maybe_backup(self.project, every_minutes=0, keep=5)
        if path is not None:
            say("ACK", op="backup", path=str(path))

    def op_open(self):
        arts = self._articles()
        if arts:
            self.window.open_article(self.rng.choice(arts).id)

    # -- loop ---------------------------------------------------------------------------------
    def run(self) -> None:
        from framelens import store

        print("READY", flush=True)
        names, weights = list(WEIGHTS), list(WEIGHTS.values())
        while True:
            op = self.rng.choices(names, weights)[0]
            say("BEGIN", op=op)
            try:
                getattr(self, f"op_{op}")()
            except store.ProjectError as exc:       # refused cleanly (e.g. undo conflict)
                print(f"REFUSED {op} {str(exc)[:120]!r}", flush=True)
            self.app.processEvents()


if __name__ == "__main__":
    Driver(sys.argv[1], sys.argv[2], int(sys.argv[3])).run()
