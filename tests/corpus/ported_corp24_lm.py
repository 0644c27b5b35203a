"""Ported cases (session 24, corp24), written anew as user code after lmfit's ``lineshapes`` and
astropy's ``modeling.functional_models`` / ``powerlaws``: peak shapes (gaussian, lorentzian, voigt
through ``scipy.special.wofz`` of a complex argument, pseudo-Voigt, moffat, pearson7 with
``scipy.special.beta``, split-lorentzian, skewed gaussian, exponentially modified gaussian with
``erfc``, lognormal, damped oscillator, Breit-Wigner, Student's t with ``gammaln``), steps and
rectangles in the linear / atan / erf / logistic forms, exponential, power law, broken and
smoothly broken power laws, the Sersic profile (``bn = gammaincinv(2 n, 0.5)`` of a constant
index), a rotated 2-D Gaussian, and lmfit's polynomial through ``np.polyval`` of the reversed
coefficients. Each shape is guarded by ``max(tiny, sigma)`` as lmfit writes it.

Float parameter vectors -> float scalar (a least-squares objective against fixed data, checked
at second order with ``extra="hvp"``) or float vector (the model curve)."""

from __future__ import annotations

import numpy as np
from numpy import arctan, exp, log, pi, sqrt
from scipy.special import beta as beta_fn
from scipy.special import erf, erfc, gammaincinv, gammaln, wofz

from . import Case

tiny = np.finfo(np.float64).eps
s2 = sqrt(2.0)
s2pi = sqrt(2 * pi)
log2 = log(2)
R = np.random.default_rng(24000003)
X = np.linspace(-3.0, 4.0, 15)
XP = np.linspace(0.2, 5.0, 12)  # positive abscissae for power laws
DATA = np.round(2.0 * np.exp(-((X - 0.4) ** 2) / 1.5) + 0.05 * R.standard_normal(15), 4)
DATAP = np.round(3.0 * XP**-1.3 + 0.02 * R.standard_normal(12), 4)


def gaussian(x, amplitude=1.0, center=0.0, sigma=1.0):
    return (amplitude / (max(tiny, s2pi * sigma))) * exp(
        -((1.0 * x - center) ** 2) / max(tiny, (2 * sigma**2))
    )


def lorentzian(x, amplitude=1.0, center=0.0, sigma=1.0):
    return (amplitude / (1 + ((1.0 * x - center) / max(tiny, sigma)) ** 2)) / max(
        tiny, (pi * sigma)
    )


def voigt(x, amplitude=1.0, center=0.0, sigma=1.0, gamma=None):
    if gamma is None:
        gamma = sigma
    z = (x - center + 1j * gamma) / max(tiny, (sigma * s2))
    return amplitude * wofz(z).real / max(tiny, (sigma * s2pi))


def pvoigt(x, amplitude=1.0, center=0.0, sigma=1.0, fraction=0.5):
    sigma_g = sigma / sqrt(2 * log2)
    return (1 - fraction) * gaussian(x, amplitude, center, sigma_g) + fraction * lorentzian(
        x, amplitude, center, sigma
    )


def moffat(x, amplitude=1, center=0.0, sigma=1, beta=1.0):
    return amplitude / (((x - center) / max(tiny, sigma)) ** 2 + 1) ** beta


def pearson7(x, amplitude=1.0, center=0.0, sigma=1.0, expon=1.0):
    expon = max(tiny, expon)
    arg = (x - center) / max(tiny, sigma)
    scale = amplitude * sqrt(2 ** (1 / expon) - 1) / max(tiny, sigma * beta_fn(expon - 0.5, 0.5))
    return scale * (1 + arg**2 * (2 ** (1 / expon) - 1)) ** (-expon)


def split_lorentzian(x, amplitude=1.0, center=0.0, sigma=1.0, sigma_r=1.0):
    s = max(tiny, sigma)
    r = max(tiny, sigma_r)
    ss = s * s
    rr = r * r
    xc2 = (x - center) ** 2
    amp = 2 * amplitude / (pi * (s + r))
    return amp * (ss * (x < center) / (ss + xc2) + rr * (x >= center) / (rr + xc2))


def skewed_gaussian(x, amplitude=1.0, center=0.0, sigma=1.0, gamma=0.0):
    asym = 1 + erf(gamma * (x - center) / max(tiny, (s2 * sigma)))
    return asym * gaussian(x, amplitude, center, sigma)


