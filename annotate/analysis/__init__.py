"""Pure analysis: functions of texts, spans and codings that never open a project (agreement,
offsets, word diffs, alignment, the language pipelines, import parsing and cleaning, dataset
formats).  Nothing here imports ``framelens.annotate.ops`` or the command line (an import
contract in pyproject.toml); the one store call is the guard in ``ingest/reader.py`` that
refuses to read the open project's own files."""
