"""Forward mode at infinite values: the runtime helper ``inf0`` that keeps ``0 * inf`` out of a
tangent where an infinite value does not move, and the template the elementwise rules wrap their
terms in.

Input: the `RuleTable` pair. Output: the tables filled with the rules of ``inf0``; `inf_safe`, the
JVP-term template used by `srcad.rules.elementwise` and `srcad.rules.operators`; `vector_sq_zero`,
a mask of `srcad.ad.fmasks` (``np.sqrt(d @ d)`` at ``d = 0``).

Code that masks entries with ``inf`` (``np.fill_diagonal(r2, np.inf)``, ``r2[0] = np.inf``) and
then maps them back to finite values (``1 / r2 ** 3`` is 0 there) has a finite derivative: the
written entries do not depend on the inputs, so their tangent is exactly 0. The plain JVP term
``dx * pow_dx(x, 3)`` is ``0 * inf = nan`` there and poisons the result, where reverse mode (the
write's pullback zeroes the cotangent) and central differences give finite values. ``inf0`` makes
such a term 0 where the tangent is 0 AND the value the factor is taken at is infinite: an
infinite value with a zero tangent is a constant (no finite perturbation moves it). A zero
tangent at a FINITE value is left alone (``np.cbrt(x ** 3)`` at 0 has a zero inner tangent but
derivative 1; nan stays nan there, as JAX gives). The forward transform keeps the wrapper only
where `v` may hold an infinity the program wrote (`srcad.ad.infvals`, decided when the transform
is made); every other term is written bare. Example (``r2 ** 3`` after ``fill_diagonal``)::

    jvp: _srcad.inf0(dr2 * _srcad.pow_dx(r2, 3), dr2, r2)
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper


@helper
def inf0(t, d, v):
    """`t` (the term ``d * factor``), 0 where the tangent `d` is 0 and the value `v` is +-inf
    (else ``0 * inf`` = nan there). The mask is piecewise constant, so this is linear in `t`."""
    tt = type(t)
    if tt is np.ndarray:  # first: the common case, one dot product when nothing is nan
        s = t.dot(t) if t.ndim == 1 else np.vdot(t, t)  # nan iff an entry is (squares add)
        if s == s:
            return t
    elif tt is float:
        if t == t:
            return t
        if type(v) in (float, int):
            return 0.0 if d == 0 and math.isinf(v) else t
    elif isinstance(t, np.generic):  # a NumPy number
        if t == t:
            return t
    elif tt is list or tt is tuple:  # a repeated sequence (`_srcad.mul`): nothing multiplied
        return t
    # (a duck array, Dask's or CuPy's, stays lazy: the mask without a test first)
    keep = np.logical_not(np.logical_and(np.equal(d, 0), np.isinf(v)))
    out = np.where(keep, t, 0.0)
    return out[()] if type(out) is np.ndarray and out.ndim == 0 else out


@helper
def inf_fixed(t, v):
    """The tangent `t` of `v`, 0 where `v` is +-inf (`srcad.ad.infvals.fixed_at_inf`: a value a
    written infinity reaches, infinite there for every nearby input, so it does not move; the
    op's term, ``-db * (a / b) / b`` at ``a = inf``, would be infinite). Linear in `t`."""
    tt = type(t)
    if tt is float and type(v) in (float, int):
        return 0.0 if math.isinf(v) else t
    if tt is list or tt is tuple:  # (a repeated sequence: `_srcad.mul`)
        return t
    out = np.where(np.isinf(v), 0.0, t)
    return out[()] if type(out) is np.ndarray and out.ndim == 0 else out


@helper
def inf_kept(t, r, da, db, fa, fb):
    """The tangent `t` of an elementwise op's result `r`, 0 where `r` is +-inf and an operand's
    entry is a fixed infinity (`fa`, `fb`: `inf_from`'s, infinite there) or no operand's tangent
    (`da`, `db`) moves it (an overflow's partial derivatives are finite numbers: 0 times them is
    0; `inf0`'s convention). Elsewhere `t` as it is: an overflow of moving operands keeps its
    infinite tangent (`srcad.ad.infsources`). Linear in `t`."""
    if type(t) is list or type(t) is tuple:  # (a repeated sequence: `_srcad.mul`)
        return t
    still = np.logical_and(np.equal(da, 0), np.equal(db, 0))
    fixed = np.logical_and(np.isinf(r), np.logical_or(still, np.isinf(fa) | np.isinf(fb)))
    out = np.where(fixed, 0.0, t)
    if type(out) is np.ndarray and out.ndim == 0:
        return float(out) if type(t) in (float, int) else out[()]
    return out


@helper
def matmul_fixed(t, r, a, b):
    """The tangent `t` of ``r = a @ b``, 0 where `r` is +-inf and the row of `a` or the column
    of `b` it sums over holds an infinity: a written one (``X @ W`` of data with an inf in a row)
    keeps that entry infinite for every nearby input (an inf term's partner is not 0 there, or
    the entry would be nan), so it does not move; ``inf * 0`` in ``X @ dW`` made it nan. An
    overflow of finite rows and columns keeps `t`. Linear in `t`; `t` itself when `r` holds no
    infinity or an operand is not an array of rank 1 or 2 (``np.dot`` of stacks is no product
    of rows by columns)."""
    if isinstance(r, np.floating) and np.isinf(r):  # (vector @ vector: one number)
        fixed = np.isinf(a).any() or np.isinf(b).any()
        return np.zeros_like(t)[()] if fixed and np.ndim(t) == 0 else t
    if type(r) is not np.ndarray or r.dtype.kind != "f" or not np.isinf(r).any():
        return t
    a, b = np.asarray(a), np.asarray(b)
    if not (1 <= a.ndim <= 2 and 1 <= b.ndim <= 2):
        return t
    rows = np.isinf(a).any(axis=-1)  # (m,) or ()
    cols = np.isinf(b).any(axis=0)  # (n,) or ()
    if a.ndim == 2 and b.ndim == 2:
        src = rows[:, None] | cols[None, :]
    else:
        src = rows | cols  # (a vector on one side: its any() is one number)
    return np.where(np.isinf(r) & src, 0.0, t)


@helper
def contract_fixed(t, r, a, b, axes):
    """`matmul_fixed` for ``r = np.tensordot(a, b, axes)`` (`axes` None: ``np.inner``, over
    the last axes): `t`, 0 where `r` is +-inf and an entry of `a` or `b` it sums over is."""
    if type(r) is not np.ndarray and not isinstance(r, np.floating):
        return t
    if not np.isinf(r).any():
        return t
    a, b = np.asarray(a), np.asarray(b)
    ia, ib = np.isinf(a), np.isinf(b)
    if a.ndim == 0 or b.ndim == 0:  # (a product by a number: elementwise)
        src = ia | ib if axes is None else ia.any() | ib.any()
    else:
        axes = ([-1], [-1]) if axes is None else axes
        src = np.tensordot(ia, np.ones(b.shape), axes) + np.tensordot(np.ones(a.shape), ib, axes)
    return np.where(np.isinf(r) & (src > 0), 0.0, t)[()]


@helper
def inf_from(v, *args):
    """`v` where it is +-inf and one of `args` (operands broadcasting to its shape) is too, else
    0.0: the entries of an op's result an infinite operand made (a written infinity's), not an
    overflow of finite operands (`srcad.ad.infsources`)."""
    src = False
    for a in args:
        try:
            src = np.logical_or(src, np.isinf(a))
        except TypeError:  # (not a number: no infinity)
            continue
    out = np.where(np.logical_and(np.isinf(v), src), v, 0.0)
    if type(out) is np.ndarray and out.ndim == 0:
        return float(out) if type(v) in (float, int) else out[()]
    return out


@helper
def vector_sq_zero(s):
    """Whether ``s = a @ a`` is a vector's squared norm at 0 (`srcad.ad.fmasks.square_sums`):
    False for an array (`a` a matrix: a product, not a sum of squares)."""
    return bool(np.ndim(s) == 0 and s == 0)


@helper
def weighted_sq_zero(s, *weights):
    """Where the weighted sum of squares ``s = sum(w * t ** 2)`` is a root's 0 at which every
    square is 0 (`srcad.ad.sqsums`): ``s == 0`` when every weight is > 0 (a NaN one is not),
    else False (a zero or negative weight: ``s`` may be 0 with squares that are not)."""
    try:
        ok = all(bool(np.all(np.greater(w, 0))) for w in weights)
    except TypeError:
        ok = False
    if not ok:
        return False
    z = np.equal(s, 0)
    return bool(z) if np.ndim(z) == 0 else z


def inf_safe(term: str, d: str, v: str) -> str:
    """Template: the JVP `term` through `inf0` (tangent `d`, value `v`)."""
    return f"_srcad.inf0({term}, {d}, {v})"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of ``inf0`` (linear in `t`, the mask held constant)."""
    deflinear_helper(
        jvp, vjp, inf0, "t, d, v", "_srcad.inf0(dt, d, v)", "_srcad.inf0(g, d, v)"
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, inf_fixed, "t, v", "_srcad.inf_fixed(dt, v)", "_srcad.inf_fixed(g, v)"
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, inf_kept, "t, r, da, db, fa, fb", "_srcad.inf_kept(dt, r, da, db, fa, fb)",
        "_srcad.inf_kept(g, r, da, db, fa, fb)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, matmul_fixed, "t, r, a, b", "_srcad.matmul_fixed(dt, r, a, b)",
        "_srcad.matmul_fixed(g, r, a, b)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, contract_fixed, "t, r, a, b, axes", "_srcad.contract_fixed(dt, r, a, b, axes)",
        "_srcad.contract_fixed(g, r, a, b, axes)",
    )  # fmt: skip
    defzero_helper(jvp, vjp, vector_sq_zero, inf_from, weighted_sq_zero)
