"""Readable generated code (srcad/backend/emit.py): ``return s, grads`` instead of a temporary
tuple, flags copied from their condition instead of ``if c: f = True else: f = False``."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def loop_break(x):
    for _ in range(10):
        x = x * 1.1
        if x > 3.0:
            break
    return x


def loop_not_break(x):
    i = 0
    while i < 10:
        i += 1
        x = x * 1.1
        if not x < 3.0:
            break
    return x


def flag_of_array(x):
    c = True if x > 0.0 else False
    return np.sum(x) * (2.0 if c else 1.0)


def test_return_tuple_written_in_the_return():
    src = srcad.source(srcad.grad(loop_break), args=(0.5,))
    assert src.rstrip().endswith("return x, grads")
    assert "grads = (bx,)" in src
    fwd = srcad.source(loop_break, mode="vjp", args=(0.5,))
    assert "return x, residuals" in fwd or "return x, ()" in fwd or "return x_1, " in fwd


def test_flags_copy_their_condition():
    src = srcad.source(srcad.grad(loop_break), args=(0.5,))
    assert "brk = bool(x > 3.0)" in src and "brk = True" not in src
    src = srcad.source(loop_not_break, mode="primal", args=(0.5,))
    assert "brk = not x < 3.0" in src and "brk = True" not in src  # a bool already
    for f in (loop_break, loop_not_break):
        assert srcad.grad(f)(0.5) == pytest.approx(1.1**10, rel=1e-15)
        assert srcad.grad(f)(2.5) == 1.1 * 1.1  # 2.5 -> 2.75 -> 3.025: stops after two
        assert srcad.grad(f)(2.9) == 1.1


def test_flag_of_an_array_condition_still_asks_for_its_truth_value():
    assert srcad.grad(flag_of_array)(np.array([0.5])) == pytest.approx(np.array([2.0]))
    assert srcad.grad(flag_of_array)(np.array([-0.5])) == pytest.approx(np.array([1.0]))
    with pytest.raises(ValueError, match="truth value"):  # as Python: bool() of two elements
        srcad.grad(flag_of_array)(np.array([0.5, 1.0]))
