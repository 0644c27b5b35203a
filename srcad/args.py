"""Argument handling for the public API: binding, `wrt`, float checks, zero tangents.

Input: the user's callable and arguments. Output: the Python function to transform with the
arguments bound in front (`self`), positional argument lists, `wrt` positions, refusals of integer
inputs pointing at the parameter, and derivative values reshaped like the inputs.
"""

from __future__ import annotations

import functools
import inspect
import linecache
import re
import types
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from srcad.arrays import is_duck_array
from srcad.callmsg import bind_message
from srcad.errors import SrcadError
from srcad.frontend.functions import unwrap
from srcad.objtrees import cycle_safe
from srcad.runtime import zeros_like
from srcad.trees import (
    field_dict,
    fields_of,
    is_record,
    leaves,
    make_record,
    record_items,
    record_like,
    values_of,
)

# per function, held weakly: a lambda made per iteration must not stay alive for its signature
_SIGNATURES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def signature_of(pyfunc: Any) -> tuple[inspect.Signature, bool]:
    """(signature, plain) where plain means: positional-or-keyword parameters only."""
    try:
        hit = _SIGNATURES.get(pyfunc)
    except TypeError:  # not weakly referable
        hit = None
    kwd = pyfunc.__kwdefaults__
    if (
        hit is None
        or hit[2] is not pyfunc.__defaults__
        or hit[3] is not kwd
        or (kwd and not same_values(hit[4], kwd))  # (a dict: updated in place)
    ):
        sig = inspect.signature(pyfunc)
        plain = all(p.kind is p.POSITIONAL_OR_KEYWORD for p in sig.parameters.values())
        hit = (sig, plain, pyfunc.__defaults__, kwd, tuple(kwd.items()) if kwd else ())
        try:
            _SIGNATURES[pyfunc] = hit
        except TypeError:
            pass
    return hit[0], hit[1]


def same_values(items: tuple, kwd: dict) -> bool:
    """Does the dict `kwd` still hold the `items` (by identity) it held?"""
    return len(items) == len(kwd) and all(kwd.get(k, items) is v for k, v in items)


def param_names(pyfunc: Any) -> list[str]:
    return list(signature_of(pyfunc)[0].parameters)


def target(f: Any) -> tuple[Any, tuple]:
    """The Python function to transform and the arguments bound in front (`self` of a method)."""
    if getattr(f, "__srcad_derivative__", False):
        raise SrcadError(
            f"`{getattr(f, '__name__', f)}` is a derivative srcad made; this operation takes the "
            "function it was made of",
            hint="jvp, vjp, jacfwd, jacrev, grad, value_and_grad and hessian of srcad's "
            "derivatives are supported; for the rest, pass the original function",
        )

    if isinstance(f, functools.partial):  # its arguments are bound in front, as `self` is
        pyfunc, front = target(f.func)
        return pyfunc, Prefix(front + f.args, {**getattr(front, "keywords", {}), **f.keywords})
    if isinstance(f, types.MethodType) and not hasattr(f, "__srcad_wrapped__"):
        return unwrap(f.__func__), (f.__self__,)
    call = getattr(type(f), "__call__", None)  # noqa: B004 - the class's method, if Python
    if isinstance(call, types.FunctionType) and not hasattr(f, "__wrapped__"):
        return unwrap(call), (f,)  # an object with a Python `__call__`: its bound method
    return unwrap(f), ()


class Prefix(tuple):
    """The arguments bound in front of a call (``self``, a ``functools.partial``'s), with the
    partial's keyword arguments, which `bind` passes unless the call gives them again.
    ``prefix + args`` keeps the keywords; ``len(prefix)`` counts the positional ones only, so
    `wrt` counts the partial's remaining positional parameters, as JAX does."""

    keywords: dict

    def __new__(cls, items: tuple, keywords: dict) -> Prefix:
        out = super().__new__(cls, items)
        out.keywords = keywords
        return out

    def __add__(self, other: Any) -> Prefix:  # type: ignore[override]
        return Prefix(tuple(self) + tuple(other), self.keywords)


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
        elif isinstance(w, (int, np.integer)) and not isinstance(w, (bool, np.bool_)):
            if not -len(names) <= w < len(names):
                raise SrcadError(f"wrt={w} is out of range for `{pyfunc.__name__}`")
            out.append(int(w) % len(names) + skip)
        else:
            raise SrcadError(f"wrt must be a position or a parameter name, not {w!r}")
    return tuple(out), not single


