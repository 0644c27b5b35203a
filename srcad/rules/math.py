"""Derivative rules of the `math` module (Python floats in, Python floats out), and of `cmath`'s
exp/sin/cos/sinh/cosh/sqrt/log10 (`CMATH`) and log (with its optional constant base).

Input: the `RuleTable` pair. Output: the tables filled with ``math.*`` and ``cmath.*`` rules.

The templates call `math` so that scalar code stays on Python floats (no NumPy round trip); a
factor that divides by something the primal does not (``0.5 / math.sqrt(x)`` at 0) uses
``_srcad.fdiv``, which gives inf/nan like NumPy instead of raising ZeroDivisionError. Most
functions have one argument and the same template in both modes with ``g`` for ``dx``; those are in
the `UNARY` table below. Example (``math.sin``)::

    jvp: dx * math.cos(x)
    vjp: bx = g * math.cos(x)
"""

from __future__ import annotations

import math

from srcad.ad.rules import RuleTable
from srcad.rules.infzero import inf_safe
from srcad.rules.root_at0 import hypot_term

# name -> derivative factor f'(x) as a template over x and ans (the result).
UNARY = {
    "sin": "math.cos(x)",
    "cos": "-math.sin(x)",
    "tan": "(1.0 + ans * ans)",
    "asin": "_srcad.fdiv(1.0, math.sqrt(1.0 - x * x))",
    "acos": "_srcad.fdiv(-1.0, math.sqrt(1.0 - x * x))",
    "atan": "(1.0 / (1.0 + x * x))",
    "sinh": "math.cosh(x)",
    "cosh": "math.sinh(x)",
    "tanh": "(1.0 - ans * ans)",
    "asinh": "(1.0 / math.sqrt(x * x + 1.0))",
    "acosh": "_srcad.fdiv(1.0, math.sqrt(x * x - 1.0))",
    "atanh": "(1.0 / (1.0 - x * x))",
    "exp": "ans",
    "expm1": "(ans + 1.0)",
    "exp2": "(ans * math.log(2.0))",
    "log1p": "(1.0 / (1.0 + x))",
    "log2": "(1.0 / (x * math.log(2.0)))",
    "log10": "(1.0 / (x * math.log(10.0)))",
    "sqrt": "_srcad.fdiv(0.5, ans)",
    "cbrt": "_srcad.fdiv(1.0, 3.0 * ans * ans)",
    "erf": "(2.0 / math.sqrt(math.pi) * math.exp(-x * x))",
    "erfc": "(-2.0 / math.sqrt(math.pi) * math.exp(-x * x))",
    "fabs": "_srcad.sign(x)",
    "degrees": "(180.0 / math.pi)",
    "radians": "(math.pi / 180.0)",
    "gamma": "(ans * _srcad.digamma(x))",
    "lgamma": "_srcad.digamma(x)",
}

# Factors infinite at an infinite x (as `srcad.rules.elementwise.INF_AT_INF`): a zero tangent
# at a written ``math.inf`` is a constant there, not ``0 * inf = nan``.
INF_AT_INF = ("exp", "exp2", "expm1", "sinh", "cosh")

ZERO = (
    "floor", "ceil", "trunc", "isnan", "isinf", "isfinite", "isclose", "factorial", "comb",
    "perm", "gcd", "lcm", "isqrt",
)  # fmt: skip


