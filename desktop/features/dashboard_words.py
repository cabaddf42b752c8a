"""The dashboard's words for people: column headings, how each figure is counted (the tabs'
tooltips), and why a chart is empty with what would fill it.

Issue 18: three of the six tabs said "Nothing to show" without saying what would fill them, the
status line sent the reader to a source file for the definitions, and the table headings were
the tables' internal column keys.  Everything here is plain text derived from the numbers read
by ``compare.collect`` (no project access, no Qt), so each empty state is tested on a project
built to be empty in that way (tests/test_gui_discoverable.py).
"""

from __future__ import annotations

import re

from framelens.annotate.ops import compare

#: the tables' columns as headings (a column not listed reads as its words, capitalised)
COLUMN_LABELS = {
    "outlet": "Outlet", "country": "Country", "frame": "Frame",
    "coded_articles": "Coded articles", "coded_chars": "Coded characters",
    "covered_chars": "Characters with the frame", "share_chars": "Share of characters",
    "articles_with_frame": "Articles with the frame", "share_articles": "Share of articles",
    "spans": "Passages", "answered_articles": "Articles answered",
    "labelled": "Primary frame (answers)", "share_labelled": "Share (answers)",
    "largest_coverage": "Covers the most text", "share_largest_coverage": "Share (most text)",
    "scored_articles": "Scored articles", "mean_score": "Mean score",
    "set": "Name pair", "term": "Name used", "side": "Whose usage",
    "suggested": "Suggested", "share_suggested": "Share suggested",
    "coded": "Coded", "share_coded": "Share coded",
    "speaker_country": "Speaker's country", "suggested_passages": "Passages (suggested)",
    "suggested_speakers": "Speakers (suggested)", "coded_passages": "Passages (coded)",
    "coded_speakers": "Speakers (coded)", "actor": "Actor", "actor_country": "Actor's country",
    "kind": "Kind", "articles_in_scope": "Articles in scope",
    "suggested_mentions": "Mentions (suggested)", "suggested_articles": "Articles (suggested)",
    "coded_mentions": "Mentions (coded)", "share_coded_articles": "Share of articles (coded)",
}

#: how each table's figures are counted, in plain words (the tab's and the chart's tooltip)
DEFINITIONS = {
    "frame_prevalence": (
        "How much of each outlet's coded text carries each frame. An article counts as coded "
        "when the coder marked at least one passage with a code of the chosen codebook. Share "
        "of characters: characters inside passages of the frame (overlapping passages count "
        "once) divided by all characters of the coded articles. Share of articles: coded "
        "articles with the frame divided by coded articles."),
    "primary_frames": (
        "The main frame of each article. From the answers: articles whose answer to the "
        "primary-frame question is the frame, divided by the articles answered. From the text: "
        "coded articles in which the frame covers the most characters, divided by the coded "
        "articles."),
    "frame_scores": (
        "Semetko & Valkenburg's generic news frames: for each article and coder, the mean of the "
        "frame's answered yes/no questions (yes = 1, no = 0); an outlet's score is the mean "
        "over its scored articles, from 0 (never) to 1 (always)."),
    "contested_names": (
        "Which of two rival names for the same thing each outlet uses (for example a place "
        "name used on one side of a dispute), and whose usage it is. Suggested: names found by "
        "the contested-names suggester, rejected ones left out. Coded: passages coded with the "
        "Viewpoint codebook that are one of these names."),
    "voices": (
        "Whose words each outlet carries: quoted or paraphrased passages, grouped by the "
        "speaker's country, with the number of different speakers. Shares are of the outlet's "
        "passages."),
    "actors": (
        "Who is named: mentions of each person, organisation or country (places are left "
        "out) and the articles naming them. Share of articles: articles naming the actor "
        "divided by the outlet's articles in scope."),
}

SUGGEST = "run Suggestions → Suggest for story…"


def heading(column: str) -> str:
    return COLUMN_LABELS.get(column) or column.replace("_", " ").capitalize()


def _has(rows, coders, at: int = 1) -> tuple[bool, bool]:
    """(anyone has such rows, the chosen coders have)"""
    rows = list(rows)
    return bool(rows), any(r[at] in coders for r in rows)


def _not_these_coders(mode: compare.CoderMode, what: str) -> str:
    who = mode.label
    return (f"{who} has not {what} in this scope yet: choose All coders (pooled) in Coders "
            f"above, or switch to {who} (Coder → Switch coder…) and code here.")


