"""What a quality check returns: its figures, its gates and its sample images."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch


@dataclass(frozen=True)
class Gate:
    """One row of the table: a metric, its floor, and the control that must fall short.

    The control must stay below `control_ceiling`, which is the floor itself unless a check
    names a lower one (a control far under the floor is what shows the metric measures
    learning and not the scorer).
    """

    metric: str
    measured: float
    floor: float
    control: str = ""
    control_measured: float | None = None
    control_ceiling: float | None = None
    unit: str = ""

    @property
    def met(self) -> bool:
        if self.measured < self.floor:
            return False
        if self.control_measured is None:
            return True
        ceiling = self.floor if self.control_ceiling is None else self.control_ceiling
        return self.control_measured < ceiling

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "measured": self.measured,
            "floor": self.floor,
            "control": self.control,
            "control_measured": self.control_measured,
            "control_ceiling": self.control_ceiling,
            "unit": self.unit,
            "met": self.met,
        }


@dataclass(frozen=True)
class Samples:
    """Images to save as one PNG grid: (N, C, H, W) in `value_range`, `nrow` a row."""

    images: torch.Tensor
    value_range: tuple[float, float] = (-1.0, 1.0)
    nrow: int | None = None


@dataclass
class Outcome:
    figures: dict[str, Any]
    gates: list[Gate]
    samples: dict[str, Samples] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return all(gate.met for gate in self.gates)
