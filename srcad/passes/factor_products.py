"""A factor's cotangent times that factor, from the product itself: keep `z`, not `a`.

Input: the entry point of a transform about to be emitted (`passes/inplace.py` runs this before
writing arithmetic into dead buffers). Output: the same function with such chains rewritten; True
when it rewrote one.

For ``z = a * b`` the reverse sweep's cotangent of `b` is ``unbroadcast(g * a, b)``; when it is
then multiplied by `b` itself (``b = np.exp(u)``: the cotangent of `u` is that times ``exp(u)``),
or by `e` where ``b = e[None, :, :]`` through the cotangent of that indexing (``[0, :, :]``), the
result is the sum of ``g * (a * b)`` over the axes along which `b` is constant, taken first::

    z = _t7 * _t9                               z = _t7 * _t9
    ...                                  ->     ...
    unbroadcast(bz * _t7, _t9)[0, :, :] * _t8   unbroadcast(bz * z, _t9)[0, :, :]

(with ``_t9 = _t8[None, :, :]``). Both are the same real numbers: ``unbroadcast(x, b)`` sums `x`
over the axes along which `b` is broadcast (b's shape is the result's), and `b` is constant along
them, so multiplying by `b` before the sum or after it is the same; ``(u * b)[0, :, :]`` is
``u[0, :, :] * e``. Rounding differs (one product fewer). The gain is memory: `a` (``X[:, None] -
means[None]``, a full-size array) is then read by `z`'s product only, so that product may write
into it (`passes/inplace_ops.py`) and nothing keeps it for the reverse sweep, as a person keeps
only `z`.

Only in the function's own block (no loop), where `z` is computed before the cotangent, the
intermediate values (``g * a``, the sum, the index) are read once each, and `a` is read by
nothing else (else no memory is saved).
"""

from __future__ import annotations

from srcad.ssa.core import Block, Const, Function, Op, Var, uses

_UNBROADCAST = "srcad.runtime.unbroadcast"
_FULL = slice(None)


def factor_products(fn: Function) -> bool:
    """Rewrite the chains of the module docstring in `fn`'s body; True when one changed."""
    body = fn.body
    if not any(op.prim == _UNBROADCAST for op in body.ops):
        return False
    defs: dict[Var, Op] = {}
    products: dict[tuple[int, int], Op] = {}  # (id(a), id(b)) -> the first ``a * b``
    for op in body.ops:
        if len(op.results) == 1:
            defs[op.result] = op
        if op.prim == "mul" and len(op.args) == 2 and not op.kwargs:
            a, b = op.args
            products.setdefault((id(a), id(b)), op)
            products.setdefault((id(b), id(a)), op)
    counts: dict[Var, int] | None = None
    changed = False
    for r in list(body.ops):
        if r.prim != "mul" or len(r.args) != 2 or r.kwargs or len(r.results) != 1:
            continue
        for x, e in (r.args, r.args[::-1]):
            chain = _chain(x, e, defs)
            if chain is None:
                continue
            if counts is None:
                counts = uses(body)
            if _rewrite(body, r, chain, defs, products, counts):
                changed = True
                break
    return changed


def _chain(x: object, e: object, defs: dict[Var, Op]) -> tuple | None:
    """(getitem op or None, unbroadcast op, b) when `x` is ``unbroadcast(m, b)[idx]`` with
    ``b = e[idx']`` (``idx'`` new axes and full slices, `idx` 0 on those and full slices) or
    `x` is ``unbroadcast(m, e)``."""
    if type(x) is not Var or type(e) is not Var:
        return None
    d = defs.get(x)
    if d is None:
        return None
    gi = None
    if d.prim == "getitem" and len(d.args) == 2 and not d.kwargs:
        gi, d = d, defs.get(d.args[0]) if type(d.args[0]) is Var else None
        if d is None:
            return None
    if d.prim != _UNBROADCAST or len(d.args) != 2 or d.kwargs:
        return None
    b = d.args[1]
    if gi is None:
        return (None, d, b) if b is e else None
    bd = defs.get(b) if type(b) is Var else None
    if bd is None or bd.prim != "getitem" or len(bd.args) != 2 or bd.args[0] is not e:
        return None
    if bd.kwargs or not _inverse(bd.args[1], gi.args[1]):
        return None
    return gi, d, b


def _inverse(expand: object, pick: object) -> bool:
    """``e[expand][pick]`` is `e` itself: `expand` a tuple of new axes (None) and full slices
    with at least one None, `pick` the same with 0 for each None."""
    if type(expand) is not Const or type(pick) is not Const:
        return False
    s, t = expand.value, pick.value
    if type(s) is not tuple or type(t) is not tuple or len(s) != len(t) or None not in s:
        return False
    for i, j in zip(s, t):
        if i is None:
            if type(j) is not int or j != 0:
                return False
        elif not (type(i) is slice and i == _FULL and type(j) is slice and j == _FULL):
            return False
    return True


def _rewrite(body: Block, r: Op, chain: tuple, defs: dict, products: dict, counts: dict) -> bool:
    gi, ub, b = chain
    m = ub.args[0]
    md = defs.get(m) if type(m) is Var else None
    if md is None or md.prim != "mul" or len(md.args) != 2 or md.kwargs:
        return False
    single = [m, ub.result] + ([gi.result] if gi is not None else [])
    if any(counts.get(v, 0) != 1 for v in single):
        return False
    ops = body.ops
    for k in (1, 0):  # `a` the second operand of ``g * a``, or the first
        a = md.args[k]
        z = products.get((id(a), id(b)))
        if type(a) is not Var or z is None or counts.get(a, 0) != 2:
            continue
        if ops.index(z) >= ops.index(md):
            continue
        md.args[k] = z.result
        counts[a] -= 1
        counts[z.result] = counts.get(z.result, 0) + 1
        if gi is None:  # r = unbroadcast(g * z, b)
            r.prim, r.args = ub.prim, list(ub.args)
            ops.remove(ub)
        else:  # r = unbroadcast(g * z, b)[idx]
            r.prim, r.args = "getitem", [ub.result, gi.args[1]]
            ops.remove(gi)
            defs[r.result] = r
        return True
    return False
