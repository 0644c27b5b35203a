"""Diagonals, triangles and `numpy.linalg` (solve, inv, det, slogdet, norm, cholesky), with the
runtime helpers their rules call.

Input: the `RuleTable` pair. Output: the tables filled with those rules and the helpers' rules.

The rules follow the usual matrix identities (``d inv(A) = -inv(A) dA inv(A)``,
``d det(A) = <cof(A), dA>``, with the cofactor matrix also at singular matrices). Example
(``np.linalg.inv``)::

    jvp: -(ans @ da @ ans)
    vjp: ba = -(ans.mT @ g @ ans.mT)
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand
from srcad.rules import det_cond, linalg_d2, norm_at0
from srcad.rules.helpers import deflinear_helper, helper
from srcad.rules.indexing import _unsupported, _zeros_for
from srcad.rules.products import _bilinear, _linear
from srcad.rules.reductions import _expand, _like_input, prod_others
from srcad.rules.trees import unbroadcast, zeros_like


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the diagonal, triangle and linear-algebra rules."""
    # Diagonals and triangles: linear.
    for prim, x in (("numpy.trace", "a"), ("method.trace", "x")):
        _linear(
            jvp, vjp, prim, f"{x}, offset=0, axis1=0, axis2=1, dtype=None, out=None", x,
            f"np.trace(d{x}, offset, axis1, axis2)",
            f"_srcad.trace_vjp(g, {x}, offset, axis1, axis2)",
            nondiff=("offset", "axis1", "axis2", "dtype", "out"),
        )  # fmt: skip
    for prim, x in (("numpy.diagonal", "a"), ("method.diagonal", "x")):
        _linear(
            jvp, vjp, prim, f"{x}, offset=0, axis1=0, axis2=1", x,
            f"np.diagonal(d{x}, offset, axis1, axis2)",
            f"_srcad.diagonal_vjp(g, {x}, offset, axis1, axis2)",
            nondiff=("offset", "axis1", "axis2"),
        )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.linalg.trace", "x, /, *, offset=0, dtype=None", "x",
        "np.linalg.trace(dx, offset=offset)", "_srcad.trace_vjp(g, x, offset, -2, -1)",
        nondiff=("offset", "dtype"),
    )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.linalg.diagonal", "x, /, *, offset=0", "x",
        "np.linalg.diagonal(dx, offset=offset)", "_srcad.diagonal_vjp(g, x, offset, -2, -1)",
        nondiff=("offset",),
    )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.linalg.matrix_transpose", "x, /", "x",
        "np.swapaxes(dx, -1, -2)", "np.swapaxes(g, -1, -2)",
    )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.diag", "v, k=0", "v", "np.diag(dv, k)", "_srcad.diag_vjp(g, v, k)",
        nondiff=("k",),
    )  # fmt: skip
    # (of a 1-D `m`, NumPy's tril/triu are of the (N, N) matrix whose rows are all `m`: the
    # cotangent sums those rows, `unbroadcast`)
    for name in ("tril", "triu"):
        _linear(
            jvp, vjp, f"numpy.{name}", "m, k=0", "m",
            f"np.{name}(dm, k)", f"_srcad.unbroadcast(np.{name}(g, k), m)",
            nondiff=("k",),
        )  # fmt: skip

    # numpy.linalg
    _bilinear(
        jvp, vjp, "numpy.linalg.solve", "a, b", "a", "b",
        "_srcad.solve_jvp_a(da, a, b, ans)", "np.linalg.solve(a, db)",
        "_srcad.solve_vjp_a(g, a, b, ans)", "_srcad.solve_vjp_b(g, a, b)",
    )  # fmt: skip
    _linear(jvp, vjp, "numpy.linalg.inv", "a", "a", "-(ans @ da @ ans)", "-(ans.mT @ g @ ans.mT)")
    _linear(
        jvp, vjp, "numpy.linalg.det", "a", "a",
        "np.sum(_srcad.det_cofactor(a, _srcad.det_nz(ans, a)) * da, axis=(-2, -1))",
        "_srcad.det_vjp(g, a, _srcad.det_nz(ans, a))",  # (det_cond.py: numerically singular)
    )  # fmt: skip
    # slogdet returns (sign, logabsdet): the tangent is a pair, the sign's part is zero.
    _linear(
        jvp, vjp, "numpy.linalg.slogdet", "a", "a",
        "_srcad.slogdet_jvp(da, a, ans)", "_srcad.slogdet_vjp(g, a)",
    )  # fmt: skip
    # A float `ord` that depends on the inputs: the p-norm's derivative in p (vector norms).
    _bilinear(
        jvp, vjp, "numpy.linalg.norm", "x, ord=None, axis=None, keepdims=False", "x", "ord",
        "_srcad.norm_jvp(dx, x, ord, axis, keepdims, ans)",
        "dord * _srcad.norm_dord(x, ord, axis, keepdims, ans)",
        "_srcad.norm_vjp(g, x, ord, axis, keepdims, ans)",
        "_srcad.unbroadcast(g * _srcad.norm_dord(x, ord, axis, keepdims, ans), ord)",
        nondiff=("axis", "keepdims"),
    )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.linalg.cholesky", "a, /, *, upper=False", "a",
        "_srcad.cholesky_jvp(_srcad.real_only(da, a, 'np.linalg.cholesky'), ans, upper)",
        "_srcad.real_only(_srcad.cholesky_vjp(g, ans, upper), a, 'np.linalg.cholesky')",
        nondiff=("upper",),
    )  # fmt: skip
    _helper_rules(jvp, vjp)


