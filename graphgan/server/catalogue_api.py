"""The node catalogue and the shipped templates: what a client can build with."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter

from graphgan.catalogue import catalogue
from graphgan.graph.files import read_json
from graphgan.registry import default_registry
from graphgan.runs import check_name
from graphgan.server.models import NodeKindModel, TemplateDocument, TemplateModel
from graphgan.templates import list_templates, template_path

router = APIRouter(tags=["catalogue"])


@cache
def _nodes() -> list[NodeKindModel]:
    return [NodeKindModel.model_validate(kind) for kind in catalogue(default_registry())]


@router.get("/nodes", response_model=list[NodeKindModel], summary="The node catalogue")
def nodes() -> Any:
    """Every installed node kind, with its ports and the JSON schema of its params."""
    return _nodes()


@router.get("/templates", response_model=list[TemplateModel], summary="The shipped templates")
def templates() -> Any:
    return [
        TemplateModel(name=t.name, title=t.title, description=t.description)
        for t in list_templates()
    ]


@router.get("/templates/{name}", response_model=TemplateDocument, summary="One template")
def template(name: str) -> Any:
    path = template_path(check_name(name))
    data = read_json(path)
    return TemplateDocument(
        name=name, title=data["name"], description=data["description"], document=data
    )
