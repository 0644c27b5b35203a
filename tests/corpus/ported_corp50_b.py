"""Ported cases (session 50, hunt50b): DEAP's benchmark functions (deap/benchmarks/__init__.py)
in DEAP's own style: individuals as lists of floats (and arrays), one-tuples returned
(``return (value,)``), ``reduce(mul, ...)`` of generators, lambdas bound to names,
``f.extend(<generator>)`` and ``reversed(range(...))``, ``x if x > 0 else ...`` inside a generator;
the ZDT and DTLZ multi-objective families returning tuples and lists.

Lists of floats and float64 arrays -> a tuple or a list of floats. Each row is checked forward
and reverse (the rows marked ``extra="hvp"`` also at second order)."""

from __future__ import annotations

from functools import reduce
from math import cos, e, exp, pi, sin, sqrt
from operator import mul

import numpy as np

from . import Case


def sphere(individual):
    return (sum(gene * gene for gene in individual),)


def cigar(individual):
    return (individual[0] ** 2 + 1e6 * sum(gene * gene for gene in individual[1:]),)


def rosenbrock(individual):
    return (
        sum(
            100 * (x * x - y) ** 2 + (1.0 - x) ** 2 for x, y in zip(individual[:-1], individual[1:])
        ),
    )


def h1(individual):
    num = (sin(individual[0] - individual[1] / 8)) ** 2 + (
        sin(individual[1] + individual[0] / 8)
    ) ** 2
    denum = ((individual[0] - 8.6998) ** 2 + (individual[1] - 6.7665) ** 2) ** 0.5 + 1
    return (num / denum,)


def ackley(individual):
    N = len(individual)
    return (
        20
        - 20 * exp(-0.2 * sqrt(1.0 / N * sum(x**2 for x in individual)))
        + e
        - exp(1.0 / N * sum(cos(2 * pi * x) for x in individual)),
    )


def bohachevsky(individual):
    return (
        sum(
            x**2 + 2 * x1**2 - 0.3 * cos(3 * pi * x) - 0.4 * cos(4 * pi * x1) + 0.7
            for x, x1 in zip(individual[:-1], individual[1:])
        ),
    )


def griewank(individual):
    return (
        1.0 / 4000.0 * sum(x**2 for x in individual)
        - reduce(mul, (cos(x / sqrt(i + 1.0)) for i, x in enumerate(individual)), 1)
        + 1,
    )


def rastrigin(individual):
    return (
        10 * len(individual) + sum(gene * gene - 10 * cos(2 * pi * gene) for gene in individual),
    )


def rastrigin_scaled(individual):
    N = len(individual)
    return (
        10 * N
        + sum(
            (10 ** (i / (N - 1)) * x) ** 2 - 10 * cos(2 * pi * 10 ** (i / (N - 1)) * x)
            for i, x in enumerate(individual)
        ),
    )


def rastrigin_skew(individual):
    N = len(individual)
    return (
        10 * N
        + sum(
            (10 * x if x > 0 else x) ** 2 - 10 * cos(2 * pi * (10 * x if x > 0 else x))
            for x in individual
        ),
    )


def schaffer(individual):
    return (
        sum(
            (x**2 + x1**2) ** 0.25 * ((sin(50 * (x**2 + x1**2) ** 0.1)) ** 2 + 1.0)
            for x, x1 in zip(individual[:-1], individual[1:])
        ),
    )


def schwefel(individual):
    N = len(individual)
    return (418.9828872724339 * N - sum(x * sin(sqrt(abs(x))) for x in individual),)


def himmelblau(individual):
    return (
        (individual[0] * individual[0] + individual[1] - 11) ** 2
        + (individual[0] + individual[1] * individual[1] - 7) ** 2,
    )


def shekel(individual, a, c):
    return (
        sum(
            (1.0 / (c[i] + sum((individual[j] - aij) ** 2 for j, aij in enumerate(a[i]))))
            for i in range(len(c))
        ),
    )


def kursawe(individual):
    f1 = sum(-10 * exp(-0.2 * sqrt(x * x + y * y)) for x, y in zip(individual[:-1], individual[1:]))
    f2 = sum(abs(x) ** 0.8 + 5 * sin(x * x * x) for x in individual)
    return f1, f2


