"""A fast `ast.unparse` for the node shapes the emitter builds: ast node -> the same text.

Input: an `ast` statement or expression made by `backend/emit.py` (names, constants, operators,
calls, attributes, subscripts, slices, tuples, lists, dicts; assignments, expression statements,
`return`, `if`, `for`, `while`, `break`, `pass`, a plain `def`). Output: exactly the text
`ast.unparse` writes for it on the running Python (3.10 parenthesizes every tuple; later versions
only where precedence asks), including its precedence bookkeeping: a node shared by two parents
keeps the precedence the last parent gave it, as in `ast._Unparser`. Any other node (or a shape
outside the fast path) is handed to `ast.unparse` whole, so the result is always its text.

`ast.unparse` is general (a visitor with context managers per node) and was a third of the
emit stage; this writer is a few type tests per node.

    unparse(ast.parse("y = a * (b + c)").body[0])  # 'y = a * (b + c)'
"""

from __future__ import annotations

import ast
import sys
from typing import Any

_P = ast._Precedence  # type: ignore[attr-defined]  # private, but the same on 3.10-3.13
_TUPLE, _YIELD, _TEST, _NOT = int(_P.TUPLE), int(_P.YIELD), int(_P.TEST), int(_P.NOT)
_CMP, _FACTOR, _ATOM = int(_P.CMP), int(_P.FACTOR), int(_P.ATOM)
_INFSTR = "1e" + repr(sys.float_info.max_10_exp + 1)
_TUPLE_ALWAYS_PARENS = sys.version_info < (3, 11)

