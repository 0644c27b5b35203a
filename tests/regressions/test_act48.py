"""Second-order refusals that were spurious (session 48): a value only conditions read, a root
only the branch not taken reads.

1. A loop-carried convergence test (``err = np.std(...)`` read only by ``while err > tol``) got a
   tangent and a cotangent, so np.std's check at constant rows (rules/root_at0.py) refused the
   Hessian; it now gets neither (ad/live.py).
2. ``r = np.sqrt(np.sum(x ** 2))`` (``np.hypot``, ``math.hypot``, ``np.linalg.norm``) read only
   where a flag that does not depend on `x` is False: the magnitude's check refused at ``x == 0``
   though `r` is not used; it now runs only where the flag keeps `r` (ad/rootbranch.py).

Each Hessian (``hessian``, ``jacfwd(grad)``, ``jacrev(grad)``, ``hvp``) is checked against the
hand-derived value and against central differences of srcad's gradient.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from tests.corpus import ALL_CASES
from tests.corpus.ported_corp24_ot import barycenter_energy


def _forms(f, args):
    """The Hessian in `args[0]` by every route srcad has, as dense matrices."""
    x, rest = args[0], args[1:]
    n = np.size(x)
    cols = []
    for j in range(n):
        e = np.zeros(n)
        e[j] = 1.0
        hv = srcad.hvp(lambda y: f(y, *rest), (x,), (e.reshape(np.shape(x)),))[1]
        cols.append(np.ravel(hv))
    return {
        "hessian": np.reshape(srcad.hessian(f)(*args), (n, n)),
        "jacfwd(grad)": np.reshape(srcad.jacfwd(srcad.grad(f))(*args), (n, n)),
        "jacrev(grad)": np.reshape(srcad.jacrev(srcad.grad(f))(*args), (n, n)),
        "hvp": np.stack(cols, axis=1),
    }


def _fd(f, args, h=1e-5):
    """Central differences of srcad's gradient."""
    x, rest = np.asarray(args[0], float), args[1:]
    g = srcad.grad(f)
    cols = []
    for j in range(x.size):
        e = np.zeros(x.size)
        e[j] = h
        e = e.reshape(x.shape)
        cols.append(np.ravel((g(x + e, *rest) - g(x - e, *rest)) / (2 * h)))
    return np.stack(cols, axis=1)


def _check(f, args, want, fd=True):
    for name, H in _forms(f, args).items():
        np.testing.assert_allclose(H, want, rtol=1e-9, atol=1e-12, err_msg=name)
    if fd:
        np.testing.assert_allclose(_fd(f, args), want, rtol=1e-6, atol=1e-7)


# -- 1. a convergence test carried by a loop -------------------------------------------------


def converge(x):
    u = x
    err = 1.0
    k = 0
    while err > 1e-12 and k < 3:
        u = 0.5 * u + np.sin(u)
        err = np.std(np.stack([u[0], u[1]]))  # 0 where u[0] == u[1]; moves along e0
        k += 1
    return np.sum(u**3)


def converge_for(x):
    u = x
    err = 1.0
    for _ in range(3):
        if err > 1e-12:
            u = 0.5 * u + np.sin(u)
            err = np.sum(np.std(np.stack([u, u[::-1]]), axis=0))
    return np.sum(u**3)


def _converge_hessian(x, steps):
    u, du, ddu = x, np.ones_like(x), np.zeros_like(x)
    for _ in range(steps):  # u <- 0.5 u + sin(u), elementwise: first and second derivatives
        ddu = (0.5 + np.cos(u)) * ddu - np.sin(u) * du**2
        du = (0.5 + np.cos(u)) * du
        u = 0.5 * u + np.sin(u)
    return np.diag(6 * u * du**2 + 3 * u**2 * ddu)


@pytest.mark.parametrize("f", [converge, converge_for], ids=["while", "for"])
def test_convergence_test_gets_no_derivative(f):
    x = np.array([0.7, 0.7])  # the rows std reads stay equal: std 0, its tangent is not
    # (one step runs here, more off the diagonal: differences of the gradient cross that jump,
    # so only the one-step value is the reference)
    _check(f, (x,), _converge_hessian(x, 1), fd=False)
    y = np.array([0.3, 0.9])  # away from it: as before (3 steps, err never 0)
    _check(f, (y,), _converge_hessian(y, 3))


