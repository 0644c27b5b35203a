"""User-style programs of soundness hunt 5: simulations with element loops (negative and offset
indices, 2-D stencils, double buffers, while loops with data-dependent exits), MGH/scipy test
functions, Benchmarks Game / Enzyme kernels, pymc-style log densities, Python idioms (dict views,
*args/**kwargs helpers, super(), __rmul__, list methods), and list operands of NumPy products at
second order. Checked forward, reverse and (``extra="hvp"``) at second order
(tests/soundness/test_hunt5.py)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

LOG2PI = math.log(2 * math.pi)
R = np.random.default_rng(9600100).standard_normal


def _weighted(*xs, scale=1.0, **kw):
    s = 0.0
    for i, v in enumerate(xs):
        s = s + (i + 1) * v
    return scale * s + kw.get("bias", 0.0)


class Base:
    def __init__(self, w):
        self.w = w

    def f(self, x):
        return np.tanh(self.w * x)


class Child(Base):
    def f(self, x):
        return super().f(x) * 2.0 + x


class Vec:
    def __init__(self, v):
        self.v = v

    def __mul__(self, o):
        return Vec(self.v * o)

    def __rmul__(self, o):
        return Vec(o * self.v)

    def __add__(self, o):
        return Vec(self.v + o.v)

    def norm2(self):
        return np.sum(self.v**2)


def normal_lpdf(x, mu, sigma):
    return -0.5 * ((x - mu) / sigma) ** 2 - np.log(sigma) - 0.5 * LOG2PI


def heat2d(u0, alpha):
    u = u0.copy()
    n, m = u.shape
    for _t in range(3):
        new = u.copy()
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                new[i, j] = u[i, j] + alpha * (
                    u[i + 1, j] + u[i - 1, j] + u[i, j + 1] + u[i, j - 1] - 4 * u[i, j]
                )
        u = new
    return (u**2).sum()


def wave1d(u0, v0, c):
    n = len(u0)
    prev = u0 - v0 * 0.1
    cur = u0.copy()
    for _t in range(4):
        nxt = np.zeros(n)
        for i in range(1, n - 1):
            nxt[i] = 2 * cur[i] - prev[i] + c * c * (cur[i + 1] - 2 * cur[i] + cur[i - 1])
        prev, cur = cur, nxt
    return np.sum(cur * np.arange(n))


def cumsum_neg(x):
    p = np.zeros(len(x) + 1)
    for k in range(1, len(x) + 1):
        p[k] = p[k - 1] + x[k - 1]
    return np.sum(p**2)


def wrap_neg(x):
    y = np.zeros_like(x)
    for k in range(len(x)):
        y[k - 1] = y[k - 1] + x[k] * x[k - 1]
    return (y * np.arange(1.0, len(x) + 1)).sum()


def offset_write_read(x):
    y = np.zeros(len(x) + 2)
    for k in range(len(x)):
        y[k + 2] = y[k] + x[k]
        y[k + 1] = y[k + 1] * 0.5 + x[k]
    return (y**2).sum()


def while_exit(x, tol):
    s = 0.0
    i = 0
    while i < len(x) and s < tol:
        s = s + x[i] * x[i]
        i += 1
    return s * i


def rk4_lv(z0, a, b):
    def f(z):
        x, y = z[0], z[1]
        return np.array([a * x - b * x * y, -0.7 * y + 0.3 * x * y])

    z = z0
    h = 0.1
    for _ in range(5):
        k1 = f(z)
        k2 = f(z + h / 2 * k1)
        k3 = f(z + h / 2 * k2)
        k4 = f(z + h * k3)
        z = z + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return z[0] * z[1]


def verlet_nbody(pos, masses):
    n = pos.shape[0]
    vel = np.zeros_like(pos)
    dt = 0.01

    def acc(x):
        a = np.zeros_like(x)
        for i in range(n):
            for j in range(n):
                if i != j:
                    d = x[j] - x[i]
                    r = np.sqrt(np.sum(d * d) + 0.1)
                    a[i] = a[i] + masses[j] * d / r**3
        return a

    a = acc(pos)
    for _ in range(3):
        pos = pos + dt * vel + 0.5 * dt * dt * a
        a2 = acc(pos)
        vel = vel + 0.5 * dt * (a + a2)
        a = a2
    return np.sum(pos**2) + np.sum(vel)


def sir(beta, gamma, s0):
    s, i, r = s0, 1 - s0, 0.0
    dt = 0.1
    traj = []
    for _t in range(20):
        ds = -beta * s * i
        di = beta * s * i - gamma * i
        s, i, r = s + dt * ds, i + dt * di, r + dt * gamma * i
        traj.append(i)
    return max(traj) + sum(traj) / len(traj)


def pendulum_break(th, w):
    dt = 0.05
    steps = 0
    for _t in range(100):
        w = w - dt * 9.81 * math.sin(th)
        th = th + dt * w
        steps += 1
        if th < 0.0:
            break
    return th * w + steps


def kalman1d(zs, q, r):
    x, p = 0.0, 1.0
    ll = 0.0
    for z in zs:
        p = p + q
        s = p + r
        k = p / s
        ll += -0.5 * (math.log(2 * math.pi * s) + (z - x) ** 2 / s)
        x = x + k * (z - x)
        p = (1 - k) * p
    return ll


def grid_2d_neigh(u):
    n, m = u.shape
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] = u[i, j] * u[i - 1, j] + u[i, j - 1]
    return (out**2).sum()


def double_buffer(x):
    a = x.copy()
    b = np.zeros_like(x)
    for _t in range(3):
        for i in range(1, len(x) - 1):
            b[i] = 0.25 * a[i - 1] + 0.5 * a[i] + 0.25 * a[i + 1]
        b[0] = a[0]
        b[-1] = a[-1]
        a, b = b, a
    return (a * a).sum()


def tridiag_solve(a, b, c, d):
    n = len(d)
    cp = np.zeros(n)
    dp = np.zeros(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    x = np.zeros(n)
    x[-1] = dp[-1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def step_loop_down(x):
    y = np.zeros(len(x))
    for k in range(len(x) - 1, 0, -2):
        y[k] = y[k] + x[k] * x[k - 1]
    return (y * y).sum()


def read_other_offset(x):
    y = np.zeros(len(x))
    for k in range(1, len(x)):
        y[k] = y[k - 1] * 0.9 + x[k]
        y[k - 1] = y[k - 1] + 1.0
    return (y**2).sum()


def dict_keys_update(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    for k in d.keys():
        d[k] = d[k] * d[k] + 1.0
    return d["a"] * d["b"] + d["c"]


def varargs_user(x, y):
    return _weighted(x, y, x * y, scale=2.0, bias=y) + _weighted(*[x, y])


def super_call(w, x):
    m = Child(w)
    return np.sum(m.f(x))


def rmul_user(x, s):
    a = Vec(x)
    b = 2.0 * a + a * s
    return b.norm2()


def list_ops(x):
    xs = [x[i] * (i + 1.0) for i in range(len(x))]
    last = xs.pop()
    xs.insert(0, last * 2.0)
    xs.reverse()
    first = xs.pop(0)
    xs.sort()
    return xs[0] * first + xs[-1] + sum(xs)


def swap_buffers(x):
    a = x.copy()
    b = x * 0.0
    for _t in range(4):
        b[:] = 0.5 * a + 0.1 * np.roll(a, 1)
        a, b = b, a
    return np.sum(a**2)


def lambda_defaults(x):
    fs = [lambda v, k=k: v**k for k in (1, 2, 3)]
    return sum(f(x) for f in fs).sum()


def minmax_key(x, y):
    pts = list(zip(x, y))
    best = min(pts, key=lambda p: p[0] ** 2 + p[1] ** 2)
    worst = max(pts, key=lambda p: p[0] + p[1])
    return best[0] * best[1] + worst[0]


def conv2d_loops(img, k):
    H, W = img.shape
    kh, kw = k.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for i in range(H - kh + 1):
        for j in range(W - kw + 1):
            s = 0.0
            for a in range(kh):
                for b in range(kw):
                    s += img[i + a, j + b] * k[a, b]
            out[i, j] = s
    return np.sum(np.tanh(out))


def gmm_chol(X, mu, L_raw):
    L = np.tril(L_raw) + 2.0 * np.eye(2)
    Sigma = L @ L.T
    C = np.linalg.cholesky(Sigma)
    D = X - mu
    z = np.linalg.solve(C, D.T)
    logdet = 2 * np.sum(np.log(np.diag(C)))
    return -0.5 * np.sum(z**2) - 0.5 * len(X) * logdet


def vae_elbo(mu, logvar, W, x):
    eps = np.array([0.3, -0.5])
    z = mu + np.exp(0.5 * logvar) * eps
    xr = 1 / (1 + np.exp(-(W @ z)))
    rec = np.sum(x * np.log(xr + 1e-9) + (1 - x) * np.log(1 - xr + 1e-9))
    kl = -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))
    return rec - kl


def kmeans_soft(X, C, beta):
    d = ((X[:, None, :] - C[None]) ** 2).sum(-1)
    A = np.exp(-beta * d)
    A /= A.sum(1, keepdims=True)
    return np.sum(A * d)


def fancy_setitem(x):
    y = np.zeros(6)
    y[[0, 2, 4]] = x[:3] * 2
    y[1::2] = x[3:] ** 2
    return np.sum(y * np.arange(6.0))


def rosen_der_norm(x):
    xm = x[1:-1]
    xm_m1 = x[:-2]
    xm_p1 = x[2:]
    der = np.zeros_like(x)
    der[1:-1] = 200 * (xm - xm_m1**2) - 400 * (xm_p1 - xm**2) * xm - 2 * (1 - xm)
    der[0] = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0])
    der[-1] = 200 * (x[-1] - x[-2] ** 2)
    return np.sum(der**2)


def powell_singular(x):
    f = np.zeros(4)
    f[0] = x[0] + 10 * x[1]
    f[1] = math.sqrt(5) * (x[2] - x[3])
    f[2] = (x[1] - 2 * x[2]) ** 2
    f[3] = math.sqrt(10) * (x[0] - x[3]) ** 2
    return f @ f


def helical_valley(x):
    th = np.arctan2(x[1], x[0]) / (2 * np.pi)
    r = np.sqrt(x[0] ** 2 + x[1] ** 2)
    f1 = 10 * (x[2] - 10 * th)
    f2 = 10 * (r - 1)
    return f1**2 + f2**2 + x[2] ** 2


def extended_rosen(x):
    f = np.empty_like(x)
    f[0::2] = 10 * (x[1::2] - x[0::2] ** 2)
    f[1::2] = 1 - x[0::2]
    return np.sum(f**2)


def watson_like(x):
    tot = 0.0
    for i in range(1, 6):
        t = i / 29.0
        s1 = 0.0
        for j in range(1, len(x)):
            s1 += j * x[j] * t ** (j - 1)
        s2 = 0.0
        for j in range(len(x)):
            s2 += x[j] * t**j
        tot += (s1 - s2**2 - 1) ** 2
    return tot + x[0] ** 2


def nbody_bg(pos, vel, mass):
    # Benchmarks Game n-body style advance + energy, pairs loop
    n = len(mass)
    pos = pos.copy()
    vel = vel.copy()
    dt = 0.01
    for _step in range(2):
        for i in range(n):
            for j in range(i + 1, n):
                d = pos[i] - pos[j]
                d2 = np.dot(d, d)
                mag = dt / (d2 * math.sqrt(d2))
                vel[i] -= d * mass[j] * mag
                vel[j] += d * mass[i] * mag
        pos += dt * vel
    e = 0.0
    for i in range(n):
        e += 0.5 * mass[i] * np.dot(vel[i], vel[i])
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            e -= mass[i] * mass[j] / math.sqrt(np.dot(d, d))
    return e


def spectral_norm(u):
    n = len(u)

    def A(i, j):
        return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)

    def Av(x):
        return np.array([sum(A(i, j) * x[j] for j in range(n)) for i in range(n)])

    def Atv(x):
        return np.array([sum(A(j, i) * x[j] for j in range(n)) for i in range(n)])

    v = Atv(Av(u))
    u2 = Atv(Av(v))
    return math.sqrt(np.dot(u2, v) / np.dot(v, v))


def enzyme_ode(y0, k):
    y = y0
    h = 0.01
    for _ in range(10):
        dy = np.empty_like(y)
        dy[0] = -k * y[0]
        for i in range(1, len(y)):
            dy[i] = k * y[i - 1] - k * y[i]
        y = y + h * dy
    return y[-1]


def ba_residual(cam, X, w, feat):
    r = cam[:3]
    t = cam[3:6]
    f = cam[6]
    th = np.sqrt(r @ r)
    k = r / th
    Xr = X * np.cos(th) + np.cross(k, X) * np.sin(th) + k * (k @ X) * (1 - np.cos(th))
    Xc = Xr + t
    p = -Xc[:2] / Xc[2]
    err = w * (f * p - feat)
    return np.sum(err**2) + (1 - w * w) ** 2


def nested_break(X):
    tot = 0.0
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            if X[i, j] > 1.0:
                break
            tot += X[i, j] ** 2
    return tot


def while_in_for(x):
    tot = 0.0
    for v in x:
        t = v
        n = 0
        while abs(t) > 0.1 and n < 10:
            t = t * 0.5
            n += 1
        tot += t * n
    return tot


def newton_sqrt(a):
    x = a
    for _ in range(20):
        nx = 0.5 * (x + a / x)
        if abs(nx - x) < 1e-12:
            break
        x = nx
    return x


def nested_lists(x):
    grid = [[0.0] * 3 for _ in range(3)]
    for i in range(3):
        for j in range(3):
            grid[i][j] = x[i] * x[j] + i - j
    return sum(grid[i][i] for i in range(3)) + grid[0][2] * grid[2][0]


def dict_accum(x, keys):
    d = {}
    for k, v in zip(keys, x):
        d[k] = d.get(k, 0.0) + v
    return sum(val**2 for val in d.values())


def loop_bc_branch(A, b, c):
    h = A
    for i in range(4):
        if i % 2 == 0:
            h = h * b
        else:
            h = h + c
    return np.sum(h**2)


def sum_first_nested(A, b, c):
    return np.sum((A * b) * c)


def ifjoin_shapes(A, b, flag):
    if flag > 0:
        c = A * b
    else:
        c = A + 0.0
    d = c.sum(axis=0)
    if flag > 0:
        return np.sum(d * b[0])
    return np.sum(d)


def eight_schools(mu, log_tau, theta_t, y, sigma):
    tau = np.exp(log_tau)
    theta = mu + tau * theta_t
    lp = normal_lpdf(mu, 0.0, 5.0) + normal_lpdf(tau, 0.0, 5.0) + log_tau
    lp += np.sum(normal_lpdf(theta_t, 0.0, 1.0))
    lp += np.sum(normal_lpdf(y, theta, sigma))
    return lp


def ar1_loglik(phi, log_s, y):
    s = np.exp(log_s)
    ll = normal_lpdf(y[0], 0.0, s / np.sqrt(1 - phi**2))
    for t in range(1, len(y)):
        ll = ll + normal_lpdf(y[t], phi * y[t - 1], s)
    return ll


def stoch_vol(h, mu, phi, sig, r):
    lp = normal_lpdf(h[0], mu, sig / np.sqrt(1 - phi * phi))
    lp = lp + np.sum(normal_lpdf(h[1:], mu + phi * (h[:-1] - mu), sig))
    lp = lp + np.sum(normal_lpdf(r, 0.0, np.exp(h / 2)))
    return lp


def kalman_mv(F, Q, H, Rm, zs):
    n = F.shape[0]
    x = np.zeros(n)
    P = np.eye(n)
    ll = 0.0
    for z in zs:
        x = F @ x
        P = F @ P @ F.T + Q
        S = H @ P @ H.T + Rm
        K = P @ H.T @ np.linalg.inv(S)
        r = z - H @ x
        ll += -0.5 * (r @ np.linalg.solve(S, r) + np.log(np.linalg.det(S)))
        x = x + K @ r
        P = (np.eye(n) - K @ H) @ P
    return ll


def lotka_rk4_arrays(z0, p):
    def f(z):
        return np.array([p[0] * z[0] - p[1] * z[0] * z[1], p[2] * z[0] * z[1] - p[3] * z[1]])

    z = z0.copy()
    traj = np.zeros((6, 2))
    for t in range(6):
        k1 = f(z)
        k2 = f(z + 0.05 * k1)
        k3 = f(z + 0.05 * k2)
        k4 = f(z + 0.1 * k3)
        z = z + 0.1 / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        traj[t] = z
    return np.sum(traj[:, 0] * traj[:, 1])


def kmeans_loop(X, C):
    tot = 0.0
    for x in X:
        d = [np.sum((x - c) ** 2) for c in C]
        w = np.exp(-np.array(d))
        w = w / w.sum()
        tot += np.dot(w, d)
    return tot


def dot_arr_list(x):
    d = [v * v for v in x]
    return np.dot(np.sin(x), d)


def kron_list(x):
    return np.sum(np.kron([x[0], x[1] ** 2], np.array([x[2], 1.0])) ** 2)


def convolve_list(x):
    return np.sum(np.convolve([x[0] ** 2, x[1]], np.array([x[2], 1.0, x[0]])) ** 2)


def mean_list(x):
    d = [v * v for v in x]
    return np.mean(d) * np.std(d) + np.var(d)


CASES = [
    Case(heat2d, (R((5, 5)), 0.1), (0, 1), extra="hvp"),
    Case(wave1d, (R(6), R(6), 0.5), (0, 1, 2), extra="hvp"),
    Case(cumsum_neg, (R(5),), (0,), extra="hvp"),
    Case(wrap_neg, (R(5),), (0,), extra="hvp"),
    Case(offset_write_read, (R(5),), (0,), extra="hvp"),
    Case(while_exit, (np.abs(R(6)), 2.0), (0,)),
    Case(rk4_lv, (np.array([1.0, 0.5]), 1.1, 0.4), (0, 1, 2), extra="hvp"),
    Case(verlet_nbody, (R((3, 2)), np.abs(R(3)) + 0.5), (0, 1), extra="hvp"),
    Case(sir, (0.8, 0.2, 0.95), (0, 1, 2), extra="hvp"),
    Case(pendulum_break, (0.5, 0.1), (0, 1)),
    Case(kalman1d, ([0.1, 0.5, -0.2, 0.3], 0.1, 0.5), (1, 2), extra="hvp"),
    Case(grid_2d_neigh, (R((3, 4)),), (0,), extra="hvp"),
    Case(double_buffer, (R(6),), (0,), extra="hvp"),
    Case(tridiag_solve, (R(5), R(5) + 4, R(5), R(5)), (0, 1, 2, 3), extra="hvp"),
    Case(step_loop_down, (R(7),), (0,), extra="hvp"),
    Case(read_other_offset, (R(5),), (0,), extra="hvp"),
    Case(dict_keys_update, (R(3),), (0,), extra="hvp"),
    Case(varargs_user, (0.3, 0.7), (0, 1), extra="hvp"),
    Case(super_call, (0.7, R(3)), (0, 1), extra="hvp"),
    Case(rmul_user, (R(3), 0.4), (0, 1), extra="hvp"),
    Case(list_ops, (R(5),), (0,), extra="hvp"),
    Case(swap_buffers, (R(5),), (0,), extra="hvp"),
    Case(lambda_defaults, (R(3),), (0,), extra="hvp"),
    Case(minmax_key, (R(4), R(4)), (0, 1), extra="hvp"),
    Case(conv2d_loops, (R((4, 4)), R((2, 2))), (0, 1), extra="hvp"),
    Case(gmm_chol, (R((4, 2)), R(2), R((2, 2))), (0, 1, 2), extra="hvp"),
    Case(
        vae_elbo, (R(2), R(2) * 0.1, R((3, 2)), np.array([1.0, 0.0, 1.0])), (0, 1, 2), extra="hvp"
    ),
    Case(kmeans_soft, (R((5, 2)), R((3, 2)), 1.5), (0, 1, 2), extra="hvp"),
    Case(fancy_setitem, (R(6),), (0,), extra="hvp"),
    Case(rosen_der_norm, (R(5),), (0,), extra="hvp"),
    Case(powell_singular, (R(4),), (0,), extra="hvp"),
    Case(helical_valley, (R(3),), (0,), extra="hvp"),
    Case(extended_rosen, (R(6),), (0,), extra="hvp"),
    Case(watson_like, (R(4),), (0,), extra="hvp"),
    Case(nbody_bg, (R((3, 3)), R((3, 3)), np.abs(R(3)) + 0.5), (0, 1, 2), extra="hvp"),
    Case(spectral_norm, (R(4) + 2,), (0,), extra="hvp"),
    Case(enzyme_ode, (np.abs(R(4)), 0.7), (0, 1), extra="hvp"),
    Case(
        ba_residual,
        (
            np.array([0.1, -0.2, 0.3, 0.5, -0.1, 4.0, 1.2]),
            np.array([0.3, 0.2, 1.0]),
            0.9,
            np.array([0.1, -0.2]),
        ),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(nested_break, (R((3, 4)),), (0,)),
    Case(while_in_for, (np.array([0.7, -1.1, 2.3, -0.5]),), (0,)),
    Case(newton_sqrt, (2.3,), (0,)),
    Case(nested_lists, (R(3),), (0,), extra="hvp"),
    Case(dict_accum, (R(5), ["a", "b", "a", "c", "b"]), (0,), extra="hvp"),
    Case(loop_bc_branch, (R((1, 4)), R((3, 1)), R((1, 4))), (0, 1, 2), extra="hvp"),
    Case(sum_first_nested, (R((3, 4)), R((1, 4)), R((3, 1))), (0, 1, 2), extra="hvp"),
    Case(ifjoin_shapes, (R((3, 4)), R((1, 4)), 1.0), (0, 1), extra="hvp"),
    Case(eight_schools, (0.5, 0.3, R(8), R(8) * 5, np.abs(R(8)) * 5 + 5), (0, 1, 2), extra="hvp"),
    Case(ar1_loglik, (0.4, -0.2, R(6)), (0, 1, 2), extra="hvp"),
    Case(stoch_vol, (R(5) * 0.3, 0.1, 0.6, 0.5, R(5)), (0, 1, 2, 3, 4), extra="hvp"),
    Case(
        kalman_mv,
        (
            np.eye(2) * 0.9 + 0.05,
            np.eye(2) * 0.1,
            np.array([[1.0, 0.5]]),
            np.eye(1) * 0.3,
            [R(1), R(1), R(1)],
        ),
        (0, 1, 2, 3),
        extra="hvp",
    ),
    Case(
        lotka_rk4_arrays,
        (np.array([1.0, 0.5]), np.array([1.1, 0.4, 0.3, 0.7])),
        (0, 1),
        extra="hvp",
    ),
    Case(kmeans_loop, (R((4, 2)), R((3, 2))), (0, 1), extra="hvp"),
    Case(dot_arr_list, (np.array([0.3, -0.7, 0.5]),), (0,), extra="hvp"),
    Case(kron_list, (np.array([0.3, -0.7, 0.5]),), (0,), extra="hvp"),
    Case(convolve_list, (np.array([0.3, -0.7, 0.5]),), (0,), extra="hvp"),
    Case(mean_list, (np.array([0.3, -0.7, 0.5]),), (0,), extra="hvp"),
]
