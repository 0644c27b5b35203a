"""``A[i][j]`` (``A[i][j][k]``, ...) of a float array, read or written, as ``A[i, j]``.

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

Any depth alike: with `A` of rank 3, ``A[i]`` is a view of plane `i`, ``A[i][j]`` (read as
``A[i, j]``) a view of one row and ``A[i, j][k]`` the number ``A[i, j, k]``; a write
``B[i][j][k] = v`` is two nested write-back pairs, followed down to one ``setitem(B, (i, j, k),
v)``. A view is indexed further only while it has fewer ints than its array's rank (`_Ctx.row`);
an index tuple made here that nothing reads any more is dropped.
"""

from __future__ import annotations

from srcad.ssa.census import nested_blocks, ops_of, ops_with
from srcad.ssa.core import Block, Const, Function, Op, Var

_ITEMS = frozenset(("getitem", "setitem"))


def row_elements(fn: Function, ranks: dict | None, ints: set) -> bool:
    """Rewrite the reads and write-backs of the module docstring in `fn`; whether any changed.
    `ranks`: float arrays' ranks (only 2-D ones are taken); `ints`: Vars holding Python ints."""
    if not ranks or max(ranks.values()) < 2:
        return False
    items = list(ops_with(fn.body, _ITEMS))
    if not any(
        o.prim == "getitem" and ranks.get(o.args[0], 0) >= 2 and _int(o.args[1], ints)
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
    blocks = (fn.body, *nested_blocks(fn.body))
    if unread:  # row reads left unread (their index is read with the element's)
        for b in blocks:
            if any(id(o) in unread for o in b.ops):
                b.ops = [o for o in b.ops if id(o) not in unread]
    read = {a for b in blocks for o in b.ops for a in o.operands()} | {
        a for b in blocks for a in b.yields
    }
    dead = {id(t) for t in c.made if t.results[0] not in read}  # (the index of a view gone)
    if dead:
        for b in blocks:
            if any(id(o) in dead for o in b.ops):
                b.ops = [o for o in b.ops if id(o) not in dead]
    return True


class _Ctx:
    def __init__(self, ranks: dict, ints: set, defs: dict, uses: dict, aug: set) -> None:
        self.ranks, self.ints, self.defs, self.uses, self.aug = ranks, ints, defs, uses, aug
        self.rows: list[Op] = []  # the row reads `e = A[i]` some rewritten op read
        self.keys: dict[Var, list] = {}  # the index tuples made here -> their ints
        self.made: list[Op] = []  # (those ops: dropped at the end when nothing reads them)

    def unuse(self, d: Op) -> None:
        e = d.results[0]
        self.uses[e] -= 1
        self.rows.append(d)

    def parts(self, k: object) -> list | None:
        """The ints of the index `k`: one int, a constant tuple of them, a tuple made here."""
        if _int(k, self.ints):
            return [k]
        if type(k) is Const and type(k.value) is tuple and k.value:
            ok = all(type(v) is int for v in k.value)
            return [Const(v) for v in k.value] if ok else None
        return self.keys.get(k) if type(k) is Var else None

    def row(self, e: object) -> tuple[Op, list] | None:
        """The ``getitem(A, I)`` defining `e` and the ints of `I`: `A` a float array of rank 2 or
        more, `I` fewer ints than its rank (`e` a view of `A`)."""
        d = self.defs.get(e) if type(e) is Var else None
        if d is None or d.prim != "getitem" or len(d.args) != 2:
            return None
        idx = self.parts(d.args[1])
        if idx is None or len(idx) >= self.ranks.get(d.args[0], 0):
            return None
        return d, idx


def _int(a: object, ints: set) -> bool:
    if type(a) is Const:
        return type(a.value) is int
    return type(a) is Var and a in ints


def _same(a: object, b: object) -> bool:
    if type(a) is Const and type(b) is Const:
        return type(a.value) is int and type(b.value) is int and a.value == b.value
    return a is b


def _key(idx: list, out: list[Op], c: _Ctx) -> object:
    """The index tuple of the ints `idx`: a constant, or a ``tuple`` op appended to `out`."""
    if all(type(i) is Const for i in idx):
        return Const(tuple(i.value for i in idx))
    t = Op("tuple", list(idx), results=[Var("")])
    out.append(t)
    c.keys[t.results[0]] = list(idx)
    c.made.append(t)
    return t.results[0]


def _write(op: Op, c: _Ctx, seen: set, dropped: set) -> list | None:
    """For the write-back ``setitem(A, I, e2)`` of ``e2 = setitem(e, k, v)``, ``e = A[I]`` (`e2`
    read by nothing else, set before `op` in its block): the ints ``I + (k,)``, with `op` now
    storing `v` (followed down while `v` is such an update of a deeper view in turn)."""
    a, i, e2 = op.args
    idx = c.parts(i)
    got = None
    while idx is not None and len(idx) < c.ranks.get(a, 0):
        s = c.defs.get(e2) if type(e2) is Var else None
        if (
            s is None
            or s.prim != "setitem"
            or len(s.args) != 3
            or s.kwargs
            or s.params
            or c.uses.get(e2) != 1
            or id(s) in c.aug
            or id(s) not in seen
            or not _int(s.args[1], c.ints)
        ):
            break
        r = c.row(s.args[0])
        if r is None or r[0].args[0] is not a or len(r[1]) != len(idx):
            break
        if not all(_same(x, y) for x, y in zip(r[1], idx)):
            break
        dropped.add(id(s))
        c.unuse(r[0])
        idx, e2 = [*idx, s.args[1]], s.args[2]
        got = idx
    if got is not None:
        op.args = [a, None, e2]
    return got


def _block(block: Block, c: _Ctx) -> bool:
    changed = False
    out: list[Op] = []
    seen: set[int] = set()  # the ops before `op` in this block
    dropped: set[int] = set()
    for op in block.ops:
        for sub in op.blocks:
            changed |= _block(sub, c)
        if op.prim == "getitem" and len(op.args) == 2 and not op.kwargs:
            r = c.row(op.args[0])
            if r is not None and _int(op.args[1], c.ints):
                op.args = [r[0].args[0], _key([*r[1], op.args[1]], out, c)]
                c.unuse(r[0])
                changed = True
        elif op.prim == "setitem" and len(op.args) == 3 and not op.kwargs and op.params == {}:
            idx = _write(op, c, seen, dropped)
            if idx is not None:
                op.args[1] = _key(idx, out, c)
                changed = True
        out.append(op)
        seen.add(id(op))
    if changed:
        block.ops = [o for o in out if id(o) not in dropped]
    return changed
