"""Ported cases (session 25, corp25), written anew as user code after more of the SFU virtual
library of simulation experiments: the Genz integration families (oscillatory, product peak,
corner peak, Gaussian peak, continuous), Morokoff & Caflisch 1 and 2, the steel-column and
short-column reliability functions, Santner's damped cosine, Currin's sinusoid, Webster 1996,
the Oakley-O'Hagan 1-d function, Lim's non-polynomial function, Holsclaw's sinusoid, Gramacy &
Lee 2008 and the Hanson-style piecewise Welch screening function; written the way the
library's R code is (coordinates unpacked into scalars, ``for`` loops over ``d``, defaults as
module-level coefficient vectors).

Float input vector -> float scalar (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

GENZ_U = np.array([0.5, 0.5, 0.5, 0.5])
GENZ_A = np.array([5.0, 5.0, 5.0, 5.0])


def genz_oscil(xx, u=GENZ_U, a=GENZ_A):
    u1 = u[0]
    total = 0.0
    for i in range(len(xx)):
        total += a[i] * xx[i]
    return np.cos(2 * math.pi * u1 + total)


def genz_prpeak(xx, u=GENZ_U, a=GENZ_A):
    prod = 1.0
    for i in range(len(xx)):
        prod *= 1.0 / (a[i] ** (-2) + (xx[i] - u[i]) ** 2)
    return prod


def genz_copeak(xx, a=GENZ_A):
    d = len(xx)
    return (1 + np.sum(a * xx)) ** (-(d + 1))


def genz_gaussian(xx, u=GENZ_U, a=GENZ_A):
    return np.exp(-np.sum(a**2 * (xx - u) ** 2))


def genz_cont(xx, u=GENZ_U, a=GENZ_A):
    return np.exp(-np.sum(a * np.abs(xx - u)))


def morcaf95a(xx):
    d = len(xx)
    fact1 = (1 + 1 / d) ** d
    return fact1 * np.prod(xx ** (1 / d))


def morcaf95b(xx):
    d = len(xx)
    fact1 = 1 / ((d - 0.5) ** d)
    prod = 1.0
    for x in xx:
        prod = prod * (d - x)
    return fact1 * prod


def steelcol(xx):
    Fs, P1, P2, P3, B, D, H, F0, E = xx
    L = 7500.0
    P = P1 + P2 + P3
    Eb = (math.pi**2) * E * B * D * (H**2) / (2 * (L**2))
    term1 = 1 / (2 * B * D)
    term2 = F0 * Eb / (B * D * H * (Eb - P))
    return Fs - P * (term1 + term2)


def shortcol(xx):
    Y, M, P = xx
    b, h = 5.0, 15.0
    term1 = -4 * M / (b * (h**2) * Y)
    term2 = -(P**2) / ((b**2) * (h**2) * (Y**2))
    return 1 + term1 + term2


def santetal03dc(x):
    return np.exp(-1.4 * x) * np.cos(3.5 * math.pi * x)


def curretal88sin(x):
    return np.sin(2 * math.pi * (x - 0.1))


def webetal96(xx):
    A, B = xx
    return A**2 + B**3


def oakoh021d(x):
    return 5 + x + np.cos(x)


def limnonpoly(xx):
    x1, x2 = xx
    fact1 = 30 + 5 * x1 * np.sin(5 * x1)
    fact2 = 4 + np.exp(-5 * x2)
    return (fact1 * fact2 - 100) / 6


def hols(x):
    return np.log(x + 1) * np.sin(5 * math.pi * x)


def grlee08(xx):
    x1, x2 = xx[0], xx[1]
    return x1 * np.exp(-(x1**2) - x2**2) + 0.0 * np.sum(xx[2:])


def environ_hockey(xx):
    # a smooth stand-in for a hockey-stick response: softplus of a linear score, per SFU's
    # "piecewise" screening examples written with a smooth hinge
    w = np.array([1.5, -0.7, 0.3, 2.0])
    s = xx @ w - 0.4
    return np.log1p(np.exp(4 * s)) / 4 + 0.5 * np.sum(xx**2)


STEEL = np.array([400.0, 500000.0, 600000.0, 600000.0, 300.0, 20.0, 300.0, 30.0, 210000.0])
CASES = [
    Case(genz_oscil, (np.array([0.1, 0.3, 0.7, 0.2]),), (0,), extra="hvp"),
    Case(genz_prpeak, (np.array([0.1, 0.3, 0.7, 0.2]),), (0,), extra="hvp"),
    Case(genz_copeak, (np.array([0.1, 0.3, 0.7, 0.2]),), (0,), extra="hvp"),
    Case(genz_gaussian, (np.array([0.4, 0.3, 0.7, 0.6]),), (0,), extra="hvp"),
    Case(genz_cont, (np.array([0.1, 0.3, 0.7, 0.2]),), (0,), extra="hvp"),
    Case(morcaf95a, (np.array([0.4, 0.3, 0.7, 0.6, 0.9]),), (0,), extra="hvp"),
    Case(morcaf95b, (np.array([0.4, 0.3, 0.7, 0.6, 0.9]),), (0,), extra="hvp"),
    Case(steelcol, (STEEL,), (0,), rtol=1e-5),
    Case(shortcol, (np.array([5.0, 2000.0, 500.0]),), (0,)),
    Case(santetal03dc, (0.37,), (0,), extra="hvp"),
    Case(curretal88sin, (0.37,), (0,), extra="hvp"),
    Case(webetal96, (np.array([3.0, 5.0]),), (0,), extra="hvp"),
    Case(oakoh021d, (0.8,), (0,), extra="hvp"),
    Case(limnonpoly, (np.array([0.3, 0.55]),), (0,), extra="hvp"),
    Case(hols, (0.73,), (0,), extra="hvp"),
    Case(grlee08, (np.array([0.3, -0.8, 0.2, 0.1]),), (0,), extra="hvp"),
    Case(environ_hockey, (np.array([0.3, -0.8, 0.2, 0.1]),), (0,), extra="hvp"),
]