@helper
def diagonal_vjp(g, a, offset=0, axis1=0, axis2=1):
    """Cotangent of `a` for ``np.diagonal(a, offset, axis1, axis2)``: `g` on that diagonal."""
    z = _zeros_for(a, g)
    zm = np.moveaxis(z, (axis1, axis2), (-2, -1))
    k = np.shape(g)[-1]
    i = np.arange(k) + max(-offset, 0)
    zm[..., i, i + offset] = g
    return z


@helper
def trace_vjp(g, a, offset=0, axis1=0, axis2=1):
    """Cotangent of `a` for ``np.trace(a, offset, axis1, axis2)``."""
    k = np.diagonal(a, offset, axis1, axis2).shape[-1]
    gd = np.broadcast_to(np.expand_dims(g, -1), np.shape(g) + (k,))
    return diagonal_vjp(gd, a, offset, axis1, axis2)


@helper
def diag_vjp(g, v, k=0):
    """Cotangent of `v` for ``np.diag(v, k)`` (1-D: take the diagonal; 2-D: embed it)."""
    if np.ndim(v) == 1:
        return np.diagonal(g, k).copy()
    return diagonal_vjp(g, v, k, 0, 1)


def _mT(a):
    return np.swapaxes(a, -1, -2)


def _inexact(a):
    a = np.asarray(a)
    return a if a.dtype.kind in "fc" else a.astype(float)


def _real_at_zero(a):  # the SVD formulas where det(a) == 0 use transposes, not U^H
    if a.dtype.kind == "c":
        raise _unsupported("np.linalg.det of a singular complex matrix has no derivative rule")


@helper
def det_cofactor(a, ans):
    """The cofactor matrix ``det(a) * inv(a).T`` (the gradient of ``det``), also where `a` is
    singular: there from the SVD ``a = U S V^T``, ``det(U) det(V) U diag(prod_{j!=i} s_j) V^T``."""
    a = _inexact(a)
    ans = np.asarray(ans)
    if np.all(ans != 0):  # (holomorphic: a complex `a` too)
        return ans[..., None, None] * _mT(np.linalg.inv(a))
    _real_at_zero(a)
    u, sv, vt = np.linalg.svd(a)
    sign = np.linalg.det(u) * np.linalg.det(vt)
    cof = (u * prod_others(sv, -1)[..., None, :]) @ vt * sign[..., None, None]
    safe = np.where(ans[..., None, None] != 0, a, np.eye(a.shape[-1]))
    exact = ans[..., None, None] * _mT(np.linalg.inv(safe))
    return np.where(ans[..., None, None] != 0, exact, cof)


