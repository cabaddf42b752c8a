"""The importing layer of FrameLens: files in, :class:`Document` objects out (no database).

* :func:`iter_documents` / :func:`read_file` / :func:`iter_file` read ``.txt .md .markdown .html .htm .docx .pdf``
  and the bulk formats ``.csv .tsv .jsonl .ndjson``; every failure is an
  :class:`ImportProblem`, never an exception.
* :func:`decode_bytes` chooses the encoding (BOM, UTF-8, declared, then charset-normalizer
  checked for a coherent script) - see :mod:`annotate.ingest.decoding`.
* :func:`clean_text` removes page furniture (patterns in ``assets/furniture.json`` plus
  heuristics) - see :mod:`annotate.ingest.furniture`.
* :func:`recognise_outlet` finds the publisher in ``assets/outlets.json`` by URL or by how the
  text names itself - see :mod:`annotate.ingest.outlets`.
* :func:`normalise_date` turns dates into ISO 8601 full or partial dates.
"""

from .assets import assets_dir
from .dates import normalise_date
from .decoding import DecodeError, decode_bytes, normalise_text
from .furniture import clean_text, guess_title, load_furniture_rules
from .model import (MAX_TEXT_BYTES, SUPPORTED_SUFFIXES, Document, ImportProblem,
                    RemovedLine)
from .outlets import (Outlet, load_outlet_registry, lookup_outlet, outlet_for_url,
                      recognise_outlet)
from .reader import iter_documents, iter_file, list_files, read_file
from .scripts import guess_language

__all__ = [
    "MAX_TEXT_BYTES", "SUPPORTED_SUFFIXES", "DecodeError", "Document", "ImportProblem",
    "Outlet", "RemovedLine", "assets_dir", "clean_text", "decode_bytes", "guess_language",
    "guess_title", "iter_documents", "iter_file", "list_files", "load_furniture_rules", "load_outlet_registry",
    "lookup_outlet", "normalise_date", "normalise_text", "outlet_for_url", "read_file",
    "recognise_outlet",
]
