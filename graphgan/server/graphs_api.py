"""Graph files in the workspace: list, read, create, update (version-checked) and delete."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from graphgan.errors import DocumentError
from graphgan.graph.files import graph_from_data, parse_json
from graphgan.server.context import ServerContext, server_context
from graphgan.server.graph_files import GraphFile
from graphgan.server.models import GraphCreate, GraphDocument, GraphInfo, GraphUpdate

router = APIRouter(prefix="/graphs", tags=["graphs"])
Context = Annotated[ServerContext, Depends(server_context)]


def _info(file: GraphFile) -> GraphInfo:
    return GraphInfo(
        name=file.name, version=file.version, title=_title(file.text), updated=file.updated
    )


def _title(text: str) -> str:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return ""
    return str(data.get("name", "")) if isinstance(data, dict) else ""


@router.get("", response_model=list[GraphInfo], summary="The workspace's graphs")
def list_graphs(context: Context) -> Any:
    return [_info(context.graphs.read(name)) for name in context.graphs.names()]


@router.post("", response_model=GraphInfo, status_code=201, summary="Save a new graph")
def create_graph(body: GraphCreate, context: Context) -> Any:
    """Refused with 409 if the name is taken, 422 if the document is not a graph."""
    return _info(context.graphs.create(body.name, graph_from_data(body.document)))


@router.get("/{name}", response_model=GraphDocument, summary="Read a graph")
def read_graph(name: str, context: Context) -> Any:
    file = context.graphs.read(name)
    document = parse_json(file.text, f"graph '{name}'")
    if not isinstance(document, dict):
        raise DocumentError(f"graph file '{name}' holds no JSON object; replace it")
    return GraphDocument(**_info(file).model_dump(), document=document)


@router.put("/{name}", response_model=GraphInfo, summary="Replace a graph")
def update_graph(name: str, body: GraphUpdate, context: Context) -> Any:
    """Refused with 409 unless `version` is the current one: nobody's change is lost."""
    return _info(context.graphs.update(name, body.version, graph_from_data(body.document)))


@router.delete("/{name}", status_code=204, response_class=Response, summary="Delete a graph")
def delete_graph(
    name: str,
    context: Context,
    version: Annotated[str | None, Query(description="Delete only this version.")] = None,
) -> Response:
    context.graphs.delete(name, version)
    return Response(status_code=204)
