"""Products (dot, matmul, vdot, inner, outer, tensordot, vecdot, cross with its axes, kron,
convolve, einsum) and the runtime
helpers that contract a cotangent with the other operand, with their rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules and the helpers' rules.

Products are bilinear: one JVP term per operand (the product with that operand's tangent); the VJP
helpers contract ``g`` with the other operand. Example (``np.dot``)::

    jvp: np.dot(da, b) + np.dot(a, db)
    vjp: ba = _srcad.dot_vjp(g, a, b, 0); bb = _srcad.dot_vjp(g, a, b, 1)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import asarray, is_duck_array
from srcad.rules.helpers import helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.reductions import _like_input
from srcad.rules.trees import unbroadcast
from srcad.rules.unread import (
    einsum_unread,
    outer_unread,
    tensordot_subscripts,
    unread_free,
    unread_zeroed,
)

_ND = np.ndarray
EINSUM_SIG = "subscripts, a, b=None, c=None, /, *, out=None, optimize=False"


# ``np.outer(x, y)`` as ``x (column) @ y (row)``: its cotangents are matmul_vjp's, without the
# ``0 * nan`` of an entry of the other operand in a row/column no read reaches
OUTER_ARGS = "np.reshape({x}, (-1, 1)), np.reshape({y}, (1, -1))"


def _bilinear(jvp, vjp, prim, sig, x, y, jx, jy, vx, vy, nondiff=()):
    """A rule with JVP terms `jx`, `jy` and VJP cotangents `vx`, `vy` for operands `x`, `y`."""
    jvp.defjvp(prim, sig, nondiff=nondiff, **{x: jx, y: jy})
    vjp.defvjp(prim, sig, nondiff=nondiff, **{x: vx, y: vy})


def _linear(jvp, vjp, prim, sig, x, jt, vt, nondiff=(), zero_in=()):
    jvp.defjvp(prim, sig, nondiff=nondiff, zero_in=zero_in, **{x: jt})
    vjp.defvjp(prim, sig, nondiff=nondiff, zero_in=zero_in, **{x: vt})


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the product and linear-algebra rules."""
    for prim, x in (("numpy.dot", "a"), ("method.dot", "x")):
        _bilinear(
            jvp, vjp, prim, f"{x}, b, out=None", x, "b",
            f"np.dot(d{x}, b)", f"np.dot({x}, db)",
            f"_srcad.dot_vjp(g, {x}, b, 0)", f"_srcad.dot_vjp(g, {x}, b, 1)",
            nondiff=("out",),
        )  # fmt: skip
    for prim in ("numpy.matmul", "numpy.linalg.matmul"):
        _bilinear(
            jvp, vjp, prim, "x1, x2, /", "x1", "x2",
            "dx1 @ x2", "x1 @ dx2",
            "_srcad.matmul_vjp(g, x1, x2, 0)", "_srcad.matmul_vjp(g, x1, x2, 1)",
        )  # fmt: skip
    _bilinear(
        jvp, vjp, "numpy.vdot", "a, b, /", "a", "b",
        "np.vdot(da, b)", "np.vdot(a, db)",
        "np.reshape(np.conjugate(g * np.ravel(b)), np.shape(a))",  # vdot conjugates `a`
        "np.reshape(g * np.conjugate(np.ravel(a)), np.shape(b))",
    )  # fmt: skip
    _bilinear(
        jvp, vjp, "numpy.inner", "a, b, /", "a", "b",
        "np.inner(da, b)", "np.inner(a, db)",
        "_srcad.inner_vjp(g, a, b, 0)", "_srcad.inner_vjp(g, a, b, 1)",
    )  # fmt: skip
    for prim, sig, x, y in (
        ("numpy.outer", "a, b, out=None", "a", "b"),
        ("numpy.linalg.outer", "x1, x2, /", "x1", "x2"),
    ):
        _bilinear(
            jvp, vjp, prim, sig, x, y,
            f"np.outer(d{x}, {y})", f"np.outer({x}, d{y})",
            f"np.reshape(_srcad.matmul_vjp(g, {OUTER_ARGS.format(x=x, y=y)}, 0), np.shape({x}))",
            f"np.reshape(_srcad.matmul_vjp(g, {OUTER_ARGS.format(x=x, y=y)}, 1), np.shape({y}))",
            nondiff=("out",) if "out" in sig else (),
        )  # fmt: skip
    _bilinear(
        jvp, vjp, "numpy.tensordot", "a, b, axes=2", "a", "b",
        "np.tensordot(da, b, axes)", "np.tensordot(a, db, axes)",
        "_srcad.tensordot_vjp(g, a, b, axes, 0)", "_srcad.tensordot_vjp(g, a, b, axes, 1)",
        nondiff=("axes",),
    )  # fmt: skip
    for prim in ("numpy.vecdot", "numpy.linalg.vecdot"):
        _bilinear(
            jvp, vjp, prim, "x1, x2, /, *, axis=-1", "x1", "x2",
            "np.vecdot(dx1, x2, axis=axis)", "np.vecdot(x1, dx2, axis=axis)",
            "_srcad.vecdot_vjp(g, x2, x1, axis)", "_srcad.vecdot_vjp(g, x1, x2, axis)",
            nondiff=("axis",),
        )  # fmt: skip
    _bilinear(
        jvp, vjp, "numpy.cross", "a, b, axisa=-1, axisb=-1, axisc=-1, axis=None", "a", "b",
        f"np.cross(da, b, {CROSS_AXES})", f"np.cross(a, db, {CROSS_AXES})",
        f"_srcad.cross_vjp(g, a, b, {CROSS_AXES}, 0)",
        f"_srcad.cross_vjp(g, a, b, {CROSS_AXES}, 1)",
        nondiff=("axisa", "axisb", "axisc", "axis"),
    )  # fmt: skip
    _bilinear(
        jvp, vjp, "numpy.kron", "a, b", "a", "b",
        "np.kron(da, b)", "np.kron(a, db)",
        "_srcad.kron_vjp(g, a, b, 0)", "_srcad.kron_vjp(g, a, b, 1)",
    )  # fmt: skip
    _bilinear(
        jvp, vjp, "numpy.convolve", "a, v, mode='full'", "a", "v",
        "np.convolve(da, v, mode)", "np.convolve(a, dv, mode)",
        "_srcad.convolve_vjp(g, a, v, mode, 0)", "_srcad.convolve_vjp(g, a, v, mode, 1)",
        nondiff=("mode",),
    )  # fmt: skip
    # einsum: up to three operands, explicit or implicit subscripts (with `...`).
    jvp.defjvp(
        "numpy.einsum", EINSUM_SIG,
        nondiff=("subscripts", "out", "optimize"),
        a="_srcad.einsum_tangent(subscripts, 0, da, a, b, c)",
        b="_srcad.einsum_tangent(subscripts, 1, db, a, b, c)",
        c="_srcad.einsum_tangent(subscripts, 2, dc, a, b, c)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.einsum", EINSUM_SIG,
        nondiff=("subscripts", "out", "optimize"),
        a="_srcad.einsum_vjp(g, subscripts, 0, a, b, c)",
        b="_srcad.einsum_vjp(g, subscripts, 1, a, b, c)",
        c="_srcad.einsum_vjp(g, subscripts, 2, a, b, c)",
    )  # fmt: skip
    _helper_rules(jvp, vjp)


