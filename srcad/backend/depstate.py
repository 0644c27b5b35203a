"""What a transform read of the Python functions it inlined besides their globals: their code,
defaults and closure values, which the generated code holds as constants.

Input: the function transformed and its `global_reads` (the callables and modules it and its
callees name). Output: `dep_states`, one ``(function, code, defaults, kwdefaults, cell values)``
per callee that has closure cells or defaults (also the functions held in closure cells, and
theirs); `deps_current` is True while every one still holds the same objects; `dep_key` is their
identity for the in-memory cache key; `uncovered`: the reads a transform recorded that the key
does not compare already. A callee's closure rebound through ``nonlocal`` (a setter
``set_c(10.0)``), or its ``__defaults__`` rebound, then makes a new transform instead of running
code built for the old value (the guard and key of the function itself compared only the
callee's identity). The per-call check (`srcad.backend.guardcode`) tests defaults and cells
inline, not a callee's ``__code__`` (a replaced code object is seen only by a new key)::

    def make():
        c = 2.0
        def helper(x): return c * x * x
        def set_c(v):
            nonlocal c
            c = v
        return helper, set_c
"""

from __future__ import annotations

import types
from operator import is_
from typing import Any

_EMPTY = object()  # an empty cell


def cell_values(f: Any) -> tuple:
    """The contents of `f`'s closure cells (`_EMPTY` for an empty one)."""
    out = []
    for c in f.__closure__ or ():
        try:
            out.append(c.cell_contents)
        except ValueError:
            out.append(_EMPTY)
    return tuple(out)


def _function(v: Any) -> Any:
    f = getattr(v, "__func__", v)  # a bound method's function
    return f if isinstance(f, types.FunctionType) else None


def cell_functions(f: Any) -> list:
    """The Python functions (and methods' functions) held in `f`'s closure cells."""
    return [g for g in map(_function, cell_values(f)) if g is not None]


def dep_states(pyfunc: Any, reads: list) -> tuple:
    """``(function, code, defaults, kwdefaults, cell values)`` per Python function among the
    dependencies in `reads` and those held in closure cells (of `pyfunc` too, followed), for
    those with closure cells or defaults."""
    todo = [_function(v) for _, _, v, dep in reads if dep] + cell_functions(pyfunc)
    seen = {id(pyfunc)}
    out = []
    while todo:
        f = todo.pop()
        if f is None or id(f) in seen:
            continue
        seen.add(id(f))
        values = cell_values(f)
        todo += cell_functions(f)
        if values or f.__defaults__ is not None or f.__kwdefaults__ is not None:
            out.append((f, f.__code__, f.__defaults__, f.__kwdefaults__, values))
    return tuple(out)


def deps_current(states: tuple) -> bool:
    """Every function of `states` still has the code, defaults and closure values recorded."""
    for f, code, dflt, kwd, values in states:
        if f.__code__ is not code or f.__defaults__ is not dflt or f.__kwdefaults__ is not kwd:
            return False
        if values and not all(map(is_, cell_values(f), values)):
            return False
    return True


def dep_key(states: tuple) -> tuple:
    """The identities `states` holds, for a cache key (the caller keeps `states` alive)."""
    return tuple(
        (id(f), id(code), id(d), id(k), tuple(map(id, vs))) for f, code, d, k, vs in states
    )


def uncovered(attrs: tuple, pyfunc: Any, reads: list) -> tuple:
    """The recorded reads `attrs` of a transform (`srcad.lower.reads`) less those its cache key
    already compares: the globals in `reads` (`global_reads(pyfunc)`, the callables/modules by
    identity) and the code and defaults of `pyfunc` and of the functions they name (`dep_states`),
    so a function whose callees are all reached through its globals pays no per-call check for
    the sources the transform read (`reads.function_reads`); each read once."""
    if not attrs:
        return attrs
    keyed = {(id(g), name) for g, name, _, dep in reads if dep}
    funcs = {id(pyfunc)} | {id(_function(v)) for _, _, v, dep in reads if dep}
    funcs |= {id(s[0]) for s in dep_states(pyfunc, reads)}  # closure cells' functions too
    out, seen = [], set()
    for read in attrs:
        obj, name, value = read
        if isinstance(name, str) and name in _FUNCTION_ATTRS and id(obj) in funcs:
            continue
        if type(obj) is dict and (id(obj), getattr(name, "key", None)) in keyed:
            continue
        # (a callee read again and again, a method bound anew each time: checked once)
        once = (id(obj), name, id(getattr(value, "__func__", value)))
        if once not in seen:
            seen.add(once)
            out.append(read)
    return tuple(out)


_FUNCTION_ATTRS = ("__code__", "__defaults__", "__kwdefaults__")
