"""Options several layer kinds share."""

from graphgan.plugin import Module


def spectral_norm(layer: Module) -> Module:
    """Wrap a layer in spectral normalisation (Miyato et al. 2018)."""
    return Module("torch.nn.utils.parametrizations.spectral_norm", (layer,))
