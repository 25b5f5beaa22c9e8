"""Stopping a run from outside: Ctrl-C, SIGINT from the editor, SIGTERM from a scheduler.

The first signal only asks: the loop finishes the step it is in, writes a checkpoint and
exits cleanly, so the request can never be lost inside library code that swallows a
KeyboardInterrupt. A second Ctrl-C interrupts at once (the loop still checkpoints).
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType, TracebackType
from typing import Any

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """While entered (on the main thread), turns SIGINT and SIGTERM into a stop request."""

    def __init__(self) -> None:
        self.requested: str | None = None  # the signal's name, once one arrived
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for number in SIGNALS:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous.clear()

    def _handle(self, number: int, frame: FrameType | None) -> None:
        name = signal.Signals(number).name
        if self.requested is not None and number == signal.SIGINT:
            raise KeyboardInterrupt  # asked twice: stop now
        if self.requested is None:
            log.warning("%s: stopping after this step with a checkpoint (Ctrl-C again: now)", name)
        self.requested = name
