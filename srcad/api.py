"""Public API: jvp, jacfwd, grad, value_and_grad, vjp, jacrev, source, ir, primal, cache_info.

Input: user Python functions and their arguments. Output: derivatives, computed by generated code that
is transformed once per (function code, closure/global identities, mode, wrt, options) and cached
(`srcad.backend.cache`); argument handling lives in `srcad.args`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from srcad.args import bind as _bind
from srcad.args import check_float
from srcad.args import fix_zero as _fix_zero
from srcad.args import normalize_wrt as _normalize_wrt
from srcad.args import param_names as _param_names
from srcad.args import target as _target
from srcad.backend.cache import _CACHE, cache_clear, cache_info, scalar_option
from srcad.backend.cache import compile_transform as _compile
from srcad.errors import SrcadError
from srcad.frontend.source import unwrap

__all__ = ["_CACHE", "cache_clear", "cache_info"]

# -- forward mode -------------------------------------------------------------------------------


def jvp(f: Callable, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """Forward-mode derivative: ``(f(*primals), J @ tangents)``.

    A tangent of ``None`` marks that input as constant::

        out, dout = srcad.jvp(f, (x, n), (dx, None))
    """
    pyfunc, prefix = _target(f)
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError("primals and tangents must have the same length")
    args = _bind(pyfunc, prefix + tuple(primals), {})
    wrt = tuple(k for k, t in enumerate(tangents) if t is not None)
    for k in wrt:
        check_float(primals[k], f"argument {k} of `{pyfunc.__name__}`", pyfunc, k + len(prefix))
    shifted = tuple(k + len(prefix) for k in wrt)
    c = _compile(pyfunc, "jvp", shifted, (scalar_option(args),))
    out, dout = c.fn(*args, *[tangents[k] for k in wrt])
    return out, _fix_zero(dout, out)


def _array_output(out: Any, what: str, pyfunc: Any) -> None:
    if isinstance(out, (tuple, list, dict)):
        raise SrcadError(
            f"{what} needs a function returning an array or a number; `{pyfunc.__name__}` "
            f"returned a {type(out).__name__}",
            hint="use srcad.jvp / srcad.vjp for structured outputs, or Jacobians per output",
        )


def jacfwd(f: Callable, wrt: int | str | Sequence[int | str] = 0) -> Callable:
    """Jacobian by forward mode: shape ``out.shape + in.shape`` (a tuple when `wrt` is a tuple)."""
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    @functools.wraps(pyfunc)
    def jac(*args: Any, **kwargs: Any) -> Any:
        full = _bind(pyfunc, prefix + args, kwargs)
        for k in positions:
            check_float(full[k], f"argument `{_param_names(pyfunc)[k]}`", pyfunc, k)
        c = _compile(pyfunc, "jvp", positions)
        out = None
        jacs = []
        for k in positions:
            x = np.asarray(full[k], dtype=float)
            cols = []
            for j in range(x.size):
                e = np.zeros(x.size)
                e[j] = 1.0
                tans = [np.zeros_like(np.asarray(full[i], dtype=float)) for i in positions]
                tans[positions.index(k)] = e.reshape(x.shape) if x.shape else 1.0
                out, dout = c.fn(*full, *tans)
                _array_output(out, "jacfwd", pyfunc)
                cols.append(np.asarray(_fix_zero(dout, out), dtype=float))
            if out is None:
                zeros = [np.zeros_like(np.asarray(full[i], float)) for i in positions]
                out = c.fn(*full, *zeros)[0]
            _array_output(out, "jacfwd", pyfunc)
            oshape = np.shape(out)
            if cols:
                J = np.stack(cols, axis=-1).reshape(oshape + x.shape)
            else:
                J = np.zeros(oshape + x.shape)
            jacs.append(J)
        return tuple(jacs) if multi else jacs[0]

    jac.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    jac.__srcad_derivative__ = True  # type: ignore[attr-defined]
    return jac


# -- inspection ---------------------------------------------------------------------------------


def ir(f: Callable) -> str:
    """The SSA IR of `f`, as text."""
    from srcad.ad.callees import lowered
    from srcad.ssa.printer import format_function

    return format_function(lowered(unwrap(f)))


def primal(f: Callable) -> Callable:
    """`f` lowered to the IR and emitted again as Python (the round trip)."""
    pyfunc, prefix = _target(f)

    @functools.wraps(pyfunc)
    def round_trip(*args: Any, **kwargs: Any) -> Any:
        full = _bind(pyfunc, prefix + args, kwargs)
        return _compile(pyfunc, "primal", (), (scalar_option(full),)).fn(*full)

    return round_trip


def source(
    f: Callable,
    mode: str = "grad",
    wrt: int | str | Sequence[int | str] = 0,
    args: Sequence[Any] | None = None,
) -> str:
    """The generated Python source of `f`'s derivative (`mode`: primal, jvp, vjp or grad).

    `f` may be a function wrapped by `srcad.grad`/`value_and_grad`/`jacrev`, whose mode and `wrt`
    are used unless given here. With example `args`, the source is the one specialized for their
    types (Python numbers, array ranks), as the calls with those arguments run it.
    """
    spec = getattr(f, "__srcad_spec__", None)
    derivative = getattr(f, "__srcad_derivative__", False)
    pyfunc, prefix = _target(f.__srcad_wrapped__ if derivative else f)
    if spec is not None and mode == "grad" and wrt == 0:
        mode, positions = spec
    else:
        positions = () if mode == "primal" else _normalize_wrt(pyfunc, wrt, len(prefix))[0]
    options: tuple = ()
    if args is not None:
        options = (scalar_option(_bind(pyfunc, prefix + tuple(args), {})),)
    return _compile(pyfunc, mode, positions, options).source


# -- reverse mode -------------------------------------------------------------------------------


def _grad_call(
    pyfunc: Any, prefix: tuple, positions: tuple, has_aux: bool, args: tuple, kwargs: dict
):
    full = _bind(pyfunc, prefix + args, kwargs)
    names = _param_names(pyfunc)
    for k in positions:
        check_float(full[k], f"argument `{names[k]}` of `{pyfunc.__name__}`", pyfunc, k)
    opts = (("aux",) if has_aux else ()) + (scalar_option(full),)
    c = _compile(pyfunc, "grad", positions, opts)
    out, grads = c.fn(*full)
    value = out
    if has_aux:
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise SrcadError(
                f"`{pyfunc.__name__}` must return (loss, aux) when has_aux=True",
                hint="return a pair, e.g. `return loss, {'acc': acc}`",
            )
        value = out[0]
    if np.ndim(value) != 0 or isinstance(value, (tuple, list, dict)):
        raise SrcadError(
            f"grad needs a scalar output, but `{pyfunc.__name__}` returned shape {np.shape(value)}",
            hint="reduce it (e.g. np.sum) or use srcad.jacrev / srcad.vjp for non-scalar outputs",
        )
    grads = tuple(_fix_zero(g, full[k]) for g, k in zip(grads, positions))
    return out, grads


def grad(
    f: Callable | None = None,
    wrt: int | str | Sequence[int | str] = 0,
    has_aux: bool = False,
) -> Callable:
    """Reverse-mode gradient of a scalar function.

    Works as ``@srcad.grad``, ``@srcad.grad(wrt=1)`` and ``srcad.grad(f, wrt=(0, "b"))``. Returns the
    gradient with the structure of the differentiated input (a tuple when `wrt` is a tuple); with
    ``has_aux=True``, `f` returns ``(loss, aux)`` and the result is ``(gradient, aux)``.
    """
    if f is None:
        return lambda g: grad(g, wrt=wrt, has_aux=has_aux)
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    @functools.wraps(pyfunc)
    def grad_f(*args: Any, **kwargs: Any) -> Any:
        out, grads = _grad_call(pyfunc, prefix, positions, has_aux, args, kwargs)
        g = grads if multi else grads[0]
        return (g, out[1]) if has_aux else g

    grad_f.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    grad_f.__srcad_derivative__ = True  # type: ignore[attr-defined]
    grad_f.__srcad_spec__ = ("grad", positions)  # type: ignore[attr-defined]
    return grad_f


def value_and_grad(
    f: Callable | None = None,
    wrt: int | str | Sequence[int | str] = 0,
    has_aux: bool = False,
) -> Callable:
    """Like `grad`, returning ``(value, gradient)`` (``((value, aux), gradient)`` with has_aux)."""
    if f is None:
        return lambda g: value_and_grad(g, wrt=wrt, has_aux=has_aux)
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    @functools.wraps(pyfunc)
    def vg(*args: Any, **kwargs: Any) -> Any:
        out, grads = _grad_call(pyfunc, prefix, positions, has_aux, args, kwargs)
        return out, (grads if multi else grads[0])

    vg.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    vg.__srcad_derivative__ = True  # type: ignore[attr-defined]
    vg.__srcad_spec__ = ("grad", positions)  # type: ignore[attr-defined]
    return vg


def vjp(f: Callable, *primals: Any, wrt: int | str | Sequence[int | str] | None = None):
    """``(f(*primals), pullback)``; ``pullback(cotangent)`` returns the cotangents of the inputs.

    By default every argument is differentiated (the pullback returns a tuple with one entry per
    argument); pass `wrt` to choose.
    """
    pyfunc, prefix = _target(f)
    full = _bind(pyfunc, prefix + tuple(primals), {})
    if wrt is None:
        positions = tuple(range(len(prefix), len(prefix) + len(primals)))
        multi = True
    else:
        positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))
    names = _param_names(pyfunc)
    for k in positions:
        check_float(full[k], f"argument `{names[k]}` of `{pyfunc.__name__}`", pyfunc, k)
    c = _compile(pyfunc, "vjp", positions, (scalar_option(full),))
    out, residuals = c.fn(*full)
    bwd = c.fns[list(c.fns)[1]]

    def pullback(cotangent: Any) -> Any:
        if not isinstance(out, (tuple, list, dict)) and np.shape(cotangent) != np.shape(out):
            raise SrcadError(
                f"the cotangent has shape {np.shape(cotangent)}, the output {np.shape(out)}",
                hint="pass a cotangent shaped like the function's output",
            )
        cts = bwd(residuals, cotangent)
        cts = tuple(_fix_zero(g, full[k]) for g, k in zip(cts, positions))
        return cts if multi else cts[0]

    return out, pullback


def jacrev(f: Callable, wrt: int | str | Sequence[int | str] = 0) -> Callable:
    """Jacobian by reverse mode: shape ``out.shape + in.shape`` (a tuple when `wrt` is a tuple)."""
    pyfunc, prefix = _target(f)
    positions, multi = _normalize_wrt(pyfunc, wrt, len(prefix))

    @functools.wraps(pyfunc)
    def jac(*args: Any, **kwargs: Any) -> Any:
        full = _bind(pyfunc, prefix + args, kwargs)
        out, pull = vjp(pyfunc, *full, wrt=tuple(positions))
        _array_output(out, "jacrev", pyfunc)
        out_arr = np.asarray(out, dtype=float)
        rows = []
        for j in range(out_arr.size):
            e = np.zeros(out_arr.size)
            e[j] = 1.0
            ct = e.reshape(out_arr.shape) if out_arr.shape else 1.0
            rows.append(pull(ct))
        jacs = []
        for i, k in enumerate(positions):
            xshape = np.shape(full[k])
            if rows:
                J = np.stack([np.asarray(r[i], dtype=float) for r in rows])
                J = J.reshape(out_arr.shape + xshape)
            else:
                J = np.zeros(out_arr.shape + xshape)
            jacs.append(J)
        return tuple(jacs) if multi else jacs[0]

    jac.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    jac.__srcad_derivative__ = True  # type: ignore[attr-defined]
    return jac
