"""The functional forms of NumPy calls that write into an array (`srcad.lower.inplace_np` rebinds
the local name to their result): ``np.add.at`` (``scatter_add``), ``np.fill_diagonal``
(``fill_diag``), ``out=``/``np.copyto``/``.fill`` (``out_write``), with their rules.

Input: the `RuleTable` pair. Output: the tables filled with the rules of those helpers.

- ``scatter_add(a, idx, v)``: a copy of `a` with ``np.add.at`` applied; linear in (a, v): the
  cotangent of `v` is ``g[idx]`` summed to `v`'s shape, duplicates counted (``scatter_add_vjp``);
  nothing when `a` is not a float array (NumPy casts `v` to its integers: ``out_tangent``).
- ``fill_diag(a, val, wrap)``: a copy of `a` with ``np.fill_diagonal`` applied; linear in
  (a, val): `a` gets `g` with the diagonal zeroed, `val` the diagonal entries of `g` summed per
  element of `val` (NumPy repeats `val` along the diagonal: ``fill_diag_vjp``); nothing when `a`
  is not a float array (NumPy casts `val` to its integers: ``out_tangent``).
- ``put_write(a, idx, v, where, kind)``: a copy of `a` after ``np.put_along_axis(a, idx, v,
  axis=where)`` (`kind` "along") or ``np.put(a, idx, v, mode=where)`` ("flat"); linear in
  (a, v): `a` gets `g` with the written elements zeroed, `v` the written elements of `g` summed
  per element of `v` (`put_write_vjp`: NumPy's own write of element numbers, so broadcast or
  cyclically repeated values, and a repeated index whose last write wins, are counted as NumPy
  writes them).
- ``place_index(arr, mask, vals)``: the flat positions ``np.place`` writes `vals` into with
  ``put_write`` (zero derivative); ``putmask_index(a, mask, values)``: the positions of `values`
  ``np.putmask`` writes (zero derivative); both with NumPy's errors (sizes, unsafe casts).
- ``copy_source(x, idx, v, line)``: `v`, the value of ``x[idx] = v`` (`passes/overlap.py`), after
  checking that NumPy writes what srcad computes, `v` as it was before the write: a `DiffError`
  when `v` is a view of `x` that the write changes before NumPy reads it (``u[:, 2] = u[1, :]``).
- ``out_write(y, r, casting)``: a new array shaped and typed like `y` holding `r` (broadcast,
  cast as NumPy's ``copyto``): `y` has no derivative (overwritten); `r` gets `g` summed to its
  shape, and nothing when `y` is not a float array (a cast to int has derivative 0).

Example (``out = np.zeros(3); np.add.at(out, idx, v)``)::

    out = _srcad.scatter_add(out, idx, v)
    bv = _srcad.scatter_add_vjp(g, out_old, idx, v)     # unbroadcast(g[idx], v)
"""

from __future__ import annotations

