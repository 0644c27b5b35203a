"""Ported cases (session 52, hunt52a): modern ML layers written in NumPy: layer/RMS/group norm
with eps, GELU (tanh and erf forms), SwiGLU, rotary embeddings (split halves and interleaved
loops), causal multi-head attention with reshape/transpose, mixture-of-experts gating (argsort,
argpartition, one-hot by np.eye[idx]), dropout with a fixed mask, label smoothing, focal,
InfoNCE and triplet losses, a VAE ELBO, an affine coupling layer with its log-det, AdamW steps,
clipping by global norm, EMA of parameters, and a CRF whose gold path score is
``score = emit[0, tags[0]]; score += ...`` (its Hessian by grad of an inner srcad.jvp).

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf, logsumexp

import srcad

from . import Case


def layer_norm(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * gamma + beta


def ln_loss(x, gamma, beta):
    y = layer_norm(x, gamma, beta)
    return np.sum(y**2 * np.arange(1, y.shape[-1] + 1))


def rms_loss(x, w, eps=1e-6):
    ms = np.mean(np.square(x), axis=-1, keepdims=True)
    return float(np.sum(np.sin(x * (1.0 / np.sqrt(ms + eps)) * w)))


def group_norm(x, G=2, eps=1e-5):
    N, C = x.shape
    xg = x.reshape(N, G, C // G)
    mu = xg.mean(axis=2, keepdims=True)
    var = xg.var(axis=2, keepdims=True)
    y = ((xg - mu) / np.sqrt(var + eps)).reshape(N, C)
    return np.sum(y * np.cos(np.arange(C)))


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def gelu_erf(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def mlp_gelu(x, W1, W2):
    return np.sum(gelu_erf(gelu_tanh(x @ W1) @ W2))


def swiglu(x, W, V):
    a = x @ W
    return np.sum(a / (1.0 + np.exp(-a)) * (x @ V))


def rope(x, base=10000.0):
    T, D = x.shape
    half = D // 2
    inv = 1.0 / base ** (np.arange(half) / half)
    ang = np.arange(T)[:, None] * inv[None, :]
    cos, sin = np.cos(ang), np.sin(ang)
    x1, x2 = x[:, :half], x[:, half:]
    return np.concatenate([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1)


def rope_score(q, k):
    return np.sum((rope(q) @ rope(k).T) ** 2)


def rope_interleaved(q, base=100.0):
    T, D = q.shape
    out = np.empty_like(q)
    for i in range(0, D, 2):
        theta = base ** (-i / D)
        for t in range(T):
            c, s = math.cos(t * theta), math.sin(t * theta)
            out[t, i] = q[t, i] * c - q[t, i + 1] * s
            out[t, i + 1] = q[t, i] * s + q[t, i + 1] * c
    return np.sum(out * q[::-1])


def _softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def causal_mha(x, Wq, Wk, Wv, Wo, n_heads=2):
    T, D = x.shape
    hd = D // n_heads
    q = (x @ Wq).reshape(T, n_heads, hd).transpose(1, 0, 2)
    k = (x @ Wk).reshape(T, n_heads, hd).transpose(1, 0, 2)
    v = (x @ Wv).reshape(T, n_heads, hd).transpose(1, 0, 2)
    s = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
    mask = np.triu(np.ones((T, T), dtype=bool), k=1)
    a = _softmax(np.where(mask[None], -np.inf, s))
    o = (a @ v).transpose(1, 0, 2).reshape(T, D)
    return np.sum(np.tanh(o @ Wo))


def mha_wq(Wq, x, Wk, Wv, Wo):
    return causal_mha(x, Wq, Wk, Wv, Wo)


def moe_topk(x, Wg, experts, k=2):
    logits = x @ Wg
    idx = np.argsort(-logits, axis=-1)[:, :k]
    gates = _softmax(np.take_along_axis(logits, idx, axis=-1))
    out = np.zeros_like(x)
    for j in range(k):
        for n in range(x.shape[0]):
            out[n] += gates[n, j] * np.tanh(x[n] @ experts[idx[n, j]])
    return np.sum(out**2)


def moe_gate_weights(Wg, x, experts):
    return moe_topk(x, Wg, experts)


def moe_onehot(Wg, x, E):
    logits = x @ Wg
    onehot = np.eye(Wg.shape[1])[np.argmax(logits, axis=1)]
    p = _softmax(logits)
    aux = Wg.shape[1] * np.sum(onehot.mean(0) * p.mean(0))
    y = np.einsum("nd,edk,ne->nk", x, E, onehot)
    return np.sum(np.sum(p * onehot, axis=1)[:, None] * y) + 0.01 * aux


def moe_argpartition(Wg, x, k=2):
    logits = x @ Wg
    idx = np.argpartition(logits, -k, axis=1)[:, -k:]
    mask = np.zeros_like(logits, dtype=bool)
    np.put_along_axis(mask, idx, True, axis=1)
    return np.sum(_softmax(np.where(mask, logits, -np.inf)) * logits)


def dropout_loss(W, x, mask, p=0.5):
    h = np.maximum(x @ W, 0.0) * mask / (1 - p)
    return np.mean(h**2)


def label_smooth_ce(logits, y, eps=0.1):
    K = logits.shape[1]
    t = np.full(logits.shape, eps / K)
    t[np.arange(len(y)), y] += 1 - eps
    m = logits.max(1, keepdims=True)
    lse = np.log(np.sum(np.exp(logits - m), 1, keepdims=True)) + m
    return -np.mean(np.sum(t * (logits - lse), axis=1))


def focal(logits, y, gamma=2.0, alpha=0.25):
    p = 1 / (1 + np.exp(-logits))
    pt = np.where(y == 1, p, 1 - p)
    at = np.where(y == 1, alpha, 1 - alpha)
    return np.sum(-at * (1 - pt) ** gamma * np.log(np.clip(pt, 1e-7, 1.0)))


def infonce(z1, z2, tau=0.1):
    z1 = z1 / np.linalg.norm(z1, axis=1, keepdims=True)
    z2 = z2 / np.linalg.norm(z2, axis=1, keepdims=True)
    sim = z1 @ z2.T / tau
    n = sim.shape[0]
    return np.mean(logsumexp(sim, axis=1) - sim[np.arange(n), np.arange(n)])


def triplet_norm(a, p, n, margin=0.5):
    dp = np.linalg.norm(a - p, axis=1)
    dn = np.linalg.norm(a - n, axis=1)
    return np.sum(np.maximum(0, dp - dn + margin))


def _kl_gauss(mu, logvar):
    return -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))


def vae_elbo(w, x, eps):
    W_enc, W_dec = w[:12].reshape(3, 4), w[12:].reshape(2, 3)
    h = np.tanh(x @ W_enc)
    mu, logvar = h[:, :2], h[:, 2:]
    z = mu + np.exp(0.5 * logvar) * eps
    xr = 1 / (1 + np.exp(-(z @ W_dec)))
    rec = np.sum(x * np.log(xr + 1e-8) + (1 - x) * np.log(1 - xr + 1e-8))
    return -(rec - _kl_gauss(mu, logvar))


def coupling_nll(x, W, b):
    d = x.shape[1] // 2
    x1, x2 = x[:, :d], x[:, d:]
    h = np.tanh(x1 @ W + b)
    s, t = h[:, :d], h[:, d:]
    y = np.concatenate([x1, x2 * np.exp(s) + t], axis=1)
    logp = -0.5 * np.sum(y**2, axis=1) - y.shape[1] * 0.5 * np.log(2 * np.pi)
    return -np.mean(logp + np.sum(s, axis=1))


def adamw(w, X, y, steps=4, lr=0.05, wd=0.01, b1=0.9, b2=0.999, eps=1e-8):
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        g = X.T @ (X @ w - y) / len(y)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        mh, vh = m / (1 - b1**t), v / (1 - b2**t)
        w = w - lr * (mh / (np.sqrt(vh) + eps) + wd * w)
    return np.sum((X @ w - y) ** 2)


def _clip_global(grads, max_norm):
    total = math.sqrt(sum(float(np.sum(g**2)) for g in grads))
    scale = min(1.0, max_norm / (total + 1e-6))
    return [g * scale for g in grads]


def sgd_clipped(w, X, y, lr=0.3, steps=3):
    for _ in range(steps):
        (g,) = _clip_global([2 * X.T @ (X @ w - y)], 2.0)
        w = w - lr * g
    return np.sum((X @ w - y) ** 2)


def ema_params(w, X, y, decay=0.9):
    shadow = w.copy()
    for _ in range(3):
        w = w - 0.1 * X.T @ (X @ w - y)
        shadow *= decay
        shadow += (1 - decay) * w
    return np.sum(shadow**2) + np.sum(w)


def crf_nll(emit, trans, tags):
    score = emit[0, tags[0]]
    for t in range(1, len(tags)):
        score += trans[tags[t - 1], tags[t]] + emit[t, tags[t]]
    alpha = emit[0].copy()
    for t in range(1, emit.shape[0]):
        alpha = logsumexp(alpha[:, None] + trans, axis=0) + emit[t]
    return logsumexp(alpha) - score


_DIR = np.cos(np.arange(12.0)).reshape(4, 3)


def crf_curvature(emit, trans, tags):
    """d/d emit of the directional derivative of `crf_nll` (its Hessian along _DIR)."""
    return srcad.jvp(crf_nll, (emit, trans, tags), (_DIR, None, None))[1]


_R = np.random.default_rng(520)
_X34 = _R.standard_normal((3, 4))
_G4 = np.array([1.0, 0.5, 2.0, -1.0])
_B4 = np.array([0.1, 0.0, -0.2, 0.3])
_W44 = [_R.standard_normal((4, 4)) * 0.5 for _ in range(4)]
_WG = _R.standard_normal((4, 3))
_EX = _R.standard_normal((3, 4, 4)) * 0.5
_XR = _R.standard_normal((5, 3))
_YR = _R.standard_normal(5)
_EMIT = _R.standard_normal((4, 3))
_TRANS = _R.standard_normal((3, 3))

CASES = [
    Case(ln_loss, (_X34, _G4, _B4), (0, 1, 2), extra="hvp"),
    Case(rms_loss, (_X34, _G4), (0, 1), extra="hvp"),
    Case(rms_loss, (np.zeros((2, 4)), _G4), (0,), name="ported_corp52_a.rms_loss_zero"),
    Case(group_norm, (_R.standard_normal((2, 4)),), (0,), extra="hvp"),
    Case(
        mlp_gelu,
        (_R.standard_normal((2, 3)), _R.standard_normal((3, 4)), _R.standard_normal((4, 2))),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        swiglu, (_X34, _R.standard_normal((4, 3)), _R.standard_normal((4, 3))), (0, 1), extra="hvp"
    ),
    Case(rope_score, (_R.standard_normal((4, 4)), _R.standard_normal((4, 4))), (0, 1), extra="hvp"),
    Case(rope_interleaved, (_R.standard_normal((3, 4)),), (0,), extra="hvp"),
    Case(causal_mha, (_X34, *_W44), (0,), extra="hvp"),
    Case(mha_wq, (_X34.T @ _X34 * 0.1, _X34, *_W44[1:]), (0,), extra="hvp"),
    Case(moe_topk, (_X34, _WG, _EX), (0,), extra="hvp"),
    Case(moe_gate_weights, (_WG, _X34, _EX), (0,), extra="hvp"),
    Case(moe_onehot, (_WG, _X34, _EX), (0, 1), extra="hvp"),
    Case(moe_argpartition, (_WG, _X34), (0, 1), extra="hvp"),
    Case(
        dropout_loss,
        (_R.standard_normal((4, 3)), _X34, (_R.random((3, 3)) > 0.5).astype(float)),
        (0,),
        extra="hvp",
    ),
    Case(label_smooth_ce, (_R.standard_normal((4, 3)), np.array([0, 2, 1, 2])), (0,), extra="hvp"),
    Case(
        focal,
        (np.array([20.0, -20.0, 0.0, 1.0, 30.0]), np.array([1, 0, 1, 1, 0])),
        (0,),
        extra="hvp",
    ),
    Case(infonce, (_R.standard_normal((3, 4)), _R.standard_normal((3, 4))), (0, 1), extra="hvp"),
    Case(
        triplet_norm,
        (_X34[:, :2], _X34[:, :2] + 0.1, _R.standard_normal((3, 2))),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        vae_elbo,
        (
            _R.standard_normal(18) * 0.5,
            (_R.random((2, 3)) > 0.5).astype(float),
            _R.standard_normal((2, 2)),
        ),
        (0,),
        extra="hvp",
    ),
    Case(
        coupling_nll,
        (_X34, _R.standard_normal((2, 4)) * 0.5, _R.standard_normal(4) * 0.1),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(adamw, (_R.standard_normal(3), _XR, _YR), (0,), extra="hvp"),
    Case(sgd_clipped, (_R.standard_normal(3), _XR, _YR), (0, 2), extra="hvp"),
    Case(sgd_clipped, (np.zeros(3), _XR, _YR), (0,), name="ported_corp52_a.sgd_clipped_zero"),
    Case(ema_params, (_R.standard_normal(3), _XR * 0.3, _YR), (0,), extra="hvp"),
    Case(crf_nll, (_EMIT, _TRANS, [0, 2, 2, 1]), (0, 1), extra="hvp"),
    Case(crf_curvature, (_EMIT, _TRANS, [0, 2, 2, 1]), (0, 1)),
]
