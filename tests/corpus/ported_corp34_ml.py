"""Ported cases (session 34, hunt34a), written anew as users write these models in NumPy: after
autograd's examples (a network over a flat parameter vector unpacked by a generator, a convnet by
loops, an RNN and an LSTM over a one-hot sequence, a Gaussian mixture with Cholesky factors, a
Gaussian process, a Bayesian network by black-box VI, an RK4 fit, an HMM's forward algorithm in
log space, skip-gram with negative sampling), JAX's example models (causal attention with a
layer norm and masks, a VAE, planar and RealNVP flows, a mixture density network), PyTorch's
losses (focal, triplet, contrastive, Huber, smooth L1, label smoothing, CTC's forward recursion,
NT-Xent, ListMLE), a "Deep Learning from Scratch" network whose ``__init__`` fills
``self.params``, and masked softmaxes with -inf logits.

Float parameters -> a float each. The statistical likelihoods are in ported_corp34_st.py."""

from __future__ import annotations

import numpy as np
from scipy.special import log_softmax, logsumexp, softmax

from . import Case, refused_everywhere, refused_when_differentiated

R = np.random.default_rng(34001)
XB = R.standard_normal((6, 3))
YOH = np.eye(3)[[0, 2, 1, 1, 0, 2]]
SIZES = [3, 4, 3]


def unpack_layers(p):
    start = 0
    for m, n in zip(SIZES[:-1], SIZES[1:]):
        yield p[start : start + m * n].reshape((m, n)), p[start + m * n : start + m * n + n]
        start += m * n + n


def nn_logpost(p):
    inputs = XB
    for W, b in unpack_layers(p):
        outputs = np.dot(inputs, W) + b
        inputs = np.tanh(outputs)
    mx = np.max(outputs, axis=1, keepdims=True)
    logp = outputs - mx - np.log(np.sum(np.exp(outputs - mx), axis=1, keepdims=True))
    return -0.05 * np.sum(p**2) + np.sum(logp * YOH)


IMG = R.standard_normal((2, 5, 5))


def convnet_loops(p):
    k, w = p[:4].reshape(2, 2), p[4:8]
    total = 0.0
    for n in range(IMG.shape[0]):
        out = np.zeros((4, 4))
        for i in range(4):
            for j in range(4):
                out[i, j] = np.sum(IMG[n, i : i + 2, j : j + 2] * k)
        feat = np.tanh(out)
        pooled = feat.reshape(2, 2, 2, 2).mean(axis=(1, 3)).ravel()
        total = total + (pooled @ w - 0.3 * n) ** 2
    return total / IMG.shape[0]


SEQ = np.eye(3)[[0, 1, 2, 1]]


def rnn_loss(p):
    Wh, Wo = p[:18].reshape(6, 3), p[18:27].reshape(3, 3)
    h = np.zeros(3)
    loglik = 0.0
    for t in range(SEQ.shape[0] - 1):
        h = np.tanh(np.dot(np.concatenate((SEQ[t], h)), Wh))
        out = np.dot(h, Wo)
        loglik += np.sum((out - np.log(np.sum(np.exp(out)))) * SEQ[t + 1])
    return -loglik


def lstm_loss(p):
    W, Wo = p[:40].reshape(5, 8), p[40:46].reshape(2, 3)
    h, c = np.zeros(2), np.zeros(2)
    loss = 0.0
    for t in range(len(SEQ) - 1):
        i, f, o, g = np.split(np.hstack([SEQ[t], h]) @ W, 4)
        c = 0.5 * (np.tanh(f) + 1) * c + 0.5 * (np.tanh(i) + 1) * np.tanh(g)
        h = 0.5 * (np.tanh(o) + 1) * np.tanh(c)
        logits = h @ Wo
        loss = loss - (logits[np.argmax(SEQ[t + 1])] - logsumexp(logits))
    return loss


GX = R.standard_normal((7, 2))


