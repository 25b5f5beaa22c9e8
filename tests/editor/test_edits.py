from __future__ import annotations

from typing import Any

import pytest

from graphgan.editor import edits
from graphgan.editor.labels import Labeller, parameter_text, value_text
from graphgan.editor.layout import COLUMN, arrange
from graphgan.editor.wiring import refusal
from graphgan.errors import UnknownNameError
from graphgan.graph import Endpoint, Graph, dumps
from graphgan.graph.files import graph_from_data
from graphgan.validation import analyse
from tests.conftest import edges_of, nodes_of


def ids(graph: Graph, network: str = "generator") -> list[str]:
    return [node.id for node in graph.networks[network].nodes]


def wires(graph: Graph, network: str = "generator") -> list[str]:
    return [str(edge) for edge in graph.networks[network].edges]


def test_add_node_takes_the_networks_prefix_and_a_fresh_number(tiny: Graph) -> None:
    graph, first = edits.add_node(tiny, "generator", "nn.Linear", (10.4, 20.6))
    graph, second = edits.add_node(graph, "generator", "nn.Linear", (0, 0))

    assert (first, second) == ("g_linear_1", "g_linear_2")
    node = graph.networks["generator"].nodes[-2]
    assert (node.editor.x, node.editor.y) == (10.0, 21.0)
    assert ids(tiny) == ["g_z", "g_fc1", "g_act", "g_fc2", "g_out"]  # the original is untouched


def test_new_ids_are_snake_case_and_unique_across_networks(tiny: Graph) -> None:
    _, node_id = edits.add_node(tiny, "discriminator", "nn.LeakyReLU", (0, 0))
    assert node_id == "d_leaky_re_lu_1"
    assert node_id not in ids(tiny, "generator")


def test_remove_drops_the_nodes_and_every_wire_touching_them(tiny: Graph) -> None:
    graph = edits.remove(tiny, "generator", ["g_act"])
    assert "g_act" not in ids(graph)
    assert wires(graph) == ["g_z.z -> g_fc1.x", "g_fc2.y -> g_out.x"]


def test_remove_can_cut_single_wires(tiny: Graph) -> None:
    edge = tiny.networks["generator"].edges[0]
    graph = edits.remove(tiny, "generator", [], [edge])
    assert ids(graph) == ids(tiny)
    assert str(edge) not in wires(graph)


def test_connect_replaces_the_wire_feeding_an_input(tiny: Graph) -> None:
    graph = edits.connect(
        tiny, "generator", Endpoint(node="g_fc1", port="y"), Endpoint(node="g_fc2", port="x")
    )
    assert "g_act.y -> g_fc2.x" not in wires(graph)
    assert wires(graph)[-1] == "g_fc1.y -> g_fc2.x"


def rewired(data: dict[str, Any], source: str, target: str) -> Graph:
    """The graph of `data` with `source` ('node.port') wired into `target` by the editor."""
    wire = edits.edge(source, target)
    return edits.connect(graph_from_data(data), "generator", wire.source, wire.target)


def test_connect_keeps_the_wire_of_a_node_left_out(tiny_data: dict[str, Any]) -> None:
    # An alternative to g_fc2 that the variables leave out also feeds g_out.
    tiny_data["variables"]["wide_out"] = {"value": False}
    nodes_of(tiny_data).append(
        {"id": "g_alt", "kind": "nn.Linear", "params": {"out_features": 3}, "when": "=wide_out"}
    )
    edges_of(tiny_data).append({"from": "g_alt.y", "to": "g_out.x"})
    graph = rewired(tiny_data, "g_act.y", "g_out.x")
    assert "g_alt.y -> g_out.x" in wires(graph)
    assert "g_fc2.y -> g_out.x" not in wires(graph)


def test_connect_keeps_a_wire_the_variables_leave_out(tiny_data: dict[str, Any]) -> None:
    edges_of(tiny_data).append({"from": "g_z.z", "to": "g_fc2.x", "when": "=False"})
    graph = rewired(tiny_data, "g_fc1.y", "g_fc2.x")
    assert "g_z.z -> g_fc2.x" in wires(graph)
    assert "g_act.y -> g_fc2.x" not in wires(graph)
    assert [str(e) for e in edits.drawn(graph, "generator").edges].count("g_z.z -> g_fc2.x") == 0


