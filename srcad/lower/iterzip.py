"""``zip(...)`` as a loop's iteration space, its arguments ``reversed(seq)`` among them.

Input: the gast ``zip(a, reversed(b), ...)`` of a ``for`` loop or comprehension. Output:
(start, stop, step, item(i)): ``for u, v in zip(a, reversed(b))`` runs ``i`` over
``range(min(len(a), len(b)))`` with ``u = a[i]``, ``v = b[len(b) - 1 - i]``. A ``reversed``
iterator read only by this ``zip`` is never a value of its own (it has no rules); Python reads
``b`` through it lazily by index, so does the loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gast

from srcad.lower.values import PrimRef
from srcad.ssa.core import Const, Operand, Var


def _reversed_arg(lw: Any, node: Any) -> Any | None:
    """The argument of ``reversed(seq)`` (one positional argument, no keywords), else None."""
    if not (isinstance(node, gast.Call) and len(node.args) == 1 and not node.keywords):
        return None
    if isinstance(node.args[0], gast.Starred):
        return None
    f = lw.expr(node.func)
    return node.args[0] if isinstance(f, PrimRef) and f.name == "reversed" else None


def zip_space(lw: Any, it: gast.Call) -> tuple[Operand, Operand, Operand, Callable]:
    """``zip(s1, reversed(s2), ...)`` -> (0, min of the lengths, 1, item(i)), ``item(i)`` the
    tuple of ``s1[i]``, ``s2[len(s2) - 1 - i]``, ..."""
    if it.keywords:
        raise lw.error(it, "keyword arguments to `zip` are not supported")
    seqs: list[tuple[Operand, bool]] = []  # (sequence, read backwards)
    for a in it.args:
        inner = None if isinstance(a, gast.Starred) else _reversed_arg(lw, a)
        if inner is None:
            args, _ = lw.call_args(gast.Call(func=it.func, args=[a], keywords=[]))
            seqs += [(lw.as_seq(v), False) for v in args]
        else:
            seqs.append((lw.as_seq(lw.value(inner)), True))
    getters: list[Callable[[Var], Operand]] = []
    lens: list[Operand] = []
    for seq, back in seqs:
        n = lw.op("len", [seq], hint="n")
        lens.append(n)
        if not back:
            getters.append(lambda i, s=seq: lw.op("getitem", [s, i]))
            continue
        last = lw.op("sub", [n, Const(1)])
        getters.append(lambda i, s=seq, last=last: lw.op("getitem", [s, lw.op("sub", [last, i])]))
    n = lens[0] if len(lens) == 1 else lw.op("min", lens, hint="n")
    return Const(0), n, Const(1), lambda i: lw.op("tuple", [g(i) for g in getters])
