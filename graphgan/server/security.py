"""The guard in front of every route: Host header, token, content type and body size.

It is plain ASGI so it sees a request before any routing or parsing, and it buffers at most
the body limit, so an oversized upload is refused without being held in memory.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from graphgan.server.errors import error_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

_BODY_METHODS = {"POST", "PUT", "PATCH"}


class Guard:
    """ASGI middleware: refuses a request before the app sees it, or passes it on unchanged."""

    def __init__(
        self, app: App, token: str | None, max_body: int, allowed_hosts: tuple[str, ...]
    ) -> None:
        self.app, self.max_body = app, max_body
        self.token = token.encode() if token else None
        self.allowed_hosts = {host.strip("[]").lower() for host in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                return  # no route speaks WebSocket; closing unanswered refuses it
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is None and scope["method"] in _BODY_METHODS:
            body = await self._read_body(headers, receive)
            if isinstance(body, bytes):
                receive = _replay(body, receive)
            else:
                refusal = body
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, headers: dict[str, bytes]) -> Any:
        if self.token is None and _hostname(headers.get("host", b"")) not in self.allowed_hosts:
            return error_response(400, "host-refused", "this Host is not served without a token")
        if self.token is not None and not self._authorised(headers):
            response = error_response(401, "token-required", "send Authorization: Bearer TOKEN")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        return None

    def _authorised(self, headers: dict[str, bytes]) -> bool:
        scheme, _, given = headers.get("authorization", b"").partition(b" ")
        # Compared in constant time, so response timing says nothing about the token.
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token or b"")

    async def _read_body(self, headers: dict[str, bytes], receive: Receive) -> Any:
        """The whole body, or a response refusing it (too large, or not JSON)."""
        declared = headers.get("content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            return _too_large(self.max_body)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return _too_large(self.max_body)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        kind = headers.get("content-type", b"").split(b";")[0].strip().lower()
        if body and kind != b"application/json":
            return error_response(415, "content-type", "send the body as application/json")
        return body


def _too_large(limit: int) -> Any:
    return error_response(413, "body-too-large", f"request bodies are limited to {limit} bytes")


def _hostname(host: bytes) -> str:
    text = host.decode("latin-1").strip().lower()
    if text.startswith("["):  # [::1]:8765
        return text[1:].partition("]")[0]
    return text.rpartition(":")[0] if text.count(":") == 1 else text


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
