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

from srcad.args import bind, call, check_float, check_tangent, fix_zero, param_names, signature_of
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


def kinds_key(args: tuple) -> tuple:
    """The second-level key of arguments among which are arrays: types, arrays as (dtype,
    rank), as `_kinds`."""
    if len(args) == 1:
        return ((args[0].dtype, args[0].ndim),)
    return tuple([(a.dtype, a.ndim) if type(a) is _NDARRAY else type(a) for a in args])


def remember(fast: dict, args: tuple, hit: tuple) -> None:
    """Store `hit` for calls with arguments of the kinds of `args` (when all are of a fast
    kind): `fast[types]` is the hit, or, when arrays are among them, a dict from `kinds_key` to
    hits. Only such keys are ever stored, so calls with other arguments simply miss."""
    kinds = _kinds(args)
    if kinds is None:
        return
    if len(fast) >= _FAST_MAX:
        fast.clear()
    ts = tuple(map(type, args))
    if _NDARRAY in ts:
        sub = fast.get(ts)
        if type(sub) is not dict or len(sub) >= _FAST_MAX:
            sub = fast[ts] = {}
        sub[kinds] = hit
    else:
        fast[ts] = hit


_NDARRAY = np.ndarray
_F64 = np.float64


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
    single = len(positions) == 1 and not multi
    k0 = positions[0] if positions else 0

    def finish(out: Any, grads: tuple) -> Any:
        g = grads if multi else grads[0]
        if value:
            return out, g
        return (g, out[1]) if has_aux else g

    def run(*args: Any, **kwargs: Any) -> Any:
        if not kwargs:
            hit = fast.get((type(args[0]),) if len(args) == 1 else tuple(map(type, args)))
            if type(hit) is dict:  # arrays among the arguments: their dtypes and ranks too
                hit = hit.get(kinds_key(args))
            if hit is not None and hit[1]():
                _CACHE.hits += 1  # a cached call, as cache_info counts them
                full = front + args if front else args
                try:
                    out, grads = hit[0](*full)
                except Exception:
                    _grad_failed(pyfunc, list(full), has_aux)
                    raise
                t = type(out)
                if has_aux and t is tuple and len(out) == 2:
                    t = type(out[0])
                if (t is not float and t is not _F64) or (has_aux and type(out) is not tuple):
                    err = loss_error(out, has_aux, pyfunc)
                    if err is not None:
                        raise err
                if single:
                    g, like = grads[0], full[k0]
                    if type(g) is not float or type(like) is not float:
                        g = _layout(g, like)
                    if value:
                        return out, g
                    return (g, out[1]) if has_aux else g
                return finish(out, tuple(_layout(g, full[k]) for g, k in zip(grads, positions)))
        out, grads, c = grad_call(pyfunc, prefix, positions, has_aux, args, kwargs)
        if not kwargs and plain and len(front) + len(args) == nparams:
            remember(fast, args, (c.fn, Guard(pyfunc, getattr(c, "attr_reads", ())).check))
        return finish(out, grads)

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


# -- jvp and vjp: the same fast path, per function ------------------------------------------------
# `srcad.jvp(f, ...)` and `srcad.vjp(f, ...)` have no wrapper to keep state in: the fast entries
# are kept per function (at most `_PER_FN_MAX` functions, then forgotten), keyed by the primals'
# kinds, which arguments have a tangent (jvp) or `wrt` (vjp). A call is fast when each tangent is
# of its primal's type (arrays: dtype and shape too), which `check_tangent` returns unchanged.

_JVP: dict[Any, dict] = {}
_VJP: dict[Any, dict] = {}
_PER_FN_MAX = 256
_FUNCTION = type(loss_error)


def _same_kind(t: Any, p: Any) -> bool:
    """Is the tangent `t` of the primal `p`'s kind (a float of a float; an array of the same
    dtype and shape)?"""
    tp = type(t)
    if tp is not type(p):
        return False
    return tp is float or (tp is _NDARRAY and t.shape == p.shape and t.dtype == p.dtype)


