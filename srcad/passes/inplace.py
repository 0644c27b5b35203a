"""In-place updates: `x[i] = v` and `lst.append(v)` without a copy where no one can tell.

Input: a `Function` about to be emitted. Output: the same function with ``params["inplace"]``
set on the `setitem`/`list_append` ops that may update their object in place. Returns True when
it marked something.

The IR treats both as new values (`x.1 = setitem(x, i, v)`), which costs a copy of `x` per update
and makes filling an array in a loop quadratic. The copy is unnecessary when the object is
private to the loop that updates it:

    out = np.zeros(n)              # a fresh object, used only as the loop's initial value
    for i in range(n):             # the carry is read only by the update,
        out[i] = f(i)              # whose result is only yielded back into the carry

Nothing else (no other name, no tape of the reverse sweep) can see the intermediate versions.
Reads of single numbers of the carry before the update (``out[i] = out[i - 1] * a + x[i]``, a
float array of known rank and int indices, ``out[i - 1, j]`` in 2-D: `srcad.passes.scalars`)
see the same values either way, so they are allowed too. A loop nest (``for i: for j:
out[i, j] = v``) owns the object the same way: the outer carry only goes into the inner loop
(after such reads) and the inner loop's result straight back into the carry. Outside loops,
``out[0] = v`` updates in place a fresh object that nothing else reads (``out = np.zeros(n)``
used only by the update).
"""

from __future__ import annotations

from srcad.passes.factor_products import factor_products
from srcad.passes.inplace_ops import inplace_ops
from srcad.passes.matmul_into import matmul_into
from srcad.passes.scalars import (
    ScalarFacts,
    element_index,
    float_ranks,
    int_vars,
    scalar_facts,
)
from srcad.passes.slots import single_slots
from srcad.rules import default_registry
from srcad.ssa.census import ops_of, structured_ops
from srcad.ssa.core import Block, Const, Function, Op, Var, uses, walk_ops


def _owned(op: Op, defs: dict[Var, Op] | None = None) -> bool:
    """A new object that code may update in place (``np.array(x, copy=False)`` may be `x`): also
    ``x[i] = v`` emitted as a copy, or updating such an object in place."""
    if op.prim == "setitem" and defs is not None:  # a copy, or an update of a fresh object
        d = defs.get(op.args[0])
        return not op.params.get("inplace") or (d is not None and _owned(d, defs))
    return default_registry().get(op.prim).mutable and "copy" not in op.kwargs


class _Elements:
    """Which reads ``x[i]`` are single numbers: known to the transform that made the function
    (`Function.element_reads`), or from its own ops (computed on first use)."""

    def __init__(self, fn: Function, ndims: dict[int, int] | None = None) -> None:
        self.fn = fn
        self.ndims = ndims or {}
        self.facts: tuple[set[Var], set[Var]] | None = None
        self.ranks: dict[Var, int] | None = None
        self.scal: set[Var] | None = None  # `scalar_vars` of `fn` (no seeds), shared by both
        self.sf: ScalarFacts | None = None  # what computing `scal` found
        self.slice: _Slice | None = None  # the part of `fn` `ranks` holds the facts of
        self.wanted: list[Var] = []  # what `array` will be asked about (`_summed_inits`)
        self.readers: dict = {}  # `_first_reader`'s, per loop body
        self.setitems: dict = {}  # `_first_setitem`'s, per loop body
        self._meta: dict[Var, int] | None = None  # `_meta_reads`, made on first use

    def others(self, v: Var, counts: dict[Var, int]) -> int:
        """`v`'s reads but those of its shape or dtype (`_meta_reads`)."""
        n = counts.get(v, 0)
        if n > 1:  # (a fresh object read once, as a rule: no walk)
            if self._meta is None:
                self._meta = _meta_reads(self.fn)
            n -= self._meta.get(v, 0)
        return n

    def scalars(self) -> set[Var]:
        if self.scal is None:
            self.sf = scalar_facts(self.fn, set())
            self.scal = self.sf.scal
        return self.scal

    def array(self, v: object) -> bool:
        """Is `v` certainly a float array of rank >= 1 (from the parameters' ranks `ndims`)?
        The facts are those of the part of the function `v` depends on (`_Slice`): the
        analyses are forward ones, so they give its values the facts the whole function's
        would, for less (a reverse sweep's accumulator is asked about before that sweep)."""
        if not self.ndims or not isinstance(v, Var):
            return False
        if self.ranks is None or v not in self.ranks and not self.slice.has(v):
            if self.slice is None:
                self.slice = _Slice(self.fn)
            part = self.slice.add([v, *self.wanted])
            seeds = {self.fn.params[k]: n for k, n in self.ndims.items() if n >= 1}
            scal = self.scalars() if part is self.fn else scalar_facts(part, set()).scal
            self.ranks = float_ranks(part, seeds, scal)
        return self.ranks.get(v, 0) >= 1

    def number(self, op: Op) -> bool:
        if op.prim != "getitem" or len(op.args) != 2 or op.kwargs:
            return False
        if op.result in self.fn.element_reads:  # the transform knew the argument types
            return True
        if self.facts is None:
            now = self.scal is None  # then the scalars' facts hold the same IR's ranks and ints
            scal = self.scalars()
            tuples = {o.result: list(o.args) for o in walk_ops(self.fn.body) if o.prim == "tuple"}
            sf = self.sf
            if now and sf.ranks is not None:
                self.facts = (sf.ranks, sf.ints, tuples)
            else:
                self.facts = (float_ranks(self.fn, {}, scal), int_vars(self.fn), tuples)
        ranks, ints, tuples = self.facts
        x, idx = op.args
        # Vars only in the sets: a Const may hold a slice, unhashable before Python 3.12
        if not isinstance(x, Var) or x not in ranks or not isinstance(idx, (Var, Const)):
            return False
        return element_index(idx, ranks[x], ints, tuples)