@helper
def det_cofactor_d(t, a, d):
    """The derivative of `det_cofactor` at `a` (``d = det(a)``) in the direction `t`: the
    Hessian of ``det`` applied to `t` (self-adjoint). ``-d B t.T B`` with ``B = inv(a).T`` where
    ``d != 0``; where ``d == 0`` exactly, from the SVD ``a = U S V^T`` (``F = U^T t V``): ``det(U)
    det(V) U D V^T`` with ``D_ii = sum_{k != i} F_kk P_ik``, ``D_ij = -F_ji P_ij`` and ``P_ij =
    prod_{k not in {i, j}} s_k``, exact at singular matrices too."""
    a, t = _inexact(a), _inexact(t)
    d = np.asarray(d)
    nonzero = (d != 0)[..., None, None]
    if np.all(nonzero):
        b = _mT(np.linalg.inv(a))
        return -d[..., None, None] * (b @ _mT(t) @ b)
    _real_at_zero(a)
    n = a.shape[-1]
    u, sv, vt = np.linalg.svd(a)
    sign = np.linalg.det(u) * np.linalg.det(vt)
    f = _mT(u) @ t @ _mT(vt)
    eye = np.eye(n, dtype=bool)
    pairs = np.where(eye, 1.0, sv[..., None, :])  # row i: s without s_i
    p = np.where(eye, 0.0, prod_others(pairs, -1))  # P_ij, i != j
    fd = np.diagonal(f, axis1=-2, axis2=-1)
    dmat = np.where(eye, np.sum(p * fd[..., None, :], axis=-1)[..., None], -_mT(f) * p)
    sing = (u @ dmat @ vt) * sign[..., None, None]
    safe = np.where(nonzero, a, np.eye(n))
    b = _mT(np.linalg.inv(safe))
    exact = -d[..., None, None] * (b @ _mT(t) @ b)
    return np.where(nonzero, exact, sing)


@helper
def det_vjp(g, a, ans):
    """Cotangent of `a` for ``np.linalg.det(a)``: ``g`` times the cofactor matrix."""
    return np.asarray(g)[..., None, None] * det_cofactor(a, ans)


@helper
def inv_nan(a):
    """``np.linalg.inv(a)``, NaN for a matrix of `a` that is exactly singular (NumPy raises): the
    derivative of ``slogdet``'s logabsdet there, where the value is -inf and no finite
    derivative exists (JAX's LU solve gives non-finite values there, with no error)."""
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        a = _inexact(a)
        sing = (np.linalg.slogdet(a)[0] == 0)[..., None, None]
        safe = np.where(sing, np.eye(a.shape[-1], dtype=a.dtype), a)
        return np.where(sing, np.nan, np.linalg.inv(safe))


@helper
def slogdet_jvp(da, a, ans):
    """Tangent of ``np.linalg.slogdet(a)``: (zero for the sign, trace(a^-1 da) for the log; NaN
    for an exactly singular `a`, `inv_nan`)."""
    try:
        d = np.linalg.solve(a, da)
    except np.linalg.LinAlgError:  # (a zero tangent: 0, as reverse mode's, not NaN @ 0)
        zero = np.all(np.asarray(da) == 0, axis=(-2, -1))[..., None, None]
        d = np.where(zero, 0.0, inv_nan(a) @ np.where(zero, 0.0, da))
    return (zeros_like(ans[0]), np.trace(d, axis1=-2, axis2=-1))


