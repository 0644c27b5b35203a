"""Reverse-mode derivative of ``scipy.integrate.odeint`` by the adjoint method.

Input: nothing at import (scipy is imported on first use). Output: `register()`, which gives
``scipy.integrate.odeint`` a rule record (`srcad.custom.register`, as ``srcad.defvjp`` would):
``fwd`` runs odeint and keeps its inputs and trajectory, ``bwd`` integrates the adjoint system
backward with odeint itself. `srcad.custom.custom_of_prim` calls `register` the first time a
transform meets an ``odeint`` call, so ``import srcad`` does not import scipy.

The derivative is that of the ODE's exact solution (as JAX's and autograd's odeint give): it
differs from finite differences of the numerical solution by about the solver's tolerance. For
``ys = odeint(func, y0, t, args)`` and a cotangent ``g`` of ``ys`` (one row per time), the
adjoint ``a(t)`` and the parameters' accumulator ``a_p`` follow, from ``t[-1]`` back to
``t[0]``, ``da/ds = -a^T df/dy`` and ``da_p/ds = -a^T df/dp``, while the state is integrated
backward with it (``dy/ds = f``, restarted from the stored trajectory at each time); ``a``
gains ``g[i]`` at ``t[i]``. The vector-Jacobian products of `func` are srcad's own
(`srcad.vjp`, transformed once and cached), so `func` is any function srcad can differentiate
that a call can name: a module-level function, passed as ``odeint(func, ...)`` (a nested
function or lambda used as a value is refused by the lowering, as elsewhere). The
differentiated inputs are `y0` and the float entries of `args`; an active `t` is refused (its
argument is nondiff). Forward mode and second derivatives are refused: odeint has no JVP rule.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import numpy as np

import srcad
from srcad.custom import register as register_custom
from srcad.errors import DiffError
from srcad.rules import default_registry

_PRIM = "scipy.integrate.odeint"


def _floats(args: tuple) -> list[int]:
    """The positions of the entries of `args` that carry derivatives (float arrays, numbers)."""
    out = []
    for k, a in enumerate(args):
        if isinstance(a, bool):
            continue
        dt = np.asarray(a).dtype
        if dt.kind in "fc":
            out.append(k)
    return out


_PLAIN = (str, bytes, bool, int, float, complex, np.number, types.FunctionType, type(None))


def check_args(args: tuple, who: str) -> None:
    """Refuse an entry of `args` that is not numbers or an array of them (a dict, an object):
    the derivative of what it holds would be lost."""
    for a in args:
        if isinstance(a, _PLAIN):
            continue
        if isinstance(a, (np.ndarray, list, tuple)):
            try:
                if np.asarray(a).dtype.kind in "biufc":
                    continue
            except ValueError:  # (ragged)
                pass
        raise DiffError(
            f"{who}: an entry of `args` is a {type(a).__name__}; srcad differentiates `args` "
            "made of numbers and arrays of numbers",
            hint="pass the numbers themselves (args=(d['k'],) for a dict d)",
        )


def _check(kw: dict) -> None:
    if kw.get("full_output"):
        raise DiffError(
            "odeint(..., full_output=True) is not differentiated: call it without full_output "
            "where its result is differentiated"
        )


REASON = (
    "scipy.integrate.odeint is differentiated in reverse mode only (srcad.grad, srcad.vjp: its "
    "adjoint ODE); forward mode and second derivatives through it are not defined here"
)
_SIG: list[str] = []  # odeint's parameter names (`register`)
_ND: tuple[int, ...] = ()  # the positions of its nondiff parameters: all but y0 and args


def odeint_fwd(*a: Any) -> tuple:
    """The rule's forward pass: odeint's trajectory, and the residuals (y0, args, trajectory)."""
    from scipy.integrate import odeint

    kw = dict(zip(_SIG, a))
    _check(kw)
    check_args(tuple(kw["args"] or ()), "odeint")
    ys = odeint(*a)
    return ys, (kw["y0"], tuple(kw["args"]) if kw["args"] is not None else (), ys)


def odeint_bwd(*a: Any) -> tuple:
    """The rule's backward pass: the cotangents of y0 and args (`_adjoint`)."""
    from scipy.integrate import odeint

    nd, (y0, args, ys), g = a[:-2], a[-2], a[-1]
    kw = dict(zip([_SIG[k] for k in _ND], nd))
    return _adjoint(odeint, kw, y0, args, ys, g)


