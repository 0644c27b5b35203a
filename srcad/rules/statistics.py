"""Statistics: the NaN-skipping reductions (nansum, nanmean, nanvar, nanstd), ``np.average``, and
the runtime helpers of ``var``/``std`` (whose rules are in `srcad.rules.reductions`).

Input: the `RuleTable` pair. Output: the tables filled with those rules; the helpers
(``_srcad.<name>``) leave NaN entries out and give ``std`` its minimum-norm subgradient 0 where
the data are constant. Example (``np.nanmean(a)``)::

    vjp: ba = _srcad.nanmean_vjp(g, a, axis, keepdims)
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import asarray, is_duck_array, real_operand
from srcad.rules.emptyslices import ct_over, over
from srcad.rules.helpers import deflinear_helper, helper, marks, rt
from srcad.rules.reductions import (
    _axes,
    _expand,
    _like_input,
    cast,
    ddof_terms,
    expand_reduced,
    mean_vjp,
    where_initial,
)
from srcad.rules.trees import unbroadcast


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the NaN-skipping reductions' and ``np.average``'s rules."""
    _nan_reductions(jvp, vjp)
    sig = "a, axis=None, weights=None, *, keepdims=False"
    jvp.defjvp(
        "numpy.average", sig,
        nondiff=("axis", "keepdims"),
        a="np.average(da, axis=axis, weights=weights, keepdims=keepdims)",
        weights="_srcad.average_jvp_w(dweights, a, axis, weights, ans, keepdims)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.average", sig,
        nondiff=("axis", "keepdims"),
        a="_srcad.average_vjp_a(g, a, axis, weights, keepdims)",
        weights="_srcad.average_vjp_w(g, a, axis, weights, ans, keepdims)",
    )  # fmt: skip
    _helper_rules(jvp, vjp)


_NAN_DA = "np.where(np.isnan(a), np.nan, da)"


def _nan_reductions(jvp: RuleTable, vjp: RuleTable) -> None:
    """nansum, nanmean, nanvar, nanstd: the NaN entries get no derivative."""
    sig = "a, axis=None, dtype=None, out=None, keepdims=False"
    nondiff = ("axis", "dtype", "out", "keepdims")
    wsig = f"{sig}, initial=None, where=True"  # (nansum's where/initial: np.sum's, NaNs as 0)
    jt = "np.sum(np.where(np.isnan(a), 0.0, da), axis=axis, keepdims=keepdims[[, where=where]])"
    vt = f"np.where(np.isnan(a), 0.0, _srcad.sum_vjp({cast('g')}, a, axis, keepdims[[, where]]))"
    jvp.defjvp(
        "numpy.nansum", wsig,
        nondiff=nondiff,
        a=cast(where_initial(jt, True)),
        initial=cast("dinitial * np.ones_like(ans)"),
    )  # fmt: skip
    vjp.defvjp(
        "numpy.nansum", wsig,
        nondiff=nondiff,
        a=where_initial(vt, True),
        initial=f"_srcad.unbroadcast({cast('g')}, initial)",
    )  # fmt: skip
    jvp.defjvp(
        "numpy.nanmean", f"{sig}, *, where=True",
        nondiff=nondiff,
        a=where_initial(f"np.nanmean({_NAN_DA}, axis=axis, keepdims=keepdims[[, where=where]])", False),
    )  # fmt: skip
    vjp.defvjp(
        "numpy.nanmean", f"{sig}, *, where=True",
        nondiff=nondiff,
        a=where_initial("_srcad.nanmean_vjp(g, a, axis, keepdims[[, where]])", False),
    )  # fmt: skip
    sig = "a, axis=None, dtype=None, out=None, ddof=0, keepdims=False"
    nondiff = ("axis", "dtype", "out", "keepdims")
    dj, dv = ddof_terms("var", "a", nan=True)
    jvp.defjvp(
        "numpy.nanvar", sig,
        nondiff=nondiff, a="_srcad.nanvar_jvp(da, a, axis, ddof, keepdims)", ddof=dj,
    )  # fmt: skip
    vjp.defvjp(
        "numpy.nanvar", sig,
        nondiff=nondiff, a="_srcad.nanvar_vjp(g, a, axis, ddof, keepdims)", ddof=dv,
    )  # fmt: skip
    dj, dv = ddof_terms("std", "a", nan=True)
    jvp.defjvp(
        "numpy.nanstd", sig,
        nondiff=nondiff,
        a="_srcad.std_d2_check(_srcad.nanvar_jvp(da, a, axis, ddof, keepdims) * "
        "_srcad.std_scale(a, axis, keepdims, ans, True), a, axis, keepdims, ans, da, "
        "~np.isnan(a))",  # (its second order checked at constant data: rules/root_at0.py)
        ddof=dj,
    )  # fmt: skip
    vjp.defvjp(
        "numpy.nanstd", sig,
        nondiff=nondiff,
        a="_srcad.std_adj_check(_srcad.nanvar_vjp(g * _srcad.std_scale(a, axis, keepdims, ans, "
        "True), a, axis, ddof, keepdims), a, axis, keepdims, ans, ~np.isnan(a))",
        ddof=dv,
    )  # fmt: skip


