"""Backend tests: hand-built IR -> emitted source -> compiled and run against expected values."""

from __future__ import annotations

import linecache
import math
import traceback

import numpy as np
import pytest

from srcad.backend.compile import compile_emitted
from srcad.backend.emit import Emitted, emit_function, emit_functions
from srcad.frontend.source import Namespace
from srcad.ssa.builder import Builder, as_operand
from srcad.ssa.core import Block, Const, Function, Loc, Op, Var
from srcad.ssa.verify import verify

# -- helpers: tiny IR construction DSL -----------------------------------------------------------


def make(name, pnames, build, namespace=None, defaults=None):
    params = [Var(n) for n in pnames]
    body = Block()
    body.yields = [as_operand(build(Builder(body, Loc(2, 4)), *params))]
    fn = Function(name, params, list(pnames), body, defaults or {}, namespace=namespace)
    assert verify(fn) == []
    return fn


def for_loop(b, rng, inits, body, hints, has_break=False):
    i, carries = Var("i"), [Var(h) for h in hints]
    blk = Block([i, *carries])
    blk.yields = [as_operand(y) for y in body(Builder(blk), i, *carries)]
    res = [Var(h) for h in hints]
    params = {"has_break": True} if has_break else {}
    args = [as_operand(a) for a in (*rng, *inits)]
    b.append(Op("for", args, results=res, blocks=[blk], params=params))
    return res


def while_loop(b, inits, cond, body, hints, has_break=False):
    cp, bp = [Var(h) for h in hints], [Var(h) for h in hints]
    cblk, bblk = Block(cp), Block(bp)
    cblk.yields = [as_operand(cond(Builder(cblk), *cp))]
    bblk.yields = [as_operand(y) for y in body(Builder(bblk), *bp)]
    res = [Var(h) for h in hints]
    params = {"has_break": True} if has_break else {}
    b.append(
        Op("while", [as_operand(a) for a in inits], results=res, blocks=[cblk, bblk], params=params)
    )
    return res


def if_op(b, cond, then, orelse, hints):
    blocks = []
    for branch in (then, orelse):
        blk = Block()
        blk.yields = [as_operand(y) for y in branch(Builder(blk))]
        blocks.append(blk)
    res = [Var(h) for h in hints]
    b.append(Op("if", [as_operand(cond)], results=res, blocks=blocks))
    return res


def compiled(fn, globals_dict=None, label="test"):
    em = emit_function(fn)
    return compile_emitted(em, {} if globals_dict is None else globals_dict, label)[fn.name], em


# -- straight line -------------------------------------------------------------------------------


def test_straight_line_golden_and_value():
    def build(b, x):
        s = b.op("numpy.sin", [x], hint="s")
        y = b.op("add", [b.op("mul", [s, 2.0]), b.op("pow", [x, 2])], hint="y")
        return b.op("neg", [y], hint="y")

    f, em = compiled(make("f", ["x"], build))
    assert em.source == (
        "def f(x):\n    s = np.sin(x)\n    y = s * 2.0 + x ** 2\n    y_1 = -y\n    return y_1\n"
    )
    assert em.modules == {"np": "numpy"}
    assert f(0.5) == pytest.approx(-(np.sin(0.5) * 2 + 0.25))


def test_operators_containers_and_constants():
    def build(b, x, y):
        c = b.op("lt", [x, y])
        n = b.op("not", [c])
        isn = b.op("is_not", [x, None])
        t = b.op("tuple", [x, y, n, isn, Const(-1), Const(-0.0), Const(math.inf), Const(-math.inf)])
        lst = b.op("list", [x])
        lst2 = b.op("list_append", [lst, y], hint="lst")
        d = b.op("dict", ["a", x, "b", lst2])
        inn = b.op("in", ["a", d])
        cx = b.op(
            "tuple", [Const(2j), Const(1 + 2j), Const(complex(math.nan, 1)), Const(slice(1, None))]
        )
        return b.op("tuple", [t, d, inn, cx, Const(math.nan), Const((1, "s", None, ...))])

    f, em = compiled(make("f", ["x", "y"], build))
    t, d, inn, cx, nan, tup = f(1.0, 2.0)
    assert t[:4] == (1.0, 2.0, False, True)
    assert t[4] == -1 and math.copysign(1, t[5]) < 0 and t[6] == math.inf and t[7] == -math.inf
    assert d == {"a": 1.0, "b": [1.0, 2.0]} and inn is True
    assert cx[0] == 2j and cx[1] == 1 + 2j and math.isnan(cx[2].real) and cx[3] == slice(1, None)
    assert math.isnan(nan) and tup == (1, "s", None, ...)
    assert "float('inf')" in em.source and "float('nan')" in em.source
    assert "lst = [x] + [y]" in em.source


