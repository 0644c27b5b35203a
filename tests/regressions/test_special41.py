"""scipy.special functions that were refused with "no derivative rule" (rules/scipy_special41.py):
orthogonal polynomials in x, the confluent hypergeometric functions in x, kn, exp2, the
degree-based trigonometric functions and radian. Values against central differences and the
closed forms; a negative degree and a varied polynomial parameter are refused."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

sp = pytest.importorskip("scipy.special")


def legendre_fit(c, x):
    """A Legendre series fitted by least squares (spectral methods, physics)."""
    y = np.zeros_like(x)
    for n in range(c.shape[0]):
        y = y + c[n] * sp.eval_legendre(n, x)
    return np.sum((y - np.cos(3.0 * x)) ** 2)


def hermite_basis(x):
    """A Gauss-Hermite style basis expansion with a weight."""
    h = sum(sp.eval_hermite(n, x) / 2.0**n for n in range(4))
    return np.sum(np.exp(-0.5 * x**2) * h)


def mixed(x):
    t = sp.sindg(30.0 * x) + sp.cosdg(x * 45.0) * sp.exp2(x) + sp.tandg(10.0 * x)
    u = sp.hyp1f1(0.5, 1.5, -x) + sp.hyp0f1(2.0, x) + sp.kn(1, 1.0 + x**2)
    return np.sum(t * u) + sp.radian(x[0], x[1], 0.0) ** 2


def cheb_jacobi(x):
    return np.sum(sp.eval_chebyt(3, x) * sp.eval_chebyu(2, x) + sp.eval_jacobi(2, 0.5, 1.5, x))


X = np.array([-0.6, 0.1, 0.45, 0.8])


@pytest.mark.parametrize("fn", [hermite_basis, mixed, cheb_jacobi], ids=lambda f: f.__name__)
def test_second_order(fn):
    check_grads(fn, (X,), modes=("fwd", "rev"), order=2)


def test_legendre_fit_gradient():
    c = np.array([0.3, -0.2, 0.5, 0.1, -0.05])
    x = np.linspace(-1.0, 1.0, 7)
    check_grads(legendre_fit, (c, x), modes=("fwd", "rev"), order=2)
    # the slope in x of P_3 is its closed form (15 x^2 - 3) / 2
    g = srcad.grad(lambda t: np.sum(sp.eval_legendre(3, t)))(x)
    np.testing.assert_allclose(g, (15.0 * x**2 - 3.0) / 2.0, rtol=1e-12)


def test_negative_degree_refused():
    # scipy reflects a negative degree (P_{-2} = P_1 = x): the slope formula does not hold
    g = srcad.grad(lambda t: np.sum(sp.eval_legendre(-2, t)))
    with pytest.raises(srcad.SrcadError, match="negative degree"):
        g(X)


def test_varied_parameter_refused():
    f = srcad.grad(lambda a: np.sum(sp.eval_gegenbauer(3, a, X)))
    with pytest.raises(srcad.SrcadError):
        f(1.5)
    h = srcad.grad(lambda a: np.sum(sp.hyp1f1(a, 1.5, X)))
    with pytest.raises(srcad.SrcadError):
        h(0.5)