def register(prim: str = "") -> None:
    """Give ``scipy.integrate.odeint`` its reverse-mode rule (once per process): the rule
    record, and the reason its forward mode and the rule's own functions are refused."""
    global _SIG, _ND
    from scipy.integrate import odeint

    _SIG = list(inspect.signature(odeint).parameters)
    _ND = tuple(k for k, n in enumerate(_SIG) if n not in ("y0", "args"))
    rec = register_custom(odeint, _ND)
    if rec.fwd is not None:
        return
    for fn in (odeint_fwd, odeint_bwd):  # differentiated again (a Hessian): refused, saying why
        fn.__srcad_no_derivative__ = REASON  # type: ignore[attr-defined]
    default_registry().record(_PRIM).no_rules = REASON
    rec.fwd, rec.bwd = odeint_fwd, odeint_bwd  # (no `_changed()`: first use, nothing built yet)


def _adjoint(odeint: Any, kw: dict, y0: Any, args: tuple, ys: np.ndarray, g: Any) -> tuple:
    """The cotangents of `y0` and `args` from the cotangent `g` of ``ys = odeint(...)``."""
    func, t, tfirst = kw["func"], np.asarray(kw["t"], dtype=float), bool(kw.get("tfirst"))
    g = np.zeros_like(ys) if g is None else np.broadcast_to(np.asarray(g, dtype=float), ys.shape)
    n = ys.shape[1]
    act = _floats(args)
    shapes = [np.shape(args[k]) for k in act]
    sizes = [int(np.prod(s)) for s in shapes]

    y_at = 1 if tfirst else 0
    wrt = (y_at, *(2 + k for k in act))  # (a tuple: `srcad.vjp`'s fast path hashes it)

    def pullback(y: np.ndarray, s: float, a: np.ndarray) -> tuple:
        call = [s, y] if tfirst else [y, s]
        out, pb = srcad.vjp(func, *call, *args, wrt=wrt)
        cts = pb(_like(out, a))
        return np.asarray(out, dtype=float).reshape(-1), cts[0], cts[1:]

    def aug(z: np.ndarray, s: float) -> np.ndarray:
        y, a = z[:n], z[n : 2 * n]
        dy, by, bp = pullback(y, s, a)
        flat = [-np.ravel(np.asarray(c, dtype=float)) for c in bp]
        return np.concatenate([dy, -np.ravel(by), *flat])

    opts = {k: kw[k] for k in ("rtol", "atol", "mxstep", "hmax", "hmin", "h0") if k in kw}
    a = np.array(g[-1], dtype=float)
    ap = np.zeros(sum(sizes))
    for i in range(len(t) - 1, 0, -1):
        if t[i] == t[i - 1]:
            a = a + g[i - 1]
            continue
        z0 = np.concatenate([ys[i], a, ap])
        z = odeint(aug, z0, np.array([t[i], t[i - 1]]), **opts)[-1]
        a = z[n : 2 * n] + g[i - 1]
        ap = z[2 * n :]
    if isinstance(y0, (list, tuple)) and len(y0) == a.size:  # (the structure of `y0`)
        by0: Any = type(y0)(float(v) for v in a)
    else:
        by0 = a.reshape(np.shape(y0)) if np.ndim(y0) else float(a[0])
    bargs: list[Any] = [None] * len(args)
    off = 0
    for k, shp, sz in zip(act, shapes, sizes):
        part = ap[off : off + sz]
        v = args[k]
        if isinstance(v, (list, tuple)) and len(v) == sz:  # (the structure of the argument)
            bargs[k] = type(v)(float(c) for c in part)
        else:
            bargs[k] = part.reshape(shp) if shp else float(part[0])
        off += sz
    for k, v in enumerate(args):
        if bargs[k] is None:
            bargs[k] = np.zeros_like(np.asarray(v, dtype=float)) if np.ndim(v) else 0.0
    return by0, tuple(bargs)


def _like(out: Any, a: np.ndarray) -> Any:
    """The cotangent `a` (a flat array) in the structure of `func`'s output `out`."""
    if isinstance(out, np.ndarray):
        return a.reshape(out.shape)
    if isinstance(out, (list, tuple)) and len(out) == a.size:
        return type(out)(float(v) if np.ndim(o) == 0 else np.asarray(v) for o, v in zip(out, a))
    if np.ndim(out) == 0 and a.size == 1:
        return float(a[0])
    raise DiffError(
        "odeint's function returned a value srcad cannot pair with the state "
        f"({type(out).__name__}): return a 1-D array or a list of numbers"
    )
