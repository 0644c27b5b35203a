"""Derivatives of scipy's root finders by the implicit function theorem.

Input: nothing at import (scipy is imported on first use). Output: `register(prim)`, which gives
``scipy.optimize.brentq``/``brenth``/``ridder``/``bisect``/``newton``/``fsolve``/``root_scalar``
a rule record in both modes (`srcad.custom.register`: fwd/bwd and a JVP rule), made by
`srcad.custom.custom_of_prim` the first time a transform meets the call.

For a root ``z`` of ``f(z, *args) = 0`` the derivative in `args` is ``dz = -(df/dz)^-1 (df/dp
dp)``; both partial derivatives are srcad's own (`srcad.jvp`, `srcad.jacfwd`, `srcad.vjp` of
`f`), so `f` is a module-level function srcad can differentiate. The bracket and the initial
guess have a zero derivative (the root does not move with them). In differentiated code
`root_scalar` returns a `RootResult` (a dataclass with RootResults' fields: ``r.root``...).
Refused: a root finder that did not converge, a singular ``df/dz`` at the root, `full_output`,
``fprime=True`` (f returning its derivative too), and second derivatives.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from typing import Any

import numpy as np

import srcad
from srcad.custom import register as register_custom
from srcad.errors import DiffError
from srcad.libode import _floats, _like, check_args

REASON = "scipy's root finders are differentiated once (first derivatives only)"

# prim -> (name of the function argument, the differentiated parameters)
_SPEC = {
    "brentq": ("f", ("args", "a", "b")),
    "brenth": ("f", ("args", "a", "b")),
    "ridder": ("f", ("args", "a", "b")),
    "bisect": ("f", ("args", "a", "b")),
    "newton": ("func", ("args", "x0", "x1")),
    "fsolve": ("func", ("args", "x0")),
    "root_scalar": ("f", ("args", "bracket", "x0", "x1")),
}


@dataclasses.dataclass
class RootResult:
    """root_scalar's result in differentiated code: RootResults' fields, read as attributes."""

    root: Any
    iterations: Any = 0
    function_calls: Any = 0
    converged: Any = True
    flag: Any = ""
    method: Any = ""


def _tuple(args: Any) -> tuple:
    return args if isinstance(args, tuple) else () if args is None else (args,)


def _solve(name: str, fn: Any, kw: dict) -> tuple[Any, Any, bool]:
    """(the primal's output as differentiated code sees it, the root, converged?)."""
    if kw.get("full_output"):
        raise DiffError(f"{name}(..., full_output=True) is not differentiated: call it without")
    check_args(_tuple(kw.get("args")), name)
    if name == "root_scalar":
        if kw.get("fprime") is True or kw.get("fprime2") is True:
            raise DiffError("root_scalar with fprime=True is not differentiated: pass fprime=fn")
        r = fn(**kw)
        fields = [f.name for f in dataclasses.fields(RootResult)]
        out = RootResult(**{k: getattr(r, k, None) for k in fields})
        return out, r.root, bool(r.converged)
    if name == "fsolve":
        z, _, ier, _ = fn(**{**kw, "full_output": True})
        return z, z, ier == 1
    if name == "newton":
        r = fn(**{**kw, "full_output": True})
        if np.ndim(kw["x0"]):
            return r[0], r[0], bool(np.all(r[1]))
        return r[0], r[0], bool(r[1].converged)
    z, r = fn(**{**kw, "full_output": True})
    return z, z, bool(r.converged)


def _jz(name: str, f: Any, z: Any, args: tuple, ok: bool) -> np.ndarray:
    """df/dz at the root (n x n), refusing what has no derivative."""
    if not ok:
        raise DiffError(f"{name} did not converge: its result is no root and has no derivative")
    none = (None,) * len(args)
    if np.ndim(z) == 0:
        d = np.atleast_2d(np.asarray(srcad.jvp(f, (z, *args), (1.0, *none))[1], dtype=float))
    else:
        n = np.size(z)
        d = np.asarray(srcad.jacfwd(f, wrt=0)(z, *args), dtype=float).reshape(n, n)
    if not np.all(np.isfinite(d)) or np.linalg.cond(d) > 1e14:
        raise DiffError(f"{name}: df/dz is singular at the root (a multiple root): no derivative")
    return d


def _structured(v: Any, flat: np.ndarray) -> Any:
    if isinstance(v, (list, tuple)) and len(v) == flat.size:
        return type(v)(float(c) for c in flat)
    return flat.reshape(np.shape(v)) if np.ndim(v) else float(flat[0])


def _arg_cts(orig: Any, args: tuple, act: list, cts: tuple) -> Any:
    out = [None] * len(args)
    for k, c in zip(act, cts):
        out[k] = c
    for k, v in enumerate(args):
        if out[k] is None:
            out[k] = np.zeros(np.shape(v)) if np.ndim(v) else 0.0
    return tuple(out) if isinstance(orig, tuple) else out[0] if args else None


def _make(name: str) -> Any:
    fn = getattr(importlib.import_module("scipy.optimize"), name)
    fkey, diff = _SPEC[name]
    sig = list(inspect.signature(fn).parameters)
    dpos = sorted(sig.index(p) for p in diff)  # (the rule's cotangents: in parameter order)
    at = dpos.index(sig.index("args"))
    nd = tuple(k for k in range(len(sig)) if k not in dpos)

    def full(ndv: tuple, dv: tuple) -> dict:
        kw = dict(zip([sig[k] for k in nd], ndv))
        kw.update(zip([sig[k] for k in dpos], dv))
        return kw

    def fwd(*a: Any) -> tuple:
        kw = dict(zip(sig, a))
        out, z, ok = _solve(name, fn, kw)
        return out, (z, ok, kw["args"])

    def bwd(*a: Any) -> tuple:
        ndv, (z, ok, orig), g = a[:-2], a[-2], a[-1]
        f, args = dict(zip([sig[k] for k in nd], ndv))[fkey], _tuple(orig)
        g = g.root if isinstance(g, RootResult) else g
        cts: list[Any] = [None] * len(dpos)
        cts[at] = _arg_cts(orig, args, [], ())
        if g is None:
            return tuple(cts)
        jz = _jz(name, f, z, args, ok)
        w = np.linalg.solve(jz.T, np.ravel(np.asarray(g, dtype=float)))
        act = _floats(args)
        if act:
            fz, pb = srcad.vjp(f, z, *args, wrt=[1 + k for k in act])
            bp = tuple(_neg(c) for c in pb(_like(fz, w)))
            cts[at] = _arg_cts(orig, args, act, bp)
        return tuple(cts)

    def jvp(*a: Any) -> tuple:
        ndv, primals, tangents = a[:-2], a[-2], a[-1]
        kw = full(ndv, primals)
        out, z, ok = _solve(name, fn, kw)
        args, targs = _tuple(kw["args"]), _tuple(tangents[at])
        act = [k for k in _floats(args) if k < len(targs) and targs[k] is not None]
        dz: Any = np.zeros(np.shape(z)) if np.ndim(z) else 0.0
        if act:
            jz = _jz(name, kw[fkey], z, args, ok)
            tans = tuple(targs[k] if k in act else None for k in range(len(args)))
            ft = srcad.jvp(kw[fkey], (z, *args), (None, *tans))[1]
            flat = -np.linalg.solve(jz, np.ravel(np.asarray(ft, dtype=float)))
            dz = flat.reshape(np.shape(z)) if np.ndim(z) else float(flat[0])
        if isinstance(out, RootResult):
            return out, RootResult(dz, None, None, None, None, None)
        return out, dz

    for rule, suffix in ((fwd, "fwd"), (bwd, "bwd"), (jvp, "jvp")):
        rule.__name__ = rule.__qualname__ = f"{name}_{suffix}"
        rule.__srcad_no_derivative__ = REASON  # type: ignore[attr-defined]
    return fn, nd, fwd, bwd, jvp


def _neg(c: Any) -> Any:
    if isinstance(c, (list, tuple)):
        return type(c)(-np.asarray(e) if np.ndim(e) else -float(e) for e in c)
    return -np.asarray(c) if np.ndim(c) else -float(c)


def register(prim: str) -> None:
    """Give the root finder `prim` (``scipy.optimize.brentq``...) its rules (once)."""
    fn, nd, fwd, bwd, jvp = _make(prim.rsplit(".", 1)[1])
    rec = register_custom(fn, nd)
    if rec.fwd is None:
        rec.fwd, rec.bwd, rec.jvp_rule = fwd, bwd, jvp
