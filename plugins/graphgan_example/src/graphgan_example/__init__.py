"""Example plugin pack `example`: a template for third-party graphgan packs.

graphgan finds `pack` through this package's entry point in the group `graphgan.plugins`.
"""

from graphgan.plugin import Pack

from graphgan_example.losses import TOTAL_VARIATION
from graphgan_example.nodes import MinibatchStdDev, Swish
from graphgan_example.recipes import LAZY_R1

__all__ = ["pack"]

pack = Pack(
    name="example",
    description=(
        "Minibatch standard deviation, Swish, a total-variation loss and a lazy-R1 recipe: an "
        "example of a third-party pack."
    ),
    nodes=(MinibatchStdDev(), Swish()),
    loss_terms=(TOTAL_VARIATION,),
    recipes=(LAZY_R1,),
)
