"""One error hierarchy for graphgan, each kind of problem with a stable kebab-case code."""

from __future__ import annotations

from graphgan.diagnostics import Diagnostic, Report


class GraphganError(Exception):
    """Base of every error graphgan raises on purpose."""

    code = "graphgan-error"


class DocumentError(GraphganError, ValueError):
    """A graph document that cannot be read, parsed or migrated."""

    code = "document-invalid"


class PluginError(GraphganError, RuntimeError):
    """A plugin pack that breaks the plugin contract (duplicate kinds, bad declarations)."""

    code = "plugin-invalid"


class UnknownNameError(GraphganError, KeyError):
    """A template, kind, recipe or dataset that no installed pack provides."""

    code = "name-unknown"

    def __str__(self) -> str:
        # KeyError quotes its message; an error meant for people should read as a sentence.
        return str(self.args[0]) if self.args else self.code


class GraphInvalidError(GraphganError, ValueError):
    """A graph that failed validation; carries the full report."""

    code = "graph-invalid"

    def __init__(self, report: Report | str) -> None:
        if isinstance(report, str):
            report = Report([Diagnostic(self.code, report)])
        self.report = report
        super().__init__(str(report))


class ShapeError(GraphganError, ValueError):
    """Raised by a shape rule when its inputs cannot work; names the port and the fix."""

    code = "shape-mismatch"

    def __init__(self, message: str, *, port: str | None = None, fix: str | None = None) -> None:
        self.port = port
        self.fix = fix
        super().__init__(message)


class ExpressionError(GraphganError, ValueError):
    """A param expression that does not parse or names an unknown variable."""

    code = "expression-invalid"
