"""Ported cases (session 26, corp26), written anew as user code after the autograd examples not yet
in the corpus: ICA with a Student-t source density (``scipy.stats.t.logpdf`` of the unmixed
signals plus ``N log|det W|`` by ``slogdet``), functions in an RKHS as a class holding a dict of
centre -> coefficient with ``__add__`` / ``__rmul__`` / ``__call__``, negative-binomial maximum
likelihood in unconstrained (``log r``, ``logit p``), ``sinusoid`` / ``tanh``'s derivatives by
nested ``srcad.grad``, Bayesian optimisation's expected improvement of a GP posterior
(``norm.cdf`` / ``norm.pdf``), a GAN's discriminator and generator objectives from two small MLPs
in one flat parameter vector, a Gaussian mixture's log-likelihood with Cholesky-parameterised
covariances (``multivariate_normal.logpdf``), HMM expected counts as the gradient of the log
partition function (``srcad.grad`` inside the function, EM's E-step) and a fixed point (Newton's
square root) iterated to a fixed count.

Float vectors / matrices -> float scalar (checked at second order with ``extra="hvp"`` where the
function allows it) or arrays."""

from __future__ import annotations

import numpy as np
from scipy import special
from scipy.stats import multivariate_normal, norm, t

import srcad

from . import Case, refused_when_differentiated

R = np.random.default_rng(26000005)
SIG = np.round(R.standard_t(3.0, size=(20, 2)), 3)
MIX = np.array([[1.0, 0.4], [0.3, 1.2]])
XOBS = SIG @ MIX.T


def ica_loglik(W, df=3.0):
    latents = XOBS @ W.T
    sign, logdet = np.linalg.slogdet(W)
    return np.sum(t.logpdf(latents, df)) + XOBS.shape[0] * logdet


class RKHSFun:
    def __init__(self, alphas=None, scale=0.5):
        self.alphas = {} if alphas is None else alphas
        self.scale = scale

    def kernel(self, a, b):
        return np.exp(-((a - b) ** 2) / self.scale)

    def __call__(self, x):
        return sum(c * self.kernel(x, z) for z, c in self.alphas.items())

    def __add__(self, other):
        out = dict(self.alphas)
        for z, c in other.alphas.items():
            out[z] = out.get(z, 0.0) + c
        return RKHSFun(out, self.scale)

    def __rmul__(self, a):
        return RKHSFun({z: a * c for z, c in self.alphas.items()}, self.scale)


def rkhs_fit(c, x):
    f = RKHSFun({0.0: c[0], 1.0: c[1]})
    g = RKHSFun({1.0: c[2], 2.0: 0.5})
    h = f + 2.0 * g
    return (h(x) - np.sin(x)) ** 2 + h(0.3 * x)


NB_DATA = np.array([3.0, 0.0, 5, 2, 8, 1, 4, 2])


def negbin_loglik(params, data=NB_DATA):
    log_r, logit_p = params
    r, p = np.exp(log_r), special.expit(logit_p)
    lp = special.gammaln(data + r) - special.gammaln(data + 1) - special.gammaln(r)
    return np.sum(lp + r * np.log1p(-p) + data * np.log(p))


def _sin(x):
    return np.sin(x)


def sinusoid_derivs(x):
    d1 = srcad.grad(_sin)
    return d1(x) ** 2 + x * srcad.grad(_sin)(0.5 * x)


def _tanh(x):
    y = np.exp(-2.0 * x)
    return (1.0 - y) / (1.0 + y)


def tanh_second(x):
    return srcad.grad(srcad.grad(_tanh))(x)


def expected_improvement(x, best=0.2):
    X = np.array([-1.0, -0.3, 0.4, 1.1])
    y = np.sin(3 * X) + 0.3 * X
    K = np.exp(-0.5 * (X[:, None] - X[None, :]) ** 2 / 0.3) + 1e-4 * np.eye(4)
    k = np.exp(-0.5 * (X - x) ** 2 / 0.3)
    alpha = np.linalg.solve(K, y)
    mean = k @ alpha
    var = 1.0 + 1e-4 - k @ np.linalg.solve(K, k)
    std = np.sqrt(var)
    z = (mean - best) / std
    return std * (z * norm.cdf(z) + norm.pdf(z))


