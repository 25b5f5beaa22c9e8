"""Following a run's metrics file as the training process appends to it.

Only whole lines are read, so a line the trainer is still writing is picked up next time; each
poll reads only what was added since the last one, so a long run costs nothing extra to follow.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class MetricsTail:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0

    def read(self) -> list[dict[str, Any]]:
        """The records appended since the last call (none if the file does not exist yet)."""
        try:
            with self.path.open("rb") as handle:
                handle.seek(self._offset)
                chunk = handle.read()
        except FileNotFoundError:
            return []
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self._offset += len(complete)
        records = []
        for line in complete.splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a damaged line is skipped; the run's own readers do the same
            if isinstance(record, dict):
                records.append({k: _NON_FINITE.get(v, v) for k, v in record.items()})
        return records
