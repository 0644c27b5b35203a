"""Helpers that generated derivative code and rule templates call (imported there as ``_srcad``).

Input: primal values, tangents and cotangents (NumPy arrays, Python scalars, or tuples, lists
and dicts of them). Output: plain values. Every helper is a pure function; the ones called in
tight scalar loops (`unbroadcast`, `zeros_like`, `add`, `sign`, `pow_dx`) return early for floats.

Example::

    >>> unbroadcast(np.ones((3, 4)), np.zeros(4))
    array([3., 3., 3., 3.])
"""

from __future__ import annotations

import math

import numpy as np

_SCALARS = (float, int, bool)


# -- pytrees of tangents -------------------------------------------------------------------------
def zeros_like(x):
    """A float zero of the same structure as `x` (ints get float zeros: tangents are float)."""
    t = type(x)
    if t is float or t is int or t is bool:
        return 0.0
    if t is np.ndarray:
        return np.zeros(x.shape, float if x.dtype.kind in "biu" else x.dtype)
    if t is tuple or t is list:
        return t(zeros_like(e) for e in x)
    if t is dict:
        return {k: zeros_like(v) for k, v in x.items()}
    if x is None or t is str or t is bytes:  # no derivative (dict keys, labels)
        return None
    if t is complex:
        return 0j
    if isinstance(x, np.generic):
        return x.dtype.type(0) if x.dtype.kind in "fc" else 0.0
    if isinstance(x, np.ndarray):
        return np.zeros(x.shape, float if x.dtype.kind in "biu" else x.dtype)
    if isinstance(x, (tuple, list)):  # namedtuples (SlogdetResult, ...) become plain tuples
        return (tuple if isinstance(x, tuple) else list)(zeros_like(e) for e in x)
    raise TypeError(f"srcad: no zero tangent for a value of type {t.__name__}")


def add(a, b):
    """Sum of two tangents/cotangents; None is zero; tuples, lists and dicts add elementwise."""
    if a is None:
        return b
    if b is None:
        return a
    t = type(a)
    if t is float or t is np.ndarray:
        return a + b
    if isinstance(a, (tuple, list)):
        if len(a) != len(b):
            raise ValueError(f"srcad: adding sequences of lengths {len(a)} and {len(b)}")
        return (tuple if isinstance(a, tuple) else list)(add(x, y) for x, y in zip(a, b))
    if t is dict:
        out = dict(a)
        for k, v in b.items():
            out[k] = add(out.get(k), v)
        return out
    return a + b


_F64 = np.float64
_SCALAR_TYPES = frozenset({float, int, np.float64})


def unbroadcast(g, x):
    """Sum `g` down to the shape of the primal `x` (undoes NumPy broadcasting)."""
    tg = type(g)
    if tg is float or (tg is _F64 and type(x) in _SCALAR_TYPES):
        return g
    gs = np.shape(g)
    xs = np.shape(x)
    if type(x) is list or type(x) is tuple:  # `[a, b] + arr`: a list broadcast as an array
        if tg is np.ndarray and gs != xs:
            g = unbroadcast(g, np.zeros(xs))
        return array_vjp(g, x)
    if gs != xs:
        g = np.asarray(g)
        extra = len(gs) - len(xs)
        if extra > 0:
            g = g.sum(axis=tuple(range(extra)))
        axes = tuple(i for i, n in enumerate(xs) if n == 1 and g.shape[i] != 1)
        if axes:
            g = g.sum(axis=axes, keepdims=True)
        if g.shape != xs:  # g smaller than x: x was not broadcast but g is (e.g. a scalar)
            g = np.broadcast_to(g, xs).copy()
    if type(x) in _SCALARS or type(x) is complex:
        return g.item() if hasattr(g, "item") else g
    return g


def broadcast_like(t, ans):
    """The tangent `t` with the shape of `ans`: `t` itself when the shapes agree, else a
    read-only broadcast view (generated code never updates a tangent in place)."""
    tt = type(t)
    if (tt is float or tt is _F64) and type(ans) in _SCALAR_TYPES:
        return t
    shape = np.shape(ans)
    if np.shape(t) == shape:
        return t
    if type(ans) in _SCALAR_TYPES:  # a 0-d tangent of a Python number
        return float(np.asarray(t).reshape(()))
    return np.broadcast_to(t, shape)


def array_vjp(g, obj):
    """Cotangent of `obj` for ``np.array(obj)``: `g` split into the nested structure of `obj`."""
    t = type(obj)
    if t is list or t is tuple:
        g = np.reshape(g, np.shape(obj))
        return t(array_vjp(g[i], e) for i, e in enumerate(obj))
    if t in _SCALARS or t is complex:
        return np.asarray(g).item()
    return np.reshape(g, np.shape(obj))


def scalar_vjp(g, x):
    """Cotangent of `x` for ``float(x)`` / ``x.item()``: `g` in the shape of `x`."""
    if type(x) in _SCALARS:
        return float(g)
    return np.full(np.shape(x), g)


# -- indexing (the transforms call these for getitem / setitem) ----------------------------------
def _unsupported(message: str) -> Exception:
    """The error a helper raises for a case only its arguments reveal (it runs in generated code)."""
    from srcad.errors import DiffError

    return DiffError(message, hint="use a form srcad differentiates (see the README's table)")


def _is_advanced(idx) -> bool:
    if isinstance(idx, tuple):
        return any(_is_advanced(i) for i in idx)
    return isinstance(idx, (list, np.ndarray)) and np.asarray(idx).dtype.kind in "iu"


def _zeros_for(x, g):
    dtype = np.result_type(float, getattr(x, "dtype", float), getattr(g, "dtype", float))
    return np.zeros(np.shape(x), dtype)


def getitem_vjp(g, x, idx):
    """Cotangent of `x` for ``x[idx]`` (array, list, tuple, dict); repeated indices accumulate."""
    t = type(x)
    # Containers: entries that get no cotangent are None (a symbolic zero), so unpacking
    # `W, b = params` does not allocate zero arrays for every parameter at every use.
    if t is list or isinstance(x, tuple):
        out = [None] * len(x)
        if isinstance(idx, slice):
            for i, gi in zip(range(len(x))[idx], g):
                out[i] = add(out[i], gi)
        else:
            out[idx] = g
        if t is not list and t is not tuple and hasattr(x, "_fields"):  # a namedtuple
            return t(*out)
        return tuple(out) if t is not list else out
    if t is dict:
        out = dict.fromkeys(x)
        out[idx] = g
        return out
    z = _zeros_for(x, g)
    if g is None:
        return z
    if _is_advanced(idx):
        np.add.at(z, idx, g)
    else:
        z[idx] = g
    return z


def setitem(x, idx, v):
    """Functional ``x[idx] = v``: a new array/list/dict, `x` unchanged (NumPy casting rules)."""
    t = type(x)
    if t is list or t is dict:
        y = t(x)
        y[idx] = v
        return y
    y = x.copy()
    y[idx] = v
    return y


def setitem_vjp_x(g, idx):
    """Cotangent of the old `x` for ``setitem(x, idx, v)``: `g` with overwritten slots zeroed."""
    if g is None:
        return None
    if type(g) in _SCALAR_TYPES:  # a 0-d array's cotangent may be a number: x[()] = v
        g = np.asarray(g, dtype=float)
    t = type(g)
    if t is list or t is dict:
        y = t(g)
        if isinstance(idx, slice):
            for i in range(len(g))[idx]:
                y[i] = zeros_like(y[i])
        else:
            y[idx] = zeros_like(y[idx])
        return y
    y = np.array(g, dtype=np.result_type(g, float))
    y[idx] = 0
    return y


def setitem_vjp_v(g, idx, v):
    """Cotangent of `v` for ``setitem(x, idx, v)``: ``g[idx]`` summed down to the shape of `v`."""
    if g is None:
        return zeros_like(v)
    if type(g) is list or type(g) is dict:
        r = g[idx]
        return zeros_like(v) if r is None else r
    if type(g) in _SCALAR_TYPES:
        g = np.asarray(g, dtype=float)
    sel = g[idx]
    if type(sel) is np.ndarray and sel.base is not None:
        sel = sel.copy()  # not a view: the caller may zero g[idx] in place next
    if _is_advanced(idx):
        # with repeated indices NumPy keeps the last write: earlier ones get no cotangent
        flat = np.arange(np.size(g)).reshape(np.shape(g))[idx]
        if flat.size != np.unique(flat).size:
            order = flat.ravel()
            _, last_from_end = np.unique(order[::-1], return_index=True)
            keep = np.zeros(order.size, dtype=bool)
            keep[order.size - 1 - last_from_end] = True
            sel = np.where(keep.reshape(flat.shape), sel, 0.0)
    return unbroadcast(sel, v)


