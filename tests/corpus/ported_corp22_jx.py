"""Ported cases (session 22, corp22), written anew as user code after JAX's tests: lax_numpy_test's
differentiable NumPy functions with keyword arguments (cumsum/cumprod with axis and dtype, diff with
n/prepend/append, ediff1d with to_begin/to_end, trapezoid with x= and dx=, polyval, interp, kron,
outer, cross with axes, einsum with optimize= and ellipses, tensordot, take_along_axis,
put_along-style scatters, roll/flip/rot90, clip with arrays), the reductions' grad tests (nan*
functions, ``where=``, ``initial=``, ``keepdims``, ``ddof``), and api_test.py's grad/jacfwd/jacrev
cases with Python control flow, closures and keyword arguments.

Small user functions of float vectors -> `CASES` (tests/corpus/ported.py collects them); scalar
rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(22000222)
V6 = np.array([0.7, -0.4, 1.3, 0.25, -1.1, 0.9])
V12 = np.round(R.standard_normal(12), 3)
V24 = np.round(R.standard_normal(24), 3)
IDX34 = np.array([[2, 0, 1, 3], [1, 1, 0, 2], [3, 2, 2, 0]])
XP = np.array([0.0, 0.5, 1.2, 2.0, 3.1, 4.0])


def jx_cumsum_axis(x):
    m = x.reshape(3, 4)
    return np.sum(np.cumsum(m, axis=0) ** 2) + np.sum(np.cumsum(m, axis=-1, dtype=np.float64) * m)


def jx_cumprod_axis(x):
    m = x.reshape(3, 4)
    return np.sum(np.cumprod(m, axis=1)) + np.sum(np.cumprod(m[::-1], axis=0)[-1])


def jx_cumsum_flat(x):
    return np.sum(np.cumsum(x.reshape(3, 4)) * np.arange(12.0))


def jx_diff_kwargs(x):
    m = x.reshape(3, 4)
    return (
        np.sum(np.diff(m, n=2, axis=1) ** 2)
        + np.sum(np.diff(m, axis=0, prepend=0.5) ** 2)
        + np.sum(np.diff(x, append=x[:2]) ** 3)
        + np.sum(np.diff(x, prepend=np.zeros(1), append=x[-1]) * x[0])
    )


def jx_ediff1d(x):
    return np.sum(np.ediff1d(x) ** 2) + np.sum(
        np.ediff1d(x, to_begin=x[0], to_end=np.array([1.0, 2.0])) * np.arange(14.0)
    )


def jx_trapezoid(x):
    m = x.reshape(3, 4)
    a = np.trapezoid(m, dx=0.5, axis=1)
    b = np.trapezoid(m, x=np.array([0.0, 0.4, 1.1, 2.0]))
    c = np.trapezoid(x[:6] ** 2, x=np.cumsum(np.abs(x[6:]) + 0.1))
    return np.sum(a**2) + np.sum(b * m[:, 0]) + c


def jx_polyval(x):
    p = x[:4]
    return np.sum(np.polyval(p, x[4:])) + np.polyval(x[4:8], x[0]) ** 2


def jx_interp_y(x):
    return np.sum(np.interp(np.array([0.2, 1.0, 2.5, 3.9, -0.3, 5.0]), XP, x[:6]) ** 2)


def jx_interp_x(x):
    xq = 2.0 + 1.5 * np.tanh(x[:6])
    return np.sum(np.interp(xq, XP, np.sin(XP), left=0.0, right=1.0) * x[6:])


def jx_kron_outer(x):
    a = x[:4].reshape(2, 2)
    b = x[4:10].reshape(2, 3)
    return np.sum(np.kron(a, b) ** 2) + np.sum(np.outer(x[:3], x[3:7]) * np.kron(x[:2], x[2:4])[0])


def jx_cross(x):
    a = x[:12].reshape(4, 3)
    b = x[12:24].reshape(4, 3)
    c = np.cross(a, b)
    d = np.cross(a.T, b.T, axisa=0, axisb=0, axisc=0)
    return np.sum(c**2) + np.sum(d * c.T)


def jx_einsum_paths(x):
    a = x[:6].reshape(2, 3)
    b = x[6:18].reshape(3, 4)
    c = x[18:22].reshape(4, 1)
    p1 = np.einsum("ij,jk,kl->il", a, b, c, optimize=True)
    p2 = np.einsum("ij,jk,kl->il", a, b, c, optimize="greedy")
    p3 = np.einsum(a, [0, 1], b, [1, 2], [0, 2])
    p4 = np.einsum("...j,jk->...k", a, b)
    p5 = np.einsum("ii", b[:, :3])
    p6 = np.einsum("ij,ij->", a, a)
    return np.sum(p1**2) + np.sum(p2) + np.sum(p3 * p4) + p5 + p6


def jx_einsum_ellipsis(x):
    t = x.reshape(2, 3, 4)
    w = np.arange(4.0) / 4.0
    return np.sum(np.einsum("...k,k->...", t, w) ** 2) + np.sum(np.einsum("bij->bji", t)[:, 0] ** 2)


def jx_tensordot_int_axes(x):
    t = x.reshape(2, 3, 4)
    m = x[:12].reshape(3, 4)
    return np.sum(np.tensordot(t, m, 2) ** 2) + np.sum(np.tensordot(m, m, axes=(1, 1)))


def jx_take_along_axis(x):
    m = x.reshape(3, 4)
    s = np.take_along_axis(m, IDX34, axis=1)
    o = np.take_along_axis(m, np.argsort(m, axis=0), axis=0)
    return np.sum(s**2) + np.sum(o * np.arange(12.0).reshape(3, 4))


def jx_take_modes(x):
    return np.sum(np.take(x, [0, 5, 13, -1], mode="wrap") ** 2) + np.sum(
        np.take(x, np.array([2, 20]), mode="clip") * np.array([1.0, 2.0])
    )


def jx_put_along_axis_copy(x):
    m = x.reshape(3, 4).copy()
    np.put_along_axis(m, np.array([[0], [2], [1]]), 0.0, axis=1)
    return np.sum(m**2)


def jx_roll_flip_rot(x):
    m = x.reshape(3, 4)
    return (
        np.sum(np.roll(m, 2) * m)
        + np.sum(np.roll(m, (1, -1), axis=(0, 1)) ** 2 * m)
        + np.sum(np.flip(m, axis=1)[0] * m[0])
        + np.sum(np.rot90(m, k=3) ** 3)
    )


def jx_clip_arrays(x):
    lo = np.linspace(-1.0, 0.0, 12)
    return np.sum(np.clip(x, lo, 0.8) ** 2) + np.sum(np.clip(x, a_min=None, a_max=0.3) * x)


def jx_nan_reductions(x):
    y = np.where(x > 1.2, np.nan, x)
    return (
        np.nansum(y**2)
        + np.nanmean(y) ** 2
        + np.nanmax(y)
        - np.nanmin(y)
        + np.nanprod(y[:4] + 2.0)
        + np.nanvar(y)
        + np.nanstd(y, ddof=1)
    )


def jx_nan_axis(x):
    y = np.where(np.abs(x) > 1.4, np.nan, x).reshape(3, 4)
    return np.sum(np.nansum(y, axis=0) ** 2) + np.sum(
        np.nanmean(y, axis=1, keepdims=True) * y[:, :1]
    )


def jx_nancumsum(x):
    y = np.where(x > 1.2, np.nan, x)
    return np.sum(np.nancumsum(y) ** 2) + np.sum(np.nancumprod(y[:5]))


def jx_reduce_where(x):
    m = x.reshape(3, 4)
    mask = np.array(
        [[True, False, True, True], [False, True, True, False], [True, True, False, True]]
    )
    return (
        np.sum(m**2, where=mask)
        + np.sum(np.sum(m, axis=1, where=mask) ** 2)
        + np.mean(m, where=mask) ** 2
        + np.max(m, where=mask, initial=-10.0)
        + np.sum(np.min(m, axis=0, where=mask, initial=5.0))
        + np.prod(m[0] + 2.0, where=mask[0])
    )


def jx_reduce_initial(x):
    return np.sum(x**2, initial=1.5) + np.max(x, initial=0.0) + np.prod(x[:3], initial=2.0)


def jx_var_std_ddof(x):
    m = x.reshape(3, 4)
    return (
        np.sum(np.var(m, axis=0, ddof=1))
        + np.sum(np.std(m, axis=1, keepdims=True) * m)
        + np.std(x, ddof=2) ** 3
    )


def jx_average_weights(x):
    m = x.reshape(3, 4)
    w = np.array([1.0, 2.0, 0.5, 1.5])
    a, s = np.average(m, axis=1, weights=w, returned=True)
    return np.sum(a**2) + np.sum(s) + np.average(x[:4], weights=np.abs(x[4:8]) + 0.1)


def jx_ptp_percentile(x):
    m = x.reshape(3, 4)
    return (
        np.sum(np.ptp(m, axis=1) ** 2)
        + np.percentile(x, 30.0)
        + np.sum(np.quantile(m, [0.25, 0.75], axis=0))
    )


def jx_logaddexp_hypot(x):
    return (
        np.sum(np.logaddexp(x[:6], x[6:]))
        + np.sum(np.logaddexp2(x[:6], 0.5))
        + np.sum(np.hypot(x[:6], x[6:]))
    )


def jx_sinc_deg(x):
    return np.sum(np.sinc(x)) + np.sum(np.deg2rad(x) ** 2) + np.sum(np.sin(np.radians(x * 30.0)))


def jx_copysign_fmod(x):
    return (
        np.sum(np.copysign(x, -1.0) * x)
        + np.sum(np.fmod(x + 5.0, 1.3))
        + np.sum(np.remainder(x + 5.0, 0.7) ** 2)
    )


def jx_float_power_cbrt(x):
    return (
        np.sum(np.float_power(np.abs(x) + 0.5, 1.7))
        + np.sum(np.cbrt(x + 3.0))
        + np.sum(np.square(x) * np.reciprocal(x + 4.0))
    )


def jx_meshgrid_broadcast(x):
    a, b = np.meshgrid(x[:3], x[3:7], indexing="ij")
    c, d = np.broadcast_arrays(x[:4].reshape(4, 1), x[4:7])
    return np.sum(a * b**2) + np.sum(c * d)


def jx_stack_split(x):
    parts = np.split(x, 3)
    s = np.stack(parts, axis=1)
    h = np.hstack([parts[0], parts[2]])
    v = np.vstack(parts)
    d = np.dstack([parts[0], parts[1]])
    a, b = np.array_split(x, [5])
    return np.sum(s**2) + np.sum(h * v[0, 0]) + np.sum(d**3) + np.sum(a) * np.sum(b)


def jx_triu_tril_diag(x):
    m = x.reshape(3, 4)
    return (
        np.sum(np.triu(m, 1) ** 2)
        + np.sum(np.tril(m, -1))
        + np.sum(np.diag(m, 1) ** 2)
        + np.sum(np.diagonal(m, offset=-1))
        + np.trace(m, offset=1)
        + np.sum(m @ np.diagflat(m[0]))
    )


# -- api_test.py style: Python control flow, closures, keyword arguments -------------------------


def jx_api_control_flow(x):
    total = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0:
            total = total + np.sin(x[i]) * i
        elif x[i] < -0.5:
            total = total - x[i] ** 2
        else:
            total = total + np.exp(x[i])
    return total


def jx_api_while(x):
    y = x[0]
    n = 0
    while n < 5 and np.abs(y) < 10.0:
        y = y * 1.5 + x[1]
        n += 1
    return y * x[2]


def jx_api_closure(x):
    a = x[0]

    def inner(y):
        return np.sum(y * a) ** 2

    def outer(y, scale=2.0):
        return inner(y) * scale + a

    return outer(x[1:], scale=3.0) + outer(x[1:])


def jx_api_kwargs(x):
    def f(a, *, b=1.0, c=None):
        out = a * b
        if c is not None:
            out = out + c
        return out

    return np.sum(f(x, b=x[0]) ** 2) + np.sum(f(x, c=np.sin(x)))


def jx_api_tuple_return(x):
    def f(y):
        return y**2, np.sum(y)

    a, b = f(x)
    return np.sum(a) * b


def jx_api_dict_pytree(x):
    params = {"w": x[:3], "b": x[3]}

    def apply(p, inp):
        return np.tanh(inp @ p["w"] + p["b"])

    inputs = np.array([[1.0, 0.0, 2.0], [0.5, -1.0, 0.3]])
    return np.sum(apply(params, inputs) ** 2)


def jx_api_jacfwd_vec(x):
    return np.array([x[0] ** 2 * x[1], np.sin(x[1]) * x[2], np.exp(x[2] - x[0])])


def jx_api_int_pow(x):
    n = 3
    return np.sum(x**n) + np.sum(x ** np.int64(2)) + np.sum(np.power(x, np.arange(12) % 3))


CASES = [
    Case(jx_cumsum_axis, (V12,), (0,), extra="hvp"),
    Case(jx_cumprod_axis, (V12,), (0,), extra="hvp"),
    Case(jx_cumsum_flat, (V12,), (0,), extra="hvp"),
    Case(jx_diff_kwargs, (V12,), (0,), extra="hvp"),
    Case(jx_ediff1d, (V12,), (0,), extra="hvp"),
    Case(jx_trapezoid, (V12,), (0,), extra="hvp"),
    Case(jx_polyval, (V12,), (0,), extra="hvp"),
    Case(jx_interp_y, (V12,), (0,), extra="hvp"),
    Case(jx_interp_x, (V12,), (0,), extra="hvp"),
    Case(jx_kron_outer, (V12,), (0,), extra="hvp"),
    Case(jx_cross, (V24,), (0,), extra="hvp"),
    Case(jx_einsum_paths, (V24[:22],), (0,), extra="hvp"),
    Case(jx_einsum_ellipsis, (V24,), (0,), extra="hvp"),
    Case(jx_tensordot_int_axes, (V24,), (0,), extra="hvp"),
    Case(jx_take_along_axis, (V12,), (0,), extra="hvp"),
    Case(jx_take_modes, (V12,), (0,), extra="hvp"),
    Case(jx_put_along_axis_copy, (V12,), (0,), extra="hvp"),
    Case(jx_roll_flip_rot, (V12,), (0,), extra="hvp"),
    Case(jx_clip_arrays, (V12,), (0,), extra="hvp"),
    Case(jx_nan_reductions, (V12,), (0,), extra="hvp"),
    Case(jx_nan_axis, (V12,), (0,), extra="hvp"),
    Case(jx_nancumsum, (V12,), (0,), extra="hvp"),
    Case(jx_reduce_where, (V12,), (0,), extra="hvp"),
    Case(jx_reduce_initial, (V12,), (0,), extra="hvp"),
    Case(jx_var_std_ddof, (V12,), (0,), extra="hvp"),
    Case(jx_average_weights, (V12,), (0,), extra="hvp"),
    Case(jx_ptp_percentile, (V12,), (0,), extra="hvp"),
    Case(jx_logaddexp_hypot, (V12,), (0,), extra="hvp"),
    Case(jx_sinc_deg, (V12,), (0,), extra="hvp"),
    Case(jx_copysign_fmod, (V12,), (0,), extra="hvp"),
    Case(jx_float_power_cbrt, (V12,), (0,), extra="hvp"),
    Case(jx_meshgrid_broadcast, (V12,), (0,), extra="hvp"),
    Case(jx_stack_split, (V12,), (0,), extra="hvp"),
    Case(jx_triu_tril_diag, (V12,), (0,), extra="hvp"),
    Case(jx_api_control_flow, (V6,), (0,), extra="hvp"),
    Case(jx_api_while, (np.array([0.3, 0.4, 1.2]),), (0,), extra="hvp"),
    Case(jx_api_closure, (V6,), (0,), extra="hvp"),
    Case(jx_api_kwargs, (V6,), (0,), extra="hvp"),
    Case(jx_api_tuple_return, (V6,), (0,), extra="hvp"),
    Case(jx_api_dict_pytree, (V6[:4],), (0,), extra="hvp"),
    Case(jx_api_jacfwd_vec, (np.array([0.3, -0.6, 0.9]),), (0,)),
    Case(jx_api_int_pow, (V12,), (0,), extra="hvp"),
]