def bind(pyfunc: Any, args: tuple, kwargs: dict) -> list[Any]:
    """Positional list of all parameters (defaults filled in)."""
    sig, plain = signature_of(pyfunc)
    if getattr(args, "keywords", None):  # a functools.partial's (args.target)
        kwargs = {**args.keywords, **kwargs}
    if plain and not kwargs and len(args) == len(sig.parameters):
        return list(args)
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(bind_message(pyfunc, sig, args, kwargs, e)) from None
    bound.apply_defaults()
    return list(bound.arguments.values())


def _def_location(pyfunc: Any, param: str | None = None) -> dict:
    """file/line/col/source line of `pyfunc`'s definition, for errors about its arguments."""
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
    """Refuse integer-valued inputs that are asked to carry a derivative (the error points at
    `pyfunc`'s parameter `index`, found only then)."""
    bad = cycle_safe(_not_float, value, what)
    if bad is not None:
        where = {}
        if pyfunc is not None:
            names = param_names(pyfunc)
            param = names[index] if index is not None and index < len(names) else None
            where = _def_location(pyfunc, param)
        raise SrcadError(bad[0], hint=bad[1], **where)


def _not_float(value: Any, what: str) -> tuple[str, str] | None:
    """(message, hint) when `value` cannot carry a derivative, else None."""
    if value is None or isinstance(value, (str, bytes)):
        return (
            f"{what} is {value!r}; derivatives need floating-point inputs",
            "differentiate with respect to a number or an array (wrt=...)",
        )
    for leaf in leaves(value):
        if isinstance(leaf, np.matrix):  # its * and ** are matrix products, not NumPy's rules
            return (
                f"{what} is an np.matrix; srcad differentiates ndarray semantics (elementwise *)",
                "pass np.asarray(x) and write matrix products with @",
            )
        if is_duck_array(leaf):  # Dask, CuPy: the dtype only, nothing computed
            leaf = np.empty(0, leaf.dtype)
        if isinstance(leaf, (bool, np.bool_)) or (
            isinstance(leaf, (int, np.integer)) and not isinstance(leaf, bool)
        ):
            return (
                f"{what} is an integer ({leaf!r}); derivatives need floating-point inputs",
                "pass 2.0, not 2 (or np.asarray(x, dtype=float))",
            )
        if isinstance(leaf, (complex, np.complexfloating)) or (
            isinstance(leaf, np.ndarray) and np.issubdtype(leaf.dtype, np.complexfloating)
        ):
            return (
                f"{what} is complex; srcad differentiates real-valued code",
                "pass real and imaginary parts as separate real arrays",
            )
        if isinstance(leaf, np.ndarray) and not np.issubdtype(leaf.dtype, np.inexact):
            return (
                f"{what} is an array of dtype {leaf.dtype}; derivatives need floating-point inputs",
                "convert it with x.astype(float)",
            )
    return None


def _is_zero(t: Any) -> bool:
    """A scalar zero: how generated code writes the derivative of a value that got none."""
    return type(t) in (float, int) and t == 0 or isinstance(t, np.generic) and not t


def _float_dtype(like: np.ndarray) -> Any:
    return like.dtype if np.issubdtype(like.dtype, np.inexact) else np.dtype(float)


def _internal(t: Any, like: Any) -> SrcadError:
    # (a list or dict argument the function resizes in place is laid out as it was at entry:
    # srcad/entries.py)
    return SrcadError(
        f"internal error: a derivative of shape {_describe(t)} was computed for a value of "
        f"shape {_describe(like)}",
        hint="this is a bug in srcad; please report it with the function's source",
    )


