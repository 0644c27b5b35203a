"""NumPy selections (where, clip, select, nan_to_num), np.append and array constructors, plus
the runtime helpers the lowering emits as statements or guards (``raise``, ``assert``, ``np.c_``
items, receiver checks, ``has_aux`` checks, ``np.where`` masks), with their rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules; the helpers are called as
``_srcad.<name>``.

Constructors from shapes (zeros, ones, eye, arange, ...) have zero derivative (see
`srcad.rules.elementwise.ZERO`); the ones that take values are linear in them. Example
(``np.array([x, y])``)::

    jvp: np.array(dobject, dtype=dtype, ndmin=ndmin)
    vjp: bobject = _srcad.array_vjp(g, object)     # a list [bx, by]
"""

from __future__ import annotations

import linecache
import sys

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import asarray, real_part
from srcad.errors import DiffError, SrcadError
from srcad.lower.reads import classify, user_class
from srcad.rules.helpers import (
    deflinear_helper,
    deflinear_helpers,
    defzero_helper,
    helper,
    rt,
)
from srcad.rules.indexing import _unsupported, _zeros_for
from srcad.rules.reductions import _like_input, cast
from srcad.rules.trees import _SCALARS, unbroadcast, zeros_like

CLIP_SIG = "a, a_min=None, a_max=None, out=None, *, min=None, max=None"
CLIP_REGION = "_srcad.clip_region(a, a_min, a_max, min, max)"
METHOD_CLIP_SIG = "x, min=None, max=None, out=None"
METHOD_CLIP_REGION = "_srcad.clip_region(x, min, max)"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the selection and constructor rules."""
    jvp.defjvp_joint(
        "numpy.where", "condition, x, y, /", "np.where(condition, dx, dy)", zero_in=("condition",)
    )
    vjp.defvjp(
        "numpy.where", "condition, x, y, /",
        zero_in=("condition",),  # a mask (a float one is read as != 0): piecewise constant
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
    nondiff = ("dtype", "order", "subok", "shape")
    jvp.defjvp(
        "numpy.full_like", sig,
        nondiff=nondiff, zero_in=("a",),  # a: its shape and dtype only
        fill_value="_srcad.int_zero(np.full(np.shape(ans), dfill_value), ans.dtype)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.full_like", sig,
        nondiff=nondiff, zero_in=("a",),
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
    _helper_rules(jvp, vjp)
    _extra_rules(jvp, vjp)


def _int_valued(ans, dtype) -> bool:
    return (dtype is not None and np.dtype(dtype).kind in "biu") or np.asarray(
        ans
    ).dtype.kind in "biu"


@helper
def arange_tangent(dt, ans, stop, dtype, which):
    """Tangent of ``np.arange(start, stop, step)`` (``ans[k] = start + k * step``) for the
    argument `which` (0: start, 1: step, 2: stop); the count is piecewise constant, and with one
    argument `start` is the stop."""
    n = np.shape(ans)[0]
    if _int_valued(ans, dtype) or which == 2 or (which == 0 and stop is None):
        return np.zeros(n)
    if which == 0:
        return np.full(n, dt, dtype=float)
    return np.arange(n) * dt


@helper
def arange_vjp(g, x, ans, stop, dtype, which):
    """Cotangent of the argument `x` (`which` as in `arange_tangent`) of ``np.arange``."""
    ct = np.vdot(arange_tangent(1.0, ans, stop, dtype, which), g)
    return float(ct.real) if type(x) in _SCALARS else real_part(ct)[()]


@helper
def linspace_weights(num, endpoint, which):
    """Weights of `start` (which=0) or `stop` (which=1) in ``np.linspace(start, stop, num)``."""
    t = np.linspace(0.0, 1.0, num, endpoint=endpoint) if num > 1 else np.zeros(num)
    return 1.0 - t if which == 0 else t


@helper
def linspace_tangent(dt, num, endpoint, which):
    """Tangent of ``np.linspace`` from the tangent of its `start` (0) or `stop` (1)."""
    w = linspace_weights(num, endpoint, which)
    return np.multiply.outer(w, dt)


@helper
def linspace_vjp(g, x, num, endpoint, which):
    """Cotangent of `start` (0) or `stop` (1) for ``np.linspace(start, stop, num)``."""
    w = linspace_weights(num, endpoint, which)
    return _like_input(np.tensordot(w, g, axes=(0, 0)), x)


@helper
def clip_region(a, a_min, a_max, lo=None, hi=None):
    """Where ``np.clip`` put each element: 0 inside, 1 at the lower, 2 at the upper bound.
    NumPy's clip is ``minimum(maximum(a, lo), hi)``: with crossed bounds (lo > hi) every element
    is `hi`, and with equal ones too (a constant: `a` gets no derivative there)."""
    lo = a_min if a_min is not None else lo
    hi = a_max if a_max is not None else hi
    region = np.zeros(np.broadcast_shapes(np.shape(a), np.shape(lo), np.shape(hi)), np.int8)
    if lo is not None:
        region = np.where(np.less(a, lo), 1, region)
    if hi is not None:
        upper = np.greater(a if lo is None else np.maximum(a, lo), hi)
        if lo is not None:
            upper = upper | np.equal(lo, hi)
        region = np.where(upper, 2, region)
    return region


@helper
def astype_tangent(dx, dtype):
    """Tangent of ``x.astype(dtype)``: zero (float) for integer/bool dtypes, else cast."""
    if np.dtype(dtype).kind in "biu":
        return np.zeros(np.shape(dx))
    if np.dtype(dtype).kind != "c" and np.iscomplexobj(dx):
        dx = np.real(dx)
    return np.asarray(dx).astype(dtype)


@helper
def astype_vjp(g, x, dtype):
    """Cotangent of `x` for ``x.astype(dtype)``."""
    if np.dtype(dtype).kind in "biu":
        return zeros_like(x)
    g = np.asarray(g)
    if np.iscomplexobj(g) and (np.dtype(dtype).kind != "c" or not np.iscomplexobj(x)):
        g = np.real(g)  # a real result or input: the real part (see srcad.rules.numpy_fft)
    return g.astype(np.result_type(x, float))


@helper
def c_item(a):
    """One item of ``np.c_[...]``: arrays of 2 or more dimensions as they are, 0-d and 1-d ones
    as columns (``(n,)`` -> ``(n, 1)``), so that concatenating along the last axis is ``np.c_``."""
    a = np.asarray(a)
    return a if a.ndim >= 2 else np.array(a, ndmin=2).T


@helper
def c_item_vjp(g, a):
    """Cotangent of `a` for ``c_item(a)``: `g` in the shape of `a`."""
    out = np.reshape(g, np.shape(a))
    return float(np.real(out)) if type(a) in _SCALARS else out  # a real number's: Re


_RULE_RECEIVERS = frozenset({np.ndarray, float, int, bool, complex, list, tuple, dict, str, bytes,
                             range, np.float64, np.float32, np.int64})  # fmt: skip


@helper
def plain_receiver(x, name, line):
    """`x`, the receiver of a method (or the base of a subscript) that srcad differentiated with
    the NumPy/built-in rule for `name`; a `DiffError` when `x` turns out to be an instance of a
    user class defining `name` itself, whose own method the rule does not describe."""
    t = type(x)
    if t in _RULE_RECEIVERS:
        return x
    if user_class(x) is None or classify(t, name) == "rule":
        return x
    # the generated code runs in the globals of the user's module
    file = sys._getframe(1).f_globals.get("__file__")
    src = linecache.getline(file, line) if file and line else None
    what = "the subscript" if name == "__getitem__" else f"`.{name}()`"
    if name != "__getitem__" and name.startswith("__"):
        what = f"an operator (`{name}`)"  # ``self.centre - start``: the arithmetic rule
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


@helper
def check_aux(out):
    """`out` when it is a (loss, aux) pair, as `has_aux=True` promises; else a clear error."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        got = f"a {type(out).__name__}" + (
            f" of length {len(out)}" if isinstance(out, (tuple, list)) else ""
        )
        raise SrcadError(
            f"with has_aux=True the function must return a pair (loss, aux); it returned {got}",
            hint="return `loss, aux`, or drop has_aux",
        )
    return out


