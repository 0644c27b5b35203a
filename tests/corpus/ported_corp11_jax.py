"""Ported cases (session 11, corp11), written anew in NumPy after what JAX's examples and tests do:
kernel least squares (an RBF Gram matrix, a few unrolled gradient steps), ADVI on a funnel-shaped
2-D density with fixed reparameterization noise, DP-SGD (per-example gradients by hand and by
``srcad.grad`` inside the loss, clipped to an L2 bound, noised and averaged), an MNIST-style MLP
from scratch (tanh layers, log-softmax by logsumexp, SGD with momentum), Gaussian-process
regression by Cholesky with softplus-constrained hyperparameters, and the control-flow and
primitive tests of lax's autodiff (fori/while/scan/cond/switch written as Python loops and ifs;
cumulative ops, sort, dynamic slices, padding, max-pool windows, clamp, rem, atan2).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); every row is scalar-valued
and also checked at second order (``extra="hvp"``) unless marked otherwise."""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve_triangular
from scipy.special import logsumexp

import srcad

from . import Case

R = np.random.default_rng(18600011)
XJ = np.round(R.standard_normal(64) * 0.4, 3)
KL_X = R.uniform(-1, 1, (7, 2))
KL_Y = np.sin(3 * KL_X[:, 0]) * KL_X[:, 1]
ADVI_EPS = R.standard_normal((12, 2))
DP_X = R.standard_normal((6, 3))
DP_Y = (R.uniform(size=6) > 0.5).astype(float)
DP_NOISE = R.standard_normal(3)
MN_X = R.standard_normal((5, 4))
MN_T = np.eye(3)[[0, 2, 1, 1, 0]]
GP_X = np.linspace(-1.5, 1.5, 6)
GP_Y = np.cos(2 * GP_X) + 0.1 * R.standard_normal(6)


# -- kernel least squares ------------------------------------------------------------------------


def _rbf_gram(a, b, ls):
    sq = np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)
    return np.exp(-0.5 * sq / ls**2)


def jax_kernel_lsq(x):
    """Fit coefficients by a few gradient steps on ||K a - y||^2; the loss after the steps in
    the kernel's length scale, the data and the initial coefficients."""
    ls = 0.6 + 0.1 * x[0]
    pts = KL_X + 0.05 * x[1:15].reshape(7, 2)
    k = _rbf_gram(pts, pts, ls)
    alpha = 0.1 * x[15:22]
    lr = 0.05
    for _ in range(5):
        resid = k @ alpha - KL_Y
        alpha = alpha - lr * 2 * (k.T @ resid)
    pred = _rbf_gram(pts[:3] + 0.1, pts, ls) @ alpha
    return np.sum((k @ alpha - KL_Y) ** 2) + 0.1 * np.sum(pred**2)


# -- ADVI ---------------------------------------------------------------------------------------


def _funnel_logpdf(z):
    y, xx = z[..., 0], z[..., 1]
    ly = -0.5 * (y / 1.35) ** 2 - np.log(1.35) - 0.5 * np.log(2 * np.pi)
    lx = -0.5 * (xx / np.exp(y)) ** 2 - y - 0.5 * np.log(2 * np.pi)
    return ly + lx


def _diag_gauss_entropy(log_std):
    d = log_std.shape[0]
    return 0.5 * d * (1.0 + np.log(2 * np.pi)) + np.sum(log_std)


def jax_advi_elbo(x):
    mean, log_std = 0.3 * x[:2], -0.5 + 0.2 * x[2:4]
    samples = mean + np.exp(log_std) * ADVI_EPS
    return np.mean(_funnel_logpdf(samples)) + _diag_gauss_entropy(log_std)


def jax_advi_loop(x):
    """The ELBO by an explicit loop over samples, the entropy by the Gaussian log density."""
    mean, log_std = 0.3 * x[:2], -0.5 + 0.2 * x[2:4]
    total = 0.0
    for eps in ADVI_EPS[:6]:
        z = mean + np.exp(log_std) * eps
        logq = np.sum(-0.5 * eps**2 - log_std - 0.5 * np.log(2 * np.pi))
        total += _funnel_logpdf(z) - logq
    return total / 6


# -- DP-SGD -------------------------------------------------------------------------------------


def _logit_loss(w, xi, yi):
    z = xi @ w
    return np.logaddexp(0.0, z) - yi * z


def _clip(g, bound):
    norm = np.sqrt(np.sum(g * g))
    return g / np.maximum(1.0, norm / bound)


