"""Soundness hunt 17h: wrong second derivatives found by probes written like users' code.

- WRONG derivative (nan), reverse over reverse: ``grad(lambda z: grad(f)(z) @ v)`` of an ``f``
  guarding a singular op with ``np.where`` (or ``np.nan_to_num``) inside a loop, a branch or a
  comprehension. The gradient's reverse sweep reads the guarded value through the loop's tape
  (``tape.append((.., c, u))``, ``saved = tape[k]``) or an ``if``'s results, where its mask's
  condition is another tape element or result: the masks stopped there, so the second reverse
  sweep multiplied a zero cotangent by ``0.5 / sqrt(-x)`` (ad/maskcarry.py carries them across).
  ``hvp`` (forward over reverse) was right.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad

X4 = np.array([0.5, -0.3, 1.2, -0.8])
V4 = np.array([0.7, -1.3, 0.4, 1.1])


def _grad_dot(f, v):
    def g(z):
        return np.sum(srcad.grad(f)(z) * v)

    return g


# -- a np.where guard inside a loop / branch, reverse over reverse ---------------------------------
def _loop_cond(x):
    tot = 0.0
    for k in range(3):
        tot += np.sum(np.where(x > 0.1 * k, np.sqrt(x), 0.0))
    return tot


def _loop_pre(x):
    c = x > 0
    tot = 0.0
    for k in range(3):
        tot += np.sum(np.where(c, np.sqrt(x) * k, 0.0))
    return tot


def _while_log(x):
    tot = 0.0
    k = 0
    while k < 3:
        tot += np.sum(np.where(x > 0.1 * k, np.log(x) ** 2, 0.0))
        k += 1
    return tot


def _loop_nan_to_num(x):
    tot = 0.0
    for k in range(3):
        tot = tot + np.sum(np.nan_to_num(np.sqrt(x) * k, posinf=0.0))
    return tot


def _nested_loops(x):
    tot = 0.0
    for i in range(2):
        for k in range(2):
            tot += np.sum(np.where(x > 0.1 * k, np.sqrt(x + i), 0.0))
    return tot


def _loop_moved(x):
    tot = 0.0
    for k in range(3):
        y = np.sqrt(x * (1 + 0.1 * k)).reshape(2, 2)
        tot += np.sum(np.where(x.reshape(2, 2) > 0, y, 0.0) * k)
    return tot


def _while_moved(x):
    tot = 0.0
    k = 0
    while k < 2:
        tot += np.sum(np.nan_to_num(np.sqrt(x)[::-1]) * (k + 1))
        k += 1
    return tot


def _branch(x):
    if np.sum(x) > 0:
        r = np.sum(np.where(x > 0, np.sqrt(x), 0.0))
    else:
        r = np.sum(x)
    return r


def _branch_moved(x, flag=True):
    if flag:
        y = np.sqrt(x).reshape(2, 2).T
        r = np.sum(np.where(x.reshape(2, 2).T > 0, y, 0.0))
    else:
        r = np.sum(x)
    return r


def _comprehension(x):
    return sum(np.sum(np.where(x[[i]] > 0, np.sqrt(x)[[i]], 0.0)) for i in range(4))


def _loop_in_branch(x):
    tot = 0.0
    if x[0] > 0:
        for k in range(3):
            tot = tot + np.sum(np.where(x > 0.1 * k, np.sqrt(x), 0.0))
    return tot


def _branch_in_loop(x):
    tot = 0.0
    for k in range(4):
        if k % 2 == 0:
            tot = tot + np.sum(np.where(x > 0, np.sqrt(x), 0.0))
        else:
            tot = tot + np.sum(np.where(x > 0.4, np.log(x), 0.0))
    return tot


def _while_break(x):
    tot, k = 0.0, 0
    while True:
        tot = tot + np.sum(np.where(x > 0, np.sqrt(x), 0.0)) * (k + 1)
        k += 1
        if k >= 3:
            break
    return tot


def _ternary_nan_to_num(x):
    tot = 0.0
    for k in range(3):
        v = np.nan_to_num(np.sqrt(x - 0.4)) if k < 2 else np.sqrt(x + 1.0)
        tot = tot + np.sum(v**2 * x)
    return tot


def _branch_nan_to_num(x):
    v = np.nan_to_num(np.sqrt(x - 0.4)) if x[0] > 0 else np.sqrt(x + 1.0)
    return np.sum(v**2 * x)


GUARDED = [_loop_cond, _loop_pre, _while_log, _loop_nan_to_num, _nested_loops, _loop_moved,
           _while_moved, _branch, _branch_moved, _comprehension, _loop_in_branch,
           _branch_in_loop, _while_break, _ternary_nan_to_num, _branch_nan_to_num]  # fmt: skip


@pytest.mark.parametrize("f", GUARDED)
def test_grad_of_grad_through_a_guard_in_a_loop_or_branch(f) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        gg = srcad.grad(_grad_dot(f, V4))(X4)
        _, hv = srcad.hvp(f, (X4,), (V4,))
        h = 1e-6  # and hvp against central differences of the (checked) gradient
        gf = srcad.grad(f)
        fd = (gf(X4 + h * V4) - gf(X4 - h * V4)) / (2 * h)
    assert np.all(np.isfinite(gg)), gg
    np.testing.assert_allclose(gg, hv, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-6)


def test_grad_of_grad_branch_not_taken() -> None:
    """The mask recomputed outside a branch reads np.isfinite of the branch's result, a None
    placeholder when the other branch ran: no error, and the other branch's derivative."""
    x = np.array([-0.5, 0.3, 1.2, 0.8])
    gg = srcad.grad(_grad_dot(_branch_nan_to_num, V4))(x)
    _, hv = srcad.hvp(_branch_nan_to_num, (x,), (V4,))
    np.testing.assert_allclose(gg, hv, rtol=1e-10, atol=1e-12)


