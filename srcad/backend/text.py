"""Python text for the emitter: expressions as (text, precedence) pairs, statements as `St`.

Input: an op's prim and its operands' texts (or a literal value). Output: exactly the text
`ast.unparse` writes for the `ast` node of that expression (tests/backend/test_text.py checks it
on random trees), composed bottom-up: an expression's text carries its own precedence, and a
parent adds parentheses where it asks for more (``wrap``) — `ast.unparse`'s rule, read from the
other end. Statements are `St` records (a line, its user line and column, nested bodies), written
out indented by `write`, which also lists each statement's user line in pre-order
(`backend/locations.FnLocs`).

Writing text directly, instead of `ast` nodes unparsed by a second walk, was 30-60% less time in
the emit stage (a node per expression, and the walk, cost more than the text).

    wrap(binop("add", ("a", ATOM), ("b", ATOM)), TERM)   # '(a + b)'
"""

from __future__ import annotations

import ast
import math
import re
import sys
from bisect import bisect_right
from typing import Any

from srcad.ssa.core import Const
from srcad.ssa.prims import BINOPS, CMPOPS, UNARYOPS

# the ufuncs passes/inplace_ops.py writes into their ``out=`` operand -> (the augmented
# assignment `emit.py` writes for them, whether the operands commute); `coalesce.py` names
# their result after the buffer
AUGMENTED = {"numpy.add": ("+=", True), "numpy.multiply": ("*=", True),
             "numpy.subtract": ("-=", False), "numpy.divide": ("/=", False)}  # fmt: skip

E = tuple[str, int]  # an expression: its text and its precedence (ast._Precedence)

_P = ast._Precedence  # type: ignore[attr-defined]  # private, but the same on 3.10-3.13
TUPLE, YIELD, TEST, NOT = int(_P.TUPLE), int(_P.YIELD), int(_P.TEST), int(_P.NOT)
CMP, FACTOR, POWER, ATOM = int(_P.CMP), int(_P.FACTOR), int(_P.POWER), int(_P.ATOM)
INT = ATOM + 1  # an int (or bool) constant: an atom that ``.attr`` is written after with a space
_INFSTR = "1e" + repr(sys.float_info.max_10_exp + 1)
_TUPLE_ALWAYS_PARENS = sys.version_info < (3, 11)

_SYM = {
    "Add": ("+", "ARITH"), "Sub": ("-", "ARITH"), "Mult": ("*", "TERM"), "MatMult": ("@", "TERM"),
    "Div": ("/", "TERM"), "FloorDiv": ("//", "TERM"), "Mod": ("%", "TERM"),
    "LShift": ("<<", "SHIFT"), "RShift": (">>", "SHIFT"), "BitOr": ("|", "BOR"),
    "BitXor": ("^", "BXOR"), "BitAnd": ("&", "BAND"), "Pow": ("**", "POWER"),
}  # fmt: skip
_CMPSYM = {
    "Eq": "==", "NotEq": "!=", "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">=", "Is": "is",
    "IsNot": "is not", "In": "in", "NotIn": "not in",
}  # fmt: skip
_UNSYM = {"Invert": ("~", FACTOR), "Not": ("not ", NOT), "UAdd": ("+", FACTOR),
          "USub": ("-", FACTOR)}  # fmt: skip

#: prim -> (" sym ", precedence, left's required precedence, right's)
BIN: dict[str, tuple[str, int, int, int]] = {}
for _c, _p in BINOPS.items():
    _s, _n = _SYM[_c.__name__]
    _q = int(_P[_n])
    BIN[_p] = (f" {_s} ", _q, _q + 1, _q) if _s == "**" else (f" {_s} ", _q, _q, _q + 1)
CMPS: dict[str, str] = {p: f" {_CMPSYM[c.__name__]} " for c, p in CMPOPS.items()}
UNARY: dict[str, tuple[str, int]] = {p: _UNSYM[c.__name__] for c, p in UNARYOPS.items()}
#: prims written as syntax (the rest are calls: ``f(...)``, ``x.m(...)``, ``x.attr``)
SYNTAX = frozenset(BIN) | frozenset(CMPS) | frozenset(UNARY) | {
    "tuple", "list", "dict", "slice", "getitem", "list_append", "call"}  # fmt: skip


def wrap(e: E, req: int) -> str:
    """The text of `e` where precedence `req` is asked for: in parentheses when it binds less."""
    return e[0] if e[1] >= req else "(" + e[0] + ")"


def items(es: list[E]) -> str:
    """Comma-separated, each as an element of a tuple, list or call (precedence TEST)."""
    return ", ".join([e[0] if e[1] >= TEST else "(" + e[0] + ")" for e in es])


def tuple_(es: list[E]) -> E:
    if len(es) == 1:
        inner = wrap(es[0], TEST) + ","
    else:
        inner = items(es)
    if _TUPLE_ALWAYS_PARENS or not es:
        return "(" + inner + ")", ATOM
    return inner, TUPLE