def gmm_loglik(p):
    logw = p[:2] - logsumexp(p[:2])
    means, sq = p[2:6].reshape(2, 2), p[6:14].reshape(2, 2, 2)
    comps = []
    for k in range(2):
        L = np.linalg.cholesky(sq[k] @ sq[k].T + 0.5 * np.eye(2))
        z = np.linalg.solve(L, (GX - means[k]).T)
        logdet = np.sum(np.log(np.diag(L)))
        comps.append(logw[k] - 0.5 * np.sum(z**2, axis=0) - logdet - np.log(2 * np.pi))
    return np.sum(logsumexp(np.array(comps), axis=0))


GPX = np.linspace(-2, 2, 6)[:, None]
GPY = np.sin(GPX[:, 0]) + 0.1 * R.standard_normal(6)


def gp_nll(p):
    d = (GPX[:, None, :] - GPX[None, :, :]) / np.exp(p[3])
    K = np.exp(p[2]) * np.exp(-0.5 * np.sum(d**2, axis=2)) + np.exp(p[1]) * np.eye(6)
    r = GPY - p[0]
    return 0.5 * (r @ np.linalg.solve(K, r) + np.linalg.slogdet(K)[1] + 6 * np.log(2 * np.pi))


EPS = R.standard_normal((3, 7))
BX = np.linspace(-1, 1, 5)[:, None]


def bnn_elbo(params):
    mean, log_std = params[:7], params[7:]
    lp = 0.0
    for s in EPS * np.exp(log_std) + mean:
        pred = (np.tanh(BX @ s[:3].reshape(1, 3) + s[3:6]) @ np.ones(3)) * s[6]
        lp = lp - 0.5 * np.sum(s**2) - 0.5 * np.sum((np.cos(2 * BX[:, 0]) - pred) ** 2) / 0.01
    return -(lp / len(EPS) + 3.5 * (1 + np.log(2 * np.pi)) + np.sum(log_std))


OBS = np.array([[1.1, 0.45], [1.15, 0.43], [1.2, 0.41]])


def lv(y, th):
    return np.array([th[0] * y[0] - th[1] * y[0] * y[1], -th[2] * y[1] + th[3] * y[0] * y[1]])


def rk4_fit(th):
    y, dt, err = np.array([1.0, 0.5]), 0.05, 0.0
    for k in range(3):
        for _ in range(2):
            k1 = lv(y, th)
            k2 = lv(y + dt / 2 * k1, th)
            k3 = lv(y + dt / 2 * k2, th)
            k4 = lv(y + dt * k3, th)
            y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        err += np.sum((y - OBS[k]) ** 2)
    return err


OBSSEQ = [0, 1, 1, 0, 2]


def hmm_loglik(p):
    log_pi = p[:2] - logsumexp(p[:2])
    log_A = log_softmax(p[2:6].reshape(2, 2), axis=1)
    log_B = log_softmax(p[6:12].reshape(2, 3), axis=1)
    alpha = log_pi + log_B[:, OBSSEQ[0]]
    for o in OBSSEQ[1:]:
        alpha = logsumexp(alpha[:, None] + log_A, axis=0) + log_B[:, o]
    return logsumexp(alpha)


PAIRS = [(0, 1), (1, 2), (3, 0)]
NEGS = np.array([[2, 3], [0, 3], [1, 2]])


def sgns(p):
    Win, Wout = p[:12].reshape(4, 3), p[12:].reshape(4, 3)
    loss = 0.0
    for k, (c, o) in enumerate(PAIRS):
        v = Win[c]
        loss += np.logaddexp(0, -(Wout[o] @ v)) + np.sum(np.logaddexp(0, Wout[NEGS[k]] @ v))
    return loss


XS = R.standard_normal((4, 3))


