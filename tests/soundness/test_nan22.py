"""NaN derivatives where the function is smooth, left open by session 21 (nan22), each checked in
every mode (grad, jvp, jacfwd, jacrev, hvp, hessian) against central differences at points on
both sides of the guard.

- ``y[y < 0] *= 0`` (``*= 0.0``, a mask computed before): the product by a constant zero carried
  the derivative of `y`, so the written zeros' ``np.sqrt`` gave ``0 * inf = nan``; ``u * 0`` is
  now no varied value (`ad/activity.py`), so the write is the write of a constant, which
  `ad/fmasks.py` and `ad/masks.py` already mask.
- ``np.sqrt(relu(x))`` with ``def relu(z): return np.maximum(z, 0)``: the JVP of the helper's
  result is zero where z < 0, which the caller's masks (`ad/fmasks.py`) did not see: 0 * inf;
  a user function's varied result now counts as partly constant (`ad/fpartial.py`), its
  singular ops masked where the tangent is zero when the code runs.
- masks made in a helper: ``def helper(r): return np.where(np.isnan(r), 0.0, r)`` and
  ``np.sum(helper(a / b) ** 2)`` at b = 0: the helper gave that position no cotangent, but the
  caller's ``g / b`` was 0 / 0 (grad and second order nan; inline it was right). The helper's
  parameter masks are now carried to the call's operands (`ad/callmasks.py`), their conditions
  computed again from them.
- ``def relu(z): return z * (z > 0)`` and ``np.sqrt(relu(x))``: reverse mode nan (the caller's
  infinite cotangent times False in the helper); a helper's results now count as feeding a
  singular op for its masks (`fmasks.feeds_singular(outs=)`).
- ``m = (x > 0) + 0.0`` and ``np.float64(x[0] > 0)``: masks too (`boolmasks.boolish`).
- ``for k in range(2): h = np.maximum(h, 0.0)`` then ``np.sqrt(h)`` (a relu in a loop, or in
  a branch of the body): jvp nan at h = 0 (the zeros a loop carries have no static condition);
  a loop's or branch's result made of values with zero positions is now partly constant, its
  singular ops masked where the tangent is zero when the code runs (`fmasks._Scan.weak`).
- ``m = np.float64(1.0) * (x > 0)`` and ``np.asarray(x > 0, dtype=float)``: masks as
  ``1.0 * (x > 0)`` and ``(x > 0).astype(float)`` are (`boolmasks.boolish`).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X = np.array([-0.5, 0.7, -1.2, 1.5])


def imul_zero(x):
    y = x.copy()
    y[y < 0] *= 0
    return np.sum(np.sqrt(y))


def imul_zero_float(x):
    y = x.copy()
    y[y < 0] *= 0.0
    return np.sum(np.sqrt(y))


def imul_zero_mask_before(x):
    m = x < 0
    y = x.copy()
    y[m] *= 0.0
    return np.sum(np.sqrt(y))


def times_zero_where(x):
    y = x * 1.0
    y = np.where(x < 0, y * 0.0, y)
    return np.sum(np.sqrt(y) * x)


def np_float_mask(x):
    m = np.float64(1.0) * (x > 0)
    return np.sum((x * m) ** 0.5)


def asarray_mask(x):
    m = np.asarray(x > 0, dtype=float)
    return np.sum((x * m) ** 0.5)


def array_mask(x):
    m = np.array(x > 0, np.float64)
    return np.sum(np.sqrt(m * x) * x)


def float32_mask(x):
    m = np.float32(2) * (x > 0)
    return np.sum(np.log1p(x * m) + np.sqrt(x * m))


def relu(z):
    return np.maximum(z, 0)


def clipped(z):
    return np.clip(z, 0.0, None)


def relu_helper_sqrt(x):
    return np.sum(np.sqrt(relu(x)))


def relu_helper_pow(x):
    h = relu(x) * 2.0
    return np.sum(h**1.5 + np.sqrt(h))


def clip_helper_log1p(x):
    return np.sum(np.sqrt(clipped(x)) * x)


def relu_by_product(z):
    return z * (z > 0)


def relu_product_helper(x):
    return np.sum(np.sqrt(relu_by_product(x)) + relu_by_product(x) ** 1.5)


def shifted_mask(x):
    m = (x > 0) + 0.0
    return np.sum(np.sqrt(x * m))


def scalar_cast_mask(x):
    m = np.float64(x[1] > 0) * (x > 0)
    return np.sum(np.sqrt(x * m))


W3 = np.array([[1.0, -1.0, 0.5, 0.2], [0.5, 2.0, -1.0, 0.3], [-1.0, 0.3, 0.4, -0.2]])


def relu_in_loop(x):
    h = x
    for _ in range(2):
        h = np.maximum(h, 0.0)
    return np.sum(np.sqrt(h))


def layers_in_loop(x):
    h = x
    for k in range(2):
        if k == 0:
            h = np.maximum(W3 @ h, 0.0)
        else:
            h = np.maximum(h - 0.1, 0.0)
    return np.sum(np.sqrt(h + 0.0) * 2.0)


CASES = [
    relu_in_loop,
    layers_in_loop,
    relu_product_helper,
    shifted_mask,
    scalar_cast_mask,
    relu_helper_sqrt,
    relu_helper_pow,
    clip_helper_log1p,
    imul_zero,
    imul_zero_float,
    imul_zero_mask_before,
    times_zero_where,
    np_float_mask,
    asarray_mask,
    array_mask,
    float32_mask,
]


def _fd(f, x, d, eps=1e-6):
    return (f(x + eps * d) - f(x - eps * d)) / (2 * eps)


def check_all_modes(f, x) -> None:
    d = np.random.default_rng(1).standard_normal(x.shape)
    ref = _fd(f, x, d)
    g = srcad.grad(f)(x.copy())
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g @ d, ref, rtol=1e-6, atol=1e-8)
    _, jv = srcad.jvp(f, (x.copy(),), (d,))
    np.testing.assert_allclose(jv, ref, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(srcad.jacfwd(f)(x.copy()), g, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(srcad.jacrev(f)(x.copy()), g, rtol=1e-10, atol=1e-12)
    href = _fd(srcad.grad(f), x, d, 1e-5)
    _, hv = srcad.hvp(f, (x.copy(),), (d,))
    assert np.all(np.isfinite(hv)), hv
    np.testing.assert_allclose(hv, href, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(srcad.hessian(f)(x.copy()) @ d, href, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("f", CASES, ids=[f.__name__ for f in CASES])
def test_all_modes(f) -> None:
    check_all_modes(f, X)
    check_all_modes(f, np.abs(X) + 0.1)  # (no guarded position)


A = np.array([1.0, 0.0, 3.0])
B = np.array([2.0, 0.0, 1.5])


def nan_patch(r):
    return np.where(np.isnan(r), 0.0, r)


def finite_patch(r):
    return np.where(np.isfinite(r), r, 0.0)


def nan_to_num_patch(r):
    return np.nan_to_num(r)


def twice_patched(r):
    return nan_patch(r) * 2.0


def helper_isnan(a, b):
    return np.sum(nan_patch(a / b) ** 2)


def helper_isfinite(a, b):
    return np.sum(finite_patch(a / b) ** 2 + a)


def helper_nan_to_num(a, b):
    return np.sum(nan_to_num_patch(a / b) ** 2)


def helper_nested(a, b):
    return np.sum(twice_patched(a / b) ** 2)


def helper_in_loop(a, b):
    s = 0.0
    for k in range(2):
        s = s + np.sum(nan_patch(a / b) ** 2) * (k + 1)
    return s


def cap(r, limit):
    return np.where(r > limit, 0.0, r)


def helper_constant_argument(a, b):
    return np.sum(cap(a / b, 10.0) ** 2)


HELPERS = [
    helper_isnan,
    helper_isfinite,
    helper_nan_to_num,
    helper_nested,
    helper_in_loop,
]


@pytest.mark.parametrize("f", HELPERS, ids=[f.__name__ for f in HELPERS])
def test_masks_across_helpers(f) -> None:
    rng = np.random.default_rng(0)
    da, db = rng.standard_normal(3), rng.standard_normal(3)
    da[1] = db[1] = 0.0  # (a / b at b = 0 stays nan: the entry the mask drops)
    ga, gb = srcad.grad(f, (0, 1))(A.copy(), B.copy())
    assert np.all(np.isfinite(ga)) and np.all(np.isfinite(gb)), (ga, gb)  # nan before
    assert gb[1] == 0.0
    ref = (f(A + 1e-6 * da, B + 1e-6 * db) - f(A - 1e-6 * da, B - 1e-6 * db)) / 2e-6
    np.testing.assert_allclose(ga @ da + gb @ db, ref, rtol=1e-6, atol=1e-8)
    _, jv = srcad.jvp(f, (A.copy(), B.copy()), (da, db))
    np.testing.assert_allclose(jv, ref, rtol=1e-6, atol=1e-8)
    for k, (x, d) in enumerate(((A, da), (B, db))):

        def fk(v, k=k):
            return f(v, B.copy()) if k == 0 else f(A.copy(), v)

        _, hv = srcad.hvp(fk, (x.copy(),), (d,))
        assert np.all(np.isfinite(hv)), hv
        np.testing.assert_allclose(hv, _fd(srcad.grad(fk), x, d, 1e-5), rtol=1e-4, atol=1e-6)
        H = srcad.hessian(fk)(x.copy())
        assert np.all(np.isfinite(H)), H
        np.testing.assert_allclose(srcad.jacrev(fk)(x.copy()), srcad.grad(fk)(x.copy()))


def test_helper_condition_with_a_constant_argument() -> None:
    """``cap(a / b, 10.0)``: the helper's condition reads a parameter the call binds to a
    constant; computed again with it (a / b = inf at b = 0 is masked: no 0 / 0)."""
    a = np.array([1.0, 0.5, 3.0])
    ga, gb = srcad.grad(helper_constant_argument, (0, 1))(a.copy(), B.copy())
    assert np.all(np.isfinite(ga)) and np.all(np.isfinite(gb)), (ga, gb)  # nan before
    np.testing.assert_allclose(ga, [0.5, 0.0, 8.0 / 3.0])
    np.testing.assert_allclose(gb, [-0.25, 0.0, -32.0 / 9.0 * 1.5])

    def fa(v):
        return helper_constant_argument(v, B.copy())

    _, hv = srcad.hvp(fa, (a.copy(),), (np.ones(3),))
    np.testing.assert_allclose(hv, [0.5, 0.0, 2.0 / 2.25])
