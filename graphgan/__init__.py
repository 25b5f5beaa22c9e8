"""graphgan: build GANs as node graphs, check every shape, compile to PyTorch.

The obvious calls live here: `load` a document, `analyse` or `validate` it, and
`compile_network` each network to a `torch.nn.Module`. torch is imported only when compiling,
so reading and checking documents stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphgan.graph import Graph, dumps, load, loads, save
from graphgan.templates import open_document
from graphgan.validation import Analysis, analyse, validate

if TYPE_CHECKING:
    from graphgan.compiler import compile_graph, compile_network

__all__ = [
    "Analysis",
    "Graph",
    "analyse",
    "compile_graph",
    "compile_network",
    "dumps",
    "load",
    "loads",
    "open_document",
    "save",
    "validate",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("compile_network", "compile_graph"):
        from graphgan import compiler

        return getattr(compiler, name)
    raise AttributeError(f"module 'graphgan' has no attribute {name!r}")
