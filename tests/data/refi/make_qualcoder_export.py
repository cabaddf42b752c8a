"""How tests/data/refi/qualcoder40_twoplustwo.qdpx and .qdc were made: QualCoder's own REFI-QDA
exporter (``RefiExport`` in ``src/qualcoder/refi.py``), run headless on a small project stored
in QualCoder's own SQLite schema.  Not part of the test suite (it needs PyQt6 and a QualCoder
checkout); kept so that the fixture can be made again and checked.

    git clone https://github.com/ccbogel/QualCoder   # commit c3204641 ("QualCoder 4.0 Beta")
    python -m venv qcenv && qcenv/bin/pip install PyQt6 Pillow qtawesome
    qcenv/bin/python make_qualcoder_export.py QualCoder/src OUTDIR

* The schema is QualCoder's: its ``CREATE TABLE`` statements are read at run time out of the
  new-project function in ``src/qualcoder/__main__.py`` (nothing of QualCoder is copied here).
* The content is written into QualCoder's tables as QualCoder stores it: three texts of
  FrameLens's demo corpus (English, Russian, Japanese; assets/demo), two code categories (one
  inside the other), five codes (one a sub-code of another, one never used), eleven codings by
  two coders, a coding memo, source memos, an annotation (QualCoder's note on a passage), a
  journal entry, a case with a memo and the project memo.
* The AI, PDF and media modules that QualCoder's imports pull in but the exporter never calls
  are replaced by empty modules; dialogs are answered automatically.
"""
import ast
import builtins
import os
import sqlite3
import sys
import types
from pathlib import Path

QC_SRC, OUT = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
DEMO = Path(__file__).resolve().parents[3] / "assets" / "demo"
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["HOME"] = str(OUT / "home")
(OUT / "home" / ".qualcoder").mkdir(parents=True, exist_ok=True)
sys.path.insert(0, str(QC_SRC))


def qualcoder_schema() -> list[str]:
    """The CREATE TABLE statements of QualCoder's new-project function."""
    tree = ast.parse((QC_SRC / "qualcoder" / "__main__.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(n, ast.Constant) and isinstance(n.value, str)
                and n.value.startswith("CREATE TABLE project ") for n in ast.walk(node)):
            found = []
            for call in ast.walk(node):
                if (isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "execute"
                        and call.args):
                    try:
                        value = ast.literal_eval(call.args[0])
                    except ValueError:
                        continue
                    if isinstance(value, str) and value.lstrip().upper().startswith("CREATE"):
                        found.append(value)
            return found
    raise SystemExit("QualCoder's new-project function was not found")


for name in ("pymupdf", "vlc"):
    sys.modules[name] = types.ModuleType(name)
ai = types.ModuleType("qualcoder.ai_llm")
ai.get_default_ai_models = lambda *a, **k: []
ai.update_ai_models = lambda *a, **k: []
sys.modules["qualcoder.ai_llm"] = ai
media = types.ModuleType("qualcoder.media_player_qt")
media.MediaInstance, media.make_vlc_instance = object, (lambda *a, **k: None)
sys.modules["qualcoder.media_player_qt"] = media
builtins._ = lambda s: s                                  # QualCoder's gettext hook

from PyQt6 import QtWidgets  # noqa: E402

qapp = QtWidgets.QApplication([])
QtWidgets.QDialog.exec = lambda self: 1
QtWidgets.QMessageBox.exec = lambda self: 0
QtWidgets.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: str(OUT))
from qualcoder import app as qc_app, helpers, refi  # noqa: E402

helpers.Message.exec = refi.Message.exec = lambda self: 0

app = qc_app.App()
app.settings["codername"] = "alice"
project = OUT / "twoplustwo.qda"
for sub in ("", "images", "audio", "video", "documents"):
    (project / sub).mkdir(parents=True, exist_ok=True)
app.create_connection(str(project))
app.settings["directory"] = str(OUT)
cur = app.conn.cursor()
for statement in qualcoder_schema():
    cur.execute(statement)
