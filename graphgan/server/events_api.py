"""Each run's event stream as server-sent events, replayed from the store.

A client that reconnects sends `Last-Event-ID` (or `?after=`) and gets only what it missed.
The stream ends after the run's last event (finished, failed, interrupted), unless the run
is queued again.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse

from graphgan.runs import ACTIVE, FINAL_EVENTS, EventRecord, RunNotFoundError
from graphgan.server.context import ServerContext, server_context
from graphgan.server.models import EventModel
from graphgan.server.runs_api import RunId
from graphgan.server.runs_view import event_model, run_folder

router = APIRouter(prefix="/runs", tags=["events"])
Context = Annotated[ServerContext, Depends(server_context)]

POLL_SECONDS = 0.25
KEEPALIVE_SECONDS = 15.0
_STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/event-stream": {}},
        "description": "Server-sent events; each `data` is an EventModel as JSON",
    }
}


@router.get(
    "/{run_id}/events",
    response_class=StreamingResponse,
    responses=_STREAM,
    summary="The run's event stream (server-sent events)",
)
def events(
    run_id: RunId,
    request: Request,
    context: Context,
    after: Annotated[int, Query(ge=0, description="Only events after this seq.")] = 0,
    last_event_id: Annotated[str | None, Header()] = None,
) -> Any:
    run_folder(context.workspace, run_id)
    context.store.get(run_id)
    start = int(last_event_id) if last_event_id and last_event_id.isdigit() else after
    stream = _stream(context, request, run_id, start)
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream, media_type="text/event-stream", headers=headers)


@router.get("/{run_id}/history", response_model=list[EventModel], summary="Recorded events")
def history(
    run_id: RunId,
    context: Context,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> Any:
    """The same events as the stream, as one JSON list."""
    run_folder(context.workspace, run_id)
    context.store.get(run_id)
    return [event_model(event) for event in context.store.events(run_id, after, limit)]


async def _stream(
    context: ServerContext, request: Request, run_id: str, after: int
) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    idle = 0.0
    while not await request.is_disconnected():
        batch = await anyio.to_thread.run_sync(context.store.events, run_id, after)
        for event in batch:
            after = event.seq
            yield _message(event)
        if batch:
            ended: bool = await anyio.to_thread.run_sync(_ended, context, run_id, batch[-1])
            if ended:
                return
        else:
            await anyio.sleep(POLL_SECONDS)
            idle += POLL_SECONDS
            if idle >= KEEPALIVE_SECONDS:
                idle = 0.0
                if not await anyio.to_thread.run_sync(_exists, context, run_id):
                    return
                yield ": keep-alive\n\n"


def _ended(context: ServerContext, run_id: str, last: EventRecord) -> bool:
    if last.kind not in FINAL_EVENTS:
        return False
    try:
        return context.store.get(run_id).state not in ACTIVE
    except RunNotFoundError:
        return True  # deleted while streaming


def _exists(context: ServerContext, run_id: str) -> bool:
    try:
        context.store.get(run_id)
    except RunNotFoundError:
        return False
    return True


def _message(event: EventRecord) -> str:
    data = json.dumps(event_model(event).model_dump(mode="json"), separators=(",", ":"))
    return f"id: {event.seq}\nevent: {event.kind}\ndata: {data}\n\n"
