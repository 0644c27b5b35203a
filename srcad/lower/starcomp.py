"""``[Dense(*p) for p in params]``: the starred item of a comprehension unpacked in its target.

Input: a function's gast tree and its namespace. Output: the tree with each list comprehension or
generator expression ``[C(*p) for p in ps]`` (one ``for``, `p` read nowhere else) rewritten as
``[C(p_0, ..., p_n1) for p_0, ..., p_n1 in ps]`` when `C` is a module-level user class whose
``__init__`` (or a user function that) takes exactly `n` positional parameters with no default,
``*args``, ``**kwargs`` or keyword-only ones: ``C(*p)`` binds them from ``tuple(p)``, the same
values the unpacking gives (each run-time `p` of another length raises in both: Python's
TypeError at the call, ValueError at the unpacking). The comprehension over a run-time list of
parameter tuples is then lowered as ``[Dense(W, b) for W, b in params]`` is (lower/mappedseq.py).
"""

from __future__ import annotations

import copy
import inspect
import types
from typing import Any

import gast

from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES
from srcad.lower.withs import _resolve


def rewrite(tree: Any, ns: Any, names: set[str] | None = None) -> bool:
    """Rewrite the comprehensions of `tree` the module docstring describes, each statement
    holding one preceded by the check of its items' lengths -> any changed? (`names`: others
    taken, besides `tree`'s own.)"""
    taken = {n.id for n in gast.walk(tree) if isinstance(n, gast.Name)} | (names or set())
    changed = False
    for node in list(gast.walk(tree)):
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            out = []
            for st in stmts:
                if isinstance(st, _STMTS):
                    for comp in _comprehensions(st):
                        check = _rewrite(comp, ns, taken)
                        if check is not None:
                            out.append(check)
                            changed = True
                out.append(st)
            stmts[:] = out
    return changed


_STMTS = (gast.Assign, gast.Expr, gast.Return, gast.AugAssign, gast.AnnAssign)
_SCOPES = (gast.Lambda, gast.ListComp, gast.GeneratorExp, gast.SetComp, gast.DictComp)


def rewrite_body(body: list, ns: Any, names: set[str]) -> list:
    """`body` (an ``__init__``'s statements: ``self.layers = [Affine(*p) for p in params]``) with
    its comprehensions rewritten as `rewrite` does, on a copy (the parsed source is shared) ->
    `body` itself when none is; `names`: the function's other names (its parameters)."""
    if not any(_starred(c) for st in body if isinstance(st, _STMTS) for c in _comprehensions(st)):
        return body
    holder = gast.Module(body=copy.deepcopy(body), type_ignores=[])
    taken = set(names)
    return holder.body if rewrite(holder, ns, taken) else body


def _starred(comp: Any) -> bool:
    e = comp.elt
    return isinstance(e, gast.Call) and any(isinstance(a, gast.Starred) for a in e.args)


def _comprehensions(st: Any) -> list:
    """The comprehensions of the statement `st` not inside another one or a lambda (their
    iterable's names are the statement's)."""
    found, todo = [], [st]
    while todo:
        n = todo.pop()
        if isinstance(n, (gast.ListComp, gast.GeneratorExp)):
            found.append(n)
        if not isinstance(n, _SCOPES):
            todo.extend(gast.iter_child_nodes(n))
    return found


def _rewrite(node: Any, ns: Any, taken: set) -> Any:
    """The rewrite of one comprehension -> the check to run before its statement, or None."""
    if len(node.generators) != 1:
        return None
    g, call = node.generators[0], node.elt
    if g.is_async or not isinstance(g.target, gast.Name) or not isinstance(call, gast.Call):
        return None
    p = g.target.id
    if (
        call.keywords
        or len(call.args) != 1
        or not isinstance(call.args[0], gast.Starred)
        or not isinstance(call.args[0].value, gast.Name)
        or call.args[0].value.id != p
        or not isinstance(g.iter, gast.Name)
        or g.iter.id == p
    ):
        return None
    others = [call.func, *g.ifs]
    if any(isinstance(n, gast.Name) and n.id == p for o in others for n in gast.walk(o)):
        return None
    n = arity(_resolve(call.func, ns))
    if not n:
        return None
    names = [f"{p}_{k}" for k in range(n)]
    if any(m in taken for m in names):
        return None
    taken.update(names)
    star = call.args[0]
    call.args = [gast.copy_location(_name(m, gast.Load()), star) for m in names]
    elts = [gast.copy_location(_name(m, gast.Store()), g.target) for m in names]
    g.target = gast.copy_location(gast.Tuple(elts=elts, ctx=gast.Store()), g.target)
    return _check(g.iter.id, p, n, call)


def _check(seq: str, p: str, n: int, like: Any) -> gast.Assert:
    """``assert all([len(p) == n for p in seq])``, a SrcadError when false (rules/checks.require):
    unpacking would take the first `n` items of a longer `p`, where ``C(*p)`` raises."""
    at = lambda node: gast.copy_location(node, like)  # noqa: E731
    size = at(gast.Call(func=at(_name("len", gast.Load())), args=[at(_name(p, gast.Load()))],
                        keywords=[]))  # fmt: skip
    same = at(gast.Compare(left=size, ops=[gast.Eq()], comparators=[at(gast.Constant(n, None))]))
    gen = gast.comprehension(target=at(_name(p, gast.Store())), iter=at(_name(seq, gast.Load())),
                             ifs=[], is_async=0)  # fmt: skip
    # a list, not a generator expression: located at the call, a generator passed to `all`
    # would mark the call's first argument one-shot (lower/oneshot.note_call)
    test = at(gast.Call(func=at(_name("all", gast.Load())),
                        args=[at(gast.ListComp(elt=same, generators=[gen]))], keywords=[]))  # fmt: skip
    msg = f"an item of `{seq}` passed as `*{p}` does not fill the {n} parameters it is given to"
    check = at(gast.Assert(test=test, msg=at(gast.Constant(msg, None))))
    check.srcad_check = "srcad.runtime.require"  # a SrcadError, never a skippable `assert`
    return check


def _name(n: str, ctx: Any) -> gast.Name:
    return gast.Name(id=n, ctx=ctx, annotation=None, type_comment=None)


def arity(f: Any) -> int | None:
    """The number of positional parameters of the user class `f`'s ``__init__`` (or the user
    function `f`) when they are all it takes (no defaults, no ``*args``/``**kwargs``/keyword-only
    parameters), else None."""
    if isinstance(f, type):
        if type(f) is not type or module_top(f) in LIBRARY_MODULES:
            return None
        if inspect.getattr_static(f, "__new__", object.__new__) is not object.__new__:
            return None
        init = inspect.getattr_static(f, "__init__", None)
        skip = 1
    else:
        init, skip = f, 0
    if not isinstance(init, types.FunctionType) or init.__defaults__ or init.__kwdefaults__:
        return None
    code = init.__code__
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) or code.co_kwonlyargcount:
        return None
    if module_top(init) in LIBRARY_MODULES:
        return None
    n = code.co_argcount - skip
    return n if n > 0 else None