import linecache
import sys

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import tag_sum
from srcad.errors import DiffError
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, marks, rt
from srcad.rules.numpy_more3 import resize_index
from srcad.rules.trees import unbroadcast


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    jvp.defjvp_joint(rt(scatter_add), "a, idx, v",
                     "_srcad.out_tangent(_srcad.scatter_add(da, idx, dv), a)",
                     nondiff=('idx',), single={
                         "a": "da + 0.0",
                         "v": "_srcad.out_tangent(_srcad.scatter_add(np.zeros(np.shape(a)), idx, "
                              "dv), a)"})  # fmt: skip
    vjp.defvjp(rt(scatter_add), "a, idx, v", nondiff=('idx',), a="g",
               v="_srcad.scatter_add_vjp(_srcad.out_tangent(g, a), a, idx, v)")  # fmt: skip
    deflinear_helper(jvp, vjp, scatter_add_vjp, "t, a, idx, v",
                     "_srcad.scatter_add_vjp(dt, a, idx, v)",
                     "_srcad.scatter_add(np.zeros(np.shape(a)), idx, g)")  # fmt: skip
    jvp.defjvp_joint(rt(fill_diag), "a, val, wrap",
                     "_srcad.out_tangent(_srcad.fill_diag(da, dval, wrap), a)",
                     nondiff=('wrap',), single={
                         "a": "_srcad.fill_diag(da, 0.0, wrap)",
                         "val": "_srcad.out_tangent(_srcad.fill_diag(np.zeros(np.shape(a)), "
                                "dval, wrap), a)"})  # fmt: skip
    vjp.defvjp(rt(fill_diag), "a, val, wrap", nondiff=('wrap',),
               a="_srcad.fill_diag(g, 0.0, wrap)",
               val="_srcad.fill_diag_vjp(_srcad.out_tangent(g, a), val, wrap)")  # fmt: skip
    deflinear_helper(jvp, vjp, fill_diag_vjp, "t, val, wrap",
                     "_srcad.fill_diag_vjp(dt, val, wrap)",
                     "_srcad.fill_diag(np.zeros(np.shape(t)), g, wrap)")  # fmt: skip
    jvp.defjvp(rt(out_write), "y, r, casting", nondiff=('casting',), zero_in=('y',),
               r="_srcad.out_tangent(dr, y)")  # fmt: skip
    vjp.defvjp(rt(out_write), "y, r, casting", nondiff=('casting',), zero_in=('y',),
               r="_srcad.unbroadcast(_srcad.out_tangent(g, y), r)")  # fmt: skip
    deflinear_helper(jvp, vjp, out_tangent, "t, y", "_srcad.out_tangent(dt, y)",
                     "_srcad.unbroadcast(_srcad.out_tangent(g, y), t)")  # fmt: skip
    sig, nd = "a, idx, v, where, kind", ("idx", "where", "kind")
    # (a complex `v` written into a float `a`: its real part, `real_like`, as NumPy's cast)
    jvp.defjvp_joint(rt(put_write), sig,
                     "_srcad.out_tangent(_srcad.put_write(da, idx, _srcad.real_like(dv, a), "
                     "where, kind), a)",
                     **marks(nd), single={
                         "a": "_srcad.put_write(da + 0.0, idx, 0.0, where, kind)",
                         "v": "_srcad.out_tangent(_srcad.put_write(np.zeros(np.shape(a), "
                              "np.result_type(a, np.float64)), idx, _srcad.real_like(dv, a), "
                              "where, kind), a)"})  # fmt: skip
    vjp.defvjp(rt(put_write), sig, **marks(nd), a="_srcad.put_write(g, idx, 0.0, where, kind)",
               v="_srcad.put_write_vjp(_srcad.out_tangent(g, a), a, idx, v, where, kind)")  # fmt: skip
    deflinear_helper(jvp, vjp, put_write_vjp, "t, a, idx, v, where, kind",
                     "_srcad.put_write_vjp(dt, a, idx, v, where, kind)",
                     "_srcad.put_write(np.zeros(np.shape(a)), idx, g, where, kind)")  # fmt: skip
    defzero_helper(jvp, vjp, place_index, putmask_index, put_unset, loop_unset, spare)
    jvp.defjvp(rt(copy_source), "x, idx, v, line", nondiff=("idx", "line"), zero_in=("x",), v="dv")
    vjp.defvjp(rt(copy_source), "x, idx, v, line", nondiff=("idx", "line"), zero_in=("x",), v="g")


@helper
def scatter_add(a, idx, v):
    """A copy of `a` after ``np.add.at(a, idx, v)`` (NumPy's error when `a` is no array)."""
    if not isinstance(a, np.ndarray):
        np.add.at(a, idx, v)  # raises, as the program would
    out = np.array(a, copy=True)
    np.add.at(out, idx, v)
    return out


@helper
def scatter_add_vjp(g, a, idx, v):
    """Cotangent of `v` for ``scatter_add(a, idx, v)``: ``g[idx]`` summed to `v`'s shape."""
    return np.array(unbroadcast(np.reshape(g, np.shape(a))[idx], v), copy=True)  # own memory


@helper
def fill_diag(a, val, wrap):
    """A copy of `a` after ``np.fill_diagonal(a, val, wrap)`` (NumPy's error when `a` is no
    array)."""
    if not isinstance(a, np.ndarray):
        np.fill_diagonal(a, val, wrap)  # raises, as the program would
    out = np.array(a, copy=True)
    np.fill_diagonal(out, val, wrap)
    return out


@helper
def fill_diag_vjp(g, val, wrap):
    """Cotangent of `val` for ``fill_diag(a, val, wrap)``: the diagonal entries of `g`, summed
    per element of `val` (NumPy writes `val`'s flat elements cyclically along the diagonal)."""
    n = max(np.size(val), 1)
    tags = np.full(np.shape(g), -1)
    np.fill_diagonal(tags, np.arange(n), wrap)
    tags = tags.ravel()
    on = tags >= 0
    ct = tag_sum(tags[on], np.real(np.ravel(g)[on]), n)
    if np.iscomplexobj(g):
        ct = ct + 1j * tag_sum(tags[on], np.imag(np.ravel(g)[on]), n)
    return ct.reshape(np.shape(val)) if np.ndim(val) else ct[0]


def _put(out, idx, v, where, kind) -> None:
    if kind == "along":
        np.put_along_axis(out, idx, v, where)
    else:
        np.put(out, idx, v, mode=where)