def causal_attention(p):
    Wq, Wk, Wv = p[:9].reshape(3, 3), p[9:18].reshape(3, 3), p[18:27].reshape(3, 3)
    mu = XS.mean(-1, keepdims=True)
    h = p[27:30] * (XS - mu) / np.sqrt(((XS - mu) ** 2).mean(-1, keepdims=True) + 1e-5)
    q, k, v = h @ Wq, h @ Wk, h @ Wv
    scores = np.where(np.tril(np.ones((4, 4), dtype=bool)), q @ k.T / np.sqrt(3), -np.inf)
    w = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return 0.1 * np.sum((XS + w / w.sum(axis=-1, keepdims=True) @ v) ** 2)


def masked_fill_attention(p):
    s = XS @ p[:9].reshape(3, 3) @ XS.T
    s[np.triu_indices(4, 1)] = -np.inf
    a = np.exp(s - s.max(1)[:, None])
    a /= a.sum(1)[:, None]
    return np.sum(a @ XS * XS)


VX = np.array([[1.0, 0, 1, 1], [0, 1, 1, 0], [1, 1, 0, 0]])
VEPS = R.standard_normal((3, 2))


def vae_loss(p):
    h = np.tanh(VX @ p[:16].reshape(4, 4))
    mu, logvar = h[:, :2], h[:, 2:]
    logits = (mu + np.exp(0.5 * logvar) * VEPS) @ p[16:24].reshape(2, 4) + p[24:28]
    rec = np.sum(VX * logits - np.logaddexp(0, logits))
    kl = -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))
    return -(rec - kl) / 3


Z0 = R.standard_normal((5, 2))


def planar_flow(p):
    z, ldj = Z0, 0.0
    for k in range(2):
        u, w, b = p[5 * k : 5 * k + 2], p[5 * k + 2 : 5 * k + 4], p[5 * k + 4]
        wu = w @ u
        u_hat = u + (-1 + np.log1p(np.exp(wu)) - wu) * w / (w @ w)
        a = z @ w + b
        z = z + np.outer(np.tanh(a), u_hat)
        ldj = ldj + np.log(np.abs(1 + np.outer(1 - np.tanh(a) ** 2, w) @ u_hat))
    return np.mean(-0.5 * np.sum(z**2, axis=1) + ldj)


XR = R.standard_normal((4, 4))


def realnvp(p):
    x, mask, logdet = XR, np.array([1.0, 0.0, 1.0, 0.0]), np.zeros(4)
    W_s, W_t = p[:16].reshape(4, 4), p[16:32].reshape(4, 4)
    for _ in range(2):
        xm = x * mask
        s = np.tanh(xm @ W_s) * (1 - mask)
        x = xm + (1 - mask) * (x * np.exp(s) + (xm @ W_t) * (1 - mask))
        logdet += s.sum(axis=1)
        mask = 1 - mask
    return -np.mean(-0.5 * np.sum(x**2, 1) - 2 * np.log(2 * np.pi) + logdet)


MX = np.linspace(-1, 1, 6)[:, None]


def mdn(p):
    h = np.tanh(MX @ p[:3].reshape(1, 3) + p[3:6])
    out = h @ p[6:24].reshape(3, 6)
    log_pi, mu, log_sig = log_softmax(out[:, :2], axis=1), out[:, 2:4], out[:, 4:]
    z = (np.sin(3 * MX) - mu) / np.exp(log_sig)
    return -np.mean(logsumexp(log_pi - 0.5 * z**2 - log_sig - 0.5 * np.log(2 * np.pi), axis=1))


LOG = R.standard_normal((6, 4))
TGT = np.array([0, 3, 1, 2, 2, 0])


def focal_loss(z):
    pt = softmax(z, axis=1)[np.arange(len(TGT)), TGT]
    return np.mean(-0.25 * (1 - pt) ** 2.0 * np.log(pt))


def focal_binary(z):
    y = (TGT > 1).astype(float)
    p = 1 / (1 + np.exp(-z[:, 0]))
    ce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    p_t = p * y + (1 - p) * (1 - y)
    return ((0.25 * y + 0.75 * (1 - y)) * ce * (1 - p_t) ** 2).sum()


