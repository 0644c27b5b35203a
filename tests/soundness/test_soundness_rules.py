"""Derivative rules at singular points, and every path by which a value could skip a rule.

- Minimum-norm subgradients where a composition is differentiable but a rule's formula divides by
  zero (``np.std`` of constant data, ``hypot(0, 0)``, norms at 0): exact numbers, no NaN.
- Python-float singularities: inf/nan as NumPy gives them, never a ZeroDivisionError from
  derivative code; errors of the primal itself stay Python's.
- Operations that used to be silent constants (``np.r_``, einsum sublists, ``np.std`` over an axis of
  length 1, user objects' ``__getitem__``/methods, integer dtypes, ``np.arange``, ``heaviside``,
  ``sorted(key=)``) and ``dict(...)``.
- `test_audit`: programs reaching operations without a plain rule, each either right (checked
  against central finite differences, forward and reverse) or refused with a `SrcadError`.
"""

from __future__ import annotations

import functools
import importlib
import math
import operator

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

A = np.arange(6.0).reshape(2, 3)
W3 = np.array([1.0, -2.0, 0.5])


def both(f, *args):
    """(grad, jvp tangent with all-ones tangents) of `f` at `args`."""
    g = srcad.grad(f)(*args)
    ones = tuple(np.ones_like(a) if isinstance(a, np.ndarray) else 1.0 for a in args)
    return g, srcad.jvp(f, args, ones)[1]


# -- 1. minimum-norm subgradients ------------------------------------------------------------------
def std_of_copies(x):
    return np.std(np.array([x, x, x])) + x


def std_ddof_of_copies(x):
    return np.std(np.array([x, x, x]), ddof=1) + 2.0 * x


def nanstd_of_copies(x):
    return np.nanstd(np.array([x, np.nan, x])) + x


def hypot_zero(x):
    return np.hypot(x - x, 0.0 * x) + x


def math_hypot_zero(x):
    return math.hypot(x - x, 0.0) + x


@pytest.mark.parametrize(
    "f, x, want",
    [
        (std_of_copies, 1.0, 1.0),  # was nan
        (std_of_copies, 0.3, 1.0),
        (std_ddof_of_copies, 1.0, 2.0),
        (nanstd_of_copies, 1.0, 1.0),
        (hypot_zero, 1.5, 1.0),  # was nan
        (math_hypot_zero, 1.5, 1.0),  # was ZeroDivisionError
    ],
)
def test_constant_compositions_have_their_derivative(f, x, want) -> None:
    g, t = both(f, x)
    assert g == want and t == want


def std_of_tiled(x):
    return np.std(np.tile(2.0 * x[:1], 3)) + np.sum(x)


def test_std_of_data_constant_up_to_rounding() -> None:
    # np.std gives ~1e-16 here; the gradient was rounding noise over rounding noise (found by the
    # fuzzer: 1.78 where finite differences give the 1.0 of the sum)
    x = np.array([1.6702, -1.1835, 0.1685])
    assert 0.0 < np.std(np.tile(2.0 * x[:1], 3)) < 1e-15
    np.testing.assert_array_equal(srcad.grad(std_of_tiled)(x), [1.0, 1.0, 1.0])
    assert srcad.jvp(std_of_tiled, (x,), (np.array([1.0, 0.0, 0.0]),))[1] == 1.0


def std_axis0(x):
    return np.sum(np.std(x, axis=0) * W3)


def std_scalar(x):
    return np.std(x) + 0.5 * x


def std_constant(x):
    return np.std(x)


def var_axis0(x):
    return np.sum(np.var(x, axis=0))


def test_std_where_it_is_zero() -> None:
    # an axis of length 1 and a Python scalar: std is identically 0 there, autograd gives 0 (was nan)
    g, t = both(std_axis0, np.array([[1.0, 2.0, 3.0]]))
    np.testing.assert_array_equal(g, np.zeros((1, 3)))
    assert t == 0.0
    assert both(std_scalar, 1.5) == (0.5, 0.5)
    # constant data: the minimum-norm subgradient 0 (std is a norm of the centered data)
    g, t = both(std_constant, np.full(4, 2.0))
    np.testing.assert_array_equal(g, np.zeros(4))
    assert t == 0.0
    np.testing.assert_array_equal(srcad.grad(var_axis0)(np.ones((1, 3))), np.zeros((1, 3)))


def norm_at_zero(x, ord, axis):
    return np.sum(np.linalg.norm(x - 1.0, ord, axis))


