"""Tangent and cotangent trees: zeros, addition, broadcasting sums, copies (runtime helpers).

Input: primal values, tangents and cotangents (NumPy arrays, Python scalars, or tuples, lists and
dicts of them; None is a symbolic zero). Output: plain values, and ``register(jvp, vjp)`` filling
the rule tables with the helpers' own rules (most are linear in their first argument, a tangent
or cotangent ``t``). Generated code calls them as ``_srcad.<name>``; the ones called in tight
scalar loops (`unbroadcast`, `zeros_like`, `add`) return early for floats. Example::

    >>> unbroadcast(np.ones((3, 4)), np.zeros(4))
    array([3., 3., 3., 3.])
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt

_SCALARS = (float, int, bool)


@helper
def zeros_like(x):
    """A float zero of the same structure as `x` (ints get float zeros: tangents are float)."""
    t = type(x)
    if t is float or t is int or t is bool:
        return 0.0
    if t is np.ndarray:
        return np.zeros(x.shape, float if x.dtype.kind in "biu" else x.dtype)
    if t is tuple or t is list:
        return t(zeros_like(e) for e in x)
    if t is dict:
        return {k: zeros_like(v) for k, v in x.items()}
    if x is None or t is str or t is bytes or t is slice:  # no derivative (keys, labels, slices)
        return None
    if t is complex:
        return 0j
    if isinstance(x, np.generic):
        return x.dtype.type(0) if x.dtype.kind in "fc" else 0.0
    if isinstance(x, np.ndarray):
        return np.zeros(x.shape, float if x.dtype.kind in "biu" else x.dtype)
    if isinstance(x, (tuple, list)):  # namedtuples (SlogdetResult, ...) become plain tuples
        return (tuple if isinstance(x, tuple) else list)(zeros_like(e) for e in x)
    raise TypeError(f"srcad: no zero tangent for a value of type {t.__name__}")


@helper
def add(a, b):
    """Sum of two tangents/cotangents; None is zero; tuples, lists and dicts add elementwise."""
    if a is None:
        return b
    if b is None:
        return a
    t = type(a)
    if t is float or t is np.ndarray:
        return a + b
    if isinstance(a, (tuple, list)):
        if len(a) != len(b):
            raise ValueError(f"srcad: adding sequences of lengths {len(a)} and {len(b)}")
        return (tuple if isinstance(a, tuple) else list)(add(x, y) for x, y in zip(a, b))
    if t is dict:
        out = dict(a)
        for k, v in b.items():
            out[k] = add(out.get(k), v)
        return out
    return a + b


_F64 = np.float64


_SCALAR_TYPES = frozenset({float, int, np.float64})


@helper
def unbroadcast(g, x):
    """Sum `g` down to the shape of the primal `x` (undoes NumPy broadcasting)."""
    tg = type(g)
    if tg is float or (tg is _F64 and type(x) in _SCALAR_TYPES):
        return g
    gs = np.shape(g)
    xs = np.shape(x)
    if type(x) is list or type(x) is tuple:  # `[a, b] + arr`: a list broadcast as an array
        if tg is np.ndarray and gs != xs:
            g = unbroadcast(g, np.zeros(xs))
        return array_vjp(g, x)
    if gs != xs:
        g = np.asarray(g)
        extra = len(gs) - len(xs)
        if extra > 0:
            g = g.sum(axis=tuple(range(extra)))
        axes = tuple(i for i, n in enumerate(xs) if n == 1 and g.shape[i] != 1)
        if axes:
            g = g.sum(axis=axes, keepdims=True)
        if g.shape != xs:  # g smaller than x: x was not broadcast but g is (e.g. a scalar)
            g = np.broadcast_to(g, xs).copy()
    if type(x) in _SCALARS or type(x) is complex:
        return g.item() if hasattr(g, "item") else g
    return g


@helper
def broadcast_like(t, ans):
    """The tangent `t` with the shape of `ans`: `t` itself when the shapes agree, else a
    read-only broadcast view (generated code never updates a tangent in place)."""
    tt = type(t)
    if (tt is float or tt is _F64) and type(ans) in _SCALAR_TYPES:
        return t
    shape = np.shape(ans)
    if np.shape(t) == shape:
        return t
    if type(ans) in _SCALAR_TYPES:  # a 0-d tangent of a Python number
        return float(np.asarray(t).reshape(()))
    return np.broadcast_to(t, shape)


@helper
def array_vjp(g, obj):
    """Cotangent of `obj` for ``np.array(obj)``: `g` split into the nested structure of `obj`."""
    t = type(obj)
    if t is list or t is tuple:
        g = np.reshape(g, np.shape(obj))
        return t(array_vjp(g[i], e) for i, e in enumerate(obj))
    if t in _SCALARS or t is complex:
        return np.asarray(g).item()
    return np.reshape(g, np.shape(obj))


@helper
def scalar_vjp(g, x):
    """Cotangent of `x` for ``float(x)`` / ``x.item()``: `g` in the shape of `x`."""
    if type(x) in _SCALARS:
        return float(g)
    return np.full(np.shape(x), g)


@helper
def shallow_copy(t):
    """Tangent of ``x.copy()``: a copy of the tangent `t` (an array, a list or a dict of
    tangents; a number as it is)."""
    if isinstance(t, (np.ndarray, list, dict)):
        return t.copy()
    return t


@helper
def owned_copy(x):
    """A private copy of a cotangent that the reverse sweep will update in place."""
    if type(x) is np.ndarray:
        return x.copy()
    if type(x) is list:
        return list(x)
    return x


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the tree helpers."""
    defzero_helper(jvp, vjp, zeros_like)
    deflinear_helper(
        jvp, vjp, unbroadcast, "t, x", "_srcad.unbroadcast(dt, x)", "_srcad.broadcast_like(g, t)"
    )
    deflinear_helper(
        jvp, vjp, broadcast_like, "t, like",
        "_srcad.broadcast_like(dt, like)", "_srcad.unbroadcast(g, t)",
    )  # fmt: skip
    jvp.defjvp_joint(rt(add), "a, b", "_srcad.add(da, db)")
    vjp.defvjp(rt(add), "a, b", a="g", b="g")
    deflinear_helper(jvp, vjp, shallow_copy, "t", "_srcad.shallow_copy(dt)", "g")
    deflinear_helper(jvp, vjp, owned_copy, "t", "_srcad.owned_copy(dt)", "g")
    # array_vjp splits an array cotangent into the structure of the list `obj`: the transpose
    # builds the array back
    deflinear_helper(
        jvp, vjp, array_vjp, "t, obj",
        "_srcad.array_vjp(dt, obj)", "np.reshape(np.asarray(g), np.shape(t))",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, scalar_vjp, "t, x", "_srcad.scalar_vjp(dt, x)", "_srcad.unbroadcast(g, t)"
    )
