"""Where FrameLens finds its data files (``assets/``): from a source checkout and from the
standalone application alike.

Three places, first match wins:

1. ``$FRAMELENS_ASSETS`` — a folder that replaces the shipped data (tests, a lab's own lexicons).
   :func:`asset_path` falls back to the shipped copy for a file that folder does not have, so a
   folder holding only ``lexicons/actors.json`` overrides that one file.
2. The standalone application (``make dist``, PyInstaller): the data are copied to
   ``<bundle>/assets``, where ``<bundle>`` is ``sys._MEIPASS`` (the ``_internal`` folder beside
   the executable, or ``Contents/Frameworks`` inside the macOS ``.app``).
3. A source checkout or an editable install: the ``assets`` folder at the repository root;
   an installed wheel: ``framelens/assets`` in site-packages, shipped as the package data of
   ``framelens.assets`` (pyproject.toml's package-dir mapping puts it beside
   ``framelens/annotate``).  Both are ``../assets`` from this package, so one relative path
   serves both (``tests/test_wheel.py`` checks the installed case outside the tree).

The folder of ``framelens.annotate`` comes from ``importlib.resources``; the data are asked for
as its sibling rather than as ``files("framelens.assets")``: ``framelens.assets`` is a data
folder without an ``__init__.py`` (assets hold no code), so it is a namespace package, whose
``files()`` is a ``MultiplexedPath`` rather than a real folder, and SQLite, spaCy and the
lexicon loaders want real paths.  A zip-imported FrameLens is not supported.

Nothing here imports Qt or an NLP library; the module may be imported from any room.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

def _package_root() -> Path:
    """The folder holding ``annotate`` (``framelens/`` when installed, the checkout otherwise),
    asked of the import system (``importlib.resources``) rather than derived from ``__file__``."""
    try:
        return Path(str(resources.files("framelens.annotate"))).resolve().parent
    except (ModuleNotFoundError, TypeError, ValueError):   # an unusual loader: where we are
        return Path(__file__).resolve().parent.parent


_SOURCE_ROOT = _package_root()


def shipped_assets_dir() -> Path:
    """The ``assets`` folder that ships with this copy of FrameLens (bundle or checkout)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "assets"
    return _SOURCE_ROOT / "assets"


def assets_dir() -> Path:
    """``$FRAMELENS_ASSETS`` when set (and not empty), else :func:`shipped_assets_dir`."""
    override = os.environ.get("FRAMELENS_ASSETS")
    return Path(override) if override else shipped_assets_dir()


def asset_path(*parts: str) -> Path:
    """The path of ``assets/<parts…>``: under ``$FRAMELENS_ASSETS`` when that folder has it,
    else in the shipped copy.  The path is returned whether or not the file exists (callers
    report a missing file with its path)."""
    override = os.environ.get("FRAMELENS_ASSETS")
    if override:
        candidate = Path(override).joinpath(*parts)
        if candidate.exists():
            return candidate
        shipped = shipped_assets_dir().joinpath(*parts)
        return shipped if shipped.exists() else candidate
    return shipped_assets_dir().joinpath(*parts)
