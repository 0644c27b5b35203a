"""The rule families: each module holds the derivative rules of a family of primitives (NumPy,
`math`, builtins, operators), the `srcad.runtime` helpers that family's generated code calls, and
those helpers' own rules, side by side.

Input: nothing. Output: ``default_registry()``, the `Primitive` record of every primitive (rules
and facts); ``default_tables() -> (jvp_table, vjp_table)``, its two views by mode; the helpers
(re-exported by `srcad.runtime`, see `srcad.rules.helpers`).

Each family module has ``register(jvp, vjp)``; a new module is added to `FAMILIES`, or to
`OPTIONAL` when it imports an optional library: scipy takes 0.5-1.5 s to import, so its families
are imported and registered only once the program has imported the scipy module they cover (a
function calling ``scipy.special.expit`` was defined in a module that imported it), checked on
each `default_registry()` call; `load_all()` registers every one that imports (docs, tests). Every helper
has rules of its own (so that generated code can be differentiated again, ``grad(grad(f))``) or
is declared in `srcad.rules.helpers.NO_RULES` with the reason. Example::

    >>> jvp, vjp = default_tables()
    >>> jvp.get("numpy.sin").terms["x"]
    'dx * np.cos(x)'
"""

from __future__ import annotations

import functools
import importlib
import sys
import threading

from srcad import lazy
from srcad.ad.rules import Primitive, Registry, RuleTable
from srcad.rules import (
    accumulate,
    argcopies,
    argitems,
    builtins,
    checked_products,
    checks,
    condmasks,
    containers,
    counters,
    dictops,
    effects,
    elementwise,
    gathermasks,
    histograms,
    histograms2d,
    indexing,
    infzero,
    iterorder,
    kwchecks,
    linalg,
    linalg_decomp,
    matching,
    math,
    misc,
    numpy_api2,
    numpy_api11,
    numpy_api13,
    numpy_api23,
    numpy_extra,
    numpy_fft,
    numpy_fns,
    numpy_inplace,
    numpy_lib26,
    numpy_more,
    numpy_more2,
    numpy_more3,
    operators,
    pad_kwargs,
    pad_modes,
    pairchecks,
    permutations,
    polyroots,
    polyseries,
    polyseries2d,
    powers,
    products,
    random_draws,
    reduceat_unique,
    reductions,
    shape,
    shape_vjp,
    slices,
    splices,
    statistics,
    trees,
    ufunc_at,
)
from srcad.rules.helpers import HELPERS, NO_RULES, RUNTIME

# the records' own machinery, imported when they are first built: the helpers above (what
# generated code calls, `srcad.runtime`) need none of it (issue 11's first call)
structural = lazy.module("srcad.ad.structural")
facts = lazy.module("srcad.rules.facts")
_resolve = lazy.module("srcad.frontend.resolve")

FAMILIES = (
    operators, builtins, math, elementwise, powers, reductions, statistics, shape, shape_vjp, misc, products,
    linalg, trees, indexing, containers, dictops, linalg_decomp, numpy_extra, numpy_more,
    numpy_more2, numpy_more3, numpy_fft, numpy_inplace, numpy_fns, slices, pad_modes,
    numpy_api2, effects, matching, argcopies, pad_kwargs, numpy_api11, infzero, checks, numpy_api13,
    polyseries, condmasks, ufunc_at, random_draws, numpy_api23, numpy_lib26, splices, polyroots,
    histograms, permutations, reduceat_unique, polyseries2d,
    histograms2d, gathermasks, argitems, kwchecks, pairchecks, iterorder, counters, accumulate,
    checked_products,
)  # fmt: skip


# (family module in srcad.rules, the modules whose import makes the program need it)
OPTIONAL: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("scipy_special", ("scipy.special",)),
    ("scipy_special2", ("scipy.special",)),
    ("scipy_special3", ("scipy.special",)),
    ("scipy_special4", ("scipy.special",)),
    ("scipy_stats", ("scipy.stats", "scipy.signal")),
    ("scipy_linalg", ("scipy.linalg",)),
    ("scipy_linalg2", ("scipy.linalg",)),
    ("scipy_linalg_banded", ("scipy.linalg",)),
    ("scipy_extra24", ("scipy.special", "scipy.linalg", "scipy.spatial", "scipy.integrate")),
    ("scipy_signal24", ("scipy.signal",)),
    ("scipy_ndimage25", ("scipy.ndimage", "scipy.signal")),
    ("scipy_special25", ("scipy.special",)),
    ("scipy_special27", ("scipy.special",)),
    ("scipy_special39", ("scipy.special",)),
    ("scipy_special41", ("scipy.special",)),
)
_pending = list(OPTIONAL)
_lock = threading.Lock()


def _waiting_for(pending: list) -> frozenset[str]:
    """The modules whose import makes one of the `pending` families needed."""
    return frozenset(m for _, mods in pending for m in mods)


# `_waiting_for(_pending)`, kept with it: a program that imported scipy but none of these asks
# `default_registry` hundreds of times per transform, one test in C each
_waiting = _waiting_for(_pending)


def default_registry() -> Registry:
    """The primitive records: the rules of every module in `FAMILIES` and of the structural
    primitives, the facts `srcad.rules.facts` declares, and the `OPTIONAL` families whose
    library the program has imported (built on first use, extended when that changes)."""
    reg = _core()
    if _pending and "scipy" in sys.modules and not sys.modules.keys().isdisjoint(_waiting):
        _load(reg, lambda mods: any(m in sys.modules for m in mods))
    return reg


def load_all() -> Registry:
    """`default_registry` with every `OPTIONAL` family whose library imports (the docs' coverage
    page and the rule tests list them all)."""
    reg = _core()
    _load(reg, lambda mods: True)
    return reg


def _load(reg: Registry, wanted) -> None:
    global _waiting
    with _lock:
        for entry in list(_pending):
            name, mods = entry
            if not wanted(mods):
                continue
            _pending.remove(entry)
            _waiting = _waiting_for(_pending)
            try:
                module = importlib.import_module(f"srcad.rules.{name}")
            except ImportError:  # pragma: no cover - the family's own import guards scipy
                continue
            module.register(reg.table("jvp"), reg.table("vjp"))
            facts.declare_optional(reg, module)
            _helpers(reg)


def _helpers(reg: Registry) -> None:
    for name, fn in HELPERS.items():
        reg.amend(f"{RUNTIME}.{name}", functools.partial(_implement, fn=fn))
    for prim, reason in NO_RULES.items():
        reg.amend(prim, functools.partial(_refuse, reason=reason))


def _implement(rec: Primitive, fn) -> None:
    if rec.impl is None:
        rec.impl = fn


def _refuse(rec: Primitive, reason: str) -> None:
    rec.no_rules = reason


@functools.cache
def _core() -> Registry:
    # the families name a primitive ~4000 times, ~1000 names: each resolved once while they
    # register (no user code runs meanwhile), afresh for anything registered later
    names: dict[str, str] = {}

    def canonical(name: str) -> str:
        got = names.get(name)
        if got is None:
            got = names[name] = _resolve.canonical(name)
        return got

    reg = Registry(canonical, facts.default_facts)
    jvp, vjp = reg.table("jvp"), reg.table("vjp")
    for module in FAMILIES:
        module.register(jvp, vjp)
    structural.register(reg)
    facts.declare(reg)
    _helpers(reg)
    reg.canonical = _resolve.canonical
    return reg


def default_tables() -> tuple[RuleTable, RuleTable]:
    """The (jvp, vjp) rule tables: views of `default_registry`."""
    reg = default_registry()
    return reg.table("jvp"), reg.table("vjp")
