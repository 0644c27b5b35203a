"""In-place updates: `x[i] = v` and `lst.append(v)` without a copy where no one can tell.

Input: a `Function` about to be emitted. Output: the same function with ``params["inplace"]``
set on the `setitem`/`list_append` ops that may update their object in place. Returns True when
it marked something.

The IR treats both as new values (`x.1 = setitem(x, i, v)`), which costs a copy of `x` per update
and makes filling an array in a loop quadratic. The copy is unnecessary when the object is
private to the loop that updates it:

    out = np.zeros(n)              # a fresh object, used only as the loop's initial value
    for i in range(n):             # the carry is read only by the update,
        out[i] = f(i)              # whose result is only yielded back into the carry

Nothing else (no other name, no tape of the reverse sweep) can see the intermediate versions.
"""

from __future__ import annotations

from srcad.rules import default_registry
from srcad.ssa.core import Block, Function, Op, Var, uses


def _owned(op: Op) -> bool:
    """A new object that code may update in place (``np.array(x, copy=False)`` may be `x`)."""
    return default_registry().get(op.prim).mutable and "copy" not in op.kwargs


def inplace(fn: Function) -> bool:
    counts = uses(fn.body)
    return _block(fn.body, counts)


def _block(block: Block, counts: dict[Var, int]) -> bool:
    changed = False
    defs = {r: op for op in block.ops for r in op.results}
    for op in block.ops:
        for b in op.blocks:
            changed |= _block(b, counts)
        if op.prim in ("for", "while"):
            changed |= _loop(op, defs, counts)
    return changed


def _loop(op: Op, defs: dict[Var, Op], counts: dict[Var, int]) -> bool:
    changed = False
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    head = 3 if op.prim == "for" else 0
    for k in range(len(op.results)):
        init = op.args[head + k]
        if not isinstance(init, Var) or counts.get(init, 0) != 1:
            continue
        d = defs.get(init)
        if d is None or not _owned(d):
            continue
        if op.prim == "while" and counts.get(op.blocks[0].params[k], 0):
            continue
        p = body.params[off + k]
        if counts.get(p, 0) != 1:
            continue
        m = next((o for o in body.ops if p in o.args), None)
        if m is None or m.prim not in ("setitem", "list_append") or m.args[0] is not p:
            continue
        if p in m.args[1:] or counts.get(m.result, 0) != 1 or body.yields[k] is not m.result:
            continue
        if not m.params.get("inplace"):
            m.params["inplace"] = True
            changed = True
    return changed