_BINOP: dict[type, tuple[str, int]] = {
    cls: (sym, int(_P[prec]))
    for cls, sym, prec in (
        (ast.Add, "+", "ARITH"),
        (ast.Sub, "-", "ARITH"),
        (ast.Mult, "*", "TERM"),
        (ast.MatMult, "@", "TERM"),
        (ast.Div, "/", "TERM"),
        (ast.FloorDiv, "//", "TERM"),
        (ast.Mod, "%", "TERM"),
        (ast.LShift, "<<", "SHIFT"),
        (ast.RShift, ">>", "SHIFT"),
        (ast.BitOr, "|", "BOR"),
        (ast.BitXor, "^", "BXOR"),
        (ast.BitAnd, "&", "BAND"),
        (ast.Pow, "**", "POWER"),
    )
}
_UNARY: dict[type, tuple[str, int]] = {
    ast.Invert: ("~", _FACTOR),
    ast.Not: ("not ", _NOT),
    ast.UAdd: ("+", _FACTOR),
    ast.USub: ("-", _FACTOR),
}
_CMPOP: dict[type, str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_PLAIN_CONST = (int, str, bytes, bool, type(None))


class _Fallback(Exception):
    """A node outside the fast path: ast.unparse writes the whole tree."""


def unparse(node: ast.AST) -> str:
    """`ast.unparse(node)`, faster for the emitter's node shapes."""
    w = _Writer()
    try:
        w.node(node)
    except _Fallback:
        return ast.unparse(stmt_lines(node))
    return "".join(w.out)


def stmt_lines(node: ast.AST) -> ast.AST:
    """Give statements the `lineno` ast.unparse reads (for type comments); expressions need none.

    Much cheaper than ast.fix_missing_locations, which visits every expression node."""
    stack = [node]
    while stack:
        n = stack.pop()
        if not hasattr(n, "lineno"):
            n.lineno = 1  # type: ignore[attr-defined]
        for name in ("body", "orelse"):
            stack.extend(getattr(n, name, ()) or ())
    return node


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.prec: dict[ast.AST, int] = {}  # as _Unparser._precedences: set by the parent
        self.indent = 0

    def fill(self, text: str = "") -> None:
        if self.out:
            self.out.append("\n")
        self.out.append("    " * self.indent + text)

    def node(self, n: Any) -> None:
        if isinstance(n, ast.expr):
            self.expr(n)
        elif isinstance(n, ast.stmt):
            self.stmt(n)
        else:
            raise _Fallback

    # -- statements ----------------------------------------------------------------------------
    def body(self, stmts: list[ast.stmt]) -> None:
        self.out.append(":")
        self.indent += 1
        for s in stmts:
            self.stmt(s)
        self.indent -= 1

    def stmt(self, s: ast.stmt) -> None:
        t = type(s)
        if t is ast.Assign:
            if getattr(s, "type_comment", None):
                raise _Fallback
            self.fill()
            for target in s.targets:
                self.prec[target] = _TUPLE
                self.expr(target)
                self.out.append(" = ")
            self.expr(s.value)
        elif t is ast.Expr:
            self.fill()
            self.prec[s.value] = _YIELD
            self.expr(s.value)
        elif t is ast.Return:
            self.fill("return")
            if s.value:
                self.out.append(" ")
                self.expr(s.value)
        elif t is ast.If:
            self.fill("if ")
            self.expr(s.test)
            self.body(s.body)
            while s.orelse and len(s.orelse) == 1 and type(s.orelse[0]) is ast.If:
                s = s.orelse[0]  # type: ignore[assignment]
                self.fill("elif ")
                self.expr(s.test)
                self.body(s.body)
            if s.orelse:
                self.fill("else")
                self.body(s.orelse)
        elif t is ast.For:
            if getattr(s, "type_comment", None) or s.orelse:
                raise _Fallback
            self.fill("for ")
            self.prec[s.target] = _TUPLE
            self.expr(s.target)
            self.out.append(" in ")
            self.expr(s.iter)
            self.body(s.body)
        elif t is ast.While:
            if s.orelse:
                raise _Fallback
            self.fill("while ")
            self.expr(s.test)
            self.body(s.body)
        elif t is ast.Break:
            self.fill("break")
        elif t is ast.Pass:
            self.fill("pass")
        elif t is ast.FunctionDef:
            self.function(s)
        else:
            raise _Fallback

    def function(self, s: ast.FunctionDef) -> None:
        a = s.args
        if (
            s.decorator_list
            or s.returns
            or getattr(s, "type_comment", None)
            or getattr(s, "type_params", None)
            or a.posonlyargs
            or a.vararg
            or a.kwonlyargs
            or a.kwarg
            or any(p.annotation for p in a.args)
            or _docstring(s.body)
        ):
            raise _Fallback
        if self.out:  # _Unparser.maybe_newline
            self.out.append("\n")
        self.fill("def " + s.name)
        self.out.append("(")
        defaults = [None] * (len(a.args) - len(a.defaults)) + list(a.defaults)
        for i, (p, d) in enumerate(zip(a.args, defaults)):
            if i:
                self.out.append(", ")
            self.out.append(p.arg)
            if d:
                self.out.append("=")
                self.expr(d)
        self.out.append(")")
        self.body(s.body)

    # -- expressions ---------------------------------------------------------------------------
    def expr(self, e: ast.expr) -> None:
        t = type(e)
        out = self.out
        if t is ast.Name:
            out.append(e.id)  # type: ignore[attr-defined]
        elif t is ast.Constant:
            self.constant(e)  # type: ignore[arg-type]
        elif t is ast.BinOp:
            sym, p = _BINOP[type(e.op)]  # type: ignore[attr-defined]
            parens = self.prec.get(e, _TEST) > p
            if parens:
                out.append("(")
            rassoc = sym == "**"
            self.prec[e.left] = p + 1 if rassoc else p  # type: ignore[attr-defined]
            self.expr(e.left)  # type: ignore[attr-defined]
            out.append(f" {sym} ")
            self.prec[e.right] = p if rassoc else p + 1  # type: ignore[attr-defined]
            self.expr(e.right)  # type: ignore[attr-defined]
            if parens:
                out.append(")")
        elif t is ast.Call:
            self.prec[e.func] = _ATOM  # type: ignore[attr-defined]
            self.expr(e.func)  # type: ignore[attr-defined]
            out.append("(")
            first = True
            for a in e.args:  # type: ignore[attr-defined]
                if not first:
                    out.append(", ")
                first = False
                self.expr(a)
            for k in e.keywords:  # type: ignore[attr-defined]
                if not first:
                    out.append(", ")
                first = False
                out.append("**" if k.arg is None else k.arg + "=")
                self.expr(k.value)
            out.append(")")
        elif t is ast.Attribute:
            v = e.value  # type: ignore[attr-defined]
            self.prec[v] = _ATOM
            self.expr(v)
            if type(v) is ast.Constant and isinstance(v.value, int):
                out.append(" ")
            out.append("." + e.attr)  # type: ignore[attr-defined]
        elif t is ast.Subscript:
            self.prec[e.value] = _ATOM  # type: ignore[attr-defined]
            self.expr(e.value)  # type: ignore[attr-defined]
            out.append("[")
            sl = e.slice  # type: ignore[attr-defined]
            if type(sl) is ast.Tuple and sl.elts:
                if any(type(x) is ast.Starred for x in sl.elts):
                    raise _Fallback
                self.items(sl.elts)
            else:
                self.expr(sl)
            out.append("]")
        elif t is ast.UnaryOp:
            sym, p = _UNARY[type(e.op)]  # type: ignore[attr-defined]
            parens = self.prec.get(e, _TEST) > p
            if parens:
                out.append("(")
            out.append(sym)
            self.prec[e.operand] = p  # type: ignore[attr-defined]
            self.expr(e.operand)  # type: ignore[attr-defined]
            if parens:
                out.append(")")
        elif t is ast.Tuple:
            elts = e.elts  # type: ignore[attr-defined]
            parens = _TUPLE_ALWAYS_PARENS or not elts or self.prec.get(e, _TEST) > _TUPLE
            if parens:
                out.append("(")
            self.items(elts)
            if parens:
                out.append(")")
        elif t is ast.Compare:
            parens = self.prec.get(e, _TEST) > _CMP
            if parens:
                out.append("(")
            self.prec[e.left] = _CMP + 1  # type: ignore[attr-defined]
            for c in e.comparators:  # type: ignore[attr-defined]
                self.prec[c] = _CMP + 1
            self.expr(e.left)  # type: ignore[attr-defined]
            for o, c in zip(e.ops, e.comparators):  # type: ignore[attr-defined]
                out.append(" " + _CMPOP[type(o)] + " ")
                self.expr(c)
            if parens:
                out.append(")")
        elif t is ast.Slice:
            if e.lower:  # type: ignore[attr-defined]
                self.expr(e.lower)  # type: ignore[attr-defined]
            out.append(":")
            if e.upper:  # type: ignore[attr-defined]
                self.expr(e.upper)  # type: ignore[attr-defined]
            if e.step:  # type: ignore[attr-defined]
                out.append(":")
                self.expr(e.step)  # type: ignore[attr-defined]
        elif t is ast.List:
            out.append("[")
            for i, x in enumerate(e.elts):  # type: ignore[attr-defined]
                if i:
                    out.append(", ")
                self.expr(x)
            out.append("]")
        elif t is ast.Dict:
            out.append("{")
            for i, (k, v) in enumerate(zip(e.keys, e.values)):  # type: ignore[attr-defined]
                if i:
                    out.append(", ")
                if k is None:
                    raise _Fallback
                self.expr(k)
                out.append(": ")
                self.expr(v)
            out.append("}")
        else:
            raise _Fallback

    def items(self, elts: list[ast.expr]) -> None:
        if len(elts) == 1:
            self.expr(elts[0])
            self.out.append(",")
            return
        for i, x in enumerate(elts):
            if i:
                self.out.append(", ")
            self.expr(x)

    def constant(self, c: ast.Constant) -> None:
        v = c.value
        if getattr(c, "kind", None) is not None:
            raise _Fallback
        t = type(v)
        if t is float or t is complex:
            self.out.append(
                repr(v).replace("inf", _INFSTR).replace("nan", f"({_INFSTR}-{_INFSTR})")
            )
        elif v is ...:
            self.out.append("...")
        elif t in _PLAIN_CONST:
            self.out.append(repr(v))
        else:  # tuples, subclasses of int/str/float
            raise _Fallback


def _docstring(body: list[ast.stmt]) -> bool:
    if not body:
        return True
    s = body[0]
    return type(s) is ast.Expr and type(s.value) is ast.Constant and isinstance(s.value.value, str)
