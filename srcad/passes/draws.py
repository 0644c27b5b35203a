"""Does a function draw random numbers whose values differ from one call to the next?

Input: a Python function. Output: `draw_site`, the first op (with its `Function`, for the
error's location) that may, in it or in the user functions it calls, or None; and
`refuse_column_draws`, the located `SrcadError` of a derivative by columns of such a function.

A Jacobian by columns (`srcad.jacfwd`, `srcad.hessian`: one run of the generated function per
input element) of such a function would differentiate another draw in every column, and advance
the random state once per column instead of once. Draws that give the same values on every run
are not sites: those of a generator the function makes from constant seeds
(``rng = np.random.default_rng(0)``), and NumPy's global ones once the function (at its top
level, before any other draw or call) has called ``np.random.seed(<constant>)``. The walk
follows calls of user functions, of the function behind a srcad derivative or a custom rule (and
its rule functions), of a bound method (its ``self`` known) or a callable object's ``__call__``;
a call of a parameter is decided by the function passed.
"""

from __future__ import annotations

import functools
import inspect
import random
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.errors import DiffError
from srcad.passes.prepare import lowered as _lowered
from srcad.ssa.core import Const, Function, Op, Var, walk_ops

_MAKERS = frozenset({"numpy.random.default_rng", "numpy.random.RandomState",
                     "numpy.random.Generator", "numpy.random.PCG64", "random.Random"})  # fmt: skip
_SEEDS = frozenset({"numpy.random.seed", "random.seed"})
# a generator's draws rewritten for their derivative (rules/random_draws.py): the receiver first
_DRAW_HELPERS = frozenset(f"srcad.runtime.draw_{k}" for k in ("std", "ls", "lh", "exp"))
# nondeterministic library calls (as `vjp_loops._DRAWS`: a checkpointed loop refuses them too)
_PREFIXES = ("numpy.random.", "random.", "time.", "os.", "secrets.", "uuid.")
# clock reads advance no state: a run differs from the next only where the value is used
_CLOCKS = frozenset(f"{n}{ns}" for n in ("perf_counter", "time", "monotonic", "process_time",
                                         "thread_time") for ns in ("", "_ns"))  # fmt: skip
_STATEFUL = (np.random.Generator, np.random.RandomState, random.Random)
# methods of those generators, called on a value the lowering cannot see (an argument)
_METHODS = frozenset(
    n
    for cls in _STATEFUL
    for n in dir(cls)
    if not n.startswith("_") and n not in ("f", "get_state", "getstate", "bit_generator")
)


_WHAT = "this Jacobian/Hessian (srcad.jacfwd, srcad.hessian, a derivative of a derivative)"


def refuse_column_draws(pyfunc: Any, full: list, ncols: int, what: str = _WHAT) -> None:
    """Raise when `what` (``srcad.jacfwd``, ``srcad.hessian``, ...) would run `pyfunc`'s
    generated function `ncols` > 1 times on the arguments `full` and `pyfunc` may draw other
    random numbers each time."""
    if ncols < 2:
        return
    site = _site(pyfunc, full)
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


def may_draw(pyfunc: Any, full: list) -> bool:
    """Is there a `draw_site` for these arguments (False when `pyfunc` cannot be lowered)?"""
    return _site(pyfunc, full) is not None


def _site(pyfunc: Any, full: list) -> tuple[Function, Op] | None:
    try:
        return draw_site(pyfunc, full)
    except Exception:  # noqa: BLE001 - not lowerable here: the transform decided what it refuses
        return None


def draw_site(pyfunc: Any, full: list, lowered: Callable = _lowered) -> tuple[Function, Op] | None:
    """The first op of `pyfunc` (callees followed) that may draw other random numbers on every
    run with the arguments `full`, or None. A generator's method called on a parameter of
    `pyfunc` (``rng.normal(...)``) is one when that argument is a generator (a user object's
    ``normal`` method is not); the sites are cached on the lowered IR."""
    fn = lowered(pyfunc)
    sites = getattr(fn, "_srcad_draw_sites", None)
    if sites is None:
        sites = []
        _visit(fn, lowered, {pyfunc.__code__}, sites, {p: k for k, p in enumerate(fn.params)})
        fn._srcad_draw_sites = sites  # type: ignore[attr-defined]
    for f, op, k in sites:
        if k is None or (0 <= k < len(full) and isinstance(full[k], _STATEFUL)):
            return f, op
        if k < 0 and -k - 1 < len(full) and _argument_draws(full[-k - 1], pyfunc, lowered):
            return f, op  # a call of the function passed as argument -k - 1
    return None


