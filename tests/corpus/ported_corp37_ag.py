"""Ported cases (session 37, corp37_ag), rewritten from the programs of autograd's examples
directory: a GP latent-variable model over a flat parameter vector, the negative-binomial
likelihood, ICA with a Student-t likelihood, a mixture-of-Gaussians variational family, a
two-layer deep GP, black-box SVI with fixed noise, a Bayesian net's layer unpacking, a
character RNN, a convolution by shifted slices, and a fluid step (roll, bilinear advection).

Float parameters -> float scalar losses."""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln, logsumexp
from scipy.stats import norm, t

from . import Case

R = np.random.default_rng(37001)
DATA = R.standard_normal((7, 2))
EPS = R.standard_normal((4, 3))
COUNTS = np.array([3.0, 0.0, 7.0, 2.0, 11.0, 5.0])


def _rbf(params, x, xp):
    output_scale = np.exp(params[0])
    lengthscales = np.exp(params[1:])
    diffs = np.expand_dims(x / lengthscales, 1) - np.expand_dims(xp / lengthscales, 0)
    return output_scale * np.exp(-0.5 * np.sum(diffs**2, axis=2))


def _gp_lml(params, x, y):
    mean, noise_scale = params[0], np.exp(params[1]) + 1e-4
    cov = _rbf(params[2:], x, x) + noise_scale * np.eye(len(y))
    r = y - mean
    sign, logdet = np.linalg.slogdet(cov)
    return -0.5 * r @ np.linalg.solve(cov, r) - 0.5 * logdet - 0.5 * len(y) * np.log(2 * np.pi)


def gplvm_objective(params):
    n, d = DATA.shape
    per_gp = 2 + 3
    gp_params = np.reshape(params[: d * per_gp], (d, per_gp))
    latents = np.reshape(params[d * per_gp :], (n, 2))
    lik = sum([_gp_lml(gp_params[i], latents, DATA[:, i]) for i in range(d)])
    return -lik - np.sum(norm.logpdf(latents))


def negbin_total(r, p):
    ll = gammaln(r + COUNTS) - gammaln(r) - gammaln(COUNTS + 1)
    ll = ll + COUNTS * np.log(p) + r * np.log(1 - p)
    return np.sum(ll)


def negbin_profile(r):
    p = np.sum(COUNTS) / np.sum(r + COUNTS)
    return negbin_total(r, p)


def ica_logprob(flat, noise_log_std):
    weights = np.reshape(flat[:6], (3, 2))
    latents = np.reshape(flat[6:], (2, 4))
    preds = np.dot(weights, latents).T
    return np.sum(t.logpdf(preds, 2.4, DATA[:4, :1] + 0.1, np.exp(noise_log_std)))


def _diag_gauss_logpdf(x, mu, log_std):
    return np.sum(norm.logpdf(x, mu, np.exp(log_std)), axis=-1)


def mixture_log_density(mix_params, x):
    k = 3
    log_weights = mix_params[:k] - logsumexp(mix_params[:k])
    comps = np.reshape(mix_params[k:], (k, -1))
    dens = np.vstack([_diag_gauss_logpdf(x, c[:2], c[2:]) for c in comps]).T
    return np.sum(logsumexp(dens + log_weights, axis=1, keepdims=False))


def deep_gp_lml(all_params, X, y):
    p1, p2, h = all_params[:4], all_params[4:8], all_params[8:]
    return _gp_lml(p1, X, h) + _gp_lml(p2, np.atleast_2d(h).T, y)


def bbsvi_elbo(var_params):
    D = var_params.shape[0] // 2
    mean, log_std = var_params[:D], var_params[D:]
    samples = EPS * np.exp(log_std) + mean
    entropy = 0.5 * D * (1.0 + np.log(2 * np.pi)) + np.sum(log_std)
    # a banana-shaped target density
    mu, lsig = samples[:, 0], samples[:, 1]
    sig_density = norm.logpdf(lsig, 0, 1.35)
    mu_density = norm.logpdf(mu, 0, np.exp(lsig))
    return np.mean(sig_density + mu_density + 0.1 * samples[:, 2] ** 2) + entropy


LAYER_SIZES = [2, 3, 1]


def _unpack_layers(weights):
    num_samples = len(weights)
    for m, n in zip(LAYER_SIZES[:-1], LAYER_SIZES[1:]):
        yield (
            weights[:, : m * n].reshape((num_samples, m, n)),
            weights[:, m * n : m * n + n].reshape((num_samples, 1, n)),
        )
        weights = weights[:, (m + 1) * n :]


def bnn_logprob(weights, inputs, targets):
    acts = np.expand_dims(inputs, 0)
    for W, b in _unpack_layers(weights):
        outputs = np.einsum("mnd,mdo->mno", acts, W) + b
        acts = np.tanh(outputs)
    outputs = outputs[:, :, 0]
    prior = -0.1 * np.sum(weights**2, axis=1)
    lik = -np.sum((outputs - targets) ** 2, axis=1) / 0.01
    return np.mean(prior + lik)


def char_rnn_loss(params, seqs):
    W_hh, W_xh, W_ho, h0 = params
    hidden = np.repeat(h0[None, :], seqs.shape[1], axis=0)
    total = 0.0
    for x in seqs[:-1]:
        hidden = np.tanh(np.concatenate((x, hidden), axis=1) @ np.vstack((W_xh, W_hh)))
        out = hidden @ W_ho
        out = out - logsumexp(out, axis=1, keepdims=True)
        total = total + np.sum(out * seqs[1:][0])
    return -total / seqs.shape[0]


