"""Ported cases (session 38, corp38m_ml): metamorphic variants of corpus ML losses and simulations
(tests/corpus/ported_corp10_ml.py, ported_corp10_sim.py), each the same computation in another
style, one aspect changed: `np.sum(a)` / `a.sum()` / `sum(a)` / `a @ ones`, `np.where` against a
masked assignment, for against while with a manual counter, a loop against `sum(generator)` and
`functools.reduce`, a helper with keyword-only or `*args` parameters, a dict of results, a
`__call__` object, tuple state against list state, `x += v` against `np.add(x, v, out=x)`.

Float64 arrays -> float scalars. `SAME_AS` maps each variant to its original (same value, same
gradient)."""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy.special import expit, logsumexp

from . import Case
from .ported_corp10_ml import (
    ML_SW,
    ML_X,
    ML_Y,
    ML_YB,
    ML_YM,
    XS,
    ml_half_multinomial,
    ml_kl_divergences,
    ml_linear_models,
    ml_logistic_l2,
    ml_sklearn_losses,
)
from .ported_corp10_sim import (
    SIM_BOX,
    SIM_YS,
    sim_heat_wave,
    sim_kalman,
    sim_lj_pair_loops,
    sim_pendulum,
    sim_sir,
    sim_verlet_leapfrog,
)
from .ported_corp10_sim import XS as SXS

ONES6 = np.ones(6)


# -- ml_sklearn_losses ----------------------------------------------------------------------------


def losses_masked(x):
    raw = x[:6]
    diff = ML_Y - raw
    sq = np.sum(0.5 * diff**2 * ML_SW) / ML_SW.sum()
    absolute = np.abs(diff).mean()
    pin = 0.3 * diff
    neg = diff < 0
    pin[neg] = (0.3 - 1) * diff[neg]
    a = np.abs(diff)
    hub = 0.5 * (a - 0.25)
    small = a <= 0.5
    hub[small] = 0.5 * diff[small] ** 2
    return sq + absolute + pin.mean() + (hub * ML_SW) @ ONES6


def losses_loop(x):
    raw = x[:6]
    sq = absolute = pinball = huber = 0.0
    for i in range(len(raw)):
        d = ML_Y[i] - raw[i]
        sq += 0.5 * d * d * ML_SW[i]
        absolute += abs(d)
        pinball += 0.3 * d if d >= 0 else (0.3 - 1) * d
        if abs(d) <= 0.5:
            huber += 0.5 * d**2 * ML_SW[i]
        else:
            huber += 0.5 * (abs(d) - 0.25) * ML_SW[i]
    return sq / sum(ML_SW) + absolute / 6 + pinball / 6 + huber


def losses_dict(x):
    def parts(raw, *, y=ML_Y, w=ML_SW, delta=0.5, q=0.3):
        diff = y - raw
        a = np.abs(diff)
        return {
            "sq": np.average(0.5 * diff**2, weights=w),
            "abs": np.mean(a),
            "pin": np.mean(np.where(diff >= 0, q * diff, (q - 1) * diff)),
            "hub": np.sum(np.where(a <= delta, 0.5 * diff**2, delta * (a - 0.5 * delta)) * w),
        }

    return sum(parts(x[:6]).values())


# -- ml_logistic_l2 ---------------------------------------------------------------------------------


class _Logistic:
    def __init__(self, alpha):
        self.alpha = alpha

    def __call__(self, coef, intercept):
        z = ML_X @ coef + intercept
        loss = (ML_SW * np.logaddexp(0, -(2 * ML_YB - 1) * z)).sum()
        p = expit(z)
        ce = -(ML_SW * (ML_YB * np.log(p + 1e-12) + (1 - ML_YB) * np.log(1 - p + 1e-12))).sum()
        return loss + ce + 0.5 * self.alpha * coef @ coef


def logistic_callable(x):
    return _Logistic(0.3)(x[:3], x[3])


