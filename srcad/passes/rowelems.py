"""``A[i][j]`` of a 2-D float array, read or written, as ``A[i, j]``.

Input: a function before a transform, the ranks of its float arrays and its Python ints
(`passes/scalars.scalar_facts`). Output: the function changed in place; whether it changed.

With `i` an int, ``A[i]`` of a 2-D ndarray is a view of row `i`, and ``A[i][j]`` (`j` an int)
the number ``A[i, j]`` (an IndexError alike out of bounds). The lowering reads the row and
writes it back, ``e = A[i]; e2 = setitem(e, j, v); A2 = setitem(A, i, e2)`` (the mutation
check's exact write-back, `passes/alias_nested.writeback`), and the transforms then copied the
row and the whole array for every element written and built a row-sized cotangent for every
element read: Polybench's kernels written as in C (``C[i][j] += alpha * A[i][k] * B[k][j]``)
took a gradient 4 to 50 times slower than with ``C[i, j]``. Here a read
``getitem(getitem(A, i), j)`` becomes ``getitem(A, (i, j))``, and a write-back pair one
``setitem(A, (i, j), v)`` when nothing else reads `e2` (the two ops in one block, `e2` not an
augmented op's). The row read `e` stays for its other readers; left unread, it goes (its index
is read, and raises alike, with the element's).
"""

from __future__ import annotations

from srcad.ssa.census import nested_blocks, ops_of, ops_with
from srcad.ssa.core import Block, Const, Function, Op, Var

_ITEMS = frozenset(("getitem", "setitem"))


def row_elements(fn: Function, ranks: dict | None, ints: set) -> bool:
    """Rewrite the reads and write-backs of the module docstring in `fn`; whether any changed.
    `ranks`: float arrays' ranks (only 2-D ones are taken); `ints`: Vars holding Python ints."""
    if not ranks or 2 not in ranks.values():
        return False
    items = list(ops_with(fn.body, _ITEMS))
    if not any(
        o.prim == "getitem" and ranks.get(o.args[0]) == 2 and _int(o.args[1], ints)
        for o in items
        if len(o.args) == 2
    ):
        return False
    defs: dict[Var, Op] = {}
    for op in items:
        if len(op.results) == 1 and not op.kwargs:
            defs[op.results[0]] = op
    ops = ops_of(fn.body)
    uses: dict[Var, int] = {}
    for op in ops:
        for a in op.operands():
            if type(a) is Var:
                uses[a] = uses.get(a, 0) + 1
        for b in op.blocks:
            for a in b.yields:
                if type(a) is Var:
                    uses[a] = uses.get(a, 0) + 1
    for a in fn.body.yields:
        if type(a) is Var:
            uses[a] = uses.get(a, 0) + 1
    aug = {id(o) for o in (*fn.augmented, *fn.item_augmented)}
    c = _Ctx(ranks, ints, defs, uses, aug)
    if not _block(fn.body, c):
        return False
    unread = {id(d) for d in c.rows if uses.get(d.results[0]) == 0}
    if unread:  # row reads left unread (their index is read with the element's)
        for b in (fn.body, *nested_blocks(fn.body)):
            if any(id(o) in unread for o in b.ops):
                b.ops = [o for o in b.ops if id(o) not in unread]
    return True


class _Ctx:
    def __init__(self, ranks: dict, ints: set, defs: dict, uses: dict, aug: set) -> None:
        self.ranks, self.ints, self.defs, self.uses, self.aug = ranks, ints, defs, uses, aug
        self.rows: list[Op] = []  # the row reads `e = A[i]` some rewritten op read

    def unuse(self, d: Op) -> None:
        e = d.results[0]
        self.uses[e] -= 1
        self.rows.append(d)

    def row(self, e: object) -> Op | None:
        """The ``getitem(A, i)`` defining `e`: `A` 2-D, `i` an int."""
        d = self.defs.get(e) if type(e) is Var else None
        if d is None or d.prim != "getitem" or len(d.args) != 2 or self.ranks.get(d.args[0]) != 2:
            return None
        return d if _int(d.args[1], self.ints) else None


def _int(a: object, ints: set) -> bool:
    if type(a) is Const:
        return type(a.value) is int
    return type(a) is Var and a in ints


def _same(a: object, b: object) -> bool:
    if type(a) is Const and type(b) is Const:
        return type(a.value) is int and type(b.value) is int and a.value == b.value
    return a is b


def _key(i: object, j: object, out: list[Op]) -> object:
    """The index ``(i, j)``: a constant, or a ``tuple`` op appended to `out`."""
    if type(i) is Const and type(j) is Const:
        return Const((i.value, j.value))
    t = Op("tuple", [i, j], results=[Var("")])
    out.append(t)
    return t.results[0]


def _block(block: Block, c: _Ctx) -> bool:
    changed = False
    out: list[Op] = []
    seen: set[int] = set()  # the ops before `op` in this block
    dropped: set[int] = set()
    for op in block.ops:
        for sub in op.blocks:
            changed |= _block(sub, c)
        if op.prim == "getitem" and len(op.args) == 2 and not op.kwargs:
            d = c.row(op.args[0])
            if d is not None and _int(op.args[1], c.ints):
                op.args = [d.args[0], _key(d.args[1], op.args[1], out)]
                c.unuse(d)
                changed = True
        elif op.prim == "setitem" and len(op.args) == 3 and not op.kwargs and op.params == {}:
            a, i, e2 = op.args
            s = c.defs.get(e2) if type(e2) is Var else None
            if (
                s is not None
                and s.prim == "setitem"
                and len(s.args) == 3
                and not s.kwargs
                and not s.params
                and c.ranks.get(a) == 2
                and c.uses.get(e2) == 1
                and id(s) not in c.aug
                and id(s) in seen
            ):
                d = c.row(s.args[0])
                if d is not None and d.args[0] is a and _same(d.args[1], i):
                    if _int(s.args[1], c.ints):
                        op.args = [a, _key(i, s.args[1], out), s.args[2]]
                        dropped.add(id(s))
                        c.unuse(d)
                        changed = True
        out.append(op)
        seen.add(id(op))
    if changed:
        block.ops = [o for o in out if id(o) not in dropped]
    return changed
