"""Procedural datasets in the exported train.py: the data pack's scene renderers, copied in as
source, draw each image from the seed, so the export need not hold the images (2,000
paper-size shapes-pix2pix pairs would take 4 GB, shapes-captions images 1.5 GB), and train.py
renders a 256-pixel scene in milliseconds."""

from __future__ import annotations

import ast
import importlib
import inspect
import math
import sys
import types
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from graphgan.export.augment import item_generator, mirrored
from graphgan.export.augment import source as augment_source
from graphgan.export.errors import ExportError
from graphgan_data.captions import ATTRIBUTES, caption, render
from graphgan_data.labelmaps import PALETTE, render_scene

Renderer = tuple[tuple[str, tuple[str, ...]], ...]

# What each renderer reads, module by module, in the order it is copied.
PIX2PIX: Renderer = (
    ("graphgan_data.colour", ("hsv_to_rgb",)),
    (
        "graphgan_data.shapes",
        ("SHAPES", "Grid", "Placed", "regular_polygon", "polygon", "rectangle"),
    ),
    (
        "graphgan_data.labelmaps",
        (
            "CLASSES",
            "PALETTE",
            "HUES",
            "BACKGROUND_SATURATION",
            "OBJECT_SATURATION",
            "Scene",
            "render_scene",
            "_background_value",
            "_object",
        ),
    ),
)
CAPTIONS: Renderer = (
    (
        "graphgan_data.shapes",
        ("SHAPES", "Grid", "Placed", "regular_polygon", "polygon", "coverage"),
    ),
    (
        "graphgan_data.captions",
        (
            "ATTRIBUTES",
            "SYNONYMS",
            "TEMPLATES",
            "COLOURS",
            "BACKGROUND",
            "CENTRES",
            "RADII",
            "SUPERSAMPLE",
            "_words_of",
            "caption",
            "render",
        ),
    ),
)


def scene_item(scenes: Mapping[str, Any], seed: int, epoch: int, index: int) -> dict[str, Any]:
    """One shapes-pix2pix item: its scene drawn from the seed, mirrored half the time."""
    scene = render_scene(item_generator(seed, "train", "scene", index), scenes["size"])
    labels, photo = scene.labels, scene.photo
    if scenes["flip"] and mirrored(seed, "flip", epoch, index):
        labels, photo = labels[:, ::-1], photo[:, ::-1]
    condition = PALETTE[labels].astype(np.float32) / 255.0
    return {
        "condition": unit_values(condition, scenes["value_range"]),
        "image": unit_values(photo, scenes["value_range"]),
        "label_map": np.ascontiguousarray(labels),
    }


def caption_item(spec: Mapping[str, Any], seed: int, epoch: int, index: int) -> dict[str, Any]:
    """One shapes-captions image, drawn from the seed after its attributes and wording."""
    rng = item_generator(seed, "train", "scene", index)
    attributes = tuple(int(rng.integers(len(v))) for v in ATTRIBUTES.values())
    caption(attributes, rng)  # the wording's draws come before the image's, as in the dataset
    image = render(attributes, spec["size"], rng, spec["jitter"])
    return {"image": unit_values(image, spec["value_range"])}


def unit_values(unit: np.ndarray, value_range: Any) -> np.ndarray:
    """A float (H, W, C) array in [0, 1] as float32 (C, H, W) in `value_range`."""
    low, high = (float(v) for v in value_range)
    chw = np.ascontiguousarray(np.asarray(unit, dtype=np.float32).transpose(2, 0, 1))
    return (chw * (high - low) + low).astype(np.float32)


def copied(renderer: str) -> dict[str, Any]:
    """The copied code run on its own, as train.py runs it: what export checks items with."""
    text = "from __future__ import annotations\n\n" + augment_source() + "\n\n\n"
    text += source(renderer)
    module = types.ModuleType("graphgan_export_copied_scenes")
    module.__dict__.update(np=np, math=math, zlib=zlib, dataclass=dataclass)
    module.__dict__.update(Mapping=Mapping, Any=Any)
    # dataclasses looks its class's module up while the class is made.
    sys.modules[module.__name__] = module
    try:
        exec(compile(text, "<train.py>", "exec"), module.__dict__)  # export's own copied code
    finally:
        del sys.modules[module.__name__]
    return module.__dict__


def source(renderer: str) -> str:
    """A renderer and its `scene_item` (one item's drawn fields) as train.py holds them."""
    copies, item = (PIX2PIX, scene_item) if renderer == "shapes-pix2pix" else (CAPTIONS, None)
    parts = [_definition(module, name) for module, names in copies for name in names]
    if item is None:
        # train.py calls whichever renderer it holds `scene_item`.
        text = inspect.getsource(caption_item).strip()
        parts.append(text.replace("def caption_item(", "def scene_item(", 1))
    else:
        parts.append(inspect.getsource(item).strip())
    parts.append(inspect.getsource(unit_values).strip())
    return "\n\n\n".join(parts)


def caption_fields(dataset: Any) -> dict[str, np.ndarray]:
    """shapes-captions' tokens and attributes, drawn as the dataset draws them, no image."""
    tokens, attributes = [], []
    for index in range(len(dataset)):
        rng = dataset.content(index, "scene")
        drawn = tuple(int(rng.integers(len(v))) for v in ATTRIBUTES.values())
        tokens.append(dataset.tokenizer.encode(caption(drawn, rng)).numpy())
        attributes.append(drawn)
    return {"tokens": np.stack(tokens), "attributes": np.array(attributes, dtype=np.int64)}


def _definition(module_name: str, name: str) -> str:
    module = importlib.import_module(module_name)
    value = getattr(module, name)
    if inspect.isclass(value) or inspect.isfunction(value):
        return inspect.getsource(value).strip()
    text = inspect.getsource(module)
    for node in ast.parse(text).body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return ast.get_source_segment(text, node) or ""
    raise ExportError(f"{module_name}.{name} is not a module-level definition export can copy")
