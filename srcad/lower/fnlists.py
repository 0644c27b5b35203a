"""Functions made in a loop and kept in a list: ``fs.append(g)``, loops over constants unrolled.

Input: the lowerer at a ``for`` statement, or at an expression statement calling a method.
Output:

- ``for i in range(3):`` / ``for w in (a, b):`` (a ``range`` of int constants, or a tuple/list
  display, at most `_MAX_ITEMS` items) whose body makes a function (a nested ``def``, a lambda
  assigned or appended), indexes a list of functions or objects known here by the target
  (``pts[k].x``) or calls one that updates its factory's variables (``nonlocal``: its
  state is kept for calls in one block, lower/fnargs.call): the items the loop takes
  (`loop_items`), so the loop is unrolled (lower/fnvalues.unroll) and each round's function is
  a known one, its defaults evaluated in that round (``def g(z, i=i)``);
- ``fs.append(g)`` of a function (nested def, lambda, library or module-level function) onto a
  list of functions known here (`FnSeq`), or onto ``fs = []`` no operation has read yet and no
  other name holds: the list becomes (or grows as) a `FnSeq`, so ``fs[k](x)``, ``for f in fs``
  and ``sum(g(a) for g in fs)`` call known functions (`append`).

Exact: an unrolled loop runs the same statements in the same order. A nested function reads the
enclosing variables when it is called (Python's late binding): its body is lowered at the call,
in the environment of that moment, so ``def g(z): return z * w`` appended in each round reads
the last ``w`` when called after the loop, as in Python. The list is the one object Python has:
the `FnSeq` grows in place, seen through every name bound to it; an append in a nested block
(an ``if``, a loop not unrolled) is not taken (the list would differ per path).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad import lazy
from srcad.lower import objappend, objseq, scope
from srcad.lower.objseq import FnSeq
from srcad.ssa.core import Const, Var

_MAX_ITEMS = 16
_idioms = lazy.module("srcad.lower.idioms")  # (they import lower/fnvalues.py, which imports this)
_idioms_more = lazy.module("srcad.lower.idioms_more")
_mappedtail = lazy.module("srcad.lower.mappedtail")


def method_stmt(lw: Any, v: gast.Call) -> bool:
    """A method call statement lowered here (`append`), or by lower/idioms.py's list/dict
    updates and ``d.setdefault(k, []).append(v)``; False: lowered as before."""
    if append(lw, v) or _mappedtail.append(lw, v):  # (onto a mapped list: lower/mappedtail)
        return True
    return _idioms.updating_method(lw, v)[0] or _idioms_more.setdefault_append(lw, v)


def append(lw: Any, v: gast.Call) -> bool:
    """``fs.append(f)`` of a function onto a list of functions (module docstring); also of an
    object (``layers.append(Dense(w))``, lower/objseq.object_like), and onto ``self.layers = []``
    in the ``__init__`` of an object built here (lower/objappend.py)."""
    func = v.func
    if func.attr != "append" or v.keywords or len(v.args) != 1 or lw.inline_depth:
        return False
    arg = v.args[0]
    if not isinstance(arg, (gast.Name, gast.Attribute, gast.Lambda, gast.Call)):
        return False
    place = _place(lw, func.value)
    if place is None:
        return False
    seq, store = place
    if isinstance(seq, FnSeq):
        if seq.kind != "list" or not seq.local or seq.escaped or seq.depth != objseq.depth(lw):
            return False
    if isinstance(arg, gast.Call):  # an object: lowered once (undone when it is not one)
        got = objseq.attempt(lw, lambda: _object_item(lw, arg, v))
        if got is None:
            return False
        item = got.items[0]
    else:
        item = lw.expr(arg)
        if not (objseq.function_like(lw, item) or objseq.object_like(lw, item)):
            return False
    if isinstance(seq, FnSeq):
        seq.items = (*seq.items, item)
    else:
        store(FnSeq((item,), "list", v, objseq.depth(lw)))
    return True


def _object_item(lw: Any, arg: gast.Call, v: gast.Call) -> FnSeq | None:
    item = lw.expr(arg)
    ok = objseq.object_like(lw, item) or objseq.function_like(lw, item)
    return FnSeq((item,), "list", v, objseq.depth(lw)) if ok else None


def _place(lw: Any, target: Any) -> tuple[Any, Any] | None:
    """(the list `target` names, how to rebind it) when it is a `FnSeq` or a fresh empty list:
    a local name (`_fresh_empty`), or a field of the object whose ``__init__`` is being lowered
    (lower/objappend.py); None otherwise."""
    if isinstance(target, gast.Attribute):
        return objappend.place(lw, target)
    if not isinstance(target, gast.Name):
        return None
    name = target.id
    seq = lw.env.get(name)
    if not isinstance(seq, FnSeq) and not _fresh_empty(lw, name, seq):
        return None
    return seq, lambda new: lw.env.__setitem__(name, new)


def _fresh_empty(lw: Any, name: str, v: Any) -> bool:
    """`v` (bound to `name`) is an empty list made by ``[]`` in the current block that no
    operation has read since and no other name holds."""
    if not fresh_list(lw, v):
        return False
    return not any(u is v for n, u in lw.env.items() if n != name)


def fresh_list(lw: Any, v: Any) -> bool:
    """`v` is an empty list made by ``[]`` in the current block that no operation has read
    since."""
    if not isinstance(v, Var):
        return False
    ops = lw.b.block.ops
    at = next((k for k, op in enumerate(ops) if v in op.results), None)
    if at is None or ops[at].prim != "list" or ops[at].args:
        return False
    return not any(_reads(op, v) for op in ops[at + 1 :])


def _reads(op: Any, v: Var) -> bool:
    if any(a is v for a in op.args) or any(a is v for a in op.kwargs.values()):
        return True
    for b in op.blocks:
        if any(y is v for y in b.yields) or any(_reads(o, v) for o in b.ops):
            return True
    return False


def loop_items(lw: Any, s: gast.For) -> list | None:
    """The items of a loop over constants whose body makes a function (module docstring); None
    for other loops (lowered as loops). The iterable is looked at first: most loops fail there."""
    it = s.iter
    display = isinstance(it, (gast.Tuple, gast.List))
    if display:
        if len(it.elts) > _MAX_ITEMS or any(isinstance(e, gast.Starred) for e in it.elts):
            return None
    elif not _constant_range(lw, it):
        return None
    if s.orelse or _own_exit(s.body):
        return None
    if not (
        _makes_function(s.body)
        or _calls_stateful(lw, s.body)
        or objappend.appends_objects(lw, s.body, _place)
        or _indexes_known(lw, s)
    ):
        return None
    if display:
        return [lw.expr(e) for e in it.elts]  # (evaluated once, before the first round)
    args = [lw.value(a) for a in it.args]
    if not all(isinstance(a, Const) and type(a.value) is int for a in args):
        return None
    r = range(*[a.value for a in args])
    return [Const(k) for k in r] if len(r) <= _MAX_ITEMS else None


def _indexes_known(lw: Any, s: gast.For) -> bool:
    """Does the body of ``for k in ...`` index a list or tuple of functions or objects known
    here (`FnSeq`) by `k` (``pts[k].x``, ``layers[k](h)``)? Each round's item is then known."""
    if not isinstance(s.target, gast.Name):
        return False
    k = s.target.id
    for n in own_walk(s.body):
        if (
            isinstance(n, gast.Subscript)
            and isinstance(n.slice, gast.Name)
            and n.slice.id == k
            and isinstance(n.value, gast.Name)
            and isinstance(seq := lw.env.get(n.value.id), FnSeq)
            and seq.kind != "dict"
            and not seq.escaped
        ):
            return True
    return False


