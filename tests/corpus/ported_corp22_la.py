"""Ported cases (session 22, corp22), written anew as user code after autograd's tests/test_linalg.py
and tests/test_wrappers.py: inv, det, slogdet, solve (batched, several right-hand sides), eigh
with ``UPLO``, svd thin and full, cholesky, pinv, every ``np.linalg.norm`` ord and axis, matrix
power, tensordot/tensorinv-style contractions; and derivative operators used inside the
differentiated function (grad of a grad, an elementwise grad, a Jacobian, a Hessian-vector
product, ``srcad.checkpoint``, a gradient with respect to a named argument).

Small user functions of float vectors -> `CASES` (tests/corpus/ported.py collects them); scalar
rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

import srcad

from . import Case

R = np.random.default_rng(22000122)
A9 = R.standard_normal(9) * 0.4 + np.eye(3).ravel() * 2.0
B24 = R.standard_normal(24) * 0.4
B12 = R.standard_normal(12)
B6 = R.standard_normal(6)
EYE3 = np.eye(3)


def _sym(x):
    a = x.reshape(3, 3)
    return a + a.T + 4.0 * EYE3


def la_inv(x):
    a = x.reshape(3, 3)
    return np.sum(np.linalg.inv(a) ** 2) + np.trace(np.linalg.inv(a @ a.T))


def la_inv_batched(x):
    a = x.reshape(2, 3, 4)[:, :, :3] + 2.0 * EYE3
    return np.sum(np.linalg.inv(a) @ np.ones(3))


def la_det(x):
    a = x.reshape(3, 3)
    return np.linalg.det(a) + np.linalg.det(a @ a.T) ** 0.5


def la_det_batched(x):
    a = x.reshape(2, 3, 4)[:, :, :3] + 2.0 * EYE3
    return np.sum(np.linalg.det(a) ** 2)


def la_slogdet(x):
    sign, logdet = np.linalg.slogdet(x.reshape(3, 3))
    return sign * logdet


def la_slogdet_batched(x):
    a = x.reshape(2, 3, 4)[:, :, :3] + 2.0 * EYE3
    s, ld = np.linalg.slogdet(a)
    return np.sum(s * ld)


def la_solve_vec(x):
    a = x.reshape(3, 3)
    return np.sum(np.linalg.solve(a, np.array([1.0, -2.0, 0.5])) ** 2)


def la_solve_rhs(x):
    a = _sym(x[:9])
    b = x[9:].reshape(3, 1) @ np.ones((1, 2))
    return np.sum(np.linalg.solve(a, b) * np.array([1.0, 2.0]))


def la_solve_batched(x):
    a = x[:18].reshape(2, 3, 3) + 3.0 * EYE3
    b = x[18:24].reshape(2, 3, 1)
    return np.sum(np.linalg.solve(a, b) ** 2)


def la_eigh_lower(x):
    w, v = np.linalg.eigh(_sym(x))
    return np.sum(w**2) + np.sum(np.abs(v[:, 0]) * np.array([1.0, 2.0, 3.0]))


def la_eigh_upper(x):
    a = x.reshape(3, 3) + 4.0 * EYE3
    w = np.linalg.eigh(a, UPLO="U")[0]
    return np.sum(w * np.array([0.5, 1.0, 2.0]))


def la_eigvalsh(x):
    return np.sum(np.linalg.eigvalsh(_sym(x)) ** 3)


def la_svd_thin(x):
    a = x[:12].reshape(4, 3)
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return np.sum(s**2) + np.sum(s) + np.sum((u * s) @ vt)


def la_svd_values(x):
    s = np.linalg.svd(x[:12].reshape(3, 4), compute_uv=False)
    return np.sum(np.log(s))


def la_svd_full(x):
    a = x[:9].reshape(3, 3)
    u, s, vt = np.linalg.svd(a, full_matrices=True)
    return np.sum(s**3) + np.sum((u * s) @ vt * a) + np.sum(np.abs(u[0]) * np.abs(vt[:, 1]))


def la_cholesky(x):
    a = x.reshape(3, 3)
    L = np.linalg.cholesky(a @ a.T + EYE3)
    return np.sum(L * np.array([1.0, 2.0, 3.0])) + 2.0 * np.sum(np.log(np.diag(L)))


def la_cholesky_batched(x):
    a = x[:18].reshape(2, 3, 3)
    L = np.linalg.cholesky(a @ np.swapaxes(a, -1, -2) + EYE3)
    return np.sum(L**2 * np.arange(9.0).reshape(3, 3))


def la_pinv(x):
    a = x[:12].reshape(4, 3)
    return np.sum(np.linalg.pinv(a) ** 2)


def la_pinv_wide(x):
    a = x[:12].reshape(3, 4)
    return np.sum(np.linalg.pinv(a) @ np.array([1.0, -1.0, 0.5]))


def la_norm_vec_ords(x):
    return (
        np.linalg.norm(x)
        + np.linalg.norm(x, 1)
        + np.linalg.norm(x, 3)
        + np.linalg.norm(x, np.inf)
        + np.linalg.norm(x, -np.inf)
        + np.linalg.norm(x, ord=0.5)
    )


def la_norm_mat_ords(x):
    a = x.reshape(3, 3)
    return (
        np.linalg.norm(a)
        + np.linalg.norm(a, "fro")
        + np.linalg.norm(a, 1)
        + np.linalg.norm(a, -1)
        + np.linalg.norm(a, np.inf)
    )


def la_norm_nuclear(x):
    return np.linalg.norm(x.reshape(3, 3), "nuc")


def la_norm_spectral(x):
    a = x.reshape(3, 3)
    return np.linalg.norm(a, 2) + np.linalg.norm(a, -2)


def la_norm_axes(x):
    t = x.reshape(2, 3, 4)
    return (
        np.sum(np.linalg.norm(t, axis=0))
        + np.sum(np.linalg.norm(t, axis=-1, keepdims=True) * t)
        + np.sum(np.linalg.norm(t, ord=1, axis=1))
        + np.sum(np.linalg.norm(t, axis=(1, 2)))
        + np.sum(np.linalg.norm(t, ord="fro", axis=(0, 2)))
    )


def la_matrix_power(x):
    a = x.reshape(3, 3) * 0.5
    return np.sum(np.linalg.matrix_power(a, 3)) + np.trace(np.linalg.matrix_power(a, 0))


def la_matrix_power_neg(x):
    a = x.reshape(3, 3)
    return np.sum(np.linalg.matrix_power(a, -2))


def la_tensordot_axes(x):
    t = x.reshape(2, 3, 4)
    m = np.arange(12.0).reshape(3, 4) / 10.0
    return np.sum(np.tensordot(t, m, axes=([1, 2], [0, 1])) ** 2) + np.sum(
        np.tensordot(t, t, axes=3)
    )


def la_multi_dot(x):
    a = x[:6].reshape(2, 3)
    b = x[6:18].reshape(3, 4)
    c = x[18:22].reshape(4, 1)
    return np.sum(np.linalg.multi_dot([a, b, c]))


def la_lstsq(x):
    a = x[:12].reshape(4, 3)
    sol = np.linalg.lstsq(a, np.array([1.0, 0.0, -1.0, 2.0]), rcond=None)[0]
    return np.sum(sol**2)


def la_qr(x):
    q, r = np.linalg.qr(x[:12].reshape(4, 3))
    return np.sum(np.abs(np.diag(r))) + np.sum(q[:, 0] ** 3)


# -- derivative operators inside the function (autograd test_wrappers) ---------------------------


def _quartic(x):
    return np.sum(np.sin(x) * x**2) + np.sum(x) ** 2


def wr_grad_of_grad(x):
    g = srcad.grad(_quartic)(x)
    return np.sum(g**2)


def _ew(x):
    return np.tanh(x) * x


def wr_elementwise_grad(x):
    # elementwise_grad: the gradient of sum(f(x)) for an elementwise f
    d = srcad.grad(lambda y: np.sum(_ew(y)))(x)
    return np.sum(d * x)


def _vecfun(x):
    return np.array([x[0] * x[1], np.sin(x[2]), x[0] ** 2 + x[3]])


def wr_jacobian_inside(x):
    J = srcad.jacfwd(_vecfun)(x)
    return np.sum(J**2)


def wr_jacrev_inside(x):
    J = srcad.jacrev(_vecfun)(x)
    return np.sum(J * np.arange(12.0).reshape(3, 4))


def wr_hvp_inside(x):
    v = np.array([1.0, -0.5, 0.25, 2.0])
    _, hv = srcad.hvp(_quartic, (x,), (v,))
    return np.sum(hv**2)


def wr_hessian_inside(x):
    H = srcad.hessian(_quartic)(x)
    return np.trace(H) + np.sum(H[0])


def _named(a, b, scale=1.0):
    return np.sum(a * b) * scale + np.sum(b**3)


def wr_grad_named(x):
    gb = srcad.grad(_named, wrt="b")(x[:2], x[2:], scale=2.0)
    return np.sum(gb * x[2:])


def _block(h):
    return np.tanh(h @ np.array([[1.0, 0.5], [-0.3, 0.8]]))


def wr_checkpoint(x):
    h = x.reshape(2, 2)
    for _ in range(3):
        h = srcad.checkpoint(_block)(h)
    return np.sum(h**2)


def wr_value_and_grad(x):
    v, g = srcad.value_and_grad(_quartic)(x)
    return v + np.sum(g * x)


def wr_tensor_jacobian_product(x):
    # tensor_jacobian_product: v^T J via vjp
    _, pull = srcad.vjp(_vecfun, x)
    (g,) = pull(np.array([1.0, 2.0, -1.0]))
    return np.sum(g**2)


def wr_jvp_inside(x):
    _, t = srcad.jvp(_vecfun, (x,), (np.ones(4),))
    return np.sum(t * x[:3])


CASES = [
    Case(la_inv, (A9,), (0,), extra="hvp"),
    Case(la_inv_batched, (B24,), (0,), extra="hvp"),
    Case(la_det, (A9,), (0,), extra="hvp"),
    Case(la_det_batched, (B24,), (0,), extra="hvp"),
    Case(la_slogdet, (A9,), (0,), extra="hvp"),
    Case(la_slogdet_batched, (B24,), (0,), extra="hvp"),
    Case(la_solve_vec, (A9,), (0,), extra="hvp"),
    Case(la_solve_rhs, (B12,), (0,), extra="hvp"),
    Case(la_solve_batched, (B24,), (0,), extra="hvp"),
    Case(la_eigh_lower, (B12[:9],), (0,), extra="hvp"),
    Case(la_eigh_upper, (B12[:9],), (0,), extra="hvp"),
    Case(la_eigvalsh, (B12[:9],), (0,), extra="hvp"),
    Case(la_svd_thin, (B12,), (0,), extra="hvp"),
    Case(la_svd_values, (B12,), (0,), extra="hvp"),
    Case(la_svd_full, (B12,), (0,), extra="hvp"),
    Case(la_cholesky, (A9,), (0,), extra="hvp"),
    Case(la_cholesky_batched, (B24,), (0,), extra="hvp"),
    Case(la_pinv, (B12,), (0,), extra="hvp"),
    Case(la_pinv_wide, (B12,), (0,), extra="hvp"),
    Case(la_norm_vec_ords, (B6,), (0,), extra="hvp"),
    Case(la_norm_mat_ords, (A9,), (0,), extra="hvp"),
    Case(la_norm_nuclear, (A9,), (0,)),
    Case(la_norm_spectral, (A9,), (0,)),
    Case(la_norm_axes, (B24,), (0,), extra="hvp"),
    Case(la_matrix_power, (A9,), (0,), extra="hvp"),
    Case(la_matrix_power_neg, (A9,), (0,), extra="hvp"),
    Case(la_tensordot_axes, (B24,), (0,), extra="hvp"),
    Case(la_multi_dot, (R.standard_normal(22),), (0,), extra="hvp"),
    Case(la_lstsq, (B12,), (0,), extra="hvp"),
    Case(la_qr, (B12,), (0,), extra="hvp"),
    Case(wr_grad_of_grad, (B6[:4],), (0,), extra="hvp"),
    Case(wr_elementwise_grad, (B6,), (0,), extra="hvp"),
    Case(wr_jacobian_inside, (B6[:4],), (0,), extra="hvp"),
    Case(wr_jacrev_inside, (B6[:4],), (0,), extra="hvp"),
    Case(wr_hvp_inside, (B6[:4],), (0,)),
    Case(wr_hessian_inside, (B6[:4],), (0,)),
    Case(wr_grad_named, (B6[:4],), (0,), extra="hvp"),
    Case(wr_checkpoint, (B6[:4],), (0,), extra="hvp"),
    Case(wr_value_and_grad, (B6[:4],), (0,), extra="hvp"),
    Case(wr_tensor_jacobian_product, (B6[:4],), (0,), extra="hvp"),
    Case(wr_jvp_inside, (B6[:4],), (0,), extra="hvp"),
]
