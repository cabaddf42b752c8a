"""Keep ``None`` alive under PySide6 builds that drop a reference to it on every void call.

With PySide6/shiboken6 6.12.0 on CPython 3.11, every call of a Qt method returning ``void``
(``setPlainText``, ``QTextCursor.setPosition``, ``setObjectName``…) decrements the reference
count of ``None`` once too often.  Before CPython 3.12 ``None`` is an ordinary counted object,
so after a few thousand such calls — about 160 article openings in one session — the count
reaches zero and the interpreter aborts ("Fatal Python error: none_dealloc").  Committed
actions survive such an abort (see docs/reliability.md) but the session is gone.

:func:`keep_none_alive` raises the count of ``None`` to a floor of 2**40 once, which no session
can use up; ``None`` is never freed anyway.  On CPython 3.12+ (``None`` is immortal) and on
other interpreters it does nothing.  The real fix is CPython ≥ 3.12 or a PySide6 without the bug.
"""

from __future__ import annotations

import ctypes
import sys

FLOOR = 1 << 40


def affected() -> bool:
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12)


def keep_none_alive(floor: int = FLOOR) -> bool:
    """Raise the reference count of ``None`` to ``floor`` if it is below; True if raised."""
    if not affected():
        return False
    count = ctypes.c_ssize_t.from_address(id(None))    # PyObject.ob_refcnt, the first field
    if count.value >= floor:
        return False
    count.value = floor
    return True
