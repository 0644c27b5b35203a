"""Derivatives of derivatives: `hessian`, `hvp`, and `jvp`/`jacfwd`/`jacrev`/`grad`/`vjp` of
srcad's own derivatives (`grad`, `jacfwd`, `jacrev`, and the ones made here), to any order.

Input: a derivative srcad made and arguments. Output: its derivative, computed by ONE generated
function: the transforms stacked on the IR (`Request.inner`, srcad/ad/compose.py), forward mode
outermost. ``hessian(f)(x)`` runs ``jvp_grad_f(x, e_j)`` once per input element;
``hvp(f, (x,), (v,))`` runs it once.

A derivative that can be differentiated again carries a `Chain`: the function, the transforms,
the columns (constant arguments the generated entry point takes after the user's: unit tangents
of inner forward levels, unit cotangents of a reverse-mode Jacobian's rows) and how the raw
outputs of the columns combine into the derivative's value. The combination is linear in the raw
outputs, so it also turns their tangents into the value's tangent: a forward level on top gives
the derivative of the derivative. The Jacobian of a derivative is computed by forward columns,
whichever of `jacfwd`/`jacrev` is asked (the same matrix).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from srcad import jactrees, lazy
from srcad.args import (
    bind,
    check_float,
    check_tangent,
    fix_zero,
    jvp_inputs,
    normalize_wrt,
    param_names,
)
from srcad.backend.cache import compile_transform
from srcad.backend.locations import locate
from srcad.backend.request import Mode, Request, spec_of
from srcad.columns import per_column, quietly
from srcad.entries import full_at_entry
from srcad.errors import SrcadError
from srcad.losses import nonscalar
from srcad.trees import by_field, is_record, leaves, rebuild, record_items, record_like

_draws = lazy.module("srcad.passes.draws")  # reads the IR: imported on first use
_updates = lazy.module("srcad.column_updates")
_gradcall = lazy.module("srcad.gradcall")

Levels = tuple[tuple[Mode, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Chain:
    """A derivative: run the generated function of `pyfunc` through `levels` (innermost first)
    once per column, on the user's arguments (after `prefix`, a bound ``self``) followed by the
    column's constants (``columns(full)``); ``combine(raws, full)`` (linear) gives the value."""

    pyfunc: Any
    prefix: tuple
    levels: Levels
    columns: Callable[[list], list[tuple]]
    combine: Callable[[list, list], Any]
    multi: bool = False  # `wrt` was a tuple (what a call of the derivative returns)
    with_value: bool = False  # value_and_grad: (value, gradient)
    has_aux: bool = False  # the function returns (loss, aux); the gradient level reads loss

    def request(self, full: list, top: tuple[Mode, tuple[int, ...]] | None = None) -> Request:
        """The build of this derivative (`top`: one more level on it)."""
        levels = self.levels if top is None else (*self.levels, top)
        (mode, wrt), inner = levels[-1], levels[:-1]
        return Request(self.pyfunc, mode, wrt, spec_of(full, self.has_aux), inner)

    def value(self, full: list) -> Any:
        c = compile_transform(self.request(full))
        entry = full_at_entry(full)  # (laid out as at entry: the call may resize a list)
        return self.combine(self.run(c, full, ()), entry)

    def jvp(self, full: list, wrt: tuple[int, ...], tans: list) -> tuple[Any, Any]:
        """(value, its tangent along `tans` for the arguments at `wrt`)."""
        c = compile_transform(self.request(full, (Mode.JVP, wrt)))
        entry = full_at_entry(full)
        pairs = self.run(c, full, tans)
        return self.combine([p[0] for p in pairs], entry), self.combine(
            [p[1] for p in pairs], entry
        )

    def run(self, c: Any, full: list, extra: Sequence) -> list:
        """The raw outputs: `c`'s function once per column (not when they would see other random
        draws, or objects a method it calls updates)."""
        cols = self.columns(full)
        _draws.refuse_column_draws(self.pyfunc, full, len(cols))
        _updates.refuse_column_updates(c, self.pyfunc, full, len(cols), _draws._WHAT)
        fn = c.fn
        try:
            return per_column(lambda col: fn(*full, *col, *extra), cols)  # globals: once
        except Exception as e:
            if self.levels[0][0] is Mode.GRAD:  # a seed that did not fit a non-scalar output
                _gradcall.refuse_nonscalar(self.pyfunc, full, self.has_aux)
            locate(e)  # the user's lines of the generated frames (backend/locations.py)
            raise


