"""Ported cases: NumPy semantics that differ from the obvious reading.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported import M23, M33, P5, SPD, T234, V3, V5, R


def sy_dot_3d(T, M):
    return np.dot(T, M)


def sy_dot_3d_3d(T, U):
    return np.dot(T, U)


def sy_outer_2d(A, B):
    return np.outer(A, B)


def sy_inner_2d(A, B):
    return np.inner(A, B)


def sy_kron_2d(A, B):
    return np.kron(A, B)


def sy_cross_axis(A, B):
    return np.cross(A, B, axis=0)


def sy_trace_3d(T):
    return np.trace(T, axis1=1, axis2=2) + np.trace(T, offset=-1, axis1=0, axis2=2)


def sy_diagonal_axes(T):
    return np.diagonal(T, offset=1, axis1=1, axis2=2)


def sy_cumsum_flat(A):
    return np.cumsum(A)


def sy_cumprod_axis(A):
    return np.cumprod(A, axis=0)


def sy_prod_with_zero(x):
    y = x * np.array([1.0, 0.0, 1.0, 1.0, 1.0])
    return np.prod(y)


def sy_prod_two_zeros(x):
    y = x * np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    return np.prod(y)


def sy_cumprod_with_zero(x):
    y = x * np.array([1.0, 0.0, 1.0, 1.0, 1.0])
    return np.cumprod(y)


def sy_var_axes(T):
    return np.var(T, axis=(0, 2)) + np.std(T, axis=(1,), ddof=1, keepdims=True)[:, 0, 0].sum()


def sy_sort_2d(A):
    return np.sort(A)


def sy_matmul_vec(A, x):
    return np.matmul(A, x).sum() + np.matmul(x[:2], A)


def sy_matmul_batch_vec(T, x):
    return T @ x


def sy_norm_spectral(A):
    return A * np.linalg.norm(A, 2)  # an array: no second derivative of this norm yet


def sy_norm_nuc(A):
    return A * np.linalg.norm(A, "nuc")  # an array: no second derivative of this norm yet


def sy_norm_ord(x):
    return np.linalg.norm(x, 3) + np.linalg.norm(x, -np.inf) + np.linalg.norm(x, 0.5)


def sy_norm_matrix_inf(A):
    return np.linalg.norm(A, np.inf) + np.linalg.norm(A, 1)


def sy_det_batch(T):
    return np.linalg.det(T)


def sy_inv_batch(T):
    return np.linalg.inv(T)


def sy_solve_batch(T, B):
    return np.linalg.solve(T, B)


def sy_swapaxes(T):
    return np.swapaxes(T, 0, 2) * 2.0


def sy_tensordot_0(x, y):
    return np.tensordot(x, y, axes=0)


def sy_tensordot_pairs(T, U):
    return np.tensordot(T, U, axes=([0, 2], [2, 0]))


def sy_einsum_repeated(A):
    return np.einsum("ij,ij->i", A, A)


def sy_einsum_diag_out(A):
    return np.einsum("ii->i", A)


def sy_einsum_ellipsis(T, M):
    return np.einsum("...ij,jk->...ik", T, M)


def sy_mean_int_axis_neg(T):
    return T.mean(axis=-2)


def sy_sum_dtype_int(x):
    return np.sum(x * 10.0, dtype=int) * x[0]


def sy_astype_int(x):
    return x.astype(int) * x


def sy_array_dtype_int(x):
    return np.array(x * 10.0, dtype=int) * x


def sy_floor_divide(x):
    return np.floor_divide(x, 0.3) * x


def sy_heaviside(x):
    return np.heaviside(x, 0.5) * x


def sy_bool_mul(x):
    return (x > 0) * x + (x < 0.5) * x**2


def sy_true_divide(x, y):
    return np.true_divide(x, y) + np.divide(y, x)


def sy_pow_zero_exp(x):
    return x**0 + x**1 + np.power(x, 2)


def sy_sqrt_of_square(x):
    return np.sqrt(x**2 + 1e-3)


def sy_max_keepdims(A):
    return A - np.max(A, axis=1, keepdims=True)


def sy_argmax_gather_2d(A):
    return A[np.arange(2), np.argmax(A, axis=1)]


def sy_max_ties(x):
    return np.max(np.concatenate([x, x]))


def sy_inplace_sort(x):
    y = x.copy()
    y.sort()
    return y * np.arange(5.0)


def sy_view_mutation(x):
    y = x.copy()
    v = y[1:]
    v *= 2.0
    return y


def sy_alias_mutation(x):
    y = x.copy()
    z = y
    z += 1.0
    return y * x


def sy_reshape_view_write(A):
    B = A.copy()
    f = B.reshape(-1)
    f[0] = 10.0 * f[1]
    return B


def sy_transpose_view_write(A):
    B = A.copy()
    Bt = B.T
    Bt[0, 1] = Bt[1, 0] * 3.0
    return B


def sy_np_copy_edit(x):
    y = np.copy(x)
    y[0] = y[0] ** 2
    return y + x


def sy_list_alias(x):
    a = [x, 2.0 * x]
    b = a
    b.append(3.0 * x)
    return sum(a)


def sy_out_kwarg(x):
    y = np.empty_like(x)
    np.multiply(x, x, out=y)
    return y


def sy_fill_diagonal(A):
    B = A.copy()
    np.fill_diagonal(B, 1.0)
    return B * A


def sy_maximum_accumulate(x):
    return np.maximum.accumulate(x)


def sy_add_reduce(A):
    return np.add.reduce(A, axis=1) * np.multiply.reduce(A, axis=0)[:2]


def sy_ufunc_outer(x, y):
    return np.multiply.outer(x, y)


def sy_scalar_array_mix(x, a):
    return np.sum(x * a) + a * a


def sy_float32(x):
    return np.sum(x.astype(np.float32).astype(np.float64) * 2.0)


def sy_complex_abs(x):
    z = x + 1j * x[::-1]
    return np.sum(np.abs(z))


def sy_complex_real(x):
    z = np.exp(1j * x)
    return np.real(z) * np.imag(z)


def sy_where_one_arg(x):
    idx = np.where(x > 0)[0]
    return x[idx] * 2.0


def sy_nonzero_gather(x):
    return x[np.nonzero(x > 0.5)]


def sy_select(x):
    return np.select([x < 0, x < 1.0], [x**2, 2.0 * x], default=np.sin(x))


def sy_piecewise_by_mask(x):
    return np.where(x < 0, 0.0, np.where(x < 1.0, x, 1.0)) * x


def sy_logsumexp_scipy(x):
    from scipy.special import logsumexp

    return logsumexp(x) + logsumexp(x, b=np.arange(1.0, 6.0))


def sy_expit_logit(x):
    from scipy.special import expit, logit

    return expit(x) + logit(expit(x) * 0.5 + 0.25)


def sy_gammaln_digamma(x):
    from scipy.special import digamma, gammaln

    return gammaln(x) * digamma(x)


def sy_erf_scipy(x):
    from scipy.special import erf, erfc

    return erf(x) + erfc(x) * x


CASES: list[Case] = [
    Case(sy_dot_3d, (T234, R.standard_normal((4, 2))), (0, 1)),
    Case(sy_dot_3d_3d, (T234, R.standard_normal((2, 4, 3))), (0, 1)),
    Case(sy_outer_2d, (M23, R.standard_normal((2, 2))), (0, 1)),
    Case(sy_inner_2d, (M23, M33), (0, 1)),
    Case(sy_kron_2d, (M23, R.standard_normal((2, 2))), (0, 1)),
    Case(sy_cross_axis, (M33, M33[::-1].copy() + 0.3), (0, 1)),
    Case(sy_trace_3d, (R.standard_normal((3, 3, 3)),), (0,)),
    Case(sy_diagonal_axes, (T234,), (0,)),
    Case(sy_cumsum_flat, (M23,), (0,)),
    Case(sy_cumprod_axis, (M23,), (0,)),
    Case(sy_prod_with_zero, (V5,), (0,)),
    Case(sy_prod_two_zeros, (V5,), (0,)),
    Case(sy_cumprod_with_zero, (V5,), (0,)),
    Case(sy_var_axes, (T234,), (0,)),
    Case(sy_sort_2d, (M23,), (0,)),
    Case(sy_matmul_vec, (M23, V3), (0, 1)),
    Case(sy_matmul_batch_vec, (T234, P5[:4].copy()), (0, 1)),
    Case(sy_norm_spectral, (M23,), (0,)),
    Case(sy_norm_nuc, (M23,), (0,)),
    Case(sy_norm_ord, (V5,), (0,)),
    Case(sy_norm_matrix_inf, (M23,), (0,)),
    Case(sy_det_batch, (np.stack([M33, SPD]),), (0,)),
    Case(sy_inv_batch, (np.stack([M33, SPD]),), (0,)),
    Case(sy_solve_batch, (np.stack([M33, SPD]), R.standard_normal((2, 3, 2))), (0, 1)),
    Case(sy_swapaxes, (T234,), (0,)),
    Case(sy_tensordot_0, (V3, P5[:2].copy()), (0, 1)),
    Case(sy_tensordot_pairs, (T234, R.standard_normal((4, 5, 2))), (0, 1)),
    Case(sy_einsum_repeated, (M23,), (0,)),
    Case(sy_einsum_diag_out, (M33,), (0,)),
    Case(sy_einsum_ellipsis, (T234, R.standard_normal((4, 2))), (0, 1)),
    Case(sy_mean_int_axis_neg, (T234,), (0,)),
    Case(sy_sum_dtype_int, (V5 + 0.013,), (0,)),
    Case(sy_astype_int, (V5 * 3.0,), (0,)),
    Case(sy_array_dtype_int, (V5 + 0.013,), (0,)),
    Case(sy_floor_divide, (V5 + 0.013,), (0,)),
    Case(sy_heaviside, (V5,), (0,)),
    Case(sy_bool_mul, (V5,), (0,)),
    Case(sy_true_divide, (V5, P5), (0, 1)),
    Case(sy_pow_zero_exp, (V5,), (0,)),
    Case(sy_sqrt_of_square, (V5,), (0,)),
    Case(sy_max_keepdims, (M23,), (0,)),
    Case(sy_argmax_gather_2d, (M23,), (0,)),
    Case(sy_max_ties, (V5,), (0,)),
    Case(
        sy_inplace_sort,
        (V5,),
        (0,),
    ),
    Case(sy_np_copy_edit, (V5,), (0,)),
    Case(sy_maximum_accumulate, (V5,), (0,)),
    Case(sy_add_reduce, (M23,), (0,)),
    Case(sy_ufunc_outer, (V3, P5), (0, 1)),
    Case(sy_scalar_array_mix, (V5, 0.7), (0, 1)),
    Case(sy_where_one_arg, (V5,), (0,)),
    Case(sy_nonzero_gather, (V5,), (0,)),
    Case(sy_select, (V5,), (0,)),
    Case(sy_piecewise_by_mask, (V5,), (0,)),
    Case(sy_logsumexp_scipy, (V5,), (0,)),
    Case(sy_expit_logit, (V5,), (0,)),
    Case(sy_gammaln_digamma, (P5 + 0.5,), (0,)),
    Case(sy_erf_scipy, (V5,), (0,)),
]
