"""The API's request and response bodies; each appears by name in the OpenAPI schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

VariableValue = bool | int | float | str
Number = float | str  # a metric: a number, or "NaN" / "Infinity" / "-Infinity"

_DOCUMENT = "A graph document, as in a graph file (see docs/graph-format.md)."


class Body(BaseModel):
    """Request bodies refuse fields they do not know, so a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


# Errors and diagnostics -------------------------------------------------------------------


class DiagnosticModel(BaseModel):
    code: str
    message: str
    severity: Literal["error", "warning"]
    network: str | None = None
    node: str | None = None
    kind: str | None = None
    port: str | None = None
    param: str | None = None


class ReportModel(BaseModel):
    """Every problem found in a graph; `valid` is false when any is an error."""

    valid: bool
    diagnostics: list[DiagnosticModel]


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer: a stable code, a sentence, and any diagnostics."""

    code: str
    message: str
    diagnostics: list[DiagnosticModel] = Field(default_factory=list)


# Catalogue ---------------------------------------------------------------------------------


class PortModel(BaseModel):
    name: str
    kind: str
    optional: bool
    description: str


class ParamModel(BaseModel):
    name: str
    type: str
    required: bool
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    choices: list[Any] | None = None
    description: str


class NodeKindModel(BaseModel):
    """One node kind: its ports, its params and their JSON schema."""

    kind: str
    category: str
    pack: str
    description: str
    role: str
    inputs: list[PortModel]
    outputs: list[PortModel]
    params: list[ParamModel]
    params_schema: dict[str, Any]


class TemplateModel(BaseModel):
    name: str
    title: str
    description: str


class TemplateDocument(TemplateModel):
    document: dict[str, Any]


# Graphs ------------------------------------------------------------------------------------


class GraphInfo(BaseModel):
    """A graph file in the workspace; `version` changes with every write."""

    name: str
    version: str
    title: str
    updated: datetime


class GraphDocument(GraphInfo):
    document: dict[str, Any]


class GraphCreate(Body):
    name: str = Field(description="File name without .json: letters, digits, '.', '_', '-'.")
    document: dict[str, Any] = Field(description=_DOCUMENT)


class GraphUpdate(Body):
    version: str = Field(description="The version this change was made from (from a read).")
    document: dict[str, Any] = Field(description=_DOCUMENT)


class Configure(Body):
    """Which variable values apply: a preset, then single values."""

    preset: str | None = None
    variables: dict[str, VariableValue] = Field(default_factory=dict)


class GraphSource(Configure):
    """A graph to work on: exactly one of a posted document, a stored graph or a template."""

    document: dict[str, Any] | None = Field(default=None, description=_DOCUMENT)
    graph: str | None = Field(default=None, description="A graph stored in the workspace.")
    template: str | None = Field(default=None, description="A shipped template's name.")


# Summary -----------------------------------------------------------------------------------


class NodeRowModel(BaseModel):
    node: str
    kind: str
    outputs: dict[str, str]
    parameters: int
    macs: int


class EdgeRowModel(BaseModel):
    source: str
    target: str
    shape: str


class NetworkSummaryModel(BaseModel):
    role: str
    parameters: int
    macs_per_sample: int
    nodes: list[NodeRowModel]
    edges: list[EdgeRowModel]
    left_out: list[str] = Field(
        default_factory=list, description="Nodes whose `when` the variables make false."
    )


class SummaryModel(BaseModel):
    """The shape on every edge and the parameters of every node, per network."""

    report: ReportModel
    networks: dict[str, NetworkSummaryModel]


class ExportRequest(GraphSource):
    data: bool = Field(default=False, description="Embed the dataset as data.npz.")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    dataset: str | None = Field(default=None, description="Dataset to embed instead.")


# Runs --------------------------------------------------------------------------------------


class TrainingOptions(Body):
    """What `graphgan train` can set; everything else comes from the graph."""

    steps: int | None = Field(default=None, ge=1, le=100_000_000)
    epochs: int | None = Field(default=None, ge=1, le=100_000)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    data: str | None = Field(
        default=None, description="A dataset name, or a folder inside the workspace."
    )
    precision: Literal["auto", "fp32", "bf16"] = "auto"
    torch_compile: Literal["auto", "on", "off"] = "auto"
    metrics_every: int = Field(default=10, ge=1, le=1_000_000, description="Steps per event.")


class RunCreate(GraphSource):
    options: TrainingOptions = Field(default_factory=TrainingOptions)


class ResumeRequest(Body):
    steps: int | None = Field(default=None, ge=1, le=100_000_000, description="New total.")


class RunInfo(BaseModel):
    id: str
    graph_name: str
    state: Literal["queued", "running", "finished", "failed", "interrupted"]
    step: int
    total_steps: int
    message: str
    metrics: dict[str, Number]
    options: dict[str, Any]
    resumable: bool
    created: datetime
    updated: datetime


class CheckpointModel(BaseModel):
    step: int
    files: list[str]


class RunDetail(RunInfo):
    samples: list[str]
    checkpoints: list[CheckpointModel]


class EventModel(BaseModel):
    """One event of a run's stream, as each server-sent event's data carries it."""

    seq: int
    run_id: str
    kind: str
    step: int
    data: dict[str, Any]
    time: datetime


class MetricsModel(BaseModel):
    """The run's metrics file, a record per logged step."""

    records: list[dict[str, Number]]
