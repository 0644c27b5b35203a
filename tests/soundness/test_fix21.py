"""Wrong results left open by session 20 (fix21), each checked here against central differences:
the gradient, the JVP and the Hessian-vector product.

- a mask computed inside an ``if`` (or a loop body) from a value made before it, ``r = a / b;
  if c: np.where(np.isnan(r), 0.0, r)``: the reverse sweep masked ``r``'s contributions only for
  the few conditions it could recompute outside the branch (``np.isfinite``); ``np.isnan(r)``,
  ``r > 0.1``, ``~np.isfinite(r)``, ``np.abs(r) < 1`` and a write ``r[np.isnan(r)] = 0`` gave
  ``0 * (1 / b) = nan`` where ``b = 0``. Any pure elementwise condition is now computed again
  after the branch (`_srcad.recomputed`, masking nothing where it cannot run), and a value read
  only by a condition (``np.abs(r)`` in ``np.abs(r) < 1``) no longer unmasks its operands.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

A = np.array([1.0, 0.0, 3.0])
B = np.array([2.0, 0.0, 1.5])


def isnan_in_branch(a, b):
    r = a / b
    if a[0] > 0:
        return np.sum(np.where(np.isnan(r), 0.0, r) ** 2)
    return 0.0


def compare_in_branch(a, b):
    r = a / b
    if a[0] > 0:
        return np.sum(np.where(r > 0.1, r, 0.0) ** 2)
    return 0.0


def not_finite_in_branch(a, b):
    r = a / b
    if a[0] > 0:
        return np.sum(np.where(~np.isfinite(r), 0.0, r) ** 2)
    return 0.0


def abs_compare_in_branch(a, b):
    r = a / b
    if a[0] > 0:
        return np.sum(np.where(np.abs(r) < 1, r, 0.0) ** 2)
    return 0.0


def abs_compare(a, b):
    r = a / b
    return np.sum(np.where(np.abs(r) < 1, r, 0.0) ** 2)


def write_in_branch(a, b):
    r = a / b
    if a[0] > 0:
        r[np.isnan(r)] = 0.0
        return np.sum(r**2)
    return 0.0


def isnan_in_loop(a, b):
    r = a / b
    s = 0.0
    for _ in range(2):
        s = s + np.sum(np.where(np.isnan(r), 0.0, r) ** 2)
    return s


def mask_made_in_loop(a, b):
    r = a / b
    for _ in range(2):
        m = np.isnan(r)
    return np.sum(np.where(m, 0.0, r) ** 2)


def in_else(a, b):
    r = a / b
    if a[0] < 0:
        return 0.0
    else:
        m = np.isnan(r)
        return np.sum(np.where(m, 0.0, r) ** 2)


def both_branches(a, b):
    r = a / b
    if a[0] > 0:
        s = np.sum(np.where(np.isnan(r), 0.0, r) ** 2)
    else:
        s = np.sum(np.where(r > 0, r, 1.0))
    return s


def nested_branches(a, b):
    r = a / b
    if a[0] > 0:
        if a[2] > 0:
            return np.sum(np.where(np.isnan(r), 0.0, r) ** 2)
    return 0.0


def sqrt_guard_in_branch(a, b):
    r = np.sqrt(a - 1.0) * b
    if b[0] > 0:
        return np.sum(np.where(a > 1.0, r, 0.0))
    return 0.0


def placeholder_in_branch(a, b):
    """The value the branch's condition reads is None when the branch does not run."""
    r = a / b if a[0] > 0 else None
    if a[0] > 0:
        return np.sum(np.where(np.isnan(r), 0.0, r) ** 2)
    return np.sum(a * b)


def patched_copy(a, b):
    r = a / b
    q = r.copy()
    q[np.isnan(q)] = 0.0
    return np.sum(q**2)


def patched_copy_in_loop(a, b):
    r = a / b
    s = 0.0
    for _ in range(2):
        q = np.copy(r)
        q[np.isnan(q)] = 0.0
        s = s + np.sum(q**2)
    return s


CASES = [
    patched_copy,
    patched_copy_in_loop,
    isnan_in_branch,
    compare_in_branch,
    not_finite_in_branch,
    abs_compare_in_branch,
    abs_compare,
    write_in_branch,
    isnan_in_loop,
    mask_made_in_loop,
    in_else,
    both_branches,
    nested_branches,
    sqrt_guard_in_branch,
    placeholder_in_branch,
]
POINTS = {sqrt_guard_in_branch: (np.array([1.5, 0.0, 3.0]), B)}


def _fd(f, args, ts, eps=1e-6):
    plus = f(*(x + eps * t for x, t in zip(args, ts)))
    minus = f(*(x - eps * t for x, t in zip(args, ts)))
    return (plus - minus) / (2 * eps)


