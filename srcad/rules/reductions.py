"""NumPy reductions and scans (sum, mean, prod, var/std, max/min, cumsum, cumprod, sort), as
functions (``np.sum(a)``) and methods (``x.sum()``), with the runtime helpers their rules call.

Input: the `RuleTable` pair. Output: the tables filled with reduction rules and the helpers'
rules; the helpers (``_srcad.<name>``) broadcast ``g`` back over the reduced axes. NaN-skipping
reductions, ``var``/``std`` helpers and ``np.average``: `srcad.rules.statistics`.

`axis` may be None, an int (negative too) or a tuple; `keepdims` and `ddof` are honored. Example
(``np.sum(a, axis=1)``)::

    jvp: np.sum(da, axis=axis, dtype=dtype, keepdims=keepdims)
    vjp: ba = _srcad.sum_vjp(g, a, axis, keepdims)

Max/min split the derivative equally among tied extreme elements (as JAX does).
"""

from __future__ import annotations

import math
import re

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import asarray, is_duck_array, item
from srcad.rules.bviews import broadcast_view, filled
from srcad.rules.emptyslices import DDOF_W, STD_W, VAR_W, ct_over
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt
from srcad.rules.trees import _SCALARS, array_vjp

_F64 = np.float64

# std's scale 1 / (2 std), 0 where it takes the subgradient; its check (rules/root_at0.py)
_SS = "_srcad.std_scale({a}, axis, keepdims, ans)"
_CHK = "{a}, axis, keepdims, ans"

# (jvp template, vjp template) over the receiver/array `{a}`, its tangent `d{a}`, and g / ans.
# `{g}` is the cotangent with an integer `dtype` turned into zeros (the cast is piecewise constant).
REDUCTIONS = {
    "sum": (
        "a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True",
        "np.sum(d{a}, axis=axis, dtype=dtype, keepdims=keepdims[[, where=where]])",
        "_srcad.sum_vjp({g}, {a}, axis, keepdims[[, where]])",
    ),
    "mean": (
        "a, axis=None, dtype=None, out=None, keepdims=False, *, where=True",
        "np.mean(d{a}, axis=axis, dtype=dtype, keepdims=keepdims[[, where=where]])",
        "_srcad.mean_vjp({g}, {a}, axis, keepdims[[, where]])",
    ),
    # With `initial` and `where`: initial * prod(where ? a : 1).
    "prod": (
        "a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True",
        "np.sum(d{a} * _srcad.prod_others({a}, axis), axis=axis, keepdims=keepdims)"
        "|np.sum(d{a} * _srcad.prod_others(np.where(where, {a}, 1.0), axis), axis=axis, "
        "keepdims=keepdims, where=where) * (1.0 if initial is None else initial)",
        "_srcad.expand_reduced({g}, {a}, axis, keepdims) * _srcad.prod_others({a}, axis)"
        "|_srcad.expand_reduced({g} * (1.0 if initial is None else initial), {a}, axis, keepdims)"
        " * _srcad.prod_others(np.where(where, {a}, 1.0), axis) * np.where(where, 1.0, 0.0)",
    ),
    # With `where`: the masked forms VAR_W (np.mean/np.sum with where=, so every order closes).
    "var": (
        "a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True",
        "_srcad.var_jvp(d{a}, {a}, axis, ddof, keepdims)|" + VAR_W[0],
        "_srcad.var_vjp({g}, {a}, axis, ddof, keepdims)|" + VAR_W[1],
    ),
    # std = sqrt(var): where it is 0 (constant data, an axis of length 1, a Python scalar) the
    # minimum-norm subgradient 0 (std_scale), as for np.linalg.norm at 0; its second-order
    # terms refuse there where the deviations move (rules/root_at0.py)
    "std": (
        "a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True",
        f"_srcad.std_d2_check(_srcad.var_jvp(d{{a}}, {{a}}, axis, ddof, keepdims) * {_SS}, "
        f"{_CHK}, d{{a}})|_srcad.std_d2_check({VAR_W[0]} * {STD_W}, {_CHK}, d{{a}}, where)",
        f"_srcad.std_adj_check(_srcad.var_vjp(_srcad.std_vjp_scale({{g}}, {_CHK}), {{a}}, axis, "
        f"ddof, keepdims), {_CHK})|_srcad.std_adj_check("
        f"{VAR_W[1].replace('{g}', '({g} * ' + STD_W + ')')}, {_CHK}, where)",
    ),
    "cumsum": (
        "a, axis=None, dtype=None, out=None",
        "np.cumsum(d{a}, axis=axis, dtype=dtype)",
        "_srcad.cumsum_vjp({g}, {a}, axis)",
    ),
    # Divides by `a` when no element is zero, an exact O(n^2) form otherwise.
    "cumprod": (
        "a, axis=None, dtype=None, out=None",
        "_srcad.cumprod_jvp(d{a}, {a}, axis)",
        "_srcad.cumprod_vjp({g}, {a}, axis)",
    ),
}
EXTREMES = ("max", "min")
EXT_SIG = "a, axis=None, out=None, keepdims=False, initial=None, where=True"
EXT_W = "_srcad.ext_weights({a}, ans, axis, keepdims[[, initial, where]])"
# (a select: an element that is not the extreme adds nothing, even when its tangent is nan)
EXT_JVP = f"np.sum(np.where({EXT_W} != 0, d{{a}} * {EXT_W}, 0.0), axis=axis, keepdims=keepdims)"
EXT_VJP = f"_srcad.expand_reduced(g, {{a}}, axis, keepdims) * {EXT_W}"
NONDIFF = ("axis", "dtype", "out", "ddof", "keepdims")
# The derivative in `initial` (sum: 1; prod: the product of the rest; max/min: its tie weight).
INITIAL = {
    "sum": ("dinitial * np.ones_like(ans)", "_srcad.unbroadcast({g}, initial)"),
    "prod": (
        "dinitial * np.prod({a}, axis=axis, keepdims=keepdims, where=where)",
        "_srcad.unbroadcast({g} * np.prod({a}, axis=axis, keepdims=keepdims, where=where), initial)",
    ),
    "ext": (
        "dinitial * _srcad.ext_init_weight({a}, ans, axis, keepdims, initial, where)",
        "_srcad.unbroadcast({g} * _srcad.ext_init_weight({a}, ans, axis, keepdims, initial, where), "
        "initial)",
    ),
}


