"""Which Python functions are the user's own (srcad reads and may inline them): not of the
standard library, an installed package or srcad, and not made by srcad.

Input: a function object. Output: a flag. (lower/varargs.py, lower/argwrites.py.)
"""

from __future__ import annotations

import functools
import types
from typing import Any

from srcad import lazy

sysconfig = lazy.module("sysconfig")


@functools.cache
def library_dirs() -> tuple[str, ...]:
    """The standard library's and installed packages' directories (`sysconfig` is imported
    when first asked: a tenth of the time of the modules a first transform imported)."""
    paths = sysconfig.get_paths()
    return tuple(sorted({paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}))


def srcad_made(fn: Any) -> bool:
    """A function srcad made (a derivative, a lifted nested function)."""
    return any(hasattr(fn, a) for a in ("__srcad_wrapped__", "__srcad_source__"))


def library(fn: types.FunctionType) -> bool:
    """A function of the standard library, an installed package or srcad."""
    return (
        fn.__code__.co_filename.startswith(library_dirs())
        or (fn.__module__ or "").split(".")[0] == "srcad"
    )
