"""Function factories: a helper returning a nested function (``g = make_layer(W, b); g(x)``).

Input: the lowerer at a call of a user function whose body returns one of its nested defs or a
lambda. Output: the call inlined (lower/varargs.inline_call) and its value a `Carried` nested
function (lower/fnargs.py): the returned def with the helper's environment at its return, so a
later ``g(x)`` lowers its body in that environment, the arguments evaluated where it is called.

    def make_layer(W, b):               def loss(p):
        def layer(h):                       layer = make_layer(p[0], p[1])
            return np.tanh(h @ W + b)       return np.sum(layer(X) ** 2)
        return layer

Exact because the helper's frame is gone once it returns: nothing rebinds the variables the
returned function reads (a returned function writing them with ``nonlocal`` is refused by
`fnargs.carry`). An argument the caller updates in place afterwards is the same SSA value the
function reads, so the mutation check refuses the stale read as for any alias. A nested factory
(``def mk(a): return lambda v: a * v`` inside the lowered function) is taken only when the
returned function reads none of the enclosing function's variables besides the factory's own:
Python would read those when the function runs, after the caller may have rebound them.
"""

from __future__ import annotations

import builtins
import dis
import types
import weakref
from collections.abc import Callable
from typing import Any

import gast
import numpy as np

from srcad.frontend.source import get_source
from srcad.lower import closures, objseq, unbound
from srcad.lower.objseq import FnSeq, Items
from srcad.lower.values import NestedFn, PrimRef
from srcad.ssa.core import Const, Var

_VALUES = (Const, Var)

_RETURNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def returns_function(fn: Any) -> bool:
    """`fn` (a plain Python function) has a ``return`` of one of its nested defs or of a lambda
    (its code holds nested code objects first: most functions are told apart without their
    source), or of a global naming a function (``return np.tanh``, ``return relu``)."""
    if not isinstance(fn, types.FunctionType):
        return False
    code = fn.__code__
    if code not in _RETURNS:
        _RETURNS[code] = _returned_names(get_source(fn).node) if _candidate(code) else (False, ())
    nested, names = _RETURNS[code]
    return nested or any(_function_named(fn, n) for n in names)


def _candidate(code: types.CodeType) -> bool:
    """The code may return a function: it holds nested code, or returns a global or an
    attribute read just before (``return np.tanh``); only those are parsed."""
    if any(isinstance(c, types.CodeType) for c in code.co_consts) or "reduce" in code.co_names:
        return True  # (`return functools.reduce(compose, fs)`: `_folded`)
    prev = None
    for ins in dis.get_instructions(code):
        if ins.opname == "RETURN_VALUE" and prev in ("LOAD_GLOBAL", "LOAD_ATTR", "LOAD_NAME"):
            return True
        prev = ins.opname
    return False


def _returned_names(fnode: Any) -> tuple[bool, tuple[str, ...]]:
    """(whether a ``return`` gives a nested def or lambda, the dotted global names returned)."""
    if not isinstance(fnode, gast.FunctionDef):
        return False, ()
    own = _own_nodes(fnode)
    local = closures.own_locals(fnode) | {p.id for p in _params(fnode)}
    defs = {s.name for s in own if isinstance(s, gast.FunctionDef)}
    lambdas = {
        t.id
        for s in own
        if isinstance(s, gast.Assign) and isinstance(s.value, gast.Lambda)
        for t in s.targets
        if isinstance(t, gast.Name)
    }
    nested, names = False, []
    for s in own:
        if isinstance(s, gast.Return) and s.value is not None:
            v = s.value
            parts = v.elts if isinstance(v, gast.Tuple) else [v]  # `return init, apply`
            if all(
                isinstance(p, gast.Lambda) or (isinstance(p, gast.Name) and p.id in defs | lambdas)
                for p in parts
            ) or _folded(v):
                nested = True
            elif (dotted := _dotted(v)) is not None and dotted.split(".")[0] not in local:
                names.append(dotted)
    return nested, tuple(names)


def _folded(v: Any) -> bool:
    """``return functools.reduce(f, fs)`` (or ``reduce(...)``): of functions, a function
    (lower/stdlib.py folds a list of functions item by item); of numbers, a value
    (`fnargs.returned` takes only functions)."""
    return isinstance(v, gast.Call) and _dotted(v.func) in ("functools.reduce", "reduce")


