"""Word-level diff of shared copy (agency stories republished with edits).

* ``shared_text_ratio(a, b)`` -- how much of two texts is common, from a
  character diff (diff-match-patch ``diff_main`` + ``diff_cleanupSemantic``,
  bounded by a timeout): ``2 * common / (len(a) + len(b))``, 1.0 for identical
  texts, 0.0 when nothing is shared.
* ``propose_diff(a, b, threshold=0.6)`` -- whether the pair is worth showing
  as a word diff.
* ``word_diff(a, b)`` -- the diff at word granularity: every token (a word,
  a run of whitespace, or one punctuation mark) is mapped to one private
  character, the two character strings are diffed and semantically cleaned
  up, and the result is mapped back to the texts.  Marks therefore always
  cover whole words.

Offsets are Python code points into ``a`` (``a_marks``, and ``a_start``/
``a_end`` of ops) and into ``b`` (``b_marks``, ``b_start``/``b_end``), end
exclusive.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch

DIFF_TIMEOUT = 1.0          # seconds; diff-match-patch degrades to a coarser diff after it

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)+|\w+(?:['’\-.]\w+)*|\s+|[^\w\s]")
_FIRST_CODE = 0xE000        # start of the private-use area
_OP_NAMES = {0: "equal", -1: "delete", 1: "insert"}


@dataclass(frozen=True)
class DiffOp:
    op: str                 # "equal", "delete" or "insert"
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    text: str


@dataclass
class WordDiff:
    a_marks: list = field(default_factory=list)    # (start, end, "delete")
    b_marks: list = field(default_factory=list)    # (start, end, "insert")
    ops: list = field(default_factory=list)        # DiffOp, in text order


def _dmp(timeout: float) -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    return dmp


def shared_text_ratio(a: str, b: str, timeout: float = DIFF_TIMEOUT) -> float:
    """Fraction of characters the two texts have in common (0..1)."""
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    dmp = _dmp(timeout)
    diffs = dmp.diff_main(a, b)
    dmp.diff_cleanupSemantic(diffs)
    common = sum(len(text) for op, text in diffs if op == 0)
    return 2.0 * common / (len(a) + len(b))


def propose_diff(a: str, b: str, threshold: float = 0.6,
                 timeout: float = DIFF_TIMEOUT) -> bool:
    """True when a and b share enough text for a word diff to be useful."""
    return shared_text_ratio(a, b, timeout) >= threshold


def tokenize(text: str) -> list[str]:
    """Words, whitespace runs and single punctuation marks; joined they give
    back the text exactly."""
    return _TOKEN.findall(text)


def _code_char(index: int) -> str:
    code = _FIRST_CODE + index
    if code >= 0xF900:                       # past the BMP private-use area
        code = 0xF0000 + (index - (0xF900 - _FIRST_CODE))
    if code > 0x10FFFF:
        raise ValueError("too many distinct tokens for a word diff")
    return chr(code)


def _encode(tokens: list[str], table: dict[str, str], vocab: list[str]) -> str:
    out = []
    for tok in tokens:
        ch = table.get(tok)
        if ch is None:
            ch = _code_char(len(vocab))
            table[tok] = ch
            vocab.append(tok)
        out.append(ch)
    return "".join(out)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _edge_score(prev: str, nxt: str) -> int:
    """How good a place the gap between two tokens is for an edit boundary."""
    if not prev or not nxt:
        return 6
    if "\n" in prev or "\n" in nxt:
        return 5
    if prev in ".!?…;:":
        return 4
    if prev.isspace() or nxt.isspace():
        return 2
    if not prev[-1].isalnum() or not nxt[0].isalnum():
        return 1
    return 0


def _align_edges(seq: list) -> list:
    """Slide each lone insertion/deletion between two equal runs to the most
    natural token boundary (line break, sentence end, space)."""
    seq = [[op, list(toks)] for op, toks in seq]
    for i in range(1, len(seq) - 1):
        (op0, left), (op, mid), (op2, right) = seq[i - 1], seq[i], seq[i + 1]
        if op0 != 0 or op2 != 0 or op == 0 or not mid:
            continue
        while left and left[-1] == mid[-1]:          # slide fully left
            tok = left.pop()
            mid = [tok] + mid[:-1]
            right = [tok] + right
        best = None
        while True:                                  # then try each step right
            score = _edge_score(left[-1] if left else "", mid[0]) + \
                _edge_score(mid[-1], right[0] if right else "")
            if best is None or score >= best[0]:
                best = (score, left[:], mid[:], right[:])
            if not right or right[0] != mid[0]:
                break
            left.append(mid.pop(0))
            mid.append(right.pop(0))
        seq[i - 1][1], seq[i][1], seq[i + 1][1] = best[1], best[2], best[3]
    return [(op, toks) for op, toks in seq if toks]


def _decode_index(ch: str) -> int:
    code = ord(ch)
    if code >= 0xF0000:
        return code - 0xF0000 + (0xF900 - _FIRST_CODE)
    return code - _FIRST_CODE


def word_diff(a: str, b: str, timeout: float = DIFF_TIMEOUT) -> WordDiff:
    """Diff a against b word by word; see the module docstring."""
    table: dict[str, str] = {}
    vocab: list[str] = []
    enc_a = _encode(tokenize(a), table, vocab)
    enc_b = _encode(tokenize(b), table, vocab)
    dmp = _dmp(timeout)
    diffs = dmp.diff_main(enc_a, enc_b, False)
    dmp.diff_cleanupSemantic(diffs)
    seq = _align_edges([(op, [vocab[_decode_index(c)] for c in chars])
                        for op, chars in diffs])

    result = WordDiff()
    pos_a = pos_b = 0
    for op, toks in seq:
        text = "".join(toks)
        end_a = pos_a + (len(text) if op <= 0 else 0)
        end_b = pos_b + (len(text) if op >= 0 else 0)
        if result.ops and result.ops[-1].op == _OP_NAMES[op]:
            prev = result.ops.pop()         # runs left adjacent by the alignment
            result.ops.append(DiffOp(prev.op, prev.a_start, end_a, prev.b_start,
                                     end_b, prev.text + text))
        else:
            result.ops.append(DiffOp(_OP_NAMES[op], pos_a, end_a, pos_b, end_b, text))
        pos_a, pos_b = end_a, end_b

    for d in result.ops:
        if d.op == "delete":
            s, e = _trim(a, d.a_start, d.a_end)
            if e > s:
                result.a_marks.append((s, e, "delete"))
        elif d.op == "insert":
            s, e = _trim(b, d.b_start, d.b_end)
            if e > s:
                result.b_marks.append((s, e, "insert"))
    return result


def apply_ops(ops: list[DiffOp]) -> tuple[str, str]:
    """Rebuild (a, b) from the ops of a WordDiff."""
    a = "".join(d.text for d in ops if d.op in ("equal", "delete"))
    b = "".join(d.text for d in ops if d.op in ("equal", "insert"))
    return a, b
