"""The table of derivative-rule test cases: one primitive call each, as a user would write it.

A case is ``Case(prim, expr, args, wrt)``: `expr` is one Python expression calling the primitive
(``"np.sum(x, axis=1, keepdims=True)"``); `args` binds the free names of `expr` to example values
(domains respected: positive for log, SPD for cholesky, ...); `wrt` names the arguments to
differentiate (default: the float-valued ones). `tests/rules/test_rule_templates.py` checks each
rule's templates on these cases, `tests/rules/test_rules_e2e.py` builds ``def f(x, ...): return
<expr>`` from the same table and checks it through the compiler.

Add a case with ``case("numpy.sin", "np.sin(x)", x=randn(3, 4))``; ``_wrt=("x",)`` restricts `wrt`.

At a point where the function is not differentiable (``np.hypot(0, 0)``, ``np.std`` of constant
data), central differences mean nothing: ``_jac={"x": J}`` gives the expected derivative instead,
the Jacobian of the flattened output with respect to the flattened argument (the minimum-norm
subgradient srcad promises there), and the JVP is checked against ``J @ v``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

rng = np.random.default_rng(20240607)


@dataclass(frozen=True)
class Case:
    prim: str
    expr: str
    args: dict = field(default_factory=dict)
    wrt: tuple[str, ...] | None = None
    # False when finite differences are meaningless (low-precision results): dot-product test only.
    fd: bool = True
    # Expected Jacobians (argument name -> (out.size, arg.size) array) at nondifferentiable points.
    jac: dict | None = None

    @property
    def id(self) -> str:
        return f"{self.prim}:{self.expr}"

    def wrt_names(self) -> tuple[str, ...]:
        if self.wrt is not None:
            return self.wrt
        return tuple(n for n, v in self.args.items() if _is_float(v))


def _is_float(v) -> bool:
    if isinstance(v, (list, tuple)):
        return bool(v) and all(_is_float(e) for e in v)
    return type(v) is float or (isinstance(v, np.ndarray) and v.dtype.kind == "f")


def _draw(lo, hi, shape):
    if not shape:
        return float(rng.uniform(lo, hi))
    return rng.uniform(lo, hi, shape)


def real_pairing(a, b) -> float:
    """``Re(sum(a * b))``: the pairing of a cotangent and a tangent (complex values: no conjugate,
    srcad.rules.numpy_fft's convention); for real values the dot product."""
    a, b = np.ravel(np.asarray(a)), np.ravel(np.asarray(b))
    if a.size == b.size and b.dtype.kind in "fc":  # a cotangent zeroed on NaN outputs: no NaN
        b = np.where(a == 0, 0, b)
    if a.dtype.kind != "c" and b.dtype.kind != "c":
        return float(np.vdot(np.asarray(a, float), np.asarray(b, float)))
    return float(np.real(np.sum(a * b)))


def randn(*shape):
    """Standard normal values (a Python float when no shape is given)."""
    return float(rng.standard_normal()) if not shape else rng.standard_normal(shape)


def pos(*shape):
    return _draw(0.5, 2.0, shape)


def unit(*shape):
    return _draw(-0.9, 0.9, shape)


def above1(*shape):
    return _draw(1.2, 3.0, shape)


def spd(n, batch=()):
    a = rng.standard_normal(batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


CASES: list[Case] = []
ZERO_CASES: list[Case] = []


def scipy_namespace() -> dict:
    """``scipy`` (with ``special``, ``stats``, ``signal`` imported) and ``sp`` (``scipy.special``)
    for case expressions, or nothing when scipy is not installed (its cases are then absent)."""
    try:
        import scipy.signal
        import scipy.special
        import scipy.stats  # noqa: F401
    except ImportError:
        return {}
    return {"scipy": scipy, "sp": scipy.special}


HAS_SCIPY = bool(scipy_namespace())


def scipy_linalg_batches() -> bool:
    """scipy.linalg takes stacks of matrices (scipy 1.16+; Python 3.10's newest is 1.15): the
    rows and tests of stacked inputs run only then (on older scipy the primal itself fails)."""
    try:
        import scipy.linalg as sl

        two = np.stack([np.eye(2)] * 2)
        sl.sqrtm(two)
        sl.solve_triangular(np.eye(2), np.ones((2, 2, 1)))
        sl.block_diag(np.ones((2, 1, 1)))
    except Exception:
        return False
    return True


def case(prim: str, expr: str, _wrt=None, _fd=True, _jac=None, **args) -> None:
    CASES.append(Case(prim, expr, args, _wrt, _fd, _jac))


def canonical_prim(expr: str) -> str:
    """The primitive a one-call expression like ``np.sum(x, dtype=int)`` calls."""
    head = expr.split("(", 1)[0]
    return "method." + head[2:] if head.startswith("x.") else "numpy." + head[3:]


def zero(prim: str, expr: str, **args) -> None:
    ZERO_CASES.append(Case(prim, expr, args))


# -- operators -------------------------------------------------------------------------------
BROADCAST_PAIRS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((), (3,)), ((3, 1), (1, 4)), ((), ())]
for sx, sy in BROADCAST_PAIRS:
    case("add", "x + y", x=randn(*sx), y=randn(*sy))
    case("sub", "x - y", x=randn(*sx), y=randn(*sy))
    case("mul", "x * y", x=randn(*sx), y=randn(*sy))
    case("truediv", "x / y", x=randn(*sx), y=pos(*sy))
    case("mod", "x % y", x=randn(*sx), y=pos(*sy))
    case("pow", "x ** y", x=pos(*sx), y=randn(*sy))
case("add", "x + 1.0", x=randn(3))
case("sub", "2.0 - x", x=randn())
case("pow", "x ** 3", x=randn(3, 4))
case("pow", "x ** 2", x=randn())
case("pow", "x ** 0", x=randn(3))
case("pow", "2.0 ** y", y=randn(3))
case("pow", "pow(x, y)", x=pos(), y=randn())
case("pow", "pow(x, 2)", x=randn())
MATMUL_SHAPES = [((3, 4), (4, 5)), ((4,), (4, 5)), ((3, 4), (4,)), ((4,), (4,)),
                 ((2, 3, 4), (4, 5)), ((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4,)),
                 ((4,), (2, 4, 5))]  # fmt: skip
for sx, sy in MATMUL_SHAPES:
    case("matmul", "x @ y", x=randn(*sx), y=randn(*sy))
case("neg", "-x", x=randn(3))
case("neg", "-x", x=randn())
case("pos", "+x", x=randn(3))

# -- builtins --------------------------------------------------------------------------------
case("abs", "abs(x)", x=randn())
case("abs", "abs(x)", x=randn(3, 4))
case("max", "max(x, y)", x=randn(), y=randn())
case("max", "max(x, 0.5)", x=1.5)
case("max", "max([x, y, z])", x=randn(), y=randn(), z=randn())
case("min", "min(x, y)", x=randn(), y=randn())
case("min", "min([x, y, z])", x=randn(), y=randn(), z=randn())
case("min", "min(x)", x=randn(5))
case("sum", "sum([x, y, z])", x=randn(), y=randn(), z=randn())
case("sum", "sum([x, y])", x=randn(3), y=randn(3))
case("sum", "sum(x)", x=randn(4, 3))
case("sum", "sum([x, y], z)", x=randn(), y=randn(), z=randn())
case("float", "float(x)", x=randn())
case("float", "float(x)", x=np.array(randn()))

# -- math ------------------------------------------------------------------------------------
MATH_DOMAINS = {
    "asin": unit, "acos": unit, "atanh": unit, "acosh": above1, "log1p": pos, "log2": pos,
    "log10": pos, "sqrt": pos, "cbrt": pos, "gamma": pos, "lgamma": pos,
}  # fmt: skip
for name in ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
             "acosh", "atanh", "exp", "expm1", "exp2", "log1p", "log2", "log10", "sqrt", "cbrt",
             "erf", "erfc", "fabs", "degrees", "radians", "gamma", "lgamma"]:  # fmt: skip
    if hasattr(math, name):
        case(f"math.{name}", f"math.{name}(x)", x=MATH_DOMAINS.get(name, randn)())
