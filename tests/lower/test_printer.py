"""IR printer tests: stable names, structured ops, line comments, determinism."""

from __future__ import annotations

from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Function, Loc, Op, Var
from srcad.ssa.printer import format_function


def build_loss() -> Function:
    """def loss(w, n): h = tanh(X @ w); s = 0.0; for i in range(n): s = s + h[i] ...; return s"""
    w, n = Var("w"), Var("n")
    body = Block()
    b = Builder(body, Loc(3, 4))
    x = b.op("global", [], params={"name": "X"}, hint="X")
    h = b.op("numpy.tanh", [b.op("matmul", [x, w])], hint="h")
    i, s_in, h_in = Var("i"), Var("s"), Var("h")
    loop = Block([i, s_in, h_in])
    lb = Builder(loop, Loc(5, 8))
    s_new = lb.op("add", [s_in, lb.op("getitem", [h_in, i])], hint="s")
    h_new = lb.op("mul", [h_in, 0.5], hint="h")
    stop = lb.op("gt", [s_new, 10.0], hint="stop")
    loop.yields = [s_new, h_new, stop]
    s_out, h_out = Var("s"), Var("h")
    body.ops.append(
        Op("for", [Const(0), n, Const(1), Const(0.0), h], results=[s_out, h_out], blocks=[loop],
           params={"has_break": True}, loc=Loc(5, 4))
    )  # fmt: skip
    c = Var("c")
    cond_blk, then_blk = Block([c]), Block([Var("c")])
    cond_blk.yields = [Builder(cond_blk).op("lt", [c, 100.0])]
    then_blk.yields = [Builder(then_blk).op("mul", [then_blk.params[0], 2.0], hint="c")]
    r = Var("r")
    body.ops.append(Op("comment", params={"text": "double until large"}))
    body.ops.append(Op("while", [s_out], results=[r], blocks=[cond_blk, then_blk], loc=Loc(8, 4)))
    t, e = Block(), Block()
    t.yields = [Builder(t).op("neg", [r])]
    e.yields = [h_out]
    out = Var("out")
    flag = Builder(body).op("ge", [r, 0])
    body.ops.append(Op("if", [flag], results=[out], blocks=[t, e]))
    body.yields = [out]
    return Function("loss", [w, n], ["w", "n"], body, {"n": 3})


EXPECTED = """\
def loss(w, n=3):
    X = global X                                  # line 3
    %0 = matmul(X, w)                             # line 3
    h = numpy.tanh(%0)                            # line 3
    s.1, h.2 = for i in range(0, n, 1) carry(s = 0.0, h.1 = h) {  # line 5
        %1 = getitem(h.1, i)                      # line 5
        s.2 = add(s, %1)                          # line 5
        h.3 = mul(h.1, 0.5)                       # line 5
        stop = gt(s.2, 10.0)                      # line 5
        yield s.2, h.3; break if stop
    }
    # double until large
    r = while carry(c = s.1) {                    # line 8
        %2 = lt(c, 100.0)
        yield %2
    } do (c.1) {
        c.2 = mul(c.1, 2.0)
        yield c.2
    }
    %3 = ge(r, 0)
    out = if %3 {
        %4 = neg(r)
        yield %4
    } else {
        yield h.2
    }
    return out
"""


def test_golden():
    assert format_function(build_loss()) == EXPECTED


def test_deterministic_and_independent_of_var_creation():
    assert format_function(build_loss()) == format_function(build_loss())


def test_undefined_and_constants_are_printed():
    x, ghost = Var("x"), Var("ghost")
    body = Block()
    b = Builder(body)
    y = b.op("getitem", [x, Const((slice(1, None, None), None, Ellipsis))], hint="y")
    z = b.op("add", [y, ghost])
    body.yields = [z]
    text = format_function(Function("f", [x], ["x"], body))
    assert "y = getitem(x, (slice(1, None, None), None, ...))" in text
    assert "%0 = add(y, <undefined ghost>)" in text
