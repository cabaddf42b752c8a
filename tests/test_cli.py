"""The ``framelens`` command as a user runs it: demo, articles, import, search, annotate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from framelens import store
from framelens.annotate.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "assets" / "demo" / "two-plus-two"

RU = ("Министры иностранных дел и обороны России и Японии провели в Токио переговоры в формате "
      "«два плюс два». Стороны обсудили вопросы региональной безопасности, противоракетной "
      "обороны США и совместной хозяйственной деятельности на южных Курильских островах. "
      "Сергей Лавров заявил, что диалог важен для укрепления доверия между странами.")
JA = ("日本とロシアは東京で外務・防衛閣僚協議（２プラス２）を開いた。両国は地域の安全保障や"
      "北朝鮮の核・ミサイル問題について意見を交わし、北方領土での共同経済活動についても協議した。"
      "岸田外相は、対話を続けることが信頼醸成につながると強調した。")
ZH = ("日本和俄罗斯在东京举行了外长和防长“2+2”会谈。双方讨论了地区安全、朝鲜核导弹问题以及"
      "在争议岛屿上开展共同经济活动的可能性。专家认为，这次会谈象征意义大于实际成果，"
      "两国在领土问题上的分歧依然存在。")


def run(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "x.framelens"
    assert main(["demo", str(path), "--no-gui"]) == 0
    return path


def test_demo_articles_json_lists_five_with_metadata_and_furniture_split(demo_path, capsys):
    code, out, _ = run("articles", str(demo_path), "--json", capsys=capsys)
    assert code == 0
    listed = json.loads(out)
    assert sorted(a["language"] for a in listed) == ["en"] * 5 + ["ja", "ru", "zh"]
    articles = {a["outlet"]: a for a in listed if a["language"] == "en"}
    meta = json.loads((SEEDS / "metadata.json").read_text("utf-8"))
    assert len(articles) == 5
    for entry in meta["articles"]:
        a = articles[entry["outlet"]]
        assert (a["country"], a["published"], a["language"]) == (
            entry["country"], entry["published"], entry["language"])
        if entry["title"]:
            assert a["title"] == entry["title"]
        raw = (SEEDS / entry["file"]).read_text("utf-8")
        assert a["raw_text"] == raw, "the raw capture is kept as it was"
        assert a["removed"], f"{entry['outlet']}: no furniture listed"
        for removed in a["removed"]:
            assert removed["text"] in raw
            if removed["reason"] == "repeated headline":  # the first occurrence stays
                assert a["text"].count(removed["text"]) == 1
            else:
                assert removed["text"] not in a["text"]
    penza = articles["PenzaNews"]
    for furniture in ("17:07:42 Monday, October 18", "Photo: Mid.ru", "Read also", "Lastest headlines"):
        assert furniture not in penza["text"] and furniture in penza["raw_text"]
    assert "Nobuhide Hatasa concluded" in penza["text"]
    rbth = articles["Russia Beyond"]
    assert "Accept cookies" not in rbth["text"]
    assert "The Japanese side reiterated its objections" in rbth["text"]
    assert "/ TASS" not in rbth["text"]
    assert "By subscribing" not in articles["The Japan Times"]["text"]
    assert "wangxiaonan@globaltimes.com.cn" not in articles["Global Times"]["text"]


def test_demo_stories_and_codebooks(demo_path):
    project = store.open_project(demo_path)
    stories = {s.name: s.n_articles for s in store.list_stories(project)}
    # 2013: Global Times + Xinhua (zh); 2018: Valdai + MOFA (ja); 2017: three + MID (ru); all
    assert sorted(stories.values()) == [2, 2, 4, 8]
    assert {cb.key for cb in store.list_codebooks(project)} == {
        "policy_frames", "semeval2023_frames", "semetko_valkenburg", "entman", "viewpoint"}
    project.close()


def test_show_removed_lists_furniture(demo_path, capsys):
    project = store.open_project(demo_path)
    penza = next(a for a in store.list_articles(project) if a.outlet == "PenzaNews")
    project.close()
    code, out, _ = run("show", str(demo_path), str(penza.id), "--removed", capsys=capsys)
    assert code == 0 and "Photo: Mid.ru" in out and "site clock" in out


def test_import_folder_mixing_good_and_bad_files(tmp_path, capsys):
    project_path = tmp_path / "p.framelens"
    assert main(["init", str(project_path)]) == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ru.txt").write_bytes(RU.encode("cp1251"))
    (folder / "ja.txt").write_bytes(JA.encode("shift_jis"))
    (folder / "zh.txt").write_bytes(ZH.encode("gb18030"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "big.txt").write_bytes(b"x" * 10)  # made huge below without writing 20 MB
    with open(folder / "big.txt", "r+b") as fh:
        fh.truncate(25 * 1024 * 1024)
    capsys.readouterr()
    code, out, _ = run("import", str(project_path), str(folder), "--outlet", "TASS", capsys=capsys)
    assert code == 0
    for name, reason in (("empty.txt", "empty"), ("binary.txt", "binary"), ("big.txt", "large")):
        line = next(l for l in out.splitlines() if name in l)
        assert reason in line.lower()
    assert "3 imported" in out and "3 could not be imported" in out
    project = store.open_project(project_path)
    texts = {store.get_text(project, a.id) for a in store.list_articles(project)}
    assert texts == {RU, JA, ZH}
    assert {a.country for a in store.list_articles(project)} == {"RU"}  # TASS from the registry
    assert {a.language for a in store.list_articles(project)} == {"ru", "ja", "zh"}
    project.close()
    # importing again skips every article as a duplicate, with a message
    code, out, _ = run("import", str(project_path), str(folder / "ru.txt"), capsys=capsys)
    assert "same text as article" in out and "0 imported" in out


def test_import_csv_and_jsonl_with_metadata(tmp_path, capsys):
    project_path = tmp_path / "p.framelens"
    main(["init", str(project_path)])
    (tmp_path / "a.csv").write_text(
        "text,title,outlet,country,published,url\n"
        '"Lavrov and Kishida met in Tokyo on Monday.",Talks,Kyodo,JP,20.03.2017,https://english.kyodonews.net/x\n'
        ',No text here,Kyodo,JP,2017-03-20,\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"text": "Xinhua reports the talks ended.", "outlet": "Xinhua"}) + "\n{not json\n",
        encoding="utf-8")
    capsys.readouterr()
    code, out, _ = run("import", str(project_path), str(tmp_path / "a.csv"), str(tmp_path / "b.jsonl"),
                       "--story", "2017 Tokyo", "--json", capsys=capsys)
    report = json.loads(out)
    assert len(report["imported"]) == 2 and len(report["problems"]) == 2
    assert any("row 3" in p["source"] or "row 3" in p["reason"] for p in report["problems"])
    project = store.open_project(project_path)
    by_outlet = {a.outlet: a for a in store.list_articles(project, story_id=store.get_story(project, "2017 Tokyo").id)}
    kyodo = by_outlet["Kyodo News"]  # the registry's canonical name
    assert kyodo.published == "2017-03-20" and kyodo.country == "JP"
    assert by_outlet["Xinhua"].country == "CN"
    project.close()


def test_search_and_bad_query_message(demo_path, capsys):
    code, out, _ = run("search", str(demo_path), '"Northern Territories"', "--json", capsys=capsys)
    hits = json.loads(out)
    assert code == 0 and {h["outlet"] for h in hits} >= {"PenzaNews", "Global Times"}
    code, out, err = run("search", str(demo_path), '"Northern Territories', capsys=capsys)
    assert code == 2 and "unbalanced double quote" in err and "Traceback" not in err


def test_annotate_and_annotations(demo_path, capsys):
    project = store.open_project(demo_path)
    article = next(a for a in store.list_articles(project) if a.outlet == "The Japan Times")
    text = store.get_text(project, article.id)
    project.close()
    start = text.index("missile defense")
    code, out, _ = run("annotate", str(demo_path), "--article", str(article.id), "--start", str(start),
                       "--end", str(start + 15), "--code", "Security and defense", "--coder", "alice",
                       "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["quote"] == "missile defense"
    code, _, err = run("annotate", str(demo_path), "--article", str(article.id), "--start", "0",
                       "--end", str(len(text) + 5), "--code", "Economic", "--codebook", "policy_frames",
                       "--coder", "alice", capsys=capsys)
    assert code == 2 and "outside" in err
    code, out, _ = run("annotations", str(demo_path), "--coder", "alice", "--json", capsys=capsys)
    [ann] = json.loads(out)
    assert (ann["start"], ann["end"], ann["coder"]) == (start, start + 15, "alice")


def test_errors_are_one_line_not_tracebacks(tmp_path):
    junk = tmp_path / "junk.framelens"
    junk.write_text("hello")
    proc = subprocess.run([sys.executable, "-m", "framelens.annotate.cli", "articles", str(junk)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "not a FrameLens project" in proc.stderr and "Traceback" not in proc.stderr


def test_every_command_has_help(capsys):
    from framelens.annotate.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"init", "demo", "gui", "import", "articles", "search", "annotate", "annotations"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: framelens" in capsys.readouterr().out
