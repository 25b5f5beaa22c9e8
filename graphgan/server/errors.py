"""How errors become HTTP answers: each graphgan error kind has a status, every body the same.

A client always gets an `ErrorBody` (code, message, diagnostics), whether the problem is a
graph, a name, a version, the request itself or, should one slip through, a server bug.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from graphgan.diagnostics import Diagnostic, Report
from graphgan.errors import DocumentError, GraphganError, GraphInvalidError, UnknownNameError
from graphgan.runs import RunNotFoundError, RunStateError, WorkspacePathError
from graphgan.server.models import DiagnosticModel, ErrorBody

log = logging.getLogger(__name__)


class GraphNotFoundError(GraphganError, KeyError):
    """A graph name the workspace holds no file for."""

    code = "graph-unknown"

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.code


class MissingFileError(GraphganError, KeyError):
    """A run file (sample, checkpoint) that does not exist."""

    code = "file-unknown"

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.code


class ConflictError(GraphganError, ValueError):
    """A write made from a version that is no longer current, or a name already taken."""

    code = "version-conflict"


class BadRequestError(GraphganError, ValueError):
    """A request that contradicts itself (two graph sources, steps and epochs)."""

    code = "request-invalid"


# Most specific first: the first class an error is an instance of gives its status.
_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (WorkspacePathError, 400),
    (BadRequestError, 400),
    (RunNotFoundError, 404),
    (GraphNotFoundError, 404),
    (MissingFileError, 404),
    (UnknownNameError, 404),
    (ConflictError, 409),
    (RunStateError, 409),
    (GraphInvalidError, 422),
    (DocumentError, 422),
    (GraphganError, 422),
)

# Statuses every route may answer with, so the schema documents them.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "A malformed request or a path that would leave the workspace"),
        (401, "A missing or wrong token"),
        (404, "No such graph, run, template or file"),
        (409, "A version conflict, or an action the run's state forbids"),
        (413, "A request body over the size limit"),
        (415, "A body that is not application/json"),
        (422, "An invalid document or request, with its diagnostics"),
    )
}


def error_response(status: int, code: str, message: str, report: Report | None = None) -> Any:
    diagnostics = [diagnostic_model(d) for d in report] if report is not None else []
    body = ErrorBody(code=code, message=message, diagnostics=diagnostics)
    return JSONResponse(body.model_dump(mode="json"), status_code=status)


def diagnostic_model(diagnostic: Diagnostic) -> DiagnosticModel:
    return DiagnosticModel.model_validate(diagnostic.to_json())


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the same body."""
    app.add_exception_handler(GraphganError, _graphgan_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)


async def _graphgan_error(request: Request, error: Exception) -> Any:
    status = next(code for kind, code in _STATUS if isinstance(error, kind))
    code = getattr(error, "code", "graphgan-error")
    if isinstance(error, GraphInvalidError):
        return error_response(status, code, "the graph is invalid", error.report)
    # One diagnostic, so a client finds every problem in the same place.
    return error_response(status, code, str(error), Report([Diagnostic(code, str(error))]))


async def _request_invalid(request: Request, error: Exception) -> Any:
    problems = list(getattr(error, "errors", lambda: [])())
    malformed = any(problem.get("type") == "json_invalid" for problem in problems)
    code = "json-invalid" if malformed else "request-invalid"
    report = Report(list(_request_diagnostics(code, problems)))
    message = "the body is not valid JSON" if malformed else "the request does not fit its schema"
    return error_response(422, code, message, report)


def _request_diagnostics(code: str, problems: Iterable[dict[str, Any]]) -> Iterable[Diagnostic]:
    for problem in problems:
        where = ".".join(str(part) for part in problem.get("loc", ()))
        yield Diagnostic(code, f"{where}: {problem.get('msg', 'invalid')}")


async def _http_error(request: Request, error: Exception) -> Any:
    status = getattr(error, "status_code", 500)
    detail = str(getattr(error, "detail", "")) or "error"
    return error_response(status, f"http-{status}", detail)


async def _server_error(request: Request, error: Exception) -> Any:
    log.exception("unhandled error answering %s %s", request.method, request.url.path)
    return error_response(500, "internal-error", "the server failed; see its log")
