"""Soundness, session 10 (pfront10): facts of loop carries assumed by an inner loop in a pass over
an outer loop whose assumption was then dropped.

The analyses on `srcad.passes.flowfacts` (scalars, ints, 1-D arrays, ranks) assume a fact
of a loop's carries optimistically and walk the body again without the carries whose next value
breaks it, forgetting what the body derived. The carry params of a loop nested in that body were
not forgotten: ``t = s`` before an inner loop over ``t *= 2.0`` kept `t` a number after the outer
`s` (0.0 at first, then an array) lost that fact, so ``t *= 2.0`` was taken for a rebinding of a
number while Python doubles the array `s` (and `u`, the same object) in place: srcad's primal
gave 5045.25 where Python gives 27977.25. Now the update is refused (correct or refused).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.passes.prepare import lowered
from srcad.passes.scalars import scalar_vars
from srcad.ssa.core import walk_ops


def doubles_through_an_alias(x):
    s = 0.0
    for _ in range(3):
        u = s
        t = s
        for _ in range(2):
            t *= 2.0  # an array after the first pass: updates s (and u) in place
        s = t + x + u
    return np.sum(s * s)


@pytest.mark.parametrize("run", [srcad.primal, srcad.grad])
def test_inner_loop_update_of_an_outer_carry_is_not_taken_for_a_number(run) -> None:
    x = np.array([0.5, -1.0, 2.0])
    try:
        got = run(doubles_through_an_alias)(x.copy())
    except srcad.SrcadError:
        return  # refused: fine
    if run is srcad.primal:
        np.testing.assert_allclose(got, doubles_through_an_alias(x.copy()))
    else:  # d/dx sum((73 x)^2)
        np.testing.assert_allclose(got, 2 * 73.0**2 * x)


def scaled_carry(x, n):
    s = 0.0
    for _ in range(n):
        t = s
        for _ in range(2):
            t = t * 2.0
        s = t + x
    return np.sum(s)


def test_inner_carry_facts_are_forgotten_with_the_outer_assumption() -> None:
    fn = lowered(scaled_carry)
    scal = scalar_vars(fn, {fn.params[1]})
    inner = [op for op in walk_ops(fn.body) if op.prim == "for"][1]
    assert inner.blocks[0].params[1] not in scal  # t: an array from the second pass on
    assert not any(o.result in scal for o in inner.blocks[0].ops if o.prim == "mul")