def _directions(a):
    rng = np.random.default_rng(0)
    da, db = rng.standard_normal(a.shape), rng.standard_normal(a.shape)
    da[1] = db[1] = 0.0  # (a / b at b = 0 stays nan: the entry the mask drops)
    return da, db


@pytest.mark.parametrize("f", CASES, ids=[f.__name__ for f in CASES])
def test_gradient_jvp_and_hvp(f) -> None:
    a, b = POINTS.get(f, (A, B))
    da, db = _directions(a)
    ga, gb = srcad.grad(f, (0, 1))(a.copy(), b.copy())
    assert np.all(np.isfinite(ga)) and np.all(np.isfinite(gb)), (ga, gb)  # nan before
    assert ga[1] == 0.0 and gb[1] == 0.0
    ref = _fd(f, (a, b), (da, db))
    np.testing.assert_allclose(ga @ da + gb @ db, ref, rtol=1e-6, atol=1e-8)
    _, jv = srcad.jvp(f, (a.copy(), b.copy()), (da, db))
    np.testing.assert_allclose(jv, ref, rtol=1e-6, atol=1e-8)
    fa = lambda x: f(x, b.copy())  # noqa: E731
    _, hv = srcad.hvp(fa, (a.copy(),), (da,))
    assert np.all(np.isfinite(hv)), hv
    np.testing.assert_allclose(hv, _fd(srcad.grad(fa), (a,), (da,), 1e-5), rtol=1e-4, atol=1e-6)


def test_branch_not_taken() -> None:
    """The recomputed condition when the branch does not run (its value None there)."""
    a = np.array([-1.0, 0.5, 2.0])
    g = srcad.grad(placeholder_in_branch, (0, 1))(a.copy(), B.copy())
    np.testing.assert_allclose(g[0], B)
    np.testing.assert_allclose(g[1], a)


def test_recomputed_runtime() -> None:
    from srcad.rules.condmasks import UNKNOWN
    from srcad.runtime import moved_mask, recomputed, unset_mask, where_mask

    x = np.array([np.nan, -2.0, 0.5])
    np.testing.assert_array_equal(recomputed("numpy.isnan", x), [True, False, False])
    np.testing.assert_array_equal(recomputed("lt", recomputed("abs", x), 1), [False, False, True])
    for bad in (None, [1.0], "s", UNKNOWN, np.array([None])):
        assert recomputed("numpy.isnan", bad) is UNKNOWN
    assert recomputed("not", x) is UNKNOWN  # (an error: masks nothing)
    assert recomputed("numpy.cumsum", x) is UNKNOWN  # (not one it computes: not elementwise)
    z = np.zeros((2, 3))
    for keep in ((True,), (False,), ("finite",)):
        assert where_mask((2, 3), UNKNOWN, keep=keep) is True
    assert where_mask((2, 3), z > 1, UNKNOWN, keep=(False, False)) is True
    assert unset_mask(z, UNKNOWN) is True
    assert moved_mask(True, z, z, "index", UNKNOWN) is True


# -- the side a max/min/clip does not take, with an infinite local slope -------------------------
def builtin_max(x):
    return max(np.sqrt(abs(x[0] - 0.31)), 1.0) * x[1]


def builtin_min(x):
    return min(-np.sqrt(abs(x[0] - 0.31)), -1.0) * x[1]


def np_maximum(x):
    return np.sum(np.maximum(np.sqrt(x - x[4]), 0.1))


def np_minimum(x):
    return np.sum(np.minimum(-2.0 * np.sqrt(x - x[4]), -0.1))


def np_fmax(x):
    return np.sum(np.fmax(np.log(x - x[4]), -1.0) * x)


def np_fmin(x):
    return np.sum(np.fmin(-np.log(x - x[4]), 1.0) * x)


def np_fmin_nan(x):
    y = np.where(x > 3.5, np.nan, 2.0 * x - 1.0)  # (fmin takes the other operand at a nan)
    return np.sum(np.fmin(np.sqrt(x - x[4]), y))


def np_fmin_both(x):
    return np.sum(np.fmin(np.sqrt(x - x[4]), np.sqrt(x) * 0.8 - 0.5) * x)


def np_clip(x):
    return np.sum(np.clip(np.sqrt(x - x[4]), 0.1, 1.5))


def method_clip(x):
    return np.sum(np.sqrt(x - x[4]).clip(min=0.1) * x)


def np_max(x):
    return np.max(np.sqrt(x - x[4]))


def np_amin(x):
    return np.amin(-np.sqrt(x - x[4]))


def np_median(x):
    return np.median(np.sqrt(x - x[4]))


def division_in_try(x):
    s = x[0] - x[0]
    r = 1.0 / s if s == 0.0 else 5.0  # (an if's result)
    return x[1] * min(r, 7.0)


