"""Ported cases (session 23, corp23): the NumPy reference versions of the tensor ops that
tinygrad's test/backend/test_ops.py, mygrad's and chainer's function tests check (each op written
once for the framework and once in NumPy): activations (gelu, both forms, quick_gelu, mish, selu,
celu, hardswish, softsign, logsigmoid, softplus), softmax/log_softmax/softmin and logsumexp over
an axis, layer and batch norm, std/var with ddof and keepdims, cumsum/cumprod/cummax and
logcumsumexp, pad (constant, reflect, edge, wrap), flip, roll, triu/tril, diag/diagonal,
repeat/tile, einsum (trace, batched, ellipsis), gather through take_along_axis, scatter-add through
np.add.at, sort and top-k, max/avg pooling through reshape, convolution through
sliding_window_view, linear interpolation, scaled dot-product attention, cross entropy with label
smoothing, binary cross entropy with logits and pos_weight, lerp, clip, where.

Float arrays of random shapes -> a weighted scalar (``extra="hvp"``) or an array (jacfwd against
jacrev)."""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.special import erf

from . import Case

R = np.random.default_rng(230023)
A45 = R.standard_normal((4, 5))
A345 = R.standard_normal((3, 4, 5))
A66 = R.standard_normal((6, 6))
W45 = R.standard_normal((4, 5))
W345 = R.standard_normal((3, 4, 5))
IMG = R.standard_normal((2, 3, 6, 6))  # N, C, H, W
KER = R.standard_normal((4, 3, 3, 3)) * 0.3
LABELS = np.array([1, 0, 4, 2])
IDX = R.integers(0, 5, size=(4, 3))


def _wsum(y, w):
    return np.sum(y * w)


def gelu_erf(x):
    return _wsum(0.5 * x * (1.0 + erf(x / math.sqrt(2.0))), W45)


def gelu_tanh(x):
    c = math.sqrt(2.0 / math.pi)
    return _wsum(0.5 * x * (1.0 + np.tanh(c * (x + 0.044715 * x**3))), W45)


def quick_gelu(x):
    return _wsum(x * (1.0 / (1.0 + np.exp(-1.702 * x))), W45)


def mish(x):
    return _wsum(x * np.tanh(np.logaddexp(0.0, x)), W45)


def selu(x):
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    return _wsum(scale * np.where(x > 0, x, alpha * (np.exp(x) - 1.0)), W45)


def celu(x, alpha=0.7):
    return _wsum(np.maximum(x, 0) + np.minimum(0, alpha * (np.exp(x / alpha) - 1.0)), W45)


def hardswish(x):
    return _wsum(x * np.clip(x + 3.0, 0.0, 6.0) / 6.0, W45 * 0.5)


def softsign_logsigmoid(x):
    return _wsum(x / (1.0 + np.abs(x)), W45) + np.sum(-np.logaddexp(0.0, -x))


def softplus_beta(x, beta=2.0):
    return _wsum(np.log1p(np.exp(beta * x)) / beta, W45)


def elu_relu6_leaky(x):
    elu = np.where(x > 0, x, np.expm1(x))
    relu6 = np.minimum(np.maximum(x, 0.0), 6.0)
    leaky = np.where(x >= 0, x, 0.01 * x)
    return _wsum(elu + 2.0 * relu6 - leaky, W45)