@helper
def put_write(a, idx, v, where, kind):
    """A copy of `a` after ``np.put_along_axis(a, idx, v, where)`` (`kind` "along") or
    ``np.put(a, idx, v, where)`` ("flat"); NumPy's error when `a` is no array."""
    if not isinstance(a, np.ndarray):
        _put(a, idx, v, where, kind)  # raises, as the program would
    out = np.array(a, copy=True)
    _put(out, idx, v, where, kind)
    return out


@helper
def put_unset(a, idx, v, where, kind):
    """The positions of the array `a` that ``put_write(a, idx, v, where, kind)`` leaves as they
    are (True), the only ones where the old `a` gets a cotangent from the result
    (`srcad.ad.writemasks`: ``np.put(r, idx, 0.0)``, ``np.place(r, m, v)`` over a root at 0);
    True (mask nothing) when `a` is not an array or NumPy's write fails."""
    if not isinstance(a, np.ndarray):
        return True
    try:
        done = np.zeros(a.shape, dtype=bool)
        _put(done, idx, np.ones(np.shape(v), dtype=bool), where, kind)  # (v repeated as NumPy's)
    except (ValueError, TypeError, IndexError):
        return True
    return ~done


@helper
def loop_unset(a, start, stop, step, lst):
    """The positions of the array `a` that ``for i in range(start, stop, step): a[i] = v`` (with
    `lst`: ``a[lst[i]] = v``) leaves as they are (True), the only ones where the old `a` gets a
    cotangent from the loop's result (`srcad.ad.writemasks.loop_unset`); True (mask nothing)
    when `a` is not an array or an index fails."""
    if not isinstance(a, np.ndarray):
        return True
    keep = np.ones(a.shape, dtype=bool)
    try:
        for i in range(start, stop, step):
            keep[i if lst is None else lst[i]] = False
    except (ValueError, TypeError, IndexError, KeyError):
        return True
    return keep


@helper
def put_write_vjp(g, a, idx, v, where, kind):
    """Cotangent of `v` for ``put_write(a, idx, v, where, kind)``: the elements of `g` NumPy's
    write takes from each element of `v`, summed."""
    if np.size(v) == 0:  # (an empty `v` writes nothing)
        return np.zeros(np.shape(v), np.result_type(g, float))
    n = max(np.size(v), 1)
    tags = np.full(np.shape(a), -1)
    _put(tags, idx, np.reshape(np.arange(n), np.shape(v)), where, kind)
    tags = tags.ravel()
    on = tags >= 0
    ct = tag_sum(tags[on], np.real(np.ravel(g)[on]), n)
    if np.iscomplexobj(g):
        ct = ct + 1j * tag_sum(tags[on], np.imag(np.ravel(g)[on]), n)
    return ct.reshape(np.shape(v)) if np.ndim(v) else ct[0]


@helper
def place_index(arr, mask, vals):
    """The flat positions ``np.place(arr, mask, vals)`` writes (`put_write` then writes `vals`
    there, repeated or cut as NumPy's): where `mask`, read flat, is nonzero; NumPy's errors for
    a mask of another size and for empty `vals` with a position to write."""
    keep = np.ravel(mask) != 0
    if keep.size != np.size(arr):
        raise ValueError("place: mask and data must be the same size")
    _safe_values(arr, vals)
    pos = np.flatnonzero(keep)
    if pos.size and np.size(vals) == 0:
        raise ValueError("Cannot insert from an empty array!")
    return pos


@helper
def putmask_index(a, mask, values):
    """The flat positions of `values` ``np.putmask(a, mask, values)`` writes over `a` (`values`
    repeated as ``np.resize`` repeats them), with NumPy's errors: a mask of another size, and
    array `values` whose dtype NumPy's safe casting does not turn into `a`'s."""
    if np.size(mask) != np.size(a):
        raise ValueError("putmask: mask and data must be the same size")
    _safe_values(a, values)
    return resize_index(values, np.shape(a))


def _safe_values(a, values) -> None:
    """NumPy's TypeError for ``np.place``/``np.putmask`` of an array of values its safe casting
    does not cast to `a`'s dtype (float values into an integer or float32 array); a number or a
    list is converted to `a`'s dtype, as NumPy's."""
    if isinstance(a, np.ndarray) and isinstance(values, np.ndarray):
        if not np.can_cast(values.dtype, a.dtype, "safe"):
            what = "scalar" if values.ndim == 0 else "array data"
            raise TypeError(f"Cannot cast {what} from {values.dtype!r} to {a.dtype!r} "
                            "according to the rule 'safe'")  # fmt: skip