case("math.gamma", "math.gamma(x)", x=-1.5)
case("math.lgamma", "math.lgamma(x)", x=7.5)
case("math.log", "math.log(x)", x=pos())
case("math.log", "math.log(x, b)", x=pos(), b=above1())
case("math.log", "math.log(x, 10)", x=pos())
case("math.pow", "math.pow(x, y)", x=pos(), y=randn())
case("math.pow", "math.pow(x, 0)", x=0.0)
case("math.hypot", "math.hypot(x, y)", x=randn(), y=randn())
case("math.atan2", "math.atan2(y, x)", x=randn(), y=randn())
case("math.fmod", "math.fmod(x, y)", x=3.3, y=pos())
case("math.remainder", "math.remainder(x, y)", x=3.3, y=pos())
case("math.copysign", "math.copysign(x, y)", ("x",), x=randn(), y=randn())
case("math.nextafter", "math.nextafter(x, y)", ("x",), x=randn(), y=randn())
case("math.ldexp", "math.ldexp(x, 3)", x=randn())
case("math.fsum", "math.fsum([x, y, z])", x=randn(), y=randn(), z=randn())
case("math.prod", "math.prod([x, y, z])", x=randn(), y=randn(), z=randn())
case("math.prod", "math.prod([x, y, z])", x=randn(), y=0.0, z=randn())
case("math.prod", "math.prod([x, y], start=z)", x=randn(), y=randn(), z=randn())
case("math.prod", "math.prod([x, y], start=z)", x=randn(3), y=randn(), z=randn(3))

# -- numpy ufuncs ----------------------------------------------------------------------------
UFUNC_DOMAINS = {
    "arcsin": unit, "arccos": unit, "arctanh": unit, "arccosh": above1, "log": pos, "log2": pos,
    "log10": pos, "log1p": pos, "sqrt": pos, "cbrt": pos, "reciprocal": pos,
}  # fmt: skip
for name in ["sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
             "arcsinh", "arccosh", "arctanh", "exp", "exp2", "expm1", "log", "log2", "log10",
             "log1p", "sqrt", "cbrt", "square", "reciprocal", "absolute", "fabs", "deg2rad",
             "radians", "rad2deg", "degrees", "sinc", "negative", "positive",
             "conjugate"]:  # fmt: skip
    draw = UFUNC_DOMAINS.get(name, randn)
    case(f"numpy.{name}", f"np.{name}(x)", x=draw(3, 4))
case("numpy.sin", "np.sin(x)", x=randn())
case("numpy.abs", "np.abs(x)", x=randn(5))
case("numpy.sinc", "np.sinc(x)", x=np.array([0.0, 0.3, -1.2]))
case("numpy.sinc", "np.sinc(x)", x=np.array([1e-8, -1e-12, 1.5, 40.0]))
case("numpy.arccos", "np.arccos(x)", x=unit())
BINARY = {
    "add": (randn, randn), "subtract": (randn, randn), "multiply": (randn, randn),
    "divide": (randn, pos), "power": (pos, randn), "float_power": (pos, randn),
    "hypot": (randn, randn), "arctan2": (randn, randn), "logaddexp": (randn, randn),
    "logaddexp2": (randn, randn), "maximum": (randn, randn), "fmax": (randn, randn),
    "minimum": (randn, randn), "fmin": (randn, randn), "remainder": (randn, pos),
    "fmod": (randn, pos),
}  # fmt: skip
for name, (dx, dy) in BINARY.items():
    for sx, sy in BROADCAST_PAIRS[1:4]:
        case(f"numpy.{name}", f"np.{name}(x, y)", x=dx(*sx), y=dy(*sy))
case("numpy.true_divide", "np.true_divide(x, y)", x=randn(3), y=pos(3))
case("numpy.mod", "np.mod(x, y)", x=randn(3), y=pos())
case("numpy.maximum", "np.maximum(x, 0.0)", x=randn(3, 4))
_nan_at = np.array([np.nan, 0.5, np.nan, -0.2])  # fmax/fmin return the other operand at a NaN
case("numpy.fmax", "np.fmax(x, y)", ("x",), x=randn(4), y=_nan_at)
case("numpy.fmax", "np.fmax(y, x)", ("x",), x=randn(4), y=_nan_at.copy())
case("numpy.fmin", "np.fmin(x, y)", ("x",), x=randn(3, 4), y=_nan_at.copy())
case("numpy.power", "np.power(x, 3)", x=randn(4))
case("numpy.copysign", "np.copysign(x, y)", ("x",), x=randn(3, 4), y=randn(4))
case("numpy.ldexp", "np.ldexp(x, n)", x=randn(3), n=np.array([1, 2, 3]))

# -- reductions ------------------------------------------------------------------------------
AXES = ["", ", axis=0", ", axis=-1", ", axis=(0, 2)", ", axis=1, keepdims=True",
        ", axis=None, keepdims=True"]  # fmt: skip
for name in ["sum", "mean", "prod", "max", "min", "amax", "amin", "var", "std"]:
    for ax in AXES:
        case(f"numpy.{name}", f"np.{name}(x{ax})", x=randn(2, 3, 4))
    if name in ("sum", "mean", "prod", "max", "min", "var", "std"):
        case(f"method.{name}", f"x.{name}()", x=randn(3, 4))
        case(f"method.{name}", f"x.{name}(axis=1, keepdims=True)", x=randn(3, 4))
        case(f"method.{name}", f"x.{name}(0)", x=randn(3, 4))
for name in ("var", "std"):
    case(f"numpy.{name}", f"np.{name}(x, axis=1, ddof=1)", x=randn(3, 4))
    case(f"method.{name}", f"x.{name}(ddof=1)", x=randn(3, 4))
