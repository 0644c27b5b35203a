"""More NumPy/`math` calls written as the primitives they equal (the rest of
`srcad.lower.library.REWRITES`), so every order of derivative closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc` that emits ops. Output: the
result operand, or None (the call is then lowered as it is: refused if it has no rule).

- ``np.linalg.tensorinv(a, ind)`` -> ``reshape(inv(reshape(a, (p, q))), shape[ind:] + shape[:ind])``;
- ``np.linalg.tensorsolve(a, b, axes)`` -> ``reshape(solve(reshape(transpose(a, perm), (p, p)),
  ravel(b)), old)`` (shapes and permutation from ``_srcad.tensor_solve_shapes``, NumPy's checks);
- ``np.cov(m, ..., fweights=f, aweights=a)`` -> NumPy's weighted formula: ``w = f * a``,
  ``avg = sum(X w) / sum(w)``, ``(X - avg) w (X - avg)^T / fact`` (differentiable in `m` and
  `aweights`; ``_srcad.cov_fweights`` runs NumPy's checks of both weights);
- ``np.logaddexp(2).accumulate(a, axis)`` -> ``_srcad.lae_accumulate`` (its derivative: a
  linear recurrence, stable: every weight is at most 1);
- ``np.linalg.multi_dot([A, B, C])`` -> ``A @ B @ C`` (NumPy picks the cheapest order: the
  same product, rounded apart), after NumPy's check of the ranks (2-D arrays, the first and last
  1-D too): matmul would take a stack of matrices or refuse a 0-d array with another error;
- ``np.diagflat(v, k)`` -> ``np.diag(np.ravel(v), k)``;
- ``math.dist(p, q)`` -> ``float(np.linalg.norm(np.subtract(p, q)))`` (0 at p == q: the
  minimum-norm subgradient, as `norm`'s).
- ``np.add.outer(a, b)`` (any two-input ufunc but ``multiply``: a tensordot) -> the ufunc of
  ``np.reshape(a, np.shape(a) + (1,) * np.ndim(b))`` and ``b``;
- ``math.hypot(a, b, c, ...)`` -> ``math.hypot(math.hypot(a, b), c) ...``;
- ``np.polyder``/``polyint`` (a constant order), ``polyadd``/``polysub``/``polymul`` -> NumPy's
  own steps (``p[:-1] * arange``, concatenations, padding with zeros, ``convolve`` of the
  coefficients without leading zeros), a ``poly1d`` argument refused when it runs;
- ``math.modf(x)`` -> the Python floats of ``np.modf(x)``, ``math.frexp(x)`` its float and int
  of ``np.frexp(x)``; ``np.extract(c, a)`` -> NumPy's ``np.ravel(a)[np.nonzero(np.ravel(c))[0]]``.
- ``np.var``/``std``/``nanvar``/``nanstd`` with ``correction=c`` (the Array API's name) -> the
  same call with ``ddof=c``; ``np.nanvar``/``nanstd(a, where=m)`` -> of
  ``_srcad.nan_unless(a, m)``, ``np.where(m, a, nan)`` whose derivative is the product by `m`;
- ``np.delete(a, obj, axis)`` -> ``np.compress(_srcad.delete_keep(a, obj, axis), a, axis)``
  (the kept positions: a mask, locally constant); ``np.resize(a, s)`` ->
  ``np.reshape(np.take(np.ravel(a), _srcad.resize_index(a, s)), s)`` (the repeated positions);
- ``np.nancumsum``/``nancumprod`` -> ``np.cumsum``/``cumprod`` of ``np.where(np.isnan(a), 0
  (1), a)`` (NumPy's own definition; the NaN entries get no derivative);
- ``rng.normal(mu, sigma, n)`` of a generator made here, ``np.random.normal(...)`` and their
  kin -> the pathwise-derivative helpers (`srcad.lower.draws_np`); ``np.fft.ihfft`` -> the
  conjugate of an ``rfft`` (`srcad.lower.numpy_api23`).

Example: ``np.linalg.tensorinv(a)`` for ``a`` of shape (2, 3, 6) lowers to::

    s = _srcad.tensor_inv_shapes(a, 2)
    np.reshape(np.linalg.inv(np.reshape(a, s[0])), s[1])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srcad.errors import DiffError
from srcad.lower import (
    api_np,
    counters,
    draws_np,
    gradient_np,
    library_lib24,
    library_lib25,
    library_lib26,
    library_lib30,
    library_lib37,
    numpy_api23,
    numpy_lib25,
    optimize_np,
    stats_entropy,
    stats_lib25,
    stats_np,
    stats_np2,
    stats_np3,
    strided_np,
    unique_np,
)
from srcad.ssa.core import Const, Operand


def tensorinv(lc: Any, a: Operand, ind: Operand) -> Operand:
    shapes = lc.op("srcad.runtime.tensor_inv_shapes", [a, ind])
    mat = lc.op("numpy.reshape", [a, lc.op("getitem", [shapes, Const(0)])])
    inv = lc.op("numpy.linalg.inv", [mat])
    return lc.op("numpy.reshape", [inv, lc.op("getitem", [shapes, Const(1)])])


def tensorsolve(lc: Any, a: Operand, b: Operand, axes: Operand) -> Operand:
    s = lc.op("srcad.runtime.tensor_solve_shapes", [a, b, axes])
    part = [lc.op("getitem", [s, Const(i)]) for i in range(3)]
    mat = lc.op("numpy.reshape", [lc.op("numpy.transpose", [a, part[0]]), part[1]])
    x = lc.op("numpy.linalg.solve", [mat, lc.op("numpy.ravel", [b])])
    return lc.op("numpy.reshape", [x, part[2]])


def cov_weighted(lc: Any, m, y, rowvar, bias, ddof, fweights, aweights) -> Operand | None:  # noqa: ANN001
    """``np.cov`` with weights (NumPy's `function_base.cov`), or None for a computed
    `bias`/`ddof`."""
    if not (isinstance(bias, Const) and isinstance(ddof, Const)):
        return None
    X = lc.op("srcad.runtime.cov_rows", [m, rowvar])
    if y != Const(None):
        rows = lc.op("srcad.runtime.cov_rows", [y, rowvar])
        X = lc.op("numpy.concatenate", [lc.op("tuple", [X, rows])])
    w = lc.op("srcad.runtime.cov_fweights", [X, fweights, aweights])
    if aweights != Const(None):
        aweights = lc.op("numpy.asarray", [aweights], {"dtype": Const(float)})
        w = lc.op("mul", [w, aweights])
    if ddof.value is None:
        ddof = Const(0 if bias.value else 1)
    v1 = lc.op("numpy.sum", [w])
    avg = lc.op("truediv", [lc.op("numpy.sum", [lc.op("mul", [X, w])], {"axis": Const(1)}), v1])
    Xc = lc.op("sub", [X, lc.op("getitem", [avg, Const((slice(None), None))])])
    if ddof.value == 0:
        fact = v1
    elif aweights == Const(None):
        fact = lc.op("sub", [v1, ddof])
    else:
        wa = lc.op("numpy.sum", [lc.op("mul", [w, aweights])])
        fact = lc.op("sub", [v1, lc.op("truediv", [lc.op("mul", [ddof, wa]), v1])])
    fact = lc.op("numpy.maximum", [fact, Const(0.0)])  # NumPy warns and clamps (inf/nan)
    gram = lc.op("matmul", [lc.op("mul", [Xc, w]), lc.op("numpy.transpose", [Xc])])
    return lc.op("numpy.squeeze", [lc.op("truediv", [gram, fact])])


def dist(lc: Any, p: Operand, q: Operand) -> Operand:
    p, q = (lc.op("numpy.asarray", [v], {"dtype": Const(float)}) for v in (p, q))
    for v in (p, q):  # math.dist's errors: NumPy would broadcast, or take the norm of a matrix
        one_d = lc.op("eq", [lc.op("numpy.ndim", [v]), Const(1)])
        msg = "math.dist: a point must be a sequence of numbers"
        lc.op("srcad.runtime.require", [one_d, Const(msg), Const("TypeError")])
    same = lc.op("eq", [lc.op("numpy.shape", [p]), lc.op("numpy.shape", [q])])
    msg = "both points must have the same number of dimensions"
    lc.op("srcad.runtime.require", [same, Const(msg), Const("ValueError")])
    diff = lc.op("numpy.subtract", [p, q])
    return lc.op("float", [lc.op("numpy.linalg.norm", [diff])])


def lae_accumulate(lc: Any, uf: str, array: Operand, axis: Operand, dtype: Operand) -> Any:
    """``np.logaddexp(2).accumulate(array, axis)`` -> ``_srcad.lae_accumulate`` (in base e)."""
    if dtype != Const(None):
        return None
    if uf == "logaddexp":
        return lc.op("srcad.runtime.lae_accumulate", [array, axis])
    ln2 = lc.op("srcad.runtime.ln2_of", [array])  # (a long double's own: precision)
    out = lc.op("srcad.runtime.lae_accumulate", [lc.op("mul", [array, ln2]), axis])
    return lc.op("truediv", [out, ln2])


def multi_dot(lc: Any, elts: list) -> Operand:
    acc = None
    for i, e in enumerate(elts):
        ndim = lc.op("numpy.ndim", [e])
        ok = lc.op("eq", [ndim, Const(2)])
        if i in (0, len(elts) - 1):
            ok = lc.op("in", [ndim, Const((1, 2))])
        msg = "np.linalg.multi_dot: Array must be two-dimensional (1-D first and last)"
        lc.op("srcad.runtime.require", [ok, Const(msg), Const("LinAlgError")])
        acc = e if acc is None else lc.op("matmul", [acc, e])
    return acc


def vander_checks(lc: Any, x: Operand, n: Operand) -> None:
    """NumPy's errors of ``np.vander(x, N)``: `x` not 1-D, `N` negative."""
    one_d = lc.op("eq", [lc.op("numpy.ndim", [x]), Const(1)])
    msg = "x must be a one-dimensional array or sequence."
    lc.op("srcad.runtime.require", [one_d, Const(msg), Const("ValueError")])
    msg = "negative dimensions are not allowed"
    lc.op("srcad.runtime.require", [lc.op("ge", [n, Const(0)]), Const(msg), Const("ValueError")])


def not_integral(v: Any) -> bool:
    """Whether `v` (a constant ``ddof``) is neither None nor a whole number: ``np.cov`` raises."""
    return v is not None and not (isinstance(v, (int, float)) and float(v).is_integer())


def diagflat(lc: Any, v: Operand, k: Operand) -> Operand:
    return lc.op("numpy.diag", [lc.op("numpy.ravel", [v]), k])


def ufunc_outer(lc: Any, uf: Any, a: Operand, b: Operand) -> Operand:
    """``np.add.outer(a, b)`` -> ``np.add(np.reshape(a, np.shape(a) + (1,) * np.ndim(b)), b)``:
    NumPy's definition, the same elementwise ufunc (the same values and dtype)."""
    ones = lc.op("mul", [Const((1,)), lc.op("numpy.ndim", [b])])
    shape = lc.op("add", [lc.op("numpy.shape", [a]), ones])
    return lc.op(f"numpy.{uf.__name__}", [lc.op("numpy.reshape", [a, shape]), b])


def modf(lc: Any, x: Operand) -> Operand:
    """``math.modf(x)`` -> the Python floats of ``np.modf(x)`` (the same IEEE parts)."""
    t = lc.op("numpy.modf", [x])
    parts = [lc.op("float", [lc.op("getitem", [t, Const(k)])]) for k in (0, 1)]
    return lc.op("tuple", parts)


def frexp(lc: Any, x: Operand) -> Operand:
    """``math.frexp(x)`` -> ``np.frexp(x)`` as a Python float and int (the same IEEE parts)."""
    t = lc.op("numpy.frexp", [x])
    return lc.op(
        "tuple",
        [lc.op(p, [lc.op("getitem", [t, Const(k)])]) for k, p in enumerate(("float", "int"))],
    )


def hypot(lc: Any, coordinates: tuple) -> Operand | None:
    """``math.hypot(a, b, c, ...)`` -> ``hypot(hypot(a, b), c) ...`` (the same length; two
    arguments stay as they are); ``hypot()`` is 0.0, ``hypot(a)`` ``abs(float(a))``."""
    if len(coordinates) == 2:
        return None
    if not coordinates:
        return Const(0.0)
    out = lc.op("abs", [lc.op("float", [coordinates[0]])])
    if len(coordinates) == 1:
        return out
    out = coordinates[0]
    for c in coordinates[1:]:
        out = lc.op("math.hypot", [out, c])
    return out


def extract(lc: Any, condition: Operand, arr: Operand) -> Operand:
    """``np.extract(c, a)`` -> ``np.ravel(a)[np.nonzero(np.ravel(c))[0]]`` (NumPy's take)."""
    idx = lc.op("getitem", [lc.op("numpy.nonzero", [lc.op("numpy.ravel", [condition])]), Const(0)])
    return lc.op("getitem", [lc.op("numpy.ravel", [arr]), idx])


def var_correction(name: str) -> Any:
    """``np.var(a, ..., correction=c)`` -> ``np.var(a, ..., ddof=c)`` for `name`; nanvar/nanstd
    with ``where=m`` -> of ``_srcad.nan_unless(a, m)`` (None: neither, or `mean`/`out` given, or
    both `ddof` and `correction`: NumPy refuses those)."""

    def rewrite(lc: Any, a, axis, dtype, out, ddof, keepdims, where, mean, correction):  # noqa: ANN001
        if out != Const(None) or (correction != _NOVALUE and ddof != Const(0)):
            return None
        if mean != _NOVALUE and name in ("numpy.var", "numpy.std"):
            ddof = ddof if correction == _NOVALUE else correction
            return var_of_mean(lc, name, a, axis, dtype, ddof, keepdims, where, mean)
        nan_where = name in ("numpy.nanvar", "numpy.nanstd") and where != _NOVALUE
        if correction == _NOVALUE and not nan_where or mean != _NOVALUE:
            return None
        if nan_where:  # the items `where` leaves out are NaN for NumPy's nanvar: skipped alike
            a = lc.op("srcad.runtime.nan_unless", [a, where])  # (np.where(where, a, nan))
            where = _NOVALUE
        ddof = ddof if correction == _NOVALUE else correction
        kw = {"axis": axis, "dtype": dtype, "ddof": ddof}
        kw.update({k: v for k, v in (("keepdims", keepdims), ("where", where)) if v != _NOVALUE})
        return lc.op(name, [a], kw)

    return rewrite


def var_of_mean(lc: Any, name: str, a, axis, dtype, ddof, keepdims, where, mean) -> Operand:  # noqa: ANN001
    """``np.var(a, ..., mean=m)`` (NumPy >= 2.0; `name` numpy.var or numpy.std): NumPy's steps
    with the mean given, ``x = a - m``, ``sum(real(x * conj(x)), axis, dtype, keepdims, where) /
    max(n - ddof, 0)`` with `n` the count of the items reduced (the `where` mask's), and the
    square root for std; `x * conj(x)` is NumPy's ``x * x`` for real data, exactly."""
    keep = Const(False) if keepdims == _NOVALUE else keepdims
    mask = Const(True) if where == _NOVALUE else where
    x = lc.op("sub", [a, mean])
    sq = lc.op("numpy.real", [lc.op("mul", [x, lc.op("numpy.conjugate", [x])])])
    kw = {"axis": axis, "dtype": dtype, "keepdims": keep}
    total = lc.op("numpy.sum", [sq], {**kw, **({} if where == _NOVALUE else {"where": mask})})
    items = lc.op("numpy.broadcast_to", [mask, lc.op("numpy.shape", [a])])
    n = lc.op("numpy.sum", [items], {**kw, "dtype": Const(np.intp)})
    n = lc.op("numpy.maximum", [lc.op("sub", [n, ddof]), Const(0)])
    var = lc.op("truediv", [total, n])
    return var if name == "numpy.var" else lc.op("numpy.sqrt", [var])


def method_call(
    lc: Any, attr: str, recv: Operand, args: list, kwargs: dict, node: Any = None
) -> Operand:
    """``recv.attr(...)`` of a run-time receiver: ``x.var(mean=m)`` (NumPy >= 2.0; not with
    ``correction=``: Python's TypeError, refused) as ``np.var(x, ...)``'s rewrite
    (`var_correction`); ``c.most_common(n)`` (lower/counters.py); else ``method.<attr>``."""
    if (out := draws_np.method(lc, attr, recv, args, kwargs)) is not None:  # rng.normal(mu, s)
        return out
    if attr == "most_common" and (out := counters.most_common(lc, recv, args, kwargs, node)):
        return out  # of a collections.Counter (lower/counters.py)
    if attr in ("var", "std") and "mean" in kwargs and "correction" not in kwargs:
        out = lc.library_rewrite(f"numpy.{attr}", [recv, *args], kwargs)
        if out is not None:
            return out
    return lc.op(f"method.{attr}", [recv, *args], kwargs)


def ufunc_dtype(lc: Any, name: str, args: list, kwargs: dict) -> Operand | None:
    """``np.<ufunc>(x, y, dtype=D)``, D a float or complex dtype known at transform time:
    NumPy casts each operand to D by the `same_kind` rule (a complex operand and ``dtype=float``
    raise) and computes in D -> ``np.<ufunc>(np.asarray(x).astype(D, casting="same_kind"),
    ...)``. Another dtype or another keyword: None (the call as it is: refused)."""
    uf = getattr(np, name[6:], None) if name.startswith("numpy.") else None
    if not isinstance(uf, np.ufunc) or set(kwargs) != {"dtype"} or len(args) != uf.nin:
        return None
    known, dt = lc.static_object(kwargs["dtype"])
    try:
        kind = np.dtype(dt).kind if known and dt is not None else ""
    except TypeError:
        kind = ""
    if uf.nout != 1 or kind not in ("f", "c"):
        return None
    cast = {"casting": Const("same_kind")}
    ops = [
        lc.op("method.astype", [lc.op("numpy.asarray", [a]), kwargs["dtype"]], cast) for a in args
    ]
    return lc.op(name, ops)


def atleast(name: str) -> Any:
    """``np.atleast_2d(a, b, ...)`` of two arrays or more -> the tuple of ``np.atleast_2d`` of
    each (NumPy 2's result); one array: None (the primitive itself)."""

    def rewrite(lc: Any, arys: tuple) -> Operand | None:
        if len(arys) < 2:
            return None
        return lc.op("tuple", [lc.op(name, [a]) for a in arys])

    return rewrite


def delete(lc: Any, arr: Operand, obj: Operand, axis: Operand) -> Operand:
    keep = lc.op("srcad.runtime.delete_keep", [arr, obj, axis])
    return lc.op("numpy.compress", [keep, arr], {"axis": axis})


def resize(lc: Any, a: Operand, new_shape: Operand) -> Operand:
    """``np.resize(a, s)`` -> ``np.reshape(np.take(np.ravel(a), _srcad.resize_index(a, s)), s)``."""
    idx = lc.op("srcad.runtime.resize_index", [a, new_shape])
    return lc.op(
        "numpy.reshape", [lc.op("numpy.take", [lc.op("numpy.ravel", [a]), idx]), new_shape]
    )


def nan_cumulative(prim: str, fill: int) -> Any:
    """``np.nancumsum`` (``prim`` cumsum, `fill` 0) / ``np.nancumprod`` (cumprod, 1)."""

    def rewrite(lc: Any, a: Operand, axis: Operand, dtype: Operand, out: Operand) -> Any:
        if out != Const(None):
            return None
        clean = lc.op("numpy.where", [lc.op("numpy.isnan", [a]), Const(fill), a])
        return lc.op(prim, [clean], {"axis": axis, "dtype": dtype})

    return rewrite


_NOVALUE = Const(np._NoValue)
_NV = np._NoValue


def _var_sig(
    a,
    axis=None,
    dtype=None,
    out=None,
    ddof=0,
    keepdims=_NV,
    *,
    where=_NV,
    mean=_NV,
    correction=_NV,
):
    """NumPy 2's signature of ``np.var``/``std``/``nanvar``/``nanstd``."""


def _nan_cum_sig(a, axis=None, dtype=None, out=None):
    """The signature of ``np.nancumsum``/``nancumprod``."""


def _not_poly1d(lc: Any, *polys: Operand) -> None:
    """Checked when it runs: NumPy returns a ``poly1d`` for one (refused there, located)."""
    for a in polys:
        is_poly = lc.op("isinstance", [a, Const(np.poly1d)])
        lc.select(is_poly, lambda: _refused(lc), lambda: Const(None), None)


def _refused(lc: Any) -> Operand:
    err = DiffError("np.poly* of a poly1d object is not supported", hint="pass its `.coeffs`")
    lc.op("srcad.runtime.raise_", [Const(err)])
    return Const(None)


def polyder(lc: Any, p: Operand, m: Operand) -> Operand | None:
    """``np.polyder(p, m)`` of a constant order: ``p[:-1] * np.arange(len(p) - 1, 0, -1)``, m
    times (NumPy's own steps)."""
    if not (isinstance(m, Const) and type(m.value) is int and 0 <= m.value <= 16):
        return None
    _not_poly1d(lc, p)
    p = lc.op("numpy.asarray", [p])
    msg = "np.polyder of coefficients that are not 1-D (NumPy broadcasts their rows oddly)"
    lc.op("srcad.runtime.require", [lc.op("le", [lc.op("numpy.ndim", [p]), Const(1)]), Const(msg)])
    for _ in range(m.value):
        n = lc.op("sub", [lc.op("len", [p]), Const(1)])
        steps = lc.op("numpy.arange", [n, Const(0), Const(-1)])
        p = lc.op("mul", [lc.op("getitem", [p, Const(slice(None, -1))]), steps])
    return p


def polyint(lc: Any, p: Operand, m: Operand, k: Operand) -> Operand | None:
    """``np.polyint(p, m)`` of a constant order with ``k`` absent (zeros), or m = 1 and a number
    ``k``: ``np.concatenate((p / np.arange(len(p), 0, -1), [k]))`` m times."""
    if not (isinstance(m, Const) and type(m.value) is int and 0 <= m.value <= 16):
        return None
    if k != Const(None) and m.value != 1:
        return None
    _not_poly1d(lc, p)
    p = lc.op("numpy.asarray", [p])
    for _ in range(m.value):
        steps = lc.op("numpy.arange", [lc.op("len", [p]), Const(0), Const(-1)])
        k0 = Const(0.0)
        if k != Const(None):  # NumPy's k[0] of a sequence k
            k0 = lc.op("getitem", [lc.op("numpy.atleast_1d", [k]), Const(0)])
        last = lc.op("list", [k0])
        p = lc.op("numpy.concatenate", [lc.op("tuple", [lc.op("truediv", [p, steps]), last])])
    return p


def _padded(lc: Any, a: Operand, b: Operand) -> tuple[Operand, Operand]:
    """`a` and `b` (at least 1-D) with zeros in front of the shorter, as NumPy's polyadd."""
    a, b = lc.op("numpy.atleast_1d", [a]), lc.op("numpy.atleast_1d", [b])
    na, nb = lc.op("len", [a]), lc.op("len", [b])
    out = []
    for x, gap in ((a, lc.op("sub", [nb, na])), (b, lc.op("sub", [na, nb]))):
        zeros = lc.op("numpy.zeros", [lc.op("max", [gap, Const(0)]), lc.op("attr.dtype", [x])])
        out.append(lc.op("numpy.concatenate", [lc.op("tuple", [zeros, x])]))
    return out[0], out[1]


def polyadd(lc: Any, a1: Operand, a2: Operand) -> Operand:
    """``np.polyadd(a1, a2)``: the sum of the two padded to the same length (NumPy's steps)."""
    _not_poly1d(lc, a1, a2)
    return lc.op("add", list(_padded(lc, a1, a2)))


def polysub(lc: Any, a1: Operand, a2: Operand) -> Operand:
    """``np.polysub(a1, a2)``, as `polyadd`."""
    _not_poly1d(lc, a1, a2)
    return lc.op("sub", list(_padded(lc, a1, a2)))


def _stripped(lc: Any, a: Operand) -> Operand:
    """``np.poly1d(a).coeffs``: `a` (at least 1-D) without its leading zeros, ``[0]`` when all
    are zero."""
    a = lc.op("numpy.atleast_1d", [a])
    nonzero = lc.op("ne", [a, Const(0)])
    first = lc.op("numpy.argmax", [nonzero])
    some = lc.op("numpy.any", [nonzero])
    rest = lc.op("getitem", [a, lc.op("slice", [first, Const(None), Const(None)])])
    return lc.select(some, lambda: rest, lambda: lc.op("getitem", [a, Const(slice(-1, None))]), a)


def polymul(lc: Any, a1: Operand, a2: Operand) -> Operand:
    """``np.polymul(a1, a2)``: ``np.convolve`` of the two without leading zeros (NumPy's steps,
    through ``poly1d``)."""
    _not_poly1d(lc, a1, a2)
    return lc.op("numpy.convolve", [_stripped(lc, a1), _stripped(lc, a2)])


REWRITES = {
    "math.modf": (lambda x, /: None, modf),
    "math.frexp": (lambda x, /: None, frexp),
    "numpy.extract": (lambda condition, arr: None, extract),
    "numpy.diagflat": (lambda v, k=0: None, diagflat),
    "numpy.linalg.tensorinv": (lambda a, ind=2: None, tensorinv),
    "numpy.linalg.tensorsolve": (lambda a, b, axes=None: None, tensorsolve),
    "math.dist": (lambda p, q, /: None, dist),
    **{
        f"numpy.{n}": (_var_sig, var_correction(f"numpy.{n}"))
        for n in ("var", "std", "nanvar", "nanstd")
    },
    "numpy.delete": (lambda arr, obj, axis=None: None, delete),
    **{
        f"numpy.atleast_{k}d": (lambda *arys: None, atleast(f"numpy.atleast_{k}d"))
        for k in (1, 2, 3)
    },
    "numpy.resize": (lambda a, new_shape: None, resize),
    "numpy.nancumsum": (_nan_cum_sig, nan_cumulative("numpy.cumsum", 0)),
    "numpy.nancumprod": (_nan_cum_sig, nan_cumulative("numpy.cumprod", 1)),
    **stats_np.REWRITES,
    **draws_np.REWRITES,
    **numpy_api23.REWRITES,
    **stats_np2.REWRITES,
    **stats_np3.REWRITES,
    **stats_entropy.REWRITES,
    **api_np.REWRITES,
    **gradient_np.REWRITES,
    **optimize_np.REWRITES,
    **library_lib24.REWRITES,
    **library_lib25.REWRITES,
    **stats_lib25.REWRITES,
    **numpy_lib25.REWRITES,
    **library_lib26.REWRITES,
    **library_lib30.REWRITES,
    **library_lib37.REWRITES,
    **unique_np.REWRITES,
    **strided_np.REWRITES,
    "math.hypot": (lambda *coordinates: None, hypot),
    "numpy.polyder": (lambda p, m=1: None, polyder),
    "numpy.polyint": (lambda p, m=1, k=None: None, polyint),
    "numpy.polyadd": (lambda a1, a2: None, polyadd),
    "numpy.polysub": (lambda a1, a2: None, polysub),
    "numpy.polymul": (lambda a1, a2: None, polymul),
}
