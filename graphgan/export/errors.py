"""The problems code export reports, each with a stable code."""

from __future__ import annotations

from graphgan.errors import GraphganError


class ExportError(GraphganError, ValueError):
    """A graph, dataset or run that cannot be written out as a standalone project."""

    code = "export-failed"


class OutputFolderError(GraphganError, FileExistsError):
    """An output folder that holds files already and was not allowed to be replaced."""

    code = "export-folder-not-empty"
