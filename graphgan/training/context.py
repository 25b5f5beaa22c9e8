"""The tensors of one training step, resolved from the document's input sources.

A StepContext computes each network at most once per step and caches every node's tensor, so
the discriminator's update and the generator's update share one generator forward pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import Tensor, nn

from graphgan.errors import GraphganError
from graphgan.graph.training import DATA, SAMPLE
from graphgan.validation import NetworkInfo, NodeInfo


class SourceError(GraphganError, KeyError):
    """A source that names data or a node the step does not have."""

    code = "source-invalid"

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class Networks:
    """The compiled networks of a graph with what analysis learned about them."""

    modules: dict[str, nn.Module]
    infos: dict[str, NetworkInfo]
    inputs: Mapping[str, str]  # generator-side input node -> source
    owner: dict[str, str] = field(default_factory=dict)  # node id -> network
    # What forward passes call: `torch.compile`d wrappers where the run asked for them. The
    # plain modules stay the owners of the weights (checkpoints, optimisers, train/eval).
    runners: dict[str, Callable[..., Any]] = field(default_factory=dict)
    # bf16 autocast on this device type ("cuda", "cpu"), or None for full fp32.
    autocast: str | None = None

    def __post_init__(self) -> None:
        self.owner = {node: name for name, info in self.infos.items() for node in info.nodes}
        self.runners = {**self.modules, **self.runners}

    def node(self, node_id: str) -> NodeInfo:
        return self.infos[self.owner[node_id]].nodes[node_id]

    def call(self, network: str, inputs: Mapping[str, Tensor]) -> dict[str, Tensor]:
        """Run a network on tensors given by input node id; outputs by output node id."""
        info = self.infos[network]
        args = [inputs[node.id] for node in info.input_nodes]
        if self.autocast is None:
            result = self.runners[network](*args)
        else:
            with torch.autocast(self.autocast, dtype=torch.bfloat16):
                result = self.runners[network](*args)
        if not isinstance(result, dict):
            result = {info.output_nodes[0].id: result}
        if self.autocast is not None:
            # Losses, penalties and sample grids are computed in fp32 whatever ran inside.
            result = {k: v.float() if v.is_floating_point() else v for k, v in result.items()}
        return result


def sample_input(
    node: NodeInfo,
    batch: int,
    device: torch.device,
    generator: torch.Generator | None = None,
) -> Tensor:
    """Draw an input the trainer fills by itself: noise, a latent code or class labels.

    With a `generator` the draw happens on the CPU (fixed sample inputs must not depend on
    the device) and moves to `device` afterwards.
    """
    params: Any = node.params
    where = torch.device("cpu") if generator is not None else device
    if node.kind == "io.ClassLabel":
        drawn = torch.randint(0, params.n_classes, (batch,), device=where, generator=generator)
    elif params.distribution == "categorical":
        index = torch.randint(0, params.dim, (batch,), device=where, generator=generator)
        drawn = F.one_hot(index, params.dim).float()
    elif params.distribution == "normal":
        drawn = torch.randn(batch, params.dim, device=where, generator=generator)
    elif params.distribution == "uniform":
        drawn = torch.rand(batch, params.dim, device=where, generator=generator) * 2 - 1
    elif params.distribution == "unit_uniform":
        drawn = torch.rand(batch, params.dim, device=where, generator=generator)
    else:
        raise SourceError(f"input '{node.id}' ({node.kind}) cannot be sampled")
    return drawn.to(device)


class StepContext:
    """Resolves sources to tensors for one step, computing each network once."""

    def __init__(
        self,
        networks: Networks,
        batch: Mapping[str, Any],
        device: torch.device,
        frozen: set[str],
        batch_size: int | None = None,
    ) -> None:
        self.networks = networks
        self.batch = batch
        self.device = device
        self.frozen = frozen
        self.batch_size = batch_size if batch_size is not None else _batch_size(batch)
        self.values: dict[str, Tensor] = {}
        self.passes: dict[str, Tensor] = {}  # discriminator outputs of the current update

    def value(self, ref: str) -> Tensor:
        """A source string or a node id, as a tensor."""
        if ref in self.passes:
            return self.passes[ref]
        if ref.startswith(DATA):
            return self.data(ref)
        if ref not in self.values:
            self._compute(ref)
        return self.values[ref]

    def data(self, source: str) -> Tensor:
        field_name, _, modifier = source.removeprefix(DATA).partition(":")
        if field_name not in self.batch:
            fields = ", ".join(sorted(self.batch)) or "none"
            raise SourceError(f"source '{source}': the data has no field '{field_name}' ({fields})")
        tensor = self.batch[field_name]
        if not isinstance(tensor, Tensor):
            raise SourceError(f"source '{source}': field '{field_name}' is not a tensor")
        if modifier == "rolled":
            return tensor.roll(1, dims=0)  # pair each item with its neighbour's field
        factor = modifier.removeprefix("down")
        if (
            modifier.startswith("down")
            and factor.isdigit()
            and int(factor) > 0
            and tensor.dim() == 4
        ):
            # Area averaging: a stacked GAN's early stage sees the real images at its size.
            return F.avg_pool2d(tensor, int(factor))  # (N, C, H, W) -> (N, C, H/k, W/k)
        if modifier:
            raise SourceError(
                f"source '{source}': unknown modifier '{modifier}'; use 'rolled', or 'downK' "
                "(K a whole factor) on images"
            )
        return tensor

    def resolve(self, node_id: str, source: str) -> Tensor:
        """The tensor for one input node given its source."""
        if source == SAMPLE:
            if node_id not in self.values:
                node = self.networks.node(node_id)
                self.values[node_id] = sample_input(node, self.batch_size, self.device)
            return self.values[node_id]
        return self.value(source)

    def _compute(self, node_id: str) -> None:
        network = self.networks.owner.get(node_id)
        if network is None:
            raise SourceError(f"no node '{node_id}' in the graph")
        node = self.networks.node(node_id)
        if node.role == "input":
            source = self.networks.inputs.get(node_id)
            if source is None:
                raise SourceError(f"training.inputs gives no source for '{node_id}'")
            self.values[node_id] = self.resolve(node_id, source)
            return
        self.run(network)

    def run(self, network: str) -> None:
        """Run a generator-side network on its declared sources and cache every output."""
        info = self.networks.infos[network]
        inputs = {node.id: self.value(node.id) for node in info.input_nodes}
        with self.no_grad_if(network in self.frozen):
            self.values.update(self.networks.call(network, inputs))

    @contextmanager
    def no_grad_if(self, condition: bool) -> Iterator[None]:
        if condition:
            with torch.no_grad():
                yield
        else:
            yield

    def discriminate(
        self, network: str, sources: Mapping[str, str], detach: bool
    ) -> dict[str, Tensor]:
        """One discriminator pass; `detach` cuts gradients into everything it reads."""
        inputs = {}
        for node, source in sources.items():
            tensor = self.resolve(node, source)
            inputs[node] = tensor.detach() if detach else tensor
        return self.networks.call(network, inputs)


def _batch_size(batch: Mapping[str, Any]) -> int:
    for value in batch.values():
        if isinstance(value, Tensor) and value.dim() > 0:
            return int(value.shape[0])
        if isinstance(value, list):
            return len(value)
    raise SourceError("the data batch holds no tensors")
