"""Programs srcad used to refuse, session 22 (`refuse22`): NumPy's in-place writers users call.

- ``A.flat[k] = v``, ``A.flat[k] += v`` and reads ``A.flat[k]`` (lower/flatiter.py: ``np.put``
  on a copy, ``np.take``): integer, list, slice and mask indexes, values repeated over the
  positions as NumPy's;
- ``np.multiply.at``, ``np.divide.at``, ``np.maximum.at``, ``np.minimum.at`` with repeated
  positions (lower/ufunc_at.py);
- ``v += w`` on an object built here whose class has ``__add__`` but no ``__iadd__``: Python's
  ``v = v + w`` (lower/objstate.inplace_call), a new object, the old one unchanged;
- ``getattr(np, "name", default)`` decided when lowering (lower/getattrs.py);
- ``np.place(y, mask, vals)``, ``y.put(ind, v)``, ``y.partition(k)`` on a local array, and
  ``np.put`` / ``np.putmask`` / ``np.place`` inside loops (lower/inplace_np.py).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse22.py."""

from __future__ import annotations

import numpy as np

from . import Case

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


def flat_scatter_rows(x):
    A = np.zeros((3, 4))
    A.flat[[1, 5, 10]] = x[:3] ** 2
    A.flat[::5] += x[3:6] * x[0]
    return np.sum(A**2) + A.flat[10] * x[1]


def flat_running_sum(x):
    acc = np.zeros(6)
    for i in range(6):
        acc.flat[i] = acc.flat[i - 1] + x[i] * x[(i + 1) % 6]
    return np.sum(np.sin(acc))


def flat_masked_fill(x):
    A = np.outer(x[:3], x[3:])
    A.flat[A.ravel() > 0.0] = x[:2]  # cyclic over the positive entries
    return np.sum(A**2)


def place_thresholded(x):
    y = x * 1.0
    np.place(y, np.abs(y) > 0.7, x[:2] * x[5])
    return np.sum(y**3)


def put_method_histogram(x):
    h = np.zeros(4)
    for i in range(6):
        h.put(i % 4, h[i % 4] + x[i] ** 2)
    return np.sum(h * np.arange(1.0, 5.0))


def partition_median_low(x):
    y = x * 1.5
    y.partition(2)
    return y[2] * np.sum(y[:2])


def putmask_iterated(x):
    y = x.copy()
    for _ in range(3):
        np.putmask(y, y > 0.6, y * 0.5 + x[0])
    return np.sum(y**2)


def segment_products(x):
    out = np.ones(3)
    np.multiply.at(out, [0, 1, 0, 2, 1, 0], x * 0.5 + 1.0)
    return np.sum(np.log(out**2))


def scatter_max_pool(x):
    pooled = np.full(3, -np.inf)
    np.maximum.at(pooled, [0, 0, 1, 1, 2, 2], x * np.array([1.0, -1.0, 0.5, 2.0, -1.5, 1.0]))
    return np.sum(pooled**2)


def scatter_min_rows(x):
    A = np.outer(x[:3], x[3:]) + 0.1
    np.minimum.at(A, [2, 0, 2], x[:3] * 0.4)
    return np.sum(A * A[::-1])


def repeated_division(x):
    out = np.outer(x[:2], x[2:4]).ravel() + 2.0
    np.divide.at(out, [1, 1, 3], x[3:] ** 2 + 1.0)
    return np.sum(out**2)


class Money:
    """A value class with ``__add__`` / ``__mul__`` only: ``m += o`` rebinds `m`."""

    def __init__(self, amount):
        self.amount = amount

    def __add__(self, other):
        return Money(self.amount + other.amount)

    def __mul__(self, c):
        return Money(self.amount * c)


def value_class_augmented(x):
    total = Money(x[:3])
    start = total
    total += Money(x[3:] ** 2)
    total *= x[0]
    return np.sum(total.amount * start.amount)


def optional_numpy_function(x):
    logsum = getattr(np, "no_such_logsumexp", None)  # a name this NumPy lacks: the default
    soft = getattr(np, "tanh", np.sin)
    return np.sum(soft(x) ** 2) + (0.0 if logsum is None else logsum(x))


CASES = [
    Case(f, (X6.copy(),), (0,), extra="hvp")
    for f in (
        flat_scatter_rows,
        flat_running_sum,
        flat_masked_fill,
        place_thresholded,
        put_method_histogram,
        partition_median_low,
        putmask_iterated,
        segment_products,
        scatter_max_pool,
        scatter_min_rows,
        repeated_division,
        value_class_augmented,
        optional_numpy_function,
    )
]
