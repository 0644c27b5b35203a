"""User-style ML code, PyTorch functional-gradcheck style (losses, normalisations, pooling, recurrent
cells, attention), re-expressed in NumPy (soundness hunt 4). Checked forward, reverse and at second
order (tests/soundness/test_hunt4.py)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

EPS = 1e-5
LOG2PI = math.log(2 * math.pi)


def cosine_similarity(x1, x2):
    num = np.sum(x1 * x2, axis=1)
    den = np.maximum(np.linalg.norm(x1, axis=1) * np.linalg.norm(x2, axis=1), 1e-8)
    return num / den


def pairwise_distance(x1, x2, p=2.0, eps=1e-6):
    d = np.abs(x1 - x2 + eps) ** p
    return np.sum(d, axis=-1) ** (1.0 / p)


def triplet_margin(anchor, pos, neg, margin=1.0):
    dp = np.sqrt(np.sum((anchor - pos) ** 2, axis=1) + 1e-12)
    dn = np.sqrt(np.sum((anchor - neg) ** 2, axis=1) + 1e-12)
    return np.mean(np.maximum(dp - dn + margin, 0.0))


def smooth_l1(pred, target, beta=1.0):
    d = np.abs(pred - target)
    loss = np.where(d < beta, 0.5 * d**2 / beta, d - 0.5 * beta)
    return loss.mean()


def poisson_nll(log_input, target):
    return np.mean(np.exp(log_input) - target * log_input)


def bce_with_logits(logits, y, pos_weight=2.0):
    lw = 1 + (pos_weight - 1) * y
    return np.mean(
        (1 - y) * logits + lw * (np.log1p(np.exp(-np.abs(logits))) + np.maximum(-logits, 0))
    )


def group_norm(x, gamma, beta, groups=2):
    n, c, ln = x.shape
    xg = x.reshape(n, groups, c // groups * ln)
    mu = xg.mean(axis=2, keepdims=True)
    var = xg.var(axis=2, keepdims=True)
    xn = ((xg - mu) / np.sqrt(var + EPS)).reshape(n, c, ln)
    return xn * gamma[None, :, None] + beta[None, :, None]


def instance_norm_loop(x):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        for c in range(x.shape[1]):
            row = x[i, c]
            out[i, c] = (row - row.mean()) / np.sqrt(row.var() + EPS)
    return (out**2 * np.arange(x.shape[2])).sum()


def conv1d_loops(x, w, b):
    cout, cin, k = w.shape
    L = x.shape[1]
    out = np.zeros((cout, L - k + 1))
    for o in range(cout):
        for t in range(L - k + 1):
            acc = b[o]
            for c in range(cin):
                for j in range(k):
                    acc += w[o, c, j] * x[c, t + j]
            out[o, t] = acc
    return out


def max_pool1d(x, k=2):
    n = len(x) // k
    return np.array([max(x[i * k : (i + 1) * k]) for i in range(n)])


def bilinear(x1, x2, A, b):
    return np.einsum("bi,oij,bj->bo", x1, A, x2) + b


def glu(x):
    a, b = np.split(x, 2, axis=-1)
    return a * (1 / (1 + np.exp(-b)))


def softplus_beta(x, beta=2.0, threshold=20.0):
    bx = beta * x
    return np.where(bx > threshold, x, np.log1p(np.exp(bx)) / beta)


def mish(x):
    return x * np.tanh(np.log1p(np.exp(x)))


def multi_margin(x, y, margin=1.0):
    n = x.shape[0]
    tot = 0.0
    for i in range(n):
        xy = x[i, y[i]]
        for j in range(x.shape[1]):
            if j != y[i]:
                tot += max(0.0, margin - xy + x[i, j])
    return tot / (n * x.shape[1])


def multilabel_soft_margin(x, y):
    ls = np.log(1 / (1 + np.exp(-x)))
    lns = np.log(1 / (1 + np.exp(x)))
    return -np.mean(np.mean(y * ls + (1 - y) * lns, axis=1))


def gaussian_nll(mu, target, var):
    var = np.maximum(var, 1e-6)
    return 0.5 * np.mean(np.log(var) + (mu - target) ** 2 / var)


def ctc_like_logsumexp(a):
    # forward recursion over a small lattice, log-space
    T, S = a.shape
    alpha = np.full(S, -np.inf)
    alpha[0] = a[0, 0]
    alpha[1] = a[0, 1]
    for t in range(1, T):
        new = np.full(S, -np.inf)
        for s in range(S):
            cands = [alpha[s]]
            if s > 0:
                cands.append(alpha[s - 1])
            m = max(cands)
            new[s] = m + math.log(sum(math.exp(c - m) for c in cands)) + a[t, s]
        alpha = new
    return np.logaddexp(alpha[-1], alpha[-2])


def attention_masked(q, k, v):
    T, d = q.shape
    s = q @ k.T / math.sqrt(d)
    mask = np.triu(np.ones((T, T)), 1).astype(bool)
    s = np.where(mask, -1e9, s)
    s = s - s.max(axis=-1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=-1, keepdims=True)
    return (p @ v).sum()


def gru_seq(xs, Wz, Wr, Wh):
    h = np.zeros(Wz.shape[0])
    for x in xs:
        hx = np.concatenate([h, x])
        z = 1 / (1 + np.exp(-(Wz @ hx)))
        r = 1 / (1 + np.exp(-(Wr @ hx)))
        hh = np.tanh(Wh @ np.concatenate([r * h, x]))
        h = (1 - z) * h + z * hh
    return np.dot(h, h)


def embedding_bag(W, idx, offsets):
    out = []
    for i in range(len(offsets)):
        end = offsets[i + 1] if i + 1 < len(offsets) else len(idx)
        out.append(W[idx[offsets[i] : end]].mean(axis=0))
    return np.stack(out)


def pixel_shuffle(x, r=2):
    c, h, w = x.shape
    oc = c // (r * r)
    y = x.reshape(oc, r, r, h, w).transpose(0, 3, 1, 4, 2)
    return y.reshape(oc, h * r, w * r)


def spectral_norm_power(W, u0, iters=3):
    u = u0
    for _ in range(iters):
        v = W.T @ u
        v = v / np.linalg.norm(v)
        u = W @ v
        u = u / np.linalg.norm(u)
    sigma = u @ W @ v
    return sigma


def focal_loss(logits, y, gamma=2.0, alpha=0.25):
    p = 1 / (1 + np.exp(-logits))
    pt = np.where(y == 1, p, 1 - p)
    at = np.where(y == 1, alpha, 1 - alpha)
    return -(at * (1 - pt) ** gamma * np.log(pt)).mean()


def dice_loss(pred_logits, target, smooth=1.0):
    p = 1 / (1 + np.exp(-pred_logits))
    inter = (p * target).sum()
    return 1 - (2 * inter + smooth) / (p.sum() + target.sum() + smooth)


def label_smoothing_ce(logits, labels, eps=0.1):
    n, C = logits.shape
    lp = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    onehot = np.zeros((n, C))
    onehot[np.arange(n), labels] = 1.0
    t = onehot * (1 - eps) + eps / C
    return -(t * lp).sum() / n


def local_response_norm(x, size=3, alpha=1e-2, beta=0.75, k=1.0):
    C = x.shape[0]
    out = np.empty_like(x)
    for c in range(C):
        lo = max(0, c - size // 2)
        hi = min(C, c + size // 2 + 1)
        s = (x[lo:hi] ** 2).sum(axis=0)
        out[c] = x[c] / (k + alpha / size * s) ** beta
    return out


def interpolate_linear(x, scale=2):
    n = len(x)
    m = n * scale
    out = np.zeros(m)
    for i in range(m):
        src = (i + 0.5) / scale - 0.5
        src = min(max(src, 0.0), n - 1.0)
        i0 = int(math.floor(src))
        i1 = min(i0 + 1, n - 1)
        w = src - i0
        out[i] = (1 - w) * x[i0] + w * x[i1]
    return out


def gmm_loglik(X, means, log_sigmas, logits):
    K = means.shape[0]
    w = np.exp(logits - np.max(logits))
    w = w / w.sum()
    ll = 0.0
    for x in X:
        comps = []
        for k in range(K):
            s = np.exp(log_sigmas[k])
            d = (x - means[k]) / s
            comps.append(
                math.log(w[k]) - 0.5 * np.dot(d, d) - len(x) * log_sigmas[k] - 0.5 * len(x) * LOG2PI
            )
        m = max(comps)
        ll += m + math.log(sum(math.exp(c - m) for c in comps))
    return -ll


def gp_nll(log_ell, log_sf, log_sn, X, y):
    ell, sf2, sn2 = np.exp(log_ell), np.exp(2 * log_sf), np.exp(2 * log_sn)
    d2 = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    K = sf2 * np.exp(-0.5 * d2 / ell**2) + sn2 * np.eye(len(y))
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.log(np.diag(L)).sum() + 0.5 * len(y) * LOG2PI


def lasso_ista(w0, X, y, lam=0.1, steps=10):
    w = w0.copy()
    L = np.linalg.norm(X, 2) ** 2
    for _ in range(steps):
        g = X.T @ (X @ w - y)
        z = w - g / L
        w = np.sign(z) * np.maximum(np.abs(z) - lam / L, 0.0)
    return 0.5 * np.sum((X @ w - y) ** 2) + lam * np.abs(w).sum()


def softmax_ce_loop(W, X, labels):
    tot = 0.0
    for x, t in zip(X, labels):
        s = W @ x
        s = s - s.max()
        tot += -s[t] + np.log(np.exp(s).sum())
    return tot / len(labels)


def contrastive_infonce(Z1, Z2, tau=0.5):
    Z1 = Z1 / np.linalg.norm(Z1, axis=1, keepdims=True)
    Z2 = Z2 / np.linalg.norm(Z2, axis=1, keepdims=True)
    S = Z1 @ Z2.T / tau
    lse = np.log(np.exp(S).sum(1))
    return np.mean(lse - np.diag(S))


def mixture_density(pi_logits, mus, log_s, y):
    lp = pi_logits - np.log(np.sum(np.exp(pi_logits)))
    comp = lp - 0.5 * ((y - mus) / np.exp(log_s)) ** 2 - log_s - 0.5 * LOG2PI
    m = comp.max()
    return -(m + np.log(np.exp(comp - m).sum()))


def student_t_nll(mu, log_s, nu, y):
    s = np.exp(log_s)
    z = (y - mu) / s
    from math import lgamma

    c = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * math.log(nu * math.pi)
    return -np.sum(c - log_s - (nu + 1) / 2 * np.log1p(z * z / nu))


R = np.random.default_rng(9500001).standard_normal
X = R((5, 2))
CASES = [
    Case(cosine_similarity, (R((3, 4)), R((3, 4))), (0, 1), extra="hvp"),
    Case(pairwise_distance, (R((3, 4)), R((3, 4))), (0, 1), extra="hvp"),
    Case(triplet_margin, (R((4, 3)), R((4, 3)), R((4, 3))), (0, 1, 2)),
    Case(smooth_l1, (R(6) * 2, R(6)), (0, 1)),
    Case(poisson_nll, (R(5), np.abs(R(5))), (0, 1), extra="hvp"),
    Case(bce_with_logits, (R(6), (R(6) > 0).astype(float)), (0,), extra="hvp"),
    Case(group_norm, (R((2, 4, 3)), R(4), R(4)), (0, 1, 2), extra="hvp"),
    Case(instance_norm_loop, (R((2, 2, 4)),), (0,), extra="hvp"),
    Case(conv1d_loops, (R((2, 6)), R((3, 2, 3)), R(3)), (0, 1, 2), extra="hvp"),
    Case(max_pool1d, (R(6),), (0,)),
    Case(bilinear, (R((2, 3)), R((2, 4)), R((2, 3, 4)), R(2)), (0, 1, 2, 3), extra="hvp"),
    Case(glu, (R((2, 6)),), (0,), extra="hvp"),
    Case(softplus_beta, (np.array([-3.0, 0.2, 1.0, 12.0]),), (0,), extra="hvp"),
    Case(mish, (R(5),), (0,), extra="hvp"),
    Case(multi_margin, (R((3, 4)), np.array([1, 0, 3])), (0,)),
    Case(multilabel_soft_margin, (R((3, 4)), (R((3, 4)) > 0).astype(float)), (0,), extra="hvp"),
    Case(gaussian_nll, (R(4), R(4), np.abs(R(4)) + 0.5), (0, 1, 2), extra="hvp"),
    Case(ctc_like_logsumexp, (R((4, 3)),), (0,), extra="hvp"),
    Case(attention_masked, (R((3, 4)), R((3, 4)), R((3, 4))), (0, 1, 2), extra="hvp"),
    Case(gru_seq, (R((3, 2)), R((3, 5)), R((3, 5)), R((3, 5))), (0, 1, 2, 3), extra="hvp"),
    Case(embedding_bag, (R((5, 3)), np.array([0, 2, 4, 1, 3]), [0, 2]), (0,), extra="hvp"),
    Case(pixel_shuffle, (R((8, 2, 2)),), (0,), extra="hvp"),
    Case(spectral_norm_power, (R((3, 4)), R(3)), (0, 1), extra="hvp"),
    Case(focal_loss, (R(6), (R(6) > 0).astype(float)), (0,), extra="hvp"),
    Case(dice_loss, (R(6), (R(6) > 0).astype(float)), (0,), extra="hvp"),
    Case(label_smoothing_ce, (R((4, 3)), np.array([0, 2, 1, 1])), (0,), extra="hvp"),
    Case(local_response_norm, (R((4, 3)),), (0,), extra="hvp"),
    Case(interpolate_linear, (R(4),), (0,)),
    Case(gmm_loglik, (R((4, 2)), R((2, 2)), 0.1 * R(2), R(2)), (0, 1, 2, 3), extra="hvp"),
    Case(gp_nll, (0.1, 0.2, -1.0, X, R(5)), (0, 1, 2, 3, 4), extra="hvp"),
    Case(lasso_ista, (R(2), X, R(5)), (0, 1, 2)),
    Case(softmax_ce_loop, (R((3, 2)), X, [0, 2, 1, 1, 0]), (0, 1), extra="hvp"),
    Case(contrastive_infonce, (R((3, 4)), R((3, 4))), (0, 1), extra="hvp"),
    Case(mixture_density, (R(3), R(3), 0.1 * R(3), 0.4), (0, 1, 2, 3), extra="hvp"),
    Case(student_t_nll, (0.2, 0.1, 2.5, R(5)), (0, 1, 2, 3), extra="hvp"),
]
