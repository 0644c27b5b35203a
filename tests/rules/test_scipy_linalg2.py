"""scipy.linalg's lu family, eigh, sqrtm, logm, block_diag (srcad/rules/scipy_linalg2.py) and
stacks of matrices through the rules of srcad/rules/scipy_linalg.py, as users write them: first
and second derivatives against finite differences (`check_grads`), the triangle or band each
function reads, and the clean refusals (`DiffError`) of what srcad does not differentiate."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.rules.rules_cases import scipy_linalg_batches

pytest.importorskip("scipy")
import scipy.linalg as sl  # noqa: E402

rng = np.random.default_rng(7)
A = rng.standard_normal((4, 4)) + 2.0 * np.eye(4)
K = A @ A.T + np.eye(4)
B = rng.standard_normal((4, 2))
BATCHES = scipy_linalg_batches()
needs_batches = pytest.mark.skipif(not BATCHES, reason="scipy.linalg without stacks (< 1.16)")
STACK = np.stack([K, K + np.diag([1.0, 2.0, 3.0, 4.0]), 2.0 * K, K.T @ K / 10.0])  # 4 of 4x4


def test_lu_solve_of_lu_factor_is_a_solve():
    def f(a, b):
        return np.sum(np.sin(sl.lu_solve(sl.lu_factor(a), b)))

    def g(a, b):
        return np.sum(np.sin(np.linalg.solve(a, b)))

    for got, want in zip(srcad.grad(f, wrt=(0, 1))(A, B), srcad.grad(g, wrt=(0, 1))(A, B)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    check_grads(f, (A, B), modes=("fwd", "rev"), order=2)


def _lu_plain(a):
    p, lo, up = sl.lu(a)
    return np.sum(np.sin(lo)) + np.sum(up**2) + np.sum(p)


def _lu_permute_l(a):
    pl, up = sl.lu(a, permute_l=True)
    return np.sum(np.sin(pl)) + np.sum(up**2)


def _lu_p_indices(a):
    _, lo, up = sl.lu(a, p_indices=True)
    return np.sum(np.sin(lo)) + np.sum(up**2)


@pytest.mark.parametrize("f", [_lu_plain, _lu_permute_l, _lu_p_indices])
def test_lu_factors(f):
    check_grads(f, (A,), modes=("fwd", "rev"), order=2)


def test_lu_solve_transposed():
    def f(a, b):
        return np.sum(np.cos(sl.lu_solve(sl.lu_factor(a), b, trans=1)))

    check_grads(f, (A, B[:, 0]), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize("lower", [True, False])
def test_eigh_matches_numpy_and_reads_one_triangle(lower):
    def f(a):
        w, v = sl.eigh(a, lower=lower)
        return np.sum(w**2) + np.sum(v[:, -1] ** 4)

    def g(a):
        w, v = np.linalg.eigh(a, UPLO="L" if lower else "U")
        return np.sum(w**2) + np.sum(v[:, -1] ** 4)

    m = K + 0.5 * np.triu(A, 1)  # not symmetric: the unread triangle must get zero
    got = srcad.grad(f)(m)
    np.testing.assert_allclose(got, srcad.grad(g)(m), rtol=1e-9, atol=1e-12)
    assert np.all((np.triu(got, 1) if lower else np.tril(got, -1)) == 0.0)
    check_grads(f, (m,), modes=("fwd", "rev"), order=2)


def test_eigh_eigvals_only():
    def f(a):
        return np.sum(np.exp(sl.eigh(a, eigvals_only=True) / 10.0))

    check_grads(f, (K,), modes=("fwd", "rev"), order=2)
    g = srcad.grad(f)(np.eye(3))  # repeated eigenvalues: finite (symmetric in them)
    np.testing.assert_allclose(g, np.exp(0.1) / 10.0 * np.eye(3), rtol=1e-12)


def test_eigvalsh_is_eigh_eigvals_only():
    def f(a):
        return np.sum(np.exp(sl.eigvalsh(a, lower=False) / 10.0))

    def g(a):
        return np.sum(np.exp(sl.eigh(a, lower=False, eigvals_only=True) / 10.0))

    np.testing.assert_allclose(srcad.grad(f)(K + A), srcad.grad(g)(K + A), rtol=1e-12)
    check_grads(f, (K + A,), modes=("fwd", "rev"), order=2)


def test_sylvester_and_lyapunov():
    def f(a, b, q):
        return np.sum(np.sin(sl.solve_sylvester(a, b, q)))

    def g(a, q):
        return np.sum(np.sin(sl.solve_continuous_lyapunov(a, q)))

    check_grads(f, (K, K[:2, :2], B), modes=("fwd", "rev"), order=2)
    check_grads(g, (-K + 0.3 * A, A.T @ A), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize("fn", [sl.sqrtm, sl.logm])
def test_sqrtm_logm(fn):
    def f(a):
        return np.sum(np.sin(fn(a)) * B[:, :1])

    check_grads(f, (K / 5.0,), modes=("fwd", "rev"), order=2)
    if BATCHES:
        check_grads(f, (STACK / 5.0,), modes=("fwd", "rev"), order=1)


def test_sqrtm_solves_the_sylvester_equation():
    x = sl.sqrtm(K)
    e = rng.standard_normal((4, 4))
    _, dx = srcad.jvp(lambda a: sl.sqrtm(a), (K,), (e,))
    np.testing.assert_allclose(x @ dx + dx @ x, e, rtol=1e-9, atol=1e-10)


def test_block_diag():
    def f(a, b, c):
        return np.sum(np.sin(sl.block_diag(a, b, 2.0 * c, np.eye(2))) * np.arange(10.0))

    check_grads(f, (A[:2, :3], B[:, 0], A[0, 0]), modes=("fwd", "rev"), order=2)


# -- stacks through srcad/rules/scipy_linalg.py ----------------------------------------------
@needs_batches
@pytest.mark.parametrize("assume_a", ["sym", "pos", "diagonal", "tridiagonal", "banded", None])
def test_solve_of_a_stack_as_many_matrices_as_rows(assume_a):
    """4 matrices of 4x4: a diagonal taken with np.diag of the stack's diagonals was wrong."""

    def f(a, b):
        return np.sum(np.sin(sl.solve(a, b, assume_a=assume_a)))

    check_grads(f, (STACK + 0.3 * np.triu(A), rng.standard_normal((4, 4, 2))),
                modes=("fwd", "rev"))  # fmt: skip


