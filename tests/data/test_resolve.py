"""Resolving `--data` text over the data pack: names, LOADER:PATH, bare paths whose layout
the `auto` loader detects, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from torch.utils.data import default_collate

from graphgan.errors import UnknownNameError
from graphgan.plugin import DataOptions, Pack
from graphgan.registry import Registry
from graphgan.training.data import DataError, open_dataset
from graphgan_data import pack
from graphgan_data.errors import DataLayoutError, DataRootError
from graphgan_data.resolve import AUTO_LOADER, LOADERS, detect_layout, load_auto
from tests.data.conftest import write_image

REGISTRY = Registry()
REGISTRY.add(pack)
RED = (255, 0, 0)


def write_files(root: Path, names: list[str]) -> None:
    for name in names:
        if name.endswith(".txt"):
            (root / name).write_text("a caption", encoding="utf-8")
        else:
            write_image(root / name, RED)


def test_the_pack_declares_the_built_in_datasets() -> None:
    assert [spec.name for spec in pack.datasets] == [
        "mnist",
        "digits",
        "photos-sr",
        "shapes-pix2pix",
        "shapes-captions",
        "folder",
        "classes",
        "pairs",
        "captions",
        "sr",
        "auto",
    ]
    folder_loaders = {s.name for s in pack.datasets if s.needs_root}
    assert folder_loaders == {"folder", "classes", "pairs", "captions", "sr", "auto"}


def test_auto_declares_every_field_a_folder_loader_can_give() -> None:
    given = {field for spec in LOADERS.values() for field in spec.fields}

    assert set(AUTO_LOADER.fields) == given
    assert AUTO_LOADER.needs_root


@pytest.mark.parametrize("name", ["digits", "photos-sr", "shapes-pix2pix", "shapes-captions"])
def test_an_embedded_name_opens_a_dataset_whose_items_have_the_declared_fields(
    name: str,
) -> None:
    spec, dataset = open_dataset(name, DataOptions(extra={}), REGISTRY)

    assert spec.name == name
    assert tuple(dataset[0]) == spec.fields
    batch = default_collate([dataset[0], dataset[1]])
    assert all(len(batch[field]) == 2 for field in spec.fields)


def test_names_are_looked_up_in_the_installed_registry_by_default() -> None:
    spec, dataset = open_dataset("digits", DataOptions(split="test"))

    assert spec.name == "digits" and len(dataset) == 185


def test_loader_and_path_open_that_loader_on_that_root(tmp_path: Path) -> None:
    write_image(tmp_path / "p.png", RED, size=(8, 4))
    spec, dataset = open_dataset(f"pairs:{tmp_path}", DataOptions(), REGISTRY)

    assert spec.name == "pairs" and dataset.root == tmp_path
    assert tuple(dataset[0]) == spec.fields


@pytest.mark.parametrize(
    ("files", "layout"),
    [
        (["A/x.png", "B/x.png"], "pairs"),
        (["a.png", "a.txt"], "captions"),
        (["cat/a.png", "dog/b.png"], "classes"),
        (["a.png", "more/b.png"], "folder"),
        (["train/cat/a.png", "val/cat/b.png"], "classes"),
    ],
)
def test_a_bare_path_opens_the_loader_its_layout_fits(
    tmp_path: Path, files: list[str], layout: str
) -> None:
    write_files(tmp_path, files)
    spec, dataset = open_dataset(str(tmp_path), DataOptions(), REGISTRY)

    assert spec.name == "auto"
    assert detect_layout(tmp_path) == dataset.name == layout
    assert tuple(dataset[0]) == LOADERS[layout].fields


def test_auto_with_a_path_is_the_same_as_the_bare_path(tmp_path: Path) -> None:
    write_files(tmp_path, ["cat/a.png", "dog/b.png"])
    spec, dataset = open_dataset(f"auto:{tmp_path}", DataOptions(), REGISTRY)

    assert spec.name == "auto" and dataset.classes == ("cat", "dog")


def test_unknown_name_lists_the_known_ones_and_suggests_the_nearest() -> None:
    with pytest.raises(
        UnknownNameError,
        match=r"no dataset or folder 'mnsit'; did you mean 'mnist'\? embedded datasets: digits, "
        r"mnist, photos-sr, shapes-captions, shapes-pix2pix; folder loaders \(as LOADER:PATH\): "
        r"auto, captions, classes, folder, pairs, sr$",
    ):
        open_dataset("mnsit", DataOptions(), REGISTRY)


def test_a_misspelt_loader_is_suggested_from_the_text_before_the_colon(tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError, match=r"did you mean 'pairs'\?"):
        open_dataset(f"pair:{tmp_path}", DataOptions(), REGISTRY)


def test_missing_path_is_named_not_replaced(tmp_path: Path) -> None:
    missing = tmp_path / "facades"
    with pytest.raises(UnknownNameError, match=f"no dataset or folder '{missing}'; embedded"):
        open_dataset(str(missing), DataOptions(), REGISTRY)
    with pytest.raises(DataRootError, match=f"'pairs': data root {missing} does not exist"):
        open_dataset(f"pairs:{missing}", DataOptions(), REGISTRY)
    with pytest.raises(DataRootError, match=f"'auto': data root {missing} does not exist"):
        open_dataset(f"auto:{missing}", DataOptions(), REGISTRY)


def test_a_file_is_not_taken_for_a_folder(tmp_path: Path) -> None:
    image = write_image(tmp_path / "a.png", RED)
    with pytest.raises(UnknownNameError, match=f"'{image}'; {image} is a file, not a folder"):
        open_dataset(str(image), DataOptions(), REGISTRY)
    with pytest.raises(DataRootError, match=f"'auto': data root {image} is a file, not a folder"):
        open_dataset(f"auto:{image}", DataOptions(), REGISTRY)


def test_auto_without_a_root_says_how_to_give_one() -> None:
    with pytest.raises(DataRootError, match=r"'auto' reads a folder but no root was given"):
        load_auto(DataOptions())
    with pytest.raises(DataError, match=r"dataset 'auto' reads a folder; pass --data auto:PATH"):
        open_dataset("auto", DataOptions(), REGISTRY)


def test_auto_names_itself_when_the_test_split_is_missing(tmp_path: Path) -> None:
    write_files(tmp_path, ["a.png"])
    with pytest.raises(DataLayoutError, match=r"'auto': .* has no test/ or val/ folder"):
        open_dataset(str(tmp_path), DataOptions(split="test"), REGISTRY)


def test_embedded_dataset_with_a_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="'mnist' is embedded and reads no folder; pass --data"):
        open_dataset(f"mnist:{tmp_path}", DataOptions(), REGISTRY)
    with pytest.raises(DataError, match=r"root .* was given; leave the root unset"):
        open_dataset("digits", DataOptions(root=tmp_path), REGISTRY)


def test_a_folder_without_an_auto_loader_asks_for_a_loader(tmp_path: Path) -> None:
    registry = Registry()
    registry.add(Pack(name="data", datasets=tuple(LOADERS.values())))
    with pytest.raises(DataError, match=r"no dataset 'auto' is installed .* LOADER:PATH"):
        open_dataset(str(tmp_path), DataOptions(), registry)
