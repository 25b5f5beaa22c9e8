"""What every route works with: the settings, the workspace, its graphs, runs and queue."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from graphgan.runs import RunQueue, RunStore, Workspace
from graphgan.server.documents import Analyses
from graphgan.server.graph_files import GraphFiles
from graphgan.server.settings import ServerSettings


@dataclass(frozen=True)
class ServerContext:
    settings: ServerSettings
    workspace: Workspace
    graphs: GraphFiles
    store: RunStore
    queue: RunQueue
    analyses: Analyses


async def server_context(request: Request) -> ServerContext:
    """The dependency routes declare to reach the server's state (async: no thread hop)."""
    context: ServerContext = request.app.state.context
    return context
