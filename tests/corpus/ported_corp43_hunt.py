"""Ported cases (session 43, hunt43): held-out-style programs after other AD projects' test
suites and benchmarks, written fresh, that srcad gets right (fwd, rev, hvp): Griewank &
Walther's lighthouse, Speelpenning's product and the Helmholtz energy, an adaptive
Runge-Kutta-Fehlberg integrator with step control, a recursive radix-2 FFT, the Brusselator
stencil, Taylor-series logs in while loops, implicit Euler with Newton iterations, MAML and
leapfrog steps that call srcad.grad inside, an enum-dispatched network, a frozen dataclass
stepped with ``dataclasses.replace``, ``NamedTuple._replace``, pairwise distances, im2col
convolution, bilinear sampling, batch/instance/group norms, the stable softplus and sigmoid
branches, masked log-sum-exp, norms along axes, an einsum helper taking its subscripts,
``sorted`` of a set comprehension, literal weight arrays under a sqrt/xlogy and a Gaussian
tail's log probability (the last four fixed in this session: tests/soundness/test_hunt43).

Float64 arrays -> floats."""

from __future__ import annotations

import dataclasses
import enum
import math
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import special
from scipy.spatial.distance import cdist, pdist, squareform

import srcad

from . import Case

V6 = np.array([0.83, -1.13, 0.37, 1.27, -0.52, 0.61])


def lighthouse(p):
    nu, gamma, omega, t = p
    tn = np.tan(omega * t)
    y1 = nu * tn / (gamma - tn)
    return y1**2 + 3 * gamma * y1


def speelpenning(x):
    y = 1.0
    for xi in x:
        y *= xi
    return y + np.prod(x[::2]) * np.cumprod(x)[-2]


def helmholtz(x):
    n = x.shape[0]
    b = np.linspace(0.1, 0.2, n) / n
    a = np.fromfunction(lambda i, j: 1.0 / (1.0 + i + j), (n, n))
    bx = b @ x
    s2 = math.sqrt(2.0)
    e = np.sum(x * np.log(x / (1.0 - bx)))
    return e - (x @ a @ x) / (math.sqrt(8.0) * bx) * np.log(
        (1 + (1 + s2) * bx) / (1 + (1 - s2) * bx)
    )


def rkf45(p):
    k, c = p[0], p[1]

    def rhs(t, y):
        return np.array([y[1], -k * y[0] - c * y[1] + math.sin(t)])

    t, y, h, steps = 0.0, np.array([1.0, 0.0]), 0.1, 0
    while t < 2.0 and steps < 200:
        h = min(h, 2.0 - t)
        k1 = rhs(t, y)
        k2 = rhs(t + h / 4, y + h / 4 * k1)
        k3 = rhs(t + 3 * h / 8, y + h * (3 / 32 * k1 + 9 / 32 * k2))
        k4 = rhs(t + 12 * h / 13, y + h * (1932 / 2197 * k1 - 7200 / 2197 * k2 + 7296 / 2197 * k3))
        k5 = rhs(t + h, y + h * (439 / 216 * k1 - 8 * k2 + 3680 / 513 * k3 - 845 / 4104 * k4))
        k6 = rhs(
            t + h / 2,
            y + h * (-8 / 27 * k1 + 2 * k2 - 3544 / 2565 * k3 + 1859 / 4104 * k4 - 11 / 40 * k5),
        )
        y4 = y + h * (25 / 216 * k1 + 1408 / 2565 * k3 + 2197 / 4104 * k4 - k5 / 5)
        y5 = y + h * (
            16 / 135 * k1 + 6656 / 12825 * k3 + 28561 / 56430 * k4 - 9 / 50 * k5 + 2 / 55 * k6
        )
        err = np.max(np.abs(y5 - y4))
        if err < 1e-6 or h < 1e-4:
            t += h
            y = y5
        steps += 1
        h = 0.9 * h * (1e-6 / max(err, 1e-14)) ** 0.2
    return y[0] ** 2 + y[1]