_with_zero = randn(3, 4)
_with_zero[1, 2] = 0.0
case("numpy.prod", "np.prod(x, axis=1)", x=_with_zero)
case("numpy.prod", "np.prod(x)", x=_with_zero.copy())
case("numpy.sum", "np.sum(x)", x=randn())
case("numpy.sum", "np.sum([x, y])", x=randn(3), y=randn(3))
case("numpy.mean", "np.mean([x, y, z])", x=randn(), y=randn(), z=randn())
for name in ("cumsum", "cumprod"):
    for ax in ("", ", axis=0", ", axis=-1"):
        case(f"numpy.{name}", f"np.{name}(x{ax})", x=pos(3, 4))
    case(f"method.{name}", f"x.{name}(axis=1)", x=pos(3, 4))
case("numpy.cumprod", "np.cumprod(x)", x=_with_zero.copy())  # zeros: the exact O(n^2) path
case("numpy.cumprod", "np.cumprod(x, axis=1)", x=_with_zero.copy())
case("numpy.average", "np.average(x)", x=randn(3, 4))
case("numpy.average", "np.average(x, axis=1, weights=w)", x=randn(3, 4), w=pos(4))
case("numpy.average", "np.average(x, axis=0, weights=w)", x=randn(3, 4), w=pos(3, 4))
case("numpy.average", "np.average(x, 0, w, keepdims=True)", x=randn(3, 4), w=pos(3))
# weights along a tuple of axes, in the tuple's order (w.shape == (x.shape[2], x.shape[0]))
case("numpy.average", "np.average(x, axis=(2, 0), weights=w)", x=randn(2, 3, 4), w=pos(4, 2))
case("numpy.average", "np.average(x, (-1, 1), w, keepdims=True)", x=randn(2, 3, 4), w=pos(4, 3))
_with_nan = randn(3, 4)
_with_nan[0, 1] = np.nan
case("numpy.nansum", "np.nansum(x, axis=1)", x=_with_nan)
case("numpy.nansum", "np.nansum(x)", x=randn(3, 4))
case(
    "numpy.nansum",
    "np.nansum(x, axis=0, where=m, initial=b)",
    x=_with_nan,
    m=np.array([[True], [False], [True]]),
    b=randn(),
)
case("numpy.nansum", "np.nansum(x, where=m, keepdims=True)", x=_with_nan, m=_with_nan > 0)
case(
    "numpy.nanmean", "np.nanmean(x, axis=0, where=m)", x=_with_nan, m=np.array([[1], [0], [1]]) > 0
)
case("numpy.nanmean", "np.nanmean(x, where=m, keepdims=True)", x=_with_nan, m=_with_nan > -0.5)
case("numpy.sort", "np.sort(x)", x=randn(3, 4))
case("numpy.sort", "np.sort(x, axis=0)", x=randn(3, 4))
case("numpy.sort", "np.sort(x, axis=None)", x=randn(3, 4))
case("numpy.sort", "np.sort(x, axis=0, stable=True)", x=randn(3, 4))

# -- shape functions -------------------------------------------------------------------------
x234 = randn(2, 3, 4)
for expr in ["np.reshape(x, (6, 4))", "np.reshape(x, (4, -1), order='F')", "np.reshape(x, -1)"]:
    case("numpy.reshape", expr, x=randn(2, 3, 4))
for expr in ["x.reshape(6, 4)", "x.reshape((4, 6))", "x.reshape(-1, order='F')"]:
    case("method.reshape", expr, x=randn(2, 3, 4))
case("numpy.transpose", "np.transpose(x)", x=randn(2, 3, 4))
case("numpy.transpose", "np.transpose(x, (1, 2, 0))", x=randn(2, 3, 4))
case("numpy.transpose", "np.transpose(x, axes=(-1, 0, 1))", x=randn(2, 3, 4))
case("method.transpose", "x.transpose()", x=randn(2, 3, 4))
case("method.transpose", "x.transpose(2, 0, 1)", x=randn(2, 3, 4))
case("method.transpose", "x.transpose((1, 0, 2))", x=randn(2, 3, 4))
case("attr.T", "x.T", x=randn(3, 4))
case("attr.mT", "x.mT", x=randn(2, 3, 4))
case("numpy.matrix_transpose", "np.matrix_transpose(x)", x=randn(2, 3, 4))
case("numpy.linalg.matrix_transpose", "np.linalg.matrix_transpose(x)", x=randn(3, 4))
case("numpy.swapaxes", "np.swapaxes(x, 0, 2)", x=randn(2, 3, 4))
case("method.swapaxes", "x.swapaxes(-1, 0)", x=randn(2, 3, 4))
case("numpy.moveaxis", "np.moveaxis(x, 0, -1)", x=randn(2, 3, 4))
case("numpy.moveaxis", "np.moveaxis(x, (0, 1), (2, 0))", x=randn(2, 3, 4))
case("numpy.expand_dims", "np.expand_dims(x, 1)", x=randn(3, 4))
case("numpy.expand_dims", "np.expand_dims(x, (0, -1))", x=randn(3, 4))
case("numpy.squeeze", "np.squeeze(x)", x=randn(3, 1, 4, 1))
case("numpy.squeeze", "np.squeeze(x, axis=1)", x=randn(3, 1, 4, 1))
case("method.squeeze", "x.squeeze()", x=randn(3, 1, 4))
case("numpy.ravel", "np.ravel(x)", x=randn(3, 4))
case("numpy.ravel", "np.ravel(x, order='F')", x=randn(3, 4))
case("method.ravel", "x.ravel()", x=randn(3, 4))
case("method.flatten", "x.flatten()", x=randn(3, 4))
for order in ("A", "K"):  # (the helpers' rows in rules_cases_runtime read other layouts)
    case("numpy.ravel", f"np.ravel(x, order={order!r})", x=randn(3, 4))
    case("method.flatten", f"x.flatten({order!r})", x=randn(3, 4))
