"""Reverse mode, IR level, straight-line code (control flow and calls: test_vjp_ir_control.py): the
functions `srcad.ad.vjp` generates for each construct (``grad_f`` for scalar outputs, the split
``vjp_f_fwd``/``vjp_f_bwd`` pair for the others), as the build driver gives them
right after the transform stage (``stop_after="transform"``, before any optimisation of the AD
output), pinned as text; each case's derivative is also checked against central finite
differences (tests/ad/irtext.py). ``pytest --update-golden`` rewrites a pinned text that differs
in this file.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ad import examples as ex
from tests.ad.irtext import IRCase, check_ir

A = np.array([0.5, -1.5, 2.0])
B = np.array([1.5, 0.25, -2.0])

CASES = [
    IRCase(
        ex.scalar_arith,
        (1.5, 2.0),
        mode="grad",
        ir="""
        def grad_scalar_arith(x, y):
            %0 = mul(x, y)
            %1 = truediv(x, y)
            %2 = sub(%0, %1)
            # reverse sweep
            bx = truediv(-1.0, y)
            %3 = mul(1.0, %1)
            by = truediv(%3, y)
            bx.1 = mul(1.0, y)
            bx.2 = add(bx, bx.1)
            by.1 = mul(1.0, x)
            by.2 = add(by, by.1)
            grads = tuple(bx.2, by.2)
            %4 = tuple(%2, grads)
            return %4
        """,
    ),
    IRCase(
        ex.array_arith,
        (A, B),
        mode="vjp",
        ir="""
        def vjp_array_arith_fwd(x, y):
            %0 = mul(x, y)
            residuals = tuple(y, x)
            %1 = tuple(%0, residuals)
            return %1

        def vjp_array_arith_bwd(residuals, g):
            y = getitem(residuals, 0)
            x = getitem(residuals, 1)
            %0 = mul(g, y)
            bx = srcad.runtime.unbroadcast(%0, x)
            %1 = mul(g, x)
            by = srcad.runtime.unbroadcast(%1, y)
            %2 = tuple(bx, by)
            return %2
        """,
    ),
    IRCase(
        ex.joint_add,
        (A, B),
        mode="vjp",
        ir="""
        def vjp_joint_add_fwd(x, y):
            %0 = add(x, y)
            residuals = tuple(x, y)
            %1 = tuple(%0, residuals)
            return %1

        def vjp_joint_add_bwd(residuals, g):
            x = getitem(residuals, 0)
            y = getitem(residuals, 1)
            bx = srcad.runtime.unbroadcast(g, x)
            by = srcad.runtime.unbroadcast(g, y)
            %0 = tuple(bx, by)
            return %0
        """,
    ),
    IRCase(
        ex.comparison,
        (A,),
        mode="vjp",
        ir="""
        def vjp_comparison_fwd(x):
            %0 = gt(x, 1.0)
            %1 = mul(x, %0)
            residuals = tuple(%0, x)
            %2 = tuple(%1, residuals)
            return %2

        def vjp_comparison_bwd(residuals, g):
            %0 = getitem(residuals, 0)
            x = getitem(residuals, 1)
            %1 = mul(g, %0)
            bx = srcad.runtime.unbroadcast(%1, x)
            %2 = tuple(bx)
            return %2
        """,
    ),
    IRCase(
        ex.where,
        (A, B),
        mode="vjp",
        ir="""
        def vjp_where_fwd(x, y):
            %0 = gt(x, 0.0)
            %1 = numpy.sin(x)
            %2 = numpy.where(%0, %1, y)
            residuals = tuple(%0, %1, y, x)
            %3 = tuple(%2, residuals)
            return %3

        def vjp_where_bwd(residuals, g):
            %0 = getitem(residuals, 0)
            %1 = getitem(residuals, 1)
            y = getitem(residuals, 2)
            x = getitem(residuals, 3)
            %2 = numpy.where(%0, g, 0.0)
            %3 = srcad.runtime.unbroadcast(%2, %1)
            %4 = numpy.where(%0, 0.0, g)
            by = srcad.runtime.unbroadcast(%4, y)
            %5 = numpy.shape(%1)
            sel = srcad.runtime.where_mask(%5, %0)
            %6 = numpy.cos(x)
            %7 = mul(%3, %6)
            bx = numpy.where(sel, %7, 0.0)
            %8 = tuple(bx, by)
            return %8
        """,
    ),
    IRCase(
        ex.tuple_index,
        (1.5, 2.0),
        mode="grad",
        ir="""
        def grad_tuple_index(x, y):
            t = tuple(x, y)
            %0 = len(t)
            %1 = sub(%0, 1)
            %2 = getitem(t, %1)
            %3 = mul(x, %2)
            # reverse sweep
            bx = mul(1.0, %2)
            %4 = mul(1.0, x)
            bt = srcad.runtime.getitem_vjp(%4, t, %1)
            bx.1 = srcad.runtime.elem(bt, 0, x)
            bx.2 = add(bx, bx.1)
            by = srcad.runtime.elem(bt, 1, y)
            grads = tuple(bx.2, by)
            %5 = tuple(%3, grads)
            return %5
        """,
    ),
    IRCase(
        ex.list_index,
        (1.5, 2.0),
        mode="grad",
        ir="""
        def grad_list_index(x, y):
            %0 = mul(y, y)
            xs = list(x, %0)
            %1 = len(xs)
            %2 = sub(%1, 1)
            %3 = getitem(xs, %2)
            %4 = sub(%3, x)
            # reverse sweep
            bxs = srcad.runtime.getitem_vjp(1.0, xs, %2)
            bx = srcad.runtime.elem(bxs, 0, x)
            bx.1 = add(-1.0, bx)
            %5 = srcad.runtime.elem(bxs, 1, %0)
            by = mul(%5, y)
            by.1 = mul(%5, y)
            by.2 = add(by, by.1)
            grads = tuple(bx.1, by.2)
            %6 = tuple(%4, grads)
            return %6
        """,
    ),
    IRCase(
        ex.dict_index,
        (1.5, 2.0),
        mode="grad",
        ir="""
        def grad_dict_index(x, y):
            d = dict('a', x, 'b', y)
            %0 = len(d)
            %1 = sub(%0, 1)
            %2 = getitem(('a', 'b'), %1)
            %3 = getitem(d, %2)
            %4 = mul(x, %3)
            # reverse sweep
            %5 = mul(1.0, %3)
            bx = srcad.runtime.unbroadcast(%5, x)
            %6 = mul(1.0, x)
            %7 = srcad.runtime.unbroadcast(%6, %3)
            bd = srcad.runtime.getitem_vjp(%7, d, %2)
            bx.1 = srcad.runtime.elem(bd, 'a', x)
            bx.2 = add(bx, bx.1)
            by = srcad.runtime.elem(bd, 'b', y)
            grads = tuple(bx.2, by)
            %8 = tuple(%4, grads)
            return %8
        """,
    ),
    IRCase(
        ex.set_item,
        (1.5, B),
        mode="vjp",
        ir="""
        def vjp_set_item_fwd(x, y):
            z = numpy.zeros(3)
            z.1 = setitem(z, 1, x)
            %0 = mul(z.1, y)
            residuals = tuple(y, z.1, x)
            %1 = tuple(%0, residuals)
            return %1

        def vjp_set_item_bwd(residuals, g):
            y = getitem(residuals, 0)
            z = getitem(residuals, 1)
            x = getitem(residuals, 2)
            %0 = mul(g, y)
            bz = srcad.runtime.unbroadcast(%0, z)
            %1 = mul(g, z)
            by = srcad.runtime.unbroadcast(%1, y)
            bx = srcad.runtime.setitem_vjp_v(bz, 1, x)
            %2 = tuple(bx, by)
            return %2
        """,
    ),
    IRCase(
        ex.append,
        (1.5, 2.0),
        mode="grad",
        ir="""
        def grad_append(x, y):
            xs = list()
            xs.1 = list_append(xs, x)
            %0 = mul(x, y)
            xs.2 = list_append(xs.1, %0)
            %1 = getitem(xs.2, 0)
            %2 = getitem(xs.2, 1)
            %3 = add(%1, %2)
            # reverse sweep
            bxs = srcad.runtime.getitem_vjp(1.0, xs.2, 1)
            bxs.1 = srcad.runtime.add_at(bxs, 0, 1.0, xs.2)
            %4 = srcad.runtime.elem(bxs.1, -1, %0)
            bxs.2 = srcad.runtime.drop_last_inplace(bxs.1)
            bx = mul(%4, y)
            by = mul(%4, x)
            bx.1 = srcad.runtime.elem(bxs.2, -1, x)
            bx.2 = add(bx, bx.1)
            grads = tuple(bx.2, by)
            %5 = tuple(%3, grads)
            return %5
        """,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_vjp_ir(case: IRCase, update_golden: bool) -> None:
    check_ir(case, update_golden)