class _Slice:
    """The top-level ops of a function that given values depend on (their definitions, and
    those of every value such an op or the blocks nested in it read), in program order. An
    analysis that moves facts forward only (each value's facts from its operands' and, for
    ``if`` and loops, from their blocks') gives those values the same facts on the part as on
    the whole function."""

    def __init__(self, fn: Function) -> None:
        self.fn = fn
        self.owner: dict[Var, Op] = {}  # Var -> the top-level op defining it (or holding it)
        self.taken: set[Op] = set()

    def has(self, v: Var) -> bool:
        """Are the facts of `v` those of the part taken (a parameter: of any part)?"""
        d = self.owner.get(v)
        return d in self.taken if d is not None else v in self.fn.params

    def add(self, vs: list[Var]) -> Function:
        """The part holding the parts taken so far and what `vs` depend on (the function itself
        when that is most of it). The ops are looked at afresh: passes may have changed them
        since the last part was taken."""
        ops, taken = self.fn.body.ops, self.taken
        self.owner = owner = {}
        for op in ops:
            for o in (op, *_inner_ops(op)):
                for r in o.results:
                    owner[r] = op
                for b in o.blocks:
                    for p in b.params:
                        owner[p] = op
        todo = [owner[v] for v in vs if v in owner]
        while todo:
            d = todo.pop()
            if d in taken:
                continue
            taken.add(d)
            for a in _reads(d):
                e = owner.get(a)
                if e is not None and e not in taken:
                    todo.append(e)
        part = [op for op in ops if op in taken]
        if 2 * len(part) > len(ops):
            taken.update(ops)
            return self.fn
        body = Block(params=self.fn.body.params, ops=part)
        out = Function(self.fn.name, self.fn.params, self.fn.param_names, body)
        out.namespace, out.generated = self.fn.namespace, self.fn.generated  # (`dtype=float`)
        return out


def _inner_ops(op: Op) -> list[Op]:
    """The ops nested in `op`'s blocks."""
    return [o for b in op.blocks for o in walk_ops(b)]


def _reads(op: Op) -> list[Var]:
    """The Vars `op` and the ops nested in it read (operands and yields)."""
    out = [a for a in op.operands() if type(a) is Var]
    for b in op.blocks:
        out += [y for y in b.yields if type(y) is Var]
        for o in walk_ops(b):
            out += [a for a in o.operands() if type(a) is Var]
            for bb in o.blocks:
                out += [y for y in bb.yields if type(y) is Var]
    return out


def inplace(
    fn: Function, ndims: dict[int, int] | None = None, counts: dict[Var, int] | None = None
) -> bool:
    """Mark `fn`'s unobservable updates in place; `ndims`: (parameter position -> rank) of its
    float64 array parameters when known (the entry point), for `_accumulate`; `counts`: its
    read counts (`uses(fn.body)`, possibly with zeros) when the caller has them."""
    elems = _Elements(fn, ndims)
    counts = uses(fn.body) if counts is None else counts
    if ndims:  # (`_Elements.array` knows nothing without)
        elems.wanted = _summed_inits(fn.body, counts)
    changed = single_slots(fn, elems, counts)  # first: it may drop loop carries
    elems.readers = {}  # (`_first_reader`: from here on no op reads other values)
    counts = uses(fn.body) if changed else counts
    changed |= _block(fn.body, counts, elems, set())
    changed |= matmul_into(fn)  # (its own counts: `_block` changed reads)
    if ndims:  # straight-line arithmetic into dead buffers (reading `z`, not `a`, first)
        changed |= factor_products(fn)
        changed |= inplace_ops(fn, ndims)
    return changed


_META = frozenset(("attr.shape", "attr.ndim", "attr.size", "attr.dtype"))  # (no `len`: appends)


