"""Speed work on the importer must not change what is imported (issue 14 (a)).

A fixed mixed corpus - the WMT22 news documents of ``tests/data/ingest/real/wmt22_news.jsonl``
(en, de, fr, ru, ja, zh) as a JSONL bulk file and as a CSV file, each row with a furniture
line of its script and no language or outlet column (so every row goes through language
identification, cleaning and outlet recognition), the 17 real saved pages of
``tests/data/ingest/real/html`` and the plain-text articles of ``tests/data/ingest`` and
``assets/demo`` - is imported into a fresh project, and every stored article is reduced to a
digest of what the importer decided: text, language, outlet, country, title, author, date,
URL, raw capture, removed lines, encoding, metadata, n_chars, has_cjk and the text's hash.
The digests were recorded with the importer as it was before the speed work (commit
``dcc1cde``); the test names the sources whose articles differ.

The digests depend on the data files too (``assets/furniture.json``, ``assets/outlets.json``):
after a deliberate change of those, record again with
``.venv/bin/python tests/test_import_identity.py`` (prints the new table) and say so in the
commit.  The full-text indexes are checked by what they hold: the articles with CJK text are
in the trigram index, every article in the word index.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from framelens import store
from framelens.annotate.ops.importer import import_paths

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ingest"
WMT = DATA / "real" / "wmt22_news.jsonl"
FURNITURE = {"ru": "Поделиться", "ja": "このニュースをシェア", "zh": "未经授权，不得转载。",
             "de": "- 5 Kommentare", "fr": "Partager", "en": "Share this article"}


def build_corpus(folder: Path) -> Path:
    """Write the fixed corpus into ``folder`` (see the module docstring); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, line in enumerate(WMT.read_text("utf-8").splitlines()):
        doc = json.loads(line)
        body = "\n\n".join(doc["paragraphs"])
        row = {"text": f"{body}\n\n{FURNITURE[doc['language']]}",
               "url": f"https://example.org/{doc['language']}/{number}",
               "published": f"2022-{1 + number % 12:02d}-15"}
        if number % 3:                       # a third without title: the first line is used
            row["title"] = doc["paragraphs"][0][:80]
        rows.append(row)
    with open(folder / "mixed.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(folder / "mixed.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["headline", "body", "link"])
        for row in rows[::2]:                 # other rows than the JSONL's would be duplicates
            writer.writerow([row.get("title", ""), row["text"] + "\n\n(csv)", row["url"]])
    pages = folder / "pages"
    shutil.copytree(DATA / "real" / "html", pages)
    plain = folder / "plain"
    plain.mkdir()
    for path in [*DATA.glob("*.txt"), *(ROOT / "assets" / "demo").glob("*/*.txt")]:
        shutil.copy(path, plain / path.name)
    return folder


def article_digests(project: store.Project) -> dict[str, str]:
    """Source name (without the corpus folder) -> SHA-256 of what was stored for it."""
    rows = project.conn.execute(
        "SELECT a.import_source, a.text, a.language, o.name, o.country, a.title, a.author,"
        " a.published, a.url, a.raw_text, a.removed_json, a.encoding, a.meta_json, a.n_chars,"
        " a.has_cjk, a.text_sha256 FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"
        " ORDER BY a.id").fetchall()
    out = {}
    for row in rows:
        source = re.sub(r"^.*?/corpus/", "", row[0])
        out[source] = hashlib.sha256(json.dumps(list(row[1:]), ensure_ascii=False)
                                     .encode("utf-8")).hexdigest()[:16]
    return out


def import_corpus(tmp: Path) -> store.Project:
    corpus = build_corpus(tmp / "corpus")
    project = store.create_project(tmp / "identity.framelens")
    report = import_paths(project, [corpus])
    assert report.problems == [], report.problems
    return project


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    project = import_corpus(tmp_path_factory.mktemp("identity"))
    yield project
    project.close()


def test_imported_articles_are_identical_to_before_the_speed_work(imported):
    digests = article_digests(imported)
    assert len(digests) == len(EXPECTED)
    differing = sorted(s for s in EXPECTED if digests.get(s) != EXPECTED[s])
    assert differing == []
    assert list(digests) == list(EXPECTED)          # and stored in the same order


def test_indexes_hold_every_article(imported):
    conn = imported.conn
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    cjk = [r[0] for r in conn.execute("SELECT id FROM articles WHERE has_cjk ORDER BY id")]
    assert [r[0] for r in conn.execute("SELECT id FROM articles_fts_docsize ORDER BY id")] == ids
    assert [r[0] for r in conn.execute("SELECT id FROM articles_cjk_docsize ORDER BY id")] == cjk
    assert len(cjk) == CJK_ARTICLES
    logged = conn.execute("SELECT count(*) FROM changes WHERE table_name = 'articles'").fetchone()
    assert logged[0] == len(ids)