def _argument_draws(value: Any, pyfunc: Any, lowered: Callable) -> bool:
    """May a call of `value`, a function passed as an argument of `pyfunc`, draw?"""
    if _draws(value):
        return True
    for callee, _ in _callees(value):
        if callee.__code__ is pyfunc.__code__:
            continue
        try:
            if draw_site(callee, [], lowered) is not None:
                return True
        except Exception:  # noqa: BLE001 - unreadable: the transform decides
            continue
    return False


def _visit(
    fn: Function, lowered: Callable, seen: set, out: list, params: dict, known: dict | None = None
) -> bool:
    """Append `fn`'s sites to `out` as (function, op, None), or (.., k) for a method of the
    top function's parameter k, (.., -k - 1) for a call of it; True when a site that is one
    whatever the arguments was found (the walk stops there). `params`: the top function's
    parameters (empty in callees); `known`: a bound method's ``self`` (its object)."""
    known = known or {}
    defs = {r: o for o in walk_ops(fn.body) for r in o.results}
    seeded = bool(params) and _seeded_first(fn)
    for op in walk_ops(fn.body):
        p = op.prim
        site = None
        if p in _MAKERS:
            # default_rng(): fresh entropy on every run; one of constant seeds, or a generator
            # made from an object, draws only through its methods (a receiver check finds them)
            if p == "numpy.random.default_rng" and not op.args and not op.kwargs:
                site = fn, op, None
        elif p in _SEEDS:
            continue
        elif p in _DRAW_HELPERS:  # rng.normal(mu, s) as lower/draws_np.py writes it
            recv = op.args[0]
            d = defs.get(recv)
            if isinstance(recv, Const):  # NumPy's global generator (None), or a seed
                if seeded or recv.value is not None:
                    continue
                site = fn, op, None
            elif d is not None and d.prim in _MAKERS and _constant_seed(d):
                continue
            else:
                site = fn, op, params.get(recv)
        elif p.startswith(_PREFIXES):
            if p[5:] in _CLOCKS and p[:5] == "time." and not _reaches_result(fn, op):
                continue  # a timing wrapper's `t0 = time.perf_counter()`: no state, no value
            if not (seeded and p.startswith("numpy.random.")):
                site = fn, op, None
        elif p.startswith("method.") and p[7:] in _METHODS and op.args:
            d = defs.get(op.args[0])
            recv = _static(op.args[0], defs, fn, known)
            if recv is not None and not isinstance(recv, _STATEFUL):
                continue  # a method of a user object known here (``self.noise.normal(..)``)
            if d is not None and d.prim in _MAKERS and _constant_seed(d):
                continue  # a generator of constant seeds: the same draws on every run
            if d is not None and d.prim == "call" and _made_seeded(d, defs, fn):
                continue  # (``random.Random(113)`` lowered as a call of the class)
            site = fn, op, params.get(op.args[0])
        elif p == "call" and op.args:
            value = _static(op.args[0], defs, fn, known)
            if _draws(value):
                if _clock(value) and not _reaches_result(fn, op):
                    continue
                site = fn, op, None
            elif value is None and op.args[0] in params and op.args[0] not in defs:
                site = fn, op, -params[op.args[0]] - 1  # decided by the argument passed
            else:
                for callee, this in _callees(value):
                    if callee.__code__ in seen:
                        continue
                    seen.add(callee.__code__)
                    try:
                        sub = lowered(callee)
                    except Exception:  # noqa: BLE001 - unreadable callee: its own refusal
                        continue
                    own = {sub.params[0]: this} if this is not None and sub.params else {}
                    if _visit(sub, lowered, seen, out, {}, own):
                        return True
        if site is not None:
            out.append(site)
            if site[2] is None:
                return True
    return False


