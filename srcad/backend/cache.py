"""The transform caches: `Request` -> `Compiled`, built once by `srcad.backend.driver`.

Input: a `Request` (function, mode, wrt, `Spec`). Output: the `Compiled` callables.

- In memory (`_CACHE`, LRU, at most `MAX_ENTRIES`): keyed by the code object, the identities of
  the globals/closure values/defaults and of the callables its global names point at (followed
  into the user functions they name), the mode, `wrt` and the `Spec`. Entries keep the objects
  whose ids are in their key alive, so no id is reused. Thread-safe.
- `Guard`: the identity part of that key as a few `is` checks, for the per-call fast path of the
  API's wrappers (`srcad.api`): a wrapper that saw arguments of the same kinds before calls the
  generated code again after `Guard.valid()`, without recomputing the key.
- On disk (`srcad.backend.disk`): the generated source of transforms that can be rebuilt from
  their text and the module's globals, for the next process.
"""

from __future__ import annotations

import inspect
import logging
import threading
import types
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from srcad.backend import disk
from srcad.backend.driver import Compiled, Request, build
from srcad.lower.values import attrs_current, recording_attrs
from srcad.passes.prepare import global_names, recording

LOG = logging.getLogger("srcad")
MAX_ENTRIES = 512  # transforms kept in memory (least recently used dropped first)


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.data: OrderedDict[tuple, Compiled] = OrderedDict()
        self.hits = 0
        self.misses = 0
        self.epoch = 0  # bumped by cache_clear: every Guard made before is invalid

    def get(self, key: tuple, make: Callable[[], Compiled]) -> Compiled:
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.hits += 1
                self.data.move_to_end(key)
                return hit
            self.misses += 1
            value = make()
            self.data[key] = value
            while len(self.data) > MAX_ENTRIES:
                self.data.popitem(last=False)
            return value

    def drop(self, key: tuple) -> None:
        with self.lock:
            self.data.pop(key, None)


_CACHE = _Cache()


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    size: int


def cache_info() -> CacheInfo:
    """Hits, misses and size of the in-memory transform cache.

    Example:
        >>> import numpy as np, srcad
        >>> def f(x):
        ...     return np.sum(x * x)
        >>> srcad.cache_clear()
        >>> g = srcad.grad(f)(np.ones(2)), srcad.grad(f)(np.zeros(2))
        >>> srcad.cache_info()  # the first call transformed f, the second reused it
        CacheInfo(hits=1, misses=1, size=1)
    """
    with _CACHE.lock:
        return CacheInfo(_CACHE.hits, _CACHE.misses, len(_CACHE.data))


def cache_clear() -> None:
    """Empty the in-memory transform cache (the disk cache: `srcad cache clear`).

    Example:
        >>> import srcad
        >>> srcad.cache_clear()
        >>> srcad.cache_info()
        CacheInfo(hits=0, misses=0, size=0)
    """
    with _CACHE.lock:
        _CACHE.data.clear()
        _CACHE.hits = _CACHE.misses = 0
        _CACHE.epoch += 1


def rules_changed() -> None:
    """A user rule was defined (`srcad.custom`): code built before is rebuilt, and this process
    stops using the disk cache (its entries were built without the process's own rules)."""
    disk.STATE.custom_rules = True
    cache_clear()


def cache_key(request: Request) -> tuple:
    """The key of `request`: what it asks for, and the identity of everything the code reads."""
    pyfunc = request.pyfunc
    return (
        _identity_key(pyfunc),
        _callee_key(pyfunc),
        request.mode,
        request.wrt,
        request.spec,
        request.inner,
    )


def _identity_key(pyfunc: Any) -> tuple:
    cells = tuple(id(v) if v is not _EMPTY else None for v in _closure_values(pyfunc))
    # defaults are read at transform time: rebinding __defaults__ must recompile
    defaults = (id(pyfunc.__defaults__), id(pyfunc.__kwdefaults__))
    return (pyfunc.__code__, id(pyfunc.__globals__), cells, defaults)


def _callee_key(pyfunc: Any) -> tuple:
    """Identities of the callables/modules the function's global names point at right now,
    followed into the user functions they name (their globals decide the transform too)."""
    return tuple((name, id(v)) for name, v in global_deps(pyfunc))


def global_deps(pyfunc: Any, limit: int = 200) -> list[tuple[str, Any]]:
    """(name, object) for every callable/module global read by `pyfunc` and, transitively, by the
    Python functions among them (rebinding any of them must re-transform)."""
    return [(name, v) for _, name, v, dep in global_reads(pyfunc, limit) if dep]


