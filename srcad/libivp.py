"""Reverse-mode derivative of ``scipy.integrate.solve_ivp`` by the adjoint method.

Input: nothing at import (scipy is imported on first use). Output: `register()`, which gives
``scipy.integrate.solve_ivp`` a rule record (as srcad/libode.py does for odeint), made by
`srcad.custom.custom_of_prim` the first time a transform meets the call.

In differentiated code the call returns an `IvpResult` (a dataclass with OdeResult's fields:
``sol.t``, ``sol.y``, ``sol.status``...), so that reads of its fields are differentiated as
reads of a record's fields. The derivative is that of the ODE's exact solution at the output
times (as for odeint), by the adjoint ODE integrated backward with solve_ivp itself (same
method and tolerances), the state restarted from the stored trajectory at each output time.
The differentiated inputs are `y0` and the float entries of `args`; `fun` is a module-level
function srcad can differentiate (its vector-Jacobian products are srcad's own).

Refused (a `SrcadError` when the derivative runs): dense output and events; a cotangent on
the interior columns of ``sol.y`` (or entries of ``sol.t``) when `t_eval` is not given (those
times are the solver's own steps, which move with the parameters: pass `t_eval`); a failed
integration; solver options other than rtol, atol, first_step, max_step, min_step, jac,
jac_sparsity, lband, uband; forward mode and second derivatives (no JVP rule).
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import numpy as np

import srcad
from srcad.custom import register as register_custom
from srcad.errors import DiffError
from srcad.libode import _floats, _like, check_args
from srcad.rules import default_registry

_PRIM = "scipy.integrate.solve_ivp"
REASON = (
    "scipy.integrate.solve_ivp is differentiated in reverse mode only (srcad.grad, srcad.vjp: "
    "its adjoint ODE); forward mode and second derivatives through it are not defined here"
)
_SIG: list[str] = []  # solve_ivp's parameter names (`register`)
_ND: tuple[int, ...] = ()  # the positions of its nondiff parameters: all but y0 and args


@dataclasses.dataclass
class IvpResult:
    """solve_ivp's result in differentiated code: OdeResult's fields, read as attributes."""

    t: Any
    y: Any
    sol: Any = None
    t_events: Any = None
    y_events: Any = None
    nfev: Any = 0
    njev: Any = 0
    nlu: Any = 0
    status: Any = 0
    message: Any = ""
    success: Any = True


_FIELDS = tuple(f.name for f in dataclasses.fields(IvpResult))


# the solver options a differentiated call may pass (solve_ivp's **options), as parameters of
# their own so that their values may be variables (None: not passed)
_OPTIONS = ("rtol", "atol", "first_step", "max_step", "min_step", "jac", "jac_sparsity", "lband",
            "uband")  # fmt: skip


def _kw(a: tuple) -> dict:
    return {k: v for k, v in zip(_SIG, a) if v is not None or k not in _OPTIONS}


def _check(kw: dict) -> None:
    if kw.get("dense_output"):
        raise DiffError(
            "solve_ivp(..., dense_output=True) is not differentiated: pass t_eval (the times "
            "you need) instead of evaluating sol.sol"
        )
    if kw.get("events") is not None:
        raise DiffError("solve_ivp(..., events=...) is not differentiated (event times move)")
    if np.iscomplexobj(kw["y0"]):
        raise DiffError("solve_ivp with a complex y0 is not differentiated")


def solve_ivp_fwd(*a: Any) -> tuple:
    """The rule's forward pass: solve_ivp's result (an `IvpResult`) and the residuals."""
    from scipy.integrate import solve_ivp

    kw = _kw(a)
    _check(kw)
    check_args(tuple(kw["args"] or ()), "solve_ivp")
    sol = solve_ivp(**kw)
    out = IvpResult(**{k: sol.get(k) for k in _FIELDS})
    args = tuple(kw["args"]) if kw["args"] is not None else ()
    return out, (kw["y0"], args, out)


def solve_ivp_bwd(*a: Any) -> tuple:
    """The rule's backward pass: the cotangents of y0 and args (`_adjoint`)."""
    from scipy.integrate import solve_ivp

    nd, (y0, args, out), g = a[:-2], a[-2], a[-1]
    kw = {k: v for k, v in zip([_SIG[k] for k in _ND], nd) if v is not None}
    return _adjoint(solve_ivp, kw, y0, args, out, g)