def _describe(x: Any) -> str:
    if isinstance(x, dict):
        return f"dict with keys {sorted(map(repr, x))}"
    if isinstance(x, (tuple, list)) and not rectangular(x):
        return f"{type(x).__name__} of length {len(x)}"
    try:
        return f"{type(x).__name__} of shape {np.shape(x)}"
    except ValueError:
        return type(x).__name__


def rectangular(x: Any) -> bool:
    """An array, a number, or a list/tuple of them that NumPy reads as one array (not ragged)."""
    if isinstance(x, (tuple, list)):
        if not all(rectangular(e) for e in x):
            return False
        try:
            np.shape(x)
        except ValueError:
            return False
        return True
    return isinstance(x, (float, int, np.number, np.bool_, np.ndarray))


def fix_zero(t: Any, like: Any) -> Any:
    """A derivative computed by generated code, in the structure, shape and dtype of `like`.

    Zero derivatives (None, a scalar 0.0) are instantiated; an array derivative of a (nested) list or
    tuple of numbers is split into that structure (a list input gets a list of floats); a float32
    input gets a float32 derivative, a Python float a float, a 0-d array a 0-d array. A derivative
    whose shape is not the input's is a bug in srcad: SrcadError, never a reshaped or zeroed value.
    """
    if t is None:
        return zeros(like)
    if is_record(like) and not isinstance(like, tuple):  # a dataclass or a small user object
        if _is_zero(t):
            return zeros(like)
        tf = field_dict(t) if type(t) is type(like) else None
        if tf is None or tuple(tf) != fields_of(like):
            raise _internal(t, like)
        return record_like(like, {n: fix_zero(tf[n], b) for n, b in record_items(like)})
    if isinstance(like, (tuple, list)):
        if isinstance(t, (tuple, list)):
            if len(t) != len(like):
                raise _internal(t, like)
            items = [fix_zero(a, b) for a, b in zip(t, like)]
        elif _is_zero(t):
            items = [zeros(b) for b in like]
        elif isinstance(t, np.ndarray) and t.ndim and len(t) == len(like):
            items = [fix_zero(t[i], b) for i, b in enumerate(like)]
        else:
            raise _internal(t, like)
        if hasattr(like, "_fields"):  # namedtuple (e.g. numpy's SlogdetResult)
            return type(like)(*items)
        return type(like)(items)
    if isinstance(like, dict):
        if _is_zero(t):
            return {k: zeros(like[k]) for k in like}
        # (a key the call added: its slot's zero, None, from the write that added it)
        if not isinstance(t, dict) or any(k not in like and t[k] is not None for k in t):
            raise _internal(t, like)
        return {k: fix_zero(t.get(k), like[k]) for k in like}
    if is_duck_array(like) or is_duck_array(t):
        return _fix_duck(t, like)
    if np.iscomplexobj(t) and not np.iscomplexobj(like):  # complex steps in between: see
        t = np.real(t)  # srcad.rules.numpy_fft (the imaginary part of a real one's cotangent)
    if isinstance(like, np.ndarray):
        shape = np.shape(t)
        if shape != like.shape:
            if shape == () and _is_zero(t):
                return np.zeros(like.shape, dtype=_float_dtype(like))
            raise _internal(t, like)
        dtype = _float_dtype(like)
        if isinstance(t, np.ndarray) and t.dtype == dtype:
            # a read-only view (``np.broadcast_to`` of a sum's cotangent, a zero stand-in):
            # the caller gets an array of its own, as autograd gives (`g[mask] = 0` works)
            return t if t.flags.writeable else t.copy()
        return np.asarray(t, dtype=dtype)
    if isinstance(like, (float, int, complex, np.number, np.bool_)):
        if np.shape(t) != ():
            raise _internal(t, like)
        if isinstance(like, np.inexact):
            return like.dtype.type(t)
        if isinstance(like, (complex, np.complexfloating)) or isinstance(t, complex):
            return complex(t)
        return float(t)
    return t