# cmath -> f'(z) over z and ans: NumPy's complex functions (``np.divide``: inf, not Python's
# ZeroDivisionError, for sqrt at 0)
CMATH = {
    "exp": "ans", "sin": "np.cos(z)", "cos": "-np.sin(z)", "sinh": "np.cosh(z)",
    "cosh": "np.sinh(z)", "sqrt": "np.divide(0.5, ans)",
    "log10": f"np.divide({1.0 / math.log(10.0)!r}, z)",
}  # fmt: skip
# cmath.log(z[, base]): 1 / (z log(base)); the base's principal log as cmath's (np.complex128
# keeps the sign of a zero imaginary part, so a negative real base is on the same side), the
# base a constant of the formula (varied: refused, no term written)
_CLOG = "np.divide(1.0, z if base is None else z * np.log(np.complex128(base)))"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the ``math.*`` rules (those this Python's `math` has)."""
    for name, factor in UNARY.items():
        if hasattr(math, name):  # exp2 and cbrt are Python 3.11+
            term = f"dx * {factor}"
            term = inf_safe(term, "dx", "x") if name in INF_AT_INF else term
            jvp.defjvp(f"math.{name}", "x, /", x=term)
            vjp.defvjp(f"math.{name}", "x, /", x=f"g * {factor}")

    # math.log(x[, base])
    jvp.defjvp(
        "math.log", "x, base=None, /",
        x="dx / x if base is None else dx / (x * math.log(base))",
        base="-dbase * ans / (base * math.log(base))",
    )  # fmt: skip
    vjp.defvjp(
        "math.log", "x, base=None, /",
        x="g / x if base is None else g / (x * math.log(base))",
        base="-g * ans / (base * math.log(base))",
    )  # fmt: skip
    jvp.defjvp(
        "math.pow", "x, y, /",
        x=inf_safe("dx * _srcad.pow_dx(x, y)", "dx", "x"), y="0.0 if dy == 0 else dy * _srcad.pow_dy(x, ans)",
    )  # fmt: skip
    vjp.defvjp("math.pow", "x, y, /", x="g * _srcad.pow_dx(x, y)", y="g * _srcad.pow_dy(x, ans)")
    # hypot(0, 0): the minimum-norm subgradient 0 (div0), as for np.linalg.norm at 0; checked
    # there at second order (rules/root_at0.py)
    jvp.defjvp("math.hypot", "x, y, /", x=hypot_term("dx", "x"), y=hypot_term("dy", "y"))
    vjp.defvjp("math.hypot", "x, y, /", x=hypot_term("g", "x"), y=hypot_term("g", "y"))
    jvp.defjvp(
        "math.atan2", "y, x, /",
        y="dy * _srcad.fdiv(x, x * x + y * y)", x="-dx * _srcad.fdiv(y, x * x + y * y)",
    )  # fmt: skip
    vjp.defvjp(
        "math.atan2", "y, x, /",
        y="g * _srcad.fdiv(x, x * x + y * y)", x="-g * _srcad.fdiv(y, x * x + y * y)",
    )  # fmt: skip
    # fmod(x, y) = x - trunc(x / y) * y; remainder(x, y) = x - n * y with n = (x - ans) / y.
    jvp.defjvp("math.fmod", "x, y, /", x="dx", y="-dy * math.trunc(x / y)")
    vjp.defvjp("math.fmod", "x, y, /", x="g", y="-g * math.trunc(x / y)")
    jvp.defjvp("math.remainder", "x, y, /", x="dx", y="-dy * ((x - ans) / y)")
    vjp.defvjp("math.remainder", "x, y, /", x="g", y="-g * ((x - ans) / y)")
    # copysign(x, y) = |x| * sign(y): its derivative in y is zero.
    jvp.defjvp(
        "math.copysign", "x, y, /",
        zero_in=("y",),
        x="dx * math.copysign(1.0, x) * math.copysign(1.0, y)",
    )  # fmt: skip
    vjp.defvjp(
        "math.copysign", "x, y, /",
        zero_in=("y",),
        x="g * math.copysign(1.0, x) * math.copysign(1.0, y)",
    )  # fmt: skip
    # nextafter(x, y): x moved by one ulp toward y, a step of x's own size: slope 1 in x, 0 in y
    jvp.defjvp("math.nextafter", "x, y, /", zero_in=("y",), x="dx")
    vjp.defvjp("math.nextafter", "x, y, /", zero_in=("y",), x="g")
    jvp.deflinear("math.ldexp", "x, i, /", nondiff=("i",))
    vjp.deflinear("math.ldexp", "x, i, /", nondiff=("i",), x="g * math.ldexp(1.0, i)")
    jvp.deflinear("math.fsum", "seq, /")
    vjp.deflinear("math.fsum", "seq, /", seq="_srcad.iter_sum_vjp(g, seq)")
    # start multiplies the product: math.prod(xs, start=s) = s * x0 * x1 * ...
    jvp.defjvp(
        "math.prod", "iterable, /, *, start=1",
        iterable="start * _srcad.iter_prod_jvp(diterable, iterable)",
        start="dstart * math.prod(iterable)",
    )  # fmt: skip
    vjp.defvjp(
        "math.prod", "iterable, /, *, start=1",
        iterable="_srcad.iter_prod_vjp(g * start, iterable)",
        start="_srcad.unbroadcast(g * math.prod(iterable), start)",
    )  # fmt: skip

    # cmath's holomorphic functions: ``f'(z)`` times the tangent (complex, as the result, for a
    # real argument too), a real argument's cotangent the real part (no conjugate:
    # rules/numpy_fft.py's convention). The primal stays cmath's call (its values, its errors).
    for name, factor in CMATH.items():
        tangent = "dz" if name == "sqrt" else "(dz + 0j)"  # (1 / (2 ans) is complex already)
        jvp.defjvp(f"cmath.{name}", "z, /", z=f"{tangent} * {factor}")
        vjp.defvjp(f"cmath.{name}", "z, /", z=f"_srcad.real_like(g * {factor}, z)")
    # log and log10 are holomorphic off the negative real axis; on it (the branch cut) the
    # rule is the slope of the branch cmath's value is on (the sign of a zero imaginary part
    # picks it), as NumPy's complex log and cmath.sqrt
    jvp.defjvp("cmath.log", "z, base=None, /", nondiff=("base",), z=f"(dz + 0j) * {_CLOG}")
    vjp.defvjp(
        "cmath.log", "z, base=None, /", nondiff=("base",), z=f"_srcad.real_like(g * {_CLOG}, z)"
    )

    for name in ZERO:
        if hasattr(math, name):
            jvp.defzero(f"math.{name}")
            vjp.defzero(f"math.{name}")
    for name in ("bisect_left", "bisect_right"):  # an index (bisect.bisect is bisect_right)
        jvp.defzero(f"bisect.{name}")
        vjp.defzero(f"bisect.{name}")
