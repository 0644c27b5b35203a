"""Ported cases (session 48, idiom48): ordinary Python refused before: ``scipy.signal.lfilter``
with an initial state, ``lfilter_zi`` and ``filtfilt``; a read-only ``np.nditer`` loop;
``functools.partial(functools.reduce, operator.add)``; ``operator.methodcaller`` in ``map``;
``itertools.starmap(pow, pairs)``; a ``@contextmanager`` that swallows an exception; a nested
recursive helper with a default accumulator; ``Counter.most_common`` of float weights.

Float64 arrays -> floats. Each checked forward, reverse and at second order."""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import operator

import numpy as np
from scipy import signal

from . import Case

X4 = np.array([0.4, 0.9, -0.5, 1.3])
SIG = np.array([0.3, 1.1, -0.4, 0.8, 1.5, -0.2, 0.6, 0.9, -0.7, 0.1, 0.4, 1.2])


def smoothed_energy(p):
    """A one-pole low-pass started at the steady state of the first sample, then zero-phase."""
    b, a = np.array([p[0], p[1]]), np.array([1.0, -0.5 * p[2]])
    zi = signal.lfilter_zi(b, a)
    y, zf = signal.lfilter(b, a, SIG, zi=zi * SIG[0])
    z = signal.filtfilt(b, a, SIG * p[3])
    return np.sum(y**2) + np.sum(z * SIG) + zf[0]


def streamed_blocks(x):
    """A signal filtered in two blocks, the state carried across (as streaming code does)."""
    b, a = [0.2, 0.3, 0.1], [1.0, -0.4, 0.2]
    sig = np.concatenate([x, x[::-1] * 0.5])
    y1, z = signal.lfilter(b, a, sig[:5], zi=np.zeros(2))
    y2, _ = signal.lfilter(b, a, sig[5:], zi=z)
    return np.sum(np.tanh(y1)) + np.sum(y2**2)


def nditer_moments(x):
    m = np.outer(x, x[::-1]) * 0.3
    s1, s2 = 0.0, 0.0
    for v in np.nditer(m):
        s1 += v
        s2 += v * v
    return s2 / m.size - (s1 / m.size) ** 2


def folded(x):
    total = functools.partial(functools.reduce, operator.add)
    rows = np.outer(x, x)
    return total([np.sin(x[0]), x[1] * x[2], x[3] ** 2]) + sum(
        map(operator.methodcaller("sum"), rows**2)
    )


def powered(x):
    pairs = [(abs(x[0]) + 0.5, 2), (x[1], 3), (abs(x[2]) + 0.2, 1.5)]
    return sum(itertools.starmap(pow, pairs))


@contextlib.contextmanager
def _tolerant():
    try:
        yield
    except FloatingPointError:
        pass


def guarded_update(x):
    s = np.sum(x**2)
    with _tolerant():
        t = s * 2.0
        if t > 3.0:
            raise FloatingPointError("step too large")
        s = t + np.sin(x[0])
    return s


def running_sum(x):
    n = len(x)

    def go(i, acc=0.0, w=1.0):
        return acc if i == n else go(i + 1, acc + w * np.sin(x[i]), w * 0.9)

    return go(0) ** 2


def top_words(x):
    c = collections.Counter()
    for w, v in zip(["to", "be", "or", "not", "to", "be"], np.concatenate([x, x[:2]])):
        c[w] += np.exp(v)
    top = c.most_common(2)
    return sum(v for _, v in top) / sum(c.values())


CASES = [
    Case(smoothed_energy, (np.array([0.4, 0.3, 0.9, 1.2]),), (0,), extra="hvp"),
    Case(streamed_blocks, (np.array([0.3, -0.7, 1.2, 0.5, 0.8]),), (0,), extra="hvp"),
    Case(nditer_moments, (X4,), (0,), extra="hvp"),
    Case(folded, (X4,), (0,), extra="hvp"),
    Case(powered, (X4,), (0,), extra="hvp"),
    Case(guarded_update, (X4,), (0,), extra="hvp"),
    Case(guarded_update, (X4 * 0.3,), (0,), extra="hvp"),
    Case(running_sum, (X4,), (0,), extra="hvp"),
    Case(top_words, (X4,), (0,), extra="hvp"),
]
