"""Frozen scipy.stats distributions made in the function: ``d = norm(mu, s); d.logpdf(x)``.

Input: the lowerer at a call of a scipy.stats distribution object (``norm(mu, s)``,
``gamma(a, scale=th)``) and later at calls of the frozen value's methods. Output: `Frozen`, a
compile-time value holding the distribution and the operands of its parameters; a method call is
the distribution's method with the call's own arguments first, then the frozen ones (what SciPy's
``rv_frozen`` does: ``self.dist.logpdf(x, *self.args, **self.kwds)``), lowered as any call of a
``scipy.stats`` method (rules, NumPy formulas of lower/stats_np.py, or refused). Only the methods
of that form are taken; a frozen distribution used as a value stays refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gast

from srcad.frontend.resolve import prim_name, type_module
from srcad.lower.values import Opaque
from srcad.ssa.core import Operand

# rv_frozen methods that pass (own arguments, *args, **kwds) on
_METHODS = frozenset({"pdf", "logpdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf", "pmf",
                      "logpmf", "mean", "median", "var", "std", "entropy"})  # fmt: skip


@dataclass(eq=False)
class Frozen(Opaque):
    dist: Any
    args: list
    kwargs: dict

    def __repr__(self) -> str:
        return f"a frozen `scipy.stats.{getattr(self.dist, 'name', '?')}` made here"


def is_distribution(obj: Any) -> bool:
    return (
        type_module(obj).startswith("scipy.stats.")
        and hasattr(obj, "freeze")
        and hasattr(obj, "logpdf")
    )


def make(lw: Any, dist: Any, node: gast.Call) -> Frozen:
    args, kwargs = lw.call_args(node)
    return Frozen(dist, args, kwargs)


def call_method(lw: Any, fr: Frozen, node: gast.Call) -> Operand:
    attr = node.func.attr
    method = getattr(fr.dist, attr, None)
    prim = prim_name(method) if attr in _METHODS and method is not None else None
    if prim is None:
        raise lw.error(
            node,
            f"`.{attr}()` of a frozen scipy.stats distribution is not supported",
            f"call `{getattr(fr.dist, 'name', 'dist')}.{attr}(x, *params)` with the parameters",
        )
    args, kwargs = lw.call_args(node)
    both = {**fr.kwargs}
    for k, v in kwargs.items():
        if k in both:
            raise lw.error(node, f"`{k}` is given twice (the frozen distribution has it)")
        both[k] = v
    lw.at(node)
    args = [*args, *fr.args]
    return lw.library_rewrite(prim, args, both) or lw.op(prim, args, both)
