"""Derivative rules of NumPy's elementwise functions (ufuncs) and the zero-derivative ones.

Input: the `RuleTable` pair. Output: the tables filled with ``numpy.<ufunc>`` rules.

On Python floats NumPy gives inf/nan where Python raises ZeroDivisionError, so factors that divide
by something the primal does not (``1 / x`` for ``np.log(0.0)``) divide with NumPy
(``np.reciprocal``, ``np.divide``). Unary ufuncs are tabled as ``name -> f'(x)`` (a template over
``x`` and ``ans``); the JVP is ``dx * f'(x)`` and the VJP ``g * f'(x)``. Binary ufuncs broadcast,
so their VJP terms are summed back to each argument's shape. Example (``np.hypot``)::

    jvp: dx * _srcad.div0(x, ans) + dy * _srcad.div0(y, ans)     # 0 at hypot(0, 0)
    vjp: bx = _srcad.unbroadcast(g * _srcad.div0(x, ans), x)
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable

UNARY = {
    "sin": "np.cos(x)",
    "cos": "-np.sin(x)",
    "tan": "(1.0 + ans * ans)",
    "arcsin": "(1.0 / np.sqrt(1.0 - x * x))",
    "arccos": "(-1.0 / np.sqrt(1.0 - x * x))",
    "arctan": "(1.0 / (1.0 + x * x))",
    "sinh": "np.cosh(x)",
    "cosh": "np.sinh(x)",
    "tanh": "(1.0 - ans * ans)",
    "arcsinh": "(1.0 / np.sqrt(x * x + 1.0))",
    "arccosh": "(1.0 / np.sqrt(x * x - 1.0))",
    "arctanh": "np.reciprocal(1.0 - x * x)",
    "exp": "ans",
    "exp2": "(ans * np.log(2.0))",
    "expm1": "(ans + 1.0)",
    "log": "np.reciprocal(x)",
    "log2": "(1.0 / (x * np.log(2.0)))",
    "log10": "(1.0 / (x * np.log(10.0)))",
    "log1p": "np.reciprocal(1.0 + x)",
    "sqrt": "(0.5 / ans)",
    "cbrt": "(1.0 / (3.0 * ans * ans))",
    "square": "(2.0 * x)",
    "reciprocal": "(-ans * ans)",
    "absolute": "np.sign(x)",
    "fabs": "np.sign(x)",
    "deg2rad": "(np.pi / 180.0)",
    "radians": "(np.pi / 180.0)",
    "rad2deg": "(180.0 / np.pi)",
    "degrees": "(180.0 / np.pi)",
    "sinc": "_srcad.sinc_dx(x)",
}

ZERO = (
    "sign", "floor", "ceil", "rint", "trunc", "fix", "round", "around", "floor_divide",
    "isnan", "isinf", "isfinite", "signbit", "greater", "greater_equal", "less",
    "less_equal", "equal", "not_equal", "logical_and", "logical_or", "logical_xor", "logical_not",
    "bitwise_and", "bitwise_or", "bitwise_xor", "invert", "left_shift", "right_shift", "gcd",
    "lcm", "isclose", "allclose", "array_equal", "any", "all", "count_nonzero", "argmax",
    "argmin", "argsort", "argwhere", "nonzero", "flatnonzero", "searchsorted", "digitize",
    "shape", "ndim", "size", "zeros", "ones", "empty", "zeros_like", "ones_like", "empty_like",
    "eye", "identity", "tri", "lexsort", "ravel_multi_index", "unravel_index", "indices",
    "diag_indices", "diag_indices_from", "tril_indices", "triu_indices", "tril_indices_from",
    "triu_indices_from", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "bool_", "iscomplex", "isreal", "isscalar", "result_type",
)  # fmt: skip


def _binary(jvp: RuleTable, vjp: RuleTable, name: str, dx: str, dy: str, bx: str, by: str):
    """One broadcasting binary rule: JVP terms `dx`, `dy`; VJP cotangents `bx`, `by` (pre-sum)."""
    jvp.defjvp(name, "x, y, /", x=dx, y=dy)
    vjp.defvjp(name, "x, y, /", x=f"_srcad.unbroadcast({bx}, x)", y=f"_srcad.unbroadcast({by}, y)")


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the ufunc rules."""
    for name, factor in UNARY.items():
        jvp.defjvp(f"numpy.{name}", "x, /", x=f"dx * {factor}")
        vjp.defvjp(f"numpy.{name}", "x, /", x=f"g * {factor}")
    jvp.defjvp("numpy.negative", "x, /", x="-dx")
    vjp.defvjp("numpy.negative", "x, /", x="-g")
    jvp.deflinear("numpy.positive", "x, /")
    vjp.deflinear("numpy.positive", "x, /", x="g")
    jvp.deflinear("numpy.conjugate", "x, /")
    vjp.deflinear("numpy.conjugate", "x, /", x="np.conjugate(g)")

    jvp.defjvp_joint(
        "numpy.add",
        "x, y, /",
        "dx + dy",
        single={"x": "_srcad.broadcast_like(dx, ans)", "y": "_srcad.broadcast_like(dy, ans)"},
    )
    vjp.defvjp("numpy.add", "x, y, /", x="_srcad.unbroadcast(g, x)", y="_srcad.unbroadcast(g, y)")
    jvp.defjvp_joint(
        "numpy.subtract",
        "x, y, /",
        "dx - dy",
        single={"x": "_srcad.broadcast_like(dx, ans)", "y": "_srcad.broadcast_like(-dy, ans)"},
    )
    vjp.defvjp(
        "numpy.subtract", "x, y, /", x="_srcad.unbroadcast(g, x)", y="-_srcad.unbroadcast(g, y)"
    )
    _binary(jvp, vjp, "numpy.multiply", "dx * y", "x * dy", "g * y", "g * x")
    _binary(
        jvp, vjp, "numpy.divide",
        "np.divide(dx, y)", "-dy * ans / y", "np.divide(g, y)", "-g * ans / y",
    )  # fmt: skip
    for name in ("numpy.power", "numpy.float_power"):
        _binary(
            jvp, vjp, name,
            "dx * _srcad.pow_dx(x, y)", "dy * _srcad.pow_dy(x, ans)",
            "g * _srcad.pow_dx(x, y)", "g * _srcad.pow_dy(x, ans)",
        )  # fmt: skip
    # hypot(0, 0): the minimum-norm subgradient 0, as for np.linalg.norm at 0.
    _binary(
        jvp, vjp, "numpy.hypot",
        "dx * _srcad.div0(x, ans)", "dy * _srcad.div0(y, ans)",
        "g * _srcad.div0(x, ans)", "g * _srcad.div0(y, ans)",
    )  # fmt: skip
    _binary(
        jvp, vjp, "numpy.arctan2",
        "dx * np.divide(y, x * x + y * y)", "-dy * np.divide(x, x * x + y * y)",
        "g * np.divide(y, x * x + y * y)", "-g * np.divide(x, x * x + y * y)",
    )  # fmt: skip
    # The weights are 0 where an argument is -inf (log-space DPs start from -inf): the plain
    # formula gives exp(-inf - -inf) = nan there.
    _binary(
        jvp, vjp, "numpy.logaddexp",
        "dx * _srcad.logaddexp_weight(x, ans)", "dy * _srcad.logaddexp_weight(y, ans)",
        "g * _srcad.logaddexp_weight(x, ans)", "g * _srcad.logaddexp_weight(y, ans)",
    )  # fmt: skip
    _binary(
        jvp, vjp, "numpy.logaddexp2",
        "dx * _srcad.logaddexp_weight(x, ans, True)", "dy * _srcad.logaddexp_weight(y, ans, True)",
        "g * _srcad.logaddexp_weight(x, ans, True)", "g * _srcad.logaddexp_weight(y, ans, True)",
    )  # fmt: skip

    # Selections: ties go to x (consistently in both modes).
    for name, test in [
        ("maximum", "x >= y"), ("fmax", "x >= y"), ("minimum", "x <= y"), ("fmin", "x <= y")
    ]:  # fmt: skip
        jvp.defjvp_joint(f"numpy.{name}", "x, y, /", f"np.where({test}, dx, dy)")
        vjp.defvjp(
            f"numpy.{name}", "x, y, /",
            x=f"_srcad.unbroadcast(np.where({test}, g, 0.0), x)",
            y=f"_srcad.unbroadcast(np.where({test}, 0.0, g), y)",
        )  # fmt: skip

    # remainder(x, y) = x - floor(x / y) * y; fmod(x, y) = x - trunc(x / y) * y.
    for name, quotient in [("remainder", "np.floor_divide(x, y)"), ("fmod", "np.trunc(x / y)")]:
        jvp.defjvp_joint(f"numpy.{name}", "x, y, /", f"dx - dy * {quotient}")
        vjp.defvjp(
            f"numpy.{name}", "x, y, /",
            x="_srcad.unbroadcast(g, x)",
            y=f"_srcad.unbroadcast(-g * {quotient}, y)",
        )  # fmt: skip
    jvp.defjvp(
        "numpy.copysign", "x, y, /",
        nondiff=("y",),
        x="dx * np.sign(x) * np.sign(ans)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.copysign", "x, y, /",
        nondiff=("y",),
        x="_srcad.unbroadcast(g * np.sign(x) * np.sign(ans), x)",
    )  # fmt: skip
    # heaviside(x1, x2) is x2 where x1 == 0, else 0 or 1: piecewise constant in x1.
    jvp.defjvp(
        "numpy.heaviside", "x1, x2, /", nondiff=("x1",), x2="np.where(np.equal(x1, 0), dx2, 0.0)"
    )
    vjp.defvjp(
        "numpy.heaviside", "x1, x2, /",
        nondiff=("x1",),
        x2="_srcad.unbroadcast(np.where(np.equal(x1, 0), g, 0.0), x2)",
    )  # fmt: skip
    jvp.deflinear("numpy.ldexp", "x, y, /", nondiff=("y",))
    vjp.deflinear(
        "numpy.ldexp", "x, y, /", nondiff=("y",), x="_srcad.unbroadcast(np.ldexp(g, y), x)"
    )

    for name in ZERO:
        jvp.defzero(f"numpy.{name}")
        vjp.defzero(f"numpy.{name}")
