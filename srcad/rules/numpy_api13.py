"""``np.nextafter``, ``np.add.reduceat`` and ``np.interp``'s breakpoints: rules and helpers.

Input: the `RuleTable` pair. Output: the tables filled with the rules of ``numpy.nextafter``, of
the helpers ``add_reduceat``/``reduceat_vjp`` (what ``np.add.reduceat(a, indices, axis)`` lowers
to, lower/library.py) and the `xp` terms of ``numpy.interp`` and of its helpers.

- ``np.nextafter(x, y)`` is `x` moved by one unit in the last place towards `y`: as a function of
  real numbers it is `x` itself (central differences see slope 1), locally constant in `y`;
- ``np.add.reduceat(a, indices, axis)`` sums the segments ``a[indices[i]:indices[i+1]]`` (the one
  entry ``a[indices[i]]`` where the next index is not larger): linear in `a`; its transpose adds
  each output's cotangent to the entries of its segment (``reduceat_vjp``);
- ``np.interp(x, xp, fp)`` on the segment ``xp[k] <= x < xp[k+1]`` is ``fp[k] + s (x - xp[k])``
  with the slope ``s``; moving the breakpoints by ``dxp`` moves it by ``-s * interp(x, xp, dxp)``
  (0 outside ``[xp[0], xp[-1])``, where the value is `left`/`right`, whose own terms are the
  indicators of ``x < xp[0]`` / ``x > xp[-1]``); the slope itself moves by
  ``-s * slope(x, xp, dxp)``. Example::

    np.interp(x, xp, fp), jvp in xp:
        -_srcad.interp_slope(x, xp, fp, period) * np.interp(x, xp, dxp, 0.0, 0.0, period)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, helper, rt
from srcad.rules.numpy_extra import interp_fp_vjp, interp_slope, interp_slope_vjp


@helper
def add_reduceat(a, indices, axis=0):
    """``np.add.reduceat(a, indices, axis)``."""
    return np.add.reduceat(a, indices, axis)


@helper
def reduceat_vjp(t, a, indices, axis=0):
    """Cotangent of `a` for ``np.add.reduceat(a, indices, axis)``: output i's cotangent `t[i]` added to
    every entry of its segment (linear in `g`; `a`: only its shape and dtype are read)."""
    a = np.asarray(a)
    ax = axis % a.ndim if a.ndim else 0
    n = a.shape[ax]
    start = np.asarray(indices, dtype=np.intp).ravel()
    stop = np.append(start[1:], n)
    stop = np.where(stop > start, stop, start + 1)  # (a non-increasing pair: a[start] alone)
    owner = np.repeat(np.arange(len(start)), stop - start)
    pos = np.concatenate([np.arange(s, e) for s, e in zip(start, stop)]) if len(start) else start
    gm = np.moveaxis(np.asarray(t, dtype=np.result_type(a, t, 1.0)), ax, 0)
    out = np.zeros((n,) + gm.shape[1:], dtype=gm.dtype)
    np.add.at(out, pos, gm[owner])
    return np.moveaxis(out, 0, ax)


_INTERP = "x, xp, fp, left=None, right=None, period=None"
_FP_TANGENT = (
    "np.interp(x, xp, {}, None if left is None else 0.0, None if right is None else 0.0, period)"
)
_SLOPE = "_srcad.interp_slope(x, xp, {}, period)"
# `left` (`right`) is the value where x < xp[0] (x > xp[-1]), unused with `period`: its tangent is
# interp's own with fp 0 and the edges (dleft, 0) ((0, dright)); its cotangent that mask's total
_EDGE = "np.interp(x, xp, np.zeros(np.shape(xp)), {}, {}, period)"


def _interp_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """``np.interp`` in x, xp, fp, left, right (period: no term, refused when active) and its helpers
    (`srcad.rules.numpy_extra`) in their every argument, so every order closes."""
    jvp.defjvp(
        "numpy.interp", _INTERP,
        x="dx * " + _SLOPE.format("fp"),
        xp="-" + _SLOPE.format("fp") + " * np.interp(x, xp, dxp, 0.0, 0.0, period)",
        fp=_FP_TANGENT.format("dfp"),
        left=_EDGE.format("dleft", "0.0"), right=_EDGE.format("0.0", "dright"),
    )  # fmt: skip
    vjp.defvjp(
        "numpy.interp", _INTERP,
        x=f"_srcad.unbroadcast(g * {_SLOPE.format('fp')}, x)",
        xp=f"-_srcad.interp_fp_vjp(g * {_SLOPE.format('fp')}, x, xp, xp, 0.0, 0.0, period)",
        fp="_srcad.interp_fp_vjp(g, x, xp, fp, left, right, period)",
        left=f"np.sum(g * {_EDGE.format('1.0', '0.0')})",
        right=f"np.sum(g * {_EDGE.format('0.0', '1.0')})",
    )  # fmt: skip
    # interp_slope(x, xp, fp) = S(x, xp) fp: dS fp = -S fp * S dxp
    sig = "x, xp, fp, period"
    jvp.defjvp(
        rt(interp_slope), sig, nondiff=('period',),
        x="_srcad.zeros_like(ans)", xp="-ans * " + _SLOPE.format("dxp"),
        fp=_SLOPE.format("dfp"),
    )  # fmt: skip
    vjp.defvjp(
        rt(interp_slope), sig, nondiff=('period',),
        x="_srcad.zeros_like(x)", xp="-_srcad.interp_slope_vjp(g * ans, x, xp, xp, period)",
        fp="_srcad.interp_slope_vjp(g, x, xp, fp, period)",
    )  # fmt: skip
    # interp_slope_vjp(t, ...) = S^T t: linear in t, piecewise constant in x; fp: only its
    # length is read; in xp: -S^T (t * S dxp), symmetric in dxp and g
    sig = "t, x, xp, fp, period"
    zj, zv = "_srcad.zeros_like(ans)", "_srcad.zeros_like({})"
    by_xp = "-_srcad.interp_slope_vjp(t * " + _SLOPE + ", x, xp, fp, period)"
    jvp.defjvp(
        rt(interp_slope_vjp), sig, nondiff=('period',),
        t="_srcad.interp_slope_vjp(dt, x, xp, fp, period)", x=zj, fp=zj,
        xp=by_xp.format("dxp"),
    )  # fmt: skip
    vjp.defvjp(
        rt(interp_slope_vjp), sig, nondiff=('period',),
        t=_SLOPE.format("g"), x=zv.format("x"), fp=zv.format("fp"), xp=by_xp.format("g"),
    )  # fmt: skip
    # interp_fp_vjp(t, x) = W(x)^T t: d/dx_i of sum_i t_i W_ij(x_i) is t_i S_ij (the slopes);
    # in xp: -S^T (t * W0 dxp), W0 the weights with 0 outside (left = right = 0);
    # fp, left, right: only the length and None-ness are read.
    sig = "t, x, xp, fp, left, right, period"
    jvp.defjvp(
        rt(interp_fp_vjp), sig, nondiff=('period',),
        t="_srcad.interp_fp_vjp(dt, x, xp, fp, left, right, period)",
        x="_srcad.interp_slope_vjp(t * dx, x, xp, fp, period)",
        xp="-_srcad.interp_slope_vjp(t * np.interp(x, xp, dxp, 0.0, 0.0, period), x, xp, fp, "
        "period)",
        fp=zj, left=zj, right=zj,
    )  # fmt: skip
    vjp.defvjp(
        rt(interp_fp_vjp), sig, nondiff=('period',),
        t=_FP_TANGENT.format("g"),
        x=f"_srcad.unbroadcast(t * {_SLOPE.format('g')}, x)",
        xp=f"-_srcad.interp_fp_vjp(t * {_SLOPE.format('g')}, x, xp, fp, 0.0, 0.0, period)",
        fp=zv.format("fp"), left=zv.format("left"), right=zv.format("right"),
    )  # fmt: skip


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this module's rules."""
    jvp.defjvp(
        "numpy.nextafter", "x1, x2, /", zero_in=("x2",), x1="_srcad.broadcast_like(dx1, ans)"
    )
    vjp.defvjp("numpy.nextafter", "x1, x2, /", zero_in=("x2",), x1="_srcad.unbroadcast(g, x1)")
    deflinear_helper(
        jvp, vjp, add_reduceat, "a, indices, axis=0",
        "_srcad.add_reduceat(da, indices, axis)", "_srcad.reduceat_vjp(g, a, indices, axis)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, reduceat_vjp, "t, a, indices, axis=0",
        "_srcad.reduceat_vjp(dt, a, indices, axis)", "_srcad.add_reduceat(g, indices, axis)",
    )  # fmt: skip
    _interp_rules(jvp, vjp)
