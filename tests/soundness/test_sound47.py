"""Session 47's soundness fixes: second derivatives of functions of a distance at a zero
distance. A root of a sum of squares (``np.sqrt(np.sum(d ** 2))``, ``np.sqrt(d @ d)``,
``math.hypot``, ``np.hypot``) takes the subgradient 0 there; its second-order terms came out 0,
where a smooth kernel of it (Matern 5/2, a helper's root squared) has a nonzero Hessian: now
refused along a nonzero direction (accepted on the zero diagonal of a pairwise distance, whose
bases do not move). Even functions of a scaled magnitude (``np.cos(2 * np.abs(x))``,
``math.cos(math.hypot(p, q))``) take their smooth rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

_C = np.array([0.3, -0.2, 0.5])
_V = np.array([0.6, -0.3, 0.8])
_OFF = _C + np.array([0.1, 0.2, -0.3])
_S5 = math.sqrt(5.0)


def matern52(x):
    r = np.sqrt(np.sum((x - _C) ** 2))
    return (1 + _S5 * r / 1.5 + 5 * r**2 / (3 * 1.5**2)) * np.exp(-_S5 * r / 1.5)


def _dsq(a, b):
    return np.sqrt(np.sum((a - b) ** 2))


def helper_root_squared(x):
    return _dsq(x, _C) ** 2


def dot_root_kernel(x):
    d = x - np.array([0.3, -0.2, 0.5])
    r = np.sqrt(d @ d)
    return np.exp(-r) + r**2


def scalar_terms_root(x):
    t0, t1 = x[0] - _C[0], x[1] - _C[1]
    r = math.sqrt(t0 * t0 + t1 * t1)
    return math.exp(-0.5 * r) * (1 + 0.5 * r)


def hypot_kernel(x):
    r = np.hypot(x[0] - _C[0], x[2] - _C[2])
    return (1 + r) * np.exp(-r)


REFUSED = [matern52, helper_root_squared, dot_root_kernel, scalar_terms_root, hypot_kernel]


def _hessians(f):
    return {
        "hessian": srcad.hessian(f),
        "fwd_fwd": srcad.jacfwd(srcad.jacfwd(f)),
        "rev_rev": srcad.jacrev(srcad.grad(f)),
        "hvp": lambda x: srcad.hvp(f, (x,), (_V,))[1],
    }


@pytest.mark.parametrize("f", REFUSED, ids=[f.__name__ for f in REFUSED])
def test_root_at_zero_refused(f):
    """At the centre the Hessian came out 0 (or a wrong nonzero): now refused in every mode."""
    for h in _hessians(f).values():
        with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
            h(_C.copy())
    g = srcad.grad(f)(_C.copy())  # (the first derivative keeps the subgradient)
    assert np.all(np.isfinite(g))


@pytest.mark.parametrize("f", REFUSED, ids=[f.__name__ for f in REFUSED])
def test_root_away_from_zero(f):
    check_grads(f, (_OFF,), order=2)


def cos_hypot(x):
    return math.cos(math.hypot(x[0] - _C[0], x[1] - _C[1]))


def cos_scaled_abs(x):
    return np.sum(np.cos(2 * np.abs(x - _C)))


def cosh_abs_scaled(x):
    return np.sum(np.cosh(np.abs(x - _C) * 1.0))


def cos_root(x):
    return np.cos(0.5 * np.sqrt(np.sum((x - _C) ** 2)))


def cosh_np_hypot(x):
    return np.cosh(np.hypot(x[0] - _C[0], x[1] - _C[1]) * -3.0)


SMOOTH = [
    (cos_hypot, np.diag([-1.0, -1.0, 0.0])),
    (cos_scaled_abs, -4.0 * np.eye(3)),
    (cosh_abs_scaled, np.eye(3)),
    (cos_root, -0.25 * np.eye(3)),
    (cosh_np_hypot, np.diag([9.0, 9.0, 0.0])),
]


@pytest.mark.parametrize(("f", "want"), SMOOTH, ids=[c[0].__name__ for c in SMOOTH])
def test_even_of_magnitude_at_zero(f, want):
    """``cos(c * m)`` of a magnitude `m` is smooth at ``m = 0``: the Hessian was 0 there."""
    for how, h in _hessians(f).items():
        got = h(_C.copy())
        np.testing.assert_allclose(got, want @ _V if how == "hvp" else want, atol=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(_C.copy()), 0.0, atol=1e-12)


@pytest.mark.parametrize(("f", "want"), SMOOTH, ids=[c[0].__name__ for c in SMOOTH])
def test_even_of_magnitude_away_from_zero(f, want):
    check_grads(f, (_OFF,), order=2)


_X = np.array([[0.1, 0.2, 0.3], [0.5, -0.1, 0.7], [0.0, 0.4, -0.2]])


def pair_loop_root(X):
    tot = 0.0
    for i in range(3):
        for j in range(3):
            r = np.sqrt(np.sum((X[i] - X[j]) ** 2))
            tot = tot + (1 + _S5 * r) * np.exp(-_S5 * r)
    return tot


def pair_loop_hypot(X):
    tot = 0.0
    for i in range(3):
        for j in range(3):
            tot = tot + np.exp(-math.hypot(X[i, 0] - X[j, 0], X[i, 1] - X[j, 1]))
    return tot


def pair_matern(X):
    D = np.sqrt(np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1))
    return np.sum((1 + _S5 * D) * np.exp(-_S5 * D))


def pair_einsum(X):
    d = X[:, None, :] - X[None, :, :]
    return np.sum(np.exp(-np.sqrt(np.einsum("ijk,ijk->ij", d, d))))


def pair_np_hypot(X):
    D = np.hypot(X[:, None, 0] - X[None, :, 0], X[:, None, 1] - X[None, :, 1])
    return np.sum(np.exp(-D))


PAIRS = [pair_loop_root, pair_loop_hypot, pair_matern, pair_einsum, pair_np_hypot]


@pytest.mark.parametrize("f", PAIRS, ids=[f.__name__ for f in PAIRS])
def test_pairwise_zero_diagonal_accepted(f):
    """The zero diagonal of a pairwise distance does not move: no refusal, the right values."""
    check_grads(f, (_X,), order=2)
    h = srcad.hessian(f)(_X)
    for how, hh in _hessians(f).items():
        if how != "hvp":
            np.testing.assert_allclose(hh(_X), h, rtol=1e-10, atol=1e-12)


_GC = np.array([0.3, -0.2, 0.5])  # (a module-level array: its rank is not known when transforming)


def global_dot_root(x):
    d = x - _GC
    return np.exp(-0.5 * np.sqrt(d @ d) ** 2)


def test_dot_root_of_global_difference():
    """``np.sqrt(d @ d)`` of ``d = x - C``, `C` a global: its Hessian at the centre was 0."""
    with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
        srcad.hessian(global_dot_root)(_GC.copy())
    p = np.array([0.3, 0.0, 0.5])  # (one entry of d at 0, not all: no refusal)
    check_grads(global_dot_root, (p,), order=2)
    check_grads(global_dot_root, (_OFF,), order=2)


def generator_root(x):
    return math.sqrt(sum(v * v for v in x))


def scalar_loop_pairs(X):
    tot = 0.0
    for i in range(3):
        for j in range(3):
            d = 0.0
            for k in range(3):
                t = X[i, k] - X[j, k]
                d += t * t
            tot += np.exp(-np.sqrt(d))
    return tot


def test_root_of_loop_sum_at_zero():
    """A sum of squares a loop accumulates: the subgradient 0 where it is 0 (was 0 * inf, nan),
    its second derivative there refused (the loop's bases are not followed)."""
    np.testing.assert_array_equal(srcad.grad(generator_root)(np.zeros(3)), 0.0)
    with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
        srcad.hessian(generator_root)(np.zeros(3))
    check_grads(generator_root, (_OFF,), order=2)
    g = srcad.grad(scalar_loop_pairs)(_X)
    want = srcad.grad(lambda X: np.sum(np.exp(-np.sqrt(np.sum((X[:, None] - X[None]) ** 2, -1)))))
    np.testing.assert_allclose(g, want(_X), rtol=1e-12)
    check_grads(scalar_loop_pairs, (_X,), order=1)


def abs_changed_by_setitem(x):
    n = np.abs(x)
    s = 0.0
    for _k in range(2):
        s = s + n[0] ** 2
        n[1] = 5.0
    return s


def abs_scaled_in_loop(x):
    n = np.abs(x)
    s = 0.0
    for _k in range(2):
        s = s + np.sum(n**2)
        n = n * 2
    return s


def abs_entry_rescaled(x):
    n = np.abs(x)
    s = 0.0
    for _k in range(2):
        s = s + n[0] * n[0]
        n[0] = 3.0 * n[0]
    return s


CARRIED = [abs_changed_by_setitem, abs_scaled_in_loop, abs_entry_rescaled]


@pytest.mark.parametrize("f", CARRIED, ids=[f.__name__ for f in CARRIED])
def test_abs_carried_by_loop(f):
    """A square of ``np.abs(x)`` a loop changes (a carry): its Hessian at 0 was 0 (2, 10, 20
    on the diagonal): now refused there; right elsewhere."""
    for h in _hessians(f).values():
        with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
            h(np.zeros(3))
    check_grads(f, (np.array([0.1, -0.2, 0.3]),), order=2)


def hypot_reduce_kernel(x):
    r = np.hypot.reduce(x - _C)
    return (1 + r) * np.exp(-r)


def pair_hypot_reduce(X):
    r = np.hypot.reduce(X[:, None, :] - X[None, :, :], axis=-1)
    return np.sum((1 + r) * np.exp(-r))


def test_hypot_reduce_at_zero():
    """``np.hypot.reduce`` of a zero vector: its Hessian came out 0 (-V here): refused; the
    pairwise zero diagonal is accepted."""
    with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
        srcad.hvp(hypot_reduce_kernel, (_C.copy(),), (_V,))
    check_grads(hypot_reduce_kernel, (_OFF,), order=2)
    check_grads(pair_hypot_reduce, (_X,), order=2)
    h = srcad.hessian(pair_hypot_reduce)(_X)
    np.testing.assert_allclose(h, srcad.hessian(pair_matern_plain)(_X), rtol=1e-10, atol=1e-12)


def pair_matern_plain(X):
    D = np.sqrt(np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1))
    return np.sum((1 + D) * np.exp(-D))


