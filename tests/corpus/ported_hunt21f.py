"""Ported cases (session 21, hunt21f), written anew after scalar-parameter programs users take
second derivatives of (a European option on a binomial tree in S0 and in sigma, a pendulum's
length, SIR's beta, a pharmacokinetic rate through expm, a CES exponent, a Morse distance, a GP
lengthscale, a Sinkhorn epsilon, a softmin temperature, an (s, S) reorder point, an attention
temperature with a -inf mask, a focal gamma, GELU, a planar flow's u, Lotka-Volterra's a by RK2,
a Darcy permeability, a GRU's initial state) and after graph and Python idioms: Bellman-Ford
with math.inf, Floyd-Warshall by np.minimum, defaultdict/Counter/setdefault accumulators, a
deque window, itertools pairs and products, zip(*rows), a running minimum with its index, a ReLU
written in place with hand-written backprop inside the loss, clipped BCE, soft k-NN by argsort,
k-means by argmin.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import collections
import itertools
import math

import numpy as np
import scipy.linalg as sl
import scipy.special as sp

from . import Case


def bs_tree(S0):
    K, T, N, sigma, r = 100.0, 1.0, 30, 0.25, 0.03
    dt = T / N
    u = math.exp(sigma * math.sqrt(dt))
    d = 1 / u
    q = (math.exp(r * dt) - d) / (u - d)
    V = np.array([max(S0 * u**j * d ** (N - j) - K, 0.0) for j in range(N + 1)])
    for i in range(N):  # noqa: B007
        V = math.exp(-r * dt) * (q * V[1:] + (1 - q) * V[:-1])
    return V[0]


def vol_tree(sigma):
    S0, K, T, N, r = 100.0, 95.0, 0.5, 20, 0.01
    dt = T / N
    u = np.exp(sigma * np.sqrt(dt))
    d = 1.0 / u
    q = (np.exp(r * dt) - d) / (u - d)
    j = np.arange(N + 1)
    V = np.maximum(S0 * u**j * d ** (N - j) - K, 0.0)
    while len(V) > 1:
        V = np.exp(-r * dt) * (q * V[1:] + (1 - q) * V[:-1])
    return float(V[0])


def pend_L(L):
    th, om = 0.5, 0.0
    for _ in range(100):
        om -= 0.02 * 9.81 / L * math.sin(th)
        th += 0.02 * om
    return th


def sir_beta(beta):
    S, I = 0.99, 0.01  # noqa: E741
    peak = 0.0
    for _ in range(80):
        S, I = S - 0.1 * beta * S * I, I + 0.1 * (beta * S * I - 0.2 * I)  # noqa: E741
        peak = max(peak, I)
    return peak


def pk_ka(ka):
    y = np.array([100.0, 0.0])
    A = np.array([[-ka, 0.0], [ka, -0.3]])
    M = sl.expm(A * 2.0)
    return (M @ y)[1]


def ces_rho(rho):
    a = np.array([0.2, 0.5, 0.3])
    x = np.array([1.0, 2.0, 4.0])
    return np.sum(a * x**rho) ** (1 / rho)


def morse_r(r):
    return (1 - math.exp(-1.3 * (r - 1.1))) ** 2 + 0.1 * r


def gp_ls(ls):
    X = np.linspace(0, 1, 4)
    y = np.array([0.1, 0.5, 0.2, -0.3])
    K = np.exp(-0.5 * (X[:, None] - X[None, :]) ** 2 / ls**2) + 0.1 * np.eye(4)
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ a + np.log(np.diag(L)).sum()


def sinkhorn_eps(eps):
    C = np.array([[0.0, 1.0, 4.0], [1.0, 0.0, 1.0]])
    a = np.array([0.5, 0.5])
    b = np.array([0.2, 0.3, 0.5])
    f = np.zeros(2)
    g = np.zeros(3)
    for _ in range(20):
        f = -eps * sp.logsumexp((g[None, :] - C) / eps, b=b[None, :], axis=1)
        g = -eps * sp.logsumexp((f[:, None] - C) / eps, b=a[:, None], axis=0)
    return a @ f + b @ g


def softmin_tau(tau):
    c = np.array([1.0, 1.3, 2.0, 0.9])
    return -tau * np.log(np.sum(np.exp(-c / tau)))


def inventory_s(s):
    S = 12.0
    inv = S
    cost = 0.0
    for d in [3.0, 5.0, 2.0, 7.0, 4.0]:
        inv = inv - d
        cost += max(inv, 0.0) + 4 * max(-inv, 0.0)
        inv = max(inv, 0.0)
        if inv < s:
            cost += 0.3 * (S - inv) ** 1.5
            inv = S
    return cost + s**2


def attention_temp(t):
    X = np.array([[0.1, 0.4], [0.9, -0.2], [0.3, 0.3]])
    s = X @ X.T / t
    s = np.where(np.triu(np.ones((3, 3)), 1) > 0, -np.inf, s)
    p = np.exp(s - s.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    return np.sum(p @ X)


def ln_eps(eps):
    x = np.array([1.0, 1.3, 0.6, 1.1])
    return np.sum(((x - x.mean()) / np.sqrt(x.var() + eps)) ** 3)


def focal_gamma(g):
    p = np.array([0.9, 0.6, 0.2])
    return -np.sum((1 - p) ** g * np.log(p))


def gelu_x(x):
    return 0.5 * x * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def planar_u(u):
    z = np.array([[0.3, -0.2], [1.0, 0.5]])
    w = np.array([0.7, -1.1])
    uu = np.array([u, 0.4])
    lin = z @ w + 0.1
    psi = (1 - np.tanh(lin) ** 2)[:, None] * w
    return np.sum(np.log(np.abs(1 + psi @ uu)))


def lv_a(a):
    y = np.array([1.0, 0.5])
    h = 0.05
    for _ in range(40):
        k1 = np.array([a * y[0] - y[0] * y[1], y[0] * y[1] - y[1]])
        yp = y + h * k1
        k2 = np.array([a * yp[0] - yp[0] * yp[1], yp[0] * yp[1] - yp[1]])
        y = y + h / 2 * (k1 + k2)
    return y[0]


def darcy_k(k):
    ks = np.array([1.0, k, 2.0, k**2, 0.5])
    n = 4
    A = np.zeros((n, n))
    for i in range(n):
        t = 2 * ks[i] * ks[i + 1] / (ks[i] + ks[i + 1])
        A[i, i] += t
        if i + 1 < n:
            A[i + 1, i + 1] += t
            A[i, i + 1] -= t
            A[i + 1, i] -= t
    b = np.zeros(n)
    b[0] = 1.0
    return np.linalg.solve(A + np.eye(n) * 0.1, b).sum()


def gru_h(h0):
    h = h0
    xs = [0.5, -0.3, 0.8]
    for x in xs:
        z = 1 / (1 + math.exp(-(0.4 * x + 0.3 * h)))
        r = 1 / (1 + math.exp(-(-0.2 * x + 0.5 * h)))
        hc = math.tanh(0.7 * x + 0.9 * r * h)
        h = (1 - z) * h + z * hc
    return h


R = np.random.default_rng(17)
EDGES = [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (3, 4), (2, 4)]


def bellman_ford(w):
    INF = math.inf
    d = [0.0] + [INF] * 4
    for _ in range(4):
        for k, (u, v) in enumerate(EDGES):
            c = math.exp(w[k])
            if d[u] + c < d[v]:
                d[v] = d[u] + c
            if d[v] + c < d[u]:
                d[u] = d[v] + c
    return sum(d)


def floyd(w):
    n = 5
    D = np.full((n, n), np.inf)
    np.fill_diagonal(D, 0.0)
    for k, (u, v) in enumerate(EDGES):
        D[u, v] = D[v, u] = w[k] ** 2 + 0.1
    for k in range(n):
        D = np.minimum(D, D[:, k : k + 1] + D[k : k + 1, :])
    return np.sum(D)


def counter_defaultdict(x):
    acc = collections.defaultdict(float)
    cnt = collections.Counter()
    for i, v in enumerate(x):
        acc[i % 3] += v**2
        cnt[i % 3] += 1
    d = {}
    for k in acc:
        d.setdefault(k, 0.0)
        d[k] = d.get(k, 0.0) + acc[k] / cnt[k]
    return sum(d.values())


def deque_window(x):
    q = collections.deque(maxlen=3)
    out = 0.0
    for v in x:
        q.append(v)
        out += max(q) * sum(q) / len(q)
    return out


def itertools_pairs(x):
    P = x.reshape(-1, 2)
    e = 0.0
    for i, j in itertools.combinations(range(len(P)), 2):
        r2 = np.sum((P[i] - P[j]) ** 2)
        e += 1.0 / (r2 + 0.5)
    for a, b in itertools.product(range(2), repeat=2):
        e += P[a, b] * P[b, a]
    return e


def zip_star_transpose(x):
    M = [list(x[i * 3 : (i + 1) * 3]) for i in range(3)]
    T = [list(col) for col in zip(*M)]
    return sum(T[i][j] * M[i][j] ** 2 for i in range(3) for j in range(3))


def min_tracking(x):
    best = math.inf
    arg = -1
    for i, v in enumerate(x):
        d = (v - 0.3) ** 2
        if d < best:
            best, arg = d, i
    return best + x[arg] * 2


def relu_inplace_backprop(w):
    W1 = w[:6].reshape(2, 3)
    W2 = w[6:9]
    X = np.array([[0.5, -1.0], [1.5, 0.3], [-0.2, 0.8], [1.0, 1.0]])
    y = np.array([1.0, 0.0, 0.5, 2.0])
    z = X @ W1
    h = z.copy()
    h[h < 0] = 0
    out = h @ W2
    dout = 2 * (out - y) / len(y)
    dh = np.outer(dout, W2)
    dz = dh.copy()
    dz[z <= 0] = 0
    dW1 = X.T @ dz
    return np.sum((out - y) ** 2) / len(y) + 0.1 * np.sum(dW1**2)


def bce_clip(w):
    X = np.array([[0.5, -1.0], [1.5, 0.3], [-0.2, 0.8]])
    y = np.array([1.0, 0.0, 1.0])
    p = 1 / (1 + np.exp(-(X @ w)))
    p = np.clip(p, 1e-7, 1 - 1e-7)
    acc = np.mean((p > 0.5) == y)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + 0 * acc


def knn_soft(x):
    Q = x.reshape(2, 2)
    DB = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.5]])
    vals = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    tot = 0.0
    for q in Q:
        d = np.linalg.norm(DB - q, axis=1)
        nn = np.argsort(d)[:3]
        w = 1 / (d[nn] + 1e-3)
        tot += np.sum(w * vals[nn]) / np.sum(w)
    return tot


def kmeans_loss(x):
    C = x.reshape(2, 2)
    P = np.array([[0.0, 0.1], [0.2, -0.1], [1.0, 1.1], [0.9, 1.3], [0.5, 0.4]])
    d = ((P[:, None, :] - C[None, :, :]) ** 2).sum(-1)
    a = d.argmin(1)
    return np.sum(d[np.arange(len(P)), a]) + np.sum(np.min(d, axis=1))


CASES = [
    Case(bs_tree, (101.7,), (0,), extra="hvp"),
    Case(vol_tree, (0.23,), (0,), extra="hvp"),
    Case(pend_L, (1.2,), (0,), extra="hvp"),
    Case(sir_beta, (0.9,), (0,), extra="hvp"),
    Case(pk_ka, (0.7,), (0,), extra="hvp"),
    Case(ces_rho, (0.4,), (0,), extra="hvp"),
    Case(morse_r, (1.3,), (0,), extra="hvp"),
    Case(gp_ls, (0.4,), (0,), extra="hvp"),
    Case(sinkhorn_eps, (0.5,), (0,), extra="hvp"),
    Case(softmin_tau, (0.3,), (0,), extra="hvp"),
    Case(inventory_s, (2.7,), (0,), extra="hvp"),
    Case(attention_temp, (1.3,), (0,), extra="hvp"),
    Case(ln_eps, (0.5,), (0,), extra="hvp"),
    Case(focal_gamma, (2.0,), (0,), extra="hvp"),
    Case(gelu_x, (0.3,), (0,), extra="hvp"),
    Case(planar_u, (0.5,), (0,), extra="hvp"),
    Case(lv_a, (1.1,), (0,), extra="hvp"),
    Case(darcy_k, (1.5,), (0,), extra="hvp"),
    Case(gru_h, (0.2,), (0,), extra="hvp"),
    Case(bellman_ford, (R.standard_normal(7),), (0,), extra="hvp"),
    Case(floyd, (R.uniform(0.5, 1.5, 7),), (0,), extra="hvp"),
    Case(counter_defaultdict, (R.standard_normal(7),), (0,), extra="hvp"),
    Case(deque_window, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(itertools_pairs, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(zip_star_transpose, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(min_tracking, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(relu_inplace_backprop, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(bce_clip, (R.standard_normal(2),), (0,), extra="hvp"),
    Case(knn_soft, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(kmeans_loss, (R.standard_normal(4),), (0,), extra="hvp"),
]