def _fix_duck(t: Any, like: Any) -> Any:
    """`fix_zero` for a Dask/CuPy input or derivative: shape and dtype checked and fixed
    lazily (``astype``); the derivative of a Python number stays a 0-d array of its library
    (``float()`` would compute it)."""
    shape = np.shape(like)
    if np.shape(t) != shape:
        if np.shape(t) == () and _is_zero(t):
            return zeros(like)
        raise _internal(t, like)
    if not is_duck_array(like):  # a number or a NumPy array whose derivative is lazy
        return t
    dtype = _float_dtype(like)
    return t if t.dtype == dtype else t.astype(dtype)


def zeros(like: Any) -> Any:
    """`runtime.zeros_like`, keeping namedtuples; SrcadError for values with no zero tangent."""
    if is_record(like):
        if isinstance(like, tuple):
            return make_record(type(like), [zeros(e) for e in values_of(like)])
        return record_like(like, {n: zeros(e) for n, e in record_items(like)})
    try:
        return zeros_like(like)
    except TypeError:
        raise SrcadError(
            f"srcad has no zero derivative for a value of type {type(like).__name__}",
            hint="differentiate functions of numbers, arrays and lists, tuples and dicts of them",
        ) from None


def check_tangent(t: Any, like: Any, what: str, of: str) -> Any:
    """A user-supplied tangent (or cotangent) `t` checked against its primal `like` -> `t` normalized.

    The structure must be the primal's (a list or tuple of the same length for a list, tuple or
    namedtuple, converted to the primal's type; a dict with the same keys) and every leaf must
    have its primal leaf's shape: a Python float and a 0-d array both have shape ().
    None inside a structure is a zero. Integer tangents are converted to the primal's float dtype
    (they are exact directions), and so are float16 ones of a value of another dtype (NumPy's
    linalg refuses float16); bool and complex tangents are refused. `what` names the tangent
    in messages ("the tangent of argument 0 (`x`)"), `of` what it must match ("the argument").
    """
    if t is None:
        return zeros(like)
    if is_record(like) and not isinstance(like, tuple):
        if type(t) is not type(like):
            raise SrcadError(
                f"{what} is a {_describe(t)}, {of} a {type(like).__name__}",
                hint="pass a tangent of the same class, with a tangent in each field",
            )
        items = record_items(like)
        return record_like(
            like, {n: check_tangent(getattr(t, n, None), b, f"{what}.{n}", of) for n, b in items}
        )
    if isinstance(like, (tuple, list, dict)) or isinstance(t, (tuple, list, dict)):
        kind = dict if isinstance(like, dict) else (tuple, list)
        if not isinstance(t, kind) or len(t) != len(like) or not isinstance(like, kind):
            raise SrcadError(
                f"{what} is a {_describe(t)}, {of} a {_describe(like)}",
                hint="pass a tangent with the same structure (containers and shapes) as the value",
            )
        if kind is dict:
            if set(t) != set(like):
                raise SrcadError(
                    f"{what} has keys {sorted(map(repr, t))}, {of} {sorted(map(repr, like))}",
                    hint="pass a dict with the same keys",
                )
            return {k: check_tangent(t[k], like[k], f"{what}[{k!r}]", of) for k in like}
        items = [check_tangent(a, b, f"{what}[{i}]", of) for i, (a, b) in enumerate(zip(t, like))]
        if hasattr(like, "_fields"):
            return type(like)(*items)
        return type(like)(items)
    if is_duck_array(like) or is_duck_array(t):
        return _check_duck_tangent(t, like, what, of)
    if not isinstance(like, (float, int, complex, np.number, np.bool_, np.ndarray)):
        return t  # no derivative flows through strings, None, ...: the tangent is not read
    if not isinstance(t, (float, int, complex, np.number, np.bool_, np.ndarray)):
        raise SrcadError(
            f"{what} is a {type(t).__name__}, {of} a {_describe(like)}",
            hint="pass a float or a NumPy array shaped like the value",
        )
    if np.shape(t) != np.shape(like):
        raise SrcadError(
            f"{what} has shape {np.shape(t)}, {of} has shape {np.shape(like)}",
            hint="tangents and cotangents must have exactly the shape of their value "
            "(srcad does not broadcast them)",
        )
    dt = np.asarray(t).dtype
    if dt.kind == "b" or (dt.kind == "c" and np.asarray(like).dtype.kind != "c"):
        raise SrcadError(
            f"{what} has dtype {dt}; tangents must be real floating-point numbers",
            hint="pass t.astype(float)",
        )
    if dt.kind in "iu" or dt == np.float16 != np.asarray(like).dtype:
        if isinstance(like, np.ndarray):
            return np.asarray(t, dtype=_float_dtype(like))
        if isinstance(like, np.inexact):
            return like.dtype.type(t)
        return float(t)
    return t


