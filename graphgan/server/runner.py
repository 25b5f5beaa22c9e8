"""Running the app under uvicorn, as `graphgan serve` does."""

from __future__ import annotations

import logging

from graphgan.server.app import create_app
from graphgan.server.settings import ServerSettings

log = logging.getLogger(__name__)


def serve(settings: ServerSettings) -> None:
    """Serve until interrupted; active runs stop with a checkpoint on the way out."""
    import uvicorn

    app = create_app(settings)
    log.info("graphgan server on http://%s:%d", settings.host, settings.port)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=settings.access_log,
        server_header=False,
        timeout_graceful_shutdown=5,
    )