def add_at(acc, idx, g, x):
    """``acc + getitem_vjp(g, x, idx)``, in place when `acc` is an array the caller owns."""
    if type(acc) is np.ndarray and acc.dtype.kind in "fc" and g is not None:
        if _is_advanced(idx):
            np.add.at(acc, idx, g)
        else:
            acc[idx] += g
        return acc
    if type(acc) is list and type(idx) is int and g is not None:
        acc[idx] = add(acc[idx], g)  # rebinds the slot; the element itself is never updated
        return acc
    return add(acc, getitem_vjp(g, x, idx))


def elem(g, k, x):
    """``g[k]`` of a container cotangent, a zero like `x` where that entry is None."""
    r = g[k]
    return zeros_like(x) if r is None else r


def dict_entry(g, k, later, x):
    """Cotangent of the value `x` stored under key `k` in a dict literal, `g` the dict's
    cotangent: none (a zero like `x`) when a later entry's key (in `later`) equals `k`, since that
    entry overwrote this value (``{k1: a, k2: b}`` with ``k1 == k2`` keeps only `b`)."""
    if g is None or any(o is k or o == k for o in later):
        return zeros_like(x)
    return elem(g, k, x)


def dict_entry_vjp(g, t, k, later):
    """Cotangent of the dict cotangent `t` for ``dict_entry(t, k, later, x)`` (higher order)."""
    if any(o is k or o == k for o in later):
        return dict.fromkeys(t)
    return getitem_vjp(g, t, k)


# -- scalar-friendly elementwise helpers ---------------------------------------------------------
def sign(x):
    """Sign of `x` (0 at 0): a Python float for Python numbers, else ``np.sign(x)``."""
    if type(x) is float or type(x) is int:
        return (x > 0) - (x < 0) + 0.0
    return np.sign(x)


def _ieee(v):
    """A NumPy float64 result as a Python float (inf/nan kept, no warning)."""
    return float(v)


def fdiv(x, y):
    """``x / y``, with NumPy's inf/nan instead of ZeroDivisionError when both are Python numbers
    (derivative factors like ``0.5 / math.sqrt(x)`` at ``x == 0``)."""
    if (type(y) is float or type(y) is int) and y == 0 and type(x) in _SCALARS:
        with np.errstate(divide="ignore", invalid="ignore"):
            return _ieee(np.divide(np.float64(x), np.float64(y)))
    return x / y


def div0(x, y):
    """``x / y``, 0 where ``y == 0``: the minimum-norm subgradient of norm-like functions at 0
    (``hypot(0, 0)``, ``std`` of constant data). Python numbers stay Python floats."""
    if type(x) in _SCALARS and type(y) in _SCALARS:
        return x / y if y != 0 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = np.equal(y, 0)
        out = np.where(zero, 0.0, np.divide(x, np.where(zero, 1.0, y)))
    return out[()] if out.ndim == 0 else out


def logaddexp_weight(x, a, base2=False):
    """``d logaddexp(x, y) / dx = exp(x - a)`` with ``a = logaddexp(x, y)`` (``exp2`` for
    ``logaddexp2``), finite where the subtraction is not: 0 where ``x = -inf`` (it does not
    contribute, also when ``y = -inf`` too, where the formula gives ``exp(nan)``), 1 where
    ``x = a = +inf``."""
    with np.errstate(invalid="ignore"):
        d = np.subtract(x, a)
        w = np.exp2(d) if base2 else np.exp(d)
        w = np.where(np.isneginf(x), 0.0, w)
        w = np.where(np.isposinf(x), np.where(np.equal(x, a), 1.0, 0.0), w)
    return w[()] if w.ndim == 0 else w


def int_zero(t, dtype=None):
    """The tangent/cotangent `t` of a value cast to `dtype`: zeros when `dtype` is integer or
    boolean (the cast is piecewise constant), else `t` unchanged."""
    if dtype is None or np.dtype(dtype).kind not in "biu":
        return t
    if type(t) in _SCALARS:
        return 0.0
    return np.zeros(np.shape(t))


def _int_valued(ans, dtype) -> bool:
    return (dtype is not None and np.dtype(dtype).kind in "biu") or np.asarray(
        ans
    ).dtype.kind in "biu"


def arange_tangent(dt, ans, stop, dtype, which):
    """Tangent of ``np.arange(start, stop, step)`` (``ans[k] = start + k * step``) for the
    argument `which` (0: start, 1: step, 2: stop); the count is piecewise constant, and with one
    argument `start` is the stop."""
    n = np.shape(ans)[0]
    if _int_valued(ans, dtype) or which == 2 or (which == 0 and stop is None):
        return np.zeros(n)
    if which == 0:
        return np.full(n, dt, dtype=float)
    return np.arange(n) * dt


def arange_vjp(g, x, ans, stop, dtype, which):
    """Cotangent of the argument `x` (`which` as in `arange_tangent`) of ``np.arange``."""
    ct = np.vdot(arange_tangent(1.0, ans, stop, dtype, which), g)
    return float(ct) if type(x) in _SCALARS else np.asarray(ct, float)[()]


def pow_dx(x, y):
    """``d(x ** y)/dx = y * x ** (y - 1)``, 0 where ``y == 0`` (so ``0 ** -1`` never runs)."""
    if type(y) is int or type(y) is float:
        if y == 0:
            return 0.0 * x
        if type(x) in _SCALAR_TYPES:
            if x == 0 and y < 1:  # 0.0 ** -0.5 raises in Python; NumPy says inf
                with np.errstate(divide="ignore", invalid="ignore"):
                    return _ieee(y * np.power(np.float64(x), y - 1))
            return y * x ** (y - 1)
        if y == 2:
            return 2.0 * x
        if y == 1:
            return np.ones_like(x, dtype=float)
        return y * np.power(x, y - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.equal(y, 0), 0.0, y * np.power(x, np.subtract(y, 1)))


def pow_dy(x, ans):
    """``d(x ** y)/dy = x ** y * log(x)``: 0 where ``x == 0``, nan where ``x < 0``."""
    if type(x) is float or type(x) is int:
        if x > 0:
            return ans * math.log(x)
        return 0.0 if x == 0 else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(np.greater(x, 0), x, 1.0)
        out = np.where(np.greater(x, 0), np.multiply(ans, np.log(safe)), 0.0)
        return np.where(np.less(x, 0), np.nan, out)


def sinc_dx(x):
    """Derivative of ``np.sinc`` (normalized): ``(cos(pi x) - sinc(x)) / x``, 0 at 0."""
    x = np.asarray(x, float)
    safe = np.where(x == 0, 1.0, x)
    return np.where(x == 0, 0.0, (np.cos(np.pi * safe) - np.sinc(safe)) / safe)


def digamma(x):
    """The digamma function (derivative of ``lgamma``), for Python floats or arrays."""
    scalar = type(x) is float or type(x) is int
    x = np.asarray(x, float)
    refl = x < 0.5
    # Reflection psi(x) = psi(1 - x) - pi / tan(pi x) for x < 0.5, then recurrence up to z >= 6.
    z = np.where(refl, 1.0 - x, x)
    acc = np.zeros_like(z)
    for _ in range(6):
        small = z < 6.0
        acc = acc - np.where(small, 1.0 / np.where(small, z, 1.0), 0.0)
        z = np.where(small, z + 1.0, z)
    w = 1.0 / (z * z)
    series = (
        np.log(z)
        - 0.5 / z
        - w * (1 / 12 - w * (1 / 120 - w * (1 / 252 - w * (1 / 240 - w * (1 / 132)))))
    )
    out = acc + series
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(refl, out - np.pi / np.tan(np.pi * x), out)
    return float(out) if scalar else out