def where_initial(t: str, initial: bool) -> str:
    """Template `t` specialised statically: the plain form (``[[...]]`` dropped, or the part
    before ``|``) when `where` (and `initial`) are the defaults, else the general one."""
    plain, _, general = t.partition("|")
    if not general:
        plain, general = re.sub(r"\[\[.*?\]\]", "", t), t.replace("[[", "").replace("]]", "")
    # (`where`'s default is True, not None: NumPy reads an explicit ``where=None`` as False)
    test = "(where is True if initial is None else False)" if initial else "where is True"
    return f"({plain} if {test} else {general})"


# Methods that reduce to integers or booleans.
ZERO_METHODS = ("argmax", "argmin", "argsort", "nonzero", "all", "any", "round", "searchsorted")


def cast(t: str) -> str:
    """Template: `t` through a cast to the parameter `dtype`, zero when it is an integer type (no
    helper call when `dtype` is None, which the template lowering decides statically)."""
    return f"({t} if dtype is None else _srcad.int_zero({t}, dtype))"


# d var / d ddof = var / (n - ddof); d std / d ddof = std / (2 (n - ddof)).
DDOF = {"var": "ans", "std": "0.5 * ans"}


def ddof_terms(name: str, a: str, nan: bool) -> tuple[str, str]:
    """(JVP, VJP) templates of `ddof` for var/std (`name`) of the array parameter `a`."""
    factor = f"{DDOF[name]} * _srcad.ddof_factor({a}, axis, ddof, keepdims, {nan})"
    return f"dddof * {factor}", f"_srcad.unbroadcast(g * {factor}, ddof)"


def _def(jvp: RuleTable, vjp: RuleTable, name: str, sig: str, jt: str, vt: str) -> None:
    """Define `name` as the function ``numpy.name(a, ...)`` and the method ``x.name(...)``."""
    for prim, a in ((f"numpy.{name}", "a"), (f"method.{name}", "x")):
        _def_one(jvp, vjp, prim, a, sig, jt, vt, name)


