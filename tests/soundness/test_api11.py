"""Session 11, NumPy/SciPy API use (helper api11).

- Forward mode gave NaN where the derivative is finite: code that masks entries with ``inf``
  (``np.fill_diagonal(r2, np.inf)``, ``np.where(eye, np.inf, r2)``, ``r2[mask] = np.inf``) and maps
  them back to finite values (``1 / r2 ** 3``, Lennard-Jones) took ``0 * inf`` in the JVP of
  ``r2 ** 3`` (``dr2 * 3 r2 ** 2``) where the written entries have a zero tangent. Reverse mode
  and central differences were finite. Now such a term is 0 where the tangent is 0 and the value
  infinite (`srcad.rules.infzero`), guarded only where a written infinity may flow
  (`srcad.ad.infvals`).
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

_X = np.array([0.0, 0.0, 1.1, 0.1, 0.2, 1.2, 1.3, 1.0])


def _r2(x):
    p = x.reshape(4, 2)
    d = p[:, None] - p[None]
    return np.sum(d**2, -1)


def lj_fill_diagonal(x):
    r2 = _r2(x)
    np.fill_diagonal(r2, np.inf)
    inv6 = 1.0 / r2**3
    return 2.0 * np.sum(inv6**2 - inv6)


def lj_where(x):
    r2 = np.where(np.eye(4, dtype=bool), np.inf, _r2(x))
    return np.sum(1.0 / (r2 * r2 * r2))


def lj_mask(x):
    r2 = _r2(x)
    r2[np.eye(4, dtype=bool)] = np.inf
    return np.sum(np.exp(-r2) + 1 / np.square(r2))


def scalar_pow(x):
    r = np.inf
    s = 0.0
    for k in range(3):
        r = np.inf if k == 0 else (x[k] + 2.0) * x[k + 2]
        s = s + 1.0 / r**3
    return s


@pytest.mark.parametrize("f", [lj_fill_diagonal, lj_where, lj_mask, scalar_pow])
def test_forward_mode_finite_through_inf_written_entries(f):
    v = np.linspace(-1.0, 1.0, 8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 0 * inf is computed, then masked
        g = srcad.grad(f)(_X)
        _, t = srcad.jvp(f, (_X,), (v,))
        jf = srcad.jacfwd(f)(_X)
        hess = srcad.hessian(f)(_X)
        hess_ff = srcad.jacfwd(srcad.jacfwd(f))(_X)
    assert np.isfinite(g).all()
    h = 1e-6
    fd = (f(_X + h * v) - f(_X - h * v)) / (2 * h)
    np.testing.assert_allclose(t, fd, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(t, g @ v, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(jf, g, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(hess_ff, hess, rtol=1e-7, atol=1e-7)


_INF = np.inf  # a global read by the function: a written infinity too


def _energy(r2):  # a user function given the masked array
    return np.sum(np.exp(-r2) + 1.0 / (r2 * r2 * r2))


def lj_global_and_callee(x):
    r2 = np.where(np.eye(4, dtype=bool), _INF, _r2(x))
    return _energy(r2) + np.sum(r2[0, 1:] * 2.0)


def test_forward_mode_finite_through_globals_and_user_functions():
    v = np.linspace(-1.0, 1.0, 8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = srcad.grad(lj_global_and_callee)(_X)
        _, t = srcad.jvp(lj_global_and_callee, (_X,), (v,))
        hess = srcad.hessian(lj_global_and_callee)(_X)
        hess_ff = srcad.jacfwd(srcad.jacfwd(lj_global_and_callee))(_X)
    np.testing.assert_allclose(t, g @ v, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(hess_ff, hess, rtol=1e-7, atol=1e-7)


def test_guard_only_where_a_written_infinity_flows():
    # transform-time decision (srcad.ad.infvals): code writing no infinity has no guard at all,
    # and in code that does, only the terms downstream of the written constant have one
    def plain(x):
        p = np.clip(x, 1e-3, np.inf) * np.minimum(x, np.inf)
        return np.sum(np.exp(x) * x**3 * p)

    def mixed(x):
        a = np.sum(np.exp(x) * x**3)
        r2 = x * x
        np.fill_diagonal(r2, np.inf)
        return a + np.sum(1.0 / r2**3)

    assert "inf0" not in srcad.source(plain, mode="jvp")
    src = srcad.source(mixed, mode="jvp")
    assert src.count("inf0(") == 1, src
    x = np.arange(1.0, 10.0).reshape(3, 3) / 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 0 * inf is computed, then masked
        check_grads(mixed, (x,), modes=("fwd", "rev"))


def test_zero_tangent_at_a_finite_value_is_not_masked():
    # cbrt(x ** 3) at 0: the inner tangent is 0, the factor inf, the derivative 1. Not a constant
    # infinite value, so NaN stays (as JAX gives), not a silent 0.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, t = srcad.jvp(lambda x: np.cbrt(x**3), (0.0,), (1.0,))
    assert np.isnan(t)


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
