"""Suggestions on the command line: ``framelens suggest``, ``framelens train``, ``framelens review``.

They call the same functions as the desktop review panel (``annotate.suggest_project`` and
``store.accept_suggestion`` / ``store.decide_suggestion``), so a script and a coder at the
screen leave the same records.
"""

from __future__ import annotations

import sys

from framelens import store

from .util import add_project_arg, open_existing, print_json, print_table, progress_bar

SUGGESTERS = ("actors", "voices", "contested", "cues", "learned")


def register(sub) -> None:
    p = sub.add_parser(
        "suggest", help="run the suggesters over articles and store their suggestions",
        description="Run the spaCy suggesters (actors, voices, contested names, frame cues; "
        "'learned' uses the trained model) over the project, a story or some articles. "
        "Articles that already have suggestions from the current suggester versions are "
        "skipped, so re-running is cheap and stores nothing twice. A progress bar goes to "
        "stderr; --json prints every suggestion of the selected articles afterwards (existing "
        "ones included). Each article's language picks its pipeline (English: en_core_web_sm; "
        "Russian: natasha; Japanese: ja_ginza; Chinese: jieba with heuristic entities); the "
        "pipelines used and what each cannot do are printed first, and every --json item "
        "names its pipeline.")
    add_project_arg(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--story", help="only this story's articles (name or id)")
    which.add_argument("--article", type=int, action="append", metavar="ID",
                       help="only this article (repeat for several)")
    p.add_argument("--suggesters", nargs="+", choices=SUGGESTERS, metavar="NAME",
                   help=f"which suggesters to run and print (default: the rule suggesters; "
                        f"choices: {' '.join(SUGGESTERS)})")
    p.add_argument("--min-score", type=float, default=0.0, help="print only suggestions scoring at least this")
    p.add_argument("--batch-size", type=int, default=32,
                   help="spaCy nlp.pipe batch size (default 32; a batch of 32 long articles peaks "
                        "at ~650 MB per process, so use 16 or less with --n-process 2)")
    p.add_argument("--n-process", type=int, default=1,
                   help="spaCy worker processes (default 1; 2 can pay on two idle cores)")
    p.add_argument("--json", action="store_true", help="print the suggestions as JSON")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser(
        "train", help="train the learned suggester on the coders' decisions",
        description="Train the learned sentence classifier on the passages coded in the codebook "
        "(accepted suggestions and manual codings) and the rejected suggestions, report its "
        "held-out precision and recall per code, store it in the project, and suggest with it "
        "for the articles the coder has not coded yet. Without --every it trains now; with "
        "--every N only when N decisions were made since the last training.")
    add_project_arg(p)
    p.add_argument("--every", type=int, metavar="N", help="train only after N new decisions")
    p.add_argument("--coder", help="train on this coder's decisions (default: everyone's)")
    p.add_argument("--codebook", default="policy_frames", help="codebook key (default policy_frames)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser(
        "review", help="accept, reject or skip one suggestion (or list the open ones)",
        description="Decide on a suggestion as a coder, exactly as the review panel does: "
        "accepting creates an annotation that remembers the suggestion (optionally with "
        "edited bounds --start/--end); a rejected span + label is never offered to that coder "
        "again. --list prints the coder's open suggestions.")
    add_project_arg(p)
    p.add_argument("--coder", required=True, help="the coder deciding")
    p.add_argument("--suggestion", type=int, metavar="ID", help="the suggestion's id")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--accept", action="store_true")
    what.add_argument("--reject", action="store_true")
    what.add_argument("--skip", action="store_true")
    what.add_argument("--list", action="store_true", help="list the coder's open suggestions")
    p.add_argument("--start", type=int, help="accept with this start offset instead")
    p.add_argument("--end", type=int, help="accept with this end offset instead")
    p.add_argument("--article", type=int, action="append", metavar="ID", help="with --list: only this article")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_review)


