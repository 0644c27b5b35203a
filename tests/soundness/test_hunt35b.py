"""Soundness hunt 35b: wrong derivatives found by porting other projects' NumPy test corpora
(autograd's and JAX's reductions with ``where=``/``initial=``, nan-functions, linear algebra).

- WRONG derivative (NaN, reverse mode): a reduction with a mask, ``np.mean(np.sqrt(x),
  where=x > 0)`` (sum, prod, var, std, max, min, amax, their methods; a global, list or
  broadcast mask; in a loop): the rule gives the left-out entries a zero
  cotangent, which the chain that made the reduced value multiplied by its local derivative,
  NaN there (``0.5 / sqrt(-0.3)``), so ``grad`` was NaN where forward mode and central
  differences give 0. `srcad/ad/wheremasks.py` now masks those entries as on the unselected
  side of a ``np.where``.
- WRONG derivative (NaN, reverse mode): an array made by a singular op with some of its entries
  overwritten by an integer, slice or fancy index, ``r = np.sqrt(x); r[[1, 3]] = 1.0`` or the
  self-interaction of a pairwise force, ``inv = d2 ** -1.5; inv[np.arange(n), np.arange(n)] =
  0.0`` (d2 = 0 on the diagonal): the overwritten entries' zero cotangent times the infinite
  local derivative was NaN (only writes under a boolean mask were masked).
  `srcad/ad/writemasks.py` masks those entries too.
- Spurious refusal: ``np.linalg.tensordot(a, b, axes=..)`` (NumPy 2's array-API name) had "no
  derivative rule"; it is now lowered as ``np.tensordot``. ``scipy.linalg.qr`` (modes full,
  economic, r) and ``scipy.linalg.pinv`` (default tolerances) had no rule: now NumPy's.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.linalg as sla

import srcad
from srcad.testing import check_grads

_X = np.array([0.5, -0.3, 1.3, -0.7, 2.0])
_A = np.array([[0.5, -0.2, 1.3, 0.9], [-0.7, 2.0, -0.4, 0.3], [0.6, 0.7, 0.8, -1.1]])
_MASK = np.array([True, False, True, False, True])
_COLS = np.array([[True, False, True, False]])


def _mean(x):
    return np.mean(np.sqrt(x), where=x > 0)


def _sum(x):
    return np.sum(np.sqrt(x) * x, where=x > 0)


def _prod(x):
    return np.prod(np.sqrt(x), where=x > 0)


def _var(x):
    return np.var(np.log(x) ** 2 + np.sqrt(x), where=x > 0)


def _std_axis(a):
    return np.std(np.sqrt(a), axis=0, where=a > 0)


def _max(x):
    return np.max(np.sqrt(x), where=x > 0, initial=-1.0)


def _amin_axis(a):
    return np.amin(1.0 / np.sqrt(a), axis=1, where=a > 0, initial=9.0)


def _method_keepdims(a):
    return np.sqrt(a).mean(axis=1, where=a > 0, keepdims=True)


def _global_mask(x):
    return np.mean(np.arcsin(x / 3.0) + np.sqrt(x), where=_MASK)


def _list_mask(x):
    return np.sum(np.sqrt(x), where=[True, False, True, False, True])


def _broadcast_mask(a):
    return np.sum(np.sqrt(np.abs(a[:, :1]) * a), axis=0, where=_COLS)


def _in_loop(x):
    s = 0.0
    for k in range(2):
        s = s + np.mean(np.sqrt(x * (k + 1)), where=x > 0)
    return s


def _also_read_elsewhere(x):
    r = np.sqrt(x)
    return np.mean(r, where=x > 0) + np.sum(np.where(x > 0, r, 0.0)) ** 2


def _nansum_where(x):
    big = np.nanmax(np.log(x), where=x > 1.0, initial=0.0)
    return np.nansum(np.sqrt(x) ** 3, where=x > -0.5) + big


CASES = [
    (_mean, _X),
    (_sum, _X),
    (_prod, _X),
    (_var, _X),
    (_std_axis, _A),
    (_max, _X),
    (_amin_axis, _A),
    (_method_keepdims, _A),
    (_global_mask, _X),
    (_list_mask, _X),
    (_broadcast_mask, np.abs(_A) * np.array([1.0, -1.0, 1.0, -1.0])),
    (_in_loop, _X),
    (_also_read_elsewhere, _X),
    (_nansum_where, _X),
]


@pytest.mark.parametrize("fn, x", CASES, ids=[c[0].__name__ for c in CASES])
def test_reduction_where_of_nan_entries(fn, x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.all(np.isfinite(fn(x)))
        g = srcad.grad(lambda t: np.sum(fn(t)))(x)
        assert np.all(np.isfinite(g)), g
        check_grads(fn, (x,), modes=("fwd", "rev"))
        if np.ndim(fn(x)) == 0:
            v = np.random.default_rng(2).standard_normal(x.shape)
            hv = srcad.hvp(fn, (x,), (v,))[1]
            fd = (srcad.grad(fn)(x + 1e-5 * v) - srcad.grad(fn)(x - 1e-5 * v)) / 2e-5
            np.testing.assert_allclose(hv, fd, rtol=1e-4, atol=1e-6)


def _td_default(a, b):
    return np.linalg.tensordot(a, b.T)


def _td_one(a, b):
    return np.sin(np.linalg.tensordot(a, b, axes=1))


def _td_pairs(a, b):
    return np.linalg.tensordot(a, b.T * a, axes=([1, 0], [1, 0])) ** 2


def _td_outer(a, b):
    return np.linalg.tensordot(a[0], b[:, 1], axes=0)


@pytest.mark.parametrize("fn", [_td_default, _td_one, _td_pairs, _td_outer])
def test_linalg_tensordot(fn):
    a, b = _A[:, :3], _A.T[:3] * 0.5
    np.testing.assert_allclose(srcad.jvp(fn, (a, b), (a, b))[0], fn(a, b))
    check_grads(fn, (a, b), modes=("fwd", "rev"), order=2)


_P = np.array([[0.1, 0.5], [1.2, -0.3], [-0.4, 0.8], [0.7, 0.2]])


def _int_writes(x):
    r = np.sqrt(x)
    r[1] = 0.0
    r[-2] = 2.0 * x[0]
    return np.sum(r * x)


def _fancy_write(x):
    r = 1.0 / np.sqrt(x)
    r[np.array([1, 3])] = x[0]
    return np.sum(r**2)


def _row_and_column(a):
    r = np.log(a) + np.sqrt(a)
    r[1] = 0.0
    r[:, 2] = 1.0
    return np.sum(r * a)


def _pair_forces(p):
    n = len(p)
    diff = p[:, None] - p[None]
    inv3 = np.sum(diff**2, -1) ** -1.5
    inv3[np.arange(n), np.arange(n)] = 0.0
    return np.sum((inv3[..., None] * diff) ** 2)


def _coulomb(p):
    d = np.sqrt(np.sum((p[:, None] - p[None]) ** 2, -1))
    e = 1.0 / d
    for i in range(len(p)):
        e[i, i] = 0.0
    return 0.5 * np.sum(e)


def _inverse_square(p):
    d2 = np.sum((p[:, None] - p[None]) ** 2, -1)
    w = 2.0 * d2**-1 + 1.0
    w[np.diag_indices(len(p))] = 0.0
    return np.sum(w * d2)


def _copy_in_helper(x):
    def fix(a):
        a = a.copy()
        a[[1, 3]] = 0.0
        return a

    return np.sum(fix(np.sqrt(x)) ** 2 * x)


def _reshaped(x):
    r = np.sqrt(x).reshape(1, 5)
    r[0, 1::2] = 0.0
    return np.sum(r * x)


_WRITES = [
    (_copy_in_helper, _X),
    (_reshaped, _X),
    (_int_writes, _X),
    (_fancy_write, _X),
    (_row_and_column, np.array([[0.5, 0.2, -0.3], [-0.1, -0.4, -0.7]])),
    (_pair_forces, _P),
    (_coulomb, _P),
    (_inverse_square, _P),
]


@pytest.mark.parametrize("fn, x", _WRITES, ids=[c[0].__name__ for c in _WRITES])
def test_index_write_over_singular_entries(fn, x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.isfinite(fn(x))
        g = srcad.grad(fn)(x)
        assert np.all(np.isfinite(g)), g
        check_grads(fn, (x,), modes=("fwd", "rev"))
        v = np.random.default_rng(3).standard_normal(x.shape)
        hv = srcad.hvp(fn, (x,), (v,))[1]
        fd = (srcad.grad(fn)(x + 1e-5 * v) - srcad.grad(fn)(x - 1e-5 * v)) / 2e-5
        np.testing.assert_allclose(hv, fd, rtol=1e-4, atol=1e-6)


def _plain_write(x):
    y = x * 2.0
    y[0] = 1.0
    return np.sum(y * y)


def test_write_into_a_regular_value_has_no_mask():
    # only values a singular op made get the mask (no extra ops in ordinary code)
    src = srcad.source(_plain_write, mode="grad", args=(_X,))
    assert "unset_mask" not in src and "where_mask" not in src, src
    check_grads(_plain_write, (_X,), modes=("fwd", "rev"))


def _sqr_full_r(t):
    q, r = sla.qr(t)  # (Q's last column is not unique: only R is read)
    return r * np.sum(r)


def _sqr_wide(t):
    q, r = sla.qr(t.T)
    return q @ r + q.sum()


def _sqr_economic(t):
    q, r = sla.qr(t, mode="economic")
    return np.abs(q) * np.sum(r**2)


def _sqr_r(t):
    (r,) = sla.qr(t, mode="r")
    return r**2


def _spinv(t):
    return sla.pinv(t) @ t[:, 0]


@pytest.mark.parametrize("fn", [_sqr_full_r, _sqr_wide, _sqr_economic, _sqr_r, _spinv])
def test_scipy_qr_and_pinv(fn):
    t = _A.T.copy()  # 4 x 3
    out = srcad.jvp(fn, (t,), (t,))[0]
    np.testing.assert_allclose(out, fn(t), atol=1e-12)
    check_grads(fn, (t,), modes=("fwd", "rev"))


def _sqr_pivoting(t):
    return sla.qr(t, pivoting=True)[1]


def test_scipy_qr_pivoting_stays_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(lambda t: np.sum(_sqr_pivoting(t)))(_A.T.copy())


def _mean_where_empty_row(a):
    return np.mean(np.sqrt(a), axis=1, where=a > 0)


def test_reduction_where_empty_slice_keeps_nan():
    # a slice with no entry (its mean is NaN) keeps its NaN derivative, as its value; the
    # others are exact (tests/soundness/test_hunt30b.py's convention)
    a = np.array([[0.5, -0.2, 1.3], [-0.1, -0.4, -0.7]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = srcad.grad(lambda t: np.sum(_mean_where_empty_row(t)))(a)
        assert np.all(np.isnan(g[1])), g
        np.testing.assert_allclose(g[0], [0.5 / np.sqrt(0.5) / 2, 0.0, 0.5 / np.sqrt(1.3) / 2])