def test_nonliteral_constant_is_bound():
    arr = np.arange(3.0)

    def build(b, x):
        return b.op("add", [x, Const(arr)])

    f, em = compiled(make("f", ["x"], build))
    assert em.bindings == {"_c": arr}
    assert np.array_equal(f(1.0), arr + 1)


def test_getitem_inline_indices():
    def build(b, x, i):
        j = b.op("add", [i, 2])
        sl = b.op("slice", [i, j, None])
        full = b.op("slice", [None, None, None])
        idx = b.op("tuple", [sl, full, Const(None)])
        a = b.op("getitem", [x, idx], hint="a")
        c = b.op("getitem", [x, Const((slice(None), 0))], hint="c")
        e = b.op("getitem", [x, Const(Ellipsis)], hint="e")
        return b.op("tuple", [a, c, e])

    f, em = compiled(make("f", ["x", "i"], build))
    assert "a = x[i:i + 2, :, None]" in em.source
    assert "c = x[:, 0]" in em.source and "e = x[...]" in em.source
    x = np.arange(20.0).reshape(5, 4)
    a, c, e = f(x, 1)
    assert np.array_equal(a, x[1:3, :, None]) and np.array_equal(c, x[:, 0]) and e is not x


def test_setitem_slice_tuple_index_copies():
    def build(b, x, i):
        j = b.op("add", [i, 2])
        idx = b.op("tuple", [b.op("slice", [i, j, None]), b.op("slice", [None, None, None])])
        y = b.op("setitem", [x, idx, 0.0], hint="x")
        return y

    f, em = compiled(make("f", ["x", "i"], build))
    assert "x_1 = _srcad.layout_copy(x)\n    x_1[i:_t1, :] = 0.0" in em.source
    x = np.ones((4, 3))
    y = f(x, 1)
    assert np.all(x == 1) and y[1:3].sum() == 0 and y[0].sum() == 3 and y[3].sum() == 3


def test_method_attr_call_and_expression_statement():
    calls = []

    def build(b, x):
        s = b.op("method.sum", [x], {"axis": Const(0)}, hint="s")
        t = b.op("attr.T", [x], hint="t")
        rec = b.op("global", [], params={"name": "record"})
        b.block.ops.append(Op("call", [rec, s]))  # 0 results: a statement
        b.op("call", [rec, t])  # result never used: a statement too
        return b.op("add", [s, b.op("method.sum", [t])])

    f, em = compiled(make("f", ["x"], build), {"record": calls.append})
    assert "s = x.sum(axis=0)" in em.source and "t = x.T" in em.source
    assert "\n    record(s)\n" in em.source and "\n    record(t)\n" in em.source
    x = np.arange(6.0).reshape(2, 3)
    assert np.allclose(f(x), x.sum(axis=0) + x.sum())
    assert len(calls) == 2


# -- globals, free variables, modules --------------------------------------------------------------


def test_global_is_read_live_and_globals_not_mutated():
    g = {"SCALE": 2.0}

    def build(b, x):
        return b.op("mul", [x, b.op("global", [], params={"name": "SCALE"})])

    f, em = compiled(make("f", ["x"], build, Namespace(g)), g)
    assert "return x * SCALE" in em.source.replace(
        "_t1 = x * SCALE\n    return _t1", "return x * SCALE"
    )
    assert f(3.0) == 6.0
    g["SCALE"] = 10.0
    assert f(3.0) == 30.0
    assert set(g) == {"SCALE"}


def test_free_variable_bound_in_factory():
    def build(b, x):
        return b.op("mul", [x, b.op("free", [], params={"name": "w"})])

    fn = make("f", ["x"], build, Namespace({}, closure={"w": 5.0}))
    f, em = compiled(fn)
    assert em.bindings == {"w": 5.0}
    assert f(2.0) == 10.0


