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
    module: a rebound attribute, ``mod.f = g``, is seen)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        mod = sys.modules.get(self._name)
        if mod is None:
            mod = importlib.import_module(self._name)
        return getattr(mod, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def module(name: str) -> Any:
    """A stand-in for the module `name`, imported on the first attribute read."""
    return Module(name)
