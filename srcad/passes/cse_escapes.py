"""Which values of a function its caller may hold after it returns, for CSE.

Input: a `Function`. Output: `Escapes`, asked by `passes/cse.py` before it merges two equal ops:
the values that may leave the function (returned, stored into a container that may be the
caller's: ``setitem``, ``list_append``, an op with effects), and the values those may view or
hold. Two equal ops that both leave are two objects in Python: ``lst.append(x + x); return
x + x`` gives the caller two arrays, and one array written to through the result would change
``lst[-1]`` if CSE merged them. CSE keeps them apart (each op of a merged group may leave the
function once: the kept value takes the escape of what it absorbed). ``y = x + x; return y,
y`` is one op: one object in Python too.

Before (CSE merging all)::             After (the second kept)::
    %0 = add(x, x)                         %0 = add(x, x)
    lst.2 = list_append(lst.1, %0)         lst.2 = list_append(lst.1, %0)
    return %0                              %1 = add(x, x) [apart=1]
                                           return %1

Numbers, flags, shapes (`Primitive.immutable`) and tuples are merged as before: no one can
write into them (a tuple's items are the same objects either way). The set is made on CSE's
first merge (the walk is paid only by functions merging something), by one walk back from the
roots through the ops whose result may share memory with their operands: tuple, list and dict
displays (a display used as an index, ``z[:, 2 * H:]``, leaves nothing), views (neither `owns`
nor `new`: ``a[0:2]`` of a returned view makes `a` leave), `copies` (``list(a)`` holds rows of
`a`), ``if``/loop joins (their operands and yields), and ``xs + [v]`` / ``[v] * 3`` only into
operands that are containers made here (`_container`: ``a + b`` of arrays holds neither). A slice holds
numbers only. An op in a loop is never merged with one before the loop when it leaves: ``for
..: out.append(x * 2)`` appends a new array every round.

Asked only for a function lowered from the user's source (issue 11: the derivatives, three
times its size, would pay the walk again): an op kept apart there gets the param
``apart=<n>`` (`Escapes.mark`), which the transforms copy with it, so no CSE merges it later.
"""

from __future__ import annotations

from srcad.rules import default_registry
from srcad.ssa.census import ops_of
from srcad.ssa.core import STRUCTURED, Function, Op, Var

# ops storing their operands into a container that may be the caller's (roots)
_STORES = frozenset({"setitem", "list_append"})
# displays: a new container holding its operands (they leave when it does)
_DISPLAYS = frozenset({"tuple", "list", "dict"})
# a new object holding its operands' items when they are containers (``xs + [v]``, ``[v] * 3``):
# followed to operands made by a display or another of these only (``a + b`` of arrays holds
# neither, and most are of arrays)
_JOINS = frozenset({"add", "mul", "iadd", "imul", "srcad.runtime.concat"})
# immutable objects holding numbers (a slice's bounds: ``z[:, 2 * H:]`` leaves no array)
_NUMBERS = frozenset({"slice", "builtins.slice"})


class Escapes:
    """The values of `fn` that may leave it, made when first asked (`keeps_apart`). CSE's walk
    sets `loop` (the id of the innermost loop whose body it is in, 0 outside loops) and notes
    the loop of each value it may merge others into that is made in one (`where`)."""

    __slots__ = ("fn", "out", "loop", "where", "on", "marks")

    def __init__(self, fn: Function) -> None:
        self.fn = fn
        self.out: set[Var] | None = None
        self.loop = 0
        self.where: dict[Var, int] = {}
        # only a function lowered from the user's source (`pyfunc`): the transforms copy its
        # ops with their params, and a kept op's mark (`mark`) keeps them apart there too
        self.on = fn.pyfunc is not None
        self.marks = 0

    def mark(self, op: Op) -> None:
        """`op`, kept apart, gets a param no equal op has (``apart=<n>``, numbered in order):
        no later CSE merges it, in this function or in the derivatives copying its ops."""
        self.marks += 1
        op.params = {**op.params, "apart": self.marks}

    def keeps_apart(self, op: Op, r: Var, prev: Var) -> bool:
        """Whether `r`, the result of `op`, must stay its own object rather than read as `prev`
        (an earlier equal op's result): both may leave the function, or `r` may and is made in
        a loop `prev` is made before (one object for every round), and `op` makes an object
        that could be written to. When merged, `prev` takes `r`'s escape (for the next one)."""
        if not self.on:
            return False
        out = self.out
        if out is None:
            out = self.out = escaping(self.fn)
        if r not in out:
            return False
        if self.loop and self.where.get(prev, 0) != self.loop:
            return _writable(op.prim)
        if prev not in out:
            out.add(prev)
            return False
        return _writable(op.prim)