case("numpy.atleast_1d", "np.atleast_1d(x)", x=randn())
case("numpy.atleast_2d", "np.atleast_2d(x)", x=randn(3))
case("numpy.atleast_3d", "np.atleast_3d(x)", x=randn(3, 4))
case("numpy.broadcast_to", "np.broadcast_to(x, (2, 3, 4))", x=randn(3, 1))
case("numpy.broadcast_to", "np.broadcast_to(x, (3,))", x=randn())
case("numpy.concatenate", "np.concatenate([x, y])", x=randn(2, 3), y=randn(4, 3))
case("numpy.concatenate", "np.concatenate((x, y, x), axis=1)", x=randn(2, 3), y=randn(2, 1))
case("numpy.concatenate", "np.concatenate([x, y], axis=None)", x=randn(2, 3), y=randn(4))
case("numpy.concat", "np.concat([x, y], axis=-1)", x=randn(2, 3), y=randn(2, 2))
case("numpy.stack", "np.stack([x, y])", x=randn(2, 3), y=randn(2, 3))
case("numpy.stack", "np.stack((x, y, z), axis=-1)", x=randn(3), y=randn(3), z=randn(3))
case("numpy.stack", "np.stack([x, 1.0])", x=randn())
case("numpy.hstack", "np.hstack([x, y])", x=randn(3), y=randn(2))
case("numpy.hstack", "np.hstack((x, y))", x=randn(2, 3), y=randn(2, 1))
case("numpy.vstack", "np.vstack([x, y])", x=randn(3), y=randn(2, 3))
case("numpy.dstack", "np.dstack([x, y])", x=randn(2, 3), y=randn(2, 3))
case("numpy.column_stack", "np.column_stack([x, y])", x=randn(3), y=randn(3, 2))
case("numpy.split", "np.split(x, 3)", x=randn(6, 2))
case("numpy.split", "np.split(x, [1, 3], axis=1)", x=randn(2, 5))
case("numpy.array_split", "np.array_split(x, 3)", x=randn(7))
case("numpy.tile", "np.tile(x, 3)", x=randn(2))
case("numpy.tile", "np.tile(x, (2, 1, 3))", x=randn(2, 3))
case("numpy.tile", "np.tile(x, (2, 2))", x=randn(2, 3, 2))
case("numpy.repeat", "np.repeat(x, 2)", x=randn(2, 3))
case("numpy.repeat", "np.repeat(x, [1, 0, 3], axis=1)", x=randn(2, 3))
case("method.repeat", "x.repeat(3, axis=0)", x=randn(2, 3))
case("numpy.flip", "np.flip(x)", x=randn(2, 3))
case("numpy.flip", "np.flip(x, axis=1)", x=randn(2, 3))
case("numpy.fliplr", "np.fliplr(x)", x=randn(2, 3))
case("numpy.flipud", "np.flipud(x)", x=randn(2, 3))
case("numpy.rot90", "np.rot90(x)", x=randn(2, 3))
case("numpy.rot90", "np.rot90(x, 3, axes=(1, 2))", x=randn(2, 3, 4))
case("numpy.roll", "np.roll(x, 2)", x=randn(2, 3))
case("numpy.roll", "np.roll(x, -1, axis=1)", x=randn(2, 3))
case("numpy.roll", "np.roll(x, (1, 2), axis=(0, 1))", x=randn(2, 3))
case("numpy.pad", "np.pad(x, 2)", x=randn(2, 3))
case("numpy.pad", "np.pad(x, ((1, 0), (0, 2)))", x=randn(2, 3))
case("numpy.pad", "np.pad(x, 2, mode='edge')", x=randn(2, 3))
case("numpy.pad", "np.pad(x, (2, 3), 'reflect')", x=randn(4))
case("numpy.pad", "np.pad(x, 1, mode='wrap')", x=randn(2, 3))
# the statistic modes pad axis by axis, the corners from the borders padded before (hunt10)
case("numpy.pad", "np.pad(x, ((1, 2), (2, 1)), mode='maximum')", x=randn(3, 4))
case("numpy.pad", "np.pad(x, (2, 1), mode='minimum')", x=randn(2, 3))
case("numpy.pad", "np.pad(x, 1, mode='median')", x=randn(3, 4))
case("numpy.pad", "np.pad(x, ((0, 2), (1, 1)), mode='mean')", x=randn(3, 2))
case("numpy.pad", "np.pad(x, ((2, 3), (1, 0)), mode='linear_ramp')", x=randn(3, 4))
case("numpy.pad", "np.pad(x, (1, 2), 'linear_ramp')", x=randn(1, 3))
case("numpy.take", "np.take(x, [0, 2, 2, 5])", x=randn(2, 3))
case("numpy.take", "np.take(x, idx, axis=1)", x=randn(2, 3), idx=np.array([[0, 2], [1, 1]]))
case("method.take", "x.take([1, 1], axis=0)", x=randn(2, 3))
case("numpy.take_along_axis", "np.take_along_axis(x, idx, axis=1)",
     x=randn(2, 3), idx=np.array([[0, 0, 2], [1, 2, 1]]))  # fmt: skip
case("numpy.take_along_axis", "np.take_along_axis(x, np.argsort(x, axis=0), axis=0)", x=randn(3, 2))
# indices and x broadcast against each other along the other axes (either of length 1 there)
case("numpy.take_along_axis", "np.take_along_axis(x, idx, axis=1)", x=randn(3, 4),
     idx=np.array([[0, 3, 3]]))  # fmt: skip
case("numpy.take_along_axis", "np.take_along_axis(x, idx, axis=-1)", x=randn(3, 1, 4),
     idx=np.array([[[1], [0]], [[3], [3]], [[2], [0]]]))  # fmt: skip
case("numpy.diff", "np.diff(x)", x=randn(5))
case("numpy.diff", "np.diff(x, 2, axis=0)", x=randn(5, 3))
case("numpy.copy", "np.copy(x)", x=randn(3))
case("method.copy", "x.copy()", x=randn(3))
case("numpy.real", "np.real(x)", x=randn(3))
case("attr.real", "x.real", x=randn(3))
case("method.conj", "x.conj()", x=randn(3))
case("method.conjugate", "x.conjugate()", x=randn(3))
case("method.item", "x.item()", x=randn(1, 1))
case("method.item", "x.item(4)", x=randn(2, 3))
case("method.item", "x.item(1, 0)", x=randn(2, 3))
case("method.astype", "x.astype(float)", x=randn(3))
case("method.astype", "x.astype(np.float64)", x=randn(3))
case("method.astype", "x.astype(int)", x=randn(3))

# -- selection and constructors --------------------------------------------------------------
_cond = rng.standard_normal((3, 4)) > 0
case("numpy.where", "np.where(c, x, y)", c=_cond, x=randn(3, 4), y=randn(4))
case("numpy.where", "np.where(c, x, 0.0)", c=_cond, x=randn(3, 4))
case("numpy.where", "np.where(x > 0, x, y)", x=randn(3, 4), y=randn())
case("numpy.clip", "np.clip(x, -0.5, 0.5)", x=randn(3, 4))
case("numpy.clip", "np.clip(x, lo, hi)", x=randn(3, 4), lo=-pos(4), hi=pos(3, 1))
case("numpy.clip", "np.clip(x, None, hi)", x=randn(3, 4), hi=randn())
# crossed bounds: NumPy's minimum(maximum(x, lo), hi) is hi everywhere (points off the ties)
case("numpy.clip", "np.clip(x, lo, hi)", x=np.array([-1.0, 0.3, 1.5, 2.5]), lo=2.0,
     hi=np.array([1.0, 1.2, 0.2, 0.7]))  # fmt: skip
case("method.clip", "x.clip(lo, hi)", x=np.array([[-1.0, 0.3], [1.5, 2.5]]), lo=np.array([2.0, 0.1]),
     hi=1.0)  # fmt: skip
_clip_kw = dict(x=randn(3, 4), lo=-pos(), hi=pos(4))  # drawn always: later cases keep their values
if np.lib.NumpyVersion(np.__version__) >= "2.1.0":  # clip's min=/max= keywords are new in NumPy 2.1
    case("numpy.clip", "np.clip(x, min=lo, max=hi)", **_clip_kw)
