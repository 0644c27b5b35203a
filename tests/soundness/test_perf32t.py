"""Reads of dicts that may insert their key, after CSE's barrier bookkeeping was made cheaper.

Input: functions reading ``len(d)`` around a ``d[k]`` of a defaultdict reached in ways the
bookkeeping must follow (a container merged with an equal read of it, read before the merge).
Output: the value and slope Python gives (`test_fix31._check`), never ``len(d)`` taken from
before the insert.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.soundness.test_fix31 import _check


def merged_container(x, ds):
    a = ds[0]
    n = len(a)  # read before `b` is known to be `a` (CSE merges `b = ds[0]` into it)
    b = ds[0]
    b[5]
    return (len(b) - n + 1) * x


def merged_container_in_a_loop(x, ds):
    a = ds[0]
    n = len(a)
    for i in range(2):
        b = ds[0]
        b[i + 7]
        n = n + len(a)
    return n * x


def container_read_by_a_call_op(x, ds):
    a = ds[1]
    k = sorted(a)
    ds[1][3]
    return (len(sorted(a)) - len(k) + 1) * x


def read_in_a_branch_in_a_loop(x, d):
    n = len(d)
    for i in range(3):
        m = len(d)  # (the same as `n`'s before the loop: forgotten at the loop, which holds
        if i > 0:  # a read two blocks down)
            for j in range(1):
                d[i + j]
        n = n + m
    return n * x


def read_in_a_loop_after_a_branch(x, d):
    n = len(d)
    for i in range(2):
        if n > 5:
            n = n + 1
        m = len(d)
        d[i]
        n = n + m
    return (n + len(d)) * x


@pytest.mark.parametrize(
    "fn, make",
    [
        (merged_container, lambda: (2.0, [defaultdict(float)])),
        (merged_container_in_a_loop, lambda: (2.0, [defaultdict(float)])),
        (container_read_by_a_call_op, lambda: (2.0, [{}, defaultdict(float, {1: 1.0})])),
        (read_in_a_branch_in_a_loop, lambda: (2.0, defaultdict(float))),
        (read_in_a_loop_after_a_branch, lambda: (2.0, defaultdict(float))),
    ],
    ids=["merged", "merged-loop", "sorted", "nested", "loop-after-branch"],
)
def test_len_after_a_may_insert_read(fn, make):
    """`cse._Barriers.watch` holds the kept value a container was merged into, with its readers
    put in the table before (without them ``len(a)`` before ``b[5]`` was taken for ``len(b)``);
    the loops and ifs holding a read, nested ones too, forget ``len(d)`` around it."""
    _check(fn, make)
