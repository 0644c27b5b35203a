"""More NumPy calls users make: ``np.modf``, ``np.linalg.matrix_rank`` (an integer: zero
derivative), ``np.logspace``, ``np.unwrap``, and the runtime helpers of the calls
`srcad.lower.library_np` writes as other primitives (``np.linalg.tensorinv``/``tensorsolve``
as reshapes around ``inv``/``solve``, ``np.cov`` with ``fweights``/``aweights`` as weighted
sums), with their own rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

- ``modf(x) -> (frac, whole)``: d frac = dx, d whole = 0 (both jump at the integers).
- ``logspace(start, stop, num, base=)``, ``geomspace(start, stop, num)`` and ``unwrap(p,
  period=)``: see `_spaced_rules`.
- ``frexp(x) -> (m, e)``, ``x = m * 2**e``: d m = dx * 2**-e, d e = 0 (both jump at the powers
  of two).
- ``ln2_of(x)``: ``log(2)`` in `x`'s precision (``np.logaddexp2``'s reduce and accumulate).
- ``lae_accumulate(x, axis)``: ``np.logaddexp.accumulate``; its derivative is the linear
  recurrence ``lin_scan`` (forward) / ``lin_scan_t`` (backward), whose rules close every order.
- ``tensor_inv_shapes``/``tensor_solve_shapes``/``cov_fweights``/``delete_keep``/
  ``resize_index``: shapes, permutations, the checked frequency weights (integers), the positions
  ``np.delete`` keeps and ``np.resize`` repeats: locally constant, zero derivative.

Example (``np.modf(x)[0]``)::

    jvp: _srcad.modf_jvp(dx, x)          # (dx, 0)
    vjp: bx = _srcad.modf_vjp(g, x)      # g[0] (0 when the fraction is unused)
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import complex_refusal, real_operand
from srcad.errors import DiffError
from srcad.rules.elementwise import logaddexp_weight
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt
from srcad.rules.reductions import _like_input


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    jvp.defjvp("numpy.modf", "x, /", x="_srcad.modf_jvp(dx, x)")
    vjp.defvjp("numpy.modf", "x, /", x="_srcad.modf_vjp(g, x)")
    deflinear_helper(jvp, vjp, modf_jvp, "t, x", "_srcad.modf_jvp(dt, x)", "_srcad.modf_vjp(g, x)")
    deflinear_helper(jvp, vjp, modf_vjp, "t, x", "_srcad.modf_vjp(dt, x)", "_srcad.modf_jvp(g, x)")
    jvp.defjvp("numpy.frexp", "x, /", x="_srcad.frexp_jvp(dx, x)")
    vjp.defvjp("numpy.frexp", "x, /", x="_srcad.frexp_vjp(g, x)")
    deflinear_helper(
        jvp, vjp, frexp_jvp, "t, x", "_srcad.frexp_jvp(dt, x)", "_srcad.frexp_vjp(g, x)"
    )
    deflinear_helper(
        jvp, vjp, frexp_vjp, "t, x", "_srcad.frexp_vjp(dt, x)", "_srcad.frexp_jvp(g, x)"
    )
    jvp.defzero("numpy.linalg.matrix_rank")
    vjp.defzero("numpy.linalg.matrix_rank")
    defzero_helper(
        jvp, vjp, tensor_inv_shapes, tensor_solve_shapes, cov_fweights, delete_keep, resize_index,
        ln2_of,
    )  # fmt: skip
    _scan_rules(jvp, vjp)
    _spaced_rules(jvp, vjp)


def _spaced_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """``np.logspace`` (``base ** np.linspace(start, stop, num)``: the linspace helpers, scaled
    by ``ans * log(base)``; an ``axis=`` does not bind), ``np.geomspace`` (likewise) and
    ``np.unwrap`` (`p` plus multiples of `period` that are locally constant: d = dp + dperiod *
    (ans - p) / period)."""
    sig = "start, stop, num=50, endpoint=True, base=10.0, dtype=None"
    nondiff = ("num", "endpoint", "dtype")
    scale = "ans * np.log(base)"
    lin = "np.linspace(start, stop, num, endpoint)"
    jvp.defjvp(
        "numpy.logspace", sig, nondiff=nondiff,
        start=f"_srcad.int_zero({scale} * _srcad.linspace_tangent(dstart, num, endpoint, 0), dtype)",
        stop=f"_srcad.int_zero({scale} * _srcad.linspace_tangent(dstop, num, endpoint, 1), dtype)",
        base=f"_srcad.int_zero(dbase * {lin} * ans / base, dtype)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.logspace", sig, nondiff=nondiff,
        start=f"_srcad.linspace_vjp(_srcad.int_zero(g, dtype) * {scale}, start, num, endpoint, 0)",
        stop=f"_srcad.linspace_vjp(_srcad.int_zero(g, dtype) * {scale}, stop, num, endpoint, 1)",
        base=f"_srcad.unbroadcast(_srcad.int_zero(g, dtype) * {lin} * ans / base, base)",
    )  # fmt: skip
    # np.geomspace: start (stop / start) ** t, t the linspace of [0, 1] (NumPy's own values
    # computed, endpoints exact): d = ans (1 - t) dstart / start + ans t dstop / stop, any signs
    sig = "start, stop, num=50, endpoint=True, dtype=None"
    nondiff = ("num", "endpoint", "dtype")
    jvp.defjvp(
        "numpy.geomspace", sig, nondiff=nondiff,
        start="_srcad.int_zero(ans * _srcad.linspace_tangent(dstart / start, num, endpoint, 0), dtype)",
        stop="_srcad.int_zero(ans * _srcad.linspace_tangent(dstop / stop, num, endpoint, 1), dtype)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.geomspace", sig, nondiff=nondiff,
        start="_srcad.linspace_vjp(_srcad.int_zero(g, dtype) * ans, start, num, endpoint, 0) / start",
        stop="_srcad.linspace_vjp(_srcad.int_zero(g, dtype) * ans, stop, num, endpoint, 1) / stop",
    )  # fmt: skip
    sig = "p, discont=None, axis=-1, *, period=6.283185307179586"
    nondiff, z = ("axis",), ("discont",)  # discont: a threshold, piecewise constant
    jvp.defjvp(
        "numpy.unwrap", sig, nondiff=nondiff, zero_in=z,
        p="_srcad.broadcast_like(dp, ans)", period="dperiod * (ans - p) / period",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.unwrap", sig, nondiff=nondiff, zero_in=z,
        p="_srcad.unbroadcast(g, p)",
        period="_srcad.unbroadcast(g * (ans - p) / period, period)",
    )  # fmt: skip


@helper
def modf_jvp(t, x):
    """Tangent of ``np.modf(x)`` for a tangent `t` of `x`: (t, 0), shaped like `x`."""
    frac = np.broadcast_to(real_operand(t, "np.modf"), np.shape(x)) + 0.0
    return frac, np.zeros(np.shape(x))


@helper
def modf_vjp(g, x):
    """Cotangent of `x` for ``np.modf(x)``: the fraction's cotangent (`g` a pair; None: 0)."""
    g0 = None if g is None else g[0]
    if g0 is None:
        return _like_input(np.zeros(np.shape(x)), x)
    return _like_input(np.reshape(np.asarray(g0), np.shape(x)) + 0.0, x)


