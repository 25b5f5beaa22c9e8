"""What a server is started with, and the check that refuses unsafe combinations."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from graphgan.errors import GraphganError

DEFAULT_PORT = 8765
DEFAULT_MAX_BODY = 4 * 1024 * 1024  # the largest shipped template is about 22 KB
MIN_TOKEN_LENGTH = 16
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


class SettingsError(GraphganError, ValueError):
    """Settings that would expose the server without a token, or make no sense."""

    code = "server-settings"


@dataclass(frozen=True)
class ServerSettings:
    workspace: Path = Path(".")
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    token: str | None = None
    workers: int | None = None  # concurrent runs; None: one per GPU, or one on CPU
    worker_threads: int | None = None  # CPU threads per CPU run; None: all cores but one
    request_nice: int = 10  # how much nicer than the runs the request threads are (Linux)
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY
    access_log: bool = False  # a line per request; off by default, it costs under load
    # Host headers accepted without a token: a page on another site that rebinds its DNS
    # name to 127.0.0.1 sends its own name, and is refused.
    allowed_hosts: tuple[str, ...] = field(default=LOOPBACK_NAMES)

    def check(self) -> ServerSettings:
        """These settings, or a SettingsError naming what to change."""
        if not is_loopback(self.host) and not self.token:
            raise SettingsError(
                f"--host {self.host} makes the server reachable from other machines; "
                "pass --token (at least 16 characters) so every request must carry it"
            )
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise SettingsError(
                f"--token is {len(self.token)} characters; use at least {MIN_TOKEN_LENGTH}, "
                'e.g. from `python -c "import secrets; print(secrets.token_urlsafe())"`'
            )
        if "*" in self.cors_origins and self.token is None:
            raise SettingsError("--cors '*' lets any web page call the server; name the origins")
        if self.max_body_bytes < 1024:
            raise SettingsError(f"a body limit of {self.max_body_bytes} bytes is below 1 KiB")
        if self.workers is not None and self.workers < 1:
            raise SettingsError(f"--workers {self.workers}: at least one run must be able to go")
        if self.worker_threads is not None and self.worker_threads < 1:
            raise SettingsError(f"--worker-threads {self.worker_threads}: a run needs a thread")
        if not 0 <= self.request_nice <= 19:
            raise SettingsError(f"--request-nice {self.request_nice}: use 0 (off) to 19")
        return self


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
