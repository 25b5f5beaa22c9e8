"""Requests are answered at a lower CPU priority than the runs train at.

A burst of requests (50 clients validating graphs) would otherwise take CPU time from the
training runs on a small machine; a client waits a few milliseconds more instead.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)


def lower_serving_priority(increment: int) -> bool:
    """Make this thread `increment` nicer; the threads it starts later inherit that.

    Called on the event loop's thread after the run queue's scheduler thread has started, so
    the worker processes that thread spawns keep their normal priority. Only on Linux, where
    niceness belongs to a thread: elsewhere it belongs to the process, and would slow the
    runs too. Returns whether the priority changed.
    """
    if increment <= 0 or not sys.platform.startswith("linux"):
        return False
    thread = threading.get_native_id()
    current = os.getpriority(os.PRIO_PROCESS, thread)
    os.setpriority(os.PRIO_PROCESS, thread, min(19, current + increment))
    log.debug("requests answered at niceness %d", min(19, current + increment))
    return True