def _def_one(
    jvp: RuleTable, vjp: RuleTable, prim: str, a: str, sig: str, jt: str, vt: str, name: str
) -> None:
    """The rules of one reduction `prim` whose array parameter is named `a`."""
    s = sig.replace("a, ", f"{a}, ", 1)
    nondiff = tuple(p for p in NONDIFF if f"{p}=" in s)
    if "where=" in s:
        jt, vt = where_initial(jt, "initial=" in s), where_initial(vt, "initial=" in s)
    if "dtype=" in s:  # an integer dtype: a piecewise-constant cast, zero derivative
        jt_, vt_ = cast(jt), vt.replace("{g}", cast("g"))
    else:
        jt_, vt_ = jt, vt.replace("{g}", "g")
    jterms, vterms = {a: jt_.format(a=a)}, {a: vt_.format(a=a)}
    if "initial=" in s:
        ji, vi = INITIAL.get(name, INITIAL["ext"])
        jterms["initial"] = (cast(ji) if "dtype=" in s else ji).format(a=a)
        vi = vi.replace("{g}", cast("g") if "dtype=" in s else "g")
        vterms["initial"] = vi.format(a=a)
    if name in DDOF:  # a float `ddof` that depends on the inputs has a derivative too
        nondiff = tuple(n for n in nondiff if n != "ddof")
        jterms["ddof"], vterms["ddof"] = ddof_terms(name, a, nan=False)
        if "where=" in s:  # the count of selected entries, not the slice length
            jw = f"dddof * {DDOF[name]} * {DDOF_W.format(a=a)}"
            vw = f"_srcad.unbroadcast(g * {DDOF[name]} * {DDOF_W.format(a=a)}, ddof)"
            jterms["ddof"] = f"({jterms['ddof']} if where is True else {jw})"
            vterms["ddof"] = f"({vterms['ddof']} if where is True else {vw})"
    zero = ("where",) if "where=" in s else ()  # a mask: piecewise constant
    jvp.defjvp(prim, s, nondiff=nondiff, zero_in=zero, **jterms)
    vjp.defvjp(prim, s, nondiff=nondiff, zero_in=zero, **vterms)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the reduction rules."""
    for name, (sig, jt, vt) in REDUCTIONS.items():
        _def(jvp, vjp, name, sig, jt, vt)
    for name in EXTREMES:
        _def(jvp, vjp, name, EXT_SIG, EXT_JVP, EXT_VJP)
        # NumPy 2 keeps amax/amin as separate function objects.
        # nanmax/nanmin: NaNs never equal the extreme, so the same weights skip them.
        for prim in (f"numpy.a{name}", f"numpy.nan{name}"):
            _def_one(jvp, vjp, prim, "a", EXT_SIG, EXT_JVP, EXT_VJP, "ext")

    sig = "a, axis=-1, kind=None, order=None, *, stable=None"  # (`stable`: NumPy 2.0)
    jvp.defjvp(
        "numpy.sort", sig,
        nondiff=("axis", "kind", "order", "stable"),
        a="np.take_along_axis(da, np.argsort(a, axis=axis), axis=axis)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.sort",
        sig,
        nondiff=("axis", "kind", "order", "stable"),
        a="_srcad.sort_vjp(g, a, axis)",
    )

    for name in ZERO_METHODS:
        jvp.defzero(f"method.{name}")
        vjp.defzero(f"method.{name}")
    _helper_rules(jvp, vjp)


def _axes(axis, ndim: int) -> tuple[int, ...]:
    if axis is None or ndim == 0:  # NumPy reduces a 0-d value over axis 0 (or -1): nothing
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        return tuple(sorted(a % ndim for a in axis))
    return (axis % ndim,)


def _expand(g, shape, axis, keepdims):
    """`g` (a reduction's cotangent) reshaped to broadcast against the unreduced `shape`."""
    g = asarray(g)
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
        r = item(ct)
        return r.real if type(r) is complex else r  # a real number's: its real part
    if t is np.float64 and np.iscomplexobj(ct):
        return np.real(ct)
    return ct


@helper
def expand_reduced(g, a, axis=None, keepdims=False):
    """The cotangent `g` of a reduction of `a` over `axis`, broadcast back to the shape of `a`."""
    shape = a.shape if type(a) is np.ndarray else np.shape(a)
    if axis is None and (type(g) is float or type(g) is _F64):  # a full reduction's number
        return filled(g, shape)
    return broadcast_view(_expand(g, shape, axis, keepdims), shape)


@helper
def sum_vjp(g, a, axis=None, keepdims=False, where=True):
    """Cotangent of `a` for ``np.sum(a, axis, keepdims=keepdims, where=where)``."""
    # A read-only broadcast view, not a copy: consumers multiply it or reduce it, and the only
    # in-place updates srcad emits are on accumulators it allocated itself.
    e = expand_reduced(g, a, axis, keepdims)
    return _like_input(e if where is True else np.where(where, e, 0.0), a)


@helper
def mean_vjp(g, a, axis=None, keepdims=False, where=True):
    """Cotangent of `a` for ``np.mean(a, axis, keepdims=keepdims, where=where)``."""
    shape = a.shape if type(a) is np.ndarray else np.shape(a)
    if where is True:
        count = math.prod(shape[i] for i in _axes(axis, len(shape)))
        if count:  # divide the reduced cotangent, then broadcast it (a view: no full-size copy)
            return _like_input(expand_reduced(g / count, a, axis, keepdims), a)
        return _like_input(expand_reduced(g, a, axis, keepdims) / count, a)
    w = np.broadcast_to(asarray(where, bool), shape)
    count = np.sum(w, axis=axis, keepdims=True)  # (an empty slice: NaN, as its mean)
    return _like_input(ct_over(expand_reduced(g, a, axis, keepdims), w, count), a)


def _flat_layout(a, axis):
    """(axes reduced, their destination at the end, the moved shape) of `prod_flat`."""
    nd = np.ndim(a)
    axes = _axes(axis, nd)
    dest = tuple(range(nd - len(axes), nd))
    moved = [n for i, n in enumerate(np.shape(a)) if i not in axes]
    return axes, dest, tuple(moved) + tuple(np.shape(a)[i] for i in axes)


@helper
def prod_flat(a, axis=None):
    """`a` with the axes `axis` moved to the end and flattened into one: shape (..., m)."""
    axes, dest, moved = _flat_layout(a, axis)
    k = len(moved) - len(axes)  # (the reduced size spelled out: -1 is ambiguous when empty)
    return np.reshape(np.moveaxis(asarray(a), axes, dest), moved[:k] + (math.prod(moved[k:]),))


@helper
def prod_unflat(r, a, axis=None):
    """The inverse of `prod_flat`: `r` of shape (..., m) back in the layout of `a`."""
    axes, dest, moved = _flat_layout(a, axis)
    return _like_input(np.moveaxis(np.reshape(r, moved), dest, axes), a)


@helper
def prod_others(a, axis=None):
    """For each element of `a`, the product of the other elements along `axis` (zeros allowed)."""
    a = asarray(a)
    axes = _axes(axis, a.ndim)
    k = len(axes)
    dest = tuple(range(a.ndim - k, a.ndim))
    moved = np.moveaxis(a, axes, dest)
    if a.size == 0:  # (an empty product is 1: no element, no other elements)
        return np.ones(a.shape, np.result_type(a, float))
    flat = moved.reshape(moved.shape[: a.ndim - k] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), flat.dtype)
    left = np.concatenate([ones, np.cumprod(flat[..., :-1], axis=-1)], axis=-1)
    right = np.concatenate([np.cumprod(flat[..., :0:-1], axis=-1)[..., ::-1], ones], axis=-1)
    return np.moveaxis((left * right).reshape(moved.shape), dest, axes)


