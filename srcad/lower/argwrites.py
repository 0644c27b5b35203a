"""Helpers that update their arguments in place (``build_up_b(b, u)`` writing ``b[1:-1] = ...``):
inlined at the call, the update written back to the caller's variable.

Input: the lowerer at a call of a module-level Python function known now, and the call node.
Output: the call's value, the helper's body lowered at the call (lower/varargs.inline_call), and
each caller variable passed (as a plain name) for a parameter the helper updates in place bound
to the parameter's final value: Python's helper changes the caller's object, so after the call
the caller's name holds what the helper left in it, exactly as if the body had been written at
the call.

A parameter counts as updated in place (`updated_params`) when the helper writes an element of it
(``p[i] = v``, ``p[i] op= v``, ``del p[i]``; a row, ``p[i][j] = v``, or a list inside it,
``p["hist"].append(v)``: the caller's own nested write once inlined, `row_roots`; not
``p.x[i] = v``), calls an updating method of it (``p.append(v)``) or
passes it on, as a plain name, for a parameter another such helper updates; and never rebinds it
(no ``p = ...``, ``p op= v``, ``for p in``, ``nonlocal p`` in a nested function...): after a
rebinding the helper's name holds another object, and ``p op= v`` rebinds a number. Anything else
keeps the call as it was (the helper's own function, refused by ad/base.refuse_argument_mutation
if it updates an argument). The mutation check (passes/alias.py) sees the inlined update as the
caller's own: a caller name that shares the object (``c = a``) and is read afterwards, or the
transformed function's own argument updated so, stay refused as for code written inline.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import get_source, namespace_of
from srcad.lower import listrows, loopitems, scope
from srcad.lower.classmemo import ClassMemo
from srcad.lower.userfns import library, srcad_made
from srcad.lower.values import LocalObj, NestedFn
from srcad.ssa.core import Var

UPDATING = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse",
                       "update", "setdefault", "popitem", "fill"})  # fmt: skip
DEPTH = 8  # helpers passing an argument on, followed (and inlined) this deep


def updated_params(fn: Any, depth: int = 0, stack: tuple = ()) -> frozenset[str]:
    """The parameters of the plain Python function `fn` (or nested def, a `NestedFn`) it
    updates in place and never rebinds (see the module docstring); empty for anything else.
    `stack`: the functions being asked about (a recursive call adds nothing)."""
    if depth > DEPTH or any(fn is f for f in stack):
        return frozenset()
    if isinstance(fn, NestedFn):
        node, resolve = fn.node, lambda name: None  # (what it calls: not followed)
    elif _plain(fn):
        try:
            node = listrows.param_rows(fn) or get_source(fn).node  # (rows written as `a[i][j]`)
        except Exception:  # no source: the call stays a call
            return frozenset()
        resolve = lambda name: namespace_of(fn).lookup(name)[1]  # noqa: E731
    else:
        return frozenset()
    if not isinstance(node, gast.FunctionDef):
        return frozenset()
    args = node.args
    params = {a.id for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    rebound: set[str] = set()
    updated: set[str] = set()
    local = params | _local_names(node)  # a call of one is not the module's function
    inner: dict[str, frozenset[str]] = {}  # per callee: asked once, however often it is called
    for n in gast.walk(node):
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            rebound.add(n.id)
        elif isinstance(n, (gast.Nonlocal, gast.Global)):
            rebound.update(n.names)
        elif isinstance(n, (gast.FunctionDef, gast.ClassDef)) and n is not node:
            rebound.add(n.name)
        elif isinstance(n, (gast.Import, gast.ImportFrom)):
            rebound.update((a.asname or a.name).split(".")[0] for a in n.names)
        elif isinstance(n, gast.For):  # ``for p, g in zip(ps, gs): p -= lr * g``
            updated.update(ps for ps in loopitems.updated_sources(n) if "." not in ps)
        elif isinstance(n, (gast.Assign, gast.AugAssign, gast.Delete)):
            targets = n.targets if not isinstance(n, gast.AugAssign) else [n.target]
            for t in targets:
                updated.update(element_roots(t))
                rows = set() if isinstance(n, gast.Delete) else row_roots(t)
                updated.update(rows)
                rebound.update(deep_roots(t, rows))
        elif isinstance(n, gast.Call):
            f = n.func
            if isinstance(f, gast.Attribute) and f.attr in UPDATING:
                if isinstance(f.value, gast.Name):
                    updated.add(f.value.id)
                elif isinstance(f.value, gast.Subscript) and _subscripts(f.value):
                    updated.update(_root(f.value))  # `p["hist"].append(v)`: as a row's write
                else:  # `p.x.append(v)`
                    rebound.update(deep_roots(gast.Attribute(value=f.value, attr="", ctx=None)))
            elif isinstance(f, gast.Name) and f.id not in local:
                callee = resolve(f.id)
                if f.id not in inner:
                    inner[f.id] = updated_params(callee, depth + 1, (*stack, fn))
                updated |= passed_on(callee, n, depth + 1, inner[f.id])
    return frozenset((updated & params) - rebound)


def _local_names(node: gast.FunctionDef) -> set[str]:
    """The names `node`'s body binds (assignments, loops, nested defs and classes, imports)."""
    out: set[str] = set()
    for n in gast.walk(node):
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            out.add(n.id)
        elif isinstance(n, (gast.FunctionDef, gast.ClassDef)) and n is not node:
            out.add(n.name)
        elif isinstance(n, (gast.Import, gast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in n.names)
    return out


def passed_on(
    callee: Any, call: gast.Call, depth: int, inner: Any = None, front: int = 0
) -> set[str]:
    """The names passed as plain names in `call` for parameters `callee` updates in place
    (`inner`: those parameters, when known; `front`: parameters bound before the call's own)."""
    inner = updated_params(callee, depth) if inner is None else inner
    if not inner:
        return set()
    return {name for p, name in _bound_names(callee, call, front).items() if p in inner}


def writes_back(lw: Any, fn: Any, node: gast.Call, front: int = 0) -> dict[str, str]:
    """For the call `node` of `fn`: {parameter: caller variable} for each parameter `fn` updates
    in place given a local variable of the caller holding a run-time value; empty when none (or
    a name passed twice: the helper's two names share one object, left to the mutation check).
    `front`: parameters bound before the call's own arguments (a method's ``self``)."""
    deep = lw.inline_depth >= DEPTH
    if deep and not _calls_itself(fn):
        return {}
    inner = updated_params(fn)
    if not inner:
        return {}
    names = _bound_names(fn, node, front)
    if len(set(names.values())) != len(names):
        return {}
    back = {
        p: name
        for p, name in names.items()
        if p in inner and name in lw.py_locals and isinstance(lw.env.get(name), Var)
    }
    if deep and back:  # (a quicksort's two calls: 2 ** DEPTH copies, then refused at the call)
        raise _too_deep(lw, fn, node, min(back))
    if deep:
        return {}
    return back or dict.fromkeys(sorted(_displays(fn, node, front) & inner), "")


def _calls_itself(fn: Any) -> bool:
    """`fn` is a module-level Python function whose code reads its own name (a recursive helper);
    False for the other callables srcad inlines (a nested def, `values.NestedFn`: left to the
    depth limit as before)."""
    code = getattr(fn, "__code__", None)
    return code is not None and getattr(fn, "__name__", None) in code.co_names


def _too_deep(lw: Any, fn: Any, node: gast.Call, param: str) -> Exception:
    """A helper that calls itself and updates its argument in place, `DEPTH` calls deep: its
    recursion does not end where srcad can see it (a recursive quicksort's ``qs(a, lo, p - 1)``),
    and the call left past the depth would be refused as changing the caller's object."""
    name = fn.__name__
    return lw.error(
        node,
        f"`{name}` updates its argument `{param}` in place and calls itself more than {DEPTH} "
        "levels deep; srcad follows such a helper only while its recursion ends at a depth "
        "known when transforming",
        f"make `{name}` return the new value (`{param} = {name}({param}, ...)`), or write the "
        "recursion as a loop",
    )


def _displays(fn: Any, call: gast.Call, front: int = 0) -> set[str]:
    """Parameters given a dict/list display in `call` (``bn(x, {"mode": "train"})``): an object
    made for the call, which no caller name holds; the helper inlined updates it, nothing is
    written back (`write_back` skips the empty name)."""
    if isinstance(fn, NestedFn):
        return set()
    bound = _bound_args(fn, call, front)
    return {p for p, a in bound.items() if isinstance(a, (gast.Dict, gast.List))}


def write_back(lw: Any, back: dict[str, str], final: dict[str, Any]) -> None:
    """After the helper's body (lower/varargs.inline_call, its parameters' last values in
    `final`): the caller's variables in `back` bound to them."""
    for p, name in sorted(back.items()):
        if name and isinstance(final.get(p), Var):
            lw.env[name] = final[p]


def carried(lw: Any, stmts: list) -> set[str]:
    """The caller variables a call in `stmts` updates through a helper (`writes_back`): a loop
    over `stmts` carries them (the call shows no assignment). Only when a name `stmts` read
    (`scope.reads`, cached) is such a helper (`_helper`) are their nodes walked for the calls."""
    read = scope.reads(stmts)
    if not any(_helper(lw, name) is not None or _receiver(lw, name) for name in read):
        return set()
    out: set[str] = set()
    for s in stmts:
        for n in scope.walk(s):
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Name):
                fn = _helper(lw, n.func.id)
                if fn is not None:
                    out |= passed_on(fn, n, 0)
            elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
                fn = method_of(lw, n.func)
                if fn is not None:
                    out |= passed_on(fn, n, 0, front=1)
    return {v for v in out if v in lw.py_locals and isinstance(lw.env.get(v), Var)}


