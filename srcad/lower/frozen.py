"""Frozen scipy.stats distributions made in the function: ``d = norm(mu, s); d.logpdf(x)``.

Input: the lowerer at a call of a scipy.stats distribution object (``norm(mu, s)``,
``gamma(a, scale=th)``) and later at calls of the frozen value's methods. Output: `Frozen`, a
compile-time value holding the distribution and the operands of its parameters; a method call is
the distribution's method with the call's own arguments first, then the frozen ones (what SciPy's
``rv_frozen`` does: ``self.dist.logpdf(x, *self.args, **self.kwds)``), lowered as any call of a
``scipy.stats`` method (rules, NumPy formulas of lower/stats_np.py, or refused). Only the methods
of that form are taken; a frozen distribution used as a value stays refused. The frozen
``multivariate_normal(mean, cov)`` and ``dirichlet(alpha)`` take ``logpdf``/``pdf`` the same way,
their parameters by name (their ``seed`` dropped: it only draws).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gast

from srcad.frontend.resolve import prim_name, type_module
from srcad.lower.values import Opaque
from srcad.ssa.core import Operand

# the multivariate distributions whose frozen form passes its parameters on the same way (its
# `seed` dropped: it only draws), and the methods taken of them
_MULTI = {"multivariate_normal_gen": ("mean", "cov", "allow_singular"), "dirichlet_gen": ("alpha",)}
_MULTI_METHODS = frozenset({"pdf", "logpdf"})
# rv_frozen methods that pass (own arguments, *args, **kwds) on
_METHODS = frozenset({"pdf", "logpdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf", "pmf",
                      "logpmf", "mean", "median", "var", "std", "entropy"})  # fmt: skip


@dataclass(eq=False)
class Frozen(Opaque):
    dist: Any
    args: list
    kwargs: dict

    def __repr__(self) -> str:
        return f"a frozen `scipy.stats.{_name(self.dist)}` made here"


def _name(dist: Any) -> str:
    return getattr(dist, "name", type(dist).__name__.removesuffix("_gen"))


def is_distribution(obj: Any) -> bool:
    return (
        type_module(obj).startswith("scipy.stats.")
        and (hasattr(obj, "freeze") or type(obj).__name__ in _MULTI)
        and hasattr(obj, "logpdf")
    )


def make(lw: Any, dist: Any, node: gast.Call) -> Frozen:
    args, kwargs = lw.call_args(node)
    params = _MULTI.get(type(dist).__name__)
    if params is not None:  # multivariate_normal(mean, cov): the parameters by name, no seed
        extra = [k for k in kwargs if k not in (*params, "seed")]
        if len(args) > len(params) or extra:
            raise lw.error(node, f"a frozen `{_name(dist)}` with "
                           f"{extra or 'a seed given by position'}: not supported",
                           "call its `logpdf(x, ...)`/`pdf` with the parameters")  # fmt: skip
        kwargs = {**dict(zip(params, args)), **{k: v for k, v in kwargs.items() if k != "seed"}}
        args = []
    return Frozen(dist, args, kwargs)


def call_method(lw: Any, fr: Frozen, node: gast.Call) -> Operand:
    attr = node.func.attr
    method = getattr(fr.dist, attr, None)
    multi = type(fr.dist).__name__ in _MULTI
    ok = attr in (_MULTI_METHODS if multi else _METHODS)
    prim = prim_name(method) if ok and method is not None else None
    if prim is None:
        raise lw.error(
            node,
            f"`.{attr}()` of a frozen scipy.stats distribution is not supported",
            f"call `{_name(fr.dist)}.{attr}(x, *params)` with the parameters",
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
