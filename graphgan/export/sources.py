"""What exported code refers to: torch by its usual names, plugin classes copied in as source.

A `Module` or `Function` target inside torch is written as `nn.Linear` or `torch.cat`; any
other target (a plugin's own layer) has its source copied into the exported file, with the
module-level helpers and constants it reads, so the project never imports graphgan or a pack.
"""

from __future__ import annotations

import inspect
import logging
import math
import textwrap
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import nn

from graphgan.export.errors import ExportError
from graphgan.export.layout import flat, literal
from graphgan.plugin import resolve_target

log = logging.getLogger(__name__)

# Module objects exported code may use, by the name it must use for them, and the import.
KNOWN_MODULES: dict[str, tuple[types.ModuleType, str]] = {
    "torch": (torch, "import torch"),
    "nn": (nn, "from torch import nn"),
    "F": (F, "import torch.nn.functional as F  # noqa: N812 - the name torch readers expect"),
    "math": (math, "import math"),
    "np": (np, "import numpy as np"),
}
# Where torch's own targets are found, longest prefix first.
TORCH_PREFIXES = (
    ("torch.nn.functional.", "F."),
    ("torch.nn.", "nn."),
    ("torch.", "torch."),
)


@dataclass
class Sources:
    """The references and copied definitions one exported module needs."""

    uses: set[str] = field(default_factory=lambda: {"torch", "nn"})
    copied: dict[str, str] = field(default_factory=dict)  # name -> source text
    origins: dict[str, str] = field(default_factory=dict)  # name -> where it came from

    def reference(self, target: str, where: str) -> str:
        """The text that names `target` in exported code, copying its source if needed."""
        for prefix, short in TORCH_PREFIXES:
            if target.startswith(prefix):
                self._check_importable(target, where)
                self.uses.add(short.rstrip("."))
                return short + target.removeprefix(prefix)
        try:
            value = resolve_target(target)
        except (ImportError, AttributeError) as error:
            raise ExportError(f"{where}: cannot import {target}: {error}") from None
        return self.copy(value, where)

    def copy(self, value: Any, where: str) -> str:
        """Copy a plugin's class or function, and what it reads, into the exported module."""
        name = getattr(value, "__name__", "")
        origin = f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', '?')}"
        if self.origins.get(name) == origin:
            return name
        if name in self.origins or name in KNOWN_MODULES:
            raise ExportError(
                f"{where}: {origin} and {self.origins.get(name, name)} would share the name "
                f"'{name}' in the exported code; rename one of them in its plugin pack"
            )
        if not (inspect.isclass(value) or inspect.isfunction(value)):
            raise ExportError(
                f"{where}: {origin} is not a class or function, so it cannot be copied"
            )
        if getattr(value, "__qualname__", name) != name:
            raise ExportError(
                f"{where}: {origin} is not defined at module level, so it cannot be copied"
            )
        self.origins[name] = origin
        source = _source(value, where)
        self._copy_globals(value, where)  # first, so a base class precedes its subclass
        self.copied[name] = source
        log.debug("copying %s into the exported code for %s", origin, where)
        return name

    def _copy_globals(self, value: Any, where: str) -> None:
        module = inspect.getmodule(value)
        names = module.__dict__ if module is not None else {}
        for used in sorted(_global_names(value)):
            if used not in names or used == value.__name__:
                continue
            found = names[used]
            if isinstance(found, types.ModuleType):
                self._use_module(used, found, where)
            elif inspect.isclass(found) or inspect.isfunction(found):
                if found.__module__ == value.__module__:
                    self.copy(found, where)
                else:
                    raise ExportError(
                        f"{where}: {value.__module__}.{value.__name__} uses {used} from "
                        f"{found.__module__}, which exported code cannot import"
                    )
            elif isinstance(found, (int, float, str, bool, tuple)):
                text = flat(literal(found, where))
                self.copied.setdefault(used, f"{used} = {text}")
                self.origins.setdefault(used, f"{value.__module__}.{used}")

    def _use_module(self, name: str, module: types.ModuleType, where: str) -> None:
        known = KNOWN_MODULES.get(name)
        if known is None or known[0] is not module:
            raise ExportError(
                f"{where}: copied code refers to module {module.__name__} as '{name}'; exported "
                "code imports only torch (as torch, nn and F), numpy (as np) and math"
            )
        self.uses.add(name)

    def _check_importable(self, target: str, where: str) -> None:
        try:
            resolve_target(target)
        except (ImportError, AttributeError) as error:
            raise ExportError(f"{where}: cannot import {target}: {error}") from None

    def imports(self) -> list[str]:
        """Import lines in the order `ruff check`'s isort rules want them."""
        order = ["math", "np", "torch", "F", "nn"]
        lines = [KNOWN_MODULES[name][1] for name in order if name in self.uses]
        stdlib = [line for line in lines if line == "import math"]
        third = [line for line in lines if line != "import math"]
        return [*stdlib, *([""] if stdlib and third else []), *third]

    def definitions(self) -> Iterator[str]:
        """Constants first, then copied classes and functions."""
        values = [text for text in self.copied.values() if not text.startswith(("class ", "def "))]
        code = [text for text in self.copied.values() if text.startswith(("class ", "def "))]
        yield from values
        yield from code


def _source(value: Any, where: str) -> str:
    try:
        text = inspect.getsource(value)
    except (OSError, TypeError) as error:
        raise ExportError(f"{where}: the source of {value!r} is not available: {error}") from None
    return textwrap.dedent(text).strip()


def _global_names(value: Any) -> set[str]:
    """Every global name the code of a function or class (its methods) can read."""
    codes: list[types.CodeType] = []
    if inspect.isfunction(value):
        codes.append(value.__code__)
    else:
        for member in vars(value).values():
            function = getattr(member, "__func__", member)
            if inspect.isfunction(function):
                codes.append(function.__code__)
    names: set[str] = set()
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    if inspect.isclass(value):
        names.update(base.__name__ for base in value.__bases__)
    return names
