"""``srcad.grad`` of nested functions and lambdas inside a differentiated function: the nested
function is lifted (the enclosing variables it reads become extra arguments, read at the call),
so the outer derivative flows through them and the inner one does not (no perturbation
confusion). Checked against central differences, in reverse and forward mode and at second
order."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.higher import inner_fns as m

X = np.array([0.3, -0.5, 0.7])


def _fd(f, x, h=1e-6):
    x = np.asarray(x, float)
    return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(len(x)) * h])


@pytest.mark.parametrize("x", [0.5, -2.0, 3.0])
def test_perturbation_confusion_with_closures(x) -> None:
    assert srcad.grad(m.confusion_lambda)(x) == 1.0
    assert srcad.grad(m.confusion_def)(x) == pytest.approx(2 * x, rel=1e-15)
    assert srcad.grad(srcad.grad(m.confusion_lambda))(x) == 0.0
    assert srcad.grad(srcad.grad(m.confusion_def))(x) == pytest.approx(2.0, rel=1e-15)
    assert srcad.jvp(m.confusion_def, (x,), (1.0,))[1] == pytest.approx(2 * x, rel=1e-15)


@pytest.mark.parametrize(
    "name",
    [
        "closure_late",
        "closure_sp",
        "closure_loop",
        "closure_value_and_grad",
        "closure_local_import",
        "closure_by_position",
    ],
)
def test_gradient_of_a_closure_inside(name) -> None:
    f = getattr(m, name)
    g = srcad.grad(f)(X)
    np.testing.assert_allclose(g, _fd(f, X), rtol=1e-7, atol=1e-9)
    v = np.array([1.0, 0.5, -2.0])
    out, d = srcad.jvp(f, (X,), (v,))
    assert out == pytest.approx(f(X), rel=1e-13)
    assert d == pytest.approx(g @ v, rel=1e-10)
    H = srcad.hessian(f)(X)
    np.testing.assert_allclose(H, H.T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(H, _fd(srcad.grad(f), X).T, rtol=1e-6, atol=1e-8)


def test_late_binding_numbers() -> None:
    # f(x) = sum(2 c x) with c = x[0] at the call: df/dx0 = 2 sum(x) + 2 x0, df/dxi = 2 x0
    g = srcad.grad(m.closure_late)(X)
    np.testing.assert_allclose(g, [2 * X.sum() + 2 * X[0], 2 * X[0], 2 * X[0]], rtol=1e-15)


def test_generated_code_names_the_lifted_function() -> None:
    src = srcad.source(srcad.grad(m.confusion_def), args=(0.5,))
    assert "def vjp_grad_inner_pair_fwd(y, x):" in src


def test_a_closure_calling_another_nested_derivative_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="calls the nested function `G`") as e:
        srcad.grad(m.closure_of_closure)(X)
    assert "inner_fns.py" in str(e.value)


def test_options_by_position_of_a_nested_derivative() -> None:
    # one more option than `srcad.grad` takes, or a non-constant one: refused with the hint
    with pytest.raises(srcad.SrcadError, match="options by keyword"):
        srcad.grad(m.closure_too_many_options)(X)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(m.closure_jacfwd_three_positional)(X)
