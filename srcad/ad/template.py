"""Expansion of rule templates into IR.

Input: a template string (``"dx * np.cos(x)"``), a mapping of template names to operands, and the block
to append to. Output: the operand holding the template's value, with the ops that compute it appended.
Templates are lowered by the same expression lowering as user code, in a namespace holding ``np``,
``math`` and ``_srcad`` (srcad.runtime).
"""

from __future__ import annotations

import functools
import importlib
import math
from typing import Any

import gast
import numpy

from srcad.errors import DiffError
from srcad.frontend.source import Namespace
from srcad.lower.lower import lower_expression
from srcad.ssa.core import Block, Loc, Operand


@functools.cache
def _parse(template: str) -> Any:
    tree = gast.parse(template.strip(), mode="eval")
    for node in gast.walk(tree):  # the ops keep the location of the op they differentiate
        if hasattr(node, "lineno"):
            node.lineno = None
    return tree.body


@functools.cache
def _namespace() -> Namespace:
    runtime = importlib.import_module("srcad.runtime")
    return Namespace(globals={"np": numpy, "math": math, "_srcad": runtime})


def expand(template: str, names: dict[str, Operand], block: Block, loc: Loc | None) -> Operand:
    """Append the ops computing `template` (with `names` bound) to `block`; return its value."""
    try:
        return lower_expression(_parse(template), names, block, loc, _namespace(), template)
    except DiffError:
        raise
    except Exception as e:  # a broken template is our bug: say which one
        raise DiffError(f"internal error expanding the rule template {template!r}: {e}") from e