def exgaussian(x, amplitude=1, center=0, sigma=1.0, gamma=1.0):
    gss = gamma * sigma * sigma
    arg1 = gamma * (center + gss / 2.0 - x)
    arg2 = (center + gss - x) / max(tiny, (s2 * sigma))
    return amplitude * (gamma / 2) * exp(arg1) * erfc(arg2)


def lognormal(x, amplitude=1.0, center=0.0, sigma=1):
    x = np.where(x <= 1.0e-19, 1.0e-19, x)  # lmfit's guard, as a where
    return (amplitude / (x * max(tiny, sigma * s2pi))) * exp(
        -((log(x) - center) ** 2) / max(tiny, (2 * sigma**2))
    )


def damped_oscillator(x, amplitude=1.0, center=1.0, sigma=0.1):
    center = max(tiny, abs(center))
    return amplitude / sqrt((1.0 - (x / center) ** 2) ** 2 + (2 * sigma * x / center) ** 2)


def breit_wigner(x, amplitude=1.0, center=0.0, sigma=1.0, q=1.0):
    gam = sigma / 2.0
    return amplitude * (q * gam + x - center) ** 2 / (gam * gam + (x - center) ** 2)


def students_t(x, amplitude=1.0, center=0.0, sigma=1.0):
    s1 = (sigma + 1) / 2.0
    denom = max(tiny, (sqrt(sigma * pi) * exp(gammaln(sigma / 2))))
    return amplitude * (1 + (x - center) ** 2 / max(tiny, sigma)) ** -s1 * exp(gammaln(s1)) / denom


def step(x, amplitude=1.0, center=0.0, sigma=1.0, form="linear"):
    out = (x - center) / max(tiny, sigma)
    if form == "erf":
        out = 0.5 * (1 + erf(out))
    elif form == "logistic":
        out = 1.0 - 1.0 / (1.0 + exp(out))
    elif form in ("atan", "arctan"):
        out = 0.5 + arctan(out) / pi
    elif form == "linear":
        out = np.minimum(1, np.maximum(0, out))
    else:
        raise ValueError(form)
    return amplitude * out


def rectangle(x, amplitude=1.0, center1=0.0, sigma1=1.0, center2=1.0, sigma2=1.0, form="linear"):
    arg1 = (x - center1) / max(tiny, sigma1)
    arg2 = (center2 - x) / max(tiny, sigma2)
    if form == "erf":
        out = 0.5 * (erf(arg1) + erf(arg2))
    elif form == "logistic":
        out = 1.0 - 1.0 / (1.0 + exp(arg1)) - 1.0 / (1.0 + exp(arg2))
    elif form in ("atan", "arctan"):
        out = (arctan(arg1) + arctan(arg2)) / pi
    elif form == "linear":
        out = 0.5 * (np.minimum(1, np.maximum(-1, arg1)) + np.minimum(1, np.maximum(-1, arg2)))
    else:
        raise ValueError(form)
    return amplitude * out


def exponential(x, amplitude=1, decay=1):
    decay = max(tiny, decay)
    return amplitude * exp(-x / decay)


def powerlaw(x, amplitude=1, exponent=1.0):
    return amplitude * x**exponent


def broken_power_law(x, amplitude, x_break, alpha_1, alpha_2):
    alpha = np.where(x < x_break, alpha_1, alpha_2)
    xx = x / x_break
    return amplitude * xx ** (-alpha)


def smoothly_broken_power_law(x, amplitude, x_break, alpha_1, alpha_2, delta):
    # astropy's SmoothlyBrokenPowerLaw1D, with its three branches on log(x / x_break) / delta
    xx = x / x_break
    f = np.zeros_like(xx)
    logt = np.log(xx) / delta
    i = logt > 30
    if np.any(i):
        f[i] = amplitude * xx[i] ** (-alpha_2) / (2.0 ** ((alpha_1 - alpha_2) * delta))
    i = logt < -30
    if np.any(i):
        f[i] = amplitude * xx[i] ** (-alpha_1) / (2.0 ** ((alpha_1 - alpha_2) * delta))
    i = np.abs(logt) <= 30
    if np.any(i):
        t = np.exp(logt[i])
        r = (1.0 + t) / 2.0
        f[i] = amplitude * xx[i] ** (-alpha_1) * r ** ((alpha_1 - alpha_2) * delta)
    return f


