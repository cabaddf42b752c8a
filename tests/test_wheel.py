"""The wheel works installed anywhere (issue 17): built from this checkout, installed into a fresh
environment outside the source tree, ``framelens demo`` and ``framelens articles`` run there.

The fresh environment gets FrameLens from the wheel only.  Its dependencies (spaCy, Qt, the
language packages — several hundred megabytes) are borrowed from the test environment through a
``.pth`` line naming that environment's site-packages folder.  A ``.pth`` line adds a folder to
``sys.path`` but does not run the ``.pth`` files inside it, so the editable install of the
checkout (a finder installed by such a file) is not active there; the test checks that every
``framelens`` module is loaded from the fresh environment and that the working directory is
outside the checkout.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(cmd, cwd, env, timeout=600):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q",
          "-w", str(out), str(ROOT)], cwd=out, env=dict(os.environ), timeout=900)
    (found,) = out.glob("framelens-*.whl")
    return found


def test_the_wheel_installs_only_namespaced_packages_and_the_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("framelens-")}
    assert tops == {"framelens"}                       # no top-level store/annotate/desktop
    assert "framelens/store/schema.py" in names
    assert "framelens/annotate/ops/demo.py" in names
    assert "framelens/desktop/launch.py" in names
    assert any(n.startswith("framelens/assets/codebooks/") and n.endswith(".json") for n in names)
    assert any(n.startswith("framelens/assets/demo/") for n in names)


def test_framelens_demo_and_articles_run_from_the_installed_wheel(wheel, tmp_path):
    env_dir, work = tmp_path / "env", tmp_path / "elsewhere"
    work.mkdir()
    _run([sys.executable, "-m", "venv", str(env_dir)], cwd=work, env=dict(os.environ))
    py = env_dir / "bin" / "python"
    _run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check",
          "-q", str(wheel)], cwd=work, env=dict(os.environ))
    purelib = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    borrowed = [p for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
                            *site.getsitepackages()} if Path(p).is_dir()]
    (purelib / "zz_borrowed_dependencies.pth").write_text("\n".join(borrowed) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FRAMELENS_ASSETS")}
    env.update(QT_QPA_PLATFORM="offscreen", FRAMELENS_EMBEDDER="none")

    where = _run([str(py), "-c", "import json, framelens.store, framelens.annotate.resources as r, "
                  "framelens.desktop.launch; print(json.dumps([framelens.store.__file__, "
                  "str(r.asset_path('codebooks'))]))"], cwd=work, env=env)
    store_file, codebooks = json.loads(where.stdout)
    assert Path(store_file).is_relative_to(env_dir) and Path(codebooks).is_relative_to(env_dir)
    assert not work.is_relative_to(ROOT)

    framelens = env_dir / "bin" / "framelens"
    project = work / "demo.framelens"
    _run([str(framelens), "demo", str(project), "--no-gui"], cwd=work, env=env)
    listed = _run([str(framelens), "articles", str(project), "--json"], cwd=work, env=env)
    articles = json.loads(listed.stdout)
    assert len(articles) == 8
    assert {a["language"] for a in articles} >= {"en", "ru", "ja", "zh"}
