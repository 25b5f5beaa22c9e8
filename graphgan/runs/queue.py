"""The run queue: starts queued runs in worker processes, a bounded number at a time.

A scheduler thread claims the oldest queued run whenever a slot is free and spawns a worker
for it. A worker that dies without saying how its run ended (killed, out of memory, a crash
in native code) has its run marked failed with the exit code; the server carries on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphgan.runs.store import RunNotFoundError, RunStateError, RunStore
from graphgan.runs.worker import work
from graphgan.runs.workspace import Workspace

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.2


@dataclass
class _Worker:
    run_id: str
    process: Any  # multiprocessing's SpawnProcess
    stop: Any  # multiprocessing's Event
    slot: int


def default_concurrency() -> int:
    """One run per CUDA device, or one on a machine without."""
    import torch

    return max(1, torch.cuda.device_count())


def default_threads(concurrency: int) -> int:
    """CPU threads for each of `concurrency` CPU runs: every core but one, shared out.

    The core left over answers requests; without it, 50 clients validating graphs took more
    than half of a training run's steps on 2 cores (bench/server_load.py).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, ((cores or 1) - 1) // concurrency)


class RunQueue:
    """Owns the worker processes of one workspace's run store."""

    def __init__(
        self,
        workspace: Workspace,
        store: RunStore,
        concurrency: int | None = None,
        target: Callable[..., None] = work,
        threads: int | None = None,
    ) -> None:
        """`target` is what a worker process runs: `work`, unless a test swaps it.

        `threads` is the CPU threads of each run on the CPU (default `default_threads`);
        runs on a GPU keep torch's default.
        """
        self.workspace, self.store, self.target = workspace, store, target
        self.concurrency = concurrency or default_concurrency()
        self._gpus = _gpu_count()
        self.threads = None if self._gpus else threads or default_threads(self.concurrency)
        self._context = multiprocessing.get_context("spawn")
        self._workers: dict[str, _Worker] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Mark runs a previous server left running as interrupted, then start scheduling."""
        for run_id in self.store.recover():
            log.warning("run %s was interrupted by a server restart; it can be resumed", run_id)
        self._thread = threading.Thread(target=self._schedule, name="graphgan-runs", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A run was queued: look for a free slot now rather than at the next poll."""
        self._wake.set()

    def stop(self, run_id: str) -> None:
        """Ask a running run to stop with a checkpoint; a queued one never starts."""
        with self._lock:
            worker = self._workers.get(run_id)
            if worker is not None:
                worker.stop.set()
                return
        record = self.store.get(run_id)
        if record.state != "queued":
            raise RunStateError(f"run '{run_id}' is {record.state}; only active runs stop")
        self.store.set_state(run_id, "interrupted", "stopped before it started")
        self.store.add_event(run_id, "interrupted", record.step, {"reason": "stopped"})

    def active(self) -> list[str]:
        with self._lock:
            return list(self._workers)

    def close(self, timeout: float = 20.0) -> None:
        """Stop every run with a checkpoint, waiting up to `timeout` s before killing them."""
        self._closing.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            workers = list(self._workers.values())
        for worker in workers:
            worker.stop.set()
        for worker in workers:
            worker.process.join(timeout)
            if worker.process.is_alive():
                log.warning("run %s did not stop in %.0f s; killing it", worker.run_id, timeout)
                worker.process.kill()
                worker.process.join()
        self._reap()

    # The scheduler thread ---------------------------------------------------------------

    def _schedule(self) -> None:
        while not self._closing.is_set():
            try:
                self._reap()
                self._fill()
            except Exception:  # the scheduler must outlive any one bad run record
                log.exception("run scheduler")
            self._wake.wait(_POLL_SECONDS)
            self._wake.clear()

    def _fill(self) -> None:
        while len(self._workers) < self.concurrency and not self._closing.is_set():
            record = self.store.next_queued(busy=set(self._workers))
            if record is None or not self.store.claim(record.id):
                return
            self._spawn(record.id)

    def _spawn(self, run_id: str) -> None:
        taken = {worker.slot for worker in self._workers.values()}
        slot = min(set(range(self.concurrency)) - taken)
        run_dir = self.workspace.runs / run_id
        stop = self._context.Event()
        gpu = slot % self._gpus if self._gpus else None
        args = (str(self.store.path), str(run_dir), run_id, stop, gpu, self.threads)
        process = self._context.Process(
            target=self.target, args=args, name=f"graphgan-run-{run_id}"
        )
        process.start()
        with self._lock:
            self._workers[run_id] = _Worker(run_id, process, stop, slot)
        log.info("run %s started in worker process %s", run_id, process.pid)

    def _reap(self) -> None:
        with self._lock:
            ended = [w for w in self._workers.values() if not w.process.is_alive()]
            for worker in ended:
                del self._workers[worker.run_id]
        for worker in ended:
            worker.process.join()
            self._settle(worker.run_id, worker.process.exitcode)

    def _settle(self, run_id: str, exitcode: int | None) -> None:
        """A worker ended: if it left its run running, it died; say so.

        A run queued again (resumed once its worker had recorded the end) is left alone.
        """
        try:
            record = self.store.get(run_id)
        except RunNotFoundError:
            return  # deleted once it had stopped
        if record.state != "running":
            return
        if self._closing.is_set():
            # Shutting down (a Ctrl-C reaches the workers too): the run can be resumed.
            reason = "the server stopped before the run did; resume it to continue"
            self.store.set_state(run_id, "interrupted", reason)
            self.store.add_event(run_id, "interrupted", record.step, {"reason": reason})
            return
        reason = f"the worker process ended with exit code {exitcode} before the run did"
        log.warning("run %s: %s", run_id, reason)
        self.store.set_state(run_id, "failed", reason)
        self.store.add_event(run_id, "failed", record.step, {"reason": reason})


def _gpu_count() -> int:
    import torch

    return int(torch.cuda.device_count())
