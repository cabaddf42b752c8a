"""Prodigy-shaped JSONL: one task per article (or per article and coder).

A written task looks like
    {"text": ..., "meta": {"article": key, "title", "outlet", "country", "published", "url",
     "language", ...article.meta},
     "tokens": [{"text", "start", "end", "id", "ws"}],
     "spans": [{"start", "end", "token_start", "token_end", "label", "code", "codebook",
                "coder", "memo"?}],
     "article_labels": [{"code"|"question", "value", "coder"}],
     "answer": "accept", "_input_hash": int, "_task_hash": int, "_annotator_id"?: str}
`label` is the code's name (what Prodigy shows), `code` its FrameLens key; `token_end` is
inclusive.  A span that does not fall on token boundaries gets the tokens that overlap it.

Hashes are our own, stable across runs and machines (never Python's `hash`): a signed 32-bit
integer from BLAKE2b.  `_input_hash` covers the text; `_task_hash` covers the input hash and
the annotations (sorted span start/end/code/coder and article labels), so the same text with
different annotations gets a different task hash, as in Prodigy.

Reading accepts this shape and plain Prodigy output: spans without `coder` take the task's
`_annotator_id` (or `_session_id`, else "imported"); a `label` without `code` becomes the code
"<default_codebook>/<label>".  Binary text-classification tasks (`label` + `answer`) and
choice tasks (`accept` list) become article labels.  Spans of rejected or ignored tasks are
not imported.  The whole file is checked before anything is returned; problems raise
`FormatError` naming the file and line.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from bisect import bisect_left, bisect_right
from itertools import islice
from typing import Any, Iterable, Iterator, Mapping, Sequence, TextIO

from framelens.annotate.analysis.formats.model import (
    FormatError, XArticle, XCode, XLabel, XProject, XSpan, group_by_article,
)

__all__ = ["iter_jsonl_tasks", "write_jsonl", "read_jsonl", "input_hash", "task_hash",
           "tasks_to_lines"]

_FIELDS = ("title", "outlet", "country", "published", "url", "language")


def _int32(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=4).digest(), "big", signed=True)


def input_hash(text: str) -> int:
    """Stable signed 32-bit hash of a task's text."""
    return _int32(b"framelens-input\x00" + text.encode("utf-8", "surrogatepass"))


def task_hash(in_hash: int, spans: Iterable[Mapping], labels: Iterable[Mapping] = ()) -> int:
    """Stable signed 32-bit hash of the input hash plus the annotations of a task."""
    sp = sorted((s["start"], s["end"], str(s.get("code") or s.get("label")), str(s.get("coder")))
                for s in spans)
    lb = sorted((str(x.get("code")), str(x.get("question")), str(x.get("value")),
                 str(x.get("coder"))) for x in labels)
    payload = json.dumps([in_hash, sp, lb], ensure_ascii=False, separators=(",", ":"))
    return _int32(b"framelens-task\x00" + payload.encode("utf-8", "surrogatepass"))


def _token_span(starts: list[int], ends: list[int], start: int, end: int) -> tuple[int, int]:
    """Indices of the first and last (inclusive) tokens overlapping [start, end)."""
    if not starts:
        return 0, 0
    i = max(bisect_right(starts, start) - 1, 0)
    if ends[i] <= start and i + 1 < len(starts):
        i += 1  # start falls in whitespace after token i
    j = min(bisect_left(ends, end), len(ends) - 1)
    if starts[j] >= end and j > 0:
        j -= 1  # end falls in whitespace before token j
    return i, max(i, j)


def _article_meta(a: XArticle) -> dict[str, Any]:
    meta: dict[str, Any] = {k: v for k, v in a.meta.items() if k not in ("article", *_FIELDS)}
    meta["article"] = a.key
    for f in _FIELDS:
        if getattr(a, f) is not None:
            meta[f] = getattr(a, f)
    return meta


def _label_dict(lab: XLabel) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if lab.code is not None:
        d["code"] = lab.code
    if lab.question is not None:
        d["question"] = lab.question
    d["value"] = lab.value
    d["coder"] = lab.coder
    return d


