"""Background jobs: work done on a worker thread, its result handed back on the window's thread.

A Qt object must be destroyed on its own thread, or the editor crashes. So a job never holds
one (its result comes back through a `Jobs` object made on the window's thread and kept for the
process's life), and the cyclic garbage collector, which frees the Qt objects of closed windows
on whichever thread happens to allocate, is kept off while any job is out.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")

_out = 0  # jobs submitted and not yet handed back or cancelled, over every Jobs
_collecting = True  # whether the collector was on when the first of them went out
_queues: dict[str, Jobs] = {}


class Jobs(QObject):
    """One worker thread: jobs run in the order submitted, one at a time."""

    finished = Signal(object, object)  # the submitter's token, the job's Future

    def __init__(self, name: str) -> None:
        super().__init__()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"graphgan-{name}")
        self.finished.connect(lambda _token, _future: _returned())

    def submit(self, token: object, work: Callable[..., T], *args: Any) -> Future[T]:
        """Run `work(*args)`; `finished(token, future)` follows on this object's thread.

        A job cancelled before it starts is never reported.
        """
        _going_out()
        future = self._executor.submit(work, *args)
        future.add_done_callback(partial(self._hand_back, token))
        return future

    def _hand_back(self, token: object, future: Future[Any]) -> None:
        # On the worker thread; for a cancelled job, on the canceller's, inside cancel().
        if future.cancelled():
            _returned()
        else:
            self.finished.emit(token, future)


def jobs(name: str) -> Jobs:
    """The queue of jobs called `name`, made on first use (on the window's thread)."""
    if name not in _queues:
        _queues[name] = Jobs(name)
    return _queues[name]


def _going_out() -> None:
    global _out, _collecting
    if _out == 0:
        _collecting = gc.isenabled()
        gc.disable()
    _out += 1


def _returned() -> None:
    global _out
    _out -= 1
    if _out == 0 and _collecting:
        gc.enable()
        log.debug("every background job is back; garbage collection is on again")
