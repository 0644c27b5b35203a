"""Factor a shared cotangent out of a sum of products: ``g*a + (g*b)*c`` is ``g * (a + b*c)``.

Input: a block of a reverse sweep (the cotangent arithmetic `ad/vjp.py` and `ad/vjp_loops.py`
generate, never the primal's ops, whose values must stay the user's). Output: the same block,
rewritten in place; True when it changed.

The chain rule multiplies the cotangent `g` of a value into every path to an operand, so a sum of
two paths reads ``bx = g * 0.1 + (g * 1.0001) * math.cos(x)``: three multiplications where a
person writes ``g * (0.1 + 1.0001 * math.cos(x))``, two. The rewrite replaces the ``add`` by
``t = b * c; u = a + t; r = g * u`` (the old products stay for DCE to drop when nothing else reads
them). It holds for numbers and for arrays alike (the result's shape is the broadcast of all
operands either way), under two conditions checked here:

- nothing between the first product and the sum may update a value in place (only arithmetic,
  reads and ``math`` functions in between), so every operand still holds the value it had;
- the new partial product (``b * c``, or the sum ``a + b``) is a float: one of its factors is a
  float constant or a ``math`` function's result, so integer operands are never multiplied (or
  added) among themselves where the original multiplied them into the float `g` first.
"""

from __future__ import annotations

from srcad.ssa.core import Block, Const, Op, Operand, Var, uses

_SAFE = frozenset({"add", "sub", "mul", "truediv", "neg", "pos", "pow", "getitem"})
_INT_MATH = frozenset({"math.floor", "math.ceil", "math.trunc", "math.factorial", "math.gcd",
                       "math.lcm", "math.comb", "math.perm", "math.isqrt", "math.frexp",
                       "math.modf"})  # fmt: skip


def factor_block(block: Block) -> bool:
    """Rewrite ``g*a + (g*b)*c`` (any operand order; either term may be the nested product, or
    both plain: ``g*a + g*b`` is ``g * (a + b)``) among `block`'s own ops (module docstring)."""
    # a rewrite needs a sum of two products made in this block (`_terms` of both operands):
    # looked for first, among the products' results only (most blocks have no such sum)
    muls = {op.results[0] for op in block.ops if op.prim == "mul" and len(op.results) == 1}
    if not muls:
        return False
    for op in block.ops:  # `any(...)`, inline (no generator resumed per op)
        if op.prim == "add" and _both_products(op, muls):
            break
    else:
        return False
    pos: dict[Var, int] = {}
    defs: dict[Var, Op] = {}
    for i, op in enumerate(block.ops):
        for r in op.results:
            pos[r], defs[r] = i, op
    counts = uses(block)
    new_ops: list[Op] = []
    changed = False
    for i, op in enumerate(block.ops):
        done = _factor(op, i, block, defs, pos, counts) if op.prim == "add" else None
        if done is None:
            new_ops.append(op)
        else:
            new_ops.extend(done)
            changed = True
    block.ops = new_ops
    return changed


def _both_products(op: Op, muls: set[Var]) -> bool:
    """Both operands of `op` are results of this block's ``mul`` ops (`muls`)."""
    if len(op.args) != 2:
        return False
    a, b = op.args
    return type(a) is Var and type(b) is Var and a in muls and b in muls


def _product(v: Operand, defs: dict, counts: dict) -> Op | None:
    """The ``mul`` op defining `v` in this block, when `v` is read only once."""
    d = defs.get(v) if isinstance(v, Var) else None
    if d is None or d.prim != "mul" or len(d.args) != 2 or d.kwargs or counts.get(v) != 1:
        return None
    return d


def _terms(v: Operand, defs: dict, counts: dict) -> list[tuple[Operand, list[Operand], list[Op]]]:
    """Ways to read `v` as ``g * rest``: (g, the other factors (1 or 2), the product ops)."""
    d = _product(v, defs, counts)
    if d is None:
        return []
    out = []
    for j in (0, 1):
        f, other = d.args[j], d.args[1 - j]
        out.append((f, [other], [d]))
        inner = _product(f, defs, counts)
        if inner is not None:
            for k in (0, 1):
                out.append((inner.args[k], [inner.args[1 - k], other], [d, inner]))
    return out


def _floaty(a: Operand, defs: dict) -> bool:
    if isinstance(a, Const):
        return type(a.value) is float
    d = defs.get(a)
    return d is not None and d.prim.startswith("math.") and d.prim not in _INT_MATH


def _factor(op: Op, i: int, block: Block, defs: dict, pos: dict, counts: dict) -> list[Op] | None:
    if len(op.args) != 2 or op.kwargs or len(op.results) != 1:
        return None
    left, right = op.args
    for g, ra, pa in _terms(left, defs, counts):
        if not isinstance(g, Var):
            continue
        for g2, rb, pb in _terms(right, defs, counts):
            if g2 is not g or len(ra) + len(rb) > 3:
                continue
            first = min(pos[p.result] for p in pa + pb)
            if any(o.blocks or not _safe(o.prim) for o in block.ops[first:i]):
                return None
            a, b = (ra, rb) if len(ra) == 1 else (rb, ra)
            out: list[Op] = []
            if len(b) == 2:  # g*a + (g*b0)*b1 -> g * (a + b0*b1)
                if not (_floaty(b[0], defs) or _floaty(b[1], defs)):
                    continue
                b = [_binary("mul", b[0], b[1], op, out)]
            elif not (_floaty(a[0], defs) or _floaty(b[0], defs)):
                continue
            out.append(Op("mul", [g, _binary("add", a[0], b[0], op, out)], results=op.results,
                          loc=op.loc))  # fmt: skip
            return out
    return None


def _safe(prim: str) -> bool:
    return prim in _SAFE or (prim.startswith("math.") and prim not in _INT_MATH)


def _binary(prim: str, x: Operand, y: Operand, at: Op, out: list[Op]) -> Operand:
    """``x + y`` or ``x * y``: a constant when both are float constants (the same IEEE operation
    Python would run), else a new op appended to `out`."""
    if isinstance(x, Const) and isinstance(y, Const) and type(x.value) is type(y.value) is float:
        return Const(x.value + y.value if prim == "add" else x.value * y.value)
    t = Var()
    out.append(Op(prim, [x, y], results=[t], loc=at.loc))
    return t