def _constant_range(lw: Any, it: Any) -> bool:
    """``range(<constants>)`` of the builtin ``range`` (a name holding a constant, as the
    target of an unrolled loop around does, or `_known_len`, is one)."""
    if not (isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and not it.keywords):
        return False
    if not it.args or not all(
        isinstance(a, gast.Constant)
        or _negative(a)
        or _known_len(lw, a)
        or (isinstance(a, gast.Name) and isinstance(lw.env.get(a.id), Const))  # (unrolled `i`)
        for a in it.args
    ):
        return False
    return it.func.id not in lw.env and lw.ns.lookup(it.func.id)[1] is range


def _known_len(lw: Any, a: Any) -> bool:
    """``len(seq)`` of the builtin ``len`` and a name bound to a list or tuple of functions or
    objects known here (a constant: lower/fnvalues._static_len)."""
    return (
        isinstance(a, gast.Call)
        and isinstance(a.func, gast.Name)
        and a.func.id == "len"
        and len(a.args) == 1
        and not a.keywords
        and isinstance(a.args[0], gast.Name)
        and isinstance(seq := lw.env.get(a.args[0].id), FnSeq)
        and seq.kind != "dict"
        and not seq.escaped
        and "len" not in lw.env
        and lw.ns.lookup("len")[1] is len
    )


def _negative(a: Any) -> bool:
    return isinstance(a, gast.UnaryOp) and isinstance(a.operand, gast.Constant)


def _makes_function(body: list) -> bool:
    """Does `body` (not its nested functions') make a function: a ``def``, a lambda assigned to
    names or passed to ``.append``?"""
    todo = list(body)
    while todo:
        n = todo.pop()
        if isinstance(n, gast.FunctionDef):
            return True
        if isinstance(n, gast.Assign) and isinstance(n.value, gast.Lambda):
            return True
        if (
            isinstance(n, gast.Call)
            and isinstance(n.func, gast.Attribute)
            and n.func.attr == "append"
            and any(isinstance(a, gast.Lambda) for a in n.args)
        ):
            return True
        if not isinstance(n, (gast.Lambda, gast.ClassDef)):
            todo.extend(scope.children(n))
    return False


def _calls_stateful(lw: Any, body: list) -> bool:
    """Does `body` call a name bound to a function that updates its factory's variables
    (lower/fnargs.Carried with a `state`: callable only in the block it was made in)?"""
    for s in body:
        for n in scope.walk(s):
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Name):
                if getattr(lw.env.get(n.func.id), "state", None) is not None:
                    return True
    return False


def _own_exit(body: list) -> bool:
    """A ``break`` or ``return`` of this loop (lower/fnvalues.unroll refuses those)."""
    todo = list(body)
    while todo:
        n = todo.pop()
        if isinstance(n, (gast.Break, gast.Return)):
            return True
        if isinstance(n, (gast.For, gast.While)):
            todo.extend(n.orelse)
            todo.extend(x for x in own_walk(n.body) if isinstance(x, gast.Return))
        elif not isinstance(n, (gast.FunctionDef, gast.Lambda, gast.ClassDef)):
            todo.extend(scope.children(n))
    return False


def own_walk(body: list) -> list:
    """The nodes of `body`, not inside nested functions, lambdas or classes."""
    out, todo = [], list(body)
    while todo:
        n = todo.pop()
        out.append(n)
        if not isinstance(n, (gast.FunctionDef, gast.Lambda, gast.ClassDef)):
            todo.extend(scope.children(n))
    return out
