"""The registry: pack discovery, isolation of broken packs, the contract checks, selection."""

from __future__ import annotations

import logging
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

import graphgan.registry
from graphgan.errors import PluginError, UnknownNameError
from graphgan.plugin import Built, Inputs, NodeSpec, Outputs, Pack, Params, Port, TensorKind
from graphgan.registry import (
    ENTRY_POINT_GROUP,
    Registry,
    default_registry,
    discover,
    forget_default_registry,
)


class Identity(NodeSpec[Params]):
    """A complete kind, declared inline; subclasses below break one part of the contract."""

    kind = "test.Identity"
    category = "test"
    description = "Passes its input through."
    inputs = (Port("x", TensorKind.ANY),)
    outputs = (Port("y", TensorKind.ANY),)

    def infer(self, params: Params, inputs: Inputs) -> Outputs:
        return {"y": inputs["x"]}

    def build(self, params: Params, inputs: Inputs) -> Built:
        return None


def kind_named(name: str) -> NodeSpec[Params]:
    return type(name.replace(".", "_"), (Identity,), {"kind": name})()


# Each module below is written to disk and named by an entry point, as an installed pack would
# be; they import nothing from this test file, whatever name pytest imported it under.
PACK_MODULES = {
    "pack_kinds": """
        from graphgan_io import Output
        def kind_named(name):
            return type(name.replace(".", "_"), (Output,), {"kind": name})()
    """,
    "pack_good": """
        from graphgan.plugin import Pack
        from pack_kinds import kind_named
        pack = Pack(name="good", nodes=(kind_named("good.Identity"),))
    """,
    "pack_clash": """
        from graphgan.plugin import Pack
        from pack_kinds import kind_named
        pack = Pack(name="other", nodes=(kind_named("other.Own"), kind_named("good.Identity")))
    """,
    "pack_factory": """
        from graphgan.plugin import Pack
        from pack_kinds import kind_named
        def make_pack():
            return Pack(name="factory", nodes=(kind_named("factory.Identity"),))
    """,
    "pack_broken": """
        import graphgan_no_such_module
    """,
    "pack_empty": """
        '''A module that forgot to define `pack`.'''
    """,
}


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Make `entry_points()` in the registry report exactly the packs given, by name and value."""
    for module, source in PACK_MODULES.items():
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    def install(**packs: str) -> None:
        points = [EntryPoint(name, value, ENTRY_POINT_GROUP) for name, value in packs.items()]
        monkeypatch.setattr(graphgan.registry, "entry_points", lambda group: points)

    forget_default_registry()
    yield install
    forget_default_registry()
    for module in PACK_MODULES:
        sys.modules.pop(module, None)


def failure_names(registry: Registry) -> list[str]:
    return [failure.name for failure in registry.failures]


def test_builtin_packs_io_and_nn_load_cleanly() -> None:
    registry = discover(["io", "nn"])

    assert registry.failures == []
    assert {"io", "nn"} <= set(registry.packs)
    assert "io.Noise" in registry
    assert "nn.Linear" in registry
    # A built-in pack declares kinds only in its own namespace, as a third-party pack should.
    for kind, owner in registry.owners.items():
        assert kind.startswith(f"{owner}."), kind


def test_broken_pack_is_reported_by_name_while_others_load(
    installed: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    installed(broken="pack_broken", good="pack_good", empty="pack_empty")

    with caplog.at_level(logging.WARNING, logger="graphgan.registry"):
        registry = discover()

    assert list(registry.nodes) == ["good.Identity"]
    assert failure_names(registry) == ["broken", "empty"]
    broken, empty = registry.failures
    assert broken.error.startswith("ModuleNotFoundError: ")
    assert "graphgan_no_such_module" in broken.error
    assert "must name a graphgan.plugin.Pack, or a module with a `pack` attribute" in empty.error
    assert "plugin pack 'broken' failed to load" in caplog.text


def test_entry_point_may_name_a_pack_object_or_a_factory(installed: Callable[..., None]) -> None:
    installed(good="pack_good:pack", factory="pack_factory:make_pack")

    registry = discover()

    assert registry.failures == []
    assert registry.owners == {"good.Identity": "good", "factory.Identity": "factory"}


def test_duplicate_kind_across_packs_names_both() -> None:
    registry = Registry()
    registry.add(Pack(name="first", nodes=(kind_named("shared.Identity"),)))
    second = Pack(name="second", nodes=(kind_named("second.Own"), kind_named("shared.Identity")))

    message = "node kind 'shared.Identity' is declared by both pack 'first' and pack 'second'"
    with pytest.raises(PluginError, match=re.escape(message)):
        registry.add(second)

    # The refused pack adds nothing, not even its kinds that did not clash.
    assert registry.owners == {"shared.Identity": "first"}
    assert "second" not in registry.packs


def test_duplicate_kind_during_discovery_fails_only_the_later_pack(
    installed: Callable[..., None],
) -> None:
    installed(other="pack_clash", good="pack_good")

    registry = discover()

    # Packs load in order of entry-point name, so the refused one does not depend on install order.
    assert failure_names(registry) == ["other"]
    assert "declared by both pack 'good' and pack 'other'" in registry.failures[0].error
    assert registry.owners == {"good.Identity": "good"}


@pytest.mark.parametrize("attribute", ["kind", "category", "description"])
def test_spec_missing_a_declaration_is_refused(attribute: str) -> None:
    incomplete = type("Incomplete", (Identity,), {attribute: ""})()

    with pytest.raises(PluginError, match=f"pack 'p': Incomplete does not set '{attribute}'"):
        Registry().add(Pack(name="p", nodes=(incomplete,)))


@pytest.mark.parametrize("kind", ["Identity", ".Identity"])
def test_kind_without_a_namespace_is_refused(kind: str) -> None:
    message = f"pack 'p': kind '{kind}' must be namespaced as 'pack.Name'"
    with pytest.raises(PluginError, match=re.escape(message)):
        Registry().add(Pack(name="p", nodes=(kind_named(kind),)))


def test_pack_listing_something_else_is_refused() -> None:
    listed = "pack 'p' lists 'nn.Linear', which is not a NodeSpec instance"
    with pytest.raises(PluginError, match=re.escape(listed)):
        Registry().add(Pack(name="p", nodes=("nn.Linear",)))  # type: ignore[arg-type]
    with pytest.raises(PluginError, match=r"expected a graphgan\.plugin\.Pack, got dict"):
        Registry().add({"name": "p"})  # type: ignore[arg-type]


def test_environment_selects_packs(
    installed: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    installed(broken="pack_broken", good="pack_good", factory="pack_factory:make_pack")
    monkeypatch.setenv("GRAPHGAN_PLUGINS", " good , factory ")

    registry = default_registry()

    # The broken pack is never imported, so it cannot fail.
    assert registry.failures == []
    assert sorted(registry.packs) == ["factory", "good"]


def test_unset_environment_loads_every_pack(
    installed: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    installed(good="pack_good", factory="pack_factory:make_pack")
    monkeypatch.delenv("GRAPHGAN_PLUGINS", raising=False)

    assert sorted(default_registry().packs) == ["factory", "good"]


def test_unknown_kind_suggests_the_nearest() -> None:
    registry = Registry()
    registry.add(Pack(name="p", nodes=(kind_named("nn.Conv2d"), kind_named("nn.Linear"))))

    hint = r"unknown node kind 'nn.Conv2D'; .* \(did you mean 'nn.Conv2d'\?\)"
    with pytest.raises(UnknownNameError, match=hint):
        registry.node("nn.Conv2D")
    with pytest.raises(UnknownNameError, match="run `graphgan nodes` to list the kinds"):
        registry.node("gan.Spectral")
    assert registry.node("nn.Linear").kind == "nn.Linear"


def test_unknown_kind_is_a_key_error_that_reads_as_a_sentence() -> None:
    with pytest.raises(KeyError) as caught:
        Registry().node("nn.Linear")

    assert str(caught.value).startswith("unknown node kind 'nn.Linear';")


def test_registry_lists_kinds_by_category_then_kind() -> None:
    def in_category(kind: str, category: str) -> NodeSpec[Any]:
        return type("Kind", (Identity,), {"kind": kind, "category": category})()

    specs = (in_category("p.B", "b"), in_category("p.Z", "a"), in_category("p.A", "b"))
    registry = Registry()
    registry.add(Pack(name="p", nodes=specs))

    assert [spec.kind for spec in registry] == ["p.Z", "p.A", "p.B"]
