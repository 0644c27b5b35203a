"""Ported cases: Tangent's tests (scalars, branches, loops, calls, subscripts).

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported import M23, P5, T234, V3, V5, R
from .ported_tangent1 import _mul


def tg_rnn(inputs, W):
    h = np.zeros((4, 3))
    for t in range(3):
        h[t + 1] = np.dot(inputs[t], W) + h[t]
    return np.sum(h[1:])


def tg_augassign(a):
    x = a * a
    x *= x
    return x


def tg_bilinear(x, h, U, W, b):
    y = np.dot(x, W)
    y = y + np.dot(h, U)
    y = y + b
    y = np.tanh(y)
    return np.sum(y)


def tg_pow(a, b):
    a = a**b
    return a


def tg_mult_chain(a):
    b = a
    b = a * a
    c = b * b
    d = c * c
    return d


def tg_mult_call_chain(a):
    b = _mul(a, a)
    c = _mul(b, b)
    return _mul(c, c)


def tg_nested_dict(p):
    return p["i"]["j"] * p["i"]["k"]


def tg_strided_newaxis(x):
    return np.sum(x[::2, np.newaxis] * x[None, 1::2])


def tg_overwrite_sum(x):
    x = np.sum(x)
    x = x * x
    return x


def tg_cast_sum(x):
    return np.sum(np.array(x))


def tg_expand_squeeze(t):
    return np.squeeze(np.expand_dims(t, 0), 0) * np.expand_dims(t, 1).sum()


def tg_reshape_noop(t):
    return np.reshape(np.reshape(t, (-1,)), t.shape) * t


def tg_reduce_max(t):
    return np.max(t) + np.max(t, axis=(0, 1)).sum() + np.max(t, axis=1, keepdims=True).sum()


def tg_squared_difference(a, b):
    return np.sum((a - b) ** 2) + np.sum(np.maximum(a, b))


def tg_matmul_transposes(a, b):
    return a.T @ b + (a @ b.T).sum()


def tg_batched_matmul(a, b):
    return np.matmul(a, np.swapaxes(b, -1, -2))


CASES: list[Case] = [
    Case(tg_rnn, (R.standard_normal((3, 2)), R.standard_normal((2, 3))), (0, 1)),
    Case(tg_augassign, (0.7,), (0,)),
    Case(
        tg_bilinear,
        (
            V3,
            V3[:2].copy(),
            R.standard_normal((2, 4)),
            R.standard_normal((3, 4)),
            R.standard_normal(4),
        ),
        (0, 1, 2, 3, 4),
    ),
    Case(tg_pow, (1.3, 2.4), (0, 1)),
    Case(tg_mult_chain, (1.1,), (0,)),
    Case(tg_mult_call_chain, (1.1,), (0,)),
    Case(tg_nested_dict, ({"i": {"j": 0.7, "k": -1.3}},), (0,)),
    Case(tg_strided_newaxis, (V5[:4].copy(),), (0,)),
    Case(tg_overwrite_sum, (V5,), (0,)),
    Case(tg_cast_sum, (V5,), (0,)),
    Case(tg_expand_squeeze, (V3,), (0,)),
    Case(tg_reshape_noop, (M23,), (0,)),
    Case(tg_reduce_max, (T234,), (0,)),
    Case(tg_squared_difference, (V5, P5), (0, 1)),
    Case(tg_matmul_transposes, (M23, R.standard_normal((2, 3))), (0, 1)),
    Case(tg_batched_matmul, (T234, R.standard_normal((2, 5, 4))), (0, 1)),
]