def logistic_rows(x):
    coef, intercept = x[:3], x[3]
    total = 0.0
    for xi, yi, wi in zip(ML_X, ML_YB, ML_SW):
        z = xi @ coef + intercept
        total += wi * np.logaddexp(0, -(2 * yi - 1) * z)
        p = 1 / (1 + math.exp(-z))
        total -= wi * (yi * math.log(p + 1e-12) + (1 - yi) * math.log(1 - p + 1e-12))
    return total + 0.15 * sum(c * c for c in coef)


# -- ml_linear_models -------------------------------------------------------------------------------


def linear_while(x):
    w = x[:3]
    pred = ML_X @ w
    r = pred - ML_Y
    i, hinge, ridge, lasso = 0, 0.5 * w @ w, 0.0, 0.0
    while i < len(ML_Y):
        m = 1 - (2 * ML_YB[i] - 1) * pred[i]
        hinge = hinge + (m if m > 0 else 0.0) ** 2
        ridge = ridge + 0.5 * r[i] ** 2 / len(ML_Y)
        lasso = lasso + 0.5 * r[i] ** 2 / 6
        i += 1
    j = 0
    while j < 3:
        ridge += 0.5 * w[j] ** 2
        lasso += 0.1 * np.sqrt(w[j] ** 2 + 1e-6)
        j += 1
    return hinge + ridge + lasso


def linear_reduce(x):
    w = x[:3]
    r = ML_X @ w - ML_Y
    margins = [1 - (2 * ML_YB[i] - 1) * (ML_X[i] @ w) for i in range(6)]
    hinge = functools.reduce(lambda acc, m: acc + max(m, 0.0) ** 2, margins, 0.5 * w @ w)
    ridge = 0.5 * sum(r * r) / len(ML_Y) + 0.5 * sum(wi**2 for wi in w)
    lasso = 0.5 * (r**2).mean() + 0.1 * sum(map(lambda wi: np.sqrt(wi**2 + 1e-6), w))
    return hinge + ridge + lasso


# -- ml_half_multinomial ----------------------------------------------------------------------------


def multinomial_lse(x):
    raw = x[:18].reshape(6, 3)
    lse = logsumexp(raw, axis=1)
    picked = raw[np.arange(6), ML_YM]
    return ML_SW @ (lse - picked) / ML_SW.sum()


def multinomial_rows(x):
    raw = x[:18].reshape(6, 3)
    num = 0.0
    for i, (row, label) in enumerate(zip(raw, ML_YM)):
        m = max(row)
        num += ML_SW[i] * (m + np.log(sum(np.exp(v - m) for v in row)) - row[label])
    return num / np.sum(ML_SW)


# -- ml_kl_divergences ------------------------------------------------------------------------------


def _kl_parts(mu, logvar, *logits):
    kl_vae = -0.5 * (1 + logvar - mu**2 - np.exp(logvar)).sum()
    p, q = (np.exp(lg - logsumexp(lg)) for lg in logits)
    return kl_vae, (p * np.log(p / q)).sum()


def kl_helpers(x):
    kl_vae, kl_cat = _kl_parts(x[:3], x[3:6], x[6:9], x[9:12])
    u = x[12:14]
    S0 = np.eye(2) + 0.1 * u[:, None] * u[None, :]
    S1 = np.array([[2.0, 0.3], [0.3, 1.0]])
    S1i = np.linalg.inv(S1)
    d = -x[14:16]
    _, logdet0 = np.linalg.slogdet(S0)
    kl_mvn = 0.5 * (np.sum(S1i * S0.T) + d @ (S1i @ d) - 2 + np.log(np.linalg.det(S1)) - logdet0)
    return kl_vae + kl_cat + kl_mvn


# -- simulations ------------------------------------------------------------------------------------


