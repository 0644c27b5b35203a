"""Derivatives of ``scipy.integrate.quad`` (Leibniz's rule), in both modes.

Input: nothing at import (scipy is imported on first use). Output: `register(prim)`, which gives
``scipy.integrate.quad`` a rule record (fwd/bwd and a JVP rule, `srcad.custom.register`), made by
`srcad.custom.custom_of_prim` the first time a transform meets the call.

For ``(v, err) = quad(f, a, b, args)``: ``dv = int_a^b df/dp dp dt + f(b) db - f(a) da``; the
integral of ``df/dp`` is computed with quad too (quad_vec for several parameters; the same
`points`, `weight`, tolerances), ``df/dp`` being srcad's own (`srcad.vjp`, `srcad.jvp` of `f`),
so `f` is a module-level function srcad can differentiate. It is the derivative of the exact
integral: it differs from finite differences of quad's value by about quad's tolerance. The error
estimate `err` has no derivative: a reverse sweep that reads it is refused, forward mode gives it
a zero tangent. Refused: `full_output`, `complex_func`, a `weight` other than 'cos'/'sin' (in
reverse mode; in forward mode only with an active limit), and second derivatives.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

import srcad
from srcad.custom import register as register_custom
from srcad.errors import DiffError
from srcad.libode import _floats, check_args

REASON = "scipy.integrate.quad is differentiated once (first derivatives only)"
_SIG: list[str] = []
_DIFF = ("a", "b", "args")


def _tuple(args: Any) -> tuple:
    return args if isinstance(args, tuple) else () if args is None else (args,)


def _check(kw: dict) -> None:
    for k in ("full_output", "complex_func"):
        if kw.get(k):
            raise DiffError(f"quad(..., {k}=True) is not differentiated: call it without")
    check_args(_tuple(kw.get("args")), "quad")


def _kw(nd: tuple, dv: tuple) -> dict:
    names = [n for n in _SIG if n not in _DIFF]
    return {**dict(zip(names, nd)), **dict(zip(_DIFF, dv))}


def _opts(kw: dict) -> dict:
    names = ("epsabs", "epsrel", "limit", "points", "weight", "wvar", "wopts")
    return {k: kw[k] for k in names if k in kw and kw[k] is not None}


def _value(kw: dict, t: float, args: tuple) -> float:
    """The integrand at a limit `t`: ``f(t)`` times quad's weight (cos and sin weights only)."""
    w, v = kw.get("weight"), float(kw["func"](t, *args))
    if w is None:
        return v
    if w in ("cos", "sin"):
        return v * float(getattr(np, w)(kw["wvar"] * t))
    raise DiffError(
        f"quad(..., weight={w!r}): its derivative in the limits is not defined here (the weight "
        "depends on them)",
        hint="in reverse mode a weight other than 'cos'/'sin' is refused (the limits' cotangent)",
    )


def _limits(kw: dict, da: Any, db: Any) -> float:
    """``f(b) db - f(a) da`` (a zero for an inactive limit)."""
    args, out = _tuple(kw["args"]), 0.0
    if db:
        out += _value(kw, kw["b"], args) * float(db)
    if da:
        out -= _value(kw, kw["a"], args) * float(da)
    return out


def _integral(kw: dict, integrand: Any, n: int) -> np.ndarray:
    """``int_a^b integrand(t) dt`` of a function returning `n` numbers."""
    from scipy.integrate import quad, quad_vec

    a, b, opts = kw["a"], kw["b"], _opts(kw)
    if n == 1 or "weight" in opts:
        return np.array([quad(lambda t, j=j: integrand(t)[j], a, b, **opts)[0] for j in range(n)])
    vec = {k: opts[k] for k in ("epsabs", "epsrel", "limit", "points") if k in opts}
    return np.asarray(quad_vec(integrand, a, b, **vec)[0], dtype=float)


def register(prim: str = "") -> None:
    """Give ``scipy.integrate.quad`` its rules (once per process)."""
    global _SIG
    from scipy.integrate import quad

    _SIG = list(inspect.signature(quad).parameters)
    nd = tuple(k for k, n in enumerate(_SIG) if n not in _DIFF)
    rec = register_custom(quad, nd)
    if rec.fwd is not None:
        return
    for fn in (quad_fwd, quad_bwd, quad_jvp):
        fn.__srcad_no_derivative__ = REASON  # type: ignore[attr-defined]
    rec.fwd, rec.bwd, rec.jvp_rule = quad_fwd, quad_bwd, quad_jvp


def quad_fwd(*a: Any) -> tuple:
    """The rule's forward pass: quad's (value, error); the residuals are a, b and args."""
    from scipy.integrate import quad

    kw = dict(zip(_SIG, a))
    _check(kw)
    return quad(**kw), (kw["a"], kw["b"], kw["args"])


def quad_bwd(*a: Any) -> tuple:
    """The rule's backward pass: the cotangents of a, b and args."""
    nd, (lo, hi, orig), g = a[:-2], a[-2], a[-1]
    kw = _kw(nd, (lo, hi, orig))
    gv, ge = (None, None) if g is None else g
    if ge is not None and np.any(np.asarray(ge) != 0):
        raise DiffError("the error estimate of quad has no derivative: do not differentiate it")
    args = _tuple(orig)
    gv = 0.0 if gv is None else float(gv)
    f = kw["func"]
    ga = -gv * _value(kw, lo, args) if np.isfinite(lo) and gv else 0.0
    gb = gv * _value(kw, hi, args) if np.isfinite(hi) and gv else 0.0
    act = _floats(args)
    out: list[Any] = [np.zeros(np.shape(v)) if np.ndim(v) else 0.0 for v in args]
    if act and gv != 0.0:
        sizes = [int(np.size(args[k])) for k in act]

        def integrand(t: float) -> np.ndarray:
            _, pb = srcad.vjp(f, t, *args, wrt=[1 + k for k in act])
            return np.concatenate([np.ravel(np.asarray(c, dtype=float)) for c in pb(1.0)])

        flat = gv * _integral(kw, integrand, sum(sizes))
        off = 0
        for k, sz in zip(act, sizes):
            part = flat[off : off + sz]
            out[k] = part.reshape(np.shape(args[k])) if np.ndim(args[k]) else float(part[0])
            off += sz
    bargs = tuple(out) if isinstance(orig, tuple) else (out[0] if args else None)
    return ga, gb, bargs


def quad_jvp(*a: Any) -> tuple:
    """The rule's forward mode: (value, error) and their tangent ((dv, None))."""
    from scipy.integrate import quad

    nd, primals, tangents = a[:-2], a[-2], a[-1]
    kw = _kw(nd, primals)
    _check(kw)
    out = quad(**kw)
    da, db, targs = tangents
    args, targs = _tuple(kw["args"]), _tuple(targs)
    dv = _limits(kw, da, db)
    act = [k for k in _floats(args) if k < len(targs) and targs[k] is not None]
    if act:
        tans = tuple(targs[k] if k in act else None for k in range(len(args)))
        f = kw["func"]

        def integrand(t: float) -> np.ndarray:
            return np.atleast_1d(float(srcad.jvp(f, (t, *args), (None, *tans))[1]))

        dv += float(_integral(kw, integrand, 1)[0])
    return out, (dv, None)
