"""Shapes of a generated function's values, from what the specialization knows of its parameters.

Input: a `Function`, the ranks of its float64-array parameters, and whether its parameters are
otherwise unknown arrays or numbers (the default `Spec()`). Output: `Shapes`, read by
`passes/shapes.py`'s rewrites. Nothing is guessed: every fact holds whatever the sizes at run time.

A shape is either a tuple of dimensions (known rank), each an int (a literal 1 from ``x[None]`` or
a keepdims reduction) or a symbol: ``("p", k, i)`` for dimension i of parameter k, a frozenset of
those for the broadcast of dimensions not provably equal (whichever is not 1 at run time: the
same set means the same size); or, rank unknown, a `Bcast`: the broadcast of the shapes of the
parameters it names (broadcasting is associative, commutative and idempotent, so two values
with the same set have the same shape). Besides its shape, a value may be known `arrayish`: a
NumPy scalar or an array, never a Python number, list or tuple (NumPy's functions and the
arithmetic on one such operand return one). Tuples and lists built in the function (a loop's
tape of `shape_like` stand-ins) keep the facts of their elements, so a reverse loop's reads of
its tape have shapes too.

Joins: an ``if``'s result has the facts both branches agree on, and a result one branch yields
as None (the forward sweep's values of the other branch) has the other branch's facts inside the
branches of a later ``if`` on the same condition value (the reverse sweep's); a loop carry has
the facts its initial value and every iteration agree on (a fixpoint).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import numpy

from srcad.ssa.core import Block, Const, Function, Op, Operand, Var

RT = "srcad.runtime."
Shape = tuple


class Bcast(frozenset):
    """A shape of unknown rank: the broadcast of the named parameters' shapes."""


class Info(NamedTuple):
    """What is known of a value: its shape (None: unknown), whether it is arrayish, and the
    facts of its elements (a tuple: one `Info` per position; a list: ``("list", Info | EMPTY)``)."""

    shape: object = None
    arr: bool = False
    parts: object = None


TOP = Info()
EMPTY = "empty"  # the elements of a list with none yet
# `_srcad.add` of arrays and numbers is `+` (None, containers and records have no shape here)
_ARITH = frozenset({"add", "sub", "mul", "truediv", "pow", RT + "add"})
_BINARY = _ARITH | {RT + "pow_dx"}
_UNARY = frozenset({"neg", "pos"})
_REDUCE = frozenset({"numpy.sum", "numpy.mean", "numpy.max", "numpy.min", "numpy.amax",
                     "numpy.amin", "numpy.prod"})  # fmt: skip
# runtime helpers whose result has the shape of one operand (its position)
LIKE_OPERAND = {RT + "sum_vjp": 1, RT + "mean_vjp": 1, RT + "expand_reduced": 1,
                RT + "ext_weights": 0, RT + "getitem_vjp": 1}  # fmt: skip
# ... of which these keep it for a shape of unknown rank too (any array or number)
_LIKE_ANY = frozenset({RT + "sum_vjp", RT + "mean_vjp", RT + "expand_reduced", RT + "ext_weights",
                       RT + "zeros_like", RT + "shape_like"})  # fmt: skip


# an array of the operand's shape (the operand an array or a number)
_LIKE_ARRAY = frozenset({"method.copy", "numpy.zeros_like", "numpy.ones_like", "numpy.empty_like"})


@functools.cache
def ufunc_nin(prim: str) -> int:
    if not prim.startswith("numpy.") or prim.count(".") != 1:
        return 0
    f = getattr(numpy, prim[6:], None)
    return f.nin if isinstance(f, numpy.ufunc) and f.nout == 1 else 0