def chain_of(f: Any) -> Chain | None:
    return getattr(f, "__srcad_chain__", None)


def _one(full: list) -> list[tuple]:
    return [()]


def grad_chain(
    pyfunc: Any,
    prefix: tuple,
    positions: tuple[int, ...],
    multi: bool,
    with_value: bool = False,
    has_aux: bool = False,
) -> Chain:
    """``grad(f, wrt)``: the GRAD level, its gradients in the inputs' structure (``(value,
    gradients)`` for ``value_and_grad``; ``(gradients, aux)`` for ``grad`` with `has_aux`). The
    combination only selects, so it is linear: applied to tangents it gives theirs."""

    def combine(raws: list, full: list) -> Any:
        _gradcall.check_loss(raws[0][0], has_aux, pyfunc)
        grads = tuple(fix_zero(g, full[k]) for g, k in zip(raws[0][1], positions))
        g = grads if multi else grads[0]
        if with_value:
            return (raws[0][0], g)
        return (g, raws[0][0][1]) if has_aux else g

    levels = ((Mode.GRAD, positions),)
    return Chain(pyfunc, prefix, levels, _one, combine, multi, with_value, has_aux)


def _is_leaf(x: Any) -> bool:
    """An array, a number, or a rectangular list of numbers: one block of a Jacobian."""
    if is_record(x):  # namedtuples, dataclasses: structures (srcad.trees)
        return False
    if isinstance(x, (tuple, list)):
        return all(isinstance(e, (int, float, np.number)) or _is_leaf(e) and isinstance(e, list)
                   for e in x)  # fmt: skip
    return not isinstance(x, dict)


def _leaves(x: Any) -> list[Any]:
    """The blocks of the float input `x` (a leaf, or a dict/tuple/list/record of them), in order."""
    blocks = leaves(x, _is_leaf)
    for leaf in blocks:
        try:
            np.asarray(leaf, dtype=float)
        except (TypeError, ValueError):
            raise _structured(leaf) from None
    return blocks


def _rebuild(x: Any, blocks: Any) -> Any:
    """`x`'s structure with its leaves replaced by the next items of the iterator `blocks`
    (lists stay lists and records keep their class, as in JAX's Jacobians)."""
    return rebuild(x, blocks, _is_leaf)


def _units(x: Any) -> list[Any]:
    """A unit tangent in `x`'s structure for each element of the float input `x` (an array, a
    number, a rectangular list of numbers, or a dict/tuple/list of those)."""
    blocks = _leaves(x)
    units = []
    for i, leaf in enumerate(blocks):
        shape = np.shape(np.asarray(leaf, dtype=float))
        size = int(np.prod(shape))
        for j in range(size):
            e = np.zeros(size)  # not a row of np.eye(size): that made n rows of n each time
            e[j] = 1.0
            e = fix_zero(e.reshape(shape), leaf)
            parts = [e if m == i else fix_zero(None, other) for m, other in enumerate(blocks)]
            units.append(parts[0] if _is_leaf(x) else _rebuild(x, iter(parts)))
    return units


def _size(x: Any) -> int:
    return sum(int(np.prod(np.shape(np.asarray(leaf, float)))) for leaf in _leaves(x))


