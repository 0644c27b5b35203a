"""Ported cases (session 23, corp23): SciPy's global-optimisation benchmark functions
(benchmarks/benchmarks/go_benchmark_functions/go_funcs_A..L.py), each problem's objective written
as a user function of one float vector: Ackley, Alpine, Beale, Biggs EXP, Bukin, Cola, Corana,
DeVilliers-Glasser, Dixon-Price, Eggholder, Griewank, Hartmann, helical valley, Kowalik, Levy...
Sums and products over arange-based weights, abs/floor/sign/max at points away from their kinks,
loops over data tables, conditionals.

Float vector -> scalar; every row is also checked at second order (``extra="hvp"``). Each example
point was chosen where the function is smooth (central differences agree at two step sizes)."""

from __future__ import annotations

import numpy as np

from . import Case

COLA_D = [
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [1.27, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [1.69, 1.43, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [2.04, 2.35, 2.43, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.09, 3.18, 3.26, 2.85, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.2, 3.22, 3.27, 2.88, 1.55, 0.0, 0.0, 0.0, 0.0, 0.0],
    [2.86, 2.56, 2.58, 2.59, 3.12, 3.06, 0.0, 0.0, 0.0, 0.0],
    [3.17, 3.18, 3.18, 3.12, 1.31, 1.64, 3.0, 0.0, 0.0, 0.0],
    [3.21, 3.18, 3.18, 3.17, 1.7, 1.36, 2.95, 1.32, 0.0, 0.0],
    [2.38, 2.31, 2.42, 1.94, 2.85, 2.81, 2.56, 2.91, 2.97, 0.0],
]
COLA_D = np.array(COLA_D)
ECKERLE4_B = [
    400.0,
    405.0,
    410.0,
    415.0,
    420.0,
    425.0,
    430.0,
    435.0,
    436.5,
    438.0,
    439.5,
    441.0,
    442.5,
    444.0,
    445.5,
    447.0,
    448.5,
    450.0,
    451.5,
    453.0,
    454.5,
    456.0,
    457.5,
    459.0,
    460.5,
    462.0,
    463.5,
    465.0,
    470.0,
    475.0,
    480.0,
    485.0,
    490.0,
    495.0,
    500.0,
]
ECKERLE4_B = np.array(ECKERLE4_B)
ECKERLE4_A = [
    0.0001575,
    0.0001699,
    0.000235,
    0.0003102,
    0.0004917,
    0.000871,
    0.0017418,
    0.00464,
    0.0065895,
    0.0097302,
    0.0149002,
    0.023731,
    0.0401683,
    0.0712559,
    0.1264458,
    0.2073413,
    0.2902366,
    0.3445623,
    0.3698049,
    0.3668534,
    0.3106727,
    0.2078154,
    0.1164354,
    0.0616764,
    0.03372,
    0.0194023,
    0.0117831,
    0.0074357,
    0.0022732,
    0.00088,
    0.0004579,
    0.0002345,
    0.0001586,
    0.0001143,
    7.1e-05,
]
ECKERLE4_A = np.array(ECKERLE4_A)
HARTMANN3_A = [[3.0, 10.0, 30.0], [0.1, 10.0, 35.0], [3.0, 10.0, 30.0], [0.1, 10.0, 35.0]]
HARTMANN3_A = np.array(HARTMANN3_A)
HARTMANN3_P = [
    [0.3689, 0.117, 0.2673],
    [0.4699, 0.4387, 0.747],
    [0.1091, 0.8732, 0.5547],
    [0.03815, 0.5743, 0.8828],
]
HARTMANN3_P = np.array(HARTMANN3_P)
HARTMANN3_C = [1.0, 1.2, 3.0, 3.2]
HARTMANN3_C = np.array(HARTMANN3_C)
HARTMANN6_A = [
    [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
    [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
    [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
    [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
]
HARTMANN6_A = np.array(HARTMANN6_A)
HARTMANN6_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]
HARTMANN6_P = np.array(HARTMANN6_P)
HARTMANN6_C = [1.0, 1.2, 3.0, 3.2]
HARTMANN6_C = np.array(HARTMANN6_C)
JUDGE_A = [
    0.286,
    0.973,
    0.384,
    0.276,
    0.973,
    0.543,
    0.957,
    0.948,
    0.543,
    0.797,
    0.936,
    0.889,
    0.006,
    0.828,
    0.399,
    0.617,
    0.939,
    0.784,
    0.072,
    0.889,
]
JUDGE_A = np.array(JUDGE_A)
JUDGE_B = [
    0.645,
    0.585,
    0.31,
    0.058,
    0.455,
    0.779,
    0.259,
    0.202,
    0.028,
    0.099,
    0.142,
    0.296,
    0.175,
    0.18,
    0.842,
    0.039,
    0.103,
    0.62,
    0.158,
    0.704,
]
JUDGE_B = np.array(JUDGE_B)
JUDGE_C = [
    4.284,
    4.149,
    3.877,
    0.533,
    2.211,
    2.389,
    2.145,
    3.231,
    1.998,
    1.379,
    2.106,
    1.428,
    1.011,
    2.179,
    2.858,
    1.388,
    1.651,
    1.593,
    1.046,
    2.152,
]
JUDGE_C = np.array(JUDGE_C)
KOWALIK_B = [0.1957, 0.1947, 0.1735, 0.16, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246]
KOWALIK_B = np.array(KOWALIK_B)
KOWALIK_A = [
    4.0,
    2.0,
    1.0,
    0.5,
    0.25,
    0.16666666666666666,
    0.125,
    0.1,
    0.08333333333333333,
    0.07142857142857142,
    0.0625,
]
KOWALIK_A = np.array(KOWALIK_A)


def go_ackley01(x):
    u = np.sum(x**2)
    v = np.sum(np.cos(2 * np.pi * x))
    return -20.0 * np.exp(-0.2 * np.sqrt(u / 4)) - np.exp(v / 4) + 20.0 + np.exp(1.0)


def go_ackley02(x):
    return -200 * np.exp(-0.02 * np.sqrt(x[0] ** 2 + x[1] ** 2))


def go_ackley03(x):
    a = -200 * np.exp(-0.02 * np.sqrt(x[0] ** 2 + x[1] ** 2))
    a += 5 * np.exp(np.cos(3 * x[0]) + np.sin(3 * x[1]))
    return a


def go_adjiman(x):
    return np.cos(x[0]) * np.sin(x[1]) - x[0] / (x[1] ** 2 + 1)


def go_alpine01(x):
    return np.sum(np.abs(x * np.sin(x) + 0.1 * x))


def go_alpine02(x):
    return np.prod(np.sqrt(x) * np.sin(x))


def go_amgm(x):
    f1 = np.sum(x)
    f2 = np.prod(x)
    f1 = f1 / 4
    f2 = f2 ** (1.0 / 4)
    f = (f1 - f2) ** 2
    return f


def go_bartels_conn(x):
    return (
        np.abs(x[0] ** 2.0 + x[1] ** 2.0 + x[0] * x[1])
        + np.abs(np.sin(x[0]))
        + np.abs(np.cos(x[1]))
    )


def go_beale(x):
    return (
        (1.5 - x[0] + x[0] * x[1]) ** 2
        + (2.25 - x[0] + x[0] * x[1] ** 2) ** 2
        + (2.625 - x[0] + x[0] * x[1] ** 3) ** 2
    )


def go_biggs_exp02(x):
    t = np.arange(1, 11.0) * 0.1
    y = np.exp(-t) - 5 * np.exp(-10 * t)
    vec = (np.exp(-t * x[0]) - 5 * np.exp(-t * x[1]) - y) ** 2
    return np.sum(vec)


def go_biggs_exp03(x):
    t = np.arange(1.0, 11.0) * 0.1
    y = np.exp(-t) - 5 * np.exp(-10 * t)
    vec = (np.exp(-t * x[0]) - x[2] * np.exp(-t * x[1]) - y) ** 2
    return np.sum(vec)


def go_biggs_exp04(x):
    t = np.arange(1, 11.0) * 0.1
    y = np.exp(-t) - 5 * np.exp(-10 * t)
    vec = (x[2] * np.exp(-t * x[0]) - x[3] * np.exp(-t * x[1]) - y) ** 2
    return np.sum(vec)


def go_biggs_exp05(x):
    t = np.arange(1, 12.0) * 0.1
    y = np.exp(-t) - 5 * np.exp(-10 * t) + 3 * np.exp(-4 * t)
    vec = (x[2] * np.exp(-t * x[0]) - x[3] * np.exp(-t * x[1]) + 3 * np.exp(-t * x[4]) - y) ** 2
    return np.sum(vec)


def go_bird(x):
    return (
        np.sin(x[0]) * np.exp((1 - np.cos(x[1])) ** 2)
        + np.cos(x[1]) * np.exp((1 - np.sin(x[0])) ** 2)
        + (x[0] - x[1]) ** 2
    )


def go_bohachevsky1(x):
    return (
        x[0] ** 2
        + 2 * x[1] ** 2
        - 0.3 * np.cos(3 * np.pi * x[0])
        - 0.4 * np.cos(4 * np.pi * x[1])
        + 0.7
    )


def go_bohachevsky2(x):
    return (
        x[0] ** 2 + 2 * x[1] ** 2 - 0.3 * np.cos(3 * np.pi * x[0]) * np.cos(4 * np.pi * x[1]) + 0.3
    )


def go_bohachevsky3(x):
    return x[0] ** 2 + 2 * x[1] ** 2 - 0.3 * np.cos(3 * np.pi * x[0] + 4 * np.pi * x[1]) + 0.3


def go_box_betts(x):
    i = np.arange(1, 11)
    g = np.exp(-0.1 * i * x[0]) - np.exp(-0.1 * i * x[1]) - (np.exp(-0.1 * i) - np.exp(-i)) * x[2]
    return np.sum(g**2)


def go_branin01(x):
    return (
        (x[1] - 5.1 / (4 * np.pi**2) * x[0] ** 2 + 5 * x[0] / np.pi - 6) ** 2
        + 10 * (1 - 1 / (8 * np.pi)) * np.cos(x[0])
        + 10
    )


def go_branin02(x):
    return (
        (x[1] - 5.1 / (4 * np.pi**2) * x[0] ** 2 + 5 * x[0] / np.pi - 6) ** 2
        + 10 * (1 - 1 / (8 * np.pi)) * np.cos(x[0]) * np.cos(x[1])
        + np.log(x[0] ** 2.0 + x[1] ** 2.0 + 1.0)
        + 10
    )


def go_brent(x):
    return (x[0] + 10.0) ** 2.0 + (x[1] + 10.0) ** 2.0 + np.exp(-(x[0] ** 2.0) - x[1] ** 2.0)


def go_brown(x):
    x0 = x[:-1]
    x1 = x[1:]
    return np.sum((x0**2.0) ** (x1**2.0 + 1.0) + (x1**2.0) ** (x0**2.0 + 1.0))


def go_bukin02(x):
    return 100 * (x[1] ** 2 - 0.01 * x[0] ** 2 + 1.0) + 0.01 * (x[0] + 10.0) ** 2.0


def go_bukin04(x):
    return 100 * x[1] ** 2 + 0.01 * np.abs(x[0] + 10)


def go_bukin06(x):
    return 100 * np.sqrt(np.abs(x[1] - 0.01 * x[0] ** 2)) + 0.01 * np.abs(x[0] + 10)


def go_carrom_table(x):
    u = np.cos(x[0]) * np.cos(x[1])
    v = np.sqrt(x[0] ** 2 + x[1] ** 2)
    return -((u * np.exp(np.abs(1 - v / np.pi))) ** 2) / 30.0


def go_chichinadze(x):
    return (
        x[0] ** 2
        - 12 * x[0]
        + 11
        + 10 * np.cos(np.pi * x[0] / 2)
        + 8 * np.sin(5 * np.pi * x[0] / 2)
        - 1.0 / np.sqrt(5) * np.exp(-((x[1] - 0.5) ** 2) / 2)
    )


def go_cigar(x):
    return x[0] ** 2 + 1000000.0 * np.sum(x[1:] ** 2)


def go_cola(x):
    xi = np.atleast_2d(np.asarray([0.0, x[0]] + list(x[1::2])))
    xj = np.repeat(xi, np.size(xi, 1), axis=0)
    xi = xi.T
    yi = np.atleast_2d(np.asarray([0.0, 0.0] + list(x[2::2])))
    yj = np.repeat(yi, np.size(yi, 1), axis=0)
    yi = yi.T
    inner = (np.sqrt((xi - xj) ** 2 + (yi - yj) ** 2) - COLA_D) ** 2
    inner = np.tril(inner, -1)
    return np.sum(np.sum(inner, axis=1))


def go_colville(x):
    return (
        100 * (x[0] - x[1] ** 2) ** 2
        + (1 - x[0]) ** 2
        + (1 - x[2]) ** 2
        + 90 * (x[3] - x[2] ** 2) ** 2
        + 10.1 * ((x[1] - 1) ** 2 + (x[3] - 1) ** 2)
        + 19.8 * (x[1] - 1) * (x[3] - 1)
    )


def go_corana(x):
    d = [1.0, 1000.0, 10.0, 100.0]
    r = 0
    for j in range(4):
        zj = np.floor(np.abs(x[j] / 0.2) + 0.49999) * np.sign(x[j]) * 0.2
        if np.abs(x[j] - zj) < 0.05:
            r += 0.15 * (zj - 0.05 * np.sign(zj)) ** 2 * d[j]
        else:
            r += d[j] * x[j] * x[j]
    return r


def go_cosine_mixture(x):
    return -0.1 * np.sum(np.cos(5.0 * np.pi * x)) + np.sum(x**2.0)


def go_cross_in_tray(x):
    return (
        -0.0001
        * (
            np.abs(
                np.sin(x[0])
                * np.sin(x[1])
                * np.exp(np.abs(100 - np.sqrt(x[0] ** 2 + x[1] ** 2) / np.pi))
            )
            + 1
        )
        ** 0.1
    )


def go_cross_leg_table(x):
    u = 100 - np.sqrt(x[0] ** 2 + x[1] ** 2) / np.pi
    v = np.sin(x[0]) * np.sin(x[1])
    return -((np.abs(v * np.exp(np.abs(u))) + 1) ** (-0.1))


def go_crowned_cross(x):
    u = 100 - np.sqrt(x[0] ** 2 + x[1] ** 2) / np.pi
    v = np.sin(x[0]) * np.sin(x[1])
    return 0.0001 * (np.abs(v * np.exp(np.abs(u))) + 1) ** 0.1


def go_csendes(x):
    try:
        return np.sum(x**6.0 * (2.0 + np.sin(1.0 / x)))
    except ZeroDivisionError:
        return np.nan
    except FloatingPointError:
        return np.nan


def go_cube(x):
    return 100.0 * (x[1] - x[0] ** 3.0) ** 2.0 + (1.0 - x[0]) ** 2.0


def go_damavandi(x):
    try:
        num = np.sin(np.pi * (x[0] - 2.0)) * np.sin(np.pi * (x[1] - 2.0))
        den = np.pi**2 * (x[0] - 2.0) * (x[1] - 2.0)
        factor1 = 1.0 - np.abs(num / den) ** 5.0
        factor2 = 2 + (x[0] - 7.0) ** 2.0 + 2 * (x[1] - 7.0) ** 2.0
        return factor1 * factor2
    except ZeroDivisionError:
        return np.nan


def go_deb01(x):
    return -(1.0 / 4) * np.sum(np.sin(5 * np.pi * x) ** 6.0)


def go_decanomial(x):
    val = x[1] ** 4 + 12 * x[1] ** 3 + 54 * x[1] ** 2 + 108 * x[1] + 81.0
    val2 = x[0] ** 10.0 - 20 * x[0] ** 9 + 180 * x[0] ** 8 - 960 * x[0] ** 7
    val2 += 3360 * x[0] ** 6 - 8064 * x[0] ** 5 + 13340 * x[0] ** 4
    val2 += -15360 * x[0] ** 3 + 11520 * x[0] ** 2 - 5120 * x[0] + 2624
    return 0.001 * (np.abs(val) + np.abs(val2)) ** 2.0


def go_deceptive(x):
    alpha = np.arange(1.0, 4 + 1.0) / (4 + 1.0)
    beta = 2.0
    g = np.zeros((4,))
    for i in range(4):
        if x[i] <= 0.0:
            g[i] = x[i]
        elif x[i] < 0.8 * alpha[i]:
            g[i] = -x[i] / alpha[i] + 0.8
        elif x[i] < alpha[i]:
            g[i] = 5.0 * x[i] / alpha[i] - 4.0
        elif x[i] < (1.0 + 4 * alpha[i]) / 5.0:
            g[i] = 5.0 * (x[i] - alpha[i]) / (alpha[i] - 1.0) + 1.0
        elif x[i] <= 1.0:
            g[i] = (x[i] - 1.0) / (1.0 - alpha[i]) + 4.0 / 5.0
        else:
            g[i] = x[i] - 1.0
    return -((1.0 / 4 * np.sum(g)) ** beta)


def go_deckkers_aarts(x):
    return (
        100000.0 * x[0] ** 2
        + x[1] ** 2
        - (x[0] ** 2 + x[1] ** 2) ** 2
        + 1e-05 * (x[0] ** 2 + x[1] ** 2) ** 4
    )


def go_deflected_corrugated_spring(x):
    K, alpha = (5.0, 5.0)
    return -np.cos(K * np.sqrt(np.sum((x - alpha) ** 2))) + 0.1 * np.sum((x - alpha) ** 2)


def go_dixon_price(x):
    i = np.arange(2, 4 + 1)
    s = i * (2.0 * x[1:] ** 2.0 - x[:-1]) ** 2.0
    return np.sum(s) + (x[0] - 1.0) ** 2.0


def go_dolan(x):
    return np.abs(
        (x[0] + 1.7 * x[1]) * np.sin(x[0])
        - 1.5 * x[2]
        - 0.1 * x[3] * np.cos(x[3] + x[4] - x[0])
        + 0.2 * x[4] ** 2
        - x[1]
        - 1
    )


def go_drop_wave(x):
    norm_x = np.sum(x**2)
    return -(1 + np.cos(12 * np.sqrt(norm_x))) / (0.5 * norm_x + 2)


def go_easom(x):
    a = (x[0] - np.pi) ** 2 + (x[1] - np.pi) ** 2
    return -np.cos(x[0]) * np.cos(x[1]) * np.exp(-a)


def go_eckerle4(x):
    vec = x[0] / x[1] * np.exp(-((ECKERLE4_B - x[2]) ** 2) / (2 * x[1] ** 2))
    return np.sum((ECKERLE4_A - vec) ** 2)


def go_egg_crate(x):
    return x[0] ** 2 + x[1] ** 2 + 25 * (np.sin(x[0]) ** 2 + np.sin(x[1]) ** 2)


def go_egg_holder(x):
    vec = -(x[1:] + 47) * np.sin(np.sqrt(np.abs(x[1:] + x[:-1] / 2.0 + 47))) - x[:-1] * np.sin(
        np.sqrt(np.abs(x[:-1] - (x[1:] + 47)))
    )
    return np.sum(vec)


def go_el_attar_vidyasagar_dutta(x):
    return (
        (x[0] ** 2 + x[1] - 10) ** 2
        + (x[0] + x[1] ** 2 - 7) ** 2
        + (x[0] ** 2 + x[1] ** 3 - 1) ** 2
    )


def go_exp2(x):
    i = np.arange(10.0)
    vec = (
        np.exp(-i * x[0] / 10.0) - 5 * np.exp(-i * x[1] / 10.0) - np.exp(-i / 10.0) + 5 * np.exp(-i)
    ) ** 2
    return np.sum(vec)


def go_exponential(x):
    return -np.exp(-0.5 * np.sum(x**2.0))


def go_freudenstein_roth(x):
    f1 = (-13.0 + x[0] + ((5.0 - x[1]) * x[1] - 2.0) * x[1]) ** 2
    f2 = (-29.0 + x[0] + ((x[1] + 1.0) * x[1] - 14.0) * x[1]) ** 2
    return f1 + f2


def go_gear(x):
    return (1.0 / 6.931 - np.floor(x[0]) * np.floor(x[1]) / np.floor(x[2]) / np.floor(x[3])) ** 2


def go_giunta(x):
    arg = 16 * x / 15.0 - 1
    return 0.6 + np.sum(np.sin(arg) + np.sin(arg) ** 2 + np.sin(4 * arg) / 50.0)


def go_goldstein_price(x):
    a = 1 + (x[0] + x[1] + 1) ** 2 * (
        19 - 14 * x[0] + 3 * x[0] ** 2 - 14 * x[1] + 6 * x[0] * x[1] + 3 * x[1] ** 2
    )
    b = 30 + (2 * x[0] - 3 * x[1]) ** 2 * (
        18 - 32 * x[0] + 12 * x[0] ** 2 + 48 * x[1] - 36 * x[0] * x[1] + 27 * x[1] ** 2
    )
    return a * b


def go_griewank(x):
    i = np.arange(1.0, np.size(x) + 1.0)
    return np.sum(x**2 / 4000) - np.prod(np.cos(x / np.sqrt(i))) + 1


def go_gulf(x):
    m = 99.0
    i = np.arange(1.0, m + 1)
    u = 25 + (-50 * np.log(i / 100.0)) ** (2 / 3.0)
    vec = np.exp(-(np.abs(u - x[1]) ** x[2] / x[0])) - i / 100.0
    return np.sum(vec**2)


def go_hansen(x):
    i = np.arange(5.0)
    a = (i + 1) * np.cos(i * x[0] + i + 1)
    b = (i + 1) * np.cos((i + 2) * x[1] + i + 1)
    return np.sum(a) * np.sum(b)


def go_hartmann3(x):
    XX = np.atleast_2d(x)
    d = np.sum(HARTMANN3_A * (XX - HARTMANN3_P) ** 2, axis=1)
    return -np.sum(HARTMANN3_C * np.exp(-d))


def go_hartmann6(x):
    XX = np.atleast_2d(x)
    d = np.sum(HARTMANN6_A * (XX - HARTMANN6_P) ** 2, axis=1)
    return -np.sum(HARTMANN6_C * np.exp(-d))


def go_helical_valley(x):
    r = np.sqrt(x[0] ** 2 + x[1] ** 2)
    theta = 1 / (2.0 * np.pi) * np.arctan2(x[1], x[0])
    return x[2] ** 2 + 100 * ((x[2] - 10 * theta) ** 2 + (r - 1) ** 2)


def go_himmel_blau(x):
    return (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2


def go_holder_table(x):
    return -np.abs(
        np.sin(x[0]) * np.cos(x[1]) * np.exp(np.abs(1 - np.sqrt(x[0] ** 2 + x[1] ** 2) / np.pi))
    )


def go_hosaki(x):
    val = 1 - 8 * x[0] + 7 * x[0] ** 2 - 7 / 3.0 * x[0] ** 3 + 0.25 * x[0] ** 4
    return val * x[1] ** 2 * np.exp(-x[1])


def go_infinity(x):
    return np.sum(x**6.0 * (np.sin(1.0 / x) + 2.0))


def go_jennrich_sampson(x):
    i = np.arange(1, 11)
    return np.sum((2 + 2 * i - (np.exp(i * x[0]) + np.exp(i * x[1]))) ** 2)


def go_judge(x):
    return np.sum((x[0] + x[1] * JUDGE_A + x[1] ** 2.0 * JUDGE_B - JUDGE_C) ** 2.0)


def go_keane(x):
    val = np.sin(x[0] - x[1]) ** 2 * np.sin(x[0] + x[1]) ** 2
    return val / np.sqrt(x[0] ** 2 + x[1] ** 2)


def go_kowalik(x):
    vec = KOWALIK_B - x[0] * (KOWALIK_A**2 + KOWALIK_A * x[1]) / (
        KOWALIK_A**2 + KOWALIK_A * x[2] + x[3]
    )
    return np.sum(vec**2)


def go_langermann(x):
    a = [3, 5, 2, 1, 7]
    b = [5, 2, 1, 4, 9]
    c = [1, 2, 5, 2, 3]
    return -np.sum(
        c
        * np.exp(-(1 / np.pi) * ((x[0] - a) ** 2 + (x[1] - b) ** 2))
        * np.cos(np.pi * ((x[0] - a) ** 2 + (x[1] - b) ** 2))
    )


def go_leon(x):
    return 100.0 * (x[1] - x[0] ** 2.0) ** 2.0 + (1 - x[0]) ** 2.0


def go_levy03(x):
    y = 1 + (x - 1) / 4
    v = np.sum((y[:-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * y[1:]) ** 2))
    z = (y[-1] - 1) ** 2
    return np.sin(np.pi * y[0]) ** 2 + v + z


def go_levy05(x):
    i = np.arange(1, 6)
    a = i * np.cos((i - 1) * x[0] + i)
    b = i * np.cos((i + 1) * x[1] + i)
    return np.sum(a) * np.sum(b) + (x[0] + 1.42513) ** 2 + (x[1] + 0.80032) ** 2


def go_levy13(x):
    u = np.sin(3 * np.pi * x[0]) ** 2
    v = (x[0] - 1) ** 2 * (1 + np.sin(3 * np.pi * x[1]) ** 2)
    w = (x[1] - 1) ** 2 * (1 + np.sin(2 * np.pi * x[1]) ** 2)
    return u + v + w


CASES = [
    Case(go_ackley01, (np.array([-0.29, -0.91, -2.13, -0.98]),), (0,), extra="hvp"),
    Case(go_ackley02, (np.array([0.78, 0.8]),), (0,), extra="hvp"),
    Case(go_ackley03, (np.array([-2.14, -0.62]),), (0,), extra="hvp"),
    Case(go_adjiman, (np.array([-0.27, 0.34]),), (0,), extra="hvp"),
    Case(go_alpine01, (np.array([-2.15, -0.09, 0.74, -1.91]),), (0,), extra="hvp"),
    Case(go_alpine02, (np.array([7.01, 4.66, 5.56, 4.89]),), (0,), extra="hvp"),
    Case(go_amgm, (np.array([5.56, 3.95, 5.69, 6.16]),), (0,), extra="hvp"),
    Case(go_bartels_conn, (np.array([1.37, 0.13]),), (0,), extra="hvp"),
    Case(go_beale, (np.array([-1.0, 0.7]),), (0,), extra="hvp"),
    Case(go_biggs_exp02, (np.array([8.39, 11.39]),), (0,), extra="hvp"),
    Case(go_biggs_exp03, (np.array([9.1, 10.74, 10.38]),), (0,), extra="hvp"),
    Case(go_biggs_exp04, (np.array([11.37, 10.23, 12.1, 9.91]),), (0,), extra="hvp"),
    Case(go_biggs_exp05, (np.array([8.66, 10.11, 9.78, 10.84, 8.77]),), (0,), extra="hvp"),
    Case(go_bird, (np.array([0.09, 0.45]),), (0,), extra="hvp"),
    Case(go_bohachevsky1, (np.array([0.64, 0.46]),), (0,), extra="hvp"),
    Case(go_bohachevsky2, (np.array([-1.53, 1.22]),), (0,), extra="hvp"),
    Case(go_bohachevsky3, (np.array([-0.72, 2.04]),), (0,), extra="hvp"),
    Case(go_box_betts, (np.array([0.96, 11.06, 1.03]),), (0,), extra="hvp"),
    Case(go_branin01, (np.array([2.87, 5.57]),), (0,), extra="hvp"),
    Case(go_branin02, (np.array([4.37, 3.05]),), (0,), extra="hvp"),
    Case(go_brent, (np.array([2.05, -1.28]),), (0,), extra="hvp"),
    Case(go_brown, (np.array([2.96, 0.21, 2.25, -0.01]),), (0,), extra="hvp"),
    Case(go_bukin02, (np.array([-11.74, -1.74]),), (0,), extra="hvp"),
    Case(go_bukin04, (np.array([-8.82, 0.15]),), (0,), extra="hvp"),
    Case(go_bukin06, (np.array([-11.81, -1.13]),), (0,), extra="hvp"),
    Case(go_carrom_table, (np.array([-1.6, -0.52]),), (0,), extra="hvp"),
    Case(go_chichinadze, (np.array([2.14, -0.21]),), (0,), extra="hvp"),
    Case(go_cigar, (np.array([1.1, 1.11, 0.06, -0.77]),), (0,), extra="hvp"),
    Case(
        go_cola,
        (
            np.array(
                [
                    2.89,
                    -0.58,
                    -0.06,
                    1.8,
                    1.55,
                    -0.3,
                    2.07,
                    0.59,
                    -0.63,
                    -0.79,
                    0.75,
                    1.41,
                    0.87,
                    1.09,
                    -0.63,
                    0.55,
                    -1.87,
                ]
            ),
        ),
        (0,),
        extra="hvp",
    ),
    Case(go_colville, (np.array([-0.12, 1.41, -1.7, -1.25]),), (0,), extra="hvp"),
    Case(go_corana, (np.array([0.09, 0.04, 1.72, -1.61]),), (0,), extra="hvp"),
    Case(go_cosine_mixture, (np.array([0.37, -0.65, 0.33, 0.22]),), (0,), extra="hvp"),
    Case(go_cross_in_tray, (np.array([-0.47, 1.29]),), (0,), extra="hvp"),
    Case(go_cross_leg_table, (np.array([-1.6, -0.52]),), (0,), extra="hvp"),
    Case(go_crowned_cross, (np.array([-1.58, 1.38]),), (0,), extra="hvp"),
    Case(go_csendes, (np.array([0.33, -0.51, -0.88, -0.22]),), (0,), extra="hvp"),
    Case(go_cube, (np.array([1.05, -1.36]),), (0,), extra="hvp"),
    Case(go_damavandi, (np.array([5.71, 8.78]),), (0,), extra="hvp"),
    Case(go_deb01, (np.array([-0.19, -0.01, 0.32, -0.79]),), (0,), extra="hvp"),
    Case(go_decanomial, (np.array([2.18, -0.36]),), (0,), extra="hvp"),
    Case(go_deceptive, (np.array([0.18, 0.72, 0.91, 0.35]),), (0,), extra="hvp"),
    Case(go_deckkers_aarts, (np.array([1.67, 0.55]),), (0,), extra="hvp"),
    Case(go_deflected_corrugated_spring, (np.array([3.94, 5.21, 6.2, 6.69]),), (0,), extra="hvp"),
    Case(go_dixon_price, (np.array([0.53, -0.97, 0.46, -1.43]),), (0,), extra="hvp"),
    Case(go_dolan, (np.array([-0.44, 0.23, -0.43, 0.59, -0.85]),), (0,), extra="hvp"),
    Case(go_drop_wave, (np.array([-0.16, 2.1]),), (0,), extra="hvp"),
    Case(go_easom, (np.array([0.19, -1.2]),), (0,), extra="hvp"),
    Case(go_eckerle4, (np.array([9.2, 10.22, 305.32]),), (0,), extra="hvp"),
    Case(go_egg_crate, (np.array([-0.42, -0.67]),), (0,), extra="hvp"),
    Case(go_egg_holder, (np.array([1.22, -0.95, 2.17, -0.78]),), (0,), extra="hvp"),
    Case(go_el_attar_vidyasagar_dutta, (np.array([-2.14, -1.17]),), (0,), extra="hvp"),
    Case(go_exp2, (np.array([9.14, 8.92]),), (0,), extra="hvp"),
    Case(go_exponential, (np.array([0.14, 0.12, 0.77, 0.7]),), (0,), extra="hvp"),
    Case(go_freudenstein_roth, (np.array([-0.83, -0.98]),), (0,), extra="hvp"),
    Case(go_gear, (np.array([36.86, 36.32, 37.78, 37.36]),), (0,), extra="hvp"),
    Case(go_giunta, (np.array([-0.22, 0.34]),), (0,), extra="hvp"),
    Case(go_goldstein_price, (np.array([0.43, -0.77]),), (0,), extra="hvp"),
    Case(go_griewank, (np.array([-1.28, -1.83, 1.79, -1.92]),), (0,), extra="hvp"),
    Case(go_gulf, (np.array([24.23, 23.39, 24.58]),), (0,), extra="hvp"),
    Case(go_hansen, (np.array([0.82, -0.24]),), (0,), extra="hvp"),
    Case(go_hartmann3, (np.array([0.29, 0.78, 0.58]),), (0,), extra="hvp"),
    Case(go_hartmann6, (np.array([0.12, 0.61, 0.79, 0.82, 0.76, 0.65]),), (0,), extra="hvp"),
    Case(go_helical_valley, (np.array([-0.18, -1.97, -0.55]),), (0,), extra="hvp"),
    Case(go_himmel_blau, (np.array([0.87, -0.24]),), (0,), extra="hvp"),
    Case(go_holder_table, (np.array([-1.6, -0.52]),), (0,), extra="hvp"),
    Case(go_hosaki, (np.array([3.5, 3.72]),), (0,), extra="hvp"),
    Case(go_infinity, (np.array([-0.8, -0.21, -0.16, -0.82]),), (0,), extra="hvp"),
    Case(go_jennrich_sampson, (np.array([0.35, -0.25]),), (0,), extra="hvp"),
    Case(go_judge, (np.array([-1.74, -0.98]),), (0,), extra="hvp"),
    Case(go_keane, (np.array([2.89, 2.89]),), (0,), extra="hvp"),
    Case(go_kowalik, (np.array([-1.24, 1.53, 1.01, -1.41]),), (0,), extra="hvp"),
    Case(go_langermann, (np.array([5.06, 4.23]),), (0,), extra="hvp"),
    Case(go_leon, (np.array([0.72, 0.72]),), (0,), extra="hvp"),
    Case(go_levy03, (np.array([-1.29, -0.94]),), (0,), extra="hvp"),
    Case(go_levy05, (np.array([-2.24, -1.44]),), (0,), extra="hvp"),
    Case(go_levy13, (np.array([-0.24, 0.05]),), (0,), extra="hvp"),
]
