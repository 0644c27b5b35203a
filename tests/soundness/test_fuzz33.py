"""Session 33 (fuzz33): what the fuzzer (tests/fuzz, seeds 33500000+) found.

- Crash under ``SRCAD_VERIFY=1`` (wild seed 33500022): "branch masks: leaving out `v3` changed
  the masks" (an `IRVerifyError`, which aborted the fuzz campaign) for a log's result read in a
  branch of an ``if`` on a comparison and in a loop, next to ``np.where(c, a.ravel(), ..)``. The
  check runs the mask analysis twice and compares the masks; the masks were equal, but a mask
  moved back through a reshape or an index (`ad/maskcarry.Moved`, here ``a.ravel()``'s) compared
  by identity, as `Expr` did before session 32. Moved conditions now compare (and hash) by
  their parts.
- Crash (wild33 seed 33600008): ``acc = [], []`` and ``acc[0].append(v)`` in a loop raised
  ``AttributeError: 'tuple' object has no attribute 'copy'`` from the generated code (also a
  tuple from a helper or joined by an ``if``). The lowering refuses writing into an element of a
  tuple only when it sees the tuple made; `_srcad.layout_copy` now refuses a tuple too, with the
  same message at the source line.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X4 = np.array([-0.0617, 0.8938, 1.4934, 0.6756])


def branch_read_and_ravel(x):
    v = np.log(x * x + 1.0)
    s = sum([e for e in v if e > 0.0])
    y = x * 1.0
    if x[0] > 0:
        t = v[3]
    else:
        t = 0.0
    w = np.where(x < 0.1344, y.ravel(), 1.0)
    return t + w.sum() + s


def try_index_and_ravel(x):
    v = np.log(x * x + 1.0)
    s = sum([e * 2.0 for e in v if np.sin(e) > 0.4])
    y = x * 0.5
    try:
        t = v[3] * 2.0
    except IndexError:
        t = 0.0
    w = np.where(x < 0.1344, 0 * y.ravel(), 1.0)
    return t + w.sum() + np.sum(x * s)


@pytest.mark.parametrize("f", [branch_read_and_ravel, try_index_and_ravel])
def test_moved_masks_compare_by_value(f):
    srcad.source(f, mode="grad", args=(X4,))  # (raised IRVerifyError under SRCAD_VERIFY)
    check_grads(f, (X4,), modes=("fwd", "rev"))


# -- a tuple of lists whose lists are appended to in a loop -------------------------------------


def tuple_of_lists_loop(x):
    acc = [], []
    for e, c in zip(x, np.tanh(x)):
        acc[0].append(e * c)
        acc[1].append(c)
    return np.sum(np.stack(acc[0]) + np.array(acc[1]))


def _pair():
    return [], []


def tuple_from_helper(x):
    acc = _pair()
    acc[0].append(x * 2.0)
    return np.sum(acc[0][0])


def tuple_joined_by_if(x):
    acc = (np.zeros(3), [])
    if x[0] > 0:
        acc = (np.ones(3), [])
    acc[0][1] = x[1] * 2.0
    return np.sum(acc[0])


@pytest.mark.parametrize("f", [tuple_of_lists_loop, tuple_from_helper, tuple_joined_by_if])
def test_write_into_tuple_element_refused(f):
    """Crash (wild33 seed 33600008): ``acc = [], []`` then ``acc[0].append(v)`` in a loop (or
    the tuple a helper returns, or one an ``if`` picks) raised ``AttributeError: 'tuple' object
    has no attribute 'copy'`` from the generated code: the lowering refuses ``t[i][j] = v`` only
    for a tuple it sees made in the same block. The functional write's copy now refuses a tuple
    with the same message, at the source line."""
    with pytest.raises(srcad.SrcadError, match="element of a tuple"):
        srcad.grad(f)(X4[:3].copy())
    with pytest.raises(srcad.SrcadError, match="element of a tuple"):
        srcad.jvp(f, (X4[:3].copy(),), (np.ones(3),))


def list_of_lists_loop(x):
    acc = [[], []]
    for e, c in zip(x, np.tanh(x)):
        acc[0].append(e * c)
        acc[1].append(c)
    return np.sum(np.stack(acc[0]) + np.array(acc[1]))


def test_list_of_lists_loop_still_differentiated():
    check_grads(list_of_lists_loop, (X4,), modes=("fwd", "rev"))
