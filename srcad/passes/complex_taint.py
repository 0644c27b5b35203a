"""Complex taint: which values may be complex, and the differentiated ops that meet one unchecked.

Input: a `Function` (a transform's copy), its parameters that may be complex (a complex argument
in the cache key's `Spec`, or a caller's possibly complex operand), the varied Vars, the
primitive registry, and `callee(op, tainted)`: whether a user function's `call` may return a
complex value given which operands may be complex (None: not a user function srcad reads).
Output: `complex_vars` (the Vars that may hold complex values) and `refuse_complex_ops`, which
raises a located `DiffError` at the first differentiated op (a varied operand or result) with a
possibly complex operand whose primitive is not `complex_safe` (its rules hold for complex values
under JAX's convention: docs/architecture.md, "Complex values in between").

Sources (as the transform sees them): complex globals, closure values and attributes of objects
known at transform time (also lists/tuples/dicts holding complex numbers), complex literals,
``dtype=complex`` / ``x.astype(complex)``, primitives declared `complex_result` (``complex()``,
``cmath.*``, ``np.emath.*``, ``np.linalg.eig``/``eigvals``, ``np.roots``, the complex FFTs).
Every other op passes the taint on from its operands, except `real_result` ones (``np.real``,
``.imag``, ``np.abs``, comparisons, shapes, a cast to a real dtype) and the writes into an array
(``np.put``, ``np.copyto``, ``out=``: complex when the array is). Example::

    C = np.array([1j, 2.0])
    def f(x):                      # C: complex at transform time
        z = np.cross(C, x)         # refused: np.cross has no complex rule
        return np.sum(np.abs(z))

Values srcad cannot see at transform time (an array attribute rebound later, a list argument
holding complex numbers) are left to the run-time check of the helpers (`srcad.arrays.real_operand`).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.ad.common import diff_error
from srcad.ad.rules import Registry
from srcad.arrays import is_complex_value
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops

# ops whose operands decide nothing here: structured ops (their blocks are walked), names
_SKIP = frozenset({"if", "for", "while", "call", "global", "free", "comment"})
# dtype conversions: the result is of the dtype given (real or complex) whatever the operand
_CASTS = frozenset({"method.astype", "numpy.asarray", "numpy.array", "numpy.asanyarray"})
# makers taking a dtype positionally: its position (``np.zeros(4, complex)``)
_DTYPE_AT = {"numpy.zeros": 1, "numpy.ones": 1, "numpy.empty": 1, "numpy.full": 2,
             "numpy.zeros_like": 1, "numpy.ones_like": 1, "numpy.empty_like": 1,
             "numpy.full_like": 2, "numpy.identity": 1, "numpy.eye": 3, "numpy.arange": 3}  # fmt: skip


def _dtype_kind(v: Any) -> str | None:
    """The kind ('c', 'f', ...) of a transform-time dtype argument, None when unknown."""
    try:
        return np.dtype(v).kind
    except TypeError:
        return None


class _Taint:
    def __init__(
        self, fn: Function, reg: Registry, callee: Callable | None, varied: set[Var], calls: set
    ) -> None:
        self.fn, self.reg, self.callee, self.varied = fn, reg, callee, varied
        self.calls = calls  # `method.*` ops that call a user method
        self.tainted: set[Var] = set()
        self.static: dict[Var, Any] = {}  # transform-time values of global/free/attr results
        self.eighs: set[Var] = set()  # results of np.linalg.eigh (`real_first`)

    def is_t(self, a: Any) -> bool:
        if type(a) is Var:
            return a in self.tainted
        return isinstance(a, Const) and is_complex_value(a.value)

    def block(self, b: Block) -> None:
        for op in b.ops:
            self.op(op)

    def op(self, op: Op) -> None:
        p = op.prim
        if p == "if":
            for b in op.blocks:
                self.block(b)
            for k, r in enumerate(op.results):
                if any(k < len(b.yields) and self.is_t(b.yields[k]) for b in op.blocks):
                    self.tainted.add(r)
            return
        if p in ("for", "while"):
            self.loop(op)
            return
        if p in ("global", "free"):
            kind, obj = self.fn.namespace.lookup(op.params.get("name", ""))
            if kind != "missing" and not op.params.get("generated"):
                self.static[op.result] = obj
                if is_complex_value(obj):
                    self.tainted.add(op.result)
            return
        if p.startswith("attr.") and type(op.args[0]) is Var and op.args[0] in self.static:
            base = self.static[op.args[0]]
            try:
                value = getattr(base, p[5:])
            except Exception:
                value = None
            else:
                self.static[op.result] = value
            if is_complex_value(value):
                self.tainted.update(op.results)
                return
        if (p == "call" or op in self.calls) and self.callee is not None:
            got = self.callee(op, self.tainted)
            if got is not None:
                if got:
                    self.tainted.update(op.results)
                return
        if self.result_taint(op):
            self.tainted.update(op.results)

    def result_taint(self, op: Op) -> bool:
        rec = self.reg.get(op.prim)
        dtype = op.kwargs.get("dtype")
        if dtype is None and op.prim == "method.astype" and len(op.args) > 1:
            dtype = op.args[1]
        if dtype is None and op.prim in _CASTS and op.prim != "method.astype" and len(op.args) > 1:
            dtype = op.args[1]
        at = _DTYPE_AT.get(op.prim)
        if dtype is None and at is not None and len(op.args) > at:  # np.zeros(4, complex)
            dtype = op.args[at]
        if dtype is not None:
            kind = _dtype_kind(self._value(dtype))
            if kind == "c":
                return True
            if kind is not None and op.prim in _CASTS:
                return False  # a cast to a real dtype (NumPy warns, as for the user's program)
        if rec.complex_result:
            varied = self.varied
            return not (rec.varied_real and any(type(a) is Var and a in varied for a in op.args))
        if rec.real_result or self.real_first(op):
            return False
        if op.prim in _WRITERS and op.args:  # a copy of the array written into: its dtype
            return self.is_t(op.args[0])
        return any(self.is_t(a) for a in op.operands())

    def real_first(self, op: Op) -> bool:
        """Is `op` ``r[0]`` / ``r.eigenvalues`` of an ``np.linalg.eigh`` result `r` (real)?
        (An eigh op is recorded here: its result is complex, its eigenvalues are not.)"""
        p = op.prim
        if p in _REAL_FIRST:
            self.eighs.add(op.result)
            return False
        if p not in ("getitem", "attr.eigenvalues") or op.args[0] not in self.eighs:
            return False
        k = op.args[1].value if p == "getitem" and isinstance(op.args[1], Const) else 0
        return p == "attr.eigenvalues" or (type(k) is int and k in (0, -2))

    def _value(self, a: Any) -> Any:
        if isinstance(a, Const):
            return a.value
        return self.static.get(a)

    def loop(self, op: Op) -> None:
        p = op.prim
        n = len(op.results)
        inits = op.args[3:] if p == "for" else op.args
        body = op.blocks[-1]
        off = 1 if p == "for" else 0
        while True:
            before = len(self.tainted)
            for k in range(n):
                if k < len(inits) and self.is_t(inits[k]) or self.is_t(body.yields[k]):
                    for b in op.blocks:
                        o = off if b is body else 0
                        if o + k < len(b.params):
                            self.tainted.add(b.params[o + k])
                    self.tainted.add(op.results[k])
            for b in op.blocks:
                self.block(b)
            if len(self.tainted) == before:
                return


def complex_vars(
    fn: Function,
    params: set[Var],
    reg: Registry,
    callee: Callable | None = None,
    varied: set[Var] | None = None,
    calls: set[Op] | None = None,
) -> set[Var]:
    """The Vars of `fn` that may hold complex values (see the module docstring); `params`: the
    parameters that may; `callee(op, tainted)`: whether a `call` op may return one (None: not
    known); `varied`: the varied Vars (a `varied_real` primitive refuses complex results then);
    `calls`: the `method.*` ops that call user methods (followed like `call` ops)."""
    calls = calls or set()
    if not params and not _may_make_complex(fn, reg, calls):
        return set()  # (most functions: one cheap walk)
    t = _Taint(fn, reg, callee, varied or set(), calls)
    t.tainted |= params
    t.block(fn.body)
    return t.tainted


def _may_make_complex(fn: Function, reg: Registry, calls: set) -> bool:
    """Can anything in `fn` make a complex value (a source of the module docstring, a call of a
    user function, an object whose attributes it reads)?"""
    makes: dict[str, bool] = {}  # per primitive: `complex_result`, looked up once
    for op in ops_of(fn.body):
        p = op.prim
        if p == "global" or p == "free":
            kind, obj = fn.namespace.lookup(op.params.get("name", ""))
            if kind == "missing" or op.params.get("generated"):
                continue
            if is_complex_value(obj) or not (
                callable(obj) or isinstance(obj, (types.ModuleType, int, float, str, bool))
            ):
                return True
        elif p == "call" or op in calls or (op.kwargs and op.kwargs.get("dtype") is not None):
            return True
        else:
            m = makes.get(p)
            if m is None:
                m = makes[p] = bool(reg.get(p).complex_result)
            if (
                m
                or p in _CASTS
                and len(op.args) > 1
                or p in _DTYPE_AT
                and len(op.args) > _DTYPE_AT[p]
            ):
                return True
            for a in op.args:  # (a float or int constant is no complex value: no call)
                if type(a) is Const and type(a.value) not in _REAL and is_complex_value(a.value):
                    return True
    return False


# results whose first entry is real whatever their operand: the eigenvalues of a Hermitian matrix
_REAL_FIRST = frozenset({"numpy.linalg.eigh", "srcad.runtime.eigh_c"})


_REAL = frozenset({float, int, bool, str, type(None)})
_WRITERS = frozenset({"srcad.runtime.put_write", "srcad.runtime.out_write"})


def refuse_complex_ops(
    fn: Function, tainted: set[Var], varied: set[Var], reg: Registry, skip: set[Op] | None = None
) -> None:
    """Raise a located `DiffError` at the first op with a possibly complex operand that is
    differentiated (a varied operand or result) and whose primitive is not `complex_safe`.
    `skip`: ops that are calls of user functions (checked in their own transform)."""
    if not tainted:
        return
    for op in walk_ops(fn.body):
        if op.prim in _SKIP or (skip and op in skip):
            continue
        ops = op.operands()
        if not any(type(a) is Var and a in tainted for a in ops):
            continue
        if not any(type(a) is Var and a in varied for a in ops) and not any(
            r in varied for r in op.results
        ):
            continue
        if reg.get(op.prim).complex_safe:
            continue
        raise diff_error(fn, op, *_message(op.prim))


def _message(prim: str) -> tuple[str, str]:
    name = prim.replace("numpy.", "np.").replace("method.", ".").replace("attr.", ".")
    if prim == "numpy.sign":
        return (
            "np.sign of a value that may be complex: srcad's rule for np.sign is zero, but "
            "NumPy's sign(z) = z / |z| of a complex z varies",
            "write z / np.abs(z) for complex values, or np.sign(z.real) for real parts",
        )
    return (
        f"`{name}` of a value that may be complex: its derivative rule is for real values "
        "only (complex values here come from a complex constant, argument, dtype or function)",
        "split real and imaginary parts (z.real, z.imag) before this operation",
    )
