"""Reverse mode, IR level, control flow and calls: an `if` (values the reverse sweep needs become
results of the forward `if`), a `for` loop with a carry (the tape, the reversed loop over it), a
`while` with `break`, a call of a user function (its `_fwd`/`_bwd` pair), recursion (one pair,
calling itself once duplicates are merged). The functions `srcad.ad.vjp` generates (``grad_f``;
for some cases also the split pair) right after the transform stage, pinned as text; each case's
derivative is also checked against central finite differences (tests/ad/irtext.py).
``pytest --update-golden`` rewrites a pinned text that differs in this file.
"""

from __future__ import annotations

import pytest

from tests.ad import examples as ex
from tests.ad.irtext import IRCase, check_ir

CASES = [
    IRCase(
        ex.branch,
        (0.5,),
        mode="grad",
        ir="""
        def grad_branch(x):
            %0 = gt(x, 0.0)
            y = if %0 {
                y.1 = numpy.sin(x)
                yield y.1
            } else {
                y.2 = mul(x, x)
                yield y.2
            }
            # reverse sweep
            bx = if %0 {
                %1 = numpy.cos(x)
                bx.1 = mul(1.0, %1)
                yield bx.1
            } else {
                bx.2 = mul(1.0, x)
                bx.3 = mul(1.0, x)
                bx.4 = mul(x, 2.0)
                yield bx.4
            }
            grads = tuple(bx)
            %2 = tuple(y, grads)
            return %2
        """,
    ),
    IRCase(
        ex.branch,
        (0.5,),
        mode="vjp",
        name="branch_split",
        ir="""
        def vjp_branch_fwd(x):
            %0 = gt(x, 0.0)
            y = if %0 {
                y.1 = numpy.sin(x)
                yield y.1
            } else {
                y.2 = mul(x, x)
                yield y.2
            }
            residuals = tuple(%0, x)
            %1 = tuple(y, residuals)
            return %1

        def vjp_branch_bwd(residuals, g):
            %0 = getitem(residuals, 0)
            x = getitem(residuals, 1)
            bx = if %0 {
                %1 = numpy.cos(x)
                bx.1 = mul(g, %1)
                yield bx.1
            } else {
                bx.2 = mul(g, x)
                bx.3 = mul(g, x)
                bx.4 = add(bx.2, bx.3)
                yield bx.4
            }
            %2 = tuple(bx)
            return %2
        """,
    ),
    IRCase(
        ex.loop_carry,
        (1.5,),
        mode="grad",
        ir="""
        def grad_loop_carry(x):
            tape = list()
            s.1, tape.2 = for i in range(0, 3, 1) carry(s = x, tape.1 = tape) {
                s.2 = mul(s, x)
                tape.3 = list_append(tape.1, s)
                yield s.2, tape.3
            }
            # reverse sweep
            n = len(tape.2)
            last = sub(n, 1)
            bx = srcad.runtime.zeros_like(x)
            bs.1, bx.2 = for k in range(last, -1, -1) carry(bs = 1.0, bx.1 = bx) {
                s.3 = getitem(tape.2, k)
                bs.2 = mul(bs, x)
                bx.3 = mul(bs, s.3)
                bx.4 = add(bx.1, bx.3)
                yield bs.2, bx.4
            }
            bx.5 = add(bx.2, bs.1)
            grads = tuple(bx.5)
            %0 = tuple(s.1, grads)
            return %0
        """,
    ),
    IRCase(
        ex.loop_carry,
        (1.5,),
        mode="vjp",
        name="loop_carry_split",
        ir="""
        def vjp_loop_carry_fwd(x):
            tape = list()
            s.1, tape.2 = for i in range(0, 3, 1) carry(s = x, tape.1 = tape) {
                s.2 = mul(s, x)
                tape.3 = list_append(tape.1, s)
                yield s.2, tape.3
            }
            residuals = tuple(tape.2, x)
            %0 = tuple(s.1, residuals)
            return %0

        def vjp_loop_carry_bwd(residuals, g):
            tape = getitem(residuals, 0)
            x = getitem(residuals, 1)
            n = len(tape)
            last = sub(n, 1)
            bx = srcad.runtime.zeros_like(x)
            bs.1, bx.2 = for k in range(last, -1, -1) carry(bs = g, bx.1 = bx) {
                s = getitem(tape, k)
                bs.2 = mul(bs, x)
                bx.3 = mul(bs, s)
                bx.4 = add(bx.1, bx.3)
                yield bs.2, bx.4
            }
            bx.5 = add(bx.2, bs.1)
            %0 = tuple(bx.5)
            return %0
        """,
    ),
    IRCase(
        ex.while_break,
        (1.5,),
        mode="grad",
        ir="""
        def grad_while_break(x):
            tape = list()
            n.1, s.1, tape.2 = while carry(n = 0, s = x, tape.1 = tape) {
                yield True
            } do (n.2, s.2, tape.3) {
                s.3 = mul(s.2, x)
                n.3 = add(n.2, 1)
                %0 = ge(n.3, 3)
                brk = if %0 {
                    yield True
                } else {
                    yield False
                }
                tape.4 = list_append(tape.3, s.2)
                yield n.3, s.3, tape.4; break if brk
            }
            # reverse sweep
            n.4 = len(tape.2)
            last = sub(n.4, 1)
            bx = srcad.runtime.zeros_like(x)
            bs.1, bx.2 = for k in range(last, -1, -1) carry(bs = 1.0, bx.1 = bx) {
                s.4 = getitem(tape.2, k)
                bs.2 = mul(bs, x)
                bx.3 = mul(bs, s.4)
                bx.4 = add(bx.1, bx.3)
                yield bs.2, bx.4
            }
            bx.5 = add(bx.2, bs.1)
            grads = tuple(bx.5)
            %1 = tuple(s.1, grads)
            return %1
        """,
    ),
    IRCase(
        ex.calls_user,
        (1.5,),
        mode="grad",
        ir="""
        def grad_calls_user(x):
            square = global square
            %0 = global vjp_square_fwd [generated=True]
            pair = call(%0, x)
            %1 = getitem(pair, 0)
            res = getitem(pair, 1)
            %2 = add(%1, x)
            # reverse sweep
            %3 = global vjp_square_bwd [generated=True]
            bargs = call(%3, res, 1.0)
            bx = getitem(bargs, 0)
            bx.1 = srcad.runtime.add(1.0, bx)
            grads = tuple(bx.1)
            %4 = tuple(%2, grads)
            return %4

        def vjp_square_fwd(a):
            %0 = mul(a, a)
            residuals = tuple(a)
            %1 = tuple(%0, residuals)
            return %1

        def vjp_square_bwd(residuals, g):
            a = getitem(residuals, 0)
            %0 = mul(g, a)
            ba = srcad.runtime.unbroadcast(%0, a)
            %1 = mul(g, a)
            ba.1 = srcad.runtime.unbroadcast(%1, a)
            ba.2 = srcad.runtime.add(ba, ba.1)
            %2 = tuple(ba.2)
            return %2
        """,
    ),
    IRCase(
        ex.power,
        (1.5, 3),
        mode="grad",
        ir="""
        def grad_power(x, n):
            %0 = eq(n, 0)
            retval, %1, res = if %0 {
                yield 1.0, None, None
            } else {
                power = global power
                %2 = sub(n, 1)
                %3 = global vjp_power_fwd [generated=True]
                pair = call(%3, x, %2)
                %4 = getitem(pair, 0)
                res.1 = getitem(pair, 1)
                %5 = mul(x, %4)
                yield %5, %4, res.1
            }
            # reverse sweep
            bx = if %0 {
                %6 = srcad.runtime.zeros_like(x)
                yield %6
            } else {
                %7 = mul(1.0, %1)
                bx.1 = srcad.runtime.unbroadcast(%7, x)
                %8 = mul(1.0, x)
                %9 = srcad.runtime.unbroadcast(%8, %1)
                %10 = global vjp_power_bwd [generated=True]
                bargs = call(%10, res, %9)
                bx.2 = getitem(bargs, 0)
                bx.3 = srcad.runtime.add(bx.1, bx.2)
                yield bx.3
            }
            grads = tuple(bx)
            %11 = tuple(retval, grads)
            return %11

        def vjp_power_fwd(x, n):
            %0 = eq(n, 0)
            retval, %1, res = if %0 {
                yield 1.0, None, None
            } else {
                power = global power
                %2 = sub(n, 1)
                %3 = global vjp_power_fwd [generated=True]
                pair = call(%3, x, %2)
                %4 = getitem(pair, 0)
                res.1 = getitem(pair, 1)
                %5 = mul(x, %4)
                yield %5, %4, res.1
            }
            residuals = tuple(%0, x, %1, res)
            %6 = tuple(retval, residuals)
            return %6

        def vjp_power_bwd(residuals, g):
            %0 = getitem(residuals, 0)
            x = getitem(residuals, 1)
            %1 = getitem(residuals, 2)
            res = getitem(residuals, 3)
            bx = if %0 {
                %2 = srcad.runtime.zeros_like(x)
                yield %2
            } else {
                %3 = mul(g, %1)
                bx.1 = srcad.runtime.unbroadcast(%3, x)
                %4 = mul(g, x)
                %5 = srcad.runtime.unbroadcast(%4, %1)
                %6 = global vjp_power_bwd [generated=True]
                bargs = call(%6, res, %5)
                bx.2 = getitem(bargs, 0)
                bx.3 = srcad.runtime.add(bx.1, bx.2)
                yield bx.3
            }
            %7 = tuple(bx)
            return %7
        """,
    ),
    # the pair the recursive call asked for is the same code: merged into the entry points
    IRCase(
        ex.power,
        (1.5, 3),
        mode="vjp",
        stage="optimise-ad",
        name="power_merged",
        ir="""
        def vjp_power_fwd(x, n):
            %0 = eq(n, 0)
            retval, %1, res = if %0 {
                yield 1.0, None, None
            } else {
                %2 = sub(n, 1)
                %3 = global vjp_power_fwd [generated=True]
                pair = call(%3, x, %2)
                %4 = getitem(pair, 0)
                res.1 = getitem(pair, 1)
                %5 = mul(x, %4)
                yield %5, %4, res.1
            }
            residuals = tuple(%0, x, %1, res)
            %6 = tuple(retval, residuals)
            return %6

        def vjp_power_bwd(residuals, g):
            %0 = getitem(residuals, 0)
            x = getitem(residuals, 1)
            %1 = getitem(residuals, 2)
            res = getitem(residuals, 3)
            bx = if %0 {
                %2 = srcad.runtime.zeros_like(x)
                yield %2
            } else {
                %3 = mul(g, %1)
                bx.1 = srcad.runtime.unbroadcast(%3, x)
                %4 = mul(g, x)
                %5 = srcad.runtime.unbroadcast(%4, %1)
                %6 = global vjp_power_bwd [generated=True]
                bargs = call(%6, res, %5)
                bx.2 = getitem(bargs, 0)
                bx.3 = srcad.runtime.add(bx.1, bx.2)
                yield bx.3
            }
            %7 = tuple(bx)
            return %7
        """,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_vjp_ir_control(case: IRCase, update_golden: bool) -> None:
    check_ir(case, update_golden)
