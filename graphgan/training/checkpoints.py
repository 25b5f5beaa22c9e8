"""Checkpoints: weights and optimizer tensors in safetensors, the rest in JSON.

Nothing is pickled, so loading a checkpoint never runs code from the file. Each is
written into a hidden staging folder and renamed into place before `latest.json`
moves to it, so a crash at any moment leaves the previous or the new one whole.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import shutil
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict, ValidationError
from safetensors import SafetensorError
from safetensors.torch import load_file
from safetensors.torch import save as safetensors_bytes
from torch import Tensor, nn

from graphgan.errors import GraphganError
from graphgan.training.files import fsync_dir, write_json_atomic
from graphgan.training.statejson import cpu_copy, decode, encode

log = logging.getLogger(__name__)

FORMAT = 1
WEIGHTS = "weights.safetensors"
OPTIMIZERS = "optimizers.safetensors"
STATE = "state.json"
LATEST = "latest.json"
_FILES = (WEIGHTS, OPTIMIZERS, STATE)
_FOLDER = re.compile(r"step-(\d{8,})")
# Hidden names of folders being written, replaced or deleted; a crash leaves them.
_LEFTOVER = re.compile(r"\.(step-\d{8,})\.\d+\.(partial|replaced|deleting)")


class CheckpointError(GraphganError, ValueError):
    """A checkpoint that is missing, incomplete, unreadable or unfit for the run."""

    code = "checkpoint-invalid"


@dataclass(frozen=True)
class Checkpoint:
    """All one checkpoint holds, in the form `load_state_dict` methods take."""

    step: int
    path: Path
    weights: dict[str, dict[str, torch.Tensor]]
    optimizers: dict[str, dict[str, Any]]
    schedulers: dict[str, dict[str, Any]]
    extra: dict[str, Any]
    rng: dict[str, Any]


class _Latest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step: int
    path: str


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: int
    step: int
    modules: dict[str, Any]
    optimizers: dict[str, Any]
    schedulers: dict[str, Any]
    extra: Any
    rng: Any


# Random state -----------------------------------------------------------------


def capture_rng() -> dict[str, Any]:
    """The state of torch's CPU and CUDA generators, numpy's and `random`'s."""
    state: dict[str, Any] = {
        "torch": torch.get_rng_state(),
        "numpy": np.random.get_state(legacy=False),
        "python": random.getstate(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: Mapping[str, Any]) -> None:
    """Put back what `capture_rng` returned: the next draws repeat those after it."""
    missing = [key for key in ("torch", "numpy", "python") if key not in state]
    if missing:
        lacking = ", ".join(missing)
        raise CheckpointError(f"random state lacks {lacking}; it was not captured")
    torch.set_rng_state(state["torch"])
    np.random.set_state(state["numpy"])
    random.setstate(state["python"])

    cuda = state.get("cuda")
    if cuda is None:
        return
    if not torch.cuda.is_available():
        log.warning("no CUDA here to restore CUDA random state; draws will differ")
        return
    count = torch.cuda.device_count()
    if len(cuda) != count:
        saved = len(cuda)
        log.warning("CUDA random state of %s devices put on %s; draws may differ", saved, count)
    for index, device_state in enumerate(cuda[:count]):
        torch.cuda.set_rng_state(device_state, index)


# Saving -----------------------------------------------------------------------


def save_checkpoint(
    run_dir: Path,
    step: int,
    modules: Mapping[str, nn.Module],
    optimizers: Mapping[str, torch.optim.Optimizer],
    schedulers: Mapping[str, Any],
    extra: Mapping[str, Any],
    *,
    keep: int | None = 3,
) -> Path:
    """Write `run_dir/checkpoints/step-NNNNNNNN/` and point `latest.json` at it.

    The newest `keep` checkpoints (by step) stay, older ones go; None keeps all.
    Values in `extra` must be JSON data, tuples or tensors. Returns the folder.
    """
    if keep is not None and keep < 1:
        raise CheckpointError(f"keep={keep} would delete the new checkpoint; use 1+")
    if step < 0:
        raise CheckpointError(f"step {step} is negative; steps count from 0")
    root = Path(run_dir) / "checkpoints"
    root.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(root)
    name = f"step-{step:08d}"

    # Gather first, so an unsaveable value fails before anything touches the disk.
    weights, tensors, state = _gather(step, modules, optimizers, schedulers, extra)
    metadata = {"format": str(FORMAT), "step": str(step)}

    # Write into a hidden staging folder, then publish it under its real name.
    staging = root / f".{name}.{os.getpid()}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    _write_synced(staging / WEIGHTS, safetensors_bytes(weights, metadata))
    _write_synced(staging / OPTIMIZERS, safetensors_bytes(tensors, metadata))
    _write_synced(staging / STATE, json.dumps(state, allow_nan=False).encode())
    fsync_dir(staging)
    folder = _publish(staging, root / name)
    write_json_atomic(root / LATEST, {"step": step, "path": name})
    log.info("checkpoint written: %s", folder)

    if keep is not None:
        _prune(root, keep, protect=name)
    return folder


def _gather(
    step: int,
    modules: Mapping[str, nn.Module],
    optimizers: Mapping[str, torch.optim.Optimizer],
    schedulers: Mapping[str, Any],
    extra: Mapping[str, Any],
) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor], dict[str, Any]]:
    """Module weights, optimizer tensors, and the JSON state that refers to them."""
    weights: dict[str, torch.Tensor] = {}
    tensors: dict[str, torch.Tensor] = {}
    try:
        state = {
            "format": FORMAT,
            "step": step,
            "modules": {n: _module_state(n, m, weights) for n, m in modules.items()},
            "optimizers": {n: encode(o.state_dict(), n, tensors) for n, o in optimizers.items()},
            "schedulers": {
                n: encode(s.state_dict(), f"schedulers/{n}") for n, s in schedulers.items()
            },
            "extra": encode(dict(extra), "extra"),
            "rng": encode(capture_rng(), "rng"),
        }
    except TypeError as error:
        raise CheckpointError(
            f"cannot save checkpoint step {step}: {error}; "
            "keep numbers, strings, lists, dicts and tensors there"
        ) from None
    return weights, tensors, state


