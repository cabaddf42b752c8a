"""Cross-outlet comparison commands: align, embed (the sentence vectors alignment uses), diff."""

from __future__ import annotations

from framelens import store

from .util import add_json_arg, add_project_arg, open_existing, print_json, progress_bar


def register(sub) -> None:
    p = sub.add_parser("align", help="link passages that report the same thing across a story's articles",
                       description="Prints the links (article ids, start/end code-point offsets of "
                       "both passages, score) and, per article, its 'only here' passages and "
                       "omissions. Results are cached in the project per story.")
    add_project_arg(p)
    p.add_argument("--story", required=True, help="story name or id")
    p.add_argument("--no-cache", action="store_true", help="recompute even if cached")
    p.add_argument("--strictness", choices=["strict", "balanced", "generous"], default="balanced",
                   help="how sure a link must be: strict gives fewer, surer links; generous more "
                   "links, more of them wrong (default: balanced)")
    add_json_arg(p)
    p.set_defaults(func=cmd_align)

    p = sub.add_parser("embed", help="store the sentence vectors alignment uses (a progress bar)",
                       description="Encodes every alignment passage of the project's articles (or "
                       "of one story's) with the multilingual sentence model and stores the "
                       "vectors in the project, so that aligning later only reads them. Articles "
                       "whose text already has vectors under the current model are skipped. The "
                       "window's helper process does the same after every import.")
    add_project_arg(p)
    p.add_argument("--story", help="story name or id (default: every article)")
    add_json_arg(p)
    p.set_defaults(func=cmd_embed)

    p = sub.add_parser("diff", help="word-level diff of two articles that share copy")
    add_project_arg(p)
    p.add_argument("a", type=int, help="article id")
    p.add_argument("b", type=int, help="article id")
    add_json_arg(p)
    p.set_defaults(func=cmd_diff)


def cmd_align(args) -> int:
    from framelens.annotate.analysis.align import evidence_summary
    from framelens.annotate.ops.story_align import story_alignment

    project = open_existing(args.project)
    key = int(args.story) if args.story.isdigit() else args.story
    result = story_alignment(project, key, use_cache=not args.no_cache, strictness=args.strictness)
    summaries = {a.id: a for a in store.list_articles(project, ids=[x["article"] for x in result["articles"]])}
    texts = {a: store.get_text(project, a) for a in summaries}
    if args.json:
        # for a reader of the JSON: who published each article, and the linked passages' text
        for art in result["articles"]:
            a = summaries[art["article"]]
            art.update(outlet=a.outlet, country=a.country, published=a.published, title=a.title)
        for link in result["links"]:
            for side in ("a", "b"):
                span = link[side]
                span["text"] = texts[span["article"]][span["start"]:span["end"]]
        print_json(result)
    else:
        titles = {a.id: f"{a.outlet or '?'} [{a.id}]" for a in summaries.values()}
        print(f"Story: {result['story']['name']} — {len(result['links'])} links "
              f"({result['strictness']}, {result['version']})")
        for note in result.get("notes", []):
            print(f"note: {note}")
        for link in result["links"]:
            a, b = link["a"], link["b"]
            print(f"{link['score']:.2f}  {titles[a['article']]}: {texts[a['article']][a['start']:a['end']][:70]!r}")
            print(f"      {titles[b['article']]}: {texts[b['article']][b['start']:b['end']][:70]!r}")
            print(f"      why: {evidence_summary(link.get('evidence', {}))}")
        for art in result["articles"]:
            print(f"\n{titles[art['article']]}: {len(art['only_here'])} passage(s) only here, "
                  f"{len(art['omissions'])} omission(s)")
            for om in art["omissions"]:
                print(f"  omits: {om['text'][:90]!r}")
    project.close()
    return 0


def cmd_embed(args) -> int:
    from framelens.annotate.ops.embeddings import embed_story_articles, load_backend, model_status

    project = open_existing(args.project)
    try:
        ids = None
        if args.story:
            story = store.get_story(project, int(args.story) if args.story.isdigit() else args.story)
            ids = store.story_article_ids(project, story.id)
        name, status = model_status()
        backend = load_backend() if name else None
        if backend is None:
            encoded = 0
        else:
            with progress_bar("Sentence vectors", enabled=not args.json) as progress:
                encoded = embed_story_articles(project, ids, progress=progress)
    finally:
        project.close()
    report = {"model": backend.version if backend else None, "sentences_encoded": encoded,
              "articles": None if ids is None else len(ids)}
    if args.json:
        print_json(report)
    elif backend is None:
        print(f"nothing encoded: {status}")
    else:
        print(f"{encoded} sentence(s) encoded with {backend.version}"
              + (" (every article already had its vectors)" if encoded == 0 else ""))
    return 0


def cmd_diff(args) -> int:
    from framelens.annotate.analysis.textdiff import shared_text_ratio, word_diff

    project = open_existing(args.project)
    a, b = store.get_text(project, args.a), store.get_text(project, args.b)
    project.close()
    ratio = shared_text_ratio(a, b)
    diff = word_diff(a, b)
    if args.json:
        print_json({"shared_text_ratio": ratio,
                    "a": {"article": args.a, "deleted": [list(m[:2]) for m in diff.a_marks]},
                    "b": {"article": args.b, "inserted": [list(m[:2]) for m in diff.b_marks]}})
    else:
        print(f"shared text: {ratio:.0%}")
        for s, e, *_ in diff.a_marks:
            print(f"- [{args.a}] {s}–{e}: {a[s:e]!r}")
        for s, e, *_ in diff.b_marks:
            print(f"+ [{args.b}] {s}–{e}: {b[s:e]!r}")
    return 0
