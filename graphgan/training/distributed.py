"""Training on several processes under torchrun: one process group, averaged gradients.

Each process computes its share of the batch and the gradients are averaged before every
optimiser step, which is what DistributedDataParallel does. The DDP wrapper itself is not
used: a GAN step calls the discriminator several times (real, fake and mismatched passes,
then again through the generator's update) before one backward pass, a pattern the wrapper's
per-forward bookkeeping does not support. Rank 0 alone writes files and logs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

import torch
import torch.distributed as dist
from torch import nn

log = logging.getLogger(__name__)


def world_size() -> int:
    return int(os.environ.get("WORLD_SIZE", "1"))


def local_rank() -> int:
    return int(os.environ.get("LOCAL_RANK", "0"))


def setup() -> tuple[int, int]:
    """Join the process group torchrun describes; (rank, world size), (0, 1) without one."""
    world = world_size()
    if world <= 1:
        return 0, 1
    if not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        if torch.cuda.is_available():
            torch.cuda.set_device(local_rank())
        dist.init_process_group(backend=backend)
        log.info("joined a process group of %d (%s)", world, backend)
    return dist.get_rank(), dist.get_world_size()


def active() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def broadcast_parameters(module: nn.Module) -> None:
    """Start every process from rank 0's weights and buffers."""
    if not active():
        return
    for tensor in [*module.parameters(), *module.buffers()]:
        dist.broadcast(tensor.data, src=0)


def average_gradients(params: Iterable[nn.Parameter]) -> None:
    """Average gradients across processes, so every process takes the same step."""
    if not active():
        return
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return
    flat = torch.cat([g.reshape(-1) for g in grads])  # one all-reduce instead of one per tensor
    dist.all_reduce(flat)
    flat /= dist.get_world_size()
    offset = 0
    for grad in grads:
        grad.copy_(flat[offset : offset + grad.numel()].view_as(grad))
        offset += grad.numel()


def broadcast_buffers(modules: Iterable[nn.Module]) -> None:
    """Give every process rank 0's buffers (batch-norm running statistics), as DDP does.

    Each process normalises with the statistics of its own share of the batch, so without
    this the running averages, which evaluation mode and samples use, would drift apart.
    """
    if not active():
        return
    for module in modules:
        for buffer in module.buffers():
            dist.broadcast(buffer.data, src=0)


def any_rank(flag: bool) -> bool:
    """Whether `flag` holds on any process, so that all of them stop at the same step."""
    if not active():
        return flag
    value = torch.tensor([1.0 if flag else 0.0])
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(value.item())


def teardown() -> None:
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def check_in_sync(modules: Iterable[nn.Module]) -> None:
    """Raise unless every process holds the same weights (averaged steps keep them equal)."""
    if not active():
        return
    tensors = [
        t.detach().double()
        for m in modules
        for t in m.state_dict().values()
        if t.is_floating_point()
    ]
    local = torch.stack([torch.stack([t.sum(), t.square().sum()]) for t in tensors])
    gathered = [torch.empty_like(local) for _ in range(dist.get_world_size())]
    dist.all_gather(gathered, local)
    if any(not torch.equal(gathered[0], other) for other in gathered[1:]):
        raise RuntimeError("the processes' weights diverged; gradient averaging failed")
    log.info("weights identical across %d processes", dist.get_world_size())
