"""Ported cases (session 27, hunt27), written anew after chemistry, robotics and sequence-model
programs: mass-action kinetics by Euler steps with rates from a stoichiometry table, an adaptive
Heun integrator whose step size depends on the state (a ``while t < T`` loop with rejected steps),
reactions over a dict of concentrations, Michaelis-Menten with tuple-swapped state, a 3-D arm's
forward kinematics by per-joint rotation matrices, inverse kinematics by unrolled
Jacobian-transpose steps inside the loss, a 4x4 homogeneous chain written by ``A[:3, :3] = ...``,
an HMM forward algorithm filling ``alpha[t] = ...`` with a keepdims logsumexp, a CTC forward over
``-np.inf`` cells, soft-DTW with a soft-min over three neighbours written into ``D[i, j]``, and
sorting/ranking: ``np.sort``, ``argsort`` gathers, ``np.median``/``np.percentile``/``np.quantile``, a
trimmed mean and a top-k by ``argpartition`` away from ties.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

# ---- chemical kinetics
STOICH = np.array([[-1, 1, 0], [0, -1, 1], [-2, 0, 1]], dtype=float)  # reactions x species
REACT = np.array([[1, 0, 0], [0, 1, 0], [2, 0, 0]])


def mass_action_rates(c, k):
    r = np.empty(len(k))
    for j in range(len(k)):
        r[j] = k[j] * np.prod(c ** REACT[j])
    return r


def kinetics_euler(x):
    k = np.exp(x[:3])
    c = np.array([1.0, 0.2, 0.0])
    h = 0.05
    for _ in range(20):
        c = c + h * (STOICH.T @ mass_action_rates(c, k))
    return c[2] + 0.5 * c[1] ** 2


def kinetics_heun_adaptive(x):
    k1, k2 = math.exp(x[0]), math.exp(x[1])

    def f(y):
        a, b = y
        return np.array([-k1 * a, k1 * a - k2 * b])

    y = np.array([1.0, 0.0])
    t, T, h, tol = 0.0, 2.0, 0.25, 1e-2
    nacc = 0
    while t < T - 1e-12:
        h = min(h, T - t)
        f0 = f(y)
        ye = y + h * f0
        yh = y + 0.5 * h * (f0 + f(ye))
        err = np.max(np.abs(yh - ye))
        if err <= tol:
            t += h
            y = yh
            nacc += 1
        h = h * min(2.0, max(0.2, 0.9 * math.sqrt(tol / max(err, 1e-14))))
    return y[1] * 10 + 0 * nacc


def kinetics_dict(x):
    k = {"f": math.exp(x[0]), "b": math.exp(x[1])}
    conc = {"A": 1.0, "B": 0.5, "C": 0.0}
    for _ in range(15):
        rf = k["f"] * conc["A"] * conc["B"]
        rb = k["b"] * conc["C"]
        net = rf - rb
        conc["A"] -= 0.1 * net
        conc["B"] -= 0.1 * net
        conc["C"] += 0.1 * net
    return conc["C"] ** 2 + conc["A"]


def michaelis(x):
    vmax, km = np.exp(x[0]), np.exp(x[1])
    s = 2.0
    p = 0.0
    dt = 0.1
    for _ in range(30):
        v = vmax * s / (km + s)
        s, p = s - dt * v, p + dt * v
    return p


# ---- robotics
def rotz(t):
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def roty(t):
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def arm3d(x):
    R = np.eye(3)
    p = np.zeros(3)
    links = [np.array([0.0, 0.0, 0.3]), np.array([0.5, 0.0, 0.0]), np.array([0.4, 0.0, 0.0])]
    axes = [rotz, roty, roty]
    for q, ax, L in zip(x, axes, links):
        R = R @ ax(q)
        p = p + R @ L
    target = np.array([0.4, 0.3, 0.5])
    return np.sum((p - target) ** 2)


def planar_fk(q, L):
    pts = [np.zeros(2)]
    th = 0.0
    for qi, li in zip(q, L):
        th = th + qi
        pts.append(pts[-1] + li * np.array([np.cos(th), np.sin(th)]))
    return pts[-1]


def planar_jac(q, L):
    n = len(q)
    J = np.zeros((2, n))
    th = np.cumsum(q)
    for i in range(n):
        J[0, i] = -np.sum(L[i:] * np.sin(th[i:]))
        J[1, i] = np.sum(L[i:] * np.cos(th[i:]))
    return J


def ik_unrolled(x):
    L = np.array([1.0, 0.8, 0.5])
    target = x[:2]
    q = np.array([0.3, 0.4, 0.2])
    for _ in range(5):
        e = target - planar_fk(q, L)
        q = q + 0.2 * planar_jac(q, L).T @ e
    return np.sum((planar_fk(q, L) - target) ** 2) + 0.01 * np.sum(q**2)


def homog_chain(x):
    T = np.eye(4)
    for i, q in enumerate(x):
        A = np.eye(4)
        A[:3, :3] = rotz(q) if i % 2 == 0 else roty(q)
        A[:3, 3] = [0.3, 0.0, 0.1 * (i + 1)]
        T = T @ A
    return T[0, 3] ** 2 + T[1, 3] + T[2, 3] * T[0, 0]


# ---- sequence models
def logsumexp(v, axis=None):
    m = np.max(v, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(v - m), axis=axis, keepdims=True))
    return np.squeeze(out, axis=axis) if axis is not None else out.item()


OBS = [0, 1, 1, 0, 2]


def hmm_table(x):
    logA = np.log(np.array([[0.7, 0.3], [0.4, 0.6]]))
    logB = x.reshape(2, 3) - logsumexp(x.reshape(2, 3), axis=1)[:, None]
    T = len(OBS)
    alpha = np.zeros((T, 2))
    alpha[0] = np.log(0.5) + logB[:, OBS[0]]
    for t in range(1, T):
        alpha[t] = logsumexp(alpha[t - 1][:, None] + logA, axis=0) + logB[:, OBS[t]]
    return -logsumexp(alpha[-1])


def ctc_forward(x):
    logits = x.reshape(4, 3)
    lp = logits - logsumexp(logits, axis=1)[:, None]
    label = [1, 2]
    ext = [0, 1, 0, 2, 0]
    S, T = len(ext), lp.shape[0]
    a = np.full((T, S), -np.inf)
    a[0, 0] = lp[0, ext[0]]
    a[0, 1] = lp[0, ext[1]]
    for t in range(1, T):
        for s in range(S):
            cands = [a[t - 1, s]]
            if s >= 1:
                cands.append(a[t - 1, s - 1])
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                cands.append(a[t - 1, s - 2])
            cv = np.array(cands)
            m = np.max(cv)
            if m == -np.inf:
                a[t, s] = -np.inf
            else:
                a[t, s] = m + np.log(np.sum(np.exp(cv - m))) + lp[t, ext[s]]
    end = np.array([a[-1, -1], a[-1, -2]])
    return -(np.max(end) + np.log(np.sum(np.exp(end - np.max(end))))) + 0 * len(label)


def softmin3(a, b, c, g):
    v = np.array([a, b, c]) / -g
    m = np.max(v)
    return -g * (m + np.log(np.sum(np.exp(v - m))))


def soft_dtw(x):
    s1 = x[:4]
    s2 = np.array([0.1, 0.5, 0.9])
    n, m = len(s1), len(s2)
    D = np.zeros((n + 1, m + 1))
    D[0, 1:] = 1e10
    D[1:, 0] = 1e10
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost = (s1[i - 1] - s2[j - 1]) ** 2
            D[i, j] = cost + softmin3(D[i - 1, j], D[i, j - 1], D[i - 1, j - 1], 0.5)
    return D[n, m]


# ---- sorting / ranking
def sort_loss(x):
    s = np.sort(x)
    w = np.linspace(1.0, 2.0, len(x))
    return np.sum(w * s**2)


def argsort_gather(x):
    idx = np.argsort(x)
    ranked = x[idx]
    return np.sum(ranked[:3] * np.array([3.0, 2.0, 1.0])) + ranked[-1] ** 2


def median_loss(x):
    return np.median(x) ** 2 + np.median(x.reshape(2, 3), axis=1) @ np.array([1.0, 2.0])


def percentile_loss(x):
    return np.percentile(x, 30.0) + np.percentile(x**2, [25.0, 75.0]).sum()


def trimmed_mean(x):
    s = np.sort(x)
    k = len(s) // 5
    return np.mean(s[k : len(s) - k] ** 2)


def topk_partition(x):
    k = 2
    idx = np.argpartition(-x, k)[:k]
    return np.sum(np.exp(x[idx])) + np.sum(np.sort(x)[::-1][:k])


def quantile_interp(x):
    return float(np.quantile(x, 0.6)) * np.max(x) - np.min(x)


CASES = [
    Case(kinetics_euler, (np.array([0.1, -0.3, 0.2]),), (0,), extra="hvp"),
    Case(kinetics_heun_adaptive, (np.array([0.2, -0.1]),), (0,), extra="hvp"),
    Case(kinetics_dict, (np.array([0.1, -0.5]),), (0,), extra="hvp"),
    Case(michaelis, (np.array([0.1, 0.3]),), (0,), extra="hvp"),
    Case(arm3d, (np.array([0.3, 0.5, -0.4]),), (0,), extra="hvp"),
    Case(ik_unrolled, (np.array([1.2, 0.9]),), (0,), extra="hvp"),
    Case(homog_chain, (np.array([0.3, 0.5, -0.4, 0.2]),), (0,), extra="hvp"),
    Case(hmm_table, (np.array([0.1, 0.4, -0.3, 0.2, -0.1, 0.5]),), (0,), extra="hvp"),
    Case(
        ctc_forward,
        (np.array([0.1, 0.4, -0.3, 0.2, -0.1, 0.5, 0.3, 0.2, -0.6, 0.7, 0.1, -0.2]),),
        (0,),
        extra="hvp",
    ),
    Case(soft_dtw, (np.array([0.2, 0.4, 0.7, 1.0]),), (0,), extra="hvp"),
    Case(sort_loss, (np.array([0.3, -0.5, 1.2, 0.1, -0.9]),), (0,), extra="hvp"),
    Case(argsort_gather, (np.array([0.3, -0.5, 1.2, 0.1, -0.9]),), (0,), extra="hvp"),
    Case(median_loss, (np.array([0.3, -0.5, 1.2, 0.1, -0.9, 0.7]),), (0,), extra="hvp"),
    Case(percentile_loss, (np.array([0.3, -0.5, 1.2, 0.1, -0.9, 0.7]),), (0,), extra="hvp"),
    Case(
        trimmed_mean,
        (np.array([0.3, -0.5, 1.2, 0.1, -0.9, 0.7, 0.45, -0.2, 0.9, 1.5]),),
        (0,),
        extra="hvp",
    ),
    Case(topk_partition, (np.array([0.3, -0.5, 1.2, 0.1, -0.9, 0.7]),), (0,), extra="hvp"),
    Case(quantile_interp, (np.array([0.3, -0.5, 1.2, 0.1, -0.9, 0.7]),), (0,), extra="hvp"),
]
