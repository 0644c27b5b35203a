"""The cotangents of a matrix product as a person writes them: ``matmul_vjp`` op -> plain ops.

Input: a ``_srcad.matmul_vjp(g, a, b, which)`` op of a generated function and the shape facts of
its operands (`passes/shape_infer.py`, read through `passes/shapes.py`'s context). Output: the ops
computing the same value without the helper's tests, or None. `g` has the shape of ``a @ b``
(the condition of every case), so the helper sums nothing:

    ========  ==============  ================
    a @ b     which=0 (a)      which=1 (b)
    ========  ==============  ================
    2-D 2-D   ``g @ b.T``      ``a.T @ g``
    2-D 1-D   ``np.outer(g, b)``  ``a.T @ g``
    1-D 2-D   ``b @ g``        ``np.outer(a, g)``
    1-D 1-D   ``g * b``        ``g * a``
    ========  ==============  ================

and, the other operand of another or an unknown rank (the default `Spec()`, ``X @ w`` of a
global 2-D `X`),
``g @ b.T`` for a 2-D `b` and ``a.T @ g`` for a 2-D `a`: a 2-D operand is never broadcast, and
the batch axes of `g` are the other operand's (the helper's result is the same product, summed
over no axis), when `g` has the shape of the product ``a @ b`` computed in the function, or,
`a` an item of a loop's tape entry (an RNN's state ``h``), of the product ``h @ b`` of the
iteration that appended it (`_taped_product`).

A form that sums over the other operand (``g @ b.T``, ``a.T @ g``, ``b @ g``) is written plainly
only when that operand is finite whatever the arguments are (`_given`: constants, ``np.zeros``):
else its value goes through ``_srcad.matmul_vjp_checked(r, g, a, b, which)``
(`rules/checked_products.py`), which keeps `r` when it holds no ``0 * inf`` term (a finite sum)
and otherwise gives the helper's value, which drops those terms (`rules/unread.py`):

    bh = _srcad.matmul_vjp_checked(g @ Wh.T, g, h, Wh, 0)

The product stays plain for what makes it fast (passes/transposes.py copies ``Wh.T`` once
before a loop; passes/matmul_into.py computes an accumulated ``x.T @ g`` into a scratch array).
No finiteness is assumed: an argument may hold an inf in a row no read reaches (``(X @ W)[:,
0]``), and a sum may overflow, to nan where two overflows meet (``np.tanh(X * X - 2.0 * X *
X)``: ``inf - inf``, kept by ``np.tanh``); the plain product gave nan there where the derivative
is finite.
"""

from __future__ import annotations

import math
from typing import Any

from srcad.passes.loop_ranks import rank
from srcad.ssa.census import result_defs
from srcad.ssa.core import Const, Op, Var, walk_ops


def matmul_cotangent(op: Op, c: Any) -> list[Op] | None:
    """The ops replacing `op` (module docstring); `c`: `passes/shapes.py`'s `_Ctx`."""
    if len(op.args) != 4 or op.kwargs or not isinstance(op.args[3], Const):
        return None
    g, a, b, which = op.args
    w = which.value
    if type(w) is not int or w not in (0, 1):
        return None
    sa, sb, sg = c.shape(a), c.shape(b), c.shape(g)
    if _outer_form(sa, sb, sg, w):  # (the forms summing over no axis: each entry alone)
        return _one(op, "numpy.outer", g, b) if w == 0 else _one(op, "numpy.outer", a, g)
    if sa is not None and sb is not None and len(sa) == len(sb) == 1 and sg == ():
        return _one(op, "mul", g, b if w == 0 else a)
    ops = _summing(op, g, a, b, w, sa, sb, sg, c)
    if ops is None or _given(b if w == 0 else a, c):
        return ops
    r = Var()  # (the plain product, checked at run time)
    ops[-1].results = [r]
    return [*ops, Op(_CHECKED, [r, g, a, b, op.args[3]], results=op.results, loc=op.loc)]


