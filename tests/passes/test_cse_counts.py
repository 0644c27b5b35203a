"""The read counts CSE hands the pipeline (srcad/passes/cse.py `cse(fn, counts=...)`): counted in
the same pass over each op's operands that finds the merged ones read (a merged op's reads taken
back), they must be exactly what counting the kept ops afterwards gives, in the same order (the
order DCE and the in-place pass meet the entries in): `_reference` is that slow count.

A table of programs with merges (repeated operands, keyword operands, merges inside loops and
branches, constants in keys), the CSE unit cases, and the 100-line benchmark function, primal
and its gradient's IR.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from srcad.backend import driver
from srcad.backend.request import Mode, Request, Spec
from srcad.passes.cse import cse
from srcad.ssa.clone import clone_function
from srcad.ssa.core import Block, Function, Var, uses
from tests.passes import test_cse
from tests.passes.irtext import lower

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks"))
import bench_core  # noqa: E402


def _reference(block: Block, counts: dict[Var, int]) -> None:
    """The reads of `block`'s ops, in CSE's order: an op with blocks after its blocks, each
    block's yields last."""
    for op in block.ops:
        for b in op.blocks:
            _reference(b, counts)
        for a in [*op.args, *op.kwargs.values()]:
            if type(a) is Var:
                counts[a] = counts.get(a, 0) + 1
    for y in block.yields:
        if type(y) is Var:
            counts[y] = counts.get(y, 0) + 1


def squares_twice(x):
    a = x * x
    b = x * x  # merged: both reads of x taken back
    return a + b + x


def keywords(x):
    s = np.sum(x * 2.0, axis=0) + np.sum(x * 2.0, axis=0)
    return s * np.mean(x, axis=0, keepdims=True) + np.mean(x, axis=0, keepdims=True)


def in_loop(x, n):
    t = 0.0
    for i in range(n):
        t = t + np.sin(x[i]) * np.sin(x[i]) + x[i] * x[i]
    return t + np.sin(x[0]) + np.sin(x[0])


def in_branches(x, c):
    y = np.exp(x) + np.exp(x)
    if c > 0.0:
        z = np.exp(x) * 2.0 + np.exp(x) * 2.0
    else:
        z = np.exp(x) * 3.0
    w = np.exp(x) * 2.0
    return y + z + w


def after_merge_reads(x):
    a = np.tanh(x)
    b = np.tanh(x)  # merged: every later read of b reads a
    c = b * b + a
    return c * b


PROGRAMS = [squares_twice, keywords, in_loop, in_branches, after_merge_reads] + [
    c.fn for c in test_cse.CASES
]


def _check(fn: Function) -> None:
    counts: dict[Var, int] = {}
    cse(fn, counts=counts)
    want: dict[Var, int] = {}
    _reference(fn.body, want)
    assert list(counts.items()) == list(want.items())
    assert counts == uses(fn.body)
    assert all(counts.values())  # (no entry left at zero by a merge)


@pytest.mark.parametrize("f", PROGRAMS, ids=lambda f: f.__name__)
def test_counts_are_the_kept_ops_reads(f) -> None:
    _check(lower(f))


def test_counts_of_the_benchmark_function_and_its_gradient() -> None:
    f = bench_core.fresh(0)
    _check(lower(f))
    b = driver.build(Request(f, Mode.GRAD, (0,), Spec()), stop_after="transform")
    assert b.fns
    for g in b.fns:
        _check(clone_function(g))
