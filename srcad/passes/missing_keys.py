"""Reads of a dict that may insert the key they miss: kept by DCE, a barrier to CSE.

Input: a lowered `Function` before it is optimised (`passes/prepare.py` runs `record` next to
`shadowed_methods.record`). Output: the same function with ``read_may_insert`` set on each
``getitem`` whose container may be a dict that inserts missing keys, and ``read_may_update``
too where it is known to be one.

``d[5]`` on a ``defaultdict`` is not a pure read: Python stores ``d[5] = factory()``, and a
later ``len(d)``, ``d.keys()``, ``5 in d`` or loop over ``d`` sees it. Taken as pure, an unused
read is dropped by DCE, or ``len(d)`` after it is merged with one before it by CSE, and the
result differs from Python's (a wrong value, and a wrong derivative when it scales one).

Which containers: one the function makes by calling ``collections.defaultdict(...)`` (or
another ``dict`` subclass whose ``__missing__`` may store the key), a global/closure value of
such a class (known: ``read_may_update``, the read itself never merged either, as a user
``__missing__`` may answer differently each time); and every container whose type the lowering
cannot know (`_unknown`: an argument, a helper's result, an item of a container, an object's
field, a loop's variable: ``read_may_insert`` only). DCE keeps both (`dce.is_pure`); CSE merges
no op reading the container other than its ``getitem`` across them (`cse.py`); equal reads of
one key may still merge (a key once stored keeps its value). ``collections.Counter`` answers 0
without storing and ``d.get(k)`` never stores: those reads stay pure. Containers the function
builds (literals, ``dict(...)``, NumPy's arrays, arithmetic) are never marked.

Before (``d`` an argument)::          After::
    n = len(d)                         n = len(d)
    %0 = getitem(d, 5)   # unused      %0 = getitem(d, 5) {read_may_insert}
    m = len(d)           # -> n        m = len(d)
"""

from __future__ import annotations

import collections
import types

from srcad.ad.common import diff_error
from srcad.ad.kinds import value_kind
from srcad.passes.shadowed_methods import known_value, may_update
from srcad.ssa.census import ops_of, result_defs, shared_defs
from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops

INSERT = "read_may_insert"


def record(fn: Function, memo: dict | None = None) -> None:
    """Mark the ``getitem`` ops on a dict that may insert (module docstring)."""
    ops = ops_of(fn.body)
    reads = [op for op in ops if op.prim == "getitem" and op.args]
    if not reads:
        return
    defs = shared_defs(ops, memo)  # (`memo`: `passes/prepare.py`'s, for both records)
    anew = None  # (does the function make a dict whose `__missing__` answers anew: `_anew`)
    for op in reads:
        c = op.args[0]
        if type(c) is Const:
            kind = _INSERTS if inserting(type(c.value)) else _PLAIN
        elif type(c) is Var:
            kind = _kind(defs.get(c), fn, defs)
        else:
            continue
        if kind is not _PLAIN:
            op.params[INSERT] = True
        if kind is _UNKNOWN and anew is None:
            anew = any(_anew(o, fn, defs) for o in ops if o.prim == "call")
        if kind is _INSERTS or (kind is _UNKNOWN and anew):
            op.params["read_may_update"] = True


def _anew(op: Op, fn: Function, defs: dict) -> bool:
    """Does `op` make an object of a class whose own ``__missing__`` answers a missing key
    without storing it? Then a read of a container srcad cannot type (``ds = [D()]; ds[0][5]``)
    may be one of its reads, each of which may answer anew: none of them is merged."""
    if op.prim != "call" or not op.args or type(op.args[0]) is not Var:
        return False
    found, cls = known_value(defs.get(op.args[0]), fn, defs)
    return found and isinstance(cls, type) and _answers_anew(cls)


def _answers_anew(cls: type) -> bool:
    """A ``dict`` subclass whose own ``__missing__`` (a user's Python method that assigns no
    item of ``self``) answers a missing key without storing it."""
    missing = getattr(cls, "__missing__", None)
    return (
        inserting(cls)
        and isinstance(missing, types.FunctionType)
        and missing is not collections.Counter.__missing__  # (0, every time)
        and not may_update(missing)
    )


_PLAIN, _INSERTS, _UNKNOWN = "plain", "inserts", "unknown"


def _kind(d: Op | None, fn: Function, defs: dict) -> str:
    """Is the value `d` defines a dict whose reads of missing keys store them (`_INSERTS`),
    never one (`_PLAIN`), or not known before it runs (`_UNKNOWN`)? (Through the new versions
    an update makes: ``d.2 = setitem(d, 0, v)`` is still `d`'s dict.)"""
    for _ in range(1000):
        if d is None or not _updates(d):
            break
        d = defs.get(d.args[0])
    if d is None:  # an argument, a loop's variable or carried value
        return _UNKNOWN
    if d.prim == "call" and d.args and type(d.args[0]) is Var:
        found, callee = known_value(defs.get(d.args[0]), fn, defs)
        if found and isinstance(callee, type):
            return _INSERTS if inserting(callee) else _PLAIN
        return _UNKNOWN
    found, value = known_value(d, fn, defs)
    if found:
        return _INSERTS if inserting(type(value)) else _PLAIN
    return _UNKNOWN if _unknown(d.prim) else _PLAIN


