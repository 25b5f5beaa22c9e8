"""Built-in pack `nn`: the layers GAN papers are made of, as node kinds."""

from graphgan.plugin import Pack
from graphgan_nn.activation import LeakyReLU, PReLU, ReLU, Sigmoid, Tanh
from graphgan_nn.conv import Conv2d, ConvTranspose2d
from graphgan_nn.dense import Linear, Maxout
from graphgan_nn.dropout import Dropout
from graphgan_nn.joins import Add, Concat
from graphgan_nn.norm import BatchNorm1d, BatchNorm2d, InstanceNorm2d
from graphgan_nn.resample import PixelShuffle, Upsample
from graphgan_nn.shape import Flatten, Reshape

pack = Pack(
    name="nn",
    description="Dense, convolution, normalisation, activation, shape and joining layers.",
    nodes=(
        Linear(),
        Maxout(),
        Conv2d(),
        ConvTranspose2d(),
        Upsample(),
        PixelShuffle(),
        BatchNorm1d(),
        BatchNorm2d(),
        InstanceNorm2d(),
        Dropout(),
        ReLU(),
        LeakyReLU(),
        PReLU(),
        Tanh(),
        Sigmoid(),
        Flatten(),
        Reshape(),
        Concat(),
        Add(),
    ),
)