def exp_cutoff_power_law(x, amplitude, x_0, alpha, x_cutoff):
    xx = x / x_0
    return amplitude * xx ** (-alpha) * np.exp(-x / x_cutoff)


def log_parabola(x, amplitude, x_0, alpha, beta):
    xx = x / x_0
    exponent = -alpha - beta * np.log(xx)
    return amplitude * xx**exponent


def sersic(r, amplitude, r_eff, n):
    bn = gammaincinv(2.0 * 4.0, 0.5) if n is None else gammaincinv(2.0 * n, 0.5)
    n = 4.0 if n is None else n
    return amplitude * np.exp(-bn * ((r / r_eff) ** (1 / n) - 1))


def gaussian2d(x, y, amplitude, x_mean, y_mean, x_stddev, y_stddev, theta):
    cost2 = np.cos(theta) ** 2
    sint2 = np.sin(theta) ** 2
    sin2t = np.sin(2.0 * theta)
    xstd2 = x_stddev**2
    ystd2 = y_stddev**2
    xdiff = x - x_mean
    ydiff = y - y_mean
    a = 0.5 * ((cost2 / xstd2) + (sint2 / ystd2))
    b = 0.5 * ((sin2t / xstd2) - (sin2t / ystd2))
    c = 0.5 * ((sint2 / xstd2) + (cost2 / ystd2))
    return amplitude * np.exp(-((a * xdiff**2) + (b * xdiff * ydiff) + (c * ydiff**2)))


def polynomial(x, *coefs):
    return np.polyval(np.array(coefs)[::-1], x)


# -- least-squares objectives as lmfit's Minimizer sees them ------------------------------------


def _ssq(model, data):
    return np.sum((model - data) ** 2)


def fit_gaussian(p):
    return _ssq(gaussian(X, p[0], p[1], p[2]), DATA)


def fit_lorentzian(p):
    return _ssq(lorentzian(X, p[0], p[1], p[2]), DATA)


def fit_voigt(p):
    return _ssq(voigt(X, p[0], p[1], p[2], p[3]), DATA)


def fit_pvoigt(p):
    return _ssq(pvoigt(X, p[0], p[1], p[2], p[3]), DATA)


def fit_moffat(p):
    return _ssq(moffat(X, p[0], p[1], p[2], p[3]), DATA)


def fit_moffat_star(p):
    # as scipy.optimize.curve_fit calls a model: f(x, *params), every parameter with a default
    return _ssq(moffat(X, *p), DATA)


def fit_pearson7(p):
    return _ssq(pearson7(X, p[0], p[1], p[2], p[3]), DATA)


def fit_split_lorentzian(p):
    return _ssq(split_lorentzian(X, p[0], p[1], p[2], p[3]), DATA)


def fit_skewed_gaussian(p):
    return _ssq(skewed_gaussian(X, p[0], p[1], p[2], p[3]), DATA)


def fit_exgaussian(p):
    return _ssq(exgaussian(X, p[0], p[1], p[2], p[3]), DATA)


def fit_lognormal(p):
    return _ssq(lognormal(XP, p[0], p[1], p[2]), DATAP)


def fit_damped_oscillator(p):
    return _ssq(damped_oscillator(XP, p[0], p[1], p[2]), DATAP)


def fit_breit_wigner(p):
    return _ssq(breit_wigner(X, p[0], p[1], p[2], p[3]), DATA)


def fit_students_t(p):
    return _ssq(students_t(X, p[0], p[1], p[2]), DATA)


def fit_steps(p):
    total = 0.0
    for form in ("erf", "logistic", "atan", "linear"):
        total = total + _ssq(step(X, p[0], p[1], p[2], form=form), DATA)
    return total


def fit_rectangles(p):
    total = 0.0
    for form in ("erf", "logistic", "atan", "linear"):
        total = total + _ssq(rectangle(X, p[0], p[1], p[2], p[3], p[4], form=form), DATA)
    return total


def fit_exponential_plus_powerlaw(p):
    return _ssq(exponential(XP, p[0], p[1]) + powerlaw(XP, p[2], p[3]), DATAP)