def _summing(op: Op, g: Any, a: Any, b: Any, w: int, sa: Any, sb: Any, sg: Any, c: Any):
    """The plain ops of the forms that sum over the other operand, or None."""
    ra = len(sa) if sa is not None else None
    rb = len(sb) if sb is not None else None
    if ra is not None and rb is not None:
        if ra == 2 and rb == 2 and sg == (sa[0], sb[1]):
            return _right_t(op, g, b) if w == 0 else _left_t(op, a, g)
        if ra == 2 and rb == 1 and sg == (sa[0],) and w == 1:
            return _left_t(op, a, g)
        if ra == 1 and rb == 2 and sg == (sb[1],) and w == 0:
            return _one(op, "matmul", b, g)
    # the other operand of another or an unknown rank: `g` must have the product's shape
    if ra is None and w == 1 and rb == 2 and c.fn is not None:  # (an LSTM's taped state)
        ra = rank(a, c)
    if rb is None and c.fn is not None:  # (a GRU's ``Wn = Wh[:, 2 * H:]``: a slice's width)
        rb = rank(b, c)
    if ra is None and w == 1 and rb == 2 and c.fn is not None:
        ra = rank(a, c)
    if w == 1 and ra == 2 and rb != 0 and _product_shaped(g, a, b, c):
        return _left_t(op, a, g)
    if w == 0 and rb == 2 and ra != 0 and _product_shaped(g, a, b, c):
        return _right_t(op, g, b)
    return None


def _given(x: Any, c: Any, depth: int = 0) -> bool:
    """`x` is finite whatever the arguments are: a finite constant, ``np.zeros``/``np.ones``
    (and their ``_like``), or made from such values by ops finite on finite operands
    (`_FINITE`: transposes, slices, ``np.tanh``, ...). Nothing else: a parameter or a global
    may hold an inf, and sums and products overflow (to inf, and to nan where two overflows
    meet: ``inf - inf``, ``inf * 0``, which ``np.tanh`` keeps). Each value is asked about once
    per pass (`c.given_memo`; a value past `_DEPTH` is not given)."""
    if type(x) is Const:
        return _finite_const(x.value)
    if type(x) is not Var or depth > _DEPTH:
        return False
    memo = c.given_memo
    if memo is None:
        memo = c.given_memo = {}
    got = memo.get(x)
    if got is None:
        got = memo[x] = _given_op(x, c, depth)
    return got


def _given_op(x: Var, c: Any, depth: int) -> bool:
    d = c.defs.get(x)
    if d is None and c.fn is not None:
        d = _made(c).get(x)
    if d is None or d.blocks or len(d.results) != 1:  # (a parameter, a loop's carry, ...)
        return False
    if d.prim in _FILLS:
        return True
    if d.prim not in _FINITE:
        return False
    parts = d.args[:1] if d.prim == "getitem" else (*d.args, *d.kwargs.values())
    return all(_given(a, c, depth + 1) for a in parts)  # (``xs[k]``: no value read)


def _finite_const(v: Any) -> bool:
    if v is None or type(v) in (bool, int, str, slice):
        return True
    if type(v) is float:
        return math.isfinite(v)
    return type(v) is tuple and all(map(_finite_const, v))


_CHECKED = "srcad.runtime.matmul_vjp_checked"
_DEPTH = 24
_FILLS = ("numpy.zeros", "numpy.ones", "numpy.zeros_like", "numpy.ones_like")  # (0 or 1 each)
# finite results of finite operands, overflow included (not sums, products, ``np.exp``, ...)
_FINITE = frozenset(("attr.T", "numpy.transpose", "method.transpose", "numpy.reshape",
                     "method.reshape", "getitem", "numpy.ravel", "method.ravel", "numpy.swapaxes",
                     "method.swapaxes", "neg", "pos", "numpy.tanh", "numpy.sin", "numpy.cos",
                     "numpy.arctan", "numpy.maximum", "numpy.minimum", "numpy.abs",
                     "numpy.absolute", "numpy.clip", "slice", "tuple", "list", "numpy.stack",
                     "numpy.concatenate", "numpy.hstack", "numpy.vstack"))  # fmt: skip


def _outer_form(sa: Any, sb: Any, sg: Any, w: int) -> bool:
    """``a @ b`` is matrix @ vector (`w` 0) or vector @ matrix (`w` 1): the cotangent an outer."""
    if sa is None or sb is None:
        return False
    if w == 0:
        return len(sa) == 2 and len(sb) == 1 and sg == (sa[0],)
    return len(sa) == 1 and len(sb) == 2 and sg == (sb[1],)


