"""Ported cases (session 52, hunt52b): optax's losses, JAX's examples and jax-md's energies,
written anew in NumPy as their users would.

optax: ``sigmoid_binary_cross_entropy`` by ``logaddexp``, ``smooth_labels`` then softmax cross
entropy, ``cosine_distance`` with an ``epsilon`` floor on the norms, ``huber_loss`` as quadratic
and linear parts, ``hinge_loss``, ``poly_loss_cross_entropy``, ``kl_divergence_with_log_targets``,
``convex_kl_divergence`` (``xlogy``), ``ntxent`` (a boolean mask with ``np.fill_diagonal``) and the
CTC forward recursion over labels padded with blanks (a Python loop of ``logsumexp`` over the
candidates each state has). JAX's examples: ``kernel_lsq`` (a Gram matrix built by a nested list
comprehension), ``differentially_private_sgd`` (per-example gradients clipped by their norm, in a
``zip`` loop), ``gaussian_process_regression`` (Cholesky solves), ``advi`` (reparameterised
samples). jax-md: ``soft_sphere``, a Lennard-Jones pair energy with a smooth cutoff over
``np.triu_indices`` pairs, a Morse energy summed over neighbour pairs inside a cutoff.

Float64 arrays and tuples -> a float. Each row is checked forward and reverse and at second
order."""

from __future__ import annotations

import numpy as np
from scipy.special import expit, log_softmax, logsumexp, xlogy

from . import Case

R = np.random.default_rng(52)


# optax-style losses
def sigmoid_binary_cross_entropy(logits, labels):
    log_p = -np.logaddexp(0.0, -logits)
    log_not_p = -np.logaddexp(0.0, logits)
    return np.mean(-labels * log_p - (1.0 - labels) * log_not_p)


def smooth_labels_ce(logits, labels, alpha=0.1):
    num_categories = labels.shape[-1]
    smoothed = (1.0 - alpha) * labels + alpha / num_categories
    return -np.sum(smoothed * log_softmax(logits, axis=-1), axis=-1).mean()


def cosine_distance(pred, targ, epsilon=0.0):
    def normalize(v):
        return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), epsilon)

    return np.sum(1.0 - np.sum(normalize(pred) * normalize(targ), axis=-1))


def huber_loss(pred, targ, delta=1.0):
    errors = pred - targ
    abs_errors = np.abs(errors)
    quadratic = np.minimum(abs_errors, delta)
    linear = abs_errors - quadratic
    return np.sum(0.5 * quadratic**2 + delta * linear)


def hinge_loss(scores, labels):
    return np.mean(np.maximum(0, 1.0 - scores * labels))


def poly_loss_ce(logits, labels, epsilon=2.0):
    p = np.exp(log_softmax(logits, axis=-1))
    one_minus_pt = np.sum(labels * (1 - p), axis=-1)
    ce = -np.sum(labels * log_softmax(logits, axis=-1), axis=-1)
    return np.mean(ce + epsilon * one_minus_pt)


def kl_divergence_log_targets(log_preds, log_targets):
    return np.sum(np.exp(log_targets) * (log_targets - log_preds), axis=-1).sum()


def convex_kl(log_preds, targets):
    return np.sum(xlogy(targets, targets) - targets * log_preds - targets + np.exp(log_preds))


def ntxent(emb, labels, temperature=0.5):
    emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    sim = emb @ emb.T / temperature
    n = emb.shape[0]
    mask = labels[:, None] == labels[None, :]
    np.fill_diagonal(mask, False)
    sim = sim - 1e9 * np.eye(n)
    logp = sim - logsumexp(sim, axis=1, keepdims=True)
    return -np.sum(np.where(mask, logp, 0.0)) / np.sum(mask)


def ctc_like_forward(logits, labels):
    # CTC alpha recursion, blank = 0, labels extended with blanks
    T, K = logits.shape
    logp = logits - logsumexp(logits, axis=1, keepdims=True)
    ext = [0]
    for lab in labels:
        ext += [int(lab), 0]
    S = len(ext)
    alpha = np.full(S, -np.inf)
    alpha[0] = logp[0, ext[0]]
    alpha[1] = logp[0, ext[1]]
    for t in range(1, T):
        new = np.full(S, -np.inf)
        for s in range(S):
            cands = [alpha[s]]
            if s >= 1:
                cands.append(alpha[s - 1])
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                cands.append(alpha[s - 2])
            new[s] = logsumexp(np.array(cands)) + logp[t, ext[s]]
        alpha = new
    return -np.logaddexp(alpha[-1], alpha[-2])


# jax examples
def kernel_lsq(params, x, y):
    # RBF kernel ridge objective
    def kernel(a, b):
        return np.exp(-np.sum((a - b) ** 2) / 2.0)

    n = x.shape[0]
    K = np.array([[kernel(x[i], x[j]) for j in range(n)] for i in range(n)])
    resid = K @ params - y
    return 0.5 * resid @ resid + 0.05 * params @ K @ params


def dp_sgd_clipped_grad_norm(params, batch_x, batch_y, l2_clip=1.0):
    w, b = params
    total = np.zeros_like(w)
    for xi, yi in zip(batch_x, batch_y):
        z = xi @ w + b
        g = (expit(z) - yi) * xi
        nrm = np.linalg.norm(g)
        total = total + g / np.maximum(1.0, nrm / l2_clip)
    avg = total / len(batch_x)
    return np.sum(w * avg) + np.sum(np.tanh(w)) * b


