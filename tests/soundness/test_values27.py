"""Session-27 findings: invalid programs srcad accepted, and a confusing argument-count message.

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
