"""Divisions whose derivative could divide a Python number by a Python zero.

Input: a `Function`, the parameters holding Python numbers and the float64 array parameters'
ranks (part of the cache key). Output: the ``x / y`` ops (`risky_divisions`) the transforms
differentiate with the ``fdiv`` rule variant (inf/nan as NumPy gives, never a Python
ZeroDivisionError the primal did not raise). On `passes/flowfacts.py`'s forward propagation.
"""

from __future__ import annotations

from srcad.passes.flowfacts import ELEMENTWISE, is_scalar_const, is_ufunc, propagate
from srcad.ssa.census import ops_of
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
