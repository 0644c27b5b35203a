"""A function chosen by a condition, then called: ``f = np.sin if mode else np.cos; f(x)``.

Input: the lowerer, a conditional expression ``a if c else b`` whose test `c` is known only
when the code runs (`select`), and later a call ``f(args)`` of a name `f` bound to its value
(`call`). Output: the conditional's `if` op as before; where `a` and `b` are both names or
attribute paths of functions (NumPy/math functions, module-level or nested functions, a method
of an object built here: lower/objseq.function_like; or such conditionals of them, ``np.sin
if m == "a" else np.cos if m == "b" else np.exp``), its result is noted with the test and
the two functions, and the call of it is the ``if`` Python's call amounts to, each branch a
call of a known function (skimage's ``filter_func = gaussian if use_gaussian else uniform``)::

    f = np.sin if mode else np.cos         f = np.sin if mode else np.cos   (unused: removed)
    y = f(x)                               y = np.sin(x) if mode else np.cos(x)

The test is the value it had at the choice (an SSA value), the functions the values the
names had then; the arguments are evaluated in the branch taken, once, after the choice, as
in Python. Any other use of `f` (passed on, stored, compared) reads the `if` op's value as
before; where a branch is a nested function (no run-time value: srcad inlines it), or where
``if c: f = np.sin`` / ``else: f = np.cos`` binds `f` on the two paths of an ``if``
(lower/seqcarry.join_fns), the value is a `Chosen`, whose calls are lowered so and whose other
uses are refused.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.errors import SrcadError
from srcad.lower.objseq import function_like, undo, undo_point
from srcad.lower.partials import _load, _lower_with, _serial
from srcad.lower.values import LocalMethod, NestedFn
from srcad.ssa.core import Operand, Var

_FORMS = (gast.Name, gast.Attribute)
_TEST = (gast.Name, gast.Constant, gast.Compare, gast.BoolOp, gast.UnaryOp, gast.Eq, gast.NotEq,
         gast.Is, gast.IsNot, gast.And, gast.Or, gast.Not, gast.Load)  # fmt: skip


class Chosen:
    """``a if c else b`` of a run-time `c` and nested functions `a`, `b`, or `a` and `b` bound
    by the two paths of an ``if`` on `c` (lower/seqcarry.join_fns)."""

    def __init__(self, c: Operand, a: Any, b: Any) -> None:
        self.c, self.a, self.b = c, a, b

    def __repr__(self) -> str:
        return "a function chosen by a condition known only when the code runs (srcad lowers its calls)"

    def as_operand(self, lw: Any, node: Any) -> Operand:
        """Refused: no run-time value (lower/base.operand asks)."""
        raise lw.error(
            node,
            "a function chosen by a condition known only when the code runs is used as a value "
            "here: srcad lowers its calls only (a nested function has no run-time value)",
            "call it here (`f(x)`), or pass each function in its branch "
            "(`apply(a, x) if c else apply(b, x)`)",
        )


def select(lw: Any, c: Operand, node: gast.IfExp) -> Operand:
    """``a if c else b`` of a run-time `c`: the `if` op; its result noted when `a` and `b` are
    functions (module docstring)."""
    pair = None
    if _plain(node.body) and _plain(node.orelse):
        pair = _functions(lw, node)
        if pair is not None and any(isinstance(v, (NestedFn, LocalMethod, Chosen)) for v in pair):
            return Chosen(c, *pair)
    out = lw.select(c, lambda: lw.value(node.body), lambda: lw.value(node.orelse), node)
    if pair is not None and isinstance(out, Var):
        lw.__dict__.setdefault("fn_choices", {})[out] = (c, *pair)
    return out


def _functions(lw: Any, node: gast.IfExp) -> tuple | None:
    """The values of `node`'s two branches when both are functions, else None with the ops
    reading them undone: a branch Python does not run may raise (``o.v if isinstance(o, C)
    else o`` of a float `o`: an attribute read kept as one that may raise, passes/raising.py)."""
    point = undo_point(lw)
    try:
        pair = lw.expr(node.body), lw.expr(node.orelse)
    except SrcadError:
        pair = None
    if (
        pair is not None
        and _unchanged(lw, point)
        and all(function_like(lw, v) or noted(lw, v) or type(v) is Chosen for v in pair)
    ):
        return pair  # (reads of functions: no effect, lowered again in the branches)
    undo(lw, point)
    return None


def _unchanged(lw: Any, point: tuple) -> bool:
    """Nothing but reads of functions was lowered since `point` (`_reads`); no binding, no
    augmented assignment. A read with an effect (a property ``o.fn`` counting its reads) is no
    plain read of a function: kept, it would run for the branch Python does not take, and
    again in the branch it takes."""
    ops, start, env, aug, item_aug = point
    if lw.b.block.ops is not ops or len(lw.env) != len(env) or not _reads(lw, ops[start:]):
        return False
    if len(lw.augmented) != aug or len(lw.item_augmented) != item_aug:
        return False
    return all(lw.env.get(k, _NONE) is v for k, v in env.items())


def _reads(lw: Any, ops: list) -> bool:
    """`ops` read functions and test conditions only: a module-level name, its attribute, an
    object's method giving a function, an inner conditional's test (`_TEST`: ``==``, ``!=``,
    ``is``, ``not``; ``and``/``or`` as ``if`` ops of them) or its ``if`` of functions."""
    names: set = set()  # (the values of module-level names: a module's attribute is a read)
    for op in ops:
        if op.prim in _TESTS:
            continue
        if op.prim == "global":
            names.update(op.results)
        elif op.prim == "if":
            if not all(_reads(lw, b.ops) for b in op.blocks):
                return False
        elif not op.prim.startswith("attr."):
            return False
        elif op.args[0] not in names and not all(
            function_like(lw, r) or noted(lw, r) for r in op.results
        ):
            return False
    return True


_TESTS = frozenset(("eq", "ne", "is", "is_not", "not", "bool"))
_NONE = object()


def _plain(e: Any) -> bool:
    """`e` is a name or an attribute path, or a conditional of them whose test cannot raise nor
    change anything (names, constants, ``==``, ``!=``, ``is``, ``and``/``or``/``not``): read
    before the test of the conditional holding it, as Python would not, with no difference."""
    if isinstance(e, _FORMS):
        return True
    if not isinstance(e, gast.IfExp) or not (_plain(e.body) and _plain(e.orelse)):
        return False
    return all(isinstance(n, _TEST) for n in gast.walk(e.test))


def noted(lw: Any, v: Any) -> bool:
    """`v` is the value of a conditional of two functions noted by `select` (a run-time value:
    a helper it is passed to is inlined, lower/fnargs.py, and calls it by `call`)."""
    return type(v) is Var and v in lw.__dict__.get("fn_choices", ())


def call(lw: Any, func: Any, node: gast.Call) -> Operand | None:
    """``f(args)`` of a name `f` whose value is a noted choice: the ``if`` calling the function
    chosen; None for other calls (nothing lowered)."""
    if not isinstance(func, gast.Name):
        return None
    v = lw.env.get(func.id)
    if isinstance(v, Chosen):
        c, a, b = v.c, v.a, v.b
    else:
        choices = lw.__dict__.get("fn_choices")
        if not choices or not isinstance(v, Var) or v not in choices:
            return None
        c, a, b = choices[v]
    name = f"$fc{_serial(lw)}"  # (numbered per lowering: deterministic)
    expr = gast.copy_location(gast.Call(_load(name, func), node.args, node.keywords), node)

    def branch(f: Any) -> Any:
        return lambda: lw.operand(_lower_with(lw, {name: f}, expr), node)

    return lw.select(c, branch(a), branch(b), node)
