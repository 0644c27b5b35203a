"""Complex values in between (session 6): values that reach rules written for real ones.

- Wrong gradients on main: runtime helpers cast a complex operand to float (NumPy's
  ComplexWarning, the imaginary part dropped): ``sum(|cross(C, x)|)`` for a complex constant C
  gave [0.98, 1.32, -0.23] where central differences give [0.28, 2.05, -0.83]; the same in
  np.convolve, np.polyval, np.trapezoid. Those are bilinear/holomorphic and now computed for
  complex values (JAX's convention: docs/architecture.md, "Complex values in between"); the other
  helpers refuse a complex operand at run time (`srcad.arrays.real_operand`, located at the
  user's line), and take the real part of a real value's cotangent on purpose (`real_part`).
  pyproject.toml makes a ComplexWarning an error in the whole suite.
- jacfwd of a complex output cast its columns to float (the real part only); it is complex now,
  and jacrev of a complex output is refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.array([0.3, 0.7, -0.4])
C = np.array([0.5 + 1j, -0.2 + 0.7j, 1 - 0.3j])
D = np.array([0.3 - 0.2j, 0.6 + 0.1j, -0.4 + 0.5j])
P = np.array([1.0, -0.5 + 0.2j, 0.3j])


def central(f, x, eps=1e-6):
    """Central differences of a real function of a real vector."""
    out = []
    for e in np.eye(x.size):
        out.append((f(x + eps * e) - f(x - eps * e)) / (2 * eps))
    return np.array(out)


def check_all(f, x=X, order2=True):
    """grad, jvp (a random direction) and the Hessian against central differences."""
    fd = central(f, x)
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), fd, rtol=1e-5, atol=1e-7)
    v = np.array([0.4, -1.1, 0.7])
    _, t = srcad.jvp(f, (x.copy(),), (v,))
    np.testing.assert_allclose(t, fd @ v, rtol=1e-5, atol=1e-7)
    if order2:
        H = srcad.hessian(f)(x.copy())
        Hfd = central(lambda y: srcad.grad(f)(y), x, 1e-5)
        np.testing.assert_allclose(H, Hfd, rtol=1e-4, atol=1e-6)


def assert_located(exc: srcad.SrcadError, line_text: str) -> None:
    assert exc.filename == __file__ and exc.line and exc.col, str(exc)
    assert line_text in (exc.source_line or ""), str(exc)


# -- computed for complex values (bilinear / holomorphic helpers) ------------------------------
def cross_c(x):
    return np.sum(np.abs(np.cross(C, x)))


def convolve_c(x):
    return np.sum(np.abs(np.convolve(C, x + D)) ** 2)


def polyval_c(x):
    return np.sum(np.abs(np.polyval(P, x)))


def polyval_cx(x):
    return np.sum(np.abs(np.polyval(x * 0.5, C + x)))


def trapezoid_c(x):
    return np.abs(np.trapezoid(C * x + D))


def trapezoid_cx(x):
    return np.abs(np.trapezoid(C * x, x=np.array([0.0, 0.4, 1.0]) + x))


def interp_c(x):
    return np.sum(np.abs(np.interp(x, [-1.0, 0.0, 1.0], C)))


@pytest.mark.parametrize(
    "f", [cross_c, convolve_c, polyval_c, polyval_cx, trapezoid_c, trapezoid_cx, interp_c]
)
def test_complex_operands_of_bilinear_helpers(f):
    check_all(f)


def cross_regression(x):
    return np.sum(np.abs(np.cross(C, x)))


def test_cross_repro_values():
    g = srcad.grad(cross_regression)(np.array([0.3, 0.7, -0.4]))
    np.testing.assert_allclose(g, [0.28330955, 2.04782771, -0.83168698], rtol=1e-6)


# -- refused at run time, at the user's line --------------------------------------------------
def median_c(x):
    return np.abs(np.median(C * x))  # the refused line


def test_real_only_helper_refuses_complex_located():
    with pytest.raises(srcad.SrcadError, match="complex") as info:
        srcad.grad(median_c)(X)
    assert_located(info.value, "np.median(C * x)")


# -- Jacobians of complex outputs -------------------------------------------------------------
def complex_out(x):
    return x * C + x[0] * D


def test_jacfwd_complex_output_is_complex():
    J = srcad.jacfwd(complex_out)(X)
    expected = np.diag(C).astype(complex)
    expected[:, 0] += D
    np.testing.assert_allclose(J, expected)


def test_jacrev_complex_output_refused():
    with pytest.raises(srcad.SrcadError, match="real output"):
        srcad.jacrev(complex_out)(X)
