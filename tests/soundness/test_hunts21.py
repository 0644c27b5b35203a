"""Semantic corners probed by hunts21 (session 21), each checked against plain Python and central
differences (the programs are in tests/corpus/ported_semantics4.py).

- Spurious refusal: the Hessian of a function calling a helper that passes a literal to a rule
  with no derivative in that argument, ``np.percentile(x, [10, 50, 95])``,
  ``np.quantile(x, np.array([0.3, 0.6]))``, ``np.percentile(x, np.linspace(10, 90, 3))``,
  ``np.polyfit([0.0, 1.0, ...], y, 2)``, was refused
  ("`quantile_vjp` is not differentiable in its argument `q`: here it depends on the
  differentiated inputs"). The helper's split reverse mode passed the literal to
  ``vjp_h_bwd(residuals, g)`` inside the residual tuple, next to `x`; differentiating the
  backward function again took every element of that tuple as varied. Literals the reverse sweep
  reads are now rebuilt in the backward function (`srcad.ad.vjp_util.constant_residuals`).
- Spurious refusal: ``math.prod(xs, start=s)``: "cannot bind the arguments of `math.prod`"; the
  rule (srcad/rules/math.py) now takes `start`, which multiplies the product.
- Spurious refusal: ``np.linspace(a, b, n, axis=k)``: lowered as NumPy builds it, the samples on
  axis 0 moved to axis k (srcad/lower/api_np.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

X9 = np.array([0.31, -0.72, 1.13, 0.57, 0.9, -0.4, 0.25, 1.7, -1.1])


def _pct(x):
    return np.percentile(x, [10, 50, 95])


def _qarr(x):
    return np.quantile(x, np.array([0.3, 0.6]))


def _fit(y):
    return np.polyfit([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], y, 2)


def _lin(x):
    return np.percentile(x, np.linspace(10, 90, 3)) + np.quantile(x, np.arange(0.2, 0.9, 0.3))


def lin_loss(x):
    return np.sum(_lin(x) * x[:3])


def pct_loss(x):
    return np.sum(_pct(x) * x[:3])


def qarr_loss(x):
    return np.sum(_qarr(x) ** 2)


def fit_loss(x):
    return np.sum(_fit(x) ** 2)


def _hessian_fd(f, x, eps=1e-5):
    g = srcad.grad(f)
    return np.stack([(g(x + eps * e) - g(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


@pytest.mark.parametrize("f", [pct_loss, qarr_loss, fit_loss, lin_loss])
def test_hessian_of_a_helper_holding_a_literal(f) -> None:
    h = srcad.hessian(f)(X9)
    np.testing.assert_allclose(h, _hessian_fd(f, X9), atol=1e-5, rtol=1e-5)
    assert srcad.primal(f)(X9) == f(X9)


def test_literal_rebuilt_in_the_backward_function() -> None:
    src = srcad.source(pct_loss)
    bwd = src[src.index("def vjp__pct_bwd") :]
    assert "[10, 50, 95]" in bwd
    # the residual tuple holds only what depends on the inputs
    fwd = src[src.index("def vjp__pct_fwd") : src.index("def vjp__pct_bwd")]
    assert "residuals_1 = (x,)" in fwd


def test_literal_that_a_later_op_depends_on_stays_right() -> None:
    def f(x):
        return np.sum(_two_literals(x) ** 2)

    np.testing.assert_allclose(
        srcad.hessian(f)(X9[:4]), _hessian_fd(f, X9[:4]), atol=1e-5, rtol=1e-5
    )


def _two_literals(x):
    w = [1.0, 2.0, 3.0, 4.0]
    v = np.array(w)
    return np.percentile(x * v, [25, 75]).sum() + np.interp(x, [-1.0, 0.0, 2.0], w[:3])


def prod_with_start(x):
    return math.prod(x[:4], start=x[5] * 2.0) + math.prod([x[6]], start=3)


def test_math_prod_with_start() -> None:
    """``math.prod(xs, start=s)`` (Python 3.8) was refused: "cannot bind the arguments"."""
    dx = np.linspace(-1.0, 1.0, 9)
    eps = 1e-6
    fd = (prod_with_start(X9 + eps * dx) - prod_with_start(X9 - eps * dx)) / (2 * eps)
    assert srcad.primal(prod_with_start)(X9) == prod_with_start(X9)
    np.testing.assert_allclose(srcad.jvp(prod_with_start, (X9,), (dx,))[1], fd, rtol=1e-7)
    np.testing.assert_allclose(srcad.grad(prod_with_start)(X9) @ dx, fd, rtol=1e-7)
    np.testing.assert_allclose(
        srcad.hessian(prod_with_start)(X9), _hessian_fd(prod_with_start, X9), atol=1e-6
    )


def linspace_axis(x):
    lines = np.linspace(x[:2], x[2:4], 4, axis=1) * np.arange(8.0).reshape(2, 4)
    grid = np.linspace(x[:6].reshape(2, 3), 1.0, 4, endpoint=False, axis=-2)
    return np.sum(lines**2) + np.sum(grid * np.arange(24.0).reshape(2, 4, 3))


def test_linspace_with_axis() -> None:
    """``np.linspace(a, b, n, axis=k)`` was refused ("cannot bind the arguments of
    `numpy.linspace`"); it is now the samples on axis 0 moved to axis k, as NumPy builds them."""
    dx = np.linspace(-1.0, 1.0, 9)
    eps = 1e-6
    fd = (linspace_axis(X9 + eps * dx) - linspace_axis(X9 - eps * dx)) / (2 * eps)
    assert srcad.primal(linspace_axis)(X9) == linspace_axis(X9)
    np.testing.assert_allclose(srcad.jvp(linspace_axis, (X9,), (dx,))[1], fd, rtol=1e-7)
    np.testing.assert_allclose(srcad.grad(linspace_axis)(X9) @ dx, fd, rtol=1e-7)
    np.testing.assert_allclose(
        srcad.hessian(linspace_axis)(X9), _hessian_fd(linspace_axis, X9), atol=1e-6
    )
