"""Callee resolution: Python callables -> primitive names.

Input: a Python object found in a function's namespace (or a dotted name written in a rule table).
Output: the canonical primitive name (``numpy.sin``, ``numpy.linalg.solve``, ``math.exp``, ``abs``),
or None for objects that are not library callables (user functions with source, data, classes).

The canonical name of an object is ``obj.__module__ + "." + obj.__name__`` when that path leads back to the
same object (``np.abs`` -> ``numpy.absolute``), builtins are bare (``len``), and ``operator.add`` is ``add``.
`out_position`: where a NumPy function takes `out` positionally (the lowering refuses such calls).
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import inspect
import sys
import threading
import types
from collections.abc import Iterator
from typing import Any

import numpy

from srcad.ssa.prims import OPERATOR_MODULE

_CONTAINER_CLASSES = frozenset({"list", "tuple", "dict", "slice", "set"})
_PRIVATE_MODULES = {
    "_operator": "operator",
    "_bisect": "bisect",
    "numpy._core.multiarray": "numpy",
    "numpy.random.mtrand": "numpy.random",  # NumPy 2.0 names np.random.normal there
    "scipy.signal._signaltools": "scipy.signal",
}


class _Reads(threading.local):
    """The module and attribute reads of the `prim_name` call running on this thread (the facts
    its answer depends on, re-checked before a cached answer is reused); while a lowering runs
    (`session`), the answers checked in it (id -> (object, name, `out` position))."""

    log: list | None = None
    session: dict | None = None


_reads = _Reads()
# id(obj) -> (obj, its type, __module__, __name__, the reads, the name); obj is held so its id
# stays its own. Only library callables (a name, not None) are kept: few, and alive anyway.
_CACHE: dict[int, tuple] = {}
_CACHE_MAX = 4096
_MISSING = object()


def _module(name: str) -> Any:
    mod = sys.modules.get(name)  # (what import_module returns, without its machinery: the
    if mod is None or _initializing(mod):  # rule tables resolve ~1300 names on first use)
        try:
            mod = importlib.import_module(name)
        except ImportError:
            mod = None
    if _reads.log is not None:
        _reads.log.append((None, name, mod))
    return mod


def _initializing(mod: Any) -> bool:
    """A module still running its body (import_module waits for another thread's import)."""
    return getattr(getattr(mod, "__spec__", None), "_initializing", False)


def _attr(container: Any, attr: str) -> Any:
    value = getattr(container, attr, None)
    if _reads.log is not None:
        _reads.log.append((container, attr, value))
    return value


def _lookup(path: str) -> Any:
    """Import ``a.b.c`` as module ``a.b`` attribute ``c`` (or a deeper module path)."""
    mod_name, _, attr = path.rpartition(".")
    if not mod_name:
        return _attr(builtins, attr)
    mod = _module(mod_name)
    if mod is None:
        parent = _lookup(mod_name)
        return _attr(parent, attr) if parent is not None else None
    return _attr(mod, attr)


def _still(reads: tuple) -> bool:
    """Whether every recorded read gives the same object again (a monkeypatched ``np.sin`` or a
    module imported since does not)."""
    for container, attr, value in reads:
        if container is None:
            now = sys.modules.get(attr)
        elif container is builtins:  # (most reads of it miss, ``builtins.reshape``: a getattr
            # raising and catching an AttributeError each; an attribute of the module type
            # alone, ``__class__``, reads as None here: not the same, a miss, never a false hit)
            now = _BUILTINS.get(attr)
        else:
            now = getattr(container, attr, None)
        if now is not value:
            return False
    return True


_BUILTINS = vars(builtins)


@contextlib.contextmanager
def session() -> Iterator[None]:
    """While the block runs (a lowering: no user code runs in it), an answer of `prim_name` or
    `out_position` checked once is not checked again (nested uses share the outermost one)."""
    if _reads.session is not None:
        yield
        return
    _reads.session = {}
    try:
        yield
    finally:
        _reads.session = None


def type_module(obj: Any) -> str:
    """The module name of `obj`'s type, or "": some types of compiled libraries (NumPy 2.2's on
    Python 3.10) hold a member descriptor in `__module__`, not a string."""
    mod = getattr(type(obj), "__module__", "")
    return mod if isinstance(mod, str) else ""


def prim_name(obj: Any) -> str | None:
    """Canonical primitive name of a library callable, or None. Cached per object: a hit is
    reused only while the object's own names and every module attribute the answer read still
    hold the same objects (cheap getattrs; monkeypatching ``np.sin`` changes the answer),
    checked once per `session`."""
    hit = _CACHE.get(id(obj))
    seen = _reads.session
    if seen is not None and hit is not None and hit[0] is obj:  # (first: such an `obj` is
        mine = seen.get(id(obj))  # never one of the two kinds below, which are never cached)
        if mine is not None and mine[0] is obj and mine[1] is hit:
            return hit[5]
    if isinstance(obj, types.MethodType) or type_module(obj).startswith("scipy.stats."):
        return _prim_name(obj)  # bound methods are new objects each read; distributions read .name
    own = (type(obj), getattr(obj, "__module__", _MISSING), getattr(obj, "__name__", _MISSING))
    if hit is not None and hit[0] is obj and hit[1:4] == own and _still(hit[4]):
        if seen is not None:
            seen[id(obj)] = (obj, hit)
        return hit[5]
    outer, _reads.log = _reads.log, []
    try:
        name = _prim_name(obj)
        reads = tuple(_reads.log)
    finally:
        _reads.log = outer
    if outer is not None:
        outer.extend(reads)
    if name is not None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[id(obj)] = (obj, *own, reads, name)
    return name


def _prim_name(obj: Any) -> str | None:
    if isinstance(obj, types.ModuleType):
        return None
    if type_module(obj).startswith("scipy.stats.") and _distribution(obj):
        return _distribution(obj)  # a singleton: `norm(mu, s)` is a frozen distribution
    if isinstance(obj, types.MethodType) and _distribution(obj.__self__):
        return f"{_distribution(obj.__self__)}.{obj.__name__}"  # scipy.stats.norm.logpdf
    if _attr(builtins, getattr(obj, "__name__", "") or "") is obj and _is_builtin(obj):
        # `list`, `tuple`, `dict`, `slice` are also the names of the IR's container-literal ops.
        return f"builtins.{obj.__name__}" if obj.__name__ in _CONTAINER_CLASSES else obj.__name__
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__name__", None)
    if module is None and isinstance(name, str):
        module = _ufunc_module(obj, name)
    if not isinstance(module, str) or not isinstance(name, str):
        return None
    module = _PRIVATE_MODULES.get(module, module)
    if module == "operator":
        return OPERATOR_MODULE.get(name)
    if module.split(".")[0] not in LIBRARY_ROOTS and module != "srcad.runtime":
        return None
    if _lookup(f"{module}.{name}") is obj:
        return f"{_public(module, name, obj)}.{name}"
    return None


def _public(module: str, name: str, obj: Any) -> str:
    """The shortest public package that exports `obj` under `name` when `module` is a private
    one (``scipy.special._logsumexp`` -> ``scipy.special``): what users write, and what generated
    code should read."""
    parts = module.split(".")
    for k in range(1, len(parts)):
        if parts[k].startswith("_"):
            public = ".".join(parts[:k])
            return public if _lookup(f"{public}.{name}") is obj else module
    return module


def _distribution(obj: Any) -> str | None:
    """``scipy.stats.norm`` for the distribution object ``scipy.stats.norm``, else None."""
    if not type_module(obj).startswith("scipy.stats."):
        return None
    dist = getattr(obj, "name", None) or type(obj).__name__.removesuffix("_gen")
    return f"scipy.stats.{dist}" if _lookup(f"scipy.stats.{dist}") is obj else None


def _ufunc_module(obj: Any, name: str) -> str | None:
    """The module of a ufunc, which has no ``__module__`` before NumPy 2.1 (``numpy``, ``scipy.special``)."""
    if not isinstance(obj, numpy.ufunc):
        return None
    for module in ("numpy", "scipy.special"):
        if _lookup(f"{module}.{name}") is obj:
            return module
    return None


def _is_builtin(obj: Any) -> bool:
    return isinstance(obj, (types.BuiltinFunctionType, type)) and getattr(
        obj, "__module__", "builtins"
    ) in ("builtins", None)


# Top-level packages whose callables are primitives (everything else with source is a user function).
LIBRARY_ROOTS = frozenset({"numpy", "math", "cmath", "scipy", "builtins", "operator", "bisect"})


def canonical(name: str) -> str:
    """Canonical primitive name for a name written in a rule table (``numpy.abs`` -> ``numpy.absolute``).

    Names that are not importable paths (``add``, ``method.sum``, ``attr.T``, ``getitem``) are returned
    unchanged.
    """
    if "." not in name or name.startswith(("method.", "attr.")):
        if "." not in name and hasattr(builtins, name):
            return name
        return name
    obj = _lookup(name)
    if obj is None:
        return name
    return prim_name(obj) or name


# id(callable) -> (callable, what its signature comes from, position of `out`)
_OUT_POSITIONS: dict[int, tuple[Any, tuple, int | None]] = {}


def out_position(obj: Any) -> int | None:
    """The position of a NumPy function's `out` parameter when it may be passed positionally,
    else None. Kept per function object (`inspect.signature` cost more than the rest of a call's
    lowering) with the attributes its signature is read from, checked on each use (once per
    `session`)."""
    hit = _OUT_POSITIONS.get(id(obj))
    seen = _reads.session
    if seen is not None and hit is not None and hit[0] is obj:
        mine = seen.get(("out", id(obj)))
        if mine is not None and mine[0] is obj and mine[1] is hit:
            return hit[2]  # checked in this `session`
    basis = _signature_basis(obj)
    if hit is not None and len(hit[1]) == len(basis) and all(map(_same, hit[1], basis)):
        if seen is not None:
            seen[("out", id(obj))] = (obj, hit)
        return hit[2]
    try:
        params = list(inspect.signature(obj).parameters.values())
    except (TypeError, ValueError):
        return None
    out = None
    for k, p in enumerate(params):
        if p.name == "out":
            out = k if p.kind is p.POSITIONAL_OR_KEYWORD else None
            break
    if len(_OUT_POSITIONS) > 4096:
        _OUT_POSITIONS.clear()
    _OUT_POSITIONS[id(obj)] = (obj, basis, out)
    return out


def _same(a: Any, b: Any) -> bool:
    """The same object, or equal strings (a builtin's `__text_signature__` is made on each read)."""
    return a is b or (type(a) is str and type(b) is str and a == b)


def _signature_basis(obj: Any) -> tuple:
    """What `inspect.signature(obj)` reads: along the `__wrapped__` chain, each object, its code,
    `__signature__`, `__text_signature__` and defaults."""
    out: list = []
    for _ in range(10):
        out += [obj, *(getattr(obj, a, None) for a in _SIGNATURE_ATTRS)]
        obj = getattr(obj, "__wrapped__", None)
        if obj is None:
            break
    return tuple(out)


_SIGNATURE_ATTRS = ("__code__", "__signature__", "__text_signature__", "__defaults__",
                    "__kwdefaults__")  # fmt: skip
