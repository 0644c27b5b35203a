"""Run one generated program through plain Python and through srcad, and judge the results.

Input: a `gen.Program`. Output: an `Outcome`: `ok`, `refused` (a `SrcadError`; `reason` is its
first line with names normalised), `wrong` (`prop` names the property that failed), `crash` (an
exception other than `SrcadError`), or `invalid` (plain Python itself raised or gave a non-finite
result: a generator problem, not a srcad one). Properties, per program:

- primal: `srcad.primal(f)` returns what Python returns (`primal_value`; with the program's
  `check_dtypes`, also its dtypes: `primal_dtype`);
- jvp: the primal output, and the tangent against central differences (`jvp_fd`);
- grad (scalar outputs): `<grad, v>` against central differences (`grad_fd`) and against the
  JVP (`grad_jvp`), and the gradient's structure against the argument's (`grad_shape`);
- vjp: the dot-product test `<u, J v> == <J^T u, v>` against the JVP (`dot`); the pullback
  called twice gives the same cotangents (`vjp_repeat`);
- the output is a view of the same arguments as Python's (`primal_alias`: ``return x[1:]`` is a
  view of x, ``return x * 1.0`` is not), its arrays share memory with each other as Python's
  (``return x + x, x + x``: two arrays) and so do the arguments' after the call; the same
  for the primal output of `srcad.jvp` (`jvp_alias`);
- every mode leaves the arguments and the module's global arrays as Python does (`*_effects`).

Finite differences are trusted only where the steps h and h/4 agree (no branch or kink nearby).
Tolerances: against differences, ``2e-6 * max(1, |J v|_inf) + 2e-10 * |f|_inf`` per element; between
modes (`grad_jvp`, `dot`), ``1e-8`` relative (``1e-5`` for programs computing in float32,
`modes_rtol`). A passed check's error / tolerance is kept (`Outcome.margin`): the campaign lists
the near misses. (2e-6, was 2e-5: the largest error / tolerance seen in 230 programs at 2e-6 was
0.023, central differences at h/4 err near 1e-8 relative; a derivative off by more than 2e-6 of
its scale is WRONG, a smaller error is invisible.)
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import itertools
import os
import re
import signal
import sys
import threading
import traceback
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

import srcad

from .compare import (  # noqa: F401 - oracle2 and the tests import them from here
    Wrong,
    axpy,
    close,
    leaves,
    modes_rtol,
    random_like,
    same_dtypes,
    sharing,
    structure,
    vdot,
)
from .gen import GLOBAL_ARRAYS, Program


class _Refused(Exception):
    """The pullback refused when it ran (a `SrcadError`, recorded in `refusals`)."""


_ids = itertools.count()


@dataclass
class Outcome:
    status: str  # ok | refused | wrong | crash | invalid
    prop: str = ""
    reason: str = ""
    detail: str = ""
    fd_trusted: bool = False
    effects: frozenset[str] = frozenset()  # what plain Python changed: mutate_arg, mutate_global
    margin: float = 0.0  # the largest error / tolerance among the numeric checks (near misses)


# -- loading and calling ------------------------------------------------------------------------


def load(program: Program, tmpdir: str) -> Any:
    name = f"fz_{os.getpid()}_{next(_ids)}"
    path = os.path.join(tmpdir, name + ".py")
    with open(path, "w") as fh:
        fh.write(program.source)
    if tmpdir not in sys.path:
        sys.path.insert(0, tmpdir)
    importlib.invalidate_caches()
    return importlib.import_module(name)


class Runner:
    """Calls `f` with the module's global arrays reset first; records the state left after."""

    def __init__(self, mod: Any) -> None:
        self.mod = mod
        self.init = {g: getattr(mod, g).copy() for g in GLOBAL_ARRAYS if hasattr(mod, g)}

    def reset(self) -> None:
        for g, value in self.init.items():
            getattr(self.mod, g)[...] = value

    def globals_now(self) -> dict:
        return {g: getattr(self.mod, g).copy() for g in self.init}

    def py(self, args: tuple) -> Any:
        self.reset()
        return self.mod.f(*copy.deepcopy(args))