def iter_jsonl_tasks(items: Iterable[Sequence], *, tokenizer: Any,
                     codes: Mapping[str, XCode] | None = None, annotator: str | None = None,
                     split_coders: bool = False, batch_size: int = 256) -> Iterator[dict]:
    """Yield one task dict per item, streaming.

    `items` yields `(article, spans)` or `(article, spans, labels)` with the spans/labels of
    that article, so a caller can stream 50k articles from a database without building a
    project.  `tokenizer` is a spaCy tokenizer (or a pipeline, whose `.tokenizer` is used);
    texts are tokenised in batches with `tokenizer.pipe`.  `annotator` sets `_annotator_id`
    on every task; with `split_coders` one task is made per article and coder instead, each
    with that coder as `_annotator_id`.
    """
    tok = getattr(tokenizer, "tokenizer", tokenizer)
    codes = codes or {}
    it = iter(items)
    while True:
        chunk = list(islice(it, batch_size))
        if not chunk:
            return
        docs = tok.pipe([c[0].text for c in chunk], batch_size=batch_size)
        for item, doc in zip(chunk, docs):
            article, spans = item[0], list(item[1])
            labels = list(item[2]) if len(item) > 2 else []
            tokens = [{"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i,
                       "ws": bool(t.whitespace_)} for t in doc]
            starts = [t["start"] for t in tokens]
            ends = [t["end"] for t in tokens]
            base = {"text": article.text, "meta": _article_meta(article), "tokens": tokens,
                    "_input_hash": input_hash(article.text)}
            if split_coders:
                coders = list(dict.fromkeys([*(s.coder for s in spans), *(x.coder for x in labels)]))
                for c in coders:
                    yield _task(base, [s for s in spans if s.coder == c],
                                [x for x in labels if x.coder == c], starts, ends, codes, c)
            else:
                yield _task(base, spans, labels, starts, ends, codes, annotator)


def _task(base: dict, spans: list[XSpan], labels: list[XLabel], starts: list[int],
          ends: list[int], codes: Mapping[str, XCode], annotator: str | None) -> dict:
    text_len = len(base["text"])
    out_spans = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if not 0 <= s.start <= s.end <= text_len:
            raise ValueError(f"span {s.start}-{s.end} outside article {base['meta']['article']!r}")
        ts, te = _token_span(starts, ends, s.start, s.end)
        code = codes.get(s.code)
        d = {"start": s.start, "end": s.end, "token_start": ts, "token_end": te,
             "label": code.name if code else s.code, "code": s.code,
             "codebook": code.codebook if code else None, "coder": s.coder}
        if s.memo:
            d["memo"] = s.memo
        out_spans.append(d)
    out_labels = [_label_dict(x) for x in labels]
    task = dict(base)
    task["spans"] = out_spans
    task["article_labels"] = out_labels
    task["answer"] = "accept"
    task["_task_hash"] = task_hash(base["_input_hash"], out_spans, out_labels)
    if annotator is not None:
        task["_annotator_id"] = annotator
    return task


def write_jsonl(project: XProject, fp: str | os.PathLike | TextIO, *, nlp_tokenizer: Any,
                coder: str | None = None, split_coders: bool = False,
                batch_size: int = 256) -> int:
    """Write `project` as JSONL to a path or text file; returns the number of tasks.

    With `coder`, only that coder's spans and labels are exported and every task carries
    `_annotator_id`; a project with a single coder gets it too.
    """
    spans = [s for s in project.spans if coder is None or s.coder == coder]
    labels = [x for x in project.labels if coder is None or x.coder == coder]
    annotator = coder
    if annotator is None and not split_coders:
        used = set(s.coder for s in spans) | set(x.coder for x in labels) or set(project.coders)
        annotator = next(iter(used)) if len(used) == 1 else None
    sp, lb = group_by_article(spans), group_by_article(labels)
    items = ((a, sp.get(a.key, ()), lb.get(a.key, ())) for a in project.articles)
    tasks = iter_jsonl_tasks(items, tokenizer=nlp_tokenizer, codes=project.code_map(),
                             annotator=annotator, split_coders=split_coders, batch_size=batch_size)
    if isinstance(fp, (str, os.PathLike)):
        with open(fp, "w", encoding="utf-8", newline="\n") as fh:
            return _dump(tasks, fh)
    return _dump(tasks, fp)


