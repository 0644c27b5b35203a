"""Verifier tests: a well-formed IR gives no errors; each broken IR gives the expected messages."""

from __future__ import annotations

from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Function, Op, Var
from srcad.ssa.verify import IRError, verify


def func(body: Block, *params: Var) -> Function:
    return Function("f", list(params), [p.hint for p in params], body)


def messages(fn: Function) -> list[str]:
    return [str(e) for e in verify(fn)]


def good_loop_function() -> Function:
    x, n = Var("x"), Var("n")
    body = Block()
    i, s = Var("i"), Var("s")
    loop = Block([i, s])
    s2 = Builder(loop).op("add", [s, x])
    loop.yields = [s2, Builder(loop).op("gt", [s2, 10])]
    res = Var("s")
    body.ops.append(Op("for", [Const(0), n, Const(1), x], results=[res], blocks=[loop],
                       params={"has_break": True}))  # fmt: skip
    c, d = Var("c"), Var("d")
    cond, wbody = Block([c]), Block([d])
    cond.yields = [Builder(cond).op("lt", [c, 5])]
    wbody.yields = [Builder(wbody).op("add", [d, res])]
    w = Var("w")
    body.ops.append(Op("while", [res], results=[w], blocks=[cond, wbody]))
    then, other = Block(), Block()
    then.yields = [Builder(then).op("neg", [w])]
    other.yields = [x]
    r = Var("r")
    body.ops.append(Op("if", [w], results=[r], blocks=[then, other]))
    body.yields = [r]
    return func(body, x, n)


def test_good_ir_has_no_errors():
    assert verify(good_loop_function()) == []


def test_error_is_frozen_dataclass_with_prim():
    x = Var("x")
    body = Block()
    Builder(body).op("", [x])
    body.yields = [x]
    (err,) = verify(func(body, x))
    assert err == IRError("prim must be a non-empty string, got ''", "")
    assert err.prim == ""


def test_defined_twice_and_use_before_def_collects_all():
    x, y = Var("x"), Var("y")
    body = Block()
    body.ops.append(Op("neg", [y], results=[Var("t")]))  # y is defined below
    body.ops.append(Op("neg", [x], results=[y]))
    body.ops.append(Op("neg", [x], results=[y]))  # y again
    body.ops.append(Op("neg", [x], results=[x]))  # a parameter redefined
    body.yields = [y]
    assert messages(func(body, x)) == [
        "Var('y') used before its definition (argument 0) [op neg]",
        "Var('y') defined twice: result of neg and result of neg [op neg]",
        "Var('x') defined twice: function parameter and result of neg [op neg]",
    ]


def test_value_from_sibling_block_and_after_op_not_visible():
    x = Var("x")
    then, other = Block(), Block()
    inner = Builder(then).op("neg", [x], hint="inner")
    then.yields = [inner]
    other.yields = [inner]  # defined in the other branch
    r = Var("r")
    body = Block([], [Op("if", [x], results=[r], blocks=[then, other])], [inner])
    assert messages(func(body, x)) == [
        "Var('inner') used before its definition (yield 0) [op if]",
        "Var('inner') used before its definition (yield 0)",
    ]


def test_undefined_var_and_bad_operands():
    x = Var("x")
    body = Block()
    body.ops.append(Op("add", [x, 3], results=[Var("a")]))  # raw int, not Const
    body.ops.append(Op("mul", [x, Var()], kwargs={"k": "s"}, results=[Var("b")]))
    body.yields = [x]
    assert messages(func(body, x)) == [
        "argument 1 is neither Var nor Const: 3 [op add]",
        "a temporary Var used but never defined (argument 1) [op mul]",
        "keyword k is neither Var nor Const: 's' [op mul]",
    ]


def test_if_arity():
    x = Var("x")
    then = Block([], [], [x, x])
    body = Block([], [Op("if", [x, x], results=[Var("r")], blocks=[then, Block([], [], [])])], [x])
    assert messages(func(body, x)) == [
        "if: args 2, expected 1 [op if]",
        "if: then block yields 2, expected 1 [op if]",
        "if: else block yields 0, expected 1 [op if]",
    ]
    body.ops[0].blocks = [then]
    body.ops[0].args = [x]
    assert messages(func(body, x)) == ["if: blocks 1, expected 2 [op if]"]


def test_for_arity_and_missing_break_flag():
    fn = good_loop_function()
    loop_op = fn.body.ops[0]
    loop_op.blocks[0].yields.pop()  # has_break but no stop flag
    assert messages(fn) == ["for: body yields 1, expected 2 [op for]"]
    loop_op.blocks[0].params.pop()
    loop_op.results.append(Var("extra"))
    assert messages(fn) == [
        "for: results 2, expected 1 [op for]",
        "for: body params 1, expected 2 [op for]",
        "for: body yields 1, expected 2 [op for]",
        "Var('s') used but never defined (argument 0) [op add]",
    ]
    loop_op.args = [Const(0)]
    assert "for: 1 args, expected start, stop, step, *inits [op for]" in messages(fn)


def test_while_arity():
    fn = good_loop_function()
    w = fn.body.ops[1]
    w.blocks[0].yields.append(Const(True))
    w.blocks[1].params.append(Var("e"))
    assert messages(fn) == [
        "while: cond yields 2, expected 1 [op while]",
        "while: body params 2, expected 1 [op while]",
    ]
    w.blocks = w.blocks[:1]
    assert messages(fn) == ["while: blocks 1, expected 2 [op while]"]


def test_blocks_on_plain_op_and_function_shape():
    x = Var("x")
    body = Block([], [Op("neg", [x], results=[Var("y")], blocks=[Block()])], [x, x])
    fn = Function("f", [x], ["x", "extra"], body)
    assert messages(fn) == [
        "1 params but 2 param names",
        "function body yields 2 values, expected 1",
        "neg has 1 blocks; only if/for/while own blocks [op neg]",
    ]
