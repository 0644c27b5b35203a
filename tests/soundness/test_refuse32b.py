"""Spurious refusals of ordinary Python code lifted in session 32 (refuse32b).
Input: small functions as users write them (``acc=None`` defaults, ...); output: assertions
against Python and central differences (tests/soundness/numeric.py), or the refusal srcad
should still give for the unsound variant next to each."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

W = np.array([1.3, 0.75, 1.1, 0.4])


# -- a None default made into a new object before the update ----------------------------------
# `if acc is None: acc = []` then `acc.append(...)` was refused as updating the caller's
# argument, though the caller passed None; `out[2] += v` in a helper whose `out=None` was left
# out was refused as a stale read. The mutation check now decides `acc is None` for None
# arguments (passes/alias_nones.py; Spec.nones, the helper's call facts).


def collect(w, acc=None):
    if acc is None:
        acc = []
    for v in w:
        acc.append(v * v)
    acc.append(w[0] * w[1])
    return sum(acc)


def collect_not_none(w, acc=None):
    if acc is not None:
        acc.append(w[0])
    else:
        acc = [w[1] * 3.0]
    acc.append(w[2] * w[3])
    return sum(acc)


def _moments(v, out=None):
    if out is None:
        out = np.zeros(3)
    out[0] = v[0] * v[1]
    out[2] += v[2] * v[3]
    out[1] -= np.sum(v**2)
    return out


def moments_sum(w):
    return np.sum(_moments(w) * np.array([1.0, 2.0, 3.0]))


def moments_explicit_none(w):
    return np.sum(_moments(w, None) ** 2)


@pytest.mark.parametrize("f", [collect, collect_not_none, moments_sum, moments_explicit_none])
def test_none_default_made_anew(f):
    check_scalar(f, W.copy())


def test_none_default_fails_on_the_old_check():
    """(the top-level `acc=None` with the default left out and passed as None)"""
    g = srcad.grad(collect)(W.copy())
    np.testing.assert_allclose(srcad.grad(collect)(W.copy(), None), g)
    np.testing.assert_allclose(g, 2 * W + np.array([W[1], W[0], 0.0, 0.0]))


def moments_into_buffer(w):
    buf = np.ones(3)
    r = _moments(w, buf)
    return np.sum(r) + np.sum(buf)


@pytest.mark.parametrize("acc", [[], [1.0], [np.ones(2)]])
def test_a_list_passed_for_acc_stays_refused(acc):
    with pytest.raises(srcad.SrcadError, match="argument `acc` is appended to"):
        srcad.grad(collect)(W.copy(), acc)
    with pytest.raises(srcad.SrcadError, match="argument `acc` is appended to"):
        srcad.grad(collect_not_none)(W.copy(), acc)


def test_an_array_passed_for_out_stays_refused():
    with pytest.raises(srcad.SrcadError, match="modifies its argument `out`"):
        srcad.grad(moments_into_buffer)(W.copy())
