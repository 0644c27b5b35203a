"""Arrays of other libraries than NumPy (Dask, CuPy): which values are such arrays.

Input: any run-time value. Output: whether it is a *duck array*, an array of a library whose
arrays follow NumPy's interface and dispatch NumPy's functions to themselves (NEP-18
``__array_function__``, NEP-13 ``__array_ufunc__``): `np.sum(x)`, `np.tanh(x)`, `x @ w`,
`np.zeros_like(x)` on a Dask array make a Dask array, on a CuPy array a CuPy array. Generated
code calls NumPy's functions on the user's values, so it runs on them unchanged; the runtime
helpers and the argument checks ask `is_duck_array` where they would otherwise convert a value
with `np.asarray` (which computes a Dask array, or copies a CuPy array to the host) and look at
`shape`, `ndim` and `dtype` only, which these arrays know without computing anything.
`reshape_order` (``_srcad.reshape_order``: a runtime helper of `srcad.rules.shape`) is
``np.reshape(x, shape, order=order)`` on these arrays too: Dask's reshape takes no ``order``.

The libraries are named (`ARRAY_MODULES`), not guessed from the presence of
``__array_function__``: a user's class with its own ``__array_ufunc__`` stays a user object,
differentiated through its source or refused.

`tag_sum` is ``np.bincount(tags, weights, n)`` for weights of any dtype (bincount casts them to
float64, so longdouble cotangents raised TypeError there).

`refuse_user_object`: the run-time refusal of a user object in a list NumPy would make an object
array of (its methods would run on the tangents too).

Also `is_complex_value`: a complex number or array, or a container holding one (part of the
cache key: `srcad.passes.complex_taint` decides from it which values may be complex).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from srcad.errors import DiffError

# top-level modules whose array types are NumPy-like duck arrays (see the module docstring)
ARRAY_MODULES = ("dask", "cupy")

_KNOWN: dict[type, bool] = {np.ndarray: False}


def is_duck_array_type(cls: type) -> bool:
    """Is `cls` the array type of one of `ARRAY_MODULES` (not NumPy's own ndarray)?"""
    hit = _KNOWN.get(cls)
    if hit is None:
        mod = (getattr(cls, "__module__", "") or "").split(".")[0]
        hit = _KNOWN[cls] = (
            mod in ARRAY_MODULES
            and hasattr(cls, "__array_function__")
            and all(hasattr(cls, a) for a in ("shape", "dtype", "ndim"))
        )
    return hit


def is_duck_array(x: Any) -> bool:
    """Is `x` an array of a NumPy-like library other than NumPy (a Dask or CuPy array)?"""
    return type(x) is not np.ndarray and is_duck_array_type(type(x))


def asarray(x: Any, dtype: Any = None) -> Any:
    """``np.asarray(x, dtype)``, but a duck array stays one (converted with ``astype`` when its
    dtype differs): nothing is computed or copied to the host. A complex `x` is never cast to a
    real `dtype` (a `DiffError`: see `real_operand`)."""
    t = type(x)
    if t is np.ndarray:
        if dtype is None or x.dtype == dtype:
            return x
        if x.dtype.kind == "c" and np.dtype(dtype).kind != "c":
            raise complex_refusal("a runtime helper")
        return x.astype(dtype)
    if is_duck_array_type(t):
        if dtype is None or x.dtype == np.dtype(dtype):
            return x
        if x.dtype.kind == "c" and np.dtype(dtype).kind != "c":
            raise complex_refusal("a runtime helper")
        return x.astype(dtype)
    if dtype is not None and np.iscomplexobj(x) and np.dtype(dtype).kind != "c":
        raise complex_refusal("a runtime helper")
    return np.asarray(x, dtype)


def complex_refusal(what: str) -> DiffError:
    """The error of a derivative rule written for real values that meets a complex one (it runs
    in generated code, which locates it at the user's operation)."""
    return DiffError(
        f"{what} got a complex value, but its derivative rule is for real values only",
        hint="split real and imaginary parts (z.real, z.imag) before this operation",
    )


_PLAIN_ENTRIES = (np.ndarray, np.generic, float, int, complex, str)


def refuse_user_object(e: Any, what: str) -> None:
    """A located `DiffError` when `e`, an entry of a list NumPy makes an array of (`what`), is an
    object of a user class: NumPy makes an object array and runs its methods (on the tangents
    too), which no rule follows. Numbers, strings, arrays (subclasses too), NumPy scalars, duck
    arrays and None pass."""
    t = type(e)
    if e is None or t.__module__ in ("builtins", "numpy") or isinstance(e, _PLAIN_ENTRIES):
        return
    if not is_duck_array(e):
        raise DiffError(
            f"`{what}` of a list holding `{t.__name__}` objects makes an object array, whose "
            "arithmetic runs their methods: srcad's rules do not follow it",
            hint="build the array from the numbers the objects hold",
        )


def real_operand(x: Any, what: str) -> Any:
    """``np.asarray(x, float)`` of a primal operand (or a tangent, which is real when its value
    is) of the derivative rule of `what`: a complex `x` is refused, never truncated."""
    if np.iscomplexobj(x):
        raise complex_refusal(what)
    return np.asarray(x, float)


def real_part(g: Any) -> Any:
    """``np.asarray(g, float)`` of a cotangent of a real value: its real part, taken on purpose
    (the convention of docs/architecture.md, "Complex values in between": the imaginary part of
    the cotangent of a real value means nothing)."""
    if np.iscomplexobj(g):
        g = np.real(g)
    return np.asarray(g, float)


def tag_sum(tags: Any, weights: Any, n: int) -> Any:
    """The sums of `weights` per tag ``0..n-1`` (``np.bincount(tags, weights, minlength=n)``),
    in the weights' precision: bincount takes float64 weights only and raises TypeError for a
    longdouble or complex cotangent, which ``np.add.at`` sums in its own dtype."""
    w = np.ravel(weights)
    if np.can_cast(w.dtype, np.float64):
        return np.bincount(np.ravel(tags), w, n)
    out = np.zeros(n, np.result_type(w.dtype, np.float64))
    np.add.at(out, np.ravel(tags), w)
    return out


def item(x: Any) -> Any:
    """``np.asarray(x).item()``: the Python number in a size-one array; for a duck array a
    0-d array of its library, so the derivative of a Python number computed from a Dask array
    stays lazy (it becomes a number when the user computes it)."""
    if is_duck_array(x):
        return x.reshape(())
    return np.asarray(x).item()


def reshape_order(x, shape, order="C"):
    """``np.reshape(x, shape, order=order)``, also for a Dask array, whose reshape takes no
    ``order``: C order without the keyword, F order as C order on the reversed axes."""
    if not is_duck_array(x):
        return np.reshape(x, shape, order=order)
    if order in ("F", "f"):
        shape = tuple(reversed(np.atleast_1d(shape).tolist()))
        return np.transpose(_duck_reshape(np.transpose(x), shape))
    shape = (shape,) if isinstance(shape, (int, np.integer)) else shape
    return _duck_reshape(x, shape)  # 'C', and 'A'/'K' (a Dask array is not Fortran-ordered)


def _duck_reshape(x, shape):
    """``np.reshape(x, shape)``; a Dask array whose chunks do not split evenly into `shape` is
    made one chunk first (still lazy: the derivative of a reshape of a NumPy value)."""
    try:
        return np.reshape(x, shape)
    except NotImplementedError:
        if not hasattr(x, "rechunk"):
            raise
        return np.reshape(x.rechunk(np.shape(x)), shape)


_SCAN = 2000  # elements of a container looked at for complex numbers


def is_complex_value(v: Any, depth: int = 0) -> bool:
    """Is `v` a complex number or array, or a list/tuple/dict holding one?"""
    if isinstance(v, (complex, np.complexfloating)):
        return True
    if isinstance(v, np.ndarray):
        return v.dtype.kind == "c"
    if depth < 3 and isinstance(v, (list, tuple)):
        return any(is_complex_value(e, depth + 1) for e in v[:_SCAN])
    if depth < 3 and isinstance(v, dict):
        return any(is_complex_value(e, depth + 1) for e in list(v.values())[:_SCAN])
    return False


def is_other_semantics(v: Any, depth: int = 0) -> bool:
    """Is `v` an np.matrix (``*`` and ``**`` are matrix products) or a masked array (np.ma:
    reductions skip masked entries), or a list/tuple/dict holding one? srcad's rules follow
    ndarray semantics; such a value read by the differentiated code is refused."""
    if isinstance(v, np.ndarray):
        if type(v) is np.ndarray:
            return False
        ma = sys.modules.get("numpy.ma")  # (not imported: no masked array exists)
        return isinstance(v, np.matrix) or (ma is not None and isinstance(v, ma.MaskedArray))
    if depth < 3 and isinstance(v, (list, tuple)):
        return any(is_other_semantics(e, depth + 1) for e in v[:_SCAN])
    if depth < 3 and isinstance(v, dict):
        return any(is_other_semantics(e, depth + 1) for e in list(v.values())[:_SCAN])
    return False