def test_set_param_keeps_the_order_and_none_removes_it(tiny: Graph) -> None:
    graph = edits.set_param(tiny, "generator", "g_fc1", "bias", False)
    graph = edits.set_param(graph, "generator", "g_fc1", "out_features", 12)
    params = graph.networks["generator"].nodes[1].params
    assert list(params.items()) == [("out_features", 12), ("bias", False)]

    graph = edits.set_param(graph, "generator", "g_fc1", "bias", None)
    assert graph.networks["generator"].nodes[1].params == {"out_features": 12}


def test_paste_renames_nodes_and_rewires_only_between_them(tiny: Graph) -> None:
    data = edits.fragment(tiny, "generator", ["g_fc1", "g_act"])
    assert [e["from"] for e in data["edges"]] == ["g_fc1.y"]

    graph, new = edits.paste(tiny, "generator", data)
    assert new == ["g_linear_1", "g_re_lu_1"]
    assert wires(graph)[-1] == "g_linear_1.y -> g_re_lu_1.x"
    pasted = graph.networks["generator"].nodes[-1]
    assert (pasted.editor.x, pasted.editor.y) == edits.PASTE_OFFSET


def test_duplicate_copies_params(tiny: Graph) -> None:
    graph, new = edits.duplicate(tiny, "generator", ["g_fc1"])
    assert graph.networks["generator"].nodes[-1].params == {"out_features": "=width"}
    assert new == ["g_linear_1"]


def test_unknown_network_names_the_known_ones(tiny: Graph) -> None:
    with pytest.raises(UnknownNameError, match="it has: generator, discriminator"):
        edits.add_node(tiny, "critic", "nn.ReLU", (0, 0))


def test_set_variable(tiny: Graph) -> None:
    graph = edits.set_variable(tiny, "width", 16)
    assert graph.variables["width"].value == 16
    with pytest.raises(UnknownNameError, match="unknown variable 'depth'"):
        edits.set_variable(tiny, "depth", 1)


def test_an_edit_and_its_reverse_give_the_same_file(tiny: Graph) -> None:
    graph, node_id = edits.add_node(tiny, "generator", "nn.Tanh", (0, 0))
    assert dumps(edits.remove(graph, "generator", [node_id])) == dumps(tiny)


def test_arrange_puts_each_node_one_column_after_its_input(tiny: Graph) -> None:
    positions = arrange(tiny.networks["generator"])
    assert [positions[n][0] for n in ids(tiny)] == [i * COLUMN for i in range(5)]
    assert {y for _, y in positions.values()} == {0.0}


def test_wiring_refuses_incompatible_kinds_with_the_reason(tiny: Graph) -> None:
    graph = edits.remove(tiny, "discriminator", [], tiny.networks["discriminator"].edges[1:2])
    labels = Labeller().network(analyse(graph), "discriminator")
    net = graph.networks["discriminator"]
    image, dense = Endpoint(node="d_x", port="x"), Endpoint(node="d_fc", port="x")

    reason = refusal(net, labels, image, dense)
    assert reason == (
        "cannot wire d_x.x (image) into d_fc.x (vector): that port takes "
        "vector/text_embedding/code tensors"
    )
    assert refusal(net, labels, Endpoint(node="d_flat", port="y"), dense) is None


def test_wiring_refuses_cycles_and_self_loops(tiny: Graph) -> None:
    labels = Labeller().network(analyse(tiny), "generator")
    net = tiny.networks["generator"]
    back = refusal(net, labels, Endpoint(node="g_fc2", port="y"), Endpoint(node="g_fc1", port="x"))
    assert back == "wiring g_fc2.y into g_fc1.x would make a cycle"
    own = refusal(net, labels, Endpoint(node="g_fc1", port="y"), Endpoint(node="g_fc1", port="x"))
    assert own == "'g_fc1' cannot feed itself"


