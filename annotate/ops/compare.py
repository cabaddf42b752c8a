"""The comparison dashboard's numbers: how outlets and countries frame one story (or the project).

:func:`collect` reads everything once (``store.stats``: aggregate reads, every coder kept apart);
:func:`build_tables` turns that into the tables for one coder selection and one unit (outlet or
country) in milliseconds, so switching coder or unit never touches the project again.

Definitions (per outlet; a country pools its outlets' sums; "all coders" pools the coders' sums,
each coder-article pair being one coding unit; the adjudicated coding is a coder of its own):

* **Frame prevalence** — *coded articles* of a coder are the articles in which the coder marked at
  least one span of the codebook.  *Share of characters* = characters covered by the code
  (union of the coder's spans of that code in each article: overlaps count once) / characters
  of the coder's coded articles.  *Share of articles* = coded articles with at least one span
  of the code / coded articles.
* **Primary frames** — *labelled*: articles whose ``primary_frame`` answer is the frame / articles
  with an answer.  *Largest coverage*: coded articles in which the frame covers the most
  characters (ties go to the code created first) / coded articles.
* **Frame scores (Semetko & Valkenburg)** — per article and coder, the mean of the answered yes/no
  items of each frame (1 = yes, 0 = no); the unit's score is the mean over its scored articles.
* **Contested-name choices** — mentions of each rival name (set, term, the side whose usage it
  is).  *Suggested*: spans proposed by the ``contested`` suggester (a span proposed by several
  versions counts once; spans any coder rejected are left out).  *Coded*: spans coded in the
  ``viewpoint`` codebook that are a contested name (accepted from a suggestion, or whose words
  are a term of the lexicon); the code is the side.  Shares are within the unit and set.
* **Voices heard, by country** — quoted or paraphrased passages (``voices``) by the country of the
  speaker, with the number of distinct speakers; shares are of the unit's passages.
* **Actor prominence** — mentions of each actor (``actors``; places left out) and the articles
  naming it; *share of articles* = articles naming the actor / articles of the unit in scope.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from framelens import store

from framelens.annotate.resources import asset_path

UNKNOWN = "unknown"
NO_OUTLET = "(no outlet)"
SV_CODEBOOK = "semetko_valkenburg"
PRIMARY_QUESTION = "primary_frame"
TABLES = ("frame_prevalence", "primary_frames", "frame_scores", "contested_names", "voices",
          "actors")
TITLES = {
    "frame_prevalence": "Frame prevalence", "primary_frames": "Primary frames",
    "frame_scores": "Frame scores (Semetko & Valkenburg)", "contested_names": "Contested names",
    "voices": "Voices heard by country", "actors": "Actor prominence",
}
SIDE_COLORS = {"Russian": "#2A9D8F", "Chinese": "#E08E45", "Japanese": "#A35D9B", "US": "#5B7BD5",
               "Other": "#8A8F98"}


@dataclass
class CoderMode:
    key: str                      # "all", "adjudicated" or "coder:<id>"
    label: str
    coder_ids: tuple[int, ...]


@dataclass
class Table:
    """One dashboard table for one coder selection and one unit, with how to chart it."""

    name: str
    unit: str                     # "outlet" or "country"
    columns: list[str]
    rows: list[dict]
    value: str                    # the column charted
    category: str                 # the column whose values are the chart's columns / segments
    categories: list[str] = field(default_factory=list)
    colors: dict[str, str] = field(default_factory=dict)
    percent: bool = True

    @property
    def title(self) -> str:
        return f"{TITLES[self.name]} — per {self.unit}"

    def units(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.rows:
            seen.setdefault(r[self.unit], None)
        return list(seen)

    def matrix(self) -> tuple[list[str], list[str], list[list[float | None]]]:
        """(units, categories, values[unit][category]): the charted value, summed when a
        category has several rows in a unit (terms of one side, say)."""
        units, cats = self.units(), list(self.categories)
        for r in self.rows:
            if r[self.category] not in cats:
                cats.append(r[self.category])
        ui, ci = {u: i for i, u in enumerate(units)}, {c: i for i, c in enumerate(cats)}
        values: list[list[float | None]] = [[None] * len(cats) for _ in units]
        for r in self.rows:
            v = r.get(self.value)
            if v is None:
                continue
            i, j = ui[r[self.unit]], ci[r[self.category]]
            values[i][j] = (values[i][j] or 0) + v
        return units, cats, values


@dataclass
class RawStats:
    """Everything :func:`build_tables` needs, read once by :func:`collect`."""

    story_id: int | None
    scope: str
    codebook: store.Codebook | None
    codes: list[store.Code]
    coders: dict[int, str]
    outlets: dict[int | None, tuple[str, str]]          # id -> (name, country)
    totals: dict[int | None, tuple[int, int]]
    coverage: store.Coverage
    primary_question: int | None
    primary: list[tuple]
    sv_codebook: int | None
    sv_codes: list[store.Code]
    sv_scores: list[tuple]
    contested: list[tuple]
    contested_coded: list[tuple]
    voices: list[tuple]
    voices_coded: list[tuple]
    actors: list[tuple]
    actors_coded: list[tuple]
    viewpoint_codebook: int | None = None
    voices_codebook: int | None = None
    actors_codebook: int | None = None


def find_codebook(project: store.Project, key: str) -> store.Codebook | None:
    return next((cb for cb in store.list_codebooks(project) if key in (cb.key, cb.id, cb.name)), None)


@lru_cache(maxsize=1)
def contested_terms() -> dict[str, tuple[str, str]]:
    """Lower-cased term or variant -> (set name, term), from the contested-names lexicon."""
    data = json.loads(asset_path("lexicons", "contested_names.json").read_text("utf-8"))
    terms: dict[str, tuple[str, str]] = {}
    for st in data.get("sets", []):
        for t in st.get("terms", []):
            for form in [t["term"], *t.get("variants", [])]:
                terms.setdefault(form.lower().replace("’", "'"), (st.get("name", st["id"]), t["term"]))
    return terms


def _reads(project: store.Project, sid: int | None, books: dict) -> dict:
    """The label and suggestion reads of :func:`collect` (SQLite-bound)."""
    coded = lambda key: (store.coded_spans(project, books[key].id, story_id=sid)  # noqa: E731
                         if books.get(key) else [])
    sv, question = books.get("sv"), books.get("primary")
    versions = store.suggester_versions(project)
    return {
        "primary": store.choice_counts(project, question, story_id=sid) if question else [],
        "sv_scores": store.yesno_scores(project, sv.id, story_id=sid) if sv else [],
        "contested": store.suggestion_counts(project, "contested", story_id=sid, articles=False,
                                             keys=("set_name", "term"),
                                             versions=versions.get("contested", 0)),
        "contested_coded": coded("viewpoint"),
        "voices": store.suggestion_counts(project, "voices", story_id=sid, articles=False,
                                          versions=versions.get("voices", 0)),
        "voices_coded": coded("voices"),
        "actors": store.suggestion_counts(project, "actors", story_id=sid,
                                          versions=versions.get("actors", 0)),
        "actors_coded": coded("actors"),
    }


def collect(project: store.Project, *, story: int | str | None = None,
            codebook: str | int = "policy_frames") -> RawStats:
    """Read the numbers of one scope (a story, or the whole project with ``story=None``)."""
    s = store.get_story(project, story) if story is not None else None
    sid = s.id if s else None
    cb = find_codebook(project, codebook)
    codes = store.list_codes(project, cb.id) if cb else []
    names = store.outlet_names(project)
    outlets = {oid: (name, country or UNKNOWN) for oid, (name, country) in names.items()}
    outlets[None] = (NO_OUTLET, UNKNOWN)
    question = None
    if cb is not None:
        question = next((q.id for q in store.list_questions(project, cb.id)
                         if q.key == PRIMARY_QUESTION), None)
    books = {k: find_codebook(project, k) for k in ("viewpoint", "voices", "actors")}
    books.update(sv=find_codebook(project, SV_CODEBOOK), primary=question)
    sv = books["sv"]
    coverage = store.span_coverage(project, [c.id for c in codes], story_id=sid)
    if sid is None:                    # the whole project: many rows to give an outlet each
        with store.outlet_lookup(project):
            reads = _reads(project, sid, books)
    else:
        reads = _reads(project, sid, books)
    return RawStats(
        story_id=sid, scope=s.name if s else "Whole project", codebook=cb, codes=codes,
        coders={c.id: c.name for c in store.list_coders(project)}, outlets=outlets,
        totals=store.article_totals(project, story_id=sid), coverage=coverage,
        primary_question=question, sv_codebook=sv.id if sv else None,
        sv_codes=store.list_codes(project, sv.id) if sv else [], **reads,
        viewpoint_codebook=books["viewpoint"].id if books["viewpoint"] else None,
        voices_codebook=books["voices"].id if books["voices"] else None,
        actors_codebook=books["actors"].id if books["actors"] else None)


def coder_modes(raw: RawStats) -> list[CoderMode]:
    """All coders pooled, the adjudicated coding, then each coder."""
    people = {i: n for i, n in raw.coders.items() if n != store.ADJUDICATED}
    modes = [CoderMode("all", "All coders (pooled)", tuple(sorted(people)))]
    adj = next((i for i, n in raw.coders.items() if n == store.ADJUDICATED), None)
    if adj is not None:
        modes.append(CoderMode("adjudicated", "Adjudicated", (adj,)))
    modes += [CoderMode(f"coder:{i}", n, (i,)) for i, n in sorted(people.items(), key=lambda x: x[1])]
    return modes


def find_mode(raw: RawStats, key: str) -> CoderMode:
    for m in coder_modes(raw):
        if m.key == key or m.label == key:
            return m
    raise ValueError(f"no coder selection {key!r}")


# -- building the tables ---------------------------------------------------------------------------
def _unit_of(raw: RawStats, unit: str):
    if unit == "outlet":
        return lambda oid: raw.outlets.get(oid, (NO_OUTLET, UNKNOWN))[0]
    if unit == "country":
        return lambda oid: raw.outlets.get(oid, (NO_OUTLET, UNKNOWN))[1]
    raise ValueError(f"unit must be 'outlet' or 'country', not {unit!r}")


def _lead(raw: RawStats, unit: str, name: str) -> dict:
    if unit == "outlet":
        country = next((c for n, c in raw.outlets.values() if n == name), UNKNOWN)
        return {"outlet": name, "country": country}
    return {"country": name}


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 6) if b else None


def _sum_into(target: dict, key, values) -> None:
    cur = target.get(key)
    if cur is None:
        target[key] = list(values)
    else:
        for i, v in enumerate(values):
            cur[i] += v


def _ukey(u: str) -> tuple:
    """Units in alphabetical order, the unknown ones last."""
    return (u in (NO_OUTLET, UNKNOWN), u.lower())


def _unit_order(units) -> list[str]:
    return sorted(set(units), key=_ukey)


def frame_prevalence(raw: RawStats, mode: CoderMode, unit: str) -> Table:
    of, coders = _unit_of(raw, unit), set(mode.coder_ids)
    base: dict = {}
    for (oid, coder), vals in raw.coverage.coded.items():
        if coder in coders:
            _sum_into(base, of(oid), vals)
    cells: dict = {}
    for (oid, code, coder), vals in raw.coverage.cells.items():
        if coder in coders:
            _sum_into(cells, (of(oid), code), vals)
    lead = ["outlet", "country"] if unit == "outlet" else ["country"]
    rows = []
    for u in _unit_order(base):
        n_art, n_chars = base[u]
        for c in raw.codes:
            cov, arts, spans = cells.get((u, c.id), (0, 0, 0))
            rows.append({**_lead(raw, unit, u), "frame": c.name, "coded_articles": n_art,
                         "coded_chars": n_chars, "covered_chars": cov,
                         "share_chars": _ratio(cov, n_chars), "articles_with_frame": arts,
                         "share_articles": _ratio(arts, n_art), "spans": spans})
    return Table("frame_prevalence", unit, lead + [
        "frame", "coded_articles", "coded_chars", "covered_chars", "share_chars",
        "articles_with_frame", "share_articles", "spans"], rows, "share_chars", "frame",
        [c.name for c in raw.codes], {c.name: c.color for c in raw.codes})


def primary_frames(raw: RawStats, mode: CoderMode, unit: str) -> Table:
    of, coders = _unit_of(raw, unit), set(mode.coder_ids)
    labelled: dict = {}
    answered: dict = {}
    for oid, coder, value, n in raw.primary:
        if coder in coders:
            u = of(oid)
            labelled[(u, value)] = labelled.get((u, value), 0) + n
            answered[u] = answered.get(u, 0) + n
    dominant: dict = {}
    for (oid, code, coder), n in raw.coverage.dominant.items():
        if coder in coders:
            dominant[(of(oid), code)] = dominant.get((of(oid), code), 0) + n
    coded: dict = {}
    for (oid, coder), (n_art, _chars) in raw.coverage.coded.items():
        if coder in coders:
            coded[of(oid)] = coded.get(of(oid), 0) + n_art
    frames = [c.name for c in raw.codes]
    frames += sorted({v for (_u, v) in labelled} - set(frames))
    ids = {c.name: c.id for c in raw.codes}
    rows = []
    for u in _unit_order([*answered, *coded]):
        for f in frames:
            n_lab = labelled.get((u, f), 0)
            n_dom = dominant.get((u, ids.get(f)), 0)
            rows.append({**_lead(raw, unit, u), "frame": f, "answered_articles": answered.get(u, 0),
                         "labelled": n_lab, "share_labelled": _ratio(n_lab, answered.get(u, 0)),
                         "coded_articles": coded.get(u, 0), "largest_coverage": n_dom,
                         "share_largest_coverage": _ratio(n_dom, coded.get(u, 0))})
    value = "share_labelled" if answered else "share_largest_coverage"
    lead = ["outlet", "country"] if unit == "outlet" else ["country"]
    return Table("primary_frames", unit, lead + [
        "frame", "answered_articles", "labelled", "share_labelled", "coded_articles",
        "largest_coverage", "share_largest_coverage"], rows, value, "frame", frames,
        {c.name: c.color for c in raw.codes})


def frame_scores(raw: RawStats, mode: CoderMode, unit: str) -> Table:
    of, coders = _unit_of(raw, unit), set(mode.coder_ids)
    sums: dict = {}
    for oid, coder, code, total, n in raw.sv_scores:
        if coder in coders:
            _sum_into(sums, (of(oid), code), (total, n))
    rows = []
    for u in _unit_order([u for u, _ in sums]):
        for c in raw.sv_codes:
            total, n = sums.get((u, c.id), (0.0, 0))
            rows.append({**_lead(raw, unit, u), "frame": c.name, "scored_articles": n,
                         "mean_score": _ratio(total, n)})
    lead = ["outlet", "country"] if unit == "outlet" else ["country"]
    return Table("frame_scores", unit, lead + ["frame", "scored_articles", "mean_score"], rows,
                 "mean_score", "frame", [c.name for c in raw.sv_codes],
                 {c.name: c.color for c in raw.sv_codes})


def _coded_term(quote: str, data_json: str | None) -> tuple[str, str] | None:
    data = _data(data_json)
    if data.get("set_name") and data.get("term"):
        return data["set_name"], data["term"]
    return contested_terms().get(" ".join(quote.split()).lower().replace("’", "'"))


def contested_names(raw: RawStats, mode: CoderMode, unit: str) -> Table:
    of, coders = _unit_of(raw, unit), set(mode.coder_ids)
    counts: dict = {}
    for oid, side, set_name, term, _data, n, _arts in raw.contested:
        _sum_into(counts, (of(oid), set_name, term, side), (n, 0))
    for oid, coder, _art, side, quote, data in raw.contested_coded:
        if coder in coders:
            st = _coded_term(quote, data)
            if st is not None:
                _sum_into(counts, (of(oid), st[0], st[1], side), (0, 1))
    per_set: dict = {}
    for (u, set_name, _t, _s), (sug, cod) in counts.items():
        _sum_into(per_set, (u, set_name), (sug, cod))
    rows = []
    for key in sorted(counts, key=lambda k: (_ukey(k[0]), k[1], k[3], k[2])):
        u, set_name, term, side = key
        sug, cod = counts[key]
        tot_s, tot_c = per_set[(u, set_name)]
        rows.append({**_lead(raw, unit, u), "set": set_name, "term": term, "side": side,
                     "suggested": sug, "share_suggested": _ratio(sug, tot_s),
                     "coded": cod, "share_coded": _ratio(cod, tot_c)})
    coded_any = any(r["coded"] for r in rows)
    lead = ["outlet", "country"] if unit == "outlet" else ["country"]
    return Table("contested_names", unit, lead + [
        "set", "term", "side", "suggested", "share_suggested", "coded", "share_coded"], rows,
        "coded" if coded_any else "suggested", "side", list(SIDE_COLORS), dict(SIDE_COLORS),
        percent=False)


def _data(text: str | None) -> dict:
    """A suggestion's data (``{}`` for none)."""
    return json.loads(text) if text else {}


