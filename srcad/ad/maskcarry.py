"""The masks of `ad/masks.py` carried across the boundary of a branch or through a loop's tape.

Input: a mask (conditions on where a value's cotangent can be non-zero) found where the value is
read, in the terms of that place. Output: the same mask in the terms of the place where the value
is made, or nothing where that cannot be said. Three boundaries, all met when a gradient (whose
reverse sweep reads the forward sweep's values through ``if`` results and a loop's tape) is
differentiated again:

- an ``if``'s result ``r`` read under ``np.where(c, r, ..)`` after the ``if``: the branch's yield
  is masked, with ``r`` read as that yield (`branch_yields`);
- a value made before an ``if`` (or a loop) read under a condition the branch (the body) computes
  from values made before it (``sel = where_mask(np.shape(u), c)``, ``np.isnan(r)``): the
  condition recomputed outside (`Expr`, `out_of_branch`; ``np.isfinite(v)`` as
  ``where_mask(np.shape(v), v, keep=("finite",))``, which masks nothing where `v` is a branch's
  None placeholder; a pure elementwise op as ``_srcad.recomputed(prim, *args)``, which gives
  `UNKNOWN`, masking nothing, where its operands are not numbers or arrays);
- a loop's tape: ``tape.append((.., c, u))`` in one loop, ``saved = tape[k]; saved[4]`` read
  under ``np.where(saved[3], ..)`` in another: ``u`` is masked by ``c`` of the same iteration
  (`tapes`, `tape_items`); also a tape of plain values, the parallel tapes of one body (entry k
  of each made by iteration k), a nested loop's tape read through the outer tape's reads, a tape
  yielded out of a branch. Every read of the tape must be ``len`` or such an entry read.

A condition that cannot be carried is dropped from its conjunction (which then keeps more:
sound); a conjunction left empty masks nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.ad.common import RT
from srcad.rules.condmasks import FUNCTIONS
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Op, Operand, Var, walk_ops

# the ops a carried condition may recompute: they never raise (np.shape(None) is ())
_RECIPES = frozenset(
    (
        RT + "where_mask",
        RT + "moved_mask",
        RT + "gather_mask",
        "numpy.shape",
        "numpy.logical_or",
        "list",
        "tuple",
        "slice",
    )
)  # (an index a branch writes at: `writemasks`)
# ... and np.isfinite, recomputed as ``where_mask(np.shape(v), v, keep=("finite",))``
_OF_VALUE = frozenset(("numpy.isfinite", RT + "finite_mask"))
_SHAPE = "numpy.shape"
# ... and any pure elementwise op of `condmasks.FUNCTIONS` (a comparison, np.isnan, abs, ~),
# as ``_srcad.recomputed(prim, *args)``: `UNKNOWN` (masking nothing) where it cannot run
RECOMPUTED = RT + "recomputed"
_FAIL = object()


class Moved:
    """A condition of a mask: where the mask `masks` of ``y = move(u, *args)`` keeps a position
    (`moved_mask` computes it, in `u`'s shape)."""

    __slots__ = ("args", "how", "masks", "u", "y")

    def __init__(self, how: str, u: Any, y: Any, masks: Any, args: list) -> None:
        self.how, self.u, self.y, self.masks, self.args = how, u, y, masks, tuple(args)

    # a value, as `Expr`: SRCAD_VERIFY's `branchmasks.check_plain` compares the masks of two
    # runs of the analysis, each making its own Moved conditions
    def _key(self) -> tuple:
        return (self.how, self.u, self.y, self.masks, self.args)

    def __eq__(self, other: object) -> bool:
        return type(other) is Moved and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class Expr:
    """A condition recomputed where the mask applies: ``prim(*args, **kwargs)``, its operands
    Vars, Consts or Exprs."""

    __slots__ = ("args", "kwargs", "prim")

    def __init__(self, prim: str, args: list, kwargs: dict) -> None:
        self.prim, self.args, self.kwargs = prim, args, kwargs

    # a value: the mask analysis run twice (SRCAD_VERIFY's `branchmasks.check_plain`) makes
    # equal masks of two sets of Exprs, and `_has` finds a condition already in a conjunction
    def _key(self) -> tuple:
        return (self.prim, tuple(self.args), tuple(sorted(self.kwargs.items())))

    def __eq__(self, other: object) -> bool:
        return type(other) is Expr and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


def emit(c: Any, b: Builder) -> Operand:
    """The operand computing `c` (an `Expr`: its ops, emitted with `b`)."""
    if type(c) is not Expr:
        return c
    return b.op(c.prim, [emit(a, b) for a in c.args], {k: emit(a, b) for k, a in c.kwargs.items()})


class Carry:
    """Rewrites masks for the place a value is made: `subst` maps the values read to the values
    made (an ``if``'s results to a branch's yields, tape elements to the appended tuple's items);
    `hidden(v)` is the op defining `v` where `v` is not in scope there (None: in scope; `_FAIL`:
    out of scope and not recomputable)."""

    reductions: frozenset = frozenset()  # (pure reductions recomputed: `out_of_branch`)

    def __init__(self, subst: dict, hidden: Callable[[Var], Any]) -> None:
        self.subst, self.hidden = subst, hidden

    def masks(self, m: tuple) -> tuple:
        out = []
        for conj in m:
            kept = tuple((c2, k) for c, k in conj if (c2 := self.cond(c)) is not _FAIL)
            if not kept:
                return ()  # (a conjunction that keeps everything)
            out.append(kept)
        return tuple(out)

    def cond(self, c: Any) -> Any:
        t = type(c)
        if t is Var:
            return self.operand(c)
        if t is Moved:
            inner = self.masks(c.masks)
            parts = [self.operand(a) for a in (c.u, c.y, *c.args)]
            if not inner or _FAIL in parts:
                return _FAIL
            if inner == c.masks and all(map(_is, parts, (c.u, c.y, *c.args))):
                return c  # (the same object: `masks._any` tells conditions apart by identity)
            return Moved(c.how, parts[0], parts[1], inner, parts[2:])
        if t is tuple:  # (prim, *args): an op `maskemit._selection` emits
            parts = [self.operand(a) for a in c[1:]]
            if _FAIL in parts:
                return _FAIL
            return c if all(map(_is, parts, c[1:])) else (c[0], *parts)  # (as for Moved)
        return self.operand(c) if t is Expr else _FAIL

    def operand(self, a: Any) -> Any:
        t = type(a)
        if t is Const:
            return a
        if t is Expr:
            return self._expr(a.prim, a.args, a.kwargs)
        if t is not Var:
            return _FAIL
        if a in self.subst:
            s = self.subst[a]
            return s if type(s) is Var else _FAIL
        op = self.hidden(a)
        if op is None:
            return a
        if op is _FAIL or len(op.results) != 1:
            return _FAIL
        if op.prim in _OF_VALUE and op.args:  # np.isfinite(v), safe where v is a placeholder
            v = self.operand(op.args[0])
            if v is _FAIL:
                return _FAIL
            return Expr(RT + "where_mask", [Expr(_SHAPE, [v], {}), v], {"keep": Const(("finite",))})
        if op.prim in FUNCTIONS and not op.kwargs:  # ``np.isnan(r)``, ``np.abs(r) < 1``: guarded
            targs = [self.operand(x) for x in op.args]
            return _FAIL if _FAIL in targs else Expr(RECOMPUTED, [Const(op.prim), *targs], {})
        recipe = op.prim in _RECIPES or op.prim in self.reductions
        return self._expr(op.prim, op.args, op.kwargs) if recipe else _FAIL

    def _expr(self, prim: str, args: list, kwargs: dict) -> Any:
        targs = [self.operand(x) for x in args]
        tkw = {k: self.operand(x) for k, x in kwargs.items()}
        if _FAIL in targs or _FAIL in tkw.values():
            return _FAIL
        return Expr(prim, targs, tkw)


def _is(a: Any, b: Any) -> bool:
    return a is b


def _defs(ops: list[Op], recurse: bool) -> dict[Var, Any]:
    out: dict[Var, Any] = {}
    for top in ops:
        for op in walk_ops(Block(ops=[top])) if recurse else (top,):
            for r in op.results:
                out[r] = op
            for sub in op.blocks:
                for p in sub.params:
                    out[p] = _FAIL
    return out


def branch_yields(op: Op, sub: Block, block: Block, uses: dict, any_: Callable) -> list | None:
    """The masks of the yields of `sub`, a branch of the ``if`` `op` of `block`, from the uses
    (`uses`, ``Var -> [Masks]``) of `op`'s results after it (None: a result no cotangent
    reaches); None when none is masked. A condition made after the ``if`` in `block` stays as it
    is: the reverse sweep reverses the ``if`` after every later op (in a loop body, from the
    tape), so such a value is in scope there."""
    ms = [any_(uses[r]) if r in uses else None for r in op.results]
    if not any(ms):  # (None: no cotangent reaches that result)
        return None
    carry = Carry({r: y for r, y in zip(op.results, sub.yields)}, lambda v: None)
    return [carry.masks(m) if m else m for m in ms]


def out_of_branch(m: tuple, sub: Block, reductions: frozenset = frozenset()) -> tuple:
    """`m`, the mask of a value made before the branch or loop body `sub` from its uses inside,
    with the conditions `sub` computes from values made before it recomputed outside it (in a
    loop body: the same in every iteration; one reading a loop-carried value is dropped);
    `reductions`: those whose result a condition may read, recomputed too (``if flag: s =
    np.nansum(z)``: `nan_left_out(z, s)` read outside as `nan_left_out(z, np.nansum(z))`)."""
    local = _defs(sub.ops, False)
    for p in sub.params:
        local[p] = _FAIL
    carry = Carry({}, local.get)
    carry.reductions = reductions
    return carry.masks(m)


class Tape:
    """A list one loop body appends `item` to once per iteration (the Var of an appended value,
    or the ``tuple`` op of an appended tuple), read only as ``r = tape[k]`` (a tuple's `r` only
    through ``r[j]``, `j` an int constant): `reads` maps each `r` to (`k`, the element reads
    ``{Var: j}`` or None, the outer entry read it is an item of or None); the tape itself may be
    an item of an outer tape (a nested loop's), read through the outer tape's reads. `family`:
    the (`item`, `reads`) of the tapes appended in the same body from lists made fresh before the
    loop (entry k of each made by iteration k), when this one is (pairs, not the tapes: a tape
    holding its family would be a reference cycle keeping the function's IR for the collector,
    2.7% of bench_core's gradient transform); `hidden(v)`: the op defining `v` where `v` is not
    in scope in the appending body (None: in scope)."""

    __slots__ = ("family", "hidden", "item", "reads")

    def __init__(self, item: Any, reads: dict, hidden: Callable) -> None:
        self.item, self.reads, self.hidden = item, reads, hidden
        self.family: list[tuple] = []

    def subst(self, r: Var, elems: dict | None, out: dict) -> None:
        """Adds to `out` the read `r` (its element reads `elems`) as the appended values."""
        _subst(self.item, r, elems, out)


def _subst(item: Any, r: Var, elems: dict | None, out: dict) -> None:
    """`Tape.subst` of a tape appending `item`."""
    if elems is None:
        out[r] = item
        return
    items = item.args
    for e, j in elems.items():
        if 0 <= j < len(items):
            out[e] = items[j]


class _Scope:
    """What is in scope in a loop body: what its enclosing blocks define before it (`chain`:
    (block, position) pairs, outermost first), the function's parameters; `defs`: every op
    result and block parameter of the function (`_FAIL`)."""

    def __init__(self, chain: list, defs: dict, pos: dict) -> None:
        self.chain, self.defs, self.pos = chain, defs, pos

    def __call__(self, v: Var) -> Any:
        for b, i in self.chain:
            if v in b.params:
                return None
            at = self.pos.get(id(b))
            if at is None:
                at = self.pos[id(b)] = {r: k for k, o in enumerate(b.ops) for r in o.results}
            if at.get(v, i) < i:
                return None
        return self.defs.get(v)


def tapes(body: Block) -> tuple[dict[Var, Tape], list[Var]]:
    """The tapes of `body` and its nested blocks, by the Var of the op that gets their masks (the
    appended tuple, or the ``list_append`` of a plain value), and the reads whose masks they get."""
    users: dict[Var, list[Op]] = {}
    counts: dict[Var, int] = {}
    branch: dict[Var, Var] = {}  # a Var a branch yields -> the if's result
    for op in walk_ops(body):
        for a in op.operands():
            if type(a) is Var:
                users.setdefault(a, []).append(op)
        for sub in op.blocks:
            for p, y in enumerate(sub.yields):
                if type(y) is Var:
                    counts[y] = counts.get(y, 0) + 1
                    if op.prim == "if":
                        branch[y] = op.results[p]
    for y in body.yields:
        if type(y) is Var:
            counts[y] = counts.get(y, 0) + 1
    out: dict[Var, Tape] = {}
    st = (users, counts, out, [None, {}], branch)  # (.., [every def, the blocks' positions])
    _scan(body, [], body, st)
    watch = [v for t in out.values() for r, (_, el, _) in t.reads.items() for v in (el or (r,))]
    return out, watch


def _scan(block: Block, chain: list, body: Block, st: tuple) -> None:
    """Finds the tapes of the loops in `block` (outer loops first: an inner tape is read through
    the outer one's reads)."""
    defs = None
    for i, op in enumerate(block.ops):
        if op.prim in ("for", "while") and any(o.prim == "list_append" for o in _tops(op)):
            if defs is None:
                defs = {r: o for o in block.ops for r in o.results}
            if st[3][0] is None:
                st[3][0] = _defs(body.ops, True)
            scope = _Scope([*chain, (block, i)], st[3][0], st[3][1])
            _loop_tapes(op, defs, scope, st)
        for sub in op.blocks:
            _scan(sub, [*chain, (block, i)], body, st)


def _tops(loop: Op) -> list[Op]:
    return [o for b in loop.blocks for o in b.ops]


def _loop_tapes(loop: Op, defs: dict, scope: _Scope, st: tuple) -> None:
    users, counts, out = st[:3]
    n = len(loop.results)
    flag = 1 if loop.params.get("has_break") else 0  # (a body yielding its break flag last)
    for body in loop.blocks:
        if len(body.yields) != n + flag or len(body.params) < n:
            continue
        local = {r: o for o in body.ops for r in o.results}
        family = []
        for p, y in enumerate(body.yields[:n]):
            app = local.get(y) if type(y) is Var else None
            if app is None or app.prim != "list_append" or len(app.args) != 2 or app.kwargs:
                continue
            param, item = app.args
            q = len(body.params) - n + p
            if (
                param is not body.params[q]
                or type(item) is not Var
                or [len(users.get(v, ())) + counts.get(v, 0) for v in (y, param)] != [1, 1]
                or any(users.get(b.params[q]) or counts.get(b.params[q])
                       for b in loop.blocks if b is not body and len(b.params) == len(body.params))
            ):  # fmt: skip
                continue
            tup = local.get(item)
            if tup is not None and (tup.prim != "tuple" or tup.kwargs or len(users[item]) != 1):
                tup = None  # (a value that is not a tuple used once: the plain value)
            reads = _reads(loop.results[p], tup is not None, st)
            if reads is None:
                continue
            t = Tape(item if tup is None else tup, reads, scope)
            out[item if tup is not None else y] = t
            init = loop.args[len(loop.args) - n + p] if len(loop.args) >= n else None
            fresh = defs.get(init) if type(init) is Var else None
            if fresh is not None and fresh.prim == "list" and not fresh.args and not fresh.kwargs:
                if len(users.get(init, ())) + counts.get(init, 0) == 1:
                    family.append(t)
        pairs = [(t.item, t.reads) for t in family]
        for t in family:
            t.family = pairs


def _aliases(tape: Var, st: tuple) -> list | None:
    """The Vars holding `tape` where it is read, with the outer entry read each is an item of
    (None: `tape` itself); None when `tape` is used otherwise."""
    users, counts, out = st[:3]
    us = users.get(tape, ())
    if not us and counts.get(tape) == 1 and tape in st[4]:  # a branch's result: the if's
        return _aliases(st[4][tape], st)
    if counts.get(tape) or len(us) != 1 or us[0].prim not in ("list_append", "tuple"):
        return [(tape, None)]  # (read directly, or used otherwise: `_reads` decides)
    holder = us[0]
    outer = out.get(holder.results[0]) if len(holder.results) == 1 else None
    if holder.prim == "list_append":
        if outer is None or outer.item is not tape or holder.args[1] is not tape:
            return None
        return [(r, r) for r, (_, el, _) in outer.reads.items() if el is None]
    if outer is None or outer.item is not holder:
        return None
    return [
        (e, r)
        for r, (_, el, _) in outer.reads.items()
        for e, j in (el or {}).items()
        if holder.args[j] is tape
    ]


def _reads(tape: Var, tup: bool, st: tuple) -> dict | None:
    """``{r: (k, elements, outer)}`` when `tape` (each Var holding it where it is read: an outer
    tape's item) is read only by ``len`` and ``r = tape[k]`` (for a tuple `tup`, r's only uses
    ``r[j]`` of an int constant `j`: elements ``{Var: j}``; else None), else None."""
    users, counts = st[0], st[1]
    holders = _aliases(tape, st)
    if holders is None:
        return None
    out: dict = {}
    for a, outer in holders:
        if counts.get(a):
            return None
        for op in users.get(a, ()):
            if op.prim == "len" and len(op.args) == 1 and not op.kwargs:
                continue
            if op.prim != "getitem" or op.args[0] is not a or len(op.args) != 2 or op.kwargs:
                return None
            r, k = op.results[0], op.args[1]
            if not tup:
                out[r] = (k, None, outer)
                continue
            if counts.get(r):
                return None
            elems = {}
            for use in users.get(r, ()):
                j = use.args[1] if use.prim == "getitem" and len(use.args) == 2 else None
                if type(j) is not Const or type(j.value) is not int or use.kwargs:
                    return None
                if use.args[0] is not r:
                    return None
                elems[use.results[0]] = j.value
            out[r] = (k, elems, outer)
    return out


def tape_items(tape: Tape, seen: dict, any_: Callable) -> list:
    """The masks of the appended values (a tuple's items; a plain value: one), None for an item
    no cotangent reaches: each read's masks (`seen`: read Var -> its masks where read), with the
    reads of the same entry (of the tape's family: at the same index of the same outer entry)
    as that entry's values."""
    tup = type(tape.item) is Op
    per: list[list] = [[] for _ in (tape.item.args if tup else (tape.item,))]
    for r, (k, elems, outer) in tape.reads.items():
        subst: dict = {}
        for item, reads in tape.family if type(k) is Var else ():
            for r2, (k2, el2, outer2) in reads.items():
                if k2 is k and outer2 is outer:
                    _subst(item, r2, el2, subst)
        tape.subst(r, elems, subst)
        carry = Carry(subst, tape.hidden)
        for e, j in elems.items() if tup else ((r, 0),):
            if not 0 <= j < len(per):
                return [() for _ in per]
            if e in seen:  # (else no cotangent reaches the read)
                m = seen[e]
                per[j].append(carry.masks(m) if m else ())
    return [any_(ms) if ms else None for ms in per]
