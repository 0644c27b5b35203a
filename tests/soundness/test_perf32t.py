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


@pytest.mark.parametrize(
    "fn, make",
    [
        (merged_container, lambda: (2.0, [defaultdict(float)])),
        (merged_container_in_a_loop, lambda: (2.0, [defaultdict(float)])),
        (container_read_by_a_call_op, lambda: (2.0, [{}, defaultdict(float, {1: 1.0})])),
    ],
    ids=["merged", "merged-loop", "sorted"],
)
def test_len_after_a_read_of_a_merged_container(fn, make):
    """`cse._Barriers.watch` holds the kept value a container was merged into, and it counts as
    read before (`dirty`): without that, ``len(a)`` before ``b[5]`` was taken for ``len(b)``."""
    _check(fn, make)