@pytest.mark.parametrize(
    "shape, ord, axis",
    [
        ((4,), None, None), ((4,), 1, None), ((4,), 3, None), ((4,), 1.5, None),
        ((4,), np.inf, None), ((2, 3), None, 1), ((2, 3), 3, 1), ((2, 3), "fro", None),
        ((2, 3), "nuc", None), ((2, 3), 2, None), ((2, 3), -2, None), ((2, 3), 1, None),
        ((2, 3), np.inf, None),
    ],
)  # fmt: skip
def test_norms_at_zero(shape, ord, axis) -> None:
    x = np.ones(shape)
    g = srcad.grad(norm_at_zero)(x, ord, axis)
    np.testing.assert_array_equal(g, np.zeros(shape))  # ord=3 was nan


def matrix_norm(x, ord):
    return np.linalg.norm(x, ord)


@pytest.mark.parametrize("ord", [1, -1, np.inf, -np.inf])
def test_matrix_norms_ord_1_and_inf(ord) -> None:  # were refused at run time
    x = np.array([[1.0, -2.0, 0.5], [0.3, 4.0, -1.0]])
    check_grads(matrix_norm, (x, ord), modes=("fwd", "rev"), wrt=0)
    want = {1: [[0, -1, 0], [0, 1, 0]], -1: [[1, 0, 0], [1, 0, 0]],
            np.inf: [[0, 0, 0], [1, 1, -1]], -np.inf: [[1, -1, 1], [0, 0, 0]]}[ord]  # fmt: skip
    np.testing.assert_array_equal(srcad.grad(matrix_norm)(x, ord), want)


def det(a):
    return np.linalg.det(a)


def test_det_at_singular_matrices() -> None:  # raised LinAlgError (det * inv(a))
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    g, t = both(det, a)
    np.testing.assert_allclose(g, [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)  # the cofactors
    assert abs(t - 1.0) < 1e-12  # all-ones tangent: the sum of the cofactors
    np.testing.assert_array_equal(srcad.grad(det)(np.zeros((3, 3))), np.zeros((3, 3)))
    check_grads(det, (a,), modes=("fwd", "rev"))


# -- 2. Python-float singularities -------------------------------------------------------------------
def m_asin(x):
    return math.asin(x)


def m_acos(x):
    return math.acos(x)


def m_acosh(x):
    return math.acosh(x)


def m_sqrt(x):
    return math.sqrt(x)


def half_power(x):
    return x**0.5


def m_pow_half(x):
    return math.pow(x, 0.5)


def m_atan2(x):
    return math.atan2(x, x)


def m_cbrt(x):
    return math.cbrt(x) if hasattr(math, "cbrt") else np.cbrt(x)


@pytest.mark.parametrize(
    "f, x, want",
    [
        (m_asin, 1.0, math.inf), (m_asin, -1.0, math.inf), (m_acos, 1.0, -math.inf),
        (m_acosh, 1.0, math.inf), (m_sqrt, 0.0, math.inf), (half_power, 0.0, math.inf),
        (m_pow_half, 0.0, math.inf), (m_cbrt, 0.0, math.inf),
    ],
)  # fmt: skip
def test_python_float_singularities_are_inf_like_numpy(f, x, want) -> None:
    g, t = both(f, x)  # each raised ZeroDivisionError from the derivative code
    assert g == want and t == want
    assert type(g) is float


def np_log(x):
    return np.log(x)


def np_log1p(x):
    return np.log1p(x)


def np_arctanh(x):
    return np.arctanh(x)


def np_over_zero(x):
    return np.divide(x, 0.0)


def np_inverse(x):
    return np.divide(1.0, x)


@pytest.mark.parametrize(
    "f, x, want",
    [
        (np_log, 0.0, math.inf), (np_log1p, -1.0, math.inf), (np_arctanh, 1.0, math.inf),
        (np_over_zero, 1.0, math.inf), (np_inverse, 0.0, -math.inf),
    ],
)  # fmt: skip
def test_numpy_functions_of_python_floats(f, x, want) -> None:
    g, t = both(f, x)  # each raised ZeroDivisionError (the primal gives inf with a warning)
    assert g == want and t == want


def np_atan2(x):
    return np.arctan2(x, x)


def test_atan2_at_the_origin_is_nan() -> None:
    assert all(math.isnan(v) for v in both(np_atan2, 0.0))
    g, t = both(m_atan2, 0.0)
    assert math.isnan(g) and math.isnan(t)


def m_log(x):
    return math.log(x)


def reciprocal(x):
    return 1.0 / x


def inverse_power(x):
    return x**-1


@pytest.mark.parametrize(
    "f, exc",
    [(m_log, ValueError), (reciprocal, ZeroDivisionError), (inverse_power, ZeroDivisionError)],
)
def test_errors_of_the_primal_stay_pythons(f, exc) -> None:
    with pytest.raises(exc):
        f(0.0)
    with pytest.raises(exc):
        srcad.grad(f)(0.0)
    with pytest.raises(exc):
        srcad.jvp(f, (0.0,), (1.0,))


# -- 3. operations that were constants ---------------------------------------------------------------
def r_pair(x):
    return np.sum(np.r_[x, x] * np.arange(6.0))


def r_mixed(x):
    return np.sum(np.r_[x[0], 2.0, x, 0:2, 0:1:3j] * np.arange(10.0))


def c_pair(x):
    return np.sum(np.c_[x, 2.0 * x] * A.T)


def c_scalars(x):
    return np.sum(np.c_[x[0], x[1]] * np.array([[3.0, 5.0]]))


def test_index_tricks() -> None:
    x = np.array([1.1, 2.3, 3.7])
    np.testing.assert_array_equal(srcad.grad(r_pair)(x), [3.0, 5.0, 7.0])  # was [0, 0, 0]
    np.testing.assert_array_equal(srcad.grad(r_mixed)(x), [2.0, 3.0, 4.0])
    np.testing.assert_array_equal(srcad.grad(c_pair)(x), [6.0, 9.0, 12.0])
    np.testing.assert_array_equal(srcad.grad(c_scalars)(x), [3.0, 5.0, 0.0])
    for f in (r_pair, r_mixed, c_pair, c_scalars):
        assert srcad.value_and_grad(f)(x)[0] == f(x)  # the primal is NumPy's
        check_grads(f, (x,), modes=("fwd", "rev"))


def r_directive(x):
    return np.r_["0,2", x, x]


def test_r_string_directive_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="string directive"):
        srcad.grad(r_directive)(np.ones(2))


