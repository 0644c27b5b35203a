"""Ported cases (session 48, hunt48b): other projects' test and benchmark programs rewritten in
NumPy (facts only, the same computations in new words): Rodinia's differentiable kernels (hotspot's
thermal grid with clamped edges and swapped buffers, srad's diffusion through neighbour index
arrays, backprop's training step with momentum weight updates, pathfinder's min-plus rows),
scikit-learn's per-sample losses as its Cython loops them (the binomial loss's stable branches, the
multinomial loss with integer labels, Huber, pinball, Poisson, gamma, Tweedie), statsmodels'
log-likelihoods (logit, Poisson, NB2, an exact AR(1), a local-level Kalman filter) with arch's
GARCH(1,1) recursion, PyTorch's loss functions written as loops (CTC's forward algorithm in log
space, multi-margin, triplet margin, cosine embedding, smooth L1), optax's focal and log-cosh
losses, CasADi's Van der Pol example by RK4 shooting, and Polybench kernels over Python lists
(C's arrays as lists; an ADI sweep writing through named row views ``pi = p[i]; pi[j] = ...``).

Float64 arrays and floats -> a float. Each row is checked forward, reverse and at second order."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from . import Case

R = np.random.default_rng(48201)


def _m(*shape: int) -> np.ndarray:
    return np.round(R.standard_normal(shape) * 0.5, 3)


# ---------------------------------------------------------------- Rodinia


def hotspot(temp, power, steps=3):
    rows, cols = temp.shape
    cap, rx, ry, rz, amb = 0.5, 1.0, 1.0, 4.0, 80.0
    step = 0.02
    temp = temp.copy()  # (the C swaps the caller's buffers: srcad refuses an argument swapped)
    result = np.zeros((rows, cols))
    for _ in range(steps):
        for r in range(rows):
            for c in range(cols):
                t = temp[r, c]
                east = temp[r, c + 1] if c < cols - 1 else t
                west = temp[r, c - 1] if c > 0 else t
                north = temp[r - 1, c] if r > 0 else t
                south = temp[r + 1, c] if r < rows - 1 else t
                delta = (step / cap) * (
                    power[r, c]
                    + (east + west - 2.0 * t) / rx
                    + (north + south - 2.0 * t) / ry
                    + (amb - t) / rz
                )
                result[r, c] = t + delta
        temp, result = result, temp
    return np.sum(temp * temp) / temp.size


def srad(image, lam=0.5, iters=2):
    rows, cols = image.shape
    iN = np.array([max(i - 1, 0) for i in range(rows)])
    iS = np.array([min(i + 1, rows - 1) for i in range(rows)])
    jW = np.array([max(j - 1, 0) for j in range(cols)])
    jE = np.array([min(j + 1, cols - 1) for j in range(cols)])
    J = np.exp(image)
    dN = np.zeros((rows, cols))
    dS = np.zeros((rows, cols))
    dW = np.zeros((rows, cols))
    dE = np.zeros((rows, cols))
    c = np.zeros((rows, cols))
    for _ in range(iters):
        roi = J[:2, :2]
        mean_roi = np.sum(roi) / roi.size
        var_roi = np.sum(roi * roi) / roi.size - mean_roi * mean_roi
        q0sqr = var_roi / (mean_roi * mean_roi)
        for i in range(rows):
            for j in range(cols):
                jc = J[i, j]
                dN[i, j] = J[iN[i], j] - jc
                dS[i, j] = J[iS[i], j] - jc
                dW[i, j] = J[i, jW[j]] - jc
                dE[i, j] = J[i, jE[j]] - jc
                g2 = (dN[i, j] ** 2 + dS[i, j] ** 2 + dW[i, j] ** 2 + dE[i, j] ** 2) / (jc * jc)
                lap = (dN[i, j] + dS[i, j] + dW[i, j] + dE[i, j]) / jc
                num = 0.5 * g2 - (1.0 / 16.0) * lap * lap
                den = 1.0 + 0.25 * lap
                qsqr = num / (den * den)
                den = (qsqr - q0sqr) / (q0sqr * (1.0 + q0sqr))
                c[i, j] = 1.0 / (1.0 + den)
                if c[i, j] < 0.0:
                    c[i, j] = 0.0
                elif c[i, j] > 1.0:
                    c[i, j] = 1.0
        for i in range(rows):
            for j in range(cols):
                d = (
                    c[i, j] * dN[i, j]
                    + c[iS[i], j] * dS[i, j]
                    + c[i, j] * dW[i, j]
                    + c[i, jE[j]] * dE[i, j]
                )
                J[i, j] = J[i, j] + 0.25 * lam * d
    return np.sum(np.log(J))


def _squash(x):
    return 1.0 / (1.0 + math.exp(-x))


def _layer_forward(l1, l2, conn, n1, n2):
    l1[0] = 1.0
    for j in range(1, n2 + 1):
        s = 0.0
        for k in range(n1 + 1):
            s += conn[k][j] * l1[k]
        l2[j] = _squash(s)


def _adjust(delta, ndelta, ly, nly, w, oldw, eta=0.3, momentum=0.3):
    ly[0] = 1.0
    for j in range(1, ndelta + 1):
        for k in range(nly + 1):
            new_dw = eta * delta[j] * ly[k] + momentum * oldw[k][j]
            w[k][j] += new_dw
            oldw[k][j] = new_dw


def backprop(w_in, w_out, x):
    """One training step of Rodinia's two-layer net (unit 0 is the bias), then the loss."""
    n_in, n_hid = w_in.shape[0] - 1, w_in.shape[1] - 1
    n_out = w_out.shape[1] - 1
    target = np.array([0.0, 0.2, 0.9, 0.4][: n_out + 1])
    inp = np.concatenate([[1.0], x])
    hid = np.zeros(n_hid + 1)
    out = np.zeros(n_out + 1)
    _layer_forward(inp, hid, w_in, n_in, n_hid)
    _layer_forward(hid, out, w_out, n_hid, n_out)
    d_out = np.zeros(n_out + 1)
    for j in range(1, n_out + 1):
        o = out[j]
        d_out[j] = o * (1.0 - o) * (target[j] - o)
    d_hid = np.zeros(n_hid + 1)
    for j in range(1, n_hid + 1):
        h = hid[j]
        s = 0.0
        for k in range(1, n_out + 1):
            s += d_out[k] * w_out[j][k]
        d_hid[j] = h * (1.0 - h) * s
    old_out = np.zeros(w_out.shape)
    old_in = np.zeros(w_in.shape)
    _adjust(d_out, n_out, hid, n_hid, w_out, old_out)
    _adjust(d_hid, n_hid, inp, n_in, w_in, old_in)
    _layer_forward(inp, hid, w_in, n_in, n_hid)
    _layer_forward(hid, out, w_out, n_hid, n_out)
    err = 0.0
    for j in range(1, n_out + 1):
        err += 0.5 * (target[j] - out[j]) ** 2
    return err