def call(f: str, args: list[E], kw: list[tuple[str | None, E]] | None = None) -> E:
    """``f(args, k=v)``; `f` is already atom text (a name, an attribute path)."""
    parts = []  # (a loop: a comprehension per call cost more, on 3.11)
    for a in args:
        parts.append(a[0] if a[1] >= TEST else "(" + a[0] + ")")
    if kw:
        parts += [("**" if k is None else k + "=") + wrap(v, TEST) for k, v in kw]
    return f + "(" + ", ".join(parts) + ")", ATOM


def attr(e: E, name: str) -> str:
    """``e.name`` (``1 .real``, ``(a + b).real``) as atom text."""
    if e[1] == INT:
        return e[0] + " ." + name
    return (e[0] if e[1] >= ATOM else "(" + e[0] + ")") + "." + name


def subscript(x: E, idx: E | list[E]) -> E:
    """``x[idx]``; a list `idx` is a non-empty tuple index (``x[i, :]``, ``x[i,]``)."""
    if type(idx) is list:
        inner = (
            tuple_(idx)[0] if not idx else wrap(idx[0], TEST) + "," if len(idx) == 1 else items(idx)
        )
    else:
        inner = wrap(idx, TEST)
    return (x[0] if x[1] >= ATOM else "(" + x[0] + ")") + "[" + inner + "]", ATOM


def slice_(parts: list[E | None]) -> E:
    """``lower:upper:step``, None parts left out (as the ``ast.Slice`` of a subscript)."""
    lo, up, st = (parts + [None, None, None])[:3]
    t = ("" if lo is None else wrap(lo, TEST)) + ":" + ("" if up is None else wrap(up, TEST))
    if st is not None:
        t += ":" + wrap(st, TEST)
    return t, ATOM  # only ever an index (never a parent's operand)


def op_text(prim: str, a: list[E], kw: list[tuple[str | None, E]]) -> E | None:
    """The syntax of `prim` over its operands' texts; None when it is not syntax."""
    b = BIN.get(prim)
    if b is not None and (len(a) != 2 or kw):
        if prim == "pow":  # pow(b, e, mod): the builtin's call
            return call("pow", a, kw)
        raise ValueError(f"`{prim}` with {len(a)} operands has no syntax")  # (a bug: refused)
    if b is not None:
        sym, p, lp, rp = b
        x, y = a[0], a[1]
        t = (
            (x[0] if x[1] >= lp else "(" + x[0] + ")")
            + sym
            + (y[0] if y[1] >= rp else "(" + y[0] + ")")
        )
        return t, p
    c = CMPS.get(prim)
    if c is not None:
        return wrap(a[0], CMP + 1) + c + wrap(a[1], CMP + 1), CMP
    u = UNARY.get(prim)
    if u is not None:
        return u[0] + wrap(a[0], u[1]), u[1]
    if prim == "getitem":
        return subscript(a[0], a[1])  # type: ignore[arg-type]
    if prim == "tuple":
        return tuple_(a)
    if prim == "list":
        return "[" + items(a) + "]", ATOM
    if prim == "dict":
        return "{" + ", ".join(wrap(k, TEST) + ": " + wrap(v, TEST) for k, v in
                               zip(a[0::2], a[1::2])) + "}", ATOM  # fmt: skip
    if prim == "slice":
        return call("slice", a, kw)
    if prim == "list_append":
        x = a[0]
        lst = "[" + wrap(a[1], TEST) + "]"
        return (x[0] if x[1] >= BIN["add"][2] else "(" + x[0] + ")") + " + " + lst, BIN["add"][1]
    if prim == "call":
        return call(wrap(a[0], ATOM), a[1:], kw)
    return None


# constants Python warns about as an operand of `is` (SyntaxWarning: "is" with a literal)
_IS_LITERALS = (int, float, complex, str, bytes, tuple)


def identity_operand(a: Const | Any, text: E) -> E:
    """An operand `a` (an IR operand) of ``is``/``is not``, written `text`: a constant number,
    string or tuple that a pass put in place of a name is written ``int(1)``, the same object
    without Python's SyntaxWarning."""
    if isinstance(a, Const) and type(a.value) in _IS_LITERALS:
        return call(type(a.value).__name__, [text])
    return text


def is_const_index(v: Any) -> bool:
    """A constant written directly as subscript syntax."""
    if isinstance(v, tuple):
        return all(is_const_index(e) for e in v)
    return v is None or v is Ellipsis or isinstance(v, (slice, int, str))


def false_constant(v: Any) -> bool:
    """`v` (a literal, see `names.is_literal`) is written as a plain constant that is false."""
    if v:
        return False
    t = type(v)
    return not (
        t is tuple or t is float and math.copysign(1.0, v) < 0 or t is complex and
        math.copysign(1.0, v.real) < 0
    )  # fmt: skip


