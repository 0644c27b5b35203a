"""Soundness fixes of session 34's hunt34b: Python idioms and control flow as users write them.
Input: small functions over one 1-D array; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give.

- A ``zip``/``enumerate`` made from an array, or a generator expression handed to a helper,
  then the array updated in place by a helper (``normalize(ys)``) before the items were read:
  srcad computed the items where the iterator was written, Python reads the updated array.
  The check of later statements (lower/closures.check_later) did not see a helper's update of
  its argument (no assignment is written): wrong values, now refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.array([0.3, -0.7, 1.2, 0.5])
W = [1.0, 2.0, 3.0, 4.0]

# -- an iterator made, then its array updated by a helper before it is read ----------------------


def _bump(a):
    a[1] = 5.0


def _ident(g):
    return g


def zip_then_helper_update(x):
    ys = x * 1.0
    z = zip(ys, W)
    _bump(ys)
    return sum(a * b for a, b in z)


def genexpr_to_helper_then_update(x):
    ys = x * 2
    t = _ident(v * 2 for v in ys)
    _bump(ys)
    return sum(t)


def genexpr_reads_updated_later(x):
    ys = x * 2
    t = _ident(ys[1] * v for v in x)
    _bump(ys)
    return sum(t)


@pytest.mark.parametrize(
    "f",
    [
        zip_then_helper_update,
        genexpr_to_helper_then_update,
        genexpr_reads_updated_later,
    ],
)
def test_iterator_read_after_helper_update_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="rebound or updated by a later statement"):
        srcad.primal(f)(X.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())
