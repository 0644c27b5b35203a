"""The complex-value check of a transform: which values may be complex, and the refusals.

Input: a `Transform` after its activity analysis (its copy of the function, varied values, the
parameters its caller or cache key says may be complex). Output: ``tr.complex`` (the Vars that
may hold complex values, `srcad.passes.complex_taint`), and a located `DiffError` at the first
differentiated op with a possibly complex operand whose primitive is not `complex_safe`. Calls of
user functions are followed: the callee may return a complex value given which arguments may be
complex (analyzed once per callee and pattern), and a differentiated callee is checked by its own
transform, which the caller hands the positions of its possibly complex arguments
(`complex_args`: part of the callee's `generated_key`).
"""

from __future__ import annotations

import inspect
from typing import Any

from srcad.ad.callees import user_call
from srcad.errors import SrcadError
from srcad.passes.complex_taint import complex_vars, is_complex_value, refuse_complex_ops
from srcad.ssa.census import ops_with
from srcad.ssa.core import Const, Function, Op, Var, walk_ops

# Python's functions of a complex number that NumPy's compute with a complex rule
_SAME = {"abs": "numpy.absolute", "cmath.phase": "numpy.angle",
         # (the same values; complex Hermitian rules: rules/linalg_eighc.py)
         "numpy.linalg.eigh": "srcad.runtime.eigh_c",
         "numpy.linalg.eigvalsh": "srcad.runtime.eigvalsh_c"}  # fmt: skip
_REAL_SIGN = "srcad.runtime.real_sign"
_EIGH_C = "srcad.runtime.eigh_c"
_VALUES = frozenset(("getitem", "attr.eigenvalues"))
_LOOKED = frozenset((*_SAME, "numpy.sign"))  # (the ops `check_complex` rewrites)


def check_complex(tr: Any) -> None:
    """Fill ``tr.complex`` and refuse what it finds (see the module docstring)."""
    fn, reg = tr.fn, tr.table.registry
    params = {fn.params[i] for i in tr.param_complex if i < len(fn.params)}
    memo = tr.module.complex_memo

    def callee(op: Op, tainted: set) -> bool | None:
        return _call_taint(fn, op, tainted, reg, memo, tr.types_of, tr.known, tr.module.derive)

    tr.complex = complex_vars(fn, params, reg, callee, tr.varied, tr.user_ops)
    signs = []
    for op in ops_with(fn.body, _LOOKED):  # (picked in C)
        x = op.args[0] if op.args else op.kwargs.get("a")  # (``np.linalg.eigh(a=m)``)
        if op.prim in _SAME and type(x) is Var and x in tr.complex:
            op.prim = _SAME[op.prim]  # (the transform's copy) the same value, with a complex rule
            if op.prim == _EIGH_C and not _vectors_read(fn, op.result):
                op.kwargs["vecs"] = Const(False)  # (rules/linalg_eighc.py: no phases to follow)
        elif op.prim == "numpy.sign" and any(type(a) is Var and a in tr.varied for a in op.args):
            signs.append(op)
    if fn.pyfunc is not None:  # (generated code, differentiated again: its rules were checked)
        refuse_complex_ops(fn, tr.complex, tr.varied, reg, tr.user_ops)
    for op in signs:  # its zero rule holds for real values: checked when it runs (values unseen
        op.prim = _REAL_SIGN  # here, an attribute of an argument, may be complex)


def _vectors_read(fn: Function, r: Var) -> bool:
    """May the eigenvectors of the eigh result `r` be read (anything but ``r[0]``,
    ``r.eigenvalues`` reads them: a block yielding `r`, a call passing it)?"""
    if r in fn.body.yields:
        return True
    for op in walk_ops(fn.body):
        if any(r in b.yields for b in op.blocks):
            return True
        if r not in op.operands():
            continue
        if op.prim not in _VALUES or op.args[0] is not r or r in op.args[1:]:
            return True
        k = op.args[1].value if op.prim == "getitem" and isinstance(op.args[1], Const) else 0
        if type(k) is not int or k not in (0, -2):
            return True
    return False


def complex_args(args: list, tainted: set) -> frozenset[int]:
    """Positions of the bound operands `args` that may be complex."""
    return frozenset(k for k, a in enumerate(args) if _maybe(a, tainted))


def _maybe(a: Any, tainted: set) -> bool:
    if type(a) is Var:
        return a in tainted
    if isinstance(a, Const):
        return is_complex_value(a.value)
    return is_complex_value(a)


def _call_taint(
    fn: Function,
    op: Op,
    tainted: set,
    reg: Any,
    memo: dict,
    types_of: Any = None,
    known: Any = None,
    derive: Any = None,
) -> bool | None:
    """May the user function `op` calls return a complex value? None: not one srcad reads."""
    try:
        target = user_call(fn, op, types_of, known, derive)
    except SrcadError:
        return None
    if target is None:
        return None
    callee_fn, pyfunc, pos, kw = target
    try:
        bound = inspect.signature(pyfunc).bind(*pos, **kw)
    except (TypeError, ValueError):
        return None
    bound.apply_defaults()
    args = [bound.arguments.get(n) for n in callee_fn.param_names]
    which = complex_args(args, tainted)
    key = (id(callee_fn), which)
    if key not in memo:
        memo[key] = bool(which)  # provisional, for recursive calls
        params = {callee_fn.params[i] for i in which}

        def inner(o: Op, t: set) -> bool | None:
            return _call_taint(callee_fn, o, t, reg, memo)

        got = complex_vars(callee_fn, params, reg, inner, set())
        ret = callee_fn.body.yields[0] if callee_fn.body.yields else None
        memo[key] = type(ret) is Var and ret in got
    return memo[key]
