"""The fixed-arity form of a function taking ``*args``/``**kwargs`` for one call's arity and
keywords: ``def loss(params_0, params_1): return __srcad_star__(params_0, params_1)``.

Input: the Python function, the number of positional arguments and the keyword names of a call
(those ``**kwargs`` takes become keyword-only parameters). Output: a generated function (cached
per function, arity, keywords, code and defaults) that calls the original; its lowering inlines
that call as any call of a ``*args`` function (lower/varargs.py). Used by srcad.starargs (the
function the user differentiates) and ad/boundcalls.py (a method the transforms resolve, such
as ``__call__(self, *args, **kwargs)``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from srcad.backend.textfn import define

_SHIMS: dict[tuple, tuple] = {}  # (function, arity, code) -> (shim, defaults, kwdefaults)


def shim(pyfunc: Any, n: int, kwnames: tuple = ()) -> Callable:
    """`pyfunc` for a call with `n` positional arguments and the keywords `kwnames`."""
    key = (pyfunc, n, pyfunc.__code__, kwnames)
    hit = _SHIMS.get(key)
    if hit is not None and hit[1] is pyfunc.__defaults__ and hit[2] is pyfunc.__kwdefaults__:
        return hit[0]
    sig = inspect.signature(pyfunc, follow_wrapped=False)
    taken = set(sig.parameters)
    params: list[str] = []
    call: list[str] = []
    named = [
        p for p in sig.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    extra = max(0, n - len(named))
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            for i in range(extra):
                name = f"{p.name}_{i}"
                while name in taken:
                    name += "_"
                taken.add(name)
                params.append(name)
                call.append(name)
            params.append("*")
        elif p.kind is p.KEYWORD_ONLY:
            params.append(p.name)
            call.append(f"{p.name}={p.name}")
        elif p.kind is p.VAR_KEYWORD:  # the call's other keywords: keyword-only parameters
            rest = [k for k in kwnames if k not in taken and k.isidentifier()]
            if rest and "*" not in params:
                params.append("*")
            params += rest
            call += [f"{k}={k}" for k in rest]
        else:
            params.append(p.name)
            call.append(p.name)
    if params and params[-1] == "*":
        params.pop()
    name = pyfunc.__name__ if pyfunc.__name__.isidentifier() else "f"
    text = f"def {name}({', '.join(params)}):\n    return __srcad_star__({', '.join(call)})\n"
    filename = f"<srcad *args {name}/{n} #{len(_FILES)}>"
    _FILES.append(filename)
    scope: dict[str, Any] = {"__srcad_star__": pyfunc, "__name__": pyfunc.__module__}
    fn = define(text, filename, scope, name)[0]
    fn.__defaults__ = None if extra else pyfunc.__defaults__
    fn.__kwdefaults__ = pyfunc.__kwdefaults__
    fn.__qualname__ = pyfunc.__qualname__
    fn.__doc__ = pyfunc.__doc__
    if len(_SHIMS) >= 64:
        _SHIMS.clear()
    _SHIMS[key] = (fn, pyfunc.__defaults__, pyfunc.__kwdefaults__)
    return fn


_FILES: list[str] = []
