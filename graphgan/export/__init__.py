"""Export: a graph becomes a standalone PyTorch project that matches graphgan exactly."""

from graphgan.export.errors import ExportError, OutputFolderError
from graphgan.export.modelfile import render_models
from graphgan.export.project import ExportOptions, ExportResult, export_project
from graphgan.export.weights import TrainedRun, is_run_dir, open_run

__all__ = [
    "ExportError",
    "ExportOptions",
    "ExportResult",
    "OutputFolderError",
    "TrainedRun",
    "export_project",
    "is_run_dir",
    "open_run",
    "render_models",
]
