"""The `gan` pack's node kinds: conditioning augmentation, broadcast, labels to vectors."""

from __future__ import annotations

import re
from typing import Any

import pytest
import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name

from graphgan.compiler import compile_network
from graphgan.errors import GraphInvalidError
from graphgan.tensors import TensorKind, TensorSpec, flat, labels, spatial, tokens
from tests.plugins.conftest import NETWORK, NODE, single_node_graph

TEXT = flat(16, TensorKind.TEXT_EMBEDDING)


@pytest.mark.parametrize(
    ("params", "inputs", "text"),
    [
        (
            {},
            {"x": flat(4)},
            "port 'like': no grid size to tile to; connect a feature map to 'like', or set "
            "both height and width",
        ),
        (
            {"height": 4},
            {"x": flat(4)},
            "no grid size to tile to",
        ),
        (
            {"height": 4},
            {"x": flat(4), "like": spatial(4, 5, 5)},
            "height=4 contradicts 'like', which is (N, 4, 5, 5) (from 'in_like.x'); set "
            "height=5 or leave it unset to follow 'like'",
        ),
    ],
)
def test_broadcast_needs_a_size(
    params: dict[str, Any], inputs: dict[str, TensorSpec], text: str
) -> None:
    with pytest.raises(GraphInvalidError, match=re.escape(text)):
        compile_network(single_node_graph("gan.Broadcast", params, inputs), NETWORK)


def test_broadcast_tiles_each_vector_over_the_grid_of_like() -> None:
    inputs = {"x": flat(4), "like": spatial(2, 5, 3)}
    module = compile_network(single_node_graph("gan.Broadcast", {}, inputs), NETWORK)
    x = torch.randn(3, 4)

    y = module(in_x=x, in_like=torch.randn(3, 2, 5, 3))
    assert y.shape == (3, 4, 5, 3)
    assert torch.equal(y[:, :, 4, 2], x)
    assert torch.equal(y.amin(dim=(2, 3)), y.amax(dim=(2, 3)))  # constant over the grid


def test_one_hot_rows_mark_each_label() -> None:
    graph = single_node_graph("gan.OneHot", {"n_classes": 10}, {"x": labels()})
    y = compile_network(graph, NETWORK)(in_x=torch.tensor([3, 0, 9]))
    assert y.dtype == torch.float32
    assert torch.equal(y, torch.eye(10)[[3, 0, 9]])


def test_conditioning_augmentation_in_features_must_match() -> None:
    graph = single_node_graph("gan.ConditioningAugmentation", {"in_features": 8}, {"t": TEXT})
    text = "expected 8 input features, got 16 (from 'in_t.t'); set in_features=16"
    with pytest.raises(GraphInvalidError, match=re.escape(text)):
        compile_network(graph, NETWORK)


def compiled_augmentation(**params: Any) -> torch.nn.Module:
    torch.manual_seed(0)
    graph = single_node_graph("gan.ConditioningAugmentation", params, {"t": TEXT})
    return compile_network(graph, NETWORK)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_conditioning_augmentation_splits_one_linear_map(activation: str) -> None:
    module = compiled_augmentation(dim=4, activation=activation)
    t = torch.randn(5, 16)

    outputs = module(in_t=t)
    fc = module.get_submodule(f"{NODE}.fc")
    h = F.relu(fc(t)) if activation == "relu" else F.leaky_relu(fc(t), 0.2)
    torch.testing.assert_close(outputs["out_mu"], h[:, :4])
    torch.testing.assert_close(outputs["out_logvar"], h[:, 4:])


def test_conditioning_augmentation_samples_by_reparameterisation() -> None:
    module = compiled_augmentation(dim=8).eval()  # it samples in eval mode too
    t = torch.randn(1, 16).expand(4000, 16)

    torch.manual_seed(1)
    outputs = module(in_t=t)
    c, mu, logvar = outputs["out_c"], outputs["out_mu"], outputs["out_logvar"]
    eps = (c - mu) / torch.exp(logvar / 2)  # the standard normal noise, recovered
    assert abs(eps.mean().item()) < 0.02
    assert abs(eps.std().item() - 1) < 0.02
    assert not torch.equal(c, module(in_t=t)["out_c"])  # fresh noise on every call


def test_conditioning_augmentation_passes_gradients_to_mu_and_logvar() -> None:
    module = compiled_augmentation(dim=4, activation="leaky_relu")
    module(in_t=torch.randn(6, 16))["out_c"].sum().backward()
    grad = module.get_submodule(f"{NODE}.fc").get_parameter("weight").grad
    assert grad is not None
    assert grad[:4].abs().sum() > 0  # mu's rows
    assert grad[4:].abs().sum() > 0  # logvar's rows


def test_text_encoder_ignores_padding_and_reads_word_order() -> None:
    from graphgan_gan.modules import TextEncoder

    torch.manual_seed(0)
    encoder = TextEncoder(vocabulary=10, words=4, dim=6).eval()
    short = torch.tensor([[3, 5, 0, 0]])
    longer = torch.tensor([[3, 5, 0, 0, 0, 0]])
    swapped = torch.tensor([[5, 3, 0, 0]])

    with torch.no_grad():
        assert torch.allclose(encoder(short), encoder(longer), atol=1e-6)
        assert not torch.allclose(encoder(short), encoder(swapped))
        assert torch.equal(encoder(torch.zeros(1, 4, dtype=torch.long)), torch.zeros(1, 6))


def test_bag_of_words_counts_words_and_ignores_padding_and_order() -> None:
    from graphgan_gan.modules import BagOfWords

    encoder = BagOfWords(vocabulary=10, dim=6, seed=3)
    short = torch.tensor([[3, 5, 0, 0]])
    with torch.no_grad():
        assert torch.allclose(encoder(short), encoder(torch.tensor([[5, 3, 0, 0, 0, 0]])))
        assert not torch.allclose(encoder(short), encoder(torch.tensor([[3, 6, 0, 0]])))
        assert torch.equal(encoder(torch.zeros(1, 4, dtype=torch.long)), torch.zeros(1, 6))
        one_word = encoder(torch.tensor([[3, 0]]))
    assert torch.allclose(one_word[0], encoder.projection[3])


def test_bag_of_words_is_fixed_by_its_seed_and_has_nothing_to_train() -> None:
    from graphgan_gan.modules import BagOfWords

    first, again, other = BagOfWords(10, 6, seed=1), BagOfWords(10, 6, seed=1), BagOfWords(10, 6)
    assert torch.equal(first.projection, again.projection)
    assert not torch.equal(first.projection, other.projection)
    assert list(first.parameters()) == []
    assert "projection" in first.state_dict()  # checkpoints and exports carry the matrix


def test_bag_of_words_node_builds_its_seeded_projection() -> None:
    from graphgan_gan.modules import BagOfWords

    params = {"vocabulary": 20, "dim": 8, "seed": 5}
    graph = single_node_graph("gan.BagOfWords", params, {"t": tokens(4)})
    encoder = compile_network(graph, NETWORK)
    assert torch.equal(getattr(encoder, NODE).projection, BagOfWords(20, 8, seed=5).projection)


def test_bag_of_words_names_a_token_outside_its_vocabulary() -> None:
    from graphgan_gan.modules import BagOfWords

    with pytest.raises(ValueError, match="token id 12 is outside this encoder's vocabulary of 10"):
        BagOfWords(10, 4)(torch.tensor([[3, 12, 0]]))
