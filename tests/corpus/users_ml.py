"""ML code the way users write it: losses, layers, attention, small nets (soundness hunt B).

Each function is checked by tests/corpus/test_corpus.py against central finite differences,
forward and reverse; cases with ``extra="hvp"`` are also checked at second order
(tests/soundness/test_users_hunt.py).
"""

from __future__ import annotations

import math

import numpy as np

from . import Case

_R = np.random.default_rng(7)
N, D, C = 5, 3, 4
XS = _R.standard_normal((N, D))
YI = np.array([0, 3, 1, 2, 1])
YF = _R.standard_normal(N)
YB = (YF > 0).astype(float)
W0 = 0.3 * _R.standard_normal((D, C))
EPS = 1e-5


def xent_int_labels(W, X, y):
    logits = X @ W
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    n = X.shape[0]
    return -np.mean(logp[np.arange(n), y])


def xent_label_smoothing(W, X, y, smooth=0.1):
    logits = X @ W
    n, k = logits.shape
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0
    target = onehot * (1 - smooth) + smooth / k
    m = np.max(logits, axis=-1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(logits - m), axis=-1, keepdims=True))
    return -(target * (logits - lse)).sum() / n


def focal_loss(w, X, y, gamma=2.0, alpha=0.25):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    pt = np.where(y == 1, p, 1 - p)
    at = np.where(y == 1, alpha, 1 - alpha)
    return np.mean(-at * (1 - pt) ** gamma * np.log(pt + 1e-12))


def hinge_loss(w, X, y):
    margins = 1 - (2 * y - 1) * (X @ w)
    return np.maximum(0.0, margins).mean() + 0.01 * np.dot(w, w)


def huber(r, delta=0.5):
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta)).sum()


def smooth_l1(pred, target, beta=1.0):
    diff = np.abs(pred - target)
    loss = np.where(diff < beta, 0.5 * diff**2 / beta, diff - 0.5 * beta)
    return loss.mean()


def layernorm(x, gamma, beta):
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    xhat = (x - mu) / np.sqrt(var + EPS)
    return (gamma * xhat + beta).sum(axis=0)


def batchnorm_train(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=0)
    var = np.mean((x - mean) ** 2, axis=0)
    xn = (x - mean) / np.sqrt(var + eps)
    out = gamma * xn + beta
    return np.sum(out**2) / x.shape[0]


def attention(Q, K, V):
    d = Q.shape[-1]
    scores = Q @ K.T / np.sqrt(d)
    scores = scores - scores.max(axis=-1, keepdims=True)
    w = np.exp(scores)
    w = w / w.sum(axis=-1, keepdims=True)
    return w @ V


def causal_attention(Q, K, V):
    T, d = Q.shape
    scores = Q @ K.T / math.sqrt(d)
    mask = np.tril(np.ones((T, T), dtype=bool))
    scores = np.where(mask, scores, -np.inf)
    scores = scores - np.max(scores, axis=1, keepdims=True)
    e = np.exp(scores)
    p = e / e.sum(axis=1, keepdims=True)
    return (p @ V).sum()


def conv1d_loops(x, k):
    n, m = len(x), len(k)
    out = np.zeros(n - m + 1)
    for i in range(n - m + 1):
        out[i] = np.sum(x[i : i + m] * k)
    return out


def conv1d_nested(x, k):
    out = []
    for i in range(len(x) - len(k) + 1):
        acc = 0.0
        for j in range(len(k)):
            acc += x[i + j] * k[j]
        out.append(acc)
    return np.tanh(np.array(out)).sum()


def conv2d_valid(img, ker):
    H, W = img.shape
    kh, kw = ker.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for i in range(H - kh + 1):
        for j in range(W - kw + 1):
            out[i, j] = (img[i : i + kh, j : j + kw] * ker).sum()
    return out


def maxpool2x2(x):
    h, w = x.shape
    return x.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))


def maxpool_loss(x):
    pooled = maxpool2x2(x)
    return (pooled**2).sum()


MASK = (_R.random((N, C)) > 0.3).astype(float)


