"""The rule families: each module holds the derivative rules of a family of primitives (NumPy,
`math`, builtins, operators), the `srcad.runtime` helpers that family's generated code calls, and
those helpers' own rules, side by side.

Input: nothing. Output: ``default_registry()``, the `Primitive` record of every primitive (rules
and facts); ``default_tables() -> (jvp_table, vjp_table)``, its two views by mode; the helpers
(re-exported by `srcad.runtime`, see `srcad.rules.helpers`).

Each family module has ``register(jvp, vjp)``; a new module is added to `FAMILIES`. Every helper
has rules of its own (so that generated code can be differentiated again, ``grad(grad(f))``) or
is declared in `srcad.rules.helpers.NO_RULES` with the reason. Example::

    >>> jvp, vjp = default_tables()
    >>> jvp.get("numpy.sin").terms["x"]
    'dx * np.cos(x)'
"""

from __future__ import annotations

import functools

from srcad.ad import structural
from srcad.ad.rules import Registry, RuleTable
from srcad.frontend.resolve import canonical
from srcad.rules import (
    builtins,
    containers,
    elementwise,
    facts,
    indexing,
    linalg,
    linalg_decomp,
    math,
    misc,
    numpy_extra,
    numpy_more,
    operators,
    products,
    reductions,
    scipy_linalg,
    scipy_special,
    scipy_special2,
    scipy_stats,
    shape,
    statistics,
    trees,
)
from srcad.rules.helpers import HELPERS, NO_RULES, RUNTIME

FAMILIES = (
    operators, builtins, math, elementwise, reductions, statistics, shape, misc, products, linalg,
    trees, indexing, containers, linalg_decomp, numpy_extra, scipy_special, scipy_stats,
    scipy_special2, numpy_more, scipy_linalg,
)  # fmt: skip


@functools.cache
def default_registry() -> Registry:
    """The primitive records: the rules of every module in `FAMILIES` and of the structural
    primitives, and the facts `srcad.rules.facts` declares (built on first use)."""
    reg = Registry(canonical, facts.default_facts)
    jvp, vjp = reg.table("jvp"), reg.table("vjp")
    for module in FAMILIES:
        module.register(jvp, vjp)
    structural.register(reg)
    facts.declare(reg)
    for name, fn in HELPERS.items():
        reg.record(f"{RUNTIME}.{name}").impl = fn
    for prim, reason in NO_RULES.items():
        reg.record(prim).no_rules = reason
    return reg


def default_tables() -> tuple[RuleTable, RuleTable]:
    """The (jvp, vjp) rule tables: views of `default_registry`."""
    reg = default_registry()
    return reg.table("jvp"), reg.table("vjp")
