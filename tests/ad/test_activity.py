"""Activity analysis (srcad/ad/activity.py): which values are varied (depend on a `wrt` input),
on the IR the transforms start from (lowered, checked, optimised: `srcad.passes.prepare.lowered`).

Varied values follow the data flow from the active parameters only; loop carries reach a
fixpoint; integer and bool values (`len`, comparisons, `int`, `round`, `floor`, `argmax`,
shapes, `//`) are never varied; an index does not make an item varied; a call whose arguments are
all inactive is left alone: the transforms call the plain function and generate nothing for it.
Every case also checks the derivative numbers.
"""

from __future__ import annotations

import numpy as np

import srcad
from srcad.ad.activity import varied_vars
from srcad.backend.driver import Mode
from srcad.passes.prepare import lowered
from srcad.rules import default_tables
from srcad.testing import check_grads
from tests.ad.irtext import block, names, text, transformed


def varied(f, wrt=(0,)) -> tuple[str, set[str]]:
    """(the IR of `f`, the printed names of its varied values for these active parameters)."""
    fn = lowered(f)
    table = default_tables()[0]
    v = varied_vars(fn, {fn.params[k] for k in wrt}, table)
    nm = names(fn)
    return text(fn), {nm[x] for x in v}


def helper(n):
    return n * 2.0


def dependence(x, y):
    a = x * 2.0
    b = y + 1.0
    c = a * b
    return c + b


def integers_and_bools(x):
    n = len(x)
    c = x > 0.0
    k = int(x[0])
    r = round(x[1])
    f = np.floor(x)
    s = np.sign(x)
    i = np.argmax(x)
    m = x.shape
    fl = x // 1.0
    return x * n + c + k + r + f + s + i + m[0] + fl


def carry_fixpoint(x, n):
    a = 0.0
    b = 0.0
    for _ in range(n):
        a = b
        b = x
    return a


def index_only(x, i):
    z = np.zeros(3)
    z[i] = 1.0
    w = np.ones(3)
    v = w[int(x)]
    return np.sum(z * v) + x


def inactive_call(x, n):
    return x * helper(n)


def test_data_flow_from_the_active_parameter() -> None:
    ir, v = varied(dependence)
    assert ir == block("""
        def dependence(x, y):
            a = mul(x, 2.0)
            b = add(y, 1.0)
            c = mul(a, b)
            %0 = add(c, b)
            return %0
    """)
    assert v == {"x", "a", "c", "%0"}
    assert varied(dependence, wrt=(1,))[1] == {"y", "b", "c", "%0"}
    assert srcad.grad(dependence, wrt=(0, 1))(1.5, 2.0) == (6.0, 4.0)  # (2 (y + 1), 2 x + 1)


def test_integer_and_bool_values_are_never_varied() -> None:
    ir, v = varied(integers_and_bools)
    assert ir == block("""
        def integers_and_bools(x):
            n = len(x)
            c = gt(x, 0.0)
            %0 = getitem(x, 0)
            k = int(%0)
            %1 = getitem(x, 1)
            r = round(%1)
            f = numpy.floor(x)
            s = numpy.sign(x)
            i = numpy.argmax(x)
            m = attr.shape(x)
            fl = floordiv(x, 1.0)
            %2 = mul(x, n)
            %3 = add(%2, c)
            %4 = add(%3, k)
            %5 = add(%4, r)
            %6 = add(%5, f)
            %7 = add(%6, s)
            %8 = add(%7, i)
            %9 = getitem(m, 0)
            %10 = add(%8, %9)
            %11 = add(%10, fl)
            return %11
    """)
    # only x, the two float items and the sums that x * n starts
    assert v == {"x", "%0", "%1"} | {f"%{k}" for k in (2, 3, 4, 5, 6, 7, 8, 10, 11)}
    assert not v & {"n", "c", "k", "r", "f", "s", "i", "m", "fl", "%9"}
    x = np.array([0.5, -1.5, 2.0])
    _, dout = srcad.jvp(integers_and_bools, (x,), (np.ones(3),))
    np.testing.assert_array_equal(dout, [3.0, 3.0, 3.0])  # d(x * len(x)); the rest is flat
    np.testing.assert_array_equal(srcad.vjp(integers_and_bools, x)[1](np.ones(3))[0], [3.0] * 3)


def test_loop_carry_varied_at_the_fixpoint() -> None:
    """`a` is varied only from the second iteration on (it takes `b`, which takes `x`)."""
    ir, v = varied(carry_fixpoint)
    assert ir == block("""
        def carry_fixpoint(x, n):
            a.1, b.1 = for i in range(0, n, 1) carry(a = 0.0, b = 0.0) {
                yield b, x
            }
            return a.1
    """)
    assert v == {"x", "a", "a.1", "b", "b.1"}
    assert srcad.grad(carry_fixpoint)(1.5, 3) == 1.0
    assert srcad.grad(carry_fixpoint)(1.5, 1) == 0.0  # one iteration: a = b = 0.0
    assert srcad.jvp(carry_fixpoint, (1.5, 2), (1.0, None)) == (1.5, 1.0)


def test_an_index_does_not_make_an_item_varied() -> None:
    _, v = varied(index_only)
    assert v == {"x", "%3"}  # x and the sum + x; not z.1, int(x), w[int(x)] nor the sum
    assert srcad.grad(index_only, wrt=0)(1.5, 2) == 1.0
    _, v = varied(index_only, wrt=(1,))
    assert v == {"i"}


def test_inactive_call_is_not_differentiated() -> None:
    assert varied(inactive_call)[1] == {"x", "%1"}
    assert transformed(inactive_call, Mode.JVP, (1.5, 3)) == block("""
        def jvp_inactive_call(x, n, dx):
            helper = global helper
            %0 = call(helper, n)
            %1 = mul(x, %0)
            %2 = mul(dx, %0)
            %3 = tuple(%1, %2)
            return %3
    """)
    assert transformed(inactive_call, Mode.GRAD, (1.5, 3)) == block("""
        def grad_inactive_call(x, n):
            helper = global helper
            %0 = call(helper, n)
            %1 = mul(x, %0)
            # reverse sweep
            %2 = mul(1.0, %0)
            bx = srcad.runtime.unbroadcast(%2, x)
            grads = tuple(bx)
            %3 = tuple(%1, grads)
            return %3
    """)
    assert srcad.jvp(inactive_call, (1.5, 3), (1.0, None)) == (9.0, 6.0)
    assert srcad.grad(inactive_call)(1.5, 3) == 6.0
    check_grads(inactive_call, (1.5, 3), modes=("fwd", "rev"))


def test_rule_facts_made_once_per_rule(monkeypatch) -> None:
    """The facts the analysis reads of a rule (its differentiable parameters, whether every one
    is) are made once per rule and kept on it, not once per analysis: a second analysis reads
    no signature again, and finds the same varied values."""
    from srcad.ad import activity

    first = varied(dependence, (0, 1))
    made = []
    real = activity.maybe_zero
    monkeypatch.setattr(activity, "maybe_zero", lambda r: made.append(r) or real(r))
    assert varied(dependence, (0, 1)) == first
    assert made == []
    mul = default_tables()[0].get("mul")
    assert mul.__dict__["_activity"] == (tuple(mul.diff_params), True)
