"""Ported cases (session 28, hunt28a), written anew after filters and simulations keeping state in
dicts, objects and buffers: a Kalman filter with its state in a dict updated by ``st["x"] += ...``
and ``P = (eye - K @ H) @ P`` with ``inv``/``det``, Lennard-Jones energies with the minimum image by
``np.mod`` and a differentiated box length behind a cutoff ``continue``, decay of a dict's arrays in
place while iterating ``.items()``, Adam steps over a dict of parameters inside the loss, a pendulum
rollout into a preallocated table read through ``x = X[t]``, a Tukey loss by boolean-mask
assignment, an RTS smoother over lists and ``reversed(range(...))``, an EKF whose Jacobians are
built by ``np.array`` of ``math`` calls, a trapezoidal implicit step by Newton iterations on a
nested function, a module-level buffer written by ``BUF[:] = ...`` and read back, names imported
from NumPy (``from numpy import exp, log, sqrt``, ``from numpy.linalg import cholesky, solve``,
``import numpy.linalg as la``, ``from scipy import linalg``), a Kalman filter class whose
``predict``/``update`` methods rebind its fields, an RK4 integrator whose right-hand side counts its
calls in a ``nonlocal``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np
import numpy.linalg as la
from numpy import exp, log, sqrt
from numpy.linalg import cholesky, solve
from scipy import linalg

from . import Case

BUF = np.zeros(3)


def kf_dict_state(p):
    st = {"x": np.array([p[0], 0.0]), "P": np.eye(2) * p[1]}
    F = np.array([[1.0, 0.2], [0.0, 1.0]])
    H = np.array([[1.0, 0.0]])
    R = np.array([[0.3]])
    eye = np.eye(2)
    nll = 0.0
    for z in np.array([0.2, 0.1, 0.4]):
        st["x"] = F @ st["x"]
        st["P"] = F @ st["P"] @ F.T + 0.01 * eye
        S = H @ st["P"] @ H.T + R
        Si = np.linalg.inv(S)
        K = st["P"] @ H.T @ Si
        v = np.array([z]) - H @ st["x"]
        st["x"] += K @ v
        st["P"] = (eye - K @ H) @ st["P"]
        nll += 0.5 * (v @ Si @ v + np.log(np.linalg.det(S)))
    return nll + st["x"][1]


def lj_mod_box(p):
    pos = p[:-1].reshape(3, 2)
    L = p[-1]
    e = 0.0
    n = len(pos)
    for i in range(n):
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            d = np.mod(d + 0.5 * L, L) - 0.5 * L
            r2 = d @ d
            if r2 > 2.0**2:
                continue
            s6 = (1.0 / r2) ** 3
            e += 4 * (s6**2 - s6)
    return e


def dict_inplace_decay(p):
    params = {"w": p[:2].copy(), "b": p[2:].copy()}
    for _ in range(3):
        for _name, arr in params.items():
            arr *= 0.9
            arr += 0.1 * np.sin(arr)
    return sum(np.sum(v**2) for v in params.values())


def adam_inside(p):
    w = {"a": p[:2].copy(), "b": p[2:3].copy()}
    m = {k: np.zeros_like(v) for k, v in w.items()}
    s = {k: np.zeros_like(v) for k, v in w.items()}
    for t in range(1, 4):
        g = {"a": 2 * w["a"] * w["b"], "b": np.array([np.sum(w["a"] ** 2)])}
        for k in w:
            m[k] = 0.9 * m[k] + 0.1 * g[k]
            s[k] = 0.99 * s[k] + 0.01 * g[k] ** 2
            mh = m[k] / (1 - 0.9**t)
            vh = s[k] / (1 - 0.99**t)
            w[k] -= 0.1 * mh / (np.sqrt(vh) + 1e-8)
    return np.sum(w["a"] ** 2) * w["b"][0]


def rollout_prealloc(u):
    T = len(u)
    X = np.zeros((T + 1, 2))
    X[0] = [1.0, 0.0]
    for t in range(T):
        x = X[t]
        X[t + 1] = x + 0.1 * np.array([x[1], -math.sin(x[0]) + u[t]])
    return np.sum(X[:, 0] ** 2) + 0.01 * np.sum(u**2)


def tukey_mask(p):
    r = p - np.array([0.1, 0.5, -2.0, 3.0, 0.0])
    c = 2.5
    out = np.full_like(r, c**2 / 6)
    m = np.abs(r) < c
    out[m] = c**2 / 6 * (1 - (1 - (r[m] / c) ** 2) ** 3)
    return out.sum()


def rts_lists(p):
    F = np.array([[1.0, 0.1], [0.0, 1.0]])
    Q = p[0] * np.eye(2)
    R = p[1]
    zs = [0.1, 0.3, 0.2, 0.5]
    x = np.zeros(2)
    P = np.eye(2)
    xf, Pf, xp, Pp = [], [], [], []
    for z in zs:
        x_ = F @ x
        P_ = F @ P @ F.T + Q
        xp.append(x_)
        Pp.append(P_)
        S = P_[0, 0] + R
        K = P_[:, 0] / S
        x = x_ + K * (z - x_[0])
        P = P_ - np.outer(K, P_[0, :])
        xf.append(x)
        Pf.append(P)
    xs = xf[-1]
    out = xs @ xs
    for k in reversed(range(len(zs) - 1)):
        C = Pf[k] @ F.T @ np.linalg.inv(Pp[k + 1])
        xs = xf[k] + C @ (xs - xp[k + 1])
        out += xs @ xs
    return out


def ekf_pendulum(p):
    g, r = p[0], p[1]
    x = np.array([0.5, 0.0])
    P = np.eye(2) * 0.1
    dt = 0.1
    ll = 0.0
    for z in [0.45, 0.40, 0.31]:
        th, om = x
        x = np.array([th + dt * om, om - dt * g * math.sin(th)])
        Fj = np.array([[1.0, dt], [-dt * g * math.cos(th), 1.0]])
        P = Fj @ P @ Fj.T + 0.001 * np.eye(2)
        h = math.sin(x[0])
        Hj = np.array([[math.cos(x[0]), 0.0]])
        S = (Hj @ P @ Hj.T)[0, 0] + r
        K = (P @ Hj.T)[:, 0] / S
        inn = z - h
        x = x + K * inn
        P = P - np.outer(K, Hj @ P)
        ll += -0.5 * (inn**2 / S + math.log(S))
    return ll


def implicit_trap(p):
    lam = p[0]
    y = p[1]
    h = 0.2
    for _ in range(3):
        z = y

        def g(z):
            return z - y - 0.5 * h * (-lam * y * (1 + y**2) - lam * z * (1 + z**2))  # noqa: B023

        for _ in range(40):
            gz = g(z)
            dg = 1 + 0.5 * h * lam * (1 + 3 * z**2)
            z = z - gz / dg
            if abs(gz) < 1e-14:
                break
        y = z
    return y


def global_buffer(x):
    BUF[:] = x**2
    return np.sum(BUF * x) + BUF[1]


def numpy_star_names(x):
    return np.sum(exp(-x) * log(1 + x**2) + sqrt(x**2 + 1))


def linalg_aliases(x):
    A = np.outer(x[:3], x[:3]) + 2 * np.eye(3)
    L = cholesky(A)
    b = solve(A, x[3:])
    c = la.solve(L, x[3:])
    d = linalg.solve(A, x[3:], assume_a="pos")
    return np.sum(b**2) + np.sum(c) + np.sum(d * x[3:]) + la.norm(L)


class KF:
    def __init__(self, q, r):
        self.x = np.zeros(2)
        self.P = np.eye(2)
        self.F = np.array([[1.0, 1.0], [0.0, 1.0]])
        self.Q = q * np.eye(2)
        self.r = r

    def predict(self):
        self.x = self.F @ self.x
        self.P = self.F @ self.P @ self.F.T + self.Q

    def update(self, z):
        S = self.P[0, 0] + self.r
        K = self.P[:, 0] / S
        y = z - self.x[0]
        self.x = self.x + K * y
        self.P = self.P - np.outer(K, self.P[0])
        return -0.5 * (y * y / S + math.log(S))


def kf_class(p):
    kf = KF(p[0], p[1])
    ll = 0.0
    for z in (0.3, 0.9, 2.1, 2.8):
        kf.predict()
        ll += kf.update(z)
    return ll + kf.x[1]


def rk4_callback(p):
    calls = 0

    def rhs(t, y):
        nonlocal calls
        calls += 1
        return np.array([y[1], -p[0] * y[0] - p[1] * y[1]])

    y = np.array([1.0, 0.0])
    h = 0.1
    t = 0.0
    for _ in range(4):
        k1 = rhs(t, y)
        k2 = rhs(t + h / 2, y + h / 2 * k1)
        k3 = rhs(t + h / 2, y + h / 2 * k2)
        k4 = rhs(t + h, y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += h
    return y[0] * calls / 16 + y[1]


X6 = np.array([0.3, -0.7, 1.1, 0.45, -0.2, 0.9])

CASES = [
    Case(kf_dict_state, (np.array([0.3, 0.7]),), (0,), extra="hvp"),
    Case(lj_mod_box, (np.array([0.1, 0.2, 1.2, 0.3, 0.5, 1.3, 3.3]),), (0,), extra="hvp"),
    Case(dict_inplace_decay, (np.array([0.3, -0.4, 0.8]),), (0,), extra="hvp"),
    Case(adam_inside, (np.array([0.3, -0.4, 0.8]),), (0,), extra="hvp"),
    Case(rollout_prealloc, (np.array([0.3, -0.4, 0.8, 0.2]),), (0,), extra="hvp"),
    Case(tukey_mask, (np.array([0.4, 2.0, -1.3, 9.0, 0.2]),), (0,), extra="hvp"),
    Case(rts_lists, (np.array([0.1, 0.4]),), (0,), extra="hvp"),
    Case(ekf_pendulum, (np.array([9.8, 0.1]),), (0,), extra="hvp"),
    Case(implicit_trap, (np.array([0.7, 1.1]),), (0,), extra="hvp"),
    Case(global_buffer, (X6[:3].copy(),), (0,), extra="hvp"),
    Case(numpy_star_names, (X6,), (0,), extra="hvp"),
    Case(linalg_aliases, (X6,), (0,), extra="hvp"),
    Case(kf_class, (np.array([0.1, 0.5]),), (0,), extra="hvp"),
    Case(rk4_callback, (np.array([2.0, 0.3]),), (0,), extra="hvp"),
]