@helper
def matmul_vjp(g, x, y, which):
    """Cotangent of `x` (which=0) or `y` (which=1) for ``x @ y`` (1-D and batched operands).
    A non-finite entry of it from ``0 * inf`` (the other operand non-finite in a row or column
    of the product whose cotangent is 0 throughout: ``(np.sqrt(A) @ B)[0]`` with a negative
    entry in row 1 of `A`, ``(A @ np.sqrt(B))[:, 0]``) is the sum without those terms. The
    test for one is the cheaper of two sums: the other operand's when it has fewer entries
    (all finite: no such term), else the result's."""
    if type(g) is _ND and type(x) is _ND and type(y) is _ND and g.ndim == x.ndim == y.ndim == 2:
        r, o = (g @ y.T, y) if which == 0 else (x.T @ g, x)  # (`_matmul_vjp`'s first case)
    else:
        r = _matmul_vjp(g, x, y, which)
        if type(r) is not _ND:
            return r
        o = y if which == 0 else x  # (the operand whose entries the fix below may zero)
    if not unread_free(r, o):  # (a nan or inf entry; or a sum overflowing: the same r again)
        xz, yz = unread_zeroed(g, x, y, which)
        if xz is not None:
            return _matmul_vjp(g, xz, yz, which)
        outer = outer_unread(g, x, y, which)  # (the other operand 1-D: each term alone)
        return r if outer is None else outer
    return r


