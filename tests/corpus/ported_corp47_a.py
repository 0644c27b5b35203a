"""Ported cases (session 47, hunt47): time-series, finance, signal/image, geometry and NLP/RL
programs written as users write them, that srcad gets right (fwd, rev, hvp): GARCH(1,1) and
EGARCH likelihood recursions, an ARMA residual recursion, Holt-Winters, an RTS smoother, a
mean-variance portfolio by a covariance solve, max drawdown by ``np.maximum.accumulate``, SABR's
implied vol; an IIR filter by a loop, an FFT low-pass loss, total-variation denoising, bilinear
warping by floor indices, Sobel/Harris by slices; a planar arm's forward kinematics, ray-sphere
hits, soft rasterisation, quaternion rotations, Procrustes by SVD, a mesh Laplacian by
``np.add.at``, a cloth step; a CRF forward pass, word2vec negative sampling and its SGD on a copy
of the table with repeated indices, a policy gradient with reversed discounted returns, causal
attention with ``-inf`` above the diagonal, a CTC forward pass, and a beam search over lists.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import numpy as np

from . import Case

_R = np.random.default_rng(47)
_Y = _R.standard_normal(16) * 0.5


def _lse(a, axis=None, keepdims=False):
    m = np.max(a, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


# -- time series / finance -----------------------------------------------------------------------
def garch_nll(p, y):
    omega, alpha, beta = p[0], p[1], p[2]
    s2 = np.empty(len(y))
    s2[0] = np.var(y)
    for t in range(1, len(y)):
        s2[t] = omega + alpha * y[t - 1] ** 2 + beta * s2[t - 1]
    return 0.5 * np.sum(np.log(2 * np.pi) + np.log(s2) + y**2 / s2)


def egarch(p, y):
    w, a, g, b = p
    ls = np.zeros_like(y)
    ls[0] = np.log(np.var(y))
    for t in range(1, y.shape[0]):
        z = y[t - 1] / np.exp(0.5 * ls[t - 1])
        ls[t] = w + a * (np.abs(z) - np.sqrt(2 / np.pi)) + g * z + b * ls[t - 1]
    return np.sum(ls + y**2 * np.exp(-ls))


def arma_resid(th, y):
    e = np.zeros(len(y))
    for t in range(1, len(y)):
        e[t] = y[t] - th[0] * y[t - 1] - th[1] * e[t - 1]
    return (e**2).sum() / len(y)


def holt_winters(p, y):
    a, b, g = 1 / (1 + np.exp(-p))
    m = 4
    level, trend = y[0], y[1] - y[0]
    season = list(y[:m] - y[:m].mean())
    sse = 0.0
    for t in range(m, len(y)):
        fc = level + trend + season[t - m]
        sse += (y[t] - fc) ** 2
        new_level = a * (y[t] - season[t - m]) + (1 - a) * (level + trend)
        trend = b * (new_level - level) + (1 - b) * trend
        season.append(g * (y[t] - new_level) + (1 - g) * season[t - m])
        level = new_level
    return sse


def rts_smoother(q, y):
    n = len(y)
    m, P, mp, Pp = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    mm, PP = 0.0, 1.0
    for t in range(n):
        mp[t], Pp[t] = mm, PP + q
        K = Pp[t] / (Pp[t] + 0.5)
        mm = mp[t] + K * (y[t] - mp[t])
        PP = (1 - K) * Pp[t]
        m[t], P[t] = mm, PP
    ms, Ps = m.copy(), P.copy()
    for t in range(n - 2, -1, -1):
        G = P[t] / Pp[t + 1]
        ms[t] = m[t] + G * (ms[t + 1] - mp[t + 1])
        Ps[t] = P[t] + G**2 * (Ps[t + 1] - Pp[t + 1])
    return np.sum((ms - y) ** 2) + Ps.sum()


def mean_variance(mu, C, lam):
    w = np.linalg.solve(C, mu) / lam
    w = w / w.sum()
    return w @ mu - 0.5 * lam * w @ C @ w


def max_drawdown(w, rets):
    pv = np.cumprod(1 + rets * w)
    peak = np.maximum.accumulate(pv)
    dd = (peak - pv) / peak
    return dd.max() + np.mean(dd)


def sabr_vol(p, F, K):
    alpha, beta, rho, nu = p
    FK = F * K
    z = nu / alpha * FK ** ((1 - beta) / 2) * np.log(F / K)
    x = np.log((np.sqrt(1 - 2 * rho * z + z * z) + z - rho) / (1 - rho))
    return np.sum(alpha / FK ** ((1 - beta) / 2) * z / x)


# -- signal / image ------------------------------------------------------------------------------
def iir(a, x):
    y = np.zeros(len(x))
    y[0] = x[0]
    for n in range(1, len(x)):
        y[n] = 0.3 * x[n] + a[0] * y[n - 1] + (a[1] * y[n - 2] if n >= 2 else 0.0)
    return np.dot(y, y)


def rfft_lowpass(x):
    F = np.fft.rfft(x)
    F[4:] = 0
    y = np.fft.irfft(F, n=len(x))
    return np.sum((y - x) ** 2) + np.sum(np.abs(F) ** 2)


def tv_denoise(u, f):
    dx = np.diff(u, axis=1)[:-1, :]
    dy = np.diff(u, axis=0)[:, :-1]
    return 0.5 * np.sum((u - f) ** 2) + 0.1 * np.sum(np.sqrt(dx**2 + dy**2 + 1e-3))


def warp_bilinear(u, flow):
    H, W = u.shape
    ys, xs = np.meshgrid(np.arange(H), np.arange(W), indexing="ij")
    X = np.clip(xs + flow[..., 0], 0, W - 1.001)
    Y = np.clip(ys + flow[..., 1], 0, H - 1.001)
    x0, y0 = np.floor(X).astype(int), np.floor(Y).astype(int)
    wx, wy = X - x0, Y - y0
    out = (
        u[y0, x0] * (1 - wx) * (1 - wy)
        + u[y0, x0 + 1] * wx * (1 - wy)
        + u[y0 + 1, x0] * (1 - wx) * wy
        + u[y0 + 1, x0 + 1] * wx * wy
    )
    return np.sum(out**2)


def sobel_harris(u):
    gx = (u[2:, 2:] + 2 * u[1:-1, 2:] + u[:-2, 2:]) - (u[2:, :-2] + 2 * u[1:-1, :-2] + u[:-2, :-2])
    gy = (u[2:, 2:] + 2 * u[2:, 1:-1] + u[2:, :-2]) - (u[:-2, 2:] + 2 * u[:-2, 1:-1] + u[:-2, :-2])
    Ixx, Iyy, Ixy = gx * gx, gy * gy, gx * gy
    return np.sum(Ixx * Iyy - Ixy**2 - 0.05 * (Ixx + Iyy) ** 2)


# -- geometry / robotics / graphics --------------------------------------------------------------
def fk_planar(th, L):
    a = np.cumsum(th)
    return (np.sum(L * np.cos(a)) - 1.0) ** 2 + (np.sum(L * np.sin(a)) - 0.5) ** 2


def ray_sphere(c, o, d, r):
    oc = o - c
    b = np.dot(oc, d)
    disc = b * b - (np.dot(oc, oc) - r * r)
    if disc < 0:
        return 0.0
    t = -b - np.sqrt(disc)
    n = (o + t * d - c) / r
    return max(np.dot(n, -d), 0.0) * t


def soft_raster(V, px):
    occ = np.ones(px.shape[0])
    for i in range(3):
        e = V[(i + 1) % 3] - V[i]
        n = np.array([-e[1], e[0]]) / np.linalg.norm(e)
        occ = occ * (1 / (1 + np.exp(-((px - V[i]) @ n) / 0.05)))
    return np.sum((occ - 0.3) ** 2)


def quat_rot(q, P):
    w, x, y, z = q / np.linalg.norm(q)
    Rm = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    return np.sum((P @ Rm.T - P[::-1]) ** 2)


def procrustes(X, Y):
    U, S, Vt = np.linalg.svd(X.T @ Y)
    return np.sum((X @ (U @ Vt) - Y) ** 2) + S.sum()


def mesh_laplacian(V, edges):
    L = np.zeros_like(V)
    i, j = edges[:, 0], edges[:, 1]
    np.add.at(L, i, V[j] - V[i])
    np.add.at(L, j, V[i] - V[j])
    return np.sum(L**2)


def cloth(x0, edges, rest):
    x, v = x0.copy(), np.zeros_like(x0)
    for _ in range(4):
        d = x[edges[:, 0]] - x[edges[:, 1]]
        L = np.linalg.norm(d, axis=1, keepdims=True)
        f = -10.0 * (L - rest[:, None]) * d / L
        F = np.zeros_like(x)
        np.add.at(F, edges[:, 0], f)
        np.subtract.at(F, edges[:, 1], f)
        F[:, 1] -= 9.8
        v = 0.99 * v + 0.01 * F
        x = x + 0.01 * v
        x[0] = x0[0]
    return np.sum(x[:, 1])


# -- NLP / RL / recommender ----------------------------------------------------------------------
def crf_nll(trans, emis, tags):
    alpha = emis[0]
    for t in range(1, emis.shape[0]):
        alpha = _lse(alpha[:, None] + trans, axis=0) + emis[t]
    score = emis[np.arange(len(tags)), tags].sum() + trans[tags[:-1], tags[1:]].sum()
    return _lse(alpha) - score


def w2v_neg(Win, Wout, centers, ctx, neg):
    vc, uo, un = Win[centers], Wout[ctx], Wout[neg]
    pos = np.log(1 / (1 + np.exp(-np.sum(vc * uo, axis=1))))
    ng = np.log(1 / (1 + np.exp(np.einsum("bkd,bd->bk", un, vc)))).sum(axis=1)
    return -np.mean(pos + ng)


def w2v_sgd(Win, Wout, centers, ctx):
    Win, Wout = Win.copy(), Wout.copy()
    for _ in range(2):
        vc, uo = Win[centers], Wout[ctx]
        g = (1 / (1 + np.exp(-np.sum(vc * uo, 1))) - 1)[:, None]
        Win[centers] -= 0.5 * g * uo  # repeated centers: the last write wins
        Wout[ctx] -= 0.5 * g * vc
    return np.sum(Win**2) + np.sum(Wout * Win[::-1])


def policy_gradient(W, obs, acts, rew):
    G, g = np.zeros_like(rew), 0.0
    for t in reversed(range(len(rew))):
        g = rew[t] + 0.99 * g
        G[t] = g
    G = (G - G.mean()) / (G.std() + 1e-8)
    logits = obs @ W
    logp = logits - _lse(logits, axis=1, keepdims=True)
    return -np.sum(logp[np.arange(len(acts)), acts] * G)


def causal_attention(Wq, X):
    S = (X @ Wq) @ X.T
    S[np.triu_indices(X.shape[0], 1)] = -np.inf
    P = np.exp(S - _lse(S, axis=-1, keepdims=True))
    return np.sum(P @ X * X)


def ctc(logits, labels):
    lp = logits - _lse(logits, axis=1, keepdims=True)
    ext = np.zeros(2 * len(labels) + 1, dtype=int)
    ext[1::2] = labels
    skip = np.zeros(len(ext), bool)
    skip[2:] = (ext[2:] != 0) & (ext[2:] != ext[:-2])
    alpha = np.full(len(ext), -np.inf)
    alpha[:2] = lp[0, ext[:2]]
    for t in range(1, logits.shape[0]):
        a1 = np.concatenate([[-np.inf], alpha[:-1]])
        a2 = np.where(skip, np.concatenate([[-np.inf, -np.inf], alpha[:-2]]), -np.inf)
        alpha = np.logaddexp(np.logaddexp(alpha, a1), a2) + lp[t, ext]
    return -np.logaddexp(alpha[-1], alpha[-2])


def beam_search(x):
    beams = [(0.0, [])]
    for lp in x:
        lp = lp - np.log(np.sum(np.exp(lp)))
        cand = []
        for s, seq in beams:
            for k in range(len(lp)):
                cand.append((s + lp[k], seq + [k]))
        cand.sort(key=lambda c: -c[0])
        beams = cand[:2]
    return beams[0][0] + beams[1][0]


_C = _R.standard_normal((4, 4))
_EDGES = np.array([[0, 1], [1, 2], [2, 0], [2, 3], [3, 0], [1, 3], [0, 1]])
_X0 = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, -1.0], [0.0, -1.0]])
_CLOTH_EDGES = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]])
_OBS = _R.standard_normal((6, 3))

CASES = [
    Case(garch_nll, (np.array([0.2, 0.1, 0.6]), _Y), (0,), extra="hvp"),
    Case(egarch, (np.array([-0.1, 0.1, -0.05, 0.9]), _Y), (0,), extra="hvp"),
    Case(arma_resid, (np.array([0.3, 0.2]), _Y), (0, 1), extra="hvp"),
    Case(holt_winters, (np.array([0.1, -0.5, 0.3]), _Y + 0.1 * np.arange(16)), (0,), extra="hvp"),
    Case(rts_smoother, (0.3, _Y[:8]), (0, 1), extra="hvp"),
    Case(
        mean_variance,
        (np.array([0.05, 0.08, 0.1, 0.06]), _C @ _C.T / 4 + np.eye(4), 3.0),
        (0, 1, 2),
        extra="hvp",
    ),  # fmt: skip
    Case(max_drawdown, (0.5, _R.standard_normal(12) * 0.02), (0, 1), extra="hvp"),
    Case(
        sabr_vol,
        (np.array([0.3, 0.5, -0.3, 0.4]), 100.0, np.array([90.0, 95.0, 105.0, 110.0])),
        (0, 1, 2),
        extra="hvp",
    ),  # fmt: skip
    Case(iir, (np.array([0.5, -0.2]), _R.standard_normal(12)), (0, 1), extra="hvp"),
    Case(rfft_lowpass, (_R.standard_normal(12),), (0,), extra="hvp"),
    Case(tv_denoise, (_R.standard_normal((5, 4)), _R.standard_normal((5, 4))), (0, 1)),
    Case(
        warp_bilinear,
        (_R.standard_normal((5, 4)), _R.standard_normal((5, 4, 2)) * 0.7),
        (0, 1),
        extra="hvp",
    ),  # fmt: skip
    Case(sobel_harris, (_R.standard_normal((5, 5)),), (0,), extra="hvp"),
    Case(fk_planar, (np.array([0.3, 0.2, -0.1]), np.array([1.0, 0.8, 0.5])), (0, 1)),
    Case(
        ray_sphere,
        (np.array([0.1, 0.2, 5.0]), np.zeros(3), np.array([0.0, 0.0, 1.0]), 1.0),
        (0, 3),
        extra="hvp",
    ),  # fmt: skip
    Case(
        soft_raster,
        (np.array([[-0.5, -0.5], [0.6, -0.4], [0.0, 0.7]]), _R.uniform(-1, 1, (12, 2))),
        (0,),
        extra="hvp",
    ),  # fmt: skip
    Case(quat_rot, (np.array([0.9, 0.1, 0.2, 0.3]), _R.standard_normal((4, 3))), (0, 1)),
    Case(procrustes, (_R.standard_normal((6, 3)), _R.standard_normal((6, 3))), (0, 1)),
    Case(mesh_laplacian, (_R.standard_normal((4, 3)), _EDGES), (0,), extra="hvp"),
    Case(cloth, (_X0, _CLOTH_EDGES, np.array([1.0, 1.0, 1.0, 1.0, 1.4])), (0, 2), extra="hvp"),
    Case(
        crf_nll,
        (_R.standard_normal((3, 3)), _R.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])),
        (0, 1),
        extra="hvp",
    ),  # fmt: skip
    Case(
        w2v_neg,
        (
            _R.standard_normal((6, 3)) * 0.3,
            _R.standard_normal((6, 3)) * 0.3,
            np.array([1, 3, 3, 5]),
            np.array([2, 3, 0, 2]),
            np.array([[4, 4], [1, 5], [3, 3], [2, 2]]),
        ),
        (0, 1),
        extra="hvp",
    ),  # fmt: skip
    Case(
        w2v_sgd,
        (
            _R.standard_normal((5, 3)) * 0.3,
            _R.standard_normal((5, 3)) * 0.3,
            np.array([1, 3, 3, 1]),
            np.array([2, 0, 4, 2]),
        ),
        (0, 1),
        extra="hvp",
    ),  # fmt: skip
    Case(
        policy_gradient,
        (_R.standard_normal((3, 3)), _OBS, np.array([0, 2, 1, 1, 0, 2]), _R.standard_normal(6)),
        (0,),
        extra="hvp",
    ),  # fmt: skip
    Case(causal_attention, (_R.standard_normal((3, 3)) * 0.3, _R.standard_normal((4, 3))), (0, 1)),
    Case(ctc, (_R.standard_normal((5, 3)), np.array([1, 2, 2])), (0,), extra="hvp"),
    Case(beam_search, (_R.standard_normal((3, 3)),), (0,), extra="hvp"),
]
