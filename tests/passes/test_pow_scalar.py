"""`pow_dx(x, k)` of a number is written out (`passes/shapes._pow_dx_scalar`): same derivative."""

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def _cube_loop(x, n):
    for _ in range(n):
        x = x**3 * 0.25 + x**2 * 0.5 + 0.1
    return x


def _cube3(x):
    return _cube_loop(x, 3)


def _elements(x):
    return x[0] ** 5 + x[1] ** 2


@pytest.mark.parametrize("x0", [0.7, -0.4, 0.0])
def test_scalar_loop_powers_written_out(x0: float) -> None:
    src = srcad.source(_cube_loop, args=(x0, 3))
    assert "pow_dx" not in src and "3 * " in src and "2 * " in src
    h = 1e-6
    fd = (_cube_loop(x0 + h, 3) - _cube_loop(x0 - h, 3)) / (2 * h)
    assert srcad.grad(_cube_loop)(x0, 3) == pytest.approx(fd, rel=1e-6, abs=1e-9)
    tangent = srcad.jvp(_cube3, (x0,), (1.0,))[1]
    assert tangent == pytest.approx(fd, rel=1e-6, abs=1e-9)


def test_array_elements() -> None:
    x = np.array([-1.3, 0.6])
    g = srcad.grad(_elements)(x)
    np.testing.assert_allclose(g, [5 * x[0] ** 4, 2 * x[1]], rtol=1e-14)
    hess = srcad.hessian(_elements)(x)
    np.testing.assert_allclose(hess, np.diag([20 * x[0] ** 3, 2.0]), rtol=1e-12)


def _elem_loop(x):
    s = 0.0
    for j in range(len(x)):
        s = s * 0.5 + x[j] ** 3 * s + x[j] ** 2 + x[j] ** 4
    return s


def _row_loop(a, w):
    s = 0.0
    for i in range(a.shape[0]):
        s = s + np.sum(np.tanh(a[i] * w) ** 3) + a[i, 0] ** 3
    return s


def test_array_elements_in_loops_written_out() -> None:
    """``x[j]`` of a loop's counter is an element of the 1-D float64 array `x` (a number): its
    powers' derivatives are written out in both sweeps (the reverse one reads ``x[k]`` and the
    tape), not a `pow_dx` call per element."""
    x = np.array([0.3, -0.8, 1.1, 0.0, 2.0])
    for mode in ("grad", "jvp"):
        src = srcad.source(_elem_loop, mode=mode, args=(x,))
        assert "pow_dx" not in src, src
    check_grads(_elem_loop, (x,), modes=("fwd", "rev"), order=2)
    h = 1e-6
    fd = [(_elem_loop(x + h * e) - _elem_loop(x - h * e)) / (2 * h) for e in np.eye(len(x))]
    np.testing.assert_allclose(srcad.grad(_elem_loop)(x), fd, rtol=1e-6, atol=1e-8)


def test_rows_in_loops() -> None:
    """``a[i]`` of a 2-D `a` is a row (rank 1, shape of its own): still exact."""
    rng = np.random.default_rng(3)
    for shape in [(4, 3), (1, 3), (3, 1)]:
        a, w = rng.standard_normal(shape), rng.standard_normal(shape[1])
        check_grads(_row_loop, (a, w), modes=("fwd", "rev"))
    a, w = rng.standard_normal((3, 1)), rng.standard_normal(4)  # rows broadcast against w
    check_grads(_row_loop, (a, w), modes=("fwd", "rev"))