def _one(op: Op, prim: str, x: Any, y: Any) -> list[Op]:
    return [Op(prim, [x, y], results=op.results, loc=op.loc)]


def _left_t(op: Op, a: Any, g: Any) -> list[Op]:
    """``a.T @ g``."""
    t = Var()
    return [
        Op("attr.T", [a], results=[t], loc=op.loc),
        Op("matmul", [t, g], results=op.results, loc=op.loc),
    ]


def _right_t(op: Op, g: Any, b: Any) -> list[Op]:
    """``g @ b.T``."""
    t = Var()
    return [
        Op("attr.T", [b], results=[t], loc=op.loc),
        Op("matmul", [g, t], results=op.results, loc=op.loc),
    ]


def _product_shaped(g: Any, a: Any, b: Any, c: Any) -> bool:
    """`g` has the shape of the value of a ``matmul(a, b)`` op of the function (known, even if
    only as a shape of its own)."""
    prods = getattr(c, "products", None)
    if prods is None:
        prods = c.products = {}
        if c.fn is not None:
            for o in walk_ops(c.fn.body):
                if o.prim == "matmul" and len(o.args) == 2 and len(o.results) == 1:
                    if type(o.args[0]) is Var and type(o.args[1]) is Var:
                        prods.setdefault((o.args[0], o.args[1]), o.results[0])
    m = prods.get((a, b)) if type(a) is Var and type(b) is Var else None
    if m is None:
        return _taped_product(g, a, b, c)
    s = c.sh.shape(g)
    return s is not None and s == c.sh.shape(m)


def _taped_product(g: Any, a: Any, b: Any, c: Any) -> bool:
    """`g` has the shape of ``a @ b`` where `a` is an item of a loop's tape entry: the shape of
    `g` is that of a product ``m = h @ b`` of the iteration the entry was appended in (a tape
    read's shape of its own, ``("v", saved, m)``: `shape_ops.renamed`), `a` is item j of that
    same read `saved`, and every append to the tape puts `h` there (an RNN's ``h @ Wh``, whose
    cotangent the reverse sweep reads as ``unbroadcast(g, shape_like(m))``)."""
    s = c.sh.shape(g)
    if type(b) is not Var or not isinstance(s, frozenset) or len(s) != 1:
        return False
    (e,) = s
    if len(e) != 3 or e[0] != "v":
        return False
    _, saved, m = e
    made = _made(c)
    dm, da = made.get(m), made.get(a)
    if dm is None or dm.prim != "matmul" or len(dm.args) != 2 or dm.args[1] is not b:
        return False
    if da is None or da.prim != "getitem" or len(da.args) != 2 or da.args[0] is not saved:
        return False
    j = da.args[1]
    ds = made.get(saved)
    if not isinstance(j, Const) or type(j.value) is not int or ds is None or ds.prim != "getitem":
        return False
    parts = c.sh.of(ds.args[0]).parts  # (the tape: a tracked list, `("list", facts, op)`)
    if type(parts) is not tuple or len(parts) != 3 or parts[0] != "list":
        return False
    appends = [
        o
        for o in walk_ops(c.fn.body)
        if o.prim == "list_append" and len(o.args) == 2 and _list_op(o.args[0], c) is parts[2]
    ]
    for o in appends:  # item j of each entry: the product's left operand
        t = made.get(o.args[1])
        if t is None or t.prim != "tuple" or t.kwargs or not -len(t.args) <= j.value < len(t.args):
            return False
        if t.args[j.value] is not dm.args[0]:
            return False
    return bool(appends)


def _list_op(v: Any, c: Any) -> Any:
    p = c.sh.of(v).parts
    return p[2] if type(p) is tuple and len(p) == 3 and p[0] == "list" else None


def _made(c: Any) -> dict:
    """Value -> the op of the function (as it is now) making it, built once per pass; a block's
    parameter has none (no op makes it here)."""
    if c.made is None:
        c.made = result_defs(walk_ops(c.fn.body))
    return c.made
