"""The abstract domain of the mutation check (passes/alias_flow.py): objects, facts, state.

Input: nothing (definitions). Output: `Facts` (what a transform knows about argument types),
`State` (Var -> objects it may be, object -> objects it may hold, Var -> updates that made it
stale, containers that may hold an object twice) and small helpers. What each primitive does to
objects (makes one that owns its memory, copies a container's elements, returns a number) is a
fact of its record (`srcad.rules.facts`).
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np

from srcad.passes import alias_slots
from srcad.ssa.core import Const, Function, Op, Var

EMPTY: frozenset = frozenset()
MUTATORS = frozenset({"setitem", "list_append"})
SPECIAL, IMMUTABLE, OWNS, ADD_MUL = object(), object(), object(), object()  # `prim_kind`
# the primitives `Flow.transfer` looks at by name (after `MUTATORS` and the immutable ones)
TRANSFER_PRIMS = frozenset(
    {
        "global",
        "free",
        "tuple",
        "list",
        "dict",
        "builtins.dict",
        "getitem",
        "srcad.runtime.concat",
        "srcad.runtime.seq_repeat",
        "add",
        "mul",
        "sum",
        "call",
        "method.get",
        "method.copy",
        "srcad.runtime.entry_copy",
        "srcad.runtime.plain_list",
        "bitor",
        "srcad.runtime.dict_or",
        "srcad.runtime.copy_source",
        "numpy.linalg.svd",
        "numpy.linalg.eigh",
        "numpy.linalg.eig",
        "numpy.linalg.qr",
        "numpy.linalg.slogdet",
        "numpy.linalg.lstsq",
        "srcad.runtime.own_items",
    }
)  # fmt: skip (the last six: passes/alias_tuples.py)
EXTERNAL = frozenset({"p", "pe", "g", "ge", "x"})
LEAF_TYPES = (np.ndarray, np.generic, int, float, complex, bool, str, bytes, type(None))


class Facts:
    """What a transform knows: numbers (`x op= v` rebinds them), 1-D arrays (`x[i]` is a copy),
    parameters that hold no other objects. `optimistic`: assume all three everywhere (a lower
    bound of every transform's hazards, for errors that need no type knowledge). `ndims`:
    parameters known to be float arrays of that rank (with the arrays the function makes, they
    give the float arrays of known rank: ``A[i]`` of a 2-D one is a view, ``A[i][j]`` a number)."""

    def __init__(
        self,
        scalars: set[Var] | None = None,
        one_d: set[Var] | None = None,
        leaf_params: frozenset[int] = frozenset(),
        optimistic: bool = False,
        ndims: dict[Var, int] | None = None,
        top: bool = False,
    ) -> None:
        self.top = top  # the differentiated function itself (its arguments' types known)
        self.box_params: frozenset[int] = frozenset()  # arguments that are lists/dicts (top)
        self.scalars = scalars or set()
        self.one_d = one_d or set()
        self.leaf_params = leaf_params
        self.optimistic = optimistic
        self.ndims = ndims or {}
        self.f64: frozenset[Var] = frozenset()  # float64 array parameters (`cast_copy`)
        self.dicts: frozenset[Var] = frozenset()  # dict parameters (top: `dict_value`)


class State:
    """The abstract state at one point: `env` (Var -> objects), `heap` (object -> objects it may
    hold), `stale`, `dup` (containers that may hold an object twice), `slots` (dicts' entries),
    and the store counts of the objects made here: `stored` (may have been stored into some
    container), `multi` (some concrete object it stands for may have been stored twice:
    ``a.append(x); b.append(x)``). An object in `stored` and not in `multi` sits in at most one
    slot of one container, even when its holders are older objects standing for many
    (`alias_nested._single_path`: ``out[i][j][k] = v`` of nested lists built by a loop)."""

    __slots__ = ("env", "heap", "stale", "dup", "slots", "stored", "multi")

    def __init__(self, env=None, heap=None, stale=None, dup=None, slots=None) -> None:  # noqa: ANN001
        self.env: dict[Var, frozenset] = env if env is not None else {}
        self.heap: dict[tuple, frozenset] = heap if heap is not None else {}
        self.stale: dict[Var, tuple] = stale if stale is not None else {}
        self.dup: set[tuple] = dup if dup is not None else set()  # may hold an object twice
        self.slots: dict = slots if slots is not None else {}  # dicts' entries (alias_slots)
        self.stored: set[tuple] = set()
        self.multi: set[tuple] = set()

    def copy(self) -> State:
        st = State(dict(self.env), dict(self.heap), dict(self.stale), set(self.dup))
        st.slots = dict(self.slots)
        st.stored, st.multi = set(self.stored), set(self.multi)
        return st

    def take(self, o: State) -> None:
        """Become `o` (the state after an ``if`` or a loop)."""
        self.env, self.heap, self.stale, self.dup, self.slots = (
            o.env,
            o.heap,
            o.stale,
            o.dup,
            o.slots,
        )
        self.stored, self.multi = o.stored, o.multi

    def join(self, o: State) -> None:
        # states copied from one another share most entries: only those `o` has and `self`
        # has not, or with another value, are visited (the set difference of the two item
        # views runs in C; an entry with the same value is no change)
        for d, od in ((self.env, o.env), (self.heap, o.heap)):
            for k, v in od.items() - d.items():
                old = d.get(k)
                d[k] = v if old is None else (old | v)
        for k, v in o.stale.items() - self.stale.items():
            old = self.stale.get(k)
            if old is None:
                self.stale[k] = tuple(v)
            else:
                self.stale[k] = old + tuple(m for m in v if m not in old)
        self.dup |= o.dup
        self.stored |= o.stored
        self.multi |= o.multi
        if o.slots:
            alias_slots.join(self.slots, o.slots)

    def same(self, o: State) -> bool:
        return (
            self.env == o.env
            and self.heap == o.heap
            and self.stale == o.stale
            and self.dup == o.dup
            and self.slots == o.slots
            and self.stored == o.stored
            and self.multi == o.multi
        )

    def store(self, objs: frozenset) -> frozenset:
        """`objs` are stored into a container (one more holder each); returns `objs`."""
        for o in objs:
            if o in self.stored or o[0] not in ("n", "o"):
                self.multi.add(o)
            self.stored.add(o)
        return objs


def age(st: State, new: tuple, old: tuple) -> None:
    for d in (st.env, st.heap):
        for k, v in d.items():
            if new in v:
                d[k] = (v - {new}) | {old}
    if new in st.heap:
        st.heap[old] = st.heap.get(old, EMPTY) | st.heap.pop(new)
    for marks in (st.dup, st.stored, st.multi):
        if new in marks:
            marks.discard(new)
            marks.add(old)
    alias_slots.age(st.slots, new, old)


def is_immutable(value: Any, depth: int = 0) -> bool:
    if isinstance(value, (int, float, complex, bool, str, bytes, type(None), np.generic, range)):
        return True
    if isinstance(value, (types.ModuleType, type, types.FunctionType)):
        return not holds_containers(value)
    if isinstance(value, types.BuiltinFunctionType):
        return True
    if isinstance(value, (tuple, frozenset)) and depth < 3:
        return all(is_immutable(v, depth + 1) for v in value)
    return isinstance(value, np.ufunc)


CONTAINERS = (np.ndarray, list, dict, set, bytearray)


def holds_containers(value: Any) -> bool:
    """A class (its own or a base's attributes), module or function (``f.cache = ...``) that
    holds an array or a mutable container: ``P.c`` of ``class P: c = np.array(...)`` is that
    array, which ``s = P.c * 1.0; t = s; s += v`` must not take for a number."""
    if isinstance(value, type):
        spaces = [vars(k) for k in value.__mro__ if k.__module__ != "builtins"]
    else:
        spaces = [vars(value)]
    # (private lists and dicts are the machinery of namedtuple and Enum classes, `_field_defaults`;
    # a library module's public ones are its tables, `np.typecodes`: arrays only there)
    lists = isinstance(value, type)
    return any(
        isinstance(v, CONTAINERS if lists and not k.startswith("_") else np.ndarray)
        for ns in spaces
        for k, v in ns.items()
        if not k.startswith("__")
    )


def maybe_int(a: object) -> bool:
    return not isinstance(a, Const) or type(a.value) in (int, bool)


def lookup_name(fn: Function, kind: str, name: str) -> tuple[bool, Any]:
    ns = fn.namespace
    if ns is None or not name:
        return False, None
    try:
        k, value = ns.lookup(name)
    except Exception:
        return False, None
    return k != "missing", value


def literal_item(lit: Op | None, idx: object) -> object | None:
    """The operand `lit[idx]` reads, for a literal container and a constant index (or None)."""
    if lit is None or not isinstance(idx, Const) or lit.kwargs:
        return None
    k, args = idx.value, lit.args
    if lit.prim == "dict":
        found = None
        for key, val in zip(args[::2], args[1::2]):
            if not isinstance(key, Const):
                return None
            try:
                same = bool(key.value == k)
            except Exception:
                return None
            if same:
                found = val  # `{1: a, True: b}[1]` is b, as in Python
        return found
    if type(k) is int and -len(args) <= k < len(args):
        return args[k]
    return None


NUMBER_OF = frozenset({"float", "int"})  # a Python float/int, whatever the operand is
# immutable by their records (a number, a flag) but a new array of arrays: `m = x > 0` is a
# mask `m[0] = False` changes, seen through `m2 = m` (an object, so "holds no object" means
# an immutable value)
MAY_BE_ARRAY = frozenset(
    {"eq", "ne", "lt", "le", "gt", "ge", "bitand", "bitxor", "lshift", "rshift"}
)


def prim_kind(p: str, rec: Any) -> object:
    """How `Flow.transfer` treats the primitive `p` (record `rec`) on any operands (with no facts
    of numbers, for an op that is no `x op= v`): `IMMUTABLE` (no object), `OWNS` (a new object
    holding nothing), `ADD_MUL` (`Flow.add_mul`: a new object, holding the operands' elements
    when they may be sequences), `SPECIAL` (the operands decide: `transfer` runs)."""
    if p in MUTATORS:
        return SPECIAL
    if p in MAY_BE_ARRAY:
        return OWNS
    if rec.immutable or p in NUMBER_OF:
        return IMMUTABLE
    if p in ("add", "mul") and not rec.copies:
        return ADD_MUL
    if p in TRANSFER_PRIMS or rec.copies or not rec.owns:
        return SPECIAL
    return OWNS
