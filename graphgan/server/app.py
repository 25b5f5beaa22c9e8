"""The app factory: one FastAPI application serving one workspace.

Safe by default: the guard refuses requests without the token (when one is set), foreign
Host headers (when none is), bodies over the limit and bodies that are not JSON; CORS stays
closed unless origins are named.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from graphgan.registry import default_registry
from graphgan.runs import RunQueue, RunStore, Workspace
from graphgan.server import catalogue_api, checks_api, errors, events_api, graphs_api, runs_api
from graphgan.server.context import ServerContext
from graphgan.server.documents import Analyses
from graphgan.server.graph_files import GraphFiles
from graphgan.server.priority import lower_serving_priority
from graphgan.server.security import Guard
from graphgan.server.settings import ServerSettings

log = logging.getLogger(__name__)


def create_app(settings: ServerSettings) -> FastAPI:
    """An app for `settings.workspace`; its lifespan starts and stops the run workers."""
    settings.check()
    workspace = Workspace.open(settings.workspace)
    store = RunStore(workspace.database)
    context = ServerContext(
        settings=settings,
        workspace=workspace,
        graphs=GraphFiles(workspace),
        store=store,
        queue=RunQueue(workspace, store, settings.workers, threads=settings.worker_threads),
        analyses=Analyses(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load the plugin packs now, so the first client does not wait for them.
        default_registry()
        context.queue.start()
        lower_serving_priority(settings.request_nice)  # after the scheduler thread started
        log.info(
            "serving workspace %s, %d run(s) at a time", workspace.root, context.queue.concurrency
        )
        try:
            yield
        finally:
            context.queue.close()

    app = FastAPI(
        title="graphgan",
        version=_version(),
        description="Graphs, validation, export and training runs of one graphgan workspace.",
        lifespan=lifespan,
    )
    app.state.context = context
    errors.install(app)
    for module in (catalogue_api, graphs_api, checks_api, runs_api, events_api):
        app.include_router(module.router, responses=errors.ERROR_RESPONSES)

    app.add_middleware(
        Guard,
        token=settings.token,
        max_body=settings.max_body_bytes,
        allowed_hosts=(*settings.allowed_hosts, settings.host),
    )
    if settings.cors_origins:
        # Added last, so it runs first: a browser's preflight carries no token.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
        )
    return app


def _version() -> str:
    try:
        return version("graphgan")
    except PackageNotFoundError:
        return "0"
