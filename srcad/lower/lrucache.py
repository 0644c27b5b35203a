"""``@functools.lru_cache`` / ``@functools.cache`` on a nested function whose cache nothing can
observe: the decorator dropped (lower/decorators.py), the function called as it is.

Input: the decorated nested ``def`` and the tree of the function holding it (and its
`Namespace`). Output: whether calling the function each time gives what the cached calls give
(`transparent`). A cache returns an earlier call's value for equal arguments; the plain call
computes it again, the same value when

- the body has no effects: statements are assignments (``=``, ``op=``) to plain local names, ``if``,
  ``for``/``while`` loops, ``return`` and a docstring (no expression statement, ``global``,
  ``nonlocal``, item or attribute write, nested ``def``/``lambda``/class, ``yield``); its
  calls are of builtins or of attributes of modules (``np.exp``, ``math.log``);
- each name it reads from the enclosing function is bound there once, by an ``=`` outside
  any loop, or is one of its parameters, and is never written into (an item, an attribute, an
  augmented assignment, a method call on it): it holds the same value for every call;
- each call of it in the enclosing function is an operand of arithmetic or a comparison, or
  the item of a generator expression handed to ``sum``/``min``/``max``: no cached object is
  bound to a name, stored or returned, where an update in place would be seen by a later call.

Python raises TypeError for an unhashable argument (an array) where the plain call does not.
"""

from __future__ import annotations

import builtins
import functools
import types
from typing import Any

import gast

from srcad.lower.lrushare import FRESH_METHODS, fresh_call, outer_ok, unshared
from srcad.lower.placed import placed
from srcad.lower.withs import _resolve

_STMTS = (gast.Assign, gast.AugAssign, gast.If, gast.For, gast.While, gast.Return, gast.Pass, gast.Break,
          gast.Continue)  # fmt: skip
_BAD = (gast.Global, gast.Nonlocal, gast.FunctionDef, gast.Lambda, gast.ClassDef, gast.Yield,
        gast.YieldFrom, gast.Await, gast.NamedExpr)  # fmt: skip
_LOOPS = (gast.For, gast.While, gast.comprehension)
_CONSUMERS = frozenset({"sum", "min", "max"})
_PURE_BUILTINS = frozenset(
    "abs all any bool complex divmod enumerate float int isinstance len list max min pow range "
    "reversed round sorted sum tuple zip".split()
)
_PURE_MODULES = frozenset({"numpy", "math", "cmath", "scipy", "operator"})


def is_cache(d: Any, ns: Any) -> bool:
    """The decorator `d` is ``functools.cache``, ``functools.lru_cache`` or
    ``functools.lru_cache(...)`` (constant arguments)."""
    if isinstance(d, gast.Call):
        if not all(isinstance(a, gast.Constant) for a in [*d.args, *(k.value for k in d.keywords)]):
            return False
        return _resolve(d.func, ns) is functools.lru_cache
    return _resolve(d, ns) in (functools.cache, functools.lru_cache)


def transparent(s: gast.FunctionDef, root: Any, ns: Any) -> bool:
    """Calling `s` again gives what its cache would (module docstring); `root` holds `s`."""
    parents = {id(c): p for p in gast.walk(root) for c in gast.iter_child_nodes(p)}
    own = _bound(s)
    for st in s.body:
        if _docstring(st):
            continue
        for n in gast.walk(st):
            if isinstance(n, _BAD) or isinstance(n, gast.stmt) and not isinstance(n, _STMTS):
                return False
            if isinstance(n, (gast.Subscript, gast.Attribute)) and not isinstance(n.ctx, gast.Load):
                return False
            if isinstance(n, gast.Call) and not _plain_callee(n.func, ns):
                return False
            if isinstance(n, gast.Call) and _name_of(n.func) in _TELLS_EQUAL_KEYS:
                return False
    a = s.args
    if a.defaults or a.kw_defaults or a.kwonlyargs or a.kwarg is not None:
        return False  # (the cache's key is what a call passes: `hash_guard` hashes the parameters)
    free = {n.id for st in s.body for n in gast.walk(st) if isinstance(n, gast.Name)} - own
    here = _bound_in(root)
    return (
        all(_stable(name, root, s, parents, ns) for name in free)
        and all(
            unshared(name, root, s, parents, ns)
            if name in here
            else outer_ok(name, root, s, parents, ns)
            for name in sorted(free)
        )
        and _uses_ok(s, root, parents)
    )


