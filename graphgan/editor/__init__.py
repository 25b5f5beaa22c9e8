"""The visual editor: a Qt view of a graph document, edited through undoable commands.

Only this package imports Qt; install it with `pip install graphgan[editor]`.
"""

import os

from graphgan.editor.refcount_guard import make_none_immortal

# The node editor library reaches Qt through QtPy; pin QtPy to the binding this package uses,
# so another binding installed beside it can never be picked instead.
os.environ.setdefault("QT_API", "pyside6")

make_none_immortal()
