"""Which arrays the code visibly gives an axis of length 1: ``a op= v`` may then grow `a`.

Input: a function (IR). Output: the Vars whose value may have an axis of length 1 made in the
code itself: a maker of a constant shape holding a 1 (``np.zeros((1, 3))``, ``np.ones(1)``),
``x[None]``/``x[:, None]``, a reshape to a constant 1 (``x.reshape(1, -1)``), ``keepdims=True``,
``np.expand_dims``/``np.atleast_2d``/``np.atleast_3d``, and what arithmetic, copies and loop
carries make of those. NumPy's ``a += v`` with `v` of `a`'s rank but longer along such an axis
raises (``np.add(a, v, out=a)`` cannot hold the result); srcad's ``a = a + v`` would broadcast
`a` to the larger shape, so `srcad.ad.inplace_dtypes` checks those at run time as NumPy does.

Example: ``a = np.zeros((1, 3)); a += x.reshape(2, 3)`` -> `a` (the first value) is listed.
Arrays whose shapes come from the arguments are not: their lengths are not known here.
"""

from __future__ import annotations

from srcad.ssa.core import Block, Const, Function, Op, Var

_MAKERS = frozenset(("numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full"))
_ALWAYS = frozenset(("numpy.expand_dims", "numpy.atleast_2d", "numpy.atleast_3d"))
_THROUGH = frozenset((
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg", "pos", "abs",
    "method.copy", "numpy.copy", "method.astype", "numpy.array", "numpy.asarray",
    "numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like",
    "srcad.runtime.inplace_cast",
))  # fmt: skip


def _has_one(shape: object) -> bool:
    if type(shape) is int:
        return shape == 1
    return type(shape) is tuple and any(type(d) is int and d == 1 for d in shape)


def _direct(op: Op) -> bool:
    """`op` itself makes an axis of length 1 (module docstring)."""
    a = op.args
    keep = op.kwargs.get("keepdims")
    if isinstance(keep, Const) and keep.value is True:
        return True
    if op.prim in _ALWAYS:
        return True
    if op.prim in _MAKERS and a and isinstance(a[0], Const):
        return _has_one(a[0].value)
    if op.prim == "getitem" and len(a) == 2 and isinstance(a[1], Const):
        idx = a[1].value if type(a[1].value) is tuple else (a[1].value,)
        return any(k is None for k in idx)
    if op.prim in ("method.reshape", "numpy.reshape") and len(a) >= 2:
        dims = [d.value for d in a[1:] if isinstance(d, Const)]
        return any(_has_one(d) or d == 1 for d in dims)
    return False


def unit_axis_vars(fn: Function) -> set[Var]:
    """The Vars of `fn` that may hold an array with a length-1 axis made in the code."""
    sources: dict[Var, list] = {}
    out: set[Var] = set()

    def link(v: object, src: object) -> None:
        if isinstance(v, Var):
            sources.setdefault(v, []).append(src)

    def visit(b: Block) -> None:
        for op in b.ops:
            for sub in op.blocks:
                visit(sub)
            if op.prim in ("for", "while", "if"):
                _carries(op, link)
            elif len(op.results) == 1:
                if _direct(op):
                    out.add(op.results[0])
                elif op.prim in _THROUGH:
                    for a in op.args:
                        link(op.results[0], a)

    visit(fn.body)
    changed = True
    while changed:
        changed = False
        for v, srcs in sources.items():
            if v not in out and any(isinstance(s, Var) and s in out for s in srcs):
                out.add(v)
                changed = True
    return out


def _carries(op: Op, link) -> None:  # noqa: ANN001
    """Link a loop's carries (block parameters, results) to their initial values and the values
    the body yields; an ``if``'s results to its branches' yields."""
    if op.prim == "if":
        for blk in op.blocks:
            for j, r in enumerate(op.results):
                if j < len(blk.yields):
                    link(r, blk.yields[j])
        return
    body = op.blocks[-1]
    off, inits = (1, op.args[3:]) if op.prim == "for" else (0, op.args)
    for j, init in enumerate(inits):
        ys = [body.yields[j]] if j < len(body.yields) else []
        for blk in op.blocks:
            o = off if blk is body else 0
            if o + j < len(blk.params):
                for s in (init, *ys):
                    link(blk.params[o + j], s)
        if j < len(op.results):
            for s in (init, *ys):
                link(op.results[j], s)