def dropout_mlp(W, X, mask=MASK, rate=0.3):
    h = np.maximum(X @ W, 0.0)
    h = h * mask / (1 - rate)
    return np.sum(h**2)


def weight_decay(params, lam=1e-2):
    total = 0.0
    for name, p in params.items():
        if name.startswith("b"):
            continue
        total = total + lam * np.sum(p**2)
    return total


def mlp_dict_loss(params, X, y):
    h = np.tanh(X @ params["W1"] + params["b1"])
    out = h @ params["W2"] + params["b2"]
    mse = np.mean((out[:, 0] - y) ** 2)
    return mse + weight_decay(params)


def rnn_loss(Wh, Wx, xs):
    h = np.zeros(Wh.shape[0])
    loss = 0.0
    for x in xs:
        h = np.tanh(Wh @ h + Wx @ x)
        loss += np.sum(h**2)
    return loss


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def gru_cell(Wz, Wr, Wh, xs):
    h = np.zeros(Wz.shape[0])
    for t in range(xs.shape[0]):
        hx = np.concatenate([h, xs[t]])
        z = _sigmoid(Wz @ hx)
        r = _sigmoid(Wr @ hx)
        hc = np.tanh(Wh @ np.concatenate([r * h, xs[t]]))
        h = (1 - z) * h + z * hc
    return h.sum()


def soft_kmeans(centers, X, beta=2.0):
    d2 = ((X[:, None, :] - centers[None, :, :]) ** 2).sum(-1)
    logits = -beta * d2
    logits -= logits.max(axis=1, keepdims=True)
    r = np.exp(logits)
    r /= r.sum(axis=1, keepdims=True)
    return np.sum(r * d2)


def rbf_kernel(X, ls):
    sq = np.sum(X**2, 1).reshape(-1, 1) + np.sum(X**2, 1) - 2 * X @ X.T
    return np.exp(-0.5 * sq / ls**2)


def gp_nll(ls, noise, X, y):
    K = rbf_kernel(X, ls) + noise * np.eye(len(y))
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * len(y) * np.log(2 * np.pi)


def gp_nll_slogdet(ls, noise, X, y):
    K = rbf_kernel(X, ls) + noise * np.eye(len(y))
    sign, logdet = np.linalg.slogdet(K)
    return 0.5 * y @ np.linalg.solve(K, y) + 0.5 * logdet


def logreg_logaddexp(w, b, X, y):
    z = X @ w + b
    return np.sum(np.logaddexp(0.0, -z) * y + np.logaddexp(0.0, z) * (1 - y))


def pca_recon(W, X):
    Xc = X - X.mean(axis=0)
    Z = Xc @ W
    R = Z @ W.T
    return np.linalg.norm(Xc - R) ** 2 / X.shape[0]


def kl_gauss(mu, logvar):
    return -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))


def vae_like(W, X, noise):
    h = X @ W
    mu, logvar = h[:, :2], h[:, 2:]
    z = mu + np.exp(0.5 * logvar) * noise
    return np.sum(z**2) + kl_gauss(mu, logvar)


def contrastive(a, b, temp=0.5):
    an = a / np.linalg.norm(a, axis=1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=1, keepdims=True)
    sim = an @ bn.T / temp
    n = sim.shape[0]
    lse = np.log(np.exp(sim).sum(axis=1))
    return np.mean(lse - sim[np.arange(n), np.arange(n)])


def cosine_sim_loss(a, b):
    return 1 - np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))


def triplet(anchor, pos, neg, margin=1.0):
    dp = np.sum((anchor - pos) ** 2, axis=1)
    dn = np.sum((anchor - neg) ** 2, axis=1)
    return np.maximum(dp - dn + margin, 0).mean()


def bce_with_logits(logits, targets):
    return np.mean(np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits))))


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def mlp_gelu(W1, W2, X):
    return np.sum(gelu(X @ W1) @ W2)


def leaky_relu_net(W, X, slope=0.01):
    z = X @ W
    a = np.where(z > 0, z, slope * z)
    return (a**2).mean()


