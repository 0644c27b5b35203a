"""Random draws whose parameters may carry a derivative, rewritten into the helpers of
`srcad.rules.random_draws` (the pathwise derivative: each value is ``loc + scale * s`` of one
standard variate ``s``).

Input: a call ``rng.<kind>(...)`` (`method`: `rng` made in the function by
``np.random.default_rng``/``Generator``/``RandomState``; `draw`: also a global or closure
generator, lower/library.py) or NumPy's legacy ``np.random.<kind>(...)`` and
``scipy.stats.norm.rvs`` (`REWRITES`), with its lowered arguments. Output::

    rng.normal(mu, sigma, n)  ->  s = _srcad.draw_std(rng, "normal", mu, sigma, n)
                                  _srcad.draw_ls(rng, "normal", mu, sigma, n, s)

for ``normal``, ``laplace``, ``gumbel``, ``logistic``, ``exponential`` (`draw_ls`), ``uniform``
(`draw_lh`), ``lognormal`` (`draw_exp`). Left as it was (None) where the parameters are
constants (no derivative: the call as written), or the arguments do not bind (Python's error).
A generator passed in as an argument is not known here: its methods stay refused when varied.
``rs.randn(*x.shape)`` / ``rs.rand(*x.shape)`` of a RandomState (`star_sized`): the helper
``draw_sized`` (rules/random_draws.py), which makes that call.
"""

from __future__ import annotations

from typing import Any

import gast
import numpy as np

from srcad.lower import permutes
from srcad.lower import values as vals
from srcad.ssa.core import Const, Operand, Var

RT = "srcad.runtime."
MAKERS = frozenset({"numpy.random.default_rng", "numpy.random.Generator",
                    "numpy.random.RandomState"})  # fmt: skip
# kind -> (parameter names and defaults, helper)
_KINDS: dict[str, tuple[tuple[tuple[str, float], ...], str]] = {
    "normal": ((("loc", 0.0), ("scale", 1.0)), "draw_ls"),
    "laplace": ((("loc", 0.0), ("scale", 1.0)), "draw_ls"),
    "gumbel": ((("loc", 0.0), ("scale", 1.0)), "draw_ls"),
    "logistic": ((("loc", 0.0), ("scale", 1.0)), "draw_ls"),
    "exponential": ((("scale", 1.0),), "draw_ls"),
    "uniform": ((("low", 0.0), ("high", 1.0)), "draw_lh"),
    "lognormal": ((("mean", 0.0), ("sigma", 1.0)), "draw_exp"),
}
KINDS = frozenset(_KINDS)
GENERATORS = (np.random.Generator, np.random.RandomState)


def _bind(kind: str, args: list, kwargs: dict) -> tuple[Operand, Operand, Operand] | None:
    params, _ = _KINDS[kind]
    names = [n for n, _ in params] + ["size"]
    if len(args) > len(names) or any(k not in names for k in kwargs):
        return None
    bound = dict(zip(names, args))
    if any(k in bound for k in kwargs):
        return None
    bound.update(kwargs)
    vals_ = [bound.get(n, Const(d)) for n, d in params]
    size = bound.get("size", Const(None))
    if len(vals_) == 1:  # exponential(scale, size): a location of 0
        vals_ = [Const(0.0), vals_[0]]
    return vals_[0], vals_[1], size


def draw(lc: Any, rng: Operand, kind: str, args: list, kwargs: dict) -> Operand | None:
    """``rng.<kind>(*args, **kwargs)`` as the helpers, or None (see the module)."""
    if kind not in _KINDS:
        return None
    bound = _bind(kind, args, kwargs)
    if bound is None:
        return None
    a, b, size = bound
    if isinstance(a, Const) and isinstance(b, Const):
        return None
    s = lc.op(RT + "draw_std", [rng, Const(kind), a, b, size])
    return lc.op(RT + _KINDS[kind][1], [rng, Const(kind), a, b, size, s])


def method(lc: Any, attr: str, recv: Operand, args: list, kwargs: dict) -> Operand | None:
    """``rng.<attr>(...)`` with `rng` a generator the function made (``default_rng(...)``)."""
    if attr == "permutation":  # a fixed gather (lower/permutes.py)
        return permutes.permutation(lc, recv, args, kwargs)
    if attr == "choice":  # a fixed gather too; with replacement, rows repeat
        return permutes.choice(lc, recv, args, kwargs)
    if attr not in _KINDS or not isinstance(recv, Var):
        return None
    if recv in lc.b.block.params or recv in lc.entry_vars:
        return None
    op = vals.defining_op(recv, lc.b.block.ops, lc.outer_ops)
    if op is None or op.prim not in MAKERS:
        return None
    return draw(lc, recv, attr, args, kwargs)


def star_sized(lc: Any, base: Any, node: gast.Call) -> Operand | None:
    """``rs.randn(*x.shape)`` (or ``rand``) of a receiver that is no object known now other
    than a ``np.random.RandomState``: ``_srcad.draw_sized(rs, "randn", x.shape)``, the shape's
    length known only when the code runs (was refused: "`*args` in a call is supported only for
    tuple/list literals"); the helper checks the receiver is a RandomState. None for any other
    call."""
    f = node.func
    if f.attr not in ("randn", "rand") or node.keywords or len(node.args) != 1:
        return None
    star = node.args[0]
    if type(star) is not gast.Starred or not isinstance(base, Var):
        return None
    known, obj = lc.static_object(base)
    if known and type(obj) is not np.random.RandomState:
        return None
    shape = lc.value(star.value)
    lc.at(node)
    return lc.op(RT + "draw_sized", [lc.operand(base, f.value), Const(f.attr), shape])


_SIGNATURES = {
    "draw_ls": lambda loc=0.0, scale=1.0, size=None: None,
    "draw_lh": lambda low=0.0, high=1.0, size=None: None,
    "draw_exp": lambda mean=0.0, sigma=1.0, size=None: None,
    "exponential": lambda scale=1.0, size=None: None,
}


def _legacy(kind: str) -> tuple[Any, Any]:
    sig = _SIGNATURES["exponential" if kind == "exponential" else _KINDS[kind][1]]

    def rewrite(lc: Any, **bound: Operand) -> Operand | None:
        return draw(lc, Const(None), kind, list(bound.values()), {})

    return sig, rewrite


def _norm_rvs(lc: Any, loc: Operand, scale: Operand, size: Operand, random_state: Operand) -> Any:
    if isinstance(loc, Const) and isinstance(scale, Const):
        return None
    s = lc.op(RT + "draw_std", [random_state, Const("norm.rvs"), loc, scale, size])
    return lc.op(RT + "draw_ls", [random_state, Const("norm.rvs"), loc, scale, size, s])


# NumPy's legacy functions: methods of its global RandomState (`rng` None in the helpers);
# scipy.stats.norm.rvs: its random_state in the place of the generator
REWRITES = {
    **{f"numpy.random.{k}": _legacy(k) for k in _KINDS},
    "scipy.stats.norm.rvs": (
        lambda loc=0.0, scale=1.0, size=1, *, random_state=None: None,
        _norm_rvs,
    ),
}
