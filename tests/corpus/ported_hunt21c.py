"""Ported cases (session 21, hunt21c), written anew after science, engineering and economics
programs: SIR/SEIR by Euler steps with a parameter fit, a two-compartment pharmacokinetic model,
Lotka-Volterra by an adaptive RK step (while loop on the error), a pendulum by symplectic Euler,
bundle adjustment with Rodrigues' rotation and radial distortion, Morse and Buckingham potentials,
a truss by ``K[np.ix_(dofs, dofs)] += ke`` and np.linalg.solve, Darcy flow on a grid; CES utility,
mean-variance and CVaR portfolios (np.sort, np.quantile, np.percentile), European and American
options on binomial trees, an (s, S) inventory simulation, softmin routing.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def sir_euler(p):
    beta, gamma = p
    S, I, Rr = 0.99, 0.01, 0.0  # noqa: E741
    dt = 0.1
    traj = []
    for _ in range(100):
        dS = -beta * S * I
        dI = beta * S * I - gamma * I
        dR = gamma * I
        S, I, Rr = S + dt * dS, I + dt * dI, Rr + dt * dR  # noqa: E741
        traj.append(I)
    return np.array(traj)


OBS = sir_euler(np.array([0.5, 0.1]))[::10] * 1.05


def sir_fit(p):
    pred = sir_euler(np.exp(p))[::10]
    return np.sum((pred - OBS) ** 2)


def seir(p):
    beta, sigma, gamma = p
    y = np.array([0.98, 0.01, 0.01, 0.0])
    N = y.sum()
    out = []
    for t in range(60):  # noqa: B007
        S, E, I, R = y  # noqa: E741
        dy = np.array(
            [-beta * S * I / N, beta * S * I / N - sigma * E, sigma * E - gamma * I, gamma * I]
        )
        y = y + 0.2 * dy
        out.append(y[2])
    return max(out) + out[-1]


def pk_two_comp(p):
    ka, ke, k12, k21 = p
    dose = 100.0
    g, c1, c2 = dose, 0.0, 0.0
    dt = 0.05
    auc = 0.0
    cmax = 0.0
    for i in range(200):  # noqa: B007
        dg = -ka * g
        dc1 = ka * g - ke * c1 - k12 * c1 + k21 * c2
        dc2 = k12 * c1 - k21 * c2
        g += dt * dg
        c1 += dt * dc1
        c2 += dt * dc2
        auc += dt * c1
        if c1 > cmax:
            cmax = c1
    return auc / 100 + cmax / 10


def lv_rhs(y, a, b, c, d):
    return np.array([a * y[0] - b * y[0] * y[1], c * y[0] * y[1] - d * y[1]])


def lv_adaptive(p):
    a, b, c, d = p
    y = np.array([1.0, 0.5])
    t = 0.0
    h = 0.1
    T = 1.5
    while t < T:
        if t + h > T:
            h = T - t
        k1 = lv_rhs(y, a, b, c, d)
        k2 = lv_rhs(y + h / 2 * k1, a, b, c, d)
        k3 = lv_rhs(y + h / 2 * k2, a, b, c, d)
        k4 = lv_rhs(y + h * k3, a, b, c, d)
        y4 = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        y2 = y + h * lv_rhs(y + h / 2 * k1, a, b, c, d)
        err = np.max(np.abs(y4 - y2))
        if err < 1e-3:
            y = y4
            t += h
            h = min(h * 1.5, 0.5)
        else:
            h = h * 0.5
    return y[0] * y[1]


def pendulum_symplectic(p):
    L, th0 = p
    g = 9.81
    th, om = th0, 0.0
    dt = 0.01
    E = []
    for _ in range(300):
        om = om - dt * g / L * math.sin(th)
        th = th + dt * om
        E.append(0.5 * L**2 * om**2 - g * L * math.cos(th))
    return np.mean(E) + th


def rodrigues(rvec):
    theta = np.linalg.norm(rvec)
    if theta < 1e-12:
        return np.eye(3)
    k = rvec / theta
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + math.sin(theta) * K + (1 - math.cos(theta)) * K @ K


PTS = np.array([[0.1, 0.2, 4.0], [-0.3, 0.1, 5.0], [0.5, -0.4, 3.0], [0.0, 0.0, 6.0]])
OBSUV = np.array([[10.0, 20.0], [-30.0, 8.0], [80.0, -60.0], [1.0, -2.0]])


def bundle_adj(cam):
    R_ = rodrigues(cam[:3])
    t = cam[3:6]
    f, k1, k2 = cam[6], cam[7], cam[8]
    res = 0.0
    for X, uv in zip(PTS, OBSUV):
        Xc = R_ @ X + t
        xn = Xc[:2] / Xc[2]
        r2 = xn @ xn
        dist = 1 + k1 * r2 + k2 * r2**2
        u = f * dist * xn
        res += np.sum((u - uv) ** 2)
    return res


def rodrigues_cross(rvec):
    theta = np.sqrt(np.dot(rvec, rvec))
    k = rvec / theta
    ct, st = np.cos(theta), np.sin(theta)
    rotated = PTS * ct + np.cross(k, PTS) * st + np.outer(PTS @ k, k) * (1 - ct)
    return np.sum(rotated[:, :2] / rotated[:, 2:3])


def morse(x):
    P = x.reshape(-1, 3)
    De, a, re = 1.0, 1.5, 1.0
    E = 0.0
    n = len(P)
    for i in range(n):
        for j in range(i + 1, n):
            r = np.linalg.norm(P[i] - P[j])
            E += De * (1 - np.exp(-a * (r - re))) ** 2
    return E


def buckingham(x):
    P = x.reshape(-1, 3)
    diff = P[:, None, :] - P[None, :, :]
    r = np.sqrt(np.sum(diff**2, -1) + np.eye(len(P)))
    A, rho, C = 100.0, 0.3, 2.0
    V = A * np.exp(-r / rho) - C / r**6
    iu = np.triu_indices(len(P), 1)
    return np.sum(V[iu])


NODES = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 0.8], [1.5, 0.8]])
ELEMS = [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]


def truss(EA):
    K = np.zeros((8, 8))
    for e, (i, j) in enumerate(ELEMS):
        d = NODES[j] - NODES[i]
        L = np.hypot(d[0], d[1])
        c, s = d / L
        k = (
            EA[e]
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
        K[np.ix_(dofs, dofs)] += k
    free = [2, 4, 5, 6, 7]
    F = np.zeros(8)
    F[7] = -1.0
    F[6] = 0.3
    Kf = K[np.ix_(free, free)]
    # pin node 1 vertically only: free dofs: 2 (x of node1) ... keep as is
    u = np.linalg.solve(Kf + 1e-9 * np.eye(5), F[free])
    return F[free] @ u


def darcy(logk):
    n = 5
    k = np.exp(logk).reshape(n, n)
    N = n * n
    A = np.zeros((N, N))
    b = np.zeros(N)
    idx = lambda i, j: i * n + j
    for i in range(n):
        for j in range(n):
            p = idx(i, j)
            for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                ii, jj = i + di, j + dj
                if 0 <= ii < n and 0 <= jj < n:
                    t = 2 * k[i, j] * k[ii, jj] / (k[i, j] + k[ii, jj])
                    A[p, p] += t
                    A[p, idx(ii, jj)] -= t
            if j == 0:
                A[p, p] += 2 * k[i, j]
                b[p] += 2 * k[i, j] * 1.0
            if j == n - 1:
                A[p, p] += 2 * k[i, j]
    pres = np.linalg.solve(A, b)
    return np.sum(pres.reshape(n, n)[:, n // 2])


R = np.random.default_rng(2)


def ces(x):
    a = np.array([0.3, 0.5, 0.2])
    rho = 0.5
    return np.sum(a * x**rho) ** (1 / rho)


def ces_loop(x, rho=-0.5):
    tot = 0
    for ai, xi in zip([0.3, 0.5, 0.2], x):
        tot += ai * xi**rho
    return tot ** (1.0 / rho)


MU = np.array([0.05, 0.08, 0.12, 0.03])
SIG = np.array(
    [
        [0.1, 0.02, 0.04, 0.0],
        [0.02, 0.2, 0.05, 0.01],
        [0.04, 0.05, 0.3, 0.02],
        [0.0, 0.01, 0.02, 0.05],
    ]
)


def mean_var(w):
    w = np.exp(w) / np.sum(np.exp(w))
    return -(w @ MU) + 2.0 * w @ SIG @ w


SCEN = np.random.default_rng(5).standard_normal((50, 4)) * 0.1 + MU


def cvar_sort(w):
    losses = -(SCEN @ w)
    alpha = 0.9
    s = np.sort(losses)
    k = int(math.ceil(alpha * len(s)))
    return np.mean(s[k:])


def cvar_quantile(w):
    losses = -(SCEN @ w)
    var = np.quantile(losses, 0.9)
    return var + np.mean(np.maximum(losses - var, 0)) / 0.1


def cvar_percentile(w):
    losses = -(SCEN @ w)
    var = np.percentile(losses, 85)
    tail = losses[losses >= var]
    return tail.mean()


def binomial_tree(p):
    S0, sigma, r = p
    K, T, N = 100.0, 1.0, 50
    dt = T / N
    u = np.exp(sigma * np.sqrt(dt))
    d = 1 / u
    q = (np.exp(r * dt) - d) / (u - d)
    ST = S0 * u ** np.arange(N, -1, -1) * d ** np.arange(0, N + 1)
    V = np.maximum(ST - K, 0.0)
    disc = np.exp(-r * dt)
    for i in range(N, 0, -1):  # noqa: B007
        V = disc * (q * V[:-1] + (1 - q) * V[1:])
    return V[0]


def american_put(S0):
    K, T, N, sigma, r = 100.0, 1.0, 40, 0.2, 0.05
    dt = T / N
    u = math.exp(sigma * math.sqrt(dt))
    d = 1 / u
    q = (math.exp(r * dt) - d) / (u - d)
    V = [max(K - S0 * u**j * d ** (N - j), 0.0) for j in range(N + 1)]
    for i in range(N - 1, -1, -1):
        for j in range(i + 1):
            cont = math.exp(-r * dt) * (q * V[j + 1] + (1 - q) * V[j])
            ex = K - S0 * u**j * d ** (i - j)
            V[j] = max(cont, ex)
    return V[0]


DEMAND = np.array([3.0, 5.0, 2.0, 7.0, 4.0, 6.0, 1.0, 5.0, 3.0, 4.0])


def inventory_sS(p):
    s, S = p
    inv = S
    cost = 0.0
    for d in DEMAND:
        sold = np.minimum(inv, d)
        lost = d - sold
        inv = inv - sold
        cost += 1.0 * inv + 5.0 * lost
        order = np.where(inv < s, S - inv, 0.0)
        cost += 0.5 * order
        inv = inv + order
    return cost


def inventory_smooth(p):
    s, S = p
    inv = S
    cost = 0.0
    for d in DEMAND:
        inv = inv - d
        cost = cost + 1.0 * max(inv, 0.0) + 5.0 * max(-inv, 0.0)
        inv = max(inv, 0.0)
        if inv < s:
            cost += 0.5 * (S - inv) + 2.0
            inv = S
    return cost


# softmin routing: K paths, edge costs
PATHS = [[0, 1, 2], [0, 3], [4, 2], [4, 5, 6]]


def softmin_route(c):
    costs = np.array([sum(c[e] for e in p) for p in PATHS])
    tau = 0.3
    w = np.exp(-(costs - costs.min()) / tau)
    w = w / w.sum()
    flow = np.zeros_like(c)
    for k, p in enumerate(PATHS):
        flow[p] += w[k]
    return np.sum(flow * c) - tau * np.log(np.sum(np.exp(-costs / tau)))


def softmin_lse(c):
    costs = np.array([c[p].sum() for p in PATHS])
    return -0.5 * np.logaddexp.reduce(-costs / 0.5)


CASES = [
    Case(sir_fit, (np.log(np.array([0.4, 0.12])),), (0,), extra="hvp"),
    Case(seir, (np.array([0.9, 0.3, 0.2]),), (0,), extra="hvp"),
    Case(pk_two_comp, (np.array([1.2, 0.3, 0.2, 0.15]),), (0,), extra="hvp"),
    Case(lv_adaptive, (np.array([1.1, 0.4, 0.3, 0.9]),), (0,), extra="hvp"),
    Case(pendulum_symplectic, (np.array([1.3, 0.6]),), (0,), extra="hvp"),
    Case(
        bundle_adj,
        (np.array([0.1, -0.2, 0.05, 0.1, 0.0, 0.2, 500.0, 0.1, -0.01]),),
        (0,),
        extra="hvp",
    ),
    Case(rodrigues_cross, (np.array([0.1, -0.2, 0.3]),), (0,), extra="hvp"),
    Case(morse, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(buckingham, (R.standard_normal(12) * 0.8,), (0,), extra="hvp"),
    Case(truss, (np.array([1.0, 2.0, 1.5, 1.0, 0.8]),), (0,), extra="hvp"),
    Case(darcy, (R.standard_normal(25) * 0.3,), (0,), extra="hvp"),
    Case(ces, (np.array([1.0, 2.0, 3.0]),), (0,), extra="hvp"),
    Case(ces_loop, (np.array([1.0, 2.0, 3.0]),), (0,), extra="hvp"),
    Case(mean_var, (np.array([0.1, 0.2, -0.3, 0.0]),), (0,), extra="hvp"),
    Case(cvar_sort, (np.array([0.3, 0.2, 0.4, 0.1]),), (0,), extra="hvp"),
    Case(cvar_quantile, (np.array([0.3, 0.2, 0.4, 0.1]),), (0,), extra="hvp"),
    Case(cvar_percentile, (np.array([0.3, 0.2, 0.4, 0.1]),), (0,), extra="hvp"),
    Case(binomial_tree, (np.array([101.3, 0.2, 0.05]),), (0,), extra="hvp"),
    Case(american_put, (95.0,), (0,), extra="hvp"),
    Case(inventory_sS, (np.array([3.5, 10.3]),), (0,), extra="hvp"),
    Case(inventory_smooth, (np.array([3.5, 10.3]),), (0,), extra="hvp"),
    Case(softmin_route, (np.array([1.0, 0.5, 2.0, 3.0, 1.2, 0.4, 0.3]),), (0,), extra="hvp"),
    Case(softmin_lse, (np.array([1.0, 0.5, 2.0, 3.0, 1.2, 0.4, 0.3]),), (0,), extra="hvp"),
]
