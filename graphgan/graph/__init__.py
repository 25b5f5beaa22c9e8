"""The graph document: models, reading and writing, variables and expressions."""

from graphgan.graph.document import (
    FORMAT_VERSION,
    Block,
    BlockParam,
    Edge,
    EditorData,
    Endpoint,
    Graph,
    Network,
    Node,
    ParamValue,
    Variable,
)
from graphgan.graph.files import dumps, load, loads, save, to_data

__all__ = [
    "FORMAT_VERSION",
    "Block",
    "BlockParam",
    "Edge",
    "EditorData",
    "Endpoint",
    "Graph",
    "Network",
    "Node",
    "ParamValue",
    "Variable",
    "dumps",
    "load",
    "loads",
    "save",
    "to_data",
]
