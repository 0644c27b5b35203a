"""Ported cases (session 21, hunt21), written anew after hand-written ML as users write it in NumPy:
a transformer block (multi-head attention with a causal mask by np.triu and -inf or -1e9, layer
norm with eps, the GELU tanh approximation, residuals), RMSNorm, rotary embeddings (halves and
interleaved), a GRU over a sequence, conv2d by loops, im2col and einsum, max-pool by argmax-indexed
reads and by reshape, batch norm in training mode, dropout with a fixed mask, label smoothing, focal
losses, triplet and contrastive margins, a CRF's and a CTC's forward algorithm in log space.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(0)
T, D, H = 4, 6, 2
XT = R.standard_normal((T, D))
WQ = R.standard_normal((D, D)) * 0.3
WK = R.standard_normal((D, D)) * 0.3
WV = R.standard_normal((D, D)) * 0.3
WO = R.standard_normal((D, D)) * 0.3


def layernorm(x, g, b, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return g * (x - mu) / np.sqrt(var + eps) + b


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def mha(x, Wq, Wk, Wv, Wo, n_heads):
    T, D = x.shape
    hd = D // n_heads
    q = (x @ Wq).reshape(T, n_heads, hd).transpose(1, 0, 2)
    k = (x @ Wk).reshape(T, n_heads, hd).transpose(1, 0, 2)
    v = (x @ Wv).reshape(T, n_heads, hd).transpose(1, 0, 2)
    att = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
    mask = np.triu(np.ones((T, T)), k=1).astype(bool)
    att = np.where(mask, -np.inf, att)
    att = softmax(att)
    y = att @ v
    y = y.transpose(1, 0, 2).reshape(T, D)
    return y @ Wo


def block_loss(x):
    g = np.ones(D)
    b = np.zeros(D)
    h = x + mha(layernorm(x, g, b), WQ, WK, WV, WO, H)
    h = h + gelu(layernorm(h, g, b)) @ WO
    return np.sum(h**2) / h.size


def block_loss_1e9(x):
    g = np.ones(D) * 1.1
    b = np.zeros(D) + 0.1
    ln = layernorm(x, g, b)
    q = ln @ WQ
    k = ln @ WK
    v = ln @ WV
    s = q @ k.T / np.sqrt(D)
    m = np.triu(np.ones_like(s), 1)
    s = s - 1e9 * m
    p = np.exp(s - s.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    out = x + p @ v
    return np.mean(gelu(out))


def block_masked_fill(x):
    s = (x @ WQ) @ (x @ WK).T
    s[np.triu_indices(T, 1)] = -np.inf
    p = softmax(s)
    return np.sum(p @ x)


def rmsnorm_loss(x):
    w = np.linspace(0.5, 1.5, x.shape[-1])
    r = np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + 1e-6)
    y = x / r * w
    return np.sum(np.sin(y))


def rope(x):
    T, D = x.shape
    half = D // 2
    freqs = 1.0 / (10000 ** (np.arange(half) / half))
    ang = np.outer(np.arange(T), freqs)
    cos, sin = np.cos(ang), np.sin(ang)
    x1, x2 = x[:, :half], x[:, half:]
    out = np.concatenate([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1)
    return np.sum(out @ out.T)


def rope_interleaved(x):
    T, D = x.shape
    y = np.empty_like(x)
    for t in range(T):
        for i in range(0, D, 2):
            th = t / 10000 ** (i / D)
            c, s = math.cos(th), math.sin(th)
            y[t, i] = x[t, i] * c - x[t, i + 1] * s
            y[t, i + 1] = x[t, i] * s + x[t, i + 1] * c
    return np.sum(y[:, None, :] * y[None, :, :]) / T


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


WZ = R.standard_normal((3 + 4, 4)) * 0.5
WR = R.standard_normal((3 + 4, 4)) * 0.5
WH = R.standard_normal((3 + 4, 4)) * 0.5
SEQ = R.standard_normal((5, 3))


def gru_seq(wflat):
    Wz = wflat[:28].reshape(7, 4)
    Wr = wflat[28:56].reshape(7, 4)
    Wh = wflat[56:84].reshape(7, 4)
    h = np.zeros(4)
    hs = []
    for t in range(SEQ.shape[0]):
        xh = np.concatenate([SEQ[t], h])
        z = sigmoid(xh @ Wz)
        r = sigmoid(xh @ Wr)
        hc = np.tanh(np.concatenate([SEQ[t], r * h]) @ Wh)
        h = (1 - z) * h + z * hc
        hs.append(h)
    H = np.stack(hs)
    return np.sum(H[-1] ** 2) + 0.1 * np.sum(H)


IMG = R.standard_normal((6, 6))


def conv2d_loops(k):
    k = k.reshape(3, 3)
    H, W = IMG.shape
    out = np.zeros((H - 2, W - 2))
    for i in range(H - 2):
        for j in range(W - 2):
            out[i, j] = np.sum(IMG[i : i + 3, j : j + 3] * k)
    out = np.maximum(out, 0)
    return np.sum(out**2)


def conv2d_im2col(k):
    k = k.reshape(2, 3, 3)  # 2 filters
    H, W = IMG.shape
    cols = []
    for i in range(H - 2):
        for j in range(W - 2):
            cols.append(IMG[i : i + 3, j : j + 3].ravel())
    C = np.array(cols)
    out = C @ k.reshape(2, 9).T
    out = out.reshape(H - 2, W - 2, 2)
    return np.sum(np.tanh(out))


def conv2d_einsum(img):
    K = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    H, W = img.shape
    patches = np.stack(
        [img[i : i + H - 2, j : j + W - 2] for i in range(3) for j in range(3)], axis=-1
    )
    out = np.einsum("hwk,k->hw", patches, K.ravel())
    return np.sum(out**2)


def maxpool_argmax(img):
    H, W = img.shape
    out = np.zeros((H // 2, W // 2))
    for i in range(0, H, 2):
        for j in range(0, W, 2):
            patch = img[i : i + 2, j : j + 2]
            idx = np.argmax(patch)
            r, c = np.unravel_index(idx, patch.shape)
            out[i // 2, j // 2] = img[i + r, j + c]
    return np.sum(out**3)


def maxpool_reshape(img):
    H, W = img.shape
    p = img.reshape(H // 2, 2, W // 2, 2).max(axis=(1, 3))
    return np.sum(p * np.arange(p.size).reshape(p.shape))


XB = R.standard_normal((8, 3))


def batchnorm_train(w):
    W = w.reshape(3, 4)
    h = XB @ W
    mu = h.mean(0)
    var = h.var(0)
    hn = (h - mu) / np.sqrt(var + 1e-5)
    out = np.maximum(hn * 1.5 + 0.1, 0.0)
    return np.mean(out**2)


MASK = (R.random((8, 4)) > 0.3).astype(float)


def dropout_fixed(w):
    W = w.reshape(3, 4)
    h = np.tanh(XB @ W)
    h = h * MASK / 0.7
    return np.sum(h @ np.ones(4)) ** 2 / 100


Y = np.array([0, 2, 1, 1, 0, 2, 1, 0])


def label_smooth_ce(w):
    W = w.reshape(3, 3)
    logits = XB @ W
    n, k = logits.shape
    eps = 0.1
    target = np.full((n, k), eps / (k - 1))
    target[np.arange(n), Y] = 1 - eps
    logp = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    return -np.mean(np.sum(target * logp, axis=1))


def focal(w):
    W = w.reshape(3, 3)
    p = softmax(XB @ W)
    pt = p[np.arange(len(Y)), Y]
    gamma = 2.0
    return -np.mean((1 - pt) ** gamma * np.log(pt))


def focal_binary(z):
    y = (np.arange(len(z)) % 2).astype(float)
    p = 1 / (1 + np.exp(-z))
    alpha = 0.25
    pt = np.where(y == 1, p, 1 - p)
    at = np.where(y == 1, alpha, 1 - alpha)
    return np.sum(-at * (1 - pt) ** 2 * np.log(pt))


def triplet(x):
    E = x.reshape(6, 2)
    a, p, n = E[0:2], E[2:4], E[4:6]
    dap = np.sum((a - p) ** 2, axis=1)
    dan = np.sum((a - n) ** 2, axis=1)
    return np.mean(np.maximum(0.0, dap - dan + 1.0))


def contrastive(x):
    E = x.reshape(4, 2)
    loss = 0.0
    labels = [[0, 1, 1], [0, 2, 0], [1, 3, 0], [2, 3, 1]]
    for i, j, same in labels:
        d = np.linalg.norm(E[i] - E[j])
        if same:
            loss += d**2
        else:
            loss += max(0.0, 1.5 - d) ** 2
    return loss / len(labels)


def logsumexp(a, axis=None):
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


TRANS = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]))


def crf_forward(em):
    em = em.reshape(5, 3)
    alpha = em[0].copy()
    for t in range(1, em.shape[0]):
        alpha = logsumexp(alpha[:, None] + TRANS, axis=0) + em[t]
    logZ = logsumexp(alpha)
    tags = [0, 1, 1, 2, 0]
    score = em[0, tags[0]]
    for t in range(1, 5):
        score = score + TRANS[tags[t - 1], tags[t]] + em[t, tags[t]]
    return logZ - score


def ctc_loss(logits):
    lp = logits.reshape(6, 3)
    lp = lp - logsumexp(lp, axis=1)[:, None]
    label = [1, 2]
    ext = [0]
    for l in label:  # noqa: E741
        ext += [l, 0]
    S = len(ext)
    Tn = lp.shape[0]
    alpha = np.full((Tn, S), -np.inf)
    alpha[0, 0] = lp[0, ext[0]]
    alpha[0, 1] = lp[0, ext[1]]
    for t in range(1, Tn):
        for s in range(S):
            cands = [alpha[t - 1, s]]
            if s - 1 >= 0:
                cands.append(alpha[t - 1, s - 1])
            if s - 2 >= 0 and ext[s] != 0 and ext[s] != ext[s - 2]:
                cands.append(alpha[t - 1, s - 2])
            c = np.array(cands)
            m = np.max(c)
            if m == -np.inf:
                alpha[t, s] = -np.inf
            else:
                alpha[t, s] = m + np.log(np.sum(np.exp(c - m))) + lp[t, ext[s]]
    return -np.logaddexp(alpha[-1, -1], alpha[-1, -2])


CASES = [
    Case(block_loss, (XT,), (0,), extra="hvp"),
    Case(block_loss_1e9, (XT,), (0,), extra="hvp"),
    Case(block_masked_fill, (XT,), (0,), extra="hvp"),
    Case(rmsnorm_loss, (XT,), (0,), extra="hvp"),
    Case(rope, (XT,), (0,), extra="hvp"),
    Case(rope_interleaved, (XT,), (0,), extra="hvp"),
    Case(gru_seq, (R.standard_normal(84) * 0.5,), (0,), extra="hvp"),
    Case(conv2d_loops, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(conv2d_im2col, (R.standard_normal(18),), (0,), extra="hvp"),
    Case(conv2d_einsum, (IMG,), (0,), extra="hvp"),
    Case(maxpool_argmax, (IMG,), (0,), extra="hvp"),
    Case(maxpool_reshape, (IMG,), (0,), extra="hvp"),
    Case(batchnorm_train, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(dropout_fixed, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(label_smooth_ce, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(focal, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(focal_binary, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(triplet, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(contrastive, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(crf_forward, (R.standard_normal(15),), (0,), extra="hvp"),
    Case(ctc_loss, (R.standard_normal(18),), (0,), extra="hvp"),
]
