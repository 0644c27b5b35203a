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
    jvp.defjvp(
        "numpy.array", sig, nondiff=nondiff, object="np.array(dobject, dtype=dtype, ndmin=ndmin)"
    )
    vjp.defvjp("numpy.array", sig, nondiff=nondiff, object="_srcad.array_vjp(g, object)")
    for name in ("asarray", "asanyarray"):
        sig = "a, dtype=None, order=None"
        jvp.defjvp(
            f"numpy.{name}", sig, nondiff=("dtype", "order"), a="np.asarray(da, dtype=dtype)"
        )
        vjp.defvjp(f"numpy.{name}", sig, nondiff=("dtype", "order"), a="_srcad.array_vjp(g, a)")
    for name in ("float64", "float32", "float16", "longdouble"):
        jvp.defjvp(f"numpy.{name}", "x=0.0, /", x=f"np.{name}(dx)")
        vjp.defvjp(f"numpy.{name}", "x=0.0, /", x="_srcad.unbroadcast(g, x)")
    sig = "shape, fill_value, dtype=None, order='C'"
    nondiff = ("shape", "dtype", "order")
    jvp.defjvp("numpy.full", sig, nondiff=nondiff, fill_value="np.full(shape, dfill_value)")
    vjp.defvjp("numpy.full", sig, nondiff=nondiff, fill_value="_srcad.unbroadcast(g, fill_value)")
    sig = "a, fill_value, dtype=None, order='K', subok=True, shape=None"
    nondiff = ("a", "dtype", "order", "subok", "shape")
    jvp.defjvp(
        "numpy.full_like", sig, nondiff=nondiff, fill_value="np.full(np.shape(ans), dfill_value)"
    )
    vjp.defvjp(
        "numpy.full_like", sig, nondiff=nondiff, fill_value="_srcad.unbroadcast(g, fill_value)"
    )
    # linspace(start, stop, num): linear in start and stop (retstep/axis do not bind).
    sig = "start, stop, num=50, endpoint=True, dtype=None"
    nondiff = ("num", "endpoint", "dtype")
    jvp.defjvp(
        "numpy.linspace", sig,
        nondiff=nondiff,
        start="_srcad.linspace_tangent(dstart, num, endpoint, 0)",
        stop="_srcad.linspace_tangent(dstop, num, endpoint, 1)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.linspace", sig,
        nondiff=nondiff,
        start="_srcad.linspace_vjp(g, start, num, endpoint, 0)",
        stop="_srcad.linspace_vjp(g, stop, num, endpoint, 1)",
    )  # fmt: skip