X2 = np.array([0.31, 2.0])
X5 = np.array([0.5, 2.0, 3.0, 4.0, 0.31])  # x[4] - x[4] = 0: sqrt(0) on a side not taken
SIDES = [
    (builtin_max, X2),
    (builtin_min, X2),
    (np_maximum, X5),
    (np_minimum, X5),
    (np_fmax, X5),
    (np_fmin, X5),
    (np_fmin_nan, X5),
    (np_fmin_both, X5),
    (np_clip, X5),
    (method_clip, X5),
    (np_max, X5),
    (np_amin, X5),
    (np_median, X5),
    (division_in_try, np.array([0.3, 0.7])),
]


@pytest.mark.parametrize("f, x", SIDES, ids=[c[0].__name__ for c in SIDES])
def test_unselected_side_with_infinite_slope(f, x) -> None:
    v = np.linspace(0.3, 1.1, x.size)
    if f not in (builtin_max, builtin_min, division_in_try):
        v[4] = 0.0  # (x - x[4] at x[4] stays 0 along v; x[0] = 0.31 in the scalar ones...)
    else:
        v[0] = 0.0  # (... stays there)
    g = srcad.grad(f)(x.copy())
    assert np.all(np.isfinite(g)), g  # nan before
    ref = _fd(f, (x,), (v,))
    np.testing.assert_allclose(g @ v, ref, rtol=1e-6, atol=1e-8)
    _, jv = srcad.jvp(f, (x.copy(),), (v,))
    np.testing.assert_allclose(jv, ref, rtol=1e-6, atol=1e-8)
    _, hv = srcad.hvp(f, (x.copy(),), (v,))
    assert np.all(np.isfinite(hv)), hv
    np.testing.assert_allclose(hv, _fd(srcad.grad(f), (x,), (v,), 1e-5), rtol=1e-4, atol=1e-6)


def test_unselected_side_gradient_values() -> None:
    """The entry the selection does not take gets exactly 0, the one it reads the slope."""
    np.testing.assert_array_equal(srcad.grad(builtin_max)(X2.copy()), [0.0, 1.0])
    g = srcad.grad(np_maximum)(X5.copy())
    assert g[0] == 0.0 or np.sqrt(X5[0] - X5[4]) > 0.1
    np.testing.assert_allclose(g[4], -np.sum(g[:4]))
    np.testing.assert_array_equal(srcad.grad(division_in_try)(np.array([0.3, 0.7])), [0.0, 7.0])


# -- divmod of an object whose class defines __divmod__ ------------------------------------------
class _Div:
    def __init__(self, v):
        self.v = v

    def __divmod__(self, other):
        return (_Div(self.v // other), _Div(self.v % other * 2.0))


class _DivOps(_Div):  # // and % that are not what its __divmod__ does
    def __floordiv__(self, other):
        return _Div(self.v // other * 100.0)

    def __mod__(self, other):
        return _Div(self.v % other * 100.0)


class _RDiv:
    def __init__(self, v):
        self.v = v

    def __rdivmod__(self, other):
        return (other // self.v, other % self.v * 3.0)


def divmod_of_local_object(x):
    q, r = divmod(_Div(x), 2.0)
    return q.v + r.v * x


def divmod_of_argument(o, x):
    q, r = divmod(o, x)
    return q.v + r.v * x


def rdivmod_of_local_object(x):
    q, r = divmod(7.0, _RDiv(x))
    return q + r * x


def test_divmod_of_an_object_is_refused() -> None:
    """srcad writes divmod(a, b) as (a // b, a % b): a crash (TypeError) before for a class with
    __divmod__ only, and a silently wrong gradient (660.0 for 6.6) for one whose // and % differ."""
    cases = [
        (divmod_of_local_object, (5.3,), 0),
        (rdivmod_of_local_object, (2.3,), 0),
        (divmod_of_argument, (_Div(5.3), 2.0), 1),
        (divmod_of_argument, (_DivOps(5.3), 2.0), 1),
    ]
    for f, args, wrt in cases:
        with pytest.raises(srcad.SrcadError, match="divmod of a .* object") as info:
            srcad.grad(f, wrt)(*args)
        assert "__divmod__(b)" in str(info.value)


def test_divmod_through_the_method_and_of_numbers() -> None:
    def method(x):
        q, r = _Div(x).__divmod__(2.0)
        return q.v + r.v * x

    def numbers(x):
        a, b = divmod(x, 0.7)
        c, d = np.divmod(x * 3.0, 0.4)
        return a * x + b**2 + np.sum(d * c)

    for f, x in ((method, 5.3), (numbers, 2.3), (numbers, np.array([2.3, 0.9]))):
        total = _total(f)
        g = srcad.grad(total)(x)
        v = np.ones_like(x)
        np.testing.assert_allclose(np.sum(g * v), _fd(total, (x,), (v,)), rtol=1e-6)


def _total(f):
    return lambda t: np.sum(f(t))
