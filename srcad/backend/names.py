"""Python identifiers for emitted code: per-function locals and per-factory bindings.

Input: the functions of one factory. Output: `FactoryNames` (names read as globals and builtins,
module aliases such as ``np``, names of closure values and non-literal constants bound by the
factory) and `Namer`, which hands out local names in program order: ``x``, ``x_1``, ``x_2`` for
hint ``x`` and ``_t1``, ``_t2`` for temporaries, never one already taken.
"""

from __future__ import annotations

import functools
import importlib
import keyword
import re
import sys
import types
from typing import TYPE_CHECKING, Any

from srcad.rules.checks import UNBOUND
from srcad.ssa.core import Const, Function, Operand

if TYPE_CHECKING:
    from srcad.backend.emitscan import Census

NAME_OPS = frozenset({"global", "free"})  # ops that are only a name, never a statement
_NOT_MODULE = ("method.", "attr.")
_PLAIN = frozenset({int, float, bool, str, type(None)})  # literals, decided without a call


#: Factory parameter names for modules (any other module binds its top-level package by name).
UNBOUND_NAME = "srcad.runtime.UNBOUND"  # (module_of: bind `_srcad` for it)
MODULE_ALIASES = {"numpy": "np", "srcad.runtime": "_srcad"}
#: Builtins the emitter itself writes; locals never take these names.
EMITTER_BUILTINS = ("range", "float", "complex", "slice")


def module_of(prim: str) -> tuple[str, str, list[str]]:
    """``"numpy.linalg.solve"`` -> (module to bind, preferred alias, attribute path)."""
    parts = prim.split(".")
    for k in range(len(parts) - 1, 0, -1):
        mod = ".".join(parts[:k])
        if mod in MODULE_ALIASES:
            return mod, MODULE_ALIASES[mod], parts[k:]
    return parts[0], parts[0], parts[1:]


def is_literal(v: Any) -> bool:
    """Written as Python literal syntax (else bound in the factory)."""
    if v is None or v is Ellipsis or type(v) in (bool, int, float, complex, str, bytes):
        return True
    if type(v) is tuple:
        return all(is_literal(e) for e in v)
    if type(v) is slice:
        return all(is_literal(e) for e in (v.start, v.stop, v.step))
    return False


class FactoryNames:
    """Names shared by the functions of one factory: globals, builtins, modules, bound values.

    `syntax`: prims written as syntax (not called by a bare builtin name); `censuses`: each
    function's `backend/emitscan.walk` (made with `syntax` less `NAME_OPS`, in order).
    """

    def __init__(
        self,
        fns: list[Function],
        fnames: list[str],
        syntax: frozenset[str],
        censuses: list[Census],
    ) -> None:
        self.syntax = syntax
        self.bindings: dict[str, Any] = {}
        self.modules: dict[str, str] = {}
        self.imports: list[str] = []
        self.alias: dict[str, str] = {}  # module path -> factory param
        self.free: dict[tuple[int, str], str] = {}  # (function index, free name) -> param
        self.free_seen: list[tuple[str, Any, str]] = []  # (name, value, param), by identity
        self.consts: list[tuple[Any, str]] = []  # identity-keyed, in first-use order
        self._const_ids: dict[int, str] = {}  # id(value) -> its name (a scan made this quadratic)
        self.defaults: dict[tuple[int, str], str] = {}
        fixed: list[str] = [*EMITTER_BUILTINS, *fnames]
        global_values: dict[str, Any] = {}
        todo: list[tuple[int, str, Any]] = []  # (function, kind, what) to bind, in program order
        for i, fn in enumerate(fns):
            fixed += fn.param_names
            global_values.update(censuses[i].gvals)
            self._scan(i, fn, censuses[i], fixed, todo)
        self.namer = Namer(fixed)  # every fixed name known: now the bound ones are named
        self.fixed = tuple(fixed)
        for i, kind, what in todo:
            if kind == "free":
                value = _lookup(fns[i], what, "closure")
                same = [p for n, v, p in self.free_seen if n == what and v is value]
                self.free[(i, what)] = same[0] if same else self._bind(what, value)
                self.free_seen.append((what, value, self.free[(i, what)]))
            elif kind == "module":
                self._module(what, global_values)
            elif kind == "const" and what is UNBOUND:  # written `_srcad.UNBOUND`
                self._module(UNBOUND_NAME, global_values)
            elif kind == "const":
                self.const_name(what)
            else:
                hint = f"_{fnames[i]}_{what}_default"
                self.defaults[(i, what)] = self._bind(hint, fns[i].defaults[what])

    def _scan(self, i: int, fn: Function, census: Census, fixed: list[str], todo: list) -> None:
        """What the census of `fn` found (`backend/emitscan.walk`: the names it fixes, globals and
        builtins called by their bare name; what the factory binds for it, closure values,
        modules, non-literal constants), then the constants it returns and its defaults, in the
        order they are named."""
        fixed += census.fixed
        todo += census.todo
        for y in fn.body.yields:
            if isinstance(y, Const) and not is_literal(y.value):
                todo.append((i, "const", y.value))
        for p in fn.param_names:
            if p in fn.defaults and not is_literal(fn.defaults[p]):
                todo.append((i, "default", p))

    def _bind(self, hint: str, value: Any) -> str:
        name = self.namer.fresh(hint)
        self.bindings[name] = value
        return name

    def _module(self, prim: str, gvals: dict[str, Any]) -> None:
        mod, pref, attrs = module_of(prim)
        parts = mod.split(".") + attrs[:-1]
        for k in range(len(mod.split(".")) + 1, len(parts) + 1):
            sub = ".".join(parts[:k])
            if sub not in self.imports:
                self.imports.append(sub)
        if mod in self.alias:
            return
        name = pref
        while name in self.namer.taken:
            if name in gvals and gvals[name] is sys.modules.get(mod) is not None:
                break  # the user's global of that name is this very module: share it
            name = "_" + name
        self.namer.take(name)
        self.alias[mod] = name
        self.modules[name] = mod

    def const_name(self, value: Any) -> str:
        n = self._const_ids.get(id(value))  # `consts` holds the values, so their ids stay theirs
        if n is not None:
            return n
        n = self._bind(_const_hint(value), value)
        self.consts.append((value, n))
        self._const_ids[id(value)] = n
        return n