def _fast_tangents(tangents: tuple, primals: tuple) -> list | None:
    """The tangents given (None: no tangent), when each has its primal's exact kind."""
    tans = []
    for t, p in zip(tangents, primals):
        if t is not None:
            if not _same_kind(t, p):
                return None
            tans.append(t)
    return tans


def jvp_fast(f: Any, primals: Any, tangents: Any) -> tuple[Any, Any] | None:
    """``srcad.jvp(f, primals, tangents)`` on the fast path, or None (take the full path)."""
    per = _JVP.get(f) if type(f) is _FUNCTION else None
    if per is None or type(primals) is not tuple or type(tangents) is not tuple:
        return None
    if len(primals) != len(tangents):
        return None
    hit = per.get((_kinds(primals), tuple([t is None for t in tangents])))
    if hit is None or not hit[1]():
        return None
    tans = _fast_tangents(tangents, primals)
    if tans is None:
        return None
    try:
        out, dout = hit[0](*primals, *tans)
    except Exception:
        return None  # the full path runs it again and reports the error
    _CACHE.hits += 1
    return out, _layout(dout, out)


def _rememberable(f: Any, primals: Any, tangents: Any) -> tuple | None:
    """The kinds of `primals` when a fast entry can serve this call of `f` again (every positional
    parameter given, each tangent of its primal's exact kind), else None."""
    if type(primals) is not tuple or type(tangents) is not tuple:
        return None
    kinds = _kinds(primals)
    if kinds is None or not signature_of(f)[1] or len(primals) != len(param_names(f)):
        return None
    if not all(t is None or _same_kind(t, p) for t, p in zip(tangents, primals)):
        return None
    return kinds


def remember_jvp(f: Any, pyfunc: Any, primals: Any, tangents: Any, c: Compiled) -> None:
    """After a full-path ``srcad.jvp`` of a plain function (`pyfunc` is `f`: no rules of its
    own, no bound `self`), which ran `c`: its fast entry for these kinds."""
    if type(f) is not _FUNCTION or pyfunc is not f:
        return
    kinds = _rememberable(f, primals, tangents)
    if kinds is None:
        return
    per = _per_function(_JVP, f)
    per[(kinds, tuple([t is None for t in tangents]))] = (c.fn, _guard(f, c))


def vjp_fast(f: Any, primals: tuple, wrt: Any) -> tuple[Any, Callable] | None:
    """``srcad.vjp(f, *primals, wrt=wrt)`` on the fast path, or None."""
    per = _VJP.get(f) if type(f) is _FUNCTION else None
    if per is None:
        return None
    try:
        hit = per.get((_kinds(primals), wrt))
    except TypeError:  # an unhashable `wrt`
        return None
    if hit is None or not hit[2]():
        return None
    fn, bwd, _, positions, multi = hit
    try:
        out, residuals = fn(*primals)
    except Exception:
        return None  # the full path runs it again and reports the error
    _CACHE.hits += 1
    return out, _fast_pullback(f, bwd, out, residuals, primals, positions, multi)


def _fast_pullback(
    f: Any, bwd: Callable, out: Any, residuals: Any, full: tuple, positions: tuple, multi: bool
) -> Callable:
    """The pullback of a fast ``srcad.vjp``: the full path's (`srcad.api._vjp_bound`) checks
    only for a cotangent not of the output's kind; always this forward sweep's residuals (never
    a recomputation: a global rebound since must be reported by the reverse sweep)."""

    def pullback(cotangent: Any) -> Any:
        if _same_kind(cotangent, out):
            cts = bwd(residuals, cotangent)
            if not multi:
                return _layout(cts[0], full[positions[0]])
            return tuple([_layout(g, full[k]) for g, k in zip(cts, positions)])
        if cotangent is None:
            raise SrcadError(
                "the cotangent is None", hint="pass a cotangent shaped like the function's output"
            )
        ct = check_tangent(cotangent, out, "the cotangent", "the output")
        cts = tuple(fix_zero(g, full[k]) for g, k in zip(bwd(residuals, ct), positions))
        return cts if multi else cts[0]

    return pullback