case("method.clip", "x.clip(lo, hi)", x=randn(3, 4), lo=-pos(), hi=pos(4))
case("method.clip", "x.clip(max=hi)", x=randn(3, 4), hi=randn())
case("numpy.array", "np.array([x, y, z])", x=randn(), y=randn(), z=randn())
case("numpy.array", "np.array([x, y])", x=randn(3), y=randn(3))
case("numpy.array", "np.array([[x, 1.0], [2.0, y]])", x=randn(), y=randn())
case("numpy.array", "np.array(x, ndmin=2)", x=randn(3))
case("numpy.asarray", "np.asarray([x, y])", x=randn(), y=randn())
case("numpy.asarray", "np.asarray(x)", x=randn(2, 2))
case("numpy.asanyarray", "np.asanyarray([x, y])", x=randn(2), y=randn(2))
for name in ("float64", "float32", "float16", "longdouble"):
    case(f"numpy.{name}", f"np.{name}(x)", _fd=name in ("float64", "longdouble"), x=0.75)
case("numpy.float64", "np.float64(x)", x=randn(3))
case("numpy.full", "np.full((3, 2), x)", x=randn())
case("numpy.full", "np.full((2, 3), x)", x=randn(3))
case("numpy.full_like", "np.full_like(np.zeros((2, 3)), x)", x=randn())
case("numpy.linspace", "np.linspace(x, y, 5)", x=randn(), y=randn())
case("numpy.linspace", "np.linspace(x, y, 4, endpoint=False)", x=randn(3), y=randn(3))
case("numpy.linspace", "np.linspace(0.0, y, 1)", y=randn())

# -- products and linalg ---------------------------------------------------------------------
for sx, sy in [((3, 4), (4, 5)), ((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 2)),
               ((2, 3, 4), (4, 5)), ((2, 3, 4), (5, 4, 2)), ((), (3,)), ((3, 2), ())]:  # fmt: skip
    case("numpy.dot", "np.dot(x, y)", x=randn(*sx), y=randn(*sy))
case("method.dot", "x.dot(y)", x=randn(3, 4), y=randn(4))
for sx, sy in [((3, 4), (4, 5)), ((4,), (4, 5)), ((2, 3, 4), (4,))]:
    case("numpy.matmul", "np.matmul(x, y)", x=randn(*sx), y=randn(*sy))
case("numpy.linalg.matmul", "np.linalg.matmul(x, y)", x=randn(3, 4), y=randn(4, 2))
case("numpy.vdot", "np.vdot(x, y)", x=randn(2, 3), y=randn(6))
for sx, sy in [((3, 4), (5, 4)), ((4,), (4,)), ((2, 3), ()), ((2, 3, 4), (4,))]:
    case("numpy.inner", "np.inner(x, y)", x=randn(*sx), y=randn(*sy))
case("numpy.outer", "np.outer(x, y)", x=randn(3), y=randn(2, 2))
case("numpy.linalg.outer", "np.linalg.outer(x, y)", x=randn(3), y=randn(4))
case("numpy.tensordot", "np.tensordot(x, y)", x=randn(2, 3, 4), y=randn(3, 4, 5))
case("numpy.tensordot", "np.tensordot(x, y, axes=1)", x=randn(2, 3), y=randn(3, 4))
case("numpy.tensordot", "np.tensordot(x, y, axes=([1, 0], [0, 2]))",
     x=randn(3, 2, 4), y=randn(2, 5, 3))  # fmt: skip
case("numpy.tensordot", "np.tensordot(x, y, axes=0)", x=randn(2), y=randn(3))
for expr, shapes in [
    ("np.einsum('ij,jk->ik', x, y)", [(3, 4), (4, 5)]),
    ("np.einsum('ij,jk', x, y)", [(3, 4), (4, 5)]),
    ("np.einsum('ij->', x)", [(3, 4)]),
    ("np.einsum('ij->j', x)", [(3, 4)]),
    ("np.einsum('ii->i', x)", [(3, 3)]),
    ("np.einsum('ii', x)", [(3, 3)]),
    ("np.einsum('i,j->ij', x, y)", [(3,), (2,)]),
    ("np.einsum('bij,bjk->bik', x, y)", [(2, 3, 4), (2, 4, 5)]),
    ("np.einsum('...ij,...j->...i', x, y)", [(2, 3, 4), (2, 4)]),
    ("np.einsum('ij,jk,kl->il', x, y, z)", [(2, 3), (3, 4), (4, 2)]),
    ("np.einsum('ij,ij->i', x, y)", [(3, 4), (3, 4)]),
]:
    names = "xyz"[: len(shapes)]
    case("numpy.einsum", expr, **{n: randn(*s) for n, s in zip(names, shapes)})
case("numpy.vecdot", "np.vecdot(x, y)", x=randn(3, 4), y=randn(4))
case("numpy.vecdot", "np.vecdot(x, y, axis=0)", x=randn(3, 4), y=randn(3, 1))
case("numpy.linalg.vecdot", "np.linalg.vecdot(x, y)", x=randn(2, 3), y=randn(2, 3))
case("numpy.cross", "np.cross(x, y)", x=randn(3), y=randn(3))
case("numpy.cross", "np.cross(x, y)", x=randn(4, 3), y=randn(3))
case("numpy.trace", "np.trace(x)", x=randn(3, 4))
case("numpy.trace", "np.trace(x, 1, 0, 2)", x=randn(3, 2, 4))
case("method.trace", "x.trace(offset=-1)", x=randn(3, 3))
case("numpy.linalg.trace", "np.linalg.trace(x)", x=randn(2, 3, 3))
case("numpy.diag", "np.diag(x)", x=randn(3))
case("numpy.diag", "np.diag(x, k=-1)", x=randn(3))
case("numpy.diag", "np.diag(x)", x=randn(3, 4))
case("numpy.diag", "np.diag(x, 1)", x=randn(4, 3))
case("numpy.diagonal", "np.diagonal(x)", x=randn(3, 4))
case("numpy.diagonal", "np.diagonal(x, 1, 2, 0)", x=randn(3, 2, 4))
case("method.diagonal", "x.diagonal(offset=-1)", x=randn(4, 3))
case("numpy.linalg.diagonal", "np.linalg.diagonal(x, offset=1)", x=randn(2, 3, 3))
case("numpy.tril", "np.tril(x)", x=randn(3, 4))
case("numpy.tril", "np.tril(x, -1)", x=randn(2, 3, 3))
case("numpy.triu", "np.triu(x, k=1)", x=randn(4, 3))
case("numpy.triu", "np.triu(x)", x=randn(4))  # a 1-D x: the (4, 4) matrix of rows x (fuzz22)
case("numpy.tril", "np.tril(x, -1)", x=randn(3))
case("numpy.linalg.solve", "np.linalg.solve(a, b)", a=spd(3), b=randn(3))
case("numpy.linalg.solve", "np.linalg.solve(a, b)", a=spd(3), b=randn(3, 2))
case("numpy.linalg.solve", "np.linalg.solve(a, b)", a=spd(3, (2,)), b=randn(2, 3, 2))
case("numpy.linalg.inv", "np.linalg.inv(a)", a=spd(3) + randn(3, 3))
case("numpy.linalg.inv", "np.linalg.inv(a)", a=spd(3, (2,)))
case("numpy.linalg.det", "np.linalg.det(a)", a=randn(3, 3) + 3 * np.eye(3))
case("numpy.linalg.det", "np.linalg.det(a)", a=spd(2, (3,)))
_sing = np.array([[1.0, 2.0, 0.5], [2.0, 4.0, 1.0], [0.3, -1.0, 2.0]])  # rank 2
_cof = np.array([[9.0, -3.7, -3.2], [-4.5, 1.85, 1.6], [0.0, 0.0, 0.0]])  # its cofactor matrix
case("numpy.linalg.det", "np.linalg.det(a)", a=_sing)  # det is smooth: FD works at singular a
case("numpy.linalg.det", "np.linalg.det(a)", _jac={"a": _cof.reshape(1, 9)}, a=_sing)
case("numpy.linalg.det", "np.linalg.det(a)", a=np.stack([_sing, spd(3)]))
case("numpy.linalg.det", "np.linalg.det(a)", _jac={"a": np.zeros((1, 4))}, a=np.zeros((2, 2)))
case("numpy.linalg.slogdet", "np.linalg.slogdet(a)", a=randn(3, 3) - 3 * np.eye(3))
case("numpy.linalg.slogdet", "np.linalg.slogdet(a)", a=spd(2, (3,)))
for expr in ["np.linalg.norm(x)", "np.linalg.norm(x, 1)", "np.linalg.norm(x, np.inf)",
             "np.linalg.norm(x, -np.inf)", "np.linalg.norm(x, 3)",
             "np.linalg.norm(x, ord=2)"]:  # fmt: skip
    case("numpy.linalg.norm", expr, x=randn(5))
