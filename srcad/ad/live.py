"""Reverse activity: the varied values whose derivative may reach what the function returns.

Input: a `Function` and its varied Vars (`srcad.ad.activity.varied_vars`). Output:
``dead_vars(fn, varied)``, the varied Vars no path of differentiable reads leads from to a value
the function yields: neither tangent nor cotangent is needed for them, and the transforms skip
them (the caller removes them from its varied set). Its complement, `live_vars`, is a backward
walk: a yield of the function is live, and so is every operand of a live op (one with a live
result, or with no result at all: a statement, a check), except the operands of the primitives
whose results carry no derivative (`activity._INACTIVE_PRIMS`: comparisons, ``len``, ...). An op
that is not `pure` (the registry's fact DCE reads: a call, a method no rule knows, a user
method) is live with its results whatever reads them: it may update its operands in place, and
the transforms check or refuse that only where they differentiate it (``_bump(x)`` of a helper
doing ``v += 0.3``; ``q.append(x)`` of a deque; ``logging.getLogger(n).debug("%s", x[0])``).

Structured ops are walked by their parts: an ``if``'s yield k is live where its result k is (its
condition never is); a loop's carry k is live where its result k is, or where a live op of its
blocks reads the carry's parameter (a fixpoint over the carries: the blocks walked again while a
carry becomes live); a live carry makes its initial value, its yield and its parameters live.
So a convergence test carried by a loop, ``err = np.sum(np.std(U, axis=1))`` read only by
``while err > tol``, gets no derivative (nor the second-order check of np.std at constant rows,
`srcad.rules.root_at0`), while a value read by a condition and by anything flowing to a result
stays live. The function's parameters are never dead (their derivatives are the outputs).
"""

from __future__ import annotations

from collections.abc import Container

from srcad.ad.activity import _INACTIVE_PRIMS
from srcad.rules import default_registry
from srcad.ssa.core import Block, Const, Function, Op, Var


def dead_vars(fn: Function, varied: set[Var], calls: Container = ()) -> set[Var]:
    """The Vars of `varied` whose derivatives reach no result of `fn` (module docstring);
    `calls`: the ``method.*`` ops that call a user method."""
    live = live_vars(fn, calls)
    return {v for v in varied if v not in live} - set(fn.params)


def live_vars(fn: Function, calls: Container = ()) -> set[Var]:
    """The Vars whose derivatives may reach a value `fn` yields (`calls`: as `dead_vars`')."""
    live: set[Var] = set()
    for y in fn.body.yields:
        _add(live, y)
    _ops(fn.body, live, calls)
    return live


def _pure(prim: str) -> bool:
    got = _PURE.get(prim)
    if got is None:
        got = _PURE[prim] = bool(default_registry().get(prim).pure)
    return got


_PURE: dict[str, bool] = {}  # (a cache: purity is by name; `_ops` reads it inline)


def _add(live: set[Var], a: object) -> None:
    if isinstance(a, Var):
        live.add(a)
    elif isinstance(a, (tuple, list)):
        for e in a:
            _add(live, e)


def _ops(block: Block, live: set[Var], calls: Container) -> None:
    isdisjoint = live.isdisjoint
    for op in reversed(block.ops):
        if op.blocks:
            _structured(op, live, calls)
            continue
        rs = op.results
        p = op.prim
        if op in calls or not (_PURE.get(p) or _pure(p)):  # (may update its operands: live)
            live.update(rs)
        elif rs and isdisjoint(rs):  # (no result: a statement, every operand live)
            continue
        elif p in _INACTIVE_PRIMS:
            continue
        for a in op.args:
            if type(a) is Var:  # (no subclass of Var: `ssa/core.py`)
                live.add(a)
            elif type(a) is not Const:
                _add(live, a)
        if op.kwargs:
            _add(live, tuple(op.kwargs.values()))


def _structured(op: Op, live: set[Var], calls: Container) -> None:
    if op.prim == "if":
        for b in op.blocks:
            for k, r in enumerate(op.results):
                if r in live:
                    _add(live, b.yields[k])
            _ops(b, live, calls)
        return
    if op.prim not in ("for", "while"):  # (no other op has blocks: every operand, every yield)
        for a in op.operands():
            _add(live, a)
        for b in op.blocks:
            for y in b.yields:
                _add(live, y)
            _ops(b, live, calls)
        return
    n = len(op.results)
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0  # (a for body's first parameter: the index)
    inits = op.args[3:] if op.prim == "for" else op.args
    params = [b.params[off:] if b is body else b.params for b in op.blocks]  # (the carries')
    carried = [r in live for r in op.results]
    while True:
        for k in range(n):
            if carried[k]:
                y = body.yields[k]
                if type(y) is Var:
                    live.add(y)
                elif type(y) is not Const:
                    _add(live, y)
        for b in op.blocks:
            _ops(b, live, calls)
        changed = False
        for k in range(n):
            if not carried[k]:
                for ps in params:
                    if ps[k] in live:
                        carried[k] = changed = True
                        break
        if not changed:
            break
    for k in range(n):
        if carried[k]:
            _add(live, inits[k])
            live.add(op.results[k])
            for ps in params:
                live.add(ps[k])
