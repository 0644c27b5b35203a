"""Ported cases: autograd's NumPy tests (test_numpy, test_systematic).

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported import M23, M33, M34, P5, T234, V3, V5, R


def ag_dot(x, y):
    return np.dot(x, y) + x.dot(y) * 2.0


def ag_dot_matvec(A, x):
    return np.sum(np.dot(A, x) ** 2)


def ag_dot_mats(A, B):
    return np.dot(A, B)


def ag_outer(x, y):
    return np.outer(x, y)


def ag_inner(x, y):
    return np.inner(x, y) ** 2


def ag_tensordot(A, B):
    return np.tensordot(A, B, axes=([1], [0]))


def ag_tensordot2(T, M):
    return np.tensordot(T, M, axes=2)


def ag_kron(x, y):
    return np.kron(x, y)


def ag_trace(A):
    return np.trace(A) + np.trace(A, offset=1)


def ag_diag(x):
    return np.diag(x) @ x


def ag_diag_of_matrix(A):
    return np.diag(A) * np.diagonal(A)


def ag_transpose(A):
    return np.transpose(A) * 2.0 + A.T


def ag_rollaxis(T):
    return np.moveaxis(T, 0, -1) * 3.0


def ag_roll(x):
    return np.roll(x, 2) * x


def ag_roll_2d(A):
    return np.roll(A, -1, axis=1)


def ag_repeat(x):
    return np.repeat(x, 2) * np.arange(10.0)


def ag_tile(x):
    return np.tile(x, (2, 1))


def ag_triu_tril(A):
    return np.triu(A) + 2.0 * np.tril(A, -1)


def ag_cumsum(x):
    return np.cumsum(x) * np.cumsum(x[::-1])


def ag_cumsum_axis(A):
    return np.cumsum(A, axis=1)


def ag_cumprod(x):
    return np.cumprod(x)


def ag_prod(x):
    return np.prod(x)


def ag_prod_axis(A):
    return np.prod(A, axis=0)


def ag_var(A):
    return np.var(A) + np.var(A, axis=0).sum() + np.var(A, ddof=1)


def ag_std(A):
    return np.std(A, axis=1)


def ag_mean_axis(A):
    return np.mean(A, axis=1) + A.mean(axis=1, keepdims=True)[:, 0]


def ag_sum_keepdims(A):
    return A / A.sum(axis=0, keepdims=True)


def ag_max(x):
    return np.max(x) * np.min(x)


def ag_amax_axis(A):
    return np.amax(A, axis=1) - np.amin(A, axis=0)[:2]


def ag_maximum_minimum(x, y):
    return np.maximum(x, y) * np.minimum(x, y)


def ag_fmax(x, y):
    return np.fmax(x, y) + np.fmin(x, 2.0 * y)


def ag_clip(x):
    return np.clip(x, -0.5, 1.0) ** 2


def ag_where(x):
    return np.where(x > 0, x, x**2)


def ag_abs(x):
    return np.abs(x) + abs(x) * x


def ag_sign_mul(x):
    return np.sign(x) * x**2


def ag_floor_frac(x):
    return x - np.floor(x) + np.ceil(x) * x + np.round(x) * x


def ag_mod(x, y):
    return np.mod(x, y) + np.remainder(x, 0.7) + x % 0.3


def ag_fmod(x):
    return np.fmod(x, 0.6)


def ag_hypot(x, y):
    return np.hypot(x, y)


def ag_logaddexp(x, y):
    return np.logaddexp(x, y) + np.logaddexp2(x, y)


def ag_power(x, y):
    return np.power(x, y)


def ag_square_reciprocal(x):
    return np.square(x) + np.reciprocal(x)


def ag_cbrt(x):
    return np.cbrt(x)


def ag_log_family(x):
    return np.log(x) + np.log2(x) + np.log10(x) + np.log1p(x)


def ag_exp_family(x):
    return np.exp(x) + np.exp2(x) + np.expm1(x)


def ag_trig(x):
    return np.sin(x) * np.cos(x) + np.tan(x)


def ag_inverse_trig(x):
    return np.arcsin(x) + np.arccos(x) * 2.0 + np.arctan(x)


def ag_hyperbolic(x):
    return np.sinh(x) + np.cosh(x) * np.tanh(x)


def ag_inverse_hyperbolic(x):
    return np.arcsinh(x) + np.arctanh(x / 2.0) + np.arccosh(x * x + 1.5)


def ag_deg_rad(x):
    return np.deg2rad(x) + np.rad2deg(x) + np.radians(x) + np.degrees(x)


def ag_sinc(x):
    return np.sinc(x)


def ag_real_conj(x):
    return np.real(x) + np.conj(x) + np.imag(x)


def ag_concatenate(x, y):
    return np.concatenate([x, y, x * y])


def ag_stack(x, y):
    return np.stack([x, y]) + np.vstack([x, y]) + np.array([x, y])


def ag_hstack(x, y):
    return np.hstack([x, y])


def ag_column_stack(x, y):
    return np.column_stack([x, y]) @ np.array([1.0, -2.0])


def ag_dstack(A, B):
    return np.dstack([A, B])


def ag_split(x):
    a, b = np.split(x, 2)
    return a * b


def ag_array_split(A):
    parts = np.array_split(A, 3, axis=1)
    return parts[0] * parts[2]


def ag_flatten(A):
    return A.flatten() * A.ravel()


def ag_reshape(A):
    return A.reshape(3, 2) @ A


def ag_squeeze(A):
    return np.squeeze(A[:, None, :]) * A


def ag_expand_dims(x):
    return np.expand_dims(x, 1) * x


def ag_broadcast_to(x):
    return np.broadcast_to(x, (2, 3)) * M23


def ag_flip(A):
    return np.flipud(A) + np.fliplr(A) + np.flip(A)


def ag_rot90(A):
    return np.rot90(A) @ A


def ag_sort(x):
    return np.sort(x) * np.arange(5.0)


def ag_sort_axis(A):
    return np.sort(A, axis=0)


def ag_partition(x):
    return np.partition(x, 2)[2]


def ag_atleast(x):
    return np.atleast_2d(x) * np.atleast_1d(x)


def ag_einsum_matmul(A, B):
    return np.einsum("ij,jk->ik", A, B)


def ag_einsum_trace(A):
    return np.einsum("ii", A)


def ag_einsum_outer_sum(x, y):
    return np.einsum("i,j->", x, y)


def ag_einsum_batch(T, M):
    return np.einsum("bij,jk->bik", T, M)


def ag_linspace_scale(x):
    return np.linspace(0.0, 1.0, 5) * x


CASES: list[Case] = [
    Case(ag_dot, (V3, P5[:3].copy()), (0, 1)),
    Case(ag_dot_matvec, (M23, V3), (0, 1)),
    Case(ag_dot_mats, (M23, M34), (0, 1)),
    Case(ag_outer, (V3, P5), (0, 1)),
    Case(ag_inner, (V3, P5[:3].copy()), (0, 1)),
    Case(ag_tensordot, (M23, M34), (0, 1)),
    Case(ag_tensordot2, (T234, R.standard_normal((3, 4))), (0, 1)),
    Case(ag_kron, (V3, P5[:2].copy()), (0, 1)),
    Case(ag_trace, (M33,), (0,)),
    Case(ag_diag, (V3,), (0,)),
    Case(ag_diag_of_matrix, (M33,), (0,)),
    Case(ag_transpose, (M33,), (0,)),
    Case(ag_rollaxis, (T234,), (0,)),
    Case(ag_roll, (V5,), (0,)),
    Case(ag_roll_2d, (M23,), (0,)),
    Case(ag_repeat, (V5,), (0,)),
    Case(ag_tile, (V3,), (0,)),
    Case(ag_triu_tril, (M33,), (0,)),
    Case(ag_cumsum, (V5,), (0,)),
    Case(ag_cumsum_axis, (M23,), (0,)),
    Case(ag_cumprod, (V5,), (0,)),
    Case(ag_prod, (V5,), (0,)),
    Case(ag_prod_axis, (M23,), (0,)),
    Case(ag_var, (M23,), (0,)),
    Case(ag_std, (M23,), (0,)),
    Case(ag_mean_axis, (M23,), (0,)),
    Case(ag_sum_keepdims, (M23 + 2.0,), (0,)),
    Case(ag_max, (V5,), (0,)),
    Case(ag_amax_axis, (M23,), (0,)),
    Case(ag_maximum_minimum, (V5, P5), (0, 1)),
    Case(ag_fmax, (V5, P5), (0, 1)),
    Case(ag_clip, (V5,), (0,)),
    Case(ag_where, (V5,), (0,)),
    Case(ag_abs, (V5,), (0,)),
    Case(ag_sign_mul, (V5,), (0,)),
    Case(ag_floor_frac, (V5,), (0,)),
    Case(ag_mod, (V5 + 0.07, P5), (0, 1)),
    Case(ag_fmod, (V5,), (0,)),
    Case(ag_hypot, (V5, P5), (0, 1)),
    Case(ag_logaddexp, (V5, P5), (0, 1)),
    Case(ag_power, (P5, V5), (0, 1)),
    Case(ag_square_reciprocal, (V5,), (0,)),
    Case(ag_cbrt, (V5,), (0,)),
    Case(ag_log_family, (P5,), (0,)),
    Case(ag_exp_family, (V5,), (0,)),
    Case(ag_trig, (V5,), (0,)),
    Case(ag_inverse_trig, (V5 / 2.0,), (0,)),
    Case(ag_hyperbolic, (V5,), (0,)),
    Case(ag_inverse_hyperbolic, (V5 / 2.0,), (0,)),
    Case(ag_deg_rad, (V5,), (0,)),
    Case(ag_sinc, (V5,), (0,)),
    Case(ag_real_conj, (V5,), (0,)),
    Case(ag_concatenate, (V3, P5[:3].copy()), (0, 1)),
    Case(ag_stack, (V3, P5[:3].copy()), (0, 1)),
    Case(ag_hstack, (V3, P5), (0, 1)),
    Case(ag_column_stack, (V3, P5[:3].copy()), (0, 1)),
    Case(ag_dstack, (M23, M23 * 2.0), (0, 1)),
    Case(ag_split, (V5[:4].copy(),), (0,)),
    Case(ag_array_split, (M34,), (0,)),
    Case(ag_flatten, (M23,), (0,)),
    Case(ag_reshape, (M23,), (0,)),
    Case(ag_squeeze, (M23,), (0,)),
    Case(ag_expand_dims, (V3,), (0,)),
    Case(ag_broadcast_to, (V3,), (0,)),
    Case(ag_flip, (M23,), (0,)),
    Case(ag_rot90, (M23,), (0,)),
    Case(ag_sort, (V5,), (0,)),
    Case(ag_sort_axis, (M23,), (0,)),
    Case(ag_partition, (V5,), (0,)),
    Case(ag_atleast, (V3,), (0,)),
    Case(ag_einsum_matmul, (M23, M34), (0, 1)),
    Case(ag_einsum_trace, (M33,), (0,)),
    Case(ag_einsum_outer_sum, (V3, P5), (0, 1)),
    Case(ag_einsum_batch, (T234, R.standard_normal((4, 2))), (0, 1)),
    Case(ag_linspace_scale, (V5,), (0,)),
]
