"""Divisions whose derivative could divide a Python number by a Python zero.

Input: a `Function`, the parameters holding Python numbers and the float64 array parameters'
ranks (part of the cache key). Output: the ``x / y`` ops (`risky_divisions`) the transforms
differentiate with the ``fdiv`` rule variant (inf/nan as NumPy gives, never a Python
ZeroDivisionError the primal did not raise). On `passes/flowfacts.py`'s forward propagation, or,
when the divisions' operands are made by plain ops from the parameters and constants only, on
the facts of those values alone (`_by_definitions`: the same answer, from a few ops).
"""

from __future__ import annotations

from srcad.passes.flowfacts import ELEMENTWISE, is_scalar_const, is_ufunc, propagate
from srcad.ssa.census import ops_of, result_defs
from srcad.ssa.core import Const, Function, Op, Var

# results of these are NumPy arrays or NumPy scalars when their first operand is one
_NP_METHODS = frozenset({"method.sum", "method.mean", "method.prod", "method.max", "method.min",
                         "method.std", "method.var", "method.dot", "method.reshape", "method.ravel",
                         "method.flatten", "method.transpose", "method.copy", "method.squeeze",
                         "srcad.runtime.entry_copy", "srcad.runtime.returned_arg",
                         "method.cumsum", "method.cumprod", "method.clip", "attr.T", "getitem"})  # fmt: skip
_NP_MAKERS = frozenset({"numpy.float64", "numpy.float32", "numpy.asarray", "numpy.array",
                        "numpy.sum", "numpy.mean", "numpy.prod", "numpy.dot", "numpy.zeros",
                        "numpy.ones", "numpy.full", "numpy.linspace", "numpy.arange"})  # fmt: skip
_PY_OPS = frozenset({"add", "sub", "mul", "truediv", "neg", "pos", "pow", "abs", "float", "min",
                     "max", "round", "len", "int"})  # fmt: skip


def risky_divisions(fn: Function, py_seeds: set[Var], ndims: dict[Var, int]) -> set:
    """The ``x / y`` ops whose derivative factor ``g / y`` (``dx / y``) may divide a Python number
    by a Python zero where the primal did not raise (``np.float64(x) / 0.0`` is inf, but its
    cotangent ``1.0 / 0.0`` raises): unless `y` is a non-zero constant, certainly a NumPy value
    (an array parameter, a NumPy result), or `x` and `y` are both Python numbers (then the primal
    raised first). `py_seeds`: parameters holding Python numbers."""
    divs = [op for op in ops_of(fn.body) if op.prim == "truediv"]
    if not divs:
        return set()  # no division: nothing to find
    got = _by_definitions(fn, divs, py_seeds, ndims)
    return _propagated(fn, divs, py_seeds, ndims) if got is None else got


def _propagated(fn: Function, divs: list[Op], py_seeds: set[Var], ndims: dict[Var, int]) -> set:
    """`risky_divisions` by the forward propagation of the facts through the whole function."""
    py: set[Var] = set(py_seeds)
    npv: set[Var] = set(ndims)

    def is_py(a: object) -> bool:
        return is_scalar_const(a) or (isinstance(a, Var) and a in py)

    def is_np(a: object) -> bool:
        return isinstance(a, Var) and a in npv

    def all_py(op: Op) -> bool:  # `all(is_py(x) for x in op.operands())`, one call
        for x in op.operands():
            if not (x in py if type(x) is Var else is_scalar_const(x)):
                return False
        return True

    def leaf(op: Op) -> None:  # (`propagate` calls it for single-result ops: `op.results[0]`)
        p, a = op.prim, op.args
        if not a:
            return
        if p in _PY_OPS and all_py(op):
            py.add(op.results[0])
        elif p.startswith("math.") and all_py(op):
            py.add(op.results[0])
        elif p in _NP_MAKERS or is_ufunc(p):
            npv.add(op.results[0])
        elif p in _NP_METHODS and is_np(a[0]):
            npv.add(op.results[0])
        elif p in ELEMENTWISE and any(map(is_np, a)):
            npv.add(op.results[0])

    propagate(fn.body, [(py, is_py), (npv, is_np)], leaf)
    out = set()
    for op in divs:  # (found before `propagate`, which changes no op)
        if len(op.args) != 2:
            continue
        x, y = op.args
        if isinstance(y, Const):
            if is_scalar_const(y) and y.value == 0 and not is_py(x):
                out.add(op)
        elif not is_np(y) and not (is_py(x) and is_py(y)):
            out.add(op)
    return out


