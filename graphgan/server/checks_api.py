"""Validate, summarise and export a posted, stored or shipped graph."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request, Response

from graphgan.export import ExportOptions
from graphgan.graph.training import training_spec
from graphgan.server.context import ServerContext, server_context
from graphgan.server.documents import open_source, require_valid, safe_dataset
from graphgan.server.errors import diagnostic_model
from graphgan.server.exports import ZIP_RESPONSE, project_zip, zip_response
from graphgan.server.models import (
    ExportRequest,
    GraphSource,
    NetworkSummaryModel,
    ReportModel,
    SummaryModel,
)
from graphgan.summary import summarise

router = APIRouter(tags=["checks"])
Context = Annotated[ServerContext, Depends(server_context)]


@router.post("/validate", response_model=ReportModel, summary="Validate a graph")
async def validate(body: GraphSource, request: Request, context: Context) -> Any:
    """Every problem of the graph at once; 200 whether or not it is valid."""
    # A report at hand is answered on the event loop; a new one is worked out in a thread.
    # The key is the body's own bytes (already read), which is cheaper than re-encoding it.
    key = context.analyses.report_key(body, context.graphs, await request.body())
    report = context.analyses.cached(key)
    if report is None:
        analyses, graphs = context.analyses, context.graphs
        report = await anyio.to_thread.run_sync(lambda: analyses.report(body, graphs, key))
    return ReportModel(valid=report.valid, diagnostics=[diagnostic_model(d) for d in report])


@router.post("/summary", response_model=SummaryModel, summary="Summarise a graph")
def summary(body: GraphSource, context: Context) -> Any:
    """The shape on every edge and parameters per node; 422 with the report if invalid."""
    source = open_source(body, context.graphs)
    analysis = require_valid(context.analyses(source.graph))
    networks = {
        name: NetworkSummaryModel.model_validate(network.to_json())
        for name, network in summarise(analysis).items()
    }
    report = ReportModel(valid=True, diagnostics=[diagnostic_model(d) for d in analysis.report])
    return SummaryModel(report=report, networks=networks)


@router.post(
    "/export",
    response_class=Response,
    responses=ZIP_RESPONSE,
    summary="Export a graph as a standalone project (zip)",
)
def export(body: ExportRequest, context: Context) -> Response:
    source = open_source(body, context.graphs)
    require_valid(context.analyses(source.graph))
    dataset = safe_dataset(context.workspace, body.dataset) if body.dataset else None
    if body.data and dataset is None and source.graph.training is not None:
        dataset = safe_dataset(context.workspace, training_spec(source.graph).data.dataset)
    options = ExportOptions(data=body.data, seed=body.seed, dataset=dataset)
    return zip_response(project_zip(source.graph, options), source.name)
