"""Runtime helpers: builtins over iterables (sum, min/max, sorted, zip) and their derivatives.

Part of `srcad.runtime` (see its docstring); generated code calls them as ``_srcad.<name>``.
"""

from __future__ import annotations

import numpy as np

from srcad.runtime.indexing import getitem_vjp
from srcad.runtime.trees import unbroadcast


def iter_sum(xs, start=0.0):
    """``sum(xs, start)`` of tangents (a list/tuple of tangents, or an array summed over axis 0)."""
    total = start
    for t in xs:
        total = total + t
    return total


def iter_sum_vjp(g, xs):
    """Cotangent of `xs` for ``sum(xs)``: `g` for every element, in the structure of `xs`."""
    if isinstance(xs, np.ndarray):
        return np.broadcast_to(g, xs.shape).copy()
    return type(xs)(unbroadcast(g, x) for x in xs)


def _iter_argext(xs, largest: bool) -> int:
    best = 0
    for i in range(1, len(xs)):
        if (xs[i] > xs[best]) if largest else (xs[i] < xs[best]):
            best = i
    return best


def iter_ext_jvp(dxs, xs, largest):
    """Tangent of ``max(xs)`` / ``min(xs)``: the tangent of the first extreme element."""
    return dxs[_iter_argext(xs, largest)]


def iter_ext_vjp(g, xs, largest):
    """Cotangent of `xs` for ``max(xs)`` / ``min(xs)``: `g` at the first extreme element."""
    return getitem_vjp(g, xs, _iter_argext(xs, largest))


def iter_prod_jvp(dxs, xs):
    """Tangent of ``math.prod(xs)`` (exact when some elements are zero)."""
    total = 0.0
    for i, dx in enumerate(dxs):
        total = total + dx * _prod_except(xs, i)
    return total


def iter_prod_vjp(g, xs):
    """Cotangent of `xs` for ``math.prod(xs)``."""
    return type(xs)(g * _prod_except(xs, i) for i in range(len(xs)))


def _prod_except(xs, i):
    p = 1.0
    for j, x in enumerate(xs):
        if j != i:
            p = p * x
    return p


def varargs(args):
    """Normalize a method's ``*args`` axes/shape: ``()`` -> None, ``((1, 0),)`` -> ``(1, 0)``."""
    if len(args) == 0:
        return None
    if len(args) == 1 and (args[0] is None or isinstance(args[0], (tuple, list))):
        return args[0]
    return tuple(args)


def item_vjp(g, x, args):
    """Cotangent of `x` for ``x.item(*args)``."""
    z = np.zeros(np.shape(x))
    if not args:
        z[...] = g
    elif len(args) == 1 and not isinstance(args[0], tuple):
        z.flat[args[0]] = g
    else:
        z[args[0] if len(args) == 1 else args] = g
    return z
