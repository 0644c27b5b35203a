"""Ported cases (session 10, corp10), written anew as user code:
autograd's examples as programs: the neural net and its Gaussian prior, logistic regression, the
Taylor-series sine and tanh, the Gaussian process marginal likelihood and prediction, black-box
SVI (fixed and seeded noise), the natural-gradient objective, mixture VI, a convnet with its own
convolution and max-pool behind a weights parser, the RNN and LSTM, the Bayesian neural net,
an ODE net integrated by RK4 through ``func(y, t, *args)``, fluidsim and wing (semi-Lagrangian
advection by NumPy gathers, a projection updating its arguments in place), the VAE and the HMM
forward algorithm.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them); every row
is scalar-valued and also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp
from scipy.stats import multivariate_normal, norm

from . import Case

R = np.random.default_rng(17600010)
XS = np.round(R.standard_normal(80) * 0.4, 3)
AG_X = R.standard_normal((5, 3))
AG_Y = np.eye(2)[[0, 1, 1, 0, 1]]
AG_SIZES = [3, 3, 2]
AG_LX = np.array(
    [[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.30], [0.74, -2.49, 1.39]]
)
AG_LT = np.array([True, True, False, True])
AG_GX = np.linspace(-2, 2, 5).reshape(-1, 1)
AG_GY = np.sin(AG_GX[:, 0]) + 0.1 * np.arange(5)
AG_EPS = R.standard_normal((6, 2))
AG_IMG = R.standard_normal((2, 1, 4, 4))
AG_SEQ = R.standard_normal((3, 2, 3))
AG_TS = np.linspace(0, 1, 4)
AG_N = 4
AG_SMOKE = np.abs(R.standard_normal((AG_N, AG_N)))
AG_TARGET = np.abs(R.standard_normal((AG_N, AG_N)))
AG_BX = (R.standard_normal((4, 4)) > 0).astype(float)
AG_BEPS = R.standard_normal((4, 2))
AG_OBS = np.array([0, 1, 1, 0, 1])


def _ag_unpack(params):
    out, off = [], 0
    for m, n in zip(AG_SIZES[:-1], AG_SIZES[1:]):
        W = params[off : off + m * n].reshape((m, n))
        off += m * n
        out.append((W, params[off : off + n]))
        off += n
    return out


def _ag_predict(params, inputs):
    for W, b in params:
        outputs = np.dot(inputs, W) + b
        inputs = np.tanh(outputs)
    return outputs - logsumexp(outputs, axis=1, keepdims=True)


def ag_neural_net(x):
    params = _ag_unpack(x[:20])
    log_prior = -0.1 * sum(np.sum(W**2) + np.sum(b**2) for W, b in params)
    return -(log_prior + np.sum(_ag_predict(params, AG_X) * AG_Y))


def ag_neural_net_gauss_prior(x):
    params = _ag_unpack(x[:20])
    flat = np.concatenate([np.ravel(W) for W, b in params] + [b for W, b in params])
    return -np.sum(norm.logpdf(flat, 0, 1.5)) - np.sum(_ag_predict(params, AG_X) * AG_Y)


def _ag_sigmoid(z):
    return 0.5 * (np.tanh(z / 2.0) + 1)


def ag_logistic(x):
    preds = _ag_sigmoid(np.dot(AG_LX, x[:3]))
    label_probabilities = preds * AG_LT + (1 - preds) * (1 - AG_LT)
    return -np.sum(np.log(label_probabilities))


def ag_taylor_sine(x):
    t = x[0] + 1.0
    ans = currterm = t
    i = 0
    while np.abs(currterm) > 1e-4:
        currterm = -currterm * t**2 / ((2 * i + 3) * (2 * i + 2))
        ans = ans + currterm
        i += 1
    y = np.exp(-2.0 * t)
    return ans + (1.0 - y) / (1.0 + y)


def _ag_rbf(kernel_params, a, b):
    output_scale = np.exp(kernel_params[0])
    lengthscales = np.exp(kernel_params[1:])
    diffs = np.expand_dims(a / lengthscales, 1) - np.expand_dims(b / lengthscales, 0)
    return output_scale * np.exp(-0.5 * np.sum(diffs**2, axis=2))


def _ag_gp_parts(params):
    return params[0], params[2:], np.exp(params[1]) + 0.0001


def ag_gp_marginal(x):
    mean, cov_params, noise = _ag_gp_parts(np.array([0.1, -1.0, 0.2, -0.3]) + 0.3 * x[:4])
    cov_y_y = _ag_rbf(cov_params, AG_GX, AG_GX) + noise * np.eye(len(AG_GY))
    return -multivariate_normal.logpdf(AG_GY, mean * np.ones(len(AG_GY)), cov_y_y)


def ag_gp_predict(x):
    mean, cov_params, noise = _ag_gp_parts(np.array([0.1, -1.0, 0.2, -0.3]) + 0.3 * x[:4])
    xs = np.array([[0.3], [1.1]])
    cov_y_f = _ag_rbf(cov_params, AG_GX, xs)
    cov_y_y = _ag_rbf(cov_params, AG_GX, AG_GX) + noise * np.eye(len(AG_GY))
    pred_mean = mean + np.dot(np.linalg.solve(cov_y_y, cov_y_f).T, AG_GY - mean)
    pred_cov = _ag_rbf(cov_params, xs, xs) - np.dot(np.linalg.solve(cov_y_y, cov_y_f).T, cov_y_f)
    return np.sum(pred_mean) + np.trace(pred_cov)


def _ag_log_density(s):
    mu, log_sigma = s[:, 0], s[:, 1]
    return norm.logpdf(log_sigma, 0, 1.35) + norm.logpdf(mu, 0, np.exp(log_sigma))


def _ag_entropy(log_std):
    return 0.5 * log_std.size * (1.0 + np.log(2 * np.pi)) + np.sum(log_std)


def ag_bbsvi(x):
    mean, log_std = x[:2], x[2:4]
    samples = AG_EPS * np.exp(log_std) + mean
    return -(_ag_entropy(log_std) + np.mean(_ag_log_density(samples)))


def ag_bbsvi_seeded(x):
    rs = np.random.RandomState(0)
    mean, log_std = x[:2], x[2:4]
    samples = rs.randn(5, 2) * np.exp(log_std) + mean
    return -(_ag_entropy(log_std) + np.mean(_ag_log_density(samples)))


def ag_natural_gradient(x):
    mean, log_std = x[:2], x[2:4]
    fisher_diag = np.concatenate([np.exp(-2.0 * log_std), 2.0 * np.ones(2)])
    g = np.concatenate([mean - 1.0, log_std + 0.5])
    return np.sum(g**2 / fisher_diag)


def ag_mixture_vi(x):
    w, mus, ls = x[:2], x[2:6].reshape(2, 2), x[6:10].reshape(2, 2)
    log_weights = w - logsumexp(w)
    comps = [
        log_weights[k] + np.sum(norm.logpdf(AG_EPS, mus[k], np.exp(ls[k])), axis=-1)
        for k in range(2)
    ]
    return -np.sum(logsumexp(np.array(comps), axis=0))


class _AgWeightsParser:
    def __init__(self):
        self.idxs_and_shapes = {}
        self.N = 0

    def add_weights(self, name, shape):
        start = self.N
        self.N += int(np.prod(shape))
        self.idxs_and_shapes[name] = (slice(start, self.N), shape)

    def get(self, vect, name):
        idxs, shape = self.idxs_and_shapes[name]
        return np.reshape(vect[idxs], shape)


def _ag_make_parser():
    ps = _AgWeightsParser()
    ps.add_weights("conv", (1, 2, 2, 2))
    ps.add_weights("cb", (1, 2, 1, 1))
    ps.add_weights("full", (8, 3))
    ps.add_weights("fb", (3,))
    return ps


AG_PARSER = _ag_make_parser()


def _ag_conv_valid(inputs, kernels):
    _, _, h, w = inputs.shape
    _, cout, ky, kx = kernels.shape
    oh, ow = h - ky + 1, w - kx + 1
    out = np.zeros((inputs.shape[0], cout, oh, ow))
    for i in range(ky):
        for j in range(kx):
            patch = inputs[:, :, i : i + oh, j : j + ow]
            out = out + np.einsum("ncyx,cd->ndyx", patch, kernels[:, :, ky - 1 - i, kx - 1 - j])
    return out


def _ag_maxpool(inputs, p):
    new_shape = inputs.shape[:2]
    for i in [0, 1]:
        new_shape += (inputs.shape[i + 2] // p, p)
    return np.max(np.max(inputs.reshape(new_shape), axis=3), axis=4)


def ag_convnet(x):
    w = x[: AG_PARSER.N]
    c = np.tanh(_ag_conv_valid(AG_IMG, AG_PARSER.get(w, "conv")) + AG_PARSER.get(w, "cb"))
    p = _ag_maxpool(np.pad(c, ((0, 0), (0, 0), (0, 1), (0, 1))), 2)
    flat = p.reshape((p.shape[0], int(np.prod(p.shape[1:]))))
    z = np.dot(flat, AG_PARSER.get(w, "full")) + AG_PARSER.get(w, "fb")
    logp = z - logsumexp(z, axis=1, keepdims=True)
    return -np.sum(logp * np.eye(3)[[0, 2]]) + 0.5 * np.dot(w, w)


def _ag_cat_mul(weights, *args):
    return np.dot(np.hstack(args + (np.ones((args[0].shape[0], 1)),)), weights)


def ag_rnn(x):
    params = {"init": np.zeros((1, 3)), "change": x[:21].reshape(7, 3), "predict": np.ones((4, 3))}
    hiddens = np.repeat(params["init"], AG_SEQ.shape[1], axis=0)
    loglik = 0.0
    for t, inp in enumerate(AG_SEQ):
        hiddens = np.tanh(_ag_cat_mul(params["change"], inp, hiddens))
        out = _ag_cat_mul(params["predict"] * 0.3, hiddens)
        loglik += np.sum((out - logsumexp(out, axis=1, keepdims=True)) * np.abs(AG_SEQ[t]))
    return -loglik / AG_SEQ.size


def ag_lstm(x):
    change, forget = x[:21].reshape(7, 3), x[21:42].reshape(7, 3)
    hiddens = np.zeros((2, 3))
    cells = np.zeros((2, 3)) + x[42:45]
    total = 0.0
    for inp in AG_SEQ:
        c = np.tanh(_ag_cat_mul(change, inp, hiddens))
        f = _ag_sigmoid(_ag_cat_mul(forget, inp, hiddens))
        i = _ag_sigmoid(_ag_cat_mul(np.full((7, 3), 0.1), inp, hiddens))
        o = _ag_sigmoid(_ag_cat_mul(np.full((7, 3), 0.2), inp, hiddens))
        cells = cells * f + i * c
        hiddens = o * np.tanh(cells)
        out = _ag_cat_mul(np.full((4, 3), 0.3), hiddens)
        total += np.sum((out - logsumexp(out, axis=1, keepdims=True)) * np.abs(inp))
    return -total


AG_SHAPES = [(1, 3), (3, 1)]
AG_BN = sum((m + 1) * n for m, n in AG_SHAPES)


def _ag_bnn_layers(weights):
    k = len(weights)
    for m, n in AG_SHAPES:
        W = weights[:, : m * n].reshape((k, m, n))
        b = weights[:, m * n : m * n + n].reshape((k, 1, n))
        yield W, b
        weights = weights[:, (m + 1) * n :]


def ag_bayes_nn(x):
    mean, log_std = x[:AG_BN], x[AG_BN : 2 * AG_BN]
    eps = np.cos(np.arange(3 * AG_BN).reshape(3, AG_BN))
    samples = eps * np.exp(log_std) + mean
    inputs = np.expand_dims(np.linspace(-1, 1, 4).reshape(-1, 1), 0)
    for W, b in _ag_bnn_layers(samples):
        outputs = np.einsum("mnd,mdo->mno", inputs, W) + b
        inputs = np.tanh(outputs)
    targets = np.cos(np.linspace(-1, 1, 4) * 2).reshape(-1, 1)
    log_lik = -np.sum((outputs - targets) ** 2, axis=1)[:, 0] / 0.1
    logp = -0.1 * np.sum(samples**2, axis=1) + log_lik
    return -(_ag_entropy(log_std) + np.mean(logp))


def _ag_dyn(y, t, w):
    h = np.tanh(np.dot(y, w[:4].reshape(2, 2)) + w[4:6])
    return np.dot(h, w[6:10].reshape(2, 2))


def _ag_rk4(func, y0, ts, args):
    ys = [y0]
    y = y0
    for i in range(len(ts) - 1):
        h, t = ts[i + 1] - ts[i], ts[i]
        k1 = func(y, t, *args)
        k2 = func(y + h * k1 / 2, t + h / 2, *args)
        k3 = func(y + h * k2 / 2, t + h / 2, *args)
        k4 = func(y + h * k3, t + h, *args)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        ys.append(y)
    return np.stack(ys)


def ag_ode_net(x):
    pred = _ag_rk4(_ag_dyn, np.array([1.0, 0.0]), AG_TS, (x[:10],))
    return np.mean((pred - np.stack([np.cos(AG_TS), np.sin(AG_TS)], axis=1)) ** 2)


def _ag_project(vx, vy):
    p = np.zeros(vx.shape)
    h = 1.0 / vx.shape[0]
    div = -0.5 * h * (np.roll(vx, -1, axis=0) - np.roll(vx, 1, axis=0)
                      + np.roll(vy, -1, axis=1) - np.roll(vy, 1, axis=1))  # fmt: skip
    for _ in range(3):
        p = (div + np.roll(p, 1, axis=0) + np.roll(p, -1, axis=0)
             + np.roll(p, 1, axis=1) + np.roll(p, -1, axis=1)) / 4.0  # fmt: skip
    vx -= 0.5 * (np.roll(p, -1, axis=0) - np.roll(p, 1, axis=0)) / h
    vy -= 0.5 * (np.roll(p, -1, axis=1) - np.roll(p, 1, axis=1)) / h
    return vx, vy


def _ag_advect(f, vx, vy):
    rows, cols = f.shape
    cell_ys, cell_xs = np.meshgrid(np.arange(rows), np.arange(cols))
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
    flat_f = (1 - rw) * ((1 - bw) * f[left_ix, top_ix] + bw * f[left_ix, bot_ix]) + rw * (
        (1 - bw) * f[right_ix, top_ix] + bw * f[right_ix, bot_ix]
    )
    return np.reshape(flat_f, (rows, cols))


def ag_fluidsim(x):
    vx = np.reshape(x[: AG_N * AG_N], (AG_N, AG_N)) * 0.5
    vy = np.reshape(x[AG_N * AG_N : 2 * AG_N * AG_N], (AG_N, AG_N)) * 0.5
    smoke = AG_SMOKE
    for _ in range(2):
        vx_updated = _ag_advect(vx, vx, vy)
        vy_updated = _ag_advect(vy, vx, vy)
        vx, vy = _ag_project(vx_updated, vy_updated)
        smoke = _ag_advect(smoke, vx, vy)
    return np.mean((AG_TARGET - smoke) ** 2)


def _ag_occlude(f, occlusion):
    return f * (1 - occlusion)


def ag_wing(x):
    vx = np.reshape(x[: AG_N * AG_N], (AG_N, AG_N)) * 0.5
    vy = np.reshape(x[AG_N * AG_N : 2 * AG_N * AG_N], (AG_N, AG_N)) * 0.5
    occlusion = _ag_sigmoid(np.reshape(x[32:48], (AG_N, AG_N)) * 4.0)
    for _ in range(2):
        vx_updated = _ag_advect(vx, vx, vy)
        vy_updated = _ag_advect(vy, vx, vy)
        vx, vy = _ag_project(vx_updated, vy_updated)
        vx = _ag_occlude(vx, occlusion)
        vy = _ag_occlude(vy, occlusion)
    return -np.mean(vy) + 0.1 * np.mean(vx**2) + 0.01 * np.sum(occlusion)


def _ag_nn(params, inputs, nonlinearity=np.tanh):
    for W, b in params:
        outputs = np.dot(inputs, W) + b
        inputs = nonlinearity(outputs)
    return outputs


def ag_vae(x):
    sizes = [(4, 3), (3, 4), (2, 3), (3, 4)]
    layers, off = [], 0
    for m, n in sizes:
        layers.append((x[off : off + m * n].reshape(m, n), x[off + m * n : off + m * n + n]))
        off += m * n + n
    out = _ag_nn(layers[:2], AG_BX)
    mean, log_std = out[:, :2], out[:, 2:]
    latents = AG_BEPS * np.exp(log_std) + mean
    logits = _ag_nn(layers[2:], latents, lambda z: np.maximum(0, z))
    log_px = np.sum(-np.logaddexp(0, -logits * (AG_BX * 2 - 1)), axis=-1)
    log_q = np.sum(norm.logpdf(latents, mean, np.exp(log_std)), axis=-1)
    log_prior = np.sum(norm.logpdf(latents, 0, 1), axis=-1)
    return -np.mean(log_px + log_prior - log_q)


def _ag_normalize(a):
    return a / np.where(a > 0.0, a, 1.0).sum(-1, keepdims=True)


def _ag_log_partition(natural_params, data):
    log_pi, log_A, log_B = natural_params
    log_alpha = log_pi
    for y in data:
        log_alpha = logsumexp(log_alpha[:, None] + log_A, axis=0) + log_B[:, y]
    return logsumexp(log_alpha)


def ag_hmm(x):
    pi = _ag_normalize(np.exp(x[:2]))
    A = _ag_normalize(np.exp(x[2:6].reshape(2, 2)))
    B = _ag_normalize(np.exp(x[6:10].reshape(2, 2)))
    return _ag_log_partition((np.log(pi), np.log(A), np.log(B)), AG_OBS)


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(ag_neural_net, XS),
    _hvp(ag_neural_net_gauss_prior, XS),
    _hvp(ag_logistic, XS),
    _hvp(ag_taylor_sine, XS, jitter=0.0),
    _hvp(ag_gp_marginal, XS),
    _hvp(ag_gp_predict, XS),
    _hvp(ag_bbsvi, XS),
    _hvp(ag_bbsvi_seeded, XS),
    _hvp(ag_natural_gradient, XS),
    _hvp(ag_mixture_vi, XS),
    _hvp(ag_convnet, XS),
    _hvp(ag_rnn, XS),
    _hvp(ag_lstm, XS),
    _hvp(ag_bayes_nn, XS),
    _hvp(ag_ode_net, XS),
    _hvp(ag_fluidsim, XS, jitter=0.0),
    _hvp(ag_wing, XS, jitter=0.0),
    _hvp(ag_vae, XS),
    _hvp(ag_hmm, XS),
]
