"""The second-order check of a generated program (``python -m tests.fuzz --order 2``).

Input: a `gen.Program` whose first-order check (`oracle.check`) passed. Output: an `Outcome`
for the second order, its properties prefixed ``hvp_``; programs whose output is not a scalar
float are `skipped` (no Hessian). Properties, for a random direction v and a random u over the
`wrt` arguments:

- `srcad.hvp(f, args, v)` returns the gradient `srcad.grad` gives (`hvp_grad`) and H v in the
  arguments' structure (`hvp_shape`);
- H v against central differences of srcad's gradient along v (`hvp_fd`), trusted only where the
  steps h and h/4 agree (no branch or kink nearby); tolerance ``2e-6 * max(1, |Hv|_inf)`` plus
  the gradient's rounding over the step (a program computing in float32: its float64 `twin`'s
  gradient, 1e-4 more);
- H is symmetric: ``<u, H v> == <v, H u>`` (`hvp_sym`, relative 1e-8; 1e-5 in float32 code);
- the arguments and the module's global arrays are left as Python leaves them (`hvp_effects`);
- `srcad.hessian`, `jacrev(grad)` and `jacfwd(grad)` agree with H v (tests/fuzz/oracle3.py).
"""

from __future__ import annotations

import copy
import signal
import sys
import threading
import traceback
import warnings
from typing import Any

import numpy as np

import srcad

from .gen import Program
from .oracle import (
    TWIN_TOL,
    Outcome,
    Runner,
    Timeout,
    Wrong,
    _alarm,
    _where,
    axpy,
    close,
    leaves,
    load,
    modes_rtol,
    normalise,
    random_like,
    structure,
    twin,
    vdot,
)
from .oracle3 import entries

H = 1e-5


def check2(program: Program, tmpdir: str, seed: int = 0, timeout: float = 20.0) -> Outcome:
    """Judge the second order of one program; `timeout` seconds at most (main thread)."""
    main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if main:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                mod = load(program, tmpdir)
            except Exception as e:  # noqa: BLE001 - a generator problem
                return Outcome("invalid", reason=f"import: {type(e).__name__}: {e}")
            run = Runner(mod)
            fdrun = twin(program, run, tmpdir)
            try:
                return _judge2(program, run, seed, fdrun)
            finally:
                sys.modules.pop(mod.__name__, None)
                sys.modules.pop(fdrun.mod.__name__, None)
    except Timeout:
        return Outcome("invalid", reason="timeout")
    finally:
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def _judge2(p: Program, run: Runner, seed: int, fdrun: Runner) -> Outcome:
    args, wrt = p.args, tuple(p.wrt)
    try:
        ref = run.py(args)
        ref_args = copy.deepcopy(args)
        run.reset()
        run.mod.f(*ref_args)
        ref_globals = run.globals_now()
    except Exception as e:  # noqa: BLE001
        return Outcome("invalid", reason=f"python: {type(e).__name__}: {e}")
    if p.out != "f" or not wrt or np.size(ref) != 1 or isinstance(ref, (tuple, list, dict)):
        return Outcome("skipped")
    rng = np.random.default_rng(seed + 1_000_003)
    v = {k: random_like(args[k], rng) for k in wrt}
    u = {k: random_like(args[k], rng) for k in wrt}

    def tans(d: dict) -> list:
        return [d.get(k) for k in range(len(args))]

    def shifted(t: float) -> tuple:
        return tuple(axpy(t, v[k], a) if k in v else a for k, a in enumerate(args))

    def grad_at(a: tuple, r: Runner = run) -> Any:
        r.reset()
        return srcad.grad(r.mod.f, wrt=wrt)(*copy.deepcopy(a))

    def hvp(direction: dict) -> tuple[Any, Any, list]:
        a = copy.deepcopy(args)
        run.reset()
        g, hv = srcad.hvp(run.mod.f, a, tans(direction), wrt=wrt)
        return g, hv, a

    trusted = False
    margins = [0.0]
    try:
        try:
            g0 = grad_at(args)
            g, hv, a = hvp(v)
        except srcad.SrcadError as e:
            reason = normalise(getattr(e, "message", str(e)))
            status = "crash" if reason.startswith("internal error") else "refused"
            return Outcome(status, prop="crash" if status == "crash" else "", reason=reason)
        close(ref_args, a, 1e-9, 1e-12, "hvp_effects", "arguments after hvp")
        close(ref_globals, run.globals_now(), 1e-9, 1e-12, "hvp_effects", "globals after hvp")
        gscale = max([1.0] + [float(np.max(np.abs(x), initial=0)) for x in leaves(g0)])
        eps = 1e-10 if modes_rtol(p) == 1e-8 else 1e-5  # float32 code: its rounding between modes
        close(g0, g, eps, eps * gscale, "hvp_grad", "gradient from hvp")
        for k, hk in zip(wrt, hv):
            if structure(hk) != structure(args[k]):
                raise Wrong("hvp_shape", f"H v of argument {k}: {structure(hk)}")
        hvl = [np.asarray(x, float) for x in leaves(list(hv))]

        # central differences of srcad's own gradient along v, at steps h and h/4
        def fd(h: float) -> list[np.ndarray]:
            hi, lo = (
                leaves(list(grad_at(shifted(h), fdrun))),
                leaves(list(grad_at(shifted(-h), fdrun))),
            )
            return [(np.asarray(x, float) - np.asarray(y, float)) / (2 * h) for x, y in zip(hi, lo)]

        try:
            fd1, fd2 = fd(H), fd(H / 4)
        except srcad.SrcadError:
            fd1 = fd2 = None  # refused at a nearby point (a different branch): no FD
        if fd1 is not None:
            scale = max([1.0] + [float(np.max(np.abs(x), initial=0)) for x in fd1])
            tol = 2e-6 * scale + 1e-13 * gscale / H + (TWIN_TOL * scale if fdrun is not run else 0)
            trusted = (
                all(np.all(np.isfinite(x)) for x in fd1)
                and all(np.max(np.abs(x - y), initial=0) <= tol / 4 for x, y in zip(fd1, fd2))
                and scale <= 1e6
                and gscale <= 1e8
            )
            if trusted:
                for e, h in zip(fd2, hvl):
                    if h.shape == e.shape:
                        margins.append(float(np.max(np.abs(h - e), initial=0.0)) / tol)
                    if h.shape != e.shape or not np.all(np.abs(h - e) <= tol):
                        raise Wrong(
                            "hvp_fd", f"H v: differences of the gradient {e!r}, srcad {h!r}"
                        )
        # symmetry: <u, H v> == <v, H u>
        _, hu, _ = hvp(u)
        uhv = sum(vdot(hk, u[k]) for k, hk in zip(wrt, hv))
        vhu = sum(vdot(hk, v[k]) for k, hk in zip(wrt, hu))
        hscale = sum(float(np.sum(np.abs(x))) for x in hvl + leaves(list(hu)))
        margins.append(abs(uhv - vhu) / (modes_rtol(p) * (1.0 + hscale)))
        if abs(uhv - vhu) > modes_rtol(p) * (1.0 + hscale):
            raise Wrong("hvp_sym", f"<u, H v> = {uhv!r}, <v, H u> = {vhu!r}")
        run.reset()
        refused = entries(run.mod.f, args, ref_args, wrt, v, hv, modes_rtol(p), reset=run.reset)
        if refused is not None:
            return Outcome("refused", reason=normalise(refused), fd_trusted=trusted)
    except Wrong as w:
        return Outcome("wrong", prop=w.prop, detail=w.detail, fd_trusted=trusted)
    except Timeout:
        raise
    except Exception as e:  # noqa: BLE001 - the property under test
        return Outcome(
            "crash",
            prop="crash",
            reason=f"{type(e).__name__} at {_where(e)}",
            detail=f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=-4)}",
            fd_trusted=trusted,
        )
    return Outcome("ok", fd_trusted=trusted, margin=max(margins))
