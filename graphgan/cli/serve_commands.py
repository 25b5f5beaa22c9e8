"""The `serve` command: the HTTP API for a workspace, on loopback unless told otherwise."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from graphgan.errors import GraphganError

INSTALL_HINT = "the server needs its extra: pip install graphgan[server]"


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="serve the HTTP API for graphs, checks and runs")
    serve.add_argument(
        "--workspace", type=Path, default=Path("."), help="folder of graphs/, runs/ and the store"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--token",
        default=os.environ.get("GRAPHGAN_TOKEN"),
        help="every request must send `Authorization: Bearer TOKEN`; required off loopback "
        "(default: $GRAPHGAN_TOKEN)",
    )
    serve.add_argument(
        "--workers", type=int, help="runs trained at once (default: one per GPU, or one)"
    )
    serve.add_argument(
        "--worker-threads",
        type=int,
        help="CPU threads of each run on the CPU (default: every core but one, shared out)",
    )
    serve.add_argument(
        "--request-nice",
        type=int,
        default=10,
        help="how much lower than the runs' the CPU priority of answering requests is, "
        "0 to 19 (default 10; Linux)",
    )
    serve.add_argument(
        "--cors", nargs="+", default=[], metavar="ORIGIN", help="web origins allowed to call"
    )
    serve.add_argument(
        "--max-body", type=int, default=4 * 1024 * 1024, help="largest request body, in bytes"
    )
    serve.add_argument("--access-log", action="store_true", help="log a line per request")
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    try:
        import fastapi  # noqa: F401  (present, or the message below says what to install)
        import uvicorn  # noqa: F401
    except ImportError as error:
        raise GraphganError(f"{INSTALL_HINT} ({error.name} is missing)") from None
    from graphgan.runs import Workspace
    from graphgan.server import ServerSettings, serve

    settings = ServerSettings(
        workspace=args.workspace,
        host=args.host,
        port=args.port,
        token=args.token,
        workers=args.workers,
        worker_threads=args.worker_threads,
        request_nice=args.request_nice,
        cors_origins=tuple(args.cors),
        max_body_bytes=args.max_body,
        access_log=args.access_log,
    ).check()
    workspace = Workspace.open(args.workspace)  # refused here, before anything is printed
    print(f"graphgan: serving {workspace.root} on http://{args.host}:{args.port}")
    serve(settings)
    return 0
