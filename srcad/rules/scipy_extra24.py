"""scipy.special ``exprel``, ``wrightomega``, ``ndtri_exp``, ``ellipk``, ``ellipe``, ``hyp2f1`` (in z),
and the runtime helpers of the SciPy calls `srcad.lower.library_lib24` writes as other primitives.
Registered only when scipy is imported.

Input: the `RuleTable` pair. Output: the tables filled with these rules.

- ``exprel(x) = expm1(x) / x``: d/dx = ``sp_exprel(1, x)`` (scipy_special4's helper, exact at 0);
- ``wrightomega(x)``: ``w' = w / (1 + w)``; ``ndtri_exp(x)``: ``sqrt(2 pi) exp(x + ans**2 / 2)``;
- ``ellipk(m)``/``ellipe(m)`` through Gauss's function: ``K' = pi/8 2F1(3/2, 3/2; 2; m)``,
  ``E' = -pi/8 2F1(1/2, 3/2; 2; m)`` (exact at ``m = 0``); ``hyp2f1(a, b, c, z)`` in ``z``
  (``a b / c 2F1(a+1, b+1; c+1; z)``, the helper ``sp_h2f1``; active a, b, c are refused);
- ``struct_index(kind, c, r)``: the positions ``scipy.linalg.toeplitz``/``hankel``/``circulant``
  and ``scipy.spatial.distance.squareform`` read, made by the SciPy function itself on integer
  positions (1-based; 0 reads a zero); ``pair_rows(kind, a, b)``: SciPy's shape checks of
  ``cdist``/``pdist``/the two-vector distances, and the reshapes / row pairs they compare. Both
  locally constant: zero derivative;
- ``simpson_apply(y, x, step, flags) = y @ W``, ``W`` the weights of ``simpson`` (or of
  ``cumulative_simpson``) made by SciPy on the identity: linear in ``y`` (its transpose
  ``simpson_apply_t``); in the sample points ``x`` of ``simpson`` through the spacings ``h =
  diff(x)``: each pair's ``(h0 + h1) / 6 (y0 (2 - h1/h0) + y1 (h0 + h1)^2 / (h0 h1) + y2 (2 -
  h0/h1))`` and SciPy's last-interval correction for an even length, differentiated by hand
  (`simpson_dh`; a repeated sample point is refused; its helpers are linear in the tangent and
  cotangent only: a second order in x is refused);
  ``cumulative_simpson``'s ``x`` and the spacing ``step`` (``dx=``) have no term: active, they
  are refused.

Example::

    scipy.linalg.toeplitz([a, b, c])  ->  np.take([0, a, b, c, a, b, c], [[1, 5, 6], [2, 1, 5], [3, 2, 1]])
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import DiffError
from srcad.rules.helpers import defzero_helper, helper, rt
from srcad.rules.scipy_special2 import partial_rules

try:
    import scipy.integrate as si
    import scipy.linalg as sl
    import scipy.spatial.distance as sd
    import scipy.special as sp
except ImportError:  # pragma: no cover - scipy is optional
    sp = None


def struct_index(kind, c, r):
    """The 1-based positions in ``[0, ravel(c), ravel(r)]`` of SciPy's `kind` matrix of `c`, `r`
    (for "squareform", `r` is ``(force, checks)`` and SciPy's checks of `c` run here)."""
    c = np.asarray(c)
    pc = np.arange(1, c.size + 1).reshape(c.shape)
    if kind == "squareform":
        force, checks = r
        sd.squareform(c, force=force, checks=checks)  # SciPy's errors
        return sd.squareform(pc, force=force, checks=False)
    if kind == "circulant":
        return sl.circulant(pc)
    if r is None:
        return getattr(sl, kind)(pc)
    r = np.asarray(r)
    return getattr(sl, kind)(pc, np.arange(c.size + 1, c.size + r.size + 1).reshape(r.shape))


def pair_rows(kind, a, b):
    """SciPy's shape checks of ``cdist(a, b)``, ``pdist(a)`` and the distances of two vectors,
    and what the rewrite compares: the shapes ``(m, 1, k)``, ``(1, n, k)`` (cdist), the rows
    ``i < j`` (pdist), the vectors' shape (a pair)."""
    a, b = np.asarray(a), np.asarray(b)
    if kind == "pair":
        a, b = np.squeeze(np.atleast_1d(a)), np.squeeze(np.atleast_1d(b))
        if a.ndim > 1 or b.ndim > 1:
            raise ValueError("Input vector should be 1-D.")
        if a.size != b.size:
            raise ValueError(f"u and v have different lengths: {a.size}, {b.size}")
        return (a.size,), (b.size,)
    for name, x in (("XA", a), ("XB", b)) if kind == "cdist" else (("X", a),):
        if x.ndim != 2:
            raise ValueError(f"{name} must be a 2-dimensional array.")
    if kind == "pdist":
        return np.triu_indices(a.shape[0], 1)
    if a.shape[1] != b.shape[1]:
        raise ValueError("XA and XB must have the same number of columns (i.e. feature dimension.)")
    return (a.shape[0], 1, a.shape[1]), (1, b.shape[0], b.shape[1])


def _simpson_weights(n, x, dx, flags):
    """``W`` with ``scipy.integrate.simpson(y, x=x, dx=dx) == y @ W`` along the last axis of
    length `n` (``cumulative_simpson`` for ``flags = (True, initial)``): SciPy on the identity."""
    if x is not None and np.ndim(x) != 1:
        raise ValueError(
            "srcad: scipy.integrate.simpson with an N-d `x`: only a 1-D `x` is supported"
        )
    eye = np.eye(n)
    cumulative, initial = flags
    if cumulative:
        return si.cumulative_simpson(eye, x=x, dx=dx, axis=-1, initial=initial)
    return si.simpson(eye, x=x, dx=dx, axis=-1)


def simpson_apply(y, x, step, flags):
    """``scipy.integrate.simpson``/``cumulative_simpson`` of `y` along its last axis (``y @ W``,
    computed by SciPy: the forward passes never form ``W``)."""
    cumulative, initial = flags
    if cumulative:
        return si.cumulative_simpson(y, x=x, dx=step, axis=-1, initial=initial)
    return si.simpson(y, x=x, dx=step, axis=-1)


def simpson_apply_t(t, x, step, flags, n):
    """The transpose of `simpson_apply` on rows of length `n`: ``t @ W.T`` (``t[..., None] * W``
    for the plain integral); ``W`` is made from the identity, O(n^2) (reverse mode only)."""
    w = _simpson_weights(n, x, step, flags)
    t = np.asarray(t)
    return np.matmul(t, w.T) if flags[0] else t[..., None] * w


def simpson_dh(y, x, flags):
    """``d simpson(y, x) / d h`` for the spacings ``h = diff(x)``: shape ``y.shape[:-1] + (n -
    1,)`` (the module docstring's formulas, SciPy's branches on ``n``)."""
    if flags[0]:
        raise DiffError(
            "`scipy.integrate.cumulative_simpson` is not differentiated in its sample points `x`",
            hint="hold `x` constant (srcad.stop_gradient(x)), or differentiate `simpson`",
        )
    if np.ndim(x) != 1:  # (x of y's shape: not differentiated)
        raise DiffError(
            "`scipy.integrate.simpson` is differentiated in its sample points `x` of one "
            "dimension only",
            hint="pass the 1-D grid, or hold `x` constant (srcad.stop_gradient(x))",
        )
    y = np.asarray(y, dtype=float)
    h = np.diff(np.asarray(x, dtype=float))
    n = y.shape[-1]
    out = np.zeros(y.shape[:-1] + (max(n - 1, 0),))
    if n < 2:
        return out
    if np.any(h == 0):
        raise DiffError(
            "`scipy.integrate.simpson` at sample points `x` two of which are equal: its value "
            "there is not differentiable in `x`",
            hint="drop the repeated point, or hold `x` constant (srcad.stop_gradient(x))",
        )
    if n == 2:
        out[..., 0] = 0.5 * (y[..., 0] + y[..., 1])
        return out
    stop = n - 2 if n % 2 else n - 3  # (SciPy's `_basic_simpson(y, 0, stop)`)
    h0, h1 = h[0:stop:2], h[1 : stop + 1 : 2]
    y0, y1, y2 = y[..., 0:stop:2], y[..., 1 : stop + 1 : 2], y[..., 2 : stop + 2 : 2]
    s = h0 + h1
    out[..., 0:stop:2] = (
        y0 * ((2 - h1 / h0) + s * h1 / (h0 * h0))
        + y1 * (s * s * (3 * h0 - s) / (h0 * h0 * h1))
        + y2 * ((2 - h0 / h1) - s / h1)
    ) / 6
    out[..., 1 : stop + 1 : 2] = (
        y0 * ((2 - h1 / h0) - s / h0)
        + y1 * (s * s * (3 * h1 - s) / (h0 * h1 * h1))
        + y2 * ((2 - h0 / h1) + s * h0 / (h1 * h1))
    ) / 6
    if n % 2 == 0:  # (the last interval: alpha y[-1] + beta y[-2] - eta y[-3])
        a, b = h[-2], h[-1]
        s = a + b
        ya, yb, yc = y[..., -1], y[..., -2], y[..., -3]
        out[..., -2] += (
            ya * b * b / s**2 - yb * b * b / a**2 + yc * b**3 * (s + a) / (a * a * s * s)
        ) / 6
        out[..., -1] += (
            ya * (2 * b * b + 4 * a * b + 3 * a * a) / s**2
            + yb * (2 * b / a + 3)
            - yc * b * b * (3 * s - b) / (a * s * s)
        ) / 6
    return out


def simpson_x_t(t, y, x, flags):
    """The tangent of ``simpson(y, x)`` along a tangent `t` of `x`."""
    return np.sum(simpson_dh(y, x, flags) * np.diff(np.asarray(t, dtype=float)), axis=-1)


def simpson_x_ct(c, y, x, flags):
    """The cotangent of `x` of ``simpson(y, x)`` for the cotangent `c` of its value."""
    p = simpson_dh(y, x, flags)
    gh = np.reshape(np.asarray(c, dtype=float)[..., None] * p, (-1, p.shape[-1])).sum(axis=0)
    out = np.zeros(np.shape(x))
    out[1:] += gh
    out[:-1] -= gh
    return out


def sp_h2f1(a, b, c, z):
    """``scipy.special.hyp2f1(a, b, c, z)`` (its z-derivative: ``a b / c * sp_h2f1(a + 1, b + 1,
    c + 1, z)``, so every order closes)."""
    return sp.hyp2f1(a, b, c, z)


_PI8 = repr(float(np.pi / 8.0))
_H2F1 = "a * b / c * _srcad.sp_h2f1(a + 1.0, b + 1.0, c + 1.0, z)"
_PARTIALS = {
    "exprel": "_srcad.sp_exprel(1, x)",
    "wrightomega": "ans / (1.0 + ans)",
    # ndtri_exp(x) = ndtri(e^x): e^x / pdf(ans), in log space (x may be -1000)
    "ndtri_exp": f"{float(np.sqrt(2.0 * np.pi))!r} * np.exp(x + 0.5 * ans * ans)",
}
# K(m) = pi/2 2F1(1/2, 1/2; 1; m), E(m) = pi/2 2F1(-1/2, 1/2; 1; m): exact at m = 0 too
_ELLIPTIC = {
    "ellipk": f"{_PI8} * _srcad.sp_h2f1(1.5, 1.5, 2.0, m)",
    "ellipe": f"-{_PI8} * _srcad.sp_h2f1(0.5, 1.5, 2.0, m)",
}


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if sp is None:
        return
    for name, dx in _PARTIALS.items():
        partial_rules(jvp, vjp, f"scipy.special.{name}", "x", (), x=dx)
    for name, dm in _ELLIPTIC.items():
        partial_rules(jvp, vjp, f"scipy.special.{name}", "m", (), m=dm)
    # in z only: an active a, b or c is refused
    partial_rules(jvp, vjp, "scipy.special.hyp2f1", "a, b, c, z", (), z=_H2F1)
    partial_rules(jvp, vjp, rt(sp_h2f1), "a, b, c, z", (), z=_H2F1)
    defzero_helper(jvp, vjp, struct_index, pair_rows)
    # linear in y / g; in x through the spacings (the helpers have no rules: a second order
    # is refused); the spacing `step` has no term: active, it is refused
    sig, nd = "y, x, step, flags", ("flags",)
    jvp.defjvp(rt(simpson_apply), sig, nondiff=nd, y="_srcad.simpson_apply(dy, x, step, flags)",
               x="_srcad.simpson_x_t(dx, y, x, flags)")  # fmt: skip
    vjp.defvjp(rt(simpson_apply), sig, nondiff=nd,
               y="_srcad.simpson_apply_t(g, x, step, flags, np.shape(y)[-1])",
               x="_srcad.simpson_x_ct(g, y, x, flags)")  # fmt: skip
    # the x terms' helpers: linear in the tangent / cotangent, each the other's transpose; in
    # y and x no term (active at second order: refused)
    sig, nd = "t, y, x, flags", ("flags",)
    jvp.defjvp(rt(simpson_x_t), sig, nondiff=nd, t="_srcad.simpson_x_t(dt, y, x, flags)")
    vjp.defvjp(rt(simpson_x_t), sig, nondiff=nd, t="_srcad.simpson_x_ct(g, y, x, flags)")
    sig = "c, y, x, flags"
    jvp.defjvp(rt(simpson_x_ct), sig, nondiff=nd, c="_srcad.simpson_x_ct(dc, y, x, flags)")
    vjp.defvjp(rt(simpson_x_ct), sig, nondiff=nd, c="_srcad.simpson_x_t(g, y, x, flags)")
    sig, nd = "t, x, step, flags, n", ("flags", "n")
    jvp.defjvp(
        rt(simpson_apply_t), sig, nondiff=nd, t="_srcad.simpson_apply_t(dt, x, step, flags, n)"
    )
    vjp.defvjp(rt(simpson_apply_t), sig, nondiff=nd, t="_srcad.simpson_apply(g, x, step, flags)")


_NAMES = (*_PARTIALS, *_ELLIPTIC, "hyp2f1")
ELEMENTWISE: tuple[str, ...] = () if sp is None else tuple(f"scipy.special.{n}" for n in _NAMES)
PURE = ELEMENTWISE
if sp is not None:  # runtime helpers only with scipy
    for _fn in (
        struct_index,
        pair_rows,
        simpson_apply,
        simpson_apply_t,
        simpson_x_t,
        simpson_x_ct,
        sp_h2f1,
    ):
        helper(_fn)
