"""Session 48's soundness fixes: second derivatives at a magnitude's 0 in the compositions the
run-time checks missed. Reverse over reverse (``grad`` of ``np.sum(grad(f)(y) * w)``) and
reverse over forward (``grad`` of a ``jvp``) of a smooth kernel of a distance at its centre
gave 0 (the checks' cotangents are ``f'(r) h``, 0 at ``r = 0``): now refused, as forward over
reverse was (the pairwise zero diagonal stays accepted). ``np.nanstd`` and ``np.std(where=)``
had no second-order check (Hessian 0 at constant data), and ``np.sqrt(np.var(x))`` divided
rounding noise by rounding noise there (gradient ``(1/3, 1/3, 1/3)``)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

_C = np.array([0.3, -0.2, 0.5])
_V = np.array([0.6, -0.3, 0.8])
_W = np.array([1.0, 2.0, -1.0])
_OFF = _C + np.array([0.1, 0.2, -0.3])
_K = np.full(3, 0.7)  # (constant data: np.var is 1.2e-32 there, not 0)
_M = np.array([True, True, False])


def _mat(r):
    return (1 + r) * np.exp(-r)


def _dist(a, b):
    return np.sqrt(np.sum((a - b) ** 2))


def rbf_helper(x):
    return np.exp(-(_dist(x, _C) ** 2))


def matern_root(x):
    return _mat(np.sqrt(np.sum((x - _C) ** 2)))


def matern_norm(x):
    return _mat(np.linalg.norm(x - _C))


def matern_hypot(x):
    d = x - _C
    return _mat(np.hypot(d[0], np.hypot(d[1], d[2])))


def matern_math_hypot(x):
    d = x - _C
    return _mat(math.hypot(float(d[0]), float(d[1]), float(d[2])))


def matern_std(x):
    return _mat(np.std(x))


def _rev_rev(f):
    def inner(y):
        return np.sum(srcad.grad(f)(y) * _W)

    return srcad.grad(inner)


def _rev_fwd(f):
    def inner(y):
        return srcad.jvp(f, (y,), (_V,))[1]

    return srcad.grad(inner)


CENTRED = [rbf_helper, matern_root, matern_norm, matern_hypot, matern_math_hypot]


@pytest.mark.parametrize("f", CENTRED + [matern_std], ids=lambda f: f.__name__)
@pytest.mark.parametrize("how", [_rev_rev, _rev_fwd], ids=["rev_rev", "rev_fwd"])
def test_reverse_over_at_zero_refused(f, how):
    """At the centre (constant data for the std) these gave 0 where the Hessian is not."""
    x = _K if f is matern_std else _C
    with pytest.raises(srcad.SrcadError, match="at 0|at a zero vector"):
        how(f)(x.copy())


@pytest.mark.parametrize("f", CENTRED + [matern_std], ids=lambda f: f.__name__)
@pytest.mark.parametrize("how", [_rev_rev, _rev_fwd], ids=["rev_rev", "rev_fwd"])
def test_reverse_over_away_from_zero(f, how):
    x = _OFF
    h = srcad.hessian(f)(x)
    want = h @ (_W if how is _rev_rev else _V)
    np.testing.assert_allclose(how(f)(x.copy()), want, rtol=1e-9, atol=1e-12)


_X = np.array([[0.1, 0.2], [0.5, -0.3], [0.9, 0.4], [-0.2, 0.7]])
_XV = np.array([[0.3, -0.1], [0.2, 0.5], [-0.4, 0.1], [0.6, 0.2]])


def pair_matern(X):
    D = np.sqrt(np.sum((X[:, None] - X[None]) ** 2, -1))
    return np.sum(_mat(D) * np.outer(np.arange(1, 5.0), np.arange(2, 6.0)))


def pair_einsum(X):
    d = X[:, None, :] - X[None, :, :]
    return np.sum(np.exp(-(np.sqrt(np.einsum("ijk,ijk->ij", d, d)) ** 2)))


@pytest.mark.parametrize("f", [pair_matern, pair_einsum], ids=lambda f: f.__name__)
def test_pairwise_diagonal_reverse_over(f):
    """The zero diagonal does not move: accepted and right in both reverse-over compositions."""
    h = srcad.hessian(f)(_X).reshape(_X.size, _X.size)

    def rr(y):
        return np.sum(srcad.grad(f)(y) * _XV)

    def rf(y):
        return srcad.jvp(f, (y,), (_XV,))[1]

    want = (h @ _XV.ravel()).reshape(_X.shape)
    np.testing.assert_allclose(srcad.grad(rr)(_X), want, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(srcad.grad(rf)(_X), want, rtol=1e-9, atol=1e-12)


def _nanstd_sq(v):
    return np.nanstd(v) ** 2


def nanstd_squared(v):
    return _nanstd_sq(v)


def _std_where_sq(v):
    return np.std(v, where=_M) ** 2


def std_where_squared(v):
    return _std_where_sq(v)


def matern_nanstd(v):
    return _mat(np.nanstd(v))


def matern_std_where(v):
    return _mat(np.std(v, where=_M))


def sqrt_var_kernel(x):
    return _mat(np.sqrt(np.var(x)))


def sqrt_var_method_kernel(x):
    return _mat(np.sqrt(x.var(ddof=1)))


STDS = [nanstd_squared, std_where_squared, matern_nanstd, matern_std_where, sqrt_var_kernel]
STDS += [sqrt_var_method_kernel]


def _second_orders(f):
    return {
        "hvp": lambda x: srcad.hvp(f, (x,), (_V,))[1],
        "hessian": srcad.hessian(f),
        "rev_rev": _rev_rev(f),
        "rev_fwd": _rev_fwd(f),
    }


@pytest.mark.parametrize("f", STDS, ids=lambda f: f.__name__)
def test_std_forms_at_constant_data_refused(f):
    """Hessian 0 (np.sqrt(np.var): -0.122 (1, 1, 1)) at constant data: now refused."""
    for how in _second_orders(f).values():
        with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
            how(_K.copy())


@pytest.mark.parametrize("f", STDS, ids=lambda f: f.__name__)
def test_std_forms_away_from_constant(f):
    check_grads(f, (_OFF,), order=2)


def test_sqrt_var_gradient_at_constant_data():
    """``np.sqrt(np.var(x))`` at constant data: the std's subgradient 0, not (1/3, 1/3, 1/3)."""
    g = srcad.grad(lambda x: np.sqrt(np.var(x)))(_K.copy())
    np.testing.assert_array_equal(g, np.zeros(3))


