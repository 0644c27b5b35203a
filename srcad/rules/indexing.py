"""Indexing: ``x[idx]`` and ``x[idx] = v`` on arrays, lists and dicts, their derivatives, and the
runtime helpers' rules.

Input: primal values and (co)tangents. Output: plain values; ``register(jvp, vjp)`` fills the rule
tables with the helpers' rules. Generated code calls the helpers as ``_srcad.<name>``::

    >>> getitem_vjp(1.0, np.zeros(3), 1)
    array([0., 1., 0.])
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import is_duck_array
from srcad.errors import DiffError
from srcad.losses import nonscalar
from srcad.rules.argcopies import layout_copy
from srcad.rules.checks import dict_subclass_error
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt
from srcad.rules.trees import _SCALAR_TYPES, add, unbroadcast, zeros_like

_F64 = np.dtype(np.float64)
_NDARRAY = np.ndarray


def _is_complex(g) -> bool:
    """Is `g` a complex number or array (cheap for the float cotangents of scalar loops)?"""
    t = type(g)
    return t is complex or t is not float and getattr(g, "dtype", _F64).kind == "c"


def _unsupported(message: str) -> Exception:
    """The error a helper raises for a case only its arguments reveal (it runs in generated code)."""
    return DiffError(message, hint="use a form srcad differentiates (see the README's table)")


def _is_advanced(idx) -> bool:
    t = type(idx)
    if t is slice or t is int:
        return False
    if t is tuple or isinstance(idx, tuple):
        for i in idx:
            ti = type(i)
            if ti is not slice and ti is not int and _advanced_part(i):
                return True
        return False
    return _advanced_part(idx)


def _advanced_part(i) -> bool:
    """Is `i`, an entry of an index tuple (or the whole index), an integer index array? A tuple
    in an index tuple is one too (``x[:, (0, 0)]`` reads column 0 twice, as ``x[:, [0, 0]]``)."""
    return isinstance(i, (list, tuple, np.ndarray)) and np.asarray(i).dtype.kind in "iu"


def _slices(idx: tuple) -> bool:
    """Are all entries of the tuple `idx` slices (``x[idx]`` a view)?"""
    for i in idx:
        if type(i) is not slice:
            return False
    return True


def _basic(idx) -> bool:
    """Is `idx` a slice, an int, or a tuple of them (``x[idx]`` a view, or one element)?"""
    t = type(idx)
    if t is tuple:
        for i in idx:
            ti = type(i)
            if ti is not slice and ti is not int:
                return False
        return True
    return t is slice or t is int


def _zeros_for(x, g):
    if (
        type(x) is np.ndarray
        and x.dtype == _F64
        and (g is None or getattr(g, "dtype", _F64) == _F64)
    ):
        return np.zeros(x.shape)
    dtype = np.result_type(float, getattr(x, "dtype", float), getattr(g, "dtype", float))
    return np.zeros(np.shape(x), dtype)


def _distinct(idx, shape) -> bool:
    """Does the index `idx` into an array of `shape` select no element twice? Host (NumPy,
    list) integer index arrays are checked, their negative entries wrapped; an index array of
    another library (Dask) cannot be without computing it: not known distinct."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    if any(p is None or p is Ellipsis for p in parts):
        return not any(_advanced_part(p) or is_duck_array(p) for p in parts)
    axis = 0
    for p in parts:
        if is_duck_array(p):
            if p.dtype.kind != "b":
                return False
            axis += p.ndim
        elif isinstance(p, (list, tuple, np.ndarray)):
            a = np.asarray(p)
            if a.dtype.kind in "iu":
                # each index array distinct (after wrapping) => the broadcast tuples are too
                if axis >= len(shape) or np.unique(a % shape[axis]).size != a.size:
                    return False
                axis += 1
            else:
                axis += max(a.ndim, 1)
        else:
            axis += 1
    return True