def why_empty(raw: compare.RawStats, mode: compare.CoderMode, name: str) -> str:
    """Why the table ``name`` has nothing to chart for this scope and coder selection, and what
    would fill it (the first cause that applies)."""
    articles = sum(n for n, _chars in raw.totals.values())
    if not articles:
        if raw.story_id is not None:
            return (f"The story “{raw.scope}” has no articles: add articles to it in the Corpus "
                    "panel, or choose Whole project in Scope above.")
        return "No articles yet: import some with File → Import articles…"
    coders = set(mode.coder_ids)
    book = raw.codebook.name if raw.codebook else None
    if name in ("frame_prevalence", "primary_frames"):
        if not raw.codes:
            return ("No codebook with frames to count: add codes to a codebook in the Codebook "
                    "panel, then choose it in Frames above.")
        coded = _has([(o, c) for (o, c) in raw.coverage.coded], coders)
        answered = _has(raw.primary, coders)
        if name == "primary_frames" and answered[0] and not answered[1] and not coded[1]:
            return _not_these_coders(mode, "answered the primary frame of an article")
        if coded[0] and not coded[1]:
            return _not_these_coders(mode, f"coded with {book}")
        ask = ("give an article its primary frame in the Article panel, or "
               if name == "primary_frames" and raw.primary_question else "")
        return (f"Nothing coded with {book} yet: {ask}select a passage in an article and "
                f"press a frame's key in the Codebook panel.")
    if name == "frame_scores":
        if raw.sv_codebook is None:
            return ("Needs the Generic News Frames codebook (Semetko & Valkenburg), which this "
                    "project does not have: add it to the project, then answer its yes/no "
                    "questions for each article in the Article panel.")
        scored = _has(raw.sv_scores, coders)
        if scored[0] and not scored[1]:
            return _not_these_coders(mode, "answered the Semetko & Valkenburg questions")
        return ("No frame scores yet: answer the yes/no questions of Generic News Frames "
                "(Semetko & Valkenburg) for an article in the Article panel.")
    what, rows, coded_rows, how = {
        "contested_names": ("contested names", raw.contested, raw.contested_coded,
                            "code names with the Viewpoint codebook"),
        "voices": ("voices", raw.voices, raw.voices_coded,
                   "code quotations with the Voices codebook"),
        "actors": ("actors", raw.actors, raw.actors_coded,
                   "code people and organisations with the Actors codebook"),
    }[name]
    coded = _has(coded_rows, coders)
    if coded[0] and not coded[1] and not rows:
        return _not_these_coders(mode, f"coded any {what}")
    places = " (places are not counted)" if name == "actors" and (rows or coded_rows) else ""
    return f"No {what} yet{places}: {SUGGEST}, or {how}."


def one_unit_note(raw: compare.RawStats, unit: str, units: list[str]) -> str:
    """A line for a chart with data from only one outlet (or country): there is nothing to
    compare it with yet."""
    if len(units) != 1:
        return ""
    pick = 0 if unit == "outlet" else 1
    with_articles = {raw.outlets.get(o, (compare.NO_OUTLET, compare.UNKNOWN))[pick]
                     for o, (n, _c) in raw.totals.items() if n}
    plural = "outlets" if unit == "outlet" else "countries"
    if len(with_articles) < 2:
        return (f"Only {units[0]} here: comparing needs articles from at least two {plural} "
                "(File → Import articles…).")
    return (f"Only {units[0]} has any yet: code or suggest in the other {plural}' articles "
            "to compare.")


def answers_detail(detail: str, questions: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """An article's answers as read for the evidence list ("conflict_1 = 1, conflict_2 = 0",
    question keys) in words: (short, full).  ``questions`` maps a question key to (its wording,
    its kind); yes/no answers are summed up ("2 yes, 1 no"), a choice is its value; the full
    form lists each question as asked with its answer.  None when ``detail`` holds no key of
    ``questions`` (a code's or a suggestion's detail, already in words)."""
    if not detail or not questions:
        return None
    keys = "|".join(re.escape(k) for k in sorted(questions, key=len, reverse=True))
    found = list(re.finditer(rf"(?:^|, )({keys}) = ", detail))
    if not found or found[0].start() != 0:
        return None
    answers = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(detail)
        text, kind = questions[m.group(1)]
        value = detail[m.end():end]
        if kind == "yesno":
            value = {"1": "yes", "0": "no"}.get(value, value)
        answers.append((text, kind, value))
    yes = sum(1 for _t, k, v in answers if k == "yesno" and v == "yes")
    no = sum(1 for _t, k, v in answers if k == "yesno" and v == "no")
    short = [v for _t, k, v in answers if k != "yesno"]
    if yes or no:
        short.append(f"{yes} yes, {no} no")
    return "; ".join(short), "\n".join(f"{t} — {v}" for t, _k, v in answers)
