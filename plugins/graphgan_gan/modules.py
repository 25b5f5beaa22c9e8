"""Small layers for conditioning a GAN, used by the `gan` pack's node kinds.

Each class imports only torch, so code export can copy this file verbatim into a project.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812 - the name every torch reader expects
from torch import nn


class OneHot(nn.Module):
    """Class indices to one-hot float vectors."""

    def __init__(self, n_classes: int) -> None:
        super().__init__()
        self.n_classes = n_classes

    def forward(self, labels: torch.Tensor) -> torch.Tensor:
        # (N,) int64 -> (N, n_classes) float
        return F.one_hot(labels, self.n_classes).float()

    def extra_repr(self) -> str:
        return f"n_classes={self.n_classes}"


class Broadcast(nn.Module):
    """Tile a vector over every pixel of a height x width grid.

    When `like` is given, the grid takes its size; otherwise the size set at construction.
    """

    def __init__(self, height: int, width: int) -> None:
        super().__init__()
        self.height = height
        self.width = width

    def forward(self, x: torch.Tensor, like: torch.Tensor | None = None) -> torch.Tensor:
        height, width = (self.height, self.width) if like is None else like.shape[2:]
        # (N, D) -> (N, D, 1, 1) -> (N, D, H, W); expand makes a view, not copies.
        return x[:, :, None, None].expand(-1, -1, height, width)

    def extra_repr(self) -> str:
        return f"height={self.height}, width={self.width}"


class ConditioningAugmentation(nn.Module):
    """StackGAN's conditioning augmentation (Zhang et al. 2017).

    A linear map of the text embedding gives the mean and log-variance of a Gaussian; the
    condition is one sample from it, drawn with the reparameterisation trick so gradients
    reach both. It samples in eval mode too. Returns (c, mu, logvar); the training recipe
    adds the KL divergence from N(0, I), computed from mu and logvar, to the generator loss.
    """

    def __init__(self, in_features: int, dim: int, activation: str = "relu") -> None:
        super().__init__()
        self.fc = nn.Linear(in_features, 2 * dim)
        # The PyTorch reference applies ReLU here, the TensorFlow one leaky ReLU (0.2).
        self.activation = nn.ReLU() if activation == "relu" else nn.LeakyReLU(0.2)

    def forward(self, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        # (N, T) -> (N, 2*dim) -> mu (N, dim), logvar (N, dim)
        mu, logvar = self.activation(self.fc(t)).chunk(2, dim=1)
        std = torch.exp(0.5 * logvar)
        c = mu + std * torch.randn_like(std)
        return c, mu, logvar


class TextEncoder(nn.Module):
    """Captions as token ids to one vector each: learned word vectors, a bidirectional GRU over
    the words, and the mean of its states over the words that are not padding (id 0).

    The GRU reads each caption's words only (packed sequences), so the amount of padding after
    them changes nothing. Small enough to train with the GAN itself: text-to-image graphs need
    no pretrained model.
    """

    def __init__(self, vocabulary: int, words: int, dim: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocabulary, words, padding_idx=0)
        self.rnn = nn.GRU(words, dim // 2, batch_first=True, bidirectional=True)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        lengths = (tokens != 0).sum(dim=1)  # (N,) words per caption
        packed = nn.utils.rnn.pack_padded_sequence(
            self.embed(tokens),  # (N, L) -> (N, L, words)
            lengths.clamp(min=1).cpu(),
            batch_first=True,
            enforce_sorted=False,
        )
        states, _ = self.rnn(packed)
        padded, _ = nn.utils.rnn.pad_packed_sequence(
            states, batch_first=True, total_length=tokens.shape[1]
        )  # (N, L, dim), zeros after each caption's words
        mean = padded.sum(dim=1) / lengths.clamp(min=1).unsqueeze(1)  # (N, dim)
        return mean * (lengths > 0).unsqueeze(1)  # a caption of padding alone encodes to zeros


class BagOfWords(nn.Module):
    """Captions as token ids to one vector each: the caption's word counts times a fixed random
    Gaussian matrix, scaled by one over the square root of the word count.

    Never trained: the matrix is a buffer drawn from `seed`, so the same seed gives the same
    encoder in every process and in exported code. It stands in for a fixed pretrained encoder
    (StackGAN's char-CNN-RNN): it knows nothing of meaning, but distinct captions map to
    distinct vectors of unit scale, so the networks reading it learn what the words mean.
    """

    projection: torch.Tensor

    def __init__(self, vocabulary: int, dim: int, seed: int = 0) -> None:
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        projection = torch.randn(vocabulary, dim, generator=generator)
        projection[0] = 0.0  # padding (id 0) adds nothing
        self.register_buffer("projection", projection)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        vocabulary = self.projection.shape[0]
        if tokens.numel() and int(tokens.max()) >= vocabulary:
            raise ValueError(
                f"token id {int(tokens.max())} is outside this encoder's vocabulary of "
                f"{vocabulary} ids; set vocabulary to the tokenizer's size"
            )
        counts = torch.zeros(tokens.shape[0], vocabulary, device=tokens.device)
        counts.scatter_add_(1, tokens, torch.ones_like(tokens, dtype=counts.dtype))
        counts[:, 0] = 0.0  # (N, vocabulary) word counts, padding dropped
        words = counts.sum(dim=1, keepdim=True).clamp(min=1.0)  # (N, 1)
        # (N, vocabulary) @ (vocabulary, dim) -> (N, dim); distinct words add as independent
        # unit Gaussians, so dividing by sqrt(words) keeps each value at unit variance.
        return counts @ self.projection / words.sqrt()

    def extra_repr(self) -> str:
        vocabulary, dim = self.projection.shape
        return f"vocabulary={vocabulary}, dim={dim}"