def clip_region(a, a_min, a_max, lo=None, hi=None):
    """Where ``np.clip`` put each element: 0 inside, 1 at the lower, 2 at the upper bound."""
    lo = a_min if a_min is not None else lo
    hi = a_max if a_max is not None else hi
    region = np.zeros(np.broadcast_shapes(np.shape(a), np.shape(lo), np.shape(hi)), np.int8)
    if lo is not None:
        region = np.where(np.less(a, lo), 1, region)
    if hi is not None:
        region = np.where(np.greater(a, hi), 2, region)
    return region


def astype_tangent(dx, dtype):
    """Tangent of ``x.astype(dtype)``: zero (float) for integer/bool dtypes, else cast."""
    if np.dtype(dtype).kind in "biu":
        return np.zeros(np.shape(dx))
    return np.asarray(dx).astype(dtype)


def astype_vjp(g, x, dtype):
    """Cotangent of `x` for ``x.astype(dtype)``."""
    if np.dtype(dtype).kind in "biu":
        return zeros_like(x)
    return np.asarray(g).astype(np.result_type(x, float))


# -- builtins over iterables ---------------------------------------------------------------------
def iter_sum(xs, start=0.0):
    """``sum(xs, start)`` of tangents (a list/tuple of tangents, or an array summed over axis 0)."""
    total = start
    for t in xs:
        total = total + t
    return total


def iter_sum_vjp(g, xs):
    """Cotangent of `xs` for ``sum(xs)``: `g` for every element, in the structure of `xs`."""
    if isinstance(xs, np.ndarray):
        return np.broadcast_to(g, xs.shape).copy()
    return type(xs)(unbroadcast(g, x) for x in xs)


def _iter_argext(xs, largest: bool) -> int:
    best = 0
    for i in range(1, len(xs)):
        if (xs[i] > xs[best]) if largest else (xs[i] < xs[best]):
            best = i
    return best


def iter_ext_jvp(dxs, xs, largest):
    """Tangent of ``max(xs)`` / ``min(xs)``: the tangent of the first extreme element."""
    return dxs[_iter_argext(xs, largest)]


def iter_ext_vjp(g, xs, largest):
    """Cotangent of `xs` for ``max(xs)`` / ``min(xs)``: `g` at the first extreme element."""
    return getitem_vjp(g, xs, _iter_argext(xs, largest))


def iter_prod_jvp(dxs, xs):
    """Tangent of ``math.prod(xs)`` (exact when some elements are zero)."""
    total = 0.0
    for i, dx in enumerate(dxs):
        total = total + dx * _prod_except(xs, i)
    return total


def iter_prod_vjp(g, xs):
    """Cotangent of `xs` for ``math.prod(xs)``."""
    return type(xs)(g * _prod_except(xs, i) for i in range(len(xs)))


def _prod_except(xs, i):
    p = 1.0
    for j, x in enumerate(xs):
        if j != i:
            p = p * x
    return p


def varargs(args):
    """Normalize a method's ``*args`` axes/shape: ``()`` -> None, ``((1, 0),)`` -> ``(1, 0)``."""
    if len(args) == 0:
        return None
    if len(args) == 1 and (args[0] is None or isinstance(args[0], (tuple, list))):
        return args[0]
    return tuple(args)


def item_vjp(g, x, args):
    """Cotangent of `x` for ``x.item(*args)``."""
    z = np.zeros(np.shape(x))
    if not args:
        z[...] = g
    elif len(args) == 1 and not isinstance(args[0], tuple):
        z.flat[args[0]] = g
    else:
        z[args[0] if len(args) == 1 else args] = g
    return z


# -- reductions ----------------------------------------------------------------------------------
def _axes(axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        return tuple(sorted(a % ndim for a in axis))
    return (axis % ndim,)


def _expand(g, shape, axis, keepdims):
    """`g` (a reduction's cotangent) reshaped to broadcast against the unreduced `shape`."""
    g = np.asarray(g)
    if not keepdims:
        axes = _axes(axis, len(shape))
        g = g.reshape([1 if i in axes else n for i, n in enumerate(shape)])
    return g


def _like_input(ct, a):
    """An array cotangent given the structure of the primal input (list, Python scalar, array)."""
    t = type(a)
    if t is list or t is tuple:
        return array_vjp(ct, a)
    if t in _SCALARS:
        return np.asarray(ct).item()
    return ct


def expand_reduced(g, a, axis=None, keepdims=False):
    """The cotangent `g` of a reduction of `a` over `axis`, broadcast back to the shape of `a`."""
    shape = np.shape(a)
    return np.broadcast_to(_expand(g, shape, axis, keepdims), shape)


def sum_vjp(g, a, axis=None, keepdims=False):
    """Cotangent of `a` for ``np.sum(a, axis, keepdims=keepdims)``."""
    # A read-only broadcast view, not a copy: consumers multiply it or reduce it, and the only
    # in-place updates srcad emits are on accumulators it allocated itself.
    return _like_input(expand_reduced(g, a, axis, keepdims), a)


def mean_vjp(g, a, axis=None, keepdims=False):
    """Cotangent of `a` for ``np.mean(a, axis, keepdims=keepdims)``."""
    shape = np.shape(a)
    count = math.prod(shape[i] for i in _axes(axis, len(shape)))
    return _like_input(expand_reduced(g, a, axis, keepdims) / count, a)


def prod_others(a, axis=None):
    """For each element of `a`, the product of the other elements along `axis` (zeros allowed)."""
    a = np.asarray(a)
    axes = _axes(axis, a.ndim)
    k = len(axes)
    dest = tuple(range(a.ndim - k, a.ndim))
    moved = np.moveaxis(a, axes, dest)
    flat = moved.reshape(moved.shape[: a.ndim - k] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), flat.dtype)
    left = np.concatenate([ones, np.cumprod(flat[..., :-1], axis=-1)], axis=-1)
    right = np.concatenate([np.cumprod(flat[..., :0:-1], axis=-1)[..., ::-1], ones], axis=-1)
    return np.moveaxis((left * right).reshape(moved.shape), dest, axes)


def ext_weights(a, ans, axis=None, keepdims=False):
    """Weights of ``max``/``min`` over `axis`: 1/count on the tied extreme elements, 0 elsewhere."""
    shape = np.shape(a)
    mask = np.equal(a, _expand(ans, shape, axis, keepdims))
    return mask / np.sum(mask, axis=axis, keepdims=True)


def var_jvp(da, a, axis=None, ddof=0, keepdims=False):
    """Tangent of ``np.var(a, axis, ddof=ddof, keepdims=keepdims)``."""
    shape = np.shape(a)
    n = math.prod(shape[i] for i in _axes(axis, len(shape)))
    centered = a - np.mean(a, axis=axis, keepdims=True)
    return 2.0 * np.sum(centered * da, axis=axis, keepdims=keepdims) / (n - ddof)


def var_vjp(g, a, axis=None, ddof=0, keepdims=False):
    """Cotangent of `a` for ``np.var(a, axis, ddof=ddof, keepdims=keepdims)``."""
    shape = np.shape(a)
    n = math.prod(shape[i] for i in _axes(axis, len(shape)))
    centered = a - np.mean(a, axis=axis, keepdims=True)
    return _like_input(expand_reduced(g, a, axis, keepdims) * centered * (2.0 / (n - ddof)), a)


def std_scale(a, axis=None, keepdims=False, ans=0.0, nan=False):
    """``1 / (2 std)`` (``d std = d var / (2 std)``), 0 where the std is 0 or at the rounding
    level of the data: constant data up to rounding, whose minimum-norm subgradient is 0 (the
    formula would divide rounding noise by rounding noise). NaN stays NaN."""
    arr = np.abs(np.asarray(a, float))
    if nan:
        n = np.sum(~np.isnan(arr), axis=axis, keepdims=keepdims)
        big = np.nanmax(arr, axis=axis, keepdims=keepdims, initial=0.0)
    else:
        shape = np.shape(a)
        n = math.prod(shape[i] for i in _axes(axis, len(shape)))
        big = np.max(arr, axis=axis, keepdims=keepdims, initial=0.0)
    tol = 8.0 * n * np.finfo(float).eps * big
    ans = np.asarray(ans)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(ans <= tol, 0.0, 0.5 / np.where(ans <= tol, 1.0, ans))
    return out[()] if out.ndim == 0 else out


