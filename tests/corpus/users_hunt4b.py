"""User-style kernels (soundness hunt 4): ADBench's bundle adjustment and LSTM, numba/pyperformance
benchmark kernels (spectral norm, n-body energy, arc distance, Jacobi, growcut, Bezier), solvers
written with x[i] = v, and programs aimed at srcad's own rewrites (shift-invariant max, sigmoid
fusion, broadcasting). Checked forward, reverse and at second order (tests/soundness/test_hunt4.py)."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def rodrigues_rotate(rot, X):
    sqtheta = np.sum(rot**2)
    if sqtheta != 0.0:
        theta = np.sqrt(sqtheta)
        costheta = np.cos(theta)
        sintheta = np.sin(theta)
        w = rot / theta
        w_cross_X = np.cross(w, X)
        tmp = np.dot(w, X) * (1.0 - costheta)
        return X * costheta + w_cross_X * sintheta + w * tmp
    return X + np.cross(rot, X)


def radial_distort(rad_params, proj):
    rsq = np.sum(proj**2)
    L = 1.0 + rad_params[0] * rsq + rad_params[1] * rsq * rsq
    return proj * L


def ba_project(cam, X):
    # cam: rot(3), center(3), focal(1), x0(2), kappa(2)
    Xcam = rodrigues_rotate(cam[0:3], X - cam[3:6])
    distorted = radial_distort(cam[9:11], Xcam[0:2] / Xcam[2])
    return distorted * cam[6] + cam[7:9]


def ba_objective(cams, X, w, obs, feats):
    err = 0.0
    for i in range(obs.shape[0]):
        c, p = obs[i]
        proj = ba_project(cams[c], X[p])
        r = w[i] * (proj - feats[i])
        err += r @ r
        err += (1 - w[i] ** 2) ** 2
    return err


def adbench_lstm(main_params, extra_params, state, sequence):
    # ADBench's LSTM objective, 2 layers, b=3
    def lstm_model(weight, bias, hidden, cell, inp):
        b = hidden.shape[0]
        gates = np.concatenate([inp, hidden, inp, hidden]) * weight + bias
        forget = 1 / (1 + np.exp(-gates[0:b]))
        ingate = 1 / (1 + np.exp(-gates[b : 2 * b]))
        outgate = 1 / (1 + np.exp(-gates[2 * b : 3 * b]))
        change = np.tanh(gates[3 * b :])
        cell = cell * forget + ingate * change
        hidden = outgate * np.tanh(cell)
        return hidden, cell

    def predict(w, w2, s, x):
        s2 = s.copy()
        x = x * w2[0]
        for i in range(0, len(s), 2):
            h, c = lstm_model(w[i], w[i + 1], s[i], s[i + 1], x)
            s2[i] = h
            s2[i + 1] = c
            x = h
        return x * w2[1] + w2[2], s2

    total = 0.0
    count = 0
    inp = sequence[0]
    all_states = [state]
    for t in range(len(sequence) - 1):
        ypred, new_state = predict(main_params, extra_params, all_states[t], inp)
        all_states.append(new_state)
        ynorm = ypred - np.log(np.sum(np.exp(ypred), 0) + 2)
        ygold = sequence[t + 1]
        total += np.sum(ygold * ynorm)
        count += ygold.shape[0]
        inp = ygold
    return -total / count


def arc_distance(theta_1, phi_1, theta_2, phi_2):
    temp = (
        np.sin((theta_2 - theta_1) / 2) ** 2
        + np.cos(theta_1) * np.cos(theta_2) * np.sin((phi_2 - phi_1) / 2) ** 2
    )
    return (2 * np.arctan2(np.sqrt(temp), np.sqrt(1 - temp))).sum()


def laplace_jacobi(u0, iters=3):
    u = u0.copy()
    for _ in range(iters):
        u[1:-1, 1:-1] = ((u[0:-2, 1:-1] + u[2:, 1:-1]) + (u[1:-1, 0:-2] + u[1:-1, 2:])) * 0.25
    return u


def growcut_like(image, strength, window=1):
    h, w = image.shape
    out_s = strength.copy()
    for i in range(h):
        for j in range(w):
            best = strength[i, j]
            for di in range(-window, window + 1):
                for dj in range(-window, window + 1):
                    ii, jj = i + di, j + dj
                    if 0 <= ii < h and 0 <= jj < w:
                        g = 1.0 - abs(image[i, j] - image[ii, jj]) / 4.0
                        att = g * strength[ii, jj]
                        if att > best:
                            best = att
            out_s[i, j] = best
    return out_s.sum()


def chaos_spline(points, t):
    # de Casteljau evaluation of a Bezier curve
    pts = [points[i] for i in range(len(points))]
    n = len(pts)
    for r in range(1, n):
        pts = [(1 - t) * pts[i] + t * pts[i + 1] for i in range(n - r)]
    return pts[0] @ np.array([1.0, 2.0])


def black_scholes_vec(S, X, T, r, v):
    d1 = (np.log(S / X) + (r + v * v / 2.0) * T) / (v * np.sqrt(T))
    d2 = d1 - v * np.sqrt(T)

    def cnd(d):
        A1, A2, A3, A4, A5 = 0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429
        K = 1.0 / (1.0 + 0.2316419 * np.abs(d))
        ret = 1.0 - 1.0 / np.sqrt(2 * np.pi) * np.exp(-d * d / 2.0) * (
            K * (A1 + K * (A2 + K * (A3 + K * (A4 + K * A5))))
        )
        return np.where(d < 0, 1.0 - ret, ret)

    call = S * cnd(d1) - X * np.exp(-r * T) * cnd(d2)
    return call.sum()


def wave2d(u0, c, steps=3):
    u_prev = u0.copy()
    u = u0.copy()
    for _ in range(steps):
        lap = np.zeros_like(u)
        lap[1:-1, 1:-1] = (
            u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] - 4 * u[1:-1, 1:-1]
        )
        u_next = 2 * u - u_prev + c * c * lap
        u_prev, u = u, u_next
    return (u**2).sum()


def burgers_upwind(u0, nu, steps=4, dt=0.01, dx=0.1):
    u = u0.copy()
    n = len(u)
    for _ in range(steps):
        un = u.copy()
        for i in range(1, n - 1):
            adv = (
                un[i] * (un[i] - un[i - 1]) / dx if un[i] > 0 else un[i] * (un[i + 1] - un[i]) / dx
            )
            u[i] = un[i] - dt * adv + nu * dt / dx**2 * (un[i + 1] - 2 * un[i] + un[i - 1])
    return u


def eval_A(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def eval_A_times_u(u):
    return [sum(eval_A(i, j) * u_j for j, u_j in enumerate(u)) for i in range(len(u))]


def eval_At_times_u(u):
    return [sum(eval_A(j, i) * u_j for j, u_j in enumerate(u)) for i in range(len(u))]


def spectral_norm(u0):
    u = list(u0)
    for _ in range(3):
        v = eval_At_times_u(eval_A_times_u(u))
        u = eval_At_times_u(eval_A_times_u(v))
    vBv = sum(ue * ve for ue, ve in zip(u, v))
    vv = sum(ve * ve for ve in v)
    return math.sqrt(vBv / vv)


def nbody_energy_arrays(x, v, m):
    e = 0.5 * np.sum(m * np.sum(v * v, axis=1))
    n = len(m)
    for i in range(n):
        d = x[i + 1 :] - x[i]
        e -= np.sum(m[i] * m[i + 1 :] / np.sqrt(np.sum(d * d, axis=1)))
    return e


def mandel_smooth(c_re, c_im, maxit=20):
    zr, zi = 0.0, 0.0
    for k in range(maxit):
        zr, zi = zr * zr - zi * zi + c_re, 2 * zr * zi + c_im
        if zr * zr + zi * zi > 4.0:
            return k + 1 - math.log(math.log(math.sqrt(zr * zr + zi * zi))) / math.log(2)
    return zr * zr + zi * zi


def tridiag_solve(a, b, c, d):
    # Thomas algorithm, in place on copies
    n = len(d)
    cp = np.zeros(n)
    dp = np.zeros(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m if i < n - 1 else 0.0
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    x = np.zeros(n)
    x[-1] = dp[-1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def gauss_seidel(A, b, iters=5):
    x = np.zeros_like(b)
    n = len(b)
    for _ in range(iters):
        for i in range(n):
            s = 0.0
            for j in range(n):
                if j != i:
                    s += A[i, j] * x[j]
            x[i] = (b[i] - s) / A[i, i]
    return x


def leapfrog(q0, p0, eps=0.1, L=5):
    q, p = q0.copy(), p0.copy()
    p -= 0.5 * eps * q
    for i in range(L):
        q += eps * p
        if i != L - 1:
            p -= eps * q
    p -= 0.5 * eps * q
    return 0.5 * (q @ q + p @ p)


def softmax_max_other_axis(x):
    m = x.max(axis=0, keepdims=True)
    e = np.exp(x - m)
    p = e / e.sum(axis=1, keepdims=True)
    return (p * np.arange(x.shape[1])).sum()


def lse_rows_global_max_once(x):
    m = x.max()
    return np.log(np.exp(x - m).sum(axis=1)).sum() + m


def lse_m_used_elsewhere(x):
    m = np.max(x)
    lse = np.log(np.sum(np.exp(x - m))) + m
    return lse + m**2


def lse_shift_scaled(x):
    m = x.max()
    return np.log(np.exp(2 * x - m).sum()) + m


def softmax_python_no_cancel(x):
    m = max(x)
    e = [math.exp(v - m) for v in x]
    s = sum(e)
    return math.log(s) + e[0]


def sigmoid_reuse(u):
    e = np.exp(-u)
    y = 1.0 / (1.0 + e)
    return (y + e).sum()


def sigmoid_denominator_reuse(u):
    d = 1.0 + np.exp(-u)
    y = 1.0 / d
    return (y * d**2).sum()


def bcast_3d(a, b, c):
    return ((a * b + c) ** 2).sum()


def carry_anew_read_prev(x, steps=4):
    out = x.copy()
    lap = 0.0
    for _ in range(steps):
        lap = 0.5 * lap + out[0] - 2 * out[1] + out[2]
        out = out * 0.9 + 0.1 * lap
    return out.sum() + lap


def element_loop_2d_readafter(A):
    B = np.zeros_like(A)
    n, m = B.shape
    for i in range(n):
        for j in range(m):
            B[i, j] = A[i, j] ** 2
            if j > 0:
                B[i, j] += B[i, j - 1] * B[i, 0]
    return B.sum()


def dp_edit_distance_soft(a, b, gamma=0.5):
    n, m = len(a), len(b)
    D = np.full((n + 1, m + 1), 1e10)
    D[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            c = (a[i - 1] - b[j - 1]) ** 2
            r = np.array([D[i - 1, j], D[i, j - 1], D[i - 1, j - 1]])
            mn = r.min()
            D[i, j] = c + mn - gamma * np.log(np.exp(-(r - mn) / gamma).sum())
    return D[n, m]


R = np.random.default_rng(9500011).standard_normal
DD = np.diag([4.0, 5.0, 6.0])
cams = np.hstack(
    [
        0.1 * R((2, 3)),
        R((2, 3)) * 0.1 - np.array([0, 0, 5.0]),
        np.array([[1.0], [1.2]]),
        0.1 * R((2, 2)),
        0.01 * R((2, 2)),
    ]
)
CASES = [
    Case(
        ba_objective,
        (cams, R((3, 3)), 0.9 + 0.05 * R(4), np.array([[0, 0], [0, 1], [1, 2], [1, 0]]), R((4, 2))),
        (0, 1, 2, 4),
        extra="hvp",
    ),
    Case(
        adbench_lstm,
        (0.3 * R((4, 12)), 0.5 * R((3, 3)), 0.3 * R((4, 3)), R((3, 3))),
        (0, 1, 2, 3),
        extra="hvp",
    ),
    Case(arc_distance, (R(4), R(4), R(4), R(4)), (0, 1, 2, 3), extra="hvp"),
    Case(laplace_jacobi, (R((4, 5)),), (0,), extra="hvp"),
    Case(growcut_like, (R((3, 3)), np.abs(R((3, 3)))), (0, 1)),
    Case(chaos_spline, (R((4, 2)), 0.37), (0, 1), extra="hvp"),
    Case(
        black_scholes_vec,
        (np.array([1.0, 1.2]), np.array([0.9, 1.3]), np.array([0.5, 1.0]), 0.02, 0.3),
        (0, 1, 2, 3, 4),
        extra="hvp",
    ),
    Case(wave2d, (R((4, 4)), 0.3), (0, 1), extra="hvp"),
    Case(burgers_upwind, (np.sin(np.linspace(0, 3, 6)), 0.05), (0, 1)),
    Case(spectral_norm, (np.array([1.0, 0.8, 1.2, 0.9]),), (0,), extra="hvp"),
    Case(
        nbody_energy_arrays,
        (R((4, 3)), R((4, 3)), np.array([1.0, 0.5, 2.0, 1.2])),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(mandel_smooth, (-0.1, 0.2), (0, 1), name="users_hunt4b.mandel_inside"),
    Case(tridiag_solve, (R(4), R(4) + 4, R(4), R(4)), (0, 1, 2, 3), extra="hvp"),
    Case(gauss_seidel, (R((3, 3)) * 0.3 + DD, R(3)), (0, 1), extra="hvp"),
    Case(leapfrog, (R(3), R(3)), (0, 1), extra="hvp"),
    Case(softmax_max_other_axis, (R((3, 4)),), (0,), extra="hvp"),
    Case(lse_rows_global_max_once, (R((3, 4)),), (0,), extra="hvp"),
    Case(lse_m_used_elsewhere, (R(4),), (0,), extra="hvp"),
    Case(lse_shift_scaled, (R(4),), (0,), extra="hvp"),
    Case(softmax_python_no_cancel, (R(4),), (0,), extra="hvp"),
    Case(sigmoid_reuse, (R(4),), (0,), extra="hvp"),
    Case(sigmoid_denominator_reuse, (R(4),), (0,), extra="hvp"),
    Case(bcast_3d, (R((2, 1, 3)), R((1, 4, 1)), R(3)), (0, 1, 2), extra="hvp"),
    Case(carry_anew_read_prev, (R(3),), (0,), extra="hvp"),
    Case(element_loop_2d_readafter, (R((3, 3)),), (0,), extra="hvp"),
    Case(dp_edit_distance_soft, (R(3), R(4)), (0, 1), extra="hvp"),
]
