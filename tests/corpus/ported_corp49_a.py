"""Ported cases (session 49, hunt49a): machine-learning losses and simulations written as users
write them. ML: attention with a max-shifted softmax and a -inf / large-negative causal mask,
layer and batch norm, label-smoothed cross-entropy, focal loss, triplet and InfoNCE losses, a
VAE ELBO by the reparameterisation trick, a GP's negative log marginal likelihood by cholesky,
Bayesian logistic regression, a mixture density network, a CRF forward algorithm, a CTC-like
dynamic program, soft k-means, t-SNE's KL, word2vec negative sampling, masked matrix
factorisation. Simulation: RK4 and leapfrog with early exit, n-body with the diagonal excluded,
a mass-spring cloth, heat and wave stencils with boundaries, Lotka-Volterra, SIR, a pendulum,
finite-element assembly by ``np.ix_``, a particle filter with fixed resampling indices,
Black-Scholes by ndtr and erf, a binomial tree, chemical kinetics, Snell's law by arcsin and
planar forward kinematics by cumsum.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf, logsumexp, ndtr

from . import Case

_R = np.random.default_rng(49)


# -- ML ------------------------------------------------------------------------------------------
def _softmax(z, axis=-1):
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def causal_attention(W, X):
    T, d = X.shape
    q = X @ W[:, :d]
    k = X @ W[:, d : 2 * d]
    v = X @ W[:, 2 * d :]
    s = q @ k.T / np.sqrt(d)
    mask = np.triu(np.ones((T, T), dtype=bool), k=1)
    s = np.where(mask, -np.inf, s)
    a = _softmax(s, axis=-1)
    return np.sum((a @ v) ** 2)


def attention_bigneg(W, X):
    T, d = X.shape
    q, k = X @ W[:, :d], X @ W[:, d : 2 * d]
    s = q @ k.T / math.sqrt(d)
    s[np.tril_indices(T, -1)] = -1e9
    a = _softmax(s)
    return float(np.sum(a * (X @ W[:, 2 * d :]).sum(axis=1)))


def attention_masked_fill(W, X, lengths):
    T, d = X.shape
    s = (X @ W[:, :d]) @ (X @ W[:, d : 2 * d]).T
    pos = np.arange(T)
    keep = pos[None, :] < lengths[:, None]
    s = s.copy()
    s[~keep] = -1e30
    a = _softmax(s)
    return np.sum(np.log(a[keep] + 1e-12))


def layer_norm(x, g, b, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    xh = (x - mu) / np.sqrt(var + eps)
    return np.sum(np.tanh(xh * g + b))


def batch_norm(x, g, b, eps=1e-5):
    mu = np.mean(x, axis=0)
    var = np.var(x, axis=0)
    y = g * (x - mu) / np.sqrt(var + eps) + b
    return np.sum(y**3) / x.shape[0]


def label_smooth_ce(logits, y, eps=0.1):
    n, k = logits.shape
    t = np.full((n, k), eps / (k - 1))
    t[np.arange(n), y] = 1 - eps
    lp = logits - logsumexp(logits, axis=1, keepdims=True)
    return -np.sum(t * lp) / n


def focal_loss(w, X, y, gamma=2.0):
    p = 1 / (1 + np.exp(-(X @ w)))
    pt = np.where(y == 1, p, 1 - p)
    pt = np.clip(pt, 1e-7, 1 - 1e-7)
    return -np.mean((1 - pt) ** gamma * np.log(pt))


def triplet_loss(E, margin=0.5):
    a, p, n = E[0::3], E[1::3], E[2::3]
    dp = np.sum((a - p) ** 2, axis=1)
    dn = np.sum((a - n) ** 2, axis=1)
    return np.mean(np.maximum(dp - dn + margin, 0.0))


def info_nce(Z, tau=0.5):
    Z = Z / np.linalg.norm(Z, axis=1, keepdims=True)
    S = Z @ Z.T / tau
    n = Z.shape[0]
    S = S - 1e9 * np.eye(n)
    half = n // 2
    pos = np.concatenate([np.arange(half, n), np.arange(0, half)])
    return -np.mean(S[np.arange(n), pos] - logsumexp(S, axis=1))


def vae_elbo_dict(params, x, eps):
    h = np.tanh(x @ params["We"] + params["be"])
    mu, logvar = h @ params["Wm"], h @ params["Wv"]
    z = mu + np.exp(0.5 * logvar) * eps
    xhat = 1 / (1 + np.exp(-(z @ params["Wd"])))
    rec = np.sum(x * np.log(xhat + 1e-9) + (1 - x) * np.log(1 - xhat + 1e-9))
    kl = 0.5 * np.sum(np.exp(logvar) + mu**2 - 1 - logvar)
    return kl - rec


def gp_nlml(theta, X, y):
    ell, sf, sn = np.exp(theta)
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    K = sf**2 * np.exp(-0.5 * d2 / ell**2) + (sn**2 + 1e-8) * np.eye(len(y))
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * len(y) * np.log(2 * np.pi)


def gp_nlml_slogdet(theta, X, y):
    ell, sf, sn = np.exp(theta[0]), np.exp(theta[1]), np.exp(theta[2])
    r = np.sqrt(np.maximum(((X[:, None] - X[None]) ** 2).sum(-1), 1e-300))
    K = sf * (1 + np.sqrt(3) * r / ell) * np.exp(-np.sqrt(3) * r / ell)
    K = K + sn * np.eye(X.shape[0])
    sign, logdet = np.linalg.slogdet(K)
    return 0.5 * (y @ np.linalg.solve(K, y) + logdet)


def bayes_logreg(w, X, y, prior_var=2.0):
    z = X @ w
    ll = np.sum(y * z - np.logaddexp(0.0, z))
    lp = -0.5 * np.dot(w, w) / prior_var
    return ll + lp


def mdn_nll(theta, x, y):
    K = 3
    W = theta[: 3 * K].reshape(1, 3 * K)
    out = x[:, None] @ W
    logits, mu, logs = out[:, :K], out[:, K : 2 * K], out[:, 2 * K :]
    logpi = logits - logsumexp(logits, axis=1, keepdims=True)
    lg = -0.5 * ((y[:, None] - mu) / np.exp(logs)) ** 2 - logs - 0.5 * np.log(2 * np.pi)
    return -np.sum(logsumexp(logpi + lg, axis=1))


def crf_forward(trans, emit, tags):
    T, K = emit.shape
    alpha = emit[0].copy()
    for t in range(1, T):
        alpha = logsumexp(alpha[:, None] + trans, axis=0) + emit[t]
    logZ = logsumexp(alpha)
    score = emit[0, tags[0]]
    for t in range(1, T):
        score += trans[tags[t - 1], tags[t]] + emit[t, tags[t]]
    return logZ - score


def ctc_like(logp, labels):
    T = logp.shape[0]
    ext = [0]
    for c in labels:
        ext += [c, 0]
    S = len(ext)
    a = np.full(S, -np.inf)
    a[0] = logp[0, ext[0]]
    a[1] = logp[0, ext[1]]
    for t in range(1, T):
        new = np.full(S, -np.inf)
        for s in range(S):
            cands = [a[s]]
            if s >= 1:
                cands.append(a[s - 1])
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                cands.append(a[s - 2])
            m = max(cands)
            if m == -np.inf:
                continue
            new[s] = m + np.log(sum(np.exp(c - m) for c in cands)) + logp[t, ext[s]]
        a = new
    return -np.logaddexp(a[-1], a[-2])


def soft_kmeans(C, X, beta=2.0):
    d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    r = _softmax(-beta * d2, axis=1)
    return np.sum(r * d2)


def tsne_kl(Y, P):
    d2 = np.sum((Y[:, None] - Y[None]) ** 2, axis=-1)
    num = 1.0 / (1.0 + d2)
    np.fill_diagonal(num, 0.0)
    Q = np.maximum(num / num.sum(), 1e-12)
    return np.sum(P * np.log(np.maximum(P, 1e-12) / Q))


def w2v_negsamp(params, center, context, negs):
    Win, Wout = params
    v = Win[center]
    u = Wout[context]
    loss = -np.log(1 / (1 + np.exp(-u @ v)))
    for n in negs:
        loss -= np.log(1 / (1 + np.exp(Wout[n] @ v)))
    return loss


def masked_mf(UV, R, M, lam=0.1):
    U, V = UV[:12].reshape(4, 3), UV[12:].reshape(5, 3)
    E = (U @ V.T - R) * M
    return 0.5 * np.sum(E**2) + lam * (np.sum(U**2) + np.sum(V**2))


def masked_mf_nan(U, V, R):
    pred = U @ V.T
    obs = ~np.isnan(R)
    diff = np.where(obs, pred - np.nan_to_num(R), 0.0)
    return np.sum(diff**2) / obs.sum()


def hinge_multiclass(W, X, y):
    s = X @ W
    correct = s[np.arange(len(y)), y][:, None]
    m = np.maximum(0, s - correct + 1.0)
    m[np.arange(len(y)), y] = 0
    return m.sum() / len(y)


def gelu_mlp(p, x):
    h = x @ p[0] + p[1]
    h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
    return np.sum((h @ p[2]) ** 2)


# -- simulation ----------------------------------------------------------------------------------
def rk4_decay_early(k, y0=1.0, T=2.0, h=0.1):
    def f(y):
        return -k * y + np.sin(y)

    y, t = y0, 0.0
    while t < T:
        k1 = f(y)
        k2 = f(y + 0.5 * h * k1)
        k3 = f(y + 0.5 * h * k2)
        k4 = f(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += h
        if abs(y) < 1e-3:
            break
    return y


def leapfrog_orbit(q0, dt=0.05, n=40):
    q, p = q0[:2].copy(), q0[2:].copy()
    for _ in range(n):
        r3 = np.linalg.norm(q) ** 3
        p -= 0.5 * dt * q / r3
        q += dt * p
        r3 = np.linalg.norm(q) ** 3
        p -= 0.5 * dt * q / r3
    return 0.5 * p @ p - 1 / np.linalg.norm(q)


def verlet_spring(x0, k=3.0, dt=0.02, n=50):
    x, xprev = x0.copy(), x0.copy()
    for _ in range(n):
        a = -k * x - 0.1 * x**3
        x, xprev = 2 * x - xprev + dt**2 * a, x
    return np.sum(x**2)


def nbody_energy(pos, m):
    diff = pos[:, None, :] - pos[None, :, :]
    r = np.sqrt(np.sum(diff**2, axis=-1) + np.eye(len(m)))
    inv = np.where(np.eye(len(m), dtype=bool), 0.0, 1.0 / r)
    return -0.5 * np.sum(m[:, None] * m[None, :] * inv)


def nbody_step(pos, vel, m, dt=0.01, steps=5):
    n = len(m)
    for _ in range(steps):
        acc = np.zeros_like(pos)
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                d = pos[j] - pos[i]
                acc[i] += m[j] * d / (d @ d + 0.01) ** 1.5
        vel = vel + dt * acc
        pos = pos + dt * vel
    return np.sum(pos**2) + np.sum(vel**2)


def cloth_energy(P, rest=1.0, k=10.0):
    n = P.shape[0]
    E = 0.0
    for i in range(n):
        for j in range(n):
            if i < n - 1:
                d = np.linalg.norm(P[i + 1, j] - P[i, j])
                E += 0.5 * k * (d - rest) ** 2
            if j < n - 1:
                d = np.linalg.norm(P[i, j + 1] - P[i, j])
                E += 0.5 * k * (d - rest) ** 2
    E += 9.8 * np.sum(P[..., 2])
    return E


def heat_1d(u0, alpha=0.2, steps=20):
    u = u0.copy()
    for _ in range(steps):
        un = u.copy()
        u[1:-1] = un[1:-1] + alpha * (un[2:] - 2 * un[1:-1] + un[:-2])
        u[0] = 0.0
        u[-1] = u[-2]
    return np.sum(u**2)


def heat_2d(u0, alpha=0.1, steps=6):
    u = u0.copy()
    for _ in range(steps):
        lap = np.zeros_like(u)
        lap[1:-1, 1:-1] = (
            u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] - 4 * u[1:-1, 1:-1]
        )
        u = u + alpha * lap
        u[0, :] = u[1, :]
        u[:, -1] = 0
    return np.sum(u * u)


def wave_1d(u0, c=0.5, steps=15):
    u_prev = u0.copy()
    u = u0.copy()
    for _ in range(steps):
        u_next = np.empty_like(u)
        u_next[1:-1] = 2 * u[1:-1] - u_prev[1:-1] + c**2 * (u[2:] - 2 * u[1:-1] + u[:-2])
        u_next[0] = u_next[-1] = 0.0
        u_prev, u = u, u_next
    return np.sum(u**2)


def lotka_volterra(p, x0=(1.0, 0.5), dt=0.01, n=100):
    a, b, c, d = p
    x, y = x0
    for _ in range(n):
        dx = a * x - b * x * y
        dy = d * x * y - c * y
        x, y = x + dt * dx, y + dt * dy
    return x + 2 * y


def sir_model(beta_gamma, N=1000.0, days=30):
    beta, gamma = beta_gamma
    s, i, r = N - 1, 1.0, 0.0
    peak = 0.0
    for _ in range(days):
        new_inf = beta * s * i / N
        new_rec = gamma * i
        s, i, r = s - new_inf, i + new_inf - new_rec, r + new_rec
        peak = max(peak, i)
    return peak + r


def pendulum(theta0, L=1.0, g=9.81, dt=0.01, steps=100):
    th, om = theta0, 0.0
    for _ in range(steps):
        om = om - g / L * math.sin(th) * dt
        th = th + om * dt
    return th


def fem_bar(E, n=5, L=1.0):
    h = L / n
    K = np.zeros((n + 1, n + 1))
    for e in range(n):
        idx = np.array([e, e + 1])
        ke = E[e] / h * np.array([[1.0, -1.0], [-1.0, 1.0]])
        K[np.ix_(idx, idx)] += ke
    f = np.full(n + 1, h)
    Kr, fr = K[1:, 1:], f[1:]
    u = np.linalg.solve(Kr, fr)
    return fr @ u


def particle_filter(theta, obs, parts0, idx):
    x = parts0.copy()
    ll = 0.0
    for t in range(len(obs)):
        x = theta[0] * x + 0.1
        w = np.exp(-0.5 * (obs[t] - x) ** 2 / np.exp(theta[1]))
        ll += np.log(np.mean(w))
        x = x[idx[t]]
    return ll


def black_scholes(S, K, T, r, sigma):
    d1 = (np.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * np.sqrt(T))
    d2 = d1 - sigma * np.sqrt(T)
    call = S * ndtr(d1) - K * np.exp(-r * T) * ndtr(d2)
    return np.sum(call)


def bs_erf(sigma, S=100.0, K=100.0, T=1.0, r=0.01):
    def Phi(x):
        return 0.5 * (1 + erf(x / math.sqrt(2)))

    d1 = (math.log(S / K) + (r + sigma**2 / 2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    return S * Phi(d1) - K * math.exp(-r * T) * Phi(d2)


def binomial_american_put(sigma, S=100.0, K=100.0, T=1.0, r=0.05, n=20):
    dt = T / n
    u = np.exp(sigma * np.sqrt(dt))
    d = 1 / u
    p = (np.exp(r * dt) - d) / (u - d)
    j = np.arange(n + 1)
    ST = S * u ** (n - j) * d**j
    V = np.maximum(K - ST, 0.0)
    for i in range(n - 1, -1, -1):
        ST = S * u ** (i - np.arange(i + 1)) * d ** np.arange(i + 1)
        V = np.exp(-r * dt) * (p * V[:-1] + (1 - p) * V[1:])
        V = np.maximum(V, K - ST)
    return V[0]


_C0 = np.array([1.0, 0.0, 0.0])


def kinetics(k, c0=_C0, dt=0.05, n=40):
    c = c0.copy()
    for _ in range(n):
        r1 = k[0] * c[0]
        r2 = k[1] * c[1] ** 2
        dc = np.array([-r1, r1 - 2 * r2, r2])
        c = c + dt * dc
    return c[2] - 0.5 * c[1]


def snell(n2, theta_i=0.6, n1=1.0):
    s = n1 * np.sin(theta_i) / n2
    if abs(s) >= 1:
        return np.pi / 2
    theta_t = np.arcsin(s)
    rs = (n1 * np.cos(theta_i) - n2 * np.cos(theta_t)) / (
        n1 * np.cos(theta_i) + n2 * np.cos(theta_t)
    )
    return rs**2


_LINKS = np.array([1.0, 0.8, 0.5])


def arm_fk(q, lengths=_LINKS):
    ang = np.cumsum(q)
    x = np.cumsum(lengths * np.cos(ang))
    y = np.cumsum(lengths * np.sin(ang))
    target = np.array([1.2, 0.9])
    return (x[-1] - target[0]) ** 2 + (y[-1] - target[1]) ** 2 + 0.1 * np.sum(np.diff(x) ** 2)


def scale_chain(s):
    return np.sum(np.cumprod(s) ** 2) + np.prod(s[1:])


# -- inputs ---------------------------------------------------------------------------------------
_XA = _R.standard_normal((4, 3))
_WA = _R.standard_normal((3, 9)) * 0.5
_XC = _R.standard_normal((6, 2))
_yc = (_R.random(6) > 0.5).astype(float)
_L = _R.standard_normal((4, 3))
_VAE = {
    "We": _R.standard_normal((4, 3)) * 0.5,
    "be": np.zeros(3),
    "Wm": _R.standard_normal((3, 2)) * 0.5,
    "Wv": _R.standard_normal((3, 2)) * 0.3,
    "Wd": _R.standard_normal((2, 4)) * 0.5,
}
_XV = (_R.random((5, 4)) > 0.5).astype(float)
_P6 = _R.random((6, 6))
_P6 = _P6 + _P6.T
np.fill_diagonal(_P6, 0.0)
_P6 /= _P6.sum()
_Rm = _R.standard_normal((4, 5))
_Mm = (_R.random((4, 5)) > 0.3).astype(float)
_RN = np.where(_Mm > 0, _Rm, np.nan)
_GRID = np.stack(np.meshgrid(np.arange(3.0), np.arange(3.0), indexing="ij"), -1)
_CLOTH = np.concatenate([_GRID, np.zeros((3, 3, 1))], -1) + 0.05 * _R.standard_normal((3, 3, 3))

CASES = [
    Case(causal_attention, (_WA, _XA), (0, 1), extra="hvp"),
    Case(attention_bigneg, (_WA, _XA), (0, 1), extra="hvp"),
    Case(attention_masked_fill, (_WA[:, :6], _XA, np.array([1, 2, 4, 3])), (0,), extra="hvp"),
    Case(
        layer_norm,
        (_XA, np.array([1.0, 0.5, 2.0]), np.array([0.1, 0.0, -0.1])),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        batch_norm,
        (_XA, np.array([1.0, 0.5, 2.0]), np.array([0.1, 0.0, -0.1])),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(label_smooth_ce, (_XA, np.array([0, 2, 1, 1])), (0,), extra="hvp"),
    Case(focal_loss, (np.array([0.5, -0.3]), _XC, _yc), (0,), extra="hvp"),
    Case(triplet_loss, (_R.standard_normal((6, 3)),), (0,), extra="hvp"),
    Case(info_nce, (_R.standard_normal((6, 3)),), (0,), extra="hvp"),
    Case(vae_elbo_dict, (_VAE, _XV, _R.standard_normal((5, 2))), (0,), extra="hvp"),
    Case(gp_nlml, (np.array([0.1, 0.2, -1.0]), _XC, _R.standard_normal(6)), (0, 1), extra="hvp"),
    Case(
        gp_nlml_slogdet, (np.array([0.1, 0.2, -1.0]), _XC, _R.standard_normal(6)), (0,), extra="hvp"
    ),
    Case(bayes_logreg, (np.array([0.5, -0.3]), _XC, _yc), (0,), extra="hvp"),
    Case(
        mdn_nll,
        (_R.standard_normal(9) * 0.5, _R.standard_normal(7), _R.standard_normal(7)),
        (0,),
        extra="hvp",
    ),
    Case(
        crf_forward,
        (_R.standard_normal((3, 3)), _R.standard_normal((5, 3)), [0, 2, 2, 1, 0]),
        (0, 1),
        extra="hvp",
    ),
    Case(ctc_like, (np.log(_softmax(_R.standard_normal((6, 3)))), [1, 2, 2]), (0,), extra="hvp"),
    Case(soft_kmeans, (_R.standard_normal((3, 2)), _XC), (0, 1), extra="hvp"),
    Case(tsne_kl, (_R.standard_normal((6, 2)), _P6), (0,), extra="hvp"),
    Case(
        w2v_negsamp,
        ((_R.standard_normal((5, 3)), _R.standard_normal((5, 3))), 1, 2, [0, 3, 3]),
        (0,),
        extra="hvp",
    ),
    Case(masked_mf, (_R.standard_normal(27) * 0.5, _Rm, _Mm), (0,), extra="hvp"),
    Case(
        masked_mf_nan,
        (_R.standard_normal((4, 3)), _R.standard_normal((5, 3)), _RN),
        (0, 1),
        extra="hvp",
    ),
    Case(
        hinge_multiclass,
        (_R.standard_normal((3, 3)), _XA, np.array([0, 2, 1, 1])),
        (0,),
        extra="hvp",
    ),
    Case(
        gelu_mlp,
        ([_R.standard_normal((3, 4)), _R.standard_normal(4), _R.standard_normal((4, 2))], _XA),
        (0,),
        extra="hvp",
    ),
    Case(rk4_decay_early, (0.8,), (0,), extra="hvp"),
    Case(leapfrog_orbit, (np.array([1.0, 0.0, 0.0, 1.1]),), (0,), extra="hvp"),
    Case(verlet_spring, (np.array([0.3, -0.5, 1.0]),), (0,), extra="hvp"),
    Case(
        nbody_energy,
        (_R.standard_normal((4, 3)), np.array([1.0, 2.0, 0.5, 1.5])),
        (0, 1),
        extra="hvp",
    ),
    Case(
        nbody_step,
        (_R.standard_normal((3, 2)), _R.standard_normal((3, 2)) * 0.1, np.array([1.0, 2.0, 0.5])),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(cloth_energy, (_CLOTH,), (0,), extra="hvp"),
    Case(heat_1d, (np.sin(np.linspace(0, 3, 8)),), (0,), extra="hvp"),
    Case(heat_2d, (_R.standard_normal((5, 5)),), (0,), extra="hvp"),
    Case(wave_1d, (np.sin(np.linspace(0, np.pi, 9)) + 0.1,), (0,), extra="hvp"),
    Case(lotka_volterra, (np.array([1.1, 0.4, 0.4, 0.1]),), (0,), extra="hvp"),
    Case(
        sir_model, (np.array([0.4, 0.1]), 100.0), (0,), extra="hvp"
    ),  # (N = 1000: second differences of the primal do not converge)
    Case(pendulum, (0.8,), (0,), extra="hvp"),
    Case(fem_bar, (np.array([1.0, 2.0, 1.5, 0.7, 1.2]),), (0,), extra="hvp"),
    Case(
        particle_filter,
        (
            np.array([0.9, -0.5]),
            _R.standard_normal(4),
            _R.standard_normal(5),
            _R.integers(0, 5, (4, 5)),
        ),
        (0,),
        extra="hvp",
    ),
    Case(
        black_scholes,
        (np.array([95.0, 105.0]), 100.0, 0.5, 0.02, 0.25),
        (0, 1, 2, 3, 4),
        extra="hvp",
    ),
    Case(bs_erf, (0.2,), (0,), extra="hvp"),
    Case(binomial_american_put, (0.25,), (0,), extra="hvp"),
    Case(kinetics, (np.array([0.8, 0.5]),), (0,), extra="hvp"),
    Case(snell, (1.4,), (0,), extra="hvp"),
    Case(arm_fk, (np.array([0.3, 0.5, -0.2]),), (0,), extra="hvp"),
    Case(scale_chain, (np.array([0.9, 1.2, -0.7, 1.1]),), (0,), extra="hvp"),
]
