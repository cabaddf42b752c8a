"""spaCy DocBin export: spans per codebook key, cats, realignment report, split, and a config
that `spacy train` and `spacy debug data` accept."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from framelens.annotate.analysis.formats.docbin import write_docbin
from framelens.annotate.analysis.formats.model import XArticle, XCode, XLabel, XProject, XSpan

CODES = [XCode("policy_frames/Economic", "policy_frames", "Economic"),
         XCode("policy_frames/Security", "policy_frames", "Security"),
         XCode("policy_frames/Morality", "policy_frames", "Morality"),
         XCode("semetko/Morality", "semetko", "Morality"),
         XCode("entman/problem", "entman", "problem")]

PLACES = ["Tokyo", "Moscow", "Beijing", "Washington", "Seoul", "Kyiv", "Taipei", "Manila"]
TOPICS = [("prices rose sharply", "policy_frames/Economic"),
          ("troops moved closer", "policy_frames/Security"),
          ("leaders called it wrong", "policy_frames/Morality")]


def corpus(n: int) -> XProject:
    arts, spans, labels = [], [], []
    for i in range(n):
        topic, code = TOPICS[i % 3]
        text = f"In {PLACES[i % 8]} on day {i}, officials said {topic}. Critics disagreed."
        arts.append(XArticle(f"a{i}", text))
        s = text.index(topic)
        spans.append(XSpan(f"a{i}", s, s + len(topic), code, "anna"))
        spans.append(XSpan(f"a{i}", s, s + len(topic), code, "boris"))  # duplicate: kept once
        c = text.index("Critics")
        spans.append(XSpan(f"a{i}", c, c + len("Critics disagreed"), "entman/problem", "anna"))
    return XProject("c", arts, CODES, spans, labels, ["anna", "boris"])


def small() -> XProject:
    text = "Prices rose in Tokyo.  Troops moved."
    arts = [XArticle("x", text), XArticle("y", "Nothing to see."), XArticle("z", "Unused.")]
    spans = [XSpan("x", 1, 9, "policy_frames/Economic", "anna"),          # "rices ro" -> expand
             XSpan("x", 0, 11, "policy_frames/Economic", "boris"),        # exact "Prices rose"
             XSpan("x", 21, 23, "policy_frames/Security", "anna"),        # only whitespace
             XSpan("x", 24, 31, "semetko/Morality", "anna")]              # "roops m" -> expand
    labels = [XLabel("x", "anna", "semetko/Morality", None, "1"),
              XLabel("y", "anna", "policy_frames/Morality", None, "yes"),
              XLabel("y", "boris", None, "primary frame", "Economic")]
    return XProject("s", arts, CODES, spans, labels, ["anna", "boris"])


def load(path: Path, nlp):
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


def test_spans_cats_and_report(tmp_path):
    nlp = spacy.blank("en")
    rep = write_docbin(small(), tmp_path, nlp=nlp, dev_fraction=0.5, seed=1)
    assert rep.n_train + rep.n_dev == 2  # "z" has no annotation
    assert rep.n_dev == 1 and rep.span_keys == {"policy_frames": "policy_frames",
                                                "semetko": "semetko", "entman": "entman"}
    assert rep.main_key == "policy_frames"
    docs = {d.text: d for d in load(rep.train_path, nlp) + load(rep.dev_path, nlp)}
    x = docs["Prices rose in Tokyo.  Troops moved."]
    assert set(x.spans) == {"policy_frames", "semetko", "entman"}
    assert [(s.text, s.label_) for s in x.spans["policy_frames"]] == [("Prices rose", "Economic")]
    assert [(s.text, s.label_) for s in x.spans["semetko"]] == [("Troops moved", "Morality")]
    assert len(x.spans["entman"]) == 0
    assert [(m.article, m.old, m.new) for m in rep.moved] == [("x", (1, 9), (0, 11)),
                                                              ("x", (24, 31), (23, 35))]
    assert [(m.article, m.old, m.new) for m in rep.dropped] == [("x", (21, 23), None)]
    # Morality exists in two codebooks, so its categories are named by key.
    assert rep.cats == ["semetko/Morality", "policy_frames/Morality", "primary frame=Economic"]
    assert x.cats == {"semetko/Morality": 1.0, "policy_frames/Morality": 0.0,
                      "primary frame=Economic": 0.0}
    y = docs["Nothing to see."]
    assert y.cats == {"semetko/Morality": 0.0, "policy_frames/Morality": 1.0,
                      "primary frame=Economic": 1.0}
    only_boris = write_docbin(small(), tmp_path / "b", nlp=nlp, coder="boris", write_config=False)
    assert only_boris.moved == [] and only_boris.config_path is None


def test_split_is_seeded_and_keeps_both_sides(tmp_path):
    nlp = spacy.blank("en")
    p = corpus(20)
    r1 = write_docbin(p, tmp_path / "1", nlp=nlp, seed=7, write_config=False)
    r2 = write_docbin(p, tmp_path / "2", nlp=nlp, seed=7, write_config=False)
    r3 = write_docbin(p, tmp_path / "3", nlp=nlp, seed=8, write_config=False)
    assert r1.dev_articles == r2.dev_articles != r3.dev_articles
    assert (r1.n_train, r1.n_dev) == (16, 4)
    assert set(r1.train_articles).isdisjoint(r1.dev_articles)
    tiny = XProject("t", corpus(2).articles, CODES, corpus(2).spans)
    r = write_docbin(tiny, tmp_path / "4", nlp=nlp, dev_fraction=0.9, write_config=False)
    assert (r.n_train, r.n_dev) == (1, 1)
    dup = [d for d in load(r1.train_path, nlp) if d.text.startswith("In Tokyo on day 0,")]
    assert len(dup[0].spans["policy_frames"]) == 1  # two coders, identical span: kept once


def _run(args, cwd):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run([sys.executable, "-m", "spacy", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180)


def test_spacy_train_and_debug_data_accept_the_export(tmp_path):
    nlp = spacy.blank("en")
    rep = write_docbin(corpus(150), tmp_path / "corpus", nlp=nlp, dev_fraction=0.2, seed=0)
    assert rep.n_train >= 100  # below 100 training docs `debug data` reports an error
    paths = ["--paths.train", str(rep.train_path), "--paths.dev", str(rep.dev_path)]
    train = _run(["train", str(rep.config_path), *paths, "--training.max_steps", "4",
                  "--training.eval_frequency", "2"], tmp_path)
    assert train.returncode == 0, train.stdout + train.stderr
    assert "SPANS_POLI" in train.stdout  # the score columns of our key (names are cut short)
    debug = _run(["debug", "data", str(rep.config_path), *paths], tmp_path)
    out = debug.stdout + debug.stderr
    assert debug.returncode == 0, out
    assert "✘" not in out and " error" not in out, out
    assert "policy_frames" in out


@pytest.mark.parametrize("fraction", [0.0])
def test_no_dev_fraction_puts_everything_in_train(tmp_path, fraction):
    r = write_docbin(corpus(5), tmp_path, nlp=spacy.blank("en"), dev_fraction=fraction,
                     write_config=False)
    assert (r.n_train, r.n_dev) == (5, 0)


def test_the_configs_own_paths_name_train_and_dev_the_right_way_round(tmp_path):
    """No `--paths.*` override: what config.cfg itself names must be train for train and dev
    for dev (a swap trains on the dev set and evaluates on the training set, silently)."""
    from spacy.tokens import DocBin
    from thinc.api import Config

    nlp = spacy.blank("en")
    rep = write_docbin(corpus(20), tmp_path / "corpus", nlp=nlp, dev_fraction=0.25, seed=0)
    assert (rep.n_train, rep.n_dev) == (15, 5)
    cfg = Config().from_disk(rep.config_path, interpolate=False)
    train, dev = Path(cfg["paths"]["train"]), Path(cfg["paths"]["dev"])
    assert (train.name, dev.name) == ("train.spacy", "dev.spacy")
    assert len(DocBin().from_disk(train)) == 15 and len(DocBin().from_disk(dev)) == 5