def _mlp(params, shapes, x):
    pos = 0
    for m, n in shapes:
        W = params[pos : pos + m * n].reshape(m, n)
        b = params[pos + m * n : pos + m * n + n]
        pos += m * n + n
        x = np.tanh(x @ W + b) if n > 1 else x @ W + b
    return x


G_SHAPES = [(2, 4), (4, 2)]
D_SHAPES = [(2, 3), (3, 1)]
Z = np.round(R.normal(size=(6, 2)), 3)
REAL = np.round(R.normal(size=(6, 2)) + 1.0, 3)


def gan_objectives(gen_params, dsc_params):
    fake = _mlp(gen_params, G_SHAPES, Z)
    logit_real = _mlp(dsc_params, D_SHAPES, REAL)[:, 0]
    logit_fake = _mlp(dsc_params, D_SHAPES, fake)[:, 0]
    dsc = np.mean(np.logaddexp(0, -logit_real)) + np.mean(np.logaddexp(0, logit_fake))
    gen = np.mean(np.logaddexp(0, -logit_fake))
    return dsc + 0.5 * gen


def gmm_loglik(log_props, means, chols):
    props = np.exp(log_props - special.logsumexp(log_props))
    comps = []
    for k in range(len(props)):
        L = np.tril(chols[k])
        comps.append(np.log(props[k]) + multivariate_normal.logpdf(XOBS, means[k], L @ L.T))
    return np.sum(special.logsumexp(np.stack(comps, axis=1), axis=1))


def hmm_log_partition(log_pi, log_A, log_B, obs=(0, 1, 1, 0, 2)):
    alpha = log_pi + log_B[:, obs[0]]
    for o in obs[1:]:
        alpha = special.logsumexp(alpha[:, None] + log_A, axis=0) + log_B[:, o]
    return special.logsumexp(alpha)


def hmm_em_step(log_A, log_pi, log_B):
    counts = srcad.grad(hmm_log_partition, 1)(log_pi, log_A, log_B)
    new_A = counts / np.sum(counts, axis=1, keepdims=True)
    return np.sum(new_A * np.log(new_A + 1.0))


def fixed_point_sqrt(a):
    x = 1.0
    for _ in range(12):
        x = 0.5 * (x + a / x)
    return x * np.sin(x)


W0 = np.linalg.inv(MIX) + 0.05 * R.normal(size=(2, 2))
CASES = [
    Case(ica_loglik, (W0,), (0,), extra="hvp"),
    Case(
        rkhs_fit,
        (np.array([0.4, -0.7, 1.1]), 0.6),
        (0, 1),
        xfail=refused_when_differentiated(
            "`out.get(z, 0.0)` with `z` a constant float key of another RKHSFun's dict: '`.get()`"
            " is not differentiable in its argument `key`: here it depends on the differentiated"
            " inputs' (the keys are constants; the coefficients are differentiated)"
        ),
    ),
    Case(negbin_loglik, (np.array([0.5, 0.2]),), (0,), extra="hvp"),
    Case(sinusoid_derivs, (0.7,), (0,)),
    Case(tanh_second, (0.4,), (0,)),  # (lifted by higher27: any depth inside)
    Case(expected_improvement, (0.1,), (0,), extra="hvp"),
    Case(gan_objectives, (R.normal(size=22) * 0.5, R.normal(size=13) * 0.5), (0, 1), extra="hvp"),
    Case(
        gmm_loglik,
        (
            np.array([0.1, -0.2]),
            np.array([[0.2, 0.1], [-0.3, 0.4]]),
            np.array([np.eye(2) * 1.5, np.eye(2) + 0.2]),
        ),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        hmm_em_step,
        (
            np.log(np.array([[0.7, 0.3], [0.4, 0.6]])),
            np.log(np.array([0.6, 0.4])),
            np.log(np.array([[0.5, 0.3, 0.2], [0.1, 0.4, 0.5]])),
        ),
        (0, 1, 2),
    ),
    Case(fixed_point_sqrt, (2.3,), (0,), extra="hvp"),
]