def _meta_reads(fn: Function) -> dict[Var, int]:
    """Per Var, its reads by ops that see its shape or dtype only (``n, m = C.shape``), which an
    update in place never changes: they do not keep an object from being updated in place."""
    out: dict[Var, int] = {}
    for o in ops_of(fn.body):
        if o.prim in _META and len(o.args) == 1 and not o.kwargs and type(o.args[0]) is Var:
            out[o.args[0]] = out.get(o.args[0], 0) + 1
    return out


def _summed_inits(block: Block, counts: dict[Var, int]) -> list[Var]:
    """The initial values of the loop carries `_accumulator` finds a sum for (what `_loop`
    may ask `_Elements.array` about: its facts are computed once, for all of them)."""
    out = []
    readers: dict = {}  # (`_first_reader`)
    for op in structured_ops(block):  # (the ops with blocks, listed in C: `ssa/census.py`)
        if op.prim in ("for", "while"):
            body, head = op.blocks[-1], 3 if op.prim == "for" else 0
            off = 1 if op.prim == "for" else 0
            for k in range(len(op.results)):
                init = op.args[head + k] if head + k < len(op.args) else None
                p = body.params[off + k]
                if isinstance(init, Var) and _accumulator(body, k, p, counts, readers) is not None:
                    out.append(init)
    return out


_NEEDS_DEFS = frozenset(("for", "while", "setitem"))


def _block(block: Block, counts: dict[Var, int], elems: _Elements, fresh: set[Var]) -> bool:
    """`fresh`: carries of enclosing loops that are private to the loop op in `block` they are
    the initial value of (`_nested`)."""
    changed = False
    defs: dict[Var, Op] = {}  # made on the first loop or update (most blocks have neither)
    made = False
    for op in block.ops:
        p = op.prim
        if not made and p in _NEEDS_DEFS:
            defs, made = {r: o for o in block.ops for r in o.results}, True
        loop = p == "for" or p == "while"
        if op.blocks:  # (most ops have none; the nested blocks never change `fresh`)
            inner = _nested(op, defs, counts, elems, fresh) if loop else None
            sub = fresh | inner if inner else fresh
            for b in op.blocks:
                changed |= _block(b, counts, elems, sub)
        if loop:
            changed |= _loop(op, defs, counts, elems, fresh)
        elif p == "setitem" and not op.params.get("inplace"):
            x = op.args[0]
            d = defs.get(x) if isinstance(x, Var) else None
            if d is not None and elems.others(x, counts) == 1 and _owned(d, defs):
                op.params["inplace"] = True
                changed = True
    return changed


def _reads_before(body: Block, p: Var, m: Op, elems: _Elements) -> int:
    """How many reads of `p` in `body` before its op `m` are single numbers ``p[i]``; -1 when
    another use of `p` comes before `m`."""
    n = 0
    for op in body.ops:
        if op is m:
            return n
        ops = [op, *(o for b in op.blocks for o in walk_ops(b))]
        for o in ops:
            hits = sum(a is p for a in o.operands())
            if hits and not (hits == 1 and o.args[0] is p and elems.number(o)):
                return -1
            n += hits
            for b in o.blocks:
                if any(y is p for y in b.yields):
                    return -1
    return -1


def _private_carries(
    op: Op, defs: dict[Var, Op], counts: dict[Var, int], fresh: set[Var], elems: _Elements
) -> list[tuple[int, Var]]:
    """(k, body param) of the carries of loop `op` whose initial value is a fresh object no one
    else reads but for its shape (``n, m = out.shape``: `_Elements.others`), or a carry of an
    enclosing loop in `fresh`, and that the loop's condition does not read."""
    out = []
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    head = 3 if op.prim == "for" else 0
    for k in range(len(op.results)):
        init = op.args[head + k]
        if not isinstance(init, Var):
            continue
        if op.args.count(init) != 1:  # (a Var equals only itself; a Const never equals one)
            continue
        if init not in fresh:
            d = defs.get(init)
            if d is None or elems.others(init, counts) != 1 or not _owned(d, defs):
                continue
        if op.prim == "while" and counts.get(op.blocks[0].params[k], 0):
            continue
        out.append((k, body.params[off + k]))
    return out


