"""Built-in pack `data`: embedded datasets (digits, photos, procedural shapes) and
loaders for common folder layouts, with `auto` picking the loader a folder's layout fits."""

from graphgan.plugin import Pack
from graphgan_data.captions import SHAPES_CAPTIONS
from graphgan_data.digits import DIGITS, MNIST
from graphgan_data.folders import CAPTIONS, CLASSES, FOLDER, PAIRS
from graphgan_data.labelmaps import SHAPES_PIX2PIX
from graphgan_data.photos import PHOTOS_SR
from graphgan_data.resolve import AUTO_LOADER
from graphgan_data.superres import FOLDER_SR

__all__ = ["pack"]

pack = Pack(
    name="data",
    description="Embedded datasets and folder loaders.",
    datasets=(
        MNIST,
        DIGITS,
        PHOTOS_SR,
        SHAPES_PIX2PIX,
        SHAPES_CAPTIONS,
        FOLDER,
        CLASSES,
        PAIRS,
        CAPTIONS,
        FOLDER_SR,
        AUTO_LOADER,
    ),
)
