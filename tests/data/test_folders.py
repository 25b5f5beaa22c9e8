"""The folder loaders: folder, classes, pairs and captions, on tiny images made here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from graphgan.plugin import DataOptions
from graphgan_data.errors import DataLayoutError, DataOptionError, DataRootError, ImageFileError
from graphgan_data.folders import CaptionsDataset, ClassesDataset, FolderDataset, PairsDataset
from tests.data.conftest import check_image, same_items, write_array, write_image

RED, BLUE = (255, 0, 0), (0, 0, 255)


def rgb_of(tensor: torch.Tensor) -> tuple[int, ...]:
    """The colour of a flat (3, H, W) tensor in [-1, 1], as 0..255 integers."""
    return tuple(int(v) for v in np.rint((tensor[:, 0, 0].numpy() + 1) * 127.5))


# folder


def test_folder_finds_images_in_sub_folders_in_every_format(tmp_path: Path) -> None:
    for index, suffix in enumerate([".png", ".jpg", ".jpeg", ".bmp", ".webp", ".PNG"]):
        write_image(tmp_path / f"d{index % 2}" / f"i{index}{suffix}", (10, 20, 30))
    (tmp_path / "notes.txt").write_text("not an image")
    dataset = FolderDataset(DataOptions(root=tmp_path))

    assert len(dataset) == 6
    item = dataset[0]
    assert set(item) == {"image"}
    check_image(item["image"], 3, (6, 8))


def test_folder_resizes_crops_and_converts_channels(tmp_path: Path) -> None:
    write_image(tmp_path / "wide.png", (200, 100, 50), size=(20, 10))
    write_image(tmp_path / "grey.png", (90,), size=(10, 30))
    dataset = FolderDataset(DataOptions(root=tmp_path, image_size=8, channels=1))

    for index in range(2):
        check_image(dataset[index]["image"], 1, 8)


def test_palette_image_with_transparency_reads_without_warning(tmp_path: Path) -> None:
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] * 128)
    # Per-entry alpha stored as bytes: converting this straight to RGB makes Pillow warn.
    image.save(tmp_path / "palette.png", transparency=bytes([0, 128] + [255] * 254))
    item = FolderDataset(DataOptions(root=tmp_path))[0]

    check_image(item["image"], 3, 4)
    assert rgb_of(item["image"]) == RED


def test_load_size_takes_a_random_crop_that_repeats_with_the_seed(tmp_path: Path) -> None:
    pattern = np.random.default_rng(0).integers(0, 255, (16, 16, 3), dtype=np.uint8)
    write_array(tmp_path / "noise.png", pattern)
    options = DataOptions(root=tmp_path, image_size=8, extra={"load_size": 12})
    crops = [FolderDataset(options) for _ in range(2)]
    check_image(crops[0][0]["image"], 3, 8)
    assert same_items(crops[0][0], crops[1][0])

    moved = []
    for epoch in range(8):
        crops[0].set_epoch(epoch)
        moved.append(crops[0][0]["image"])
    assert any(not torch.equal(moved[0], other) for other in moved[1:])


def test_load_size_without_image_size_is_refused(tmp_path: Path) -> None:
    write_image(tmp_path / "a.png", RED)
    with pytest.raises(DataOptionError, match="load_size needs image_size"):
        FolderDataset(DataOptions(root=tmp_path, extra={"load_size": 12}))


def test_mixed_sizes_without_image_size_name_both_files(tmp_path: Path) -> None:
    write_image(tmp_path / "a.png", RED, size=(8, 8))
    write_image(tmp_path / "b.png", RED, size=(9, 8))
    dataset = FolderDataset(DataOptions(root=tmp_path))

    with pytest.raises(DataLayoutError, match=r"b.png is 9x8 but .*a.png is 8x8; set image_size"):
        dataset[1]


def test_missing_root_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataRootError, match=f"data root {tmp_path / 'nowhere'} does not exist"):
        FolderDataset(DataOptions(root=tmp_path / "nowhere"))


def test_no_root_says_how_to_give_one() -> None:
    with pytest.raises(DataRootError, match="'classes' reads a folder but no root was given"):
        ClassesDataset(DataOptions())


def test_empty_folder_is_named_with_the_expected_layout(tmp_path: Path) -> None:
    with pytest.raises(
        DataLayoutError, match=f"no images in {tmp_path} .*; expected images anywhere under"
    ):
        FolderDataset(DataOptions(root=tmp_path))


def test_corrupt_image_is_named(tmp_path: Path) -> None:
    write_image(tmp_path / "a_good.png", RED)
    (tmp_path / "b_broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    dataset = FolderDataset(DataOptions(root=tmp_path, image_size=4))

    with pytest.raises(ImageFileError, match=r"cannot read image file .*b_broken.png: .*replace"):
        dataset[1]


def test_test_split_reads_the_val_folder_and_never_falls_back(tmp_path: Path) -> None:
    write_image(tmp_path / "train" / "a.png", RED)
    write_image(tmp_path / "val" / "b.png", BLUE)
    test = FolderDataset(DataOptions(root=tmp_path, split="test"))
    train = FolderDataset(DataOptions(root=tmp_path / "train"))

    assert rgb_of(test[0]["image"]) == BLUE and len(test) == 1
    with pytest.raises(DataLayoutError, match="has no test/ or val/ folder for the test split"):
        FolderDataset(DataOptions(root=tmp_path / "train", split="test"))
    assert rgb_of(train[0]["image"]) == RED


# classes


def test_classes_number_sorted_folders(tmp_path: Path) -> None:
    write_image(tmp_path / "dog" / "1.png", BLUE)
    write_image(tmp_path / "cat" / "1.png", RED)
    write_image(tmp_path / "cat" / "deeper" / "2.png", RED)
    dataset = ClassesDataset(DataOptions(root=tmp_path))

    assert dataset.classes == ("cat", "dog")
    labels = [int(dataset[i]["label"]) for i in range(len(dataset))]
    colours = [rgb_of(dataset[i]["image"]) for i in range(len(dataset))]
    assert labels == [0, 0, 1] and colours == [RED, RED, BLUE]
    assert dataset[0]["label"].dtype == torch.int64


def test_empty_class_folder_is_named(tmp_path: Path) -> None:
    write_image(tmp_path / "cat" / "1.png", RED)
    (tmp_path / "dog").mkdir()
    with pytest.raises(DataLayoutError, match=f"no images in {tmp_path / 'dog'} .*one sub-folder"):
        ClassesDataset(DataOptions(root=tmp_path))


# pairs


def side_by_side(path: Path, left: tuple[int, ...], right: tuple[int, ...]) -> None:
    array = np.zeros((6, 12, 3), dtype=np.uint8)
    array[:, :6], array[:, 6:] = left, right
    array[0, 0] = (0, 255, 0)  # a corner mark, to see mirroring
    write_array(path, array)


def test_side_by_side_pairs_split_at_half_width(tmp_path: Path) -> None:
    side_by_side(tmp_path / "p.png", RED, BLUE)
    item = PairsDataset(DataOptions(root=tmp_path))[0]

    assert set(item) == {"condition", "image"}
    check_image(item["condition"], 3, 6)
    assert rgb_of(item["condition"][:, 1:]) == RED and rgb_of(item["image"]) == BLUE


def test_direction_b_to_a_swaps_the_halves(tmp_path: Path) -> None:
    side_by_side(tmp_path / "p.png", RED, BLUE)
    item = PairsDataset(DataOptions(root=tmp_path, extra={"direction": "BtoA"}))[0]

    assert rgb_of(item["condition"]) == BLUE and rgb_of(item["image"][:, 1:]) == RED


def test_pair_halves_are_cropped_and_mirrored_alike(tmp_path: Path) -> None:
    pattern = np.random.default_rng(1).integers(0, 255, (10, 10, 3), dtype=np.uint8)
    write_array(tmp_path / "p.png", np.concatenate([pattern, pattern], axis=1))
    options = DataOptions(root=tmp_path, image_size=6, flip=True, extra={"load_size": 8})
    dataset = PairsDataset(options)

    for epoch in range(6):
        dataset.set_epoch(epoch)
        item = dataset[0]
        assert torch.equal(item["condition"], item["image"])


def test_odd_width_side_by_side_file_is_named(tmp_path: Path) -> None:
    write_image(tmp_path / "odd.png", RED, size=(7, 4))
    with pytest.raises(DataLayoutError, match=r"odd\.png is 7x4, an odd width"):
        PairsDataset(DataOptions(root=tmp_path))


def test_two_folder_pairs_match_by_name(tmp_path: Path) -> None:
    write_image(tmp_path / "A" / "x.png", RED)
    write_image(tmp_path / "B" / "x.jpg", BLUE)
    write_image(tmp_path / "A" / "y.png", BLUE)
    write_image(tmp_path / "B" / "y.png", RED)
    dataset = PairsDataset(DataOptions(root=tmp_path))

    assert len(dataset) == 2
    assert rgb_of(dataset[1]["condition"]) == BLUE and rgb_of(dataset[1]["image"]) == RED


def test_unpaired_files_are_named(tmp_path: Path) -> None:
    write_image(tmp_path / "A" / "x.png", RED)
    write_image(tmp_path / "B" / "x.png", RED)
    write_image(tmp_path / "B" / "lonely.png", RED)
    with pytest.raises(DataLayoutError, match=r"1 files .* no partner .*\(B/lonely.png\)"):
        PairsDataset(DataOptions(root=tmp_path))


# captions


def test_captions_pick_one_line_per_item_and_repeat_with_the_seed(tmp_path: Path) -> None:
    write_image(tmp_path / "a.png", RED)
    (tmp_path / "a.txt").write_text("a red square\n\n  a crimson block  \n", encoding="utf-8")
    write_image(tmp_path / "sub" / "b.png", BLUE)
    (tmp_path / "sub" / "b.txt").write_text("blue", encoding="utf-8")
    first = CaptionsDataset(DataOptions(root=tmp_path, seed=4))
    second = CaptionsDataset(DataOptions(root=tmp_path, seed=4))

    assert set(first[0]) == {"image", "caption", "tokens"}
    assert first[0]["caption"] in {"a red square", "a crimson block"}
    assert first[1]["caption"] == "blue"
    assert same_items(first[0], second[0])
    seen = set()
    for epoch in range(12):
        first.set_epoch(epoch)
        seen.add(first[0]["caption"])
    assert seen == {"a red square", "a crimson block"}


def test_caption_tokens_number_the_folders_words(tmp_path: Path) -> None:
    write_image(tmp_path / "a.png", RED)
    (tmp_path / "a.txt").write_text("A red square\na crimson block", encoding="utf-8")
    write_image(tmp_path / "b.png", BLUE)
    (tmp_path / "b.txt").write_text("blue", encoding="utf-8")
    dataset = CaptionsDataset(DataOptions(root=tmp_path))

    tokenizer = dataset.tokenizer
    assert tokenizer.words == ("a", "block", "blue", "crimson", "red", "square")
    assert tokenizer.length == 3  # the longest caption
    for index in range(len(dataset)):
        item = dataset[index]
        assert item["tokens"].shape == (3,)
        assert tokenizer.decode(item["tokens"]) == item["caption"].lower()


def test_image_without_caption_file_is_named(tmp_path: Path) -> None:
    write_image(tmp_path / "a.png", RED)
    (tmp_path / "a.txt").write_text("red", encoding="utf-8")
    write_image(tmp_path / "b.png", RED)
    with pytest.raises(DataLayoutError, match=r"1 of 2 images .* no caption file \(b.png\)"):
        CaptionsDataset(DataOptions(root=tmp_path))


def test_empty_caption_file_is_named(tmp_path: Path) -> None:
    write_image(tmp_path / "a.png", RED)
    (tmp_path / "a.txt").write_text("\n  \n", encoding="utf-8")
    with pytest.raises(DataLayoutError, match=r"caption file .*a.txt is empty"):
        CaptionsDataset(DataOptions(root=tmp_path))