def _nested(
    op: Op, defs: dict[Var, Op], counts: dict[Var, int], elems: _Elements, fresh: set[Var]
) -> set[Var]:
    """Carries of loop `op` that its body only hands to an inner loop as that loop's initial
    value (after reads of single numbers of it), whose result the body yields straight back:
    ``for i: for j: out[i, j] = v``. The inner loop may then update the object in place when
    its own body does (`_loop`), as the 1-D loop does."""
    body = op.blocks[-1]
    out = set()
    for k, p in _private_carries(op, defs, counts, fresh, elems):
        m = _first_reader(body, p, elems.readers)
        if m is None or m.prim not in ("for", "while"):
            continue
        mhead = 3 if m.prim == "for" else 0
        pos = [j for j, a in enumerate(m.args) if a is p]
        if len(pos) != 1 or pos[0] < mhead:  # a carry's initial value, not a range bound
            continue
        r = m.results[pos[0] - mhead]
        chain = _chain(body, r, counts, elems) if body.yields[k] is not r else []
        if chain:  # ``for i: (for j: out[i, j] *= b); (for k: for j: out[i, j] += v)``
            r = chain[-1][1]
        if counts.get(r, 0) != 1 or body.yields[k] is not r:
            continue
        if _reads_before(body, p, m, elems) != counts[p] - 1:
            continue
        out.add(p)
        out.update(c for c, _ in chain)  # each the next loop's initial value, read by it only
    return out


def _chain(body: Block, r: Var, counts: dict[Var, int], elems: _Elements) -> list:
    """(carry, result) of the loops of `body` after the one whose result is `r` that each take
    the previous one's result, read by nothing else, as a carry's initial value."""
    out = []
    while counts.get(r, 0) == 1 and len(out) < 64:
        m = _first_reader(body, r, elems.readers)
        if m is None or m.prim not in ("for", "while"):
            break
        head = 3 if m.prim == "for" else 0
        pos = [j for j, a in enumerate(m.args) if a is r]
        if len(pos) != 1 or pos[0] < head:
            break
        out.append((r, m.results[pos[0] - head]))
        r = out[-1][1]
    return out


def _loop(
    op: Op, defs: dict[Var, Op], counts: dict[Var, int], elems: _Elements, fresh: set[Var]
) -> bool:
    changed = False
    body = op.blocks[-1]
    head = 3 if op.prim == "for" else 0
    for k, p in _private_carries(op, defs, counts, fresh, elems):
        m = _accumulator(body, k, p, counts, elems.readers)
        if m is not None and elems.array(op.args[head + k]):
            c = m.args[1] if m.args[0] is p else m.args[0]
            m.prim, m.args = "srcad.runtime.add_into", [p, c]
            changed = True
            continue
        m = _first_setitem(body, p, elems.setitems)
        if m is None or counts.get(p, 0) == 1:
            m = _first_reader(body, p, elems.readers)
        if m is None or m.prim not in ("setitem", "list_append") or m.args[0] is not p:
            continue
        if counts.get(p, 0) != 1 and _reads_before(body, p, m, elems) != counts[p] - 1:
            continue
        if p in m.args[1:] or counts.get(m.result, 0) != 1 or body.yields[k] is not m.result:
            continue
        if not m.params.get("inplace"):
            m.params["inplace"] = True
            changed = True
    return changed


_ADDS = ("add", "srcad.runtime.add")


def _first_reader(body: Block, p: Var, readers: dict) -> Op | None:
    """The first op of `body` (top level) with `p` among its positional operands, from
    `readers`' index of `body` (made on the first question about it: the pass asks this for
    every private carry of every loop, most more than once). Valid while no top-level op of
    `body` reads other values: `_loop`'s ``add_into(acc, c)`` reads what ``acc + c`` read."""
    first = readers.get(body)
    if first is None:
        first = readers[body] = {}
        for o in body.ops:
            for a in o.args:
                if type(a) is Var and a not in first:
                    first[a] = o
    return first.get(p)


def _first_setitem(body: Block, p: Var, setitems: dict) -> Op | None:
    """The first ``setitem`` op of `body` (top level) writing into `p`, from `setitems`' index
    of `body` (made on the first question about it). The pass makes no ``setitem`` and takes
    none away (it marks them in place, and makes ``add`` ``add_into``): the index stays valid."""
    first = setitems.get(body)
    if first is None:
        first = setitems[body] = {}
        for o in body.ops:
            if o.prim == "setitem" and o.args:
                x = o.args[0]
                if type(x) is Var and x not in first:
                    first[x] = o
    return first.get(p)


def _accumulator(body: Block, k: int, p: Var, counts: dict[Var, int], readers: dict) -> Op | None:
    """``acc = acc + c`` on a private carry read by nothing else, a float array (not a number:
    a helper call would cost more than the sum): ``_srcad.add_into(acc, c)``,
    which adds `c` into the array in place (a reverse loop's ``bW += x.T @ g``); the sum of
    numbers or of arrays is the same either way, so the operands' order does not matter."""
    if counts.get(p, 0) != 1:
        return None
    m = _first_reader(body, p, readers)
    if m is None or m.prim not in _ADDS or m.kwargs or len(m.args) != 2 or len(m.results) != 1:
        return None
    if counts.get(m.result, 0) != 1 or body.yields[k] is not m.result:
        return None
    return m
