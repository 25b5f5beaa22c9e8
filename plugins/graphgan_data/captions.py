"""Procedural captioned shapes (`shapes-captions`), a stand-in for text-to-image
data: one shape per image, its five attributes, and a caption that states all of them
in varied wording from a small grammar whose words make up the tokenizer's
vocabulary."""

from __future__ import annotations

from functools import lru_cache
from itertools import product

import numpy as np
import torch

from graphgan.plugin import DataOptions, DatasetSpec
from graphgan_data import settings
from graphgan_data.errors import DataOptionError, VocabularyError
from graphgan_data.seeds import Item, SeededDataset
from graphgan_data.shapes import SHAPES, Grid, Placed, coverage
from graphgan_data.text import Tokenizer
from graphgan_data.transforms import to_tensor

NAME = "shapes-captions"
EXTRA = ("size", "jitter")
DEFAULT_IMAGE_SIZE = 64
DEFAULT_LENGTH = {"train": 2000, "test": 200}

# The "attributes" field's order, each attribute's values in index order.
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "shape": SHAPES,
    "colour": ("red", "green", "blue", "yellow", "purple", "white"),
    "size": ("small", "large"),
    "horizontal": ("left", "centre", "right"),
    "vertical": ("top", "middle", "bottom"),
}
# The words a caption may use for each value; a value's own name always comes first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "circle": ("circle", "disc"),
    "purple": ("purple", "violet"),
    "small": ("small", "little", "tiny"),
    "large": ("large", "big"),
    "centre": ("centre", "center"),
    "top": ("top", "upper"),
    "bottom": ("bottom", "lower"),
}
TEMPLATES = (
    "a {size} {colour} {shape} at the {vertical} {horizontal}",
    "a {size} {colour} {shape} in the {vertical} {horizontal}",
    "there is a {size} {colour} {shape} at the {vertical} {horizontal}",
    "the {vertical} {horizontal} has a {size} {colour} {shape}",
    "a {colour} {shape} that is {size} sits in the {vertical} {horizontal}",
)

COLOURS = {
    "red": (0.9, 0.15, 0.15),
    "green": (0.15, 0.75, 0.2),
    "blue": (0.2, 0.35, 0.95),
    "yellow": (0.95, 0.85, 0.15),
    "purple": (0.6, 0.2, 0.8),
    "white": (0.95, 0.95, 0.95),
}
BACKGROUND = (0.12, 0.12, 0.14)
CENTRES = {
    "left": 0.25,
    "centre": 0.5,
    "right": 0.75,
    "top": 0.25,
    "middle": 0.5,
    "bottom": 0.75,
}
RADII = {"small": 0.09, "large": 0.17}
SUPERSAMPLE = 4  # samples per pixel and axis, for smooth edges


def _words_of(value: str) -> tuple[str, ...]:
    return SYNONYMS.get(value, (value,))


def _vocabulary() -> list[str]:
    words = {w for template in TEMPLATES for w in template.split() if not w.startswith("{")}
    words |= {w for values in ATTRIBUTES.values() for v in values for w in _words_of(v)}
    return sorted(words)


# Captions fill a template with single words: the longest template is the length.
TOKENIZER = Tokenizer(_vocabulary(), max(len(t.split()) for t in TEMPLATES), name=NAME)
_MEANINGS = {
    word: (position, index)
    for position, values in enumerate(ATTRIBUTES.values())
    for index, value in enumerate(values)
    for word in _words_of(value)
}


def caption(attributes: tuple[int, ...], rng: np.random.Generator) -> str:
    """A caption stating `attributes` (ATTRIBUTES indices), its wording drawn by `rng`."""
    template = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
    slots = {}
    for (name, values), index in zip(ATTRIBUTES.items(), attributes, strict=True):
        words = _words_of(values[index])
        slots[name] = words[int(rng.integers(len(words)))]
    return template.format(**slots)


def parse(text: str) -> tuple[int, ...]:
    """The attribute indices a caption of the grammar states: `caption` inverted."""
    found: dict[int, int] = {}
    for word in TOKENIZER.split(text):
        if word in _MEANINGS:
            position, index = _MEANINGS[word]
            found[position] = index
    if len(found) != len(ATTRIBUTES):
        missing = [name for i, name in enumerate(ATTRIBUTES) if i not in found]
        raise VocabularyError(f"caption {text!r} does not state {', '.join(missing)}")
    return tuple(found[i] for i in range(len(ATTRIBUTES)))


