"""Example plugin pack `example`: a template for third-party graphgan packs.

graphgan finds `pack` through this package's entry point in the group `graphgan.plugins`.
"""

from graphgan.plugin import Pack

from graphgan_example.nodes import MinibatchStdDev, Swish

__all__ = ["pack"]

pack = Pack(
    name="example",
    description="Minibatch standard deviation and Swish: an example of a third-party pack.",
    nodes=(MinibatchStdDev(), Swish()),
)
