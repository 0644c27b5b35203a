"""The per-call check of the API's fast paths: does a cached transform still apply to a function?

Input: a Python function and the object attributes its transform read. Output: `Guard`, whose
`check()` is True while the in-memory cache key (`srcad.backend.cache.cache_key`) would be the
same: the same code, defaults and closure values, every callable/module global the key followed
still the same object (and every other global read still not a callable or module), every
recorded attribute current, and no `cache_clear` since (user rules defined). The guard holds what
it compares, so no id is reused.

`check` is a small function written for the guard's names (one ``get(name) is value`` test per
global, a few hundred nanoseconds in all, issue 11); when a value differs, the exact rule
(`Guard.valid`) runs: a plain number global may be rebound (generated code reads it live), and
the snapshot is then refreshed in place, so the next call is fast again. For example, a guard of
``def f(x): return np.sum(x)`` checks::

    f.__code__ is code and ... and cache.epoch == epoch and get0('np') is v0[0] and ...
"""

from __future__ import annotations

import dis
import inspect
import operator
import sys
import types
import weakref
from collections.abc import Callable
from operator import is_
from typing import Any

from srcad.backend.cache import _CACHE, _closure_values, global_reads
from srcad.lower.values import attrs_current

_CONTENTS = operator.attrgetter("cell_contents")
_INLINE = 16  # globals of one dict tested one by one; more: one `all(map(is_, ...))`
_CODES: dict[tuple, Any] = {}  # the check's code per shape (names, cells, attributes)


class Guard:
    """The identity part of a cache key, checked by `check()` (see the module docstring)."""

    __slots__ = ("pyfunc", "code", "defaults", "kwdefaults", "cells", "values", "groups")
    __slots__ += ("epoch", "attrs", "check", "weak")

    def __init__(self, pyfunc: Any, attrs: tuple = (), weak: bool = False) -> None:
        """`weak`: hold `pyfunc` by a weak reference (a guard kept in a table keyed by the
        function, which must not keep it alive); the check fails once it is gone."""
        self.attrs = attrs  # attributes of objects the transform read (`recording_attrs`)
        self.weak = weak
        self.pyfunc = weakref.ref(pyfunc) if weak else pyfunc
        self.code = pyfunc.__code__
        self.defaults = pyfunc.__defaults__
        self.kwdefaults = pyfunc.__kwdefaults__
        self.cells = pyfunc.__closure__ or ()
        self.values = _closure_values(pyfunc)
        groups: dict[int, list] = {}
        reads = global_reads(pyfunc)
        loaded = _loaded_names(pyfunc, reads)
        for g, n, v, d in reads:
            if n not in loaded:  # an attribute's name (`sum` of `np.sum`): not a global read
                continue
            grp = groups.setdefault(id(g), [g, [], [], []])
            if n not in grp[1]:
                grp[1].append(n)
                grp[2].append(v)
                grp[3].append(d)
        # [globals, names, values (refreshed in place), is a dependency]
        self.groups = [[g, tuple(ns), vs, tuple(ds)] for g, ns, vs, ds in groups.values()]
        self.epoch = _CACHE.epoch
        self.check: Callable[[], bool] = _written_check(self)

    def valid(self) -> bool:
        """The exact rule: True when the key is unchanged (refreshing the snapshot of plain
        values that were rebound)."""
        f = self.pyfunc() if self.weak else self.pyfunc
        if (
            f is None
            or f.__code__ is not self.code
            or f.__defaults__ is not self.defaults
            or f.__kwdefaults__ is not self.kwdefaults
            or self.epoch != _CACHE.epoch
        ):
            return False
        if self.cells:
            try:
                if not all(map(is_, map(_CONTENTS, self.cells), self.values)):
                    return False
            except ValueError:  # an empty cell
                if not all(map(is_, _closure_values(f), self.values)):
                    return False
        for g, names, values, deps in self.groups:
            if not all(map(is_, map(g.get, names), values)):
                now = list(map(g.get, names))
                for w, v, dep in zip(now, values, deps):
                    if w is not v and (dep or (w is not None and _is_dep(w))):
                        return False
                values[:] = now  # only plain values changed: read live by the generated code
        return not self.attrs or attrs_current(self.attrs)


def _loaded_names(pyfunc: Any, reads: list) -> set[str]:
    """The names the functions `global_reads` visited load as globals (``co_names`` also holds
    attribute names; a global of such a name is never read, so the guard skips it)."""
    funcs = [pyfunc] + [getattr(v, "__func__", v) for _, _, v, dep in reads if dep]
    names: set[str] = set()
    for f in funcs:
        if isinstance(f, types.FunctionType):
            names |= _code_globals(f.__code__)
    return names


