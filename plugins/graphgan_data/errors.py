"""Errors the data pack raises, each with a stable code and a message naming the fix.

They belong to graphgan's one hierarchy (`GraphganError`) and subclass the builtin
they mean, so a missing root is also a `FileNotFoundError` and an unreadable image
also an `OSError`.
"""

from __future__ import annotations

from graphgan.errors import GraphganError


class DataError(GraphganError):
    """Base of the data pack's errors."""

    code = "data-invalid"


class DataRootError(DataError, FileNotFoundError):
    """A dataset's root folder is missing, not given, or not a folder."""

    code = "data-root-missing"


class DataLayoutError(DataError, ValueError):
    """A folder that does not fit the loader's layout (empty, unmatched pairs)."""

    code = "data-layout-invalid"


class ImageFileError(DataError, OSError):
    """An image file that cannot be decoded."""

    code = "image-unreadable"


class DataOptionError(DataError, ValueError):
    """A `DataOptions` value or `extra` setting a dataset cannot honour."""

    code = "data-option-invalid"


class VocabularyError(DataError, ValueError):
    """A caption with a word outside a fixed vocabulary, or too many words."""

    code = "caption-word-unknown"
