"""Callee resolution for `call` ops: which Python function does a call site invoke?

Input: a `Function` and one of its `call` ops. Output: the lowered callee `Function` and the Python
function object. Follows the op defining the callee operand (``global``/``free`` reads and attribute
chains) and looks the name up in the caller's namespace, as the generated code will at run time.
"""

from __future__ import annotations

import threading
import types
from typing import Any

from srcad.errors import DiffError
from srcad.ir.core import Function, Op, Var, walk_ops

_lock = threading.Lock()
_lowered: dict[Any, tuple[tuple, Function]] = {}


def lowered(pyfunc: types.FunctionType) -> Function:
    """Lower `pyfunc` once (re-lowered when its closure cells point at other objects)."""
    from srcad.lower.lower import lower_function
    from srcad.passes.pipeline import optimize

    cells = tuple(id(_cell(c)) for c in (pyfunc.__closure__ or ()))
    key = pyfunc.__code__
    with _lock:
        hit = _lowered.get(key)
        if hit is not None and hit[0] == (id(pyfunc.__globals__), cells):
            return hit[1]
    fn = lower_function(pyfunc)
    optimize(fn)
    with _lock:
        _lowered[key] = ((id(pyfunc.__globals__), cells), fn)
    return fn


def _cell(c: Any) -> Any:
    try:
        return c.cell_contents
    except ValueError:
        return None


def static_value(fn: Function, v: Any) -> tuple[bool, Any]:
    """The transform-time value of a Var defined by global/free/attr ops: (found, value)."""
    if not isinstance(v, Var):
        return True, v.value
    for op in walk_ops(fn.body):
        if v in op.results:
            if op.prim in ("global", "free"):
                if op.params.get("generated"):
                    return False, None
                kind, obj = fn.namespace.lookup(op.params["name"])
                return kind != "missing", obj
            if op.prim.startswith("attr."):
                ok, base = static_value(fn, op.args[0])
                if ok and hasattr(base, op.prim[5:]):
                    return True, getattr(base, op.prim[5:])
            return False, None
    return False, None


def resolve_callee(fn: Function, op: Op) -> tuple[Function, types.FunctionType]:
    from srcad.ad.jvp import diff_error
    from srcad.frontend.source import unwrap

    ok, obj = static_value(fn, op.args[0])
    if not ok:
        raise diff_error(
            fn,
            op,
            "cannot tell which function this call invokes",
            "call module-level functions by name, or nested functions defined in this function",
        )
    try:
        pyfunc = unwrap(obj)
    except Exception:
        raise diff_error(
            fn,
            op,
            f"cannot differentiate through `{getattr(obj, '__name__', obj)!s}`: "
            "it is not a Python function and srcad has no derivative rule for it",
            "use NumPy/math functions srcad knows, or a Python function whose source it can read",
        ) from None
    try:
        return lowered(pyfunc), pyfunc
    except DiffError:
        raise
