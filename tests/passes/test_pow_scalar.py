"""`pow_dx(x, k)` of a number is written out (`passes/shapes._pow_dx_scalar`): same derivative."""

import numpy as np
import pytest

import srcad


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
