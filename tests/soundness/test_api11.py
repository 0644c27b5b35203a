"""Session 11, NumPy/SciPy API use (helper api11).

- Copies made by advanced indexing (``x[np.ix_(i, j)]``, ``x[np.arange(k)]``, ``x[i, j]`` with
  ``i, j = np.tril_indices(n)``) updated in place were refused as updates of the argument; a slice
  update of an array column copy was refused as a list splice in reverse mode.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


# -- advanced-index copies updated in place (were refused as updates of the argument) ----------
def ix_copy(x):
    t = x[np.ix_([1, 1, 0], [2, 0, 1])]
    t += 1.0
    return np.sum(t * np.cos(t)) + np.sum(np.sin(x))


def index_tuple_copies(x):
    t = x[np.arange(2)]
    t *= 3.0
    i, j = np.tril_indices(3)
    s = x[i, j]
    s += 1
    return np.sum(t**2) + np.sum(x) + np.sum(s**3)


def column_copy_sliced_update(x):
    # u is an array (a column of an array, copied): a slice update of it is no list splice
    u = np.insert(x, 0, 2, axis=1)[:, -2].copy()
    u[1:] *= u[:-1]
    return np.sum(np.tanh(u))


@pytest.mark.parametrize("f", [ix_copy, index_tuple_copies, column_copy_sliced_update])
def test_updates_of_copies_are_differentiated(f):
    x = np.arange(12.0).reshape(3, 4) / 7 - 0.4
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()))
    check_grads(f, (x,), modes=("fwd", "rev"))
    check_grads(f, (x,), modes=("fwd",), order=2)


# -- np.pad keywords and np.choose (were refused: no rule / "unexpected keyword argument") -------
def pad_odd(x):
    return np.sum(np.pad(x, 2, mode="reflect", reflect_type="odd") ** 2)


def pad_sym_odd_2d(x):
    return np.sum(np.sin(np.pad(x, ((1, 3), (2, 0)), mode="symmetric", reflect_type="odd")))


def pad_ramp_end(x):
    return np.sum(np.pad(x, 2, mode="linear_ramp", end_values=(1.0, -2.0)) ** 2)


def pad_mean_stat(x):
    return np.sum(np.pad(x, (1, 2), mode="mean", stat_length=((1, 2), (2, 1))) ** 3)


def choose_rows(x):
    i = np.array([[0, 1, 2, 1], [2, 0, 1, 0], [1, 1, 0, 2]])
    return np.sum(np.choose(i, [x, x**2, np.sin(x[0])], mode="clip") ** 2)


@pytest.mark.parametrize("f", [pad_odd, pad_sym_odd_2d, pad_ramp_end, pad_mean_stat, choose_rows])
def test_pad_keywords_and_choose(f):
    x = np.arange(12.0).reshape(3, 4) / 7 - 0.4
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()))
    check_grads(f, (x,), modes=("fwd", "rev"))
    check_grads(f, (x,), modes=("fwd",), order=2)


def test_pad_statistic_of_part_refused_when_transformed():
    def f(x):
        return np.sum(np.pad(x, (1, 2), mode="maximum", stat_length=2))

    # refused by passes/refusals.py when the derivative is built, not by the helper when it runs
    with pytest.raises(srcad.SrcadError, match=r"stat_length= \(rules/pad_kwargs"):
        srcad.jvp(f, (np.ones(4),), (np.ones(4),))


# -- scipy.stats.lognorm, scipy.special.huber / pseudo_huber (were refused: no rule) ----------
sps = pytest.importorskip("scipy.special")
sts = pytest.importorskip("scipy.stats")


def lognorm_all(x):
    a = np.abs(x) + 0.2
    return (
        np.sum(sts.lognorm.logpdf(a, np.abs(x[0, 1]) + 0.5, loc=-0.1, scale=np.abs(x[1, 2]) + 0.3))
        + np.sum(sts.lognorm.cdf(x, 0.7, -1.0, 2.0) + sts.lognorm.sf(x + 1.5, x[2, 3]))
        + np.sum(sts.lognorm.logcdf(x + 2, 1.1) + sts.lognorm.pdf(x + 1.2, 0.4, scale=x[2, 3]))
    )


def hubers(x):
    return (
        np.sum(sps.huber(0.45, x) + sps.pseudo_huber(0.7, x))
        + sps.huber(np.abs(x[0, 0]), x[2, 3])
        + sps.pseudo_huber(np.abs(x[0, 1]) + 0.1, x[1, 2])
    )


@pytest.mark.parametrize("f", [lognorm_all, hubers])
def test_scipy_formulas(f):
    x = np.arange(12.0).reshape(3, 4) / 7 - 0.37
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()), rel=1e-12)
    check_grads(f, (x,), modes=("fwd", "rev"))
    check_grads(f, (x,), modes=("fwd",), order=2)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: sts.lognorm.logpdf(x, 0.7),
        lambda x: sts.lognorm.cdf(x, 0.7, 0.0, 2.0),
        lambda x: sts.lognorm.sf(x, 0.7),
        lambda x: sts.lognorm.logcdf(x, 0.7),
        lambda x: sts.lognorm.logpdf(x, -1.0),
        lambda x: sts.lognorm.pdf(x, 0.5, 0.0, -2.0),
        lambda x: sps.huber(-1.0, x),
        lambda x: sps.pseudo_huber(0.0, x),
        lambda x: sps.pseudo_huber(-1.0, x),
    ],
)
def test_scipy_formulas_edges_as_scipy(call):
    x = np.array([0.5, -1.0, 0.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(srcad.primal(call)(x), call(x), rtol=1e-12)