def test_module_alias_avoids_user_global_np():
    g = {"np": "not numpy"}

    def build(b, x):
        s = b.op("numpy.cos", [x])
        return b.op("tuple", [s, b.op("global", [], params={"name": "np"})])

    f, em = compiled(make("f", ["x"], build, Namespace(g)), g)
    assert em.modules == {"_np": "numpy"} and "_np.cos(x)" in em.source
    assert f(0.0) == (1.0, "not numpy")


def test_module_alias_shares_user_global_np_when_same_module():
    g = {"np": np}

    def build(b, x):
        return b.op("tuple", [b.op("numpy.cos", [x]), b.op("global", [], params={"name": "np"})])

    f, em = compiled(make("f", ["x"], build, Namespace(g)), g)
    assert em.modules == {"np": "numpy"}
    assert f(0.0) == (1.0, np)


def test_submodules_and_other_packages():
    def build(b, a, x):
        s = b.op("numpy.linalg.solve", [a, x])
        return b.op("add", [b.op("scipy.special.gammaln", [s]), b.op("math.exp", [0.0])])

    f, em = compiled(make("f", ["a", "x"], build))
    assert "np.linalg.solve(a, x)" in em.source and "scipy.special.gammaln(" in em.source
    assert "math.exp(0.0)" in em.source
    assert f(np.eye(2) * 2, np.array([2.0, 4.0])) == pytest.approx([1.0, math.lgamma(2.0) + 1.0])


def test_runtime_alias_and_builtins_text_only():
    def build(b, x):
        u = b.op("srcad.runtime.unbroadcast", [x, Const((2,))])
        return b.op("abs", [b.op("len", [u])])

    em = emit_function(make("f", ["x"], build))
    assert em.modules == {"_srcad": "srcad.runtime"}
    assert (
        "_srcad.unbroadcast(x, (2,))" in em.source
        and "abs(len(_srcad.unbroadcast(x, (2,))))" in em.source
    )


def test_local_names_never_shadow_globals_or_builtins():
    def build(b, x):
        a = b.op("add", [x, 1], hint="len")
        c = b.op("mul", [a, b.op("global", [], params={"name": "K"})], hint="K")
        return b.op("len", [b.op("list", [c, b.op("add", [c, 1], hint="range")])])

    f, em = compiled(make("f", ["x"], build, Namespace({"K": 3})), {"K": 3})
    assert "len_1 = x + 1" in em.source and "K_1 = len_1 * K" in em.source
    assert "range_1 = " in em.source
    assert f(1) == 2


def test_defaults_and_name_override():
    marker = object()

    def build(b, x, y, z):
        return b.op("tuple", [x, y, z])

    fn = make("f", ["x", "y", "z"], build, defaults={"y": 2.5, "z": marker})
    em = emit_functions([fn], ["jvp_f"])
    assert em.source.startswith("def jvp_f(x, y=2.5, z=_jvp_f_z_default):")
    f = compile_emitted(em, {}, "defaults")["jvp_f"]
    assert f(1) == (1, 2.5, marker)


def test_two_functions_one_factory():
    def bf(b, x):
        return b.op("mul", [x, b.op("free", [], params={"name": "w"})])

    def bg(b, x):
        return b.op("add", [x, b.op("free", [], params={"name": "w"})])

    f = make("f", ["x"], bf, Namespace({}, closure={"w": 2.0}))
    g = make("g", ["x"], bg, Namespace({}, closure={"w": 7.0}))
    em = emit_functions([f, g])
    assert em.bindings == {"w": 2.0, "w_1": 7.0}
    fns = compile_emitted(em, {}, "two")
    assert fns["f"](3.0) == 6.0 and fns["g"](3.0) == 10.0
    assert "\n\ndef g(x):" in em.source


def test_comment_lines():
    def build(b, x):
        b.block.ops.append(Op("comment", params={"text": "forward sweep\nsecond line"}))
        y = b.op("mul", [x, 3])
        return y

    f, em = compiled(make("f", ["x"], build))
    assert "    # forward sweep\n    # second line\n    return x * 3\n" in em.source
    assert f(2) == 6


# -- control flow --------------------------------------------------------------------------------


def test_if_with_results():
    def build(b, x):
        c = b.op("gt", [x, 0])
        (r,) = if_op(
            b, c, lambda t: [t.op("mul", [x, 2], hint="r")], lambda e: [e.op("neg", [x])], ["r"]
        )
        return r

    f, em = compiled(make("f", ["x"], build))
    assert "if x > 0:\n        r = x * 2\n    else:\n        r = -x\n    return r" in em.source
    assert f(3) == 6 and f(-3) == 3


