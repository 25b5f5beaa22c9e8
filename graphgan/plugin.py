"""The stable contract a plugin pack is written against.

A node kind is declared once, as a `NodeSpec`: its ports, its params model, its shape rule and
its builder. The builder returns a `Module` or `Function` description rather than a live
object, so the compiler instantiates exactly what code export writes out: they cannot drift.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from graphgan.errors import ShapeError
from graphgan.tensors import BATCH, Dim, TensorKind, TensorSpec, flat, labels, spatial, tokens

__all__ = [
    "BATCH",
    "DataOptions",
    "DatasetSpec",
    "Function",
    "Input",
    "LossTerm",
    "Module",
    "NodeSpec",
    "Pack",
    "Params",
    "Port",
    "Recipe",
    "ShapeError",
    "TensorKind",
    "TensorSpec",
    "TermInputs",
    "conv_output_size",
    "declared_size",
    "expect_rank",
    "flat",
    "labels",
    "require_float",
    "spatial",
    "tokens",
]

Inputs = Mapping[str, TensorSpec]
Outputs = dict[str, TensorSpec]


class Params(BaseModel):
    """Base for a kind's params model: typed fields with defaults, ranges and descriptions.

    The editor's inspector and the server's JSON schema are generated from it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


P = TypeVar("P", bound=Params)


@dataclass(frozen=True)
class Port:
    """A named, typed connection point on a node."""

    name: str
    kind: TensorKind
    description: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Input:
    """Stands in a `Function`'s arguments for the tensor arriving at one input port."""

    port: str


@dataclass(frozen=True)
class Module:
    """A module to construct: `target` is an import path, arguments are plain values.

    Arguments may nest further `Module`s (a layer wrapped in spectral normalisation).
    """

    target: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def instantiate(self) -> Any:
        args = [a.instantiate() if isinstance(a, Module) else a for a in self.args]
        kwargs = {
            k: v.instantiate() if isinstance(v, Module) else v for k, v in self.kwargs.items()
        }
        return resolve_target(self.target)(*args, **kwargs)


@dataclass(frozen=True)
class Function:
    """A parameter-free operation: a function applied to the node's inputs (`Input`)."""

    target: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def function(self) -> Callable[..., Any]:
        return resolve_target(self.target)


Built = Module | Function | None


@cache
def resolve_target(path: str) -> Any:
    """Import `package.module.Name` (or `torch.nn.functional.relu`) and return the object."""
    module_path, _, name = path.rpartition(".")
    parts = name
    while module_path:
        try:
            value: Any = importlib.import_module(module_path)
        except ImportError:
            module_path, _, outer = module_path.rpartition(".")
            parts = f"{outer}.{parts}"
            continue
        for attribute in parts.split("."):
            value = getattr(value, attribute)
        return value
    raise ImportError(f"cannot import {path!r}")


class NodeSpec(ABC, Generic[P]):
    """One node kind. Subclass it, set the class attributes and implement `infer` and `build`.

    - `infer(params, inputs)` maps input TensorSpecs to output TensorSpecs, raising
      `ShapeError` (naming the port and the fix) when the inputs cannot work.
    - `build(params, inputs)` returns the `Module` or `Function` that runs the node.
    - `macs(params, inputs, outputs)` counts multiply-accumulates per sample (0 by default).
    """

    kind: ClassVar[str]
    category: ClassVar[str]
    description: ClassVar[str]
    params: ClassVar[type[Params]] = Params
    inputs: ClassVar[tuple[Port, ...]] = ()
    outputs: ClassVar[tuple[Port, ...]] = ()
    role: ClassVar[Literal["layer", "input", "output"]] = "layer"
    # Params shown on the node in the editor, besides its kind and parameter count.
    key_params: ClassVar[tuple[str, ...]] = ()

    def input_ports(self, params: P) -> tuple[Port, ...]:
        """Input ports; override when their number depends on params (concatenation)."""
        return self.inputs

    def output_ports(self, params: P) -> tuple[Port, ...]:
        return self.outputs

    @abstractmethod
    def infer(self, params: P, inputs: Inputs) -> Outputs:
        """Output TensorSpecs for these params and input TensorSpecs."""

    @abstractmethod
    def build(self, params: P, inputs: Inputs) -> Built:
        """What runs this node: a `Module` to construct or a `Function` to call."""

    def macs(self, params: P, inputs: Inputs, outputs: Outputs) -> int:
        return 0

    def __repr__(self) -> str:
        return f"<NodeSpec {self.kind}>"