def _dump(tasks: Iterable[dict], fh: TextIO) -> int:
    n = 0
    for t in tasks:
        fh.write(json.dumps(t, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


# ---------------------------------------------------------------------------- reading

def _int_field(d: Mapping, name: str, where: str) -> int:
    v = d.get(name)
    if not isinstance(v, int) or isinstance(v, bool):
        raise FormatError(where, f"span {name} is {v!r}, not an integer")
    return v


def read_jsonl(path: str | os.PathLike, *, default_codebook: str = "imported",
               name: str | None = None) -> XProject:
    """Read our JSONL or plain Prodigy JSONL into an XProject (all-or-nothing)."""
    try:
        fh = open(path, "r", encoding="utf-8-sig", newline=None)
    except OSError as e:
        raise FormatError(path, f"cannot open ({e.strerror})") from None
    articles: dict[str, XArticle] = {}
    codes: dict[str, XCode] = {}
    spans: list[XSpan] = []
    labels: list[XLabel] = []
    with fh:
        try:
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    _read_task(line, f"{path}:{lineno}", articles, codes, spans, labels,
                               default_codebook)
        except UnicodeDecodeError as e:
            raise FormatError(path, f"not UTF-8 text ({e.reason})") from None
    coders = list(dict.fromkeys([*(s.coder for s in spans), *(x.coder for x in labels)]))
    return XProject(name=name or os.path.splitext(os.path.basename(path))[0],
                    articles=list(articles.values()), codes=list(codes.values()),
                    spans=spans, labels=labels, coders=coders)


def _code_for(label: Any, code: Any, codebook: Any, codes: dict[str, XCode],
              default_codebook: str, where: str) -> str:
    if not isinstance(label, str) and not isinstance(code, str):
        raise FormatError(where, "annotation has neither a string label nor a code")
    if not isinstance(codebook, str) or not codebook:
        codebook = code.split("/", 1)[0] if isinstance(code, str) and "/" in code \
            else default_codebook
    if not isinstance(code, str) or not code:
        code = f"{codebook}/{label}"
    if code not in codes:
        name = label if isinstance(label, str) else code.rsplit("/", 1)[-1]
        codes[code] = XCode(key=code, codebook=codebook, name=name)
    return code


def _read_task(line: str, where: str, articles: dict[str, XArticle], codes: dict[str, XCode],
               spans: list[XSpan], labels: list[XLabel], default_codebook: str) -> None:
    try:
        task = json.loads(line)
    except ValueError as e:
        raise FormatError(where, f"invalid JSON ({e})") from None
    if not isinstance(task, dict) or not isinstance(task.get("text"), str):
        raise FormatError(where, "a task must be an object with a string 'text'")
    text = task["text"]
    meta = task.get("meta") or {}
    if not isinstance(meta, dict):
        raise FormatError(where, "'meta' must be an object")
    key = meta.get("article", meta.get("article_key"))
    if key is None:
        key = task.get("_input_hash", input_hash(text))
    key = str(key)
    art = articles.get(key)
    if art is None:
        extra = {k: v for k, v in meta.items() if k not in ("article", "article_key", *_FIELDS)}
        fields = {f: (str(meta[f]) if meta.get(f) is not None else None) for f in _FIELDS}
        articles[key] = XArticle(key=key, text=text, meta=extra, **fields)
    elif art.text != text:
        raise FormatError(where, f"article {key!r} appeared before with a different text")
    answer = task.get("answer", "accept")
    if answer == "ignore":
        return
    default_coder = str(task.get("_annotator_id") or task.get("_session_id") or "imported")
    raw_spans = task.get("spans") or []
    if not isinstance(raw_spans, list):
        raise FormatError(where, "'spans' must be a list")
    for sp in raw_spans if answer == "accept" else []:
        if not isinstance(sp, dict):
            raise FormatError(where, "a span must be an object")
        start, end = _int_field(sp, "start", where), _int_field(sp, "end", where)
        if not 0 <= start <= end <= len(text):
            raise FormatError(where, f"span {start}-{end} outside the text (length {len(text)})")
        code = _code_for(sp.get("label"), sp.get("code"), sp.get("codebook"), codes,
                         default_codebook, where)
        memo = sp.get("memo")
        spans.append(XSpan(article=key, start=start, end=end, code=code,
                           coder=str(sp.get("coder") or default_coder),
                           memo=memo if isinstance(memo, str) else None, quote=text[start:end]))
    raw_labels = task.get("article_labels", task.get("labels")) or []
    if not isinstance(raw_labels, list):
        raise FormatError(where, "'article_labels' must be a list")
    for lab in raw_labels if answer == "accept" else []:
        if not isinstance(lab, dict) or "value" not in lab:
            raise FormatError(where, "an article label must be an object with a 'value'")
        code = lab.get("code")
        question = lab.get("question")
        if code is None and not isinstance(question, str):
            raise FormatError(where, "an article label needs a 'code' or a 'question'")
        if code is not None:
            code = _code_for(None, code, None, codes, default_codebook, where)
        labels.append(XLabel(article=key, coder=str(lab.get("coder") or default_coder),
                             code=code, question=question, value=str(lab["value"])))
    if isinstance(task.get("label"), str) and answer in ("accept", "reject"):
        code = _code_for(task["label"], None, None, codes, default_codebook, where)
        labels.append(XLabel(article=key, coder=default_coder, code=code, question=None,
                             value="1" if answer == "accept" else "0"))
    chosen = task.get("accept")
    if isinstance(chosen, list) and answer == "accept":
        options = {o.get("id"): o.get("text", o.get("id")) for o in task.get("options") or []
                   if isinstance(o, dict)}
        for opt in chosen:
            code = _code_for(str(options.get(opt, opt)), None, None, codes, default_codebook,
                             where)
            labels.append(XLabel(article=key, coder=default_coder, code=code, question=None,
                                 value="1"))


def tasks_to_lines(tasks: Iterable[dict]) -> str:
    """The JSONL text of `tasks` (handy for small exports and tests)."""
    buf = io.StringIO()
    _dump(tasks, buf)
    return buf.getvalue()

