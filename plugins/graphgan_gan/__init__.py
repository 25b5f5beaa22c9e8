"""Built-in pack `gan`: nodes that condition a GAN on labels, codes and text."""

from graphgan.plugin import Pack
from graphgan_gan.broadcast import Broadcast
from graphgan_gan.conditioning import ConditioningAugmentation
from graphgan_gan.labels import LabelEmbedding, OneHot
from graphgan_gan.text import BagOfWords, TextEncoder

pack = Pack(
    name="gan",
    description=(
        "Conditioning: one-hot and embedded labels, tiled vectors, text encoders (trained or "
        "fixed), text augmentation."
    ),
    nodes=(
        OneHot(),
        LabelEmbedding(),
        Broadcast(),
        TextEncoder(),
        BagOfWords(),
        ConditioningAugmentation(),
    ),
)