@helper
def var_jvp(da, a, axis=None, ddof=0, keepdims=False):
    """Tangent of ``np.var(a, axis, ddof=ddof, keepdims=keepdims)``."""
    shape = np.shape(a)
    n = math.prod(shape[i] for i in _axes(axis, len(shape)))
    centered = a - np.mean(a, axis=axis, keepdims=True)
    if np.iscomplexobj(centered):  # mean |a - mean|^2: Re(conj(c) da) (srcad.rules.numpy_fft)
        out = 2.0 * np.sum(np.real(np.conj(centered) * da), axis=axis, keepdims=keepdims)
        return over(out, n - ddof)
    return over(2.0 * np.sum(centered * da, axis=axis, keepdims=keepdims), n - ddof)


@helper
def var_vjp(g, a, axis=None, ddof=0, keepdims=False):
    """Cotangent of `a` for ``np.var(a, axis, ddof=ddof, keepdims=keepdims)``."""
    shape = np.shape(a)
    n = math.prod(shape[i] for i in _axes(axis, len(shape)))
    centered = a - np.mean(a, axis=axis, keepdims=True)
    if np.iscomplexobj(centered):  # Re(g) conj(c): see var_jvp
        g, centered = np.real(g), np.conj(centered)
    if n - ddof > 0:
        return _like_input(expand_reduced(g, a, axis, keepdims) * centered * (2.0 / (n - ddof)), a)
    # no degrees of freedom: NumPy's var is inf (`srcad.rules.emptyslices`)
    return _like_input(ct_over(expand_reduced(g, a, axis, keepdims), None, 0) * centered, a)


@helper
def std_scale(a, axis=None, keepdims=False, ans=0.0, nan=False):
    """``1 / (2 std)`` (``d std = d var / (2 std)``), 0 where the std is 0 or at the rounding
    level of the data: constant data up to rounding, whose minimum-norm subgradient is 0 (the
    formula would divide rounding noise by rounding noise)."""
    arr = np.abs(asarray(a))
    if nan:
        n = np.sum(~np.isnan(arr), axis=axis, keepdims=keepdims)
        big = np.nanmax(arr, axis=axis, keepdims=keepdims, initial=0.0)
    else:
        shape = np.shape(a)
        n = math.prod(shape[i] for i in _axes(axis, len(shape)))
        kw = {} if is_duck_array(arr) else {"initial": 0.0}  # Dask's max has none; arr >= 0
        big = np.max(arr, axis=axis, keepdims=keepdims, **kw)
    tol = 8.0 * n * np.finfo(float).eps * big
    ans = asarray(ans)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(ans <= tol, 0.0, 0.5 / np.where(ans <= tol, 1.0, ans))
    # an inf/NaN std (no degrees of freedom left): 1, so that the var helpers see whether the
    # cotangent is 0 and give NaN where it is not (`srcad.rules.emptyslices`)
    out = np.where(np.isfinite(ans), out, 1.0)
    return out[()] if out.ndim == 0 else out


@helper
def ddof_factor(a, axis=None, ddof=0, keepdims=False, nan=False):
    """``1 / (n - ddof)`` per reduced slice (``n`` counts the non-NaN entries when `nan`): the
    derivative of ``np.var`` with respect to `ddof` is ``ans * ddof_factor(...)``."""
    if nan:
        n = np.sum(~np.isnan(np.asarray(a)), axis=axis, keepdims=keepdims)
    else:
        shape = np.shape(a)
        n = math.prod(shape[i] for i in _axes(axis, len(shape)))
    return over(1.0, np.subtract(n, ddof))  # (none left: NaN, `srcad.rules.emptyslices`)


@helper
def nanvar_jvp(da, a, axis=None, ddof=0, keepdims=False):
    """Tangent of ``np.nanvar(a, axis, ddof=ddof, keepdims=keepdims)`` (NaNs left out)."""
    a = real_operand(a, "np.nanvar")
    keep = ~np.isnan(a)
    n = np.sum(keep, axis=axis, keepdims=keepdims)
    centered = np.where(keep, a - np.nanmean(a, axis=axis, keepdims=True), 0.0)
    out = 2.0 * np.sum(centered * np.where(keep, da, 0.0), axis=axis, keepdims=keepdims)
    return over(out, n - ddof)  # (NaN where none are left: NumPy's nanvar is)


@helper
def nanvar_vjp(g, a, axis=None, ddof=0, keepdims=False):
    """Cotangent of `a` for ``np.nanvar(a, axis, ddof=ddof, keepdims=keepdims)``."""
    arr = real_operand(a, "np.nanvar")
    keep = ~np.isnan(arr)
    n = np.sum(keep, axis=axis, keepdims=True)
    centered = np.where(keep, arr - np.nanmean(arr, axis=axis, keepdims=True), 0.0)
    e = expand_reduced(g, arr, axis, keepdims)
    return _like_input(ct_over(e, None, n - ddof) * centered * 2.0, a)


@helper
def nanmean_vjp(g, a, axis=None, keepdims=False, where=True):
    """Cotangent of `a` for ``np.nanmean(a, axis, keepdims=keepdims, where=where)``."""
    arr = np.asarray(a)  # complex: linear, kept
    keep = ~np.isnan(arr)
    if where is not True:  # (None: NumPy's False)
        keep = keep & np.broadcast_to(np.asarray(where, bool), arr.shape)
    n = np.sum(keep, axis=axis, keepdims=True)  # (an all-NaN slice: NaN, as its mean)
    return _like_input(ct_over(expand_reduced(g, arr, axis, keepdims), keep, n), a)


def _average_axes(w, a, axis):
    """The axes of `a` that ``np.average``'s `w` runs along, in `w`'s order; None when `w` has
    `a`'s shape. NumPy takes a `w` of another shape as laid along `axis` (an int or a tuple,
    in the tuple's order: ``axis=(2, 1)`` wants ``w.shape == (a.shape[2], a.shape[1])``)."""
    if np.shape(w) == np.shape(a):
        return None
    nd = np.ndim(a)
    return tuple(int(k) % nd for k in (axis if isinstance(axis, (tuple, list)) else (axis,)))


def _average_w(weights, a, axis):
    """`weights` of ``np.average`` broadcast against `a` (they may run along `axis` only)."""
    w = np.asarray(weights)
    axes = _average_axes(w, a, axis)
    if axes is None:
        return w
    w = np.transpose(w, np.argsort(axes))
    return w.reshape([np.shape(a)[k] if k in axes else 1 for k in range(np.ndim(a))])