def _speaker_countries(raw: RawStats) -> dict[str, str]:
    out: dict[str, str] = {}
    for _oid, label, data, _n, _a in raw.voices:
        country = _data(data).get("country")
        if country:
            out.setdefault(label, country)
    return out


def voices(raw: RawStats, mode: CoderMode, unit: str) -> Table:
    of, coders = _unit_of(raw, unit), set(mode.coder_ids)
    passages: dict = {}
    speakers: dict = {}
    for oid, label, data, n, _arts in raw.voices:
        key = (of(oid), _data(data).get("country") or UNKNOWN)
        _sum_into(passages, key, (n, 0))
        speakers.setdefault(("s",) + key, set()).add(label)
    known = _speaker_countries(raw)
    for oid, coder, _art, label, _quote, data in raw.voices_coded:
        if coder in coders:
            country = _data(data).get("country") or known.get(label) or UNKNOWN
            key = (of(oid), country)
            _sum_into(passages, key, (0, 1))
            speakers.setdefault(("c",) + key, set()).add(label)
    totals: dict = {}
    for (u, _c), vals in passages.items():
        _sum_into(totals, u, vals)
    rows = []
    for u, country in sorted(passages, key=lambda k: (_ukey(k[0]), k[1] == UNKNOWN, k[1])):
        sug, cod = passages[(u, country)]
        tot_s, tot_c = totals[u]
        rows.append({**_lead(raw, unit, u), "speaker_country": country,
                     "suggested_passages": sug,
                     "suggested_speakers": len(speakers.get(("s", u, country), ())),
                     "share_suggested": _ratio(sug, tot_s), "coded_passages": cod,
                     "coded_speakers": len(speakers.get(("c", u, country), ())),
                     "share_coded": _ratio(cod, tot_c)})
    coded_any = any(r["coded_passages"] for r in rows)
    cats = sorted({r["speaker_country"] for r in rows}, key=lambda c: (c == UNKNOWN, c))
    lead = ["outlet", "country"] if unit == "outlet" else ["country"]
    return Table("voices", unit, lead + [
        "speaker_country", "suggested_passages", "suggested_speakers", "share_suggested",
        "coded_passages", "coded_speakers", "share_coded"], rows,
        "share_coded" if coded_any else "share_suggested", "speaker_country", cats)


