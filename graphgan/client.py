"""A client of a graphgan server's HTTP API (docs/server.md), on the standard library alone.

It queues training runs and reads, stops and resumes them. Every call blocks until the server
answers, so a window makes its calls on a worker thread. A failure is a `ServerError` that
names the request's URL and, where the server answered, the HTTP status and its error body.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
from typing import TYPE_CHECKING, Any

from graphgan.errors import GraphganError

if TYPE_CHECKING:
    from urllib.error import HTTPError

log = logging.getLogger(__name__)

TIMEOUT_S = 30.0
# What a status means for the person reading the error, where the server's message is terse.
_HINTS = {
    401: "check the token the server was started with (graphgan serve --token)",
    404: "is this the right server, and the run still there?",
    413: "the graph is larger than the server's --max-body",
}


class ServerError(GraphganError, RuntimeError):
    """A request the server refused, or an answer that is not what its API promises."""

    code = "server-error"

    def __init__(
        self, message: str, url: str, status: int | None = None, body: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.body = body or {}


class ServerUnreachableError(ServerError, ConnectionError):
    """No answer at all: nothing listening, a wrong address, a timeout."""

    code = "server-unreachable"


class ServerAddressError(GraphganError, ValueError):
    """A server address that is not an http(s) URL."""

    code = "server-address-invalid"


class ServerClient:
    """One graphgan server, at `url`, with the token it was started with (if any)."""

    def __init__(self, url: str, token: str = "", timeout: float = TIMEOUT_S) -> None:
        address = url.strip().rstrip("/")
        parts = urllib.parse.urlsplit(address)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ServerAddressError(
                f"'{url}' is not a graphgan server's address; give one like http://127.0.0.1:8765"
            )
        self.url = address
        self.token = token.strip()
        self.timeout = timeout

    # Runs.

    def start_run(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        """Queue a run of the graph document; the run as the server records it (with its id)."""
        return self._json("POST", "/runs", {"document": document, "options": options})

    def run(self, run_id: str) -> dict[str, Any]:
        """A run's state, step, total steps, last metrics, sample names and checkpoints."""
        return self._json("GET", f"/runs/{_quoted(run_id)}")

    def metrics(self, run_id: str, after: int = 0) -> list[dict[str, Any]]:
        """The run's logged metrics records, of the steps after `after`."""
        path = f"/runs/{_quoted(run_id)}/metrics?after={after:d}"
        records = self._json("GET", path).get("records")
        if not isinstance(records, list):
            raise ServerError(f"GET {self.url}{path}: the answer holds no records", self.url + path)
        return records

    def stop(self, run_id: str) -> dict[str, Any]:
        """Ask the run to stop after its current step, with a checkpoint."""
        return self._json("POST", f"/runs/{_quoted(run_id)}/stop")

    def resume(self, run_id: str, steps: int | None = None) -> dict[str, Any]:
        """Queue a stopped run again from its latest checkpoint; `steps` sets a new total."""
        body = {"steps": steps} if steps else {}
        return self._json("POST", f"/runs/{_quoted(run_id)}/resume", body)

    def sample(self, run_id: str, file: str) -> bytes:
        """A sample grid of the run, as PNG bytes."""
        return self._request("GET", f"/runs/{_quoted(run_id)}/samples/{_quoted(file)}")

    # HTTP.

    def _json(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        raw = self._request(method, path, body)
        url = self.url + path
        try:
            answer = json.loads(raw)
        except ValueError as error:
            raise ServerError(f"{method} {url}: the answer is not JSON", url) from error
        if not isinstance(answer, dict):
            raise ServerError(f"{method} {url}: the answer is not a JSON object", url)
        return answer

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> bytes:
        # Imported here: urllib.request brings http.client and ssl, which the editor's window
        # would otherwise load at start-up for a server it may never use.
        import urllib.error
        import urllib.request

        url = self.url + path
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        log.debug("%s %s", method, url)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                content: bytes = response.read()
                return content
        except urllib.error.HTTPError as error:
            raise _refused(method, url, error) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ServerUnreachableError(
                f"{method} {url}: cannot reach the graphgan server ({reason}); is "
                "`graphgan serve` running there?",
                url,
            ) from error


def _refused(method: str, url: str, error: HTTPError) -> ServerError:
    """The server's error body (code, message) as one sentence, with the status and URL."""
    try:
        body = json.loads(error.read())
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    code = body.get("code") or error.reason
    message = f"{method} {url}: HTTP {error.code} ({code})"
    if body.get("message"):
        message += f": {body['message']}"
    if error.code in _HINTS:
        message += f"; {_HINTS[error.code]}"
    return ServerError(message, url, error.code, body)


def _quoted(name: str) -> str:
    return urllib.parse.quote(name, safe="")
