"""The `ast` nodes the emitter builds: IR prim -> expression rules, literals, assignments.

Input: an op's prim and its operands' expressions (or a literal value, a name). Output: `ast`
nodes for `backend/unparse.py`. Context (`Load`/`Store`) and operator nodes are one shared
instance each, as `ast.parse` makes them: nothing mutates an expression node, and building fresh
ones was a sixth of the emit stage.

    RULES["add"](op, [name("x"), name("y")], [])   # BinOp(x + y)
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from typing import Any

from srcad.ssa.core import Const, Op
from srcad.ssa.prims import BINOPS, CMPOPS, UNARYOPS

Rule = Callable[[Op, list[ast.expr], list[ast.keyword]], ast.expr]

LOAD, STORE = ast.Load(), ast.Store()
NOT, USUB, ADD = ast.Not(), ast.USub(), ast.Add()


def _binop(cls: type) -> Rule:
    o = cls()
    return lambda op, a, kw: ast.BinOp(a[0], o, a[1])


def _cmp(cls: type) -> Rule:
    o = cls()
    return lambda op, a, kw: ast.Compare(a[0], [o], [a[1]])


def _unary(cls: type) -> Rule:
    o = cls()
    return lambda op, a, kw: ast.UnaryOp(o, a[0])


def _call(fname: str) -> Rule:
    return lambda op, a, kw: ast.Call(ast.Name(fname, LOAD), a, kw)


#: prim -> Python expression. Statement-shaped prims (setitem, comment, global, free, if, for,
#: while) are handled by the emitter; `method.*`, `attr.*` and module calls by `_FnEmitter.call`.
RULES: dict[str, Rule] = {
    **{p: _binop(getattr(ast, c.__name__)) for c, p in BINOPS.items()},
    **{p: _cmp(getattr(ast, c.__name__)) for c, p in CMPOPS.items()},
    **{p: _unary(getattr(ast, c.__name__)) for c, p in UNARYOPS.items()},
    "tuple": lambda op, a, kw: ast.Tuple(a, LOAD),
    "list": lambda op, a, kw: ast.List(a, LOAD),
    "dict": lambda op, a, kw: ast.Dict(a[0::2], a[1::2]),
    "slice": _call("slice"),
    "getitem": lambda op, a, kw: ast.Subscript(a[0], a[1], LOAD),
    "list_append": lambda op, a, kw: ast.BinOp(a[0], ADD, ast.List([a[1]], LOAD)),
    "call": lambda op, a, kw: ast.Call(a[0], a[1:], kw),
}


def name(n: str) -> ast.Name:
    return ast.Name(n, LOAD)


def assign(target: str, value: ast.expr) -> ast.stmt:
    return ast.Assign([ast.Name(target, STORE)], value)


def is_const_index(c: Const) -> bool:
    """A constant written directly as subscript syntax."""
    v = c.value
    if isinstance(v, tuple):
        return all(is_const_index(Const(e)) for e in v)
    return v is None or v is Ellipsis or isinstance(v, (slice, int, str))


def literal_expr(v: Any) -> ast.expr:
    """A literal (see `names.is_literal`) as an expression; inf/nan via ``float('inf')``."""
    t = type(v)
    if t is int and v < 0 or t is float and math.copysign(1.0, v) < 0 and not math.isnan(v):
        return ast.UnaryOp(USUB, literal_expr(-v))
    if t is float and not math.isfinite(v):
        return ast.Call(name("float"), [ast.Constant("nan" if math.isnan(v) else "inf")], [])
    if t is complex:
        if v.real == 0.0 and math.copysign(1.0, v.real) > 0 and 0 <= v.imag < math.inf:
            return ast.Constant(v)
        return ast.Call(name("complex"), [literal_expr(v.real), literal_expr(v.imag)], [])
    if t is tuple:
        return ast.Tuple([literal_expr(e) for e in v], LOAD)
    if t is slice:
        return ast.Call(name("slice"), [literal_expr(e) for e in (v.start, v.stop, v.step)], [])
    return ast.Constant(v)