def actors(raw: RawStats, mode: CoderMode, unit: str, *, top: int = 40) -> Table:
    of, coders = _unit_of(raw, unit), set(mode.coder_ids)
    counts: dict = {}
    info: dict[str, tuple[str, str]] = {}
    for oid, label, data, n, arts in raw.actors:
        d = _data(data)
        if d.get("kind") == "place":
            continue
        cell = counts.setdefault((of(oid), label), [0, 0, 0, set()])
        cell[0] += n
        cell[1] += arts
        info.setdefault(label, (d.get("country") or UNKNOWN, d.get("kind") or UNKNOWN))
    for oid, coder, art, label, _quote, data in raw.actors_coded:
        if coder in coders:
            d = _data(data)
            if d.get("kind") == "place":
                continue
            cell = counts.setdefault((of(oid), label), [0, 0, 0, set()])
            cell[2] += 1
            cell[3].add(art)
            info.setdefault(label, (d.get("country") or UNKNOWN, d.get("kind") or UNKNOWN))
    articles: dict = {}
    for oid, (n_art, _chars) in raw.totals.items():
        articles[of(oid)] = articles.get(of(oid), 0) + n_art
    overall: dict[str, int] = {}
    for (_u, label), (n, _a, c, _s) in counts.items():
        overall[label] = overall.get(label, 0) + n + c
    ranked = sorted(overall, key=lambda a: (-overall[a], a))
    rank = {a: i for i, a in enumerate(ranked)}
    rows = []
    for (u, label) in sorted(counts, key=lambda k: (_ukey(k[0]), rank[k[1]])):
        n, arts, c, coded_arts = counts[(u, label)]
        country, kind = info.get(label, (UNKNOWN, UNKNOWN))
        rows.append({**_lead(raw, unit, u), "actor": label, "actor_country": country,
                     "kind": kind, "articles_in_scope": articles.get(u, 0),
                     "suggested_mentions": n, "suggested_articles": arts,
                     "share_articles": _ratio(arts, articles.get(u, 0)),
                     "coded_mentions": c, "coded_articles": len(coded_arts),
                     "share_coded_articles": _ratio(len(coded_arts), articles.get(u, 0))})
    coded_any = any(r["coded_mentions"] for r in rows)
    lead = ["outlet", "country"] if unit == "outlet" else ["country"]
    return Table("actors", unit, lead + [
        "actor", "actor_country", "kind", "articles_in_scope", "suggested_mentions",
        "suggested_articles", "share_articles", "coded_mentions", "coded_articles",
        "share_coded_articles"], rows,
        "share_coded_articles" if coded_any else "share_articles", "actor", ranked[:top])


