"""Ported cases (session 28, corp28), written anew as user code after the CS231n assignments'
naive layers (cs231n/layers.py, rnn_layers.py, classifiers/linear_svm.py, softmax.py,
fc_net.py, cnn.py as students complete them): ``affine_forward`` reshaping ``x`` to rows,
``relu_forward``, ``conv_forward_naive`` (``np.pad`` then four nested loops writing
``out[n, f, i, j]``), ``max_pool_forward_naive``, ``svm_loss_naive`` (loops over classes with
``if j == y[i]: continue`` and ``if margin > 0``) and its vectorised twin, ``softmax_loss_naive``
(shifted scores per row) and vectorised, ``batchnorm_forward`` in train mode with its running
averages, ``layernorm_forward``, ``spatial_batchnorm_forward`` through a transpose/reshape,
``spatial_groupnorm_forward``, ``dropout_forward`` with a seeded mask, ``rnn_step_forward`` /
``rnn_forward`` filling ``h[:, t, :]``, ``lstm_step_forward`` slicing the gate block,
``word_embedding_forward``, ``temporal_affine_forward`` and the masked
``temporal_softmax_loss``, the two-layer net's loss with L2 regularisation and the
three-layer convnet's loss (conv - relu - 2x2 max pool - affine - relu - affine - softmax).

Float weights / inputs -> float scalar losses (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(28001)
Y5 = np.array([0, 2, 1, 2, 0])
XIMG = np.round(R.normal(size=(2, 2, 5, 5)), 3)
XSEQ = np.round(R.normal(size=(2, 3, 4)) * 0.6, 3)


def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1).dot(w) + b
    cache = (x, w, b)
    return out, cache


def relu_forward(x):
    out = np.maximum(0, x)
    return out, x


def softmax_loss(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    Z = np.sum(np.exp(shifted), axis=1, keepdims=True)
    log_probs = shifted - np.log(Z)
    N = x.shape[0]
    loss = -np.sum(log_probs[np.arange(N), y]) / N
    return loss


def svm_loss(x, y):
    N = x.shape[0]
    correct = x[np.arange(N), y]
    margins = np.maximum(0, x - correct[:, np.newaxis] + 1.0)
    margins[np.arange(N), y] = 0
    return np.sum(margins) / N


def affine_loss(x, w, b):
    """cs231n/layers.py affine_forward (an image batch flattened to rows) + softmax_loss."""
    out, _ = affine_forward(x, w, b)
    return softmax_loss(out, np.array([1, 0]))


def svm_loss_naive(W, X, y, reg):
    """cs231n/classifiers/linear_svm.py: the loops over training examples and classes."""
    num_classes = W.shape[1]
    num_train = X.shape[0]
    loss = 0.0
    for i in range(num_train):
        scores = X[i].dot(W)
        correct_class_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct_class_score + 1  # note delta = 1
            if margin > 0:
                loss += margin
    loss /= num_train
    loss += reg * np.sum(W * W)
    return loss


def svm_loss_vectorized(W, X, y, reg):
    """cs231n/classifiers/linear_svm.py, vectorised."""
    scores = X.dot(W)
    num_train = X.shape[0]
    correct = scores[np.arange(num_train), y].reshape(-1, 1)
    margins = np.maximum(0, scores - correct + 1)
    margins[np.arange(num_train), y] = 0
    loss = np.sum(margins) / num_train
    return loss + reg * np.sum(W * W)


def softmax_loss_naive(W, X, y, reg):
    """cs231n/classifiers/softmax.py: per example, shifted scores for numeric stability."""
    loss = 0.0
    num_train = X.shape[0]
    for i in range(num_train):
        f = X[i].dot(W)
        f -= np.max(f)
        p = np.exp(f) / np.sum(np.exp(f))
        loss += -np.log(p[y[i]])
    loss /= num_train
    loss += 0.5 * reg * np.sum(W * W)
    return loss


def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    f = X.dot(W)
    f -= f.max(axis=1, keepdims=True)
    p = np.exp(f) / np.exp(f).sum(axis=1, keepdims=True)
    loss = np.sum(-np.log(p[np.arange(num_train), y])) / num_train
    return loss + 0.5 * reg * np.sum(W * W)


def conv_forward_naive(x, w, b, conv_param):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    stride, pad = conv_param["stride"], conv_param["pad"]
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride : i * stride + HH, j * stride : j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    cache = (x, w, b, conv_param)
    return out, cache


def max_pool_forward_naive(x, pool_param):
    N, C, H, W = x.shape
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    H_out = 1 + (H - ph) // s
    W_out = 1 + (W - pw) // s
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    out[n, c, i, j] = np.max(x[n, c, i * s : i * s + ph, j * s : j * s + pw])
    return out, (x, pool_param)


def conv_loss(w, b):
    """cs231n/layers.py conv_forward_naive (stride 1, pad 1): a weighted sum of the outputs."""
    out, _ = conv_forward_naive(XIMG, w, b, {"stride": 1, "pad": 1})
    return np.sum(out * np.cos(np.arange(out.size)).reshape(out.shape))


def conv_stride2_loss(x, w):
    out, _ = conv_forward_naive(x, w, np.array([0.1, -0.2]), {"stride": 2, "pad": 1})
    return np.sum(out**2)


def max_pool_loss(x):
    out, _ = max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    return np.sum(out * out) + out.mean()


def three_layer_convnet_loss(W1, W2, W3):
    """cs231n/classifiers/cnn.py ThreeLayerConvNet.loss: conv - relu - 2x2 max pool - affine -
    relu - affine - softmax, with 0.5 * reg * sum(W**2) over the three weights."""
    b1, b2, b3 = np.zeros(W1.shape[0]), np.zeros(W2.shape[1]), np.zeros(W3.shape[1])
    filter_size = W1.shape[2]
    conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}
    pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    a, _ = conv_forward_naive(XIMG[:, :, :4, :4], W1, b1, conv_param)
    r, _ = relu_forward(a)
    p, _ = max_pool_forward_naive(r, pool_param)
    h, _ = affine_forward(p, W2, b2)
    h, _ = relu_forward(h)
    scores, _ = affine_forward(h, W3, b3)
    loss = softmax_loss(scores, np.array([2, 0]))
    reg = 0.01
    for W in [W1, W2, W3]:
        loss += 0.5 * reg * np.sum(W * W)
    return loss


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    if mode == "train":
        sample_mean = x.mean(axis=0)
        sample_var = x.var(axis=0)
        x_hat = (x - sample_mean) / np.sqrt(sample_var + eps)
        out = gamma * x_hat + beta
        running_mean = momentum * running_mean + (1 - momentum) * sample_mean
        running_var = momentum * running_var + (1 - momentum) * sample_var
    elif mode == "test":
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    else:
        raise ValueError(f'Invalid forward batchnorm mode "{mode}"')
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, None


def batchnorm_loss(x, gamma, beta):
    """cs231n/layers.py batchnorm_forward, train then test mode on the same bn_param dict."""
    bn_param = {"mode": "train"}
    out, _ = batchnorm_forward(x, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    out2, _ = batchnorm_forward(x[:2] * 1.5, gamma, beta, bn_param)
    return np.sum(np.tanh(out) * np.arange(out.size).reshape(out.shape)) + np.sum(out2**2)


def layernorm_forward(x, gamma, beta, ln_param):
    eps = ln_param.get("eps", 1e-5)
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, None


def layernorm_loss(x, gamma):
    out, _ = layernorm_forward(x, gamma, np.full(x.shape[1], 0.1), {})
    return np.sum(out**3) / x.shape[0]


def spatial_batchnorm_loss(x, gamma):
    """cs231n spatial_batchnorm_forward: (N, C, H, W) -> (N*H*W, C) rows through
    batchnorm_forward and back."""
    N, C, H, W = x.shape
    x_flat = x.transpose(0, 2, 3, 1).reshape(-1, C)
    out, _ = batchnorm_forward(x_flat, gamma, np.zeros(C), {"mode": "train"})
    out = out.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    return np.sum(out * XIMG[:, :, :3, :3])


def spatial_groupnorm_loss(x, gamma, beta):
    """cs231n spatial_groupnorm_forward with G = 2 groups of channels."""
    N, C, H, W = x.shape
    G = 2
    eps = 1e-5
    xg = x.reshape(N, G, C // G, H, W)
    mean = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    x_hat = ((xg - mean) / np.sqrt(var + eps)).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    return np.sum(out * np.sin(np.arange(out.size)).reshape(out.shape))


def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p) / p
        out = x * mask
    elif mode == "test":
        out = x
    out = out.astype(x.dtype, copy=False)
    return out, (dropout_param, mask)


def dropout_loss(x, w):
    """cs231n dropout_forward (inverted dropout, ``np.random.seed`` from the param dict)."""
    h, _ = relu_forward(x @ w)
    h, _ = dropout_forward(h, {"mode": "train", "p": 0.7, "seed": 123})
    return np.sum(h**2)


W43 = np.round(R.normal(size=(4, 3)) * 0.5, 3)
X54 = np.round(R.normal(size=(5, 4)), 3)
CONV_W = np.round(R.normal(size=(2, 2, 3, 3)) * 0.4, 3)


CASES = [
    Case(
        affine_loss,
        (XIMG[:, :, :2, :2] * 0.5, R.normal(size=(8, 3)) * 0.5, np.zeros(3)),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(svm_loss_naive, (W43, X54, Y5, 0.05), (0, 1, 3), extra="hvp"),
    Case(svm_loss_vectorized, (W43, X54, Y5, 0.05), (0, 1, 3), extra="hvp"),
    Case(softmax_loss_naive, (W43, X54, Y5, 0.1), (0, 1, 3), extra="hvp"),
    Case(softmax_loss_vectorized, (W43, X54, Y5, 0.1), (0, 1, 3), extra="hvp"),
    Case(conv_loss, (CONV_W, np.array([0.1, -0.2])), (0, 1), extra="hvp"),
    Case(conv_stride2_loss, (XIMG, CONV_W), (0, 1), extra="hvp"),
    Case(max_pool_loss, (XIMG[:, :, :4, :4],), (0,), extra="hvp"),
    Case(
        three_layer_convnet_loss,
        (
            CONV_W * 0.7,
            np.round(R.normal(size=(8, 3)) * 0.4, 3),
            np.round(R.normal(size=(3, 3)), 3),
        ),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        batchnorm_loss,
        (X54, np.array([1.0, 0.8, 1.2, 0.9]), np.full(4, 0.1)),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(layernorm_loss, (X54, np.array([1.0, 0.8, 1.2, 0.9])), (0, 1), extra="hvp"),
    Case(
        spatial_batchnorm_loss,
        (XIMG[:, :, :3, :3], np.array([1.1, 0.7])),
        (0, 1),
        extra="hvp",
    ),
    Case(
        spatial_groupnorm_loss,
        (
            np.round(R.normal(size=(2, 4, 2, 2)), 3),
            np.array([1.0, 0.9, 1.1, 1.2]).reshape(1, 4, 1, 1),
            0.1,
        ),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(dropout_loss, (X54, W43), (0, 1)),
]
