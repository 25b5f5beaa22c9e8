"""A worker process: trains one run from the store and records what happens to it.

It is started with multiprocessing's spawn method, so nothing of the server (threads, open
sockets, CUDA state) is inherited; a crash here ends this process only.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from graphgan.runs.store import RunRecord, RunStore

log = logging.getLogger(__name__)


class StopFlag:
    """Polled after every step: stop when the server asks, or when the server is gone.

    A server killed outright cannot ask; its workers notice they have a new parent and stop
    with a checkpoint, so a restarted server finds their runs interrupted, not running.
    """

    def __init__(self, event: Any) -> None:
        self.event = event
        self.parent = os.getppid()

    def __call__(self, step: int) -> bool:
        return bool(self.event.is_set()) or os.getppid() != self.parent


def work(
    database: str, run_dir: str, run_id: str, stop: Any, gpu: int | None, threads: int | None
) -> None:
    """Entry point of a worker process; never raises, the store says how the run ended.

    `gpu` is the CUDA device this run trains on; `threads`, the CPU threads it may use.
    """
    if gpu is not None:
        # Before torch is imported: each worker sees one device, as cuda:0.
        os.environ["CUDA_VISIBLE_DEVICES"] = str(gpu)
    if threads is not None:
        import torch

        torch.set_num_threads(threads)
    store = RunStore(Path(database))
    handler = _log_to(Path(run_dir) / "train.log")
    try:
        _train(store, store.get(run_id), Path(run_dir), StopFlag(stop))
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        store.close()


def _train(store: RunStore, record: RunRecord, run_dir: Path, stop: StopFlag) -> None:
    from graphgan.graph import loads
    from graphgan.runs.events import StoreSink
    from graphgan.training.loop import TrainOptions, resume, train

    options = dict(record.options)
    sink = StoreSink(store, record.id, int(options.pop("metrics_every", 10)))
    train_options = TrainOptions(out=run_dir, progress=False, sinks=(sink,), stop=stop, **options)
    try:
        if record.mode == "resume" and (run_dir / "checkpoints" / "latest.json").is_file():
            resume(run_dir, train_options)
        else:
            train(loads(record.graph), train_options)
    except Exception as error:  # the run fails; the worker reports why and ends quietly
        log.exception("run %s failed", record.id)
        if not sink.failed:
            sink.record_failure(store.get(record.id).step, _reason(error))


def _reason(error: Exception) -> str:
    from graphgan.errors import GraphganError

    if isinstance(error, GraphganError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _log_to(path: Path) -> logging.Handler:
    """The run's own log file; this process is the worker's entry point, so it configures it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler
