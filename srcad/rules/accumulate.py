"""A loop's matrix-product accumulator, ``acc += a @ b``, without a new array per iteration.

Input: the accumulator `acc` (a loop's private float array: passes/inplace.py's ``add_into``)
and the factors `a`, `b`. Output: `acc` with ``a @ b`` added in place (`add_matmul_into`, what
passes/matmul_into.py makes of ``add_into(acc, a @ b)``).

A reverse sweep over an RNN's steps adds ``h.T @ dz`` into ``bWh`` once per step. ``a @ b``
allocates its result every time; at the sizes of a layer's weights (64 x 256 float64: 128 KiB,
glibc's threshold for handing memory back to the system) each new array is fresh pages from the
kernel, and touching them costs page faults: about 650 per call of an LSTM gradient of 20 steps,
a quarter of its time (benchmarks/bench_lstm.py). The product written into one scratch array per
shape and thread (``np.matmul(a, b, out=s)``: the same BLAS call, the same numbers) and then
added is the ``beta = 1`` of BLAS's GEMM as NumPy allows it. The scratch never escapes the call:
its values are dead once added; each thread has its own (`threading.local`), taken out of the
thread's pool while in use (a signal handler that runs a gradient in between gets another).
Buffers are kept up to `_KEEP` bytes per thread; anything else (other dtypes, ranks, shapes that
do not match, non-arrays) takes ``add_into(acc, a @ b)``, what the code did before.

Its reverse rule sums the cotangent to the product's shape, which `matmul_like(a, b)` gives as a
zero-stride stand-in (no second product: the rule once recomputed ``a @ b`` for its shape).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from srcad.rules.helpers import defzero_helper, helper, rt
from srcad.rules.trees import add_into, shape_like

if TYPE_CHECKING:
    from srcad.ad.rules import RuleTable

_F64 = np.dtype(np.float64)
_NDARRAY = np.ndarray
_KEEP = 1 << 24  # bytes of scratch arrays a thread keeps (16 MiB)
_LOCAL = threading.local()
_FLAT0 = np.zeros(1)  # (the one element the stand-ins of `matmul_like` repeat)
_LIKE: dict[tuple, np.ndarray] = {}


def take(shape: tuple) -> tuple[np.ndarray, dict]:
    """A float64 array of `shape` owned by this thread, taken out of its pool while in use (a
    signal handler running a gradient between the product and the sum gets another one), and
    the pool to give it back to (`give`)."""
    pool = getattr(_LOCAL, "pool", None)
    if pool is None:
        pool = _LOCAL.pool = {}
    s = pool.pop(shape, None)
    return (np.empty(shape) if s is None else s), pool


def give(pool: dict, s: np.ndarray) -> None:
    """Keep `s` for the next product of its shape, up to `_KEEP` bytes in all."""
    if s.nbytes <= _KEEP:
        if sum(v.nbytes for v in pool.values()) + s.nbytes > _KEEP:
            pool.clear()
        pool[s.shape] = s


@helper
def add_matmul_into(acc: Any, a: Any, b: Any) -> Any:
    """``add_into(acc, a @ b)``: ``a @ b`` written into a scratch array, then added into `acc`
    in place, when all three are float64 arrays, `a` and `b` matrices and `acc` writable of
    the product's shape (module docstring); ``add_into(acc, a @ b)`` otherwise."""
    if (
        type(acc) is _NDARRAY
        and type(a) is _NDARRAY
        and type(b) is _NDARRAY
        and a.ndim == 2
        and b.ndim == 2
        and acc.ndim == 2
        and a.dtype is _F64
        and b.dtype is _F64
        and acc.dtype is _F64
        and a.shape[1] == b.shape[0]
        and acc.shape[0] == a.shape[0]
        and acc.shape[1] == b.shape[1]
        and acc.flags.writeable
    ):
        s, pool = take(acc.shape)
        np.matmul(a, b, out=s)
        acc += s
        give(pool, s)
        return acc
    return add_into(acc, a @ b)


@helper
def matmul_like(a: Any, b: Any) -> Any:
    """An array of the shape and dtype of ``a @ b`` for the reverse rule of `add_matmul_into`,
    which reads only its shape (``unbroadcast(g, a @ b)``): for float64 matrices a zero-stride
    read-only stand-in (one per shape, no product computed: the primal already added it, in
    place); zeros of the type and shape of ``a @ b`` otherwise (its derivative is zero)."""
    if (
        type(a) is _NDARRAY
        and type(b) is _NDARRAY
        and a.ndim == 2
        and b.ndim == 2
        and a.dtype is _F64
        and b.dtype is _F64
        and a.shape[1] == b.shape[0]
    ):
        shape = (a.shape[0], b.shape[1])
        s = _LIKE.get(shape)
        if s is None:
            if len(_LIKE) > 256:
                _LIKE.clear()
            s = np.ndarray(shape, _F64, _FLAT0, 0, (0, 0))
            s.setflags(write=False)
            _LIKE[shape] = s
        return s
    p = a @ b  # (other operands: zeros of the product's type and shape)
    if type(p) is _NDARRAY:
        return shape_like(p)
    return type(p)(0) if type(p) in _NUMBERS else np.zeros_like(p)


_NUMBERS = (float, int, complex, np.float64, np.float32, np.complex128, np.complex64)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of ``add_into(acc, a @ b)``: the helper appears only after the last transform
    (passes/matmul_into.py), but generated code is differentiated again when a user differentiates it
    (every helper has rules: tests/higher/test_second_order_rules.py). The product's cotangent
    is `g` summed to the product's shape, which `matmul_like` gives without computing it again."""
    f = rt(add_matmul_into)
    jvp.defjvp(f, "acc, a, b", acc="dacc", a="da @ b", b="a @ db")
    vjp.defvjp(
        f, "acc, a, b", acc="_srcad.unbroadcast(g, acc)",
        a="_srcad.matmul_vjp(_srcad.unbroadcast(g, _srcad.matmul_like(a, b)), a, b, 0)",
        b="_srcad.matmul_vjp(_srcad.unbroadcast(g, _srcad.matmul_like(a, b)), a, b, 1)",
    )  # fmt: skip
    defzero_helper(jvp, vjp, matmul_like)
