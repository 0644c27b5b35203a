"""Ported cases (session 22, hunt22b), written anew after ML objectives users write by hand: the
t-SNE KL objective, soft k-means / EM responsibilities, an SVM hinge with L2, Huber and pinball
losses, InfoNCE with a temperature, knowledge distillation with soft targets, Adam and RMSProp
unrolled for a few steps (gradients through the optimiser), a MAML inner loop calling
``srcad.grad`` inside the loss, soft-DTW with a soft minimum of three, a softmax-relaxed Viterbi,
differentiable ranks by pairwise sigmoids, attention by np.einsum with a padding mask.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

import srcad

from . import Case

R = np.random.default_rng(2203)
XP = R.standard_normal((6, 4))
LAB = np.array([0, 1, 0, 2, 1, 2])
YPM = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])


def tsne_kl(yflat):
    Yl = yflat.reshape(6, 2)
    D = np.sum((XP[:, None, :] - XP[None, :, :]) ** 2, axis=-1)
    P = np.exp(-D / 2.0)
    np.fill_diagonal(P, 0.0)
    P = P / P.sum()
    P = np.maximum(P, 1e-12)
    sq = np.sum(Yl**2, axis=1)
    num = 1.0 / (1.0 + sq[:, None] + sq[None, :] - 2 * Yl @ Yl.T)
    num[range(6), range(6)] = 0.0
    Q = np.maximum(num / np.sum(num), 1e-12)
    return np.sum(P * np.log(P / Q))


def soft_kmeans(cflat, beta=2.0):
    C = cflat.reshape(3, 4)
    d2 = ((XP[:, None, :] - C[None]) ** 2).sum(-1)
    logits = -beta * d2
    logits -= logits.max(axis=1, keepdims=True)
    r = np.exp(logits)
    r /= r.sum(axis=1, keepdims=True)
    return np.sum(r * d2)


def em_gmm_step(mu):
    x = np.array([-1.2, -0.8, -1.0, 0.9, 1.1, 1.4, 0.2])
    pis = np.array([0.5, 0.5])
    for _ in range(3):
        logp = -0.5 * (x[:, None] - mu[None, :]) ** 2 + np.log(pis)
        resp = np.exp(logp - logp.max(1, keepdims=True))
        resp = resp / resp.sum(1, keepdims=True)
        nk = resp.sum(0)
        mu = (resp * x[:, None]).sum(0) / nk
        pis = nk / len(x)
    return mu[0] ** 2 + 2 * mu[1]


def svm_hinge(w, C=1.0):
    margins = YPM * (XP @ w[:4] + w[4])
    hinge = np.maximum(0, 1 - margins)
    return 0.5 * np.dot(w[:4], w[:4]) + C * np.sum(hinge**2)


def svm_hinge_loop(w):
    loss = 0.5 * sum(wi * wi for wi in w)
    for xi, yi in zip(XP, YPM):
        m = yi * float(xi @ w)
        if m < 1:
            loss += (1 - m) ** 2
    return loss


def huber(w, delta=0.5):
    r = XP @ w - np.array([0.3, -1.0, 2.0, 0.0, 0.5, -0.2])
    a = np.abs(r)
    return np.sum(np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta)))


def pinball(w, q=0.3):
    r = np.array([0.3, -1.0, 2.0, 0.0, 0.5, -0.2]) - XP @ w
    return np.mean(np.maximum(q * r, (q - 1) * r)) + 0.01 * np.sum(w**2)


def infonce(zflat, tau=0.5):
    z = zflat.reshape(4, 3)
    z = z / np.linalg.norm(z, axis=1, keepdims=True)
    z2 = np.roll(z, 1, axis=1) * 0.9 + 0.1
    z2 = z2 / np.linalg.norm(z2, axis=1, keepdims=True)
    logits = z @ z2.T / tau
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -np.mean(np.diag(logp))


def distill(student, T=3.0, alpha=0.7):
    s = student.reshape(3, 4)
    teacher = np.array([[2.0, 0.5, -1.0, 0.1], [0.0, 1.5, 0.2, -0.5], [1.0, 1.0, -2.0, 0.3]])

    def softmax(z):
        e = np.exp(z - np.max(z, axis=-1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)

    pt = softmax(teacher / T)
    ps = softmax(s / T)
    kl = np.sum(pt * (np.log(pt) - np.log(ps))) / s.shape[0]
    hard = -np.mean(np.log(softmax(s)[np.arange(3), [0, 1, 0]]))
    return alpha * T * T * kl + (1 - alpha) * hard


def _quad_loss(w):
    return np.sum((XP @ w - 1.0) ** 2) / 6 + 0.1 * np.sum(w**4)


def adam_unrolled(w0, lr=0.05):
    w = w0.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, 4):
        g = 2 * XP.T @ (XP @ w - 1.0) / 6 + 0.4 * w**3
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        mhat = m / (1 - b1**t)
        vhat = v / (1 - b2**t)
        w = w - lr * mhat / (np.sqrt(vhat) + eps)
    return _quad_loss(w)


def rmsprop_grad_inside(w0, lr=0.02):
    w = w0
    cache = np.ones_like(w0) * 0.1
    for _ in range(3):
        g = srcad.grad(_quad_loss)(w)
        cache = 0.9 * cache + 0.1 * g**2
        w = w - lr * g / np.sqrt(cache + 1e-6)
    return _quad_loss(w)


def _task_loss(w, x, y):
    pred = np.tanh(x * w[0] + w[1]) * w[2]
    return np.mean((pred - y) ** 2)


def maml(w, inner_lr=0.1):
    xs = np.linspace(-1, 1, 5)
    total = 0.0
    for amp in (0.5, 1.0, 1.5):
        y = amp * np.sin(xs)
        wi = w
        for _ in range(2):
            wi = wi - inner_lr * srcad.grad(_task_loss)(wi, xs, y)
        total = total + _task_loss(wi, xs + 0.1, amp * np.sin(xs + 0.1))
    return total / 3


def soft_dtw(xa, gamma=0.5):
    yb = np.array([0.0, 0.5, 1.0, 0.4])
    n, m = len(xa), len(yb)
    D = (xa[:, None] - yb[None, :]) ** 2
    Rm = np.full((n + 1, m + 1), np.inf)
    Rm[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            r = np.array([Rm[i - 1, j - 1], Rm[i - 1, j], Rm[i, j - 1]])
            rmin = np.min(r)
            softmin = rmin - gamma * np.log(np.sum(np.exp(-(r - rmin) / gamma)))
            Rm[i, j] = D[i - 1, j - 1] + softmin
    return Rm[n, m]


def soft_viterbi(em, tau=0.3):
    E = em.reshape(4, 3)
    Tr = np.array([[0.5, -0.2, 0.1], [0.0, 0.3, -0.4], [-0.1, 0.2, 0.6]])
    v = E[0]
    for t in range(1, 4):
        s = v[:, None] + Tr
        p = np.exp((s - s.max(0)) / tau)
        p /= p.sum(0)
        v = (p * s).sum(0) + E[t]
    return tau * np.log(np.sum(np.exp((v - v.max()) / tau))) + v.max()


def soft_rank(x, tau=0.2):
    diff = x[:, None] - x[None, :]
    P = 1.0 / (1.0 + np.exp(-diff / tau))
    ranks = 0.5 + P.sum(axis=1)
    target = np.array([1.0, 3.0, 2.0, 5.0, 4.0])
    return np.sum((ranks - target) ** 2)


def einsum_attention(qflat):
    B, T, Dm = 2, 3, 4
    q = qflat.reshape(B, T, Dm)
    k = np.tanh(q[:, ::-1, :])
    v = q * 0.5 + 1.0
    lengths = np.array([3, 2])
    mask = np.arange(T)[None, :] < lengths[:, None]
    s = np.einsum("btd,bsd->bts", q, k) / np.sqrt(Dm)
    s = np.where(mask[:, None, :], s, -1e9)
    s = s - s.max(-1, keepdims=True)
    a = np.exp(s)
    a = a / a.sum(-1, keepdims=True)
    o = np.einsum("bts,bsd->btd", a, v)
    return np.sum(o**2 * mask[:, :, None])


CASES = [
    Case(tsne_kl, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(soft_kmeans, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(em_gmm_step, (np.array([-0.5, 0.7]),), (0,), extra="hvp"),
    Case(svm_hinge, (R.standard_normal(5) * 0.3,), (0,), extra="hvp"),
    Case(svm_hinge_loop, (R.standard_normal(4) * 0.3,), (0,), extra="hvp"),
    Case(huber, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(pinball, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(infonce, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(distill, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(adam_unrolled, (R.standard_normal(4) * 0.5,), (0,), extra="hvp"),
    Case(rmsprop_grad_inside, (R.standard_normal(4) * 0.5,), (0,), extra="hvp"),
    Case(maml, (np.array([0.8, 0.1, 0.9]),), (0,), extra="hvp"),
    Case(soft_dtw, (np.array([0.1, 0.4, 0.9, 0.7, 0.2]),), (0,), extra="hvp"),
    Case(soft_viterbi, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(soft_rank, (np.array([0.1, 0.9, 0.4, 1.6, 1.2]),), (0,), extra="hvp"),
    Case(einsum_attention, (R.standard_normal(24),), (0,), extra="hvp"),
]