def shift_conv_pool(images, kernel):
    # a valid 2-D correlation as a sum of shifted slices, then 2x2 max pooling
    kh, kw = kernel.shape
    H, W = images.shape[1] - kh + 1, images.shape[2] - kw + 1
    out = np.zeros((images.shape[0], H, W))
    for i in range(kh):
        for j in range(kw):
            out += kernel[i, j] * images[:, i : i + H, j : j + W]
    out = np.maximum(out, 0.0)
    n, h2, w2 = out.shape[0], H // 2, W // 2
    pooled = out[:, : 2 * h2, : 2 * w2].reshape(n, h2, 2, w2, 2).max(axis=(2, 4))
    return np.sum(pooled**2)


def _project(vx, vy):
    h = 1.0 / vx.shape[0]
    div = (
        -0.5
        * h
        * (
            np.roll(vx, -1, axis=0)
            - np.roll(vx, 1, axis=0)
            + np.roll(vy, -1, axis=1)
            - np.roll(vy, 1, axis=1)
        )
    )
    p = np.zeros(vx.shape)
    for _ in range(4):
        p = (
            div
            + np.roll(p, 1, axis=0)
            + np.roll(p, -1, axis=0)
            + np.roll(p, 1, axis=1)
            + np.roll(p, -1, axis=1)
        ) / 4.0
    vx = vx - 0.5 * (np.roll(p, -1, axis=0) - np.roll(p, 1, axis=0)) / h
    vy = vy - 0.5 * (np.roll(p, -1, axis=1) - np.roll(p, 1, axis=1)) / h
    return vx, vy


def _advect(f, vx, vy):
    rows, cols = f.shape
    cell_ys, cell_xs = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    center_xs = (cell_xs - vx).ravel()
    center_ys = (cell_ys - vy).ravel()
    left_ix = np.floor(center_xs).astype(int)
    top_ix = np.floor(center_ys).astype(int)
    rw = center_xs - left_ix
    bw = center_ys - top_ix
    left_ix = np.mod(left_ix, rows)
    right_ix = np.mod(left_ix + 1, rows)
    top_ix = np.mod(top_ix, cols)
    bot_ix = np.mod(top_ix + 1, cols)
    flat = (1 - rw) * ((1 - bw) * f[left_ix, top_ix] + bw * f[left_ix, bot_ix]) + rw * (
        (1 - bw) * f[right_ix, top_ix] + bw * f[right_ix, bot_ix]
    )
    return np.reshape(flat, (rows, cols))


def fluid_step(vx, vy, smoke):
    for _ in range(2):
        vx, vy = _project(vx, vy)
        vx2 = _advect(vx, vx, vy)
        vy = _advect(vy, vx, vy)
        vx = vx2
        smoke = _advect(smoke, vx, vy)
    return np.sum(smoke[:3] ** 2) + 0.1 * np.sum(vx * vy)


GP_PARAMS = np.concatenate([R.standard_normal(10) * 0.1, R.standard_normal(14) * 0.5])
MIX = np.concatenate([np.array([0.1, -0.2, 0.3]), R.standard_normal(12) * 0.3])
BNN_W = R.standard_normal((3, 2 * 3 + 3 + 3 + 1)) * 0.5
DGP = np.array([0.0, -1.0, 0.1, 0.2, 0.1, -1.2, 0.0, 0.3, -0.5, -0.2, 0.1, 0.4, 0.6])
SEQS = np.eye(3)[R.integers(0, 3, (5, 2))]

CASES = [
    Case(gplvm_objective, (GP_PARAMS,), (0,), extra="hvp"),
    Case(negbin_total, (2.3, 0.4), (0, 1), extra="hvp"),
    Case(negbin_profile, (1.7,), (0,), extra="hvp"),
    Case(ica_logprob, (R.standard_normal(14) * 0.5, -0.3), (0, 1)),
    Case(mixture_log_density, (MIX, R.standard_normal((5, 2))), (0, 1), extra="hvp"),
    Case(
        deep_gp_lml,
        (DGP, np.linspace(-1, 1, 5)[:, None], np.sin(np.linspace(-1, 1, 5))),
        (0,),
    ),
    Case(bbsvi_elbo, (np.array([0.1, -0.2, 0.3, -1.0, -0.5, -0.8]),), (0,), extra="hvp"),
    Case(bnn_logprob, (BNN_W, R.standard_normal((4, 2)), R.standard_normal(4)), (0, 1)),
    Case(
        char_rnn_loss,
        (
            (
                R.standard_normal((4, 4)) * 0.3,
                R.standard_normal((3, 4)) * 0.3,
                R.standard_normal((4, 3)) * 0.3,
                np.zeros(4) + 0.1,
            ),
            SEQS,
        ),
        (0,),
    ),
    Case(shift_conv_pool, (R.standard_normal((2, 6, 7)), R.standard_normal((3, 2))), (0, 1)),
    Case(
        fluid_step,
        (R.standard_normal((5, 5)) * 0.3, R.standard_normal((5, 5)) * 0.3, R.uniform(0, 1, (5, 5))),
        (0, 1, 2),
        jitter=0.0,
    ),
]