def _matmul_vjp(g, x, y, which):
    if type(g) is np.ndarray and type(x) is np.ndarray and type(y) is np.ndarray:
        if g.ndim == 2 and x.ndim == 2 and y.ndim == 2:  # matrices: no broadcast to undo
            return g @ y.T if which == 0 else x.T @ g
        if g.ndim == 1 and x.ndim == 2 and y.ndim == 1:  # matrix @ vector: gemv, an outer
            return np.multiply.outer(g, y) if which == 0 else x.T @ g
        if g.ndim == 1 and x.ndim == 1 and y.ndim == 2:  # vector @ matrix
            return y @ g if which == 0 else np.multiply.outer(x, g)
    x, y, g = asarray(x), asarray(y), asarray(g)
    if x.ndim == 1 and y.ndim == 1:
        return g * y if which == 0 else g * x
    if which == 0:
        if y.ndim == 1:
            return unbroadcast(g[..., None] * y, x)
        if x.ndim == 1:
            return unbroadcast((y @ g[..., None])[..., 0], x)
        return unbroadcast(g @ np.swapaxes(y, -1, -2), x)
    if x.ndim == 1:
        return unbroadcast(x[:, None] * g[..., None, :], y)
    if y.ndim == 1:
        return unbroadcast((np.swapaxes(x, -1, -2) @ g[..., None])[..., 0], y)
    return unbroadcast(np.swapaxes(x, -1, -2) @ g, y)


CROSS_AXES = "axisa, axisb, axisc, axis"


