"""Ported cases (session 36, corp36), written anew as users write models and losses: masked and
causal multi-head attention, layer norm and batch norm with a running-stats dict, GRU and LSTM
cells with gates kept in Python lists, a VAE ELBO with given noise, a Gaussian-process marginal
likelihood by Cholesky, soft k-means, Huber / pinball / focal / label-smoothed losses, InfoNCE and
triplet losses, a CRF forward pass, an unrolled Adam with a state dict and global-norm clipping,
a mixture-of-Gaussians likelihood, IRLS, Gumbel-softmax, a 1-D convolution and max pooling.

Float parameters -> float scalar losses or arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import Case

R = np.random.default_rng(36001)
X8 = R.standard_normal((8, 4))
Y8 = R.standard_normal(8)
LAB = np.array([0, 2, 1, 1, 0, 2, 2, 1])
NOISE = R.standard_normal((5, 2))
GUM = -np.log(-np.log(R.uniform(0.05, 0.95, (6, 3))))


def _softmax(z, axis=-1):
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# -- attention ------------------------------------------------------------------------------------


def causal_mha(x, Wq, Wk, Wv, n_heads=2):
    T, D = x.shape
    hd = D // n_heads
    q = (x @ Wq).reshape(T, n_heads, hd).transpose(1, 0, 2)
    k = (x @ Wk).reshape(T, n_heads, hd).transpose(1, 0, 2)
    v = (x @ Wv).reshape(T, n_heads, hd).transpose(1, 0, 2)
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
    mask = np.triu(np.ones((T, T), dtype=bool), k=1)
    scores = np.where(mask[None], -1e9, scores)
    out = _softmax(scores) @ v
    return np.sum(out.transpose(1, 0, 2).reshape(T, D) ** 2)


def padded_attention(q, K, V, lengths):
    # a batch of queries over padded keys: positions >= length are masked out
    B, T, _ = K.shape
    pos = np.arange(T)
    total = 0.0
    for b in range(B):
        s = K[b] @ q[b]
        s = np.where(pos < lengths[b], s, -np.inf)
        w = np.exp(s - s.max())
        w /= w.sum()
        total += w @ V[b] @ V[b][0]
    return total


# -- normalisation --------------------------------------------------------------------------------


def layer_norm_mlp(x, params):
    h = x @ params["W1"]
    mu = h.mean(axis=-1, keepdims=True)
    var = h.var(axis=-1, keepdims=True)
    h = (h - mu) / np.sqrt(var + 1e-5) * params["gamma"] + params["beta"]
    h = np.maximum(h, 0.0)
    return np.mean((h @ params["W2"] - 0.5) ** 2)


def batch_norm_running(x, gamma, beta):
    stats = {"mean": np.zeros(x.shape[1]), "var": np.ones(x.shape[1])}
    momentum = 0.9
    out = 0.0
    for step in range(3):
        xb = x[step * 2 : step * 2 + 4]
        mu, var = xb.mean(axis=0), xb.var(axis=0)
        stats["mean"] = momentum * stats["mean"] + (1 - momentum) * mu
        stats["var"] = momentum * stats["var"] + (1 - momentum) * var * len(xb) / (len(xb) - 1)
        y = gamma * (xb - mu) / np.sqrt(var + 1e-5) + beta
        out += np.sum(np.tanh(y))
    y_eval = gamma * (x - stats["mean"]) / np.sqrt(stats["var"] + 1e-5) + beta
    return out + np.sum(y_eval**2) * 0.01


# -- recurrent cells ------------------------------------------------------------------------------


def gru_gates_list(xs, W, U, h0):
    h = h0
    for x in xs:
        gates = [_sigmoid(x @ W[k] + h @ U[k]) for k in range(2)]
        z, r = gates
        cand = np.tanh(x @ W[2] + (r * h) @ U[2])
        h = (1 - z) * h + z * cand
    return np.sum(h * np.arange(1.0, len(h) + 1))


def lstm_split(xs, W, b):
    H = W.shape[1] // 4
    h, c = np.zeros(H), np.zeros(H)
    states = []
    for x in xs:
        z = np.concatenate([x, h]) @ W + b
        i, f, g, o = np.split(z, 4)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        states.append((h, c))
    return sum(np.sum(hh) - 0.5 * np.sum(cc**2) for hh, cc in states[1:])


# -- probabilistic --------------------------------------------------------------------------------


def vae_elbo(x, We, Wd):
    h = np.tanh(x @ We)
    mu, logvar = np.split(h, 2, axis=-1)
    z = mu + np.exp(0.5 * logvar) * NOISE
    xr = _sigmoid(z @ Wd)
    xt = (x > 0).astype(float)
    rec = -np.sum(xt * np.log(xr + 1e-9) + (1 - xt) * np.log(1 - xr + 1e-9))
    kl = -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))
    return (rec + kl) / len(x)


def gp_marginal_likelihood(log_ell, log_sf, log_sn, X, y):
    ell, sf2, sn2 = np.exp(log_ell), np.exp(2 * log_sf), np.exp(2 * log_sn)
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    K = sf2 * np.exp(-0.5 * d2 / ell**2) + sn2 * np.eye(len(X))
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * len(X) * np.log(2 * np.pi)


def soft_kmeans(X, C, beta):
    d2 = ((X[:, None, :] - C[None]) ** 2).sum(-1)
    resp = _softmax(-beta * d2, axis=1)
    C_new = (resp.T @ X) / resp.sum(0)[:, None]
    d2n = ((X[:, None, :] - C_new[None]) ** 2).sum(-1)
    return np.sum(_softmax(-beta * d2n, axis=1) * d2n)


def mixture_nll(x, means, log_sd, logits):
    logw = logits - np.log(np.sum(np.exp(logits)))
    comp = (
        -0.5 * ((x[:, None] - means[None]) / np.exp(log_sd)) ** 2 - log_sd - 0.5 * np.log(2 * np.pi)
    )
    return -np.sum(np.logaddexp.reduce(comp + logw, axis=1))


def gumbel_softmax_loss(logits, tau):
    y = _softmax((logits + GUM) / tau)
    return np.sum(y * np.array([1.0, -2.0, 0.5]))


# -- losses ---------------------------------------------------------------------------------------


def huber_pinball_focal(w, delta, q):
    pred = X8 @ w
    r = pred - Y8
    huber = np.where(np.abs(r) <= delta, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))
    pinball = np.maximum(q * r, (q - 1) * r)
    p = np.clip(_sigmoid(pred), 1e-7, 1 - 1e-7)
    t = (Y8 > 0).astype(float)
    pt = np.where(t == 1, p, 1 - p)
    focal = -((1 - pt) ** 2.0) * np.log(pt)
    return huber.mean() + pinball.mean() + focal.sum()


def label_smoothed_ce(W, eps):
    logits = X8 @ W
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    n, k = logp.shape
    nll = -logp[np.arange(n), LAB]
    smooth = -logp.mean(axis=1)
    return np.mean((1 - eps) * nll + eps * smooth)


def info_nce(A, B, temp):
    a = A / np.linalg.norm(A, axis=1, keepdims=True)
    b = B / np.linalg.norm(B, axis=1, keepdims=True)
    logits = a @ b.T / temp
    lse = np.log(np.sum(np.exp(logits), axis=1))
    return np.mean(lse - np.diag(logits))


def triplet_margin(anchor, pos, neg, margin):
    dap = np.sqrt(np.sum((anchor - pos) ** 2, axis=1) + 1e-12)
    dan = np.sqrt(np.sum((anchor - neg) ** 2, axis=1) + 1e-12)
    return np.mean(np.maximum(0.0, dap - dan + margin))


def crf_forward(emissions, trans):
    alpha = emissions[0]
    for t in range(1, len(emissions)):
        s = alpha[:, None] + trans + emissions[t][None, :]
        m = s.max(axis=0)
        alpha = m + np.log(np.exp(s - m).sum(axis=0))
    m = alpha.max()
    gold = emissions[np.arange(len(emissions)), LAB[: len(emissions)]].sum()
    gold += sum(trans[a, b] for a, b in zip(LAB[:-1], LAB[1 : len(emissions)]))
    return m + np.log(np.sum(np.exp(alpha - m))) - gold


# -- training loops -------------------------------------------------------------------------------


def _loss_grad(w):
    r = X8 @ w - Y8
    return np.mean(r**2), 2 * X8.T @ r / len(r)


def adam_unrolled(w0, lr):
    state = {"m": np.zeros_like(w0), "v": np.zeros_like(w0), "t": 0}
    w = w0
    b1, b2 = 0.9, 0.999
    for _ in range(5):
        _, g = _loss_grad(w)
        norm = np.sqrt(np.sum(g**2))
        g = g * min(1.0, 1.0 / norm)
        state["t"] += 1
        state["m"] = b1 * state["m"] + (1 - b1) * g
        state["v"] = b2 * state["v"] + (1 - b2) * g * g
        mhat = state["m"] / (1 - b1 ** state["t"])
        vhat = state["v"] / (1 - b2 ** state["t"])
        w = w - lr * mhat / (np.sqrt(vhat) + 1e-8)
    return _loss_grad(w)[0]


def irls_logistic(w0, lam):
    t = (Y8 > 0).astype(float)
    w = w0
    for _ in range(3):
        p = _sigmoid(X8 @ w)
        Wd = p * (1 - p)
        H = X8.T @ (X8 * Wd[:, None]) + lam * np.eye(len(w))
        w = w - np.linalg.solve(H, X8.T @ (p - t) + lam * w)
    return np.sum(w**2)


@dataclass
class Conv1D:
    kernel: np.ndarray
    bias: float

    def __call__(self, x):
        K = len(self.kernel)
        n = len(x) - K + 1
        out = np.zeros(n)
        for k in range(K):
            out = out + self.kernel[k] * x[k : k + n]
        return out + self.bias


def conv_pool(x, kernel, bias):
    conv = Conv1D(kernel, bias)
    h = np.maximum(conv(x), 0.1 * conv(x))
    pooled = h[: len(h) // 2 * 2].reshape(-1, 2).max(axis=1)
    return np.sum(pooled**2)


A44 = R.standard_normal((4, 4)) * 0.5
KV = R.standard_normal((2, 5, 3))
PTS = R.standard_normal((10, 2)) + np.repeat(np.array([[2.0, 0.0], [-2.0, 0.5]]), 5, axis=0)

CASES = [
    Case(causal_mha, (R.standard_normal((4, 4)), A44, A44.T, A44 + 0.1), (0, 1, 2, 3), extra="hvp"),
    Case(
        padded_attention,
        (R.standard_normal((2, 3)), KV, KV[::-1] * 0.7, np.array([3, 5])),
        (0, 1, 2),
    ),
    Case(
        layer_norm_mlp,
        (
            X8[:3],
            {
                "W1": R.standard_normal((4, 5)),
                "gamma": np.ones(5),
                "beta": np.zeros(5) + 0.1,
                "W2": R.standard_normal(5),
            },
        ),
        (0, 1),
    ),
    Case(batch_norm_running, (X8, np.array([1.0, 0.9, 1.1, 1.2]), np.full(4, 0.1)), (0, 1, 2)),
    Case(
        gru_gates_list,
        (
            X8[:4, :3],
            R.standard_normal((3, 3, 2)) * 0.5,
            R.standard_normal((3, 2, 2)) * 0.5,
            np.zeros(2),
        ),
        (0, 1, 2, 3),
    ),
    Case(
        lstm_split,
        (X8[:4, :3], R.standard_normal((5, 8)) * 0.4, np.full(8, 0.1)),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        vae_elbo,
        (X8[:5], R.standard_normal((4, 4)) * 0.5, R.standard_normal((2, 4))),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        gp_marginal_likelihood, (0.1, 0.2, -1.0, X8[:6, :2], Y8[:6]), (0, 1, 2, 3, 4), extra="hvp"
    ),
    Case(soft_kmeans, (PTS, np.array([[1.0, 0.0], [-1.0, 0.0]]), 0.8), (0, 1, 2), extra="hvp"),
    Case(
        mixture_nll,
        (Y8, np.array([-1.0, 0.0, 1.0]), np.array([0.0, -0.3, 0.2]), np.array([0.1, 0.3, -0.2])),
        (0, 1, 2, 3),
    ),
    Case(gumbel_softmax_loss, (R.standard_normal((6, 3)), 0.7), (0, 1)),
    Case(huber_pinball_focal, (np.array([0.3, -0.2, 0.5, 0.1]), 0.5, 0.7), (0, 1, 2)),
    Case(label_smoothed_ce, (R.standard_normal((4, 3)), 0.1), (0, 1)),
    Case(info_nce, (X8[:5], X8[:5] + 0.3 * R.standard_normal((5, 4)), 0.5), (0, 1, 2)),
    Case(triplet_margin, (X8[:4], X8[1:5], X8[4:8], 1.0), (0, 1, 2, 3)),
    Case(
        crf_forward,
        (R.standard_normal((5, 3)), R.standard_normal((3, 3)) * 0.5),
        (0, 1),
        extra="hvp",
    ),
    Case(adam_unrolled, (np.array([0.3, -0.2, 0.5, 0.1]), 0.05), (0, 1)),
    Case(irls_logistic, (np.zeros(4), 0.5), (0, 1), extra="hvp"),
    Case(conv_pool, (Y8 + 0.05, np.array([0.5, -0.3, 0.2]), 0.05), (0, 1, 2)),
]
