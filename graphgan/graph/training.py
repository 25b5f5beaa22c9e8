"""The document's training section: data, optimisers, phases, loss terms and input sources.

Everything about how a graph trains is declared here, so a new GAN variant (LSGAN, ACGAN,
a hinge-loss cGAN) is a change to the document, not new Python.

Input sources say where each network input gets its tensor in a training step:
- `"data:FIELD"`: a field of the data batch (`image`, `label`, `condition`, `tokens`);
  `"data:FIELD:rolled"` shifts the batch by one, pairing each image with another's condition
  (the mismatched pairs of a matching-aware discriminator);
- `"sample"`: drawn from the input node's own distribution (noise, latent codes, labels);
- `"NODE_ID"`: the tensor at another network's input or output node in the same step, e.g.
  a discriminator's image input reads `"g_image"`, the generator's output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from graphgan.diagnostics import Diagnostic, Report
from graphgan.errors import ExpressionError, GraphInvalidError
from graphgan.graph.document import Graph, Strict
from graphgan.graph.expressions import evaluate, is_expression

SAMPLE = "sample"
DATA = "data:"

# The loss terms graphgan.training.losses implements, and the steps graphgan.training.recipe
# implements; plugin packs add namespaced ones of each.
BUILT_IN_TERMS = ("info_categorical", "info_continuous", "kl", "l1", "l2", "perceptual")
BUILT_IN_RECIPES = ("adversarial",)


class DataSpec(Strict):
    """Which dataset feeds the run and how its images are prepared."""

    dataset: str = Field(description="A dataset name, `loader:PATH`, or a folder path.")
    image_size: int | None = Field(None, ge=1, description="Resize images to this size.")
    channels: int | None = Field(None, ge=1, le=4, description="Image channels (1 or 3).")
    value_range: tuple[float, float] = Field(
        (-1.0, 1.0), description="Pixel range, matching the generator's output activation."
    )
    flip: bool = Field(False, description="Random horizontal flips.")
    workers: int = Field(0, ge=0, le=64, description="Data loader worker processes.")
    options: dict[str, Any] = Field(default_factory=dict, description="Dataset settings.")


class ScheduleSpec(Strict):
    """How an optimiser's learning rate changes over the steps of the run."""

    kind: Literal["constant", "step", "exponential", "linear"] = "constant"
    every: int = Field(1, ge=1, description="step: multiply by gamma every this many steps.")
    gamma: float = Field(1.0, gt=0, description="step and exponential: the factor.")
    start: int = Field(0, ge=0, description="linear: the step where decay to zero begins.")


class OptimizerSpec(Strict):
    """One optimiser over the parameters of one or more networks."""

    networks: list[str] = Field(min_length=1)
    algorithm: Literal["adam", "adamw", "sgd", "rmsprop"] = "adam"
    lr: float = Field(gt=0)
    betas: tuple[float, float] = (0.9, 0.999)
    momentum: float = Field(0.0, ge=0)
    weight_decay: float = Field(0.0, ge=0)
    schedule: ScheduleSpec = ScheduleSpec()


class LossSpec(Strict):
    """A weighted loss term added to the generator's (or discriminator's) objective."""

    term: str = Field(description="A registered loss term, e.g. l1, l2, kl, info_categorical.")
    weight: float = 1.0
    args: dict[str, Any] = Field(default_factory=dict)


class AdversarialSpec(Strict):
    """The adversarial game: the discriminator, its passes and the loss variant."""

    discriminator: str = Field(description="The discriminator network.")
    output: str = Field(description="The discriminator's output node giving the score.")
    loss: Literal["bce", "lsgan", "hinge", "wgan-gp"] = "bce"
    weight: float = Field(1.0, ge=0, description="Weight of the generator's adversarial term.")
    d_weight: float = Field(1.0, gt=0, description="Scale of the discriminator's loss.")
    gp_weight: float = Field(10.0, ge=0, description="wgan-gp: gradient penalty weight.")
    d_steps: int = Field(1, ge=1, le=100, description="Discriminator updates per step.")
    real: dict[str, str] = Field(description="Discriminator inputs for real samples.")
    fake: dict[str, str] = Field(description="Discriminator inputs for generated samples.")
    wrong: dict[str, str] | None = Field(
        None, description="Real images with mismatched conditions, scored as fake."
    )
    fake_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the generated pass in the discriminator's loss (StackGAN's 1/2, "
        "with wrong_weight 1/2: real + (fake + wrong) / 2).",
    )
    wrong_weight: float = Field(0.5, ge=0, description="Weight of the mismatched pass.")
    joint_batch: bool = Field(
        False,
        description="Score the real, generated and mismatched samples in one discriminator "
        "call, so its batch norm normalises them together rather than each pass on its own.",
    )

    @model_validator(mode="after")
    def _joint_passes_match(self) -> AdversarialSpec:
        passes = [self.real, self.fake, *([self.wrong] if self.wrong is not None else [])]
        if self.joint_batch and any(set(p) != set(self.real) for p in passes):
            raise ValueError(
                "joint_batch joins the passes input by input, so real, fake and wrong must "
                f"feed the same discriminator inputs; real feeds {sorted(self.real)}"
            )
        return self


