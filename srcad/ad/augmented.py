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
  srcad trusts operators on values of unknown type to be arithmetic (`receiver_guards.rule_results`).

Example: ``a = Acc(x[0]); a += x[1]`` with ``Acc.__iadd__`` -> ``a = a.__iadd__(x[1])``.
An array target of another dtype than float64 keeps its dtype (`srcad.ad.inplace_dtypes`, also
run by the transforms).
"""

from __future__ import annotations

from typing import Any

from srcad.ad.arith import arithmetic
from srcad.ad.inplace_dtypes import cast_augmented, primal_seeds
from srcad.ad.receivers import _DUNDERS, DEEP, GUARD, PLAIN, object_kinds, value_kind
from srcad.lower.reads import classify
from srcad.ssa.core import Block, Const, Function, Op, Var

UNARY = ("neg", "pos", "abs", "invert")


def inplace_name(op: Op) -> str | None:
    """``__iadd__`` for the `add` op of ``a += v``, else None."""
    name = _DUNDERS.get(op.prim)
    return f"__i{name}__" if name is not None and name not in UNARY and len(op.args) == 2 else None


def primal_augmented(fn: Function, augmented: frozenset, seeds: dict[Var, Any]) -> None:
    """Make the `augmented` ops of `fn` (primal mode) run what Python's ``op=`` runs."""
    kinds = object_kinds(fn, seeds)
    plain = arithmetic(fn, kinds, (DEEP, PLAIN), _DUNDERS)

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
    spec = getattr(seeds, "spec", None)  # (`entry_seeds`: an array target keeps its dtype)
    cast_augmented(fn, augmented, primal_seeds(fn, spec) if spec is not None else {})


class _Seeds(dict):
    """`entry_seeds`' kinds, with the cache key they came from (`srcad.ad.inplace_dtypes`)."""

    spec: Any = None


def entry_seeds(fn: Function, spec: Any) -> dict[Var, Any]:
    """Parameter kinds from the cache key (`receivers.seeds_of` for the entry point)."""
    classes, ndims = spec.class_map, spec.ndim_map
    out = _Seeds()
    out.spec = spec
    for i, p in enumerate(fn.params):
        if i in classes:
            out[p] = classes[i]
        else:
            out[p] = DEEP if i in spec.scalars or i in ndims or spec.seqs is None else PLAIN
    return out