#: recorded at commit dcc1cde (before the speed work)
CJK_ARTICLES = 51
EXPECTED: dict[str, str] = {
    'mixed.csv#row=2': 'cd2acfb90bc78bea',
    'mixed.csv#row=3': '2b7cf8bac3395db2',
    'mixed.csv#row=4': '72b7f9bcba49063b',
    'mixed.csv#row=5': '9777838f7dd20f80',
    'mixed.csv#row=6': '8c26e532550d91e9',
    'mixed.csv#row=7': '333a1e8c3f6e19ea',
    'mixed.csv#row=8': 'dbbb35e0f8c51358',
    'mixed.csv#row=9': '00e9bfd37f87466b',
    'mixed.csv#row=10': '1d9c56aaa0369408',
    'mixed.csv#row=11': 'e650556594aee59f',
    'mixed.csv#row=12': '35aebea0db3de6db',
    'mixed.csv#row=13': 'f5581501915154b3',
    'mixed.csv#row=14': '23d395e60cb5d911',
    'mixed.csv#row=15': '5f182c30229f8d0c',
    'mixed.csv#row=16': 'bac09ba3c3d55c0d',
    'mixed.csv#row=17': 'c4180a35fdff8c41',
    'mixed.csv#row=18': 'd81a548e7c495f21',
    'mixed.csv#row=19': 'b9012f8ad6476eac',
    'mixed.csv#row=20': '7d406c1216c3f23a',
    'mixed.csv#row=21': '3c820b280dc98821',
    'mixed.csv#row=22': '9adfa10ca98e3027',
    'mixed.csv#row=23': 'aa957f60b5b70483',
    'mixed.csv#row=24': '11e838acaf2ed1ed',
    'mixed.csv#row=25': '69caa12e07024953',
    'mixed.csv#row=26': '432091609bc268b3',
    'mixed.csv#row=27': 'dc25ede19120c5de',
    'mixed.csv#row=28': '66c524755aae19f7',
    'mixed.csv#row=29': 'ee67ee72b81ef5d2',
    'mixed.csv#row=30': '7c7042fbc5b0065b',
    'mixed.csv#row=31': 'ea4af39bb6f3a45e',
    'mixed.csv#row=32': 'b8bc2baa779399e8',
    'mixed.csv#row=33': '8653b6d63237716b',
    'mixed.csv#row=34': '8c4b5671f6f2af93',
    'mixed.csv#row=35': '91e47c765618e445',
    'mixed.csv#row=36': 'fdd3ff17f7fc61b5',
    'mixed.csv#row=37': 'ac04ba61b9136c10',
    'mixed.jsonl#line=1': '14f0c560625ba341',
    'mixed.jsonl#line=2': '48b0c8f96642d8e8',
    'mixed.jsonl#line=3': '8b8f2e3b7d35c763',
    'mixed.jsonl#line=4': '218e0ce2d1628783',
    'mixed.jsonl#line=5': '15acb208b168c452',
    'mixed.jsonl#line=6': 'e653517e3cb7c5d8',
    'mixed.jsonl#line=7': '320a9fb6bf30f32d',
    'mixed.jsonl#line=8': '10beeda8f3338353',
    'mixed.jsonl#line=9': '184997e1e86c5446',
    'mixed.jsonl#line=10': '7b8b5889e9fc3b30',
    'mixed.jsonl#line=11': '1ab6258cd4a0aceb',
    'mixed.jsonl#line=12': 'dd43452c0bc8baf9',
    'mixed.jsonl#line=13': '06045188f6daecf8',
    'mixed.jsonl#line=14': '48aad254bea0043c',
    'mixed.jsonl#line=15': 'd75dc35b3c3f4e9c',
    'mixed.jsonl#line=16': '1d8afe059fef5a9a',
    'mixed.jsonl#line=17': '1e33b48288d16656',
    'mixed.jsonl#line=18': '761d79e2300d7f75',
    'mixed.jsonl#line=19': '4e301ebd60bf297d',
    'mixed.jsonl#line=20': '8fd30396e13a93b4',
    'mixed.jsonl#line=21': '67dd165ad3f8c9b0',
    'mixed.jsonl#line=22': '5e1c9619146bb55c',
    'mixed.jsonl#line=23': '6bfce19c597b5882',
    'mixed.jsonl#line=24': 'b486a425b1ed3ba0',
    'mixed.jsonl#line=25': 'ef610d502396710d',
    'mixed.jsonl#line=26': 'd3909df497c70ba3',
    'mixed.jsonl#line=27': 'c13869c60611cc3b',
    'mixed.jsonl#line=28': '210aaeedac8fdf68',
    'mixed.jsonl#line=29': 'eab1e08a401717fc',
    'mixed.jsonl#line=30': 'ae311a2e66f96fcb',
    'mixed.jsonl#line=31': 'f194d3a38aa7c655',
    'mixed.jsonl#line=32': 'd4229a6b56b25760',
    'mixed.jsonl#line=33': '237dd2e9fb253aeb',
    'mixed.jsonl#line=34': 'b205c6def6d253a5',
    'mixed.jsonl#line=35': '80aa2172aa9f8351',
    'mixed.jsonl#line=36': 'd236438a3d26c4b4',
    'mixed.jsonl#line=37': '2efb870d1d7a03bb',
    'mixed.jsonl#line=38': '41b09092484f8e9d',
    'mixed.jsonl#line=39': '0f8dabadf75a624c',
    'mixed.jsonl#line=40': 'c18c48294c38c25c',
    'mixed.jsonl#line=41': '23cc5db48b6a9542',
    'mixed.jsonl#line=42': '5bbc108078bb32d7',
    'mixed.jsonl#line=43': 'bd299e6c7810f443',
    'mixed.jsonl#line=44': '7c679e0a2be0a64e',
    'mixed.jsonl#line=45': '5e7d9dba12300fed',
    'mixed.jsonl#line=46': '427c56d262a2eaf5',
    'mixed.jsonl#line=47': 'd003648a73c84b84',
    'mixed.jsonl#line=48': '8dd6894cd1016a97',
    'mixed.jsonl#line=49': 'c00c10fb53cac8ee',
    'mixed.jsonl#line=50': 'e11875c3df03abfc',
    'mixed.jsonl#line=51': '91ca718eaf1e5232',
    'mixed.jsonl#line=52': '4db6139407ab349e',
    'mixed.jsonl#line=53': 'aef7a55fce9c445e',
    'mixed.jsonl#line=54': 'd611c0081bc53a72',
    'mixed.jsonl#line=55': 'ead1f21ca892952f',
    'mixed.jsonl#line=56': '9bfcea03d44819df',
    'mixed.jsonl#line=57': '04c6a5eedcb565c5',
    'mixed.jsonl#line=58': '43adbe993fa651ac',
    'mixed.jsonl#line=59': '28f2d6a590a8cceb',
    'mixed.jsonl#line=60': '8a7dd46dc0896620',
    'mixed.jsonl#line=61': '5aa073105b25fa21',
    'mixed.jsonl#line=62': '251d895e3466f4f7',
    'mixed.jsonl#line=63': 'e6a12a9d15f9808f',
    'mixed.jsonl#line=64': '4afb9ec971358fb2',
    'mixed.jsonl#line=65': 'f5bb266b4e3df320',
    'mixed.jsonl#line=66': '5e51cde2c2ebe262',
    'mixed.jsonl#line=67': 'be1f701e5d8ffbe3',
    'mixed.jsonl#line=68': 'a1d9c07806416a43',
    'mixed.jsonl#line=69': '114eb09196757c4a',
    'mixed.jsonl#line=70': '4a7b208dd516f056',
    'mixed.jsonl#line=71': 'd9fa9ffb29c18be9',
    'mixed.jsonl#line=72': 'f6bce12a24a6c5a0',
    'pages/de_fr.html': 'a0abfb63a3b0c516',
    'pages/de_t3n.html': '2ab1c0efaafbe4a7',
    'pages/de_tagesspiegel.html': 'ba1e731642250d8b',
    'pages/en_bbc.html': 'cd615deb64b8ee0f',
    'pages/en_japantimes.html': 'f3ee2adefc83db54',
    'pages/ja_afpbb.html': '87085fb12ece63af',
    'pages/ja_nhk_easy.html': 'e248c31078e1bb1b',
    'pages/ja_nikkei.html': '0040512dbf1bcdf9',
    'pages/ja_yahoo.html': 'adb2e23e566a879b',
    'pages/ru_football_ua.html': 'a4e1a02c06dd63d9',
    'pages/zh_banyuetan.html': '64542f7c0372e302',
    'pages/zh_bbc.html': '37f845d0e1b0f118',
    'pages/zh_gmw.html': '65f3cd1f9c2b8d37',
    'pages/zh_qq.html': '861f917536c098b5',
    'pages/zh_xinhuanet.html': 'c90e22b31f0666f4',
    'pages/zh_xinhuanet_gb2312.html': '36d28f035b131ec3',
    'pages/zh_youth.html': '38a1a344b5cb8094',
    'plain/000_73df716822f3123d.txt': 'd15ef7c9d761b051',
    'plain/001_c5011a8f5c07d6db.txt': 'bae33768c8ed6c87',
    'plain/002_7c236707b2b3bc18.txt': 'ee2dae51da27a24f',
    'plain/003_16159d8463d39a82.txt': '093b7fdb0f9ce83e',
    'plain/004_c19d5b96a74571db.txt': 'bd8653a1eb0fef42',
    'plain/ja.txt': 'bd58c7f92704fa92',
    'plain/ja_mofa_2018-07-31.txt': '0f492c48f5415fac',
    'plain/ru.txt': '1b80fc70dc70d91a',
    'plain/ru_mid_2017-03-20.txt': '3d60fd35091974eb',
    'plain/zh.txt': '2f17fbf6353d30a8',
    'plain/zh_xinhua_2013-09-02.txt': '7efdaa8fb8fa8d13',
}


if __name__ == "__main__":          # print the table to record (see the module docstring)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        project = import_corpus(Path(tmp))
        cjk = project.conn.execute("SELECT count(*) FROM articles WHERE has_cjk").fetchone()[0]
        print(f"CJK_ARTICLES = {cjk}")
        print("EXPECTED: dict[str, str] = {")
        for source, digest in article_digests(project).items():
            print(f"    {source!r}: {digest!r},")
        print("}")
        project.close()
    sys.exit(0)
