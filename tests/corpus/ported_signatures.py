"""Ported cases: NumPy call signatures: positional options, differentiated options.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported import M23, M34, P5, V3, V5, R


def kw_positional_axis(A):
    return np.sum(A, 0) * np.mean(A, 1, None, None, True)[0]


def kw_ddof_positional(A):
    return np.std(A, None, None, None, 1) + np.var(A, 0, None, None, 1).sum()


def kw_norm_positional(A):
    return np.linalg.norm(A, 2, 0) + np.linalg.norm(A, None, 1, True)[:, 0].sum()


def kw_clip_active_bounds(x, lo, hi):
    return np.clip(x, lo, hi) * 2.0


def kw_clip_none(x):
    return np.clip(x, None, 0.5) + np.clip(x, a_min=-0.2, a_max=None)


def kw_maximum_active_scalar(x, t):
    return np.maximum(x, t) + np.minimum(t, x[::-1])


def kw_interp_active_fp(x, fp):
    return np.interp(x, np.array([-2.0, 0.0, 2.0]), fp)


def kw_interp_active_xp(x, xp):
    return np.interp(x, xp, np.array([1.0, 3.0, 2.0]))


def kw_interp_left_right(x):
    return np.interp(x, np.array([-0.5, 0.5]), np.array([1.0, 3.0]), left=0.0, right=x[0])


def kw_pad_reflect(x):
    return np.pad(x, 2, mode="reflect") * np.arange(9.0)


def kw_pad_edge(A):
    return np.pad(A, ((1, 0), (0, 2)), mode="edge")


def kw_pad_active_constant(x, c):
    return np.pad(x, (1, 1), constant_values=c)


def kw_repeat_array(x):
    return np.repeat(x, [1, 2, 0, 3, 1])


def kw_repeat_axis(A):
    return np.repeat(A, 2, axis=1)


def kw_tile_2d(A):
    return np.tile(A, (2, 2))


def kw_take_axis(A):
    return np.take(A, [2, 0], axis=1)


def kw_take_wrap(x):
    return np.take(x, [7, -8, 1], mode="wrap")


def kw_roll_multi(A):
    return np.roll(A, shift=(1, 2), axis=(0, 1))


def kw_diff_prepend(x):
    return np.diff(x, prepend=x[0] * 2.0, append=0.0)


def kw_diff_axis(A):
    return np.diff(A, axis=0) * np.diff(A, 2, axis=1).sum()


def kw_gradient_spacing(x):
    return np.gradient(x, 0.5)


def kw_gradient_2d(A):
    gy, gx = np.gradient(A)
    return gy * gx


def kw_linspace_active(a, b):
    return np.linspace(a, b, 4) ** 2


def kw_full_active(x):
    return np.full(3, x) * np.array([1.0, 2.0, 3.0])


def kw_arange_scale(x):
    return np.arange(4) * x


def kw_average_weights_active(x, w):
    return np.average(x, weights=w)


def kw_average_axis(A):
    return np.average(A, axis=1, weights=np.array([1.0, 2.0, 3.0]))


def kw_median_axis(A):
    return np.median(A, axis=0)


def kw_quantile_methods(x):
    return np.quantile(x, 0.3, method="lower") + np.quantile(x, 0.6, method="nearest")


def kw_percentile_array_q(x):
    return np.percentile(x, [10.0, 50.0, 90.0])


def kw_quantile_active_q(x, q):
    return np.quantile(x, q)


def kw_nan_reductions(x):
    y = np.where(x > 1.0, np.nan, x)
    return np.nanmax(y) + np.nanmean(y) * np.nanstd(y) + np.nanmin(y)


def kw_trapezoid_active_x(y, x):
    return np.trapezoid(y, x)


def kw_round_decimals(x):
    return np.round(x, 1) * x + np.around(x * 10.0) * x


def kw_tensordot_int(A, B):
    return np.tensordot(A, B, 1)


def kw_einsum_optimize(A, B, C):
    return np.einsum("ij,jk,kl->il", A, B, C, optimize=True)


def kw_sum_where(x):
    return np.sum(x, where=x > 0)


def kw_sum_initial(x):
    return np.sum(x, initial=2.0) * np.prod(x, initial=0.5)


def kw_max_initial(x):
    return np.max(x, initial=0.25)


def kw_cumsum_dtype(x):
    return np.cumsum(x, dtype=np.float64)


def kw_mean_dtype(x):
    return np.mean(x, dtype=np.float64)


def kw_astype_float_chain(x):
    return np.asarray(x, dtype=float) * np.array(x, copy=True)


def kw_zeros_like_dtype(x):
    return np.zeros_like(x, dtype=int) + x


def kw_matmul_out_of_order(A, x):
    return np.dot(x, A.T)


def kw_logaddexp_reduce(x):
    return np.logaddexp.reduce(x)


def kw_sort_descending(x):
    return -np.sort(-x)


def kw_argsort_rank(x):
    r = np.argsort(np.argsort(x))
    return x * r


def kw_where_active_cond_values(x, y):
    return np.where(x > y, x * y, y - x)


def kw_minimum_reduce(A):
    return np.minimum.reduce(A, axis=0)


def kw_hypot_zero(x):
    return np.hypot(x, 0.0)


def kw_exp_overflow_guard(x):
    return np.exp(np.minimum(x, 50.0))


def kw_sqrt_where_guard(x):
    return np.where(x > 0, np.sqrt(np.where(x > 0, x, 1.0)), 0.0)


def kw_log_where_guard(x):
    safe = np.where(x > 0, x, 1.0)
    return np.where(x > 0, np.log(safe), -1.0)


CASES: list[Case] = [
    Case(kw_positional_axis, (M23,), (0,)),
    Case(kw_ddof_positional, (M23,), (0,)),
    Case(kw_norm_positional, (M23,), (0,)),
    Case(kw_clip_active_bounds, (V5, -0.5, 1.0), (0, 1, 2)),
    Case(
        kw_clip_active_bounds,
        (V5, np.full(5, -0.5), np.full(5, 1.0)),
        (0, 1, 2),
        name="ported.kw_clip_active_array_bounds",
    ),
    Case(kw_clip_none, (V5,), (0,)),
    Case(kw_maximum_active_scalar, (V5, 0.5), (0, 1)),
    Case(kw_interp_active_fp, (V5, np.array([1.0, 3.0, 2.0])), (0, 1)),
    Case(kw_pad_reflect, (V5,), (0,)),
    Case(kw_pad_edge, (M23,), (0,)),
    Case(kw_pad_active_constant, (V3, 0.7), (0, 1)),
    Case(kw_repeat_array, (V5,), (0,)),
    Case(kw_repeat_axis, (M23,), (0,)),
    Case(kw_tile_2d, (M23,), (0,)),
    Case(kw_take_axis, (M23,), (0,)),
    Case(kw_take_wrap, (V5,), (0,)),
    Case(kw_roll_multi, (M34,), (0,)),
    Case(kw_diff_prepend, (V5,), (0,)),
    Case(kw_diff_axis, (M34,), (0,)),
    Case(kw_gradient_spacing, (V5,), (0,)),
    Case(kw_gradient_2d, (M34,), (0,)),
    Case(kw_linspace_active, (0.3, 1.7), (0, 1)),
    Case(kw_full_active, (0.7,), (0,)),
    Case(kw_arange_scale, (0.7,), (0,)),
    Case(kw_average_weights_active, (V5, P5), (0, 1)),
    Case(kw_average_axis, (M23,), (0,)),
    Case(kw_median_axis, (M34,), (0,)),
    Case(kw_quantile_methods, (V5,), (0,)),
    Case(kw_percentile_array_q, (V5,), (0,)),
    Case(kw_nan_reductions, (V5,), (0,)),
    Case(kw_trapezoid_active_x, (V5, np.array([0.0, 0.4, 1.1, 1.5, 2.3])), (0, 1)),
    Case(kw_round_decimals, (V5 + 0.013,), (0,)),
    Case(kw_tensordot_int, (M23, M34), (0, 1)),
    Case(kw_einsum_optimize, (M23, M34, R.standard_normal((4, 2))), (0, 1, 2)),
    Case(kw_sum_where, (V5,), (0,)),
    Case(kw_sum_initial, (V5,), (0,)),
    Case(kw_max_initial, (V5,), (0,)),
    Case(kw_max_initial, (V5 - 2.0,), (0,), name="ported.kw_max_initial_wins"),
    Case(kw_cumsum_dtype, (V5,), (0,)),
    Case(kw_mean_dtype, (V5,), (0,)),
    Case(kw_astype_float_chain, (V5,), (0,)),
    Case(kw_zeros_like_dtype, (V5,), (0,)),
    Case(kw_matmul_out_of_order, (M23, V3), (0, 1)),
    Case(kw_logaddexp_reduce, (V5,), (0,)),
    Case(kw_sort_descending, (V5,), (0,)),
    Case(kw_argsort_rank, (V5,), (0,)),
    Case(kw_where_active_cond_values, (V5, P5), (0, 1)),
    Case(kw_minimum_reduce, (M23,), (0,)),
    Case(kw_hypot_zero, (V5,), (0,)),
    Case(kw_exp_overflow_guard, (V5,), (0,)),
    Case(kw_sqrt_where_guard, (V5,), (0,)),
    Case(kw_log_where_guard, (V5,), (0,)),
]