def softmax_axis(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return _wsum(e / e.sum(axis=1, keepdims=True), W345)


def log_softmax_axis0(x):
    m = x.max(axis=0)
    out = x - m - np.log(np.sum(np.exp(x - m), axis=0))
    return _wsum(out, W45)


def softmin(x):
    e = np.exp(-x + np.min(x, axis=-1, keepdims=True))
    return _wsum(e / np.sum(e, axis=-1, keepdims=True), W45)


def logsumexp_keepdims(x):
    m = np.max(x, axis=(0, 2), keepdims=True)
    lse = m + np.log(np.sum(np.exp(x - m), axis=(0, 2), keepdims=True))
    return np.sum(lse * np.arange(1.0, 5.0).reshape(1, 4, 1))


def layernorm(x, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return _wsum((x - mu) / np.sqrt(var + eps), W345)


def batchnorm(x, eps=1e-5):
    mu = np.mean(x, axis=(0, 2, 3), keepdims=True)
    var = np.mean((x - mu) ** 2, axis=(0, 2, 3), keepdims=True)
    y = (x - mu) / np.sqrt(var + eps)
    return np.sum(y**3) * 0.1 + np.sum(y[:, 0])


def std_var_ddof(x):
    return (
        np.sum(np.std(x, axis=1, ddof=1) * np.arange(3.0, 8.0).reshape(5)[:3, None][:, 0:1])
        + np.var(x, ddof=2)
        + np.sum(np.var(x, axis=(0, 2), keepdims=True))
    )


def std_mean_normalize(x):
    s = np.std(x, axis=0)
    m = np.mean(x, axis=0)
    n = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return np.sum(s * m) + _wsum(n, W45)


def cumsum_cumprod(x):
    return _wsum(np.cumsum(x, axis=1), W45) + _wsum(np.cumprod(1.0 + 0.2 * x, axis=0), W45)


def cummax_cummin(x):
    return _wsum(np.maximum.accumulate(x, axis=1), W45) + _wsum(
        np.minimum.accumulate(x, axis=0), W45
    )


def logcumsumexp(x):
    return _wsum(np.logaddexp.accumulate(x, axis=1), W45)


def logcumsumexp_stable(x):
    m = np.max(x, axis=1, keepdims=True)
    return _wsum(np.log(np.cumsum(np.exp(x - m), axis=1)) + m, W45)


def pad_modes(x):
    a = np.pad(x, ((1, 2), (0, 1)))
    b = np.pad(x, ((1, 1), (2, 2)), mode="reflect")
    c = np.pad(x, 1, mode="edge")
    d = np.pad(x, ((0, 0), (2, 1)), mode="wrap")
    return np.sum(a**2) + np.sum(np.sin(b)) + np.sum(c * np.arange(7.0)) + np.sum(d[:, ::2] ** 3)


def pad_constant_value(x):
    y = np.pad(x, ((2, 0), (1, 3)), constant_values=0.5)
    return np.sum(np.tanh(y) * np.arange(y.size).reshape(y.shape))


def flip_roll(x):
    y = np.flip(x, axis=1) + np.roll(x, 2, axis=0) - np.roll(x, -1)
    return _wsum(y * x, W45)


def flip_all_fliplr(x):
    return _wsum(np.flip(x) * np.fliplr(x) + np.flipud(x), W45)


def triu_tril(x):
    return np.sum(np.triu(x, 1) ** 2) - np.sum(np.tril(x) * x.T) + np.sum(np.triu(x, -2) * 0.5)


def diag_diagonal(x):
    d = np.diagonal(x, offset=1)
    return np.sum(np.diag(np.diag(x)) @ x) + np.sum(d**2) + np.trace(x @ x)


def repeat_tile(x):
    y = np.repeat(x, 2, axis=0)
    z = np.tile(x, (1, 2))
    return np.sum(y[::3] ** 2) + np.sum(np.sin(z) * np.arange(10.0))


def repeat_interleave_counts(x):
    y = np.repeat(x, [1, 2, 0, 3], axis=0)
    return np.sum(y * np.linspace(0.0, 1.0, y.size).reshape(y.shape))


def einsum_ops(x):
    t = np.einsum("ii->", x)
    b = np.einsum("ij,jk->ik", x, x)
    d = np.einsum("ij,ij->i", x, x)
    return t + np.sum(np.tanh(b)) + np.sum(d)


def einsum_batched_ellipsis(x):
    y = np.einsum("bij,bkj->bik", x, x)
    z = np.einsum("...j,j->...", x, np.arange(5.0))
    return np.sum(y**2) * 0.1 + np.sum(z)


def gather_take_along(x):
    g = np.take_along_axis(x, IDX, axis=1)
    m = np.take_along_axis(x, np.argmax(x, axis=1)[:, None], axis=1)
    return np.sum(g * np.arange(12.0).reshape(4, 3)) + np.sum(m**2)


def scatter_add(x):
    out = np.zeros((4, 7))
    cols = np.array([0, 2, 2, 5, 6])
    np.add.at(out, (slice(None), cols), x)
    return _wsum(out[:, :5] * out[:, 2:], W45)


def scatter_assign(x):
    out = np.zeros((6, 5))
    out[[0, 2, 3, 5]] = x
    return np.sum(np.cumsum(out, axis=0) ** 2)


def sort_topk(x):
    s = np.sort(x, axis=1)
    top = -np.sort(-x, axis=1)[:, :2]
    return _wsum(s, W45) + np.sum(top**2)


def argsort_gather(x):
    order = np.argsort(x, axis=0)
    return _wsum(np.take_along_axis(x, order, axis=0) ** 2, W45)


def max_pool2d(x):
    n, c, h, w = x.shape
    p = x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
    return np.sum(p * np.arange(p.size).reshape(p.shape))


def avg_pool2d(x):
    n, c, h, w = x.shape
    p = x.reshape(n, c, h // 3, 3, w // 3, 3).mean(axis=(3, 5))
    return np.sum(np.sin(p))


def max_pool_strided(x):
    win = sliding_window_view(x, (3, 3), axis=(2, 3))[:, :, ::2, ::2]
    return np.sum(np.max(win, axis=(-2, -1)) ** 2)


def conv2d_windows(x):
    win = sliding_window_view(x, (3, 3), axis=(2, 3))  # N, C, H', W', kh, kw
    y = np.einsum("nchwij,ocij->nohw", win, KER)
    return np.sum(np.tanh(y)) + np.sum(y[:, 1] ** 2) * 0.1


def conv2d_padded_strided(x):
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    win = sliding_window_view(xp, (3, 3), axis=(2, 3))[:, :, ::2, ::2]
    y = np.tensordot(win, KER, axes=([1, 4, 5], [1, 2, 3]))
    return np.sum(y**2)


def conv1d_valid(x):
    k = np.array([0.2, -0.5, 1.0])
    return np.sum(np.convolve(x[0], k, mode="valid") ** 2) + np.sum(
        np.correlate(x[1], k, mode="same")
    )


def interpolate_linear(x):
    # 5 -> 9 points along the last axis, align_corners=True
    src = np.linspace(0.0, 4.0, 9)
    lo = np.floor(src).astype(int)
    lo = np.minimum(lo, 3)
    frac = src - lo
    y = x[:, lo] * (1.0 - frac) + x[:, lo + 1] * frac
    return np.sum(y**2 * np.arange(9.0))


def interp_np(x):
    xp = np.array([0.0, 1.0, 2.5, 3.0, 4.5])
    return np.sum(np.interp(np.array([0.3, 1.7, 2.8, 4.0]), xp, x) ** 2)


def sdpa(q):
    k = q[:, ::-1] * 0.5
    v = np.tanh(q)
    s = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1])
    mask = np.triu(np.ones((4, 4), dtype=bool), 1)
    s = np.where(mask, -np.inf, s)
    a = np.exp(s - s.max(axis=-1, keepdims=True))
    a = a / a.sum(axis=-1, keepdims=True)
    return _wsum(a @ v, W345)


def cross_entropy_smoothing(logits, eps=0.1):
    n, c = logits.shape
    logp = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    onehot = np.eye(c)[LABELS]
    target = onehot * (1.0 - eps) + eps / c
    return -np.mean(np.sum(target * logp, axis=1))


def sparse_ce_ignore_index(logits):
    labels = np.array([1, -1, 4, 2])
    keep = labels != -1
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    picked = logp[np.arange(4), np.where(keep, labels, 0)]
    return -np.sum(picked * keep) / np.sum(keep)


def bce_logits_pos_weight(z):
    y = (W45 > 0).astype(float)
    pw = np.array([1.0, 2.0, 0.5, 3.0, 1.5])
    log_sig = -np.logaddexp(0.0, -z)
    log_one_minus = -np.logaddexp(0.0, z)
    return -np.mean(pw * y * log_sig + (1.0 - y) * log_one_minus)


def bce_probs(z):
    p = 1.0 / (1.0 + np.exp(-z))
    y = (W45 > 0).astype(float)
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p))