def _drop_newaxes(idx, ndim: int, g):
    """(`idx` without its None entries, `g` without their axes) for a basic index (ints, slices,
    None, Ellipsis): Dask's ``z[idx] = g`` does not take None; advanced indices unchanged."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    if not any(p is None for p in parts) or any(
        _advanced_part(p) or is_duck_array(p) or isinstance(p, (list, tuple, np.ndarray))
        for p in parts
    ):
        return idx, g
    used = sum(p is not None and p is not Ellipsis for p in parts)
    out, drop, r = [], [], 0
    for p in parts:
        if p is None:
            drop.append(r)
            r += 1
        elif p is Ellipsis:
            out.append(p)
            r += ndim - used
        else:
            out.append(p)
            r += isinstance(p, slice)
    if np.ndim(g) == r:
        g = np.squeeze(g, axis=tuple(drop))
    else:  # g broadcasts against x[idx]: give it all of x[idx]'s axes first
        g = np.squeeze(np.broadcast_to(g, (1,) * (r - np.ndim(g)) + np.shape(g)), axis=tuple(drop))
    return tuple(out), g


def _duck_getitem_vjp(g, x, idx):
    """`getitem_vjp` when `x` or `g` is a Dask/CuPy array: zeros made by that library (lazy, on
    the device), `g` written in; repeated indices accumulate through ``np.add.at`` (CuPy), and
    a library without it (Dask) is refused, never given the last write only."""
    like = x if is_duck_array(x) else g
    dtype = np.result_type(float, getattr(x, "dtype", float), getattr(g, "dtype", float))
    z = np.zeros_like(like, shape=np.shape(x), dtype=dtype)
    if g is None:
        return z
    if _distinct(idx, np.shape(x)):
        idx, g = _drop_newaxes(idx, len(np.shape(x)), g)
        z[idx] = g
        return z
    try:
        np.add.at(z, idx, g)
    except (TypeError, NotImplementedError) as e:
        raise _unsupported(
            f"the derivative of indexing a {type(like).__module__.split('.')[0]} array with an "
            "integer index array that may repeat entries (repeats accumulate; this array "
            "library has no np.add.at)"
        ) from e
    return z


@helper
def getitem_vjp(g, x, idx):
    """Cotangent of `x` for ``x[idx]`` (array, list, tuple, dict); repeated indices accumulate."""
    t = type(x)
    if t is np.ndarray and (x.dtype is _F64 or x.dtype == _F64):  # float64, basic index: short
        tg = type(g)
        if (
            tg is float
            or (tg is np.ndarray or tg is np.float64)
            and (g.dtype is _F64 or g.dtype == _F64)
        ) and _basic(idx):
            z = np.zeros(x.shape)
            z[idx] = g
            return z
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
    if t is dict or isinstance(x, dict):  # (a defaultdict's entries too: a plain dict)
        out = dict.fromkeys(x)
        out[idx] = g
        return out
    if t is bytes:  # its items are ints: no cotangent (a helper's constant `b"..."`)
        return None
    if isinstance(x, dict):
        raise dict_subclass_error(x)
    if t is not np.ndarray and (is_duck_array(x) or is_duck_array(g)):
        return _duck_getitem_vjp(g, x, idx)
    if _is_complex(g) and getattr(x, "dtype", _F64).kind != "c":
        g = np.real(g)  # the cotangent of a real array's element: its real part
    z = _zeros_for(x, g)
    if g is None:
        return z
    if _is_advanced(idx):
        np.add.at(z, idx, g)
    else:
        z[idx] = g
    return z


@helper
def setitem(x, idx, v):
    """Functional ``x[idx] = v``: a new array/list/dict, `x` unchanged (NumPy casting rules)."""
    t = type(x)
    if t is list or t is dict:
        y = t(x)
        y[idx] = v
        return y
    y = layout_copy(x)  # (an array's layout kept, as NumPy's write keeps it)
    y[idx] = v
    return y


@helper
def setitem_vjp_x(g, idx):
    """Cotangent of the old `x` for ``setitem(x, idx, v)``: `g` with overwritten slots zeroed."""
    if g is None:
        return None
    if type(g) in _SCALAR_TYPES:  # a 0-d array's cotangent may be a number: x[()] = v
        g = np.asarray(g, dtype=float)
    t = type(g)
    if t is list or isinstance(g, dict):  # (a defaultdict's zero cotangent: a plain dict)
        # None, the containers' symbolic zero: the old entry may have another structure than
        # the new one (``rows[k] = rows[k] + [v]``, ``rows[k].append(v)``: a shorter list)
        y = list(g) if t is list else dict(g)
        if isinstance(idx, slice):
            for i in range(len(g))[idx]:
                y[i] = None
        else:
            y[idx] = None
        return y
    if is_duck_array(g):  # a new Dask/CuPy array: g itself is not updated
        y = g.astype(np.result_type(g.dtype, float), copy=True)
    else:
        y = np.array(g, dtype=np.result_type(g, float))
    y[idx] = 0
    return y


@helper
def setitem_vjp_v(g, idx, v):
    """Cotangent of `v` for ``setitem(x, idx, v)``: ``g[idx]`` summed down to the shape of `v`."""
    if g is None:
        return zeros_like(v)
    if type(g) is list or isinstance(g, dict):
        r = g[idx]
        return zeros_like(v) if r is None else r
    if type(g) in _SCALAR_TYPES:
        g = np.asarray(g, dtype=float)
    parts = idx if isinstance(idx, tuple) else (idx,)
    if any(is_duck_array(p) and p.dtype.kind in "iu" for p in parts):
        raise _unsupported(
            "the derivative of `x[idx] = v` with a Dask/CuPy integer index array: with "
            "repeated indices the last write wins, which srcad cannot check without computing it"
        )
    sel = g[idx]
    if type(sel) is np.ndarray and sel.base is not None:
        sel = sel.copy()  # not a view: the caller may zero g[idx] in place next
    sel = last_writes(sel, g, idx)
    extra = v.ndim - np.ndim(sel) if type(v) is np.ndarray else 0  # (a list: ragged, maybe)
    if extra > 0:  # NumPy's write drops a value's leading length-1 axes (``w[1:] = v[None]``)
        sel = np.reshape(sel, (1,) * extra + np.shape(sel))
    return unbroadcast(sel, v)


@helper
def last_writes(c, x, idx):
    """`c` (of the shape of ``x[idx]``), 0 at the positions ``x[idx] = ..`` does not keep: with
    repeated indices NumPy keeps the last write, earlier ones get no cotangent. Linear in `c`
    and its own transpose (`setitem_vjp_v` and the transpose of it)."""
    if not _is_advanced(idx):
        return c
    flat = np.arange(np.size(x)).reshape(np.shape(x))[idx]
    if flat.size == np.unique(flat).size:
        return c
    order = flat.ravel()
    _, last_from_end = np.unique(order[::-1], return_index=True)
    keep = np.zeros(order.size, dtype=bool)
    keep[order.size - 1 - last_from_end] = True
    return np.where(keep.reshape(flat.shape), c, 0.0)


@helper
def moved_mask(sel, u, y, how, *args):
    """Where the cotangent of `u` can be non-zero, given that of ``y = move(u, *args)`` can only
    where `sel` does (`srcad.ad.masks`: a np.where's side reached through a move): `sel` moved
    back to `u`'s positions (``"shape"``: a reshape, ``"T"``: a reversal of the axes, ``"swap"``,
    ``"moveaxis"``, ``"flip"``, ``"roll"``: ``np.swapaxes(u, *args)``, ..., ``"index"``:
    ``u[args[0]]``: every position it reads, kept when one of its copies is). True (mask nothing)
    when that cannot be worked out."""
    try:
        shape = np.shape(u)
        s = np.broadcast_to(np.asarray(sel, dtype=bool), np.shape(y))
        if how == "shape":
            return np.reshape(s, shape)
        if how == "T":
            return np.transpose(s)
        if how in ("swap", "flip"):  # (each its own inverse)
            return (np.swapaxes if how == "swap" else np.flip)(s, *args)
        if how == "moveaxis":
            return np.moveaxis(s, args[1], args[0])
        if how == "roll":
            return np.roll(s, np.negative(args[0]), *args[1:])
        if how == "index" and type(u) is _NDARRAY:
            return getitem_vjp(s.astype(float), np.zeros(shape), args[0]) != 0
    except (ValueError, TypeError, IndexError):
        pass
    return True


@helper
def unset_mask(x, idx):
    """The positions of the array `x` that ``x[idx] = v`` leaves as they are (True), the only
    ones where the old `x` gets a cotangent from the result (`srcad.ad.masks`: a value patched
    by ``r[np.isnan(r)] = 0``); True (mask nothing) when `x` is not an array or `idx` does not
    index it."""
    if type(x) is not _NDARRAY:
        return True
    try:
        keep = np.ones(x.shape, dtype=bool)
        keep[idx] = False
    except (ValueError, TypeError, IndexError):
        return True
    return keep


@helper
def add_at(acc, idx, g, x):
    """``acc + getitem_vjp(g, x, idx)``, in place when `acc` is an array the caller owns."""
    if (  # float64 arrays and a tuple of slices (a loop's gate, `z[:, a:b]`): the path below
        type(acc) is _NDARRAY
        and type(g) is _NDARRAY
        and acc.dtype is _F64
        and g.dtype is _F64
        and type(idx) is tuple
        and _slices(idx)
    ):
        v = acc[idx]
        if type(v) is _NDARRAY:  # (a 0-d `acc` with ``idx == ()`` gives a number)
            v += g
            return acc
    if type(acc) is np.ndarray and acc.dtype.kind in "fc" and g is not None:
        if type(g) is np.ndarray and g.dtype.kind == "O":  # (through an object array's numbers)
            g = g.astype(acc.dtype)
        if acc.dtype.kind == "f" and _is_complex(g):
            g = np.real(g)  # the cotangent of a real array's elements: the real part
        if _basic(idx):  # a view, or one element (`acc[idx] += g` copies the view back)
            v = acc[idx]
            if type(v) is np.ndarray:
                v += g
            else:
                acc[idx] = v + g
        elif _is_advanced(idx):
            np.add.at(acc, idx, g)
        else:
            acc[idx] += g
        return acc
    if type(acc) is list and type(idx) is int and g is not None:
        acc[idx] = add(acc[idx], g)  # rebinds the slot; the element itself is never updated
        return acc
    return add(acc, getitem_vjp(g, x, idx))


@helper
def elem(g, k, x):
    """``g[k]`` of a container cotangent, a zero like `x` where that entry (or the whole
    cotangent: `to_list_vjp`/`as_sequence_vjp` of a dict's keys) is None."""
    try:
        r = None if g is None else g[k]
    except (TypeError, IndexError):
        if np.ndim(g) or isinstance(g, (tuple, list, dict)):
            raise
        # a number seeding a container: grad's 1.0 for a function returning a tuple or list
        # (reached where grad of it runs inside differentiated code)
        raise DiffError(
            nonscalar("the function differentiated", "a tuple or list"),
            hint="return the scalar (or use has_aux=True for the rest), or srcad.jacrev / "
            "srcad.vjp for non-scalar outputs",
        ) from None
    return zeros_like(x) if r is None else r


@helper
def dict_entry(g, k, later, x):
    """Cotangent of the value `x` stored under key `k` in a dict literal, `g` the dict's
    cotangent: none (a zero like `x`) when a later entry's key (in `later`) equals `k`, since that
    entry overwrote this value (``{k1: a, k2: b}`` with ``k1 == k2`` keeps only `b`)."""
    if g is None or any(o is k or o == k for o in later):
        return zeros_like(x)
    return elem(g, k, x)


@helper
def dict_entry_vjp(g, t, k, later):
    """Cotangent of the dict cotangent `t` for ``dict_entry(t, k, later, x)`` (higher order)."""
    if any(o is k or o == k for o in later):
        return dict.fromkeys(t)
    return getitem_vjp(g, t, k)


@helper
def setitem_vjp_x_inplace(g, idx):
    """`setitem_vjp_x` on a cotangent the caller owns: zero the overwritten slots in place."""
    if type(g) is np.ndarray and g.flags.writeable and g.dtype.kind in "fc":
        g[idx] = 0
        return g
    return setitem_vjp_x(g, idx)


@helper
def is_inexact(x):
    """Does ``x[i] = v`` keep `v` as it is (not an array of integers or bools, which truncate
    it: then `v`'s derivative does not reach the result)? An object array keeps `v` itself; a
    subclass of ndarray truncates as an ndarray does."""
    return not (isinstance(x, np.ndarray) and x.dtype.kind not in "fcO")


@helper
def keep_if(t, flag):
    """The tangent or cotangent `t` when `flag` holds, else its zero (`is_inexact`)."""
    return t if flag else zeros_like(t)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the indexing helpers."""
    defzero_helper(jvp, vjp, is_inexact, moved_mask, unset_mask)
    deflinear_helper(jvp, vjp, keep_if, "t, flag", "_srcad.keep_if(dt, flag)",
                     "_srcad.keep_if(g, flag)")  # fmt: skip
    # (g's entry under idx: None in a container's cotangent that got none, hence `elem`)
    deflinear_helper(
        jvp, vjp, getitem_vjp, "t, x, idx",
        "_srcad.getitem_vjp(dt, x, idx)", "_srcad.elem(g, idx, t)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, setitem_vjp_x, "t, idx",
        "_srcad.setitem_vjp_x(dt, idx)", "_srcad.setitem_vjp_x(g, idx)",
    )  # fmt: skip
    # (t[idx]: None in a dict's/list's cotangent whose entry got none, setitem_vjp_v's zero)
    deflinear_helper(
        jvp, vjp, setitem_vjp_v, "t, idx, v",
        "_srcad.setitem_vjp_v(dt, idx, v)",
        "_srcad.getitem_vjp(_srcad.last_writes(_srcad.broadcast_like(g, _srcad.elem(t, idx, g)),"
        " t, idx), t, idx)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, last_writes, "c, x, idx",
        "_srcad.last_writes(dc, x, idx)", "_srcad.last_writes(g, x, idx)",
    )  # fmt: skip
    jvp.defjvp_joint(rt(setitem), "x, idx, v", "_srcad.setitem(dx, idx, dv)", nondiff=("idx",))
    vjp.defvjp(
        rt(setitem), "x, idx, v",
        nondiff=('idx',),
        x="_srcad.setitem_vjp_x(g, idx)",
        v="_srcad.setitem_vjp_v(g, idx, v)",
    )  # fmt: skip
    jvp.defjvp(
        rt(add_at), "acc, idx, t, x", nondiff=('idx',), zero_in=('x',),
        acc="dacc", t="_srcad.getitem_vjp(dt, x, idx)",
    )  # fmt: skip
    vjp.defvjp(
        rt(add_at),
        "acc, idx, t, x",
        nondiff=("idx",),
        zero_in=("x",),
        acc="g",
        t="_srcad.elem(g, idx, t)",
    )
    deflinear_helper(
        jvp, vjp, elem, "t, k, x", "_srcad.elem(dt, k, x)", "_srcad.getitem_vjp(g, t, k)"
    )
    deflinear_helper(
        jvp, vjp, dict_entry, "t, k, later, x",
        "_srcad.dict_entry(dt, k, later, x)", "_srcad.dict_entry_vjp(g, t, k, later)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, dict_entry_vjp, "c, t, k, later",
        "_srcad.dict_entry_vjp(dc, t, k, later)", "_srcad.dict_entry(g, k, later, c)",
    )  # fmt: skip
    # in place on a cotangent the caller owns; its derivative is that of setitem_vjp_x
    deflinear_helper(
        jvp, vjp, setitem_vjp_x_inplace, "t, idx",
        "_srcad.setitem_vjp_x(dt, idx)", "_srcad.setitem_vjp_x(g, idx)",
    )  # fmt: skip