def cmd_suggest(args) -> int:
    from framelens.annotate.ops import suggest_project as sp

    project = open_existing(args.project)
    try:
        selected = sp.select_articles(project, article_ids=args.article, story=args.story)
        from framelens.annotate.analysis.nlp.languages import info_line
        infos = sp.language_pipelines(a.language for a in selected)
        for info in infos:
            print(f"pipeline {info_line(info['language'])}", file=sys.stderr)
        with progress_bar("Suggesting") as bar:
            report = sp.run_suggestions(project, article_ids=[a.id for a in selected],
                                        suggesters=args.suggesters, progress=bar,
                                        batch_size=args.batch_size, n_process=args.n_process)
        for msg in dict.fromkeys(report.messages):
            print(msg, file=sys.stderr)
        print(report.summary(), file=sys.stderr)
        by_lang: dict[str, list[int]] = {}
        for a in selected:
            by_lang.setdefault(info_lang(a.language), []).append(a.id)
        if args.json:
            names = args.suggesters or list(sp.RULE_SUGGESTERS)
            rows = sp.all_suggestions(project, [a.id for a in selected], suggesters=names,
                                      min_score=args.min_score)
            lang_of = {aid: lang for lang, ids in by_lang.items() for aid in ids}
            info = {i["language"]: i for i in infos}
            out = []
            for s in rows:
                item = sp.suggestion_json(s)
                p = info.get(lang_of.get(item.get("article")), {})
                item["pipeline"] = {"language": p.get("language"), "name": p.get("name"),
                                    "heuristic_ner": p.get("heuristic_ner")}
                out.append(item)
            print_json(out)
        else:
            print_table([{"language": i["language"], "articles": len(by_lang.get(i["language"], [])),
                          "pipeline": i["name"], "cannot": "; ".join(i["limits"])} for i in infos],
                        ["language", "articles", "pipeline", "cannot"])
            rows = [{"suggester": k, "found": report.found.get(k, 0), "new": report.new.get(k, 0),
                     "version": report.versions.get(k, "")} for k in sorted(report.found)]
            if rows:
                print_table(rows, ["suggester", "found", "new", "version"])
    finally:
        project.close()
    return 0


def info_lang(language: str | None) -> str:
    from framelens.annotate.analysis.nlp.pipeline import normalise_language
    return normalise_language(language)


def _coder(project: store.Project, name: str | None, *, create: bool = False) -> store.Coder | None:
    if name is None:
        return None
    found = store.ensure_coder(project, name) if create else store.find_coder(project, name)
    if found is None:
        names = ", ".join(c.name for c in store.list_coders(project)) or "none yet"
        raise ValueError(f"no coder {name!r} (coders: {names})")
    return found


def _fmt(v) -> str:
    return "-" if v is None else f"{v:.2f}"


def cmd_train(args) -> int:
    from framelens.annotate.ops import suggest_project as sp

    project = open_existing(args.project)
    try:
        coder = _coder(project, args.coder)
        with progress_bar("Training") as bar:
            rep = sp.learned_cycle(project, coder_id=coder.id if coder else None,
                                   every_n=args.every or 0, force=args.every is None,
                                   codebook=args.codebook, progress=bar)
        if args.json:
            print_json(rep.as_dict())
            return 0
        print(rep.reason)
        if rep.trained:
            print(f"model {rep.version}: {rep.n_train} sentences, {rep.n_eval} held out; "
                  f"{rep.new_suggestions} new suggestions in {rep.unread_articles} uncoded articles")
            rows = [{"code": label, "precision": _fmt(m["precision"]), "recall": _fmt(m["recall"]),
                     "f1": _fmt(m["f1"]), "held-out n": m["support"]}
                    for label, m in rep.metrics.items()]
            if rows:
                print_table(rows, ["code", "precision", "recall", "f1", "held-out n"])
            else:
                print("(too few sentences to hold any out: no precision/recall yet)")
    finally:
        project.close()
    return 0


def cmd_review(args) -> int:
    from framelens.annotate.ops import suggest_project as sp

    project = open_existing(args.project)
    try:
        coder = _coder(project, args.coder, create=True)
        if args.list:
            rows = sp.review_queue(project, coder_id=coder.id, article_ids=args.article)
            data = [sp.suggestion_json(s) for s in rows]
            if args.json:
                print_json(data)
            else:
                print_table(data, ["id", "article", "start", "end", "label", "score", "suggester"])
            return 0
        if args.suggestion is None or not (args.accept or args.reject or args.skip):
            raise ValueError("give --suggestion ID and one of --accept, --reject, --skip (or --list)")
        if args.accept:
            ann_id, _ = store.accept_suggestion(project, args.suggestion, coder_id=coder.id,
                                                start=args.start, end=args.end)
            result = {"suggestion": args.suggestion, "decision": "accepted", "annotation": ann_id}
        else:
            decision = "rejected" if args.reject else "skipped"
            store.decide_suggestion(project, args.suggestion, coder_id=coder.id, decision=decision)
            result = {"suggestion": args.suggestion, "decision": decision}
        if args.json:
            print_json(result)
        else:
            print(f"suggestion {args.suggestion}: {result['decision']}" +
                  (f" (annotation {result['annotation']})" if "annotation" in result else ""))
    finally:
        project.close()
    return 0
