"""The numbers behind the second-order golden files, and examples/newton.py.

Input: the corpus cases of `HVP_CASES` (test_golden.py) and the Newton example. Output: checks
that ``srcad.hvp`` (the function printed in tests/golden/hvp/) returns srcad's gradient and a
Hessian-vector product equal to central differences of that gradient (and to the exact value
where the Hessian is known: 1 for the middle piece of `piecewise`, 0 for `returns_in_loop`,
which is linear on each branch), and that both Newton solvers of the example converge
quadratically to the minimiser a first-order reference finds.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import srcad
from tests.golden.test_golden import BY_NAME, HVP_CASES, _hvp_wrt

ROOT = Path(__file__).resolve().parent.parent.parent


def _random_like(x: Any, rng: np.random.Generator) -> Any:
    if isinstance(x, (tuple, list)):
        return type(x)(_random_like(e, rng) for e in x)
    if np.ndim(x):
        return rng.standard_normal(np.shape(x))
    return float(rng.standard_normal())


def _axpy(a: float, v: Any, x: Any) -> Any:
    if isinstance(x, (tuple, list)):
        return type(x)(_axpy(a, vi, xi) for vi, xi in zip(v, x))
    return x + a * v


def _leaves(x: Any) -> np.ndarray:
    if isinstance(x, (tuple, list)):
        return np.concatenate([_leaves(e) for e in x])
    return np.ravel(np.asarray(x, dtype=float))


@pytest.mark.parametrize("name", list(HVP_CASES))
def test_hvp_of_golden_cases_matches_differences_of_the_gradient(name: str) -> None:
    case = BY_NAME[name]
    wrt = _hvp_wrt(case)
    rng = np.random.default_rng(3)
    args = case.args
    tangents = [_random_like(a, rng) if k in wrt else None for k, a in enumerate(args)]
    g, hv = srcad.hvp(case.fn, args, tangents, wrt=wrt)
    grad = srcad.grad(case.fn, wrt=wrt)
    np.testing.assert_allclose(_leaves(g), _leaves(grad(*args)), rtol=1e-13, atol=1e-15)

    eps = 1e-6

    def shifted(t: float) -> list:
        return [a if v is None else _axpy(t, v, a) for a, v in zip(args, tangents)]

    fd = (_leaves(grad(*shifted(eps))) - _leaves(grad(*shifted(-eps)))) / (2 * eps)
    np.testing.assert_allclose(_leaves(hv), fd, rtol=1e-6, atol=1e-7)


def test_hvp_exact_values_where_the_hessian_is_known() -> None:
    # piecewise(0.3) takes the middle branch, 0.5 x^2 + 0.5: H = 1, so H v = v
    g, hv = srcad.hvp(BY_NAME["control.piecewise_mid"].fn, (0.3,), (0.7,))
    assert (g, hv) == (pytest.approx(0.3, abs=1e-15), pytest.approx(0.7, abs=1e-15))
    # returns_in_loop(0.3, 4.0) returns 0.3 * 1.5**7 - 4.0 (linear in both): H = 0
    (gx, gt), (hx, ht) = srcad.hvp(
        BY_NAME["control.returns_in_loop"].fn, (0.3, 4.0), (0.5, -1.25), wrt=(0, 1)
    )
    assert gx == pytest.approx(1.5**7, rel=1e-15) and gt == -1.0
    assert hx == 0.0 and ht == 0.0


def _load_newton() -> Any:
    spec = importlib.util.spec_from_file_location("newton_example", ROOT / "examples" / "newton.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_newton_example_converges_quadratically_to_the_reference() -> None:
    newton = _load_newton()
    X, y = newton.make_data()
    w0 = np.zeros(X.shape[1])
    # the Hessian srcad gives at the start (every z = 0): X^T diag(1/4) X / n + lam I
    H = srcad.hessian(newton.loss)(w0, X, y)
    want = X.T @ X / (4 * X.shape[0]) + newton.LAM * np.eye(X.shape[1])
    np.testing.assert_allclose(H, want, rtol=1e-14, atol=1e-16)
    v = np.linspace(-1.0, 1.0, X.shape[1])
    np.testing.assert_allclose(
        srcad.hvp(newton.loss, (w0, X, y), (v, None, None))[1], want @ v, rtol=1e-13, atol=1e-16
    )

    w_h, hist_h = newton.newton_hessian(X, y, verbose=False)
    w_cg, hist_cg = newton.newton_cg(X, y, verbose=False)
    w_ref, _ = newton.reference(X, y)
    for hist in (hist_h, hist_cg):
        gaps = np.array(hist[:6]) - hist[-1]
        assert hist[0] == pytest.approx(np.log(2.0), rel=1e-15)  # w = 0: log 2 per row
        assert gaps[4] < 1e-8 and gaps[5] < 1e-14  # six iterations
        assert all(gaps[k + 1] <= 10 * gaps[k] ** 2 for k in range(1, 4))  # quadratic
    np.testing.assert_allclose(w_h, w_cg, rtol=0, atol=1e-12)
    np.testing.assert_allclose(w_h, w_ref, rtol=0, atol=1e-6)


def test_newton_example_reference_without_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    newton = _load_newton()
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)  # import fails: gradient descent
    X, y = newton.make_data()
    w_ref, how = newton.reference(X, y)
    assert how == "gradient descent"
    w_h, _ = newton.newton_hessian(X, y, verbose=False)
    np.testing.assert_allclose(w_h, w_ref, rtol=0, atol=1e-9)
