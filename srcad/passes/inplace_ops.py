"""Arithmetic into a dead buffer: ``a * b`` written into `b` when nothing reads `b` again.

Input: the entry point of a transform about to be emitted (`passes/inplace.py` runs this last)
and the ranks of its float64 array parameters. Output: the same function with some ``mul`` /
``add`` / ``sub`` / ``truediv`` ops rewritten as the ufunc with ``out=`` one operand
(``numpy.multiply(g, t, out=t)``), marked ``params["inplace"]``; True when it rewrote one.

Straight-line array code makes a fresh full-size array per operation; a person reuses the
buffers that are dead (``r *= g`` in a hand-written gradient)::

    _t21 = np.exp(logp - m)                    _t21 = np.exp(logp - m)
    _t22 = np.sum(_t21, axis=1)        ->      _t22 = np.sum(_t21, axis=1)
    blogp = _t17 * _t21                        blogp = np.multiply(_t17, _t21, out=_t21)

Only where no one can tell, for every run-time size (the facts are those of the
specialization, never guesses):

- the buffer `t` is made by the op defining it, in the same block: an elementwise operation, a
  float ufunc or a reduction of float64 arrays and real numbers (a new array: no view of
  anything, no argument, no global), of rank >= 1 and of the result's shape
  (`passes/shape_infer.py`: the other operand does not broadcast it up). Outside loops, a
  result of `t`'s rank whose shape only the run time knows (``(x[:, None] - m[None]) *
  s[None]``: is ``m.shape[0] == s.shape[0]``?) is written ``ufunc(a, b, out=_srcad.spare(t,
  other))``: into `t` when `other` broadcasts to `t`'s shape then, a new array otherwise;
- every other read of `t` is an earlier op of that block whose result cannot hold it (such an
  operation, ``pow_dx``), or, anywhere, one that reads its shape only (``unbroadcast(g, t)``,
  ``sum_vjp(g, t, ...)``, ``mean_vjp``): no later read of its values, no view, container, tape
  or ``if``/loop holds it, no loop runs the op again with `t` made outside;
- every parameter is a float64 array and the operands of these ops (the other one included)
  are float64 values or ints by `float64_values` (from the parameters through arithmetic,
  float ufuncs, reductions and indexing; int/float constants): no complex, float32,
  ``longdouble`` or object operand, so the result's dtype is `t`'s;
- `t` and the result are statements already (read twice, or named values): a temporary
  written inside one expression stays there (``2.0 * t * (1.0 - t * t)`` is not split into
  statements); outside loops, a named value's operand may be the buffer (``z = x - m; z *= s``)
  and a temporary result stays inline (``np.exp(np.subtract(logp, m, out=logp))``, not marked
  ``inplace``: the emitter keeps Python's order of evaluation, so `t`'s earlier readers still
  run first).

Python's order of evaluation is kept by the emitter (`backend/layout.py`), so "earlier" in the
block is earlier when the code runs; a sum into a named adjoint is still written on one line,
as a person writes it (``bx += <expression>``: the emitter gives the result the buffer's name
when their hints agree, `backend/coalesce.py`).
"""

from __future__ import annotations

import functools

import numpy

from srcad.passes.flowfacts import ELEMENTWISE, is_ufunc
from srcad.passes.shape_facts import Known
from srcad.passes.shape_infer import infer
from srcad.ssa.core import Block, Const, Function, Op, Var, uses_among, walk_ops

# the operation -> the ufunc written with ``out=``
_UFUNCS = {"mul": "numpy.multiply", "add": "numpy.add", "sub": "numpy.subtract",
           "truediv": "numpy.divide"}  # fmt: skip
_REDUCTIONS = frozenset({"numpy.sum", "numpy.max", "numpy.min", "numpy.mean", "numpy.prod",
                         "numpy.amax", "numpy.amin"})  # fmt: skip
_REDUCE_KW = frozenset({"axis", "keepdims"})
_UNBROADCAST = "srcad.runtime.unbroadcast"
_SHAPE_READERS = frozenset({_UNBROADCAST, "srcad.runtime.sum_vjp", "srcad.runtime.mean_vjp"})
_POW_DX = "srcad.runtime.pow_dx"
_SPARE = "srcad.runtime.spare"