for expr in ["np.linalg.norm(x)", "np.linalg.norm(x, 'fro')", "np.linalg.norm(x, axis=1)",
             "np.linalg.norm(x, axis=0, keepdims=True)", "np.linalg.norm(x, 'nuc')",
             "np.linalg.norm(x, 2)", "np.linalg.norm(x, 1, axis=-1)"]:  # fmt: skip
    case("numpy.linalg.norm", expr, x=randn(3, 4))
case("numpy.linalg.norm", "np.linalg.norm(x, axis=(1, 2))", x=randn(2, 3, 4))
case("numpy.linalg.norm", "np.linalg.norm(x, ord=-2, axis=(0, 2))", x=randn(3, 2, 4))
case("numpy.linalg.cholesky", "np.linalg.cholesky(a)", a=spd(3))
case("numpy.linalg.cholesky", "np.linalg.cholesky(a, upper=True)", a=spd(3))
case("numpy.linalg.cholesky", "np.linalg.cholesky(a)", a=spd(2, (2,)))
case("srcad.runtime.divmod_operand", "_srcad.divmod_operand(a, b)", ("a",), a=randn(3), b=pos(3))
case("srcad.runtime.check_aux", "_srcad.check_aux((a, b))", ("a", "b"), a=randn(2), b=randn())
case("builtins.list", "list(x)", x=randn(3))
case("builtins.tuple", "tuple([a, b])", ("a", "b"), a=randn(2), b=randn())
case("srcad.runtime.seq_repeat", "_srcad.seq_repeat([a, b], 2)", ("a", "b"), a=randn(2), b=randn())
case("sorted", "sorted([a, b, c])", ("a", "b", "c"), a=randn(), b=randn(), c=randn())
case("sorted", "sorted(x, reverse=True)", x=randn(4))
_ab = dict(a=randn(3), b=randn(2))
case("srcad.runtime.dict_values", "_srcad.dict_values({'a': a, 'b': b})", ("a", "b"), **_ab)
case("srcad.runtime.dict_items", "_srcad.dict_items({'a': a, 'b': b})", ("a", "b"), **_ab)
_get = dict(x={"a": _ab["a"], "c": _ab["b"]}, b=_ab["b"])
# (the derivative through the dict `x`: tests/lower/test_dict_get.py, the cases take no dicts)
case("method.get", "x.get('a', b)", ("b",), **_get)  # the default gets no derivative
case("method.get", "x.get('z', b)", ("b",), **_get)
case("srcad.runtime.concat", "_srcad.concat(a, b)", ("a", "b"), a=randn(3), b=randn(3))
case("srcad.runtime.concat", "_srcad.concat([a, b], [b])", ("a", "b"), a=randn(2), b=randn(2))
case("srcad.runtime.mul", "_srcad.mul(x, y)", x=randn(2, 3), y=randn(3))
case("srcad.runtime.mul", "_srcad.mul([a, b], 2)", ("a", "b"), a=randn(2), b=randn())
case("srcad.runtime.mul", "_srcad.mul(3, (a, b))", ("a", "b"), a=randn(), b=randn(2))
case("builtins.dict", "dict({'a': a, 'b': b})", ("a", "b"), **_ab)
case("builtins.dict", "dict([('a', a), ('b', b), ('a', c)])", ("a", "b", "c"), c=randn(3), **_ab)
case("builtins.dict", "dict((('a', a), ('b', b)))", ("a", "b"), **_ab)

# -- runtime helpers (generated code calls them; differentiating it again needs their rules) --
case(
    "srcad.runtime.add_at",
    "_srcad.add_at(a, 1, t, x)",
    ("a", "t"),
    a=randn(4),
    t=randn(),
    x=randn(4),
    _fd=False,
)  # in place
case(
    "srcad.runtime.add_into",
    "_srcad.add_into(a, t)",
    ("a", "t"),
    a=randn(2, 3),
    t=randn(2, 3),
    _fd=False,
)  # in place
case("srcad.runtime.add_into", "_srcad.add_into(a, t)", ("a", "t"), a=randn(3), t=randn())
case(
    "srcad.runtime.add_matmul_into",
    "_srcad.add_matmul_into(a, b, c)",
    ("a", "b", "c"),
    a=randn(2, 4),
    b=randn(2, 3),
    c=randn(3, 4),
    _fd=False,
)  # in place
case(
    "srcad.runtime.add_matmul_into",
    "_srcad.add_matmul_into(a, b, c)",
    ("a", "b", "c"),
    a=randn(4),
    b=randn(3),
    c=randn(3, 4),
    _fd=False,
)  # the fallback: add_into(acc, b @ c) of a vector
zero("srcad.runtime.matmul_like", "_srcad.matmul_like(a, b)", a=randn(2, 3), b=randn(3, 4))
zero("srcad.runtime.matmul_like", "_srcad.matmul_like(a, b)", a=randn(3), b=randn(3, 4))
case(
    "srcad.runtime.elem",
    "_srcad.elem((a, b), 1, c)",
    ("a", "b"),
    a=randn(2),
    b=randn(3),
    c=randn(3),
)
case("srcad.runtime.as_sequence", "_srcad.as_sequence(x)", ("x",), x=randn(3, 2))
case("srcad.runtime.plain_list", "_srcad.plain_list([a, b])", ("a", "b"), a=randn(), b=randn())
case("srcad.runtime.rest_of", "_srcad.rest_of(x)", ("x",), x=randn(3, 2))
case("srcad.runtime.plain_items", "_srcad.plain_items([a, b], 'np.sum')", ("a", "b"), a=randn(),
     b=randn(3))  # fmt: skip
case("srcad.runtime.star_items", "_srcad.star_items([a, b], 2, 'f', False)", ("a", "b"),
     a=randn(), b=randn(3))  # fmt: skip