def global_reads(pyfunc: Any, limit: int = 200) -> list[tuple[dict, str, Any, bool]]:
    """(globals dict, name, value, is a dependency) for every global name read by `pyfunc` and,
    transitively, by the Python functions among its dependencies (the callables and modules)."""
    out: list[tuple[dict, str, Any, bool]] = []
    seen: set[int] = set()
    todo = [pyfunc]
    while todo and len(seen) < limit:
        f = todo.pop()
        if id(f) in seen:
            continue
        seen.add(id(f))
        g = f.__globals__
        for name in global_names(f.__code__):
            v = g.get(name)
            dep = v is not None and (callable(v) or inspect.ismodule(v))
            out.append((g, name, v, dep))
            if dep:
                w = getattr(v, "__func__", v)
                if isinstance(w, types.FunctionType) and id(w) not in seen:
                    todo.append(w)
    return out


class Guard:
    """The identity checks of a cache key, done cheaply on every call of the fast path: the same
    code, defaults and closure values, every callable/module global the key followed still the
    same object (and every other global read still not a callable or module), and no
    `cache_clear` since (user rules defined). Holds what it compares, so no id is reused."""

    __slots__ = ("pyfunc", "code", "defaults", "kwdefaults", "cells", "reads", "epoch", "attrs")

    def __init__(self, pyfunc: Any, attrs: tuple = ()) -> None:
        self.attrs = attrs  # attributes of objects the transform read (`recording_attrs`)
        self.pyfunc = pyfunc
        self.code = pyfunc.__code__
        self.defaults = pyfunc.__defaults__
        self.kwdefaults = pyfunc.__kwdefaults__
        self.cells = tuple(zip(pyfunc.__closure__ or (), _closure_values(pyfunc)))
        seen: set[tuple[int, str]] = set()
        reads = []
        for g, n, v, d in global_reads(pyfunc):
            if (id(g), n) not in seen:
                seen.add((id(g), n))
                reads.append((g, n, v, d))
        self.reads = tuple(reads)
        self.epoch = _CACHE.epoch

    def valid(self) -> bool:
        f = self.pyfunc
        if (
            f.__code__ is not self.code
            or f.__defaults__ is not self.defaults
            or f.__kwdefaults__ is not self.kwdefaults
            or self.epoch != _CACHE.epoch
        ):
            return False
        for cell, v in self.cells:
            try:
                if cell.cell_contents is not v:
                    return False
            except ValueError:
                if v is not _EMPTY:
                    return False
        for g, name, v, dep in self.reads:
            w = g.get(name)
            if w is not v and (dep or (w is not None and (callable(w) or inspect.ismodule(w)))):
                return False
        return not self.attrs or attrs_current(self.attrs)


def compile_transform(request: Request) -> Compiled:
    """The compiled code for `request`, from the cache (memory, then disk) or built now."""
    pyfunc = request.pyfunc

    def make() -> Compiled:
        key = disk.key_of(request, global_reads(pyfunc))
        c = disk.load(key, request) if key is not None else None
        if c is None:
            with recording() as used, recording_attrs() as attrs:
                b = build(request)
            c = b.compiled
            assert c is not None
            c.attr_reads = tuple(attrs)  # type: ignore[attr-defined]
            if key is not None and not attrs:  # attributes of objects: not in the disk key
                disk.store(key, request, b, used)
        else:
            LOG.debug("transform %s (%s): disk cache hit", pyfunc.__qualname__, request.mode.value)
        # The key holds ids: keep those objects alive so no new object can reuse an id.
        c.keepalive = (
            pyfunc,
            _closure_values(pyfunc),
            tuple(v for _, v in global_deps(pyfunc)),
            pyfunc.__defaults__,
            pyfunc.__kwdefaults__,
        )
        return c

    key = cache_key(request)
    c = _CACHE.get(key, make)
    if not attrs_current(getattr(c, "attr_reads", ())):  # `mylib.f` / `cfg.act` was rebound
        _CACHE.drop(key)
        c = _CACHE.get(key, make)
    return c


_EMPTY = object()  # an empty closure cell


def _closure_values(pyfunc: Any) -> tuple:
    out = []
    for c in pyfunc.__closure__ or ():
        try:
            out.append(c.cell_contents)
        except ValueError:
            out.append(_EMPTY)
    return tuple(out)
