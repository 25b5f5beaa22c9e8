"""Fixtures of the server tests: a workspace, an in-process client, and a real uvicorn process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from graphgan.server import ServerSettings, create_app
from tests.training.gan import tiny_gan_data

ROOT = Path(__file__).resolve().parents[2]
LOCAL = "http://127.0.0.1"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    folder.mkdir()
    return folder


@pytest.fixture
def client(workspace: Path) -> Iterator[TestClient]:
    """An in-process client; the app's lifespan is not run, so no run leaves the queue."""
    app = create_app(ServerSettings(workspace=workspace))
    test = TestClient(app, base_url=LOCAL)
    yield test
    test.close()
    app.state.context.store.close()


@pytest.fixture
def tiny_document() -> dict[str, Any]:
    """The training tests' tiny GAN: 4x4 digits, a few steps."""
    return tiny_gan_data()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Served:
    """A `graphgan serve` process on a free loopback port, and a client for it."""

    def __init__(self, workspace: Path, *extra: str, token: str | None = None) -> None:
        self.workspace, self.port = workspace, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "graphgan.cli.main", "serve", "--workspace"]
        command += [str(workspace), "--port", str(self.port), *extra]
        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
        self.log = (workspace.parent / f"server-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.client = httpx2.Client(base_url=self.url, timeout=30)
        try:
            self._wait_ready()
        except BaseException:
            self.stop(hard=True)
            raise
        if token is not None:
            self.client.headers["Authorization"] = f"Bearer {token}"

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.output}")
            try:
                self.client.get("/templates")
                return
            except httpx2.TransportError:
                time.sleep(0.2)
        raise TimeoutError(f"server did not answer in {timeout} s: {self.output}")

    @property
    def output(self) -> str:
        self.log.flush()
        return (self.workspace.parent / f"server-{self.port}.log").read_text()

    def stop(self, hard: bool = False) -> None:
        try:
            self.client.close()
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGKILL if hard else signal.SIGINT)
                try:
                    self.process.wait(30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            self.log.close()


@pytest.fixture
def serve(workspace: Path) -> Iterator[Any]:
    """Start servers on the workspace; all are stopped at the end of the test."""
    started: list[Served] = []

    def start(*extra: str) -> Served:
        served = Served(workspace, *extra)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def wait_for(check: Any, timeout: float = 60, every: float = 0.1) -> Any:
    """Poll `check()` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"{check} stayed false for {timeout} s")
