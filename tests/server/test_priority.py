"""Requests are answered at a lower CPU priority than the runs, on Linux."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from graphgan.server.priority import lower_serving_priority
from graphgan.server.settings import ServerSettings, SettingsError


def niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="niceness per thread is Linux's")
def test_only_the_serving_thread_and_what_it_starts_become_nicer() -> None:
    seen: dict[str, int] = {}
    release = threading.Event()

    def earlier() -> None:  # like the run scheduler: started before the change
        release.wait(10)
        seen["earlier"] = niceness()

    def serving() -> None:  # like the event loop's thread; its later threads inherit
        seen["before"] = niceness()
        assert lower_serving_priority(4)
        seen["after"] = niceness()
        later = threading.Thread(target=lambda: seen.update(later=niceness()))
        later.start()
        later.join()
        release.set()

    threads = [threading.Thread(target=earlier), threading.Thread(target=serving)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = min(19, seen["before"] + 4)
    assert seen["after"] == seen["later"] == expected
    assert seen["earlier"] == seen["before"] == niceness()


def test_zero_changes_nothing() -> None:
    assert lower_serving_priority(0) is False


@pytest.mark.parametrize(
    ("change", "message"),
    [({"worker_threads": 0}, "--worker-threads 0"), ({"request_nice": 20}, "--request-nice 20")],
)
def test_settings_refuse_what_cannot_work(change: dict[str, int], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        ServerSettings(**change).check()
