"""Ported cases (session 38, corp38_dt): the functions of Julia's DiffTests package (what
ForwardDiff, ReverseDiff and Zygote are tested on), rewritten for NumPy: number -> number
(`sin**2 / cos**2`, `sqrt(x*x*x)`, a float base to a varied power), number -> array (a 2x2x2
reshape of scalars; an in-place recurrence), vector -> number (Rosenbrock as a loop, by `map` of
a lambda over two slices, by slices with `abs(...)**2`; Ackley; a logit of `dot(x, x)`; a
comprehension with a conditional expression; `norm` of an outer product), matrix -> number
(`det` of `x[0,0] * inv(x @ x) + x`, a trace of `log` of an outer sum, `mean` of a row sum of
`sin(x) @ x`, softmax along rows), the in-place array -> array programs (chebyquad,
Brown's almost-linear, trigonometric, two mutation tests) and the constant-matrix products and
solves (Lehmer, diagonal, triangular) of the vector -> vector set.

Float parameters -> float scalars; arrays -> arrays."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(38001)
X5 = np.array([0.6, 1.3, 0.9, 1.7, 0.4])
A4 = np.array(
    [[1.2, 0.3, -0.4, 0.1], [0.2, 0.9, 0.5, -0.3], [0.4, -0.2, 1.1, 0.6], [0.1, 0.7, 0.2, 1.4]]
)


def num2num_1(x):
    return math.sin(x) ** 2 / math.cos(x) ** 2


def num2num_2(x):
    return 2 * x + math.sqrt(x * x * x)


def num2num_3(x):
    return 10.31 ** (x + x) - x


def num2num_5(x):
    return 1.0 / (1.0 + np.exp(-x))


def num2arr_1(x):
    a, b, c = num2num_1(x), num2num_2(x), num2num_3(x)
    return np.reshape(np.array([a, b, c, a - b, b, c, b, c]), (2, 2, 2), order="F")


def num2arr_inplace(x):
    y = np.zeros(6)
    for i in range(1, len(y)):
        y[i] = (math.sin(x) + y[i - 1]) ** 2
    return y


def vec2num_1(x):
    return (np.exp(x[0]) + np.log(x[2]) * x[3]) / x[4]


def vec2num_3(x):
    return np.linalg.norm(x[None, :] * x[:, None])


def vec2num_5(x):
    return np.sum((-x) ** 3)


def vec2num_6(x):
    return sum([i if i > 0 else 0.0 for i in x])


def vec2num_7(x):
    return sum(map(lambda y: x[0] * y, x))


def rosenbrock_1(x):
    a = 1.0
    b = 100 * a
    result = 0.0
    for i in range(len(x) - 1):
        result += (a - x[i]) ** 2 + b * (x[i + 1] - x[i] ** 2) ** 2
    return result


def rosenbrock_2(x):
    a = x[0]
    b = 100 * a
    v = list(map(lambda i, j: (a - j) ** 2 + b * (i - j**2) ** 2, x[1:], x[:-1]))
    return sum(v)


def rosenbrock_4(x):
    t1 = (1 + x[:-1]) ** 2
    t2 = x[1:] + x[:-1] ** 2
    return np.sum(t1 + 100 * np.abs(t2) ** 2)


def ackley(x):
    a, b, c = 20.0, -0.2, 2.0 * np.pi
    len_recip = 1 / len(x)
    sum_sqrs = 0.0
    sum_cos = sum_sqrs
    for i in x:
        sum_cos += np.cos(c * i)
        sum_sqrs += i**2
    return -a * np.exp(b * np.sqrt(len_recip * sum_sqrs)) - np.exp(len_recip * sum_cos) + a + np.e


def self_weighted_logit(x):
    return 1.0 / (1.0 + np.exp(-np.dot(x, x)))


def nested_array_mul(x):
    return np.sum(np.sum(x[0] * np.array([[x[1], x[2]]])))


def mat2num_1(x):
    return np.linalg.det(x[0, 0] * np.linalg.inv(x @ x) + x)


def mat2num_2(x):
    a = np.reshape(x, (x.size, 1), order="F")
    b = np.reshape(x.copy(), (1, x.size), order="F")
    return np.trace(np.log((1 + a @ b) + a - b))


def mat2num_3(x):
    n = math.isqrt(x.size)
    A = np.reshape(x, (n, n))
    return sum(map(lambda v: np.sqrt(abs(v) + v**2) * 0.5, A.ravel()))


def mat2num_4(x):
    return np.mean(np.sum(np.sin(x) @ x, axis=1, keepdims=True))


def softmax_rows(x):
    return np.sum(np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True))


def neural_step(x1, w1, w2):
    n = w1.shape[1]
    relu = np.log(1.0 + np.exp(w1 @ x1[:n]))
    return 1.0 / (1.0 + np.exp(-np.dot(w2[:n], relu)))


def chebyquad(x):
    y = np.zeros_like(x)
    tk = 1 / len(x)
    for j in range(len(x)):
        temp1 = 1.0
        temp2 = 2 * x[j] - 1
        temp = 2 * temp2
        for i in range(len(y)):
            y[i] += temp2
            ti = temp * temp2 - temp1
            temp1 = temp2
            temp2 = ti
    iev = -1.0
    for k in range(len(y)):
        y[k] *= tk
        if iev > 0:
            y[k] += 1 / ((k + 1) ** 2 - 1)
        iev = -iev
    return y


def brown_almost_linear(x):
    y = np.zeros_like(x)
    c = np.sum(x) - (len(x) + 1)
    for i in range(len(x) - 1):
        for j in range(len(y) - 1):
            y[j] += x[i] + c
    y[len(y) - 1] = np.prod(x) - 1
    return y


def trigonometric(x):
    y = np.ones_like(x)
    for i in x:
        for j in range(len(y)):
            y[j] = np.cos(i)
    c = np.sum(y)
    n = len(x)
    for i in x:
        for j in range(len(y)):
            y[j] = np.sin(i) * y[j] + n - c
    return y


def mutation_test_1(x):
    y = np.zeros_like(x)
    y[0] = x[0]
    y[0] = y[0] * x[1]
    y[1] = y[1] * x[2]
    y[2] = np.sum(y)
    return y


def mutation_test_2(x):
    y = np.ones_like(x)
    y[0] *= x[0]
    y[1] *= x[0]
    y[0] *= x[1]
    y[1] *= x[1]
    return y


def arr2arr_2(x):
    return x[0, :] + x[0, :] + x.flat[0]


def _lehmer(n):
    i = np.arange(1, n + 1)
    return np.minimum.outer(i, i) / np.maximum.outer(i, i)


def _diag(n):
    return np.diag(np.linspace(0.01, 100.0, n))


def lmul_variants(x):
    L = _lehmer(x.shape[0])
    return _diag(x.shape[0]) @ x + L @ x + np.triu(L) @ x + np.tril(L) @ x


def ldiv_variants(x):
    L = _lehmer(x.shape[0])
    return (
        np.linalg.solve(_diag(x.shape[0]), x)
        + np.linalg.solve(np.triu(L), x)
        + np.linalg.solve(np.tril(L), x)
        + np.linalg.solve(L, x)
    )


def matrix_inv(x):
    return np.linalg.inv(x)


def binary_broadcasts(a, b):
    return a + b - a * b + a / b + np.linalg.solve(a, b) + a**b + a @ b.T + a.T @ b


CASES = [
    Case(num2num_1, (0.7,), (0,), extra="hvp"),
    Case(num2num_2, (1.3,), (0,)),
    Case(num2num_3, (0.4,), (0,), extra="hvp"),
    Case(num2num_5, (0.4,), (0,)),
    Case(num2arr_1, (0.7,), (0,)),
    Case(num2arr_inplace, (0.7,), (0,)),
    Case(vec2num_1, (X5,), (0,)),
    Case(vec2num_3, (X5,), (0,), extra="hvp"),
    Case(vec2num_5, (X5 - 1.0,), (0,)),
    Case(vec2num_6, (X5 - 1.0,), (0,)),
    Case(vec2num_7, (X5,), (0,)),
    Case(rosenbrock_1, (X5,), (0,), extra="hvp"),
    Case(rosenbrock_2, (X5,), (0,), extra="hvp"),
    Case(rosenbrock_4, (X5 - 1.0,), (0,)),
    Case(ackley, (X5,), (0,), extra="hvp"),
    Case(self_weighted_logit, (X5 * 0.3,), (0,)),
    Case(nested_array_mul, (X5,), (0,)),
    Case(mat2num_1, (A4,), (0,)),
    Case(mat2num_2, (np.abs(A4) * 0.3,), (0,)),
    Case(mat2num_3, (A4 - 0.35,), (0,)),
    Case(mat2num_4, (A4,), (0,), extra="hvp"),
    Case(softmax_rows, (A4,), (0,)),
    Case(neural_step, (X5, R.standard_normal((4, 4)), X5[::-1].copy()), (0, 1, 2)),
    Case(chebyquad, (X5,), (0,)),
    Case(brown_almost_linear, (X5,), (0,)),
    Case(trigonometric, (X5,), (0,)),
    Case(mutation_test_1, (X5,), (0,)),
    Case(mutation_test_2, (X5,), (0,)),
    Case(arr2arr_2, (A4,), (0,)),
    Case(lmul_variants, (A4,), (0,)),
    Case(ldiv_variants, (A4,), (0,)),
    Case(matrix_inv, (A4,), (0,)),
    Case(binary_broadcasts, (A4 + 1.0, np.abs(A4) + 0.5), (0, 1)),
]