def _check_duck_tangent(t: Any, like: Any, what: str, of: str) -> Any:
    """`check_tangent`'s leaf case when the value or the tangent is a Dask/CuPy array: shape
    and dtype, read without computing anything."""
    if not isinstance(t, (float, int, np.number, np.ndarray)) and not is_duck_array(t):
        raise SrcadError(
            f"{what} is a {type(t).__name__}, {of} a {_describe(like)}",
            hint="pass a float or an array shaped like the value",
        )
    if np.shape(t) != np.shape(like):
        raise SrcadError(
            f"{what} has shape {np.shape(t)}, {of} has shape {np.shape(like)}",
            hint="tangents and cotangents must have exactly the shape of their value "
            "(srcad does not broadcast them)",
        )
    dt = np.result_type(t) if not is_duck_array(t) else t.dtype
    if dt.kind in "bc":
        raise SrcadError(
            f"{what} has dtype {dt}; tangents must be real floating-point numbers",
            hint="pass t.astype(float)",
        )
    if dt.kind in "iu":
        dtype = _float_dtype(like) if hasattr(like, "dtype") else np.dtype(float)
        return t.astype(dtype) if hasattr(t, "astype") else float(t)
    return t


def call(pyfunc: Any, full: list[Any]) -> Any:
    """`pyfunc` called with the positional list from `bind` (keyword-only parameters by name)."""
    sig = signature_of(pyfunc)[0]
    args, kwargs = [], {}
    for p, v in zip(sig.parameters.values(), full):
        if p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = v
        elif p.kind is p.VAR_POSITIONAL:
            args.extend(v)
        elif p.kind is p.VAR_KEYWORD:
            kwargs.update(v)
        else:
            args.append(v)
    return pyfunc(*args, **kwargs)


def jvp_inputs(
    pyfunc: Any, prefix: tuple, primals: Any, tangents: Any
) -> tuple[list, tuple[int, ...], list]:
    """``jvp``'s inputs checked: -> (all arguments bound, positions with a tangent among them,
    the tangents in their primals' structure). A tangent of None holds that argument fixed."""
    for what, seq in (("primals", primals), ("tangents", tangents)):
        if not isinstance(seq, (tuple, list)):
            raise SrcadError(
                f"jvp takes its {what} as a tuple or list (one entry per argument), "
                f"not a {type(seq).__name__}",
                hint="write srcad.jvp(f, (x,), (dx,))",
            )
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise SrcadError(
            f"jvp got {len(primals)} primals and {len(tangents)} tangents",
            hint="pass one tangent per primal (None for a constant argument)",
        )
    full = bind(pyfunc, prefix + primals, {})
    wrt = tuple(k for k, t in enumerate(tangents) if t is not None)
    names = param_names(pyfunc)[len(prefix) :]
    tans = []
    for k in wrt:
        what = f"argument {k}" + (f" (`{names[k]}`)" if k < len(names) else "")
        check_float(primals[k], f"{what} of `{pyfunc.__name__}`", pyfunc, k + len(prefix))
        tans.append(
            check_tangent(tangents[k], primals[k], f"the tangent of {what}", "the argument")
        )
    return list(full), tuple(k + len(prefix) for k in wrt), tans
