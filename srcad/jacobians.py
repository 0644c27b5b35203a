"""The call paths of `srcad.jacfwd` and `srcad.jacrev` wrappers, and `srcad.vjp`'s bound form.

Input: the Python function to differentiate (arguments bound in front, `wrt` positions) and
each call's arguments. Output: the Jacobian (``out.shape + in.shape`` blocks). As a grad
wrapper does (`srcad.gradcall`), a Jacobian wrapper keeps fast entries per argument kinds
(`gradcall.kinds_key`): a positional call with arguments of kinds seen before runs the generated
code the first such call compiled, behind its `Guard`, skipping binding, argument checks and the
cache key; the columns and their combination are the full path's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from srcad import lazy
from srcad.args import (
    bind,
    check_float,
    check_tangent,
    fix_zero,
    param_names,
    rectangular,
    signature_of,
)
from srcad.arrays import is_duck_array
from srcad.backend.cache import _CACHE, compile_transform
from srcad.backend.guard import Guard
from srcad.backend.locations import locate
from srcad.backend.request import Compiled, Mode, Request, spec_of
from srcad.columns import per_column
from srcad.entries import full_at_entry, likes
from srcad.errors import SrcadError
from srcad.gradcall import lookup, remember
from srcad.higher import Chain, _is_leaf, array_output, block_dtype, tuple_output
from srcad.lower.reads import front_reads
from srcad.trees import is_record

_draws = lazy.module("srcad.passes.draws")  # reads the IR: imported on first use
_updates = lazy.module("srcad.column_updates")  # (parses the generated source)


def vjp_bound(
    pyfunc: Any, full: list, positions: tuple, multi: bool, c: Compiled | None = None
) -> tuple[Any, Callable]:
    """``(out, pullback)`` of `pyfunc` at the bound arguments `full` (`c`: its compiled VJP,
    known good for these arguments' kinds: no checks, no key)."""
    if c is None:
        names = param_names(pyfunc)
        for k in positions:
            check_float(full[k], f"argument `{names[k]}` of `{pyfunc.__name__}`", pyfunc, k)
        c = compile_transform(Request(pyfunc, Mode.VJP, positions, spec_of(full)))
    entry = likes(full, positions)  # the cotangents' layout: the arguments' at entry
    try:
        out, residuals = c.fn(*full)
    except Exception as e:
        locate(e)
        raise
    bwd = c.fns[list(c.fns)[1]]

    def pullback(cotangent: Any) -> Any:
        if cotangent is None:
            raise SrcadError(
                "the cotangent is None", hint="pass a cotangent shaped like the function's output"
            )
        ct = check_tangent(cotangent, out, "the cotangent", "the output")
        try:
            cts = bwd(residuals, ct)
        except Exception as e:
            locate(e)
            raise
        cts = tuple(fix_zero(g, e) for g, e in zip(cts, entry))
        return cts if multi else cts[0]

    return out, pullback


def array_arg(x: Any, what: str, pyfunc: Any, k: int) -> tuple[int, ...] | None:
    """The shape of a Jacobian's input: an array, a number or a rectangular list/tuple of them;
    None for a tree of them (dict, list, tuple, namedtuple, dataclass: the Jacobian has the
    output's structure of the input's structure of blocks, as JAX's)."""
    if rectangular(x) and _is_leaf(x):  # (a list/tuple of arrays or a namedtuple: a tree)
        return np.shape(x)
    if isinstance(x, (dict, list, tuple)) or is_record(x):
        return None
    if is_duck_array(x):  # Dask, CuPy: see docs/arrays.md
        raise SrcadError(
            f"{what} does not take a {type(x).__module__.split('.')[0]} array (argument "
            f"`{param_names(pyfunc)[k]}` of `{pyfunc.__name__}`): it builds the Jacobian "
            "as a NumPy array, one JVP or VJP per basis vector",
            hint="call srcad.jvp / srcad.vjp per basis vector to keep it lazy, or pass a NumPy "
            "array (x.compute())",
        )
    raise SrcadError(
        f"{what} needs an array, a number, or a dict, list, tuple, namedtuple or dataclass of "
        f"them as argument `{param_names(pyfunc)[k]}` of `{pyfunc.__name__}`, not a "
        f"{type(x).__name__}",
        hint="use srcad.jvp / srcad.vjp for other objects",
    )


def _rememberer(pyfunc: Any, prefix: Any) -> Callable[[tuple, dict], bool]:
    """Can a fast entry serve calls like ``(*args, **kwargs)`` again (positional, complete)?"""
    nparams = len(param_names(pyfunc))
    plain = signature_of(pyfunc)[1] and not getattr(prefix, "keywords", None)
    nfront = len(tuple(prefix))
    return lambda args, kwargs: not kwargs and plain and nfront + len(args) == nparams


def _guard(pyfunc: Any, c: Compiled, front: tuple) -> Callable[[], bool]:
    return Guard(pyfunc, getattr(c, "attr_reads", ()) + front_reads(front)).check


def jacfwd_caller(
    pyfunc: Any, prefix: Any, positions: tuple, multi: bool, chain: Chain, aux: bool = False
) -> Callable:
    """The body of a `srcad.jacfwd` wrapper: one JVP per input element (`chain`'s columns; with
    `aux`, ``has_aux=True``: always its combination)."""
    fast: dict = {}
    front = tuple(prefix)
    can_remember = _rememberer(pyfunc, prefix)

    def run(c: Compiled, full: list, draws: bool) -> Any:
        fn = c.fn
        if len(positions) == 1 and _plain(full[positions[0]]):
            x = full[positions[0]]
            units = _units(x)
            if draws:
                _draws.refuse_column_draws(pyfunc, full, len(units), "srcad.jacfwd")
            _updates.refuse_column_updates(c, pyfunc, full, len(units), "srcad.jacfwd")
            raws = _columns(fn, full, units)
            if raws:
                out, douts = raws[0][0], [r[1] for r in raws]
                if not aux and _plain(out) and _stacked(douts, out) is not None:
                    jac = np.stack(douts, axis=-1).reshape(np.shape(out) + np.shape(x))
                    return (jac,) if multi else jac
                return chain.combine(raws, full)
        cols = chain.columns(full)
        if draws:
            _draws.refuse_column_draws(pyfunc, full, len(cols), "srcad.jacfwd")
        _updates.refuse_column_updates(c, pyfunc, full, len(cols), "srcad.jacfwd")
        entry = full_at_entry(full)  # the Jacobian's layout (srcad.entries)
        try:
            outs = per_column(lambda col: fn(*full, *col), cols)  # updates of globals: once
        except Exception as e:
            locate(e)  # the user's lines of the generated frames (backend/locations.py)
            raise
        return chain.combine(outs, entry)

    def jac(*args: Any, **kwargs: Any) -> Any:
        if not kwargs and args:
            hit = lookup(fast, args)
            if hit is not None and hit[1]():
                _CACHE.hits += 1
                return run(hit[0], list(front + args), hit[2])
        full = bind(pyfunc, prefix + args, kwargs)
        for k in positions:
            array_arg(full[k], "jacfwd", pyfunc, k)
            check_float(full[k], f"argument `{param_names(pyfunc)[k]}`", pyfunc, k)
        c = compile_transform(chain.request(list(full)))
        draws = _draws.may_draw(pyfunc, full)  # then checked per call (the number of columns)
        if can_remember(args, kwargs):
            remember(fast, args, (c, _guard(pyfunc, c, front), draws))
        return run(c, list(full), draws)

    return jac


def jacrev_caller(
    pyfunc: Any, prefix: Any, positions: tuple, multi: bool, chain: Chain, aux: bool = False
) -> Callable:
    """The body of a `srcad.jacrev` wrapper: one forward sweep, one reverse sweep per output
    element; a tree input (a dict, a list of arrays, ...) or `aux` (``has_aux=True``) goes
    through `chain` instead."""
    fast: dict = {}
    front = tuple(prefix)
    can_remember = _rememberer(pyfunc, prefix)

    def jac(*args: Any, **kwargs: Any) -> Any:
        if not kwargs and args:
            hit = lookup(fast, args)
            if hit is not None and hit[1]():
                _CACHE.hits += 1
                full = list(front + args)
                return rows(full, [np.shape(full[k]) for k in positions], hit[0])
        full = bind(pyfunc, prefix + args, kwargs)
        shapes = [array_arg(full[k], "jacrev", pyfunc, k) for k in positions]
        if None in shapes or aux:  # a tree input: JAX's layout, one pullback per output element
            for k in positions:
                check_float(full[k], f"argument `{param_names(pyfunc)[k]}`", pyfunc, k)
            return chain.value(list(full))
        names = param_names(pyfunc)
        for k in positions:
            check_float(full[k], f"argument `{names[k]}` of `{pyfunc.__name__}`", pyfunc, k)
        c = compile_transform(Request(pyfunc, Mode.VJP, tuple(positions), spec_of(full)))
        if can_remember(args, kwargs):
            remember(fast, args, (c, _guard(pyfunc, c, front)))
        return rows(full, shapes, c)

    def rows(full: list, shapes: list, c: Compiled) -> Any:
        if len(positions) == 1 and _plain(full[positions[0]]):
            x = full[positions[0]]
            out, residuals = _columns(c.fn, full, [()])[0]
            if _plain(out) and np.size(out):
                bwd = c.fns[list(c.fns)[1]]
                cts = _columns(lambda e: bwd(residuals, e)[0], [], _units(out))
                if _stacked(cts, x) is None:  # not all laid out as `x`: as the pullback does
                    cts = [np.asarray(fix_zero(ct, x), dtype=float) for ct in cts]
                jac = np.stack(cts).reshape(np.shape(out) + np.shape(x))
                return (jac,) if multi else jac
        out, pull = vjp_bound(pyfunc, full, tuple(positions), True, c)
        array_output(out, "jacrev", pyfunc)
        if tuple_output(out):  # a Jacobian per output: the chain's rows
            return chain.value(list(full))
        out_arr = np.asarray(out)
        rows = []
        for j in range(out_arr.size):
            e = np.zeros(out_arr.size)
            e[j] = 1.0
            rows.append(pull(fix_zero(e.reshape(out_arr.shape), out)))
        jacs = []
        for i, xshape in enumerate(shapes):
            if rows:
                dt = block_dtype(full[positions[i]])  # float32 in: float32 out, as grad
                J = np.stack([np.asarray(r[i], dtype=dt) for r in rows])
                J = J.reshape(out_arr.shape + xshape)
            else:
                J = np.zeros(out_arr.shape + xshape, block_dtype(full[positions[i]]))
            jacs.append(J)
        return tuple(jacs) if multi else jacs[0]

    return jac


# -- the common case: one argument differentiated, a float or a float64 array ---------------------

_F64DT = np.dtype(np.float64)


def _plain(x: Any) -> bool:
    """A Python float, a NumPy float64 or a float64 array: a derivative of its kind needs no
    layout (`fix_zero`)."""
    t = type(x)
    return t is float or t is np.float64 or (t is np.ndarray and x.dtype is _F64DT)


def _units(x: Any) -> list:
    """A unit tangent of the plain `x` per element (a new array each: the generated code may
    keep it)."""
    if type(x) is not np.ndarray:
        return [(type(x)(1.0),)]
    units = []
    for j in range(x.size):
        e = np.zeros(x.shape)
        e.flat[j] = 1.0
        units.append((e,))
    return units


def _columns(fn: Callable, full: list, cols: list) -> list:
    try:
        return per_column(lambda col: fn(*full, *col), cols)
    except Exception as e:
        locate(e)  # the user's lines of the generated frames (backend/locations.py)
        raise


def _stacked(cols: list, like: Any) -> bool | None:
    """True when each of `cols` is of the plain `like`'s kind (the same type; arrays: float64,
    the same shape), else None."""
    t = type(like)
    for c in cols:
        if type(c) is not t or (
            t is np.ndarray and (c.dtype is not _F64DT or c.shape != like.shape)
        ):
            return None
    return True
