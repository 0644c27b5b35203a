"""NumPy array idioms the way users write them: in-place edits of copies, slices, masks,
gathers, conversions (soundness hunt B; split from users_idioms.py)."""

from __future__ import annotations

import numpy as np

from . import Case


def slice_augassign(x, v):
    y = x.copy()
    y[1:3] += v
    y[::2] *= 2.0
    return np.sum(y**2)


def copy_then_edit(x):
    y = np.copy(x)
    y[0] = y[0] * 3
    y[-1] = np.exp(y[-1])
    y[y < 0] = 0.0
    return y


def transpose_reshape(A):
    return (A.T @ A).reshape(-1) * np.arange(A.shape[1] ** 2)


def astype_float(x, idx):
    w = idx.astype(float)
    return np.sum(x.astype(np.float64) * w)


def concat_stack_split(a, b):
    c = np.concatenate([a, b * 2])
    s = np.stack([a, b], axis=1)
    p, q = np.split(c, 2)
    return np.sum(p * q) + np.sum(s[:, 0] * s[:, 1] ** 2)


def bool_mask(x):
    return np.sum(x[x > 0] ** 2) - np.sum(np.abs(x[x <= 0]))


def cumsum_diff(x):
    c = np.cumsum(x)
    d = np.diff(x**2)
    return np.sum(c * np.cumprod(x)) + np.sum(d**2)


def argsort_gather(x, y):
    order = np.argsort(x)
    return np.sum(y[order] * np.arange(len(y))) + np.sort(x)[0]


def int_powers(x):
    return x**3 - 2 * x**2 + x ** (-1) + np.sum(x**0)


def nested_lists(M):
    rows = [[M[i, j] * (i + j) for j in range(M.shape[1])] for i in range(M.shape[0])]
    return sum(sum(r) for r in rows) + rows[1][2] ** 2


def where_inf_softplus(x):
    return np.sum(np.where(x > 30, x, np.log1p(np.exp(np.minimum(x, 30)))))


def sqrt_safe(x):
    r2 = np.sum(x**2)
    return np.sqrt(r2) if r2 > 0 else 0.0


def norm_axis(X):
    return np.linalg.norm(X, axis=1).sum() + np.linalg.norm(X, ord=1)


def einsum_idioms(A, B):
    return np.einsum("ij,jk->ik", A, B).trace() + np.einsum("ij,ij->", A, A)


def clip_normalize(x):
    y = np.clip(x, -1.0, 1.0)
    return y / np.sum(np.abs(y))


def float_conversion(x):
    s = float(np.sum(x))
    return s * s + float(x[0])


def item_method(x):
    return x.sum().item() * x[1] + x.max()


def fancy_setitem(x):
    y = np.zeros(5)
    y[[0, 2, 4]] = x
    y[1:4] += x[::-1][:3] * 0.5
    return y


def add_at(x, idx):
    y = np.zeros(3)
    np.add.at(y, idx, x)
    return np.sum(y**2)


def outer_meshgrid(x, y):
    X, Y = np.meshgrid(x, y)
    return np.sum(np.sin(X) * Y**2) + np.sum(np.outer(x, y))


def triu_sum(A):
    return np.sum(np.triu(A, 1) ** 2) + np.trace(A)


def round_trip_list(x):
    lst = x.tolist()
    return sum(v**2 for v in lst)


def chained_compare(x):
    total = 0.0
    for v in x:
        if -1.0 < v <= 1.0:
            total += v**3
        else:
            total += 2 * v
    return total


def integer_division_index(x):
    n = len(x)
    return x[n // 2] * x[-(n // 3)] + x[n % 3]


def swap_elements(x):
    y = x.copy()
    y[0], y[-1] = y[-1], y[0]
    return y * np.arange(1.0, len(y) + 1)


def iadd_array_arg_copy(x):
    acc = np.zeros_like(x)
    for k in range(3):
        acc += x ** (k + 1) / (k + 1)
    return acc


RI = np.random.default_rng(11)
A3 = RI.standard_normal((3, 3))
V5 = np.array([0.5, -1.2, 2.3, 0.1, -0.4])
CASES = [
    Case(slice_augassign, (V5, 0.3), (0, 1)),
    Case(copy_then_edit, (V5,), (0,)),
    Case(transpose_reshape, (RI.standard_normal((3, 2)),), (0,)),
    Case(astype_float, (V5, np.arange(5)), (0,)),
    Case(concat_stack_split, (np.array([0.5, 1.0, -2.0]), np.array([0.3, 0.1, 0.2])), (0, 1)),
    Case(bool_mask, (V5,), (0,)),
    Case(cumsum_diff, (V5,), (0,), extra="hvp"),
    Case(argsort_gather, (V5, np.array([1.0, 2.0, 3.0, 4.0, 5.0])), (0, 1)),
    Case(int_powers, (V5,), (0,), extra="hvp"),
    Case(nested_lists, (A3,), (0,)),
    Case(where_inf_softplus, (np.array([-2.0, 0.5, 40.0]),), (0,)),
    Case(sqrt_safe, (V5,), (0,)),
    Case(norm_axis, (A3,), (0,)),
    Case(einsum_idioms, (A3, A3.T.copy()), (0, 1), extra="hvp"),
    Case(clip_normalize, (np.array([0.5, -1.5, 0.3]),), (0,)),
    Case(float_conversion, (V5,), (0,)),
    Case(item_method, (V5,), (0,)),
    Case(fancy_setitem, (np.array([0.5, -1.5, 0.3]),), (0,)),
    Case(add_at, (np.array([0.5, -1.5, 0.3, 2.0]), np.array([0, 2, 0, 1])), (0,)),
    Case(outer_meshgrid, (np.array([0.5, -1.5, 0.3]), np.array([0.2, 0.7])), (0, 1)),
    Case(triu_sum, (A3,), (0,)),
    Case(round_trip_list, (V5,), (0,)),
    Case(chained_compare, (V5,), (0,)),
    Case(integer_division_index, (V5,), (0,)),
    Case(swap_elements, (V5,), (0,)),
    Case(iadd_array_arg_copy, (V5,), (0,)),
]
