"""CSE's view analysis as a worklist (passes/cse.py `_views_of`) and its keys (`_key`).

`_views_of` re-walked the whole function until nothing changed (quadratic on long loops); it is
now one walk and a worklist over each value's readers. These tests pin that it finds exactly the
set the fixpoint found (the fixpoint is kept here as the reference), that constants are keyed by
type and value (``0.0`` and ``-0.0``, ``1`` and ``1.0`` and ``True`` stay apart), and that a
helper updating its argument in place inside a long loop still sees unmerged values (numbers
against plain Python and central finite differences).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.passes.cse import _passed_to_calls, _views_of, cse
from srcad.rules import default_registry
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Function, Var, walk_ops
from srcad.testing import check_grads
from tests.passes.irtext import lower, text


def _views_fixpoint(fn: Function, vals: set[Var]) -> set[Var]:
    """The former implementation: walk the function until no op adds a value."""
    reg = default_registry()
    out = set(vals)
    changed = True
    while changed:
        changed = False
        for op in walk_ops(fn.body):
            if reg.get(op.prim).new or not any(
                isinstance(a, Var) and a in out for a in op.operands()
            ):
                continue
            for r in [*op.results, *(p for b in op.blocks for p in b.params)]:
                if r not in out:
                    out.add(r)
                    changed = True
    return out


def bump(v):
    v[0] = v[0] + 1.0
    v = None  # rebinds `v`: the call stays a call, not inlined (lower/argwrites.py)
    return 0.0


def views_in_loops(x, n):
    y = x[1:]
    for i in range(n):
        z = y[::-1]  # a view of a view, made before the call inside the loop
        if i > 1:
            y = z.T
        bump(z)
        w = np.sin(x) * x
    return np.sum(y) + np.sum(w)


def peek(v):
    return v[0] * 0.1


def long_loop(x):
    s = x * 1.0
    for _i in range(40):
        t = s[:]
        s = t * 0.5 + np.sin(x) + peek(t) + peek(s[::-1])
    return np.sum(s * s)


@pytest.mark.parametrize("f", [views_in_loops, long_loop])
def test_worklist_finds_what_the_fixpoint_found(f) -> None:
    fn = lower(f)
    passed = _passed_to_calls(fn)
    assert passed
    assert _views_of(fn, passed) == _views_fixpoint(fn, passed)


def test_constants_keep_type_and_sign() -> None:
    """``x * 0.0`` and ``x * -0.0`` (and 1, 1.0, True) are different ops: none merged."""
    x = Var("x")
    body = Block([x])
    b = Builder(body)
    ys = [b.op("mul", [x, Const(c)]) for c in (0.0, -0.0, 1, 1.0, True, (1, 2.0), (1, 2))]
    # the one repeat (read by a `neg`: two products both returned stay two arrays)
    ys.append(b.op("neg", [b.op("mul", [x, Const(-0.0)])]))
    body.yields = [b.op("tuple", ys)]
    fn = Function("f", [x], ["x"], body)
    assert cse(fn)
    printed = text(fn)
    assert printed.count("mul(") == 7
    for c in ("0.0", "-0.0", "1)", "1.0", "True", "(1, 2.0)", "(1, 2))"):
        assert f"mul(x, {c}" in printed


def test_long_loop_passing_views_to_a_helper_numbers() -> None:
    """Views of the loop's value go to a helper every step; value and gradient as NumPy's."""
    x = np.linspace(0.1, 1.0, 5)
    s = x * 1.0
    for _ in range(40):
        s = s * 0.5 + np.sin(x) + s[0] * 0.1 + s[-1] * 0.1
    assert long_loop(x) == np.sum(s * s)
    value, g = srcad.value_and_grad(long_loop)(x)
    assert value == long_loop(x)
    # forward-mode derivative by hand: ds/dx_k along e_k, the same recurrence
    expected = np.zeros(5)
    for k in range(5):
        s, d = x * 1.0, np.eye(5)[k]
        for _ in range(40):
            s, d = (s * 0.5 + np.sin(x) + s[0] * 0.1 + s[-1] * 0.1,
                    d * 0.5 + np.cos(x) * np.eye(5)[k] + d[0] * 0.1 + d[-1] * 0.1)  # fmt: skip
        expected[k] = np.sum(2.0 * s * d)
    np.testing.assert_allclose(g, expected, rtol=1e-12)
    check_grads(long_loop, (x,))
