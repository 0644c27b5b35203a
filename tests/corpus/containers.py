"""Tuple, list and dict literals; `list.append`; comprehensions and generator expressions."""

from __future__ import annotations

import numpy as np

from . import Case


def tuple_return(x, y):
    return x + y, x * y


def list_literal(x):
    parts = [x, x * 2.0, np.sin(x)]
    return parts[0] + parts[1] * parts[2]


def dict_literal(x, y):
    d = {"a": x * y, "b": x - y}
    return d["a"] ** 2 + d["b"]


def dict_param(params, x):
    h = np.tanh(params["w"] * x + params["b"])
    return (h * h).sum()


def tuple_param(wb, x):
    w, b = wb
    return (w @ x + b) ** 2


def list_append(x, n):
    out = []
    for i in range(n):
        out.append(x * (i + 1.0))
    return out[0] + out[-1] * out[1]


def stack_appended(x):
    rows = []
    for k in range(3):
        rows.append(x**k)
    return np.stack(rows).sum(axis=1)


def list_comprehension(x):
    ys = [x**i for i in range(4)]
    return ys[1] + ys[3] - ys[2]


def comprehension_if(x):
    vals = [v * 2.0 for v in x if v > 0.0]
    return vals[0] + vals[-1]


def generator_sum(x):
    return sum(x[i] * x[i + 1] for i in range(x.shape[0] - 1))


def np_array_of_list(x, y):
    v = np.array([x * y, x + y, x - y])
    return v @ v


def np_array_comprehension(x):
    return np.array([np.sin(x * k) for k in range(1, 4)])


def return_dict(x):
    return {"sq": x * x, "cube": x * x * x}


CASES = [
    Case(tuple_return, (0.3, 1.7), (0, 1)),
    Case(list_literal, (0.8,), (0,)),
    Case(dict_literal, (0.8, 0.4), (0, 1)),
    Case(dict_param, ({"w": np.array([0.5, -0.3]), "b": np.array([0.1, 0.2])}, 1.5), (0, 1)),
    Case(tuple_param, ((np.array([0.5, -0.3]), 0.2), np.array([1.0, 2.0])), (0, 1)),
    Case(list_append, (0.7, 3), (0,)),
    Case(stack_appended, (np.array([0.5, 1.5]),), (0,)),
    Case(list_comprehension, (1.1,), (0,)),
    Case(comprehension_if, (np.array([0.5, -1.5, 2.0, 0.3]),), (0,)),
    Case(generator_sum, (np.array([0.5, -1.5, 2.0, 0.3]),), (0,)),
    Case(np_array_of_list, (0.6, 1.4), (0, 1)),
    Case(np_array_comprehension, (0.6,), (0,)),
    Case(return_dict, (1.2,), (0,)),
]
