"""Session 50's adversarial review of session 49's code (fuzz50): regression tests.

Each case gave a wrong derivative (or crashed) on b2771990; each now equals central differences
or is refused with a SrcadError at transform time.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X3 = np.array([0.3, -0.5, 0.7])


def _fd_grad(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _grad_and_jvp_refused(f, x, words):
    with pytest.raises(srcad.SrcadError, match=words):
        srcad.grad(f)(x.copy())
    with pytest.raises(srcad.SrcadError, match=words):
        srcad.jvp(f, (x.copy(),), (np.ones_like(x),))


# -- a derivative called inside differentiated code whose function updates its argument ----------
# The level made for the call (ad/compose._adapter) runs the function on the caller's objects
# and writes its updates back, as srcad.grad(inner) called from Python does; the adapter had no
# `param_mutations`, so the caller's derivative read the updated object as if unchanged:
# grad of in_grad_0d at (0.3, -0.5, 0.7) was (2.2, 0.2, 0.1), central differences (2.2, 1.1, 0.1).


def _bump0d(a, b):
    c = a
    c += b  # a 0-d array: updated in place
    return c * c


def _bump(v, s):
    a = v
    a += s
    return np.sum(a * a * a)


def _append(L, s):
    L.append(s * 2.0)
    return L[0] * s


def _first(v, s):
    v[0] = s * v[1]
    return np.sum(v * v)


def in_grad_0d(x):
    a = np.array(x[0] * 2.0)
    g = srcad.grad(_bump0d)(a, x[1])
    return g * np.sum(a) + a * x[2]


def in_grad_read_after(x):
    v = x * 1.0
    g = srcad.grad(_bump)(v, x[0])
    return np.sum(g * v)


def in_value_and_grad(x):
    v = x * 1.0
    val, g = srcad.value_and_grad(_bump)(v, x[1])
    return val + np.sum(v * v)


def in_grad_list_append(x):
    L = [x[0]]
    g = srcad.grad(_append, wrt=1)(L, x[1])
    return g * x[2] + L[-1]


def in_grad_setitem(x):
    v = x * 1.0
    g = srcad.grad(_first, wrt=1)(v, x[1])
    return g + np.sum(v)


def in_jvp(x):
    v = x * 1.0
    out, t = srcad.jvp(_bump, (v, x[0]), (np.ones(3), 1.0))  # (crashed: IndexError)
    return out * np.sum(v) + t


def in_grad_grad(x):
    v = x * 1.0
    g = srcad.grad(srcad.grad(_bump, wrt=1), wrt=1)(v, x[0])
    return g * np.sum(v)


UPDATING = [
    in_grad_0d,
    in_grad_read_after,
    in_value_and_grad,
    in_grad_list_append,
    in_grad_setitem,
    in_jvp,
    in_grad_grad,
]


@pytest.mark.parametrize("f", UPDATING, ids=lambda f: f.__name__)
def test_derivative_inside_of_a_function_updating_its_argument_refused(f) -> None:
    _grad_and_jvp_refused(f, X3, "modifies its argument")


def _pend(y, dt):
    th, om = y[0], y[1]
    for _ in range(3):
        th += om * dt  # numbers: rebound
        om -= np.sin(th) * dt
    return th * om + y[2]


def in_grad_numbers(x):
    g = srcad.grad(_pend)(x, 0.05)
    return np.sum(g * g)


def in_grad_private_copy(x):
    v = x * 1.0
    g = srcad.grad(_bump)(v.copy(), x[0])  # (a temporary nobody reads again)
    return np.sum(g) * np.sum(v)


@pytest.mark.parametrize("f", [in_grad_numbers, in_grad_private_copy], ids=lambda f: f.__name__)
def test_derivative_inside_still_differentiated(f) -> None:
    np.testing.assert_allclose(srcad.grad(f)(X3.copy()), _fd_grad(f, X3), rtol=1e-6, atol=1e-8)