def _structured(x: Any) -> SrcadError:
    return SrcadError(
        f"a Jacobian or Hessian of a derivative needs float arguments (arrays, numbers, or dicts, "
        f"tuples and lists of them); this one holds a {type(x).__name__}",
        hint="use srcad.hvp(f, primals, tangents), or leave the non-float argument out of `wrt`",
    )


_F64 = np.dtype(np.float64)


def block_dtype(leaf: Any, dt: Any = _F64) -> Any:
    """The dtype of a Jacobian block for the input `leaf`: `dt`, what its columns hold (float64
    at least; complex for a complex output), but a float32/float16 input keeps its precision,
    as its gradient does (`args.fix_zero`; JAX's Jacobians too)."""
    ldt = getattr(leaf, "dtype", None)
    if ldt is None or ldt.kind != "f" or ldt.itemsize >= 8:
        return dt
    return ldt if np.dtype(dt).kind != "c" else np.result_type(ldt, np.complex64)


def _stack(cols: list[Any], oshape: tuple, xshape: tuple, leaf: Any = None) -> np.ndarray:
    """Columns d(out)/dx_j -> the Jacobian, ``out.shape + x.shape`` (`leaf`: the input)."""
    if not cols:
        return np.zeros(oshape + xshape, block_dtype(leaf))
    arrs = [np.asarray(c) for c in cols]
    dt = np.result_type(float, *(a.dtype for a in arrs))  # a complex output's: complex
    dt = block_dtype(leaf, dt)
    return np.stack([a.astype(dt, copy=False) for a in arrs], axis=-1).reshape(oshape + xshape)


def tuple_output(out: Any) -> bool:
    """A dict, list, tuple or record of arrays/numbers, none empty (`srcad.jactrees`):
    Jacobians return one block per leaf (JAX's layout: the output's structure outside, the
    input's inside)."""
    return jactrees.tree_output(out)


def array_output(out: Any, what: str, pyfunc: Any) -> None:
    if what in ("jacfwd", "jacrev") and tuple_output(out):
        for o in jactrees.out_leaves(out):
            array_output(o, what, pyfunc)
        return
    if isinstance(out, (tuple, list, dict)):
        raise SrcadError(
            f"{what} needs a function returning an array or a number; `{pyfunc.__name__}` "
            f"returned a {type(out).__name__}",
            hint="use srcad.jvp / srcad.vjp for structured outputs, or Jacobians per output",
        )
    if what == "jacrev" and np.iscomplexobj(out):  # (jacfwd: complex columns, exact)
        raise SrcadError(
            f"jacrev needs a real output; `{pyfunc.__name__}` returned a complex value (its "
            "rows would be cotangents of the real part only)",
            hint="use srcad.jacfwd, or return the real and imaginary parts stacked",
        )


def jacfwd_chain(pyfunc: Any, prefix: tuple, positions: tuple[int, ...], multi: bool) -> Chain:
    """``jacfwd(f, wrt)``: the JVP level, one column per input element (its unit tangent)."""

    def columns(full: list) -> list[tuple]:
        zero = [fix_zero(None, full[k]) for k in positions]
        cols = []
        for n, k in enumerate(positions):
            for e in _units(full[k]):
                tans = list(zero)
                tans[n] = e
                cols.append(tuple(tans))
        return cols or [tuple(zero)]

    def combine(raws: list, full: list) -> Any:
        out = raws[0][0]
        array_output(out, "jacfwd", pyfunc)  # a tree output: a Jacobian per leaf (`_jac_of`)
        jacs, j = [], 0
        for k in positions:
            n = _size(full[k])
            jacs.append(_jac_of([r[1] for r in raws[j : j + n]], out, full[k]))
            j += n
        return _per_input(out, jacs) if multi else jacs[0]

    return Chain(pyfunc, prefix, ((Mode.JVP, positions),), columns, combine)