@helper
def slogdet_vjp(g, a):
    """Cotangent of `a` for ``np.linalg.slogdet(a)``; `g` is a (sign, logabsdet) pair."""
    gl = g[1] if g is not None else None
    if gl is None:
        return zeros_like(a)
    gl = np.asarray(gl)[..., None, None]
    try:
        return gl * _mT(np.linalg.inv(a))
    except np.linalg.LinAlgError:  # (a zero cotangent: 0, not 0 * NaN)
        return np.where(gl == 0, 0.0, gl * _mT(inv_nan(a)))


@helper
def solve_jvp_a(da, a, b, ans):
    """Tangent of ``np.linalg.solve(a, b)`` from the tangent `da` of the matrix."""
    if np.ndim(b) == 1:
        return -np.linalg.solve(a, (da @ ans[..., None]))[..., 0]
    return -np.linalg.solve(a, da @ ans)


@helper
def solve_vjp_b(g, a, b):
    """Cotangent of `b` for ``np.linalg.solve(a, b)``."""
    if np.ndim(b) == 1:
        return unbroadcast(np.linalg.solve(_mT(a), np.asarray(g)[..., None])[..., 0], b)
    return unbroadcast(np.linalg.solve(_mT(a), g), b)


@helper
def solve_vjp_a(g, a, b, ans):
    """Cotangent of `a` for ``np.linalg.solve(a, b)``: ``-gb @ ans.T``."""
    if np.ndim(b) == 1:
        gb = np.linalg.solve(_mT(a), np.asarray(g)[..., None])
        return unbroadcast(-gb * ans[..., None, :], a)
    return unbroadcast(-np.linalg.solve(_mT(a), g) @ _mT(ans), a)


def _phi_mask(n: int):
    """Lower-triangular mask with halved diagonal (the Cholesky derivative's projection)."""
    return np.tril(np.ones((n, n))) - 0.5 * np.eye(n)


@helper
def cholesky_jvp(da, ans, upper=False):
    """Tangent of ``np.linalg.cholesky(a, upper=upper)`` (which reads one triangle of `a`)."""
    L = _mT(ans) if upper else ans
    n = L.shape[-1]
    ds = np.triu(da) + _mT(np.triu(da, 1)) if upper else np.tril(da) + _mT(np.tril(da, -1))
    y = _mT(np.linalg.solve(L, _mT(np.linalg.solve(L, ds))))
    dL = L @ (y * _phi_mask(n))
    return _mT(dL) if upper else dL


@helper
def cholesky_vjp(g, ans, upper=False):
    """Cotangent of `a` for ``np.linalg.cholesky(a, upper=upper)``."""
    L = _mT(ans) if upper else ans
    gL = _mT(g) if upper else g
    p = (_mT(L) @ gL) * _phi_mask(L.shape[-1])
    m = _mT(np.linalg.solve(_mT(L), _mT(np.linalg.solve(_mT(L), p))))
    if upper:
        return np.triu(_mT(m)) + np.triu(m, 1)
    return np.tril(m) + np.tril(_mT(m), -1)


def _norm_axes(x, ord, axis) -> tuple[tuple[int, ...], bool]:
    """Reduced axes of ``np.linalg.norm`` and whether it is a matrix norm."""
    nd = np.ndim(x)
    if axis is None:
        if ord is None:
            return tuple(range(nd)), False
        axis = tuple(range(nd))
    axes = (axis % nd,) if isinstance(axis, int) else tuple(a % nd for a in axis)
    return axes, len(axes) == 2


@helper
def norm_axes(x, ord, axis) -> tuple[int, ...]:
    """The axes ``np.linalg.norm(x, ord, axis)`` reduces (for the second-order rules)."""
    return _norm_axes(x, ord, axis)[0]


@helper
def norm_power(x, ord, axis) -> float:
    """The p for which `norm_grad` is ``sign(x) (|x| / n)^(p - 1)`` (2 for the 2-norm and the
    Frobenius norm), 1.0 where the gradient is locally constant (1, inf, -inf, 0 and the matrix
    1/inf norms, and the matrix 2-, -2- and nuclear norms, whose second derivative
    `norm_svd.svd_norm_d2` gives); the second-order rules' case."""
    _axes_, matrix = _norm_axes(x, ord, axis)
    if matrix and ord in ("nuc", 2, -2, 1, -1, np.inf, -np.inf):  # (SVD ones: rules/norm_svd)
        return 1.0
    if ord is None or ord == 2 or ord == "fro":
        return 2.0
    if ord == 1 or ord == 0 or ord == np.inf or ord == -np.inf:
        return 1.0
    return float(ord)


