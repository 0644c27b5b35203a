"""``a op= v`` where `a` may be a user object: Python runs ``a.__iop__(v)`` when its class has one.

Input: a function about to be emitted in primal mode (`srcad.primal`), and what the cache key
says of its arguments. Output: the function, its `x op= v` ops (`Function.augmented`) made exact.
The lowering writes ``a op= v`` as the operator (``a + v``: right for numbers and, srcad's arrays
being values, for arrays); the transforms pick the user method from the receiver kinds
(`ad/receivers.py`), but primal mode has no transform, so it does the same here:

- `a` certainly no user object (a number, an array): ``a + v`` stays;
- an instance of a known user class defining ``__iadd__``: ``a.__iadd__(v)``;
- of unknown kind (an element of a list): ``_srcad.plain_receiver(a, "__iadd__", line) + v``,
  which refuses a user object whose class defines ``__iadd__`` when it runs; not for a result of
  arithmetic on a left operand that is no user object (``acc = 0.0; acc += v * x`` in a loop):
  srcad trusts operators on values of unknown type to be arithmetic (`receivers.rule_results`).

Example: ``a = Acc(x[0]); a += x[1]`` with ``Acc.__iadd__`` -> ``a = a.__iadd__(x[1])``.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.receivers import _DUNDERS, DEEP, GUARD, PLAIN, object_kinds, value_kind
from srcad.lower.reads import classify
from srcad.ssa.core import Block, Const, Function, Op, Var

UNARY = ("neg", "pos", "abs")


def inplace_name(op: Op) -> str | None:
    """``__iadd__`` for the `add` op of ``a += v``, else None."""
    name = _DUNDERS.get(op.prim)
    return f"__i{name}__" if name is not None and name not in UNARY and len(op.args) == 2 else None


def primal_augmented(fn: Function, augmented: frozenset, seeds: dict[Var, Any]) -> None:
    """Make the `augmented` ops of `fn` (primal mode) run what Python's ``op=`` runs."""
    kinds = object_kinds(fn, seeds)
    plain = arithmetic(fn, kinds)

    def visit(b: Block) -> None:
        new: list[Op] = []
        for op in b.ops:
            for sub in op.blocks:
                visit(sub)
            iname = inplace_name(op) if op in augmented else None
            a = op.args[0] if iname else None
            k = value_kind(a.value) if isinstance(a, Const) else kinds.get(a)
            if iname is None or k in (DEEP, PLAIN):
                pass
            elif isinstance(k, type):
                if classify(k, iname) != "rule":
                    op.prim = f"method.{iname}"
            elif isinstance(a, Var) and a not in plain:
                g = Var(a.hint)
                line = op.loc.line if op.loc else 0
                new.append(Op(GUARD, [a, Const(iname), Const(line)], results=[g], loc=op.loc))
                op.args[0] = g
            new.append(op)
        b.ops = new

    visit(fn.body)


def entry_seeds(fn: Function, spec: Any) -> dict[Var, Any]:
    """Parameter kinds from the cache key (`receivers.seeds_of` for the entry point)."""
    classes, ndims = spec.class_map, spec.ndim_map
    out: dict[Var, Any] = {}
    for i, p in enumerate(fn.params):
        if i in classes:
            out[p] = classes[i]
        else:
            out[p] = DEEP if i in spec.scalars or i in ndims else PLAIN
    return out


def arithmetic(fn: Function, kinds: dict) -> set[Var]:
    """Vars of unknown kind that are results of operators whose left operand is no user object
    (DEEP, PLAIN or such a result itself), through `if` joins and loop carries (a carry when its
    initial value and the body's new value are)."""
    out: set[Var] = set()
    loops = [op for op in _ops(fn.body) if op.prim in ("for", "while")]

    def ok(a: Any) -> bool:
        return isinstance(a, Const) or kinds.get(a) in (DEEP, PLAIN) or a in out

    def visit(b: Block, bad: set) -> None:
        for op in b.ops:
            if op.prim in ("for", "while"):
                off = 1 if op.prim == "for" else 0
                inits = op.args[3:] if op.prim == "for" else op.args
                for k, init in enumerate(inits):
                    if (op, k) not in bad and ok(init):
                        out.update(
                            blk.params[off * (blk is op.blocks[-1]) + k] for blk in op.blocks
                        )
                        out.add(op.results[k])
            for sub in op.blocks:
                visit(sub, bad)
            if op.prim == "if":
                out.update(r for k, r in enumerate(op.results)
                           if all(ok(blk.yields[k]) for blk in op.blocks))  # fmt: skip
            elif op.prim in _DUNDERS and op.results and ok(op.args[0]):
                out.add(op.result)

    bad: set = set()
    while True:
        out.clear()
        visit(fn.body, bad)
        worse = {(op, k) for op in loops for k, y in enumerate(_carried(op))
                 if (op, k) not in bad and not ok(y)}  # fmt: skip
        if not worse:
            return out
        bad |= worse


def _carried(op: Op) -> list:
    """The new values of a loop's carries (the body's yields, without a stop flag)."""
    n = len(op.args) - (3 if op.prim == "for" else 0)
    return list(op.blocks[-1].yields[:n])


def _ops(b: Block) -> list[Op]:
    out = []
    for op in b.ops:
        out.append(op)
        for sub in op.blocks:
            out.extend(_ops(sub))
    return out