def softplus_elu(x):
    sp = np.log1p(np.exp(x))
    elu = np.where(x > 0, x, np.exp(x) - 1)
    return sp.sum() + elu.sum()


def log_softmax_rows(z):
    return (
        z
        - np.log(np.sum(np.exp(z - z.max(1, keepdims=True)), 1, keepdims=True))
        - z.max(1, keepdims=True)
    )


def nll_logsoftmax(W, X, y):
    lp = log_softmax_rows(X @ W)
    return -sum(lp[i, y[i]] for i in range(len(y))) / len(y)


def adam_step_loss(w, g, m, v, lr=0.1, b1=0.9, b2=0.999, t=3):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g**2
    mhat = m / (1 - b1**t)
    vhat = v / (1 - b2**t)
    w_new = w - lr * mhat / (np.sqrt(vhat) + 1e-8)
    return np.sum(w_new**2)


def sgd_unrolled(w, X, y, lr=0.05, steps=3):
    for _ in range(steps):
        r = X @ w - y
        g = X.T @ r / len(y)
        w = w - lr * g
    return 0.5 * np.mean((X @ w - y) ** 2)


def embedding_lookup(E, ids, target):
    v = E[ids].mean(axis=0)
    return np.sum((v - target) ** 2)


def topk_mean(x, k=2):
    s = np.sort(x)
    return s[-k:].mean()


def rmsnorm(x, g):
    return g * x / np.sqrt(np.mean(x**2, axis=-1, keepdims=True) + 1e-6)


def mixture_nll(logits, mus, x):
    logw = logits - np.log(np.sum(np.exp(logits)))
    ll = logw[None, :] - 0.5 * (x[:, None] - mus[None, :]) ** 2 - 0.5 * np.log(2 * np.pi)
    m = ll.max(axis=1)
    return -np.sum(m + np.log(np.exp(ll - m[:, None]).sum(axis=1)))


def clip_grad_norm_loss(g, max_norm=1.0):
    n = np.linalg.norm(g)
    scale = min(1.0, max_norm / (n + 1e-6))
    return np.sum((g * scale) ** 3)


def accuracy_weighted(W, X, y):
    logits = X @ W
    pred = np.argmax(logits, axis=1)
    correct = (pred == y).astype(float)
    return np.sum(correct * np.max(logits, axis=1))


