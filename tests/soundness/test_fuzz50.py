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


# -- writes at negative int indices: ``c[-i][-1] = c[-i][-1] + v`` ----------------------------------
# The write-back's key ``-i`` and the read's ``-i`` are two ``neg`` ops before CSE; the mutation
# check's same-key test (passes/alias_nested._same_index) knew add/sub/mul/floordiv/mod only, so
# these were refused ('`out` is read after the object it shares with another name is modified').

X12 = np.arange(1.0, 13.0) / 7.0


def neg_rows(x):
    out = [[0.0, 0.0] for j in range(3)]
    for i in range(3):
        out[-i][-1] = out[-i][-1] + x[i] * (i + 1)
    return out[0][1] * x[0] + out[1][1] + out[2][1]


def neg_planes(x):
    out = [[[0.0, 0.0] for j in range(2)] for i in range(2)]
    for i in range(2):
        for j in range(2):
            out[-i][-j][-1] = out[-i][-j][-1] + x[i] * x[j] * (i + 1)
    return out[0][0][1] * x[0] + out[1][1][1] + out[0][1][1]


def neg_array_rows(x):
    W = x.reshape(3, 4) * 1.0
    for i in range(3):
        W[-i][-1] = W[-i][-2] * W[i - 1][0]
    return np.sum(W**2)


@pytest.mark.parametrize("f", [neg_rows, neg_planes, neg_array_rows], ids=lambda f: f.__name__)
def test_negative_index_writes(f) -> None:
    x = X12[:4] if f is not neg_array_rows else X12
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()), rel=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), _fd_grad(f, x), rtol=1e-6, atol=1e-8)
    v = np.linspace(1.0, -0.5, len(x))
    _, t = srcad.jvp(f, (x.copy(),), (v,))
    assert t == pytest.approx(_fd_grad(f, x) @ v, rel=1e-6, abs=1e-8)


# -- a reduction along constant axes keeps a float array of a known rank (passes/ranks.py) -------
# wild50f (seed 5016): ``a = np.sum(T, axis=(0, 1)); M = np.outer(np.tanh(a), a)`` then C-style
# ``M[i][j] = ...`` was refused ('`M` is read after the object it shares with another name is
# modified'): the rank facts knew no reduction, so `a` and `M` had no known rank and ``M[i]``
# could be anything. Reductions (sum, mean, prod, max, min, std, var) with a constant int or tuple
# axis now give the operand's rank less the axes (the same with ``keepdims=True``).

X6 = np.array([0.3, -0.5, 0.7, 1.2, -0.8, 0.45])


def reduced_outer(x):
    T = np.outer(x[:3], x[3:])
    a = np.sum(T, axis=0)
    M = np.outer(np.tanh(a), a) * 0.38
    for i in range(3):
        for j in range(3):
            M[i][j] = M[i][j] * 0.38 + M[j][i] * 0.5
    return np.sum(M)


def reduced_keepdims(x):
    T = np.outer(x[:3], x[3:])
    M = np.sum(T, axis=0, keepdims=True)
    for j in range(3):
        M[0][j] = M[0][j] * x[j] + M[0][2 - j]
    return np.sum(M**2) + np.sum(T)


def reduced_last_axis(x):
    T = np.stack([np.outer(x[:3], x[3:]), np.outer(x[3:], x[:3])])
    M = np.max(T, axis=-1)
    for i in range(2):
        for j in range(3):
            M[i][j] = M[i][j] * M[1 - i][2 - j]
    return np.sum(M**2)


def reduced_item_rebound(x):
    T = np.outer(x[:3], x[3:])
    a = np.prod(T, 1)
    c = a[0]  # a number: ``c *= 3.0`` rebinds it
    c *= 3.0
    return np.sum(a) + c


REDUCED = [reduced_outer, reduced_keepdims, reduced_last_axis, reduced_item_rebound]


@pytest.mark.parametrize("f", REDUCED, ids=lambda f: f.__name__)
def test_reductions_keep_rank(f) -> None:
    assert srcad.primal(f)(X6.copy()) == pytest.approx(f(X6.copy()), rel=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(X6.copy()), _fd_grad(f, X6), rtol=1e-6, atol=1e-8)
    v = np.linspace(1.0, -0.5, 6)
    _, t = srcad.jvp(f, (X6.copy(),), (v,))
    assert t == pytest.approx(_fd_grad(f, X6) @ v, rel=1e-6, abs=1e-8)


def test_row_of_a_reduction_updated_in_place_still_refused() -> None:
    def f(x):
        T = np.stack([np.outer(x[:3], x[3:]), np.outer(x[3:], x[:3])])
        M = np.var(T, axis=0)
        row = M[1]  # a view of M's row: ``row += 1.0`` changes M
        row += 1.0
        return np.sum(M**2) + np.sum(row)

    with pytest.raises(srcad.SrcadError, match="read after"):
        srcad.grad(f)(X6.copy())


# -- an unused read past the end of a repeated list raises as Python's (passes/raising.py) ------
# ``t = [x[0]] * 2; t[2]`` (and ``t *= 2``): the length of ``mul(list, 2)`` was unknown, so the
# unused out-of-range read was dropped and srcad answered where Python raises IndexError.


def repeated_read_past_end(x):
    t = [x[0]] * 2
    t[2]
    return x[0] * 2.0


def repeated_in_place_read_past_end(x):
    t = [x[0]]
    t += [x[1]]
    t *= 2
    t[4]
    return x[0]


def repeated_left_read_past_end(x):
    t = 3 * [x[0], x[1]]
    t[-7]
    return x[1]


@pytest.mark.parametrize(
    "f",
    [repeated_read_past_end, repeated_in_place_read_past_end, repeated_left_read_past_end],
    ids=lambda f: f.__name__,
)
def test_unused_read_past_a_repeat_raises(f) -> None:
    with pytest.raises(IndexError):
        f(X3.copy())
    with pytest.raises(IndexError):
        srcad.primal(f)(X3.copy())
    with pytest.raises(IndexError):
        srcad.grad(f)(X3.copy())
    with pytest.raises(IndexError):
        srcad.jvp(f, (X3.copy(),), (np.ones(3),))


def test_unused_read_inside_a_repeat_still_differentiated() -> None:
    def f(x):
        t = [x[0], x[1]] * 2
        t[3]
        t = t * -1  # (empty)
        return x[0] * x[2] + len(t)

    np.testing.assert_allclose(srcad.grad(f)(X3.copy()), [0.7, 0.0, 0.3])
