"""Python idioms users write that srcad used to refuse (session 8, `refuse8`): ``try``/``except``
around several statements and calls whose arguments are expressions (``y = math.sqrt(x[2])``,
``s += math.log(v)``, ``d["b"]`` with KeyError, ``xs[5]`` with IndexError, ``a / (b - c)`` with
ZeroDivisionError: lower/trys.py checks each step that may raise). Each is checked forward,
reverse and (``extra="hvp"``) at second order; the neighbours that must stay refused are in
tests/soundness/test_refuse8.py."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def try_sqrt_of_item(x):
    try:
        y = math.sqrt(x[2])
    except ValueError:
        y = 0.0
    return y * x[0]


def try_log_of_expression(x):
    out = 0.0
    for i in range(3):
        try:
            v = math.log(x[i] - 0.5)  # raises for x[i] <= 0.5: the handler runs
        except ValueError:
            v = -(x[i] ** 2)
        out = out + v * (i + 1)
    return out


def try_augmented_sum(x):
    s = 0.0
    for v in x:
        try:
            s += math.log(v)
        except ValueError:
            s += v * v
    return s


def try_key_error(x):
    d = {"a": x[0], "c": x[1]}
    try:
        b = d["b"] * 2.0
    except KeyError:
        b = d["a"] ** 2
    try:
        c = d["c"] * x[2]
    except KeyError:
        c = 0.0
    return b + c


def try_index_error(x):
    xs = [x[0], x[1] * x[2]]
    total = 0.0
    for k in range(4):
        try:
            total = total + xs[k] ** 2
        except IndexError:
            total = total * x[2]
    return total


def try_zero_division(a, b):
    try:
        r = a / (b - 1.0)
    except ZeroDivisionError:
        r = a * 3.0
    return r * a + b


def try_counting_into_dict(x):
    d = {}
    for i, key in enumerate(["u", "v", "u", "w", "u"]):
        try:
            d[key] += x[i % 3] * (i + 1)
        except KeyError:
            d[key] = x[i % 3] ** 2
    return d["u"] * d["v"] + d["w"]


def try_two_statements(x):
    try:
        A = np.outer(x, x) + np.eye(3)
        y = np.linalg.solve(A, x)
    except np.linalg.LinAlgError:
        y = x
    return np.sum(y**2)


def try_computed_argument(x):
    A = np.eye(3) * 2.0
    try:
        y = np.linalg.solve(A, x[[0, 2, 1]] * x[0])
    except (np.linalg.LinAlgError, IndexError):
        y = x
    return np.sum(y * x)


def _safe_acos(v):
    try:
        return math.acos(v / 2.0)
    except ValueError:
        return 0.0 * v


def try_in_helper(x):
    return _safe_acos(x[0]) + _safe_acos(x[1] * 4.0) * x[2]


def try_else_and_branch(x):
    if x[0] > 0:
        try:
            t = math.log(x[0] * x[1])
        except ValueError:
            t = x[1]
        else:
            t = t * x[2]
    else:
        t = x[2]
    return t * x[0]


def try_array_augmented(x):
    y = x.copy()
    try:
        y += np.log(x[0] * x)  # in place
    except FloatingPointError:
        y = y * 2.0
    return np.sum(y * x)


def try_several_handlers(x):
    vals = [x[0], x[1]]
    out = 0.0
    for k in range(3):
        try:
            out = out + math.sqrt(vals[k] ** 2 - 0.5)
        except ValueError:
            out = out - vals[k]
        except IndexError:
            out = out * x[2]
    return out


V3 = np.array([1.3, 0.7, 2.2])
V3N = np.array([0.3, -0.7, 1.2])

CASES = [
    Case(try_sqrt_of_item, (V3,), (0,), extra="hvp"),
    Case(try_sqrt_of_item, (V3N * np.array([1.0, 1.0, -1.0]),), (0,), name="try_sqrt_handler"),
    Case(try_log_of_expression, (V3,), (0,), extra="hvp"),
    Case(try_augmented_sum, (V3N,), (0,), extra="hvp"),
    Case(try_key_error, (V3,), (0,), extra="hvp"),
    Case(try_index_error, (V3,), (0,), extra="hvp"),
    Case(try_zero_division, (0.3, 0.5), (0, 1)),
    Case(try_counting_into_dict, (V3,), (0,), extra="hvp"),
    Case(try_two_statements, (V3N,), (0,), extra="hvp"),
    Case(try_computed_argument, (V3,), (0,), extra="hvp"),
    Case(try_in_helper, (V3N,), (0,), extra="hvp"),
    Case(try_else_and_branch, (V3,), (0,), extra="hvp"),
    Case(try_else_and_branch, (V3N,), (0,), name="try_else_other_branch"),
    Case(try_array_augmented, (V3,), (0,), extra="hvp"),
    Case(try_several_handlers, (V3,), (0,), extra="hvp"),
]
