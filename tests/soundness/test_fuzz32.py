"""Session 32 (fuzz32): what the fuzzer (tests/fuzz, seeds 32500000+) found.

- Crash (wild seed 32500066): the cotangent of ``np.diff(a, n, axis)`` when ``n`` is at least the
  length of ``a`` along ``axis`` (NumPy's output is then empty: ``np.diff(x[:1], n=2)``, a
  ``keepdims`` mean differenced twice) padded the empty cotangent back ``n`` times, to a length
  other than ``a``'s, and raised a broadcast ``ValueError`` in the generated code. Such an ``a``
  reaches no output element: its cotangent is now zeros of its shape.
- Crash under ``SRCAD_VERIFY=1`` (control seed 32508034, wild30 seed 32507013): "branch masks:
  leaving out ... changed the masks" (an `IRVerifyError`, which aborted the fuzz campaign) for
  an ``if`` on a comparison of a division's result (a value `ad/branchmasks.py` masks). The check
  runs the mask analysis twice and compares the masks, but a mask's recomputed condition
  (`ad/maskcarry.Expr`) compared by identity: two equal masks were never equal. Exprs now compare
  (and hash) by their primitive and operands.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

GS = 0.7


def _const(a, b):
    return 0.1


def branch_on_division(x):
    s = _const(x, x)
    t = s
    s = t / 2.0
    u, w = (GS * s if np.ones(3)[1] > 0.9 else 3.0, np.float64(s))
    if s < 0.9:
        return u + w + np.sum(x * x)
    return np.sum(x)


def where_in_loop_after_division(x):
    v1 = x / True
    v4 = v1
    for t in range(3):
        try:
            v4 = v1 * t
        except KeyError:
            pass
    rows = [x, x, x]
    cols = [c for c in zip(*rows)]

    class Cell:
        def __init__(self, h):
            self.hs = []

    c = Cell(v4)
    v25 = sum(c.hs) * 0.5
    acc = 0.0
    for _k, _e in enumerate(v1):
        acc = acc + np.where(v1 > -1.2524, v25, v4)
    d = {k: cols for k in ("w", "b")}
    for _ in range(3):
        for k in d:
            d[k] = np.tanh(d[k])
    return np.sum(acc * acc) + np.sum(d["w"])


X5 = np.array([0.0204, 1.3645, 0.6553, 0.2015, 0.9891])
M23 = np.array([[0.3, -0.7, 1.1], [0.5, 0.9, -1.2]])


def diff_past_length(x):
    return np.sum(np.diff(x[:1], n=2)) + np.sum(x * x)


def diff_keepdims_mean(x):
    y = np.diff((x**2).mean(axis=0, keepdims=True), axis=-1, n=2)
    return np.sum(np.tanh(y)) + np.sum(np.sin(x))


def diff_equal_length(x):
    return np.sum(np.diff(x[:3], n=3) ** 2) + np.sum(x[3:])


def diff_axis0_past(m):
    return np.sum(np.diff(m, n=3, axis=0) ** 2) + np.sum(np.diff(m, n=2, axis=1) ** 2)


CASES = [
    (diff_past_length, (X5,)),
    (diff_keepdims_mean, (X5,)),
    (diff_equal_length, (X5,)),
    (diff_axis0_past, (M23,)),
]


@pytest.mark.parametrize("f, args", CASES, ids=[c[0].__name__ for c in CASES])
def test_diff_longer_than_axis(f, args):
    check_grads(f, args, modes=("fwd", "rev"))
    g = srcad.grad(f)(*args)
    assert np.shape(g) == np.shape(args[0])


def test_diff_past_length_grad_value():
    np.testing.assert_allclose(srcad.grad(diff_past_length)(X5), 2.0 * X5)


@pytest.mark.parametrize("f", [branch_on_division, where_in_loop_after_division])
def test_branch_masks_verify(f):
    args = (np.array([1.1095, -0.1869, 1.179]),)
    srcad.source(f, mode="grad", args=args)  # (raised IRVerifyError under SRCAD_VERIFY)
    check_grads(f, args, modes=("fwd", "rev"))
