"""Ported cases (session 15, hunt15), written anew after the shapes of ML losses, simulations and
users' Python: a squared hinge and a Huber loss, binary cross-entropy from logits with the stable
``log1p(exp(-|z|))``, a ReLU layer under a root of its squared norm, a contrastive loss on
pairwise distances without an epsilon, sparsemax by hand, a Matérn kernel on pairwise distances,
a chain of springs and a pair-collision penalty with Python's ``max``, a bond angle through
``arccos(clip(..))``; and this session's fixes: a selection feeding an op with an infinite
derivative (``np.sqrt(np.maximum(x, 0))``, ``np.sqrt(x * (x > 0))``, a dead zone, Python's
``math.sqrt(max(v, 0.0))``), a ``np.where`` under a condition computed before a loop, and roots
of sums of squares at 0 (nan derivatives before).

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

X = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58, 0.84, -0.15, 0.66, -1.02, 0.19, 0.48])
T = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0])
Y = np.array([[0.2, -0.4, 0.9], [1.1, 0.3, -0.2], [-0.6, 0.8, 0.1], [0.4, 0.4, -0.9]])
LAB = np.array([2, 0, 1, 1])


# -- ML losses ----------------------------------------------------------------------------------
def ml_sq_hinge(w):
    m = 1 - (2 * T - 1) * w
    return np.mean(np.maximum(0.0, m) ** 2) + 0.1 * np.sum(np.abs(w))


def ml_huber(w):
    r = w - T
    a = np.abs(r)
    return np.sum(np.where(a <= 0.5, 0.5 * r**2, 0.5 * (a - 0.25)))


def ml_bce_logits(w):
    return np.mean(np.maximum(w, 0) - w * T + np.log1p(np.exp(-np.abs(w))))


def ml_relu_norm(w):
    h = np.maximum(Y @ w.reshape(4, 3).T, 0)
    return np.sum(np.tanh(h) ** 2) + np.sqrt(np.sum(h**2))


def ml_contrastive(w):
    e = w.reshape(4, 3)
    d = np.sqrt(np.sum((e[:, None, :] - e[None, :, :]) ** 2, axis=-1))
    same = LAB[:, None] == LAB[None, :]
    return np.sum(np.where(same, d**2, np.maximum(1.0 - d, 0.0) ** 2))


def ml_sparsemax(w):
    z = np.sort(w)[::-1]
    k = np.arange(1, 13)
    css = np.cumsum(z)
    supp = 1 + k * z > css
    tau = (css[supp][-1] - 1) / k[supp][-1]
    p = np.maximum(w - tau, 0)
    return np.sum(p * T) + np.sum(p**2)


def ml_matern(w):
    e = w.reshape(4, 3)
    d = np.sqrt(np.sum((e[:, None] - e[None]) ** 2, axis=-1))
    k = (1 + np.sqrt(3) * d) * np.exp(-np.sqrt(3) * d)
    return float(np.ones(4) @ k @ np.arange(1.0, 5.0))


# -- simulations --------------------------------------------------------------------------------
def sim_springs(x):
    e = x.reshape(4, 3)
    tot = 0.0
    for i in range(3):
        r = np.linalg.norm(e[i + 1] - e[i])
        tot = tot + 0.5 * (r - 1.0) ** 2
    return tot


def sim_collision(x):
    e = x.reshape((4, 3))
    pen = 0.0
    for i in range(4):
        for j in range(4):
            d = e[i] - e[j]
            r = math.sqrt(d @ d)
            pen += max(0.0, 0.8 - r) ** 2 if j > i else r * 0.01
    return pen


def sim_bond_angle(x):
    e = x.reshape(4, 3)
    a, b = e[1] - e[0], e[2] - e[1]
    c = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    return np.arccos(np.clip(c, -1.0, 1.0)) + np.sum(np.arccos(np.clip(1.2 * x, -1, 1)))


# -- this session's fixes -----------------------------------------------------------------------
def fix_root_of_selection(x):
    r = np.maximum(x, 0.0)
    dead = np.where(np.abs(x) < 0.5, 0.0, np.abs(x) - 0.5)
    return np.sum(np.sqrt(r) * x + np.sqrt(x * (x > 0)) + np.sqrt(dead) + r ** (1 / 3))


def fix_python_floats(x):
    return sum(math.sqrt(max(v, 0.0)) * v + (v if v > 0.2 else 0.0) ** 1.5 for v in x)


def fix_where_in_loop(x):
    y, c = np.sqrt(x), x > 0
    tot = 0.0
    for k in range(3):
        tot = tot + np.sum(np.where(c, y * (k + 1), 0.0) ** 2)
    return tot


def fix_points_with_themselves(x):
    pts = [(x[2 * k], x[2 * k + 1]) for k in range(6)]
    tot = 0.0
    for ax, ay in pts:
        for bx, by in pts:
            dx, dy = ax - bx, ay - by
            tot += math.sqrt(dx * dx + dy * dy) * (1.0 + ax)
    return tot


CASES = [
    Case(ml_sq_hinge, (X,), (0,), extra="hvp"),
    Case(ml_huber, (X,), (0,), extra="hvp"),
    Case(ml_bce_logits, (X,), (0,), extra="hvp"),
    Case(ml_relu_norm, (X,), (0,), extra="hvp"),
    Case(ml_contrastive, (X,), (0,), extra="hvp"),
    Case(ml_sparsemax, (X,), (0,), extra="hvp"),
    Case(ml_matern, (X,), (0,), extra="hvp"),
    Case(sim_springs, (X,), (0,), extra="hvp"),
    Case(sim_collision, (X,), (0,), extra="hvp"),
    Case(sim_bond_angle, (X,), (0,), extra="hvp"),
    Case(fix_root_of_selection, (X,), (0,), extra="hvp"),
    Case(fix_python_floats, (X,), (0,), extra="hvp"),
    Case(fix_where_in_loop, (X,), (0,), extra="hvp"),
    Case(fix_points_with_themselves, (X,), (0,), extra="hvp"),
]
