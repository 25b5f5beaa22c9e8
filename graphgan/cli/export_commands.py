"""The `export` command: a graph, a template or a trained run as a standalone project."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from graphgan.cli.graph_commands import add_document_arguments, load_document


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export", help="write a graph (or a run, with its weights) as a standalone PyTorch project"
    )
    add_document_arguments(export)
    export.add_argument("--out", type=Path, required=True, help="the project folder to write")
    export.add_argument("--force", action="store_true", help="replace an earlier export in --out")
    export.add_argument(
        "--no-data",
        action="store_true",
        help="do not embed the dataset (train.py then needs --data)",
    )
    export.add_argument("--data", help="dataset to embed instead of the graph's (as for train)")
    export.add_argument(
        "--seed", type=int, default=0, help="seed the dataset is prepared with (as for train)"
    )
    export.add_argument(
        "--templates",
        type=Path,
        help="a folder of templates (models.py.j2, train.py.j2, README.md.j2) to use instead",
    )
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from graphgan.export import ExportError, ExportOptions, export_project, is_run_dir, open_run

    run = None
    if is_run_dir(Path(args.document)):
        if args.set or args.preset:
            raise ExportError(
                "--set and --preset do not apply to a run folder: its weights fit the graph it "
                "trained; export the graph file instead to change variables"
            )
        run = open_run(Path(args.document))
        graph, seed, data = run.graph, run.seed, args.data or run.data
    else:
        graph, seed, data = load_document(args), args.seed, args.data
    options = ExportOptions(
        force=args.force, data=not args.no_data, seed=seed, dataset=data, templates=args.templates
    )
    result = export_project(graph, args.out, options, run)
    print(f"exported {', '.join(result.files)} to {result.out}")
    return 0