case("srcad.runtime.star_items", "_srcad.star_items(x, 1, 'f', True)", ("x",), x=randn(3, 2))
_abc = dict(a=randn(3), b=randn(2), c=randn(3))
case(
    "srcad.runtime.dict_entry",
    "_srcad.dict_entry({'a': a, 'b': b}, 'a', ('b',), c)",
    ("a", "b"),
    **_abc,
)
case(
    "srcad.runtime.dict_entry",
    "_srcad.dict_entry({'a': a, 'b': b}, 'a', ('a',), c)",
    ("a", "b"),
    **_abc,
)
case("srcad.runtime.plain_receiver", "_srcad.plain_receiver(x, 'sum', 1)", x=randn(3))
case(
    "srcad.runtime.copy_source", "_srcad.copy_source(x, 0, v, 1)", ("v",), x=randn(3, 3), v=randn(3)
)
case("srcad.runtime.unbroadcast", "_srcad.unbroadcast(t, x)", ("t",), t=randn(3, 4), x=randn(4))
case("srcad.runtime.unbroadcast", "_srcad.unbroadcast(t, x)", ("t",), t=randn(3, 4), x=randn())
case(
    "srcad.runtime.broadcast_like", "_srcad.broadcast_like(t, x)", ("t",), t=randn(4), x=randn(3, 4)
)
case("srcad.runtime.sum_vjp", "_srcad.sum_vjp(t, x, 1, False)", ("t",), t=randn(3), x=randn(3, 4))
case("srcad.runtime.mean_vjp", "_srcad.mean_vjp(t, x, (0, 2), True)", ("t",),
     t=randn(1, 3, 1), x=randn(2, 3, 4))  # fmt: skip
case("srcad.runtime.expand_reduced", "_srcad.expand_reduced(t, x)", ("t",), t=randn(), x=randn(3))
case("srcad.runtime.getitem_vjp", "_srcad.getitem_vjp(t, x, idx)", ("t",),
     t=randn(3), x=randn(5), idx=np.array([0, 2, 2]))  # fmt: skip
case(
    "srcad.runtime.setitem_vjp_x",
    "_srcad.setitem_vjp_x(t, idx)",
    t=randn(4, 3),
    idx=np.array([0, 2]),
)
case(
    "srcad.runtime.setitem_vjp_v",
    "_srcad.setitem_vjp_v(t, 1, v)",
    ("t",),
    t=randn(4, 3),
    v=randn(3),
)
case(
    "srcad.runtime.setitem",
    "_srcad.setitem(x, idx, v)",
    x=randn(4, 3),
    idx=np.array([0, 2]),
    v=randn(3),
)
case("srcad.runtime.add", "_srcad.add(x, y)", x=randn(3), y=randn(3))
case("srcad.runtime.add", "_srcad.add((x, y), (z, 1.0))", x=randn(3), y=randn(), z=randn(3))
case("srcad.runtime.pow_dx", "_srcad.pow_dx(x, y)", x=pos(3), y=randn(3))
case("srcad.runtime.pow_dx", "_srcad.pow_dx(x, 3)", x=randn(3))
case("srcad.runtime.pow_dy", "_srcad.pow_dy(x, a)", x=pos(3), a=randn(3))

# -- NaN-skipping reductions, arange, heaviside, integer dtypes, sorted(key=) ----------------------
for name in ("nanmean", "nanvar", "nanstd", "nanmax", "nanmin", "nansum"):
    case(f"numpy.{name}", f"np.{name}(x)", x=randn(3, 4))
    case(f"numpy.{name}", f"np.{name}(x, axis=1)", x=_with_nan.copy())
    case(f"numpy.{name}", f"np.{name}(x, axis=0, keepdims=True)", x=_with_nan.copy())
case("numpy.nanvar", "np.nanvar(x, axis=1, ddof=1)", x=_with_nan.copy())
case("numpy.nanstd", "np.nanstd(x, ddof=1)", x=_with_nan.copy())
case("numpy.arange", "np.arange(x, 5.0)", x=0.3)
case("numpy.arange", "np.arange(0.0, 3.0, s)", s=0.7)
case("numpy.arange", "np.arange(x, y, s)", x=0.3, y=5.0, s=0.7)
case("numpy.arange", "np.arange(y)", y=4.5)
case("numpy.arange", "np.arange(x, 5.0, dtype=int)", x=0.3)
case("numpy.heaviside", "np.heaviside(x, y)", ("y",), x=np.array([0.0, 1.5, -0.3]), y=randn(3))
case("numpy.heaviside", "np.heaviside(x, y)", ("y",), x=np.array([[0.0], [2.0]]), y=randn())
for expr in ["np.sum(x, dtype=int)", "np.cumsum(x, dtype=int)", "x.sum(axis=0, dtype=int)",
             "np.array(x, dtype=int)", "np.asarray(x, dtype=bool)", "np.nansum(x, dtype=int)",
             "np.array([x, y], dtype=np.int64)", "np.mean(x, dtype=np.float64)"]:  # fmt: skip
    case(canonical_prim(expr), expr, **({"x": randn(3), "y": randn(3)} if ", y]" in expr
                                        else {"x": randn(3)}))  # fmt: skip
case("numpy.full", "np.full(3, x, dtype=int)", x=2.3)
case("numpy.full_like", "np.full_like(np.zeros(3, int), x)", x=2.3)
case("numpy.linspace", "np.linspace(x, y, 4, dtype=int)", x=0.3, y=7.9)
case("sorted", "sorted([a, b, c], key=abs)", a=-2.5, b=1.0, c=-0.3)
case("sorted", "sorted(x, key=abs, reverse=True)", x=np.array([-2.5, 1.0, -0.3]))
case("srcad.runtime.shallow_copy", "_srcad.shallow_copy(x)", x=randn(3))
case("srcad.runtime.shallow_copy", "_srcad.shallow_copy([a, b])", ("a", "b"), **_ab)
case("srcad.runtime.shallow_copy", "_srcad.shallow_copy({'a': a, 'b': b})", ("a", "b"), **_ab)
case("srcad.runtime.c_item", "_srcad.c_item(x)", x=randn())
case("srcad.runtime.c_item", "_srcad.c_item(x)", x=randn(3))
case("srcad.runtime.c_item", "_srcad.c_item(x)", x=randn(3, 2))
case("srcad.runtime.fdiv", "_srcad.fdiv(x, y)", x=randn(), y=pos())
case("srcad.runtime.fdiv", "_srcad.fdiv(x, y)", x=randn(3), y=pos(3))
case("srcad.runtime.div0", "_srcad.div0(x, y)", x=randn(), y=pos())
case("srcad.runtime.div0", "_srcad.div0(x, y)", x=randn(3), y=pos(2, 1))
case("srcad.runtime.logaddexp_weight", "_srcad.logaddexp_weight(x, a)", x=randn(3), a=randn(3))
case("srcad.runtime.logaddexp_weight", "_srcad.logaddexp_weight(x, a, True)", x=randn(), a=randn(3))
case("srcad.runtime.int_zero", "_srcad.int_zero(t, float)", ("t",), t=randn(3))
case("srcad.runtime.int_zero", "_srcad.int_zero(t, int)", ("t",), t=randn(3))
for name in ("var", "std", "nanvar", "nanstd"):  # a float ddof that depends on the inputs
    case(f"numpy.{name}", f"np.{name}(x, ddof=d)", x=randn(3, 4), d=0.5)
    data = _with_nan.copy() if name.startswith("nan") else randn(3, 4)
    case(f"numpy.{name}", f"np.{name}(x, axis=1, ddof=d, keepdims=True)", x=data, d=1.5)