def ddof_factor(a, axis=None, ddof=0, keepdims=False, nan=False):
    """``1 / (n - ddof)`` per reduced slice (``n`` counts the non-NaN entries when `nan`): the
    derivative of ``np.var`` with respect to `ddof` is ``ans * ddof_factor(...)``."""
    if nan:
        n = np.sum(~np.isnan(np.asarray(a, float)), axis=axis, keepdims=keepdims)
    else:
        shape = np.shape(a)
        n = math.prod(shape[i] for i in _axes(axis, len(shape)))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(1.0, np.subtract(n, ddof))


def nanvar_jvp(da, a, axis=None, ddof=0, keepdims=False):
    """Tangent of ``np.nanvar(a, axis, ddof=ddof, keepdims=keepdims)`` (NaNs left out)."""
    a = np.asarray(a, float)
    keep = ~np.isnan(a)
    n = np.sum(keep, axis=axis, keepdims=keepdims)
    centered = np.where(keep, a - np.nanmean(a, axis=axis, keepdims=True), 0.0)
    out = 2.0 * np.sum(centered * np.where(keep, da, 0.0), axis=axis, keepdims=keepdims)
    return out / (n - ddof)


def nanvar_vjp(g, a, axis=None, ddof=0, keepdims=False):
    """Cotangent of `a` for ``np.nanvar(a, axis, ddof=ddof, keepdims=keepdims)``."""
    arr = np.asarray(a, float)
    keep = ~np.isnan(arr)
    n = np.sum(keep, axis=axis, keepdims=True)
    centered = np.where(keep, arr - np.nanmean(arr, axis=axis, keepdims=True), 0.0)
    return _like_input(expand_reduced(g, arr, axis, keepdims) * centered * 2.0 / (n - ddof), a)


def nanmean_vjp(g, a, axis=None, keepdims=False):
    """Cotangent of `a` for ``np.nanmean(a, axis, keepdims=keepdims)``."""
    arr = np.asarray(a, float)
    keep = ~np.isnan(arr)
    n = np.sum(keep, axis=axis, keepdims=True)
    return _like_input(np.where(keep, expand_reduced(g, arr, axis, keepdims) / n, 0.0), a)


def cumsum_vjp(g, a, axis=None):
    """Cotangent of `a` for ``np.cumsum(a, axis)`` (a reversed cumulative sum)."""
    if axis is None:
        return np.reshape(np.cumsum(np.ravel(g)[::-1])[::-1], np.shape(a))
    return np.flip(np.cumsum(np.flip(g, axis), axis), axis)


def _average_w(weights, a, axis):
    """`weights` of ``np.average`` broadcast against `a` (they may be 1-D along `axis`)."""
    w = np.asarray(weights)
    if w.shape != np.shape(a):
        shape = [1] * np.ndim(a)
        shape[axis] = w.shape[0]
        w = w.reshape(shape)
    return w


def average_jvp_w(dw, a, axis, weights, ans, keepdims=False):
    """Tangent of ``np.average(a, axis, weights)`` from the weights' tangent `dw`."""
    w = _average_w(weights, a, axis)
    dw = _average_w(dw, a, axis)
    centered = a - _expand(ans, np.shape(a), axis, keepdims)
    total = np.sum(np.broadcast_to(w, np.shape(a)), axis=axis, keepdims=keepdims)
    return np.sum(dw * centered, axis=axis, keepdims=keepdims) / total


def average_vjp_a(g, a, axis, weights, keepdims=False):
    """Cotangent of `a` for ``np.average(a, axis, weights)``."""
    if weights is None:
        return mean_vjp(g, a, axis, keepdims)
    w = np.broadcast_to(_average_w(weights, a, axis), np.shape(a))
    return expand_reduced(g, a, axis, keepdims) * w / np.sum(w, axis=axis, keepdims=True)


def average_vjp_w(g, a, axis, weights, ans, keepdims=False):
    """Cotangent of `weights` for ``np.average(a, axis, weights)``."""
    w = _average_w(weights, a, axis)
    shape = np.shape(a)
    centered = a - _expand(ans, shape, axis, keepdims)
    total = np.sum(np.broadcast_to(w, shape), axis=axis, keepdims=True)
    gw = expand_reduced(g, a, axis, keepdims) * centered / total
    return np.reshape(unbroadcast(gw, w), np.shape(weights))


def take_along_axis_vjp(g, arr, indices, axis=-1):
    """Cotangent of `arr` for ``np.take_along_axis(arr, indices, axis)`` (repeats accumulate)."""
    z = _zeros_for(arr, g)
    if axis is None:
        np.add.at(z.reshape(-1), indices, g)
        return z
    ax = axis % z.ndim
    idx = [
        np.arange(n).reshape([-1 if i == d else 1 for i in range(z.ndim)])
        for d, n in enumerate(np.shape(indices))
    ]
    idx[ax] = indices
    np.add.at(z, tuple(idx), g)
    return z


def sort_vjp(g, a, axis=-1):
    """Cotangent of `a` for ``np.sort(a, axis)``."""
    return take_along_axis_vjp(g, a, np.argsort(a, axis=axis), axis)


# -- shape functions -----------------------------------------------------------------------------
def inverse_perm(axes):
    """The permutation undoing ``np.transpose(x, axes)`` (None stays None)."""
    if axes is None:
        return None
    n = len(axes)
    return tuple(int(i) for i in np.argsort([a % n for a in axes]))


def _seq_like(pieces, arrays):
    if isinstance(arrays, np.ndarray):
        return np.stack(pieces)
    return type(arrays)(_like_input(p, x) for p, x in zip(pieces, arrays))


def concatenate_vjp(g, arrays, axis=0):
    """Cotangents of `arrays` for ``np.concatenate(arrays, axis)``, in the structure of `arrays`."""
    if axis is None:
        sizes = [np.size(x) for x in arrays]
        parts = np.split(np.ravel(g), np.cumsum(sizes)[:-1])
    else:
        sizes = [np.shape(x)[axis] for x in arrays]
        parts = np.split(g, np.cumsum(sizes)[:-1], axis)
    return _seq_like([np.reshape(p, np.shape(x)) for p, x in zip(parts, arrays)], arrays)


_STACKERS = {
    "hstack": np.atleast_1d,
    "vstack": np.atleast_2d,
    "dstack": np.atleast_3d,
    "column_stack": lambda x: np.asarray(x).reshape(-1, 1) if np.ndim(x) < 2 else np.asarray(x),
}


def stack_family_vjp(g, arrays, kind):
    """Cotangents of `arrays` for ``np.hstack/vstack/dstack/column_stack(arrays)``."""
    shapes = [np.shape(_STACKERS[kind](x)) for x in arrays]
    if kind == "hstack":
        axis = 0 if len(shapes[0]) == 1 else 1
    else:
        axis = {"vstack": 0, "dstack": 2, "column_stack": 1}[kind]
    parts = np.split(g, np.cumsum([s[axis] for s in shapes])[:-1], axis)
    return _seq_like([np.reshape(p, np.shape(x)) for p, x in zip(parts, arrays)], arrays)


def stack_vjp(g, arrays, axis=0):
    """Cotangents of `arrays` for ``np.stack(arrays, axis)``."""
    return _seq_like([np.take(g, i, axis=axis) for i in range(len(arrays))], arrays)


def split_vjp(g, ary, indices_or_sections, axis=0):
    """Cotangent of `ary` for ``np.split(ary, ...)``; `g` is a list (None entries are zeros)."""
    z = _zeros_for(ary, g[0] if g and g[0] is not None else 0.0)
    for view, gi in zip(np.array_split(z, indices_or_sections, axis), g):
        if gi is not None:
            view[...] = gi
    return z


def tile_vjp(g, A, reps):
    """Cotangent of `A` for ``np.tile(A, reps)``: the tiles summed."""
    shape = np.shape(A)
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    d = max(len(shape), len(reps))
    s = (1,) * (d - len(shape)) + tuple(shape)
    r = (1,) * (d - len(reps)) + reps
    g = np.reshape(g, [n for pair in zip(r, s) for n in pair]).sum(axis=tuple(range(0, 2 * d, 2)))
    return _like_input(np.reshape(g, shape), A)


