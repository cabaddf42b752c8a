"""How tests/data/refi/taguette152_codebook.qdc was made: Taguette 1.5.2's own REFI-QDA codebook
exporter (``codebook_xml`` in ``taguette/export.py``, remram44/taguette commit 8415bbc, BSD-3),
run on the tag paths of Taguette's own test project (``tests.py``: ``interesting``, ``people``,
``interesting\\places``) and of a framing codebook with Cyrillic, Japanese and Chinese names.
Not part of the test suite (it needs a Taguette checkout):

    git clone https://github.com/remram44/taguette && git -C taguette checkout 8415bbc
    python make_taguette_export.py taguette OUT.qdc

``taguette/export.py`` imports the whole web application (SQLAlchemy, Jinja, OpenTelemetry,
xlsxwriter); the exporter needs none of them, so its function is taken out of the module's
source by ``ast`` and run as written, with the standard-library names it uses and Taguette's
``exact_version`` answering the checkout's ``__version__``."""
import ast
import contextlib
import re
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesNSImpl

src, out = Path(sys.argv[1]), Path(sys.argv[2])
version = re.search(r"__version__ = '([^']+)'", (src / "taguette" / "__init__.py").read_text()).group(1)
module = ast.parse((src / "taguette" / "export.py").read_text())
func = next(n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == "codebook_xml")
func.decorator_list = []
namespace = {"contextlib": contextlib, "uuid": uuid, "XMLGenerator": XMLGenerator,
             "AttributesNSImpl": AttributesNSImpl, "exact_version": lambda: version,
             "TAGUETTE_NAMESPACE": uuid.UUID("51B2B2B7-27EB-4ECB-9D56-E75B0A0496C2")}
exec(compile(ast.Module([func], []), "taguette/export.py", "exec"), namespace)
paths = ["interesting", "people", "interesting\\places",
         "Конфликт", "Конфликт\\Территориальный спор", "安全保障", "経済協力", "外交\\对话"]
namespace["codebook_xml"]([SimpleNamespace(path=p) for p in paths], str(out))
print(out.read_text("utf-8"))
