"""Function-valued arguments of the transformed function: ``grad(loss)(w, np.tanh)``.

Input: a `Request` whose `Spec.fns` names (position, function) pairs: the arguments of the call
that are functions (`srcad.backend.request.spec_of`). Output: the same request on a wrapper of its function
specialised to them, as if the user had written ``lambda w, act: loss(w, relu)``: the wrapper
keeps every parameter (the generated code's signature, so the layout of arguments, gradients and
cotangents, is unchanged; the function parameters are ignored) and calls the function with the
known functions in their places, which the lowering inlines as it inlines a helper's function
argument (`srcad.lower.fnargs`).

One wrapper per (function, functions passed): its globals hold them, so the cache key
(`srcad.backend.cache.cache_key`: the identities of what the code reads, the callees' closure
values and defaults) tells one function argument from another, and a closure's or default's
new value from the old; the disk cache is not used for these (`srcad.backend.disk.lookup`).
"""

from __future__ import annotations

import functools
import inspect
import itertools
import linecache
import threading
import types
from typing import Any

from srcad.backend.request import Request
from srcad.backend.textfn import define
from srcad.errors import SrcadError

_TARGET = "srcad_fnspec_target_"
_COUNT = itertools.count()
_LOCK = threading.Lock()
_WRAPPERS: dict[tuple, Any] = {}  # (function, fns) -> wrapper; the key keeps them alive
_WRAPPERS_MAX = 256


def specialise(request: Request) -> Request:
    """`request` on the wrapper of its function specialised to `request.spec.fns` (a
    `SrcadError` when a function argument is differentiated)."""
    fns = request.spec.fns
    if not positions_ok(request.pyfunc):  # (the call of the function argument is refused)
        return request
    at = {k for k, _ in fns}
    for k in (*request.wrt, *(k for _, wrt in request.inner for k in wrt)):
        if k in at:
            raise SrcadError(
                f"argument {k} of `{request.pyfunc.__qualname__}` is a function "
                f"({_name(dict(fns)[k])}): there is no derivative with respect to a function",
                hint="differentiate with respect to the array arguments (argnums=/wrt=)",
            )
    wrapper = _wrapper(request.pyfunc, fns)
    filename = wrapper.__code__.co_filename  # (again if `linecache.clearcache()` dropped it)
    if filename not in linecache.cache:
        linecache.cache[filename] = wrapper.__srcad_fnspec_lines__
    return Request(wrapper, request.mode, request.wrt, request.spec, request.inner)


def _name(f: Any) -> str:
    return getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or type(f).__name__


def _wrapper(pyfunc: Any, fns: tuple[tuple[int, Any], ...]) -> Any:
    key = (pyfunc, fns)
    with _LOCK:
        w = _WRAPPERS.get(key)
        if w is None:
            if len(_WRAPPERS) >= _WRAPPERS_MAX:
                _WRAPPERS.clear()
            w = _WRAPPERS[key] = _make(pyfunc, dict(fns))
    return w


def _make(pyfunc: Any, fns: dict[int, Any]) -> Any:
    """def <name>(p0, p1, ...): return target(p0, <fn>, ...), with its source in linecache. A
    partial or a bound method (which the lowering does not inline as a value) is passed as a
    nested ``def fk(*a, **kw)`` calling its function (its object's method)."""
    params = list(inspect.signature(pyfunc).parameters.values())
    names, args, body, ns = [], [], [], {_TARGET: pyfunc}
    for k, p in enumerate(params):
        names.append(p.name)
        value = p.name
        if k in fns:
            value = f"srcad_fnspec_arg{k}_"
            body += _nested(value, fns[k], ns)
        args.append(f"{p.name}={value}" if p.kind is p.KEYWORD_ONLY else value)
    name = pyfunc.__name__ if pyfunc.__name__.isidentifier() else "fn"
    body.append(f"return {_TARGET}({', '.join(args)})")
    text = f"def {name}({', '.join(names)}):\n" + "".join(f"    {line}\n" for line in body)
    filename = f"<srcad-fnspec-{next(_COUNT)}>"
    w, entry = define(text, filename, ns, name)
    w.__srcad_fnspec_lines__ = entry
    w.__qualname__ = pyfunc.__qualname__
    return w


def _nested(value: str, f: Any, ns: dict[str, Any]) -> list[str]:
    """The wrapper's lines binding `value` to `f`: none (`value` is a global) unless `f` is a
    partial or a bound method of a Python function."""
    if isinstance(f, functools.partial) and all(k.isidentifier() for k in f.keywords):
        ns[value + "f"] = f.func
        front = []
        for i, a in enumerate(f.args):
            ns[f"{value}a{i}"] = a
            front.append(f"{value}a{i}")
        kws = []
        for i, (key, v) in enumerate(f.keywords.items()):
            ns[f"{value}k{i}"] = v
            kws.append((key, f"{value}k{i}"))
        sig = ", ".join(["*a", *(f"{key}={g}" for key, g in kws), "**kw"])
        call = ", ".join([*front, "*a", *(f"{key}={key}" for key, _ in kws), "**kw"])
        return [f"def {value}({sig}):", f"    return {value}f({call})"]
    func = getattr(f, "__func__", None)
    if isinstance(f, types.MethodType) and isinstance(func, types.FunctionType):
        ns[value + "s"] = f.__self__
        if getattr(type(f.__self__), func.__name__, None) is func:
            call = f"{value}s.{func.__name__}(*a, **kw)"
        else:
            ns[value + "f"] = func
            call = f"{value}f({value}s, *a, **kw)"
        return [f"def {value}(*a, **kw):", f"    return {call}"]
    ns[value] = f
    return []


def positions_ok(pyfunc: Any) -> bool:
    """`pyfunc` has no ``*args``/``**kwargs`` (the bound list is then one value a parameter)."""
    code = getattr(pyfunc, "__code__", None)
    return code is not None and not code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS)