def render(
    attributes: tuple[int, ...], size: int, rng: np.random.Generator, jitter: float
) -> np.ndarray:
    """The (size, size, 3) image in [0, 1] of one shape with these attributes.

    With `jitter` 0 the attributes fix the image; up to 1 it moves the shape by up to
    5% of the side, scales it by up to 15% and shades its colour by up to 15%.
    """
    shape, colour, scale, horizontal, vertical = (
        values[i] for values, i in zip(ATTRIBUTES.values(), attributes, strict=True)
    )
    dx, dy, dr, shade = rng.uniform(-1.0, 1.0, size=4) * jitter
    placed = Placed(
        shape,
        x=CENTRES[horizontal] + 0.05 * dx,
        y=CENTRES[vertical] + 0.05 * dy,
        radius=RADII[scale] * (1.0 + 0.15 * dr),
    )
    alpha = coverage(placed.mask(Grid.square(size, SUPERSAMPLE)), SUPERSAMPLE)[..., None]
    fill = np.clip(np.array(COLOURS[colour]) * (1.0 + 0.15 * shade), 0.0, 1.0)
    image = alpha * fill + (1.0 - alpha) * np.array(BACKGROUND)  # (H, W, 1) blends (3,)
    return image.astype(np.float32)


# Enough for every attribute combination (324) at a few image sizes.
_STILLS_CACHED = 2048


@lru_cache(maxsize=_STILLS_CACHED)
def still(attributes: tuple[int, ...], size: int) -> np.ndarray:
    """The unjittered render of `attributes`, drawn once: at jitter 0 the attributes fix
    the image, and rasterising it anew for every item would dominate a training step."""
    image = render(attributes, size, np.random.default_rng(0), jitter=0.0)
    image.flags.writeable = False  # shared by every item with these attributes
    return image


class ShapesCaptions(SeededDataset):
    """Items: "image", "caption", "tokens" (TOKENIZER ids), "attributes" (5 indices)."""

    name = NAME
    tokenizer = TOKENIZER
    attribute_names = tuple(ATTRIBUTES)

    def __init__(self, options: DataOptions) -> None:
        super().__init__(options.seed, options.split)
        settings.check_extra(options, NAME, EXTRA)
        default_length = DEFAULT_LENGTH[options.split]
        self.length = settings.extra_int(options, NAME, "size", default_length)
        self.jitter = settings.extra_float(options, NAME, "jitter", 0.0, (0.0, 1.0))
        size = settings.image_size(options, NAME, DEFAULT_IMAGE_SIZE, minimum=16)
        self.size = size or DEFAULT_IMAGE_SIZE
        if settings.channels(options, NAME, 3) != 3:
            raise DataOptionError(
                f"dataset '{NAME}': captions name colours, so it needs channels=3; "
                "leave channels unset"
            )
        if options.flip:
            raise DataOptionError(
                f"dataset '{NAME}': flip would swap left and right and contradict the "
                "captions; set flip=False"
            )
        self.value_range = settings.value_range(options, NAME)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> Item:
        self.check_index(index)
        rng = self.content(index, "scene")
        attributes = tuple(int(rng.integers(len(v))) for v in ATTRIBUTES.values())
        text = caption(attributes, rng)
        if self.jitter:
            image = render(attributes, self.size, rng, self.jitter)
        else:
            image = still(attributes, self.size)
        return {
            "image": to_tensor(image, self.value_range),
            "caption": text,
            "tokens": TOKENIZER.encode(text),
            "attributes": torch.tensor(attributes, dtype=torch.int64),
        }


def all_attributes() -> list[tuple[int, ...]]:
    """Every combination of attribute indices (324), e.g. to train a scorer on."""
    return list(product(*(range(len(values)) for values in ATTRIBUTES.values())))


def load_shapes_captions(options: DataOptions) -> ShapesCaptions:
    return ShapesCaptions(options)


SHAPES_CAPTIONS = DatasetSpec(
    name=NAME,
    description=(
        "Procedural captioned shapes (text-to-image stand-in): one shape whose caption "
        "states its shape, colour, size and position in varied wording; 'tokens' are ids "
        "of a fixed vocabulary, 'attributes' the 5 stated indices (image_size default 64; "
        "extra: size, default 2000 train / 200 test; jitter 0..1, default 0)."
    ),
    fields=("image", "caption", "tokens", "attributes"),
    load=load_shapes_captions,
)
