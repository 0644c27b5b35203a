"""Soundness hunt 35b: wrong derivatives found by porting other projects' NumPy test corpora
(autograd's and JAX's reductions with ``where=``/``initial=``, nan-functions, linear algebra).

- WRONG derivative (NaN, reverse mode): a reduction with a mask, ``np.mean(np.sqrt(x),
  where=x > 0)`` (sum, prod, var, std, max, min, amax, their methods; a global, list or
  broadcast mask; in a loop; in a helper): the rule gives the left-out entries a zero
  cotangent, which the chain that made the reduced value multiplied by its local derivative,
  NaN there (``0.5 / sqrt(-0.3)``), so ``grad`` was NaN where forward mode and central
  differences give 0. `srcad/ad/wheremasks.py` now masks those entries as on the unselected
  side of a ``np.where``.
- Spurious refusal: ``np.linalg.tensordot(a, b, axes=..)`` (NumPy 2's array-API name) had "no
  derivative rule"; it is now lowered as ``np.tensordot``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

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


def _masked_mean(u, c):
    return np.mean(u, where=c)


def _via_helper(x):
    return _masked_mean(np.sqrt(x), x > 0) * 2.0


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
    (_via_helper, _X),
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