def jacrev_chain(
    pyfunc: Any, prefix: tuple, positions: tuple[int, ...], multi: bool, aux: bool = False
) -> Chain:
    """``jacrev(f, wrt)``: the PULL level (both sweeps, the output's cotangent a parameter), one
    column per output element (its unit cotangent); the output's shape comes from running `f`
    (`aux`: ``has_aux=True``, the pair's aux gets no cotangent)."""

    def columns(full: list) -> list[tuple]:
        # the generated primal, writing nothing back: Python's `pyfunc(*full)` would update
        # the arguments (and globals) it updates in place, before the derivative's columns
        prim = compile_transform(Request(pyfunc, Mode.PRIMAL, (), spec_of(full, matrices=True)))
        cols = units_of(quietly(lambda: prim.fn(*full)))
        return [((c[0], None),) for c in cols] if aux else cols

    def units_of(out: Any) -> list[tuple]:
        out = jactrees.aux_main(out, pyfunc) if aux else out
        array_output(out, "jacrev", pyfunc)
        if tuple_output(out):  # a unit in one leaf, zeros in the others
            return jactrees.unit_cotangents(out, _units)
        return [(u,) for u in _units(np.asarray(out, float))] or [(np.zeros(np.shape(out)),)]

    def combine(raws: list, full: list) -> Any:
        out = raws[0][0]
        if tuple_output(out):  # the rows of each leaf in turn
            blocks, j = [], 0
            for leaf in jactrees.out_leaves(out):
                n = int(np.size(leaf))
                blocks.append(combine([(leaf, r[1]) for r in raws[j : j + n]], full))
                j += n
            return jactrees.rebuild_out(out, blocks)
        oshape = np.shape(raws[0][0])
        jacs = []
        for i, k in enumerate(positions):
            rows = [_leaves(fix_zero(r[1][i], full[k])) for r in raws] if np.prod(oshape) else []
            blocks = []
            for m, leaf in enumerate(_leaves(full[k])):
                shape = np.shape(np.asarray(leaf, float))
                dt = block_dtype(leaf)
                col = [np.asarray(row[m], dt) for row in rows]
                J = np.stack(col) if col else np.zeros((0,) + shape, dt)
                blocks.append(J.reshape(oshape + shape))
            jacs.append(blocks[0] if _is_leaf(full[k]) else _rebuild(full[k], iter(blocks)))
        return tuple(jacs) if multi else jacs[0]

    comb = jactrees.aux_combine(combine, pyfunc, True) if aux else combine
    return Chain(pyfunc, prefix, ((Mode.PULL, positions),), columns, comb)


def refuse(f: Any, what: str) -> SrcadError:
    return SrcadError(
        f"{what} of `{getattr(f, '__name__', f)}`, a derivative srcad made, is not supported yet",
        hint="supported on srcad's derivatives: jvp, vjp, jacfwd, jacrev, grad, value_and_grad, "
        "hessian, hvp (grad with one argument)",
    )


def _bind(ch: Chain, args: Sequence[Any], kwargs: dict) -> list:
    return list(bind(ch.pyfunc, ch.prefix + tuple(args), kwargs))


def _wrap(fn: Callable, ch: Chain, chain: Chain | None) -> Callable:
    fn.__srcad_wrapped__ = ch.pyfunc  # type: ignore[attr-defined]
    fn.__srcad_derivative__ = True  # type: ignore[attr-defined]
    fn.__srcad_prefix__ = ch.prefix  # type: ignore[attr-defined]
    if chain is not None:
        fn.__srcad_chain__ = chain  # type: ignore[attr-defined]
    return fn


