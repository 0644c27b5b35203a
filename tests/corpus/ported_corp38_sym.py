"""Ported cases (session 38, corp38_sym): code as `sympy.lambdify` and `sympy.printing.pycode`
print it, pasted by a user: bare NumPy names bound at module level (`exp`, `sqrt`, `select`,
`less`, `equal`, `nan`, `arctan2`, `arccosh`, `sinc(y/pi)`, `mod`, `sign`, `reduce(maximum, [..])`),
Piecewise as `select([less(x, 0), ..., True], [...], default=nan)` or as chained conditional
expressions, Heaviside as a three-way select with `equal(x, 0)`, rational powers printed as
`x**(3/2)` and `(...)**(-3/2)`, common subexpressions as `x0 = ...` temporaries, a rotation matrix
printed as `array([[...], [...]])` of scalars, `math.`-prefixed pycode, a symbolic gradient and
Hessian pasted as a function of their own (checked against the derivative of the expression),
Max/Min through `copysign`, `x % 1`, and `floor`, and a lambdified function called on arrays.

The `modules="scipy"` printer's names too: `erf`, `erfi`, `gamma`, `loggamma`, `polygamma`,
`jv` (besselj), and `sici(x)[0]` / `fresnel(x)[1]` for Si and FresnelC (rules since fix39b).

Float parameters -> float scalars; arrays -> arrays."""

from __future__ import annotations

import math
from functools import reduce

import numpy
from numpy import (
    arccosh,
    arctan2,
    array,
    cos,
    equal,
    exp,
    floor,
    less,
    log,
    maximum,
    minimum,
    mod,
    nan,
    pi,
    select,
    sign,
    sin,
    sinc,
    sqrt,
)
from scipy.special import erf, erfi, fresnel, gamma, jv, loggamma, polygamma, sici

from . import Case

R = numpy.random.default_rng(38002)


def lam_piecewise(x, y):
    return select([less(x, 0), less(x, 1), True], [-x * y, x**2 * y, 2 * x - 1], default=nan)


def lam_piecewise_math(x, y):
    return ((-x * y) if (x < 0) else (x**2 * y) if (x < 1) else (2 * x - 1)) + y


def lam_gauss_pow(x, y):
    return (1 / 2) * sqrt(2) * exp(-1 / 2 * y**2) / (sqrt(pi) * x ** (3 / 2))


def lam_maxmin(x, y):
    return abs(x - y) + sign(y) * x + reduce(maximum, [x, y]) + reduce(minimum, [x, y**2])


def lam_maxmin_math(x, y):
    return abs(x - y) + (0.0 if y == 0 else math.copysign(1, y)) * x + max(x, y) + min(x * y, y**2)


def lam_heaviside(x, y):
    return (
        y * (select([less(x, 0), equal(x, 0), True], [0, 1 / 2, 1], default=nan))
        + log(exp(x) + 1)
        + arctan2(y, x)
    )


def lam_heaviside_math(x, y):
    return (
        y * ((0) if (x < 0) else (1 / 2) if (x == 0) else (1))
        + math.log(math.exp(x) + 1)
        + math.atan2(y, x)
    )


def lam_mod_floor(x, y):
    return mod(x, 1) * y + arccosh(x**2 + 1) + floor(y) + sinc(y / pi)


def lam_mod_math(x, y):
    return (
        x % 1 * y + math.acosh(x**2 + 1) + math.floor(y) + ((math.sin(y) / y) if (y != 0) else (1))
    )


def lam_cse(x, y):
    x0 = x**2 + y**2 + 1
    return sqrt(x0) * (x + y) ** 3 + x0 ** (-3 / 2)


def lam_rotation(x, y, z):
    return array([[y * cos(x) - z * sin(x)], [y * sin(x) + z * cos(x)]])


def _expr(x, y):
    return exp(-x * y) * sin(x + y**2) / (x**2 + 1)


def _expr_dx(x, y):
    return (
        -2 * x * exp(-x * y) * sin(x + y**2) / (x**2 + 1) ** 2
        - y * exp(-x * y) * sin(x + y**2) / (x**2 + 1)
        + exp(-x * y) * cos(x + y**2) / (x**2 + 1)
    )


def lam_symbolic_grad(x, y):
    # a pasted symbolic derivative, composed with the expression: both terms differentiated
    return _expr_dx(x, y) * y + _expr(x, y) ** 2


