"""Derivative rules of NumPy reductions and scans: functions (``np.sum(a)``), methods (``x.sum()``).

Input: the `RuleTable` pair. Output: the tables filled with reduction rules.

`axis` may be None, an int (negative too) or a tuple; `keepdims` and `ddof` are honored. The VJP
helpers broadcast ``g`` back over the reduced axes. Example (``np.sum(a, axis=1)``)::

    jvp: np.sum(da, axis=axis, dtype=dtype, keepdims=keepdims)
    vjp: ba = _srcad.sum_vjp(g, a, axis, keepdims)

Max/min split the derivative equally among tied extreme elements (as JAX does).
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable

# (jvp template, vjp template) over the receiver/array `{a}`, its tangent `d{a}`, and g / ans.
# `{g}` is the cotangent with an integer `dtype` turned into zeros (the cast is piecewise constant).
REDUCTIONS = {
    "sum": (
        "a, axis=None, dtype=None, out=None, keepdims=False",
        "np.sum(d{a}, axis=axis, dtype=dtype, keepdims=keepdims)",
        "_srcad.sum_vjp({g}, {a}, axis, keepdims)",
    ),
    "mean": (
        "a, axis=None, dtype=None, out=None, keepdims=False",
        "np.mean(d{a}, axis=axis, dtype=dtype, keepdims=keepdims)",
        "_srcad.mean_vjp({g}, {a}, axis, keepdims)",
    ),
    "prod": (
        "a, axis=None, dtype=None, out=None, keepdims=False",
        "np.sum(d{a} * _srcad.prod_others({a}, axis), axis=axis, keepdims=keepdims)",
        "_srcad.expand_reduced({g}, {a}, axis, keepdims) * _srcad.prod_others({a}, axis)",
    ),
    "var": (
        "a, axis=None, dtype=None, out=None, ddof=0, keepdims=False",
        "_srcad.var_jvp(d{a}, {a}, axis, ddof, keepdims)",
        "_srcad.var_vjp({g}, {a}, axis, ddof, keepdims)",
    ),
    # std = sqrt(var): where it is 0 (constant data, an axis of length 1, a Python scalar) the
    # minimum-norm subgradient 0 (std_scale), as for np.linalg.norm at 0.
    "std": (
        "a, axis=None, dtype=None, out=None, ddof=0, keepdims=False",
        "_srcad.var_jvp(d{a}, {a}, axis, ddof, keepdims) * _srcad.std_scale({a}, axis, keepdims, ans)",
        "_srcad.var_vjp({g} * _srcad.std_scale({a}, axis, keepdims, ans), {a}, axis, ddof, keepdims)",
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
EXT_SIG = "a, axis=None, out=None, keepdims=False"
EXT_JVP = (
    "np.sum(d{a} * _srcad.ext_weights({a}, ans, axis, keepdims), axis=axis, keepdims=keepdims)"
)
EXT_VJP = (
    "_srcad.expand_reduced(g, {a}, axis, keepdims) * _srcad.ext_weights({a}, ans, axis, keepdims)"
)
NONDIFF = ("axis", "dtype", "out", "ddof", "keepdims")

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
        s = sig.replace("a, ", f"{a}, ", 1)
        nondiff = tuple(p for p in NONDIFF if f"{p}=" in s)
        if "dtype=" in s:  # an integer dtype: a piecewise-constant cast, zero derivative
            jt_, vt_ = cast(jt), vt.replace("{g}", cast("g"))
        else:
            jt_, vt_ = jt, vt.replace("{g}", "g")
        jterms, vterms = {a: jt_.format(a=a)}, {a: vt_.format(a=a)}
        if name in DDOF:  # a float `ddof` that depends on the inputs has a derivative too
            nondiff = tuple(n for n in nondiff if n != "ddof")
            jterms["ddof"], vterms["ddof"] = ddof_terms(name, a, nan=False)
        jvp.defjvp(prim, s, nondiff=nondiff, **jterms)
        vjp.defvjp(prim, s, nondiff=nondiff, **vterms)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the reduction rules."""
    for name, (sig, jt, vt) in REDUCTIONS.items():
        _def(jvp, vjp, name, sig, jt, vt)
    for name in EXTREMES:
        _def(jvp, vjp, name, EXT_SIG, EXT_JVP, EXT_VJP)
        # NumPy 2 keeps amax/amin as separate function objects.
        prim = f"numpy.a{name}"
        nondiff = ("axis", "out", "keepdims")
        jvp.defjvp(prim, EXT_SIG, nondiff=nondiff, a=EXT_JVP.format(a="a"))
        vjp.defvjp(prim, EXT_SIG, nondiff=nondiff, a=EXT_VJP.format(a="a"))
        # nanmax/nanmin: NaNs never equal the extreme, so the same weights skip them.
        prim = f"numpy.nan{name}"
        jvp.defjvp(prim, EXT_SIG, nondiff=nondiff, a=EXT_JVP.format(a="a"))
        vjp.defvjp(prim, EXT_SIG, nondiff=nondiff, a=EXT_VJP.format(a="a"))
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
    sig = "a, axis=-1, kind=None, order=None"
    jvp.defjvp(
        "numpy.sort", sig,
        nondiff=("axis", "kind", "order"),
        a="np.take_along_axis(da, np.argsort(a, axis=axis), axis=axis)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.sort", sig, nondiff=("axis", "kind", "order"), a="_srcad.sort_vjp(g, a, axis)"
    )

    for name in ZERO_METHODS:
        jvp.defzero(f"method.{name}")
        vjp.defzero(f"method.{name}")


def _nan_reductions(jvp: RuleTable, vjp: RuleTable) -> None:
    """nansum, nanmean, nanvar, nanstd: the NaN entries get no derivative."""
    sig = "a, axis=None, dtype=None, out=None, keepdims=False"
    nondiff = ("axis", "dtype", "out", "keepdims")
    jvp.defjvp(
        "numpy.nansum", sig,
        nondiff=nondiff,
        a=cast("np.sum(np.where(np.isnan(a), 0.0, da), axis=axis, keepdims=keepdims)"),
    )  # fmt: skip
    vjp.defvjp(
        "numpy.nansum", sig,
        nondiff=nondiff,
        a=f"np.where(np.isnan(a), 0.0, _srcad.sum_vjp({cast('g')}, a, axis, keepdims))",
    )  # fmt: skip
    jvp.defjvp(
        "numpy.nanmean", sig,
        nondiff=nondiff,
        a="np.nanmean(np.where(np.isnan(a), np.nan, da), axis=axis, keepdims=keepdims)",
    )  # fmt: skip
    vjp.defvjp("numpy.nanmean", sig, nondiff=nondiff, a="_srcad.nanmean_vjp(g, a, axis, keepdims)")
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
        a="_srcad.nanvar_jvp(da, a, axis, ddof, keepdims) * _srcad.std_scale(a, axis, keepdims, ans, True)",
        ddof=dj,
    )  # fmt: skip
    vjp.defvjp(
        "numpy.nanstd", sig,
        nondiff=nondiff,
        a="_srcad.nanvar_vjp(g * _srcad.std_scale(a, axis, keepdims, ans, True), a, axis, ddof, keepdims)",
        ddof=dv,
    )  # fmt: skip