def jvp_of(f: Any, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """``srcad.jvp`` of a derivative `f` carrying a `Chain`."""
    ch = chain_of(f)
    assert ch is not None
    full, wrt, tans = jvp_inputs(ch.pyfunc, ch.prefix, primals, tangents)
    return ch.jvp(full, wrt, tans)


def jacobian_of(
    f: Any, wrt: int | str | Sequence[int | str] = 0, has_aux: bool = False
) -> Callable:
    """``srcad.jacfwd`` / ``srcad.jacrev`` of a derivative `f` (``hessian`` is
    ``jacfwd(grad(f))``): forward columns over `f`'s chain; itself a derivative with a chain.
    `has_aux`: `f` returns ``(out, aux)`` (``grad(g, has_aux=True)``): ``(its Jacobian, aux)``."""
    ch = chain_of(f)
    assert ch is not None
    positions, multi = normalize_wrt(ch.pyfunc, wrt, len(ch.prefix))
    base_cols = ch.columns

    def columns(full: list) -> list[tuple]:
        zero = [fix_zero(None, full[k]) for k in positions]
        cols = []
        for n, k in enumerate(positions):
            for e in _units(full[k]):
                tans = list(zero)
                tans[n] = e
                cols += [(*c, *tans) for c in base_cols(full)]
        return cols or [(*c, *zero) for c in base_cols(full)]

    def combine(raws: list, full: list) -> Any:
        m = len(base_cols(full))
        groups = [raws[i : i + m] for i in range(0, len(raws), m)]
        out = ch.combine([r[0] for r in groups[0]], full)
        douts = [ch.combine([r[1] for r in g], full) for g in groups]
        if has_aux:  # (selections: linear, so derivatives of the Jacobian stay right)
            out, aux, douts = jactrees.aux_main(out, ch.pyfunc), out[1], [d[0] for d in douts]
        jacs, j = [], 0
        for k in positions:
            n = _size(full[k])
            cols = douts[j : j + n]
            jacs.append(_jac_of(cols, out, full[k]))
            j += n
        jac = _per_input(out, jacs) if multi else jacs[0]
        return (jac, aux) if has_aux else jac

    levels = (*ch.levels, (Mode.JVP, positions))
    nxt = Chain(ch.pyfunc, ch.prefix, levels, columns, combine, has_aux=ch.has_aux)

    @functools.wraps(ch.pyfunc)
    def jac(*args: Any, **kwargs: Any) -> Any:
        full = _bind(ch, args, kwargs)
        for k in positions:
            check_float(full[k], f"argument `{param_names(ch.pyfunc)[k]}`", ch.pyfunc, k)
        return nxt.value(full)

    jac.__srcad_of__ = ("jacobian", f, positions, multi or has_aux)  # type: ignore[attr-defined]
    return _wrap(jac, ch, nxt)


def _per_input(out: Any, jacs: list[Any]) -> Any:
    """The Jacobians `jacs` (one per input of a tuple `wrt`, each in `out`'s structure, as
    `_jac_of` lays them out) -> one structure, JAX's: `out`'s outside, a tuple with one block per
    input at each of its leaves (``hessian(f, (0, 1))(p, q)[0]["w"][1]``)."""
    if is_record(out):
        parts = [by_field(j, out) for j in jacs]
        return record_like(
            out, {n: _per_input(o, [p[n] for p in parts]) for n, o in record_items(out)}
        )
    if isinstance(out, (tuple, list)):
        return type(out)(_per_input(o, [j[i] for j in jacs]) for i, o in enumerate(out))
    if isinstance(out, dict):
        return {k: _per_input(out[k], [j[k] for j in jacs]) for k in out}
    return tuple(jacs)


def _jac_of(cols: list[Any], out: Any, x: Any) -> Any:
    """Columns of a derivative's derivative -> its Jacobian with respect to `x`: the output's
    structure (a tuple/dict for a tuple/dict output: ``jacfwd(grad(f, has_aux=True))`` gives the
    Hessian and the aux's Jacobian), each output block holding `x`'s structure of blocks
    ``out.shape + leaf.shape`` (JAX's layout: ``hessian(f)(params)["w"]["b"]``)."""
    if is_record(out):  # grad of a record input: the Hessian is a record of records
        parts = [by_field(c, out) for c in cols]
        return record_like(
            out, {n: _jac_of([p.get(n) for p in parts], o, x) for n, o in record_items(out)}
        )
    if isinstance(out, (tuple, list)):  # (a list output, a list input's gradient: a list)
        return type(out)(_jac_of([c[i] for c in cols], out[i], x) for i in range(len(out)))
    if isinstance(out, dict):
        return {k: _jac_of([c[k] for c in cols], out[k], x) for k in out}
    cols = [fix_zero(c, out) for c in cols]
    blocks, j = [], 0
    for leaf in _leaves(x):
        shape = np.shape(np.asarray(leaf, float))
        n = int(np.prod(shape))
        blocks.append(_stack(cols[j : j + n], np.shape(out), shape, leaf))
        j += n
    return blocks[0] if _is_leaf(x) else _rebuild(x, iter(blocks))


def grad_of(f: Any, wrt: int | str = 0, value: bool = False) -> Callable:
    """``srcad.grad`` (``value_and_grad`` with `value`) of a derivative `f` with a scalar output,
    with respect to one argument: its Jacobian (forward columns), checked to be a gradient."""
    ch = chain_of(f)
    assert ch is not None
    positions, multi = normalize_wrt(ch.pyfunc, wrt, len(ch.prefix))
    if multi or len(positions) != 1:
        raise refuse(f, "grad with several `wrt`")
    (k,) = positions
    jac = jacobian_of(f, wrt)
    nxt = chain_of(jac)

    @functools.wraps(ch.pyfunc)
    def grad_f(*args: Any, **kwargs: Any) -> Any:
        full = _bind(ch, args, kwargs)
        out = ch.value(full)
        if np.size(out) != 1 or isinstance(out, (tuple, list, dict)):
            raise _not_scalar(f, np.shape(out))
        g = fix_zero(np.reshape(jac(*args, **kwargs), np.shape(full[k])), full[k])
        return (out, g) if value else g

    assert nxt is not None

    def combine(raws: list, full: list) -> Any:  # (the Jacobian of a scalar: the gradient)
        J = nxt.combine(raws, full)
        if np.size(J) != np.size(full[k]):  # hessian(grad(f)): refused as grad_f refuses
            raise _not_scalar(f, np.shape(J)[: np.ndim(J) - np.ndim(full[k])])
        return fix_zero(np.reshape(J, np.shape(full[k])), full[k])

    scalar = Chain(nxt.pyfunc, nxt.prefix, nxt.levels, nxt.columns, combine, has_aux=nxt.has_aux)
    grad_f.__srcad_of__ = ("grad", f, positions, value)  # type: ignore[attr-defined]
    return _wrap(grad_f, ch, scalar)


def _not_scalar(f: Any, shape: tuple) -> SrcadError:
    what = f"an array of shape {shape}"
    return SrcadError(
        nonscalar(f"the derivative `{getattr(f, '__name__', f)}`", what),
        hint="use srcad.jacfwd for non-scalar outputs",
    )


def vjp_of(f: Any, *primals: Any, wrt: int | str | Sequence[int | str] | None = None):
    """``srcad.vjp`` of a derivative with an array output: the pullback contracts the cotangent
    with the Jacobian (forward columns)."""
    ch = chain_of(f)
    assert ch is not None
    n = len(ch.prefix)
    w = tuple(range(len(primals))) if wrt is None else wrt
    J = jacobian_of(f, w)(*primals)
    full = _bind(ch, primals, {})
    out = ch.value(full)
    array_output(out, "vjp", ch.pyfunc)
    multi = wrt is None or isinstance(wrt, (tuple, list))
    positions = normalize_wrt(ch.pyfunc, w, n)[0]

    def pullback(u: Any) -> Any:
        ct = np.asarray(check_tangent(u, out, "the cotangent", "the output"), float)
        jacs = J if isinstance(J, tuple) else (J,)
        res = tuple(
            fix_zero(np.tensordot(ct, jk, axes=ct.ndim), full[k]) for jk, k in zip(jacs, positions)
        )
        return res if multi else res[0]

    return out, pullback
