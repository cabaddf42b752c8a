"""Where the data files of the importing layer live (outlet registry, furniture patterns)."""

from __future__ import annotations

import os
from pathlib import Path


_DEFAULT = Path(__file__).resolve().parents[2] / "assets"


def assets_dir() -> Path:
    """The ``assets`` folder at the repository root, or ``$FRAMELENS_ASSETS`` when that is set."""
    override = os.environ.get("FRAMELENS_ASSETS")
    return Path(override) if override else _DEFAULT
