"""Fast paths of `srcad.jvp`, `srcad.vjp` (and its pullback) and `srcad.hvp` (issue 11).

Input: a plain Python function and a call's primals (tangents, `wrt`). Output: the call's result
from the generated code an earlier call with arguments of the same kinds ran, or None: the
caller (`srcad.api`) then takes the full path, whose `remember_*` stores the entry.

These functions have no wrapper to keep state in: entries are kept per function in tables that
hold it weakly (its entries go when it goes; at most `_PER_FN_MAX` functions), keyed by the
primals' and tangents' types (None: no tangent) and `wrt`, and, when arrays are among the
primals, by their ranks and dtypes (`srcad.gradcall.kinds_key`). An entry exists only for
calls where each tangent is None or of its primal's type, a float or a NumPy array; a call is
fast when, further, each array tangent has its primal's dtype object and shape: what
`check_tangent` would return unchanged. Behind each entry is a weak `Guard` (the cache key).

An error raised by the generated code is raised once, at the user's line (`locate`), as the full
path would raise it: the same arguments' kinds passed the full path's checks before.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

from srcad.args import check_tangent, param_names, signature_of
from srcad.backend.cache import _CACHE, compile_transform
from srcad.backend.guard import Guard
from srcad.backend.locations import locate
from srcad.backend.request import Compiled, Mode, Request, spec_of
from srcad.entries import likes
from srcad.errors import SrcadError
from srcad.gradcall import _FAST_MAX, _NDARRAY, _kinds, _layout, check_loss, kinds_key, put_fast

_PER_FN_MAX = 256  # functions with fast entries, per table
_FUNCTION = type(locate)

# id(function) -> (weak reference to it, its entries)
_JVP: dict[int, tuple[weakref.ref, dict]] = {}
_VJP: dict[int, tuple[weakref.ref, dict]] = {}
_HVP: dict[int, tuple[weakref.ref, dict]] = {}


def _entries(table: dict, f: Any) -> dict:
    """`f`'s entries in `table`, made on first use (a full table is emptied first)."""
    k = id(f)
    e = table.get(k)
    if e is None or e[0]() is not f:
        if len(table) >= _PER_FN_MAX:
            table.clear()
        e = table[k] = (weakref.ref(f, functools.partial(_forget, table, k)), {})
    elif len(e[1]) >= _FAST_MAX:
        e[1].clear()
    return e[1]


def _forget(table: dict, k: int, r: weakref.ref) -> None:
    e = table.get(k)
    if e is not None and e[0] is r:
        del table[k]


def _tangent_layout(primals: tuple, tangents: tuple) -> tuple[tuple | None, tuple] | None:
    """(positions of the tangents given, or None when all are; positions of array tangents)
    when each tangent is None or of its primal's kind (`_same_kind`), else None."""
    given, arrays = [], []
    for k, (t, p) in enumerate(zip(tangents, primals)):
        if t is None:
            continue
        if not _same_kind(t, p):
            return None
        given.append(k)
        if type(t) is _NDARRAY:
            arrays.append(k)
    return (None if len(given) == len(tangents) else tuple(given)), tuple(arrays)


def _same_kind(t: Any, p: Any) -> bool:
    """Is the tangent `t` of the primal `p`'s kind (a float of a float; an array of the same
    dtype object and shape)?"""
    tp = type(t)
    if tp is not type(p):
        return False
    return tp is float or (tp is _NDARRAY and t.dtype is p.dtype and t.shape == p.shape)


def _plain_call(f: Any, pyfunc: Any, primals: Any) -> bool:
    """Can a fast entry serve calls of `f` like this one: a plain function (`pyfunc` is `f`: no
    rules of its own, no bound `self`), every positional parameter given, primals of fast kinds?"""
    return (
        type(f) is _FUNCTION
        and pyfunc is f
        and type(primals) is tuple
        and signature_of(f)[1]
        and len(primals) == len(param_names(f))
        and _kinds(primals) is not None
    )


def _guard(f: Any, c: Compiled) -> Callable[[], bool]:
    return Guard(f, getattr(c, "attr_reads", ()), weak=True).check


# -- jvp ------------------------------------------------------------------------------------------