_METHODS: ClassMemo[bool] = ClassMemo()


def method_updates(cls: type) -> bool:
    """Does a plain method of the user class `cls` (or a base's; not ``__init__``) update an
    argument other than ``self`` in place (`updated_params`)? Then even a record of it is built
    here (lower/objinit.built_here), so ``a.add_to(out, v)`` is inlined and `out` written back.
    Computed once per class (lower/classmemo.py)."""
    return _METHODS.get(cls, _method_updates)


def _method_updates(cls: type) -> bool:
    found = False
    for k in cls.__mro__[:-1]:
        for name, f in vars(k).items():
            if name != "__init__" and _plain(f) and f.__code__.co_argcount > 1:
                if updated_params(f) - {f.__code__.co_varnames[0]}:
                    found = True
                    break
        if found:
            break
    return found


def _receiver(lw: Any, name: str) -> bool:
    """Is `name` an object built here (lower/objects.py), whose methods are inlined?"""
    return isinstance(lw.env.get(name), LocalObj)


def method_of(lw: Any, f: gast.Attribute) -> Any:
    """The plain function ``o.m`` calls, `o` a name of an object built here; else None."""
    if not (isinstance(f.value, gast.Name) and _receiver(lw, f.value.id)):
        return None
    fn = inspect.getattr_static(lw.env[f.value.id].cls, f.attr, None)
    return fn if _plain(fn) else None


