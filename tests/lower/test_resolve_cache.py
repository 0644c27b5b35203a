"""`prim_name` caches its answer per object (srcad/frontend/resolve.py) and must never hand out
a stale one: a monkeypatched ``np.sin`` changes the answer for the original function (its
canonical path no longer leads back to it), restoring it changes it back, and a transform that
reads the original through an alias refuses (or is correct) rather than emitting ``np.sin``,
which would now call the patch."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.frontend import resolve
from srcad.frontend.resolve import prim_name

SIN = np.sin


def cube(v):
    return v * v * v


def through_alias(x):
    return SIN(x) * 2.0


def test_monkeypatch_changes_the_cached_answer(monkeypatch) -> None:
    assert prim_name(np.sin) == "numpy.sin"
    assert prim_name(np.sin) == "numpy.sin"  # a hit
    assert prim_name(math.exp) == "math.exp"
    monkeypatch.setattr(np, "sin", cube)
    assert prim_name(SIN) is None
    assert prim_name(cube) is None
    assert prim_name(math.exp) == "math.exp"
    monkeypatch.undo()
    assert prim_name(SIN) == "numpy.sin"


def test_canonical_path_patch_is_seen(monkeypatch) -> None:
    """`np.abs` is `numpy.absolute`: patching `np.absolute` changes the answer for `np.abs`."""
    assert prim_name(np.abs) == "numpy.absolute"
    monkeypatch.setattr(np, "absolute", cube)
    assert prim_name(np.abs) is None


def test_only_library_callables_are_kept() -> None:
    prim_name(cube)
    prim_name(np.tanh)
    assert all(entry[0] is not cube for entry in resolve._CACHE.values())
    assert any(entry[0] is np.tanh for entry in resolve._CACHE.values())


def test_transform_after_monkeypatch_is_correct_or_refused(monkeypatch) -> None:
    x = 0.5
    assert srcad.grad(through_alias)(x) == pytest.approx(2.0 * math.cos(x), rel=1e-15)
    monkeypatch.setattr(np, "sin", cube)

    def again(x):
        return SIN(x) * 2.0

    try:
        g = srcad.grad(again)(x)
    except srcad.SrcadError:
        return
    assert g == pytest.approx(2.0 * math.cos(x), rel=1e-15)