def test_if_yielding_outer_values_copies_and_empty_else():
    def build(b, x, y):
        r, s = if_op(b, b.op("lt", [x, y]), lambda t: [y, x], lambda e: [x, y], ["r", "s"])
        return b.op("tuple", [r, s])

    f, _ = compiled(make("f", ["x", "y"], build))
    assert f(1, 2) == (2, 1) and f(2, 1) == (2, 1)


def test_for_with_carries_golden():
    def build(b, x, n):
        def body(bb, i, s, p):
            return [bb.op("add", [s, i], hint="s"), bb.op("mul", [p, x], hint="p")]

        s, p = for_loop(b, [0, n, 1], [0.0, x], body, ["s", "p"])
        return b.op("add", [s, p])

    f, em = compiled(make("f", ["x", "n"], build))
    assert em.source == (
        "def f(x, n):\n"
        "    s = 0.0\n"
        "    p = x\n"
        "    for i in range(n):\n"
        "        s = s + i\n"
        "        p = p * x\n"
        "    return s + p\n"
    )
    assert f(2.0, 4) == 6.0 + 2.0**5


def test_for_init_coalesced_when_dead_after_loop():
    def build(b, x, n):
        y = b.op("mul", [x, 2], hint="y")
        (y2,) = for_loop(
            b, [1, n, 2], [y], lambda bb, i, c: [bb.op("add", [c, i], hint="y")], ["y"]
        )
        return y2

    f, em = compiled(make("f", ["x", "n"], build))
    assert "y = x * 2\n    for i in range(1, n, 2):\n        y = y + i\n    return y" in em.source
    assert f(1, 6) == 2 + 1 + 3 + 5


def test_for_init_not_coalesced_when_read_after_loop():
    def build(b, x, n):
        (s,) = for_loop(b, [0, n, 1], [x], lambda bb, i, c: [bb.op("add", [c, 1], hint="x")], ["x"])
        return b.op("sub", [s, x])  # x is still needed

    f, em = compiled(make("f", ["x", "n"], build))
    assert "x_1 = x" in em.source
    assert f(10, 3) == 3


def test_for_init_not_coalesced_when_read_inside_loop():
    def build(b, x, n):
        body = lambda bb, i, c: [bb.op("add", [c, x], hint="x")]
        (s,) = for_loop(b, [0, n, 1], [x], body, ["x"])
        return s

    f, _ = compiled(make("f", ["x", "n"], build))
    assert f(3, 3) == 12


def test_carry_not_coalesced_when_param_read_after_new_value():
    # a, b = a + b, a * 2: the new `a` must not overwrite `a` before `a * 2` reads it.
    def build(b, a0, b0, n):
        def body(bb, i, a, c):
            a2 = bb.op("add", [a, c], hint="a")
            c2 = bb.op("mul", [a, 2], hint="b")
            return [a2, c2]

        a, c = for_loop(b, [0, n, 1], [a0, b0], body, ["a", "b"])
        return b.op("tuple", [a, c])

    def ref(a, b, n):
        for _ in range(n):
            a, b = a + b, a * 2
        return a, b

    f, em = compiled(make("f", ["a0", "b0", "n"], build))
    # The new `a` gets its own name and is copied last; the new `b` updates `b` in place.
    assert "a_1 = a + b\n        b = a * 2\n        a = a_1\n" in em.source
    assert f(1, 2, 5) == ref(1, 2, 5)


def test_swap_uses_tuple_assignment():
    def build(b, x, y, n):
        a, c = for_loop(b, [0, n, 1], [x, y], lambda bb, i, a, c: [c, a], ["a", "b"])
        return b.op("tuple", [a, c])

    f, em = compiled(make("f", ["x", "y", "n"], build))
    assert "a, b = b, a" in em.source
    assert f(1, 2, 3) == (2, 1) and f(1, 2, 4) == (1, 2)


