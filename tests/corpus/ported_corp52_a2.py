"""Ported cases (session 52, hunt52a): statistics, signal processing, control and dynamic
programming as users write them: gamma/beta/student-t/negative-binomial likelihoods through
scipy.special, Cox partial likelihoods (sorted cumsum, Breslow and Efron ties), leave-one-out
KDE, a non-centred hierarchical model, IRLS loops (logistic and Huber with a tolerance break),
Kalman filters (solve/slogdet and Cholesky), FIR/IIR filters as loops, bilinear sampling with
floor/clip, 2-D convolution with np.pad, a separable Gaussian blur, Horn-Schunck energy,
barrier Newton steps, ISTA, a Riccati recursion, an MPC rollout clipping its controls, an iLQR
backward pass, CTC and soft-DTW recursions over -inf/inf tables, a scaled HMM forward pass,
log-domain Sinkhorn and a resampling particle filter, and a helper picking an item by a dict
of numbers its caller builds (``s = x[cfg["i"]]; s *= cfg["scale"]``).

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import betaln, gammaln, logsumexp, xlog1py, xlogy

from . import Case


def gamma_nll(theta, x):
    k, lam = np.exp(theta[0]), np.exp(theta[1])
    return -np.sum(xlogy(k - 1, x) - x / lam - gammaln(k) - k * np.log(lam))


def beta_nll(theta, x):
    a, b = np.exp(theta)
    return -np.sum(xlogy(a - 1, x) + xlog1py(b - 1, -x) - betaln(a, b))


def student_t_nll(params, x):
    mu, log_s, log_nu = params
    s, nu = np.exp(log_s), np.exp(log_nu)
    z = (x - mu) / s
    lp = (
        gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * np.log(nu * np.pi) - np.log(s)
        - (nu + 1) / 2 * np.log1p(z**2 / nu)
    )  # fmt: skip
    return -lp.sum()


def negbin_glm(beta, X, y, alpha):
    mu = np.exp(X @ beta)
    r = 1.0 / alpha
    ll = gammaln(y + r) - gammaln(r) + r * np.log(r / (r + mu)) + xlogy(y, mu) - xlogy(y, r + mu)
    return -np.sum(ll)


def cox_sorted(beta, X, time, event):
    eta = X @ beta
    order = np.argsort(-time, kind="stable")
    eta_s, ev = eta[order], event[order]
    risk = np.log(np.cumsum(np.exp(eta_s)))
    return -np.sum((eta_s - risk)[ev == 1])


def cox_efron(beta, X, time, event):
    eta = X @ beta
    r = np.exp(eta)
    ll = 0.0
    for t in np.unique(time[event == 1]):
        d = (time == t) & (event == 1)
        m = int(d.sum())
        rs, ds = r[time >= t].sum(), r[d].sum()
        ll += eta[d].sum()
        for j in range(m):
            ll -= np.log(rs - j / m * ds)
    return -ll


def kde_loo(logh, x):
    h = np.exp(logh)
    d = x[:, None] - x[None, :]
    K = np.exp(-0.5 * (d / h) ** 2) / (h * np.sqrt(2 * np.pi))
    np.fill_diagonal(K, 0.0)
    return -np.sum(np.log(K.sum(1) / (len(x) - 1)))


def noncentred(params, y, sigma):
    mu, log_tau, raw = params[0], params[1], params[2:]
    theta = mu + np.exp(log_tau) * raw
    lp = -0.5 * np.sum(((y - theta) / sigma) ** 2) - 0.5 * np.sum(raw**2)
    return -(lp - 0.5 * mu**2 / 25 - 0.5 * log_tau**2)


def irls_logistic(lam, X, y, iters=5):
    w = np.zeros(X.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-X @ w))
        H = X.T @ ((p * (1 - p))[:, None] * X) + lam * np.eye(X.shape[1])
        w = w - np.linalg.solve(H, X.T @ (p - y) + lam * w)
    return np.sum(w**2)


def irls_huber(y, X, c=1.345, iters=6, tol=1e-10):
    beta = np.zeros(X.shape[1])
    for _ in range(iters):
        a = np.abs(y - X @ beta)
        w = np.where(a <= c, 1.0, c / a)
        Xw = X * w[:, None]
        new = np.linalg.solve(X.T @ Xw, Xw.T @ y)
        if np.max(np.abs(new - beta)) < tol:
            beta = new
            break
        beta = new
    return np.sum(beta * np.array([1.0, -2.0]))


def kalman_ll(theta, ys):
    q, r = np.exp(theta[0]), np.exp(theta[1])
    F = np.array([[1.0, 1.0], [0.0, 1.0]])
    H = np.array([[1.0, 0.0]])
    x, P, ll = np.zeros(2), np.eye(2), 0.0
    for y in ys:
        x = F @ x
        P = F @ P @ F.T + q * np.eye(2)
        S = H @ P @ H.T + r
        v = y - H @ x
        K = np.linalg.solve(S.T, (P @ H.T).T).T
        x = x + K @ v
        P = (np.eye(2) - K @ H) @ P
        ll -= 0.5 * (np.linalg.slogdet(2 * np.pi * S)[1] + v @ np.linalg.solve(S, v))
    return -ll


def fir_loops(b, x):
    y = np.zeros_like(x)
    for n in range(len(x)):
        for k in range(len(b)):
            if n - k >= 0:
                y[n] += b[k] * x[n - k]
    return np.sum(y**2)


def iir_list(coef, x):
    b0, a1, a2 = coef
    y = [0.0, 0.0]
    for xn in x:
        y.append(b0 * xn - a1 * y[-1] - a2 * y[-2])
    return sum(v * v for v in y[2:])


def bilinear_clip(pts, img):
    H, W = img.shape
    y, x = pts[:, 0], pts[:, 1]
    x0 = np.clip(np.floor(x).astype(int), 0, W - 2)
    y0 = np.clip(np.floor(y).astype(int), 0, H - 2)
    wx, wy = x - x0, y - y0
    v = (
        img[y0, x0] * (1 - wx) * (1 - wy) + img[y0, x0 + 1] * wx * (1 - wy)
        + img[y0 + 1, x0] * (1 - wx) * wy + img[y0 + 1, x0 + 1] * wx * wy
    )  # fmt: skip
    return np.sum(v * np.arange(1, len(v) + 1))


def conv2d_reflect(img, k):
    kh, kw = k.shape
    p = np.pad(img, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode="reflect")
    out = np.zeros_like(img)
    for di in range(kh):
        for dj in range(kw):
            out += k[di, dj] * p[di : di + img.shape[0], dj : dj + img.shape[1]]
    return np.sum(out**2)


def gauss_blur(sigma, img):
    r = 2
    t = np.arange(-r, r + 1)
    g = np.exp(-(t**2) / (2 * sigma**2))
    g /= g.sum()
    p = np.pad(img, r, mode="constant")
    H, W = img.shape
    tmp = np.zeros((H + 2 * r, W))
    for i, gi in enumerate(g):
        tmp += gi * p[:, i : i + W]
    out = np.zeros((H, W))
    for i, gi in enumerate(g):
        out += gi * tmp[i : i + H, :]
    return np.sum(out * img)


def horn_schunck(uv, I1, I2, alpha=0.5):
    H, W = I1.shape
    u, v = uv[: H * W].reshape(H, W), uv[H * W :].reshape(H, W)
    Ix, Iy = np.gradient(I1, axis=1), np.gradient(I1, axis=0)
    data = (Ix * u + Iy * v + (I2 - I1)) ** 2
    smooth = sum(np.sum(np.diff(f, axis=a) ** 2) for f in (u, v) for a in (0, 1))
    return data.sum() + alpha**2 * smooth


def barrier_newton(A, x0, b, t=5.0, iters=3):
    x = x0
    for _ in range(iters):
        s = b - A @ x
        g = 2 * t * x + A.T @ (1 / s)
        H = 2 * t * np.eye(len(x)) + A.T @ np.diag(1 / s**2) @ A
        dx = -np.linalg.solve(H, g)
        step = 1.0
        while np.any(b - A @ (x + step * dx) <= 0):
            step *= 0.5
        x = x + step * dx
    return np.sum(x)


def ista(y, A, lam=0.3, iters=8):
    L = np.linalg.norm(A, 2) ** 2
    x = np.zeros(A.shape[1])
    for _ in range(iters):
        z = x - A.T @ (A @ x - y) / L
        x = np.sign(z) * np.maximum(np.abs(z) - lam / L, 0.0)
    return 0.5 * np.sum((A @ x - y) ** 2) + lam * np.sum(np.abs(x))


def riccati(A, q, B, R, T=5):
    Q = q * np.eye(2)
    P = Q.copy()
    for _ in range(T):
        K = np.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
        P = Q + A.T @ P @ (A - B @ K)
    return np.trace(P)


def mpc_rollout(u, x0, umax=0.5, dt=0.1):
    x, v = x0[0], x0[1]
    cost = 0.0
    for k in range(len(u)):
        a = np.clip(u[k], -umax, umax)
        v = v + dt * a
        x = x + dt * v
        cost += x**2 + 0.1 * v**2 + 0.01 * a**2
    return cost


def ilqr_backward(x, A, B, Q, R):
    V, v, total = Q.copy(), Q @ x[-1], 0.0
    for t in reversed(range(len(x) - 1)):
        Quu, Qux = R + B.T @ V @ B, B.T @ V @ A
        qu, qx = B.T @ v, Q @ x[t] + A.T @ v
        K, k = -np.linalg.solve(Quu, Qux), -np.linalg.solve(Quu, qu)
        V = Q + A.T @ V @ A + K.T @ Quu @ K + K.T @ Qux + Qux.T @ K
        V = 0.5 * (V + V.T)
        v = qx + K.T @ Quu @ k + K.T @ qu + Qux.T @ k
        total += float(k @ k)
    return total + float(v @ v)


def _lse3(a, b, c):
    m = max(a, b, c)
    if m == -np.inf:
        return -np.inf
    return m + math.log(math.exp(a - m) + math.exp(b - m) + math.exp(c - m))


def ctc_loss(logits, labels, blank=0):
    T = logits.shape[0]
    logp = logits - logsumexp(logits, axis=1, keepdims=True)
    ext = [blank]
    for lab in labels:
        ext += [lab, blank]
    S = len(ext)
    alpha = np.full((T, S), -np.inf)
    alpha[0, 0] = logp[0, blank]
    alpha[0, 1] = logp[0, ext[1]]
    for t in range(1, T):
        for s in range(S):
            b = alpha[t - 1, s - 1] if s >= 1 else -np.inf
            skip = s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]
            c = alpha[t - 1, s - 2] if skip else -np.inf
            alpha[t, s] = _lse3(alpha[t - 1, s], b, c) + logp[t, ext[s]]
    return -np.logaddexp(alpha[T - 1, S - 1], alpha[T - 1, S - 2])


def soft_dtw(x, y, gamma=0.1):
    n, m = len(x), len(y)
    D = (x[:, None] - y[None, :]) ** 2
    R = np.full((n + 1, m + 1), np.inf)
    R[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            prev = np.array([R[i - 1, j], R[i, j - 1], R[i - 1, j - 1]])
            R[i, j] = D[i - 1, j - 1] - gamma * logsumexp(-prev / gamma)
    return R[n, m]


def hmm_scaled(theta, obs):
    A = 1 / (1 + np.exp(-theta.reshape(2, 2)))
    A = A / A.sum(axis=1)[:, None]
    B = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    a = np.array([0.6, 0.4]) * B[:, obs[0]]
    c = a.sum()
    a /= c
    ll = np.log(c)
    for o in obs[1:]:
        a = (a @ A) * B[:, o]
        c = a.sum()
        a = a / c
        ll += np.log(c)
    return ll


def sinkhorn_log(C, eps=0.2, iters=20):
    n, m = C.shape
    f, g = np.zeros(n), np.zeros(m)
    la, lb = -np.log(n) * np.ones(n), -np.log(m) * np.ones(m)
    for _ in range(iters):
        f = -eps * logsumexp((g[None, :] - C) / eps + lb[None, :], axis=1)
        g = -eps * logsumexp((f[:, None] - C) / eps + la[:, None], axis=0)
    P = np.exp(la[:, None] + lb[None, :] + (f[:, None] + g[None, :] - C) / eps)
    return np.sum(P * C)


def particle_filter(theta, ys, noise, resample_u):
    N = noise.shape[1]
    x = np.zeros(N)
    ll = 0.0
    for t, y in enumerate(ys):
        x = theta[0] * x + noise[t]
        logw = -0.5 * (y - x) ** 2 / np.exp(theta[1])
        m = logw.max()
        w = np.exp(logw - m)
        ll += m + np.log(w.mean())
        idx = np.minimum(np.searchsorted(np.cumsum(w / w.sum()), resample_u[t]), N - 1)
        x = x[idx]
    return ll


def _pick_scaled(x, cfg):
    s = x[cfg["i"]]
    s *= cfg["scale"]
    return s**2 + np.sum(np.sin(x))


def config_pick(x):
    return _pick_scaled(x, {"i": 1, "scale": 2.0}) + _pick_scaled(x, dict(i=3, scale=0.5))


_R = np.random.default_rng(521)
_XG = _R.gamma(2.0, 1.5, size=6)
_XN = _R.standard_normal((6, 2)) * 0.5
_YC = np.array([0.0, 3.0, 1.0, 0.0, 7.0, 2.0])
_XC = _R.standard_normal((6, 2))
_TC = np.array([5.0, 3.0, 3.0, 8.0, 1.0, 3.0])
_EC = np.array([1, 1, 0, 1, 1, 1])
_XL = _R.standard_normal((8, 2))
_YL = (_R.random(8) > 0.5).astype(float)
_IMG = _R.standard_normal((4, 5))
_I1 = _R.standard_normal((3, 4))
_AB = _R.standard_normal((4, 2))
_AD = np.array([[1.0, 0.1], [0.0, 1.0]])
_BD = np.array([[0.0], [0.1]])
_PTS = np.array([[1.3, 2.7], [0.2, 3.9], [2.5, 0.5]])

CASES = [
    Case(gamma_nll, (np.array([0.5, 0.3]), _XG), (0,), extra="hvp"),
    Case(beta_nll, (np.array([0.4, 0.9]), _R.beta(2, 3, size=5)), (0,), extra="hvp"),
    Case(student_t_nll, (np.array([0.1, -0.2, 1.0]), _R.standard_t(3, 6)), (0,), extra="hvp"),
    Case(negbin_glm, (np.array([0.3, -0.2]), _XN, _YC, 0.5), (0, 3), extra="hvp"),
    Case(cox_sorted, (np.array([0.3, -0.5]), _XC, _TC, _EC), (0,), extra="hvp"),
    Case(cox_efron, (np.array([0.3, -0.5]), _XC, _TC, _EC), (0,), extra="hvp"),
    Case(kde_loo, (np.log(0.5), _R.standard_normal(5)), (0, 1), extra="hvp"),
    Case(
        noncentred,
        (_R.standard_normal(5) * 0.5, np.array([1.0, -0.5, 2.0]), np.array([1.0, 0.5, 2.0])),
        (0,),
        extra="hvp",
    ),
    Case(irls_logistic, (0.5, _XL, _YL), (0, 1), extra="hvp"),
    Case(
        irls_huber,
        (_XL @ np.array([1.0, -1.0]) + _R.standard_normal(8) * 1.5, _XL),
        (0, 1),
        extra="hvp",
    ),
    Case(kalman_ll, (np.array([-1.0, -0.5]), _R.standard_normal(5)), (0, 1), extra="hvp"),
    Case(fir_loops, (np.array([0.5, 0.3, -0.2]), _R.standard_normal(8)), (0, 1), extra="hvp"),
    Case(iir_list, (np.array([1.0, -0.5, 0.2]), _R.standard_normal(6)), (0, 1), extra="hvp"),
    Case(bilinear_clip, (_PTS, _IMG), (0, 1), extra="hvp"),
    Case(
        bilinear_clip,
        (np.array([[3.0, 4.0], [0.0, 0.0], [2.5, 3.5]]), _IMG),
        (0,),
        name="ported_corp52_a2.bilinear_clip_edges",
    ),
    Case(conv2d_reflect, (_IMG, _R.standard_normal((3, 3))), (0, 1), extra="hvp"),
    Case(gauss_blur, (1.2, _IMG), (0, 1), extra="hvp"),
    Case(
        horn_schunck,
        (_R.standard_normal(24) * 0.1, _I1, _I1 + 0.1 * _R.standard_normal((3, 4))),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(barrier_newton, (_AB, np.zeros(2), np.ones(4) * 2), (0, 2), extra="hvp"),
    Case(ista, (_R.standard_normal(5), _R.standard_normal((5, 3))), (0, 1)),
    Case(riccati, (_AD, 1.5, _BD, np.array([[0.1]])), (0, 1, 2), extra="hvp"),
    Case(
        mpc_rollout,
        (np.array([0.3, -0.7, 0.45, 0.1, 0.6]), np.array([1.0, 0.0])),
        (0, 1),
        extra="hvp",
    ),
    Case(
        ilqr_backward,
        (_R.standard_normal((4, 2)), _AD, _BD, np.eye(2), np.array([[0.1]])),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(ctc_loss, (_R.standard_normal((4, 3)), [1, 2]), (0,), extra="hvp"),
    Case(ctc_loss, (_R.standard_normal((4, 3)), [1, 1]), (0,), name="ported_corp52_a2.ctc_repeat"),
    Case(soft_dtw, (_R.standard_normal(4), _R.standard_normal(3)), (0, 1), extra="hvp"),
    Case(hmm_scaled, (_R.standard_normal(4), [0, 2, 1, 1, 0]), (0,), extra="hvp"),
    Case(sinkhorn_log, (_R.random((3, 4)),), (0,), extra="hvp"),
    Case(
        particle_filter,
        (
            np.array([0.8, -0.5]),
            _R.standard_normal(4),
            _R.standard_normal((4, 5)) * 0.5,
            np.sort(_R.random((4, 5)), axis=1),
        ),
        (0, 1),
        extra="hvp",
    ),
    Case(config_pick, (np.array([0.5, -0.3, 0.8, 0.2]),), (0,), extra="hvp"),
]
