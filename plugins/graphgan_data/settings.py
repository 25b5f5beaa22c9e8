"""Reading `DataOptions` for one dataset: defaults, checked `extra` settings,
channels and value range, each refused with an error that names the dataset, the
setting and the fix."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from graphgan.plugin import DataOptions
from graphgan_data.errors import DataOptionError

T = TypeVar("T")


def check_extra(options: DataOptions, dataset: str, known: Collection[str]) -> None:
    """Refuse `extra` keys the dataset does not read: a misspelt one is not ignored."""
    unknown = sorted(set(options.extra) - set(known))
    if unknown:
        accepted = ", ".join(sorted(known)) or "none"
        raise DataOptionError(
            f"dataset '{dataset}' does not read the setting(s) {', '.join(unknown)}; "
            f"it accepts: {accepted}"
        )


def extra_int(
    options: DataOptions,
    dataset: str,
    key: str,
    default: int,
    minimum: int = 1,
) -> int:
    """An integer `extra` setting, at least `minimum`."""
    value = options.extra.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DataOptionError(
            f"dataset '{dataset}': setting '{key}' must be an integer, got {value!r}"
        )
    if value < minimum:
        raise DataOptionError(
            f"dataset '{dataset}': setting '{key}' must be at least {minimum}, got {value}"
        )
    return value


def extra_float(
    options: DataOptions,
    dataset: str,
    key: str,
    default: float,
    bounds: tuple[float, float],
) -> float:
    """A number `extra` setting inside the closed interval `bounds`."""
    value = options.extra.get(key, default)
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataOptionError(
            f"dataset '{dataset}': setting '{key}' must be a number, got {value!r}"
        )
    if not low <= value <= high:
        raise DataOptionError(
            f"dataset '{dataset}': setting '{key}' must lie in [{low}, {high}], got {value}"
        )
    return float(value)


def extra_choice(
    options: DataOptions,
    dataset: str,
    key: str,
    default: T,
    choices: Collection[T],
) -> T:
    """An `extra` setting that must be one of `choices`."""
    value: Any = options.extra.get(key, default)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise DataOptionError(
            f"dataset '{dataset}': setting '{key}' must be one of {listed}, got {value!r}"
        )
    return value


def channels(options: DataOptions, dataset: str, default: int) -> int:
    """The number of image channels: 1 (grey) or 3 (RGB), `default` when unset."""
    value = default if options.channels is None else options.channels
    if value not in (1, 3):
        raise DataOptionError(
            f"dataset '{dataset}': channels must be 1 (grey) or 3 (RGB), got {value}"
        )
    return value


def image_size(
    options: DataOptions, dataset: str, default: int | None, minimum: int = 1
) -> int | None:
    """The square side images are brought to; `default` if unset (None: native)."""
    value = default if options.image_size is None else options.image_size
    if value is not None and value < minimum:
        raise DataOptionError(
            f"dataset '{dataset}': image_size must be at least {minimum}, got {value}"
        )
    return value


def value_range(options: DataOptions, dataset: str) -> tuple[float, float]:
    """The (low, high) range image values are scaled to; low must be below high."""
    low, high = (float(v) for v in options.value_range)
    if not low < high:
        raise DataOptionError(
            f"dataset '{dataset}': value_range must be (low, high) with low < high, "
            f"got {options.value_range}"
        )
    return low, high
