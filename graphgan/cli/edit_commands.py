"""The command that opens the visual editor: edit.

Qt is imported only when the command runs, so every other command works without the editor's
optional dependencies installed.
"""

from __future__ import annotations

import argparse
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

EDITOR_PACKAGES = ("PySide6", "qtpy", "nodeeditor")


def register(commands: Any) -> None:
    edit = commands.add_parser("edit", help="open a graph in the visual editor")
    edit.add_argument(
        "document",
        nargs="?",
        help="a graph file or a shipped template's name (default: the start page)",
    )
    edit.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        help="open the document, save a picture of the window to PNG and exit",
    )
    edit.set_defaults(run=run_edit)


def missing_packages() -> list[str]:
    """The editor's packages that are not installed."""
    return [name for name in EDITOR_PACKAGES if find_spec(name) is None]


def run_edit(args: argparse.Namespace) -> int:
    missing = missing_packages()
    if missing:
        print(
            f"graphgan: the editor needs {', '.join(missing)}; "
            "install it with: pip install graphgan[editor]",
            file=sys.stderr,
        )
        return 2
    from graphgan.editor.launch import run

    code = run(args.document, args.screenshot)
    if args.screenshot is not None:
        print(f"screenshot: {args.screenshot}")
    return code
