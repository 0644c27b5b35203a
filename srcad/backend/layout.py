"""Layout decisions for the emitter: what is written inline and which values share a Python name.

Input: a `Function` and its `backend/emitscan.Census` (reads, definitions, index candidates, loops:
one walk shared with `backend/names`). Output: a `Plan` of read-only facts; nothing here builds
code (`emit.py` does).

- index inlining: ``t = slice(i, j); y = getitem(x, t)`` is written ``y = x[i:j]`` when `t` is
  defined in the same block and read only there;
- while conditions: a cond block whose ops form one expression tree, evaluated in block order, is
  written ``while <expr>:``;
- single-use temporaries: written inside the expression reading them (`_inline_temps`);
- coalescing (`backend/coalesce.py`): which values share one Python name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from srcad.backend.coalesce import coalesce
from srcad.backend.emitscan import Census
from srcad.backend.names import NAME_OPS
from srcad.ssa.core import STRUCTURED, Block, Function, Op, Var

_NOT_INLINE = STRUCTURED | {"setitem", "comment"}


@dataclass
class Plan:
    """Facts about one function used by the emitter."""

    uses: dict[Var, int]
    defs: dict[Var, Op] = field(default_factory=dict)  # op results (block params absent)
    index_inline: dict[Var, Op] = field(default_factory=dict)  # written as subscript syntax
    expr_inline: dict[Var, Op] = field(default_factory=dict)  # while-condition trees
    inline_while: set[Op] = field(default_factory=set)  # membership only, never iterated
    fors: list[Op] = field(default_factory=list)  # every ``for`` op, inner ones first
    lens: dict[Var, int] = field(default_factory=dict)  # Var -> the ``len`` ops reading it
    root: dict[Var, Var] = field(default_factory=dict)  # Var -> its name class (when merged)

    def cls(self, v: Var) -> Var:
        """The representative of the name class of `v`."""
        root, r = self.root, v
        while True:
            p = root.get(r)
            if p is None or p is r:
                return r
            r = p


def analyze(fn: Function, census: Census) -> Plan:
    """Compute the `Plan` of `fn` (see the module docstring) from its `census` (`emitscan.walk`:
    reads, definitions, index candidates, ``while`` and ``for`` ops)."""
    plan = Plan(census.uses, census.defs, fors=census.fors, lens=census.lens)
    uses = plan.uses
    for idx, d, parts in census.cands:  # an index read once, where it is defined: ``x[i:j, k]``
        if uses.get(idx) == 1:
            plan.index_inline[idx] = d
            for e, sl in parts:
                if uses.get(e) == 1:
                    plan.index_inline[e] = sl
    for op in census.whiles:
        if len(op.blocks) == 2 and len(op.blocks[0].yields) == 1:
            _inline_cond(op, op.blocks[0], plan)
    _inline_temps(fn.body, plan, returns=True)
    coalesce(plan, census.points)
    return plan


def _inline_cond(op: Op, cond: Block, plan: Plan) -> None:
    """Inline when the tree under the flag, in post-order, is exactly the block's statements
    (so the single expression evaluates everything in the same order)."""
    local = {r: o for o in cond.ops for r in o.results}
    stmts = [o for o in cond.ops if o.prim not in NAME_OPS and not _is_index(o, plan)]
    order: list[Op] = []
    seen: set[Var] = set()

    def visit(v: object) -> bool:
        if not isinstance(v, Var) or v not in local or local[v].prim in NAME_OPS:
            return True
        d = local[v]
        if v in seen or d.prim in _NOT_INLINE or len(d.results) != 1 or d.blocks:
            return False
        seen.add(v)
        if not all(visit(a) for a in d.operands()):
            return False
        if not _is_index(d, plan):
            if plan.uses.get(v) != 1:
                return False
            order.append(d)
        return True

    ok = visit(cond.yields[0])
    visit = None  # type: ignore[assignment]  # (a recursive closure: a reference cycle)
    if ok and order == stmts:
        plan.inline_while.add(op)
        for d in order:
            plan.expr_inline[d.result] = d


_STATEMENT = _NOT_INLINE | NAME_OPS  # never written inside another statement
_NOT_READER = _STATEMENT - {"if"}  # (an ``if`` reads its test)


def _line(op: Op) -> int | None:
    return None if op.loc is None else op.loc.line


def _reads(op: Op, plan: Plan) -> list[Var]:
    """The Vars `op`'s expression reads, in Python's evaluation order (through inlined
    indices: ``x[i:j]`` reads `x`, `i`, `j`)."""
    out: list[Var] = []
    for a in op.operands():
        if type(a) is Var:
            d = plan.index_inline.get(a)
            if d is None:
                out.append(a)
            else:
                out += _reads(d, plan)
    return out


def _inline_temps(block: Block, plan: Plan, returns: bool = False) -> None:
    """Write a temporary used once inside the expression that reads it (``y = a * (b + c)``,
    not ``_t1 = b + c; y = a * _t1``) when that keeps Python's order of evaluation.

    A temporary: a hint-less single result of an expression op, read once, by a later op of the
    same block from the same user line (a traceback names one line per statement). `pending`
    holds the candidates since the last statement, in order; an op reading some of them must
    read exactly the last ones, in the same order (then evaluating its expression evaluates
    them in their statements' order, with nothing in between); otherwise they all stay
    statements. A loop's range and carries, `setitem`, comments and a while loop's inlined
    condition read none; the function's ``return`` (`returns`: `block` is its body) does.

    A named value (an adjoint's or tangent's part, ``bx_2``) is a statement, but for one case:
    read once, by the op right after it, from the same line, that sums it into a value of its
    name (``bx_3 = bx_1 + bx_2``: `_accumulates`), it is written there (``bx_3 = bx_1 + <its
    expression>``): its expression is evaluated as its statement was, right before the sum's,
    whose other operand is a name (the reading of a local, which no expression changes)."""
    pending: list[Var] = []
    waiting: set[Var] = set()  # pending's members (a tape's tuple reads hundreds)
    index, uses, inline, defs = plan.index_inline, plan.uses, plan.expr_inline, plan.defs
    named: Var | None = None  # the named candidate defined by the op before (see above)
    for op in block.ops:
        if op.blocks:
            for b in op.blocks if op not in plan.inline_while else op.blocks[1:]:
                _inline_temps(b, plan)
        res = op.results
        if len(res) == 1:
            x = res[0]  # (`r` names the pending values below)
            if x in index:
                continue  # written inside the subscript reading it
        else:
            x = None
        prim = op.prim
        if prim in NAME_OPS:
            continue  # no statement: a name
        if named is not None:
            if (
                prim in _ACCUMULATE
                and _accumulates(op, named, plan)
                and _quiet(defs[named]) == _quiet(op)
            ):
                inline[named] = defs[named]
            named = None
        reader = prim not in _NOT_READER
        if reader and pending:
            rs = []  # the pending values `op`'s expression reads, in evaluation order (`_reads`)
            for a in op.args if prim != "if" else op.args[:1]:
                if type(a) is Var:
                    if a in waiting:
                        rs.append(a)
                    elif a in index:
                        rs += [e for e in _reads(index[a], plan) if e in waiting]
            if op.kwargs and prim != "if":
                rs += [a for a in _reads(_Kwargs(op), plan) if a in waiting]
            if rs:  # (a quiet op inlined only into a quiet one: emit.py's ``with``)
                q = op.params.get("quiet", False)  # (True, or a user's errstate: ==)
                for r in rs:
                    if defs[r].params.get("quiet", False) != q:
                        rs = [r for r in rs if defs[r].params.get("quiet", False) == q]
                        break
            if rs:
                k = len(pending) - len(rs)
                same = rs == pending[k:]
                if same:  # ... and from `op`'s line (a loop: a generator is a call of its own)
                    line = None if op.loc is None else op.loc.line
                    for r in rs:
                        loc = defs[r].loc
                        if (None if loc is None else loc.line) != line:
                            same = False
                            break
                if same:
                    for r in rs:
                        inline[r] = defs[r]
                        waiting.discard(r)
                    del pending[k:]
                else:  # (``X.T @ g``: `g`'s statement first, ``X.T`` inline)
                    for r in _ordered_tail(pending, rs, plan, op):
                        inline[r] = defs[r]
                    pending, waiting = [], set()
        if (  # a temporary (see above; `reader`, not an ``if``)
            x is not None
            and prim not in _STATEMENT
            and uses.get(x) == 1
            and x not in inline
            and not op.params.get("inplace")
        ):
            if not x.hint:
                pending.append(x)
                waiting.add(x)
                continue
            named = x
        if pending:
            pending, waiting = [], set()  # a statement: nothing before it moves after it
    rs = [a for a in block.yields if type(a) is Var and a in waiting] if returns else []
    rs = [] if any(_quiet(defs[r]) for r in rs) else rs
    if rs and rs == pending[len(pending) - len(rs) :]:  # ``return x * 2``
        for r in rs:
            plan.expr_inline[r] = plan.defs[r]


def _quiet(op: Op) -> Any:
    """Under which ``np.errstate`` `op` runs: True for ``all="ignore"`` (ad/maskemit.py), a
    user's ``(kind, mode)`` pairs (lower/withs.ignored), False for the caller's state; inlined
    only into an op under the same (its expression is evaluated where the reader's statement is)."""
    return op.params.get("quiet", False)


def _ordered_tail(pending: list[Var], rs: list[Var], plan: Plan, op: Op) -> list[Var]:
    """The longest suffix of `pending` that `op` (from their line) reads in their order: written
    inside it, the others (read by name, which evaluates nothing) stay statements before it.
    None when `op` evaluates an inlined index too (``x[k]``: it would move before them)."""
    if any(type(a) is Var and a in plan.index_inline for a in op.operands()):
        return []
    line, defs = _line(op), plan.defs
    order = {r: i for i, r in enumerate(rs)}
    k = len(pending)
    while k > 0:
        r = pending[k - 1]
        if r not in order or _line(defs[r]) != line:
            break
        if k < len(pending) and order[r] > order[pending[k]]:
            break
        k -= 1
    return pending[k:]


_ACCUMULATE = frozenset({"add", "srcad.runtime.add", "numpy.add", "srcad.runtime.add_into"})


def _accumulates(op: Op, part: Var, plan: Plan) -> bool:
    """`op` is ``x_3 = x_1 + part`` (or ``part + x_1``, or `srcad.runtime.add`, or
    ``np.add(x_1, part, out=x_1)``: passes/inplace_ops.py, or a loop's accumulator
    ``add_into(x_1, part)``: passes/inplace.py, so `part` dies at once instead of holding its
    array until the next iteration rebinds it), `part` and `x_1` named as `x_3`,
    `x_1` a local (not a global's or closure's name), from `part`'s line."""
    if op.prim not in _ACCUMULATE or len(op.results) != 1 or len(op.args) != 2:
        return False
    h = op.results[0].hint
    a, b = op.args
    other = b if a is part else a if b is part else None
    if type(other) is not Var or other.hint != h or part.hint != h or other is part:
        return False
    if op.kwargs and (len(op.kwargs) != 1 or op.kwargs.get("out") is not other):
        return False
    d = plan.defs.get(other)
    return (d is None or d.prim not in NAME_OPS) and _line(op) == _line(plan.defs[part])


class _Kwargs:
    """An op's keyword operands, as `_reads` reads an op."""

    def __init__(self, op: Op) -> None:
        self.args = list(op.kwargs.values())

    def operands(self) -> tuple:
        return tuple(self.args)


class _Test:
    """An ``if`` op as the expression it evaluates: its test."""

    def __init__(self, op: Op) -> None:
        self.args = op.args[:1]

    def operands(self) -> tuple:
        return tuple(self.args)


def _is_index(op: Op, plan: Plan) -> bool:
    return len(op.results) == 1 and op.results[0] in plan.index_inline