def jvp_fast(f: Any, primals: Any, tangents: Any) -> tuple[Any, Any] | None:
    """``srcad.jvp(f, primals, tangents)`` on the fast path, or None (take the full path)."""
    e = _JVP.get(id(f))
    if e is None or e[0]() is not f or type(primals) is not tuple or type(tangents) is not tuple:
        return None
    n = len(primals)
    if n != len(tangents):
        return None
    if n == 1:  # `tuple(map(type, primals + tangents))`, in a quarter of the time
        hit = e[1].get((type(primals[0]), type(tangents[0])))
    else:
        hit = e[1].get(tuple(map(type, primals + tangents)))
    if type(hit) is dict:  # arrays among the primals: their ranks and dtypes too
        hit = hit.get(kinds_key(primals))
    if hit is None or not hit[1]():
        return None
    fn, _, given, arrays = hit
    if arrays and not _tangents_fit(arrays, primals, tangents):
        return None
    _CACHE.hits += 1
    try:
        if given is None:
            out, dout = fn(*primals, *tangents)
        else:
            out, dout = fn(*primals, *[tangents[k] for k in given])
    except Exception as e:
        locate(e)  # the user's lines of the generated frames (backend/locations.py)
        raise
    if type(dout) is float and type(out) is float:
        return out, dout
    return out, _layout(dout, out)


def _tangents_fit(arrays: tuple, primals: tuple, tangents: tuple) -> bool:
    """Has each array tangent at `arrays` its primal's dtype object and shape?"""
    for k in arrays:
        t, p = tangents[k], primals[k]
        if t.dtype is not p.dtype or t.shape != p.shape:
            return False
    return True


def remember_jvp(f: Any, pyfunc: Any, primals: Any, tangents: Any, c: Compiled) -> None:
    """After a full-path ``srcad.jvp`` of `f` (`pyfunc`: what was transformed), which ran `c`:
    its fast entry for calls of these kinds."""
    if not _plain_call(f, pyfunc, primals) or type(tangents) is not tuple:
        return
    layout = _tangent_layout(primals, tangents)
    if layout is None:
        return
    entry = (c.fn, _guard(f, c), *layout)
    put_fast(_entries(_JVP, f), tuple(map(type, primals + tangents)), primals, entry)


# -- vjp ------------------------------------------------------------------------------------------


def vjp_fast(f: Any, primals: tuple, wrt: Any) -> tuple[Any, Callable] | None:
    """``srcad.vjp(f, *primals, wrt=wrt)`` on the fast path, or None."""
    e = _VJP.get(id(f))
    if e is None or e[0]() is not f:
        return None
    try:
        if len(primals) == 1:
            hit = e[1].get((wrt, type(primals[0])))
        else:
            hit = e[1].get((wrt, *map(type, primals)))
    except TypeError:  # an unhashable `wrt`
        return None
    if type(hit) is dict:
        hit = hit.get(kinds_key(primals))
    if hit is None or not hit[2]():
        return None
    fn, bwd, _, positions, multi = hit
    _CACHE.hits += 1
    entry = likes(primals, positions)  # the cotangents' layout (srcad.entries)
    try:
        out, residuals = fn(*primals)
    except Exception as e:
        locate(e)
        raise
    return out, _fast_pullback(bwd, out, residuals, entry, multi)


def _fast_pullback(bwd: Callable, out: Any, residuals: Any, entry: list, multi: bool) -> Callable:
    """The pullback of a fast ``srcad.vjp``: the full path's (`srcad.api._vjp_bound`) checks
    only for a cotangent not of the output's kind; always this forward sweep's residuals (never
    a recomputation: a global rebound since must be reported by the reverse sweep); `entry`:
    the differentiated arguments' layout templates (srcad.entries)."""

    def pullback(cotangent: Any) -> Any:
        fast = _same_kind(cotangent, out)
        if not fast:
            if cotangent is None:
                raise SrcadError(
                    "the cotangent is None",
                    hint="pass a cotangent shaped like the function's output",
                )
            cotangent = check_tangent(cotangent, out, "the cotangent", "the output")
        try:
            cts = bwd(residuals, cotangent)
        except Exception as e:
            locate(e)
            raise
        if fast and not multi:
            return _layout(cts[0], entry[0])
        cts = tuple([_layout(g, e) for g, e in zip(cts, entry)])
        return cts if multi else cts[0]

    return pullback


