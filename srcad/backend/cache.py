"""The transform cache: `Request` -> `Compiled`, built once by `srcad.backend.driver`.

Input: a `Request` (function, mode, wrt, `Spec`). Output: the `Compiled` callables, kept in memory
and keyed by the code object, the identities of the globals/closure values/defaults and of the
callables its global names point at (followed into the user functions they name), the mode, `wrt`
and the `Spec`. Entries keep the objects whose ids are in their key alive, so no id is reused.
Thread-safe.
"""

from __future__ import annotations

import inspect
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from srcad.backend.driver import Compiled, Request, build
from srcad.passes.prepare import global_names


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.data: dict[tuple, Compiled] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple, make: Callable[[], Compiled]) -> Compiled:
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.hits += 1
                return hit
            self.misses += 1
            value = make()
            self.data[key] = value
            return value


_CACHE = _Cache()


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    size: int


def cache_info() -> CacheInfo:
    """Hits, misses and size of the in-memory transform cache."""
    with _CACHE.lock:
        return CacheInfo(_CACHE.hits, _CACHE.misses, len(_CACHE.data))


def cache_clear() -> None:
    with _CACHE.lock:
        _CACHE.data.clear()
        _CACHE.hits = _CACHE.misses = 0


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
    out: list[tuple[str, Any]] = []
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
            if v is not None and (callable(v) or inspect.ismodule(v)):
                out.append((name, v))
                w = getattr(v, "__func__", v)
                if isinstance(w, types.FunctionType) and id(w) not in seen:
                    todo.append(w)
    return out


def compile_transform(request: Request) -> Compiled:
    """The compiled code for `request`, from the cache or built now."""
    pyfunc = request.pyfunc

    def make() -> Compiled:
        c = build(request).compiled
        assert c is not None
        # The key holds ids: keep those objects alive so no new object can reuse an id.
        c.keepalive = (
            pyfunc,
            _closure_values(pyfunc),
            tuple(v for _, v in global_deps(pyfunc)),
            pyfunc.__defaults__,
            pyfunc.__kwdefaults__,
        )
        return c

    return _CACHE.get(cache_key(request), make)


_EMPTY = object()  # an empty closure cell


def _closure_values(pyfunc: Any) -> tuple:
    out = []
    for c in pyfunc.__closure__ or ():
        try:
            out.append(c.cell_contents)
        except ValueError:
            out.append(_EMPTY)
    return tuple(out)
