"""Where the data files of the importing layer live (outlet registry, furniture patterns): the
``assets`` folder as :mod:`annotate.resources` finds it (``$FRAMELENS_ASSETS``, the standalone
bundle, the source checkout), so there is one place that decides."""

from __future__ import annotations

from pathlib import Path

from framelens.annotate.resources import assets_dir as _assets_dir


def assets_dir() -> Path:
    """``$FRAMELENS_ASSETS`` when that is set, else the ``assets`` folder shipped with FrameLens."""
    return _assets_dir()
