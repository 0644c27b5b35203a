"""Loops over a constant tuple of attribute names, unrolled: ``for k in ("a", "b"):
setattr(p, k, getattr(p, k) * s)`` is ``k = "a"; setattr(p, "a", getattr(p, "a") * s);
k = "b"; ...``.

Input: the function's gast tree (lower/lower.py runs this before the name analyses, and before
lower/setattrs.py, when the function's source holds ``setattr(``/``getattr(``/``hasattr(``).
Output: whether the tree changed (in place). A method's or helper's body inlined is not
rewritten: its loops are unrolled where the lowering meets them (`unrolled`, lower/stmts.py),
``__init__``'s when its statements are read (lower/objinit.parts), and lower/escapes.self_stores
counts their constant names as stored.

A ``for`` statement is unrolled when its target is a name `k`, it iterates a tuple or list
display of string constants, has no ``else``, and its body passes `k` as the name of a
``setattr``/``getattr``/``hasattr`` call; the body must not assign `k`, ``break``,
``continue``, ``return``, ``yield``, or define a function, lambda or class (which could read
`k` later). Each round is ``k = "name"`` and a copy of the body with `k`'s reads replaced by the
constant, the statements Python runs in the same order (`k` keeps its last value after the
loop), so the attribute names are constants the object model, ``setattr``'s rewrite and
``getattr``'s lowering know.

So is ``for i in range(n): setattr(self, f"w{i}", v)`` (a layer per round) when the namespace
is known (`ns`: ``range`` and ``str`` Python's): `range`'s bounds int literals, or ints the
caller knows (`known`: a field of an object built here), at most `_MAX_ROUNDS` rounds, and a
``setattr``/``getattr``/``hasattr`` name an f-string of `i`; each round binds ``i = 0``, ... and
its f-strings of constants are the strings Python formats (``f"w{0}"`` is ``"w0"``).
"""

from __future__ import annotations

import builtins
import copy
from collections.abc import Callable
from typing import Any

import gast

from srcad.lower import scope
from srcad.lower.decorators import expand_statements

_ATTR_FUNCS = ("setattr", "getattr", "hasattr")
_STOPS = (gast.Break, gast.Continue, gast.Return, gast.Yield, gast.YieldFrom, gast.FunctionDef,
          gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef, gast.Global, gast.Nonlocal)  # fmt: skip


_MAX_ROUNDS = 64  # rounds of a ``range`` loop unrolled


def rewrite(tree: Any, ns: Any = None) -> bool:
    """Unroll the loops of the module docstring in `tree`; True when one was."""
    return expand_statements(tree, lambda s: unrolled(s, ns))  # (a class body: localclass.py)


def unrolled(
    s: Any, ns: Any = None, known: Callable[[Any], int | None] | None = None
) -> list | None:
    """The statements of the loop `s` unrolled, or None (not one of these loops); also for a
    loop of a method's or helper's body inlined (lower/stmts.py, objinit.parts), which the tree
    rewrite does not reach."""
    if not (isinstance(s, gast.For) and isinstance(s.target, gast.Name) and not s.orelse):
        return None
    it, k = s.iter, s.target.id
    values = _rounds(it, ns, known)
    if values is not None:  # `for i in range(3): setattr(self, f"w{i}", v)`
        elts = [gast.copy_location(gast.Constant(value=v, kind=None), it) for v in values]
        named = _formats_attr
    elif isinstance(it, (gast.Tuple, gast.List)) and it.elts:
        elts = it.elts
        if not all(isinstance(e, gast.Constant) and isinstance(e.value, str) for e in elts):
            return None
        named = _names_attr
    else:
        return None
    if scope.reads(s.body).isdisjoint(_ATTR_FUNCS):  # (the cached reads: no walk of the body)
        return None  # no call of setattr/getattr/hasattr by name in it
    inner = [n for b in s.body for n in gast.walk(b)]  # (only for these loops: every `for` asks)
    if not any(named(n, k) for n in inner):
        return None
    if any(isinstance(n, _STOPS) for n in inner):
        return None
    if any(isinstance(n, gast.Name) and n.id == k and not isinstance(n.ctx, gast.Load)
           for n in inner):  # fmt: skip
        return None
    out: list = []
    for e in elts:
        bind = gast.Assign(targets=[copy.deepcopy(s.target)], value=copy.deepcopy(e),
                           type_comment=None)  # fmt: skip
        out.append(gast.copy_location(bind, s))
        out.extend(_Format().visit(_Subst(k, e.value).visit(copy.deepcopy(b))) for b in s.body)
    return out


def _rounds(it: Any, ns: Any, known: Callable[[Any], int | None] | None) -> list[int] | None:
    """The values of ``range(a[, b[, c]])`` (`it`) when its bounds are int literals or ints
    `known` gives, `range` Python's and at most `_MAX_ROUNDS` of them; else None."""
    if ns is None or not isinstance(it, gast.Call) or it.keywords or not 1 <= len(it.args) <= 3:
        return None
    f = it.func
    if not isinstance(f, gast.Name) or f.id != "range":
        return None
    bounds = []
    for a in it.args:
        v = a.value if isinstance(a, gast.Constant) else known(a) if known else None
        if type(v) is not int:
            return None
        bounds.append(v)
    if any(ns.lookup(n) != ("builtin", getattr(builtins, n)) for n in ("range", "str")):
        return None
    try:
        r = range(*bounds)
    except ValueError:  # (a step of 0: Python's error, when the code runs)
        return None
    return list(r) if 1 <= len(r) <= _MAX_ROUNDS else None


def _formats_attr(n: Any, k: str) -> bool:
    """Is `n` ``setattr``/``getattr``/``hasattr`` whose name is an f-string reading `k`?"""
    if not (isinstance(n, gast.Call) and isinstance(n.func, gast.Name)):
        return False
    if n.func.id not in _ATTR_FUNCS or len(n.args) < 2 or not isinstance(n.args[1], gast.JoinedStr):
        return False
    return any(isinstance(m, gast.Name) and m.id == k for m in gast.walk(n.args[1]))


class _Format(gast.NodeTransformer):
    """f-strings of constants (``f"w{0}"``) replaced by the string Python formats."""

    def visit_JoinedStr(self, node: gast.JoinedStr) -> Any:
        parts = []
        for v in node.values:
            if isinstance(v, gast.Constant) and isinstance(v.value, str):
                parts.append(v.value)
            elif (
                isinstance(v, gast.FormattedValue)
                and v.conversion == -1
                and v.format_spec is None
                and isinstance(v.value, gast.Constant)
                and type(v.value.value) in (int, str)
            ):
                parts.append(str(v.value.value))
            else:
                return node
        return gast.copy_location(gast.Constant(value="".join(parts), kind=None), node)


def _names_attr(n: Any, k: str) -> bool:
    """Is `n` ``setattr``/``getattr``/``hasattr`` with the name `k` as the attribute name?"""
    return (
        isinstance(n, gast.Call)
        and isinstance(n.func, gast.Name)
        and n.func.id in _ATTR_FUNCS
        and len(n.args) >= 2
        and isinstance(n.args[1], gast.Name)
        and n.args[1].id == k
    )


class _Subst(gast.NodeTransformer):
    """Reads of the name `k` replaced by the constant `value`."""

    def __init__(self, k: str, value: str) -> None:
        self.k, self.value = k, value

    def visit_Name(self, node: gast.Name) -> Any:
        if node.id == self.k and isinstance(node.ctx, gast.Load):
            return gast.copy_location(gast.Constant(value=self.value, kind=None), node)
        return node
