"""Lists passed where NumPy takes an array (5th session): wrong or crashing derivatives.

- `np.maximum(xs, ys)` of two Python lists: the rule's mask `xs > ys` compared the lists
  lexicographically (one bool), so grad gave [1, 0, 1] where differences give [0, 1, 1].
- `np.square(xs)`, `np.log1p`, `np.arctan`, `np.subtract`, ... of a list crashed in the
  generated code (`2.0 * xs`, `1.0 + xs`, `-xs` on a list).
- Second order of `np.std(xs)` / `np.var` / `np.dot` / `np.convolve` / `np.polyval` of a list
  (e.g. a list of energies built with `append` in a loop): the tangent of a cotangent split into
  list elements was summed with `+`, which concatenated the lists; the Hessian was wrong.
Lists (and tuples) in an array parameter of these functions now become arrays first
(`srcad.ad.arrayize`), and tangent terms that may be lists add with the runtime's `add`.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.6, 0.4, 0.8])


def maximum_of_lists(p):
    return np.sum(np.maximum([p[0] * p[1], p[1] ** 2, p[0]], [p[2], p[0], 0.5]))


def minimum_of_lists(p):
    return np.sum(np.minimum([p[0] * p[1], p[1] ** 2, p[0]], (p[2], p[0], 0.5)))


def square_of_list(p):
    return np.sum(np.square([p[0] * p[1], p[1] ** 2, p[0]]))


def log1p_of_list(p):
    return np.sum(np.log1p([p[0] * p[1], p[1] ** 2, p[0]]) ** 2)


def subtract_lists(p):
    return np.sum(np.subtract([p[0] * p[1], p[1] ** 2, p[0]], [p[2], p[0], 0.5]) ** 2)


def arctan2_lists(p):
    return np.sum(np.arctan2([p[0] * p[1], p[1] ** 2, p[0]], [p[2], p[0], 0.5]))


def std_of_list(p):
    return np.std([p[0] * p[1], p[1] ** 2, p[0]])


def energy_spread(p):
    th, om = p[0], p[1]
    energies = []
    for _ in range(3):
        om -= 0.1 * p[2] * np.sin(th)
        th += 0.1 * om
        energies.append(0.5 * om**2 + p[2] * (1 - np.cos(th)))
    return np.std(energies)


def dot_of_lists(p):
    return np.dot([p[0] * p[1], p[1] ** 2, p[0]], [p[2], p[0], 0.5]) ** 2


def polyval_of_list(p):
    return np.polyval([p[0] * p[1], p[1] ** 2, p[0]], p[2]) ** 2


def sort_of_list(p):
    return np.sum(np.sort([p[0] * p[1], p[1] ** 2, p[0]]) * np.arange(3.0))


CASES = [
    maximum_of_lists, minimum_of_lists, square_of_list, log1p_of_list, subtract_lists,
    arctan2_lists, std_of_list, energy_spread, dot_of_lists, polyval_of_list, sort_of_list,
]  # fmt: skip


def _fd_grad(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_first_order(f):
    np.testing.assert_allclose(srcad.grad(f)(X), _fd_grad(f, X), rtol=1e-5, atol=1e-7)
    check_grads(f, (X,), modes=("fwd", "rev"))


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_hessian(f):
    g = srcad.grad(f)
    want = np.stack([(g(X + 1e-5 * e) - g(X - 1e-5 * e)) / 2e-5 for e in np.eye(3)])
    np.testing.assert_allclose(srcad.hessian(f)(X), want, rtol=1e-4, atol=1e-6)


def test_primal_unchanged():
    """The conversion computes what NumPy computes (NumPy converts the list itself)."""
    for f in CASES:
        assert srcad.value_and_grad(f)(X)[0] == pytest.approx(f(X), rel=1e-12)


def add_of_lists(x, y):
    return np.sum(np.add([x, 2 * y], [y, x * y]))


def test_jvp_of_lists_of_floats():
    """The joint JVP template ``dx + dy`` of np.add got list tangents (it concatenated)."""
    _, t = srcad.jvp(add_of_lists, (0.3, 0.5), (1.0, 1.0))
    assert t == pytest.approx(1.0 + 2.0 + 1.0 + (0.5 + 0.3))


def _as_float(x):
    return x.astype(float) * 2.0


def astype_in_callee(z):
    return np.sum(_as_float(z) ** 2)


def test_dtype_residual_has_no_tangent():
    """Second order through a callee that saves `float` (x.astype(float)) as a residual:
    ``zeros_like(float)`` raised; a class, function or dtype has no tangent."""
    np.testing.assert_allclose(srcad.hessian(astype_in_callee)(np.array([0.3, 0.5])), 8 * np.eye(2))


def sign_of_fft(x):
    return np.sum(np.sign(np.fft.fft(x)).real)


def sign_of_real_with_fft(x):  # (np.sign(x) * rfft(x) did not broadcast: Python raises too)
    return np.sum(np.sign(x) * x) * np.sum(np.abs(np.fft.rfft(x)) ** 2)


def test_sign_of_complex_refused():
    """np.sign's rule is zero; NumPy's sign of a complex z is z / |z| (grad gave zeros where
    differences give [0.10, -0.46, -0.10, 0.46]). Refused where its operand may be complex
    (srcad.passes.complex_taint: since session 6 the sign of a real value beside an FFT is
    differentiated, no longer refused conservatively)."""
    x = np.array([0.3, 0.7, 1.2, 0.9])
    with pytest.raises(srcad.SrcadError, match="np.sign of a value that may be complex"):
        srcad.grad(sign_of_fft)(x)
    with pytest.raises(srcad.SrcadError, match="np.sign of a value that may be complex"):
        srcad.jvp(sign_of_fft, (x,), (x,))
    g = srcad.grad(sign_of_real_with_fft)(x)
    eps = 1e-6
    fd = [(sign_of_real_with_fft(x + eps * e) - sign_of_real_with_fft(x - eps * e)) / (2 * eps)
          for e in np.eye(4)]  # fmt: skip
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