case("method.var", "x.var(axis=0, ddof=d)", x=randn(3, 4), d=0.25)
case("method.std", "x.std(ddof=d)", x=randn(3, 4), d=0.25)
case("numpy.linalg.norm", "np.linalg.norm(x, p)", x=randn(5), p=3.0)
case("numpy.linalg.norm", "np.linalg.norm(x, p, axis=1)", x=randn(3, 4), p=1.5)
case("numpy.linalg.norm", "np.linalg.norm(x, p, axis=0, keepdims=True)", x=randn(3, 4), p=2.5)
case("numpy.linalg.norm", "np.linalg.norm(x, 1)", x=randn(3, 4))
case("numpy.linalg.norm", "np.linalg.norm(x, -1)", x=randn(3, 4))
case("numpy.linalg.norm", "np.linalg.norm(x, np.inf)", x=randn(3, 4))
case("numpy.linalg.norm", "np.linalg.norm(x, -np.inf, axis=(0, 2))", x=randn(3, 2, 4))

# -- nondifferentiable points where srcad promises the minimum-norm subgradient (`_jac`) ----------
_Z = np.zeros
case("numpy.std", "np.std(x)", _jac={"x": _Z((1, 4))}, x=np.full(4, 1.3))
case("numpy.std", "np.std(x, ddof=1)", _jac={"x": _Z((1, 3))}, x=np.full(3, 0.75))
# constant up to rounding (np.std gives ~1e-16): still the subgradient 0, not noise / noise
case("numpy.std", "np.std(x)", _jac={"x": _Z((1, 3))}, x=np.full(3, 0.7))
case("numpy.std", "np.std(x, ddof=1)", _jac={"x": _Z((1, 3))}, x=np.full(3, 0.7))
case("numpy.nanstd", "np.nanstd(x)", _jac={"x": _Z((1, 4))}, x=np.array([0.7, 0.7, np.nan, 0.7]))
case("numpy.std", "np.std(x, axis=0)", _jac={"x": _Z((3, 3))}, x=randn(1, 3))
case("numpy.std", "np.std(x)", _jac={"x": _Z((1, 1))}, x=0.8)
case("method.std", "x.std(axis=1, keepdims=True)", _jac={"x": _Z((2, 6))}, x=np.ones((2, 3)))
case("numpy.nanstd", "np.nanstd(x)", _jac={"x": _Z((1, 3))}, x=np.array([1.0, np.nan, 1.0]))
case("numpy.hypot", "np.hypot(x, y)", _jac={"x": _Z((3, 3)), "y": _Z((3, 3))}, x=_Z(3), y=_Z(3))
case("math.hypot", "math.hypot(x, y)", _jac={"x": _Z((1, 1)), "y": _Z((1, 1))}, x=0.0, y=0.0)
for expr in ["np.linalg.norm(x)", "np.linalg.norm(x, 3)", "np.linalg.norm(x, 1.5)",
             "np.linalg.norm(x, np.inf)", "np.linalg.norm(x, 1)"]:  # fmt: skip
    case("numpy.linalg.norm", expr, _jac={"x": _Z((1, 4))}, x=_Z(4))
for expr in ["np.linalg.norm(x, 'nuc')", "np.linalg.norm(x, 2)", "np.linalg.norm(x, 'fro')",
             "np.linalg.norm(x, -2)"]:  # fmt: skip
    case("numpy.linalg.norm", expr, _jac={"x": _Z((1, 6))}, x=_Z((2, 3)))
case("numpy.linalg.norm", "np.linalg.norm(x, 3, axis=1)", _jac={"x": _Z((2, 6))}, x=_Z((2, 3)))

# -- zero-derivative primitives: the function must be locally constant or integer-valued ------
for expr, prim in [("x > y", "gt"), ("x == y", "eq"), ("x <= y", "le"), ("x // y", "floordiv"),
                   ("not x", "not"), ("x is y", "is")]:  # fmt: skip
    zero(prim, expr, x=randn(), y=randn())
for name in ["sign", "floor", "ceil", "rint", "trunc", "fix", "round", "around", "isnan",
             "isfinite", "argmax", "argmin", "argsort", "any", "all", "count_nonzero", "shape",
             "ndim", "size", "zeros_like", "ones_like", "signbit", "flatnonzero", "nanargmax",
             "nanargmin", "iscomplexobj", "isrealobj"]:  # fmt: skip
    zero(f"numpy.{name}", f"np.{name}(x)", x=randn(3, 4))
zero("numpy.floor_divide", "np.floor_divide(x, y)", x=randn(3), y=pos(3))
zero("numpy.lexsort", "np.lexsort((x,))", x=randn(3))
zero("numpy.int64", "np.int64(x)", x=2.7)
zero("numpy.bool_", "np.bool_(x)", x=2.7)
zero("numpy.uint8", "np.uint8(x)", x=np.array([2.7, 3.1]))
zero("numpy.greater", "np.greater(x, y)", x=randn(3), y=randn(3))
zero("numpy.isclose", "np.isclose(x, y)", x=randn(3), y=randn(3))
for name in ["floor", "ceil", "trunc", "isnan", "isfinite"]:
    zero(f"math.{name}", f"math.{name}(x)", x=randn())
for expr, prim in [("int(x)", "int"), ("round(x)", "round"), ("len(x)", "len"),
                   ("bool(x)", "bool")]:  # fmt: skip
    zero(prim, expr, x=randn(3) if prim == "len" else randn())
for name in ["argmax", "argsort", "all", "nonzero"]:
    zero(f"method.{name}", f"x.{name}()", x=randn(3, 4))
zero("attr.shape", "x.shape", x=randn(3, 4))
zero("attr.size", "x.size", x=randn(3, 4))
zero("attr.strides", "x.strides", x=randn(3, 4))

# -- the runtime helpers' rules added for differentiating derivative code again: a module of its
# own (it reads the names above, so it is imported last)
# -- families added later, one case module each (each reads the names above)
from tests.rules import (  # noqa: E402, F401
    rules_cases_api2,
    rules_cases_api11,
    rules_cases_api13,
    rules_cases_fft,
    rules_cases_idiom48,
    rules_cases_inplace,
    rules_cases_linalg,
    rules_cases_marks,
    rules_cases_more,
    rules_cases_more2,
    rules_cases_more3,
    rules_cases_numpy,
    rules_cases_reduceat,
    rules_cases_runtime,
    rules_cases_scipy,
    rules_cases_scipy_linalg,
    rules_cases_stats,
)