def inplace_ops(fn: Function, ndims: dict[int, int]) -> bool:
    """Rewrite `fn`'s arithmetic into dead buffers (module docstring); `ndims`: (parameter
    position -> rank) of its float64 array parameters."""
    if not ndims or len(ndims) != len(fn.params) or any(n < 1 for n in ndims.values()):
        return False
    found: list[tuple[Op, Var, list[Op], int]] = []
    _candidates(fn.body, found, True)
    if not found:
        return False
    # (every read counted, ``y * y`` twice, against the reads `_candidates` saw)
    want = {v for op, t, _, _ in found for v in (t, op.result)}
    counts = uses_among(fn.body, want)
    shaped = _shape_reads(fn.body, want)
    top = set(fn.body.ops)
    found = [
        (op, t, made, n)
        for op, t, made, n in found
        # nothing else reads it (later, in a block, yielded) but for its shape
        if counts.get(t, 0) == n + shaped.get(t, 0)
        # a statement already, or (outside loops) a temporary the write leaves inline
        and (op.result.hint or counts.get(op.result, 0) != 1 or op in top)
    ]
    if not found:
        return False
    f64 = float64_values(fn)
    sh = infer(fn, Known(ndims))
    # (before any rewrite: a buffer may be made by an op written into another one)
    floats = [all(_float_operands(d, f64) for d in made) for _, _, made, _ in found]
    changed = False
    for (op, t, _, _), fl in zip(found, floats):
        if op.kwargs or not fl:  # (op.kwargs: its other operand's buffer taken)
            continue
        other = op.args[1] if op.args[0] is t else op.args[0]
        if not (_real_const(other) or (type(other) is Var and f64.get(other) is not None)):
            continue
        s = sh.shape(t)
        if f64.get(t) is not True or not sh.arrayish(t) or type(s) is not tuple or not s:
            continue
        rs = sh.shape(op.result)
        inline = not op.result.hint and counts.get(op.result, 0) == 1
        if s == rs:
            op.prim = _UFUNCS[op.prim]
            op.kwargs = {"out": t}
            if not inline:
                op.params["inplace"] = True
        elif type(rs) is tuple and len(rs) == len(s) and type(other) is Var and op in top:
            _spare(fn.body, op, t, other)  # the shapes agree or not at run time
        else:
            continue
        changed = True
    return changed


def _spare(body: Block, op: Op, t: Var, other: Var) -> None:
    """`op` as ``ufunc(a, b, out=_srcad.spare(t, other))``: into `t` when `other` broadcasts
    to `t`'s shape when the code runs, a new array otherwise; not marked ``inplace`` (its result
    is a value of its own for the emitter). Only outside loops: one shape test per call."""
    buf = Var()
    spare = Op(_SPARE, [t, other], results=[buf], loc=op.loc)
    if op.params.get("quiet"):  # (under the same ``with np.errstate``: backend/quiet.py)
        spare.params["quiet"] = op.params["quiet"]
    body.ops.insert(body.ops.index(op), spare)
    op.prim = _UFUNCS[op.prim]
    op.kwargs = {"out": buf}


def _real_const(a: object) -> bool:
    return type(a) is Const and type(a.value) in (int, float)


def _candidates(block: Block, found: list, top: bool = False) -> None:
    """Into `found`, (op, buffer, the op making it and its earlier readers, their reads of it)
    for the binary operations of `block` (and of the blocks nested in it) with an operand made
    in `block` and read before only by ops whose results cannot hold it (the read counts and the
    facts of values are checked afterwards)."""
    defs: dict[Var, Op] = {}
    seen: dict[Var, list[Op]] = {}  # a value made here -> its readers so far, in order
    for op in block.ops:
        for b in op.blocks:
            _candidates(b, found)
        if op.prim in _UFUNCS and len(op.args) == 2 and not op.kwargs and len(op.results) == 1:
            # the operand of the result's name first (``bx += g``, not ``_t1 += bx``)
            a, b = op.args
            h = op.result.hint
            swap = h and type(b) is Var and b.hint == h and (type(a) is not Var or a.hint != h)
            for t in (b, a) if swap else (a, b):
                if type(t) is not Var or t not in defs:
                    continue
                readers = seen[t]
                # a temporary inside one expression, but for a named value's operands outside
                # loops (``z = (x - m) * s``: ``z = x - m; z *= s``)
                if not (t.hint or readers or top and h):
                    continue
                # (both operands: one may be read later)
                if all(_keeps_none(r, t) for r in readers):
                    n = _reads(readers, t) + sum(a is t for a in op.args)
                    found.append((op, t, [defs[t], *readers], n))
                    if a is b:
                        break
        for a in op.operands():
            if type(a) is Var and a in seen:
                got = seen[a]
                if not got or got[-1] is not op:  # (once per op: `_reads` counts its reads)
                    got.append(op)
        if len(op.results) == 1 and fresh_value(op):
            defs[op.result] = op
            seen[op.result] = []


def _reads(readers: list[Op], t: Var) -> int:
    """The reads of `t` by `readers` other than those of its shape only."""
    return sum(a is t for r in readers for a in r.operands()) - sum(
        _shape_only(r, t) for r in readers
    )