def einsum_one(a):
    return np.sum(np.einsum(a, (0, 1), (1, 0)) * A[:, :2])


def einsum_two(a, b):
    return np.sum(np.einsum(a, [0, 1], b, [1, 2], [0, 2]))


def einsum_implicit(a):
    return np.einsum(a, [0, 0])


def test_einsum_sublists() -> None:
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    # was a zero gradient (one operand) and a refusal (two)
    np.testing.assert_array_equal(srcad.grad(einsum_one)(a), [[0.0, 3.0], [1.0, 4.0]])
    b = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    ga, gb = srcad.grad(einsum_two, wrt=(0, 1))(a, b)
    np.testing.assert_array_equal(ga, [[6.0, 15.0], [6.0, 15.0]])
    np.testing.assert_array_equal(gb, [[4.0, 4.0, 4.0], [6.0, 6.0, 6.0]])
    np.testing.assert_array_equal(srcad.grad(einsum_implicit)(a), np.eye(2))
    check_grads(einsum_two, (a, b), modes=("fwd", "rev"))


def dict_kwargs(a, b):
    d = dict(a=a, b=b)
    return d["a"] * d["b"]


def dict_zipped(x):
    d = dict(zip(["u", "v", "w"], x))
    return d["u"] * d["w"]


def dict_pairs(a, b):
    d = dict([("a", a), ("b", b), ("a", 2.0 * a)])
    return d["a"] + 3.0 * d["b"]


def dict_copy_update(a, b):
    d = dict({"a": a, "b": b}, b=a * b)
    return d["a"] + d["b"]


def dict_of_comprehension(x):
    d = dict([(str(i), x[i]) for i in range(3)])
    return d["0"] * d["2"]


def test_dict_calls() -> None:  # were "no derivative rule for builtins.dict"
    assert srcad.grad(dict_kwargs, wrt=(0, 1))(2.0, 3.0) == (3.0, 2.0)
    np.testing.assert_array_equal(srcad.grad(dict_zipped)(np.array([2.0, 5.0, 7.0])), [7, 0, 2])
    assert srcad.grad(dict_pairs, wrt=(0, 1))(1.0, 1.0) == (2.0, 3.0)
    assert srcad.grad(dict_copy_update, wrt=(0, 1))(2.0, 3.0) == (4.0, 2.0)
    np.testing.assert_array_equal(
        srcad.grad(dict_of_comprehension)(np.array([2.0, 5.0, 7.0])), [7, 0, 2]
    )
    check_grads(dict_copy_update, (2.0, 3.0), modes=("fwd", "rev"))
    check_grads(dict_of_comprehension, (np.array([2.0, 5.0, 7.0]),), modes=("fwd", "rev"))


