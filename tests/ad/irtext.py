"""Helpers for the IR tests of the transforms: a Python function, a mode and example arguments ->
the IR the transform stage generates (through the build driver) -> text, and the derivative the
fully built code computes, checked against central finite differences.

`transformed(f, mode, args)` builds ``Request(f, mode, wrt, spec_of(args))`` with
``stop_after="transform"`` and prints every generated function without ``# line N`` comments
(entry point first). `derivative_ok(f, mode, args)` builds the same request through every stage and
checks the compiled entry point numerically, so a pinned IR can never pin a wrong derivative.

`IRCase` (one function, its example arguments, the pinned JVP and VJP texts) and `check_ir` make a
table of such cases. With ``pytest --update-golden`` a pinned text that differs is rewritten in the
test file itself (`_rewrite`: the string literal passed as ``jvp=``/``vjp=`` of the ``IRCase(...)``
call whose first argument names the function), so the inline texts stay readable and regenerable.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from srcad.backend.driver import Mode, Request, build, spec_of
from srcad.ssa.core import Function, Var
from srcad.ssa.printer import _Printer
from tests.passes.irtext import block, text

__all__ = ["IRCase", "block", "check_ir", "derivative_ok", "names", "text", "transformed"]

EPS = 1e-6


def request(f: Callable, mode: Mode, args: Sequence[Any], wrt: Sequence[int] | None) -> Request:
    """The request srcad's API makes for `f` at `args` (`wrt` default: every float argument)."""
    if wrt is None:
        wrt = [k for k, a in enumerate(args) if _is_float(a)]
    return Request(f, mode, tuple(wrt), spec_of(list(args)))


def transformed(
    f: Callable,
    mode: Mode,
    args: Sequence[Any],
    wrt: Sequence[int] | None = None,
    stage: str = "transform",
) -> str:
    """The IR of every function the transform stage (or `stage`) generates, without line
    comments, entry point first."""
    b = build(request(f, mode, args, wrt), stop_after=stage)
    return "\n\n".join(text(fn) for fn in b.fns)


def names(fn: Function) -> dict[Var, str]:
    """The printer's name of every Var of `fn` (as `text(fn)` shows them)."""
    p = _Printer()
    p.function(fn)
    return dict(p.names)


def _is_float(a: Any) -> bool:
    if isinstance(a, (bool, np.bool_, int, np.integer)):
        return False
    if isinstance(a, (float, np.floating)):
        return True
    if isinstance(a, np.ndarray):
        return a.dtype.kind == "f"
    if isinstance(a, (list, tuple)):
        return len(a) > 0 and all(_is_float(e) for e in a)
    if isinstance(a, dict):
        return len(a) > 0 and all(_is_float(e) for e in a.values())
    return False


# -- numbers ----------------------------------------------------------------------------------------
def _leaves(t: Any) -> list[Any]:
    if isinstance(t, (list, tuple)):
        return [x for e in t for x in _leaves(e)]
    if isinstance(t, dict):
        return [x for e in t.values() for x in _leaves(e)]
    return [t]


def _axpy(a: float, x: Any, y: Any) -> Any:
    """a * x + y over matching trees (x may hold None: no change)."""
    if isinstance(y, (list, tuple)):
        return type(y)(_axpy(a, xe, ye) for xe, ye in zip(x, y))
    if isinstance(y, dict):
        return {k: _axpy(a, x[k], y[k]) for k in y}
    if x is None:
        return y
    out = y + a * x
    return float(out) if isinstance(y, float) else out


def _direction(t: Any, rng: np.random.Generator) -> Any:
    if isinstance(t, (list, tuple)):
        return type(t)(_direction(e, rng) for e in t)
    if isinstance(t, dict):
        return {k: _direction(e, rng) for k, e in t.items()}
    if isinstance(t, np.ndarray):
        return rng.standard_normal(t.shape)
    return float(rng.standard_normal())


def _dot(a: Any, b: Any) -> float:
    return float(
        sum(
            np.sum(np.asarray(x) * np.asarray(y))
            for x, y in zip(_leaves(a), _leaves(b))
            if x is not None
        )
    )


def fd_jvp(f: Callable, args: Sequence[Any], wrt: Sequence[int], tangents: Sequence[Any]) -> Any:
    """The central finite difference of `f` at `args` along `tangents` (one per `wrt`)."""

    def at(t: float) -> Any:
        a = list(args)
        for k, v in zip(wrt, tangents):
            a[k] = _axpy(t, v, a[k])
        return f(*a)

    hi, lo = at(EPS), at(-EPS)
    return [
        (np.asarray(h) - np.asarray(lo_)) / (2 * EPS) for h, lo_ in zip(_leaves(hi), _leaves(lo))
    ]