def jax_dpsgd_manual(x):
    """Per-example logistic gradients by hand, clipped, noised, one step; the loss after it."""
    w = 0.5 * x[:3]
    grads = []
    for i in range(DP_X.shape[0]):
        p = 1 / (1 + np.exp(-DP_X[i] @ w))
        grads.append(_clip((p - DP_Y[i]) * DP_X[i], 0.4))
    g = (np.sum(np.stack(grads), axis=0) + 0.1 * DP_NOISE) / DP_X.shape[0]
    w2 = w - 0.5 * g
    return np.mean(np.logaddexp(0.0, DP_X @ w2) - DP_Y * (DP_X @ w2))


def jax_dpsgd_nested_grad(x):
    """The same with each per-example gradient from srcad.grad inside the loss (first order)."""
    w = 0.5 * x[:3]
    gsum = np.zeros(3)
    for i in range(DP_X.shape[0]):
        gi = srcad.grad(_logit_loss)(w, DP_X[i], DP_Y[i])
        gsum = gsum + _clip(gi, 0.4)
    w2 = w - 0.5 * (gsum + 0.1 * DP_NOISE) / DP_X.shape[0]
    return np.mean(np.logaddexp(0.0, DP_X @ w2) - DP_Y * (DP_X @ w2))


def jax_dpsgd_vectorized(x):
    w = 0.5 * x[:3]
    p = 1 / (1 + np.exp(-DP_X @ w))
    per_ex = (p - DP_Y)[:, None] * DP_X
    norms = np.linalg.norm(per_ex, axis=1, keepdims=True)
    clipped = per_ex / np.maximum(1.0, norms / 0.4)
    w2 = w - 0.5 * (clipped.sum(0) + 0.1 * DP_NOISE) / len(DP_Y)
    z = DP_X @ w2
    return np.mean(np.logaddexp(0.0, z) - DP_Y * z)


# -- MNIST from scratch -------------------------------------------------------------------------


def _init_params(x, sizes):
    params, k = [], 0
    for m, n in zip(sizes[:-1], sizes[1:]):
        w = 0.3 * x[k : k + m * n].reshape(m, n)
        k += m * n
        b = 0.1 * x[k : k + n]
        k += n
        params.append((w, b))
    return params


def _predict(params, inputs):
    act = inputs
    for w, b in params[:-1]:
        act = np.tanh(act @ w + b)
    w, b = params[-1]
    logits = act @ w + b
    return logits - logsumexp(logits, axis=1, keepdims=True)


def jax_mnist_loss(x):
    params = _init_params(x, [4, 3, 3])
    return -np.mean(np.sum(_predict(params, MN_X) * MN_T, axis=1))


def jax_mnist_momentum(x):
    """Two SGD-with-momentum steps with the gradient written out for a softmax layer."""
    w = 0.3 * x[:12].reshape(4, 3)
    vel = np.zeros_like(w)
    for _ in range(2):
        logits = MN_X @ w
        p = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
        g = MN_X.T @ (p - MN_T) / MN_X.shape[0]
        vel = 0.9 * vel - 0.5 * g
        w = w + vel
    logits = MN_X @ w
    return -np.mean(np.sum((logits - logsumexp(logits, axis=1, keepdims=True)) * MN_T, axis=1))


# -- Gaussian-process regression ----------------------------------------------------------------


def _softplus(v):
    return np.logaddexp(v, 0.0)


def jax_gp_marginal_likelihood(x):
    amp, ls, noise = _softplus(x[0]), _softplus(0.5 + x[1]), _softplus(x[2] - 2.0) + 1e-4
    d = GP_X[:, None] - GP_X[None, :]
    k = amp * np.exp(-0.5 * (d / ls) ** 2) + noise * np.eye(6)
    chol = cholesky(k, lower=True)
    alpha = cho_solve((chol, True), GP_Y)
    ml = -0.5 * GP_Y @ alpha - np.sum(np.log(np.diag(chol))) - 3 * np.log(2 * np.pi)
    xs = np.array([-0.2, 0.7])
    ks = amp * np.exp(-0.5 * ((xs[:, None] - GP_X[None, :]) / ls) ** 2)
    mu = ks @ alpha
    v = solve_triangular(chol, ks.T, lower=True)
    var = amp - np.sum(v * v, axis=0)
    return -ml + np.sum(mu**2) + np.sum(var)


# -- lax control flow, written as Python ---------------------------------------------------------


def jax_fori_loop_carry(x):
    carry = (x[0], x[1], 0.0)
    for i in range(6):
        a, b, acc = carry
        carry = (b, a * 0.5 + np.sin(b), acc + a * i)
    return carry[0] + carry[1] ** 2 + carry[2]


def jax_while_loop_value(x):
    """A while loop whose trip count depends on a value (fixed near the inputs)."""
    v = 1.0 + 0.1 * x[0]
    i = 0
    while v < 5.0 and i < 50:
        v = v * (1.3 + 0.01 * x[1])
        i += 1
    return v + i


