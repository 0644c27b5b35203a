"""Session 33 (fuzz33): what the fuzzer (tests/fuzz, seeds 33500000+) found.

- Crash under ``SRCAD_VERIFY=1`` (wild seed 33500022): "branch masks: leaving out `v3` changed
  the masks" (an `IRVerifyError`, which aborted the fuzz campaign) for a log's result read in a
  branch of an ``if`` on a comparison and in a loop, next to ``np.where(c, a.ravel(), ..)``. The
  check runs the mask analysis twice and compares the masks; the masks were equal, but a mask
  moved back through a reshape or an index (`ad/maskcarry.Moved`, here ``a.ravel()``'s) compared
  by identity, as `Expr` did before session 32. Moved conditions now compare (and hash) by
  their parts.
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
