"""Ported cases (session 45, hunt45): held-out-style ML and numeric programs written fresh that
srcad gets right (fwd, rev, hvp): a layer-class MLP (``__call__`` -> ``forward``, parameters in
dicts, a ``Sequential`` list), parameters keyed by f-strings, label-smoothed cross-entropy,
batch/layer norm, a fixed dropout mask, conv1d by a loop and by ``sliding_window_view``, an
``np.pad`` conv2d, im2col, max-pooling by ``argmax``/``unravel_index``, a GRU, masked causal
attention (``np.where(mask, -inf, s)``), multi-head reshapes with ``einsum``, focal/huber/triplet/
hinge/dice losses, soft k-means, PCA by SVD and by ``eigh``, logistic regression with
``np.logaddexp``, Adam and SGD classes inside an unrolled optimisation, TD(lambda) returns,
Sinkhorn, segment means by ``np.unique``/``np.add.at``/``np.bincount``, and Python corners
(``x[[0, 0, 1]] += v``, ``math.fsum``, ``sum(gen, start)``, ``min``/``sorted`` with keys,
``float('inf')`` sentinels, ``divmod``/``%``/``round`` in the path).

Float64 arrays -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import Case

W16 = np.array(
    [0.35, -0.62, 0.18, 0.91, -0.27, 0.44, -0.83, 0.12, 0.57, -0.39, 0.73, -0.05, 0.26, -0.68,
     0.49, 0.31]
)  # fmt: skip
X3 = np.array([[0.1, 0.2], [0.3, -0.4], [1.0, 0.5]])


class _Layer:
    def __init__(self):
        self.cache = None

    def __call__(self, x):
        return self.forward(x)


class _Linear(_Layer):
    def __init__(self, W, b):
        super().__init__()
        self.params = {"W": W, "b": b}

    def forward(self, x):
        self.cache = x
        return x @ self.params["W"] + self.params["b"]


class _ReLU(_Layer):
    def forward(self, x):
        self.cache = x > 0
        return x * self.cache


class _Sigmoid(_Layer):
    @staticmethod
    def fn(z):
        return 1.0 / (1.0 + np.exp(-z))

    def forward(self, x):
        return self.fn(x)


class _Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def mlp_layers(w):
    model = _Sequential(
        _Linear(w[:6].reshape(2, 3), w[6:9]), _ReLU(), _Linear(w[9:12].reshape(3, 1), w[12:13]),
        _Sigmoid(),
    )  # fmt: skip
    y = np.array([[0.0], [1], [1]])
    p = model(X3)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def mlp_fstring_params(w):
    sizes = [2, 3, 1]
    params, k = {}, 0
    for i in range(len(sizes) - 1):
        n = sizes[i] * sizes[i + 1]
        params[f"W{i + 1}"] = w[k : k + n].reshape(sizes[i], sizes[i + 1])
        k += n
        params[f"b{i + 1}"] = w[k : k + sizes[i + 1]]
        k += sizes[i + 1]
    a = X3[:2]
    for i in range(1, len(sizes)):
        z = a @ params["W" + str(i)] + params["b" + str(i)]
        a = np.tanh(z) if i < len(sizes) - 1 else z
    return float(np.sum(a**2))


def xent_label_smoothing(w):
    logits = w[:12].reshape(4, 3)
    y, eps = np.array([0, 2, 1, 1]), 0.1
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    onehot = np.eye(3)[y] * (1 - eps) + eps / 3
    return -np.sum(onehot * logp) / len(y)


def batch_layer_norm(w):
    x = w[:12].reshape(4, 3)
    xh = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    mu = np.mean(xh, axis=-1, keepdims=True)
    sd = np.std(xh, axis=-1, keepdims=True)
    return np.sum((w[12:15] * (xh - mu) / (sd + 1e-6)) ** 2 * np.arange(1, 13).reshape(4, 3))


def dropout_fixed(w):
    mask = np.arange(16) % 3 != 0
    return np.sum(np.sin(w * mask / (2 / 3)))


def conv1d_loop_and_windows(w):
    x, k = w[:10], w[10:13]
    out = np.zeros(8)
    for i in range(8):
        out[i] = np.dot(x[i : i + 3], k)
    return np.sum(out**2) + np.sum((sliding_window_view(x, 3) @ k) ** 3)


def conv2d_pad(w):
    img, k = w[:9].reshape(3, 3), w[9:13].reshape(2, 2)
    p = np.pad(img, 1)
    out = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            out[i, j] = np.sum(p[i : i + 2, j : j + 2] * k)
    return np.sum(out**2)


def im2col_conv(w):
    img, k = w[:16].reshape(1, 1, 4, 4), w[:4][::-1].reshape(1, 1, 2, 2)
    oh = ow = 3
    cols = np.zeros((1, 1, 2, 2, oh, ow))
    for y in range(2):
        for x in range(2):
            cols[:, :, y, x, :, :] = img[:, :, y : y + oh, x : x + ow]
    cols = cols.transpose(0, 4, 5, 1, 2, 3).reshape(oh * ow, -1)
    out = (cols @ k.reshape(1, -1).T).reshape(1, oh, ow, -1).transpose(0, 3, 1, 2)
    return np.sum(np.maximum(out, 0) ** 2)


def maxpool_argmax(w):
    x = w.reshape(4, 4)
    out = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            patch = x[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            out[i, j] = patch[np.unravel_index(np.argmax(patch), patch.shape)]
    return np.sum(out**2)


def gru(w):
    wz, wr, wh = w[:4].reshape(2, 2), w[4:8].reshape(2, 2), w[8:12].reshape(2, 2)
    h = np.zeros(2)
    for x in np.array([[0.5, -0.2], [0.1, 0.9], [-0.4, 0.3]]):
        z = 1 / (1 + np.exp(-(wz @ (x + h))))
        r = 1 / (1 + np.exp(-(wr @ (x + h))))
        h = (1 - z) * h + z * np.tanh(wh @ (x + r * h))
    return h @ h


def masked_mha(w):
    x, wq, wk = w[:12].reshape(4, 3), w[4:13].reshape(3, 3), w[7:16].reshape(3, 3)
    q = (x @ wq).reshape(1, 4, 1, 3).transpose(0, 2, 1, 3)
    k = (x @ wk).reshape(1, 4, 1, 3).transpose(0, 2, 1, 3)
    att = np.einsum("bhtd,bhsd->bhts", q, k) / math.sqrt(3)
    att = np.where(np.tril(np.ones((4, 4))) == 0, float("-inf"), att)
    att = np.exp(att - att.max(-1, keepdims=True))
    att /= att.sum(-1, keepdims=True)
    return np.sum((att @ q).transpose(0, 2, 1, 3).reshape(1, 4, 3) ** 2)


def losses(w):
    p = 1 / (1 + np.exp(-w[:6]))
    y = np.array([1, 0, 1, 1, 0, 0])
    pt = np.where(y == 1, p, 1 - p)
    focal = -np.sum(0.25 * (1 - pt) ** 2 * np.log(pt))
    r = 2 * w[6:12]
    huber = np.sum(np.where(np.abs(r) <= 1.0, 0.5 * r**2, np.abs(r) - 0.5))
    a, pos, neg = w[:3], w[3:6], w[6:9]
    triplet = np.maximum(0, np.sum((a - pos) ** 2) - np.sum((a - neg) ** 2) + 1.0)
    s = w[:12].reshape(4, 3)
    lab = np.array([0, 2, 1, 1])
    m = np.maximum(0, s - s[np.arange(4), lab][:, None] + 1.0)
    m[np.arange(4), lab] = 0
    inter = np.sum(p * y)
    dice = 1 - (2 * inter + 1) / (p.sum() + y.sum() + 1)
    return focal + huber + triplet + m.sum() / 4 + dice


def kmeans_soft(w):
    x = np.array([[0.0, 0], [1, 1], [0.5, 2], [2, 0.3]])
    d = ((x[:, None, :] - w[:4].reshape(2, 2)[None]) ** 2).sum(-1)
    r = np.exp(-d)
    r /= r.sum(1, keepdims=True)
    return np.sum(r * d)


def pca_svd_eigh(w):
    xc = w[:12].reshape(4, 3) - w[:12].reshape(4, 3).mean(0)
    u, s, vt = np.linalg.svd(xc, full_matrices=False)
    rec = u[:, :2] * s[:2] @ vt[:2]
    ev, v = np.linalg.eigh(xc.T @ xc)
    p = v[:, -2:]
    return np.sum((xc - rec) ** 2) + s[0] + np.sum((xc @ p @ p.T - xc) ** 2) + ev[-1]


def logreg_logaddexp(w):
    x = np.array([[1.0, 2], [0.5, -1], [-1, 0.3], [2, 2]])
    y = np.array([1, 0, 0, 1.0])
    z = x @ w[:2] + w[2]
    return np.sum(np.logaddexp(0, z) - y * z) + 0.1 * w[:2] @ w[:2]


class _Adam:
    def __init__(self, lr=0.1, b1=0.9, b2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        self.m, self.v, self.t = {}, {}, 0

    def update(self, params, grads):
        self.t += 1
        for k, g in grads.items():
            self.m[k] = self.b1 * self.m.get(k, 0.0) + (1 - self.b1) * g
            self.v[k] = self.b2 * self.v.get(k, 0.0) + (1 - self.b2) * g * g
            mh = self.m[k] / (1 - self.b1**self.t)
            vh = self.v[k] / (1 - self.b2**self.t)
            params[k] = params[k] - self.lr * mh / (np.sqrt(vh) + self.eps)


def adam_class_unrolled(w):
    params = {"x": w[:2].copy()}
    opt = _Adam()
    for _ in range(4):
        opt.update(params, {"x": 2 * params["x"] * w[2:4]})
    return np.sum(params["x"] ** 2)


def td_lambda(w):
    v, r = w[:6], np.array([0.0, 1, 0, 0.5, 0, 1])
    g = np.zeros(6)
    nxt = 0.0
    for t in reversed(range(6)):
        nxt = r[t] + 0.9 * (0.2 * (v[t + 1] if t + 1 < 6 else 0.0) + 0.8 * nxt)
        g[t] = nxt
    return np.sum((g - v) ** 2)


def sinkhorn(w):
    c = (w[:3, None] - w[None, 3:6]) ** 2
    k = np.exp(-c / 0.5)
    u = np.ones(3)
    for _ in range(30):
        v = (np.ones(3) / 3) / (k.T @ u)
        u = (np.ones(3) / 3) / (k @ v)
    return np.sum(u[:, None] * k * v[None] * c)


def segment_means(w):
    labels = np.array([3, 1, 3, 7, 1, 1])
    u, inv = np.unique(labels, return_inverse=True)
    means = np.zeros(len(u))
    np.add.at(means, inv, w[:6])
    means /= np.bincount(inv)
    s = np.bincount(inv, weights=w[6:12] ** 2, minlength=4)
    return np.sum((w[:6] - means[inv]) ** 2) + s[1] * s[0]


def python_corners(w):
    y = w[:5].copy()
    y[[0, 0, 1]] += w[5:8]
    best, arg = float("inf"), 0.0
    for v in y:
        if v**2 < best:
            best, arg = v**2, v
    pts = [(y[i], y[i] ** 2) for i in range(5)]
    s = sorted(list(y), key=lambda t: -t)
    out = math.fsum(v**2 for v in y) + sum((v * v for v in w[8:12]), 1.5)
    out += min(pts, key=lambda p: p[1])[0] * 3 + s[0] * s[-1] + best + 2 * arg
    return out + sum(divmod(float(w[12]) * 3.7, 1.0)) * w[13] + (w[14] % 0.4) ** 2


CASES = [
    Case(mlp_layers, (W16,), (0,), extra="hvp"),
    Case(mlp_fstring_params, (W16,), (0,), extra="hvp"),
    Case(xent_label_smoothing, (W16,), (0,), extra="hvp"),
    Case(batch_layer_norm, (W16,), (0,), extra="hvp"),
    Case(dropout_fixed, (W16,), (0,), extra="hvp"),
    Case(conv1d_loop_and_windows, (W16,), (0,), extra="hvp"),
    Case(conv2d_pad, (W16,), (0,), extra="hvp"),
    Case(im2col_conv, (W16,), (0,), extra="hvp"),
    Case(maxpool_argmax, (W16,), (0,), extra="hvp"),
    Case(gru, (W16,), (0,), extra="hvp"),
    Case(masked_mha, (W16,), (0,), extra="hvp"),
    Case(losses, (W16,), (0,), extra="hvp"),
    Case(kmeans_soft, (W16,), (0,), extra="hvp"),
    Case(pca_svd_eigh, (W16,), (0,), extra="hvp"),
    Case(logreg_logaddexp, (W16,), (0,), extra="hvp"),
    Case(adam_class_unrolled, (W16,), (0,), extra="hvp"),
    Case(td_lambda, (W16,), (0,), extra="hvp"),
    Case(sinkhorn, (W16,), (0,), extra="hvp"),
    Case(segment_means, (W16,), (0,), extra="hvp"),
    Case(python_corners, (W16,), (0,), extra="hvp"),
]
