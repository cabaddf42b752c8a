"""Bad files become ImportProblems with clear reasons; folders mix good and bad files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from framelens.annotate.analysis.ingest import MAX_TEXT_BYTES, Document, ImportProblem, iter_documents, read_file
from framelens.annotate.analysis.ingest import reader as reader_module

PARA = "Japan and Russia resumed on Monday a ministerial security dialogue for the first time."


def problem_of(path) -> ImportProblem:
    items = read_file(path)
    assert len(items) == 1 and isinstance(items[0], ImportProblem), items
    assert items[0].source == str(path)
    return items[0]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert problem_of(path).reason == "empty file"


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.md"
    path.write_bytes(b" \r\n\t\n  \n")
    assert problem_of(path).reason == "empty file (only whitespace)"


def test_furniture_only_file(tmp_path):
    path = tmp_path / "banner.txt"
    path.write_text("This website uses cookies. Click here to find out more.\nAccept cookies\n")
    assert problem_of(path).reason == "no article text left after removing page furniture"


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert problem_of(path).reason == "binary file (not text)"


def test_nul_bytes_in_text_file(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(PARA.encode() + b"\x00\x00\x00" + bytes(range(0, 40)))
    assert problem_of(path).reason == "binary file (not text)"


def test_undecodable_file(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes((i * 37 + 11) % 128 + 128 for i in range(600)))
    assert problem_of(path).reason == "cannot decode text"


def test_huge_file_is_refused_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:          # sparse: 2 GB on paper, nothing on disk
        handle.truncate(2 * 1024 ** 3)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("file was read"))
    reason = problem_of(path).reason          # refused from its size: read_bytes never ran
    assert reason == "file too large: 2048.0 MB of text (limit 20 MB)"


def test_text_over_the_limit_after_decoding(tmp_path, monkeypatch):
    monkeypatch.setattr(reader_module, "MAX_TEXT_BYTES", 1000)
    path = tmp_path / "long.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ("Long paragraph of text. " * 40 + "\n").encode() * 2)
    assert problem_of(path).reason.startswith("file too large: ")
    path = tmp_path / "long16.txt"       # 1.2 KB as UTF-16 (under 2 x limit): read, then refused
    path.write_bytes(("Длинный абзац текста. " * 28).encode("utf-16"))
    assert path.stat().st_size < 2000
    assert problem_of(path).reason == "file too large: 0.0 MB of text (limit 20 MB)"


def test_limit_constant():
    assert MAX_TEXT_BYTES == 20 * 1024 * 1024


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(PARA)
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert problem_of(path).reason == "cannot read: permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_by_mode(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(PARA)
    path.chmod(0)
    try:
        assert problem_of(path).reason == "cannot read: permission denied"
    finally:
        path.chmod(0o644)


def test_unsupported_suffix_given_explicitly(tmp_path):
    path = tmp_path / "data.xyz"
    path.write_text(PARA)
    assert problem_of(path).reason == "unsupported file type .xyz"
    bare = tmp_path / "README"
    bare.write_text(PARA)
    assert problem_of(bare).reason == "unsupported file type (no suffix)"


def test_missing_file(tmp_path):
    path = tmp_path / "missing.txt"
    assert problem_of(path).reason == "no such file or folder"


def test_folder_given_to_read_file(tmp_path):
    assert problem_of(tmp_path).reason == "is a folder, not a file"


def test_reader_defects_do_not_escape(tmp_path, monkeypatch):
    path = tmp_path / "fine.txt"
    path.write_text(PARA)

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(reader_module, "clean_text", explode)
    assert problem_of(path).reason == "unexpected error while reading: RuntimeError: boom"


def build_folder(root: Path) -> dict[str, str | None]:
    """Good and bad files; the value is the expected problem reason (None: a Document)."""
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    files = {
        "a_good.txt": (PARA.encode(), None),
        "b_empty.txt": (b"", "empty file"),
        "c_binary.md": (b"\x00\x01\x02\x03" * 50, "binary file (not text)"),
        "d_broken.docx": (b"not a zip", "broken .docx file (File is not a zip file)"),
        "e_ru.txt": ((Path(__file__).parent / "data/ingest/ru.txt").read_text(
            encoding="utf-8").encode("cp1251"), None),
        "sub/f_good.html": (f"<html><body><p>{PARA}</p></body></html>".encode(), None),
        "sub/deeper/g_scan.pdf": (b"%PDF-1.4\n%%EOF\n", "broken .pdf file"),
        "sub/notes.xyz": (b"unsupported, skipped silently in folders", None),
        ".hidden/h.txt": (PARA.encode(), None),
        ".dotfile.txt": (PARA.encode(), None),
        "~$lock.docx": (b"office lock file", None),
    }
    for name, (content, _) in files.items():
        (root / name).write_bytes(content)
    return {name: reason for name, (_, reason) in files.items()}


def test_folder_mixing_good_and_bad_files(tmp_path):
    expected = build_folder(tmp_path)
    items = list(iter_documents([tmp_path]))
    by_file = {Path(i.source).relative_to(tmp_path).as_posix(): i for i in items}
    assert list(by_file) == ["a_good.txt", "b_empty.txt", "c_binary.md", "d_broken.docx",
                             "e_ru.txt", "sub/deeper/g_scan.pdf", "sub/f_good.html"]
    for name, item in by_file.items():
        reason = expected[name]
        if reason is None:
            assert isinstance(item, Document), item
        else:
            assert isinstance(item, ImportProblem) and item.reason.startswith(reason), item
    assert by_file["e_ru.txt"].encoding == "cp1251"


def test_folder_not_recursive_and_explicit_files(tmp_path):
    build_folder(tmp_path)
    top = [Path(i.source).name for i in iter_documents([tmp_path], recursive=False)]
    assert top == ["a_good.txt", "b_empty.txt", "c_binary.md", "d_broken.docx", "e_ru.txt"]
    explicit = list(iter_documents([tmp_path / "sub" / "notes.xyz", tmp_path / "nope.txt",
                                    str(tmp_path / "a_good.txt")]))
    assert [(type(i).__name__, getattr(i, "reason", None)) for i in explicit] == [
        ("ImportProblem", "unsupported file type .xyz"),
        ("ImportProblem", "no such file or folder"),
        ("Document", None)]


def test_iter_documents_is_lazy(tmp_path):
    build_folder(tmp_path)
    iterator = iter_documents([tmp_path])
    first = next(iterator)
    assert isinstance(first, Document) and first.source.endswith("a_good.txt")
