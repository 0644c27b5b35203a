"""Session-27 findings: values Python computes differently, invalid programs srcad accepted, and a
confusing argument-count message.

- ``a op= v`` of an array of another dtype than float64 (fuzz26): lowered as ``a = a op v``,
  which upcasts: ``t = x.astype(np.float32); t += x`` gave float64 (values ~1e-8 off), ``i =
  np.arange(3); i += 0.5`` an array where NumPy raises UFuncTypeError. srcad/ad/inplace_dtypes.py
  casts the result back (``_srcad.inplace_cast``, NumPy's same_kind rule, errors and shape
  check) where a small dtype analysis cannot tell the target is a number or a float64 array;
  float64 programs' generated code is unchanged. The tangent is in the target's dtype.

- Unpacking by indexing without a length check (models26): ``for W, b in ps:`` where one item
  of `ps` has three elements, ``a, b = arr`` of an array of three rows, ``a, b = t`` of a
  3-tuple known only at run time: Python raises ValueError, srcad's primal and gradient
  returned values (lower/exprs `unpack` read items 0 and 1). A starred target (``a, *r, c =
  t``) read the same item twice from a 1-tuple. lower/unpacks.py adds the run-time check
  ``_srcad.unpack_check(v, n)`` (Python's ValueError and message) where the length is not
  known at transform time; a literal's unpacking has no check.
- ``srcad.hessian(np.sum)(x, 0)`` said "sum(): too many positional arguments" (a call Python
  accepts): a library function given to a transform takes its required parameters only; the
  TypeError now says it as Python words an argument-count error and how to pass the others
  (srcad/callmsg.py). Plain functions get Python's words too.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X2 = np.array([0.3, -0.7])


def _layers(ps, x):
    for W, b in ps:
        x = np.tanh(W @ x + b)
    return np.sum(x)


def _pair(t):
    a, b = t
    return a * b


def _rows(arr):
    a, b = arr
    return np.sum(a * b)


def _starred(t):
    a, *_, c = t
    return a * c


def _raises_as_python(f, *args):
    with pytest.raises(ValueError) as want:
        f(*args)
    with pytest.raises(ValueError, match=str(want.value).replace("(", r"\(").replace(")", r"\)")):
        srcad.primal(f)(*args)
    with pytest.raises(ValueError, match="values to unpack"):
        srcad.grad(f)(*args)


def test_loop_item_of_another_length_raises():
    ps = [(np.eye(2), X2.copy()), (np.eye(2), X2.copy(), 3.0)]
    _raises_as_python(_layers, ps, X2.copy())


def test_loop_items_of_the_right_length_still_differentiate():
    ps = [(np.eye(2) * 0.5, X2.copy()), (np.eye(2) * 0.25, X2 * 2)]
    g = srcad.grad(_layers, wrt=1)(ps, X2.copy())
    h = 1e-6
    num = [(_layers(ps, X2 + h * e) - _layers(ps, X2 - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(g, num, rtol=1e-6)


def test_tuple_of_three_into_two_raises():
    _raises_as_python(_pair, (1.0, 2.0, 3.0))


def test_tuple_of_one_into_two_raises():
    _raises_as_python(_pair, (1.0,))


def test_array_of_three_rows_into_two_raises():
    _raises_as_python(_rows, np.ones((3, 2)))


def test_starred_target_from_too_short_a_tuple_raises():
    _raises_as_python(_starred, (2.0,))
    assert srcad.grad(_starred)((2.0, 5.0, 3.0)) == (3.0, 0.0, 2.0)


def test_known_length_has_no_check():
    def f(x):
        a, b = (x, 2.0 * x)
        return a * b

    assert "unpack_check" not in srcad.source(f, mode="grad")
    assert srcad.grad(f)(3.0) == 12.0


def test_helper_returns_and_fixed_arity_results_have_no_check():
    def f(x):
        def two(x):
            for k in range(3):
                if np.sum(x) > k:
                    return x * k, k
            return x, -1

        a, k = two(x)
        q, r = np.linalg.qr(np.outer(x, x) + np.eye(2))
        return np.sum(a) * k + np.sum(q @ r)

    assert "unpack_check" not in srcad.source(f, mode="grad")
    g = srcad.grad(f)(X2.copy())
    h = 1e-6
    num = [(f(X2 + h * e) - f(X2 - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-8)


def test_library_function_with_more_arguments_says_so():
    with pytest.raises(TypeError) as e:
        srcad.hessian(np.sum)(X2.copy(), 0)
    msg = str(e.value)
    assert "sum() takes 1 positional argument but 2 were given" in msg
    assert "lambda a: numpy.sum(a, ...)" in msg


def test_argument_count_errors_use_python_words():
    def f(x, y=1.0):
        return x * y

    def g(x, y, z):
        return x * y * z

    with pytest.raises(TypeError, match=r"f\(\) takes from 1 to 2 positional arguments but 3"):
        srcad.grad(f)(1.0, 2.0, 3.0)
    with pytest.raises(
        TypeError, match=r"g\(\) missing 2 required positional arguments: 'y' and 'z'"
    ):
        srcad.grad(g)(1.0)
    with pytest.raises(TypeError, match=r"f\(\) got an unexpected keyword argument 'w'"):
        srcad.grad(f)(1.0, w=2.0)


# -- a op= v keeps a's dtype (fuzz26) ------------------------------------------------------------
X3 = np.array([0.3, -0.7, 1.1])


def _f32_add(x):
    t = x.astype(np.float32)
    t += x
    return t


def _f32_mul_sum(x):
    t = x.astype(np.float32)
    t *= x
    return np.sum(t)


def _int_add(x):
    i = np.arange(3)
    i += 1
    return x * i


def _int_add_half(x):
    i = np.arange(3)
    i += 0.5
    return x * i


def _complex_mul(x):
    c = np.zeros(3, complex) + 1.0
    c *= x
    c += x
    return np.sum(c.real * c.real)


def _f32_item(x):
    a = np.zeros(3, dtype=np.float32)
    a[0] += x[0]
    return a


def _f32_grows(x):
    t = x.astype(np.float32)
    t += np.ones((2, 3))
    return t


def _f64(x):
    acc = np.zeros(3)
    for k in range(2):
        acc += x * k
    y = x * 2.0
    y -= 1.0
    return np.sum(acc * y)


@pytest.mark.parametrize("f", [_f32_add, _f32_mul_sum, _int_add, _complex_mul, _f32_item])
def test_inplace_keeps_the_dtype(f):
    want = f(X3.copy())
    got = srcad.primal(f)(X3.copy())
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_array_equal(got, want)


def test_inplace_derivatives_of_a_float32_target():
    g = srcad.grad(_f32_mul_sum)(X3.copy())
    np.testing.assert_allclose(g, 2 * X3, rtol=1e-6)
    out, t = srcad.jvp(_f32_add, (X3.copy(),), (np.ones(3),))
    assert out.dtype == np.float32 and t.dtype == np.float32
    np.testing.assert_allclose(t, 2.0)
    np.testing.assert_allclose(srcad.grad(_complex_mul)(X3.copy()), 8 * X3, rtol=1e-12)


def test_inplace_cast_errors_as_numpy():
    with pytest.raises(TypeError) as want:
        _int_add_half(X3.copy())
    with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output") as got:
        srcad.primal(_int_add_half)(X3.copy())
    assert type(got.value) is type(want.value)
    with pytest.raises(TypeError, match="Cannot cast ufunc"):
        srcad.grad(lambda x: np.sum(_int_add_half(x)))(X3.copy())
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        _f32_grows(X3.copy())
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        srcad.primal(_f32_grows)(X3.copy())


def test_float64_targets_have_no_cast():
    # (with the argument's rank known: ``acc += x * k`` cannot grow the (3,) `acc`; of a rank
    # not known, `x` may be (2, 3) and NumPy raises: the growth is checked then, fix31)
    for mode in ("primal", "grad", "jvp"):
        assert "inplace_cast" not in srcad.source(_f64, mode=mode, args=(X3,))
    assert "inplace_cast" in srcad.source(_f32_mul_sum, mode="grad")
    g = srcad.grad(_f64)(X3.copy())
    np.testing.assert_allclose(g, (2 * X3 - 1) * 1 + X3 * 2 * 1, rtol=1e-12)
