"""NumPy functions users call that had no derivative rule: ``np.nanprod``, ``np.i0``,
``np.compress``, ``np.insert``, ``np.block``, ``np.bincount`` and ``np.histogram`` (in the
weights), ``np.linalg.cond`` (p None, 2, -2), ``np.matvec``/``np.vecmat`` (NumPy >= 2.2), with
the runtime helpers their rules call and those helpers' own rules (so every order closes).

Input: the `RuleTable` pair. Output: the tables filled with those rules.

- ``nanprod``: the product of the non-NaN entries; a NaN entry gets no derivative.
- ``i0``: d I0 = I1; ``bessel_i(n, x)`` is the modified Bessel function I_n of integer order
  (NumPy only: its power series), with d I_n = (I_{n-1} + I_{n+1}) / 2 (I_{-n} = I_n).
- ``compress``, ``insert``, ``block``: linear; their transposes scatter the cotangent back by
  tagging each input element with its number and running the same NumPy call on the tags.

Example (``np.i0(x)``)::

    jvp: dx * _srcad.bessel_i(1, x)
    vjp: bx = g * _srcad.bessel_i(1, x)
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand, real_part, tag_sum
from srcad.rules import histograms
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.linalg_decomp import _s_only
from srcad.rules.reductions import _like_input, cast


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    _nanprod_rules(jvp, vjp)
    jvp.defjvp("numpy.i0", "x", x="dx * _srcad.bessel_i(1, x)")
    vjp.defvjp("numpy.i0", "x", x="g * _srcad.bessel_i(1, x)")
    di = "0.5 * (_srcad.bessel_i(n - 1, x) + _srcad.bessel_i(n + 1, x))"
    jvp.defjvp(rt(bessel_i), "n, x", nondiff=("n",), x=f"dx * {di}")
    vjp.defvjp(rt(bessel_i), "n, x", nondiff=("n",), x=f"g * {di}")
    _linear_rules(jvp, vjp)
    # np.bincount: linear in `weights` (the counts alone: no derivative)
    sig, nd = "x, /, weights=None, minlength=0", ("x", "minlength")
    jvp.defjvp("numpy.bincount", sig, nondiff=nd,
               weights="np.bincount(x, weights=dweights, minlength=minlength)")  # fmt: skip
    vjp.defvjp("numpy.bincount", sig, nondiff=nd, weights="_srcad.bincount_vjp(g, x, weights)")
    deflinear_helper(
        jvp, vjp, bincount_vjp, "t, x, weights",
        "_srcad.bincount_vjp(dt, x, weights)", "np.bincount(x, weights=g, minlength=np.size(t))",
    )  # fmt: skip
    _cond_rules(jvp, vjp)
    _histogram_rules(jvp, vjp)
    if hasattr(np, "matvec"):  # NumPy >= 2.2 (real operands: vecmat conjugates its vector)
        _matvec_rules(jvp, vjp)


@helper
def bincount_vjp(g, x, weights):
    """Cotangent of `weights` for ``np.bincount(x, weights)``: `g` read at each index."""
    return _like_input(np.reshape(real_part(g)[np.asarray(x)], np.shape(weights)),
                       weights)  # fmt: skip


# -- np.histogram: linear in `weights`; in `a`, the edges' motion with its min and max (the counts
# are piecewise constant in it: rules/histograms.py) ---------------------------------------------
_H = "a, bins, range, density"


def _plain_hist(density):
    if density:
        raise _unsupported("np.histogram with density=True has no derivative rule")


@helper
def histogram_w(t, a, bins, range, density):  # noqa: A002 - NumPy's name
    """``np.histogram(a, bins, range, weights=t)``'s tangent for a tangent `t` of the weights:
    (the weighted counts, zero for the edges)."""
    _plain_hist(density)
    h, edges = np.histogram(a, bins, range, weights=t)
    return h, np.zeros(np.shape(edges))


@helper
def histogram_w_vjp(g, a, bins, range, density, like):  # noqa: A002
    """Cotangent of the weights (shaped like `like`) for ``np.histogram(a, ..., weights=w)``: the
    counts' cotangent read at each entry's bin, 0 outside the range."""
    _plain_hist(density)
    gh = None if g is None else g[0]
    if gh is None:
        return _like_input(np.zeros(np.shape(like)), like)
    edges = np.histogram_bin_edges(a, bins, range)
    x = np.ravel(real_operand(a, "np.histogram"))
    k = np.searchsorted(edges, x, "right") - 1
    k = np.where(x == edges[-1], len(edges) - 2, k)  # the last bin is closed
    inside = (k >= 0) & (k < len(edges) - 1)
    gh = real_part(gh)
    out = np.where(inside, gh[np.clip(k, 0, len(gh) - 1)], 0.0)
    return _like_input(np.reshape(out, np.shape(like)), like)


def _histogram_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    sig = "a, bins=10, range=None, density=None, weights=None"
    nd = ("bins", "range", "density")
    jvp.defjvp("numpy.histogram", sig, nondiff=nd, a=histograms.JVP_A,
               weights=f"_srcad.histogram_w(dweights, {_H})")  # fmt: skip
    vjp.defvjp("numpy.histogram", sig, nondiff=nd, a=histograms.VJP_A,
               weights=f"_srcad.histogram_w_vjp(g, {_H}, weights)")  # fmt: skip
    sig = f"t, {_H}"
    deflinear_helper(jvp, vjp, histogram_w, sig, f"_srcad.histogram_w(dt, {_H})",
                     f"_srcad.histogram_w_vjp(g, {_H}, t)")  # fmt: skip
    deflinear_helper(jvp, vjp, histogram_w_vjp, f"{sig}, like",
                     f"_srcad.histogram_w_vjp(dt, {_H}, like)",
                     f"_srcad.histogram_w(g, {_H})")  # fmt: skip


@helper
def cond_ij(p, n):
    """(i, j) with ``np.linalg.cond(x, p) = s_i / s_j`` (s the `n` singular values, largest first):
    p None or 2: (0, n - 1), p -2: (n - 1, 0); any other p is refused."""
    if p is None or p == 2:
        return 0, n - 1
    if p == -2:
        return n - 1, 0
    raise _unsupported(f"no derivative of np.linalg.cond(x, p={p!r}): only p = None, 2, -2")


def _cond_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """np.linalg.cond(x, p) for p None/2 (s_0 / s_-1) and -2 (s_-1 / s_0), s the singular values
    (svdvals' own templates give ds; ties averaged as theirs); any other p is refused."""
    svd, s = "np.linalg.svd(x, full_matrices=False)", "np.linalg.svdvals(x)"
    n = f"np.shape({s})[-1]"
    i, j = f"_srcad.cond_ij(p, {n})[0]", f"_srcad.cond_ij(p, {n})[1]"
    ds = _s_only(f"{svd}[0]", f"{svd}[2]", s, "dx")[0]
    e = f"np.arange({n})"
    gs = f"((({e} == {i}) * 1.0 - ans[..., None] * ({e} == {j})) * (g / {s}[..., {j}])[..., None])"
    jt = f"(({ds})[..., {i}] - ans * ({ds})[..., {j}]) / {s}[..., {j}]"
    vt = _s_only(f"{svd}[0]", f"{svd}[2]", s, "dx", gs)[1]
    defzero_helper(jvp, vjp, cond_ij)
    jvp.defjvp("numpy.linalg.cond", "x, p=None", nondiff=("p",), x=jt)
    vjp.defvjp("numpy.linalg.cond", "x, p=None", nondiff=("p",), x=vt)


def _matvec_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    ub = "_srcad.unbroadcast"
    jvp.defjvp("numpy.matvec", "x1, x2, /", x1="np.matvec(dx1, x2)", x2="np.matvec(x1, dx2)")
    vjp.defvjp(
        "numpy.matvec", "x1, x2, /",
        x1=f"{ub}(g[..., :, None] * x2[..., None, :], x1)",
        x2=f"{ub}(np.matmul(g[..., None, :], x1)[..., 0, :], x2)",
    )  # fmt: skip
    jvp.defjvp("numpy.vecmat", "x1, x2, /", x1="np.vecmat(dx1, x2)", x2="np.vecmat(x1, dx2)")
    vjp.defvjp(
        "numpy.vecmat", "x1, x2, /",
        x1=f"{ub}(np.matmul(x2, g[..., :, None])[..., 0], x1)",
        x2=f"{ub}(x1[..., :, None] * g[..., None, :], x2)",
    )  # fmt: skip


# -- np.nanprod -------------------------------------------------------------------------------
_NP_SIG = "a, axis=None, dtype=None, out=None, keepdims=False"
_ONE = "np.where(np.isnan(a), 1.0, a)"


def _nanprod_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    # nanprod(a) = prod(where(isnan(a), 1, a)); with `initial` or `where` it is lowered as that
    # prod (lower/library_lib37.py), not this rule; an integer dtype casts: zero derivative.
    nd = ("axis", "dtype", "out", "keepdims")
    jt = (
        f"np.sum(np.where(np.isnan(a), 0.0, da) * _srcad.prod_others({_ONE}, axis), "
        "axis=axis, keepdims=keepdims)"
    )
    vt = (
        f"np.where(np.isnan(a), 0.0, _srcad.expand_reduced({cast('g')}, a, axis, keepdims) "
        f"* _srcad.prod_others({_ONE}, axis))"
    )
    jvp.defjvp("numpy.nanprod", _NP_SIG, nondiff=nd, a=cast(jt))
    vjp.defvjp("numpy.nanprod", _NP_SIG, nondiff=nd, a=vt)


# -- np.i0 and its derivatives: I_n by its power series ----------------------------------------
@helper
def bessel_i(n, x):
    """The modified Bessel function of the first kind I_n(x), `n` an integer (I_-n = I_n):
    sum_k (x/2)^(2k+n) / (k! (k+n)!), every term positive for x >= 0 (I_n(-x) = (-1)^n I_n(x)),
    summed until the terms no longer change the sum; inf where it overflows, as ``np.i0``."""
    n = abs(int(n))  # I_{-n} = I_n
    x = real_operand(x, "np.i0")
    h = np.abs(x) / 2.0
    q = h * h
    with np.errstate(over="ignore", invalid="ignore"):
        term = h**n / math.factorial(n)
        total = term.copy()
        k = 0
        while True:
            k += 1
            term = term * q / (k * (k + n))
            total = total + term
            if not np.any(term > np.finfo(float).eps * total * 0.5) or k > 2000:
                break
    out = np.where(np.isnan(x), np.nan, total)
    out = np.where(x < 0, (-1.0) ** n * out, out)
    return out[()] if out.ndim == 0 else out


# -- compress, insert, block: linear, transposed by tagging ------------------------------------
def _flat_sum(tags, g, size):
    """sum of `g` over the positions whose tag is k, for k = 1..size (tag 0: no input element)."""
    w = np.ravel(np.asarray(g))
    if np.iscomplexobj(w):  # linear: the real and imaginary parts apart (bincount is real)
        return _flat_sum(tags, w.real, size) + 1j * _flat_sum(tags, w.imag, size)
    return tag_sum(tags, w, size + 1)[1:]


def _tags(x):
    """The elements of `x` numbered 1..size, in its shape."""
    return np.arange(1, np.size(x) + 1).reshape(np.shape(x))


@helper
def compress_vjp(g, condition, a, axis=None):
    """Cotangent of `a` for ``np.compress(condition, a, axis)``."""
    tags = np.compress(condition, _tags(a), axis=axis)
    return _like_input(_flat_sum(tags, g, np.size(a)).reshape(np.shape(a)), a)


@helper
def insert_vjp_arr(g, arr, obj, values, axis=None):
    """Cotangent of `arr` for ``np.insert(arr, obj, values, axis)``."""
    # zeros in the shape of `values`: how many slices are inserted depends on it
    tags = np.insert(_tags(arr), obj, np.zeros(np.shape(values), dtype=np.int64), axis=axis)
    return _like_input(_flat_sum(tags, g, np.size(arr)).reshape(np.shape(arr)), arr)


@helper
def insert_vjp_values(g, arr, obj, values, axis=None):
    """Cotangent of `values` for ``np.insert(arr, obj, values, axis)`` (broadcast copies summed)."""
    tags = np.insert(np.zeros(np.shape(arr), dtype=np.int64), obj, _tags(values), axis=axis)
    return _like_input(_flat_sum(tags, g, np.size(values)).reshape(np.shape(values)), values)


@helper
def insert_values(t, arr, obj, axis=None):
    """``np.insert(zeros_like(arr), obj, t, axis)``: the tangent from the inserted values alone."""
    return np.insert(np.zeros(np.shape(arr)), obj, t, axis=axis)


def _leaves(arrays, out):
    if type(arrays) is list:
        for a in arrays:
            _leaves(a, out)
    else:
        out.append(arrays)
    return out


def _rebuild(arrays, parts, it):
    if type(arrays) is list:
        return [_rebuild(a, parts, it) for a in arrays]
    return _like_input(parts[next(it)], arrays)


@helper
def block_vjp(g, arrays):
    """Cotangents of the nested lists `arrays` for ``np.block(arrays)``, in their structure."""
    leaves = _leaves(arrays, [])
    sizes = [int(np.size(x)) for x in leaves]
    offsets = np.cumsum([0, *sizes])
    tag_leaves = iter([np.arange(o + 1, o + s + 1).reshape(np.shape(x))
                       for o, s, x in zip(offsets, sizes, leaves)])  # fmt: skip
    tags = np.block(_rebuild_plain(arrays, tag_leaves))
    flat = _flat_sum(tags, g, int(offsets[-1]))
    parts = [flat[o : o + s].reshape(np.shape(x)) for o, s, x in zip(offsets, sizes, leaves)]
    return _rebuild(arrays, parts, iter(range(len(parts))))


def _as_lists(t, arrays):
    """`t` (a structure like `arrays`, tuples or lists, None for a zero) as nested lists."""
    if type(arrays) is list:
        t = [None] * len(arrays) if t is None else t  # (a whole row's zero)
        return [_as_lists(e, a) for e, a in zip(t, arrays)]
    return np.zeros(np.shape(arrays)) if t is None else t


@helper
def block_t(t, arrays):
    """``np.block(t)`` for `t` shaped like the nested lists `arrays` (the transpose of
    `block_vjp`: its tuples read as lists, a None entry as zeros)."""
    return np.block(_as_lists(t, arrays))


def _rebuild_plain(arrays, it):
    if type(arrays) is list:
        return [_rebuild_plain(a, it) for a in arrays]
    return next(it)


def _linear_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    sig, nd, z = "condition, a, axis=None, out=None", ("axis", "out"), ("condition",)
    jvp.defjvp(
        "numpy.compress", sig, nondiff=nd, zero_in=z, a="np.compress(condition, da, axis=axis)"
    )
    vjp.defvjp(
        "numpy.compress", sig, nondiff=nd, zero_in=z, a="_srcad.compress_vjp(g, condition, a, axis)"
    )
    msig = "x, condition, axis=None, out=None"  # (``x.compress(c)``: NumPy's np.compress)
    jvp.defjvp(
        "method.compress", msig, nondiff=nd, zero_in=z, x="np.compress(condition, dx, axis=axis)"
    )
    vjp.defvjp(
        "method.compress",
        msig,
        nondiff=nd,
        zero_in=z,
        x="_srcad.compress_vjp(g, condition, x, axis)",
    )
    deflinear_helper(
        jvp, vjp, compress_vjp, "t, condition, a, axis=None",
        "_srcad.compress_vjp(dt, condition, a, axis)", "np.compress(condition, g, axis=axis)",
    )  # fmt: skip
    sig, nd = "arr, obj, values, axis=None", ("obj", "axis")
    jvp.defjvp(
        "numpy.insert", sig, nondiff=nd,
        arr="np.insert(darr, obj, np.zeros(np.shape(values)), axis=axis)",
        values="_srcad.insert_values(dvalues, arr, obj, axis)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.insert", sig, nondiff=nd,
        arr="_srcad.insert_vjp_arr(g, arr, obj, values, axis)",
        values="_srcad.insert_vjp_values(g, arr, obj, values, axis)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, insert_values, "t, arr, obj, axis=None",
        "_srcad.insert_values(dt, arr, obj, axis)",
        "_srcad.insert_vjp_values(g, arr, obj, t, axis)",
    )  # fmt: skip
    sig = "t, arr, obj, values, axis=None"
    deflinear_helper(
        jvp, vjp, insert_vjp_arr, sig,
        "_srcad.insert_vjp_arr(dt, arr, obj, values, axis)",
        "np.insert(g, obj, np.zeros(np.shape(values)), axis=axis)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, insert_vjp_values, sig,
        "_srcad.insert_vjp_values(dt, arr, obj, values, axis)",
        "_srcad.insert_values(g, arr, obj, axis)",
    )  # fmt: skip
    jvp.defjvp("numpy.block", "arrays", arrays="np.block(darrays)")
    vjp.defvjp("numpy.block", "arrays", arrays="_srcad.block_vjp(g, arrays)")
    deflinear_helper(
        jvp, vjp, block_vjp, "t, arrays", "_srcad.block_vjp(dt, arrays)",
        "_srcad.block_t(g, arrays)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, block_t, "t, arrays", "_srcad.block_t(dt, arrays)", "_srcad.block_vjp(g, arrays)"
    )
