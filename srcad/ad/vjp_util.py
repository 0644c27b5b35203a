"""IR utilities for the reverse sweep: free variables, array-valued definitions.

Input: blocks of IR. Output: the Vars a block reads but does not define (in first-use order), and
the set of Vars known to hold arrays or numbers (not containers), whose cotangents can be summed
with ``+`` (substitution is `srcad.ssa.core.replace_uses`); of a loop, the Vars it defines and the
varied values from outside it that it reads (the reverse loop's accumulators).
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from srcad.rules import default_registry
from srcad.ssa.census import nested_blocks, ops_of
from srcad.ssa.core import Block, Const, Op, Var

_NUMERIC_PRIMS = frozenset({"add", "sub", "mul", "truediv", "pow", "matmul", "neg", "pos", "abs",
                            "float", "mod", "floordiv"})  # fmt: skip


def block_defs(block: Block) -> set[Var]:
    """The Vars a block defines at its own level: its params and its ops' results."""
    out = set(block.params)
    for op in block.ops:
        out.update(op.results)
    return out


def free_vars(block: Block) -> list[Var]:
    defined: set[Var] = set()
    seen: set[Var] = set()
    out: list[Var] = []

    def visit(b: Block) -> None:
        defined.update(b.params)
        for op in b.ops:
            for a in op.args:  # (`op.operands()`, without the tuple: no Var subclass exists)
                if type(a) is Var and a not in defined and a not in seen:
                    seen.add(a)
                    out.append(a)
            if op.kwargs:
                for a in op.kwargs.values():
                    if type(a) is Var and a not in defined and a not in seen:
                        seen.add(a)
                        out.append(a)
            if op.blocks:
                for sub in op.blocks:
                    visit(sub)
            defined.update(op.results)
        for y in b.yields:
            if isinstance(y, Var) and y not in defined and y not in seen:
                seen.add(y)
                out.append(y)

    visit(block)
    visit = None  # type: ignore[assignment]  # (a recursive closure is a reference cycle)
    return [v for v in out if v not in defined]


def numeric_op(op: Op, seq_ops: Container[Op] = ()) -> bool:
    """Does `op` always produce a number or an array (never a list, tuple or dict)?"""
    return op not in seq_ops and _numeric_prim(op.prim)


def _numeric_prim(p: str) -> bool:
    """`numeric_op` of an op of primitive `p` in no `seq_ops`."""
    if p in _NUMERIC_PRIMS:
        return True
    if p.startswith(("numpy.", "math.")) and not default_registry().get(p).container:
        return not p.startswith("numpy.random")
    return False


def arraylike_defs(block: Block, seq_ops: Container[Op] = ()) -> set[Var]:
    """Vars defined by ops that always produce numbers/arrays (cotangents add with ``+``).
    `seq_ops`: ``+``/``*`` ops that may concatenate or repeat lists (`srcad.ad.seqs`)."""
    out: set[Var] = set()
    # the primitives `numeric_op` holds for, each asked once (plain loops below: on 3.11 they
    # cost less than picking the ops with `compress`/`filter` over `attrgetter` maps)
    numeric = {p for p in {op.prim for op in ops_of(block)} if _numeric_prim(p)}

    def visit(b: Block) -> None:
        nested = []  # (the ops with blocks: never of a `numeric` primitive)
        for op in b.ops:
            if op.prim in numeric and len(op.results) == 1 and op not in seq_ops:
                out.add(op.results[0])
            elif op.blocks:
                nested.append(op)
        for op in nested:  # (results never read before their definition: the nested blocks'
            for sub in op.blocks:  # carries see this block's earlier ones)
                visit(sub)
        # a loop carry holds what its body yields
        for op in nested:
            if op.prim in ("for", "while"):
                body = op.blocks[-1]
                off = 1 if op.prim == "for" else 0
                for k, r in enumerate(op.results):
                    if body.yields[k] in out:
                        out.add(r)
                        for blk in op.blocks:
                            o = off if blk is body else 0
                            out.add(blk.params[o + k])

    try:
        visit(block)
    finally:  # (recursive closures: a reference cycle, freed only by the collector otherwise)
        visit = None  # type: ignore[assignment]
    return out