def hash_guard(s: gast.FunctionDef) -> gast.Expr:
    """``hash((a, b, *rest))`` of the parameters of `s`: the cache raises TypeError for an
    unhashable argument (an array, a list) before the body runs, and so does the plain function
    with this as its first statement."""
    a = s.args
    items: list = [gast.Name(id=x.id, ctx=gast.Load(), annotation=None, type_comment=None)
                   for x in [*a.posonlyargs, *a.args]]  # fmt: skip
    if a.vararg is not None:
        rest = gast.Name(id=a.vararg.id, ctx=gast.Load(), annotation=None, type_comment=None)
        items.append(gast.Starred(value=rest, ctx=gast.Load()))
    hashed = gast.Name(id="hash", ctx=gast.Load(), annotation=None, type_comment=None)
    call = gast.Call(func=hashed, args=[gast.Tuple(elts=items, ctx=gast.Load())], keywords=[])
    return placed(gast.Expr(value=call), s)


def _bound_in(root: Any) -> set[str]:
    """The names `root` binds: its parameters and every name stored in it."""
    a = root.args
    out = {x.id for x in [*a.posonlyargs, *a.args, *a.kwonlyargs] if isinstance(x, gast.Name)}
    out |= {x.id for x in (a.vararg, a.kwarg) if isinstance(x, gast.Name)}
    return out | {
        n.id
        for n in gast.walk(root)
        if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load)
    }


# functions telling apart arguments a cache takes for one key (0.0 == -0.0, 1 == 1.0): its
# first call's value is answered for both, the plain function's differs
_TELLS_EQUAL_KEYS = frozenset({"copysign", "signbit", "atan2", "arctan2", "isinstance"})


def _name_of(f: Any) -> str:
    return f.id if isinstance(f, gast.Name) else f.attr if isinstance(f, gast.Attribute) else ""


def _docstring(st: Any) -> bool:
    return isinstance(st, gast.Expr) and isinstance(st.value, gast.Constant)


def _bound(s: gast.FunctionDef) -> set[str]:
    a = s.args
    out = {x.id for x in [*a.posonlyargs, *a.args, *a.kwonlyargs] if isinstance(x, gast.Name)}
    out |= {x.id for x in (a.vararg, a.kwarg) if isinstance(x, gast.Name)}
    for st in s.body:
        out |= {
            n.id
            for n in gast.walk(st)
            if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load)
        }
    return out


def _plain_callee(f: Any, ns: Any) -> bool:
    """A pure builtin by name (`_PURE_BUILTINS`), or an attribute (chain) of a global module of
    `_PURE_MODULES` outside ``random``: ``np.linalg.norm``, ``math.exp`` (not ``np.random.rand``,
    ``random.random``, ``time.time``: a cached draw is the same draw again, a plain call a new
    one)."""
    if isinstance(f, gast.Name):
        kind, obj = ns.lookup(f.id)
        return kind == "builtin" and f.id in _PURE_BUILTINS and obj is getattr(builtins, f.id, None)
    base, attrs = f, []
    while isinstance(base, gast.Attribute):
        attrs.append(base.attr)
        base = base.value
    if not isinstance(base, gast.Name) or "random" in attrs:
        return False
    kind, obj = ns.lookup(base.id)
    return (
        kind == "global"
        and isinstance(obj, types.ModuleType)
        and obj.__name__.split(".")[0] in _PURE_MODULES
        and "random" not in obj.__name__
    )


