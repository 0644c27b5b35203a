"""Forward mode: values whose tangent is zero at positions no condition names (written buffers).

Input: a function's IR and its varied values. Output: ``partly_constant(fn, varied) -> set[Var]``,
the varied values whose tangent may be exactly zero at some positions because a write left
constants there: ``D[i, j] = 0.0`` / ``D[idx] = c`` (any index, a constant value),
``np.fill_diagonal(D, 0.0)``, ``np.put`` of constants, and writes of varied values into a
constant buffer (``D = np.zeros((n, n)); D[i, j] = ...`` in a loop, ``np.add.at(np.zeros(n),
...)``: the positions never written); lists and tuples of varied values and constants
(``np.array([x[0], 0.0])``, ``np.concatenate([u, np.zeros(2)])``), ``np.pad``; the results of
user functions (``relu(z)``: ``np.maximum(z, 0)`` in the helper, its tangent zero where z < 0,
which the caller's static masks do not see); and every value
computed from such a value (`fmasks._Scan.carry_partial` adds the values a reshape, an index, a
sort or a sum makes of a selection's result: ``np.maximum(x, 0).reshape(2, 2)``). `ad/fmasks.py`
masks the tangent of a singular op (``np.sqrt``, logs, ``** 0.5``, ...) of one where its
operand's tangent is zero when the code runs (``np.where(du == 0, 0.0, dy)``)::

    np.fill_diagonal(D2, 0.0)        dD2: zero on the diagonal
    D = np.sqrt(D2)                  dD = dD2 * (0.5 / D)             # 0 * inf = nan there
                                     dD = np.where(dD2 == 0, 0.0, dD)  # the true derivative

Exact wherever the derivative exists: where the operand's tangent is zero the output's is zero
for a finite local derivative, and at an infinite one (sqrt at 0) the function is constant along
the direction to first order (the written constant) or has no derivative there, where 0 is the
symmetric difference quotient's limit (as ``np.abs``'s 0 at 0). The static masks of
`fmasks._Scan` name the positions of selections; these writes have positions only the run knows.
Programs without such a write pay one scan of the prims.
"""

from __future__ import annotations

from collections.abc import Container

from srcad.ad.common import RT
from srcad.ssa.core import Function, Op, Var, walk_ops

# write -> (the buffer's operand index, the written value's or None)
WRITES = {
    "setitem": (0, 2),
    RT + "fill_diag": (0, 1),
    RT + "put_write": (0, 2),
    RT + "scatter_add": (0, None),
    "list_append": (0, 1),  # ``out = [0.0]; for ..: out.append(v)``
}


# ops whose varied result holds constants where their operands are constant: ``[x[0], 0.0]``,
# ``np.pad(u, 1)`` (a list's constants reach ``np.array``/``np.concatenate`` through it)
MIXES = frozenset(("list", "tuple", "numpy.pad"))


def partly_constant(fn: Function, varied: Container) -> set[Var]:
    """The varied values whose tangent may be zero at positions only the run knows."""
    ops = list(walk_ops(fn.body))
    if not any(op.prim in WRITES or op.prim in MIXES or op.prim == "call" for op in ops):
        return set()
    defs = {r: op for op in ops for r in op.results}
    writers = {id(op) for op in ops if op.prim in WRITES or _writes_inside(op)}
    part: set[Var] = set()

    def const(a: object) -> bool:  # a tangent zero everywhere
        return not isinstance(a, Var) or a not in varied

    def weak(a: object) -> bool:
        return isinstance(a, Var) and a in part

    def written(a: object) -> bool:  # by a write, or by a loop or branch holding one
        return isinstance(a, Var) and a in defs and id(defs[a]) in writers

    changed = True
    while changed:
        changed = False
        for op in ops:
            if op.prim in ("for", "while", "if"):
                new = _structured(op, varied, const, weak, written)
            elif not any(r in varied for r in op.results):
                continue
            elif op.prim in WRITES and _source(op, const):
                new = list(op.results)
            elif op.prim in MIXES and (op.prim == "numpy.pad" or any(map(const, op.args))):
                new = list(op.results)
            elif op.prim == "call":  # a user function's result: ``relu(z)`` is 0 where z < 0
                new = list(op.results)
            elif any(weak(a) for a in op.operands()):
                new = list(op.results)
            else:
                continue
            for v in new:
                if v in varied and v not in part:
                    part.add(v)
                    changed = True
    return part


def _writes_inside(op: Op) -> bool:
    return any(o.prim in WRITES for blk in op.blocks for o in walk_ops(blk))


def _source(op: Op, const: object) -> bool:
    """A write leaving constants somewhere: a constant written, or written into a constant."""
    buf, val = WRITES[op.prim]
    args = op.args
    if len(args) <= max(buf, val or 0):
        return False
    return const(args[buf]) or (val is not None and const(args[val]))  # type: ignore[operator]


def _structured(op: Op, varied: Container, const: object, weak: object, written: object) -> list:
    """The results (and carried block parameters) of a loop or a branch that may be partly
    constant: a branch or a body yielding such a value, or a loop carrying a constant buffer
    into writes (``D = np.zeros(..)``; ``for ..: D[i] = v``). A branch yielding a constant is
    `fmasks._Scan.if_op`'s (a condition names it)."""
    n = len(op.results)
    if op.prim == "for":
        inits, bodies = list(op.args[3 : 3 + n]), op.blocks[:1]
    elif op.prim == "while":
        inits, bodies = list(op.args[:n]), op.blocks[1:2]
    else:
        inits, bodies = [], list(op.blocks)
    out: list[Var] = []
    for k, r in enumerate(op.results):
        if r not in varied:
            continue
        ys = [blk.yields[k] for blk in bodies if k < len(blk.yields)]
        hit = any(weak(y) for y in ys) or (k < len(inits) and weak(inits[k]))  # type: ignore
        if not hit and k < len(inits) and const(inits[k]):  # type: ignore[operator]
            hit = any(written(y) for y in ys)  # type: ignore[operator]
        if hit:
            out.append(r)
            for blk in op.blocks:  # the carried parameter (a for loop's first is its index)
                j = k + 1 if op.prim == "for" else k
                if op.prim != "if" and j < len(blk.params):
                    out.append(blk.params[j])
    return out