def _helper(lw: Any, name: str) -> Any:
    """What a call of `name` calls, when `updated_params` may find a parameter it updates (a
    nested def or a plain Python function), else None."""
    if name in lw.env:
        fn = lw.env[name]  # a nested def
    elif name in lw.py_locals:
        return None
    else:
        fn = lw.ns.lookup(name)[1]
    return fn if isinstance(fn, NestedFn) or _plain(fn) else None


def _plain(fn: Any) -> bool:
    if not isinstance(fn, types.FunctionType) or library(fn) or srcad_made(fn):
        return False
    return not fn.__code__.co_flags & (inspect.CO_GENERATOR | inspect.CO_VARARGS
                                       | inspect.CO_VARKEYWORDS | inspect.CO_COROUTINE)  # fmt: skip


def element_roots(t: Any) -> set[str]:
    """``p`` for a target ``p[i]`` (tuple targets: each)."""
    if isinstance(t, (gast.Tuple, gast.List)):
        return set().union(*(element_roots(e) for e in t.elts)) if t.elts else set()
    if isinstance(t, gast.Starred):
        return element_roots(t.value)
    if isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name):
        return {t.value.id}
    return set()


def deep_roots(t: Any, rows: set | frozenset = frozenset()) -> set[str]:
    """``p`` for a target ``p[i][j]``, ``p[i].x``, ``p.x[i]``, ``p.x``: an object inside the argument
    changes, which other names of the caller may hold (``outer = [y]; helper(outer)``): such a
    parameter is not written back (the call stays a call). `rows`: `row_roots` of `t`, whose
    ``p[i][j]`` targets are left out (an attribute target of the same root is not)."""
    if isinstance(t, (gast.Tuple, gast.List)):
        return set().union(*(deep_roots(e, rows) for e in t.elts)) if t.elts else set()
    if isinstance(t, gast.Starred):
        return deep_roots(t.value, rows)
    if not isinstance(t, (gast.Subscript, gast.Attribute)):
        return set()
    if isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name):
        return set()  # `p[i] = v`: `element_roots`
    root = t
    while isinstance(root, (gast.Subscript, gast.Attribute)):
        root = root.value
    if isinstance(root, gast.Name) and root.id in rows and _subscripts(t):
        return set()
    return {root.id} if isinstance(root, gast.Name) else set()


