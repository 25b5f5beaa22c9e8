"""Code export as a download: the project is written to a scratch folder and zipped."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from fastapi import Response

from graphgan.export import ExportOptions, TrainedRun, export_project
from graphgan.graph import Graph
from graphgan.training.runs import slug

ZIP_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {}}, "description": "The project as a zip file"}
}


def project_zip(graph: Graph, options: ExportOptions, run: TrainedRun | None = None) -> bytes:
    """The exported project's files in a zip, under one folder named after the graph."""
    folder = slug(graph.name)
    with tempfile.TemporaryDirectory(prefix="graphgan-export-") as scratch:
        out = Path(scratch) / folder
        result = export_project(graph, out, options, run)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in result.files:
                archive.write(out / name, f"{folder}/{name}")
    return buffer.getvalue()


def zip_response(content: bytes, name: str) -> Response:
    filename = f"{slug(name)}.zip"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type="application/zip", headers=headers)
