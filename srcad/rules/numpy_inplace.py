"""The functional forms of NumPy calls that write into an array (`srcad.lower.inplace_np` rebinds
the local name to their result): ``np.add.at`` (``scatter_add``), ``np.fill_diagonal``
(``fill_diag``), ``out=``/``np.copyto``/``.fill`` (``out_write``), with their rules.

Input: the `RuleTable` pair. Output: the tables filled with the rules of those helpers.

- ``scatter_add(a, idx, v)``: a copy of `a` with ``np.add.at`` applied; linear in (a, v): the
  cotangent of `v` is ``g[idx]`` summed to `v`'s shape, duplicates counted (``scatter_add_vjp``);
  nothing when `a` is not a float array (NumPy casts `v` to its integers: ``out_tangent``).
- ``fill_diag(a, val, wrap)``: a copy of `a` with ``np.fill_diagonal`` applied; linear in
  (a, val): `a` gets `g` with the diagonal zeroed, `val` the diagonal entries of `g` summed per
  element of `val` (NumPy repeats `val` along the diagonal: ``fill_diag_vjp``).
- ``out_write(y, r, casting)``: a new array shaped and typed like `y` holding `r` (broadcast,
  cast as NumPy's ``copyto``): `y` has no derivative (overwritten); `r` gets `g` summed to its
  shape, and nothing when `y` is not a float array (a cast to int has derivative 0).

Example (``out = np.zeros(3); np.add.at(out, idx, v)``)::

    out = _srcad.scatter_add(out, idx, v)
    bv = _srcad.scatter_add_vjp(g, out_old, idx, v)     # unbroadcast(g[idx], v)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import DiffError
from srcad.rules.helpers import deflinear_helper, helper, rt
from srcad.rules.trees import unbroadcast


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    jvp.defjvp_joint(rt(scatter_add), "a, idx, v",
                     "_srcad.out_tangent(_srcad.scatter_add(da, idx, dv), a)",
                     nondiff=("idx",), single={
                         "a": "da + 0.0",
                         "v": "_srcad.out_tangent(_srcad.scatter_add(np.zeros(np.shape(a)), idx, "
                              "dv), a)"})  # fmt: skip
    vjp.defvjp(rt(scatter_add), "a, idx, v", nondiff=("idx",), a="g",
               v="_srcad.scatter_add_vjp(_srcad.out_tangent(g, a), a, idx, v)")  # fmt: skip
    deflinear_helper(jvp, vjp, scatter_add_vjp, "t, a, idx, v",
                     "_srcad.scatter_add_vjp(dt, a, idx, v)",
                     "_srcad.scatter_add(np.zeros(np.shape(a)), idx, g)")  # fmt: skip
    jvp.defjvp_joint(rt(fill_diag), "a, val, wrap", "_srcad.fill_diag(da, dval, wrap)",
                     nondiff=("wrap",), single={
                         "a": "_srcad.fill_diag(da, 0.0, wrap)",
                         "val": "_srcad.fill_diag(np.zeros(np.shape(a)), dval, wrap)"})  # fmt: skip
    vjp.defvjp(rt(fill_diag), "a, val, wrap", nondiff=("wrap",),
               a="_srcad.fill_diag(g, 0.0, wrap)", val="_srcad.fill_diag_vjp(g, val, wrap)")  # fmt: skip
    deflinear_helper(jvp, vjp, fill_diag_vjp, "t, val, wrap",
                     "_srcad.fill_diag_vjp(dt, val, wrap)",
                     "_srcad.fill_diag(np.zeros(np.shape(t)), g, wrap)")  # fmt: skip
    jvp.defjvp(rt(out_write), "y, r, casting", nondiff=("y", "casting"),
               r="_srcad.out_tangent(dr, y)")  # fmt: skip
    vjp.defvjp(rt(out_write), "y, r, casting", nondiff=("y", "casting"),
               r="_srcad.unbroadcast(_srcad.out_tangent(g, y), r)")  # fmt: skip
    deflinear_helper(jvp, vjp, out_tangent, "t, y", "_srcad.out_tangent(dt, y)",
                     "_srcad.unbroadcast(_srcad.out_tangent(g, y), t)")  # fmt: skip


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
    ct = np.bincount(tags[on], weights=np.real(np.ravel(g)[on]), minlength=n)
    if np.iscomplexobj(g):
        ct = ct + 1j * np.bincount(tags[on], weights=np.imag(np.ravel(g)[on]), minlength=n)
    return ct.reshape(np.shape(val)) if np.ndim(val) else ct[0]


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
    out = np.empty_like(y)
    np.copyto(out, r, casting=casting)
    return out


@helper
def out_tangent(t, y):
    """The derivative `t` written into `y` (broadcast to its shape); 0 when `y` is not a float
    array (a cast to integers or booleans has derivative 0)."""
    if np.asarray(y).dtype.kind not in "fc":
        return np.zeros(np.shape(y))
    return np.broadcast_to(t, np.shape(y)) + np.zeros(np.shape(y), np.asarray(y).dtype)
