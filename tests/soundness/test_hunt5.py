"""Soundness hunt 5: what the hunt found in user-style programs (tests/corpus/users_hunt5.py).

- Wrong Hessians (and crashes) with a list operand: ``d = [v * v for v in x]; np.dot(np.sin(x),
  d)``. The reverse sweep's cotangent of the list, ``dot_vjp(g, a, d, 1)``, is a list; forward
  mode over it summed the tangent terms of that helper (one per varied operand) with ``+``,
  which concatenates lists, and the reverse loop then read the wrong half (a Hessian diagonal of
  1.14 where differences of the gradient give 1.71), or `_srcad.add` met lists of two lengths.
  The same for np.kron, convolve, cross, polyval, trapezoid, mean/std of a list, np.dot of a
  nested list. Found here and by the lead at the same time; fixed in 3a7a9cf (JVP.sum_prim);
  these tests cover the helpers of that family.
- Wrong Jacobians and Hessians of functions drawing random numbers from a state that outlives
  the call (a generator argument, NumPy's global state, a module-level generator, in a callee
  too): `srcad.jacfwd` and `srcad.hessian` run the generated function once per column, so each
  column differentiated another draw. Refused now (passes/draws.py), located at the draw;
  functions that seed inside (``np.random.seed(0)`` first, ``default_rng(<constant>)``) are
  deterministic and accepted; grad, jacrev and hvp run once and were right.
- Spurious refusals of element reads: a textbook Cholesky (``S = A @ A.T + n * np.eye(n); s =
  S[i, j]; s -= ...``) and a CTC-style table (``a = np.full((T, S), -1e30); m = max([a[t - 1,
  s], ...])``) were refused as reads of views: passes/scalars.float_ranks now knows np.full with
  a float fill, np.eye/identity, transposes and 2-D matrix products (and sizes from len/shape).
- A spurious refusal in reverse mode: ``f = np.empty_like(x); f[0::2] = ...; f[1::2] = ...`` (the
  extended Rosenbrock function) was "a slice assignment into a list": `x[i] = v` forgot that an
  array of unknown dtype (kind "n", not a list) stays one.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_hunt5

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X = np.array([0.3, -0.7, 0.5])


def dot_arr_list(x):
    d = [v * v for v in x]
    return np.dot(np.sin(x), d)


def dot_list_list(x):
    return np.dot([v * v for v in x], [np.sin(v) for v in x])


def kron_list(x):
    return np.sum(np.kron([x[0], x[1] ** 2], np.array([x[2], 1.0])) ** 2)


def convolve_list(x):
    return np.sum(np.convolve([x[0] ** 2, x[1]], np.array([x[2], 1.0, x[0]])) ** 2)


def cross_list(x):
    return np.sum(np.cross([x[0], x[1] ** 2, x[2]], np.sin(x)) ** 2)


def polyval_list(x):
    return np.polyval([x[0], x[1] ** 2, x[2]], x[1]) ** 2


def trapz_list(x):
    return np.trapezoid([v * v for v in x], dx=0.3) * np.sum(x)


def matmul_list(x):
    M = [[x[0], x[1]], [x[2], x[0] * x[1]]]
    return np.sum(np.dot(M, x[:2]) ** 3)


def mean_list(x):
    d = [v * v for v in x]
    return np.mean(d) * np.std(d) + np.var(d)


def kmeans_soft_loop(x, C):
    d = [np.sum((x - c) ** 2) for c in C]
    w = np.exp(-np.array(d))
    return np.dot(w / w.sum(), d)


def _fd_hessian(f, x, eps=1e-6):
    g = srcad.grad(f)
    return np.array([(g(x + eps * e) - g(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


# before the fix: wrong Hessians (dot_arr_list: diagonal 1.14 / -0.78 / 1.72 where differences of
# the gradient give 1.71 / -1.17 / 2.59), ValueError for matmul_list and mean_list
@pytest.mark.parametrize(
    "f",
    [dot_arr_list, dot_list_list, kron_list, convolve_list, cross_list, polyval_list,
     trapz_list, matmul_list, mean_list],
)  # fmt: skip
def test_hessian_through_the_cotangent_of_a_list(f) -> None:
    H = srcad.hessian(f)(X)
    np.testing.assert_allclose(H, _fd_hessian(f, X), rtol=1e-5, atol=1e-6)
    v = np.array([0.4, -1.0, 0.7])
    np.testing.assert_allclose(srcad.hvp(f, (X,), (v,))[1], H @ v, rtol=1e-10, atol=1e-12)
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


def test_hvp_of_a_soft_assignment_over_a_list_of_distances() -> None:
    # crashed: "srcad: adding sequences of lengths 6 and 3"
    C = np.array([[1.0, 2.0], [0.5, -1.0], [0.1, 0.1]])
    x = np.array([0.3, -0.2])
    f = lambda x: kmeans_soft_loop(x, C)  # noqa: E731
    np.testing.assert_allclose(srcad.hessian(f)(x), _fd_hessian(f, x), rtol=1e-5, atol=1e-6)


def extended_rosen(x):
    f = np.empty_like(x)
    f[0::2] = 10 * (x[1::2] - x[0::2] ** 2)
    f[1::2] = 1 - x[0::2]
    return np.sum(f**2)


def test_slice_assignments_into_an_empty_like_array_in_reverse_mode() -> None:
    x = np.array([0.3, -0.7, 0.5, 1.2])
    check_grads(extended_rosen, (x,), modes=("fwd", "rev"), order=2)
    eps = 1e-6
    fd = [
        (extended_rosen(x + eps * e) - extended_rosen(x - eps * e)) / (2 * eps) for e in np.eye(4)
    ]
    np.testing.assert_allclose(srcad.grad(extended_rosen)(x), fd, rtol=1e-6, atol=1e-6)


# -- the corpus of this hunt at second order ------------------------------------------------------
HVP = [c for c in users_hunt5.CASES if c.extra == "hvp"]


SCALAR = scalar_float_cases(HVP)


@pytest.mark.parametrize("case", SCALAR, ids=[c.name for c in SCALAR])
def test_hvp_and_hessian_match_differences_of_the_gradient(case: Case) -> None:
    check_hvp_and_hessian(case)


# -- Jacobians by columns of functions that draw random numbers -----------------------------------
def mc_rng_arg(x, rng):
    eps = rng.standard_normal(3)
    return np.sum(x**2 * eps)


def mc_global(x):
    eps = np.random.standard_normal(3)
    return np.sum(x**2 * eps)


def _noise(n):
    return np.random.standard_normal(n)


def mc_callee(x):
    return np.sum(x**2 * _noise(3))


def mc_seeded(x):
    np.random.seed(0)
    eps = np.random.standard_normal(3)
    return np.sum(x**2 * eps)


def mc_local_rng(x):
    rng = np.random.default_rng(7)
    return np.sum(x**2 * rng.standard_normal(3))


X3 = np.array([1.0, 2.0, 3.0])


# before: hessian(mc_rng_arg)(X3, default_rng(0)) had diagonal [0.251, -1.071, -1.407] where the
# one draw of default_rng(0) gives 2 * eps = [0.251, -0.264, 1.281]: one draw per column
@pytest.mark.parametrize("make", [srcad.hessian, srcad.jacfwd])
@pytest.mark.parametrize(
    "f, args, line",
    [
        (mc_rng_arg, lambda: (X3, np.random.default_rng(0)), "rng.standard_normal(3)"),
        (mc_global, lambda: (X3,), "np.random.standard_normal(3)"),
        (mc_callee, lambda: (X3,), "np.random.standard_normal(n)"),
    ],
)
def test_columns_of_other_random_draws_are_refused(make, f, args, line) -> None:
    with pytest.raises(srcad.SrcadError, match="once per column") as e:
        make(f)(*args())
    assert line in str(e.value)


def test_one_run_derivatives_of_random_draws_use_one_draw() -> None:
    eps = np.random.default_rng(0).standard_normal(3)
    g = srcad.grad(mc_rng_arg)(X3, np.random.default_rng(0))
    np.testing.assert_allclose(g, 2 * X3 * eps)
    _, hv = srcad.hvp(mc_rng_arg, (X3, np.random.default_rng(0)), (np.ones(3), None))
    np.testing.assert_allclose(hv, 2 * eps)


@pytest.mark.parametrize("f", [mc_seeded, mc_local_rng])
def test_hessians_of_draws_seeded_inside_are_accepted(f) -> None:
    np.testing.assert_allclose(srcad.hessian(f)(X3), _fd_hessian(f, X3), atol=1e-6)


class Quadratic:
    def __init__(self, s):
        self.s = s

    def normal(self, x):  # named like a generator's method: not a draw on this object
        return self.s * x**2


def method_named_normal(x, d):
    return np.sum(d.normal(x) * x)


def test_a_user_method_named_like_a_draw_is_not_one() -> None:
    H = srcad.hessian(method_named_normal)(X3, Quadratic(2.0))
    np.testing.assert_allclose(H, np.diag(12.0 * X3), rtol=1e-12)


# -- element reads of arrays whose rank the facts did not follow ----------------------------------
def cholesky_loops(A):
    n = A.shape[0]
    S = A @ A.T + n * np.eye(n)
    L = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1):
            s = S[i, j]
            for k in range(j):
                s -= L[i, k] * L[j, k]
            L[i, j] = np.sqrt(s) if i == j else s / L[j, j]
    return np.sum(L**2 * np.arange(n * n).reshape(n, n))


def ctc_like(logp):
    T, S = logp.shape
    a = np.full((T, S), -1e30)
    a[0, 0] = logp[0, 0]
    a[0, 1] = logp[0, 1]
    for t in range(1, T):
        for s in range(S):
            terms = [a[t - 1, s]]
            if s >= 1:
                terms.append(a[t - 1, s - 1])
            m = max(terms)
            a[t, s] = m + np.log(sum(np.exp(v - m) for v in terms)) + logp[t, s]
    return np.logaddexp(a[-1, -1], a[-1, -2])


# before: refused ("an element of `S` (`s`) is read after ... updated with `op=`", "`m` is read
# after the object it shares with another name is modified"): S[i, j] and a[t - 1, s] were taken
# for possible views, np.full / np.eye / `@` / `.T` having no known rank
@pytest.mark.parametrize(
    "f, x",
    [
        (cholesky_loops, np.array([[0.3, -1.2, 0.5], [1.1, 0.4, -0.7], [0.2, 0.9, 1.3]])),
        (
            ctc_like,
            np.array([[0.3, -1.2, 0.5], [1.1, 0.4, -0.7], [0.2, 0.9, 1.3], [-0.5, 0.1, 0.6]]),
        ),
    ],
)
def test_element_reads_of_full_eye_and_matrix_products_are_numbers(f, x) -> None:
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)
    g = srcad.grad(f)(x)
    eps = 1e-6
    fd = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        d = np.zeros(x.shape)
        d[i] = eps
        fd[i] = (f(x + d) - f(x - d)) / (2 * eps)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-7)