def _ext_mask(a, ans, axis, keepdims, initial, where):
    """(mask of the elements equal to the extreme `ans`, tie count including `initial`)."""
    shape = np.shape(a)
    mask = np.equal(a, _expand(ans, shape, axis, keepdims))
    if where is not True:  # (None: NumPy's False)
        mask = mask & asarray(where, bool)
    count = np.sum(mask, axis=axis, keepdims=True)
    if initial is not None:
        count = count + np.equal(_expand(ans, shape, axis, keepdims), initial)
    return mask, count


@helper
def ext_weights(a, ans, axis=None, keepdims=False, initial=None, where=True):
    """Weights of ``max``/``min`` over `axis`: 1/count on the tied extreme elements (selected by
    `where`; a tying `initial` counts too), 0 elsewhere."""
    mask, count = _ext_mask(a, ans, axis, keepdims, initial, where)
    return mask / count


@helper
def ext_init_weight(a, ans, axis=None, keepdims=False, initial=None, where=True):
    """The weight of `initial` in ``max``/``min(a, initial=initial)``: 1/count when it ties the
    extreme, else 0 (shape of `ans`)."""
    _, count = _ext_mask(a, ans, axis, keepdims, initial, where)
    w = np.equal(ans, initial) / np.reshape(count, np.shape(ans))
    return w if np.ndim(w) or is_duck_array(w) else float(w)