def pendulum_rhs(th1, th2, w1, w2):
    # sympy.physics-style double pendulum right-hand side after cse (m = l = 1, g = 9.81)
    x0 = th1 - th2
    x1 = sin(x0)
    x2 = cos(x0)
    x3 = x2**2
    x4 = 2 - x3
    x5 = w1**2
    x6 = w2**2
    x7 = 9.81 * sin(th1)
    x8 = 9.81 * sin(th2)
    dw1 = (-x1 * x6 - x1 * x2 * x5 - 2 * x7 + x2 * x8) / x4
    dw2 = (2 * x1 * x5 + x1 * x2 * x6 + 2 * x2 * x7 - 2 * x8) / x4
    return array([w1, w2, dw1, dw2])


def pycode_math_prefixed(a, b):
    return (
        math.exp(-a) * math.cos(b) ** 2
        + math.sqrt(a**2 + b**2) * math.log1p(a**2)
        + math.erf(a * b)
        + math.gamma(1 + a**2)
        + math.atan(b / (1 + a**2))
        + a ** (-1 / 3 + b**2) * 1.0
    )


def lam_on_arrays(x, y):
    # a lambdified Piecewise applied elementwise to arrays
    pw = select([less(x, 0), less(x, 1), True], [-x * y, x**2 * y, 2 * x - 1], default=nan)
    return numpy.sum(pw) + numpy.sum(lam_cse(x, y))


def lam_hessian_entries(x, y):
    # sympy.hessian of x**3*y - log(y)*x**2, lambdified as nested lists; used as a penalty
    H = array([[6 * x * y - 2 * log(y), 3 * x**2 - 2 * x / y], [3 * x**2 - 2 * x / y, x**2 / y**2]])
    return numpy.linalg.det(H) + numpy.trace(H)


def lam_rational_power_chain(x):
    return (x**2 + 1) ** (5 / 2) - x ** (2 / 3) * (1 + x) ** (-1 / 2) + 1 / sqrt(x**3)


def pycode_select_piecewise_array(t, a):
    # Piecewise of several array-valued conditions, printed through numpy.select
    return numpy.sum(
        numpy.select(
            [numpy.less(t, -a), numpy.greater(t, a), True],
            [-((t + a) ** 2), (t - a) ** 2, numpy.zeros_like(t)],
            default=numpy.nan,
        )
    )


def lam_scipy_printer(x, y):
    return erf(x) * gamma(y) + loggamma(y) + erfi(x / 2) + polygamma(1, y) + jv(0, x * y)


def lam_scipy_si_fresnel(x):
    return sici(x)[0] + fresnel(x)[1] * x


CASES = [
    Case(lam_piecewise, (0.4, 1.3), (0, 1)),
    Case(lam_piecewise_math, (-0.4, 1.3), (0, 1)),
    Case(lam_gauss_pow, (0.7, 0.4), (0, 1), extra="hvp"),
    Case(lam_maxmin, (0.7, -0.4), (0, 1)),
    Case(lam_maxmin_math, (0.7, -0.4), (0, 1)),
    Case(lam_heaviside, (0.7, 0.4), (0, 1)),
    Case(lam_heaviside_math, (0.7, 0.4), (0, 1), extra="hvp"),
    Case(lam_mod_floor, (1.7, 0.4), (0, 1)),
    Case(lam_mod_math, (1.7, 0.4), (0, 1)),
    Case(lam_cse, (0.7, 0.4), (0, 1), extra="hvp"),
    Case(lam_rotation, (0.7, 0.4, -1.2), (0, 1, 2)),
    Case(lam_symbolic_grad, (0.7, 0.4), (0, 1), extra="hvp"),
    Case(pendulum_rhs, (0.7, -0.4, 0.3, 1.1), (0, 1, 2, 3)),
    Case(pycode_math_prefixed, (0.7, 0.4), (0, 1), extra="hvp"),
    Case(lam_on_arrays, (numpy.array([-0.6, 0.3, 0.8, 1.4]), R.standard_normal(4)), (0, 1)),
    Case(lam_hessian_entries, (0.7, 1.4), (0, 1)),
    Case(lam_rational_power_chain, (0.7,), (0,), extra="hvp"),
    Case(pycode_select_piecewise_array, (numpy.array([-1.2, -0.1, 0.3, 1.6]), 0.5), (0, 1)),
    Case(lam_scipy_printer, (0.7, 1.4), (0, 1), extra="hvp"),
    Case(lam_scipy_si_fresnel, (0.7,), (0,), extra="hvp"),
]
