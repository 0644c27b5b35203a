"""``np.gradient(f, x, axis=k, edge_order=e)`` with one computed spacing `x` (a coordinate array
or a number, not a constant) written as NumPy's formula (more of `srcad.lower.library.REWRITES`),
so a differentiated spacing has a derivative at every order.

Input: the bound arguments of the call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (several spacings, a computed `axis`/`edge_order`: the call as it is).

Along the axis (moved last), with the coordinates ``c = x * _srcad.gradient_scale(fm, x, e)``
(`x` itself, or ``x * arange(n)`` for a number; NumPy's checks of the lengths) and the spacings
``h = np.diff(c)``, ``h1, h2 = h[:-1], h[1:]``, the inside is NumPy's second-order formula::

    -h2 / (h1 (h1 + h2)) f[:-2] + (h2 - h1) / (h1 h2) f[1:-1] + h1 / (h2 (h1 + h2)) f[2:]

and the two ends NumPy's one-sided differences of order `e` (1 or 2). A uniform spacing gives
NumPy's values to rounding (NumPy divides by ``2 h`` there). ``axis=None`` of a 1-D `f` is axis
0; of an n-D `f` (a tuple of gradients) ``_srcad.gradient_all(f, x, e)``, the call, whose
derivative in `x` is a refusal when it runs (no rule over all axes). Several spacings (one per
axis of `f`, or of a tuple `axis`): the tuple of the gradients along each
(``_srcad.gradient_axes``: the axes, NumPy's check of their number).
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Const, Operand

_E = Ellipsis


def _ix(lc: Any, a: Operand, idx: Any) -> Operand:
    return lc.op("getitem", [a, Const((_E, idx))])


def _weights(lc: Any, h1: Operand, h2: Operand, kind: str) -> tuple:
    """NumPy's weights of the three points: inside ("mid"), first or last end of order 2."""
    s = lc.op("add", [h1, h2])
    p1, p2 = lc.op("mul", [h1, s]), lc.op("mul", [h2, s])
    p12 = lc.op("mul", [h1, h2])
    neg = lambda v: lc.op("neg", [v])  # noqa: E731
    if kind == "mid":
        return (
            lc.op("truediv", [neg(h2), p1]),
            lc.op("truediv", [lc.op("sub", [h2, h1]), p12]),
            lc.op("truediv", [h1, p2]),
        )
    if kind == "first":
        return (
            neg(lc.op("truediv", [lc.op("add", [lc.op("mul", [Const(2.0), h1]), h2]), p1])),
            lc.op("truediv", [s, p12]),
            neg(lc.op("truediv", [h1, p2])),
        )
    return (
        lc.op("truediv", [h2, p1]),
        neg(lc.op("truediv", [s, p12])),
        lc.op("truediv", [lc.op("add", [lc.op("mul", [Const(2.0), h2]), h1]), p2]),
    )


def _combine(lc: Any, w: tuple, pts: tuple) -> Operand:
    out = lc.op("mul", [w[0], pts[0]])
    for wk, pk in zip(w[1:], pts[1:]):
        out = lc.op("add", [out, lc.op("mul", [wk, pk])])
    return out


def _along(lc: Any, f: Operand, x: Operand, ax: Operand, e: int) -> Operand:
    fm = lc.op("numpy.moveaxis", [f, ax, Const(-1)])
    scale = lc.op("srcad.runtime.gradient_scale", [fm, x, Const(e)])
    h = lc.op("numpy.diff", [lc.op("mul", [x, scale])])
    h1, h2 = _ix(lc, h, slice(None, -1)), _ix(lc, h, slice(1, None))
    pts = tuple(_ix(lc, fm, s) for s in (slice(None, -2), slice(1, -1), slice(2, None)))
    mid = _combine(lc, _weights(lc, h1, h2, "mid"), pts)
    if e == 1:
        first = lc.op("truediv", [lc.op("sub", [_ix(lc, fm, 1), _ix(lc, fm, 0)]), _ix(lc, h, 0)])
        last = lc.op("truediv", [lc.op("sub", [_ix(lc, fm, -1), _ix(lc, fm, -2)]), _ix(lc, h, -1)])
    else:
        w = _weights(lc, _ix(lc, h, 0), _ix(lc, h, 1), "first")
        first = _combine(lc, w, tuple(_ix(lc, fm, k) for k in (0, 1, 2)))
        w = _weights(lc, _ix(lc, h, -2), _ix(lc, h, -1), "last")
        last = _combine(lc, w, tuple(_ix(lc, fm, k) for k in (-3, -2, -1)))
    parts = lc.op("tuple", [_ix(lc, first, None), mid, _ix(lc, last, None)])
    out = lc.op("numpy.concatenate", [parts, Const(-1)])
    return lc.op("numpy.moveaxis", [out, Const(-1), ax])


def gradient(lc: Any, f: Operand, varargs: tuple, axis: Operand, edge_order: Operand) -> Any:
    """``np.gradient(f, x, axis=axis, edge_order=edge_order)``: see the module docstring."""
    if not varargs or all(isinstance(v, Const) for v in varargs):
        return None
    e = edge_order.value if isinstance(edge_order, Const) else None
    if e not in (1, 2) or type(e) is not int or not isinstance(axis, Const):
        return None
    if len(varargs) > 1:  # one spacing per axis: a tuple of gradients
        if not (axis.value is None or isinstance(axis.value, tuple)):
            return None
        axes = lc.op("srcad.runtime.gradient_axes", [f, axis, Const(len(varargs))])
        return lc.op("tuple", [
            _along(lc, f, x, lc.op("getitem", [axes, Const(k)]), e) for k, x in enumerate(varargs)
        ])  # fmt: skip
    x = varargs[0]
    if isinstance(axis.value, int) and not isinstance(axis.value, bool):
        return _along(lc, f, x, axis, e)
    if isinstance(axis.value, tuple) and len(axis.value) == 1:  # NumPy's array, not a tuple
        axes = lc.op("srcad.runtime.gradient_axes", [f, axis, Const(1)])
        return _along(lc, f, x, lc.op("getitem", [axes, Const(0)]), e)
    if axis.value is not None:
        return None
    one_d = lc.op("eq", [lc.op("numpy.ndim", [f]), Const(1)])
    return lc.select(
        one_d,
        lambda: _along(lc, f, x, Const(0), e),
        lambda: lc.op("srcad.runtime.gradient_all", [f, x, edge_order]),
        f,
    )


def _gradient_sig(f, *varargs, axis=None, edge_order=1):  # noqa: ANN001, ANN202
    return None


REWRITES = {"numpy.gradient": (_gradient_sig, gradient)}