A3 = R.standard_normal((5, 3))
P3 = A3 + 0.3 * R.standard_normal((5, 3))
N3 = A3 + np.array([1.5, 0.0, 0.0])


def triplet(a):
    dp = np.linalg.norm(a - P3, axis=1)
    dn = np.linalg.norm(a - N3, axis=1)
    return np.mean(np.maximum(dp - dn + 2.0, 0.0))


def contrastive(a):
    d = np.sqrt(np.sum((a - N3) ** 2, axis=1))
    same = np.array([1, 0, 1, 0, 1])
    return np.mean(same * d**2 + (1 - same) * np.clip(3.0 - d, 0, None) ** 2) / 2


RES = np.array([0.3, -1.7, 0.8, 2.2, -0.1, 0.6])


def huber(r, delta=1.0):
    a = np.abs(r)
    return np.sum(np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta)))


def smooth_l1(r, beta=0.5):
    n = np.abs(r)
    return np.where(n < beta, 0.5 * n**2 / beta, n - 0.5 * beta).mean()


def label_smoothing(z, eps=0.1):
    lp = z - logsumexp(z, axis=1, keepdims=True)
    target = np.full_like(z, eps / (z.shape[1] - 1))
    target[np.arange(len(TGT)), TGT] = 1 - eps
    return -np.sum(target * lp) / len(TGT)


def ctc_nll(z):
    # blanks between the labels; unreached states start at -inf (logsumexp of all -inf terms)
    lp = z - logsumexp(z, axis=1, keepdims=True)
    ext = [0, 1, 0, 2, 0, 1, 0]
    alpha = np.full(len(ext), -np.inf)
    alpha[0], alpha[1] = lp[0, 0], lp[0, 1]
    for t in range(1, lp.shape[0]):
        new = np.full(len(ext), -np.inf)
        for s in range(len(ext)):
            terms = [alpha[s]]
            if s > 0:
                terms.append(alpha[s - 1])
            if s > 1 and ext[s] != 0 and ext[s] != ext[s - 2]:
                terms.append(alpha[s - 2])
            new[s] = logsumexp(np.array(terms)) + lp[t, ext[s]]
        alpha = new
    return -np.logaddexp(alpha[-1], alpha[-2])


def nt_xent(z, tau=0.5):
    z = z.reshape(4, 3)
    z = z / np.linalg.norm(z, axis=1, keepdims=True)
    sim = z @ z.T / tau
    sim[np.eye(4, dtype=bool)] = -np.inf
    return -np.mean(sim[np.arange(4), [1, 0, 3, 2]] - logsumexp(sim, axis=1))


REL = np.array([3.0, 1.0, 2.0, 0.0, 5.0, 4.0])


def listmle(s):
    sp = s[np.argsort(-REL)]
    return np.sum(np.logaddexp.accumulate(sp[::-1])[::-1] - sp)


MASK = np.array([[1, 1, 0, 1], [1, 0, 1, 1], [0, 1, 1, 1]], dtype=bool)


def masked_entropy(z):
    lg = np.where(MASK, z, -np.inf)
    p = softmax(lg, axis=1)
    return -np.sum(np.where(MASK, p * log_softmax(lg, axis=1), 0.0))


def masked_entropy_nansum(z):
    lp = log_softmax(np.where(MASK, z, -np.inf), axis=1)
    return -np.nansum(np.exp(lp) * lp)


class TwoLayerNet:
    def __init__(self, W1, b1, W2, b2):
        self.params = {}
        self.params["W1"] = W1
        self.params["b1"] = b1
        self.params["W2"] = W2
        self.params["b2"] = b2

    def predict(self, x):
        W1, W2 = self.params["W1"], self.params["W2"]
        return np.tanh(x @ W1 + self.params["b1"]) @ W2 + self.params["b2"]

    def loss(self, x, t):
        y = softmax(self.predict(x), axis=1)
        return -np.sum(t * np.log(y + 1e-7)) / x.shape[0]


