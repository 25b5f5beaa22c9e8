"""The graph document: pydantic models for networks, nodes, edges, blocks and variables.

The document is plain data. It imports no torch, so files can be read, checked and edited
anywhere, and every face of graphgan (CLI, server, editor) shares this one model.
"""

from __future__ import annotations

import keyword
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_serializer,
)

FORMAT_VERSION = 1

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
KIND = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_.]*$")

# A param is a literal, a list (kernel sizes, shapes) or an expression string starting with
# "=" that reads graph variables, e.g. "=latent_dim" or "=8 * base_width"; list items may be
# expressions too.
Scalar = bool | int | float | str | None
ParamValue = Scalar | list[int | float | str]
VariableValue = bool | int | float | str

Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER.pattern)]


class Strict(BaseModel):
    """Base for document models: unknown or misspelled fields are errors, never ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class EditorData(Strict):
    """Where a node sits in the editor; kept apart from what the node means."""

    x: float = 0.0
    y: float = 0.0
    label: str | None = None
    collapsed: bool = False


def _check_when(value: str | None) -> str | None:
    if value is not None and not value.startswith("="):
        raise ValueError(
            f"when {value!r} must be an expression starting with '=', "
            "e.g. \"=architecture == 'conv'\""
        )
    return value


class Node(Strict):
    """One use of a node kind: its id, its kind and its params by name.

    `when` makes a node optional: an expression over the variables, e.g. "=architecture ==
    'conv'". Where it is false the node and its wires are left out, so one document can hold
    alternative layers (an MLP and a convolutional body between the same inputs and outputs)
    and a preset chooses between them.
    """

    id: str
    kind: str
    params: dict[str, ParamValue] = Field(default_factory=dict)
    when: str | None = None
    editor: EditorData = Field(default_factory=EditorData)

    @field_validator("id")
    @classmethod
    def _id_is_identifier(cls, value: str) -> str:
        # Node ids become parameter names in compiled modules and variable names in exported
        # code, so they must be Python identifiers that are not keywords.
        if not IDENTIFIER.match(value) or keyword.iskeyword(value):
            raise ValueError(
                f"node id {value!r} must be a Python identifier that is not a keyword "
                "(letters, digits and '_', not starting with a digit), e.g. 'g_fc1'"
            )
        return value

    _when_is_expression = field_validator("when")(_check_when)

    @field_validator("kind")
    @classmethod
    def _kind_is_namespaced(cls, value: str) -> str:
        if not KIND.match(value):
            raise ValueError(f"kind {value!r} must be namespaced as 'pack.Name', e.g. 'nn.Conv2d'")
        return value


class Endpoint(Strict):
    """A port on a node, written "node.port" in files."""

    node: str
    port: str

    def __str__(self) -> str:
        return f"{self.node}.{self.port}"

    @model_serializer
    def _as_text(self) -> str:
        return str(self)


def _parse_endpoint(value: Any) -> Any:
    if isinstance(value, str):
        node, dot, port = value.partition(".")
        if not dot or not node or not port:
            raise ValueError(f"endpoint {value!r} must be written 'node.port', e.g. 'g_fc1.y'")
        return {"node": node, "port": port}
    return value


class Edge(Strict):
    """A wire from a node's output port to another node's input port."""

    source: Endpoint = Field(alias="from")
    target: Endpoint = Field(alias="to")
    # Where false the wire is left out, like a node's `when`: with a wire that skips a layer
    # and one through it, a variable makes the layer optional.
    when: str | None = None

    _split_source = field_validator("source", mode="before")(_parse_endpoint)
    _split_target = field_validator("target", mode="before")(_parse_endpoint)
    _when_is_expression = field_validator("when")(_check_when)

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"


class Network(Strict):
    """A generator, discriminator or auxiliary network: nodes wired port to port.

    Its inputs are its input nodes (noise, class label, image, text embedding, latent codes)
    and its outputs its `io.Output` nodes.
    """

    role: Literal["generator", "discriminator", "auxiliary"]
    description: str = ""
    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)


class BlockParam(Strict):
    """A param a block exposes; nodes inside the block read it like a variable."""

    default: VariableValue
    description: str = ""


class Block(Strict):
    """A reusable sub-graph, used by nodes of kind `block.<Name>`.

    Its ports are its `io.BlockInput` and `io.BlockOutput` nodes, named by their ids.
    """

    description: str = ""
    params: dict[Identifier, BlockParam] = Field(default_factory=dict)
    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)


class Variable(Strict):
    """A graph-level value that params reference, so one change rescales the whole graph."""

    value: VariableValue
    description: str = ""
    minimum: int | float | None = None
    maximum: int | float | None = None
    choices: list[VariableValue] | None = None  # the values allowed, e.g. ["mlp", "conv"]


class Graph(Strict):
    """The graph document: networks, the blocks and variables they share, and presets."""

    format_version: int = FORMAT_VERSION
    name: str
    description: str = ""
    info: dict[str, str] = Field(default_factory=dict)
    variables: dict[Identifier, Variable] = Field(default_factory=dict)
    presets: dict[str, dict[str, VariableValue]] = Field(default_factory=dict)
    blocks: dict[Identifier, Block] = Field(default_factory=dict)
    networks: dict[Identifier, Network] = Field(default_factory=dict)
    training: dict[str, Any] | None = None

    def variable_values(self) -> dict[str, VariableValue]:
        return {name: variable.value for name, variable in self.variables.items()}
