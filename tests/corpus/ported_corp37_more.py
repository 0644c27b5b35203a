"""Ported cases (session 37, corp37_more): autograd test_numpy / test_systems-style checks and
Python control flow written as users do: overlapping shifted writes, chained views of a copy,
an `lru_cache`d Legendre recursion, a memo dict in a closure, `while`/`else`, `try`/`except`
in a loop, a generator with state, a nested helper appending to the enclosing list, negative-
step slice writes, products through an exact zero, matrix norms of every order, `std`/`var`
with `ddof` and axis tuples, a windowed FFT power ratio, `np.unwrap` of phases, and items of a
1-D argument read at literal positions then updated with ``op=``.

Float parameters -> float scalars."""

from __future__ import annotations

import functools
import math

import numpy as np

from . import Case

X5 = np.array([0.3, -0.2, 0.9, 1.4, -0.6])
X6 = np.array([0.3, -0.2, 0.9, 1.4, -0.6, 0.1])
M23 = np.array([[0.5, 0.2, 1.5], [2.0, -1.0, 0.3]])


def overlap_shift(x):
    y = x.copy()
    y[1:] = y[:-1] * 2.0
    y[1:] += y[:-1]
    return np.sum(y * np.arange(1.0, 6.0))


def view_chain(x):
    y = x.copy()
    v = y[1:]
    v *= 2.0
    w = v[::-1]
    w[0] = y[0] * 3.0
    return np.sum(y**2)


@functools.cache
def _legendre(n, t):
    if n == 0:
        return 1.0
    if n == 1:
        return t
    return ((2 * n - 1) * t * _legendre(n - 1, t) - (n - 1) * _legendre(n - 2, t)) / n


def legendre_cached(t):
    return sum(_legendre(k, t) for k in range(5))


def memo_closure(t):
    memo = {}

    def p(n):
        if n in memo:
            return memo[n]
        v = (
            1.0
            if n == 0
            else t
            if n == 1
            else ((2 * n - 1) * t * p(n - 1) - (n - 1) * p(n - 2)) / n
        )
        memo[n] = v
        return v

    return p(5) + p(3)


def while_else(x):
    k, s = 0, x
    while s < 10.0:
        s = s * 1.5 + 0.1
        k += 1
        if k > 50:
            break
    else:
        s = s - 1.0
    return s * k


def try_in_loop(xs):
    tot = 0.0
    for v in xs:
        try:
            tot += math.log(v)
        except ValueError:
            tot += v * v
    return tot


def stateful_generator(x):
    def ema(vals, a):
        m = vals[0]
        for v in vals:
            m = a * m + (1 - a) * v
            yield m

    return sum(m * m for m in ema([x, 2 * x, x * x, 1.0], 0.3))


def enclosing_list(x):
    hist = []

    def step(v):
        hist.append(v * v)
        return v + 1.0

    y = x
    for _ in range(3):
        y = step(y)
    return sum(hist) + y


def negative_step_writes(x):
    y = np.zeros(6)
    y[::-2] = x[:3]
    y[-2::-2] = x[3:] ** 2
    return np.sum(y * np.arange(6.0))


def products_through_zero(x):
    return np.prod(x) + np.sum(np.cumprod(x)) + math.prod(list(x)) + np.prod(x[:2] + 1.0)


def all_norms(X):
    return (
        np.linalg.norm(X, "fro")
        + np.linalg.norm(X, "nuc")
        + np.linalg.norm(X, 2)
        + np.linalg.norm(X, np.inf)
        + np.linalg.norm(X, -np.inf)
        + np.linalg.norm(X, 1)
        + np.sum(np.linalg.norm(X, axis=0, ord=3))
    )


def spreads(X):
    return np.sum(np.std(X, axis=0, ddof=1)) + np.var(X, axis=(0, 1)) + np.std(X[0], ddof=0)


def fft_power_ratio(x):
    F = np.fft.rfft(x * np.hanning(len(x)))
    p = np.abs(F) ** 2
    return np.sum(p[1:3]) / np.sum(p) + np.angle(F[1])


def unwrapped_phase(x):
    ang = np.unwrap(np.angle(np.exp(1j * np.cumsum(x))))
    return np.sum(ang * np.arange(len(x)))


def literal_positions(x):
    b = x * 1.0
    y = [b[p] for p in (2, 0, 1)]
    for p in (0, 2):
        v = b[p]
        v *= 3.0
        y[p] -= v
    return y[0] * y[1] + y[2] + v


CASES = [
    Case(overlap_shift, (X5,), (0,)),
    Case(view_chain, (X5,), (0,)),
    Case(legendre_cached, (0.37,), (0,), extra="hvp"),
    Case(memo_closure, (0.37,), (0,), extra="hvp"),
    Case(while_else, (0.37,), (0,)),
    Case(try_in_loop, ([0.5, -0.3, 1.7],), (0,)),
    Case(stateful_generator, (0.8,), (0,), extra="hvp"),
    Case(enclosing_list, (0.8,), (0,)),
    Case(negative_step_writes, (X6,), (0,)),
    Case(products_through_zero, (np.array([0.5, 0.0, 1.5, -2.0]),), (0,), jitter=0.0),
    Case(all_norms, (M23,), (0,)),
    Case(spreads, (M23,), (0,), extra="hvp"),
    Case(fft_power_ratio, (np.array([0.3, -0.2, 0.9, 1.4, -0.6, 0.1, 0.5]),), (0,)),
    Case(unwrapped_phase, (np.array([1.3, 2.2, 1.9, 2.5]),), (0,)),
    Case(literal_positions, (np.array([0.3, -0.2, 0.9]),), (0,), extra="hvp"),
]
