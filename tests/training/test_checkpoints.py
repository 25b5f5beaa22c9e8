"""Checkpoints: exact round trips, identical resumed training, RNG, crashes, retention."""

from __future__ import annotations

import copy
import json
import math
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from safetensors import safe_open
from torch import nn

from graphgan.errors import GraphganError
from graphgan.training.checkpoints import (
    Checkpoint,
    CheckpointError,
    apply_checkpoint,
    capture_rng,
    load_checkpoint,
    restore_rng,
    save_checkpoint,
)

OptimizerFactory = Callable[[nn.Module], torch.optim.Optimizer]
OPTIMIZERS: dict[str, OptimizerFactory] = {
    "adam": lambda m: torch.optim.Adam(m.parameters(), lr=1e-2, betas=(0.5, 0.999)),
    "sgd-momentum": lambda m: torch.optim.SGD(m.parameters(), lr=1e-2, momentum=0.9),
    "adamw-amsgrad": lambda m: torch.optim.AdamW(m.parameters(), lr=1e-2, amsgrad=True),
}


def make_model() -> nn.Module:
    # BatchNorm brings buffers and state-dict version metadata into the round trip.
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 1))


def train(model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, steps: int) -> None:
    for _ in range(steps):
        batch = torch.randn(8, 4)
        loss = model(batch).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()


def make_run(factory: OptimizerFactory, seed: int) -> tuple[nn.Module, Any, Any]:
    torch.manual_seed(seed)
    model = make_model()
    optimizer = factory(model)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    return model, optimizer, scheduler


def save(
    run_dir: Path, step: int, model: nn.Module, optimizer: Any, scheduler: Any, **kw: Any
) -> Path:
    return save_checkpoint(
        run_dir, step, {"g": model}, {"g": optimizer}, {"g": scheduler}, {}, **kw
    )


