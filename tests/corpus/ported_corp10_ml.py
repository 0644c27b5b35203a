"""Ported cases (session 10, corp10), written anew as user code:
ML losses as scikit-learn and PyTorch write them in NumPy: the half losses (squared error,
absolute, pinball, Huber, Poisson, Gamma, Tweedie, binomial in its piecewise stable form,
multinomial with the log-sum-exp trick, exponential), logistic regression with sample weights
and L2, squared hinge, ridge, smoothed lasso, the GP log marginal likelihood by cho_factor /
cho_solve, KL divergences; transformer pieces (layernorm, RMSNorm, causal multi-head attention,
GELU, rotary embeddings), convolution by sliding windows + einsum and by im2col, max-pool,
batchnorm in train mode, dropout with a fixed mask, label smoothing, focal, triplet and
contrastive losses, a cosine-similarity contrastive loss.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them); every row
is scalar-valued and also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.linalg import cho_factor, cho_solve
from scipy.special import expit, logsumexp, xlogy

from . import Case

R = np.random.default_rng(17600011)
XS = np.round(R.standard_normal(80) * 0.5, 3)
ML_Y = np.abs(R.standard_normal(6)) + 0.2
ML_YB = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
ML_SW = np.array([1.0, 0.5, 2.0, 1.0, 0.3, 1.5])
ML_YM = np.array([0, 2, 1, 1, 0, 2])
ML_X = R.standard_normal((6, 3))
ML_GX = R.standard_normal((5, 2))
ML_GY = R.standard_normal(5)
ML_T, ML_D, ML_H = 4, 6, 2
ML_XT = R.standard_normal((ML_T, ML_D))
ML_WATT = R.standard_normal((ML_D, 3 * ML_D)) * 0.3
ML_WPROJ = R.standard_normal((ML_D, ML_D)) * 0.3
ML_WFC = R.standard_normal((ML_D, 2 * ML_D)) * 0.3
ML_WFC2 = R.standard_normal((2 * ML_D, ML_D)) * 0.3
ML_IMG = R.standard_normal((2, 2, 5, 5))
ML_MASK = (np.random.default_rng(9).random((5, 3)) > 0.3).astype(float)
ML_LAB = np.array([0, 2, 1, 1, 0])


def ml_sklearn_losses(x):
    raw = x[:6]
    diff = ML_Y - raw
    sq = np.average(0.5 * diff**2, weights=ML_SW)
    absolute = np.mean(np.abs(diff))
    pinball = np.mean(np.where(diff >= 0, 0.3 * diff, (0.3 - 1) * diff))
    a = np.abs(diff)
    huber = np.sum(np.where(a <= 0.5, 0.5 * diff**2, 0.5 * (a - 0.25)) * ML_SW)
    return sq + absolute + pinball + huber


def ml_glm_losses(x):
    raw = x[:6]
    poisson = np.mean(np.exp(raw) - ML_Y * raw + xlogy(ML_Y, ML_Y) - ML_Y)
    gamma = np.mean(raw + ML_Y * np.exp(-raw))
    p = 1.5
    tweedie = np.mean(np.exp(raw * (2 - p)) / (2 - p) - ML_Y * np.exp(raw * (1 - p)) / (1 - p))
    exponential = np.mean(np.exp(-(2 * ML_YB - 1) * raw))
    return poisson + gamma + tweedie + exponential


def ml_half_binomial(x):
    raw = x[:6] * np.array([40.0, 5.0, 1.0, 1.0, 25.0, 2.0])
    out = np.where(raw <= -37, np.exp(raw), 0.0)
    out = np.where((raw > -37) & (raw <= 18), np.log1p(np.exp(raw)), out)
    out = np.where(raw > 18, raw + np.exp(-raw), out)
    return np.average(out - ML_YB * raw, weights=ML_SW)


def ml_half_multinomial(x):
    raw = x[:18].reshape(6, 3)
    m = np.max(raw, axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(raw - m), axis=1))
    onehot = (ML_YM[:, None] == np.arange(3)).astype(float)
    return np.sum(ML_SW * (lse - np.sum(onehot * raw, axis=1))) / np.sum(ML_SW)


def ml_logistic_l2(x):
    coef, intercept = x[:3], x[3]
    z = ML_X @ coef + intercept
    loss = np.sum(ML_SW * np.logaddexp(0, -(2 * ML_YB - 1) * z))
    p = expit(z)
    ce = -np.sum(ML_SW * (ML_YB * np.log(p + 1e-12) + (1 - ML_YB) * np.log(1 - p + 1e-12)))
    return loss + ce + 0.5 * 0.3 * np.dot(coef, coef)


def ml_linear_models(x):
    w = x[:3]
    r = ML_X @ w - ML_Y
    hinge = 0.5 * w @ w + np.sum(np.maximum(0, 1 - (2 * ML_YB - 1) * (ML_X @ w)) ** 2)
    ridge = 0.5 * r @ r / len(ML_Y) + 0.5 * np.sum(w**2)
    lasso = 0.5 * np.mean(r**2) + 0.1 * np.sum(np.sqrt(w**2 + 1e-6))
    return hinge + ridge + lasso


def ml_gp_lml(x):
    amp, ls, noise = np.exp(np.array([0.1, -0.2, -1.0]) + 0.3 * x[:3])
    d = ML_GX[:, None, :] - ML_GX[None, :, :]
    K = amp * np.exp(-0.5 * np.sum(d**2, axis=-1) / ls**2) + noise * np.eye(5)
    L = cho_factor(K, lower=True)
    alpha = cho_solve(L, ML_GY)
    return -0.5 * ML_GY @ alpha - np.sum(np.log(np.diag(L[0]))) - 2.5 * np.log(2 * np.pi)


def ml_kl_divergences(x):
    mu, logvar = x[:3], x[3:6]
    kl_vae = -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))
    p = np.exp(x[6:9] - logsumexp(x[6:9]))
    q = np.exp(x[9:12] - logsumexp(x[9:12]))
    kl_cat = np.sum(p * (np.log(p) - np.log(q)))
    S0 = np.eye(2) + 0.1 * np.outer(x[12:14], x[12:14])
    S1 = np.array([[2.0, 0.3], [0.3, 1.0]])
    S1i = np.linalg.inv(S1)
    d = -x[14:16]
    kl_mvn = 0.5 * (np.trace(S1i @ S0) + d @ S1i @ d - 2
                    + np.log(np.linalg.det(S1) / np.linalg.det(S0)))  # fmt: skip
    return kl_vae + kl_cat + kl_mvn


def _ml_layernorm(a, eps=1e-5):
    mean = np.mean(a, axis=-1, keepdims=True)
    return (a - mean) / np.sqrt(np.var(a, axis=-1, keepdims=True) + eps)


def _ml_rmsnorm(a, eps=1e-6):
    return a / np.sqrt(np.mean(a**2, axis=-1, keepdims=True) + eps)


def _ml_gelu(a):
    return 0.5 * a * (1 + np.tanh(np.sqrt(2 / np.pi) * (a + 0.044715 * a**3)))


def _ml_softmax(a, axis=-1):
    e = np.exp(a - np.max(a, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _ml_mha(a, w_attn, w_proj, n_head):
    qkv = np.split(a @ w_attn, 3, axis=-1)
    heads = list(map(lambda z: np.split(z, n_head, axis=-1), qkv))
    causal = (1 - np.tri(a.shape[0], dtype=a.dtype)) * -1e10
    outs = [_ml_softmax(q @ k.T / np.sqrt(q.shape[-1]) + causal) @ v for q, k, v in zip(*heads)]
    return np.hstack(outs) @ w_proj


def ml_transformer_block(x):
    h = ML_XT + x[:24].reshape(ML_T, ML_D)
    h = h + _ml_mha(_ml_layernorm(h), ML_WATT, ML_WPROJ, ML_H)
    h = h + _ml_gelu(_ml_rmsnorm(h) @ ML_WFC) @ ML_WFC2
    return np.sum(h**2) / ML_T


def _ml_rotary(a):
    d = a.shape[-1]
    ang = np.arange(a.shape[0], dtype=float)[:, None] / (10000 ** (np.arange(0, d, 2) / d))
    cos, sin = np.cos(ang), np.sin(ang)
    out = np.empty_like(a)
    out[..., 0::2] = a[..., 0::2] * cos - a[..., 1::2] * sin
    out[..., 1::2] = a[..., 0::2] * sin + a[..., 1::2] * cos
    return out


def ml_rope_attention(x):
    q = _ml_rotary(ML_XT @ (ML_WPROJ + 0.3 * x[:36].reshape(ML_D, ML_D)))
    k = _ml_rotary(ML_XT)
    s = np.einsum("qd,kd->qk", q, k) / np.sqrt(ML_D)
    s = np.where(np.triu(np.ones((ML_T, ML_T), dtype=bool), k=1), -np.inf, s)
    return np.sum(_ml_softmax(s) @ ML_XT)


def ml_conv_windows(x):
    img = ML_IMG[:1] + 0.3 * x[:50].reshape(1, 2, 5, 5)
    w = np.cos(np.arange(24.0)).reshape(3, 2, 2, 2)
    win = sliding_window_view(img, (2, 2), axis=(2, 3))
    out = np.einsum("ncyxij,ocij->noyx", win, w)
    pooled = sliding_window_view(np.tanh(out), (2, 2), axis=(2, 3))[:, :, ::2, ::2]
    return np.sum(pooled.max(axis=(-2, -1)) ** 2)


def _ml_im2col(img, kh, kw):
    n, c, h, w = img.shape
    oh, ow = h - kh + 1, w - kw + 1
    cols = np.zeros((n, c, kh, kw, oh, ow))
    for y in range(kh):
        for x in range(kw):
            cols[:, :, y, x, :, :] = img[:, :, y : y + oh, x : x + ow]
    return cols.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, -1), oh, ow


def ml_conv_im2col_pool(x):
    cols, oh, ow = _ml_im2col(ML_IMG[:1, :, :4, :4], 2, 2)
    w = x[:24].reshape(3, 8)
    out = (cols @ w.T).reshape(1, oh, ow, 3).transpose(0, 3, 1, 2)
    pooled = out[:, :, :2, :2].reshape(1, 3, 1, 2, 1, 2).max(axis=(3, 5))
    return np.sum(out**2) * 0.01 + np.sum(pooled)


def ml_batchnorm_dropout(x):
    a = x[:15].reshape(5, 3)
    xhat = (a - a.mean(axis=0)) / np.sqrt(a.var(axis=0) + 1e-5)
    out = np.array([1.0, 2.0, 0.5]) * xhat + np.array([0.1, 0.0, -0.1])
    return np.sum(np.tanh(out * ML_MASK / 0.7) ** 2)


def ml_classification_losses(x, eps=0.1):
    logits = x[:15].reshape(5, 3)
    mx = logits.max(1, keepdims=True)
    logp = logits - mx - np.log(np.sum(np.exp(logits - mx), 1, keepdims=True))
    tgt = np.full_like(logp, eps / 3)
    tgt[np.arange(5), ML_LAB] += 1 - eps
    smoothed = -np.mean(np.sum(tgt * logp, axis=1))
    p = 1 / (1 + np.exp(-x[15:21]))
    y = (np.arange(6) % 2).astype(float)
    pt = np.where(y == 1, p, 1 - p)
    at = np.where(y == 1, 0.25, 0.75)
    focal = np.sum(-at * (1 - pt) ** 2.0 * np.log(pt))
    return smoothed + focal


def ml_metric_losses(x):
    e = x[:18].reshape(3, 2, 3)
    dp = np.linalg.norm(e[0] - e[1], axis=1)
    dn = np.linalg.norm(e[0] - e[2], axis=1)
    triplet = np.mean(np.maximum(dp - dn + 2.0, 0))
    y = np.array([1.0, 0.0])
    contrastive = np.mean(y * dp**2 + (1 - y) * np.maximum(3.0 - dn, 0) ** 2)
    z = x[18:30].reshape(4, 3)
    zn = z / np.linalg.norm(z, axis=1, keepdims=True)
    sim = zn @ zn.T / 0.5
    np.fill_diagonal(sim, -np.inf)
    lse = np.log(np.sum(np.exp(sim), axis=1))
    nt_xent = np.mean(lse - sim[np.arange(4), np.array([1, 0, 3, 2])])
    return triplet + contrastive + nt_xent


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(ml_sklearn_losses, XS),
    _hvp(ml_glm_losses, XS),
    _hvp(ml_half_binomial, XS, jitter=0.0),
    _hvp(ml_half_multinomial, XS),
    _hvp(ml_logistic_l2, XS),
    _hvp(ml_linear_models, XS),
    _hvp(ml_gp_lml, XS),
    _hvp(ml_kl_divergences, XS),
    _hvp(ml_transformer_block, XS),
    _hvp(ml_rope_attention, XS),
    _hvp(ml_conv_windows, XS),
    _hvp(ml_conv_im2col_pool, XS),
    _hvp(ml_batchnorm_dropout, XS),
    _hvp(ml_classification_losses, XS),
    _hvp(ml_metric_losses, XS),
]
