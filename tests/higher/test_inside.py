"""Derivatives called inside differentiated functions: ``srcad.grad(inner)(w)`` inline, a module-
level ``G = srcad.grad(inner)``, ``import srcad`` inside the function; each lowered as a call of
the derivative's IR and differentiated through (reverse over reverse, forward over reverse)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.higher import inner_fns as m

W = np.array([0.3, -0.6])


def _fd(f, x, h=1e-6):
    return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(len(x)) * h])


@pytest.mark.parametrize("name", ["meta_loss", "meta_loss_g", "sgd_loss", "local_import"])
def test_gradient_through_a_gradient(name) -> None:
    f = getattr(m, name)
    g = srcad.grad(f)(W)
    np.testing.assert_allclose(g, _fd(f, W), rtol=1e-7, atol=1e-9)
    v = np.array([1.0, 0.5])
    out, d = srcad.jvp(f, (W,), (v,))
    assert out == pytest.approx(f(W), rel=1e-14)
    assert d == pytest.approx(_fd(f, W) @ v, rel=1e-7)


def test_maml_meta_gradient_numbers() -> None:
    # meta_loss(w) = loss(w - 0.1 * grad(loss)(w, X1, Y1), X2, Y2); central differences agree to 1e-9
    np.testing.assert_allclose(srcad.grad(m.meta_loss)(W), [2.61702033, -2.30559976], rtol=1e-8)


@pytest.mark.parametrize("x", [0.5, -2.0, 3.0])
def test_no_perturbation_confusion(x) -> None:
    # d/dx [x * d/dy (x + y)] = 1; d/dx [x * (d/dy (x * y))|y=x] = 2x
    assert srcad.grad(m.confusion)(x) == 1.0
    assert srcad.grad(m.confusion2)(x) == pytest.approx(2 * x, rel=1e-15)
    assert srcad.grad(srcad.grad(m.confusion))(x) == 0.0
    assert srcad.grad(srcad.grad(m.confusion2))(x) == pytest.approx(2.0, rel=1e-15)


def test_the_generated_code_calls_the_inner_gradient() -> None:
    src = srcad.source(m.meta_loss, args=(W,))
    assert "def vjp_grad_loss_pair_fwd(" in src and "def vjp_grad_loss_pair_bwd(" in src


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("uses_jvp_packed", "`srcad.jvp`'s primals must be a tuple written out here"),
        ("uses_source", "calling `srcad.source` inside a function srcad transforms"),
    ],
)
def test_unsupported_is_a_located_refusal(name, message) -> None:
    f = getattr(m, name)
    with pytest.raises(srcad.SrcadError, match=message) as e:
        srcad.grad(f)(np.array([0.3, 0.1]))
    assert "inner_fns.py" in str(e.value) and "srcad/api.py" not in str(e.value)


# once refused; now lifted (tests/higher/test_closures.py)
def test_grad_of_a_lambda_inside() -> None:
    assert srcad.grad(m.closure)(0.5) == 1.0


def test_value_and_grad_inside() -> None:
    f = m.meta_value_and_grad
    np.testing.assert_allclose(srcad.grad(f)(W), _fd(f, W), rtol=1e-7, atol=1e-9)
    hv = srcad.jvp(srcad.value_and_grad(m.loss), (W, m.X1, m.Y1), (np.ones(2), None, None))
    (val, grad), (dval, dgrad) = hv
    assert dval == pytest.approx(srcad.grad(m.loss)(W, m.X1, m.Y1) @ np.ones(2), rel=1e-12)
    np.testing.assert_allclose(dgrad, srcad.hessian(m.loss)(W, m.X1, m.Y1) @ np.ones(2), rtol=1e-10)


def test_has_aux_at_second_order() -> None:
    w, v = np.array([0.3, -0.8, 1.2]), np.array([1.0, 2.0, -1.0])
    G = srcad.grad(m.loss_with_aux, has_aux=True)
    (g, aux), (dg, daux) = srcad.jvp(G, (w,), (v,))
    H = srcad.hessian(m.loss_only)(w)
    np.testing.assert_allclose(dg, H @ v, rtol=1e-12)
    assert daux["norm"] == pytest.approx(2 * w @ v, rel=1e-14)
    np.testing.assert_allclose(daux["r"], srcad.jvp(m.r_only, (w,), (v,))[1], rtol=1e-12)
    Hx, J = srcad.jacfwd(G)(w)  # the Hessian, and the aux's Jacobian (a dict)
    np.testing.assert_allclose(Hx, H, rtol=1e-12)
    np.testing.assert_allclose(J["r"], srcad.jacfwd(m.r_only)(w), rtol=1e-12)
    f = m.uses_aux_gradient  # grad(f, has_aux=True) called inside a differentiated function
    np.testing.assert_allclose(srcad.grad(f)(w), _fd(f, w), rtol=1e-7, atol=1e-9)