def _fft(a):
    n = a.shape[0]
    if n == 1:
        return a.astype(complex)
    e, o = _fft(a[::2]), _fft(a[1::2])
    tw = np.exp(-2j * np.pi * np.arange(n // 2) / n) * o
    return np.concatenate([e + tw, e - tw])


def fft_power(x):
    f = _fft(x)
    return float(np.sum(np.abs(f) ** 2 * np.arange(1, x.size + 1))) + float(np.real(f[1] * f[2]))


def brusselator(u0):
    u = u0[:16].reshape(4, 4)
    v = u0[16:].reshape(4, 4)
    for _ in range(5):
        lu = np.roll(u, 1, 0) + np.roll(u, -1, 0) + np.roll(u, 1, 1) + np.roll(u, -1, 1) - 4 * u
        lv = np.roll(v, 1, 0) + np.roll(v, -1, 0) + np.roll(v, 1, 1) + np.roll(v, -1, 1) - 4 * v
        du = 3.4 + u * u * v - 2.0 * u + 10.0 * lu
        dv = u - u * u * v + 10.0 * lv
        u, v = u + 0.001 * du, v + 0.001 * dv
    return np.sum(u**2) + np.sum(v)


def taylor_log(x):
    s = 0.0
    for v in x:
        y = v - 1.0
        term, k, acc = y, 1, 0.0
        while abs(term / k) > 1e-12 and k < 200:
            acc += term / k
            k += 1
            term *= -y
        s += acc
    return s


def implicit_euler(p):
    y, h = 1.0, 0.1
    for _ in range(5):
        z = y
        for _ in range(20):
            dz = (z - y - h * (-p[0] * z**3 + p[1])) / (1 + 3 * h * p[0] * z**2)
            z -= dz
            if abs(dz) < 1e-14:
                break
        y = z
    return y


XS = np.array([[0.1, 0.5], [0.9, -0.3], [-0.4, 0.7], [0.3, 0.3]])
YS = np.array([0.3, -0.2, 0.5, 0.1])


def _inner_loss(w, xs, ys):
    return np.mean((np.tanh(xs @ w) - ys) ** 2)


def maml(w0):
    w = w0
    for _ in range(3):
        w = w - 0.5 * srcad.grad(_inner_loss)(w, XS, YS)
    return _inner_loss(w, XS[::-1], YS * 1.1)


def _energy(q):
    return 0.5 * q @ q + 0.1 * np.sum(q**4) + np.sin(q[0] * q[1])


def leapfrog(q0):
    q, p = q0.copy(), np.zeros_like(q0)
    for _ in range(4):
        p = p - 0.05 * srcad.grad(_energy)(q)
        q = q + 0.1 * p
        p = p - 0.05 * srcad.grad(_energy)(q)
    return _energy(q) + 0.5 * p @ p


class Act(enum.Enum):
    TANH = 1
    RELU = 2
    SOFTPLUS = 3


def _act(kind, z):
    if kind is Act.TANH:
        return np.tanh(z)
    if kind == Act.RELU:
        return np.maximum(z, 0.0)
    return np.log1p(np.exp(z))


def enum_net(x):
    h = x[:3]
    for k in (Act.TANH, Act.SOFTPLUS, Act.RELU):
        h = _act(k, h * 1.3 + 0.2)
    return np.sum(h**2)


@dataclasses.dataclass(frozen=True)
class Particle:
    pos: np.ndarray
    vel: np.ndarray
    mass: float = 1.0

    def step(self, dt, force):
        v = self.vel + dt * force / self.mass
        return dataclasses.replace(self, pos=self.pos + dt * v, vel=v)


def frozen_particle(x):
    p = Particle(x[:2], x[2:4], mass=2.0)
    for _ in range(5):
        p = p.step(0.1, -p.pos * np.linalg.norm(p.pos))
    return float(p.pos @ p.pos + p.vel @ p.vel)


class State(NamedTuple):
    x: float
    v: float

    def energy(self, k):
        return 0.5 * self.v**2 + 0.5 * k * self.x**2


def namedtuple_replace(x):
    s = State(x[0], x[1])
    for _ in range(4):
        s = s._replace(v=s.v - 0.1 * x[2] * s.x)
        s = s._replace(x=s.x + 0.1 * s.v)
    return s.energy(x[2])


def distances(x):
    a, b = x[:6].reshape(3, 2), x[6:12].reshape(3, 2)
    return (
        np.sum(cdist(a, b) ** 2)
        + np.sum(cdist(a, b, "sqeuclidean"))
        + np.sum(squareform(pdist(a)) ** 3)
        + np.sum(cdist(a, b, "cityblock"))
    )


def im2col_conv(x):
    img = x[:25].reshape(5, 5)
    k = np.array([[1.0, 0.5, -0.2], [0.3, -1.0, 0.4], [0.0, 0.2, 0.1]])
    out = np.einsum("ijkl,kl->ij", sliding_window_view(img, (3, 3)), k)
    return np.sum(np.tanh(out) ** 2) + out.reshape(3, 3)[:2, :2].max()


def bilinear(x):
    img = np.arange(16, dtype=float).reshape(4, 4) ** 0.5
    tot = 0.0
    for py, px in x[:6].reshape(3, 2) * 0.5 + 1.5:
        y0, x0 = int(np.floor(py)), int(np.floor(px))
        wy, wx = py - y0, px - x0
        v = (
            img[y0, x0] * (1 - wy) * (1 - wx)
            + img[y0 + 1, x0] * wy * (1 - wx)
            + img[y0, x0 + 1] * (1 - wy) * wx
            + img[y0 + 1, x0 + 1] * wy * wx
        )
        tot += v**2
    return tot


def norm_layers(x):
    t = x[:24].reshape(2, 3, 4)
    bn = (t - t.mean(axis=(0, 2), keepdims=True)) / np.sqrt(
        t.var(axis=(0, 2), keepdims=True) + 1e-5
    )
    inn = (t - t.mean(axis=2, keepdims=True)) / np.sqrt(t.var(axis=2, keepdims=True) + 1e-5)
    g = t.reshape(2, 1, 12)
    gn = ((g - g.mean(-1, keepdims=True)) / np.sqrt(g.var(-1, keepdims=True) + 1e-5)).reshape(
        2, 3, 4
    )
    return np.sum(bn**3 * 0.1) + np.sum(inn[:, 0] * np.arange(4)) + np.sum(gn[..., 1] ** 2)


def stable_branches(x):
    sp = np.where(x > 20, x, np.log1p(np.exp(np.minimum(x, 20))))
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1 + ex)
    return np.sum(sp**2) + np.sum(out * x) + np.sum(np.logaddexp(0, -x))


def masked_lse(x):
    m = x.reshape(2, 3)
    mask = np.array([[True, False, True], [True, True, False]])
    z = np.where(mask, m, -np.inf)
    mx = np.max(z, axis=1, keepdims=True)
    return np.sum(mx[:, 0] + np.log(np.sum(np.exp(z - mx), axis=1)))


def axis_norms(x):
    m = x.reshape(2, 3)
    return (
        np.linalg.norm(m, axis=1, ord=3).sum()
        + np.linalg.norm(m, ord="fro")
        + np.linalg.norm(m, axis=0, ord=1).sum()
        + np.linalg.norm(m, ord=np.inf, axis=1).sum()
        + np.linalg.norm(m - m[::-1], axis=-1, keepdims=True).sum()
    )


def _contract(spec, a, b):
    return np.einsum(spec, a, b)


def einsum_helper(x):
    m = x.reshape(2, 3)
    return np.sum(_contract("ij,kj->ik", m, m) ** 2) + np.sum(_contract("ij,ij->j", m, m))


def sorted_set(x):
    idx = sorted({int(abs(v) * 3) % 5 for v in x})
    return sum(x[i] ** 2 for i in idx)


def literal_weights(x):
    y = x**2 * np.array([1, 0, 1, 0, 1, 1.0])
    return np.sum(np.sqrt(y)) + np.sum(special.xlogy(y, y))


def gauss_tail(x):
    return np.sum(np.log(special.erfc(x)))


CASES = [
    Case(lighthouse, (np.array([1.5, 2.0, 0.3, 1.1]),), (0,), extra="hvp"),
    Case(speelpenning, (V6,), (0,), extra="hvp"),
    Case(helmholtz, (np.array([0.3, 0.2, 0.25, 0.15]),), (0,), extra="hvp"),
    Case(rkf45, (np.array([2.0, 0.3]),), (0,), extra="hvp", jitter=0.0),
    Case(fft_power, (np.array([0.3, -0.5, 0.8, 0.1, 0.2, -0.7, 0.4, 0.9]),), (0,), extra="hvp"),
    Case(brusselator, (1 + 0.1 * np.sin(np.arange(32.0)),), (0,), extra="hvp"),
    Case(taylor_log, (np.array([0.8, 1.2, 1.4, 0.6]),), (0,), extra="hvp", jitter=0.0),
    Case(implicit_euler, (np.array([0.8, 0.3]),), (0,), extra="hvp", jitter=0.0),
    Case(maml, (np.array([0.3, -0.6]),), (0,), extra="hvp"),
    Case(leapfrog, (np.array([0.3, -0.6, 0.4]),), (0,), extra="hvp"),
    Case(enum_net, (V6[:4],), (0,), extra="hvp"),
    Case(frozen_particle, (V6[:4],), (0,), extra="hvp"),
    Case(namedtuple_replace, (V6[:3],), (0,), extra="hvp"),
    Case(distances, (np.cos(np.arange(12.0)),), (0,), extra="hvp"),
    Case(im2col_conv, (np.sin(np.arange(25.0)),), (0,), extra="hvp"),
    Case(bilinear, (V6 * 0.9,), (0,), extra="hvp", jitter=0.0),
    Case(norm_layers, (np.cos(np.arange(24.0) * 1.3),), (0,), extra="hvp"),
    Case(
        stable_branches,
        (np.array([25.0, -26.0, 0.7, 60.0, -45.0, 3.0]),),
        (0,),
        extra="hvp",
        jitter=0.0,
    ),
    Case(masked_lse, (V6,), (0,), extra="hvp"),
    Case(axis_norms, (V6,), (0,), extra="hvp"),
    Case(einsum_helper, (V6,), (0,), extra="hvp"),
    Case(sorted_set, (np.abs(V6),), (0,), extra="hvp", jitter=0.0),
    Case(literal_weights, (V6,), (0,), extra="hvp"),
    Case(gauss_tail, (np.array([0.5, 3.0, 20.0]),), (0,), extra="hvp", jitter=0.0),
]
