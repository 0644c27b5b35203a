"""The lead's review of session 27's changes: neighbours the helpers' fixes must not get wrong.

Input: small programs. Output: assertions against Python's values and central differences."""

from __future__ import annotations

import numpy as np

import srcad


def _closure_reads_target(x):
    q = np.array([x[0], 0.0])

    def peek():
        return q[0] * 3.0

    p = np.array([x[1], x[2]])
    q, t = p, peek()  # peek sees the old q: Python evaluates both values before binding
    q[0] -= 1.0
    return t + np.sum(p) * x[0]


def test_tuple_copy_not_split_when_a_closure_reads_a_target():
    # lower/tuplecopies.py split ``q, t = p, peek()`` into two assignments: peek() then read the
    # new q (4.6 instead of Python's 1.6); a function with a nested scope is no longer split
    x = np.array([0.5, 1.5, -0.3])
    want = _closure_reads_target(x.copy())
    assert srcad.primal(_closure_reads_target)(x.copy()) == want
    g = srcad.grad(_closure_reads_target)(x.copy())
    eps = 1e-6
    fd = [
        (_closure_reads_target(x + eps * e) - _closure_reads_target(x - eps * e)) / (2 * eps)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
