"""`python bench/quality [TEMPLATE ...]`: run the named quality checks (all by default).

Each check's figures go to bench/results/quality/NAME.json and its sample images to
bench/results/quality/NAME-*.png; then the table of every template measured so far is
rewritten, so checks of different templates may run one at a time or side by side. The exit
code is 1 when a gate is missed.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
from pathlib import Path
from typing import Any

import torch

BENCH = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(BENCH)]  # `python bench/quality` runs this folder, not the package

from common import RESULTS  # noqa: E402

from graphgan.training.grids import save_grid  # noqa: E402

TEMPLATES = ("cgan", "infogan", "pix2pix", "srgan", "stackgan")
FOLDER = RESULTS / "quality"


def run_check(name: str) -> bool:
    torch.manual_seed(0)
    outcome = importlib.import_module(f"quality.{name}").check()
    FOLDER.mkdir(parents=True, exist_ok=True)
    images = {}
    for label, samples in outcome.samples.items():
        path = FOLDER / f"{name}-{label}.png"
        save_grid(samples.images, path, samples.value_range, samples.nrow)
        images[label] = str(path.relative_to(RESULTS.parent.parent))
    record = {
        "template": name,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "met": outcome.met,
        "gates": [gate.as_dict() for gate in outcome.gates],
        "figures": outcome.figures,
        "images": images,
    }
    (FOLDER / f"{name}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))
    return outcome.met


def number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:.2f} {unit}" if unit else f"{value:.3f}"


def table(records: list[dict[str, Any]]) -> str:
    lines = [
        "| template | metric | floor | measured | control | control measured | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for record in records:
        for gate in record["gates"]:
            unit = gate["unit"]
            ceiling = gate["control_ceiling"]
            control = gate["control"] + (f" (below {number(ceiling, unit)})" if ceiling else "")
            cells = [
                record["template"],
                gate["metric"],
                number(gate["floor"], unit),
                number(gate["measured"], unit),
                control,
                number(gate["control_measured"], unit),
                "yes" if gate["met"] else "**no**",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_table() -> None:
    """Gather every template's latest record into quality.json and quality.md."""
    records = [
        json.loads(path.read_text(encoding="utf-8"))
        for name in TEMPLATES
        if (path := FOLDER / f"{name}.json").is_file()
    ]
    (RESULTS / "quality.json").write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    header = (
        "# Template quality\n\nWritten by `python bench/quality`: each template's demo preset "
        "trained on its embedded data, scored against a floor fixed before training and a "
        "negative control. Figures and sample images per template are in `quality/`.\n\n"
    )
    (RESULTS / "quality.md").write_text(header + table(records), encoding="utf-8")


def main(argv: list[str]) -> int:
    names = argv or list(TEMPLATES)
    unknown = [name for name in names if name not in TEMPLATES]
    if unknown:
        print(f"unknown checks {unknown}; known: {', '.join(TEMPLATES)}", file=sys.stderr)
        return 2
    met = [run_check(name) for name in names]
    write_table()
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