def remember_vjp(
    f: Any, pyfunc: Any, primals: tuple, wrt: Any, positions: tuple, multi: bool
) -> None:
    """After a full-path ``srcad.vjp`` of a plain function (`pyfunc` is `f`): its fast entry
    for these kinds."""
    if type(f) is not _FUNCTION or pyfunc is not f or not signature_of(f)[1]:
        return
    if len(primals) != len(param_names(f)):
        return
    kinds = _kinds(primals)
    try:
        hash(wrt)
    except TypeError:
        return
    if kinds is None:
        return
    c = compile_transform(Request(f, Mode.VJP, positions, spec_of(list(primals))))
    bwd = c.fns[list(c.fns)[1]]
    _per_function(_VJP, f)[(kinds, wrt)] = (c.fn, bwd, _guard(f, c), positions, multi)


def _per_function(table: dict, f: Any) -> dict:
    per = table.get(f)
    if per is None:
        if len(table) >= _PER_FN_MAX:
            table.clear()
        per = table[f] = {}
    elif len(per) >= _FAST_MAX:
        per.clear()
    return per


def _guard(f: Any, c: Compiled) -> Callable[[], bool]:
    return Guard(f, getattr(c, "attr_reads", ())).check


_HVP: dict[Any, dict] = {}


def hvp_fast(f: Any, primals: Any, tangents: Any, wrt: Any) -> tuple[Any, Any] | None:
    """``srcad.hvp(f, primals, tangents, wrt)`` on the fast path, or None: the generated
    forward-over-reverse function run as `srcad.higher.Chain.jvp` runs a gradient's chain (one
    column, no constants), without the key."""
    per = _HVP.get(f) if type(f) is _FUNCTION else None
    if per is None or type(primals) is not tuple or type(tangents) is not tuple:
        return None
    if len(primals) != len(tangents):
        return None
    try:
        hit = per.get((_kinds(primals), tuple([t is None for t in tangents]), wrt))
    except TypeError:  # an unhashable `wrt`
        return None
    if hit is None or not hit[1]():
        return None
    tans = _fast_tangents(tangents, primals)
    if tans is None:
        return None
    fn, _, positions, multi = hit
    try:
        raw = fn(*primals, *tans)
    except Exception:
        return None  # the full path runs it again and reports the error
    _CACHE.hits += 1
    # the gradient chain's combination (`srcad.higher.grad_chain`): the gradients laid out
    g = [_layout(a, primals[k]) for a, k in zip(raw[0][1], positions)]
    h = [_layout(a, primals[k]) for a, k in zip(raw[1][1], positions)]
    return (tuple(g), tuple(h)) if multi else (g[0], h[0])


def remember_hvp(f: Any, g: Any, primals: Any, tangents: Any, wrt: Any) -> None:
    """After a full-path ``srcad.hvp`` of a plain function, whose gradient wrapper is `g`: its
    fast entry for these kinds."""
    ch = getattr(g, "__srcad_chain__", None)
    if type(f) is not _FUNCTION or ch is None or ch.pyfunc is not f or ch.prefix:
        return
    if len(ch.levels) != 1 or ch.levels[0][0] is not Mode.GRAD or ch.with_value or ch.has_aux:
        return
    if ch.columns(list(primals)) != [()]:  # one run, no constants
        return
    kinds = _rememberable(f, primals, tangents)
    if kinds is None:
        return
    try:
        key = (kinds, tuple([t is None for t in tangents]), wrt)
        hash(key)
    except TypeError:
        return
    shifted = tuple(k for k, t in enumerate(tangents) if t is not None)
    c = compile_transform(ch.request(list(primals), (Mode.JVP, shifted)))
    _per_function(_HVP, f)[key] = (c.fn, _guard(f, c), ch.levels[0][1], ch.multi)