# -- concatenate / stack of a differentiated array and constants, reverse over reverse -----------
X3 = np.array([0.5, 0.3, -0.2])
V3 = np.array([1.0, -2.0, 0.5])


def _concat_const(p):
    return np.sum(np.concatenate([np.exp(p), [0.0]]) ** 2 * np.arange(4.0))


def _stack_const(p):
    return np.sum(np.stack([np.exp(p), np.ones(3)], axis=1) ** 3)


def _hstack_const(p):
    return np.sum(np.hstack([np.sin(p), np.zeros(2), p[:1]]) ** 2 * np.arange(6.0))


def _vstack_const(p):
    q = np.vstack([p**2, np.ones(3)])
    return np.sum(q @ q.T)


def _column_stack_const(p):
    return np.sum(np.tanh(np.column_stack([p, np.ones(3)])) ** 2)


def _padded_entropy(p):
    q = np.exp(p) / np.sum(np.exp(p))
    q = np.concatenate([q, [0.0]])
    return -np.sum(np.where(q > 0, q * np.log(q), 0.0))


@pytest.mark.parametrize(
    "f",
    [_concat_const, _stack_const, _hstack_const, _vstack_const, _column_stack_const,
     _padded_entropy],
)  # fmt: skip
def test_grad_of_grad_of_a_concatenation_with_constants(f) -> None:
    """The transpose of concatenate_vjp (stack_vjp, stack_family_vjp) got the pieces' cotangent
    with a symbolic zero (None) for the constant pieces: np.concatenate raised (a crash)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        gg = srcad.grad(_grad_dot(f, V3))(X3)
        _, hv = srcad.hvp(f, (X3,), (V3,))
        h = np.asarray(srcad.jacrev(srcad.grad(f))(X3))
    np.testing.assert_allclose(gg, hv, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h @ V3, hv, rtol=1e-10, atol=1e-12)


# -- np.array / np.block of lists holding constants, reverse over reverse ------------------------
def _array_of_list(p):
    return np.sum(np.array([p[0] ** 2, 1.0, p[1] * p[2]]) ** 3)


def _array_of_rows(p):
    return np.sum(np.tanh(np.array([p**2, np.array([1.0, 0.0, 2.0])])) ** 2)


def _polyval_list(p):
    v = [p[0], 2.0, p[1] ** 2]
    return np.polyval(v, p[2]) ** 2 + np.sum(np.array(v) ** 2)


def _array_of_tuple(p):
    t = (p[0], 3.0, p[1])
    return sum(x**3 for x in t) + np.prod(np.array(t)) ** 2


def _tile_of_list(p):
    return np.sum(np.tile(np.array([p[0], 1.0]), 2) ** 3)


def _where_of_list(p):
    return np.sum(np.where(p > 0, np.array([1.0, p[0], 2.0]), p) ** 2)


def _block_with_constants(p):
    b = np.block([[np.diag(p), np.ones((3, 1))], [np.zeros((1, 3)), np.eye(1)]])
    return np.sum(b @ b) + np.linalg.det(b + 2 * np.eye(4))


@pytest.mark.parametrize(
    "f",
    [_array_of_list, _array_of_rows, _polyval_list, _array_of_tuple, _tile_of_list,
     _where_of_list, _block_with_constants],
)  # fmt: skip
def test_grad_of_grad_of_an_array_built_from_constants(f) -> None:
    """The transposes of array_vjp and block_vjp got a list cotangent with symbolic zeros (None)
    for the constant items: np.asarray made an object array (a TypeError later), block_t
    iterated a None row."""
    gg = srcad.grad(_grad_dot(f, V3))(X3)
    _, hv = srcad.hvp(f, (X3,), (V3,))
    h = np.asarray(srcad.jacrev(srcad.grad(f))(X3))
    np.testing.assert_allclose(gg, hv, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h @ V3, hv, rtol=1e-10, atol=1e-12)