def pathfinder(wall):
    rows, cols = wall.shape
    src = wall[0].copy()
    dst = np.zeros(cols)
    for t in range(rows - 1):
        for n in range(cols):
            m = src[n]
            if n > 0:
                m = min(m, src[n - 1])
            if n < cols - 1:
                m = min(m, src[n + 1])
            dst[n] = wall[t + 1, n] + m
        src, dst = dst, src
    return np.sum(src**2)


# ---------------------------------------------------------------- scikit-learn's losses


def _binomial_one(y, raw):
    if raw <= -37.0:
        return math.exp(raw) - y * raw
    elif raw <= -2.0:
        return math.log1p(math.exp(raw)) - y * raw
    elif raw <= 18.0:
        return math.log(1.0 + math.exp(raw)) - y * raw
    elif raw <= 33.3:
        return raw + math.exp(-raw) - y * raw
    return raw - y * raw


def sk_binomial(raw, y, sw):
    total = 0.0
    for i in range(raw.shape[0]):
        total += sw[i] * _binomial_one(y[i], raw[i])
    return total / np.sum(sw)


def sk_multinomial(raw, labels, sw):
    n, k = raw.shape
    loss = np.zeros(n)
    for i in range(n):
        mx = raw[i, 0]
        for c in range(1, k):
            if raw[i, c] > mx:
                mx = raw[i, c]
        s = 0.0
        for c in range(k):
            s += math.exp(raw[i, c] - mx)
        loss[i] = mx + math.log(s) - raw[i, labels[i]]
        loss[i] *= sw[i]
    return np.sum(loss) / np.sum(sw)


