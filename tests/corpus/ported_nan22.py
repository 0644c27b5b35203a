"""Ported cases (session 22, nan22): guards users write before an op with an infinite derivative
(sqrt, log, fractional powers) and what srcad gave nan for where the function is smooth: a masked
product by zero (``y[y < 0] *= 0``), float masks made by ``np.float64(1.0) * (x > 0)`` or
``np.asarray(x > 0, dtype=float)``, masks made in a helper, safe divisions and masked logs.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too, at points with guarded positions."""

from __future__ import annotations

import numpy as np

from . import Case

X = np.array([-0.5, 0.7, -1.2, 1.5])


def relu_sqrt_imul(x):
    y = x.copy()
    y[y < 0] *= 0
    return np.sum(np.sqrt(y))


def relu_sqrt_imul_float(x):
    m = x < 0
    y = x.copy()
    y[m] *= 0.0
    return np.sum(np.sqrt(y) * x)


def relu_sqrt_inplace_bool(x):
    y = x.copy()
    y *= y > 0
    return np.sum(np.sqrt(y))


def relu_sqrt_bool_product(x):
    y = x.copy()
    y = y * (y > 0)
    return np.sum(np.sqrt(y) + y**2)


def np_float_mask(x):
    m = np.float64(1.0) * (x > 0)
    return np.sum((x * m) ** 0.5)


def asarray_mask(x):
    m = np.asarray(x > 0, dtype=float)
    return np.sum((x * m) ** 0.5)


def astype_mask(x):
    m = (x > 0).astype(float)
    return np.sum((x * m) ** 0.5 * np.cos(x))


def relu(z):
    return np.maximum(z, 0)


def relu_helper_sqrt(x):
    return np.sum(np.sqrt(relu(x)) * np.exp(-x))


def mlp_sqrt_features(x):
    h = relu(x - 0.1)
    return np.sum(np.sqrt(h) + 0.5 * h**2)


A3 = np.array([1.0, 0.0, 3.0])
B3 = np.array([2.0, 0.0, 1.5])


def nan_patch(r):
    return np.where(np.isnan(r), 0.0, r)


def ratio_helper_b(b):
    return np.sum(np.nan_to_num(A3 / b) ** 2) + np.sum(nan_patch(A3 / b))


def safe_div(n, d):
    return np.where(d == 0, 0.0, n / np.where(d == 0, 1.0, d))


def safe_div_b(b):
    return np.sum(safe_div(A3, b) ** 2)


def relu_by_product(z):
    return z * (z > 0)


def sqrt_relu_product(x):
    return np.sum(np.sqrt(relu_by_product(x)) * np.cos(x))


def shifted_mask(x):
    m = (x > 0) + 0.0
    return np.sum(np.sqrt(x * m) + m * x)


W3 = np.array([[1.0, -1.0, 0.5, 0.2], [0.5, 2.0, -1.0, 0.3], [-1.0, 0.3, 0.4, -0.2]])


def relu_layers_sqrt(x):
    h = x
    for k in range(2):
        if k == 0:
            h = np.maximum(W3 @ h, 0.0)
        else:
            h = np.maximum(h - 0.1, 0.0)
    return np.sum(np.sqrt(h) + h**2)


CASES = [
    Case(relu_layers_sqrt, (X,), (0,), extra="hvp"),
    Case(sqrt_relu_product, (X,), (0,), extra="hvp"),
    Case(shifted_mask, (X,), (0,), extra="hvp"),
    Case(ratio_helper_b, (B3,), (0,), extra="hvp"),
    Case(safe_div_b, (B3,), (0,), extra="hvp"),
    Case(relu_helper_sqrt, (X,), (0,), extra="hvp"),
    Case(mlp_sqrt_features, (X,), (0,), extra="hvp"),
    Case(relu_sqrt_imul, (X,), (0,), extra="hvp"),
    Case(relu_sqrt_imul_float, (X,), (0,), extra="hvp"),
    Case(relu_sqrt_inplace_bool, (X,), (0,), extra="hvp"),
    Case(relu_sqrt_bool_product, (X,), (0,), extra="hvp"),
    Case(np_float_mask, (X,), (0,), extra="hvp"),
    Case(asarray_mask, (X,), (0,), extra="hvp"),
    Case(astype_mask, (X,), (0,), extra="hvp"),
]