@helper
def cumsum_vjp(g, a, axis=None):
    """Cotangent of `a` for ``np.cumsum(a, axis)`` (a reversed cumulative sum)."""
    if axis is None:
        return np.reshape(np.cumsum(np.ravel(g)[::-1])[::-1], np.shape(a))
    return np.flip(np.cumsum(np.flip(g, axis), axis), axis)


def _cumprod_partials(a, axis):
    """(moved a, J) with J[..., k, j] = d cumprod(a)[k] / d a[j] along `axis` (no division)."""
    m = np.moveaxis(np.asarray(a, dtype=np.result_type(a, float)), axis, -1)  # complex: holomorphic
    n = m.shape[-1]
    J = np.zeros(m.shape[:-1] + (n, n), m.dtype)
    for j in range(n):
        b = m.copy()
        b[..., j] = 1.0
        c = np.cumprod(b, axis=-1)
        J[..., j:, j] = c[..., j:]
    return m, J


@helper
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


@helper
def cumprod_vjp(g, a, axis=None):
    """Cotangent of `a` for ``np.cumprod(a, axis)``; exact when `a` has zeros too."""
    a_ = np.ravel(a) if axis is None else np.asarray(a)
    ax = 0 if axis is None else axis
    g_ = np.reshape(g, a_.shape)
    if np.all(a_ != 0):  # (a zero cotangent of a non-finite product: no 0 * inf, `gathers`)
        out = cumsum_vjp(np.where(g_ == 0, 0.0, g_ * np.cumprod(a_, axis=ax)), a_, ax) / a_
    else:
        _, J = _cumprod_partials(a_, ax)
        gm = np.moveaxis(g_, ax, -1)
        out = np.moveaxis(np.einsum("...kj,...k->...j", J, gm), -1, ax)
    return np.reshape(out, np.shape(a))


