"""Local names read where they may have no value: Python's error at run time, never a value.

Input: the lowering's joins (``if`` results, loop carries) of a name one path leaves without a
value (bound only in a branch not taken, in a loop that may not run, deleted by ``del`` or by
the end of an ``except E as e:`` handler), and the reads of such names. Output: those joins
take `UNBOUND` (``_srcad.UNBOUND``, no user's value, not even None) from that path, and each
read that may see it is preceded by the check ``_srcad.bound(y, 'y')`` (rules/checks.py), which
raises UnboundLocalError there, as Python does (NameError for a nested function's free
variable)::

    for i in range(n):          y = _srcad.UNBOUND
        y = x * i        ->     for i in range(n):
    return y                        y = x * i
                                _srcad.bound(y, 'y')
                                return y

A read every path binds, and a loop that surely runs (constant bounds, ``while True``), makes no
check: their code is what it was. The check is a statement (zero derivative, never dropped): the
reads after it use the same value, so no analysis loses what it knew of it. `guard` checks the
lowered function once more: an operand that may be `UNBOUND` read without a check before it gets
one there (reads the lowering makes without `expr_Name`).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.rules.checks import UNBOUND
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Op, Var

BOUND = "srcad.runtime.bound"
RAISE = "srcad.runtime.raise_"
_NONE = Const(None)
_UNBOUND = Const(UNBOUND)


def placeholder(name: str) -> Const:
    """What a join takes for `name` from a path where it has no value: `UNBOUND` for a user's
    name, None for the lowering's own (``$ret``, ``$sel``: read only where set)."""
    return _UNBOUND if name.isidentifier() else _NONE


def maybe(lw: Any, v: Any) -> bool:
    """`v` may be `UNBOUND` (a join one of whose paths left its name without a value)."""
    t = type(v)
    return (t is Const and v.value is UNBOUND) or (t is Var and v in lw.unbound_vars)


def _checked(v: Var, ops_lists: Any) -> bool:
    return any(op.prim == BOUND and op.args and op.args[0] is v for ops in ops_lists for op in ops)


def _open(lw: Any, v: Any, inner: list | None = None) -> bool:
    """`v` may be `UNBOUND` at the current point (no check of it before, in this block or an
    enclosing one; `inner`: the ops of a block just lowered, the point its end)."""
    if not maybe(lw, v):
        return False
    if type(v) is Const:
        return True
    scopes = ([inner] if inner is not None else []) + [lw.b.block.ops, *lw.outer_ops]
    return not _checked(v, scopes)


def check(lw: Any, v: Any, name: str) -> Any:
    """`v`, the value of `name` read here, after its check when it may be `UNBOUND`; the
    check's result when it surely is (the check raises: what follows never runs, and no
    operation is written over the constant)."""
    if not _open(lw, v):
        return v
    # a nested function's free variable (its own local, or one it declares `nonlocal`)
    free = lw.inline_depth > 0 and (name not in lw.py_locals or name in lw.nonlocal_ok)
    r = lw.op(BOUND, [v, Const(name), *([Const(True)] if free else [])])
    return r if type(v) is Const else v


def free_unbound(lw: Any, outer_env: dict, inner: set) -> set[str]:
    """The enclosing function's locals without a value (`outer_env`) a nested function whose
    own locals are `inner` is called with: its read of one raises NameError, and reads no
    global of that name. Not a comprehension's target (the function may have none of that
    name: a global then)."""
    comps = {t for f in getattr(lw, "comp_frames", ()) for t in f[1]}
    return {n for n in lw.py_locals if n not in outer_env and n not in inner and n not in comps}


def unbinds(node: Any) -> frozenset[str]:
    """The names the statements of the loop `node` may unbind (``del y``; ``except E as e``,
    whose end deletes `e`), not counting nested functions."""
    return unbinds_in(list(getattr(node, "body", [])) + list(getattr(node, "orelse", [])))


