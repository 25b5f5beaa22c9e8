"""Built-in pack `gan`: nodes that condition a GAN on labels, codes and text."""

from graphgan.plugin import Pack
from graphgan_gan.broadcast import Broadcast
from graphgan_gan.conditioning import ConditioningAugmentation
from graphgan_gan.labels import LabelEmbedding, OneHot
from graphgan_gan.text import TextEncoder

pack = Pack(
    name="gan",
    description=(
        "Conditioning: one-hot and embedded labels, tiled vectors, a text encoder, text "
        "augmentation."
    ),
    nodes=(OneHot(), LabelEmbedding(), Broadcast(), TextEncoder(), ConditioningAugmentation()),
)