BUILDERS = {"frame_prevalence": frame_prevalence, "primary_frames": primary_frames,
            "frame_scores": frame_scores, "contested_names": contested_names, "voices": voices,
            "actors": actors}


def build_tables(raw: RawStats, mode: CoderMode | str = "all", unit: str = "outlet") -> dict[str, Table]:
    """Every table for one coder selection and unit."""
    if isinstance(mode, str):
        mode = find_mode(raw, mode)
    return {name: BUILDERS[name](raw, mode, unit) for name in TABLES}


# -- CSV and JSON --------------------------------------------------------------------------------------
def _cell(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return v


def write_csv(table: Table, path: str | Path) -> Path:
    """One table as CSV (UTF-8, header row; shares as fractions 0–1, empty when undefined)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(table.columns)
        for r in table.rows:
            w.writerow([_cell(r.get(c)) for c in table.columns])
    return path


def csv_name(table: Table) -> str:
    return f"{table.name}_by_{table.unit}.csv"


def export_csv(raw: RawStats, folder: str | Path, mode: CoderMode | str = "all",
               units: tuple[str, ...] = ("outlet", "country")) -> list[Path]:
    """Every table, by outlet and by country, as ``<table>_by_<unit>.csv`` in ``folder``."""
    out = []
    for unit in units:
        for table in build_tables(raw, mode, unit).values():
            out.append(write_csv(table, Path(folder) / csv_name(table)))
    return out


def to_json(raw: RawStats, mode: CoderMode | str = "all",
            units: tuple[str, ...] = ("outlet", "country")) -> dict:
    mode = find_mode(raw, mode) if isinstance(mode, str) else mode
    return {"scope": raw.scope, "story_id": raw.story_id,
            "codebook": raw.codebook.key if raw.codebook else None, "coders": mode.label,
            "tables": {f"{t.name}_by_{unit}": {"columns": t.columns, "rows": t.rows}
                       for unit in units for t in build_tables(raw, mode, unit).values()}}


# -- the rows behind a number --------------------------------------------------------------------------
def evidence(project: store.Project, raw: RawStats, mode: CoderMode, table: Table, unit_value: str,
             category: str, *, limit: int = 200) -> list[dict]:
    """The spans (or articles) behind one chart cell: ``store.EVIDENCE_COLUMNS`` dicts."""
    of = _unit_of(raw, table.unit)
    outlet_ids = [oid for oid in raw.outlets if of(oid) == unit_value]
    common = {"outlet_ids": outlet_ids, "story_id": raw.story_id, "limit": limit}
    coders = list(mode.coder_ids)
    name = table.name
    if name in ("frame_prevalence", "primary_frames") and not (
            name == "primary_frames" and table.value == "share_labelled"):
        ids = [c.id for c in raw.codes if c.name == category]
        return store.span_evidence(project, code_ids=ids, coder_ids=coders, **common)
    if name == "primary_frames":
        return store.label_evidence(project, question_ids=[raw.primary_question],
                                    coder_ids=coders, value=category, **common)
    if name == "frame_scores":
        code = next((c.id for c in raw.sv_codes if c.name == category), None)
        if raw.sv_codebook is None or code is None:
            return []
        qs = [q.id for q in store.list_questions(project, raw.sv_codebook) if q.code_id == code]
        return store.label_evidence(project, question_ids=qs, coder_ids=coders, **common)
    if name == "contested_names":
        if table.value == "coded":
            quotes = [v for t in contested_terms() for v in {t, t.replace("'", "’")}]
            return store.coded_evidence(project, raw.viewpoint_codebook, coder_ids=coders,
                                        code_names=[category], quotes=quotes, **common)
        return store.suggestion_evidence(project, "contested", labels=[category], **common)
    if name == "voices":
        if table.value == "share_coded":
            labels = [lab for lab, c in _speaker_countries(raw).items() if c == category]
            return store.coded_evidence(project, raw.voices_codebook, coder_ids=coders,
                                        code_names=labels, **common)
        return store.suggestion_evidence(
            project, "voices", data={"country": "" if category == UNKNOWN else category}, **common)
    if name == "actors":
        if table.value == "share_coded_articles":
            return store.coded_evidence(project, raw.actors_codebook, coder_ids=coders,
                                        code_names=[category], **common)
        return store.suggestion_evidence(project, "actors", labels=[category], **common)
    raise ValueError(f"no table {name!r}")
