"""Ported cases (session 26, hunt26), written anew after graphics, audio and control programs:
Phong shading with ``max(n @ l, 0.0)`` and class-level material constants, a soft rasteriser's
coverage by sigmoids of edge distances, bilinear texture lookups with ``int(x)`` and ``min(x0 + 1,
w - 1)``, linear-blend skinning with bone matrices built by ``M[:2, :2] = rot2(t)``, a biquad filter
by a loop over samples with tuple-swapped state, an ADSR envelope with branches, a Karplus-Strong
ring buffer indexed by ``(i - 1) % n``, a comb filter reading ``y[i - d]``, a one-pole lowpass with
its state in a dict, a PID controller object with an integral windup clamp, a hand-written Kalman
filter's likelihood, an LQR rollout cost, a double pendulum by RK4 with ``math`` calls, a heat
equation with Neumann boundaries by slices, quaternion integration renormalised by ``q /=``, a rope
by position-based dynamics.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R_a = np.random.default_rng(260)


LIGHT = np.array([0.3, 0.8, 0.5])


EYE = np.array([0.0, 0.0, 3.0])


def normalize(v):
    return v / np.linalg.norm(v)


class Material:
    ka = 0.1
    kd = 0.7
    ks = 0.4

    def __init__(self, shininess):
        self.shininess = shininess


PHONG_MAT = Material(8.0)


def phong(x, mat=PHONG_MAT):
    p, n = x[:3], normalize(x[3:])
    lv = normalize(LIGHT - p)
    v = normalize(EYE - p)
    ndl = max(n @ lv, 0.0)
    r = 2 * ndl * n - lv
    spec = max(r @ v, 0.0) ** mat.shininess
    return mat.ka + mat.kd * ndl + mat.ks * spec


def soft_raster(x, sigma=0.1):
    tri = x.reshape(3, 2)
    ys, xs = np.mgrid[0:4, 0:4] / 3.0
    px = np.stack([xs.ravel(), ys.ravel()], axis=1)
    img = np.zeros(len(px))
    for k in range(3):
        a, b = tri[k], tri[(k + 1) % 3]
        e = b - a
        nrm = np.array([-e[1], e[0]]) / np.linalg.norm(e)
        d = (px - a) @ nrm
        img += np.log(1 / (1 + np.exp(-d / sigma)))
    cov = np.exp(img)
    return np.sum(cov * np.linspace(0, 1, 16))


TEX = R_a.uniform(size=(5, 5))


def bilinear(tex, u, v):
    h, w = tex.shape
    x = u * (w - 1)
    y = v * (h - 1)
    x0, y0 = int(x), int(y)
    x1, y1 = min(x0 + 1, w - 1), min(y0 + 1, h - 1)
    fx, fy = x - x0, y - y0
    top = tex[y0, x0] * (1 - fx) + tex[y0, x1] * fx
    bot = tex[y1, x0] * (1 - fx) + tex[y1, x1] * fx
    return top * (1 - fy) + bot * fy


def texture_loss(x):
    s = 0.0
    for u, v in x.reshape(-1, 2):
        s += bilinear(TEX, u, v) ** 2
    return s


def rot2(t):
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, -s], [s, c]])


REST = np.array([[0.5, 0.0], [1.0, 0.2], [1.5, -0.1], [0.2, 0.3]])


WEIGHTS = np.array([[1.0, 0.0], [0.6, 0.4], [0.1, 0.9], [0.9, 0.1]])


def skinning(x):
    bones = []
    for i, t in enumerate(x[:2]):
        M = np.eye(3)
        M[:2, :2] = rot2(t)
        M[:2, 2] = [i * 1.0, 0.0]
        bones.append(M)
    out = np.zeros((4, 2))
    for j, p in enumerate(REST):
        ph = np.append(p, 1.0)
        acc = np.zeros(3)
        for b, M in enumerate(bones):
            acc += WEIGHTS[j, b] * (M @ ph)
        out[j] = acc[:2]
    return np.sum((out - REST) ** 2) + x[2] * out[0, 0]


SIG = np.sin(np.linspace(0, 6, 24)) + 0.1 * R_a.standard_normal(24)


def biquad(x):
    b0, b1, b2, a1, a2 = x
    y = np.zeros_like(SIG)
    x1 = x2 = y1 = y2 = 0.0
    for n in range(len(SIG)):
        xn = SIG[n]
        yn = b0 * xn + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2, x1 = x1, xn
        y2, y1 = y1, yn
        y[n] = yn
    return np.mean(y**2)


def adsr(t, a, d, s, r, gate):
    if t < a:
        return t / a
    elif t < a + d:
        return 1.0 - (1.0 - s) * (t - a) / d
    elif t < gate:
        return s
    else:
        return s * max(0.0, 1.0 - (t - gate) / r)


def adsr_energy(x):
    a, d, s, r = x
    tot = 0.0
    for k in range(20):
        t = k * 0.1
        tot += adsr(t, a, d, s, r, gate=1.2) ** 2
    return tot


def karplus(x, n_out=30):
    n = len(x)
    buf = x.copy()
    out = []
    for i in range(n_out):
        j = i % n
        prev = buf[(i - 1) % n]
        v = 0.5 * (buf[j] + prev) * 0.98
        out.append(buf[j])
        buf[j] = v
    return sum(o * o for o in out)


def comb_filter(x, d=3, g=0.6):
    n = len(SIG)
    y = np.zeros(n)
    for i in range(n):
        y[i] = SIG[i] * x[0] + (g * y[i - d] if i >= d else 0.0)
    return np.sum(y**2) * x[1]


def onepole_lowpass(x):
    a = x[0]
    state = {"y": 0.0}
    out = []
    for s in SIG:
        state["y"] = state["y"] + a * (s - state["y"])
        out.append(state["y"])
    return float(np.sum(np.array(out) ** 2)) + x[1] ** 2


R_b = np.random.default_rng(261)


class PID:
    def __init__(self, kp, ki, kd, limit=1.0):
        self.kp, self.ki, self.kd = kp, ki, kd
        self.limit = limit
        self.integral = 0.0
        self.prev = None

    def __call__(self, err, dt):
        self.integral += err * dt
        self.integral = max(-self.limit, min(self.limit, self.integral))
        deriv = 0.0 if self.prev is None else (err - self.prev) / dt
        self.prev = err
        return self.kp * err + self.ki * self.integral + self.kd * deriv


def pid_rollout(x):
    pid = PID(x[0], x[1], x[2], limit=0.3)
    pos, vel, cost = 0.0, 0.0, 0.0
    for _ in range(25):
        err = 1.0 - pos
        u = pid(err, 0.1)
        vel += 0.1 * (u - 0.2 * vel)
        pos += 0.1 * vel
        cost += err * err
    return cost


F = np.array([[1.0, 0.1], [0.0, 1.0]])


Hm = np.array([[1.0, 0.0]])


Q = 0.01 * np.eye(2)


ZS = np.array([0.1, 0.25, 0.33, 0.52, 0.61, 0.8])


def kalman_nll(x):
    r = x[0]
    m = np.array([0.0, x[1]])
    P = np.eye(2)
    nll = 0.0
    for z in ZS:
        m = F @ m
        P = F @ P @ F.T + Q
        S = (Hm @ P @ Hm.T)[0, 0] + r
        K = (P @ Hm.T) / S
        v = z - (Hm @ m)[0]
        m = m + K[:, 0] * v
        P = (np.eye(2) - K @ Hm) @ P
        nll += 0.5 * (math.log(2 * math.pi * S) + v * v / S)
    return nll


def lqr_cost(x):
    Kg = x.reshape(1, 2)
    A = np.array([[1.0, 0.1], [0.0, 1.0]])
    B = np.array([[0.0], [0.1]])
    s = np.array([1.0, 0.0])
    J = 0.0
    for _ in range(20):
        u = -Kg @ s
        J += s @ s + 0.1 * (u @ u)
        s = A @ s + B @ u
    return J


def dp_deriv(y, m1=1.0, m2=1.0, l1=1.0, l2=1.0, g=9.81):
    t1, t2, w1, w2 = y
    d = t2 - t1
    den1 = (m1 + m2) * l1 - m2 * l1 * math.cos(d) ** 2
    a1 = (
        m2 * l1 * w1 * w1 * math.sin(d) * math.cos(d)
        + m2 * g * math.sin(t2) * math.cos(d)
        + m2 * l2 * w2 * w2 * math.sin(d)
        - (m1 + m2) * g * math.sin(t1)
    ) / den1
    den2 = (l2 / l1) * den1
    a2 = (
        -m2 * l2 * w2 * w2 * math.sin(d) * math.cos(d)
        + (m1 + m2)
        * (g * math.sin(t1) * math.cos(d) - l1 * w1 * w1 * math.sin(d) - g * math.sin(t2))
    ) / den2
    return np.array([w1, w2, a1, a2])


def double_pendulum(x, h=0.01, n=10):
    y = x.copy()
    for _ in range(n):
        k1 = dp_deriv(y)
        k2 = dp_deriv(y + h / 2 * k1)
        k3 = dp_deriv(y + h / 2 * k2)
        k4 = dp_deriv(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y[0] ** 2 + y[1]


def heat_neumann(x, steps=6, r=0.2):
    u = x.copy()
    for _ in range(steps):
        lap = np.empty_like(u)
        lap[1:-1] = u[:-2] - 2 * u[1:-1] + u[2:]
        lap[0] = 2 * (u[1] - u[0])
        lap[-1] = 2 * (u[-2] - u[-1])
        u += r * lap
    return np.sum(u**2 * np.arange(1, len(u) + 1))


def qmul(a, b):
    w1, x1, y1, z1 = a
    w2, x2, y2, z2 = b
    return np.array(
        [
            w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
            w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
            w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
            w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2,
        ]
    )


def quat_integrate(x, dt=0.05):
    q = np.array([1.0, 0.0, 0.0, 0.0])
    omega = x[:3]
    for _ in range(8):
        dq = 0.5 * qmul(q, np.concatenate(([0.0], omega)))
        q = q + dt * dq
        q /= np.linalg.norm(q)
    return q[1] * x[3] + q[0] ** 2


def pbd_rope(x, iters=3):
    p = x.reshape(4, 2).copy()
    rest = 0.5
    for _ in range(iters):
        p[1:, 1] -= 0.05
        for i in range(3):
            d = p[i + 1] - p[i]
            ln = np.linalg.norm(d)
            corr = 0.5 * (ln - rest) * d / ln
            if i > 0:
                p[i] += corr
            else:
                p[i + 1] -= corr
            p[i + 1] -= corr
    return np.sum(p[:, 1]) + p[-1, 0] ** 2


CASES = [
    Case(phong, (np.array([0.1, -0.2, 0.0, 0.2, 0.3, 0.9]),), (0,), extra="hvp"),
    Case(soft_raster, (np.array([0.1, 0.1, 0.9, 0.2, 0.4, 0.8]),), (0,), extra="hvp"),
    Case(texture_loss, (np.array([0.31, 0.42, 0.77, 0.13, 0.55, 0.66]),), (0,), extra="hvp"),
    Case(skinning, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(biquad, (np.array([0.2, 0.3, 0.2, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(adsr_energy, (np.array([0.25, 0.33, 0.6, 0.53]),), (0,), extra="hvp"),
    Case(karplus, (R_a.standard_normal(7),), (0,), extra="hvp"),
    Case(comb_filter, (np.array([0.8, 1.3]),), (0,), extra="hvp"),
    Case(onepole_lowpass, (np.array([0.3, 0.4]),), (0,), extra="hvp"),
    Case(pid_rollout, (np.array([2.0, 0.5, 0.3]),), (0,), extra="hvp"),
    Case(kalman_nll, (np.array([0.3, 1.1]),), (0,), extra="hvp"),
    Case(lqr_cost, (np.array([0.8, 1.2]),), (0,), extra="hvp"),
    Case(double_pendulum, (np.array([0.5, 0.3, 0.0, 0.1]),), (0,), extra="hvp"),
    Case(heat_neumann, (R_b.standard_normal(6),), (0,), extra="hvp"),
    Case(quat_integrate, (np.array([0.3, -0.5, 0.8, 1.5]),), (0,), extra="hvp"),
    Case(pbd_rope, (np.array([0.0, 0.0, 0.4, -0.1, 0.9, -0.3, 1.4, -0.2]),), (0,), extra="hvp"),
]
