"""Ported cases (session 32, hunt32a), ML code as people write it today in NumPy: transformer
pieces (masked multi-head attention by einsum with `np.where(mask, -np.inf, s)` and `np.triu`
causal masks, rotary embeddings written into halves and into even/odd columns, layernorm and
RMSNorm with eps, GELU by tanh and by `scipy.special.erf`, a KV cache written row by row inside
a loop over tokens, greedy decoding choosing the next token by argmax); training loops inside
the objective (SGD with momentum and Adam updating buffers in place and through `out=`, MAML over
a dict of parameters, `for p, g in zip(params, grads)`, clipping by global norm with a cosine
learning-rate schedule, minibatches by slices); losses (label smoothing, focal, InfoNCE with
`np.eye` masking, triplet with hard negatives by argmax, Huber, pinball, Gaussian KL, an ELBO,
a Gaussian-process NLL by Cholesky and `solve_triangular`, a listwise ranking loss by argsort);
convnets (im2col by fancy indexing, `sliding_window_view`, max-pool by argmax, `np.pad` modes,
batchnorm in train mode, dropout by a given mask), embedding lookups with repeated tokens and
scatters by `np.add.at` and `np.bincount(weights=)`.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.linalg import solve_triangular
from scipy.special import erf, logsumexp

from . import Case

R = np.random.default_rng(32)
B, H, T, D = 2, 2, 4, 3
XA = R.standard_normal((B, T, H * D))
CAUSAL = np.triu(np.ones((T, T), dtype=bool), k=1)
WQ = R.standard_normal((H * D, H * D)) * 0.4
X36 = R.standard_normal((3, 6))
XS, YS = R.standard_normal((6, 3)), R.standard_normal(6)
XQ, YQ = R.standard_normal((4, 3)), R.standard_normal(4)
TH = R.standard_normal(20) * 0.5
W3 = np.array([0.4, -0.7, 1.1])
N, C = 5, 4
LAB = np.array([0, 2, 1, 3, 2])
L0 = R.standard_normal((N, C))
IMG = R.standard_normal((2, 1, 5, 5))
K0 = R.standard_normal((2, 1, 3, 3))
DROP = (R.random((5, 5)) > 0.3).astype(float)
TOK = np.array([1, 3, 1, 1, 0, 3])
E43 = R.standard_normal((4, 3))
XG = np.linspace(0, 1, 6)[:, None]
YG = np.sin(3 * XG[:, 0])


# -- transformer pieces ---------------------------------------------------------------------------


def mha_where_mask(wq):
    q = (XA @ wq).reshape(B, T, H, D).transpose(0, 2, 1, 3)
    k = (XA @ (wq * 0.5)).reshape(B, T, H, D).transpose(0, 2, 1, 3)
    v = XA.reshape(B, T, H, D).transpose(0, 2, 1, 3)
    s = np.einsum("bhqd,bhkd->bhqk", q, k) / np.sqrt(D)
    s = np.where(CAUSAL, -1e9, s)
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    p = p / p.sum(axis=-1, keepdims=True)
    o = np.einsum("bhqk,bhkd->bhqd", p, v)
    return np.sum(np.tanh(o) ** 2)


def mha_inf_assign(wq):
    q = (XA @ wq).reshape(B, T, H, D).transpose(0, 2, 1, 3)
    s = np.einsum("bhqd,bhkd->bhqk", q, q)
    s[..., CAUSAL] = -np.inf
    e = np.exp(s - s.max(-1, keepdims=True))
    p = e / e.sum(-1, keepdims=True)
    return np.sum(p**2 * np.arange(T))


def rope_halves(wq):
    x = (XA @ wq)[0]
    half = x.shape[-1] // 2
    ang = np.arange(T)[:, None] * (1.0 / (10000 ** (np.arange(half) / half)))
    x1, x2 = x[:, :half], x[:, half:]
    out = np.concatenate(
        [x1 * np.cos(ang) - x2 * np.sin(ang), x1 * np.sin(ang) + x2 * np.cos(ang)], -1
    )
    return np.sum(out @ out.T)


def rope_interleaved(wq):
    x = (XA @ wq)[1]
    x1, x2 = x[:, 0::2], x[:, 1::2]
    ang = np.outer(np.arange(T), 1.0 / 100 ** (np.arange(x1.shape[1]) / x1.shape[1]))
    out = np.empty_like(x)
    out[:, 0::2] = x1 * np.cos(ang) - x2 * np.sin(ang)
    out[:, 1::2] = x1 * np.sin(ang) + x2 * np.cos(ang)
    return np.sum(out[:-1] * out[1:])


def layernorm_rmsnorm(x):
    mu = x.mean(axis=-1, keepdims=True)
    y = (x - mu) / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-5)
    r = np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + 1e-6)
    return np.sum(y * np.arange(x.shape[-1])) + np.sum((x / r) * np.linspace(0.5, 1.5, x.shape[-1]))


def gelu_tanh_erf(x):
    a = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    b = 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))
    return np.sum(a * a) + np.sum(np.sin(b))


def kv_cache_rows(wq):
    kc, vc = np.zeros((T, H * D)), np.zeros((T, H * D))
    out = 0.0
    for t in range(T):
        q = XA[0, t] @ wq
        kc[t] = q * 0.5
        vc[t] = np.tanh(q)
        s = kc[: t + 1] @ q / np.sqrt(D)
        p = np.exp(s - s.max())
        p /= p.sum()
        out = out + np.sum(p @ vc[: t + 1])
    return out


def greedy_decode(wq):
    kc, vc = np.zeros((5, H * D)), np.zeros((5, H * D))
    x = XA[0, 0]
    total = 0.0
    for t in range(5):
        q = x @ wq
        kc[t], vc[t] = q, np.sin(q)
        s = kc[: t + 1] @ q
        p = np.exp(s - s.max())
        logits = (p / p.sum()) @ vc[: t + 1] @ XA[1].T
        nxt = int(np.argmax(logits))
        total += logsumexp(logits) - logits[nxt]
        x = XA[1, nxt]
    return total


# -- training loops inside the objective ----------------------------------------------------------


def inner_sgd_momentum(w0):
    w = w0.copy()
    m = np.zeros_like(w)
    for _ in range(4):
        g = XS.T @ (XS @ w - YS) / len(YS)
        m *= 0.9
        m += g
        w -= 0.1 * m
    return np.mean((XQ @ w - YQ) ** 2)


def inner_adam_out(w0):
    w = w0.copy()
    m, v = np.zeros(3), np.zeros(3)
    for t in range(1, 4):
        g = XS.T @ np.tanh(XS @ w - YS)
        np.multiply(m, 0.9, out=m)
        m += 0.1 * g
        v *= 0.99
        v += 0.01 * g * g
        w -= 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.99**t)) + 1e-8)
    return np.sum(w**2 * np.arange(1, 4))


def _grads(p, x, y):
    h = np.tanh(x @ p["W1"] + p["b1"])
    d = 2 * (h @ p["W2"] - y) / len(y)
    dh = np.outer(d, p["W2"]) * (1 - h**2)
    return {"W1": x.T @ dh, "b1": dh.sum(0), "W2": h.T @ d}


def _mlp(p, x):
    return np.tanh(x @ p["W1"] + p["b1"]) @ p["W2"]


def maml_dict(theta):
    p = {"W1": theta[:12].reshape(3, 4), "b1": theta[12:16], "W2": theta[16:20]}
    for _ in range(2):
        g = _grads(p, XS, YS)
        p = {k: p[k] - 0.1 * g[k] for k in p}
    return np.mean((_mlp(p, XQ) - YQ) ** 2)


def maml_zip_inplace(theta):
    params = [theta[:12].reshape(3, 4).copy(), theta[12:16].copy(), theta[16:20].copy()]
    for _ in range(2):
        g = _grads({"W1": params[0], "b1": params[1], "W2": params[2]}, XS, YS)
        for p, gg in zip(params, [g["W1"], g["b1"], g["W2"]]):
            p -= 0.1 * gg
    return np.mean((_mlp({"W1": params[0], "b1": params[1], "W2": params[2]}, XQ) - YQ) ** 2)


def clip_cosine_schedule(theta):
    params = [theta[:12].reshape(3, 4), theta[12:16], theta[16:20]]
    for it in range(3):
        g = _grads({"W1": params[0], "b1": params[1], "W2": params[2]}, XS, YS)
        grads = [g["W1"], g["b1"], g["W2"]]
        gn = np.sqrt(sum(np.sum(gg**2) for gg in grads))
        scale = min(1.0, 0.5 / (gn + 1e-6))
        lr = 0.2 * 0.5 * (1 + np.cos(np.pi * it / 3))
        params = [p - lr * scale * gg for p, gg in zip(params, grads)]
    return np.mean((_mlp({"W1": params[0], "b1": params[1], "W2": params[2]}, XQ) - YQ) ** 2)


def minibatch_clip_out(w0):
    w = w0.copy()
    for _ in range(2):
        for i in range(0, 6, 2):
            g = XS[i : i + 2].T @ (XS[i : i + 2] @ w - YS[i : i + 2])
            np.clip(g, -1.0, 1.0, out=g)
            w -= 0.1 * g
    return np.sum((XQ @ w - YQ) ** 2)


# -- losses ---------------------------------------------------------------------------------------


def label_smoothing(logits):
    t = np.full((N, C), 0.1 / C)
    t[np.arange(N), LAB] += 0.9
    lz = logits - logits.max(1, keepdims=True)
    return -(t * (lz - np.log(np.exp(lz).sum(1, keepdims=True)))).sum(1).mean()


def focal(logits):
    p = 1 / (1 + np.exp(-logits))
    t = (np.arange(C)[None, :] == LAB[:, None]).astype(float)
    pt = np.where(t == 1, p, 1 - p)
    return np.sum(-np.where(t == 1, 0.25, 0.75) * (1 - pt) ** 2 * np.log(np.clip(pt, 1e-7, 1)))


def infonce(z):
    z = z / np.linalg.norm(z, axis=1, keepdims=True)
    s = z @ z.T / 0.5 - 1e9 * np.eye(N)
    return np.mean(logsumexp(s, axis=1) - s[np.arange(N), np.roll(np.arange(N), 1)])


def triplet_hard(z):
    lab = np.array([0, 0, 1, 1, 0])
    tot = 0.0
    for i in range(N):
        d = np.linalg.norm(z - z[i], axis=1)
        pos, neg = np.where(lab == lab[i])[0], np.where(lab != lab[i])[0]
        tot += max(d[pos[np.argmax(d[pos])]] - d[neg[np.argmin(d[neg])]] + 0.5, 0.0)
    return tot


def huber_pinball_kl(x):
    a = np.abs(x)
    huber = np.sum(np.where(a < 1.0, 0.5 * x**2, a - 0.5))
    e = np.linspace(-1, 1, x.size).reshape(x.shape) - x
    taus = np.array([0.1, 0.5, 0.9, 0.7])
    logvar = x[:, ::-1] * 0.3
    kl = -0.5 * np.sum(1 + logvar - x**2 - np.exp(logvar))
    return huber + np.mean(np.maximum(taus * e, (taus - 1) * e)) + kl


def gp_nll(theta):
    ls, sf, sn = np.exp(theta)
    K = sf**2 * np.exp(-0.5 * (XG - XG.T) ** 2 / ls**2) + (sn**2 + 1e-6) * np.eye(6)
    L = np.linalg.cholesky(K)
    a = solve_triangular(L, YG, lower=True)
    return 0.5 * a @ a + np.sum(np.log(np.diag(L)))


def listwise_argsort(s):
    order = np.argsort(-s)
    rel = np.array([3.0, 2.0, 3.0, 0.0, 1.0])
    ss = s[order]
    lse = np.log(np.cumsum(np.exp(ss[::-1]))[::-1])
    return -np.sum(rel[order] / np.log2(np.arange(2, 7)) * (ss - lse))


# -- convnets, batchnorm, dropout, embeddings -----------------------------------------------------


def im2col_conv(k):
    x = np.pad(IMG, ((0, 0), (0, 0), (1, 1), (1, 1)))
    oh = ow = 5
    ii = np.repeat(np.arange(3), 3)[:, None] + np.repeat(np.arange(oh), ow)[None, :]
    jj = np.tile(np.arange(3), 3)[:, None] + np.tile(np.arange(ow), oh)[None, :]
    out = np.einsum("ok,bkp->bop", k.reshape(k.shape[0], -1), x[:, 0, ii, jj])
    return np.sum(np.tanh(out))


def sliding_conv(x):
    win = sliding_window_view(x, (3, 3), axis=(2, 3))
    return np.sum(np.einsum("bchwij,ocij->bohw", win, K0) ** 2)


def maxpool_argmax(x):
    p = x[:, :, :4, :4].reshape(2, 1, 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(2, 1, 2, 2, 4)
    out = np.take_along_axis(p, np.argmax(p, axis=-1)[..., None], axis=-1)[..., 0]
    return np.sum(out * np.arange(1, 3))


def pad_modes(x):
    a = np.pad(x, ((0, 0), (0, 0), (1, 1), (2, 0)), mode="reflect")
    b = np.pad(x, 1, mode="edge")
    c = np.pad(x, ((0, 0), (0, 0), (2, 1), (0, 1)), mode="wrap")
    return np.sum(a**2) + np.sum(b * np.sin(b)) + np.sum(c[..., :3] ** 2)


def batchnorm_dropout(x):
    xh = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5)
    h = np.tanh(1.5 * xh + 0.2) * DROP / 0.7
    return np.sum(h @ h.T)


def embed_repeated(E):
    e = E[TOK]
    acc = np.zeros_like(E)
    np.add.at(acc, TOK, e * np.arange(6)[:, None])
    s = np.bincount(TOK, weights=E[TOK, 0], minlength=4)
    return np.sum(np.tanh(e.sum(0)) ** 2) + np.sum(acc * E) + np.sum(s**2)


def gnn_scatter(h):
    src, dst = np.array([0, 1, 2, 3, 1, 0]), np.array([1, 2, 0, 0, 3, 3])
    agg = np.zeros_like(h)
    np.add.at(agg, dst, h[src] * 0.5)
    deg = np.bincount(dst, minlength=h.shape[0]).astype(float)
    return np.sum(np.tanh(agg / np.maximum(deg, 1)[:, None] + h) ** 2)


CASES = [
    Case(mha_where_mask, (WQ,), (0,), extra="hvp"),
    Case(mha_inf_assign, (WQ,), (0,), extra="hvp"),
    Case(rope_halves, (WQ,), (0,)),
    Case(rope_interleaved, (WQ,), (0,), extra="hvp"),
    Case(layernorm_rmsnorm, (X36,), (0,), extra="hvp"),
    Case(gelu_tanh_erf, (X36,), (0,), extra="hvp"),
    Case(kv_cache_rows, (WQ,), (0,), extra="hvp"),
    Case(greedy_decode, (WQ,), (0,)),
    Case(inner_sgd_momentum, (W3,), (0,), extra="hvp"),
    Case(inner_adam_out, (W3,), (0,)),
    Case(maml_dict, (TH,), (0,), extra="hvp"),
    Case(maml_zip_inplace, (TH,), (0,)),
    Case(clip_cosine_schedule, (TH,), (0,)),
    Case(minibatch_clip_out, (W3,), (0,)),
    Case(label_smoothing, (L0,), (0,), extra="hvp"),
    Case(focal, (L0,), (0,)),
    Case(infonce, (L0,), (0,), extra="hvp"),
    Case(triplet_hard, (L0,), (0,)),
    Case(huber_pinball_kl, (L0 * 1.5,), (0,)),
    Case(gp_nll, (np.array([-0.5, 0.1, -1.0]),), (0,), extra="hvp"),
    Case(listwise_argsort, (np.array([0.3, -1.1, 0.8, 1.7, -0.4]),), (0,), extra="hvp"),
    Case(im2col_conv, (K0,), (0,), extra="hvp"),
    Case(sliding_conv, (IMG,), (0,)),
    Case(maxpool_argmax, (IMG,), (0,)),
    Case(pad_modes, (IMG,), (0,)),
    Case(batchnorm_dropout, (R.standard_normal((5, 5)),), (0,), extra="hvp"),
    Case(embed_repeated, (E43,), (0,), extra="hvp"),
    Case(gnn_scatter, (E43,), (0,)),
]
