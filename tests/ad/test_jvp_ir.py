"""Forward mode, IR level: the function `srcad.ad.jvp` generates for each construct, as the build
driver gives it right after the transform stage (``stop_after="transform"``, before any
optimisation of the AD output), pinned as text; each case's derivative is also checked against
central finite differences (tests/ad/irtext.py). ``pytest --update-golden`` rewrites a pinned
text that differs in this file.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from tests.ad import examples as ex
from tests.ad.irtext import IRCase, block, check_ir

A = np.array([0.5, -1.5, 2.0])
B = np.array([1.5, 0.25, -2.0])

CASES = [
    IRCase(
        ex.scalar_arith,
        (1.5, 2.0),
        ir="""
        def jvp_scalar_arith(x, y, dx, dy):
            %0 = mul(x, y)
            %1 = mul(dx, y)
            %2 = mul(x, dy)
            %3 = add(%1, %2)
            %4 = truediv(x, y)
            %5 = truediv(dx, y)
            %6 = mul(dy, %4)
            %7 = truediv(%6, y)
            %8 = sub(%5, %7)
            %9 = sub(%0, %4)
            %10 = sub(%3, %8)
            %11 = tuple(%9, %10)
            return %11
        """,
    ),
    IRCase(
        ex.array_arith,
        (A, B),
        ir="""
        def jvp_array_arith(x, y, dx, dy):
            %0 = mul(x, y)
            %1 = mul(dx, y)
            %2 = mul(x, dy)
            %3 = add(%1, %2)
            %4 = tuple(%0, %3)
            return %4
        """,
    ),
    IRCase(
        ex.joint_add,
        (A, B),
        ir="""
        def jvp_joint_add(x, y, dx, dy):
            %0 = add(x, y)
            %1 = add(dx, dy)
            %2 = tuple(%0, %1)
            return %2
        """,
    ),
    IRCase(
        ex.joint_add,
        (A, B),
        wrt=(0,),
        name="joint_add_single",
        ir="""
        def jvp_joint_add(x, y, dx):
            %0 = add(x, y)
            %1 = srcad.runtime.broadcast_like(dx, %0)
            %2 = tuple(%0, %1)
            return %2
        """,
    ),
    IRCase(
        ex.comparison,
        (A,),
        ir="""
        def jvp_comparison(x, dx):
            %0 = gt(x, 1.0)
            %1 = mul(x, %0)
            %2 = mul(dx, %0)
            %3 = tuple(%1, %2)
            return %3
        """,
    ),
    IRCase(
        ex.where,
        (A, B),
        ir="""
        def jvp_where(x, y, dx, dy):
            %0 = gt(x, 0.0)
            %1 = numpy.sin(x)
            %2 = numpy.cos(x)
            %3 = mul(dx, %2)
            %4 = numpy.where(%0, %1, y)
            %5 = srcad.runtime.zeros_like(%0)
            %6 = numpy.where(%0, %3, dy)
            %7 = tuple(%4, %6)
            return %7
        """,
    ),
    IRCase(
        ex.tuple_index,
        (1.5, 2.0),
        ir="""
        def jvp_tuple_index(x, y, dx, dy):
            t = tuple(x, y)
            dt = tuple(dx, dy)
            %0 = len(t)
            %1 = sub(%0, 1)
            %2 = getitem(t, %1)
            %3 = getitem(dt, %1)
            %4 = mul(x, %2)
            %5 = mul(dx, %2)
            %6 = mul(x, %3)
            %7 = add(%5, %6)
            %8 = tuple(%4, %7)
            return %8
        """,
    ),
    IRCase(
        ex.list_index,
        (1.5, 2.0),
        ir="""
        def jvp_list_index(x, y, dx, dy):
            %0 = mul(y, y)
            %1 = mul(dy, y)
            %2 = mul(y, dy)
            %3 = add(%1, %2)
            xs = list(x, %0)
            dxs = list(dx, %3)
            %4 = len(xs)
            %5 = sub(%4, 1)
            %6 = getitem(xs, %5)
            %7 = getitem(dxs, %5)
            %8 = sub(%6, x)
            %9 = sub(%7, dx)
            %10 = tuple(%8, %9)
            return %10
        """,
    ),
    IRCase(
        ex.dict_index,
        (1.5, 2.0),
        ir="""
        def jvp_dict_index(x, y, dx, dy):
            d = dict('a', x, 'b', y)
            dd = dict('a', dx, 'b', dy)
            %0 = len(d)
            %1 = sub(%0, 1)
            %2 = getitem(('a', 'b'), %1)
            %3 = getitem(d, %2)
            %4 = getitem(dd, %2)
            %5 = mul(x, %3)
            %6 = mul(dx, %3)
            %7 = mul(x, %4)
            %8 = add(%6, %7)
            %9 = tuple(%5, %8)
            return %9
        """,
    ),
    IRCase(
        ex.set_item,
        (1.5, B),
        ir="""
        def jvp_set_item(x, y, dx, dy):
            z = numpy.zeros(3)
            z.1 = setitem(z, 1, x)
            %0 = srcad.runtime.zeros_like(z)
            dz = setitem(%0, 1, dx)
            %1 = mul(z.1, y)
            %2 = mul(dz, y)
            %3 = mul(z.1, dy)
            %4 = add(%2, %3)
            %5 = tuple(%1, %4)
            return %5
        """,
    ),
    IRCase(
        ex.append,
        (1.5, 2.0),
        ir="""
        def jvp_append(x, y, dx, dy):
            xs = list()
            xs.1 = list_append(xs, x)
            dxs = list()
            dxs.1 = list_append(dxs, dx)
            %0 = mul(x, y)
            %1 = mul(dx, y)
            %2 = mul(x, dy)
            %3 = add(%1, %2)
            xs.2 = list_append(xs.1, %0)
            dxs.2 = list_append(dxs.1, %3)
            %4 = getitem(xs.2, 0)
            %5 = getitem(dxs.2, 0)
            %6 = getitem(xs.2, 1)
            %7 = getitem(dxs.2, 1)
            %8 = add(%4, %6)
            %9 = add(%5, %7)
            %10 = tuple(%8, %9)
            return %10
        """,
    ),
    IRCase(
        ex.branch,
        (0.5,),
        ir="""
        def jvp_branch(x, dx):
            %0 = gt(x, 0.0)
            y, dy = if %0 {
                y.1 = numpy.sin(x)
                %1 = numpy.cos(x)
                dy.1 = mul(dx, %1)
                yield y.1, dy.1
            } else {
                y.2 = mul(x, x)
                %2 = mul(dx, x)
                %3 = mul(x, dx)
                dy.2 = add(%2, %3)
                yield y.2, dy.2
            }
            %4 = tuple(y, dy)
            return %4
        """,
    ),
    IRCase(
        ex.loop_carry,
        (1.5,),
        ir="""
        def jvp_loop_carry(x, dx):
            s.1, ds.1 = for i in range(0, 3, 1) carry(s = x, ds = dx) {
                s.2 = mul(s, x)
                %0 = mul(ds, x)
                %1 = mul(s, dx)
                ds.2 = add(%0, %1)
                yield s.2, ds.2
            }
            %2 = tuple(s.1, ds.1)
            return %2
        """,
    ),
    IRCase(
        ex.while_break,
        (1.5,),
        ir="""
        def jvp_while_break(x, dx):
            n.1, s.1, ds.1 = while carry(n = 0, s = x, ds = dx) {
                yield True
            } do (n.2, s.2, ds.2) {
                s.3 = mul(s.2, x)
                %0 = mul(ds.2, x)
                %1 = mul(s.2, dx)
                ds.3 = add(%0, %1)
                n.3 = add(n.2, 1)
                %2 = ge(n.3, 3)
                brk = if %2 {
                    yield True
                } else {
                    yield False
                }
                yield n.3, s.3, ds.3; break if brk
            }
            %3 = tuple(s.1, ds.1)
            return %3
        """,
    ),
    IRCase(
        ex.calls_user,
        (1.5,),
        ir="""
        def jvp_calls_user(x, dx):
            square = global square
            jvp_square = global jvp_square [generated=True]
            %0 = call(jvp_square, x, dx)
            %1 = getitem(%0, 0)
            %2 = getitem(%0, 1)
            %3 = add(%1, x)
            %4 = add(%2, dx)
            %5 = tuple(%3, %4)
            return %5

        def jvp_square(a, da):
            %0 = mul(a, a)
            %1 = mul(da, a)
            %2 = mul(a, da)
            %3 = add(%1, %2)
            %4 = tuple(%0, %3)
            return %4
        """,
    ),
    IRCase(
        ex.power,
        (1.5, 3),
        ir="""
        def jvp_power(x, n, dx):
            %0 = eq(n, 0)
            retval, dretval = if %0 {
                yield 1.0, 0.0
            } else {
                power = global power
                %1 = sub(n, 1)
                jvp_power_2 = global jvp_power_2 [generated=True]
                %2 = call(jvp_power_2, x, %1, dx)
                %3 = getitem(%2, 0)
                %4 = getitem(%2, 1)
                %5 = mul(x, %3)
                %6 = mul(dx, %3)
                %7 = mul(x, %4)
                %8 = add(%6, %7)
                yield %5, %8
            }
            %9 = tuple(retval, dretval)
            return %9

        def jvp_power_2(x, n, dx):
            %0 = eq(n, 0)
            retval, dretval = if %0 {
                yield 1.0, 0.0
            } else {
                power = global power
                %1 = sub(n, 1)
                jvp_power_2 = global jvp_power_2 [generated=True]
                %2 = call(jvp_power_2, x, %1, dx)
                %3 = getitem(%2, 0)
                %4 = getitem(%2, 1)
                %5 = mul(x, %3)
                %6 = mul(dx, %3)
                %7 = mul(x, %4)
                %8 = add(%6, %7)
                yield %5, %8
            }
            %9 = tuple(retval, dretval)
            return %9
        """,
    ),
    # the version the recursive call asked for is the same code: merged into the entry point
    IRCase(
        ex.power,
        (1.5, 3),
        stage="optimise-ad",
        name="power_merged",
        ir="""
        def jvp_power(x, n, dx):
            %0 = eq(n, 0)
            retval, dretval = if %0 {
                yield 1.0, 0.0
            } else {
                %1 = sub(n, 1)
                jvp_power = global jvp_power [generated=True]
                %2 = call(jvp_power, x, %1, dx)
                %3 = getitem(%2, 0)
                %4 = getitem(%2, 1)
                %5 = mul(x, %3)
                %6 = mul(dx, %3)
                %7 = mul(x, %4)
                %8 = add(%6, %7)
                yield %5, %8
            }
            %9 = tuple(retval, dretval)
            return %9
        """,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_jvp_ir(case: IRCase, update_golden: bool) -> None:
    check_ir(case, update_golden)


def test_update_golden_rewrites_the_inline_text(tmp_path, monkeypatch) -> None:
    """``--update-golden`` writes the actual IR into the ``IRCase(...)`` call, one argument a
    line; the rewritten file then passes."""
    mod = tmp_path / "pinned_case.py"
    mod.write_text(
        "from tests.ad import examples as ex\n"
        "from tests.ad.irtext import IRCase, block, check_ir\n\n"
        'CASE = IRCase(ex.joint_add, (1.5, 2.0), ir="""stale""")\n\n\n'
        "def run(update):\n"
        "    check_ir(CASE, update)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    pinned = __import__("pinned_case")
    pinned.run(True)
    assert mod.read_text().split("CASE = ")[1].split("\n\n\n")[0] == block('''
        IRCase(
            ex.joint_add,
            (1.5, 2.0),
            ir="""
            def jvp_joint_add(x, y, dx, dy):
                %0 = add(x, y)
                %1 = add(dx, dy)
                %2 = tuple(%0, %1)
                return %2
            """,
        )
    ''')
    with pytest.raises(pytest.fail.Exception, match="differs"):
        pinned.run(False)  # the module in memory still holds the stale text
    importlib.reload(pinned).run(False)
