"""``scipy.signal.lfilter(b, a, x)`` (no ``zi``) in all three arguments, through three helpers
whose rules close every order. Registered only when scipy is imported.

Input: the `RuleTable` pair. Output: the tables filled with the rules of the helpers
`srcad.lower.library_lib24` writes ``lfilter`` as. With ``T`` the filter (lower triangular
Toeplitz along `axis`) and ``R`` the reversal along it (``T' = R T R``):

- ``sp_lfilter(b, a, x, axis) = T x``: ``A y = B x`` gives ``dy = lfilter(db, a, x) -
  lfilter(da, a, y) + lfilter(b, a, dx)``; VJP: ``v = sp_lfilter_t([1], a, g)``, ``b_k =
  sum v_n x_{n-k}``, ``a_k = -sum v_n y_{n-k}`` (``sp_lag_corr``), ``x = sp_lfilter_t(b, a, g)``;
- ``sp_lfilter_t(b, a, t, axis) = R T R t`` (the transpose), the same with reversed signals;
- ``sp_lag_corr(v, x, m, axis) = [sum v_n x_{n-k} for k < m]`` (summed over the other axes):
  bilinear, its transposes ``lfilter(c, [1], x)`` and ``sp_lfilter_t(c, [1], v)``.

Example::

    jvp of scipy.signal.lfilter(b, a, x) in a:  -_srcad.sp_lfilter(da, a, ans, axis)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt

try:
    import scipy.signal as ss
except ImportError:  # pragma: no cover - scipy is optional
    ss = None


def sp_lfilter(b, a, x, axis):
    """``scipy.signal.lfilter(b, a, x, axis)`` (no initial conditions)."""
    return ss.lfilter(b, a, x, axis=axis)


def sp_lfilter_t(b, a, t, axis):
    """The transpose of `sp_lfilter` in its signal: the filter run backwards along `axis`."""
    return np.flip(ss.lfilter(b, a, np.flip(t, axis), axis=axis), axis)


def sp_lag_corr(v, x, m, axis):
    """``c_k = sum v_n x_{n-k}`` for ``k < m`` along `axis`, summed over the other axes."""
    v, x = np.broadcast_arrays(np.asarray(v), np.asarray(x))
    v, x = np.moveaxis(v, axis, -1), np.moveaxis(x, axis, -1)
    n = v.shape[-1]
    out = np.zeros(m, dtype=np.result_type(v, x, float))
    for k in range(min(m, n)):
        out[k] = np.sum(v[..., k:] * x[..., : n - k])
    return out


_ONE = "np.ones(1)"
_V = "_srcad.sp_lfilter_t(" + _ONE + ", a, g, axis)"  # T(1, a)' g
_VT = "_srcad.sp_lfilter(" + _ONE + ", a, g, axis)"  # (R T(1, a) R)' g
_FLIP = "np.flip({}, axis)"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if ss is None:
        return
    sig, nd = "b, a, x, axis", ("axis",)
    jvp.defjvp(rt(sp_lfilter), sig, nondiff=nd,
               b="_srcad.sp_lfilter(db, a, x, axis)", a="-_srcad.sp_lfilter(da, a, ans, axis)",
               x="_srcad.sp_lfilter(b, a, dx, axis)")  # fmt: skip
    vjp.defvjp(rt(sp_lfilter), sig, nondiff=nd,
               b=f"_srcad.sp_lag_corr({_V}, x, np.shape(b)[0], axis)",
               a=f"-_srcad.sp_lag_corr({_V}, ans, np.shape(a)[0], axis)",
               x="_srcad.unbroadcast(_srcad.sp_lfilter_t(b, a, g, axis), x)")  # fmt: skip
    sig = "b, a, t, axis"
    jvp.defjvp(rt(sp_lfilter_t), sig, nondiff=nd,
               b="_srcad.sp_lfilter_t(db, a, t, axis)", a="-_srcad.sp_lfilter_t(da, a, ans, axis)",
               t="_srcad.sp_lfilter_t(b, a, dt, axis)")  # fmt: skip
    # z = R T R t: with u = R t, w = R z and v = T(1, a)' R g, b_k = sum v_n u_{n-k}
    vjp.defvjp(rt(sp_lfilter_t), sig, nondiff=nd,
               b=f"_srcad.sp_lag_corr({_FLIP.format(_VT)}, {_FLIP.format('t')}, np.shape(b)[0], axis)",
               a=f"-_srcad.sp_lag_corr({_FLIP.format(_VT)}, {_FLIP.format('ans')}, np.shape(a)[0], axis)",
               t="_srcad.unbroadcast(_srcad.sp_lfilter(b, a, g, axis), t)")  # fmt: skip
    sig, nd = "v, x, m, axis", ("m", "axis")
    jvp.defjvp(rt(sp_lag_corr), sig, nondiff=nd,
               v="_srcad.sp_lag_corr(dv, x, m, axis)", x="_srcad.sp_lag_corr(v, dx, m, axis)")  # fmt: skip
    v_bar = "_srcad.sp_lfilter(g, np.ones(1), x + np.zeros_like(v), axis)"
    x_bar = "_srcad.sp_lfilter_t(g, np.ones(1), v + np.zeros_like(x), axis)"
    vjp.defvjp(rt(sp_lag_corr), sig, nondiff=nd,
               v=f"_srcad.unbroadcast({v_bar}, v)", x=f"_srcad.unbroadcast({x_bar}, x)")  # fmt: skip


ELEMENTWISE: tuple[str, ...] = ()
PURE: tuple[str, ...] = ()
if ss is not None:  # runtime helpers only with scipy
    for _fn in (sp_lfilter, sp_lfilter_t, sp_lag_corr):
        helper(_fn)
