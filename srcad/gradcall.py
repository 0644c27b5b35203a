"""Calling a gradient: the generated code run, its output checked, the gradients laid out.

Input: the Python function `srcad.grad`/`value_and_grad` made a derivative of (with the arguments
bound in front, `wrt` positions, has_aux) and each call's arguments. Output: ``(out, grads)``.
`grad_caller` makes the per-wrapper function with a fast path for calls whose argument kinds were
seen before (issue 11: a cached call costs about a microsecond over the generated code): the
float checks passed for those kinds and the `Spec` is theirs, so only the cache key's identity
checks run (`srcad.backend.guard.Guard`); every other call takes the full path (`grad_call`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.args import bind, check_float, fix_zero, param_names, signature_of
from srcad.backend.cache import _CACHE, compile_transform, global_reads
from srcad.backend.guard import Guard
from srcad.backend.locations import UNKNOWN, locate, reverse_output
from srcad.backend.request import Compiled, Mode, Request, spec_of
from srcad.columns import quietly
from srcad.entries import likes
from srcad.errors import SrcadError
from srcad.fastgrad import MISS, inline_call
from srcad.fastgrad import layout as _layout
from srcad.losses import scalar_error
from srcad.lower.reads import front_reads

# Argument kinds whose `Spec`, float check and derivative layout depend on the type alone (arrays:
# on dtype and rank too). Other arguments (containers, user objects) take the full path.
_FAST_TYPES = frozenset({float, int, bool, type(None), str, np.float64, np.float32})
_FAST_MAX = 8  # kinds remembered per wrapper


def loss_error(out: Any, has_aux: bool, pyfunc: Any) -> SrcadError | None:
    """Why `out` cannot be differentiated by grad (None when it can).

    With has_aux, `out` must be a pair whose first item is checked; what a loss is:
    `srcad.losses.scalar_error`."""
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
    return scalar_error(out, name)


def check_loss(v: Any, has_aux: bool, pyfunc: Any) -> None:
    """Refuse a gradient level of `srcad.higher` (``hessian``, ``hvp``, ``jacfwd(grad(f))``...)
    whose function's output `v` (or its tangent: the same shape, or None) is not a real scalar,
    as a call of ``grad(f)`` does: the generated code seeds every output element with 1, so the
    Hessian of an array-valued `f` was silently the Hessian of ``sum(f)`` (of a complex one,
    the Hessian of its real part)."""
    if has_aux and isinstance(v, (tuple, list)) and len(v) == 2:
        v, has_aux = v[0], False
    if v is None or (
        np.ndim(v) == 0 and not isinstance(v, (tuple, list, dict)) and not np.iscomplexobj(v)
    ):
        return
    err = loss_error(v, has_aux, pyfunc)
    if err is not None:
        raise err


def refuse_nonscalar(pyfunc: Any, full: list, has_aux: bool) -> None:
    """After a derivative of a gradient failed inside its generated code (the scalar seed did
    not fit the output: an IndexError or a reshape error deep in a rule): `pyfunc`'s output,
    from the generated primal writing nothing back, refused as `check_loss` does."""
    try:
        prim = compile_transform(Request(pyfunc, Mode.PRIMAL, (), spec_of(full, matrices=True)))
        out = quietly(lambda: prim.fn(*full))
    except Exception:  # the primal fails too: the original error says more
        return
    err = loss_error(out, has_aux, pyfunc)
    if err is not None:
        raise err from None


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


def put_fast(per: dict, ts: Any, primals: tuple, entry: Any) -> None:
    """Store `entry` under the types `ts` (and, with arrays among `primals`, their kinds)."""
    if _NDARRAY in map(type, primals):
        sub = per.get(ts)
        if type(sub) is not dict or len(sub) >= _FAST_MAX:
            sub = per[ts] = {}
        sub[kinds_key(primals)] = entry
    else:
        per[ts] = entry


def kinds_key(args: tuple) -> tuple | int:
    """The second-level key of arguments among which are arrays (the first level: their types):
    per argument its type, or for an array its rank, with its dtype unless it is the float64
    dtype object itself (an equal dtype object that is not it gets its own entry, correctly)."""
    if len(args) == 1:
        a = args[0]
        return a.ndim if a.dtype is _F64DT else (a.dtype, a.ndim)
    return tuple(
        [
            type(a)
            if type(a) is not _NDARRAY
            else a.ndim
            if a.dtype is _F64DT
            else (a.dtype, a.ndim)
            for a in args
        ]
    )


def lookup(fast: dict, args: tuple) -> Any:
    """The hit `remember` stored for arguments of the kinds of `args`, or None."""
    hit = fast.get(type(args[0]) if len(args) == 1 else tuple(map(type, args)))
    if type(hit) is dict:
        hit = hit.get(kinds_key(args))
    return hit


def remember(fast: dict, args: tuple, hit: tuple) -> None:
    """Store `hit` for calls with arguments of the kinds of `args` (when all are of a fast
    kind): `fast[types]` (one argument: `fast[type]`) is the hit, or, when arrays are among
    them, a dict from `kinds_key` to hits. Only such keys are ever stored, so calls with other
    arguments simply miss."""
    kinds = _kinds(args)
    if kinds is None:
        return
    if len(fast) >= _FAST_MAX:
        fast.clear()
    put_fast(fast, type(args[0]) if len(args) == 1 else tuple(map(type, args)), args, hit)


_NDARRAY = np.ndarray
_F64 = np.float64
_F64DT = np.dtype(np.float64)


def grad_caller(
    pyfunc: Any,
    prefix: tuple,
    positions: tuple,
    has_aux: bool,
    multi: bool = False,
    value: bool = False,
) -> Callable[..., Any]:
    """The body of a grad (`value`: value_and_grad) wrapper: ``(*args, **kwargs)`` -> what the
    wrapper returns. Calls with arguments of kinds seen before (`_kinds`), positional and
    complete, run the generated code after the cache key's identity checks (`Guard.valid`);
    the first call of each kind and every other call take the full path (`grad_call`)."""
    fast: dict[tuple, tuple[Callable, Callable[[], bool]]] = {}
    nparams = len(param_names(pyfunc))
    plain = signature_of(pyfunc)[1] and not getattr(prefix, "keywords", None)
    front = tuple(prefix)

    inline: list = [_no_call]
    conf = (front, positions, has_aux, value, multi)
    failed = functools.partial(_grad_failed, pyfunc, has_aux)

    def loss(out: Any) -> SrcadError | None:
        return loss_error(out, has_aux, pyfunc)

    def finish(out: Any, grads: tuple) -> Any:
        g = grads if multi else grads[0]
        if value:
            return out, g
        return (g, out[1]) if has_aux else g

    def run(*args: Any, **kwargs: Any) -> Any:
        if not kwargs:
            r = inline[0](args)  # the last kind the table path served (`srcad.fastgrad`)
            if r is not MISS:
                return r
            hit = lookup(fast, args)
            if hit is not None and hit[1]():  # the exact rule: a snapshot refreshed
                slot = hit[2]
                if len(slot) == 1:
                    slot.append(inline_call(conf, args, hit[0], slot[0], failed, loss))
                call = inline[0] = slot[1]
                r = call(args)
                if r is not MISS:
                    return r
                _CACHE.hits += 1  # a guard whose tests differ from its exact rule: run here
                full = front + args if front else args
                entry = likes(full, positions)  # (the call may resize a list: srcad.entries)
                try:
                    out, grads = hit[0](*full)
                except Exception:
                    failed()
                    raise
                err = loss_error(out, has_aux, pyfunc)
                if err is not None:
                    raise err
                return finish(out, tuple(_layout(g, e) for g, e in zip(grads, entry)))
        out, grads, c, reads = grad_call(pyfunc, prefix, positions, has_aux, args, kwargs)
        if not kwargs and plain and len(front) + len(args) == nparams:
            attrs = getattr(c, "attr_reads", ()) + front_reads(front)
            guard = Guard(pyfunc, attrs, reads=reads)
            remember(fast, args, (c.fn, guard.check, [guard]))
        return finish(out, grads)

    return run


def _no_call(args: tuple) -> Any:
    return MISS


def _grad_failed(pyfunc: Any, has_aux: bool) -> None:
    """The generated reverse sweep seeds a scalar cotangent: on a non-scalar output it fails
    somewhere inside. The output, read from the failed frame when the error came from the
    reverse sweep (`f` does not run again: its side effects would run twice), tells that apart
    from an error of `f`'s own or of the derivative code (the caller re-raises those)."""
    exc = sys.exc_info()[1]
    if exc is None:
        return
    out = reverse_output(exc)
    err = None if out is UNKNOWN else loss_error(out, has_aux, pyfunc)
    if err is not None:
        raise err from None
    locate(exc)  # the user's lines of the generated frames (backend/locations.py)


def grad_call(
    pyfunc: Any, prefix: tuple, positions: tuple, has_aux: bool, args: tuple, kwargs: dict
) -> tuple[Any, tuple, Compiled, list]:
    """The full path: bind, check the inputs, compile (cached), run -> (out, grads, compiled,
    the globals the function read when it was compiled: what a `Guard` of it compares)."""
    full = bind(pyfunc, prefix + args, kwargs)
    names = param_names(pyfunc)
    for k in positions:
        check_float(full[k], f"argument `{names[k]}` of `{pyfunc.__name__}`", pyfunc, k)
    reads = global_reads(pyfunc)
    c = compile_transform(
        Request(pyfunc, Mode.GRAD, tuple(positions), spec_of(full, has_aux)), reads
    )
    entry = likes(full, positions)  # laid out as at entry (srcad.entries)
    try:
        out, grads = c.fn(*full)
    except Exception:
        _grad_failed(pyfunc, has_aux)
        raise
    err = loss_error(out, has_aux, pyfunc)
    if err is not None:
        raise err
    return out, tuple(fix_zero(g, e) for g, e in zip(grads, entry)), c, reads