class Shapes:
    """The facts of a function's values; `branch` adds those valid inside one branch of an ``if``."""

    def __init__(self) -> None:
        self.info: dict[Var, Info] = {}
        self.guarded: dict[Var, tuple[Operand, int, Info]] = {}  # result -> (cond, branch, facts)
        self.active: dict[Var, Info] = {}

    def of(self, a: Operand) -> Info:
        if isinstance(a, Const):
            return Info(()) if type(a.value) in (int, float) else TOP
        return self.info.get(a) or self.active.get(a) or TOP

    def shape(self, a: Operand) -> Shape | None:
        return self.of(a).shape

    def arrayish(self, a: Operand) -> bool:
        return self.of(a).arr

    @contextmanager
    def branch(self, op: Op, j: int) -> Iterator[None]:
        """Inside branch `j` of the ``if`` `op`: the facts of results guarded by its condition."""
        cond = op.args[0] if op.args else None
        added = [v for v, (c, k, _) in self.guarded.items() if c is cond and k == j]
        for v in added:
            self.active[v] = self.guarded[v][2]
        try:
            yield
        finally:
            for v in added:
                self.active.pop(v, None)


def infer(
    fn: Function, ndims: dict[int, int], opaque: bool = False, scalars: tuple[int, ...] = ()
) -> Shapes:
    """The facts of `fn`'s values: parameter k a float64 array of rank ``ndims[k]``; with
    `opaque`, every other parameter an array or a number of unknown rank (`Bcast`); the
    parameters at `scalars` Python numbers."""
    sh = Shapes()
    for k, p in enumerate(fn.params):
        if k in ndims:
            sh.info[p] = Info(tuple(("p", k, i) for i in range(ndims[k])), True)
        elif k in scalars:
            sh.info[p] = Info(())
        elif opaque:
            sh.info[p] = Info(Bcast({("p", k)}))
    _block(fn.body, sh)
    return sh


def _set(sh: Shapes, v: Var, info: Info) -> None:
    if info == TOP:
        sh.info.pop(v, None)
    else:
        sh.info[v] = info


def _block(block: Block, sh: Shapes) -> None:
    for op in block.ops:
        if op.prim == "if" and len(op.blocks) == 2:
            _if(op, sh)
        elif op.prim in ("for", "while") and op.blocks:
            _loop(op, sh)
        elif op.blocks:
            for r in op.results:
                sh.info.pop(r, None)
        elif len(op.results) == 1:
            _set(sh, op.result, _op(op, sh))


def _if(op: Op, sh: Shapes) -> None:
    for j, b in enumerate(op.blocks):
        with sh.branch(op, j):
            _block(b, sh)
    then, orelse = op.blocks
    for k, r in enumerate(op.results):
        ys = [b.yields[k] if k < len(b.yields) else None for b in (then, orelse)]
        sh.guarded.pop(r, None)
        if any(y is None for y in ys):
            sh.info.pop(r, None)
            continue
        nones = [isinstance(y, Const) and y.value is None for y in ys]
        if nones[0] != nones[1] and isinstance(op.args[0], Var):
            j = 1 if nones[0] else 0
            with sh.branch(op, j):
                facts = sh.of(ys[j])
            if facts != TOP:
                sh.guarded[r] = (op.args[0], j, facts)
            sh.info.pop(r, None)
            continue
        with sh.branch(op, 0):
            a = sh.of(ys[0])
        with sh.branch(op, 1):
            b = sh.of(ys[1])
        _set(sh, r, join(a, b))


def _loop(op: Op, sh: Shapes) -> None:
    """Carries: the fixpoint of joining the initial facts with each iteration's."""
    is_for = op.prim == "for"
    inits = op.args[3:] if is_for else op.args
    body = op.blocks[-1]
    carries = [b.params[1:] if (is_for and b is body) else b.params for b in op.blocks]
    facts = [sh.of(a) for a in inits]
    for _ in range(6):
        for ps in carries:
            for p, f in zip(ps, facts):
                _set(sh, p, f)
        if is_for and body.params:
            sh.info.pop(body.params[0], None)
        for b in op.blocks:
            _block(b, sh)
        new = [join(f, sh.of(y)) for f, y in zip(facts, body.yields)]
        new += facts[len(new) :]
        if new == facts:
            break
        facts = new
    else:  # no fixpoint in a few rounds: nothing known of the carries
        facts = [TOP] * len(facts)
        for ps in carries:
            for p in ps:
                sh.info.pop(p, None)
        for b in op.blocks:
            _block(b, sh)
    for r, f in zip(op.results, facts):
        _set(sh, r, f)


