"""`passes/complex_taint._may_make_complex` (looks each primitive's record up once, skips real
constants) gives the answer of the per-op form it replaced, on a table of lowered functions:
ones that make complex values (constants, dtypes, casts, NumPy functions) and ones that do not."""

from __future__ import annotations

import types

import numpy as np

from srcad.arrays import is_complex_value
from srcad.passes import complex_taint
from srcad.passes.prepare import lowered
from srcad.rules import default_registry
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const

CPLX = 2.0 + 1.0j


def real(x, y):
    return np.sum(np.sin(x) * y + 2.0) / 3


def const_j(x):
    return np.sum(x * 1j).real


def global_c(x):
    return np.sum(x * CPLX).real


def dtype_kw(x):
    return np.sum(np.zeros(3, dtype=complex) + x)


def cast(x):
    return np.asarray(x, complex).real


def fft(x):
    return np.sum(np.abs(np.fft.fft(x)))


def strings(x, s="a"):
    return np.sum(x) if s == "a" else None


def _reference(fn, reg, calls) -> bool:
    """The per-op form (before the per-primitive lookup)."""
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
        elif p == "call" or op in calls or op.kwargs.get("dtype") is not None:
            return True
        elif reg.get(p).complex_result or p in complex_taint._CASTS and len(op.args) > 1:
            return True
        else:
            for a in op.args:
                if type(a) is Const and is_complex_value(a.value):
                    return True
    return False


def test_same_answers():
    reg = default_registry()
    got = {}
    for f in (real, const_j, global_c, dtype_kw, cast, fft, strings):
        fn = lowered(f)
        got[f.__name__] = complex_taint._may_make_complex(fn, reg, set())
        assert got[f.__name__] == _reference(fn, reg, set()), f.__name__
    assert not got["real"] and not got["strings"]
    assert got["const_j"] and got["global_c"] and got["dtype_kw"] and got["cast"]
