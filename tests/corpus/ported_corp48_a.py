"""Ported cases (session 48, hunt48a): probabilistic models, numerical methods, statistics and
molecular energies written as users write them, that srcad gets right (fwd, rev, hvp): Student-t,
Dirichlet, negative-binomial and von Mises log-likelihoods by ``scipy.special`` (gammaln, xlogy,
i0e), a Gaussian mixture by logsumexp, probit by log_ndtr, a VAE's ELBO with a fixed eps, planar
and affine-coupling flows, a linear flow's slogdet, a Laplace approximation by cholesky and
solve_triangular, self-normalised importance weights; an unrolled HMC leapfrog, an adaptive RK
step-doubling loop (``while t < T`` with data-dependent step changes), implicit Euler with a
Newton inner loop and ``np.linalg.solve``, Crank-Nicolson, upwind Burgers by ``np.where``, a
spectral heat step by np.fft, Gauss-Legendre nodes as constants, Clenshaw's recurrence; a Cox
partial likelihood by a reversed cumsum and one with tied times, Tobit, ordinal logistic with
increasing cutpoints, a mixed model by slogdet, Tukey's biweight; a Morse energy with a cutoff
over ``np.triu_indices``, an Ewald real-space sum with the minimum image, a dihedral by arctan2,
mean-field Ising by a fixed-point loop, a cloth with a pinned vertex, and a NaN-skipping loss in
a module-level helper (the NaNs of missing data in the caller's product).

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular
from scipy.special import erfc, expit, gammaln, i0e, log_ndtr, logsumexp, xlogy

from . import Case

_R = np.random.default_rng(48)
_X = _R.standard_normal((8, 2))
_E = (_R.random(8) > 0.3).astype(float)


# -- probabilistic models ------------------------------------------------------------------------
def student_t_ll(p, x):
    mu, s, nu = p[0], np.exp(p[1]), np.exp(p[2])
    z = (x - mu) / s
    ll = gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * np.log(nu * np.pi) - np.log(s)
    return np.sum(ll - (nu + 1) / 2 * np.log1p(z**2 / nu))


def dirichlet_ll(a, X):
    a = np.exp(a)
    return np.sum(gammaln(a.sum()) - gammaln(a).sum() + np.sum(xlogy(a - 1, X), axis=1))


def negbin_ll(p, y):
    r, m = np.exp(p[0]), np.exp(p[1])
    pr = r / (r + m)
    return np.sum(gammaln(y + r) - gammaln(r) - gammaln(y + 1) + r * np.log(pr) + y * np.log1p(-pr))


def vonmises_ll(p, th):
    mu, k = p[0], np.exp(p[1])
    return np.sum(k * np.cos(th - mu) - np.log(2 * np.pi * i0e(k)) - k)


def gmm_ll(params, x):
    w, mu, ls = params[:3], params[3:6], params[6:9]
    logw = w - logsumexp(w)
    z = (x[:, None] - mu[None, :]) / np.exp(ls)
    lp = logw[None, :] - 0.5 * z**2 - ls - 0.5 * np.log(2 * np.pi)
    return np.sum(logsumexp(lp, axis=1))


def probit_ll(b, X, y):
    eta = X @ b
    return np.sum(y * log_ndtr(eta) + (1 - y) * log_ndtr(-eta))


def vae_elbo(theta, x, eps):
    We = theta[:16].reshape(4, 4)
    Wd = theta[16:].reshape(2, 4)
    h = x @ We
    mu, logvar = h[:, :2], h[:, 2:]
    z = mu + np.exp(0.5 * logvar) * eps
    logits = z @ Wd
    rec = np.sum(x * logits - np.logaddexp(0, logits))
    kl = -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))
    return kl - rec


def planar_flow(p, z):
    u, w, b = p[:2], p[2:4], p[4]
    a = np.tanh(z @ w + b)
    f = z + np.outer(a, u)
    logdet = np.log(np.abs(1 + np.outer(1 - a**2, w) @ u))
    return np.sum(-0.5 * np.sum(f**2, axis=1) + logdet)


def coupling_flow(th, x):
    mask = np.array([1.0, 0.0, 1.0, 0.0])
    W, V = th[:16].reshape(4, 4), th[16:].reshape(4, 4)
    xm = x * mask
    s = np.tanh(xm @ W) * (1 - mask)
    y = xm + (1 - mask) * (x * np.exp(s) + (xm @ V) * (1 - mask))
    return np.sum(-0.5 * y**2) + np.sum(s)


def linear_flow(W, x):
    _, ld = np.linalg.slogdet(W)
    return np.sum(-0.5 * (x @ W.T) ** 2) + x.shape[0] * ld


def laplace_evidence(w, X, y):
    p = expit(X @ w)
    H = X.T @ (X * (p * (1 - p))[:, None]) + np.eye(len(w))
    L = np.linalg.cholesky(H)
    a = solve_triangular(L, w, lower=True)
    nll = -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    return nll + 0.5 * a @ a + np.sum(np.log(np.diag(L)))


def importance(mu, eps):
    z = mu + eps
    lw = -0.5 * (z - 1.0) ** 2 + 0.5 * eps**2
    w = np.exp(lw - logsumexp(lw))
    return np.sum(w * z**2) + logsumexp(lw) - np.log(len(eps))


def hmc_leapfrog(q0, p0, eps=0.1, L=10):
    k = np.array([1.0, 4.0])
    q, p = q0.copy(), p0.copy()
    p = p - 0.5 * eps * (k * q + 0.1 * q**3)
    for i in range(L):
        q = q + eps * p
        if i != L - 1:
            p = p - eps * (k * q + 0.1 * q**3)
    p = p - 0.5 * eps * (k * q + 0.1 * q**3)
    return 0.5 * np.sum(k * q**2) + 0.025 * np.sum(q**4) + 0.5 * p @ p


# -- numerical methods ---------------------------------------------------------------------------
def rk_adaptive(k, y0=1.0, T=2.0):
    t, y, h = 0.0, y0, 0.1
    while t < T:
        if t + h > T:
            h = T - t
        k1 = -k * y + np.sin(t)
        k2 = -k * (y + h / 2 * k1) + np.sin(t + h / 2)
        k3 = -k * (y + h / 2 * k2) + np.sin(t + h / 2)
        k4 = -k * (y + h * k3) + np.sin(t + h)
        y4 = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        if abs(y4 - (y + h * k2)) < 1e-3:
            t, y = t + h, y4
            h = h * 1.5
        else:
            h = h * 0.5
    return y


def implicit_euler(lam, n=6, dt=0.1):
    y = np.array([1.0, 0.5])
    rot = np.array([[0.0, 1.0], [-1.0, 0.0]])
    for _ in range(n):
        z = y.copy()
        for _ in range(20):
            F = z - y - dt * (-lam * z**3 + rot @ z)
            J = np.eye(2) - dt * (np.diag(-3 * lam * z**2) + rot)
            dz = np.linalg.solve(J, F)
            z = z - dz
            if np.max(np.abs(dz)) < 1e-13:
                break
        y = z
    return np.sum(y**2)


def crank_nicolson(kappa, n=10, steps=4):
    dx, dt = 1.0 / (n + 1), 0.01
    u = np.sin(np.pi * np.linspace(dx, 1 - dx, n))
    L = (
        np.diag(-2 * np.ones(n)) + np.diag(np.ones(n - 1), 1) + np.diag(np.ones(n - 1), -1)
    ) / dx**2
    A = np.eye(n) - 0.5 * dt * kappa * L
    B = np.eye(n) + 0.5 * dt * kappa * L
    for _ in range(steps):
        u = np.linalg.solve(A, B @ u)
    return np.sum(u**2) * dx


def burgers_upwind(u0, nu=0.01, steps=8, dx=0.1, dt=0.02):
    u = u0.copy()
    for _ in range(steps):
        up, um = np.roll(u, -1), np.roll(u, 1)
        adv = np.where(u > 0, u * (u - um) / dx, u * (up - u) / dx)
        u = u - dt * adv + nu * dt * (up - 2 * u + um) / dx**2
    return np.sum(u**2)


def spectral_heat(u0, nu=0.1, T=0.5):
    n = u0.shape[0]
    k = np.fft.fftfreq(n, d=1.0 / n) * 2 * np.pi
    uh = np.fft.fft(u0) * np.exp(-nu * k**2 * T)
    return np.sum(np.real(np.fft.ifft(uh)) ** 2) + 0.01 * np.sum(
        np.real(np.fft.ifft(1j * k * uh)) ** 2
    )


_GL_X, _GL_W = np.polynomial.legendre.leggauss(8)


def gauss_legendre(p):
    x = 0.5 * p[1] * _GL_X + 0.5 * p[1]
    return 0.5 * p[1] * np.sum(_GL_W * np.exp(-p[0] * x**2))


def clenshaw(c, x):
    b1, b2 = np.zeros_like(x), np.zeros_like(x)
    for ck in c[:0:-1]:
        b1, b2 = 2 * x * b1 - b2 + ck, b1
    return np.sum(x * b1 - b2 + c[0])


# -- statistics ----------------------------------------------------------------------------------
def cox_cumsum(beta, X, times, events):
    order = np.argsort(times)
    X, e = X[order], events[order]
    eta = X @ beta
    risk = np.cumsum(np.exp(eta)[::-1])[::-1]
    return -np.sum(e * (eta - np.log(risk)))


def cox_ties(beta, X, times, events):
    eta = X @ beta
    ll = 0.0
    for i in range(len(times)):
        if events[i]:
            ll += eta[i] - np.log(np.sum(np.exp(eta[times >= times[i]])))
    return -ll


def tobit(p, X, y, c=0.0):
    b, s = p[:2], np.exp(p[2])
    eta = X @ b
    ll = np.where(
        y <= c,
        log_ndtr((c - eta) / s),
        -0.5 * ((y - eta) / s) ** 2 - np.log(s) - 0.5 * np.log(2 * np.pi),
    )
    return -np.sum(ll)


def ordinal_logit(p, X, y):
    b, raw = p[:2], p[2:]
    cuts = np.concatenate([[raw[0]], raw[0] + np.cumsum(np.exp(raw[1:]))])
    cum = expit(cuts[None, :] - (X @ b)[:, None])
    cum = np.hstack([np.zeros((len(y), 1)), cum, np.ones((len(y), 1))])
    n = np.arange(len(y))
    return -np.sum(np.log(cum[n, y + 1] - cum[n, y]))


def mixed_model(theta, X, y, Z):
    b = theta[:2]
    V = np.exp(theta[3]) * Z @ Z.T + np.exp(theta[2]) * np.eye(len(y))
    r = y - X @ b
    _, logdet = np.linalg.slogdet(V)
    return 0.5 * logdet + 0.5 * r @ np.linalg.solve(V, r)


def tukey_biweight(b, X, y, c=1.5):
    u = (y - X @ b) / c
    return np.sum(np.where(np.abs(u) <= 1, c**2 / 6 * (1 - (1 - u**2) ** 3), c**2 / 6))


def _nan_total(z):
    return np.nansum(z**2) + np.nanmax(z, axis=0).sum()


def missing_data_loss(w, Y):
    return _nan_total(Y * w - 0.5)


# -- chemistry / physics -------------------------------------------------------------------------
def morse_cutoff(pos, rc=2.5, D=1.0, a=1.5, r0=1.0):
    i, j = np.triu_indices(pos.shape[0], 1)
    r = np.sqrt(np.sum((pos[i] - pos[j]) ** 2, axis=1))
    return np.sum(np.where(r < rc, D * (1 - np.exp(-a * (r - r0))) ** 2 - D, 0.0))


def ewald_real(pos, q, alpha=0.8, L=4.0):
    E = 0.0
    for i in range(len(q)):
        for j in range(i + 1, len(q)):
            d = pos[i] - pos[j]
            d = d - L * np.round(d / L)
            r = np.sqrt(d @ d)
            E += q[i] * q[j] * erfc(alpha * r) / r
    return E - alpha / np.sqrt(np.pi) * np.sum(q**2)


def dihedral_energy(x, k=2.0, n=3):
    b0, b1, b2 = x[0] - x[1], x[2] - x[1], x[3] - x[2]
    b1n = b1 / np.linalg.norm(b1)
    v = b0 - np.dot(b0, b1n) * b1n
    w = b2 - np.dot(b2, b1n) * b1n
    phi = np.arctan2(np.dot(np.cross(b1n, v), w), np.dot(v, w))
    return k * (1 + np.cos(n * phi))


def ising_mean_field(h, J, beta=1.0, iters=40):
    m = np.full(len(h), 0.1)
    for _ in range(iters):
        m = np.tanh(beta * (J @ m + h))
    ent = np.sum((1 + m) / 2 * np.log((1 + m) / 2) + (1 - m) / 2 * np.log((1 - m) / 2))
    return -0.5 * m @ J @ m - h @ m + ent / beta


def cloth_pinned(pos0, steps=3, dt=0.05, k=20.0):
    idx = np.arange(9).reshape(3, 3)
    edges = np.concatenate(
        [
            np.stack([idx[:, :-1].ravel(), idx[:, 1:].ravel()], 1),
            np.stack([idx[:-1].ravel(), idx[1:].ravel()], 1),
        ]
    )
    x, v = pos0.copy(), np.zeros_like(pos0)
    for _ in range(steps):
        d = x[edges[:, 1]] - x[edges[:, 0]]
        L = np.linalg.norm(d, axis=1)
        f = (k * (L - 1.0) / L)[:, None] * d
        F = np.zeros_like(x)
        np.add.at(F, edges[:, 0], f)
        np.add.at(F, edges[:, 1], -f)
        F[:, 2] -= 9.8
        v = v + dt * F
        v[[0, 2]] = 0.0
        x = x + dt * v
        x[0] = pos0[0]
    return np.sum(x[:, 2] ** 2)


_G = np.stack(np.meshgrid(np.arange(3.0), np.arange(3.0), indexing="ij"), -1).reshape(9, 2)
_CLOTH = np.concatenate([_G * 1.05, np.zeros((9, 1))], 1) + 0.01 * _R.standard_normal((9, 3))
_YNAN = _R.standard_normal((4, 3))
_YNAN[0, 1] = _YNAN[2, 0] = _YNAN[3, 2] = np.nan
_J = 0.1 * _R.standard_normal((4, 4))
_XV = (_R.random((5, 4)) > 0.5).astype(float)
_DIH = np.array([[1.0, 0.2, 0.0], [0.0, 0.0, 0.0], [0.0, 1.2, 0.1], [-0.5, 1.5, 0.9]])

CASES = [
    Case(student_t_ll, (np.array([0.1, 0.2, 1.0]), _R.standard_normal(8)), (0,), extra="hvp"),
    Case(
        dirichlet_ll, (np.array([0.1, 0.3, -0.2]), _R.dirichlet(np.ones(3), 5)), (0,), extra="hvp"
    ),
    Case(negbin_ll, (np.array([0.3, 1.0]), np.array([0, 1, 3, 2, 7, 0])), (0,), extra="hvp"),
    Case(vonmises_ll, (np.array([0.3, 0.5]), _R.uniform(-3, 3, 6)), (0,), extra="hvp"),
    Case(gmm_ll, (_R.standard_normal(9) * 0.5, _R.standard_normal(8)), (0, 1), extra="hvp"),
    Case(probit_ll, (np.array([0.2, -0.1]), _X, _E), (0,), extra="hvp"),
    Case(
        vae_elbo, (_R.standard_normal(24) * 0.3, _XV, _R.standard_normal((5, 2))), (0,), extra="hvp"
    ),
    Case(
        planar_flow, (_R.standard_normal(5) * 0.5, _R.standard_normal((4, 2))), (0, 1), extra="hvp"
    ),
    Case(
        coupling_flow, (_R.standard_normal(32) * 0.3, _R.standard_normal((3, 4))), (0,), extra="hvp"
    ),
    Case(
        linear_flow,
        (np.eye(3) + 0.2 * _R.standard_normal((3, 3)), _R.standard_normal((4, 3))),
        (0,),
        extra="hvp",
    ),
    Case(laplace_evidence, (np.array([0.3, -0.2]), _X, _E), (0,), extra="hvp"),
    Case(importance, (0.3, _R.standard_normal(10)), (0,), extra="hvp"),
    Case(hmc_leapfrog, (np.array([0.5, -0.3]), np.array([0.1, 0.2])), (0, 1), extra="hvp"),
    Case(rk_adaptive, (0.7,), (0,), extra="hvp"),
    Case(implicit_euler, (0.8,), (0,), extra="hvp"),
    Case(crank_nicolson, (0.5,), (0,), extra="hvp"),
    Case(
        burgers_upwind,
        (np.sin(np.linspace(0, 2 * np.pi, 12, endpoint=False)) + 0.1,),
        (0,),
        extra="hvp",
    ),
    Case(spectral_heat, (_R.standard_normal(8),), (0,), extra="hvp"),
    Case(gauss_legendre, (np.array([0.7, 2.0]),), (0,), extra="hvp"),
    Case(clenshaw, (_R.standard_normal(5), np.linspace(-0.9, 0.9, 6)), (0, 1), extra="hvp"),
    Case(cox_cumsum, (np.array([0.3, -0.2]), _X, _R.exponential(1, 8), _E), (0,), extra="hvp"),
    Case(
        cox_ties,
        (np.array([0.3, -0.2]), _X, np.array([1.0, 2, 2, 3, 3, 3, 4, 5]), _E),
        (0,),
        extra="hvp",
    ),
    Case(
        tobit,
        (np.array([0.5, 0.2, 0.1]), _X, np.maximum(_X @ np.array([1.0, 0.5]) + 0.3, 0.0)),
        (0,),
        extra="hvp",
    ),
    Case(
        ordinal_logit,
        (np.array([0.2, -0.1, -1.0, 0.0, 0.3]), _X, np.array([0, 1, 2, 3, 1, 2, 0, 3])),
        (0,),
        extra="hvp",
    ),
    Case(
        mixed_model,
        (
            np.array([0.5, 0.1, -0.5, 0.2]),
            _X,
            _R.standard_normal(8),
            np.kron(np.eye(4), np.ones((2, 1))),
        ),
        (0,),
        extra="hvp",
    ),
    Case(
        tukey_biweight,
        (np.array([0.8, -0.7]), _X, _X @ np.array([1.0, -1.0]) + 0.5 * _R.standard_normal(8)),
        (0,),
        extra="hvp",
    ),
    Case(missing_data_loss, (np.array([1.3, -0.4, 0.9]), _YNAN), (0,), extra="hvp"),
    Case(morse_cutoff, (_R.uniform(0, 2.5, (4, 3)),), (0,), extra="hvp"),
    Case(
        ewald_real,
        (_R.uniform(0, 2.5, (4, 3)), np.array([1.0, -1.0, 0.5, -0.5])),
        (0, 1),
        extra="hvp",
    ),
    Case(dihedral_energy, (_DIH,), (0,), extra="hvp"),
    Case(ising_mean_field, (_R.standard_normal(4) * 0.5, _J + _J.T), (0,), extra="hvp"),
    Case(cloth_pinned, (_CLOTH,), (0,), extra="hvp"),
]
