"""Soundness hunt 11: what the idioms random programs (tests/fuzz/gen_idioms.py: control flow and
NumPy idioms of users' code) found.

- Crash: a `collections.defaultdict` updated in a loop (``acc[i % 2] += e``) whose entries do not
  reach the output: the reverse sweep starts from the zero cotangent of a defaultdict (a
  defaultdict, rules/trees.zeros_like), which `setitem_vjp_x` took for an array ("'float' object
  is not iterable"); dict subclasses are now plain dicts there, as the other cotangents of dicts.
- Wrong primal and derivative, or a hang: a `while` condition that rebinds a name
  (``while (k := k + 1) < n``, ``while xs and xs.pop() > c``): the loop's condition block cannot
  rebind, so `k` stayed 0 (``while True`` with ``x * 0``: a hang, or with a `break` in the body
  the value and gradient of k = 0: 0.0 for -0.15). Such a loop is now ``while True: if not
  <test>: break; <body>`` (lower/stmts.py); ``while (m := max(t)) > c`` and the `.pop()` test,
  refused before, now work.
"""

from __future__ import annotations

import collections
import contextlib
import signal

import numpy as np
import pytest

import srcad

X = np.array([-1.1276, -1.4719, 0.3])


def _defaultdict_unused(x):
    acc = collections.defaultdict(float)
    for i, e in enumerate(x):
        acc[i % 2] += np.cos(e) * e
    return np.sin(e)


def _defaultdict_used(x):
    acc = collections.defaultdict(float)
    for i, e in enumerate(x):
        acc[i % 2] += np.cos(e) * e
    return np.sin(e) + acc[0] - 2.0 * acc[1]


def test_defaultdict_accumulator_gradient() -> None:
    for f in (_defaultdict_unused, _defaultdict_used):
        g = srcad.grad(f)(X)
        _, t = srcad.jvp(f, (X,), (np.ones(3),))
        np.testing.assert_allclose(np.sum(g), t, rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(_defaultdict_unused)(X), [0.0, 0.0, np.cos(0.3)])


def _w_counter(x):
    k = 0
    t = x * 1.0
    while (k := k + 1) < 3:
        t = np.sin(t) + x * k
    return np.sum(t) + k


def _w_break(x):
    k = 0
    t = x * 1.0
    while (k := k + 1) < 10:
        t = t * 0.5
        if np.sum(t * t) < 0.01:
            break
    return np.sum(t) * k


def _w_else(x):
    k = 0
    t = x * 1.0
    while (k := k + 1) < 4:
        t = np.tanh(t) * 1.5
        if np.sum(t) > 50.0:
            break
    else:
        t = t * k
    return np.sum(t)


def _w_continue(x):
    k = 0
    s = 0.0
    while (k := k + 1) < 5:
        if k % 2 == 0:
            continue
        s = s + np.sum(x**k)
    return s


def _w_value(x):
    s = 0.0
    t = x * 1.0
    while (m := float(np.max(t))) > 0.2:
        t = t * 0.6
        s = s + m
    return s * np.sum(t)


def _pop_test(x):
    xs = list(x)
    s = 0.0
    while xs and xs.pop() > -0.5:
        s = s + np.sum(x) * len(xs)
    return s


@contextlib.contextmanager
def _deadline(seconds: int):
    """A hang (the loop's counter never advancing) fails the test instead of stalling it."""

    def fail(*_):
        raise TimeoutError("srcad's loop did not end")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize(
    "f", [_w_counter, _w_break, _w_else, _w_continue, _w_value, _pop_test], ids=lambda f: f.__name__
)
def test_while_condition_that_rebinds(f) -> None:
    x = np.array([0.3, -0.9, 0.7])
    with _deadline(30):
        assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()), rel=1e-12)
        g = srcad.grad(f)(x.copy())
    h = 1e-6
    fd = [(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-7)
