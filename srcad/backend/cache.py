"""The transform caches: `Request` -> `Compiled`, built once by `srcad.backend.driver`.

Input: a `Request` (function, mode, wrt, `Spec`). Output: the `Compiled` callables.

- In memory (`_CACHE`, LRU, at most `MAX_ENTRIES`): keyed by the code object, the identities of
  the globals/closure values/defaults and of the callables its global names point at (followed
  into the user functions they name), the mode, `wrt`, the `Spec` and the ranks of the float64
  arrays read as globals or closure values (`Request.ranks`). Entries keep the objects
  whose ids are in their key alive, so no id is reused. Thread-safe.
- The per-call check of that key's identity part, for the API's fast paths, is
  `srcad.backend.guard.Guard`.
- On disk (`srcad.backend.disk`): the generated source of transforms that can be rebuilt from
  their text and the module's globals, for the next process.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import logging
import threading
import types
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from operator import is_
from typing import Any

from srcad import lazy
from srcad.ad.kinds import constant_kind, inf_globals
from srcad.arrays import is_complex_value
from srcad.backend import disk, fnspec
from srcad.backend.depstate import cell_functions, dep_key, dep_states, uncovered
from srcad.backend.globalranks import global_ranks
from srcad.backend.request import (
    Compiled,
    Request,
    other_globals,
    refuse_other_semantics,
    refuse_reread_iterators,
)
from srcad.frontend.functions import global_names
from srcad.lower.reads import attrs_current, recording_attrs

# the transform machinery, imported on the first miss (a disk cache hit never needs it)
_driver = lazy.module("srcad.backend.driver")
_prepare = lazy.module("srcad.passes.prepare")


def build(request: Request, functions: bool = True) -> Any:
    """`srcad.backend.driver.build(request)`: the transform (its `Build`; `functions` False:
    its functions compiled when first read)."""
    return _driver.build(request, functions=functions)


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

    Known gap: replacing a library function after srcad transformed code calling it
    (``np.sin = my_sin``) is not detected, by the caches nor by this: the derivative keeps
    the original function's rule while the primal calls the new one. Do not patch NumPy,
    SciPy or `math` functions in a process that differentiates code calling them.

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


def cache_key(request: Request, slots: tuple[int, ...] = (), reads: list | None = None) -> tuple:
    """The key of `request`: what it asks for, and the identity of everything the code reads
    (of the closure cells at `slots`, which hold floats passed to shared code: only the type;
    `reads`: `global_reads(request.pyfunc)` when already known)."""
    pyfunc = request.pyfunc
    if reads is None:
        reads = global_reads(pyfunc)
    return (
        _identity_key(pyfunc, slots),
        tuple((name, id(v)) for _, name, v, dep in reads if dep),
        dep_key(dep_states(pyfunc, reads)),  # callees' closure values and defaults
        complex_globals(reads),
        other_globals(reads),
        global_kinds(reads),
        inf_globals(reads),
        request.mode,
        request.wrt,
        request.spec,
        request.inner,
        request.ranks,
    )


def _identity_key(pyfunc: Any, slots: tuple[int, ...] = ()) -> tuple:
    cells = tuple(
        "float" if i in slots else id(v) if v is not _EMPTY else None
        for i, v in enumerate(_closure_values(pyfunc))
    )
    # defaults are read at transform time: rebinding __defaults__ must recompile
    defaults = (id(pyfunc.__defaults__), id(pyfunc.__kwdefaults__))
    return (pyfunc.__code__, id(pyfunc.__globals__), cells, defaults)


def global_kinds(reads: list[tuple[dict, str, Any, bool]]) -> tuple[tuple[str, Any], ...]:
    """The plain globals among `reads` with a kind the transforms use (arrays and numbers:
    `srcad.ad.kinds.constant_kind`): one that becomes a list must re-transform."""
    out = []
    for _, name, v, dep in reads:
        if not dep:
            k = constant_kind(v)
            if k is not None:
                out.append((name, k))
    return tuple(out)


def complex_globals(reads: list[tuple[dict, str, Any, bool]]) -> tuple[str, ...]:
    """The plain globals among `reads` holding complex values: the transform refuses ops on them
    that have no complex rule (`srcad.passes.complex_taint`), so a global that becomes complex
    (or real) must re-transform, though the generated code reads its value live."""
    return tuple(name for _, name, v, dep in reads if not dep and is_complex_value(v))


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
        todo += cell_functions(f)  # a function held in a closure cell is inlined too
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


def compile_transform(
    request: Request, reads: list | None = None, functions: bool = True
) -> Compiled:
    """The compiled code for `request`, from the cache (memory, then disk) or built now;
    `reads`: `global_reads(request.pyfunc)` when the caller took it just before. `functions`
    False: the source is wanted, not the functions (they are compiled when first read)."""
    if request.spec.fns:  # function-valued arguments: a wrapper specialised to them
        request, reads = fnspec.specialise(request), None
    pyfunc = request.pyfunc
    slots = _float_slots(pyfunc)
    # the callables/modules the function's global names point at right now, followed into the
    # user functions they name (their globals decide the transform too): in the key, kept alive
    if reads is None:
        reads = global_reads(pyfunc)
    if request.ranks is None:  # the global/closure arrays' ranks: in the key, seeds of the build
        request = dataclasses.replace(request, ranks=global_ranks(pyfunc, reads))

    def make() -> Compiled:
        # (before the disk: its key does not tell)
        refuse_other_semantics(pyfunc, _closure_values(pyfunc), reads)
        if request.spec.iters:  # `grad(f)(x, iter(rows))` with f reading it twice
            refuse_reread_iterators(pyfunc, request.spec.iters)
        keys = None
        if slots:  # closure floats: code shared by every value, when it does not depend on it
            c = _shared_build(request, slots)
            if c is None:
                return _VALUE_DEPENDENT
        else:
            c, keys = disk.lookup(request, reads)
        if c is None:
            with _prepare.recording() as used, recording_attrs() as attrs:
                b = build(request, functions)
            c = b.compiled
            assert c is not None
            c.attr_reads = tuple(attrs)  # type: ignore[attr-defined]
        elif not slots:
            LOG.debug("transform %s (%s): disk cache hit", pyfunc.__qualname__, request.mode.value)
        if keys is not None:  # every function whose source it read, listed with its digest
            used = list(used) + [f for f, n, _ in c.attr_reads if n == "__code__"]
        # what the transform read that the key does not compare: checked on every hit
        c.attr_reads = uncovered(c.attr_reads, pyfunc, reads)  # type: ignore[attr-defined]
        if keys is not None and all(disk.repeatable(a, used) for a in c.attr_reads):
            disk.store(keys, request, b, used, reads, c.attr_reads)  # (others': not)
        # The key holds ids: keep those objects alive so no new object can reuse an id.
        c.keepalive = (
            pyfunc,
            _closure_values(pyfunc),
            tuple(v for _, _, v, dep in reads if dep),
            dep_states(pyfunc, reads),
            pyfunc.__defaults__,
            pyfunc.__kwdefaults__,
        )
        return c

    key = cache_key(request, slots, reads)
    c = _CACHE.get(key, make)
    if c is _VALUE_DEPENDENT:  # the floats' values are baked in: keyed by their identities
        slots = ()
        key = cache_key(request, (), reads)
        c = _CACHE.get(key, make)
    if not attrs_current(getattr(c, "attr_reads", ())):  # `mylib.f` / `cfg.act` was rebound
        _CACHE.drop(key)
        c = _CACHE.get(key, make)
    if slots:
        return _instance(c, pyfunc, slots)
    return c.functions() if functions else c


# -- closures over floats -------------------------------------------------------------------------
# A closure value is a runtime value of the generated code (a `free` op: a factory binding), so
# one transform serves every value of a float cell: built once with a fresh copy of each such
# value in its cell (the bindings holding those very objects are the cells' values), checked
# against a second build with other values (the same text: nothing was folded at transform
# time; otherwise the values stay part of the key), then re-bound per value (`_instance`).

_VALUE_DEPENDENT: Any = object()
_INSTANCES = 16  # value tuples kept per shared transform


def _float_slots(pyfunc: Any) -> tuple[int, ...]:
    """Positions of the closure cells of `pyfunc` holding a Python float."""
    cells = getattr(pyfunc, "__closure__", None)
    if not cells:
        return ()
    # (an infinite one is baked: the transform guards the terms it reaches, `srcad.ad.infvals`)
    vals = _closure_values(pyfunc)
    return tuple(i for i, v in enumerate(vals) if type(v) is float and v - v == 0.0)


def _with_cells(request: Request, slots: tuple[int, ...], values: tuple) -> Any:
    """`build(request)` of a copy of the function whose cells at `slots` hold `values` (the
    user's cells are never touched: another thread may be running the function)."""
    f = request.pyfunc
    cells = list(f.__closure__)
    for i, v in zip(slots, values):
        cells[i] = types.CellType(v)
    g = types.FunctionType(f.__code__, f.__globals__, f.__name__, f.__defaults__, tuple(cells))
    g.__kwdefaults__ = f.__kwdefaults__
    g.__dict__.update(f.__dict__)
    g.__qualname__, g.__module__, g.__doc__ = f.__qualname__, f.__module__, f.__doc__
    with recording_attrs() as attrs:
        b = build(dataclasses.replace(request, pyfunc=g))
    return b, tuple(attrs)


def _shared_build(request: Request, slots: tuple[int, ...]) -> Compiled | None:
    """The transform of `request` for every value of its float cells, or None when the code
    depends on their values (or a build with other values fails)."""
    now = _closure_values(request.pyfunc)
    copies = tuple(now[i] * 1.0 for i in slots)  # new objects: found by identity below
    b, attrs = _with_cells(request, slots, copies)
    c = b.compiled
    assert c is not None
    try:  # other values: 0.5 + x / 3 is never x, and not 0, 1 or 2 for a usual x
        probe, _ = _with_cells(request, slots, tuple(0.5 + v / 3.0 + 0.123 for v in copies))
    except Exception:
        return None
    if probe.compiled is None or probe.compiled.source != c.source:
        return None
    if any(isinstance(v, (tuple, list, dict, set)) for v in _bound_values(c)):
        return None  # a value might hide in a constant container: keep it baked
    c.attr_reads = attrs  # type: ignore[attr-defined]
    c.float_copies = copies  # type: ignore[attr-defined]
    c.instances = {}  # type: ignore[attr-defined]
    return c


def _bound_values(c: Compiled) -> list:
    out = []
    for f in c.fns.values():
        for cell in getattr(f, "__closure__", None) or ():
            try:
                out.append(cell.cell_contents)
            except ValueError:
                pass
    return out


def _instance(c: Compiled, pyfunc: Any, slots: tuple[int, ...]) -> Compiled:
    """`c`, a shared transform, with the current values of `pyfunc`'s float cells bound."""
    now = _closure_values(pyfunc)
    values = tuple(now[i] for i in slots)
    copies = c.float_copies  # type: ignore[attr-defined]
    instances = c.instances  # type: ignore[attr-defined]
    key = tuple(map(id, values))
    with _CACHE.lock:
        hit = instances.get(key)
        if hit is not None and all(map(is_, hit.keepalive[-1], values)):
            return hit
    fns = c.fns
    names = {id(f): n for n, f in fns.items()}
    swap = {id(cp): v for cp, v in zip(copies, values)}
    cells: dict[int, Any] = {}
    for f in fns.values():
        for cell in f.__closure__ or ():
            if id(cell) in cells:
                continue
            try:
                v = cell.cell_contents
            except ValueError:
                cells[id(cell)] = cell
                continue
            if id(v) in swap and any(v is cp for cp in copies):
                cells[id(cell)] = types.CellType(swap[id(v)])
            elif id(v) in names and v is fns[names[id(v)]]:
                cells[id(cell)] = types.CellType()  # another generated function: the new one
            else:
                cells[id(cell)] = cell
    new = {}
    for n, f in fns.items():
        g = types.FunctionType(
            f.__code__,
            f.__globals__,
            f.__name__,
            f.__defaults__,
            tuple(cells[id(cell)] for cell in f.__closure__ or ()),
        )
        g.__kwdefaults__ = f.__kwdefaults__
        g.__qualname__ = f.__qualname__
        new[n] = g
    for f in fns.values():
        for cell in f.__closure__ or ():
            try:
                v = cell.cell_contents
            except ValueError:
                continue
            if id(v) in names and v is fns[names[id(v)]]:
                cells[id(cell)].cell_contents = new[names[id(v)]]
    inst = copy.copy(c)
    inst.fns = new
    inst.fn = new[next(name for name, f in fns.items() if f is c.fn)]
    inst.keepalive = (*c.keepalive, c, values)
    with _CACHE.lock:
        if len(instances) >= _INSTANCES:
            instances.clear()
        instances[key] = inst
    return inst


_EMPTY = object()  # an empty closure cell


def _closure_values(pyfunc: Any) -> tuple:
    out = []
    for c in pyfunc.__closure__ or ():
        try:
            out.append(c.cell_contents)
        except ValueError:
            out.append(_EMPTY)
    return tuple(out)