def dict_copy_then_mutate(x):
    d = {"a": x.copy()}
    e = dict(d)
    e["a"][0] = 5.0  # also changes d["a"]: Python sees it, srcad's values would not
    return np.sum(d["a"] * x)


def dict_zip_then_mutate(x):
    a = x.copy()
    e = dict(zip(["a"], [a]))
    e["a"][0] = 5.0
    return np.sum(a * x)


def dict_copy_read_both(x):
    d = {"a": x.copy()}
    e = dict(d, b=1.5)
    return np.sum(d["a"] * x) + e["b"] * np.sum(e["a"])


def dict_zip_repeated_key(x):
    return dict(zip(["a", "a"], [x[0], 2.0 * x[1]]))["a"]


def test_dicts_share_their_values() -> None:
    x = np.array([1.0, 2.0])
    for f in (dict_copy_then_mutate, dict_zip_then_mutate):  # were silently wrong primals (5, 9)
        with pytest.raises(srcad.SrcadError, match="modified"):
            srcad.grad(f)(x)
    assert srcad.value_and_grad(dict_copy_read_both)(x)[0] == dict_copy_read_both(x) == 9.5
    np.testing.assert_array_equal(srcad.grad(dict_copy_read_both)(x), [3.5, 5.5])
    np.testing.assert_array_equal(srcad.grad(dict_zip_repeated_key)(x), [0.0, 2.0])


def dict_method_copy(x):
    e = {"a": x[0], "b": x[1]}.copy()
    return e["a"] * e["b"]


def list_method_copy(x):
    m = [x[0], np.ones(2) * x[1]].copy()
    return m[0] * np.sum(m[1])


def test_copy_method_of_containers() -> None:  # forward mode crashed (np.copy of the tangents)
    x = np.array([1.5, 2.0])
    assert srcad.jvp(dict_method_copy, (x,), (np.array([1.0, 0.0]),))[1] == 2.0
    assert srcad.jvp(list_method_copy, (x,), (np.array([0.0, 1.0]),))[1] == 3.0
    for f in (dict_method_copy, list_method_copy):
        check_grads(f, (x,), modes=("fwd", "rev"))


def sorted_by_abs(x):
    return sorted([-3.0 * x[0], x[1]], key=abs)[0]


def arange_from(x):
    return np.sum(np.arange(x[0], x[0] + 3.0) * W3)


def arange_step(x):
    return np.sum(np.arange(0.0, 1.0, x[1]))


def heaviside_at_zero(x):
    return np.sum(np.heaviside(np.array([0.0, 1.0]), x[0]))


def int_casts(x):
    return (
        np.sum(np.asarray(3.0 * x, dtype=int))
        + np.sum(np.full(3, 3.0 * x[0], dtype=int))
        + np.sum(3.0 * x, dtype=int)
        + np.sum(np.linspace(x[0], 9.0 * x[1], 4, dtype=int))
        + x[2]
    )


def test_former_silent_constants() -> None:
    x = np.array([0.4, 0.7, 1.3])
    np.testing.assert_array_equal(srcad.grad(sorted_by_abs)(x), [0.0, 1.0, 0.0])  # was [-3, 0, 0]
    np.testing.assert_array_equal(srcad.grad(arange_from)(x), [-0.5, 0.0, 0.0])  # was 0
    np.testing.assert_array_equal(srcad.grad(arange_step)(x), [0.0, 1.0, 0.0])  # was 0
    np.testing.assert_array_equal(srcad.grad(heaviside_at_zero)(x), [1.0, 0.0, 0.0])  # was 0
    np.testing.assert_array_equal(srcad.grad(int_casts)(x), [0.0, 0.0, 1.0])  # was [24, 9, 4]
    for f in (sorted_by_abs, arange_from, arange_step, heaviside_at_zero, int_casts):
        check_grads(f, (x,), modes=("fwd", "rev"))


# -- 4. the audit: every path to an operation without a plain rule --------------------------------------
class Table:
    """A user class whose methods have NumPy method names."""

    def __init__(self) -> None:
        self.w = np.array([1.0, 2.0, 3.0])

    def sum(self, v):
        return np.sum(self.w * v)

    def __getitem__(self, v):
        return self.w * v


