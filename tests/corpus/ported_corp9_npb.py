"""Ported cases (session 9, corp9), written anew as user code:
npbench's other kernels (deep-learning layers, n-body, weather stencils, FFT, contour
integral, sparse products), each wrapped as a scalar loss of one float vector; the kernels that
update their array arguments in helpers (cavity_flow, vadv) inlined, as srcad refuses those.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them); every row
is scalar-valued and also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math  # noqa: F401

import numpy as np
import scipy.linalg as sla  # noqa: F401
from scipy import special  # noqa: F401

from . import Case

R = np.random.default_rng(15200012)
XS = np.round(R.standard_normal(80) * 0.5 + 0.1, 3)
NB_W1, NB_B1 = R.standard_normal((6, 5)) * 0.5, R.standard_normal(5) * 0.1
NB_W2, NB_B2 = R.standard_normal((5, 4)) * 0.5, R.standard_normal(4) * 0.1
NB_W3, NB_B3 = R.standard_normal((4, 3)) * 0.5, R.standard_normal(3) * 0.1
NB_K1 = R.standard_normal((2, 2, 1, 2)) * 0.5
NB_K2 = R.standard_normal((2, 2, 2, 2)) * 0.5
NB_IMG = R.standard_normal((2, 4, 4, 1))
NB_BET_M = 0.5
NB_BET_P = 0.5


def _relu(x):
    return np.maximum(x, 0)


def _softmax(x):
    tmp_max = np.max(x, axis=-1, keepdims=True)
    tmp_out = np.exp(x - tmp_max)
    tmp_sum = np.sum(tmp_out, axis=-1, keepdims=True)
    return tmp_out / tmp_sum


def _conv2d(inp, weights):
    k = weights.shape[0]
    n = inp.shape[0]
    h_out = inp.shape[1] - k + 1
    w_out = inp.shape[2] - k + 1
    c_out = weights.shape[3]
    output = np.empty((n, h_out, w_out, c_out), dtype=np.float64)
    for i in range(h_out):
        for j in range(w_out):
            output[:, i, j, :] = np.sum(
                inp[:, i : i + k, j : j + k, :, np.newaxis] * weights[np.newaxis, :, :, :],
                axis=(1, 2, 3),
            )
    return output


def _maxpool2d(x):
    output = np.empty([x.shape[0], x.shape[1] // 2, x.shape[2] // 2, x.shape[3]], dtype=x.dtype)
    for i in range(x.shape[1] // 2):
        for j in range(x.shape[2] // 2):
            output[:, i, j, :] = np.max(x[:, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2, :], axis=(1, 2))
    return output


def _batchnorm2d(x, eps=1e-5):
    mean = np.mean(x, axis=0, keepdims=True)
    std = np.std(x, axis=0, keepdims=True)
    return (x - mean) / np.sqrt(std + eps)


def nb_dl_softmax(x):
    s = _softmax(x.reshape(2, -1))
    return np.sum(s * np.arange(s.size).reshape(s.shape))


def nb_dl_mlp(x):
    inp = x[:12].reshape(2, 6)
    h = _relu(inp @ NB_W1 + NB_B1)
    h = _relu(h @ NB_W2 + NB_B2)
    out = _softmax(h @ NB_W3 + NB_B3)
    return np.sum(out[:, 0] * 2.0 + out[:, 1])


def nb_dl_conv2d_bias(x):
    inp = x[:32].reshape(2, 4, 4, 1)
    out = _conv2d(inp, NB_K1) + np.array([0.1, -0.2])
    return np.sum(np.tanh(out))


def nb_dl_conv2d_weights(x):
    w = x[:4].reshape(2, 2, 1, 1)
    return np.sum(_conv2d(NB_IMG, w) ** 2)


def nb_dl_lenet(x):
    inp = x[:32].reshape(2, 4, 4, 1)
    h = _relu(_conv2d(inp, NB_K1) + 0.05)
    h = _maxpool2d(h)
    h = np.reshape(h, (2, 2))
    h = _relu(h @ NB_W3[:2] + NB_B3)
    return np.sum(h @ NB_W3.T[:, :2])


def nb_dl_resnet(x):
    inp = x[:32].reshape(2, 4, 4, 1)
    conv1 = NB_K2[:, :, :1, :]
    padded = np.zeros((inp.shape[0], inp.shape[1] + 1, inp.shape[2] + 1, conv1.shape[3]))
    padded[:, 1:-1, 1:-1, :] = _conv2d(inp, conv1)
    h = _batchnorm2d(padded + 1.0)
    h = _relu(h)
    h = _conv2d(h, NB_K2)
    h = _batchnorm2d(h + 2.0)
    return np.sum(np.tanh(h))


def nb_go_fast(x):
    a = x[:16].reshape(4, 4)
    trace = 0.0
    for i in range(a.shape[0]):
        trace += np.tanh(a[i, i])
    return np.sum((a + trace) ** 2)


def nb_arc_distance(x):
    t1, p1, t2, p2 = x[:4], x[4:8], x[8:12], x[12:16]
    temp = np.sin((t2 - t1) / 2) ** 2 + np.cos(t1) * np.cos(t2) * np.sin((p2 - p1) / 2) ** 2
    d = 2 * (np.arctan2(np.sqrt(temp), np.sqrt(1 - temp)))
    return np.sum(d)


def nb_azimint_naive(x):
    data = x[:12]
    radius = np.linspace(0.05, 1.0, 12)
    npt = 4
    rmax = radius.max()
    res = np.zeros(npt, dtype=np.float64)
    for i in range(npt):
        r1 = rmax * i / npt
        r2 = rmax * (i + 1) / npt
        mask_r12 = np.logical_and((r1 <= radius), (radius < r2))
        values_r12 = data[mask_r12]
        res[i] = values_r12.mean()
    return np.sum(res**2)


def nb_azimint_hist(x):
    data = x[:12]
    radius = np.linspace(0.05, 1.0, 12)
    histu = np.histogram(radius, 4)[0]
    histw = np.histogram(radius, 4, weights=data)[0]
    return np.sum((histw / histu) ** 2)


def nb_compute(x):
    a1 = x[:8] * 10.0
    return np.sum(np.clip(a1, 2, 10) * 0.5 + x[8:16] * 1.5 + 3.0)


def nb_channel_like(x):
    # the periodic-in-x loop with a data-dependent stop, as in channel_flow
    u = x[:25].reshape(5, 5).copy() * 0.1
    udiff = 1.0
    steps = 0
    while udiff > 0.001 and steps < 50:
        un = u.copy()
        u[1:-1, 1:-1] = (
            un[1:-1, 1:-1] + 0.1 * (un[1:-1, 2:] - 2 * un[1:-1, 1:-1] + un[1:-1, 0:-2]) + 0.01
        )
        u[1:-1, -1] = un[1:-1, -1] + 0.1 * (un[1:-1, 0] - 2 * un[1:-1, -1] + un[1:-1, -2]) + 0.01
        u[1:-1, 0] = un[1:-1, 0] + 0.1 * (un[1:-1, 1] - 2 * un[1:-1, 0] + un[1:-1, -1]) + 0.01
        u[0, :] = 0
        u[-1, :] = 0
        udiff = (np.sum(u) - np.sum(un)) / np.sum(u)
        steps += 1
    return np.sum(u**2)


def _get_acc(pos, mass, g, softening):
    x = pos[:, 0:1]
    y = pos[:, 1:2]
    z = pos[:, 2:3]
    dx = x.T - x
    dy = y.T - y
    dz = z.T - z
    inv_r3 = dx**2 + dy**2 + dz**2 + softening**2
    inv_r3[inv_r3 > 0] = inv_r3[inv_r3 > 0] ** (-1.5)
    ax = g * (dx * inv_r3) @ mass
    ay = g * (dy * inv_r3) @ mass
    az = g * (dz * inv_r3) @ mass
    return np.hstack((ax, ay, az))


def nb_nbody_soft(x):
    # nbody with the potential energy on softened distances (no sqrt at 0 on the diagonal)
    pos = x[:12].reshape(4, 3).copy()
    vel = x[12:24].reshape(4, 3).copy() * 0.1
    mass = np.array([[1.0], [0.8], [1.2], [0.9]])
    acc = _get_acc(pos, mass, 1.0, 0.1)
    for _i in range(2):
        vel += acc * 0.01 / 2.0
        pos += vel * 0.01
        acc = _get_acc(pos, mass, 1.0, 0.1)
        vel += acc * 0.01 / 2.0
    d = pos[:, None, :] - pos[None, :, :]
    inv_r = 1.0 / np.sqrt(np.sum(d**2, axis=-1) + 0.01)
    return 0.5 * np.sum(mass * vel**2) - np.sum(np.triu(mass * mass.T * inv_r, 1))


def nb_hdiff(x):
    i_, j_, k_ = 2, 2, 2
    in_field = x[:72].reshape(6, 6, 2)
    coeff = np.full((i_, j_, k_), 0.3)
    lap = 4.0 * in_field[1 : i_ + 3, 1 : j_ + 3, :] - (
        in_field[2 : i_ + 4, 1 : j_ + 3, :]
        + in_field[0 : i_ + 2, 1 : j_ + 3, :]
        + in_field[1 : i_ + 3, 2 : j_ + 4, :]
        + in_field[1 : i_ + 3, 0 : j_ + 2, :]
    )
    res = lap[1:, 1 : j_ + 1, :] - lap[:-1, 1 : j_ + 1, :]
    flx = np.where(
        (res * (in_field[2 : i_ + 3, 2 : j_ + 2, :] - in_field[1 : i_ + 2, 2 : j_ + 2, :])) > 0,
        0,
        res,
    )
    res = lap[1 : i_ + 1, 1:, :] - lap[1 : i_ + 1, :-1, :]
    fly = np.where(
        (res * (in_field[2 : i_ + 2, 2 : j_ + 3, :] - in_field[2 : i_ + 2, 1 : j_ + 2, :])) > 0,
        0,
        res,
    )
    out = np.empty((i_, j_, k_))
    out[:, :, :] = in_field[2 : i_ + 2, 2 : j_ + 2, :] - coeff[:, :, :] * (
        flx[1:, :, :] - flx[:-1, :, :] + fly[:, 1:, :] - fly[:, :-1, :]
    )
    return np.sum(out**2)


def nb_spmv(x):
    a_row = np.array([0, 2, 3, 5, 6])
    a_col = np.array([0, 3, 1, 0, 2, 3])
    a_val = x[:6]
    v = x[6:10]
    y = np.empty(a_row.size - 1, a_val.dtype)
    for i in range(a_row.size - 1):
        cols = a_col[a_row[i] : a_row[i + 1]]
        vals = a_val[a_row[i] : a_row[i + 1]]
        y[i] = vals @ v[cols]
    return np.sum(y**2)


def nb_stockham_fft(x):
    n, r, k = 8, 2, 3
    xs = x[:8] + 1j * x[8:16]
    y = np.empty(n, dtype=np.complex128)
    i_coord, j_coord = np.mgrid[0:r, 0:r]
    dft_mat = np.exp(-2.0j * np.pi * i_coord * j_coord / r)
    y[:] = xs[:]
    ii_coord, jj_coord = np.mgrid[0:r, 0 : r**k]
    for i in range(k):
        yv = np.reshape(y, (r**i, r, r ** (k - i - 1)))
        tmp_perm = np.transpose(yv, axes=(1, 0, 2))
        d = np.empty((r, r**i, r ** (k - i - 1)), dtype=np.complex128)
        tmp = np.exp(-2.0j * np.pi * ii_coord[:, : r**i] * jj_coord[:, : r**i] / r ** (i + 1))
        d[:] = np.repeat(np.reshape(tmp, (r, r**i, 1)), r ** (k - i - 1), axis=2)
        tmp_twid = np.reshape(tmp_perm, (n,)) * np.reshape(d, (n,))
        y[:] = np.reshape(dft_mat @ np.reshape(tmp_twid, (r, r ** (k - 1))), (n,))
    return np.sum(np.abs(y) ** 2) + np.real(y[1])


def nb_contour_integral(x):
    nr = 2
    ham = (x[:12] + 0.5j * x[12:24]).reshape(3, 2, 2) + 3.0 * np.eye(2)
    int_pts = [0.5 + 0.5j, 1.2 - 0.3j, -0.7 + 0.2j]
    p0 = np.zeros((nr, nr), dtype=np.complex128)
    p1 = np.zeros((nr, nr), dtype=np.complex128)
    for z in int_pts:
        tz = np.zeros((nr, nr), dtype=np.complex128)
        for n in range(3):
            zz = np.power(z, 2 / 2 - n)
            tz += zz * ham[n]
        xm = np.linalg.inv(tz)
        if abs(z) < 1.0:
            xm = -xm
        p0 += xm
        p1 += z * xm
    return np.sum(np.abs(p0) ** 2) + np.real(np.sum(p1))


def nb_mandelbrot(x):
    # escape-time iteration of z^2 + c, differentiating |z| at the end w.r.t. c's offset
    c = (x[:4] * 0.2 - 0.3) + 1j * (x[4:8] * 0.2)
    z = np.zeros(c.shape, dtype=np.complex128)
    for _n in range(5):
        inside = np.less(np.abs(z), 2.0)
        z[inside] = z[inside] ** 2 + c[inside]
    return np.sum(np.abs(z))


def nb_crc16_like(x):
    # crc16 is integer-only; a float loss that runs it on quantized data, scaled by x
    data = [3, 200, 17, 99]
    crc = 0xFFFF
    for b in data:
        cur = 0xFF & b
        for _ in range(0, 8):
            if (crc & 0x0001) ^ (cur & 0x0001):
                crc = (crc >> 1) ^ 0x8408
            else:
                crc >>= 1
            cur >>= 1
    crc = ~crc & 0xFFFF
    crc = (crc << 8) | ((crc >> 8) & 0xFF)
    return np.sum(x**2) * ((crc & 0xFFFF) / 65535.0)


def nb_vadv(x):
    shp = (2, 2, 3)
    utens_stage = x[:12].reshape(shp).copy()
    u_stage = x[12:24].reshape(shp)
    wcon = np.ones((3, 2, 3)) * 0.3 + x[0] * 0.1
    u_pos = np.cos(x[:12]).reshape(shp)
    utens = np.full(shp, 0.2)
    dtr_stage = 5.0
    i_, j_, k_ = utens_stage.shape[0], utens_stage.shape[1], utens_stage.shape[2]
    ccol = np.ndarray((i_, j_, k_), dtype=utens_stage.dtype)
    dcol = np.ndarray((i_, j_, k_), dtype=utens_stage.dtype)
    data_col = np.ndarray((i_, j_), dtype=utens_stage.dtype)
    for k in range(1):
        gcv = 0.25 * (wcon[1:, :, k + 1] + wcon[:-1, :, k + 1])
        cs = gcv * NB_BET_M
        ccol[:, :, k] = gcv * NB_BET_P
        bcol = dtr_stage - ccol[:, :, k]
        corr = -cs * (u_stage[:, :, k + 1] - u_stage[:, :, k])
        dcol[:, :, k] = dtr_stage * u_pos[:, :, k] + utens[:, :, k] + utens_stage[:, :, k] + corr
        divided = 1.0 / bcol
        ccol[:, :, k] = ccol[:, :, k] * divided
        dcol[:, :, k] = dcol[:, :, k] * divided
    for k in range(1, k_ - 1):
        gav = -0.25 * (wcon[1:, :, k] + wcon[:-1, :, k])
        gcv = 0.25 * (wcon[1:, :, k + 1] + wcon[:-1, :, k + 1])
        as_ = gav * NB_BET_M
        cs = gcv * NB_BET_M
        acol = gav * NB_BET_P
        ccol[:, :, k] = gcv * NB_BET_P
        bcol = dtr_stage - acol - ccol[:, :, k]
        corr = -as_ * (u_stage[:, :, k - 1] - u_stage[:, :, k]) - cs * (
            u_stage[:, :, k + 1] - u_stage[:, :, k]
        )
        dcol[:, :, k] = dtr_stage * u_pos[:, :, k] + utens[:, :, k] + utens_stage[:, :, k] + corr
        divided = 1.0 / (bcol - ccol[:, :, k - 1] * acol)
        ccol[:, :, k] = ccol[:, :, k] * divided
        dcol[:, :, k] = (dcol[:, :, k] - (dcol[:, :, k - 1]) * acol) * divided
    for k in range(k_ - 1, k_):
        gav = -0.25 * (wcon[1:, :, k] + wcon[:-1, :, k])
        as_ = gav * NB_BET_M
        acol = gav * NB_BET_P
        bcol = dtr_stage - acol
        corr = -as_ * (u_stage[:, :, k - 1] - u_stage[:, :, k])
        dcol[:, :, k] = dtr_stage * u_pos[:, :, k] + utens[:, :, k] + utens_stage[:, :, k] + corr
        divided = 1.0 / (bcol - ccol[:, :, k - 1] * acol)
        dcol[:, :, k] = (dcol[:, :, k] - (dcol[:, :, k - 1]) * acol) * divided
    for k in range(k_ - 1, k_ - 2, -1):
        datacol = dcol[:, :, k]
        data_col[:] = datacol
        utens_stage[:, :, k] = dtr_stage * (datacol - u_pos[:, :, k])
    for k in range(k_ - 2, -1, -1):
        datacol = dcol[:, :, k] - ccol[:, :, k] * data_col[:, :]
        data_col[:] = datacol
        utens_stage[:, :, k] = dtr_stage * (datacol - u_pos[:, :, k])
    return np.sum(utens_stage**2)


def nb_cavity_flow(x):
    u = x[:25].reshape(5, 5).copy() * 0.1
    v = x[5:30].reshape(5, 5).copy() * 0.1
    p = np.zeros((5, 5))
    b = np.zeros((5, 5))
    rho, nu, dt, dx, dy = 1.0, 0.1, 0.01, 0.5, 0.5
    for _n in range(2):
        un = u.copy()
        vn = v.copy()
        b[1:-1, 1:-1] = rho * (
            1
            / dt
            * ((u[1:-1, 2:] - u[1:-1, 0:-2]) / (2 * dx) + (v[2:, 1:-1] - v[0:-2, 1:-1]) / (2 * dy))
            - ((u[1:-1, 2:] - u[1:-1, 0:-2]) / (2 * dx)) ** 2
            - 2
            * ((u[2:, 1:-1] - u[0:-2, 1:-1]) / (2 * dy) * (v[1:-1, 2:] - v[1:-1, 0:-2]) / (2 * dx))
            - ((v[2:, 1:-1] - v[0:-2, 1:-1]) / (2 * dy)) ** 2
        )
        for _q in range(3):
            pn = p.copy()
            p[1:-1, 1:-1] = (
                (pn[1:-1, 2:] + pn[1:-1, 0:-2]) * dy**2 + (pn[2:, 1:-1] + pn[0:-2, 1:-1]) * dx**2
            ) / (2 * (dx**2 + dy**2)) - dx**2 * dy**2 / (2 * (dx**2 + dy**2)) * b[1:-1, 1:-1]
            p[:, -1] = p[:, -2]
            p[0, :] = p[1, :]
            p[:, 0] = p[:, 1]
            p[-1, :] = 0
        u[1:-1, 1:-1] = (
            un[1:-1, 1:-1]
            - un[1:-1, 1:-1] * dt / dx * (un[1:-1, 1:-1] - un[1:-1, 0:-2])
            - vn[1:-1, 1:-1] * dt / dy * (un[1:-1, 1:-1] - un[0:-2, 1:-1])
            - dt / (2 * rho * dx) * (p[1:-1, 2:] - p[1:-1, 0:-2])
            + nu
            * (
                dt / dx**2 * (un[1:-1, 2:] - 2 * un[1:-1, 1:-1] + un[1:-1, 0:-2])
                + dt / dy**2 * (un[2:, 1:-1] - 2 * un[1:-1, 1:-1] + un[0:-2, 1:-1])
            )
        )
        v[1:-1, 1:-1] = (
            vn[1:-1, 1:-1]
            - un[1:-1, 1:-1] * dt / dx * (vn[1:-1, 1:-1] - vn[1:-1, 0:-2])
            - vn[1:-1, 1:-1] * dt / dy * (vn[1:-1, 1:-1] - vn[0:-2, 1:-1])
            - dt / (2 * rho * dy) * (p[2:, 1:-1] - p[0:-2, 1:-1])
        )
        u[0, :] = 0
        u[:, 0] = 0
        u[:, -1] = 0
        u[-1, :] = 1
        v[0, :] = 0
        v[-1, :] = 0
    return np.sum(u**2) + np.sum(v * p)


def _build_b(rho, dt, dx, u):
    # channel_flow's style: a helper that returns a new array (no argument updated)
    b = np.zeros_like(u)
    b[1:-1, 1:-1] = rho * (
        1 / dt * (u[1:-1, 2:] - u[1:-1, 0:-2]) / (2 * dx)
        - ((u[1:-1, 2:] - u[1:-1, 0:-2]) / (2 * dx)) ** 2
    )
    b[1:-1, -1] = rho * (1 / dt * (u[1:-1, 0] - u[1:-1, -2]) / (2 * dx))
    return b


def nb_channel_helper(x):
    u = x[:25].reshape(5, 5).copy() * 0.1
    b = _build_b(1.0, 0.1, 0.5, u)
    return np.sum(b**2)


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(nb_dl_softmax, XS),
    _hvp(nb_dl_mlp, XS, jitter=0.0),
    _hvp(nb_dl_conv2d_bias, XS),
    _hvp(nb_dl_conv2d_weights, XS),
    _hvp(nb_dl_lenet, XS, jitter=0.0),
    _hvp(nb_dl_resnet, XS, jitter=0.0),
    _hvp(nb_go_fast, XS),
    _hvp(nb_arc_distance, XS),
    _hvp(nb_azimint_naive, XS, jitter=0.0),
    _hvp(nb_azimint_hist, XS, jitter=0.0),
    _hvp(nb_compute, XS, jitter=0.0),
    _hvp(nb_channel_like, XS, jitter=0.0),
    _hvp(nb_nbody_soft, XS),
    _hvp(nb_hdiff, XS, jitter=0.0),
    _hvp(nb_spmv, XS),
    _hvp(nb_stockham_fft, XS),
    _hvp(nb_contour_integral, XS),
    _hvp(nb_mandelbrot, XS, jitter=0.0),
    _hvp(nb_crc16_like, XS),
    _hvp(nb_vadv, XS),
    _hvp(nb_cavity_flow, XS),
    _hvp(nb_channel_helper, XS),
]