def unbinds_in(stmts: list) -> frozenset[str]:
    """The names `stmts` may unbind (see `unbinds`). Only statement lists are walked: a ``del``
    is a statement and an ``except`` handler sits in a ``try``'s list, and no expression holds
    a statement (a lambda's body is an expression), so the expressions, most of the nodes, are
    skipped."""
    out: set[str] = set()
    todo = list(stmts)
    while todo:
        x = todo.pop()
        t = type(x)
        if t in _LEAF_STMTS or t in _SCOPES:
            continue
        if t is gast.Delete:
            out.update(n.id for n in x.targets if type(n) is gast.Name)
            continue
        if t is gast.ExceptHandler and type(x.name) is gast.Name:
            out.add(x.name.id)
        d = x.__dict__
        for f in _STMT_LISTS:
            v = d.get(f)
            if v:
                todo.extend(v)
    return frozenset(out)


# the statements holding no statement, and the scopes `unbinds` does not enter
_LEAF_STMTS = frozenset({gast.Assign, gast.AugAssign, gast.AnnAssign, gast.Expr, gast.Return,
                         gast.Pass, gast.Break, gast.Continue, gast.Raise, gast.Assert,
                         gast.Import, gast.ImportFrom, gast.Global, gast.Nonlocal})  # fmt: skip
_SCOPES = frozenset({gast.FunctionDef, gast.Lambda, gast.ClassDef})
# the fields that hold statements (or handlers, match cases: statements' holders)
_STMT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


def end_handlers(s: gast.Try) -> None:
    """Python ends a handler ``except E as e:`` by deleting `e` (``e = None; del e``): appended to
    each such handler of `s` (in place, once) that may run to its end."""
    for h in s.handlers:
        if not isinstance(h.name, gast.Name) or getattr(h, "_unbinds", False):
            continue
        h._unbinds = True
        if h.body and isinstance(h.body[-1], (gast.Raise, gast.Return, gast.Break, gast.Continue)):
            continue
        store = gast.Name(h.name.id, gast.Store(), None, None)
        dele = gast.Name(h.name.id, gast.Del(), None, None)
        end = [gast.Assign([store], gast.Constant(None, None)), gast.Delete([dele])]
        h.body = h.body + [gast.copy_location(x, h.body[-1] if h.body else h) for x in end]


def _raises(block: Block) -> bool:
    """`block` surely raises (a ``raise`` statement, a read of a name surely without a value)."""
    return any(
        op.prim == RAISE or (op.prim == BOUND and op.args[0] == _UNBOUND) for op in block.ops
    )


def _surely_runs(op: Op) -> bool:
    """The loop `op` runs its body at least once (constant bounds; ``while True``)."""
    if op.prim == "for":
        start, stop, step = op.args[:3]
        vals = [a.value for a in (start, stop, step) if type(a) is Const]
        if len(vals) == 3 and all(type(x) is int for x in vals) and vals[2] != 0:
            return len(range(*vals)) > 0
        return False
    cond = op.blocks[0].yields
    return bool(cond) and type(cond[0]) is Const and cond[0].value is True


