"""The transform cache and the build driver: (function, mode, wrt, options) -> compiled callables.

Input: a Python function, the mode (primal, jvp, vjp, grad), the differentiated positions and the
specialization options (argument types). Output: `Compiled` (entry point, source text, all generated
functions), built once: lowered IR -> transform -> optimize -> emit -> compile, then kept in memory,
keyed by the code object, the identities of the globals/closure values/callees it reads, and the
request. Thread-safe.
"""

from __future__ import annotations

import dataclasses
import inspect
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from srcad.ad.callees import global_names
from srcad.errors import SrcadError


@dataclass
class Compiled:
    fn: Callable
    source: str
    fns: dict[str, Callable]
    keepalive: tuple = ()


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.data: dict[tuple, Compiled] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple, build: Callable[[], Compiled]) -> Compiled:
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.hits += 1
                return hit
            self.misses += 1
            value = build()
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


def _identity_key(pyfunc: Any) -> tuple:
    cells = []
    for c in pyfunc.__closure__ or ():
        try:
            cells.append(id(c.cell_contents))
        except ValueError:
            cells.append(None)
    # defaults are read at transform time: rebinding __defaults__ must recompile
    defaults = (id(pyfunc.__defaults__), id(pyfunc.__kwdefaults__))
    return (pyfunc.__code__, id(pyfunc.__globals__), tuple(cells), defaults)


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


def compile_transform(pyfunc: Any, mode: str, wrt: tuple, options: tuple = ()) -> Compiled:
    key = (_identity_key(pyfunc), _callee_key(pyfunc), mode, wrt, options)

    def build() -> Compiled:
        try:
            c = _build(pyfunc, mode, wrt, options)
        except SrcadError:
            raise
        except RecursionError:
            raise SrcadError(
                f"`{pyfunc.__name__}` is nested or recursive too deeply to transform"
            ) from None
        except Exception as e:  # a bug in srcad: still a refusal, never a wrong derivative
            raise SrcadError(
                f"internal error while transforming `{pyfunc.__qualname__}` ({mode}): "
                f"{type(e).__name__}: {e}",
                hint="this is a bug in srcad; please report it with the function's source",
            ) from e
        # The key holds ids: keep those objects alive so no new object can reuse an id.
        c.keepalive = (
            pyfunc,
            _closure_values(pyfunc),
            _callee_values(pyfunc),
            pyfunc.__defaults__,
            pyfunc.__kwdefaults__,
        )
        return c

    return _CACHE.get(key, build)


def _closure_values(pyfunc: Any) -> tuple:
    out = []
    for c in pyfunc.__closure__ or ():
        try:
            out.append(c.cell_contents)
        except ValueError:
            out.append(None)
    return tuple(out)


def _callee_values(pyfunc: Any) -> tuple:
    return tuple(v for _, v in global_deps(pyfunc))


