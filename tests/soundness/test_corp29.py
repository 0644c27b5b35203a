"""Programs the corp29 corpus (ported_corp29_*) reached (session 29).

1. min-char-rnn's ``for dparam in [dWxh, dWhh, dWhy, dbh, dby]: np.clip(dparam, -5, 5,
   out=dparam)`` (and its Adagrad step ``for param, dparam, mem in zip([...], [...], [...]):
   mem += dparam * dparam; param += ...``) was refused: the loop's item shares its object with
   the name in the display, and the write through it was taken for a write srcad would lose.
   Such loops over displays are unrolled with the item read as the name (lower/loopnames.py);
   ``op=`` on an item that is a number still rebinds only the loop variable.
2. QuantEcon's McCall model iterates ``v_next[j] = max(...)`` then ``v[:] = v_next``: refused
   ("`v` is read after the object it shares with another name is modified"), as if the slice
   store made `v` hold `v_next`. An array copies, a list takes the elements: the mutation check
   now adds the value's elements for a slice store into arrays or lists made in the function
   (passes/alias_index.stored), so only a list really holding a changed object is refused.
3. micrograd's ``Neuron.__call__``: ``act = sum((wi * xi for wi, xi in zip(self.w, x)),
   self.b)`` over scalar objects built here gave a run-time value, and ``act.tanh()`` was
   refused ("no derivative rule for `.tanh()`"). The generator is now lowered as its loop, each
   ``+`` the class's (lower/objsum.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([[0.5, -1.2, 0.3], [0.8, 0.4, -0.6]])


def clip_each(W):
    dW, db = np.sin(3.0 * W) * 4.0, np.cos(W[0]) * 7.0
    for dparam in [dW, db]:
        np.clip(dparam, -2.5, 2.5, out=dparam)
    return np.sum(dW**2) + np.sum(db * W[1])


def adagrad_steps(W, b):
    W, b = W.copy(), b.copy()
    mW, mb = np.zeros_like(W), np.zeros_like(b)
    for _ in range(3):
        dW, db = np.tanh(W) * 0.5, b**2
        for param, dparam, mem in zip([W, b], [dW, db], [mW, mb]):
            mem += dparam * dparam
            param += -0.1 * dparam / np.sqrt(mem + 1e-8)
    return np.sum(W * W[::-1]) + np.sum(b * mb)


def write_each(x):
    a, c = np.sin(x), np.cos(x)
    for d in (a, c, a):
        d[1:] *= x[:-1]
        np.multiply(d, 2.0, out=d)
    return np.sum(a * c)


def numbers_rebound(x):
    """``d += 1.0`` of a float rebinds `d`: `a` and `b` keep their values."""
    a, b = float(np.sum(x)), float(x[0, 0])
    for d in [a, b]:
        d += 1.0
    return a * b


@pytest.mark.parametrize("f", [clip_each, write_each, numbers_rebound])
def test_loop_over_names_writing_items(f):
    assert np.allclose(srcad.primal(f)(X.copy()), f(X.copy()))
    check_grads(f, (X,), modes=("fwd", "rev"))


def test_adagrad_over_zipped_displays():
    b = np.array([0.3, -0.2, 0.9])
    assert np.allclose(srcad.primal(adagrad_steps)(X, b), adagrad_steps(X, b))
    check_grads(adagrad_steps, (X, b), modes=("fwd", "rev"))


def rebinds_item(x):
    a, c = np.sin(x), np.cos(x)
    for d in [a, c]:
        d = d * 2.0  # a new value: `a` and `c` unchanged
        d[0, 0] = 3.0
    return np.sum(a * c)


def test_rebinding_the_item_is_not_a_write():
    assert np.allclose(srcad.primal(rebinds_item)(X), rebinds_item(X))
    check_grads(rebinds_item, (X,), modes=("fwd", "rev"))


W = np.linspace(10.0, 20.0, 4)
Q = np.array([0.1, 0.4, 0.3, 0.2])


def mccall(c, beta):
    v = W / (1 - beta)
    v_next = np.empty_like(v)
    for _ in range(20):
        for j in range(len(W)):
            v_next[j] = max(W[j] / (1 - beta), c + beta * np.sum(v * Q))
        v[:] = v_next
    return (1 - beta) * (c + beta * np.sum(v * Q))


def slice_store_then_write(c, beta):
    v = W * c
    v_next = np.zeros(4)
    v_next[0] = beta
    v[:] = v_next
    v_next[1] = 2.0  # `v` holds a copy: unchanged
    return np.sum(v * W) + np.sum(v_next) * c


@pytest.mark.parametrize("f", [mccall, slice_store_then_write])
def test_slice_store_copies(f):
    assert np.isclose(srcad.primal(f)(5.0, 0.9), f(5.0, 0.9))
    check_grads(f, (5.0, 0.9), modes=("fwd", "rev"))


def list_takes_elements(x):
    a = np.sin(x)
    out = [x, x]
    out[:] = [a, x]
    a[0] = 5.0  # `out[0]` is `a`: Python sees the change
    return np.sum(out[0])


def test_slice_store_into_a_list_still_refused():
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(list_takes_elements)(np.array([0.3, 1.2, -0.7]))


class Sc:
    def __init__(self, data):
        self.data = data

    def __add__(self, other):
        other = other if isinstance(other, Sc) else Sc(other)
        return Sc(self.data + other.data)

    def __radd__(self, other):
        return self + other

    def __mul__(self, other):
        other = other if isinstance(other, Sc) else Sc(other)
        return Sc(self.data * other.data)

    def tanh(self):
        return Sc(math.tanh(self.data))


def neuron(a, b):
    x = [Sc(a), Sc(b)]
    w = [Sc(0.5), Sc(-0.3)]
    act = sum((wi * xi for wi, xi in zip(w, x)), Sc(0.1))
    return act.tanh().data


def filtered_default_start(a, b):
    xi = 2.0  # the generator's own `xi` leaves this one alone
    x = [Sc(a), Sc(b), Sc(a * b)]
    act = sum(xi * 3.0 for xi in x if True)
    return act.tanh().data * xi


@pytest.mark.parametrize("f", [neuron, filtered_default_start])
def test_sum_of_a_generator_over_objects(f):
    assert np.isclose(srcad.primal(f)(0.6, -1.1), f(0.6, -1.1))
    check_grads(f, (0.6, -1.1), modes=("fwd", "rev"))