def _dotted(v: Any) -> str | None:
    if isinstance(v, gast.Name):
        return v.id
    if isinstance(v, gast.Attribute) and (base := _dotted(v.value)) is not None:
        return f"{base}.{v.attr}"
    return None


def _function_named(fn: types.FunctionType, dotted: str) -> bool:
    """The global `dotted` names, in `fn`'s module now, a function (not a class or other
    callable object: those are values the call returns)."""
    first, *rest = dotted.split(".")
    g = fn.__globals__
    if first in g:
        obj = g[first]
    else:
        b = g.get("__builtins__", builtins)
        obj = (b if isinstance(b, dict) else vars(b)).get(first)
    for a in rest:
        obj = getattr(obj, a, None)
    return isinstance(obj, _FUNCTIONS)


_FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, np.ufunc)


def function_tuple(v: Any) -> bool:
    """`v` is a tuple of functions a factory returns (``return init_fun, apply_fun``)."""
    return (
        isinstance(v, FnSeq)
        and v.kind == "tuple"
        and all(isinstance(i, (NestedFn, PrimRef)) for i in v.items)
    )


def returnable(v: Any) -> bool:
    """`v`, a factory's return value, is a function (or tuple of them) it gives the caller."""
    return isinstance(v, (NestedFn, PrimRef)) or function_tuple(v)


def carried(v: Any, one: Callable[[NestedFn], Any]) -> Any:
    """The caller's value of the `returnable` `v`: each nested function made `one(f)` (carried
    with the factory's environment; None refuses it), each library function `library_fn`."""
    if isinstance(v, PrimRef):
        return library_fn(v)
    if isinstance(v, NestedFn):
        return one(v)
    items = tuple(carried(i, one) for i in v.items)  # unpacked: `init, apply = Dense(3)`
    return None if any(i is None for i in items) else Items(items)


def library_fn(ref: PrimRef) -> PrimRef:
    """A library function a factory returned, as a value of the caller: without the helper's
    expression naming it (the caller's module may bind that name otherwise)."""
    return PrimRef(ref.name, ref.obj, None)