def test_labels_show_shapes_key_params_and_parameter_counts(tiny: Graph) -> None:
    labels = Labeller().network(analyse(tiny), "generator")
    fc1 = labels["g_fc1"]
    assert fc1.key_params == (("out_features", "8"),)
    assert fc1.parameters == 4 * 8 + 8
    assert fc1.outputs[0].shape == "(N, 8)"
    assert labels["g_z"].parameters is None  # an input has no parameters to count
    assert fc1.severity is None


def test_labels_carry_problems_and_keep_wired_ports(tiny: Graph) -> None:
    graph = edits.set_param(tiny, "generator", "g_fc1", "out_features", 0)
    labels = Labeller().network(analyse(graph), "generator")
    assert labels["g_fc1"].severity is not None
    assert labels["g_fc1"].problems[0].code == "param-invalid"
    assert labels["g_fc1"].inputs[0].name == "x"  # the kind's ports, though its params fail


def test_text_formats() -> None:
    assert value_text([1, 28, 28]) == "1×28×28"
    assert value_text(None) == "-"
    assert value_text(0.5) == "0.5"
    assert parameter_text(2_410_000) == "2.41M params"
    assert parameter_text(20_200) == "20.2k params"
    assert parameter_text(40) == "40 params"
    assert parameter_text(None) == ""


def test_compatible_kinds_look_at_the_other_side() -> None:
    from graphgan.editor.wiring import compatible_kinds
    from graphgan.registry import default_registry
    from graphgan.tensors import TensorKind

    feeds = dict(compatible_kinds(default_registry(), TensorKind.VECTOR, from_output=True))
    assert feeds["nn.Linear"] == "x" and feeds["io.Output"] == "x"
    assert "nn.Conv2d" not in feeds and "io.Noise" not in feeds
    fed_by = dict(compatible_kinds(default_registry(), TensorKind.LABEL, from_output=False))
    assert fed_by["io.ClassLabel"] == "y"
    assert "nn.Linear" not in fed_by


def test_rename_moves_wires_and_training_references() -> None:
    from graphgan.graph.files import graph_from_data
    from tests.training.gan import TINY_GAN

    graph = graph_from_data(TINY_GAN)
    renamed = edits.rename(graph, "generator", "g_image", "g_fake")
    assert "g_fake" in ids(renamed) and "g_image" not in ids(renamed)
    assert "g_shape.y -> g_fake.x" in wires(renamed)
    phase = (renamed.training or {})["phases"][0]
    assert phase["output"] == "g_fake" and phase["adversarial"]["fake"]["d_x"] == "g_fake"
    assert analyse(renamed).valid


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("2fc", "'2fc' is not a node id"),
        ("class", "'class' is not a node id"),
        ("g_act", "the id 'g_act' is taken"),
        ("d_fc", "the id 'd_fc' is taken"),
        ("discriminator", "a network is called 'discriminator'"),
    ],
)
def test_rename_refuses_bad_ids(tiny: Graph, new: str, message: str) -> None:
    with pytest.raises(edits.EditError, match=message):
        edits.rename(tiny, "generator", "g_fc1", new)


def test_align_and_distribute(tiny: Graph) -> None:
    from graphgan.editor.layout import align, distribute

    graph = edits.move(
        tiny,
        "generator",
        {"g_z": (0, 40), "g_fc1": (100, 10), "g_act": (500, 90), "g_fc2": (90, 0)},
    )
    net = graph.networks["generator"]
    chosen = ["g_z", "g_fc1", "g_act"]
    assert align(net, chosen, "left") == {"g_z": (0, 40), "g_fc1": (0, 10), "g_act": (0, 90)}
    assert align(net, chosen, "top") == {"g_z": (0, 10), "g_fc1": (100, 10), "g_act": (500, 10)}
    spaced = distribute(net, [*chosen, "g_fc2"], "x")
    assert sorted(x for x, _ in spaced.values()) == [0, 500 / 3, 1000 / 3, 500]
