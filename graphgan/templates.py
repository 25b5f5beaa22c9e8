"""Templates: the graph documents shipped with graphgan, found by name."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from graphgan.errors import UnknownNameError
from graphgan.graph import Graph, load
from graphgan.graph.files import read_json


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    path: Path
    title: str
    description: str
    presets: tuple[str, ...] = ()


def templates_dir() -> Path:
    """Where the shipped files live: installed package data, or the repository's templates/.

    `graphgan._templates` is a namespace package (the folder holds data, not code), so its
    location comes from its import spec rather than a `__file__`.
    """
    spec = find_spec("graphgan._templates")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "templates"


def graph_dir() -> Path:
    return templates_dir() / "graphs"


def template_names() -> list[str]:
    return sorted(path.stem for path in graph_dir().glob("*.json"))


def template_path(name: str) -> Path:
    path = graph_dir() / f"{name}.json"
    if not path.is_file():
        known = ", ".join(template_names()) or "none"
        raise UnknownNameError(f"no template named '{name}' (shipped templates: {known})")
    return path


def list_templates() -> list[TemplateInfo]:
    infos = []
    for name in template_names():
        data = read_json(template_path(name))
        presets = tuple(data.get("presets", {}))
        info = TemplateInfo(name, template_path(name), data["name"], data["description"], presets)
        infos.append(info)
    return infos


def resolve_document(name_or_path: str | Path) -> Path:
    """A document path: an existing file, or the file of the shipped template of that name."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    if path.suffix == "" and path.parent == Path("."):
        return template_path(str(name_or_path))
    raise UnknownNameError(f"no such file: {path}")


def open_document(name_or_path: str | Path) -> Graph:
    return load(resolve_document(name_or_path))