def _const_hint(value: Any) -> str:
    """A user's rule (srcad.custom) is bound under its own name, so generated code shows the call
    (``softplus_bwd(res, g)``); other constants are ``_c``."""
    if isinstance(value, types.FunctionType) and not getattr(value, "__srcad_derivative__", False):
        return sanitize(value.__name__) if value.__name__.isidentifier() else "_c"
    if getattr(value, "__srcad_custom__", False):
        return sanitize(getattr(value, "__name__", "_c"))
    return "_c"


def _lookup(fn: Function, name: str, where: str) -> Any:
    table = getattr(fn.namespace, where, None) or {}
    if where == "closure" and name not in table:
        raise ValueError(f"{fn.name}: free variable {name!r} has no value in the namespace")
    return table.get(name)


_TEMP = re.compile(r"_t\d+")


@functools.lru_cache(maxsize=8192)
def sanitize(hint: str) -> str:
    """A valid identifier from a source-name hint ('' for a temporary)."""
    s = re.sub(r"\W", "_", hint)
    if not s:
        return ""
    if s[0].isdigit():
        s = "_" + s
    if keyword.iskeyword(s) or _TEMP.fullmatch(s):
        s += "_"
    return s


class Namer:
    """Hands out identifiers: ``x``, ``x_1``, ``x_2`` for hint ``x``; ``_t1``... for no hint."""

    def __init__(self, taken: list[str] | tuple[str, ...] = ()) -> None:
        self.taken: set[str] = set(taken)  # membership only
        self.counters: dict[str, int] = {}
        self.temps = 0

    def take(self, name: str) -> str:
        self.taken.add(name)
        return name

    def fresh(self, hint: str) -> str:
        base, taken = sanitize(hint), self.taken  # (`take` inline: a call per local name)
        if not base:
            while True:
                self.temps += 1
                name = f"_t{self.temps}"
                if name not in taken:
                    taken.add(name)
                    return name
        if base not in taken:
            taken.add(base)
            return base
        k = self.counters.get(base, 0)
        while True:
            k += 1
            name = f"{base}_{k}"
            if name not in taken:
                self.counters[base] = k
                taken.add(name)
                return name


RUNTIME = "srcad.runtime."  # the prefix of the runtime helpers' prims


def runtime_defaults(prim: str) -> tuple[int, tuple] | None:
    """(index of the first positional parameter with a default, the defaults) of runtime helper
    `prim`, a plain Python function with no ``*args``; None otherwise."""
    fn = getattr(importlib.import_module("srcad.runtime"), prim[len(RUNTIME) :], None)
    code = getattr(fn, "__code__", None)
    given = getattr(fn, "__defaults__", None)
    if code is None or not given or code.co_flags & 0x04:  # CO_VARARGS
        return None
    return code.co_argcount - len(given), given


def same_default(a: Operand, d: Any) -> bool:
    """Passing constant `a` is passing the default `d` (None, a bool, an int or a str of the same
    type and value: never a float, whose zero has a sign)."""
    if type(a) is not Const:
        return False
    v = a.value
    return v is d if v is None or d is None else type(v) is type(d) in (bool, int, str) and v == d


def written_args(args: list, d: tuple[int, tuple]) -> int:
    """How many of a runtime helper call's positional operands `args` are written: those up to
    the last one not passing its default (``sum_vjp(g, x)``, not ``sum_vjp(g, x, None,
    False)``); `d`: the helper's `runtime_defaults`."""
    n, first, given = len(args), d[0], d[1]
    while n > first and same_default(args[n - 1], given[n - 1 - first]):
        n -= 1
    return n
