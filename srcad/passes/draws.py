"""Does a function draw random numbers whose values differ from one call to the next?

Input: a Python function. Output: `draw_site`, the first op (with its `Function`, for the
error's location) that may, in it or in the user functions it calls, or None; and
`refuse_column_draws`, the located `SrcadError` of a derivative by columns of such a function.

A Jacobian by columns (`srcad.jacfwd`, `srcad.hessian`: one run of the generated function per
input element) of such a function would differentiate another draw in every column, and advance
the random state once per column instead of once. Draws that give the same values on every run
are not sites: those of a generator the function makes from constant seeds
(``rng = np.random.default_rng(0)``), and NumPy's global ones once the function (at its top
level, before any other draw or call) has called ``np.random.seed(<constant>)``.
"""

from __future__ import annotations

import random
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.errors import DiffError, SrcadError
from srcad.passes.prepare import lowered as _lowered
from srcad.ssa.core import Const, Function, Op, walk_ops

_MAKERS = frozenset({"numpy.random.default_rng", "numpy.random.RandomState",
                     "numpy.random.Generator", "numpy.random.PCG64", "random.Random"})  # fmt: skip
_SEEDS = frozenset({"numpy.random.seed", "random.seed"})
# nondeterministic library calls (as `vjp_loops._DRAWS`: a checkpointed loop refuses them too)
_PREFIXES = ("numpy.random.", "random.", "time.", "os.", "secrets.", "uuid.")
_STATEFUL = (np.random.Generator, np.random.RandomState, random.Random)
# methods of those generators, called on a value the lowering cannot see (an argument)
_METHODS = frozenset(
    n
    for cls in _STATEFUL
    for n in dir(cls)
    if not n.startswith("_") and n not in ("f", "get_state", "getstate", "bit_generator")
)


_WHAT = "this Jacobian/Hessian (srcad.jacfwd, srcad.hessian, a derivative of a derivative)"


def refuse_column_draws(pyfunc: Any, ncols: int, what: str = _WHAT) -> None:
    """Raise when `what` (``srcad.jacfwd``, ``srcad.hessian``, ...) would run `pyfunc`'s
    generated function `ncols` > 1 times and `pyfunc` may draw other random numbers each time."""
    if ncols < 2:
        return
    try:
        site = draw_site(pyfunc)
    except SrcadError:  # not lowerable here: the transform itself decided what to refuse
        return
    if site is None:
        return
    fn, op = site
    line = op.loc.line if op.loc else None
    src = fn.source_lines[line - 1] if line and 0 < line <= len(fn.source_lines or ()) else None
    raise DiffError(
        f"{what} runs `{getattr(pyfunc, '__name__', 'f')}` once per column ({ncols} here), and "
        "this call may draw other random numbers on every run: the columns would be derivatives "
        "of different draws (and the random state would advance once per column)",
        filename=fn.filename,
        line=line,
        col=op.loc.col if op.loc else None,
        source_line=src,
        hint="draw the random numbers outside and pass them in as an argument, or make the "
        "generator inside from a constant seed (rng = np.random.default_rng(0)); srcad.jacrev, "
        "srcad.grad and srcad.hvp run the function once",
    )


def may_draw(pyfunc: Any) -> bool:
    """Is there a `draw_site` (False when `pyfunc` cannot be lowered here)?"""
    try:
        return draw_site(pyfunc) is not None
    except SrcadError:
        return False


def draw_site(pyfunc: Any, lowered: Callable = _lowered) -> tuple[Function, Op] | None:
    """The first op of `pyfunc` (callees followed) that may draw other random numbers on every
    run, or None; cached on the lowered IR."""
    fn = lowered(pyfunc)
    cached = getattr(fn, "_srcad_draw_site", False)
    if cached is False:
        cached = _visit(fn, lowered, {pyfunc.__code__}, top=True)
        fn._srcad_draw_site = cached  # type: ignore[attr-defined]
    return cached


def _visit(fn: Function, lowered: Callable, seen: set, top: bool) -> tuple[Function, Op] | None:
    defs = {r: o for o in walk_ops(fn.body) for r in o.results}
    seeded = top and _seeded_first(fn)
    for op in walk_ops(fn.body):
        p = op.prim
        if p in _MAKERS:
            if op.args and all(isinstance(a, Const) for a in op.args) and not op.kwargs:
                continue  # a generator of constant seeds: the same draws on every run
            if p != "numpy.random.default_rng" or op.args or op.kwargs:
                continue  # draws only through its methods, which a receiver check finds
            return fn, op  # default_rng(): fresh entropy on every run
        if p in _SEEDS:
            continue
        if p.startswith(_PREFIXES):
            if seeded and p.startswith("numpy.random."):
                continue
            return fn, op
        if p.startswith("method.") and p[7:] in _METHODS:
            d = defs.get(op.args[0]) if op.args else None
            if d is not None and d.prim in _MAKERS and all(isinstance(a, Const) for a in d.args):
                if d.args and not d.kwargs:
                    continue
            return fn, op
        if p == "call" and op.args:
            value = _static(op.args[0], defs, fn)
            if _draws(value):
                return fn, op
            if isinstance(value, types.FunctionType) and value.__code__ not in seen:
                seen.add(value.__code__)
                try:
                    sub = lowered(value)
                except Exception:  # noqa: BLE001 - unreadable callee: its own refusal decides
                    continue
                found = _visit(sub, lowered, seen, top=False)
                if found is not None:
                    return found
    return None


def _draws(value: object) -> bool:
    """A generator's method (``RNG.normal``, ``random.random``: the module's hidden generator)
    or a clock/entropy function (``time.time``, ``os.urandom``)."""
    if isinstance(getattr(value, "__self__", None), _STATEFUL):
        return True
    module = getattr(value, "__module__", None) or ""
    return callable(value) and module.split(".")[0] in ("time", "os", "posix", "secrets", "uuid")


def _seeded_first(fn: Function) -> bool:
    """Does the body call ``np.random.seed(<constants>)`` before any draw or call?"""
    for op in fn.body.ops:
        if op.prim == "numpy.random.seed":
            return all(isinstance(a, Const) for a in op.args) and not op.kwargs
        if op.prim.startswith(_PREFIXES) or op.prim in ("call", "for", "while", "if"):
            return False
        if op.prim.startswith("method."):
            return False
    return False


def _static(v: object, defs: dict, fn: Function) -> object:
    """The value a callee Var names when the lowering knew it: a global or closure value, or
    an attribute of one (a bound method); None otherwise."""
    d = defs.get(v)
    if d is None or fn.namespace is None:
        return None
    if d.prim in ("global", "free"):
        return fn.namespace.lookup(d.params.get("name", ""))[1]
    if d.prim.startswith("attr.") and d.args:
        base = _static(d.args[0], defs, fn)
        return getattr(base, d.prim[5:], None) if base is not None else None
    return None
