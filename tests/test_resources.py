"""framelens.annotate.resources: the assets folder from a checkout, from the frozen app, and overridden."""

import sys
from pathlib import Path

from framelens.annotate import resources

REPO_ASSETS = Path(__file__).resolve().parents[1] / "assets"


def test_checkout_finds_the_repository_assets(monkeypatch):
    monkeypatch.delenv("FRAMELENS_ASSETS", raising=False)
    assert resources.assets_dir() == REPO_ASSETS
    assert resources.asset_path("outlets.json") == REPO_ASSETS / "outlets.json"
    assert resources.asset_path("lexicons", "actors.json").is_file()


def test_frozen_app_looks_beside_the_bundle(tmp_path, monkeypatch):
    monkeypatch.delenv("FRAMELENS_ASSETS", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.assets_dir() == tmp_path / "assets"
    assert resources.asset_path("codebooks", "entman.json") == tmp_path / "assets" / "codebooks" / "entman.json"


def test_override_wins_per_file_and_falls_back_to_the_shipped_copy(tmp_path, monkeypatch):
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "actors.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("FRAMELENS_ASSETS", str(tmp_path))
    assert resources.assets_dir() == tmp_path
    assert resources.asset_path("lexicons", "actors.json") == tmp_path / "lexicons" / "actors.json"
    assert resources.asset_path("outlets.json") == REPO_ASSETS / "outlets.json"
    # missing everywhere: the override's path, so the error names the folder the user chose
    assert resources.asset_path("nowhere.json") == tmp_path / "nowhere.json"
