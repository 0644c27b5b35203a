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
