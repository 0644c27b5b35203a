"""The per-call check of the API's fast paths: does a cached transform still apply to a function?

Input: a Python function and the object attributes its transform read. Output: `Guard`, whose
`check()` is True while the in-memory cache key (`srcad.backend.cache.cache_key`) would be the
same: the same code, defaults and closure values (also of the callees: `depstate`), every
callable/module global the key followed still the same object (and every other global read still
not a callable or module), every recorded attribute current, every float64 array global or
closure value of the rank and dtype the transform was built for (`backend/globalranks.py`), and
no `cache_clear` since (user rules defined). The guard holds what it compares, so no id is reused.

`check` is a small function written for the guard's names (one ``get(name) is value`` test per
global, a few hundred nanoseconds in all, issue 11; compiled by `srcad.backend.guardcode`); when
a value differs, the exact rule (`Guard.valid`) runs: a plain number global may be rebound
(generated code reads it live), and the snapshot is then refreshed in place, so the next call is
fast again. For example, a guard of ``def f(x): return np.sum(x)`` checks::

    f.__code__ is code and ... and cache.epoch == epoch and get0('np') is v0[0] and ...
"""

from __future__ import annotations

import inspect
import operator
import weakref
from collections.abc import Callable
from operator import is_
from typing import Any

import numpy as np

from srcad.ad.kinds import constant_kind, holds_inf
from srcad.arrays import is_complex_value, is_other_semantics
from srcad.backend.cache import _CACHE, _closure_values, global_reads
from srcad.backend.depstate import dep_states, deps_current
from srcad.backend.globalranks import rank_of
from srcad.backend.guardcode import check_code, groups_of, ranked_of, shape_of
from srcad.lower.reads import attrs_current

_CONTENTS = operator.attrgetter("cell_contents")
DF64 = np.dtype(np.float64)


class Guard:
    """The identity part of a cache key, checked by `check()` (see the module docstring)."""

    __slots__ = ("pyfunc", "code", "defaults", "kwdefaults", "cells", "values", "groups")
    __slots__ += ("epoch", "attrs", "check", "weak", "deps", "ranked")

    def __init__(
        self, pyfunc: Any, attrs: tuple = (), weak: bool = False, reads: list | None = None
    ) -> None:
        """`weak`: hold `pyfunc` by a weak reference (a guard kept in a table keyed by the
        function, which must not keep it alive); the check fails once it is gone. `reads`:
        `global_reads(pyfunc)` taken when the transform was looked up, in the same call (the
        guard then compares with what the cache key was made of)."""
        self.attrs = attrs  # attributes of objects the transform read (`recording_attrs`)
        self.weak = weak
        self.pyfunc = weakref.ref(pyfunc) if weak else pyfunc
        self.code = pyfunc.__code__
        self.defaults = pyfunc.__defaults__
        self.kwdefaults = pyfunc.__kwdefaults__
        self.cells = pyfunc.__closure__ or ()
        self.values = _closure_values(pyfunc)
        # [globals, names, values (refreshed in place), is a dependency]
        reads = global_reads(pyfunc) if reads is None else reads
        self.groups = groups_of(pyfunc, reads)
        self.deps = dep_states(pyfunc, reads)  # callees' code, defaults, closure values
        # the float64 arrays (globals, cells) whose rank and dtype the transform was built for
        self.ranked = ranked_of(pyfunc, self.groups, self.values)
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
                    if w is not v and is_complex_value(w) != is_complex_value(v):
                        return False  # complex values: another transform (cache.complex_globals)
                    if w is not v and is_other_semantics(w) != is_other_semantics(v):
                        return False  # np.matrix / np.ma: refused (cache.other_globals)
                    if w is not v and constant_kind(w) != constant_kind(v):
                        return False  # an array became a list: another one (cache.global_kinds)
                    if w is not v and holds_inf(w) != holds_inf(v):
                        return False  # the forward mode's inf guards (infvals.inf_globals)
                    if w is not v and rank_of(w) != rank_of(v):
                        return False  # another rank: another transform (globalranks)
                values[:] = now  # only plain values changed: read live by the generated code
        for r in self.ranked:  # ``X.shape = (...)``: the same object, of another rank
            v = self.groups[r[1]][2][r[2]] if r[0] == "g" else self.values[r[1]]
            if rank_of(v) != r[-1]:
                return False
        return (not self.attrs or attrs_current(self.attrs)) and deps_current(self.deps)


def _is_dep(w: Any) -> bool:
    return callable(w) or inspect.ismodule(w)


def _written_check(guard: Guard) -> Callable[[], bool]:
    """`guard.valid`'s common case as one function: True when every compared object is the one
    the guard holds; otherwise whatever `guard.valid()` says."""
    env = check_env(guard)
    exec(check_code(guard_shape(guard)), env)
    return env["check"]


def guard_shape(guard: Guard) -> tuple:
    """The shape of `guard`'s check (`srcad.backend.guardcode.shape_of`)."""
    return shape_of(
        guard.groups, len(guard.cells), bool(guard.attrs), guard.weak, guard.deps, guard.ranked
    )


def check_env(guard: Guard) -> dict[str, Any]:
    """The names the tests of `guard`'s check read (`srcad.backend.guardcode.check_tests`)."""
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
        "deps": guard.deps,
        "deps_current": deps_current,
        "is_": is_,
        "DF64": DF64,
    }
    for i, (g, names, values, _) in enumerate(guard.groups):
        env[f"get{i}"], env[f"v{i}"], env[f"n{i}"] = g.get, values, names
    for i, (cell, value) in enumerate(zip(guard.cells, guard.values)):
        env[f"c{i}"], env[f"w{i}"] = cell, value
    for i, (d, _, ddflt, dkwd, values) in enumerate(guard.deps):  # callees, tested inline
        env[f"d{i}"], env[f"d{i}d"], env[f"d{i}k"] = d, ddflt, dkwd
        for j, (cell, value) in enumerate(zip(d.__closure__ or (), values)):
            env[f"d{i}c{j}"], env[f"d{i}w{j}"] = cell, value
    return env