def _own_nodes(fnode: Any) -> list:
    """The statements of `fnode`'s body at every depth, not inside nested defs or classes."""
    out, todo = [], list(fnode.body)
    while todo:
        s = todo.pop()
        out.append(s)
        if isinstance(s, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            todo.extend(getattr(s, field, None) or ())
        for h in getattr(s, "handlers", None) or ():
            todo.extend(h.body)
        for c in getattr(s, "cases", None) or ():
            todo.extend(c.body)
    return out


def factory_call(lw: Any, a: Any) -> bool:
    """The argument node `a` calls, by a plain name, a factory: a nested def or a module-level
    function returning a nested function (``compose(np.sin, make(w))``)."""
    if not isinstance(a, gast.Call) or not isinstance(a.func, gast.Name):
        return False
    v = lw.env.get(a.func.id)
    if isinstance(v, NestedFn):
        return _returned_names(v.node)[0]
    if a.func.id in lw.env:
        return False
    kind, obj = lw.ns.lookup(a.func.id)
    return kind in ("global", "free") and returns_function(obj)


def made_over_display(lw: Any, node: gast.ListComp) -> bool:
    """`node` iterates a list/tuple display and its element calls a factory or a user class
    (lower/objseq.constructed then takes displays of other values than constants)."""
    it = node.generators[0].iter
    return isinstance(it, (gast.Tuple, gast.List)) and (
        factory_call(lw, node.elt) or objseq.class_call(lw, node.elt)
    )


def late_reads(
    outer_env: dict,
    f: NestedFn,
    returned: NestedFn,
    fixed: Callable[[str], bool] | None = None,
    local: set | frozenset = frozenset(),
) -> list[str]:
    """The variables of the function around a nested factory `f` (bound in `outer_env`, or in
    `local`, its names: one bound later) that `returned`, the function `f` returns, reads when
    it runs, but those `fixed` says nothing rebinds (`bound_once`). Empty: it reads only `f`'s
    own variables and names that are no variables of the function around (globals, builtins)."""
    if hasattr(returned, "lifted"):  # srcad.grad/hessian(inner), a pullback: reads as `inner`
        if returned.lifted is None:  # of a module-level function
            return []
        returned = returned.lifted.nested
    own = closures.own_locals(f.node) | {p.id for p in _params(f.node)}
    inner = closures.own_locals(returned.node) | {p.id for p in _params(returned.node)}
    reads = closures.free_names(returned.node) - inner - own
    return sorted(
        n
        for n in reads
        if (n in outer_env or n in local)
        and not n.startswith("$")
        and not (fixed is not None and fixed(n))
    )


def bound_once(lw: Any, name: str, env: dict) -> bool:
    """`name`, a variable of the function lowered (`lw.root`; `env` its environment, at the
    top: not a helper inlined into it), holds a number or array and is bound once for good: a
    parameter nothing assigns, or the one target of an assignment at the top of the body (not
    in a branch or a loop) that has run. Python's closures read the variable when they run: it then holds the
    value it holds now (an update in place is the mutation check's, as for any alias)."""
    root = getattr(lw, "root", None)
    v = env.get(name)
    if not isinstance(root, gast.FunctionDef) or not isinstance(v, _VALUES):
        return False
    if unbound.maybe(lw, v):
        return False
    memo = getattr(lw, "bound_once_memo", None)
    if memo is None or memo[0] is not root:
        memo = lw.bound_once_memo = (root, _bindings(root))
    stores, top = memo[1]
    if name in param_names(root):
        return name not in stores
    return stores.get(name) == 1 and name in top


def _bindings(root: gast.FunctionDef) -> tuple[dict, set]:
    """(name -> how many times anything in `root` binds it, the names a plain assignment at
    the top of `root`'s body binds)."""
    stores: dict = {}
    for n in gast.walk(root):
        names = []
        if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
            names.append(n.id)
        elif isinstance(n, (gast.FunctionDef, gast.ClassDef)) and n is not root:
            names.append(n.name)
        elif isinstance(n, (gast.Nonlocal, gast.Global)):
            names += [x for x in n.names for _ in (0, 1)]  # (never "once")
        elif isinstance(n, (gast.Import, gast.ImportFrom)):
            names += [(a.asname or a.name).split(".")[0] for a in n.names]
        for x in names:
            stores[x] = stores.get(x, 0) + 1
    top = {
        t.id
        for s in root.body
        if isinstance(s, gast.Assign)
        for t in s.targets
        if isinstance(t, gast.Name)
    }
    return stores, top


def param_names(fnode: Any) -> set[str]:
    """The names of `fnode`'s parameters."""
    return {p.id for p in _params(fnode)}


def _params(fnode: Any) -> list:
    a = fnode.args
    return [*a.posonlyargs, *a.args, *a.kwonlyargs, *(p for p in (a.vararg, a.kwarg) if p)]


def value_error(lw: Any, v: NestedFn, node: Any) -> Exception:
    """The refusal of the nested function `v` used as a value at `node` (a list or object
    holding it, a call's result kept in a run-time list)."""
    frames = getattr(lw, "comp_frames", None)
    if frames and getattr(frames[-1][0], "elt", None) is node:  # `[make(t) for t in xs]`
        return lw.error(
            node,
            f"the function `{v.name}` this call returns is kept as a value (srcad calls a "
            "function a helper returns where a name, or a list or tuple known when lowering, "
            "holds it: a literal, or a comprehension over constants or a literal)",
            "build the list over `range(n)` or a literal (`[make(k) for k in range(3)]`), or "
            "give the function what differs as an argument (`def h(z, k)`) and pass it",
        )
    return lw.error(
        node,
        f"the nested function `{v.name}` is used as a value",
        "srcad inlines nested functions and lambdas where they are called; call it directly "
        "or move it to module level. A function handed to scipy (quad, brentq, fsolve, "
        "solve_ivp, odeint...) must be a module-level one: pass the values it reads through "
        "`args=` (`quad(f, 0.0, 1.0, args=(p,))` with `def f(t, p)`)",
    )