def _shape_only(op: Op, t: Var) -> bool:
    """`op` reads the shape (type, dtype) of `t` and nothing else of it: ``unbroadcast(g, t)``,
    ``sum_vjp(g, t, ...)``, ``mean_vjp(g, t, ...)``; their results never hold `t`."""
    a = op.args
    return (
        op.prim in _SHAPE_READERS
        and len(a) >= 2
        and a[1] is t
        and a[0] is not t
        and not any(x is t for x in (*a[2:], *op.kwargs.values()))
    )


def _shape_reads(block: Block, want: set[Var]) -> dict[Var, int]:
    """For the Vars in `want`, how many ops anywhere in `block` read only their shape."""
    out: dict[Var, int] = {}
    for op in walk_ops(block):
        if op.prim in _SHAPE_READERS and len(op.args) >= 2:
            t = op.args[1]
            if type(t) is Var and t in want and _shape_only(op, t):
                out[t] = out.get(t, 0) + 1
    return out


def fresh_value(op: Op) -> bool:
    """`op` makes a new array (or number) of its operands' values (when they are float arrays
    and real numbers): an elementwise operation or ufunc, a reduction with only `axis` and
    `keepdims`."""
    p = op.prim
    if p in ELEMENTWISE or p in _UFUNCS:
        return not op.kwargs
    if p in _REDUCTIONS:
        return op.kwargs.keys() <= _REDUCE_KW
    return _float_ufunc(p) and not op.kwargs


@functools.cache
def _float_ufunc(prim: str) -> bool:
    """A one-result ufunc with a float64 loop (``np.exp``, not ``np.greater``)."""
    if not is_ufunc(prim):
        return False
    u = getattr(numpy, prim[6:])
    return "d" * u.nin + "->d" in u.types


def _keeps_none(r: Op, t: Var) -> bool:
    """The result of `r`, a reader of `t`, cannot hold `t` or a view of it."""
    return fresh_value(r) or r.prim == _POW_DX or _shape_only(r, t)


def _float_operands(op: Op, f64: dict[Var, bool]) -> bool:
    """Every operand of `op` is a float64 value or an int (`float64_values`) or a real constant
    (NumPy's own arithmetic: no object's ``__array_ufunc__``), a reduction's `axis` any
    constant; the operands of an op reading the buffer's shape only may be anything."""
    if op.prim in _SHAPE_READERS:
        return True
    for a in op.operands():
        if type(a) is Var:
            if a not in f64:
                return False
        elif not _real_const(a) and not (op.prim in _REDUCTIONS and _axis_like(a)):
            return False
    return True


def _axis_like(a: object) -> bool:
    """A constant a reduction may take besides its array: an axis (an int, a tuple of ints,
    None) or `keepdims` (a bool); not a dtype (``np.sum(x, 0, "float32")`` is no float64)."""
    if type(a) is not Const:
        return False
    v = a.value
    return (
        v is None or type(v) in (int, bool) or (type(v) is tuple and all(type(d) is int for d in v))
    )


def float64_values(fn: Function) -> dict[Var, bool]:
    """The values certainly float64 (arrays, NumPy scalars, Python floats) -> True, and those
    certainly Python ints (``x.shape[1]``, ``len(x)``) -> False: from the parameters (all float64
    arrays), through the operations of `fresh_value`, ``unbroadcast`` and indexing, each of at least
    one float64 operand and otherwise float64 values, ints and real constants (no complex,
    ``longdouble`` or object operand can enter)."""
    facts: dict[Var, bool] = dict.fromkeys(fn.params, True)
    for op in walk_ops(fn.body):
        if len(op.results) != 1:
            continue
        p = op.prim
        if p == "attr.shape" or p == "len":
            if len(op.args) == 1 and facts.get(op.args[0]) is True:
                facts[op.result] = False  # (a tuple of ints; `len`: an int)
            continue
        if p == "getitem" and len(op.args) == 2 and type(op.args[0]) is Var:
            f = facts.get(op.args[0])
            if f is not None and _index_ok(op.args[1], facts):
                facts[op.result] = f  # a view or element of a float64 array, an int of a shape
            continue
        args = op.args[:1] if p == _UNBROADCAST else op.args
        if not (p == _UNBROADCAST or p == _POW_DX or fresh_value(op)):
            continue
        flt = False
        for a in (*args, *op.kwargs.values()):
            if type(a) is Var:
                f = facts.get(a)
                if f is None:
                    break
                flt = flt or f
            elif type(a) is Const and type(a.value) in (int, float):
                flt = flt or type(a.value) is float
            elif not (p in _REDUCTIONS and _axis_like(a)):  # (`axis=`, `keepdims=`)
                break
        else:
            if flt:
                facts[op.result] = True
    return facts


def _index_ok(idx: object, facts: dict[Var, bool]) -> bool:
    """A constant index, or an int (`facts` False) or a tuple display of those."""
    return type(idx) is Const or (type(idx) is Var and facts.get(idx) is False)
