"""Derivatives of derivatives: `hessian`, `hvp`, and `jvp`/`jacfwd`/`grad` of srcad's own wrappers.

Input: a derivative srcad made (`grad`, `value_and_grad`, or one made here) and arguments.
Output: its derivative, computed by ONE generated function: the transforms stacked on the IR
(`Request.inner`, srcad/ad/compose.py), forward mode outermost. ``hessian(f)(x)`` runs
``jvp_grad_f(x, e_j)`` once per input element; ``hvp(f, (x,), (v,))`` runs it once.

A wrapper that can be differentiated again carries a `Chain`: the function, the transforms, the
constant arguments the inner forward levels take (unit tangents) and how the generated entry
point's raw output becomes the wrapper's value. Derivatives that need a loop over inputs
(`hessian`, `jacfwd` of a derivative) are not differentiated again yet (refused, located).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from srcad.args import bind, check_float, check_tangent, fix_zero, normalize_wrt, param_names
from srcad.backend.cache import compile_transform
from srcad.backend.driver import Compiled, Mode, Request, spec_of
from srcad.errors import SrcadError

Levels = tuple[tuple[Mode, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Chain:
    """A derivative as one generated function of `pyfunc`'s arguments (after `prefix`, a bound
    ``self``) followed by ``extra(full)``: `levels` are the transforms, innermost first, and
    ``select(raw, full)`` turns the entry point's raw output into the derivative's value; it is
    linear, so it turns the raw output's tangent into the value's tangent too."""

    pyfunc: Any
    prefix: tuple
    levels: Levels
    extra: Callable[[list], tuple]
    select: Callable[[Any, list], Any]
    name: str
    multi: bool = False  # a tuple of derivatives (`wrt` given as a tuple)

    def compile(self, full: list, mode: Mode, wrt: tuple[int, ...]) -> Compiled:
        """One more level on top (the derivative of this derivative)."""
        return compile_transform(Request(self.pyfunc, mode, wrt, spec_of(full), self.levels))

    def value(self, full: list) -> tuple[Any, Any]:
        """(raw output of the entry point, the derivative's value) at the bound arguments."""
        (mode, wrt), inner = self.levels[-1], self.levels[:-1]
        c = compile_transform(Request(self.pyfunc, mode, wrt, spec_of(full), inner))
        raw = c.fn(*full, *self.extra(full))
        return raw, self.select(raw, full)


def chain_of(f: Any) -> Chain | None:
    return getattr(f, "__srcad_chain__", None)


def grad_chain(pyfunc: Any, prefix: tuple, positions: tuple[int, ...], multi: bool) -> Chain:
    """The chain of ``grad(f, wrt)``: the GRAD level, its gradients in the inputs' structure."""

    def select(raw: Any, full: list) -> Any:
        grads = tuple(fix_zero(g, full[k]) for g, k in zip(raw[1], positions))
        return grads if multi else grads[0]

    levels = ((Mode.GRAD, positions),)
    return Chain(pyfunc, prefix, levels, lambda full: (), select, "grad", multi)


def refuse(f: Any, what: str) -> SrcadError:
    return SrcadError(
        f"{what} of `{getattr(f, '__name__', f)}`, a derivative srcad made, is not supported yet",
        hint="supported: jvp, jacfwd, grad and value_and_grad of grad(f) (and of those, to any "
        "order, for scalar inputs), hessian(f), hvp(f, ...)",
    )


def _bind(ch: Chain, args: Sequence[Any], kwargs: dict) -> list:
    return list(bind(ch.pyfunc, ch.prefix + tuple(args), kwargs))


def _run_jvp(ch: Chain, full: list, wrt: tuple[int, ...], tans: list) -> tuple[Any, Any]:
    c = ch.compile(full, Mode.JVP, wrt)
    raw, draw = c.fn(*full, *ch.extra(full), *tans)
    return ch.select(raw, full), ch.select(draw, full)


def jvp_of(f: Any, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """``srcad.jvp`` of a derivative `f` carrying a `Chain`."""
    ch = chain_of(f)
    assert ch is not None
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise SrcadError(f"jvp got {len(primals)} primals and {len(tangents)} tangents")
    full = _bind(ch, primals, {})
    n = len(ch.prefix)
    wrt = tuple(k + n for k, t in enumerate(tangents) if t is not None)
    names = param_names(ch.pyfunc)
    tans = []
    for k in wrt:
        what = f"argument `{names[k]}`"
        check_float(full[k], f"{what} of `{ch.pyfunc.__name__}`", ch.pyfunc, k)
        tans.append(
            check_tangent(tangents[k - n], full[k], f"the tangent of {what}", "the argument")
        )
    return _run_jvp(ch, full, wrt, tans)


def _units(x: Any) -> list[tuple[Any, tuple[int, ...]]]:
    """(unit tangent in `x`'s structure, its index) for each element of the float input `x`."""
    shape = np.shape(x)
    size = int(np.prod(shape))
    out = []
    for j in range(size):
        e = np.zeros(size)
        e[j] = 1.0
        out.append((fix_zero(e.reshape(shape), x), np.unravel_index(j, shape) if shape else ()))
    return out


def _stack(cols: list[Any], like: Any, xshape: tuple) -> Any:
    """Columns d(out)/dx_j (each in `like`'s structure) -> the Jacobian, out.shape + x.shape; a
    tuple/list output gives a tuple of Jacobians."""
    if isinstance(like, (tuple, list)):
        return tuple(_stack([c[i] for c in cols], like[i], xshape) for i in range(len(like)))
    oshape = np.shape(like)
    if not cols:
        return np.zeros(oshape + xshape)
    return np.stack([np.asarray(c, float) for c in cols], axis=-1).reshape(oshape + xshape)


def jacfwd_of(f: Any, wrt: int | str | Sequence[int | str] = 0) -> Callable:
    """``srcad.jacfwd`` of a derivative `f` (``hessian`` is ``jacfwd(grad(f))``)."""
    ch = chain_of(f)
    assert ch is not None
    positions, multi = normalize_wrt(ch.pyfunc, wrt, len(ch.prefix))

    @functools.wraps(ch.pyfunc)
    def jac(*args: Any, **kwargs: Any) -> Any:
        full = _bind(ch, args, kwargs)
        for k in positions:
            check_float(full[k], f"argument `{param_names(ch.pyfunc)[k]}`", ch.pyfunc, k)
        zero = [fix_zero(None, full[k]) for k in positions]
        out, jacs = None, []
        for n, k in enumerate(positions):
            cols = []
            for e, _ in _units(full[k]):
                tans = list(zero)
                tans[n] = e
                out, dout = _run_jvp(ch, full, positions, tans)
                cols.append(dout)
            if out is None:
                out = _run_jvp(ch, full, positions, zero)[0]
            jacs.append(_stack(cols, out, np.shape(full[k])))
        if not multi:
            return jacs[0]
        if isinstance(out, tuple):  # Hessian blocks: one row of blocks per output
            return tuple(tuple(j[i] for j in jacs) for i in range(len(out)))
        return tuple(jacs)

    jac.__srcad_wrapped__ = ch.pyfunc  # type: ignore[attr-defined]
    jac.__srcad_derivative__ = True  # type: ignore[attr-defined]
    jac.__srcad_prefix__ = ch.prefix  # type: ignore[attr-defined]
    jac.__srcad_source__ = (ch, positions)  # type: ignore[attr-defined]
    return jac


def grad_of(f: Any, wrt: int | str = 0, value: bool = False) -> Callable:
    """``srcad.grad`` (``value_and_grad`` with `value`) of a derivative `f` with a scalar output,
    with respect to one scalar argument: one more forward level with a unit tangent, so the
    result is again a derivative with a `Chain` (``grad(grad(grad(f)))`` to any order)."""
    ch = chain_of(f)
    assert ch is not None
    positions, multi = normalize_wrt(ch.pyfunc, wrt, len(ch.prefix))
    if multi or len(positions) != 1:
        raise refuse(f, "grad with several `wrt`")
    (k,) = positions
    base_extra = ch.extra

    def extra(full: list) -> tuple:
        x = full[k]
        if np.size(x) != 1 or isinstance(x, (list, tuple, dict)):
            raise SrcadError(
                f"grad of a derivative needs a scalar input here; argument "
                f"`{param_names(ch.pyfunc)[k]}` has shape {np.shape(x)}",
                hint="use srcad.hessian(f) or srcad.jacfwd(...) for array inputs",
            )
        return (*base_extra(full), fix_zero(np.ones(np.shape(x)), x))

    def select(raw: Any, full: list) -> Any:
        return fix_zero(ch.select(raw[1], full), full[k])

    nxt = Chain(ch.pyfunc, ch.prefix, (*ch.levels, (Mode.JVP, positions)), extra, select, "grad")

    @functools.wraps(ch.pyfunc)
    def grad_f(*args: Any, **kwargs: Any) -> Any:
        full = _bind(ch, args, kwargs)
        check_float(full[k], f"argument `{param_names(ch.pyfunc)[k]}`", ch.pyfunc, k)
        raw, g = nxt.value(full)
        out = ch.select(raw[0], full)
        if np.size(out) != 1 or isinstance(out, (tuple, list, dict)):
            raise SrcadError(
                f"grad needs a scalar output, but the derivative `{getattr(f, '__name__', f)}` "
                f"returns shape {np.shape(out)}",
                hint="use srcad.jacfwd for non-scalar outputs",
            )
        return (out, g) if value else g

    grad_f.__srcad_wrapped__ = ch.pyfunc  # type: ignore[attr-defined]
    grad_f.__srcad_derivative__ = True  # type: ignore[attr-defined]
    grad_f.__srcad_prefix__ = ch.prefix  # type: ignore[attr-defined]
    grad_f.__srcad_chain__ = nxt  # type: ignore[attr-defined]
    return grad_f