def register(prim: str = "") -> None:
    """Give ``scipy.integrate.solve_ivp`` its reverse-mode rule (once per process)."""
    global _SIG, _ND
    from scipy.integrate import solve_ivp

    sig = inspect.signature(solve_ivp)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    kwonly = inspect.Parameter.KEYWORD_ONLY
    params += [inspect.Parameter(n, kwonly, default=None) for n in _OPTIONS]
    _SIG = [p.name for p in params]
    _ND = tuple(k for k, n in enumerate(_SIG) if n not in ("y0", "args"))
    rec = register_custom(solve_ivp, _ND)
    if rec.fwd is not None:
        return
    rec.signature = sig.replace(parameters=params)
    for fn in (solve_ivp_fwd, solve_ivp_bwd):
        fn.__srcad_no_derivative__ = REASON  # type: ignore[attr-defined]
    default_registry().record(_PRIM).no_rules = REASON
    rec.fwd, rec.bwd = solve_ivp_fwd, solve_ivp_bwd


def _cotangents(out: IvpResult, g: Any, t_eval: Any) -> np.ndarray:
    """The cotangent of ``sol.y`` (zeros where none), refusing what has no derivative here."""
    ys = np.asarray(out.y, dtype=float)
    gy = getattr(g, "y", None) if g is not None else None
    gt = getattr(g, "t", None) if g is not None else None
    gy = np.zeros_like(ys) if gy is None else np.broadcast_to(np.asarray(gy, float), ys.shape)
    if t_eval is None:
        if np.any(gy[:, 1:-1] != 0) or (gt is not None and np.any(np.asarray(gt)[1:-1] != 0)):
            raise DiffError(
                "solve_ivp without t_eval: the derivative of sol.y at the solver's own steps "
                "(or of sol.t) is not defined here, as those times move with the parameters",
                hint="pass t_eval=... (the times the loss reads) to solve_ivp",
            )
    if out.status != 0:
        raise DiffError(f"solve_ivp failed ({out.message}): its result has no derivative")
    return gy


def _adjoint(solve_ivp: Any, kw: dict, y0: Any, args: tuple, out: IvpResult, g: Any) -> tuple:
    """The cotangents of `y0` and `args` from the cotangent `g` of the result."""
    fun, t_eval = kw["fun"], kw.get("t_eval")
    gy = _cotangents(out, g, t_eval)
    ys = np.asarray(out.y, dtype=float).T
    ts = np.asarray(out.t, dtype=float)
    gs = np.array(gy.T)
    t0 = float(kw["t_span"][0])
    if len(ts) == 0 or ts[0] != t0:  # (t_eval does not start at t0: integrate back to it)
        ys = np.vstack([np.ravel(np.asarray(y0, dtype=float))[None, :], ys])
        ts = np.concatenate([[t0], ts])
        gs = np.vstack([np.zeros((1, ys.shape[1])), gs])
    n = ys.shape[1]
    act = _floats(args)
    shapes = [np.shape(args[k]) for k in act]
    sizes = [int(np.prod(s)) for s in shapes]
    wrt = [1, *(2 + k for k in act)]

    def aug(s: float, z: np.ndarray) -> np.ndarray:
        y, a = z[:n], z[n : 2 * n]
        fy, pb = srcad.vjp(fun, s, y, *args, wrt=wrt)
        cts = pb(_like(fy, a))
        flat = [-np.ravel(np.asarray(c, dtype=float)) for c in cts[1:]]
        dy = np.asarray(fy, dtype=float).reshape(-1)
        return np.concatenate([dy, -np.ravel(np.asarray(cts[0], dtype=float)), *flat])

    names = ("method", "rtol", "atol", "first_step", "max_step", "min_step")
    opts = {k: kw[k] for k in names if k in kw}
    a = np.array(gs[-1], dtype=float)
    ap = np.zeros(sum(sizes))
    for i in range(len(ts) - 1, 0, -1):
        if ts[i] != ts[i - 1]:
            z0 = np.concatenate([ys[i], a, ap])
            r = solve_ivp(aug, (ts[i], ts[i - 1]), z0, **opts)
            if r.status != 0:
                raise DiffError(f"solve_ivp's adjoint integration failed ({r.message})")
            a, ap = r.y[n : 2 * n, -1], r.y[2 * n :, -1]
        a = a + gs[i - 1]
    return _structured(y0, a), _args_cts(args, act, shapes, sizes, ap)


def _structured(v: Any, flat: np.ndarray) -> Any:
    """`flat` in the structure of the argument `v` (a list, tuple, array or number)."""
    if isinstance(v, (list, tuple)) and len(v) == flat.size:
        return type(v)(float(c) for c in flat)
    return flat.reshape(np.shape(v)) if np.ndim(v) else float(flat[0])


def _args_cts(args: tuple, act: list, shapes: list, sizes: list, ap: np.ndarray) -> tuple:
    out: list[Any] = [None] * len(args)
    off = 0
    for k, sz in zip(act, sizes):
        out[k] = _structured(args[k], ap[off : off + sz])
        off += sz
    for k, v in enumerate(args):
        if out[k] is None:
            out[k] = np.zeros_like(np.asarray(v, dtype=float)) if np.ndim(v) else 0.0
    return tuple(out)