def test_setitem_in_loop_coalesces_copy_target():
    def build(b, x, n):
        body = lambda bb, i, c: [bb.op("setitem", [c, i, bb.op("mul", [i, i])], hint="x")]
        (r,) = for_loop(b, [0, n, 1], [x], body, ["x"])
        return r

    f, em = compiled(make("f", ["x", "n"], build))
    assert "x = _srcad.layout_copy(x)\n        x[i] = _t1" in em.source
    x = np.zeros(4)
    assert list(f(x, 4)) == [0, 1, 4, 9] and x.sum() == 0


def test_for_with_break():
    def build(b, n, limit):
        def body(bb, i, s):
            s2 = bb.op("add", [s, i], hint="s")
            return [s2, bb.op("gt", [s2, limit], hint="stop")]

        (s,) = for_loop(b, [0, n, 1], [0], body, ["s"], has_break=True)
        return s

    def ref(n, limit):
        s = 0
        for i in range(n):
            s = s + i
            if s > limit:
                break
        return s

    f, em = compiled(make("f", ["n", "limit"], build))
    assert "if stop:\n            break" in em.source
    for args in [(10, 20), (5, 100), (0, 0)]:
        assert f(*args) == ref(*args)


def test_nested_loops_and_if_in_loop():
    def build(b, n, m):
        def inner(bb, j, s, i):
            prod = bb.op("mul", [i, j])
            odd = bb.op("mod", [j, 2])
            (s2,) = if_op(
                bb, odd, lambda t: [t.op("add", [s, prod], hint="s")], lambda e: [s], ["s"]
            )
            return [s2]

        def outer(bb, i, s):
            (s2,) = for_loop(bb, [0, m, 1], [s], lambda b3, j, c: inner(b3, j, c, i), ["s"])
            return [s2]

        (s,) = for_loop(b, [0, n, 1], [0], outer, ["s"])
        return s

    f, em = compiled(make("f", ["n", "m"], build))
    assert f(4, 5) == sum(i * j for i in range(4) for j in range(5) if j % 2)
    assert em.source.count("for ") == 2


def test_while_inlinable_condition():
    def build(b, x):
        cond = lambda bc, c: bc.op("lt", [bc.op("abs", [c]), 100])
        (r,) = while_loop(b, [x], cond, lambda bb, c: [bb.op("mul", [c, 2], hint="x")], ["x"])
        return r

    f, em = compiled(make("f", ["x"], build))
    assert "while abs(x) < 100:\n        x = x * 2\n    return x" in em.source
    assert f(3) == 192 and f(500) == 500


def test_while_not_inlinable_condition():
    def build(b, x):
        def cond(bc, c):
            t = bc.op("mul", [c, c])  # used twice: not a tree
            return bc.op("lt", [t, bc.op("add", [t, c])])

        def body(bb, c):
            return [bb.op("sub", [c, 1], hint="x")]

        (r,) = while_loop(b, [x], cond, body, ["x"])
        return r

    f, em = compiled(make("f", ["x"], build))
    assert "while True:" in em.source and "if not _t2:\n            break" in em.source
    assert f(5) == 0


def test_while_condition_order_mismatch_is_not_inlined():
    log = []

    def build(b, x):
        def cond(bc, c):
            g = bc.op("global", [], params={"name": "log"})
            first = bc.op("method.append", [g, 1])  # evaluated first in the block...
            second = bc.op("method.append", [g, 2])
            return bc.op("and_like", [second, first])  # ...but second in a tree order

        (r,) = while_loop(b, [x], cond, lambda bb, c: [c], ["x"])
        return r

    em = emit_function(make("f", ["x"], build, Namespace({"log": log})))
    assert "while True:" in em.source


def test_while_with_break_and_true_condition():
    def build(b, x):
        def body(bb, c):
            c2 = bb.op("mul", [c, 3], hint="x")
            return [c2, bb.op("gt", [c2, 50])]

        (r,) = while_loop(b, [x], lambda bc, c: Const(True), body, ["x"], has_break=True)
        return r

    f, em = compiled(make("f", ["x"], build))
    assert (
        "while True:\n        x = x * 3\n        _t1 = x > 50\n        if _t1:\n            break"
        in em.source
    )
    assert f(1) == 81


def test_traceback_shows_generated_line():
    def build(b, x, y):
        q = b.op("truediv", [x, y], hint="q")
        return q

    f, _ = compiled(make("f", ["x", "y"], build), label="tb f")
    try:
        f(1, 0)
    except ZeroDivisionError:
        tb = traceback.format_exc()
    assert "q = x / y" in tb and "<srcad tb f" in tb


