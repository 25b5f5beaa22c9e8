"""Built-in pack `data`: embedded datasets and loaders for common folder layouts."""

from graphgan.plugin import Pack

pack = Pack(name="data", description="Embedded datasets and folder loaders.")
