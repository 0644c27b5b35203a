"""Ported cases (session 46, hunt46b): course and textbook code written as students and
tutorials write it, which srcad gets right (fwd, rev, hvp): cs231n-style losses
(``softmax_loss_naive`` with loops over samples and classes, the vectorized softmax and SVM
losses with ``np.maximum`` margins and the correct class zeroed by fancy indexing, a two-layer
net, batchnorm in train and test mode updating ``bn_param``'s running averages, layernorm by
transposes, ``conv_forward_naive`` with four loops and ``np.pad``, ``max_pool_forward_naive``,
``rnn_forward`` storing ``h[:, t, :]``, ``word_embedding_forward`` ``W[x]`` with repeated
indices, a temporal softmax loss with a mask, an LSTM by gate slices), hand-written backward
passes differentiated again (``dscores[range(N), y] -= 1``, ``dh[h <= 0] = 0``, ``np.add.at``),
min-char-rnn's ``lossFun`` (dicts keyed by t, ``hs[-1] = np.copy(hprev)``, ``np.clip(.., out=)``),
Andrew Ng's L-layer model (``parameters['W' + str(layer)]``, caches lists, ``relu_backward`` by
``np.array(dA, copy=True)``, three steps of gradient descent), d2l's masked softmax and
additive attention, scikit-learn-style losses (elastic-net logistic regression with sample
weights, Huber, Tweedie deviances, ridge by ``np.linalg.solve``, a GP marginal likelihood by
Cholesky, t-SNE's KL with ``np.fill_diagonal``, NMF, a Gaussian mixture by ``logsumexp``), and
the squares session 46 fixed: ``lam * n * n`` of a norm and ``np.exp(-(r / ell) ** 2)`` at 0.

Float64 arrays -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logsumexp, xlogy

from . import Case


def _det(shape, a=1.7, b=0.3, s=1.0):
    n = int(np.prod(shape))
    return s * np.sin(np.arange(n) * a + b).reshape(shape)


X5 = _det((5, 4), 1.3, 0.2)
Y5 = np.array([0, 2, 1, 2, 0])
W43 = _det((4, 3), 0.9, 0.4, 0.5)


def softmax_loss_naive(W, X, y, reg):
    loss = 0.0
    num_train = X.shape[0]
    for i in range(num_train):
        scores = X[i].dot(W)
        scores -= np.max(scores)
        exp_scores = np.exp(scores)
        loss += -scores[y[i]] + np.log(np.sum(exp_scores))
    loss /= num_train
    loss += reg * np.sum(W * W)
    return loss


def svm_softmax_vectorized(W, X, y, reg):
    n = X.shape[0]
    scores = X.dot(W)
    correct = scores[np.arange(n), y].reshape(-1, 1)
    margins = np.maximum(0, scores - correct + 1)
    margins[np.arange(n), y] = 0
    svm = np.sum(margins) / n
    s = scores - np.max(scores, axis=1, keepdims=True)
    probs = np.exp(s) / np.sum(np.exp(s), axis=1, keepdims=True)
    soft = -np.sum(np.log(probs[np.arange(n), y])) / n
    return svm + soft + 0.5 * reg * np.sum(W**2)


def two_layer_backprop(W1, X, y, reg):
    W2 = _det((W1.shape[1], 3), 0.7, 0.1, 0.6)
    b1 = np.full(W1.shape[1], 0.05)
    N = X.shape[0]
    h = np.maximum(0, X @ W1 + b1)
    scores = h @ W2
    scores -= np.max(scores, axis=1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[range(N), y])) + 0.5 * reg * np.sum(W1**2)
    dscores = probs
    dscores[range(N), y] -= 1
    dscores /= N
    grads = {"W2": h.T.dot(dscores)}
    dh = dscores.dot(W2.T)
    dh[h <= 0] = 0
    grads["W1"] = X.T.dot(dh) + reg * W1
    return loss + sum(np.sum(g**2) for g in grads.values())


def _batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    if mode == "train":
        mu = np.mean(x, axis=0)
        var = np.var(x, axis=0)
        out = gamma * (x - mu) / np.sqrt(var + eps) + beta
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        out = (x - running_mean) / np.sqrt(running_var + eps) * gamma + beta
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, None


def batchnorm_layernorm(x, gamma, beta):
    bn_param = {"mode": "train"}
    out, _ = _batchnorm_forward(x, gamma, beta, bn_param)
    out2, _ = _batchnorm_forward(2.0 * x, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    out3, _ = _batchnorm_forward(x, gamma, beta, bn_param)
    xt = x.T
    ln = ((xt - np.mean(xt, axis=0)) / np.sqrt(np.var(xt, axis=0) + 1e-5)).T * gamma + beta
    return np.sum(np.tanh(out)) + np.sum(out2 * out3) * 0.1 + np.sum(ln**3)


def _conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    out = np.zeros((N, F, H_out, W_out))
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride : i * stride + HH, j * stride : j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, conv_param)


def _max_pool_forward_naive(x, pool_param):
    N, C, H, W = x.shape
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    out = np.zeros((N, C, 1 + (H - ph) // s, 1 + (W - pw) // s))
    for n in range(N):
        for c in range(C):
            for i in range(out.shape[2]):
                for j in range(out.shape[3]):
                    out[n, c, i, j] = np.max(x[n, c, i * s : i * s + ph, j * s : j * s + pw])
    return out, (x, pool_param)


def conv_relu_pool(w, x):
    out, _ = _conv_forward_naive(x, w, np.array([0.1, -0.2]), {"stride": 1, "pad": 1})
    p, _ = _max_pool_forward_naive(np.maximum(out, 0), {"pool_height": 2, "pool_width": 2,
                                                        "stride": 2})  # fmt: skip
    return np.sum(p * _det(p.shape, 0.5, 0.2))


def _rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    prev_h = h0
    for t in range(T):
        prev_h = np.tanh(x[:, t, :].dot(Wx) + prev_h.dot(Wh) + b)
        h[:, t, :] = prev_h
    return h, None


def captioning_loss(W_embed, captions, features):
    Hd, V = 4, W_embed.shape[0]
    W_proj = _det((features.shape[1], Hd), 0.8, 0.1, 0.4)
    Wx = _det((W_embed.shape[1], Hd), 1.1, 0.3, 0.4)
    Wh = _det((Hd, Hd), 0.6, 0.5, 0.4)
    W_vocab = _det((Hd, V), 1.4, 0.2, 0.4)
    captions_in, captions_out = captions[:, :-1], captions[:, 1:]
    mask = captions_out != 0
    h0 = features.dot(W_proj)
    x = W_embed[captions_in, :]
    h, _ = _rnn_forward(x, h0, Wx, Wh, np.zeros(Hd))
    N, T, _ = h.shape
    scores = h.reshape(N * T, Hd).dot(W_vocab).reshape(N, T, V)
    flat = scores.reshape(N * T, V)
    probs = np.exp(flat - np.max(flat, axis=1, keepdims=True))
    probs /= np.sum(probs, axis=1, keepdims=True)
    yf = captions_out.reshape(N * T)
    return -np.sum(mask.reshape(N * T) * np.log(probs[np.arange(N * T), yf])) / N


def lstm_forward_loss(Wx, x, h0):
    N, T, D = x.shape
    H = h0.shape[1]
    Wh = _det((H, 4 * H), 0.9, 0.7, 0.3)
    h = np.zeros((N, T, H))
    prev_h, c = h0, np.zeros_like(h0)
    for t in range(T):
        a = x[:, t, :].dot(Wx) + prev_h.dot(Wh)
        i, f = expit(a[:, :H]), 1 / (1 + np.exp(-a[:, H : 2 * H]))
        o, g = expit(a[:, 2 * H : 3 * H]), np.tanh(a[:, 3 * H :])
        c = f * c + i * g
        prev_h = o * np.tanh(c)
        h[:, t, :] = prev_h
    return np.sum(h * _det(h.shape, 0.3, 0.9))


VOCAB, HIDDEN = 5, 4


def min_char_rnn(Wxh, inputs, targets, hprev):
    Whh = _det((HIDDEN, HIDDEN), 0.7, 0.2, 0.3)
    Why = _det((VOCAB, HIDDEN), 1.9, 0.6, 0.3)
    bh, by = np.zeros((HIDDEN, 1)), np.zeros((VOCAB, 1))
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.copy(hprev)
    loss = 0
    for t in range(len(inputs)):
        xs[t] = np.zeros((VOCAB, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)
        ys = np.dot(Why, hs[t]) + by
        ps[t] = np.exp(ys) / np.sum(np.exp(ys))
        loss += -np.log(ps[t][targets[t], 0])
    dWhh, dWxh = np.zeros_like(Whh), np.zeros_like(Wxh)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dh = np.dot(Why.T, dy) + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dWxh += np.dot(dhraw, xs[t].T)
        dWhh += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    for dparam in [dWxh, dWhh]:
        np.clip(dparam, -0.5, 0.5, out=dparam)
    return loss + 0.1 * np.sum(dWhh**2) + 0.05 * np.sum(dWxh**2)


def _relu_backward(dA, Z):
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def _L_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for layer in range(1, L):
        A_prev = A
        Z = np.dot(parameters["W" + str(layer)], A_prev) + parameters["b" + str(layer)]
        A = np.maximum(0, Z)
        caches.append(((A_prev, parameters["W" + str(layer)]), Z))
    Z = np.dot(parameters[f"W{L}"], A) + parameters[f"b{L}"]
    caches.append(((A, parameters[f"W{L}"]), Z))
    return 1 / (1 + np.exp(-Z)), caches


def _cost(AL, Y):
    m = Y.shape[1]
    cost = (1.0 / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))
    return np.squeeze(cost)


def _L_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for layer in reversed(range(L)):
        (A_prev, W), Z = caches[layer]
        if layer == L - 1:
            s = 1 / (1 + np.exp(-Z))
            dZ = dA * s * (1 - s)
        else:
            dZ = _relu_backward(dA, Z)
        m = A_prev.shape[1]
        grads["dW" + str(layer + 1)] = 1.0 / m * np.dot(dZ, A_prev.T)
        grads["db" + str(layer + 1)] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
        dA = np.dot(W.T, dZ)
    return grads


def ng_L_layer_model(X, Y, learning_rate):
    dims = [X.shape[0], 4, 2, 1]
    parameters = {}
    for layer in range(1, len(dims)):
        parameters["W" + str(layer)] = _det((dims[layer], dims[layer - 1]), 1.1 * layer, 0.3, 0.6)
        parameters["b" + str(layer)] = np.zeros((dims[layer], 1))
    costs = []
    for _ in range(3):
        AL, caches = _L_forward(X, parameters)
        costs.append(_cost(AL, Y))
        grads = _L_backward(AL, Y, caches)
        for layer in range(len(parameters) // 2):
            key = str(layer + 1)
            parameters["W" + key] = parameters["W" + key] - learning_rate * grads["dW" + key]
            parameters["b" + str(layer + 1)] -= learning_rate * grads["db" + str(layer + 1)]
    AL, _ = _L_forward(X, parameters)
    return _cost(AL, Y) + 0.1 * sum(costs)


def _softmax(X):
    X_exp = np.exp(X)
    return X_exp / X_exp.sum(-1, keepdims=True)


def _masked_softmax(X, valid_lens):
    shape = X.shape
    if valid_lens.ndim == 1:
        valid_lens = np.repeat(valid_lens, shape[1])
    else:
        valid_lens = valid_lens.reshape(-1)
    X = X.reshape(-1, shape[-1])
    mask = np.arange(shape[-1])[None, :] < valid_lens[:, None]
    X = np.where(mask, X, -1e6)
    return _softmax(X.reshape(shape))


def additive_attention(Wq, queries, keys, values):
    Wk = _det((keys.shape[-1], Wq.shape[1]), 0.4, 0.1, 0.5)
    wv = _det((Wq.shape[1], 1), 0.8, 0.6)
    features = np.tanh(np.expand_dims(queries @ Wq, axis=2) + np.expand_dims(keys @ Wk, axis=1))
    scores = np.squeeze(features @ wv, -1)
    attention = _masked_softmax(scores, np.array([2, 3]))
    d = queries.shape[-1]
    dot = _masked_softmax(queries @ Wq @ (keys @ Wk).transpose(0, 2, 1) / np.sqrt(d),
                          np.array([[1, 3], [2, 4]]))  # fmt: skip
    return np.sum(np.matmul(attention, values) ** 2) + np.sum(dot @ values)


def sklearn_losses(w, X, y, sw):
    c, coef = w[-1], w[:-1]
    z = X @ coef + c
    ypm = 2 * y - 1
    logistic = -np.sum(sw * np.log(expit(ypm * z)))
    logistic += 0.5 * 0.3 * 0.5 * coef @ coef + 0.3 * 0.5 * np.sum(np.abs(coef))
    hinge = np.sum(np.maximum(0, 1 - ypm * z) ** 2)
    mu = np.exp(0.3 * z)
    yp = y + 0.5
    poisson = np.average(2 * (xlogy(yp, yp / mu) - yp + mu), weights=sw)
    gamma = np.mean(2 * (np.log(mu / yp) + yp / mu - 1))
    p = 1.5
    tweedie = np.mean(2 * (np.power(yp, 2 - p) / ((1 - p) * (2 - p))
                           - yp * np.power(mu, 1 - p) / (1 - p) + np.power(mu, 2 - p) / (2 - p)))  # fmt: skip
    return logistic + hinge + poisson + gamma + tweedie


def huber_regressor(w, X, y):
    epsilon, alpha = 1.35, 0.01
    sigma = w[-1]
    coef = w[: X.shape[1]]
    linear_loss = y - X @ coef
    outliers_mask = np.abs(linear_loss) > epsilon * sigma
    outliers = np.abs(linear_loss)[outliers_mask]
    num_outliers = np.count_nonzero(outliers_mask)
    outlier_loss = 2.0 * epsilon * np.sum(outliers) - sigma * num_outliers * epsilon**2
    non_outliers = linear_loss[~outliers_mask]
    loss = X.shape[0] * sigma + np.dot(non_outliers.T, non_outliers) / sigma + outlier_loss
    return loss + alpha * np.dot(coef, coef)


def ridge_gp_krr(theta, X, y):
    ell, sf, sn = np.exp(theta)
    A = X.T @ X + sn * np.eye(X.shape[1])
    coef = np.linalg.solve(A, X.T @ y)
    resid = y - X @ coef
    sq = np.sum(X**2, 1)[:, None] + np.sum(X**2, 1)[None, :] - 2 * X @ X.T
    K = sf**2 * np.exp(-0.5 * sq / ell**2) + (sn**2 + 1e-8) * np.eye(X.shape[0])
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    nll = 0.5 * y @ alpha + np.sum(np.log(np.diag(L)))
    dual = np.linalg.solve(K + 0.1 * np.eye(len(X)), y)
    return resid @ resid + nll + np.sum(K[:2] @ dual)


def tsne_nmf_gmm(Y, P, Xn):
    dist = np.sum((Y[:, None, :] - Y[None, :, :]) ** 2, axis=-1)
    num = 1.0 / (1.0 + dist)
    np.fill_diagonal(num, 0.0)
    Q = np.maximum(num / num.sum(), np.finfo(float).eps)
    Pc = np.maximum(P, 1e-12)
    kl = np.sum(Pc * (np.log(Pc) - np.log(Q)))
    W = np.abs(Y) + 0.1
    H = np.abs(Y[:2].T) + 0.2
    nmf = 0.5 * np.linalg.norm(Xn - W @ H, "fro") ** 2
    d2 = ((Xn[:, None, :2] - Y[None, :3]) ** 2).sum(-1)
    lp = -0.5 * d2 / 0.7 - np.log(2 * np.pi * 0.7) + np.log(np.array([0.2, 0.5, 0.3]))
    return kl + nmf + np.sum(logsumexp(lp, axis=1))


def penalties_at_zero(w, lam):
    n = np.linalg.norm(w)
    r = np.linalg.norm(w - 0.0) / lam
    return lam * n * n + np.exp(-((n / lam) ** 2)) + np.exp(-r * r) + np.sum(np.sin(w))


_A = np.abs(_det((5, 5), 0.7, 0.2)) + 0.1
P_TSNE = _A + _A.T
np.fill_diagonal(P_TSNE, 0.0)
P_TSNE = P_TSNE / P_TSNE.sum()

CASES = [
    Case(softmax_loss_naive, (W43, X5, Y5, 0.1), (0,), extra="hvp"),
    Case(svm_softmax_vectorized, (W43, X5, Y5, 0.1), (0,), extra="hvp"),
    Case(two_layer_backprop, (_det((4, 5), 1.1, 0.2, 0.5), X5, Y5, 0.05), (0,), extra="hvp"),
    Case(
        batchnorm_layernorm,
        (_det((4, 3), 0.7, 0.5, 1.5), _det((3,), 0.4, 1.0), _det((3,), 0.9, 0.1)),
        (0, 1, 2),
        extra="hvp",
    ),  # fmt: skip
    Case(
        conv_relu_pool,
        (_det((2, 1, 3, 3), 0.9, 0.1, 0.5), _det((1, 1, 4, 4), 1.9, 0.3)),
        (0, 1),
        extra="hvp",
    ),  # fmt: skip
    Case(
        captioning_loss,
        (
            _det((5, 3), 1.2, 0.4),
            np.array([[1, 3, 3, 2, 0], [1, 4, 0, 0, 0]]),
            _det((2, 3), 0.5, 0.5),
        ),
        (0, 2),
        extra="hvp",
    ),  # fmt: skip
    Case(
        lstm_forward_loss,
        (_det((3, 8), 1.3, 0.1, 0.4), _det((2, 3, 3), 0.7, 0.2), _det((2, 2), 2.3, 0.4)),
        (0, 1, 2),
        extra="hvp",
    ),  # fmt: skip
    Case(
        min_char_rnn,
        (
            _det((HIDDEN, VOCAB), 0.6, 0.3, 0.3),
            [0, 1, 2, 2, 3],
            [1, 2, 2, 3, 4],
            _det((HIDDEN, 1), 1.0, 0.2, 0.1),
        ),
        (0, 3),
        extra="hvp",
    ),  # fmt: skip
    Case(
        ng_L_layer_model,
        (_det((3, 5), 1.7, 0.9), np.array([[1.0, 0, 1, 1, 0]]), 0.5),
        (0, 2),
        extra="hvp",
    ),  # fmt: skip
    Case(
        additive_attention,
        (
            _det((3, 5), 0.3, 0.2, 0.6),
            _det((2, 2, 3), 1.5, 0.1),
            _det((2, 4, 2), 0.2, 0.7),
            _det((2, 4, 3), 0.8, 0.8),
        ),
        (0, 1, 2, 3),
        extra="hvp",
    ),  # fmt: skip
    Case(
        sklearn_losses,
        (
            _det((4,), 0.8, 0.3, 0.4),
            X5[:, :3].copy(),
            np.array([1.0, 0.0, 1.0, 1.0, 0.0]),
            np.linspace(0.5, 1.5, 5),
        ),
        (0,),
        extra="hvp",
    ),  # fmt: skip
    Case(
        huber_regressor,
        (
            np.array([0.8, -1.5, 0.2, 1.0]),
            X5[:, :3].copy(),
            X5[:, :3] @ np.array([1.0, -2.0, 0.5]) + np.array([0.1, -0.2, 5.0, 0.0, 0.3]),
        ),
        (0,),
        extra="hvp",
    ),  # fmt: skip
    Case(
        ridge_gp_krr,
        (np.array([0.1, 0.2, -1.0]), X5[:, :3].copy(), _det((5,), 0.6, 0.1)),
        (0, 1, 2),
        extra="hvp",
    ),  # fmt: skip
    Case(
        tsne_nmf_gmm,
        (_det((5, 2), 1.1, 0.6), P_TSNE, np.abs(_det((5, 2), 0.5, 0.5)) + 0.1),
        (0,),
        extra="hvp",
    ),  # fmt: skip
    Case(penalties_at_zero, (np.zeros(3), 0.7), (0, 1), extra="hvp"),
    Case(
        penalties_at_zero,
        (_det((3,), 0.5, 0.3), 0.7),
        (0, 1),
        name="ported_corp46_course.penalties_away",
    ),
]
