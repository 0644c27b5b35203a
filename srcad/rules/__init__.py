"""The rule families: each module holds the derivative rules of a family of primitives (NumPy,
`math`, builtins, operators), the `srcad.runtime` helpers that family's generated code calls, and
those helpers' own rules, side by side.

Input: nothing. Output: ``default_tables() -> (jvp_table, vjp_table)``, and the helpers (re-exported
by `srcad.runtime`, see `srcad.rules.helpers`).

Each family module has ``register(jvp, vjp)``; a new module is added to `FAMILIES`. Every helper
has rules of its own (so that generated code can be differentiated again, ``grad(grad(f))``) or
is declared in `srcad.rules.helpers.NO_RULES` with the reason. Example::

    >>> jvp, vjp = default_tables()
    >>> jvp.get("numpy.sin").terms["x"]
    'dx * np.cos(x)'
"""

from __future__ import annotations

import functools

from srcad.ad.rules import RuleTable
from srcad.frontend.resolve import canonical
from srcad.rules import (
    builtins,
    containers,
    elementwise,
    indexing,
    linalg,
    math,
    misc,
    operators,
    products,
    reductions,
    shape,
    statistics,
    trees,
)

FAMILIES = (
    operators, builtins, math, elementwise, reductions, statistics, shape, misc, products, linalg,
    trees, indexing, containers,
)  # fmt: skip


@functools.cache
def default_tables() -> tuple[RuleTable, RuleTable]:
    """The (jvp, vjp) rule tables of every module in `FAMILIES` (built on first use)."""
    jvp = RuleTable("jvp", canonical)
    vjp = RuleTable("vjp", canonical)
    for module in FAMILIES:
        module.register(jvp, vjp)
    return jvp, vjp