def test_convergence_test_has_no_tangent_code():
    src = srcad.source(converge, mode="jvp", args=(np.ones(2),))
    assert "var_jvp" not in src and "std_d2_check" not in src, src
    src = srcad.source(converge, mode="grad", args=(np.ones(2),))
    assert "std_vjp_scale" not in src and "var_vjp" not in src, src


def test_barycenter_energy_hessian():
    case = next(c for c in ALL_CASES if c.name == "ported_corp24_ot.barycenter_energy")
    A = case.args[0]
    H = np.reshape(srcad.hessian(barycenter_energy)(A), (A.size, A.size))
    g = srcad.grad(barycenter_energy)
    h = 1e-6
    cols = []
    for j in range(A.size):
        e = np.zeros(A.size)
        e[j] = h
        e = e.reshape(A.shape)
        cols.append(np.ravel(g(A + e) - g(A - e)) / (2 * h))
    scale = np.max(np.abs(H))
    np.testing.assert_allclose(H, np.stack(cols, axis=1), rtol=1e-5, atol=1e-6 * scale)


# -- 2. a root read only where a fixed flag does not take it ----------------------------------


def root_in_if(x, flag):
    r = np.sqrt(np.sum(x**2))
    if flag:
        out = np.exp(r)
    else:
        out = np.cos(x[0])
    return out + x[0] * x[1]


def root_in_ifexp(x, flag):
    r = np.sqrt(np.sum(x**2))
    out = r if flag else x[0]
    return np.exp(out) + x[0] * x[1]


def root_in_where(x, flag):
    r = np.sqrt(np.sum(x**2))
    return np.where(flag, np.exp(r), np.cos(x[0])) + x[0] * x[1]


def root_dot_in_if(x, flag):
    d = x - 0.0
    r = np.sqrt(d @ d)
    out = np.exp(r) if flag else np.cos(x[0])
    return out + x[0] * x[1]


@pytest.mark.parametrize(
    "f, want",
    [
        (root_in_if, [[-1.0, 1.0], [1.0, 0.0]]),
        (root_in_ifexp, [[1.0, 1.0], [1.0, 0.0]]),
        (root_in_where, [[-1.0, 1.0], [1.0, 0.0]]),
        (root_dot_in_if, [[-1.0, 1.0], [1.0, 0.0]]),
    ],
    ids=["if", "ifexp", "where", "dot"],
)
def test_root_only_in_branch_not_taken(f, want):
    _check(f, (np.zeros(2), False), np.array(want))


def hypot_in_if(x, flag):
    r = np.hypot(x[0], x[1])
    out = np.exp(r) if flag else np.cos(x[0])
    return out + x[0] * x[1]


def norm_in_if(x, flag):
    r = np.linalg.norm(x)
    if flag:
        out = np.exp(r)
    else:
        out = np.cos(x[0])
    return out + x[0] * x[1]


def math_hypot_in_if(x, flag):
    r = math.hypot(x[0], x[1])
    if not flag:
        out = math.cos(x[0])
    else:
        out = math.exp(r)
    return out + x[0] * x[1]


@pytest.mark.parametrize(
    "f", [hypot_in_if, norm_in_if, math_hypot_in_if], ids=["hypot", "norm", "math.hypot"]
)
def test_magnitude_only_in_branch_not_taken(f):
    _check(f, (np.zeros(2), False), np.array([[-1.0, 1.0], [1.0, 0.0]]))
    x = np.array([0.3, -0.4])  # the branch taken, away from 0: exp(r)'s Hessian
    r, p = 0.5, x / 0.5
    want = np.exp(r) * (np.outer(p, p) + (np.eye(2) - np.outer(p, p)) / r) + [[0, 1], [1, 0]]
    _check(f, (x, True), want)


def rows_where(X, m):
    r = np.sqrt(np.sum(X**2, axis=1))
    return np.sum(np.where(m, np.exp(r), np.cos(X[:, 0])))


def test_rows_not_taken():
    """A mask per row, fixed: the zero row's root is not taken; the other row's is."""
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    m = np.array([False, True])
    r = np.sqrt(5.0)
    p = np.array([1.0, 2.0]) / r  # exp(r)'s Hessian: e^r (p p^T + (I - p p^T) / r)
    want = np.zeros((4, 4))
    want[0, 0] = -1.0
    want[2:, 2:] = np.exp(r) * (np.outer(p, p) + (np.eye(2) - np.outer(p, p)) / r)
    _check(rows_where, (X, m), want)
