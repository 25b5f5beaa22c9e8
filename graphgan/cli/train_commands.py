"""Commands that train and use runs: train, sample, runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from graphgan.cli.graph_commands import add_document_arguments, load_document


def register(commands: Any) -> None:
    train = commands.add_parser("train", help="train a graph's networks")
    add_document_arguments(train)
    train.add_argument("--data", help="dataset name, LOADER:PATH or a folder (overrides the graph)")
    length = train.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help="total training steps")
    length.add_argument("--epochs", type=int, help="passes over the training data, not steps")
    train.add_argument("--out", type=Path, help="run folder (default: a new one under --runs)")
    train.add_argument("--runs", type=Path, default=Path("runs"), help="where new runs go")
    train.add_argument("--seed", type=int, default=0, help="seed for weights, data and noise")
    train.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default="auto")
    train.add_argument(
        "--precision",
        choices=["auto", "fp32", "bf16"],
        default="auto",
        help="bf16 autocast; auto: on for CUDA, fp32 elsewhere",
    )
    train.add_argument(
        "--compile",
        choices=["auto", "on", "off"],
        default="auto",
        dest="torch_compile",
        help="torch.compile the networks; auto: on for CUDA, off on CPU (slow to start, no gain)",
    )
    train.add_argument(
        "--resume",
        action="store_true",
        help="continue the run in --out (or DOCUMENT, if it is a run folder)",
    )
    train.add_argument("--no-progress", action="store_true", help="no progress bar")
    train.set_defaults(run=run_train)

    sample = commands.add_parser("sample", help="draw images from a trained run")
    sample.add_argument("run_dir", type=Path, help="a run folder")
    sample.add_argument("-n", type=int, default=64, help="how many images")
    sample.add_argument(
        "--out",
        type=Path,
        default=Path("samples.png"),
        help="a .png grid, or .npy for raw (N, C, H, W) values in [0, 1]",
    )
    sample.add_argument("--label", type=int, help="class to generate, where the graph takes one")
    sample.add_argument(
        "--code",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fix a latent code input (a category index, or values)",
    )
    sample.add_argument(
        "--sweep",
        metavar="CODE[:DIM][=LOW:HIGH]",
        help="a grid with one draw of the other inputs a row and CODE stepped across the "
        "columns: every category, or dimension DIM from LOW to HIGH (default -2:2) in 10 steps; "
        "-n counts the rows",
    )
    sample.add_argument("--caption", help="caption to illustrate, where the graph takes text")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default="auto")
    sample.set_defaults(run=run_sample)

    runs = commands.add_parser("runs", help="list past runs with status and last metrics")
    runs.add_argument("--runs", type=Path, default=Path("runs"), help="where runs are kept")
    runs.set_defaults(run=run_runs)


def run_train(args: argparse.Namespace) -> int:
    from graphgan.training.loop import TrainOptions, resume, train

    options = TrainOptions(
        out=args.out,
        runs_root=args.runs,
        steps=args.steps,
        epochs=args.epochs,
        seed=args.seed,
        device=args.device,
        data=args.data,
        precision=args.precision,
        torch_compile=args.torch_compile,
        progress=not args.no_progress,
    )
    if args.resume:
        run_dir = args.out or Path(args.document)
        result = resume(run_dir, options)
    else:
        result = train(load_document(args), options)
    print(f"run {result.status} at step {result.step}: {result.run_dir}")
    latest = result.run_dir / "samples" / "latest.png"
    if latest.is_file():
        print(f"samples: {latest}")
    return 0 if result.status == "finished" else 130


def run_sample(args: argparse.Namespace) -> int:
    from graphgan.training.generate import open_run, parse_sweep, sample_images, sweep_images
    from graphgan.training.grids import save_array, save_grid
    from graphgan.training.loop import pick_device

    device = pick_device(args.device)
    run = open_run(args.run_dir, device)
    codes = dict(item.partition("=")[::2] for item in args.code)
    value_range = run.spec.data.value_range
    if args.sweep:
        sweep = parse_sweep(args.sweep)
        images, columns = sweep_images(run, sweep, args.n, device, args.seed, codes)
        if args.out.suffix == ".npy":
            save_array(images, args.out, value_range)
        else:
            save_grid(images, args.out, value_range, nrow=columns)
        print(f"{len(images) // columns} rows of {sweep.code} swept, step {run.step}: {args.out}")
        return 0
    images = sample_images(run, args.n, device, args.seed, args.label, codes, args.caption)
    if args.out.suffix == ".npy":
        save_array(images, args.out, value_range)
    else:
        rows = run.spec.samples.rows_by
        single = args.label is not None or codes or args.caption is not None
        cols = None if single or not rows else args.n // max(1, _rows(run))
        save_grid(images, args.out, value_range, nrow=cols)
    print(f"{len(images)} samples from step {run.step}: {args.out}")
    return 0


def _rows(run: Any) -> int:
    from graphgan.training.sampling import sample_layout

    return sample_layout(run.spec, run.networks)[0]


def run_runs(args: argparse.Namespace) -> int:
    from graphgan.training.runs import list_runs
    from graphgan.training.sinks import short_metrics

    runs = list_runs(args.runs)
    if not runs:
        print(f"no runs under {args.runs}", file=sys.stderr)
        return 0
    for run in runs:
        losses = {k: v for k, v in run.metrics.items() if k.endswith("loss")}
        print(
            f"{run.name}  {run.status:<11} step {run.step}/{run.total_steps}  "
            f"{short_metrics(losses)}"
        )
    return 0