def sk_huber(raw, y, delta=0.6):
    out = np.zeros_like(raw)
    for i in range(raw.shape[0]):
        d = y[i] - raw[i]
        if abs(d) <= delta:
            out[i] = 0.5 * d * d
        else:
            out[i] = delta * (abs(d) - 0.5 * delta)
    return np.mean(out)


def sk_pinball(raw, y, quantile=0.3):
    diff = y - raw
    loss = np.where(diff >= 0, quantile * diff, (quantile - 1.0) * diff)
    return np.average(loss, weights=np.linspace(0.5, 1.5, raw.shape[0]))


def sk_poisson_gamma(raw, y):
    poisson = np.exp(raw) - y * raw
    gamma = raw + y * np.exp(-raw)
    return np.mean(poisson) + 0.5 * np.mean(gamma)


def sk_tweedie(raw, y, power=1.5):
    if power == 0:
        loss = 0.5 * (np.exp(raw) - y) ** 2
    elif power == 1:
        loss = np.exp(raw) - y * raw
    elif power == 2:
        loss = raw + y * np.exp(-raw)
    else:
        loss = np.exp((2 - power) * raw) / (2 - power) - y * np.exp((1 - power) * raw) / (1 - power)
    return np.mean(loss)


def sk_tweedie_identity(y_pred, y, power=1.5):
    a = y_pred ** (2 - power) / (2 - power)
    b = y * y_pred ** (1 - power) / (1 - power)
    return np.mean(a - b)


# ---------------------------------------------------------------- statsmodels / arch


def sm_logit(params, X, y):
    q = 2.0 * y - 1.0
    z = q * (X @ params)
    return np.sum(-np.log1p(np.exp(-z)))


def sm_poisson(params, X, y, offset):
    xb = X @ params + offset
    return np.sum(-np.exp(xb) + y * xb - special.gammaln(y + 1.0))


def sm_nb2(params, X, y):
    beta, alpha = params[:-1], params[-1]
    mu = np.exp(X @ beta)
    size = 1.0 / alpha
    prob = size / (size + mu)
    ll = special.gammaln(y + size) - special.gammaln(size) - special.gammaln(y + 1.0)
    ll = ll + size * np.log(prob) + y * np.log1p(-prob)
    return np.sum(ll)


def sm_ar1_exact(phi, sigma2, x):
    n = x.shape[0]
    ll = -0.5 * (math.log(2 * math.pi) + math.log(sigma2 / (1.0 - phi * phi)))
    ll -= 0.5 * x[0] ** 2 * (1.0 - phi * phi) / sigma2
    for t in range(1, n):
        e = x[t] - phi * x[t - 1]
        ll -= 0.5 * (math.log(2 * math.pi * sigma2) + e * e / sigma2)
    return ll


def sm_local_level(y, s_eps, s_eta):
    """statsmodels' local-level model: the Kalman filter's prediction-error log-likelihood."""
    a, p = 0.0, 1e4
    ll = 0.0
    for t in range(y.shape[0]):
        f = p + s_eps
        v = y[t] - a
        if t > 0:
            ll -= 0.5 * (math.log(2 * math.pi * f) + v * v / f)
        k = p / f
        a = a + k * v
        p = p * (1.0 - k) + s_eta
    return ll


def arch_garch11(params, resid):
    omega, alpha, beta = params[0], params[1], params[2]
    n = resid.shape[0]
    sigma2 = np.zeros(n)
    sigma2[0] = np.mean(resid**2)
    for t in range(1, n):
        sigma2[t] = omega + alpha * resid[t - 1] ** 2 + beta * sigma2[t - 1]
    return -0.5 * np.sum(np.log(2 * np.pi) + np.log(sigma2) + resid**2 / sigma2)


# ---------------------------------------------------------------- PyTorch / optax losses


def torch_ctc(logits, target):
    """CTC's forward algorithm in log space (blank 0), the negative log-likelihood."""
    T, _ = logits.shape
    logp = logits - special.logsumexp(logits, axis=1, keepdims=True)
    ext = [0]
    for c in target:
        ext.append(c)
        ext.append(0)
    S = len(ext)
    alpha = np.full((T, S), -np.inf)
    alpha[0, 0] = logp[0, ext[0]]
    alpha[0, 1] = logp[0, ext[1]]
    for t in range(1, T):
        for s in range(S):
            a = alpha[t - 1, s]
            if s > 0:
                a = np.logaddexp(a, alpha[t - 1, s - 1])
            if s > 1 and ext[s] != 0 and ext[s] != ext[s - 2]:
                a = np.logaddexp(a, alpha[t - 1, s - 2])
            alpha[t, s] = a + logp[t, ext[s]]
    return -np.logaddexp(alpha[T - 1, S - 1], alpha[T - 1, S - 2])


