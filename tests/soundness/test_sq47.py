"""Session 47, sq47: squares of magnitudes with constant parts, composed (hunt47b's family).

``m = np.hypot(x, c)`` (``math.hypot(x, c)``, ``math.hypot(x, c, x)``, nested hypots, of a vector
`x`), ``t = m * m`` (``lam * m * m``, ``(m / lam) ** 2``, ``-m * m``), then ``t * t``, ``t * m``,
``t * m * m``: the scaled square's smooth value (ad/squares_scaled.py's `terms_value`) was the sum
of squares of hypot's varying parts only, without ``c ** 2``: at x = 1.5 the gradient of
``t * t`` was 14.25 where it is 15. A generator of 2457 such programs (7 magnitude forms x 7
squares x 9 outer forms x c in 0.5, 0.0, 2.0, at 0 and random points, orders 1 and 2) found
780 wrong checks before the fix, all with a hypot of a nonzero constant, and none after (the
only other failures: ``np.abs(x) + c`` at its kink x = 0, second order, where central
differences straddle the kink). The rest of the family (roots of sums with constants, norms
of a display, of a difference) are kept here as guards. A second generator (14 contexts: a
factor that is a value, ``(lam * m) * (m * y)``, whose gradient in `y` was ``lam x ** 2``;
``np.where`` masks, loops, ifs, cos of the magnitude; 10 magnitudes) found 428 wrong checks
before, none after. 68 of these 141 tests fail without the fix.
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

LAM = 1.3

# flat programs (a helper or a lambda for the magnitude hides the pattern): magnitude, square,
# outer form
MAGS = {
    "np_hypot": "np.hypot(x, 0.5)",
    "np_hypot_first": "np.hypot(2.0, x)",
    "math_hypot": "math.hypot(x, 0.5)",
    "math_hypot3": "math.hypot(x, 2.0, x)",
    "nested": "np.hypot(np.hypot(x, 0.5), 0.5)",
    "sqrt_const": "np.sqrt(x**2 + 0.25)",
    "norm_display": "np.linalg.norm(np.array([x, 0.5]))",
}
SQUARES = {
    "mm": "m * m",
    "lam_mm": "lam * m * m",
    "mm_lam": "m * m * lam",
    "div": "(m / lam) ** 2",
    "neg": "-m * m",
    "pow": "m**2",
}
OUTER = {"tt": "t * t", "tm": "t * m", "tmm": "t * m * m"}


def _program(mag, sq, outer, tmp_path):
    text = (
        "import math\n\nimport numpy as np\n\n\ndef f(x):\n"
        f"    lam = {LAM}\n    m = {MAGS[mag]}\n    t = {SQUARES[sq]}\n"
        f"    return {OUTER[outer]}\n"
    )
    name = f"sq47_{mag}_{sq}_{outer}"
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.f


def test_hunt47b_reproducer_value():
    def f(x):
        h = np.hypot(x, 0.5)
        t = h * h
        return t * t

    assert srcad.grad(f)(1.5) == pytest.approx(15.0)  # 4 x (x**2 + 0.25); was 14.25


@pytest.mark.parametrize("outer", sorted(OUTER))
@pytest.mark.parametrize("sq", sorted(SQUARES))
@pytest.mark.parametrize("mag", sorted(MAGS))
def test_square_of_magnitude_with_constant_composed(mag, sq, outer, tmp_path):
    f = _program(mag, sq, outer, tmp_path)
    for x in (0.0, 0.7, -1.3):
        check_grads(f, (x,), modes=("fwd", "rev"), order=2)


def _vector_hypot(v):
    m = np.hypot(v, 2.0)
    t = LAM * m * m
    return np.sum(t * t)


def _vector_sqrt_sum(v):
    m = np.sqrt(np.sum(v**2) + 0.25)
    t = m * m
    return t * m


def _vector_norm_diff(v):
    m = np.linalg.norm(v - np.array([0.5, 1.0, -0.5]))
    t = m * m * LAM
    return np.sin(t) * m


@pytest.mark.parametrize("f", [_vector_hypot, _vector_sqrt_sum, _vector_norm_diff])
def test_vector_magnitudes_with_constants(f):
    for v in (np.zeros(3), np.array([0.5, 1.0, -0.5]), np.array([0.3, -1.1, 0.8])):
        check_grads(f, (v,), modes=("fwd", "rev"), order=2)


def test_vector_hypot_gradient_value():
    v = np.array([0.3, -1.1, 0.8])
    want = 4 * LAM**2 * v * (v * v + 4.0)  # d/dv sum((lam (v**2 + 4)) ** 2)
    np.testing.assert_allclose(srcad.grad(_vector_hypot)(v), want, rtol=1e-12)


def _value_factor(x, y):
    m = np.hypot(x, 0.5)
    return (LAM * m) * (m * y)  # the factor y's derivative alone was wrong: lam x**2, not + 0.25


def _value_factor_int(x, y):
    m = np.hypot(x, 1)
    t = y * m * m
    return t * m


def _divided(x, y):
    m = math.hypot(x, 0.5, x)
    t = (m / y) ** 2
    return t * t


def _masked(x, y):
    m = np.hypot(np.hypot(x, y), 0.5)
    t = LAM * m * m
    return np.where(x > 0.2, t * t, 0.0)


def _looped(x, y):
    m = np.hypot(x, 0.5)
    s = 0.0
    for _ in range(2):
        t = m * m * y
        s = s + t * t
    return s


def test_value_factor_gradient():
    x, y = 0.7, -0.8
    gx, gy = srcad.grad(_value_factor, argnums=(0, 1))(x, y)
    assert gy == pytest.approx(LAM * (x * x + 0.25))
    assert gx == pytest.approx(2 * LAM * x * y)


@pytest.mark.parametrize("f", [_value_factor, _value_factor_int, _divided, _masked, _looped])
def test_value_factors_and_contexts(f):
    for x in (0.0, 0.7, -1.3, 0.45):
        for y in (0.5, -0.8):
            check_grads(f, (x, y), modes=("fwd", "rev"), order=2)


def _bool_constant(x):
    m = np.hypot(x, True)  # (not a number part: the chain rule, as before the "terms")
    t = m * m
    return t * t


def _vector_factor(x, w):
    m = np.hypot(x, 0.5)
    t = w * m * m
    return np.sum(t * m)


def test_bool_constant_and_vector_factor():
    for x in (0.0, 0.7):
        check_grads(_bool_constant, (x,), modes=("fwd", "rev"), order=2)
    w = np.array([1.0, -2.0, 0.5])
    for x in (0.7, np.array([0.0, 0.3, -1.0])):
        check_grads(_vector_factor, (x, w), modes=("fwd", "rev"), order=2)


def _masked_norm_inside(v):
    m = np.hypot(np.linalg.norm(v), 0.5)
    t = LAM * m * m
    return np.where(v[0] > 0.1, t * t, 0.0)


def _math_hypot_norm_item(v):
    m = math.hypot(np.linalg.norm(v), 0.5, float(v[1]))
    t = m * m * 0.7
    return t * m


def _hypot_of_abs(v):
    m = np.hypot(np.abs(v), 0.5)
    t = m * m
    return np.sum(t * t * m)


@pytest.mark.parametrize("f", [_masked_norm_inside, _math_hypot_norm_item, _hypot_of_abs])
def test_nested_magnitudes_with_constants(f):
    for v in (np.zeros(3), np.array([0.5, -0.2, 0.3]), np.array([0.0, 1.0, 0.0])):
        check_grads(f, (v,), modes=("fwd", "rev"), order=2)
