"""NumPy's elementwise functions (ufuncs), the zero-derivative ones, and the runtime helpers that
compute derivative factors safely (at 0, at inf, on Python numbers), with their own rules.

Input: the `RuleTable` pair. Output: the tables filled with ``numpy.<ufunc>`` rules and the
helpers' rules; the helpers (``_srcad.<name>``) take Python numbers or arrays.

On Python floats NumPy gives inf/nan where Python raises ZeroDivisionError, so factors that divide
by something the primal does not (``1 / x`` for ``np.log(0.0)``) divide with NumPy
(``np.reciprocal``, ``np.divide``) or `fdiv`. Unary ufuncs are tabled as ``name -> f'(x)`` (a
template over ``x`` and ``ans``); the JVP is ``dx * f'(x)`` and the VJP ``g * f'(x)``. Binary
ufuncs broadcast, so their VJP terms are summed back to each argument's shape. Example
(``np.hypot``)::

    jvp: dx * _srcad.div0(x, ans) + dy * _srcad.div0(y, ans)     # 0 at hypot(0, 0)
    vjp: bx = _srcad.unbroadcast(g * _srcad.div0(x, ans), x)
"""

from __future__ import annotations

import functools
import math
import operator

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import complex_refusal, real_operand
from srcad.errors import DiffError
from srcad.rules import root_at0, special
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt
from srcad.rules.infzero import inf_safe
from srcad.rules.root_at0 import hypot_term
from srcad.rules.trees import _SCALAR_TYPES, _SCALARS

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
    "fabs": "np.sign(x)",
    "deg2rad": "(np.pi / 180.0)",
    "radians": "(np.pi / 180.0)",
    "rad2deg": "(180.0 / np.pi)",
    "degrees": "(180.0 / np.pi)",
    "sinc": "_srcad.sinc_d(x, 1)",
}

# Factors infinite at an infinite x: a zero tangent there is a constant, not 0 * inf = nan.
INF_AT_INF = ("exp", "exp2", "expm1", "sinh", "cosh", "square")

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
    "bool_", "iscomplex", "isreal", "isscalar", "result_type", "nanargmax", "nanargmin",
    "iscomplexobj", "isrealobj",
)  # fmt: skip


