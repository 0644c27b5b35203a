"""Session 51's adversarial review of session 50's code (fuzz51): regression tests.

Each case answered where Python raises, or raised where Python answers, on 7e9f3059; each now
does what Python does (the same error, or the value with derivatives equal to central
differences).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X4 = np.array([0.3, -0.5, 0.7, 1.1])


def _fd_grad(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _agrees(f, x=X4):
    """Value, grad, JVP and VJP of `f` at `x` against Python and central differences."""
    val, g = srcad.value_and_grad(f)(x.copy())
    np.testing.assert_allclose(val, f(x.copy()), rtol=1e-12)
    np.testing.assert_allclose(g, _fd_grad(f, x), rtol=1e-6, atol=1e-8)
    u = np.cos(np.arange(len(x)) + 1.0)
    _, t = srcad.jvp(f, (x.copy(),), (u,))
    np.testing.assert_allclose(t, np.dot(g, u), rtol=1e-10, atol=1e-12)
    _, pull = srcad.vjp(f, x.copy())
    np.testing.assert_allclose(pull(1.0)[0], g, rtol=1e-10, atol=1e-12)


def _raises_as_python(f, err, x=X4):
    """Python raises `err` running `f`; so do grad, jvp and vjp."""
    with pytest.raises(err):
        f(x.copy())
    with pytest.raises(err):
        srcad.grad(f)(x.copy())
    with pytest.raises(err):
        srcad.jvp(f, (x.copy(),), (np.ones_like(x),))
    with pytest.raises(err):
        srcad.vjp(f, x.copy())


# -- an element write in a try body checked as an element's write --------------------------------
# setitem_check wrote ``c[0]``'s 0-d copy with ``[...] = v``, which takes a 1-element array;
# NumPy's element write ``c[0] = np.ones(1)`` raises ValueError ("setting an array element
# with a sequence"). The check passed, then the write raised outside the handler:
# ValueError where Python answers -2.5.


def one_element_array(x):
    c = np.zeros(3)
    try:
        c[0] = x[1:2] * 2.0
    except ValueError:
        c[1] = 5.0 * x[3]
    return np.sum(c * x[:3])


def element_of_a_matrix(x):
    c = np.zeros((2, 2))
    try:
        c[1, 0] = np.reshape(x[:1], (1, 1))
    except ValueError:
        c[0, 1] = x[2] * x[3]
    return np.sum(c) * x[0]


def in_a_loop(x):
    c = np.zeros(4)
    for k in range(4):
        v = x[k : k + 1] if k % 2 else x[k]
        try:
            c[k] = v
        except ValueError:
            c[k] = -(x[k] ** 2)
    return np.sum(c * x)


@pytest.mark.parametrize("f", [one_element_array, element_of_a_matrix, in_a_loop])
def test_an_element_write_of_a_one_element_array_raises_as_numpy(f):
    _agrees(f)


def test_the_element_check_keeps_what_numpy_takes():
    """A 0-d array, a Python float and a slice's 1-element array are taken as before."""

    def takes(x):
        c = np.zeros((2, 3))
        try:
            c[0, 0] = np.array(x[0])
            c[1, 1] = float(x[1])
            c[0, 1:2] = x[2:3]
        except ValueError:
            c[1, 2] = 9.0
        return np.sum(c * c) * x[3]

    _agrees(takes)


# -- an unused item read past the end of a repeated list -----------------------------------------
# passes/raising.py knew the length of ``[v] * 2`` (a constant int): ``[v] * True``, ``[v] *
# np.int64(2)`` and ``[v] * len(x)`` were of no known length, and the unused read past their
# end was removed: srcad answered where Python raises IndexError.


def repeat_true(x):
    t = [x[0], x[1]] * True
    t[2]
    return x[2]


def repeat_numpy_int(x):
    t = [x[0]] * np.int64(2)
    t[2]
    return x[2]