def assert_same(a: Any, b: Any) -> None:
    """Equal values of equal types, all the way down; tensors bit for bit."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, torch.Tensor):
        assert a.dtype == b.dtype and torch.equal(a, b)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert_same(x, y)
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b)
    else:
        assert a == b


@pytest.mark.parametrize("kind", OPTIMIZERS)
def test_resumed_training_matches_uninterrupted(tmp_path: Path, kind: str) -> None:
    model, optimizer, scheduler = make_run(OPTIMIZERS[kind], seed=0)
    train(model, optimizer, scheduler, 3)
    save(tmp_path, 3, model, optimizer, scheduler)
    saved_state = copy.deepcopy(optimizer.state_dict())  # live tensors change in place
    train(model, optimizer, scheduler, 3)

    other, other_optimizer, other_scheduler = make_run(OPTIMIZERS[kind], seed=1)
    checkpoint = load_checkpoint(tmp_path)
    apply_checkpoint(checkpoint, {"g": other}, {"g": other_optimizer}, {"g": other_scheduler})
    assert checkpoint.step == 3
    assert_same(other_optimizer.state_dict(), saved_state)
    train(other, other_optimizer, other_scheduler, 3)

    assert_same(other.state_dict(), model.state_dict())
    assert_same(other_optimizer.state_dict(), optimizer.state_dict())
    assert other_scheduler.state_dict() == scheduler.state_dict()


def test_optimizer_state_reassembles_exactly(tmp_path: Path) -> None:
    model, optimizer, scheduler = make_run(OPTIMIZERS["adam"], seed=0)
    train(model, optimizer, scheduler, 2)
    save(tmp_path, 2, model, optimizer, scheduler)
    checkpoint = load_checkpoint(tmp_path / "checkpoints" / "step-00000002")
    # int parameter keys, the betas tuple and 0-dim step tensors all come back as they were
    assert_same(checkpoint.optimizers["g"], optimizer.state_dict())
    assert_same(checkpoint.schedulers["g"], scheduler.state_dict())
    assert_same(dict(checkpoint.weights["g"]), dict(model.state_dict()))


def test_files_hold_prefixed_tensors_and_json_state(tmp_path: Path) -> None:
    model, optimizer, scheduler = make_run(OPTIMIZERS["adam"], seed=0)
    train(model, optimizer, scheduler, 1)
    folder = save(tmp_path, 123, model, optimizer, scheduler)

    assert folder == tmp_path / "checkpoints" / "step-00000123"
    assert sorted(p.name for p in folder.iterdir()) == [
        "optimizers.safetensors",
        "state.json",
        "weights.safetensors",
    ]
    with safe_open(str(folder / "weights.safetensors"), "pt") as weights:
        assert weights.metadata()["step"] == "123"
        assert set(weights.keys()) == {f"g.{key}" for key in model.state_dict()}
    with safe_open(str(folder / "optimizers.safetensors"), "pt") as tensors:
        assert "g/state/0/exp_avg" in set(tensors.keys())
    state = json.loads((folder / "state.json").read_text())
    assert state["step"] == 123
    latest = json.loads((tmp_path / "checkpoints" / "latest.json").read_text())
    assert latest == {"step": 123, "path": "step-00000123"}


def test_extra_keeps_types_json_cannot_hold(tmp_path: Path) -> None:
    extra = {
        "epoch": 2,
        "best": (1.5, "fid"),
        "by_index": {0: "a", 7: [1, 2]},
        "diverged": math.nan,
        "limit": -math.inf,
        "$type": "not a tag",
        "ema": torch.arange(6, dtype=torch.bfloat16).reshape(2, 3),
        "empty": torch.zeros(0, 3),
        "flags": np.array([1, 2], dtype=np.int16),
    }
    save_checkpoint(tmp_path, 1, {}, {}, {}, extra)
    loaded = load_checkpoint(tmp_path).extra
    flags = loaded.pop("flags")
    np.testing.assert_array_equal(flags, extra.pop("flags"))
    assert flags.dtype == np.int16
    assert_same(loaded, extra)


def test_unsaveable_extra_is_named_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match=r"step 5: extra/hook: a function is not JSON"):
        save_checkpoint(tmp_path, 5, {}, {}, {}, {"hook": lambda: None})
    assert list((tmp_path / "checkpoints").iterdir()) == []


def test_restore_rng_repeats_the_next_draws() -> None:
    state = capture_rng()
    first = (torch.rand(3), np.random.rand(3), random.random())
    restore_rng(state)
    again = (torch.rand(3), np.random.rand(3), random.random())
    assert torch.equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert first[2] == again[2]


def test_rng_survives_the_checkpoint_files(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, 1, {}, {}, {}, {})
    first = (torch.randn(4), np.random.randn(4), random.gauss(0, 1))
    restore_rng(load_checkpoint(tmp_path).rng)
    again = (torch.randn(4), np.random.randn(4), random.gauss(0, 1))
    assert torch.equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert first[2] == again[2]


def test_crash_leftovers_are_ignored_then_cleared(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, 1, {}, {}, {}, {"n": 1})
    save_checkpoint(tmp_path, 2, {}, {}, {}, {"n": 2})
    root = tmp_path / "checkpoints"
    # A save killed mid-write: a staging folder with half a file, and half a latest.json.
    staging = root / ".step-00000003.4242.partial"
    staging.mkdir()
    (staging / "weights.safetensors").write_bytes(b"\x10\x00\x00")
    (root / ".latest.json.4242.partial").write_text('{"step": 3, "pa')

    assert load_checkpoint(tmp_path).extra == {"n": 2}
    save_checkpoint(tmp_path, 3, {}, {}, {}, {"n": 3})
    assert not staging.exists()
    assert load_checkpoint(tmp_path).extra == {"n": 3}


def test_crash_before_latest_moves_keeps_previous(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, 1, {}, {}, {}, {"n": 1})
    latest = (tmp_path / "checkpoints" / "latest.json").read_bytes()
    save_checkpoint(tmp_path, 2, {}, {}, {}, {"n": 2})
    (tmp_path / "checkpoints" / "latest.json").write_bytes(latest)  # as if killed before
    assert load_checkpoint(tmp_path).step == 1
    save_checkpoint(tmp_path, 2, {}, {}, {}, {"n": "again"})  # the resumed run saves it anew
    assert load_checkpoint(tmp_path).extra == {"n": "again"}


def test_crash_mid_replacement_still_loads(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, 1, {}, {}, {}, {"n": 1})
    root = tmp_path / "checkpoints"
    # Killed between moving the old step-1 aside and moving the new one in.
    (root / "step-00000001").rename(root / ".step-00000001.4242.replaced")
    assert load_checkpoint(tmp_path).extra == {"n": 1}
    save_checkpoint(tmp_path, 2, {}, {}, {}, {"n": 2}, keep=None)
    assert (root / "step-00000001").is_dir()
    assert load_checkpoint(root / "step-00000001").extra == {"n": 1}


def test_keeps_the_newest_checkpoints(tmp_path: Path) -> None:
    for step in range(1, 6):
        save_checkpoint(tmp_path, step * 10, {}, {}, {}, {})
    names = sorted(p.name for p in (tmp_path / "checkpoints").iterdir())
    assert names == ["latest.json", "step-00000030", "step-00000040", "step-00000050"]


def test_keep_none_keeps_all_and_keep_zero_is_refused(tmp_path: Path) -> None:
    for step in range(1, 6):
        save_checkpoint(tmp_path, step, {}, {}, {}, {}, keep=None)
    assert len(list((tmp_path / "checkpoints").glob("step-*"))) == 5
    with pytest.raises(CheckpointError, match=r"keep=0 would delete the new checkpoint"):
        save_checkpoint(tmp_path, 6, {}, {}, {}, {}, keep=0)
    with pytest.raises(CheckpointError, match=r"step -1 is negative"):
        save_checkpoint(tmp_path, -1, {}, {}, {}, {})


def test_missing_paths_are_named(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match=r"no checkpoint at .*nowhere: it does not"):
        load_checkpoint(tmp_path / "nowhere")
    with pytest.raises(CheckpointError, match=r"no checkpoints/latest.json; pass a run folder"):
        load_checkpoint(tmp_path)


def test_incomplete_checkpoint_names_missing_files(tmp_path: Path) -> None:
    folder = save_checkpoint(tmp_path, 7, {}, {}, {}, {})
    (folder / "optimizers.safetensors").unlink()
    with pytest.raises(
        CheckpointError, match=r"step-00000007 is incomplete: optimizers.safetensors"
    ) as caught:
        load_checkpoint(tmp_path)
    assert caught.value.code == "checkpoint-invalid"
    assert isinstance(caught.value, GraphganError)

    shutil.rmtree(folder)
    with pytest.raises(CheckpointError, match=r"incomplete: weights.safetensors, optimizers"):
        load_checkpoint(tmp_path)


def test_damaged_files_are_named(tmp_path: Path) -> None:
    folder = save_checkpoint(tmp_path, 7, {}, {}, {}, {})
    (folder / "state.json").write_text("{")
    with pytest.raises(CheckpointError, match=r"state.json is unreadable"):
        load_checkpoint(folder)
    (folder / "weights.safetensors").write_bytes(b"junk")
    (folder / "state.json").write_text("{}")
    with pytest.raises(CheckpointError, match=r"state.json is unreadable"):
        load_checkpoint(folder)
    latest = tmp_path / "checkpoints" / "latest.json"
    latest.write_text('{"step": 7, "path": "../../elsewhere"}')
    with pytest.raises(CheckpointError, match=r"latest.json points outside its folder"):
        load_checkpoint(tmp_path)


def test_apply_refuses_a_checkpoint_of_another_graph(tmp_path: Path) -> None:
    model, optimizer, scheduler = make_run(OPTIMIZERS["adam"], seed=0)
    save(tmp_path, 1, model, optimizer, scheduler)
    checkpoint: Checkpoint = load_checkpoint(tmp_path)

    with pytest.raises(
        CheckpointError, match=r"holds modules \['g'\] but the run has \['d', 'g'\]"
    ):
        apply_checkpoint(checkpoint, {"g": model, "d": model}, {"g": optimizer}, {"g": scheduler})
    wider = nn.Sequential(nn.Linear(4, 9), nn.BatchNorm1d(9), nn.ReLU(), nn.Linear(9, 1))
    with pytest.raises(CheckpointError, match=r"does not fit module 'g': .*start a new run"):
        apply_checkpoint(checkpoint, {"g": wider}, {"g": optimizer}, {"g": scheduler})
