"""The exported train.py's data: per-epoch mirror images and SR crops drawn as graphgan's
data pack draws them, and folders of pairs and of HR photos read as its loaders read them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from graphgan.export import ExportError, ExportOptions, export_project
from graphgan.graph import Graph
from graphgan.graph.variables import configure
from graphgan.templates import open_document
from graphgan.training.loop import TrainOptions, train
from tests.export.test_training import TIMINGS, read_metrics, run_exported, small_cgan

SEED = 3
STEPS = 3
# pix2pix and srgan shrunk to 32 and 16 pixel images so that a run takes a second or two.
SMALL_PIX2PIX = {"image_size": 32, "ngf": 8, "ndf": 8, "batch_size": 4, "steps": STEPS}
SMALL_SRGAN = {"image_size": 16, "g_channels": 8, "d_channels": 8, "d_dense": 16}
SMALL_SRGAN |= {"batch_size": 4, "pretrain_steps": 1, "steps": STEPS - 1}


def with_data(graph: Graph, **changes: Any) -> Graph:
    assert graph.training is not None
    data = {**graph.training["data"], **changes}
    training = {**graph.training, "data": data, "log_every": 1}
    return graph.model_copy(update={"training": training})


def same_losses(graph: Graph, tmp_path: Path, *args: str, embed: bool = True) -> list[Any]:
    """Export, train with graphgan and with train.py (`args` added), and compare metrics."""
    project, run = tmp_path / "project", tmp_path / "run"
    export_project(graph, project, ExportOptions(seed=SEED, data=embed))
    train(graph, TrainOptions(out=run, seed=SEED, device="cpu", progress=False))
    done = run_exported(project, "--out", "out", "--seed", str(SEED), "--device", "cpu", *args)
    assert done.returncode == 0, done.stderr
    expected = read_metrics(run / "metrics.jsonl")
    found = read_metrics(project / "out" / "metrics.jsonl")
    assert len(found) == STEPS
    assert [{k: v for k, v in m.items() if k not in TIMINGS} for m in expected] == found
    return found


def recipe_of(project: Path) -> dict[str, Any]:
    recipe: dict[str, Any] = json.loads((project / "recipe.json").read_text(encoding="utf-8"))
    return recipe


def test_mirrored_digits_are_embedded_unmirrored_and_flipped_by_train_py(tmp_path: Path) -> None:
    graph = with_data(small_cgan(steps=STEPS), flip=True)
    same_losses(graph, tmp_path)
    assert recipe_of(tmp_path / "project")["data"]["augment"] == {"kind": "flip", "stream": "flip"}


def test_a_mirror_rule_export_cannot_reproduce_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A reproduction that drifts from the data pack (here: never mirroring) must not ship.
    monkeypatch.setattr("graphgan.export.datasets.mirrored", lambda *args: False)
    graph = with_data(small_cgan(), flip=True)
    with pytest.raises(ExportError, match=r"dataset 'digits' cannot be embedded.*flip=True"):
        export_project(graph, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    export_project(graph, tmp_path / "out", ExportOptions(data=False))
    assert not (tmp_path / "out" / "data.npz").exists()


def test_srgan_crops_are_refused_when_they_cannot_be_reproduced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, small_photos: list[np.ndarray]
) -> None:
    def shifted(photos: list[np.ndarray], *args: Any) -> tuple[np.ndarray, np.ndarray]:
        from graphgan.export.augment import sr_crop

        return sr_crop(photos[1:] + photos[:1], *args)

    monkeypatch.setattr("graphgan.export.datasets.sr_crop", shifted)
    graph = small_srgan()
    with pytest.raises(ExportError, match=r"dataset 'photos-sr'.*random crops could not be"):
        export_project(graph, tmp_path / "out")


# Folders ---------------------------------------------------------------------------------


def test_an_sr_folder_dataset_is_refused_with_the_way_that_works(tmp_path: Path) -> None:
    graph = configure(open_document("srgan"), "demo", {"dataset": f"sr:{tmp_path}"})
    with pytest.raises(ExportError, match=r"--set dataset=photos-sr.*--data FOLDER"):
        export_project(graph, tmp_path / "out")


def save(pixels: np.ndarray, path: Path) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)


def noise_image(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    return rng.integers(0, 256, (height, width, 3), dtype=np.uint8)


def small_pix2pix(dataset: str) -> Graph:
    return with_data(configure(open_document("pix2pix"), "demo", SMALL_PIX2PIX), dataset=dataset)


def test_class_folders_train_as_graphgan_trains_on_them(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    root = tmp_path / "images"
    for label in ("cats", "dogs"):
        for index in range(6):
            # 12 by 10 pictures: resized to 10 by 8, then the centre 8 by 8 cut.
            save(noise_image(rng, 10, 12), root / label / f"{index}.png")

    graph = with_data(small_cgan(n_classes=2, batch_size=4, steps=STEPS), flip=True)
    graph = with_data(graph, dataset=f"classes:{root}")  # RGB files read as grey
    same_losses(graph, tmp_path, "--data", str(root))


@pytest.mark.parametrize("layout", ["side-by-side", "A-and-B"])
def test_paired_folders_train_as_graphgan_trains_on_them(layout: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    root = tmp_path / "pairs"
    for index in range(8):
        # 36 by 40 halves: the shorter side is resized to 32 and the centre square cut.
        a, b = noise_image(rng, 40, 36), noise_image(rng, 40, 36)
        if layout == "side-by-side":
            save(np.concatenate([a, b], axis=1), root / "train" / f"{index:02d}.png")
        else:
            save(a, root / "A" / f"{index:02d}.png")
            save(b, root / "B" / f"{index:02d}.jpg")  # matched by name, whatever the suffix

    graph = small_pix2pix(f"pairs:{root}")  # with flip, as the template trains
    found = same_losses(graph, tmp_path, "--data", str(root))
    assert "d_loss" in found[0]


def test_unmatched_a_and_b_folders_are_refused_by_name(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    root = tmp_path / "pairs"
    save(noise_image(rng, 16, 16), root / "A" / "one.png")
    save(noise_image(rng, 16, 16), root / "B" / "two.png")
    export_project(small_pix2pix(f"pairs:{root}"), tmp_path / "project")
    done = run_exported(tmp_path / "project", "--data", str(root), "--steps", "1")
    assert done.returncode != 0
    assert "2 names have no partner in the other of A/ and B/ (one, two)" in done.stderr


@pytest.fixture
def small_photos(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[np.ndarray]]:
    """photos-sr reading three small noise photos in place of its embedded ones."""
    from graphgan_data import photos

    rng = np.random.default_rng(2)
    shapes = [(40, 30), (24, 36), (32, 32)]
    arrays = [noise_image(rng, height, width) for height, width in shapes]
    names = [f"photo_{index}" for index in range(len(arrays))]
    readers = [lambda pixels=pixels: pixels for pixels in arrays]
    monkeypatch.setattr(photos, "PHOTOS", dict(zip(names, readers, strict=True)))
    monkeypatch.setattr(photos, "SPLITS", {"train": tuple(names), "test": tuple(names)})
    photos.photo.cache_clear()
    yield arrays
    photos.photo.cache_clear()


def small_srgan() -> Graph:
    graph = configure(open_document("srgan"), "demo", SMALL_SRGAN)
    return with_data(graph, options={"crops_per_epoch": 12})


def test_srgan_crops_match_graphgan_from_the_embedded_photos(
    small_photos: list[np.ndarray], tmp_path: Path
) -> None:
    found = same_losses(small_srgan(), tmp_path)
    assert "d_loss" not in found[0] and "d_loss" in found[-1]  # pre-training, then the game
    crop = recipe_of(tmp_path / "project")["data"]["augment"]
    assert (crop["kind"], crop["size"], crop["scale"], crop["flip"]) == ("sr-crops", 16, 4, True)
    with np.load(tmp_path / "project" / "data.npz") as stored:
        assert all(np.array_equal(stored[f"photo_{i}"], a) for i, a in enumerate(small_photos))


def test_srgan_trains_on_a_folder_of_hr_photos_as_on_the_same_photos_embedded(
    small_photos: list[np.ndarray], tmp_path: Path
) -> None:
    folder = tmp_path / "photos"
    for index, pixels in enumerate(small_photos):
        save(pixels, folder / f"photo_{index}.png")  # sorted as photos-sr lists them
    same_losses(small_srgan(), tmp_path, "--data", str(folder), embed=False)
    assert not (tmp_path / "project" / "data.npz").exists()


def test_a_photo_smaller_than_the_crop_is_refused_by_name(
    small_photos: list[np.ndarray], tmp_path: Path
) -> None:
    save(noise_image(np.random.default_rng(3), 8, 40), tmp_path / "photos" / "thin.png")
    export_project(small_srgan(), tmp_path / "project", ExportOptions(data=False))
    done = run_exported(tmp_path / "project", "--data", str(tmp_path / "photos"), "--steps", "1")
    assert done.returncode != 0
    assert "thin.png is 40x8, smaller than the 16-pixel crops cut from it" in done.stderr


def test_shapes_pix2pix_scenes_are_rendered_by_train_py_at_the_paper_size(
    tmp_path: Path,
) -> None:
    # 2,000 256-pixel pairs would take 4 GB: train.py draws them with the copied renderer.
    graph = with_data(configure(open_document("pix2pix"), None, {"steps": 1}))
    project = tmp_path / "project"
    export_project(graph, project, ExportOptions(seed=SEED))
    assert not (project / "data.npz").exists()
    scenes = recipe_of(project)["data"]["augment"]
    assert scenes == {
        "kind": "scenes",
        "renderer": "shapes-pix2pix",
        "fields": ["condition", "image", "label_map"],
        "length": 2000,
        "size": 256,
        "flip": True,
        "jitter": 0.0,
        "value_range": [-1.0, 1.0],
    }
    source = (project / "train.py").read_text(encoding="utf-8")
    assert "def render_scene(rng: np.random.Generator, size: int) -> Scene:" in source
    assert "graphgan_" not in source and "import graphgan" not in source


def test_a_scene_renderer_export_cannot_reproduce_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import graphgan.export.scenes as scenes

    faithful = scenes.copied

    def drifting(renderer: str) -> dict[str, Any]:
        namespace = dict(faithful(renderer))
        draw = namespace["scene_item"]
        namespace["scene_item"] = lambda *args: {**draw(*args), "label_map": np.zeros(1)}
        return namespace

    monkeypatch.setattr(scenes, "copied", drifting)
    with pytest.raises(ExportError, match=r"'shapes-pix2pix'.*could not be reproduced by the"):
        export_project(small_pix2pix("shapes-pix2pix"), tmp_path / "out")


def test_a_dataset_too_large_to_embed_is_refused_before_it_is_prepared() -> None:
    from graphgan.export.datasets import prepare
    from graphgan.graph.training import training_spec

    # The 1,612 training digits at 400x400 would take 984 MiB; refused after reading one item.
    spec = training_spec(small_cgan(image_size=400))
    with pytest.raises(ExportError, match=r"'digits' prepares to 984 MiB, over the 512 MiB"):
        prepare(spec, SEED)