def repeat_len(x):
    t = [x[0]] * len(x)
    t[4]
    return x[2]


def repeat_len_tuple(x):
    n = len(x) - 1
    t = (x[0],) * n
    t[-4]
    return x[2] * t[-3]


@pytest.mark.parametrize("f", [repeat_true, repeat_numpy_int, repeat_len, repeat_len_tuple])
def test_unused_read_past_a_repeated_list_raises(f):
    _raises_as_python(f, IndexError)


def test_reads_within_a_repeated_list_answer():
    def within(x):
        n = len(x) - 1
        t = n * [x[0], x[1]]
        t[5]
        u = [x[3]] * np.int64(3)
        u[2]
        return x[2] * t[-6] + u[-1] * ([x[1]] * True)[0]

    _agrees(within)


# -- an unused read of a key an earlier del removed ----------------------------------------------
# dict_without's dict carried only the key its own del removed: after ``del d["a"]; del d["b"]``
# an unused ``d["a"]`` was removed and srcad answered where Python raises KeyError.


def del_twice(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    del d["a"]
    del d["b"]
    d["a"]
    return d["c"] * x[3]


def pop_then_del(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    d.pop("b")
    del d["c"]
    d["b"]
    return d["a"] * x[3]


@pytest.mark.parametrize("f", [del_twice, pop_then_del])
def test_unused_read_of_a_key_deleted_before_the_last_del_raises(f):
    _raises_as_python(f, KeyError)


def test_a_key_written_again_after_the_dels_is_read():
    def again(x):
        d = {"a": x[0], "b": x[1], "c": x[2]}
        del d["a"]
        del d["b"]
        d["a"] = x[3]
        d["a"]
        return d["a"] * d["c"]

    _agrees(again)


# -- the forward mode of a product with an inf in a row no read reaches --------------------------
# The JVP of ``BAD @ W`` is ``BAD @ dW``: ``inf * 0`` where the direction leaves a column of `W`
# still, nan in row 1, and tanh's ``(1 - tanh^2) * dz`` is ``0 * nan`` there; the entry is +-inf
# for every nearby W (tanh is flat there: its tangent is 0). The JVP of np.sum(np.tanh(BAD @ W))
# was nan where it is 0.6229, and every Hessian through such a product nan (hessian of
# sum(tanh(BAD @ W)[0]) [nan ...] where central differences of the gradient give [0.0326 0
# -0.0435 0]); an RNN's initial state with an inf in a row likewise. Pre-existing (b2771990).

BAD = np.array([[0.3, -0.4], [np.inf, 0.5], [0.1, -0.2]])


def tanh_of_product(x):
    return np.sum(np.tanh(BAD @ np.reshape(x, (2, 2))))


def row_of_tanh(x):
    return np.sum(np.tanh(BAD @ np.reshape(x, (2, 2)))[0])


def vector_times_rows(x):
    return np.sum(np.tanh(np.dot(BAD, x[:2]))) + np.tanh(x[2:] @ BAD.T[:, ::2]).sum()


def rnn_initial_state(x):
    W = np.outer(x[:2], x[2:]) * 0.4
    h = BAD * 1.0
    s = 0.0
    for _ in range(2):
        h = np.tanh(BAD * 0.4 + h @ W)
        s = s + np.sum(h[0])
    return s


@pytest.mark.parametrize("f", [tanh_of_product, row_of_tanh, vector_times_rows, rnn_initial_state])
def test_forward_mode_of_a_product_with_an_unread_inf(f):
    with np.errstate(all="ignore"):
        _agrees(f)
        g = srcad.grad(f)
        h = srcad.hessian(f)(X4.copy())
        hfd = np.array([(g(X4 + 1e-5 * e) - g(X4 - 1e-5 * e)) / 2e-5 for e in np.eye(len(X4))])
    np.testing.assert_allclose(h, hfd, rtol=1e-5, atol=1e-7)