_NAME = re.compile(
    r"\b(?:fz_\d+_\d+|[a-z]{1,2}\d+|(?:rec|acc|fs|make|srt|cnt|idiom)\d+|x[vm]\d+|h\d+|lf\d+|lv\d+|GS|GV|GM|GK)\b"
)


def normalise(msg: str) -> str:
    first = msg.strip().splitlines()[0] if msg.strip() else ""
    first = _NAME.sub("<n>", first)
    return re.sub(r"\b\d+\b", "N", first)[:160]


def _where(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    inside = [fr for fr in tb if "srcad" in fr.filename and "tests" not in fr.filename]
    fr = inside[-1] if inside else tb[-1]
    name = os.path.relpath(fr.filename) if fr.filename.startswith("/") else fr.filename
    return f"{name}:{fr.lineno} {fr.name}"


# -- the check ----------------------------------------------------------------------------------

H = 1e-5


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Timeout("program ran too long")


def check(program: Program, tmpdir: str, seed: int = 0, timeout: float = 20.0) -> Outcome:
    """Judge one program (see the module docstring); `timeout` seconds at most (main thread)."""
    main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if main:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return _check_loaded(program, tmpdir, seed)
    except Timeout:
        return Outcome("invalid", reason="timeout")
    finally:
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def _check_loaded(program: Program, tmpdir: str, seed: int) -> Outcome:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            mod = load(program, tmpdir)
        except Exception as e:  # noqa: BLE001 - a broken module is a generator problem
            return Outcome("invalid", reason=f"import: {type(e).__name__}: {e}")
        run = Runner(mod)
        fdrun = twin(program, run, tmpdir)
        try:
            return _check(program, run, seed, fdrun)
        finally:
            sys.modules.pop(mod.__name__, None)
            sys.modules.pop(fdrun.mod.__name__, None)


def twin(program: Program, run: Runner, tmpdir: str) -> Runner:
    """What finite differences run: `run`, or for a program computing in float32 its float64
    twin (the same text in float64; float32's rounding, 1e-7, over the step 1e-5 is noise that
    steps h and h/4 may even agree on). Its derivative is the program's up to float32 rounding:
    the comparison allows 1e-4 more (`TWIN_TOL`)."""
    if modes_rtol(program) == 1e-8:
        return run
    src = program.source.replace("float32", "float64").replace("float16", "float64")
    return Runner(load(dataclasses.replace(program, source=src), tmpdir))


TWIN_TOL = 1e-4


def _check(p: Program, run: Runner, seed: int, fdrun: Runner | None = None) -> Outcome:
    args = p.args
    try:
        ref = run.py(args)
        ref_args = copy.deepcopy(args)
        run.reset()
        ref = run.mod.f(*ref_args)
        ref_share = sharing(ref, ref_args)
        ref_globals = run.globals_now()
    except Exception as e:  # noqa: BLE001 - plain Python failing is a generator problem
        return Outcome("invalid", reason=f"python: {type(e).__name__}: {e}")
    if not all(np.all(np.isfinite(np.asarray(x, float))) for x in leaves(ref)):
        return Outcome("invalid", reason="python: non-finite output")
    seen = set()
    if not _same(args, ref_args):
        seen.add("mutate_arg")
    if not _same(run.init, ref_globals):
        seen.add("mutate_global")
    out = _judge(p, run, seed, ref, (ref_args, ref_share), ref_globals, fdrun or run)
    out.effects = frozenset(seen)
    return out


def _same(a: Any, b: Any) -> bool:
    try:
        close(a, b, 0.0, 0.0, "", "")
        return True
    except Wrong:
        return False


def _judge(
    p: Program,
    run: Runner,
    seed: int,
    ref: Any,
    ref_in: tuple,
    ref_globals: dict,
    fdrun: Runner,
) -> Outcome:
    ref_args, ref_share = ref_in  # the arguments after Python's call, what its output shares
    args = p.args
    rng = np.random.default_rng(seed)
    wrt = p.wrt
    v = {k: random_like(args[k], rng) for k in wrt}

    def shifted(t: float) -> tuple:
        return tuple(axpy(t, v[k], a) if k in v else a for k, a in enumerate(args))

    one_sided: list[float] = []

    def fd(h: float) -> list[np.ndarray]:
        hi, lo = leaves(fdrun.py(shifted(h))), leaves(fdrun.py(shifted(-h)))
        mid = [np.asarray(x, float) for x in leaves(ref if fdrun is run else fdrun.py(args))]
        # forward and backward differences disagree at kinks |t| that a central difference hides
        one_sided.append(
            max(
                [0.0]
                + [
                    float(np.max(np.abs((a - m) - (m - b)), initial=0.0)) / h
                    for a, m, b in zip(hi, mid, lo)
                ]
            )
        )
        return [(np.asarray(a, float) - np.asarray(b, float)) / (2 * h) for a, b in zip(hi, lo)]

    try:
        fd1, fd2 = fd(H), fd(H / 4)
    except Exception as e:  # noqa: BLE001
        return Outcome("invalid", reason=f"python at x+h: {type(e).__name__}: {e}")
    scale = max([1.0] + [float(np.max(np.abs(x), initial=0)) for x in fd1])
    fscale = max(float(np.max(np.abs(np.asarray(x, float)), initial=0)) for x in leaves(ref))
    fd_tol = 2e-6 * scale + 2e-10 * fscale + (TWIN_TOL * scale if fdrun is not run else 0.0)
    trusted = (
        all(np.all(np.isfinite(a)) for a in fd1)
        and all(np.max(np.abs(a - b), initial=0) <= fd_tol / 4 for a, b in zip(fd1, fd2))
        and max(one_sided) <= 1e-2 * scale
        # explosive values (1e12 after a few matmuls in a loop): differences of sin(1e12 x) are noise
        and scale <= 1e6
        and fscale <= 1e8
    )

    def effects(mode: str, a: tuple) -> None:
        close(ref_args, a, 1e-9, 1e-12, f"{mode}_effects", "arguments after the call")
        close(
            ref_globals, run.globals_now(), 1e-9, 1e-12, f"{mode}_effects", "globals after the call"
        )

    margins = [0.0]
    rtol = modes_rtol(p)

    def vs_fd(prop: str, got: list, what: str) -> None:
        if not trusted:
            return
        for e, g in zip(fd2, got):
            g = np.asarray(g, float)
            if g.shape == e.shape or g.size == 1:
                margins.append(float(np.max(np.abs(g - e), initial=0.0)) / fd_tol)
            if g.shape != e.shape and g.size != 1 or not np.all(np.abs(g - e) <= fd_tol):
                raise Wrong(prop, f"{what}: central differences give {e!r}, srcad {g!r}")

    refusals: list[str] = []

    def attempt(fn: Any) -> Any:
        try:
            return fn()
        except srcad.SrcadError as e:
            refusals.append(normalise(getattr(e, "message", str(e))))
            return None

    try:
        # (a) the primal round trip
        a = copy.deepcopy(args)
        run.reset()
        got = attempt(lambda: srcad.primal(run.mod.f)(*a))
        if not refusals:
            close(ref, got, 1e-9, 1e-12, "primal_value", "output")
            if p.check_dtypes:
                same_dtypes(ref, got)
            effects("primal", a)
            if sharing(got, a) != ref_share:
                raise Wrong("primal_alias", f"output views {sharing(got, a)}, Python's {ref_share}")
        # (b) forward mode
        a = copy.deepcopy(args)
        tans = tuple(v.get(k) for k in range(len(args)))
        run.reset()
        res = attempt(lambda: srcad.jvp(run.mod.f, a, tans))
        dout = None
        if res is not None:
            out, dout = res
            close(ref, out, 1e-9, 1e-12, "jvp_value", "primal output of jvp")
            if p.check_dtypes:
                same_dtypes(ref, out)
            effects("jvp", a)
            if sharing(out, a) != ref_share:
                raise Wrong("jvp_alias", f"output views {sharing(out, a)}, Python's {ref_share}")
            if structure(dout) != structure(ref) and [np.shape(x) for x in leaves(dout)] != [
                np.shape(x) for x in leaves(ref)
            ]:
                raise Wrong(
                    "jvp_shape", f"tangent structure {structure(dout)}, output {structure(ref)}"
                )
            vs_fd("jvp_fd", leaves(dout), "directional derivative")
        # (c) reverse mode: grad for scalar outputs, the dot-product test for all
        if p.out == "f":
            a = copy.deepcopy(args)
            run.reset()
            g = attempt(lambda: srcad.grad(run.mod.f, wrt=wrt)(*a))
            if g is not None:
                effects("grad", a)
                for k, gk in zip(wrt, g):
                    if structure(gk) != structure(args[k]):
                        raise Wrong("grad_shape", f"gradient of argument {k}: {structure(gk)}")
                gv = sum(vdot(gk, v[k]) for k, gk in zip(wrt, g))
                vs_fd("grad_fd", [gv], "<grad, v>")
                if dout is not None:
                    jv = vdot(1.0, dout)
                    margins.append(abs(gv - jv) / (rtol * (1 + abs(jv) + scale)))
                    if abs(gv - jv) > rtol * (1 + abs(jv) + scale):
                        raise Wrong("grad_jvp", f"<grad, v> = {gv!r}, jvp gives {jv!r}")
        a = copy.deepcopy(args)
        run.reset()
        res = attempt(lambda: srcad.vjp(run.mod.f, *a, wrt=wrt))
        if res is not None:
            out, pullback = res
            close(ref, out, 1e-9, 1e-12, "vjp_value", "primal output of vjp")
            effects("vjp", a)
            u = random_like(ref, rng)
            if isinstance(ref, np.generic):
                u = ref.dtype.type(u)
            # a pullback may refuse when it runs (a cotangent reaching values without a
            # derivative: the extra columns of a full U of np.linalg.svd, repeated eigenvalues)
            cts = attempt(lambda: pullback(u))
            if cts is None:
                raise _Refused
            # a pullback runs as often as it is called: one that updated its saved values in
            # place would answer a second call differently
            close(cts, pullback(u), 1e-12, 1e-300, "vjp_repeat", "the pullback called again")
            effects("vjp", a)
            for k, ck in zip(wrt, cts):
                if structure(ck) != structure(args[k]):
                    raise Wrong("vjp_shape", f"cotangent of argument {k}: {structure(ck)}")
            lhs = sum(vdot(ck, v[k]) for k, ck in zip(wrt, cts))
            if dout is not None:
                rhs = vdot(u, dout)
                tol = rtol * (1 + abs(rhs) + scale * sum(np.abs(x).sum() for x in leaves(u)))
                margins.append(abs(lhs - rhs) / tol)
                if abs(lhs - rhs) > tol:
                    raise Wrong("dot", f"<J^T u, v> = {lhs!r}, <u, J v> = {rhs!r}")
            if trusted:
                rhs = vdot(u, fd2)
                tol = fd_tol * (1 + sum(np.abs(x).sum() for x in leaves(u)))
                margins.append(abs(lhs - rhs) / tol)
                if abs(lhs - rhs) > tol:
                    raise Wrong("vjp_fd", f"<J^T u, v> = {lhs!r}, central differences {rhs!r}")
    except _Refused:
        pass
    except Wrong as w:
        return Outcome("wrong", prop=w.prop, detail=w.detail, fd_trusted=trusted)
    except Exception as e:  # noqa: BLE001 - the property under test
        return Outcome(
            "crash",
            prop="crash",
            reason=f"{type(e).__name__} at {_where(e)}",
            detail=f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=-4)}",
            fd_trusted=trusted,
        )
    internal = [r for r in refusals if r.startswith("internal error")]
    if internal:
        return Outcome("crash", prop="crash", reason=internal[0], fd_trusted=trusted)
    if refusals:
        return Outcome("refused", reason=refusals[0], fd_trusted=trusted)
    return Outcome("ok", fd_trusted=trusted, margin=max(margins))
