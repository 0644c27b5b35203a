"""The rules of ``numpy.polynomial``'s derivative series (``polyder``, ``chebder``, ``legder``,
``hermder``, ``hermeder``, ``lagder``) and 2-D evaluations (``polyval2d``, ``chebval2d``,
``legval2d``, ``hermval2d``, ``hermeval2d``, ``lagval2d``), with the runtime helpers their rules
call and those helpers' own rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

``der(c, m, scl, axis)`` is linear in `c` (`m`, `scl`, `axis` carry no derivative): its
cotangent applies the transposed matrix ``der(eye(n), m, scl)`` along `axis`
(``series_der_t``). ``val2d(x, y, c) = sum_ij c_ij B_i(x) B_j(y)`` is linear in `c`; its
derivatives in `x` and `y` are ``val2d`` of the coefficients differentiated along axis 0 or 1,
so every derivative is ``series2d(kind, x, y, c, kx, ky)`` (``val2d(x, y, der(der(c, kx, axis=0),
ky, axis=1))``) and its cotangent in `c`, ``series2d_cvjp``: ``sum_k t_k D^kx B_i(x_k)
D^ky B_j(y_k)``::

    jvp: dx * _srcad.series2d('polynomial', x, y, c, 1, 0)
         + dy * _srcad.series2d('polynomial', x, y, c, 0, 1)
         + _srcad.series2d('polynomial', x, y, dc, 0, 0)

2-D real coefficients only (more dimensions, NumPy's one polynomial per trailing index, refused
at run time); `x` and `y` of one shape, as NumPy requires.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.reductions import _like_input

_KINDS = {
    "polynomial": ("polyder", "polyval2d", "polyval"),
    "chebyshev": ("chebder", "chebval2d", "chebval"),
    "legendre": ("legder", "legval2d", "legval"),
    "hermite": ("hermder", "hermval2d", "hermval"),
    "hermite_e": ("hermeder", "hermeval2d", "hermeval"),
    "laguerre": ("lagder", "lagval2d", "lagval"),
}
DERS = {f"numpy.polynomial.{k}.{d}": k for k, (d, _, _) in _KINDS.items()}
VALS2D = {f"numpy.polynomial.{k}.{v}": k for k, (_, v, _) in _KINDS.items()}


def _fns(kind):
    module = getattr(np.polynomial, kind)
    return tuple(getattr(module, name) for name in _KINDS[kind])


def _real(c, what):
    c = np.asarray(c, np.result_type(np.asarray(c), float))
    if np.iscomplexobj(c):
        raise _unsupported(f"np.polynomial's {what} has a derivative rule for real values only")
    return c


@helper
def series_der_t(kind, t, c, m, scl, axis):
    """Cotangent of `c` for ``der(c, m, scl, axis)`` with cotangent `t` (linear in t): the
    transposed matrix ``der(eye(n), m, scl)`` applied along `axis`."""
    der = _fns(kind)[0]
    c = _real(c, "derivative series")
    ax = axis % c.ndim
    D = der(np.eye(c.shape[ax]), m, scl, 0)  # (rows of the result, n)
    t = np.moveaxis(np.asarray(t, float), ax, 0)
    return _like_input(np.moveaxis(np.tensordot(D.T, t, 1), 0, ax), c)


def _ders(der, c, kx, ky):
    c = der(c, kx, 1, 0) if kx else c
    return der(c, ky, 1, 1) if ky else c


def _check2d(c, x, y):
    if c.ndim != 2:
        raise _unsupported(
            "np.polynomial's 2-D evaluations have a derivative rule for 2-D coefficients only"
        )
    if np.shape(x) != np.shape(y):
        raise ValueError("x, y are incompatible")


@helper
def series2d(kind, x, y, c, kx, ky):
    """``val2d(x, y, c)`` differentiated `kx` times in x and `ky` times in y."""
    der, val2d, _ = _fns(kind)
    c = _real(c, "2-D evaluation")
    _check2d(c, x, y)
    return val2d(x, y, _ders(der, c, kx, ky))


def _basis(der, val, x, n, k):
    """V[..., i] = D^k B_i(x) for i < n."""
    eye = np.eye(n)
    return np.stack([val(x, der(eye[i], k) if k else eye[i]) for i in range(n)], -1)


@helper
def series2d_cvjp(kind, t, x, y, c, kx, ky):
    """Cotangent of `c` for ``series2d(kind, x, y, c, kx, ky)`` with cotangent `t` (linear in
    t; `c` gives only the shape)."""
    der, _, val = _fns(kind)
    c = _real(c, "2-D evaluation")
    _check2d(c, x, y)
    x, y = np.asarray(x, float), np.asarray(y, float)
    vx = _basis(der, val, x, c.shape[0], kx).reshape(-1, c.shape[0])
    vy = _basis(der, val, y, c.shape[1], ky).reshape(-1, c.shape[1])
    t = np.broadcast_to(np.asarray(t, float), x.shape).reshape(-1)
    return _like_input((vx * t[:, None]).T @ vy, c)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    sig, nd = "c, m=1, scl=1, axis=0", ("m", "scl", "axis")
    for prim, kind in DERS.items():
        jvp.defjvp(prim, sig, nondiff=nd, c=f"_srcad.series_der_apply({kind!r}, dc, m, scl, axis)")
        vjp.defvjp(prim, sig, nondiff=nd, c=f"_srcad.series_der_t({kind!r}, g, c, m, scl, axis)")
    # series_der_t is linear in g; c gives only the shape
    sig, nd = "kind, t, c, m, scl, axis", ("kind", "m", "scl", "axis")
    jvp.defjvp(
        rt(series_der_t), sig, nondiff=nd,
        t="_srcad.series_der_t(kind, dt, c, m, scl, axis)", c="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(series_der_t), sig, nondiff=nd,
        t="_srcad.series_der_apply(kind, g, m, scl, axis)", c="_srcad.zeros_like(c)",
    )  # fmt: skip
    jvp.defjvp(
        rt(series_der_apply), "kind, c, m, scl, axis", nondiff=("kind", "m", "scl", "axis"),
        c="_srcad.series_der_apply(kind, dc, m, scl, axis)",
    )  # fmt: skip
    vjp.defvjp(
        rt(series_der_apply), "kind, c, m, scl, axis", nondiff=("kind", "m", "scl", "axis"),
        c="_srcad.series_der_t(kind, g, c, m, scl, axis)",
    )  # fmt: skip
    for prim, kind in VALS2D.items():
        k = repr(kind)
        jvp.defjvp(
            prim, "x, y, c",
            x=f"dx * _srcad.series2d({k}, x, y, c, 1, 0)",
            y=f"dy * _srcad.series2d({k}, x, y, c, 0, 1)",
            c=f"_srcad.series2d({k}, x, y, dc, 0, 0)",
        )  # fmt: skip
        vjp.defvjp(
            prim, "x, y, c",
            x=f"_srcad.unbroadcast(g * _srcad.series2d({k}, x, y, c, 1, 0), x)",
            y=f"_srcad.unbroadcast(g * _srcad.series2d({k}, x, y, c, 0, 1), y)",
            c=f"_srcad.series2d_cvjp({k}, g, x, y, c, 0, 0)",
        )  # fmt: skip
    sig, nd = "kind, x, y, c, kx, ky", ("kind", "kx", "ky")
    jvp.defjvp(
        rt(series2d), sig, nondiff=nd,
        x="dx * _srcad.series2d(kind, x, y, c, kx + 1, ky)",
        y="dy * _srcad.series2d(kind, x, y, c, kx, ky + 1)",
        c="_srcad.series2d(kind, x, y, dc, kx, ky)",
    )  # fmt: skip
    vjp.defvjp(
        rt(series2d), sig, nondiff=nd,
        x="_srcad.unbroadcast(g * _srcad.series2d(kind, x, y, c, kx + 1, ky), x)",
        y="_srcad.unbroadcast(g * _srcad.series2d(kind, x, y, c, kx, ky + 1), y)",
        c="_srcad.series2d_cvjp(kind, g, x, y, c, kx, ky)",
    )  # fmt: skip
    # series2d_cvjp(t, ..)_ij = sum_k t_k D^kx B_i(x_k) D^ky B_j(y_k): linear in t
    sig = "kind, t, x, y, c, kx, ky"
    jvp.defjvp(
        rt(series2d_cvjp), sig, nondiff=nd,
        t="_srcad.series2d_cvjp(kind, dt, x, y, c, kx, ky)",
        x="_srcad.series2d_cvjp(kind, t * dx, x, y, c, kx + 1, ky)",
        y="_srcad.series2d_cvjp(kind, t * dy, x, y, c, kx, ky + 1)",
        c="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(series2d_cvjp), sig, nondiff=nd,
        t="_srcad.unbroadcast(_srcad.series2d(kind, x, y, g, kx, ky) + 0.0 * t, t)",
        x="_srcad.unbroadcast(t * _srcad.series2d(kind, x, y, g, kx + 1, ky), x)",
        y="_srcad.unbroadcast(t * _srcad.series2d(kind, x, y, g, kx, ky + 1), y)",
        c="_srcad.zeros_like(c)",
    )  # fmt: skip


@helper
def series_der_apply(kind, c, m, scl, axis):
    """``der(c, m, scl, axis)`` of the family `kind` (the transpose of `series_der_t`)."""
    return _fns(kind)[0](_real(c, "derivative series"), m, scl, axis)