def fit_broken_power_law(p):
    return _ssq(broken_power_law(XP, p[0], p[1], p[2], p[3]), DATAP)


def smoothly_broken_curve(p):
    return smoothly_broken_power_law(XP, p[0], p[1], p[2], p[3], p[4])


def fit_exp_cutoff_and_log_parabola(p):
    m = exp_cutoff_power_law(XP, p[0], 1.0, p[1], p[2]) + log_parabola(XP, p[3], 1.0, p[4], p[5])
    return _ssq(m, DATAP)


def sersic_profile(p):
    return sersic(XP, p[0], p[1], 2.5)


def fit_sersic_default_index(p):
    return _ssq(sersic(XP, p[0], p[1], None), DATAP)


def gaussian2d_image(p):
    yy, xx = np.mgrid[0:5, 0:6]
    return np.sum(gaussian2d(xx, yy, p[0], p[1], p[2], p[3], p[4], p[5]) ** 2)


def fit_polynomial(c):
    return _ssq(polynomial(X, *c), DATA)


def polynomial_curve(c):
    return polynomial(X, c[0], c[1], c[2], c[3])


CASES = [
    Case(fit_gaussian, (np.array([2.1, 0.3, 0.9]),), (0,), extra="hvp"),
    Case(fit_lorentzian, (np.array([2.5, 0.35, 0.8]),), (0,), extra="hvp"),
    Case(fit_voigt, (np.array([2.0, 0.3, 0.6, 0.4]),), (0,), extra="hvp"),
    Case(fit_pvoigt, (np.array([2.2, 0.3, 0.8, 0.4]),), (0,), extra="hvp"),
    Case(fit_moffat, (np.array([1.9, 0.4, 1.1, 1.3]),), (0,), extra="hvp"),
    Case(
        fit_moffat_star,
        (np.array([1.9, 0.4, 1.1, 1.3]),),
        (0,),
    ),
    Case(fit_pearson7, (np.array([2.0, 0.4, 1.0, 1.6]),), (0,), extra="hvp"),
    Case(fit_split_lorentzian, (np.array([2.0, 0.45, 0.9, 1.2]),), (0,), extra="hvp"),
    Case(fit_skewed_gaussian, (np.array([2.0, 0.3, 1.0, 0.5]),), (0,), extra="hvp"),
    Case(fit_exgaussian, (np.array([2.0, 0.1, 0.8, 1.5]),), (0,), extra="hvp"),
    Case(fit_lognormal, (np.array([1.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(fit_damped_oscillator, (np.array([1.2, 1.7, 0.3]),), (0,), extra="hvp"),
    Case(fit_breit_wigner, (np.array([1.0, 0.3, 1.2, 0.6]),), (0,), extra="hvp"),
    Case(fit_students_t, (np.array([2.0, 0.3, 3.5]),), (0,), extra="hvp"),
    Case(fit_steps, (np.array([1.5, 0.25, 1.3]),), (0,), extra="hvp"),
    Case(fit_rectangles, (np.array([1.5, -0.65, 0.9, 1.45, 1.3]),), (0,), extra="hvp"),
    Case(fit_exponential_plus_powerlaw, (np.array([0.8, 1.3, 2.5, -1.1]),), (0,), extra="hvp"),
    Case(fit_broken_power_law, (np.array([1.2, 1.55, 0.9, 1.6]),), (0,), extra="hvp"),
    Case(smoothly_broken_curve, (np.array([1.2, 1.5, 0.9, 1.6, 0.4]),), (0,)),
    Case(
        fit_exp_cutoff_and_log_parabola,
        (np.array([1.5, 1.1, 4.0, 1.0, 1.2, 0.1]),),
        (0,),
        extra="hvp",
    ),
    Case(sersic_profile, (np.array([1.3, 1.8]),), (0,)),
    Case(fit_sersic_default_index, (np.array([0.2, 1.8]),), (0,), extra="hvp"),
    Case(gaussian2d_image, (np.array([1.5, 2.2, 1.9, 1.3, 0.8, 0.4]),), (0,), extra="hvp"),
    Case(fit_polynomial, (np.array([1.0, 0.2, -0.3, 0.05, 0.01]),), (0,), extra="hvp"),
    Case(polynomial_curve, (np.array([1.0, 0.2, -0.3, 0.05]),), (0,)),
]