def std_kernel(x):
    s = np.std(x)
    return (1 + s) * np.exp(-s)


def row_std_kernel(X):
    s = X.std(axis=1)
    return np.sum((1 + s) * np.exp(-s))


def test_std_at_constant_data():
    """``np.std`` of constant data takes the subgradient 0; its Hessian came out 0 there (the
    true one is not: (-0.078, 0.222, -0.144) along V): refused where the deviations move, not
    along a constant shift nor on a constant row that stays constant."""
    c = np.full(3, 0.7)
    with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
        srcad.hvp(std_kernel, (c,), (_V,))
    np.testing.assert_allclose(srcad.hvp(std_kernel, (c,), (np.ones(3),))[1], 0.0, atol=1e-12)
    X = np.array([[0.7, 0.7, 0.7], [0.1, 0.5, 0.2]])
    dX = np.array([[1.0, 1.0, 1.0], [0.3, -0.2, 0.5]])
    _, hv = srcad.hvp(row_std_kernel, (X,), (dX,))
    np.testing.assert_allclose(hv[0], 0.0, atol=1e-12)
    check_grads(std_kernel, (_OFF,), order=2)
    check_grads(row_std_kernel, (np.array([[0.1, 0.5, 0.2], [0.3, 0.9, -0.4]]),), order=2)
