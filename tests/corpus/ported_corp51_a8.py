"""Ported cases (session 51, hunt51a): stdlib and NumPy idioms in finance, graphics and physics:
np.interp on differentiable knots, a dataclass curve's discount factors, itertools.accumulate
drawdowns, functools.reduce of rotations, slerp with sign canonicalisation, masked in-place
bounces, top-k attention with put_along_axis, float labels cast to int, hard alignment by
np.maximum, a minimum-image LJ over a dict of parameters, a while loop of RK4 steps, triangle
areas by determinants.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from . import Case


# yield curve: bootstrap zero rates then interpolate with np.interp on differentiable knots
def curve_interp(rates, knots, query):
    dfs = np.exp(-rates * knots)
    log_df = np.log(dfs)
    lq = np.interp(query, knots, log_df)
    return np.sum(np.exp(lq))


def knots_loss(k):
    return curve_interp(
        np.array([0.01, 0.015, 0.02, 0.025]), np.cumsum(np.exp(k)), np.array([0.7, 1.5, 2.2, 3.0])
    )


# swap pricing with a dict of curves
@dataclass
class Curve:
    times: np.ndarray
    zeros: np.ndarray

    def df(self, t):
        return np.exp(-np.interp(t, self.times, self.zeros) * t)


def swap_npv(z, fixed=0.02, pay=(0.5, 1.0, 1.5, 2.0)):
    curve = Curve(np.array([0.25, 1.0, 2.0, 5.0]), z)
    pv_fixed = sum(fixed * 0.5 * curve.df(t) for t in pay)
    pv_float = 1.0 - curve.df(pay[-1])
    return (pv_float - pv_fixed) ** 2


# drawdown with itertools.accumulate(max)
def max_drawdown(w, R):
    port = R @ w
    wealth = list(itertools.accumulate(1 + port, lambda a, b: a * b))
    peaks = list(itertools.accumulate(wealth, max))
    dds = [1 - v / p for v, p in zip(wealth, peaks)]
    return max(dds) + 0.1 * sum(wealth) / len(wealth)


# functools.reduce of rotation matrices
def chain_rot(angles):
    mats = [np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]]) for a in angles]
    R = functools.reduce(lambda A, B: A @ B, mats, np.eye(2))
    p = R @ np.array([1.0, 0.0])
    return float(p[0] ** 2 + 2 * p[1])


# quaternion with sign canonicalization and slerp
def slerp_loss(q):
    q0 = np.array([1.0, 0.0, 0.0, 0.0])
    q1 = q / np.linalg.norm(q)
    d = q0 @ q1
    if d < 0:
        q1 = -q1
        d = -d
    d = min(d, 1.0)
    th = math.acos(d)
    t = 0.3
    out = (math.sin((1 - t) * th) * q0 + math.sin(t * th) * q1) / math.sin(th)
    return np.sum(out[1:] ** 2)


# masked in-place assignment in a physics step
def bounce(state, steps=12, dt=0.05):
    pos = state[:4].reshape(2, 2).copy()
    vel = state[4:].reshape(2, 2).copy()
    for _ in range(steps):
        vel[:, 1] -= 9.8 * dt
        pos += vel * dt
        below = pos[:, 1] < 0
        pos[below, 1] *= -1
        vel[below, 1] *= -0.9
    return np.sum(pos**2)


# top-k attention: keep top-2 scores per row, others -inf
def topk_attention(Q, K, V, k=2):
    s = Q @ K.T
    idx = np.argsort(-s, axis=1)[:, :k]
    masked = np.full_like(s, -np.inf)
    np.put_along_axis(masked, idx, np.take_along_axis(s, idx, axis=1), axis=1)
    a = np.exp(masked - logsumexp(masked, axis=1, keepdims=True))
    return np.sum((a @ V) ** 2)


# label smoothing CE with float targets converted to int
def ls_ce_float_targets(logits, y_float, eps=0.1):
    y = y_float.astype(int)
    n, C = logits.shape
    logp = logits - logsumexp(logits, axis=1, keepdims=True)
    nll = -logp[np.arange(n), y]
    smooth = -logp.mean(axis=1)
    return np.mean((1 - eps) * nll + eps * smooth)


# CTC-like: max over paths (hard viterbi) with np.maximum of shifted arrays
def hard_align(emis):
    T, S = emis.shape
    dp = np.full(S, -np.inf)
    dp[0] = emis[0, 0]
    for t in range(1, T):
        stay = dp
        move = np.concatenate([[-np.inf], dp[:-1]])
        dp = np.maximum(stay, move) + emis[t]
    return dp[-1]


# Lennard-Jones with minimum image and cutoff shift via dict params
def lj_pbc(pos, params):
    L, rc, eps, sig = params["L"], params["rc"], params["eps"], params["sigma"]
    n = len(pos)
    E = 0.0
    for i in range(n - 1):
        d = pos[i + 1 :] - pos[i]
        d -= L * np.round(d / L)
        r2 = np.sum(d * d, axis=1)
        inside = r2 < rc**2
        sr6 = (sig**2 / r2[inside]) ** 3
        E += np.sum(4 * eps * (sr6**2 - sr6))
    return E


def lj_pbc_wrap(pos):
    return lj_pbc(pos, {"L": 3.0, "rc": 1.4, "eps": 1.0, "sigma": 1.0})


# RK4 for a damped spring system with while loop and time tolerance
def spring_while(p, t_end=1.0, h=0.1):
    k, c = p
    y = np.array([1.0, 0.0])
    t = 0.0
    while t < t_end - 1e-12:
        f = lambda y: np.array([y[1], -k * y[0] - c * y[1]])  # noqa: E731
        k1 = f(y)
        k2 = f(y + 0.5 * h * k1)
        k3 = f(y + 0.5 * h * k2)
        k4 = f(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += h
    return y[0]


# 2-D cross product via determinant for triangle areas
def mesh_area(verts, faces):
    total = 0.0
    for a, b, c in faces:
        M = np.stack([verts[b] - verts[a], verts[c] - verts[a]])
        total += 0.5 * abs(np.linalg.det(M))
    return total


_R = np.random.default_rng(63)
RR = _R.standard_normal((8, 2)) * 0.03
FACES = [(0, 1, 2), (0, 2, 3)]
VERTS = np.array([[0.0, 0.0], [1.0, 0.1], [1.1, 1.0], [0.1, 0.9]])

CASES = [
    Case(knots_loss, (np.log(np.array([0.5, 0.5, 1.0, 2.0])),), (0,)),
    Case(swap_npv, (np.array([0.01, 0.015, 0.02, 0.025]),), (0,)),
    Case(max_drawdown, (np.array([0.6, 0.4]), RR), (0,)),
    Case(chain_rot, (np.array([0.3, -0.5, 1.2]),), (0,)),
    Case(slerp_loss, (np.array([0.9, 0.2, -0.3, 0.1]),), (0,)),
    Case(slerp_loss, (np.array([-0.9, 0.2, -0.3, 0.1]),), (0,), name="ported_corp51_a8.slerp_neg"),
    Case(bounce, (np.array([0.0, 0.3, 1.0, 0.1, 0.5, 0.0, -0.3, 1.0]),), (0,)),
    Case(
        topk_attention,
        (_R.standard_normal((3, 2)), _R.standard_normal((4, 2)), _R.standard_normal((4, 2))),
        (0, 1, 2),
    ),
    Case(ls_ce_float_targets, (_R.standard_normal((4, 3)), np.array([0.0, 2.0, 1.0, 1.0])), (0,)),
    Case(hard_align, (_R.standard_normal((5, 3)),), (0,)),
    Case(
        lj_pbc_wrap,
        (np.array([[0.1, 0.2, 0.3], [1.2, 0.1, 0.2], [0.3, 1.3, 2.8], [2.7, 2.6, 0.5]]),),
        (0,),
    ),
    Case(spring_while, (np.array([4.0, 0.3]),), (0,)),
    Case(mesh_area, (VERTS, FACES), (0,)),
]