def torch_multi_margin(x, labels, margin=1.0):
    n, c = x.shape
    total = 0.0
    for i in range(n):
        yi = labels[i]
        for j in range(c):
            if j != yi:
                total += max(0.0, margin - x[i, yi] + x[i, j]) ** 2
    return total / (n * c)


def torch_triplet(anchor, pos, neg, margin=1.0, eps=1e-6):
    dp = np.sqrt(np.sum((anchor - pos + eps) ** 2, axis=1))
    dn = np.sqrt(np.sum((anchor - neg + eps) ** 2, axis=1))
    return np.mean(np.maximum(dp - dn + margin, 0.0))


def torch_cosine_embedding(x1, x2, y, margin=0.1):
    num = np.sum(x1 * x2, axis=1)
    cos = num / np.sqrt((np.sum(x1 * x1, axis=1) + 1e-12) * (np.sum(x2 * x2, axis=1) + 1e-12))
    return np.mean(np.where(y > 0, 1.0 - cos, np.maximum(0.0, cos - margin)))


def torch_smooth_l1(x, y, beta=0.5):
    d = np.abs(x - y)
    return np.mean(np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta))


def optax_focal_log_cosh(logits, labels, gamma=2.0, alpha=0.25):
    p = 1.0 / (1.0 + np.exp(-logits))
    ce = np.logaddexp(0.0, logits) - labels * logits
    p_t = p * labels + (1.0 - p) * (1.0 - labels)
    focal = ce * (1.0 - p_t) ** gamma
    focal = (alpha * labels + (1.0 - alpha) * (1.0 - labels)) * focal
    err = logits - labels
    log_cosh = np.logaddexp(err, -err) - np.log(2.0)
    return np.sum(focal) + np.mean(log_cosh)


# ---------------------------------------------------------------- CasADi: Van der Pol by RK4


def _vdp(x, u):
    return np.array([(1.0 - x[1] ** 2) * x[0] - x[1] + u, x[0]])


def casadi_vdp(controls, x0):
    dt = 0.2
    x = x0
    cost = 0.0
    for k in range(controls.shape[0]):
        u = controls[k]
        k1 = _vdp(x, u)
        k2 = _vdp(x + dt / 2 * k1, u)
        k3 = _vdp(x + dt / 2 * k2, u)
        k4 = _vdp(x + dt * k3, u)
        x = x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        cost += dt * (x[0] ** 2 + x[1] ** 2 + u**2)
    return cost


# ---------------------------------------------------------------- Polybench as lists (C arrays)


def pl_floyd(path):
    n = len(path)
    p = [list(r) for r in path]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                p[i][j] = min(p[i][j], p[i][k] + p[k][j])
    return sum(v * v for r in p for v in r)


def pl_durbin(r):
    n = len(r)
    y = [0.0] * n
    y[0] = -r[0]
    beta, alpha = 1.0, -r[0]
    for k in range(1, n):
        beta = (1 - alpha * alpha) * beta
        s = sum(r[k - i - 1] * y[i] for i in range(k))
        alpha = -(r[k] + s) / beta
        z = [y[i] + alpha * y[k - i - 1] for i in range(k)]
        y[:k] = z
        y[k] = alpha
    return sum((i + 1) * v for i, v in enumerate(y))


def pl_jacobi1d(A, tsteps=3):
    n = len(A)
    A = list(A)
    B = A[:]
    for _ in range(tsteps):
        for i in range(1, n - 1):
            B[i] = 0.33333 * (A[i - 1] + A[i] + A[i + 1])
        for i in range(1, n - 1):
            A[i] = 0.33333 * (B[i - 1] + B[i] + B[i + 1])
    return sum(math.sin(a) for a in A) + sum(b * b for b in B)


