"""Identifiers in exported code: valid, unique in their scope, never keywords or builtins."""

from __future__ import annotations

import builtins
import keyword
import re

# Names the exported modules import or define at module level.
MODULE_NAMES = frozenset({"torch", "nn", "F", "np", "math", "NETWORKS", "annotations"})
_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]")


def is_reserved(name: str) -> bool:
    return keyword.iskeyword(name) or keyword.issoftkeyword(name) or hasattr(builtins, name)


def identifier(text: str) -> str:
    """`text` made a valid identifier: other characters become `_`, a leading digit gets `_`."""
    name = _NOT_IDENTIFIER.sub("_", text) or "_"
    return f"_{name}" if name[0].isdigit() else name


def class_name(text: str) -> str:
    """`generator` -> `Generator`, `res_block` -> `ResBlock`; already-capitalised parts stay."""
    parts = identifier(text).split("_")
    name = "".join(part[:1].upper() + part[1:] for part in parts)
    return identifier(name or "Network")


class Namer:
    """Hands out names unique within one scope, keeping a wanted name where it is free.

    A taken, reserved or keyword name gets a suffix: `input` -> `input_`, then `input_2`;
    class names take a bare number (`Dense2`), as CapWords wants.
    """

    def __init__(self, taken: frozenset[str] | set[str] = frozenset(), joiner: str = "_") -> None:
        self.taken = set(taken)
        self.joiner = joiner

    def name(self, wanted: str) -> str:
        base = identifier(wanted)
        candidate = base if not is_reserved(base) else f"{base}_"
        count = 1
        while candidate in self.taken or is_reserved(candidate):
            count += 1
            candidate = f"{base}{self.joiner}{count}"
        self.taken.add(candidate)
        return candidate

    def reserve(self, name: str) -> None:
        self.taken.add(name)