def lj_pairs_generator(x, rc=2.5):
    pos = SIM_LATTICE_POS(x)

    def pair(i, j):
        d = pos[i] - pos[j]
        d = d - SIM_BOX * np.round(d / SIM_BOX)
        r2 = np.sum(d * d)
        inv6 = 1.0 / r2**3
        return 4.0 * (inv6 * inv6 - inv6) if r2 < rc * rc else 0.0

    return sum(pair(i, j) for i in range(5) for j in range(i + 1, 5))


def lj_pairs_while_break(x, rc=2.5):
    pos = SIM_LATTICE_POS(x)
    e, i = 0.0, 0
    while True:
        if i >= 5:
            break
        j = i + 1
        while j < 5:
            d = pos[i] - pos[j]
            np.subtract(d, SIM_BOX * np.round(d / SIM_BOX), out=d)
            r2 = d @ d
            if not r2 >= rc * rc:
                inv6 = r2**-3
                e = e + 4.0 * (inv6 * inv6 - inv6)
            j += 1
        i += 1
    return e


def SIM_LATTICE_POS(x):
    from .ported_corp10_sim import _sim_positions

    return _sim_positions(x)


def sir_lists(x):
    beta = 0.3 + 0.1 * x[0]
    y = [0.99, 0.01, 0.0]
    h = 0.5
    f = lambda s, i, r: [-beta * s * i, beta * s * i - 0.1 * i, 0.1 * i]  # noqa: E731
    for _ in range(12):
        k1 = f(*y)
        k2 = f(*[a + h / 2 * b for a, b in zip(y, k1)])
        k3 = f(*[a + h / 2 * b for a, b in zip(y, k2)])
        k4 = f(*[a + h * b for a, b in zip(y, k3)])
        y = [a + h / 6 * (p + 2 * q + 2 * s + t) for a, p, q, s, t in zip(y, k1, k2, k3, k4)]
    s, i, r = y
    return i + 0.1 * r


def sir_array(x):
    beta = 0.3 + 0.1 * x[0]
    y = np.array([0.99, 0.01, 0.0])
    h = 0.5

    def f(z):
        s, i, _ = z
        return np.array([-beta * s * i, beta * s * i - 0.1 * i, 0.1 * i])

    n = 0
    while n < 12:
        k1 = f(y)
        k2 = f(y + h / 2 * k1)
        k3 = f(y + h / 2 * k2)
        k4 = f(y + h * k3)
        y += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        n += 1
    return y[1] + 0.1 * y[2]


def pendulum_math(x, dt=0.05):
    theta, omega = 0.5 + x[0], 0.1 + x[1]
    acc = 0.0
    for _ in range(20):
        omega -= dt * 9.81 * math.sin(theta)
        theta += dt * omega
        acc += theta * theta
    return acc / 20 + 0.1 * omega


def pendulum_recursive(x, dt=0.05):
    def step(theta, omega, n):
        if n == 0:
            return 0.0, omega
        omega = omega - dt * 9.81 * np.sin(theta)
        theta = theta + dt * omega
        rest, last = step(theta, omega, n - 1)
        return theta**2 + rest, last

    total, omega = step(0.5 + x[0], 0.1 + x[1], 20)
    return total / 20 + 0.1 * omega


def heat_wave_out(x, alpha=0.2, c=0.5):
    u = np.sin(np.linspace(0, 3, 8)) + x[:8]
    for _ in range(6):
        lap = u[2:] - 2 * u[1:-1] + u[:-2]
        np.add(u[1:-1], alpha * lap, out=u[1:-1])
    w = x[8:33].reshape(5, 5).copy()
    k = 0
    while k < 3:
        inner = w[2:, 1:-1] + w[:-2, 1:-1] + w[1:-1, 2:] + w[1:-1, :-2] - 4 * w[1:-1, 1:-1]
        w[1:-1, 1:-1] = w[1:-1, 1:-1] + 0.1 * inner
        k += 1
    v_prev = np.sin(np.linspace(0, 3, 8)) + x[33:41]
    v = v_prev.copy()
    for _ in range(5):
        v_next = np.zeros_like(v)
        v_next[1:-1] = 2 * v[1:-1] - v_prev[1:-1] + c**2 * (v[2:] - 2 * v[1:-1] + v[:-2])
        v_prev, v = v, v_next
    return (u**2).sum() + np.sum(w * w) + v @ v


