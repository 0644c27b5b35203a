"""Modules imported on first use, not by ``import srcad`` (issue 11: a process whose derivatives
come from the disk cache never transforms, so it never needs the transform machinery).

Input: a module's name. Output: `module(name)`, a stand-in whose first attribute read imports the
module (`importlib`), then reads the attribute from it. Written at module level like an import
(``_driver = lazy.module("srcad.backend.driver")``), so tests/test_structure.py sees every lazy
edge; it also checks that ``import srcad`` loads none of `TRANSFORM_ONLY`. Example::

    >>> gast = module("gast")
    >>> gast.Name.__name__
    'Name'
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

# what `import srcad` must not load: the front end, the IR, the passes, the transforms, the
# emitter (a disk cache hit runs `srcad.backend.request`, `cache`, `disk`, `diskkey`, `guard`,
# `compile`, `srcad.lower.reads`, `srcad.frontend.functions`, `srcad.ad.kinds`, the runtime)
TRANSFORM_ONLY = (
    "gast",
    "srcad.ssa.core",
    "srcad.frontend.source",
    "srcad.frontend.resolve",
    "srcad.lower.lower",
    "srcad.lower.values",
    "srcad.passes.prepare",
    "srcad.passes.pipeline",
    "srcad.ad.base",
    "srcad.ad.structural",
    "srcad.rules.facts",
    "srcad.backend.driver",
    "srcad.backend.emit",
    "srcad.backend.standalone",
)


class Module:
    """A module imported when one of its attributes is first read (then every read goes to the
    module: a rebound attribute, ``mod.f = g``, is seen).

    Every read is answered by `__getattribute__`, not by `__getattr__` after the default lookup
    failed: on Python 3.10/3.11 that failure builds an AttributeError with its message first,
    about 2 us per read (the lowering reads such modules ~100 times per transform). A dunder
    name is the stand-in's own when it has one (``isinstance`` reads ``__class__``, ``repr``)."""

    __slots__ = ("__lazy_name__",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "__lazy_name__", name)

    def __getattribute__(self, attr: str) -> Any:
        if attr[:2] == "__":
            try:
                return _own(self, attr)
            except AttributeError:
                pass
        name = _own(self, "__lazy_name__")
        mod = sys.modules.get(name)
        if mod is None:
            mod = importlib.import_module(name)
        return getattr(mod, attr)

    def __repr__(self) -> str:
        return f"<lazy module {_own(self, '__lazy_name__')!r}>"


_own = object.__getattribute__


def module(name: str) -> Any:
    """A stand-in for the module `name`, imported on the first attribute read."""
    return Module(name)
