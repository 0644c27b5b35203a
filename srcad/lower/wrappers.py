"""Decorator wrappers that forward ``*args, **kwargs`` to the function they wrap, lowered with the
wrapped function's parameters.

Input: a Python function whose ``def`` takes only ``*a`` (and ``**k``), made by
``functools.wraps(fn)`` (so ``__wrapped__`` is `fn`), and its namespace. Output: `forwarding`,
the signature its callers bind to (``inspect.signature`` follows ``__wrapped__``: srcad's
argument binding, `wrt` by name and the binding of user-function calls all use it), or None when
the wrapper is not one this module takes; `bind` puts ``a`` (a tuple of the positional
parameters) and ``k`` (a dict of the keyword-only ones) in the lowering's environment::

    def timed(fn):
        @functools.wraps(fn)
        def w(*a, **k):
            t0 = time.perf_counter()
            out = fn(*a, **k)
            ...
            return out
        return w

Python binds a call ``w(x, c=2.0)`` as ``a = (x,)``, ``k = {"c": 2.0}``; srcad passes the same
values as ``a = (x, 2.0)``, ``k = {}`` (the arguments bound to `fn`'s signature, defaults filled
in). The two agree only when ``a`` and ``k`` are read solely as ``fn(*a, **k)`` of that same `fn`
(the function in ``__wrapped__``): then `fn` gets each parameter's value either way. Any other
read of them (``len(a)``, ``a[0]``, ``k.get``, a call of another function) leaves the wrapper
refused, as are wrappers without ``__wrapped__`` called at the top (a wrapper called from
transformed code is inlined at the call instead: lower/varargs.py).
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import Namespace
from srcad.lower import scope
from srcad.ssa.core import Const, Var


def forwarding(pyfunc: Any, node: Any, ns: Namespace) -> inspect.Signature | None:
    """The signature to lower the wrapper `pyfunc` (its ``def`` `node`) with, or None."""
    a = node.args
    if a.vararg is None or a.posonlyargs or a.args or a.kwonlyargs:
        return None
    wrapped = getattr(pyfunc, "__wrapped__", None)
    if not isinstance(wrapped, types.FunctionType) or hasattr(pyfunc, "__signature__"):
        return None
    try:
        sig = inspect.signature(pyfunc)
    except (TypeError, ValueError):
        return None
    kinds = [p.kind for p in sig.parameters.values()]
    if inspect.Parameter.VAR_POSITIONAL in kinds or inspect.Parameter.VAR_KEYWORD in kinds:
        return None
    if a.kwarg is None and inspect.Parameter.KEYWORD_ONLY in kinds:
        return None  # `w(*a)` could not pass them on
    if not _only_forwarded(node, a.vararg.id, a.kwarg.id if a.kwarg else None, wrapped, ns):
        return None
    return sig


def _only_forwarded(node: Any, va: str, kw: str | None, wrapped: Any, ns: Namespace) -> bool:
    """Every read of `va` / `kw` in `node` is in a call ``f(*va, **kw)`` whose `f` is a free
    name holding `wrapped`, and nothing rebinds them or `f`."""
    names = {va} | ({kw} if kw else set())
    assigned = scope.assigned(node.body)
    if names & assigned:
        return False
    allowed: set[int] = set()
    for n in gast.walk(node):
        if not isinstance(n, gast.Call) or not isinstance(n.func, gast.Name):
            continue
        if not _forwards(n, va, kw):
            continue
        f = n.func.id
        if f in assigned or f in names or ns.lookup(f)[1] is not wrapped:
            return False
        allowed |= {id(n.args[0].value)} | {id(k.value) for k in n.keywords}
    for n in gast.walk(node):
        if isinstance(n, gast.FunctionDef) and n is not node or isinstance(n, gast.Lambda):
            if any(isinstance(m, gast.Name) and m.id in names for m in gast.walk(n)):
                return False  # read by a nested function: refused (a later call)
        if isinstance(n, gast.Name) and n.id in names and id(n) not in allowed:
            if isinstance(n.ctx, gast.Param) and n in (node.args.vararg, node.args.kwarg):
                continue
            return False
        if isinstance(n, (gast.Global, gast.Nonlocal)) and names & set(n.names):
            return False
    return bool(allowed)


def _forwards(call: Any, va: str, kw: str | None) -> bool:
    """``call`` is ``f(*va, **kw)`` (``f(*va)`` when the wrapper takes no ``**kw``)."""
    args = call.args
    if len(args) != 1 or not isinstance(args[0], gast.Starred):
        return False
    if not isinstance(args[0].value, gast.Name) or args[0].value.id != va:
        return False
    if kw is None:
        return not call.keywords
    return (
        len(call.keywords) == 1
        and call.keywords[0].arg is None
        and isinstance(call.keywords[0].value, gast.Name)
        and call.keywords[0].value.id == kw
    )


def bind(lw: Any, node: Any, sig: inspect.Signature) -> list[Var]:
    """The wrapper's parameters (`sig`'s) as Vars; ``*a`` / ``**k`` bound in ``lw.env`` to a
    tuple of the positional ones and a dict of the keyword-only ones."""
    params = [Var(n) for n in sig.parameters]
    pos = [v for v, p in zip(params, sig.parameters.values()) if p.kind is not p.KEYWORD_ONLY]
    kwonly = [
        (Const(p.name), v)
        for v, p in zip(params, sig.parameters.values())
        if p.kind is p.KEYWORD_ONLY
    ]
    a = node.args
    lw.at(node)
    lw.env[a.vararg.id] = lw.op("tuple", list(pos), hint=a.vararg.id)
    if a.kwarg is not None:
        lw.env[a.kwarg.id] = lw.op("dict", [x for kv in kwonly for x in kv], hint=a.kwarg.id)
    return params


def defaults(pyfunc: Any) -> dict[str, Any]:
    """The defaults of the parameters the wrapper `pyfunc` was lowered with."""
    params = inspect.signature(pyfunc).parameters.values()
    return {p.name: p.default for p in params if p.default is not p.empty}