@dataclass(frozen=True)
class DataOptions:
    """How a dataset should prepare its items for one run.

    Images come as float tensors (C, H, W) scaled to `value_range`, the generator's output range.
    """

    root: Path | None = None
    image_size: int | None = None
    channels: int | None = None
    value_range: tuple[float, float] = (-1.0, 1.0)
    flip: bool = False
    split: Literal["train", "test"] = "train"
    seed: int = 0
    # Dataset-specific settings (a crop size, a scale factor), checked by the dataset itself.
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DatasetSpec:
    """A named dataset: embedded data that ships with a package, or a loader for a folder layout.

    `load(options)` returns a map-style `torch.utils.data.Dataset` whose items are dicts with
    some of the fields: "image" and "condition" (float, C x H x W), "label" (int64 scalar),
    "label_map" (int64, H x W), "tokens" (int64, L), "caption" (str), "attributes" (int64, K).
    """

    name: str
    description: str
    fields: tuple[str, ...]
    load: Callable[[DataOptions], Any]
    needs_root: bool = False


class TermInputs(Protocol):
    """What a loss term can read in one training step."""

    @property
    def device(self) -> Any:
        """The run's `torch.device`."""

    def value(self, ref: str) -> Any:
        """The tensor at a node id (`"g_image"`) or a data source (`"data:image"`)."""


@dataclass(frozen=True)
class LossTerm:
    """A weighted loss term a document's training section can name, `pack.name`.

    `compute(inputs, args)` returns a scalar tensor; `args` are the term's arguments from the
    document (typically node ids to read through `inputs.value`). Raise `ValueError` naming
    a missing or wrong argument; the recipe multiplies the result by the declared weight.
    """

    name: str
    description: str
    compute: Callable[[TermInputs, Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Recipe:
    """A training step a phase can name (`"recipe": "pack.name"`) instead of the built-in
    `adversarial` step, for an algorithm the declarative training section cannot express.

    `step(phase, networks, optimisation, batch, device, step)` runs one step (`step` counts the
    run's steps from 0, so a schedule survives a resume) and returns its metrics by name.
    Its arguments are the trainer's own objects, so unlike node kinds a recipe is written
    against `graphgan.training` too: `graphgan.training.recipe.train_step` is the built-in
    step to build on, `graphgan.training.context.StepContext` resolves the document's sources,
    and `phase.recipe_args` holds the phase's settings for the recipe.
    """

    name: str
    description: str
    step: Callable[..., Mapping[str, float]]


@dataclass(frozen=True)
class Pack:
    """A plugin pack: what one installed package adds to graphgan.

    Third-party packs expose one through the entry-point group `graphgan.plugins`.
    """

    name: str
    nodes: tuple[NodeSpec[Any], ...] = ()
    datasets: tuple[DatasetSpec, ...] = ()
    loss_terms: tuple[LossTerm, ...] = ()
    recipes: tuple[Recipe, ...] = ()
    description: str = ""


# Shape helpers for plugin authors.


def expect_rank(spec: TensorSpec, rank: int, port: str, what: str) -> None:
    """Raise a ShapeError unless `spec` has `rank` dimensions (batch included)."""
    if spec.rank != rank:
        raise ShapeError(
            f"expected {what} of {rank} dimensions, got {spec.rank}: {spec}", port=port
        )


def declared_size(declared: int | None, found: int, param: str, what: str, port: str = "x") -> int:
    """The size arriving at `port`, after checking it against an optional declared param.

    Sizes such as `in_features` are inferred, but a user may pin one to catch a wiring
    mistake early; a pinned value that disagrees with the input names the fix.
    """
    if declared is not None and declared != found:
        raise ShapeError(
            f"expected {declared} {what}, got {found}",
            port=port,
            fix=f"set {param}={found} or leave it unset to infer it",
        )
    return found


def require_float(spec: TensorSpec, port: str) -> None:
    """Refuse integer class labels where a layer needs real-valued features."""
    if not spec.dtype.startswith("float"):
        raise ShapeError(
            f"expected real-valued features, got {spec.dtype} class labels {spec}",
            port=port,
            fix="turn labels into vectors first with gan.OneHot or gan.LabelEmbedding",
        )


def conv_output_size(size: Dim, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    """Spatial output size of a convolution (PyTorch's formula)."""
    return (int(size) + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