def pl_trisolv(L, b):
    n = len(L)
    x = [0.0] * n
    for i in range(n):
        x[i] = b[i]
        for j in range(i):
            x[i] -= L[i][j] * x[j]
        x[i] = x[i] / L[i][i]
    return sum(v**3 for v in x)


def pl_adi_rows(u):
    # the C idiom ``p[i][j] = ...`` written through row names
    n = u.shape[0]
    p = np.zeros((n, n))
    q = np.zeros((n, n))
    v = np.zeros((n, n))
    a, b = -0.5, 2.0
    for i in range(1, n - 1):
        pi, qi = p[i], q[i]
        pi[0] = 0.0
        qi[0] = 1.0
        for j in range(1, n - 1):
            pi[j] = -a / (a * pi[j - 1] + b)
            qi[j] = (u[j, i] - a * qi[j - 1]) / (a * pi[j - 1] + b)
        v[n - 1, i] = 1.0
        for j in range(n - 2, 0, -1):
            v[j, i] = pi[j] * v[j + 1, i] + qi[j]
    return np.sum(v * v) + np.sum(p * q)


def _c(fn, *args, diff=None, **kw):
    if diff is None:
        diff = tuple(i for i, a in enumerate(args) if isinstance(a, (float, np.ndarray)))
    return Case(fn, args, diff, extra="hvp", **kw)


_X = _m(6, 3)
_Y01 = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
_YC = np.array([0.0, 2.0, 1.0, 4.0, 3.0, 1.0])

CASES = [
    _c(hotspot, 80.0 + _m(4, 5), 0.5 + np.abs(_m(4, 5))),
    _c(srad, 0.3 * _m(4, 4) + 1.0),
    _c(backprop, _m(4, 4), _m(4, 3), _m(3)),
    _c(pathfinder, _m(4, 5), jitter=0.0),
    _c(sk_binomial, np.array([-40.0, -5.0, 0.3, 1.2, 20.0, 35.0]), _Y01, 0.5 + np.abs(_m(6))),
    _c(sk_multinomial, _m(5, 3), np.array([0, 2, 1, 1, 0]), 0.5 + np.abs(_m(5)), diff=(0, 2)),
    _c(sk_huber, _m(6), _m(6) * 2.0),
    _c(sk_pinball, _m(6), _m(6), jitter=0.0),
    _c(sk_poisson_gamma, _m(6), np.abs(_m(6)) + 0.2),
    _c(sk_tweedie, _m(6), np.abs(_m(6)) + 0.2),
    _c(sk_tweedie_identity, np.abs(_m(6)) + 0.5, np.abs(_m(6)) + 0.2),
    _c(sm_logit, _m(3), _X, _Y01),
    _c(sm_poisson, _m(3), _X, _YC, _m(6) * 0.2, diff=(0, 1, 3)),
    _c(sm_nb2, np.array([0.2, -0.3, 0.5, 0.4]), _X, _YC, diff=(0, 1)),
    _c(sm_ar1_exact, 0.4, 0.8, _m(7)),
    _c(sm_local_level, _m(7), 0.5, 0.3),
    _c(arch_garch11, np.array([0.1, 0.15, 0.7]), _m(8)),
    _c(torch_ctc, _m(5, 4), [1, 2, 2], diff=(0,)),
    _c(torch_multi_margin, _m(4, 3), np.array([0, 2, 1, 1]), diff=(0,)),
    _c(torch_triplet, _m(4, 3), _m(4, 3), _m(4, 3)),
    _c(torch_cosine_embedding, _m(4, 3), _m(4, 3), np.array([1.0, -1.0, 1.0, -1.0]), diff=(0, 1)),
    _c(torch_smooth_l1, _m(6), _m(6)),
    _c(optax_focal_log_cosh, _m(6), _Y01, diff=(0,)),
    _c(casadi_vdp, _m(5), np.array([0.0, 1.0])),
    Case(pl_floyd, ((np.abs(_m(4, 4)) * 3 + 0.5).tolist(),), (0,), jitter=0.0),
    Case(pl_durbin, ([0.2, -0.1, 0.08, 0.05, -0.03],), (0,)),
    Case(pl_jacobi1d, (_m(6).tolist(),), (0,)),
    Case(pl_trisolv, ((np.tril(_m(4, 4)) + 2 * np.eye(4)).tolist(), _m(4).tolist()), (0, 1)),
    _c(pl_adi_rows, _m(5, 5)),
]
