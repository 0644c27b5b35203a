"""Ported cases: autograd's linalg, scalar-op, builtin and container tests.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import math
import operator

import numpy as np

from . import Case
from .ported import M23, M33, M34, P5, SPD, V3, V5


def la_inv(A):
    return np.linalg.inv(A)


def la_det(A):
    return np.linalg.det(A)


def la_slogdet(A):
    sign, logdet = np.linalg.slogdet(A)
    return sign * logdet


def la_solve(A, b):
    return np.linalg.solve(A, b)


def la_solve_matrix(A, B):
    return np.linalg.solve(A, B)


def la_norm(x):
    return np.linalg.norm(x)


def la_norm_fro(A):
    return np.linalg.norm(A, "fro") + np.linalg.norm(A, axis=1).sum()


def la_norm_ord1(x):
    return np.linalg.norm(x, 1) + np.linalg.norm(x, np.inf)


def la_cholesky(A):
    return np.linalg.cholesky(A)


def la_eigh_vals(A):
    w, _ = np.linalg.eigh(A)
    return w


def la_eigh_vecs(A):
    w, v = np.linalg.eigh(A)
    return np.abs(v[:, 0]) * w[0]


def la_svd_vals(A):
    return np.linalg.svd(A, compute_uv=False)


def la_pinv(A):
    return np.linalg.pinv(A)


def la_matrix_power(A):
    return np.linalg.matrix_power(A, 3)


def la_qr_r(A):
    _, r = np.linalg.qr(A)
    return np.abs(np.diag(r))


def la_multi_dot(A, B):
    return np.linalg.multi_dot([A, B, B.T])


def la_sym_quad(A, x):
    Ai = np.linalg.inv(A)
    return x @ Ai @ x + np.log(np.linalg.det(A))


def sc_math_mix(x):
    return math.sin(x) * math.exp(x) + math.log(x + 2.0) + math.sqrt(x * x + 1.0)


def sc_math_more(x):
    return math.tanh(x) + math.atan(x) + math.erf(x) + math.hypot(x, 2.0) + math.log1p(x * x)


def sc_math_pow(x, y):
    return math.pow(x, y) + x**y + y**x


def sc_builtin_pow(x):
    return pow(x, 3) + pow(2.0, x)


def sc_abs_max(x, y):
    return abs(x) + max(x, y) + min(x, y * 2.0)


def sc_divmod(x):
    q, r = divmod(x, 0.4)
    return r * x + q


def sc_floordiv(x, y):
    return (x // y) * x + x % y


def sc_operator_mod(x):
    return operator.mul(x, x) + operator.truediv(1.0, x) + operator.neg(x)


def sc_comparison_chain(x):
    if 0.0 < x < 1.0:
        return x * x
    return -x


def sc_bool_ops(x, y):
    if x > 0 and y > 0:
        return x * y
    if x > 0 or y > 0:
        return x + y
    return x - y


def sc_ternary(x):
    return x**2 if x > 0 else -x


def sc_round_int(x):
    return x * int(x * 3) + float(x) * round(x, 1)


def sc_float_of_array(x):
    return float(x[0]) * x[1]


def sc_sum_builtin(x):
    return sum(x) + sum([v * v for v in x]) + sum(v for v in x)


def sc_sum_start(x):
    return sum(x, 1.5)


def bi_len_mean(x):
    return sum(x) / len(x)


def bi_enumerate(x):
    s = 0.0
    for i, v in enumerate(x):
        s = s + i * v
    return s


def bi_zip(x, y):
    return sum(a * b for a, b in zip(x, y))


def bi_sorted_list(x):
    vals = sorted([x[0], x[1] * 2.0, x[2] - 1.0])
    return vals[0] + 2.0 * vals[2]


def bi_max_list(x):
    return max([x[0], x[1], x[2]]) - min(x[0], x[2])


def bi_reversed(x):
    out = 0.0
    for k, v in enumerate(reversed(list(x))):
        out = out * 0.5 + v * (k + 1)
    return out


def bi_isinstance(x):
    if isinstance(x, float):
        return x * 2.0
    return x * 3.0


def dc_values(d):
    return d["a"] * d["b"] + sum(d.values())


def dc_items(d):
    s = 0.0
    for k, v in d.items():
        s = s + len(k) * v
    return s


def dc_build(x):
    d = {}
    d["sq"] = x * x
    d["cube"] = d["sq"] * x
    return d["cube"] + d.get("sq", 0.0)


def dc_of_arrays(p):
    return np.sum(p["w"] * p["b"]) + np.sum(p["w"] ** 2)


def dc_return(x):
    return {"a": x * 2.0, "b": np.sin(x)}


def dc_update(x):
    d = {"a": x}
    d.update({"b": x * x})
    return d["a"] * d["b"]


def ls_append(x):
    out = []
    for i in range(3):
        out.append(x * (i + 1))
    return out[0] + out[1] * out[2]


def ls_return(x):
    return [x, x * 2.0, np.sin(x)]


def ls_concat(x):
    a = [x, x * x]
    b = a + [x * 3.0]
    return b[0] * b[2] + b[1]


def ls_extend_pop(x):
    a = [x]
    a.extend([x * 2.0, x * 3.0])
    last = a.pop()
    return last * a[1]


def ls_nested(x):
    a = [[x, 2.0 * x], [x * x]]
    return a[0][1] * a[1][0]


def ls_slice(x):
    a = [x * i for i in range(5)]
    return sum(a[1:4]) * a[-1]


def ls_array_of_list(x):
    return np.array([x, x * x, 3.0 * x]).sum()


def ls_stack_list(x):
    rows = [x * k for k in range(3)]
    return np.stack(rows).sum(axis=0)


def tp_return(x, y):
    return x * y, x + y


def tp_unpack_nested(t):
    (a, b), c = t
    return a * b * c


def tp_index(x):
    t = (x, x * 2.0, x * 3.0)
    return t[1] * t[-1]


def tp_concat(x):
    t = (x,) + (x * x,)
    return t[0] * t[1]


CASES: list[Case] = [
    Case(la_inv, (M33,), (0,)),
    Case(la_det, (M33,), (0,)),
    Case(la_slogdet, (M33,), (0,)),
    Case(la_solve, (M33, V3), (0, 1)),
    Case(la_solve_matrix, (M33, M34), (0, 1)),
    Case(la_norm, (V5,), (0,)),
    Case(la_norm_fro, (M23,), (0,)),
    Case(la_norm_ord1, (V5,), (0,)),
    Case(la_cholesky, (SPD,), (0,), xfail={}),
    Case(la_eigh_vals, (SPD,), (0,)),
    Case(la_eigh_vecs, (SPD,), (0,)),
    Case(la_svd_vals, (M23,), (0,)),
    Case(la_pinv, (M23,), (0,)),
    Case(la_matrix_power, (M33,), (0,)),
    Case(la_qr_r, (M34.T.copy(),), (0,)),
    Case(la_multi_dot, (M23, M34), (0, 1)),
    Case(la_sym_quad, (SPD, V3), (0, 1)),
    Case(sc_math_mix, (0.7,), (0,)),
    Case(sc_math_more, (0.7,), (0,)),
    Case(sc_math_pow, (1.3, 0.8), (0, 1)),
    Case(sc_builtin_pow, (0.7,), (0,)),
    Case(sc_abs_max, (-0.7, 0.3), (0, 1)),
    Case(sc_divmod, (1.3,), (0,)),
    Case(sc_floordiv, (1.3, 0.4), (0, 1)),
    Case(sc_operator_mod, (0.7,), (0,)),
    Case(sc_comparison_chain, (0.7,), (0,)),
    Case(sc_bool_ops, (0.7, -0.3), (0, 1)),
    Case(sc_ternary, (-0.7,), (0,)),
    Case(sc_round_int, (0.77,), (0,)),
    Case(sc_float_of_array, (V3,), (0,)),
    Case(sc_sum_builtin, (V3,), (0,)),
    Case(sc_sum_start, (V3,), (0,)),
    Case(bi_len_mean, (V5,), (0,)),
    Case(bi_enumerate, (V5,), (0,)),
    Case(bi_zip, (V5, P5), (0, 1)),
    Case(bi_sorted_list, (V3,), (0,)),
    Case(bi_max_list, (V3,), (0,)),
    Case(bi_reversed, (V5,), (0,)),
    Case(bi_isinstance, (0.7,), (0,)),
    Case(dc_values, ({"a": 0.7, "b": -1.2},), (0,)),
    Case(dc_items, ({"a": 0.7, "bcd": -1.2},), (0,)),
    Case(dc_build, (0.7,), (0,)),
    Case(dc_of_arrays, ({"w": V3, "b": P5[:3].copy()},), (0,)),
    Case(dc_return, (0.7,), (0,)),
    Case(dc_update, (0.7,), (0,)),
    Case(ls_append, (0.7,), (0,)),
    Case(ls_return, (0.7,), (0,)),
    Case(ls_concat, (0.7,), (0,)),
    Case(ls_extend_pop, (0.7,), (0,)),
    Case(ls_nested, (0.7,), (0,)),
    Case(ls_slice, (0.7,), (0,)),
    Case(ls_array_of_list, (0.7,), (0,)),
    Case(ls_stack_list, (V3,), (0,)),
    Case(tp_return, (0.7, 1.3), (0, 1)),
    Case(tp_unpack_nested, (((0.7, 1.3), -0.4),), (0,)),
    Case(tp_index, (0.7,), (0,)),
    Case(tp_concat, (0.7,), (0,)),
]