def _helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the reduction helpers."""
    defzero_helper(jvp, vjp, ext_weights, ext_init_weight)
    for fn, transpose in (
        (sum_vjp, "np.sum(g, axis=axis, keepdims=keepdims[[, where=where]])"),
        (mean_vjp, "np.mean(g, axis=axis, keepdims=keepdims[[, where=where]])"),
    ):
        deflinear_helper(
            jvp, vjp, fn, "t, a, axis=None, keepdims=False, where=True",
            where_initial(f"_srcad.{fn.__name__}(dt, a, axis, keepdims[[, where]])", False),
            where_initial(transpose, False),
        )  # fmt: skip
    deflinear_helper(
        jvp, vjp, expand_reduced, "t, a, axis=None, keepdims=False",
        "_srcad.expand_reduced(dt, a, axis, keepdims)", "np.sum(g, axis=axis, keepdims=keepdims)",
    )  # fmt: skip
    # prod_flat and prod_unflat: a permutation and a reshape, each the other's transpose.
    deflinear_helper(
        jvp, vjp, prod_flat, "t, axis=None",
        "_srcad.prod_flat(dt, axis)", "_srcad.prod_unflat(g, t, axis)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, prod_unflat, "t, a, axis=None",
        "_srcad.prod_unflat(dt, a, axis)", "_srcad.prod_flat(g, axis)",
    )  # fmt: skip
    # prod_others(a)_i = prod_{j != i} a_j (exact with zeros): see `prod_others_tangent`.
    jvp.defjvp(
        rt(prod_others),
        "a, axis=None",
        nondiff=("axis",),
        a=prod_others_tangent("a", "da", "axis"),
    )
    vjp.defvjp(
        rt(prod_others), "a, axis=None", nondiff=("axis",), a=prod_others_tangent("a", "g", "axis")
    )
    _cumprod_rules(jvp, vjp)
    deflinear_helper(
        jvp, vjp, cumsum_vjp, "t, a, axis=None",
        "_srcad.cumsum_vjp(dt, a, axis)", "np.cumsum(g, axis=axis)",
    )  # fmt: skip


def prod_others_tangent(a: str, da: str, axis: str) -> str:
    """Template: the derivative of ``prod_others(a, axis)`` in the direction `da` (also its
    transpose: the matrix below is symmetric). d/da_j of prod_{k != i} a_k is prod_{k not in
    {i, j}} a_k (j != i): prod_others of the rows of P[i, j] = a_j (1 on the diagonal), masked
    off the diagonal. Exact with zeros; each order adds one axis of length m (the reduced size),
    and the chain closes through prod_others."""
    r = _po_apply(f"_srcad.prod_flat({a}, {axis})", f"_srcad.prod_flat({da}, {axis})")
    return f"_srcad.prod_unflat({r}, {a}, {axis})"


def _cumprod_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """cumprod(a)_k = prod_j T(a, 1)[k, j] with T(x, f)[k, j] = x_j (j <= k), f above the
    diagonal, along `axis` moved last (`prod_flat`; raveled for axis=None). So cumprod_jvp(t, a)
    = U(sum_j T(t, 0) * PO) and cumprod_vjp(t, a) = T'(F(t)[..., :, None] * PO), with PO =
    prod_others(T(a, 1), -1), U = prod_unflat, F = prod_flat and T' the transpose of T(., 0):
    bilinear in t and PO, whose derivative is `prod_others_tangent` (symmetric per row)."""

    def tri(x: str, fill: str) -> str:
        flat = f"_srcad.prod_flat({x}, axis)"
        low = f"(np.tril(np.ones((np.shape({flat})[-1],) * 2)) > 0.5)"
        return f"np.where({low}, np.expand_dims({flat}, -2), {fill})"

    def tri_t(x: str) -> str:
        low = "(np.tril(np.ones((np.shape(_srcad.prod_flat(a, axis))[-1],) * 2)) > 0.5)"
        return f"_srcad.prod_unflat(np.sum(np.where({low}, {x}, 0.0), axis=-2), a, axis)"

    def dpo(d: str) -> str:  # the derivative of PO in the direction T(d, 0)
        return _po_apply(tri("a", "1.0"), tri(d, "0.0"))

    col = "np.expand_dims(_srcad.prod_flat({}, axis), -1)"
    sig = "t, a, axis=None"
    jvp.defjvp(
        rt(cumprod_jvp), sig, nondiff=('axis',),
        t="_srcad.cumprod_jvp(dt, a, axis)",
        a=f"_srcad.prod_unflat(np.sum({tri('t', '0.0')} * {dpo('da')}, axis=-1), ans, axis)",
    )  # fmt: skip
    vjp.defvjp(
        rt(cumprod_jvp), sig, nondiff=('axis',),
        t="_srcad.cumprod_vjp(g, a, axis)",
        a=tri_t(_po_apply(tri("a", "1.0"), f"{col.format('g')} * {tri('t', '0.0')}")),
    )  # fmt: skip
    jvp.defjvp(
        rt(cumprod_vjp), sig, nondiff=('axis',),
        t="_srcad.cumprod_vjp(dt, a, axis)",  # (rows of zero cotangent: 0, as cumprod_vjp's)
        a=tri_t(f"np.where({col.format('t')} == 0, 0.0, {col.format('t')} * {dpo('da')})"),
    )  # fmt: skip
    vjp.defvjp(
        rt(cumprod_vjp), sig, nondiff=('axis',),
        t="_srcad.cumprod_jvp(g, a, axis)",
        a=tri_t(_po_apply(tri("a", "1.0"), f"{tri('g', '0.0')} * {col.format('t')}")),
    )  # fmt: skip


def _po_apply(p: str, w: str) -> str:
    """Template: the derivative of ``prod_others(p, -1)`` in the direction `w` (same shape as
    `p`); the matrix per row is symmetric, so this is also its transpose."""
    eye = f"(np.eye(np.shape({p})[-1]) > 0.5)"
    pairs = f"np.where({eye}, 1.0, np.expand_dims({p}, -2))"
    q = f"np.where({eye}, 0.0, _srcad.prod_others({pairs}, -1))"
    return f"np.sum(np.expand_dims({w}, -2) * {q}, axis=-1)"