@helper
def kron_vjp(g, a, b, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.kron(a, b)``: the product's blocks
    ``(i, j) -> i * len_b + j`` per axis, summed against the other operand."""
    a_, b_ = asarray(a), asarray(b)  # (complex operands: holomorphic, no conjugate)
    a_, b_ = (v if v.dtype.kind in "fc" else v.astype(float) for v in (a_, b_))
    nd = max(a_.ndim, b_.ndim)
    sa = (1,) * (nd - a_.ndim) + a_.shape
    sb = (1,) * (nd - b_.ndim) + b_.shape
    G = np.reshape(g, [n for pair in zip(sa, sb) for n in pair])
    if which == 0:
        other = np.reshape(b_, [n for s in sb for n in (1, s)])
        r = np.sum(G * other, axis=tuple(range(1, 2 * nd, 2)))
    else:
        other = np.reshape(a_, [n for s in sa for n in (s, 1)])
        r = np.sum(G * other, axis=tuple(range(0, 2 * nd, 2)))
    x = a if which == 0 else b
    return _like_input(np.reshape(r, np.shape(x)), x)


def _dtype(*xs):
    """float64, or complex128 when one of `xs` is complex (lists too)."""
    return np.result_type(*(x if hasattr(x, "dtype") else np.asarray(x) for x in xs), float)


@helper
def convolve_vjp(g, a, v, mode, which):
    """Cotangent of `a` (which=0) or `v` (which=1) for ``np.convolve(a, v, mode)``: the
    correlation of the full-length cotangent with the other operand."""
    na, nv = np.size(a), np.size(v)
    m = min(na, nv)
    start = {"full": 0, "same": (m - 1) // 2, "valid": m - 1}.get(mode)
    if start is None:
        raise _unsupported(f"np.convolve with mode={mode!r} has no derivative rule")
    gf = np.zeros(na + nv - 1, _dtype(g, a, v))  # complex: bilinear, no conj
    g = np.ravel(g)
    gf[start : start + len(g)] = g
    other = np.ravel(np.asarray(v if which == 0 else a))  # np.correlate conjugates its second
    x = a if which == 0 else v
    r = np.correlate(gf, np.conj(other), "valid")
    return _like_input(np.reshape(r, np.shape(x)), x)


@helper
def cross_vjp(g, a, b, axisa, axisb, axisc, axis, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.cross(a, b, axisa, axisb, axisc,
    axis)``: <g, a x b> = <a, b x g> = <b, g x a>, 2-vectors as 3-vectors with z = 0."""
    if axis is not None:
        axisa = axisb = axisc = axis
    dt = _dtype(a, b)  # complex operands: bilinear, no conjugate
    a_ = np.moveaxis(asarray(a, dtype=dt), axisa, -1)
    b_ = np.moveaxis(asarray(b, dtype=dt), axisb, -1)
    ka, kb = a_.shape[-1], b_.shape[-1]

    def three(x):
        k = x.shape[-1]
        return np.concatenate([x, np.zeros(x.shape[:-1] + (3 - k,))], -1) if k < 3 else x

    g_ = asarray(g, dtype=_dtype(g))
    if ka == 2 and kb == 2:
        g3 = np.stack([np.zeros_like(g_), np.zeros_like(g_), g_], -1)
    else:
        g3 = np.moveaxis(g_, axisc, -1)
    if which == 0:
        r = unbroadcast(np.cross(three(b_), g3)[..., :ka], a_)
        return _like_input(np.moveaxis(r, -1, axisa), a)
    r = unbroadcast(np.cross(g3, three(a_))[..., :kb], b_)
    return _like_input(np.moveaxis(r, -1, axisb), b)


def _tensordot_axes(axes, na: int, nb: int) -> tuple[list[int], list[int]]:
    if isinstance(axes, int):
        return list(range(na - axes, na)), list(range(axes))
    ax_a, ax_b = axes
    ax_a = [ax_a] if isinstance(ax_a, int) else list(ax_a)
    ax_b = [ax_b] if isinstance(ax_b, int) else list(ax_b)
    return [i % na for i in ax_a], [i % nb for i in ax_b]


@helper
def tensordot_vjp(g, a, b, axes, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.tensordot(a, b, axes)``."""
    a, b = asarray(a), asarray(b)
    ax_a, ax_b = _tensordot_axes(axes, a.ndim, b.ndim)
    free_a = [i for i in range(a.ndim) if i not in ax_a]
    free_b = [i for i in range(b.ndim) if i not in ax_b]
    nfa = len(free_a)
    if which == 0:
        r = np.tensordot(g, b, axes=(list(range(nfa, np.ndim(g))), free_b))
        labels = free_a + [ax_a[ax_b.index(j)] for j in sorted(ax_b)]
    else:
        r = np.tensordot(a, g, axes=(free_a, list(range(nfa))))
        labels = [ax_b[ax_a.index(i)] for i in sorted(ax_a)] + free_b
    if type(r) is np.ndarray and r.dtype.kind == "f" and not unread_free(r, b if which == 0 else a):
        # (an inf no read reaches: einsum's drops the terms of g's zeros, as `matmul_vjp` does)
        return einsum_vjp(g, tensordot_subscripts(ax_a, ax_b, a.ndim, b.ndim), which, a, b)
    return np.transpose(r, tuple(int(i) for i in np.argsort(labels)))  # ints: Dask's too


@helper
def dot_vjp(g, a, b, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.dot(a, b)``."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(np.multiply(g, b if which == 0 else a), a if which == 0 else b)
    axes = ([np.ndim(a) - 1], [max(np.ndim(b) - 2, 0)])
    r = tensordot_vjp(g, a, b, axes, which)
    if (
        type(r) is np.ndarray
        and r.dtype.kind in "fc"
        and np.ndim(a) <= 2
        and np.ndim(b) <= 2
        and not np.isfinite(r.sum())
    ):
        # (``np.dot(A, np.sqrt(B))[:, 0]`` with a nan in a column no read reaches: `a @ b`
        # there, whose cotangent leaves out the terms of the entries of `g` that are 0)
        r = matmul_vjp(g, asarray(a), asarray(b), which)
    return _like_input(r, a if which == 0 else b)


@helper
def inner_vjp(g, a, b, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.inner(a, b)``."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(np.multiply(g, b if which == 0 else a), a if which == 0 else b)
    if np.ndim(a) <= 2 and np.ndim(b) <= 2 and all(map(np.isrealobj, (g, a, b))):
        bt = np.swapaxes(b, -1, -2) if np.ndim(b) == 2 else b  # (a @ b.T: `matmul_vjp`'s
        r = matmul_vjp(g, a, bt, which)  # terms of a zero g dropped, ``np.inner(x, b)``, inf b)
        return np.swapaxes(r, -1, -2) if which == 1 and np.ndim(b) == 2 else r
    return tensordot_vjp(g, a, b, ([-1], [-1]), which)


@helper
def vecdot_vjp(g, other, x, axis=-1):
    """Cotangent of `x` for ``np.vecdot`` of `x` with `other` (real operands)."""
    return unbroadcast(np.expand_dims(g, axis) * other, x)


def _einsum_specs(subscripts: str, operands) -> tuple[list[str], str]:
    """Explicit input/output index strings, ``...`` replaced by capital letters."""
    if not isinstance(subscripts, str):
        raise _unsupported("einsum's interleaved (sublist) form has no derivative rule")
    subscripts = subscripts.replace(" ", "")
    ins, arrow, out = subscripts.partition("->")
    specs = ins.split(",")
    if not arrow:
        letters = "".join(specs).replace(".", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
        if "..." in ins:
            out = "..." + out
    nell = 0
    for s, op in zip(specs, operands):
        if "..." in s:
            nell = max(nell, np.ndim(op) - (len(s) - 3))
    ell = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:nell]

    def fill(s, ndim):
        return s.replace("...", ell[nell - (ndim - (len(s) - 3)) :]) if "..." in s else s

    specs = [fill(s, np.ndim(op)) for s, op in zip(specs, operands)]
    return specs, out.replace("...", ell)


@helper
def einsum_tangent(subscripts, i, t, *operands):
    """``np.einsum(subscripts, ...)`` with operand `i` replaced by its tangent `t`."""
    if not isinstance(subscripts, str):
        raise _unsupported("einsum's interleaved (sublist) form has no derivative rule")
    ops = [op for op in operands if op is not None]
    ops[i] = t
    return np.einsum(subscripts, *ops)


@helper
def einsum_vjp(g, subscripts, i, *operands):
    """Cotangent of operand `i` of ``np.einsum(subscripts, *operands)``."""
    ops = [asarray(op) for op in operands if op is not None]
    specs, out = _einsum_specs(subscripts, ops)
    target = specs[i]
    others = [s for j, s in enumerate(specs) if j != i]
    known = set(out).union(*others)
    uniq = "".join(dict.fromkeys(c for c in target if c in known))
    expr = ",".join([out] + others) + "->" + uniq
    r = np.einsum(expr, g, *[op for j, op in enumerate(ops) if j != i])
    total = r.sum() if type(r) is np.ndarray else r
    if total - total != 0:  # (0 * inf from an operand's entries g never reads: `unread`)
        fixed = einsum_unread(g, out, specs, ops, i)
        if fixed is not None:
            r = np.einsum(expr, g, *[op for j, op in enumerate(fixed) if j != i])
    # Letters of the target that only it has (summed away): r is constant along them.
    letters = "".join(dict.fromkeys(target))
    sizes = dict(zip(target, ops[i].shape))
    # einsum broadcasts a letter of size 1: sum r along it here, or r is 1 wide (broadcast below)
    wide = tuple(k for k, c in enumerate(uniq) if sizes[c] == 1 and np.shape(r)[k] != 1)
    r = np.sum(r, axis=wide, keepdims=True) if wide else r
    got = dict(zip(uniq, np.shape(r)))
    r = r.reshape([got[c] if c in uniq else 1 for c in letters])
    r = np.broadcast_to(r, [sizes[c] for c in letters])
    if len(letters) == len(target):
        res = r
    else:  # repeated letters (a diagonal): write r on the diagonal of a zero array
        res = np.zeros(ops[i].shape, r.dtype)
        grids = np.indices([sizes[c] for c in letters], sparse=True)
        res[tuple(grids[letters.index(c)] for c in target)] = r
    return res if is_duck_array(res) else np.array(res)  # a writable copy, not a view


def _helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the product helpers."""
    # matmul_vjp(t, x, y, 0) = t @ y.T (summed to x's shape): bilinear in t and y, x gives only
    # the shape; matmul_vjp(t, x, y, 1) = x.T @ t likewise.
    sig = "t, x, y, which"
    jvp.defjvp(
        rt(matmul_vjp), sig, nondiff=('which',),
        t="_srcad.matmul_vjp(dt, x, y, which)",
        x="_srcad.matmul_vjp(t, dx, y, 1) if which == 1 else _srcad.zeros_like(ans)",
        y="_srcad.matmul_vjp(t, x, dy, 0) if which == 0 else _srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(matmul_vjp), sig, nondiff=('which',),
        t="g @ y if which == 0 else x @ g",
        x="_srcad.matmul_vjp(t, x, g, 0) if which == 1 else _srcad.zeros_like(x)",
        y="_srcad.matmul_vjp(t, g, y, 1) if which == 0 else _srcad.zeros_like(y)",
    )  # fmt: skip
    # tensordot_vjp / dot_vjp / inner_vjp (g, a, b, ..., which): the cotangent of one operand is
    # linear in g and in the other operand (the operand itself gives only a shape). Transposes:
    # the product itself; the other operand's rule is the same helper for that operand.
    for fn, prod, extra in (
        (tensordot_vjp, "np.tensordot({x}, {y}, axes)", "axes, "),
        (dot_vjp, "np.dot({x}, {y})", ""),
        (inner_vjp, "np.inner({x}, {y})", ""),
        (kron_vjp, "np.kron({x}, {y})", ""),
        (convolve_vjp, "np.convolve({x}, {y}, mode)", "mode, "),
        (cross_vjp, f"np.cross({{x}}, {{y}}, {CROSS_AXES})", f"{CROSS_AXES}, "),
    ):
        name = f"_srcad.{fn.__name__}"
        sig = f"t, a, b, {extra}which"
        nondiff = tuple(e.strip() for e in extra.split(",") if e.strip()) + ("which",)
        jvp.defjvp(
            rt(fn), sig, nondiff=nondiff,
            t=f"{name}(dt, a, b, {extra}which)",
            a=f"{name}(t, da, b, {extra}1) if which == 1 else _srcad.zeros_like(ans)",
            b=f"{name}(t, a, db, {extra}0) if which == 0 else _srcad.zeros_like(ans)",
        )  # fmt: skip
        vjp.defvjp(
            rt(fn), sig, nondiff=nondiff,
            t=f"{prod.format(x='g', y='b')} if which == 0 else {prod.format(x='a', y='g')}",
            a=f"{name}(t, a, g, {extra}0) if which == 1 else _srcad.zeros_like(a)",
            b=f"{name}(t, g, b, {extra}1) if which == 0 else _srcad.zeros_like(b)",
        )  # fmt: skip
    # vecdot_vjp(t, o, x, axis) = unbroadcast(expand_dims(t, axis) * o, x): bilinear in t and o.
    sig = "t, o, x, axis=-1"
    jvp.defjvp(
        rt(vecdot_vjp), sig, nondiff=('axis',), zero_in=('x',),
        t="_srcad.vecdot_vjp(dt, o, x, axis)", o="_srcad.vecdot_vjp(t, do, x, axis)",
    )  # fmt: skip
    vjp.defvjp(
        rt(vecdot_vjp), sig, nondiff=('axis',), zero_in=('x',),
        t="np.sum(g * o, axis=axis)", o="_srcad.vecdot_vjp(t, g, o, axis)",
    )  # fmt: skip
    # einsum_tangent(s, i, t, a, b, c): einsum with operand i replaced by t, linear in t and in
    # every other operand; einsum_vjp(t, s, i, a, b, c): the cotangent of operand i, linear in t
    # and in every other operand (operand i gives only its shape). Each is the other's transpose
    # in t; the cotangent of operand j != i is the cotangent of an einsum whose operand i is
    # replaced (by t or by g), which leaves it linear in j.
    ops = ("a", "b", "c")

    def repl(k: int, by: str) -> str:
        """The operands with operand `i` (a parameter) replaced by `by`, and `k` by `d{k}`."""
        return ", ".join(
            f"d{o}" if j == k else f"({by} if i == {j} else {o})" for j, o in enumerate(ops)
        )

    sig = "subscripts, i, t, a, b=None, c=None"
    nondiff = ("subscripts", "i")
    jterms = {
        o: f"_srcad.zeros_like(ans) if i == {k} else "
        f"_srcad.einsum_tangent(subscripts, {k}, d{o}, {repl(k, 't').replace(f'd{o}', o)})"
        for k, o in enumerate(ops)
    }
    jvp.defjvp(
        rt(einsum_tangent), sig, nondiff=nondiff,
        t="_srcad.einsum_tangent(subscripts, i, dt, a, b, c)", **jterms,
    )  # fmt: skip
    vterms = {
        o: f"_srcad.zeros_like({o}) if i == {k} else "
        f"_srcad.einsum_vjp(g, subscripts, {k}, {repl(k, 't').replace(f'd{o}', o)})"
        for k, o in enumerate(ops)
    }
    vjp.defvjp(
        rt(einsum_tangent), sig, nondiff=nondiff,
        t="_srcad.einsum_vjp(g, subscripts, i, a, b, c)", **vterms,
    )  # fmt: skip
    sig = "t, subscripts, i, a, b=None, c=None"
    jterms = {
        o: f"_srcad.zeros_like(ans) if i == {k} else _srcad.einsum_vjp(t, subscripts, i, "
        + ", ".join(f"d{p}" if p == o else p for p in ops)
        + ")"
        for k, o in enumerate(ops)
    }
    jvp.defjvp(
        rt(einsum_vjp), sig, nondiff=nondiff,
        t="_srcad.einsum_vjp(dt, subscripts, i, a, b, c)", **jterms,
    )  # fmt: skip
    vterms = {
        o: f"_srcad.zeros_like({o}) if i == {k} else "
        f"_srcad.einsum_vjp(t, subscripts, {k}, {repl(k, 'g').replace(f'd{o}', o)})"
        for k, o in enumerate(ops)
    }
    vjp.defvjp(
        rt(einsum_vjp), sig, nondiff=nondiff,
        t="_srcad.einsum_tangent(subscripts, i, g, a, b, c)", **vterms,
    )  # fmt: skip
