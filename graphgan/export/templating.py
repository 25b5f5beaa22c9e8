"""The jinja2 environment export renders through, reading `templates/export/`.

The templates are files a user may copy and change; they receive already laid-out
statements, so every template change still yields code `ruff format` accepts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from graphgan.templates import templates_dir


def export_templates_dir() -> Path:
    return templates_dir() / "export"


@cache
def environment(folder: Path | None = None) -> jinja2.Environment:
    """Templates from `folder` where it has them, the shipped ones for the rest."""
    shipped = jinja2.FileSystemLoader(str(export_templates_dir()))
    loader = shipped if folder is None else jinja2.FileSystemLoader(str(folder))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([loader, shipped]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Python source and Markdown, not HTML
    )


def render(template: str, folder: Path | None = None, **context: Any) -> str:
    return environment(folder).get_template(template).render(**context)