@pytest.mark.parametrize("assume_a", ["tridiagonal", "banded"])
def test_solve_band_kinds_read_the_band(assume_a):
    def f(a, b):
        return np.sum(np.sin(sl.solve(a, b, assume_a=assume_a)))

    g = srcad.grad(f)(K, B)
    if assume_a == "tridiagonal":  # scipy reads three diagonals only
        assert np.all(np.triu(g, 2) == 0.0) and np.all(np.tril(g, -2) == 0.0)
    check_grads(f, (K, B), modes=("fwd", "rev"), order=2)


def test_expm_of_a_stack():
    def f(a):
        return np.sum(np.sin(sl.expm(a)))

    check_grads(f, (STACK / 10.0,), modes=("fwd", "rev"), order=2)


# -- refusals -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "f, args, match",
    [
        (lambda a: np.sum(sl.lu(a)[1]), (A[:3],), "lu of one square matrix"),
        (lambda a: np.sum(sl.lu(a)[1]), (STACK,), "lu of one square matrix"),
        (lambda a: np.sum(sl.eigh(a, K, type=3)[0]), (K + A,), "type=2 or 3"),
        (lambda a: np.sum(sl.eigh(a, subset_by_index=[0, 1])[0]), (K,), "subset"),
        (lambda a: np.sum(np.real(sl.sqrtm(a))), (np.diag([-1.0, 2.0]),), "complex"),
        pytest.param(
            lambda a: np.sum(sl.solve_triangular(a, np.ones(4))),
            (STACK,),
            "solve_triangular",
            marks=needs_batches,
        ),
        pytest.param(
            lambda a: np.sum(sl.cho_solve(sl.cho_factor(a), np.ones(4))),
            (STACK,),
            "cho_solve",
            marks=needs_batches,
        ),
        pytest.param(
            lambda ab: np.sum(sl.solve_banded((1, 1), ab, np.ones(4))),
            (STACK[:, :3],),
            "banded",
            marks=needs_batches,
        ),
    ],
)
def test_refused_when_it_runs(f, args, match):
    for transform in (srcad.grad, lambda f: lambda *a: srcad.jvp(f, a, a)):
        with pytest.raises(srcad.SrcadError, match=match):
            transform(f)(*args)


def test_solve_banded_is_a_solve():
    ab = rng.standard_normal((4, 6))
    ab[2] += 5.0  # (l, u) = (1, 2)

    def dense(ab):
        return sum(np.diag(ab[2 - d, max(d, 0) : 6 + min(d, 0)], d) for d in (-1, 0, 1, 2))

    def f(ab, b):
        return np.sum(np.sin(sl.solve_banded((1, 2), ab, b)))

    def g(ab, b):
        return np.sum(np.sin(np.linalg.solve(dense(ab), b)))

    b = rng.standard_normal((6, 2))
    for got, want in zip(srcad.grad(f, wrt=(0, 1))(ab, b), srcad.grad(g, wrt=(0, 1))(ab, b)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    check_grads(f, (ab, b), modes=("fwd", "rev"), order=2)


def test_functions_without_rules_are_refused_at_transform_time():
    def f(cb, b):
        return np.sum(sl.cho_solve_banded((cb, False), b))

    with pytest.raises(srcad.SrcadError, match="no derivative rule for `scipy.linalg.cho_solve"):
        srcad.grad(f)(np.ones((2, 4)) + 2.0, np.ones(4))
