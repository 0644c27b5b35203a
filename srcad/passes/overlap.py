"""``x[idx] = v`` where `v` may be a view of `x`: checked when it runs (`_srcad.copy_source`).

Input: a lowered function. Output: the same function, the value of each such write passed
through ``_srcad.copy_source(x, idx, v, line)`` (`v` itself, or a `DiffError`).

srcad's write is functional: a copy of `x` with `v`, as `v` was before, at `idx`. NumPy writes
element by element and copies `v` first only in some cases (an N-D target; a 1-D one with strides
of opposite signs), and runs a 1-D write backwards when `v` starts before it; otherwise an element
of `v` the write already changed is read again (``u[:, 2] = u[1, :]`` puts the new ``u[1, 2]`` in
``u[2, 2]``). Which case it is depends on shapes and strides only known when the code runs, so the
helper runs NumPy's own write on a copy of the memory and compares (`u[1:] = u[:-1]`, the common
shift, stays right and is not refused). Example::

    u_1[:, -2] = u[1, :]   ->   _t1 = u[1, :]; _t2 = _srcad.copy_source(u, (slice(None), -2), _t1, 4)

`v` may be a view of `x` when both come from one value through indexing and the NumPy calls that
return views (`VIEWS`), `if` joins included.
"""

from __future__ import annotations

from srcad.ssa.core import Block, Const, Function, Op, Var, defining_ops

CHECK = "srcad.runtime.copy_source"
VIEWS = frozenset({"getitem", "attr.T", "method.transpose", "method.reshape", "method.ravel",
                   "method.view", "method.swapaxes", "method.squeeze", "numpy.reshape",
                   "numpy.transpose", "numpy.ravel", "numpy.swapaxes", "numpy.squeeze",
                   "numpy.asarray", "numpy.asanyarray", "numpy.atleast_1d", "numpy.atleast_2d",
                   "numpy.expand_dims", "numpy.moveaxis", "method.__getitem__", "method.diagonal",
                   "numpy.diagonal", "numpy.broadcast_to"})  # fmt: skip


def guard_overlaps(fn: Function, defs: dict[Var, Op] | None = None) -> None:
    """Route the value of every ``x[idx] = v`` whose `v` may be a view of `x` through the check.
    `defs`: `defining_ops(fn.body)`, when known (the checks it adds are not in it)."""
    defs = defining_ops(fn.body) if defs is None else defs

    def roots(v: object, seen: set) -> set:
        if not isinstance(v, Var) or v in seen:
            return set()
        seen.add(v)
        op = defs.get(v)
        if op is None:
            return {v}
        if op.prim in VIEWS and op.args:
            return roots(op.args[0], seen) | {v}
        if op.prim == "if" and v in op.results:
            k = op.results.index(v)
            return set().union(*(roots(b.yields[k], seen) for b in op.blocks)) | {v}
        return {v}

    def visit(b: Block) -> None:
        new: list[Op] = []
        for op in b.ops:
            for sub in op.blocks:
                visit(sub)
            if op.prim == "setitem" and len(op.args) == 3 and isinstance(op.args[2], Var):
                x, idx, v = op.args
                if v is not x and roots(x, set()) & roots(v, set()):  # (`u[::-1] = u`: copied)
                    g = Var(v.hint)
                    line = Const(op.loc.line if op.loc else 0)
                    new.append(Op(CHECK, [x, idx, v, line], results=[g], loc=op.loc))
                    op.args[2] = g
            new.append(op)
        b.ops = new

    try:
        visit(fn.body)
    finally:  # (recursive closures: a reference cycle, freed only by the collector otherwise)
        visit = roots = None  # type: ignore[assignment]