def lerp_clip_where(x):
    end = np.cos(x)
    y = x + 0.3 * (end - x)
    z = np.clip(y, -0.5, 0.8)
    return _wsum(np.where(x > 0.2, z, y**2), W45)


def maximum_minimum(x):
    y = x[::-1] * 0.7
    return _wsum(np.maximum(x, y) + 2.0 * np.minimum(x, y + 0.1), W45)


def unfold_windows(x):
    w = sliding_window_view(x, 3, axis=1)  # (4, 3, 3)
    return np.sum(w * np.array([1.0, -2.0, 0.5])) + np.sum(np.prod(w, axis=-1))


def meshgrid_linspace(x):
    u, v = np.meshgrid(x[0], x[1], indexing="ij")
    return np.sum(np.sin(u * v) * np.linspace(-1.0, 1.0, 5)[None, :])


def matvecmat(x):
    a, b, c = x[:, :4], x[0], x[:, 1:]
    return float(b[:4] @ a.T @ c @ np.arange(4.0))


def trig_hyperbolic(x):
    return np.sum(
        np.sinh(x) + np.cosh(x) * 0.5 + np.arcsinh(x) + np.arctan(x) + np.tan(0.3 * x)
    ) + np.sum(np.arctanh(0.4 * np.tanh(x)) + np.arccosh(1.5 + x**2))


