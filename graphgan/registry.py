"""The registry: which node kinds exist, gathered from installed plugin packs.

Packs are found through the entry-point group `graphgan.plugins`. Each loads in isolation: a
pack that fails is recorded by name while the others still load. Setting the environment
variable GRAPHGAN_PLUGINS to a comma-separated list of pack names loads only those.
"""

from __future__ import annotations

import difflib
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from graphgan.errors import PluginError, UnknownNameError
from graphgan.graph.document import KIND
from graphgan.plugin import DatasetSpec, LossTerm, NodeSpec, Pack, Recipe

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "graphgan.plugins"
BLOCK_PREFIX = "block."  # kinds in this namespace are a document's own blocks


@dataclass(frozen=True)
class PackFailure:
    """A pack that could not be loaded, and why."""

    name: str
    error: str


@dataclass
class Registry:
    """Node kinds by name, with the pack each came from."""

    nodes: dict[str, NodeSpec[Any]] = field(default_factory=dict)
    datasets: dict[str, DatasetSpec] = field(default_factory=dict)
    loss_terms: dict[str, LossTerm] = field(default_factory=dict)
    recipes: dict[str, Recipe] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    packs: dict[str, Pack] = field(default_factory=dict)
    failures: list[PackFailure] = field(default_factory=list)

    def add(self, pack: Pack) -> None:
        """Register every kind of `pack`; a kind another pack already owns is an error."""
        if not isinstance(pack, Pack):
            raise PluginError(f"expected a graphgan.plugin.Pack, got {type(pack).__name__}")
        if pack.name in self.packs:
            raise PluginError(f"two plugin packs are named {pack.name!r}; rename one")
        seen: set[str] = set()
        for spec in pack.nodes:
            _check_spec(spec, pack.name)
            if spec.kind in seen:
                raise PluginError(f"pack {pack.name!r} declares node kind {spec.kind!r} twice")
            seen.add(spec.kind)
            owner = self.owners.get(spec.kind)
            if owner is not None:
                raise PluginError(
                    f"node kind {spec.kind!r} is declared by both pack {owner!r} and pack "
                    f"{pack.name!r}; uninstall one or rename the kind in its namespace"
                )
        for dataset in pack.datasets:
            if dataset.name in self.datasets or not isinstance(dataset, DatasetSpec):
                raise PluginError(
                    f"pack {pack.name!r}: dataset {getattr(dataset, 'name', dataset)!r} is not a "
                    "DatasetSpec or is already declared by another pack"
                )
        _check_named(pack.loss_terms, LossTerm, pack.name, set(self.loss_terms))
        _check_named(pack.recipes, Recipe, pack.name, set(self.recipes))
        for spec in pack.nodes:
            self.nodes[spec.kind] = spec
            self.owners[spec.kind] = pack.name
        for dataset in pack.datasets:
            self.datasets[dataset.name] = dataset
        self.loss_terms.update((loss.name, loss) for loss in pack.loss_terms)
        self.recipes.update((recipe.name, recipe) for recipe in pack.recipes)
        self.packs[pack.name] = pack

    def node(self, kind: str) -> NodeSpec[Any]:
        spec = self.nodes.get(kind)
        if spec is None:
            raise UnknownNameError(unknown_kind_message(kind, self.nodes))
        return spec

    def __contains__(self, kind: str) -> bool:
        return kind in self.nodes

    def __iter__(self) -> Iterator[NodeSpec[Any]]:
        return iter(sorted(self.nodes.values(), key=lambda s: (s.category, s.kind)))