class _Unknown(Exception):
    """A value whose facts depend on control flow (an ``if`` result, a loop carry or index)."""


_DEPTH = 50  # deeper chains of definitions: left to the propagation (no deep recursion)
_SHARE = 32  # ... and more values than 1/32 of the ops: the propagation costs about as much


def _by_definitions(
    fn: Function, divs: list[Op], py_seeds: set[Var], ndims: dict[Var, int]
) -> set | None:
    """`risky_divisions` from the facts of the values the divisions read only, each from the
    facts of its defining op's operands as `_propagated`'s `leaf` gives them; None (not
    known: propagate) when one of those values is an ``if`` or loop result, a block's
    parameter, or the chain is deeper than `_DEPTH`, or more values than a `_SHARE` of the
    ops are looked at (the work wasted when a later one turns out not known stays small).

    The same answer: such a value's facts are a function of the parameters' alone (no value
    whose facts a fixpoint assumes is among the values it is made from), and the propagation
    ends with every op's facts derived from its operands' final facts (a loop's fixpoint walks
    its body again after it drops an assumption, and forgets what the body derived before; a
    fact assumed of a Python number only keeps an op out of the NumPy values, which the walk
    after it puts in again), i.e. the facts `leaf` gives in program order, which these are."""
    ops = ops_of(fn.body)
    defs = result_defs(ops)
    params = set(fn.params)
    budget = 16 + len(ops) // _SHARE
    memo: dict[Var, int] = {}  # 1: a Python number, 2: a NumPy value (both for a parameter)

    def state(v: Var, depth: int) -> int:
        s = memo.get(v)
        if s is not None:
            return s
        if v in params:
            s = (v in py_seeds) | (v in ndims) << 1
        else:
            op = defs.get(v)
            if op is None or op.blocks or depth > _DEPTH or len(memo) > budget:
                raise _Unknown
            s = _leaf(op, depth + 1) if len(op.results) == 1 else 0
        memo[v] = s
        return s

    def is_py(a: object, depth: int) -> bool:
        return bool(state(a, depth) & 1) if type(a) is Var else is_scalar_const(a)

    def is_np(a: object, depth: int) -> bool:
        return type(a) is Var and bool(state(a, depth) & 2)

    def all_py(op: Op, depth: int) -> bool:
        for x in op.operands():
            if not is_py(x, depth):
                return False
        return True

    def _leaf(op: Op, depth: int) -> int:  # (`_propagated`'s `leaf`)
        p, a = op.prim, op.args
        if not a:
            return 0
        if p in _PY_OPS and all_py(op, depth):
            return 1
        if p.startswith("math.") and all_py(op, depth):
            return 1
        if p in _NP_MAKERS or is_ufunc(p):
            return 2
        if p in _NP_METHODS and is_np(a[0], depth):
            return 2
        if p in ELEMENTWISE:
            for x in a:
                if is_np(x, depth):
                    return 2
        return 0

    out = set()
    try:
        for op in divs:
            if len(op.args) != 2:
                continue
            x, y = op.args
            if isinstance(y, Const):
                if is_scalar_const(y) and y.value == 0 and not is_py(x, 0):
                    out.add(op)
            elif not is_np(y, 0) and not (is_py(y, 0) and is_py(x, 0)):
                out.add(op)
    except _Unknown:
        return None
    finally:
        state = _leaf = None  # type: ignore[assignment]  # (recursive closures: cycles)
    return out
