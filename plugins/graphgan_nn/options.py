"""Options several layer kinds share: spectral normalisation and explicit keyword arguments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphgan.plugin import Module, Params


def spectral_norm(layer: Module) -> Module:
    """Wrap a layer in spectral normalisation (Miyato et al. 2018)."""
    return Module("torch.nn.utils.parametrizations.spectral_norm", (layer,))


def changed(params: Params, names: Iterable[str]) -> dict[str, Any]:
    """The named params whose values differ from their defaults, as keyword arguments.

    Exported code then reads like hand-written code: `Conv2d(3, 64, 4, stride=2, padding=1)`
    rather than every argument spelled out. Only for params whose defaults are the torch
    class's own, or an omitted argument would change meaning.
    """
    fields = type(params).model_fields
    return {
        name: getattr(params, name)
        for name in names
        if getattr(params, name) != fields[name].default
    }
