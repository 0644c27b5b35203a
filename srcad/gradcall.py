"""Calling a gradient: the generated code run, its output checked, the gradients laid out.

Input: the Python function `srcad.grad`/`value_and_grad` made a derivative of (with the arguments
bound in front, `wrt` positions, has_aux) and each call's arguments. Output: ``(out, grads)``.
`grad_caller` makes the per-wrapper function with a fast path for calls whose argument kinds were
seen before (issue 11: a cached call costs about a microsecond over the generated code): the
float checks passed for those kinds and the `Spec` is theirs, so only the cache key's identity
checks run (`srcad.backend.cache.Guard`); every other call takes the full path (`grad_call`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.args import bind, call, check_float, fix_zero, param_names, signature_of
from srcad.arrays import is_duck_array
from srcad.backend.cache import _CACHE, Guard, compile_transform
from srcad.backend.driver import Compiled, Mode, Request, spec_of
from srcad.backend.locations import locate
from srcad.errors import SrcadError

# Argument kinds whose `Spec`, float check and derivative layout depend on the type alone (arrays:
# on dtype and rank too). Other arguments (containers, user objects) take the full path.
_FAST_TYPES = frozenset({float, int, bool, type(None), str, np.float64, np.float32})
_FAST_MAX = 8  # kinds remembered per wrapper


def loss_error(out: Any, has_aux: bool, pyfunc: Any) -> SrcadError | None:
    """Why `out` cannot be differentiated by grad (None when it can).

    grad needs a real scalar: a float, a NumPy floating scalar, a 0-d array, or an int (a function
    that returns an int somewhere, like ``max(0, 1 - y * x)``, is locally constant there). Refused:
    tuples, lists, dicts, arrays of size other than one 0-d value (shape (1,) too, like JAX), bools,
    complex numbers and other objects."""
    name = f"`{pyfunc.__name__}`"
    if has_aux:
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            got = f"a {type(out).__name__}" + (
                f" of length {len(out)}" if isinstance(out, (tuple, list)) else ""
            )
            return SrcadError(
                f"{name} must return a pair (loss, aux) when has_aux=True; it returned {got}",
                hint="return a pair, e.g. `return loss, {'acc': acc}`",
            )
        out = out[0]
    hint = "reduce it (e.g. np.sum) or use srcad.jacrev / srcad.vjp for non-scalar outputs"
    if isinstance(out, (tuple, list, dict)):
        return SrcadError(
            f"grad needs a scalar output, but {name} returned a {type(out).__name__}", hint=hint
        )
    if is_duck_array(out):  # a Dask or CuPy array: its dtype and rank, nothing computed
        if out.ndim == 0 and out.dtype.kind in "fiu":
            return None
        if out.ndim == 0:
            return SrcadError(
                f"grad needs a real scalar output, but {name} returned an array of dtype "
                f"{out.dtype}",
                hint="differentiate a real quantity",
            )
        return SrcadError(
            f"grad needs a scalar output, but {name} returned an array of shape {out.shape}",
            hint=hint,
        )
    if isinstance(out, (bool, np.bool_)) or (isinstance(out, np.ndarray) and out.dtype.kind == "b"):
        return SrcadError(
            f"grad needs a real scalar output, but {name} returned a bool",
            hint="return the quantity to differentiate, not a comparison",
        )
    if isinstance(out, (complex, np.complexfloating)) or (
        isinstance(out, np.ndarray) and out.dtype.kind == "c"
    ):
        return SrcadError(
            f"grad needs a real scalar output, but {name} returned a complex value",
            hint="differentiate a real quantity, e.g. abs(z)**2 or z.real",
        )
    if isinstance(out, np.ndarray):
        if out.ndim == 0 and out.dtype.kind in "fiu":
            return None
        if out.shape == (1,):
            hint = "index it (out[0]) or reduce it (np.sum): grad does not unwrap shape (1,)"
        return SrcadError(
            f"grad needs a scalar output, but {name} returned an array of shape {out.shape}",
            hint=hint,
        )
    if not isinstance(out, (float, int, np.floating, np.integer)):
        return SrcadError(
            f"grad needs a scalar output, but {name} returned a {type(out).__name__}", hint=hint
        )
    return None


def _kinds(args: tuple) -> tuple | None:
    out = []
    for a in args:
        t = type(a)
        if t is np.ndarray:
            out.append((a.dtype, a.ndim))
        elif t in _FAST_TYPES:
            out.append(t)
        else:
            return None
    return tuple(out)


def grad_caller(pyfunc: Any, prefix: tuple, positions: tuple, has_aux: bool) -> Callable:
    """`(args, kwargs) -> (out, grads)` for a grad wrapper. Calls with arguments of kinds seen
    before (`_kinds`), positional and complete, run the generated code after the cache key's
    identity checks (`Guard.valid`); the first call of each kind and every other call take the
    full path (`grad_call`)."""
    fast: dict[tuple, tuple[Compiled, Guard]] = {}
    nparams = len(param_names(pyfunc))
    plain = signature_of(pyfunc)[1] and not getattr(prefix, "keywords", None)
    front = tuple(prefix)

    def run(args: tuple, kwargs: dict) -> tuple[Any, tuple]:
        if not kwargs and plain:
            kinds = _kinds(args)
            hit = fast.get(kinds) if kinds is not None else None
            if hit is not None and hit[1].valid():
                _CACHE.hits += 1  # a cached call, as cache_info counts them
                c = hit[0]
                full = (*front, *args) if front else args
                try:
                    out, grads = c.fn(*full)
                except Exception:
                    _grad_failed(pyfunc, list(full), has_aux)
                    raise
                if has_aux or type(out) is not float and type(out) is not np.float64:
                    err = loss_error(out, has_aux, pyfunc)
                    if err is not None:
                        raise err
                return out, tuple(_layout(g, full[k]) for g, k in zip(grads, positions))
        out, grads, c = grad_call(pyfunc, prefix, positions, has_aux, args, kwargs)
        if not kwargs and plain and len(front) + len(args) == nparams:
            kinds = _kinds(args)
            if kinds is not None:
                if len(fast) >= _FAST_MAX:
                    fast.clear()
                fast[kinds] = (c, Guard(pyfunc, getattr(c, "attr_reads", ())))
        return out, grads

    return run


def _layout(g: Any, like: Any) -> Any:
    """`fix_zero(g, like)`, skipped when `g` already is laid out as `like` (the same type: a
    float, or an array of the same shape and dtype)."""
    t = type(like)
    if type(g) is t and (
        t is float or (t is np.ndarray and g.shape == like.shape and g.dtype == like.dtype)
    ):
        return g
    return fix_zero(g, like)


def _grad_failed(pyfunc: Any, full: list, has_aux: bool) -> None:
    """The generated reverse sweep seeds a scalar cotangent: on a non-scalar output it fails
    somewhere inside. Run `f` itself to tell that apart from an error of `f`'s own (raised
    then; otherwise the caller re-raises the original error)."""
    exc = sys.exc_info()[1]
    try:
        err = loss_error(call(pyfunc, full), has_aux, pyfunc)
    except Exception:
        err = None
    if err is not None:
        raise err from None
    if exc is not None:
        locate(exc)  # the user's lines of the generated frames (backend/locations.py)


def grad_call(
    pyfunc: Any, prefix: tuple, positions: tuple, has_aux: bool, args: tuple, kwargs: dict
) -> tuple[Any, tuple, Compiled]:
    """The full path: bind, check the inputs, compile (cached), run -> (out, grads, compiled)."""
    full = bind(pyfunc, prefix + args, kwargs)
    names = param_names(pyfunc)
    for k in positions:
        check_float(full[k], f"argument `{names[k]}` of `{pyfunc.__name__}`", pyfunc, k)
    c = compile_transform(Request(pyfunc, Mode.GRAD, tuple(positions), spec_of(full, has_aux)))
    try:
        out, grads = c.fn(*full)
    except Exception:
        _grad_failed(pyfunc, full, has_aux)
        raise
    err = loss_error(out, has_aux, pyfunc)
    if err is not None:
        raise err
    return out, tuple(fix_zero(g, full[k]) for g, k in zip(grads, positions)), c