TABLE = Table()
VSIN = np.vectorize(np.sin)


def _square(v):
    return v * v


def p_user_method(x):
    return TABLE.sum(x)


def p_user_getitem(x):
    return np.sum(TABLE[x])


def p_ndarray_unbound(x):
    return np.ndarray.sum(x * x)


def p_add_reduce(x):
    return np.add.reduce(x * x)


def p_multiply_reduce_axis(x):
    return np.sum(np.multiply.reduce(np.outer(x, x), axis=1))


def p_maximum_reduce(x):
    return np.maximum.reduce(x * W3)


def p_add_accumulate(x):
    return np.sum(np.add.accumulate(x * x) * W3)


def p_multiply_outer(x):
    return np.sum(np.multiply.outer(x, x) * np.arange(9.0).reshape(3, 3))


def p_index_exp(x):
    return np.sum(x[np.index_exp[1:]])


def p_s_(x):
    return np.sum(x[np.s_[::2]]) + np.sum(np.s_[x] * W3)


def p_ix_(x):
    return np.sum(A[np.ix_([0, 1], [1, 2])] * x[0])


def p_mgrid_const(x):
    return np.sum(np.mgrid[0:3] * x)


def p_mgrid_active(x):
    return np.sum(np.mgrid[x[0] : 3.0])


def p_ogrid_active(x):
    return np.sum(np.ogrid[x[0] : 3.0])


def p_vectorize(x):
    return np.sum(VSIN(x))


def p_vectorize_call(x):
    return np.sum(np.vectorize(np.sin)(x))


def p_frompyfunc(x):
    return np.sum(np.frompyfunc(_square, 1, 1)(x).astype(float))


def p_reduce(x):
    return functools.reduce(operator.mul, [x[0], x[1], x[2]])


def p_map(x):
    return sum(map(np.sin, [x[0], x[1]]))


def p_getattr(x):
    return np.sum(getattr(np, "sin")(x))  # noqa: B009


def p_methodcaller(x):
    return operator.methodcaller("sum")(x * x)


def p_reduceat(x):
    return np.sum(np.add.reduceat(x * x, [0, 2]))


def p_dunder_mul(x):
    return np.sum(x.__mul__(x))


def p_ufunc_call(x):
    return np.sum(np.sin.__call__(x))


def p_fsum(x):
    return math.fsum([x[0] * x[1], x[2]])


def p_sum_generator(x):
    return sum(v * v for v in x)


def p_min_key(x):
    return min([x[0], -x[1], x[2]], key=abs)


def p_apply_along_axis(x):
    return np.sum(np.apply_along_axis(np.cumsum, 0, x))


def p_polyval(x):
    return np.polyval(x, 2.0)


def p_view(x):
    return np.sum(x.view() * x)


def p_flat(x):
    return x.flat[1] * 2.0


def p_item(x):
    return x.item(1) * 2.0


def p_tolist(x):
    return sum(x.tolist())


def p_fromiter(x):
    return np.sum(np.fromiter((v * v for v in x), float))


def p_object_array(x):
    return np.sum(np.array([x[0], x[1]], dtype=object)).__float__()


def p_astype_int(x):
    return np.sum(x.astype(int)) + np.sum(x)


def p_round(x):
    return np.sum(np.round(x, 1)) + np.sum(x)


def p_complex(x):
    return complex(x[0], x[1]).real


def p_operator_getitem(x):
    return operator.getitem(x, 1) * 2.0


def p_itemgetter(x):
    return operator.itemgetter(1)(x) * 2.0


def p_partial(x):
    return functools.partial(np.multiply, 2.0)(x).sum()


def p_base(x):
    return np.sum(x.base if x.base is not None else x)


def p_iter_next(x):
    return next(iter(x)) * 2.0


def p_nanmean(x):
    return np.nanmean(x * x)


def p_nanmax(x):
    return np.nanmax(x * W3)


def p_lexsort(x):
    return np.sum(x[np.lexsort((x,))] * W3)


def p_interp(x):
    return np.sum(np.interp(x, [0.0, 1.0, 5.0], [0.0, 2.0, 3.0]))


def p_dict_get(x):
    return {"a": x[0]}.get("a") * 2.0


def p_import_statistics(x):  # statistics.mean(list) was taken for ndarray.mean(axis=list): 0
    # (now lower/imports.py gives statistics.mean itself, which lower/stdlib.py lowers as a sum)
    return importlib.import_module("statistics").mean([x[0], x[1]])