def _build(pyfunc: Any, mode: str, wrt: tuple, options: tuple) -> Compiled:
    from srcad.ad.callees import lowered
    from srcad.backend.compile import compile_emitted
    from srcad.backend.emit import emit_functions
    from srcad.passes.pipeline import optimize
    from srcad.ssa.clone import clone_function

    fn = lowered(pyfunc)
    if mode == "primal":
        from srcad.ad.base import check_augmented_for

        check_augmented_for(fn, scalars_of(options), ndims_of(options))
        fns, names = [clone_function(fn)], [fn.name]
    elif mode == "jvp":
        from srcad.ad.jvp import JVP, Module
        from srcad.rules import default_tables

        module = Module()
        name = f"jvp_{fn.name}"
        module.names.append(name)
        module.done[("jvp", pyfunc, wrt)] = name
        main = JVP(
            fn,
            wrt,
            default_tables()[0],
            module,
            scalars_of(options),
            classes_of(options),
            ndims_of(options),
            param_seqs=seqs_of(options),
        )
        main = main.run(name)
        fns = [main, *module.functions]
        names = [f.name for f in fns]
    elif mode in ("vjp", "grad"):
        from srcad.ad.vjp import build_vjp

        fns, names = build_vjp(
            fn,
            pyfunc,
            wrt,
            mode,
            scalars_of(options),
            classes_of(options),
            "aux" in options,
            ndims_of(options),
            seqs_of(options),
        )
    else:
        raise ValueError(f"unknown mode {mode!r}")
    from srcad.passes.inplace import inplace

    for f in fns:
        optimize(f)
        inplace(f)  # last: marks updates no one else can observe
    label = f"{mode} {pyfunc.__qualname__}"
    groups = _by_module(fns, names, pyfunc.__globals__)
    if len(groups) == 1:
        em = emit_functions(fns, names)
        table = compile_emitted(em, pyfunc.__globals__, label)
        return Compiled(table[names[0]], em.source, table)
    # Functions from other modules must read their own module's globals: one factory per module,
    # calls across factories go through late-bound stubs.
    registry: dict[str, Callable] = {}
    sources = []
    for g, members in groups:
        gnames = [n for _, n in members]
        em = emit_functions([f for f, _ in members], gnames)
        stubs = {n: _late(registry, n) for n in names if n not in gnames}
        em = dataclasses.replace(em, bindings={**em.bindings, **stubs})
        registry.update(compile_emitted(em, g, label))
        sources.append(em.source)
    return Compiled(registry[names[0]], "\n".join(sources), dict(registry))


def _by_module(fns: list, names: list[str], main: dict) -> list[tuple[dict, list]]:
    """(globals dict, [(function, name)]) groups, the entry point's module first."""
    groups: list[tuple[dict, list]] = [(main, [])]
    for f, n in zip(fns, names):
        g = f.namespace.globals if f.namespace is not None else main
        for gd, members in groups:
            if gd is g:
                members.append((f, n))
                break
        else:
            groups.append((g, [(f, n)]))
    return [(g, m) for g, m in groups if m]


def _late(registry: dict, name: str) -> Callable:
    def call(*args: Any, **kwargs: Any) -> Any:
        return registry[name](*args, **kwargs)

    call.__name__ = name
    return call


def scalars_of(options: tuple) -> tuple[int, ...]:
    for o in options:
        if isinstance(o, tuple) and o and o[0] == "scalars":
            return o[1]
    return ()


def scalar_option(args: list[Any]) -> tuple:
    """Cache-key option naming the arguments that are Python numbers at this call, and the classes
    of arguments that are instances of user classes (their methods are resolved statically), the
    ranks of float64 arrays, and each argument's kind for `srcad.ad.seqs` (lists/tuples and what
    they hold: `+` and `*` concatenate and repeat those)."""
    from srcad.ad.callees import user_class
    from srcad.ad.seqs import value_kind

    scal, classes, ndims, seqs = [], [], [], []
    for k, a in enumerate(args):
        kind = value_kind(a)
        if kind is not None:
            seqs.append((k, kind))
        t = type(a)
        if t is float or t is int:
            scal.append(k)
        elif t is np.ndarray:
            if a.dtype == _F64:
                ndims.append((k, a.ndim))
        elif t not in _PLAIN_TYPES:
            cls = user_class(a)
            if cls is not None:
                classes.append((k, cls))
    return ("scalars", tuple(scal), tuple(classes), tuple(ndims), tuple(seqs))


_F64 = np.dtype(np.float64)
_PLAIN_TYPES = frozenset({list, tuple, dict, bool, str, type(None), complex, np.float64})


def ndims_of(options: tuple) -> dict[int, int]:
    for o in options:
        if isinstance(o, tuple) and o and o[0] == "scalars":
            return dict(o[3])
    return {}


def seqs_of(options: tuple) -> dict[int, Any] | None:
    """Parameter kinds for `srcad.ad.seqs` (lists/tuples, numbers, arrays), None if unknown."""
    for o in options:
        if isinstance(o, tuple) and o and o[0] == "scalars" and len(o) > 4:
            return dict(o[4])
    return None


def classes_of(options: tuple) -> dict[int, type]:
    for o in options:
        if isinstance(o, tuple) and o and o[0] == "scalars":
            return dict(o[2])
    return {}