def split_stack_cat(x):
    a, b = np.split(x, [2], axis=1)
    c = np.array_split(x, 3, axis=1)
    s = np.stack([a[:, 0], b[:, 1], c[2][:, 0]], axis=-1)
    return np.sum(np.concatenate([s, a], axis=1) ** 2) + np.sum(c[1] * 2.0)


def squeeze_expand_transpose(x):
    y = np.expand_dims(x, 1)  # 3, 1, 4, 5
    z = np.squeeze(np.transpose(y, (2, 1, 0, 3)), axis=1)  # 4, 3, 5
    return _wsum(np.moveaxis(z, 0, 1), W345) + np.sum(np.swapaxes(x, 0, 2) ** 2)


def elementwise_arrays(x):
    # no reduction: jacfwd against jacrev
    return np.tanh(x) * np.roll(x, 1, axis=1) + np.pad(x, ((0, 0), (1, 0)))[:, :-1]


def cumsum_array(x):
    return np.cumsum(np.flip(x, 0), axis=0) - np.cumprod(np.tanh(x), axis=1)


def softmax_array(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


CASES = [
    Case(gelu_erf, (A45,), (0,), extra="hvp"),
    Case(gelu_tanh, (A45,), (0,), extra="hvp"),
    Case(quick_gelu, (A45,), (0,), extra="hvp"),
    Case(mish, (A45,), (0,), extra="hvp"),
    Case(selu, (A45,), (0,), extra="hvp"),
    Case(celu, (A45,), (0,), extra="hvp"),
    Case(hardswish, (A45,), (0,), extra="hvp"),
    Case(softsign_logsigmoid, (A45,), (0,), extra="hvp"),
    Case(softplus_beta, (A45,), (0,), extra="hvp"),
    Case(elu_relu6_leaky, (A45 * 3.0,), (0,), extra="hvp"),
    Case(softmax_axis, (A345,), (0,), extra="hvp"),
    Case(log_softmax_axis0, (A45,), (0,), extra="hvp"),
    Case(softmin, (A45,), (0,), extra="hvp"),
    Case(logsumexp_keepdims, (A345,), (0,), extra="hvp"),
    Case(layernorm, (A345,), (0,), extra="hvp"),
    Case(batchnorm, (IMG,), (0,), extra="hvp"),
    Case(std_var_ddof, (A345,), (0,), extra="hvp"),
    Case(std_mean_normalize, (A45,), (0,), extra="hvp"),
    Case(cumsum_cumprod, (A45,), (0,), extra="hvp"),
    Case(cummax_cummin, (A45,), (0,), extra="hvp", jitter=0.0),
    Case(logcumsumexp, (A45,), (0,), extra="hvp"),
    Case(logcumsumexp_stable, (A45,), (0,), extra="hvp"),
    Case(pad_modes, (A45,), (0,), extra="hvp"),
    Case(pad_constant_value, (A45,), (0,), extra="hvp"),
    Case(flip_roll, (A45,), (0,), extra="hvp"),
    Case(flip_all_fliplr, (A45,), (0,), extra="hvp"),
    Case(triu_tril, (A66,), (0,), extra="hvp"),
    Case(diag_diagonal, (A66,), (0,), extra="hvp"),
    Case(repeat_tile, (A45,), (0,), extra="hvp"),
    Case(repeat_interleave_counts, (A45,), (0,), extra="hvp"),
    Case(einsum_ops, (A66,), (0,), extra="hvp"),
    Case(einsum_batched_ellipsis, (A345,), (0,), extra="hvp"),
    Case(gather_take_along, (A45,), (0,), extra="hvp"),
    Case(scatter_add, (A45,), (0,), extra="hvp"),
    Case(scatter_assign, (A45,), (0,), extra="hvp"),
    Case(sort_topk, (A45,), (0,), extra="hvp"),
    Case(argsort_gather, (A45,), (0,), extra="hvp"),
    Case(max_pool2d, (IMG,), (0,), extra="hvp"),
    Case(avg_pool2d, (IMG,), (0,), extra="hvp"),
    Case(max_pool_strided, (IMG,), (0,), extra="hvp"),
    Case(conv2d_windows, (IMG,), (0,), extra="hvp"),
    Case(conv2d_padded_strided, (IMG,), (0,), extra="hvp"),
    Case(conv1d_valid, (A45,), (0,), extra="hvp"),
    Case(interpolate_linear, (A45,), (0,), extra="hvp"),
    Case(interp_np, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(sdpa, (A345,), (0,), extra="hvp"),
    Case(cross_entropy_smoothing, (A45,), (0,), extra="hvp"),
    Case(sparse_ce_ignore_index, (A45,), (0,), extra="hvp"),
    Case(bce_logits_pos_weight, (A45,), (0,), extra="hvp"),
    Case(bce_probs, (A45,), (0,), extra="hvp"),
    Case(lerp_clip_where, (A45,), (0,), extra="hvp"),
    Case(maximum_minimum, (A45,), (0,), extra="hvp"),
    Case(unfold_windows, (A45,), (0,), extra="hvp"),
    Case(meshgrid_linspace, (A45,), (0,), extra="hvp"),
    Case(matvecmat, (A45,), (0,), extra="hvp"),
    Case(trig_hyperbolic, (A45,), (0,), extra="hvp"),
    Case(split_stack_cat, (A45,), (0,), extra="hvp"),
    Case(squeeze_expand_transpose, (A345,), (0,), extra="hvp"),
    Case(elementwise_arrays, (A45,), (0,)),
    Case(cumsum_array, (A45,), (0,)),
    Case(softmax_array, (A345,), (0,)),
]