def unknown_kind_message(kind: str, known: Iterable[str]) -> str:
    near = difflib.get_close_matches(kind, list(known), n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'?" if near else "run `graphgan nodes` to list the kinds"
    return f"unknown node kind '{kind}'; no installed plugin pack provides it ({hint})"


def _check_spec(spec: object, pack: str) -> None:
    if not isinstance(spec, NodeSpec):
        raise PluginError(f"pack {pack!r} lists {spec!r}, which is not a NodeSpec instance")
    for attribute in ("kind", "category", "description"):
        if not getattr(spec, attribute, None):
            raise PluginError(f"pack {pack!r}: {type(spec).__name__} does not set {attribute!r}")
    if not KIND.match(spec.kind):
        raise PluginError(f"pack {pack!r}: kind {spec.kind!r} must be namespaced as 'pack.Name'")
    if spec.kind.startswith(BLOCK_PREFIX):
        raise PluginError(
            f"pack {pack!r}: kind {spec.kind!r} uses the namespace 'block', which names a "
            "graph's own blocks; choose another namespace"
        )


def _check_named(
    items: tuple[Any, ...], cls: type[LossTerm | Recipe], pack: str, taken: set[str]
) -> None:
    """Loss terms and recipes: of the right class, named `pack.name`, each name once."""
    what = "loss term" if cls is LossTerm else "recipe"
    for item in items:
        if not isinstance(item, cls):
            raise PluginError(f"pack {pack!r}: {item!r} is not a graphgan.plugin.{cls.__name__}")
        if not item.name.startswith(f"{pack}."):
            raise PluginError(
                f"pack {pack!r}: {what} {item.name!r} must be named in the pack's namespace, "
                f"e.g. '{pack}.{item.name.rpartition('.')[2]}'"
            )
        if item.name in taken:
            raise PluginError(f"pack {pack!r}: {what} {item.name!r} is declared twice")
        taken.add(item.name)


def load_entry_point(entry: EntryPoint) -> Pack:
    loaded = entry.load()
    pack = loaded() if callable(loaded) and not isinstance(loaded, Pack) else loaded
    if isinstance(pack, Pack):
        return pack
    module_pack = getattr(pack, "pack", None)
    if isinstance(module_pack, Pack):
        return module_pack
    raise PluginError(
        f"entry point {entry.name!r} ({entry.value}) must name a graphgan.plugin.Pack, "
        "or a module with a `pack` attribute"
    )


def discover(selected: Iterable[str] | None = None) -> Registry:
    """Load every installed pack (or only `selected`), isolating failures by pack."""
    registry = Registry()
    wanted = set(selected) if selected is not None else None
    entries = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    unknown = wanted - {e.name for e in entries} if wanted is not None else set()
    if unknown:
        log.warning(
            "GRAPHGAN_PLUGINS names packs that are not installed: %s (installed: %s)",
            ", ".join(sorted(unknown)),
            ", ".join(e.name for e in entries),
        )
    for entry in entries:
        if wanted is not None and entry.name not in wanted:
            continue
        try:
            registry.add(load_entry_point(entry))
        except Exception as error:  # one broken pack must not hide the others
            log.warning("plugin pack %r failed to load: %s", entry.name, error)
            registry.failures.append(PackFailure(entry.name, f"{type(error).__name__}: {error}"))
    return registry


_loading = threading.Lock()


def default_registry() -> Registry:
    """The registry of installed packs, loaded once per process.

    Thread-safe: the editor loads the packs on a worker thread, and a caller on another thread
    waits for that load instead of starting a second one.
    """
    with _loading:
        return _installed_registry()


@cache
def _installed_registry() -> Registry:
    setting = os.environ.get("GRAPHGAN_PLUGINS", "").strip()
    selected = [name.strip() for name in setting.split(",") if name.strip()] if setting else None
    return discover(selected)


def default_registry_loaded() -> bool:
    """Whether `default_registry()` would answer at once, without importing any pack."""
    return _installed_registry.cache_info().currsize > 0


def forget_default_registry() -> None:
    """Drop the loaded registry, so the next `default_registry()` discovers the packs again
    (after packs were installed or GRAPHGAN_PLUGINS changed in this process)."""
    with _loading:
        _installed_registry.cache_clear()