@helper
def norm_dpower(x, ord, axis) -> float:
    """The second-order rules' case of ``np.linalg.norm(x, ord, axis)``: 1.0 when the p of
    `norm_grad` is the float `ord` itself (a vector p-norm with a finite, non-zero float p,
    which may depend on the inputs), -1.0 where the gradient is locally constant (p fixed at 1:
    1, inf, 0 and the matrix 1/inf norms), -2.0 for the matrix 2-, -2- and nuclear norms
    (`norm_svd.svd_norm_d2`), else 0.0 (p fixed by the kind of norm)."""
    if _norm_axes(x, ord, axis)[1] and ord in ("nuc", 2, -2):
        return -2.0
    if norm_power(x, ord, axis) == 1.0 and (
        type(ord) is int or not math.isfinite(ord) or ord == 0 or _norm_axes(x, ord, axis)[1]
    ):
        return -1.0
    if _norm_axes(x, ord, axis)[1] or not isinstance(ord, (float, np.floating)):
        return 0.0
    return 1.0 if math.isfinite(ord) and ord != 0 else 0.0


@helper
def norm_grad(x, ord, axis, ans, keepdims=False):
    """Gradient of ``np.linalg.norm(x, ord, axis)`` with respect to `x` (shape of `x`)."""
    x = np.asarray(x)
    axes, matrix = _norm_axes(x, ord, axis)
    if x.dtype.kind == "c":  # a norm of |x| (vector and Frobenius norms): the chain through |x|
        if matrix and ord not in (None, "fro"):
            raise _unsupported(f"np.linalg.norm(ord={ord!r}) of a complex matrix has no rule")
        r = np.abs(x)
        by_r = norm_grad(r, ord, axis, ans, keepdims)
        return np.where(r == 0, 0.0, by_r * np.conj(x) / np.where(r == 0, 1.0, r))
    n = np.asarray(_expand(ans, x.shape, axes, keepdims))
    with np.errstate(divide="ignore", invalid="ignore"):
        if matrix and ord in ("nuc", 2, -2):
            xm = np.moveaxis(x, axes, (-2, -1))
            u, s, vt = np.linalg.svd(xm, full_matrices=False)
            # kinks as eigvalsh's/svdvals': a tied extreme singular value -> its cluster's mean,
            # a zero one -> 0 (minimum-norm subgradients); tolerance 64 k eps of the largest
            tol = 64 * s.shape[-1] * np.finfo(float).eps * s[..., :1]
            w = (s > tol) * 1.0
            if ord != "nuc":
                w = w * (np.abs(s - s[..., :1] if ord == 2 else s - s[..., -1:]) <= tol)
                w = w / np.maximum(np.sum(w, axis=-1, keepdims=True), 1.0)
            gm = (u * w[..., None, :]) @ vt
            gm = np.where(np.moveaxis(n, axes, (-2, -1)) == 0, 0.0, gm)  # 0 at the zero matrix
            return np.moveaxis(gm, (-2, -1), axes)
        if matrix and ord in (1, -1, np.inf, -np.inf):  # max/min abs column (row) sum
            xm = np.moveaxis(x, axes, (-2, -1))
            along = -2 if ord in (1, -1) else -1
            sums = np.sum(np.abs(xm), axis=along, keepdims=True)
            hit = sums == np.moveaxis(n, axes, (-2, -1))
            gm = np.sign(xm) * (hit / np.sum(hit, axis=-1 - (along == -1), keepdims=True))
            return np.moveaxis(gm, (-2, -1), axes)
        if matrix and ord not in (None, "fro"):
            raise _unsupported(f"no derivative for the matrix norm ord={ord!r}")
        if ord is None or ord == 2 or ord == "fro":
            return np.where(n == 0, 0.0, x / np.where(n == 0, 1.0, n))
        if ord == 1:
            return np.sign(x)
        if ord == np.inf or ord == -np.inf:
            hit = np.abs(x) == n
            return np.sign(x) * hit / np.sum(hit, axis=axes, keepdims=True)
        if ord == 0:
            return np.zeros(x.shape)
        p = float(ord)
        grad = np.sign(x) * (np.abs(x) / np.where(n == 0, 1.0, n)) ** (p - 1)
        return np.where(n == 0, 0.0, grad) if p > 1 else grad