def _code_globals(code: types.CodeType) -> frozenset[str]:
    """The names `code` (and the code nested in it) loads, stores or deletes as globals, read
    off its bytecode (`dis.get_instructions` takes milliseconds on a long function)."""
    hit = _GLOBALS.get(code)
    if hit is None:
        found, names, raw = set(), code.co_names, code.co_code
        for op in _BY_NAME:  # bytes.find: a few hits, not a Python step per instruction
            shift = _GLOBAL_SHIFT if op == _LOAD_GLOBAL else 0
            i = raw.find(op)
            while i >= 0:
                if not i % 2:  # an opcode, not an argument byte
                    a, j = raw[i + 1], i
                    while j >= 2 and raw[j - 2] == _EXTENDED:
                        j -= 2
                        a |= raw[j + 1] << (4 * (i - j))
                    found.add(names[a >> shift])
                i = raw.find(op, i + 1)
        for c in code.co_consts:
            if isinstance(c, types.CodeType):
                found |= _code_globals(c)
        if len(_GLOBALS) >= 1024:
            _GLOBALS.clear()
        hit = _GLOBALS[code] = frozenset(found)
    return hit


_EXTENDED = dis.opmap["EXTENDED_ARG"]
_LOAD_GLOBAL = dis.opmap["LOAD_GLOBAL"]
_GLOBAL_SHIFT = 1 if sys.version_info >= (3, 11) else 0  # 3.11: the low bit is a push-NULL flag
_BY_NAME = tuple(
    dis.opmap[n] for n in ("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL", "DELETE_GLOBAL")
)
_GLOBALS: dict[types.CodeType, frozenset[str]] = {}


def _is_dep(w: Any) -> bool:
    return callable(w) or inspect.ismodule(w)


def _written_check(guard: Guard) -> Callable[[], bool]:
    """`guard.valid`'s common case as one function: True when every compared object is the one
    the guard holds; otherwise whatever `guard.valid()` says."""
    shape = (
        tuple(names if len(names) <= _INLINE else len(names) for _, names, _, _ in guard.groups),
        len(guard.cells),
        bool(guard.attrs),
        guard.weak,
    )
    code = _CODES.get(shape)
    if code is None:
        if len(_CODES) >= 256:
            _CODES.clear()
        code = _CODES[shape] = compile(_check_source(shape), "<srcad guard>", "exec")
    env = {
        "f" if not guard.weak else "fref": guard.pyfunc,
        "code": guard.code,
        "dflt": guard.defaults,
        "kwd": guard.kwdefaults,
        "cache": _CACHE,
        "epoch": guard.epoch,
        "valid": guard.valid,
        "attrs": guard.attrs,
        "attrs_current": attrs_current,
        "is_": is_,
    }
    for i, (g, names, values, _) in enumerate(guard.groups):
        env[f"get{i}"], env[f"v{i}"], env[f"n{i}"] = g.get, values, names
    for i, (cell, value) in enumerate(zip(guard.cells, guard.values)):
        env[f"c{i}"], env[f"w{i}"] = cell, value
    exec(code, env)
    return env["check"]


def _check_source(shape: tuple) -> str:
    """The text of a check for guards of this shape (names per globals dict, or their number
    when there are many; the number of closure cells; whether attributes were read; whether
    the function is held weakly)."""
    groups, ncells, has_attrs, weak = shape
    tests = [
        "f.__code__ is code",
        "f.__defaults__ is dflt",
        "f.__kwdefaults__ is kwd",
        "cache.epoch == epoch",
    ]
    tests += [f"c{i}.cell_contents is w{i}" for i in range(ncells)]
    for i, names in enumerate(groups):
        if isinstance(names, int):
            tests.append(f"all(map(is_, map(get{i}, n{i}), v{i}))")
        else:
            tests += [f"get{i}({n!r}) is v{i}[{j}]" for j, n in enumerate(names)]
    if has_attrs:
        tests.append("attrs_current(attrs)")
    body = "\n            and ".join(tests)
    return (
        "def check():\n"
        + ("    f = fref()\n    if f is None:\n        return False\n" if weak else "")
        + "    try:\n"
        f"        if (\n            {body}\n        ):\n"
        "            return True\n"
        "    except ValueError:  # an empty closure cell\n"
        "        pass\n"
        "    return valid()\n"
    )
