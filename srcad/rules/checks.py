"""The runtime helpers of the checks generated code makes: the user's ``raise``/``assert``
statements, and the run-time refusals and errors of srcad's own rewrites, with their rules.

Input: the `RuleTable` pair. Output: the tables filled with zero rules for the helpers (a check
computes no value a result depends on).

``assert_`` is the user's ``assert cond, msg`` (an `AssertionError`, as Python raises; generated
code always runs it, ``python -O`` or not). ``require`` is a check srcad adds itself, a call and
never an ``assert`` statement, so that ``python -O`` cannot skip it: a failed one raises a
`srcad.SrcadError` (a rewrite's assumption that only the values can tell broken: a view's base
that is no array, a list of layers changed while a loop unrolled over it; the API points it at
the user's line, `srcad.backend.locations`), or the error Python raises in the construct the
check stands for (`zip(strict=True)`: ValueError; `statistics.mean([])`: StatisticsError)::

    _srcad.require(isinstance(u, np.ndarray), '`u` is not a NumPy array; ...')
    _srcad.require(n == n_1, 'zip() argument 2 has another length than argument 1', 'ValueError')

``unpack_check(v, n)`` is Python's ValueError for ``a, b = v`` of another length (lower/unpacks.py);
``inplace_cast(new, a, ufunc)`` keeps an array's dtype through ``a op= v`` (ad/inplace_dtypes.py),
linear in `new` (its tangent in `a`'s dtype: ``as_dtype_of``).

``bound(v, name, free)`` is Python's read of a local name that may have no value (a name bound
only in a branch not taken, a loop that never ran, after ``del``; `srcad.lower.unbound`): the
lowering joins such a name with `UNBOUND`, which no user value is, and checks each read that may
see it: UnboundLocalError (NameError for a nested function's free variable), as Python raises.

``no_float(v, msg, hint)`` guards an argument that a rule declares ``nondiff`` (no derivative) and
the activity analysis cannot prove constant (an axis read from a tuple that also holds floats):
an integer, flag or string carries no derivative and passes; a float is refused
(`srcad.ad.common.active_params`). ``scalar_grad(t, loss, name)`` is the gradient `t` that
``srcad.grad(f)`` gives inside differentiated code once `f`'s output is checked to be a loss
(`srcad.losses`), linear in `t`.
"""

from __future__ import annotations

import importlib
import itertools
import sys

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import DiffError, SrcadError
from srcad.losses import scalar_error
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper

# `require`'s kinds of error: srcad's refusal, or the error Python raises (`statistics` is
# imported when a check of its fails: a program without it never loads it, tests/test_first_call)
_KINDS: dict[str, type[Exception]] = {
    "srcad": SrcadError,
    "ValueError": ValueError,
    "RuntimeError": RuntimeError,
    "LinAlgError": np.linalg.LinAlgError,
    "TypeError": TypeError,
    "OverflowError": OverflowError,
    "StopIteration": StopIteration,  # (``next(it)`` past the end: no message)
}


def _kind(kind: str) -> type[Exception]:
    if kind == "StatisticsError":
        return importlib.import_module("statistics").StatisticsError
    return _KINDS[kind]


@helper
def raise_(exc):
    """`raise exc` as a call (the lowering keeps statements as ops)."""
    if exc is None:
        raise RuntimeError("No active exception to reraise")
    raise exc


@helper
def assert_(cond, msg=None):
    """`assert cond, msg` as a call."""
    if not cond:
        raise AssertionError(msg) if msg is not None else AssertionError()


@helper
def require(cond, msg, kind="srcad", hint=None):
    """Nothing when `cond` holds; else the error of `kind` (see `_KINDS`) with `msg` (and a
    refusal's `hint`)."""
    if not cond:
        if msg is None:
            raise _kind(kind)()
        raise SrcadError(msg, hint=hint) if hint is not None else _kind(kind)(msg)


@helper
def copy_write(x, idx):
    """``x[idx][...] = v`` with `idx` an index array (lower/copywrites.py): NumPy's ``x[idx]``
    is a new array, the write changes it and not `x`. Nothing, after ``x[idx]``'s own errors;
    a refusal when `x` is no ndarray or ``x[idx]`` shares its memory (the write would reach
    `x`, which srcad left unchanged)."""
    y = x[idx]
    if not isinstance(x, np.ndarray) or np.may_share_memory(x, y):
        raise SrcadError(
            f"`x[i][...] = v` where `x[i]` is a {type(y).__name__} that may share `x`'s memory: "
            "srcad took `i` for an index array, whose item is a copy (the write leaves `x` "
            "unchanged)",
            hint="write into `x` with one index (`x[np.ix_(i, j)] += v`) or copy explicitly",
        )


