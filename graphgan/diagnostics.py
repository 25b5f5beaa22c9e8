"""Diagnostics: structured records of what is wrong with a graph, shared by every face.

The CLI prints them, the server returns them and the editor outlines the nodes they name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem: a stable code, a severity, where it is and a message with the fix."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    network: str | None = None
    node: str | None = None
    kind: str | None = None
    port: str | None = None
    param: str | None = None

    def where(self) -> str:
        parts = []
        if self.network:
            parts.append(f"network '{self.network}'")
        if self.node:
            kind = f" ({self.kind})" if self.kind else ""
            parts.append(f"node '{self.node}'{kind}")
        if self.port:
            parts.append(f"port '{self.port}'")
        if self.param:
            parts.append(f"param '{self.param}'")
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return (
            f"{self.severity.value}[{self.code}] {where}: {self.message}"
            if where
            else (f"{self.severity.value}[{self.code}] {self.message}")
        )

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["severity"] = self.severity.value
        return record


@dataclass
class Report:
    """Every diagnostic found in one pass over a document."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    def __len__(self) -> int:
        return len(self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def for_node(self, node_id: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.node == node_id]

    def to_json(self) -> dict[str, Any]:
        return {"valid": self.valid, "diagnostics": [d.to_json() for d in self.diagnostics]}

    def __str__(self) -> str:
        if not self.diagnostics:
            return "valid: no problems found"
        lines = [str(d) for d in self.diagnostics]
        summary = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        return "\n".join([*lines, summary])

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2)
