"""Derivative rules of products (dot, matmul, einsum, ...), diagonals and `numpy.linalg`.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

Products are bilinear: one JVP term per operand (the product with that operand's tangent); the VJP
helpers contract ``g`` with the other operand. `linalg` rules follow the usual matrix identities
(``d inv(A) = -inv(A) dA inv(A)``, ``d det(A) = <cof(A), dA>``, with the cofactor matrix also at
singular matrices). Example (``np.dot``)::

    jvp: np.dot(da, b) + np.dot(a, db)
    vjp: ba = _srcad.dot_vjp(g, a, b, 0); bb = _srcad.dot_vjp(g, a, b, 1)
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable

EINSUM_SIG = "subscripts, a, b=None, c=None, /, *, out=None, optimize=False"


def _bilinear(jvp, vjp, prim, sig, x, y, jx, jy, vx, vy, nondiff=()):
    """A rule with JVP terms `jx`, `jy` and VJP cotangents `vx`, `vy` for operands `x`, `y`."""
    jvp.defjvp(prim, sig, nondiff=nondiff, **{x: jx, y: jy})
    vjp.defvjp(prim, sig, nondiff=nondiff, **{x: vx, y: vy})


def _linear(jvp, vjp, prim, sig, x, jt, vt, nondiff=()):
    jvp.defjvp(prim, sig, nondiff=nondiff, **{x: jt})
    vjp.defvjp(prim, sig, nondiff=nondiff, **{x: vt})


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
        "np.reshape(g * np.ravel(b), np.shape(a))", "np.reshape(g * np.ravel(a), np.shape(b))",
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
            f"np.reshape(g @ np.ravel({y}), np.shape({x}))",
            f"np.reshape(np.ravel({x}) @ g, np.shape({y}))",
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
        jvp, vjp, "numpy.cross", "a, b", "a", "b",
        "np.cross(da, b)", "np.cross(a, db)",
        "_srcad.unbroadcast(np.cross(b, g), a)", "_srcad.unbroadcast(np.cross(g, a), b)",
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

    # Diagonals and triangles: linear.
    for prim, x in (("numpy.trace", "a"), ("method.trace", "x")):
        _linear(
            jvp, vjp, prim, f"{x}, offset=0, axis1=0, axis2=1, dtype=None, out=None", x,
            f"np.trace(d{x}, offset, axis1, axis2)",
            f"_srcad.trace_vjp(g, {x}, offset, axis1, axis2)",
            nondiff=("offset", "axis1", "axis2", "dtype", "out"),
        )  # fmt: skip
    for prim, x in (("numpy.diagonal", "a"), ("method.diagonal", "x")):
        _linear(
            jvp, vjp, prim, f"{x}, offset=0, axis1=0, axis2=1", x,
            f"np.diagonal(d{x}, offset, axis1, axis2)",
            f"_srcad.diagonal_vjp(g, {x}, offset, axis1, axis2)",
            nondiff=("offset", "axis1", "axis2"),
        )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.linalg.trace", "x, /, *, offset=0, dtype=None", "x",
        "np.linalg.trace(dx, offset=offset)", "_srcad.trace_vjp(g, x, offset, -2, -1)",
        nondiff=("offset", "dtype"),
    )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.linalg.diagonal", "x, /, *, offset=0", "x",
        "np.linalg.diagonal(dx, offset=offset)", "_srcad.diagonal_vjp(g, x, offset, -2, -1)",
        nondiff=("offset",),
    )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.linalg.matrix_transpose", "x, /", "x",
        "np.swapaxes(dx, -1, -2)", "np.swapaxes(g, -1, -2)",
    )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.diag", "v, k=0", "v", "np.diag(dv, k)", "_srcad.diag_vjp(g, v, k)",
        nondiff=("k",),
    )  # fmt: skip
    for name in ("tril", "triu"):
        _linear(
            jvp, vjp, f"numpy.{name}", "m, k=0", "m",
            f"np.{name}(dm, k)", f"np.{name}(g, k)",
            nondiff=("k",),
        )  # fmt: skip

    # numpy.linalg
    _bilinear(
        jvp, vjp, "numpy.linalg.solve", "a, b", "a", "b",
        "_srcad.solve_jvp_a(da, a, b, ans)", "np.linalg.solve(a, db)",
        "_srcad.solve_vjp_a(g, a, b, ans)", "_srcad.solve_vjp_b(g, a, b)",
    )  # fmt: skip
    _linear(jvp, vjp, "numpy.linalg.inv", "a", "a", "-(ans @ da @ ans)", "-(ans.mT @ g @ ans.mT)")
    _linear(
        jvp, vjp, "numpy.linalg.det", "a", "a",
        "np.sum(_srcad.det_cofactor(a, ans) * da, axis=(-2, -1))",
        "_srcad.det_vjp(g, a, ans)",
    )  # fmt: skip
    # slogdet returns (sign, logabsdet): the tangent is a pair, the sign's part is zero.
    _linear(
        jvp, vjp, "numpy.linalg.slogdet", "a", "a",
        "_srcad.slogdet_jvp(da, a, ans)", "_srcad.slogdet_vjp(g, a)",
    )  # fmt: skip
    # A float `ord` that depends on the inputs: the p-norm's derivative in p (vector norms).
    _bilinear(
        jvp, vjp, "numpy.linalg.norm", "x, ord=None, axis=None, keepdims=False", "x", "ord",
        "_srcad.norm_jvp(dx, x, ord, axis, keepdims, ans)",
        "dord * _srcad.norm_dord(x, ord, axis, keepdims, ans)",
        "_srcad.norm_vjp(g, x, ord, axis, keepdims, ans)",
        "_srcad.unbroadcast(g * _srcad.norm_dord(x, ord, axis, keepdims, ans), ord)",
        nondiff=("axis", "keepdims"),
    )  # fmt: skip
    _linear(
        jvp, vjp, "numpy.linalg.cholesky", "a, /, *, upper=False", "a",
        "_srcad.cholesky_jvp(da, ans, upper)", "_srcad.cholesky_vjp(g, ans, upper)",
        nondiff=("upper",),
    )  # fmt: skip
