"""Project, import, reading and coding commands: init, demo, gui, import, articles, show,
stories, search, annotate, annotations."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Optional

from framelens import store

from framelens.annotate.ops.demo import build_demo, init_project
from framelens.annotate.ops.importer import Overrides, import_paths
from framelens.annotate.analysis.ingest import normalise_date
from .util import add_json_arg, add_project_arg, open_existing, print_json, print_table, progress_bar

DEFAULT_DEMO = "two-plus-two.framelens"


def register(sub) -> None:
    p = sub.add_parser("init", help="create an empty project with the default codebooks")
    add_project_arg(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="create the demo project (the 2+2 talks: five English "
                       "articles and a Russian, a Japanese and a Chinese one) and open it")
    add_project_arg(p, optional=True)
    p.add_argument("--no-gui", action="store_true", help="only create the project file")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("gui", help="open the desktop application")
    add_project_arg(p, optional=True)
    p.add_argument("--coder", help="code as this coder")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("import", help="import articles from files, folders, CSV or JSONL",
                       description="Import .txt .md .html .docx .pdf files, folders of them, and "
                       "bulk .csv/.tsv/.jsonl (columns text, title, outlet, country, published, "
                       "url, author, language). Bad files are reported by name; the rest of the "
                       "batch imports. For every article: the encoding is found (BOM, UTF-8, the "
                       "page's charset, else charset-normalizer's candidates and the legacy "
                       "Russian/Japanese/Chinese/Korean encodings, ISO-2022-JP included, checked "
                       "for readable text); page furniture (menus, share buttons, photo credits, "
                       "paywall and login lines, reuse notices, in Latin, Cyrillic, Chinese and "
                       "Japanese script) is removed and kept aside (framelens show --removed); "
                       "title, author, date and outlet come from the page's own metadata "
                       "(og:site_name, JSON-LD) before any guess from the text, and a news agency "
                       "the text cites is never taken for the outlet; the language is the file's, "
                       "else identified from the text (script, then py3langid for Latin and "
                       "Cyrillic). See docs/ingest.md.")
    add_project_arg(p)
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--outlet", help="outlet of every imported article (else from metadata/registry)")
    p.add_argument("--country", help="ISO 3166 alpha-2 country of the outlet, e.g. RU, JP, CN")
    p.add_argument("--story", help="add the imported articles to this story (created if new)")
    p.add_argument("--published", help="publication date, ISO full or partial (2017-03-20, 2017-03)")
    p.add_argument("--language", help="ISO 639-1 language code of every article "
                   "(default: the file's, else identified from the text)")
    add_json_arg(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("articles", help="list the articles with outlet, country and date")
    add_project_arg(p)
    p.add_argument("--story", help="only this story's articles (name or id)")
    p.add_argument("--country")
    p.add_argument("--outlet")
    add_json_arg(p)
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("show", help="print one article: text, raw capture or removed furniture")
    add_project_arg(p)
    p.add_argument("article", type=int, help="article id")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--raw", action="store_true", help="the capture as imported")
    group.add_argument("--removed", action="store_true", help="the page-furniture lines removed")
    add_json_arg(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("stories", help="list stories, or create one / add articles to it")
    add_project_arg(p)
    p.add_argument("--create", metavar="NAME", help="create (or reuse) this story")
    p.add_argument("--add", type=int, nargs="+", metavar="ID", help="article ids to add to --create")
    add_json_arg(p)
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser("search", help="full-text search over titles and texts",
                       description="FTS5 syntax: words, \"exact phrases\", AND / OR / NOT, prefix*.")
    add_project_arg(p)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=50)
    add_json_arg(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("annotate", help="code a span of an article (same checks as the GUI)")
    add_project_arg(p)
    p.add_argument("--article", type=int, required=True)
    p.add_argument("--start", type=int, required=True, help="code-point offset, inclusive")
    p.add_argument("--end", type=int, required=True, help="code-point offset, exclusive")
    p.add_argument("--code", required=True, help="code name, e.g. 'Security and defense'")
    p.add_argument("--codebook", help="codebook key or name when the code name is ambiguous")
    p.add_argument("--coder", required=True)
    p.add_argument("--memo")
    p.add_argument("--quote", help="expected text at the offsets (refused if it differs)")
    add_json_arg(p)
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("annotations", help="list annotations with article, code and coder")
    add_project_arg(p)
    p.add_argument("--article", type=int)
    p.add_argument("--coder")
    add_json_arg(p)
    p.set_defaults(func=cmd_annotations)


def cmd_init(args) -> int:
    project = init_project(args.project)
    n = len(store.list_codebooks(project))
    project.close()
    print(f"Created {args.project} with {n} codebooks.")
    return 0


def cmd_demo(args) -> int:
    path = Path(args.project or DEFAULT_DEMO)
    if path.exists():
        if not args.force:
            if args.no_gui:
                raise store.ProjectError(f"{path} already exists (use --force to rebuild it)")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    if not path.exists():
        with progress_bar("demo") as progress:
            project = build_demo(path, progress=progress, original_language=True)
        n, n_stories = store.count_articles(project), len(store.list_stories(project))
        project.close()
        print(f"Created the demo project {path}: {n} articles, {n_stories} stories.", file=sys.stderr)
    if args.no_gui:
        return 0
    return _launch_gui(str(path), None)


#: How ``gui`` (and ``demo`` without ``--no-gui``) open the window.  The command line lives in
#: ``annotate``, below the desktop room, so it never imports Qt itself: the ``framelens`` entry
#: point (``desktop.launch.main``) registers the desktop's launcher before it runs the CLI.
GuiLauncher = Callable[[Optional[str], Optional[str]], int]
_gui_launcher: GuiLauncher | None = None


def set_gui_launcher(launcher: GuiLauncher) -> None:
    global _gui_launcher
    _gui_launcher = launcher


def _launch_gui(path: str | None, coder: str | None) -> int:
    if _gui_launcher is None:
        raise ValueError("the desktop application is not available from this entry point; "
                        "run 'framelens gui' (or 'python -m framelens.desktop')")
    return _gui_launcher(path, coder)


def cmd_gui(args) -> int:
    return _launch_gui(args.project, args.coder)


def cmd_import(args) -> int:
    published = args.published
    if published:
        normalised = normalise_date(published)
        if normalised is None:
            raise ValueError(f"--published {published!r} is not a date (use 2017-03-20 or 2017-03)")
        published = normalised
    ov = Overrides(outlet=args.outlet, country=args.country, published=published,
                   language=args.language, story=args.story)
    project = open_existing(args.project)
    with progress_bar("import", enabled=not args.json) as progress:
        report = import_paths(project, args.paths, overrides=ov, progress=progress)
    project.close()
    if args.json:
        print_json(report.to_json())
    else:
        for source, existing in report.duplicates:
            print(f"skipped {source}: same text as article {existing} already in the project")
        for problem in report.problems:
            print(f"could not import {problem.source}: {problem.reason}")
        print(f"{args.project}: {report.summary()}.")
    return 1 if report.problems and not report.imported else 0


def _article_json(a: store.ArticleSummary, full: store.Article | None = None) -> dict:
    d = {"id": a.id, "title": a.title, "outlet": a.outlet, "country": a.country,
         "published": a.published, "language": a.language, "author": a.author, "url": a.url,
         "n_chars": a.n_chars}
    if full is not None:
        d.update({"text": full.text, "raw_text": full.raw_text, "removed": full.removed,
                  "text_sha256": full.text_sha256, "encoding": full.encoding,
                  "import_source": full.import_source, "imported_at": full.imported_at})
    return d


def cmd_articles(args) -> int:
    project = open_existing(args.project)
    story_id = None
    if args.story:
        key = int(args.story) if args.story.isdigit() else args.story
        story_id = store.get_story(project, key).id
    rows = store.list_articles(project, story_id=story_id, country=args.country, outlet=args.outlet)
    if args.json:
        print_json([_article_json(a, store.get_article(project, a.id)) for a in rows])
    else:
        print_table([vars(a) for a in rows], ["id", "outlet", "country", "published", "title"],
                    widths={"title": 60})
    project.close()
    return 0


def cmd_show(args) -> int:
    project = open_existing(args.project)
    article = store.get_article(project, args.article)
    project.close()
    if args.json:
        print_json(_article_json(article, article))
    elif args.removed:
        for r in article.removed:
            print(f"line {r.get('line')}: [{r.get('reason')}] {r.get('text')}")
    else:
        print(article.raw_text if args.raw else article.text)
    return 0


def cmd_stories(args) -> int:
    project = open_existing(args.project)
    if args.create:
        story_id = store.ensure_story(project, args.create)
        if args.add:
            store.add_to_story(project, story_id, args.add)
    stories = store.list_stories(project)
    if args.json:
        print_json([{**vars(s), "article_ids": store.story_article_ids(project, s.id)} for s in stories])
    else:
        print_table([vars(s) for s in stories], ["id", "name", "event_date", "n_articles"],
                    widths={"name": 60})
    project.close()
    return 0


def cmd_search(args) -> int:
    project = open_existing(args.project)
    hits = store.search(project, args.query, limit=args.limit)
    project.close()
    if args.json:
        print_json([vars(h) for h in hits])
    else:
        for h in hits:
            print(f"[{h.article_id}] {h.outlet or '?'} ({h.country or '?'}) {h.published or ''} "
                  f"@{h.offset}: {h.snippet}")
        print(f"{len(hits)} hit(s)")
    return 0


def cmd_annotate(args) -> int:
    project = open_existing(args.project)
    code = store.find_code(project, args.code, args.codebook)
    coder = store.ensure_coder(project, args.coder)
    ann_id, _ = store.add_annotation(project, article_id=args.article, start=args.start,
                                     end=args.end, code_id=code.id, coder_id=coder.id,
                                     memo=args.memo, quote=args.quote, origin="cli")
    ann = store.get_annotation(project, ann_id)
    project.close()
    if args.json:
        print_json(vars(ann))
    else:
        print(f"annotation {ann.id}: article {ann.article_id} {ann.start}–{ann.end} "
              f"{ann.code!r} by {ann.coder}: {ann.quote!r}")
    return 0


def cmd_annotations(args) -> int:
    project = open_existing(args.project)
    coder_ids = None
    if args.coder:
        coder = store.find_coder(project, args.coder)
        coder_ids = [coder.id] if coder else []
    anns = store.list_annotations(project, article_ids=[args.article] if args.article else None,
                                  coder_ids=coder_ids)
    project.close()
    if args.json:
        print_json([vars(a) for a in anns])
    else:
        print_table([vars(a) for a in anns], ["id", "article_id", "start", "end", "code", "coder", "quote"],
                    widths={"quote": 50})
    return 0