def join(a: object, b: object) -> object:
    """The facts two values (or two lists' elements, possibly EMPTY) both have."""
    if a == b or b == EMPTY:
        return a
    if a == EMPTY:
        return b
    if not isinstance(a, Info) or not isinstance(b, Info):
        return TOP
    parts = None
    pa, pb = a.parts, b.parts
    if type(pa) is tuple and type(pb) is tuple and len(pa) == len(pb):
        if pa and pa[0] == "list" and pb[0] == "list":
            parts = ("list", join(pa[1], pb[1]))
        elif not (pa and pa[0] == "list") and not (pb and pb[0] == "list"):
            parts = tuple(join(x, y) for x, y in zip(pa, pb))
    return Info(a.shape if a.shape == b.shape else None, a.arr and b.arr, parts)


def broadcast(s1: Shape, s2: Shape) -> Shape | None:
    """The shape of an elementwise operation on operands of shapes `s1` and `s2`."""
    if isinstance(s1, Bcast) or isinstance(s2, Bcast):
        if s1 == ():
            return s2
        if s2 == ():
            return s1
        if isinstance(s1, Bcast) and isinstance(s2, Bcast):
            return Bcast(s1 | s2)
        return None
    n = max(len(s1), len(s2))
    a = (1,) * (n - len(s1)) + s1
    b = (1,) * (n - len(s2)) + s2
    out = []
    for x, y in zip(a, b):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:  # which of the two is not 1 at run time: named by the set of dimensions met
            out.append(frozenset(_parts(x) | _parts(y)))
    return tuple(out)


def _parts(d: object) -> frozenset:
    return d if isinstance(d, frozenset) else frozenset((d,))


def axes_of(axis: object, rank: int) -> tuple[int, ...] | None:
    if axis is None:
        return tuple(range(rank))
    parts = (axis,) if type(axis) is int else axis
    if type(parts) is not tuple or any(type(a) is not int or not -rank <= a < rank for a in parts):
        return None
    return tuple(sorted({a % rank for a in parts}))


def _const(op: Op, pos: int, name: str, default: object) -> tuple[bool, object]:
    a = op.args[pos] if len(op.args) > pos else op.kwargs.get(name, Const(default))
    return (True, a.value) if isinstance(a, Const) else (False, None)


def _op(op: Op, sh: Shapes) -> Info:
    p, args = op.prim, op.args
    if p in ("tuple", "list") and not op.kwargs:
        if p == "list":
            return Info(None, False, ("list", EMPTY)) if not args else TOP
        return Info(None, False, tuple(sh.of(a) for a in args))
    if p == "list_append" and len(args) == 2:
        lp = sh.of(args[0]).parts
        if type(lp) is tuple and lp and lp[0] == "list":
            return Info(None, False, ("list", join(lp[1], sh.of(args[1]))))
        return TOP
    if p == "getitem" and len(args) == 2:
        parts = sh.of(args[0]).parts
        if type(parts) is tuple and parts and parts[0] == "list":
            return parts[1] if isinstance(parts[1], Info) else TOP
        if type(parts) is tuple and isinstance(args[1], Const) and type(args[1].value) is int:
            i = args[1].value
            return parts[i] if -len(parts) <= i < len(parts) else TOP
    if p == "attr.shape" and len(args) == 1 and type(sh.shape(args[0])) is tuple:
        return Info(None, False, "shape") if sh.shape(args[0]) else TOP  # a tuple of ints
    s = _infer(op, sh)
    return TOP if s is None else Info(s, _arrayish(op, s, sh))


def _arrayish(op: Op, s: Shape, sh: Shapes) -> bool:
    """The result of `op` (of shape `s`) is a NumPy scalar or an array."""
    p, args = op.prim, op.args
    if type(s) is tuple and s:
        return True
    if ufunc_nin(p) or p in _REDUCE or p in _LIKE_ARRAY or p == "setitem":
        return True
    if p in _ARITH or p in _UNARY:
        return any(sh.arrayish(a) for a in args)
    if p == RT + "unbroadcast" or p == RT + "shape_like":
        return sh.arrayish(args[-1]) and (p == RT + "shape_like" or sh.arrayish(args[0]))
    return False


