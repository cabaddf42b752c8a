"""``python -m framelens.desktop ...`` is ``framelens ...`` (the GUI subcommands included)."""

import sys

from .launch import main

sys.exit(main())