def _frexp_scale(x):
    """``2**-e`` of ``np.frexp(x)``: the mantissa's derivative, constant between powers of two."""
    return np.ldexp(1.0, -np.frexp(np.real(x))[1])


@helper
def frexp_jvp(t, x):
    """Tangent of ``np.frexp(x)`` for a tangent `t` of `x`: (t * 2**-e, 0), shaped like `x`."""
    m = np.broadcast_to(real_operand(t, "np.frexp"), np.shape(x)) * _frexp_scale(x)
    return m + 0.0, np.zeros(np.shape(x))


@helper
def frexp_vjp(g, x):
    """Cotangent of `x` for ``np.frexp(x)``: the mantissa's cotangent times 2**-e."""
    g0 = None if g is None else g[0]
    if g0 is None:
        return _like_input(np.zeros(np.shape(x)), x)
    return _like_input(np.reshape(np.asarray(g0), np.shape(x)) * _frexp_scale(x), x)


@helper
def tensor_inv_shapes(a, ind):
    """(matrix shape, result shape) of ``np.linalg.tensorinv(a, ind)``, NumPy's checks."""
    shape = np.shape(a)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    out = shape[ind:] + shape[:ind]
    return (math.prod(shape[:ind]), math.prod(shape[ind:])), out


@helper
def tensor_solve_shapes(a, b, axes):
    """(axes permutation, matrix shape, result shape) of ``np.linalg.tensorsolve(a, b, axes)``,
    NumPy's checks."""
    an, bn = np.ndim(a), np.ndim(b)
    perm = list(range(an))
    if axes is not None:
        for k in axes:
            perm.remove(k)
            perm.insert(an, k)
    shape = tuple(np.shape(a)[p] for p in perm)
    old = shape[-(an - bn) :]
    prod = math.prod(old)
    if math.prod(shape) != prod**2:
        raise np.linalg.LinAlgError(
            "Input arrays must satisfy the requirement "
            "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])"
        )
    return tuple(perm), (prod, prod), old