def dlfs_two_layer(p):
    net = TwoLayerNet(p[:12].reshape(3, 4), p[12:16], p[16:28].reshape(4, 3), p[28:31])
    return net.loss(XB, YOH) + 0.005 * sum(np.sum(v**2) for v in net.params.values())


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        return x @ self.W + self.b


class Tanh:
    def forward(self, x):
        return np.tanh(x)


class LayeredNet(TwoLayerNet):
    def __init__(self, W1, b1, W2, b2):
        super().__init__(W1, b1, W2, b2)
        self.layers = {"Affine1": Affine(W1, b1), "Tanh": Tanh(), "Affine2": Affine(W2, b2)}

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x


def dlfs_layer_dict_field(p):
    net = LayeredNet(p[:12].reshape(3, 4), p[12:16], p[16:28].reshape(4, 3), p[28:31])
    return net.loss(XB, YOH)


def gp_einsum_diagonal_view(p):
    K = np.exp(p[0]) * np.exp(-0.5 * (GPX - GPX.T) ** 2)
    np.einsum("ii->i", K)[:] += np.exp(p[1])
    return GPY @ np.linalg.solve(K, GPY) + np.linalg.slogdet(K)[1]


def _v(n, scale=0.5):
    return R.standard_normal(n) * scale


CASES = [
    Case(nn_logpost, (_v(31),), (0,)),
    Case(convnet_loops, (_v(8),), (0,)),
    Case(rnn_loss, (_v(27),), (0,)),
    Case(lstm_loss, (_v(46, 0.4),), (0,)),
    Case(gmm_loglik, (_v(14),), (0,)),
    Case(gp_nll, (np.array([0.1, -1.5, 0.2, -0.3]),), (0,)),
    Case(bnn_elbo, (np.concatenate([_v(7, 0.3), -1.0 + _v(7, 0.1)]),), (0,)),
    Case(rk4_fit, (np.array([1.0, 0.4, 0.8, 0.3]),), (0,)),
    Case(hmm_loglik, (_v(12),), (0,)),
    Case(sgns, (_v(24),), (0,)),
    Case(causal_attention, (np.concatenate([_v(27, 0.4), 1.0 + _v(3, 0.1)]),), (0,)),
    Case(masked_fill_attention, (_v(9, 0.3),), (0,)),
    Case(vae_loss, (_v(28, 0.4),), (0,)),
    Case(planar_flow, (_v(10),), (0,)),
    Case(realnvp, (_v(32, 0.3),), (0,)),
    Case(mdn, (_v(24, 0.4),), (0,)),
    Case(focal_loss, (LOG,), (0,)),
    Case(focal_binary, (LOG,), (0,)),
    Case(triplet, (A3,), (0,)),
    Case(contrastive, (A3,), (0,)),
    Case(huber, (RES,), (0,)),
    Case(smooth_l1, (RES,), (0,)),
    Case(label_smoothing, (LOG,), (0,)),
    Case(ctc_nll, (R.standard_normal((5, 3)),), (0,)),
    Case(nt_xent, (_v(12, 1.0),), (0,)),
    Case(listmle, (_v(6, 1.0),), (0,)),
    Case(masked_entropy, (R.standard_normal((3, 4)),), (0,)),
    Case(masked_entropy_nansum, (R.standard_normal((3, 4)),), (0,)),
    Case(dlfs_two_layer, (_v(31),), (0,)),
    Case(
        dlfs_layer_dict_field,
        (_v(31),),
        (0,),
        xfail=refused_when_differentiated("a dict field of layers of different classes"),
    ),
    Case(
        gp_einsum_diagonal_view,
        (np.array([0.2, -1.0]),),
        (0,),
        xfail=refused_everywhere("a write through np.einsum's diagonal view"),
    ),
]
