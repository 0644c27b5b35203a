"""Ported cases (session 50, hunt50a): engineering and science programs written as users write
them, with their delicate points. A truss and an Euler-Bernoulli beam assembled and solved,
Burgers' equation by upwinding with np.roll and np.where, shallow water by Lax-Friedrichs,
Gray-Scott reaction-diffusion updated in place, Kepler's equation by Newton iterations that stop
at a tolerance (a number, and a vector), a two-compartment pharmacokinetic model with doses at
times a modulo picks, a heat-exchanger chain whose log-mean temperature difference is guarded by
np.where, radiative transfer along rays by cumsum, an inverse-kinematics cost, image losses (total
variation with an eps, anisotropic TV, an SSIM-like index over windows, a Gaussian blur by loops
over a padded image); scatter with repeated indices (``out[idx] += w``, ``np.add.at``), an
in-place ReLU by a mask, a drawdown by ``np.maximum.accumulate``, Sinkhorn stopped by a
tolerance, ordinal cut points by np.sort, Weibull hazards with NaN masked by np.where, an empty
loop.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np

from . import Case

_R = np.random.default_rng(502)


def truss_compliance(areas, nodes, elems, fixed, load, E=200.0):
    ndof = 2 * len(nodes)
    K = np.zeros((ndof, ndof))
    for e, (i, j) in enumerate(elems):
        d = nodes[j] - nodes[i]
        L = np.sqrt(d @ d)
        c, s = d / L
        k = (
            E
            * areas[e]
            / L
            * np.array(
                [
                    [c * c, c * s, -c * c, -c * s],
                    [c * s, s * s, -c * s, -s * s],
                    [-c * c, -c * s, c * c, c * s],
                    [-c * s, -s * s, c * s, s * s],
                ]
            )
        )
        dofs = [2 * i, 2 * i + 1, 2 * j, 2 * j + 1]
        for a in range(4):
            for b in range(4):
                K[dofs[a], dofs[b]] += k[a, b]
    free = [q for q in range(ndof) if q not in fixed]
    u = np.linalg.solve(K[np.ix_(free, free)], load[free])
    return load[free] @ u


def beam_deflection(EI, L=2.0, P=1.0):
    n = len(EI)
    h = L / n
    K = np.zeros((2 * n + 2, 2 * n + 2))
    for e in range(n):
        ke = (
            EI[e]
            / h**3
            * np.array(
                [
                    [12, 6 * h, -12, 6 * h],
                    [6 * h, 4 * h * h, -6 * h, 2 * h * h],
                    [-12, -6 * h, 12, -6 * h],
                    [6 * h, 2 * h * h, -6 * h, 4 * h * h],
                ]
            )
        )
        K[2 * e : 2 * e + 4, 2 * e : 2 * e + 4] += ke
    f = np.zeros(2 * n + 2)
    f[-2] = P
    u = np.linalg.solve(K[2:, 2:], f[2:])
    return u[-2]


def burgers_upwind(u0, nu=0.01, dx=0.1, dt=0.02, steps=20):
    u = u0.copy()
    for _ in range(steps):
        back = (u - np.roll(u, 1)) / dx
        fwd = (np.roll(u, -1) - u) / dx
        adv = np.where(u > 0, u * back, u * fwd)
        lap = (np.roll(u, -1) - 2 * u + np.roll(u, 1)) / dx**2
        u = u - dt * adv + dt * nu * lap
    return np.sum(u**2) * dx


def shallow_water(h0, g=9.81, dx=1.0, dt=0.05, steps=10):
    h = h0.copy()
    hu = np.zeros_like(h)
    for _ in range(steps):
        u = hu / h
        F1 = hu
        F2 = hu * u + 0.5 * g * h**2
        h_new = 0.5 * (np.roll(h, 1) + np.roll(h, -1)) - dt / (2 * dx) * (
            np.roll(F1, -1) - np.roll(F1, 1)
        )
        hu = 0.5 * (np.roll(hu, 1) + np.roll(hu, -1)) - dt / (2 * dx) * (
            np.roll(F2, -1) - np.roll(F2, 1)
        )
        h = h_new
    return np.max(h) + np.sum(hu**2)


def gray_scott(U0, V0, F=0.04, k=0.06, Du=0.16, Dv=0.08, steps=8):
    U, V = U0.copy(), V0.copy()
    for _ in range(steps):
        lapU = np.roll(U, 1, 0) + np.roll(U, -1, 0) + np.roll(U, 1, 1) + np.roll(U, -1, 1) - 4 * U
        lapV = np.roll(V, 1, 0) + np.roll(V, -1, 0) + np.roll(V, 1, 1) + np.roll(V, -1, 1) - 4 * V
        uvv = U * V * V
        U += Du * lapU - uvv + F * (1 - U)
        V += Dv * lapV + uvv - (F + k) * V
    return V.mean()


def kepler_E(M, e, tol=1e-12):
    E = M if e < 0.8 else math.pi
    for _ in range(50):
        dE = (E - e * math.sin(E) - M) / (1 - e * math.cos(E))
        E -= dE
        if abs(dE) < tol:
            break
    return E


def orbit_position(elems, t):
    a, e, n = elems
    M = n * t
    E = kepler_E(M, e)
    x = a * (math.cos(E) - e)
    y = a * math.sqrt(1 - e * e) * math.sin(E)
    return x * x + 2 * y


def kepler_vec(M, e=0.3):
    E = M.copy()
    for _ in range(30):
        f = E - e * np.sin(E) - M
        E = E - f / (1 - e * np.cos(E))
        if np.max(np.abs(f)) < 1e-13:
            break
    return np.sum(np.sin(E))


def pk_two_compartment(params, dose=100.0, dt=0.25, hours=48.0, tau=12):
    ka, ke, k12, k21 = np.exp(params)
    gut = cen = per = 0.0
    conc = []
    for step in range(int(hours / dt)):
        t = step * dt
        if t % tau == 0:
            gut += dose
        a = ka * gut
        gut -= dt * a
        cen += dt * (a - ke * cen - k12 * cen + k21 * per)
        per += dt * (k12 * cen - k21 * per)
        conc.append(cen / 10.0)
    conc = np.array(conc)
    return conc.max() + np.trapezoid(conc, dx=dt) / hours


def lmtd_network(UA, Th_in, Tc_in, m_h=1.0, m_c=1.2):
    Q = 0.0
    Th = Th_in
    for ua in UA:
        dT1 = Th - Tc_in
        NTU = ua / m_h
        Th_out = Tc_in + dT1 * np.exp(-NTU * (1 - m_h / m_c))
        dT2 = Th_out - Tc_in * (1 + 0.0)
        same = np.abs(dT1 - dT2) < 1e-9
        lm = np.where(same, dT1, (dT1 - dT2) / np.log(np.where(same, 2.0, dT1 / dT2)))
        Q = Q + ua * lm
        Th = Th_out
    return Q


def radiative_transfer(kappa, S, ds=0.1):
    dtau = kappa * ds
    tau = np.cumsum(dtau, axis=-1)
    tau_in = np.concatenate([np.zeros(tau.shape[:-1] + (1,)), tau[..., :-1]], axis=-1)
    intensity = np.sum(S * (np.exp(-tau_in) - np.exp(-tau)), axis=-1)
    return np.sum(intensity**2)


def ik_cost(q, target, lengths=(1.0, 0.8, 0.5)):
    L = np.asarray(lengths)
    ang = np.cumsum(q)
    pts = np.stack([L * np.cos(ang), L * np.sin(ang)], axis=1).cumsum(axis=0)
    err = np.linalg.norm(pts[-1] - target)
    limits = np.maximum(np.abs(q) - 2.0, 0.0)
    return err + 0.1 * np.sum(limits**2) + 0.01 * q @ q


def tv_loss(img, eps=1e-8):
    dx = img[:, 1:] - img[:, :-1]
    dy = img[1:, :] - img[:-1, :]
    return np.sum(np.sqrt(dx[:-1, :] ** 2 + dy[:, :-1] ** 2 + eps))


def ssim_like(x, y, C1=1e-4, C2=9e-4, w=3):
    H, W = x.shape
    total = 0.0
    count = 0
    for i in range(H - w + 1):
        for j in range(W - w + 1):
            a = x[i : i + w, j : j + w]
            b = y[i : i + w, j : j + w]
            ma, mb = a.mean(), b.mean()
            va, vb = a.var(), b.var()
            cov = ((a - ma) * (b - mb)).mean()
            total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma**2 + mb**2 + C1) * (va + vb + C2))
            count += 1
    return 1 - total / count


def gaussian_blur_loss(img, sigma=1.0, target=None):
    r = 2
    xs = np.arange(-r, r + 1)
    k = np.exp(-(xs**2) / (2 * sigma**2))
    k /= k.sum()
    H, W = img.shape
    pad = np.pad(img, r, mode="edge")
    out = np.zeros_like(img)
    for i in range(H):
        for j in range(W):
            patch = pad[i : i + 2 * r + 1, j : j + 2 * r + 1]
            out[i, j] = k @ patch @ k
    if target is None:
        target = img
    return np.mean((out - target) ** 2)


def blur_sigma(s, img):
    return gaussian_blur_loss(img, sigma=s[0])


def scatter_repeat(w, idx, n=5):
    out = np.zeros(n)
    out[idx] += w
    return np.sum(out**2 * np.arange(1, n + 1))


def scatter_add_at(w, idx, n=5):
    out = np.zeros(n)
    np.add.at(out, idx, w)
    return np.sum(out**2 * np.arange(1, n + 1))


def relu_inplace(W, X):
    H = X @ W
    H[H < 0] = 0.0
    return np.sum(H**2) + np.sum(np.tanh(H))


def running_max_drawdown(r):
    wealth = np.cumprod(1 + r)
    peak = np.maximum.accumulate(wealth)
    dd = (peak - wealth) / peak
    return dd.max() + 0.1 * np.sum(r**2)


def sinkhorn_tol(C, a, b, eps=0.2, tol=1e-13):
    K = np.exp(-C / eps)
    u = np.ones_like(a)
    v = np.ones_like(b)
    for _ in range(500):
        u_prev = u
        u = a / (K @ v)
        v = b / (K.T @ u)
        if np.max(np.abs(u - u_prev)) < tol:
            break
    P = u[:, None] * K * v[None, :]
    return np.sum(P * C)


def ordinal_sorted(params, X, y):
    beta = params[:2]
    cuts = np.sort(params[2:])
    eta = X @ beta
    F = 1 / (1 + np.exp(-(cuts[None, :] - eta[:, None])))
    F = np.concatenate([np.zeros((len(y), 1)), F, np.ones((len(y), 1))], axis=1)
    p = F[np.arange(len(y)), y + 1] - F[np.arange(len(y)), y]
    return -np.log(p).sum()


def weibull_censored_where(params, t, delta):
    k, lam = np.exp(params)
    z = t / lam
    logf = np.where(t > 0, np.log(k / lam) + (k - 1) * np.log(np.where(t > 0, z, 1.0)), 0.0) - z**k
    logS = -(z**k)
    return -np.sum(np.where(delta == 1, logf, logS))


def empty_loop_penalty(w, n_extra):
    pen = 0.0
    for i in range(n_extra):
        pen += w[i] ** 2
    return np.sum(np.sin(w)) + pen


def tv_iso(img, eps=1e-3):
    gx = np.diff(img, axis=1, append=img[:, -1:])
    gy = np.diff(img, axis=0, append=img[-1:, :])
    return np.sum(np.sqrt(gx**2 + gy**2 + eps**2))


def tv_aniso(img):
    return np.abs(np.diff(img, axis=0)).sum() + np.abs(np.diff(img, axis=1)).sum()


# -- inputs ---------------------------------------------------------------------------------------
_NODES = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.5, 0.8], [1.5, 0.8]])
_ELEMS = [(0, 1), (1, 2), (0, 3), (1, 3), (1, 4), (2, 4), (3, 4)]
_LOAD = np.zeros(10)
_LOAD[3] = -1.0
_LOAD[8] = 0.3
_x = np.linspace(0, 2 * np.pi, 20, endpoint=False)
_IMG = _R.random((6, 6))
_IMG[2, 2:5] = 0.5
_IMG[3, 2:5] = 0.5
_IMGQ = np.round(_R.random((5, 5)) * 4) / 4
_T = np.array([0.0, 1.0, 2.5, 0.7, 3.0])
_D = np.array([0, 1, 1, 0, 1])

CASES = [
    Case(truss_compliance, (1 + 0.1 * np.arange(7), _NODES, _ELEMS, [0, 1, 5], _LOAD), (0, 1)),
    Case(beam_deflection, (np.array([2.0, 1.5, 1.0, 0.8]),), (0,), extra="hvp"),
    Case(burgers_upwind, (np.sin(_x) + 0.2,), (0,), extra="hvp"),
    Case(shallow_water, (1.0 + 0.1 * np.exp(-((_x - 3) ** 2)),), (0,)),
    Case(gray_scott, (1 - 0.3 * _R.random((5, 5)), 0.3 * _R.random((5, 5))), (0, 1), extra="hvp"),
    Case(orbit_position, (np.array([1.5, 0.4, 0.7]), 2.0), (0, 1), extra="hvp"),
    Case(kepler_vec, (np.array([0.1, 1.0, 2.5, 4.0]),), (0,), extra="hvp"),
    Case(pk_two_compartment, (np.log(np.array([1.0, 0.1, 0.3, 0.2])),), (0,)),
    Case(lmtd_network, (np.array([0.5, 0.8, 1.1]), 90.0, 20.0), (0, 1, 2), extra="hvp"),
    Case(radiative_transfer, (np.abs(_R.standard_normal((3, 8))), _R.random((3, 8))), (0, 1)),
    Case(ik_cost, (np.array([0.3, 0.5, -0.2]), np.array([1.2, 1.1])), (0, 1), extra="hvp"),
    Case(tv_loss, (_IMG, 0.1), (0,)),
    Case(ssim_like, (_IMG, _IMG * 0.9 + 0.05), (0, 1), extra="hvp"),
    Case(gaussian_blur_loss, (_IMG,), (0,), extra="hvp"),
    Case(blur_sigma, (np.array([0.8]), _IMG), (0,), extra="hvp"),
    Case(scatter_repeat, (np.array([1.0, 2.0, 3.0, 4.0]), np.array([0, 2, 0, 4])), (0,)),
    Case(scatter_add_at, (np.array([1.0, 2.0, 3.0, 4.0]), np.array([0, 2, 0, 4])), (0,)),
    Case(relu_inplace, (_R.standard_normal((3, 4)), _R.standard_normal((5, 3))), (0, 1)),
    Case(running_max_drawdown, (np.array([0.1, -0.05, 0.02, -0.08, 0.03, 0.04]),), (0,)),
    Case(
        sinkhorn_tol,
        (np.abs(_R.standard_normal((3, 4))), np.full(3, 1 / 3), np.full(4, 0.25)),
        (0, 1, 2),
    ),
    Case(
        ordinal_sorted,
        (
            np.array([0.5, -0.3, 0.4, -1.0, 1.2]),
            _R.standard_normal((6, 2)),
            np.array([0, 1, 2, 3, 1, 0]),
        ),
        (0,),
        extra="hvp",
    ),
    Case(weibull_censored_where, (np.array([0.3, 0.5]), _T + 0.5, _D), (0, 1), extra="hvp"),
    Case(empty_loop_penalty, (np.array([0.3, 0.5]), 0), (0,), extra="hvp"),
    Case(tv_iso, (_IMGQ, 0.1), (0,), extra="hvp"),
    Case(tv_aniso, (_IMGQ + 0.01 * np.arange(25).reshape(5, 5),), (0,)),
]
