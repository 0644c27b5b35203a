"""``functools.partial(f, *args, **kw)`` made in the lowered function, called later.

Input: the ``functools.partial(...)`` call (lower/stdlib.py dispatches it) and, later, a call of
its value. Output: a compile-time `Partial` (what `f` and the bound arguments were when it was
made: Python evaluates them then), and at each call the call ``f(*args, *more, **{**kw,
**more_kw})`` lowered as any call (a nested function inlined, a module-level one called, a
NumPy function as a primitive). Used as a value otherwise (returned, stored), it is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gast

from srcad.ssa.core import Operand


@dataclass(eq=False)
class Partial:
    """A ``functools.partial`` object made here: the function's and the arguments' values."""

    fn: Any
    args: list
    kwargs: dict

    def __repr__(self) -> str:
        return "a `functools.partial` object made here (srcad lowers its calls)"

    def call(self, lw: Any, node: gast.Call) -> Operand:
        """``p(*more, **more_kw)`` at `node`."""
        n = getattr(lw, "_partial_n", 0) + 1
        lw._partial_n = n
        names = {f"$pf{n}": self.fn}
        args: list = [_load(f"$pf{n}", node)]
        for k, a in enumerate(self.args):
            names[f"$pa{n}_{k}"] = a
            args.append(_load(f"$pa{n}_{k}", node))
        given = {kw.arg for kw in node.keywords}
        keywords = []
        for k, v in self.kwargs.items():
            if k not in given:  # the call's own keyword wins, as in Python
                names[f"$pk{n}_{k}"] = v
                keywords.append(gast.keyword(arg=k, value=_load(f"$pk{n}_{k}", node)))
        call = gast.Call(func=args[0], args=args[1:] + node.args, keywords=keywords + node.keywords)
        lw.env.update(names)
        try:
            return lw.expr(gast.copy_location(call, node))
        finally:
            for k in names:
                del lw.env[k]


def make(lw: Any, node: gast.Call) -> Partial | None:
    """``functools.partial(f, *args, **kw)`` (no ``*``/``**`` unpacking): a `Partial`."""
    if not node.args or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    if any(kw.arg is None for kw in node.keywords):
        return None
    fn = lw.expr(node.args[0])
    args = [lw.value(a) for a in node.args[1:]]
    kwargs = {kw.arg: lw.value(kw.value) for kw in node.keywords}
    return Partial(fn, args, kwargs)


def _load(name: str, like: Any) -> gast.Name:
    return gast.copy_location(
        gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None), like
    )