def jax_scan_cumulative(x):
    ys = []
    c = x[0]
    for xi in x[1:8]:
        c = np.tanh(c * 0.8 + xi)
        ys.append(c * xi)
    return c + np.sum(np.array(ys) ** 2)


def jax_cond_switch(x):
    branches = (np.sin, np.cos, lambda t: t**3, np.tanh)
    total = 0.0
    for k in range(8):
        idx = min(max(int(np.floor(2 * x[k] + 2)), 0), 3)
        total += branches[idx](x[k + 8])
        total += x[k] ** 2 if x[k] > 0 else -x[k] * x[k + 16]
    return total


# -- lax autodiff primitives ----------------------------------------------------------------------


def jax_cumulative_ops(x):
    a = x[:6]
    return (
        np.sum(np.cumsum(a) ** 2)
        + np.sum(np.cumprod(0.5 + 0.2 * a))
        + np.sum(np.maximum.accumulate(a) * a)
        + np.sum(np.cumsum(a[::-1])[::-1] * a)
    )


def jax_sort_topk(x):
    a = x[:8]
    s = np.sort(a)
    top3 = s[-3:][::-1]
    order = np.argsort(-a)
    return np.sum(top3 * np.array([3.0, 2.0, 1.0])) + np.sum(a[order[:2]] ** 2) + s[0] * s[1]


def jax_dynamic_slices(x):
    a = x[:10].copy()
    start = 3
    window = a[start : start + 4]
    b = np.zeros(10)
    b[2:6] = window * 2
    c = np.pad(a[:4], (2, 1), mode="constant", constant_values=0.5)
    d = np.pad(a[4:8], 1, mode="edge")
    return np.sum(b * a) + np.sum(c**2) + np.sum(d * np.arange(6))


def jax_reduce_window(x):
    img = x[:16].reshape(4, 4)
    pooled = img.reshape(2, 2, 2, 2).max(axis=(1, 3))
    avg = img.reshape(2, 2, 2, 2).mean(axis=(1, 3))
    k = np.array([0.25, 0.5, 0.25])
    conv = np.convolve(x[16:24], k, mode="valid")
    corr = np.correlate(x[24:30], k, mode="same")
    return np.sum(pooled**2) + np.sum(avg * pooled) + np.sum(conv**2) + np.sum(corr * x[24:30])


def jax_misc_prims(x):
    a, b = x[:6], x[6:12] + 2.0
    clamp = np.clip(a, -0.3, 0.4)
    rem = np.remainder(a + 3.0, 0.7)
    fm = np.fmod(a, 0.5)
    at = np.arctan2(a, b)
    return (
        np.sum(clamp**2)
        + np.sum(rem * a)
        + np.sum(fm * b)
        + np.sum(at)
        + np.sum(np.expm1(a) * np.log1p(b))
        + np.sum(np.where(a > 0, a, 0.1 * a) ** 2)
    )


def jax_pytree_loss(x):
    params = {"dense": {"w": x[:6].reshape(2, 3), "b": x[6:9]}, "scale": (x[9], x[10])}
    inputs = np.array([[0.5, -1.0], [1.5, 0.2]])
    h = inputs @ params["dense"]["w"] + params["dense"]["b"]
    s0, s1 = params["scale"]
    return np.sum(np.tanh(h) * s0) + s1**2 * np.sum(h)


def _logsumexp_stable(v):
    m = np.max(v)
    return m + np.log(np.sum(np.exp(v - m)))


def jax_custom_jvp_style(x):
    """What custom_jvp examples compute: a stable logsumexp, a safe softplus, a safe norm."""
    a = x[:5]
    softplus = np.where(a > 20, a, np.log1p(np.exp(np.minimum(a, 20))))
    r = np.sqrt(np.sum(a**2) + 1e-12)
    return _logsumexp_stable(a * 3) + np.sum(softplus) + r


def _hvp(fn, x=XJ, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(jax_kernel_lsq),
    _hvp(jax_advi_elbo),
    _hvp(jax_advi_loop),
    _hvp(jax_dpsgd_manual),
    Case(jax_dpsgd_nested_grad, (XJ,), (0,)),
    _hvp(jax_dpsgd_vectorized),
    _hvp(jax_mnist_loss),
    _hvp(jax_mnist_momentum),
    _hvp(jax_gp_marginal_likelihood),
    _hvp(jax_fori_loop_carry),
    _hvp(jax_while_loop_value),
    _hvp(jax_scan_cumulative),
    _hvp(jax_cond_switch),
    _hvp(jax_cumulative_ops),
    _hvp(jax_sort_topk),
    _hvp(jax_dynamic_slices),
    _hvp(jax_reduce_window),
    _hvp(jax_misc_prims),
    _hvp(jax_pytree_loss),
    _hvp(jax_custom_jvp_style),
]
