"""How tests/data/refi/qualcoder36_mannheimer.qdpx was made: QualCoder 3.6's own REFI-QDA
project exporter (``RefiExport`` in ``qualcoder/refi.py`` at tag ``3.6``, commit 7f9c3ab5), run
headless on a QualCoder 3.6 project that someone else made.  Not part of the test suite (it needs
PyQt6 and a QualCoder checkout):

    git clone https://github.com/ccbogel/QualCoder && git -C QualCoder checkout 3.6
    git clone https://github.com/ndporter/open-qualitative-research-qualcoder lesson
    python -m venv qcenv && qcenv/bin/pip install PyQt6 Pillow qtawesome
    qcenv/bin/python make_qualcoder36_export.py QualCoder \
        lesson/episodes/data/mannheimer_refi_qda_project_recoded.qda OUTDIR

The fixture is the exported file without its ``.docx`` members (QualCoder writes a rich-text
copy of every source beside the plain text; FrameLens reads the plain text): ``project.qde`` and
every ``.txt`` are byte for byte what QualCoder wrote.  The project is copied into OUTDIR first,
so the original is not touched.  QualCoder 3.6 keeps its App class in __main__.py, whose
imports pull in the whole GUI and the AI stack; the exporter uses only the project connection,
its name and path, three settings and the annotation query, so a minimal stand-in provides
those (the annotation query as QualCoder 3.6 writes it: the current coder's annotations)."""
import builtins
import os
import shutil
import sqlite3
import sys
from pathlib import Path
QC_SRC, PROJECT, OUT = (Path(a).resolve() for a in sys.argv[1:4])
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["HOME"] = str(OUT / "home")
(OUT / "home" / ".qualcoder").mkdir(parents=True, exist_ok=True)
sys.path.insert(0, str(QC_SRC))
builtins._ = lambda s: s
from PyQt6 import QtWidgets
qapp = QtWidgets.QApplication([])
QtWidgets.QDialog.exec = lambda self: 1
QtWidgets.QMessageBox.exec = lambda self: 0
QtWidgets.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: str(OUT))
from qualcoder import helpers, refi
helpers.Message.exec = refi.Message.exec = lambda self: 0
work = OUT / PROJECT.name
if work.exists():
    shutil.rmtree(work)
shutil.copytree(PROJECT, work)

class App:
    version = "QualCoder 3.6"
    ai = None
    ai_models = []
    def __init__(self, path, coder):
        self.project_path = str(path)
        self.project_name = path.name
        self.conn = sqlite3.connect(str(path / "data.qda"))
        self.settings = {"codername": coder, "directory": str(OUT), "ai_enable": "False", "fontsize": 12, "font": "Noto Sans"}
    def write_config_ini(self, *a):
        pass
    def get_annotations(self):
        cur = self.conn.cursor()
        cur.execute("select anid, fid, pos0, pos1, memo, owner, date from annotation where owner=?",
                    [self.settings['codername']])
        keys = 'anid', 'fid', 'pos0', 'pos1', 'memo', 'owner', 'date'
        return [dict(zip(keys, row)) for row in cur.fetchall()]

app = App(work, sys.argv[4] if len(sys.argv) > 4 else "saramannheimer")
refi.RefiExport(app, QtWidgets.QTextEdit(), "project")
print(sorted(p.name for p in OUT.iterdir()))
