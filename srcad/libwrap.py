"""A library function passed straight to a transform (``srcad.grad(np.tanh)``,
``srcad.grad(math.sin)``, ``srcad.hessian(np.sum)``, ``srcad.jacfwd(np.exp)``): a Python function
with source that calls it, so that the transforms see the call and apply its rule, as for
``lambda x: np.tanh(x)``.

Input: the callable given to a transform. Output: the callable itself, or for a NumPy/SciPy ufunc,
a NumPy array function (``np.sum``, ``np.linalg.norm``) or a built-in function (``math.sin``,
``abs``), the wrapper ``def tanh(x): return __srcad_library__(x)`` (`library_trampoline`), made
once per callable. Its parameters are the callable's positional parameters without a default
(``x1, x2`` for a binary ufunc); a callable whose signature cannot be read (``max``) is returned
as it is (the front end refuses it as before). Example::

    >>> srcad.grad(np.tanh)(0.3)  # the derivative of the call np.tanh(x)
    0.9151369618266292
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import numpy as np

from srcad.backend.textfn import define

_WRAPPERS: dict[int, tuple[Any, types.FunctionType]] = {}
_DISPATCHER = type(np.sum)  # numpy._ArrayFunctionDispatcher (a plain function in old NumPy)
_PLAIN_KINDS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _library(obj: Any) -> bool:
    if isinstance(obj, np.ufunc) or isinstance(obj, types.BuiltinFunctionType):
        return True
    return _DISPATCHER is not types.FunctionType and isinstance(obj, _DISPATCHER)


def _params(obj: Any) -> list[str] | None:
    """The names of the wrapper's parameters, or None."""
    if isinstance(obj, np.ufunc):
        return ["x"] if obj.nin == 1 else [f"x{i + 1}" for i in range(obj.nin)]
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    names = []
    for p in sig.parameters.values():
        if p.kind not in _PLAIN_KINDS or p.default is not p.empty:
            break
        names.append(p.name)
    if not names or not all(n.isidentifier() and not n.startswith("__") for n in names):
        return None
    return names


def library_trampoline(obj: Any) -> Any:
    """`obj`, or for a library callable a Python function with source calling it (see the module
    docstring)."""
    if not _library(obj):
        return obj
    got = _WRAPPERS.get(id(obj))
    if got is not None and got[0] is obj:
        return got[1]
    params = _params(obj)
    if params is None:
        return obj
    name = getattr(obj, "__name__", "")
    name = name if name.isidentifier() and name not in params else "f"
    args = ", ".join(params)
    where = f"{getattr(obj, '__module__', None)}.{getattr(obj, '__qualname__', name)}"
    # (the comment names the callable: the disk cache digests the text)
    text = f"def {name}({args}):  # {where}\n    return __srcad_library__({args})\n"
    filename = f"<srcad library {where}>"
    scope: dict[str, Any] = {"__srcad_library__": obj, "__name__": "__srcad_library__"}
    fn = define(text, filename, scope, name)[0]
    _WRAPPERS[id(obj)] = (obj, fn)
    return fn
