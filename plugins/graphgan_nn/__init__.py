"""Built-in pack `nn`: the layers GAN papers are made of, as node kinds."""

from graphgan.plugin import Pack
from graphgan_nn.dense import Linear
from graphgan_nn.joins import Concat

pack = Pack(
    name="nn",
    description="Dense, convolution, normalisation, activation and tensor-joining layers.",
    nodes=(Linear(), Concat()),
)
