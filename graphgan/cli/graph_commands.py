"""Commands that read graphs: validate, summary, nodes, templates."""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

from graphgan.catalogue import catalogue
from graphgan.errors import DocumentError, GraphInvalidError, UnknownNameError
from graphgan.graph import Graph
from graphgan.graph.variables import configure, parse_assignments
from graphgan.registry import default_registry
from graphgan.summary import format_summary, summarise
from graphgan.templates import list_templates, open_document
from graphgan.validation import analyse


def register(commands: Any) -> None:
    validate = commands.add_parser("validate", help="check a graph and report every problem")
    add_document_arguments(validate)
    validate.add_argument("--json", action="store_true", help="print the report as JSON")
    validate.set_defaults(run=run_validate)

    summary = commands.add_parser(
        "summary", help="shapes on every edge, parameters and MACs per network"
    )
    add_document_arguments(summary)
    summary.add_argument("--json", action="store_true", help="print the summary as JSON")
    summary.set_defaults(run=run_summary)

    nodes = commands.add_parser("nodes", help="list the node catalogue")
    nodes.add_argument("--json", action="store_true", help="print the catalogue as JSON")
    nodes.set_defaults(run=run_nodes)

    templates = commands.add_parser("templates", help="list the shipped templates")
    templates.add_argument("--json", action="store_true", help="print the list as JSON")
    templates.set_defaults(run=run_templates)


def add_document_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("document", help="a graph file, or the name of a shipped template")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="set a graph variable"
    )
    parser.add_argument("--preset", help="apply a named preset of variable values")


def load_document(args: argparse.Namespace) -> Graph:
    """The document named on the command line, with its preset and --set values applied."""
    graph = open_document(args.document)
    return configure(graph, args.preset, parse_assignments(args.set))


def run_validate(args: argparse.Namespace) -> int:
    try:
        report = analyse(load_document(args)).report
    except GraphInvalidError as error:
        if not args.json:
            raise
        report = error.report
    except (DocumentError, UnknownNameError) as error:
        if not args.json:
            raise
        message = {
            "code": error.code,
            "severity": "error",
            "node": None,
            "port": None,
            "message": str(error),
        }
        print(json.dumps({"valid": False, "diagnostics": [message]}, indent=2))
        return 2
    print(report.dumps() if args.json else report)
    return 0 if report.valid else 1


def run_summary(args: argparse.Namespace) -> int:
    analysis = analyse(load_document(args))
    summaries = summarise(analysis)
    if args.json:
        data = {name: s.to_json() for name, s in summaries.items()}
        print(json.dumps({"graph": analysis.graph.name, "networks": data}, indent=2))
    else:
        print(format_summary(summaries))
        for warning in analysis.report.warnings:
            print(warning)
    return 0


def run_nodes(args: argparse.Namespace) -> int:
    registry = default_registry()
    kinds = catalogue(registry)
    if args.json:
        failures = [{"pack": f.name, "error": f.error} for f in registry.failures]
        print(json.dumps({"nodes": kinds, "failed_packs": failures}, indent=2))
        return 0
    category = None
    for kind in kinds:
        if kind["category"] != category:
            category = kind["category"]
            print(f"\n{category}")
        print(format_kind(kind))
    for failure in registry.failures:
        print(f"\nplugin pack '{failure.name}' failed to load: {failure.error}")
    return 0


def _ports(ports: list[dict[str, Any]]) -> str:
    return ", ".join(f"{p['name']}:{p['kind']}" for p in ports) or "-"


def format_kind(kind: dict[str, Any]) -> str:
    lines = [f"  {kind['kind']}  ({_ports(kind['inputs'])}) -> ({_ports(kind['outputs'])})"]
    lines.append(textwrap.indent(textwrap.fill(kind["description"], 88), "      "))
    for param in kind["params"]:
        default = "required" if param["required"] else f"default {param['default']!r}"
        bounds = _bounds(param)
        choices = f", one of {param['choices']}" if param["choices"] else ""
        lines.append(
            f"      {param['name']}: {param['type']}, {default}{bounds}{choices}"
            f" - {param['description']}"
        )
    return "\n".join(lines)


def _bounds(param: dict[str, Any]) -> str:
    low, high = param["minimum"], param["maximum"]
    if low is None and high is None:
        return ""
    return f", range [{'' if low is None else f'{low:g}'}, {'' if high is None else f'{high:g}'}]"


def run_templates(args: argparse.Namespace) -> int:
    infos = list_templates()
    if args.json:
        rows = [
            {"name": t.name, "title": t.title, "description": t.description, "presets": t.presets}
            for t in infos
        ]
        print(json.dumps(rows, indent=2))
        return 0
    for info in infos:
        print(f"{info.name}: {info.title}")
        print(textwrap.indent(textwrap.fill(info.description, 88), "    "))
        if info.presets:
            print(f"    presets: {', '.join(info.presets)}")
    return 0
