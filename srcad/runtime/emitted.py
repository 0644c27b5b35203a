"""Runtime helpers: what the lowering and transforms emit (containers, sequences, masks, guards).

Part of `srcad.runtime` (see its docstring); generated code calls them as ``_srcad.<name>``.
"""

from __future__ import annotations

import numpy as np

from srcad.runtime.indexing import setitem_vjp_x
from srcad.runtime.reductions import cumsum_vjp
from srcad.runtime.trees import _SCALARS, add, unbroadcast, zeros_like


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
