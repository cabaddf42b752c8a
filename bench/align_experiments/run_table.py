"""The table of tries (README.md): each method's AP, in-sample and LOPO P / R on gold A."""
from __future__ import annotations

import sys

import numpy as np

from common import load
from harness import row
import methods

d = load()
names = sys.argv[1:] or list(methods.METHODS)
print("| method | AP | in-sample P / R | LOPO P / R | in-sample thr, rel |")
print("|---|---|---|---|---|")
for name in names:
    print(row(name, d, methods.METHODS[name](d)), flush=True)