@helper
def where_mask(shape, *conds, keep=None):
    """The entries of an array of `shape` whose cotangent can be non-zero when it flows only
    through the sides of `np.where(cond, x, y)` that `keep` names (True: `x`, False: `y`; all True
    when not given), see `srcad.ad.masks`: a bool (array) that broadcasts to `shape`, True where
    some position the entry broadcasts to satisfies every condition. True (mask nothing) when the
    conditions do not broadcast with `shape`, or a `keep` of "finite" (np.isfinite(cond)) reads
    what is not a number (a branch's placeholder None: `srcad.ad.maskcarry`)."""
    sel = None
    shape = tuple(shape)
    try:
        for c, k in zip(conds, keep or (True,) * len(conds)):
            s = np.isfinite(c) if k == "finite" else asarray(c, dtype=bool)
            s = s if k else ~s
            sel = s if sel is None else sel & s
        if sel is None or sel.shape == shape:
            return True if sel is None else sel
        full = np.broadcast_shapes(sel.shape, shape)
    except (ValueError, TypeError):
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


def _helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the constructor, statement and guard helpers."""
    defzero_helper(jvp, vjp, clip_region, where_mask, linspace_weights)
    deflinear_helpers(jvp, vjp, (
        (arange_tangent, "t, res, stop, dtype, which",
         "_srcad.arange_vjp(g, t, res, stop, dtype, which)"),
        (arange_vjp, "t, x, res, stop, dtype, which",
         "_srcad.arange_tangent(g, res, stop, dtype, which)"),
        (linspace_tangent, "t, num, endpoint, which",
         "_srcad.linspace_vjp(g, t, num, endpoint, which)"),
        (linspace_vjp, "t, x, num, endpoint, which",
         "_srcad.linspace_tangent(g, num, endpoint, which)"),
        (astype_tangent, "t, dtype", "_srcad.astype_vjp(g, t, dtype)"),
        (astype_vjp, "t, x, dtype", "_srcad.astype_tangent(g, dtype)"),
        (c_item_vjp, "t, a", "np.reshape(g, np.shape(t))"),
    ))  # fmt: skip
    jvp.defjvp(rt(c_item), "a", a="_srcad.c_item(da)")  # np.c_[...] items
    vjp.defvjp(rt(c_item), "a", a="_srcad.c_item_vjp(g, a)")
    jvp.defjvp(rt(plain_receiver), "x, name, line", nondiff=("name", "line"), x="dx")
    vjp.defvjp(rt(plain_receiver), "x, name, line", nondiff=("name", "line"), x="g")
    jvp.defjvp(rt(check_aux), "out", out="dout")  # identity, with a check
    vjp.defvjp(rt(check_aux), "out", out="g")


# -- np.imag/np.angle/np.real_if_close (real input), np.append, np.nan_to_num, np.select ---------
@helper
def real_only(t, x, name):
    """`t` (a tangent or cotangent) after checking the operand `x` of `name` is real."""
    if np.iscomplexobj(x):
        msg = f"{name} of a complex value has no derivative rule (real code only)"
        hint = _REAL_ONLY_HINTS.get(name)
        raise _unsupported(msg) if hint is None else DiffError(msg, hint=hint)
    return t


# What to write instead, for the functions whose complex case users meet
_REAL_ONLY_HINTS = {
    "np.real_if_close": "write z.real (np.real(z)) when the imaginary part is negligible",
}


@helper
def real_zero(x, name):
    """The zero derivative of `name` (np.imag, np.angle) at a real `x`; complex is refused."""
    return real_only(_zeros_for(x, 0.0) if np.ndim(x) else 0.0, x, name)


@helper
def append_vjp(g, arr, values, axis, which):
    """Cotangent of `arr` (which=0) or `values` (which=1) for ``np.append(arr, values, axis)``."""
    x = arr if which == 0 else values
    if axis is None:
        n = np.size(arr)
        part = np.ravel(g)[:n] if which == 0 else np.ravel(g)[n:]
        return _like_input(np.reshape(part, np.shape(x)), x)
    n = np.shape(arr)[axis]
    part = np.split(np.asarray(g), [n], axis)[which]
    return _like_input(np.reshape(part, np.shape(x)), x)


@helper
def finite_mask(x, copy=True):
    """Where `x` is finite (np.nan_to_num keeps it, derivative 1; elsewhere 0)."""
    if not copy:
        raise _unsupported("np.nan_to_num(x, copy=False) updates x in place: use copy=True")
    return np.isfinite(x)


@helper
def select_vjp(g, condlist, choicelist):
    """Cotangents of `choicelist` for ``np.select(condlist, choicelist, default)``: g where
    choice k is the first whose condition holds."""
    taken = np.zeros(np.shape(g), bool)
    out = []
    for cond, choice in zip(condlist, choicelist):
        sel = np.logical_and(cond, ~taken)
        taken = taken | sel
        out.append(unbroadcast(np.where(sel, g, 0.0), choice))
    return type(choicelist)(out) if type(choicelist) in (list, tuple) else np.array(out)


NAN_TO_NUM = "x, copy=True, nan=0.0, posinf=None, neginf=None"
SELECT = "condlist, choicelist, default=0"


def _extra_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of np.append, np.nan_to_num, np.select and of their helpers."""
    defzero_helper(jvp, vjp, real_zero, finite_mask)
    for prim in ("numpy.isposinf", "numpy.isneginf"):
        jvp.defzero(prim)
        vjp.defzero(prim)
    jvp.defjvp(
        "numpy.nan_to_num", NAN_TO_NUM, nondiff=("copy",),
        x="np.where(_srcad.finite_mask(x, copy), dx, 0.0)",
        nan="dnan * np.isnan(x)", posinf="dposinf * np.isposinf(x)",
        neginf="dneginf * np.isneginf(x)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.nan_to_num", NAN_TO_NUM, nondiff=("copy",),
        x="_srcad.unbroadcast(np.where(_srcad.finite_mask(x, copy), g, 0.0), x)",
        nan="_srcad.unbroadcast(g * np.isnan(x), nan)",
        posinf="_srcad.unbroadcast(g * np.isposinf(x), posinf)",
        neginf="_srcad.unbroadcast(g * np.isneginf(x), neginf)",
    )  # fmt: skip
    jvp.defjvp(
        "numpy.select", SELECT, zero_in=("condlist",),
        choicelist="np.select(condlist, dchoicelist, 0.0)",
        default="np.select(condlist, _srcad.zeros_like(choicelist), ddefault)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.select", SELECT, zero_in=("condlist",),
        choicelist="_srcad.select_vjp(g, condlist, choicelist)",
        default="_srcad.unbroadcast(np.select(condlist, _srcad.zeros_like(choicelist), g), default)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, select_vjp, "t, condlist, choicelist",
        "_srcad.select_vjp(dt, condlist, choicelist)",
        "np.broadcast_to(np.select(condlist, _srcad.add(g, _srcad.zeros_like(choicelist)), 0.0),"
        " np.shape(t))",  # (g: None for a choice that got no cotangent: a constant one)
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, real_only, "t, x, name", "_srcad.real_only(dt, x, name)",
        "_srcad.real_only(g, x, name)",
    )  # fmt: skip
    sig = "arr, values, axis=None"
    jvp.defjvp(
        "numpy.append", sig, nondiff=("axis",),
        arr="np.append(darr, _srcad.zeros_like(values), axis)",
        values="np.append(_srcad.zeros_like(arr), dvalues, axis)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.append", sig, nondiff=("axis",),
        arr="_srcad.append_vjp(g, arr, values, axis, 0)",
        values="_srcad.append_vjp(g, arr, values, axis, 1)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, append_vjp, "t, arr, values, axis, which",
        "_srcad.append_vjp(dt, arr, values, axis, which)",
        "np.append(g, _srcad.zeros_like(values), axis) if which == 0 "
        "else np.append(_srcad.zeros_like(arr), g, axis)",
    )  # fmt: skip
