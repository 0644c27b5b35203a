"""Argument handling for the public API: binding, `wrt`, float checks, zero tangents.

Input: the user's callable and arguments. Output: the Python function to transform with the
arguments bound in front (`self`), positional argument lists, `wrt` positions, refusals of integer
inputs pointing at the parameter, and derivative values reshaped like the inputs.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from srcad.errors import SrcadError
from srcad.frontend.source import unwrap

_SIGNATURES: dict[Any, tuple[inspect.Signature, bool, Any, Any]] = {}


def signature_of(pyfunc: Any) -> tuple[inspect.Signature, bool]:
    """(signature, plain) where plain means: positional-or-keyword parameters only."""
    hit = _SIGNATURES.get(pyfunc)
    if hit is None or hit[2] is not pyfunc.__defaults__ or hit[3] is not pyfunc.__kwdefaults__:
        sig = inspect.signature(pyfunc)
        plain = all(p.kind is p.POSITIONAL_OR_KEYWORD for p in sig.parameters.values())
        hit = _SIGNATURES[pyfunc] = (sig, plain, pyfunc.__defaults__, pyfunc.__kwdefaults__)
    return hit[0], hit[1]


def param_names(pyfunc: Any) -> list[str]:
    return list(signature_of(pyfunc)[0].parameters)


def target(f: Any) -> tuple[Any, tuple]:
    """The Python function to transform and the arguments bound in front (`self` of a method)."""
    import types

    if getattr(f, "__srcad_derivative__", False):
        raise SrcadError(
            f"`{getattr(f, '__name__', f)}` is already a derivative made by srcad; higher-order "
            "derivatives (grad of grad, jacfwd of grad) are not supported yet",
            hint="differentiate the original function, or write the first derivative by hand",
        )

    if isinstance(f, types.MethodType) and not hasattr(f, "__srcad_wrapped__"):
        return unwrap(f.__func__), (f.__self__,)
    return unwrap(f), ()


def normalize_wrt(
    pyfunc: Any, wrt: int | str | Sequence[int | str], skip: int = 0
) -> tuple[tuple[int, ...], bool]:
    """-> (positions among all parameters, was_tuple); positions count from parameter `skip`."""
    names = param_names(pyfunc)[skip:]
    single = not isinstance(wrt, (tuple, list))
    items = [wrt] if single else list(wrt)
    out = []
    for w in items:
        if isinstance(w, str):
            if w not in names:
                raise SrcadError(
                    f"`{pyfunc.__name__}` has no parameter `{w}`",
                    hint=f"its parameters are {', '.join(names)}",
                )
            out.append(names.index(w) + skip)
        elif isinstance(w, (int, np.integer)):
            if not -len(names) <= w < len(names):
                raise SrcadError(f"wrt={w} is out of range for `{pyfunc.__name__}`")
            out.append(int(w) % len(names) + skip)
        else:
            raise SrcadError(f"wrt must be a position or a parameter name, not {w!r}")
    return tuple(out), not single


def bind(pyfunc: Any, args: tuple, kwargs: dict) -> list[Any]:
    """Positional list of all parameters (defaults filled in)."""
    sig, plain = signature_of(pyfunc)
    if plain and not kwargs and len(args) == len(sig.parameters):
        return list(args)
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"{pyfunc.__name__}(): {e}") from None
    bound.apply_defaults()
    return list(bound.arguments.values())


def _def_location(pyfunc: Any, param: str | None = None) -> dict:
    """file/line/col/source line of `pyfunc`'s definition, for errors about its arguments."""
    import linecache

    code = getattr(pyfunc, "__code__", None)
    if code is None:
        return {}
    line = code.co_firstlineno
    lines = linecache.getlines(code.co_filename)
    text = lines[line - 1] if 0 < line <= len(lines) else None
    while text is not None and text.lstrip().startswith("@") and line < len(lines):
        line += 1  # point at the `def`, not at a decorator
        text = lines[line - 1]
    col = len(text) - len(text.lstrip()) if text else 0
    if text and param:  # point at the parameter when it is on the `def` line
        m = re.search(r"[(,]\s*(" + re.escape(param) + r")\b", text)
        if m:
            col = m.start(1)
    return {"filename": code.co_filename, "line": line, "col": col, "source_line": text}


def check_float(value: Any, what: str, pyfunc: Any = None, index: int | None = None) -> None:
    """Refuse integer-valued inputs that are asked to carry a derivative."""
    where = {}
    if pyfunc is not None:
        names = param_names(pyfunc)
        param = names[index] if index is not None and index < len(names) else None
        where = _def_location(pyfunc, param)
    for leaf in leaves(value):
        if isinstance(leaf, (bool, np.bool_)) or (
            isinstance(leaf, (int, np.integer)) and not isinstance(leaf, bool)
        ):
            raise SrcadError(
                f"{what} is an integer ({leaf!r}); derivatives need floating-point inputs",
                hint="pass 2.0, not 2 (or np.asarray(x, dtype=float))",
                **where,
            )
        if isinstance(leaf, (complex, np.complexfloating)) or (
            isinstance(leaf, np.ndarray) and np.issubdtype(leaf.dtype, np.complexfloating)
        ):
            raise SrcadError(
                f"{what} is complex; srcad differentiates real-valued code",
                hint="pass real and imaginary parts as separate real arrays",
                **where,
            )
        if isinstance(leaf, np.ndarray) and not np.issubdtype(leaf.dtype, np.inexact):
            raise SrcadError(
                f"{what} is an array of dtype {leaf.dtype}; derivatives need floating-point inputs",
                hint="convert it with x.astype(float)",
                **where,
            )


def leaves(x: Any) -> list[Any]:
    if isinstance(x, (tuple, list)):
        return [leaf for e in x for leaf in leaves(e)]
    if isinstance(x, dict):
        return [leaf for k in x for leaf in leaves(x[k])]
    return [x]


def fix_zero(t: Any, like: Any) -> Any:
    """Instantiate scalar-zero tangents/cotangents in the structure and shape of `like`."""
    from srcad.runtime import zeros_like

    if t is None:
        return zeros_like(like)
    if isinstance(like, (tuple, list)):
        if not isinstance(t, (tuple, list)):
            return zeros_like(like)
        items = [fix_zero(a, b) for a, b in zip(t, like)]
        if hasattr(like, "_fields"):  # namedtuple (e.g. numpy's SlogdetResult)
            return type(like)(*items)
        return type(like)(items)
    if isinstance(like, dict):
        if not isinstance(t, dict):
            return zeros_like(like)
        return {k: fix_zero(t.get(k, 0.0), like[k]) for k in like}
    if isinstance(like, np.ndarray) and np.shape(t) != like.shape:
        return np.zeros(like.shape, dtype=np.result_type(like.dtype, float)) + t
    if isinstance(like, np.ndarray) and isinstance(t, np.ndarray) and t.dtype != like.dtype:
        if np.issubdtype(like.dtype, np.inexact):
            return t.astype(like.dtype, copy=False)
    if isinstance(like, float) and isinstance(t, np.ndarray) and t.shape == ():
        return float(t)
    return t
