"""Derivative rules of NumPy selections (where, clip) and array constructors.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

Constructors from shapes (zeros, ones, eye, arange, ...) have zero derivative (see
`srcad.rules.numpy_ufuncs.ZERO`); the ones that take values are linear in them. Example
(``np.array([x, y])``)::

    jvp: np.array(dobject, dtype=dtype, ndmin=ndmin)
    vjp: bobject = _srcad.array_vjp(g, object)     # a list [bx, by]
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable
from srcad.rules.numpy_reductions import cast

CLIP_SIG = "a, a_min=None, a_max=None, out=None, *, min=None, max=None"
CLIP_REGION = "_srcad.clip_region(a, a_min, a_max, min, max)"
METHOD_CLIP_SIG = "x, min=None, max=None, out=None"
METHOD_CLIP_REGION = "_srcad.clip_region(x, min, max)"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the selection and constructor rules."""
    jvp.defjvp_joint(
        "numpy.where", "condition, x, y, /", "np.where(condition, dx, dy)", nondiff=("condition",)
    )
    vjp.defvjp(
        "numpy.where", "condition, x, y, /",
        nondiff=("condition",),
        x="_srcad.unbroadcast(np.where(condition, g, 0.0), x)",
        y="_srcad.unbroadcast(np.where(condition, 0.0, g), y)",
    )  # fmt: skip

    # clip: region 0 passes `a` through, 1 takes the lower bound, 2 the upper bound.
    parts = {"a": 0, "a_min": 1, "a_max": 2, "min": 1, "max": 2}
    jvp.defjvp(
        "numpy.clip", CLIP_SIG,
        nondiff=("out",),
        **{p: f"np.where({CLIP_REGION} == {r}, d{p}, 0.0)" for p, r in parts.items()},
    )  # fmt: skip
    vjp.defvjp(
        "numpy.clip", CLIP_SIG,
        nondiff=("out",),
        **{
            p: f"_srcad.unbroadcast(np.where({CLIP_REGION} == {r}, g, 0.0), {p})"
            for p, r in parts.items()
        },
    )  # fmt: skip
    parts = {"x": 0, "min": 1, "max": 2}
    jvp.defjvp(
        "method.clip", METHOD_CLIP_SIG,
        nondiff=("out",),
        **{p: f"np.where({METHOD_CLIP_REGION} == {r}, d{p}, 0.0)" for p, r in parts.items()},
    )  # fmt: skip
    vjp.defvjp(
        "method.clip", METHOD_CLIP_SIG,
        nondiff=("out",),
        **{
            p: f"_srcad.unbroadcast(np.where({METHOD_CLIP_REGION} == {r}, g, 0.0), {p})"
            for p, r in parts.items()
        },
    )  # fmt: skip

    # Constructors that take values.
    sig = "object, dtype=None, *, copy=True, order='K', subok=False, ndmin=0"
    nondiff = ("dtype", "copy", "order", "subok", "ndmin")
    # An integer/bool dtype is a piecewise-constant cast: zero derivative (`_srcad.int_zero`).
    jvp.defjvp(
        "numpy.array", sig,
        nondiff=nondiff,
        object=cast("np.array(dobject, dtype=dtype, ndmin=ndmin)"),
    )  # fmt: skip
    vjp.defvjp(
        "numpy.array", sig,
        nondiff=nondiff,
        object=f"_srcad.array_vjp({cast('g')}, object)",
    )  # fmt: skip
    for name in ("asarray", "asanyarray"):
        sig = "a, dtype=None, order=None"
        jvp.defjvp(
            f"numpy.{name}", sig,
            nondiff=("dtype", "order"),
            a=cast("np.asarray(da, dtype=dtype)"),
        )  # fmt: skip
        vjp.defvjp(
            f"numpy.{name}", sig,
            nondiff=("dtype", "order"),
            a=f"_srcad.array_vjp({cast('g')}, a)",
        )  # fmt: skip
    for name in ("float64", "float32", "float16", "longdouble"):
        jvp.defjvp(f"numpy.{name}", "x=0.0, /", x=f"np.{name}(dx)")
        vjp.defvjp(f"numpy.{name}", "x=0.0, /", x="_srcad.unbroadcast(g, x)")
    sig = "shape, fill_value, dtype=None, order='C'"
    nondiff = ("shape", "dtype", "order")
    jvp.defjvp(
        "numpy.full", sig,
        nondiff=nondiff,
        fill_value=cast("np.full(shape, dfill_value)"),
    )  # fmt: skip
    vjp.defvjp(
        "numpy.full", sig,
        nondiff=nondiff,
        fill_value=f"_srcad.unbroadcast({cast('g')}, fill_value)",
    )  # fmt: skip
    sig = "a, fill_value, dtype=None, order='K', subok=True, shape=None"
    nondiff = ("a", "dtype", "order", "subok", "shape")
    jvp.defjvp(
        "numpy.full_like", sig,
        nondiff=nondiff,
        fill_value="_srcad.int_zero(np.full(np.shape(ans), dfill_value), ans.dtype)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.full_like", sig,
        nondiff=nondiff,
        fill_value="_srcad.unbroadcast(_srcad.int_zero(g, ans.dtype), fill_value)",
    )  # fmt: skip
    # linspace(start, stop, num): linear in start and stop (retstep/axis do not bind).
    sig = "start, stop, num=50, endpoint=True, dtype=None"
    nondiff = ("num", "endpoint", "dtype")
    jvp.defjvp(
        "numpy.linspace", sig,
        nondiff=nondiff,
        start=cast("_srcad.linspace_tangent(dstart, num, endpoint, 0)"),
        stop=cast("_srcad.linspace_tangent(dstop, num, endpoint, 1)"),
    )  # fmt: skip
    vjp.defvjp(
        "numpy.linspace", sig,
        nondiff=nondiff,
        start=f"_srcad.linspace_vjp({cast('g')}, start, num, endpoint, 0)",
        stop=f"_srcad.linspace_vjp({cast('g')}, stop, num, endpoint, 1)",
    )  # fmt: skip
    # arange(start, stop, step) = start + k * step: linear in start (when a stop is given) and
    # step; the count is piecewise constant. With one argument, `start` is the stop.
    sig = "start, stop=None, step=None, dtype=None, *, device=None, like=None"
    nondiff = ("dtype", "device", "like")
    jvp.defjvp(
        "numpy.arange", sig,
        nondiff=nondiff,
        **{p: f"_srcad.arange_tangent(d{p}, ans, stop, dtype, {k})"
           for k, p in enumerate(("start", "step", "stop"))},
    )  # fmt: skip
    vjp.defvjp(
        "numpy.arange", sig,
        nondiff=nondiff,
        **{p: f"_srcad.arange_vjp(g, {p}, ans, stop, dtype, {k})"
           for k, p in enumerate(("start", "step", "stop"))},
    )  # fmt: skip