def _writable(prim: str) -> bool:
    """Whether a result of `prim` may be an object one can write into (an array): not a number,
    flag or shape (`Primitive.immutable`), nor a tuple (whose items are the same objects)."""
    return prim != "tuple" and not default_registry().get(prim).immutable


_KINDS: list = [None, {}]  # (the registry, prim -> `_kind`), per registry


def _kind(prim: str) -> int:
    """1: `prim` stores its operands where the caller may see them (a root: `_STORES`, an op
    with effects); 2: its result may view or hold its operands (a display, a view, a copy of a
    container), or is an ``if``/loop join; 3: `_JOINS`; 4: a container made here holding its
    operands or their items (a display, `copies`: as 2); 0: none of these (its result is new
    and holds nothing, or numbers only)."""
    reg = default_registry()
    if _KINDS[0] is not reg:
        _KINDS[:] = [reg, {}]
    got = _KINDS[1].get(prim)
    if got is None:
        rec = reg.get(prim)
        if prim in STRUCTURED:  # (before the effects: an ``if``'s record has none declared)
            got = 2
        elif prim in _STORES or not rec.pure:
            got = 1
        elif prim in _DISPLAYS or rec.copies:
            got = 4
        elif prim in _JOINS:
            got = 3
        elif prim in _NUMBERS:
            got = 0
        else:
            got = 2 if not rec.owns and not rec.new else 0
        _KINDS[1][prim] = got
    return got


def _container(v: object, defs: dict[Var, Op], kinds: dict[str, int], depth: int = 0) -> bool:
    """`v` is made by a display or a copy of a container (``list(t)``), or by a `_JOINS` op
    one of whose operands is (``xs + [v] + [w]``): a container built here; not an array
    (``a * b + c`` holds nothing)."""
    d = defs.get(v) if type(v) is Var else None
    if d is None or depth > 8:
        return False
    k = kinds[d.prim]
    if k == 4:
        return True
    return k == 3 and any(_container(a, defs, kinds, depth + 1) for a in d.args)


def escaping(fn: Function) -> set[Var]:
    """The values of `fn` that may leave it (module docstring): returned or held by a tuple, a
    list or a dict, or an ``if``/loop join or a view of one of those. Comprehensions over the
    shared walk (`ssa/census.py`) pick the ops of kinds 1 and 2 (`_kind`); the walk back from
    the roots follows those of kind 2."""
    ops = ops_of(fn.body)
    _kind("tuple")  # (the cache of this registry)
    kinds = _KINDS[1]
    try:
        kept = [op for op in ops if kinds[op.prim]]
    except KeyError:  # (a primitive seen first: each asked once)
        for p in {op.prim for op in ops}.difference(kinds):
            _kind(p)
        kept = [op for op in ops if kinds[op.prim]]
    todo: list = list(fn.body.yields)
    defs: dict[Var, Op] = {}
    for op in kept:
        if kinds[op.prim] == 1:
            todo += op.args
            continue
        for r in op.results:
            defs[r] = op
        for b in op.blocks:  # a loop's carried value: one of its initial or yielded values
            for p in b.params:
                defs[p] = op
    out: set[Var] = set()
    while todo:
        v = todo.pop()
        if type(v) is not Var or v in out:
            continue
        out.add(v)
        d = defs.get(v)
        if d is None:
            continue
        if kinds[d.prim] == 3:  # (`_JOINS`: its operands that are containers made here)
            todo += [a for a in d.args if _container(a, defs, kinds)]
            continue
        todo += d.operands()
        for b in d.blocks:  # an `if`/loop result or carry: one of its yields
            todo += b.yields
    return out
