"""Ported cases (session 51, hunt51a): robotics, rendering and RL in class and helper style: damped
least-squares IK of a two-link arm class, Rodrigues rotations (with the small-angle branch),
shadow rays over a list of light dicts, Verlet and position-based-dynamics chains, normalised
advantages, REINFORCE with take_along_axis, tabular Q-learning and soft Q targets, a beam search
over log-probabilities, GloVe's weighted loss.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from . import Case


class TwoLink:
    def __init__(self, l1, l2):
        self.l1 = l1
        self.l2 = l2

    def fk(self, q):
        x = self.l1 * np.cos(q[0]) + self.l2 * np.cos(q[0] + q[1])
        y = self.l1 * np.sin(q[0]) + self.l2 * np.sin(q[0] + q[1])
        return np.array([x, y])

    def jac(self, q):
        s1, c1 = np.sin(q[0]), np.cos(q[0])
        s12, c12 = np.sin(q[0] + q[1]), np.cos(q[0] + q[1])
        return np.array(
            [
                [-self.l1 * s1 - self.l2 * s12, -self.l2 * s12],
                [self.l1 * c1 + self.l2 * c12, self.l2 * c12],
            ]
        )


def ik_damped(q0, target, lam=0.1, iters=8):
    arm = TwoLink(1.0, 0.7)
    q = q0.copy()
    for _ in range(iters):
        e = target - arm.fk(q)
        if np.linalg.norm(e) < 1e-12:
            break
        J = arm.jac(q)
        dq = J.T @ np.linalg.solve(J @ J.T + lam**2 * np.eye(2), e)
        q = q + dq
    return np.sum(q**2)


def ik_wrap(t):
    return ik_damped(np.array([0.3, 0.4]), t)


def skew(w):
    return np.array([[0.0, -w[2], w[1]], [w[2], 0.0, -w[0]], [-w[1], w[0], 0.0]])


def rodrigues(w):
    th = np.linalg.norm(w)
    if th < 1e-8:
        return np.eye(3) + skew(w)
    k = w / th
    K = skew(k)
    return np.eye(3) + np.sin(th) * K + (1 - np.cos(th)) * K @ K


def pose_loss(w, pts, target):
    R = rodrigues(w)
    moved = pts @ R.T
    return np.sum((moved - target) ** 2)


def shadow_ray(lights, p, spheres):
    total = 0.0
    for L in lights:
        d = L["pos"] - p
        dist = np.sqrt(d @ d)
        d = d / dist
        vis = 1.0
        for c, r in spheres:
            oc = p - c
            b = oc @ d
            disc = b * b - (oc @ oc - r * r)
            if disc > 0 and -b - np.sqrt(disc) > 0:
                vis = 0.0
        total += vis * L["I"] / dist**2
    return total


def shade_wrap(I):  # noqa: E741
    lights = [
        {"pos": np.array([0.0, 5.0, 0.0]), "I": I[0]},
        {"pos": np.array([4.0, 1.0, 0.0]), "I": I[1]},
    ]
    spheres = [(np.array([2.0, 0.5, 0.0]), 0.3)]
    return shadow_ray(lights, np.array([0.0, 0.0, 0.0]), spheres) * I[2]


def verlet_spring_chain(x0, k=10.0, steps=15, dt=0.02):
    x = x0.copy()
    x_prev = x0.copy()
    n = len(x)
    for _ in range(steps):
        f = np.zeros(n)
        f[1:] -= k * (x[1:] - x[:-1] - 1.0)
        f[:-1] += k * (x[1:] - x[:-1] - 1.0)
        x_new = 2 * x - x_prev + dt**2 * f
        x_new[0] = x0[0]
        x_prev, x = x, x_new
    return x[-1] ** 2 + np.var(x)


def pbd_distance(p, rest=1.0, iters=5):
    p = p.reshape(-1, 2).copy()
    for _ in range(iters):
        for i in range(len(p) - 1):
            d = p[i + 1] - p[i]
            L = np.sqrt(d @ d)
            corr = 0.5 * (L - rest) * d / L
            p[i] += corr
            p[i + 1] -= corr
    return np.sum(p[:, 1])


def advantage_norm(values, rewards, gamma=0.99):
    n = len(rewards)
    adv = np.empty(n)
    nxt = 0.0
    for t in reversed(range(n)):
        nxt = rewards[t] + gamma * nxt
        adv[t] = nxt - values[t]
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    return np.sum(adv * values)


def reinforce(theta, states, actions, returns):
    logits = states @ theta
    logp = logits - logsumexp(logits, axis=1, keepdims=True)
    chosen = np.take_along_axis(logp, actions[:, None], axis=1)[:, 0]
    baseline = returns.mean()
    return -np.mean(chosen * (returns - baseline))


def q_learning_td(Q, transitions, gamma=0.9):
    loss = 0.0
    for s, a, r, s2, done in transitions:
        target = r if done else r + gamma * np.max(Q[s2])
        loss += (Q[s, a] - target) ** 2
    return loss


def soft_q(Q, transitions, alpha=0.5, gamma=0.9):
    loss = 0.0
    for s, a, r, s2 in transitions:
        v = alpha * logsumexp(Q[s2] / alpha)
        loss += 0.5 * (Q[s, a] - (r + gamma * v)) ** 2
    return loss


def seq_nll_beam(logits, k=2):
    T, V = logits.shape
    logp = logits - logsumexp(logits, axis=1, keepdims=True)
    beams = [(0.0, [])]
    for t in range(T):
        cand = []
        for score, seq in beams:
            for v in range(V):
                cand.append((score + logp[t, v], seq + [v]))
        cand.sort(key=lambda c: c[0], reverse=True)
        beams = cand[:k]
    return -beams[0][0]


def glove_loss(W, C, cooc, xmax=10.0, alpha=0.75):
    loss = 0.0
    n = cooc.shape[0]
    for i in range(n):
        for j in range(n):
            x = cooc[i, j]
            if x == 0:
                continue
            f = (x / xmax) ** alpha if x < xmax else 1.0
            loss += f * (W[i] @ C[j] - np.log(x)) ** 2
    return loss


_R = np.random.default_rng(61)
PTS = _R.standard_normal((4, 3))
TGT = PTS @ np.array([[0.0, -1, 0], [1, 0, 0], [0, 0, 1]]).T
TR = [(0, 1, 1.0, 2, False), (2, 0, 0.5, 1, False), (1, 1, -1.0, 0, True), (2, 1, 0.2, 2, False)]
TR2 = [(0, 1, 1.0, 2), (2, 0, 0.5, 1), (1, 1, -1.0, 0)]
COOC = np.array([[0.0, 3.0, 12.0], [3.0, 0.0, 1.0], [12.0, 1.0, 5.0]])

CASES = [
    Case(ik_wrap, (np.array([1.2, 0.6]),), (0,)),
    Case(pose_loss, (np.array([0.1, -0.2, 1.4]), PTS, TGT), (0,)),
    Case(
        pose_loss,
        (np.array([0.0, 0.0, 0.0]), PTS, TGT),
        (0,),
        name="ported_corp51_a6.pose_loss_zero",
    ),
    Case(shade_wrap, (np.array([10.0, 8.0, 1.5]),), (0,)),
    Case(verlet_spring_chain, (np.array([0.0, 1.1, 1.9, 3.2]),), (0,)),
    Case(pbd_distance, (np.array([0.0, 0.0, 1.2, 0.3, 2.0, -0.2]),), (0,)),
    Case(
        advantage_norm, (np.array([0.2, 0.4, 0.1, -0.3]), np.array([1.0, 0.0, -0.5, 2.0])), (0, 1)
    ),
    Case(
        reinforce,
        (
            _R.standard_normal((3, 2)),
            _R.standard_normal((5, 3)),
            np.array([0, 1, 1, 0, 1]),
            np.array([1.0, 2.0, 0.5, -1.0, 0.3]),
        ),
        (0,),
    ),
    Case(q_learning_td, (_R.standard_normal((3, 2)), TR), (0,)),
    Case(soft_q, (_R.standard_normal((3, 2)), TR2), (0,)),
    Case(seq_nll_beam, (_R.standard_normal((3, 3)),), (0,)),
    Case(
        glove_loss,
        (_R.standard_normal((3, 2)) * 0.3, _R.standard_normal((3, 2)) * 0.3, COOC),
        (0, 1),
    ),
]
