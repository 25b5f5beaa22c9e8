"""The `graphgan` command: parses arguments, configures logging, prints, sets exit codes.

Exit codes: 0 success (warnings allowed), 1 an invalid graph, 2 a file or name that cannot be
read or found, or bad arguments.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from graphgan.cli import (
    edit_commands,
    export_commands,
    graph_commands,
    serve_commands,
    train_commands,
)
from graphgan.errors import DocumentError, GraphganError, GraphInvalidError, UnknownNameError

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphgan",
        description="Build GANs as node graphs: validate, summarise, compile, train, export.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    graph_commands.register(commands)
    train_commands.register(commands)
    edit_commands.register(commands)
    export_commands.register(commands)
    serve_commands.register(commands)
    return parser


def configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    try:
        code: int = args.run(args)
    except GraphInvalidError as error:
        print(error.report, file=sys.stderr)
        code = EXIT_INVALID
    except (DocumentError, UnknownNameError) as error:
        print(f"graphgan: {error}", file=sys.stderr)
        code = EXIT_UNREADABLE
    except GraphganError as error:
        print(f"graphgan: {error}", file=sys.stderr)
        code = EXIT_INVALID
    except KeyboardInterrupt:
        print("graphgan: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        # The reader went away (`graphgan nodes | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    return code


if __name__ == "__main__":
    sys.exit(main())