@helper
def out_write(y, r, casting):
    """A new array like `y` (shape, dtype) holding `r`: what ``f(..., out=y)``,
    ``np.copyto(y, r)`` (`casting` "same_kind") and ``y.fill(r)`` ("unsafe") leave in `y`."""
    if not isinstance(y, np.ndarray):
        if casting != "unsafe":
            np.copyto(y, r, casting=casting)  # raises, as the program would
        if not hasattr(y, "fill"):
            raise AttributeError(f"'{type(y).__name__}' object has no attribute 'fill'")
        raise DiffError(f"`.fill()` of a {type(y).__name__}: srcad lowers it for NumPy arrays only",
                        hint="call the method in a function srcad does not transform")  # fmt: skip
    if type(r) is np.ndarray and np.may_share_memory(y, r) and not _writes_as_copy(y, ..., r):
        raise DiffError(  # (`np.copyto(y[::2], y[0:3])`: NumPy's own write reads changed elements)
            "the value written is a view of the array it is written into, and NumPy's write "
            "changes some of its elements before it reads them; srcad computes the write of the "
            "value as it was before",
            hint="copy the value first (`np.copyto(u[::2], u[:3].copy())`) if that is what you mean",
        )
    out = np.empty_like(y)
    np.copyto(out, r, casting=casting)
    return out


@helper
def out_tangent(t, y):
    """The derivative `t` written into `y` (broadcast to its shape, leading length-1 axes
    dropped as NumPy's copy drops them); 0 when `y` is not a float array (a cast to integers or
    booleans has derivative 0)."""
    if np.asarray(y).dtype.kind not in "fc":
        return np.zeros(np.shape(y))
    if np.iscomplexobj(t) and not np.iscomplexobj(y):
        t = np.real(t)  # (NumPy keeps the real part of a complex value written into floats)
    extra = np.ndim(t) - np.ndim(y)
    if extra > 0 and all(n == 1 for n in np.shape(t)[:extra]):  # (NumPy's copy drops them:
        t = np.reshape(t, np.shape(t)[extra:])  # ``np.copyto(y[:2], v.reshape(1, 2))``)
    return np.broadcast_to(t, np.shape(y)) + np.zeros(np.shape(y), np.asarray(y).dtype)


@helper
def copy_source(x, idx, v, line):
    """`v`, the value `x[idx] = v` writes; a `DiffError` when NumPy's write gives another result
    than writing a copy of `v` (srcad's meaning): `v` a view of `x` whose elements the write
    changes before it reads them (NumPy copies `v` first only in some cases)."""
    if type(v) is not np.ndarray or type(x) is not np.ndarray or not np.may_share_memory(x, v):
        return v
    if _writes_as_copy(x, idx, v):
        return v
    file = sys._getframe(1).f_globals.get("__file__")  # the generated code runs in the user's
    src = linecache.getline(file, line) if file and line else None
    raise DiffError(
        "the value written is a view of the array it is written into, and NumPy's write changes "
        "some of its elements before it reads them (it copies the value first only in some "
        "cases); srcad computes the write of the value as it was before",
        filename=file if src else None,
        line=line if src else None,
        col=len(src) - len(src.lstrip()) if src else None,
        source_line=src or None,
        hint="copy the value first (`u[:, 2] = u[1, :].copy()`) if that is what you mean",
    )


def _writes_as_copy(x, idx, v) -> bool:
    """Does ``x[idx] = v`` leave in `x` what writing a copy of `v` leaves? NumPy's own write, run
    on a copy of the memory `x` and `v` share."""
    root = x
    while isinstance(root.base, np.ndarray):
        root = root.base
    top = v
    while isinstance(top.base, np.ndarray):
        top = top.base
    if (
        top is not root
        or root.dtype.hasobject
        or not (root.flags.c_contiguous or root.flags.f_contiguous)
    ):
        return False  # not seen in practice: refused
    flat = root.copy(order="A").reshape(-1, order="A").view(np.uint8)
    at = root.ctypes.data
    xt = np.ndarray(x.shape, x.dtype, flat, x.ctypes.data - at, x.strides)
    xt[idx] = np.ndarray(v.shape, v.dtype, flat, v.ctypes.data - at, v.strides)
    want = x.copy()
    want[idx] = v
    return bool(np.array_equal(xt, want, equal_nan=want.dtype.kind in "fc"))


@helper
def spare(t, other):
    """`t` when `other` (an array or number) broadcasts to `t`'s shape, so that ``ufunc(t, other,
    out=t)`` makes an array of that shape; None (``out=None``: a new array) otherwise. The
    buffer passes/inplace_ops.py writes a dead array's arithmetic into when the sizes that make
    the result `t`'s shape are known only at run time (``means.shape[0] == logsig.shape[0]``)."""
    s, ts = getattr(other, "shape", ()), t.shape
    if s == ts or not s:
        return t
    try:
        return t if np.broadcast_shapes(s, ts) == ts else None
    except ValueError:  # (NumPy's own error from the ufunc then)
        return None
