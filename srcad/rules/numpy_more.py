"""More NumPy functions a ported corpus reached: the runtime helpers of the calls the lowering
rewrites (`srcad.lower.library`: ``np.diff(prepend=, append=)``, ``np.ediff1d``,
``np.maximum/minimum.accumulate``), ``np.take(mode=)`` and ``np.pad(constant_values=)``, with
their rules and the helpers' own rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

- ``diff_edge(p, shape, axis)``: what ``np.diff`` prepends/appends (a scalar broadcast to one
  slice along `axis`; None: an empty slice); linear in `p`.
- ``ediff_dtype(ary, to_begin, to_end)``: the dtype of ``np.ediff1d``'s result (`ary`'s, its
  edges cast to it), after NumPy's TypeErrors; no derivative.
- ``ext_accumulate(a, axis, kind)``: ``np.maximum.accumulate`` (``kind='maximum'``) or
  ``np.minimum.accumulate``; the derivative of each running extreme is shared evenly by the
  elements so far that tie it (as ``np.max`` shares ties), through ``ext_accum_apply``.
- ``take_index(indices, shape, axis, mode)``: the indices ``np.take(mode='wrap'/'clip')`` reads.
- ``pad_const(t, shape, pad_width)``: the constant border of ``np.pad(zeros(shape), pad_width,
  constant_values=t)``, linear in `t` (``pad_const_vjp`` its transpose).

Example (``np.maximum.accumulate(x)``)::

    jvp: _srcad.ext_accum_apply(dx, x, 0, 'maximum', False)
    vjp: bx = _srcad.ext_accum_apply(g, x, 0, 'maximum', True)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import complex_refusal, real_operand, real_part
from srcad.rules.helpers import defzero_helper, helper, marks, rt
from srcad.rules.indexing import _unsupported, elem
from srcad.rules.numpy_extra import gradient_apply
from srcad.rules.reductions import _like_input


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    nd = ("shape", "axis")
    jvp.defjvp(rt(diff_edge), "p, shape, axis", nondiff=nd, p="_srcad.diff_edge(dp, shape, axis)")
    vjp.defvjp(rt(diff_edge), "p, shape, axis", nondiff=nd, p="_srcad.unbroadcast(g, p)")
    sig = "a, axis, kind"
    nd = ("axis", "kind")
    jvp.defjvp(
        rt(ext_accumulate), sig, nondiff=nd, a="_srcad.ext_accum_apply(da, a, axis, kind, False)"
    )
    vjp.defvjp(
        rt(ext_accumulate), sig, nondiff=nd, a="_srcad.ext_accum_apply(g, a, axis, kind, True)"
    )
    sig = "t, a, axis, kind, transpose"
    nd = ("axis", "kind", "transpose")
    jvp.defjvp(
        rt(ext_accum_apply), sig, nondiff=nd,
        t="_srcad.ext_accum_apply(dt, a, axis, kind, transpose)", a="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(ext_accum_apply), sig, nondiff=nd,
        t="_srcad.ext_accum_apply(g, a, axis, kind, not transpose)", a="_srcad.zeros_like(a)",
    )  # fmt: skip
    # np.hypot.reduce: d|a| = a/|a| . da along the axis, the minimum-norm subgradient 0 at 0
    # (`div0`, as np.hypot's and np.linalg.norm's); `where` masks the entries it leaves out
    sig = "a, axis=0, dtype=None, keepdims=False, initial=None, where=True"
    nd, r = ("axis", "dtype", "keepdims", "initial"), _HYPOT_R
    # (its second-order terms refuse at 0 along a nonzero direction: rules/root_at0.py)
    jvp.defjvp(
        rt(hypot_reduce), sig, nondiff=nd, zero_in=("where",),
        a=f"_srcad.root_d2_check(np.sum(da * _srcad.div0(a, {r}) * where, axis=axis, "
        "keepdims=keepdims), ans, a * where, ((axis, keepdims),))",
    )  # fmt: skip
    vjp.defvjp(
        rt(hypot_reduce), sig, nondiff=nd, zero_in=("where",),
        a=f"_srcad.root_d2_check(_srcad.expand_reduced(g, a, axis, keepdims) * "
        f"_srcad.div0(a, {r}) * where, {r}, a * where, ())",
    )  # fmt: skip
    defzero_helper(jvp, vjp, take_index, correlate_same, ediff_dtype)
    _take_pad_rules(jvp, vjp)
    _polyfit_rules(jvp, vjp)
    _gradient_rules(jvp, vjp)
    _lae_rules(jvp, vjp)
    # x.tolist(): nested lists of Python floats, each carrying its element's derivative
    jvp.defjvp("method.tolist", "x", x="_srcad.tolist(dx)")
    vjp.defvjp("method.tolist", "x", x="_srcad.tolist_vjp(g, x)")
    jvp.defjvp(rt(tolist), "x", x="_srcad.tolist(dx)")
    vjp.defvjp(rt(tolist), "x", x="_srcad.tolist_vjp(g, x)")
    jvp.defjvp(rt(tolist_vjp), "t, x", zero_in=("x",), t="_srcad.tolist_vjp(dt, x)")
    vjp.defvjp(rt(tolist_vjp), "t, x", zero_in=("x",), t="_srcad.tolist(g)")
    jvp.defjvp(rt(cov_rows), "m, rowvar", nondiff=("rowvar",), m="_srcad.cov_rows(dm, rowvar)")
    vjp.defvjp(
        rt(cov_rows), "m, rowvar", nondiff=("rowvar",), m="_srcad.cov_rows_vjp(g, m, rowvar)"
    )
    sig, nd = "t, m, rowvar", ("m", "rowvar")  # m: only its shape is read
    jvp.defjvp(rt(cov_rows_vjp), sig, **marks(nd), t="_srcad.cov_rows_vjp(dt, m, rowvar)")
    vjp.defvjp(rt(cov_rows_vjp), sig, **marks(nd), t="_srcad.cov_rows(g, rowvar)")


@helper
def diff_edge(p, shape, axis):
    """`p` as ``np.diff(a, prepend=p)`` joins it to `a` (of shape `shape`) along `axis`: a scalar
    broadcast to one slice, an array as it is; None: an empty slice."""
    if p is None or np.ndim(p) == 0:
        edge = list(shape)
        edge[axis] = 0 if p is None else 1
        return np.broadcast_to(np.asarray(0.0 if p is None else p), tuple(edge)).copy()
    return p


@helper
def ediff_dtype(ary, to_begin, to_end):
    """The dtype of ``np.ediff1d(ary, to_end, to_begin)``: `ary`'s (NumPy casts the edges to
    it), after NumPy's checks: a TypeError for an edge that does not cast to it under the
    same_kind rule (floats for an int array), or for a bool `ary` (no subtract)."""
    dt = np.asarray(ary).dtype
    for name, e in (("to_begin", to_begin), ("to_end", to_end)):
        if e is not None and not np.can_cast(np.asanyarray(e), dt, casting="same_kind"):
            raise TypeError(
                f"dtype of `{name}` must be compatible with input `ary` under the `same_kind` rule."
            )
    if dt == np.bool_:
        np.subtract(ary[1:], ary[:-1])  # (NumPy's TypeError: no boolean subtract)
    return dt


def _ext_weights(a, axis, kind):
    """(W, ax): W[..., k, j] the weight of a[..., j] in the running extreme number k along the
    (moved last) axis `ax`: 1/count on the elements so far that tie it, 0 elsewhere."""
    x = real_operand(a, f"np.{kind}.accumulate")
    ax = axis % x.ndim
    xs = np.moveaxis(x, ax, -1)
    ys = getattr(np, kind).accumulate(xs, axis=-1)
    n = xs.shape[-1]
    mask = (xs[..., None, :] == ys[..., :, None]) & np.tri(n, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        return mask / np.sum(mask, axis=-1, keepdims=True), ax


_HYPOT_R = "_srcad.expand_reduced(ans, a, axis, keepdims)"


@helper
def hypot_reduce(a, axis=0, dtype=None, keepdims=False, initial=None, where=True):
    """``np.hypot.reduce(a, axis, dtype, keepdims=, initial=, where=)`` (lower/values.py's
    `UFUNC_METHODS`): the 2-norm along `axis`, without overflow."""
    kw = {} if initial is None else {"initial": initial}
    return np.hypot.reduce(a, axis=axis, dtype=dtype, keepdims=keepdims, where=where, **kw)


@helper
def ext_accumulate(a, axis, kind):
    """``np.maximum.accumulate(a, axis)`` (`kind` 'maximum'), ``np.minimum.accumulate``, or
    ``np.fmax``/``np.fmin``'s (NaNs skipped: a NaN never ties the running extreme, so it gets no
    derivative unless every element so far is NaN, where the value is NaN too)."""
    return getattr(np, kind).accumulate(a, axis=axis)


@helper
def ext_accum_apply(t, a, axis, kind, transpose):
    """The tangent of ``ext_accumulate(a, axis, kind)`` in the direction `t` (its transpose, the
    cotangent of `a`, when `transpose`): linear in `t`."""
    W, ax = _ext_weights(a, axis, kind)
    ts = real_part(t) if transpose else real_operand(t, f"np.{kind}.accumulate")
    ts = np.moveaxis(ts, ax, -1)
    r = np.einsum("...kj,...k->...j" if transpose else "...kj,...j->...k", W, ts)
    return _like_input(np.moveaxis(r, -1, ax), a)


@helper
def take_index(indices, shape, axis, mode):
    """The indices ``np.take(a, indices, axis, mode=mode)`` reads of an `a` of shape `shape`
    ('wrap': modulo the length, 'clip': clipped to [0, n-1], negative ones included)."""
    if mode == "raise":
        return indices
    n = int(np.prod(shape)) if axis is None else shape[axis]
    if mode == "wrap":
        return np.mod(indices, n)
    if mode == "clip":
        return np.clip(indices, 0, n - 1)
    raise ValueError(f"clipmode not understood: {mode!r}")


@helper
def pad_const(t, shape, pad_width):
    """``np.pad(zeros(shape), pad_width, constant_values=t)``: the border alone (linear in t)."""
    return np.pad(np.zeros(shape), pad_width, "constant", constant_values=t)


@helper
def pad_const_vjp(g, shape, pad_width, like):
    """The transpose of `pad_const` (in the shape of `like`, the constant values)."""
    lk = np.asarray(like)  # (its shape)
    g = np.asarray(g)  # complex: linear, no conjugate
    out = np.zeros(lk.shape, np.result_type(g, float))
    for k in range(lk.size):
        e = np.zeros(lk.shape)
        e.flat[k] = 1.0
        out.flat[k] = np.sum(g * pad_const(e, shape, pad_width))
    return _like_input(out, like)


_PAD = (
    "array, pad_width, mode='constant', *, constant_values=0, end_values=0, stat_length=None, "
    "reflect_type='even'"
)
_PADKW = "_srcad.pad_kw(mode, stat_length, reflect_type)"


def _take_pad_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    # The array's tangent pads with zeros (constant mode) or as the array (the other linear
    # modes; 'maximum', 'minimum', 'median': with the statistic's weights, rules/pad_modes.py);
    # the constant values (given with mode='constant' only) fill the border. An active
    # `end_values` (mode='linear_ramp') has no term: refused.
    jvp.defjvp(
        "numpy.pad", _PAD, nondiff=("pad_width", "mode", "stat_length", "reflect_type"),
        array=f"_srcad.pad_jvp(darray, array, pad_width, mode, {_PADKW})",
        constant_values="_srcad.pad_const(dconstant_values, np.shape(array), pad_width)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.pad", _PAD, nondiff=("pad_width", "mode", "stat_length", "reflect_type"),
        array=f"_srcad.pad_vjp(g, array, pad_width, mode, {_PADKW})",
        constant_values="_srcad.pad_const_vjp(g, np.shape(array), pad_width, constant_values)",
    )  # fmt: skip
    sig = "t, shape, pad_width"
    nd = ("shape", "pad_width")
    jvp.defjvp(rt(pad_const), sig, nondiff=nd, t="_srcad.pad_const(dt, shape, pad_width)")
    vjp.defvjp(rt(pad_const), sig, nondiff=nd, t="_srcad.pad_const_vjp(g, shape, pad_width, t)")
    sig = "t, shape, pad_width, like"
    nd = ("shape", "pad_width", "like")  # like: only its shape is read
    jvp.defjvp(
        rt(pad_const_vjp), sig, **marks(nd), t="_srcad.pad_const_vjp(dt, shape, pad_width, like)"
    )
    vjp.defvjp(rt(pad_const_vjp), sig, **marks(nd), t="_srcad.pad_const(g, shape, pad_width)")


@helper
def cov_rows(m, rowvar):
    """The variables of ``np.cov(m, rowvar=rowvar)`` as rows: `m` at least 2-D, transposed when
    not `rowvar` (unless it has one row), as NumPy takes them (at least float64: NumPy computes
    the covariance of float32 or integer data in float64)."""
    X = np.array(m, ndmin=2, dtype=np.result_type(np.asarray(m), np.float64))
    if X.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    if np.iscomplexobj(X):  # NumPy's covariance conjugates; srcad's lowering does not
        raise complex_refusal("np.cov / np.corrcoef")
    return X if rowvar or X.shape[0] == 1 else X.T


@helper
def cov_rows_vjp(g, m, rowvar):
    """Cotangent of `m` for ``cov_rows(m, rowvar)`` (the transpose: back to m's shape)."""
    X = np.array(m, ndmin=2)
    g = np.asarray(g)  # complex: a transpose, no conjugate
    g = g if rowvar or X.shape[0] == 1 else g.T
    return _like_input(np.reshape(g, np.shape(m)), m)


# -- polyfit: linear in y for fixed x and w (x and w have no term: refused when active) -------
_PF = "x, y, deg, rcond=None, full=False, w=None, cov=False"
_PFA = "deg, rcond, full, w, cov"


def _plain_fit(full, cov):
    if full or cov:
        raise _unsupported("np.polyfit with full=True or cov=True has no derivative rule")


@helper
def polyfit_lin(t, x, deg, rcond, full, w, cov):
    """``np.polyfit(x, t, deg, rcond, w=w)``: the coefficients' tangent for a tangent `t` of y."""
    _plain_fit(full, cov)
    return np.polyfit(x, real_operand(t, "np.polyfit"), deg, rcond, w=w)


@helper
def polyfit_vjp(g, x, like, deg, rcond, full, w, cov):
    """Cotangent of y (shaped like `like`) for ``np.polyfit(x, y, deg, rcond, w=w)``."""
    _plain_fit(full, cov)
    n = len(np.asarray(x))
    P = np.polyfit(x, np.eye(n), deg, rcond, w=w)  # column k: the fit of the k-th unit vector
    return _like_input(np.reshape(P.T @ real_part(g), np.shape(like)), like)


def _polyfit_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    nd, z = ("deg", "full", "cov"), ("rcond",)  # rcond: the rank cutoff, piecewise constant
    jvp.defjvp("numpy.polyfit", _PF, nondiff=nd, zero_in=z, y=f"_srcad.polyfit_lin(dy, x, {_PFA})")
    vjp.defvjp(
        "numpy.polyfit", _PF, nondiff=nd, zero_in=z, y=f"_srcad.polyfit_vjp(g, x, y, {_PFA})"
    )
    sig = f"t, x, {_PFA}"
    jvp.defjvp(rt(polyfit_lin), sig, nondiff=nd, zero_in=z, t=f"_srcad.polyfit_lin(dt, x, {_PFA})")
    vjp.defvjp(
        rt(polyfit_lin), sig, nondiff=nd, zero_in=z, t=f"_srcad.polyfit_vjp(g, x, t, {_PFA})"
    )
    sig = f"t, x, like, {_PFA}"
    z = (*z, "like")  # like: only its shape is read
    jvp.defjvp(rt(polyfit_vjp), sig, nondiff=nd, zero_in=z,
               t=f"_srcad.polyfit_vjp(dt, x, like, {_PFA})")  # fmt: skip
    vjp.defvjp(rt(polyfit_vjp), sig, nondiff=nd, zero_in=z, t=f"_srcad.polyfit_lin(g, x, {_PFA})")


# -- np.gradient over several axes: a tuple, one gradient_apply per axis ------------------------
def _gradient_axes(f, varargs, axis):
    """(axes in NumPy's order, the spacing arguments of each axis)."""
    nd = np.ndim(f)
    if axis is None:
        axes = tuple(range(nd))
    elif isinstance(axis, (tuple, list)):
        axes = tuple(int(a) % nd for a in axis)
    else:
        axes = (int(axis) % nd,)
    if len(varargs) == 0:
        return axes, [()] * len(axes)
    if len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        return axes, [tuple(varargs)] * len(axes)
    if len(varargs) != len(axes):
        raise TypeError("invalid number of arguments")
    return axes, [(v,) for v in varargs]


@helper
def gradient_jvp(t, f, varargs, axis, edge_order):
    """``np.gradient(t, *varargs, axis=axis, edge_order=edge_order)`` for the spacing of `f`: an
    array for one axis, a tuple of arrays for several (linear in t)."""
    axes, sp = _gradient_axes(f, varargs, axis)
    outs = [gradient_apply(t, f, s, ax, edge_order, False) for ax, s in zip(axes, sp)]
    return outs[0] if len(outs) == 1 else tuple(outs)


@helper
def gradient_vjp(g, f, varargs, axis, edge_order):
    """Cotangent of `f` for ``np.gradient(f, ...)``: the transposes summed over the axes (`g` a
    tuple of cotangents for several axes)."""
    axes, sp = _gradient_axes(f, varargs, axis)
    if len(axes) == 1:
        return gradient_apply(g, f, sp[0], axes[0], edge_order, True)
    out = None
    for k, (ax, s) in enumerate(zip(axes, sp)):
        gk = g[k]
        if gk is None:
            continue
        term = gradient_apply(gk, f, s, ax, edge_order, True)
        out = term if out is None else out + term
    return elem((out,), 0, f)


def _gradient_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    sig = "t, f, varargs, axis, edge_order"
    nd = ("axis", "edge_order")  # varargs: no term (refused when active)
    args = "f, varargs, axis, edge_order"
    jvp.defjvp(
        rt(gradient_jvp), sig, nondiff=nd,
        t=f"_srcad.gradient_jvp(dt, {args})", f="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(gradient_jvp), sig, nondiff=nd,
        t=f"_srcad.gradient_vjp(g, {args})", f="_srcad.zeros_like(f)",
    )  # fmt: skip
    jvp.defjvp(
        rt(gradient_vjp), sig, nondiff=nd,
        t=f"_srcad.gradient_vjp(dt, {args})", f="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(gradient_vjp), sig, nondiff=nd,
        t=f"_srcad.gradient_jvp(g, {args})", f="_srcad.zeros_like(f)",
    )  # fmt: skip


# -- ndarray.tolist ---------------------------------------------------------------------------
@helper
def tolist(x):
    """``x.tolist()`` of an array (or of a NumPy/Python number): nested lists of Python numbers."""
    return np.asarray(x).tolist()


def _dense(g, shape):
    """A (nested) list cotangent for an array of `shape` as floats, a missing (None) entry (an
    element or a whole row no output reached) as zeros of that entry's shape."""
    if g is None:
        return np.zeros(shape)
    if type(g) is list or type(g) is tuple:
        return [_dense(e, shape[1:]) for e in g]
    return g


@helper
def tolist_vjp(g, x):
    """Cotangent of `x` for ``x.tolist()``: the nested list `g` as an array of x's shape."""
    d = np.asarray(_dense(g, np.shape(x)))
    r = np.reshape(d.astype(np.result_type(d, float)), np.shape(x))  # complex: kept
    return _like_input(r, x)


@helper
def correlate_same(na, nv):
    """The slice of the full correlation (``np.convolve(a, v[::-1])``) that
    ``np.correlate(a, v, 'same')`` returns, for lengths `na`, `nv`."""
    if na >= nv:
        start = (nv - 1) // 2
    else:
        start = na - 1 - (na - 1) // 2
    return slice(start, start + max(na, nv))


# -- np.logaddexp.reduce: a stable logsumexp without scipy ------------------------------------
def _lae_operand(a):
    """`a` in at least float64 precision (longdouble stays longdouble), and the dtype of NumPy's
    ``np.logaddexp`` of it (float32 stays float32, float16 float16, integers as NumPy's loops)."""
    if np.iscomplexobj(a):
        raise complex_refusal("np.logaddexp.reduce")
    a = np.asarray(a)
    dt = np.result_type(a, np.float16)
    return a.astype(np.result_type(dt, np.float64), copy=False), dt


def _lse(a, axis):
    """``m + log(sum(exp(a - m)))`` along `axis`, keepdims, with m the finite maximum (no
    overflow; all -inf gives -inf, an inf or NaN propagates)."""
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m


@helper
def lae_reduce(a, axis, keepdims):
    """``np.logaddexp.reduce(a, axis, keepdims=keepdims)``, a stable logsumexp computed in at
    least float64 and returned in NumPy's dtype (a float32 `a` gives float32)."""
    w, dt = _lae_operand(a)
    if w.size == 0:
        return np.logaddexp.reduce(np.asarray(a), axis=axis, keepdims=keepdims)
    r = _lse(w, axis).astype(dt, copy=False)
    if not keepdims:
        r = np.squeeze(r, axis=axis) if axis is not None else r.reshape(())
    return r if np.ndim(r) else r[()]


@helper
def lae_w(a, axis):
    """The weights ``exp(a - logsumexp(a, axis))`` (the softmax along `axis`): d lae_reduce / da,
    in the dtype of the reduction's value."""
    a, dt = _lae_operand(a)
    if a.size == 0:  # (no element, no weight: NumPy's reduction of nothing is -inf)
        return np.zeros(a.shape, dt)
    with np.errstate(invalid="ignore", over="ignore"):
        w = np.exp(a - _lse(a, axis))
    # -inf terms weigh 0, also when all are -inf (exp(-inf - -inf) would be nan)
    return np.where(np.isneginf(a), 0.0, w).astype(dt, copy=False)


_W = "_srcad.lae_w(a, axis)"


def _lae_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    sig, nd = "a, axis, keepdims", ("axis", "keepdims")
    jvp.defjvp(
        rt(lae_reduce), sig, nondiff=nd, a=f"np.sum({_W} * da, axis=axis, keepdims=keepdims)"
    )
    vjp.defvjp(
        rt(lae_reduce), sig, nondiff=nd, a=f"_srcad.expand_reduced(g, a, axis, keepdims) * {_W}"
    )
    # the softmax's Jacobian diag(w) - w w^T (along axis) is symmetric: the same map both ways
    jvp.defjvp(
        rt(lae_w), "a, axis", nondiff=('axis',),
        a=f"{_W} * (da - np.sum({_W} * da, axis=axis, keepdims=True))",
    )  # fmt: skip
    vjp.defvjp(
        rt(lae_w), "a, axis", nondiff=('axis',),
        a=f"{_W} * (g - np.sum({_W} * g, axis=axis, keepdims=True))",
    )  # fmt: skip