def gp_neg_marginal(params, x, y):
    amp, ls, noise = np.exp(params[0]), np.exp(params[1]), np.exp(params[2]) + 1e-6
    d = x[:, None] - x[None, :]
    K = amp * np.exp(-0.5 * (d / ls) ** 2) + noise * np.eye(x.shape[0])
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * len(x) * np.log(2 * np.pi)


def advi_elbo(params, eps):
    mean, log_std = params[:2], params[2:]

    def logprob(z):
        return -0.5 * (z[0] ** 2 + 4 * (z[1] - z[0] ** 2) ** 2)

    samples = mean + np.exp(log_std) * eps
    lp = np.mean(np.array([logprob(s) for s in samples]))
    entropy = np.sum(log_std) + 0.5 * len(mean) * (1 + np.log(2 * np.pi))
    return lp + entropy


# jax-md
def soft_sphere_energy(R_, sigma=1.0, epsilon=1.0, alpha=2.0):
    dR = R_[:, None, :] - R_[None, :, :]
    dr = np.sqrt(np.sum(dR**2, axis=-1) + np.eye(R_.shape[0]))
    u = epsilon / alpha * np.maximum(1 - dr / sigma, 0.0) ** alpha
    u = u * (1 - np.eye(R_.shape[0]))
    return 0.5 * np.sum(u)


def lj_cutoff_energy(R_, sigma=1.0, eps=1.0, r_onset=1.5, r_cutoff=2.0):
    n = R_.shape[0]
    i, j = np.triu_indices(n, k=1)
    dr = np.linalg.norm(R_[i] - R_[j], axis=1)
    idr6 = (sigma / dr) ** 6
    e = 4 * eps * (idr6**2 - idr6)
    r_c2, r_o2 = r_cutoff**2, r_onset**2
    r2 = dr**2
    smooth = np.where(
        r2 < r_o2,
        1.0,
        np.where(
            r2 < r_c2, (r_c2 - r2) ** 2 * (r_c2 + 2 * r2 - 3 * r_o2) / (r_c2 - r_o2) ** 3, 0.0
        ),
    )
    return np.sum(e * smooth)


def morse_neighbors(R_, D0=5.0, alpha=5.0, r0=1.0, cutoff=1.6):
    n = len(R_)
    E = 0.0
    for a in range(n):
        for b in range(a + 1, n):
            r = np.linalg.norm(R_[a] - R_[b])
            if r < cutoff:
                E += D0 * (np.exp(-2 * alpha * (r - r0)) - 2 * np.exp(-alpha * (r - r0)))
    return E


POS = np.array([[0.0, 0.0], [0.9, 0.1], [0.2, 1.1], [1.3, 1.0]])
LOG = R.standard_normal((4, 3))
ONE = np.eye(3)[[0, 2, 1, 1]]
CASES = [
    Case(
        sigmoid_binary_cross_entropy,
        (R.standard_normal(5), np.array([0, 1, 1, 0, 1.0])),
        (0,),
        extra="hvp",
    ),
    Case(smooth_labels_ce, (LOG, ONE), (0,), extra="hvp"),
    Case(
        cosine_distance, (R.standard_normal((3, 4)), R.standard_normal((3, 4))), (0, 1), extra="hvp"
    ),
    Case(
        huber_loss,
        (np.array([0.3, 2.0, -1.7, 0.1]), np.array([0.0, 0.1, 0.2, 0.5])),
        (0,),
        extra="hvp",
    ),
    Case(
        hinge_loss, (np.array([0.3, 2.0, -1.7, 0.1]), np.array([1.0, -1, 1, -1])), (0,), extra="hvp"
    ),
    Case(poly_loss_ce, (LOG, ONE), (0,), extra="hvp"),
    Case(
        kl_divergence_log_targets,
        (LOG, log_softmax(R.standard_normal((4, 3)), axis=-1)),
        (0, 1),
        extra="hvp",
    ),
    Case(convex_kl, (R.standard_normal(4), np.array([0.1, 0.0, 0.5, 0.4])), (0,), extra="hvp"),
    Case(ntxent, (R.standard_normal((4, 3)), np.array([0, 0, 1, 1])), (0,), extra="hvp"),
    Case(ctc_like_forward, (R.standard_normal((5, 3)), np.array([1, 2])), (0,), extra="hvp"),
    Case(
        kernel_lsq,
        (R.standard_normal(4), R.standard_normal((4, 2)), R.standard_normal(4)),
        (0, 1),
        extra="hvp",
    ),
    Case(
        dp_sgd_clipped_grad_norm,
        ((R.standard_normal(3), 0.2), R.standard_normal((4, 3)), np.array([0, 1, 1, 0.0])),
        (0,),
        extra="hvp",
    ),
    Case(
        gp_neg_marginal,
        (np.array([0.1, -0.3, -1.0]), np.linspace(0, 1, 5), R.standard_normal(5)),
        (0,),
        extra="hvp",
    ),
    Case(
        advi_elbo, (np.array([0.1, -0.2, -0.5, 0.3]), R.standard_normal((6, 2))), (0,), extra="hvp"
    ),
    Case(soft_sphere_energy, (POS,), (0,), extra="hvp"),
    Case(lj_cutoff_energy, (POS * 1.1,), (0,), extra="hvp"),
    Case(morse_neighbors, (POS,), (0,), extra="hvp"),
]