def _module_state(name: str, module: nn.Module, weights: dict[str, Tensor]) -> Any:
    """Put the module's tensors in `weights` as `<name>.<key>`; return key order etc."""
    state = module.state_dict()
    for key, tensor in state.items():
        weights[f"{name}.{key}"] = cpu_copy(tensor)
    # load_state_dict reads module versions from here (BatchNorm upgrades old files).
    metadata = getattr(state, "_metadata", None)
    return {"keys": list(state), "metadata": encode(metadata, f"modules/{name}")}


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _publish(staging: Path, folder: Path) -> Path:
    """Rename `staging` to `folder`; one already there is moved aside, then removed."""
    aside = folder.with_name(f".{folder.name}.{os.getpid()}.replaced")
    if folder.exists():
        os.replace(folder, aside)
    os.replace(staging, folder)
    fsync_dir(folder.parent)
    shutil.rmtree(aside, ignore_errors=True)
    return folder


def _clear_leftovers(root: Path) -> None:
    """Remove what a crashed save left, restoring a folder caught mid-replacement."""
    for path in sorted(root.iterdir()):
        match = _LEFTOVER.fullmatch(path.name)
        if match is None or not path.is_dir():
            continue
        folder = root / match.group(1)
        if match.group(2) == "replaced" and not folder.exists():
            os.replace(path, folder)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _prune(root: Path, keep: int, protect: str) -> None:
    folders = sorted(_step_folders(root), key=lambda item: item[0], reverse=True)
    for _, folder in folders[keep:]:
        if folder.name == protect:
            continue
        # Renamed first: a crash mid-delete leaves no half folder under a real name.
        doomed = folder.with_name(f".{folder.name}.{os.getpid()}.deleting")
        os.replace(folder, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
        log.debug("checkpoint removed: %s", folder)


def _step_folders(root: Path) -> list[tuple[int, Path]]:
    found = []
    for path in root.iterdir():
        match = _FOLDER.fullmatch(path.name)
        if match is not None and path.is_dir():
            found.append((int(match.group(1)), path))
    return found


# Loading ----------------------------------------------------------------------


def load_checkpoint(path_or_run_dir: Path) -> Checkpoint:
    """Read a checkpoint folder, or the one a run's `latest.json` points at."""
    folder = _resolve(Path(path_or_run_dir))
    missing = [name for name in _FILES if not (folder / name).is_file()]
    if missing:
        raise CheckpointError(
            f"checkpoint {folder} is incomplete: {', '.join(missing)} missing; "
            "resume from another checkpoint or start a new run"
        )
    state = _read_state(folder / STATE)
    weights = _load_tensors(folder / WEIGHTS)
    tensors = _load_tensors(folder / OPTIMIZERS)

    try:
        return Checkpoint(
            step=state.step,
            path=folder,
            weights=_split_weights(weights, state.modules),
            optimizers={n: decode(s, tensors) for n, s in state.optimizers.items()},
            schedulers={n: decode(s, {}) for n, s in state.schedulers.items()},
            extra=decode(state.extra, {}),
            rng=decode(state.rng, {}),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"checkpoint {folder} is damaged: {error}") from None


def _resolve(path: Path) -> Path:
    """The checkpoint folder `path` names: itself, or latest.json's target in it."""
    if _FOLDER.fullmatch(path.name) or (path / STATE).exists():
        return path
    for latest in (path / "checkpoints" / LATEST, path / LATEST):
        if latest.is_file():
            return _follow(latest)
    if not path.exists():
        raise CheckpointError(f"no checkpoint at {path}: it does not exist")
    raise CheckpointError(
        f"no checkpoint in {path}: no checkpoints/{LATEST}; "
        "pass a run folder that saved one or a step-NNNNNNNN folder"
    )


def _follow(latest: Path) -> Path:
    try:
        pointer = _Latest.model_validate_json(latest.read_bytes())
    except (OSError, ValidationError) as error:
        raise _unreadable(latest, error) from None
    if not _FOLDER.fullmatch(pointer.path):
        raise CheckpointError(f"{latest} points outside its folder: {pointer.path!r}")
    folder = latest.parent / pointer.path
    if not folder.exists():
        # A crash while re-saving this step leaves the old copy under a hidden name.
        aside = sorted(latest.parent.glob(f".{pointer.path}.*.replaced"))
        return aside[0] if aside else folder
    return folder


def _read_state(path: Path) -> _State:
    try:
        state = _State.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as error:
        raise _unreadable(path, error) from None
    if state.format != FORMAT:
        raise CheckpointError(
            f"{path} has checkpoint format {state.format}; this graphgan reads {FORMAT}"
        )
    return state


def _load_tensors(path: Path) -> dict[str, torch.Tensor]:
    try:
        return load_file(path)
    except (OSError, SafetensorError) as error:
        raise _unreadable(path, error) from None


def _unreadable(path: Path, error: Exception) -> CheckpointError:
    return CheckpointError(f"{path} is unreadable: {_first_line(error)}")


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _split_weights(
    flat: dict[str, torch.Tensor], modules: dict[str, Any]
) -> dict[str, dict[str, torch.Tensor]]:
    weights: dict[str, dict[str, torch.Tensor]] = {}
    for name, info in modules.items():
        state: OrderedDict[str, torch.Tensor] = OrderedDict()
        for key in info["keys"]:
            if f"{name}.{key}" not in flat:
                raise KeyError(f"{WEIGHTS} lacks '{name}.{key}'")
            state[key] = flat[f"{name}.{key}"]
        metadata = decode(info["metadata"], {})
        if metadata is not None:
            setattr(state, "_metadata", metadata)  # noqa: B010
        weights[name] = state
    return weights


# Applying ---------------------------------------------------------------------


def apply_checkpoint(
    checkpoint: Checkpoint,
    modules: Mapping[str, nn.Module],
    optimizers: Mapping[str, torch.optim.Optimizer],
    schedulers: Mapping[str, Any],
    *,
    rng: bool = True,
) -> None:
    """Load weights, optimizer and scheduler states (strictly), and the RNG if `rng`."""
    _same_names(checkpoint, "modules", checkpoint.weights, modules)
    _same_names(checkpoint, "optimizers", checkpoint.optimizers, optimizers)
    _same_names(checkpoint, "schedulers", checkpoint.schedulers, schedulers)
    weights, states = checkpoint.weights, checkpoint.optimizers
    parts: list[tuple[str, Any, dict[str, Any]]] = [
        *((f"module '{n}'", m, weights[n]) for n, m in modules.items()),
        *((f"optimizer '{n}'", o, states[n]) for n, o in optimizers.items()),
        *((f"scheduler '{n}'", s, checkpoint.schedulers[n]) for n, s in schedulers.items()),
    ]
    for what, target, state in parts:
        try:
            target.load_state_dict(state)
        except (RuntimeError, ValueError, KeyError) as error:
            raise CheckpointError(
                f"checkpoint {checkpoint.path} does not fit {what}: {_first_line(error)}; "
                "the graph or recipe changed since it was written, so start a new run"
            ) from None
    if rng:
        restore_rng(checkpoint.rng)


def _same_names(
    checkpoint: Checkpoint, what: str, saved: Mapping[str, Any], wanted: Mapping[str, Any]
) -> None:
    if set(saved) != set(wanted):
        raise CheckpointError(
            f"checkpoint {checkpoint.path} holds {what} {sorted(saved)} but the run has "
            f"{sorted(wanted)}; resume with the graph and recipe that wrote it"
        )