def test_linecache_registration_and_suffix():
    fn1 = make("f", ["x"], lambda b, x: b.op("neg", [x]))
    fn2 = make("f", ["x"], lambda b, x: b.op("pos", [x]))
    g1 = compile_emitted(emit_function(fn1), {}, "dup")["f"]
    g2 = compile_emitted(emit_function(fn2), {}, "dup")["f"]
    g3 = compile_emitted(emit_function(fn1), {}, "dup")["f"]
    assert g1.__code__.co_filename == "<srcad dup>" == g3.__code__.co_filename
    assert g2.__code__.co_filename == "<srcad dup#2>"
    assert "-x" in "".join(linecache.getlines("<srcad dup>"))


def test_emit_is_deterministic():
    def build(b, x, n):
        body = lambda bb, i, c: [bb.op("add", [c, bb.op("numpy.sin", [i])], hint="x")]
        (r,) = for_loop(b, [0, n, 1], [x], body, ["x"])
        return b.op("mul", [r, b.op("free", [], params={"name": "w"})])

    def fresh():
        return emit_function(make("f", ["x", "n"], build, Namespace({}, closure={"w": 1.0})))

    a, b = fresh(), fresh()
    assert isinstance(a, Emitted) and a.source == b.source and a.bindings == b.bindings


def test_multi_result_op_and_range_start_stop():
    def build(b, a, n):
        q, r = Var("q"), Var("r")
        b.append(Op("divmod", [a, Const(7)], results=[q, r]))
        body = lambda bb, i, c: [bb.op("add", [c, i], hint="q")]
        (s,) = for_loop(b, [r, n, 1], [q], body, ["q"])
        return s

    f, em = compiled(make("f", ["a", "n"], build))
    assert "q, r = divmod(a, 7)\n    for i in range(r, n):" in em.source
    assert f(23, 5) == 3 + 2 + 3 + 4


def test_if_result_coalesced_into_carry():
    def build(b, x, n):
        def body(bb, i, s):
            odd = bb.op("mod", [i, 2])
            (v,) = if_op(
                bb, odd, lambda t: [t.op("mul", [x, i])], lambda e: [e.op("neg", [i])], ["s"]
            )
            return [v]

        (s,) = for_loop(b, [0, n, 1], [0], body, ["s"])
        return s

    f, em = compiled(make("f", ["x", "n"], build))
    assert (
        "if i % 2:\n            s = x * i\n        else:\n            s = -i\n    return s"
        in em.source
    )
    assert f(10, 4) == 30 and f(10, 0) == 0


# -- differential test: random structured IR, run by a reference interpreter and as emitted code --

_PY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "bitxor": lambda a, b: a ^ b}
_PY |= {"lt": lambda a, b: a < b, "gt": lambda a, b: a > b, "tuple": lambda *a: a}


def interpret(fn, *args):
    env = dict(zip(fn.params, args))

    def val(a):
        return a.value if isinstance(a, Const) else env[a]

    def block(blk, params=(), values=()):
        env.update(zip(blk.params, values))
        for op in blk.ops:
            a = [val(x) for x in op.args]
            if op.prim == "if":
                ys = block(op.blocks[0] if a[0] else op.blocks[1])
            elif op.prim in ("for", "while"):
                ys, n, brk = (
                    (a[3:] if op.prim == "for" else a),
                    len(op.results),
                    "has_break" in op.params,
                )
                it = range(*a[:3]) if op.prim == "for" else iter(int, 1)
                for i in it:
                    if op.prim == "while" and not block(op.blocks[0], (), ys)[0]:
                        break
                    out = block(op.blocks[-1], (), ([i, *ys] if op.prim == "for" else ys))
                    ys = out[:n]
                    if brk and out[n]:
                        break
            else:
                ys = [_PY[op.prim](*a)]
            env.update(zip(op.results, ys))
        return [val(y) for y in blk.yields]

    return block(fn.body)[0]