def repeat_vjp(g, a, repeats, axis=None):
    """Cotangent of `a` for ``np.repeat(a, repeats, axis)``: the repeats summed."""
    shape = np.shape(a)
    if axis is None:
        n = math.prod(shape)
        idx = np.repeat(np.arange(n), repeats)
        z = np.zeros(n, np.result_type(g, float))
        np.add.at(z, idx, np.ravel(g))
        return _like_input(z.reshape(shape), a)
    ax = axis % len(shape)
    idx = np.repeat(np.arange(shape[ax]), repeats)
    gm = np.moveaxis(g, ax, 0)
    z = np.zeros((shape[ax],) + gm.shape[1:], np.result_type(g, float))
    np.add.at(z, idx, gm)
    return np.moveaxis(z, 0, ax)


def pad_vjp(g, array, pad_width, mode="constant"):
    """Cotangent of `array` for ``np.pad(array, pad_width, mode)`` (constant/edge/reflect/...)."""
    shape = np.shape(array)
    if mode == "constant":
        pw = np.broadcast_to(np.asarray(pad_width, int), (len(shape), 2))
        return g[tuple(slice(int(b), int(b) + n) for (b, _), n in zip(pw, shape))]
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        size = math.prod(shape)
        src = np.pad(np.arange(size).reshape(shape), pad_width, mode)
        return np.bincount(src.ravel(), np.ravel(g), size).reshape(shape)
    raise _unsupported(f"no derivative for np.pad with mode={mode!r}")


def take_vjp(g, a, indices, axis=None):
    """Cotangent of `a` for ``np.take(a, indices, axis)`` (repeats accumulate)."""
    z = _zeros_for(a, g)
    if axis is None:
        np.add.at(z.reshape(-1), indices, g)
    else:
        np.add.at(z, (slice(None),) * (axis % z.ndim) + (indices,), g)
    return z


def diff_vjp(g, a, n=1, axis=-1):
    """Cotangent of `a` for ``np.diff(a, n, axis)``."""
    pw = [(0, 0)] * np.ndim(a)
    pw[axis] = (1, 1)
    for _ in range(n):
        g = -np.diff(np.pad(g, pw), axis=axis)
    return g


def diagonal_vjp(g, a, offset=0, axis1=0, axis2=1):
    """Cotangent of `a` for ``np.diagonal(a, offset, axis1, axis2)``: `g` on that diagonal."""
    z = _zeros_for(a, g)
    zm = np.moveaxis(z, (axis1, axis2), (-2, -1))
    k = np.shape(g)[-1]
    i = np.arange(k) + max(-offset, 0)
    zm[..., i, i + offset] = g
    return z


def trace_vjp(g, a, offset=0, axis1=0, axis2=1):
    """Cotangent of `a` for ``np.trace(a, offset, axis1, axis2)``."""
    k = np.diagonal(a, offset, axis1, axis2).shape[-1]
    gd = np.broadcast_to(np.expand_dims(g, -1), np.shape(g) + (k,))
    return diagonal_vjp(gd, a, offset, axis1, axis2)


def diag_vjp(g, v, k=0):
    """Cotangent of `v` for ``np.diag(v, k)`` (1-D: take the diagonal; 2-D: embed it)."""
    if np.ndim(v) == 1:
        return np.diagonal(g, k).copy()
    return diagonal_vjp(g, v, k, 0, 1)


def linspace_weights(num, endpoint, which):
    """Weights of `start` (which=0) or `stop` (which=1) in ``np.linspace(start, stop, num)``."""
    t = np.linspace(0.0, 1.0, num, endpoint=endpoint) if num > 1 else np.zeros(num)
    return 1.0 - t if which == 0 else t


def linspace_tangent(dt, num, endpoint, which):
    """Tangent of ``np.linspace`` from the tangent of its `start` (0) or `stop` (1)."""
    w = linspace_weights(num, endpoint, which)
    return np.multiply.outer(w, dt)


def linspace_vjp(g, x, num, endpoint, which):
    """Cotangent of `start` (0) or `stop` (1) for ``np.linspace(start, stop, num)``."""
    w = linspace_weights(num, endpoint, which)
    return _like_input(np.tensordot(w, g, axes=(0, 0)), x)


# -- products --------------------------------------------------------------------------------------
def matmul_vjp(g, x, y, which):
    """Cotangent of `x` (which=0) or `y` (which=1) for ``x @ y`` (1-D and batched operands)."""
    x, y, g = np.asarray(x), np.asarray(y), np.asarray(g)
    if x.ndim == 1 and y.ndim == 1:
        return g * y if which == 0 else g * x
    if which == 0:
        if y.ndim == 1:
            return unbroadcast(g[..., None] * y, x)
        if x.ndim == 1:
            return unbroadcast((y @ g[..., None])[..., 0], x)
        return unbroadcast(g @ np.swapaxes(y, -1, -2), x)
    if x.ndim == 1:
        return unbroadcast(x[:, None] * g[..., None, :], y)
    if y.ndim == 1:
        return unbroadcast((np.swapaxes(x, -1, -2) @ g[..., None])[..., 0], y)
    return unbroadcast(np.swapaxes(x, -1, -2) @ g, y)


def _tensordot_axes(axes, na: int, nb: int) -> tuple[list[int], list[int]]:
    if isinstance(axes, int):
        return list(range(na - axes, na)), list(range(axes))
    ax_a, ax_b = axes
    ax_a = [ax_a] if isinstance(ax_a, int) else list(ax_a)
    ax_b = [ax_b] if isinstance(ax_b, int) else list(ax_b)
    return [i % na for i in ax_a], [i % nb for i in ax_b]


