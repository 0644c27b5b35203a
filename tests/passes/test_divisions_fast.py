"""`passes/divisions.risky_divisions` answers from the divisions' operands' definitions alone
(`_by_definitions`) exactly as the propagation through the whole function (`_propagated`) does,
and leaves to it the divisions whose operands depend on control flow.

Every call in a table of transforms (the transform benchmark's simulation, programs with risky
and safe divisions, divisions by ``if`` results and loop carries, deep chains) is checked
against the propagation; the table has answers of both kinds, risky divisions among them."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

import srcad
from srcad.passes import divisions

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_core  # noqa: E402


def py_by_py(x, y):
    return x / y  # both Python numbers: the primal raises first


def arr_by_py(x, y):
    return np.sum(x / y)  # risky: the cotangent of a Python y


def arr_by_zero(x):
    return np.sum(x / 0.0)


def by_const(x):
    return np.sum(x / 2.0)


def by_numpy(x):
    return np.sum(x / np.sum(x * x))


def by_math(x, s):
    return np.sum(x / math.sqrt(s + 1.0))


def by_item(x, y):
    d = y[0] + 1.0  # an item of an array of unknown rank: not known to be NumPy's
    return np.sum(x / d)


def by_if(x, s):
    d = s if s > 0.0 else 1.0
    return np.sum(x / d)


def by_carry(x, s):
    d = s
    for _ in range(3):
        d = d * 0.5
        x = x / d
    return np.sum(x)


def by_index(x):
    t = 0.0
    for i in range(1, 4):
        t = t + np.sum(x) / i
    return t


# fmt: off
def deep_chain(x, s):
    d = (
        s + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5
        + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5
        + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5
        + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5
        + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5
        + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5
        + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5 + 1.5
    )
    return np.sum(x / d)  # a chain of definitions deeper than `_DEPTH`
# fmt: on


def long_chain(x, s):
    d = s + 1.0
    e = d * 2.0 + d
    f = e - d * 0.5
    g = f * f + e * d
    h = g / (f + 1.0)
    return np.sum(x / h) + np.sum(x) / (h * g)


A, S = np.ones(3), 2.0
CASES = [
    (py_by_py, (S, 3.0)),
    (py_by_py, None),
    (arr_by_py, (A, S)),
    (arr_by_py, None),
    (arr_by_zero, (A,)),
    (by_const, (A,)),
    (by_numpy, (A,)),
    (by_math, (A, S)),
    (by_item, (A, A)),
    (by_if, (A, S)),
    (by_carry, (A, S)),
    (by_index, (A,)),
    (deep_chain, (A, S)),
    (long_chain, (A, S)),
    (long_chain, None),
]


@pytest.fixture
def calls(monkeypatch):
    """Each `_by_definitions` answer, with the propagation's."""
    got: list = []
    fast = divisions._by_definitions

    def both(fn, divs, py_seeds, ndims):
        out = fast(fn, divs, py_seeds, ndims)
        got.append((out, divisions._propagated(fn, divs, py_seeds, ndims)))
        return out

    monkeypatch.setattr(divisions, "_by_definitions", both)
    monkeypatch.setenv("SRCAD_NO_DISK_CACHE", "1")
    return got


def test_same_as_propagation(calls):
    """Every answer is the propagation's; the shortcut answers most cases (risky divisions
    found among them) and leaves the others (`by_if`, `by_carry`, `by_index`, `deep_chain`)."""
    for f, args in CASES:
        n = len(calls)
        srcad.source(f, mode="grad", **({} if args is None else {"args": args}))
        assert len(calls) > n, f.__name__
        for fast, slow in calls[n:]:
            assert fast is None or fast == slow, f.__name__
    answered = [fast for fast, _ in calls if fast is not None]
    assert any(answered) and set() in answered
    assert any(fast is None for fast, _ in calls)


def test_bench_core(calls):
    srcad.source(bench_core.fresh(7), mode="grad")
    args = (np.ones(5), np.zeros(4), np.zeros(4), np.ones((10, 4)), 0.1)
    srcad.source(bench_core.fresh(8), mode="grad", args=args)
    assert calls and all(fast is None or fast == slow for fast, slow in calls)
