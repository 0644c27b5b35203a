"""Common-subexpression elimination on structured SSA.

Input: a `Function`. Output: the same function where a pure op that repeats an earlier op with the
same primitive and operands (visible at that point: same block or an enclosing one) is dropped and
its uses read the earlier result. Returns True when it changed something.

Before::                          After::
    %0 = sub(alphas, am)              %0 = sub(alphas, am)
    %1 = sub(alphas, am)              %2 = numpy.exp(%0)
    %2 = numpy.exp(%1)

Which ops may be merged is a fact of each primitive's record (`Primitive.mergeable`): objects
the generated code may update in place (lists, dicts, zero accumulators) are never merged. A
`call` may update its arguments in place (the round trip leaves that to Python): an op reading a
value a call may reach is not merged with one before the call (`z = y * x; h(x); y * x`), nor
an op reading a dict other than its ``getitem`` with one before a read that may insert the key
(``read_may_insert``, `passes/missing_keys.py`: ``len(d)`` after ``d[5]`` of a defaultdict).
Two ops whose results both leave the function stay two objects (`passes/cse_escapes.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat
from typing import Any

from srcad.passes.cse_escapes import Escapes
from srcad.passes.fold import may_update, note_update, reached_by_calls
from srcad.rules import default_registry
from srcad.ssa.census import census, ops_of
from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops


def cse(
    fn: Function,
    targets: tuple[set[Var], bool, list[Op]] | None = None,
    counts: dict[Var, int] | None = None,
) -> bool:
    """`targets`: `update_targets(fn)` when the caller has it; `counts`, when given, gets the
    use counts of the result (`ssa.core.uses`: the reads of the ops kept, after the merge)."""
    subst: dict[Var, Var] = {}
    # values some op updates in place (reverse-mode accumulators) must stay distinct objects
    updated, calls, inserts = targets if targets is not None else update_targets(fn)
    inplace = set(updated)
    passed = _passed_to_calls(fn) if calls else set()  # the arguments of calls: none
    inplace |= passed
    reached = _views_of(fn, passed) if passed else set()
    bars = _barriers(fn, inserts) if inserts else None
    esc = Escapes(fn)
    return _block(fn.body, {}, subst, inplace, reached, {}, esc, counts, True, bars)


def update_targets(fn: Function) -> tuple[set[Var], bool, list[Op]]:
    """(the values some op updates in place: the first operands of ops whose primitive
    `updates`; whether `fn` has a `call` op; its reads that may insert their key: the
    ``getitem`` ops marked ``read_may_insert``)."""
    inplace: set[Var] = set()
    updates: dict[str, bool] = {}  # per primitive, looked up once
    calls = False
    inserts: list[Op] = []
    for op in ops_of(fn.body):  # (the shared walk: `ssa/census.py`)
        if updates.get(op.prim) is not False:  # (else the helper would do nothing)
            calls = note_update(op, updates, inplace) or calls
        if op.params:
            if "receiver_may_update" in op.params:  # (`fold.may_update`)
                calls = True
            if op.prim == "getitem" and "read_may_insert" in op.params:
                inserts.append(op)
    return inplace, calls, inserts


# new objects that hold their operands: a call given the container may update what it holds
_HOLDS = frozenset({"list", "dict"})


def _passed_to_calls(fn: Function) -> set[Var]:
    """Values a called user function may reach: the arguments of `call` ops and the objects they
    hold or view (a helper may update an argument in place, which the mutation check allows when
    the caller never reads it again; merging it with an equal value would make that update seen).
    Conservative: the walk back stops only at ops whose results are new objects."""
    reg = default_registry()
    return reached_by_calls(fn, lambda d: not reg.get(d.prim).new or d.prim in _HOLDS)


def _views_of(fn: Function, vals: set[Var]) -> set[Var]:
    """`vals` and every value that may share memory with one of them (results of ops that do not
    make a new object, from an operand in the set), to a fixpoint: a worklist over each value's
    readers (one walk of the function; re-walking it until nothing changed was quadratic on long
    loops)."""
    reg = default_registry()
    readers: dict[Var, list[Op]] = {}
    for op in walk_ops(fn.body):
        if reg.get(op.prim).new:
            continue
        for a in op.operands():
            if isinstance(a, Var):
                readers.setdefault(a, []).append(op)
    out = set(vals)
    todo = list(vals)
    while todo:
        for op in readers.get(todo.pop(), ()):
            for r in [*op.results, *(p for b in op.blocks for p in b.params)]:
                if r not in out:
                    out.add(r)
                    todo.append(r)
    return out


class _Barriers:
    """`holding`: id of an ``if``/loop holding a read of a dict that may insert its key
    (``read_may_insert``: `passes/missing_keys.py`) -> the containers those reads read (`_block`
    tells such a read itself by its params);
    `watch`: those containers, and the kept values merged ones read as (CSE's keys hold those);
    `readers`: a value of `watch` -> the keys other than ``getitem``'s put in the table reading
    it since it was last forgotten (`_forget_reads` drops those: no scan of the table; some may
    be gone already)."""

    def __init__(self, holding: dict[int, set[Var]], watch: set[Var]) -> None:
        self.holding = holding
        self.watch = watch
        self.readers: dict[Var, list[tuple]] = {}

    def note(self, key: tuple) -> None:
        """`key`, an entry other than ``getitem``'s, was put in the table."""
        readers = self.readers
        for p in self.watch.intersection(key[2]):
            got = readers.get(p)
            if got is None:
                readers[p] = [key]
            else:
                got.append(key)

    def merged(self, v: Var, kept: Var, table: dict) -> None:
        """`v`, a watched container, reads as `kept` from now on: watched, with the entries
        reading it put in the table before."""
        if kept not in self.watch:
            self.watch.add(kept)
            self.readers[kept] = [k for k in table if k[0] != "getitem" and kept in k[2]]


def _barriers(fn: Function, inserts: list[Op]) -> _Barriers | None:
    """The `_Barriers` of `fn`, whose may-insert reads are `inserts` (`update_targets`); None
    when none reads a Var. The ``if``/loop ops holding each read, from the shared walk
    (`ssa/census.py`: the blocks of the structured ops, in order): the block each op is in,
    then that block's op, up to the function's body (no walk of the function's ops)."""
    reads = [op for op in inserts if type(op.args[0]) is Var]
    if not reads:
        return None
    watch = {op.args[0] for op in reads}
    c = census(fn.body)
    holding: dict[int, set[Var]] = {}
    if c.nested:
        where: dict[int, int] = {}  # id of an op in a nested block -> that block's position
        for j, b in enumerate(c.subs):
            where.update(zip(map(id, b.ops), repeat(j)))
        owner = [op for op in c.nested for _ in op.blocks]  # (the op of each block)
        for op in reads:
            v = op.args[0]
            j = where.get(id(op))
            while j is not None:
                o = owner[j]
                got = holding.get(id(o))
                if got is None:
                    holding[id(o)] = {v}
                elif v in got:
                    break  # (and in those holding `o`: added with it)
                else:
                    got.add(v)
                j = where.get(id(o))
    return _Barriers(holding, watch)


def _forget_reads(table: dict, dicts: Iterable, subst: dict[Var, Var], bars: _Barriers) -> None:
    """Drop the entries other than ``getitem`` reading one of `dicts`: a read of a missing key
    may have stored it (``len(d)`` after ``d[5]`` is not ``len(d)`` before; ``d[k]`` is)."""
    readers = bars.readers
    if not readers:
        return
    for v in dicts:
        keys = readers.pop(subst.get(v, v), None)
        if keys:
            for key in keys:
                table.pop(key, None)


def _has_call(op: Op) -> bool:
    return op.prim == "call" or any(
        o.prim == "call" or may_update(o) for b in op.blocks for o in walk_ops(b)
    )


def _forget(table: dict, reached: set[Var], subst: dict[Var, Var]) -> None:
    """Drop the entries that read a value a call may have updated in place."""
    vs = {subst.get(v, v) for v in reached} | reached
    for key in [k for k in table if any(type(p) is Var and p in vs for p in k[2])]:
        del table[key]


# constants whose value is its own key (equal values have equal reprs, and the reverse); floats and
# complex numbers keep their repr (0.0 == -0.0, nan != nan), tuples and slices too
_BY_VALUE = frozenset((int, bool, str, type(None), type(Ellipsis)))
_BY_REPR = frozenset((float, complex))
_KWARGS = ("|",)  # between the positional and the keyword operands


def _part(a: Any, subst: dict[Var, Var]) -> Any:
    """An operand in a key: the Var itself (compared by identity), a constant by value."""
    if type(a) is Var:
        return subst.get(a, a)
    if isinstance(a, Const):
        v = a.value
        t = type(v)
        if t in _BY_VALUE:
            return ("c", t.__name__, v)
        if t in _BY_REPR or isinstance(v, (tuple, slice)):
            return ("c", t.__name__, repr(v))
    return None


def _key(op: Any, subst: dict[Var, Var]) -> tuple | None:
    parts = []
    append = parts.append
    for a in op.args:  # `_part` of each, inline (Const has no subclass: `type(a) is Const`)
        t = type(a)
        if t is Var:  # the common case
            append(subst.get(a, a))
            continue
        if t is not Const:
            return None
        v = a.value
        t = type(v)
        if t in _BY_VALUE:
            append(("c", _NAMES[t], v))
        elif t in _BY_REPR:
            append(("c", _NAMES[t], repr(v)))
        elif isinstance(v, (tuple, slice)):
            append(("c", t.__name__, repr(v)))
        else:
            return None
    if op.kwargs:
        append(_KWARGS)
        for a in op.kwargs.values():
            p = _part(a, subst)
            if p is None:
                return None
            append(p)
    params = op.params
    if params:  # (an unused op that may raise merges with an equal one: passes/raising.py)
        if len(params) == 1:  # (the common case: one flag, no sort)
            for k, v in params.items():
                params = () if k in _FREE else ((k, repr(v)),)
        else:
            params = tuple(sorted((k, repr(v)) for k, v in params.items() if k not in _FREE))
    return (op.prim, tuple(op.kwargs), tuple(parts), params or ())


_NAMES = {t: t.__name__ for t in (int, bool, str, type(None), type(Ellipsis), float, complex)}


# params a merge ignores: "may_raise" (an unused op that may raise merges with an equal one:
# passes/raising.py), "quiet" (ad/maskemit.py: a quiet op merges into an equal loud one before
# it, which reports; a loud one, a primal's, never into a quiet one, under its key's own entry)
_FREE = frozenset(("may_raise", "quiet"))


def _block(
    block: Block,
    table: dict,
    subst: dict[Var, Var],
    inplace: set,
    reached: set[Var],
    merge: dict[str, bool],
    esc: Escapes,
    counts: dict[Var, int] | None = None,
    top: bool = True,
    barriers: _Barriers | None = None,
) -> bool:
    """CSE in `block`, with `table` holding the enclosing blocks' ops; the keys this block adds
    are removed again when it is done (one table and an undo list, not a copy per nested block:
    copies made a long function with many branches quadratic; the function's own block leaves
    them: `top`). `merge`: whether ops of a primitive may be merged, looked up once per
    primitive; `counts` (optional) gets the reads of the ops kept; `esc`: which results must stay
    apart, both leaving the function (`passes/cse_escapes.py`)."""
    reg = default_registry()
    changed = False
    kept = []
    added = []
    counting = counts is not None
    get = counts.get if counting else None
    for op in block.ops:
        args = op.args
        if op.blocks:  # never merged itself
            if subst:  # read the kept results (each read comes after the merge: program order)
                for a in args:
                    if type(a) is Var and a in subst:
                        op.args = [subst.get(x, x) if type(x) is Var else x for x in args]
                        break
                if op.kwargs:
                    _substitute_kwargs(op, subst)
            calls = bool(reached) and _has_call(op)
            if calls:  # a loop's later iterations see what its calls changed
                _forget(table, reached, subst)
            inserts = barriers.holding.get(id(op)) if barriers else None
            if inserts:  # (and the keys its reads stored)
                _forget_reads(table, inserts, subst, barriers)
            outer = esc.loop
            if esc.on and op.prim != "if":  # (a loop's body: its ops run once per round)
                esc.loop = id(op)
            for b in op.blocks:
                changed |= _block(
                    b, table, subst, inplace, reached, merge, esc, counts, False, barriers
                )
            esc.loop = outer
            if calls:
                _forget(table, reached, subst)
            if inserts:
                _forget_reads(table, inserts, subst, barriers)
            kept.append(op)
            if counting:
                _count(op, counts)
            continue
        # one pass over the positional operands: whether a merged one is read (each read comes
        # after the merge: program order), whether all are Vars (the common key, below), and
        # their reads counted as the kept results' (undone when the op is merged: `_uncount`)
        plain = True
        hit = False
        if counting:
            for a in args:
                if type(a) is Var:
                    if a in subst:
                        hit = True
                        a = subst[a]
                    counts[a] = get(a, 0) + 1
                else:
                    plain = False
        else:
            for a in args:
                if type(a) is Var:
                    if a in subst:
                        hit = True
                else:
                    plain = False
        if hit:
            op.args = args = [subst.get(x, x) if type(x) is Var else x for x in args]
        kwargs = op.kwargs
        if kwargs and subst:
            _substitute_kwargs(op, subst)
            kwargs = op.kwargs
        prim = op.prim
        if reached and (prim == "call" or may_update(op)):
            _forget(table, reached, subst)
        params = op.params
        if params and barriers and "read_may_insert" in params and type(args[0]) is Var:
            _forget_reads(table, args[:1], subst, barriers)  # (a barrier: `_barriers`)
        ok = merge.get(prim)
        if ok is None:
            ok = merge[prim] = not prim.startswith("method.") and reg.get(prim).mergeable
        rs = op.results
        if ok and len(rs) == 1 and rs[0] not in inplace and "read_may_update" not in params:
            if kwargs or not plain or (params and (len(params) > 1 or "quiet" not in params)):
                key = _key(op, subst)
            else:  # `_key` of the common case (Var operands, merged ones read as their kept
                # op's: read above), inline
                key = (prim, (), tuple(args), ())
            if key is not None:
                r = rs[0]
                prev = table.get(key)
                if "quiet" in params:  # (a loud op never merges into a quiet one: `_FREE`;
                    key = (*key, "quiet", params["quiet"])  # a quiet one into one as quiet)
                    prev = prev or table.get(key)
                if prev is not None and not esc.keeps_apart(op, r, prev):
                    subst[r] = prev
                    if barriers and r in barriers.watch:
                        barriers.merged(r, prev, table)
                    changed = True
                    if counting:
                        _uncount(args, counts)
                    continue
                if prev is not None:  # (kept apart: later equal ops read the first)
                    esc.mark(op)
                    kept.append(op)
                    continue
                table[key] = r
                if esc.loop:  # (`Escapes.keeps_apart`: made in this loop)
                    esc.where[r] = esc.loop
                if not top:
                    added.append(key)
                if barriers and prim != "getitem" and not barriers.watch.isdisjoint(key[2]):
                    barriers.note(key)
        kept.append(op)
        if counting and kwargs:  # (the positional operands' reads: counted above)
            for a in kwargs.values():
                if type(a) is Var:
                    counts[a] = get(a, 0) + 1
    block.ops = kept
    if subst:  # (a loop: a generator per block cost more)
        for y in block.yields:
            if type(y) is Var and y in subst:
                block.yields = [subst.get(y, y) if type(y) is Var else y for y in block.yields]
                break
    if counts is not None:
        for y in block.yields:
            if type(y) is Var:
                counts[y] = counts.get(y, 0) + 1
    for key in added:
        table.pop(key, None)
    return changed


def _count(op: Op, counts: dict[Var, int]) -> None:
    """`op` reads its operands once more each (`ssa.core.uses`)."""
    for a in op.args:
        if type(a) is Var:
            counts[a] = counts.get(a, 0) + 1
    if op.kwargs:
        for a in op.kwargs.values():
            if type(a) is Var:
                counts[a] = counts.get(a, 0) + 1


def _uncount(args: list, counts: dict[Var, int]) -> None:
    """Take back the reads of a merged op's positional operands that `_block` counted (a count
    back to 0 was made by them: the entry goes, as if never counted)."""
    for a in args:
        if type(a) is Var:
            n = counts[a] - 1
            if n:
                counts[a] = n
            else:
                del counts[a]


def _substitute_kwargs(op: Op, subst: dict[Var, Var]) -> None:
    """`op` reads ``subst[v]`` for each merged `v` among its keyword operands (a new dict only
    where one is read; a kept result is never merged itself, so there are no chains)."""
    if any(type(a) is Var and a in subst for a in op.kwargs.values()):
        op.kwargs = {k: subst.get(a, a) if type(a) is Var else a for k, a in op.kwargs.items()}
