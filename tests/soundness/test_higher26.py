"""Second and higher derivatives found by the session-26 hunt (helper higher26).

1. A library function passed straight to a transform (``srcad.grad(np.tanh)``,
   ``srcad.grad(math.sin)``, ``srcad.hessian(np.sum)``, ``srcad.jacfwd(np.exp)``), at top level
   or inside transformed code, was refused ("cannot read the source"); it is now a call of it
   (srcad/libwrap.py), as ``lambda x: np.tanh(x)`` is.
2. ``srcad.jacfwd(srcad.hessian(f))`` written inline inside a transformed function (a third
   derivative) was refused ("must be a module-level or nested function here"): the inner
   Jacobian maker's generated function is now differentiated (srcad/lower/api_calls.py).
3. ``srcad.jacfwd(srcad.grad(f))`` (and jacrev) inside a transformed function, `f` module-level
   or nested, was refused the same way: it is now ``srcad.hessian(f)`` (same `wrt`; a mixed
   ``jacfwd(grad(f, wrt=1), wrt=0)`` is still refused, with a hint).
4. A guard for whoever makes the eigvalsh split check per group (srcad/rules/spectral.py): a
   check on the tangent of the averaged cotangent is not enough. ``w[2]**2 + (w[1] - w[0])**2``
   at a matrix whose eigenvalues w0 = w1 repeat has Hessian diag(8, 8, 2) in the parameters
   below, but the tangent of its cotangent is 0 inside the cluster (eigenvalue tangents are
   cluster means), so a numeric per-group check would accept it and give 0 for the 8s. It must
   stay refused.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special as sp

import srcad
from tests.soundness.numeric import central_differences

X = np.array([0.3, -0.5, 0.7])


@pytest.mark.parametrize(
    "make, fn, x, want",
    [
        ("grad", np.tanh, 0.3, 1 - np.tanh(0.3) ** 2),
        ("grad", math.sin, 0.3, math.cos(0.3)),
        ("grad", sp.expit, 0.3, sp.expit(0.3) * (1 - sp.expit(0.3))),
        ("grad", abs, -2.0, -1.0),
        ("grad", np.sum, X, np.ones(3)),
        ("grad", np.linalg.norm, X, X / np.linalg.norm(X)),
        ("hessian", np.sum, X, np.zeros((3, 3))),
        ("hessian", np.tanh, 0.3, -2 * np.tanh(0.3) * (1 - np.tanh(0.3) ** 2)),
        ("jacfwd", np.exp, X, np.diag(np.exp(X))),
        ("jacrev", np.sin, X, np.diag(np.cos(X))),
        ("jacrev", np.cumsum, X, np.tril(np.ones((3, 3)))),
    ],
    ids=lambda v: getattr(v, "__name__", None) if callable(v) else None,
)
def test_library_function_passed_to_a_transform(make, fn, x, want):
    got = getattr(srcad, make)(fn)(np.copy(x) if np.ndim(x) else x)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_library_function_binary_and_hvp():
    assert np.isclose(srcad.grad(np.arctan2)(0.3, 0.5), 0.5 / 0.34)
    assert np.isclose(srcad.grad(np.arctan2, wrt=1)(0.3, 0.5), -0.3 / 0.34)
    n = np.linalg.norm(X)
    _, hv = srcad.hvp(np.linalg.norm, (X.copy(),), (np.ones(3),))
    want = (np.eye(3) / n - np.outer(X, X) / n**3) @ np.ones(3)
    np.testing.assert_allclose(hv, want, rtol=1e-12)


def library_inside(x):
    return srcad.grad(np.tanh)(x[0]) + np.sum(
        srcad.jacfwd(np.exp)(x) * np.arange(9.0).reshape(3, 3)
    )


def test_library_function_passed_to_a_transform_inside():
    g = srcad.grad(library_inside)(X.copy())
    np.testing.assert_allclose(g, central_differences(library_inside, X, 1e-6), rtol=1e-7)


def cubic(x):
    return np.sum(np.sin(x) * x[0] ** 2) + x[1] * x[2] ** 3


def third_inline(x):
    return np.sum(srcad.jacfwd(srcad.hessian(cubic))(x) * np.arange(27.0).reshape(3, 3, 3))


def third_value(x):
    return srcad.jacfwd(srcad.hessian(cubic))(x)


def test_third_derivative_written_inline():
    want = srcad.jacfwd(srcad.hessian(cubic))(X.copy())
    np.testing.assert_allclose(third_value(X.copy()), want, rtol=1e-12)
    g = srcad.grad(third_inline)(X.copy())
    np.testing.assert_allclose(g, central_differences(third_inline, X, 1e-5), rtol=1e-7)


def hess_via_jac(x):
    return np.sum(srcad.jacfwd(srcad.grad(cubic))(x) * np.arange(9.0).reshape(3, 3))


def hess_via_jacrev(x):
    return np.sum(srcad.jacrev(srcad.grad(cubic))(x) * np.arange(9.0).reshape(3, 3))


def hess_nested(x, lam):
    def inner(w):
        return np.sum(np.cosh(w * lam)) + lam * w[0] ** 3

    return np.sum(srcad.jacfwd(srcad.grad(inner))(x) ** 2)


def two_args(x, y):
    return np.sum(x**2 * y) + np.sum(np.sin(y) * y)


def hess_wrt1(y):
    return np.sum(srcad.jacfwd(srcad.grad(two_args, wrt=1), wrt=1)(np.array([0.3, 0.5]), y))


def mixed(y):
    return np.sum(srcad.jacfwd(srcad.grad(two_args, wrt=1), wrt=0)(np.array([0.3, 0.5]), y))


@pytest.mark.parametrize("f", [hess_via_jac, hess_via_jacrev], ids=lambda f: f.__name__)
def test_jacobian_of_grad_inline(f):
    want = np.sum(srcad.hessian(cubic)(X.copy()) * np.arange(9.0).reshape(3, 3))
    np.testing.assert_allclose(f(X.copy()), want, rtol=1e-12)
    g = srcad.grad(f)(X.copy())
    np.testing.assert_allclose(g, central_differences(f, X, 1e-5), rtol=1e-7)


def test_jacobian_of_grad_inline_nested_and_wrt():
    g = srcad.grad(hess_nested)(X.copy(), 0.7)
    np.testing.assert_allclose(
        g, central_differences(lambda z: hess_nested(z, 0.7), X, 1e-5), rtol=1e-7
    )
    y = np.array([0.2, -0.4])
    np.testing.assert_allclose(
        srcad.grad(hess_wrt1)(y.copy()), central_differences(hess_wrt1, y, 1e-5), rtol=1e-7
    )
    with pytest.raises(srcad.SrcadError, match="as its Hessian only"):
        srcad.grad(mixed)(y.copy())


def split_pair(x):
    m = np.diag([1.0, 1.0, 3.0]) + np.array(
        [[x[0], x[1], 0.0], [x[1], -x[0], 0.0], [0.0, 0.0, x[2]]]
    )
    w = np.linalg.eigvalsh(m)
    return w[2] ** 2 + (w[1] - w[0]) ** 2  # 4 (x0^2 + x1^2) + (3 + x2)^2


def test_split_inside_a_cluster_stays_refused():
    np.testing.assert_allclose(srcad.grad(split_pair)(np.zeros(3)), [0.0, 0.0, 6.0], atol=1e-12)
    with pytest.raises(srcad.SrcadError, match="repeated eigenvalue"):
        srcad.hessian(split_pair)(np.zeros(3))
    x = np.array([0.3, -0.2, 0.1])  # distinct eigenvalues: the Hessian diag(8, 8, 2)
    np.testing.assert_allclose(srcad.hessian(split_pair)(x), np.diag([8.0, 8.0, 2.0]), atol=1e-9)