def _average_w_back(t, weights, a, axis):
    """`t`, shaped as `_average_w` shapes `weights`, in the shape of `weights` (its inverse)."""
    axes = _average_axes(weights, a, axis)
    if axes is None:
        return np.reshape(t, np.shape(weights))
    t = np.reshape(t, [np.shape(a)[k] for k in sorted(axes)])
    return np.transpose(t, np.argsort(np.argsort(axes)))


@helper
def average_weights(w, a, axis):
    """The weights of ``np.average(a, axis, w)`` broadcast to the shape of `a` (linear in w)."""
    return np.broadcast_to(_average_w(w, a, axis), np.shape(a))


@helper
def average_weights_t(t, w, a, axis):
    """The transpose of `average_weights`: `t` (shaped like `a`) summed to the shape of `w`."""
    return _average_w_back(unbroadcast(t, _average_w(w, a, axis)), w, a, axis)


@helper
def average_jvp_w(dw, a, axis, weights, ans, keepdims=False):
    """Tangent of ``np.average(a, axis, weights)`` from the weights' tangent `dw`."""
    w = _average_w(weights, a, axis)
    dw = _average_w(dw, a, axis)
    centered = a - _expand(ans, np.shape(a), axis, keepdims)
    total = np.sum(np.broadcast_to(w, np.shape(a)), axis=axis, keepdims=keepdims)
    return np.sum(dw * centered, axis=axis, keepdims=keepdims) / total


@helper
def average_vjp_a(g, a, axis, weights, keepdims=False):
    """Cotangent of `a` for ``np.average(a, axis, weights)``."""
    if weights is None:
        return mean_vjp(g, a, axis, keepdims)
    w = np.broadcast_to(_average_w(weights, a, axis), np.shape(a))
    return expand_reduced(g, a, axis, keepdims) * w / np.sum(w, axis=axis, keepdims=True)


@helper
def average_vjp_w(g, a, axis, weights, ans, keepdims=False):
    """Cotangent of `weights` for ``np.average(a, axis, weights)``."""
    w = _average_w(weights, a, axis)
    shape = np.shape(a)
    centered = a - _expand(ans, shape, axis, keepdims)
    total = np.sum(np.broadcast_to(w, shape), axis=axis, keepdims=True)
    gw = expand_reduced(g, a, axis, keepdims) * centered / total
    return _average_w_back(unbroadcast(gw, w), weights, a, axis)


def _var_helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """var_jvp(t, a) = 2 sum(P(a) t) / (n - ddof) and var_vjp(t, a) = 2 E(t) P(a) / (n - ddof),
    with P the centering along `axis` (a symmetric projection; E(t), constant along `axis`,
    commutes with it): both are bilinear in (t, a), each the other's transpose in t, and the
    cotangent of `a` is the other helper on (t, g). A float `ddof`: d/dddof = ans / (n - ddof).
    The NaN versions mask `a`'s NaNs into the tangent they center (the mask is locally constant).
    """
    for fn, other, nan in (
        (var_jvp, var_vjp, False),
        (var_vjp, var_jvp, False),
        (nanvar_jvp, nanvar_vjp, True),
        (nanvar_vjp, nanvar_jvp, True),
    ):
        name, oname = f"_srcad.{fn.__name__}", f"_srcad.{other.__name__}"
        sig = "t, a, axis=None, ddof=0, keepdims=False"
        nondiff = ("axis", "keepdims")
        reduced = fn in (var_jvp, nanvar_jvp)
        da = "np.where(np.isnan(a), np.nan, da)" if nan else "da"
        ga = "np.where(np.isnan(a), np.nan, g)" if nan else "g"
        factor = f"_srcad.ddof_factor(a, axis, ddof, {reduced and 'keepdims' or 'True'}, {nan})"
        jvp.defjvp(
            rt(fn), sig, nondiff=nondiff,
            t=f"{name}(dt, a, axis, ddof, keepdims)",
            a=f"{name}(t, {da}, axis, ddof, keepdims)",
            ddof=f"dddof * ans * {factor}",
        )  # fmt: skip
        vjp.defvjp(
            rt(fn), sig, nondiff=nondiff,
            t=f"{oname}(g, a, axis, ddof, keepdims)",
            a=(f"{oname}(g, {'np.where(np.isnan(a), np.nan, t)' if nan else 't'}, axis, ddof, "
               "keepdims)" if reduced else f"{name}(t, {ga}, axis, ddof, keepdims)"),
            ddof=f"_srcad.unbroadcast(np.sum(g * ans * {factor}), ddof)",
        )  # fmt: skip


