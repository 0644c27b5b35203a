"""The branch masks (ad/branchmasks.py) of values also read where no mask applies.

Input: functions reading a value made from a division or a root in one branch of an ``if`` on a
comparison, and elsewhere. Output: the mask pass skipped when every such value has a use it never
masks (an op outside the ifs on comparisons that is not elementwise, a loop's first value, a
loop body's yield), the gradients right where the function is smooth, and the mask kept when
the other read is itself in a branch of such an ``if``."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.ad import masks
from srcad.ssa import verify
from tests.soundness.numeric import check_scalar


def sqrt_read_in_two_ifs(x):
    r = np.sqrt(x[0])
    if x[0] < 0:
        y = 2.0 * x[0]
    else:
        y = r
    if x[1] > 0:  # (np.sum(r): not elementwise, but in a branch: masked by x[1] > 0)
        z = np.sum(r) * x[1]
    else:
        z = x[1] ** 2
    return y + z


def quotient_carried(x):
    q = x[0]
    s = 0.0
    for k in range(3):
        q = q / (1.0 + x[1] ** 2) + x[2]  # (yielded by the loop body: never masked)
        if k % 2 == 0:
            s = s + q * q
    return s + q


def sqrt_summed_outside(x):
    r = np.sqrt(x[:2] ** 2 + 1.0)
    if x[2] > 0:
        y = np.sum(r * x[2])
    else:
        y = x[2]
    return y + np.std(r)


def root_starts_a_loop(x):
    r = np.sqrt(x[0] ** 2 + 1.0)
    if x[1] > 0:
        y = r * x[1]
    else:
        y = x[1]
    s = r  # (a loop's first value: never masked)
    for _ in range(2):
        s = s * x[2] + y
    return s


def sqrt_before_if(x):
    r = np.sqrt(x[0])
    if x[0] < 0:
        y = x[0] * 2
    else:
        y = r
    return y * x[1]


@pytest.mark.parametrize(
    "x",
    [np.array([-0.73, -0.218, 0.437, 1.12]), np.array([0.73, 0.218, 0.437, 1.12]),
     np.array([0.73, -0.218, -0.437, 1.12])],
)  # fmt: skip
@pytest.mark.parametrize(
    "f", [sqrt_read_in_two_ifs, quotient_carried, sqrt_summed_outside, root_starts_a_loop]
)
def test_gradients_of_values_read_in_a_branch_and_elsewhere(f, x):
    with np.errstate(all="ignore"):
        check_scalar(f, x)


def _mask_walks(f, monkeypatch) -> int:
    calls = []
    monkeypatch.setattr(verify, "_enabled", False)  # (verify mode walks again: check_plain)
    inner = masks._block
    monkeypatch.setattr(masks, "_block", lambda *a, **k: calls.append(1) or inner(*a, **k))
    srcad.cache_clear()
    srcad.source(f, mode="grad")
    return len(calls)


@pytest.mark.parametrize("f", [quotient_carried, sqrt_summed_outside, root_starts_a_loop])
def test_no_mask_pass_for_values_read_where_no_mask_applies(f, monkeypatch):
    assert _mask_walks(f, monkeypatch) == 0


@pytest.mark.parametrize("f", [sqrt_read_in_two_ifs, sqrt_before_if])
def test_mask_pass_for_values_read_only_in_branches(f, monkeypatch):
    assert _mask_walks(f, monkeypatch) > 0


def sqrt_also_scaled_outside(x):
    r = np.sqrt(x[0])
    t = r * 3.0  # (an elementwise read outside the if: masked through, not a plain use)
    if x[0] < 0:
        y = x[0] * 2
    else:
        y = r + t
    return y * x[1]


def test_sqrt_also_scaled_outside():
    for x in ([-0.5, 1.3], [0.5, 1.3]):
        with np.errstate(all="ignore"):
            check_scalar(sqrt_also_scaled_outside, np.array(x))


@pytest.mark.parametrize("f", [sqrt_also_scaled_outside])
def test_verify_mode_catches_a_mask_left_out(f, monkeypatch):
    # (`_unmasked` out of step with `_block`: a value taken as read unmasked that `_block` would
    # mask; verify mode compares the masks with and without it: branchmasks.check_plain)
    monkeypatch.setattr(verify, "_enabled", True)
    monkeypatch.setattr(masks, "_unmasked", lambda table, calls, loops, op: list(op.args))
    srcad.cache_clear()
    with pytest.raises(verify.IRVerifyError, match="branch masks"):
        srcad.source(f, mode="grad")
    monkeypatch.undo()
    srcad.cache_clear()