def unseen_effect(op: Op, varied: Container, handled: bool) -> bool:
    """Does `op`, whose result no cotangent reaches, change a differentiated object the reverse
    sweep cannot follow? A call of a method no rule knows (``b.step(dt)`` of a user object read
    from a list: it may write ``b.pos``, which a later ``objs[0].pos`` reads) with a varied
    operand, not `handled` (a user call split into its own derivative, or a rule)."""
    if handled or op.blocks or not op.prim.startswith("method."):
        return False
    if default_registry().get(op.prim).pure:
        return False
    return any(isinstance(a, Var) and a in varied for a in op.operands())


_LITERALS = frozenset(
    {"list", "tuple", "numpy.array", "numpy.asarray", "numpy.linspace", "numpy.arange"}
)
_PLAIN = (int, float, bool, str, complex, type(None))


def constant_residuals(
    body: Block, res: list[Var], varied: Container
) -> tuple[list[Op], list[Var]]:
    """Residuals the forward sweep builds from literals only (``[10, 50, 95]``,
    ``np.array([0.1, 0.5])``, ``np.linspace(10, 90, 3)`` of numbers) -> (their ops, in order,
    for the backward function to rebuild; the other residuals). A second differentiation of
    ``vjp_f_bwd(residuals, g)`` takes every element of `residuals` as varied when one is: the `q`
    of ``np.percentile(x, [10, 50])`` in a helper was refused (`quantile_vjp` has no derivative in
    `q`) though it is a constant."""
    made: dict[Var, Op] = {}
    for op in body.ops:  # straight-line code only
        if op.prim not in _LITERALS or len(op.results) != 1 or op.blocks or op.result in varied:
            continue
        ok = (type(a) is Var and a in made or type(a) is Const and type(a.value) in _PLAIN
              for a in op.operands())  # fmt: skip
        if all(ok):
            made[op.result] = op
    need: set[Var] = set()
    stack = [v for v in res if v in made]
    while stack:
        v = stack.pop()
        if v not in need:
            need.add(v)
            stack.extend(a for a in made[v].operands() if type(a) is Var)
    ops = [
        op
        for op in body.ops
        if op.results and op.results[0] in need and op is made.get(op.results[0])
    ]
    return ops, [v for v in res if v not in need]


def loop_defs(op: Op) -> set[Var]:
    """The Vars a loop op's blocks define, params and nested blocks' included."""
    out: set[Var] = set()
    for blk in op.blocks:
        out.update(blk.params)
        for o in ops_of(blk):
            out.update(o.results)
        for sub in nested_blocks(blk):
            out.update(sub.params)
    return out


def outer_varied_reads(op: Op, inner: set[Var], varied: set[Var], extra: Any = ()) -> list[Var]:
    """The varied values from outside a loop (not in `inner`: `loop_defs`) its body reads or
    yields, nested blocks included, in first-read order, then those of `extra` (the values a
    squared magnitude's rule gives cotangents to: `squares.square_targets`)."""
    out: list[Var] = []
    seen = set(inner)  # (inner values, and those in `out`: one set test each)
    for blk in op.blocks[-1:]:
        for o in ops_of(blk):
            for a in o.operands():
                if type(a) is Var and a in varied and a not in seen:
                    seen.add(a)
                    out.append(a)
        for y in blk.yields:
            if type(y) is Var and y in varied and y not in seen:
                seen.add(y)
                out.append(y)
        for sub in nested_blocks(blk):
            for y in sub.yields:
                if type(y) is Var and y in varied and y not in seen:
                    seen.add(y)
                    out.append(y)
    for y in extra:
        if y in varied and y not in seen:
            seen.add(y)
            out.append(y)
    return out
