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
- ``simpson_apply(y, x, dx, flags) = y @ W``, ``W`` the weights of ``simpson`` (or of
  ``cumulative_simpson``) made by SciPy on the identity: linear in ``y`` (its transpose
  ``simpson_apply_t``); the sample points ``x``/``dx`` have no term: active, they are refused.

Example::

    scipy.linalg.toeplitz([a, b, c])  ->  np.take([0, a, b, c, a, b, c], [[1, 5, 6], [2, 1, 5], [3, 2, 1]])
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
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


def simpson_apply(y, x, dx, flags):
    """``scipy.integrate.simpson``/``cumulative_simpson`` of `y` along its last axis (``y @ W``,
    computed by SciPy: the forward passes never form ``W``)."""
    cumulative, initial = flags
    if cumulative:
        return si.cumulative_simpson(y, x=x, dx=dx, axis=-1, initial=initial)
    return si.simpson(y, x=x, dx=dx, axis=-1)


def simpson_apply_t(t, x, dx, flags, n):
    """The transpose of `simpson_apply` on rows of length `n`: ``t @ W.T`` (``t[..., None] * W``
    for the plain integral); ``W`` is made from the identity, O(n^2) (reverse mode only)."""
    w = _simpson_weights(n, x, dx, flags)
    t = np.asarray(t)
    return np.matmul(t, w.T) if flags[0] else t[..., None] * w


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
    # linear in y / g; the sample points `x`, `dx` have no term: active, they are refused
    sig, nd = "y, x, dx, flags", ("flags",)
    jvp.defjvp(rt(simpson_apply), sig, nondiff=nd, y="_srcad.simpson_apply(dy, x, dx, flags)")
    vjp.defvjp(rt(simpson_apply), sig, nondiff=nd,
               y="_srcad.simpson_apply_t(g, x, dx, flags, np.shape(y)[-1])")  # fmt: skip
    sig, nd = "t, x, dx, flags, n", ("flags", "n")
    jvp.defjvp(
        rt(simpson_apply_t), sig, nondiff=nd, t="_srcad.simpson_apply_t(dt, x, dx, flags, n)"
    )
    vjp.defvjp(rt(simpson_apply_t), sig, nondiff=nd, t="_srcad.simpson_apply(g, x, dx, flags)")


_NAMES = (*_PARTIALS, *_ELLIPTIC, "hyp2f1")
ELEMENTWISE: tuple[str, ...] = () if sp is None else tuple(f"scipy.special.{n}" for n in _NAMES)
PURE = ELEMENTWISE
if sp is not None:  # runtime helpers only with scipy
    for _fn in (struct_index, pair_rows, simpson_apply, simpson_apply_t, sp_h2f1):
        helper(_fn)
