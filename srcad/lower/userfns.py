"""Which Python functions are the user's own (srcad reads and may inline them): not of the
standard library, an installed package or srcad, and not made by srcad.

Input: a function object. Output: a flag. (lower/varargs.py, lower/argwrites.py.)
"""

from __future__ import annotations

import sysconfig
import types
from typing import Any

_LIBRARY_DIRS = tuple(
    sorted({sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")})
)


def srcad_made(fn: Any) -> bool:
    """A function srcad made (a derivative, a lifted nested function)."""
    return any(hasattr(fn, a) for a in ("__srcad_wrapped__", "__srcad_source__"))


def library(fn: types.FunctionType) -> bool:
    """A function of the standard library, an installed package or srcad."""
    return (
        fn.__code__.co_filename.startswith(_LIBRARY_DIRS)
        or (fn.__module__ or "").split(".")[0] == "srcad"
    )
