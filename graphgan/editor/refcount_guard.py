"""A guard against PySide6 6.12's reference leak on `None`, which crashes CPython before 3.12.

PySide6 6.12.0 returns `None` from every void method (`update()`, `setToolTip()`, ...) without
taking a reference to it, so each call takes one reference away. From Python 3.12 `None` is
immortal and nothing happens; on 3.10 and 3.11 its count reaches zero after a few thousand
calls and the interpreter aborts with "deallocating None". Measured here: 1,000 calls to
`QWidget.setToolTip` lower `sys.getrefcount(None)` by 1,000, and an editing session makes
thousands of such calls a second while painting. The guard gives `None` the huge reference
count that 3.12 gives every immortal object, once, before the editor makes any Qt call.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

# Far more leaked references than a session can make (2**40 is about 10**12), far below the
# largest count a Py_ssize_t holds.
HEADROOM = 1 << 40


def make_none_immortal() -> bool:
    """Raise None's reference count on CPython < 3.12; True if it was raised."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if hasattr(sys, "gettotalrefcount"):
        return False  # a debug build lays PyObject out differently; leave it alone
    count = ctypes.c_ssize_t.from_address(id(None))
    seen = sys.getrefcount(None)
    if abs(count.value - seen) > 2:
        # Not the reference count field after all: never write to memory we cannot identify.
        log.warning("cannot protect None from PySide6's reference leak; long sessions may abort")
        return False
    if count.value < HEADROOM:
        count.value += HEADROOM
    return True