def test_nanstd_translation_accepted():
    """Along a direction that moves no deviation (a translation) the check does not refuse."""
    x = np.array([0.7, np.nan, 0.7])
    got = srcad.hvp(matern_nanstd, (x,), (np.array([1.0, 0.0, 1.0]),))[1]
    np.testing.assert_array_equal(got, np.zeros(3))


def spelled_std_mean(x):
    return _mat(np.sqrt(np.mean((x - x.mean()) ** 2)))


def spelled_std_sum(x):
    return _mat(np.sqrt(np.sum((x - np.mean(x)) ** 2) / 3))


SPELLED = [spelled_std_mean, spelled_std_sum]


@pytest.mark.parametrize("f", SPELLED, ids=lambda f: f.__name__)
def test_spelled_std_at_constant_data_refused(f):
    """The deviations' squares sum to 1.2e-32 there, not 0: the root's checks missed it and
    every Hessian came out 0 (FD: -(I - 11^T / 3) / 3 V)."""
    for how in _second_orders(f).values():
        with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
            how(_K.copy())
    along = srcad.hvp(f, (_K.copy(),), (np.ones(3),))[1]  # (a translation moves no deviation)
    np.testing.assert_array_equal(along, np.zeros(3))


@pytest.mark.parametrize("f", SPELLED, ids=lambda f: f.__name__)
def test_spelled_std_away_from_constant(f):
    check_grads(f, (_OFF,), order=2)


def squared_root(x):
    r = np.sqrt(np.sum((x - _C) ** 2))
    return np.exp(-r * r)


def test_squared_root_reverse_over_reverse_accepted():
    """``r * r`` of a root is differentiated as its sum (smooth): no check on its bases."""
    want = -2.0 * _W
    np.testing.assert_allclose(_rev_rev(squared_root)(_C.copy()), want, atol=1e-12)
    np.testing.assert_allclose(_rev_fwd(squared_root)(_C.copy()), -2.0 * _V, atol=1e-12)