def constant(v: Any) -> E:
    """A plain constant (what ``ast.Constant(v)`` unparses to)."""
    t = type(v)
    if t is float or t is complex:
        return repr(v).replace("inf", _INFSTR).replace("nan", f"({_INFSTR}-{_INFSTR})"), ATOM
    if v is ...:
        return "...", ATOM
    return repr(v), INT if t is int or t is bool else ATOM


def literal(v: Any) -> E:
    """A literal (see `names.is_literal`), as `nodes.literal_expr` builds it."""
    t = type(v)
    if t is int and v < 0 or t is float and math.copysign(1.0, v) < 0 and not math.isnan(v):
        return "-" + wrap(literal(-v), FACTOR), FACTOR
    if t is float and not math.isfinite(v):
        return call("float", [constant("nan" if math.isnan(v) else "inf")])
    if t is complex:
        if v.real == 0.0 and math.copysign(1.0, v.real) > 0 and 0 <= v.imag < math.inf:
            return constant(v)
        return call("complex", [literal(v.real), literal(v.imag)])
    if t is tuple:
        return tuple_([literal(e) for e in v])
    if t is slice:
        return call("slice", [literal(e) for e in (v.start, v.stop, v.step)])
    return constant(v)


class St:
    """A statement: its first line's text, user line and column, nested bodies; or, with
    `comment`, lines of text that are no statement (comments, never counted in `write`'s lines).
    `orelse` None: no ``else``; an ``if`` whose ``else`` is one ``if`` is written ``elif``."""

    __slots__ = ("text", "line", "col", "body", "orelse", "comment")

    def __init__(self, text: str, body: list[St] | None = None, orelse: list[St] | None = None):
        self.text, self.body, self.orelse = text, body, orelse
        self.line = self.col = 0
        self.comment: list[str] | None = None


def comment(lines: list[str]) -> St:
    s = St("")
    s.comment = lines
    return s


WIDTH = 100  # a statement longer than this is split after commas inside brackets (`split`)
_TOKENS = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[()\[\]{}]|, """)  # strings skipped


def split(line: str, width: int = WIDTH) -> list[str]:
    """`line` as lines of at most `width` characters where it has commas inside brackets to
    break after: at each break, the least nested comma that fits, the last of those; the next
    line starts under the first item of that comma's bracket (or 8 columns in, when that is past
    the middle). Strings are skipped. One line when nothing fits."""
    opens: list[int] = []  # positions after the open brackets
    cands: list[tuple[int, int, int]] = []  # (position after ", ", depth, its bracket's content)
    n = len(line)
    for m in _TOKENS.finditer(line):
        c = m.group()[0]
        if c in "([{":
            opens.append(m.end())
        elif c in ")]}":
            opens.pop()
        elif c == "," and opens:
            cands.append((m.end(), len(opens), opens[-1]))
    pad = len(line) - len(line.lstrip(" "))
    starts = [(0, 0)]  # (position in `line`, indent) of each output line
    at = [c[0] for c in cands]  # increasing
    out: list[str] = []
    while True:
        start, indent = starts[-1]
        if indent + n - start <= width:
            break
        # the candidates with start < position <= width + start + 1 - indent
        fits = cands[bisect_right(at, start) : bisect_right(at, width + start + 1 - indent)]
        if not fits:
            break
        depth = min(c[1] for c in fits)
        pos, _, bracket = [c for c in fits if c[1] == depth][-1]
        line_start, line_indent = next((s, k) for s, k in reversed(starts) if s < bracket)
        col = bracket - line_start + line_indent
        out.append(" " * indent + line[start : pos - 1])
        starts.append((pos, col if col <= width // 2 else pad + 8))
    start, indent = starts[-1]
    out.append(" " * indent + line[start:])
    return out


def write(stmts: list[St], pad: str, out: list[str], lines: list[int], cols: list[int]) -> None:
    """Append the lines of `stmts` indented by `pad` to `out` (split where longer than `WIDTH`);
    their user lines and columns, in pre-order (comments skipped), to `lines` and `cols`."""
    inner = pad + "    "
    width = WIDTH - len(pad)
    for s in stmts:
        if s.comment is not None:
            out += [(pad + c).rstrip() for c in s.comment]
            continue
        if len(s.text) > width:
            out += split(pad + s.text)
        else:
            out.append(pad + s.text)
        lines.append(s.line)
        cols.append(s.col)
        if s.body is None:
            continue
        write(s.body, inner, out, lines, cols)
        while s.orelse:
            o = s.orelse
            if len(o) == 1 and o[0].body is not None and o[0].text.startswith("if "):
                s = o[0]
                out.append(pad + "el" + s.text)
                lines.append(s.line)
                cols.append(s.col)
                write(s.body, inner, out, lines, cols)  # type: ignore[arg-type]
            else:
                out.append(pad + "else:")
                write(o, inner, out, lines, cols)
                break