X4 = _R.standard_normal((4, 4))
CASES = [
    Case(xent_int_labels, (W0, XS, YI), (0, 1), extra="hvp"),
    Case(xent_label_smoothing, (W0, XS, YI), (0,)),
    Case(focal_loss, (0.5 * _R.standard_normal(D), XS, YB), (0,), extra="hvp"),
    Case(hinge_loss, (np.array([0.3, -0.2, 0.5]), XS, YB), (0, 1)),
    Case(huber, (np.array([0.1, -0.9, 2.0, -0.3]),), (0,)),
    Case(smooth_l1, (np.array([0.1, -0.9, 2.0]), np.array([0.4, 0.5, -0.2])), (0, 1)),
    Case(layernorm, (XS, np.array([1.0, 0.5, 2.0]), np.array([0.1, 0.0, -0.1])), (0, 1, 2)),
    Case(
        batchnorm_train,
        (XS, np.array([1.0, 0.5, 2.0]), np.array([0.1, 0.0, -0.1])),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(attention, (XS[:3], XS[1:4], XS[2:5]), (0, 1, 2)),
    Case(causal_attention, (XS[:4], XS[1:5], XS[:4] * 2), (0, 1, 2), extra="hvp"),
    Case(conv1d_loops, (np.linspace(-1, 1, 7), np.array([0.2, -0.5, 1.0])), (0, 1)),
    Case(conv1d_nested, (np.linspace(-1, 1, 6), np.array([0.2, -0.5])), (0, 1)),
    Case(conv2d_valid, (_R.standard_normal((4, 5)), _R.standard_normal((2, 2))), (0, 1)),
    Case(maxpool2x2, (_R.standard_normal((4, 4)),), (0,)),
    Case(maxpool_loss, (_R.standard_normal((4, 6)),), (0,)),
    Case(dropout_mlp, (W0, XS), (0, 1)),
    Case(
        mlp_dict_loss,
        (
            {
                "W1": _R.standard_normal((3, 4)),
                "b1": np.zeros(4) + 0.1,
                "W2": _R.standard_normal((4, 1)),
                "b2": np.array([0.2]),
            },
            XS,
            YF,
        ),
        (0,),
    ),
    Case(
        rnn_loss,
        (
            0.4 * _R.standard_normal((3, 3)),
            0.4 * _R.standard_normal((3, 2)),
            _R.standard_normal((4, 2)),
        ),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        gru_cell,
        (
            0.3 * _R.standard_normal((2, 4)),
            0.3 * _R.standard_normal((2, 4)),
            0.3 * _R.standard_normal((2, 4)),
            _R.standard_normal((3, 2)),
        ),
        (0, 1, 2, 3),
    ),
    Case(soft_kmeans, (_R.standard_normal((2, 3)), XS), (0, 1), extra="hvp"),
    Case(gp_nll, (0.8, 0.1, XS, YF), (0, 1, 2), extra="hvp"),
    Case(gp_nll_slogdet, (0.8, 0.1, XS, YF), (0, 1, 3)),
    Case(logreg_logaddexp, (np.array([0.3, -0.2, 0.5]), 0.1, XS, YB), (0, 1), extra="hvp"),
    Case(pca_recon, (0.5 * _R.standard_normal((3, 2)), XS), (0, 1), extra="hvp"),
    Case(vae_like, (0.5 * _R.standard_normal((3, 4)), XS, _R.standard_normal((N, 2))), (0,)),
    Case(contrastive, (XS[:3], XS[2:]), (0, 1)),
    Case(cosine_sim_loss, (np.array([1.0, 2.0, -0.5]), np.array([0.3, 0.1, 0.9])), (0, 1)),
    Case(triplet, (XS[:3], XS[1:4], XS[2:5]), (0, 1, 2)),
    Case(bce_with_logits, (np.array([0.5, -1.5, 2.0, -0.1]), np.array([1.0, 0.0, 1.0, 1.0])), (0,)),
    Case(
        mlp_gelu,
        (0.5 * _R.standard_normal((3, 4)), 0.5 * _R.standard_normal((4, 2)), XS),
        (0, 1),
        extra="hvp",
    ),
    Case(leaky_relu_net, (W0, XS), (0,)),
    Case(softplus_elu, (np.array([-1.2, 0.3, 2.0, -0.1]),), (0,)),
    Case(nll_logsoftmax, (W0, XS, YI), (0, 1)),
    Case(
        adam_step_loss,
        (np.array([0.5, -1.0]), np.array([0.2, 0.3]), np.array([0.01, 0.02]), np.array([0.1, 0.2])),
        (0, 1, 2, 3),
    ),
    Case(sgd_unrolled, (np.array([0.1, 0.2, -0.3]), XS, YF), (0, 1, 2), extra="hvp"),
    Case(
        embedding_lookup,
        (_R.standard_normal((6, 3)), np.array([1, 4, 1]), np.array([0.1, 0.2, 0.3])),
        (0, 2),
    ),
    Case(topk_mean, (np.array([0.3, -1.0, 2.0, 0.7, 1.1]),), (0,)),
    Case(rmsnorm, (XS, np.array([1.0, 0.5, 2.0])), (0, 1)),
    Case(
        mixture_nll,
        (np.array([0.1, -0.3, 0.2]), np.array([-1.0, 0.0, 1.5]), np.array([0.2, -0.8, 1.3, 2.0])),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(clip_grad_norm_loss, (np.array([0.5, 1.0, -0.7]),), (0,)),
    Case(clip_grad_norm_loss, (np.array([0.1, 0.2, -0.3]),), (0,), name="users_ml.clip_small"),
    Case(accuracy_weighted, (W0, XS, YI), (0, 1)),
    Case(rmsnorm, (X4, np.ones(4)), (0, 1), name="users_ml.rmsnorm4"),
]