def remember_vjp(
    f: Any, pyfunc: Any, primals: tuple, wrt: Any, positions: tuple, multi: bool
) -> None:
    """After a full-path ``srcad.vjp`` of `f`: its fast entry for these kinds."""
    if not _plain_call(f, pyfunc, primals):
        return
    try:
        ts = (wrt, *map(type, primals))
        hash(ts)
    except TypeError:
        return
    c = compile_transform(Request(f, Mode.VJP, positions, spec_of(list(primals))))
    bwd = c.fns[list(c.fns)[1]]
    put_fast(_entries(_VJP, f), ts, primals, (c.fn, bwd, _guard(f, c), positions, multi))


# -- hvp ------------------------------------------------------------------------------------------


def hvp_fast(f: Any, primals: Any, tangents: Any, wrt: Any) -> tuple[Any, Any] | None:
    """``srcad.hvp(f, primals, tangents, wrt)`` on the fast path, or None: the generated
    forward-over-reverse function run as `srcad.higher.Chain.jvp` runs a gradient's chain (one
    column, no constants), without the key."""
    e = _HVP.get(id(f))
    if e is None or e[0]() is not f or type(primals) is not tuple or type(tangents) is not tuple:
        return None
    n = len(primals)
    if n != len(tangents):
        return None
    try:
        if n == 1:
            hit = e[1].get((wrt, type(primals[0]), type(tangents[0])))
        else:
            hit = e[1].get((wrt, *map(type, primals + tangents)))
    except TypeError:  # an unhashable `wrt`
        return None
    if type(hit) is dict:
        hit = hit.get(kinds_key(primals))
    if hit is None or not hit[1]():
        return None
    fn, _, given, arrays, positions, multi = hit
    if arrays and not _tangents_fit(arrays, primals, tangents):
        return None
    _CACHE.hits += 1
    entry = likes(primals, positions)  # the layout (srcad.entries)
    try:
        if given is None:
            raw = fn(*primals, *tangents)
        else:
            raw = fn(*primals, *[tangents[k] for k in given])
    except Exception as e:
        locate(e)
        raise
    # the gradient chain's combination (`srcad.higher.grad_chain`): the gradients laid out
    if type(raw[0][0]) is not float:  # an output of another shape for these kinds: refused
        check_loss(raw[0][0], False, f)
    if not multi:
        g, h, p = raw[0][1][0], raw[1][1][0], entry[0]
        if type(g) is float and type(h) is float and type(p) is float:
            return g, h
        return _layout(g, p), _layout(h, p)
    g = tuple([_layout(a, e) for a, e in zip(raw[0][1], entry)])
    return g, tuple([_layout(a, e) for a, e in zip(raw[1][1], entry)])


def remember_hvp(f: Any, g: Any, primals: Any, tangents: Any, wrt: Any) -> None:
    """After a full-path ``srcad.hvp`` of `f`, whose gradient wrapper is `g`: its fast entry
    for these kinds."""
    ch = getattr(g, "__srcad_chain__", None)
    if ch is None or ch.prefix or not _plain_call(f, ch.pyfunc, primals):
        return
    if len(ch.levels) != 1 or ch.levels[0][0] is not Mode.GRAD or ch.with_value or ch.has_aux:
        return
    if type(tangents) is not tuple or ch.columns(list(primals)) != [()]:  # one run, no constants
        return
    layout = _tangent_layout(primals, tangents)
    if layout is None:
        return
    try:
        ts = (wrt, *map(type, primals + tangents))
        hash(ts)
    except TypeError:
        return
    shifted = tuple(k for k, t in enumerate(tangents) if t is not None)
    c = compile_transform(ch.request(list(primals), (Mode.JVP, shifted)))
    entry = (c.fn, _guard(f, c), *layout, ch.levels[0][1], ch.multi)
    put_fast(_entries(_HVP, f), ts, primals, entry)