def row_roots(t: Any) -> set[str]:
    """``p`` for a target ``p[i][j]`` (subscripts only, two or more; tuple targets: each): the
    helper writes into a row of its argument. Inlined, that is the caller's own nested write
    ``a[i][j] = v`` (lower/exprs.assign_to), which the mutation check follows into the row
    (passes/alias_nested.py): another caller name holding the row and read afterwards stays
    refused, as for the statement written at the call."""
    if isinstance(t, (gast.Tuple, gast.List)):
        return set().union(*(row_roots(e) for e in t.elts)) if t.elts else set()
    if isinstance(t, gast.Starred):
        return row_roots(t.value)
    if not (isinstance(t, gast.Subscript) and isinstance(t.value, gast.Subscript)):
        return set()
    while isinstance(t, gast.Subscript):
        t = t.value
    return {t.id} if isinstance(t, gast.Name) else set()


def _subscripts(t: Any) -> bool:
    while isinstance(t, gast.Subscript):
        t = t.value
    return isinstance(t, gast.Name)


def _root(t: Any) -> set[str]:
    while isinstance(t, gast.Subscript):
        t = t.value
    return {t.id} if isinstance(t, gast.Name) else set()


def _bound_names(fn: Any, call: gast.Call, front: int = 0) -> dict[str, str]:
    """{parameter: name} for the arguments of `call` that are plain names."""
    bound = _bound_args(fn, call, front)
    return {p: a.id for p, a in bound.items() if isinstance(a, gast.Name)}


def _bound_args(fn: Any, call: gast.Call, front: int = 0) -> dict[str, Any]:
    """{parameter: argument node} of `call` ({} with ``*args``/``**kw`` or when it does not bind);
    `front` parameters bound first to placeholders (a method's ``self``), not in the result."""
    if any(isinstance(a, gast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return {}
    if isinstance(fn, NestedFn):  # by position or name only (lower/nestedargs.plain)
        a = fn.node.args
        if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs or len(call.args) > len(a.args):
            return {}
        return dict(
            [*zip((p.id for p in a.args), call.args), *((k.arg, k.value) for k in call.keywords)]
        )
    head = [None] * front
    try:
        bound = inspect.signature(fn).bind(
            *head, *call.args, **{k.arg: k.value for k in call.keywords}
        )
    except (TypeError, ValueError):
        return {}
    return dict(list(bound.arguments.items())[front:])