def random_function(rng):
    hints = ["x", "y", "s", ""]

    def pick(vis):
        return rng.choice(vis[-4:] + vis[:2])

    def ops(b, vis, depth):
        for _ in range(rng.randint(1, 4)):
            r = rng.random()
            if depth < 2 and r < 0.45:
                n = rng.randint(1, 3)
                kind = ["if", "for", "while"][int(r / 0.15)]
                vis += structured(b, kind, vis, depth, n)
            else:
                other = pick(vis) if rng.random() < 0.7 else Const(rng.randint(-3, 3))
                vis.append(
                    b.op(
                        rng.choice(["add", "sub", "bitxor"]),
                        [pick(vis), other],
                        hint=rng.choice(hints),
                    )
                )

    def inner(blk, vis, depth, n, brk):
        vis = vis + list(blk.params)
        ops(Builder(blk), vis, depth + 1)
        blk.yields = [pick(vis) for _ in range(n)]
        if brk:
            blk.yields.append(Builder(blk).op("gt", [pick(vis), Const(rng.randint(0, 9))]))

    def structured(b, kind, vis, depth, n):
        hs = [rng.choice(hints) for _ in range(n)]
        res, brk = [Var(h) for h in hs], kind != "if" and rng.random() < 0.4
        if kind == "if":
            blocks = [Block(), Block()]
            for blk in blocks:
                inner(blk, vis, depth, n, False)
            b.append(Op("if", [b.op("lt", [pick(vis), pick(vis)])], results=res, blocks=blocks))
        elif kind == "for":
            body = Block([Var("i")] + [Var(h) for h in hs])
            inner(body, vis, depth, n, brk)
            args = [Const(0), Const(rng.randint(0, 4)), Const(1)] + [pick(vis) for _ in hs]
            b.append(
                Op("for", args, results=res, blocks=[body], params={"has_break": 1} if brk else {})
            )
        else:  # carry 0 counts iterations
            cond, body = (
                Block([Var("k")] + [Var(h) for h in hs[1:]]),
                Block([Var("k")] + [Var(h) for h in hs[1:]]),
            )
            cb = Builder(cond)
            if rng.random() < 0.5:
                cb.op("add", [cond.params[-1], 1])  # an unused statement: not inlinable
            cond.yields = [cb.op("lt", [cond.params[0], Const(rng.randint(0, 3))])]
            inner(body, vis, depth, n, brk)
            body.yields[0] = Builder(body).op("add", [body.params[0], 1], hint="k")
            args = [Const(0)] + [pick(vis) for _ in hs[1:]]
            b.append(
                Op(
                    "while",
                    args,
                    results=res,
                    blocks=[cond, body],
                    params={"has_break": 1} if brk else {},
                )
            )
        return res

    params = [Var("x"), Var("y")]
    body = Block()
    vis = list(params)
    ops(Builder(body), vis, 0)
    body.yields = [Builder(body).op("tuple", vis[-5:])]
    return Function("f", params, ["x", "y"], body)


def test_random_programs_match_interpreter():
    import random

    for seed in range(400):
        fn = random_function(random.Random(seed))
        assert verify(fn) == [], seed
        f, em = compiled(fn, label=f"random {seed}")
        for args in [(0, 1), (3, -2), (7, 5)]:
            assert f(*args) == interpret(fn, *args), (seed, em.source)


def test_inlined_index_reads_old_carry_value():
    # sl = slice(k, None); k2 = k + 1; acc2 = acc + sum(x[sl]): the inlined `x[k:]` reads old k.
    def build(b, x, n):
        def body(bb, i, k, acc):
            sl = bb.op("slice", [k, None, None])
            k2 = bb.op("add", [k, 1], hint="k")
            part = bb.op("method.sum", [bb.op("getitem", [x, sl])])
            return [k2, bb.op("add", [acc, part], hint="acc")]

        _, acc = for_loop(b, [0, n, 1], [0, 0.0], body, ["k", "acc"])
        return acc

    f, em = compiled(make("f", ["x", "n"], build))
    assert "acc = acc + x[k:].sum()" in em.source  # the old k, before k = k_1
    x = np.arange(5.0)
    assert f(x, 3) == x[0:].sum() + x[1:].sum() + x[2:].sum()


def test_break_flag_read_before_carry_update():
    # yields [k + 1, k > 2]... but the flag is the *old* carry `k`: stop when the old k is truthy.
    def build(b, n):
        body = lambda bb, i, k: [bb.op("add", [k, 1], hint="k"), k]
        (k,) = for_loop(b, [0, n, 1], [0], body, ["k"], has_break=True)
        return k

    f, em = compiled(make("f", ["n"], build))
    assert "stop = k\n" in em.source
    assert f(10) == 2 and f(0) == 0