def derivative_ok(
    f: Callable,
    mode: Mode,
    args: Sequence[Any],
    wrt: Sequence[int] | None = None,
    seed: int = 0,
    rtol: float = 1e-6,
    atol: float = 1e-6,
) -> None:
    """Build `f` through every stage for `mode` and check the compiled entry point: the value
    equals ``f(*args)`` and the derivative equals central finite differences (JVP: along random
    tangents; GRAD: ``<grad, v>`` against the difference along v; VJP: ``<bwd(u), v>`` against
    ``<u, fd(v)>``)."""
    r = request(f, mode, args, wrt)
    wrt = r.wrt
    compiled = build(r).compiled
    assert compiled is not None
    rng = np.random.default_rng(seed)
    tangents = [_direction(args[k], rng) for k in wrt]
    expected_out = f(*args)
    fd = fd_jvp(f, args, wrt, tangents)
    if mode is Mode.JVP:
        out, dout = compiled.fn(*args, *tangents)
        got = [np.asarray(x) for x in _leaves(dout)]
        assert len(got) == len(fd)
        for g, e in zip(got, fd):
            np.testing.assert_allclose(g, e, rtol=rtol, atol=atol)
    elif mode is Mode.GRAD:
        out, grads = compiled.fn(*args)
        assert np.ndim(out) == 0, "srcad.grad refuses a non-scalar output"
        got = _dot(grads if len(wrt) > 1 else (grads,), tangents)
        np.testing.assert_allclose(got, float(fd[0]), rtol=rtol, atol=atol)
    else:
        fwd, bwd = (
            compiled.fns[compiled.fn.__name__],
            compiled.fns[compiled.fn.__name__.replace("_fwd", "_bwd")],
        )
        out, res = fwd(*args)
        u = _direction(out, rng)
        cot = bwd(res, u)
        got = _dot(cot if len(wrt) > 1 else (cot,), tangents)
        np.testing.assert_allclose(got, _dot(_leaves(u), fd), rtol=rtol, atol=atol)
    for g, e in zip(_leaves(out), _leaves(expected_out)):
        np.testing.assert_allclose(g, e, rtol=1e-12)


# -- pinned cases -----------------------------------------------------------------------------------
MODES = {"jvp": Mode.JVP, "grad": Mode.GRAD, "vjp": Mode.VJP}


@dataclass(frozen=True)
class IRCase:
    """`fn` at `args` (differentiated in `wrt`, default: the float arguments) in `mode` ("jvp",
    "grad" or "vjp": the split ``_fwd``/``_bwd`` pair): the pinned IR right after the transform
    stage (or after `stage`). `name` tells apart two cases of one function in a file."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    ir: str
    mode: str = "jvp"
    wrt: tuple[int, ...] | None = None
    name: str | None = None
    stage: str = "transform"

    @property
    def id(self) -> str:
        return self.name or self.fn.__name__


def check_ir(case: IRCase, update: bool) -> None:
    """Compare the transform's output with the pinned text, then check that the derivative the
    fully built code computes is right."""
    mode = MODES[case.mode]
    actual = transformed(case.fn, mode, case.args, case.wrt, case.stage)
    if actual != block(case.ir):
        if update:
            _rewrite(case, actual)
        else:
            pytest.fail(
                f"{case.mode} IR of {case.id} differs (pytest --update-golden rewrites it):\n"
                f"{actual}",
                pytrace=False,
            )
    derivative_ok(case.fn, mode, case.args, case.wrt)


def _case_id(call: ast.Call) -> str | None:
    for kw in call.keywords:
        if kw.arg == "name" and isinstance(kw.value, ast.Constant):
            return kw.value.value
    first = call.args[0] if call.args else None
    return first.attr if isinstance(first, ast.Attribute) else getattr(first, "id", None)


def _rewrite(case: IRCase, actual: str) -> None:
    """Write the ``IRCase(...)`` call of `case` in the calling test file again, one argument a
    line (as ``ruff format`` leaves it), with `actual` as its ``ir=`` text."""
    assert "\\" not in actual and '"""' not in actual, actual
    path = Path(inspect.getsourcefile(inspect.stack()[2].frame) or "")
    src = path.read_text()
    for node in ast.walk(ast.parse(src)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "IRCase"):
            continue
        if _case_id(node) != case.id:
            continue
        lines = src.splitlines(keepends=True)
        line = lines[node.lineno - 1]
        pad = line[: len(line) - len(line.lstrip())]
        parts = [ast.get_source_segment(src, a) for a in node.args]
        parts += [
            f"{kw.arg}={ast.get_source_segment(src, kw.value)}"
            for kw in node.keywords
            if kw.arg != "ir"
        ]
        parts.append('ir="""\n' + textwrap.indent(actual, pad + "    ") + f'\n{pad}    """')
        call = "IRCase(\n" + "".join(f"{pad}    {p},\n" for p in parts) + f"{pad})"
        start = sum(len(s) for s in lines[: node.lineno - 1]) + node.col_offset
        end = sum(len(s) for s in lines[: node.end_lineno - 1]) + node.end_col_offset
        path.write_text(src[:start] + call + src[end:])
        return
    raise AssertionError(f"no IRCase for {case.id} in {path}")