def _reaches_result(fn: Function, source: Op) -> bool:
    """Does a result of `source` flow into what `fn` returns (through any op's operands, the
    values a branch or loop body yields, and so a loop's carried values)?"""
    tainted = set(source.results)
    changed = True
    while changed:
        changed = False
        for op in walk_ops(fn.body):
            operands = [*op.args, *op.kwargs.values(), *(y for b in op.blocks for y in b.yields)]
            if not any(isinstance(a, Var) and a in tainted for a in operands):
                continue
            new = [v for v in (*op.results, *(p for b in op.blocks for p in b.params))]
            new = [v for v in new if v not in tainted]
            if new:
                tainted.update(new)
                changed = True
    return any(isinstance(y, Var) and y in tainted for y in fn.body.yields)


def _clock(value: object) -> bool:
    return (
        getattr(value, "__module__", None) == "time" and getattr(value, "__name__", "") in _CLOCKS
    )


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
            return _constant_seed(op)
        if op.prim.startswith(_PREFIXES) or op.prim in ("call", "for", "while", "if"):
            return False
        if op.prim in _DRAW_HELPERS:
            return False
        if op.prim.startswith("method."):
            return False
    return False


def _constant_seed(op: Op) -> bool:
    """Are `op`'s arguments constant seeds? Not none (``np.random.seed()``) nor None
    (``default_rng(None)``, ``seed(None)``): those take fresh entropy from the OS on every run."""
    return (
        bool(op.args)
        and not op.kwargs
        and all(isinstance(a, Const) and a.value is not None for a in op.args)
    )


_MAKER_OBJECTS = (np.random.default_rng, np.random.RandomState, np.random.Generator,
                  np.random.PCG64, random.Random)  # fmt: skip


def _made_seeded(call: Op, defs: dict, fn: Function) -> bool:
    """Is `call` ``random.Random(<constants>)`` (or NumPy's makers) called by a name the
    lowering resolved: a generator that draws the same numbers on every run?"""
    maker = _static(call.args[0], defs, fn)
    return (
        any(maker is m for m in _MAKER_OBJECTS)
        and len(call.args) > 1
        and not call.kwargs
        and all(isinstance(a, Const) and a.value is not None for a in call.args[1:])
    )


def _static(v: object, defs: dict, fn: Function, known: dict | None = None) -> object:
    """The value a callee Var names when the lowering knew it: a constant (an inner
    ``srcad.grad(g)``), a global or closure value, a bound method's ``self`` (`known`), or an
    attribute of one (a bound method); None otherwise."""
    if isinstance(v, Const):
        return v.value
    if known and v in known:
        return known[v]
    d = defs.get(v)
    if d is None or fn.namespace is None:
        return None
    if d.prim in ("global", "free"):
        return fn.namespace.lookup(d.params.get("name", ""))[1]
    if d.prim.startswith("attr.") and d.args:
        base = _static(d.args[0], defs, fn, known)
        if base is None:
            return None
        try:
            static = inspect.getattr_static(base, d.prim[5:])
        except AttributeError:
            return None
        if isinstance(static, (property, functools.cached_property)):
            return None  # (not run here)
        return getattr(base, d.prim[5:], None)
    return None


def _function_of(value: object) -> types.FunctionType | None:
    """The Python function a call of `value` runs: a srcad derivative's or a custom rule's
    (``__srcad_wrapped__``), a bound method's, a callable object's ``__call__``."""
    for _ in range(8):  # (a derivative of a derivative of ...)
        inner = getattr(value, "__srcad_wrapped__", None) if value is not None else None
        if inner is None or inner is value:
            break
        value = inner
    if isinstance(value, types.MethodType):
        value = value.__func__
    elif value is not None and not isinstance(value, (type, types.FunctionType)):
        value = inspect.getattr_static(type(value), "__call__", None)
    return value if isinstance(value, types.FunctionType) else None


def _callees(value: object) -> list[tuple[types.FunctionType, object]]:
    """The Python functions a call of `value` may run, each with the object bound as its
    ``self`` (or None): the function, and a custom rule's rule functions."""
    out = []
    fun = _function_of(value)
    if fun is not None:
        this = value.__self__ if isinstance(value, types.MethodType) else None
        if this is None and not isinstance(value, types.FunctionType):
            this = value if inspect.getattr_static(type(value), "__call__", None) is fun else None
        out.append((fun, this))
    if getattr(value, "__srcad_custom__", False):
        for rule in (value.fwd, value.bwd, value.jvp_rule):  # type: ignore[attr-defined]
            if isinstance(rule, types.FunctionType):
                out.append((rule, None))
    return out
