"""The menus: every command of the window, with its keyboard shortcuts, in one table."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from graphgan.templates import list_templates

if TYPE_CHECKING:
    from graphgan.editor.window import EditorWindow

Keys = str | QKeySequence.StandardKey
HINT = "Drag from a port to a port to wire them; Ctrl-drag across wires to cut them."


class Menus:
    """The window's menu bar and actions; actions also work while their menu is closed."""

    def __init__(self, window: EditorWindow) -> None:
        self.window = window
        bar = window.menuBar()
        names = ("&File", "&Edit", "&View", "&Graph", "&Help")
        self.menus: dict[str, QMenu] = {name: bar.addMenu(name) for name in names}
        self._file(window)
        self._edit(window)
        self._view(window)

    def _file(self, w: EditorWindow) -> None:
        key = QKeySequence.StandardKey
        self.add("&File", "&New", w.new_document, key.New)
        templates = self.menus["&File"].addMenu("New from &Template")
        for info in list_templates():
            action = templates.addAction(f"{info.name}: {info.title}")
            action.setToolTip(info.description)
            action.triggered.connect(lambda _c=False, name=info.name: w.new_from_template(name))
        templates.setToolTipsVisible(True)
        self.add("&File", "&Open...", w.open_file, key.Open)
        self.add("&File", "&Save", w.save, key.Save)
        self.add("&File", "Save &As...", w.save_as, key.SaveAs)
        self.add("&File", "&Export...", w.export, "Ctrl+E")
        self.add("&File", "&Quit", w.close, [key.Quit, "Ctrl+Q"])

    def _edit(self, w: EditorWindow) -> None:
        key = QKeySequence.StandardKey
        self.undo = self.add("&Edit", "&Undo", w.undo, key.Undo)
        self.redo = self.add("&Edit", "&Redo", w.redo, [key.Redo, "Ctrl+Shift+Z", "Ctrl+Y"])
        self.add("&Edit", "Cu&t", w.cut, key.Cut)
        self.add("&Edit", "&Copy", w.copy, key.Copy)
        self.add("&Edit", "&Paste", w.paste, key.Paste)
        self.add("&Edit", "&Duplicate", w.duplicate, "Ctrl+D")
        self.add("&Edit", "De&lete", w.delete, [key.Delete, "Backspace"])
        self.add("&Edit", "Select &All", w.select_all, key.SelectAll)

    def _view(self, w: EditorWindow) -> None:
        key = QKeySequence.StandardKey
        self.add("&View", "Zoom to &Fit", w.zoom_to_fit, "F")
        self.add("&View", "Zoom &In", lambda: w.zoom(1.25), key.ZoomIn)
        self.add("&View", "Zoom &Out", lambda: w.zoom(0.8), key.ZoomOut)
        self.add("&View", "&Search Kinds", w.node_palette.focus_search, ["/", "Ctrl+F"])
        self.add("&Graph", "Add Standard &Training", w.add_standard_training)
        presets = self.menus["&Graph"].addMenu("Apply &Preset")
        # The document's own presets, so the list is built each time the menu opens.
        presets.aboutToShow.connect(lambda: self._fill_presets(presets, w))
        self.add("&Graph", "&Arrange Network", w.arrange, "Ctrl+L")
        self.add("&Graph", "Align &Left", lambda: w.align("left"), "Ctrl+Shift+L")
        self.add("&Graph", "Align &Top", lambda: w.align("top"), "Ctrl+Shift+T")
        self.add("&Graph", "Distribute &Horizontally", lambda: w.distribute("x"), "Ctrl+Shift+H")
        self.add("&Graph", "Distribute &Vertically", lambda: w.distribute("y"), "Ctrl+Shift+V")
        self.add("&Help", "&Keyboard Shortcuts", w.show_shortcuts, key.HelpContents)

    def _fill_presets(self, menu: QMenu, w: EditorWindow) -> None:
        menu.clear()
        for name, values in w.document.graph.presets.items():
            action = menu.addAction(name)
            action.setToolTip(", ".join(f"{k}={v}" for k, v in values.items()))
            action.triggered.connect(lambda _c=False, name=name: w.apply_preset(name))
        if menu.isEmpty():
            menu.addAction("(this graph has no presets)").setEnabled(False)
        menu.setToolTipsVisible(True)

    def add(
        self,
        menu: str,
        text: str,
        slot: Callable[[], object],
        keys: Keys | list[Keys] | None = None,
    ) -> QAction:
        action = QAction(text, self.window)
        sequences = keys if isinstance(keys, list) else [keys] if keys else []
        # A standard key's first binding is the platform's usual one; the rest (a keyboard's
        # dedicated Undo key, Alt+Backspace) would only clutter the shortcuts list.
        shortcuts = [
            QKeySequence(key)
            if isinstance(key, str)
            else next(iter(QKeySequence.keyBindings(key)), QKeySequence())
            for key in sequences
        ]
        unique = {s.toString(): s for s in shortcuts if not s.isEmpty()}
        action.setShortcuts(list(unique.values()))
        action.triggered.connect(lambda _checked=False: slot())
        self.menus[menu].addAction(action)
        self.window.addAction(action)
        return action

    def shortcut_text(self) -> str:
        """Every command that has keys, for the help dialog."""
        rows = []
        for menu in self.menus.values():
            for action in menu.actions():
                keys = ", ".join(s.toString() for s in action.shortcuts())
                if keys:
                    rows.append(f"{action.text().replace('&', ''):<20} {keys}")
        return "\n".join([*rows, HINT])