def verlet_tuple_state(x):
    state = (x[:3].copy(), x[3:6].copy(), -x[:3])
    dt = 0.1
    for _ in range(6):
        pos, vel, acc = state
        pos = pos + vel * dt + 0.5 * acc * dt**2
        new_acc = -pos - 0.1 * pos**3
        state = (pos, vel + 0.5 * (acc + new_acc) * dt, new_acc)
    pos, vel, _ = state
    q, p = x[6:8].copy(), x[8:10].copy()
    force = lambda q: q + 0.5 * np.sin(q)  # noqa: E731
    p -= 0.05 * force(q)
    for i in range(4):
        q += 0.1 * p
        if i == 3:
            break
        p -= 0.1 * force(q)
    p -= 0.05 * force(q)
    return pos @ pos + vel @ vel + 0.5 * q @ q - 0.5 * np.cos(q).sum() + 0.5 * p @ p


def kalman_enumerate(x):
    F = np.array([[1.0, 1.0], [0.0, 1.0]])
    Hm = np.array([[1.0, 0.0]])
    Q = np.diag([np.exp(-1.0 + x[0])] * 2)
    r = np.exp(-0.5 + x[1])
    m, P = np.zeros(2), np.eye(2)
    terms = []
    for _t, y in enumerate(SIM_YS):
        m = F @ m
        P = F @ P @ F.T + Q
        v = y[0] - m[0]
        S = P[0, 0] + r
        K = P[:, 0] / S
        m = m + K * v
        IKH = np.eye(2) - np.outer(K, Hm[0])
        P = IKH @ P @ IKH.T + r * np.outer(K, K)
        terms.append(0.5 * (np.log(2 * np.pi) + np.log(S) + v * v / S))
    return -sum(terms)


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(losses_masked, XS),
    Case(losses_loop, (XS,), (0,)),
    Case(losses_dict, (XS,), (0,)),
    _hvp(logistic_callable, XS),
    Case(logistic_rows, (XS,), (0,)),
    Case(linear_while, (XS,), (0,)),
    _hvp(linear_reduce, XS),
    _hvp(multinomial_lse, XS),
    Case(multinomial_rows, (XS,), (0,)),
    _hvp(kl_helpers, XS),
    Case(lj_pairs_generator, (SXS,), (0,)),
    _hvp(lj_pairs_while_break, SXS),
    Case(sir_lists, (SXS,), (0,)),
    _hvp(sir_array, SXS),
    Case(pendulum_math, (SXS,), (0,)),
    _hvp(pendulum_recursive, SXS),
    _hvp(heat_wave_out, SXS),
    Case(verlet_tuple_state, (SXS,), (0,)),
    _hvp(kalman_enumerate, SXS),
]

SAME_AS = {
    losses_masked: ml_sklearn_losses,
    losses_loop: ml_sklearn_losses,
    losses_dict: ml_sklearn_losses,
    logistic_callable: ml_logistic_l2,
    logistic_rows: ml_logistic_l2,
    linear_while: ml_linear_models,
    linear_reduce: ml_linear_models,
    multinomial_lse: ml_half_multinomial,
    multinomial_rows: ml_half_multinomial,
    kl_helpers: ml_kl_divergences,
    lj_pairs_generator: sim_lj_pair_loops,
    lj_pairs_while_break: sim_lj_pair_loops,
    sir_lists: sim_sir,
    sir_array: sim_sir,
    pendulum_math: sim_pendulum,
    pendulum_recursive: sim_pendulum,
    heat_wave_out: sim_heat_wave,
    verlet_tuple_state: sim_verlet_leapfrog,
    kalman_enumerate: sim_kalman,
}