@helper
def cov_fweights(x, fweights, aweights):
    """The frequency weights of ``np.cov`` over the observations (columns) of `x` as floats (1.0
    when None), after NumPy's own checks of both weights (their values, shapes and signs)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        np.cov(np.zeros((1, np.shape(x)[1])), fweights=fweights, aweights=aweights)
    return 1.0 if fweights is None else np.array(fweights, dtype=float)  # a copy: helpers own


# -- np.logaddexp(2).accumulate: out_k = logaddexp(out_{k-1}, x_k), so d out_k = a_k d out_{k-1}
# + b_k dx_k with a_k = exp(out_{k-1} - out_k), b_k = exp(x_k - out_k) (both <= 1: stable), a
# first-order linear recurrence (`lin_scan`) forward and its transpose (`lin_scan_t`) backward
def _scan_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    b = "_srcad.logaddexp_weight(x, ans)"
    a = "_srcad.lae_carry(ans, axis)"
    jvp.defjvp(rt(lae_accumulate), "x, axis", nondiff=('axis',),
               x=f"_srcad.lin_scan({a}, {b} * dx, axis)")  # fmt: skip
    vjp.defvjp(rt(lae_accumulate), "x, axis", nondiff=('axis',),
               x=f"{b} * _srcad.lin_scan_t({a}, g, axis)")  # fmt: skip
    jvp.defjvp(rt(lae_carry), "out, axis", nondiff=('axis',),
               out="ans * (_srcad.scan_shift(dout, axis) - dout)")  # fmt: skip
    vjp.defvjp(rt(lae_carry), "out, axis", nondiff=('axis',),
               out="_srcad.scan_shift_t(ans * g, axis) - ans * g")  # fmt: skip
    deflinear_helper(jvp, vjp, scan_shift, "t, axis", "_srcad.scan_shift(dt, axis)",
                     "_srcad.scan_shift_t(g, axis)")  # fmt: skip
    deflinear_helper(jvp, vjp, scan_shift_t, "t, axis", "_srcad.scan_shift_t(dt, axis)",
                     "_srcad.scan_shift(g, axis)")  # fmt: skip
    jvp.defjvp(rt(lin_scan), "a, c, axis", nondiff=('axis',),
               a="_srcad.lin_scan(a, da * _srcad.scan_shift(ans, axis), axis)",
               c="_srcad.lin_scan(a, dc, axis)")  # fmt: skip
    vjp.defvjp(rt(lin_scan), "a, c, axis", nondiff=('axis',),
               a="_srcad.scan_shift(ans, axis) * _srcad.lin_scan_t(a, g, axis)",
               c="_srcad.lin_scan_t(a, g, axis)")  # fmt: skip
    jvp.defjvp(rt(lin_scan_t), "a, t, axis", nondiff=('axis',),
               a="_srcad.lin_scan_t(a, _srcad.scan_shift_t(da * ans, axis), axis)",
               t="_srcad.lin_scan_t(a, dt, axis)")  # fmt: skip
    vjp.defvjp(rt(lin_scan_t), "a, t, axis", nondiff=('axis',),
               a="ans * _srcad.scan_shift(_srcad.lin_scan(a, g, axis), axis)",
               t="_srcad.lin_scan(a, g, axis)")  # fmt: skip


@helper
def ln2_of(x):
    """``log(2)`` in `x`'s precision, the factor `srcad.lower.library` writes
    ``np.logaddexp2.reduce``/``accumulate`` with (in base e): a Python float (the dtype of
    `x` stays), a long double for a long double `x` (the float's ln 2 is 4e-17 off)."""
    dt = getattr(x, "dtype", None)
    return _LN2_LONG if dt == np.longdouble else _LN2


_LN2, _LN2_LONG = math.log(2.0), np.log(np.longdouble(2))


@helper
def lae_accumulate(x, axis):
    """``np.logaddexp.accumulate(x, axis)``."""
    if np.iscomplexobj(x):  # (NumPy's dtype: a float32 `x` gives float32)
        raise complex_refusal("np.logaddexp.accumulate")
    return np.logaddexp.accumulate(np.asarray(x), axis=axis)


@helper
def lae_carry(out, axis):
    """``a_k = exp(out_{k-1} - out_k)`` along `axis` (0 for k = 0 and where out_{k-1} = -inf)."""
    prev = np.moveaxis(scan_shift(out, axis) + 0.0, axis, 0)
    prev[:1] = -np.inf  # (none along an empty axis)
    return logaddexp_weight(np.moveaxis(prev, 0, axis), out)


@helper
def scan_shift(t, axis):
    """`t` moved one place forward along `axis`, 0 first: ``y_0 = 0, y_k = t_{k-1}``."""
    t = np.moveaxis(np.asarray(t, dtype=np.result_type(t, float)), axis, 0)
    out = np.zeros_like(t)
    out[1:] = t[:-1]
    return np.moveaxis(out, 0, axis)


@helper
def scan_shift_t(t, axis):
    """`t` moved one place back along `axis`, 0 last: the transpose of `scan_shift`."""
    t = np.moveaxis(np.asarray(t, dtype=np.result_type(t, float)), axis, 0)
    out = np.zeros_like(t)
    out[:-1] = t[1:]
    return np.moveaxis(out, 0, axis)


def _real(a):
    """`real_operand` of the weights `a`, a long double's kept (not rounded to float64)."""
    a = np.asarray(a)
    return a if a.dtype == np.longdouble else real_operand(a, "np.logaddexp.accumulate")


@helper
def lin_scan(a, c, axis):
    """``y_k = a_k y_{k-1} + c_k`` along `axis` (y_{-1} = 0)."""
    a, c = np.broadcast_arrays(_real(a), np.asarray(c))
    a, c = np.moveaxis(a, axis, 0), np.moveaxis(c, axis, 0)
    y = np.zeros(c.shape, dtype=np.result_type(c, float))
    for k in range(len(c)):
        y[k] = c[k] + (a[k] * y[k - 1] if k else 0.0)
    return np.moveaxis(y, 0, axis)


@helper
def lin_scan_t(a, t, axis):
    """The transpose of ``lin_scan(a, ., axis)`` applied to `t`: ``h_j = t_j + a_{j+1} h_{j+1}``."""
    a, t = np.broadcast_arrays(_real(a), np.asarray(t))
    a, t = np.moveaxis(a, axis, 0), np.moveaxis(t, axis, 0)
    h = np.zeros(t.shape, dtype=np.result_type(t, float))
    for j in reversed(range(len(t))):
        h[j] = t[j] + (a[j + 1] * h[j + 1] if j + 1 < len(t) else 0.0)
    return np.moveaxis(h, 0, axis)


@helper
def resize_index(a, new_shape):
    """The positions of the flattened `a` that ``np.resize(a, new_shape)`` repeats, in order
    (``i % a.size``); NumPy's zeros for an empty `a` are refused (no position to take)."""
    if np.any(np.asarray(new_shape) < 0):  # (NumPy's check: a product of two could be > 0)
        raise ValueError("all elements of `new_shape` must be non-negative")
    n = math.prod(new_shape) if isinstance(new_shape, (tuple, list)) else int(new_shape)
    if np.size(a) == 0 and n > 0:  # (a refusal, not NumPy's own kind of error: Python gives zeros)
        raise DiffError(
            "np.resize of an empty array to a non-empty shape (NumPy fills zeros) is not supported",
            hint="make the zeros yourself: np.zeros(new_shape)",
        )
    return np.arange(n) % max(np.size(a), 1)


@helper
def delete_keep(arr, obj, axis):
    """The positions ``np.delete(arr, obj, axis)`` keeps along `axis` (of the flattened `arr` for
    None), as a boolean mask: NumPy's own indexing of `obj` (ints, negative ones, a slice, a
    mask), and its IndexError for positions out of range."""
    n = np.size(arr) if axis is None else np.shape(arr)[axis]
    keep = np.ones(n, dtype=bool)
    keep[obj] = False
    return keep
