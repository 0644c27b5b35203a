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


# -- a nested def bound on one path, rebound before its next read ------------------------------
# the liveness of names after an `if` ignored rebinding, so `g` (a function on one path, a number
# on the other) was refused although the later `def g` binds it before any read
# (lower/livekill.py). A nested function that reads `g` when called keeps it live.


def def_rebound(w):
    if w[0] > 1.0:

        def g(v):
            return v * 2.0

        y = g(w[1])
    else:
        g = 3.0
        y = w[1] * g

    def g(v):
        return v * v * w[2]

    return y + g(w[3])


def def_rebound_in_loop(w):
    s = 0.0
    for i in range(3):
        if i == 1:

            def h(v):
                return v * w[1]

            s = s + h(w[0])
        else:
            h = 2.0
            s = s + h * w[2]
        a, h = w[3], 0.5
        s = s + a * h
    return s


def def_rebound_at_either_branch(w):
    return def_rebound(w) + def_rebound(np.array([0.5, *w[1:]]))


@pytest.mark.parametrize("f", [def_rebound, def_rebound_in_loop, def_rebound_at_either_branch])
def test_nested_def_rebound_before_its_read(f):
    check_scalar(f, W.copy())


def read_through_closure_before_rebinding(x):
    if x > 0:

        def g(v):
            return v * 2.0
    else:
        g = None

    def h():
        return g(x) if g is not None else x

    y = h()  # reads the `g` of the branch: still live at the join

    def g(v):
        return v * 3.0

    return y + g(x)


def read_after_an_exit(x):
    for i in range(2):
        if i == 0:

            def g(v):
                return v * 2.0
        else:
            g = 5.0
        if x > 100.0:
            break  # the `g` of the branch is read after the loop

        def g(v):
            return v * 3.0

        x = g(x)
    return g(x) if callable(g) else x * g


@pytest.mark.parametrize("f", [read_through_closure_before_rebinding, read_after_an_exit])
def test_a_read_before_the_rebinding_stays_refused(f):
    with pytest.raises(srcad.SrcadError, match="names a function or module on one path"):
        srcad.grad(f)(1.3)