def _binary(jvp: RuleTable, vjp: RuleTable, name: str, dx: str, dy: str, bx: str, by: str):
    """One broadcasting binary rule: JVP terms `dx`, `dy`; VJP cotangents `bx`, `by` (pre-sum)."""
    jvp.defjvp(name, "x, y, /", x=dx, y=dy)
    vjp.defvjp(name, "x, y, /", x=f"_srcad.unbroadcast({bx}, x)", y=f"_srcad.unbroadcast({by}, y)")


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the ufunc rules."""
    root_at0.register(jvp, vjp)  # (the checks `hypot_term` calls, rules/root_at0.py)
    for name, factor in UNARY.items():
        term, back = f"dx * {factor}", f"g * {factor}"
        if name == "reciprocal":  # (dx * ans) * ans: ans * ans overflows where 1/x is 1e160
            term, back = "-(dx * ans) * ans", "-(g * ans) * ans"  # (the Hessian of a log)
        term = inf_safe(term, "dx", "x") if name in INF_AT_INF else term
        jvp.defjvp(f"numpy.{name}", "x, /", x=term)
        vjp.defvjp(f"numpy.{name}", "x, /", x=back)
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
    mul_x, mul_y = inf_safe("dx * y", "dx", "y"), inf_safe("x * dy", "dy", "x")
    _binary(jvp, vjp, "numpy.multiply", mul_x, mul_y, "g * y", "g * x")
    _binary(
        jvp, vjp, "numpy.divide",
        "np.divide(dx, y)", "-dy * ans / y", "np.divide(g, y)", "-g * ans / y",
    )  # fmt: skip
    for name in ("numpy.power", "numpy.float_power"):
        _binary(
            jvp, vjp, name,
            inf_safe("dx * _srcad.pow_dx(x, y)", "dx", "x"),
            "np.where(np.equal(dy, 0), 0.0, dy * _srcad.pow_dy(x, ans))",
            "g * _srcad.pow_dx(x, y)", "g * _srcad.pow_dy(x, ans)",
        )  # fmt: skip
    # hypot(0, 0): the minimum-norm subgradient 0, as for np.linalg.norm at 0; its derivatives
    # refuse there along a nonzero direction (rules/root_at0.py)
    _binary(
        jvp, vjp, "numpy.hypot", *(hypot_term(t, v) for t, v in (("dx", "x"), ("dy", "y"),
                                                                  ("g", "x"), ("g", "y"))),
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

    # Selections: at a tie each side gets half (as JAX's and autograd's maximum, and as central
    # differences see it: np.maximum(z, 0.0) at z = 0 has slope 0.5). fmax/fmin pick x where y
    # is NaN (NumPy returns the other operand); maximum/minimum propagate the NaN.
    for name, test in [
        ("maximum", "x > y"), ("fmax", "(x > y) | np.isnan(y)"),
        ("minimum", "x < y"), ("fmin", "(x < y) | np.isnan(y)"),
    ]:  # fmt: skip
        jvp.defjvp_joint(
            f"numpy.{name}", "x, y, /",
            f"np.where({test}, dx, np.where(x == y, 0.5 * (dx + dy), dy))",
        )  # fmt: skip
        vjp.defvjp(
            f"numpy.{name}", "x, y, /",
            x=f"_srcad.unbroadcast(np.where({test}, g, np.where(x == y, 0.5 * g, 0.0)), x)",
            y=f"_srcad.unbroadcast(np.where({test}, 0.0, np.where(x == y, 0.5 * g, g)), y)",
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
        zero_in=("y",),  # the sign source: piecewise constant
        x="dx * np.sign(x) * np.sign(ans)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.copysign", "x, y, /",
        zero_in=("y",),  # the sign source: piecewise constant
        x="_srcad.unbroadcast(g * np.sign(x) * np.sign(ans), x)",
    )  # fmt: skip
    # heaviside(x1, x2) is x2 where x1 == 0, else 0 or 1: piecewise constant in x1.
    jvp.defjvp(
        "numpy.heaviside", "x1, x2, /", zero_in=("x1",), x2="np.where(np.equal(x1, 0), dx2, 0.0)"
    )
    vjp.defvjp(
        "numpy.heaviside", "x1, x2, /",
        zero_in=("x1",),
        x2="_srcad.unbroadcast(np.where(np.equal(x1, 0), g, 0.0), x2)",
    )  # fmt: skip
    jvp.deflinear("numpy.ldexp", "x, y, /", nondiff=("y",))
    vjp.deflinear(
        "numpy.ldexp", "x, y, /", nondiff=("y",), x="_srcad.unbroadcast(g * np.ldexp(1.0, y), x)"
    )

    for name in ZERO:
        jvp.defzero(f"numpy.{name}")
        vjp.defzero(f"numpy.{name}")
    _helper_rules(jvp, vjp)


@helper
def sign(x):
    """Sign of `x` (0 at 0): a Python float for Python numbers, else ``np.sign(x)``."""
    if type(x) is float or type(x) is int:
        return (x > 0) - (x < 0) + 0.0
    if np.iscomplexobj(x):  # abs(z), math.fabs, norms: np.abs has the complex rule
        raise DiffError("abs() of a complex value has no derivative rule", hint="use np.abs(z)")
    return np.sign(x)


@helper
def real_sign(x):
    """``np.sign(x)`` of a differentiated value (srcad.ad.complex_check): its zero derivative
    holds for real values only (NumPy's sign of a complex z is z / |z|), so a complex `x` the
    transform could not see (an attribute of an argument) is refused when it runs."""
    t = type(x)
    if t is not float and t is not np.float64 and np.iscomplexobj(x):
        raise complex_refusal("np.sign (whose derivative rule is zero)")
    return np.sign(x)


def _ieee(v):
    """A NumPy float64 result as a Python float (inf/nan kept, no warning)."""
    return float(v)


@helper
def fdiv(x, y):
    """``x / y``, with NumPy's inf/nan instead of ZeroDivisionError when both are Python numbers
    (derivative factors like ``0.5 / math.sqrt(x)`` at ``x == 0``)."""
    if (type(y) is float or type(y) is int) and y == 0 and type(x) in _SCALARS:
        with np.errstate(divide="ignore", invalid="ignore"):
            return _ieee(np.divide(np.float64(x), np.float64(y)))
    return x / y


@helper
def div0(x, y):
    """``x / y``, 0 where ``y == 0``: the minimum-norm subgradient of norm-like functions at 0
    (``hypot(0, 0)``, ``std`` of constant data). Python numbers stay Python floats."""
    if type(x) in _SCALARS and type(y) in _SCALARS:
        return x / y if y != 0 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = np.equal(y, 0)
        out = np.where(zero, 0.0, np.divide(x, np.where(zero, 1.0, y)))
    return out[()] if out.ndim == 0 else out


@helper
def logaddexp_weight(x, a, base2=False):
    """``d logaddexp(x, y) / dx = exp(x - a)`` with ``a = logaddexp(x, y)`` (``exp2`` for
    ``logaddexp2``), finite where the subtraction is not: 0 where ``x = -inf`` (it does not
    contribute, also when ``y = -inf`` too, where the formula gives ``exp(nan)``), 1 where
    ``x = a = +inf``."""
    with np.errstate(invalid="ignore"):
        d = np.subtract(x, a)
        w = np.exp2(d) if base2 else np.exp(d)
        tw = type(w)  # NumPy's (a Dask array's .any() would compute it)
        if (tw is np.ndarray or tw is np.float64) and not np.isnan(w).any():
            return w[()] if w.ndim == 0 else w  # no inf - inf: x = -inf gave 0, x = +inf nan
        w = np.where(np.isneginf(x), 0.0, w)
        w = np.where(np.isposinf(x), np.where(np.equal(x, a), 1.0, 0.0), w)
    return w[()] if w.ndim == 0 else w


@helper
def int_zero(t, dtype=None):
    """The tangent/cotangent `t` of a value cast to `dtype`: zeros when `dtype` is integer or
    boolean (the cast is piecewise constant), else `t` unchanged."""
    if dtype is None or np.dtype(dtype).kind not in "biu":
        return t
    if type(t) in _SCALARS:
        return 0.0
    return np.zeros(np.shape(t))


@helper
def pow_dx(x, y):
    """``d(x ** y)/dx = y * x ** (y - 1)``, 0 where ``y == 0`` (so ``0 ** -1`` never runs)."""
    if type(y) is int or type(y) is float:
        if y == 0:
            return 0.0 * x
        if type(x) in _SCALAR_TYPES:
            if x == 0 and y < 1:  # 0.0 ** -0.5 raises in Python; NumPy says inf
                with np.errstate(divide="ignore", invalid="ignore"):
                    return _ieee(y * np.power(np.float64(x), y - 1))
            return y * x ** (y - 1)
        if y == 2:
            return 2.0 * x
        if y == 1:
            return np.ones_like(x, dtype=float)
        return y * np.power(x, y - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.equal(y, 0), 0.0, y * np.power(x, np.subtract(y, 1)))


@helper
def pow_dy(x, ans):
    """``d(x ** y)/dy = x ** y * log(x)``: 0 where ``x == 0``, nan where ``x < 0``."""
    if type(x) is float or type(x) is int:
        if x > 0:
            return ans * math.log(x)
        return 0.0 if x == 0 else math.nan
    if np.iscomplexobj(x):  # the principal log, holomorphic off the negative real axis
        with np.errstate(divide="ignore", invalid="ignore"):
            nz = np.not_equal(x, 0)
            return np.where(nz, np.multiply(ans, np.log(np.where(nz, x, 1.0))), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(np.greater(x, 0), x, 1.0)
        out = np.where(np.greater(x, 0), np.multiply(ans, np.log(safe)), 0.0)
        return np.where(np.less(x, 0), np.nan, out)


@helper
def pow_dx_dy(x, y):
    """``d pow_dx(x, y) / dy = x ** (y - 1) * (1 + y * log(x))`` (0 where ``x == 0``)."""
    if type(x) is float and x > 0:
        return x ** (y - 1) * (1.0 + y * math.log(x))
    if np.iscomplexobj(x):  # (see pow_dy)
        with np.errstate(divide="ignore", invalid="ignore"):
            nz = np.not_equal(x, 0)
            s = np.where(nz, x, 1.0)
            out = np.power(s, np.subtract(y, 1)) * (1.0 + np.multiply(y, np.log(s)))
            return np.where(nz, out, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(np.greater(x, 0), x, 1.0)
        out = np.power(safe, np.subtract(y, 1)) * (1.0 + np.multiply(y, np.log(safe)))
        return np.where(np.greater(x, 0), out, np.where(np.equal(x, 0), 0.0, np.nan))


def _sinc_d_threshold(k: int) -> float:
    """|pi x| below which `sinc_d` sums the Maclaurin series: above it the series cancels (its
    terms grow like exp(|pi x|)), below it Leibniz's rule does (its terms grow like k! / |pi x|^k).
    Both keep ~1e-14 of the value's scale for k <= 8 (tests/rules/test_sinc.py)."""
    return max(4.0, 0.5 * k)


@functools.cache
def _sinc_d_coeffs(k: int) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """Coefficients, highest power first, of s^(k) for s(t) = sin(t) / t: the series
    ``s^(k)(t) = t^(k % 2) * S(t^2)`` and Leibniz's rule on sin(t) * t^-1,
    ``s^(k)(t) = sin(t) P(1/t) + cos(t) Q(1/t)``."""
    series, m, size = [], k % 2, 1.0  # size: T^m / m!, the largest a term can be below T
    bound = _sinc_d_threshold(k)
    while m < 3 or size > 1e-20:
        series.append((-1) ** ((m + k) // 2) / ((m + k + 1) * math.factorial(m)))
        size *= bound * bound / ((m + 1) * (m + 2))
        m += 2
    p, q = [0.0] * (k + 2), [0.0] * (k + 2)  # s^(k) = sum_j C(k, j) sin^(j)(t) (t^-1)^(k-j)
    for j in range(k + 1):
        a = (-1) ** (k - j) * (math.factorial(k) // math.factorial(j))  # C(k, j) (k-j)! (-1)^..
        (p if j % 2 == 0 else q)[k - j + 1] += a if j % 4 < 2 else -a  # sin(t + j pi / 2)
    return tuple(reversed(series)), tuple(reversed(p)), tuple(reversed(q))


def _horner(coeffs: tuple[float, ...], u):
    """The polynomial with `coeffs` (highest power first) at `u` (a float or an array)."""
    acc = 0.0
    for c in coeffs:
        acc = acc * u + c
    return acc


def _sinc_series(t, k: int):
    """s^(k)(t) by the Maclaurin series (for |t| below the threshold)."""
    return _horner(_sinc_d_coeffs(k)[0], t * t) * (t if k % 2 else 1.0)


def _sinc_leibniz(x, k: int, lib):
    """s^(k)(t) at t = pi x != 0 by Leibniz's rule; `lib` is `math` (floats) or `np` (arrays).
    sin(t) and cos(t) come from x mod 2 (exact), so ``sinc_d(40.0, 2)`` has no error from the
    rounding of pi * 40."""
    _, p, q = _sinc_d_coeffs(k)
    r, w = math.pi * lib.fmod(x, 2.0), 1.0 / (math.pi * x)
    return lib.sin(r) * _horner(p, w) + lib.cos(r) * _horner(q, w)


@helper
def sinc_d(x, k):
    """The `k`-th derivative (k >= 0, an int) of the normalized ``np.sinc`` at `x`: ``pi^k
    s^(k)(pi x)`` with s(t) = sin(t) / t, by the Maclaurin series of s where |pi x| is below
    `_sinc_d_threshold(k)` (exact at 0: ``(-1)^(k/2) pi^k / (k + 1)`` for even k, 0 for odd),
    by Leibniz's rule on sin(t) * t^-1 elsewhere; nan at +-inf and nan, as ``np.sinc``. A
    Python number gives a Python float."""
    k = operator.index(k)
    if k < 0:
        raise ValueError(f"sinc_d: the order k must be >= 0, got {k}")
    if type(x) in _SCALARS:
        if not math.isfinite(x):
            return math.nan
        t = math.pi * x
        s = _sinc_series(t, k) if abs(t) < _sinc_d_threshold(k) else _sinc_leibniz(x, k, math)
        return math.pi**k * s + 0.0  # + 0.0: 0.0, not -0.0, at 0
    x = real_operand(x, "np.sinc")
    small = np.abs(math.pi * x) < _sinc_d_threshold(k)
    with np.errstate(invalid="ignore"):  # fmod(inf, 2)
        s = np.where(
            small,
            _sinc_series(math.pi * np.where(small, x, 0.0), k),
            _sinc_leibniz(np.where(small, 1.0, x), k, np),
        )
    out = math.pi**k * s + 0.0
    return out[()] if out.ndim == 0 else out


def _zero_safe(t: str, factor: str) -> str:
    """Template: ``t * factor``, 0 where the tangent (or cotangent) `t` is 0 even if the factor
    is nan or inf there (no contribution in a direction that does not move the argument)."""
    return f"np.where(np.equal({t}, 0), 0.0, {t} * {factor})"


def _helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the derivative-factor helpers."""
    defzero_helper(jvp, vjp, sign, real_sign)
    # The exponent's term (and pow_dy's below) is 0 where its tangent is 0, like pow's own: an
    # exponent or base read off a tape (a loop index) gets a zero tangent, and its factor may be
    # nan or inf (log x for x < 0, a / x at 0): 0 * nan would poison the whole derivative.
    jvp.defjvp(
        rt(pow_dx), "x, y",
        x="dx * _srcad.pow_d2(x, y)",
        y=_zero_safe("dy", "_srcad.pow_dx_dy(x, y)"),
    )  # fmt: skip
    vjp.defvjp(
        rt(pow_dx), "x, y",
        x="_srcad.unbroadcast(g * _srcad.pow_d2(x, y), x)",
        y="_srcad.unbroadcast(g * _srcad.pow_dx_dy(x, y), y)",
    )  # fmt: skip
    # fdiv(x, y) = x / y (inf/nan at y == 0); div0(x, y) = x / y (0 at y == 0)
    for fn in (fdiv, div0):
        name = fn.__name__
        jvp.defjvp(
            rt(fn), "x, y",
            x=f"_srcad.{name}(dx, y)", y=f"-_srcad.{name}(dy * ans, y)",  # (ans / y may overflow)
        )  # fmt: skip
        vjp.defvjp(
            rt(fn), "x, y",
            x=f"_srcad.unbroadcast(_srcad.{name}(g, y), x)",
            y=f"_srcad.unbroadcast(-_srcad.{name}(g * ans, y), y)",
        )  # fmt: skip
    # logaddexp_weight(x, ans) = exp(x - ans) (exp2 with base2), 0 where x = -inf
    ln2 = "(np.log(2.0) if base2 else 1.0)"
    jvp.defjvp(
        rt(logaddexp_weight), "x, a, base2=False", nondiff=('base2',),
        x=f"dx * ans * {ln2}", a=f"-da * ans * {ln2}",
    )  # fmt: skip
    vjp.defvjp(
        rt(logaddexp_weight), "x, a, base2=False", nondiff=('base2',),
        x=f"_srcad.unbroadcast(g * ans * {ln2}, x)",
        a=f"_srcad.unbroadcast(-g * ans * {ln2}, a)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, int_zero, "t, dtype=None",
        "_srcad.int_zero(dt, dtype)", "_srcad.int_zero(g, dtype)",
    )  # fmt: skip
    # pow_dy(x, a) = a * log(x)
    jvp.defjvp(
        rt(pow_dy), "x, a",
        x=_zero_safe("dx", "_srcad.fdiv(a, x)"), a=_zero_safe("da", "_srcad.pow_dy(x, 1.0)"),
    )  # fmt: skip
    vjp.defvjp(
        rt(pow_dy), "x, a",
        x="_srcad.unbroadcast(g * _srcad.fdiv(a, x), x)",
        a="_srcad.unbroadcast(g * _srcad.pow_dy(x, 1.0), a)",
    )  # fmt: skip
    # pow_dx_dy(x, y) = d^2 x^y / dx dy = x^(y-1) (1 + y log x): d/dx = d/dy (y pow_dx(x, y - 1))
    # = pow_dx(x, y - 1) + y pow_dx_dy(x, y - 1); d/dy = log x (x^(y-1) + pow_dx_dy(x, y))
    # (pow_dy(x, a) = a log x: 0 at x == 0 like pow_dx_dy, nan below).
    for table, t, wrap in ((jvp, "d{}", "{}"), (vjp, "g", "_srcad.unbroadcast({}, {})")):
        dx = f"{t.format('x')} * (_srcad.pow_dx(x, y - 1) + y * _srcad.pow_dx_dy(x, y - 1))"
        dy = _zero_safe(t.format("y"), "_srcad.pow_dy(x, np.power(x, y - 1) + ans)")
        if table is vjp:
            dx, dy = wrap.format(dx, "x"), wrap.format(dy, "y")
            vjp.defvjp(rt(pow_dx_dy), "x, y", x=dx, y=dy)
        else:
            jvp.defjvp(rt(pow_dx_dy), "x, y", x=dx, y=dy)
    special.register(jvp, vjp)
    # sinc_d(x, k) is the k-th derivative of np.sinc: its own derivative is the next one.
    jvp.defjvp(rt(sinc_d), "x, k", nondiff=("k",), x="dx * _srcad.sinc_d(x, k + 1)")
    vjp.defvjp(rt(sinc_d), "x, k", nondiff=("k",), x="g * _srcad.sinc_d(x, k + 1)")