app.update_coder_names()
cur.execute("INSERT INTO project VALUES(?,?,?,?,?,?,?,?,null,null,null)",
            ("v17", "2026-12-06 05:40:00", "Framing of the 2+2 talks: a test project.", app.version,
             0, 0, "alice", ""))

# -- the content -----------------------------------------------------------------------------
demo = DEMO
texts = [("en_tass_2019.txt", sorted((demo / "two-plus-two").glob("0*.txt"))[0].read_text(encoding="utf-8")),
         ("ru_mid_2017-03-20.txt", (demo / "original-language" / "ru_mid_2017-03-20.txt").read_text(encoding="utf-8")),
         ("ja_mofa_2018-07-31.txt", (demo / "original-language" / "ja_mofa_2018-07-31.txt").read_text(encoding="utf-8"))]
now = "2026-12-06 05:40:00"
for i, (name, text) in enumerate(texts, 1):
    cur.execute("insert into source (id, name, fulltext, mediapath, memo, owner, date) values (?,?,?,?,?,?,?)",
                (i, name, text, None, f"memo on source {name}" if i != 2 else "", "alice", now))
cur.execute("insert into code_cat (catid, name, owner, date, memo, supercatid) values (1,'Frames','alice',?, 'Entman frames', null)", (now,))
cur.execute("insert into code_cat (catid, name, owner, date, memo, supercatid) values (2,'Security','alice',?, '', 1)", (now,))
codes = [(1, "Threat", "Danger to the nation", 2, "#EB7333", None),
         (2, "Cooperation", "", 1, "#4287F5", None),
         (3, "Economic ties", "Trade, investment, projects", 1, "#4CAF50", 2),   # sub-code of Cooperation
         (4, "Territorial dispute", "", None, "#9C27B0", None),                   # top level
         (5, "Unused code", "Never applied", 2, "#FFEB3B", None)]                 # no coding
for cid, name, memo, catid, color, sup in codes:
    cur.execute("insert into code_name (cid, name, memo, catid, owner, date, color, supercid) values (?,?,?,?,?,?,?,?)",
                (cid, name, memo, catid, "alice", now, color, sup))
def code(cid, fid, word, owner, nth=0, memo=""):
    text = texts[fid - 1][1]
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(word, pos + 1)
    cur.execute("insert into code_text (cid, fid, seltext, pos0, pos1, owner, date, memo, important) values (?,?,?,?,?,?,?,?,null)",
                (cid, fid, word, pos, pos + len(word), owner, now, memo))
en = texts[0][1]
words = [w for w in en.split() if len(w) > 6][:6]
for k, w in enumerate(words[:4]):
    code(2 if k % 2 else 1, 1, w, "alice", memo="why coded" if k == 0 else "")
code(1, 1, words[0], "bob")
code(3, 1, words[4], "bob")
ru = texts[1][1]
ru_words = [w.strip(".,«»") for w in ru.split() if len(w) > 7][:3]
for k, w in enumerate(ru_words):
    code(4 if k == 0 else 2, 2, w, "alice" if k < 2 else "bob")
ja = texts[2][1]
code(2, 3, ja[10:16], "alice")
code(4, 3, ja[40:52], "bob")
cur.execute("insert into annotation (fid, pos0, pos1, memo, owner, date) values (1, ?, ?, 'an annotation on a passage', 'alice', ?)",
            (en.index(words[1]), en.index(words[1]) + len(words[1]), now))
cur.execute("insert into journal (name, jentry, date, owner) values ('Coding log', 'First pass done; Threat needs a clearer rule.', ?, 'alice')", (now,))
cur.execute("insert into cases (caseid, name, memo, owner, date) values (1, 'Russian MFA', 'the ministry as a source', 'alice', ?)", (now,))
cur.execute("insert into case_text (caseid, fid, pos0, pos1) values (1, 2, 0, ?)", (len(ru),))
app.conn.commit()
refi.RefiExport(app, QtWidgets.QTextEdit(), "project")
refi.RefiExport(app, QtWidgets.QTextEdit(), "codebook")
print(sorted(p.name for p in OUT.iterdir()))
