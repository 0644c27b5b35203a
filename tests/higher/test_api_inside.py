"""srcad.jvp, vjp (and its pullback), hvp, hessian, jacfwd and jacrev called inside a function
that is itself differentiated: lowered as calls of derivatives whose IR the transforms build
(srcad/lower/api_calls.py), so the outer derivative differentiates them — second, third and
fourth derivatives against central differences."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.higher import inner_fns as m

X = np.array([0.3, -0.5, 0.7])
NAMES = ["inside_jvp", "inside_hvp", "inside_vjp", "inside_hessian", "inside_jacfwd_closure",
         "inside_jacrev_closure", "inside_hessian_closure", "newton_step"]  # fmt: skip


def _fd(f, x, h=1e-6):
    return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(len(x)) * h])


@pytest.mark.parametrize("name", NAMES)
def test_gradient_and_jvp_against_fd(name) -> None:
    f = getattr(m, name)
    g = srcad.grad(f)(X)
    np.testing.assert_allclose(g, _fd(f, X), rtol=1e-6, atol=1e-8)
    v = np.array([1.0, 0.5, -2.0])
    out, d = srcad.jvp(f, (X,), (v,))
    assert out == pytest.approx(f(X), rel=1e-12)
    assert d == pytest.approx(g @ v, rel=1e-10)
    assert srcad.primal(f)(X) == pytest.approx(f(X), rel=1e-14)  # the derivative objects run too


@pytest.mark.parametrize(
    "name", ["inside_jvp", "inside_hvp", "inside_hessian", "inside_hessian_closure"]
)
def test_hessian_of_a_function_calling_derivatives(name) -> None:
    f = getattr(m, name)
    H = srcad.hessian(f)(X)
    np.testing.assert_allclose(H, _fd(srcad.grad(f), X).T, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(H, H.T, rtol=1e-9, atol=1e-10)


def test_values_match_the_api_outside() -> None:
    # what the derivative calls compute inside equals srcad's API called directly
    H = srcad.hessian(m.sin_loss)(X)
    assert m.inside_hessian(X) == pytest.approx(np.sum(H @ X), rel=1e-14)
    g, hv = srcad.hvp(m.sin_loss, (X,), (X,))
    np.testing.assert_allclose(hv, H @ X, rtol=1e-12)


def test_jvp_with_fixed_arguments() -> None:
    w = np.array([0.3, -0.6])  # jvp(loss, (w, X1, Y1), (w, None, None)): d/dw of grad(loss) @ w
    want = _fd(m.inside_jvp_two_args, w)
    np.testing.assert_allclose(srcad.grad(m.inside_jvp_two_args)(w), want, rtol=1e-6)
