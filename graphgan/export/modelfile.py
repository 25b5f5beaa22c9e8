"""The exported `models.py`: every network of a graph, its blocks and copied layers."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from graphgan.export.networks import ClassCode, NetworkWriter
from graphgan.export.sources import Sources
from graphgan.export.templating import render
from graphgan.validation import Analysis


def network_classes(analysis: Analysis) -> tuple[list[ClassCode], Sources]:
    """The classes of every network (blocks first, where first used) and what they need.

    Rendered twice: the first pass finds which plugin definitions are copied in, the second
    keeps every local name clear of them.
    """
    reserved: set[str] = set()
    for _ in range(2):
        sources = Sources()
        writer = NetworkWriter(sources, reserved)
        for name, net in analysis.networks.items():
            writer.network(net, analysis.graph.networks[name].description)
        reserved = set(sources.copied)
    return writer.classes, sources


def render_models(analysis: Analysis, templates: Path | None = None) -> str:
    """models.py's source; `templates` is a folder of templates replacing the shipped ones."""
    classes, sources = network_classes(analysis)
    return render(
        "models.py.j2",
        templates,
        title=analysis.graph.name,
        version=graphgan_version(),
        imports=sources.imports(),
        definitions=list(sources.definitions()),
        classes=classes,
    )


def graphgan_version() -> str:
    try:
        return version("graphgan")
    except PackageNotFoundError:
        return "(development)"