@helper
def norm_dord(x, ord, axis, keepdims, ans):
    """Derivative of the vector p-norm ``np.linalg.norm(x, p, axis)`` with respect to ``p``:
    ``f * (sum |x|^p log|x| / (p s) - log(s) / p^2)`` with ``s = sum |x|^p`` (0 where f is 0)."""
    x = real_operand(x, "np.linalg.norm")
    axes, matrix = _norm_axes(x, ord, axis)
    if matrix or ord is None or isinstance(ord, str):
        raise _unsupported("no derivative with respect to the order of a matrix norm")
    p = float(ord)
    if p == 0 or math.isinf(p):
        return np.zeros(np.shape(ans))
    ax = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        powers = np.where(ax > 0, ax**p, 0.0)
        logs = np.where(ax > 0, np.log(np.where(ax > 0, ax, 1.0)), 0.0)
        s = np.sum(powers, axis=axes, keepdims=keepdims)
        t = np.sum(powers * logs, axis=axes, keepdims=keepdims)
        out = ans * (t / (p * s) - np.log(s) / (p * p))
    return np.where(np.equal(ans, 0), 0.0, out)[()]


@helper
def norm_jvp(dx, x, ord, axis, keepdims, ans):
    """Tangent of ``np.linalg.norm(x, ord, axis, keepdims)``."""
    axes, _ = _norm_axes(x, ord, axis)
    t = np.sum(norm_grad(x, ord, axis, ans, keepdims) * dx, axis=axes, keepdims=keepdims)
    return np.real(t) if np.iscomplexobj(t) else t  # (complex x: Re(conj(x) dx) / |x|)


@helper
def norm_vjp(g, x, ord, axis, keepdims, ans):
    """Cotangent of `x` for ``np.linalg.norm(x, ord, axis, keepdims)``."""
    axes, _ = _norm_axes(x, ord, axis)
    grad = norm_grad(x, ord, axis, ans, keepdims)
    return _like_input(_expand(g, np.shape(x), axes, keepdims) * grad, x)


def _helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the linear-algebra helpers."""
    for fn, sig, transpose in (
        (diagonal_vjp, "t, a, offset=0, axis1=0, axis2=1", "np.diagonal(g, offset, axis1, axis2)"),
        (trace_vjp, "t, a, offset=0, axis1=0, axis2=1", "np.trace(g, offset, axis1, axis2)"),
        (diag_vjp, "t, v, k=0", "np.diag(g, k)"),
    ):
        params = ", ".join(p.split("=")[0].strip() for p in sig.split(",")[1:])
        deflinear_helper(jvp, vjp, fn, sig, f"_srcad.{fn.__name__}(dt, {params})", transpose)
    det_cond.register(jvp, vjp)
    norm_at0.register(jvp, vjp)
    linalg_d2.helper_rules(jvp, vjp, {
        fn.__name__: fn
        for fn in (det_cofactor, det_cofactor_d, det_vjp, inv_nan, slogdet_jvp, slogdet_vjp,
                   solve_jvp_a, solve_vjp_b, solve_vjp_a, cholesky_jvp, cholesky_vjp, norm_grad,
                   norm_jvp, norm_vjp, norm_axes, norm_power, norm_dpower, norm_dord)
    })  # fmt: skip
