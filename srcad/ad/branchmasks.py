"""Reverse mode through the branch of an ``if`` that does not read a value made before it.

Input: a block of primal IR. Output: `branch_values(block, seq_ops)`, the values made from the
result of an op with an infinite local derivative (`fmasks.singular`: ``np.sqrt``, logs,
``u ** 0.5``; and divisions) through elementwise ops, that a branch of an ``if`` on a comparison
reads; `ad/masks.py` then masks such a value's contributions by the branch condition, as for the
unselected side of a ``np.where``::

    r = np.sqrt(x)                    # x < 0: r is nan and its local derivative 0.5 / r too
    if x < 0:
        y = 2.0 * x                   # this branch gives r no cotangent: an exact zero
    else:
        y = r

The reverse sweep summed ``br * (0.5 / r)`` after the ``if`` with ``br = 0.0`` from the taken
branch: ``0 * nan``, so the gradient was nan where the function is ``2 x``. Masked by the
condition (``keep`` the branch that reads `r`), that contribution is 0 there. An ``if`` on a
comparison's or logical op's result masks by it (a bool, or a bool array of one element:
Python's truth value is the mask's); one on any other value (``if flag:``, ``if m[i]:``) by
``_srcad.recomputed('truth', c)``, its truth value computed again (a list's, tuple's or dict's:
whether it is empty; `UNKNOWN`, masking nothing, for any other object). Only values made from a
singular op (a mask elsewhere would cost a ``where`` per op and change nothing; through
elementwise ops and sums, `REDUCES`), or from a product with data (``Y * w``, `Y` a parameter,
a global, a cell or a float array constant: its local derivative `Y` is NaN where `Y` is, so
``(Y * w)[~np.isnan(Y)]`` had a NaN gradient).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import Any

import numpy as np

from srcad.ad.boolmasks import _CMPS
from srcad.ad.common import RT
from srcad.ad.fmasks import _POWERS, _UNARY_SINGULAR, singular
from srcad.ad.vjp_util import free_vars
from srcad.rules import default_registry
from srcad.ssa import verify
from srcad.ssa.census import ops_of, shared_defs
from srcad.ssa.core import Block, Const, Op, Var
from srcad.ssa.verify import IRVerifyError

_DIVS = frozenset(("truediv", "numpy.divide", "numpy.true_divide"))
# ``Y * w`` of data `Y` (a parameter, a global, a closure's cell, an array constant): its local
# derivative `Y` may be nan or inf where `Y` is, so a zero cotangent there gives ``0 * nan``
_PRODUCTS = frozenset(("mul", "numpy.multiply"))
_DATA = frozenset(("global", "free"))
# ``_srcad.recomputed("truth", c)``: ``bool(c)`` of a number, NumPy scalar or one-element array
# (else `UNKNOWN`, masking nothing): the mask of an ``if c:`` whose `c` is no comparison
TRUTH = (RT + "recomputed", Const("truth"))


def branch_values(
    block: Block,
    seq_ops: Container,
    plain: Callable[[Op], Iterable] = lambda op: (),
    memo: dict | None = None,
) -> tuple[set[Var], set[Var]]:
    """-> (the values of `block`, nested blocks included, made from a singular op through
    elementwise ops and read in a branch of an ``if`` on a comparison, less those `plainly_read`
    with `plain`; the comparisons' results, for `branch_cond`); two empty sets when there is
    none. `plain(op)`: the operands the mask pass gives an unmasked use at `op`, whatever the
    masks of its results (its mask of such a value is nothing: a branch's condition on it
    changes no mask). `memo`: `made_values`'."""
    ops = ops_of(block)
    ifs = [op for op in ops if op.prim == "if"]
    if not ifs:
        return set(), set()
    conds = {r: r for op in ops if op.prim in _CMPS and not op.kwargs for r in op.results}
    for op in ifs:  # ``a > 0 and b > 0``: an if yielding comparisons (inner ifs come later)
        for k, r in enumerate(op.results):
            if all(k < len(b.yields) and _boolean(b.yields[k], conds) for b in op.blocks):
                conds[r] = r
    for op in ifs:  # ``if flag:``, ``if m[i]:``: Python's truth value, computed again
        c = op.args[0] if len(op.args) == 1 else None
        if type(c) is Var and c not in conds:
            conds[c] = (*TRUTH, c)
    ifs = [op for op in ifs if branch_cond(op, conds) is not None]
    if not ifs:
        return set(), set()
    read = {v for op in ifs for sub in op.blocks for v in free_vars(sub)}
    if read:  # (the made ones first: `plainly_read` keeps only values of its `vals`, and
        made = made_values(ops, seq_ops, memo)  # `plain(op)` are operands of `op`)
        read = {v for v in read if v in made}
    if read:
        read -= plainly_read(block, read, conds, plain)
    return read, conds if read else {}


def check_plain(
    block: Block, seq_ops: Container, brs: tuple, out: dict, masked: Callable[[tuple], dict],
    memo: dict | None = None,
) -> None:  # fmt: skip
    """Verify mode: the masks `masked` gives with every branch value (none left out as read
    where no mask applies) are `out`, those without them; `IRVerifyError` if not (`_unmasked`
    in ad/masks.py no longer predicts what `_block` masks: a needed mask would be skipped).
    `memo`: `branch_values`' (its computed values only: the rest is found again)."""
    computed = memo.get("computed") if memo else None
    full = branch_values(block, seq_ops, memo=None if computed is None else {"computed": computed})
    if full[0] != brs[0] and masked(full) != out:
        left = ", ".join(sorted(str(v) for v in full[0] - brs[0]))
        raise IRVerifyError(f"branch masks: leaving out {left} changed the masks")


def made_values(ops: list[Op], seq_ops: Container, memo: dict | None = None) -> Made:
    """`_made(ops, seq_ops)` as a `Made` (membership tests only), one per `memo` (a dict the
    caller keeps while the block is unchanged: `masks.where_masks` asks for the branches' and
    the partial reads'), shared: read it, never change it."""
    if memo is None:
        return Made(ops, seq_ops)
    got = memo.get("made")
    if got is None or got.ops is not ops:  # (`ops_of`'s list: the same while `ops` are)
        got = memo["made"] = Made(ops, seq_ops, memo)
    return got


class Made:
    """``v in Made(ops, seq_ops)`` is ``v in _made(ops, seq_ops)``, found from `v`'s definition
    back (the callers ask about a few values: the ones a branch reads, the bases of indexes),
    where `_made` walks every op. A value is made when its op is a singular one (`_SINGULAR`),
    an elementwise one (not in `seq_ops`, no keywords) reading a made value, or an ``if``
    one of whose branches yields a made value in its place; a parameter (a block's, a loop
    carry) never is. In verify mode each answer is checked against `_made`'s walk."""

    def __init__(self, ops: list[Op], seq_ops: Container, memo: dict | None = None) -> None:
        self.ops, self.seq_ops = ops, seq_ops
        # (`memo`'s definitions, read now: a reference to `memo`, which will hold this, would
        # be a cycle keeping the IR alive past its build, for the collector to find)
        self.defs: dict[Var, Op] | None = None if memo is None else shared_defs(ops, memo)
        # (values that are no data, though they may have no definition: `_data_product`)
        self.computed: Container | None = None if memo is None else memo.get("computed")
        self.got: dict[Var, bool] = {}  # the answers so far
        self.kinds: dict[str, int] = {}  # prim -> _SINGULAR | _ELEMENTWISE bits (`_kind`)
        self.full: set[Var] | None = None  # (verify mode: `_made`'s set)

    def __contains__(self, v: object) -> bool:
        if type(v) is not Var:
            return False
        got = self.got.get(v)
        if got is None:
            got = self._find(v)
        if verify.enabled():
            if self.full is None:
                self.full = _made(self.ops, self.seq_ops, self.computed)
            if got != (v in self.full):
                raise IRVerifyError(f"made values: {v} is {got} from its definition, not so "
                                    "in the walk of every op")  # fmt: skip
        return got

    def def_of(self, v: Var) -> Op | None:
        """The op defining `v` among the ops (None: a parameter)."""
        if self.defs is None:
            self.defs = shared_defs(self.ops, None)
        return self.defs.get(v)

    def _find(self, v: Var) -> bool:
        """`v`'s answer, and those of the values it depends on (a stack: chains are long)."""
        if self.defs is None:
            self.defs = shared_defs(self.ops, None)
        got, on = self.got, set()  # (`on`: the values on the stack)
        stack = [v]
        while stack:
            u = stack[-1]
            if u in got:
                stack.pop()
                continue
            deps = self._deps(u)
            if deps is True or deps is False:
                got[u] = deps
                stack.pop()
                continue
            on.add(u)
            todo = [a for a in deps if a not in got]
            if any(got[a] for a in deps if a in got) or not todo:
                got[u] = any(got[a] for a in deps if a in got)
                on.discard(u)
                stack.pop()
            elif on.intersection(todo):  # (a value reaching itself: not SSA; walk every op)
                full = _made(self.ops, self.seq_ops, self.computed)
                got.update((w, w in full) for w in (*stack, *todo))
                stack.clear()
            else:
                stack.extend(todo)
        return got[v]

    def _deps(self, v: Var) -> bool | list[Var]:
        """True (made by its op), False (never), or the values it is made when one of is."""
        op = self.defs.get(v)
        if op is None:
            return False
        p = op.prim
        if p == "if":
            k = op.results.index(v)
            return [y for b in op.blocks if k < len(b.yields) for y in [b.yields[k]]
                    if type(y) is Var]  # fmt: skip
        if len(op.results) != 1:
            return False
        kind = self.kinds.get(p)
        if kind is None:
            kind = self.kinds[p] = _kind(p)
        if kind & _SINGULAR and (
            p in _DIVS or singular(op) or _data_product(op, self.defs, self.computed)
        ):
            return True
        if kind & _ELEMENTWISE and op not in self.seq_ops and not op.kwargs:
            return [a for a in op.args if type(a) is Var]
        return False


def _kind(p: str) -> int:
    """`_SINGULAR` when `singular` may call an op of `p` so (or `p` divides), `_ELEMENTWISE`
    when its record says so: the bits `_made` tests."""
    return (_SINGULAR if p in _DIVS or p in _MAY_SINGULAR or p in _PRODUCTS else 0) | (
        _ELEMENTWISE if p == _GUARD or p in REDUCES or default_registry().get(p).elementwise else 0
    )


# ``v = np.sum(Y[k] * w)``: a sum of a made value is made (`ad/gathers.py` moves a mask of `v`
# back to the slice it sums: ``if np.isnan(v): continue`` then ``s += v * v``)
REDUCES = frozenset(("numpy.sum", "method.sum", "numpy.mean", "method.mean"))


# ``_srcad.plain_receiver(x, name, line)`` (ad/receivers.py): `x` itself, or a run-time refusal
# (a receiver of unknown kind: an item of a list or dict argument): passes a made value on
_GUARD = "srcad.runtime.plain_receiver"


def _data_product(op: Op, defs: Any, computed: Container | None = None) -> bool:
    """``Y * w`` with an operand that is data: a parameter's or a block's (no definition in `defs`), a
    global's, a cell's, a constant array, or an item of one of the first three at a run-time index
    (``Y[k]``; not ``c = params[1]``, a parameter unpacked) (module docstring); not one of
    `computed` (the varied values that are no parameter of the function: loop carries, ``-c * v``
    of a carried velocity `v`, are the function's own values, made only from a made one like any
    other; None: every value without a definition is data). A function's parameter is data whether
    differentiated or not: ``(Y * w)[~np.isnan(Y)]`` differentiated in both."""
    if op.prim not in _PRODUCTS or len(op.args) != 2 or op.kwargs:
        return False
    for a in op.args:
        if type(a) is Const:
            if isinstance(a.value, np.ndarray) and a.value.dtype.kind in "fc":
                return True
            continue
        d = defs.get(a)
        if d is not None and d.prim == "getitem" and len(d.args) == 2 and type(d.args[0]) is Var:
            if type(d.args[1]) is Const:  # (``c = params[1]``: a parameter unpacked, no data)
                continue
            base = d.args[0]
            d = defs.get(base)  # (``Y[k] * w``: an item of data, NaN where `Y` is)
            if (d is None or d.prim in _DATA) and (computed is None or base not in computed):
                return True
            continue
        if (d is None or d.prim in _DATA) and (computed is None or a not in computed):
            return True
    return False


def _made(ops: list[Op], seq_ops: Container, computed: Container | None = None) -> set[Var]:
    """The results of `ops` made from a singular op's through elementwise ops and ifs
    (`computed`: for `_data_product`)."""
    kinds: dict[str, int] = {}  # prim -> _SINGULAR (when `singular` says so), _ELEMENTWISE, 0
    defs = {r: op for op in ops for r in op.results}
    made: set[Var] = set()
    again: list[Op] = []  # (the ops the second walk can still add: ifs, unmade elementwise ops)
    for op in ops:  # (a use in a loop body may come before its definition in the walk)
        p = op.prim
        if p == "if":  # (an if's result a branch yields from one)
            _if_made(op, made)
            again.append(op)
            continue
        rs = op.results
        if len(rs) != 1 or rs[0] in made:
            continue
        kind = kinds.get(p)
        if kind is None:
            kind = kinds[p] = _kind(p)
        if kind & _SINGULAR and (p in _DIVS or singular(op) or _data_product(op, defs, computed)):
            made.add(rs[0])
        elif kind & _ELEMENTWISE and op not in seq_ops and not op.kwargs:
            for a in op.args:  # (a loop: a generator per op cost more)
                if type(a) is Var and a in made:
                    made.add(rs[0])
                    break
            else:
                again.append(op)
    n = -1
    while n != len(made):  # (an inner if's result yielded by an outer if: a later round)
        n = len(made)
        for op in again:
            if op.prim == "if":
                _if_made(op, made)
            elif any(type(a) is Var and a in made for a in op.args):
                made.add(op.results[0])
    return made


_SINGULAR, _ELEMENTWISE = 1, 2
# the primitives `fmasks.singular` may call singular (the powers: by their exponent)
_MAY_SINGULAR = _UNARY_SINGULAR | _POWERS
# a block with none of these makes no value `branch_values` returns (none is made)
MAKERS = _MAY_SINGULAR | _DIVS | _PRODUCTS


def _if_made(op: Op, made: set[Var]) -> None:
    for k, r in enumerate(op.results):
        if any(k < len(b.yields) and b.yields[k] in made for b in op.blocks):
            made.add(r)


def plainly_read(block: Block, vals: set[Var], conds: Container, plain: Callable) -> set[Var]:
    """The values of `vals` read outside every branch of an ``if`` on one of `conds` (loops
    and other ifs entered) as an operand of `plain(op)`, or yielded by `block` or a loop body
    (the mask pass gives those yields an unmasked use; a branch's, its if's results' masks)."""
    out: set[Var] = set()
    stack = [(block, True)]
    while stack:
        b, yields = stack.pop()
        if yields:
            out.update(y for y in b.yields if type(y) is Var and y in vals)
        for op in b.ops:
            if op.blocks and branch_cond(op, conds) is None:  # (a loop's first values: plain)
                stack.extend((sub, op.prim != "if") for sub in op.blocks)
            for a in (*op.args, *op.kwargs.values()) if op.kwargs else op.args:
                if type(a) is Var and a in vals:  # (a loop: a generator per op cost more)
                    out.update(a for a in plain(op) if type(a) is Var and a in vals)
                    break
    return out


def _boolean(v: object, conds: Container) -> bool:
    return (type(v) is Var and v in conds) or (type(v) is Const and type(v.value) is bool)


def branch_cond(op: Op, conds: dict) -> Var | tuple | None:
    """The condition of the two-branch ``if`` `op` as a mask (truthy exactly where it keeps):
    its value when a comparison's (`conds`), else ``(TRUTH, c)``, its truth value computed
    again; None when `op` is not such an ``if``."""
    if op.prim != "if" or len(op.blocks) != 2 or len(op.args) != 1 or op.kwargs:
        return None
    c = op.args[0]
    return conds.get(c) if type(c) is Var else None
