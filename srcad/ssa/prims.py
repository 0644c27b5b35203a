"""Names of the primitives the lowering produces for Python syntax.

Input: gast operator node classes. Output: primitive names (plain strings) used in the IR and as keys
of the rule tables. Library callables use their qualified names (``numpy.sin``, ``math.exp``; builtins
are bare: ``abs``, ``len``); methods are ``method.<name>`` with the receiver as first argument;
attributes are ``attr.<name>``. `fold`: an operator on literal numbers/None, computed at lowering;
`fold_item`: an entry of a literal tuple at a constant position.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.ssa.core import Const

BINOPS: dict[type, str] = {
    gast.Add: "add",
    gast.Sub: "sub",
    gast.Mult: "mul",
    gast.Div: "truediv",
    gast.FloorDiv: "floordiv",
    gast.Mod: "mod",
    gast.Pow: "pow",
    gast.MatMult: "matmul",
    gast.LShift: "lshift",
    gast.RShift: "rshift",
    gast.BitOr: "bitor",
    gast.BitXor: "bitxor",
    gast.BitAnd: "bitand",
}

UNARYOPS: dict[type, str] = {
    gast.USub: "neg",
    gast.UAdd: "pos",
    gast.Invert: "invert",
    gast.Not: "not",
}

CMPOPS: dict[type, str] = {
    gast.Eq: "eq",
    gast.NotEq: "ne",
    gast.Lt: "lt",
    gast.LtE: "le",
    gast.Gt: "gt",
    gast.GtE: "ge",
    gast.Is: "is",
    gast.IsNot: "is_not",
    gast.In: "in",
    gast.NotIn: "not_in",
}

# Python source for each operator primitive: (template, precedence-free), used by the emitter.
BINOP_SYMBOLS = {
    "add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%",
    "pow": "**", "matmul": "@", "lshift": "<<", "rshift": ">>", "bitor": "|", "bitxor": "^",
    "bitand": "&",
}  # fmt: skip
CMP_SYMBOLS = {
    "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "is": "is",
    "is_not": "is not", "in": "in", "not_in": "not in",
}  # fmt: skip
UNARY_SYMBOLS = {"neg": "-", "pos": "+", "invert": "~", "not": "not "}

# Container and structural primitives (handled by the transforms themselves, not by rule tables).
#   tuple(*elts) list(*elts) dict(k0, v0, k1, v1, ...) slice(lo, hi, step)
#   getitem(x, idx) setitem(x, idx, v) -> new x   list_append(l, v) -> new l
#   call(f, *args, **kwargs)   global[name]   free[name]   if / for / while
CONTAINERS = frozenset({"tuple", "list", "dict", "slice"})

# Every primitive the lowering emits besides operators and library callables (`method.*`, `attr.*`
# and canonical library names): each has a record in the primitive registry (srcad.rules.facts).
STRUCTURAL = ("tuple", "list", "dict", "slice", "getitem", "setitem", "list_append", "call",
              "global", "free", "comment", "if", "for", "while")  # fmt: skip

OPERATOR_MODULE = {v: v for v in BINOPS.values()} | {
    "truediv": "truediv", "neg": "neg", "pos": "pos", "invert": "invert", "not_": "not",
    "eq": "eq", "ne": "ne", "lt": "lt", "le": "le", "gt": "gt", "ge": "ge", "getitem": "getitem",
    "and_": "bitand", "or_": "bitor", "xor": "bitxor", "is_": "is", "is_not": "is_not",
    "abs": "abs",  # operator.abs(x) is abs(x) (both call type(x).__abs__)
}  # fmt: skip


_SIMPLE = (bool, int, float, str, type(None))  # (str: `kind == "relu"` of a helper's argument)
_FOLDABLE = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "mod": lambda a, b: a % b, "floordiv": lambda a, b: a // b,  # (`pts[(k + 1) % n]`, unrolled k)
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
    "is": lambda a, b: a is b, "is_not": lambda a, b: a is not b,
}  # fmt: skip


def fold(prim: str, args: list) -> Const | None:
    """Constant-fold an operator on literal numbers/strings/None (the result Python computes)."""
    f = _FOLDABLE.get(prim)
    if f is None:
        return None
    for a in args:
        if type(a) is not Const or type(a.value) not in _SIMPLE:
            return None
    if prim in ("is", "is_not") and not any(a.value is None or type(a.value) is bool for a in args):
        return None  # (None, True and False are singletons: identity is known; 1 is 1 is not)
    try:
        return Const(f(*(a.value for a in args)))
    except Exception:
        return None


def fold_item(base: Any, idx: Any) -> Const | None:
    """``t[k]`` of a literal tuple at a constant position: the entry (so that ``opts[0] is not
    None`` folds too, as Python's own compiler would fold it and then warn about ``1 is not
    None`` in the generated code); None otherwise."""
    if type(base) is Const and type(base.value) is tuple and type(idx) is Const:
        k, t = idx.value, base.value
        if type(k) is int and -len(t) <= k < len(t):
            return Const(t[k])
    return None