class PhaseSpec(Strict):
    """A stretch of training with one generator, its game, its losses and its optimisers.

    Networks that no active optimiser covers run frozen: evaluation mode, no gradients.
    """

    name: str = "main"
    steps: int = Field(ge=0)
    recipe: str = Field(
        "adversarial",
        description="The training step: adversarial (built in) or a plugin pack's recipe.",
    )
    recipe_args: dict[str, Any] = Field(
        default_factory=dict, description="Settings for a plugin recipe."
    )
    generator: str
    output: str = Field(description="The generator output node that holds the images.")
    adversarial: AdversarialSpec | None = None
    losses: list[LossSpec] = Field(default_factory=list)
    d_losses: list[LossSpec] = Field(default_factory=list)
    optimizers: list[str] = Field(min_length=1)


class SampleSpec(Strict):
    """How sample grids are drawn from fixed inputs."""

    count: int = Field(64, ge=1, le=1024)
    rows_by: str | None = Field(
        None, description="An input node that varies by row: one class (or category) a row."
    )


class TrainingSpec(Strict):
    """The training section of a graph document."""

    data: DataSpec
    batch_size: int = Field(64, ge=1, le=65536)
    inputs: dict[str, str] = Field(
        default_factory=dict, description="Source of every generator-side network input."
    )
    optimizers: dict[str, OptimizerSpec]
    phases: list[PhaseSpec] = Field(min_length=1)
    init: Literal["default", "normal_0.02"] = Field(
        "default", description="normal_0.02: DCGAN-style N(0, 0.02) weights, N(1, 0.02) norms."
    )
    samples: SampleSpec = SampleSpec()
    sample_every: int = Field(500, ge=1)
    checkpoint_every: int = Field(500, ge=1)
    log_every: int = Field(10, ge=1)
    keep_checkpoints: int = Field(3, ge=1)

    @model_validator(mode="after")
    def _optimizers_exist(self) -> TrainingSpec:
        for phase in self.phases:
            unknown = [name for name in phase.optimizers if name not in self.optimizers]
            if unknown:
                raise ValueError(
                    f"phase '{phase.name}' names optimizers {unknown} that the training section "
                    f"does not declare (it has: {', '.join(self.optimizers)})"
                )
        return self

    @property
    def total_steps(self) -> int:
        return sum(phase.steps for phase in self.phases)

    def phase_at(self, step: int) -> tuple[PhaseSpec, int]:
        """The phase a step (counted from 0) falls in, and the step within that phase."""
        for phase in self.phases:
            if step < phase.steps:
                return phase, step
            step -= phase.steps
        return self.phases[-1], step + self.phases[-1].steps


def training_spec(graph: Graph) -> TrainingSpec:
    """The graph's training section with variable expressions resolved and checked."""
    if graph.training is None:
        raise GraphInvalidError(
            'the graph has no "training" section; add one saying which networks train on '
            "which data (see docs/training.md), or start from a template"
        )
    try:
        resolved = _resolve(graph.training, graph.variable_values())
        return TrainingSpec.model_validate(resolved)
    except ExpressionError as error:
        raise GraphInvalidError(_problem("expression-invalid", f"training: {error}")) from None
    except ValidationError as error:
        problems = [
            Diagnostic("training-invalid", f"training.{_loc(item['loc'])}: {item['msg']}")
            for item in error.errors()
        ]
        raise GraphInvalidError(Report(problems)) from None


def with_total_steps(spec: TrainingSpec, steps: int) -> TrainingSpec:
    """Make the run `steps` long: earlier phases keep their length, the last takes the rest."""
    phases, left = [], steps
    for index, phase in enumerate(spec.phases):
        last = index == len(spec.phases) - 1
        length = left if last else min(phase.steps, left)
        phases.append(phase.model_copy(update={"steps": length}))
        left -= length
    return spec.model_copy(update={"phases": phases})


def _resolve(value: Any, scope: Mapping[str, Any]) -> Any:
    if isinstance(value, dict):
        return {key: _resolve(item, scope) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, scope) for item in value]
    return evaluate(value, scope) if is_expression(value) else value


def _loc(loc: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _problem(code: str, message: str) -> Report:
    return Report([Diagnostic(code, message)])