@helper
def nan_unless(a, where):
    """``np.where(where, a, nan)``: the items ``np.nanvar(a, where=where)`` (nanstd) leaves out,
    made NaN so that it skips them (`lower/library_np.var_correction`). Its derivative in `a` is
    the product by `where`, not a select: a slice left empty, whose variance and derivative are
    NaN, sends NaN to its items in both modes, as ``np.var(a, where=where)``'s does."""
    return np.where(where, a, np.nan)


def _helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the statistics helpers (the NaN positions and counts are locally constant)."""
    _var_helper_rules(jvp, vjp)
    _average_helper_rules(jvp, vjp)
    jvp.defjvp(rt(nan_unless), "a, where", **marks(("where",)), a="da * where")
    vjp.defvjp(
        rt(nan_unless), "a, where", **marks(("where",)), a="_srcad.unbroadcast(g * where, a)"
    )
    deflinear_helper(
        jvp, vjp, nanmean_vjp, "t, a, axis=None, keepdims=False, where=True",
        "_srcad.nanmean_vjp(dt, a, axis, keepdims, where)",
        "np.nanmean(np.where(np.isnan(a), np.nan, g), axis=axis, keepdims=keepdims, where=where)",
    )  # fmt: skip
    # std_scale = 0.5 / s (0 below the rounding level of the data, a locally constant test);
    # the constant 1 where s is inf/NaN (no degrees of freedom) has derivative 0 there: the NaN
    # tangent of such an s must not reach a slice whose cotangent is 0 (0 * NaN)
    sig = "a, axis=None, keepdims=False, s=0.0, nan=False"
    nondiff = ("a", "axis", "keepdims", "nan")
    jvp.defjvp(
        rt(std_scale), sig, **marks(nondiff),
        s="np.where(np.isfinite(s), -2.0 * ds * ans * ans, 0.0)",
    )  # fmt: skip
    vjp.defvjp(
        rt(std_scale), sig, **marks(nondiff),
        s="_srcad.unbroadcast(np.where(np.isfinite(s), -2.0 * g * ans * ans, 0.0), s)",
    )  # fmt: skip
    # ddof_factor = 1 / (n - ddof), n a count
    sig = "a, axis=None, ddof=0, keepdims=False, nan=False"
    nondiff = ("a", "axis", "keepdims", "nan")
    jvp.defjvp(rt(ddof_factor), sig, **marks(nondiff), ddof="dddof * ans * ans")
    vjp.defvjp(
        rt(ddof_factor), sig, **marks(nondiff), ddof="_srcad.unbroadcast(g * ans * ans, ddof)"
    )


def _average_helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of np.average's helpers, with W(x) = average_weights(x, a, axis) (linear; WT its
    transpose), E the broadcast of a reduced value back over `axis`, T = sum(W(w)) over `axis`
    and c = a - E(m) (m the average): average_jvp_w(t) = sum(W(t) c) / T, average_vjp_a(t) =
    E(t) W(w) / T (the mean's when w is None), average_vjp_w(t) = WT(E(t) c / T)."""
    deflinear_helper(
        jvp, vjp, average_weights, "w, a, axis",
        "_srcad.average_weights(dw, a, axis)", "_srcad.average_weights_t(g, w, a, axis)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, average_weights_t, "t, w, a, axis",
        "_srcad.average_weights_t(dt, w, a, axis)", "_srcad.average_weights(g, a, axis)",
    )  # fmt: skip

    def W(x: str) -> str:
        return f"_srcad.average_weights({x}, a, axis)"

    def WT(x: str) -> str:
        return f"_srcad.average_weights_t(np.broadcast_to({x}, np.shape(a)), w, a, axis)"

    def E(x: str) -> str:
        return f"_srcad.expand_reduced({x}, a, axis, keepdims)"

    def R(x: str, keep: str = "keepdims") -> str:
        return f"np.sum({x}, axis=axis, keepdims={keep})"

    tt, t_ = R(W("w"), "True"), R(W("w"))
    c = f"(a - {E('m')})"
    sig, nondiff = "t, a, axis, w, m, keepdims=False", ("axis", "keepdims")
    jvp.defjvp(
        rt(average_jvp_w), sig, nondiff=nondiff,
        t="_srcad.average_jvp_w(dt, a, axis, w, m, keepdims)",
        a=f"{R(W('t') + ' * da')} / {t_}",
        m=f"-{R(W('t') + ' * ' + E('dm'))} / {t_}",
        w=f"-ans * {R(W('dw'))} / {t_}",
    )  # fmt: skip
    vjp.defvjp(
        rt(average_jvp_w), sig, nondiff=nondiff,
        t="_srcad.average_vjp_w(g, a, axis, w, m, keepdims)",
        a=f"{E(f'g / {t_}')} * {W('t')}",
        m=f"-{R(W('t') + ' * ' + E('g'))} / {t_}",
        w=WT(E(f"-g * ans / {t_}")),
    )  # fmt: skip
    jvp.defjvp(
        rt(average_vjp_w), sig, nondiff=nondiff,
        t="_srcad.average_vjp_w(dt, a, axis, w, m, keepdims)",
        a=WT(f"{E('t')} * da / {tt}"),
        m=WT(f"-{E('t')} * {E('dm')} / {tt}"),
        w=WT(f"-{E('t')} * {c} * {R(W('dw'), 'True')} / ({tt} * {tt})"),
    )  # fmt: skip
    vjp.defvjp(
        rt(average_vjp_w), sig, nondiff=nondiff,
        t="_srcad.average_jvp_w(g, a, axis, w, m, keepdims)",
        a=f"{E('t')} * {W('g')} / {tt}",
        m=f"-{R(E('t') + ' * ' + W('g') + ' / ' + tt)}",
        w=WT(f"-{R(W('g') + ' * ' + E('t') + ' * ' + c + f' / ({tt} * {tt})', 'True')}"),
    )  # fmt: skip
    sig, nondiff = "t, a, axis, w, keepdims=False", ("a", "axis", "keepdims")
    jvp.defjvp(
        rt(average_vjp_a), sig, **marks(nondiff),
        t="_srcad.average_vjp_a(dt, a, axis, w, keepdims)",
        # (`w` None at run time, a callee's ``weights=None`` default: no term, `dw` None too)
        w=f"(np.zeros(np.shape(a)) if dw is None else "
        f"{E('t')} * {W('dw')} / {tt} - ans * {R(W('dw'), 'True')} / {tt})",
    )  # fmt: skip
    wt = WT(f"{E('t')} * g / {tt} - {R('g * ans', 'True')} / {tt}")
    vjp.defvjp(
        rt(average_vjp_a), sig, **marks(nondiff),
        t="np.average(g, axis=axis, weights=w, keepdims=keepdims)",
        w=f"(None if w is None else {wt})",
    )  # fmt: skip
