"""Ported cases (session 23, corp23): SciPy's global-optimisation benchmark functions, second
half (go_funcs_M..Z.py and go_funcs_univariate.py): Michalewicz, Mishra, Paviani, Penalty, Perm,
Powell, Rastrigin, Ratkowsky, Rosenbrock (also through scipy.optimize.rosen), Salomon, Schwefel,
Shekel, Shubert, Styblinski-Tang, Thurber, Trid, Ursem, Vincent, Watson, Whitley, Xin-She Yang,
Zakharov, Zettl and the one-dimensional problems, each a user function of one float vector.

Float vector -> scalar; every row is also checked at second order (``extra="hvp"``). Each example
point was chosen where the function is smooth (central differences agree at two step sizes)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import rosen
from scipy.special import factorial

from . import Case

ODD_SQUARE_A = [
    1.0,
    1.3,
    0.8,
    -0.4,
    -1.3,
    1.6,
    -0.2,
    -0.6,
    0.5,
    1.4,
    1.0,
    1.3,
    0.8,
    -0.4,
    -1.3,
    1.6,
    -0.2,
    -0.6,
    0.5,
    1.4,
]
ODD_SQUARE_A = np.array(ODD_SQUARE_A)
RATKOWSKY01_B = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0]
RATKOWSKY01_B = np.array(RATKOWSKY01_B)
RATKOWSKY01_A = [
    16.08,
    33.83,
    65.8,
    97.2,
    191.55,
    326.2,
    386.87,
    520.53,
    590.03,
    651.92,
    724.93,
    699.56,
    689.96,
    637.56,
    717.41,
]
RATKOWSKY01_A = np.array(RATKOWSKY01_A)
RATKOWSKY02_B = [9.0, 14.0, 21.0, 28.0, 42.0, 57.0, 63.0, 70.0, 79.0]
RATKOWSKY02_B = np.array(RATKOWSKY02_B)
RATKOWSKY02_A = [8.93, 10.8, 18.59, 22.33, 39.35, 56.11, 61.73, 64.62, 67.08]
RATKOWSKY02_A = np.array(RATKOWSKY02_A)
SHEKEL05_A = [
    [4.0, 4.0, 4.0, 4.0],
    [1.0, 1.0, 1.0, 1.0],
    [8.0, 8.0, 8.0, 8.0],
    [6.0, 6.0, 6.0, 6.0],
    [3.0, 7.0, 3.0, 7.0],
]
SHEKEL05_A = np.array(SHEKEL05_A)
SHEKEL05_C = [0.1, 0.2, 0.2, 0.4, 0.4]
SHEKEL05_C = np.array(SHEKEL05_C)
SHEKEL07_A = [
    [4.0, 4.0, 4.0, 4.0],
    [1.0, 1.0, 1.0, 1.0],
    [8.0, 8.0, 8.0, 8.0],
    [6.0, 6.0, 6.0, 6.0],
    [3.0, 7.0, 3.0, 7.0],
    [2.0, 9.0, 2.0, 9.0],
    [5.0, 5.0, 3.0, 3.0],
]
SHEKEL07_A = np.array(SHEKEL07_A)
SHEKEL07_C = [0.1, 0.2, 0.2, 0.4, 0.4, 0.6, 0.3]
SHEKEL07_C = np.array(SHEKEL07_C)
SHEKEL10_A = [
    [4.0, 4.0, 4.0, 4.0],
    [1.0, 1.0, 1.0, 1.0],
    [8.0, 8.0, 8.0, 8.0],
    [6.0, 6.0, 6.0, 6.0],
    [3.0, 7.0, 3.0, 7.0],
    [2.0, 9.0, 2.0, 9.0],
    [5.0, 5.0, 3.0, 3.0],
    [8.0, 1.0, 8.0, 1.0],
    [6.0, 2.0, 6.0, 2.0],
    [7.0, 3.6, 7.0, 3.6],
]
SHEKEL10_A = np.array(SHEKEL10_A)
SHEKEL10_C = [0.1, 0.2, 0.2, 0.4, 0.4, 0.6, 0.3, 0.7, 0.5, 0.5]
SHEKEL10_C = np.array(SHEKEL10_C)
THURBER_B = [
    -3.067,
    -2.981,
    -2.921,
    -2.912,
    -2.84,
    -2.797,
    -2.702,
    -2.699,
    -2.633,
    -2.481,
    -2.363,
    -2.322,
    -1.501,
    -1.46,
    -1.274,
    -1.212,
    -1.1,
    -1.046,
    -0.915,
    -0.714,
    -0.566,
    -0.545,
    -0.4,
    -0.309,
    -0.109,
    -0.103,
    0.01,
    0.119,
    0.377,
    0.79,
    0.963,
    1.006,
    1.115,
    1.572,
    1.841,
    2.047,
    2.2,
]
THURBER_B = np.array(THURBER_B)
THURBER_A = [
    80.574,
    84.248,
    87.264,
    87.195,
    89.076,
    89.608,
    89.868,
    90.101,
    92.405,
    95.854,
    100.696,
    101.06,
    401.672,
    390.724,
    567.534,
    635.316,
    733.054,
    759.087,
    894.206,
    990.785,
    1090.109,
    1080.914,
    1122.643,
    1178.351,
    1260.531,
    1273.514,
    1288.339,
    1327.543,
    1353.863,
    1414.509,
    1425.208,
    1421.384,
    1442.962,
    1464.35,
    1468.705,
    1447.894,
    1457.628,
]
THURBER_A = np.array(THURBER_A)


def go_matyas(x):
    return 0.26 * (x[0] ** 2 + x[1] ** 2) - 0.48 * x[0] * x[1]


def go_mc_cormick(x):
    return np.sin(x[0] + x[1]) + (x[0] - x[1]) ** 2 - 1.5 * x[0] + 2.5 * x[1] + 1


def go_michalewicz(x):
    m = 10.0
    i = np.arange(1, 2 + 1)
    return -np.sum(np.sin(x) * np.sin(i * x**2 / np.pi) ** (2 * m))


def go_miele_cantrell(x):
    return (
        (np.exp(-x[0]) - x[1]) ** 4
        + 100 * (x[1] - x[2]) ** 6
        + np.tan(x[2] - x[3]) ** 4
        + x[0] ** 8
    )


def go_mishra01(x):
    xn = 4 - np.sum(x[0:-1])
    return (1 + xn) ** xn


def go_mishra02(x):
    xn = 4 - np.sum((x[:-1] + x[1:]) / 2.0)
    return (1 + xn) ** xn


def go_mishra03(x):
    return 0.01 * (x[0] + x[1]) + np.sqrt(np.abs(np.cos(np.sqrt(np.abs(x[0] ** 2 + x[1] ** 2)))))


def go_mishra04(x):
    return 0.01 * (x[0] + x[1]) + np.sqrt(np.abs(np.sin(np.sqrt(np.abs(x[0] ** 2 + x[1] ** 2)))))


def go_mishra05(x):
    return (
        0.01 * x[0]
        + 0.1 * x[1]
        + (
            np.sin((np.cos(x[0]) + np.cos(x[1])) ** 2) ** 2
            + np.cos((np.sin(x[0]) + np.sin(x[1])) ** 2) ** 2
            + x[0]
        )
        ** 2
    )


def go_mishra06(x):
    a = 0.1 * ((x[0] - 1) ** 2 + (x[1] - 1) ** 2)
    u = (np.cos(x[0]) + np.cos(x[1])) ** 2
    v = (np.sin(x[0]) + np.sin(x[1])) ** 2
    return a - np.log((np.sin(u) ** 2 - np.cos(v) ** 2 + x[0]) ** 2)


def go_mishra07(x):
    return (np.prod(x) - factorial(4)) ** 2.0


def go_mishra08(x):
    val = np.abs(
        x[0] ** 10
        - 20 * x[0] ** 9
        + 180 * x[0] ** 8
        - 960 * x[0] ** 7
        + 3360 * x[0] ** 6
        - 8064 * x[0] ** 5
        + 13340 * x[0] ** 4
        - 15360 * x[0] ** 3
        + 11520 * x[0] ** 2
        - 5120 * x[0]
        + 2624
    )
    val += np.abs(x[1] ** 4 + 12 * x[1] ** 3 + 54 * x[1] ** 2 + 108 * x[1] + 81)
    return 0.001 * val**2


def go_mishra09(x):
    a = 2 * x[0] ** 3 + 5 * x[0] * x[1] + 4 * x[2] - 2 * x[0] ** 2 * x[2] - 18
    b = x[0] + x[1] ** 3 + x[0] * x[1] ** 2 + x[0] * x[2] ** 2 - 22.0
    c = 8 * x[0] ** 2 + 2 * x[1] * x[2] + 2 * x[1] ** 2 + 3 * x[1] ** 3 - 52
    return (a * c * b**2 + a * b * c**2 + b**2 + (x[0] + x[1] - x[2]) ** 2) ** 2


def go_mishra10(x):
    x1, x2 = (int(x[0]), int(x[1]))
    f1 = x1 + x2
    f2 = x1 * x2
    return (f1 - f2) ** 2.0


def go_mishra11(x):
    N = 4
    return (1.0 / N * np.sum(np.abs(x)) - np.prod(np.abs(x)) ** 1.0 / N) ** 2.0


def go_multi_modal(x):
    return np.sum(np.abs(x)) * np.prod(np.abs(x))


def go_needle_eye(x):
    f = fp = 0.0
    eye = 0.0001
    for val in x:
        if np.abs(val) >= eye:
            fp = 1.0
            f += 100.0 + np.abs(val)
        else:
            f += 1.0
    if fp < 1e-06:
        f = f / 4
    return f


def go_new_function01(x):
    return np.abs(np.cos(np.sqrt(np.abs(x[0] ** 2 + x[1])))) ** 0.5 + 0.01 * (x[0] + x[1])


def go_new_function02(x):
    return np.abs(np.sin(np.sqrt(np.abs(x[0] ** 2 + x[1])))) ** 0.5 + 0.01 * (x[0] + x[1])


def go_odd_square(x):
    b = ODD_SQUARE_A[0:2]
    d = 2 * max((x - b) ** 2.0)
    h = np.sum((x - b) ** 2.0)
    return -np.exp(-d / (2.0 * np.pi)) * np.cos(np.pi * d) * (1.0 + 0.02 * h / (d + 0.01))


def go_parsopoulos(x):
    return np.cos(x[0]) ** 2.0 + np.sin(x[1]) ** 2.0


def go_pathological(x):
    vec = 0.5 + (np.sin(np.sqrt(100 * x[:-1] ** 2 + x[1:] ** 2)) ** 2 - 0.5) / (
        1.0 + 0.001 * (x[:-1] ** 2 - 2 * x[:-1] * x[1:] + x[1:] ** 2) ** 2
    )
    return np.sum(vec)


def go_paviani(x):
    return np.sum(np.log(x - 2) ** 2.0 + np.log(10.0 - x) ** 2.0) - np.prod(x) ** 0.2


def go_penalty01(x):
    a, b, c = (10.0, 100.0, 4.0)
    xx = np.abs(x)
    u = np.where(xx > a, b * (xx - a) ** c, 0.0)
    y = 1.0 + (x + 1.0) / 4.0
    return np.sum(u) + np.pi / 30.0 * (
        10.0 * np.sin(np.pi * y[0]) ** 2.0
        + np.sum((y[:-1] - 1.0) ** 2.0 * (1.0 + 10.0 * np.sin(np.pi * y[1:]) ** 2.0))
        + (y[-1] - 1) ** 2.0
    )


def go_penalty02(x):
    a, b, c = (5.0, 100.0, 4.0)
    xx = np.abs(x)
    u = np.where(xx > a, b * (xx - a) ** c, 0.0)
    return np.sum(u) + 0.1 * (
        10 * np.sin(3.0 * np.pi * x[0]) ** 2.0
        + np.sum((x[:-1] - 1.0) ** 2.0 * (1.0 + np.sin(3 * np.pi * x[1:]) ** 2.0))
        + (x[-1] - 1) ** 2.0 * (1 + np.sin(2 * np.pi * x[-1]) ** 2.0)
    )


def go_pen_holder(x):
    a = np.abs(1.0 - np.sqrt(x[0] ** 2 + x[1] ** 2) / np.pi)
    b = np.cos(x[0]) * np.cos(x[1]) * np.exp(a)
    return -np.exp(-(np.abs(b) ** (-1)))


def go_perm_function01(x):
    b = 0.5
    k = np.atleast_2d(np.arange(4) + 1).T
    j = np.atleast_2d(np.arange(4) + 1)
    s = (j**k + b) * ((x / j) ** k - 1)
    return np.sum(np.sum(s, axis=1) ** 2)


def go_perm_function02(x):
    b = 10
    k = np.atleast_2d(np.arange(4) + 1).T
    j = np.atleast_2d(np.arange(4) + 1)
    s = (j + b) * (x**k - (1.0 / j) ** k)
    return np.sum(np.sum(s, axis=1) ** 2)


def go_pinter(x):
    i = np.arange(4) + 1
    xx = np.zeros(4 + 2)
    xx[1:-1] = x
    xx[0] = x[-1]
    xx[-1] = x[0]
    A = xx[0:-2] * np.sin(xx[1:-1]) + np.sin(xx[2:])
    B = xx[0:-2] ** 2 - 2 * xx[1:-1] + 3 * xx[2:] - np.cos(xx[1:-1]) + 1
    return np.sum(i * x**2) + np.sum(20 * i * np.sin(A) ** 2) + np.sum(i * np.log10(1 + i * B**2))


def go_plateau(x):
    return 30.0 + np.sum(np.floor(np.abs(x)))


def go_powell(x):
    return (
        (x[0] + 10 * x[1]) ** 2
        + 5 * (x[2] - x[3]) ** 2
        + (x[1] - 2 * x[2]) ** 4
        + 10 * (x[0] - x[3]) ** 4
    )


def go_power_sum(x):
    b = [8.0, 18.0, 44.0, 114.0]
    k = np.atleast_2d(np.arange(4) + 1).T
    return np.sum((np.sum(x**k, axis=1) - b) ** 2)


def go_price01(x):
    return (np.abs(x[0]) - 5.0) ** 2.0 + (np.abs(x[1]) - 5.0) ** 2.0


def go_price02(x):
    return 1.0 + np.sum(np.sin(x) ** 2) - 0.1 * np.exp(-(x[0] ** 2.0) - x[1] ** 2.0)


def go_price03(x):
    return 100 * (x[1] - x[0] ** 2) ** 2 + (6.4 * (x[1] - 0.5) ** 2 - x[0] - 0.6) ** 2


def go_price04(x):
    return (2.0 * x[1] * x[0] ** 3.0 - x[1] ** 3.0) ** 2.0 + (
        6.0 * x[0] - x[1] ** 2.0 + x[1]
    ) ** 2.0


def go_qing(x):
    i = np.arange(1, 4 + 1)
    return np.sum((x**2.0 - i) ** 2.0)


def go_quadratic(x):
    return (
        -3803.84
        - 138.08 * x[0]
        - 232.92 * x[1]
        + 128.08 * x[0] ** 2.0
        + 203.64 * x[1] ** 2.0
        + 182.25 * x[0] * x[1]
    )


def go_quintic(x):
    return np.sum(np.abs(x**5 - 3 * x**4 + 4 * x**3 + 2 * x**2 - 10 * x - 4))


def go_rana(x):
    t1 = np.sqrt(np.abs(x[1:] + x[:-1] + 1))
    t2 = np.sqrt(np.abs(x[1:] - x[:-1] + 1))
    v = (x[1:] + 1) * np.cos(t2) * np.sin(t1) + x[:-1] * np.cos(t1) * np.sin(t2)
    return np.sum(v)


def go_rastrigin(x):
    return 10.0 * 4 + np.sum(x**2.0 - 10.0 * np.cos(2.0 * np.pi * x))


def go_ratkowsky01(x):
    vec = x[0] / (1 + np.exp(x[1] - x[2] * RATKOWSKY01_B)) ** (1 / x[3])
    return np.sum((RATKOWSKY01_A - vec) ** 2)


def go_ratkowsky02(x):
    vec = x[0] / (1 + np.exp(x[1] - x[2] * RATKOWSKY02_B))
    return np.sum((RATKOWSKY02_A - vec) ** 2)


def go_rosenbrock(x):
    return rosen(x)


def go_rosenbrock_modified(x):
    a = 74 + 100.0 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
    a -= 400 * np.exp(-((x[0] + 1.0) ** 2 + (x[1] + 1.0) ** 2) / 0.1)
    return a


def go_rotated_ellipse01(x):
    return 7.0 * x[0] ** 2.0 - 6.0 * np.sqrt(3) * x[0] * x[1] + 13 * x[1] ** 2.0


def go_rotated_ellipse02(x):
    return x[0] ** 2.0 - x[0] * x[1] + x[1] ** 2.0


def go_salomon(x):
    u = np.sqrt(np.sum(x**2))
    return 1 - np.cos(2 * np.pi * u) + 0.1 * u


def go_sargan(x):
    x0 = x[:-1]
    x1 = np.roll(x, -1)[:-1]
    return np.sum(4 * (x**2 + 0.4 * np.sum(x0 * x1)))


def go_schaffer01(x):
    u = x[0] ** 2 + x[1] ** 2
    num = np.sin(u) ** 2 - 0.5
    den = (1 + 0.001 * u) ** 2
    return 0.5 + num / den


def go_schaffer02(x):
    num = np.sin(x[0] ** 2 - x[1] ** 2) ** 2 - 0.5
    den = (1 + 0.001 * (x[0] ** 2 + x[1] ** 2)) ** 2
    return 0.5 + num / den


def go_schaffer03(x):
    num = np.sin(np.cos(np.abs(x[0] ** 2 - x[1] ** 2))) ** 2 - 0.5
    den = (1 + 0.001 * (x[0] ** 2 + x[1] ** 2)) ** 2
    return 0.5 + num / den


def go_schaffer04(x):
    num = np.cos(np.sin(np.abs(x[0] ** 2 - x[1] ** 2))) ** 2 - 0.5
    den = (1 + 0.001 * (x[0] ** 2 + x[1] ** 2)) ** 2
    return 0.5 + num / den


def go_schwefel01(x):
    alpha = np.sqrt(np.pi)
    return np.sum(x**2.0) ** alpha


def go_schwefel02(x):
    mat = np.repeat(np.atleast_2d(x), 4, axis=0)
    inner = np.sum(np.tril(mat), axis=1)
    return np.sum(inner**2)


def go_schwefel04(x):
    return np.sum((x - 1.0) ** 2.0 + (x[0] - x**2.0) ** 2.0)


def go_schwefel06(x):
    return max(np.abs(x[0] + 2 * x[1] - 7), np.abs(2 * x[0] + x[1] - 5))


def go_schwefel20(x):
    return np.sum(np.abs(x))


def go_schwefel21(x):
    return max(np.abs(x))


def go_schwefel22(x):
    return np.sum(np.abs(x)) + np.prod(np.abs(x))


def go_schwefel26(x):
    return 418.982887 * 4 - np.sum(x * np.sin(np.sqrt(np.abs(x))))


def go_schwefel36(x):
    return -x[0] * x[1] * (72 - 2 * x[0] - 2 * x[1])


def go_shekel05(x):
    return -np.sum(1 / (np.sum((x - SHEKEL05_A) ** 2, axis=1) + SHEKEL05_C))


def go_shekel07(x):
    return -np.sum(1 / (np.sum((x - SHEKEL07_A) ** 2, axis=1) + SHEKEL07_C))


def go_shekel10(x):
    return -np.sum(1 / (np.sum((x - SHEKEL10_A) ** 2, axis=1) + SHEKEL10_C))


def go_shubert01(x):
    j = np.atleast_2d(np.arange(1, 6)).T
    y = j * np.cos((j + 1) * x + j)
    return np.prod(np.sum(y, axis=0))


def go_shubert03(x):
    j = np.atleast_2d(np.arange(1, 6)).T
    y = -j * np.sin((j + 1) * x + j)
    return np.sum(np.sum(y))


def go_shubert04(x):
    j = np.atleast_2d(np.arange(1, 6)).T
    y = -j * np.cos((j + 1) * x + j)
    return np.sum(np.sum(y))


def go_sine_envelope(x):
    X0 = x[:-1]
    X1 = x[1:]
    X02X12 = X0**2 + X1**2
    return np.sum((np.sin(np.sqrt(X02X12)) ** 2 - 0.5) / (1 + 0.001 * X02X12) ** 2 + 0.5)


def go_six_hump_camel(x):
    return (
        (4 - 2.1 * x[0] ** 2 + x[0] ** 4 / 3) * x[0] ** 2
        + x[0] * x[1]
        + (4 * x[1] ** 2 - 4) * x[1] ** 2
    )


def go_sodp(x):
    i = np.arange(1, 4 + 1)
    return np.sum(np.abs(x) ** (i + 1))


def go_sphere(x):
    return np.sum(x**2)


def go_step(x):
    return np.sum(np.floor(np.abs(x)))


def go_step2(x):
    return np.sum((np.floor(x) + 0.5) ** 2.0)


def go_stretched_v(x):
    t = x[1:] ** 2 + x[:-1] ** 2
    return np.sum(t**0.25 * np.sin(50.0 * t**0.1 + 1) ** 2)


def go_styblinski_tang(x):
    return np.sum(x**4 - 16 * x**2 + 5 * x) / 2


def go_test_tube_holder(x):
    u = np.sin(x[0]) * np.cos(x[1])
    v = (x[0] ** 2 + x[1] ** 2) / 200
    return -4 * np.abs(u * np.exp(np.abs(np.cos(v))))


def go_thurber(x):
    vec = x[0] + x[1] * THURBER_B + x[2] * THURBER_B**2 + x[3] * THURBER_B**3
    vec /= 1 + x[4] * THURBER_B + x[5] * THURBER_B**2 + x[6] * THURBER_B**3
    return np.sum((THURBER_A - vec) ** 2)


def go_treccani(x):
    return x[0] ** 4 + 4.0 * x[0] ** 3 + 4.0 * x[0] ** 2 + x[1] ** 2


def go_three_hump_camel(x):
    return 2.0 * x[0] ** 2.0 - 1.05 * x[0] ** 4.0 + x[0] ** 6 / 6.0 + x[0] * x[1] + x[1] ** 2.0


def go_trid(x):
    return np.sum((x - 1.0) ** 2.0) - np.sum(x[1:] * x[:-1])


def go_trigonometric01(x):
    i = np.atleast_2d(np.arange(1.0, 4 + 1)).T
    inner = np.cos(x) + i * (1 - np.cos(x) - np.sin(x))
    return np.sum((4 - np.sum(inner, axis=1)) ** 2)


def go_tripod(x):
    p1 = float(x[0] >= 0)
    p2 = float(x[1] >= 0)
    return (
        p2 * (1.0 + p1)
        + np.abs(x[0] + 50.0 * p2 * (1.0 - 2.0 * p1))
        + np.abs(x[1] + 50.0 * (1.0 - 2.0 * p2))
    )


def go_ursem01(x):
    return -np.sin(2 * x[0] - 0.5 * np.pi) - 3.0 * np.cos(x[1]) - 0.5 * x[0]


def go_ursem03(x):
    u = -(
        np.sin(2.2 * np.pi * x[0] + 0.5 * np.pi)
        * ((2.0 - np.abs(x[0])) / 2.0)
        * ((3.0 - np.abs(x[0])) / 2)
    )
    v = -(
        np.sin(2.2 * np.pi * x[1] + 0.5 * np.pi)
        * ((2.0 - np.abs(x[1])) / 2)
        * ((3.0 - np.abs(x[1])) / 2)
    )
    return u + v


def go_ursem04(x):
    return -3 * np.sin(0.5 * np.pi * x[0] + 0.5 * np.pi) * (2 - np.sqrt(x[0] ** 2 + x[1] ** 2)) / 4


def go_ursem_waves(x):
    u = -0.9 * x[0] ** 2
    v = (x[1] ** 2 - 4.5 * x[1] ** 2) * x[0] * x[1]
    w = 4.7 * np.cos(3 * x[0] - x[1] ** 2 * (2 + x[0])) * np.sin(2.5 * np.pi * x[0])
    return u + v + w


def go_venter_sobiezcczanski_sobieski(x):
    u = x[0] ** 2.0 - 100.0 * np.cos(x[0]) ** 2.0
    v = -100.0 * np.cos(x[0] ** 2.0 / 30.0) + x[1] ** 2.0
    w = -100.0 * np.cos(x[1]) ** 2.0 - 100.0 * np.cos(x[1] ** 2.0 / 30.0)
    return u + v + w


def go_vincent(x):
    return -np.sum(np.sin(10.0 * np.log(x)))


def go_watson(x):
    i = np.atleast_2d(np.arange(30.0)).T
    a = i / 29.0
    j = np.arange(5.0)
    k = np.arange(6.0)
    t1 = np.sum((j + 1) * a**j * x[1:], axis=1)
    t2 = np.sum(a**k * x, axis=1)
    inner = (t1 - t2**2 - 1) ** 2
    return np.sum(inner) + x[0] ** 2


def go_wavy(x):
    return 1.0 - 1.0 / 4 * np.sum(np.cos(10 * x) * np.exp(-(x**2.0) / 2.0))


def go_wayburn_seader01(x):
    return (x[0] ** 6 + x[1] ** 4 - 17) ** 2 + (2 * x[0] + x[1] - 4) ** 2


def go_wayburn_seader02(x):
    u = (1.613 - 4 * (x[0] - 0.3125) ** 2 - 4 * (x[1] - 1.625) ** 2) ** 2
    v = (x[1] - 1) ** 2
    return u + v


def go_wolfe(x):
    return 4 / 3 * (x[0] ** 2 + x[1] ** 2 - x[0] * x[1]) ** 0.75 + x[2]


def go_xin_she_yang02(x):
    return np.sum(np.abs(x)) * np.exp(-np.sum(np.sin(x**2.0)))


def go_xin_she_yang03(x):
    beta, m = (15.0, 5.0)
    u = np.sum((x / beta) ** (2 * m))
    v = np.sum(x**2)
    w = np.prod(np.cos(x) ** 2)
    return np.exp(-u) - 2 * np.exp(-v) * w


def go_xin_she_yang04(x):
    u = np.sum(np.sin(x) ** 2)
    v = np.sum(x**2)
    w = np.sum(np.sin(np.sqrt(np.abs(x))) ** 2)
    return (u - np.exp(-v)) * np.exp(-w)


def go_xor(x):
    F11 = x[6] / (1.0 + np.exp(-x[0] - x[1] - x[4]))
    F12 = x[7] / (1.0 + np.exp(-x[2] - x[3] - x[5]))
    F1 = (1.0 + np.exp(-F11 - F12 - x[8])) ** (-2)
    F21 = x[6] / (1.0 + np.exp(-x[4]))
    F22 = x[7] / (1.0 + np.exp(-x[5]))
    F2 = (1.0 + np.exp(-F21 - F22 - x[8])) ** (-2)
    F31 = x[6] / (1.0 + np.exp(-x[0] - x[4]))
    F32 = x[7] / (1.0 + np.exp(-x[2] - x[5]))
    F3 = (1.0 - (1.0 + np.exp(-F31 - F32 - x[8])) ** (-1)) ** 2
    F41 = x[6] / (1.0 + np.exp(-x[1] - x[4]))
    F42 = x[7] / (1.0 + np.exp(-x[3] - x[5]))
    F4 = (1.0 - (1.0 + np.exp(-F41 - F42 - x[8])) ** (-1)) ** 2
    return F1 + F2 + F3 + F4


def go_yao_liu04(x):
    return np.abs(x).max()


def go_yao_liu09(x):
    return np.sum(x**2.0 - 10.0 * np.cos(2 * np.pi * x) + 10)


def go_zacharov(x):
    u = np.sum(x**2)
    v = np.sum(np.arange(1, 4 + 1) * x)
    return u + (0.5 * v) ** 2 + (0.5 * v) ** 4


def go_zero_sum(x):
    if np.abs(np.sum(x)) < 3e-16:
        return 0.0
    return 1.0 + (10000.0 * np.abs(np.sum(x))) ** 0.5


def go_zettl(x):
    return (x[0] ** 2 + x[1] ** 2 - 2 * x[0]) ** 2 + 0.25 * x[0]


def go_zimmerman(x):

    def Zh1(x):
        return 9.0 - x[0] - x[1]

    def Zh2(x):
        return (x[0] - 3.0) ** 2.0 + (x[1] - 2.0) ** 2.0 - 16.0

    def Zh3(x):
        return x[0] * x[1] - 14.0

    def Zp(x):
        return 100.0 * (1.0 + x)

    return max(
        Zh1(x),
        Zp(Zh2(x)) * np.sign(Zh2(x)),
        Zp(Zh3(x)) * np.sign(Zh3(x)),
        Zp(-x[0]) * np.sign(x[0]),
        Zp(-x[1]) * np.sign(x[1]),
    )


def go_zirilli(x):
    return 0.25 * x[0] ** 4 - 0.5 * x[0] ** 2 + 0.1 * x[0] + 0.5 * x[1] ** 2


def go_problem02(x):
    x = x[0]
    return np.sin(x) + np.sin(10.0 / 3.0 * x)


def go_problem03(x):
    x = x[0]
    y = 0.0
    for k in range(1, 6):
        y += k * np.sin((k + 1) * x + k)
    return -y


def go_problem04(x):
    x = x[0]
    return -(16 * x**2 - 24 * x + 5) * np.exp(-x)


def go_problem05(x):
    x = x[0]
    return -(1.4 - 3 * x) * np.sin(18.0 * x)


def go_problem06(x):
    x = x[0]
    return -(x + np.sin(x)) * np.exp(-(x**2.0))


def go_problem07(x):
    x = x[0]
    return np.sin(x) + np.sin(10.0 / 3.0 * x) + np.log(x) - 0.84 * x + 3


def go_problem08(x):
    x = x[0]
    y = 0.0
    for k in range(1, 6):
        y += k * np.cos((k + 1) * x + k)
    return -y


def go_problem09(x):
    x = x[0]
    return np.sin(x) + np.sin(2.0 / 3.0 * x)


def go_problem10(x):
    x = x[0]
    return -x * np.sin(x)


def go_problem11(x):
    x = x[0]
    return 2 * np.cos(x) + np.cos(2 * x)


def go_problem12(x):
    x = x[0]
    return np.sin(x) ** 3.0 + np.cos(x) ** 3.0


def go_problem13(x):
    x = x[0]
    return -(x ** (2.0 / 3.0)) - (1.0 - x**2) ** (1.0 / 3.0)


def go_problem14(x):
    x = x[0]
    return -np.exp(-x) * np.sin(2.0 * np.pi * x)


def go_problem15(x):
    x = x[0]
    return -(-(x**2.0) + 5 * x - 6) / (x**2 + 1)


def go_problem18(x):
    x = x[0]
    if x <= 3:
        return (x - 2.0) ** 2.0
    return 2 * np.log(x - 2.0) + 1


def go_problem20(x):
    x = x[0]
    return -(x - np.sin(x)) * np.exp(-(x**2.0))


def go_problem21(x):
    x = x[0]
    return x * np.sin(x) + x * np.cos(2.0 * x)


def go_problem22(x):
    x = x[0]
    return np.exp(-3.0 * x) - np.sin(x) ** 3.0


class _Problem:
    """A benchmark object as SciPy's go_funcs_*.py write them: the problem's constants on
    ``self``, the objective guarded by ``try`` (Csendes; with their ``fun(self, x, *args)``:
    tests/soundness/test_corp23.py)."""

    def __init__(self, n):
        self.N = n
        self.w = np.arange(1.0, n + 1.0)

    def fun(self, x):
        w = self.w  # (an attribute of `self` read in the `try` body is refused)
        try:
            return np.sum(w * x**6.0 * (2.0 + np.sin(1.0 / x)))
        except ZeroDivisionError:
            return np.nan


class _Counted(_Problem):
    """As SciPy's: every call counts itself (``self.nfev += 1``) on the object (a run-time
    effect: lower/attreffects.py)."""

    def __init__(self, n):
        super().__init__(n)
        self.nfev = 0

    def fun(self, x):
        self.nfev += 1
        return np.sum(self.w * x**2) + np.prod(np.cos(x / np.sqrt(np.arange(1, self.N + 1))))


CASES = [
    Case(go_matyas, (np.array([2.19, -0.14]),), (0,), extra="hvp"),
    Case(go_mc_cormick, (np.array([1.37, -2.14]),), (0,), extra="hvp"),
    Case(go_michalewicz, (np.array([2.92, 1.02]),), (0,), extra="hvp"),
    Case(go_miele_cantrell, (np.array([-0.64, 0.23, -0.27, -0.18]),), (0,), extra="hvp"),
    Case(go_mishra01, (np.array([0.52, 0.35, 0.6, 0.9]),), (0,), extra="hvp"),
    Case(go_mishra02, (np.array([0.31, 0.12, 0.16, 0.32]),), (0,), extra="hvp"),
    Case(go_mishra03, (np.array([-1.29, -0.16]),), (0,), extra="hvp"),
    Case(go_mishra04, (np.array([-2.25, 1.07]),), (0,), extra="hvp"),
    Case(go_mishra05, (np.array([0.66, 0.7]),), (0,), extra="hvp"),
    Case(go_mishra06, (np.array([0.35, -0.3]),), (0,), extra="hvp"),
    Case(go_mishra07, (np.array([1.57, 2.02, -0.3, -1.72]),), (0,), extra="hvp"),
    Case(go_mishra08, (np.array([-1.45, 1.93]),), (0,), extra="hvp"),
    Case(go_mishra09, (np.array([0.66, 0.35, 1.77]),), (0,), extra="hvp"),
    Case(go_mishra10, (np.array([1.38, 1.65]),), (0,), extra="hvp"),
    Case(go_mishra11, (np.array([-1.34, 1.37, -0.67, 0.65]),), (0,), extra="hvp"),
    Case(go_multi_modal, (np.array([1.29, -1.0, 1.69, -1.79]),), (0,), extra="hvp"),
    Case(go_needle_eye, (np.array([0.27, -1.31, -1.5, 0.41]),), (0,), extra="hvp"),
    Case(go_new_function01, (np.array([-1.1, -1.07]),), (0,), extra="hvp"),
    Case(go_new_function02, (np.array([0.98, 1.07]),), (0,), extra="hvp"),
    Case(go_odd_square, (np.array([1.1, 1.11]),), (0,), extra="hvp"),
    Case(go_parsopoulos, (np.array([-1.26, -1.48]),), (0,), extra="hvp"),
    Case(go_pathological, (np.array([1.34, 1.42]),), (0,), extra="hvp"),
    Case(
        go_paviani,
        (np.array([6.57, 5.3, 4.64, 6.0, 4.5, 6.54, 6.95, 5.95, 4.98, 6.69]),),
        (0,),
        extra="hvp",
    ),
    Case(go_penalty01, (np.array([0.67, -0.33, 0.4, 0.03]),), (0,), extra="hvp"),
    Case(go_penalty02, (np.array([1.67, -1.78, 0.39, 2.03]),), (0,), extra="hvp"),
    Case(go_pen_holder, (np.array([1.27, -0.9]),), (0,), extra="hvp"),
    Case(go_perm_function01, (np.array([-0.6, -0.57, -1.18, -0.02]),), (0,), extra="hvp"),
    Case(go_perm_function02, (np.array([1.48, 1.57, 0.32, 1.49]),), (0,), extra="hvp"),
    Case(go_pinter, (np.array([0.66, 2.17, 0.38, 0.73]),), (0,), extra="hvp"),
    Case(go_plateau, (np.array([1.12, -1.82, -1.77, -0.66]),), (0,), extra="hvp"),
    Case(go_powell, (np.array([1.86, 2.13, -0.17, 0.63]),), (0,), extra="hvp"),
    Case(go_power_sum, (np.array([1.82, 1.91, 1.0, 2.75]),), (0,), extra="hvp"),
    Case(go_price01, (np.array([-2.19, -0.37]),), (0,), extra="hvp"),
    Case(go_price02, (np.array([1.87, -1.79]),), (0,), extra="hvp"),
    Case(go_price03, (np.array([0.74, 0.77]),), (0,), extra="hvp"),
    Case(go_price04, (np.array([0.61, 1.05]),), (0,), extra="hvp"),
    Case(go_qing, (np.array([0.97, 0.75, -1.14, 0.91]),), (0,), extra="hvp"),
    Case(go_quadratic, (np.array([-2.17, -0.98, 0.98, 0.9]),), (0,), extra="hvp"),
    Case(go_quintic, (np.array([-0.93, -1.18, -0.17, -2.09]),), (0,), extra="hvp"),
    Case(go_rana, (np.array([0.78, -1.69, -0.8, 0.5]),), (0,), extra="hvp"),
    Case(go_rastrigin, (np.array([1.6, 0.73, -1.33, -2.06]),), (0,), extra="hvp"),
    Case(go_ratkowsky01, (np.array([500.87, 8.86, 0.93, 4.21]),), (0,), extra="hvp"),
    Case(go_ratkowsky02, (np.array([106.1, 3.86, 0.26]),), (0,), extra="hvp"),
    Case(go_rosenbrock, (np.array([-0.37, -0.61, -1.78, 0.0]),), (0,), extra="hvp"),
    Case(go_rosenbrock_modified, (np.array([-0.16, 0.69]),), (0,), extra="hvp"),
    Case(go_rotated_ellipse01, (np.array([1.59, -0.87]),), (0,), extra="hvp"),
    Case(go_rotated_ellipse02, (np.array([0.57, 0.42]),), (0,), extra="hvp"),
    Case(go_salomon, (np.array([1.63, 0.96, -0.45, 0.47]),), (0,), extra="hvp"),
    Case(go_sargan, (np.array([2.13, 1.1, 2.09, -1.2]),), (0,), extra="hvp"),
    Case(go_schaffer01, (np.array([-0.02, -1.47]),), (0,), extra="hvp"),
    Case(go_schaffer02, (np.array([-2.04, 1.55]),), (0,), extra="hvp"),
    Case(go_schaffer03, (np.array([-2.06, -1.32]),), (0,), extra="hvp"),
    Case(go_schaffer04, (np.array([-1.54, 2.23]),), (0,), extra="hvp"),
    Case(go_schwefel01, (np.array([1.7, 1.28, -1.78, -0.51]),), (0,), extra="hvp"),
    Case(go_schwefel02, (np.array([1.08, -2.0, -0.56, -0.94]),), (0,), extra="hvp"),
    Case(go_schwefel04, (np.array([6.05, 6.4, 6.12, 3.34]),), (0,), extra="hvp"),
    Case(go_schwefel06, (np.array([2.21, -0.16]),), (0,), extra="hvp"),
    Case(go_schwefel20, (np.array([-1.98, -0.03, -1.92, -0.76]),), (0,), extra="hvp"),
    Case(go_schwefel21, (np.array([-1.67, 2.01, -0.28, 0.95]),), (0,), extra="hvp"),
    Case(go_schwefel22, (np.array([-0.24, -1.65, -1.05, 1.99]),), (0,), extra="hvp"),
    Case(go_schwefel26, (np.array([-2.04, -0.37, -2.13, -1.31]),), (0,), extra="hvp"),
    Case(go_schwefel36, (np.array([250.94, 248.7]),), (0,), extra="hvp"),
    Case(go_shekel05, (np.array([5.36, 6.21, 3.26, 6.47]),), (0,), extra="hvp"),
    Case(go_shekel07, (np.array([6.48, 3.61, 5.68, 5.73]),), (0,), extra="hvp"),
    Case(go_shekel10, (np.array([3.95, 5.24, 3.91, 5.9]),), (0,), extra="hvp"),
    Case(go_shubert01, (np.array([-2.19, 1.81, 1.64, 1.57]),), (0,), extra="hvp"),
    Case(go_shubert03, (np.array([-0.39, 0.19, 2.17, -1.15]),), (0,), extra="hvp"),
    Case(go_shubert04, (np.array([-1.92, -1.12, 0.83, -1.65]),), (0,), extra="hvp"),
    Case(go_sine_envelope, (np.array([-0.6, 1.15, -0.39, -1.96]),), (0,), extra="hvp"),
    Case(go_six_hump_camel, (np.array([0.14, -0.78]),), (0,), extra="hvp"),
    Case(go_sodp, (np.array([0.83, -0.61, 0.89, -0.82]),), (0,), extra="hvp"),
    Case(go_sphere, (np.array([-1.02, 0.7, 0.02, -1.35]),), (0,), extra="hvp"),
    Case(go_step, (np.array([1.36, 0.94, -0.82, -0.59]),), (0,), extra="hvp"),
    Case(go_step2, (np.array([0.89, 2.15, -0.09, 0.56]),), (0,), extra="hvp"),
    Case(go_stretched_v, (np.array([-1.8, 1.69, -1.07, 1.42]),), (0,), extra="hvp"),
    Case(go_styblinski_tang, (np.array([1.15, -1.3, 1.39, 2.04]),), (0,), extra="hvp"),
    Case(go_test_tube_holder, (np.array([1.27, -0.9]),), (0,), extra="hvp"),
    Case(
        go_thurber,
        (np.array([1252.23, 1249.77, 550.88, 80.5, 1.11, 0.71, 0.07]),),
        (0,),
        extra="hvp",
    ),
    Case(go_treccani, (np.array([-0.84, 0.27]),), (0,), extra="hvp"),
    Case(go_three_hump_camel, (np.array([0.14, -0.78]),), (0,), extra="hvp"),
    Case(go_trid, (np.array([-1.67, -0.32, 0.03, 1.8]),), (0,), extra="hvp"),
    Case(go_trigonometric01, (np.array([2.88, 2.36, 1.56, 1.39]),), (0,), extra="hvp"),
    Case(go_tripod, (np.array([-1.84, -1.47]),), (0,), extra="hvp"),
    Case(go_ursem01, (np.array([-0.76, -1.17]),), (0,), extra="hvp"),
    Case(go_ursem03, (np.array([0.59, -0.36]),), (0,), extra="hvp"),
    Case(go_ursem04, (np.array([-1.58, 0.08]),), (0,), extra="hvp"),
    Case(go_ursem_waves, (np.array([0.16, 0.39]),), (0,), extra="hvp"),
    Case(go_venter_sobiezcczanski_sobieski, (np.array([0.61, -1.15]),), (0,), extra="hvp"),
    Case(go_vincent, (np.array([7.21, 5.33, 3.99, 7.02]),), (0,), extra="hvp"),
    Case(go_watson, (np.array([0.84, -2.07, 0.52, -1.93, -1.71, 1.2]),), (0,), extra="hvp"),
    Case(go_wavy, (np.array([0.29, 1.27, 0.12, 1.47]),), (0,), extra="hvp"),
    Case(go_wayburn_seader01, (np.array([-1.08, -0.87]),), (0,), extra="hvp"),
    Case(go_wayburn_seader02, (np.array([0.85, -2.22]),), (0,), extra="hvp"),
    Case(go_wolfe, (np.array([1.87, 1.03, 1.13]),), (0,), extra="hvp"),
    Case(go_xin_she_yang02, (np.array([-0.61, -1.12, -0.38, 0.09]),), (0,), extra="hvp"),
    Case(go_xin_she_yang03, (np.array([-0.28, -0.84, 2.23, 1.45]),), (0,), extra="hvp"),
    Case(go_xin_she_yang04, (np.array([-1.9, 0.7, -0.13, -0.59]),), (0,), extra="hvp"),
    Case(
        go_xor,
        (np.array([0.68, 0.37, 0.81, 0.42, -0.85, 0.51, -0.79, 0.85, 0.74]),),
        (0,),
        extra="hvp",
    ),
    Case(go_yao_liu04, (np.array([-1.13, -0.76, 0.72, 0.88]),), (0,), extra="hvp"),
    Case(go_yao_liu09, (np.array([-0.01, 1.95, 0.68, -0.5]),), (0,), extra="hvp"),
    Case(go_zacharov, (np.array([4.6, 1.48, 3.03, 1.81]),), (0,), extra="hvp"),
    Case(go_zero_sum, (np.array([-0.15, 2.03, 1.92, -0.49]),), (0,), extra="hvp"),
    Case(go_zettl, (np.array([4.13, 4.54]),), (0,), extra="hvp"),
    Case(go_zimmerman, (np.array([48.3, 48.75]),), (0,), extra="hvp"),
    Case(go_zirilli, (np.array([-0.56, 1.62]),), (0,), extra="hvp"),
    Case(go_problem02, (np.array([7.13]),), (0,), extra="hvp"),
    Case(go_problem03, (np.array([-0.9]),), (0,), extra="hvp"),
    Case(go_problem04, (np.array([3.2]),), (0,), extra="hvp"),
    Case(go_problem05, (np.array([0.93]),), (0,), extra="hvp"),
    Case(go_problem06, (np.array([-1.45]),), (0,), extra="hvp"),
    Case(go_problem07, (np.array([5.78]),), (0,), extra="hvp"),
    Case(go_problem08, (np.array([-1.41]),), (0,), extra="hvp"),
    Case(go_problem09, (np.array([10.77]),), (0,), extra="hvp"),
    Case(go_problem10, (np.array([4.74]),), (0,), extra="hvp"),
    Case(go_problem11, (np.array([0.63]),), (0,), extra="hvp"),
    Case(go_problem12, (np.array([3.32]),), (0,), extra="hvp"),
    Case(go_problem13, (np.array([0.14]),), (0,), extra="hvp"),
    Case(go_problem14, (np.array([3.04]),), (0,), extra="hvp"),
    Case(go_problem15, (np.array([-0.91]),), (0,), extra="hvp"),
    Case(go_problem18, (np.array([1.57]),), (0,), extra="hvp"),
    Case(go_problem20, (np.array([0.41]),), (0,), extra="hvp"),
    Case(go_problem21, (np.array([3.08]),), (0,), extra="hvp"),
    Case(go_problem22, (np.array([11.43]),), (0,), extra="hvp"),
    Case(
        _Problem(4).fun,
        (np.array([0.6, -0.8, 0.9, 0.7]),),
        (0,),
        name="ported_corp23_go2.problem_method",
        extra="hvp",
    ),
    Case(
        _Counted(4).fun,
        (np.array([0.6, -0.8, 0.9, 0.7]),),
        (0,),
        name="ported_corp23_go2.counted_method",
        extra="hvp",
    ),
]