def zdt1(individual):
    g = 1.0 + 9.0 * sum(individual[1:]) / (len(individual) - 1)
    f1 = individual[0]
    f2 = g * (1 - sqrt(f1 / g))
    return f1, f2


def zdt3(individual):
    g = 1.0 + 9.0 * sum(individual[1:]) / (len(individual) - 1)
    f1 = individual[0]
    f2 = g * (1 - sqrt(f1 / g) - f1 / g * sin(10 * pi * f1))
    return f1, f2


def zdt4(individual):
    g = 1 + 10 * (len(individual) - 1) + sum(xi**2 - 10 * cos(4 * pi * xi) for xi in individual[1:])
    f1 = individual[0]
    f2 = g * (1 - sqrt(f1 / g))
    return f1, f2


def zdt6(individual):
    g = 1 + 9 * (sum(individual[1:]) / (len(individual) - 1)) ** 0.25
    f1 = 1 - exp(-4 * individual[0]) * sin(6 * pi * individual[0]) ** 6
    f2 = g * (1 - (f1 / g) ** 2)
    return f1, f2


def dtlz1(individual, obj):
    g = 100 * (
        len(individual[obj - 1 :])
        + sum((xi - 0.5) ** 2 - cos(20 * pi * (xi - 0.5)) for xi in individual[obj - 1 :])
    )
    f = [0.5 * reduce(mul, individual[: obj - 1], 1) * (1 + g)]
    f.extend(
        0.5 * reduce(mul, individual[:m], 1) * (1 - individual[m]) * (1 + g)
        for m in reversed(range(obj - 1))
    )
    return f


def dtlz2(individual, obj):
    xc = individual[: obj - 1]
    xm = individual[obj - 1 :]
    g = sum((xi - 0.5) ** 2 for xi in xm)
    f = [(1.0 + g) * reduce(mul, (cos(0.5 * xi * pi) for xi in xc), 1.0)]
    f.extend(
        (1.0 + g) * reduce(mul, (cos(0.5 * xi * pi) for xi in xc[:m]), 1) * sin(0.5 * xc[m] * pi)
        for m in range(obj - 2, -1, -1)
    )
    return f


def dtlz4(individual, obj, alpha):
    xc = individual[: obj - 1]
    xm = individual[obj - 1 :]
    g = sum((xi - 0.5) ** 2 for xi in xm)
    f = [(1.0 + g) * reduce(mul, (cos(0.5 * xi**alpha * pi) for xi in xc), 1.0)]
    f.extend(
        (1.0 + g)
        * reduce(mul, (cos(0.5 * xi**alpha * pi) for xi in xc[:m]), 1)
        * sin(0.5 * xc[m] ** alpha * pi)
        for m in range(obj - 2, -1, -1)
    )
    return f


def dtlz5(ind, n_objs):
    g = lambda x: sum([(a - 0.5) ** 2 for a in x])
    gval = g(ind[n_objs - 1 :])
    theta = lambda x: pi / (4.0 * (1 + gval)) * (1 + 2 * gval * x)
    fit = [
        (1 + gval)
        * cos(pi / 2.0 * ind[0])
        * reduce(lambda x, y: x * y, [cos(theta(a)) for a in ind[1:]])
    ]
    for m in reversed(range(1, n_objs)):
        if m == 1:
            fit.append((1 + gval) * sin(pi / 2.0 * ind[0]))
        else:
            fit.append(
                (1 + gval)
                * cos(pi / 2.0 * ind[0])
                * reduce(lambda x, y: x * y, [cos(theta(a)) for a in ind[1 : m - 1]], 1)
                * sin(theta(ind[m - 1]))
            )
    return fit