def tensordot_vjp(g, a, b, axes, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.tensordot(a, b, axes)``."""
    a, b = np.asarray(a), np.asarray(b)
    ax_a, ax_b = _tensordot_axes(axes, a.ndim, b.ndim)
    free_a = [i for i in range(a.ndim) if i not in ax_a]
    free_b = [i for i in range(b.ndim) if i not in ax_b]
    nfa = len(free_a)
    if which == 0:
        r = np.tensordot(g, b, axes=(list(range(nfa, np.ndim(g))), free_b))
        labels = free_a + [ax_a[ax_b.index(j)] for j in sorted(ax_b)]
    else:
        r = np.tensordot(a, g, axes=(free_a, list(range(nfa))))
        labels = [ax_b[ax_a.index(i)] for i in sorted(ax_a)] + free_b
    return np.transpose(r, np.argsort(labels))


def dot_vjp(g, a, b, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.dot(a, b)``."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(np.multiply(g, b if which == 0 else a), a if which == 0 else b)
    axes = ([np.ndim(a) - 1], [max(np.ndim(b) - 2, 0)])
    return _like_input(tensordot_vjp(g, a, b, axes, which), a if which == 0 else b)


def inner_vjp(g, a, b, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.inner(a, b)``."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(np.multiply(g, b if which == 0 else a), a if which == 0 else b)
    return tensordot_vjp(g, a, b, ([-1], [-1]), which)


def vecdot_vjp(g, other, x, axis=-1):
    """Cotangent of `x` for ``np.vecdot`` of `x` with `other` (real operands)."""
    return unbroadcast(np.expand_dims(g, axis) * other, x)


def _einsum_specs(subscripts: str, operands) -> tuple[list[str], str]:
    """Explicit input/output index strings, ``...`` replaced by capital letters."""
    if not isinstance(subscripts, str):
        raise _unsupported("einsum's interleaved (sublist) form has no derivative rule")
    subscripts = subscripts.replace(" ", "")
    ins, arrow, out = subscripts.partition("->")
    specs = ins.split(",")
    if not arrow:
        letters = "".join(specs).replace(".", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
        if "..." in ins:
            out = "..." + out
    nell = 0
    for s, op in zip(specs, operands):
        if "..." in s:
            nell = max(nell, np.ndim(op) - (len(s) - 3))
    ell = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:nell]

    def fill(s, ndim):
        return s.replace("...", ell[nell - (ndim - (len(s) - 3)) :]) if "..." in s else s

    specs = [fill(s, np.ndim(op)) for s, op in zip(specs, operands)]
    return specs, out.replace("...", ell)


def einsum_tangent(subscripts, i, t, *operands):
    """``np.einsum(subscripts, ...)`` with operand `i` replaced by its tangent `t`."""
    ops = [op for op in operands if op is not None]
    ops[i] = t
    return np.einsum(subscripts, *ops)


def einsum_vjp(g, subscripts, i, *operands):
    """Cotangent of operand `i` of ``np.einsum(subscripts, *operands)``."""
    ops = [np.asarray(op) for op in operands if op is not None]
    specs, out = _einsum_specs(subscripts, ops)
    target = specs[i]
    others = [s for j, s in enumerate(specs) if j != i]
    known = set(out).union(*others)
    uniq = "".join(dict.fromkeys(c for c in target if c in known))
    expr = ",".join([out] + others) + "->" + uniq
    r = np.einsum(expr, g, *[op for j, op in enumerate(ops) if j != i])
    # Letters of the target that only it has (summed away): r is constant along them.
    letters = "".join(dict.fromkeys(target))
    sizes = dict(zip(target, ops[i].shape))
    r = r.reshape([sizes[c] if c in uniq else 1 for c in letters])
    r = np.broadcast_to(r, [sizes[c] for c in letters])
    if len(letters) == len(target):
        res = r
    else:  # repeated letters (a diagonal): write r on the diagonal of a zero array
        res = np.zeros(ops[i].shape, r.dtype)
        grids = np.indices([sizes[c] for c in letters], sparse=True)
        res[tuple(grids[letters.index(c)] for c in target)] = r
    return np.array(res)


# -- linalg --------------------------------------------------------------------------------------
def _mT(a):
    return np.swapaxes(a, -1, -2)


def det_cofactor(a, ans):
    """The cofactor matrix ``det(a) * inv(a).T`` (the gradient of ``det``), also where `a` is
    singular: there from the SVD ``a = U S V^T``, ``det(U) det(V) U diag(prod_{j!=i} s_j) V^T``."""
    a = np.asarray(a, float)
    ans = np.asarray(ans)
    if np.all(ans != 0):
        return ans[..., None, None] * _mT(np.linalg.inv(a))
    u, sv, vt = np.linalg.svd(a)
    sign = np.linalg.det(u) * np.linalg.det(vt)
    cof = (u * prod_others(sv, -1)[..., None, :]) @ vt * sign[..., None, None]
    safe = np.where(ans[..., None, None] != 0, a, np.eye(a.shape[-1]))
    exact = ans[..., None, None] * _mT(np.linalg.inv(safe))
    return np.where(ans[..., None, None] != 0, exact, cof)


def det_vjp(g, a, ans):
    """Cotangent of `a` for ``np.linalg.det(a)``: ``g`` times the cofactor matrix."""
    return np.asarray(g)[..., None, None] * det_cofactor(a, ans)


def slogdet_jvp(da, a, ans):
    """Tangent of ``np.linalg.slogdet(a)``: (zero for the sign, trace(a^-1 da) for the log)."""
    return (zeros_like(ans[0]), np.trace(np.linalg.solve(a, da), axis1=-2, axis2=-1))


def slogdet_vjp(g, a):
    """Cotangent of `a` for ``np.linalg.slogdet(a)``; `g` is a (sign, logabsdet) pair."""
    gl = g[1] if g is not None else None
    if gl is None:
        return zeros_like(a)
    return np.asarray(gl)[..., None, None] * _mT(np.linalg.inv(a))


def solve_jvp_a(da, a, b, ans):
    """Tangent of ``np.linalg.solve(a, b)`` from the tangent `da` of the matrix."""
    if np.ndim(b) == 1:
        return -np.linalg.solve(a, (da @ ans[..., None]))[..., 0]
    return -np.linalg.solve(a, da @ ans)


def solve_vjp_b(g, a, b):
    """Cotangent of `b` for ``np.linalg.solve(a, b)``."""
    if np.ndim(b) == 1:
        return unbroadcast(np.linalg.solve(_mT(a), np.asarray(g)[..., None])[..., 0], b)
    return unbroadcast(np.linalg.solve(_mT(a), g), b)


def solve_vjp_a(g, a, b, ans):
    """Cotangent of `a` for ``np.linalg.solve(a, b)``: ``-gb @ ans.T``."""
    if np.ndim(b) == 1:
        gb = np.linalg.solve(_mT(a), np.asarray(g)[..., None])
        return unbroadcast(-gb * ans[..., None, :], a)
    return unbroadcast(-np.linalg.solve(_mT(a), g) @ _mT(ans), a)


def _phi_mask(n: int):
    """Lower-triangular mask with halved diagonal (the Cholesky derivative's projection)."""
    return np.tril(np.ones((n, n))) - 0.5 * np.eye(n)


def cholesky_jvp(da, ans, upper=False):
    """Tangent of ``np.linalg.cholesky(a, upper=upper)`` (which reads one triangle of `a`)."""
    L = _mT(ans) if upper else ans
    n = L.shape[-1]
    ds = np.triu(da) + _mT(np.triu(da, 1)) if upper else np.tril(da) + _mT(np.tril(da, -1))
    y = _mT(np.linalg.solve(L, _mT(np.linalg.solve(L, ds))))
    dL = L @ (y * _phi_mask(n))
    return _mT(dL) if upper else dL


def cholesky_vjp(g, ans, upper=False):
    """Cotangent of `a` for ``np.linalg.cholesky(a, upper=upper)``."""
    L = _mT(ans) if upper else ans
    gL = _mT(g) if upper else g
    p = (_mT(L) @ gL) * _phi_mask(L.shape[-1])
    m = _mT(np.linalg.solve(_mT(L), _mT(np.linalg.solve(_mT(L), p))))
    if upper:
        return np.triu(_mT(m)) + np.triu(m, 1)
    return np.tril(m) + np.tril(_mT(m), -1)


def _norm_axes(x, ord, axis) -> tuple[tuple[int, ...], bool]:
    """Reduced axes of ``np.linalg.norm`` and whether it is a matrix norm."""
    nd = np.ndim(x)
    if axis is None:
        if ord is None:
            return tuple(range(nd)), False
        axis = tuple(range(nd))
    axes = (axis % nd,) if isinstance(axis, int) else tuple(a % nd for a in axis)
    return axes, len(axes) == 2


def norm_grad(x, ord, axis, ans, keepdims=False):
    """Gradient of ``np.linalg.norm(x, ord, axis)`` with respect to `x` (shape of `x`)."""
    x = np.asarray(x)
    axes, matrix = _norm_axes(x, ord, axis)
    n = np.asarray(_expand(ans, x.shape, axes, keepdims))
    with np.errstate(divide="ignore", invalid="ignore"):
        if matrix and ord in ("nuc", 2, -2):
            xm = np.moveaxis(x, axes, (-2, -1))
            u, _s, vt = np.linalg.svd(xm, full_matrices=False)
            if ord == "nuc":
                gm = u @ vt
            else:
                k = 0 if ord == 2 else -1
                gm = u[..., :, k : k + 1 or None] @ vt[..., k : k + 1 or None, :]
            gm = np.where(np.moveaxis(n, axes, (-2, -1)) == 0, 0.0, gm)  # 0 at the zero matrix
            return np.moveaxis(gm, (-2, -1), axes)
        if matrix and ord in (1, -1, np.inf, -np.inf):  # max/min abs column (row) sum
            xm = np.moveaxis(x, axes, (-2, -1))
            along = -2 if ord in (1, -1) else -1
            sums = np.sum(np.abs(xm), axis=along, keepdims=True)
            hit = sums == np.moveaxis(n, axes, (-2, -1))
            gm = np.sign(xm) * (hit / np.sum(hit, axis=-1 - (along == -1), keepdims=True))
            return np.moveaxis(gm, (-2, -1), axes)
        if matrix and ord not in (None, "fro"):
            raise _unsupported(f"no derivative for the matrix norm ord={ord!r}")
        if ord is None or ord == 2 or ord == "fro":
            return np.where(n == 0, 0.0, x / np.where(n == 0, 1.0, n))
        if ord == 1:
            return np.sign(x)
        if ord == np.inf or ord == -np.inf:
            hit = np.abs(x) == n
            return np.sign(x) * hit / np.sum(hit, axis=axes, keepdims=True)
        if ord == 0:
            return np.zeros(x.shape)
        p = float(ord)
        grad = np.sign(x) * (np.abs(x) / np.where(n == 0, 1.0, n)) ** (p - 1)
        return np.where(n == 0, 0.0, grad) if p > 1 else grad


def norm_dord(x, ord, axis, keepdims, ans):
    """Derivative of the vector p-norm ``np.linalg.norm(x, p, axis)`` with respect to ``p``:
    ``f * (sum |x|^p log|x| / (p s) - log(s) / p^2)`` with ``s = sum |x|^p`` (0 where f is 0)."""
    x = np.asarray(x, float)
    axes, matrix = _norm_axes(x, ord, axis)
    if matrix or ord is None or isinstance(ord, str):
        raise _unsupported("no derivative with respect to the order of a matrix norm")
    p = float(ord)
    if p == 0 or math.isinf(p):
        return np.zeros(np.shape(ans))
    ax = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        powers = np.where(ax > 0, ax**p, 0.0)
        logs = np.where(ax > 0, np.log(np.where(ax > 0, ax, 1.0)), 0.0)
        s = np.sum(powers, axis=axes, keepdims=keepdims)
        t = np.sum(powers * logs, axis=axes, keepdims=keepdims)
        out = ans * (t / (p * s) - np.log(s) / (p * p))
    return np.where(np.equal(ans, 0), 0.0, out)[()]


def norm_jvp(dx, x, ord, axis, keepdims, ans):
    """Tangent of ``np.linalg.norm(x, ord, axis, keepdims)``."""
    axes, _ = _norm_axes(x, ord, axis)
    return np.sum(norm_grad(x, ord, axis, ans, keepdims) * dx, axis=axes, keepdims=keepdims)


def norm_vjp(g, x, ord, axis, keepdims, ans):
    """Cotangent of `x` for ``np.linalg.norm(x, ord, axis, keepdims)``."""
    axes, _ = _norm_axes(x, ord, axis)
    grad = norm_grad(x, ord, axis, ans, keepdims)
    return _like_input(_expand(g, np.shape(x), axes, keepdims) * grad, x)


def item(x, args):
    """``x.item(*args)`` for a tangent `x` (a Python scalar is returned as is)."""
    return np.asarray(x).item(*args)


def pow_dx_dy(x, y):
    """``d pow_dx(x, y) / dy = x ** (y - 1) * (1 + y * log(x))`` (0 where ``x == 0``)."""
    if type(x) is float and x > 0:
        return x ** (y - 1) * (1.0 + y * math.log(x))
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(np.greater(x, 0), x, 1.0)
        out = np.power(safe, np.subtract(y, 1)) * (1.0 + np.multiply(y, np.log(safe)))
        return np.where(np.greater(x, 0), out, np.where(np.equal(x, 0), 0.0, np.nan))


# -- helpers the lowering emits ------------------------------------------------------------------


def as_sequence(x):
    """`x` itself when it can be indexed by position, else `list(x)` (dicts, views, generators)."""
    if isinstance(x, (list, tuple, np.ndarray, range, str)):
        return x
    return list(x)


def raise_(exc):
    """`raise exc` as a call (the lowering keeps statements as ops)."""
    if exc is None:
        raise RuntimeError("No active exception to reraise")
    raise exc


def assert_(cond, msg=None):
    """`assert cond, msg` as a call."""
    if not cond:
        raise AssertionError(msg) if msg is not None else AssertionError()


def _cumprod_partials(a, axis):
    """(moved a, J) with J[..., k, j] = d cumprod(a)[k] / d a[j] along `axis` (no division)."""
    m = np.moveaxis(np.asarray(a, dtype=float), axis, -1)
    n = m.shape[-1]
    J = np.zeros(m.shape[:-1] + (n, n))
    for j in range(n):
        b = m.copy()
        b[..., j] = 1.0
        c = np.cumprod(b, axis=-1)
        J[..., j:, j] = c[..., j:]
    return m, J


def cumprod_jvp(da, a, axis=None):
    """Tangent of ``np.cumprod(a, axis)``; exact when `a` has zeros too."""
    a_ = np.ravel(a) if axis is None else np.asarray(a)
    d_ = np.ravel(da) if axis is None else np.asarray(da)
    ax = 0 if axis is None else axis
    if np.all(a_ != 0):
        return np.cumprod(a_, axis=ax) * np.cumsum(d_ / a_, axis=ax)
    _, J = _cumprod_partials(a_, ax)
    dm = np.moveaxis(np.broadcast_to(d_, a_.shape), ax, -1)
    return np.moveaxis(np.einsum("...kj,...j->...k", J, dm), -1, ax)


def cumprod_vjp(g, a, axis=None):
    """Cotangent of `a` for ``np.cumprod(a, axis)``; exact when `a` has zeros too."""
    a_ = np.ravel(a) if axis is None else np.asarray(a)
    ax = 0 if axis is None else axis
    g_ = np.reshape(g, a_.shape)
    if np.all(a_ != 0):
        out = cumsum_vjp(g_ * np.cumprod(a_, axis=ax), a_, ax) / a_
    else:
        _, J = _cumprod_partials(a_, ax)
        gm = np.moveaxis(g_, ax, -1)
        out = np.moveaxis(np.einsum("...kj,...k->...j", J, gm), -1, ax)
    return np.reshape(out, np.shape(a))


def shallow_copy(t):
    """Tangent of ``x.copy()``: a copy of the tangent `t` (an array, a list or a dict of
    tangents; a number as it is)."""
    if isinstance(t, (np.ndarray, list, dict)):
        return t.copy()
    return t


def c_item(a):
    """One item of ``np.c_[...]``: arrays of 2 or more dimensions as they are, 0-d and 1-d ones
    as columns (``(n,)`` -> ``(n, 1)``), so that concatenating along the last axis is ``np.c_``."""
    a = np.asarray(a)
    return a if a.ndim >= 2 else np.array(a, ndmin=2).T


def c_item_vjp(g, a):
    """Cotangent of `a` for ``c_item(a)``: `g` in the shape of `a`."""
    out = np.reshape(g, np.shape(a))
    return float(out) if type(a) in _SCALARS else out


def concat(a, b):
    """``a + b`` for lists/tuples (concatenation); plain ``+`` for anything else."""
    return a + b


def concat_vjp(g, a, b, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``concat(a, b)``: the cotangent split
    where two lists/tuples were concatenated, else `g` summed to the operand's shape (``a + b``
    of numbers and arrays, also of a list and an array)."""
    if not (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))):
        return unbroadcast(g, a if which == 0 else b)
    if g is None:
        return None
    n = len(a)
    part = g[:n] if which == 0 else g[n:]
    return type(a if which == 0 else b)(part) if isinstance(part, (list, tuple)) else part


def dict_values(d):
    """``list(d.values())`` (what iterating over ``d.values()`` sees)."""
    return list(d.values())


def dict_items(d):
    """``list(d.items())``."""
    return list(d.items())


def dict_values_vjp(g, d):
    """Cotangent of the dict `d` for ``dict_values(d)``: the list `g` back under `d`'s keys."""
    return {k: (None if g is None else g[i]) for i, k in enumerate(d)}


def dict_items_vjp(g, d):
    """Cotangent of `d` for ``dict_items(d)`` (the keys get none)."""
    out = {}
    for i, k in enumerate(d):
        pair = None if g is None else g[i]
        out[k] = None if pair is None else pair[1]
    return out


def _last_positions(keys) -> dict:
    """key -> the last position it appears at (the entry a dict built from them keeps)."""
    return {k: i for i, k in enumerate(keys)}


def _in_structure(cts, like):
    """Per-element cotangents (None: zero) in the structure of the sequence `like`."""
    if isinstance(like, np.ndarray):
        return np.array([0.0 if c is None else c for c in cts] + [0.0] * (len(like) - len(cts)))
    cts = list(cts) + [None] * (len(like) - len(cts))
    return tuple(cts) if isinstance(like, tuple) else cts


def dict_of_jvp(dsrc, src):
    """Tangent of ``dict(src)`` given the tangent `dsrc` of `src` (a mapping, or a sequence of
    pairs: decided at run time, as ``dict`` does)."""
    if isinstance(src, dict):
        return {k: dsrc[k] for k in src}
    return {pair[0]: dp[1] for pair, dp in zip(src, dsrc)}


def dict_of_vjp(g, src):
    """Cotangent of `src` for ``dict(src)``."""
    if isinstance(src, dict):
        return {k: None if g is None else g.get(k) for k in src}
    pairs = [tuple(p) for p in src]
    last = _last_positions(k for k, _ in pairs)
    cts = [
        None if g is None or last[k] != i else (None, g.get(k)) for i, (k, _) in enumerate(pairs)
    ]
    return _in_structure(cts, src if isinstance(src, (list, tuple)) else pairs)


def as_sequence_vjp(g, x):
    """Cotangent of `x` for ``as_sequence(x)``: `g`, or none for a dict (its keys were listed)."""
    if isinstance(x, dict):
        return None
    return g


def dict_items_jvp(dd):
    """Tangent of ``dict_items(d)`` given the dict of tangents `dd`: the keys' tangents are 0."""
    return [(0.0, v) for v in dd.values()]


def _sort_perm(x, reverse, key=None):
    """The positions of `x` in the order Python's stable `sorted` puts them (`key` applied to
    the elements, as `sorted` does: it only decides the order)."""
    at = x.__getitem__ if key is None else (lambda i: key(x[i]))
    return sorted(range(len(x)), key=at, reverse=bool(reverse))


def sorted_jvp(dx, x, reverse=False, key=None):
    """Tangent of ``sorted(x, key=key, reverse=reverse)``: the tangents in the sorted order."""
    if isinstance(x, dict):  # sorted keys: no derivative
        return [0.0] * len(x)
    return [dx[i] for i in _sort_perm(x, reverse, key)]


def sorted_vjp(g, x, reverse=False, key=None):
    """Cotangent of `x` for ``sorted(x, key=key, reverse=reverse)``: `g` put back in `x`'s order."""
    if isinstance(x, dict):
        return None
    out = [None] * len(x)
    for j, i in enumerate(_sort_perm(x, reverse, key)):
        out[i] = None if g is None else g[j]
    if isinstance(x, np.ndarray):
        return np.array([0.0 if v is None else v for v in out])
    return tuple(out) if isinstance(x, tuple) else out


def to_list_vjp(g, x):
    """Cotangent of `x` for ``list(x)`` / ``tuple(x)``: back in `x`'s structure."""
    if g is None or isinstance(x, dict):
        return None
    if isinstance(x, np.ndarray):
        return np.array([zeros_like(x[i]) if v is None else v for i, v in enumerate(g)])
    if isinstance(x, (list, tuple)):
        return type(x)(g) if not hasattr(x, "_fields") else type(x)(*g)
    return None


def seq_repeat(a, n):
    """``a * n`` for a list/tuple `a` and an int `n` (repetition); plain ``*`` otherwise."""
    return a * n


def mul(x, y):
    """``x * y``: a list/tuple times an int repeats it, anything else multiplies."""
    return x * y


def mul_vjp(g, a, other, ans):
    """Cotangent of `a` for ``a * other`` or ``other * a`` with result `ans`: when `ans` is a
    list/tuple, the repeated sequence's cotangent sums the copies and the repeat count gets
    zero; otherwise ``g * other`` summed to `a`'s shape."""
    if isinstance(ans, (list, tuple)):
        if isinstance(a, (list, tuple)):
            if g is None:
                return None
            return seq_repeat_vjp(g, a, len(ans) // len(a) if len(a) else 0)
        return 0.0
    return unbroadcast(g * other, a)


def seq_repeat_vjp(g, a, n):
    """Cotangent of the list/tuple `a` for ``a * n``: the sum over the repeated copies."""
    if not isinstance(a, (list, tuple)):
        return unbroadcast(g * n, a)
    k = len(a)
    out = [None] * k
    for j in range(len(g)):
        out[j % k] = add(out[j % k], g[j])
    return type(a)(out)


def as_list(x):
    """``list(x)`` (the tangent of ``list(x)``)."""
    return list(x)


def as_tuple(x):
    """``tuple(x)`` (the tangent of ``tuple(x)``)."""
    return tuple(x)


def owned_copy(x):
    """A private copy of a cotangent that the reverse sweep will update in place."""
    if type(x) is np.ndarray:
        return x.copy()
    if type(x) is list:
        return list(x)
    return x


def setitem_vjp_x_inplace(g, idx):
    """`setitem_vjp_x` on a cotangent the caller owns: zero the overwritten slots in place."""
    if type(g) is np.ndarray and g.flags.writeable and g.dtype.kind in "fc":
        g[idx] = 0
        return g
    return setitem_vjp_x(g, idx)


def drop_last_inplace(g):
    """The cotangent of a list before an `append`: `g` without its last entry, in place when `g`
    is a list the caller owns (a copy otherwise)."""
    if type(g) is list:
        del g[-1]
        return g
    return g[:-1]


_RULE_RECEIVERS = frozenset({np.ndarray, float, int, bool, complex, list, tuple, dict, str, bytes,
                             range, np.float64, np.float32, np.int64})  # fmt: skip


def plain_receiver(x, name, line):
    """`x`, the receiver of a method (or the base of a subscript) that srcad differentiated with
    the NumPy/built-in rule for `name`; a `DiffError` when `x` turns out to be an instance of a
    user class defining `name` itself, whose own method the rule does not describe."""
    t = type(x)
    if t in _RULE_RECEIVERS:
        return x
    from srcad.ad.callees import user_class
    from srcad.ad.receivers import classify

    if user_class(x) is None or classify(t, name) == "rule":
        return x
    import linecache
    import sys

    from srcad.errors import DiffError

    # the generated code runs in the globals of the user's module
    file = sys._getframe(1).f_globals.get("__file__")
    src = linecache.getline(file, line) if file and line else None
    what = "the subscript" if name == "__getitem__" else f"`.{name}()`"
    raise DiffError(
        f"{what} was differentiated as NumPy's, but it applies to an instance of "
        f"`{t.__name__}`, a user class defining `{name}` (srcad could not tell the type of this "
        "object when it made the derivative)",
        filename=file if src else None,
        line=line if src else None,
        col=len(src) - len(src.lstrip()) if src else None,
        source_line=src or None,
        hint="pass the object as an argument (or create it in this function) so that its class "
        "is known, or call the method through the class: `Cls.method(obj, ...)`",
    )


def check_aux(out):
    """`out` when it is a (loss, aux) pair, as `has_aux=True` promises; else a clear error."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        from srcad.errors import SrcadError

        raise SrcadError(
            "with has_aux=True the function must return a pair (loss, aux), "
            f"not {type(out).__name__}",
            hint="return `loss, aux`, or drop has_aux",
        )
    return out


def where_mask(shape, *conds, keep=None):
    """The entries of an array of `shape` whose cotangent can be non-zero when it flows only
    through the sides of `np.where(cond, x, y)` that `keep` names (True: `x`, False: `y`; all True
    when not given), see `srcad.ad.masks`: a bool (array) that broadcasts to `shape`, True where
    some position the entry broadcasts to satisfies every condition. True (mask nothing) when the
    conditions do not broadcast with `shape`."""
    sel = None
    shape = tuple(shape)
    try:
        for c, k in zip(conds, keep or (True,) * len(conds)):
            s = np.asarray(c, dtype=bool)
            s = s if k else ~s
            sel = s if sel is None else sel & s
        if sel is None or sel.shape == shape:
            return True if sel is None else sel
        full = np.broadcast_shapes(sel.shape, shape)
    except ValueError:
        return True
    if full != shape:  # reduce the selection to `shape`: keep what any position keeps
        sel = np.broadcast_to(sel, full)
        extra = len(full) - len(shape)
        if extra:
            sel = sel.any(axis=tuple(range(extra)))
        axes = tuple(i for i, n in enumerate(shape) if n == 1 and sel.shape[i] != 1)
        if axes:
            sel = sel.any(axis=axes, keepdims=True)
    return sel
