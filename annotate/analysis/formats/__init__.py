"""Import/export formats of FrameLens, all working on the plain dataclasses of `model`.

- `model`: XProject, XArticle, XCode, XSpan, XLabel, FormatError, offset helpers
- `refi`: REFI-QDA 1.0 `.qdpx` projects and `.qdc` codebooks (MAXQDA, ATLAS.ti, NVivo, QualCoder)
- `jsonl`: Prodigy-shaped JSONL
- `docbin`: spaCy DocBin training data and a span-categorizer config
- `tables`: long/wide CSV and the SemEval-2023 Task 3 subtask 2 layout

spaCy is imported only by the functions that need it.
"""

from framelens.annotate.analysis.formats.model import (
    FormatError, XArticle, XCode, XLabel, XProject, XSpan, cp_to_utf16, utf16_to_cp, Utf16Index,
)
from framelens.annotate.analysis.formats.refi import read_qdc, read_qdpx, write_qdc, write_qdpx
from framelens.annotate.analysis.formats.jsonl import iter_jsonl_tasks, read_jsonl, write_jsonl
from framelens.annotate.analysis.formats.docbin import write_docbin
from framelens.annotate.analysis.formats.tables import write_long_csv, write_semeval, write_wide_csv

__all__ = [
    "FormatError", "XArticle", "XCode", "XLabel", "XProject", "XSpan",
    "cp_to_utf16", "utf16_to_cp", "Utf16Index",
    "read_qdc", "read_qdpx", "write_qdc", "write_qdpx",
    "iter_jsonl_tasks", "read_jsonl", "write_jsonl",
    "write_docbin",
    "write_long_csv", "write_semeval", "write_wide_csv",
]
