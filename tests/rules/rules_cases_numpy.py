"""Rule cases of NumPy functions beyond the first release's (median, interp, kron, ...).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import warnings

import numpy as np

from tests.rules.rules_cases import case, pos, randn, rng, zero

nan, inf = float("nan"), float("inf")
# -- order statistics (q is never differentiated: an active q is refused) ----------------------
case("numpy.median", "np.median(a)", a=randn(7))
case("numpy.median", "np.median(a)", a=randn(6))
case("numpy.median", "np.median(a, axis=0)", a=randn(4, 3))
case("numpy.median", "np.median(a, axis=1, keepdims=True)", a=randn(3, 4))
case("numpy.nanmedian", "np.nanmedian(a, axis=1)",
     a=np.array([[0.3, nan, -1.2, 2.0], [1.1, 0.4, -0.7, nan]]))  # fmt: skip
case("numpy.percentile", "np.percentile(a, 30.0)", a=randn(6))
case("numpy.percentile", "np.percentile(a, [10.0, 50.0, 95.0], axis=0)", a=randn(5, 2))
case("numpy.quantile", "np.quantile(a, q, axis=(0, 2))", _wrt=("a",), a=randn(3, 2, 4),
     q=np.array([0.2, 0.7]))  # fmt: skip
case("numpy.quantile", "np.quantile(a, q, axis=1, keepdims=True)", _wrt=("a",), a=randn(2, 5),
     q=np.array([[0.1], [0.9]]))  # fmt: skip
for m in ["lower", "higher", "nearest", "midpoint", "inverted_cdf", "weibull", "hazen",
          "median_unbiased", "averaged_inverted_cdf", "closest_observation"]:  # fmt: skip
    case("numpy.quantile", f"np.quantile(a, 0.37, method={m!r})", a=randn(6))
case("numpy.nanquantile", "np.nanquantile(a, 0.3, axis=0, keepdims=True)",
     a=np.array([[0.3, nan, -1.2], [1.1, 0.4, nan], [2.1, -0.4, 0.8]]))  # fmt: skip
case("numpy.nanpercentile", "np.nanpercentile(a, 60.0)", a=np.array([0.3, nan, -1.2, 2.0, 0.9]))
case("srcad.runtime.quantile_jvp", "_srcad.quantile_jvp(t, a, 0.3, 0, False, 'linear', False)",
     ("t", "a"), t=randn(4, 3), a=randn(4, 3))  # fmt: skip
case("srcad.runtime.quantile_vjp", "_srcad.quantile_vjp(t, a, 0.3, 0, False, 'linear', False)",
     ("t", "a"), t=randn(3), a=randn(4, 3))  # fmt: skip
case("srcad.runtime.quantile_vjp", "_srcad.quantile_vjp(t, a, [0.2, 0.5], None, True, 'hazen', 1)",
     ("t", "a"), t=randn(2, 1, 1), a=randn(2, 3))  # fmt: skip
zero("srcad.runtime.no_weights", "_srcad.no_weights('linear', None)")
zero("numpy.argpartition", "np.argpartition(x, 2)", x=randn(5))

# -- interp (in x, xp, fp, left, right; period never differentiated) -----------------------------
XP = np.array([-2.0, -0.5, 0.4, 1.5, 3.0])
XS = np.array([-2.5, -1.0, 0.1, 0.9, 2.2, 3.5])
case("numpy.interp", "np.interp(x, xp, fp)", ("x", "xp", "fp"), x=XS, xp=XP, fp=randn(5))
case("numpy.interp", "np.interp(x, xp, fp)", ("x", "xp", "fp"), x=0.7, xp=XP, fp=randn(5))
case("numpy.interp", "np.interp(x, xp, fp, left=-3.0, right=4.0)", ("x", "xp", "fp"),
     x=XS, xp=XP, fp=randn(5))  # fmt: skip
case("numpy.interp", "np.interp(x, xp, fp, left=a, right=b)", ("x", "xp", "fp", "a", "b"),
     x=XS, xp=XP, fp=randn(5), a=randn(), b=randn())  # fmt: skip
case("numpy.interp", "np.interp(x, xp, fp, left=a)", ("x", "a"), x=-2.5, xp=XP, fp=randn(5),
     a=randn())  # fmt: skip
case("numpy.interp", "np.interp(x, xp, fp, period=2.5)", ("x", "xp", "fp"),
     x=np.array([-1.3, 0.2, 1.0, 2.9, 4.1]), xp=np.array([1.1, 0.3, 2.0, 0.8]), fp=randn(4))  # fmt: skip
case("srcad.runtime.interp_slope", "_srcad.interp_slope(x, xp, fp, None)", ("x", "xp", "fp"),
     x=XS, xp=XP, fp=randn(5))  # fmt: skip
case("srcad.runtime.interp_slope_vjp", "_srcad.interp_slope_vjp(t, x, xp, fp, None)",
     ("t", "x", "xp", "fp"), t=randn(6), x=XS, xp=XP, fp=randn(5))  # fmt: skip
case("srcad.runtime.interp_fp_vjp", "_srcad.interp_fp_vjp(t, x, xp, fp, 0.0, None, None)",
     ("t", "x", "xp", "fp"), t=randn(6), x=XS, xp=XP, fp=randn(5))  # fmt: skip
case("srcad.runtime.interp_fp_vjp", "_srcad.interp_fp_vjp(t, x, xp, fp, None, None, 2.5)",
     ("t", "x", "xp"), t=randn(5), x=np.array([-1.3, 0.2, 1.0, 2.9, 4.1]),
     xp=np.array([1.1, 0.3, 2.0, 0.8]), fp=randn(4))  # fmt: skip
case("srcad.runtime.interp_slope", "_srcad.interp_slope(x, xp, fp, 2.5)", ("xp", "fp"),
     x=np.array([-1.3, 0.2, 1.0, 2.9, 4.1]), xp=np.array([1.1, 0.3, 2.0, 0.8]), fp=randn(4))  # fmt: skip

# -- kron, convolve, cross --------------------------------------------------------------------
case("numpy.kron", "np.kron(a, b)", a=randn(2, 3), b=randn(3, 2))
case("numpy.kron", "np.kron(a, b)", a=randn(3), b=randn(2, 2))
case("numpy.kron", "np.kron(a, b)", a=randn(), b=randn(3))
case("srcad.runtime.kron_vjp", "_srcad.kron_vjp(t, a, b, 0)", t=randn(6, 6), a=randn(2, 3),
     b=randn(3, 2))  # fmt: skip
case("srcad.runtime.kron_vjp", "_srcad.kron_vjp(t, a, b, 1)", t=randn(3, 6), a=randn(3),
     b=randn(3, 2))  # fmt: skip
case("numpy.convolve", "np.convolve(a, v)", a=randn(5), v=randn(3))
case("numpy.convolve", "np.convolve(a, v, 'same')", a=randn(3), v=randn(6))
case("numpy.convolve", "np.convolve(a, v, mode='same')", a=randn(6), v=randn(4))
case("numpy.convolve", "np.convolve(a, v, 'valid')", a=randn(6), v=randn(3))
case("srcad.runtime.convolve_vjp", "_srcad.convolve_vjp(t, a, b, 'same', 0)", t=randn(6),
     a=randn(6), b=randn(4))  # fmt: skip
case("srcad.runtime.convolve_vjp", "_srcad.convolve_vjp(t, a, b, 'valid', 1)", t=randn(4),
     a=randn(6), b=randn(3))  # fmt: skip


def _cross_of_2d_vectors() -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # (deprecated in NumPy 2.0)
        try:
            np.cross(np.ones(2), np.ones(2))
        except ValueError:  # NumPy 2.5 removed them
            return False
    return True


# the arguments are drawn either way: the cases after these see the same random numbers
case2 = case if _cross_of_2d_vectors() else lambda *a, **k: None
case("numpy.cross", "np.cross(a, b, axisa=0, axisb=1, axisc=0)", a=randn(3, 4), b=randn(4, 3))
case2("numpy.cross", "np.cross(a, b, axis=0)", a=randn(3, 2), b=randn(3, 2))
case2("numpy.cross", "np.cross(a, b)", a=randn(4, 2), b=randn(2))
case2("numpy.cross", "np.cross(a, b, axisc=0)", a=randn(2), b=randn(4, 3))
case("srcad.runtime.cross_vjp", "_srcad.cross_vjp(t, a, b, 0, 1, 0, None, 0)", t=randn(3, 4),
     a=randn(3, 4), b=randn(4, 3))  # fmt: skip
case2("srcad.runtime.cross_vjp", "_srcad.cross_vjp(t, a, b, -1, -1, -1, None, 1)", t=randn(4),
     a=randn(4, 2), b=randn(2))  # fmt: skip

# -- polyval, trapezoid, gradient ------------------------------------------------------------
case("numpy.polyval", "np.polyval(p, x)", p=randn(4), x=randn(5))
case("numpy.polyval", "np.polyval(p, x)", p=randn(3), x=randn())
case("numpy.polyval", "np.polyval([a, 2.0, b], x)", a=randn(), b=randn(), x=randn(2, 2))
case("srcad.runtime.polyval_dx", "_srcad.polyval_dx(p, x, 2)", p=randn(5), x=randn(3))
case("srcad.runtime.polyval_pvjp", "_srcad.polyval_pvjp(t, p, x, 1)", t=randn(3), p=randn(4),
     x=randn(3))  # fmt: skip
for _kind, _val in [("polynomial", "polyval"), ("chebyshev", "chebval"), ("legendre", "legval"),
                    ("hermite", "hermval"), ("hermite_e", "hermeval"), ("laguerre", "lagval")]:  # fmt: skip
    _p = f"numpy.polynomial.{_kind}.{_val}"
    case(_p, f"np.polynomial.{_kind}.{_val}(x, c)", x=randn(5), c=randn(4))
    case(_p, f"np.polynomial.{_kind}.{_val}(x, c)", x=randn(), c=randn(3))
    case(_p, f"np.polynomial.{_kind}.{_val}(x, [a, 2.0, b])", x=randn(2, 2), a=randn(), b=randn())
    case(_p, f"np.polynomial.{_kind}.{_val}(x, c, tensor=False)", x=randn(3), c=randn(5))
case("srcad.runtime.series_dx", "_srcad.series_dx('chebyshev', x, c, 2)", x=randn(3), c=randn(5))
case("srcad.runtime.series_dx", "_srcad.series_dx('laguerre', x, c, 1)", x=randn(), c=randn(4))
case("srcad.runtime.series_cvjp", "_srcad.series_cvjp('legendre', t, x, c, 1)", t=randn(3),
     x=randn(3), c=randn(4))  # fmt: skip
case("srcad.runtime.series_cvjp", "_srcad.series_cvjp('hermite_e', t, x, c, 0)", t=randn(2, 2),
     x=randn(2, 2), c=randn(3))  # fmt: skip
# 2-D coefficients: one polynomial per column (NumPy's Horner rows broadcast against x)
case("numpy.polyval", "np.polyval(p, x)", p=randn(4, 3), x=randn(3))
case("numpy.polyval", "np.polyval(p, x)", p=randn(3, 2, 2), x=randn(5, 1, 1))
case("srcad.runtime.polyval_dx", "_srcad.polyval_dx(p, x, 1)", p=randn(4, 2), x=randn(3, 2))
case("srcad.runtime.polyval_pvjp", "_srcad.polyval_pvjp(t, p, x, 1)", t=randn(3, 2),
     p=randn(4, 2), x=randn(3, 1))  # fmt: skip
for _kind, _der, _val2 in [
    ("polynomial", "polyder", "polyval2d"),
    ("chebyshev", "chebder", "chebval2d"),
    ("legendre", "legder", "legval2d"),
    ("hermite", "hermder", "hermval2d"),
    ("hermite_e", "hermeder", "hermeval2d"),
    ("laguerre", "lagder", "lagval2d"),
]:
    _m = f"numpy.polynomial.{_kind}"
    case(f"{_m}.{_der}", f"np.polynomial.{_kind}.{_der}(c)", c=randn(5))
    case(f"{_m}.{_der}", f"np.polynomial.{_kind}.{_der}(c, 2, 0.5, axis=1)", c=randn(2, 4))
    case(f"{_m}.{_val2}", f"np.polynomial.{_kind}.{_val2}(x, y, c)", x=randn(3), y=randn(3),
         c=randn(3, 4))  # fmt: skip
case("srcad.runtime.series_der_t", "_srcad.series_der_t('legendre', t, c, 2, 1.5, 0)",
     t=randn(3, 2), c=randn(5, 2))  # fmt: skip
case("srcad.runtime.series_der_apply", "_srcad.series_der_apply('chebyshev', c, 1, 1, 0)",
     c=randn(4))  # fmt: skip
case("srcad.runtime.series2d", "_srcad.series2d('hermite_e', x, y, c, 1, 2)", x=randn(2, 2),
     y=randn(2, 2), c=randn(4, 4))  # fmt: skip
case("srcad.runtime.series2d_cvjp", "_srcad.series2d_cvjp('polynomial', t, x, y, c, 1, 0)",
     t=randn(3), x=randn(3), y=randn(3), c=randn(3, 2))  # fmt: skip
case("numpy.trapezoid", "np.trapezoid(y)", y=randn(5))
case("numpy.trapezoid", "np.trapezoid(y, dx=h)", y=randn(2, 4), h=randn())
case("numpy.trapezoid", "np.trapezoid(y, x)", y=randn(3, 5), x=np.sort(randn(5)))
case("numpy.trapezoid", "np.trapezoid(y, x, axis=0)", y=randn(4, 3), x=randn(4, 3))
# an x of two or more dimensions broadcasts against y from the right, fewer or more than y's
case("numpy.trapezoid", "np.trapezoid(y, x)", y=randn(2, 3, 4), x=randn(3, 4))
case("numpy.trapezoid", "np.trapezoid(y, x, axis=-2)", y=randn(2, 4, 3), x=randn(4, 1))
case("numpy.trapezoid", "np.trapezoid(y, x)", y=randn(3, 4), x=randn(2, 3, 4))
case("numpy.trapezoid", "np.trapezoid(y, x, axis=0)", y=randn(2, 2, 3), x=randn(2, 3))
case("numpy.trapezoid", "np.trapezoid(y, dx=h)", y=randn(3, 4), h=pos(3, 1))  # an array spacing
if hasattr(np, "trapz"):  # NumPy < 2.4: the deprecated name of trapezoid has the same rules
    case("numpy.trapz", "np.trapz(y, x)", y=randn(3, 5), x=np.sort(randn(5)))
case("srcad.runtime.trapz_yvjp", "_srcad.trapz_yvjp(t, y, x, 1.0, -1)", t=randn(3), y=randn(3, 4),
     x=randn(4))  # fmt: skip
case("srcad.runtime.trapz_yvjp", "_srcad.trapz_yvjp(t, y, None, h, 0)", t=randn(3), y=randn(4, 3),
     h=randn())  # fmt: skip
case("srcad.runtime.trapz_xvjp", "_srcad.trapz_xvjp(t, y, x, 0)", t=randn(3), y=randn(4, 3),
     x=randn(4, 3))  # fmt: skip
case("srcad.runtime.trapz_yvjp", "_srcad.trapz_yvjp(t, y, x, 1.0, -1)", t=randn(2, 3),
     y=randn(2, 3, 4), x=randn(3, 4))  # fmt: skip
case("srcad.runtime.trapz_xvjp", "_srcad.trapz_xvjp(t, y, x, -1)", t=randn(2, 3), y=randn(3, 4),
     x=randn(2, 3, 4))  # fmt: skip
case("srcad.runtime.trapz_yvjp", "_srcad.trapz_yvjp(t, y, None, h, 1)", t=randn(3), y=randn(3, 4),
     h=randn(3, 1))  # fmt: skip
case("srcad.runtime.trapz_hvjp", "_srcad.trapz_hvjp(t, y, h, -1)", t=randn(3), y=randn(3, 4),
     h=randn(3, 1))  # fmt: skip
case(
    "srcad.runtime.trapz_hvjp",
    "_srcad.trapz_hvjp(t, y, h, 0)",
    t=randn(4),
    y=randn(3, 4),
    h=randn(),
)
case("numpy.gradient", "np.gradient(f)", f=randn(6))
case("numpy.gradient", "np.gradient(f, 0.5, edge_order=2)", f=randn(6))
case("numpy.gradient", "np.gradient(f, axis=1)", f=randn(3, 5))
case("numpy.gradient", "np.gradient(f, xs, axis=0, edge_order=2)", ("f",), f=randn(4, 2),
     xs=np.array([0.0, 0.3, 1.1, 1.5]))  # fmt: skip
case("srcad.runtime.gradient_apply", "_srcad.gradient_apply(t, f, (0.5,), 0, 2, True)",
     t=randn(5, 2), f=randn(5, 2))  # fmt: skip

# -- selections and shapes -------------------------------------------------------------------
SX = np.array([0.9, -0.8, 0.1, 1.4, -1.6, 0.0])
case("numpy.select", "np.select([c, d], [x, y], z)", x=randn(6), y=randn(6), z=randn(),
     c=SX > 0.5, d=SX < -0.5)  # fmt: skip
case("numpy.select", "np.select([c], [y])", y=randn(3), c=np.array([True, False, True]))
case("srcad.runtime.select_vjp", "_srcad.select_vjp(t, [c, d], [a, b])", ("t",), t=randn(4),
     c=np.array([True, False, True, False]), d=np.array([True, True, False, False]),
     a=randn(4), b=randn())  # fmt: skip
case("numpy.append", "np.append(a, b)", a=randn(2, 3), b=randn(4))
case("numpy.append", "np.append(a, b, axis=0)", a=randn(2, 3), b=randn(1, 3))
case("numpy.append", "np.append(a, [b, 1.0])", a=randn(3), b=randn())
case("srcad.runtime.append_vjp", "_srcad.append_vjp(t, a, b, 1, 1)", ("t",), t=randn(2, 5),
     a=randn(2, 3), b=randn(2, 2))  # fmt: skip
NX = np.array([0.4, nan, -inf, 1.3, inf, -0.2])
case("numpy.nan_to_num", "np.nan_to_num(x)", x=NX)
case("numpy.nan_to_num", "np.nan_to_num(x, nan=a, posinf=b, neginf=c)", x=NX, a=randn(),
     b=randn(), c=randn())  # fmt: skip
case("numpy.nan_to_num", "np.nan_to_num(x)", x=randn())
zero("srcad.runtime.finite_mask", "_srcad.finite_mask(x)", x=NX)
zero("numpy.isposinf", "np.isposinf(x)", x=NX)
zero("numpy.isneginf", "np.isneginf(x)", x=NX)
case("numpy.partition", "np.partition(a, 2)", a=randn(6))
case("numpy.partition", "np.partition(a, (1, 3), axis=0)", a=randn(5, 3))
case("numpy.partition", "np.partition(a, 4, axis=None)", a=randn(2, 3))
case("numpy.rollaxis", "np.rollaxis(a, 2)", a=randn(2, 3, 4))
case("numpy.rollaxis", "np.rollaxis(a, 0, 3)", a=randn(2, 3, 4))
case("numpy.rollaxis", "np.rollaxis(a, -1, 1)", a=randn(2, 3, 4))
zero("srcad.runtime.rollaxis_perm", "_srcad.rollaxis_perm(3, 0, 2)")
case("numpy.vsplit", "np.vsplit(x, 2)", x=randn(4, 3))
case("numpy.hsplit", "np.hsplit(x, [1])", x=randn(2, 3))
case("numpy.hsplit", "np.hsplit(x, 2)", x=randn(4))
case("numpy.dsplit", "np.dsplit(x, 2)", x=randn(2, 1, 4))
case("numpy.real_if_close", "np.real_if_close(x)", x=randn(3))
case("numpy.imag", "np.imag(x)", x=randn(3))
case("numpy.imag", "np.imag(x)", x=randn())
case("numpy.angle", "np.angle(x)", x=randn(3))
case("srcad.runtime.real_only", "_srcad.real_only(t, x, 'np.real_if_close')", ("t",), t=randn(3),
     x=randn(3))  # fmt: skip
zero("srcad.runtime.real_zero", "_srcad.real_zero(x, 'np.imag')", x=randn(3))

# -- reductions with where= and initial= -----------------------------------------------------
MASK = np.array([[True, False, True, True], [False, True, True, False], [True, True, False, True]])
case("numpy.sum", "np.sum(a, axis=0, where=m, initial=b)", a=randn(3, 4), m=MASK, b=randn())
case("numpy.sum", "np.sum(a, initial=b)", a=randn(3), b=randn())
case("method.sum", "x.sum(axis=1, where=m)", x=randn(3, 4), m=MASK)
case("numpy.mean", "np.mean(a, axis=1, where=m)", a=randn(3, 4), m=MASK)
case("method.mean", "x.mean(where=m)", x=randn(3, 4), m=MASK)
case("numpy.prod", "np.prod(a, axis=0, where=m, initial=b)", a=randn(3, 4), m=MASK, b=randn())
case("method.prod", "x.prod(initial=b)", x=randn(4), b=randn())
case("numpy.max", "np.max(a, axis=1, where=m, initial=b)", a=randn(3, 4), m=MASK, b=-3.5)
case("numpy.max", "np.max(a, initial=b)", a=randn(4) - 5.0, b=randn())
case("numpy.amin", "np.amin(a, axis=0, where=m, initial=b)", a=randn(3, 4), m=MASK, b=3.5)
case("method.min", "x.min(initial=b)", x=randn(4), b=randn() - 5.0)
case("numpy.nanmax", "np.nanmax(a, initial=b)", a=np.array([0.3, nan, -1.2]), b=randn())
# Ties with `initial` share equally: the last row ties initial=2 with two selected elements.
AMAX_JAC = np.zeros((3, 12))
AMAX_JAC[2, [9, 11]] = 1 / 3
case("numpy.amax", "np.amax(a, axis=1, where=m, initial=b)",
     _jac={"a": AMAX_JAC, "b": np.array([[1.0], [1.0], [1 / 3]])},
     a=np.array([[0.0, 9.0, 1.0, 0.0], [9.0, 0.0, 0.0, 9.0], [-1.0, 2.0, 9.0, 2.0]]),
     m=MASK, b=2.0)  # fmt: skip
case("srcad.runtime.sum_vjp", "_srcad.sum_vjp(t, a, 1, False, m)", ("t",), t=randn(3), a=randn(3, 4),
     m=MASK)  # fmt: skip
case("srcad.runtime.mean_vjp", "_srcad.mean_vjp(t, a, 0, True, m)", ("t",), t=randn(1, 4),
     a=randn(3, 4), m=MASK)  # fmt: skip
zero("srcad.runtime.ext_init_weight", "_srcad.ext_init_weight(a, 1.0, None, False, 1.0)",
     a=randn(3))  # fmt: skip
del rng
