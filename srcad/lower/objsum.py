"""``sum(<generator>, start)`` whose generator walks objects built here (lower/objects.py):
micrograd's ``Neuron.__call__``, ``sum((wi * xi for wi, xi in zip(self.w, x)), self.b)``.

Input: the lowerer and the ``sum`` call. Output: the sum (an object built here, or a value), or
None (the call is lowered as before: the objects become run-time values, whose methods srcad
cannot differentiate). The generator is lowered as the loop Python runs, one item at a time::

    srcad_sum = start                        # 0 when not given
    for wi, xi in zip(self.w, x):            # over lists of objects: unrolled when lowering
        srcad_sum = srcad_sum + wi * xi      # `+` picked as lower/objops.binop picks it

Python evaluates the generator's first iterable when the generator is made, before `start`;
only first iterables that merely read names, attributes of names and constants (through
``zip``, ``enumerate``, ``reversed``) are taken, so the order cannot show. One ``for`` clause
and its ``if`` conditions; the generator's own names are its own (restored afterwards).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.objseq import FnSeq
from srcad.lower.values import LocalObj

_WRAPPERS = ("zip", "enumerate", "reversed")


def generator_sum(lw: Any, node: gast.Call, start: Any) -> Any:
    """The sum (module docstring) of ``sum(gen[, start])`` at `node`, `start` the start's node
    or None; None when the generator does not walk objects built here."""
    gen = node.args[0]
    if not isinstance(gen, gast.GeneratorExp) or len(gen.generators) != 1:
        return None
    g = gen.generators[0]
    if g.is_async or not _pure(g.iter) or not _objects(lw, g.iter):
        return None
    acc = f"srcad_sum{node.lineno}_{node.col_offset}"
    own = [n.id for n in gast.walk(g.target) if isinstance(n, gast.Name)] + [acc]
    saved = {n: lw.env[n] for n in own if n in lw.env}
    at = lambda n: gast.copy_location(n, node)  # noqa: E731
    load = lambda: at(gast.Name(id=acc, ctx=gast.Load(), annotation=None, type_comment=None))  # noqa: E731
    store = lambda: at(gast.Name(id=acc, ctx=gast.Store(), annotation=None, type_comment=None))  # noqa: E731
    first = start if start is not None else at(gast.Constant(0, None))
    step = at(gast.Assign(targets=[store()], value=at(gast.BinOp(load(), gast.Add(), gen.elt)),
                          type_comment=None))  # fmt: skip
    for cond in reversed(g.ifs):
        step = at(gast.If(test=cond, body=[step], orelse=[]))
    loop = at(gast.For(target=g.target, iter=g.iter, body=[step], orelse=[], type_comment=None))
    init = at(gast.Assign(targets=[store()], value=first, type_comment=None))
    live = {k for k in lw.env if isinstance(k, str)} | {acc}
    lw.stmts([init, loop], live)
    out = lw.env.get(acc)
    for n in own:
        lw.env.pop(n, None)
    lw.env.update(saved)
    return out


def _pure(e: Any) -> bool:
    """`e` only reads names, attributes of them and constants (through `_WRAPPERS`)."""
    if isinstance(e, (gast.Name, gast.Constant)):
        return True
    if isinstance(e, gast.UnaryOp):  # `-0.2`
        return isinstance(e.operand, gast.Constant)
    if isinstance(e, gast.Attribute):
        return _pure(e.value) and not isinstance(e.value, gast.Constant)
    if isinstance(e, (gast.List, gast.Tuple)):
        return all(map(_pure, e.elts))
    return (
        isinstance(e, gast.Call)
        and isinstance(e.func, gast.Name)
        and e.func.id in _WRAPPERS
        and not e.keywords
        and all(_pure(a) for a in e.args)
    )


def _objects(lw: Any, e: Any) -> bool:
    """A sequence the generator walks (`e`, or an argument of its ``zip``...) is a list or tuple
    of objects built here, known now."""
    if isinstance(e, gast.Call):
        return any(_objects(lw, a) for a in e.args)
    if not isinstance(e, (gast.Name, gast.Attribute)):
        return False
    seq = _known(lw, e)
    return isinstance(seq, FnSeq) and bool(seq.items) and isinstance(seq.items[0], LocalObj)


def _known(lw: Any, e: Any) -> Any:
    """What the name or the field ``name.attr`` of an object built here holds now, or None."""
    if isinstance(e, gast.Name):
        return lw.env.get(e.id)
    base = _known(lw, e.value) if isinstance(e.value, (gast.Name, gast.Attribute)) else None
    if isinstance(base, LocalObj):
        return base.fields.get(e.attr)
    return None