def _unknown(prim: str) -> bool:
    """Can an op of `prim` give back an object it did not make, of any type (an item, a field,
    a call's or a method's result, a join of branches, a copy keeping the type, ``d1 | d2``)?"""
    return prim in _ANY or prim.startswith(("attr.", "method.", "srcad.runtime."))


_ANY = frozenset(
    {"getitem", "call", "global", "free", "getattr", "bitor", "max", "min", "if", "for", "while"}
)


def _updates(d: Op) -> bool:
    """`d` makes a new version of the container it updates (its first operand, of the same
    name): ``setitem``, ``delitem``, an in-place method's."""
    if not d.args or type(d.args[0]) is not Var or len(d.results) != 1:
        return False
    return d.prim in ("setitem", "delitem") or (
        bool(d.results[0].hint)
        and d.results[0].hint == d.args[0].hint
        and d.prim not in _READS
        and not d.prim.startswith("attr.")
    )


_READS = frozenset({"getitem", "getattr", "call", "method.get", "method.__getitem__"})  # `x = x[0]`


def inserting(cls: type) -> bool:
    """A ``dict`` subclass whose ``__missing__`` may store the key (``defaultdict``'s does, a
    user's may; ``Counter``'s only answers 0)."""
    if not (isinstance(cls, type) and issubclass(cls, dict)):
        return False
    missing = getattr(cls, "__missing__", None)
    return missing is not None and missing is not collections.Counter.__missing__


def refuse(fn: Function, classes: dict[int, type]) -> None:
    """Refuse a read of an argument whose class's own ``__missing__`` answers a missing key
    without storing it (a user's Python method that assigns no item of ``self``): the reads
    `record` could not see as such were merged, and each of Python's may answer anew (a
    counter, a random draw). One that stores the key answers later reads from the dict."""
    params = {p: k for k, p in enumerate(fn.params)}
    for op in ops_of(fn.body):
        if op.prim != "getitem" or not op.params or INSERT not in op.params:
            continue
        cls = classes.get(params.get(op.args[0], -1))
        if cls is not None and _answers_anew(cls):
            raise diff_error(
                fn,
                op,
                f"`{cls.__name__}.__missing__` answers a missing key without storing it, and "
                "srcad may read such a key fewer times than Python calls it",
                "store the key in `__missing__` (`self[key] = value`), or pass a plain dict",
            )


# what reads a dict's keys (a key stored by a missing-key read changes the value)
_KEY_READS = frozenset(
    {"len", "in", "not_in", "eq", "ne", "bool", "method.keys", "method.items", "method.values",
     "method.get", "method.copy", "method.pop", "builtins.list", "builtins.tuple",
     "builtins.dict", "builtins.set", "sorted", "iter", "srcad.runtime.entry_copy",
     "srcad.runtime.layout_copy", "srcad.runtime.deep_copy"}
)  # fmt: skip


def refuse_recomputed(
    fn: Function, block: Block, again: str, hint: str, kinds: dict | None = None
) -> None:
    """Refuse an op of `block` (code the reverse sweep runs again: a `srcad.checkpoint_loop`
    body, a `srcad.checkpoint` function) reading the keys of a dict that a read of `fn` may
    insert into (``len(d)`` with ``d[i]``): run again after the forward sweep stored them all,
    it would see the dict as it is at the end, not as it was (``len(d)`` 4 each time).
    `kinds`: parameter -> its argument's kind (`srcad.ad.kinds`: an array, a plain list or
    dict, ...; None: another type, a defaultdict's); containers read out of a parameter of a
    known kind (``x[i]`` of an array) are no such dict."""
    ops = ops_of(fn.body)
    inserted = {
        op.args[0]
        for op in ops
        if op.prim == "getitem" and op.params and INSERT in op.params and type(op.args[0]) is Var
    }
    if inserted and kinds:
        defs = result_defs(ops)
        inserted = {v for v in inserted if kind_of(v, defs, kinds) is None}
    if not inserted:
        return
    for op in walk_ops(block):
        if op.prim in _KEY_READS and any(type(a) is Var and a in inserted for a in op.args):
            raise diff_error(
                fn,
                op,
                f"this reads the keys of a dict that a read of a missing key may add to (a "
                f"defaultdict's `d[k]`), and {again} runs again in the reverse sweep, when the "
                "dict holds every key the forward sweep added",
                f"use `d.get(k, default)` for the reads, or {hint}",
            )


def callee_kinds(fn: Function, params: list, args: list, kinds: dict) -> dict:
    """The kinds of a callee's `params` given `fn`'s operands `args` (`kind_of` of each, a
    constant's own), those known."""
    defs = result_defs(ops_of(fn.body))
    out = {}
    for p, a in zip(params, args):
        k = kind_of(a, defs, kinds) if type(a) is Var else value_kind(a.value) if a else None
        if k is not None:
            out[p] = k
    return out


def kind_of(v: Var, defs: dict, kinds: dict) -> object:
    """The kind (`srcad.ad.kinds`) of `v`, a parameter of a known kind or an item of one (an
    array's items are arrays or numbers, a list's its elements' kind); None: not known."""
    steps = 0
    while v not in kinds:
        d = defs.get(v)
        if d is None or d.prim != "getitem" or type(d.args[0]) is not Var or steps > 8:
            return None
        v, steps = d.args[0], steps + 1
    k = kinds[v]
    for _ in range(steps):
        if isinstance(k, tuple):
            k = k[1]
        elif k not in ("f", "a"):  # (an array's item: an array or a number)
            return None
    return k