class UnboundJoins:
    """The lowering's joins and reads of names that may have no value (a mixin of `Lowerer`)."""

    env: dict

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)  # type: ignore[call-arg]
        self.unbound_vars: set[Var] = set()  # joins that may be `UNBOUND` (`maybe`)

    def branch(self, cond: Any, then: Any, orelse: Any, node: Any, live: Any = None) -> None:
        ops = self.b.block.ops  # type: ignore[attr-defined]
        n = len(ops)
        super().branch(cond, then, orelse, node, live)  # type: ignore[misc]
        op = next((o for o in reversed(ops[n:]) if o.prim == "if"), None)
        if op is None:
            return
        live = [b for b in op.blocks if not _raises(b)]
        for b in op.blocks:  # (a branch that raised yields nothing: None, as before)
            if b not in live:
                b.yields = [_NONE if y is _UNBOUND else y for y in b.yields]
        for k, r in enumerate(op.results):
            if any(_open(self, b.yields[k], b.ops) for b in live):
                self.unbound_vars.add(r)

    def loop(
        self, kind: str, head: list, carried: list[str], body: Any, cond: Any,
        has_break: bool, node: Any,
    ) -> None:  # fmt: skip
        env0, gone = self.env, unbinds(node)
        ops = self.b.block.ops  # type: ignore[attr-defined]
        n = len(ops)

        def mark() -> None:  # the carries' parameters that may start without a value
            for c in carried:
                p = self.env.get(c)
                if type(p) is Var and p is not env0.get(c):
                    if c in gone or (maybe(self, env0[c]) if c in env0 else c.isidentifier()):
                        self.unbound_vars.add(p)

        def run_body(i: Any) -> None:
            mark()
            body(i)

        def run_cond() -> Any:
            mark()
            return cond()

        super().loop(kind, head, carried, run_body, run_cond if cond else None, has_break, node)  # type: ignore[misc]
        op = next((o for o in reversed(ops[n:]) if o.prim == kind), None)
        if op is None:
            return
        blk = op.blocks[-1]
        params = blk.params[1:] if kind == "for" else blk.params
        inits = op.args[3:] if kind == "for" else op.args
        runs = _surely_runs(op)
        for k, r in enumerate(op.results):
            after = _open(self, blk.yields[k], blk.ops)
            if after and params[k] not in self.unbound_vars:
                raise self.error(  # type: ignore[attr-defined]
                    node,
                    f"`{r.hint}` may have no value after an iteration of this loop",
                    f"bind `{r.hint}` again in the loop after deleting it",
                )
            if after or (not runs and maybe(self, inits[k])):
                self.unbound_vars.add(r)

    def expr_Name(self, node: gast.Name) -> Any:  # noqa: N802
        v = super().expr_Name(node)  # type: ignore[misc]
        t = type(v)  # (`maybe`'s test inline: most reads are of names surely bound)
        if (t is Var and v in self.unbound_vars) or (t is Const and v.value is UNBOUND):
            return check(self, v, node.id)
        return v

    def stmt_Delete(self, s: gast.Delete, live: set) -> None:  # noqa: N802
        names = [t.id for t in s.targets if isinstance(t, gast.Name) and t.id in self.env]
        for t in names:
            check(self, self.env[t], t)  # (Python's `del y` of a name with no value raises)
        super().stmt_Delete(s, live)  # type: ignore[misc]
        for t in names:
            self.env[t] = _UNBOUND


def guard(lw: Any, body: Block) -> None:
    """A check before each read of an operand that may be `UNBOUND` that no check precedes
    (in its block or an enclosing one), other than the joins (yields, loop initial values);
    a read of the constant itself reads the check's result instead."""
    if not lw.unbound_vars and not _has_const(body):
        return
    done: set = set()
    _guard_block(lw, body, done)
    body.ops += _checks(lw, body.yields, done, None)  # (the value returned)


def _checks(lw: Any, reads: list, done: set, loc: Any, into: list | None = None) -> list[Op]:
    """The checks of `reads` not yet `done`; a read of the constant `UNBOUND` in `into` (an
    op's operand list) becomes its check's result."""
    out = []
    for k, a in enumerate(reads):
        if maybe(lw, a) and a not in done:
            r = Var()
            out.append(Op(BOUND, [a, Const(getattr(a, "hint", "") or "?")], results=[r], loc=loc))
            if type(a) is Var:
                done.add(a)
            elif into is not None:
                into[k] = r
    return out


def _has_const(block: Block) -> bool:
    """An op of `block` or of a block nested in it reads the constant `UNBOUND` (one flat
    walk: the census is the one `lower_source` reads next)."""
    for op in ops_of(block):  # (loops: a generator's resumption per operand cost more)
        for a in op.args:
            if type(a) is Const and a.value is UNBOUND:
                return True
    return False


def _guard_block(lw: Any, block: Block, done: set) -> None:
    out: list[Op] = []
    for op in block.ops:
        if op.prim == BOUND:
            out.append(op)
            if type(op.args[0]) is Var:
                done.add(op.args[0])
            continue
        # (a loop's initial values are joins; a `for` loop's bounds are reads)
        n = 3 if op.prim == "for" else 0 if op.prim == "while" else len(op.args)
        out += _checks(lw, op.args[:n], done, op.loc, op.args)
        if op.kwargs:
            keys = list(op.kwargs)
            vals = [op.kwargs[k] for k in keys]
            out += _checks(lw, vals, done, op.loc, vals)
            op.kwargs = dict(zip(keys, vals))
        out.append(op)
        for b in op.blocks:
            _guard_block(lw, b, set(done))
    block.ops[:] = out
