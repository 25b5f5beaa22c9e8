"""State dicts as strict JSON: the values JSON lacks become tagged objects.

Optimizer and scheduler state dicts hold tuples, integer keys, infinities and
tensors; each becomes an object with a `$type` tag that `decode` turns back into
the very same type.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

# Marks an object standing for a value JSON cannot hold (tuple, tensor, NaN, ...).
TAG = "$type"


def cpu_copy(tensor: torch.Tensor) -> torch.Tensor:
    """A fresh contiguous CPU copy (safetensors refuses tied, storage-sharing ones)."""
    return tensor.detach().to("cpu", copy=True).contiguous()


def encode(value: Any, path: str, tensors: dict[str, torch.Tensor] | None = None) -> Any:
    """`value` as strict JSON data; with `tensors`, tensors go there keyed by `path`.

    Tuples, non-string dict keys, NaN and infinities, bytes, numpy arrays and tensors
    become tagged objects that `decode` turns back into the same types.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {TAG: "float", "value": repr(value)}
    if isinstance(value, np.generic):
        return encode(value.item(), path, tensors)
    if isinstance(value, torch.Tensor):
        return _encode_tensor(value, path, tensors)
    if isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value)
        data = base64.b64encode(array.tobytes()).decode("ascii")
        shape = list(array.shape)
        return {TAG: "ndarray", "dtype": array.dtype.str, "shape": shape, "data": data}
    if isinstance(value, bytes):
        return {TAG: "bytes", "data": base64.b64encode(value).decode("ascii")}
    if isinstance(value, (list, tuple)):
        items = [encode(item, f"{path}/{i}", tensors) for i, item in enumerate(value)]
        return items if isinstance(value, list) else {TAG: "tuple", "items": items}
    if isinstance(value, dict):
        return _encode_dict(value, path, tensors)
    raise TypeError(f"{path}: a {type(value).__name__} is not JSON data or a tensor")


def _encode_dict(value: dict[Any, Any], path: str, tensors: dict[str, torch.Tensor] | None) -> Any:
    items = {key: encode(item, f"{path}/{key}", tensors) for key, item in value.items()}
    if all(isinstance(key, str) for key in value) and TAG not in value:
        return items
    # Optimizer state is keyed by parameter index; JSON keys can only be strings.
    pairs = [[encode(key, path), item] for key, item in items.items()]
    return {TAG: "dict", "items": pairs}


def _encode_tensor(tensor: torch.Tensor, path: str, tensors: dict[str, torch.Tensor] | None) -> Any:
    if tensors is not None:
        key, count = path, 1
        while key in tensors:
            count += 1
            key = f"{path}#{count}"
        tensors[key] = cpu_copy(tensor)
        return {TAG: "tensor", "key": key}
    flat = tensor.detach().cpu().contiguous().reshape(-1)
    data = base64.b64encode(flat.view(torch.uint8).numpy().tobytes()).decode("ascii")
    dtype = str(tensor.dtype).removeprefix("torch.")
    return {TAG: "tensor", "dtype": dtype, "shape": list(tensor.shape), "data": data}


def decode(value: Any, tensors: Mapping[str, torch.Tensor]) -> Any:
    """The inverse of `encode`; tensor references are looked up in `tensors`."""
    if isinstance(value, list):
        return [decode(item, tensors) for item in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(TAG)
    if tag is None:
        return {key: decode(item, tensors) for key, item in value.items()}
    if tag == "tuple":
        return tuple(decode(item, tensors) for item in value["items"])
    if tag == "dict":
        return {decode(k, tensors): decode(v, tensors) for k, v in value["items"]}
    if tag == "float":
        return float(value["value"])
    if tag == "bytes":
        return base64.b64decode(value["data"])
    if tag == "ndarray":
        raw = base64.b64decode(value["data"])
        array = np.frombuffer(raw, dtype=np.dtype(value["dtype"]))
        return array.reshape(value["shape"]).copy()
    if tag == "tensor":
        return _decode_tensor(value, tensors)
    raise ValueError(f"unknown {TAG} {tag!r}")


def _decode_tensor(value: dict[str, Any], tensors: Mapping[str, torch.Tensor]) -> torch.Tensor:
    if "key" in value:
        if value["key"] not in tensors:
            raise KeyError(f"no tensor '{value['key']}'")
        return tensors[value["key"]]
    dtype = getattr(torch, value["dtype"], None)
    if not isinstance(dtype, torch.dtype):
        raise ValueError(f"unknown tensor dtype {value['dtype']!r}")
    raw = bytearray(base64.b64decode(value["data"]))
    if not raw:
        return torch.empty(value["shape"], dtype=dtype)
    flat = torch.frombuffer(raw, dtype=torch.uint8)
    return flat.view(dtype).reshape(value["shape"]).clone()