def p_dunder_import(x):
    return __import__("numpy").sum(x * x)


RIGHT, REFUSED = "right", "refused"
AUDIT = [
    (p_user_method, RIGHT), (p_user_getitem, RIGHT), (p_ndarray_unbound, RIGHT),
    (p_add_reduce, RIGHT), (p_multiply_reduce_axis, RIGHT), (p_maximum_reduce, RIGHT),
    (p_add_accumulate, RIGHT), (p_multiply_outer, RIGHT), (p_index_exp, RIGHT), (p_s_, RIGHT),
    (p_ix_, RIGHT), (p_mgrid_const, RIGHT), (p_mgrid_active, REFUSED), (p_ogrid_active, REFUSED),
    (p_vectorize, RIGHT), (p_vectorize_call, RIGHT), (p_frompyfunc, RIGHT),
    (p_reduce, RIGHT), (p_map, RIGHT), (p_getattr, RIGHT), (p_methodcaller, RIGHT),
    (p_reduceat, RIGHT), (p_dunder_mul, REFUSED), (p_ufunc_call, REFUSED), (p_fsum, RIGHT),
    (p_sum_generator, RIGHT), (p_min_key, RIGHT), (p_apply_along_axis, RIGHT),
    (p_polyval, RIGHT), (p_view, REFUSED), (p_flat, RIGHT), (p_item, RIGHT),
    (p_tolist, RIGHT), (p_fromiter, RIGHT), (p_object_array, REFUSED),
    (p_astype_int, RIGHT), (p_round, RIGHT), (p_complex, RIGHT), (p_operator_getitem, RIGHT),
    (p_itemgetter, RIGHT), (p_partial, RIGHT), (p_base, REFUSED), (p_iter_next, RIGHT),
    (p_nanmean, RIGHT), (p_nanmax, RIGHT), (p_lexsort, RIGHT), (p_interp, RIGHT),
    (p_dict_get, RIGHT), (p_import_statistics, RIGHT), (p_dunder_import, RIGHT),
]  # fmt: skip


@pytest.mark.parametrize("f, outcome", AUDIT, ids=[f.__name__ for f, _ in AUDIT])
def test_audit(f, outcome) -> None:
    x = np.array([1.1, 2.3, 3.7])  # away from integers and ties: piecewise constants are flat
    if outcome == RIGHT:
        check_grads(f, (x,), modes=("fwd", "rev"))
        return
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(x)
    with pytest.raises(srcad.SrcadError):
        srcad.jvp(f, (x,), (np.ones(3),))


# -- ties of np.maximum / np.minimum: half to each side (JAX, autograd, central differences) -------
def relu_sum(z):
    return np.sum(np.maximum(z, 0.0))


def stable_softplus_sum(z):
    return np.sum(np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))))


def test_maximum_ties_split_the_derivative() -> None:
    z = np.array([1.0, -1.0, 0.0])
    np.testing.assert_array_equal(srcad.grad(relu_sum)(z), [1.0, 0.0, 0.5])
    # the stable softplus at 0: 0.5 = sigmoid(0), as central differences (was 1.0)
    np.testing.assert_allclose(srcad.grad(stable_softplus_sum)(np.zeros(2)), [0.5, 0.5])
    _, d = srcad.jvp(lambda a, b: np.sum(np.minimum(a, b)), (z, z), (np.ones(3), 2 * np.ones(3)))
    assert d == 1.5 * 3


# -- an integer exponent read out of a container that has a tangent ------------------------------
def pow_from_pairs(x):
    pairs = [(i, x) for i in range(1, 3)]
    s = 0.0
    for p in pairs:
        s = s + p[1] ** p[0]
    return s


def pow_from_dict(x):
    d = {"n": 2, "v": x}
    return d["v"] ** d["n"]


def test_integer_exponent_from_a_container_at_a_negative_base() -> None:
    # the int's tangent is a zero, and log(-0.5) is nan: jvp gave nan (0 * nan), now 1 + 2x, 2x
    assert srcad.jvp(pow_from_pairs, (-0.5,), (1.0,)) == (-0.25, 0.0)
    assert srcad.jvp(pow_from_pairs, (-0.3,), (1.0,))[1] == pytest.approx(0.4, rel=1e-14)
    assert srcad.jvp(pow_from_dict, (-0.5,), (1.0,)) == (0.25, -1.0)
    assert srcad.grad(pow_from_dict)(-0.5) == -1.0