@helper
def one_array(v, numbers, msg, hint):
    """Nothing when `v` is no container, or a tuple or list of arrays of one shape (numbers
    only, when `numbers`), which NumPy stacks into one array; else the refusal `msg` (`hint`).
    The argument and output of the Jacobians computed inside differentiated code
    (lower/api_calls.py: loops over unit vectors of one flattened array)."""
    if not isinstance(v, (tuple, list, dict)):
        return
    if not isinstance(v, dict):
        shapes = [None if isinstance(p, (tuple, list, dict)) else np.shape(p) for p in v]
        first = shapes[0] if shapes else None
        if first is not None and all(s == first for s in shapes) and not (numbers and first):
            return
    raise SrcadError(msg, hint=hint)


class _Unbound:
    """The value of a local name that has none (`UNBOUND`): one object, never a user's."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unbound>"

    def __reduce__(self) -> str:
        return "UNBOUND"  # (copies and pickles are the one object)


UNBOUND = _Unbound()
_NEW_WORDING = sys.version_info >= (3, 11)


@helper
def bound(v, name, free=False):
    """Nothing when `v` is a value; Python's error reading the name `name` that has none when it
    is `UNBOUND` (`free`: a nested function's free variable, a NameError)."""
    if v is UNBOUND:
        if free:
            raise NameError(
                f"cannot access free variable '{name}' where it is not associated with a value "
                "in enclosing scope"
                if _NEW_WORDING
                else f"free variable '{name}' referenced before assignment in enclosing scope"
            )
        raise UnboundLocalError(
            f"cannot access local variable '{name}' where it is not associated with a value"
            if _NEW_WORDING
            else f"local variable '{name}' referenced before assignment"
        )


_EXACT = (int, bool, str, type(None))


@helper
def no_float(v, msg, hint):
    """Nothing when `v` holds no float or complex number; else the refusal `msg` (`hint`)."""
    if type(v) in _EXACT or not _inexact(v):
        return
    raise DiffError(msg, hint=hint)


def _inexact(v) -> bool:
    t = type(v)
    if t in _EXACT:
        return False
    if t is float or t is complex or isinstance(v, (np.inexact, float, complex)):
        return True
    if isinstance(v, np.ndarray):
        if v.dtype.kind == "O":
            return any(_inexact(e) for e in v.flat)
        return v.dtype.kind in "fc"
    if t is list or t is tuple or isinstance(v, (list, tuple)):
        return any(_inexact(e) for e in v)
    if isinstance(v, dict):
        return any(_inexact(k) or _inexact(e) for k, e in v.items())
    if t is slice:
        return _inexact((v.start, v.stop, v.step))
    return False


@helper
def unpack_check(v, n, least=False):
    """Nothing when `v` has `n` items (at least `n`: a starred target), or no length (the
    indexing that follows raises); else the ValueError Python raises unpacking it into `n`
    targets (``a, b = v``, ``for w, b in ps``: srcad unpacks by indexing, lower/exprs)."""
    try:
        m = len(v)
    except TypeError:
        return
    if m == n or least and m > n:
        return
    if m > n:
        raise ValueError(f"too many values to unpack (expected {n})")
    expected = f"at least {n}" if least else f"{n}"
    raise ValueError(f"not enough values to unpack (expected {expected}, got {m})")


@helper
def islice_bounds(start, stop, step):
    """``slice(start, stop, step)``, the part of a list ``itertools.islice(a, start, stop,
    step)`` yields (lower/iterzip.listed_chain, bounds known only at run time), after Python's
    own check of the bounds (None or ints, ``0 <= start, stop``, ``step >= 1``: its ValueError
    otherwise)."""
    itertools.islice((), start, stop, step)  # (an empty source: checks the bounds only)
    return slice(start, stop, step)


@helper
def strided_index(x, shape, strides):
    """The flat indices of the elements ``np.lib.stride_tricks.as_strided(x, shape, strides)``
    reads (lower/strided_np.py): the same view of an int64 ``arange`` of `x`'s size, whose bytes
    are laid out as `x`'s when `x` is a C-contiguous array of 8-byte items (else refused)."""
    if not (isinstance(x, np.ndarray) and x.flags.c_contiguous and x.itemsize == 8):
        raise SrcadError(
            "`as_strided` of a value that is not a C-contiguous array of 8-byte items (float64):"
            " srcad follows the view as a gather of flat indices, which only such an array's"
            " strides give",
            hint="pass `np.ascontiguousarray(x, dtype=float)`",
        )
    shape, strides = tuple(np.atleast_1d(shape)), tuple(np.atleast_1d(strides))
    reach = [(n - 1) * s for n, s in zip(shape, strides)]
    if all(shape) and (
        sum(min(r, 0) for r in reach) < 0 or sum(max(r, 0) for r in reach) >= x.nbytes
    ):
        raise SrcadError(
            "`as_strided` reaching past the array's memory: NumPy reads whatever lies there",
            hint="choose a shape and strides that stay inside the array",
        )
    flat = np.arange(x.size, dtype=np.int64)
    return np.lib.stride_tricks.as_strided(flat, shape, strides, writeable=False)


# `a op= v` -> the NumPy ufunc that ``a.__iop__(v)`` runs with ``out=a`` (`inplace_cast`)
INPLACE_UFUNCS = {
    "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
    "floordiv": "floor_divide", "mod": "remainder", "pow": "power", "matmul": "matmul",
    "bitand": "bitwise_and", "bitor": "bitwise_or", "bitxor": "bitwise_xor",
    "lshift": "left_shift", "rshift": "right_shift",
}  # fmt: skip


@helper
def inplace_cast(new, old, name):
    """`new`, the value ``old <op> v``, as ``old <op>= v`` leaves `old` when it is an array
    (`srcad.ad.inplace_dtypes`): NumPy's ``np.<name>(old, v, out=old)`` keeps its dtype and
    shape, raising where the result cannot be cast back (``same_kind``) or is larger; an array
    of a plain ndarray subclass too (np.matrix and masked arrays keep their own operators)."""
    if type(old) is not np.ndarray and (
        not isinstance(old, np.ndarray) or isinstance(old, (np.matrix, np.ma.MaskedArray))
    ):
        return new  # a number: rebound to the new value
    a = np.asarray(new)
    if a.dtype == old.dtype and a.shape == old.shape:
        return new if old.ndim else a  # (a 0-d array stays one: ``a - v`` is a NumPy scalar)
    if a.shape != old.shape:
        raise ValueError(
            f"non-broadcastable output operand with shape {old.shape} doesn't match the "
            f"broadcast shape {a.shape}"
        )
    if not np.can_cast(a.dtype, old.dtype, "same_kind"):  # NumPy's own error and message
        one = np.ones((1, 1), a.dtype)
        getattr(np, name)(one, one, out=np.ones((1, 1), old.dtype))
    return a.astype(old.dtype)


@helper
def as_dtype_of(t, like):
    """The tangent `t` of a value cast to the dtype of the array `like` (`inplace_cast`): in
    that dtype, as JAX gives a value's tangent in its dtype."""
    if isinstance(like, np.ndarray) and like.dtype.kind in "fc" and hasattr(t, "dtype"):
        if t.dtype != like.dtype and t.dtype.kind in "fc":
            return np.asarray(t).astype(like.dtype)
    return t


@helper
def scalar_grad(t, loss, name):
    """`t`, the gradient ``srcad.grad(f)`` gives inside differentiated code (`srcad.ad.compose`),
    once `f`'s output `loss` is checked to be a scalar, as calling ``srcad.grad(f)`` checks it:
    the gradient level seeds every element of `loss` with 1, so an array output gave the
    gradient of its sum. (`loss` only selects: its derivative is zero, `marks`.)"""
    err = scalar_error(loss, f"`{name}`")
    if err is not None:
        raise err
    return t


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the (zero) rules of the check helpers, and `scalar_grad`'s
    (linear in its gradient)."""
    defzero_helper(
        jvp, vjp, raise_, assert_, require, no_float, unpack_check, copy_write, one_array, bound,
        islice_bounds, strided_index,
    )  # fmt: skip
    deflinear_helper(jvp, vjp, inplace_cast, "new, old, name", "_srcad.as_dtype_of(dnew, old)", "g")
    deflinear_helper(jvp, vjp, as_dtype_of, "t, like", "_srcad.as_dtype_of(dt, like)", "g")
    deflinear_helper(jvp, vjp, scalar_grad, "t, loss, name", "_srcad.scalar_grad(dt, loss, name)",
                     "g")  # fmt: skip


def dict_subclass_error(x: dict) -> Exception:
    """The refusal of a dict subclass's derivative (a `collections.defaultdict` read inserts
    its missing keys; srcad's derivative dicts are plain dicts)."""
    return DiffError(
        f"derivatives through `{type(x).__name__}` objects (a dict subclass) are not supported",
        hint="use a plain dict: `d[k] = d.get(k, 0.0) + v` instead of a defaultdict's `d[k] += v`",
    )