def _passed(n: Any, name: str, ns: Any) -> bool:
    """`n` hands the object `name` holds to a call (``np.add.at(name, i, v)``,
    ``helper(name)``, which may write into it), other than a pure builtin's (``len(name)``) or a
    NumPy function's whose value is fresh (``np.sum(name)``: lower/lrushare.py)."""
    if not isinstance(n, gast.Call):
        return False
    if isinstance(n.func, gast.Name) and n.func.id in _PURE_BUILTINS:
        return False
    if fresh_call(n, ns):
        return False
    args = [*n.args, *(k.value for k in n.keywords)]
    return any(
        isinstance(a, gast.Name)
        and a.id == name
        or isinstance(a, gast.Starred)
        and isinstance(a.value, gast.Name)
        and a.value.id == name
        for a in args
    )


def _stable(name: str, root: Any, s: Any, parents: dict, ns: Any) -> bool:
    """`name`, read by `s`, names one value for every call: a global (not bound in `root`), a
    parameter of `root`, or bound there once by ``=`` outside loops; never written into."""
    a = root.args
    params = {x.id for x in [*a.posonlyargs, *a.args, *a.kwonlyargs] if isinstance(x, gast.Name)}
    if name not in _bound_in(root) and isinstance(ns.lookup(name)[1], types.ModuleType):
        return True  # (``math.sin(v)`` in `root` calls a function of the module, writes nothing)
    stores, inner = [], {id(n) for n in gast.walk(s)}
    for n in gast.walk(root):
        if id(n) in inner:
            continue
        if isinstance(n, gast.Name) and n.id == name and not isinstance(n.ctx, gast.Load):
            stores.append(n)
        if _written_into(n, name) or _passed(n, name, ns):
            return False
    if name in params:
        return not stores
    if not stores:
        return True  # (a global or builtin, or a name no path binds: Python raises too)
    if len(stores) != 1:
        return False
    st = parents.get(id(stores[0]))
    if not (isinstance(st, gast.Assign) and st.targets == [stores[0]]):
        return False
    up = parents.get(id(st))
    while up is not None:
        if isinstance(up, _LOOPS):
            return False
        up = parents.get(id(up))
    return True


def _written_into(n: Any, name: str) -> bool:
    """`n` writes into the object `name` holds: ``name[i] = v``, ``name.a = v``, ``name += v``,
    ``name.m(...)`` (but ``name.sum()``, ``name.copy()``: lower/lrushare.FRESH_METHODS)."""

    def base_is(e: Any) -> bool:
        while isinstance(e, (gast.Subscript, gast.Attribute)):
            e = e.value
        return isinstance(e, gast.Name) and e.id == name

    if isinstance(n, (gast.Subscript, gast.Attribute)) and not isinstance(n.ctx, gast.Load):
        return base_is(n)
    if isinstance(n, gast.AugAssign):
        return base_is(n.target) or isinstance(n.target, gast.Name) and n.target.id == name
    if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
        return n.func.attr not in FRESH_METHODS and base_is(n.func.value)
    return False


def _uses_ok(s: gast.FunctionDef, root: Any, parents: dict) -> bool:
    """Every read of the function's name in `root` is a call whose value is consumed at once."""
    for n in gast.walk(root):
        if not (isinstance(n, gast.Name) and n.id == s.name):
            continue
        if not isinstance(n.ctx, gast.Load):
            if parents.get(id(n)) is not s:
                return False  # (rebound)
            continue
        call = parents.get(id(n))
        if not (isinstance(call, gast.Call) and call.func is n):
            return False
        up = parents.get(id(call))
        if isinstance(up, (gast.BinOp, gast.UnaryOp, gast.Compare)):
            continue
        if isinstance(up, gast.GeneratorExp) and up.elt is call:
            f = parents.get(id(up))
            if (
                isinstance(f, gast.Call)
                and isinstance(f.func, gast.Name)
                and f.func.id in _CONSUMERS
            ):
                if f.args == [up]:
                    continue
        return False
    return True
