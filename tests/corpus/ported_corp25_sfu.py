"""Ported cases (session 25, corp25), written anew as user code after the SFU "virtual library of
simulation experiments" (Surjanovic & Bingham): the engineering models (borehole, piston, OTL
circuit, wing weight, robot arm, environmental model, cantilever beam, Park 1991 a/b), the
sensitivity-analysis functions (Ishigami, Sobol' G, Morris, Welch 1992, Oakley-O'Hagan,
Bratley, Linkletter, Moon-style sums) and the emulation test functions (Friedman, Dette-Pepelyshev
curved / 8-d / exponential, Gramacy-Lee 2009 / 2012, Franke, Currin exponential, Lim polynomial,
Forrester, Higdon, Zhou 1998), each the way the library's R/MATLAB code computes it: one input
vector unpacked into named scalars, loops over the coordinates, degree-to-radian conversions.

Float input vector -> float scalar (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(25000002)


def borehole(xx):
    rw, r, Tu, Hu, Tl, Hl, L, Kw = xx
    frac1 = 2 * math.pi * Tu * (Hu - Hl)
    frac2a = 2 * L * Tu / (np.log(r / rw) * rw**2 * Kw)
    frac2b = Tu / Tl
    frac2 = np.log(r / rw) * (1 + frac2a + frac2b)
    return frac1 / frac2


PISTON_LO = np.array([30.0, 0.005, 0.002, 1000.0, 90000.0, 290.0, 340.0])
PISTON_HI = np.array([60.0, 0.020, 0.010, 5000.0, 110000.0, 296.0, 360.0])


def piston(uu):
    # the inputs as fractions of the library's ranges (the unit cube its designs are drawn in)
    M, S, V0, k, P0, Ta, T0 = PISTON_LO + uu * (PISTON_HI - PISTON_LO)
    Aterm1 = P0 * S
    Aterm2 = 19.62 * M
    Aterm3 = -k * V0 / S
    A = Aterm1 + Aterm2 + Aterm3
    Vfact1 = S / (2 * k)
    Vfact2 = np.sqrt(A**2 + 4 * k * (P0 * V0 / T0) * Ta)
    V = Vfact1 * (Vfact2 - A)
    fact1 = M
    fact2 = k + (S**2) * (P0 * V0 / T0) * (Ta / (V**2))
    return 2 * math.pi * np.sqrt(fact1 / fact2)


def otl_circuit(xx):
    Rb1, Rb2, Rf, Rc1, Rc2, beta = xx
    Vb1 = 12 * Rb2 / (Rb1 + Rb2)
    denom = beta * (Rc2 + 9) + Rf
    term1 = (Vb1 + 0.74) * beta * (Rc2 + 9) / denom
    term2 = 11.35 * Rf / denom
    term3 = 0.74 * Rf * beta * (Rc2 + 9) / (denom * Rc1)
    return term1 + term2 + term3


def wing_weight(xx):
    Sw, Wfw, A, LamCaps, q, lam, tc, Nz, Wdg, Wp = xx
    LamCaps = LamCaps * (math.pi / 180)
    fact1 = 0.036 * Sw**0.758 * Wfw**0.0035
    fact2 = (A / (np.cos(LamCaps) ** 2)) ** 0.6
    fact3 = q**0.006 * lam**0.04
    fact4 = (100 * tc / np.cos(LamCaps)) ** (-0.3)
    fact5 = (Nz * Wdg) ** 0.49
    term1 = Sw * Wp
    return fact1 * fact2 * fact3 * fact4 * fact5 + term1


def robot_arm(xx):
    theta = xx[0:4]
    L = xx[4:8]
    u = 0.0
    v = 0.0
    for i in range(4):
        sumtheta = 0.0
        for j in range(i + 1):
            sumtheta = sumtheta + theta[j]
        u = u + L[i] * np.cos(sumtheta)
        v = v + L[i] * np.sin(sumtheta)
    return (u**2 + v**2) ** 0.5


ENV_S = np.array([0.5, 1.0, 1.5, 2.0, 2.5])
ENV_T = np.array([5.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0])


def environ(xx, s=ENV_S, t=ENV_T):
    M, D, L, tau = xx
    Y = np.zeros((len(s), len(t)))
    for ii in range(len(s)):
        si = s[ii]
        for jj in range(len(t)):
            tj = t[jj]
            term1a = M / np.sqrt(4 * math.pi * D * tj)
            term1b = np.exp(-(si**2) / (4 * D * tj))
            term1 = term1a * term1b
            term2 = 0.0
            if tau < tj:
                term2a = M / np.sqrt(4 * math.pi * D * (tj - tau))
                term2b = np.exp(-((si - L) ** 2) / (4 * D * (tj - tau)))
                term2 = term2a * term2b
            Y[ii, jj] = np.sqrt(4 * math.pi) * (term1 + term2)
    return np.sum(Y**2)


def cantilever(xx):
    R_, E, X, Y, w, t = xx
    L, D0 = 100.0, 2.2535
    Sterm1 = 600 * Y / (w * (t**2))
    Sterm2 = 600 * X / ((w**2) * t)
    S = Sterm1 + Sterm2
    Dfact1 = 4 * (L**3) / (E * w * t)
    Dfact2 = np.sqrt((Y / (t**2)) ** 2 + (X / (w**2)) ** 2)
    D = Dfact1 * Dfact2
    return (S - R_) / 1e4 + (D - D0)


def park91a(xx):
    x1, x2, x3, x4 = xx
    term1a = x1 / 2
    term1b = np.sqrt(1 + (x2 + x3**2) * x4 / (x1**2)) - 1
    term2a = x1 + 3 * x4
    term2b = np.exp(1 + np.sin(x3))
    return term1a * term1b + term2a * term2b


def park91b(xx):
    x1, x2, x3, x4 = xx
    return (2 / 3) * np.exp(x1 + x2) - x4 * np.sin(x3) + x3


def ishigami(xx, a=7.0, b=0.1):
    x1, x2, x3 = xx[0], xx[1], xx[2]
    return np.sin(x1) + a * (np.sin(x2)) ** 2 + b * x3**4 * np.sin(x1)


SOBOL_A = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0])


def sobol_g(xx, a=SOBOL_A):
    prod = 1.0
    for ii in range(len(xx)):
        new1 = abs(4 * xx[ii] - 2) + a[ii]
        new2 = 1 + a[ii]
        prod = prod * new1 / new2
    return prod


MORRIS_B1 = R.standard_normal(20)
MORRIS_B2 = R.standard_normal((20, 20))


def morris(xx, b1=MORRIS_B1, b2=MORRIS_B2):
    w = 2 * (xx - 0.5)
    for k in (2, 4, 6):
        w[k] = 2 * (1.1 * xx[k] / (xx[k] + 0.1) - 0.5)
    beta1 = b1.copy()
    beta1[:10] = 20.0
    beta2 = b2.copy()
    beta2[:6, :6] = -15.0
    total = 0.0
    for i in range(20):
        total += beta1[i] * w[i]
        for j in range(i + 1, 20):
            total += beta2[i, j] * w[i] * w[j]
    for i in range(5):
        for j in range(i + 1, 5):
            for m in range(j + 1, 5):
                total += -10.0 * w[i] * w[j] * w[m]
    return total + 5.0 * w[0] * w[1] * w[2] * w[3]


def welch92(xx):
    x = xx
    t1 = 5 * x[11] / (1 + x[0]) + 5 * (x[3] - x[19]) ** 2 + x[4] + 40 * x[18] ** 3 - 5 * x[18]
    t2 = 0.05 * x[1] + 0.08 * x[2] - 0.03 * x[5] + 0.03 * x[6] - 0.09 * x[8] - 0.01 * x[9]
    t3 = -0.07 * x[10] + 0.25 * x[12] ** 2 - 0.04 * x[13] + 0.06 * x[14] - 0.01 * x[16]
    return t1 + t2 + t3 - 0.03 * x[17]


A1 = np.round(R.uniform(-1, 1, 15), 3)
A2 = np.round(R.uniform(-1, 1, 15), 3)
A3 = np.round(R.uniform(-1, 1, 15), 3)
M15 = np.round(R.uniform(-0.5, 0.5, (15, 15)), 3)


def oakley_ohagan(xx):
    return A1 @ xx + A2 @ np.sin(xx) + A3 @ np.cos(xx) + xx @ M15 @ xx


def bratley(xx):
    total = 0.0
    for ii in range(1, len(xx) + 1):
        total += (-1) ** ii * np.prod(xx[:ii])
    return total


def linkletter_sin(xx):
    return np.sin(xx[0]) + np.sin(5 * xx[1])


def moon10_low(xx):
    x1, x2, x3 = xx
    return -2.08 * x1 + 2.11 * x2 + 0.76 * x3 - 0.57 * x1 * x2 + 1.98 * x1 * x3 - 0.2 * x3**2


def friedman(xx):
    x1, x2, x3, x4, x5 = xx
    return 10 * np.sin(math.pi * x1 * x2) + 20 * (x3 - 0.5) ** 2 + 10 * x4 + 5 * x5


def detpep_curved(xx):
    x1, x2, x3 = xx
    term1 = 4 * (x1 - 2 + 8 * x2 - 8 * x2**2) ** 2
    term2 = (3 - 4 * x2) ** 2
    term3 = 16 * np.sqrt(x3 + 1) * (2 * x3 - 1) ** 2
    return term1 + term2 + term3


def detpep8(xx):
    x1, x2, x3 = xx[0], xx[1], xx[2]
    total = 4 * (x1 - 2 + 8 * x2 - 8 * x2**2) ** 2 + (3 - 4 * x2) ** 2
    total += 16 * np.sqrt(x3 + 1) * (2 * x3 - 1) ** 2
    for ii in range(4, 9):
        total += ii * np.log(1 + np.sum(xx[2:ii]))
    return total


def detpep_exp(xx):
    x1, x2, x3 = xx
    return 100 * (np.exp(-2 / (x1**1.75)) + np.exp(-2 / (x2**1.5)) + np.exp(-2 / (x3**1.25)))


def grlee12(x):
    return np.sin(10 * math.pi * x) / (2 * x) + (x - 1) ** 4


def grlee09(xx):
    return xx[0] * np.exp(-(xx[0] ** 2) - xx[1] ** 2)


def franke(xx):
    x1, x2 = xx
    term1 = 0.75 * np.exp(-((9 * x1 - 2) ** 2) / 4 - (9 * x2 - 2) ** 2 / 4)
    term2 = 0.75 * np.exp(-((9 * x1 + 1) ** 2) / 49 - (9 * x2 + 1) / 10)
    term3 = 0.5 * np.exp(-((9 * x1 - 7) ** 2) / 4 - (9 * x2 - 3) ** 2 / 4)
    term4 = -0.2 * np.exp(-((9 * x1 - 4) ** 2) - (9 * x2 - 7) ** 2)
    return term1 + term2 + term3 + term4


def curretal88exp(xx):
    x1, x2 = xx
    fact1 = 1 - np.exp(-1 / (2 * x2))
    fact2 = 2300 * x1**3 + 1900 * x1**2 + 2092 * x1 + 60
    fact3 = 100 * x1**3 + 500 * x1**2 + 4 * x1 + 20
    return fact1 * fact2 / fact3


def limpoly(xx):
    x1, x2 = xx
    term = (5 / 2) * x1 - (35 / 2) * x2 + (5 / 2) * x1 * x2 + 19 * x2**2
    term = term - (15 / 2) * x1**3 - (5 / 2) * x1 * x2**2 - (11 / 2) * x2**4 + (x1**3) * (x2**2)
    return 9 + term


def forrester(x):
    return (6 * x - 2) ** 2 * np.sin(12 * x - 4)


def higdon(x):
    return np.sin(2 * math.pi * x / 10) + 0.2 * np.sin(2 * math.pi * x / 2.5)


def zhou98(xx):
    d = len(xx)

    def phi(z):
        return (2 * math.pi) ** (-d / 2) * np.exp(-0.5 * np.sum(z**2))

    return (10**d / 2) * (phi(10 * (xx - 1 / 3)) + phi(10 * (xx - 2 / 3)))


BORE = np.array([0.1, 2500.0, 89000.0, 1050.0, 89.0, 760.0, 1400.0, 10000.0])
OTL = np.array([100.0, 50.0, 1.5, 1.2, 1.0, 100.0])
WING = np.array([170.0, 260.0, 8.0, 5.0, 30.0, 0.7, 0.12, 4.0, 2000.0, 0.06])
CASES = [
    Case(borehole, (BORE,), (0,), extra="hvp", rtol=1e-5),
    Case(piston, (np.array([0.5, 0.46, 0.5, 0.67, 0.5, 0.33, 0.5]),), (0,), extra="hvp"),
    Case(otl_circuit, (OTL,), (0,), extra="hvp"),
    Case(wing_weight, (WING,), (0,), extra="hvp", rtol=1e-5),
    Case(robot_arm, (np.array([0.3, 1.2, 2.0, 4.0, 0.5, 0.7, 0.2, 0.9]),), (0,), extra="hvp"),
    Case(environ, (np.array([10.0, 0.1, 1.505, 35.3]),), (0,), extra="hvp"),
    Case(cantilever, (np.array([40000.0, 2.9e7, 500.0, 1000.0, 2.5, 3.5]),), (0,), rtol=1e-5),
    Case(park91a, (np.array([0.4, 0.6, 0.3, 0.7]),), (0,), extra="hvp"),
    Case(park91b, (np.array([0.4, 0.6, 0.3, 0.7]),), (0,), extra="hvp"),
    Case(ishigami, (np.array([0.5, -1.2, 2.1]),), (0,), extra="hvp"),
    Case(sobol_g, (np.array([0.2, 0.7, 0.35, 0.9, 0.1, 0.6]),), (0,), extra="hvp"),
    Case(morris, (np.round(R.uniform(0.1, 0.9, 20), 3),), (0,), extra="hvp"),
    Case(welch92, (np.round(R.uniform(-0.4, 0.4, 20), 3),), (0,), extra="hvp"),
    Case(oakley_ohagan, (np.round(R.standard_normal(15), 3),), (0,), extra="hvp"),
    Case(bratley, (np.round(R.uniform(0.2, 1.0, 6), 3),), (0,), extra="hvp"),
    Case(linkletter_sin, (np.array([0.3, 0.8]),), (0,), extra="hvp"),
    Case(moon10_low, (np.array([0.3, 0.8, 0.5]),), (0,), extra="hvp"),
    Case(friedman, (np.array([0.3, 0.8, 0.1, 0.6, 0.5]),), (0,), extra="hvp"),
    Case(detpep_curved, (np.array([0.3, 0.8, 0.1]),), (0,), extra="hvp"),
    Case(detpep8, (np.round(R.uniform(0.0, 1.0, 8), 3),), (0,), extra="hvp"),
    Case(detpep_exp, (np.array([0.6, 0.8, 0.5]),), (0,), extra="hvp"),
    Case(grlee12, (0.65,), (0,), extra="hvp"),
    Case(grlee09, (np.array([0.3, -0.8]),), (0,), extra="hvp"),
    Case(franke, (np.array([0.3, 0.55]),), (0,), extra="hvp"),
    Case(curretal88exp, (np.array([0.3, 0.55]),), (0,), extra="hvp"),
    Case(limpoly, (np.array([0.3, 0.55]),), (0,), extra="hvp"),
    Case(forrester, (0.42,), (0,), extra="hvp"),
    Case(higdon, (3.7,), (0,), extra="hvp"),
    Case(zhou98, (np.array([0.35, 0.3, 0.4]),), (0,), extra="hvp"),
]
