"""The inspector: the selected node's kind, a form for its params, and its problems.

The form is generated from the kind's params model (through the same catalogue the CLI's
`graphgan nodes` prints); each change is an undoable edit, and typing into one field several
times in a row undoes as one step.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from graphgan.catalogue import describe_params
from graphgan.editor import edits
from graphgan.editor.document import Document
from graphgan.editor.fields import ParamField
from graphgan.editor.labels import parameter_text
from graphgan.graph.document import BlockParam, Node
from graphgan.registry import BLOCK_PREFIX, default_registry, default_registry_loaded


class Inspector(QWidget):
    renamed = Signal(str, str)  # network, the node's new id

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.network: str | None = None
        self.node_id: str | None = None
        self._form_for: tuple[str, str, str] | None = None  # (network, node, kind) of the form
        self.fields: dict[str, ParamField] = {}
        self.title = QLabel("Select a node to edit its params.", self)
        self.title.setWordWrap(True)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #9aa3ab")
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #ff6b6b")
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.description, self.form_host, self.problems):
            layout.addWidget(widget)
        layout.addStretch(1)

    def set_document(self, document: Document) -> None:
        self.document = document
        self.show_node(None, None)

    def show_node(self, network: str | None, node_id: str | None) -> None:
        self.network, self.node_id = network, node_id
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the document: rebuild the form only when the node or its kind changed."""
        node = self._node()
        if node is None or self.network is None:
            self._clear_form()
            self.title.setText(self._overview())
            self.description.setText(self.document.graph.description)
            self.problems.setText("")
            return
        if self._form_for != (self.network, node.id, node.kind):
            self._build_form(node)
        for name, field in self.fields.items():
            field.show_value(node.params.get(name))
        problems = [d for d in self.document.analysis.report if d.node == node.id]
        self.problems.setText("\n".join(f"{d.severity.value}: {d.message}" for d in problems))

    def _overview(self) -> str:
        """With nothing selected: the graph, its networks and their sizes."""
        graph = self.document.graph
        rows = [f"<b>{html.escape(graph.name)}</b>"]
        for name, net in graph.networks.items():
            labels = self.document.labels(name)
            size = parameter_text(sum(label.parameters or 0 for label in labels.values()))
            # Nodes whose `when` the variables make false are not drawn: say how many.
            info = self.document.analysis.networks.get(name)
            off = len(info.off) if info is not None else 0
            nodes = f"{len(net.nodes) - off} nodes" + (f" ({off} left out)" if off else "")
            rows.append(f"{html.escape(name)} ({net.role}): {nodes}, {size}")
        rows.append(f"{len(graph.variables)} variables")
        rows.append("<i>Select a node to edit its params.</i>")
        return "<br>".join(rows)

    def _node(self) -> Node | None:
        net = self.document.graph.networks.get(self.network or "")
        if net is None:
            return None
        return next((n for n in net.nodes if n.id == self.node_id), None)

    def _clear_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        self._form_for = None

    def _build_form(self, node: Node) -> None:
        self._clear_form()
        self.title.setText(f"<b>{html.escape(node.id)}</b> &nbsp; {html.escape(node.kind)}")
        if not default_registry_loaded():
            # The packs are loading on the analysis thread; asking for them here would freeze
            # the window until they are in. The form is built when that analysis arrives.
            self.description.setText("Loading the plugin packs...")
            return
        self._form_for = (self.network or "", node.id, node.kind)
        described = self._describe(node.kind)
        if described is None:
            self.description.setText("No installed plugin pack provides this kind.")
            return
        description, rows = described
        self.description.setText(description)
        self.id_field = QLineEdit(node.id, self.form_host)
        self.id_field.setToolTip("The node's id; wires and the training section follow a rename")
        self.id_field.editingFinished.connect(self._rename)
        self.form.addRow(QLabel("id", self.form_host), self.id_field)
        if node.when is not None:
            when = QLabel(html.escape(node.when.removeprefix("=")), self.form_host)
            when.setToolTip("The node is part of the network only while this holds")
            self.form.addRow(QLabel("when", self.form_host), when)
        variables = sorted(self.document.graph.variables)
        for row in rows:
            field = ParamField(row, variables, self.form_host)
            field.committed.connect(lambda value, name=row["name"]: self._commit(name, value))
            label = QLabel(row["name"], self.form_host)
            label.setToolTip(row["description"])
            self.form.addRow(label, field)
            self.fields[row["name"]] = field

    def _describe(self, kind: str) -> tuple[str, list[dict[str, Any]]] | None:
        """A kind's description and param rows, for a plugin's kind or the graph's own block."""
        spec = default_registry().nodes.get(kind)
        if spec is not None:
            return spec.description, describe_params(spec)
        block = self.document.graph.blocks.get(kind.removeprefix(BLOCK_PREFIX))
        if not kind.startswith(BLOCK_PREFIX) or block is None:
            return None
        rows = [_block_row(name, param) for name, param in block.params.items()]
        return block.description or "A reusable block defined in this graph.", rows

    def _rename(self) -> None:
        old, new = self.node_id, self.id_field.text().strip()
        if self.network is None or old is None or new == old:
            return
        try:
            graph = edits.rename(self.document.graph, self.network, old, new)
        except edits.EditError as error:
            self.id_field.setStyleSheet("color: #ff6b6b")
            self.problems.setText(str(error))
            return
        self.node_id = new
        self.document.edit(f"Rename {old} to {new}", graph)
        self.renamed.emit(self.network, new)

    def _commit(self, name: str, value: Any) -> None:
        if self.network is None or self.node_id is None:
            return
        graph = edits.set_param(self.document.graph, self.network, self.node_id, name, value)
        key = f"{self.network}/{self.node_id}/{name}"
        self.document.edit(f"Set {self.node_id}.{name}", graph, merge_key=key)


_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string"}


def _block_row(name: str, param: BlockParam) -> dict[str, Any]:
    """A block param as a catalogue row: its type is its default's."""
    return {
        "name": name,
        "type": _TYPES.get(type(param.default), "string"),
        "required": False,
        "default": param.default,
        "minimum": None,
        "maximum": None,
        "choices": None,
        "description": param.description,
    }
