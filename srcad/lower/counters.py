"""``c.most_common(n)`` of a run-time ``collections.Counter``: Python's definition,
``sorted(c.items(), key=itemgetter(1), reverse=True)[:n]`` (``heapq.nlargest`` for a given `n`
is documented as that), lowered as written, when the receiver is a local name the function binds
to ``collections.Counter(...)``, checked to be a Counter when it runs (`srcad.rules.counters`).
Ties keep the insertion order, as both of Python's do.

Input: the lowerer, the lowered receiver and arguments, the call node. Output: the list of
``(key, count)`` pairs, or None (``n`` by keyword: the call is lowered as before, refused).
"""

from __future__ import annotations

import collections
from typing import Any

import gast

from srcad.lower import partials
from srcad.lower.values import PrimRef
from srcad.lower.withs import _resolve
from srcad.ssa.core import Const, Operand

_CHECK = "srcad.runtime.exact_counter"


def _second(node: Any) -> gast.Lambda:
    """``lambda kv: kv[1]`` (what ``itemgetter(1)`` gives, as a key srcad's sort lowers)."""
    lam = gast.parse("lambda $kv: $kv[1]".replace("$", "srcad_")).body[0].value
    for x in gast.walk(lam):
        if isinstance(x, gast.Name):
            x.id = "$" + x.id[len("srcad_") :]
    return lam


def _made_here(lw: Any, e: Any) -> bool:
    """`e` is a local name (not a parameter) the lowered function binds to a call of
    ``collections.Counter`` somewhere (a parameter, global or attribute may be another class
    with a ``most_common`` of its own: lowered as before)."""
    root = getattr(lw, "root", None)
    if not isinstance(e, gast.Name) or root is None or e.id in lw.param_set:
        return False
    return any(
        isinstance(a, gast.Assign)
        and any(isinstance(t, gast.Name) and t.id == e.id for t in a.targets)
        and isinstance(a.value, gast.Call)
        and _resolve(a.value.func, lw.ns) is collections.Counter
        for a in gast.walk(root)
    )


def most_common(lw: Any, recv: Operand, args: list, kwargs: dict, node: Any) -> Operand | None:
    """``recv.most_common(*args)`` as the module docstring writes it, or None."""
    if kwargs or len(args) > 1 or not _made_here(lw, node.func.value):
        return None
    n = partials._serial(lw)
    names: dict[str, Any] = {
        f"$mc{n}_s": PrimRef("sorted", sorted, None),  # (the builtin, whatever `sorted` names)
        f"$mc{n}_r": recv,
        f"$mc{n}_n": args[0] if args else Const(None),
    }

    def load(k: str) -> gast.Name:
        return partials._load(f"$mc{n}_{k}", node)

    lw.at(node)
    lw.op(_CHECK, [recv])  # (a check kept for its refusal: rules/facts)
    items = gast.Call(
        func=gast.Attribute(value=load("r"), attr="items", ctx=gast.Load()), args=[], keywords=[]
    )
    srt = gast.Call(
        func=load("s"),
        args=[items],
        keywords=[
            gast.keyword(arg="key", value=_second(node)),
            gast.keyword(arg="reverse", value=gast.Constant(value=True, kind=None)),
        ],
    )
    expr = gast.Subscript(
        value=srt, slice=gast.Slice(lower=None, upper=load("n"), step=None), ctx=gast.Load()
    )
    for x in gast.walk(expr):
        if isinstance(x, (gast.expr, gast.keyword)) and not hasattr(x, "lineno"):
            gast.copy_location(x, node)
    return partials._lower_with(lw, names, expr)