def dtlz6(ind, n_objs):
    gval = sum([a**0.1 for a in ind[n_objs - 1 :]])
    theta = lambda x: pi / (4.0 * (1 + gval)) * (1 + 2 * gval * x)
    fit = [
        (1 + gval)
        * cos(pi / 2.0 * ind[0])
        * reduce(lambda x, y: x * y, [cos(theta(a)) for a in ind[1:]])
    ]
    for m in reversed(range(1, n_objs)):
        if m == 1:
            fit.append((1 + gval) * sin(pi / 2.0 * ind[0]))
        else:
            fit.append(
                (1 + gval)
                * cos(pi / 2.0 * ind[0])
                * reduce(lambda x, y: x * y, [cos(theta(a)) for a in ind[1 : m - 1]], 1)
                * sin(theta(ind[m - 1]))
            )
    return fit


def dtlz7(ind, n_objs):
    gval = 1 + 9.0 / len(ind[n_objs - 1 :]) * sum([a for a in ind[n_objs - 1 :]])
    fit = [x for x in ind[: n_objs - 1]]
    fit.append(
        (1 + gval)
        * (n_objs - sum([a / (1.0 + gval) * (1 + sin(3 * pi * a)) for a in ind[: n_objs - 1]]))
    )
    return fit


def fonseca(individual):
    f_1 = 1 - exp(-sum((xi - 1 / sqrt(3)) ** 2 for xi in individual[:3]))
    f_2 = 1 - exp(-sum((xi + 1 / sqrt(3)) ** 2 for xi in individual[:3]))
    return f_1, f_2


def poloni(individual):
    x_1 = individual[0]
    x_2 = individual[1]
    A_1 = 0.5 * sin(1) - 2 * cos(1) + sin(2) - 1.5 * cos(2)
    A_2 = 1.5 * sin(1) - cos(1) + 2 * sin(2) - 0.5 * cos(2)
    B_1 = 0.5 * sin(x_1) - 2 * cos(x_1) + sin(x_2) - 1.5 * cos(x_2)
    B_2 = 1.5 * sin(x_1) - cos(x_1) + 2 * sin(x_2) - 0.5 * cos(x_2)
    return 1 + (A_1 - B_1) ** 2 + (A_2 - B_2) ** 2, (x_1 + 3) ** 2 + (x_2 + 1) ** 2


def dent(individual, lambda_=0.85):
    d = lambda_ * exp(-((individual[0] - individual[1]) ** 2))
    f1 = (
        0.5
        * (
            sqrt(1 + (individual[0] + individual[1]) ** 2)
            + sqrt(1 + (individual[0] - individual[1]) ** 2)
            + individual[0]
            - individual[1]
        )
        + d
    )
    f2 = (
        0.5
        * (
            sqrt(1 + (individual[0] + individual[1]) ** 2)
            + sqrt(1 + (individual[0] - individual[1]) ** 2)
            - individual[0]
            + individual[1]
        )
        + d
    )
    return f1, f2


_L = [0.31, -0.72, 0.45, 0.18, -0.27]
_P = [0.31, 0.62, 0.45, 0.18, 0.27]
_A = [[0.5, 0.5], [0.25, 0.25], [0.25, 0.75]]
_C = [0.002, 0.005, 0.005]


def _c(fn, *args, **kw):
    return Case(fn, args, (0,), **kw)


CASES = [
    *(_c(f, list(_L)) for f in (sphere, cigar, rosenbrock, ackley, bohachevsky, griewank)),
    *(_c(f, list(_L)) for f in (rastrigin, rastrigin_scaled, schaffer, schwefel, kursawe)),
    _c(rastrigin_skew, list(_L), jitter=0.0),
    *(_c(f, [0.4, -1.2]) for f in (h1, himmelblau, poloni, dent)),
    _c(shekel, [0.4, 0.3], _A, _C),
    *(_c(f, list(_P)) for f in (zdt1, zdt3, zdt4, zdt6, fonseca)),
    *(_c(f, list(_P), 3) for f in (dtlz1, dtlz2, dtlz5, dtlz6, dtlz7)),
    _c(dtlz4, list(_P), 3, 3.0),
    _c(rosenbrock, np.array(_L), extra="hvp"),
    _c(griewank, np.array(_L), extra="hvp"),
    _c(dtlz2, np.array(_P), 3),
    _c(dtlz5, np.array(_P), 3),
]