def _infer(op: Op, sh: Shapes) -> Shape | None:
    p, args = op.prim, op.args
    ins = [sh.shape(a) for a in args]
    if p in _BINARY or ufunc_nin(p) == 2:
        if len(args) == 2 and not op.kwargs and None not in ins:
            return broadcast(ins[0], ins[1])
        return None
    if p in _UNARY or ufunc_nin(p) == 1:
        return ins[0] if len(args) == 1 and not op.kwargs else None
    if p == RT + "unbroadcast" and len(args) == 2 and not op.kwargs:
        # an array or NumPy scalar summed (or broadcast) to x's shape; a Python float unchanged
        ok = ins[1] is not None and (sh.arrayish(args[0]) or ins[0] == ins[1])
        return ins[1] if ok else None
    if p == RT + "mul_vjp" and len(args) == 4 and not op.kwargs:  # unbroadcast(g * other, a)
        ok = None not in ins[:3] and (sh.arrayish(args[0]) or sh.arrayish(args[2]))
        return ins[1] if ok and type(ins[1]) is tuple and ins[1] else None
    if p in _LIKE_ANY and len(args) > LIKE_OPERAND.get(p, 0):
        s = ins[LIKE_OPERAND.get(p, 0)]
        if isinstance(s, Bcast) or p in (RT + "zeros_like", RT + "shape_like"):
            return s
    if p in _LIKE_ARRAY and len(args) == 1 and not op.kwargs and ins[0] is not None:
        if p != "method.copy" or (type(ins[0]) is tuple and ins[0]) or sh.arrayish(args[0]):
            return ins[0]  # (a Python number has no ``copy``; an array or NumPy scalar does)
    if p == "setitem" and len(args) == 3 and not op.kwargs and sh.arrayish(args[0]):
        return ins[0]  # ``x[i] = v`` keeps the shape of an array
    if p in _REDUCE and len(args) == 1 and not op.kwargs and isinstance(ins[0], Bcast):
        return ()  # over all axes: a NumPy scalar
    if any(isinstance(s, Bcast) for s in ins):
        return None  # the rules below need ranks
    if p in _REDUCE and args and ins[0] is not None:
        if set(op.kwargs) - {"axis", "keepdims"} or len(args) > 2:
            return None
        ok1, axis = _const(op, 1, "axis", None)
        ok2, keep = _const(op, 2, "keepdims", False)
        axes = axes_of(axis, len(ins[0])) if ok1 and ok2 and type(keep) is bool else None
        if axes is None:
            return None
        s = ins[0]
        if keep:
            return tuple(1 if i in axes else d for i, d in enumerate(s))
        return tuple(d for i, d in enumerate(s) if i not in axes)
    if p == "getitem" and len(args) == 2 and ins[0] is not None and isinstance(args[1], Const):
        return index(ins[0], args[1].value)
    if p == "matmul" and len(args) == 2 and ins[0] is not None and ins[1] is not None:
        if len(ins[0]) == 2 and len(ins[1]) == 2:
            return (ins[0][0], ins[1][1])
        return None
    if p in ("attr.ndim", "attr.size", "len") and len(args) == 1 and ins[0] is not None:
        return ()  # a Python int
    if p == "getitem" and len(args) == 2 and sh.of(args[0]).parts == "shape":
        return () if isinstance(args[1], Const) and type(args[1].value) is int else None
    if p == "attr.T" and len(args) == 1 and ins[0] is not None:
        return tuple(reversed(ins[0]))
    if p == RT + "matmul_vjp" and len(args) == 4 and isinstance(args[3], Const):
        which = args[3].value
        return ins[1 + which] if which in (0, 1) else None
    if p in LIKE_OPERAND and len(args) > LIKE_OPERAND[p]:
        s = ins[LIKE_OPERAND[p]]
        # a cotangent of a Python number or a list is not an array of that shape
        return s if s else None
    return None


def index(s: Shape, idx: object) -> Shape | None:
    """Shape of ``x[idx]`` for basic indices of None, ``:`` and ints."""
    parts = idx if type(idx) is tuple else (idx,)
    out, i = [], 0
    for e in parts:
        if e is None:
            out.append(1)
        elif type(e) is slice and e == slice(None):
            if i >= len(s):
                return None
            out.append(s[i])
            i += 1
        elif type(e) is int:
            if i >= len(s):
                return None
            i += 1
        else:
            return None
    return (*out, *s[i:])
